"""Worked numbers of docs/knowledge/scientific-discovery.md, recomputed from their formulas.

The cap set facts are checked by brute force in F_3^2 (every subset of the 9 points); the 512 and
496 of n = 8 are FunSearch's (cap_set.ipynb of github.com/google-deepmind/funsearch). The
multiplication counts follow from the block recursion (8 and 7 products for 2 x 2, 64 = 4^3,
49 = 7^2); 48 is AlphaEvolve's rank-48 decomposition of <4,4,4> (arXiv 2506.13131 and
mathematical_results.ipynb of github.com/google-deepmind/alphaevolve_results). The budget uses the
page's own assumption (1 s per program evaluation, 10^6 candidates, 100 cores) and Si et al.'s
43 executors with over 100 hours each (arXiv 2506.20803). The workshop scores are those in the
README of github.com/SakanaAI/AI-Scientist-ICLR2025-Workshop-Experiment.
Each test asserts the page shows what it computed.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

from worked.pages import fmt_int, page_shows

SD = "knowledge/scientific-discovery.md"


def third_point(x: tuple[int, ...], y: tuple[int, ...]) -> tuple[int, ...]:
    """The point completing x and y to a line of F_3^n: z = -(x + y) mod 3."""
    return tuple((-(a + b)) % 3 for a, b in zip(x, y))


def is_cap(points) -> bool:
    pts = set(points)
    return all(third_point(x, y) not in pts for x, y in itertools.combinations(points, 2))


def test_sum_zero_is_collinear():
    # every line {a, a+d, a+2d} sums to 0, and the third point is never one of the two given
    for x, y in itertools.permutations(itertools.product(range(3), repeat=2), 2):
        z = third_point(x, y)
        d = tuple((b - a) % 3 for a, b in zip(x, y))
        assert z == tuple((a + 2 * e) % 3 for a, e in zip(x, d)) and z not in (x, y)
    page_shows(SD, r"$x + y + z \equiv 0 \pmod 3$", r"$z \equiv -x-y \equiv x + 2(y-x)$")
    # the page's steps: a + (a+d) + (a+2d) = 3a + 3d, and x + 2(y-x) = 2y - x with 2y = -y mod 3
    for a, d in itertools.product(range(3), range(1, 3)):
        assert (a + (a + d) + (a + 2 * d)) == 3 * a + 3 * d and (3 * a + 3 * d) % 3 == 0
    for x, y in itertools.product(range(3), repeat=2):
        assert x + 2 * (y - x) == 2 * y - x and (2 * y - x) % 3 == (-x - y) % 3
    page_shows(SD, "$3a + 3d$", "$x + 2(y-x) = 2y - x$", r"$2y \equiv -y$")


def test_the_small_cap_in_two_dimensions():
    points = list(itertools.product(range(3), repeat=2))
    assert len(points) == 3**2 == 9
    example = [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert third_point((0, 0), (0, 1)) == (0, 2) and is_cap(example)
    largest = max(len(s) for r in range(1, 10) for s in itertools.combinations(points, r) if is_cap(s))
    assert largest == 4 and math.comb(4, 2) == 4 * 3 // 2 == 6
    page_shows(SD, r"$3^2 = 9$", r"$-(0,0)-(0,1) = (0,-1) \equiv (0,2)$",
               r"$\binom{4}{2} = 4 \times 3 / 2 = 6$", "帽集最多 4 个点")
    # the six third points listed on the page, each with a coordinate 2
    for x, y in itertools.combinations(example, 2):
        z = third_point(x, y)
        assert 2 in z
        page_shows(SD, f"- $({x[0]},{x[1]})$ 与 $({y[0]},{y[1]})$：$({z[0]},{z[1]})$")


def test_checking_is_cheap_and_searching_is_not():
    assert math.comb(512, 2) == 512 * 511 // 2 == 130_816
    page_shows(SD, r"$\binom{512}{2} = 512 \times 511 / 2 = 130{,}816$", "此前已知最大的构造是 496 个点")
    assert 3**8 == 6561
    digits = len(str(math.comb(3**8, 512)))
    assert digits == 779
    page_shows(SD, r"$3^8 = 6{,}561$", r"$\binom{6561}{512}$", f"这是一个 {digits} 位的数")


def test_strassen_recursion_counts():
    assert 2**3 == 8
    page_shows(SD, r"共 $2^3 = 8$ 次", "只用 7 次乘法")
    assert 4**3 == 64 and 7 * 7 == 7**2 == 49
    page_shows(SD, r"共 $4^3 = 64$ 次标量乘法", r"共 $7 \times 7 = 7^2 = 49$ 次", "只用 48 次")
    assert f"{100 * (1 - 48 / 49):.2f}" == f"{100 / 49:.2f}" == "2.04"
    page_shows(SD, "相对少了 $1/49$，约少 2.04%")
    # general count s^3, and the recursion: one more level multiplies the count by 48 (or 49, 64)
    page_shows(SD, "各要 $s$ 次乘法，共 $s^3$ 次")

    def recursive_count(per_level: int, k: int) -> int:
        return 1 if k == 0 else per_level * recursive_count(per_level, k - 1)

    for per_level in (64, 49, 48):
        assert all(recursive_count(per_level, k) == per_level**k for k in range(8))
    assert all(recursive_count(7, 2 * k) == 49**k for k in range(8))  # Strassen on 2 x 2 blocks, 2k levels
    assert all(64**k == (4**k) ** 3 for k in range(8))
    page_shows(SD, "每往下一层，乘法次数就乘以 48，共 $k$ 层，所以是 $48^k$ 次标量乘法")


def test_the_recursion_table():
    k = 5
    assert 4**k == 1024
    page_shows(SD, "取 $k = 5$，即 $1024 \\times 1024$ 的矩阵（$4^5 = 1{,}024$）")
    for per_block, label in [(64, "按定义计算"), (49, "递归套用 Strassen 算法"), (48, "递归套用 AlphaEvolve 的算法")]:
        page_shows(SD, f"| {label} | {per_block} | ${per_block}^5 = {fmt_int(per_block**k)}$ |")
    ratio = 48**k / 49**k
    assert f"{ratio:.3f}" == "0.902" and f"{100 * (1 - ratio):.1f}" == "9.8"
    page_shows(SD, r"$48^5 / 49^5 \approx 0.902$", "少约 9.8% 的乘法")
    per_level = round(48 / 49, 4)
    assert per_level == 0.9796 and f"{per_level**5:.3f}" == "0.902" and math.isclose(ratio, (48 / 49) ** 5)
    page_shows(SD, r"$48/49 \approx 0.9796$", r"$0.9796^5 \approx 0.902$", "$1 - 0.902 = 0.098$")


def test_the_exponents():
    assert math.isclose(math.log(49, 4), math.log2(7))
    assert f"{math.log2(7):.3f}" == "2.807" and f"{math.log(48, 4):.3f}" == "2.792"
    page_shows(SD, r"$\log_4 49 = \log_2 7 \approx 2.807$", r"$\log_4 48 \approx 2.792$")
    # the steps: a^(log_4 s) = s^(log_4 a), change of base, log2 48 / 2
    for a in (49, 48, 64):
        for k in range(1, 6):
            s = 4**k
            assert math.isclose(a ** math.log(s, 4), s ** math.log(a, 4))
    assert math.isclose(math.log2(49) / math.log2(4), 2 * math.log2(7) / 2)
    assert f"{math.log2(48):.3f}" == "5.585" and math.isclose(math.log2(48) / 2, math.log(48, 4))
    assert math.isclose(math.log(64, 4), 3)
    page_shows(SD, r"$\log_4 49 = \log_2 49 / \log_2 4 = 2\log_2 7 / 2$", r"$\log_2 48 \approx 5.585$",
               "$64^k = s^3$")


def test_the_budget():
    seconds = 10**6 * 1
    hours = seconds / 3600
    assert f"{hours:.1f}" == "277.8" and f"{hours / 24:.1f}" == "11.6" and f"{hours / 100:.2f}" == "2.78"
    page_shows(SD, r"$10^6 \div 3{,}600$ 约 277.8 小时", "约 11.6 天", r"$277.8 \div 100$，约 2.78 小时")
    assert 43 * 100 == 4300 and 100 * 3600 == 360_000
    page_shows(SD, r"$43 \times 100 = 4{,}300$ 小时", r"$100 \times 3{,}600 = 360{,}000$ 秒", "的 360,000 倍")
    assert 10**6 * 100 == 10**8 and 24 * 365 == 8760
    years = 10**8 / 8760
    assert round(years, -2) == 11_400 and f"{years / 1e4:.1f}" == f"{10**8 / (24 * 365.25) / 1e4:.1f}" == "1.1"
    page_shows(SD, r"要 $10^6 \times 100 = 10^8$ 小时", r"$24 \times 365 = 8{,}760$ 小时",
               r"$10^8 \div 8{,}760 \approx 11{,}400$，约 1.1 万年")


def test_the_workshop_averages():
    for scores, shown in [((6, 7, 6), r"$19/3 \approx 6.33$"), ((3, 7, 4), r"$14/3 \approx 4.67$")]:
        mean = Fraction(sum(scores), len(scores))
        assert f"{float(mean):.2f}" == shown.split(r"\approx ")[1].rstrip("$")
        page_shows(SD, f"得 {scores[0]}、{scores[1]}、{scores[2]} 分，平均 {shown}")
    page_shows(SD, "得 3、3、3 分，平均 3.00")


def matmul_tensor(s: int) -> list[list[list[int]]]:
    """T[i][j][l] = 1 when entry l of C = AB contains (entry i of A) * (entry j of B); row-major numbering."""
    n = s * s
    t = [[[0] * n for _ in range(n)] for _ in range(n)]
    for r, c, m in itertools.product(range(s), repeat=3):
        t[r * s + m][m * s + c][r * s + c] = 1
    return t


def sum_of_rank_one(terms, n: int) -> list[list[list[int]]]:
    return [[[sum(u[i] * v[j] * w[k] for u, v, w in terms) for k in range(n)] for j in range(n)] for i in range(n)]


def test_a_rank_one_term_is_one_multiplication():
    # 4 x 4 matrices: 16 entries each, a 16 x 16 x 16 tensor with 16^3 = 4,096 entries to compare
    assert 4 * 4 == 16 and 16**3 == 4096 and len(matmul_tensor(4)) == 16
    page_shows(SD, r"各有 $4 \times 4 = 16$ 个元素", r"$16 \times 16 \times 16$", r"$16^3 = 4{,}096$ 个元素")
    # the page's reading of one term u (x) v (x) w: (u . A)(v . B), added to C with weights w.
    # Strassen's 7 products for 2 x 2 (entries 11, 12, 21, 22 numbered 0..3) sum to the 2 x 2 tensor,
    # and so compute AB; the 8 products of the definition do too.
    e = [[1 if k == i else 0 for k in range(4)] for i in range(4)]
    a11, a12, a21, a22 = e

    def add(*vs):
        return [sum(x) for x in zip(*vs)]

    def neg(v):
        return [-x for x in v]

    strassen = [
        (add(a11, a22), add(a11, a22), add(a11, a22)),
        (add(a21, a22), a11, add(a21, neg(a22))),
        (a11, add(a12, neg(a22)), add(a12, a22)),
        (a22, add(a21, neg(a11)), add(a11, a21)),
        (add(a11, a12), a22, add(neg(a11), a12)),
        (add(a21, neg(a11)), add(a11, a12), a22),
        (add(a12, neg(a22)), add(a21, a22), a11),
    ]
    assert sum_of_rank_one(strassen, 4) == matmul_tensor(2)
    definition = [(e[r * 2 + m], e[m * 2 + c], e[r * 2 + c]) for r, c, m in itertools.product(range(2), repeat=3)]
    assert len(definition) == 2**3 and sum_of_rank_one(definition, 4) == matmul_tensor(2)
    A, B = [3, -1, 4, 2], [5, 7, -2, 6]
    C = [0] * 4
    for u, v, w in strassen:
        product = sum(x * y for x, y in zip(u, A)) * sum(x * y for x, y in zip(v, B))
        C = [c + wl * product for c, wl in zip(C, w)]
    assert C == [sum(A[r * 2 + m] * B[m * 2 + c] for m in range(2)) for r in range(2) for c in range(2)]
    page_shows(SD, "它的第 $(i,j,l)$ 个元素是 $u_i v_j w_l$", "只用 48 次标量乘法的算法")
