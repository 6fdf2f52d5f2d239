"""The corpus of broken inputs (tests/bad_inputs/): `llmkb check` and the strict build agree.

For every file: a message naming the file, the line or key, and the fix; a non-zero exit (zero
only for the hostile-but-valid markup file, which must render escaped); no traceback; bounded
time; and no entry dropped without a problem that accounts for it.
"""

import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sphinx.errors import ExtensionError

from llmkb.bib import file as bibfile
from llmkb.sphinx_ext.extension import BibSyntaxError

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).parent / "bad_inputs"
BASIC = Path(__file__).parent / "roots" / "test-basic"
TIME_LIMIT = 30  # seconds for one `llmkb check`; every case takes well under 3

# file -> (exit code, expected "LINE: KEY: message" starts, how the build stops: error | warning | clean)
CASES = {
    "unclosed-brace.bib": (1, ["19: dettmers2023qlora: unclosed '{' in a field value — close the brace"], "error"),
    "missing-comma.bib": (1, ["6: hu2021lora: missing ',' after field 'year' in entry 'hu2021lora' — separate fields"],
                          "error"),
    "comment-inside-entry.bib": (1, ["6: hu2021lora: a % comment line inside entry 'hu2021lora'"], "error"),
    "non-utf8.bib": (1, ["4: hu2021lora: the file is not UTF-8 (byte 0xe9 on line 4); none of its 2 entries was read"
                         " — re-save non-utf8.bib as UTF-8"], "error"),
    "duplicate-key.bib": (1, ["18: hu2021lora: duplicate key (first defined on line 2) — rename one entry"], "warning"),
    "duplicate-paper.bib": (1, ["18: hu2022lora: the same paper as 'hu2021lora' (line 2): arXiv 2106.09685 — "
                                "keep one entry and cite 'hu2021lora' everywhere"], "warning"),
    "unknown-topic.bib": (1, ["12: hu2021lora: unknown topic 'lora' — use topic ids from llmkb/bib/topics.py"], "warning"),
    "bad-date.bib": (1, ["7: hu2021lora: malformed date 'June 2021' — write the first public version's date",
                         "23: dettmers2023qlora: malformed date '2023-02-30'"], "warning"),
    # no entry, or a '%' pybtex's LaTeX reader would choke on: the build stops with the message
    "empty.bib": (1, ["1: -: the file holds no entry — add entries"], "error"),
    "blank.bib": (1, ["1: -: the file holds no entry — add entries"], "error"),
    "percent.bib": (1, ["19: dettmers2023qlora: field 'title' has an unescaped '%' (LaTeX would drop the rest of the "
                        "line) — write \\% instead of %"], "error"),
    "escaped-brace.bib": (1, ["3: hu2021lora: unclosed '{' in a field value — close the brace; BibTeX counts every "
                              "brace, \\{ and \\} too"], "error"),
    "quoted-breakout.bib": (1, ["19: dettmers2023qlora: a '}' with no '{' before it in a quoted value"], "error"),
    "deep-braces.bib": (1, ["19: dettmers2023qlora: braces nested more than 100 deep in a field value"], "error"),
    "extra-brace.bib": (1, ["3: hu2021lora: an extra '}' ends entry 'hu2021lora' here; the 14 line(s) after it "
                            "belong to no entry — remove the extra '}'"], "error"),
    "cr-only.bib": (1, ["7: hu2021lora: malformed date 'June 2021'"], "warning"),
    "markup-in-id-fields.bib": (1, [
        "6: evil2024ids: malformed year '<script>2024</script>'",
        "7: evil2024ids: malformed date '<script>alert(1)</script>'",
        "8: evil2024ids: malformed arXiv id '<script>2401.00002</script>'",
        "10: evil2024ids: malformed DOI '10.1234/<script>'",
        "11: evil2024ids: url 'javascript:alert(1)' is not an absolute http(s) URL",
        "12: evil2024ids: code 'https://example.org/\"><script>alert(1)</script>' contains '\"'",
        "13: evil2024ids: unknown topic '<script>peft</script>'",
        "14: evil2024ids: tag '<b>method</b>' belongs to none of this entry's topics"], "warning"),
    "markup-in-text-fields.bib": (0, [], "clean"),
    "hostile-tex.bib": (1, [
        "3: evil2024script: field 'title' holds a link (\\url{javascript:alert(document.domain)}); a text field "
        "holds no link — put the paper's address in url",
        "5: evil2024script: field 'journal' holds TeX llmkb does not allow: \\end",
        "10: evil2024script: field 'note' holds TeX llmkb does not allow: \\input",
        "13: evil2024script: field 'kind' holds a control or bidi character ('\\u202e' at character 1)"], "warning"),
}
HUGE = "huge-field.bib"  # generated: a 5 MB title is too big to keep in the repository


def test_every_corpus_file_has_a_case():
    assert {p.name for p in CORPUS.glob("*.bib")} == set(CASES)


def corpus_file(name: str, tmp_path: Path) -> Path:
    if name != HUGE:
        return CORPUS / name
    path = tmp_path / HUGE
    text = (BASIC / "refs.bib").read_text(encoding="utf-8")
    path.write_text(text.replace("title = {{QLoRA: Efficient Finetuning of Quantized LLMs}}",
                                 "title = {{QLoRA " + "pasted text " * 420_000 + "}}"), encoding="utf-8")
    assert path.stat().st_size > 5_000_000
    return path


ALL = {**CASES, HUGE: (1, ["19: dettmers2023qlora: field 'title' is 5,040,008 characters long (the limit is 20,000) "
                           "— a field holds one short value"], "error")}


