/* llmkb: the book's search page (loaded after Sphinx's searchtools.js): ranking rules, result
 * snippets from the page's own text, and the status line in Chinese.
 *
 * Sphinx scores glossary entries (index entries) on a 0-100 scale but page and
 * section titles on a 0-15 scale (Scorer.title), so every glossary term that
 * contains a query word outranks the topic page that teaches it. These rules
 * only rescale Sphinx's own signals; no query is special-cased:
 *  1. index (glossary) entries are put on the title scale: an exact term scores
 *     like a title match, a term twice as long as the query like a partial one;
 *  2. a whole page whose own title contains every query word gets a bonus that
 *     grows with how much of the title the query covers (the page is about it).
 *
 * Snippets: Sphinx cuts each result's summary from the text of [role=main], which in this theme
 * also holds the page's table of contents ("目录 …") and, in paper tables, the BibTeX blocks; the
 * summary is cut from the text without them.
 *
 * Status line: Sphinx 8.2 asks for "Search finished, found one page …" / "… ${resultCount}
 * pages …", which its zh_CN catalog does not translate yet (it has the older "page(s)" message).
 */
(function () {
  "use strict";
  if (typeof Scorer === "undefined" || typeof Search === "undefined") return;

  function queryWords() {
    const q = new URLSearchParams(window.location.search).get("q") || "";
    return splitQuery(q.toLowerCase().trim()).filter(Boolean);
  }

  const TITLE_BONUS = 10;

  Scorer.score = (result) => {
    const [, title, anchor, , score, , kind] = result;
    if (kind === "index") return Math.round((score * Scorer.title) / 100);
    if ((kind === "text" || kind === "title") && !anchor && title) {
      const words = queryWords();
      const lower = title.toLowerCase();
      if (words.length && words.every((w) => lower.includes(w))) {
        const covered = words.reduce((n, w) => n + w.length, 0);
        return score + Math.max(1, Math.round((TITLE_BONUS * covered) / lower.length));
      }
    }
    return score;
  };

  // not part of a page's own text: theme chrome around the article, and BibTeX source
  const NOT_TEXT = [".bd-header-article", ".bd-sidebar-secondary", ".bd-footer-article",
                    ".prev-next-area", "nav", "details.llmkb-bibtex"].join(", ");
  const htmlToText = Search.htmlToText;
  Search.htmlToText = (htmlString, anchor) => {
    const doc = new DOMParser().parseFromString(htmlString, "text/html");
    doc.querySelectorAll(NOT_TEXT).forEach((el) => el.remove());
    return htmlToText(doc.documentElement.outerHTML, anchor);
  };

  // missing translations only: a message the catalog already has is left as it is
  if (typeof Documentation !== "undefined" && (Documentation.LOCALE || "").startsWith("zh")) {
    const found = ["搜索完成，找到 ${resultCount} 个匹配的页面。"]; // Chinese has one plural form
    const missing = {
      "Search finished, found one page matching the search query.": found,
      "Search finished, found ${resultCount} pages matching the search query.": found,
    };
    for (const [message, translation] of Object.entries(missing)) {
      if (!(message in Documentation.TRANSLATIONS)) Documentation.TRANSLATIONS[message] = translation;
    }
  }
})();
