"""Papers: refs.bib entries as the book displays them.

A ``Paper`` wraps one raw entry and answers display questions (plain-text
title, short author list, topics, tags, venue) without ever producing markup:
callers put these strings into docutils Text nodes or escape them.
"""

from __future__ import annotations

import codecs
import functools
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Iterable

import latexcodec  # noqa: F401  (registers the "ulatex" codec)

from . import file as bibfile
from . import schema as bib_schema

_BRACES = re.compile(r"[{}]")
#: Anything latexcodec's decoder would change: control sequences, math, ties, comments, the
#: character sequences it translates (``--``, ``---``, ``` `` ```, ``''``, ``,,``, ``!` ``,
#: ``?` ``) and whitespace it collapses or drops (leading, repeated, tab, newline). A string
#: without any of them decodes to itself (tests/test_citation_style.py checks it), so most
#: titles and names skip the decoder, which costs ~0.4 ms a value.
NEEDS_DECODING = re.compile(r"[\\$~%#`^]|--|''|,,|\s\s|^\s|[^\S ]")

_SPACES = re.compile(r"\s+")


@functools.lru_cache(maxsize=None)  # the same names and venues recur across thousands of entries
def latex_to_text(value: str) -> str:
    """Plain Unicode text for a LaTeX field value ({\\\"u} -> ü, \\& -> &, braces dropped)."""
    decoded = value
    if NEEDS_DECODING.search(value):
        try:
            decoded = codecs.decode(value, "ulatex")
        except Exception:  # latexcodec is lenient; keep the raw value rather than fail
            pass
    return _SPACES.sub(" ", _BRACES.sub("", decoded)).strip()


def split_authors(value: str) -> list[str]:
    """Split an author field on ' and ' outside braces."""
    names, depth, current = [], 0, []
    tokens = re.split(r"(\s+and\s+|[{}])", value)
    for tok in tokens:
        if tok == "{":
            depth += 1
        elif tok == "}":
            depth -= 1
        if depth == 0 and re.fullmatch(r"\s+and\s+", tok or ""):
            names.append("".join(current).strip())
            current = []
        else:
            current.append(tok or "")
    names.append("".join(current).strip())
    return [n for n in names if n]


def display_name(name: str) -> str:
    """'Hu, Edward J.' -> 'Edward J. Hu'; '{DeepSeek-AI}' -> 'DeepSeek-AI'."""
    if name == "others":
        return "等"
    depth, comma = 0, -1
    for i, ch in enumerate(name):
        depth += ch == "{"
        depth -= ch == "}"
        if ch == "," and depth == 0:
            comma = i
            break
    if comma >= 0:
        name = f"{name[comma + 1:].strip()} {name[:comma].strip()}"
    return latex_to_text(name)


def family_name(name: str) -> str:
    depth = 0
    for i, ch in enumerate(name):
        depth += ch == "{"
        depth -= ch == "}"
        if ch == "," and depth == 0:
            return latex_to_text(name[:i])
    return latex_to_text(name.split()[-1] if not name.startswith("{") else name)


@dataclass(frozen=True)
class Paper:
    entry: bibfile.RawEntry

    @property
    def key(self) -> str:
        return self.entry.key

    def raw(self, name: str) -> str:
        return self.entry.fields.get(name, "")

    @cached_property
    def title(self) -> str:
        return latex_to_text(self.raw("title"))

    @cached_property
    def authors(self) -> list[str]:
        return split_authors(self.raw("author"))

    def short_authors(self, limit: int = 3) -> str:
        names = [display_name(n) for n in self.authors if n != "others"]
        more = len(names) > limit or "others" in self.authors
        shown = ", ".join(names[:limit])
        return f"{shown} 等" if more else shown

    @cached_property
    def all_authors(self) -> str:
        return ", ".join(display_name(n) for n in self.authors)

    @property
    def first_family_name(self) -> str:
        return family_name(self.authors[0]) if self.authors else self.key

    @property
    def year(self) -> str:
        return self.raw("year")

    @property
    def date(self) -> str:
        return self.raw("date")

    @property
    def url(self) -> str:
        return self.raw("url")

    @property
    def code(self) -> str:
        return self.raw("code")

    @property
    def kind(self) -> str:
        return latex_to_text(self.raw("kind"))

    @property
    def venue(self) -> str:
        return latex_to_text(self.raw("shortvenue"))

    @cached_property  # read for every entry by every paper-table on every page
    def topics(self) -> tuple[str, ...]:
        return tuple(bib_schema.split_list(self.raw("keywords")))

    @cached_property
    def tags(self) -> tuple[str, ...]:
        return tuple(bib_schema.split_list(self.raw("tags")))


_BY_TOPIC: list[tuple[list[Paper], dict[str, list[Paper]]]] = []


def by_topic(papers: Iterable[Paper]) -> dict[str, list[Paper]]:
    """topic id -> its papers in the order of ``papers`` (refs.bib's), only the topics that have
    any. Kept for the last list asked about, by identity: a build asks for each topic's papers from
    every paper table, listing plan, lineage graph and freshness line, and each scan of a
    10,000-entry library took ~3 ms (about 1,000 scans in the grown 10k book's build). The
    library's list is never changed in place (``library.load`` makes a new one)."""
    if not isinstance(papers, list):
        papers = list(papers)
    elif _BY_TOPIC and _BY_TOPIC[0][0] is papers:
        return _BY_TOPIC[0][1]
    index: dict[str, list[Paper]] = {}
    for p in papers:
        for t in dict.fromkeys(p.topics):
            index.setdefault(t, []).append(p)
    _BY_TOPIC[:] = [(papers, index)]
    return index


def load(path: Path) -> tuple[list[Paper], bibfile.BibFile]:
    bib = bibfile.read(path)
    return [Paper(e) for e in bib.entries], bib
