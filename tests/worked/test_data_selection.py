"""Worked numbers of docs/text/data-selection.md, recomputed.

The per-token losses of the IFD example and the three gradient-feature vectors of the
LESS example are invented (the page says so). IFD is the mean per-token loss of the
answer given the instruction divided by the mean per-token loss of the answer alone
(Li et al., NAACL 2024). The storage estimate is an illustrative setting: N examples,
d projected dimensions, 2 bytes per 16-bit value, one checkpoint, decimal GB.
The AlpaGasus figures (52k rated, about 9k kept; 80 and 14 minutes) are from the
paper's abstract (refs.bib chen2023alpagasus).
"""

from __future__ import annotations

from fractions import Fraction
from math import sqrt

from worked.pages import fmt_int, page_shows

PAGE = "text/data-selection.md"


def mean(xs):
    return sum(Fraction(str(x)) for x in xs) / len(xs)


def ifd(with_q, without_q):
    lq, l0 = mean(with_q), mean(without_q)
    return lq, l0, lq / l0


def test_ifd_sample_a():
    with_q, without_q = (0.9, 0.5, 0.3, 0.7), (2.1, 1.4, 0.9, 1.6)
    lq, l0, score = ifd(with_q, without_q)
    assert sum(Fraction(str(x)) for x in with_q) == Fraction("2.4")
    assert sum(Fraction(str(x)) for x in without_q) == Fraction("6.0")
    assert (lq, l0, score) == (Fraction("0.6"), Fraction("1.5"), Fraction("0.4"))
    page_shows(PAGE, "0.9、0.5、0.3、0.7", "2.1、1.4、0.9、1.6",
               "(0.9 + 0.5 + 0.3 + 0.7) / 4 = 2.4 / 4 = 0.6",
               "(2.1 + 1.4 + 0.9 + 1.6) / 4 = 6.0 / 4 = 1.5",
               "\\mathrm{IFD} = 0.6 / 1.5 = 0.4")
    # 「指令把甲的损失压低了六成」: 1 - 0.6 / 1.5 = 0.6
    assert 1 - lq / l0 == Fraction("0.6")
    assert (l0 - lq) / l0 == Fraction("0.9") / Fraction("1.5") == Fraction("0.6")
    page_shows(PAGE, "从 1.5 降到 0.6，压低了六成（$0.9 / 1.5 = 0.6$）")


def test_ifd_sample_b():
    with_q, without_q = (1.2, 1.0, 1.1, 1.3), (1.3, 1.1, 1.2, 1.4)
    lq, l0, score = ifd(with_q, without_q)
    assert sum(Fraction(str(x)) for x in with_q) == Fraction("4.6")
    assert sum(Fraction(str(x)) for x in without_q) == Fraction("5.0")
    assert (lq, l0, score) == (Fraction("1.15"), Fraction("1.25"), Fraction("0.92"))
    page_shows(PAGE, "1.2、1.0、1.1、1.3", "1.3、1.1、1.2、1.4",
               "(1.2 + 1.0 + 1.1 + 1.3) / 4 = 4.6 / 4 = 1.15",
               "(1.3 + 1.1 + 1.2 + 1.4) / 4 = 5.0 / 4 = 1.25",
               "\\mathrm{IFD} = 1.15 / 1.25 = 0.92", "从 1.25 降到 1.15")


def test_ifd_ranking():
    a = ifd((0.9, 0.5, 0.3, 0.7), (2.1, 1.4, 0.9, 1.6))
    b = ifd((1.2, 1.0, 1.1, 1.3), (1.3, 1.1, 1.2, 1.4))
    assert a[1] > b[1]      # A's unconditioned loss is higher (1.5 > 1.25) ...
    assert b[2] > a[2]      # ... yet B ranks first by IFD
    page_shows(PAGE, "甲不给指令时的损失（1.5）比样本乙（1.25）还高", "乙排在甲前面")


V = (1, 2, 2)
G = {1: (2, 1, 2), 2: (4, 0, -3), 3: (0, 6, 8)}


def norm(u):
    return sqrt(sum(x * x for x in u))


def dot(u, w):
    return sum(x * y for x, y in zip(u, w))


def test_cosine_example():
    assert norm(V) == 3
    page_shows(PAGE, "\\mathbf{v} = (1, 2, 2)", "\\sqrt{1 + 4 + 4} = 3")
    expected = {1: (3, 8, "8 / (3 \\times 3) = 8/9 \\approx 0.889"),
                2: (5, -2, "-2 / (5 \\times 3) = -2/15 \\approx -0.133"),
                3: (10, 28, "28 / (10 \\times 3) = 28/30 \\approx 0.933")}
    cos = {}
    for i, (n, d, shown) in expected.items():
        assert norm(G[i]) == n and dot(G[i], V) == d
        cos[i] = d / (n * norm(V))
        page_shows(PAGE, shown)
    assert round(cos[1], 3) == 0.889 and round(cos[2], 3) == -0.133 and round(cos[3], 3) == 0.933
    page_shows(PAGE, "\\sqrt{4 + 1 + 4} = 3", "2 \\times 1 + 1 \\times 2 + 2 \\times 2 = 8", "\\sqrt{16 + 0 + 9} = 5",
               "4 \\times 1 + 0 \\times 2 + (-3) \\times 2 = -2", "\\sqrt{0 + 36 + 64} = 10", "0 \\times 1 + 6 \\times 2 + 8 \\times 2 = 28")
    assert sorted(cos, key=cos.get, reverse=True) == [3, 1, 2]
    page_shows(PAGE, "排序是样本三、样本一、样本二")
    assert round(cos[3] - cos[1], 3) == 0.044
    page_shows(PAGE, "两者只差 $0.933 - 0.889 = 0.044$")


def test_gradient_storage():
    n, d, bytes_per_value = 200_000, 8_192, 2
    total = n * d * bytes_per_value
    assert total == 3_276_800_000
    page_shows(PAGE, f"N = {fmt_int(n)}", f"d = {fmt_int(d)}",
               f"{fmt_int(n)} \\times {fmt_int(d)} \\times 2 = {fmt_int(total)}",
               f"\\approx {total / 1e9:.2f}\\ \\text{{GB}}")


def test_alpagasus_figures():
    page_shows(PAGE, "52k 条", "约 9k 条", "从 80 分钟降到 14 分钟")


def test_deita_sample_count():
    page_shows(PAGE, "6,000 条监督微调数据")


def test_pool_sizes():
    # The main pools of AlpaGasus and IFD: Alpaca has 52,002 samples and IFD's WizardLM data is
    # WizardLM70K (IFD paper, section 3.1). Both are smaller than the 100k-200k pools that
    # ivison2025largescale names as the usual test setting (its abstract).
    alpaca, wizardlm = 52_002, 70_000
    assert alpaca // 1000 == 52 and wizardlm // 1000 == 70
    assert max(alpaca, wizardlm) < 100_000
    page_shows(PAGE, "52k 条的 Alpaca", "70k 条的 WizardLM", "从十万到二十万条的候选池里挑一万条左右")
