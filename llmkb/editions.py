"""The PDF and EPUB editions: what ``make pdf`` and ``make epub`` change against the HTML book.

Both build with ``-t book``: the root is docs/book.md (preface, the five parts, the appendix)
instead of the home page, so the PDF has parts as ``\\part`` and topics as ``\\chapter``
(``latex_toplevel_sectioning = "part"``), and the preface and the appendix are set one level lower
by the heading macros in :data:`LATEX_PREAMBLE`. conf.py takes its settings from here; the HTML
build never reads this module's transforms (they are registered for latex/epub only).
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import docname_join
from sphinxcontrib.bibtex.nodes import raw_latex

#: pages the editions leave out: the HTML home page (the preface carries its text), the 404 page,
#: and the paper index and latest additions, which repeat the topic chapters' tables; links to
#: them point at the online book.
ONLINE_ONLY = ("index", "404", "appendix/papers", "appendix/recent")

# ctexbook gives Chinese headings (第 1 章, 第一部分) and CJK line breaking; the fonts are set
# explicitly (fontset=none) so the PDF embeds Noto CJK, never a fallback the system happens to have.
LATEX_DOCCLASS = {"manual": "ctexbook", "howto": "ctexart"}

LATEX_PREAMBLE = r"""
% By file and index: the collections' first face is the Japanese one, which a family name selects.
\setCJKmainfont{NotoSerifCJK-Regular.ttc}[FontIndex=2, BoldFont=NotoSansCJK-Bold.ttc,
  BoldFeatures={FontIndex=2}, AutoFakeSlant]
\setCJKsansfont{NotoSansCJK-Regular.ttc}[FontIndex=2, BoldFont=NotoSansCJK-Bold.ttc,
  BoldFeatures={FontIndex=2}, AutoFakeSlant]
\setCJKmonofont{NotoSansCJK-Regular.ttc}[FontIndex=7, AutoFakeSlant]
\setlength{\headheight}{14pt}
\ctexset{
  part/name = {第,部分}, part/number = \chinese{part},
  chapter/name = {第,章}, chapter/number = \arabic{chapter},
}
% The preface and the appendix are one level below the parts: their page titles become
% chapters and their sections sections (book.md switches this on and off around them).
\makeatletter
\newcommand\llmkbShiftHeadings{%
  \let\llmkb@part\part \let\llmkb@chapter\chapter \let\llmkb@section\section
  \let\llmkb@subsection\subsection
  \let\part\llmkb@chapter \let\chapter\llmkb@section \let\section\llmkb@subsection
  \let\subsection\subsubsection}
\newcommand\llmkbUnshiftHeadings{%
  \let\part\llmkb@part \let\chapter\llmkb@chapter \let\section\llmkb@section
  \let\subsection\llmkb@subsection}
