"""How many paper rows a page shows, and the listing pages that hold every row (issue 19).

A row is 14 to 20 elements on a topic page and ~600 bytes (gzipped) of HTML: title, authors, note,
the citation dialog, and on the paper index and listing pages its topics and relations
(paper_table.row_elements). A book of 10,000 papers listed in full on its topic pages and its paper
index made pages of 15,000 rows (26 MB). So every page has a budget:

* a topic page's paper tables show at most ``page_rows`` rows together, and no more than fit,
  with the page's own elements (its prose, formulas and bibliography, estimated from its source by
  :mod:`page_weight`), in ``page_elements`` (:func:`fit_rows`): a page of 250 formulas has room
  for fewer rows than a page of prose. Within budget (every page of today's book), nothing
  changes; beyond it, each table keeps its first rows in its own order, in proportion to its size
  (:func:`shares`), and says how many it leaves out and where they are;
* the rest of a topic's papers are on its **listing pages**, ``listing_rows`` complete rows each,
  newest first, generated before the build reads any page (:func:`write_listings`) under
  ``docs/_generated/papers/<topic>/<n>.md``;
* the paper index shows every row while the library has at most ``index_rows`` of them (a paper
  counts once per topic); beyond that, the newest few of each topic and links to its listing
  pages, and the filter searches a data file it fetches on first use (``write_data``);
* a part's paper index (``paper-index`` with ``:part:``) shows that part's topics only, and so
  has room for more of each topic's newest (at most ``part_topic_rows``) when the whole library's
  index is down to one row a topic or fewer.

Everything here is a plain function of refs.bib and the pages' sources, so a page's share of rows
is known before the page is read: the directives, the lineage graph and the reading paths ask
:func:`current` where a paper's row is.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence

from bs4 import BeautifulSoup

from ..bib import notes
from ..bib import topics as T
from ..bib.papers import Paper
from ..cite.dialog_files import js_value
from . import page_source, page_weight, paper_table
from .page_bib import write_if_changed

#: an element's start tag in HTML
_TAG = re.compile(r"<[A-Za-z]")

#: the listing pages' folder in the source directory (docs/_generated is ignored by git)
LISTING_DIR = "_generated/papers"
#: boxes a lineage graph draws at most (llmkb_graph_nodes; today's largest graph has 56)
GRAPH_NODES = 60
#: arrows a lineage graph draws at most (about: llmkb.plots.lineage.cap)
GRAPH_EDGES = 80
#: a table never shows fewer rows than this when it has them (a share of 0 would hide a tag)
FLOOR = 3
#: what the paper-index filter loads when the index does not hold every row: a script (a fetch()
#: of a JSON file is refused on a book opened from disk, file://), defining window.llmkbPapers
DATA_FILE = "_static/llmkb-papers.js"


@dataclass(frozen=True)
class Budget:
    page_rows: int = 80
    listing_rows: int = 100
    index_rows: int = 600
    index_topic_rows: int = 2
    #: elements a topic page may have, its own and its tables' together: issue 19's 5,000, less a
    #: margin for the estimate of its own (page_weight: at most 39 under on today's pages). The
    #: landmark page is estimated at 4,855 today, with every row; optimization at 4,598
    page_elements: int = 4900
    graph_nodes: int = GRAPH_NODES
    #: a part's paper index: at most this many of each of its topics' newest
    part_topic_rows: int = 5

    @classmethod
    def from_config(cls, config) -> "Budget":
        return cls(config.llmkb_page_rows, config.llmkb_listing_rows, config.llmkb_index_rows,
                   config.llmkb_index_topic_rows, config.llmkb_page_elements, config.llmkb_graph_nodes,
                   config.llmkb_part_topic_rows)


def shares(sizes: Sequence[int], budget: int) -> list[int]:
    """Rows shown by each of a page's tables (sizes in page order): all of them when they add up
    to at most ``budget``; otherwise ``budget`` shared in proportion to the sizes (largest
    remainder, earlier table first on ties), each table keeping at least ``FLOOR`` rows, or an
    equal part of the budget when that is smaller, and never less than one."""
    if sum(sizes) <= budget:
        return list(sizes)
    least = max(min(FLOOR, budget // len(sizes)), 1)
    floor = [min(s, least) for s in sizes]
    rest = max(budget - sum(floor), 0)
    extra = [s - f for s, f in zip(sizes, floor)]
    total = sum(extra)
    exact = [rest * e / total if total else 0 for e in extra]
    share = [int(x) for x in exact]
    order = sorted(range(len(sizes)), key=lambda i: (-(exact[i] - share[i]), i))
    for i in order[: rest - sum(share)]:
        share[i] += 1
    return [f + min(s, e) for f, s, e in zip(floor, share, extra)]


def graph_size(papers: Iterable[Paper], boxes: int) -> tuple[int, int]:
    """(boxes, arrows) the lineage graph of a topic whose papers are ``papers`` draws at most:
    the papers a relation links within the topic, and those links, as llmkb.plots.lineage caps
    them (``boxes``: llmkb_graph_nodes)."""
    pairs = {(newer, older) for newer, older, _ in notes.edges(papers)}
    return min(len({key for pair in pairs for key in pair}), boxes), min(len(pairs), GRAPH_EDGES)


def papers_by_topic(papers: Iterable[Paper]) -> dict[str, list[Paper]]:
    """topic id -> its papers, newest first (every topic, the empty ones too)."""
    index = paper_table.by_topic(papers)
    return {t.id: paper_table.sort(index.get(t.id, ())) for t in T.TOPICS}


def graph_sizes(by_topic: Mapping[str, Sequence[Paper]], boxes: int) -> Callable[[str], tuple[int, int]]:
    """topic -> :func:`graph_size` of its papers (``by_topic``: :func:`papers_by_topic`), each
    topic's computed once."""
    return functools.cache(lambda topic: graph_size(by_topic.get(topic, ()), boxes))


