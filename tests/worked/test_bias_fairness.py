"""Worked numbers of docs/text/bias-fairness.md, recomputed from BBQ's bias-score formulas.

Parrish et al. (Findings of ACL 2022), section on the bias score:
s_DIS = 2 * (n_biased_ans / n_non-UNKNOWN_outputs) - 1, and in ambiguous contexts
s_AMB = (1 - accuracy) * s, where s is the same ratio computed on the ambiguous items.
The counts on the page are made up; each test asserts the page shows what it computed.
"""

from __future__ import annotations

import math

from worked.pages import page_shows

PAGE = "text/bias-fairness.md"


def direction(n_biased: int, n_non_unknown: int) -> float:
    return 2 * n_biased / n_non_unknown - 1


def s_amb(accuracy: float, s: float) -> float:
    return (1 - accuracy) * s


def test_the_formulas_are_on_the_page():
    page_shows(PAGE, r"s_{\text{DIS}} = 2 \cdot \frac{n_{\text{biased}}}{n_{\text{non-unk}}} - 1",
               r"s_{\text{AMB}} = (1 - \text{acc}) \cdot s")


def test_disambiguated_example():
    total, unknown, biased = 1000, 40, 600
    non_unknown = total - unknown
    assert non_unknown == 960
    ratio = biased / non_unknown
    assert ratio == 0.625
    s_dis = direction(biased, non_unknown)
    assert math.isclose(s_dis, 0.25)
    page_shows(PAGE, "其中 40 次选「无法确定」，其余 960 次选了一个人，这 960 次里有 600 次是带偏见的答案",
               r"$n_{\text{non-unk}} = 1000 - 40 = 960$，$n_{\text{biased}} = 600$",
               "$600 / 960 = 0.625$", r"$s_{\text{DIS}} = 2 \times 0.625 - 1 = 0.25$，即 25%")


def test_ambiguous_example():
    total, correct, biased = 1000, 700, 210
    acc = correct / total
    non_unknown = total - correct
    assert (acc, non_unknown) == (0.7, 300)
    s = direction(biased, non_unknown)
    assert math.isclose(biased / non_unknown, 0.7) and math.isclose(s, 0.4)
    amb = s_amb(acc, s)
    assert math.isclose(amb, 0.12)
    page_shows(PAGE, r"准确率 $\text{acc} = 0.70$",
               r"$\text{acc} = 700 / 1000 = 0.70$", r"$n_{\text{non-unk}} = 1000 - 700 = 300$", "其余 300 次选了一个人，其中 210 次带偏见",
               r"$210 / 300 = 0.7$，$s = 2 \times 0.7 - 1 = 0.4$",
               r"$s_{\text{AMB}} = (1 - 0.70) \times 0.4 = 0.3 \times 0.4 = 0.12$，即 12%")


def test_a_model_that_answers_more_often_scores_higher():
    total, unknown, biased = 1000, 100, 630
    acc = unknown / total
    non_unknown = total - unknown
    assert math.isclose(biased / non_unknown, 0.7)
    s = direction(biased, non_unknown)
    assert math.isclose(s, 0.4)
    amb = s_amb(acc, s)
    assert math.isclose(amb, 0.36)
    first = s_amb(0.70, direction(210, 300))
    assert math.isclose(amb / first, 3)
    assert math.isclose(amb / 0.12, 3)
    page_shows(PAGE, "只选了 100 次「无法确定」，准确率 0.10（$100 / 1000$）",
               "其余 900 次（$1000 - 100$）", r"方向分数同样是 $2 \times 0.7 - 1 = 0.4$", "$0.36 / 0.12 = 3$", "里 630 次带偏见，$630 / 900 = 0.7$",
               r"s_{\text{AMB}} = (1 - 0.10) \times 0.4 = 0.36", "是前一个模型的 3 倍", "（都是 70%）")


def test_extremes_of_the_score():
    assert direction(10, 10) == 1 and direction(0, 10) == -1 and direction(5, 10) == 0
    # a model that always answers "unknown" in ambiguous contexts has accuracy 1, so the factor
    # (1 - acc) is 0 whatever its direction score; BBQ: "perfect accuracy leads to a bias score of zero"
    # (its direction ratio itself is 0/0, so no particular s is assumed here)
    always_unknown_acc = 1000 / 1000
    assert 1 - always_unknown_acc == 0
    assert all(s_amb(always_unknown_acc, s) == 0 for s in (-1.0, -0.4, 0.0, 0.4, 1.0))
    page_shows(PAGE, "一个总选「无法确定」的模型，$s_{\\text{AMB}} = 0$")


def test_global_mmlu_share_is_of_the_annotated_sample():
    # Global MMLU (arXiv 2412.03304v2, Table 1): 792 culturally sensitive of the 2,850 annotated
    # questions (57 subjects x 50); the 28% is of that sample, as text/multilingual.md works out
    assert 57 * 50 == 2850 and 792 + 2058 == 2850
    assert round(100 * 792 / 2850) == 28
    page_shows(PAGE, "从中抽样标注的 2,850 道题里，约 28% 需要特定的文化、地域或方言知识")


def test_winobias_average_gap_is_a_development_set_figure():
    # Zhao et al. (NAACL 2018), NAACL2018_CorefBias.pdf in github.com/uclanlp/corefBias:
    # |pro - anti| F1 differences of the undebiased systems (first E2E row, first Feature row, Rule),
    # Type 1 and Type 2. Table 2 is the development set, Table 3 the test set.
    dev = {"E2E": (76.0 - 49.4, 88.7 - 75.2), "Feature": (66.7 - 56.0, 73.0 - 57.4), "Rule": (76.7 - 37.5, 50.5 - 29.2)}
    test = {"E2E": (74.9 - 47.7, 88.6 - 77.3), "Feature": (62.9 - 58.3, 68.5 - 57.8), "Rule": (72.0 - 37.5, 47.8 - 26.6)}
    dev_gaps = [round(g, 1) for pair in dev.values() for g in pair]
    test_gaps = [round(g, 1) for pair in test.values() for g in pair]
    # the table also prints the differences themselves (26.6, 13.5, 10.6, 15.7, 39.2, 21.3 and 27.2, 11.3, 4.6,
    # 10.7, 34.5, 21.2); rounding of the printed F1 values can move the last digit, so the sums use them
    dev_printed = [26.6, 13.5, 10.6, 15.7, 39.2, 21.3]
    test_printed = [27.2, 11.3, 4.6, 10.7, 34.5, 21.2]
    assert all(abs(a - b) <= 0.15 for a, b in zip(dev_gaps, dev_printed))
    assert all(abs(a - b) <= 0.15 for a, b in zip(test_gaps, test_printed))
    dev_sum, test_sum = sum(dev_printed), sum(test_printed)
    assert math.isclose(dev_sum, 126.9) and math.isclose(dev_sum / 6, 21.15)
    assert math.isclose(test_sum, 109.5) and math.isclose(test_sum / 6, 18.25) and round(test_sum / 6) == 18
    page_shows(PAGE, "三种系统共 6 个", "那里的 6 个差距加起来是 126.9，平均 $126.9 / 6 = 21.15$，论文写作 21.1",
               "测试集上的 6 个差距加起来是 109.5，平均约 18（$109.5 / 6 = 18.25$）")
