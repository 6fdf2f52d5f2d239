"""sphinxcontrib-bibtex without the work per entry × per citation (benchmarks/README.md).

sphinxcontrib-bibtex 2.7 does, for a book with N bib entries, R citations and B bibliographies:

* ``get_filtered_entries``: for every bibliography, for every entry, a scan of every citation
  (B × N × R); ``get_all_cited_keys`` sorts all citations per bibliography with ``list.index``;
* ``resolve_xref``: for every citation, two scans of every formatted citation (R × C);
* ``BibliographyTransform``: for every formatted citation, a scan of every citation for back-links
  (C × R);
* ``BibliographyDirective``: one citation node per entry of the bib file, in every bibliography
  (B × N nodes, kept in the environment and in every doctree's ids);
* ``env_updated``: every bibliography formatted again on every build, even a no-op one.

This module keeps the same classes, data and output and replaces only those algorithms:

* an index built once per ``env-updated`` (key → citing docs, doc → cited keys, key → formatted
  citations, (doc, key) → back-link ids, global citation order);
* filters narrowed to the candidate entries when the filter is ``docname in docnames`` or
  ``cited`` (the expression is still evaluated on each candidate, so the result is the same);
* citation nodes made on first use when ``bibtex_cite_id`` contains ``{key}`` (their ids then
  depend on the key alone, so nothing needs to exist before the filter has run);
* formatted entries cached per (style, label, entry content), kept in the environment, so a
  rebuild formats only new or changed entries, and ``env-updated`` returns exactly the documents
  whose bibliography or citations changed (a refs.bib edit rewrites only the pages that show it).

``LLMKB_STOCK_BIBTEX=1`` in the environment turns all of this off (for benchmarks and tests).
"""

from __future__ import annotations

import ast
import functools
import hashlib
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, cast

import docutils.nodes
import pybtex.plugin
import sphinx.util.logging
from docutils.nodes import make_id
from pybtex.richtext import Tag
from pybtex.style import FormattedEntry
from pybtex.style.template import FieldIsMissing
from sphinx.application import Sphinx
from sphinx.util.logging import is_suppressed_warning
from sphinxcontrib.bibtex.citation_target import parse_citation_targets
from sphinxcontrib.bibtex.directives import BibliographyDirective, BibliographyKey, BibliographyValue
from sphinxcontrib.bibtex.domain import BibtexDomain, Citation, _FilterVisitor, get_docnames
from sphinxcontrib.bibtex.nodes import bibliography as bibliography_node
from sphinxcontrib.bibtex.style.referencing import format_references
from sphinxcontrib.bibtex.style.template import SphinxReferenceInfo
from sphinxcontrib.bibtex.transforms import BibliographyTransform, node_text_transform

logger = sphinx.util.logging.getLogger(__name__)

ENV_VERSION = 1
_CITED = ast.dump(ast.parse("cited"))
_LOCAL = {ast.dump(ast.parse(s)) for s in ("docname in docnames", "docname in docnames and cited",
                                           "cited and docname in docnames")}


@functools.cache
def _plaintext():
    return pybtex.plugin.find_plugin("pybtex.backends", "plaintext")()


@functools.cache
def _style(name: str):
    return pybtex.plugin.find_plugin("pybtex.style.formatting", name)


def enabled() -> bool:
    return os.environ.get("LLMKB_STOCK_BIBTEX", "").lower() not in {"1", "true", "yes"}


# --- citation nodes made on first use ----------------------------------------------------------

#: (keyprefix, id format, bibliography count) → (the key sets it was computed for, id → the key
#: that owns it, [(key, id) of keys whose id an earlier key already owns]); see ``_id_owners``
_ID_OWNERS: dict[tuple[str, str, int], tuple[list, dict[str, str], list[tuple[str, str]]]] = {}


