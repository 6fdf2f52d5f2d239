"""The refs.bib of the current build, loaded once and checked once.

Loaded at ``config-inited`` in the main process; parallel read workers are
forked afterwards and inherit it, so no worker parses the file again.
Per-document facts (which page is the paper index) live on the environment and
are merged back from parallel workers.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.environment import BuildEnvironment

from ..bib import file as bibfile
from ..bib.papers import Paper

_PAPERS: list[Paper] = []
_BY_KEY: dict[str, Paper] = {}
_BIB: bibfile.BibFile | None = None


def load(path: Path) -> bibfile.BibFile:
    global _PAPERS, _BY_KEY, _BIB
    _BIB = bibfile.read(path)
    _PAPERS = [Paper(e) for e in _BIB.entries]
    _BY_KEY = {p.key: p for p in _PAPERS}
    return _BIB


def papers() -> list[Paper]:
    return _PAPERS


def paper(key: str) -> Paper:
    """The paper of ``key`` (a key some row or citation of this build holds)."""
    return _BY_KEY[key]


def bib() -> bibfile.BibFile | None:
    return _BIB


def index_pages(env: BuildEnvironment) -> set[str]:
    if not hasattr(env, "llmkb_index_pages"):
        env.llmkb_index_pages = set()
    return env.llmkb_index_pages


def note_index_page(env: BuildEnvironment, docname: str) -> None:
    index_pages(env).add(docname)


def row_keys_by_doc(env: BuildEnvironment) -> dict[str, list[str]]:
    """docname -> the keys of the paper rows the page shows (row_citations.record)."""
    if not hasattr(env, "llmkb_rows"):
        env.llmkb_rows = {}
    return env.llmkb_rows


def purge_doc(app, env: BuildEnvironment, docname: str) -> None:
    index_pages(env).discard(docname)
    row_keys_by_doc(env).pop(docname, None)


def merge_info(app, env: BuildEnvironment, docnames, other: BuildEnvironment) -> None:
    index_pages(env).update(index_pages(other) & set(docnames))
    rows = row_keys_by_doc(other)
    row_keys_by_doc(env).update((doc, rows[doc]) for doc in docnames if doc in rows)


def cited_keys_by_doc(env: BuildEnvironment) -> dict[str, list[str]]:
    """docname -> keys cited there (tables and inline citations), in citation order."""
    out: dict[str, dict[str, None]] = {}  # an ordered set per page: linear in the citations
    for ref in env.get_domain("cite").citation_refs:
        keys = out.setdefault(ref.docname, {})
        for target in ref.targets:
            keys[target.key] = None
    return {doc: list(keys) for doc, keys in out.items()}


def shown_keys_by_doc(env: BuildEnvironment) -> dict[str, list[str]]:
    """docname -> keys a page cites or shows as a row: a row is a full reference, and its paper is
    in the page's reference files whether or not the row cites it (row_citations)."""
    out = {doc: dict.fromkeys(keys) for doc, keys in cited_keys_by_doc(env).items()}
    for doc, keys in row_keys_by_doc(env).items():
        out.setdefault(doc, {}).update(dict.fromkeys(keys))
    return {doc: list(keys) for doc, keys in out.items() if keys}
