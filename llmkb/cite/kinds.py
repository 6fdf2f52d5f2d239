"""What a refs.bib entry is, for citing: the one place that reads the book's conventions.

refs.bib keeps arXiv-only papers as ``@article`` with ``journal = {arXiv preprint arXiv:ID}``
(what ``llmkb add`` writes and ``llmkb check`` validates); that is a convention of the book, not
a journal. Every export asks :func:`kind` instead, so preprints are preprints in every format.
A trailing ``and others`` means "the list is cut here": exports list the names before it and
say "et al." in their own way (:func:`authors`), never as an author called "others".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pybtex.database import Person

from ..bib.papers import Paper, latex_to_text

CONFERENCE, JOURNAL, PREPRINT, REPORT = "conference", "journal", "preprint", "report"
ARXIV_JOURNAL = re.compile(r"^arXiv preprint\b")


def kind(paper: Paper) -> str:
    """conference, journal, preprint (arXiv-only) or report."""
    if paper.entry.type == "inproceedings":
        return CONFERENCE
    if paper.entry.type == "techreport":
        return REPORT
    if ARXIV_JOURNAL.match(paper.raw("journal")):
        return PREPRINT
    return JOURNAL


def arxiv_id(paper: Paper) -> str:
    """The arXiv identifier when the entry names one (eprint with archivePrefix arXiv), else ''."""
    if paper.raw("archiveprefix").lower() == "arxiv":
        return paper.raw("eprint").strip()
    return ""


@dataclass(frozen=True)
class Name:
    """One author as plain text: a person (family, given, suffix) or an organisation (literal)."""

    family: str = ""
    given: str = ""
    suffix: str = ""
    literal: str = ""


def _is_braced_whole(name: str) -> bool:
    """'{DeepSeek-AI}': one brace group around the whole name, i.e. an organisation."""
    if not (name.startswith("{") and name.endswith("}")):
        return False
    depth = 0
    for i, ch in enumerate(name):
        depth += ch == "{"
        depth -= ch == "}"
        if depth == 0 and i < len(name) - 1:
            return False
    return True


def _simple_name(name: str) -> Name | None:
    """"Family words, Given words" without braces, backslashes, ties or a second comma: what
    pybtex's Person makes of it, read directly (Person costs ~0.1 ms a name, 30,000 names in a
    grown book). Person splits such a name at the comma and each side on whitespace; the family
    name is every word before the comma (its von and last parts), the given name every word after
    it (first and middle): each side's words joined by one space. tests/test_cite_formats.py
    compares the two on every name in refs.bib and crafted ones."""
    if name.count(",") != 1 or any(c in name for c in "{}\\~"):
        return None
    family, given = (" ".join(side.split()) for side in name.split(","))
    if not family or not given:
        return None
    return Name(family=latex_to_text(family), given=latex_to_text(given))


def parse_name(name: str) -> Name:
    if _is_braced_whole(name):
        return Name(literal=latex_to_text(name))
    simple = _simple_name(name)
    if simple is not None:
        return simple
    person = Person(name)  # BibTeX's own rules: "von Last, Jr, First" and "First von Last"
    text = lambda parts: latex_to_text(" ".join(parts))  # noqa: E731
    family = text(person.prelast_names + person.last_names)
    given = text(person.first_names + person.middle_names)
    return Name(family=family, given=given, suffix=text(person.lineage_names))


def authors(paper: Paper) -> tuple[list[Name], bool]:
    """(the named authors, whether the list is truncated by ``and others``)."""
    raw = paper.authors
    truncated = bool(raw) and raw[-1] == "others"
    return [parse_name(n) for n in raw if n != "others"], truncated
