"""Worked numbers of docs/knowledge/self-improvement.md, recomputed.

Example one (rejection sampling) uses an illustrative question mix and success rates (the
page says so): P_keep = 1 - (1 - p)^k and k*p kept rationales per question.
Example two uses the settings of the official code: Absolute Zero's proposer reward
1 - mean solver accuracy, 0 when the accuracy is 0 or 1, with n_samples = 8
(github.com/LeapLabTHU/Absolute-Zero-Reasoner, rewards/reward_managers.py and
configs/azr_ppo_trainer.yaml at a82124e); R-Zero's challenger reward min(p, 1 - p) before the
repetition penalty, with n = 10 answers and the 0.3-0.8 keep band
(github.com/Chengsong-Huang/R-Zero, examples/reward_function/caller_penalty.py,
vllm_service_init/start_vllm_server.py, scripts/solver_train.sh at 5699329).
Example three reads R-Zero's README table (Qwen3-4B-Base) and, for Self-Rewarding, the
AlpacaEval 2.0 win rates and average lengths listed in the SPPO paper's table.
"""

from __future__ import annotations

from fractions import Fraction

from worked.pages import page_shows

PAGE = "knowledge/self-improvement.md"

K = 4
MIX = ((500, Fraction(6, 10)), (300, Fraction(2, 10)), (200, Fraction(2, 100)))


def p_keep(p: Fraction, k: int) -> Fraction:
    return 1 - (1 - p) ** k


def test_rejection_sampling_per_question():
    easy, medium, hard = (p for _, p in MIX)
    assert (1 - easy) ** K == Fraction(256, 10000) and p_keep(easy, K) == Fraction(9744, 10000)
    assert (1 - medium) ** K == Fraction(4096, 10000) and p_keep(medium, K) == Fraction(5904, 10000)
    assert f"{float((1 - hard) ** K):.4f}" == "0.9224" and f"{float(p_keep(hard, K)):.4f}" == "0.0776"
    assert (K * easy, K * medium, K * hard) == (Fraction(24, 10), Fraction(8, 10), Fraction(8, 100))
    page_shows(PAGE, "$(1 - 0.6)^4 = 0.4^4 = 0.0256$，$P_{\\mathrm{keep}} = 1 - 0.0256 = 0.9744$",
               "平均留下 $4 \\times 0.6 = 2.4$ 条",
               "$(1 - 0.2)^4 = 0.8^4 = 0.4096$，$P_{\\mathrm{keep}} = 1 - 0.4096 = 0.5904$",
               "平均留下 $4 \\times 0.2 = 0.8$ 条",
               "$(1 - 0.02)^4 = 0.98^4 \\approx 0.9224$，$P_{\\mathrm{keep}} \\approx 1 - 0.9224 = 0.0776$",
               "平均留下 $4 \\times 0.02 = 0.08$ 条")


def test_rejection_sampling_over_the_set():
    assert sum(n for n, _ in MIX) == 1000
    kept = [n * p_keep(p, K) for n, p in MIX]
    assert kept[0] == Fraction(4872, 10) and kept[1] == Fraction(17712, 100)
    assert f"{float(kept[2]):.2f}" == "15.53"
    # the page rounds P_keep for hard questions to 0.0776 first, so its sum shows 200 * 0.0776 = 15.52
    shown = 500 * Fraction(9744, 10000) + 300 * Fraction(5904, 10000) + 200 * Fraction(776, 10000)
    assert 200 * Fraction(776, 10000) == Fraction(1552, 100) and shown == Fraction(67984, 100) and round(shown) == 680
    total = sum(kept)
    assert round(total) == 680 and round(total / 1000, 2) == Fraction(68, 100)
    rationales = [n * K * p for n, p in MIX]
    assert rationales == [1200, 240, 16] and sum(rationales) == 1456
    assert f"{16 / 1456:.1%}" == "1.1%" and Fraction(200, 1000) == Fraction(20, 100)
    page_shows(PAGE, "500 \\times 0.9744 + 300 \\times 0.5904 + 200 \\times 0.0776 = 487.2 + 177.12 + 15.52 = 679.84 \\approx 680 $$ 道，占 $680 / 1{,}000 = 68\\%$",
               "500 \\times 2.4 + 300 \\times 0.8 + 200 \\times 0.08 = 1{,}200 + 240 + 16 = 1{,}456 $$ 条",
               "约占 $16 / 1{,}456 \\approx 1.1\\%$", "难题占全部题目的 20%")


