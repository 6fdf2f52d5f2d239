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
