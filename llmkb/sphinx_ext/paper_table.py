"""Paper tables: select papers from refs.bib and render them as docutils nodes.

Everything here is a plain function over ``Paper`` objects; the directives in
``directives.py`` only parse options and call these. Every bib value is kept as plain
text and escaped by the writer (``encode``/``attval`` of the HTML translator, Text nodes
for other builders): a title that holds ``<script>`` or MyST markup is shown as text,
never interpreted.
"""

from __future__ import annotations

import html
import re
from typing import Callable, Iterable, Sequence

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from ..bib import notes
from ..bib import topics as T
from ..bib.papers import Paper, by_topic
from ..cite import dialog as cite_dialog
from ..cite import dialog_files
from . import library, page_bib
from .safe_links import is_safe_uri

SORTS: dict[str, Callable[[Paper], tuple]] = {
    "newest": lambda p: (p.date, p.key),
    "oldest": lambda p: (p.date, p.key),
    "title": lambda p: (p.title.lower(), p.key),
}
REVERSED = {"newest"}

COLUMNS: tuple[tuple[str, int], ...] = (("论文", 52), ("类型", 16), ("发表于", 13), ("日期", 11), ("引用", 8))


class SelectionError(ValueError):
    """A paper-table whose options select nothing, or name unknown things."""


class paper_row(nodes.row):
    """One paper's table row, held compactly: its fields as attributes, not as cells.

    A row drawn as docutils nodes (cells, paragraphs, links, the BibTeX block) is ~24 nodes,
    and every post-transform, the HTML writer and the search indexer walk each of them; with
    10,000 papers that was most of the build (benchmarks/README.md). So the doctree keeps

    * ``node["paper"]``: the row's text fields (:func:`row_fields`), written by
      :func:`visit_paper_row_html` with the writer's own escaping;
    * ``node["data"]``: the ``<tr>``'s ``data-*`` attributes (:func:`row_data`);
    * ``node[0]``: the topic links and ``node[1]``: the citation — real cross-references,
      resolved like any other;
    * ``node[2]``: one Text of the words a reader may search for (never written out).

    Builders other than HTML get the full docutils row (:func:`expand_row`, run by
    :class:`ExpandPaperRows` before references resolve), so LaTeX, text and linkcheck see
    ordinary cells and links. For HTML, no later transform has anything to do in the fields:
    they hold no cross-references, and the title and code links never show their own URL (the
    theme rewrites only links whose text is their URL).
    """


#: One clause of a row's relations line: (words before, [(key, short name)], words after), e.g.
#: ("改进", [("hu2021lora", "LoRA")], "") or ("被", [("dettmers2023qlora", "QLoRA")], "改进").
RelationGroup = tuple[str, list[tuple[str, str]], str]


#: papers a row names for each kind of back-link ("被 … 改进"), newest first. A landmark paper
#: collects back-links as the library grows: the Transformer has 20 in today's book (12 of one
#: kind), 380 in the book grown to 10,000 entries, a row of 33 KB. Each is also on the newer
#: paper's own row, as its forward relation.
BACK_LINKS = 12


def relation_groups(paper: Paper, back: dict[str, list[tuple[str, str]]],
                    names: dict[str, str], dates: dict[str, str] | None = None) -> list[RelationGroup]:
    """The relations line of a paper's row in the paper index: what it builds on, improves or
    compares with, then who builds on, improves or compares with it (``notes.back_links``): at
    most BACK_LINKS of each, the newest by ``dates`` (key -> date), and how many there are.
    ``names`` maps every key to a short name (``notes.short_names``); unknown keys are left out
    (check reports them)."""
    out: list[RelationGroup] = []
    for verb in notes.VERBS:
        targets = [(r.key, names[r.key]) for r in notes.relations(paper) if r.verb == verb and r.key in names
                   and r.key != paper.key]
        if targets:
            out.append((verb, targets, ""))
    for verb in notes.VERBS:
        newer = [(k, names[k]) for v, k in back.get(paper.key, ()) if v == verb and k in names]
        if len(newer) > BACK_LINKS:
            if dates is not None:
                newer.sort(key=lambda item: dates.get(item[0], ""), reverse=True)
            out.append(("被", newer[:BACK_LINKS], f"等 {len(newer)} 篇{notes.BACK_VERBS[verb]}"))
        elif newer:
            out.append(("被", newer, notes.BACK_VERBS[verb]))
    return out


