"""Bad input gets a clear message naming file, line or key, and the fix — never a silent drop."""

import re
import shutil
from pathlib import Path

import pytest
from sphinx.errors import ExtensionError

ROOTS = Path(__file__).parent / "roots"


def warnings_of(warning) -> list[str]:
    text = re.sub(r"\x1b\[[0-9;]*m", "", warning.getvalue())
    return [line for line in text.splitlines() if "WARNING" in line or "ERROR" in line]


@pytest.mark.sphinx("html", testroot="bad-table")
def test_bad_paper_tables_warn_with_page_line_and_fix(app, warning):
    app.build()
    lines = warnings_of(warning)
    def has(pattern):
        return any(re.search(pattern, line) for line in lines)
    assert has(r"index\.md:3: WARNING: paper-table: unknown topic 'lora'; known topics: .*peft")
    assert has(r"index\.md:7: WARNING: paper-table: no refs.bib entry has topic 'alignment'.*add keywords/tags")
    assert has(r"index\.md:11: WARNING: paper-table: topic 'peft' has no tag 'methods'; its tags: survey, method")
    assert has(r"index\.md:17: WARNING: 'paper-table': Unknown option key: 'topc' \(allowed: .*'topic'")
    assert has(r"index\.md:16: WARNING: paper-table needs a :topic: option")
    assert all("[llmkb.paper_table]" in line for line in lines if "paper-table:" in line)
    html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    assert html.count('class="llmkb-paper-table') == 1  # the one good table still renders


def test_broken_bib_stops_the_build_with_every_syntax_error(make_app, tmp_path):
    src = tmp_path / "broken"
    shutil.copytree(ROOTS / "test-broken-bib", src)
    with pytest.raises(ExtensionError) as info:
        make_app("html", srcdir=src)
    message = str(info.value)
    assert "refs.bib:2: hu2021lora: unclosed '{' in a field value" in message
    assert "refs.bib:9: dettmers2023qlora: missing ',' after field 'title'" in message
    assert info.value.category == "refs.bib cannot be read"


BAD_BIB_EDITS = {
    "missing field": ("  booktitle = {International Conference on Machine Learning (ICML 2019)},\n", "",
                      r"refs\.bib:\d+: WARNING: houlsby2019parameterefficient: missing required field 'booktitle'"),
    "unknown topic": ("keywords = {peft, memory-efficient-training}", "keywords = {peft, memory-efficent-training}",
                      r"refs\.bib:\d+: WARNING: dettmers2023qlora: unknown topic 'memory-efficent-training' \(did you mean 'memory-efficient-training'\?\)"),
    "bad date": ("date = {2021-06-17}", "date = {June 2021}",
                 r"refs\.bib:7: WARNING: hu2021lora: malformed date 'June 2021' — write .* YYYY-MM-DD"),
    "duplicate key": ("@article{dettmers2023qlora,", "@article{hu2021lora,",
                      r"refs\.bib:\d+: WARNING: hu2021lora: duplicate key \(first defined on line 2\)"),
}


@pytest.mark.parametrize("case", sorted(BAD_BIB_EDITS))
def test_bad_bib_entries_fail_the_strict_build(make_app, tmp_path, case):
    old, new, pattern = BAD_BIB_EDITS[case]
    src = tmp_path / case.replace(" ", "-")
    shutil.copytree(ROOTS / "test-basic", src)
    bib = src / "refs.bib"
    text = bib.read_text(encoding="utf-8")
    assert old in text
    bib.write_text(text.replace(old, new, 1), encoding="utf-8")
    app = make_app("html", srcdir=src)
    app.build()
    lines = warnings_of(app._warning)
    assert any(re.search(pattern, line) and "[llmkb.bib]" in line for line in lines), lines
