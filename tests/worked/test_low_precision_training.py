"""Worked numbers of docs/efficiency/low-precision-training.md, recomputed.

Formats are decoded from their bit layouts: normal x = (-1)^s 2^(e-b) (1 + m/2^M), subnormal
(e = 0) x = (-1)^s 2^(1-b) m/2^M. E5M2 and fp16 reserve the all-ones exponent (IEEE 754);
E4M3 reserves only S.1111.111 for NaN and has no infinities (Micikevicius et al. 2022); E2M1
has no special values. Rounding is to nearest, ties to even, as the page says. The quantization
example uses alpha = 448 / amax and blocks of 4 (shrunk from MX's 32, as the page notes).
"""

from __future__ import annotations

import math
import struct
from fractions import Fraction as F

import numpy as np

from worked.pages import page_shows

PAGE = "efficiency/low-precision-training.md"


def decode(bits: str, e_bits: int, m_bits: int) -> F:
    """The value of a sign/exponent/mantissa bit string (spaces ignored)."""
    bits = bits.replace(" ", "")
    s, e, m = int(bits[0]), int(bits[1:1 + e_bits], 2), int(bits[1 + e_bits:], 2)
    bias = 2 ** (e_bits - 1) - 1
    if e == 0:
        mag = F(2) ** (1 - bias) * F(m, 2 ** m_bits)
    else:
        mag = F(2) ** (e - bias) * (1 + F(m, 2 ** m_bits))
    return -mag if s else mag


def grid(e_bits: int, m_bits: int, allowed) -> list[tuple[F, int]]:
    """Non-negative (value, mantissa field) pairs of a format, the codes ``allowed(e, m)`` keeps."""
    out = []
    for e in range(2 ** e_bits):
        for m in range(2 ** m_bits):
            if allowed(e, m):
                code = "0" + format(e, f"0{e_bits}b") + format(m, f"0{m_bits}b")
                out.append((decode(code, e_bits, m_bits), m))
    return sorted(set(out))


E4M3 = grid(4, 3, lambda e, m: not (e == 15 and m == 7))
E5M2 = grid(5, 2, lambda e, m: e != 31)
E2M1 = grid(2, 1, lambda e, m: True)


def round_to(x: F, g) -> F:
    """Round to nearest representable value, ties to an even mantissa; saturate at the maximum."""
    sign, a = (-1 if x < 0 else 1), abs(x)
    if a >= g[-1][0]:
        return sign * g[-1][0]
    best = min(g, key=lambda vm: (abs(vm[0] - a), vm[1] % 2))
    return sign * best[0]


def pct(x: float, nd: int) -> str:
    return f"{100 * x:.{nd}f}%"


def test_decoding_three_bit_patterns():
    assert decode("0 1010 011", 4, 3) == 11
    assert decode("1 0000 101", 4, 3) == F(-9765625, 10 ** 9)
    assert decode("0 10001 10", 5, 2) == 6
    page_shows(PAGE, "2^3 \\times 1.375 = 11", "-2^{-6} \\times 0.625 = -0.009765625",
               "2^2 \\times 1.5 = 6")
    # E5M2 cannot hold 11: neighbours 10 and 12, tie to the even mantissa gives 12
    assert round_to(F(11), E5M2) == 12 and round_to(F(11), E4M3) == 11
    page_shows(PAGE, "误差为 1 ÷ 11 ≈ 9.1%", "8、10、12、14")
    assert f"{1 / 11:.3f}" == "0.091"
    # spacings in [8, 16): E5M2 8 * 2^-2 = 2 (values 8, 10, 12, 14), E4M3 8 * 2^-3 = 1
    in_8_16 = [v for v, _ in E5M2 if 8 <= v < 16]
    assert in_8_16 == [8, 10, 12, 14] and 8 * F(1, 4) == 2
    assert [v for v, _ in E4M3 if 8 <= v < 16] == list(range(8, 16))
    page_shows(PAGE, "8 \\times 2^{-2} = 2", "E4M3 在同一段的间隔是 1")
    # E4M3 reclaims 7 of the 8 all-ones-exponent mantissas (111 is NaN)
    assert sum(1 for m in range(8) if not (m == 7)) == 7
    assert [v for v, _ in E4M3 if v >= 256] == [256, 288, 320, 352, 384, 416, 448]
    page_shows(PAGE, "其余 7 种尾数都是普通的数")


