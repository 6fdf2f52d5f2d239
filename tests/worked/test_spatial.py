"""Worked numbers of docs/multimodal/spatial.md, recomputed from their formulas.

The pinhole back-projection uses illustrative camera parameters (the page says so).
Mean Relative Accuracy follows VSI-Bench (Yang et al. 2024): ten thresholds
theta in {0.50, 0.55, ..., 0.95}, a hit when |pred - true| / true < 1 - theta; the
official code (vision-x-nyu/thinking-in-space, lmms_eval/tasks/vsibench/utils.py)
counts a hit with <=, which differs only when the error sits on a threshold, so the
page's examples avoid that case and this test checks it.
"""

from __future__ import annotations

import math

from worked.pages import page_shows

SPATIAL = "multimodal/spatial.md"

FX = FY = 600.0
CX, CY = 320.0, 240.0
THETAS = [0.50 + 0.05 * i for i in range(10)]


def back_project(u: float, v: float, z: float) -> tuple[float, float, float]:
    return ((u - CX) * z / FX, (v - CY) * z / FY, z)


def dist(a, b) -> float:
    return math.dist(a, b)


def mra(pred: float, true: float, strict: bool = True) -> float:
    err = abs(pred - true) / true
    hits = [(err < 1 - t) if strict else (err <= 1 - t + 1e-12) for t in THETAS]
    return sum(hits) / len(THETAS)


def test_back_projection_and_distance():
    cup = back_project(200, 300, 2.0)
    vase = back_project(500, 260, 3.0)
    assert [round(c, 6) for c in cup] == [-0.4, 0.2, 2.0]
    assert [round(c, 6) for c in vase] == [0.9, 0.1, 3.0]
    d = dist(cup, vase)
    assert round(d * d, 6) == 2.70
    assert f"{d:.2f}" == "1.64"
    page_shows(SPATIAL, "(−0.4, 0.2, 2.0)", "(0.9, 0.1, 3.0)", "(1.3, −0.1, 1.0)",
               r"\sqrt{2.70} \approx 1.64", "500 − 200 = 300 个像素")
    assert 500 - 200 == 300
    # the page squares each component before summing
    assert (round(1.3**2, 6), round(0.1**2, 6), round(1.0**2, 6)) == (1.69, 0.01, 1.00)
    page_shows(SPATIAL, "1.3² = 1.69，(−0.1)² = 0.01，1.0² = 1.00；相加得 2.70")
    # forward projection takes the cup back to its pixel column
    u = FX * cup[0] / cup[2] + CX
    assert round(u, 6) == 200
    page_shows(SPATIAL, r"u = 600 \times (-0.4) / 2.0 + 320 = 200", "c_y = 240$（分别是 640 和 480 的一半）")
    assert (640 / 2, 480 / 2) == (CX, CY)


def test_depth_error_propagates():
    cup = back_project(200, 300, 2.0)
    vase = back_project(500, 260, 3.3)
    assert [round(c, 6) for c in vase] == [0.99, 0.11, 3.3]
    d0 = dist(cup, back_project(500, 260, 3.0))
    d1 = dist(cup, vase)
    assert round(d1 * d1, 4) == 3.6302
    assert f"{d1:.2f}" == "1.91"
    rel = (d1 - d0) / d0
    assert round(rel * 100) == 16
    assert round((3.3 - 3.0) / 3.0, 6) == 0.1
    assert round(1.39**2, 6) == 1.9321 and round(0.09**2, 6) == 0.0081 and round(1.3**2, 6) == 1.69
    # the page works the error from the rounded distances; both ways give 0.16
    assert round((1.91 - 1.64) / 1.64, 2) == 0.16 and round(rel, 2) == 0.16
    page_shows(SPATIAL, "(0.99, 0.11, 3.3)", "(1.39, −0.09, 1.3)",
               r"X = (500 - 320) \times 3.3 / 600 = 0.99", r"Y = (260 - 240) \times 3.3 / 600 = 0.11",
               "(3.3 − 3.0) ÷ 3.0 = 10%", "1.39² = 1.9321，(−0.09)² = 0.0081，1.3² = 1.69；相加得 3.6302",
               r"\sqrt{3.6302} \approx 1.91", "(1.91 − 1.64) ÷ 1.64 ≈ 0.16", "约 16%")
    # the MRA of that estimate, as the page's last step says
    assert mra(d1, d0) == 0.7
    page_shows(SPATIAL, "相对误差约 0.16", "7 个上限，MRA = 0.7")