def row_weights(papers: Iterable[Paper]) -> Callable[[str], int]:
    """key -> the elements of the paper's row in a topic page's table (no topics or relations
    line: paper_table.row_elements), each paper's computed once."""
    by_key = {p.key: p for p in papers}
    return functools.cache(lambda key: paper_table.row_elements(by_key[key]))


def tables_elements(tables: Sequence[Sequence[str]], rows: Sequence[int], weight: Callable[[str], int]) -> int:
    """Elements of a page's paper tables (``tables``: each one's keys) showing their first
    ``rows``: each table's own, and each shown row's (``weight``: a key's elements)."""
    return sum(paper_table.TABLE_ELEMENTS + sum(weight(k) for k in keys[:n]) for keys, n in zip(tables, rows))


def fit_rows(tables: Sequence[Sequence[str]], own: int, budget: Budget, weight: Callable[[str], int]) -> list[int]:
    """Rows shown by each of a page's tables (``tables``: each one's keys, in its order): the
    :func:`shares` of the largest total, at most ``page_rows``, whose rows (``weight``: a key's
    elements) and tables, with the page's ``own`` elements, fit in ``page_elements``. When not
    even one row per table fits, one row per table (the page's own text is over budget: split
    the page)."""
    sizes = [len(keys) for keys in tables]
    limit = min(budget.page_rows, sum(sizes))
    while True:
        rows = shares(sizes, limit)
        if own + tables_elements(tables, rows, weight) <= budget.page_elements or limit <= len(sizes):
            return rows
        limit -= 1


