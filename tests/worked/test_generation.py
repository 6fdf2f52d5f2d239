"""Worked numbers of docs/multimodal/generation.md, recomputed from their formulas.

The DDPM constants (T, beta_1, beta_T) are the paper's own (Ho et al. 2020, section 4);
the latent shape and patch sizes are DiT's (Peebles & Xie, section 3.2); the tokenizer's
downsampling factor is LlamaGen's abstract, and its README gives the token count behind the
abstract's numbers. Each test asserts the page shows what it computed.
"""

from __future__ import annotations

import math

from worked.pages import fmt_int, page_shows

GEN = "multimodal/generation.md"

# DDPM, section 4: T = 1000, beta rising linearly from 1e-4 to 0.02.
T, BETA_1, BETA_T = 1000, 1e-4, 0.02


def sig(x: float, digits: int) -> str:
    """x to `digits` significant digits, trailing zeros kept (0.280, 0.0100), as the table prints them."""
    return f"{x:#.{digits}g}"


def beta(t: int) -> float:
    return BETA_1 + (BETA_T - BETA_1) * (t - 1) / (T - 1)


def alpha_bar(t: int) -> float:
    """Product of (1 - beta_s) for s = 1..t: the closed form's signal variance."""
    return math.prod(1 - beta(s) for s in range(1, t + 1))


def test_the_schedule_is_the_papers():
    assert beta(1) == BETA_1 and math.isclose(beta(T), BETA_T)
    page_shows(GEN, r"$T = 1000$", r"$\beta_1 = 10^{-4}$", r"$\beta_T = 0.02$",
               r"\beta_t = \beta_1 + (\beta_T - \beta_1)\,\frac{t-1}{T-1}")


def test_the_hand_steps_before_the_table():
    assert sig(beta(500), 4) == "0.01004"
    page_shows(GEN, r"$\beta_{500} = 10^{-4} + (0.02 - 10^{-4}) \times 499/999 \approx 0.01004$")
    a1 = alpha_bar(1)
    assert math.isclose(a1, 1 - BETA_1) and sig(math.sqrt(a1), 5) == "0.99995"
    page_shows(GEN, r"$\bar\alpha_1 = 1 - 10^{-4} = 0.9999$，开方得原图系数 0.99995")


def test_alpha_bar_table_rows():
    # (t, digits for beta, alpha_bar, sqrt(alpha_bar), sqrt(1 - alpha_bar)) as the table rounds them
    rows = {1: (1, 4, 5, 3), 250: (3, 3, 3, 3), 500: (4, 3, 3, 3)}
    for t, (db, da, ds, dn) in rows.items():
        a = alpha_bar(t)
        row = f"| {t} | {sig(beta(t), db)} | {sig(a, da)} | {sig(math.sqrt(a), ds)} | {sig(math.sqrt(1 - a), dn)} |"
        page_shows(GEN, row)
    a = alpha_bar(T)
    mantissa, exponent = f"{a:.2e}".split("e")
    assert (mantissa, int(exponent)) == ("4.04", -5)
    page_shows(GEN, f"| 1000 | {sig(beta(T), 1)} | ${mantissa} \\times 10^{{{int(exponent)}}}$ | {sig(math.sqrt(a), 3)} | {sig(math.sqrt(1 - a), 5)} |")


def test_what_the_reading_of_the_table_says():
    assert sig(math.sqrt(1 - alpha_bar(1)), 2) == "0.010"
    page_shows(GEN, "噪声系数为 0.01")
    a250, a500 = alpha_bar(250), alpha_bar(500)
    assert math.sqrt(a250) > math.sqrt(1 - a250)  # still slightly more image than noise
    page_shows(GEN, f"原图系数 {sig(math.sqrt(a250), 3)} 和噪声系数 {sig(math.sqrt(1 - a250), 3)} 已经差不多大",
               f"只占 {100 * a250:.1f}%", f"原图系数只剩 {sig(math.sqrt(a500), 3)}，方差份额 {100 * a500:.2f}%",
               f"原图系数只有 {sig(math.sqrt(alpha_bar(T)), 3)}，不到 1%", f"原图系数已降到 {sig(math.sqrt(a500), 3)}")
    assert math.sqrt(alpha_bar(T)) < 0.01


