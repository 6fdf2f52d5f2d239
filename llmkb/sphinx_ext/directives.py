"""Directives: parse options, delegate to plain functions, report problems as warnings."""

from __future__ import annotations

from typing import Callable

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

from ..bib import check as bib_check
from ..bib import notes, recent
from ..bib import topics as T
from . import citation_style, library, page_bib, paging, paper_table, row_citations

logger = logging.getLogger(__name__)


def _tags(argument: str) -> list[str]:
    return argument.replace(",", " ").split() if argument else []


class _PaperDirective(SphinxDirective):
    def cite(self, paper) -> list[nodes.Node]:
        """A real sphinxcontrib-bibtex citation (resolves and back-links), marked as a listed
        paper's: row_citations decides whether it stays a citation or becomes a plain label."""
        role = self.env.get_domain("cite").role("p")
        result, messages = role("cite:p", f":cite:p:`{paper.key}`", paper.key, self.lineno, self.state.inliner)
        for node in result:
            if isinstance(node, addnodes.pending_xref):
                node[row_citations.LISTED] = paper.key
        return [*result, *messages]

    def topic_links(self, paper) -> list[nodes.Node]:
        out: list[nodes.Node] = []
        for tid in paper.topics:
            topic = T.TOPICS_BY_ID.get(tid)
            if topic is None:
                continue
            if out:
                out.append(nodes.Text(" · "))
            ref = nodes.inline("", topic.zh, classes=["llmkb-topic"])
            xref = self._doc_xref(topic.page, ref)
            out.append(xref)
        return out

    def _doc_xref(self, docname: str, content: nodes.Node) -> nodes.Node:
        from sphinx import addnodes

        xref = addnodes.pending_xref("", content, refdomain="std", reftype="doc",
                                     reftarget="/" + docname, refexplicit=True, refwarn=True)
        xref["refdoc"] = self.env.docname
        return xref

    def anchor_rows(self, table: nodes.table) -> nodes.table:
        """Give each paper's first row on the page the id ``paper-<key>``: the lineage graph's
        nodes and the paper index's relations link there. A paper in two tables of one page
        (two tags) keeps its id on the first; ids stay unique in the page."""
        document = self.state.document
        for node in table.findall(paper_table.paper_row):
            rid = notes.row_id(node["data"]["data-key"])
            if rid not in document.ids:
                node["ids"].append(rid)
                document.ids[rid] = node
        return table

    def warn(self, message: str) -> list[nodes.Node]:
        logger.warning(message, location=self.get_location(), type="llmkb", subtype="paper_table")
        return []


