"""Worked numbers of docs/knowledge/vector-search.md, recomputed.

Exact k-NN over 10 million 768-dim float32 vectors; an inverted file with 4,096 equal cells and
nprobe = 16; product quantisation with M = 96 one-byte codes (k* = 256, Jégou et al. 2011); and
the HNSW level distribution P(level >= t) = M^-t that follows from level = floor(-ln(u) * m_L)
with m_L = 1 / ln M, as hnswlib writes it (mult_ = 1 / log(M)).
"""

from __future__ import annotations

import math
from fractions import Fraction

from worked.pages import page_shows

PAGE = "knowledge/vector-search.md"

N = 10_000_000
D = 768
FLOAT32 = 4


def test_exact_search_memory_and_compute():
    per_vector = D * FLOAT32
    total = N * per_vector
    macs = N * D
    assert per_vector == 3072
    assert total == 30_720_000_000
    assert total / 10**9 == 30.72
    assert macs == 7_680_000_000
    assert macs * 1000 == 7.68e12
    assert macs / 10**8 == 76.8                 # 76.8 亿 (1 亿 = 10^8)
    page_shows(PAGE, "768 × 4 = 3,072 字节",
               "10,000,000 × 3,072 = 30,720,000,000 字节，即 30.72 GB",
               "10,000,000 × 768 = 7,680,000,000 次乘加，约 76.8 亿次",
               "每秒 7.68 × 10¹² 次乘加", "就要占 30.72 GB，每个查询要做 76.8 亿次乘加")


def test_inverted_file():
    nlist, nprobe = 4096, 16
    per_cell = N / nlist
    scanned = nprobe * per_cell
    total = nlist + scanned
    assert round(per_cell, 1) == 2441.4
    assert scanned == 39062.5 and nprobe * N / nlist == 39062.5
    assert round(nprobe * round(per_cell, 1), 1) == 39062.4
    assert total == 43158.5
    assert round(100 * total / N, 2) == 0.43
    assert round(N / total, 1) == 231.7
    assert round(N / total) == 232
    page_shows(PAGE, "10,000,000 ÷ 4,096 ≈ 2,441.4 个向量",
               "16 × 10,000,000 ÷ 4,096 = 39,062.5 个向量",
               "用上一行取整后的 2,441.4 去乘，会得到 39,062.4",
               "4,096 + 39,062.5 = 43,158.5 次距离",
               "43,158.5 ÷ 10,000,000 ≈ 0.43%，计算量约为暴力搜索的 1/232（10,000,000 ÷ 43,158.5 ≈ 231.7）")


def test_product_quantisation():
    m, kstar = 96, 256
    sub = D // m
    code_bytes = m * math.log2(kstar) / 8
    assert sub == 8 and kstar == 2**8 and code_bytes == 96
    assert m * math.log2(kstar) == 768          # bits per code
    assert m - 1 == 95                          # additions after the m table look-ups
    assert D * FLOAT32 // m == 32
    assert N * m == 960_000_000 and N * m / 10**9 == 0.96
    codebooks = m * kstar * sub * FLOAT32
    assert codebooks == 786_432 and round(codebooks / 1e6, 2) == 0.79
    entries = m * kstar
    assert entries == 24_576 and entries * FLOAT32 == 98_304 and round(98_304 / 1e3) == 98
    table_macs = m * kstar * sub
    assert table_macs == 196_608
    assert N * D / table_macs == 39062.5
    page_shows(PAGE, "每段 768 ÷ 96 = 8 维", "256 = 2⁸",
               "共 96 字节（768 比特）", "压缩比是 3,072 ÷ 96 = 32 倍",
               "10,000,000 × 96 = 960,000,000 字节，即 0.96 GB",
               "96 × 256 × 8 × 4 = 786,432 字节，约 0.79 MB",
               "96 × 256 = 24,576 个表项，按 float32 存是 24,576 × 4 = 98,304 字节，约 98 KB",
               "96 × 256 × 8 = 196,608 次乘加",
               "7,680,000,000 ÷ 196,608 = 39,062.5 倍",
               "查 96 次表，再做 95 次加法")


def test_hnsw_levels():
    m = 16
    ml = 1 / math.log(m)
    assert round(ml, 3) == 0.361

    def p_at_least(t):
        # P(floor(-ln(u) * ml) >= t) = P(u <= exp(-t / ml)) = M^-t
        return math.exp(-t / ml)

    assert math.isclose(p_at_least(1), 1 / 16)
    assert math.isclose(p_at_least(2), 1 / 256)
    assert Fraction(1, m) * 100 == Fraction(625, 100)             # 6.25%
    assert Fraction(1, m**2) * 100 == Fraction(390625, 1_000_000)  # 0.390625%
    assert round(100 * p_at_least(2), 2) == 0.39
    assert round(N * p_at_least(1)) == 625_000 and math.isclose(N * p_at_least(2), 39062.5)
    assert N // 16 == 625_000 and N / 256 == 39062.5
    assert round(7 / math.log10(16), 2) == 5.81
    assert math.isclose(math.log(N, 16), 7 / math.log10(16))
    assert round(N / 16**5, 1) == 9.5 and round(N / 16**6, 1) == 0.6

    def top_at_least(t):
        # the highest layer is >= t when at least one of the N nodes reaches layer t
        return 1 - (1 - p_at_least(t)) ** N

    assert round(100 * top_at_least(7), 1) == 3.7
    assert top_at_least(5) > 0.9999
    assert round(100 * (top_at_least(5) - top_at_least(7))) == 96
    page_shows(PAGE, "$m_L = 1/\\ln 16 \\approx 0.361$",
               "16⁻¹ = 1/16 = 6.25%", "16⁻² = 1/256 ≈ 0.39%（精确值 0.390625%）",
               "10,000,000 ÷ 16 = 625,000 个", "10,000,000 ÷ 256 = 39,062.5 个",
               "7 / \\log_{10} 16 \\approx 5.81",
               "10,000,000 ÷ 16⁵ ≈ 9.5 个节点，第 6 层只剩约 0.6 个",
               "$1 - (1 - 16^{-7})^{10^{7}} \\approx 3.7\\%$",
               "概率则超过 99.99%，所以最高层约有 96% 的概率是第 5 或第 6 层")
