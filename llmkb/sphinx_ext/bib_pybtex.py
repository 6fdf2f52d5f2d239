"""sphinxcontrib-bibtex's pybtex data made from llmkb's own parse of refs.bib.

llmkb reads refs.bib at ``config-inited`` (``library.load``, for its checks and tables);
sphinxcontrib-bibtex then parsed the same bytes again with pybtex at ``builder-inited``: ~8 % of
a 10,000-entry build (benchmarks/README.md). Here, just before sphinxcontrib-bibtex looks, the
domain gets the ``BibData`` pybtex would have made, built by pybtex's own ``process_entry`` from
the entries llmkb already split into type, key and raw field values. pybtex's lexer is skipped;
everything after it (whitespace normalisation, ``Person`` parsing, field dicts, ``add_entry``) is
pybtex's code, so the objects are the same: tests/test_bib_pybtex.py compares their pickles with a
pybtex parse of refs.bib, of grown and synthetic books and of crafted entries. Stock then finds
the data up to date and does not parse.

A name string is parsed into a ``Person`` once per build and copied for each entry that has it
(the parse is pybtex's slowest step: 13,727 authors but 3,194 distinct names at 1,000 entries).

Whenever the two parses could disagree, nothing is fed and sphinxcontrib-bibtex parses as before:
llmkb found problems in the file, the file changed since llmkb read it (its stat differs from the
one taken just before), several bib files or another encoding are configured, keys repeat up to
case (pybtex reports those). pybtex keeps a field name as spelled (refs.bib has ``archivePrefix``),
llmkb's parse lowercases it: the spelling is taken from the entry's source when it is there once
(``name =`` appearing only where the field starts); an entry where it is not is split by pybtex's
own lexer instead.
"""

from __future__ import annotations

import codecs
import os
import re
from pathlib import Path

import sphinx.util.logging
from pybtex import textutils
from pybtex.bibtex.utils import split_name_list
from pybtex.database import BibliographyData, BibliographyDataError, Entry, Person
from pybtex.database.input.bibtex import DuplicateField, LowLevelParser, Parser
from pybtex.scanner import PybtexSyntaxError
from sphinx.application import Sphinx
from sphinxcontrib.bibtex.bibfile import BibData, get_mtime, is_bibdata_outdated
from sphinxcontrib.bibtex.bibfile import BibFile as PybtexBibFile

from ..bib import file as bibfile
from . import fast_bibtex, library

logger = sphinx.util.logging.getLogger(__name__)

#: Anything in an entry's source that could be a field name with a capital letter (a name holding
#: one has such a tail before its '='). Values can match too ("?Id=3" in a URL).
_CAPITAL_NAME = re.compile(r"([A-Z][A-Za-z0-9_\-:.]*)\s*=")
_NAME_CHARS = "A-Za-z0-9_\\-:."


def spelled_names(entry: bibfile.RawEntry) -> list[str] | None:
    """The entry's field names as written, in order; None when one cannot be told for certain
    (its ``name =`` also appears inside a value)."""
    text = entry.text
    capitalized: set[str] = set()
    for m in _CAPITAL_NAME.finditer(text):
        start = m.start()
        while start and (text[start - 1].isalnum() and text[start - 1].isascii() or text[start - 1] in "_-:."):
            start -= 1
        capitalized.add((text[start:m.start()] + m.group(1)).lower())
    names = []
    for name in entry.fields:
        if name in capitalized:  # written with a capital, or such words in a value: find the one place
            found = re.findall(rf"(?<![{_NAME_CHARS}])({re.escape(name)})\s*=", text, flags=re.IGNORECASE)
            if len(found) != 1:
                return None
            name = found[0]
        names.append(name)
    return names


