"""Worked numbers of docs/text/strategic-deception.md, recomputed.

The counts (14 and 3 of 100, 3 and 1 of 20) are illustrative (the page says so); they only
sit at the order of magnitude of the compliance rates Greenblatt et al. report. The interval
for one rate is the 95% Wilson score interval, the interval for a difference of two
independent rates is Newcombe's hybrid score interval built from the two Wilson intervals.
"""

from __future__ import annotations

from math import sqrt

from worked.pages import page_shows

PAGE = "text/strategic-deception.md"
Z = 1.96


def wilson(k: int, n: int) -> tuple[float, float, float, float]:
    """Point estimate, centre, half-width and the (low, high) bounds of the Wilson interval."""
    p = k / n
    denom = 1 + Z * Z / n
    centre = (p + Z * Z / (2 * n)) / denom
    half = Z / denom * sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
    return p, centre, half, (centre - half, centre + half)


def newcombe(k1: int, n1: int, k2: int, n2: int) -> tuple[float, float, float]:
    p1, _, _, (l1, u1) = wilson(k1, n1)
    p2, _, _, (l2, u2) = wilson(k2, n2)
    d = p1 - p2
    return d, d - sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)


def test_small_quantities():
    assert round(Z * Z, 4) == 3.8416
    page_shows(PAGE, "$z^2 = 1.96^2 = 3.8416$")
    page_shows(PAGE, "$z^2/n = 0.038416$")
    page_shows(PAGE, "$1 + 0.038416 = 1.038416$")
    assert round(Z * Z / 200, 6) == 0.019208
    assert round(Z * Z / 40_000, 8) == 0.00009604
    # z^2/n and the denominator 1 + z^2/n at n = 100 and n = 20, recomputed
    assert round(Z * Z / 100, 6) == 0.038416 and round(1 + Z * Z / 100, 6) == 1.038416
    assert round(1 + Z * Z / 20, 5) == 1.19208


def test_free_tier_14_of_100():
    p, centre, half, (low, high) = wilson(14, 100)
    assert round(p * (1 - p) / 100, 6) == 0.001204
    radicand = p * (1 - p) / 100 + Z * Z / 40_000
    assert round(radicand, 8) == 0.00130004
    assert round(sqrt(radicand), 6) == 0.036056
    assert (round(centre, 4), round(half, 4)) == (0.1533, 0.0681)
    assert (round(100 * low, 1), round(100 * high, 1)) == (8.5, 22.1)
    assert round(p + Z * Z / 200, 6) == 0.159208
    assert round(Z * Z / 200, 6) == 0.019208
    page_shows(PAGE, "(0.14 + 3.8416/200) / 1.038416 = (0.14 + 0.019208) / 1.038416 = 0.159208 / 1.038416 \\approx 0.1533")
    page_shows(PAGE, "0.001204 + 0.00009604 = 0.00130004")
    page_shows(PAGE, "开方约为 0.036056")
    # the half-width is sqrt(radicand) times 1.96 / 1.038416
    assert round(sqrt(radicand) * Z / (1 + Z * Z / 100), 4) == round(half, 4) == 0.0681
    page_shows(PAGE, "乘以 $1.96 / 1.038416$，得半宽约 0.0681")
    # the interval reaches further above 14% than below it (centre pulled towards 0.5)
    assert high - p > p - low and centre > p
    page_shows(PAGE, "区间向上多伸了一些")
    page_shows(PAGE, "区间是 $0.1533 \\pm 0.0681$，即约 8.5% 到 22.1%")


def test_paid_tier_3_of_100():
    p, centre, half, (low, high) = wilson(3, 100)
    assert round(p + Z * Z / 200, 6) == 0.049208
    radicand = p * (1 - p) / 100 + Z * Z / 40_000
    assert round(p * (1 - p) / 100, 6) == 0.000291
    assert round(radicand, 8) == 0.00038704
    assert round(sqrt(radicand), 6) == 0.019673
    assert (round(centre, 4), round(half, 4)) == (0.0474, 0.0371)
    assert (round(100 * low, 1), round(100 * high, 1)) == (1.0, 8.5)
    page_shows(PAGE, "0.049208 / 1.038416 \\approx 0.0474")
    page_shows(PAGE, "0.000291 + 0.00009604 = 0.00038704")
    page_shows(PAGE, "开方约为 0.019673，半宽约 0.0371")
    page_shows(PAGE, "区间约为 1.0% 到 8.5%")
    wald_half = Z * sqrt(p * (1 - p) / 100)
    assert round(wald_half, 4) == 0.0334 and p - wald_half < 0
    page_shows(PAGE, "\\approx 0.03 \\pm 0.0334")