def _id_owners(keysets: list[Mapping[str, Any]], keyprefix: str, id_format: str,
               count: int) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Which key owns which citation id, as stock hands them out: in bib-file order, the first
    key whose ``make_id`` gives an id keeps it, a later one (``Tèst``, ``Tést`` and ``Têst`` all
    give ``cite-1-test``) clashes. Computed once per refs.bib parse and id format, not once per
    bibliography: under ``cite-{key}`` every page shares one map."""
    cache_key = (keyprefix, id_format, count)
    hit = _ID_OWNERS.get(cache_key)
    if hit is None or len(hit[0]) != len(keysets) or any(a is not b for a, b in zip(hit[0], keysets)):
        owners: dict[str, str] = {}
        clashes: list[tuple[str, str]] = []
        seen: set[str] = set()
        for keys in keysets:
            for key in keys:
                if key in seen:
                    continue
                seen.add(key)
                id_ = make_id(id_format.format(bibliography_count=count, key=keyprefix + key))
                if id_ in owners:
                    clashes.append((keyprefix + key, id_))
                else:
                    owners[id_] = keyprefix + key
        hit = _ID_OWNERS[cache_key] = (list(keysets), owners, clashes)
    return hit[1], hit[2]


class CitationNodes(Mapping):
    """key → citation node of one bibliography, made when first asked for.

    Stands in for the ``citation_nodes`` dict of ``BibliographyValue``: same keys (every entry of
    the bibliography's bib files, with the key prefix), same node ids (``bibtex_cite_id`` with the
    key), but a node exists only once something asks for it: the bibliography of a page that cites
    40 of 10,000 entries makes 40 nodes, not 10,000. The key sets are the domain's ``bibdata``,
    refreshed by ``env_updated`` when refs.bib is parsed again.

    Nodes that do not exist are not in the page's ``document.ids`` either, so nothing there stops
    two things from getting the same id: :meth:`settle_ids` (at ``doctree-read``, when the page's
    ids are all known) gives every entry whose id is taken — by an earlier entry of the bib files
    or by anything else on the page — stock's warning (``duplicate citation id …``) and a unique
    auto id, as stock's directive does. One difference: stock registers its ids while the page is
    parsed, so an element *after* the bibliography (a label ``cite-test``) silently gets another
    id; here the entry does, with the warning, and the citation links still land on the entry.
    """

    def __init__(self, keysets: list[Mapping[str, Any]], keyprefix: str, node_class: type,
                 id_format: str, bibliography_count: int) -> None:
        self.keysets = keysets
        self.keyprefix = keyprefix
        self.node_class = node_class
        self.id_format = id_format
        self.bibliography_count = bibliography_count
        self.ids: dict[str, str] = {}  # key → auto id, for the entries whose id was taken
        self._nodes: dict[str, docutils.nodes.Element] = {}

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state["_nodes"] = {}
        return state

    def __setstate__(self, state: dict) -> None:
        state.setdefault("ids", {})
        self.__dict__.update(state)

    def node_id(self, key: str) -> str:
        return self.ids.get(key) or make_id(
            self.id_format.format(bibliography_count=self.bibliography_count, key=key))

    def owners(self) -> tuple[dict[str, str], list[tuple[str, str]]]:
        return _id_owners(self.keysets, self.keyprefix, self.id_format, self.bibliography_count)

    def settle_ids(self, document: docutils.nodes.document, location: tuple[str, int]) -> None:
        """Give each entry whose id is taken a unique id, with stock's warning (see the class)."""
        owners, clashes = self.owners()
        taken = list(clashes)
        for id_, node in document.ids.items():
            key = owners.get(id_)
            if key is not None and node is not self._nodes.get(key):
                taken.append((key, id_))
        for key, id_ in taken:
            if key in self.ids:
                continue
            logger.warning(f"duplicate citation id {id_}", location=location, type="bibtex",
                           subtype="duplicate_id")
            node = self.node_class()
            document.note_explicit_target(node, node)  # an auto id, registered, as stock's
            self.ids[key] = node["ids"][0]
            self._nodes[key] = node

    def register(self, document: docutils.nodes.document) -> None:
        """Put every entry's node in ``document.ids``, as stock's directive does, for a stock
        directive later on the page to see (a second bibliography under ``cite-{key}``)."""
        owners, _ = self.owners()
        for id_, key in owners.items():
            if id_ not in document.ids:
                document.ids[id_] = self[key]

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str) or not key.startswith(self.keyprefix):
            return False
        bare = key[len(self.keyprefix):]
        return any(bare in keys for keys in self.keysets)

    def __getitem__(self, key: str) -> docutils.nodes.Element:
        node = self._nodes.get(key)
        if node is None:
            if key not in self:
                raise KeyError(key)
            node = self._nodes[key] = self.node_class(ids=[self.node_id(key)])
        return node

    def __iter__(self) -> Iterator[str]:
        seen: set[str] = set()
        for keys in self.keysets:
            for key in keys:
                if key not in seen:
                    seen.add(key)
                    yield self.keyprefix + key

    def __len__(self) -> int:
        return sum(1 for _ in self)


