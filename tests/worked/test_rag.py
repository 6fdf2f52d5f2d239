"""Worked numbers of knowledge/rag.md (retrieval-augmented generation), recomputed.

The page's toy corpus: six documents and three queries with hand-chosen 3-d embeddings.
Every cosine, ranking, recall@k, in-batch contrastive loss and RAG marginal shown on the
page is recomputed here from those vectors and the formulas the page states.
"""

import math

from worked.pages import page_shows

PAGE = "knowledge/rag.md"

DOCS = {
    "d1": (0.9, 0.1, 0.1),
    "d2": (0.8, 0.0, 0.4),
    "d3": (0.1, 0.9, 0.1),
    "d4": (0.0, 0.8, 0.4),
    "d5": (0.2, 0.1, 0.9),
    "d6": (0.0, 0.5, 0.8),
}
QUERIES = {
    "q1": ((1.0, 0.0, 0.2), {"d1", "d2"}),
    "q2": ((0.0, 1.0, 0.1), {"d4"}),
    "q3": ((0.0, 0.4, 0.9), {"d6"}),
}


def dot(u, v):
    return sum(a * b for a, b in zip(u, v))


def norm(u):
    return math.sqrt(dot(u, u))


def cos(u, v):
    return dot(u, v) / (norm(u) * norm(v))


def ranking(q):
    vec = QUERIES[q][0]
    return sorted(DOCS, key=lambda d: -cos(vec, DOCS[d]))


def recall_at(q, k):
    relevant = QUERIES[q][1]
    return len(relevant & set(ranking(q)[:k])) / len(relevant)


def vec(v):
    return "$(" + ", ".join(f"{x:.1f}" for x in v) + ")$"


def test_page_shows_the_vectors_the_test_uses():
    page_shows(PAGE, *(f"| ${d[0]}_{d[1]}$ |" for d in DOCS), *(vec(v) for v in DOCS.values()),
               *(vec(v) for v, _ in QUERIES.values()))


def test_cosine_table_and_top3():
    for q, (v, relevant) in QUERIES.items():
        cells = []
        for d, dv in DOCS.items():
            c = f"{cos(v, dv):.2f}"
            cells.append(f"**{c}**" if d in relevant else c)
        top3 = ", ".join(f"d_{d[1]}" for d in ranking(q)[:3])
        row = f"| $q_{q[1]}$ | " + " | ".join(cells) + f" | ${top3}$ |"
        page_shows(PAGE, row)
    # the ranking must not hinge on rounding: the top three of every row differ at two decimals
    for q, (v, _) in QUERIES.items():
        shown = [f"{cos(v, DOCS[d]):.2f}" for d in ranking(q)[:3]]
        assert len(set(shown)) == 3, (q, shown)


def test_cosine_worked_through_for_q2():
    q2 = QUERIES["q2"][0]
    assert math.isclose(dot(q2, DOCS["d3"]), 0.91) and math.isclose(dot(q2, DOCS["d4"]), 0.84)
    page_shows(PAGE, f"\\sqrt{{1.01}} \\approx {norm(q2):.3f}", "= 0.91$", f"\\sqrt{{0.83}} \\approx {norm(DOCS['d3']):.3f}",
               f"\\approx {cos(q2, DOCS['d3']):.3f}", "= 0.84$", f"\\sqrt{{0.80}} \\approx {norm(DOCS['d4']):.3f}",
               f"\\approx {cos(q2, DOCS['d4']):.3f}")


