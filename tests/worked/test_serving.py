"""Worked numbers of docs/efficiency/serving.md, recomputed from their formulas.

The model is Mistral 7B as configured on docs/efficiency/efficient-inference.md (32 layers,
8 key-value heads of 128 dimensions, fp16), with 7 * 10^9 parameters as the rough size; the
GPU is an A100 sold as "80 GB" (80 * 2^30 bytes), 2.0 TB/s and 312 TFLOPS as on that page.
Memory is in the book's decimal units (1 GB = 10^9 bytes). Step times use the page's
idealised rule: a step takes the larger of its compute time at peak and its read time at
full bandwidth. Each test asserts the page shows what it computed.
"""

from __future__ import annotations

import math

from worked.pages import fmt_int, page, page_shows

SERVE = "efficiency/serving.md"

GB = 10**9
GPU_80GB = 80 * 2**30
PARAMS = 7 * 10**9
WEIGHTS = PARAMS * 2  # fp16
BANDWIDTH = 2.0e12  # B/s
PEAK = 312e12  # FLOP/s
KV_BUDGET = 60 * GB  # the page's assumption

LAYERS, KV_HEADS, HEAD_DIM, FP16 = 32, 8, 128, 2
KV_PER_TOKEN = 2 * LAYERS * KV_HEADS * HEAD_DIM * FP16

MAX_LEN = 2048
PROMPT, OUTPUT = 1024, 200
LENGTH = PROMPT + OUTPUT
BLOCK = 16


def ms(seconds: float, digits: int = 2) -> str:
    return f"{seconds * 1000:.{digits}f}"


def step(compute_tokens: int, read_bytes: float) -> float:
    """Idealised step time: the larger of compute at peak and reads at full bandwidth."""
    return max(2 * PARAMS * compute_tokens / PEAK, read_bytes / BANDWIDTH)


def test_weights_and_budget():
    assert WEIGHTS == 14 * GB
    left = GPU_80GB - WEIGHTS
    assert f"{GPU_80GB / GB:.1f}" == "85.9" and f"{left / GB:.1f}" == "71.9"
    assert KV_BUDGET < left
    assert GPU_80GB == 85_899_345_920 and round(85.9 - 14, 1) == 71.9
    page_shows(SERVE, "7 × 10⁹ × 2 B = 14 GB", "80 × 2³⁰ B = 85,899,345,920 B",
               "实际约 85.9 GB 显存", "剩约 85.9 − 14 = 71.9 GB", "假设其中 60 GB 留给 KV 缓存",
               "312 TFLOPS（每秒 312 × 10¹² 次浮点运算）")


def test_kv_bytes_per_token_and_contiguous_reservation():
    assert KV_PER_TOKEN == 131_072
    page_shows(SERVE, "2（键和值）× 32 层 × 8 个键值头 × 128 维 × 2 B = 131,072 B")
    reserve = MAX_LEN * KV_PER_TOKEN
    assert reserve == 268_435_456
    fit = KV_BUDGET / reserve
    assert f"{fit:.1f}" == "223.5" and math.floor(fit) == 223
    page_shows(SERVE, f"2,048 × 131,072 B = {fmt_int(reserve)} B，约 {reserve / GB:.3f} GB",
               f"60 × 10⁹ ÷ {fmt_int(reserve)} ≈ 223.5 份，即 223 个请求")


def test_unused_share_and_paged_allocation():
    assert LENGTH == 1224
    unused = (MAX_LEN - LENGTH) / MAX_LEN
    assert f"{unused:.1%}" == "40.2%"
    page_shows(SERVE, "1,024 + 200 = 1,224", "(2,048 − 1,224) ÷ 2,048 ≈ 40.2%")
    blocks = math.ceil(LENGTH / BLOCK)
    slots = blocks * BLOCK
    assert LENGTH / BLOCK == 76.5 and blocks == 77 and slots == 1232 and slots - LENGTH == 8
    page_shows(SERVE, "1,224 ÷ 16 = 76.5，要 77 块，共 77 × 16 = 1,232 个位置，只空出 8 个")
    per_request = slots * KV_PER_TOKEN
    assert per_request == 161_480_704
    fit = KV_BUDGET / per_request
    assert f"{fit:.1f}" == "371.6" and math.floor(fit) == 371
    ratio = math.floor(fit) / math.floor(KV_BUDGET / (MAX_LEN * KV_PER_TOKEN))
    assert f"{ratio:.2f}" == "1.66"
    page_shows(SERVE, f"1,232 × 131,072 B = {fmt_int(per_request)} B，约 {per_request / GB:.3f} GB",
               f"60 × 10⁹ ÷ {fmt_int(per_request)} ≈ 371.6 份，即 371 个请求",
               "371 ÷ 223 ≈ 1.66 倍")