def test_mean_relative_accuracy_examples():
    true = 2.5
    cases = {2.6: (0.04, 1.0), 3.05: (0.22, 0.6), 1.8: (0.28, 0.5), 4.0: (0.6, 0.0)}
    for pred, (err, score) in cases.items():
        assert round(abs(pred - true) / true, 6) == err
        assert mra(pred, true) == score
        # no example sits on a threshold, so the code's <= gives the same score
        assert mra(pred, true, strict=False) == score
    mean = sum(s for _, s in cases.values()) / len(cases)
    assert mean == 0.525
    diffs = {"2.6 − 2.5 = 0.1": 2.6 - 2.5, "3.05 − 2.5 = 0.55": 3.05 - 2.5,
             "2.5 − 1.8 = 0.7": 2.5 - 1.8, "4.0 − 2.5 = 1.5": 4.0 - 2.5}
    assert [round(d, 6) for d in diffs.values()] == [0.1, 0.55, 0.7, 1.5]
    page_shows(SPATIAL, *(f"差 {shown}" for shown in diffs))
    page_shows(SPATIAL, "0.1 ÷ 2.5 = 0.04", "MRA = 10 ÷ 10 = 1.0", "0.55 ÷ 2.5 = 0.22",
               "MRA = 6 ÷ 10 = 0.6", "0.7 ÷ 2.5 = 0.28", "MRA = 0.5", "1.5 ÷ 2.5 = 0.6",
               "(1.0 + 0.6 + 0.5 + 0) ÷ 4 = 0.525")


def test_thresholds_listed():
    limits = ", ".join(f"{1 - t:.2f}" for t in THETAS).replace(", ", "、")
    assert limits == "0.50、0.45、0.40、0.35、0.30、0.25、0.20、0.15、0.10、0.05"
    page_shows(SPATIAL, limits, r"C = \{0.50, 0.55, \ldots, 0.95\}")


def test_vsgrpo_gain_is_in_points():
    # VSI-Bench averages from the results table of github.com/zhijie-group/R1-Zero-VSI
    base_2b, vsgrpo_2b, gpt4o = 23.3, 35.4, 34.0
    vsgrpo_7b, lnv_72b = 40.7, 40.9
    assert round(vsgrpo_2b - base_2b, 1) == 12.1
    assert vsgrpo_2b > gpt4o
    assert abs(vsgrpo_7b - lnv_72b) < 0.5
    # read as a relative gain, 12.1 % would be far from the table's ~52 %
    assert round((vsgrpo_2b - base_2b) / base_2b * 100) == 52
    page_shows(SPATIAL, "从 23.3 升到 35.4", "35.4 − 23.3 = 12.1 个百分点", "GPT-4o 的 34.0",
               "得 40.7", "LLaVA-NeXT-Video-72B 的 40.9", "12.1 ÷ 23.3 ≈ 52%")


def test_relative_error_depends_on_true_value():
    assert 0.5 / 1 == 0.5 and round(0.5 / 10, 6) == 0.05
    page_shows(SPATIAL, "0.5 ÷ 1 = 50%", "0.5 ÷ 10 = 5%")