def relations_html(groups: Sequence[RelationGroup], encode, attval,
                   href: Callable[[str], str | None] = lambda key: "#" + notes.row_id(key)) -> str:
    """Each named paper links to its row (``href(key)``: ``#paper-<key>`` on the same page, or the
    row on the paper's listing page); a paper whose row is nowhere is named without a link."""
    def link(key: str, name: str) -> str:
        url = href(key)
        return f'<a href="{attval(url)}">{encode(name)}</a>' if url else encode(name)

    def clause(before: str, papers: Sequence[Sequence[str]], after: str) -> str:
        links = "、".join(link(k, name) for k, name in papers)
        return f"{encode(before)} {links}" + (f" {encode(after)}" if after else "")

    return " · ".join(clause(*g) for g in groups)


def relations_text(groups: Sequence[RelationGroup]) -> str:
    return " · ".join(f"{before} {'、'.join(name for _, name in papers)}" + (f" {after}" if after else "")
                      for before, papers, after in groups)


def _safe(uri: str | None) -> str:
    return uri if uri and is_safe_uri(uri) and "://" in uri else ""


def row_fields(paper: Paper) -> dict[str, str]:
    """What a row shows, as plain text (the writer escapes it)."""
    return {
        # the writer puts these in href itself: only http(s) (check warns about anything else;
        # a non-strict build must still not write it as a link)
        "title": paper.title, "url": _safe(paper.url), "code": _safe(paper.code),
        "authors": paper.short_authors(), "kind": paper.kind, "venue": paper.venue, "date": paper.date,
        # the one-line note (issue 18), shown under the authors; absent keys cost nothing per row
        **({"summary": s} if (s := notes.summary(paper)) else {}),
        # not the citation dialog's BibTeX, GB/T 7714 and APA: the HTML site loads them from a file
        # (cite/dialog_files) and other builders format them when writing the row, so reading no
        # longer formats every paper's references, nor pickles them into every doctree
    }


#: elements of a row as :func:`visit_paper_row_html` writes it, before its optional parts: the tr;
#: the first cell's td, title p and link, authors p, and the dialog's details, summary and link;
#: the kind, venue and date tds; the citation's td, span and link (tests/test_page_weight.py counts them)
ROW_ELEMENTS = 14
#: elements of a table around its rows: the scroll box, table, thead, its row and five headers,
#: tbody; and the line under a trimmed table with its link
TABLE_ELEMENTS = 13


def row_elements(paper: Paper, topic_links: int = 0, relation_links: int = 0) -> int:
    """Elements of ``paper``'s row in the HTML page (paging weighs a page's tables with it): the
    code link, the note, the topics line and the relations line each add theirs."""
    fields = row_fields(paper)
    return (ROW_ELEMENTS + bool(fields["code"]) + ("summary" in fields)
            + (1 + topic_links if topic_links else 0) + (1 + relation_links if relation_links else 0))


def row_data(paper: Paper) -> dict[str, str]:
    """The ``data-*`` attributes of a paper's row (plain text; the HTML writer escapes them).

    Only what the filter needs and the row does not already hold: it reads the title from the
    row and the full author list from the row's BibTeX (a copy in an attribute was a fifth of
    the paper index's bytes)."""
    return {
        "data-key": paper.key,
        "data-year": paper.year,
        "data-date": paper.date,
        "data-venue": paper.venue,
        "data-topics": " ".join(paper.topics),
    }


def row(paper: Paper, cite: Sequence[nodes.Node], topic_links: Sequence[nodes.Node] = (),
        relations: Sequence[RelationGroup] = ()) -> paper_row:
    node = paper_row(classes=["llmkb-paper"])
    node["data"] = row_data(paper)
    node["paper"] = fields = row_fields(paper)
    if relations:
        fields["relations"] = [list(group) for group in relations]
    node += nodes.inline("", "", *topic_links, classes=["llmkb-topics"])
    node += nodes.inline("", "", *cite)
    # what the search index saw when rows were cells (the BibTeX block was never indexed). Not
    # when the library is larger than the paper index holds (paging): the index every reader
    # downloads to search would grow with it (10,000 papers: 274 KB gzipped, the search page
    # 383 KB); the paper index's filter then searches every paper, and the search box the prose
    from . import paging

    words = [fields["title"], "代码" if fields["code"] else "", fields["authors"],
             fields["kind"], fields["venue"], fields["date"], fields.get("summary", "")]
    node += nodes.Text("\n".join(w for w in words if w) if paging.current().index_full else "")
    return node


