"""Worked numbers of docs/multimodal/3d-generation.md, recomputed.

Three examples. (1) A closed genus-0 triangle mesh: Euler's formula V - E + F = 2 with
2E = 3F gives F = 2V - 4; float32 coordinates and int32 indices. (2) NeRF's discrete volume
rendering on three samples of one ray: alpha_i = 1 - exp(-sigma_i delta_i),
T_i = exp(-sum_{j<i} sigma_j delta_j), w_i = T_i alpha_i (the densities, spacing and colours
are illustrative values, as the page says). (3) 3D Gaussian Splatting storage from the
official code (github.com/graphdeco-inria/gaussian-splatting: scene/gaussian_model.py at
1152adc keeps xyz 3, scaling 3, rotation 4, opacity 1 and (sh_degree+1)^2 SH coefficients
per colour channel; arguments/__init__.py at 01f0874 sets sh_degree = 3; save_ply adds 3 zero
normals; all float32; Adam over every parameter). The 3 million Gaussians are illustrative.
"""

from __future__ import annotations

from math import exp

from worked.pages import page_shows

PAGE = "multimodal/3d-generation.md"


def mesh_bytes(v):
    """Vertex and face bytes of a closed genus-0 triangle mesh with v vertices."""
    f = 2 * v - 4
    e = 3 * f // 2
    assert v - e + f == 2
    return f, v * 3 * 4, f * 3 * 4


def test_closed_triangle_mesh():
    v = 50_000
    f, vert_bytes, face_bytes = mesh_bytes(v)
    total = vert_bytes + face_bytes
    assert (f, vert_bytes, face_bytes, total) == (99_996, 600_000, 1_199_952, 1_799_952)
    assert f"{total / 1e6:.1f}" == "1.8"
    # "面占的字节是顶点的两倍左右"
    assert f"{face_bytes / vert_bytes:.1f}" == "2.0"
    page_shows(PAGE, "$F = 2V - 4$", "$F = 2 \\times 50{,}000 - 4 = 99{,}996$",
               "$50{,}000 \\times 3 \\times 4 = 600{,}000$ 字节",
               "$99{,}996 \\times 3 \\times 4 = 1{,}199{,}952$ 字节",
               "$600{,}000 + 1{,}199{,}952 = 1{,}799{,}952$ 字节，约 1.8 MB",
               "面占的字节是顶点的两倍左右")


SIGMA = (0.2, 2.0, 4.0)
DELTA = 0.5
RED = (0.2, 1.0, 0.5)


def r3(x):
    return f"{x:.3f}"


def test_volume_rendering_three_samples():
    sd = [s * DELTA for s in SIGMA]
    assert sd == [0.1, 1.0, 2.0]
    alpha = [1 - exp(-x) for x in sd]
    assert [r3(a) for a in alpha] == ["0.095", "0.632", "0.865"]
    trans = [1.0, exp(-sd[0]), exp(-(sd[0] + sd[1]))]
    assert [r3(t) for t in trans] == ["1.000", "0.905", "0.333"]
    # T_3 also as the product of (1 - alpha_j), with the rounded numbers the page shows
    assert r3((1 - alpha[0]) * (1 - alpha[1])) == "0.333" and r3(0.905 * 0.368) == "0.333"
    assert r3(1 - 0.632) == "0.368"
    w = [t * a for t, a in zip(trans, alpha)]
    assert [r3(x) for x in w] == ["0.095", "0.572", "0.288"]
    # the products of the rounded values shown agree with the exact weights
    assert r3(0.905 * 0.632) == "0.572" and r3(0.333 * 0.865) == "0.288"
    contrib = [x * c for x, c in zip(w, RED)]
    assert [r3(x) for x in contrib] == ["0.019", "0.572", "0.144"]
    red = sum(contrib)
    assert r3(red) == "0.735" and r3(0.019 + 0.572 + 0.144) == "0.735"
    total_w = sum(w)
    assert r3(total_w) == "0.955" == r3(1 - exp(-sum(sd))) == r3(0.095 + 0.572 + 0.288)
    background = exp(-sum(sd))
    assert r3(background) == "0.045" and sum(sd) == 3.1
    assert r3(red + background * 1.0) == "0.780"
    # the densest sample gets about half the weight of the surface in front of it
    assert f"{w[2] / w[1]:.2f}" == "0.50" and f"{trans[2]:.1%}" == "33.3%"
    page_shows(PAGE, "$\\sigma = (0.2,\\ 2.0,\\ 4.0)$", "$c = (0.2,\\ 1.0,\\ 0.5)$", "$\\delta = 0.5$",
               "$0.2 \\times 0.5 = 0.1$，$2.0 \\times 0.5 = 1.0$，$4.0 \\times 0.5 = 2.0$",
               "$1 - e^{-0.1} = 0.095$，$1 - e^{-1} = 0.632$，$1 - e^{-2} = 0.865$",
               "$T_2 = e^{-0.1} = 0.905$；$T_3 = e^{-(0.1 + 1.0)} = e^{-1.1} = 0.333$",
               "$0.905 \\times (1 - 0.632) = 0.905 \\times 0.368 = 0.333$",
               "$1 \\times 0.095 = 0.095$，$0.905 \\times 0.632 = 0.572$，$0.333 \\times 0.865 = 0.288$",
               "$0.095 \\times 0.2 + 0.572 \\times 1.0 + 0.288 \\times 0.5$",
               "$0.019 + 0.572 + 0.144 = 0.735$",
               "$0.095 + 0.572 + 0.288 = 0.955$",
               "$1 - e^{-(0.1 + 1.0 + 2.0)} = 1 - e^{-3.1} = 1 - 0.045 = 0.955$",
               "$0.045 \\times 1 = 0.045$，得到 $0.735 + 0.045 = 0.780$",
               "权重却只有 0.288，约为第二个样本（0.572）的一半", "只有 33.3% 的光走到了它那里")


