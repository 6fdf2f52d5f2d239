"""Worked numbers of docs/knowledge/steering.md, recomputed.

The three contrast pairs, the probe (w, b) and the activations x and h are illustrative
values (the page says so). The formulas are the page's: the difference-in-means vector
v = mean(a+ - a-) = mu+ - mu- (CAA, ActAdd with one pair), activation addition x + alpha v,
a logistic probe p = sigmoid(w.x + b), and directional ablation x - (r.x) r with r = v / |v|
(Arditi et al. 2024). The 2026 figures (MMLU 66% -> 46% on Llama-8B, 87% -> 73% on
Llama-70B) are those of Sprejer et al. (arXiv 2602.04903, abstract); the page derives the
percentage-point and relative drops from them.
"""

from __future__ import annotations

import math
from fractions import Fraction
from itertools import combinations

from worked.pages import page_shows

PAGE = "knowledge/steering.md"

POSITIVE = ((3, 1, 2), (2, 2, 3), (4, 0, 1))
NEGATIVE = ((1, 0, 0), (1, 1, 0), (1, -1, 0))
W, B = (1, 0, 1), -4
X = (1, 2, 0)
H = (4, 1, 3)


def dot(a, b):
    return sum(x * y for x, y in zip(a, b))


def norm(a):
    return math.sqrt(dot(a, a))


def sigmoid(z):
    return 1 / (1 + math.exp(-z))


def diffs():
    return [tuple(p - n for p, n in zip(pos, neg)) for pos, neg in zip(POSITIVE, NEGATIVE)]


def steering_vector():
    d = diffs()
    return tuple(Fraction(sum(x[i] for x in d), len(d)) for i in range(3))


def test_difference_table_and_vector():
    assert diffs() == [(2, 1, 2), (1, 1, 3), (3, 1, 1)]
    page_shows(PAGE, "| 第 1 对 | $(3, 1, 2)$ | $(1, 0, 0)$ | $(2, 1, 2)$ |",
               "| 第 2 对 | $(2, 2, 3)$ | $(1, 1, 0)$ | $(1, 1, 3)$ |",
               "| 第 3 对 | $(4, 0, 1)$ | $(1, -1, 0)$ | $(3, 1, 1)$ |")
    v = steering_vector()
    assert v == (2, 1, 2)
    mu_pos = tuple(Fraction(sum(x[i] for x in POSITIVE), 3) for i in range(3))
    mu_neg = tuple(Fraction(sum(x[i] for x in NEGATIVE), 3) for i in range(3))
    assert mu_pos == (3, 1, 2) and mu_neg == (1, 0, 0)
    assert tuple(a - b for a, b in zip(mu_pos, mu_neg)) == v
    assert norm(v) == 3
    page_shows(PAGE, "$\\big((2+1+3)/3, (1+1+1)/3, (2+3+1)/3\\big) = (2, 1, 2)$",
               "$\\mu^{+} = (9/3, 3/3, 6/3) = (3, 1, 2)$",
               "$\\mu^{-} = (3/3, 0/3, 0/3) = (1, 0, 0)$",
               "$v = (2, 1, 2)$", "$\\lVert v\\rVert = \\sqrt{4 + 1 + 4} = 3$")


def test_cosines_between_pair_differences():
    d = diffs()
    v = steering_vector()
    assert d[0] == v
    assert dot(d[1], d[1]) == dot(d[2], d[2]) == 11
    assert f"{math.sqrt(11):.3f}" == "3.317"
    assert dot(d[1], v) == dot(d[2], v) == 9
    cos_v = [dot(x, v) / (norm(x) * norm(v)) for x in d[1:]]
    assert [f"{c:.2f}" for c in cos_v] == ["0.90", "0.90"]
    assert dot(d[1], d[2]) == 3 + 1 + 3 == 7
    assert f"{7 / 11:.2f}" == "0.64"
    pairwise = [dot(a, b) / (norm(a) * norm(b)) for a, b in combinations(d, 2)]
    assert sorted(f"{c:.2f}" for c in pairwise) == ["0.64", "0.90", "0.90"]
    assert f"{sum(pairwise) / 3:.2f}" == "0.82"
    page_shows(PAGE, "$\\sqrt{11} \\approx 3.317$", "$9 / (3 \\times 3.317) \\approx 0.90$",
               "$3 + 1 + 3 = 7$", "$\\sqrt{11} \\times \\sqrt{11} = 11$", "$7 / 11 \\approx 0.64$",
               "0.90、0.90、0.64，平均约 0.82")


