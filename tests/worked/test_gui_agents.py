"""Worked numbers of docs/multimodal/gui-agents.md, recomputed from their formulas.

The 336-pixel input and 14-pixel patches are LLaVA-1.5's, as docs/multimodal/introduction.md
computes them (576 visual tokens). The screen, icon boxes and the two-decimal coordinate format
are the page's own illustration. WebArena's 812 tasks and 14.41 percent are its paper's (refs.bib,
zhou2023webarena); 24.6 and 22.0 on OSWorld are UI-TARS's abstract (qin2025uitars), and 369 is
OSWorld's task count (xie2024osworld). Each test asserts the page shows what it computed.
"""

from __future__ import annotations

import math

from worked.pages import fmt_int, page, page_shows

GUI = "multimodal/gui-agents.md"
W, H = 1920, 1080  # the screenshot
SIDE, PATCH = 336, 14  # LLaVA-1.5's input side and patch size


def test_downscaling_a_screenshot_to_336():
    sx, sy = W / SIDE, H / SIDE
    assert (f"{sx:.2f}", f"{sy:.2f}") == ("5.71", "3.21")
    icon_w, icon_h = 24 / sx, 24 / sy
    assert math.isclose(icon_w, 4.2) and f"{icon_h:.2f}" == "7.47" and icon_w < PATCH / 3
    assert (PATCH * sx, PATCH * sy) == (80.0, 45.0)
    page_shows(GUI, "1920 ÷ 336 ≈ 5.71", "1080 ÷ 336 ≈ 3.21", "24 ÷ (1920 ÷ 336) = 4.2 像素",
               "24 ÷ (1080 ÷ 336) ≈ 7.47 像素", "14 × (1920 ÷ 336) = 80 像素宽",
               "14 × (1080 ÷ 336) = 45 像素高")
    assert f"{PATCH / 3:.2f}" == "4.67"
    page_shows(GUI, "14 ÷ 3 ≈ 4.67 像素", "图标的宽度不到一个方块的三分之一")