#: env.temp_data key: the lazy bibliographies of the page being read, with their locations
_PAGE_BIBLIOGRAPHIES = "llmkb_fast_bibliographies"


def settle_page_ids(app: Sphinx, doctree: docutils.nodes.document) -> None:
    for citation_nodes, location in app.env.temp_data.pop(_PAGE_BIBLIOGRAPHIES, []):
        citation_nodes.settle_ids(doctree, location)


class FastBibliographyDirective(BibliographyDirective):
    """The ``bibliography`` directive, with citation nodes made on first use.

    Falls back to the stock directive when ids are not derived from the key (the default
    ``bibtex_cite_id`` gives auto ids ``id1``, ``id2`` … that depend on the order of creation), or
    when a second bibliography of the page would reuse the same ids.
    """

    #: sphinxcontrib-bibtex makes every page with a bibliography depend on the bib files. With the
    #: fast domain, bibliographies are filled at env-updated time and the pages whose entries
    #: changed are rewritten from there, so the dependency only re-reads pages for nothing; a
    #: project whose own directives read the bib file (llmkb's paper tables) tracks that itself.
    note_bib_dependency = True

    def run(self) -> list[docutils.nodes.Node]:
        env = self.env
        id_format = env.config.bibtex_cite_id or ""
        count = env.temp_data.get("bibtex_bibliography_count", 0) + 1
        if "{key}" not in id_format or (count > 1 and "{bibliography_count}" not in id_format):
            # the stock directive checks its ids against document.ids: put the entries of the
            # page's lazy bibliographies there, as stock would have (every one of them clashes)
            for citation_nodes, _ in env.temp_data.get(_PAGE_BIBLIOGRAPHIES, []):
                citation_nodes.register(self.state.document)
            return list(super().run())
        domain = cast(BibtexDomain, env.get_domain("cite"))
        filter_ = self._get_filter()
        if self.arguments:
            bibfiles = []
            for bibfile_str in self.arguments[0].split():
                from pathlib import Path

                bibfile = Path(env.relfn2path(bibfile_str)[1]).resolve()
                if bibfile not in domain.bibdata.bibfiles:
                    logger.warning(f"{bibfile_str} not found or not configured in bibtex_bibfiles",
                                   location=(env.docname, self.lineno), type="bibtex", subtype="bibfile_error")
                else:
                    bibfiles.append(bibfile)
        else:
            bibfiles = list(domain.bibdata.bibfiles.keys())
        if self.note_bib_dependency:
            for bibfile in bibfiles:
                env.note_dependency(str(bibfile))
        keyprefix: str = self.options.get("keyprefix", "")
        list_: str = self.options.get("list", "citation")
        if list_ not in {"bullet", "enumerated", "citation"}:
            logger.warning(f"unknown bibliography list type '{list_}'.", location=(env.docname, self.lineno),
                           type="bibtex", subtype="list_type_error")
            list_ = "citation"
        node_class = docutils.nodes.list_item if list_ in {"bullet", "enumerated"} else docutils.nodes.citation
        env.temp_data["bibtex_bibliography_count"] = count
        from sphinxcontrib.bibtex.bibfile import _make_ids

        node = bibliography_node("", docname=env.docname, ids=_make_ids(
            docname=env.docname, lineno=self.lineno, ids=set(self.state.document.ids),
            raw_id=env.config.bibtex_bibliography_id.format(bibliography_count=count)))
        self.state.document.note_explicit_target(node, node)
        citation_nodes = CitationNodes([domain.bibdata.bibfiles[f].keys for f in bibfiles], keyprefix,
                                       node_class, id_format, count)
        env.temp_data.setdefault(_PAGE_BIBLIOGRAPHIES, []).append((citation_nodes, (env.docname, self.lineno)))
        keys = []
        for key in self.content:
            if keyprefix + key not in citation_nodes:
                logger.warning(f'could not find bibtex key "{key}"', location=(env.docname, self.lineno),
                               type="bibtex", subtype="key_not_found")
            else:
                keys.append(key)
        header = env.config.bibtex_bibliography_header
        header_nodes = self.parse_text_to_nodes(header) if header else []
        bibliography = BibliographyValue(
            line=self.lineno, list_=list_, enumtype=self.options.get("enumtype", "arabic"),
            start=self.options.get("start", 1), style=self.options.get("style", env.config.bibtex_default_style),
            filter_=filter_, labelprefix=self.options.get("labelprefix", ""), keyprefix=keyprefix,
            bibfiles=bibfiles, citation_nodes=citation_nodes, keys=keys)  # type: ignore[arg-type]
        bib_key = BibliographyKey(docname=env.docname, id_=node["ids"][0])
        assert bib_key not in domain.bibliographies
        domain.bibliographies[bib_key] = bibliography
        return [*header_nodes, node]