def test_probe_under_activation_addition():
    v = steering_vector()
    assert dot(W, v) == 2 + 0 + 2 == 4
    rows = []
    for alpha in (0, 1, 2):
        x = tuple(a + alpha * b for a, b in zip(X, v))
        z = dot(W, x) + B
        assert z == -3 + 4 * alpha
        rows.append((x, z, sigmoid(z), norm(x)))
    (x0, z0, p0, n0), (x1, z1, p1, n1), (x2, z2, p2, n2) = rows
    assert (z0, f"{p0:.3f}") == (-3, "0.047")
    assert x1 == (3, 3, 2) and (z1, f"{p1:.3f}") == (1, "0.731")
    assert x2 == (5, 4, 4) and (z2, f"{p2:.3f}") == (5, "0.993")
    assert f"{p2 - p1:.2f}" == "0.26"
    assert [dot(x, x) for x in (x0, x1, x2)] == [5, 22, 57]
    assert [f"{n:.2f}" for n in (n0, n1, n2)] == ["2.24", "4.69", "7.55"]
    page_shows(PAGE, "$w = (1, 0, 1)$", "$b = -4$", "$x = (1, 2, 0)$",
               "$z = 1 + 0 - 4 = -3$，$p = \\sigma(-3) \\approx 0.047$",
               "$x + v = (3, 3, 2)$，$z = 3 + 2 - 4 = 1$，$p = \\sigma(1) \\approx 0.731$",
               "$x + 2v = (5, 4, 4)$，$z = 5 + 4 - 4 = 5$，$p = \\sigma(5) \\approx 0.993$",
               "$\\alpha\\, w^{\\top}v = \\alpha \\times (2 + 0 + 2) = 4\\alpha$",
               "只多了约 0.26",
               "$\\sqrt{5} \\approx 2.24$", "$\\sqrt{22} \\approx 4.69$", "$\\sqrt{57} \\approx 7.55$")


def test_directional_ablation():
    v = steering_vector()
    r = tuple(c / 3 for c in v)
    assert r == (Fraction(2, 3), Fraction(1, 3), Fraction(2, 3))
    proj = dot(r, H)
    assert proj == Fraction(8 + 1 + 6, 3) == 5
    component = tuple(proj * c for c in r)
    assert component == (Fraction(10, 3), Fraction(5, 3), Fraction(10, 3))
    ablated = tuple(h - c for h, c in zip(H, component))
    assert ablated == (Fraction(2, 3), Fraction(-2, 3), Fraction(-1, 3))
    assert dot(ablated, r) == Fraction(4, 9) - Fraction(2, 9) - Fraction(2, 9) == 0
    assert dot(H, H) == 26 and f"{math.sqrt(26):.2f}" == "5.10"
    assert dot(ablated, ablated) == 1
    assert dot(H, H) == proj ** 2 + dot(ablated, ablated)
    assert f"{proj / math.sqrt(26):.2f}" == "0.98"
    page_shows(PAGE, "$\\hat r = v / 3 = (2/3, 1/3, 2/3)$", "$h = (4, 1, 3)$",
               "$\\hat r^{\\top} h = (8 + 1 + 6) / 3 = 5$", "$5 \\hat r = (10/3, 5/3, 10/3)$",
               "$h - 5\\hat r = (4 - 10/3, 1 - 5/3, 3 - 10/3) = (2/3, -2/3, -1/3)$",
               "= 4/9 - 2/9 - 2/9 = 0$",
               "$\\tfrac{2}{3} \\cdot \\tfrac{2}{3} + \\tfrac{1}{3} \\cdot (-\\tfrac{2}{3}) + \\tfrac{2}{3} \\cdot (-\\tfrac{1}{3})",
               "$\\lVert h\\rVert = \\sqrt{16 + 1 + 9} = \\sqrt{26} \\approx 5.10$",
               "$\\sqrt{4/9 + 4/9 + 1/9} = 1$", "$26 = 5^2 + 1^2$", "减少的 25 正是沿 $\\hat r$ 的分量（长度 5）的平方",
               "$5 / \\sqrt{26} \\approx 0.98$")


