"""refs.bib's reader and writers under hostile and broken input (issue 13, findings 2-6 and 11).

The reader must agree with BibTeX (pybtex, inside the build) on where every value ends; what it
cannot agree on is a problem with file, line, entry and fix, never a build traceback. fmt and add
replace refs.bib atomically: a failed write leaves the old file, byte for byte, and says why.
"""

import errno
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pybtex.database
import pytest
from pybtex.scanner import PybtexSyntaxError

from llmkb import cli
from llmkb.bib import arxiv
from llmkb.bib import check as bib_check
from llmkb.bib import file as bibfile
from llmkb.bib import format as bib_format
from llmkb.sphinx_ext.extension import BibSyntaxError

ROOT = Path(__file__).resolve().parent.parent
BASIC = Path(__file__).parent / "roots" / "test-basic"
DATA = Path(__file__).parent / "data" / "arxiv"


def entry(title_field: str) -> str:
    return ("@article{doe2020x,\n" + title_field + "\n  journal = {J},\n  year = {2020},\n}\n\n"
            "@article{roe2021y,\n  title = {Second},\n  year = {2021},\n}\n")


def pybtex_fields(text: str) -> dict[str, dict[str, str]] | None:
    """What BibTeX (as pybtex reads it in the build) makes of ``text``; None: it stops with an error."""
    try:
        data = pybtex.database.parse_string(text, "bibtex")
    except PybtexSyntaxError:
        return None
    return {k: {n.lower(): v for n, v in e.fields.items()} for k, e in data.entries.items()}


# ---------------------------------------------------------------- finding 2: one brace semantics

AGREE = [
    r"  title = {The \{ Problem},",                  # the example: the group never closes
    r"  title = {Paired \{x\} braces},",             # balanced for BibTeX: one value
    r"  title = {Closer \} first {x},",              # '\}' closes the value early
    r"  title = {{The {\textbraceleft} Problem}},",  # the literal brace that compiles
    r'  title = "In {quotes \} } still",',
    r'  title = "Quote {"} inside braces",',
]


@pytest.mark.parametrize("field", AGREE)
def test_the_reader_ends_every_value_where_bibtex_does(field):
    text = entry(field)
    ours = bibfile.parse_text(text)
    theirs = pybtex_fields(text)
    if ours.problems:
        # refused: BibTeX either fails or reads something other than the two entries as written
        assert theirs is None or set(theirs) != {"doe2020x", "roe2021y"} or \
            theirs["doe2020x"].get("journal") != "J", (field, theirs)
        assert all(p.key == "doe2020x" and p.line in (1, 2) for p in ours.problems), ours.problems
    else:
        assert theirs is not None, field
        assert [e.key for e in ours.entries] == ["doe2020x", "roe2021y"]
        for e in ours.entries:  # the same fields, and the same title text (pybtex normalises spaces)
            assert set(e.fields) == set(theirs[e.key]), (e.fields, theirs[e.key])
            assert " ".join(e.fields["title"].split()) == theirs[e.key]["title"]


@pytest.mark.parametrize("field", AGREE)
def test_whatever_the_reader_accepts_exports_to_bibtex_that_reads_back_the_same(field):
    from llmkb.bib.export_bibtex import export_bibtex
    from llmkb.bib.papers import Paper

    bib = bibfile.parse_text(entry(field))
    exported = export_bibtex(Paper(e) for e in bib.entries)
    theirs = pybtex_fields(exported)
    assert theirs is not None, exported
    for e in bib.entries:
        assert " ".join(e.fields["title"].split()) == theirs[e.key]["title"]
        assert "url" not in theirs[e.key] and "note" not in theirs[e.key]


def test_an_escaped_brace_alone_is_an_unclosed_group_with_a_fix_that_works():
    bib = bibfile.parse_text(entry(r"  title = {The \{ Problem},"))
    [p] = bib.problems
    assert (p.line, p.key) == (2, "doe2020x") and "unclosed '{'" in p.message
    # the old fix text sent contributors to write \{ -- which is exactly what breaks BibTeX
    assert "escape a literal brace as" not in p.fix
    assert "counts every brace" in p.fix and "rephrase" in p.fix
    assert [e.key for e in bib.entries] == ["roe2021y"]


# ---------------------------------------------------------------- finding 3: quoted break-out

BREAKOUT = '  title = "Nice Title}, url = {javascript:alert(document.domain)}, note = {",'


def test_a_quoted_value_closing_a_brace_it_never_opened_is_refused():
    text = entry(BREAKOUT)
    assert pybtex_fields(text) is None  # BibTeX: "unbalanced braces" (or a javascript: url in others)
    bib = bibfile.parse_text(text)
    [p] = bib.problems
    assert (p.line, p.key) == (2, "doe2020x")
    assert "'}' with no '{' before it in a quoted value" in p.message and "remove the '}'" in p.fix


