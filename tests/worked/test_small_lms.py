"""Worked numbers of docs/efficiency/small-lms.md, recomputed from the models' configurations.

The shapes are SmolLM2's pretraining configs in the official repository
(github.com/huggingface/smollm at a041759, text/pretraining/smollm2/config_smollm2_{135M,360M,1B}.yaml:
Llama architecture, vocabulary 49,152, tied input and output embeddings) and MobileLLM-125M's
(github.com/facebookresearch/MobileLLM at 8b9769d, configs/125M/config.json). A Llama layer has the
query, key, value and output projections, a three-matrix SwiGLU feed-forward block and two RMSNorm
weight vectors, none with biases; the model adds one final RMSNorm. The 50 GB/s phone bandwidth is
the page's stated assumption.
"""

from __future__ import annotations

from typing import NamedTuple

from worked.pages import fmt_int, page_shows

SLM = "efficiency/small-lms.md"
VOCAB = 49_152


class Shape(NamedTuple):
    vocab: int
    d: int
    layers: int
    heads: int
    kv_heads: int
    ffn: int


SMOLLM2_135M = Shape(VOCAB, 576, 30, 9, 3, 1536)
SMOLLM2_360M = Shape(VOCAB, 960, 32, 15, 5, 2560)
SMOLLM2_1_7B = Shape(VOCAB, 2048, 24, 32, 32, 8192)
MOBILELLM_125M = Shape(32_000, 576, 30, 9, 3, 1536)

# learning_rate_scheduler and tokens of the same configs (huggingface/smollm at a041759):
# lr_warmup_steps, lr_decay_starting_step, lr_decay_steps, train_steps; linear decay to min_decay_lr 0.
SCHEDULES = {"360M": (2_000, 2_080_000, 520_000, 2_600_000), "1B": (2_000, 4_716_000, 524_000, 5_240_000)}


def embedding(s: Shape) -> int:
    return s.vocab * s.d


def layer(s: Shape) -> int:
    head_dim = s.d // s.heads
    attention = 2 * s.d * s.d + 2 * s.d * s.kv_heads * head_dim
    return attention + 3 * s.d * s.ffn + 2 * s.d


def total(s: Shape, tied: bool = True) -> int:
    return embedding(s) * (1 if tied else 2) + s.layers * layer(s) + s.d


def pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def test_weights_of_the_1_7b_model():
    s = SMOLLM2_1_7B
    assert embedding(s) == 100_663_296
    assert 4 * s.d**2 == 16_777_216 and 3 * s.d * s.ffn == 50_331_648
    assert layer(s) == 67_112_960 and s.layers * layer(s) == 1_610_711_040
    n = total(s)
    assert n == 1_711_376_384
    page_shows(SLM, fmt_int(embedding(s)), fmt_int(4 * s.d**2), fmt_int(3 * s.d * s.ffn),
               fmt_int(layer(s)), fmt_int(s.layers * layer(s)), fmt_int(n), "约 17.1 亿")
    gb = {bits: n * bits / 8 / 1e9 for bits in (16, 8, 4, 4.125)}
    assert [f"{gb[b]:.2f}" for b in (16, 8, 4, 4.125)] == ["3.42", "1.71", "0.86", "0.88"]
    assert 2 * s.d == 4_096 and 4 * s.d**2 + 3 * s.d * s.ffn + 2 * s.d == layer(s)
    assert 2 * n == 3_422_752_768
    page_shows(SLM, "共 4,096 个。三项相加", r"\times 2 = 3{,}422{,}752{,}768$ 字节，约 3.42 GB",
               "8 比特时约 1.71 GB", "4 比特时约 0.86 GB", r"\times 4.125 \div 8 \approx 0.88$ GB")
    # one 16-bit scale per 128 weights
    assert 16 / 128 == 0.125 and 4 + 16 / 128 == 4.125
    page_shows(SLM, r"$16 \div 128 = 0.125$", r"$4 + 0.125 = 4.125$")


