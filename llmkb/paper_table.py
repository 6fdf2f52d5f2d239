"""Paper tables: select papers from refs.bib and render them as docutils nodes.

Everything here is a plain function over ``Paper`` objects; the directives in
``directives.py`` only parse options and call these. Every bib value enters the
doctree as a Text node (or a URI attribute), so docutils escapes it: a title that
holds ``<script>`` or MyST markup is shown as text, never interpreted.
"""

from __future__ import annotations

import html
from typing import Callable, Iterable, Sequence

from docutils import nodes

from . import topics as T
from .export_bibtex import format_entry
from .papers import Paper

SORTS: dict[str, Callable[[Paper], tuple]] = {
    "newest": lambda p: (p.date, p.key),
    "oldest": lambda p: (p.date, p.key),
    "title": lambda p: (p.title.lower(), p.key),
}
REVERSED = {"newest"}

COLUMNS: tuple[tuple[str, int], ...] = (("论文", 52), ("类型", 16), ("发表于", 13), ("日期", 11), ("引用", 8))


class SelectionError(ValueError):
    """A paper-table whose options select nothing, or name unknown things."""


class bibtex_details(nodes.General, nodes.Element):
    """A collapsible block holding one entry's BibTeX (<details> in HTML)."""


class bibtex_source(nodes.FixedTextElement):
    """One entry's BibTeX, shown as plain text in a ``<code>`` block that the copy button copies."""


class paper_row(nodes.row):
    """A table row for one paper; in HTML its ``<tr>`` carries the paper's data attributes.

    docutils' HTML writer drops unknown node attributes, so the values live in
    ``node["data"]`` and ``visit_paper_row_html`` passes them to ``starttag``, which
    escapes them like any other attribute value.
    """


def row_data(paper: Paper) -> dict[str, str]:
    """The ``data-*`` attributes of a paper's row (plain text; the HTML writer escapes them)."""
    return {
        "data-key": paper.key,
        "data-year": paper.year,
        "data-date": paper.date,
        "data-venue": paper.venue,
        "data-topics": " ".join(paper.topics),
        "data-title": paper.title,
        "data-authors": paper.all_authors,
    }


def visit_paper_row_html(self, node: paper_row) -> None:
    self.visit_row(node)  # Sphinx's own row (row-odd/row-even striping), then add the data
    self.body[-1] = self.starttag(node, "tr", "", **node.get("data", {}))


def visit_paper_row(self, node: paper_row) -> None:
    self.visit_row(node)


def depart_paper_row(self, node: paper_row) -> None:
    self.depart_row(node)


FILTER_SCRIPT = "paper-filter.js"