def simulate(lengths: dict[str, int], slots: int, continuous: bool) -> dict[str, int]:
    """Completion step of each request; one token per request per step, all arrive at step 0."""
    waiting = list(lengths)
    done: dict[str, int] = {}
    if not continuous:
        t = 0
        while waiting:
            batch, waiting = waiting[:slots], waiting[slots:]
            t += max(lengths[r] for r in batch)
            done.update({r: t for r in batch})  # nobody returns before the batch ends
        return done
    running: dict[str, int] = {}
    t = 0
    while waiting or running:
        while waiting and len(running) < slots:
            r = waiting.pop(0)
            running[r] = lengths[r]
        t += 1
        for r in list(running):
            running[r] -= 1
            if running[r] == 0:
                done[r] = t
                del running[r]
    return done


def test_static_versus_continuous_batching():
    lengths = {"A": 2, "B": 8, "C": 3, "D": 5}
    static = simulate(lengths, 2, continuous=False)
    cont = simulate(lengths, 2, continuous=True)
    assert static == {"A": 8, "B": 8, "C": 13, "D": 13}
    assert cont == {"A": 2, "B": 8, "C": 5, "D": 10}
    for r in lengths:
        page_shows(SERVE, f"| {r} | {lengths[r]} | {static[r]} | {cont[r]} |")
    page_shows(SERVE, "分别要生成 2、8、3、5 个词元", "第 13 步完成", "第 5 步完成", "第 10 步完成")
    # the prose: the first static batch runs 8 steps (B's length), A has its tokens at step 2;
    # the second starts at step 9 and runs 5 (D's length); continuous: C fills A's slot from
    # step 3, D fills C's slot from step 6, B ends at step 8
    first = max(lengths["A"], lengths["B"])
    second = max(lengths["C"], lengths["D"])
    assert (first, second, first + 1, first + second) == (8, 5, 9, 13)
    page_shows(SERVE, "共 8 步；A 在第 2 步就生成完了，却要等到第 8 步才随整批返回",
               "C、D 在第 9 步开始，跑到 D 结束，共 5 步，第 13 步完成")
    c_start, d_start = cont["A"] + 1, cont["C"] + 1
    assert (c_start, d_start) == (3, 6)
    assert cont["C"] == c_start + lengths["C"] - 1 and cont["D"] == d_start + lengths["D"] - 1
    page_shows(SERVE, "A 在第 2 步完成后，C 从第 3 步起补进空位，3 个词元占第 3、4、5 步，第 5 步完成；"
               "D 接着从第 6 步补进，5 个词元占第 6 到第 10 步，第 10 步完成；B 一直占着另一个位置，在第 8 步完成")
    mean_static = sum(static.values()) / 4
    mean_cont = sum(cont.values()) / 4
    assert mean_static == 10.5 and mean_cont == 6.25
    page_shows(SERVE, "(8 + 8 + 13 + 13) ÷ 4 = 10.5 步", "(2 + 8 + 5 + 10) ÷ 4 = 6.25 步",
               "分别要 13 步和 10 步")
    work = sum(lengths.values())
    makespan_static, makespan_cont = max(static.values()), max(cont.values())
    assert work == 18 and (makespan_static, makespan_cont) == (13, 10)
    assert round(100 * work / (2 * makespan_static)) == 69 and work / (2 * makespan_cont) == 0.9
    page_shows(SERVE, "2 + 8 + 3 + 5 = 18", "13 × 2 = 26 个位置可用，利用率 18 ÷ 26 ≈ 69%",
               "10 步里有 20 个，利用率 18 ÷ 20 = 90%")


