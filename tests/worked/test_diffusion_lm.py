"""Worked numbers of docs/foundations/diffusion-lm.md, recomputed from their formulas.

The sequence length (4096), the clip epsilon (1e-3) and the 1% random-length share are LLaDA's
training code (GUIDELINES.md of github.com/ML-GSAI/LLaDA); the sampler parameters (gen_length,
steps, block_length = 128, 128, 32) are the example in its generate.py, whose step schedule
``get_num_transfer_tokens`` is re-implemented below. The prompt length of 128 is the page's own
illustration. Each test asserts the page shows what it computed.
"""

from __future__ import annotations

import math

from worked.pages import fmt_int, page_shows

DLM = "foundations/diffusion-lm.md"
L = 4096  # LLaDA pre-training sequence length
EPS = 1e-3  # LLaDA clips the masking probability to (1 - eps) t + eps


def fmt_num(x: float) -> str:
    """Thousands separators, one decimal only when the number is not whole (409.6, 2,048)."""
    return fmt_int(round(x)) if x == round(x) else f"{x:,.1f}"


def test_weight_times_expected_masked_count_is_the_length():
    rows = {0.1: ("409.6", "10"), 0.5: ("2,048", "2"), 0.9: ("3,686.4", "1.11")}
    for t, (masked, weight) in rows.items():
        expected = t * L
        assert fmt_num(round(expected, 1)) == masked
        w = 1 / t
        assert (f"{w:.2f}" if w != round(w) else str(round(w))) == weight
        assert math.isclose(expected * w, L)
        page_shows(DLM, f"| {t} | {masked} | {weight} | {fmt_int(L)} |")
    assert not math.isclose(3686.4 * 1.11, L)  # why the page says the product uses the unrounded 1/0.9
    page_shows(DLM, "$L = 4096$", "按未取整的 1/0.9 计算", "$tL \\times 1/t = L = 4096$",
               "只有 409.6 个位置贡献损失，每个位置乘以 10", "有 3,686.4 个位置，每个只乘以约 1.11")
    # The row t = 0.1 worked out in the text before the table.
    assert math.isclose(0.1 * L, 409.6) and math.isclose(1 / 0.1, 10) and math.isclose(409.6 * 10, L)
    page_shows(DLM, "0.1 × 4096 = 409.6 个位置", "1 ÷ 0.1 = 10", f"409.6 × 10 = {fmt_int(L)}")


def test_clipped_masking_probability_caps_the_weight():
    p_min = (1 - EPS) * 0 + EPS
    assert math.isclose(p_min, 0.001) and round(1 / p_min) == 1000
    page_shows(DLM, r"$\varepsilon = 10^{-3}$", "遮盖概率是 0.001，权重最大为 1,000，即 1 ÷ 0.001", "1% 的预训练数据")


def transfer_counts(masked: int, steps: int) -> list[int]:
    """generate.py's get_num_transfer_tokens: masked // steps per step, remainder to the first steps."""
    base, rem = divmod(masked, steps)
    return [base + (1 if i < rem else 0) for i in range(steps)]


def sampler(gen_length: int, steps: int, block_length: int) -> tuple[int, int, list[int]]:
    assert gen_length % block_length == 0
    blocks = gen_length // block_length
    assert steps % blocks == 0
    per_block = steps // blocks
    return blocks, per_block, transfer_counts(block_length, per_block)


def test_default_example_writes_one_token_per_step():
    blocks, per_block, counts = sampler(128, 128, 32)
    assert (blocks, per_block, set(counts)) == (4, 32, {1})
    assert blocks * per_block == 128
    page_shows(DLM, "128 ÷ 32 = 4 块", "128 ÷ 4 = 32 步", "32 ÷ 32 = 1 个词元", "一共跑 128 遍网络")


def test_thirty_two_steps_write_four_tokens_per_step():
    blocks, per_block, counts = sampler(128, 32, 32)
    assert (blocks, per_block, set(counts)) == (4, 8, {4})
    passes = blocks * per_block
    assert passes == 32 and 128 // passes == 4
    page_shows(DLM, "每块 32 ÷ 4 = 8 步", "每步写入 32 ÷ 8 = 4 个词元", "共跑 32 遍网络，是自回归的 1/4")


def test_positions_computed_diffusion_vs_autoregressive():
    prompt, gen = 128, 128
    seq = prompt + gen
    diffusion_32 = 32 * seq
    diffusion_128 = 128 * seq
    ar_positions = prompt + (gen - 1)  # prefill gives token 1, then one new position per step
    ar_passes = 1 + (gen - 1)
    assert (seq, diffusion_32, diffusion_128, ar_positions, ar_passes) == (256, 8192, 32768, 255, 128)
    page_shows(DLM, f"128 + 128 = {seq} 个位置", f"32 × {seq} = {fmt_int(diffusion_32)} 个位置",
               f"128 + 127 = {ar_positions} 个位置", f"网络共跑 1 + 127 = {ar_passes} 遍",
               f"{fmt_int(diffusion_32)} ÷ {ar_positions} ≈ {diffusion_32 / ar_positions:.1f} 倍",
               f"128 × {seq} = {fmt_int(diffusion_128)} 个")
    ratio_128 = f"{diffusion_128 / ar_positions:.1f}"
    assert ratio_128 == "128.5"
    page_shows(DLM, f"{fmt_int(diffusion_128)} ÷ {ar_positions} ≈ {ratio_128} 倍")


