"""Worked numbers of docs/knowledge/knowledge-graphs.md, recomputed from their formulas.

The k-hop example assumes a tree-like graph in which every entity has b edges besides the one
it was reached by (the start entity has b edges) and T tokens per triple written as text (b = 20, T = 15 are the page's own assumptions): N_k = b + b^2 + ... + b^k.
The beam-search variant shows the model every edge of each entity on a beam of width W for
D steps, calling the model once per step and once more to answer (W = D = 3, ToG's default
width and depth per ToG/README.md of IDEA-FinAI/ToG).
The evaluation example has five questions with given first-correct ranks; Hits@1 and MRR
follow their definitions. Each test asserts that the page shows what it computed.
"""

from __future__ import annotations

from fractions import Fraction

from worked.pages import page_shows

PAGE = "knowledge/knowledge-graphs.md"
B, T = 20, 15
W, D = 3, 3


def n_hop(k: int) -> int:
    return sum(B ** i for i in range(1, k + 1))


def test_k_hop_neighbourhood():
    assert [n_hop(k) for k in (1, 2, 3)] == [20, 420, 8420]
    assert [T * n_hop(k) for k in (1, 2, 3)] == [300, 6300, 126300]
    assert n_hop(2) // n_hop(1) == 21 and n_hop(2) % n_hop(1) == 0
    assert (T * n_hop(2)) // (T * n_hop(1)) == 21
    # each hop adds b^k triples: N_2 = N_1 + b^2, N_3 = N_2 + b^3
    assert B ** 2 == 400 and n_hop(2) == n_hop(1) + B ** 2
    assert B ** 3 == 8000 and n_hop(3) == n_hop(2) + B ** 3
    page_shows(PAGE, r"$N_1 = 20$", r"$20 \times 15 = 300$", r"$N_2 = 20 + 20^2 = 20 + 400 = 420$",
               r"$420 \times 15 = 6{,}300$", "是 1 跳的 21 倍", r"$6{,}300 / 300 = 21$",
               r"$N_3 = N_2 + 20^3 = 420 + 8{,}000 = 8{,}420$", r"$8{,}420 \times 15 = 126{,}300$")


def test_beam_search_reads_far_fewer_triples():
    seen = [1 * B] + [W * B] * (D - 1)
    assert seen == [20, 60, 60] and sum(seen) == 140 and T * sum(seen) == 2100
    share = T * sum(seen) / (T * n_hop(3))
    assert f"{share:.3f}" == "0.017" and f"{100 * share:.1f}" == "1.7"
    kept = W * D
    assert kept == 9 and T * kept == 135
    calls = D + 1  # one pick per step, then one call to answer
    assert calls == 4
    page_shows(PAGE, r"$1 \times 20 = 20$", r"$3 \times 20 = 60$", r"$20 + 60 + 60 = 140$",
               r"$140 \times 15 = 2{,}100$", "约为一次取出 3 跳邻域的 1.7%",
               r"$2{,}100 / 126{,}300 \approx 0.017$", r"$3 \times 3 = 9$", r"$9 \times 15 = 135$",
               "走 3 步要挑 3 次", r"$3 + 1 = 4$")


RANKS = [1, 1, 3, None, 1]  # first correct answer's rank; None: no correct answer listed


def hits1_mrr(ranks):
    n = len(ranks)
    hits = Fraction(sum(r == 1 for r in ranks), n)
    mrr = sum((Fraction(1, r) for r in ranks if r), Fraction(0)) / n
    return hits, mrr


def test_hits_and_mrr_with_a_missing_edge():
    hits, mrr = hits1_mrr(RANKS)
    assert hits == Fraction(3, 5) and f"{float(mrr):.3f}" == "0.667"
    assert [i + 1 for i, r in enumerate(RANKS) if r == 1] == [1, 2, 5]  # "第 1、2、5 题"
    assert mrr * 5 == Fraction(10, 3) and mrr == Fraction(2, 3)
    fixed = [1 if r is None else r for r in RANKS]
    hits2, mrr2 = hits1_mrr(fixed)
    assert hits2 == Fraction(4, 5) and f"{float(mrr2):.3f}" == "0.867"
    assert mrr2 * 5 == Fraction(13, 3) and mrr2 == Fraction(13, 15)
    # every row of the page's table carries the rank used in RANKS
    page_shows(PAGE, "| 1 | 1 | 答对 |", "| 2 | 1 | 答对 |", "| 4 | 没有 |", "| 5 | 1 | 答对 |")
    page_shows(PAGE, "| 3 | 3 | 正确答案排在第三 |", "Hits@1 = 3/5 = 0.6",
               "只有第 1、2、5 题排在第一位的答案正确",
               "MRR = (1 + 1 + 1/3 + 0 + 1)/5 = (10/3)/5 = 2/3 ≈ 0.667", "Hits@1 = 4/5 = 0.8",
               "MRR = (1 + 1 + 1/3 + 1 + 1)/5 = (13/3)/5 = 13/15 ≈ 0.867")
