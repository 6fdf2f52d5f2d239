"""Worked numbers of docs/foundations/decoding.md, recomputed from their definitions.

The beam-search example (beam width 2, two steps) and the length-normalisation comparison
use made-up probabilities; the sampling example uses five made-up logits under temperatures
0.5, 1 and 1.5. Top-k keeps the k most probable tokens, nucleus sampling the smallest prefix
of the sorted distribution whose mass reaches p (Holtzman et al.), min-p the tokens with
probability at least p_base times the largest one (Nguyen et al.). Each test asserts the
page shows what it computed.
"""

from __future__ import annotations

import math

from worked.pages import page_shows

DEC = "foundations/decoding.md"

LOGITS = {"A": 3.0, "B": 2.0, "C": 0.5, "D": 0.0, "E": -0.5}
TEMPS = (0.5, 1, 1.5)
TOP_K, TOP_P, MIN_P = 3, 0.9, 0.1


def r3(x: float) -> str:
    return f"{x:.3f}"


def softmax(t: float) -> dict[str, float]:
    e = {k: math.exp(z / t) for k, z in LOGITS.items()}
    s = sum(e.values())
    return {k: v / s for k, v in e.items()}


def ranked(p: dict[str, float]) -> list[str]:
    return sorted(p, key=lambda k: -p[k])


def nucleus(p: dict[str, float], top_p: float = TOP_P) -> list[str]:
    kept, mass = [], 0.0
    for k in ranked(p):
        kept.append(k)
        mass += p[k]
        if mass >= top_p:
            return kept
    return kept


def min_p(p: dict[str, float], base: float = MIN_P) -> list[str]:
    threshold = base * max(p.values())
    return [k for k in ranked(p) if p[k] >= threshold]


def renorm(p: dict[str, float], kept: list[str]) -> dict[str, float]:
    s = sum(p[k] for k in kept)
    return {k: p[k] / s for k in kept}


def shown_divisions(p: dict[str, float], kept: list[str], mass: float, exact: dict[str, float]) -> list[str]:
    """The page divides the three-decimal numbers it shows, so each quotient must be true as printed.

    The quotient of the rounded numbers may differ from the exactly renormalised probability in the
    last digit, never by more; the printed quotients still sum to 1.
    """
    out, total = [], 0.0
    for k in kept:
        q = float(r3(p[k])) / float(r3(mass))
        assert abs(q - exact[k]) < 0.0015
        total += float(r3(q))
        out.append(f"{r3(p[k])} ÷ {r3(mass)} = {r3(q)}")
    assert math.isclose(total, 1.0, abs_tol=1e-9)
    return out


def test_beam_search_finds_what_greedy_misses():
    step1 = {"甲": 0.5, "乙": 0.4, "丙": 0.1}
    step2 = {"甲": {"子": 0.4, "丑": 0.35, "寅": 0.25}, "乙": {"卯": 0.9, "辰": 0.1}}
    # greedy
    g1 = max(step1, key=step1.get)
    g2 = max(step2[g1], key=step2[g1].get)
    greedy = step1[g1] * step2[g1][g2]
    assert (g1, g2) == ("甲", "子") and math.isclose(greedy, 0.20)
    # beam width 2
    beam = sorted(step1, key=lambda k: -step1[k])[:2]
    assert beam == ["甲", "乙"]
    ext = {a + b: step1[a] * q for a in beam for b, q in step2[a].items()}
    best = sorted(ext, key=lambda k: -ext[k])
    assert best[:2] == ["乙卯", "甲子"] and math.isclose(ext["乙卯"], 0.36)
    assert math.isclose(ext["乙卯"] - greedy, 0.16)
    page_shows(DEC, "甲 0.5、乙 0.4、丙 0.1", "子 0.4、丑 0.35、寅 0.25", "卯 0.9、辰 0.1",
               "整句概率 0.5 × 0.4 = 0.20", "甲子：0.5 × 0.4 = 0.20", "甲丑：0.5 × 0.35 = 0.175",
               "乙卯：0.4 × 0.9 = 0.36", "乙辰：0.4 × 0.1 = 0.04", "高 0.16")
    assert math.isclose(ext["甲丑"], 0.175) and math.isclose(ext["乙辰"], 0.04)


def test_length_normalisation():
    short, long_ = math.log(0.5), math.log(0.36)
    assert (r3(short), r3(long_)) == ("-0.693", "-1.022")
    assert short > long_  # unnormalised: the one-token candidate wins
    assert r3(long_ / 2) == "-0.511" and long_ / 2 > short  # alpha = 1: the two-token one wins
    assert r3(short / 1) == "-0.693"
    page_shows(DEC, r"$\ln 0.5 = -0.693$", r"$\ln 0.36 = -1.022$", "−0.693 > −1.022",
               "−0.693 ÷ 1 = −0.693", "−1.022 ÷ 2 = −0.511", "−0.511 > −0.693")


def test_probability_table():
    for t in TEMPS:
        p = softmax(t)
        label = f"{t:g}"
        page_shows(DEC, f"| {label} | " + " | ".join(r3(p[k]) for k in LOGITS) + " |")