def test_largest_finite_values_and_steps():
    assert E5M2[-1][0] == 57344 == F(7, 4) * 2 ** 15
    assert E4M3[-1][0] == 448 == F(7, 4) * 2 ** 8
    assert F(15, 8) * 2 ** (14 - 7) == 240
    assert E2M1[-1][0] == 6
    assert [v for v, _ in E2M1] == [0, F(1, 2), 1, F(3, 2), 2, 3, 4, 6]
    assert decode("0 11110 1111111111", 5, 10) == 65504 == (2 - F(1, 2 ** 10)) * 2 ** 15
    page_shows(PAGE, "32{,}768 \\times 1.75 = 57{,}344", "256 \\times 1.75 = 448", "1.875 = 240",
               "2^2 \\times 1.5 = 6", "0、0.5、1、1.5、2、3、4、6", "32{,}768 = 65{,}504")
    # the table: max, step near 1, smallest normal
    assert (2 - 2 ** -23) * 2 ** 127 == float(np.finfo(np.float32).max)
    assert f"{(2 - 2 ** -23) * 2 ** 127:.2e}" == "3.40e+38" and f"{(2 - 2 ** -7) * 2 ** 127:.2e}" == "3.39e+38"
    assert f"{2 ** -23:.2e}" == "1.19e-07" and f"{2 ** -126:.2e}" == "1.18e-38"
    assert f"{2 ** -10:.2e}" == "9.77e-04" and f"{2 ** -14:.2e}" == "6.10e-05"
    assert 2 ** -7 == 0.0078125 and 2 ** -6 == 0.015625
    # bf16's step near 1 is 8 times fp16's; E5M2 is fp16 with 8 fewer mantissa bits; E2M1 has 8 values >= 0
    assert 2 ** -7 / 2 ** -10 == 8 and 10 - 2 == 8 and len(E2M1) == 8
    page_shows(PAGE, "比 fp16 粗 8 倍", "砍掉 8 位尾数的 fp16", "只有 8 个非负值")
    page_shows(PAGE, "约 $3.40 \\times 10^{38}$", "约 $3.39 \\times 10^{38}$", "1.19 \\times 10^{-7}",
               "1.18 \\times 10^{-38}", "9.77 \\times 10^{-4}", "6.10 \\times 10^{-5}", "2^{-7} = 0.0078125",
               "2^{-6} = 0.015625")
    # E4M3 spans max / min subnormal ~ 2.3e5; fp16 ~ 1e12
    assert 448 / 2 ** -9 == 229376 and f"{448 / 2 ** -9:.1e}" == "2.3e+05"
    assert round(math.log10(65504 / 2 ** -24)) == 12
    page_shows(PAGE, "2.3 \\times 10^5", "约为 $10^{12}$", "2^{-9} \\approx 0.00195")


X = [F("224"), F("-0.6"), F("0.035"), F("0.9"), F("0.007"), F("-0.0017"), F("0.0006"), F("0.0024")]


def quantize(xs, amax):
    alpha = F(448) / amax
    return alpha, [round_to(x * alpha, E4M3) / alpha for x in xs]


def test_per_tensor_versus_per_block():
    alpha_t, per_tensor = quantize(X, max(abs(x) for x in X))
    assert alpha_t == 2
    block2 = X[4:]
    alpha_b, per_block = quantize(block2, max(abs(x) for x in block2))
    assert alpha_b == 64000
    # the first block: same scale either way
    assert quantize(X[:4], max(abs(x) for x in X[:4]))[1] == per_tensor[:4]
    t = per_tensor[4:]
    assert t == [F("0.0068359375"), F("-0.001953125"), F("0.0009765625"), F("0.001953125")]
    assert per_block == [F("0.007"), F("-0.00175"), F("0.000625"), F("0.0025")]
    # steps of the per-tensor case: multiples of the subnormal spacing 2^-9
    spacing = F(1, 512)
    assert [float(x * 2 / spacing) for x in block2] == [7.168, -1.7408, 0.6144, 2.4576]
    assert [x * 64000 for x in block2] == [448, F("-108.8"), F("38.4"), F("153.6")]
    rel_t = [float(abs(q - x) / abs(x)) for q, x in zip(t, block2)]
    rel_b = [float(abs(q - x) / abs(x)) for q, x in zip(per_block, block2)]
    assert [pct(r, 2) for r in rel_t[:1]] == ["2.34%"]
    assert [pct(r, 1) for r in rel_t[1:]] == ["14.9%", "62.8%", "18.6%"]
    assert [pct(r, 2) for r in rel_b[1:]] == ["2.94%", "4.17%", "4.17%"]
    assert pct(sum(rel_t) / 4, 1) == "24.7%" and pct(sum(rel_b) / 4, 1) == "2.8%"
    page_shows(PAGE, "448 \\div 224 = 2", "448 \\div 0.007 = 64{,}000", "7 × 0.001953125 = 0.013671875",
               "0.0068359375，相对误差 2.34%", "1.7408", "0.6144", "2.4576", "相对误差 14.9%",
               "相对误差 62.8%", "相对误差 18.6%", "−108.8", "舍入到 −112，还原为 −0.00175，相对误差 2.94%",
               "38.4", "舍入到 40，还原为 0.000625，相对误差 4.17%", "153.6", "舍入到 160，还原为 0.0025",
               "按张量缩放是 24.7%，按块缩放是 2.8%")
    # first block under alpha = 2: -0.6 -> -1.25 -> -0.625 etc. (not shown); max error of E4M3 normals
    assert F(1, 16) == F("0.0625")
    page_shows(PAGE, "6.25%")
    # scale storage: fp32 scale per 4 elements (as many bits as the 8-bit element: storage doubles);
    # MX 8-bit scale per 32; NVFP4 E4M3 scale per 16
    assert 32 / 4 == 8 == 1 + 4 + 3 and (8 + 32 / 4) / 8 == 2
    assert 8 / 32 == 0.25 and 8 + 8 / 32 == 8.25 and 4 + 8 / 32 == 4.25 and 4 + 8 / 16 == 4.5
    page_shows(PAGE, "32 ÷ 4 = 8", "和 8 比特的 E4M3 元素本身一样多，存储翻了一倍", "8 ÷ 32 = 0.25",
               "8.25 比特", "4.25 比特", "平均每个元素 4.5 比特")


