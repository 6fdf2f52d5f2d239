"""Notes, relations, lineage graph and reading path in a tiny project (tests/roots/test-notes)."""

import re
import shutil
from pathlib import Path

import pytest

from llmkb.bib import notes

ROOT = Path(__file__).parent / "roots" / "test-notes"


def page(app, name: str) -> str:
    return (Path(app.outdir) / name).read_text(encoding="utf-8")


@pytest.mark.sphinx("html", testroot="notes")
def test_rows_show_the_summary_under_the_authors_and_carry_anchors(app, warning):
    app.build()
    assert warning.getvalue() == ""
    html = page(app, "efficiency/peft.html")
    row = re.search(r'<tr class="llmkb-paper[^"]*"[^>]*id="paper-hu2021lora"[^>]*>(.*?)</tr>', html, re.S).group(1)
    authors = row.index('<p class="llmkb-authors">')
    summary = row.index('<p class="llmkb-summary">提出低秩适配 LoRA：冻结预训练权重')
    assert authors < summary < row.index('<details class="llmkb-bibtex">')
    # no summary: no empty line
    prefix = re.search(r'id="paper-li2021prefixtuning"[^>]*>(.*?)</tr>', html, re.S).group(1)
    assert "llmkb-summary" not in prefix
    # the summary is searchable (its Latin words at least; jieba splits the Chinese)
    assert "normalfloat" in page(app, "searchindex.js").lower()


@pytest.mark.sphinx("html", testroot="notes")
def test_paper_index_links_relations_and_back_links_to_rows_on_the_page(app, warning):
    app.build()
    html = page(app, "papers.html")
    ids = set(re.findall(r'\bid="(paper-[\w-]+)"', html))
    assert len(ids) == 4  # one anchor per paper, though QLoRA is in two topics' tables
    assert len(re.findall(r'id="paper-dettmers2023qlora"', html)) == 1
    rows = re.findall(r'<tr [^>]*id="paper-([\w-]+)"[^>]*>(.*?)</tr>', html, re.S)
    lines = {key: m.group(1) for key, row in rows if (m := re.search(r'<p class="llmkb-relations">(.*?)</p>', row))}
    assert "li2021prefixtuning" not in lines  # no relation either way: no line
    assert lines["dettmers2023qlora"] == ('基于 <a href="#paper-houlsby2019parameterefficient">Houlsby 2019</a> · '
                                          '改进 <a href="#paper-hu2021lora">LoRA</a>')
    assert lines["hu2021lora"] == ('对比 <a href="#paper-houlsby2019parameterefficient">Houlsby 2019</a> · '
                                   '被 <a href="#paper-dettmers2023qlora">QLoRA</a> 改进')
    assert lines["houlsby2019parameterefficient"] == ('被 <a href="#paper-dettmers2023qlora">QLoRA</a> 沿用 · '
                                                      '被 <a href="#paper-hu2021lora">LoRA</a> 对比')
    assert all(f"paper-{k}" in ids for k in re.findall(r'href="#paper-([\w-]+)"', html))
    # the topic page's rows have no relations line: the graph above them says it
    assert "llmkb-relations" not in page(app, "efficiency/peft.html")


@pytest.mark.sphinx("html", testroot="notes")
def test_lineage_graph_links_each_box_to_a_row_and_lists_the_relations(app, warning):
    app.build()
    html = page(app, "efficiency/peft.html")
    (svg,) = re.findall(r'<figure class="llmkb-graph"><div class="llmkb-graph-scroll" tabindex="0">(<svg .*?</svg>)',
                        html, re.S)
    assert 'role="group" aria-label="论文谱系图：3 篇论文、3 条关系（基于 1 条、改进 1 条、对比 1 条）' in svg
    targets = set(re.findall(r'<a href="#([^"]+)" aria-label="[^"]+：本页表格中的这一行"', svg))
    assert targets == {"paper-hu2021lora", "paper-dettmers2023qlora", "paper-houlsby2019parameterefficient"}
    # slimmed (plots/markup.py): one link per box, no matplotlib wrappers or RDF metadata
    assert svg.count("<a ") == 3 and "<g" not in svg and "<metadata" not in svg and "rdf:" not in svg
    assert all(f'id="{t}"' in html for t in targets)
    text = re.search(r'<details class="llmkb-graph-text"><summary>谱系的文字版（3 条关系）</summary>(.*?)</details>',
                     html, re.S).group(1)
    assert re.findall(r"<li><p>(.*?)</p></li>", text) == ["LoRA（2021）对比 Houlsby 2019",
                                                         "QLoRA（2023）基于 Houlsby 2019",
                                                         "QLoRA（2023）改进 LoRA（2021）"]
    # the graph sits before the table it maps
    assert html.index("llmkb-graph-svg") < html.index('<table class="llmkb-paper-table')
    # drawn once; the copy under _generated is what the next build inlines
    assert (Path(app.srcdir) / "_generated" / "plots" / "lineage-peft.svg").read_text(encoding="utf-8") in html


