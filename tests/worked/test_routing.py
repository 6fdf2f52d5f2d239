"""Worked numbers of docs/efficiency/routing.md, recomputed from their formulas.

Both examples use illustrative prices and accuracies that the page marks as assumed (no paper's
table): a two-stage cascade, E[C] = c_S + p c_L and A = (1 - p) a_S|kept + p a_L|escalated, with
its break-even escalation rate; and the area-under-the-curve metric of RouteLLM's official
evaluation code (routellm/evals/evaluate.py: trapezoid AUC over the strong-call fraction,
normalised between the all-weak and all-strong lines) with the strong-call fraction needed to
recover 80% of the gap. Each test asserts the page shows what it computed.
"""

from __future__ import annotations

import math

from worked.pages import page_shows

ROUTING = "efficiency/routing.md"

# Illustrative prices, US dollars per 1,000 answers, and the escalation rate.
C_S, C_L, P = 0.5, 10.0, 0.3
# Illustrative conditional accuracies.
A_S_KEPT, A_L_ESC, A_L_KEPT, A_S_ESC = 0.90, 0.80, 0.92, 0.40


def cascade_cost(p: float) -> float:
    """Every query pays the small model; the escalated fraction also pays the large one."""
    return C_S + p * C_L


def router_cost(q: float) -> float:
    """A router calls exactly one model: the large one for a fraction q of the queries."""
    return (1 - q) * C_S + q * C_L


def test_the_price_ratio():
    assert C_L / C_S == 20
    page_shows(ROUTING, "$c_S = 0.5$、$c_L = 10$", r"$10 \div 0.5 = 20$", "$p = 0.3$")


def test_cascade_cost_and_saving():
    cost = cascade_cost(P)
    assert math.isclose(cost, 3.5)
    share = cost / C_L
    assert math.isclose(share, 0.35) and math.isclose(1 - share, 0.65)
    page_shows(ROUTING, r"$\mathbb{E}[C] = 0.5 + 0.3 \times 10 = 3.5$ 美元/千次",
               r"$3.5 \div 10 = 35\%$，省下 65%")


def test_cascade_accuracy_against_both_models():
    kept = (1 - P) * A_S_KEPT
    escalated = P * A_L_ESC
    cascade = kept + escalated
    assert math.isclose(kept, 0.63) and math.isclose(escalated, 0.24) and math.isclose(cascade, 0.87)
    page_shows(ROUTING, r"$A = 0.7 \times 0.90 + 0.3 \times 0.80$，即 $0.63 + 0.24 = 0.87$")

    large_only = (1 - P) * A_L_KEPT + P * A_L_ESC
    assert math.isclose((1 - P) * A_L_KEPT, 0.644) and math.isclose(large_only, 0.884)
    gap = large_only - cascade
    assert math.isclose(gap, 0.014) and math.isclose(gap, (1 - P) * (A_L_KEPT - A_S_KEPT))
    page_shows(ROUTING, r"$0.7 \times 0.92 + 0.3 \times 0.80$，即 $0.644 + 0.24 = 0.884$",
               r"$0.884 - 0.87 = 0.014$，即 1.4 个百分点")
    # the shared escalated term (0.3 x 0.80 = 0.24) cancels; what is left is the kept share's gap
    assert math.isclose(A_L_KEPT - A_S_KEPT, 0.02) and math.isclose((1 - P) * 0.02, 0.014)
    page_shows(ROUTING, r"$0.24$ 这一项相同，相减时消去",
               r"$0.7 \times (0.92 - 0.90)$，即 $0.7 \times 0.02 = 0.014$")

    small_only = kept + P * A_S_ESC
    assert math.isclose(P * A_S_ESC, 0.12) and math.isclose(small_only, 0.75)
    assert math.isclose(cascade_cost(P) - C_S, 3.0) and round((cascade - small_only) * 100) == 12
    assert math.isclose(cascade - small_only, 0.12)
    page_shows(ROUTING, r"$0.63 + 0.3 \times 0.40 = 0.63 + 0.12 = 0.75$",
               r"级联多花 $3.5 - 0.5 = 3$ 美元/千次，换来 $0.87 - 0.75 = 0.12$，即 12 个百分点的准确率")


def test_break_even_escalation_rate():
    p_star = 1 - C_S / C_L
    assert math.isclose(p_star, 0.95)
    assert math.isclose(cascade_cost(p_star), C_L)  # at p* the cascade costs what the large model does
    page_shows(ROUTING, r"$c_S + p \, c_L < c_L$", r"$p < 1 - c_S / c_L$",
               r"$p^{*} = 1 - 0.5 / 10 = 0.95$", "升级率超过 95%")
    page_shows(ROUTING, r"$0.5 + 0.95 \times 10 = 10$ 美元，正好和只用大模型一样")