# --- the domain --------------------------------------------------------------------------------

class _Index:
    """Everything env_updated, resolve_xref and the transform look up, built once."""

    def __init__(self, domain: BibtexDomain, docnames: list[str]) -> None:
        order = {doc: i for i, doc in enumerate(docnames)}
        self.cited_docnames: dict[str, set[str]] = defaultdict(set)
        self.keys_by_doc: dict[str, dict[str, None]] = defaultdict(dict)
        self.backrefs: dict[tuple[str, str], list[str]] = defaultdict(list)
        for ref in domain.citation_refs:
            for key in dict.fromkeys(t.key for t in ref.targets):
                self.cited_docnames[key].add(ref.docname)
                self.keys_by_doc[ref.docname][key] = None
                self.backrefs[(ref.docname, key)].append(ref.citation_ref_id)
        # get_all_cited_keys: citations sorted (stably) by document order, keys in that order
        self.cited_rank: dict[str, int] = {}
        for ref in sorted(domain.citation_refs, key=lambda r: order.get(r.docname, len(order))):
            for target in ref.targets:
                self.cited_rank.setdefault(target.key, len(self.cited_rank))
        self.docnames = docnames
        self.set_citations(domain)

    def set_citations(self, domain: BibtexDomain) -> None:
        self.by_key: dict[str, list[tuple[int, Citation]]] = defaultdict(list)
        self.by_bibliography: dict[BibliographyKey, list[Citation]] = defaultdict(list)
        for i, cit in enumerate(domain.citations):
            self.by_bibliography[cit.bibliography_key].append(cit)
            if domain.bibliographies[cit.bibliography_key].list_ == "citation":
                self.by_key[cit.key].append((i, cit))


def fingerprint(entry) -> bytes:
    """A digest of everything of a pybtex entry a style can format (type, fields, persons)."""
    persons = tuple((role, tuple(str(p) for p in people)) for role, people in entry.persons.items())
    return hashlib.blake2b(repr((entry.type, tuple(entry.fields.items()), persons)).encode(),
                           digest_size=16).digest()