@pytest.mark.sphinx("html", testroot="notes")
def test_reading_path_lists_steps_and_draws_them_linked(app, warning):
    app.build()
    html = page(app, "guide/paths.html")
    steps = re.search(r'<ol class="[^"]*llmkb-reading-path[^"]*"[^>]*>(.*?)</ol>', html, re.S).group(1)
    items = re.findall(r"<li><p>(.*?)</p>\s*</li>", steps, re.S)
    assert len(items) == 4
    assert 'href="basics.html"' in items[0] and items[0].endswith("：先读基础。")
    assert "<em>LoRA: Low-Rank Adaptation of Large Language Models</em>" in items[2]
    svg = re.search(r"<svg .*?</svg>", html, re.S).group(0)
    assert 'aria-label="学习路线「参数高效微调入门」：4 步' in svg
    links = dict(re.findall(r'<a href="([^"]+)" aria-label="([^"]+)"', svg))
    assert links == {"basics.html": "第 1 步：基础",
                     "../efficiency/peft.html#paper-houlsby2019parameterefficient": "第 2 步：Houlsby 2019",
                     "../efficiency/peft.html#paper-hu2021lora": "第 3 步：LoRA（2021）",
                     "../efficiency/peft.html#paper-dettmers2023qlora": "第 4 步：QLoRA（2023）"}