@dataclass
class Plan:
    """Where every row is shown, for one build."""

    budget: Budget
    #: docname -> rows shown by each of its paper-tables (page order); pages within budget are absent
    trimmed: dict[str, list[int]] = field(default_factory=dict)
    #: docname -> the keys its trimmed tables still show
    shown: dict[str, set[str]] = field(default_factory=dict)
    #: topic id -> its listing pages, each a list of keys (newest first); topics without listings absent
    listings: dict[str, list[list[str]]] = field(default_factory=dict)
    #: does the paper index hold every row?
    index_full: bool = True
    #: the page with the paper index, if the book has one
    index_doc: str = ""
    #: when the index cannot hold every row: how many of each topic's newest it shows
    #: (:func:`index_rows`), and its estimated elements with them
    index_topic_rows: int = 0
    index_elements: int = 0
    #: the index's rows leave out their topics and relations lines (「基于 / 被…改进」): with them,
    #: not even one row a topic fits; the listing pages still show both for every paper
    index_compact: bool = False
    #: key -> (docname of its listing page) for the paper's first topic with listings
    home: dict[str, str] = field(default_factory=dict)
    #: docname -> the part index on that page (``paper-index`` with ``:part:``), in the parts' order
    parts: dict[str, "PartIndex"] = field(default_factory=dict)

    def part_doc(self, part: str) -> str:
        """The page of ``part``'s paper index ("" when the book has none)."""
        return next((doc for doc, index in self.parts.items() if index.part == part), "")

    def listing_doc(self, topic: str, page: int) -> str:
        return f"{LISTING_DIR}/{topic}/{page}"

    def row_doc(self, key: str, docname: str) -> str | None:
        """The page whose row of ``key`` a link from ``docname`` should lead to: ``docname`` itself
        unless its tables were trimmed without that paper, then the paper's listing page."""
        if docname in self.shown and key not in self.shown[docname]:
            return self.home.get(key)
        return docname

    def table_rows(self, docname: str, ordinal: int, size: int) -> int:
        rows = self.trimmed.get(docname)
        return rows[ordinal] if rows is not None and ordinal < len(rows) else size


@dataclass(frozen=True)
class PartIndex:
    """What one part's paper index shows: each topic's newest ``topic_rows`` (None: every row, while
    the whole library's index holds every row; 0: only each topic's count and listing pages), its
    estimated elements, and whether its rows leave out their topics and relations lines."""

    part: str
    topic_rows: int | None = None
    elements: int = 0
    compact: bool = False


def _tables(text: str, papers: list[Paper]) -> list[tuple[str, list[str]]]:
    """(topic, keys in the table's order) of each paper-table of a page's source."""
    out = []
    for d in page_source.directives(text):
        if d.name != "paper-table":
            continue
        tags = d.get("tag").replace(",", " ").split()
        try:
            chosen = paper_table.sort(paper_table.select(papers, d.get("topic"), tags), d.get("sort") or "newest")
        except (KeyError, paper_table.SelectionError):
            chosen = []  # the directive reports it when the page is read
        out.append((d.get("topic"), [p.key for p in chosen]))
    return out


#: elements of the paper index besides its text, its filter form and its rows, as the built page
#: has them (tests/test_page_weight.py checks the estimate against the real book): per part, its
#: section, heading and heading link, and its line in the page's contents (a list item and link);
#: per topic, the same four and the count line with its link to the topic page (2 more), and
#: with rows, their table (TABLE_ELEMENTS less the line under a trimmed table)
#: The page's contents are listed twice (the theme's secondary sidebar and its narrow-screen copy),
#: so each part adds 2 more (a list item and its link); the topics are not in the contents
#: (``index_toc_parts``).
INDEX_PER_PART = 7
INDEX_PER_TOPIC = 6
#: the index's first lines: how many papers it holds (1), and the line linking the page's reference
#: files, each a link around its name in code (19)
INDEX_HEAD = 20
#: what the rest of the estimate counts and the paper index does not have, fitted on the real book:
#: with the contents counted once, the estimate fell 2 elements short per new topic (15 over at 78
#: topics, 13 under at 90); counted twice, it is exact per topic and was 177 over in all. The page's
#: own chrome (``page_weight.chrome``, fitted on topic pages) is that much larger than this page's.
INDEX_FIT = -172
#: a part's index (``paper-index`` with ``:part:``) has no filter form and one part; its topics are
#: in the page's contents (twice: a list item and its link in each copy), and PART_FIT, like
#: INDEX_FIT, is fitted on the real book
PART_PER_TOPIC = 4
PART_FIT = -160
INDEX_TABLE = paper_table.TABLE_ELEMENTS - 3


def pager_pages(pages: int, current: int = 0) -> list[int]:
    """The listing pages a pager links (1-based; ``current`` 0 = none is current): all of them up
    to 12, else the first, the last and the two on each side of ``current`` (the first five when
    none is current)."""
    return [n for n in range(1, pages + 1)
            if pages <= 12 or n in (1, pages) or abs(n - current) <= 2 or (current == 0 and n <= 5)]


