"""Worked numbers of docs/knowledge/deep-research.md, recomputed from their formulas.

The citation example's n, p and e are set by the page for illustration, except p = 0.77,
the top of the 39-77 % fact-check range that Onweller et al. (2026) report. The BrowseComp
human-trainer counts (1,255 attempted, 367 solved, 317 correct) are the paper's as summarised
in the refs.bib provenance; the cost example's 2,000 and 200 tokens per call and the
128,000-token window are illustrative, its 150 tool calls the 2026 study's deepest setting.
Each test asserts the page shows what it computed.
"""

from __future__ import annotations

import math

from worked.pages import fmt_int, page_shows

DR = "knowledge/deep-research.md"
N = 40  # cited claims in the example report


def all_correct(p: float, n: int = N) -> float:
    """Chance that n independent citations, each right with probability p, are all right."""
    return p ** n


def missed(n: int, e: int, m: int) -> float:
    """Chance that m citations drawn at random from n, e of them wrong, are all right."""
    return math.comb(n - e, m) / math.comb(n, m)


def test_formulas_are_on_the_page():
    page_shows(DR, r"P_{\text{全对}} = p^{n}", r"\mathbb{E}[\text{错误条数}] = n\,(1 - p)",
               r"\prod_{i=0}^{e-1} \frac{n - m - i}{n - i}")


def test_all_correct_and_expected_errors():
    page_shows(DR, "取 $n = 40$。")
    # p = 0.9: 4 wrong on average, 1.5 % all right
    assert math.isclose(N * (1 - 0.9), 4)
    assert f"{all_correct(0.9):.4f}" == "0.0148" and f"{all_correct(0.9):.1%}" == "1.5%"
    page_shows(DR, r"平均引错 $40 \times 0.1 = 4$ 条；全对的概率 $0.9^{40} \approx 0.0148$，约 1.5%。")
    # p = 0.99
    assert math.isclose(N * (1 - 0.99), 0.4)
    assert f"{all_correct(0.99):.3f}" == "0.669" and f"{all_correct(0.99):.1%}" == "66.9%"
    page_shows(DR, r"平均引错 $40 \times 0.01 = 0.4$ 条；全对的概率 $0.99^{40} \approx 0.669$，约 66.9%。")
    # p = 0.77
    assert math.isclose(N * (1 - 0.77), 9.2)
    mantissa, exponent = f"{all_correct(0.77):.2e}".split("e")
    assert (mantissa, int(exponent)) == ("2.88", -5)
    page_shows(DR, r"平均引错 $40 \times 0.23 = 9.2$ 条；全对的概率 $0.77^{40} \approx 2.88 \times 10^{-5}$")


def test_accuracy_needed_for_ninety_percent():
    p = 0.9 ** (1 / N)
    assert f"{p:.5f}" == "0.99737"
    assert all_correct(p) >= 0.9 - 1e-12 and all_correct(0.9973) < 0.9
    assert round(1 / (1 - 0.99737)) == 380
    page_shows(DR, r"$p \ge 0.9^{1/40} \approx 0.99737$", r"$1 / (1 - 0.99737) \approx 380$")


def test_ninety_against_ninety_nine():
    # 99 % -> 90 % per citation: all-correct falls from 66.9 % to 1.5 %, about 45 times
    ratio = all_correct(0.99) / all_correct(0.9)
    assert 40 < ratio < 50 and round(0.669 / 0.0148) == 45
    page_shows(DR, "单条准确率从 99% 降到 90%，整份全对的概率就从约 66.9% 跌到约 1.5%，相差四十多倍",
               r"$0.669 / 0.0148 \approx 45$")


def test_spot_check():
    n, e = N, 4
    assert math.isclose(N * (1 - 0.9), e)  # the p = 0.9 report's average
    # the product form equals the ratio of binomials
    for m in range(n - e + 1):
        prod = math.prod((n - m - i) / (n - i) for i in range(e))
        assert math.isclose(prod, missed(n, e, m))
    num, den = 35 * 34 * 33 * 32, 40 * 39 * 38 * 37
    assert (num, den) == (1_256_640, 2_193_360)
    assert math.isclose(num / den, missed(n, e, 5))
    assert f"{missed(n, e, 5):.3f}" == "0.573" and f"{1 - missed(n, e, 5):.3f}" == "0.427"
    page_shows(DR, rf"\frac{{{fmt_int(num)}}}{{{fmt_int(den)}}} \approx 0.573",
               r"$1 - 0.573 = 0.427$，即 42.7%")
    assert math.isclose(30 * 29 * 28 * 27 / den, missed(n, e, 10))
    assert f"{missed(n, e, 10):.3f}" == "0.300" and f"{1 - missed(n, e, 10):.1%}" == "70.0%"
    page_shows(DR, r"\frac{30 \times 29 \times 28 \times 27}{40 \times 39 \times 38 \times 37} \approx 0.300$，发现错误的概率约 70.0%")
    # the smallest m that finds an error with probability >= 90 %
    m_min = next(m for m in range(n + 1) if 1 - missed(n, e, m) >= 0.9)
    assert m_min == 17
    assert f"{1 - missed(n, e, 16):.1%}" == "88.4%" and f"{1 - missed(n, e, 17):.1%}" == "90.3%"
    assert m_min / n > 0.4
    page_shows(DR, "抽 16 条时约 88.4%，抽 17 条时约 90.3%。所以要抽 17 条，超过总数的四成。")


def test_browsecomp_human_trainers():
    attempted, solved, correct = 1255, 367, 317
    assert f"{solved / attempted:.1%}" == "29.2%" and f"{correct / solved:.1%}" == "86.4%"
    page_shows(DR, r"$367 / 1{,}255 \approx 29.2\%$", r"$317 / 367 \approx 86.4\%$")


def test_context_cost():
    calls, raw, summary, window = 150, 2000, 200, 128_000
    assert calls * raw == 300_000 and f"{calls * raw / window:.2f}" == "2.34"
    assert calls * summary == 30_000 and calls * summary <= window
    page_shows(DR, r"$150 \times 2{,}000 = 300{,}000$", r"$300{,}000 / 128{,}000 \approx 2.34$",
               r"$150 \times 200 = 30{,}000$")
