"""Worked numbers of docs/text/social-simulation.md, recomputed.

All answer distributions and answers are invented for illustration (the page says so).
The representativeness score follows Santurkar et al. (ICML 2023) as the official code computes
it (github.com/tatsu-lab/opinions_qa, helpers.py at 612e5c15): the 1-Wasserstein distance between
two answer distributions over the options' ordinal values, divided by the largest possible
distance (N - 1 for ordinals 1..N), subtracted from 1. Normalised accuracy follows Park et al.
(2024): the agent's agreement with a participant divided by the participant's agreement with
their own answers two weeks later. The spread is the population standard deviation (divide by n).
"""

from __future__ import annotations

from fractions import Fraction as F
from math import isclose, sqrt

from worked.pages import page_shows

PAGE = "text/social-simulation.md"

REAL = tuple(F(x, 100) for x in (10, 20, 30, 40))
SIM_A = tuple(F(x, 100) for x in (5, 15, 60, 20))
SIM_B = tuple(F(x, 100) for x in (40, 20, 30, 10))


def total_variation(p, q):
    return sum(abs(a - b) for a, b in zip(p, q)) / 2


def cumulative(p):
    out, run = [], F(0)
    for x in p:
        run += x
        out.append(run)
    return out


def wasserstein(p, q):
    """1-Wasserstein distance on ordinals 1..N (unit spacing): sum of |CDF differences|."""
    return sum(abs(a - b) for a, b in zip(cumulative(p)[:-1], cumulative(q)[:-1]))


def representativeness(p, q):
    return 1 - wasserstein(p, q) / (len(p) - 1)


def test_total_variation_is_the_same_for_both_samples():
    assert [abs(a - b) for a, b in zip(REAL, SIM_A)] == [F(5, 100), F(5, 100), F(30, 100), F(20, 100)]
    assert [abs(a - b) for a, b in zip(REAL, SIM_B)] == [F(30, 100), 0, 0, F(30, 100)]
    assert total_variation(REAL, SIM_A) == total_variation(REAL, SIM_B) == F(30, 100)
    # the page's second reading: the largest gap over all sets of options
    for other in (SIM_A, SIM_B):
        gaps = [abs(sum(REAL[i] - other[i] for i in range(4) if mask >> i & 1)) for mask in range(16)]
        assert max(gaps) == total_variation(REAL, other)
    page_shows(PAGE, "逐项之差的绝对值是 0.05、0.05、0.30、0.20，和为 0.60",
               r"$\mathrm{TV}(p, q) = 0.60 / 2 = 0.30$",
               "样本乙逐项之差是 0.30、0、0、0.30，和也是 0.60",
               r"$\mathrm{TV}(p, r) = 0.30$")


def test_cumulative_distributions():
    assert cumulative(REAL)[:3] == [F(10, 100), F(30, 100), F(60, 100)]
    assert cumulative(SIM_A)[:3] == [F(5, 100), F(20, 100), F(80, 100)]
    assert cumulative(SIM_B)[:3] == [F(40, 100), F(60, 100), F(90, 100)]
    assert cumulative(REAL)[3] == cumulative(SIM_A)[3] == cumulative(SIM_B)[3] == 1
    page_shows(PAGE, "真实人群：0.10，0.30，0.60", "样本甲：0.05，0.20，0.80", "样本乙：0.40，0.60，0.90")


def test_wasserstein_and_representativeness():
    assert wasserstein(REAL, SIM_A) == F(35, 100)
    assert wasserstein(REAL, SIM_B) == F(90, 100)
    assert round(float(representativeness(REAL, SIM_A)), 3) == 0.883
    assert representativeness(REAL, SIM_B) == F(70, 100)
    # the extreme: all mass on option 1 against all mass on option 4
    assert wasserstein((1, 0, 0, 0), (0, 0, 0, 1)) == 3
    assert representativeness((1, 0, 0, 0), (0, 0, 0, 1)) == 0
    page_shows(PAGE, "$W(p, q) = 0.05 + 0.10 + 0.20 = 0.35$",
               "$W(p, r) = 0.30 + 0.30 + 0.30 = 0.90$",
               "最大距离是 $N - 1 = 3$",
               "样本甲得 $1 - 0.35 / 3 = 0.883$，样本乙得 $1 - 0.90 / 3 = 0.70$",
               "距离是 3，分数是 0")


def test_normalised_accuracy():
    a_self, a_agent = F(80, 100), F(68, 100)
    b_self, b_agent = F(60, 100), F(54, 100)
    assert a_agent / a_self == F(85, 100)
    assert b_agent / b_self == F(90, 100)
    assert a_agent > b_agent and b_agent / b_self > a_agent / a_self  # the ranking flips
    page_shows(PAGE, r"$a_{\text{self}} = 0.80$", r"$a_{\text{agent}} = 0.68$",
               "归一化准确率是 $0.68 / 0.80 = 0.85$",
               r"$a_{\text{self}} = 0.60$", r"$a_{\text{agent}} = 0.54$",
               "归一化准确率是 $0.54 / 0.60 = 0.90$",
               "（0.90 对 0.85）")


def population_sd(xs):
    mean = F(sum(xs), len(xs))
    var = sum((F(x) - mean) ** 2 for x in xs) / len(xs)
    return mean, var, sqrt(var)


def test_variance_shrinkage():
    real = [1, 2, 2, 3, 3, 3, 4, 4, 5, 5]
    sim = [3, 3, 3, 3, 3, 3, 3, 3, 4, 4]
    r_mean, r_var, r_sd = population_sd(real)
    s_mean, s_var, s_sd = population_sd(sim)
    assert sum(real) == sum(sim) == 32 and r_mean == s_mean == F(32, 10)
    assert [(F(x) - r_mean) ** 2 for x in (1, 2, 3, 4, 5)] == [F(484, 100), F(144, 100), F(4, 100),
                                                              F(64, 100), F(324, 100)]
    assert r_var * 10 == F(156, 10) and r_var == F(156, 100)
    assert round(r_sd, 3) == 1.249
    assert s_var * 10 == F(160, 100) and s_var == F(16, 100) and isclose(s_sd, 0.4)
    assert round(0.4 / round(r_sd, 3), 2) == 0.32 and round(s_sd / r_sd, 2) == 0.32
    assert round(float(s_var / r_var), 2) == 0.10  # 「约十分之一」
    page_shows(PAGE, r"平均值 $\bar{x} = 3.2$", "1 对应 4.84", "两个 2 各 1.44，共 2.88",
               "三个 3 各 0.04，共 0.12", "两个 4 各 0.64，共 1.28", "两个 5 各 3.24，共 6.48",
               "合计 15.6，除以 10 得方差 1.56", r"标准差 $\sqrt{1.56} \approx 1.249$",
               "八个 3 各 0.04，共 0.32", "合计 1.60，方差 0.16，标准差 0.4",
               r"$0.4 / 1.249 \approx 0.32$", "方差只剩约十分之一",
               r"$0.16 / 1.56 \approx 0.10$")
