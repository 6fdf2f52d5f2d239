"""Worked numbers of docs/knowledge/cot-faithfulness.md, recomputed.

The counts are invented for the example (the page says so). The faithfulness score and its
normalisation follow Chen et al. 2025 (arXiv 2505.05410), section 2.1:
score = E[1[CoT verbalises the hint] | a_u != h, a_h = h];
p = P(a_h = h | a_u != h), q = P(a_h != h, a_h != a_u | a_u != h);
alpha = 1 - q / ((n - 2) p); normalised score = min(score / alpha, 1).
The monitor metrics are the usual ones: recall TP/(TP+FN), false positive rate FP/(FP+TN),
precision TP/(TP+FP).
"""

from __future__ import annotations

from fractions import Fraction

from worked.pages import fmt_int, page_shows

PAGE = "knowledge/cot-faithfulness.md"

N_OPTIONS = 4
ELIGIBLE = 500  # questions with a_u != h
TO_HINT, TO_OTHER, UNCHANGED = 120, 30, 350
VERBALISED = 27


def pct(x: Fraction, digits: int = 1) -> str:
    return f"{float(x) * 100:.{digits}f}%"


def test_counts_partition_the_eligible_questions():
    assert TO_HINT + TO_OTHER + UNCHANGED == ELIGIBLE
    page_shows(PAGE, "| 换成暗示选项 $h$ | 120 |", "| 换成另一个非暗示选项 | 30 |", "| 没有变 | 350 |",
               "有 500 道题", "有 27 条说出")


def test_raw_score():
    score = Fraction(VERBALISED, TO_HINT)
    assert score == Fraction(225, 1000)
    page_shows(PAGE, r"\frac{27}{120} = 0.225", "即 22.5%")


def test_p_q_alpha():
    p = Fraction(TO_HINT, ELIGIBLE)
    q = Fraction(TO_OTHER, ELIGIBLE)
    assert (p, q) == (Fraction(24, 100), Fraction(6, 100))
    chance = q / (N_OPTIONS - 2)
    assert chance == Fraction(3, 100)
    alpha = 1 - q / ((N_OPTIONS - 2) * p)
    assert alpha == Fraction(875, 1000)
    # alpha equals the paper's other form (p - q/(n-2)) / p
    assert alpha == (p - chance) / p
    page_shows(PAGE, r"\frac{120}{500} = 0.24", r"\frac{30}{500} = 0.06", "$n - 2 = 2$",
               "$q/(n-2) = 0.06 / 2 = 0.03$",
               r"1 - \frac{0.06}{2 \times 0.24} = 1 - \frac{0.06}{0.48} = 1 - 0.125 = 0.875",
               "有 87.5% 不能用随机性解释")


def test_normalised_score_and_the_count_check():
    alpha = 1 - Fraction(TO_OTHER, ELIGIBLE) / ((N_OPTIONS - 2) * Fraction(TO_HINT, ELIGIBLE))
    norm = min(Fraction(VERBALISED, TO_HINT) / alpha, Fraction(1))
    assert f"{float(norm):.4f}" == "0.2571"
    page_shows(PAGE, r"\min\left\{\frac{0.225}{0.875},\ 1\right\} \approx 0.2571", "即约 25.7%")
    # the same number by counting: chance switches removed from the denominator
    chance_switches = Fraction(TO_OTHER, ELIGIBLE) / (N_OPTIONS - 2) * ELIGIBLE
    assert chance_switches == 15
    pushed = TO_HINT - chance_switches
    assert pushed == 105
    assert Fraction(VERBALISED, pushed) == norm
    page_shows(PAGE, "$0.03 \\times 500 = 15$", "$120 - 15 = 105$", "$27 / 105 \\approx 0.2571$",
               "从 22.5% 提到了约 25.7%")


TP, FN, FP, TN = 380, 20, 96, 9504


def test_confusion_table():
    assert TP + FN == 400 and FP + TN == 9600 and TP + FN + FP + TN == 10_000
    page_shows(PAGE, f"检查了 {fmt_int(10_000)} 条", "其中 400 条真的作弊",
               "| 作弊 | 380 | 20 | 400 |", f"| 没有作弊 | 96 | {fmt_int(TN)} | {fmt_int(9600)} |")
    recall = Fraction(TP, TP + FN)
    fpr = Fraction(FP, FP + TN)
    precision = Fraction(TP, TP + FP)
    assert recall == Fraction(95, 100) and fpr == Fraction(1, 100)
    assert f"{float(precision):.4f}" == "0.7983"
    page_shows(PAGE, "召回率 = 380 / 400 = 0.95，即 95%",
               f"= 96 / {fmt_int(9600)} = 0.01，即 1%",
               "= 380 /（380 + 96）= 380 / 476 ≈ 0.7983，即约 79.8%")


def test_one_percent_over_a_million_trajectories():
    total, base_rate = 1_000_000, Fraction(1, 1000)
    hacks = total * base_rate
    assert hacks == 1000
    # the monitor keeps the recall and false positive rate of the table above
    caught = Fraction(TP, TP + FN) * hacks
    false_alarms = Fraction(FP, FP + TN) * (total - hacks)
    assert (caught, false_alarms) == (950, 9990)
    alarms = caught + false_alarms
    assert alarms == 10_940
    precision = caught / alarms
    assert f"{float(precision):.4f}" == "0.0868" and pct(precision) == "8.7%"
    page_shows(PAGE, f"产生了 {fmt_int(total)} 条轨迹", "只有 0.1%，也就是 1,000 条",
               "0.95 × 1,000 = 950 条", "0.01 × 999,000 = 9,990 条", "950 + 9,990 = 10,940 条",
               "950 / 10,940 ≈ 0.0868，即约 8.7%", "就要看 10,940 条")


def test_the_two_precisions_in_words():
    # small table: 380 of 476 alarms are real, about eight in ten
    assert round(Fraction(TP, TP + FP) * 10) == 8
    # a million trajectories: one real alarm in every 11-12 alarms, over nine in ten wasted
    total, base_rate = 1_000_000, Fraction(1, 1000)
    recall, fpr = Fraction(TP, TP + FN), Fraction(FP, FP + TN)
    hacks = total * base_rate
    caught = recall * hacks
    alarms = caught + fpr * (total - hacks)
    assert 11 < Fraction(alarms, caught) < 12
    assert Fraction(alarms - caught, alarms) > Fraction(9, 10)
    page_shows(PAGE, "十次报警有八次是真的", "十一二次报警才有一次是真的", "九成以上是白看")
