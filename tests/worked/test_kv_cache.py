"""Worked numbers of docs/efficiency/kv-cache.md, recomputed from their formulas.

The per-token KV size is the configuration docs/efficiency/serving.md uses for Mistral 7B
(32 layers, 8 KV heads, head dim 128, fp16); the 128K window is the page's assumption.
The budget 4 + 2,000 is the default of StreamingLLM's chat example
(github.com/mit-han-lab/streaming-llm, examples/run_streaming_llama.py: start_size=4,
recent_size=2000); H2O's 10% + 10% is the default of its official runners
(github.com/FMInference/H2O, h2o_hf/run_lm_eval_harness.py). Each test asserts the page shows
what it computed.
"""

from __future__ import annotations

from worked.pages import fmt_int, page_shows

KV = "efficiency/kv-cache.md"

PER_TOKEN = 2 * 32 * 8 * 128 * 2  # keys and values, layers, KV heads, head dim, fp16 bytes
CONTEXT = 128 * 1024  # "128K"
SINKS, RECENT = 4, 2000
BUDGET = SINKS + RECENT
KV_MEMORY = 40 * 10**9  # bytes left for the KV cache in the example


def test_per_token_and_full_cache():
    assert PER_TOKEN == 131_072 and CONTEXT == 131_072
    full = CONTEXT * PER_TOKEN
    assert full == 17_179_869_184 and f"{full / 1e9:.1f}" == "17.2"
    page_shows(KV, "2（键和值）× 32 层 × 8 个键值头 × 128 维 × 2 B = 131,072 B",
               "每个词元的 KV 缓存也是 131,072 B", "即 128 × 1,024 = 131,072 个词元",
               f"131,072 × 131,072 B = {fmt_int(full)} B，约 17.2 GB")
    # Mistral 7B itself caches at most its 4,096-token sliding window (serving.md,
    # efficient-inference.md); the page must say its model does not use one.
    page_shows(KV, "所以缓存最多存 4,096 个词元", "这里假设的模型没有这个窗口")


def test_the_streaming_budget():
    kv = BUDGET * PER_TOKEN
    assert BUDGET == 2004 and kv == 262_668_288 and f"{kv / 1e9:.3f}" == "0.263"
    share = BUDGET / CONTEXT
    assert f"{100 * share:.2f}" == "1.53" and f"{100 * (1 - share):.1f}" == "98.5"
    assert f"{CONTEXT / BUDGET:.1f}" == "65.4"
    # the saving is worked from the rounded share the page shows: 100% − 1.53% ≈ 98.5%
    assert f"{100 - 1.53:.1f}" == "98.5"
    page_shows(KV, "4 + 2,000 = 2,004 个", f"2,004 × 131,072 B = {fmt_int(kv)} B，约 0.263 GB",
               "2,004 ÷ 131,072 ≈ 1.53%", "省下 100% − 1.53% ≈ 98.5% 的显存", "131,072 ÷ 2,004 ≈ 65.4 倍",
               "驱逐单独能压 65.4 倍")


def test_which_tokens_stay():
    seen = 10_000
    kept = list(range(SINKS)) + list(range(seen - RECENT, seen))
    assert kept[SINKS] == 8000 and kept[-1] == 9999 and len(kept) == BUDGET
    evicted = seen - RECENT - SINKS
    assert evicted == len(range(SINKS, seen - RECENT)) == 7996
    page_shows(KV, "从 10,000 − 2,000 = 8,000 号开始", "位置 0–3（汇聚）和位置 8,000–9,999",
               "中间位置 4–7,999 共 10,000 − 2,000 − 4 = 7,996 个词元",
               "依次用位置 0 到 2,003", "相对距离都不超过 2,003", "中间 7,996 个词元")
    assert BUDGET - 1 == 2003
    # the example: original position 9,999 is the last cache entry, numbered 2,003
    assert kept.index(9999) == 2003 and 9999 - 0 == 9999
    page_shows(KV, "原文第 9,999 号词元是缓存里的最后一个条目，用位置 2,003",
               "在原文里相距 9,999，在缓存里只相距 2,003")


def test_requests_in_forty_gigabytes():
    full = CONTEXT * PER_TOKEN
    kv = BUDGET * PER_TOKEN
    assert f"{KV_MEMORY / full:.2f}" == "2.33" and KV_MEMORY // full == 2
    assert f"{KV_MEMORY / kv:.1f}" == "152.3" and KV_MEMORY // kv == 152
    page_shows(KV, f"40 × 10⁹ ÷ {fmt_int(full)} ≈ 2.33，只能放 2 个",
               f"40 × 10⁹ ÷ {fmt_int(kv)} ≈ 152.3，能放 152 个")


def test_quantized_and_h2o_comparisons():
    full = CONTEXT * PER_TOKEN
    assert 16 // 2 == 8 and f"{full / 8 / 1e9:.2f}" == "2.15"
    h2o = 0.1 + 0.1
    assert round(h2o * CONTEXT) == 26_214 and round(1 / h2o) == 5
    assert f"{full / 5 / 1e9:.2f}" == "3.44"
    page_shows(KV, "缩小 16 ÷ 2 = 8 倍，约 17.2 GB ÷ 8 ≈ 2.15 GB", "2 比特量化单独能压 8 倍",
               "10% + 10% = 20%", "0.2 × 131,072 ≈ 26,214 个词元",
               "缓存缩小 1 ÷ 0.2 = 5 倍，约 17.2 GB ÷ 5 ≈ 3.44 GB")
    # the summary list repeats the three results
    page_shows(KV, "留 2,004 个词元，约 0.263 GB，缩小 65.4 倍",
               "131,072 个词元全留，约 2.15 GB（未计额外开销），缩小 8 倍",
               "留约 26,214 个词元，约 3.44 GB，缩小 5 倍")


def test_eviction_times_quantization():
    # the product is the upper bound the page gives for stacking the two
    assert f"{8 * CONTEXT / BUDGET:.0f}" == "523" and f"{8 * 65.4:.0f}" == "523"
    page_shows(KV, "两者的乘积 8 × 65.4 ≈ 523 倍")


def test_gqa_share_of_llama2_70b():
    # LLaMA-2-70B: 8 KV heads instead of 64 (efficient-inference.md)
    assert 8 / 64 == 1 / 8 and 1 - 8 / 64 == 7 / 8
    page_shows(KV, "缓存变为原来的 8 ÷ 64 = 1/8，省下八分之七")


def test_mla_cache_of_deepseek_v2():
    # DeepSeek-V2 technical report (github.com/deepseek-ai/DeepSeek-V2, deepseek-v2-tech-report.pdf):
    # section 3.1.2 sets d_h = 128, d_c = 512, d_h^R = 64; section 2.1.3 caches (d_c + d_h^R) elements
    # per token and layer; Table 1 says this equals GQA with only 2.25 groups.
    head_dim, latent, rope_key = 128, 512, 64
    per_layer = latent + rope_key
    per_group = 2 * head_dim  # one key and one value per KV group
    assert per_layer == 576 and per_group == 256
    assert per_layer / per_group == 2.25
    # the report's d_c = 4 d_h and d_h^R = d_h / 2
    assert latent == 4 * head_dim and rope_key == head_dim // 2
    page_shows(KV, "每个词元每层共存 512 + 64 = 576 个数", "2 × 128 = 256 个数",
               "576 ÷ 256 = 2.25，相当于只有 2.25 组键值头的 GQA")
