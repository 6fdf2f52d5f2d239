"""llmkb.sphinx_ext.page_source: the directives and citations of a MyST page, read without building."""

from pathlib import Path

from llmkb.bib import file as bibfile
from llmkb.bib.papers import Paper
from llmkb.sphinx_ext import page_source

ROOT = Path(__file__).resolve().parent.parent

PAGE = """# 标题

正文引用 {cite:p}`hu2021lora, dettmers2023qlora` 与 {cite}`houlsby2019parameterefficient`。

:::{paper-table}
:topic: peft
:tag: method
:sort: newest
:::

  ```{paper-table}
  :topic: peft
  :tags: method
  ```
"""


def test_directives_with_their_options_and_lines():
    found = list(page_source.directives(PAGE))
    assert [d.name for d in found] == ["paper-table", "paper-table"]
    first, second = found
    assert [(o.name, o.value, o.line) for o in first.options] == [
        ("topic", "peft", 6), ("tag", "method", 7), ("sort", "newest", 8)]
    assert first.get("topic") == "peft" and first.get("missing", "x") == "x"
    assert [(o.name, o.line) for o in second.options] == [("topic", 12), ("tags", 13)]  # indented fence


def test_cited_keys():
    assert page_source.cited_keys(PAGE) == {"hu2021lora", "dettmers2023qlora", "houlsby2019parameterefficient"}
    assert page_source.cited_keys("no citations") == set()


def test_unknown_option_names_page_line_and_the_option_meant():
    allowed = page_source.allowed_options()
    problems = page_source.check_text(PAGE, "docs/x.md", allowed)
    assert [(p.path, p.line, p.key) for p in problems] == [("docs/x.md", 13, "paper-table")]
    assert "did you mean ':tag:'" in problems[0].message


def test_shown_keys_from_tables_and_citations_not_from_the_paper_index(tmp_path):
    papers = [Paper(e) for e in bibfile.read(ROOT / "refs.bib").entries]
    (tmp_path / "peft.md").write_text(PAGE, encoding="utf-8")
    (tmp_path / "papers.md").write_text("# 论文\n\n:::{paper-index}\n:::\n\n{cite}`vaswani2017attention`\n",
                                        encoding="utf-8")
    shown = page_source.shown_keys(tmp_path, papers)
    chosen = {p.key for p in papers if "peft" in p.topics and "method" in p.tags}
    assert chosen and chosen <= shown
    assert {"hu2021lora", "dettmers2023qlora", "houlsby2019parameterefficient"} <= shown
    assert "vaswani2017attention" not in shown  # only cited on the paper index
