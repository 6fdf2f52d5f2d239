"""Worked numbers of docs/efficiency/model-merging.md, recomputed from their formulas.

TIES-Merging (Yadav et al. 2023; official code prateeky2806/ties-merging, merge_utils.py):
keep each task vector's largest-magnitude entries, elect each position's sign as the sign of
the summed trimmed values ('mass'), average only the non-zero entries that agree with it
('dis-mean'). The page keeps 2 of 5 entries for a readable example. DARE (Yu et al. 2024):
drop each delta with probability p, rescale the survivors by 1/(1-p). Each test asserts the
page shows what it computed.
"""

from __future__ import annotations

import math

from worked.pages import fmt_int, page_shows

PAGE = "efficiency/model-merging.md"

TAUS = [
    (0.6, 0.4, 0.1, -0.2, 0.0),
    (0.3, 0.5, -0.1, 0.2, -0.1),
    (-1.2, 0.2, 0.0, 0.1, 0.7),
]
KEEP = 2  # entries kept per task vector (2 of 5 = 40%)


def vec(values) -> str:
    """A vector as the page writes it: (a,\\ b, ...), minus signs as the page types them."""
    return "(" + r",\ ".join(f"{v:.1f}" for v in values) + ")"


def trim(tau):
    keep = sorted(range(len(tau)), key=lambda i: -abs(tau[i]))[:KEEP]
    return tuple(tau[i] if i in keep else 0.0 for i in range(len(tau)))


def ties(taus):
    trimmed = [trim(t) for t in taus]
    sums = [sum(col) for col in zip(*trimmed)]
    signs = [0 if abs(s) < 1e-12 else (1 if s > 0 else -1) for s in sums]
    merged = []
    for sign, col in zip(signs, zip(*trimmed)):
        agree = [x for x in col if x != 0 and sign != 0 and (x > 0) == (sign > 0)]
        merged.append(sum(agree) / len(agree) if agree else 0.0)
    return trimmed, sums, signs, merged


def test_the_task_vectors_and_the_trim():
    for i, tau in enumerate(TAUS, 1):
        page_shows(PAGE, rf"\tau_{i} = {vec(tau)}")
    assert KEEP / len(TAUS[0]) == 0.4
    page_shows(PAGE, "保留 5 个分量中绝对值最大的 2 个（40%）")
    trimmed = [trim(t) for t in TAUS]
    assert trimmed == [(0.6, 0.4, 0, 0, 0), (0.3, 0.5, 0, 0, 0), (-1.2, 0, 0, 0, 0.7)]
    for i, t in enumerate(trimmed, 1):
        page_shows(PAGE, rf"\hat\tau_{i} = " + "(" + r",\ ".join("0" if v == 0 else f"{v:.1f}" for v in t) + ")")


def test_sign_election_by_mass():
    trimmed, sums, signs, _ = ties(TAUS)
    first = [t[0] for t in trimmed]
    pos, neg = sum(x for x in first if x > 0), -sum(x for x in first if x < 0)
    assert math.isclose(sums[0], -0.3) and math.isclose(pos, 0.9) and math.isclose(neg, 1.2)
    assert sum(1 for x in first if x > 0) == 2 and signs[0] == -1  # outvoted by count, wins by mass
    page_shows(PAGE, "0.6 + 0.3 − 1.2 = −0.3。正值共 0.9，负值共 1.2，选负号",
               "0.4 + 0.5 = 0.9，选正号")
    assert math.isclose(sums[1], 0.9) and sums[2] == sums[3] == 0 and signs[4] == 1