def add_filter_script(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Serve the paper filter (llmkb/static/paper-filter.js) only on pages with a paper index."""
    from . import library

    if pagename in library.index_pages(app.env):
        app.add_js_file(FILTER_SCRIPT, defer="defer")


def visit_details_html(self, node: bibtex_details) -> None:
    self.body.append('<details class="llmkb-bibtex"><summary>BibTeX</summary>')


def depart_details_html(self, node: bibtex_details) -> None:
    self.body.append("</details>")


BIBTEX_SOURCE = "llmkb-bibtex-source"
#: what sphinx-copybutton must also match (added to copybutton_selector by ``setup_html``)
COPY_SELECTOR = f"div.{BIBTEX_SOURCE} > code"


def visit_bibtex_source_html(self, node: bibtex_source) -> None:
    """A ``<code>`` block styled like the theme's code blocks (llmkb.css), without Pygments.

    Not a ``<pre>``: on load, pydata-sphinx-theme reads the scroll size of every ``<pre>`` on the
    page and writes its tabindex, and for a ``<pre>`` inside a closed ``<details>`` each read
    forced a fresh layout — 227 layouts, ~0.7 s on a desktop (seconds on a phone) for the paper
    index. Nor Pygments colours: ~40 spans per entry made that page 10,000 DOM nodes.
    ``white-space: pre-wrap`` keeps the text exactly as a ``<pre>`` shows it.
    """
    self.body.append(f'<div class="highlight {BIBTEX_SOURCE}"><code>{self.encode(node.astext())}</code></div>\n')
    raise nodes.SkipNode


def add_copy_selector(app, config) -> None:
    """Let sphinx-copybutton put its button on BibTeX blocks too."""
    if "sphinx_copybutton" in app.extensions and COPY_SELECTOR not in config.copybutton_selector:
        config.copybutton_selector = f"{config.copybutton_selector}, {COPY_SELECTOR}"


def _skip(self, node) -> None:
    raise nodes.SkipNode


def visit_citation_html(self, node: nodes.citation) -> None:
    """A bibliography entry as a list item of its citation list (docutils writes the DPUB role
    ``doc-biblioentry``, deprecated in DPUB-ARIA 1.1 and not a valid child of ``role="list"``)."""
    if not isinstance(node.previous_sibling(), type(node)):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def depart_citation_html(self, node: nodes.citation) -> None:
    self.body.append("</div>\n")
    if not isinstance(node.next_node(descend=False, siblings=True), type(node)):
        self.body.append("</div>\n")


def setup_html(app) -> None:
    """Register ``paper_row``, the bibliography markup and the paper filter script (called from
    the extension's ``setup``)."""
    plain = (visit_paper_row, depart_paper_row)
    skip = (_skip, None)  # the BibTeX block is for readers of the HTML; other formats cite the .bib
    app.add_node(bibtex_details, html=(visit_details_html, depart_details_html),
                 latex=skip, text=skip, man=skip, texinfo=skip)
    app.add_node(bibtex_source, html=(visit_bibtex_source_html, None),
                 latex=skip, text=skip, man=skip, texinfo=skip)
    app.add_node(paper_row, html=(visit_paper_row_html, depart_paper_row),
                 latex=plain, text=plain, man=plain, texinfo=plain)
    app.add_node(nodes.citation, override=True, html=(visit_citation_html, depart_citation_html))
    app.connect("html-page-context", add_filter_script)
    app.connect("config-inited", add_copy_selector, priority=400)  # before sphinx-copybutton reads it


def filter_form_html(papers: Sequence[Paper]) -> str:
    """The paper index's filter form (paper-filter.js wires it up), written at build time.

    In the page from the first paint, so inserting it does not push the tables down (Lighthouse
    measured a layout shift of 0.11 when the script built it); llmkb.css hides it where scripting
    is off, and the table stays complete. Every value is escaped: venues come from refs.bib.
    """
    def options(pairs: Iterable[tuple[str, str]]) -> str:
        return "".join(f'<option value="{html.escape(v)}">{html.escape(label)}</option>' for v, label in pairs)

    def field(id_: str, label: str, control: str) -> str:
        return f'<div class="llmkb-filter-field"><label for="{id_}">{label}</label>{control}</div>'

    def select(id_: str, first: tuple[str, str], pairs: Iterable[tuple[str, str]]) -> str:
        return f'<select id="{id_}" name="{id_}">{options([first, *pairs])}</select>'

    topics = [(t.id, t.title) for t in T.TOPICS if any(t.id in p.topics for p in papers)]
    years = sorted({p.year for p in papers if p.year}, reverse=True)
    venues = sorted({p.venue for p in papers if p.venue}, key=lambda v: (v.casefold(), v))
    text = ('<input id="llmkb-filter-text" name="q" type="search" '
            'placeholder="标题或作者，如 LoRA、Hinton">')
    return "".join([
        '<form class="llmkb-paper-filter" role="search" aria-label="筛选论文">',
        field("llmkb-filter-text", "标题 / 作者", text),
        field("llmkb-filter-topic", "主题", select("llmkb-filter-topic", ("", "全部主题"), topics)),
        field("llmkb-filter-year", "年份", select("llmkb-filter-year", ("", "全部年份"), [(y, y) for y in years])),
        field("llmkb-filter-venue", "发表于", select("llmkb-filter-venue", ("", "全部出处"), [(v, v) for v in venues])),
        field("llmkb-filter-sort", "排序", select("llmkb-filter-sort", ("newest", "最新在前"),
                                                 [("oldest", "最早在前"), ("title", "按标题"), ("venue", "按发表处")])),
        '<button type="reset" class="llmkb-filter-reset">清除筛选</button>',
        '<p class="llmkb-filter-status" role="status" aria-live="polite"></p>',
        "</form>",
    ])


def select(papers: Iterable[Paper], topic: str, tags: Sequence[str] = ()) -> list[Paper]:
    t = T.topic(topic)  # KeyError with the list of known topics
    unknown = [tag for tag in tags if tag not in t.tags]
    if unknown:
        known = ", ".join(t.tags) or "none"
        raise SelectionError(f"topic '{topic}' has no tag {', '.join(map(repr, unknown))}; its tags: {known}")
    chosen = [p for p in papers if topic in p.topics and (not tags or set(tags) & set(p.tags))]
    if not chosen:
        what = f"topic '{topic}'" + (f" with tag {', '.join(tags)}" if tags else "")
        raise SelectionError(f"no refs.bib entry has {what}; add keywords/tags to the entries, or remove this table")
    return chosen


def sort(papers: Iterable[Paper], order: str = "newest") -> list[Paper]:
    if order not in SORTS:
        raise SelectionError(f"unknown sort {order!r}; use one of: {', '.join(SORTS)}")
    return sorted(papers, key=SORTS[order], reverse=order in REVERSED)


def _para(*children: nodes.Node, classes: Sequence[str] = ()) -> nodes.paragraph:
    para = nodes.paragraph("", "", *children)
    para["classes"].extend(classes)
    return para


def _link(text: str, uri: str, classes: Sequence[str] = ()) -> nodes.reference:
    ref = nodes.reference("", "", nodes.Text(text), refuri=uri, internal=False)
    ref["classes"].extend(classes)
    return ref


def title_cell(paper: Paper, topic_links: Callable[[Paper], list[nodes.Node]] | None = None) -> nodes.entry:
    cell = nodes.entry()
    title = _link(paper.title, paper.url, ["llmkb-title"]) if paper.url else nodes.strong("", paper.title)
    line = _para(title)
    if paper.code:
        line += nodes.Text(" ")
        line += _link("代码", paper.code, ["llmkb-code"])
    cell += line
    cell += _para(nodes.Text(paper.short_authors()), classes=["llmkb-authors"])
    if topic_links:
        links = topic_links(paper)
        if links:
            cell += _para(*links, classes=["llmkb-topics"])
    # no-search: Sphinx's search index skips the block; the row already holds its title and
    # authors, and indexing every entry's BibTeX again doubled the Chinese tokenizer's work
    details = bibtex_details(classes=["no-search"])
    bibtex = format_entry(paper)
    block = bibtex_source(bibtex, bibtex)
    details += block
    cell += details
    return cell


def text_cell(text: str) -> nodes.entry:
    return nodes.entry("", _para(nodes.Text(text)))


def table(papers: Sequence[Paper], cite: Callable[[Paper], list[nodes.Node]],
          topic_links: Callable[[Paper], list[nodes.Node]] | None = None,
          caption: str | None = None) -> nodes.table:
    """A table of papers: title (linked) + code + BibTeX, kind, venue, date, citation."""
    tbl = nodes.table(classes=["llmkb-paper-table"])
    if caption:
        tbl += nodes.title(caption, caption)
    group = nodes.tgroup(cols=len(COLUMNS))
    tbl += group
    for _, width in COLUMNS:
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    group += head
    row = nodes.row()
    for name, _ in COLUMNS:
        row += text_cell(name)
    head += row
    body = nodes.tbody()
    group += body
    for paper in papers:
        row = paper_row(ids=[], classes=["llmkb-paper"])
        row["data"] = row_data(paper)
        row += title_cell(paper, topic_links)
        row += text_cell(paper.kind)
        row += text_cell(paper.venue)
        row += text_cell(paper.date)
        row += nodes.entry("", _para(*cite(paper)))
        body += row
    return tbl
