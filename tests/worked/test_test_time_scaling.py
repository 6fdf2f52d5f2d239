"""Worked numbers of docs/knowledge/test-time-scaling.md, recomputed from their formulas.

pass@k = 1 - (1 - p)^k for independent samples; the unbiased estimator of Chen et al. (2021);
majority voting over two-answer problems as a binomial tail; the 2N FLOPs per generated token
rule of docs/foundations/scaling-laws.md with Llemma's 7B and 34B sizes (Wu et al. 2024). The
per-problem success probabilities are the page's own illustrative assumptions.
"""

from __future__ import annotations

import math

from worked.pages import page_shows

TTS = "knowledge/test-time-scaling.md"
PS = (0.5, 0.05, 0.005, 0.0005)
KS = (1, 10, 100, 1000, 10000)


def pass_at_k(p: float, k: int) -> float:
    return 1 - (1 - p) ** k


def coverage(k: int) -> float:
    return sum(pass_at_k(p, k) for p in PS) / len(PS)


def vote(n: int, p: float) -> float:
    """Majority vote over n samples (n odd) with two answers: at least (n+1)/2 correct."""
    return sum(math.comb(n, j) * p**j * (1 - p) ** (n - j) for j in range((n + 1) // 2, n + 1))


def test_the_four_problem_table():
    rows = {1: "| 1 | 0.5 | 0.05 | 0.005 | 0.0005 |"}
    for k in KS[1:]:
        cells = " | ".join(f"{pass_at_k(p, k):.5f}" for p in PS)
        rows[k] = f"| {k} | {cells} |"
    for k in KS:
        page_shows(TTS, f"{rows[k]} {coverage(k):.4f} |")
    # the k = 1 coverage worked as the average of the four columns
    assert math.isclose(sum(PS), 0.5555)
    page_shows(TTS, r"$(0.5 + 0.05 + 0.005 + 0.0005)/4$", rf"$0.5555/4 \approx {coverage(1):.4f}$")


def test_the_worked_cells_and_the_decade_steps():
    assert f"{0.95 ** 10:.5f}" == "0.59874"
    page_shows(TTS, r"$1 - 0.95^{10} = 1 - 0.59874 = 0.40126$",
               rf"$1 - 0.995^{{100}} \approx {pass_at_k(0.005, 100):.5f}$",
               rf"$1 - 0.9995^{{1000}} \approx {pass_at_k(0.0005, 1000):.5f}$",
               rf"$1 - e^{{-0.5}} \approx {1 - math.exp(-0.5):.4f}$")
    # the three rows worked through each have one problem with kp = 0.5, and for small p
    # (1 - p)^k is close to e^{-kp}; the k = 1 row (p = 0.5) is the one where it is not
    page_shows(TTS, r"这三行里各有一道题满足 $kp = 0.5$", r"$(1 - p)^k \approx e^{-kp}$")
    for p, k in ((0.05, 10), (0.005, 100), (0.0005, 1000)):
        assert k * p == 0.5 or math.isclose(k * p, 0.5)
        assert abs(pass_at_k(p, k) - (1 - math.exp(-0.5))) < 0.01
    assert abs(pass_at_k(0.5, 1) - (1 - math.exp(-0.5))) > 0.1
    # why (1 - p)^k ~ e^{-kp}: ln(1 - p) ~ -p for small p
    assert abs(math.log(1 - 0.0005) + 0.0005) < 1e-6
    page_shows(TTS, r"$(1 - p)^k = e^{k \ln(1 - p)}$", r"$\ln(1 - p) \approx -p$")
    steps = [round(coverage(b), 4) - round(coverage(a), 4) for a, b in zip(KS, KS[1:])]
    page_shows(TTS, f"$0.3635 - 0.1389 = {steps[0]:.4f}$")
    page_shows(TTS, "依次增加 " + "、".join(f"{s:.4f}" for s in steps[:3]),
               f"最后一行只增加了 {steps[3]:.4f}")


def test_the_unbiased_estimator():
    n, c, k = 100, 2, 10
    ratio = math.comb(n - c, k) / math.comb(n, k)
    assert math.isclose(ratio, (90 * 89) / (100 * 99))
    page_shows(TTS, r"\frac{90 \times 89}{100 \times 99} = \frac{8010}{9900}",
               f"\\approx {ratio:.5f}", f"$1 - {ratio:.5f} = {1 - ratio:.5f}$",
               f"$1 - 0.98^{{10}} = 1 - {0.98 ** 10:.5f} = {1 - 0.98 ** 10:.5f}$")
    # the cancellation the page works through: 90!/88! and 98!/100!
    assert math.factorial(90) // math.factorial(88) == 90 * 89
    assert math.factorial(100) // math.factorial(98) == 100 * 99
    assert math.comb(98, 10) == math.factorial(98) // (math.factorial(10) * math.factorial(88))
    page_shows(TTS, r"$90!/88! = 90 \times 89$", r"$98!/100! = 1/(100 \times 99)$")
    assert math.comb(n - 0, k) / math.comb(n, k) == 1  # c = 0: the estimate is 0 for every k
    # "多半一次也采不到": the fourth problem (p = 0.0005) with n = 100 samples gives c = 0 with
    # probability (1 - p)^n ~ 0.951, so its estimate is 0 most of the time but not always
    assert 0.5 < (1 - 0.0005) ** n < 1
    page_shows(TTS, rf"$0.9995^{{100}} \approx {(1 - 0.0005) ** n:.3f}$")
    page_shows(TTS, "多半一次也采不到正确答案", "多半一个正确样本也采不到，测出来的覆盖率就是 0")


def test_voting_plateaus_while_coverage_grows():
    a, b = vote(9, 0.7), vote(9, 0.2)
    page_shows(TTS, f"题 A：$P(\\text{{至少 5 次对}}) \\approx {a:.5f}$",
               f"题 B：$P(\\text{{至少 5 次对}}) \\approx {b:.5f}$",
               f"$({a:.5f} + {b:.5f})/2 \\approx {(a + b) / 2:.5f}$",
               "$(0.7 + 0.2)/2 = 0.45$")
    terms = [math.comb(9, j) * 0.7**j * 0.3 ** (9 - j) for j in range(5, 10)]
    assert math.comb(9, 5) == 126 and math.isclose(sum(terms), a)
    shown = [f"{x:.5f}" for x in terms]
    assert f"{sum(float(s) for s in shown):.5f}" == f"{a:.5f}"  # the shown terms add up as shown
    page_shows(TTS, rf"$126 \times 0.7^{{5}} \times 0.3^{{4}} \approx {terms[0]:.5f}$",
               "五项依次约为 " + "、".join(shown) + f"，相加得 {a:.5f}")
    page_shows(TTS, rf"$0.3^9 \approx {0.3 ** 9:.5f}$", rf"$0.8^9 \approx {0.8 ** 9:.5f}$")
    ca, cb = pass_at_k(0.7, 9), pass_at_k(0.2, 9)
    page_shows(TTS, r"$[(1 - 0.3^9) + (1 - 0.8^9)]/2$",
               f"$({ca:.5f} + {cb:.5f})/2 \\approx {(ca + cb) / 2:.5f}$")
    page_shows(TTS, f"投票准确率约为 {(vote(99, 0.7) + vote(99, 0.2)) / 2:.5f}")


def test_the_fixed_flop_budget():
    per_token_34b, per_token_7b = 2 * 34e9, 2 * 7e9
    assert per_token_34b == 6.8e10 and per_token_7b == 1.4e10
    page_shows(TTS, r"$2 \times 34 \times 10^9 = 6.8 \times 10^{10}$", r"$1.4 \times 10^{10}$")
    samples = 8 * 34 / 7
    page_shows(TTS, f"$8 \\times 34 / 7 \\approx {samples:.2f}$", f"取整为 {math.floor(samples)} 个")
    assert math.isclose(per_token_34b / per_token_7b, 34 / 7)
    page_shows(TTS, r"$6.8 \times 10^{10} / (1.4 \times 10^{10}) = 34/7$")
    page_shows(TTS, f"$1 - 0.7^8 \\approx 1 - {0.7 ** 8:.5f} = {pass_at_k(0.3, 8):.5f}$",
               f"$1 - 0.9^{{38}} \\approx 1 - {0.9 ** 38:.5f} = {pass_at_k(0.1, 38):.5f}$")