def test_embedding_share_of_the_360m_model():
    s = SMOLLM2_360M
    e = embedding(s)
    assert s.d // s.heads == 64 and s.heads // s.kv_heads == 3
    page_shows(SLM, r"$960 \div 15 = 64$", "每 3 个查询头共用一组键和值")
    assert (s.d * s.d, s.d * s.kv_heads * 64, 3 * s.d * s.ffn) == (921_600, 307_200, 7_372_800)
    attention = 2 * 921_600 + 2 * 307_200
    assert attention == 2_457_600 and attention + 7_372_800 + 2 * s.d == layer(s) == 9_832_320
    assert s.layers * layer(s) == 314_634_240
    page_shows(SLM, r"= 2{,}457{,}600$", r"$2{,}457{,}600 + 7{,}372{,}800 + 1{,}920 = 9{,}832{,}320$",
               r"$32 \times 9{,}832{,}320 = 314{,}634{,}240$")
    tied, untied = total(s), total(s, tied=False)
    assert (e, tied, untied) == (47_185_920, 361_821_120, 409_007_040)
    assert e + s.layers * layer(s) + s.d == tied and tied + e == untied
    page_shows(SLM, "总数就多出 47,185,920 个，变成 409,007,040")
    page_shows(SLM, fmt_int(e), "921,600", "307,200", "7,372,800", "1,920", fmt_int(layer(s)),
               fmt_int(tied), "约 3.62 亿", fmt_int(untied))
    assert (pct(e / tied), pct(2 * e / untied), pct(e / untied)) == ("13.0%", "23.1%", "11.5%")
    page_shows(SLM, r"\approx 13.0\%$", r"\approx 23.1\%$", "是不共用时总数的 11.5%")


def test_the_share_falls_with_size():
    small, large = SMOLLM2_135M, SMOLLM2_1_7B
    assert embedding(small) == 28_311_552 and total(small) == 134_515_008
    assert pct(embedding(small) / total(small)) == "21.0%"
    assert pct(embedding(large) / total(large)) == "5.9%"
    assert small.d // small.heads == 64
    attention = 2 * small.d**2 + 2 * small.d * (small.kv_heads * 64)
    ffn = 3 * small.d * small.ffn
    assert (attention, ffn, 2 * small.d) == (884_736, 2_654_208, 1_152)
    assert layer(small) == 3_540_096 and small.layers * layer(small) == 106_202_880
    page_shows(SLM, "30 层，9 个查询头、3 个键值头（每个头 64 维），前馈网络中间维度 1536",
               r"2 \times 576 \times (3 \times 64) = 884{,}736$", r"$3 \times 576 \times 1536 = 2{,}654{,}208$",
               "共 1,152 个，合计 3,540,096 个", "30 层共 106,202,880 个", "总数是 134,515,008",
               r"$28{,}311{,}552 \div 134{,}515{,}008 \approx 21.0\%$", r"\approx 5.9\%$")


def test_decode_speed_upper_bounds():
    bandwidth = 50  # GB/s, the page's assumption
    page_shows(SLM, "内存带宽为 50 GB/s")
    # The page divides by the rounded weight sizes it has just shown.
    assert f"{bandwidth / 3.42:.1f}" == "14.6"
    n = total(SMOLLM2_1_7B)
    four_bit = n * 0.5 / 1e9
    assert f"{four_bit:.3f}" == "0.856" and f"{bandwidth / 0.856:.1f}" == "58.4"
    assert n // 2 == 855_688_192 and n % 2 == 0
    page_shows(SLM, r"\times 0.5 = 855{,}688{,}192$ 字节，约 0.856 GB")
    assert f"{bandwidth / four_bit:.1f}" == "58.4" and round((bandwidth / 0.856) / (bandwidth / 3.42)) == 4
    page_shows(SLM, "是 16 比特时的 4 倍")
    seven_b = 7e9 * 0.5 / 1e9
    assert seven_b == 3.5 and f"{bandwidth / seven_b:.1f}" == "14.3"
    page_shows(SLM, r"$50 \div 3.42 \approx 14.6$", r"$50 \div 0.856 \approx 58.4$", r"$50 \div 3.5 \approx 14.3$",
               r"7 \times 10^9 \times 0.5 = 3.5$ GB")