def test_t1_arithmetic():
    e = {k: math.exp(z) for k, z in LOGITS.items()}
    assert [r3(v) for v in e.values()] == ["20.086", "7.389", "1.649", "1.000", "0.607"]
    assert r3(sum(e.values())) == "30.730"
    page_shows(DEC, "$e^{3} = 20.086$", "$e^{2} = 7.389$", "$e^{0.5} = 1.649$", "$e^{-0.5} = 0.607$",
               "和为 30.730", "20.086 ÷ 30.730 = 0.654")
    assert [f"{z / 0.5:g}" for z in LOGITS.values()] == ["6", "4", "1", "0", "-1"]
    assert [f"{z / 1.5:.3f}".rstrip("0").rstrip(".") for z in LOGITS.values()] == ["2", "1.333", "0.333", "0", "-0.333"]
    page_shows(DEC, "变成 6、4、1、0、−1", "变成 2、1.333、0.333、0、−0.333")
    # T = 0.5 worked through for A, as for T = 1
    e05 = {k: math.exp(z / 0.5) for k, z in LOGITS.items()}
    assert [r3(v) for v in e05.values()] == ["403.429", "54.598", "2.718", "1.000", "0.368"]
    s05 = sum(e05.values())
    assert r3(s05) == "462.113" and r3(e05["A"] / s05) == r3(softmax(0.5)["A"]) == "0.873"
    page_shows(DEC, "$e^{6} = 403.429$", "$e^{4} = 54.598$", "$e^{1} = 2.718$", "$e^{-1} = 0.368$",
               "和为 462.113", "403.429 ÷ 462.113 = 0.873")


def test_truncations_at_t1():
    p = softmax(1)
    topk = ranked(p)[:TOP_K]
    assert topk == ["A", "B", "C"]
    rk = renorm(p, topk)
    mass = sum(p[k] for k in topk)
    page_shows(DEC, f"三者之和 {r3(mass)}", *shown_divisions(p, topk, mass, rk))
    # nucleus: A+B falls just short of 0.9, C is needed
    ab = p["A"] + p["B"]
    assert ab < TOP_P and r3(ab) == "0.894" and nucleus(p) == topk
    assert r3(TOP_P - ab) == "0.006"
    page_shows(DEC, f"累加 A 得 {r3(p['A'])}，加 B 得 {r3(ab)}", f"再加 C 得 {r3(mass)}", "差 0.006")
    # min-p: threshold 0.1 * p_max drops C
    thr = MIN_P * p["A"]
    assert f"{thr:.4f}" == "0.0654" and p["C"] < thr
    kept = min_p(p)
    assert kept == ["A", "B"]
    rm = renorm(p, kept)
    page_shows(DEC, "0.1 × 0.654 = 0.0654", "C 的 0.054 低于门槛", *shown_divisions(p, kept, ab, rm))


def test_kept_sets_across_temperatures():
    p05, p15 = softmax(0.5), softmax(1.5)
    assert nucleus(p05) == ["A", "B"] and min_p(p05) == ["A", "B"]
    thr05 = MIN_P * p05["A"]
    assert p05["B"] >= thr05 > p05["C"]
    page_shows(DEC, f"{r3(p05['A'])} + {r3(p05['B'])} = {r3(p05['A'] + p05['B'])}",
               f"min-p 门槛 {thr05:.4f}，B 的 {r3(p05['B'])} 过线、C 的 {r3(p05['C'])} 没过")
    assert nucleus(softmax(1)) == ["A", "B", "C"] and min_p(softmax(1)) == ["A", "B"]
    order = ranked(p15)
    cums = [sum(p15[k] for k in order[: i + 1]) for i in range(4)]
    assert [r3(c) for c in cums] == ["0.517", "0.782", "0.880", "0.950"]
    assert all(c < TOP_P for c in cums[:3]) and cums[3] >= TOP_P
    assert nucleus(p15) == ["A", "B", "C", "D"] and min_p(p15) == ["A", "B", "C", "D"]
    thr = MIN_P * p15["A"]
    assert p15["D"] >= thr > p15["E"]
    page_shows(DEC, "累加为 0.517、0.782、0.880、0.950", f"门槛降到 {thr:.4f}",
               f"D 的 {r3(p15['D'])} 过线、E 的 {r3(p15['E'])} 没过", "前三个都不到 0.9，加上 D 才达到")


def test_repetition_penalty_on_a_negative_logit():
    z, theta = -2.0, 1.2
    divided = z / theta
    assert r3(divided) == "-1.667" and divided > z  # dividing a negative logit raises it
    page_shows(DEC, "$z_i = -2$、$\\theta = 1.2$", "−2 ÷ 1.2 = −1.667，比 −2 大")


