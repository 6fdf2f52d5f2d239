"""Worked numbers of docs/foundations/synthetic-data.md, recomputed from their formulas.

Both examples are the book's own toy settings, not a paper's experiment: a generate-then-filter
pipeline (10,000 questions, half with pass rate 0.6 and half with 0.05, k samples each), and a
normal distribution re-fitted each generation by maximum likelihood on M = 100 of its own samples.
Each test asserts the page shows what it computed.
"""

from __future__ import annotations

import math
from fractions import Fraction

from worked.pages import fmt_int, page_shows

PAGE = "foundations/synthetic-data.md"

HALF = 5_000  # questions of each kind
P_EASY, P_HARD = 0.6, 0.05
M = 100  # samples per generation in the Gaussian example


def coverage(p: float, k: int) -> float:
    """Probability that at least one of k samples is correct."""
    return 1 - (1 - p) ** k


def kept(p: float, k: int, n: int = HALF) -> float:
    """Expected number of correct samples kept from n questions."""
    return n * k * p


def normal_tail(z: float) -> float:
    """P(|X| > z) for a standard normal X."""
    return math.erfc(z / math.sqrt(2))


def test_pipeline_with_four_samples():
    k = 4
    assert 2 * HALF * k == 40_000
    assert kept(P_EASY, k) == 12_000 and kept(P_HARD, k) == 1_000
    assert math.isclose(coverage(P_EASY, k), 0.9744)
    assert HALF * coverage(P_EASY, k) == 4_872
    # The hard-question coverage in exact decimals: 0.95⁴ = 0.81450625, so 5,000 × 0.18549375 =
    # 927.47, about 927. (The rounded 0.1855 would give 927.5, which a reader rounds to 928.)
    hard_miss = Fraction("0.95") ** k
    assert hard_miss == Fraction("0.81450625") and 1 - hard_miss == Fraction("0.18549375")
    assert math.isclose(coverage(P_HARD, k), 0.18549375)
    assert HALF * (1 - hard_miss) == Fraction("927.46875") and round(HALF * (1 - hard_miss)) == 927
    share = kept(P_HARD, k) / (kept(P_EASY, k) + kept(P_HARD, k))
    assert f"{share:.1%}" == "7.7%"
    page_shows(PAGE, r"P_{\text{覆盖}} = 1 - (1 - p)^k", "10,000 × 4 = 40,000",
               "5,000 × 4 × 0.6 = 12,000", "5,000 × (1 − 0.4⁴) = 5,000 × 0.9744 = 4,872",
               "5,000 × 4 × 0.05 = 1,000", "5,000 × (1 − 0.95⁴) = 5,000 × 0.18549375 ≈ 927",
               f"1,000 ÷ {fmt_int(13_000)} ≈ 7.7%")
    # The intermediate steps the page shows: all-wrong probabilities and the total kept.
    assert math.isclose(1 - P_EASY, 0.4) and math.isclose((1 - P_EASY) ** k, 0.0256)
    assert kept(P_EASY, k) + kept(P_HARD, k) == 13_000
    page_shows(PAGE, "1 − 0.6 = 0.4", "0.4⁴ = 0.0256", "0.95⁴ = 0.81450625", "12,000 + 1,000 = 13,000")


