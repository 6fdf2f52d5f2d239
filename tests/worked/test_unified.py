"""Worked numbers of docs/multimodal/unified.md, recomputed from the models' published settings.

Sources of the inputs (see the refs.bib provenance of each key):
- Chameleon (chameleonteam2024chameleon, section 2.1): a 512x512 image -> 1024 tokens,
  codebook 8192; section 2.2: 1.4 billion text-image pairs giving 1.5 trillion tokens.
- Show-o (xie2024showo, official configs/showo_demo_512x512.yaml): num_vq_tokens 1024,
  codebook 8192; the README's 512x512 text-to-image demo uses generation_timesteps=50.
- Emu3 (wang2024emu3, official tokenizer config): spatial downsampling 8, codebook 32768;
  processing_emu3.py puts an end-of-line token after every row of image tokens.
- BAGEL (deng2025emerging, official code): VAE downsample 8 with 16 channels, latent patch 2.
- Janus-Pro (chen2025januspro, section 3.1 and generation_inference.py): 384x384 images,
  VQ downsampling 16, SigLIP patch 16.
- Scores: Janus-Pro's Tables 3-5 and BAGEL's README tables.
Each test asserts the page shows what it computed.
"""

from __future__ import annotations

import math

from worked.pages import fmt_int, page_shows

UNI = "multimodal/unified.md"
SIDE = 512
PIXELS = SIDE * SIDE * 3
BITS = PIXELS * 8


def bits_per_code(codebook: int) -> int:
    bits = int(math.log2(codebook))
    assert 2**bits == codebook
    return bits


def test_raw_pixels_of_a_512_image():
    assert (PIXELS, BITS) == (786_432, 6_291_456)
    assert 2**8 == 256
    page_shows(UNI, "共 256 = 2⁸ 种取值，所以占 8 位")
    page_shows(UNI, f"512 × 512 × 3 = {fmt_int(PIXELS)} 个数", f"{fmt_int(PIXELS)} × 8 = {fmt_int(BITS)} 位")


def test_chameleon_and_show_o_tokens():
    tokens, codebook = 1024, 8192
    side = math.isqrt(tokens)
    assert side * side == tokens and side == 32 and SIDE // side == 16
    bits = bits_per_code(codebook)
    assert bits == 13
    page_shows(UNI, "| Chameleon | VQ 离散编号，码本 8,192 条 | 32 | 1,024 | 一个编号，13 位 |",
               "| Show-o | VQ 离散编号，码本 8,192 条 | 32 | 1,024 | 一个编号，13 位 |",
               "1,024 = 32 × 32", "512 ÷ 32 = 16 个像素", "8,192 = 2¹³")
    total = tokens * bits
    assert total == 13_312 and round(BITS / total, 1) == 472.6 and round(BITS / total) == 473
    page_shows(UNI, f"1,024 × 13 = {fmt_int(total)} 位", "只有原始像素的 1/473",
               f"{fmt_int(BITS)} ÷ {fmt_int(total)} ≈ 472.6")
    page_shows(UNI, "13 位二进制数正好有 2¹³ 种取值", "Show-o 的设置与它相同，结果也一样")


def test_emu3_tokens():
    down, codebook = 8, 32768
    side = SIDE // down
    tokens = side * side
    bits = bits_per_code(codebook)
    assert (side, tokens, bits) == (64, 4096, 15)
    page_shows(UNI, "| Emu3 | VQ 离散编号，码本 32,768 条 | 64 | 4,096 | 一个编号，15 位 |",
               "512 ÷ 8 = 64 格", "64 × 64 = 4,096 个词元", "32,768 = 2¹⁵")
    total = tokens * bits
    assert total == 61_440 and BITS / total == 102.4
    page_shows(UNI, f"4,096 × 15 = {fmt_int(total)} 位", "是原始像素的 1/102.4",
               f"{fmt_int(BITS)} ÷ {fmt_int(total)} = 102.4")
    assert tokens // 1024 == 4
    page_shows(UNI, "是 Chameleon 的 4 倍")