def test_depth_is_not_straight_line_distance():
    cup = back_project(200, 300, 2.0)
    r2 = sum(c * c for c in cup)
    assert round(cup[0] ** 2, 6) == 0.16 and round(cup[1] ** 2, 6) == 0.04
    assert round(r2, 6) == 4.20
    assert f"{math.sqrt(r2):.2f}" == "2.05"
    page_shows(SPATIAL, "(−0.4)² = 0.16，0.2² = 0.04，2.0² = 4.00",
               r"\sqrt{0.16 + 0.04 + 4.00} = \sqrt{4.20} \approx 2.05", "c_x = 320",
               "不是点到相机的直线距离")


def test_human_level_quoted():
    # VSI-Bench (tiny) human level, eval-bench.png of github.com/vision-x-nyu/thinking-in-space
    page_shows(SPATIAL, "相对方向题答对 95.8%", "只得 47.0 分（满分 100）")


def test_3dllm_bleu1_gain_is_in_points():
    # ScanQA, 3D-LLM arXiv preprint: Table 1 (validation) and Table 2 (test),
    # ScanQA model vs 3D-LLM (BLIP2-flant5); BLEU-1 and EM on a 0-100 scale
    val_scanqa, val_3dllm = 30.2, 39.3
    test_scanqa, test_3dllm = 31.6, 38.3
    em_val_scanqa, em_val_3dllm = 21.0, 20.5
    em_test_scanqa, em_test_3dllm = 23.5, 19.1
    gain = val_3dllm - val_scanqa
    assert round(gain, 1) == 9.1
    # the abstract's "9%" is this difference; as a relative gain it would be about 30 %
    assert round(gain / val_scanqa * 100) == 30
    assert round(test_3dllm - test_scanqa, 1) == 6.7
    # exact match is not improved on either split
    assert em_val_3dllm < em_val_scanqa and em_test_3dllm < em_test_scanqa
    page_shows(SPATIAL, "39.3 − 30.2 = 9.1 分", "9.1 ÷ 30.2 ≈ 30%", "38.3 − 31.6 = 6.7 分",
               "验证集上是 20.5，反而略低于 ScanQA 模型的 21.0", "19.1 对 23.5")


def test_spatialab_gap_to_humans():
    # SpatiaLab abstract (arXiv 2602.03916): best model vs humans, multiple choice and open-ended
    mc_model, mc_human = 54.93, 87.57
    open_model, open_human = 40.93, 64.93
    mc_gap = mc_human - mc_model
    open_gap = open_human - open_model
    assert round(mc_gap, 2) == 32.64 and round(open_gap, 2) == 24.00
    # the open-ended gap is smaller in points, not larger
    assert open_gap < mc_gap
    page_shows(SPATIAL, "87.57 − 54.93 = 32.64 个百分点", "64.93 − 40.93 = 24.00 个百分点",
               "并不说明差距变大了")


# Overall accuracy (%) on SpatiaLab, multiple choice and open-ended, for every model in both
# tables (README of the official repository github.com/SpatiaLab-Reasoning/SpatiaLab, commit
# 0b27adf, "transcribed from the paper"); Qwen2.5-VL-32B has no open-ended row, GLM-4.5V no
# multiple-choice row. The README writes Qwen-VL2.5-... for Qwen2.5-VL-... and the Llama rows
# end in -Instruct; the names here are the page's.
SPATIALAB = {
    "GPT-4o-mini": (46.50, 26.00), "GPT-5-mini": (54.29, 40.93),
    "Gemini-2.0-Flash": (52.50, 27.43), "Gemini-2.5-Flash": (48.29, 30.93),
    "Claude 3.5 Haiku": (42.93, 22.64), "Mistral Medium 3.1": (47.93, 21.00),
    "InternVL3.5-1B": (31.64, 9.64), "InternVL3.5-2B": (33.71, 14.50),
    "Qwen2.5-VL-3B-Instruct": (41.43, 12.93), "InternVL3.5-4B": (43.29, 18.00),
    "Gemma-3-4B-it": (40.57, 17.64), "Qwen2.5-VL-7B-Instruct": (41.00, 18.86),
    "Llama-3.2-11B-Vision": (30.50, 18.57), "Gemma-3-27B-it": (46.57, 23.43),
    "InternVL3.5-72B": (54.93, 23.36), "Qwen2.5-VL-72B-Instruct": (48.86, 24.64),
    "Llama-3.2-90B-Vision": (50.36, 24.00), "o4-mini-medium": (53.21, 37.86),
    "Gemini-2-Flash-Thinking": (43.36, 30.36), "Gemini-2.5-Flash-Thinking": (52.93, 32.77),
    "SpaceOm": (41.36, 12.93), "SpaceThinker-Qwen2.5VL-3B": (40.64, 13.36),
    "SpaceQwen2.5-VL-3B-Instruct": (40.14, 10.36),
}
SPATIALAB_HUMAN = (87.57, 64.93)
SPATIALAB_OPEN_ONLY_BEST_RIVAL = 25.21  # GLM-4.5V-106B-MoE, open-ended only


