"""Worked numbers of docs/text/machine-text-detection.md, recomputed from their formulas.

The DetectGPT score follows the official code (github.com/eric-mitchell/detect-gpt, run.py):
the perturbation discrepancy is the original log-likelihood minus the mean over the perturbed
texts, and the normalised score divides it by ``np.std`` of the perturbed ones (population
standard deviation, divisor n). The AUROC bound is the one plotted as 'Best Possible' in the
Sadasivan et al. repository (impossibility/roc_bound.py): 1/2 + TV - TV^2/2. The last test is
plain arithmetic on detection counts. Each test asserts the page shows what it computed.
"""

from __future__ import annotations

import math
from fractions import Fraction

from worked.pages import fmt_int, page_shows

PAGE = "text/machine-text-detection.md"


def detectgpt(original: float, perturbed: list[float]) -> tuple[float, float, float]:
    """(discrepancy d, population std of the perturbed log-likelihoods, normalised d / std)."""
    n = len(perturbed)
    mean = sum(perturbed) / n
    std = math.sqrt(sum((p - mean) ** 2 for p in perturbed) / n)
    d = original - mean
    return d, std, d / std


def test_detectgpt_machine_text():
    perturbed = [-2.40, -2.20, -2.50, -2.10, -2.30]
    assert math.isclose(sum(perturbed), -11.50)
    d, std, z = detectgpt(-2.00, perturbed)
    assert math.isclose(d, 0.30) and math.isclose(std**2, 0.02)
    assert f"{std:.4f}" == "0.1414" and f"{z:.2f}" == "2.12"
    page_shows(PAGE, "$(-2.40 - 2.20 - 2.50 - 2.10 - 2.30)/5 = -11.50/5 = -2.30$",
               "$d = -2.00 - (-2.30) = 0.30$",
               "$0.01 + 0.01 + 0.04 + 0.04 + 0 = 0.10$",
               "方差为 $0.10/5 = 0.02$，标准差 $\\tilde{\\sigma} = \\sqrt{0.02} \\approx 0.1414$",
               "$\\hat{d} = 0.30 / 0.1414 \\approx 2.12$")


def test_detectgpt_human_text():
    perturbed = [-2.20, -2.00, -2.30, -1.90, -2.10]
    assert math.isclose(sum(perturbed), -10.50)
    d, std, z = detectgpt(-2.05, perturbed)
    assert math.isclose(d, 0.05) and f"{std:.4f}" == "0.1414"
    assert f"{0.05 / 0.1414:.2f}" == f"{z:.2f}" == "0.35"
    page_shows(PAGE, "$-10.50/5 = -2.10$；扰动差异 $d = -2.05 - (-2.10) = 0.05$",
               "$\\hat{d} = 0.05 / 0.1414 \\approx 0.35$",
               "分数是 2.12 对 0.35")
    # the raw log-probabilities differ by only 0.05
    assert math.isclose(-2.00 - (-2.05), 0.05)
    page_shows(PAGE, "两段原文的对数概率只差 0.05（$-2.00$ 对 $-2.05$）")
    # text A's perturbations fall 0.30 on average, text B's only 0.05; a threshold of 1 separates them
    d_a, _, z_a = detectgpt(-2.00, [-2.40, -2.20, -2.50, -2.10, -2.30])
    assert f"{d_a:.2f}" == "0.30" and f"{d:.2f}" == "0.05"
    assert z_a > 1 > z
    page_shows(PAGE, "A 掉了 0.30，B 只掉了 0.05", "阈值取 1 时，A 判为机器生成，B 判为人写")


def auroc_bound(tv: float) -> float:
    return 0.5 + tv - tv**2 / 2


def test_auroc_upper_bound():
    assert math.isclose(auroc_bound(0.5), 0.875)
    assert math.isclose(auroc_bound(0.2), 0.68)
    assert math.isclose(auroc_bound(0.1), 0.595)
    assert auroc_bound(0.0) == 0.5 and auroc_bound(1.0) == 1.0
    page_shows(PAGE, "$0.5 + 0.5 - 0.25/2 = 0.875$", "$0.5 + 0.2 - 0.04/2 = 0.68$",
               "$0.5 + 0.1 - 0.01/2 = 0.595$")


