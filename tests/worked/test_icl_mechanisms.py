"""Worked numbers of docs/foundations/icl-mechanisms.md, recomputed.

Both examples use illustrative values that the page states as such: a two-concept posterior
(prior 0.5 each, each demonstration 0.8 likely under one concept and 0.2 under the other) and
one-dimensional least squares on the points (1, 2), (2, 5), (3, 6) with learning rate 0.2 and
query x = 4. The loss is L(w) = 1/(2N) * sum (w x_i - y_i)^2, as the page defines it.
"""

from __future__ import annotations

from fractions import Fraction as F

from worked.pages import page_shows

PAGE = "foundations/icl-mechanisms.md"

PRIOR = (F(1, 2), F(1, 2))
LIK = (F(8, 10), F(2, 10))
XS = (1, 2, 3)
YS = (2, 5, 6)
ETA = F(2, 10)
XQ = 4


def posterior(k: int) -> F:
    """p(theta_1 | k demonstrations) by Bayes' rule."""
    a = PRIOR[0] * LIK[0] ** k
    b = PRIOR[1] * LIK[1] ** k
    return a / (a + b)


def grad(w: F) -> F:
    """dL/dw = 1/N * sum (w x_i - y_i) x_i."""
    return sum(((w * x - y) * x for x, y in zip(XS, YS)), F(0)) / len(XS)


def test_posterior_odds_table():
    ratio = LIK[0] / LIK[1]
    assert ratio == 4 and PRIOR[0] / PRIOR[1] == 1
    rows = []
    for k in (1, 2, 3):
        odds = ratio ** k
        p = posterior(k)
        assert p == odds / (odds + 1)
        rows.append((k, int(odds), p))
    assert rows[0][2] == F(4, 5)
    page_shows(PAGE, "0.8 / 0.2 = 4", "0.5 / 0.5 = 1",
               "| 1 | 4 | 4 / 5 = 0.8 |",
               f"| 2 | 16 | 16 / 17 ≈ {float(rows[1][2]):.3f} |",
               f"| 3 | 64 | 64 / 65 ≈ {float(rows[2][2]):.3f} |")


def test_posterior_full_bayes_check():
    num = PRIOR[0] * LIK[0] ** 3
    other = PRIOR[1] * LIK[1] ** 3
    assert (num, other, num + other) == (F(256, 1000), F(4, 1000), F(26, 100))
    n, o, d = (f"{float(v):g}" for v in (num, other, num + other))
    page_shows(PAGE, f"$0.5 \\times 0.8^3 = {n}$", f"${n} + 0.5 \\times 0.2^3 = {n} + {o} = {d}$",
               f"${n} / {d} \\approx {float(num / (num + other)):.3f}$")
    assert num / (num + other) == posterior(3) == F(64, 65)


def test_one_gradient_step():
    g0 = grad(F(0))
    assert sum(x * y for x, y in zip(XS, YS)) == 30 and g0 == -10
    w1 = 0 - ETA * g0
    assert w1 == 2 and w1 * XQ == 8
    page_shows(PAGE, "$\\nabla L(0) = -\\frac{1}{3}(2 \\times 1 + 5 \\times 2 + 6 \\times 3) = -\\frac{30}{3} = -10$",
               "$w_1 = 0 - 0.2 \\times (-10) = 2$", "$\\hat{y}_q = 2 \\times 4 = 8$")


def test_attention_form_gives_the_same_prediction():
    dots = [x * XQ for x in XS]
    assert dots == [4, 8, 12]
    weighted = sum(y * d for y, d in zip(YS, dots))
    assert weighted == 120
    pred = ETA / len(XS) * weighted
    assert pred == 0 - ETA * grad(F(0)) * XQ == 8
    page_shows(PAGE, "$1 \\times 4 = 4$、$2 \\times 4 = 8$、$3 \\times 4 = 12$",
               "$2 \\times 4 + 5 \\times 8 + 6 \\times 12 = 8 + 40 + 72 = 120$",
               "$120 \\times 0.2 / 3 = 8$")


def test_least_squares_and_second_step():
    w_star = F(sum(x * y for x, y in zip(XS, YS)), sum(x * x for x in XS))
    assert w_star == F(30, 14)
    page_shows(PAGE, f"30 / 14 \\approx {float(w_star):.3f}", f"4 \\times 30 / 14 \\approx {float(XQ * w_star):.3f}")
    w1 = F(2)
    residuals = [w1 * x - y for x, y in zip(XS, YS)]
    assert residuals == [0, -1, 0]
    g1 = grad(w1)
    assert g1 == F(-2, 3)
    w2 = w1 - ETA * g1
    page_shows(PAGE, "$2 - 2 = 0$、$4 - 5 = -1$、$6 - 6 = 0$",
               f"-\\frac{{2}}{{3}} \\approx {float(g1):.3f}",
               f"$w_2 = 2 + 0.2 \\times \\frac{{2}}{{3}} \\approx {float(w2):.3f}$",
               f"$4 \\times w_2 \\approx {float(XQ * w2):.3f}$", f"更接近 {float(XQ * w_star):.3f}")
    assert abs(XQ * w2 - XQ * w_star) < abs(XQ * w1 - XQ * w_star)