def test_ttft_and_single_request_tpot():
    flops = 2 * PARAMS * PROMPT
    ttft = flops / PEAK
    assert f"{flops:.3g}" == "1.43e+13" and ms(ttft, 1) == "45.9"
    page_shows(SERVE, "2 × 7 × 10⁹ × 1,024 ≈ 1.43 × 10¹³ 次",
               "约需 2 × 7 × 10⁹ × 1,024 ÷ (312 × 10¹²) 秒 ≈ 45.9 毫秒")
    kv_one = PROMPT * KV_PER_TOKEN
    assert kv_one == 134_217_728
    tpot1 = step(1, WEIGHTS + kv_one)
    assert ms(tpot1) == "7.07" and round(1 / tpot1) == 142
    compute1 = 2 * PARAMS / PEAK
    assert ms(compute1, 3) == "0.045" and compute1 < tpot1
    page_shows(SERVE, f"1,024 × 131,072 B = {fmt_int(kv_one)} B，约 {kv_one / GB:.3f} GB",
               "读取要 (14 + 0.134) GB ÷ 2.0 TB/s ≈ 7.07 毫秒",
               "2 × 7 × 10⁹ ÷ (312 × 10¹²) 秒 ≈ 0.045 毫秒", "一步约 7.07 毫秒，每秒约 142 个词元")


def test_batch_of_32():
    kv = 32 * PROMPT * KV_PER_TOKEN
    assert kv == 4_294_967_296
    t32 = step(32, WEIGHTS + kv)
    t1 = step(1, WEIGHTS + PROMPT * KV_PER_TOKEN)
    assert ms(t32) == "9.15"
    assert round(32 / t32) == 3498 and f"{(32 / t32) / (1 / t1):.1f}" == "24.7"
    assert f"{32 * 7.07 / 9.15:.1f}" == "24.7"  # the same ratio from the shown values
    assert 2 * PARAMS * 32 / PEAK < (WEIGHTS + kv) / BANDWIDTH
    page_shows(SERVE, f"32 × 134,217,728 B = {fmt_int(kv)} B，约 {kv / GB:.2f} GB",
               "(14 + 4.29) GB ÷ 2.0 TB/s ≈ 9.15 毫秒", "32 ÷ 9.15 毫秒 ≈ 3,498 个词元",
               "约为单个请求时的 32 × 7.07 ÷ 9.15 ≈ 24.7 倍", "只从 7.07 毫秒变成 9.15 毫秒",
               "约 1.44 毫秒，仍比读取短，所以一步约 9.15 毫秒")
    e2e = 2 * PARAMS * PROMPT / PEAK + (OUTPUT - 1) * t32
    assert round(e2e * 1000) == 1866 and f"{e2e:.2f}" == "1.87"
    page_shows(SERVE, "TTFT 加 199 个 TPOT", "45.9 + 199 × 9.15 ≈ 1,866 毫秒，约 1.87 秒")


def test_all_371_requests_and_the_tpot_slo():
    n = 371
    kv = n * LENGTH * KV_PER_TOKEN
    assert kv == 59_520_319_488
    read = (WEIGHTS + kv) / BANDWIDTH
    compute = 2 * PARAMS * n / PEAK
    assert ms(read, 1) == "36.8" and ms(compute, 1) == "16.6" and compute < read
    assert round(n / read) == 10092
    page_shows(SERVE, f"371 × 1,224 × 131,072 B = {fmt_int(kv)} B，约 {kv / GB:.1f} GB",
               "(14 + 59.5) GB ÷ 2.0 TB/s ≈ 36.8 毫秒，每秒约 10,092 个词元",
               "2 × 7 × 10⁹ × 371 ÷ (312 × 10¹²) 秒 ≈ 16.6 毫秒")
    per_request = LENGTH * KV_PER_TOKEN
    assert per_request == 160_432_128
    budget = 0.010 * BANDWIDTH
    assert budget == 20 * GB and budget - WEIGHTS == 6 * GB
    b = (budget - WEIGHTS) / per_request
    assert f"{b:.1f}" == "37.4" and math.floor(b) == 37
    page_shows(SERVE, "10 毫秒 × 2.0 TB/s = 20 GB", "只剩 6 GB 给 KV 缓存",
               f"生成结束时的 1,224 个词元算，要读 1,224 × 131,072 B = "
               f"{fmt_int(per_request)} B，约 {per_request / GB:.3f} GB",
               f"6 × 10⁹ ÷ {fmt_int(per_request)} ≈ 37.4，即 37 个")