def test_probe_after_ablation():
    r = tuple(Fraction(c, 3) for c in (2, 1, 2))
    ablated = (Fraction(2, 3), Fraction(-2, 3), Fraction(-1, 3))
    z_before = dot(W, H) + B
    z_after = dot(W, ablated) + B
    assert z_before == 4 + 3 - 4 == 3 and f"{sigmoid(z_before):.3f}" == "0.953"
    assert z_after == Fraction(2, 3) - Fraction(1, 3) - 4 == Fraction(-11, 3)
    assert f"{float(z_after):.2f}" == "-3.67" and f"{sigmoid(float(z_after)):.3f}" == "0.025"
    page_shows(PAGE, "$z = 4 + 3 - 4 = 3$，$p \\approx 0.953$",
               "$z = 2/3 - 1/3 - 4 = -11/3 \\approx -3.67$，$p \\approx 0.025$")
    # a probe that reads only along r would read the bias alone after ablation: not p = 0.5
    assert f"{sigmoid(B):.3f}" == "0.018"
    page_shows(PAGE, "消融后的 $p$ 并没有回到 0.5", "$z = b = -4$，$p = \\sigma(-4) \\approx 0.018$")
    # the 1/3 above the bias comes from the part of w orthogonal to r
    assert z_after - B == dot(W, ablated) == Fraction(1, 3)
    assert dot(W, r) == Fraction(2 + 0 + 2, 3) == Fraction(4, 3)
    w_par = tuple(dot(W, r) * ri for ri in r)
    assert w_par == (Fraction(8, 9), Fraction(4, 9), Fraction(8, 9))
    w_perp = tuple(wi - pi for wi, pi in zip(W, w_par))
    assert w_perp == (Fraction(1, 9), Fraction(-4, 9), Fraction(1, 9))
    assert dot(w_perp, r) == Fraction(2 - 4 + 2, 27) == 0
    assert dot(w_par, ablated) == 0
    assert dot(w_perp, ablated) == Fraction(2, 27) + Fraction(8, 27) - Fraction(1, 27) == Fraction(1, 3)
    page_shows(PAGE, "$z = -11/3$ 比 $b$ 多出 $1/3$",
               "$w^{\\top}\\hat r = (2 + 0 + 2) / 3 = 4/3$",
               "$\\tfrac{4}{3} \\hat r = (8/9, 4/9, 8/9)$",
               "$w_{\\perp} = w - (8/9, 4/9, 8/9) = (1/9, -4/9, 1/9)$",
               "$w_{\\perp}^{\\top}\\hat r = (2 - 4 + 2) / 27 = 0$",
               "$w_{\\perp}^{\\top}\\tilde h = 2/27 + 8/27 - 1/27 = 1/3$",
               "消融后 $z$ 只剩偏置 $b = -4$",
               "读数从 3 降到 $-11/3$")


def test_feature_steering_costs():
    """MMLU accuracy with Auto Steer (Sprejer et al. 2026): drops in points and relative."""
    assert 66 - 46 == 20 and f"{20 / 66:.1%}" == "30.3%"
    assert 87 - 73 == 14 and f"{14 / 87:.1%}" == "16.1%"
    # relative drops: 20/66 and 14/87 of the starting accuracy (not of the remaining one)
    assert f"{(66 - 46) / 66:.1%}" == "30.3%" and f"{(87 - 73) / 87:.1%}" == "16.1%"
    page_shows(PAGE, "从 66% 降到 46%，少了 20 个百分点，相对下降约 30.3%（20/66）",
               "从 87% 降到 73%，少了 14 个百分点，相对下降约 16.1%（14/87）",
               "评分 3.33 对提示的 2.98", "从 4.62 降到 2.24")


def test_iti_true_informative_is_a_product():
    """ITI (Li et al. 2023), Table 2, Alpaca: True*Info 32.5 -> 65.1 and True 32.7 -> 66.6 (%).

    True*Info is the product of the true rate and the informative rate (paper sec. 4.1, 'a
    product of scalar truthful and informative scores'; official code validate_2fold.py prints
    final[1] * final[0]), so the informative rate is the quotient of the two reported numbers.
    """
    true_info = {"before": 32.5, "after": 65.1}
    true = {"before": 32.7, "after": 66.6}
    info = {k: true_info[k] / true[k] for k in true}
    assert f"{info['before']:.2f}" == "0.99" and f"{info['after']:.2f}" == "0.98"
    # the reported figures are rounded to 0.1: the quotients stay in these ranges
    assert 0.99 < 32.45 / 32.75 and 32.55 / 32.65 < 1
    assert 0.97 < 65.05 / 66.65 and 65.15 / 66.55 < 0.98
    # the product doubles, and almost all of it comes from the true rate
    assert f"{true_info['after'] / true_info['before']:.2f}" == "2.00"
    assert f"{true['after'] / true['before']:.2f}" == "2.04"
    assert info["after"] < info["before"]
    page_shows(PAGE, "ITI 把这个乘积从 32.5% 提高到 65.1%，真实得分从 32.7% 提高到 66.6%",
               "$32.5 / 32.7 \\approx 0.99$", "$65.1 / 66.6 \\approx 0.98$",
               "可见乘积翻了一倍，几乎全部来自真实得分；信息量得分只略有下降")
