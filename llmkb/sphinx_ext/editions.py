"""The PDF and EPUB editions: what ``make pdf`` and ``make epub`` change against the HTML book.

Both build with ``-t book``: the root is docs/book.md (preface, the five parts, the appendix)
instead of the home page, so the PDF has parts as ``\\part`` and topics as ``\\chapter``
(``latex_toplevel_sectioning = "part"``), and the preface and the appendix are set one level lower
by the heading macros in :data:`LATEX_PREAMBLE`. conf.py takes its settings from here; the HTML
build never reads this module's transforms (they are registered for latex/epub only).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import docname_join
from sphinx.writers.latex import MAX_CITATION_LABEL_LENGTH, LaTeXTranslator
from sphinxcontrib.bibtex.nodes import raw_latex


def download_urls(site_url: str) -> dict[str, str]:
    """Where Read the Docs serves this version's PDF and EPUB: /_/downloads/<lang>/<version>/<format>/
    on the book's host (site_url is https://<host>/<lang>/<version>/)."""
    parts = urlsplit(site_url)
    lang, version = [p for p in parts.path.split("/") if p][:2]
    base = f"{parts.scheme}://{parts.netloc}/_/downloads/{lang}/{version}/"
    return {"pdf": base + "pdf/", "epub": base + "epub/"}


#: pages the editions leave out: the HTML home page (the preface carries its text), the 404 page,
#: and the latest additions (a dated list of what the paper index holds); links to them point at
#: the online book. The paper index is in: a printed index of every paper, in the EPUB without
#: its filter (a script's form; the table is complete without it).
ONLINE_ONLY = ("index", "404", "appendix/recent")

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
% The preface is unnumbered (0.1, 0.2 … in the front matter read as a mistake).
\newcommand\llmkbNoNumbers{\edef\llmkb@secnumdepth{\the\c@secnumdepth}\setcounter{secnumdepth}{-1}}
\newcommand\llmkbNumbers{\setcounter{secnumdepth}{\llmkb@secnumdepth}}
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
    # the widest label sets the list's indent, cut as Sphinx cuts it for its own bibliography
    longest = max((entry[0].astext() for entry in node.children), key=len, default="")
    self.body.append("\n\\begin{llmkbreferences}{%s}\n" % self.encode(longest[:MAX_CITATION_LABEL_LENGTH]))


def depart_references_latex(self, node) -> None:
    self.body.append("\\end{llmkbreferences}\n")


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


#: HTML-only pieces the editions leave out, each with what stands in for it: the paper index's
#: filter (a form only its script makes work, whose <input> is not XHTML; the table is complete
#: without it) and the lineage and reading-path graphs (inline SVG with SVG 2 links, which EPUB's
#: SVG 1.1 rejects; the relations and steps follow as a list).
HTML_ONLY_MARKERS = ("llmkb-paper-filter", '<figure class="llmkb-graph"')


def drop_html_only(app, doctree) -> None:
    for raw in list(doctree.findall(nodes.raw)):
        if any(marker in raw.astext() for marker in HTML_ONLY_MARKERS):
            raw.parent.remove(raw)


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


_RAW_OPEN = re.compile(r'<a href="([^"<>]+)">')


def raw_links_as_links(app, doctree) -> None:
    """An HTML link written into a page (MyST keeps ``<a href=…>``, ``<code>`` … ``</a>`` as raw
    HTML pieces around the text) is dropped by LaTeX and left dead in an EPUB: it becomes an
    ordinary link (made absolute by link_downloads_online), its text kept."""
    for opening in list(doctree.findall(nodes.raw)):
        match = "html" in opening.get("format", "").split() and _RAW_OPEN.fullmatch(opening.astext().strip())
        if not match or opening.parent is None:
            continue
        parent, start = opening.parent, opening.parent.index(opening)
        end = next((i for i in range(start + 1, len(parent))
                    if isinstance(parent[i], nodes.raw) and parent[i].astext().strip() == "</a>"), None)
        if end is None:
            continue
        inner = parent[start + 1:end]
        text = "".join(n.astext() for n in inner if not isinstance(n, nodes.raw))
        code = any(isinstance(n, nodes.raw) and n.astext().strip() == "<code>" for n in inner)
        link = nodes.reference("", "", nodes.literal(text, text) if code else nodes.Text(text), refuri=match[1])
        for node in parent[start:end + 1]:
            parent.remove(node)
        parent.insert(start, link)


