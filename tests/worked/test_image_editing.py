"""Worked numbers of docs/multimodal/image-editing.md, recomputed from their formulas.

SDEdit strength: the page borrows DDPM's linear schedule (T = 1000, beta from 1e-4 to 0.02,
as in docs/multimodal/generation.md) and noises to step t = t0 * T. The official SDEdit code
(github.com/ermongroup/SDEdit at 66a5e44: configs/*.yml linear 1e-4 to 0.02 over 1000 steps,
np.linspace in runners/image_editing.py, x = x0 * sqrt(a[t-1]) + e * sqrt(1 - a[t-1])) uses
the same schedule; the README's example commands pass --t 500.
InstructPix2Pix guidance: the three-prediction combination of the official edit_cli.py
(github.com/timothybrooks/instruct-pix2pix, same at 2afcb7e and at 0dffd1e), on illustrative
values the page says are made up; 100 steps is the CLI default, 1.5 / 7.5 the README's
starting point and the CLI / Gradio defaults (edit_cli.py since 926ff6c, edit_app.py), 1.2
the image scale of the README's optional example command (the CLI default only in 2afcb7e).
Zero convolution: one step of plain SGD on a 1x1 convolution with two input channels,
illustrative values.
FLUX.1 latent tokens: 8x downsampling, 16 channels, 2x2 packing (official
black-forest-labs/flux, src/flux/sampling.py at 1f71c43).
"""

from __future__ import annotations

import math

from worked.pages import fmt_int, page_shows

PAGE = "multimodal/image-editing.md"

T, BETA_1, BETA_T = 1000, 1e-4, 0.02


def sig(x: float, digits: int = 3) -> str:
    """x to `digits` significant digits, trailing zeros kept, as the table prints them."""
    return f"{x:#.{digits}g}"


def alpha_bar(t: int) -> float:
    prod = 1.0
    for s in range(1, t + 1):
        prod *= 1 - (BETA_1 + (BETA_T - BETA_1) * (s - 1) / (T - 1))
    return prod


def test_sdedit_strength_table():
    rows = []
    for t0 in (0.1, 0.3, 0.5, 0.8):
        t = round(t0 * T)
        a = alpha_bar(t)
        rows.append(f"| {t0} | {t} | {sig(a)} | {sig(math.sqrt(a))} | {sig(math.sqrt(1 - a))} |")
    assert rows[1] == "| 0.3 | 300 | 0.396 | 0.630 | 0.777 |"
    page_shows(PAGE, *rows)
    # the prose reads the same numbers back
    a300, a800 = alpha_bar(300), alpha_bar(800)
    assert f"{a300:.1%}" == "39.6%"
    assert math.sqrt(a800) < 0.04
    c100, c300, c500, c800 = (sig(math.sqrt(alpha_bar(t))) for t in (100, 300, 500, 800))
    # the official code's example commands noise to t = 500 of T = 1000
    code_t = 500
    assert code_t / T == 0.5 and round(code_t / T * T) == code_t
    page_shows(PAGE, f"示例命令取 $t = {code_t}$，相当于 $t_0 = {code_t} / {T} = {code_t / T}$",
               "$\\beta_t$ 从 $10^{-4}$ 线性增加到 0.02 的调度")
    page_shows(PAGE, f"原图系数 {c100}", f"来自原图的份额 $\\bar\\alpha_t$ 为 {a300:.1%}", f"原图系数只剩 {c500}",
               f"原图系数 {c800}，不到 4%", f"原图系数就从 {c300} 降到 {c500}")


def guided(uncond: float, img: float, full: float, s_i: float, s_t: float) -> float:
    """edit_cli.py's CFGDenoiser: uncond + s_T (full - img) + s_I (img - uncond)."""
    return round(uncond + s_t * (full - img) + s_i * (img - uncond), 6)


def test_instructpix2pix_two_scale_guidance():
    u, i, f = 0.10, 0.30, 0.45
    assert round(i - u, 6) == 0.20 and round(f - i, 6) == 0.15
    page_shows(PAGE, "0.30 − 0.10 = 0.20", "0.45 − 0.30 = 0.15")
    assert guided(u, i, f, 1.5, 7.5) == 1.525
    page_shows(PAGE, "0.10 + 1.5 \\times 0.20 + 7.5 \\times 0.15 = 0.10 + 0.30 + 1.125 = 1.525")
    assert guided(u, i, f, 1, 1) == 0.45
    page_shows(PAGE, "0.10 + 0.20 + 0.15 = 0.45")
    assert guided(u, i, f, 1.5, 1) == 0.55
    page_shows(PAGE, "0.10 + 0.30 + 0.15 = 0.55")
    assert guided(u, i, f, 1.2, 7.5) == 1.465 and round(1.2 * (i - u), 6) == 0.24
    page_shows(PAGE, "0.10 + 1.2 × 0.20 + 1.125 = 1.465", "从 0.30 降到 0.24")
    steps, passes = 100, 3
    page_shows(PAGE, f"{steps} × {passes} = {steps * passes} 次网络前向")


def test_zero_convolution_step():
    h = (2.0, -1.0)
    w, b = [0.0, 0.0], 0.0
    out = w[0] * h[0] + w[1] * h[1] + b
    assert out == 0
    g, lr = 0.5, 0.1
    grad_w = [g * x for x in h]
    grad_h = [g * x for x in w]
    assert grad_w == [1.0, -0.5] and grad_h == [0.0, 0.0]
    page_shows(PAGE, "$g \\cdot h = (0.5 \\times 2.0,\\ 0.5 \\times (-1.0)) = (1.0,\\ -0.5)$",
               "对输入的梯度是 $g \\cdot w = (0,\\ 0)$")
    w = [round(wi - lr * gi, 6) for wi, gi in zip(w, grad_w)]
    b = round(b - lr * g, 6)
    assert w == [-0.1, 0.05] and b == -0.05
    page_shows(PAGE, "= (-0.1,\\ 0.05)$", "$b \\leftarrow 0 - 0.1 \\times 0.5 = -0.05$")
    out2 = round(w[0] * h[0] + w[1] * h[1] + b, 6)
    assert out2 == -0.30
    page_shows(PAGE, "$o = -0.1 \\times 2.0 + 0.05 \\times (-1.0) - 0.05 = -0.30$")


def test_flux_context_tokens():
    side, down, channels, pack = 1024, 8, 16, 2
    latent = side // down
    per_side = latent // pack
    tokens = per_side ** 2
    assert (latent, per_side, tokens, channels * pack * pack) == (128, 64, 4096, 64)
    page_shows(PAGE, "16 × 4 = 64 个数", "(1024/8) × (1024/8) = 128 × 128",
               f"(128/2) × (128/2) = 64 × 64 = {fmt_int(tokens)} 个")
    both = 2 * tokens
    page_shows(PAGE, f"{fmt_int(tokens)} × 2 = {fmt_int(both)} 个")
    assert (both ** 2) // (tokens ** 2) == 4
    page_shows(PAGE, f"{fmt_int(tokens)}² = {fmt_int(tokens ** 2)}", f"{fmt_int(both)}² = {fmt_int(both ** 2)}",
               "是原来的 4 倍")
    # the score matrix grows with the square of the number of images (target plus references)
    ratios = [((1 + refs) * tokens) ** 2 // tokens ** 2 for refs in (1, 2)]
    assert ratios == [4, 9]
    page_shows(PAGE, f"接一张参考图是 2² = {ratios[0]} 倍，接两张就是 3² = {ratios[1]} 倍")