def test_router_at_the_same_fraction():
    cost = router_cost(P)
    assert math.isclose((1 - P) * C_S, 0.35) and math.isclose(cost, 3.35)
    diff = cascade_cost(P) - cost
    assert math.isclose(diff, 0.15) and math.isclose(diff, P * C_S)
    page_shows(ROUTING, r"$0.7 \times 0.5 + 0.3 \times 10$，即 $0.35 + 3 = 3.35$ 美元",
               r"比级联少 $3.5 - 3.35 = 0.15$", r"$p \, c_S = 0.3 \times 0.5$")


# The evaluation example: weak 0.70, strong 0.90, the router at 0.86 with half the calls strong.
WEAK, STRONG, MID = 0.70, 0.90, 0.86


def trapezoid(xs: list[float], ys: list[float]) -> float:
    return sum((x1 - x0) * (y0 + y1) / 2 for x0, x1, y0, y1 in zip(xs, xs[1:], ys, ys[1:]))


def interp(y: float, ys: list[float], xs: list[float]) -> float:
    """The x at which the piecewise-linear curve through (xs, ys), ys increasing, reaches y."""
    for x0, x1, y0, y1 in zip(xs, xs[1:], ys, ys[1:]):
        if y0 <= y <= y1:
            return x0 + (x1 - x0) * (y - y0) / (y1 - y0)
    raise ValueError(y)


def test_auc_and_apgr():
    xs = [0.0, 0.5, 1.0]
    auc = trapezoid(xs, [WEAK, MID, STRONG])
    assert math.isclose(0.5 * (WEAK + MID) / 2, 0.39) and math.isclose(0.5 * (MID + STRONG) / 2, 0.44)
    assert math.isclose(auc, 0.83)
    weak_auc, strong_auc = trapezoid(xs, [WEAK] * 3), trapezoid(xs, [STRONG] * 3)
    apgr = (auc - weak_auc) / (strong_auc - weak_auc)
    assert math.isclose(apgr, 0.65)
    page_shows(ROUTING, r"$0.5 \times (0.70 + 0.86) / 2 = 0.39$", r"$0.5 \times (0.86 + 0.90) / 2 = 0.44$",
               r"合计 $0.39 + 0.44 = 0.83$",
               r"$(0.83 - 0.70) \div (0.90 - 0.70)$，即 $0.13 \div 0.20 = 0.65$")
    random_auc = trapezoid(xs, [WEAK, (WEAK + STRONG) / 2, STRONG])
    assert math.isclose(random_auc, 0.80)
    assert math.isclose((random_auc - weak_auc) / (strong_auc - weak_auc), 0.5)
    assert math.isclose(weak_auc, 0.70) and math.isclose(strong_auc, 0.90)
    page_shows(ROUTING, r"$0.70 \times 1 = 0.70$ 和 $0.90 \times 1 = 0.90$")
    assert math.isclose(STRONG - WEAK, 0.20)
    page_shows(ROUTING, r"准确率是 $0.70 + 0.20 \, q$，其中 0.20 是强弱两个模型的准确率之差")
    page_shows(ROUTING, r"$(0.70 + 0.90) / 2 = 0.80$", r"APGR $= (0.80 - 0.70) \div 0.20 = 0.5$")


def test_cost_at_matched_quality():
    target = WEAK + 0.8 * (STRONG - WEAK)
    assert math.isclose(target, MID)
    # the strong-call fraction at which each curve reaches the target, by linear interpolation
    router_q = interp(target, [WEAK, MID, STRONG], [0.0, 0.5, 1.0])
    random_q = (target - WEAK) / (STRONG - WEAK)
    assert math.isclose(router_q, 0.5) and math.isclose(random_q, 0.8)
    assert math.isclose(target - WEAK, 0.16) and math.isclose(0.16 / (STRONG - WEAK), random_q)
    page_shows(ROUTING, r"$0.70 + 0.20 \, q = 0.86$", r"$q = 0.16 \div 0.20 = 0.8$")
    page_shows(ROUTING, "这个路由器在强模型比例 50% 时就达到了；随机路由要 80%")
    page_shows(ROUTING, r"$(1 - q) \times 0.5 + q \times 10$")
    router, rand = router_cost(router_q), router_cost(random_q)
    assert math.isclose(router, 5.25) and math.isclose(rand, 8.1)
    saving = 1 - router / rand
    assert f"{saving:.1%}" == "35.2%"
    page_shows(ROUTING, r"$0.70 + 0.8 \times 0.20 = 0.86$",
               r"$0.5 \times 0.5 + 0.5 \times 10 = 5.25$ 美元", r"$0.2 \times 0.5 + 0.8 \times 10 = 8.1$ 美元",
               r"$1 - 5.25 \div 8.1 \approx 35.2\%$")
