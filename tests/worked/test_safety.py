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


def test_comparing_two_defences_independent_samples():
    # Defence A: 60 of 400 behaviours broken (15%); defence B: 48 of 400 (12%), 3 points apart.
    # Independent samples: SE of the difference = sqrt(SE_A^2 + SE_B^2); its 95% half-width
    # (4.7 points) exceeds the 3-point gap.
    n, a, b = 400, 60, 48
    pa, pb = a / n, b / n
    se_a = math.sqrt(pa * (1 - pa) / n)
    se_b = math.sqrt(pb * (1 - pb) / n)
    se_diff = math.sqrt(se_a**2 + se_b**2)
    half = 1.96 * se_diff
    assert (round(se_b, 4), round(se_diff, 4), round(half, 3)) == (0.0162, 0.0241, 0.047)
    # the page's rounded inputs give the same results
    assert round(math.sqrt(0.0179**2 + 0.0162**2), 4) == 0.0241
    assert round(1.96 * 0.0241, 3) == 0.047
    assert half > (a - b) / n
    page_shows(PAGE, f"防御 A 下成功 {a} 条（{pa:.0%}）", f"防御 B 下成功 {b} 条（{pb:.0%}）",
               f"相差 {round((pa - pb) * 100)} 个百分点",
               f"\\sqrt{{{pb:.2f} \\times {1 - pb:.2f} / {n}}} \\approx {se_b:.4f}",
               f"\\sqrt{{0.0179^2 + 0.0162^2}} \\approx {se_diff:.4f}",
               f"1.96 \\times 0.0241 \\approx {half:.3f}", f"即 {half * 100:.1f} 个百分点")


def test_comparing_two_defences_paired_sign_test():
    # Same 400 behaviours for both defences: only the discordant behaviours carry information.
    # Under "equally good" each discordant behaviour favours A or B with probability 1/2
    # (exact two-sided sign test, i.e. McNemar's exact test).
    def two_sided_p(a_only, b_only):
        m, k = a_only + b_only, max(a_only, b_only)
        return min(1.0, 2 * sum(math.comb(m, j) for j in range(k, m + 1)) / 2**m)

    # case 1: 12 discordant, all A-broken/B-held (both broken on 48): A = 60, B = 48
    assert 48 + 12 == 60 and 48 + 0 == 48
    p1 = two_sided_p(12, 0)
    assert p1 == 2 * 0.5**12 and round(p1, 4) == 0.0005
    # case 2: A-only 40, B-only 28 (both broken on 20): A = 60, B = 48, same 12-behaviour gap
    assert 20 + 40 == 60 and 20 + 28 == 48 and 40 - 28 == 12
    p2 = two_sided_p(40, 28)
    assert round(p2, 2) == 0.18
    # 0.5^12 is the chance that all 12 favour one named side (A); "either side" is twice that
    page_shows(PAGE, "只有 12 条结论不同", f"12 条全都偏向 A 的概率是 $0.5^{{12}} = 1/{2**12}$", f"2 \\times 0.5^{{12}} = 2/{2**12} \\approx {p1:.4f}",
               "只在 A 下成功的有 40 条、只在 B 下成功的有 28 条", "差值同样是 12 条", f"约为 {p2:.2f}")