def test_recall_at_1_and_3():
    per_query = {q: (recall_at(q, 1), recall_at(q, 3)) for q in QUERIES}
    assert per_query == {"q1": (0.5, 1.0), "q2": (0.0, 1.0), "q3": (1.0, 1.0)}
    mean1 = sum(r1 for r1, _ in per_query.values()) / 3
    mean3 = sum(r3 for _, r3 in per_query.values()) / 3
    assert ranking("q2")[0] == "d3" and ranking("q2").index("d4") == 1
    page_shows(PAGE, "recall@1 = 1/2 = 0.5", "recall@3 = 2/2 = 1", "recall@1 = 0/1 = 0", "recall@3 = 1/1 = 1",
               f"recall@1 = (0.5 + 0 + 1) / 3 = {mean1:.1f}", f"recall@3 = (1 + 1 + 1) / 3 = {mean3:.1f}")


def softmax_loss(positive, negatives, tau=1.0):
    z = [math.exp(s / tau) for s in [positive, *negatives]]
    p = z[0] / sum(z)
    return z, p, -math.log(p)


def test_in_batch_loss_for_q2():
    q2 = QUERIES["q2"][0]
    pos, neg1, neg6, hard = (round(dot(q2, DOCS[d]), 2) for d in ("d4", "d1", "d6", "d3"))
    assert (pos, neg1, neg6, hard) == (0.84, 0.11, 0.58, 0.91)
    z, p, loss = softmax_loss(pos, [neg1, neg6])
    page_shows(PAGE, f"q_2^{{\\top}} d_4 = {pos}", f"q_2^{{\\top}} d_1 = {neg1}", f"q_2^{{\\top}} d_6 = {neg6}",
               f"\\frac{{{z[0]:.4f}}}{{{z[0]:.4f} + {z[1]:.4f} + {z[2]:.4f}}}",
               f"\\frac{{{z[0]:.4f}}}{{{sum(z):.4f}}} = {p:.4f}", f"损失 $-\\ln {p:.4f} = {loss:.4f}$",
               f"\\ln 3 \\approx {math.log(3):.4f}")
    z_h, p_h, loss_h = softmax_loss(pos, [neg1, neg6, hard])
    page_shows(PAGE, f"q_2^{{\\top}} d_3 = {hard}", f"{sum(z):.4f} + e^{{0.91}} = {sum(z):.4f} + {z_h[3]:.4f} = {sum(z_h):.4f}",
               f"正样本概率降到 {p_h:.4f}", f"损失升到 {loss_h:.4f}")
    assert loss_h > math.log(3) > loss  # the hard negative makes the row worse than a blind guess


def test_in_batch_loss_with_temperature():
    tau = 0.1
    q2 = QUERIES["q2"][0]
    pos, neg1, neg6, hard = (round(dot(q2, DOCS[d]), 2) for d in ("d4", "d1", "d6", "d3"))
    _, _, loss = softmax_loss(pos, [neg1, neg6], tau=tau)
    _, _, loss_h = softmax_loss(pos, [neg1, neg6, hard], tau=tau)
    scaled = "、".join(f"{s / tau:.1f}" for s in (pos, neg1, neg6))
    page_shows(PAGE, f"$\\tau = {tau}$", f"三个得分变成 {scaled}", f"损失降到 {loss:.4f}", f"（{hard / tau:.1f}）",
               f"损失是 {loss_h:.4f}")
    # the steps shown: divide through by e^(pos/tau), then add the hard negative's term;
    # the page rounds each term to five decimals and the logs of those sums give its losses
    a, b, h = (round(math.exp((s - pos) / tau), 5) for s in (neg1, neg6, hard))
    den, den_h = round(1 + a + b, 5), round(1 + a + b + h, 5)
    page_shows(PAGE, f"e^{{{pos / tau:.1f}}}", f"1 / (1 + e^{{{(neg1 - pos) / tau:.1f}}} + e^{{{(neg6 - pos) / tau:.1f}}})",
               f"约等于 $1 / (1 + {a:.5f} + {b:.5f}) = 1 / {den:.5f}", f"即 $\\ln {den:.5f}$",
               f"e^{{{(hard - pos) / tau:.1f}}} \\approx {h:.5f}", f"变成 {den_h:.5f}", f"即 $\\ln {den_h:.5f}$")
    assert f"{math.log(den):.4f}" == f"{loss:.4f}" and f"{math.log(den_h):.4f}" == f"{loss_h:.4f}"


