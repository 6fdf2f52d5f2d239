"""The reference files the built site offers: the whole library and each page's papers, as
BibTeX (.bib, for LaTeX), RIS (.ris, for EndNote and NoteExpress) and CSL-JSON (.json, for Zotero
and pandoc)."""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Mapping, NamedTuple, Sequence
from urllib.parse import urlsplit

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.osutil import relative_uri

from ..bib.export_bibtex import export_bibtex, format_entry
from ..bib.papers import Paper
from ..cite import csl, ris

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder

#: Where the full BibTeX export lives in the built site.
FULL_URI = "refs.bib"


class Format(NamedTuple):
    ext: str
    name: str  #: as the download line names it
    export: Callable[[Iterable[Paper]], str]  #: the file of the given papers
    record: Callable[[Paper], str]  #: one paper's text in it
    join: Callable[[list[str]], str]  #: the file from records sorted by key (what export does in one go)


#: the formats, in the order the download line names them
FORMATS: tuple[Format, ...] = (
    Format(".bib", "BibTeX", export_bibtex, format_entry, "\n".join),
    Format(".ris", "RIS", ris.export_ris, ris.paper_text, ris.join),
    Format(".json", "CSL-JSON", csl.export_csl_json, csl.paper_line, csl.join),
)


def bib_uri(docname: str, ext: str = ".bib") -> str:
    """Where a page's own reference file lives in the built site (relative to the root)."""
    return f"_bib/{docname}{ext}"


def full_uri(ext: str = ".bib") -> str:
    return f"refs{ext}"


def href(builder: Builder, docname: str, uri: str) -> str:
    """``uri`` (a file relative to the site's root) as a link on ``docname``'s page, from where
    ``builder`` writes that page: ``a/b.html`` (html), ``a/b/index.html`` (dirhtml, whose URL is
    ``a/b/``), the one page of singlehtml."""
    return relative_uri(builder.get_target_uri(docname), uri)


def _file_link(uri: str, here: str) -> nodes.reference:
    # Read time knows no builder: the link is the one the HTML book has (the PDF and EPUB make it
    # absolute from that, llmkb/sphinx_ext/editions.py); FileLinks lays it out for the builder that writes.
    return nodes.reference("", "", nodes.literal("", posixpath.basename(uri)), refuri=posixpath.relpath(uri, here),
                           internal=False, llmkb_file=uri)


def link_paragraph(docname: str) -> nodes.paragraph:
    """「本页引用的全部文献可下载为 BibTeX：<page>.bib、RIS：<page>.ris、CSL-JSON：<page>.json（全书文献见 refs.bib、
    refs.ris、refs.json）。」, linked from ``docname``."""
    here = posixpath.dirname(docname) or "."
    para = nodes.paragraph(classes=["llmkb-page-bib"])
    para += nodes.Text("本页引用的全部文献可下载为 ")
    for i, (ext, name, *_) in enumerate(FORMATS):
        para += nodes.Text(f"{'、' if i else ''}{name}：")
        para += _file_link(bib_uri(docname, ext), here)
    para += nodes.Text("（全书文献见 ")
    for i, (ext, *_) in enumerate(FORMATS):
        if i:
            para += nodes.Text("、")
        para += _file_link(full_uri(ext), here)
    para += nodes.Text("）。")
    return para


class FileLinks(SphinxPostTransform):
    """The links of :func:`link_paragraph`, made relative to where the writing builder puts the page."""

    default_priority = 500  # none of the others makes, moves or reads these links
    formats = ("html",)

    def run(self, **kwargs) -> None:
        for ref in self.document.findall(nodes.reference):
            uri = ref.get("llmkb_file")
            # an absolute link is the online book's copy (the EPUB's, llmkb/sphinx_ext/editions.py): kept
            if uri and not urlsplit(ref["refuri"]).scheme:
                ref["refuri"] = href(self.app.builder, self.env.docname, uri)


def setup(app: Sphinx) -> None:
    app.add_post_transform(FileLinks)


def write_if_changed(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` (folders made) only when the file does not already hold it:
    an unchanged output keeps its modification time, so rebuilds and servers see no change."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def write_all(outdir: Path, papers: Sequence[Paper], cited: Mapping[str, Sequence[str]]) -> None:
    """The whole library's files and each page's, in every format. Each paper's text is made once
    per format: a paper is on several pages (at 10,000 papers the pages' RIS files alone held
    26,000 records, formatted one by one)."""
    by_key = {p.key: p for p in papers}
    for fmt in FORMATS:
        texts = {key: fmt.record(paper) for key, paper in by_key.items()}
        write_if_changed(outdir / full_uri(fmt.ext), fmt.join([texts[k] for k in sorted(texts)]))
        for docname, keys in cited.items():
            chosen = sorted({k for k in keys if k in texts})
            write_if_changed(outdir / bib_uri(docname, fmt.ext), fmt.join([texts[k] for k in chosen]))
