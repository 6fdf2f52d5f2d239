"""Worked numbers of docs/knowledge/continual-learning.md, recomputed from their formulas.

The accuracy table is invented for the example; the EWC penalty is Eq. 3 of Kirkpatrick et al.
(lambda/2 times the Fisher value times the squared distance to the old solution); the replay
ratio and token counts are the example's assumptions; training compute uses the usual 6ND.
Each test asserts the page shows what it computed.
"""

from __future__ import annotations

import math

from worked.pages import fmt_int, page_shows

CL = "knowledge/continual-learning.md"

# accuracy[k][j]: after training on the k-th task, accuracy on task j (None: not yet learnt)
ACC = {"A": {"A": 80}, "B": {"A": 82, "B": 85}, "C": {"A": 60, "B": 70, "C": 90}}
ORDER = ["A", "B", "C"]


def average_accuracy(stage: str) -> float:
    row = ACC[stage]
    return sum(row.values()) / len(row)


def forgetting(stage: str, task: str) -> int:
    k = ORDER.index(stage)
    best = max(ACC[s][task] for s in ORDER[:k] if task in ACC[s])
    return best - ACC[stage][task]


def test_table_rows():
    page_shows(CL, "| A | 80 | — | — |", "| B | 82 | 85 | — |", "| C | 60 | 70 | 90 |")


def test_after_stage_b():
    assert average_accuracy("B") == 83.5 and forgetting("B", "A") == -2
    page_shows(CL, "$A_2 = (82 + 85) / 2 = 83.5$", "$f_{2,A} = 80 - 82 = -2$", "涨了 2 个点")


def test_after_stage_c():
    a3 = average_accuracy("C")
    assert sum(ACC["C"].values()) == 220 and f"{a3:.1f}" == "73.3"
    fa, fb = forgetting("C", "A"), forgetting("C", "B")
    assert (fa, fb) == (22, 15)
    assert max(ACC[s]["A"] for s in ("A", "B")) == 82  # the best earlier score, not the first one
    f3 = (fa + fb) / 2
    assert f3 == 18.5
    page_shows(CL, f"$A_3 = (60 + 70 + 90) / 3 = 220 / 3 \\approx {a3:.1f}$",
               f"$f_{{3,A}} = 82 - 60 = {fa}$", f"$f_{{3,B}} = 85 - 70 = {fb}$",
               f"$F_3 = (22 + 15) / 2 = {f3}$", "从 83.5 降到 73.3")


# EWC example: old solution 1.0 for both parameters, Fisher 5.0 and 0.1, lambda = 2;
# task B's loss (theta - 2)^2 for each parameter.
THETA_A, FISHER, LAM, TARGET = 1.0, (5.0, 0.1), 2.0, 2.0


def test_ewc_penalty_and_pull():
    shift = 1.0
    pen = [LAM / 2 * f * shift**2 for f in FISHER]
    assert pen == [5.0, 0.1] and math.isclose(sum(pen), 5.1) and math.isclose(pen[0] / pen[1], 50)
    pull = [LAM * f * shift for f in FISHER]
    assert math.isclose(pull[0], 10) and math.isclose(pull[1], 0.2)
    # the derivative of lam/2 F (theta - theta_A)^2 is lam F (theta - theta_A), taken at theta = 2.0
    page_shows(CL, "结果是 $\\lambda F_i (\\theta_i - \\theta^*_{A,i})$", "两个参数都在 2.0")
    page_shows(CL, "$1 \\times 5.0 \\times 1.0^2 = 5.0$", "$1 \\times 0.1 \\times 1.0^2 = 0.1$", "合计 5.1",
               "是参数 2 的 50 倍", "$2 \\times 5.0 \\times 1.0 = 10$", "$2 \\times 0.1 \\times 1.0 = 0.2$")


def test_ewc_equilibrium():
    for f, num, den, value, moved in ((5.0, "14", "12", "1.167", "16.7"), (0.1, "4.2", "2.2", "1.909", "90.9")):
        lf = LAM * f
        # d/dtheta [(theta-2)^2 + lam/2 F (theta-1)^2] = 0  ->  theta = (2*TARGET + lf*THETA_A) / (2 + lf)
        theta = (2 * TARGET + lf * THETA_A) / (2 + lf)
        assert math.isclose(theta, (4 + lf) / (2 + lf))
        assert math.isclose(2 * (theta - TARGET) + lf * (theta - THETA_A), 0, abs_tol=1e-12)
        fraction = (theta - THETA_A) / (TARGET - THETA_A)
        assert math.isclose(fraction, 2 / (2 + lf))
        assert f"{theta:.3f}" == value and f"{100 * fraction:.1f}" == moved
        i = 1 if f == 5.0 else 2
        assert f"{4 + lf:g}" == num and f"{2 + lf:g}" == den
        # the fraction moved, 2 / (2 + lambda F), as the page writes it
        assert f"{100 * 2 / (2 + lf):.1f}" == moved
        page_shows(CL, f"$2/{den} \\approx {moved}\\%$")
        page_shows(CL, f"$\\lambda F_{i} = 2 \\times {f} = {lf:g}$",
                   f"$\\theta_{i} = (4 + {lf:g}) / (2 + {lf:g}) = {num} / {den} \\approx {value}$", f"{moved}\\%")
    # the algebra between the zero-derivative condition and the solution, and the fraction moved
    page_shows(CL, "$2\\theta_i - 4 + \\lambda F_i \\theta_i - \\lambda F_i = 0$",
               "$(2 + \\lambda F_i)\\,\\theta_i = 4 + \\lambda F_i$",
               "\\frac{4 + \\lambda F_i}{2 + \\lambda F_i} - 1 = \\frac{2}{2 + \\lambda F_i}\n$$")


def test_replay_cost():
    new, r, params, old = 100e9, 0.10, 7e9, 1000e9
    total = new / (1 - r)
    replay = total - new
    assert f"{total / 1e9:.1f}" == "111.1" and f"{replay / 1e9:.1f}" == "11.1"
    assert f"{100 * replay / new:.1f}" == "11.1"
    flops = 6 * params * replay
    assert f"{flops:.2e}" == "4.67e+20"
    assert f"{6 * 7 * 11.11 / 100:.2f}" == "4.67"  # the rounded factors shown on the page give the same
    coefficient = 6 * 7 * 11.11
    assert f"{coefficient:.1f}" == "466.6" and f"{coefficient / 100:.2f}" == "4.67"
    page_shows(CL, "$6 \\times 7 \\times 11.11 \\approx 466.6$", "$10^9 \\times 10^9 = 10^{18}$",
               "$466.6 \\times 10^{18} \\approx 4.67 \\times 10^{20}$")
    # fixed budget: the same 100B tokens in all, of which r go to replay
    budget = new
    assert math.isclose(budget * r, 10e9) and math.isclose(budget * (1 - r), 90e9)
    page_shows(CL, "回放占去 10B", "少看 10B 个新词元")
    retrain = old + new
    assert fmt_int(int(retrain / 1e9)) == "1,100" and f"{100 * total / retrain:.1f}" == "10.1"
    assert f"{111.1 / 1100:.3f}" == "0.101"
    page_shows(CL, "$111.1 / 1{,}100 \\approx 0.101$")
    page_shows(CL, "\\frac{100}{0.9} \\approx 111.1\\text{B}", "100/9 \\approx 11.1$B", "多花的比例是 $11.1 / 100$，约 11.1%",
               "\\approx 4.67 \\times 10^{20}", "只能用 90B", "共 1,100B 个词元", "约为重训的 10.1%")