def test_precision_of_flagged_essays():
    machine, human = 100, 900
    assert machine + human == 1000
    tp = machine * Fraction(9, 10)
    fp = human * Fraction(1, 100)
    assert (tp, fp) == (90, 9)
    precision = tp / (tp + fp)
    assert f"{float(precision):.1%}" == "90.9%"
    # one in 11 flagged essays is a student's own
    assert fp / (tp + fp) == Fraction(1, 11)
    page_shows(PAGE, f"{fmt_int(machine + human)} 篇作文", "$100 \\times 0.9 = 90$", "$900 \\times 0.01 = 9$",
               "$90 / (90 + 9) = 90/99 \\approx 90.9\\%$", "每 11 篇被标记的作文里约有 1 篇")
    fp_half = human * Fraction(1, 2)
    assert fp_half == 450
    precision_half = tp / (tp + fp_half)
    assert precision_half == Fraction(1, 6) and f"{float(precision_half):.1%}" == "16.7%"
    page_shows(PAGE, "$900 \\times 0.5 = 450$", "$90 / (90 + 450) = 1/6 \\approx 16.7\\%$", "每 6 篇只有 1 篇")


def test_paper_numbers_shown_as_the_papers_give_them():
    # abstract figures quoted on the page (DetectGPT, Fast-DetectGPT, Binoculars, DIPPER)
    page_shows(PAGE, "0.81 提高到 0.95", "约 75%", "约 340 倍", "0.01% 的误报率下检出九成以上",
               "从 70.3% 降到 4.6%", "80% 到 97%", "1,500 万条")
    # Liang et al. (official README, Figure 2a): self-edited ChatGPT-3.5 essays
    page_shows(PAGE, "七个检测器的检出率也从最高 100% 降到最高 13%")
    # Baidya et al. corpus sizes
    page_shows(PAGE, "23,363 对", "15,000 对")


def test_fast_detectgpt_relative_improvement():
    # Official README of github.com/baoguangsheng/fast-detect-gpt (commit 971b052), 'Brief Intro'
    # table: averaged AUROC, DetectGPT vs Fast-DetectGPT, 'relative↑ 74.7%' (white-box, 5 models)
    # and 'relative↑ 76.1%' (black-box, ChatGPT/GPT-4). Relative = gain / (1 - old AUROC).
    def relative(old: float, new: float) -> float:
        return (new - old) / (1 - old)

    white = relative(0.9554, 0.9887)
    black = relative(0.7225, 0.9338)
    assert f"{white:.1%}" == "74.7%" and f"{black:.1%}" == "76.1%"
    assert f"{1 - 0.9554:.4f}" == "0.0446" and f"{1 - 0.9887:.4f}" == "0.0113"
    assert f"{0.9887 - 0.9554:.4f}" == "0.0333" and f"{0.0333 / 0.0446:.1%}" == "74.7%"
    assert f"{0.9338 - 0.7225:.4f}" == "0.2113" and f"{1 - 0.7225:.4f}" == "0.2775"
    assert f"{0.2113 / 0.2775:.1%}" == "76.1%"
    # both close to three quarters of the gap to a perfect AUROC
    assert abs(white - 0.75) < 0.02 and abs(black - 0.75) < 0.02
    page_shows(PAGE, "AUROC 离满分 1 的差距缩小了约四分之三",
               "$1 - 0.9554 = 0.0446$", "只差 0.0113",
               "$(0.9887 - 0.9554)/0.0446 = 0.0333/0.0446 \\approx 74.7\\%$",
               "两者分别为 0.7225 和 0.9338",
               "$(0.9338 - 0.7225)/(1 - 0.7225) = 0.2113/0.2775 \\approx 76.1\\%$")


def test_liang_toefl_false_positive_rates():
    # Official data of Liang et al. (github.com/Weixin-Liang/ChatGPT-Detector-Bias at 1d05ed8,
    # Data_and_Results/Human_Data/TOEFL_real_91/<detector>.json): essays with score > 0.5 flagged as
    # AI-generated, per detector (Crossplag, GPTZero, HFOpenAI, OriginalityAI, Quil, Sapling, ZeroGPT).
    flagged = [47, 47, 53, 69, 68, 62, 44]
    essays = 91
    rates = [Fraction(k, essays) for k in flagged]
    mean = sum(rates) / len(rates)
    assert mean == Fraction(390, 637) and f"{float(mean):.2%}" == "61.22%"
    assert float(mean) > 0.5 and f"{float(min(rates)):.0%}" == "48%"
    page_shows(PAGE, "91 篇非英语母语者的 TOEFL 作文", "平均把约 61% 的作文误判为 AI 生成",
               "误判最少的一个也有 48%")
    # ChatGPT-3.5 college essays (GPT_Data/CollegeEssay_gpt3_31 and ..._gpt3PromptEng_31, 31 each):
    # detection before and after the self-edit prompt, most sensitive detector in each case
    before = [18, 31, 18, 13, 18, 23, 31]
    after = [0, 4, 0, 0, 0, 0, 3]
    assert max(before) == 31 and f"{max(after) / 31:.0%}" == "13%"
    page_shows(PAGE, "从最高 100% 降到最高 13%")