def test_smollm2_135m_has_mobilellm_125m_shape():
    assert SMOLLM2_135M._replace(vocab=0) == MOBILELLM_125M._replace(vocab=0)
    assert embedding(MOBILELLM_125M) == 18_432_000 > 16_384_000
    m = MOBILELLM_125M
    assert layer(m) == layer(SMOLLM2_135M) == 3_540_096 and m.layers * layer(m) == 106_202_880
    assert embedding(m) + m.layers * layer(m) + m.d == total(m)
    diff = total(SMOLLM2_135M) - total(m)
    assert diff == (VOCAB - 32_000) * 576 == 9_879_552
    page_shows(SLM, "前馈网络中间维度 1536，词表 32,000", "一样是 3,540,096 个，30 层共 106,202,880 个",
               r"$(49{,}152 - 32{,}000) \times 576 = 9{,}879{,}552$", "比前面算的 18,432,000 个少")
    page_shows(SLM, r"$32{,}000 \times 576 = 18{,}432{,}000$", "32,000 换成了 49,152", "125M 模型有 30 层，隐藏维度只有 576，9 个查询头共用 3 个键值头")


def test_tokens_per_parameter_of_the_360m_model():
    per_step = 128 * 6 * 2048  # data-parallel replicas x micro-batch x sequence length
    tokens = per_step * SCHEDULES["360M"][3]
    assert per_step == 1_572_864 and f"{tokens:.2e}" == "4.09e+12"
    ratio = tokens / total(SMOLLM2_360M)
    assert round(ratio, -2) == 11_300 and round(11_300 / 20) == 565
    page_shows(SLM, r"$128 \times 6 \times 2{,}048 = 1{,}572{,}864$", "2,600,000 步",
               r"4.09 \times 10^{12}", "约 11,300 个词元", "约 565 倍")
    page_shows(SLM, "128 个数据并行的副本，每个副本每步处理 6 条序列，每条 2,048 个词元")
    big_step = 256 * 4 * 2048
    big = big_step * SCHEDULES["1B"][3]
    assert big_step == 2_097_152 and f"{big:.2e}" == "1.10e+13"
    page_shows(SLM, r"$256 \times 4 \times 2{,}048 = 2{,}097{,}152$",
               r"$2{,}097{,}152 \times 5{,}240{,}000 \approx 1.10 \times 10^{13}$")


def test_smollm2_schedules_decay_at_the_end():
    for warmup, start, decay, steps in SCHEDULES.values():
        assert warmup == 2_000 and start + decay == steps  # the decay runs to the last step
    _, start, decay, steps = SCHEDULES["1B"]
    assert (steps - start, fmt_int(steps), f"{decay / steps:.0%}") == (524_000, "5,240,000", "10%")
    _, start, decay, steps = SCHEDULES["360M"]
    assert (steps - start, fmt_int(steps), f"{decay / steps:.0%}") == (520_000, "2,600,000", "20%")
    page_shows(SLM, "1.7B 模型共 5,240,000 步，最后 524,000 步（10%）是衰减段",
               "360M 模型共 2,600,000 步，最后 520,000 步（20%）是衰减段", "先线性预热 2,000 步")