def test_rag_sequence_vs_rag_token():
    prior = {"z1": 0.6, "z2": 0.4}
    token_probs = {"z1": (0.9, 0.2), "z2": (0.3, 0.8)}
    seq = sum(prior[z] * math.prod(token_probs[z]) for z in prior)
    tok = math.prod(sum(prior[z] * token_probs[z][i] for z in prior) for i in range(2))
    first = sum(prior[z] * token_probs[z][0] for z in prior)
    second = sum(prior[z] * token_probs[z][1] for z in prior)
    assert tok > seq
    # the inputs the page states, so that changing one of them without the sums fails
    page_shows(PAGE, f"$p_\\eta(z_1 \\mid x) = {prior['z1']}$", f"$p_\\eta(z_2 \\mid x) = {prior['z2']}$",
               "在 $z_1$ 下给两个词元的概率是 {} 和 {}".format(*token_probs["z1"]),
               "在 $z_2$ 下是 {} 和 {}".format(*token_probs["z2"]),
               " + ".join(f"{prior[z]} \\times ({a} \\times {b})" for z, (a, b) in token_probs.items()),
               " \\times ".join("(" + " + ".join(f"{prior[z]} \\times {token_probs[z][i]}" for z in prior) + ")"
                                 for i in range(2)))
    terms = " + ".join(f"{prior[z] * math.prod(token_probs[z]):.3f}" for z in prior)
    page_shows(PAGE, f"= {terms} = {seq:.3f}",
               f"= {first:.2f} \\times {second:.2f} = {tok:.4f}")


# --- Qwen3-VL-Embedding: what one stored vector costs ---------------------------------
# Section 7.1 of the report truncates embeddings from 1024 to 512 dimensions and stores them
# as float32, int8 or binary; the page works out the bytes per vector.

DIM, SHORT_DIM = 1024, 512
FLOAT32, INT8 = 4, 1  # bytes per dimension; binary keeps one bit per dimension


def test_embedding_storage_per_vector():
    full, short, int8, binary = DIM * FLOAT32, SHORT_DIM * FLOAT32, DIM * INT8, DIM // 8
    page_shows(PAGE, f"{DIM:,} 维的向量按 float32 存，每维 {FLOAT32} 字节，要 {full:,} 字节",
               f"截到 {SHORT_DIM} 维是 {short:,} 字节", f"每维 {INT8} 字节，是 {int8:,} 字节",
               f"{DIM:,} 比特除以每字节 8 比特，共 {binary} 字节", f"是 float32 的 1/{full // binary}",
               f"（{full:,} ÷ {binary} = {full // binary}）")
    assert short == full // 2  # "存储减半" on the page is the same truncation
    assert full // binary == 32


def test_truncation_drop_is_relative():
    # Figure 6 of the report: MRR@10 0.360 at 1024 dimensions; "1.4% decrease" at 512 is relative.
    full = 0.360
    assert f"{full * (1 - 0.014):.3f}" == "0.355"
    page_shows(PAGE, "只相对下降 1.4%", "从 0.360 降到约 0.355")


# ML-Embed's MEL, the book's illustration: Qwen3-0.6B's embedding matrix (vocabulary x hidden
# size) against the two rank-r factors that replace it; 512 is the rank of the official
# example config and 64 the smallest rank its code samples.
VOCAB, HIDDEN = 151_936, 1_024


def factored(rank):
    return VOCAB * rank + rank * HIDDEN


def test_mel_factored_embedding_parameters():
    full = VOCAB * HIDDEN
    page_shows(PAGE, f"{VOCAB:,} × {HIDDEN:,} = {full:,} 个参数")
    for rank, share_words in ((512, "约为原来的"), (64, "约为")):
        n = factored(rank)
        page_shows(PAGE, f"{VOCAB:,} × {rank} + {rank} × {HIDDEN:,} = {n:,} 个，{share_words} {100 * n / full:.1f}%")


