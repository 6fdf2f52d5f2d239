"""Worked numbers of docs/text/safety.md (GCG candidate pool, attack success rate and its CI), recomputed."""

import math

from worked.pages import fmt_int, page_shows

PAGE = "text/safety.md"


def test_gcg_candidates_per_step():
    # top-k replacement tokens at each of the L suffix positions: k * L single-token swaps
    k, suffix_len = 256, 20
    page_shows(PAGE, "k = 256", "L = 20", f"256 \\times 20 = {fmt_int(k * suffix_len)}")


def test_attack_success_rate_with_confidence_interval():
    n, successes = 400, 60
    asr = successes / n
    se = math.sqrt(asr * (1 - asr) / n)
    half = 1.96 * se
    assert (asr, round(se, 4), round(half, 3)) == (0.15, 0.0179, 0.035)
    page_shows(PAGE, "N = 400", f"60 / 400 = {asr:.2f}", f"{asr:.0%}", f"\\approx {se:.4f}",
               f"0.15 \\pm {half:.3f}", f"{(asr - half):.1%} 到 {(asr + half):.1%}")
    page_shows(PAGE, f"\\frac{{{asr:.2f} \\times {1 - asr:.2f}}}{{{n}}}")


def test_two_or_three_points_is_within_the_noise():
    # The page: at a few hundred behaviours, two defences whose ASR differ by only two or three
    # percentage points cannot be ranked. Two independent estimates near 15% on 400 behaviours:
    # the difference has standard error sqrt(2) * SE, so its 95% half-width is about 5 points.
    n, asr = 400, 0.15
    se = math.sqrt(asr * (1 - asr) / n)
    half_width_of_difference = 1.96 * math.sqrt(2) * se
    assert round(half_width_of_difference, 3) == 0.049
    assert half_width_of_difference > 0.03
    page_shows(PAGE, "ASR 只差两三个百分点时，不能断言谁更好")