def _copy(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    return src


def test_missing_summary_is_a_problem_only_when_required(make_app, tmp_path, monkeypatch):
    src = _copy(tmp_path)
    app = make_app("html", srcdir=src)
    assert "missing summary" not in app._warning.getvalue()
    monkeypatch.setattr(notes, "REQUIRE_SUMMARY", True)
    app = make_app("html", srcdir=src)
    (line,) = [w for w in app._warning.getvalue().splitlines() if "missing summary" in w]
    entry_line = (src / "refs.bib").read_text(encoding="utf-8").split("\n").index("@inproceedings{li2021prefixtuning,") + 1
    assert re.search(rf"refs\.bib:{entry_line}: WARNING: li2021prefixtuning: missing summary \(一句话总结\) — add summary = ",
                     line)


def test_bad_relations_and_reading_path_steps_name_file_line_and_fix(make_app, tmp_path):
    src = _copy(tmp_path)
    bib = src / "refs.bib"
    bib.write_text(bib.read_text(encoding="utf-8").replace("relations = {改进:hu2021lora;", "relations = {改善:hu2021lora;"),
                   encoding="utf-8")
    paths = src / "guide" / "paths.md"
    paths.write_text(paths.read_text(encoding="utf-8")
                     .replace("hu2021lora | LoRA", "hu2021lorra | LoRA")
                     .replace("guide/basics | 先读基础。\n", "dettmers2023qlora | 先读 QLoRA。\nguide/basic | 没有这一页。\n"),
                     encoding="utf-8")
    app = make_app("html", srcdir=src)
    app.build()
    warnings = app._warning.getvalue()
    assert re.search(r"refs\.bib:\d+: WARNING: dettmers2023qlora: unknown relation verb '改善' in '改善:hu2021lora' "
                     r"— use 基于 \(builds on\), 改进 \(improves\) or 对比 \(compares with\)", warnings)
    assert re.search(r"guide/paths\.md:5: WARNING: reading-path: step 'guide/basic' is no page of the book "
                     r"\(did you mean 'guide/basics'\?\) — write a docname", warnings)
    assert re.search(r"guide/paths\.md:7: WARNING: reading-path: step 'hu2021lorra' is no refs\.bib key "
                     r"\(did you mean 'hu2021lora'\?\)", warnings)
    assert re.search(r"guide/paths\.md:4: WARNING: reading-path: step 'dettmers2023qlora' comes before "
                     r"'houlsby2019parameterefficient', a paper it builds on — move", warnings)


@pytest.mark.sphinx("text", testroot="notes")
def test_text_edition_shows_summaries_relations_and_the_graph_as_a_list(app, warning):
    app.build()
    index = page(app, "papers.txt")
    # the 论文 cell wraps: look for pieces that stay on one line
    assert "QLoRA：把冻结的基座量化成 4 位 NormalFloat" in index
    assert "基于 Houlsby 2019 · 改进" in index and "对比 Houlsby 2019 · 被 QLoRA 改进" in index
    main = page(app, "efficiency/peft.txt")
    assert "QLoRA（2023）改进 LoRA（2021）" in main and "<svg" not in main and "<details" not in main


def _build(make_app, src: Path):
    app = make_app("html", srcdir=src)
    app.build()
    return app, (Path(app.outdir) / "efficiency" / "peft.html").read_text(encoding="utf-8")


def test_lineage_graph_is_drawn_by_its_own_process_while_pages_are_read(make_app, tmp_path, monkeypatch):
    """llmkb/sphinx_ext/lineage_graphs.py: a graph not in the figure cache goes to one drawing process;
    the page is the same as when the build draws it itself, and the drawing lands in the cache."""
    from llmkb.sphinx_ext import lineage_graphs

    started = []

    class Counted(lineage_graphs.DrawProcess):
        def __init__(self):
            started.append(self)
            super().__init__()
    monkeypatch.setattr(lineage_graphs, "DrawProcess", Counted)
    from llmkb.plots import lineage
    graphs = []
    real_graph = lineage.topic_graph
    monkeypatch.setattr(lineage, "topic_graph", lambda papers, topic, labels: graphs.append(topic) or
                        real_graph(papers, topic, labels))
    app, html = _build(make_app, _copy(tmp_path / "a"))
    assert graphs == ["peft"]  # built once, for the process and the directive
    assert app._warning.getvalue() == ""
    assert len(started) == 1 and [job["topic"] for job in started[0].jobs] == ["peft"]
    assert app.llmkb_lineage_process is None  # collected before writing
    # its threads ended with it, so none stops the exports' fork (sphinx_ext/background.py)
    assert not started[0]._reader.is_alive() and not started[0]._writer.is_alive()
    svg = (Path(app.srcdir) / "_generated" / "plots" / "lineage-peft.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg ") and f'tabindex="0">{svg}</div></figure>' in html

    monkeypatch.setattr(lineage_graphs, "BUILDERS", frozenset())  # the build draws it itself
    _, drawn_here = _build(make_app, _copy(tmp_path / "b"))
    assert len(started) == 1 and drawn_here == html


def test_a_graph_the_process_cannot_draw_is_drawn_by_the_build(make_app, tmp_path, monkeypatch):
    from llmkb.sphinx_ext import lineage_graphs

    _, expected = _build(make_app, _copy(tmp_path / "a"))
    refusing = tmp_path / "python"  # answers every job with an error
    refusing.write_text("#!/bin/sh\nwhile read line; do echo '{\"error\": \"refused (test)\"}'; done\n",
                        encoding="utf-8")
    refusing.chmod(0o755)
    monkeypatch.setattr(lineage_graphs.LineProcess.__init__.__globals__["sys"], "executable", str(refusing))
    app, html = _build(make_app, _copy(tmp_path / "b"))
    assert "lineage" not in app._warning.getvalue() and html == expected and "llmkb-graph-svg" in html


def test_a_drawing_process_that_dies_is_a_clear_build_error(make_app, tmp_path, monkeypatch):
    from llmkb.sphinx_ext import lineage_graphs

    dying = tmp_path / "python"
    dying.write_text("#!/bin/sh\necho 'no matplotlib here (test)' >&2\nexit 3\n", encoding="utf-8")
    dying.chmod(0o755)
    monkeypatch.setattr(lineage_graphs.LineProcess.__init__.__globals__["sys"], "executable", str(dying))
    with pytest.raises(lineage_graphs.LineageError,
                       match=r"python -m llmkb\.plots\.lineage_process failed \(3\):\nno matplotlib here \(test\)"):
        _build(make_app, _copy(tmp_path / "a"))