class _Parser(Parser):
    """pybtex's BibTeX parser, fed entries already split; each distinct name parsed once."""

    def __init__(self, encoding: str) -> None:
        super().__init__(encoding)
        self.unnamed_entry_counter = 1
        self._names: dict[str, Person] = {}
        self._lists: dict[str, list[str]] = {}  # an author field → its names (only iterated)

    def person(self, name: str) -> Person:
        parsed = self._names.get(name)
        if parsed is None:
            parsed = self._names[name] = Person(name)
        # a copy with lists of its own, as a fresh parse gives: nothing shared between entries
        person = Person.__new__(Person)
        person.__dict__ = {k: v[:] if type(v) is list else v for k, v in parsed.__dict__.items()}
        return person

    def split_names(self, value: str) -> list[str]:
        names = self._lists.get(value)
        if names is None:
            names = self._lists[value] = split_name_list(value)
        return names

    def process_entry(self, entry_type, key, fields):
        # pybtex 0.24's Parser.process_entry, with Person(name) → self.person(name) and
        # split_name_list(value) → self.split_names(value)
        entry = Entry(entry_type)
        if key is None:
            key = f"unnamed-{self.unnamed_entry_counter}"
            self.unnamed_entry_counter += 1
        seen_fields = set()
        for field_name, field_value_list in fields:
            if field_name.lower() in seen_fields:
                self.handle_error(DuplicateField(key, field_name))
                continue
            field_value = textutils.normalize_whitespace(self.flatten_value_list(field_value_list))
            if field_name in self.person_fields:
                for name in self.split_names(field_value):
                    entry.add_person(self.person(name), field_name)
            else:
                entry.fields[field_name] = field_value
            seen_fields.add(field_name.lower())
        self.data.add_entry(key, entry)

    def feed(self, entry: bibfile.RawEntry) -> None:
        names = spelled_names(entry)
        if names is None:
            for type_, (key, fields) in LowLevelParser(entry.text, macros=self.macros,
                                                       handle_error=self.handle_error):
                self.process_entry(type_, key, fields)
            return
        type_ = bibfile.ENTRY_START.match(entry.text).group(1)  # as written: Entry keeps original_type
        self.process_entry(type_, entry.key, [(name, [value]) for name, value in zip(names, entry.fields.values())])


def bibliography_data(entries: list[bibfile.RawEntry], encoding: str = "utf-8-sig") -> BibliographyData | None:
    """What pybtex's ``Parser(encoding).parse_file`` makes of the file these entries were read from
    (a file llmkb read without problems); None where pybtex would report an error."""
    if len({e.key.lower() for e in entries}) != len(entries):
        return None  # pybtex keys are case-insensitive: it reports the repeat
    parser = _Parser(encoding)
    try:
        for entry in entries:
            parser.feed(entry)
    except (BibliographyDataError, PybtexSyntaxError):
        return None
    return parser.data


# --- wiring ---------------------------------------------------------------------------------

#: bib file → its stat just before llmkb read it (config-inited)
_SEEN: dict[Path, tuple] = {}


def _stat(path: Path) -> tuple | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino, st.st_dev)


def _bibfiles(app: Sphinx) -> list[Path]:
    # as sphinxcontrib-bibtex's builder_inited_cite canonicalizes them
    return [(Path(app.confdir) / f).resolve() for f in app.config.bibtex_bibfiles or []]


def note_stat(app: Sphinx, config) -> None:
    """config-inited, before llmkb reads the file: the stat its parse goes with."""
    _SEEN.clear()
    for path in _bibfiles(app)[:1]:
        _SEEN[path] = _stat(path)


def feed(app: Sphinx) -> None:
    """builder-inited, before sphinxcontrib-bibtex's ``builder_inited_cite``: give the domain
    the data its parse would give, when llmkb's parse is of the same bytes."""
    if not fast_bibtex.enabled():
        return  # LLMKB_STOCK_BIBTEX=1: stock throughout, for comparisons
    domain = app.env.get_domain("cite")
    files = _bibfiles(app)
    encoding = app.config.bibtex_encoding
    if not is_bibdata_outdated(domain.bibdata, files, encoding):
        return  # the environment's copy is current: stock keeps it
    bib = library.bib()
    if (len(files) != 1 or bib is None or bib.problems or Path(bib.path).resolve() != files[0]
            or _lookup(encoding) != "utf-8-sig" or _SEEN.get(files[0]) is None
            or _stat(files[0]) != _SEEN[files[0]]):
        return
    data = bibliography_data(bib.entries, encoding)
    if data is None:
        return
    domain.data["bibdata"] = BibData(encoding=encoding, bibfiles={
        files[0]: PybtexBibFile(mtime=get_mtime(files[0]), keys=dict.fromkeys(data.entries.keys()))}, data=data)
    logger.info(f"bibtex file {files[0]}: {len(data.entries)} entries from llmkb's parse")


def _lookup(encoding: str) -> str | None:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return None


def setup(app: Sphinx) -> dict:
    # 899: just before llmkb's load_and_check (900) reads the file
    app.connect("config-inited", note_stat, priority=899)
    # 400: before sphinxcontrib-bibtex's builder_inited_cite (500) would parse the file
    app.connect("builder-inited", feed, priority=400)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
