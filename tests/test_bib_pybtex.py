"""llmkb.sphinx_ext.bib_pybtex: the pybtex data made from llmkb's parse is pybtex's own parse, object for object.

Compared attribute by attribute, all the way down (type, original type, key, every field in order
with its spelling, every person with every name part, the containers' own state) with ``pybtex.database.input.bibtex.Parser`` on the same
text: refs.bib, the grown and synthetic benchmark books, and crafted entries. Then the build:
the domain's data came from the feed and the pages are the same as with a pybtex parse.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from pybtex.database.input.bibtex import Parser

from llmkb.bib import file as bibfile
from llmkb.sphinx_ext import bib_pybtex

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import bench  # noqa: E402
import grow  # noqa: E402

CRAFTED = r"""% crafted: what llmkb's reader accepts and pybtex reads the same way
@Article{Mixed,
  Author = {Last, First and von Der, Jr, Given and {Big Company}},
  TITLE = "A {"}quoted{"} title,   with   spaces
   and a line break",
  year = 2024,
  note = {braces {inside {nested}} and \{escaped\}},
}
@misc(paren,
  author = {Ab C. D\'ef and \"Ug and others},
  editor = {Knuth, Donald E.},
  title = {},
  url = {https://example.com/?Id=3&q=x},
)
@inproceedings{trailing, author={A. B}, title={t},}
@book{nofields}
@article{tabs,	author	=	{Z   Y},	year = "1999"}
@article{again, author = {Z Y}, title = {the same author}}
@article{camel, archivePrefix = {arXiv}, eprint = {2401.00001}, note = {Key = value in a value}}
@article{twice, archivePrefix = {arXiv}, note = {written: archiveprefix = arXiv}}
@article{aNy-Key:1.2, author = {First Last and first last and FIRST LAST}, month = {jan}}
"""


def pybtex_parse(text: str):
    return Parser("utf-8-sig").parse_string(text)


def fed(text: str, lazy: bool = True):
    bib = bibfile.parse_text(text)
    assert not bib.problems, bib.problems
    data = bib_pybtex.bibliography_data(bib.entries, lazy=lazy)
    assert data is not None
    return data


def assert_same(text: str) -> None:
    """Made at once, the data is pybtex's, container and all; made entry by entry when looked up
    (the build's way), every entry is, in the same order, and so after a pickle round trip (an
    incremental build's environment) with none of them made before it."""
    import pickle

    expected = pybtex_parse(text)
    assert structure(fed(text, lazy=False)) == structure(expected)
    got = fed(text)
    assert list(got.entries) == list(expected.entries) and len(got.entries) == len(expected.entries)
    for key, entry in expected.entries.items():
        other = got.entries[key]
        assert (other.type, other.original_type, list(other.fields.items())) == \
               (entry.type, entry.original_type, list(entry.fields.items())), key
        assert {r: [vars(p) for p in ps] for r, ps in other.persons.items()} == \
               {r: [vars(p) for p in ps] for r, ps in entry.persons.items()}, key
        assert structure(other) == structure(entry), key
    assert got == expected and got._preamble == expected._preamble
    loaded = pickle.loads(pickle.dumps(fed(text), protocol=pickle.HIGHEST_PROTOCOL))
    assert [structure(loaded.entries[k]) for k in loaded.entries] == [structure(e) for e in expected.entries.values()]


def test_entries_are_made_when_looked_up_and_pickled_as_their_sources():
    """A build looks up the entries its bibliographies list (~900 of a 10,000-entry library):
    only those are made; the rest cross the environment's pickle as a few strings each."""
    import pickle

    data = fed(CRAFTED)
    entries = data.entries
    # made at once: only "twice", which pybtex's lexer must split (its field name is also in a value)
    assert entries.made == 1 and len(entries) == 9 and "MIXED" in entries and "nope" not in entries
    assert entries["camel"] is entries["CAMEL"] and entries.made == 2
    assert entries.get("nope") is None and entries.made == 2
    state = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
    assert state.count(b"Person") == 0  # neither made entry names a person; the others are strings
    loaded = pickle.loads(state).entries
    assert loaded.made == 2 and list(loaded) == list(entries)
    assert structure(loaded["Mixed"]) == structure(pybtex_parse(CRAFTED).entries["Mixed"]) and loaded.made == 3


def test_a_name_pybtex_rejects_fails_at_once_not_when_the_entry_is_made():
    """Everything that can fail is done when the data is made: a name with too many commas
    stops there (as pybtex's parse of the file would), never later in the build."""
    from pybtex.exceptions import PybtexError

    bib = bibfile.parse_text("@article{bad, author = {A, B, C, D}, title = {t}}\n")
    assert not bib.problems
    with pytest.raises(PybtexError, match="Too many commas"):
        pybtex_parse("@article{bad, author = {A, B, C, D}, title = {t}}\n")
    with pytest.raises(PybtexError, match="Too many commas"):
        bib_pybtex.bibliography_data(bib.entries)


def structure(obj, ancestors=()):
    """Everything in ``obj`` as plain nested tuples: class names, attributes, items, in order.
    (Not pickle bytes: those also record which equal strings are one object.)"""
    if isinstance(obj, (str, int, float, bool, type(None))):
        return obj
    if isinstance(obj, type) or callable(obj):
        return ("<callable>", getattr(obj, "__qualname__", repr(obj)))
    if id(obj) in ancestors:
        return ("<cycle>", type(obj).__name__)
    ancestors = (*ancestors, id(obj))
    if isinstance(obj, (list, tuple)):
        return (type(obj).__name__, tuple(structure(x, ancestors) for x in obj))
    if isinstance(obj, (set, frozenset)):
        return (type(obj).__name__, tuple(sorted(map(repr, obj))))
    if isinstance(obj, dict):
        return (type(obj).__name__, tuple((structure(k, ancestors), structure(v, ancestors))
                                          for k, v in obj.items()))
    state = vars(obj) if hasattr(obj, "__dict__") else {s: getattr(obj, s) for s in obj.__slots__}
    return (type(obj).__name__, structure(state, ancestors))


def test_refs_bib():
    assert_same((ROOT / "refs.bib").read_text("utf-8-sig"))


def test_grown_and_synthetic():
    assert_same(grow.grow_text((ROOT / "refs.bib").read_text("utf-8-sig"), 1500))
    assert_same(bench.synth_bib(1000))


def test_crafted():
    assert_same(CRAFTED)
    data = fed(CRAFTED)
    assert list(data.entries["Mixed"].fields) == ["TITLE", "year", "note"]  # spelled as written
    assert data.entries["Mixed"].original_type == "Article"
    assert list(data.entries["camel"].fields) == ["archivePrefix", "eprint", "note"]
    # a field's "name =" also inside a value: which one is the field is pybtex's lexer's call
    twice = next(e for e in bibfile.parse_text(CRAFTED).entries if e.key == "twice")
    assert bib_pybtex.spelled_names(twice) is None


def test_no_person_shared_between_entries():
    data = fed(CRAFTED)
    a, b = data.entries["tabs"].persons["author"][0], data.entries["again"].persons["author"][0]
    assert vars(a) == vars(b) and a is not b and a.last_names is not b.last_names


@pytest.mark.parametrize("text", [
    "@article{Same, title={a}}\n@article{same, title={b}}\n",  # pybtex: "repeated bibliography entry"
])
def test_what_pybtex_reports_is_left_to_pybtex(text):
    bib = bibfile.parse_text(text)
    assert bib_pybtex.bibliography_data(bib.entries) is None


# --- in a build ---------------------------------------------------------------------------------

BASIC = ROOT / "tests" / "roots" / "test-basic"


def build(src: Path, out: Path) -> tuple[str, dict[str, bytes]]:
    from sphinx.testing.util import SphinxTestApp

    app = SphinxTestApp("html", srcdir=src, builddir=out)
    try:
        app.build()
        assert app.warning.getvalue() == ""
        pages = {str(p.relative_to(app.outdir)): p.read_bytes() for p in Path(app.outdir).rglob("*.html")}
        return app.status.getvalue(), pages
    finally:
        app.cleanup()


def test_build_takes_llmkbs_parse_and_writes_the_same_pages(tmp_path, monkeypatch):
    import shutil

    src = tmp_path / "src"
    shutil.copytree(BASIC, src)
    status, pages = build(src, tmp_path / "fed")
    assert "entries from llmkb's parse" in status and "parsing bibtex file" not in status
    monkeypatch.setattr(bib_pybtex, "bibliography_data", lambda *args, **kwargs: None)
    status, stock_pages = build(src, tmp_path / "parsed")
    assert "parsing bibtex file" in status and "llmkb's parse" not in status
    assert pages.keys() == stock_pages.keys() and len(pages) >= 3
    assert pages == stock_pages


def test_a_file_changed_after_llmkb_read_it_is_parsed_by_pybtex(tmp_path):
    import shutil

    src = tmp_path / "src"
    shutil.copytree(BASIC, src)
    # an edit between llmkb's read (config-inited) and sphinxcontrib-bibtex's (builder-inited)
    (src / "conf.py").write_text((src / "conf.py").read_text() + (
        "\n\ndef _edit(app, config):\n"
        "    with open(app.confdir / 'refs.bib', 'a', encoding='utf-8') as f:\n"
        "        f.write('% edited\\n')\n\n\n"
        "def setup(app):\n"
        "    app.connect('config-inited', _edit, priority=950)\n"))
    status, _ = build(src, tmp_path / "out")
    assert "parsing bibtex file" in status and "llmkb's parse" not in status