def test_more_samples_on_hard_questions():
    q = Fraction(98, 100) ** 16
    assert f"{float(q):.4f}" == "0.7238" and f"{float(1 - q):.3f}" == "0.276"
    assert 16 // K == 4
    page_shows(PAGE, "$k = 16$ 时 $P_{\\mathrm{keep}} = 1 - 0.98^{16} \\approx 1 - 0.7238 = 0.276$",
               "采样成本是原来的 $16 / 4 = 4$ 倍")


def azr_reward(correct: int, n: int = 8) -> Fraction:
    r = Fraction(correct, n)
    return Fraction(0) if r in (0, 1) else 1 - r


def rzero_reward(agree: int, m: int = 10) -> Fraction:
    p = Fraction(agree, m)
    return min(p, 1 - p)


def test_azr_proposer_reward():
    assert [azr_reward(c) for c in (0, 1, 4, 7, 8)] == [0, Fraction(875, 1000), Fraction(1, 2), Fraction(125, 1000), 0]
    assert max(range(9), key=azr_reward) == 1
    page_shows(PAGE, "AZR 让解题者作答 $n = 8$ 次", "8 次全错，$\\bar{r} = 0$，奖励 0",
               "$\\bar{r} = 1/8 = 0.125$，奖励 $1 - 0.125 = 0.875$",
               "$\\bar{r} = 4/8 = 0.5$，奖励 $1 - 0.5 = 0.5$",
               "$\\bar{r} = 7/8 = 0.875$，奖励 $1 - 0.875 = 0.125$",
               "8 次全对，$\\bar{r} = 1$，奖励 0")


def test_rzero_challenger_reward():
    assert rzero_reward(10) == 0 and rzero_reward(8) == Fraction(2, 10)
    assert rzero_reward(5) == Fraction(1, 2) and rzero_reward(3) == Fraction(3, 10)
    assert max(range(11), key=rzero_reward) == 5
    # twice min(p, 1 - p) is 1 - 2|p - 1/2| for every p in [0, 1]
    assert all(2 * rzero_reward(a) == 1 - 2 * abs(Fraction(a, 10) - Fraction(1, 2)) for a in range(11))
    # the keep band 0.3 <= p <= 0.8: 8 identical wrong answers stay in, 10 identical ones drop out
    keep = [a for a in range(11) if Fraction(3, 10) <= Fraction(a, 10) <= Fraction(8, 10)]
    assert keep == [3, 4, 5, 6, 7, 8] and 8 in keep and 10 not in keep
    page_shows(PAGE, "R-Zero 采样 $m = 10$ 个回答",
               "$\\hat{p} = 10/10 = 1$，奖励 $\\min(1, 0) = 0$",
               "$\\hat{p} = 0.8$，奖励 $\\min(0.8, 0.2) = 0.2$",
               "$\\hat{p} = 0.5$，奖励 $\\min(0.5, 0.5) = 0.5$，为最大值",
               "$\\hat{p} = 0.3$，奖励 $\\min(0.3, 0.7) = 0.3$",
               "把它乘以 2，就是 $1 - 2\\,\\lvert \\hat{p} - 0.5 \\rvert$，最大值为 1",
               "只留下多数答案占比在 0.3 到 0.8 之间的题",
               "$\\hat{p} = 0.8$，题目正好落在保留区间 0.3 到 0.8 之内")


