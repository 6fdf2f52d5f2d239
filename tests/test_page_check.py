"""`make check` (`llmkb check`, which reads docs/ by default) reports what the build would say about
the pages: paper-tables that select nothing or name an unknown topic/tag, citations of keys refs.bib
does not hold, and pages that are not UTF-8 — each with page, line and fix, without building."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from llmkb.bib import file as bibfile
from llmkb.bib.papers import Paper
from llmkb.sphinx_ext import page_source

ROOT = Path(__file__).resolve().parent.parent
BASIC = Path(__file__).parent / "roots" / "test-basic"

PAGE = """# 页面

引用 {cite:p}`hu2021lora, nosuch2024key` 与 {cite}`dettmers2023qlora`。

:::{paper-table}
:topic: lora
:::

:::{paper-table}
:topic: peft
:tag: methods
:::

:::{paper-table}
:topic: alignment
:::

:::{paper-table}
:topic: peft
:tag: method
:::
"""


def papers():
    return [Paper(e) for e in bibfile.read(BASIC / "refs.bib").entries]


def test_check_pages_reports_selections_and_citations_the_build_would_warn_about(tmp_path):
    (tmp_path / "page.md").write_text(PAGE, encoding="utf-8")
    found = sorted((p.line, p.key, p.message) for p in page_source.check_pages(tmp_path, papers()))
    path = {p.path for p in page_source.check_pages(tmp_path, papers())}
    assert path == {str(tmp_path / "page.md")}
    assert [(line, key) for line, key, _ in found] == [
        (3, "cite"), (6, "paper-table"), (11, "paper-table"), (15, "paper-table")]
    assert "unknown key 'nosuch2024key'" in found[0][2]
    assert "unknown topic 'lora'" in found[1][2]
    assert "topic 'peft' has no tag 'methods'" in found[2][2]
    assert "no refs.bib entry has topic 'alignment'" in found[3][2]


def test_examples_in_code_blocks_are_not_checked(tmp_path):
    example = "# 示例\n\n````markdown\n:::{paper-table}\n:topic: my-topic\n:::\n\n{cite}`my2024key`\n````\n"
    (tmp_path / "guide.md").write_text(example + "\n```{note}\n{cite}`nosuch2024key`\n```\n", encoding="utf-8")
    found = page_source.check_pages(tmp_path, papers())
    assert [(p.line, p.message) for p in found] == [(12, "unknown key 'nosuch2024key'")]  # a note is parsed


def test_a_page_that_is_not_utf8_is_named_not_a_traceback(tmp_path):
    (tmp_path / "ok.md").write_text(PAGE.split(":::")[0], encoding="utf-8")
    (tmp_path / "latin1.md").write_bytes("# Page\n\nCaf\u00e9 {cite}`hu2021lora`\n".encode("latin-1"))
    (found,) = [p for p in page_source.check_pages(tmp_path, papers()) if "UTF-8" in p.message]
    assert found.path == str(tmp_path / "latin1.md") and found.line == 3
    assert "byte 0xe9" in found.message and "re-save" in found.fix
    assert "hu2021lora" in page_source.shown_keys(tmp_path, papers())  # the readable page still counts


def test_llmkb_check_by_default_includes_the_pages(tmp_path):
    shutil.copy(BASIC / "refs.bib", tmp_path / "refs.bib")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "page.md").write_text(PAGE, encoding="utf-8")
    (docs / "latin1.md").write_bytes("caf\xe9".encode("latin-1"))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    out = subprocess.run([sys.executable, "-m", "llmkb", "check"], capture_output=True, text=True,
                         cwd=tmp_path, env=env, timeout=120)
    assert out.returncode == 1
    assert "Traceback" not in out.stderr
    assert f"{Path('docs') / 'page.md'}:3: cite: unknown key 'nosuch2024key'" in out.stdout
    assert f"{Path('docs') / 'page.md'}:6: paper-table: unknown topic 'lora'" in out.stdout
    assert f"{Path('docs') / 'latin1.md'}:1: -: the page is not UTF-8" in out.stdout


def test_a_bibliography_whose_page_cites_nothing_is_reported(tmp_path):
    """The strict build stops on it (llmkb.empty-bibliography); `make check` said nothing."""
    bibliography = "## 参考文献\n\n:::{bibliography}\n:filter: docname in docnames\n:::\n"
    (tmp_path / "empty.md").write_text("# 空\n\n只在代码里写 `{cite}`hu2021lora`。\n\n" + bibliography, encoding="utf-8")
    (tmp_path / "cites.md").write_text("# 有\n\n引用 {cite:t}`hu2021lora`。\n\n" + bibliography, encoding="utf-8")
    (tmp_path / "shown.md").write_text("# 示例\n\n````markdown\n" + bibliography + "````\n", encoding="utf-8")
    found = [p for p in page_source.check_pages(tmp_path, papers()) if p.key == "bibliography"]
    assert [(p.path, p.line) for p in found] == [(str(tmp_path / "empty.md"), 7)]
    assert found[0].message == page_source.EMPTY_BIBLIOGRAPHY
    assert found[0].fix == "remove the bibliography (and its heading) or cite a paper in the text"


def test_topic_page_prerequisites_are_checked_as_the_build_checks_them(tmp_path):
    """A topic page without `prerequisites` front matter: the build warns, `make check` said nothing."""
    from llmkb.bib.topics import TOPICS_BY_ID

    peft, lora = TOPICS_BY_ID["peft"].page, TOPICS_BY_ID["non-transformer"].page
    (tmp_path / f"{peft}.md").parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / f"{peft}.md").write_text("---\nreviewed: 2026-12-06\n---\n# 页\n", encoding="utf-8")
    (tmp_path / f"{lora}.md").parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / f"{lora}.md").write_text(f"---\nreviewed: 2026-12-06\nprerequisites: [{peft}x]\n---\n# 页\n",
                                         encoding="utf-8")
    found = sorted((p.path, p.line, p.key, p.message, p.fix) for p in page_source.check_pages(tmp_path, papers())
                   if p.key == "prerequisites")
    assert found == sorted([
        (str(tmp_path / f"{peft}.md"), 1, "prerequisites", "the topic page declares no prerequisites",
         "add 'prerequisites: [foundations/transformer]' (the pages to read first; [] for none) to its front matter"),
        (str(tmp_path / f"{lora}.md"), 3, "prerequisites", f"prerequisites names an unknown page '{peft}x' "
         f"(did you mean '{peft}'?)", "write a docname such as foundations/transformer")])


def test_llmkb_check_reports_an_empty_bibliography_and_missing_prerequisites(tmp_path):
    from llmkb.bib.topics import TOPICS_BY_ID

    shutil.copy(BASIC / "refs.bib", tmp_path / "refs.bib")
    page = tmp_path / "docs" / f"{TOPICS_BY_ID['peft'].page}.md"
    page.parent.mkdir(parents=True)
    page.write_text("---\nreviewed: 2026-12-06\n---\n# 页\n\n## 参考文献\n\n```{bibliography}\n```\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    out = subprocess.run([sys.executable, "-m", "llmkb", "check"], capture_output=True, text=True,
                         cwd=tmp_path, env=env, timeout=120)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    shown = Path("docs") / f"{TOPICS_BY_ID['peft'].page}.md"
    assert f"{shown}:8: bibliography: {page_source.EMPTY_BIBLIOGRAPHY} — remove the bibliography" in out.stdout
    assert f"{shown}:1: prerequisites: the topic page declares no prerequisites — add 'prerequisites:" in out.stdout
