"""Directives: parse options, delegate to plain functions, report problems as warnings."""

from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from . import library, page_bib, paper_table, recent
from . import topics as T

logger = logging.getLogger(__name__)


def _tags(argument: str) -> list[str]:
    return argument.replace(",", " ").split() if argument else []


class _PaperDirective(SphinxDirective):
    def cite(self, paper) -> list[nodes.Node]:
        """A real sphinxcontrib-bibtex citation (resolves and back-links)."""
        role = self.env.get_domain("cite").role("p")
        result, messages = role("cite:p", f":cite:p:`{paper.key}`", paper.key, self.lineno, self.state.inliner)
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
        topic = self.options.get("topic", "").strip()
        if not topic:
            return self.warn("paper-table needs a :topic: option (a topic id from llmkb/topics.py)")
        try:
            chosen = paper_table.select(library.papers(), topic, _tags(self.options.get("tag", "")))
        except KeyError as err:
            return self.warn(f"paper-table: {err.args[0]}")
        except paper_table.SelectionError as err:
            return self.warn(f"paper-table: {err}")
        ordered = paper_table.sort(chosen, self.options.get("sort", "newest"))
        return [paper_table.table(ordered, self.cite, caption=self.options.get("caption"))]


class PaperIndexDirective(_PaperDirective):
    """``paper-index``: every entry of refs.bib, one section per topic, part by part."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        library.note_index_page(self.env, self.env.docname)
        papers = library.papers()
        out: list[nodes.Node] = []
        summary = nodes.paragraph(classes=["llmkb-paper-index-summary"])
        summary += nodes.Text(f"refs.bib 共收录 {len(papers)} 篇论文，按主题分为 {len(T.TOPICS)} 个主题；"
                              "一篇论文可属于多个主题。")
        out.append(summary)
        # The rows are the entries, so the page has no bibliography to put its .bib link above;
        # each row's label links to the entry in the topic page that discusses the paper.
        out.append(page_bib.link_paragraph(self.env.docname))
        # the filter form (paper-filter.js); raw HTML built from escaped values, not indexed for search
        out.append(nodes.raw("", paper_table.filter_form_html(papers), format="html", classes=["no-search"]))
        for part in T.PARTS:
            section = nodes.section(ids=[f"part-{part.id}"], names=[f"part-{part.id}"])
            section += nodes.title(part.zh, part.zh)
            for topic in (t for t in T.TOPICS if t.part == part.id):
                chosen = [p for p in papers if topic.id in p.topics]
                sub = nodes.section(ids=[f"topic-{topic.id}"], names=[f"topic-{topic.id}"])
                sub += nodes.title(topic.title, topic.title)
                intro = nodes.paragraph()
                intro += nodes.Text(f"{len(chosen)} 篇，讲解见 ")
                intro += self._doc_xref(topic.page, nodes.inline("", topic.zh))
                intro += nodes.Text("。")
                sub += intro
                if chosen:
                    sub += paper_table.table(paper_table.sort(chosen), self.cite, topic_links=self.topic_links)
                section += sub
            out.append(section)
        return out


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


class CiteBookDirective(SphinxDirective):
    """``cite-book``: the book's own citation (BibTeX and GB/T 7714, with the version), from
    CITATION.cff at the repository root (next to conf.py), each with a copy button."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        from pathlib import Path

        from .cite import book, dialog

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
