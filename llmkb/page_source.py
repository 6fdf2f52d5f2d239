"""The llmkb directives and citations as written in a MyST page, read without building.

``llmkb check`` uses this to answer, in a second, what the Sphinx build answers from doctrees:
which entries the pages show (``shown_keys``) and which directive options are misspelled
(``check_pages``). One reader of the fences for both, so they cannot disagree on what a
``paper-table`` looks like.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from . import paper_table, terminology
from .bib_check import Problem
from .papers import Paper

_FENCE = re.compile(r"^[ \t]*(?::{3,}|`{3,})\{(?P<name>paper-table|paper-index)\}[^\n]*\n"
                    r"(?P<body>(?:[ \t]*:[A-Za-z0-9_-]+:[^\n]*\n)*)", re.M)
_OPTION = re.compile(r"^[ \t]*:(?P<name>[A-Za-z0-9_-]+):[ \t]*(?P<value>[^\n]*)$", re.M)
_CITE = re.compile(r"\{cite(?::[a-z]+)?\}`(?P<keys>[^`]+)`")


@dataclass(frozen=True)
class Option:
    name: str
    value: str
    line: int  # 1-based, in the page


@dataclass(frozen=True)
class Directive:
    name: str  # paper-table or paper-index
    options: tuple[Option, ...]

    def get(self, name: str, default: str = "") -> str:
        """The value of the last ``:name:`` (as docutils keeps it)."""
        return next((o.value.strip() for o in reversed(self.options) if o.name == name), default)


def directives(text: str) -> Iterator[Directive]:
    for m in _FENCE.finditer(text):
        first_line = text.count("\n", 0, m.start("body")) + 1
        body = m["body"]
        yield Directive(m["name"], tuple(
            Option(o["name"], o["value"], first_line + body.count("\n", 0, o.start()))
            for o in _OPTION.finditer(body)))


def cited_keys(text: str) -> set[str]:
    return {k.strip() for m in _CITE.finditer(text) for k in m["keys"].split(",")}


def shown_keys(docs: Path, papers: Iterable[Paper]) -> set[str]:
    """Keys the topic pages under ``docs`` show in a paper table or cite."""
    papers = list(papers)
    shown: set[str] = set()
    for page in sorted(docs.rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        found = list(directives(text))
        if any(d.name == "paper-index" for d in found):
            continue  # the paper index shows everything; it proves nothing about topic pages
        for d in found:
            tags = d.get("tag").replace(",", " ").split()
            try:
                shown.update(p.key for p in paper_table.select(papers, d.get("topic"), tags))
            except (KeyError, paper_table.SelectionError):
                pass  # the build reports these with the page's location
        shown |= cited_keys(text)
    return shown


def allowed_options() -> dict[str, tuple[str, ...]]:
    """Each directive's option names, from the directives themselves (needs Sphinx)."""
    from .directives import PaperIndexDirective, PaperTableDirective

    return {"paper-table": tuple(sorted(PaperTableDirective.option_spec or {})),
            "paper-index": tuple(sorted(PaperIndexDirective.option_spec or {}))}


def check_text(text: str, path: str, allowed: dict[str, tuple[str, ...]]) -> list[Problem]:
    """Unknown options of the directives in one page (the build says "Unknown option key" too;
    this says which page, which line and the option meant)."""
    out = []
    for d in directives(text):
        names = allowed[d.name]
        for o in d.options:
            if o.name in names:
                continue
            close = difflib.get_close_matches(o.name, names, n=1)
            hint = f" (did you mean ':{close[0]}:'?)" if close else ""
            fix = ("allowed options: " + ", ".join(f":{n}:" for n in names)) if names else "it takes no options"
            out.append(Problem(path, o.line, d.name, f"unknown option ':{o.name}:'{hint}", fix))
    return out


def check_terms(docs: Path) -> list[Problem]:
    """Non-canonical spellings of the glossary's terms in the pages' prose (see ``terminology``)."""
    glossary = terminology.glossary_path(docs)
    if not glossary.is_file():
        return []
    rules = terminology.rules(glossary.read_text(encoding="utf-8"))
    out = [Problem(str(glossary), 0, "glossary", error, "each concept has one entry; list other spellings once")
           for error in terminology.check_rules(rules)]
    for page in sorted(docs.rglob("*.md")):
        if page == glossary:
            continue
        for f in terminology.scan(page.read_text(encoding="utf-8"), rules):
            out.append(Problem(str(page), f.line, "term", f.message(), f.fix()))
    return out


def check_pages(docs: Path) -> list[Problem]:
    """Unknown options of paper-table / paper-index, and non-canonical terms, on every page under
    ``docs``."""
    allowed = allowed_options()
    out: list[Problem] = []
    for page in sorted(docs.rglob("*.md")):
        out += check_text(page.read_text(encoding="utf-8"), str(page), allowed)
    return out + check_terms(docs)
