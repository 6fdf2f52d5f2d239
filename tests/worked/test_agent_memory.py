"""Worked numbers of docs/knowledge/agent-memory.md, recomputed from the memory-stream score.

Generative Agents (Park et al. 2023, section 4.1): recency decays exponentially over sandbox
game hours since the memory was last retrieved with decay factor 0.995; importance is an
integer from 1 to 10; relevance is a cosine similarity; each is min-max normalised over the
memories being ranked and the three weights are all 1. The four memories and their raw
values are the page's own example. Each test asserts the page shows what it computed.
"""

from __future__ import annotations

import math

from worked.pages import page_shows

PAGE = "knowledge/agent-memory.md"
DECAY = 0.995

# name -> (game hours since last retrieval, importance 1-10, cosine similarity to the query)
MEMORIES = {"A": (1, 2, 0.20), "B": (30, 7, 0.62), "C": (6, 4, 0.71), "D": (200, 8, 0.15)}


def minmax(values: dict[str, float]) -> dict[str, float]:
    lo, hi = min(values.values()), max(values.values())
    return {k: (v - lo) / (hi - lo) for k, v in values.items()}


def raw_recency() -> dict[str, float]:
    return {k: DECAY ** h for k, (h, _, _) in MEMORIES.items()}


def normalised() -> tuple[dict[str, float], dict[str, float], dict[str, float]]:
    rec = minmax(raw_recency())
    imp = minmax({k: float(i) for k, (_, i, _) in MEMORIES.items()})
    rel = minmax({k: c for k, (_, _, c) in MEMORIES.items()})
    return rec, imp, rel


def scores() -> dict[str, float]:
    rec, imp, rel = normalised()
    return {k: rec[k] + imp[k] + rel[k] for k in MEMORIES}


def cell(x: float) -> str:
    """The table prints exact 0 and 1 bare, other values to three decimals."""
    return str(int(x)) if x in (0.0, 1.0) else f"{x:.3f}"


def test_the_raw_table():
    page_shows(PAGE, "| A | 今早在咖啡馆吃了早餐 | 1 | 2 | 0.20 |",
               "| B | 答应朋友周五帮忙布置聚会 | 30 | 7 | 0.62 |",
               "| C | 朋友说聚会还缺气球和彩灯 | 6 | 4 | 0.71 |",
               "| D | 上个月和房东大吵一架 | 200 | 8 | 0.15 |")


def test_raw_recency():
    r = raw_recency()
    assert f"{r['A']:.3f}" == "0.995" and f"{r['B']:.3f}" == "0.860"
    assert f"{r['C']:.3f}" == "0.970" and f"{r['D']:.3f}" == "0.367"
    page_shows(PAGE, r"$0.995^{1} = 0.995$", r"$0.995^{30} \approx 0.860$",
               r"$0.995^{6} \approx 0.970$", r"$0.995^{200} \approx 0.367$")


def test_normalisation_steps():
    rec, imp, rel = normalised()
    assert f"{rec['B']:.3f}" == "0.786" and f"{rec['C']:.3f}" == "0.961"
    page_shows(PAGE, r"$(0.860 - 0.367) / (0.995 - 0.367) \approx 0.786$", "C 是 0.961，A 是 1，D 是 0")
    assert f"{imp['B']:.3f}" == "0.833" and f"{imp['C']:.3f}" == "0.333"
    page_shows(PAGE, r"$(7 - 2) / 6 \approx 0.833$", r"$2/6 \approx 0.333$")
    assert math.isclose(rel["A"], 0.05 / 0.56) and math.isclose(rel["B"], 0.47 / 0.56)
    assert f"{rel['A']:.3f}" == "0.089" and f"{rel['B']:.3f}" == "0.839"
    page_shows(PAGE, r"$0.05 / 0.56 \approx 0.089$", r"$0.47 / 0.56 \approx 0.839$")


def test_score_table_and_ranking():
    rec, imp, rel = normalised()
    s = scores()
    for k in MEMORIES:
        total = f"{s[k]:.3f}"
        page_shows(PAGE, f"| {k} | {cell(rec[k])} | {cell(imp[k])} | {cell(rel[k])} | {total} |")
    ranking = sorted(s, key=s.get, reverse=True)
    assert ranking == ["B", "C", "A", "D"]
    page_shows(PAGE, "排名是 B、C、A、D", "取回的是 B 和 C")


def test_dropping_d_moves_the_minimum_to_b():
    r = raw_recency()
    assert min(v for k, v in r.items() if k != "D") == r["B"]
    page_shows(PAGE, "新近度的最小值就变成 B 的 0.860")


def test_half_life_and_decay_after_a_day_and_a_week():
    half = math.log(0.5) / math.log(DECAY)
    assert f"{half:.1f}" == "138.3" and f"{half / 24:.1f}" == "5.8"
    assert f"{DECAY ** 24:.3f}" == "0.887" and f"{DECAY ** 168:.3f}" == "0.431"
    page_shows(PAGE, r"\ln 0.5 / \ln 0.995 \approx 138.3", "约 5.8 天",
               r"$0.995^{24} \approx 0.887$", r"$0.995^{168} \approx 0.431$")


def test_the_spreads_named_in_the_text():
    assert math.isclose(0.71 - 0.15, 0.56)
    page_shows(PAGE, "余弦相似度在这里只差 0.56", "原始新近度在 0.367 到 0.995 之间")