def test_gaussian_splatting_storage():
    sh_degree = 3
    per_channel = (sh_degree + 1) ** 2
    colour = per_channel * 3
    assert (per_channel, colour) == (16, 48)
    floats = 3 + 3 + 4 + 1 + colour
    assert floats == 59
    per_gaussian = floats * 4
    assert per_gaussian == 236
    n = 3_000_000
    assert per_gaussian * n == 708_000_000
    assert f"{colour / floats:.1%}" == "81.4%"
    dc_only = 3 + 3 + 4 + 1 + 3
    assert (dc_only, dc_only * 4, dc_only * 4 * n) == (14, 56, 168_000_000)
    ply = (floats + 3) * 4
    assert (floats + 3, ply, ply * n) == (62, 248, 744_000_000)
    # parameter + gradient + Adam's first and second moments
    train = per_gaussian * 4
    assert (train, train * n) == (944, 2_832_000_000) and f"{train * n / 1e9:.2f}" == "2.83"
    # a Gaussian scene vs the 1.8 MB mesh above: two to three orders of magnitude
    mesh_total = sum(mesh_bytes(50_000)[1:])
    ratio = per_gaussian * n / mesh_total
    assert 100 < ratio < 1000 and f"{ratio:.0f}" == "393"
    # the closing sentence: keeping only degree 0 takes the scene from 708 MB to 168 MB
    assert (per_gaussian * n // 10**6, dc_only * 4 * n // 10**6) == (708, 168)
    page_shows(PAGE, "$(3+1)^2 = 16$ 个系数", "$16 \\times 3 = 48$ 个数",
               "$3 + 3 + 4 + 1 + 48 = 59$ 个数", "$59 \\times 4 = 236$ 字节",
               "$236 \\times 3{,}000{,}000 = 708{,}000{,}000$ 字节，即 708 MB",
               "$48 \\div 59 \\approx 81.4\\%$",
               "$3 + 3 + 4 + 1 + 3 = 14$ 个数，$14 \\times 4 = 56$ 字节",
               "$56 \\times 3{,}000{,}000 = 168{,}000{,}000$ 字节，即 168 MB",
               "$59 + 3 = 62$ 个数，$62 \\times 4 = 248$ 字节",
               "$248 \\times 3{,}000{,}000 = 744{,}000{,}000$ 字节，即 744 MB",
               "$236 \\times 4 = 944$ 字节",
               "$944 \\times 3{,}000{,}000 = 2{,}832{,}000{,}000$ 字节，约 2.83 GB",
               "每个颜色通道 $(3 + 1)^2 = 16$ 个系数", "就能从 708 MB 降到 168 MB",
               "$708{,}000{,}000 \\div 1{,}799{,}952 \\approx 393$ 倍")
