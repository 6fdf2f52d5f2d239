"""Paper tables: select papers from refs.bib and render them as docutils nodes.

Everything here is a plain function over ``Paper`` objects; the directives in
``directives.py`` only parse options and call these. Every bib value enters the
doctree as a Text node (or a URI attribute), so docutils escapes it: a title that
holds ``<script>`` or MyST markup is shown as text, never interpreted.
"""

from __future__ import annotations

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
    app.add_node(paper_row, html=(visit_paper_row_html, depart_paper_row),
                 latex=plain, text=plain, man=plain, texinfo=plain)
    app.add_node(nodes.citation, override=True, html=(visit_citation_html, depart_citation_html))
    app.connect("html-page-context", add_filter_script)


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
    details = bibtex_details()
    bibtex = format_entry(paper)
    block = nodes.literal_block(bibtex, bibtex, language="bibtex")
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