class FastBibtexDomain(BibtexDomain):
    """The ``cite`` domain of sphinxcontrib-bibtex with indexed look-ups and a format cache."""

    _index: _Index | None = None

    # -- the index

    def index(self) -> _Index:
        """The index of this process; env_updated builds it, a change of the data drops it."""
        if self._index is None:
            self._index = _Index(self, list(get_docnames(self.env)))
        return self._index

    def clear_doc(self, docname: str) -> None:
        self._index = None
        super().clear_doc(docname)

    def merge_domaindata(self, docnames, otherdata) -> None:
        self._index = None
        super().merge_domaindata(docnames, otherdata)

    # -- env-updated: which entries go in which bibliography, formatted

    def env_updated(self) -> Iterable[str]:
        old_sigs: dict = self.data.get("fast_signatures", {})
        cache: dict = self.data.get("fast_format_cache", {})
        self._new_cache: dict = {}
        self._fingerprints: dict[int, tuple] = {}
        for bibliography in self.bibliographies.values():  # refs.bib may have been parsed again
            if isinstance(bibliography.citation_nodes, CitationNodes):
                bibliography.citation_nodes.keysets = [
                    self.bibdata.bibfiles[f].keys for f in bibliography.bibfiles if f in self.bibdata.bibfiles]
        # Stock resolves a key cited on several pages by the order of this dict ("the last one
        # wins"), and that order is how the build ran: a parallel read merges each process's pages
        # as they finish, an incremental read appends re-read pages at the end. Order it as a
        # clean serial build reads the pages (sorted docnames; stable within a page), so the HTML
        # never depends on -j or on the build's history.
        ordered = sorted(self.bibliographies.items(), key=lambda item: item[0].docname)
        self.bibliographies.clear()
        self.bibliographies.update(ordered)
        self._index = _Index(self, list(get_docnames(self.env)))
        self._cache = cache
        try:
            self._fill_citations()
        finally:
            self._cache = None
        self.data["fast_format_cache"] = self._new_cache
        self._index.set_citations(self)
        # what changed since the environment was saved: bibliographies and citation targets
        sigs: dict[BibliographyKey, list] = defaultdict(list)
        key_sigs: dict[str, list] = defaultdict(list)
        for cit in self.citations:
            sig = (cit.key, cit.citation_id, cit.formatted_entry.label, self._fingerprint(cit.entry),
                   self.bibliographies[cit.bibliography_key].style)
            sigs[cit.bibliography_key].append(sig)
            key_sigs[cit.key].append((cit.bibliography_key, *sig))
        # sorted: re-reading a page moves its bibliography to the end of the domain's dict, which
        # must not make every key it cites look changed (that rewrote every page on a refs.bib edit)
        new_sigs = {"bib": dict(sigs), "keys": {k: tuple(sorted(v)) for k, v in key_sigs.items()},
                    "config": (self.env.config.bibtex_tooltips, self.env.config.bibtex_tooltips_style)}
        self.data["fast_signatures"] = new_sigs
        if not old_sigs or old_sigs.get("config") != new_sigs["config"]:
            return []  # a first build (or a changed setting: Sphinx rewrites everything anyway)
        changed = {bk.docname for bk in set(sigs) | set(old_sigs["bib"]) if sigs.get(bk) != old_sigs["bib"].get(bk)}
        old_keys = old_sigs["keys"]
        changed_keys = {k for k in set(key_sigs) | set(old_keys) if new_sigs["keys"].get(k) != old_keys.get(k)}
        index = self._index
        for key in changed_keys:
            changed |= index.cited_docnames.get(key, set())
        return sorted(changed & self.env.found_docs)

    def _fill_citations(self) -> None:
        """sphinxcontrib-bibtex 2.7's ``BibtexDomain.env_updated``: which entries go in which
        bibliography, formatted (``get_formatted_entries`` below), with its duplicate warnings.
        Two differences, neither visible: a citation's id comes from ``CitationNodes.node_id``
        without making the node (the transform makes the nodes a page shows), and a warning that
        ``suppress_warnings`` drops is not issued (Sphinx builds a log record for each before
        dropping it: the book's 1,569 ``duplicate citation`` at 1,000 entries, ~15 per entry)."""
        self.citations.clear()
        docnames = list(get_docnames(self.env))
        config = self.env.config
        warn = {subtype: not is_suppressed_warning("bibtex", subtype, config.suppress_warnings)
                for subtype in ("duplicate_local_citation", "duplicate_citation", "duplicate_label")}
        used_keys: set[str] = set()
        used_keys_per_doc: defaultdict[str, set[str]] = defaultdict(set)
        used_labels: dict[str, str] = {}
        for bibliography_key, bibliography in self.bibliographies.items():
            citation_nodes = bibliography.citation_nodes
            lazy = isinstance(citation_nodes, CitationNodes)
            location = (bibliography_key.docname, bibliography.line)
            for entry, formatted_entry, tooltip_entry in self.get_formatted_entries(
                    bibliography_key, docnames, config.bibtex_tooltips, config.bibtex_tooltips_style):
                key = bibliography.keyprefix + formatted_entry.key
                if lazy and key in citation_nodes:
                    citation_id = citation_nodes.node_id(key)
                else:
                    citation_id = citation_nodes[key]["ids"][0]
                self.citations.append(Citation(
                    citation_id=citation_id, bibliography_key=bibliography_key, key=key, entry=entry,
                    formatted_entry=formatted_entry, tooltip_entry=tooltip_entry))
                if bibliography.list_ != "citation":
                    continue
                if key in used_keys_per_doc[bibliography_key.docname]:
                    if warn["duplicate_local_citation"]:
                        logger.warning(f'duplicate local citation for key "{key}"', location=location,
                                       type="bibtex", subtype="duplicate_local_citation")
                elif key in used_keys:
                    if warn["duplicate_citation"]:
                        logger.warning(f'duplicate citation for key "{key}"', location=location,
                                       type="bibtex", subtype="duplicate_citation")
                used_keys.add(key)
                used_keys_per_doc[bibliography_key.docname].add(key)
                if formatted_entry.label not in used_labels:
                    used_labels[formatted_entry.label] = formatted_entry.key
                elif used_labels[formatted_entry.label] != formatted_entry.key and warn["duplicate_label"]:
                    # the same key again is the duplicate warning above, not a second label
                    logger.warning(f'duplicate label "{formatted_entry.label}" for keys '
                                   f'"{used_labels[formatted_entry.label]}" and "{formatted_entry.key}"',
                                   location=location, type="bibtex", subtype="duplicate_label")

    def _fingerprint(self, entry) -> bytes:
        fp = self._fingerprints.get(id(entry))
        if fp is None:
            fp = fingerprint(entry)
            parent = entry.fields.get("crossref")
            if parent and parent in self.bibdata.data.entries:
                fp += fingerprint(self.bibdata.data.entries[parent])
            self._fingerprints[id(entry)] = fp
        return fp

    def get_all_cited_keys(self, docnames):
        rank = self.index().cited_rank
        return iter(sorted(rank, key=rank.__getitem__))

    def get_filtered_entries(self, bibliography_key: BibliographyKey) -> Iterable[tuple[str, Any]]:
        bibliography = self.bibliographies[bibliography_key]
        index = self.index()
        prefix = bibliography.keyprefix
        dumped = ast.dump(bibliography.filter_)
        if dumped in _LOCAL:
            candidates: Iterable[str] | None = index.keys_by_doc.get(bibliography_key.docname, {})
        elif dumped == _CITED:
            candidates = index.cited_docnames
        else:
            candidates = None
        if candidates is None:
            entries: Iterable[Any] = self.get_entries(bibliography.bibfiles)
        else:
            wanted = {k[len(prefix):] for k in candidates if k.startswith(prefix)} | set(bibliography.keys)
            entries = self._entries_in_file_order(bibliography.bibfiles, wanted)
        for entry in entries:
            key = prefix + entry.key
            cited_docnames = index.cited_docnames.get(key, set())
            visitor = _FilterVisitor(entry=entry, docname=bibliography_key.docname, cited_docnames=cited_docnames)
            try:
                success = visitor.visit(bibliography.filter_)
            except ValueError as err:
                logger.warning(f"syntax error in :filter: expression; {err}",
                               location=(bibliography_key.docname, bibliography.line),
                               type="bibtex", subtype="filter_syntax_error")
                success = bool(cited_docnames)
            if success or entry.key in bibliography.keys:
                yield key, entry

    def _entries_in_file_order(self, bibfiles, wanted: set[str]) -> list:
        """The entries of ``wanted`` as get_entries would yield them (bib file order)."""
        data = self.bibdata.data.entries
        out, seen = [], set()
        for bibfile in bibfiles:
            keys = self.bibdata.bibfiles[bibfile].keys
            pos = self._positions(bibfile, keys)
            for key in sorted((k for k in wanted if k in keys and k not in seen), key=pos.__getitem__):
                seen.add(key)
                out.append(data[key])
        return out

    def _positions(self, bibfile, keys) -> dict[str, int]:
        cached = getattr(self, "_pos_cache", {})
        hit = cached.get(bibfile)
        if hit is None or hit[0] is not keys:
            hit = (keys, {k: i for i, k in enumerate(keys)})
            cached[bibfile] = hit
            self._pos_cache = cached
        return hit[1]

    def get_sorted_entries(self, bibliography_key, docnames):
        rank = self.index().cited_rank
        entries = list(self.get_filtered_entries(bibliography_key))
        last = len(rank)
        return iter(sorted(entries, key=lambda kv: rank.get(kv[0], last)))  # stable: the rest in file order

    def get_formatted_entries(self, bibliography_key, docnames, tooltips, tooltips_style):
        cache = getattr(self, "_cache", None)
        if cache is None:  # called from elsewhere: no cache
            yield from super().get_formatted_entries(bibliography_key, docnames, tooltips, tooltips_style)
            return
        bibliography = self.bibliographies[bibliography_key]
        entries = dict(self.get_sorted_entries(bibliography_key, docnames))
        style = _style(bibliography.style)()
        style2 = (_style(tooltips_style)() if tooltips_style else style) if tooltips else None
        sorted_entries = style.sort(entries.values())
        labels = style.format_labels(sorted_entries)
        for label, entry in zip(labels, sorted_entries):
            label = bibliography.labelprefix + label
            ckey = (bibliography.style, tooltips_style if tooltips else None, label, entry.key,
                    self._fingerprint(entry))
            hit = self._new_cache.get(ckey) or cache.get(ckey)
            if hit is None:
                try:
                    formatted = style.format_entry(label, entry)
                    # the tooltip style is the same style unless configured: format once (stock does it twice)
                    hit = (formatted, (formatted if style2 is style else style2.format_entry(label, entry))
                           if style2 else None)
                except FieldIsMissing as exc:
                    logger.warning(str(exc), location=(bibliography_key.docname, bibliography.line),
                                   type="bibtex", subtype="missing_field")
                    yield entry, FormattedEntry(entry.key, Tag("b", str(exc)), label), None
                    continue
            self._new_cache[ckey] = hit
            yield entry, hit[0], hit[1]

    # -- resolving citations

    def _pick(self, keys: Iterable[str], fromdocname: str) -> list[Citation]:
        """The citations resolve_xref of sphinxcontrib-bibtex picks, in its order."""
        index = self.index()
        local, others = [], []
        for key in keys:
            found = index.by_key.get(key)
            if not found:
                continue
            here = [(i, c) for i, c in found if c.bibliography_key.docname == fromdocname]
            if here:  # the first occurrence orders, the last one wins (dict semantics)
                local.append((here[0][0], here[-1][1]))
            else:
                others.append((found[0][0], found[-1][1]))
        return [c for _, c in sorted(local, key=lambda t: t[0])] + [c for _, c in sorted(others, key=lambda t: t[0])]

    def resolve_xref(self, env, fromdocname, builder, typ, target, node, contnode):
        targets = list(parse_citation_targets(target))
        keys = {t.key: t for t in targets}
        citations = self._pick(keys, fromdocname)
        found = {c.key for c in citations}
        for key in keys:
            if key not in found:
                logger.warning(f'could not find bibtex key "{key}"', location=node, type="bibtex",
                               subtype="key_not_found")
        plaintext = _plaintext()  # stock looks the plugin up per citation: an entry-point scan each time
        references = [
            (c.entry, c.formatted_entry, SphinxReferenceInfo(
                builder=builder, fromdocname=fromdocname, todocname=c.bibliography_key.docname,
                citation_id=c.citation_id,
                title=c.tooltip_entry.text.render(plaintext).replace("\\url ", "") if c.tooltip_entry else None,
                pre_text=keys[c.key].pre, post_text=keys[c.key].post))
            for c in citations
        ]
        formatted = format_references(self.reference_style, typ, references)
        result = docutils.nodes.inline(rawsource=target)
        result["classes"].append("bibtex-citation")
        result += formatted.render(self.backend)
        return result

    def resolve_any_xref(self, env, fromdocname, builder, target, node, contnode):
        keys = [key.strip() for key in target.split(",")]
        if any(key in self.index().by_key for key in keys):
            return [("p", self.resolve_xref(env, fromdocname, builder, "p", target, node, contnode))]
        return []


