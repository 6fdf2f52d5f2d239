"""Worked numbers of docs/multimodal/document-understanding.md, recomputed from their formulas.

The A4 size (210 x 297 mm), 300 DPI and a 10-point font are the page's own illustration.
LLaVA-1.5's 336-pixel input and 14-pixel patches are docs/multimodal/introduction.md's.
The aspect-preserving rescale is Pix2Struct's patch_sequence (pix2struct/preprocessors.py in
github.com/google-research/pix2struct); the 2,048-patch budget is the page's choice. DeepSeek-OCR's
16-pixel patches, 4x-per-side compression and row separators are its official code
(process/image_process.py), and its multi-crop mode's limit of nine 640-pixel crops is config.py;
the 768-pixel local views and the 1,120 bound are DeepSeek-OCR 2's paper (section 3.2.3). Introduction's 1,536 tokens per page is Qwen2-VL's, computed there.
ANLS follows pix2struct/metrics.py (anls_metric, theta 0.5, lowercased); the first three gold
answers are DocVQA's figure 1, the predictions and the fourth question are the page's own.
OmniDocBench v1.5 scores are DeepSeek-OCR 2's table 1. Each test asserts the page shows what it
computed.
"""

from __future__ import annotations

import math

from worked.pages import fmt_int, page_shows

DOC = "multimodal/document-understanding.md"
MM_PER_INCH, DPI, FONT_PT = 25.4, 300, 10
A4_W_MM, A4_H_MM = 210, 297


def a4_pixels() -> tuple[int, int]:
    return round(A4_W_MM / MM_PER_INCH * DPI), round(A4_H_MM / MM_PER_INCH * DPI)


def char_height() -> float:
    return FONT_PT / 72 * DPI


def test_a4_page_in_pixels():
    w, h = a4_pixels()
    assert (w, h) == (2480, 3508)
    assert f"{char_height():.1f}" == "41.7"
    page_shows(DOC, "210 ÷ 25.4 × 300 ≈ 2,480 像素", "297 ÷ 25.4 × 300 ≈ 3,508 像素",
               "10 ÷ 72 × 300 ≈ 41.7 像素")


def test_squeezing_into_336():
    w, h = a4_pixels()
    sy, sx = 336 / h, 336 / w
    assert (f"{sy:.4f}", f"{sx:.3f}") == ("0.0958", "0.135")
    # the page multiplies the rounded 41.7 by the rounded 0.0958
    assert f"{41.7 * 0.0958:.1f}" == f"{char_height() * sy:.1f}" == "4.0"
    assert f"{0.135 / 0.0958:.2f}" == f"{sx / sy:.2f}" == "1.41"
    assert f"{14 / 4.0:.1f}" == "3.5"
    page_shows(DOC, "336 ÷ 3,508 ≈ 0.0958", "41.7 × 0.0958 ≈ 4.0 像素", "336 ÷ 2,480 ≈ 0.135",
               "0.135 ÷ 0.0958 ≈ 1.41 倍", "14 ÷ 4.0 ≈ 3.5 个字高")


def test_padding_to_a_square():
    """LLaVA-1.5's official setting pads to a square before resizing (image_aspect_ratio 'pad':
    expand2square in llava/mm_utils.py, scripts/v1_5/finetune.sh in github.com/haotian-liu/LLaVA)."""
    w, h = a4_pixels()
    side = max(w, h)
    assert side == 3508
    scale = 336 / side  # the same in both directions
    assert f"{char_height() * scale:.1f}" == "4.0"
    # the page strip: the rounded 0.0958 and the exact scale both give 238 pixels
    assert round(w * 0.0958) == round(w * scale) == 238
    page_shows(DOC, "3,508 × 3,508 的正方形", "2,480 × 0.0958 ≈ 238 像素宽")


def pix2struct_grid(h: int, w: int, max_patches: int, patch: int = 16) -> tuple[float, int, int]:
    """Pix2Struct's patch_sequence: the largest aspect-preserving grid within max_patches."""
    scale = math.sqrt(max_patches * (patch / h) * (patch / w))
    rows = max(min(math.floor(scale * h / patch), max_patches), 1)
    cols = max(min(math.floor(scale * w / patch), max_patches), 1)
    return scale, rows, cols