def test_rzero_gains_per_iteration():
    math = (42.58, 48.06, 48.44, 49.07)
    steps = [round(b - a, 2) for a, b in zip(math, math[1:])]
    assert steps == [5.48, 0.38, 0.63]
    assert round(math[3] - math[0], 2) == 6.49 and f"{5.48 / 6.49:.0%}" == "84%"
    # overall = mean of MATH AVG, SuperGPQA, MMLU-Pro, BBEH in the README table
    rows = {"base": (42.58, 20.88, 37.38, 7.57), "iter1": (48.06, 27.92, 51.69, 9.42),
            "iter2": (48.44, 27.72, 53.75, 9.76), "iter3": (49.07, 27.55, 51.53, 10.42)}
    assert {k: round(sum(v) / 4, 2) for k, v in rows.items()} == {
        "base": 27.10, "iter1": 34.27, "iter2": 34.92, "iter3": 34.64}
    assert all(rows[k][0] == m for k, m in zip(("base", "iter1", "iter2", "iter3"), math))
    assert round(34.92 - 34.64, 2) == 0.28
    page_shows(PAGE, "基座 42.58，第一轮 48.06，第二轮 48.44，第三轮 49.07",
               "$48.06 - 42.58 = 5.48$", "$48.44 - 48.06 = 0.38$", "$49.07 - 48.44 = 0.63$",
               "三轮合计 $49.07 - 42.58 = 6.49$", "$5.48 / 6.49 \\approx 84\\%$",
               "基座 27.10，第一到第三轮依次为 34.27、34.92、34.64", "$34.92 - 34.64 = 0.28$")


def test_rzero_abstract_general_gain():
    # the abstract's +7.54 "on general-domain reasoning benchmarks" equals the README's Overall AVG
    # gain at Iter 3, which includes MATH AVG; the three general benchmarks alone gain 7.89
    assert round(34.64 - 27.10, 2) == 7.54
    base, iter3 = (20.88, 37.38, 7.57), (27.55, 51.53, 10.42)
    assert round(sum(base), 2) == 65.83 and round(sum(iter3), 2) == 89.50
    assert f"{sum(base) / 3:.2f}" == "21.94" and f"{sum(iter3) / 3:.2f}" == "29.83"
    assert round(29.83 - 21.94, 2) == 7.89 and f"{(sum(iter3) - sum(base)) / 3:.2f}" == "7.89"
    # Iter 2, the other row a reader might take: (27.72 + 53.75 + 9.76) / 3 - 21.94 = 8.47
    assert f"{(27.72 + 53.75 + 9.76 - sum(base)) / 3:.2f}" == "8.47"
    page_shows(PAGE, "在通用推理基准上提高 7.54 分", "总平均分提高 $34.64 - 27.10 = 7.54$",
               "$(20.88 + 37.38 + 7.57) / 3 = 65.83 / 3 \\approx 21.94$",
               "$(27.55 + 51.53 + 10.42) / 3 = 89.50 / 3 \\approx 29.83$",
               "提高约 $29.83 - 21.94 = 7.89$ 分")


def test_self_rewarding_length():
    win = (9.94, 15.38, 20.44)
    length = (1092, 1552, 2552)
    assert f"{win[2] / win[0]:.2f}" == "2.06" and f"{length[2] / length[0]:.2f}" == "2.34"
    assert win[2] > 17.19 > 16.85 > 15.76
    page_shows(PAGE, "9.94% → 15.38% → 20.44%，从 $M_1$ 到 $M_3$ 是 $20.44 / 9.94 \\approx 2.06$ 倍",
               "1092 → 1552 → 2552，$2552 / 1092 \\approx 2.34$ 倍",
               "$M_1$ 是 9.94%，$M_2$ 是 15.38%，$M_3$ 是 20.44%",
               "Claude 2 的 17.19%、Gemini Pro 的 16.85% 和 GPT-4 0613 的 15.76%")


def test_rzero_base_challenger_share_of_first_round():
    # R-Zero README (official repository, commit 5699329), Qwen3-4B-Base maths average:
    # base 42.58, "Base Challenger" (an untrained, zero-shot challenger) 44.36, iteration 1 48.06.
    base, base_challenger, iter1 = 42.58, 44.36, 48.06
    untrained = base_challenger - base
    first_round = iter1 - base
    assert round(untrained, 2) == 1.78 and round(first_round, 2) == 5.48
    assert round(untrained / first_round * 100) == 32
    assert round(iter1 - base_challenger, 2) == 3.70
    page_shows(PAGE, "$44.36 - 42.58 = 1.78$", "$1.78 / 5.48 \\approx 32\\%$", "$48.06 - 44.36 = 3.70$")