def test_temperature_moves_nucleus_and_min_p_sets_not_top_k():
    """The Min-k paragraph: temperature never changes the ranking, so top-k keeps the same k tokens
    at every temperature, while the nucleus and min-p sets of the worked example change with T."""
    assert all(ranked(softmax(t)) == ranked(softmax(1)) for t in TEMPS)
    assert all(ranked(softmax(t))[:TOP_K] == ["A", "B", "C"] for t in TEMPS)
    assert len({tuple(nucleus(softmax(t))) for t in TEMPS}) > 1
    assert len({tuple(min_p(softmax(t))) for t in TEMPS}) > 1
    page_shows(DEC, "top-p 和 min-p 保留哪些词元会随温度改变",
               "top-k 保留的始终是排名前 $k$ 的词元，因为温度不改变排名")


def test_truncating_before_temperature_fixes_the_sets():
    """Truncation on the original distribution (T = 1), temperature afterwards: the kept sets are the
    T = 1 ones at every temperature (nucleus A, B, C; min-p A, B); the temperature-first sets differ
    at T = 0.5 (nucleus) and T = 1.5 (both), so the order matters."""
    p1 = softmax(1)
    assert nucleus(p1) == ["A", "B", "C"] and min_p(p1) == ["A", "B"]
    assert nucleus(softmax(0.5)) != nucleus(p1) and nucleus(softmax(1.5)) != nucleus(p1)
    assert min_p(softmax(1.5)) != min_p(p1)
    page_shows(DEC, "先按原始分布（即 $T = 1$）截断、再调温度，保留的集合就不再随温度改变",
               "核采样总是保留 A、B、C，min-p 总是保留 A、B")


def typical_order(p: list[float]) -> tuple[float, list[int]]:
    """Locally typical sampling (Meister et al.): rank tokens by |-ln p_i - H|, smallest first."""
    h = -sum(x * math.log(x) for x in p)
    return h, sorted(range(len(p)), key=lambda i: abs(-math.log(p[i]) - h))


def test_typical_sampling_can_drop_the_top_token():
    """0.4, 0.3, 0.3: the two 0.3 tokens are closer to H and reach the threshold 0.5 first, so the
    most probable token is cut. The page's rounded arithmetic is true as printed."""
    p = [0.4, 0.3, 0.3]
    h, order = typical_order(p)
    assert order[-1] == 0
    info = [-math.log(x) for x in p]
    assert (r3(info[0]), r3(info[1])) == ("0.916", "1.204") and r3(h) == "1.089"
    assert r3(0.4 * 0.916 + 0.6 * 1.204) == "1.089"
    assert r3(h - info[0]) == r3(1.089 - 0.916) == "0.173"
    assert r3(info[1] - h) == r3(1.204 - 1.089) == "0.115"
    kept, mass = [], 0.0
    for i in order:
        kept.append(i)
        mass += p[i]
        if mass >= 0.5:
            break
    assert kept == [1, 2] and math.isclose(mass, 0.6)
    page_shows(DEC, "概率为 0.4、0.3、0.3", "信息量分别是 0.916、1.204、1.204",
               r"$H = 0.4 \times 0.916 + 0.6 \times 1.204 = 1.089$",
               "1.089 − 0.916 = 0.173", "1.204 − 1.089 = 0.115", "阈值取 0.5 时，两个 0.3 累加到 0.6 就够了")


def test_typical_sampling_low_information_is_not_always_last():
    """A peaked distribution with a long tail: the top token's information is far below H, yet the
    tail tokens are further from H, so the top token ranks first (the page's counterexample)."""
    p = [0.6] + [0.4 / 1000] * 1000
    h, order = typical_order(p)
    assert order[0] == 0
    info_top, info_tail = -math.log(0.6), -math.log(0.0004)
    assert (r3(info_top), r3(info_tail), r3(h)) == ("0.511", "7.824", "3.436")
    assert r3(0.6 * 0.511 + 0.4 * 7.824) == "3.436"
    assert r3(h - info_top) == r3(3.436 - 0.511) == "2.925"
    assert r3(info_tail - h) == r3(7.824 - 3.436) == "4.388"
    page_shows(DEC, "最高的词元信息量 0.511，尾部每个 7.824", r"$H = 0.6 \times 0.511 + 0.4 \times 7.824 = 3.436$",
               "3.436 − 0.511 = 2.925", "7.824 − 3.436 = 4.388", "最高的词元反而排在最前")


def test_kept_set_sizes_never_shrink_as_temperature_rises():
    """The page: with rising T both methods keep more tokens or as many, not always more (min-p keeps
    two at T = 0.5 and at T = 1). Checked on the example and on a fine grid of temperatures: min-p's
    ratios exp((z_i - z_max) / T) grow with T, and the top-m mass of a tempered softmax never grows."""
    assert [len(nucleus(softmax(t))) for t in TEMPS] == [2, 3, 4]
    assert [len(min_p(softmax(t))) for t in TEMPS] == [2, 2, 4]
    grid = [0.1 * i for i in range(2, 41)]
    for keep in (nucleus, min_p):
        sizes = [len(keep(softmax(t))) for t in grid]
        assert sizes == sorted(sizes)
    page_shows(DEC, "保留的候选只会更多或一样多", "核采样依次保留两个、三个、四个，min-p 依次保留两个、两个、四个")