BIBTEX_SOURCE = "llmkb-bibtex-source"
#: each BibTeX block's copy button, written with the block (static/llmkb-bibtex.js handles clicks)
COPY_BUTTON = '<button class="llmkb-copy" type="button" aria-label="复制这条 BibTeX"></button>'
BIBTEX_SCRIPT = "llmkb-bibtex.js"


def _row_href(self) -> Callable[[str], str | None]:
    """key -> URL of the paper's row from the page being written: on this page when it has the
    row, else on the paper's listing page (paging), else None. The page's row ids are collected
    once per page."""
    from . import paging

    document = self.document
    if getattr(self, "_llmkb_rows_of", None) is not document:
        self._llmkb_rows_of = document
        self._llmkb_rows = {i for n in document.findall(paper_row) for i in n["ids"]}
    rows, plan = self._llmkb_rows, paging.current()

    def href(key: str) -> str | None:
        rid = notes.row_id(key)
        if rid in rows:
            return "#" + rid
        doc = plan.home.get(key)
        if doc is None:
            return None
        return self.builder.get_relative_uri(self.builder.current_docname, doc) + "#" + rid
    return href


def _page_bib_href(self) -> str:
    """The page's own .bib file (llmkb/sphinx_ext/page_bib.py), relative to the page being written: every
    row's entry is in it (a row cites its paper), so it is the closed dialog's no-script fallback."""
    docname = self.builder.current_docname
    return page_bib.href(self.builder, docname, page_bib.bib_uri(docname))


#: what Sphinx writes inside a resolved :doc: link; the link's own text is enough
_DOC_SPAN = re.compile(r'<span class="doc">(.*?)</span>', re.S)


def visit_paper_row_html(self, node: paper_row) -> None:
    """The whole ``<tr>`` in one pass: the expanded row's content, in leaner markup.

    The BibTeX is a ``<code>`` block styled like the theme's code blocks (llmkb.css), inside a
    closed ``<details>``. Not a ``<pre>``: on load, pydata-sphinx-theme reads the scroll size of
    every ``<pre>`` on the page and writes its tabindex, and for a ``<pre>`` inside a closed
    ``<details>`` each read forced a fresh layout — 227 layouts, ~0.7 s on a desktop (seconds on
    a phone) for the paper index. Nor Pygments colours: ~40 spans per entry made that page 10,000
    DOM nodes. ``white-space: pre-wrap`` keeps the text exactly as a ``<pre>`` shows it.

    Single-value cells hold their text without a ``<p>``, topic links have no inner ``<span>``,
    and the row's own citation has no tooltip (it would repeat the row): on the paper index that
    was 1,400 elements and 9 KB (gzipped) less to send and lay out.
    """
    paper, encode = node["paper"], self.encode
    on_demand = self.builder.name in dialog_files.BUILDERS
    self.visit_row(node)  # Sphinx's own row (row-odd/row-even striping), then add the data
    self.body[-1] = self.starttag(node, "tr", "", **node.get("data", {}))
    if paper["url"]:
        title = f'<a class="llmkb-title reference external" href="{self.attval(paper["url"])}">{encode(paper["title"])}</a>'
    else:
        title = f"<strong>{encode(paper['title'])}</strong>"
    if paper["code"]:
        title += f' <a class="llmkb-code reference external" href="{self.attval(paper["code"])}">代码</a>'
    self.body.append(f'<td><p>{title}</p>\n<p class="llmkb-authors">{encode(paper["authors"])}</p>\n')
    if "summary" in paper:
        self.body.append(f'<p class="llmkb-summary">{encode(paper["summary"])}</p>\n')
    if "relations" in paper:
        self.body.append(f'<p class="llmkb-relations">{relations_html(paper["relations"], encode, self.attval, _row_href(self))}</p>\n')
    topics, cite = node[0], node[1]
    if len(topics):
        self.body.append('<p class="llmkb-topics">')
        start = len(self.body)
        for child in topics.children:
            child.walkabout(self)
        self.body[start:] = [_DOC_SPAN.sub(r"\1", "".join(self.body[start:]))]
        self.body.append("</p>\n")
    if on_demand:  # the content is loaded when the dialog is first opened (llmkb/cite/dialog_files.py)
        self.body.append(cite_dialog.closed_html(_page_bib_href(self), self.attval) + "</td>\n")
    else:
        dialog = dialog_files.fields(library.paper(node["data"]["data-key"]))  # BibTeX, GB/T 7714, APA (llmkb/cite)
        self.body.append(cite_dialog.html(dialog, encode) + "</td>\n")
    self.body.extend(f"<td>{encode(paper[name])}</td>\n" for name in ("kind", "venue", "date"))
    self.body.append("<td>")
    for reference in cite.findall(nodes.reference):
        reference.attributes.pop("reftitle", None)
    for child in cite.children:
        child.walkabout(self)
    self.body.append("</td>\n")
    self.depart_row(node)
    raise nodes.SkipNode