class bibliography_entry(docutils.nodes.General, docutils.nodes.TextElement):
    """A bibliography entry's formatted text, kept out of most of the doctree's walks (HTML only).

    An entry is ~15 nodes (text pieces, emphasis, links), and every post-transform that runs
    after this one walks them all (~25 of them; seconds at 10,000 entries, see
    benchmarks/README.md). This node holds the paragraph aside (``node.paragraph``, not a child)
    and has as children

    * one Text of the paragraph's text pieces, one per line, for the search index (the words it
      indexed before), and
    * the paragraph's links themselves, each replaced in the paragraph by a :class:`link_stand_in`:
      later transforms still see and may rewrite every link (pydata-sphinx-theme shortens
      GitHub/GitLab links whose text is their URL), and the writer writes the rewritten link
      where it stood.

    The HTML writer writes the paragraph (:func:`visit_bibliography_entry_html`): byte for byte
    what it wrote for the paragraph in place (the comparisons with stock in
    tests/test_fast_bibtex.py).
    """


class link_stand_in(docutils.nodes.Inline, docutils.nodes.Element):
    """Where a link of a compacted bibliography entry stood in its paragraph."""


def compact_entry(paragraph: docutils.nodes.paragraph) -> bibliography_entry:
    node = bibliography_entry()
    node += docutils.nodes.Text("\n".join(t.astext() for t in paragraph.findall(docutils.nodes.Text)))
    for link in list(paragraph.findall(docutils.nodes.reference)):
        stand_in = link_stand_in()
        stand_in.link = link
        link.replace_self(stand_in)
        node += link
    node.paragraph = paragraph
    paragraph.parent = node  # as the writer expects of a paragraph; not among node's children
    return node


