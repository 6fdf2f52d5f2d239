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


CODE_PAGE = """# 代码里的角色不算引用

写法是 `` {cite:t}`键` ``，也可以写成 ``{cite:p}`键2` ``；行内公式 $\\text{{cite}`键3`}$ 也不是引用。
真正的引用跨行：先说一句，
再引用 {cite:t}`hu2021lora`。转义的反引号 \\`{cite}`dettmers2023qlora` 之后仍是引用。

```markdown
{cite}`键4`
```

| 方法 | 出处 |
| --- | --- |
| LoRA | {cite:p}`houlsby2019parameterefficient` |

:::{note}
提示里也可以引用 {cite}`lester2021power`，代码 `{cite}`键5`` 照样不算。
:::
"""


def test_citations_skip_inline_code_and_code_blocks_as_myst_does():
    """`llmkb check` reported "unknown key '键'" for `` `{cite:t}`键` `` in the contributing guide,
    which the build shows as code."""
    assert list(page_source.citations(CODE_PAGE)) == [
        ("hu2021lora", 5), ("dettmers2023qlora", 5), ("houlsby2019parameterefficient", 13), ("lester2021power", 16)]
    assert page_source.cited_keys(CODE_PAGE) == {"hu2021lora", "dettmers2023qlora", "houlsby2019parameterefficient",
                                                 "lester2021power"}


def test_the_scanner_parses_markdown_as_conf_py_configures_myst():
    import ast

    tree = ast.parse((ROOT / "conf.py").read_text(encoding="utf-8"))
    (value,) = [node.value for node in tree.body if isinstance(node, ast.Assign)
                and any(getattr(t, "id", "") == "myst_enable_extensions" for t in node.targets)]
    assert tuple(ast.literal_eval(value)) == page_source.MYST_EXTENSIONS


def test_a_table_header_cell_with_only_a_formula_is_reported_with_its_line():
    text = ("# 页\n\n| 示例数 $k$ | $p_n$ |\n| --- | --- |\n| 1 | 0.5 |\n\n"
            "```markdown\n| $x$ | y |\n| --- | --- |\n```\n\n| 概率 $p$ | $a$ $b$ |\n|:---|---:|\n| 1 | 2 |\n")
    problems = page_source.check_table_headers(text, "docs/p.md")
    assert [(p.line, p.key) for p in problems] == [(3, "table"), (12, "table")]
    assert "'$p_n$' is only a formula" in problems[0].message and problems[0].fix.startswith("put a word")
    assert "'$a$ $b$'" in problems[1].message  # formulas only, even two of them
    # a word beside the formula, a table in a code fence, and body rows are fine
    assert page_source.check_table_headers(text.replace("| $p_n$ |", "| 精确率 $p_n$ |")
                                           .replace("| $a$ $b$ |", "| 区间 $a$ $b$ |"), "p.md") == []


def test_the_books_table_headers_all_have_words():
    docs = Path(__file__).parent.parent / "docs"
    problems = [p for page in sorted(docs.rglob("*.md"))
                for p in page_source.check_table_headers(page.read_text(encoding="utf-8"), str(page))]
    assert problems == [], "\n".join(map(str, problems))


def test_a_directive_in_a_backtick_fence_does_not_hide_what_follows():
    """A ```` ```{toctree} ```` fence is a directive, not code: its closing fence must not open a code
    block that hides the rest of the page (the paper index's part pages were listed in one, and the
    page plan lost the index below it). A code block inside a directive's fence is still code."""
    text = ("# 总览\n\n```{toctree}\n:hidden:\n\npapers/text\n```\n\n"
            "````{note}\n```markdown\n:::{paper-table}\n:topic: rag\n:::\n```\n````\n\n"
            ":::{paper-index}\n:part: text\n:::\n\n`{cite:p}`inline`` {cite:p}`hu2021lora`\n")
    found = list(page_source.directives(text))
    assert [(d.name, d.get("part")) for d in found] == [("paper-index", "text")]
    assert page_source.cited_keys(text) == {"hu2021lora"}
