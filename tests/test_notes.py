"""Per-paper notes (issue 18): summary length, relations, cycles; every problem names line and fix."""

import re
from pathlib import Path

import pytest

from llmkb.bib import check as bib_check
from llmkb.bib import file as bibfile
from llmkb.bib import notes
from llmkb.bib.papers import Paper

ENTRY = """@article{{{key},
  title = {{{title}}},
  author = {{Hu, Edward J. and Shen, Yelong}},
  journal = {{arXiv preprint}},
  year = {{{year}}},
  date = {{{year}-06-17}},
  eprint = {{{eprint}}},
  archivePrefix = {{arXiv}},
  url = {{https://arxiv.org/abs/{eprint}}},
  keywords = {{scaling-laws}},
  kind = {{方法}},
  shortvenue = {{arXiv}},
  provenance = {{test fixture}},
{extra}}}
"""
#: 53 Han characters
GOOD = "提出低秩适配，冻结预训练权重，只在注意力矩阵旁训练两个小矩阵之积，在多个基准上以千分之一的可训练参数接近全量微调。"
LINE = re.compile(r"^refs\.bib:\d+: [\w-]+: .+ — .+$")


def entry(key, year, eprint, extra=""):
    return ENTRY.format(key=key, title=key.upper(), year=year, eprint=eprint, extra=extra)


def bib(*extras):
    """Three entries a (2019), b (2020), c (2021); extras are the fields of a, b and c."""
    extras = list(extras) + [""] * (3 - len(extras))
    return (entry("alpha2019one", 2019, "1901.00001", extras[0]) + "\n"
            + entry("beta2020two", 2020, "2001.00002", extras[1]) + "\n"
            + entry("gamma2021three", 2021, "2101.00003", extras[2]))


def problems(text, **kw):
    out = bib_check.check_bib(bibfile.parse_text(text), "refs.bib", **kw)
    for p in out:
        assert LINE.match(str(p)), str(p)
    return out


def test_han_count_ignores_latin_digits_and_punctuation():
    assert notes.han_count("LoRA 把可训练参数降到 0.01\\%，效果接近全量微调。") == 16
    assert notes.han_count(GOOD) == 53


def test_valid_notes_have_no_problem():
    text = bib(f"  summary = {{{GOOD}}},\n",
               f"  summary = {{{GOOD}}},\n  relations = {{改进:alpha2019one}},\n",
               "  relations = {基于:beta2020two； 对比：alpha2019one},\n")
    assert problems(text) == []


def test_over_long_and_short_summary_name_line_and_fix():
    text = bib(f"  summary = {{{GOOD * 2}}},\n", "  summary = {提出一个方法。},\n")
    long, short = problems(text)
    assert (long.key, long.line) == ("alpha2019one", 14)
    assert "106 Han characters, more than 80" in long.message and "shorten it" in long.fix
    assert short.key == "beta2020two" and "only 6 Han characters, fewer than 40" in short.message
    assert "40-80 汉字" in short.fix


def test_missing_summary_only_when_required(monkeypatch):
    text = bib(f"  summary = {{{GOOD}}},\n")
    assert problems(text) == []  # REQUIRE_SUMMARY is False while the notes are being written
    out = problems(text, require_summary=True)
    assert [(p.key, p.message) for p in out] == [("beta2020two", "missing summary (一句话总结)"),
                                                 ("gamma2021three", "missing summary (一句话总结)")]
    assert all("add summary = {...}" in p.fix for p in out)
    monkeypatch.setattr(notes, "REQUIRE_SUMMARY", True)  # the constant is the default
    assert len(problems(text)) == 2


def test_unknown_key_suggests_and_names_relations_line():
    (p,) = problems(bib("", "  relations = {改进:alpha2019on},\n"))
    assert str(p).startswith("refs.bib:29: beta2020two: relation '改进:alpha2019on' names no refs.bib entry "
                             "(did you mean 'alpha2019one'?) — write the key of an existing entry")


def test_unknown_verb_and_malformed_item():
    verb, malformed = problems(bib("", "  relations = {改善:alpha2019one; alpha2019one},\n"))
    assert "relation 'alpha2019one' is not verb:key" in verb.message + malformed.message
    bad = verb if "unknown" in verb.message else malformed
    assert "unknown relation verb '改善' in '改善:alpha2019one'" in bad.message
    assert "基于 (builds on), 改进 (improves) or 对比 (compares with)" in bad.fix


