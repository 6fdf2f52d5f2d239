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

The entries are made when first asked for (``LazyEntries``): a build formats only the entries some
page's bibliography lists, ~900 of a 10,000-entry library whose rows cite the rest in plain text
(``row_citations``), and making all of them was ~4 % of that build's main process, with ~0.7 s
more to pickle them into the environment (34 of its 38.6 MB). Everything that can fail is done
at once, as before: the keys, every name's ``Person`` parse, the entries pybtex's lexer must
split; what is left for later is pybtex's own ``process_entry`` on values already checked. The
environment keeps an entry not yet made as its split source (a few strings).

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
from pybtex.utils import OrderedCaseInsensitiveDict
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
        source = self.source(entry)
        if source is None:
            self.lex(entry.text)
        else:
            self.make(source)

    def source(self, entry: bibfile.RawEntry) -> tuple[str, str, tuple[str, ...], tuple[str, ...]] | None:
        """(type as written, key, field names as written, values): what ``make`` needs; None when
        the names cannot be told from the text (pybtex's lexer must split the entry)."""
        names = spelled_names(entry)
        if names is None:
            return None
        type_ = bibfile.ENTRY_START.match(entry.text).group(1)  # as written: Entry keeps original_type
        return type_, entry.key, tuple(names), tuple(entry.fields.values())

    def lex(self, text: str) -> None:
        for type_, (key, fields) in LowLevelParser(text, macros=self.macros, handle_error=self.handle_error):
            self.process_entry(type_, key, fields)

    def make(self, source: tuple[str, str, tuple[str, ...], tuple[str, ...]]) -> None:
        type_, key, names, values = source
        self.process_entry(type_, key, [(name, [value]) for name, value in zip(names, values)])

    def check_names(self, source: tuple[str, str, tuple[str, ...], tuple[str, ...]]) -> None:
        """Parse every person the entry names now (the one step of ``process_entry`` that can
        report an error, "Too many commas"); the parse is kept for when the entry is made."""
        for name, value in zip(source[2], source[3]):
            if name in self.person_fields:
                for person in self.split_names(textutils.normalize_whitespace(self.flatten_value_list([value]))):
                    if person not in self._names:
                        self._names[person] = Person(person)


class LazyEntries(OrderedCaseInsensitiveDict):
    """``BibliographyData.entries`` whose entries are made by pybtex's ``process_entry`` when first
    looked up (module docstring). Keys, order, length and membership are known from the start;
    iterating over values or items makes every entry, as does comparing."""

    def __init__(self, encoding: str, parser: "_Parser | None" = None) -> None:
        super().__init__()
        self._encoding = encoding
        self._parser = parser
        self._pending: dict[str, tuple] = {}

    def pend(self, source: tuple[str, str, tuple[str, ...], tuple[str, ...]]) -> None:
        """Add the entry of ``source`` (``_Parser.source``), to be made when first looked up; it
        takes its place in the order like an entry set with ``entries[key] = entry``."""
        low = source[1].lower()
        self._keys[low] = source[1]
        self._pending[low] = source

    def _make(self, low: str) -> Entry:
        source = self._pending.pop(low)
        if self._parser is None:
            self._parser = _Parser(self._encoding)
        parser = self._parser
        parser.make(source)
        entry = parser.data.entries[source[1]]
        del parser.data.entries[source[1]]
        self._dict[low] = entry
        return entry

    def __getitem__(self, key: str) -> Entry:
        low = key.lower()
        try:
            return self._dict[low]
        except KeyError:
            if low in self._pending:
                return self._make(low)
            raise

    def __contains__(self, key: object) -> bool:
        low = key.lower()  # type: ignore[attr-defined]
        return low in self._dict or low in self._pending

    def __setitem__(self, key: str, value: Entry) -> None:
        self._pending.pop(key.lower(), None)
        super().__setitem__(key, value)

    def __delitem__(self, key: str) -> None:
        low = key.lower()
        if low in self._pending:
            del self._pending[low]
            del self._keys[low]
        else:
            super().__delitem__(key)

    def __len__(self) -> int:
        return len(self._keys)

    def lower(self) -> OrderedCaseInsensitiveDict:
        return OrderedCaseInsensitiveDict(self.items_lower())

    @property
    def made(self) -> int:
        """How many entries have been made so far."""
        return len(self._dict)

    def __getstate__(self) -> dict:
        # the parser (its caches and scratch data) stays in this process
        return {**self.__dict__, "_parser": None}


def bibliography_data(entries: list[bibfile.RawEntry], encoding: str = "utf-8-sig",
                      lazy: bool = True) -> BibliographyData | None:
    """What pybtex's ``Parser(encoding).parse_file`` makes of the file these entries were read from
    (a file llmkb read without problems); None where pybtex would report an error. ``lazy``: each
    entry is made when first looked up (``LazyEntries``); the checks are all made now."""
    if len({e.key.lower() for e in entries}) != len(entries):
        return None  # pybtex keys are case-insensitive: it reports the repeat
    parser = _Parser(encoding)
    if not lazy:
        try:
            for entry in entries:
                parser.feed(entry)
        except (BibliographyDataError, PybtexSyntaxError):
            return None
        return parser.data
    data = BibliographyData()
    data.entries = lazy_entries = LazyEntries(encoding, parser)
    try:
        for entry in entries:  # in the file's order, which the entries keep
            source = parser.source(entry)
            if source is None:  # made now: the lexer's errors are reported now
                parser.lex(entry.text)
                lazy_entries[entry.key] = parser.data.entries[entry.key]
            else:
                parser.check_names(source)
                lazy_entries.pend(source)
    except (BibliographyDataError, PybtexSyntaxError):
        return None
    parser.data = BibliographyData()  # the lazily made entries pass through a fresh one
    return data


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