# DPR's own ablation (Table 3, Natural Questions dev, top-20 retrieval accuracy): in-batch
# negatives with 7 and 127 negatives per question, then 127 in-batch negatives plus one BM25
# hard negative per question. The page quotes the three scores and the gain of the last step.
DPR_TOP20 = {"in_batch_7": 69.1, "in_batch_127": 73.0, "in_batch_127_bm25": 78.0}


def test_dpr_in_batch_and_hard_negative_ablation():
    gain = DPR_TOP20["in_batch_127_bm25"] - DPR_TOP20["in_batch_127"]
    assert DPR_TOP20["in_batch_7"] < DPR_TOP20["in_batch_127"] < DPR_TOP20["in_batch_127_bm25"]
    page_shows(PAGE, "从 7 个增加到 127 个",
               f"从 {DPR_TOP20['in_batch_7']:.1f}% 升到 {DPR_TOP20['in_batch_127']:.1f}%",
               f"从 {DPR_TOP20['in_batch_127']:.1f}% 升到 {DPR_TOP20['in_batch_127_bm25']:.1f}%，又高了 {gain:.0f} 个百分点")


# DPR's main retrieval table (Table 2, test sets, top-20 accuracy, retriever trained on each
# dataset alone, "Single"): BM25 vs DPR on the five QA datasets. The abstract's "9%-19%" is the
# range over the four datasets where DPR wins; SQuAD is the one where BM25 is ahead.
DPR_TABLE2_TOP20 = {  # dataset: (BM25, DPR single)
    "NQ": (59.1, 78.4), "TriviaQA": (66.9, 79.4), "WQ": (55.0, 73.2), "TREC": (70.9, 79.8), "SQuAD": (68.8, 63.2),
}


def test_dpr_beats_bm25_on_four_of_five_datasets():
    gains = {d: round(dpr - bm25, 1) for d, (bm25, dpr) in DPR_TABLE2_TOP20.items()}
    wins = {d: g for d, g in gains.items() if g > 0}
    assert sorted(wins) == ["NQ", "TREC", "TriviaQA", "WQ"] and gains["SQuAD"] < 0
    low, high = min(wins.values()), max(wins.values())
    assert (round(low), round(high)) == (9, 19) and max(wins, key=wins.get) == "NQ"
    bm25_nq, dpr_nq = DPR_TABLE2_TOP20["NQ"]
    bm25_sq, dpr_sq = DPR_TABLE2_TOP20["SQuAD"]
    page_shows(PAGE, "在五个开放域问答数据集上", f"在其中四个上，DPR 比一个强的 Lucene-BM25 系统高出 {round(low)} 到 {round(high)} 个百分点",
               f"Natural Questions：{dpr_nq:.1f}% 对 {bm25_nq:.1f}%", f"BM25 得 {bm25_sq:.1f}%，DPR 只有 {dpr_sq:.1f}%")


# Self-RAG's main table (Table 2 of Asai et al., accuracy in %): Self-RAG 7B / 13B, ChatGPT,
# retrieval-augmented ChatGPT and retrieval-augmented Llama2-chat 13B on the four short-form
# tasks. The abstract says Self-RAG beats ChatGPT on open-domain QA, reasoning and fact
# verification; the table shows a split, which the page states.
SELF_RAG_TABLE2 = {  # task: (Self-RAG 7B, Self-RAG 13B, ChatGPT, Ret-ChatGPT, Ret-Llama2-chat 13B)
    "PopQA": (54.9, 55.8, 29.3, 50.8, 51.8), "TriviaQA": (66.4, 69.3, 74.3, 65.7, 59.8),
    "PubHealth": (72.4, 74.5, 70.1, 54.7, 52.1), "ARC-Challenge": (67.3, 73.1, 75.3, 75.3, 37.9),
}
SELF_RAG_LONG_FORM = {  # Bio FactScore (vs ChatGPT) and ASQA citation precision (vs Ret-ChatGPT)
    "Bio": ((81.2, 80.2), 71.8), "ASQA pre": ((66.9, 70.3), 65.1),
}