def index_weights(papers: Sequence[Paper], lines: bool = True) -> Callable[[Paper], int]:
    """paper -> the elements of its row on the paper index: with its topics line and its relations
    line (paper_table.row_elements), or without both (``lines`` false: a compact index), each
    paper's computed once."""
    back = notes.back_links(papers) if lines else {}
    names = {p.key: p.key for p in papers}  # only the number of links counts here
    by_key = {p.key: p for p in papers}

    @functools.cache
    def weight(key: str) -> int:
        paper = by_key[key]
        if not lines:
            return paper_table.row_elements(paper)
        links = sum(len(targets) for _, targets, _ in paper_table.relation_groups(paper, back, names))
        return paper_table.row_elements(paper, topic_links=len(paper.topics), relation_links=links)

    return lambda paper: weight(paper.key)


def index_elements(own: int, by_topic: Mapping[str, Sequence[Paper]], rows: int,
                   listings: Mapping[str, Sequence], weight: Callable[[Paper], int], part: str = "") -> int:
    """The estimated elements of a paper index showing each topic's newest ``rows`` (``own``: its
    text and filter form; ``listings``: topic -> its listing pages, which its pager links), of
    every part, or of ``part`` only."""
    if part:
        total = own + INDEX_HEAD + PART_FIT
    else:
        total = own + INDEX_HEAD + INDEX_FIT + INDEX_PER_PART * len(T.PARTS)
    for topic in T.TOPICS:
        if part and topic.part != part:
            continue
        total += INDEX_PER_TOPIC + (PART_PER_TOPIC if part else 0)
        pages = len(listings.get(topic.id, ()))
        if pages:  # the pager's span, and each link with its label
            total += 1 + 2 * len(pager_pages(pages))
        shown = by_topic.get(topic.id, ())[:rows]
        if shown:
            total += INDEX_TABLE + sum(weight(p) for p in shown)
    return total


def index_rows(own: int, by_topic: Mapping[str, Sequence[Paper]], budget: Budget,
               listings: Mapping[str, Sequence], weight: Callable[[Paper], int],
               part: str = "") -> tuple[int, int]:
    """(rows, estimated elements): the most of each topic's newest papers, at most
    ``index_topic_rows`` (a ``part``'s index: ``part_topic_rows``), that a paper index can show
    within ``page_elements``. None when not even one a topic fits (a book of many topics): the
    index then gives each topic its count and its listing pages, where every row is, and the
    filter still searches every paper."""
    most = budget.part_topic_rows if part else budget.index_topic_rows
    for rows in range(max(most, 1), -1, -1):
        total = index_elements(own, by_topic, rows, listings, weight, part)
        if total <= budget.page_elements or rows == 0:
            return rows, total
    raise AssertionError("unreachable")


def fit_index(own: int, by_topic: Mapping[str, Sequence[Paper]], budget: Budget, listings: Mapping[str, Sequence],
              weights: tuple[Callable[[Paper], int], Callable[[Paper], int]], part: str = "") -> tuple[int, int, bool]:
    """(rows a topic, estimated elements, compact) of a paper index that cannot show every row:
    :func:`index_rows` with full rows, else with compact rows (no topics or relations line).
    ``weights``: the :func:`index_weights` of full and of compact rows, made once for every index
    of the build (the full rows' weight computes the library's back-links)."""
    full, compact = weights
    rows, elements = index_rows(own, by_topic, budget, listings, full, part)
    if not rows:  # not one full row a topic: rows without their two lines
        compact_rows, compact_elements = index_rows(own, by_topic, budget, listings, compact, part)
        if compact_rows:
            return compact_rows, compact_elements, True
    return rows, elements, False


def source_docnames(srcdir: Path) -> list[str]:
    """The book's own pages: every ``*.md`` under ``srcdir`` outside the generated and build folders."""
    return sorted(p.relative_to(srcdir).with_suffix("").as_posix() for p in srcdir.rglob("*.md")
                  if not p.relative_to(srcdir).as_posix().startswith(("_generated/", "_build/")))