def test_fmt_and_export_refuse_the_break_out_and_change_nothing(tmp_path, capsys):
    path = tmp_path / "refs.bib"
    path.write_text(entry(BREAKOUT), encoding="utf-8")
    before = path.read_bytes()
    assert cli.main(["fmt", "--bib", str(path)]) == 1
    assert cli.main(["export", "--bib", str(path)]) == 1
    out = capsys.readouterr()
    assert "javascript" not in out.out
    assert f"{path}:2: doe2020x: a '}}' with no '{{' before it" in out.err
    assert path.read_bytes() == before


def test_fmt_never_writes_text_that_reads_back_differently():
    """The last line of defence: whatever the reader let through, fmt re-reads its own output."""
    bib = bibfile.parse_text(entry("  title = {Fine},"))
    bib.entries[0].fields["title"] = "Nice}, url = {javascript:alert(1)}, note = {"
    with pytest.raises(ValueError, match=r"entry 'doe2020x' would read back differently"):
        bib_format.format_bib(bib)


# ---------------------------------------------------------------- finding 4: atomic writes

def messy_bib(tmp_path: Path) -> Path:
    path = tmp_path / "refs.bib"
    path.write_text("@article{doe2020x,\n    title={T},  year = 2020,\n}\n", encoding="utf-8")
    return path


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != "refs.bib")


@pytest.mark.parametrize("where, err, why", [
    ("fsync", errno.ENOSPC, "the disk is full"),
    ("write", errno.ENOSPC, "the disk is full"),
    ("replace", errno.EROFS, "the file system is read-only"),
    ("mkstemp", errno.EACCES, "permission denied"),
])
def test_a_failed_fmt_leaves_the_old_file_and_says_why(tmp_path, monkeypatch, capsys, where, err, why):
    path = messy_bib(tmp_path)
    before = path.read_bytes()

    def fail(*args, **kwargs):
        raise OSError(err, os.strerror(err))
    if where == "mkstemp":
        monkeypatch.setattr("tempfile.mkstemp", fail)
    else:
        monkeypatch.setattr(f"os.{where}", fail)
    assert cli.main(["fmt", "--bib", str(path)]) == 1
    message = capsys.readouterr().err
    assert f"{path}: not written — {why}" in message and "the file is unchanged" in message, message
    assert "Traceback" not in message
    assert path.read_bytes() == before
    assert leftovers(tmp_path) == []  # no temporary file left behind


def test_fmt_replaces_the_file_whole_and_keeps_its_mode(tmp_path, capsys):
    path = messy_bib(tmp_path)
    path.chmod(0o640)
    assert cli.main(["fmt", "--bib", str(path)]) == 0
    assert path.read_text(encoding="utf-8") == "@article{doe2020x,\n  title = {T},\n  year = {2020},\n}\n"
    assert path.stat().st_mode & 0o777 == 0o640
    assert leftovers(tmp_path) == []


def test_fmt_honours_a_read_only_file(tmp_path, capsys, monkeypatch):
    path = messy_bib(tmp_path)
    path.chmod(0o444)
    before = path.read_bytes()
    if os.geteuid() == 0:  # root may write anything: stand in for an ordinary user's view of the mode
        real = os.access
        monkeypatch.setattr("os.access", lambda p, mode: False if Path(p) == path and mode == os.W_OK
                            else real(p, mode))
    assert cli.main(["fmt", "--bib", str(path)]) == 1
    assert "the file is read-only; nothing was changed" in capsys.readouterr().err
    assert path.read_bytes() == before


def test_a_failed_add_leaves_the_old_file_and_says_why(tmp_path, monkeypatch, capsys):
    path = tmp_path / "refs.bib"
    shutil.copy(BASIC / "refs.bib", path)
    before = path.read_bytes()
    monkeypatch.setattr("urllib.request.urlopen", lambda *a, **k: pytest.fail("network"))
    monkeypatch.setenv(arxiv.RESPONSE_ENV, str(DATA / "hyena-2302.10866.xml"))

    def full(fd, data):
        os_write(fd, bytes(data)[:100])  # half an entry reaches the disk, then it is full
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    os_write = os.write
    monkeypatch.setattr("os.write", full)
    code = cli.main(["add", "2302.10866", "--topic", "non-transformer", "--kind", "x", "--bib", str(path)])
    message = capsys.readouterr().err
    assert code == 1 and f"{path}: not written — the disk is full" in message, message
    assert path.read_bytes() == before
    assert leftovers(tmp_path) == []


# ---------------------------------------------------------------- finding 5: many broken lines