def test_a_long_prompt_with_and_without_chunks():
    decode = 2 * PARAMS * 32 / PEAK
    read = (WEIGHTS + 32 * PROMPT * KV_PER_TOKEN) / BANDWIDTH
    assert ms(decode) == "1.44"
    page_shows(SERVE, "2 × 7 × 10⁹ × 32 次浮点运算，约 1.44 毫秒")
    whole = step(PROMPT + 32, WEIGHTS + 32 * PROMPT * KV_PER_TOKEN)
    assert whole > read and ms(whole, 1) == "47.4" and f"{whole / read:.2f}" == "5.18"
    assert PROMPT + 32 == 1056 and ms(2 * PARAMS * PROMPT / PEAK, 1) == "45.9"
    page_shows(SERVE, "1,024 + 32 = 1,056 个词元", "2 × 7 × 10⁹ × 1,056 ÷ (312 × 10¹²) 秒 ≈ 47.4 毫秒",
               "（预填充约 45.9 毫秒，解码约 1.44 毫秒）", "从 9.15 毫秒跳到 47.4 毫秒，约 5.18 倍")
    chunk = 256
    assert PROMPT % chunk == 0 and PROMPT // chunk == 4
    per_step = step(chunk + 32, WEIGHTS + 32 * PROMPT * KV_PER_TOKEN)
    assert ms(2 * PARAMS * chunk / PEAK) == "11.49" and ms(per_step) == "12.92" and per_step > read
    ttft = 4 * per_step
    assert ms(ttft, 1) == "51.7" and ttft > whole
    assert chunk + 32 == 288
    page_shows(SERVE, "1,024 ÷ 256 = 4，分成 4 块", "256 + 32 = 288 个词元",
               "2 × 7 × 10⁹ × 288 ÷ (312 × 10¹²) 秒 ≈ 12.92 毫秒", "其中一块预填充约 11.49 毫秒",
               "4 × 12.92 ≈ 51.7 毫秒")


def test_kv_transfer_when_disaggregated():
    nbytes = PROMPT * KV_PER_TOKEN
    link = 25 * GB  # B/s, the page's assumption
    seconds = nbytes / link
    assert ms(seconds) == "5.37" and round(100 * seconds / (2 * PARAMS * PROMPT / PEAK)) == 12
    assert round(100 * 5.37 / 45.9) == 12  # the same share from the shown values
    assert f"{nbytes / 10**6:.0f}" == "134"
    page_shows(SERVE, "134,217,728 B，约 134 MB", "134,217,728 ÷ (25 × 10⁹) 秒 ≈ 5.37 毫秒",
               "约为这次预填充耗时的 5.37 ÷ 45.9 ≈ 12%")