def test_pixels_and_latent_of_a_256_image():
    pixels, latent = 256 * 256 * 3, 32 * 32 * 4  # DiT: a 256x256x3 image -> a 32x32x4 latent (f = 8)
    assert 256 // 32 == 8
    assert pixels // latent == 48 and pixels % latent == 0
    f = 256 // 32
    assert f * f == 64  # pixels behind one latent position
    page_shows(GEN, f"256 × 256 × 3 = {fmt_int(pixels)}", f"32 × 32 × 4 = {fmt_int(latent)}",
               f"{fmt_int(pixels)} ÷ {fmt_int(latent)} = 48", f"{f} × {f} = {f * f} 个像素", "只有原来的 1/48")


def test_dit_tokens_per_image():
    tokens = {p: (32 // p) ** 2 for p in (8, 4, 2)}
    assert tokens == {8: 16, 4: 64, 2: 256}
    for p, n in tokens.items():
        side = 32 // p
        page_shows(GEN, f"| {p} | {side} × {side} = {n} |")
    pixel_tokens = (256 // 2) ** 2
    ratio = pixel_tokens // tokens[2]
    assert (pixel_tokens, ratio, ratio**2) == (16384, 64, 4096)
    page_shows(GEN, f"(256/2)² = {fmt_int(pixel_tokens)} 个词元，是潜空间的 "
               f"{fmt_int(pixel_tokens)} ÷ {tokens[2]} = {ratio} 倍",
               "「词元数 × 词元数」的方阵", f"元素个数就是 {ratio}² = {fmt_int(ratio**2)} 倍")


def test_autoregressive_steps_for_a_256_image():
    side = 256 // 16  # LlamaGen's tokenizer downsamples 16 times
    tokens = side * side
    assert tokens == 256 and (2 * 256 // 16) ** 2 // tokens == 4
    page_shows(GEN, f"(256/16) × (256/16) = {side} × {side} = {tokens} 个词元", f"要走 {tokens} 步",
               "分辨率翻倍，词元数就变成 4 倍", "采样要走 $T = 1000$ 步")
    doubled = (512 // 16) ** 2
    assert doubled == 1024 and doubled // tokens == 4
    page_shows(GEN, f"(512/16) × (512/16) = 32 × 32 = {fmt_int(doubled)} 个词元",
               f"{fmt_int(doubled)} ÷ {tokens} = 4 倍")


def test_llamagen_headline_numbers_are_not_the_256_token_case():
    # LlamaGen's README (github.com/FoundationVision/LlamaGen): rFID 0.94 and the 3.1B model's
    # FID 2.18 are its 24x24-token rows (384-pixel images); 16x16 tokens give rFID 2.19.
    side = 384 // 16
    assert side == 24 and side * side == 576 and (256 // 16) ** 2 == 256
    page_shows(GEN, f"(384/16) × (384/16) = {side} × {side} = {side * side} 个词元",
               "rFID 0.94 和 FID 2.18", "16 × 16 = 256 个词元时，分词器的 rFID 是 2.19")


def test_llamagen_vllm_speedup_is_a_time_ratio():
    # LlamaGen (arXiv 2406.06525v1, Table 7 and section 3.4; the same table in the repository's
    # autoregressive/serve/README.md): seconds for one batch at 384x384, baseline vs vLLM.
    # The "speed-up ratio" is baseline time / vLLM time, so 326% means 3.26 times as fast.
    b_base, b_vllm = 7.80, 2.39  # LlamaGen-B, 111M
    xxl_base, xxl_vllm = 26.38, 6.36  # LlamaGen-XXL, 1.4B
    ratio_b, ratio_xxl = b_base / b_vllm, xxl_base / xxl_vllm
    assert f"{ratio_b:.2f}" == "3.26" and int(ratio_b * 100) == 326
    assert int(ratio_xxl * 100) == 414  # the paper truncates 4.148 to 414%
    page_shows(GEN, "「326% 到 414% 的加速」是原实现的用时除以 vLLM 的用时",
               f"原来用 {b_base:.2f} 秒，换用 vLLM 后用 {b_vllm:.2f} 秒，{b_base:.2f} ÷ {b_vllm:.2f} ≈ {ratio_b:.2f}，即 326%",
               f"速度是原来的约 {ratio_b:.1f} 倍", f"速度约为原来的 {ratio_xxl:.1f} 倍")


def test_dit_xl2_gflops_count_multiply_adds():
    # DiT (arXiv 2212.09748, Table 1 and section 3.2): DiT-XL has N = 28 blocks, d = 1152, and
    # DiT-XL/2 cuts the 32x32x4 latent into T = 256 tokens; 118.6 Gflops per forward pass.
    # Official code (github.com/facebookresearch/DiT, models.py): mlp_ratio = 4, each block's
    # adaLN_modulation is Linear(d, 6d) applied to the per-image condition c = t + y, the final
    # layer is adaLN Linear(d, 2d) plus Linear(d, p*p*8). The first author counts a multiply-add
    # as one flop (github.com/facebookresearch/DiT/issues/14).
    n_blocks, d, p, channels, paper_gflops = 28, 1152, 2, 4, 118.6
    tokens = (32 // p) ** 2
    assert tokens == 256
    per_token_block = 4 * d * d + 8 * d * d + 2 * tokens * d  # projections, MLP, QK^T and AV
    assert (12 * d * d, 2 * tokens * d, per_token_block) == (15_925_248, 589_824, 16_515_072)
    body = n_blocks * tokens * per_token_block
    adaln = n_blocks * d * 6 * d  # once per image, not per token
    total = body + adaln
    assert (body, adaln, total) == (118_380_036_096, 222_953_472, 118_602_989_568)
    assert round(total / 1e9, 1) == paper_gflops
    # Everything else: patchify, final adaLN and output linear, and the timestep MLP
    # (bounded here by 2 d^2, its input width being at most d).
    rest = tokens * (p * p * channels) * d + d * 2 * d + tokens * d * (p * p * 2 * channels) + 2 * d * d
    assert rest < 30_000_000 and round((total + rest) / 1e9, 1) == paper_gflops
    page_shows(GEN, f"约 {fmt_int(round(paper_gflops * 1e9 / 1e8))} 亿次乘加",  # 1 亿 = 10^8
               f"12 × {fmt_int(d * d)} + 2 × {tokens} × {fmt_int(d)} = {fmt_int(12 * d * d)} + "
               f"{fmt_int(2 * tokens * d)} = {fmt_int(per_token_block)} 次乘加",
               f"{n_blocks} × {tokens} × {fmt_int(per_token_block)} = {fmt_int(body)} 次",
               f"{n_blocks} × {fmt_int(d)} × {fmt_int(6 * d)} = {fmt_int(adaln)} 次",
               f"两项相加是 {fmt_int(total)} 次，约 $118.6 \\times 10^9$", "不到 3,000 万次",
               f"2 × {fmt_int(round(paper_gflops * 10))} 亿 = {fmt_int(2 * round(paper_gflops * 10))} 亿次")


def test_dit_guidance_on_three_channels():
    # DiT (arXiv 2212.09748) Table 2: DiT-XL/2-G (cfg=1.50) FID 2.27; appendix A: guidance was
    # applied to the first three of the four latent channels, and three-channel scale 1 + x is
    # roughly four-channel scale 1 + 3x/4 (four-channel 1.375 gives FID 2.20). Official models.py
    # forward_with_cfg: eps, rest = model_out[:, :3], model_out[:, 3:].
    s_three = 1.5
    x = s_three - 1
    s_four = 1 + 3 * x / 4
    assert (x, s_four) == (0.5, 1.375)
    page_shows(GEN, "引导强度 $s = 1.5$", "4 个通道中的前 3 个",
               f"这里 $x = {x}$，换算成 $1 + {3 * x / 4} = {s_four}$",
               f"4 个通道都按 {s_four} 引导时 FID 为 2.20")


def test_llamagen_3b_on_vllm_in_the_repository():
    # github.com/FoundationVision/LlamaGen autoregressive/serve/README.md: GPT-3B 14.73 s baseline,
    # 6.26 s with vLLM (235 %); the README's update log: 2024.06.15 models up to 3B supported by vLLM.
    base, vllm = 14.73, 6.26
    ratio = base / vllm
    xxl = 26.38 / 6.36  # the 1.4B model, paper Table 7
    assert f"{ratio:.2f}" == "2.35" and f"{ratio:.1f}" == "2.4" and ratio < xxl
    page_shows(GEN, f"{base:.2f} ÷ {vllm:.2f} ≈ {ratio:.2f}，速度约为原来的 {ratio:.1f} 倍",
               f"比 1.4B 模型的 {xxl:.1f} 倍小")
