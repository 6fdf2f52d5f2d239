"""Reading paths and page prerequisites: parsing, checks (each names the line and the fix), graph."""

from pathlib import Path

import pytest

from llmkb.sphinx_ext import reading_paths as R


def steps(*lines, first=10):
    found, problems = R.parse_steps(list(lines), first)
    return found, problems


def test_steps_are_page_or_key_with_a_reason():
    found, problems = steps("/foundations/transformer | 先读结构。", "", "hu2021lora | LoRA 最常用。")
    assert [(s.target, s.is_page, s.line) for s in found] == [("foundations/transformer", True, 10),
                                                              ("hu2021lora", False, 12)]
    assert problems == []


def test_a_step_without_reason_names_its_line_and_the_format():
    found, problems = steps("efficiency/peft", "hu2021lora |  ")
    assert found == [] and [line for line, _ in problems] == [10, 11]
    assert "step 'efficiency/peft' is not '<page or key> | <why>'" in problems[0][1]
    assert "'<page or refs.bib key> | <one sentence of why>'" in problems[0][1]
    assert steps("", first=4)[1] == [(4, "a reading path needs steps — " + R.STEP_HELP)]


def test_order_follows_prerequisites_transitively_and_relations():
    found, _ = steps("text/alignment | a", "foundations/transformer | b", "hu2021lora | c", "dettmers2023qlora | d",
                     "text/alignment | again")
    prerequisites = {"text/alignment": ["text/instruction-tuning"], "text/instruction-tuning": ["foundations/transformer"]}
    relations = [("dettmers2023qlora", "hu2021lora", "改进")]
    problems = R.order_problems(found, prerequisites, relations)
    assert problems == [
        (10, "step 'text/alignment' comes before 'foundations/transformer', a page it needs — "
             "move 'foundations/transformer' up, before line 10"),
        (14, "step 'text/alignment' is listed twice — keep its first place")]
    swapped, _ = steps("dettmers2023qlora | d", "hu2021lora | c")
    (problem,) = R.order_problems(swapped, {}, relations)
    assert problem[0] == 10 and "a paper it builds on" in problem[1]


def test_prerequisite_problems_missing_unknown_itself_and_cycles():
    pages = {"a/x", "a/y", "a/z", "b/w"}
    out = R.prerequisite_problems({"a/x": ["a/y"], "a/y": ["a/z"], "a/z": ["a/x"], "b/w": None,
                                   "a/q": ["a/q", "a/yy"]}, pages)
    messages = dict((doc, m) for doc, m in out if "cycle" not in m and "unknown" not in m)
    assert "the topic page declares no prerequisites — add 'prerequisites: [foundations/transformer]'" in messages["b/w"]
    assert ("a/q", "prerequisites names the page itself — delete 'a/q'") in out
    assert any(doc == "a/q" and "unknown page 'a/yy' (did you mean 'a/y'?)" in m for doc, m in out)
    (cycle,) = [m for _, m in out if "cycle" in m]
    assert cycle.startswith("prerequisites form a cycle: ") and cycle.count("→") == 3 and "delete one of them" in cycle


def test_front_matter_is_read_from_the_source(tmp_path: Path):
    page = tmp_path / "p.md"
    page.write_text("---\nreviewed: 2026-12-05\nprerequisites: [/foundations/transformer, text/alignment]\n---\n# T\n",
                    encoding="utf-8")
    assert R.read_prerequisites(page) == ["foundations/transformer", "text/alignment"]
    assert R.field_line(page) == 3
    page.write_text("---\nprerequisites: []\n---\n", encoding="utf-8")
    assert R.read_prerequisites(page) == []
    page.write_text("---\nreviewed: 2026-12-05\n---\n", encoding="utf-8")
    assert R.read_prerequisites(page) is None
    page.write_text("---\nprerequisites: foundations/transformer\n---\n", encoding="utf-8")
    with pytest.raises(ValueError, match="must be a list of page names"):
        R.read_prerequisites(page)
    # broken YAML: a problem with its line (the build and `llmkb check` ended in a yaml traceback)
    page.write_text("---\nreviewed: 2026-12-05\nprerequisites: [a, b\n---\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"the front matter is not valid YAML \(.* on line 3\)"):
        R.read_prerequisites(page)


def test_path_graph_chains_the_steps_and_adds_what_the_order_rests_on():
    found, _ = steps("foundations/transformer | a", "foundations/decoder-only | b", "hu2021lora | c",
                     "dettmers2023qlora | d")
    g = R.path_graph(found, {"hu2021lora": "LoRA"}, {"foundations/decoder-only": ["foundations/transformer"],
                                                     "efficiency/peft": ["foundations/decoder-only"]},
                     [("dettmers2023qlora", "hu2021lora", "改进"), ("dettmers2023qlora", "foundations/transformer", "基于")])
    assert set(g.edges(data="verb")) == {("foundations/decoder-only", "hu2021lora", "next"),
                                         ("foundations/transformer", "foundations/decoder-only", "next"),
                                         ("foundations/transformer", "dettmers2023qlora", "needs"),
                                         ("hu2021lora", "dettmers2023qlora", "next")}
    assert g.nodes["hu2021lora"]["label"] == "3. LoRA"


def test_the_build_and_llmkb_check_report_the_same_prerequisite_problems(make_app, tmp_path, rootdir):
    """One implementation (reading_paths.topic_page_problems): a topic page without the field and
    one naming an unknown page, as build warnings and as `llmkb check` problems."""
    import re
    import shutil

    from llmkb.sphinx_ext import page_source

    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-nested", src)
    peft = src / "efficiency" / "peft.md"
    peft.write_text(peft.read_text(encoding="utf-8").replace("prerequisites: []\n", ""), encoding="utf-8")
    (src / "efficiency" / "memory-efficient-training.md").write_text(
        "---\nreviewed: 2026-12-01\nprerequisites: [efficiency/pfet]\n---\n# 显存\n", encoding="utf-8")
    index = src / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("efficiency/peft", "efficiency/peft\n"
                     "efficiency/memory-efficient-training", 1), encoding="utf-8")
    app = make_app("html", srcdir=src)
    app.build()
    warned = sorted(re.findall(r"(efficiency/[\w-]+)\.md:(\d+): WARNING: (.*) \[llmkb\.prerequisites\]",
                               app.warning.getvalue()))
    checked = sorted((str(Path(p.path).relative_to(src).with_suffix("").as_posix()), str(p.line), f"{p.message} — {p.fix}")
                     for p in page_source.check_prerequisites(src))
    assert len(warned) == 2 and warned == checked
    assert "declares no prerequisites" in warned[1][2] and "did you mean 'efficiency/peft'" in warned[0][2]