def _para(*children: nodes.Node, classes: Sequence[str] = ()) -> nodes.paragraph:
    para = nodes.paragraph("", "", *children)
    para["classes"].extend(classes)
    return para


def _link(text: str, uri: str, classes: Sequence[str] = ()) -> nodes.reference:
    ref = nodes.reference("", "", nodes.Text(text), refuri=uri, internal=False)
    ref["classes"].extend(classes)
    return ref


def _text_cell(text: str) -> nodes.entry:
    return nodes.entry("", _para(nodes.Text(text)))


def expand_row(node: paper_row) -> nodes.row:
    """The row as plain docutils cells (for builders other than HTML; the BibTeX block is left
    out: it is for readers of the HTML, other formats cite the page's .bib)."""
    paper = node["paper"]
    full = nodes.row(classes=list(node["classes"]))
    title = (_link(paper["title"], paper["url"], ["llmkb-title"]) if paper["url"]
             else nodes.strong("", paper["title"]))
    line = _para(title)
    if paper["code"]:
        line += nodes.Text(" ")
        line += _link("代码", paper["code"], ["llmkb-code"])
    cell = nodes.entry("", line, _para(nodes.Text(paper["authors"]), classes=["llmkb-authors"]))
    if "summary" in paper:
        cell += _para(nodes.Text(paper["summary"]), classes=["llmkb-summary"])
    if "relations" in paper:
        # plain text: the LaTeX and text editions have no anchor on a table row to link to
        cell += _para(nodes.Text(relations_text(paper["relations"])), classes=["llmkb-relations"])
    topics, cite = node[0], node[1]
    if len(topics):
        cell += _para(*topics.children, classes=["llmkb-topics"])
    full += cell
    for name in ("kind", "venue", "date"):
        full += _text_cell(paper[name])
    full += nodes.entry("", _para(*cite.children))
    return full


class ExpandPaperRows(SphinxPostTransform):
    """Compact rows become plain docutils rows for every builder that does not write HTML."""

    default_priority = 5  # before cross-references resolve (10): later transforms see ordinary nodes

    def is_supported(self) -> bool:
        return self.app.builder.format != "html"

    def run(self, **kwargs) -> None:
        for node in list(self.document.findall(paper_row)):
            node.replace_self(expand_row(node))


FILTER_SCRIPT = "paper-filter.js"


