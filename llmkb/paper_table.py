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
    block = nodes.literal_block(format_entry(paper), format_entry(paper), language="bibtex")
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
        row = nodes.row(ids=[], classes=["llmkb-paper"])
        row["llmkb-key"] = paper.key
        row += title_cell(paper, topic_links)
        row += text_cell(paper.kind)
        row += text_cell(paper.venue)
        row += text_cell(paper.date)
        row += nodes.entry("", _para(*cite(paper)))
        body += row
    return tbl
