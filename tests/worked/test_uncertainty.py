"""Worked numbers of docs/knowledge/uncertainty.md, recomputed.

The candidate answers, calibration questions, test questions and confidences are invented
(the page says so). Split conformal prediction follows its textbook form: the threshold is
the ceil((n+1)(1-alpha))-th smallest calibration score, infinite when that rank exceeds n,
and the set holds every option whose score 1 - p is at most the threshold. The GPT-4 ratio
uses the two ECE values of Figure 8 of the GPT-4 technical report (0.007 and 0.074).
"""

from __future__ import annotations

import math
from fractions import Fraction

from worked.pages import page_shows

PAGE = "knowledge/uncertainty.md"


def test_gpt4_calibration_ratio():
    # Both ECEs are printed to three decimals, so each is only known to +-0.0005: the ratio lies
    # between 0.0735 / 0.0075 and 0.0745 / 0.0065, i.e. "about ten times", not 10.6.
    lo, hi = 0.0735 / 0.0075, 0.0745 / 0.0065
    assert round(lo, 1) == 9.8 and round(hi, 1) == 11.5
    assert lo < 0.074 / 0.007 < hi
    page_shows(PAGE, "预训练模型的期望校准误差是 0.007，经过后训练的模型是 0.074，约为前者的十倍",
               "0.0065 到 0.0075", f"在 {lo:.1f} 到 {hi:.1f} 之间")


def test_length_normalisation():
    a = (0.9, 0.8, 0.9)
    product = math.prod(a)
    assert round(product, 3) == 0.648
    logs = [math.log(p) for p in a]
    assert [round(x, 3) for x in logs] == [-0.105, -0.223, -0.105]
    mean = sum(logs) / 3
    assert round(sum(logs), 3) == -0.434
    assert round(mean, 3) == -0.145
    assert round(math.exp(mean), 3) == 0.865
    assert round(math.log(0.7), 3) == -0.357
    assert product < 0.7 and mean > math.log(0.7)
    page_shows(PAGE, "甲是 $0.9 \\times 0.8 \\times 0.9 = 0.648$，乙是 0.7。乙更高。",
               "$\\ln 0.9 \\approx -0.105$、$\\ln 0.8 \\approx -0.223$、$\\ln 0.9 \\approx -0.105$，和约为 $-0.434$，除以 3 得约 $-0.145$",
               "$e^{-0.145} \\approx 0.865$", "$\\ln 0.7 \\approx -0.357$", "$-0.145 > -0.357$，现在是甲更高")


CAL_P = [Fraction(x) for x in ("0.95", "0.90", "0.85", "0.80", "0.70", "0.60", "0.55", "0.40", "0.30", "0.10")]
ALPHA = Fraction(1, 5)

# option probabilities (A, B, C, D) and the right option of the five new questions
TEST = [
    (("0.50", "0.35", "0.10", "0.05"), "B"),
    (("0.85", "0.08", "0.05", "0.02"), "A"),
    (("0.40", "0.32", "0.20", "0.08"), "C"),
    (("0.60", "0.25", "0.11", "0.04"), "A"),
    (("0.45", "0.45", "0.05", "0.05"), "B"),
]


def rank(n: int, alpha: Fraction) -> int:
    """ceil((n+1)(1-alpha)), the rank of the calibration score taken as the threshold."""
    return math.ceil((n + 1) * (1 - alpha))


def threshold(scores, alpha):
    k = rank(len(scores), alpha)
    return math.inf if k > len(scores) else sorted(scores)[k - 1]


def prediction_set(probs, q):
    return {opt for opt, p in zip("ABCD", probs) if 1 - Fraction(p) <= q}


def test_split_conformal_threshold():
    scores = [1 - p for p in CAL_P]
    assert [float(s) for s in sorted(scores)] == [0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.45, 0.6, 0.7, 0.9]
    assert (11 * (1 - ALPHA)) == Fraction(44, 5)  # 8.8
    assert rank(10, ALPHA) == 9
    # the quantile level k/n = 9/10 is above 1 - alpha = 0.8
    assert Fraction(rank(10, ALPHA), 10) == Fraction(9, 10) > 1 - ALPHA
    q = threshold(scores, ALPHA)
    assert q == Fraction("0.70")
    # nine of the ten calibration scores are at most the threshold
    assert sum(s <= q for s in scores) == 9
    page_shows(PAGE, "得到 0.05、0.10、0.15、0.20、0.30、0.40、0.45、0.60、0.70、0.90",
               "$(n+1)(1-\\alpha) = 11 \\times 0.8 = 8.8$，向上取整得 $k = 9$，对应的分位数水平是 $9/10 = 0.9$",
               "第 9 小的分数是 0.70，所以 $\\hat q = 0.70$",
               "$1 - \\hat p \\le 0.70$ 等价于 $\\hat p \\ge 0.30$")


