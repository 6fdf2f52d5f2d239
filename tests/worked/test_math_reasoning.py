"""Worked numbers of docs/knowledge/math-reasoning.md, recomputed.

Part 1: eight invented answers to one problem whose reference answer is 12; the majority
vote, the pass@k estimator of Chen et al. (2021), 1 - C(n-c, k) / C(n, k), and the biased
plug-in 1 - (1 - c/n)^k. Part 2: six invented outputs against the reference \\frac{1}{2},
judged by a strict string match, by the page's normalising rules (drop spaces, \\dfrac and
\\tfrac to \\frac, integer a/b to \\frac{a}{b}) and by a value check that reads each answer
as a rational number (standing in for a computer-algebra equivalence check).
"""

from __future__ import annotations

import re
from collections import Counter
from fractions import Fraction
from math import comb

from worked.pages import page_shows

PAGE = "knowledge/math-reasoning.md"

REFERENCE = 12
SAMPLES = (15, 12, 15, 9, 15, 20, 12, 15)


def pass_at_k(n: int, c: int, k: int) -> Fraction:
    return 1 - Fraction(comb(n - c, k), comb(n, k))


def test_majority_vote_and_pass_at_8():
    votes = Counter(SAMPLES)
    assert (votes[15], votes[12], votes[9], votes[20]) == (4, 2, 1, 1)
    page_shows(PAGE, "15 出现 4 次，12 出现 2 次，9 和 20 各 1 次，共 4 + 2 + 1 + 1 = 8 票")
    winner, _ = votes.most_common(1)[0]
    assert winner == 15 and winner != REFERENCE  # maj@8 = 0
    assert any(a == REFERENCE for a in SAMPLES)  # pass@8 of this sample set = 1
    page_shows(PAGE, "8 个里有 2 个答对")


def test_pass_at_k_estimates():
    n, c = len(SAMPLES), SAMPLES.count(REFERENCE)
    assert (n, c, n - c) == (8, 2, 6)
    assert pass_at_k(n, c, 1) == Fraction(1, 4)
    assert (comb(6, 1), comb(8, 1)) == (6, 8)
    page_shows(PAGE, r"$\binom{6}{1} / \binom{8}{1} = 6/8$")
    page_shows(PAGE, "估计值为 $1 - 6/8 = 0.25$")
    assert (comb(6, 2), comb(8, 2)) == (6 * 5 // 2, 8 * 7 // 2) == (15, 28)
    page_shows(PAGE, r"$\binom{6}{2} = \frac{6 \times 5}{2} = 15$",
               r"$\binom{8}{2} = \frac{8 \times 7}{2} = 28$")
    p2 = pass_at_k(n, c, 2)
    assert p2 == Fraction(13, 28)
    page_shows(PAGE, f"估计值为 $1 - 15/28 = 13/28 \\approx {float(p2):.3f}$")
    assert (comb(6, 4), comb(8, 4)) == (comb(6, 2), 8 * 7 * 6 * 5 // (4 * 3 * 2 * 1)) == (15, 70)
    page_shows(PAGE, r"$\binom{6}{4} = \binom{6}{2} = 15$",
               r"$\binom{8}{4} = \frac{8 \times 7 \times 6 \times 5}{4 \times 3 \times 2 \times 1} = 70$")
    p4 = pass_at_k(n, c, 4)
    assert p4 == Fraction(55, 70)
    page_shows(PAGE, f"估计值为 $1 - 15/70 = 55/70 \\approx {float(p4):.3f}$")
    assert comb(6, 8) == 0 and pass_at_k(n, c, 8) == 1
    page_shows(PAGE, r"$\binom{6}{8} = 0$，估计值为 1")


def test_plug_in_is_lower():
    n, c = len(SAMPLES), SAMPLES.count(REFERENCE)
    p1 = c / n  # the single-sample accuracy, recomputed from the eight answers
    assert p1 == 0.25
    page_shows(PAGE, f"把单次答对率 {p1} 当真值代入", f"每次都以 {p1} 的概率答对")
    miss = (1 - p1) ** 4
    plug = 1 - miss
    page_shows(PAGE, f"$1 - {1 - p1}^4 = 1 - {miss:.3f} = {plug:.3f}$")
    page_shows(PAGE, f"比无偏估计的 {float(pass_at_k(n, c, 4)):.3f} 小")
    assert plug < float(pass_at_k(n, c, 4))


ANSWER = r"\frac{1}{2}"
OUTPUTS = (r"\frac{1}{2}", r"\dfrac{1}{2}", "1/2", "0.5", r"\frac{2}{4}", r"\frac{1}{3}")
# the value each output denotes, written by hand, so that the "actually right" column does
# not come from the same parser as the symbolic checker it is compared with
MEANT = (Fraction(1, 2), Fraction(1, 2), Fraction(1, 2), Fraction(5, 10), Fraction(2, 4), Fraction(1, 3))


def normalise(s: str) -> str:
    s = s.replace(" ", "").replace(r"\dfrac", r"\frac").replace(r"\tfrac", r"\frac")
    m = re.fullmatch(r"(-?\d+)/(\d+)", s)
    return rf"\frac{{{m.group(1)}}}{{{m.group(2)}}}" if m else s


def value(s: str) -> Fraction:
    s = normalise(s)
    m = re.fullmatch(r"\\frac\{(-?\d+)\}\{(\d+)\}", s)
    return Fraction(int(m.group(1)), int(m.group(2))) if m else Fraction(s)


def test_three_checkers():
    truth = [m == Fraction(1, 2) for m in MEANT]
    strict = [o == ANSWER for o in OUTPUTS]
    norm = [normalise(o) == normalise(ANSWER) for o in OUTPUTS]
    symbolic = [value(o) == value(ANSWER) for o in OUTPUTS]
    assert truth == [True] * 5 + [False]
    assert strict == [True] + [False] * 5
    assert norm == [True] * 3 + [False] * 3
    assert symbolic == truth
    q = len(OUTPUTS)
    for accepted, shown in ((strict, "$1/6 \\approx {:.1f}\\%$"), (norm, "$3/6 = {:.1f}\\%$"),
                            (symbolic, "$5/6 \\approx {:.1f}\\%$")):
        page_shows(PAGE, "准确率 " + shown.format(100 * sum(accepted) / q))
    misses = [sum(t and not a for t, a in zip(truth, acc)) for acc in (strict, norm, symbolic)]
    assert misses == [4, 2, 0]
    page_shows(PAGE, "把 4 个正确答案判成错", "还有 2 个假阴性")
    page_shows(PAGE, "准确率从 16.7% 到 83.3% 不等")
    # the table rows, as the page lists them
    marks = {True: "接受", False: "拒绝"}
    for o, t, a, b, c in zip(OUTPUTS, truth, strict, norm, symbolic):
        row = f"| `{o}` | {'对' if t else '错'} | {marks[a]} | {marks[b]} | {marks[c]} |"
        page_shows(PAGE, row)
