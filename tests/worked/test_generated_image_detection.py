"""Worked numbers of docs/multimodal/generated-image-detection.md, recomputed.

The detector (TPR 0.95, FPR 0.02) and the 10,000-image stream are illustrative values (the page
says so). Precision is Bayes' rule, TPR * pi / (TPR * pi + FPR * (1 - pi)), computed here both
from expected counts per 10,000 images and from the odds form (posterior odds = prior odds times
the likelihood ratio TPR / FPR); exact fractions keep the two in agreement. The last case drops
the TPR to 0.30, the page's illustration of a detector facing generators it was not trained on.
"""

from __future__ import annotations

from fractions import Fraction as F

from worked.pages import fmt_int, page_shows

PAGE = "multimodal/generated-image-detection.md"
N = 10_000
TPR = F(95, 100)
FPR = F(2, 100)


def counts(pi: F, tpr: F = TPR, fpr: F = FPR) -> dict[str, F]:
    """Expected counts per N images at base rate pi."""
    fake = N * pi
    real = N - fake
    tp, fp = fake * tpr, real * fpr
    return {"fake": fake, "real": real, "tp": tp, "fn": fake - tp, "fp": fp, "tn": real - fp,
            "flagged": tp + fp, "precision": tp / (tp + fp)}


def bayes(pi: F, tpr: F = TPR, fpr: F = FPR) -> F:
    return tpr * pi / (tpr * pi + fpr * (1 - pi))


def pct(x: F, digits: int = 1) -> str:
    """A share as the prose writes it: 32.4%."""
    return f"{float(x) * 100:.{digits}f}%"


def mpct(x: F, digits: int = 1) -> str:
    """The same share inside a formula, where TeX needs the percent sign escaped: 32.4\\%."""
    return pct(x, digits).replace("%", "\\%")


def test_base_rate_one_percent():
    c = counts(F(1, 100))
    assert (c["fake"], c["real"], c["tp"], c["fn"], c["fp"]) == (100, 9_900, 95, 5, 198)
    assert c["flagged"] == 293 and c["tn"] == 9_702
    assert c["precision"] == bayes(F(1, 100)) == F(95, 293)
    accuracy = (c["tp"] + c["tn"]) / N
    assert accuracy == F(9_797, 10_000)
    page_shows(PAGE, "$\\mathrm{TPR} = 0.95$", "$\\mathrm{FPR} = 0.02$",
               "$10{,}000 \\times 0.01 = 100$", "$10{,}000 - 100 = 9{,}900$",
               "$100 \\times 0.95 = 95$", "$100 - 95 = 5$", "$9{,}900 \\times 0.02 = 198$",
               f"$95 + 198 = 293$ 张，精确率 $95 / 293 \\approx {mpct(c['precision'])}$",
               f"$(95 + 9{{,}}702) / 10{{,}}000 = {mpct(accuracy, 2)}$", "$9{,}702 = 9{,}900 - 198$")
    assert pct(c["precision"]) == "32.4%" and pct(accuracy, 2) == "97.97%"
    always_real = c["real"] / N  # a detector that always answers "real" is right on every real photo
    assert always_real == F(99, 100)
    page_shows(PAGE, f"准确率也有 {pct(always_real, 0)}", "每标记 3 张图，大约只有 1 张真是生成的")
    assert round(c["flagged"] / c["tp"]) == 3  # 293 / 95 is about 3.1 flagged images per generated one


def test_base_rate_ten_percent():
    c = counts(F(1, 10))
    assert (c["fake"], c["real"], c["tp"], c["fp"], c["flagged"]) == (1_000, 9_000, 950, 180, 1_130)
    assert c["precision"] == bayes(F(1, 10))
    page_shows(PAGE, f"生成图 {fmt_int(int(c['fake']))} 张，真照片 {fmt_int(int(c['real']))} 张",
               "$1{,}000 \\times 0.95 = 950$", "$9{,}000 \\times 0.02 = 180$",
               f"$950 + 180 = {fmt_int(1_130)}$ 张，精确率 $950 / 1{{,}}130 \\approx {mpct(c['precision'])}$",
               f"精确率从 {pct(counts(F(1, 100))['precision'])} 升到 {pct(c['precision'])}",
               f"误报数反而从 {int(counts(F(1, 100))['fp'])} 降到 {int(c['fp'])}")
    assert pct(c["precision"]) == "84.1%"


def test_odds_form():
    lr = TPR / FPR
    assert lr == F(95, 2)
    posterior_odds = F(1, 99) * lr
    p = posterior_odds / (1 + posterior_odds)
    assert p == bayes(F(1, 100))
    page_shows(PAGE, "$\\mathrm{TPR} / \\mathrm{FPR} = 0.95 / 0.02 = 47.5$", "比值变成标记前的 47.5 倍",
               "先验比值是 $1 : 99$",
               f"$47.5 / 99 \\approx {float(posterior_odds):.3f}$",
               f"$0.480 / 1.480 \\approx {mpct(F(480, 1480))}$")
    assert f"{float(posterior_odds):.3f}" == "0.480" and pct(p) == pct(F(480, 1480)) == "32.4%"


def test_fpr_needed_for_ninety_percent_precision():
    c = counts(F(1, 100))
    max_fp = c["tp"] * (1 - F(9, 10)) / F(9, 10)  # precision 0.9 -> FP <= TP / 9
    assert max_fp == F(95, 9)
    fpr_needed = max_fp / c["real"]
    assert c["tp"] / (c["tp"] + max_fp) == F(9, 10)
    ratio = FPR / fpr_needed
    assert round(ratio) == 19
    assert F(10, 90) == F(1, 9)  # at most 10% of the flagged are real photos: FP : TP <= 10 : 90
    page_shows(PAGE, "$10 : 90 = 1 : 9$", f"$95 / 9 \\approx {float(max_fp):.1f}$",
               f"$10.6 / 9{{,}}900 \\approx {float(fpr_needed) * 100:.3f}\\%$",
               "约为原来 2% 的 $1/19$")
    assert f"{float(max_fp):.1f}" == "10.6" and f"{float(fpr_needed) * 100:.3f}" == "0.107"
    assert f"{10.6 / 9_900 * 100:.3f}" == "0.107"  # the rounded count the page divides


def test_lower_detection_rate():
    c = counts(F(1, 100), tpr=F(30, 100))
    assert (c["tp"], c["fp"], c["flagged"]) == (30, 198, 228)
    page_shows(PAGE, "$100 \\times 0.30 = 30$", "$30 + 198 = 228$",
               f"精确率只有 $30 / 228 \\approx {mpct(c['precision'])}$")
    assert pct(c["precision"]) == "13.2%"