def make_plan(srcdir: Path, papers: Iterable[Paper], budget: Budget,
              docnames: Iterable[str] | None = None) -> Plan:
    """The plan for the book under ``srcdir`` (its ``source_docnames``, or ``docnames``)."""
    papers = list(papers)
    plan = Plan(budget)
    docnames = source_docnames(srcdir) if docnames is None else list(docnames)
    pages = len(docnames)  # each is a line in every page's sidebar (page_weight.chrome)
    need: set[str] = set()
    index_text = ""
    by_topic = papers_by_topic(papers)
    weight, graph = row_weights(papers), graph_sizes(by_topic, budget.graph_nodes)
    part_texts: dict[str, tuple[str, str]] = {}  # docname -> (part, its text)
    for doc in docnames:
        text, _ = page_source.read_page(srcdir / f"{doc}.md")
        if text and "{paper-index}" in text:
            for d in page_source.directives(text):
                if d.name != "paper-index":
                    continue
                part = d.get("part").strip()
                if part:
                    part_texts.setdefault(doc, (part, text))
                elif not plan.index_doc:
                    plan.index_doc, index_text = doc, text
        if not text or "{paper-table}" not in text:
            continue
        tables = _tables(text, papers)
        sizes = [len(keys) for _, keys in tables]
        rows = fit_rows([keys for _, keys in tables], page_weight.own_elements(text, graph, pages), budget, weight)
        if rows != sizes:
            plan.trimmed[doc] = rows
            plan.shown[doc] = {k for (_, keys), n in zip(tables, rows) for k in keys[:n]}
            need.update(t for (t, keys), n in zip(tables, rows) if n < len(keys))
    plan.index_full = sum(len(v) for v in by_topic.values()) <= budget.index_rows
    if not plan.index_full:
        need = {t for t, v in by_topic.items() if v}
    per = max(budget.listing_rows, 1)
    for topic in (t.id for t in T.TOPICS if t.id in need):
        keys = [p.key for p in by_topic[topic]]
        plan.listings[topic] = [keys[i:i + per] for i in range(0, len(keys), per)]
    for topic in (t.id for t in T.TOPICS):
        for n, keys in enumerate(plan.listings.get(topic, ()), start=1):
            for key in keys:
                plan.home.setdefault(key, plan.listing_doc(topic, n))
    weights = None if plan.index_full else (index_weights(papers), index_weights(papers, lines=False))
    if not plan.index_full:
        own = page_weight.own_elements(index_text, pages=pages) + len(_TAG.findall(paper_table.filter_form_html(papers, DATA_FILE)))
        plan.index_topic_rows, plan.index_elements, plan.index_compact = fit_index(
            own, by_topic, budget, plan.listings, weights)
    order = {p.id: i for i, p in enumerate(T.PARTS)}
    for doc, (part, text) in sorted(part_texts.items(), key=lambda item: (order.get(item[1][0], len(order)), item[0])):
        if part not in order:
            continue  # the directive warns when the page is read
        if plan.index_full:
            plan.parts[doc] = PartIndex(part)
        else:
            rows, elements, compact = fit_index(page_weight.own_elements(text, pages=pages), by_topic, budget,
                                                plan.listings, weights, part)
            plan.parts[doc] = PartIndex(part, rows, elements, compact)
    return plan


# --- the listing pages ----------------------------------------------------------------------------

def listing_source(topic: T.Topic, page: int, pages: int) -> str:
    """The MyST source of one listing page: orphan (reached from the tables, the index and each
    other, not from the table of contents) and the rows — no bibliography: a row is a complete
    reference, and the page has no text to cite one (row_citations). Left out of the
    search index (nosearch): with every paper's title and authors, the index a reader downloads
    to search would grow with the library; the paper index's filter searches every paper. No
    social card either (ogp_disable: a card is drawn per page, and nobody shares page 37)."""
    return (f"---\norphan: true\nnosearch: true\nogp_disable: true\n---\n\n# 论文目录：{topic.title}（第 {page} 页，共 {pages} 页）\n\n"
            f":::{{paper-listing}}\n:topic: {topic.id}\n:page: {page}\n:::\n")


