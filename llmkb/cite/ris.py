"""RIS (for EndNote, NoteExpress, Zotero, Mendeley), read from the CSL-JSON items.

Types as Zotero's RIS translator writes them: CONF (conference paper), JOUR (journal article),
RPRT (report) and UNPB (unpublished work, RIS's type for a preprint). Tags are the common core
every importer reads: TY AU TI T2 PY DA VL IS SP EP PB DO UR N1 M1 (a report's number or an arXiv
id) ID ER. UTF-8, one value a line: a newline in a value would start a new tag, so whitespace runs
become one space.
"""

from __future__ import annotations

import re
from typing import Iterable

from ..bib.papers import Paper
from . import csl

RIS_TYPE = {"paper-conference": "CONF", "article-journal": "JOUR", "report": "RPRT", "article": "UNPB"}
_SPACE = re.compile(r"\s+")


def _one_line(value: str) -> str:
    return _SPACE.sub(" ", value).strip()


def _author(name: dict) -> str:
    if "literal" in name:
        return name["literal"]
    return ", ".join(v for v in (name["family"], name.get("given", ""), name.get("suffix", "")) if v)


def record(item: dict) -> list[tuple[str, str]]:
    tags = [("TY", RIS_TYPE[item["type"]])]
    tags += [("AU", _author(a)) for a in item.get("author", [])]
    tags.append(("TI", item["title"]))
    if item.get("container-title"):
        tags.append(("T2", item["container-title"]))
    parts = item["issued"].get("date-parts", [[]])[0]
    if parts:
        tags.append(("PY", str(parts[0])))
        if len(parts) == 3:  # a preprint's first-version date; PY alone says a year
            tags.append(("DA", f"{parts[0]}/{parts[1]:02d}/{parts[2]:02d}"))
    for tag, name in (("VL", "volume"), ("IS", "issue")):
        if item.get(name):
            tags.append((tag, item[name]))
    if item.get("page"):
        first, _, last = item["page"].partition("-")
        tags.append(("SP", first))
        if last:
            tags.append(("EP", last))
    if item.get("publisher"):
        tags.append(("PB", item["publisher"]))
    if item.get("number"):
        # a report's number or a preprint's arXiv identifier: Zotero reads M1 as "extra" for both
        tags.append(("M1", item["number"]))
    if item.get("DOI"):
        tags.append(("DO", item["DOI"]))
    if item.get("URL"):
        tags.append(("UR", item["URL"]))
    if item.get("note"):
        tags.append(("N1", item["note"]))
    tags.append(("ID", item["id"]))
    lines = [(tag, _one_line(value)) for tag, value in tags]
    return [(tag, value) for tag, value in lines if value]


def paper_text(paper: Paper) -> str:
    """One paper's RIS record, ending with its ER line."""
    return "\n".join([*(f"{tag}  - {value}" for tag, value in record(csl.item(paper))), "ER  - ", ""])


def join(records: list[str]) -> str:
    """The file of records (paper_text) already sorted by key."""
    return "\n".join(records)


def export_ris(papers: Iterable[Paper]) -> str:
    """An RIS file of the papers, sorted by key; same input, same bytes."""
    return join([paper_text(p) for p in sorted(papers, key=lambda p: p.key)])