def visit_bibliography_entry_html(self, node: bibliography_entry) -> None:
    node.paragraph.walkabout(self)
    raise docutils.nodes.SkipNode


def visit_link_stand_in_html(self, node: link_stand_in) -> None:
    node.link.walkabout(self)
    raise docutils.nodes.SkipNode


class FastBibliographyTransform(BibliographyTransform):
    """BibliographyTransform with indexed look-ups; runs just before the stock one, which then
    finds no bibliography node left."""

    default_priority = 4

    def run(self, **kwargs) -> None:
        env = self.document.settings.env
        domain = env.get_domain("cite")
        if not isinstance(domain, FastBibtexDomain):
            return
        index = domain.index()
        html = self.app.builder.format == "html"
        for bibnode in list(self.document.findall(bibliography_node)):
            bib_key = BibliographyKey(docname=bibnode["docname"], id_=bibnode["ids"][0])
            bibliography: BibliographyValue = domain.bibliographies[bib_key]
            citations = index.by_bibliography.get(bib_key, [])
            if bibliography.list_ == "enumerated":
                nodes = docutils.nodes.enumerated_list()
                nodes["enumtype"] = bibliography.enumtype
                if bibliography.start >= 1:
                    nodes["start"] = bibliography.start
                    env.temp_data["bibtex_enum_count"] = bibliography.start
                else:
                    nodes["start"] = env.temp_data.setdefault("bibtex_enum_count", 1)
            elif bibliography.list_ == "bullet":
                nodes = docutils.nodes.bullet_list()
            else:
                nodes = docutils.nodes.container()
            for citation in citations:
                # a copy: the stored node would gain a second label and text if this document
                # were resolved again in the same process (stock sphinxcontrib-bibtex does that)
                citation_node = bibliography.citation_nodes[citation.key].deepcopy()
                # stock runs this over the whole citation node; the label (one Text) never has
                # a "\url " for it to turn into a link, so the paragraph alone is the same
                paragraph = self.backend.paragraph(citation.formatted_entry)
                node_text_transform(paragraph)
                if bibliography.list_ in {"enumerated", "bullet"}:
                    citation_node += paragraph
                else:
                    backrefs = index.backrefs.get((bib_key.docname, citation.key))
                    if backrefs:
                        citation_node["backrefs"] = list(backrefs)
                    citation_node += docutils.nodes.label("", citation.formatted_entry.label,
                                                          support_smartquotes=False)
                    citation_node += compact_entry(paragraph) if html else paragraph
                citation_node["docname"] = bib_key.docname
                nodes.append(citation_node)
                if bibliography.list_ == "enumerated":
                    env.temp_data["bibtex_enum_count"] += 1
            bibnode.replace_self(nodes if citations else docutils.nodes.target())


def setup(app: Sphinx) -> dict:
    app.setup_extension("sphinxcontrib.bibtex")
    if enabled():
        app.add_domain(FastBibtexDomain, override=True)
        app.add_directive("bibliography", FastBibliographyDirective, override=True)
        app.add_post_transform(FastBibliographyTransform)
        # priority 400: before handlers that read ids (llmkb's own run at the default 500)
        app.connect("doctree-read", settle_page_ids, priority=400)
        # override: a second Sphinx app in the same process (tests, llmkb.preview) registers
        # them again, and without it Sphinx warns that the visitors are already registered
        app.add_node(bibliography_entry, override=True, html=(visit_bibliography_entry_html, None))
        app.add_node(link_stand_in, override=True, html=(visit_link_stand_in_html, None))
    return {"version": str(ENV_VERSION), "env_version": ENV_VERSION if enabled() else 0,
            "parallel_read_safe": True, "parallel_write_safe": True}
