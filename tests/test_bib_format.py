"""`python -m llmkb fmt`: one canonical form, idempotent, losing no entry, field or comment."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pybtex.database
import pytest

from llmkb.bib import file as bibfile
from llmkb.bib import format as bib_format

ROOT = Path(__file__).resolve().parent.parent

MESSY = """\
% header line one
% header line two

% a note about the first entry
@Article{ zhang2023messy ,
    Author="Zhang, San and Li, Si",
  title = {{Messy: A {Test} of "Quotes" and 50\\% Braces}},   year=2023,
  keywords = {peft},
    custom = {kept after the known fields},
  date = {2023-01-02}, journal = {arXiv preprint arXiv:2301.00001},
  ArchivePrefix = {arXiv}, eprint = {2301.00001},
  PrimaryClass = {cs.CL},
  note = {multi
          line value},
  zzz = {second unknown}
}
@inproceedings{hu2021lora,
  title = {{LoRA}},
  author = {Hu, Edward J.},
  booktitle = {ICLR},
  year = {2022},
}


% a comment floating between entries

% a comment attached to the last entry
@article{last2020entry,
  title = {{Last}},
}
% trailing comment
"""


def fields_of(bib):
    return [(e.type, e.key, dict(e.fields)) for e in bib.entries]


def test_format_entry_orders_and_spells_fields():
    entry = bibfile.parse_text(MESSY).entries[0]
    lines = bib_format.format_entry(entry).splitlines()
    assert lines[0] == "@article{zhang2023messy,"
    assert re.findall(r"^  (\w+) = ", "\n".join(lines), re.M) == [
        "title", "author", "journal", "year", "date", "eprint", "archivePrefix", "primaryClass", "note",
        "keywords", "custom", "zzz"]
    assert lines[1] == '  title = {{Messy: A {Test} of "Quotes" and 50\\% Braces}},'
    assert "  author = {Zhang, San and Li, Si}," in lines and "  year = {2023}," in lines
    assert lines[-1] == "}"


def test_format_keeps_every_entry_field_and_comment():
    before = bibfile.parse_text(MESSY)
    text = bib_format.format_bib(before)
    after = bibfile.parse_text(text)
    assert after.problems == []
    assert fields_of(after) == fields_of(before)
    assert [c for _, c in after.comments] == [c for _, c in before.comments]
    assert text.startswith("% header line one\n% header line two\n\n"
                           "% a note about the first entry\n@article{zhang2023messy,\n")
    assert ("}\n\n% a comment floating between entries\n\n"
            "% a comment attached to the last entry\n@article{last2020entry,") in text
    assert text.endswith("}\n\n% trailing comment\n")


def test_format_is_idempotent():
    once = bib_format.format_bib(bibfile.parse_text(MESSY))
    twice = bib_format.format_bib(bibfile.parse_text(once))
    assert once == twice
    assert bib_format.changes(bibfile.parse_text(once), once) == []


def test_pybtex_reads_the_same_data_before_and_after():
    before = pybtex.database.parse_string(MESSY, "bibtex")
    after = pybtex.database.parse_string(bib_format.format_bib(bibfile.parse_text(MESSY)), "bibtex")
    assert list(before.entries) == list(after.entries)
    for key, entry in before.entries.items():
        def lower(fields):
            return {k.lower(): v for k, v in fields.items()}
        assert lower(entry.fields) == lower(after.entries[key].fields), key
        def people(persons):
            return {role.lower(): [str(p) for p in names] for role, names in persons.items()}
        assert people(entry.persons) == people(after.entries[key].persons), key


def test_changes_names_the_entries_fmt_would_rewrite():
    bib = bibfile.parse_text(MESSY)
    assert [(c.line, c.key) for c in bib_format.changes(bib, MESSY)] == [(5, "zhang2023messy")]


def test_changes_notices_layout_only_differences():
    canonical = bib_format.format_bib(bibfile.parse_text(MESSY))
    spaced = canonical.replace("}\n\n@", "}\n\n\n\n@", 1)
    assert [c.key for c in bib_format.changes(bibfile.parse_text(spaced), spaced)] == ["-"]


def test_format_refuses_a_file_with_syntax_problems():
    with pytest.raises(ValueError, match="syntax problems"):
        bib_format.format_bib(bibfile.parse_text("@article{a,\n  title = {x,\n}\n"))


def test_real_refs_bib_is_in_canonical_form_and_survives_a_round_trip():
    text = (ROOT / "refs.bib").read_text(encoding="utf-8")
    bib = bibfile.parse_text(text)
    assert bib_format.changes(bib, text) == [], "run `python -m llmkb fmt`"
    again = bibfile.parse_text(bib_format.format_bib(bib))
    assert fields_of(again) == fields_of(bib)
    assert again.comments == bib.comments


def run_fmt(*args):
    return subprocess.run([sys.executable, "-m", "llmkb", "fmt", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)


def test_cli_fmt_check_then_fmt_then_check(tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text(MESSY, encoding="utf-8")
    out = run_fmt("--check", "--bib", str(bib))
    assert out.returncode == 1
    assert f"{bib}:5: zhang2023messy: not in canonical form — run `python -m llmkb fmt`" in out.stdout
    assert bib.read_text(encoding="utf-8") == MESSY  # --check changes nothing
    out = run_fmt("--bib", str(bib))
    assert out.returncode == 0 and "rewrote 1 entry" in out.stdout
    first = bib.read_bytes()
    out = run_fmt("--bib", str(bib))
    assert out.returncode == 0 and "already in canonical form" in out.stdout
    assert bib.read_bytes() == first
    assert run_fmt("--check", "--bib", str(bib)).returncode == 0


def test_cli_fmt_refuses_a_broken_file_and_changes_nothing(tmp_path):
    bib = tmp_path / "refs.bib"
    shutil.copy(ROOT / "tests/roots/test-broken-bib/refs.bib", bib)
    before = bib.read_bytes()
    out = run_fmt("--bib", str(bib))
    assert out.returncode == 1
    assert f"{bib}:2: hu2021lora: unclosed '{{' in a field value" in out.stderr
    assert "fmt never drops an entry" in out.stderr
    assert bib.read_bytes() == before


def test_cli_fmt_check_passes_on_the_real_refs_bib():
    out = run_fmt("--check")
    assert out.returncode == 0, out.stdout + out.stderr
