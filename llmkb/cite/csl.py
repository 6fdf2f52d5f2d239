"""CSL-JSON items from refs.bib entries: the hub every other citation format is read from.

One item per paper, with the variables of the CSL 1.0.2 schema (tests validate against it):
conference papers are ``paper-conference``, journal papers ``article-journal``, technical
reports ``report`` (institution as publisher) and arXiv-only papers ``article`` with the
repository as ``publisher`` and the identifier as ``number`` — the form Zotero writes for its
"preprint" items, so an import keeps the type. Values are plain Unicode text (LaTeX decoded).
"""

from __future__ import annotations

import json
import re
from typing import Iterable

from ..bib.papers import Paper, latex_to_text
from . import kinds

CSL_TYPE = {
    kinds.CONFERENCE: "paper-conference",
    kinds.JOURNAL: "article-journal",
    kinds.PREPRINT: "article",
    kinds.REPORT: "report",
}
#: Chinese, Japanese or Korean script: a work in one is cited in its language (等, not et al.) and a
#: name in it is written without a space (render.py)
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
#: said in ``note`` (no CSL variable means "and others"): a reader sees why the list is short
TRUNCATED_NOTE = "Author list abridged in the source (et al.)"


def _name(name: kinds.Name) -> dict[str, str]:
    if name.literal:
        return {"literal": name.literal}
    out = {"family": name.family}
    if name.given:
        out["given"] = name.given
    if name.suffix:
        out["suffix"] = name.suffix
    return out


def _issued(paper: Paper, kind: str) -> dict:
    """The cited version's year; for a preprint, the first version's full date when it is that year."""
    year = paper.year
    date = paper.date
    if kind == kinds.PREPRINT and date[:4] == year and len(date) == 10:
        return {"date-parts": [[int(date[:4]), int(date[5:7]), int(date[8:10])]]}
    return {"date-parts": [[int(year)]]} if year.isdigit() else {"literal": year}


#: key -> (the Paper, its item): each item is made once a build, though the citation dialog, every
#: page's RIS and CSL-JSON exports (page_bib) and the command line all ask for it (a 10,000-paper
#: book asked 76,000 times, 15 s). Kept per Paper object, so an edited entry (a new Paper, e.g. in
#: llmkb.preview's in-process rebuilds) gets a new item.
_ITEMS: dict[str, tuple[Paper, dict]] = {}


def item(paper: Paper) -> dict:
    """The CSL-JSON item of a paper: a new dict each call, whose nested values (author list,
    issued) are shared between calls and must be treated as read-only."""
    known = _ITEMS.get(paper.key)
    if known is None or known[0] is not paper:
        known = _ITEMS[paper.key] = (paper, _make_item(paper))
    return dict(known[1])


def _make_item(paper: Paper) -> dict:
    kind = kinds.kind(paper)
    text = lambda name: latex_to_text(paper.raw(name))  # noqa: E731
    out: dict = {"id": paper.key, "type": CSL_TYPE[kind], "title": paper.title}
    # refs.bib has no language field: a title without Han, kana or hangul is taken as English
    # (GB/T 7714 then writes "et al.", not "等", and APA keeps its English terms)
    out["language"] = "zh" if CJK.search(paper.title) else "en"
    names, truncated = kinds.authors(paper)
    if names:
        out["author"] = [_name(n) for n in names]
    out["issued"] = _issued(paper, kind)
    if kind == kinds.CONFERENCE:
        out["container-title"] = text("booktitle")
    elif kind == kinds.JOURNAL:
        out["container-title"] = text("journal")
    elif kind == kinds.REPORT:
        out["publisher"] = text("institution")
        if paper.raw("number"):
            out["number"] = text("number")
    elif kind == kinds.PREPRINT:
        arxiv = kinds.arxiv_id(paper)
        # no genre ("Preprint") and no archive: APA prints both, and "arXiv" twice
        out["publisher"] = "arXiv"
        if arxiv:
            out["number"] = f"arXiv:{arxiv}"
    if kind in (kinds.CONFERENCE, kinds.JOURNAL):
        for csl_name, bib_name in (("volume", "volume"), ("issue", "number"), ("publisher", "publisher")):
            if paper.raw(bib_name):
                out[csl_name] = text(bib_name)
    if paper.raw("pages"):
        out["page"] = text("pages").replace("–", "-")
    if paper.raw("doi"):
        out["DOI"] = paper.raw("doi")
    if paper.url:
        out["URL"] = paper.url
    notes = [text("note")] if paper.raw("note") else []
    if truncated:
        notes.append(TRUNCATED_NOTE)
    if notes:
        out["note"] = "; ".join(notes)
    return out


def items(papers: Iterable[Paper]) -> list[dict]:
    return [item(p) for p in sorted(papers, key=lambda p: p.key)]


def paper_line(paper: Paper) -> str:
    """One paper's item as a line of JSON."""
    return json.dumps(item(paper), ensure_ascii=False)


def join(lines: list[str]) -> str:
    """The file of items (paper_line) already sorted by key: a JSON array, one item a line."""
    return "[\n" + ",\n".join(lines) + "\n]\n"


def export_csl_json(papers: Iterable[Paper]) -> str:
    """A CSL-JSON file (a JSON array of items, one a line), sorted by key; same input, same bytes."""
    return join([paper_line(p) for p in sorted(papers, key=lambda p: p.key)])