def test_full_resolution_patch_count():
    cols, rows = W / PATCH, H / PATCH
    n = W * H / PATCH**2
    assert (f"{cols:.1f}", f"{rows:.1f}") == ("137.1", "77.1")
    assert round(n, -1) == 10580 and f"{n / 576:.1f}" == "18.4" and f"{10580 / 576:.1f}" == "18.4"
    assert (SIDE // PATCH) ** 2 == 576
    # The rounded factors multiply to 10,570, so the page computes the total from the exact product.
    assert round(137.1 * 77.1) == 10570 and round(W * H / PATCH**2) == 10580
    page_shows(GUI, "1920 ÷ 14 ≈ 137.1 个", "1080 ÷ 14 ≈ 77.1 个",
               f"(1920 × 1080) ÷ (14 × 14) ≈ {fmt_int(10580)} 个", "10,580 ÷ 576 ≈ 18.4",
               "是 576 的约 18.4 倍")


def to_pixels(u: float, v: float) -> tuple[int, int]:
    return round(u * W), round(v * H)


def test_two_decimal_coordinates_hit_the_24_pixel_icon():
    cx, cy = (1200 + 1224) // 2, (20 + 44) // 2
    assert (cx, cy) == (1212, 32)
    u, v = round(cx / W, 2), round(cy / H, 2)
    assert cx / W == 0.63125 and (u, v) == (0.63, 0.03)
    assert math.isclose(u * W, 1209.6) and math.isclose(v * H, 32.4)
    x, y = to_pixels(u, v)
    assert (x, y) == (1210, 32) and 1200 <= x <= 1224 and 20 <= y <= 44
    page_shows(GUI, "1212 ÷ 1920 = 0.63125", "32 ÷ 1080 ≈ 0.0296", "0.63 × 1920 = 1209.6",
               "0.03 × 1080 = 32.4", "取整为 (1210, 32)", "1210 在 1200 到 1224 之间，32 在 20 到 44 之间")


def test_grid_step_and_worst_rounding_error():
    assert math.isclose(0.01 * W, 19.2) and math.isclose(0.01 * H, 10.8)
    assert math.isclose(0.01 * W / 2, 9.6) and math.isclose(0.01 * H / 2, 5.4)
    assert math.isclose(W / 1000, 1.92)
    page_shows(GUI, "0.01 × 1920 = 19.2 像素", "0.01 × 1080 = 10.8 像素", "横向 9.6 像素，纵向 5.4 像素",
               "横向每格只有 1920 ÷ 1000 = 1.92 像素")


def test_rounding_alone_misses_the_16_pixel_icon():
    left, right = 999, 1015
    assert right - left == 16 and (left + right) // 2 == 1007
    u = round(1007 / W, 2)
    assert f"{1007 / W:.4f}" == "0.5245" and u == 0.52
    x = round(u * W)
    assert math.isclose(u * W, 998.4) and x == 998 and left - x == 1
    page_shows(GUI, "1007 ÷ 1920 ≈ 0.5245", "0.52 × 1920 = 998.4", "取整为 998，偏出图标 1 个像素")


def test_webarena_standard_error():
    n, k = 812, 117
    p = k / n
    assert f"{100 * p:.2f}" == "14.41"
    se = math.sqrt(0.1441 * 0.8559 / n)
    assert f"{se:.4f}" == "0.0123" and f"{math.sqrt(p * (1 - p) / n):.4f}" == "0.0123"
    assert f"{1.96 * se * 100:.2f}" == "2.42"
    page_shows(GUI, "117 ÷ 812 ≈ 0.1441", r"\sqrt{0.1441 \times 0.8559 / 812} \approx 0.0123",
               "约 1.23 个百分点", "±2.42 个百分点")


def test_osworld_difference_is_within_one_standard_error():
    n = 369
    assert round(24.6 - 22.0, 1) == 2.6  # UI-TARS at 50 steps minus Claude at 50 steps, in points
    se_a, se_b = math.sqrt(0.246 * 0.754 / n), math.sqrt(0.220 * 0.780 / n)
    assert (f"{se_a:.4f}", f"{se_b:.4f}") == ("0.0224", "0.0216")
    se_diff = math.sqrt(0.0224**2 + 0.0216**2)
    assert f"{se_diff:.4f}" == "0.0311"
    assert 0.026 < se_diff and 0.026 < 1.96 * se_diff
    assert f"{1.96 * 3.11:.1f}" == "6.1" and f"{1.96 * se_diff * 100:.1f}" == "6.1"
    # UI-TARS's score averages 3 runs (paper section 5.4); even if averaging cut its SE by
    # sqrt(3), the gap stays about one SE, far below 1.96 SE, as the page says.
    se_diff_low = math.sqrt((se_a / math.sqrt(3)) ** 2 + se_b**2)
    assert 0.9 < 0.026 / se_diff_low < 1.1 and 0.026 < 1.96 * se_diff_low
    page_shows(GUI, "两个分数都看作 369 个任务上的一次运行", "两次运行相互独立",
               "3 次运行的平均", "约两个标准误差（1.96 倍，即 1.96 × 3.11 ≈ 6.1 个百分点）",
               "24.6 − 22.0 = 2.6 个百分点，比 3.11 小")
    page_shows(GUI, r"\sqrt{0.246 \times 0.754 / 369} \approx 0.0224",
               r"\sqrt{0.220 \times 0.780 / 369} \approx 0.0216",
               r"\sqrt{0.0224^2 + 0.0216^2} \approx 0.0311", "即 3.11 个百分点", "差距还不到一个标准误差")


def test_ui_tars_7b_is_about_8_billion_parameters():
    # Qwen2-VL, Table 1 (arxiv.org/html/2409.12191): Qwen2-VL-7B = a 675M ViT + a 7.6B LLM;
    # its introduction counts the three models as 2, 8 and 72 billion parameters in total.
    llm, vit = 76, 6.75  # in units of 1e8 (亿)
    assert math.isclose(llm + vit, 82.75) and round(llm + vit) == 83
    assert abs(round(llm + vit) - 80) < abs(round(llm + vit) - 70)
    page_shows(GUI, "UI-TARS-2B、UI-TARS-7B 和 UI-TARS-72B 三种规模", "76 + 6.75 ≈ 83 亿",
               "Qwen2-VL 的论文把它算作 80 亿参数的一档", "7B 和 72B 两种规模")
    assert "70 亿" not in page(GUI)


def test_seeact_online_success_counts_on_90_tasks():
    # SeeAct (arXiv 2401.01614v2), section 4.2 and Table 4: online evaluation on a subset of
    # 90 tasks from the three Mind2Web test splits; whole-task success 51.1 (oracle grounding),
    # GPT-4 13.3, FLAN-T5-XL 8.9 percent. The task counts are recovered from the percentages.
    n = 90
    counts = {rate: round(rate / 100 * n) for rate in (51.1, 13.3, 8.9)}
    assert counts == {51.1: 46, 13.3: 12, 8.9: 8}
    for rate, k in counts.items():
        assert f"{100 * k / n:.1f}" == f"{rate:.1f}"
    assert f"{46 / 90:.3f}" == "0.511"
    page_shows(GUI, "抽出的 90 个任务上", "即 90 个里完成 46 个（46 ÷ 90 ≈ 0.511）",
               "GPT-4 完成 13.3%（12 个）", "FLAN-T5-XL 完成 8.9%（8 个）", "论文归纳了四条主要发现")