def bf16(x: float) -> float:
    """Round an fp32 value to bf16 (nearest, ties to even) and back."""
    b = struct.unpack("<I", struct.pack("<f", np.float32(x)))[0]
    r = ((b + 0x7FFF + ((b >> 16) & 1)) >> 16) << 16
    return struct.unpack("<f", struct.pack("<I", r))[0]


def test_loss_scaling():
    g = 1.0e-8
    assert float(np.float16(g)) == 0.0 and g < 2 ** -25
    assert f"{2 ** -24:.2e}" == "5.96e-08" and f"{2 ** -25:.2e}" == "2.98e-08"
    page_shows(PAGE, "2^{-24} \\approx 5.96 \\times 10^{-8}", "2^{-25} \\approx 2.98 \\times 10^{-8}")
    b = bf16(g)
    assert f"{b:.5e}" == "1.00117e-08" and f"{abs(b - g) / g:.2%}" == "0.12%"
    page_shows(PAGE, "1.00117 \\times 10^{-8}", "相对误差约 0.12%")
    lo, hi = 2 ** -14 / g, 65504 / 2
    assert round(lo) == 6104 and hi == 32752
    assert [2 ** k for k in range(1, 20) if lo <= 2 ** k <= hi] == [8192, 16384]
    page_shows(PAGE, "\\approx 6{,}104", "S \\le 32{,}752", "2^{13} = 8{,}192", "2^{14} = 16{,}384")
    S = 2 ** 14
    y = g * S
    assert f"{y:.4e}" == "1.6384e-04" and 2 ** -13 <= y < 2 ** -12
    assert f"{y / 2 ** -23:.2f}" == "1374.39"
    q = float(np.float16(y))
    assert q / 2 ** -23 == 1374
    back = q / S
    assert back == 1374 * 2 ** -37 and f"{back:.4e}" == "9.9972e-09"
    assert f"{abs(back - g) / g:.3%}" == "0.028%"
    page_shows(PAGE, "1.6384 \\times 10^{-4}", "1374.39 倍", "1374 \\times 2^{-37} \\approx 9.9972 \\times 10^{-9}",
               "相对误差约 0.028%")
    with np.errstate(over="ignore"):
        assert 2 * 2 ** 16 == 131072 > 65504 and float(np.float16(131072.0)) == math.inf
    page_shows(PAGE, "2 × 65,536 = 131,072", "超过 65,504")


def test_stochastic_rounding():
    x, lo, hi = F("2.4"), F(2), F(3)
    assert round_to(x, E2M1) == 2
    p_up = (x - lo) / (hi - lo)
    assert p_up == F("0.4")
    assert (1 - p_up) * lo + p_up * hi == x
    assert p_up * (1 - p_up) * (hi - lo) ** 2 == F("0.24")
    page_shows(PAGE, "0.6 × 2 + 0.4 × 3 = 2.4", "0.4 × 0.6 × 1² = 0.24", "每次都偏小 0.4")