def test_disjoint_mean_and_plain_average():
    _, _, _, merged = ties(TAUS)
    assert [round(m, 2) for m in merged] == [-1.2, 0.45, 0.0, 0.0, 0.7]
    page_shows(PAGE, r"\tau_m = (-1.2,\ 0.45,\ 0,\ 0,\ 0.7)", "平均 0.4 和 0.5，结果 0.45")
    avg = [sum(col) / len(TAUS) for col in zip(*TAUS)]
    shown = [f"{round(a, 3):g}" for a in avg]
    assert shown == ["-0.1", "0.367", "0", "0.033", "0.2"]
    page_shows(PAGE, r"$(-0.1,\ 0.367,\ 0,\ 0.033,\ 0.2)$")
    # the three positions the page averages step by step
    assert math.isclose((0.6 + 0.3 - 1.2) / 3, avg[0]) and math.isclose((0.4 + 0.5 + 0.2) / 3, avg[1])
    assert math.isclose((0.0 - 0.1 + 0.7) / 3, avg[4])
    page_shows(PAGE, f"$(0.6 + 0.3 - 1.2) / 3 = {shown[0]}$", f"$(0.4 + 0.5 + 0.2) / 3 \\approx {shown[1]}$",
               f"$(0.0 - 0.1 + 0.7) / 3 = {shown[4]}$", "$0.2 / 0.7 = 2/7$")
    # position 5: only tau_3 cares; plain averaging keeps 0.2 / 0.7 = 2/7 of it
    assert math.isclose(avg[4] / 0.7, 2 / 7)
    page_shows(PAGE, "被另外两个几乎为 0 的值平均成 0.2，只剩原来的 2/7")
    page_shows(PAGE, "三个小改动 −0.2、0.2、0.1 被当作冗余去掉了")
    assert [t[3] for t in TAUS] == [-0.2, 0.2, 0.1]


def test_soup_is_task_arithmetic_with_one_over_k():
    pre = (1.0, -2.0, 0.5)
    taus = [(0.3, 0.1, -0.2), (-0.1, 0.4, 0.0), (0.2, -0.2, 0.3)]
    models = [tuple(p + t for p, t in zip(pre, tau)) for tau in taus]
    soup = [sum(col) / 3 for col in zip(*models)]
    arithmetic = [p + (1 / 3) * sum(col) for p, col in zip(pre, zip(*taus))]
    assert all(math.isclose(a, b) for a, b in zip(soup, arithmetic))
    page_shows(PAGE, r"这正是 $\lambda = 1/k$ 的任务算术。三个模型的均匀汤，就是 $\lambda = 1/3$")


def test_dare_keeps_the_expectation():
    delta = 0.002
    for p, scale, kept_value in ((0.9, 10, 0.02), (0.99, 100, 0.2)):
        assert math.isclose(1 / (1 - p), scale)
        assert math.isclose(delta * scale, kept_value)
        assert math.isclose((1 - p) * kept_value + p * 0, delta)
    page_shows(PAGE, "$1/(1-0.9) = 10$", "0.002 × 10 = 0.02", "0.1 × 0.02 + 0.9 × 0 = 0.002",
               "$1/(1-0.99) = 100$", "0.002 × 100 = 0.2", "期望仍是 0.01 × 0.2 = 0.002")
    n = 10_000
    assert round(n * (1 - 0.9)) == 1_000 and round(n * (1 - 0.99)) == 100
    page_shows(PAGE, f"{fmt_int(n)} × 0.1 = {fmt_int(1_000)}", f"只剩约 {fmt_int(n)} × 0.01 = 100 个非零值")


def test_slerp_keeps_the_length():
    u, v, t = (1.0, 0.0), (0.0, 1.0), 0.5
    omega = math.acos(sum(a * b for a, b in zip(u, v)))
    assert math.isclose(math.degrees(omega), 90)
    lin = [(1 - t) * a + t * b for a, b in zip(u, v)]
    cu, cv = math.sin((1 - t) * omega) / math.sin(omega), math.sin(t * omega) / math.sin(omega)
    sl = [cu * a + cv * b for a, b in zip(u, v)]
    assert f"{math.hypot(*lin):.3f}" == "0.707" and f"{cu:.3f}" == "0.707"
    assert math.isclose(math.hypot(*sl), 1.0)
    assert math.isclose(cu, math.sqrt(2) / 2) and math.isclose(cu**2 + cv**2, 1 / 2 + 1 / 2)
    page_shows(PAGE, r"$\sqrt{0.5^2 + 0.5^2} \approx 0.707$", r"$\sin 45° / \sin 90° \approx 0.707$",
               r"$\sqrt{2}/2$", r"$\sqrt{1/2 + 1/2} = 1$")


