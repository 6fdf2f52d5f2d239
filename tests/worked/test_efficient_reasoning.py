"""Worked numbers of docs/knowledge/efficient-reasoning.md, recomputed from their formulas.

The length reward is Kimi k1.5's (technical report, sec. 2.3.3, Kimi_k1.5.pdf in
github.com/MoonshotAI/Kimi-k1.5): lambda = 0.5 - (len(i) - min_len) / (max_len - min_len),
the reward is lambda for a correct response and min(0, lambda) for a wrong one, zero for all
when every response has the same length. The five responses, the weight w = 0.5 and the decode
speed of 50 tokens per second are the page's own illustration. The 60.8 Pass@1 at 3,272 tokens
is k1.5-short w/ rl on AIME 2024 (sec. 3.4); the 313 -> 181 tokens is TokenSkip's abstract
(Qwen2.5-14B-Instruct on GSM8K).
"""

from __future__ import annotations

import math
from fractions import Fraction

from worked.pages import fmt_int, page_shows

PAGE = "knowledge/efficient-reasoning.md"

# (name, length in tokens, answered correctly)
GROUP = [("A", 1200, True), ("B", 1800, False), ("C", 2400, True), ("D", 4800, False), ("E", 6000, True)]
SPEED = 50  # tokens per second, the page's assumption


def lam(length: int, lengths: list[int]) -> Fraction:
    lo, hi = min(lengths), max(lengths)
    return Fraction(1, 2) - Fraction(length - lo, hi - lo)


def len_reward(length: int, correct: bool, lengths: list[int]) -> Fraction:
    if max(lengths) == min(lengths):
        return Fraction(0)
    value = lam(length, lengths)
    return value if correct else min(Fraction(0), value)


def dec(x: Fraction) -> str:
    """A fraction with a short decimal expansion, as the page writes it (0.375, −0.25)."""
    text = f"{float(x):g}"
    return text.replace("-", "−")


def test_the_denominator():
    lengths = [n for _, n, _ in GROUP]
    assert max(lengths) - min(lengths) == 4800
    page_shows(PAGE, "6,000 − 1,200 = 4,800")


def test_the_table_rows():
    lengths = [n for _, n, _ in GROUP]
    lo = min(lengths)
    expected = {"A": "0.5", "B": "0", "C": "0.25", "D": "−0.25", "E": "−0.5"}
    for name, n, ok in GROUP:
        value = lam(n, lengths)
        reward = len_reward(n, ok, lengths)
        assert dec(reward) == expected[name]
        row = (f"| {name} | {fmt_int(n)} | {'对' if ok else '错'} | "
               f"0.5 − {fmt_int(n - lo)}/4,800 = {dec(value)} | {dec(reward)} |")
        page_shows(PAGE, row)
    # the short wrong answer B: lambda is positive, the min keeps it at zero
    assert lam(1800, lengths) == Fraction(3, 8)
    page_shows(PAGE, r"$\min(0, 0.375) = 0$")


def test_equal_lengths_give_zero():
    assert all(len_reward(n, ok, [3000, 3000]) == 0 for n, ok in [(3000, True), (3000, False)])


def test_the_weight_bound_and_the_totals():
    # the lowest correct total 1 - 0.5 w stays above the highest wrong total 0 exactly when w < 2
    for w in (Fraction(1, 2), Fraction(19, 10)):
        assert 1 + w * Fraction(-1, 2) > 0
    assert 1 + 2 * Fraction(-1, 2) == 0
    page_shows(PAGE, r"$1 + w \times (-0.5) = 1 - 0.5w$", r"$w < 2$")
    lengths = [n for _, n, _ in GROUP]
    w = Fraction(1, 2)
    totals = {name: (1 if ok else 0) + w * len_reward(n, ok, lengths) for name, n, ok in GROUP}
    assert [dec(totals[k]) for k in "ACE"] == ["1.25", "1.125", "0.75"]
    assert dec(totals["B"]) == "0" and dec(totals["D"]) == "−0.125"
    # each total worked out on the page: correctness + w x length reward
    for name, n, ok in GROUP:
        reward = len_reward(n, ok, lengths)
        shown = f"({dec(reward)})" if reward < 0 else dec(reward)
        page_shows(PAGE, f"- {name}：{1 if ok else 0} + 0.5 × {shown} = {dec(totals[name])}")
    correct = [totals[name] for name, _, ok in GROUP if ok]
    wrong = [totals[name] for name, _, ok in GROUP if not ok]
    assert min(correct) == Fraction(3, 4) and max(wrong) == 0
    page_shows(PAGE, "答对的三个回答都不低于 0.75，答错的两个都不超过 0")
    # above w = 2 the longest correct answer E falls below the short wrong answer B
    w3 = 3
    e3 = 1 + w3 * len_reward(6000, True, lengths)
    assert e3 == Fraction(-1, 2) and e3 < 0 + w3 * len_reward(1800, False, lengths)
    page_shows(PAGE, "E 的总奖励是 1 + 3 × (−0.5) = −0.5，反而低于错答 B 的 0")