def add_filter_script(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Serve the paper filter (llmkb/sphinx_ext/static/paper-filter.js) only on pages with a paper
    index and its filter form (not on a part's index: it has no form)."""
    from . import paging

    if pagename in library.index_pages(app.env) and pagename not in paging.current().parts:
        app.add_js_file(FILTER_SCRIPT, defer="defer")


def visit_table_html(self, node: nodes.table) -> None:
    """Paper tables scroll in a box of their own, always reachable by keyboard.

    The theme wraps every table in ``div.pst-scrollable-table-container``, and on load its script
    reads each such box's scroll width and then writes its tabindex: with the paper index's 22
    tables that is 22 full layouts of a 5,000-element page (0.3 s of a throttled phone's main
    thread). A paper table's box gets ``tabindex="0"`` when it is written instead.
    """
    start = len(self.body)
    self.llmkb_table_starts = getattr(self, "llmkb_table_starts", []) + [start]
    type(self).visit_table(self, node)  # the theme's (or Sphinx's) own table markup
    if "llmkb-paper-table" in node["classes"]:
        for i in range(start, len(self.body)):  # only what this table wrote (no box with other themes)
            if self.body[i] == '<div class="pst-scrollable-table-container">':
                self.body[i] = '<div class="llmkb-table-scroll" tabindex="0">'
                break


#: a header cell of a paper table as Sphinx writes it: its one word in a paragraph of its own
_HEAD_CELL = re.compile(r'(<th class="head">)<p>([^<]*)</p>\n?(</th>)')


def depart_table_html(self, node: nodes.table) -> None:
    """A paper table's header cells hold their words without a ``<p>`` (as its rows' cells do,
    ``visit_paper_row_html``): five elements fewer in every paper table, ~325 on the paper index
    of 65 topics, where a page may have 5,000 (issue 19)."""
    type(self).depart_table(self, node)
    start = self.llmkb_table_starts.pop()
    if "llmkb-paper-table" in node["classes"]:
        written = "".join(self.body[start:])
        del self.body[start:]
        self.body.append(_HEAD_CELL.sub(r"\1\2\3", written))


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
    app.add_node(paper_row, override=True, html=(visit_paper_row_html, None))
    app.add_post_transform(ExpandPaperRows)
    app.add_node(nodes.citation, override=True, html=(visit_citation_html, depart_citation_html))
    app.add_node(nodes.table, override=True, html=(visit_table_html, depart_table_html))
    app.connect("html-page-context", add_filter_script)
    # BibTeX copy buttons: one click listener per page (page_assets keeps it to pages with BibTeX);
    # sphinx-copybutton built a button per block at load, 249 of them on the paper index
    app.add_js_file(BIBTEX_SCRIPT, defer="defer")
    dialog_files.setup(app)  # and the dialogs' content, loaded by that script when one is opened


def filter_form_html(papers: Sequence[Paper], data: str | None = None) -> str:
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

    has = by_topic(papers)
    topics = [(t.id, t.title) for t in T.TOPICS if t.id in has]
    years = sorted({p.year for p in papers if p.year}, reverse=True)
    venues = sorted({p.venue for p in papers if p.venue}, key=lambda v: (v.casefold(), v))
    text = ('<input id="llmkb-filter-text" name="q" type="search" '
            'placeholder="标题或作者，如 LoRA、Hinton">')
    return "".join([
        # data: the URL of the library's data file when the page does not hold every row (paging)
        '<form class="llmkb-paper-filter" role="search" aria-label="筛选论文"'
        + (f' data-src="{html.escape(data)}">' if data else ">"),
        field("llmkb-filter-text", "标题 / 作者", text),
        field("llmkb-filter-topic", "主题", select("llmkb-filter-topic", ("", "全部主题"), topics)),
        field("llmkb-filter-year", "年份", select("llmkb-filter-year", ("", "全部年份"), [(y, y) for y in years])),
        field("llmkb-filter-venue", "发表于", select("llmkb-filter-venue", ("", "全部出处"), [(v, v) for v in venues])),
        field("llmkb-filter-sort", "排序", select("llmkb-filter-sort", ("newest", "最新在前"),
                                                 [("oldest", "最早在前"), ("title", "按标题"), ("venue", "按发表处")])),
        '<button type="reset" class="llmkb-filter-reset">清除筛选</button>',
        '<p class="llmkb-filter-status" role="status" aria-live="polite"></p>',
        "</form>",
        # where the data-file mode shows what it found (paper-filter.js)
        '<div class="llmkb-filter-results" hidden></div>' if data else "",
    ])


def select(papers: Iterable[Paper], topic: str, tags: Sequence[str] = ()) -> list[Paper]:
    t = T.topic(topic)  # KeyError with the list of known topics
    unknown = [tag for tag in tags if tag not in t.tags]
    if unknown:
        known = ", ".join(t.tags) or "none"
        raise SelectionError(f"topic '{topic}' has no tag {', '.join(map(repr, unknown))}; its tags: {known}")
    chosen = [p for p in by_topic(papers).get(topic, ()) if not tags or set(tags) & set(p.tags)]
    if not chosen:
        what = f"topic '{topic}'" + (f" with tag {', '.join(tags)}" if tags else "")
        raise SelectionError(f"no refs.bib entry has {what}; add keywords/tags to the entries, or remove this table")
    return chosen


def sort(papers: Iterable[Paper], order: str = "newest") -> list[Paper]:
    if order not in SORTS:
        raise SelectionError(f"unknown sort {order!r}; use one of: {', '.join(SORTS)}")
    return sorted(papers, key=SORTS[order], reverse=order in REVERSED)


def table(papers: Sequence[Paper], cite: Callable[[Paper], list[nodes.Node]],
          topic_links: Callable[[Paper], list[nodes.Node]] | None = None,
          caption: str | None = None,
          relations: Callable[[Paper], Sequence[RelationGroup]] | None = None) -> nodes.table:
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
    names = nodes.row()
    for name, _ in COLUMNS:
        names += _text_cell(name)
    head += names
    body = nodes.tbody()
    group += body
    for paper in papers:
        body += row(paper, cite(paper), topic_links(paper) if topic_links else (),
                    relations(paper) if relations else ())
    return tbl