class PaperTableDirective(_PaperDirective):
    """``paper-table``: the papers of one topic (optionally one tag), as a table."""

    has_content = False
    option_spec = {
        "topic": directives.unchanged_required,
        "tag": directives.unchanged,
        "sort": lambda arg: directives.choice(arg, tuple(paper_table.SORTS)),
        "caption": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        # the page's tables in order, as paging.make_plan counted them from the page's source
        ordinal = self.env.temp_data.get("llmkb_table_ordinal", 0)
        self.env.temp_data["llmkb_table_ordinal"] = ordinal + 1
        topic = self.options.get("topic", "").strip()
        if not topic:
            return self.warn("paper-table needs a :topic: option (a topic id from llmkb/bib/topics.py)")
        try:
            chosen = paper_table.select(library.papers(), topic, _tags(self.options.get("tag", "")))
        except KeyError as err:
            return self.warn(f"paper-table: {err.args[0]}")
        except paper_table.SelectionError as err:
            return self.warn(f"paper-table: {err}")
        ordered = paper_table.sort(chosen, self.options.get("sort", "newest"))
        plan = paging.current()
        shown = plan.table_rows(self.env.docname, ordinal, len(ordered))
        out: list[nodes.Node] = [self.anchor_rows(paper_table.table(ordered[:shown], self.cite,
                                                                    caption=self.options.get("caption")))]
        if shown < len(ordered):
            out.append(self.more(topic, shown, len(ordered), plan))
        return out

    def more(self, topic: str, shown: int, total: int, plan: paging.Plan) -> nodes.paragraph:
        """Where the rows a trimmed table leaves out are: the topic's listing pages."""
        para = nodes.paragraph(classes=["llmkb-table-more"])
        pages = len(plan.listings.get(topic, ()))
        order = "最新" if self.options.get("sort", "newest") == "newest" else "排在前面"
        para += nodes.Text(f"本表只列出 {total} 篇中{order}的 {shown} 篇。全部论文按发表日期从新到旧列在本主题的论文目录里（共 {pages} 页），从")
        para += self._doc_xref(plan.listing_doc(topic, 1), nodes.inline("", "第 1 页"))
        para += nodes.Text("看起。")
        return para


_RELATIONS: dict[int, tuple] = {}


def _relations(papers: list) -> "Callable":
    """paper -> its relations line (what it builds on, and who builds on it), for the rows of the
    paper index and the listing pages; the back-links and short names are computed once per
    refs.bib (the listing pages of a large library would each redo them)."""
    cached = _RELATIONS.get(id(papers))
    if cached is None or cached[0] is not papers:
        _RELATIONS.clear()
        cached = _RELATIONS[id(papers)] = (papers, notes.back_links(papers),
                                           notes.short_names(papers, citation_style.LABELS),
                                           {p.key: p.date for p in papers})
    _, back, names, dates = cached
    return lambda paper: paper_table.relation_groups(paper, back, names, dates)


class PaperIndexDirective(_PaperDirective):
    """``paper-index``: every entry of refs.bib, one section per topic, part by part (with
    ``:part:``, one part's topics only). When the library has more rows than the index may hold
    (``paging``), each topic shows its newest few and links to its listing pages, and the filter
    searches a data file instead of the rows."""

    has_content = False
    option_spec = {"part": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        part = self.options.get("part", "").strip()
        if part:
            return self.run_part(part)
        library.note_index_page(self.env, self.env.docname)
        papers = library.papers()
        plan = paging.current()
        out: list[nodes.Node] = []
        summary = nodes.paragraph(classes=["llmkb-paper-index-summary"])
        summary += nodes.Text(f"refs.bib 共收录 {len(papers)} 篇论文，按主题分为 {len(T.TOPICS)} 个主题；"
                              "一篇论文可属于多个主题。")
        if not plan.index_full:
            summary += nodes.Text(f"论文太多，{self.shown(plan.index_topic_rows, plan.index_compact)}；"
                                  f"全部论文在各主题的论文目录里，每页 {plan.budget.listing_rows} 篇。")
        out.append(summary)
        # The rows are the entries, so the page has no bibliography to put its .bib link above;
        # each row's label links to the entry in the topic page that discusses the paper.
        out.append(page_bib.link_paragraph(self.env.docname))
        # the filter form (paper-filter.js); raw HTML built from escaped values, not indexed for search
        data = None if plan.index_full or self.env.app.builder.format != "html" else \
            relative_uri(self.env.app.builder.get_target_uri(self.env.docname), paging.DATA_FILE)
        out.append(nodes.raw("", paper_table.filter_form_html(papers, data), format="html", classes=["no-search"]))
        by_topic = paging.papers_by_topic(papers)  # as the page plan counted them
        rows = None if plan.index_full else plan.index_topic_rows
        for part in T.PARTS:
            section = nodes.section(ids=[f"part-{part.id}"], names=[f"part-{part.id}"])
            section += nodes.title(part.zh, part.zh)
            part_doc = plan.part_doc(part.id)
            if part_doc and not plan.index_full:
                more = nodes.paragraph(classes=["llmkb-part-index-link"])
                more += nodes.Text("本部分的主题各多列几篇最新论文，见")
                more += self._doc_xref(part_doc, nodes.inline("", f"论文总览：{part.zh}"))
                more += nodes.Text("。")
                section += more
            for topic in (t for t in T.TOPICS if t.part == part.id):
                section += self.topic_section(topic, by_topic[topic.id], rows, plan.index_compact, plan)
            out.append(section)
        return out

    @staticmethod
    def shown(rows: int, compact: bool) -> str:
        """What an index that cannot hold every row shows of each topic, in words."""
        shown = f"本页每个主题只列出最新的 {rows} 篇" if rows else "本页只给出每个主题的篇数和论文目录"
        if compact:
            shown += "，行内不再列出论文所属的其他主题和论文之间的关系（论文目录里有）"
        return shown

    def topic_section(self, topic: T.Topic, papers: list, rows: int | None, compact: bool,
                      plan: paging.Plan) -> nodes.section:
        """One topic of an index: its count, its page, its listing pages and its newest ``rows``
        (None: all of them)."""
        # llmkb-index-topic: laid out only when scrolled near (llmkb.css, content-visibility)
        sub = nodes.section(ids=[f"topic-{topic.id}"], names=[f"topic-{topic.id}"],
                            classes=["llmkb-index-topic"])
        sub += nodes.title(topic.title, topic.title)
        intro = nodes.paragraph()
        intro += nodes.Text(f"{len(papers)} 篇，讲解见 ")
        intro += self._doc_xref(topic.page, nodes.inline("", topic.zh))
        chosen = papers
        pages = plan.listings.get(topic.id) if rows is not None else None
        if pages:
            chosen = papers[:rows]
            newest = f"下表是最新的 {len(chosen)} 篇，" if chosen else ""
            intro += nodes.Text(f"；{newest}全部 {sum(map(len, pages))} 篇在论文目录的 ")
            intro += self.pager(topic.id, 0, len(pages), plan)
            intro += nodes.Text(" 页里")
        intro += nodes.Text("。")
        sub += intro
        if chosen:
            # 「基于 / 改进 / 对比」 and their back-links 「被…改进」, each a link to the paper's row
            sub += self.anchor_rows(paper_table.table(chosen, self.cite,
                                                      topic_links=None if compact else self.topic_links,
                                                      relations=None if compact else _relations(library.papers())))
        return sub

    def run_part(self, part_id: str) -> list[nodes.Node]:
        """One part's topics, each with more of its newest rows than the whole library's index
        has room for (paging.PartIndex)."""
        part = T.PARTS_BY_ID.get(part_id)
        if part is None:
            return self.warn(f"paper-index: unknown part {part_id!r}; write one of "
                             f"{', '.join(p.id for p in T.PARTS)} after :part:")
        plan = paging.current()
        index = plan.parts.get(self.env.docname)
        if index is None:  # the plan reads each page's own source before the build
            return self.warn("paper-index: this build's page plan did not find this part's index; write "
                             "the paper-index directive with :part: in the page's own source, not in an included file")
        if index.part != part_id:
            return self.warn(f"paper-index: this page already has the index of part {index.part!r}; "
                             "give each part's index a page of its own")
        library.note_index_page(self.env, self.env.docname)
        papers = library.papers()
        by_topic = paging.papers_by_topic(papers)
        topics = [t for t in T.TOPICS if t.part == part_id]
        summary = nodes.paragraph(classes=["llmkb-paper-index-summary"])
        summary += nodes.Text(f"「{part.zh}」有 {len(topics)} 个主题、{sum(len(by_topic[t.id]) for t in topics)} 行论文"
                              "（一篇论文属于几个主题就有几行）。")
        if index.topic_rows is not None:
            summary += nodes.Text(f"{self.shown(index.topic_rows, index.compact)}；"
                                  f"全部论文在各主题的论文目录里，每页 {plan.budget.listing_rows} 篇。")
        if plan.index_doc:
            summary += nodes.Text("按标题、作者、年份或出处在全书的论文中查找，用")
            summary += self._doc_xref(plan.index_doc, nodes.inline("", "论文总览"))
            summary += nodes.Text("的筛选栏。")
        out: list[nodes.Node] = [summary, page_bib.link_paragraph(self.env.docname)]
        for topic in topics:
            out.append(self.topic_section(topic, by_topic[topic.id], index.topic_rows, index.compact, plan))
        return out

    def pager(self, topic: str, current: int, pages: int, plan: paging.Plan) -> nodes.inline:
        """Links to a topic's listing pages: all of them up to 12, else the first, the last and
        the two on each side of ``current`` (1-based; 0 = none is current), "…" between."""
        show = paging.pager_pages(pages, current)
        out = nodes.inline(classes=["llmkb-pager"])
        previous = 0
        for n in show:
            if previous and n > previous + 1:
                out += nodes.Text(" … ")
            elif previous:
                out += nodes.Text(" ")
            if n == current:
                out += nodes.strong("", str(n))
            else:
                out += self._doc_xref(plan.listing_doc(topic, n), nodes.inline("", str(n)))
            previous = n
        return out


class PaperListingDirective(PaperIndexDirective):
    """``paper-listing``: one page of a topic's complete rows (paging.write_listings generates the
    pages that hold it), with links to the topic page and to the other pages."""

    option_spec = {"topic": directives.unchanged_required, "page": directives.positive_int}

    def run(self) -> list[nodes.Node]:
        plan = paging.current()
        topic_id = self.options.get("topic", "").strip()
        n = self.options.get("page", 1)
        pages = plan.listings.get(topic_id, [])
        if not 1 <= n <= len(pages):
            return self.warn(f"paper-listing: topic {topic_id!r} has no listing page {n} in this build "
                             f"(the build writes them under docs/{paging.LISTING_DIR}; delete that folder and build again)")
        topic = T.topic(topic_id)
        chosen = [library.paper(k) for k in pages[n - 1]]
        total = sum(map(len, pages))
        first = sum(map(len, pages[:n - 1])) + 1
        intro = nodes.paragraph()
        intro += nodes.Text(f"「{topic.zh}」共有 {total} 篇论文，按发表日期从新到旧排列；本页是第 {first}–{first + len(chosen) - 1} 篇。讲解见 ")
        intro += self._doc_xref(topic.page, nodes.inline("", topic.zh))
        if plan.index_doc:
            intro += nodes.Text("，全部主题见")
            intro += self._doc_xref(plan.index_doc, nodes.inline("", "论文总览"))
        intro += nodes.Text("。")
        nav = nodes.paragraph(classes=["llmkb-pager-line"])
        nav += nodes.Text("页码：")
        nav += self.pager(topic_id, n, len(pages), plan)
        table = self.anchor_rows(paper_table.table(chosen, self.cite, topic_links=self.topic_links,
                                                   relations=_relations(library.papers())))
        # no bibliography on a listing page (paging.listing_source) to put the .bib link above
        return [intro, nav, table, nav.deepcopy(), page_bib.link_paragraph(self.env.docname)]


class RecentPapersDirective(_PaperDirective):
    """``recent-papers``: the latest additions to refs.bib (``added``), one section per month."""

    has_content = False
    option_spec = {"limit": directives.positive_int}

    def run(self) -> list[nodes.Node]:
        # like the paper index, the page lists entries rather than showing them in a topic's
        # teaching: its citations must not count as "shown" (check_shown)
        library.note_index_page(self.env, self.env.docname)
        months = recent.by_month(library.papers(), self.options.get("limit", recent.LIMIT))
        if not months:
            return [nodes.paragraph("", "refs.bib 中还没有带 added 日期的条目。")]
        # the rows cite entries, so the page has its .bib like any page that cites (and, like the
        # paper index, no bibliography to put the link above)
        out: list[nodes.Node] = [page_bib.link_paragraph(self.env.docname)]
        for month, papers in months:
            section = nodes.section(ids=[f"added-{month}"], names=[f"added-{month}"])
            title = recent.month_title(month)
            section += nodes.title(title, title)
            items = nodes.bullet_list(classes=["llmkb-recent"])
            for paper in papers:
                para = nodes.paragraph()
                para += nodes.Text(f"{paper.raw('added')} · ")
                para += nodes.emphasis("", paper.title)
                para += nodes.Text(" · ")
                para += self.topic_links(paper)
                para += nodes.Text(" ")
                para += self.cite(paper)
                items += nodes.list_item("", para)
            section += items
            out.append(section)
        return out


class LineageGraphDirective(SphinxDirective):
    """``lineage-graph``: how the papers of one topic build on each other (refs.bib ``relations``),
    drawn as an inline SVG whose boxes link to the rows of the page's paper tables, with the
    relations as a list for readers without images and for the LaTeX/EPUB editions."""

    has_content = False
    option_spec = {"topic": directives.unchanged_required}

    def run(self) -> list[nodes.Node]:
        import networkx as nx

        from ..plots import lineage
        from . import lineage_graphs

        topic = self.options.get("topic", "").strip()
        if topic not in T.TOPICS_BY_ID:
            known = ", ".join(sorted(T.TOPICS_BY_ID))
            return _warn(self, f"lineage-graph: unknown or missing :topic: {topic!r}; known topics: {known}", "lineage")
        graph, related = lineage_graphs.topic_graph(self.env.app, topic)
        if not graph.number_of_edges():
            return [nodes.paragraph("", "本主题的论文之间还没有记录关系（refs.bib 的 relations 字段：基于 / 改进 / 对比）。",
                                    classes=["llmkb-graph-empty"])]
        sentences = lineage.edge_sentences(graph)
        which = (f"本主题有 {related} 篇论文记录了关系，下图画出其中关系最多的 {graph.number_of_nodes()} 篇和它们之间的 "
                 f"{graph.number_of_edges()} 条关系" if graph.number_of_nodes() < related else
                 f"下图是本主题 {graph.number_of_nodes()} 篇论文之间的 {graph.number_of_edges()} 条关系")
        links = lineage_graphs.links(self.env.app, graph, self.env.docname)
        where = "下面表格或论文目录" if links else "下面表格"
        intro = nodes.paragraph("", f"{which}（来自 refs.bib 的 relations 字段）：箭头从较早的论文指向基于、改进或对比它的论文，"
                                    f"点方框跳到{where}里的那一行。", classes=["llmkb-graph-intro"])
        try:
            # a cycle (check reports it) fails here, at once, not later in the drawing process
            figure = lineage_graphs.figure(self.env.app, lineage.topic_job(topic, graph, links),
                                           defer=nx.is_directed_acyclic_graph(graph))
        except Exception as err:  # nx.NetworkXUnfeasible on a cycle, or no matplotlib
            out = _warn(self, lineage_graphs.failure(topic, err), "lineage")
            return [intro, *out, _edge_list(sentences)]
        self.set_source_info(figure)
        return [intro, figure, *_text_version(f"谱系的文字版（{len(sentences)} 条关系）", sentences)]


def _warn(directive: SphinxDirective, message: str, subtype: str) -> list[nodes.Node]:
    logger.warning(message, location=directive.get_location(), type="llmkb", subtype=subtype)
    return []


def _edge_list(sentences) -> nodes.bullet_list:
    items = nodes.bullet_list(classes=["llmkb-graph-list"])
    for sentence in sentences:
        items += nodes.list_item("", nodes.paragraph("", sentence))
    return items


def _text_version(summary: str, sentences) -> list[nodes.Node]:
    """The list in a closed <details> in HTML (the graph above says the same), a plain list in
    the other builders (raw HTML is dropped there)."""
    import html

    return [nodes.raw("", f'<details class="llmkb-graph-text"><summary>{html.escape(summary)}</summary>\n', format="html"),
            _edge_list(sentences),
            nodes.raw("", "</details>\n", format="html")]


class ReadingPathDirective(SphinxDirective):
    """``reading-path``: one path of the 学习路线 page. The argument is its title; the content is
    its steps, one a line, ``<page or refs.bib key> | <one sentence of why>`` (reading_paths.py).
    Shows the steps as a numbered list (every builder) and, in HTML, as a graph whose boxes
    link to the pages and to the papers' rows."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = True

    def run(self) -> list[nodes.Node]:
        from pathlib import Path

        from ..plots import lineage
        from . import reading_paths as R

        # the source line of the first step: docutils gives the content's 0-based line; MyST gives
        # its offset from the directive's line, 0 when the steps follow the directive at once
        first = (self.lineno + 1 + self.content_offset if self.content_offset < self.lineno
                 else self.content_offset + 1)
        steps, problems = R.parse_steps(list(self.content), first)
        papers = {p.key: p for p in library.papers()}
        pages = {t.page: t for t in T.TOPICS}
        known_docs = set(self.env.found_docs)
        prerequisites: dict[str, list[str] | None] = {}
        for doc in pages:
            if doc in known_docs:
                source = Path(self.env.doc2path(doc))
                self.env.note_dependency(str(source))  # a changed prerequisite redraws the path
                try:
                    prerequisites[doc] = R.read_prerequisites(source)
                except ValueError:
                    prerequisites[doc] = None  # check_prerequisites reports it, on that page
        good: list[R.Step] = []
        for step in steps:
            if step.is_page and step.target not in known_docs:
                problems.append((step.line, f"step '{step.target}' is no page of the book"
                                 f"{bib_check.suggest(step.target, known_docs)} — write a docname such as efficiency/peft"))
            elif not step.is_page and step.target not in papers:
                problems.append((step.line, f"step '{step.target}' is no refs.bib key{bib_check.suggest(step.target, papers)}"
                                 " — write the key of an entry (pages are written with a '/', e.g. efficiency/peft)"))
            else:
                good.append(step)
        edges = notes.edges(papers.values())
        problems += R.order_problems(good, prerequisites, edges)
        for line, message in sorted(problems):
            logger.warning(f"reading-path: {message}", location=(self.env.docname, line), type="llmkb",
                           subtype="reading_path")
        names = {}
        links = {}
        builder = self.env.app.builder
        html = builder.format == "html"  # other builders (LaTeX) have no URI for a page: NoUri
        for step in good:
            if step.is_page:
                topic = pages.get(step.target)
                names[step.target] = topic.zh if topic else self.env.titles[step.target].astext() \
                    if step.target in self.env.titles else step.target
                if html:
                    links[step.target] = builder.get_relative_uri(self.env.docname, step.target)
            else:
                paper = papers[step.target]
                names[step.target] = f"{notes.short_name(paper, citation_style.LABELS)}（{paper.date[:4]}）" \
                    if not lineage._HAS_YEAR.search(notes.short_name(paper, citation_style.LABELS)) \
                    else notes.short_name(paper, citation_style.LABELS)
                home = _home_topic(paper)
                row_doc = paging.current().row_doc(paper.key, home.page) if home else None
                if row_doc and html:
                    links[step.target] = builder.get_relative_uri(self.env.docname, row_doc) + "#" + notes.row_id(paper.key)
        out: list[nodes.Node] = [self._list(good, names, pages, papers)]
        if not good or builder.format != "html":  # the graph is inline SVG: HTML only (the list says it all)
            return out
        graph = R.path_graph(good, names, prerequisites, edges)
        try:
            svg = lineage.path_svg(self.env.srcdir, self.arguments[0], graph, links)
        except Exception as err:
            return out + _warn(self, f"reading-path: the graph cannot be drawn ({err}); the steps are listed as text",
                               "reading_path")
        out.insert(0, nodes.raw("", f'<figure class="llmkb-graph"><div class="llmkb-graph-scroll" tabindex="0">'
                                    f"{svg}</div></figure>\n", format="html"))
        return out

    def _list(self, steps, names, pages, papers) -> nodes.enumerated_list:
        items = nodes.enumerated_list(classes=["llmkb-reading-path"], enumtype="arabic", prefix="", suffix=".")
        for step in steps:
            para = nodes.paragraph()
            if step.is_page:
                para += _doc_xref(self.env.docname, step.target, nodes.inline("", names[step.target]))
            else:
                paper = papers[step.target]
                para += nodes.emphasis("", paper.title)
                home = _home_topic(paper)
                if home:
                    para += nodes.Text("（")
                    para += _doc_xref(self.env.docname, home.page, nodes.inline("", home.zh))
                    para += nodes.Text("）")
            para += nodes.Text("：" + step.why)
            items += nodes.list_item("", para)
        return items


def _home_topic(paper):
    """The topic page that teaches a paper: its first topic other than the milestones overview
    (which lists landmark papers of every topic), else the milestones page."""
    known = [T.TOPICS_BY_ID[t] for t in paper.topics if t in T.TOPICS_BY_ID]
    return next((t for t in known if t.id != "milestones"), known[0] if known else None)


def _doc_xref(fromdoc: str, docname: str, content: nodes.Node) -> nodes.Node:
    from sphinx import addnodes

    xref = addnodes.pending_xref("", content, refdomain="std", reftype="doc",
                                 reftarget="/" + docname, refexplicit=True, refwarn=True)
    xref["refdoc"] = fromdoc
    return xref


class CiteBookDirective(SphinxDirective):
    """``cite-book``: the book's own citation (BibTeX and GB/T 7714, with the version), from
    CITATION.cff at the repository root (next to conf.py), each with a copy button."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        from pathlib import Path

        from ..cite import book, dialog

        path = Path(self.env.app.confdir) / "CITATION.cff"
        self.env.note_dependency(str(path))
        try:
            citation = book.read(path)
        except book.CitationFileError as err:
            logger.warning(str(err), location=self.get_location(), type="llmkb", subtype="cite_book")
            return []
        blocks = (("GB/T 7714-2015", citation.gbt7714(), "复制本书的 GB/T 7714 引用"),
                  ("BibTeX", citation.bibtex(), "复制本书的 BibTeX"))
        if self.env.app.builder.format == "html":
            import html

            encode = html.escape
            body = "".join(f'<p class="llmkb-cite-label">{label}</p>{dialog.block_html(text, copy, encode, highlight=False)}'
                           for label, text, copy in blocks)
            return [nodes.raw("", f'<div class="llmkb-cite-book">{body}</div>\n', format="html")]
        out: list[nodes.Node] = []
        for label, text, _ in blocks:  # other builders: the same text, as literal blocks
            out.append(nodes.paragraph(label, label))
            out.append(nodes.literal_block(text, text))
        return out
