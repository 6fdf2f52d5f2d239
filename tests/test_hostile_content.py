"""Hostile field content (issue 13): links in text, TeX beyond the documented set, control and
bidi characters. `llmkb check` rejects each with line, key and fix; the build never writes a
link that is not http(s) or relative, whatever field or transform produced it."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from llmkb.bib import check as bib_check
from llmkb.bib import file as bibfile

ROOT = Path(__file__).resolve().parent.parent
ROOTS = Path(__file__).parent / "roots"
VALID = (Path(__file__).parent / "test_bib_check.py").read_text(encoding="utf-8").split('VALID = """')[1].split('"""')[0]


def problems(text):
    return bib_check.check_bib(bibfile.parse_text(text), "refs.bib")


def with_title(title, field="title"):
    if field == "title":
        return VALID.replace("{{LoRA: Low-Rank Adaptation of Large Language Models}}", "{{" + title + "}}")
    if field == "provenance":  # the fixture has one already: replace it
        return VALID.replace("provenance = {test fixture}", f"provenance = {{{title}}}")
    return VALID.replace("  year = {2022},\n", f"  year = {{2022}},\n  {field} = {{{title}}},\n")


# ---------------------------------------------------------------- links in text fields (finding 1)

@pytest.mark.parametrize("field", ["title", "note", "publisher", "address"])
@pytest.mark.parametrize("text", [
    r"Innocent \url{javascript:alert(document.domain)}",
    r"Innocent \url{data:text/html,<script>alert(1)</script>}",
    r"\href{JaVaScRiPt:alert(1)}{click}",
    r"See \url{https://example.org}",  # a link in a text field, even http(s): it belongs in url/code
])
def test_check_rejects_url_and_href_in_text_fields(field, text):
    found = [p for p in problems(with_title(text, field)) if "\\url" in p.message or "\\href" in p.message]
    assert len(found) == 1, problems(with_title(text, field))
    p = found[0]
    assert p.key == "hu2021lora" and p.line == (2 if field == "title" else 6)
    assert f"field '{field}'" in p.message and "url = {" in p.fix


def test_check_rejects_a_link_in_the_booktitle():
    text = VALID.replace("(ICLR 2022)}", r"(ICLR 2022) \url{vbscript:msgbox(1)}}")
    assert any("\\url" in p.message and "'booktitle'" in p.message for p in problems(text))


# ---------------------------------------------------------------- TeX beyond the documented set (finding 7)

@pytest.mark.parametrize("text, command", [
    (r"Nice \input{/etc/hostname} Title", r"\input"),
    (r"Nice Title \end{document}", r"\end"),
    (r"\def\x{1} Title", r"\def"),
    (r"Scaling $\input{/etc/passwd}$ laws", r"\input"),
    (r"Title ^^5cinput{/etc/hostname}", "^^"),
    (r"Title with x^2 outside math", "^"),
    (r"Snake_case title", "_"),
    (r"R&D title", "&"),
    (r"Issue #1 title", "#"),
    (r"A $ dollar", "$"),
    (r"Line \\ break", r"\\"),
])
def test_check_rejects_tex_outside_the_documented_set(text, command):
    found = problems(with_title(text))
    assert found, text
    assert any(command in p.message and "bib/schema.py" in p.fix for p in found), [str(p) for p in found]


@pytest.mark.parametrize("text", [
    r"Caf\'e {\"u}ber na\"ive \c{c}a {\o}re \ss{} \v{s}",
    r"Rock \& Roll 50\% of\_it \#1 \$5 and \{braces\}",
    r"Pages 1\textendash 2 \textemdash{} yes\ldots{} \textasciicircum{} \textasciitilde{} \textbackslash{}",
    r"Sparse $O(n^2)$ attention with $\alpha_k \leq \mathcal{O}(1)$",
    r"\emph{Emphasis} and \textbf{bold} and \textit{it} ~tie",
])
def test_check_accepts_the_documented_tex(text):
    assert problems(with_title(text)) == []


def test_provenance_is_a_note_not_tex_but_holds_no_control_characters():
    note = "model config inference/configs/config_671B.json in github.com/x/y#readme; checked 2026-12-04"
    assert problems(with_title(note, "provenance")) == []
    assert any("control or bidi" in p.message for p in problems(with_title(note + "\x1b[2J", "provenance")))


def test_the_real_refs_bib_uses_only_the_documented_tex():
    assert bib_check.check_file(ROOT / "refs.bib") == []


# ---------------------------------------------------------------- control and bidi characters (finding 8)

@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x07", "\u202e", "\u2028", "\u2066", "\x7f", "\x85"])
def test_check_rejects_control_and_bidi_characters(char):
    found = problems(with_title(f"Nice{char}Title"))
    assert any("control or bidi" in p.message and p.line == 2 for p in found), [str(p) for p in found]
    for p in found:
        assert char not in str(p)  # the message names it escaped


def test_a_key_with_ansi_escapes_is_rejected_and_printed_escaped(tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text(VALID.replace("hu2021lora", "hu2021lora\x1b[2J\x1b[31m"), encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "llmkb", "check", "--bib", str(bib), "--docs", str(tmp_path)],
                         capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.returncode == 1
    assert "\x1b" not in out.stdout + out.stderr
    assert "hu2021lora\\x1b[2J\\x1b[31m" in out.stdout
    assert "control or bidi" in out.stdout


def test_problem_text_escapes_non_printables_but_keeps_chinese():
    p = bib_check.Problem("refs.bib", 3, "k\x1bey", "bad \u202e title 低秩", "fix\x00it")
    assert str(p) == "refs.bib:3: k\\x1bey: bad \\u202e title 低秩 — fix\\x00it"


# ---------------------------------------------------------------- the built HTML (finding 1, defence in depth)

HOSTILE_URIS = ["javascript:alert(1)", "JaVaScRiPt:alert(2)", " \x01javascript:alert(3)", "data:text/html,x",
                "vbscript:msgbox(4)", "java\tscript:alert(5)"]
SAFE_HREF = re.compile(r'^(?:https?://|#|[^:/?#]*(?:[/?#]|$))', re.I)


@pytest.mark.sphinx("html", testroot="hostile-links")
def test_the_build_writes_no_link_but_http_or_relative(app, warning):
    app.build()
    html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs
    bad = [h for h in hrefs if not SAFE_HREF.match(h)]
    assert bad == []
    # the text of each dropped link stays, as text
    assert "alert(1)" in html and "msgbox(4)" in html
    warnings = re.sub(r"\x1b\[[0-9;]*m", "", warning.getvalue())
    dropped = [line for line in warnings.splitlines() if "[llmkb.unsafe_link]" in line]
    assert len(dropped) >= 4, warnings
    assert all("index" in line and "not http(s)" in line for line in dropped)


def test_safe_uri_refuses_every_other_scheme():
    from llmkb.sphinx_ext import safe_links

    for uri in HOSTILE_URIS + ["//evil.example/x", "\\\\evil.example", "/\\evil.example", "file:///etc/passwd"]:
        assert not safe_links.is_safe_uri(uri), uri
    for uri in ["https://arxiv.org/abs/1", "HTTP://x.org", "other.html#cite-x", "#cite-hu2021lora", "../a/b.html",
                "_downloads/x.bib", "index.html?x=1"]:
        assert safe_links.is_safe_uri(uri), uri


def test_export_refuses_an_entry_whose_tex_would_read_the_citers_files(tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text(with_title(r"Nice \input{/etc/hostname} Title"), encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "llmkb", "export", "--bib", str(bib)],
                         capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.returncode == 1 and out.stdout == ""
    assert "hu2021lora: field 'title' holds TeX llmkb does not allow: \\input" in out.stderr
    assert "not exported" in out.stderr


def test_an_entry_of_a_refused_type_still_gets_its_content_checked():
    text = VALID.replace("@inproceedings", "@misc").replace("(ICLR 2022)}", r"(ICLR 2022) \url{javascript:x}}")
    found = problems(text)
    assert any("not allowed" in p.message for p in found) and any("\\url" in p.message for p in found)


def test_fmt_check_prints_a_hostile_key_escaped(tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text(VALID.replace("hu2021lora", "hu2021lora\x1b]0;owned\x07").replace("  year", "year"), encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "llmkb", "fmt", "--check", "--bib", str(bib)],
                         capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.returncode == 1
    assert "hu2021lora\\x1b]0;owned\\x07: not in canonical form" in out.stdout
    assert "\x1b" not in out.stdout + out.stderr and "\x07" not in out.stdout + out.stderr