def test_pix2struct_keeps_the_aspect_ratio():
    w, h = a4_pixels()
    scale, rows, cols = pix2struct_grid(h, w, 2048)
    assert f"{scale:.4f}" == "0.2455"
    # the page's intermediate steps: L * P^2, H0 * W0, their ratio and its square root
    assert (2048 * 16 * 16, h * w) == (524288, 8699840)
    assert f"{524288 / 8699840:.5f}" == "0.06026" and f"{math.sqrt(0.06026):.4f}" == "0.2455"
    # the scale solves s^2 H0 W0 / P^2 = L
    assert math.isclose(scale**2 * h * w / 16**2, 2048)
    assert f"{scale * h / 16:.1f}" == "53.8" and f"{scale * w / 16:.2f}" == "38.05"
    assert (rows, cols, rows * cols) == (53, 38, 2014) and rows * cols <= 2048
    assert (rows * 16, cols * 16) == (848, 608)
    glyph = char_height() * rows * 16 / h
    assert f"{glyph:.1f}" == "10.1" and f"{16 / glyph:.1f}" == "1.6"
    page_shows(DOC, "$L P^2$ = 2,048 × 16 × 16 = 524,288", "$H_0 W_0$ = 3,508 × 2,480 = 8,699,840",
               "$s$ = √(524,288 ÷ 8,699,840) ≈ √0.06026 ≈ 0.2455",
               "0.2455 × 3,508 ÷ 16 ≈ 53.8，取 53", "0.2455 × 2,480 ÷ 16 ≈ 38.05，取 38",
               "53 × 38 = 2,014 个方块", "53 × 16 = 848", "38 × 16 = 608 像素",
               "41.7 × 848 ÷ 3,508 ≈ 10.1 像素", "约 1.6 个字高")