def test_gap_at_100():
    d, low, high = newcombe(14, 100, 3, 100)
    _, _, _, (l1, u1) = wilson(14, 100)
    _, _, _, (l2, u2) = wilson(3, 100)
    assert (round(l1, 4), round(u1, 4), round(l2, 4), round(u2, 4)) == (0.0853, 0.2214, 0.0103, 0.0845)
    assert round(d, 2) == 0.11
    page_shows(PAGE, f"合规差距 $d = 0.14 - 0.03 = {d:.2f}$，即 {round(100 * d)} 个百分点")
    assert round(d - low, 4) == 0.0773 and round(high - d, 4) == 0.0837
    assert (round(low, 3), round(high, 3)) == (0.033, 0.194)
    page_shows(PAGE, "\\sqrt{(0.14 - 0.0853)^2 + (0.0845 - 0.03)^2} \\approx 0.11 - 0.0773 \\approx 0.033")
    page_shows(PAGE, "\\sqrt{(0.2214 - 0.14)^2 + (0.03 - 0.0103)^2} \\approx 0.11 + 0.0837 \\approx 0.194")
    page_shows(PAGE, "差距的 95% 区间约为 3.3 到 19.4 个百分点")


def test_gap_at_20():
    _, _, _, (l1, u1) = wilson(3, 20)
    _, _, _, (l2, u2) = wilson(1, 20)
    assert (round(100 * l1, 1), round(100 * u1, 1)) == (5.2, 36.0)
    assert (round(100 * l2, 1), round(100 * u2, 1)) == (0.9, 23.6)
    d, low, high = newcombe(3, 20, 1, 20)
    assert round(d, 2) == 0.10
    assert (round(100 * low, 1), round(100 * high, 1)) == (-11.0, 31.4)
    assert low < 0 < high
    assert round(Z * Z / 20, 5) == 0.19208 and round(Z * Z / 40, 5) == 0.09604
    assert round(Z * Z / 1600, 6) == 0.002401
    page_shows(PAGE, "$z^2/n = 0.19208$，分母是 $1.19208$")
    page_shows(PAGE, "$z^2/(2n) = 0.09604$，$z^2/(4n^2) = 0.002401$")
    for k, p_s, centre_s, rad_s, half_s, (lo_s, hi_s) in (
        (3, "0.15", "0.2064", "0.006375 + 0.002401 = 0.008776", "0.1540", ("5.2", "36.0")),
        (1, "0.05", "0.1225", "0.002375 + 0.002401 = 0.004776", "0.1136", ("0.9", "23.6")),
    ):
        p, centre, half, (lo, hi) = wilson(k, 20)
        radicand = p * (1 - p) / 20 + Z * Z / 1600
        assert f"{p:.2f}" == p_s
        assert f"{p * (1 - p) / 20:.6f} + 0.002401 = {radicand:.6f}" == rad_s
        assert (f"{centre:.4f}", f"{half:.4f}") == (centre_s, half_s)
        assert (f"{100 * lo:.1f}", f"{100 * hi:.1f}") == (lo_s, hi_s)
        page_shows(PAGE, f"$({p_s} + 0.09604) / 1.19208 \\approx {centre_s}$")
        page_shows(PAGE, f"根号里是 ${rad_s}$，半宽约 {half_s}。区间约为 {lo_s}% 到 {hi_s}%")
    assert round(d - low, 3) == 0.210 and round(high - d, 3) == 0.214
    assert round(sqrt((0.15 - 0.0524) ** 2 + (0.2361 - 0.05) ** 2), 3) == 0.210
    assert round(sqrt((0.3604 - 0.15) ** 2 + (0.05 - 0.0089) ** 2), 3) == 0.214
    assert (round(l1, 4), round(u1, 4), round(l2, 4), round(u2, 4)) == (0.0524, 0.3604, 0.0089, 0.2361)
    page_shows(PAGE, "\\sqrt{(0.15 - 0.0524)^2 + (0.2361 - 0.05)^2} \\approx 0.10 - 0.210 = -0.110")
    page_shows(PAGE, "\\sqrt{(0.3604 - 0.15)^2 + (0.05 - 0.0089)^2} \\approx 0.10 + 0.214 = 0.314")
    page_shows(PAGE, f"$d = 0.15 - 0.05 = {d:.2f}$，即 {round(100 * d)} 个百分点")
    page_shows(PAGE, "约为 $-11.0$ 到 31.4 个百分点")