def test_slerp_and_linear_interpolation_differ_in_direction_too():
    # equal-length ends: slerp turns by t * Omega from u; linear interpolation does not (t != 0.5)
    u, v, omega, t = (1.0, 0.0), (0.0, 1.0), math.pi / 2, 0.25
    cu, cv = math.sin((1 - t) * omega) / math.sin(omega), math.sin(t * omega) / math.sin(omega)
    sl = [cu * a + cv * b for a, b in zip(u, v)]
    lin = [(1 - t) * a + t * b for a, b in zip(u, v)]
    sl_deg, lin_deg = math.degrees(math.atan2(sl[1], sl[0])), math.degrees(math.atan2(lin[1], lin[0]))
    assert math.isclose(sl_deg, t * 90) and f"{sl_deg:.1f}" == "22.5"
    assert math.isclose(lin[1] / lin[0], 1 / 3) and f"{lin_deg:.1f}" == "18.4"
    for t2 in (0.1, 0.3, 0.7, 0.9):  # slerp angle is exactly t * Omega for other t as well
        a2, b2 = math.sin((1 - t2) * omega), math.sin(t2 * omega)
        assert math.isclose(math.degrees(math.atan2(b2, a2)), t2 * 90)
    page_shows(PAGE, "两端一样长时，slerp 的结果与 $u$ 的夹角正好是 $t\\Omega$，线性插值则不是",
               "令 $t = 0.25$：slerp 的结果与 $u$ 成 0.25 × 90° = 22.5°",
               "线性插值的结果是 $0.75u + 0.25v$", r"$\tan\varphi = 0.25 / 0.75 = 1/3$，约 18.4°")


def test_task_arithmetic_negation_numbers():
    # Ilharco et al., Table 1 (CLIP ViT-L/14, eight target tasks, ImageNet control) and Table 2 (GPT-2 Large)
    pre_target, neg_target, pre_control, neg_control = 64.8, 19.0, 75.5, 72.9
    assert f"{pre_target - neg_target:.1f}" == "45.8"
    page_shows(PAGE, f"从预训练模型的 {pre_target}% 降到 {neg_target}%，少了 {pre_target} − {neg_target} = 45.8 个百分点",
               f"只从 {pre_control}% 降到 {neg_control}%")
    toxic_pre, toxic_neg = 4.8, 0.8
    assert math.isclose(toxic_pre / toxic_neg, 6)
    page_shows(PAGE, f"从 {toxic_pre}% 降到 {toxic_neg}%，降为原来的六分之一（{toxic_pre} ÷ {toxic_neg} = 6 倍）")


def test_merging_in_training_pipelines():
    # Qwen3 Embedding 0.6B ablation (MTEB multilingual mean) and Qwen3-VL-Embedding 2B (MMEB-V2 overall)
    assert f"{64.33 - 62.56:.2f}" == "1.77"
    page_shows(PAGE, "从 64.33 降到 62.56，少了 64.33 − 62.56 = 1.77 分")
    assert f"{73.2 - 72.1:.1f}" == "1.1" and f"{73.2 - 71.5:.1f}" == "1.7"
    page_shows(PAGE, "总分是 73.2，比蒸馏前的 72.1 高 1.1 分，比蒸馏后的 71.5 高 1.7 分")


def test_uniform_soup_can_lose_to_the_best_model():
    # Official results files of github.com/mlfoundations/model-soups (commit d5398f1): 72 CLIP ViT-B/32
    # models (hparam_info.json: 71 fine-tuning runs, model_0 'LP initialization'), ImageNet top-1.
    best, uniform, greedy = 0.80386, 0.79972, 0.81026  # individual_model_results.jsonl (model_43), *_soup_results.jsonl
    shown = [f"{100 * x:.2f}" for x in (best, uniform, greedy)]
    assert shown == ["80.39", "79.97", "81.03"]
    assert f"{80.39 - 79.97:.2f}" == "0.42" and f"{81.03 - 80.39:.2f}" == "0.64"
    assert uniform < best < greedy
    page_shows(PAGE, "72 个在 ImageNet 上训练的 CLIP ViT-B/32 模型，其中 71 个用不同的超参数微调",
               "最好的单个模型是 80.39%",
               "均匀汤是 79.97%，反而低了 80.39 − 79.97 = 0.42 个百分点",
               "贪心汤是 81.03%，高了 81.03 − 80.39 = 0.64 个百分点")