def deepseek_tokens(side: int, patch: int = 16, per_side_ratio: int = 4) -> int:
    n = math.ceil((side // patch) / per_side_ratio)
    return n * n


def test_deepseek_ocr_base_mode():
    assert (1024 // 16, (1024 // 16) ** 2) == (64, 4096)
    assert deepseek_tokens(1024) == 256
    # the implementation's sequence: each of the 16 rows plus a separator, and one at the end
    n = 1024 // 16 // 4
    assert n + 1 == 17 and n * (n + 1) + 1 == 273
    page_shows(DOC, "1024 ÷ 16 = 64 块，共 64 × 64 = 4,096 块", "16 × 16 = 256 个视觉词元",
               "每行 16 + 1 = 17 个位置，共 16 × 17 + 1 = 273 个")


def test_twenty_pages():
    qwen2vl_page = 1536  # docs/multimodal/introduction.md: 1,344 x 896 -> 48 x 32
    assert (1344 // 14, 896 // 14) == (96, 64) and (96 // 2, 64 // 2) == (48, 32)
    assert 48 * 32 == qwen2vl_page
    page_shows(DOC, "1,344 ÷ 14 = 96 列、896 ÷ 14 = 64 行", "48 列、32 行", "48 × 32 = 1,536 个视觉词元")
    page_shows(DOC, f"20 × 1,536 = {fmt_int(20 * qwen2vl_page)}", f"20 × 256 = {fmt_int(20 * 256)}")


def test_compression_ratios_of_the_modes():
    modes = {"Tiny": 512, "Small": 640, "Base": 1024}
    tokens = {name: deepseek_tokens(side) for name, side in modes.items()}
    assert tokens == {"Tiny": 64, "Small": 100, "Base": 256}
    page_shows(DOC, "512 ÷ 16 = 32，32 ÷ 4 = 8，共 8 × 8 = 64", "640 ÷ 16 = 40，40 ÷ 4 = 10，共 10 × 10 = 100",
               "1024 ÷ 16 = 64，64 ÷ 4 = 16，共 16 × 16 = 256")
    text = 1000
    assert (f"{text / 64:.1f}", text / 100, f"{text / 256:.1f}") == ("15.6", 10, "3.9")
    page_shows(DOC, "1,000 ÷ 64 ≈ 15.6", "1,000 ÷ 100 = 10", "1,000 ÷ 256 ≈ 3.9")


def test_deepseek_ocr_2_budget():
    local = deepseek_tokens(768)
    assert (768 // 16, 768 // 16 // 4, local) == (48, 12, 144)
    assert 6 * local + 256 == 1120 < 1156
    page_shows(DOC, "768 ÷ 16 = 48，48 ÷ 4 = 12，即 12 × 12 = 144", "6 × 144 + 256 = 1,120")
    # DeepSeek-OCR's multi-crop mode: up to 9 crops of 640 (MAX_CROPS "max:9", IMAGE_SIZE 640,
    # BASE_SIZE 1024 in DeepSeek-OCR-vllm/config.py of github.com/deepseek-ai/DeepSeek-OCR)
    assert 9 * deepseek_tokens(640) + deepseek_tokens(1024) == 1156 and 1156 - 1120 == 36
    page_shows(DOC, "9 × 100 + 256 = 1,156", "1,156 − 1,120 = 36")


# DeepSeek-OCR 2's table 1 (OmniDocBench v1.5): text edit distance, formula CDM, table TEDS, overall.
OMNIDOC_ROWS = {
    "DeepSeek-OCR 2": (0.048, 90.31, 87.75, 91.09),
    "DeepSeek-OCR (9-crops)": (0.073, 84.14, 85.25, 87.36),
    "PaddleOCR-VL": (0.035, 91.22, 90.89, 92.86),
    "MinerU2.5": (0.047, 88.46, 88.22, 90.67),
    "Marker-1.8.2": (0.206, 76.66, 57.88, 71.30),
}


def omnidoc_overall(text_edit: float, formula: float, table: float) -> float:
    return (100 * (1 - text_edit) + formula + table) / 3


def test_omnidocbench_overall_is_three_scores():
    """The overall score averages text, formula and table only; reading order is not in it.

    Checked against every listed row of the table: the reported overall is matched to within the
    rounding of the published components (the edit distance has three decimals, +-0.0005, i.e.
    +-0.05 points before averaging, +-0.017 after; the two-decimal scores add +-0.005)."""
    for text_edit, formula, table, overall in OMNIDOC_ROWS.values():
        assert abs(omnidoc_overall(text_edit, formula, table) - overall) <= 0.025
    text_edit, formula, table, overall = OMNIDOC_ROWS["DeepSeek-OCR 2"]
    assert f"{100 * (1 - text_edit):.1f}" == "95.2"
    assert f"{omnidoc_overall(text_edit, formula, table):.2f}" == f"{overall:.2f}" == "91.09"
    assert f"{95.2 + formula + table:.2f}" == "273.26" and f"{273.26 / 3:.2f}" == "91.09"
    page_shows(DOC, "100 × (1 − 0.048) = 95.2", "95.2 + 90.31 + 87.75 = 273.26", "除以 3，总分约 91.09")


# Reading-order edit distances of the same table (R-order column), for the rows the page compares.
OMNIDOC_RORDER = {"DeepSeek-OCR 2": 0.057, "DeepSeek-OCR (9-crops)": 0.085, "PaddleOCR-VL": 0.043}


def test_paddleocr_vl_leads_on_every_column():
    """The page says PaddleOCR-VL (a pipeline) beats DeepSeek-OCR 2 on the overall score and on each
    of text, formula, table and reading order; check each comparison from the table's numbers."""
    ds_text, ds_formula, ds_table, ds_overall = OMNIDOC_ROWS["DeepSeek-OCR 2"]
    pp_text, pp_formula, pp_table, pp_overall = OMNIDOC_ROWS["PaddleOCR-VL"]
    assert pp_overall > ds_overall and pp_text < ds_text
    assert pp_formula > ds_formula and pp_table > ds_table
    assert OMNIDOC_RORDER["PaddleOCR-VL"] < OMNIDOC_RORDER["DeepSeek-OCR 2"]
    # a pipeline the end-to-end model does pass: MinerU2.5's overall is lower
    assert OMNIDOC_ROWS["MinerU2.5"][3] < ds_overall
    page_shows(DOC, f"总分是 {pp_overall}", f"文字编辑距离 {pp_text} 对 {ds_text}",
               f"公式 {pp_formula} 对 {ds_formula}", f"表格 {pp_table} 对 {ds_table}",
               f"阅读顺序编辑距离 {OMNIDOC_RORDER['PaddleOCR-VL']} 对 {OMNIDOC_RORDER['DeepSeek-OCR 2']}")


def test_omnidocbench_gain():
    assert f"{91.09 - 87.36:.2f}" == "3.73"
    assert f"{OMNIDOC_RORDER['DeepSeek-OCR (9-crops)']}" == "0.085" and f"{OMNIDOC_RORDER['DeepSeek-OCR 2']}" == "0.057"
    page_shows(DOC, "91.09 − 87.36 = 3.73", "从 0.085 降到 0.057")


def levenshtein(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[:], i
        for j, cb in enumerate(b, 1):
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (ca != cb))
    return row[-1]


def anls_score(gold: str, pred: str, tau: float = 0.5) -> tuple[int, int, float]:
    """(edit distance, longer length, score) after lowercasing, as pix2struct's anls_metric."""
    g, p = gold.lower(), pred.lower()
    d, longer = levenshtein(g, p), max(len(g), len(p))
    nl = d / longer
    return d, longer, (1 - nl if nl < tau else 0.0)


QUESTIONS = [("80202", "80203"), ("23 sep 1970", "23 Sept 1970"),
             ("Great western sugar Co.", "Great Western Sugar Company"), ("denver", "boulder")]


def test_anls_per_question():
    got = [anls_score(g, p) for g, p in QUESTIONS]
    assert got[0] == (1, 5, 0.8)
    assert got[1][:2] == (1, 12) and f"{got[1][2]:.3f}" == "0.917"
    assert got[2][:2] == (5, 27) and f"{got[2][2]:.3f}" == "0.815" and f"{5 / 27:.3f}" == "0.185"
    assert "great western sugar co."[:20] == "great western sugar " == "great western sugar company"[:20]
    assert got[3] == (5, 7, 0.0) and f"{5 / 7:.3f}" == "0.714"
    # the lengths the page adds up, and its 4 + 1 path from denver to boulder
    assert len("23 sept 1970") == 2 + 1 + 4 + 1 + 4 == 12
    assert len("great western sugar company") == 20 + 7 == 27
    assert levenshtein("denver", "bouler") == 4 and levenshtein("bouler", "boulder") == 1
    page_shows(DOC, "2 + 1 + 4 + 1 + 4 = 12 个字符", "20 + 7 = 27 个字符", "共 4 + 1 = 5 次")
    page_shows(DOC, r"$\mathrm{NL} = 1/5 = 0.2 < 0.5$，得 $1 - 0.2 = 0.8$",
               r"$\mathrm{NL} = 1/12 \approx 0.083$，得 $1 - 1/12 \approx 0.917$",
               r"$\mathrm{NL} = 5/27 \approx 0.185$，得约 0.815",
               r"$\mathrm{NL} = 5/7 \approx 0.714$，不小于 0.5，得 0")


def test_anls_average_and_exact_match():
    scores = [anls_score(g, p)[2] for g, p in QUESTIONS]
    assert f"{sum(scores) / len(scores):.3f}" == "0.633"
    # the page averages the rounded scores; both give 0.633
    assert f"{(0.8 + 0.917 + 0.815 + 0) / 4:.3f}" == "0.633"
    assert sum(g.lower() == p.lower() for g, p in QUESTIONS) == 0
    assert f"{0.8 + 0.917 + 0.815 + 0:.3f}" == "2.532" and f"{2.532 / 4:.3f}" == "0.633"
    page_shows(DOC, "0.8 + 0.917 + 0.815 + 0 = 2.532", r"$\mathrm{ANLS}$ = 2.532 ÷ 4 ≈ 0.633")


def test_olmocr_cost_ratio():
    """olmOCR's reported costs per million pages: about 176 USD, GPT-4o above 6,240 USD."""
    assert f"{6240 / 176:.1f}" == "35.5"
    page_shows(DOC, "6,240 ÷ 176 ≈ 35.5 倍")


def test_layoutlm_gains():
    """LayoutLM's reported before/after scores (xu2019layoutlm): forms, receipts, classification."""
    gains = [f"{after - before:.2f}" for before, after in ((70.72, 79.27), (94.02, 95.24), (93.07, 94.42))]
    assert gains == ["8.55", "1.22", "1.35"] and max(gains, key=float) == "8.55"
    page_shows(DOC, "79.27 − 70.72 = 8.55", "95.24 − 94.02 = 1.22", "94.42 − 93.07 = 1.35")


def test_deepencoder_compression():
    assert (1 / 4) * (1 / 4) == 1 / 16 and 4096 // 16 == 256
    page_shows(DOC, "1/4 × 1/4 = 1/16")
