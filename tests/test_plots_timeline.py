"""Tests for the milestone timeline figure (llmkb/plots/timeline.py)."""

from __future__ import annotations

import pathlib

import pytest

from llmkb.plots import timeline

PAPERS = [
    ("Transformer", "2017-06-12", "奠基理论"),
    ("GPT-4", "2023-03-15", "里程碑突破"),
    ("Mamba", "2023-12-01", "核心架构与方法"),
]


def test_layout_has_one_point_per_paper():
    points = timeline.layout(PAPERS)
    assert len(points) == 3
    assert sorted(label for _, _, label in points) == ["GPT-4", "Mamba", "Transformer"]


def test_layout_places_dates_and_rows():
    points = {label: (x, y) for x, y, label in timeline.layout(PAPERS)}
    assert points["Transformer"][0] == pytest.approx(2017 + 162 / 365)
    assert points["GPT-4"][0] == pytest.approx(2023 + 73 / 365)
    # one row per group, the first group of GROUP_ORDER on top
    ys = [points[k][1] for k in ("Transformer", "GPT-4", "Mamba")]
    assert ys[0] > ys[1] > ys[2]


def test_a_date_without_its_day_stands_in_the_middle_of_its_month_or_year():
    # refs.bib gives only the month or year when no record shows the day
    assert timeline.decimal_year("2024-07") == pytest.approx(2024 + (182 + 15) / 366)
    assert timeline.decimal_year("2025") == pytest.approx(2025 + 182 / 365)
    with pytest.raises(ValueError):
        timeline.decimal_year("2024-7")


def test_layout_does_not_depend_on_input_order():
    assert timeline.layout(PAPERS) == timeline.layout(list(reversed(PAPERS)))


def test_close_labels_are_staggered():
    crowded = [
        ("Transformer", "2017-06-12", "奠基理论"),
        ("LLaMA", "2023-02-27", "里程碑突破"),
        ("GPT-4", "2023-03-15", "里程碑突破"),
        ("PPO", "2017-07-20", "里程碑突破"),
    ]
    levels = timeline.label_levels(crowded)
    assert levels[1] != levels[2]  # two weeks apart: labels would overlap
    assert levels[3] == 1  # six years away from the others: first level is free
    assert levels[0] == 1


def test_unknown_group_gets_its_own_row_after_known_ones():
    papers = PAPERS + [("X", "2020-01-01", "其他")]
    assert timeline.group_order(papers)[-1] == "其他"
    assert len({y for _, y, _ in timeline.layout(papers)}) == 4


@pytest.mark.filterwarnings("ignore:Glyph .* missing from font")
def test_svg_is_deterministic(tmp_path: pathlib.Path):
    first, second = tmp_path / "a" / "t.svg", tmp_path / "b" / "t.svg"
    timeline.milestone_timeline(PAPERS, first, None)
    timeline.milestone_timeline(list(reversed(PAPERS)), second, None)
    data = first.read_bytes()
    assert data.startswith(b"<?xml")
    assert b"<svg" in data
    assert data == second.read_bytes()


def test_empty_input_is_an_error(tmp_path: pathlib.Path):
    with pytest.raises(ValueError):
        timeline.milestone_timeline([], tmp_path / "t.svg", None)


def test_a_large_group_keeps_its_most_related_papers(monkeypatch):
    """timeline_points: every milestone paper while each group is within TIMELINE_PER_GROUP,
    else the group's most related papers (a grown library stacked thousands of labels)."""
    from llmkb import plots
    from llmkb.bib import file as bibfile
    from llmkb.bib.papers import Paper

    def entry(i: int, relations: str = "") -> str:
        return (f"@article{{p{i:03d},\n  title = {{P{i}}},\n  author = {{A, B}},\n  journal = {{arXiv}},\n"
                f"  year = {{2020}},\n  date = {{2020-01-{i % 28 + 1:02d}}},\n  keywords = {{milestones}},\n"
                f"  tags = {{foundation}},\n{relations}}}\n")
    text = "".join(entry(i, "  relations = {基于:p000},\n" if i in (5, 6) else "") for i in range(8))
    papers = [Paper(e) for e in bibfile.parse_text(text).entries]
    labels = {p.key: p.key for p in papers}
    assert [p[0] for p in plots.timeline_points(papers, labels)] == [f"P{i}" for i in range(8)]
    monkeypatch.setattr(plots, "TIMELINE_PER_GROUP", 3)
    assert [p[0] for p in plots.timeline_points(papers, labels)] == ["P0", "P5", "P6"]  # the hub, its followers