\newcommand\llmkbAppendixPart{\appendix\part*{附录}\addcontentsline{toc}{part}{附录}}
% Each chapter ends with its own references: the page's "参考文献" heading is already there,
% so the list starts without thebibliography's \chapter* heading.
\newenvironment{llmkbreferences}[1]
  {\begingroup\let\chapter\@gobbletwo\let\@mkboth\@gobbletwo\begin{thebibliography}{#1}}
  {\end{thebibliography}\endgroup}
\makeatother
% long URLs and BibTeX keys break at any character rather than run into the margin
\PassOptionsToPackage{hyphens}{url}
\setlength{\emergencystretch}{3em}
% the watermark demo's green and red words, in the HTML book's colours (llmkb.css)
\definecolor{llmkbwmgreen}{HTML}{D4F4DD}\definecolor{llmkbwmgreenfg}{HTML}{0B4D1C}
\definecolor{llmkbwmred}{HTML}{FBE0E0}\definecolor{llmkbwmredfg}{HTML}{7A1010}
\expandafter\def\csname DUrolellmkb-wm-green\endcsname#1{\colorbox{llmkbwmgreen}{\textcolor{llmkbwmgreenfg}{#1}}}
\expandafter\def\csname DUrolellmkb-wm-red\endcsname#1{\colorbox{llmkbwmred}{\textcolor{llmkbwmredfg}{#1}}}
"""

LATEX_ELEMENTS = {
    "papersize": "a4paper",
    "pointsize": "10pt",
    "extraclassoptions": "openany,fontset=none,zihao=false",
    "fontenc": "",  # ctexbook loads xeCJK itself
    "babel": "",
    "polyglossia": "",
    "preamble": LATEX_PREAMBLE,
    "printindex": "",  # the book has a glossary, not an index: no xindy run
    "releasename": "版本",
    "sphinxsetup": "hmargin={2.2cm,2.2cm}, vmargin={2.5cm,2.5cm}, TitleColor={rgb}{0.18,0.44,0.62}",
    "figure_align": "htbp",
}


class llmkb_references(nodes.General, nodes.Element):
    """A page's own bibliography in the PDF: its entries stay where the page put them."""


class llmkb_reference(nodes.General, nodes.Element):
    """One entry of a page's bibliography (a ``citation`` the LaTeX builder must not gather)."""


def visit_references_latex(self, node) -> None:
    longest = max((entry[0].astext() for entry in node.children), key=len, default="")
    self.body.append("\n\\begin{llmkbreferences}{%s}\n" % self.encode(longest[:8]))


def depart_references_latex(self, node) -> None:
    self.body.append("\\end{llmkbreferences}\n")


def visit_reference_entry_latex(self, node) -> None:
    self.body.append("\\bibitem[%s]{%s:%s}" % (self.encode(node[0].astext()), node["docname"], node["ids"][0]))
    node.remove(node[0])  # the label is in \bibitem[...]: not again as text


class KeepReferencesInChapter(SphinxPostTransform):
    """Sphinx's LaTeX builder gathers every citation of the book into one list at the end
    (BibliographyTransform, priority 750): 229 papers cited on several pages came out up to five
    times, under an English heading. Each topic chapter ends with its own references instead, as
    in the HTML book: the citations of a page are wrapped where they stand, before that transform
    runs, in nodes it does not collect."""

    default_priority = 700
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        for parent in {c.parent for c in self.document.findall(nodes.citation)}:
            group: list[nodes.citation] = [c for c in parent.children if isinstance(c, nodes.citation)]
            wrapper = llmkb_references()
            parent.insert(parent.index(group[0]), wrapper)
            for citation in group:
                parent.remove(citation)
                entry = llmkb_reference("", *citation.children, ids=citation["ids"],
                                        docname=citation["docname"])
                wrapper += entry


class PlainCaptionLinks(SphinxPostTransform):
    """A figure caption is a moving argument in LaTeX: a citation's \\hyperlink inside it stops
    xelatex ("Argument of \\Hy@tempa has an extra }"). In the PDF a caption's links become their
    text; the citation's label stays readable and the chapter's references list the paper."""

    default_priority = 700
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        for caption in list(self.document.findall(nodes.caption)):
            for ref in list(caption.findall(nodes.reference)):
                ref.replace_self(nodes.inline("", "", *ref.children))
            # sphinxcontrib-bibtex writes a citation's link for LaTeX as two raw_latex nodes
            # around the label: "\\hyperlink{cite.<doc>:<id>}{" and "}"
            for raw in list(caption.findall(raw_latex)):
                raw.parent.remove(raw)


#: the paper tables' column widths in the PDF (per cent): room for 发表于 and a whole date
PAPER_TABLE_WIDTHS = (45, 13, 17, 14, 11)


class BreakablePaperTables(SphinxPostTransform):
    """Paper tables run for pages: as LaTeX longtables they break across pages and repeat their
    header (as tabulary, a table taller than the page overflowed it and lost rows)."""

    default_priority = 700
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        for table in self.document.findall(nodes.table):
            if "llmkb-paper-table" not in table["classes"]:
                continue
            table["classes"] += ["longtable", "colwidths-given"]
            for colspec, width in zip(table.findall(nodes.colspec), PAPER_TABLE_WIDTHS):
                colspec["colwidth"] = width


def link_online_only(app, env, node, contnode):
    """A {doc} link to a page the editions leave out (ONLINE_ONLY) points at the online book."""
    if node.get("refdomain") != "std" or node.get("reftype") != "doc" or not app.config.llmkb_site_url:
        return None
    target = node["reftarget"]
    docname = target.lstrip("/") if target.startswith("/") else docname_join(node["refdoc"], target)
    if docname not in ONLINE_ONLY:
        return None
    text = contnode.astext() if node.get("refexplicit") else docname
    return nodes.reference(text, text, internal=False, refuri=app.config.llmkb_site_url + docname + ".html")


def link_downloads_online(app, doctree) -> None:
    """Links to files the HTML book serves beside its pages (each page's .bib, refs.bib) would
    be dead in a PDF or EPUB: they point at the online book's copies."""
    base = app.config.llmkb_site_url
    if not base:
        return
    here = urljoin(base, app.env.docname + ".html")
    for ref in doctree.findall(nodes.reference):
        uri = ref.get("refuri", "")
        if uri and not urlsplit(uri).scheme and not uri.startswith("#"):
            ref["refuri"] = urljoin(here, uri)


def setup(app) -> dict:
    app.add_config_value("llmkb_site_url", "", "env", str)
    app.connect("doctree-read", link_downloads_online, priority=600)  # after extension.link_page_bib
    app.connect("missing-reference", link_online_only)
    app.add_node(llmkb_references, latex=(visit_references_latex, depart_references_latex))
    app.add_node(llmkb_reference, latex=(visit_reference_entry_latex, lambda self, node: None))
    app.add_post_transform(KeepReferencesInChapter)
    app.add_post_transform(PlainCaptionLinks)
    app.add_post_transform(BreakablePaperTables)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