def test_nvfp4_report_numbers():
    """NVFP4 report (arXiv 2509.25149): MXFP4 vs NVFP4 on an 8B model, and the 12B model's bf16 blocks."""
    # MXFP4 matches NVFP4's 1T-token loss after 1.36T tokens (section 5)
    mx_tokens, nv_tokens = F("1.36"), F(1)
    assert (mx_tokens - nv_tokens) / nv_tokens == F(36, 100)
    page_shows(PAGE, "1.36T 词元，即多训 (1.36 − 1) ÷ 1 = 36%", "相对高约 2.5%，NVFP4 约 1.5%")
    # 12B: 62 blocks of 2 linear layers each; the first 2 and last 8 blocks stay in bf16 (section 4.1: 16%)
    blocks, linear_per_block, kept = 62, 2, 2 + 8
    share = F(kept * linear_per_block, blocks * linear_per_block)
    assert kept * linear_per_block == 20 and blocks * linear_per_block == 124
    assert f"{float(share):.0%}" == "16%"
    page_shows(PAGE, "前 2 个和最后 8 个留在 bf16", "20 ÷ 124 ≈ 16% 的线性层")


def test_e4m3_normal_relative_error_bound():
    """Round-to-nearest on E4M3 normals: relative error at most half a step over 2^k, i.e. 1/16."""
    normals = [v for v, _ in E4M3 if v >= F(1, 64)]
    worst = max((b - a) / 2 / a for a, b in zip(normals, normals[1:]))
    assert worst == F(1, 16) and f"{float(worst):.2%}" == "6.25%"
    page_shows(PAGE, "相对误差不超过 1/16 = 6.25%")


def _sci(x: float) -> str:
    """x as the page writes it in the table: mantissa to 2 decimals times a power of ten."""
    m, e = f"{x:.2e}".split("e")
    return f"{m} \\times 10^{{{int(e)}}}"


def test_format_table_rows_from_bit_layouts():
    """Every cell of the format table, recomputed from (exponent bits, mantissa bits).

    Bias 2^(E-1) - 1; step near 1 is 2^-M; smallest normal 2^(1-b); largest finite value from the
    IEEE formula (2 - 2^-M) 2^(2^E - 2 - b) for fp32, fp16, bf16 and E5M2, and from the enumerated
    grids for E4M3 (only S.1111.111 is NaN) and E2M1 (no special values).
    """
    def ieee_max(e_bits, m_bits):
        b = 2 ** (e_bits - 1) - 1
        return (2 - F(1, 2 ** m_bits)) * F(2) ** (2 ** e_bits - 2 - b)

    rows = {  # name: (E, M, largest finite value as the page prints it)
        "fp32": (8, 23, "约 $" + _sci(float(ieee_max(8, 23))) + "$"),
        "fp16": (5, 10, f"{int(ieee_max(5, 10)):,}"),
        "bf16": (8, 7, "约 $" + _sci(float(ieee_max(8, 7))) + "$"),
        "FP8 E4M3": (4, 3, str(int(E4M3[-1][0]))),
        "FP8 E5M2": (5, 2, f"{int(ieee_max(5, 2)):,}"),
        "FP4 E2M1": (2, 1, str(int(E2M1[-1][0]))),
    }
    assert E5M2[-1][0] == ieee_max(5, 2)
    for name, (e_bits, m_bits, vmax) in rows.items():
        b = 2 ** (e_bits - 1) - 1
        step, tiny = F(1, 2 ** m_bits), F(2) ** (1 - b)
        # exact decimals are written out for short ones, the rest to 3 significant digits
        if m_bits == 1:
            step_s = str(float(step))
        elif m_bits <= 7:
            step_s = f"$2^{{{-m_bits}}} = {float(step)}$"
        else:
            step_s = f"$2^{{{-m_bits}}} \\approx {_sci(float(step))}$"
        if b == 1:
            tiny_s = str(int(tiny))
        elif 1 - b >= -6:
            tiny_s = f"$2^{{{1 - b}}} = {float(tiny)}$"
        else:
            tiny_s = f"$2^{{{1 - b}}} \\approx {_sci(float(tiny))}$"
        page_shows(PAGE, f"| {name} | {e_bits} | {m_bits} | {b} | {vmax} | {step_s} | {tiny_s} |")


def test_smallest_subnormals_and_the_outlier_block():
    # E4M3 smallest subnormal 2^(1-7-3) = 2^-9; E2M1's only positive subnormal is 0.5
    assert decode("0 0000 001", 4, 3) == F(1, 2 ** 9) and f"{2 ** -9:.5f}" == "0.00195"
    assert [v for v, _ in E2M1 if 0 < v < 1] == [F(1, 2)]
    page_shows(PAGE, "2^{-9} \\approx 0.00195", "0.5 是唯一的正次正规数")
    # under alpha = 2 every element of the second block falls below the smallest normal 2^-6
    assert all(abs(x) * 2 < F(1, 64) for x in X[4:])
    page_shows(PAGE, "后一块的数乘以 2 之后都小于最小正规数 $2^{-6} = 0.015625$")