def test_split_conformal_sets_coverage_and_size():
    q = threshold([1 - p for p in CAL_P], ALPHA)
    sets = [prediction_set(probs, q) for probs, _ in TEST]
    assert sets == [{"A", "B"}, {"A"}, {"A", "B"}, {"A"}, {"A", "B"}]
    covered = [truth in s for s, (_, truth) in zip(sets, TEST)]
    assert covered == [True, True, False, True, True]
    assert Fraction(sum(covered), 5) == Fraction(4, 5)
    sizes = [len(s) for s in sets]
    assert Fraction(sum(sizes), 5) == Fraction(8, 5)
    upper = 1 - ALPHA + Fraction(1, 11)
    assert round(float(upper), 3) == 0.891
    # with no ties the coverage is exactly k/(n+1): the test score's rank among n+1 is uniform
    exact = Fraction(rank(10, ALPHA), 11)
    assert exact == Fraction(9, 11) and round(float(exact), 3) == 0.818 and 1 - ALPHA <= exact <= upper
    page_shows(PAGE, "| 1 | 0.50, 0.35, 0.10, 0.05 | B | {A, B} | 是 | 2 |",
               "| 2 | 0.85, 0.08, 0.05, 0.02 | A | {A} | 是 | 1 |",
               "| 3 | 0.40, 0.32, 0.20, 0.08 | C | {A, B} | 否 | 2 |",
               "| 4 | 0.60, 0.25, 0.11, 0.04 | A | {A} | 是 | 1 |",
               "| 5 | 0.45, 0.45, 0.05, 0.05 | B | {A, B} | 是 | 2 |",
               "实际覆盖 $4/5 = 0.8$；平均集合大小 $(2+1+2+1+2)/5 = 8/5 = 1.6$",
               "至多是 $0.8 + 1/11 \\approx 0.891$",
               "覆盖恰好是 $k/(n+1) = 9/11 \\approx 0.818$")


def test_too_few_calibration_questions():
    alpha = Fraction(1, 20)
    assert 11 * (1 - alpha) == Fraction("10.45")
    assert rank(10, alpha) == 11 > 10
    assert threshold([1 - p for p in CAL_P], alpha) == math.inf
    # the smallest n whose rank does not exceed n
    assert min(n for n in range(1, 100) if rank(n, alpha) <= n) == 19
    page_shows(PAGE, "$(n+1)(1-\\alpha) = 11 \\times 0.95 = 10.45$，向上取整得 11，超过了 $n = 10$",
               "即 $n \\ge 19$：至少要 19 道校准题")


CONF = (0.98, 0.95, 0.92, 0.90, 0.85, 0.80, 0.70, 0.60, 0.55, 0.40)
RIGHT = (True, True, True, True, False, True, True, False, False, False)


def selective(tau):
    answered = [r for c, r in zip(CONF, RIGHT) if c >= tau]
    return len(answered), sum(answered)


def test_risk_coverage_points():
    assert list(CONF) == sorted(CONF, reverse=True)
    for tau, n, right, acc, risk in ((0.40, 10, 6, "0.60", "0.40"), (0.60, 8, 6, "0.75", "0.25"),
                                     (0.85, 5, 4, "0.80", "0.20")):
        assert selective(tau) == (n, right)
        assert Fraction(right, n) == Fraction(acc) and 1 - Fraction(right, n) == Fraction(risk)
    # among the first 8 the wrong answers are ranks 5 and 8; among the first 5 only rank 5
    assert [i + 1 for i, r in enumerate(RIGHT[:8]) if not r] == [5, 8]
    assert [i + 1 for i, r in enumerate(RIGHT[:5]) if not r] == [5]
    # a perfect ranking puts the six right answers first: 5 of 5 at 50 % coverage
    assert sum(sorted(RIGHT, reverse=True)[:5]) == 5
    page_shows(PAGE, "答对 6 道，准确率 $6/10 = 0.60$，风险 0.40",
               "答对 6 道，准确率 $6/8 = 0.75$，风险 0.25",
               "准确率 $4/5 = 0.80$，风险 0.20",
               "准确率是 $5/5 = 1.00$", "前 8 道里答错的是第 5、8 名")


def test_brier_penalty():
    # Brier score (q - z)^2 for a wrong answer (z = 0) reported with q = 0.9 and q = 0.2
    assert round((0.9 - 0) ** 2, 2) == 0.81
    assert round((0.2 - 0) ** 2, 2) == 0.04
    page_shows(PAGE, "答错时报 $q = 0.9$，要扣 $0.81$；答错时报 $q = 0.2$，只扣 $0.04$")
