"""Exported BibTeX: standard fields only, parses with pybtex, same input gives the same bytes."""

import os
import subprocess
import sys
from pathlib import Path

import pybtex.database

from llmkb.bib import papers
from llmkb.bib import schema as bib_schema
from llmkb.bib.export_bibtex import export_bibtex

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "llmkb", *args], cwd=cwd, capture_output=True, text=True)


def test_full_export_parses_and_holds_every_entry():
    all_papers, bib = papers.load(ROOT / "refs.bib")
    text = export_bibtex(all_papers)
    data = pybtex.database.parse_string(text, "bibtex")
    assert set(data.entries) == {e.key for e in bib.entries}
    for entry in data.entries.values():
        assert not set(f.lower() for f in entry.fields) & set(bib_schema.PROJECT_FIELDS), entry.key
    for p in all_papers:  # no author is lost on the way out
        assert len(data.entries[p.key].persons["author"]) == len(p.authors), p.key


def test_export_is_deterministic_and_order_independent():
    all_papers, _ = papers.load(ROOT / "refs.bib")
    assert export_bibtex(all_papers) == export_bibtex(list(reversed(all_papers)))


def test_cli_export_filters():
    out = run_cli("export", "--topic", "peft", "--year", "2022")
    assert out.returncode == 0, out.stderr
    data = pybtex.database.parse_string(out.stdout, "bibtex")
    assert "hu2021lora" in data.entries
    assert all(e.fields["year"] == "2022" for e in data.entries.values())
    one = run_cli("export", "--key", "hu2021lora")
    assert one.stdout.startswith("@inproceedings{hu2021lora,") and one.stdout.count("@") == 1


def test_cli_export_rejects_unknown_topic_and_key():
    out = run_cli("export", "--topic", "lora")
    assert out.returncode == 2 and "unknown topic 'lora'" in out.stderr
    out = run_cli("export", "--key", "nobody2020nothing")
    assert out.returncode == 2 and "unknown key" in out.stderr


def test_cli_check_reports_each_problem(tmp_path):
    bad = tmp_path / "refs.bib"
    bad.write_text((ROOT / "tests/roots/test-basic/refs.bib").read_text(encoding="utf-8")
                   .replace("keywords = {peft},\n  tags = {method},\n  kind = {低秩适配}", "keywords = {peft, lora},\n  tags = {method},\n  kind = {低秩适配}")
                   .replace("date = {2023-05-23}", "date = {23/05/2023}"), encoding="utf-8")
    out = run_cli("check", "--bib", str(bad), "--docs", str(tmp_path))
    assert out.returncode == 1
    lines = out.stdout.splitlines()
    assert any(": hu2021lora: unknown topic 'lora'" in line and " — " in line for line in lines), lines
    assert any(": dettmers2023qlora: malformed date '23/05/2023'" in line for line in lines), lines
    assert all(line.startswith(f"{bad}:") for line in lines)


def test_cli_check_real_book_is_clean():
    out = run_cli("check")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no problems" in out.stdout


def test_page_files_equal_the_exporters_output(tmp_path):
    """page_bib.write_all formats each paper once per format and joins the texts per page; every
    file it writes is byte for byte what that format's exporter writes for the same papers
    (including a page citing a key twice, in any order, and a key refs.bib lacks)."""
    from llmkb.bib import file as bibfile
    from llmkb.bib.papers import Paper
    from llmkb.sphinx_ext import page_bib

    library = [Paper(e) for e in bibfile.read(ROOT / "refs.bib").entries]
    keys = [p.key for p in library]
    cited = {"a/page": [keys[40], keys[3], keys[40], "missing2024key"], "b": keys[::-7], "c": []}
    page_bib.write_all(tmp_path, library, cited)
    by_key = {p.key: p for p in library}
    for ext, _, export, *_ in page_bib.FORMATS:
        assert (tmp_path / page_bib.full_uri(ext)).read_text(encoding="utf-8") == export(library), ext
        for docname, chosen in cited.items():
            expected = export([by_key[k] for k in dict.fromkeys(chosen) if k in by_key])
            assert (tmp_path / page_bib.bib_uri(docname, ext)).read_text(encoding="utf-8") == expected, (ext, docname)


def test_ris_file_is_records_one_blank_line_apart():
    from llmkb.bib import file as bibfile
    from llmkb.bib.papers import Paper
    from llmkb.cite.ris import export_ris

    library = [Paper(e) for e in bibfile.read(ROOT / "refs.bib").entries][:5]
    text = export_ris(library)
    records = text.split("\n\n")
    assert len(records) == 5 and all(r.startswith("TY  - ") and r.endswith("ER  - ") for r in records[:-1])
    assert records[-1].endswith("ER  - \n") and "\n\n\n" not in text


def test_a_reader_that_stops_early_gets_no_traceback():
    # `llmkb export | head`: once head exits, the next write raises BrokenPipeError; the command
    # stops quietly with the shell's SIGPIPE status instead of printing a Python traceback.
    # (The export is some 200 KB, far more than the 64 KB a pipe holds, so the write does fail.)
    proc = subprocess.Popen([sys.executable, "-m", "llmkb", "export"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": ""})
    assert proc.stdout.read(64).startswith(b"@")
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait() == 141, err
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