def test_mobilellm_numbers():
    """MobileLLM's released 125M config, its embedding-sharing ablation (512-dim embeddings, 32k
    vocabulary), its iPhone 13 execute times (Table 7) and zero-shot averages (Table 3), as read in
    a summary of the paper and in a reading note of its TeX source (see refs.bib, liu2024mobilellm)."""
    assert total(MOBILELLM_125M) == 124_635_456
    # The paper's appendix architecture table and the model card give 124.6M with shared
    # embeddings; the official training script sets its own share_embedding switch.
    assert f"{total(MOBILELLM_125M) / 1e6:.1f}M" == "124.6M" and round(total(MOBILELLM_125M) / 1e6) == 125
    assert f"{total(MOBILELLM_125M) / 1e8:.3f}" == "1.246"
    page_shows(SLM, "约 1.246 亿", "记为 124.6M", "不另算一个 18,432,000 个参数的输出矩阵")
    assert 32_000 * 512 == 16_384_000
    page_shows(SLM, "共 124,635,456 个参数", r"$32{,}000 \times 512 = 16{,}384{,}000$")
    # Embedding-sharing ablation (30 layers): 135M without sharing, 119M with it; the paper's
    # "approximately 11.8% of total parameters" is 16M over the unshared 135M.
    assert 135 - 16 == 119 and f"{100 * 16 / 135:.2f}" == "11.85"
    # average accuracy 44.8 without sharing, 44.6 with it (the same table)
    assert round(44.8 - 44.6, 1) == 0.2
    page_shows(SLM, r"$44.8 - 44.6 = 0.2$ 个百分点")
    page_shows(SLM, "论文记作 135M", "剩下 119M", r"$16 \div 135 \approx 11.85\%$", "论文写作约 11.8%")
    base, shared, doubled = 15.6, 16.0, 29.0  # ms
    assert f"{100 * (shared / base - 1):.1f}" == "2.6" and round(100 * (doubled / base - 1)) == 86
    page_shows(SLM, r"$16.0 \div 15.6 - 1 \approx 2.6\%$", r"要 29.0 毫秒，多出 $29.0 \div 15.6 - 1 \approx 86\%$")
    # Table 7 lists load, init and execute times separately; the page compares execute times only.
    page_shows(SLM, "不含加载和初始化：不共享时是 15.6 毫秒，MobileLLM-LS 要 16.0 毫秒")
    assert round(46.3 - 43.6, 1) == 2.7 and round(51.3 - 47.0, 1) == 4.3
    assert round(47.0 - 46.3, 1) == 0.7 and round(52.1 - 51.3, 1) == 0.8
    page_shows(SLM, r"$46.3 - 43.6 = 2.7$", r"$51.3 - 47.0 = 4.3$", "再高 0.7 和 0.8 个百分点")
    # The official README's 125M table (facebookresearch/MobileLLM at 8b9769d) has no RWKV:
    # OPT-125M 42.6, GPT-neo-125M 42.9, Pythia-160M 42.5.
    readme = {"OPT-125M": 42.6, "GPT-Neo-125M": 42.9, "Pythia-160M": 42.5}
    assert max(readme, key=readme.get) == "GPT-Neo-125M" and round(46.3 - 42.9, 1) == 3.4
    page_shows(SLM, "包括 RWKV-169M，上文的 2.7 个百分点就是与它比出来的",
               "其中最好的 GPT-Neo-125M 平均 42.9", r"$46.3 - 42.9 = 3.4$")


# LLaMA-7B (touvron2023llama): dimension 4096, 32 layers, SwiGLU width 11008, 32k vocabulary,
# separate input and output embeddings; the paper's Table 2 lists it as 6.7B, as the
# transformer page's count shows.
LLAMA_7B = Shape(32_000, 4096, 32, 32, 32, 11_008)


def test_motivation_numbers():
    """7B at half precision, and LLaMA-7B's tokens per parameter (1.0T tokens, touvron2023llama),
    with the model's real size rather than its nominal 7B."""
    assert 7e9 * 2 == 1.4e10
    page_shows(SLM, r"$7 \times 10^9 \times 2 = 1.4 \times 10^{10}$ 字节，即 14 GB")
    n = total(LLAMA_7B, tied=False)
    assert n == 6_738_415_616 and round(n / 1e9, 1) == 6.7
    per_param = 1e12 / (round(n / 1e9, 1) * 1e9)
    assert round(per_param) == 149 and round(1e12 / n) == 148  # either way, far above 20
    page_shows(SLM, "实际约有 67 亿参数，训练了 1 万亿词元", r"$10^{12} \div (6.7 \times 10^9) \approx 149$")
    # the scaling-laws page makes the same point about over-training with the same count
    page_shows("foundations/scaling-laws.md", "按论文表 2 实际约 6.7B 参数", "每参数约 149 个词元",
               r"$10^{12} \div (6.7 \times 10^{9}) \approx 149$")
