/* llmkb: ranking rules for the book's search page (loaded after Sphinx's searchtools.js).
 *
 * Sphinx scores glossary entries (index entries) on a 0-100 scale but page and
 * section titles on a 0-15 scale (Scorer.title), so every glossary term that
 * contains a query word outranks the topic page that teaches it. These rules
 * only rescale Sphinx's own signals; no query is special-cased:
 *  1. index (glossary) entries are put on the title scale: an exact term scores
 *     like a title match, a term twice as long as the query like a partial one;
 *  2. a whole page whose own title contains every query word gets a bonus that
 *     grows with how much of the title the query covers (the page is about it).
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
})();