def test_pipeline_with_sixteen_samples():
    k = 16
    assert 2 * HALF * k == 160_000
    assert round(coverage(P_HARD, k), 3) == 0.560 and round(HALF * coverage(P_HARD, k)) == 2_799
    hard, easy = kept(P_HARD, k), kept(P_EASY, k)
    assert (hard, hard + easy) == (4_000, 52_000)
    # The share does not depend on k: k cancels, leaving P_HARD / (P_HARD + P_EASY).
    assert math.isclose(hard / (hard + easy), P_HARD / (P_HARD + P_EASY))
    page_shows(PAGE, "10,000 × 16 = 160,000", "1 − 0.95¹⁶ ≈ 0.560", "4,000 ÷ 52,000 ≈ 7.7%")
    assert f"{(1 - P_HARD) ** k:.3f}" == "0.440" and f"{coverage(P_HARD, k):.5f}" == "0.55987"
    # The product the page shows, in exact decimals: 5,000 × 0.55987 = 2,799.35, so 2,799 is not a
    # rounding tie (5,000 × 0.5599 = 2,799.5 exactly, which a reader would round to 2,800).
    shown = HALF * Fraction("0.55987")
    assert shown == Fraction("2799.35") and round(shown) == 2_799
    assert HALF * Fraction("0.5599") == Fraction("2799.5")
    page_shows(PAGE, "0.95¹⁶ ≈ 0.440", "覆盖率约为 0.55987", "5,000 × 0.55987 ≈ 2,799 道")
    assert easy == 48_000
    page_shows(PAGE, "5,000 × 16 × 0.6 = 48,000", "5,000 × 16 × 0.05 = 4,000")
    assert f"{P_HARD / (P_HARD + P_EASY):.1%}" == "7.7%"
    page_shows(PAGE, "0.05 ÷ (0.6 + 0.05) ≈ 7.7%")


def test_variance_shrinks_by_the_mle_factor():
    factor = (M - 1) / M
    rows = {1: ("0.99", "0.995"), 10: ("0.904", "0.951"), 100: ("0.366", "0.605"),
            500: ("0.00657", "0.0811")}
    for n, (var, sd) in rows.items():
        assert f"{factor**n:.3g}" == var
        assert f"{math.sqrt(factor**n):.3g}" == sd
        page_shows(PAGE, f"| {n} | {var} | {sd} |")
    page_shows(PAGE, r"\mathbb{E}[\hat\sigma^2] = \frac{M-1}{M}\,\sigma^2",
               r"\mathbb{E}[\sigma_n^2] = \left(\frac{M-1}{M}\right)^n", "$M = 100$")


def test_the_tail_disappears():
    assert f"{normal_tail(2):.2%}" == "4.55%"
    sd = math.sqrt(((M - 1) / M) ** 100)
    z = 2 / sd
    assert f"{z:.3f}" == "3.306" and f"{2 / 0.605:.3f}" == "3.306"
    tail = normal_tail(z)
    assert f"{tail:.3%}" == "0.095%"
    # The z shown must give the tail shown: 3.306 does, whereas a rounded 3.31 would give 0.093%.
    assert f"{normal_tail(3.306):.3%}" == "0.095%" and f"{normal_tail(3.31):.3%}" == "0.093%"
    assert round(normal_tail(2) / tail) == 48
    page_shows(PAGE, "4.55%", "2 ÷ 0.605 ≈ 3.306", "约 0.095%", "约为原来的 1/48")
    assert round(4.55 / 0.095) == 48  # the division as the page shows it, with the rounded percentages
    page_shows(PAGE, "4.55% ÷ 0.095% ≈ 48")


def test_unbiased_factor_has_negative_mean_log():
    """E[log(chi2_{M-1}/(M-1))] < 0 although E[chi2_{M-1}/(M-1)] = 1: Jensen, as the page says."""
    nu = M - 1
    # E[log chi2_nu] = digamma(nu/2) + log 2; digamma by the asymptotic series (nu/2 = 49.5).
    x = nu / 2
    digamma = math.log(x) - 1 / (2 * x) - 1 / (12 * x**2) + 1 / (120 * x**4)
    mean_log = digamma + math.log(2) - math.log(nu)
    assert mean_log < 0


def test_a_typical_run_shrinks_faster_than_the_expectation():
    """Under MLE refitting the per-generation factor is chi2_{M-1}/M; its mean is (M-1)/M but its
    mean log is lower, so the median variance after n generations, exp(n * E[log factor]), is below
    the expected variance ((M-1)/M)**n shown in the table."""
    x = (M - 1) / 2
    digamma = math.log(x) - 1 / (2 * x) - 1 / (12 * x**2) + 1 / (120 * x**4)
    mean_log = digamma + math.log(2) - math.log(M)
    assert mean_log < math.log((M - 1) / M)
    assert math.exp(100 * mean_log) < ((M - 1) / M) ** 100
    page_shows(PAGE, "100 代之后方差的期望只剩 0.366", "单次运行里的方差通常比它更小",
               "原因与下文讲无偏估计时的相同（Jensen 不等式）")