# --- the EPUB: what epubcheck requires and Sphinx's EPUB 3 builder does not write ---------------

_DOCTYPE = re.compile(r"<!DOCTYPE[^>[]*(\[[^\]]*\])?\s*>\s*", re.S)
_PATH_WITHOUT_D = re.compile(r'<path((?:(?!\sd=)[^>])*/?>)')
_CSS_DIRECTION = re.compile(r"\s*(?<![-\w])direction\s*:\s*[a-z]+\s*;?")
_ITEM = re.compile(r'<item id="([^"]+)" href="([^"]+\.xhtml)" media-type="application/xhtml\+xml" />')


def item_properties(xhtml: str) -> list[str]:
    """The EPUB 3 manifest properties a content document needs: inline SVG (the formulas) and MathML
    (their accessible copy)."""
    props = []
    if "<svg" in xhtml:
        props.append("svg")
    if "<math" in xhtml:
        props.append("mathml")
    return props


def declare_properties(opf: str, outdir: Path) -> str:
    def item(match: re.Match) -> str:
        props = item_properties((outdir / match[2]).read_text(encoding="utf-8"))
        if not props:
            return match[0]
        return match[0][:-3] + f' properties="{" ".join(props)}" />'
    return _ITEM.sub(item, opf)


def epub_clean_assets(outdir: Path) -> None:
    """matplotlib's SVGs carry a DOCTYPE with external identifiers, and MathJax's stylesheet a
    'direction' property: EPUB 3 allows neither."""
    for svg in outdir.glob("_images/**/*.svg"):
        text = svg.read_text(encoding="utf-8")
        # matplotlib draws a space as a glyph <path> with no outline: EPUB's SVG schema wants d
        cleaned = _PATH_WITHOUT_D.sub(r'<path d=""\1', _DOCTYPE.sub("", text, count=1))
        if cleaned != text:
            svg.write_text(cleaned, encoding="utf-8")
    for css in outdir.glob("_static/**/*.css"):
        text = css.read_text(encoding="utf-8")
        cleaned = _CSS_DIRECTION.sub("", text)
        if cleaned != text:
            css.write_text(cleaned, encoding="utf-8")


def epub_builder():
    from sphinx.builders.epub3 import Epub3Builder

    class EditionEpubBuilder(Epub3Builder):
        """Sphinx's EPUB 3 builder, plus the manifest properties and asset clean-up epubcheck asks for."""

        def build_content(self) -> None:
            epub_clean_assets(Path(self.outdir))
            super().build_content()
            opf = Path(self.outdir) / "content.opf"
            opf.write_text(declare_properties(opf.read_text(encoding="utf-8"), Path(self.outdir)), encoding="utf-8")

    return EditionEpubBuilder


# --- the PDF's LaTeX log: problems xelatex only warns about -------------------------------------

#: A box taller than the page loses its bottom: a table's last rows went off the page ("while
#: \\output is active"), or a box more than VBOX_TOLERANCE_PT too high (a framed code block a
#: couple of points over its slot is only spacing). A reference or citation LaTeX could not
#: resolve prints "??" in the PDF. A missing character is left out of it.
VBOX_TOLERANCE_PT = 5.0
_OVERFULL_VBOX = re.compile(r"^Overfull \\vbox \((?P<pt>[\d.]+)pt too high\)(?P<rest>.*)$", re.M)
_UNDEFINED = re.compile(r"^(LaTeX Warning: (Reference|Citation) .* undefined.*|"
                        r"LaTeX Warning: There were undefined references\.)$", re.M)
#: A character no font of its style has (xelatex only logs it): the PDF silently leaves it out,
#: e.g. Lean's ⊢ in an italic code comment, which FreeMono has upright but not oblique.
_MISSING_CHARACTER = re.compile(r"^Missing character: There is no .*$", re.M)


