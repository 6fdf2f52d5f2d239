/* llmkb: filter and sort the paper index (论文总览) in the browser.
 *
 * Served only on pages with a paper-index directive. Every row is a
 * <tr class="llmkb-paper" data-key data-year data-date data-venue data-topics
 * data-title data-authors> written at build time; without JavaScript the page
 * stays the complete table. No framework, no network: the options come from
 * the rows themselves.
 */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function field(id, label, control) {
    const wrap = el("div", { class: "llmkb-filter-field" });
    wrap.append(el("label", { for: id }, label), control);
    return wrap;
  }

  function select(id, allLabel, options) {
    const sel = el("select", { id: id, name: id });
    sel.append(el("option", { value: "" }, allLabel));
    options.forEach(([value, label]) => sel.append(el("option", { value: value }, label)));
    return sel;
  }

  const SORTS = {
    newest: (a, b) => cmp(b.dataset.date, a.dataset.date) || cmp(b.dataset.key, a.dataset.key),
    oldest: (a, b) => cmp(a.dataset.date, b.dataset.date) || cmp(a.dataset.key, b.dataset.key),
    title: (a, b) => cmp(a.dataset.title.toLowerCase(), b.dataset.title.toLowerCase()) || cmp(a.dataset.key, b.dataset.key),
    venue: (a, b) => cmp(a.dataset.venue, b.dataset.venue) || cmp(b.dataset.date, a.dataset.date),
  };

  function cmp(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
  }

  ready(function () {
    const summary = document.querySelector("p.llmkb-paper-index-summary");
    if (!summary) return;
    const sections = Array.from(document.querySelectorAll('section[id^="topic-"]'))
      .filter((s) => s.querySelector("tr.llmkb-paper"));
    const rows = Array.from(document.querySelectorAll('section[id^="topic-"] tr.llmkb-paper'));
    if (!rows.length) return;

    const topics = sections.map((s) => {
      const h = s.querySelector("h1, h2, h3, h4");
      return [s.id.slice("topic-".length), h ? h.textContent.replace(/#$/, "").trim() : s.id];
    });
    const years = [...new Set(rows.map((r) => r.dataset.year).filter(Boolean))].sort().reverse();
    const venues = [...new Set(rows.map((r) => r.dataset.venue).filter(Boolean))]
      .sort((a, b) => a.localeCompare(b, "en"));

    const form = el("form", { class: "llmkb-paper-filter", role: "search", "aria-label": "筛选论文" });
    const text = el("input", { id: "llmkb-filter-text", name: "q", type: "search",
                               placeholder: "标题或作者，如 LoRA、Hinton" });
    const topic = select("llmkb-filter-topic", "全部主题", topics);
    const year = select("llmkb-filter-year", "全部年份", years.map((y) => [y, y]));
    const venue = select("llmkb-filter-venue", "全部出处", venues.map((v) => [v, v]));
    const order = select("llmkb-filter-sort", "最新在前", [["oldest", "最早在前"], ["title", "按标题"], ["venue", "按发表处"]]);
    order.options[0].value = "newest";
    const status = el("p", { class: "llmkb-filter-status", role: "status", "aria-live": "polite" });
    const reset = el("button", { type: "reset", class: "llmkb-filter-reset" }, "清除筛选");

    form.append(
      field(text.id, "标题 / 作者", text),
      field(topic.id, "主题", topic),
      field(year.id, "年份", year),
      field(venue.id, "发表于", venue),
      field(order.id, "排序", order),
      reset,
      status,
    );
    summary.after(form);
    form.addEventListener("submit", (e) => e.preventDefault());

    function apply() {
      const words = text.value.toLowerCase().split(/\s+/).filter(Boolean);
      const want = { topic: topic.value, year: year.value, venue: venue.value };
      const keys = new Set();
      let shown = 0;
      rows.forEach((row) => {
        const section = row.closest('section[id^="topic-"]');
        const haystack = (row.dataset.title + " " + row.dataset.authors + " " + row.dataset.key).toLowerCase();
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

    [text, topic, year, venue, order].forEach((c) => c.addEventListener("input", apply));
    [topic, year, venue, order].forEach((c) => c.addEventListener("change", apply));
    form.addEventListener("reset", () => window.setTimeout(apply, 0));
  });
})();
