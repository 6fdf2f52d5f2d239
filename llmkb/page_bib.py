"""The .bib files the built site offers: the whole refs.bib and one per page."""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Mapping, Sequence

from docutils import nodes

from .export_bibtex import export_bibtex
from .papers import Paper

#: Where the full export lives in the built site.
FULL_URI = "refs.bib"


def bib_uri(docname: str) -> str:
    """Where a page's own .bib lives in the built site (relative to the root)."""
    return f"_bib/{docname}.bib"


def link_paragraph(docname: str) -> nodes.paragraph:
    """「本页引用的全部文献可下载为 BibTeX：<page>.bib（全书文献见 refs.bib）。」, linked from ``docname``."""
    here = posixpath.dirname(docname) or "."
    para = nodes.paragraph(classes=["llmkb-page-bib"])
    para += nodes.Text("本页引用的全部文献可下载为 BibTeX：")
    para += nodes.reference("", "", nodes.literal("", posixpath.basename(bib_uri(docname))),
                            refuri=posixpath.relpath(bib_uri(docname), here), internal=False)
    para += nodes.Text("（全书文献见 ")
    para += nodes.reference("", "", nodes.literal("", "refs.bib"), refuri=posixpath.relpath(FULL_URI, here),
                            internal=False)
    para += nodes.Text("）。")
    return para


def _write_if_changed(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def write_all(outdir: Path, papers: Sequence[Paper], cited: Mapping[str, Sequence[str]]) -> None:
    by_key = {p.key: p for p in papers}
    _write_if_changed(outdir / FULL_URI, export_bibtex(papers))
    for docname, keys in cited.items():
        chosen = [by_key[k] for k in keys if k in by_key]
        _write_if_changed(outdir / bib_uri(docname), export_bibtex(chosen))