def test_spatialab_open_ended_drops():
    drops = {m: round(mc - op, 2) for m, (mc, op) in SPATIALAB.items()}
    assert all(d > 0 for d in drops.values())
    least = min(drops, key=drops.get)
    most = max(drops, key=drops.get)
    assert (least, drops[least]) == ("Llama-3.2-11B-Vision", 11.93)
    assert (most, drops[most]) == ("InternVL3.5-72B", 31.57)
    # the model with the largest drop is the multiple-choice leader
    best_mc = max(SPATIALAB, key=lambda m: SPATIALAB[m][0])
    assert best_mc == "InternVL3.5-72B" and SPATIALAB[best_mc][0] == 54.93
    best_open = max(SPATIALAB, key=lambda m: SPATIALAB[m][1])
    assert best_open == "GPT-5-mini" and SPATIALAB[best_open][1] == 40.93
    assert SPATIALAB[best_open][1] > SPATIALAB_OPEN_ONLY_BEST_RIVAL
    # both ends lie outside the abstract's "about 10-25%" once read as points,
    # and the relative drops (about 25% to 74%) are larger still
    assert drops[most] > 25
    rel = {m: (mc - op) / mc * 100 for m, (mc, op) in SPATIALAB.items()}
    assert round(min(rel.values())) == 25 and round(max(rel.values())) == 74
    mc, op = SPATIALAB["Llama-3.2-11B-Vision"]
    page_shows(SPATIAL, f"从 {mc:.2f}% 降到 {op:.2f}%", f"{mc:.2f} − {op:.2f} = {drops[least]:.2f} 个百分点")
    mc, op = SPATIALAB["InternVL3.5-72B"]
    page_shows(SPATIAL, f"从 {mc:.2f}% 降到 {op:.2f}%", f"{mc:.2f} − {op:.2f} = {drops[most]:.2f} 个百分点",
               "下降最多的恰是选择题第一的 InternVL3.5-72B", "摘要说降幅约为 10%–25%")
    human_open = SPATIALAB_HUMAN[1]
    page_shows(SPATIAL, f"GPT-5-mini，只有 {SPATIALAB['GPT-5-mini'][1]:.2f}%，人类为 {human_open:.2f}%")


def test_spatialab_specialists_not_ahead():
    specialists = ["SpaceOm", "SpaceThinker-Qwen2.5VL-3B", "SpaceQwen2.5-VL-3B-Instruct"]
    general_3b = SPATIALAB["Qwen2.5-VL-3B-Instruct"][0]
    scores = [SPATIALAB[m][0] for m in specialists]
    assert all(s < general_3b for s in scores)
    page_shows(SPATIAL, "选择题分别得 " + "、".join(f"{s:.2f}%" for s in scores[:2])
               + f" 和 {scores[2]:.2f}%", f"Qwen2.5-VL-3B-Instruct 的 {general_3b:.2f}%")