def run_check(bib: Path, docs: Path) -> tuple[subprocess.CompletedProcess, float]:
    start = time.monotonic()
    out = subprocess.run([sys.executable, "-m", "llmkb", "check", "--bib", str(bib), "--docs", str(docs)],
                         capture_output=True, text=True, cwd=ROOT, timeout=TIME_LIMIT)
    return out, time.monotonic() - start


@pytest.mark.parametrize("name", sorted(ALL))
def test_check_names_file_line_key_and_fix(name, tmp_path):
    code, expected, _ = ALL[name]
    bib = corpus_file(name, tmp_path)
    out, seconds = run_check(bib, tmp_path / "no-docs")
    assert seconds < TIME_LIMIT
    assert "Traceback" not in out.stdout + out.stderr
    assert out.returncode == code, out.stdout + out.stderr
    lines = out.stdout.splitlines()
    if code == 0:
        assert lines == [f"{bib}: 1 entries, no problems"]
        return
    for line in lines:  # every message: file:line: key: what — fix
        assert re.match(rf"^{re.escape(str(bib))}:\d+: \S+: .+ — .+$", line), line
    for start in expected:
        assert any(line.startswith(f"{bib}:{start}") for line in lines), (start, lines)


def at_lines(path: Path) -> list[int]:
    """Lines of the '@'s that start a line, counting \\r\\n, \\r and \\n as editors do."""
    data = path.read_bytes()
    return [len(re.findall(rb"\r\n|\r|\n", data[:m.start()])) + 1
            for m in re.finditer(rb"(?:\A|(?<=[\r\n]))[ \t]*@", data)]


@pytest.mark.parametrize("name", sorted(ALL))
def test_no_entry_is_dropped_silently(name, tmp_path):
    bib_path = corpus_file(name, tmp_path)
    bib = bibfile.read(bib_path)
    starts = at_lines(bib_path)
    if any("is not UTF-8" in p.message for p in bib.problems):
        assert f"none of its {len(starts)} entries was read" in bib.problems[0].message
        return
    read = {e.line for e in bib.entries}
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else 10**9
        assert start in read or any(start <= p.line < end for p in bib.problems), (name, start)
    out, _ = run_check(bib_path, tmp_path / "no-docs")
    summary = out.stderr.strip().splitlines()[-1] if out.returncode else out.stdout
    assert f"{len(bib.entries)} entries" in summary, summary
    if bib.problems:
        assert f"{len(bib.problems)} unreadable" in summary, summary


# ---------------------------------------------------------------- the strict build, same input

def ansi_free(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


INDEX = """# 坏输入

{cite:p}`evil2024script`

:::{paper-table}
:topic: watermarking
:::

:::{bibliography}
:filter: docname in docnames
:::
"""


def build_root(tmp_path: Path, bib: Path) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(BASIC / "conf.py", src / "conf.py")
    shutil.copy(bib, src / "refs.bib")
    (src / "index.md").write_text(INDEX, encoding="utf-8")
    return src


def expected_in_build(name: str, start: str) -> str:
    """The check's message as the build words it: the file is refs.bib there."""
    return start.replace(name, "refs.bib")


@pytest.mark.parametrize("name", sorted(ALL))
def test_strict_build_fails_with_the_same_message(name, make_app, tmp_path):
    code, expected, how = ALL[name]
    src = build_root(tmp_path, corpus_file(name, tmp_path))
    if how == "error":
        start = time.monotonic()
        with pytest.raises(BibSyntaxError) as info:
            make_app("html", srcdir=src)
        assert time.monotonic() - start < TIME_LIMIT
        assert isinstance(info.value, ExtensionError)
        for start_text in expected:
            assert f"refs.bib:{expected_in_build(name, start_text)}" in str(info.value), str(info.value)
        return
    app = make_app("html", srcdir=src)
    app.build()
    warnings = ansi_free(app._warning.getvalue())
    bib_warnings = [ln for ln in warnings.splitlines() if "[llmkb.bib]" in ln]
    if how == "clean":
        assert warnings.strip() == "", warnings
        return
    for start_text in expected:
        line, rest = start_text.split(": ", 1)
        assert any(f"refs.bib:{line}: WARNING: {rest}" in ln for ln in bib_warnings), (start_text, bib_warnings)


def test_markup_in_every_text_field_renders_escaped(make_app, tmp_path):
    src = build_root(tmp_path, CORPUS / "markup-in-text-fields.bib")
    app = make_app("html", srcdir=src)
    app.build()
    html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html
    for word in ("title", "author", "journal", "venue"):
        assert re.search(rf"&lt;script&gt;alert\((?:&quot;|\"|“){word}", html), word
    for raw in ("<img src=x", "<iframe", "<b>Mallory</b>", "<i>arXiv</i>", 'href="javascript:'):
        assert raw not in html, raw
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


# ---------------------------------------------------------------- a page with a misspelled option

def test_misspelled_paper_table_option_check_and_build_agree(make_app, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    page = docs / "index.md"
    shutil.copy(CORPUS / "misspelled-option.md", page)
    out, _ = run_check(BASIC / "refs.bib", docs)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    message = (f"{page}:7: paper-table: unknown option ':tags:' (did you mean ':tag:'?) — "
               "allowed options: :caption:, :sort:, :tag:, :topic:")
    assert message in out.stdout.splitlines(), out.stdout
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(BASIC / "conf.py", src / "conf.py")
    shutil.copy(BASIC / "refs.bib", src / "refs.bib")
    shutil.copy(CORPUS / "misspelled-option.md", src / "index.md")
    app = make_app("html", srcdir=src)
    app.build()
    warnings = ansi_free(app._warning.getvalue())
    assert re.search(r"index\.md:7: WARNING: 'paper-table': Unknown option key: 'tags' \(allowed: .*'tag'", warnings), \
        warnings
