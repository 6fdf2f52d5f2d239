"""Worked numbers of docs/multimodal/multimodal-reasoning.md, recomputed from their sources.

The soft-drink-can problem (height 13 cm, radius 3 cm, answer rounded down) is the sample of
MathVerse's official output template (github.com/ZrrSkywalker/MathVerse,
output_templates/output_testmini.json). MathVista's split sizes and testmini scores are its
official README; its 6,141 examples, 49.9, 15.1 and 10.4 its abstract (lu2023mathvista). MathVerse's
2,612 problems in six versions are its abstract (zhang2024mathverse). 91.68 and 75.17 are the
first abstract of Multimodal-CoT (zhang2023multimodal). The reward weights 0.8, 0.2 and 1.2 and
the commented-out 0.4 are verl/utils/reward_score/vl_agent.py of DeepEyes at commit 6c5e796
(zheng2025deepeyes); the four trajectories are the page's own illustration.
"""

from __future__ import annotations

import math

from worked.pages import fmt_int, page_shows

MR = "multimodal/multimodal-reasoning.md"


def test_the_straw_in_the_can():
    height, radius = 13, 3
    diameter = 2 * radius
    squared = height**2 + diameter**2
    length = math.sqrt(squared)
    assert (diameter, height**2, diameter**2, squared) == (6, 169, 36, 205)
    assert f"{length:.1f}" == "14.3" and math.floor(length) == 14
    page_shows(MR, "2 × 3 = 6 cm", r"L = \sqrt{13^2 + 6^2} = \sqrt{169 + 36} = \sqrt{205} \approx 14.3",
               "向下取整得 14 cm", "也能算出 14")


def test_mathvista_splits_and_gaps():
    testmini, test = 1000, 5141
    assert testmini + test == 6141
    page_shows(MR, "1,000 + 5,141 = 6,141", f"汇集了 {fmt_int(6141)} 道题", "1,000 道", "5,141 道")
    human, gpt4v, bard = 60.3, 49.9, 34.8
    assert f"{human - gpt4v:.1f}" == "10.4" and f"{gpt4v - bard:.1f}" == "15.1"
    page_shows(MR, "60.3 − 49.9 = 10.4", "49.9 − 34.8 = 15.1", "高 15.1 个百分点", "低 10.4 个百分点")


def test_mathverse_sample_count():
    problems, versions = 2612, 6
    assert problems * versions == 15672
    page_shows(MR, "2,612 × 6 = 15,672")


def test_multimodal_cot_gap():
    gap = 91.68 - 75.17
    assert f"{gap:.2f}" == "16.51"
    page_shows(MR, "91.68 − 75.17 = 16.51 个百分点")


# DeepEyes: reward = 0.8 acc + 0.2 fmt + 1.2 tool, tool = 1 only when a tool was called AND acc = 1.
W_ACC, W_FMT, W_TOOL, W_TOOL_ANY = 0.8, 0.2, 1.2, 0.4
# (called the zoom tool, answered correctly, format error) for o1..o4
TRAJ = [(True, True, False), (False, True, False), (True, False, False), (False, False, True)]


def reward(called: bool, correct: bool, fmt_error: bool) -> float:
    acc = 1.0 if correct else 0.0
    fmt = -1.0 if fmt_error else 0.0
    tool = 1.0 if called and acc > 0.5 else 0.0
    return W_ACC * acc + W_FMT * fmt + W_TOOL * tool


def reward_any_call(called: bool, correct: bool, fmt_error: bool) -> float:
    acc = 1.0 if correct else 0.0
    fmt = -1.0 if fmt_error else 0.0
    return W_ACC * acc + W_FMT * fmt + W_TOOL_ANY * (1.0 if called else 0.0)


def test_conditional_tool_reward():
    r = [round(reward(*t), 10) for t in TRAJ]
    assert r == [2.0, 0.8, 0.0, -0.2]
    page_shows(MR, "| $o_1$ | 是 | 是 | 正确 | 0.8 + 0 + 1.2 = 2.0 |",
               "| $o_2$ | 否 | 是 | 正确 | 0.8 + 0 + 0 = 0.8 |",
               "| $o_3$ | 是 | 否 | 正确 | 0 + 0 + 0 = 0 |",
               "| $o_4$ | 否 | 否 | 出错 | 0 − 0.2 + 0 = −0.2 |")
    assert math.isclose(r[0] / r[1], 2.5)
    page_shows(MR, "2.0 ÷ 0.8 = 2.5 倍", "多得 1.2")
    mean = sum(r) / len(r)
    assert math.isclose(sum(r), 2.6) and math.isclose(mean, 0.65)
    page_shows(MR, "(2.0 + 0.8 + 0 − 0.2) ÷ 4 = 2.6 ÷ 4 = 0.65")
    centred = [round(x - mean, 10) for x in r]
    assert centred == [1.35, 0.15, -0.65, -0.85] and math.isclose(sum(centred), 0, abs_tol=1e-12)
    page_shows(MR, "2.0 − 0.65 = 1.35", "$o_2$ 为 0.8 − 0.65 = 0.15", "$o_3$ 为 0 − 0.65 = −0.65",
               "$o_4$ 为 −0.2 − 0.65 = −0.85", "四个数之和为 1.35 + 0.15 − 0.65 − 0.85 = 0")


