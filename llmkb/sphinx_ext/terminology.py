"""One term per concept: the glossary names each canonical term and its other spellings.

A glossary entry may end its definition with a sentence listing the spellings the book does not
use for that concept, e.g. under ``KV 缓存``::

    本书不写作：键值缓存、KV Cache。

Readers learn what other texts call the concept; ``llmkb check`` and the strict build flag every
such spelling in a page's prose, with the page, the line and the glossary's term. A spelling is
allowed right after the canonical term, inside its parentheses (``词元（token）``), which is how a
page introduces the English word — and so right after a glossary term built on the canonical one
(``{term}`词元丢弃`（Token Dropping）``), whose English name contains the word; code, formulas, link targets, roles' targets and directive
options are not prose and are never flagged.

Plain functions only: ``rules`` reads the glossary, ``scan`` reads one page; the build
(``llmkb.sphinx_ext.extension``) and the command line (``llmkb.sphinx_ext.page_source``) both call them.
The command line also scans the refs.bib fields shown beside each paper (summary, kind, limitation).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, TypeVar

N = TypeVar("N")  # what check_book hands back with each finding

#: The page that defines the book's terms (a docname, relative to docs/).
GLOSSARY_DOC = "appendix/glossary"

_OTHER_SPELLINGS = re.compile(r"本书不写作：(?P<variants>[^。\n]+)。")
_TERM_LINE = re.compile(r"^(?P<term>\S[^\n]*?)\s*$")


@dataclass(frozen=True)
class Rule:
    canonical: str
    variant: str
    line: int  # where the glossary lists the variant

    def pattern(self) -> re.Pattern[str]:
        """Latin spellings match as whole words, in any case; Chinese ones as written."""
        word = re.escape(self.variant).replace(r"\ ", r"\s+")
        if re.search(r"[A-Za-z]", self.variant):
            return re.compile(rf"(?<![A-Za-z0-9_\-]){word}(?![A-Za-z0-9_\-])", re.I)
        return re.compile(word)


@dataclass(frozen=True)
class Finding:
    line: int
    variant: str  # as written on the page
    canonical: str

    def message(self) -> str:
        return f"non-canonical term '{self.variant}': the glossary's term is '{self.canonical}'"

    def fix(self) -> str:
        if re.search(r"[A-Za-z]", self.variant) and not re.search(r"[A-Za-z]", self.canonical):
            return (f"write '{self.canonical}' (the English word may follow it in parentheses: "
                    f"{self.canonical}（{self.variant}）)")
        return f"write '{self.canonical}'"


def rules(glossary_text: str) -> list[Rule]:
    """The other spellings each glossary term lists, in glossary order."""
    out: list[Rule] = []
    term = ""
    for number, line in _entry_lines(glossary_text):
        if _is_term_line(line):
            m = _TERM_LINE.match(line)
            term = m["term"] if m else term
            continue
        m = _OTHER_SPELLINGS.search(line)
        if m and term:
            for variant in re.split(r"[、，,]", m["variants"]):
                if variant.strip():
                    out.append(Rule(term, variant.strip(), number))
    return out


def terms(glossary_text: str) -> list[str]:
    """Every term the glossary defines, in glossary order."""
    return [m["term"] for _, line in _entry_lines(glossary_text)
            if _is_term_line(line) and (m := _TERM_LINE.match(line))]


def _entry_lines(glossary_text: str) -> Iterator[tuple[int, str]]:
    """(line number, line) inside the page's ``:::{glossary}`` blocks: the introduction above the
    block is prose, and its unindented lines were once taken for terms."""
    inside = False
    for number, line in enumerate(glossary_text.splitlines(), start=1):
        if line.startswith(":::"):
            inside = line.startswith(":::{glossary}")
            continue
        if inside:
            yield number, line


def _is_term_line(line: str) -> bool:
    """A glossary line that names a term: unindented, and not a directive option or comment."""
    return bool(line) and not line[0].isspace() and not line.startswith((":", "%"))


def check_rules(found: list[Rule]) -> list[str]:
    """Contradictions in the glossary itself: a variant that is also a term, or claimed twice."""
    terms = {r.canonical for r in found}
    seen: dict[str, str] = {}
    errors = []
    for r in found:
        if r.variant in terms:
            errors.append(f"line {r.line}: '{r.variant}' is listed as another spelling of "
                          f"'{r.canonical}' but is a glossary term of its own: merge the two entries")
        elif seen.setdefault(r.variant.lower(), r.canonical) != r.canonical:
            errors.append(f"line {r.line}: '{r.variant}' is listed under both "
                          f"'{seen[r.variant.lower()]}' and '{r.canonical}'")
    return errors


# Parts of a MyST page that are not prose. Each is blanked (keeping its newlines, so line
# numbers stay right) before the page is scanned.
_NOT_PROSE = re.compile(
    r"\A---\n.*?\n---\n"                                # front matter
    r"|^(?P<fence>`{3,}|~{3,})(?!\{).*?^(?P=fence)[ \t]*$"  # code blocks (not directives)
    r"|^(`{3,}|:{3,})\{(?:math|code-block|code)\}.*?^\1[ \t]*$"  # math and code directives
    r"|\$\$.*?\$\$|\$[^$\n]+\$"                         # formulas
    r"|``[^`]+``|`[^`\n]+`"                            # inline code and roles' targets
    r"|\]\([^)\n]*\)"                                   # link targets
    r"|<!--.*?-->|<[^>\n]+>"                             # HTML comments and tags
    r"|^[ \t]*:[A-Za-z0-9_-]+:[^\n]*$"                  # directive options (one line each)
    r"|^\([^)\n]+\)=[ \t]*$",                           # labels
    re.S | re.M,
)


def prose(text: str) -> str:
    """``text`` with everything that is not prose replaced by spaces (newlines kept)."""
    return _NOT_PROSE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def scan(text: str, found: list[Rule], defined: Iterable[str] = ()) -> list[Finding]:
    """Every non-canonical spelling in a page's prose, in page order. ``defined``: the glossary's
    terms (``terms``); those built on a canonical term may be followed by its spelling too."""
    body = prose(text)
    defined = list(defined)
    out = []
    for rule in found:
        heads = [rule.canonical, *(t for t in defined if rule.canonical in t and t != rule.canonical)]
        for m in rule.pattern().finditer(body):
            if any(_introduced(text, body, m.start(), head) for head in heads):
                continue
            out.append(Finding(body.count("\n", 0, m.start()) + 1, m.group(0), rule.canonical))
    return sorted(out, key=lambda f: (f.line, f.variant))


def _introduced(text: str, body: str, start: int, canonical: str) -> bool:
    """Is the spelling inside the parentheses that follow the canonical term, as in 词元（token）
    or {term}`词元`（token）?"""
    opening = max(body.rfind("（", 0, start), body.rfind("(", 0, start))
    if opening < 0 or max(body.rfind("）", opening, start), body.rfind(")", opening, start)) >= 0:
        return False
    before = text[:opening].rstrip()
    return before.endswith(canonical) or before.endswith(f"{canonical}`")


def glossary_path(docs: Path) -> Path:
    return docs / f"{GLOSSARY_DOC}.md"


def check_book(glossary_text: str, pages: Iterable[tuple[N, str]]) -> tuple[list[str], list[tuple[N, Finding]]]:
    """The glossary's own contradictions, and every (page, finding) in ``pages`` ((name, text)
    pairs, the glossary excluded by the caller): what the build warns and ``llmkb check`` reports.
    A name is whatever the caller needs back: a page's path, or (entry, field) for refs.bib."""
    found, defined = rules(glossary_text), terms(glossary_text)
    return check_rules(found), [(name, f) for name, text in pages for f in scan(text, found, defined)]
