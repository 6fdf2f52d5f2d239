"""BibTeX for readers: standard fields only, in canonical order, byte-for-byte stable.

The project's own fields (topics, display venue, kind, code, first-version date)
mean nothing to a reader's LaTeX and are stripped. Output depends only on the
entries given, so the same refs.bib always exports the same bytes.
"""

from __future__ import annotations

from typing import Iterable, Sequence

from ..cite import kinds
from . import schema as S
from .papers import Paper


def exported(paper: Paper, fields: Sequence[str] = S.STANDARD_FIELDS) -> tuple[str, list[tuple[str, str]]]:
    """(entry type, [(field, value)]) as exported.

    An arXiv-only paper (``@article`` with ``journal = {arXiv preprint arXiv:ID}`` in refs.bib, the
    book's convention) leaves as ``@misc`` with ``howpublished``: a preprint is no journal article,
    and GB/T 7714 styles (biblatex-gb7714-2015, gbt7714.bst) would mark it [J]. ``@misc`` rather
    than biblatex's ``@online``: plain BibTeX styles know ``@misc`` and print ``howpublished``,
    biblatex prints its eprint as "arXiv: ID"; ``@online`` is a warning and a lost entry for BibTeX.
    """
    kind = kinds.kind(paper)
    out = []
    for name in fields:
        value = paper.entry.fields.get(name)
        if value is None or not value.strip():
            continue
        if kind == kinds.PREPRINT and name == "journal":
            name = "howpublished"
        out.append((name, value))
    return ("misc" if kind == kinds.PREPRINT else paper.entry.type), out


def format_entry(paper: Paper, fields: Sequence[str] = S.STANDARD_FIELDS) -> str:
    entry_type, values = exported(paper, fields)
    lines = [f"@{entry_type}{{{paper.key},"]
    for name, value in values:
        lines.append(f"  {S.spelled(name)} = {{{value}}},")
    lines.append("}")
    return "\n".join(lines) + "\n"


def export_bibtex(papers: Iterable[Paper]) -> str:
    """The given papers as a .bib text, sorted by key, one blank line between entries."""
    ordered = sorted(papers, key=lambda p: p.key)
    return "\n".join(format_entry(p) for p in ordered)


def select(papers: Iterable[Paper], topics: Sequence[str] = (), keys: Sequence[str] = (),
           years: Sequence[str] = ()) -> list[Paper]:
    """Papers matching every given filter (topics: any of; keys: any of; years: any of)."""
    out = []
    for p in papers:
        if topics and not set(topics) & set(p.topics):
            continue
        if keys and p.key not in keys:
            continue
        if years and p.year not in years:
            continue
        out.append(p)
    return out