def test_relation_to_itself_and_twice():
    out = problems(bib("  relations = {基于:alpha2019one},\n", "  relations = {改进:alpha2019one; 对比:alpha2019one},\n"))
    assert [p.message for p in out] == ["relation '基于:alpha2019one' names the entry itself",
                                        "relation to 'alpha2019one' named twice"]


def test_cycle_is_reported_once_from_its_first_entry():
    text = bib("  relations = {改进:gamma2021three},\n", "  relations = {改进:alpha2019one},\n",
               "  relations = {基于:beta2020two},\n")
    (p,) = problems(text)
    assert p.key == "alpha2019one" and p.line == 14
    assert p.message == "relations form a cycle: alpha2019one → gamma2021three → beta2020two → alpha2019one"
    assert "delete the backwards one" in p.fix


def test_two_separate_cycles_are_two_problems():
    text = bib("  relations = {改进:beta2020two},\n", "  relations = {改进:alpha2019one},\n",
               "  relations = {改进:gamma2021three},\n")
    out = problems(text)
    assert sorted(p.message for p in out) == [
        "relation '改进:gamma2021three' names the entry itself",
        "relations form a cycle: alpha2019one → beta2020two → alpha2019one"]


def test_edges_and_back_links_keep_only_valid_relations():
    parsed = bibfile.parse_text(bib("", "  relations = {改进:alpha2019one; 改善:alpha2019one; 基于:nobody2020x},\n",
                                    "  relations = {基于:beta2020two; 对比:alpha2019one},\n"))
    papers = [Paper(e) for e in parsed.entries]
    assert notes.edges(papers) == [("beta2020two", "alpha2019one", "改进"), ("gamma2021three", "beta2020two", "基于"),
                                   ("gamma2021three", "alpha2019one", "对比")]
    assert notes.back_links(papers)["alpha2019one"] == [("改进", "beta2020two"), ("对比", "gamma2021three")]


@pytest.mark.parametrize("value, parsed, malformed", [
    ("改进:a; 基于:b", [("改进", "a"), ("基于", "b")], []),
    ("改进：a；基于:b;", [("改进", "a"), ("基于", "b")], []),
    ("a:b:c; 改进", [], ["a:b:c", "改进"]),
])
def test_parse_relations(value, parsed, malformed):
    found, bad = notes.parse_relations(value)
    assert [(r.verb, r.key) for r in found] == parsed and bad == malformed


def test_a_project_requires_summaries_in_its_pyproject(tmp_path):
    bib_path = tmp_path / "refs.bib"
    assert notes.summary_required(bib_path) is False  # no pyproject.toml: the library's default
    (tmp_path / "pyproject.toml").write_text("[tool.llmkb]\nrequire-summary = true\n", encoding="utf-8")
    assert notes.summary_required(bib_path) is True
    (tmp_path / "pyproject.toml").write_text("[tool.llmkb\n", encoding="utf-8")  # malformed: not fatal here
    assert notes.summary_required(bib_path) is False
    # this book opts in: every entry of its refs.bib has its note
    root = Path(__file__).resolve().parent.parent
    assert notes.summary_required(root / "refs.bib") is True


def test_shortname_names_a_paper_whose_title_does_not_start_with_its_name():
    """``shortname`` (3DGS, TRELLIS) is what relation links and lineage graphs show; without it the
    title's head, a short title, or the citation label; it never reaches an export."""
    from llmkb.bib.export_bibtex import format_entry

    text = bib("  shortname = {3DGS},\n", "  shortname = {Light-ColPali},\n")
    assert problems(text) == []
    a, b, c = (Paper(e) for e in bibfile.parse_text(text).entries)
    labels = {"gamma2021three": "Gamma 2021"}
    assert notes.short_name(a, labels) == "3DGS" and notes.short_name(b, labels) == "Light-ColPali"
    assert notes.short_name(c, labels) == "GAMMA2021THREE"  # a short title, whole
    assert "shortname" not in format_entry(a).lower() and "3DGS" not in format_entry(a)


@pytest.mark.parametrize("value, message", [
    ("{}", "empty shortname"),
    ("{A Very Long Name That Is A Title}", "32 characters, more than 24"),
])
def test_a_bad_shortname_names_line_and_fix(value, message):
    (p,) = problems(bib(f"  shortname = {value},\n"))
    assert (p.key, p.line) == ("alpha2019one", 14) and message in p.message and "3DGS" in p.fix