def test_bagel_latent_tokens():
    down, channels, patch = 8, 16, 2
    side = SIDE // down
    latent = side * side * channels
    tokens = (side // patch) ** 2
    per_token = patch * patch * channels
    assert (side, latent, tokens, per_token) == (64, 65_536, 1024, 64)
    assert tokens * per_token == latent and PIXELS // latent == 12 and PIXELS % latent == 0
    page_shows(UNI, "| BAGEL（生成一侧） | VAE 连续潜表示，再切 2×2 的块 | 32 | 1,024 | 64 个连续数 |",
               "512 ÷ 8 = 64 格，潜表示的形状是 64 × 64 × 16，共 65,536 个数", "64 ÷ 2 = 32 格",
               "32 × 32 = 1,024 个词元", "2 × 2 × 16 = 64 个连续数", "1,024 × 64 = 65,536",
               f"{fmt_int(PIXELS)} ÷ {fmt_int(latent)} = 12")
    # Illustration only: the page assumes 16-bit storage (half precision), not BAGEL's actual dtype.
    half_bits = latent * 16
    assert half_bits == 1_048_576
    ratio = half_bits / (1024 * 13)
    assert round(ratio, 1) == 78.8 and round(ratio) == 79
    page_shows(UNI, "65,536 × 16 = 1,048,576 位", "约是 Chameleon 的 79 倍", "1,048,576 ÷ 13,312 ≈ 78.8")


def test_chameleon_tokens_per_pair():
    per_pair = 1.5e12 / 1.4e9
    assert round(per_pair) == 1071 and round(100 * 1024 / per_pair) == 96
    assert round(1024 / 1071, 3) == 0.956
    page_shows(UNI, "1.5 × 10¹² ÷ (1.4 × 10⁹) ≈ 1,071 个词元", "其中 1,024 个是图像词元，约占 96%",
               "1,024 ÷ 1,071 ≈ 0.956")


def test_chameleon_unique_training_tokens():
    # Section 2.3: 2.1 epochs, 9.2 trillion tokens seen; Table 1 lists 4.4T tokens.
    assert round(9.2 / 2.1, 1) == 4.4
    page_shows(UNI, "9.2 ÷ 2.1 ≈ 4.4 万亿个词元")


def test_attention_of_a_mixed_sequence():
    text = 100
    n_cham, n_emu = text + 1024, text + 4096
    assert (n_cham, n_emu) == (1124, 4196)
    assert (n_cham**2, n_emu**2) == (1_263_376, 17_606_416)
    assert round(n_emu**2 / n_cham**2, 1) == 13.9
    page_shows(UNI, "100 + 1,024 = 1,124", "100 + 4,096 = 4,196", "1,124² = 1,263,376",
               "4,196² = 17,606,416", "约为前者的 13.9 倍", "17,606,416 ÷ 1,263,376 ≈ 13.9")
    # Halving the downsampling (16 -> 8) quadruples image tokens; the image-image block grows 16x.
    assert (SIDE // 8) ** 2 == 4 * (SIDE // 16) ** 2 and 4096**2 == 16 * 1024**2
    page_shows(UNI, "Chameleon 是 16 倍，Emu3 是 8 倍", "图像词元变成 2² = 4 倍", "元素数变成 4² = 16 倍")
    rows = SIDE // 8  # one end-of-line token per row of Emu3's 64x64 grid
    assert rows == 64
    page_shows(UNI, "又多 64 个")


def test_generation_steps():
    steps = 50
    assert round(1024 / steps, 1) == 20.5
    page_shows(UNI, "要走 1,024 步（Chameleon）或 4,096 步（Emu3）", "走 50 步",
               "1,024 ÷ 50 ≈ 20.5 个词元", "典型去噪步数是 50")


def test_janus_pro_positions():
    side = 384 // 16
    assert side == 24 and side * side == 576
    page_shows(UNI, "(384 ÷ 16)² = 24² = 576 个词元", "(384 ÷ 16)² = 576 个特征")


def test_score_gaps():
    qwen, janus_pro, bagel = 58.6, 41.0, 55.3
    assert round(qwen - janus_pro, 1) == 17.6 and round(qwen - bagel, 1) == 3.3
    page_shows(UNI, "58.6 − 41.0 = 17.6 分", "58.6 − 55.3 = 3.3 分",
               "| Janus-Pro-7B | 统一 | 0.80 | 41.0 |", "| BAGEL | 统一 | 0.82 | 55.3 |",
               "| Qwen2.5-VL-7B | 只理解 | — | 58.6 |", "得 84.19，SD3-Medium 为 84.08")


def test_bagel_against_qwen_on_other_understanding_benchmarks():
    # BAGEL README, understanding table: (BAGEL, Qwen2.5-VL-7B) per benchmark.
    rows = {"MME": (2388, 2347), "MMBench": (85.0, 83.5), "MM-Vet": (67.2, 67.1),
            "MathVista": (73.1, 68.2), "MMMU": (55.3, 58.6)}
    ahead = sorted(k for k, (b, q) in rows.items() if b > q)
    assert ahead == ["MM-Vet", "MMBench", "MME", "MathVista"]
    assert round(rows["MM-Vet"][0] - rows["MM-Vet"][1], 1) == 0.1
    page_shows(UNI, "MME（2,388 对 2,347）", "MMBench（85.0 对 83.5）", "MathVista（73.1 对 68.2）",
               "几乎相同（67.2 对 67.1）", "只有 MMMU 还落后")


def test_show_o_geneval_versions():
    # Janus-Pro Table 4 quotes 0.53; Show-o's updated table (docs/show-o-geneval.png) gives 0.68.
    page_shows(UNI, "| Show-o | 统一 | 0.53（早期结果，见下文） | 26.7（512×512 版） |",
               "GenEval 总分已提高到 0.68")


def test_chameleon_human_eval_baselines():
    # Chameleon section 4.2.2: win rates 60.4 / 51.6 over Gemini+ / GPT-4V+ (answers with DALL-E 3
    # images inserted) and 69.1 / 61.7 over the plain text-only Gemini / GPT-4V answers.
    # Figure 9b's wins + ties/2 reproduce three of the four (the Gemini+ one gives 58.75), so the
    # page quotes the rates and does not derive them.
    assert round(35.8 + 31.6 / 2, 1) == 51.6 and round(53.5 + 31.2 / 2, 1) == 69.1
    assert round(46.0 + 31.4 / 2, 1) == 61.7
    page_shows(UNI, "对 Gemini+ 的胜率是 60.4%，对 GPT-4V+ 是 51.6%", "分别是 69.1% 和 61.7%",
               "| Transfusion | 统一 | 0.63 | 未列出 |")


def test_bagel_emergence_is_tied_to_scale():
    # BAGEL abstract: 'When scaled with such diverse multimodal interleaved data, BAGEL exhibits emerging
    # capabilities'; introduction: understanding and generation first, then editing and free-form
    # manipulation, then long-context reasoning. The page once said the abilities emerge when the data
    # are diverse enough, leaving out the scaling.
    page_shows(UNI, "用这样多样的交错数据把预训练规模扩大之后", "最后长上下文推理开始帮助理解和生成")