def test_llada_scale_and_benchmark_reading():
    # LLaDA section 2.2: 0.13 million H800 GPU hours; Table 1: 2.3T vs LLaMA3's 15T tokens.
    assert round(0.13e6) == 130_000
    page_shows(DLM, "约 0.13 百万（即 13 万）H800 GPU 小时", "450 万对数据")
    assert f"{15 / 2.3:.1f}" == "6.5"
    page_shows(DLM, "15 ÷ 2.3 ≈ 6.5 倍", "MMLU 65.9 对 65.4", "GSM8K 70.3 对 48.7",
               "BBH 49.7 对 62.1", "PIQA 73.6 对 80.6")
    # Appendix B.6: Base generation length = steps = 1024, so one token is written per step.
    assert 1024 // 1024 == 1
    # 1,024 steps match an autoregressive decoder only when it too writes 1,024 tokens; it stops at EOS.
    page_shows(DLM, "生成长度和步数都取 1,024，即每步只写 1 个词元，和自回归逐个写出 1,024 个词元的步数一样多",
               "从 69.4 升到 78.6", "从 31.9 升到 42.2")


def test_block_diffusion_perplexities_as_quoted():
    # BD3-LM (ICLR 2025) Table 1, LM1B, 16B tokens: AR 22.88; BD3-LM L'=1 <= 25.56 under the
    # usual NELBO schedule; 22.88 once every token is masked. Table 4, OWT, 524B tokens:
    # AR 17.54; best BD3-LM (L'=4) <= 20.73.
    ar_lm1b, bd1_nelbo, bd1_full_mask = 22.88, 25.56, 22.88
    assert bd1_nelbo > ar_lm1b and bd1_full_mask == ar_lm1b
    ar_owt, bd4_owt = 17.54, 20.73
    assert bd4_owt > ar_owt
    page_shows(DLM, "困惑度上界是 25.56，比自回归的 22.88 差", "两者的困惑度都是 22.88，差距消失",
               "最好的块扩散模型困惑度上界是 20.73，自回归是 17.54", "平均只有一半的词元被遮盖")


def test_nap_gain_grows_with_parallelism_for_dream_but_not_for_llada():
    # Li et al. 2026 (arXiv 2602.23225), Table 3, accuracy (%) keyed by tokens written per step:
    # (long-CoT fine-tune, NAP). The same numbers are in the README of github.com/pixeli99/NAP.
    llada_math = {4: (21.4, 26.6), 3: (26.6, 35.4), 2: (41.2, 43.0), 1: (45.0, 47.0)}
    dream_math = {4: (16.2, 23.8), 3: (25.6, 31.4), 2: (40.0, 43.0), 1: (47.4, 49.6)}
    dream_gsm8k = {4: (46.5, 60.9), 3: (56.9, 70.9), 2: (66.8, 79.2), 1: (78.0, 83.6)}

    def gains(table):  # ordered from most to least parallel
        return [round(nap - cot, 1) for _, (cot, nap) in sorted(table.items(), reverse=True)]

    for table in (dream_math, dream_gsm8k):
        g = gains(table)
        assert g == sorted(g, reverse=True)  # larger gain at higher parallelism
    g = gains(llada_math)
    assert g != sorted(g, reverse=True) and g[:2] == [5.2, 8.8]
    (cot3, nap3), (cot4, nap4) = llada_math[3], llada_math[4]
    page_shows(DLM, "在 Dream 的 GSM8K 和 MATH-500 结果里成立，在 LLaDA 上却不单调",
               f"NAP 的准确率是 {nap3}%，长思维链版本是 {cot3}%，高出 {nap3} − {cot3} = {nap3 - cot3:.1f} 个百分点",
               f"两者是 {nap4}% 和 {cot4}%，只高出 {nap4} − {cot4} = {nap4 - cot4:.1f} 个百分点")


def test_sedd_beats_gpt2_on_three_of_five_zero_shot_sets():
    # Zero-shot perplexity table of Lou et al. (SEDD), as reproduced with attribution in Table 1 of
    # Shi et al. 2024 (MD4, "numbers for other methods are from Lou et al."); SEDD values are upper bounds.
    sets = ("LAMBADA", "WikiText2", "PTB", "WikiText103", "1BW")
    gpt2 = {"small": (45.04, 42.43, 138.43, 41.60, 75.20), "medium": (35.66, 31.80, 123.14, 31.39, 55.72)}
    sedd = {"small": (50.92, 41.84, 114.24, 40.62, 79.29), "medium": (42.77, 31.04, 87.12, 29.98, 61.19)}
    for size in ("small", "medium"):
        wins = [name for name, s, g in zip(sets, sedd[size], gpt2[size]) if s < g]
        losses = [name for name in sets if name not in wins]
        assert wins == ["WikiText2", "PTB", "WikiText103"] and losses == ["LAMBADA", "1BW"]
    page_shows(DLM, f"在{['零', '一', '二', '三', '四', '五'][len(sets)]}个零样本测试集上和 GPT-2 比较",
               f"SEDD 都只在其中{['零', '一', '二', '三'][len(wins)]}个（{'、'.join(wins)}）上困惑度更低",
               f"在 {' 和 '.join(losses)} 上仍不如 GPT-2")