def test_unconditional_tool_reward():
    r = [round(reward_any_call(*t), 10) for t in TRAJ]
    assert r == [1.2, 0.8, 0.4, -0.2]
    page_shows(MR, "$o_1$：0.8 + 0.4 = 1.2", "$o_2$：0.8", "$o_3$：0 + 0.4 = 0.4", "$o_4$：−0.2")
    assert math.isclose(r[2], r[1] / 2)
    mean = sum(r) / len(r)
    assert math.isclose(mean, 0.55)
    page_shows(MR, "(1.2 + 0.8 + 0.4 − 0.2) ÷ 4 = 0.55")
    centred_o3 = r[2] - mean
    conditional_o3 = reward(*TRAJ[2]) - sum(reward(*t) for t in TRAJ) / 4
    assert f"{centred_o3:.2f}" == "-0.15" and math.isclose(centred_o3 - conditional_o3, 0.5)
    page_shows(MR, "0.4 − 0.55 = −0.15", "比 $R$ 下的 −0.65 高出 −0.15 − (−0.65) = 0.5")
    page_shows(MR, "R' = 0.8 \\cdot r_{\\text{acc}} + 0.2 \\cdot r_{\\text{fmt}} + 0.4 \\cdot t")
    page_shows(MR, "0.8 \\cdot r_{\\text{acc}} + 0.2 \\cdot r_{\\text{fmt}} + 1.2 \\cdot r_{\\text{tool}}",
               "只要调用了工具就给 0.4", "达到 1,000 个字符")
    # compute_score serves the data sources vstar, vl_agent and chart only; the math source
    # thinklite_eureka goes to compute_score_math (math_verify first, judge as fallback, no tool term).
    page_shows(MR, "给细节感知题和图表题用的奖励函数", "数学推理题用的那个函数不含工具奖励",
               "先用规则比对答案，比对不上再请评审判一次")


def test_mathvista_per_type_gaps():
    # testmini leaderboard rows of the official README: (human, GPT-4V (Playground))
    rows = {"图表问答（FQA）": (59.7, 43.1), "几何解题（GPS）": (48.4, 50.5),
            "数学应用题（MWP）": (73.0, 57.5), "教科书问答（TQA）": (63.2, 65.2),
            "视觉问答（VQA）": (55.9, 38.0)}
    for name, (human, gpt) in rows.items():
        d = gpt - human
        sign = "+" if d > 0 else "−"
        page_shows(MR, f"| {name} | {human:.1f} | {gpt:.1f} | {sign}{abs(d):.1f} |")
    ahead = {n for n, (h, g) in rows.items() if g > h}
    assert ahead == {"几何解题（GPS）", "教科书问答（TQA）"}
    assert all(h - g > 10 for n, (h, g) in rows.items() if n in {"图表问答（FQA）", "视觉问答（VQA）"})
    num, log = (53.8, 20.1), (40.7, 21.6)
    assert f"{num[0] - num[1]:.1f}" == "33.7" and num[0] - num[1] > log[0] - log[1]
    assert f"{log[0] - log[1]:.1f}" == "19.1"
    page_shows(MR, "数值常识（人类 53.8，GPT-4V 20.1）", "逻辑推理（人类 40.7，GPT-4V 21.6）",
               "前者差 53.8 − 20.1 = 33.7 个百分点", "后者差 40.7 − 21.6 = 19.1 个百分点")


def test_the_two_largest_reasoning_type_gaps_are_num_and_log():
    # README testmini rows, reasoning types ALG ARI GEO LOG NUM SCI STA: (human, GPT-4V)
    types = {"ALG": (50.9, 53.0), "ARI": (59.2, 49.0), "GEO": (51.4, 51.0), "LOG": (40.7, 21.6),
             "NUM": (53.8, 20.1), "SCI": (64.9, 63.1), "STA": (63.9, 55.8)}
    gaps = sorted(types, key=lambda t: types[t][0] - types[t][1], reverse=True)
    assert gaps[:2] == ["NUM", "LOG"]


def test_sharif_gains_are_percentage_points():
    # v1 abstract (arxiv.org/html/2601.00215v1): gains of 26.7% (Claude 3.5) and 23.6% (Claude 3.7),
    # Qwen-2.5-VL-7B 5.56% over the base. The revised abstract (arxiv.org/html/2601.00215) writes the
    # same 5.56 as a "5.56-point gain" and the Claude gains as "over 20 points on average", so the
    # authors' percentages are percentage points: the mean of the two Claude gains is above 20.
    claude35, claude37 = 26.7, 23.6
    mean = (claude35 + claude37) / 2
    assert math.isclose(mean, 25.15) and mean > 20
    page_shows(MR, "分别提高 26.7 和 23.6 个百分点", "平均提高 20 多个百分点", "比基座提高 5.56 个百分点")


def test_mathverse_text_only_gain_is_in_points():
    # CoT-E scores, Text Dominant vs Text Only, and the 'w/o' (final answer only) scores of the
    # first leaderboard (github.com/mathverse-cuhk/mathverse-cuhk.github.io, index.html at f9d50f9)
    cot_e = {"Qwen-VL-Max": (42.8, 47.9), "InternLM-XComposer2": (36.9, 42.5)}
    gains = {m: round(to - td, 1) for m, (td, to) in cot_e.items()}
    assert gains == {"Qwen-VL-Max": 5.1, "InternLM-XComposer2": 5.6}
    assert all(g > 5 for g in gains.values())
    assert round(5.1 / 42.8 * 100) == 12 and round(5.6 / 36.9 * 100) == 15
    page_shows(MR, "高 47.9 − 42.8 = 5.1 个百分点", "高 42.5 − 36.9 = 5.6 个百分点",
               "5.1 ÷ 42.8 ≈ 12% 和 5.6 ÷ 36.9 ≈ 15%")
    wo = {"Qwen-VL-Max": (30.3, 32.2), "InternLM-XComposer2": (20.2, 24.5)}
    assert [round(to - td, 1) for td, to in wo.values()] == [1.9, 4.3]
    page_shows(MR, "32.2 − 30.3 = 1.9 和 24.5 − 20.2 = 4.3 个百分点")
