"""The refs.bib reader: line numbers, raw values, and a clear problem for every broken entry."""

from pathlib import Path

from llmkb.bib import file as bibfile

GOOD = """% header comment
@article{a2020first,
  title = {{A {LoRA} Title}},
  author = {M{\\"u}ller, Anna and Doe, John},
  year = 2020,
}

@inproceedings(b2021second,
  title = "Quoted {Title}",
)
"""


def test_entries_keep_lines_and_raw_values():
    bib = bibfile.parse_text(GOOD)
    assert bib.problems == []
    a, b = bib.entries
    assert (a.type, a.key, a.line) == ("article", "a2020first", 2)
    assert a.fields["title"] == "{A {LoRA} Title}"
    assert a.fields["author"] == 'M{\\"u}ller, Anna and Doe, John'
    assert a.fields["year"] == "2020"
    assert a.field_lines == {"title": 3, "author": 4, "year": 5}
    assert (b.type, b.key, b.line, b.fields["title"]) == ("inproceedings", "b2021second", 8, "Quoted {Title}")
    assert bib.comments == [(1, "% header comment")]


def _one_problem(text):
    bib = bibfile.parse_text(text)
    assert len(bib.problems) == 1, bib.problems
    return bib, bib.problems[0]


def test_unclosed_brace_names_the_line_and_keeps_later_entries():
    bib, p = _one_problem("@article{a2020x,\n  title = {Open,\n  year = {2020},\n}\n\n@article{b2021y,\n  title = {Fine},\n}\n")
    assert p.line == 2 and "unclosed" in p.message and p.key == "a2020x"
    assert [e.key for e in bib.entries] == ["b2021y"]  # the next entry is not lost


def test_missing_comma_between_fields():
    _, p = _one_problem("@article{a2020x,\n  title = {T}\n  year = {2020},\n}\n")
    assert "missing ','" in p.message and p.line == 2 and "comma" in p.fix


def test_missing_comma_after_key():
    _, p = _one_problem("@article{a2020x\n  title = {T},\n}\n")
    assert "after the key" in p.message


def test_duplicate_field():
    _, p = _one_problem("@article{a2020x,\n  title = {T},\n  title = {U},\n}\n")
    assert "appears twice" in p.message and p.line == 3


def test_text_outside_entries_and_unsupported_string_macro():
    bib = bibfile.parse_text("stray words\n@string{foo = {bar}}\n")
    messages = [p.message for p in bib.problems]
    assert any("outside any entry" in m for m in messages)
    assert any("@string" in m for m in messages)


def test_non_utf8_file(tmp_path: Path):
    path = tmp_path / "refs.bib"
    path.write_bytes("@article{a2020x,\n  title = {Caf\xe9},\n}\n".encode("latin-1"))
    bib = bibfile.read(path)
    assert bib.entries == [] and len(bib.problems) == 1
    assert bib.problems[0].line == 2 and "UTF-8" in bib.problems[0].message


def test_huge_field_is_a_problem_found_in_linear_time():
    """A 5 MB field is pasted text: reported at once (the checks after it would take minutes)."""
    import time

    start = time.monotonic()
    big = "x" * 5_000_000
    bib = bibfile.parse_text("@article{a2020x,\n  title = {" + big + "},\n}\n@article{b2020y,\n  title = {ok},\n}\n")
    assert time.monotonic() - start < 5
    assert [e.key for e in bib.entries] == ["b2020y"]
    assert [(p.line, p.key) for p in bib.problems] == [(2, "a2020x")]
    assert "5,000,000 characters long (the limit is 20,000)" in bib.problems[0].message


def test_longest_allowed_field_is_kept_whole():
    value = "y" * bibfile.MAX_FIELD_CHARS
    bib = bibfile.parse_text("@article{a2020x,\n  author = {" + value + "},\n}\n")
    assert bib.problems == [] and bib.entries[0].fields["author"] == value


def test_non_utf8_problem_names_the_entry_holding_the_byte(tmp_path):
    path = tmp_path / "refs.bib"
    path.write_bytes(b"% ok\n@article{a2020x,\n  title = {ok},\n}\n\n@article{b2020y,\n  author = {R\xe9, C.},\n}\n")
    bib = bibfile.read(path)
    assert [(p.line, p.key) for p in bib.problems] == [(7, "b2020y")]
    assert "none of its 2 entries was read" in bib.problems[0].message


def test_comment_line_inside_an_entry_says_so():
    bib = bibfile.parse_text("@article{a2020x,\n  % a note\n  title = {ok},\n}\n")
    assert [(p.line, p.key) for p in bib.problems] == [(2, "a2020x")]
    assert "% comment line inside entry" in bib.problems[0].message and "above the entry" in bib.problems[0].fix