def write_listings(srcdir: Path, plan: Plan) -> list[str]:
    """Write the listing pages of ``plan`` (a file only when its text changes, so an incremental
    build re-reads nothing it need not) and delete those no longer planned. Returns their docnames."""
    root = srcdir / LISTING_DIR
    wanted: dict[Path, str] = {}
    for topic_id, pages in plan.listings.items():
        topic = T.topic(topic_id)
        for n in range(1, len(pages) + 1):
            wanted[srcdir / f"{plan.listing_doc(topic_id, n)}.md"] = listing_source(topic, n, len(pages))
    for path, text in wanted.items():
        write_if_changed(path, text)
    if root.is_dir():
        for path in sorted(root.rglob("*.md")):
            if path not in wanted:
                path.unlink()
        for folder in [*sorted((p for p in root.rglob("*") if p.is_dir()), reverse=True), root]:
            if not any(folder.iterdir()):
                folder.rmdir()
    return sorted(plan.listing_doc(t, n) for t, pages in plan.listings.items() for n in range(1, len(pages) + 1))


#: sidebar templates that draw the book's table of contents (sphinx-book-theme's, Sphinx's own)
NAV_TEMPLATES = {"sbt-sidebar-nav.html", "globaltoc.html", "navigation.html"}


def light_sidebar(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    """html-page-context, before the theme's handlers: a listing page's sidebar keeps the book's
    title, search and version but not the table of contents. The theme builds that for every
    page: most of a listing page's writing time, and ~1,000 elements; a listing page leads back
    to its topic and to the index itself."""
    if pagename.startswith(LISTING_DIR + "/") and context.get("sidebars"):
        context["sidebars"] = [t for t in context["sidebars"] if t not in NAV_TEMPLATES]


def index_toc_parts(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    """html-page-context: the paper index's contents list its parts, not every topic. The theme
    draws the list twice (the secondary sidebar and its narrow-screen copy); at 104 topics the
    topic entries were 416 of the page's elements, and without them one row a topic fits the
    5,000-element budget again (5,155 with them). The topics stay in the page, under their part,
    and in the filter's topic menu."""
    plan = current()
    if not plan.index_doc or pagename != plan.index_doc or not context.get("toc"):
        return
    soup = BeautifulSoup(context["toc"], "html.parser")
    for nested in soup.select("ul ul ul"):  # the page, its parts, then the topics
        nested.decompose()
    context["toc"] = str(soup)


# --- the filter's data, when the index does not hold every row ------------------------------------

def data_records(papers: Iterable[Paper], plan: Plan) -> list[list]:
    """One compact record per paper: [key, title, authors (all, "Given Family, …"), year, date,
    venue, topics (space-separated), docname of its row]. A list, not an object: the field names
    would be a third of the file."""
    out = []
    for p in papers:
        if p.key not in plan.home:
            continue
        out.append([p.key, p.title, p.all_authors, p.year, p.date, p.venue, " ".join(p.topics), plan.home[p.key]])
    return out


def write_data(outdir: Path, papers: Iterable[Paper], plan: Plan, uri: Mapping[str, str]) -> Path | None:
    """``_static/llmkb-papers.js`` for the filter (only when the index is not complete); each
    record's last field becomes the row's URL from the output root (``uri``: docname -> URL)."""
    path = outdir / DATA_FILE
    if plan.index_full:
        if path.is_file():
            path.unlink()
        return None
    records = data_records(papers, plan)
    for r in records:
        r[-1] = f"{uri[r[-1]]}#paper-{r[0]}"
    data = js_value({"fields": ["key", "title", "authors", "year", "date", "venue", "topics", "url"],
                     "papers": records})
    text = f"window.llmkbPapers = {data};\n"
    write_if_changed(path, text)
    return path


# --- the plan of the running build -----------------------------------------------------------------

_CURRENT: Plan | None = None


def current() -> Plan:
    """The plan made at builder-inited (an empty plan, nothing trimmed, outside a build)."""
    return _CURRENT if _CURRENT is not None else Plan(Budget())


def set_current(plan: Plan | None) -> None:
    global _CURRENT
    _CURRENT = plan