def test_self_rag_vs_chatgpt_is_a_split():
    wins = [t for t, (_, s13, gpt, _, _) in SELF_RAG_TABLE2.items() if s13 > gpt]
    losses = [t for t, (_, s13, gpt, _, _) in SELF_RAG_TABLE2.items() if s13 < gpt]
    assert wins == ["PopQA", "PubHealth"] and losses == ["TriviaQA", "ARC-Challenge"]
    # the 7B model loses on the same two tasks, so no size beats ChatGPT on all four
    assert all(SELF_RAG_TABLE2[t][0] < SELF_RAG_TABLE2[t][2] for t in losses)
    assert all(min(s7, s13) > llama for s7, s13, _, _, llama in SELF_RAG_TABLE2.values())
    assert all(min(ours) > other for ours, other in SELF_RAG_LONG_FORM.values())
    s = {t: v[1] for t, v in SELF_RAG_TABLE2.items()}
    g = {t: v[2] for t, v in SELF_RAG_TABLE2.items()}
    page_shows(PAGE, "在四个短答案任务上，两种规模都高于加了检索的 Llama2-chat（13B）",
               f"在开放域问答 PopQA 和事实核查 PubHealth 上，13B 模型的准确率是 {s['PopQA']}% 和 {s['PubHealth']}%，"
               f"高于 ChatGPT 的 {g['PopQA']}% 和 {g['PubHealth']}%",
               f"在开放域问答 TriviaQA 和推理任务 ARC-Challenge 上，它的 {s['TriviaQA']}% 和 {s['ARC-Challenge']}% "
               f"仍低于 ChatGPT 的 {g['TriviaQA']}% 和 {g['ARC-Challenge']}%",
               "人物传记事实性得分都高于 ChatGPT", "引用精确率也都高于加了检索的 ChatGPT")


# Qwen3-VL-Embedding, Table 2 of the report: MMEB-V2 overall 77.8 for the 8B model; the best
# open-source model in the same table is RzenEmbed-8B at 72.9 (VLM2Vec, GME, Ops-MM-embedding
# and RzenEmbed rows). Sec. 6.1's "6.7% improvement" is relative, not 6.7 points.
MMEB_V2_OPEN_SOURCE = {"VLM2Vec-2B": 47.7, "VLM2Vec-V2-2B": 59.2, "GME-2B": 55.3, "Ops-MM-embedding-v1-2B": 64.6,
                       "RzenEmbed-2B": 67.2, "VLM2Vec-8B": 53.1, "GME-8B": 59.1, "Ops-MM-embedding-v1-8B": 68.9,
                       "RzenEmbed-8B": 72.9}
QWEN3_VL_EMBEDDING_8B_MMEB_V2 = 77.8


def test_qwen3_vl_embedding_gain_is_relative():
    best = max(MMEB_V2_OPEN_SOURCE, key=MMEB_V2_OPEN_SOURCE.get)
    prev = MMEB_V2_OPEN_SOURCE[best]
    gap = round(QWEN3_VL_EMBEDDING_8B_MMEB_V2 - prev, 1)
    rel = 100 * gap / prev
    assert best == "RzenEmbed-8B" and f"{rel:.1f}" == "6.7" and gap != 6.7
    page_shows(PAGE, f"平均得 {QWEN3_VL_EMBEDDING_8B_MMEB_V2}", f"RzenEmbed-8B 得 {prev}",
               f"两者相差 {gap} 分，{gap} ÷ {prev} ≈ {rel:.1f}%")
