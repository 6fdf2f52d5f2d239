/* llmkb: filter and sort the paper index (论文总览) in the browser.
 *
 * Served only on pages with a paper-index directive. Every row is a
 * <tr class="llmkb-paper" data-key data-year data-date data-venue data-topics>
 * showing the title (a.llmkb-title, or <strong> without a link) and its first
 * authors (p.llmkb-authors; the authors the line leaves out are loaded from
 * _static/llmkb-authors.js when the reader first types), and the form with its
 * options is written at build time too (paper_table.filter_form_html: in the page from the first paint, so
 * nothing shifts when this script runs); without JavaScript the form is hidden
 * and the page stays the complete table. No framework, no network but the book's own files.
 */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  // The sort orders of the form, for rows and for data records alike: f(x) gives x's
  // {date, key, title (lower case), venue}.
  function orderings(f) {
    return {
      newest: (a, b) => cmp(f(b).date, f(a).date) || cmp(f(b).key, f(a).key),
      oldest: (a, b) => cmp(f(a).date, f(b).date) || cmp(f(a).key, f(b).key),
      title: (a, b) => cmp(f(a).title, f(b).title) || cmp(f(a).key, f(b).key),
      venue: (a, b) => cmp(f(a).venue, f(b).venue) || cmp(f(b).date, f(a).date),
    };
  }
  const SORTS = orderings((row) => SORT_FIELDS.get(row));

  // The form's controls, and apply() run on every change of them (and after a reset).
  function controls(form) {
    const control = (id) => form.querySelector("#" + id);
    form.addEventListener("submit", (e) => e.preventDefault());
    return {
      text: control("llmkb-filter-text"), topic: control("llmkb-filter-topic"), year: control("llmkb-filter-year"),
      venue: control("llmkb-filter-venue"), order: control("llmkb-filter-sort"),
      status: form.querySelector("p.llmkb-filter-status"),
    };
  }

  function watch(form, c, apply) {
    [c.text, c.topic, c.year, c.venue, c.order].forEach((el) => el.addEventListener("input", apply));
    [c.topic, c.year, c.venue, c.order].forEach((el) => el.addEventListener("change", apply));
    form.addEventListener("reset", () => window.setTimeout(apply, 0));
  }

  const SORT_FIELDS = new Map(); // row -> {date, key, title (lower case), venue}
  const HAYSTACKS = new Map(); // row -> lower-case title, authors and key: what free text searches
  const TITLES = new Map(); // row -> its title
  // every author of the rows that show only the first few (llmkb/cite/dialog_files.py), next to this script
  const AUTHORS_SRC = document.currentScript ? new URL("llmkb-authors.js", document.currentScript.src).href : "";

  function cmp(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
  }

  ready(function () {
    const form = document.querySelector("form.llmkb-paper-filter");
    if (!form) return;
    if (form.dataset.src) {
      dataMode(form);
      return;
    }
    const sections = Array.from(document.querySelectorAll('section[id^="topic-"]'))
      .filter((s) => s.querySelector("tr.llmkb-paper"));
    const rows = Array.from(document.querySelectorAll('section[id^="topic-"] tr.llmkb-paper'));
    if (!rows.length) return;
    rows.forEach((row) => {
      const title = row.querySelector("a.llmkb-title, td:first-child > p:first-child > strong").textContent;
      const authors = row.querySelector("p.llmkb-authors").textContent;
      const { date, key, venue } = row.dataset;
      SORT_FIELDS.set(row, { date, key, title: title.toLowerCase(), venue });
      TITLES.set(row, title);
      HAYSTACKS.set(row, (title + " " + authors + " " + key).toLowerCase());
    });

    // The authors a row's line leaves out: loaded when the reader first types, then searched too
    let authorsLoading = false;
    function loadAuthors() {
      if (authorsLoading || !AUTHORS_SRC) return;
      authorsLoading = true;
      const script = document.createElement("script");
      script.src = AUTHORS_SRC;
      script.onload = () => {
        const all = window.llmkbAuthors || {};
        rows.forEach((row) => {
          const key = row.dataset.key;
          if (all[key]) HAYSTACKS.set(row, (TITLES.get(row) + " " + all[key] + " " + key).toLowerCase());
        });
        form.dataset.authors = "loaded";
        apply();
      };
      script.onerror = () => console.error(`llmkb: could not load ${AUTHORS_SRC}; the filter searches the authors the rows show`);
      document.head.appendChild(script);
    }

    const c = controls(form);
    const { text, topic, year, venue, order, status } = c;

    function apply() {
      const words = text.value.toLowerCase().split(/\s+/).filter(Boolean);
      if (words.length) loadAuthors();
      const want = { topic: topic.value, year: year.value, venue: venue.value };
      const keys = new Set();
      let shown = 0;
      rows.forEach((row) => {
        const section = row.closest('section[id^="topic-"]');
        const haystack = HAYSTACKS.get(row);
        const ok =
          (!want.topic || section.id === "topic-" + want.topic) &&
          (!want.year || row.dataset.year === want.year) &&
          (!want.venue || row.dataset.venue === want.venue) &&
          words.every((w) => haystack.includes(w));
        row.hidden = !ok;
        if (ok) {
          shown += 1;
          keys.add(row.dataset.key);
        }
      });
      sections.forEach((s) => {
        s.hidden = !s.querySelector("tr.llmkb-paper:not([hidden])");
      });
      document.querySelectorAll('section[id^="part-"]').forEach((part) => {
        part.hidden = !part.querySelector('section[id^="topic-"]:not([hidden])');
      });
      const sorter = SORTS[order.value] || SORTS.newest;
      document.querySelectorAll('section[id^="topic-"] table.llmkb-paper-table tbody').forEach((tbody) => {
        Array.from(tbody.querySelectorAll(":scope > tr.llmkb-paper")).sort(sorter).forEach((r) => tbody.append(r));
      });
      const filtering = words.length || want.topic || want.year || want.venue;
      status.textContent = filtering ? `符合条件的论文 ${keys.size} 篇（共 ${shown} 行）。` : "";
      form.dataset.matches = String(keys.size);
    }

    watch(form, c, apply);
  });

  /* The index of a large library holds only each topic's newest rows (llmkb/sphinx_ext/paging.py); the
   * form's data-src names a script with every paper as a compact record, loaded on first use
   * (a <script>, which also works for a book opened from disk), and what matches is listed
   * below the form, each title a link to the paper's complete row on its listing page. */
  const LIMIT = 100; // results listed at once

  function dataMode(form) {
    const c = controls(form);
    const { text, topic, year, venue, order, status } = c;
    const results = document.querySelector("div.llmkb-filter-results");
    const sections = Array.from(document.querySelectorAll('section[id^="part-"]'));
    const root = new URL("..", new URL(form.dataset.src, document.baseURI));
    let records = null;
    let loading = null;

    function load() {
      if (!loading) {
        loading = new Promise((resolve, reject) => {
          const script = document.createElement("script");
          script.src = form.dataset.src;
          script.onload = () => resolve(window.llmkbPapers);
          script.onerror = reject;
          document.head.append(script);
        }).then((data) => {
          const at = Object.fromEntries(data.fields.map((name, i) => [name, i]));
          records = data.papers.map((r) => ({
            key: r[at.key], title: r[at.title], authors: r[at.authors], year: r[at.year], date: r[at.date],
            venue: r[at.venue], topics: r[at.topics].split(" "), url: new URL(r[at.url], root).href,
            sort: { date: r[at.date], key: r[at.key], title: r[at.title].toLowerCase(), venue: r[at.venue] },
            haystack: (r[at.title] + " " + r[at.authors] + " " + r[at.key]).toLowerCase(),
          }));
        });
      }
      return loading;
    }

    const SORTED = orderings((r) => r.sort);

    function item(r) {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = r.url;
      a.textContent = r.title;
      const meta = document.createElement("span");
      meta.className = "llmkb-filter-meta";
      meta.textContent = ` — ${r.authors.split(", ").slice(0, 3).join(", ")}${r.authors.split(", ").length > 3 ? " 等" : ""} · ${r.venue} · ${r.date}`;
      li.append(a, meta);
      return li;
    }

    function apply() {
      const words = text.value.toLowerCase().split(/\s+/).filter(Boolean);
      const want = { topic: topic.value, year: year.value, venue: venue.value };
      const filtering = words.length || want.topic || want.year || want.venue;
      if (!filtering) {
        results.hidden = true;
        sections.forEach((s) => (s.hidden = false));
        status.textContent = "";
        delete form.dataset.matches;
        return;
      }
      if (!records) {
        status.textContent = "正在载入论文数据……";
        load().then(apply, () => {
          status.textContent = "论文数据没有载入（" + form.dataset.src + "）；请用各主题的论文目录查找。";
        });
        return;
      }
      const found = records.filter((r) =>
        (!want.topic || r.topics.includes(want.topic)) &&
        (!want.year || r.year === want.year) &&
        (!want.venue || r.venue === want.venue) &&
        words.every((w) => r.haystack.includes(w)));
      found.sort(SORTED[order.value] || SORTED.newest);
      const list = document.createElement("ol");
      list.className = "llmkb-filter-list";
      found.slice(0, LIMIT).forEach((r) => list.append(item(r)));
      results.replaceChildren(list);
      results.hidden = false;
      sections.forEach((s) => (s.hidden = true));
      status.textContent = `符合条件的论文 ${found.length} 篇` +
        (found.length > LIMIT ? `，下面列出前 ${LIMIT} 篇（可再加条件缩小范围）。` : "。");
      form.dataset.matches = String(found.length);
    }

    watch(form, c, apply);
    // start loading when the reader reaches for the form, before the first keystroke
    form.addEventListener("focusin", () => load().catch(() => {}), { once: true });
  }
})();