def test_restated_values_match_their_first_computation():
    """Values the page repeats in prose after computing them; each repeat is pinned to the
    same recomputation, so editing one copy of a number fails (mutation-checked)."""
    assert (LAYERS, KV_HEADS, HEAD_DIM) == (32, 8, 128) and 4096 > MAX_LEN
    page_shows(SERVE, f"{LAYERS} 层，{KV_HEADS} 个键值头，每头 {HEAD_DIM} 维",
               f"KV 缓存只按 {KV_HEADS} 个键值头算",
               f"最近 4,096 个词元；这个窗口大于本例的最大长度 {fmt_int(MAX_LEN)}",
               f"放下 {WEIGHTS // GB} GB 权重后", "显存带宽按 2.0 TB/s", "参数量按 7 × 10⁹ 粗算",
               "型号为「80 GB」的 A100。型号里的 80 GB 按二进制计，是 80 × 2³⁰ B",
               f"每个请求的上限是 {fmt_int(MAX_LEN)} 个词元",
               f"提示是 {fmt_int(PROMPT)} 个词元，生成 {OUTPUT} 个",
               f"预留的 {fmt_int(MAX_LEN)} 个位置里", f"每块 {BLOCK} 个词元，{fmt_int(LENGTH)} ÷ {BLOCK}",
               f"恰好用到 {fmt_int(LENGTH)} 个词元", f"连续预留却总按 {fmt_int(MAX_LEN)} 计")
    assert page(SERVE).count(f"{KV_BUDGET // GB} GB 能放下 {KV_BUDGET // GB} × 10⁹") == 2
    # the batching trace: 2 slots, and the static makespan of 13 steps in the utilisation line
    page_shows(SERVE, "批里最多放 2 个请求", "静态批处理 13 步里有 13 × 2 = 26 个位置")
    # TTFT, one request, 32 requests
    page_shows(SERVE, f"预填充 {fmt_int(PROMPT)} 个词元。每个词元约需 2 × 7 × 10⁹ 次浮点运算",
               "按 312 TFLOPS 计", f"解码一步要读 {WEIGHTS // GB} GB 权重",
               f"缓存里是提示的 {fmt_int(PROMPT)} 个词元", "计算只涉及 1 个词元",
               "这时一个生成 200 个词元的请求", "**32 个请求一起解码。**", "权重的读取被 32 个请求分摊了")
    # all 371 requests and the 10 ms SLO
    n = math.floor(KV_BUDGET / (math.ceil(LENGTH / BLOCK) * BLOCK * KV_PER_TOKEN))
    read = (WEIGHTS + n * LENGTH * KV_PER_TOKEN) / BANDWIDTH
    b = math.floor((0.010 * BANDWIDTH - WEIGHTS) / (LENGTH * KV_PER_TOKEN))
    assert (n, ms(read, 1), b) == (371, "36.8", 37)
    page_shows(SERVE, f"把 {n} 个请求全放进来", f"按生成结束时的 {fmt_int(LENGTH)} 个词元算，KV 缓存共",
               f"TPOT 却涨到 {ms(read, 1)} 毫秒", "如果 SLO 要求 TPOT 不超过 10 毫秒",
               f"扣掉 {WEIGHTS // GB} GB 权重", f"显存装得下 {n} 个请求，SLO 却只允许约 {b} 个同时解码",
               f"超过 {b} 个以后每个请求都超过 10 毫秒，达标的请求数一下子降到 0")
    # the long prompt: the 32-request step, the unchunked step, the chunked step
    t32 = step(32, WEIGHTS + 32 * PROMPT * KV_PER_TOKEN)
    whole = step(PROMPT + 32, WEIGHTS + 32 * PROMPT * KV_PER_TOKEN)
    chunked = step(256 + 32, WEIGHTS + 32 * PROMPT * KV_PER_TOKEN)
    assert (ms(t32), ms(whole, 1), ms(chunked), PROMPT // 256) == ("9.15", "47.4", "12.92", 4)
    page_shows(SERVE, f"32 个请求正在解码，每步 {ms(t32)} 毫秒", f"提示 {fmt_int(PROMPT)} 个词元。前面算过，"
               f"32 个解码词元本身的计算约 {ms(2 * PARAMS * 32 / PEAK)} 毫秒",
               f"它远大于 {ms(t32)} 毫秒的读取时间，所以这一步要 {ms(whole, 1)} 毫秒",
               "按 256 个词元分块", "每一步是一块预填充加 32 个解码词元",
               f"它比 {ms(t32)} 毫秒的读取时间长，所以每步约 {ms(chunked)} 毫秒",
               f"只是连续 {PROMPT // 256} 个间隔略长，不再有一次 {ms(whole, 1)} 毫秒的停顿",
               f"这 {fmt_int(PROMPT)} 个词元的 KV 缓存要传过去", "假设链路带宽为 25 GB/s",
               "32 个请求的这一个词元间隔", "32 个解码请求则只是连续")