def test_fifty_thousand_broken_lines_give_a_short_report_in_linear_time(tmp_path, make_app):
    lines = 50_000
    text = (BASIC / "refs.bib").read_text(encoding="utf-8") + "stray text\n" * lines
    path = tmp_path / "refs.bib"
    path.write_text(text, encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "llmkb", "fmt", "--bib", str(path)], capture_output=True,
                         text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 1
    listed = [ln for ln in out.stderr.splitlines() if "text outside any entry" in ln]
    assert len(listed) == bib_check.MAX_LISTED
    assert f"… and {lines - bib_check.MAX_LISTED:,} more problem(s)" in out.stderr
    out = subprocess.run([sys.executable, "-m", "llmkb", "check", "--bib", str(path), "--docs",
                          str(tmp_path / "none")], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 1 and len(out.stdout.splitlines()) == bib_check.MAX_LISTED
    assert f"{lines:,} unreadable" in out.stderr.replace(str(lines), f"{lines:,}")
    src = tmp_path / "src"
    shutil.copytree(BASIC, src)
    shutil.copy(path, src / "refs.bib")
    with pytest.raises(BibSyntaxError) as info:
        make_app("html", srcdir=src)
    message = str(info.value).splitlines()
    assert len(message) == bib_check.MAX_LISTED + 1 and message[-1] == f"… and {lines - bib_check.MAX_LISTED:,} more"


# ---------------------------------------------------------------- finding 6 (bib part): messages, not tracebacks

def test_an_unreadable_file_is_a_problem_not_a_traceback(tmp_path, monkeypatch, capsys):
    path = tmp_path / "refs.bib"
    shutil.copy(BASIC / "refs.bib", path)
    real = Path.read_bytes

    def denied(self):
        if self == path:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
        return real(self)
    monkeypatch.setattr(Path, "read_bytes", denied)
    assert cli.main(["check", "--bib", str(path), "--docs", str(tmp_path / "none")]) == 1
    out = capsys.readouterr().out
    assert f"{path}:1: -: cannot read refs.bib: Permission denied — make the file readable" in out


# ---------------------------------------------------------------- finding 11: a size guard

def test_more_entries_than_the_limit_is_a_problem_naming_the_first_one_over(monkeypatch):
    monkeypatch.setattr(bibfile, "MAX_ENTRIES", 1)
    bib = bibfile.parse_text(entry("  title = {First},"))
    [p] = bib.problems
    assert (p.line, p.key) == (7, "roe2021y")
    assert "holds 2 entries; the limit is 1" in p.message and "MAX_ENTRIES" in p.message


def test_the_real_entry_limit_counts_real_entries():
    one = "@article{k{n}x,\n  title = {T},\n}\n"
    text = "".join(one.replace("{n}", str(i)) for i in range(bibfile.MAX_ENTRIES + 1))
    bib = bibfile.parse_text(text)
    assert len(bib.entries) == bibfile.MAX_ENTRIES + 1
    assert [p.key for p in bib.problems] == [f"k{bibfile.MAX_ENTRIES}x"]


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = tmp_path / "refs.bib"
    shutil.copy(BASIC / "refs.bib", path)
    monkeypatch.setattr(bibfile, "MAX_FILE_BYTES", 1000)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read a file over the limit"))
    bib = bibfile.read(path)
    [p] = bib.problems
    assert p.line == 1 and re.search(r"refs\.bib is [\d,]+ bytes; the limit is 1,000", p.message)


def test_the_build_stops_on_the_entry_limit_with_the_message(make_app, tmp_path, monkeypatch):
    src = tmp_path / "src"
    shutil.copytree(BASIC, src)
    monkeypatch.setattr(bibfile, "MAX_ENTRIES", 2)
    with pytest.raises(BibSyntaxError, match=r"refs\.bib:\d+: \S+: refs\.bib holds \d entries; the limit is 2"):
        make_app("html", srcdir=src)


# ---------------------------------------------------------------- also: line ends and an extra brace

@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_lines_are_counted_as_editors_count_them(newline):
    text = entry("  title = {Open,").replace("\n", newline)
    bib = bibfile.parse_text(text)
    assert [(p.line, p.key) for p in bib.problems] == [(2, "doe2020x")]
    assert [(e.key, e.line) for e in bib.entries] == [("roe2021y", 7)]
    assert bibfile.parse_text("% one\r% two\r@article{a,\r  title = {T},\r}\r").comments == [(1, "% one"), (2, "% two")]


def test_an_extra_closing_brace_is_reported_once_at_its_line():
    text = entry("  title = {{Title}}},")
    bib = bibfile.parse_text(text)
    assert [(p.line, p.key) for p in bib.problems] == [(2, "doe2020x")], bib.problems
    assert "an extra '}' ends entry 'doe2020x' here" in bib.problems[0].message
    assert "remove the extra '}'" in bib.problems[0].fix
    assert [e.key for e in bib.entries] == ["roe2021y"]