def test_lambda_endpoints_and_a_numerator():
    lengths = [n for _, n, _ in GROUP]
    assert lam(min(lengths), lengths) == Fraction(1, 2) and lam(max(lengths), lengths) == Fraction(-1, 2)
    page_shows(PAGE, r"$\lambda = 0.5 - 0 = 0.5$", r"$\lambda = 0.5 - 1 = -0.5$")
    assert 1800 - min(lengths) == 600
    page_shows(PAGE, "B 是 1,800 − 1,200 = 600")


def test_waiting_times():
    a, e = 1200 / SPEED, 6000 / SPEED
    assert (a, e, e - a) == (24, 120, 96)
    page_shows(PAGE, "1,200 ÷ 50 = 24 秒", "6,000 ÷ 50 = 120 秒", "多等了 120 − 24 = 96 秒")
    kimi = 3272 / SPEED
    assert f"{kimi:.1f}" == "65.4"
    page_shows(PAGE, "3,272 ÷ 50 ≈ 65.4 秒")


def test_accuracy_per_thousand_tokens():
    per_k = 60.8 / (3272 / 1000)
    assert f"{per_k:.1f}" == "18.6"
    page_shows(PAGE, "3,272 个词元是 3.272 千词元，60.8 ÷ 3.272 ≈ 18.6", "约 18.6 个百分点")


def test_tokenskip_reduction():
    saved = 313 - 181
    assert saved == 132 and round(100 * saved / 313) == 42
    assert math.isclose(313 / SPEED, 6.26) and math.isclose(181 / SPEED, 3.62)
    page_shows(PAGE, "少了 132 个，即 132 ÷ 313 ≈ 42%", "从 313 ÷ 50 = 6.26 秒降到 181 ÷ 50 = 3.62 秒")


def test_e_against_a():
    # E is as correct as A but 4,800 tokens longer, and its length reward is -0.5
    lengths = [n for _, n, _ in GROUP]
    assert 6000 - 1200 == 4800 and len_reward(6000, True, lengths) == Fraction(-1, 2)
    assert len_reward(1200, True, lengths) == max(len_reward(n, ok, lengths) for _, n, ok in GROUP)
    page_shows(PAGE, "因为长了 4,800 个词元被扣 0.5")


def test_rakotonirina_trade_off():
    # the larger model saves more length and loses more accuracy (abstract: 28% / 1.6, 40% / 2.5)
    small, large = (28, 1.6), (40, 2.5)
    assert large[0] > small[0] and large[1] > small[1]
    page_shows(PAGE, "8B 模型的回答平均缩短 28%，准确率降 1.6 分", "32B 模型平均缩短 40%，降 2.5 分",
               "大模型省得多，降得也多一些")


def test_auc_oaa_per_question_scores():
    # AUC_OAA: OAA_t counts a question right only if it is answered correctly with fewer than t
    # thinking tokens; the area under OAA_t for t in [0, t_max], divided by t_max, averages
    # max(0, 1 - n / t_max) over the correct answers (0 for wrong ones). The official
    # OptimalThinkingBench code (github.com/facebookresearch/RAM, projects/otb/eval.py) scores
    # each response as max(0, 1000 - tokens) / 1000 * accuracy. t_max = 1,000 is the page's
    # illustration.
    t_max = 1000

    def area(n: int, steps: int = 100_000) -> float:
        # midpoint rule on the indicator curve t -> [n < t], divided by t_max
        dt = t_max / steps
        return sum(1 for k in range(steps) if n < (k + 0.5) * dt) * dt / t_max

    def closed(n: int) -> Fraction:
        return max(Fraction(0), 1 - Fraction(n, t_max))

    for n in (400, 800, 1200):
        assert math.isclose(area(n), float(closed(n)), abs_tol=1e-4)
    assert closed(400) == Fraction(3, 5) and closed(800) == Fraction(1, 5) and closed(1200) == 0
    page_shows(PAGE, "1 − 400/1,000 = 0.6 分", "1 − 800/1,000 = 0.2 分", r"$t_{\max} = 1{,}000$")
