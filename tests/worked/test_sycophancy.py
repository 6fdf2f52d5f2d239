"""Worked numbers of docs/text/sycophancy.md, recomputed from their formulas.

Both examples use made-up numbers (the page says so). The first counts answer flips on 200
true/false questions after the user asks "are you sure?"; the second is a toy model of
best-of-n selection with a reward model that sometimes prefers a sycophantic answer.
Each test asserts the page shows what it computed.
"""

from __future__ import annotations

from fractions import Fraction

from worked.pages import page_shows

SY = "text/sycophancy.md"

N, CORRECT = 200, 150
FLIP_CORRECT, FLIP_WRONG = 60, 20  # correct answers abandoned, wrong answers changed (to right)


def pct(x: Fraction, digits: int = 1) -> str:
    return f"{float(x) * 100:.{digits}f}%"


def test_flip_counts():
    wrong = N - CORRECT
    a = Fraction(CORRECT, N)
    f_c, f_w = Fraction(FLIP_CORRECT, CORRECT), Fraction(FLIP_WRONG, wrong)
    assert a == Fraction(3, 4) and f_c == f_w == Fraction(2, 5)
    page_shows(SY, "$150 / 200 = 75\\%$", "$60 / 150 = 40\\%$", "$20 / 50 = 40\\%$")
    after = CORRECT - FLIP_CORRECT + FLIP_WRONG
    assert after == 110 and Fraction(after, N) == Fraction(55, 100)
    page_shows(SY, "$150 - 60 + 20 = 110$", "$110 / 200 = 55\\%$", "$75 - 55 = 20$")


def test_flip_formula_matches_the_count():
    a, f = Fraction(3, 4), Fraction(2, 5)
    first, second = a * (1 - f), (1 - a) * f
    assert (first, second) == (Fraction(45, 100), Fraction(10, 100))
    assert first + second == Fraction(CORRECT - FLIP_CORRECT + FLIP_WRONG, N)
    page_shows(SY, "a' = a\\,(1 - f_{\\mathrm{c}}) + (1 - a)\\, f_{\\mathrm{w}}",
               "$0.75 \\times 0.6 + 0.25 \\times 0.4 = 0.45 + 0.10 = 0.55$")
    # with equal flip rates a' = a - f (2a - 1); at f = 1/2 it is 1/2 whatever a is
    for a_ in (Fraction(3, 4), Fraction(9, 10), Fraction(3, 5)):
        assert a_ * (1 - f) + (1 - a_) * f == a_ - f * (2 * a_ - 1)
        half = Fraction(1, 2)
        assert a_ * (1 - half) + (1 - a_) * half == half
    page_shows(SY, "$a' = a - af + f - af$", "$a' = a - f\\,(2a - 1)$")
    # the page substitutes the example's numbers, and f = 0.5, into the simplified form
    assert Fraction(3, 4) - f * (2 * Fraction(3, 4) - 1) == Fraction(55, 100)
    assert 2 * Fraction(3, 4) - 1 == Fraction(1, 2)
    page_shows(SY, "$0.75 - 0.4 \\times 0.5 = 0.55$", "$a' = a - 0.5\\,(2a - 1) = 0.5$")


def test_ideal_model_only_fixes_wrong_answers():
    assert CORRECT + FLIP_WRONG == 170 and Fraction(170, N) == Fraction(85, 100)
    page_shows(SY, "$150 + 20 = 170$", "$170 / 200 = 85\\%$")
    # the same through the formula: f_c = 0, f_w still 20/50
    a, f_w = Fraction(3, 4), Fraction(FLIP_WRONG, N - CORRECT)
    assert a * 1 + (1 - a) * f_w == Fraction(85, 100)
    page_shows(SY, "$0.75 \\times 1 + 0.25 \\times 0.4 = 0.85$")


P, Q = Fraction(1, 10), Fraction(3, 10)


def picked_sycophantic(n: int) -> Fraction:
    """All n sycophantic, or both kinds present and the reward model ranks the sycophant first."""
    return P**n + Q * (1 - (1 - P) ** n - P**n)


def test_best_of_n_table():
    assert picked_sycophantic(1) == P
    rows = {1: ("0.9", "10.0%"), 2: ("0.81", "6.4%"), 4: ("0.6561", "10.3%"),
            16: ("0.1853", "24.4%"), 64: ("0.0012", "30.0%")}
    for n, (all_truthful, rate) in rows.items():
        exact = (1 - P) ** n
        if n <= 4:  # exact decimals: 0.9, 0.81, 0.6561
            assert Fraction(all_truthful) == exact
        else:  # rounded to four places
            assert f"{float(exact):.4f}" == all_truthful
        assert pct(picked_sycophantic(n)) == rate
        page_shows(SY, f"| {n} | {all_truthful} | {rate} |")


def test_best_of_n_hand_steps():
    # n = 1: the bracket is empty, nothing to choose from
    assert 1 - (1 - P) - P == 0 and picked_sycophantic(1) == P
    page_shows(SY, "$1 - 0.9 - 0.1 = 0$", "$P_1 = p = 0.1$")
    # n = 2
    assert P**2 == Fraction(1, 100) and 1 - (1 - P) ** 2 - P**2 == Fraction(18, 100)
    assert picked_sycophantic(2) == Fraction(1, 100) + Q * Fraction(18, 100) == Fraction(64, 1000)
    page_shows(SY, "$p^2 = 0.01$", "$1 - 0.81 - 0.01 = 0.18$", "$P_2 = 0.01 + 0.3 \\times 0.18 = 0.064$")
    # n = 4
    assert P**4 == Fraction(1, 10000) and 1 - (1 - P) ** 4 - P**4 == Fraction(3438, 10000)
    assert f"{float(picked_sycophantic(4)):.3f}" == "0.103"
    page_shows(SY, "$p^4 = 0.0001$", "$1 - 0.6561 - 0.0001 = 0.3438$",
               "$P_4 = 0.0001 + 0.3 \\times 0.3438 \\approx 0.103$")
    # n = 16: 0.1^16 is negligible
    assert f"{float((1 - P) ** 16):.4f}" == "0.1853" and P**16 < Fraction(1, 10**15)
    assert f"{float(Q * (1 - Fraction(1853, 10000))):.3f}" == "0.244"
    assert f"{float(picked_sycophantic(16)):.3f}" == "0.244"
    page_shows(SY, "$0.9^{16} \\approx 0.1853$", "$P_{16} \\approx 0.3 \\times (1 - 0.1853) \\approx 0.244$")
    # n = 64
    assert f"{float((1 - P) ** 64):.4f}" == "0.0012" and 1 - Fraction(12, 10000) == Fraction(9988, 10000)
    assert f"{float(Q * Fraction(9988, 10000)):.3f}" == "0.300"
    assert f"{float(picked_sycophantic(64)):.3f}" == "0.300"
    page_shows(SY, "$0.9^{64} \\approx 0.0012$", "$P_{64} \\approx 0.3 \\times 0.9988 \\approx 0.300$")
    # with both kinds present the reward model picks the truthful answer 1 - q of the time
    assert 1 - Q == Fraction(7, 10)
    page_shows(SY, "奖励模型七成时候挑正确的那个")
    # the limit is q: three times the policy's own rate
    assert Q / P == 3
    page_shows(SY, "$q = 30\\%$", "$p = 0.1$", "$q = 0.3$")