def latex_log_problems(log: str) -> list[str]:
    boxes = [m for m in _OVERFULL_VBOX.finditer(log)
             if "while \\output is active" in m["rest"] or float(m["pt"]) > VBOX_TOLERANCE_PT]
    found = ([(m.start(), m[0]) for m in boxes] + [(m.start(), m[0]) for m in _UNDEFINED.finditer(log)]
             + [(m.start(), m[0]) for m in _MISSING_CHARACTER.finditer(log)])
    return [line for _, line in sorted(found)]


#: The PDF from Sphinx's .tex: every caller (make pdf, Read the Docs, the tests, make bench) runs
#: this one command in the LaTeX output folder.
TEX_FILE = "llmkb.tex"
LATEXMK = ("latexmk", "-xelatex", "-interaction=nonstopmode", "-halt-on-error", "-quiet", TEX_FILE)


def build_pdf(latex_dir: Path) -> int:
    """latexmk in ``latex_dir``, then the log check: 0 when the PDF is there and whole."""
    import subprocess

    made = subprocess.run(LATEXMK, cwd=latex_dir).returncode
    if made:
        return made
    return check_latex_log(latex_dir / Path(TEX_FILE).with_suffix(".log"))


def check_latex_log(log: Path) -> int:
    problems = latex_log_problems(log.read_text(encoding="utf-8", errors="replace"))
    for line in problems:
        print(f"{log}: {line}")
    if problems:
        print(f"{log}: {len(problems)} problem(s): a table or figure taller than a page is cut "
              "(split it), an undefined reference prints ?? (fix the link), a missing character is left "
              "out (write it where an upright font has it, e.g. outside an italic code comment)")
    return 1 if problems else 0


#: Debian's /usr/bin/epubcheck is the jar itself, runnable only where binfmt_misc knows jars (not
#: in most containers): run the jar with java.
EPUBCHECK_JAR = Path("/usr/share/java/epubcheck.jar")


def epubcheck_command() -> list[str] | None:
    import shutil

    if EPUBCHECK_JAR.is_file() and shutil.which("java"):
        return ["java", "-jar", str(EPUBCHECK_JAR)]
    return [found] if (found := shutil.which("epubcheck")) else None


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m llmkb.sphinx_ext.editions")
    sub = parser.add_subparsers(dest="command", required=True)
    pdf = sub.add_parser("pdf", help="latexmk (xelatex) in the folder Sphinx's LaTeX builder wrote, then check-latex-log")
    pdf.add_argument("latex_dir", type=Path)
    check = sub.add_parser("check-latex-log", help="fail on boxes that overflow a page and undefined references")
    check.add_argument("log", type=Path)
    epub = sub.add_parser("epubcheck", help="validate an EPUB with epubcheck (a notice when it is not installed)")
    epub.add_argument("epub", type=Path)
    args = parser.parse_args(argv)
    if args.command == "epubcheck":
        import subprocess

        command = epubcheck_command()
        if command is None:
            print(f"{args.epub}: not validated: epubcheck not found (apt-get install epubcheck)")
            return 0
        return subprocess.run([*command, "-q", str(args.epub)]).returncode
    if args.command == "pdf":
        return build_pdf(args.latex_dir)
    return check_latex_log(args.log)


def setup(app) -> dict:
    app.add_config_value("llmkb_site_url", "", "env", str)
    app.add_builder(epub_builder(), override=True)
    app.connect("doctree-read", raw_links_as_links, priority=550)
    app.connect("doctree-read", drop_html_only, priority=550)
    app.connect("doctree-read", link_downloads_online, priority=600)  # after extension.link_page_bib
    app.connect("missing-reference", link_online_only)
    app.add_node(llmkb_references, latex=(visit_references_latex, depart_references_latex))
    # an entry is written as Sphinx writes a citation (\bibitem[label]{doc:id}; the label node is skipped)
    app.add_node(llmkb_reference, latex=(LaTeXTranslator.visit_citation, LaTeXTranslator.depart_citation))
    app.add_post_transform(KeepReferencesInChapter)
    app.add_post_transform(PlainCaptionLinks)
    app.add_post_transform(BreakablePaperTables)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    raise SystemExit(main())
