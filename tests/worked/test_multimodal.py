"""Worked numbers of the multimodal part, recomputed from their formulas.

Each test recomputes a value shown on a page of docs/multimodal/ and asserts the
page shows it (see worked/pages.py), so a page and its arithmetic cannot drift apart.
"""

from __future__ import annotations

import itertools
import math
import random
import re
from fractions import Fraction

from worked.pages import fmt_int, page, page_shows

HM = "multimodal/hateful-memes.md"
HALL = "multimodal/hallucination.md"
INTRO = "multimodal/introduction.md"


def pct(x: float, digits: int = 1) -> str:
    return f"{100 * x:.{digits}f}"


def auroc(pos: list[float], neg: list[float]) -> float:
    """Probability that a positive outscores a negative, ties counted one half."""
    wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


# ---- hateful-memes.md ----------------------------------------------------------

# The page's confounder triple: (image, text, hateful?).
TRIPLE = [("I1", "T1", True), ("I2", "T1", False), ("I1", "T2", False)]


def best_unimodal(index: int) -> int:
    """Most memes of the triple a model seeing only one modality (0 image, 1 text) can get right.

    Such a model's verdict is a function of that modality alone, so trying every
    verdict for every distinct image (or text) covers every scorer and threshold.
    """
    keys = sorted({m[index] for m in TRIPLE})
    best = 0
    for verdicts in itertools.product([False, True], repeat=len(keys)):
        said = dict(zip(keys, verdicts))
        best = max(best, sum(said[m[index]] == m[2] for m in TRIPLE))
    return best


def test_unimodal_ceiling_on_a_confounder_triple_is_two_of_three():
    assert best_unimodal(0) == best_unimodal(1) == 2
    ceiling = Fraction(2, 3)
    page_shows(HM, f"2/3 \\approx {pct(float(ceiling))}\\%", "3 张里对 2 张")


def test_text_only_example_gets_two_of_three_either_way():
    for t1 in (0.8, 0.2):
        score = {"T1": t1, "T2": 0.1}
        right = sum((score[text] >= 0.5) == hateful for _, text, hateful in TRIPLE)
        assert right == 2
    page_shows(HM, "给 $T_1$ 打 0.8 分，给 $T_2$ 打 0.1 分，阈值取 0.5", "给 $T_1$ 只打 0.2 分")


def test_four_meme_auroc_by_pairs_and_by_roc_curve():
    pos, neg = [0.9, 0.4], [0.6, 0.2]  # A, C hateful; B, D not
    by_pairs = auroc(pos, neg)
    # ROC points as the threshold falls past 0.9, 0.6, 0.4, 0.2: two rectangles.
    by_area = 0.5 * 0.5 + 0.5 * 1.0
    assert by_pairs == by_area == 0.75
    # the inputs are the page's own table rows, so a changed score fails here too
    page_shows(HM, "| A | 仇恨 | 0.9 |", "| B | 非仇恨 | 0.6 |", "| C | 仇恨 | 0.4 |", "| D | 非仇恨 | 0.2 |")
    page_shows(HM, "AUROC = 3/4 = 0.75", "面积 0.5 × 0.5 = 0.25", "面积 0.5 × 1 = 0.5", "合计 0.25 + 0.5 = 0.75")
    # the ROC points, with TPR and FPR worked out of 2 hateful and 2 non-hateful memes
    points = [(sum(n >= t for n in neg) / 2, sum(p >= t for p in pos) / 2) for t in (1.0, 0.9, 0.6, 0.4, 0.2)]
    assert points == [(0, 0), (0, 0.5), (0.5, 0.5), (0.5, 1), (1, 1)]
    page_shows(HM, "点为 (0, 0)", "点为 (0, 0.5)", "点为 (0.5, 0.5)", "点为 (0.5, 1)", "点为 (1, 1)",
               "FPR = 0/2，TPR = 0/2", "TPR = 1/2，FPR 仍为 0", "FPR = 1/2", "TPR = 2/2 = 1", "FPR = 2/2 = 1")


def flagged(threshold: float) -> set[str]:
    scores = {"A": 0.9, "B": 0.6, "C": 0.4, "D": 0.2}
    return {name for name, s in scores.items() if s >= threshold}  # the page's convention


def test_thresholds_of_the_over_blocking_paragraph():
    hateful = {"A", "C"}
    # accuracy at 0.5: right on A and D
    at_half = flagged(0.5)
    assert at_half == {"A", "B"}
    right = sum((m in at_half) == (m in hateful) for m in "ABCD")
    assert right / 4 == 0.5
    # every threshold in (0.2, 0.4] catches both hateful memes and flags only B
    for t in (0.2001, 0.3, 0.4):
        assert flagged(t) == {"A", "B", "C"}
    assert flagged(0.2) == {"A", "B", "C", "D"}  # at 0.2 and below D is flagged too
    for t in (0.41, 0.5, 0.6):
        assert flagged(t) == {"A", "B"}
    for t in (0.61, 0.9):
        assert flagged(t) == {"A"}
    page_shows(HM, "大于 0.2、不超过 0.4", "大于 0.4、不超过 0.6", "0.2 及以下",
               "0.6 以上、不超过 0.9", "准确率只有 2/4 = 50%")


def test_dataset_splits_add_up_to_about_ten_thousand():
    # split sizes as in the official annotation files (train 8,500, dev_seen 500, test_seen 1,000;
    # dev_unseen 540, test_unseen 2,000) and Hate-CLIPper section 4.1
    train, dev_seen, test_seen, dev_unseen, test_unseen = 8_500, 500, 1_000, 540, 2_000
    assert train + dev_seen + test_seen == 10_000
    page_shows(HM, "8,500 + 500 + 1,000 = 10,000 张")
    page_shows(HM, "约有 1 万张", f"训练集 {fmt_int(train)} 张，开发集 {dev_seen} 张，测试集 {fmt_int(test_seen)} 张",
               f"开发集（{dev_unseen} 张）和测试集（{fmt_int(test_unseen)} 张）")


def test_baseline_differences():
    text_bert, late, concat, vbert, human = 69.00, 69.30, 67.77, 75.44, 82.65
    # the inputs are the page's own table rows, so a changed table entry fails here too
    page_shows(HM, f"| Text BERT | {text_bert:.2f} |", f"| Late Fusion | {late:.2f} |",
               f"| Concat BERT | {concat:.2f} |", f"| Visual BERT COCO | {vbert:.2f} |",
               f"| 人类 | — | {human:.2f} |")
    page_shows(HM, f"$69.30 - 69.00 = {late - text_bert:.2f}$", f"$69.00 - 67.77 = {text_bert - concat:.2f}$",
               f"$82.65 - 75.44 = {human - vbert:.2f}$")
    hateclipper_align = 85.8  # Hate-CLIPper Table 1, align fusion, 3 pre-output layers, test seen
    page_shows(HM, f"AUROC {hateclipper_align}", f"$85.8 - 82.65 = {hateclipper_align - human:.2f}$")


def test_baseline_table_matches_the_source_table():
    """Every row of the page's baseline table, as in Hate-CLIPper Table 4 (test seen AUROC, compiled
    from Kiela et al. 2020); Hate-CLIPper Table 1's best cross fusion; the human accuracy of the
    Kiela et al. abstract (64.73% vs. 84.7%)."""
    table4 = {"Image-Grid": 53.71, "Image-Region": 57.74, "Text BERT": 69.00, "Late Fusion": 69.30,
              "Concat BERT": 67.77, "MMBT-Region": 73.82, "ViLBERT CC": 74.52, "Visual BERT COCO": 75.44}
    page_shows(HM, *(f"| {model} | {auroc:.2f} |" for model, auroc in table4.items()))
    image_only = (table4["Image-Grid"], table4["Image-Region"])
    page_shows(HM, f"只看图像的模型（{image_only[0]:.2f} 和 {image_only[1]:.2f}）")
    assert max(table4, key=table4.get) == "Visual BERT COCO"  # the best baseline the page names
    page_shows(HM, "「交叉融合」（cross fusion）最好为 85.12", "按准确率算，人类是 84.7%")
    # the table is the paper's 2021 revision; its first version reported ViLBERT CC at 70.03 on the test
    # set of the time (github.com/facebookresearch/mmf/issues/290), lower than the revision's row
    vilbert_cc_first_version = 70.03
    assert vilbert_cc_first_version < table4["ViLBERT CC"]
    page_shows(HM, f"ViLBERT CC 在最初版本的测试集上是 {vilbert_cc_first_version:.2f}，修订版是 {table4['ViLBERT CC']:.2f}",
               "表中最好的两个模型都是做过多模态预训练的早期融合")
    multimodal_pretrained = {"ViLBERT CC", "Visual BERT COCO"}
    assert set(sorted(table4, key=table4.get)[-2:]) == multimodal_pretrained
    # "数字普遍高于论文最初的版本": every row of the page's table against the first version's test AUROC
    # (v1 table of arXiv 2005.04790 as copied in a GitHub README; its Visual BERT COCO test accuracy 64.73 is
    # the v1 abstract's figure)
    first_version_test = {"Image-Grid": 52.63, "Image-Region": 55.92, "Text BERT": 65.08, "Late Fusion": 64.75,
                          "Concat BERT": 65.79, "MMBT-Region": 70.73, "ViLBERT CC": 70.03, "Visual BERT COCO": 71.41}
    assert first_version_test["ViLBERT CC"] == vilbert_cc_first_version
    assert all(table4[model] > first_version_test[model] for model in table4)
    page_shows(HM, "数字普遍高于论文最初的版本")


def test_hate_clipper_interaction_matrix_sizes():
    """Cross fusion keeps all n x n products, align fusion the n diagonal ones (n = 512 as the
    page's example, n = 1024 as the paper uses)."""
    for n in (512, 1024):
        page_shows(HM, f"{n} × {n} = {fmt_int(n * n)} 个特征")
    assert 512 * 512 == 262_144 and 1024 * 1024 == 1_048_576
    page_shows(HM, "对角线只有 512 个", "论文实际用的是 $n = 1024$", f"对角线只有 {fmt_int(1024)} 个")


def test_late_fusion_separates_a_triple():
    img = {"I1": 0.6, "I2": 0.2}
    txt = {"T1": 0.6, "T2": 0.2}
    fused = {(i, t): (img[i] + txt[t]) / 2 for i, t, _ in TRIPLE}
    assert [round(fused[(i, t)], 10) for i, t, _ in TRIPLE] == [0.6, 0.4, 0.4]
    assert all((fused[(i, t)] >= 0.5) == hateful for i, t, hateful in TRIPLE)
    page_shows(HM, r"\tfrac{1}{2}(0.6 + 0.6) = 0.6", r"\tfrac{1}{2}(0.2 + 0.6) = 0.4",
               r"\tfrac{1}{2}(0.6 + 0.2) = 0.4")


def test_late_fusion_cannot_rank_an_xor_quadruple_but_a_product_can():
    rng = random.Random(0)
    best = 0.0
    for _ in range(20_000):
        a1, a2, b1, b2 = (rng.uniform(-1, 1) for _ in range(4))
        s = {(i, j): (a + b) / 2 for (i, a), (j, b) in itertools.product(((1, a1), (2, a2)), ((1, b1), (2, b2)))}
        best = max(best, auroc([s[1, 1], s[2, 2]], [s[1, 2], s[2, 1]]))
    assert best <= 0.5
    a = {1: 1, 2: -1}
    product = {(i, j): a[i] * a[j] for i in (1, 2) for j in (1, 2)}
    assert auroc([product[1, 1], product[2, 2]], [product[1, 2], product[2, 1]]) == 1.0
    assert product[1, 1] == product[2, 2] == 1 and product[1, 2] == product[2, 1] == -1
    page_shows(HM, "每组最多排对 1 个", "最多排对 2 个", "AUROC 都不超过 0.5", "最多排对 2 对，2/4 = 0.5", r"$1 \times 1 = 1$", r"$(-1) \times (-1) = 1$",
               "两张非仇恨表情包都得 $-1$")
    page_shows(HM, "AUROC 都不超过 0.5", "$1 \\times 1 = 1$", "$(-1) \\times (-1) = 1$")


def test_interaction_matrix_size():
    n = 512
    page_shows(HM, f"512 × 512 = {fmt_int(n * n)}")


# ---- hallucination.md ------------------------------------------------------------


def test_chair_example():
    images, mentioned, hallucinated, captions_with_one = 3, 10, 2, 2
    chair_i, chair_s = Fraction(hallucinated, mentioned), Fraction(captions_with_one, images)
    page_shows(HALL, f"为 {images} 张图各写一段描述，共提到 {mentioned} 个物体，其中 {hallucinated} 个在图中不存在",
               f"2/10 = {pct(float(chair_i), 0)}\\%", f"2/3 \\approx {pct(float(chair_s))}\\%")


def pope(tp: int, fp: int, tn: int, fn: int) -> dict[str, float]:
    total = tp + fp + tn + fn
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    return {
        "acc": (tp + tn) / total,
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / (precision + recall),
        "yes": (tp + fp) / total,
    }


def f1_line(m: dict) -> str:
    """The page's F1 line for POPE metrics ``m``: it works from precision and recall rounded to
    three places, so check that this route gives the same percent as the unrounded one."""
    p3, r3 = round(m["precision"], 3), round(m["recall"], 3)
    assert pct(2 * p3 * r3 / (p3 + r3)) == pct(m["f1"])
    return f"F1 = 2 × {p3:.3f} × {r3:.3f} /（{p3:.3f} + {r3:.3f}）≈ {pct(m['f1'])}%"


def test_pope_random_setting():
    tp, fp, tn, fn = 48, 20, 30, 2
    assert tp + fn == fp + tn == 50  # 100 questions, half of them "yes"
    m = pope(tp, fp, tn, fn)
    page_shows(HALL, f"TP = {tp} | FN = {fn}", f"FP = {fp} | TN = {tn}")
    page_shows(HALL, f"Accuracy =（{tp} + {tn}）/ 100 = {pct(m['acc'])}%",
               f"Precision = {tp} /（{tp} + {fp}）= {tp} / {tp + fp} ≈ {pct(m['precision'])}%",
               f"Recall = {tp} /（{tp} + {fn}）= {tp} / {tp + fn} = {pct(m['recall'])}%",
               f"Yes-ratio =（{tp} + {fp}）/ 100 = {pct(m['yes'])}%")
    page_shows(HALL, f1_line(m))
    assert round(100 * (m["yes"] - 0.5)) == 18 == round(100 * m["yes"]) - 50
    page_shows(HALL, "高出 68 − 50 = 18 个百分点", f"{fp + tn} 个不存在的物体里，它认下了 {fp} 个")


def test_pope_adversarial_setting():
    r = pope(48, 20, 30, 2)
    tp, fp, fn = 48, 31, 2
    tn = 50 - fp
    a = pope(tp, fp, tn, fn)
    page_shows(HALL, f"TP 仍为 {tp}", f"假阳性升到 {fp}，真阴性相应降到 50 − {fp} = {tn}")
    page_shows(HALL, f"Accuracy =（{tp} + {tn}）/ 100 = {pct(a['acc'])}%",
               f"Precision = {tp} /（{tp} + {fp}）= {tp} / {tp + fp} ≈ {pct(a['precision'])}%",
               f"Recall = {tp} / {tp + fn} = {pct(a['recall'])}%，没有变",
               f"Yes-ratio =（{tp} + {fp}）/ 100 = {pct(a['yes'])}%")
    page_shows(HALL, f1_line(a))
    # recall is unchanged, so the whole accuracy drop is the 11 extra false positives
    assert a["recall"] == r["recall"]
    assert round(100 * (r["acc"] - a["acc"])) == fp - 20 == 11
    page_shows(HALL, f"准确率掉了 {pct(r['acc'])} − {pct(a['acc'])} = 11 个百分点",
               f"假阳性从 20 道增加到 {fp} 道，多出的 {fp} − 20 = 11 道")


def test_mme_subtask_score_is_summed_before_rounding():
    both, one, none = 22, 6, 2
    images = both + one + none
    correct = 2 * both + one
    acc, acc_plus = 100 * correct / (2 * images), 100 * both / images
    score = acc + acc_plus
    assert images == 30 and correct == 50
    assert f"{score:.2f}" == "156.67" and f"{score:.1f}" == "156.7"
    # adding the one-decimal roundings would lose 0.1
    rounded_first = round(round(acc, 1) + round(acc_plus, 1), 1)
    assert rounded_first == 156.6 and round(round(score, 1) - rounded_first, 1) == 0.1
    page_shows(HALL, f"测了 {images} 张图、{2 * images} 道题", f"（{both} + {one} + {none} = {images}）",
               f"{both} × 2 + {one} × 1 = {correct}",
               f"accuracy = {correct} / {2 * images} ≈ {acc:.2f}%", f"accuracy+ = {both} / {images} ≈ {acc_plus:.2f}%",
               f"{acc:.2f} + {acc_plus:.2f} = {score:.2f} ≈ {score:.1f}",
               f"各取整到 {acc:.1f} 和 {acc_plus:.1f} 再相加，会得到 {rounded_first}")
    # answering "yes" to everything: half of the questions right, no image with both right
    assert (100 * images / (2 * images), 100 * 0 / images) == (50.0, 0.0)
    page_shows(HALL, "accuracy 还有 50%，accuracy+ 却是 0")


def test_benchmark_sizes_add_up():
    # MME: 10 perception + 4 cognition subtasks, each scored accuracy + accuracy+ (100 each)
    perception, cognition, per_task = 10, 4, 100 + 100
    # the page's two lists name exactly that many subtasks (items split at 、, 以及 and the last 和)
    text = page(HALL)
    for label, count in (("感知", perception), ("认知", cognition)):
        items = re.search(rf"- \*\*{label}\*\*（\d+ 个）：(.*?)。", text).group(1)
        assert len(re.split(r"、|，以及|以及|和", items)) == count, items
    page_shows(HALL, f"{perception + cognition} 个子任务", f"感知**（{perception} 个）",
               f"认知**（{cognition} 个）", f"满分 {per_task}",
               f"感知有 {perception} 个子任务，满分 {perception} × {per_task} = {perception * per_task}",
               f"认知有 {cognition} 个子任务，满分 {cognition} × {per_task} = {cognition * per_task}")
    # MMHal-Bench: one image-question pair per (question category, object topic)
    categories, topics = 8, 12
    page_shows(HALL, f"{categories * topics} 个图像—问题对，覆盖 {categories} 类问题和 {topics} 类物体主题")
    # POPE on COCO: 500 images, 3 "yes" and 3 "no" questions each
    page_shows(HALL, "取 500 张图，每张图配 3 个正样本和 3 个负样本，正负各半")
    assert 500 * (3 + 3) == 3000
    page_shows(HALL, "每种设置下共有 500 ×（3 + 3）= 3,000 道题")


def test_eos_softmax_example():
    la, lb, leos = 2.0, 1.0, 1.5
    z = math.exp(la) + math.exp(lb) + math.exp(leos)
    p_eos = math.exp(leos) / z
    page_shows(HALL, f"$e^{{2}} \\approx {math.exp(la):.3f}$、$e^{{1}} \\approx {math.exp(lb):.3f}$、"
                     f"$e^{{1.5}} \\approx {math.exp(leos):.3f}$，和为 {z:.3f}")
    page_shows(HALL, f"{math.exp(la):.3f} / {z:.3f} \\approx {math.exp(la) / z:.3f}",
               f"{math.exp(leos):.3f} / {z:.3f} \\approx {p_eos:.3f}")

    # the gradient of -log p(A) with respect to the EOS logit is p(EOS): check by finite differences
    def loss(eos_logit: float) -> float:
        return -math.log(math.exp(la) / (math.exp(la) + math.exp(lb) + math.exp(eos_logit)))

    h = 1e-6
    grad = (loss(leos + h) - loss(leos - h)) / (2 * h)
    assert abs(grad - p_eos) < 1e-6
    page_shows(HALL, f"梯度就等于 $p(\\text{{EOS}}) \\approx {p_eos:.3f}$")
    p_sel = math.exp(la) / (math.exp(la) + math.exp(lb))
    z_sel = math.exp(la) + math.exp(lb)
    page_shows(HALL, f"e^{{2}}/(e^{{2}}+e^{{1}}) \\approx {math.exp(la):.3f} / {z_sel:.3f} \\approx {p_sel:.3f}")


# ---- introduction.md ------------------------------------------------------------


def test_clip_two_by_two_loss():
    cos = [[0.8, 0.3], [0.2, 0.7]]

    def terms(tau: float) -> list[float]:
        s = [[c / tau for c in row] for row in cos]
        rows = [math.exp(s[i][i]) / sum(math.exp(x) for x in s[i]) for i in range(2)]
        cols = [math.exp(s[j][j]) / sum(math.exp(s[i][j]) for i in range(2)) for j in range(2)]
        return rows + cols

    s = [[round(c / 0.1) for c in row] for row in cos]
    assert s == [[8, 3], [2, 7]]
    page_shows(INTRO, "s = \\begin{pmatrix} 8 & 3 \\\\ 2 & 7 \\end{pmatrix}")
    # Each term is a logistic function of the gap between the positive and the negative logit.
    gaps = [s[0][0] - s[0][1], s[1][1] - s[1][0], s[0][0] - s[1][0], s[1][1] - s[0][1]]
    assert gaps == [5, 5, 6, 4]
    page_shows(INTRO, *(f"1/(1+e^{{-{g}}})" for g in gaps), "1/(1+e^{-\\Delta})")
    # one negative per direction: e^a / (e^a + e^b) = 1 / (1 + e^-(a - b))
    assert all(abs(math.exp(a) / (math.exp(a) + math.exp(b)) - 1 / (1 + math.exp(-(a - b)))) < 1e-12
               for a, b in ((8, 3), (7, 2), (8, 2), (7, 3)))
    p = terms(0.1)
    assert all(abs(x - 1 / (1 + math.exp(-g))) < 1e-12 for x, g in zip(p, gaps))
    losses = [-math.log(x) for x in p]
    loss = sum(losses) / 4
    page_shows(INTRO, f"{p[0]:.4f}", f"{losses[0]:.4f}", f"{p[2]:.4f}", f"{losses[2]:.4f}",
               f"{p[3]:.4f}", f"{losses[3]:.4f}", f"四项之和为 {sum(losses):.4f}",
               f"\\mathcal{{L}} \\approx {loss:.4f}")
    # the four rounded terms add to one less in the last place: the page says which sum it shows
    rounded = sum(round(x, 4) for x in losses)
    assert f"{rounded:.4f}" == "0.0340" != f"{sum(losses):.4f}"
    page_shows(INTRO, f"上面四个四舍五入后的数相加是 {rounded:.4f}")
    # Each bullet, read whole: the two logits it names must be its own row (image) or column
    # (text) of s, positive first in the numerator, with that pair's gap, probability and loss.
    bullets = (("图 1 按行", s[0][0], (s[0][0], s[0][1])), ("图 2 按行", s[1][1], (s[1][0], s[1][1])),
               ("文字 1 按列", s[0][0], (s[0][0], s[1][0])), ("文字 2 按列", s[1][1], (s[0][1], s[1][1])))
    for (name, pos, (a, b)), g, x, loss_i in zip(bullets, gaps, p, losses):
        assert pos - (a + b - pos) == g
        tail = f"损失 $-\\log {x:.4f} \\approx {loss_i:.4f}$" if name == "图 1 按行" else f"损失约 {loss_i:.4f}"
        page_shows(INTRO, f"- {name}：$e^{pos} / (e^{a} + e^{b}) = 1/(1+e^{{-{g}}}) \\approx {x:.4f}$，{tail}。")
    p1 = terms(1.0)
    loss1 = sum(-math.log(x) for x in p1) / 4
    assert 0.595 < min(p1) and max(p1) < 0.65
    assert f"{loss1:.2f}" == "0.47" and 55 < loss1 / loss < 56
    # the lowest probability is just under 0.60, so the page gives the exact range and then rounds it
    assert min(p1) < 0.60 and (f"{min(p1):.2f}", f"{max(p1):.2f}") == ("0.60", "0.65")
    page_shows(INTRO, f"概率只剩 {min(p1):.4f} 到 {max(p1):.4f}，约为 {min(p1):.2f} 到 {max(p1):.2f}", "约 0.47", "55 倍多")
    # the steps the page spells out at tau = 1: gaps shrink tenfold, one term per direction
    gaps1 = [round(g / 10, 1) for g in gaps]
    assert gaps1 == [0.5, 0.5, 0.6, 0.4]
    assert all(abs(x - 1 / (1 + math.exp(-g))) < 1e-12 for x, g in zip(p1, gaps1))
    losses1 = [-math.log(x) for x in p1]
    page_shows(INTRO, "缩成 0.5、0.5、0.6、0.4",
               *(f"$1/(1+e^{{-{g}}}) \\approx {x:.4f}$" for g, x in zip(gaps1[1:], p1[1:])),
               f"损失各约 {losses1[0]:.4f}", f"损失约 {losses1[2]:.4f}", f"损失约 {losses1[3]:.4f}",
               f"四项之和约 {sum(losses1):.4f}",
               f"{loss1:.4f} ÷ {loss:.4f} ≈ {loss1 / round(loss, 4):.1f} 倍")
    # the same bullets at tau = 1, each tied to its own direction (both rows share the gap 0.5)
    assert gaps1[0] == gaps1[1] and f"{p1[0]:.4f}" == f"{p1[1]:.4f}" and f"{losses1[0]:.4f}" == f"{losses1[1]:.4f}"
    page_shows(INTRO, f"- 图 1 和图 2 按行：$1/(1+e^{{-{gaps1[0]}}}) \\approx {p1[0]:.4f}$，损失各约 {losses1[0]:.4f}。",
               f"- 文字 1 按列：$1/(1+e^{{-{gaps1[2]}}}) \\approx {p1[2]:.4f}$，损失约 {losses1[2]:.4f}。",
               f"- 文字 2 按列：$1/(1+e^{{-{gaps1[3]}}}) \\approx {p1[3]:.4f}$，损失约 {losses1[3]:.4f}。")


def test_laion_subsets_add_up():
    assert round(2.32 + 2.26 + 1.27, 2) == 5.85
    page_shows(INTRO, "58.5 亿", "23.2 亿", "22.6 亿", "12.7 亿", "23.2 + 22.6 + 12.7 = 58.5 亿")


def test_llava_instruction_data_adds_up():
    assert 58 + 23 + 77 == 158
    page_shows(INTRO, "5.8 万", "2.3 万", "7.7 万", "15.8 万", "5.8 + 2.3 + 7.7 = 15.8 万")


def test_blip2_against_flamingo80b():
    # BLIP-2 (ICML 2023), as read and recorded in the provenance of li2023blip2: zero-shot VQAv2 test-dev
    # 65.0 (ViT-g FlanT5-XXL) against 56.3 for Flamingo-80B; 188M trainable parameters against 10.2B.
    # The abstract states the results as 8.7% and 54x fewer trainable parameters.
    assert round(65.0 - 56.3, 1) == 8.7
    assert round(10.2e9 / 188e6) == 54
    page_shows(INTRO, "比 Flamingo-80B 高 8.7 个百分点", "只有后者的 1/54")


def test_visual_tokens_context_and_attention():
    side = 336 // 14
    tokens = side * side
    assert (side, tokens) == (24, 576)
    page_shows(INTRO, "336 ÷ 14 = 24", "24 × 24 = 576",
               f"576 ÷ 4096 ≈ {pct(576 / 4096)}%", f"576 ÷ 2048 ≈ {pct(576 / 2048)}%",
               f"{5 * tokens} 个词元", f"{pct(5 * tokens / 4096)}%",
               f"(676 ÷ 100)² ≈ {(676 / 100) ** 2:.1f}")
    assert (224 // 14) ** 2 == 256 and tokens // 32 == 18
    page_shows(INTRO, "每边 16 块，只有 16 × 16 = 256 个词元", "1/18", "224 ÷ 14 = 16", "576 ÷ 32 = 18",
               f"5 × 576 = {5 * tokens}", f"2880 ÷ 4096 ≈ {pct(5 * tokens / 4096)}%", "100 + 576 = 676")


def test_kv_cache_per_token_and_per_image_in_decimal_units():
    per_token = 2 * 32 * 4096 * 2  # K and V, 32 layers, hidden 4096, FP16
    per_image = 576 * per_token
    page_shows(INTRO, f"2（K 和 V）× 32（层）× 4096（隐藏维度）× 2 字节（fp16 每个数）= {fmt_int(per_token)} 字节")
    page_shows(INTRO, f"{fmt_int(per_token)} 字节，约 {per_token / 1e6:.2f} MB",
               f"576 × {fmt_int(per_token)} = {fmt_int(per_image)} 字节，约 {per_image / 1e6:.0f} MB")


def test_dynamic_resolution_token_counts():
    # Qwen2-VL: 14-pixel patches, then an MLP merges each 2×2 block into one visual token.
    patch, merge = 14, 2
    for w, h in ((448, 448), (1344, 896)):
        pw, ph = w // patch, h // patch
        tw, th = pw // merge, ph // merge
        page_shows(INTRO, f"{pw} × {ph} = {fmt_int(pw * ph)} 个方块",
                   f"{tw * th if w == h else f'{tw} × {th} = {fmt_int(tw * th)}'} 个词元")
    assert (448 // 28) ** 2 == 256 and (1344 // 28) * (896 // 28) == 1536
    # the report's own example (section 2.1): 224 x 224 -> 66 tokens, i.e. 64 merged visual tokens
    # plus <|vision_start|> and <|vision_end|>
    side = 224 // patch
    merged = side * side // (merge * merge)
    assert (side, merged, merged + 2) == (16, 64, 66)
    page_shows(INTRO, f"{side} × {side} = {side * side} 个方块合成 {side * side} ÷ 4 = {merged} 个视觉词元",
               f"共 {merged} + 2 = {merged + 2} 个")
    page_shows(INTRO, "448 ÷ 14 = 32", "1,024 ÷ 4 = 256", "1,344 ÷ 14 = 96", "896 ÷ 14 = 64")


# ---- speech.md -----------------------------------------------------------------

SPEECH = "multimodal/speech.md"


def test_whisper_front_end_turns_30_seconds_into_1500_encoder_positions():
    # Whisper §2.1-2.2: 30-second segments, 16,000 Hz, 25 ms windows, 10 ms stride,
    # 80 log-Mel channels, a conv stem whose second layer has stride 2.
    rate, seconds, window_ms, stride_ms, channels, conv_stride = 16_000, 30, 25, 10, 80, 2
    samples = seconds * rate
    window = window_ms * rate // 1000
    hop = stride_ms * rate // 1000
    frames = samples // hop
    positions = frames // conv_stride
    assert (samples, window, hop, frames, positions) == (480_000, 400, 160, 3_000, 1_500)
    assert frames // seconds == 100 and positions // seconds == 50
    assert 1000 * seconds // positions == 20
    assert frames * channels == 240_000 == samples // 2
    page_shows(SPEECH, f"30 秒 × 16,000 Hz = {fmt_int(samples)} 个采样点",
               f"0.025 × 16,000 = {window} 个采样点", f"0.010 × 16,000 = {hop} 个采样点",
               f"400 − 160 = {window - hop} 个采样点",
               f"{fmt_int(samples)} ÷ 160 = {fmt_int(frames)} 帧，也就是每秒 {frames // seconds} 帧",
               f"3,000 × 80 = {fmt_int(frames * channels)} 个数",
               f"240,000 ÷ 480,000 = {frames * channels / samples}，是原始采样点数的一半",
               f"3,000 ÷ 2 = {fmt_int(positions)} 个位置",
               f"每个位置对应 {conv_stride} × {stride_ms} = {conv_stride * stride_ms} 毫秒音频",
               f"每秒 {frames // seconds} ÷ {conv_stride} = {frames // seconds // conv_stride} 个位置",
               f"约是它的 1,500 ÷ 576 ≈ {positions / 576:.1f} 倍")


def nearest(vector, codebook):
    """Index of the codebook entry closest to ``vector`` and its squared distance."""
    dists = [sum((a - b) ** 2 for a, b in zip(vector, entry)) for entry in codebook]
    best = min(range(len(codebook)), key=dists.__getitem__)
    return best, dists


def test_two_stage_residual_vector_quantization():
    coarse = [(1, 0), (0, 1), (-1, 0), (0, -1)]
    fine = [(0.2, 0), (0, 0.2), (-0.2, 0), (0, -0.2)]
    z = (0.9, -0.3)
    k1, d1 = nearest(z, coarse)
    r1 = tuple(a - b for a, b in zip(z, coarse[k1]))
    k2, d2 = nearest(r1, fine)
    approx = tuple(a + b for a, b in zip(coarse[k1], fine[k2]))
    r2 = tuple(a - b for a, b in zip(z, approx))
    sq = lambda v: round(sum(a * a for a in v), 2)  # noqa: E731
    assert (k1, k2) == (0, 3)
    assert [round(d, 2) for d in d1] == [0.10, 2.50, 3.70, 1.30]
    assert [round(d, 2) for d in d2] == [0.18, 0.26, 0.10, 0.02]
    assert [round(a, 2) for a in approx] == [1, -0.2] and [round(a, 2) for a in r2] == [-0.1, -0.1]
    assert (sq(r1), sq(r2)) == (0.10, 0.02) and round(sq(r1) / sq(r2)) == 5
    # the steps the page spells out: one squared distance per stage, the residuals, z - ẑ = r_2
    assert round((0.9 - 1) ** 2, 2) == 0.01 and round((-0.3 - 0) ** 2, 2) == 0.09 and d1[k1] == min(d1)
    assert round((-0.1 - 0) ** 2, 2) == 0.01 and round((-0.3 + 0.2) ** 2, 2) == 0.01
    assert r2 == tuple(a - b for a, b in zip(r1, fine[k2]))
    bits = 2 * math.log2(len(coarse))
    assert bits == 4 and 2 ** bits == len(coarse) * len(fine) == 16 and len(coarse) + len(fine) == 8
    assert math.log2(len(coarse)) == 2
    page_shows(SPEECH, "依次是 0.10、2.50、3.70、1.30，最近的是编号 0",
               "$(0.9 - 1)^2 + (-0.3 - 0)^2$，即 $0.01 + 0.09 = 0.10$",
               "$r_1 = (0.9, -0.3) - (1, 0) = (-0.1, -0.3)$", "$\\lVert r_1 \\rVert^2 = 0.01 + 0.09 = 0.10$",
               "依次是 0.18、0.26、0.10、0.02，最近的是编号 3",
               "$(-0.1 - 0)^2 + (-0.3 + 0.2)^2$，即 $0.01 + 0.01 = 0.02$",
               "$\\hat{z} = (1, 0) + (0, -0.2) = (1, -0.2)$",
               "$r_2 = r_1 - (0, -0.2) = (-0.1, -0.1)$，正好等于 $z - \\hat{z}$",
               "误差平方 $0.01 + 0.01 = 0.02$，是只用一级时的 $0.02 \\div 0.10 = 1/5$",
               "输出两个编号 $(0, 3)$", "$\\log_2 4 = 2$ 比特，两个编号共 4 比特",
               "$2^4 = 4 \\times 4 = 16$ 个条目", "4 + 4 = 8 个向量")


def test_mimi_frame_rate_bitrate_and_tokens():
    # Moshi §3.3.1: strides (4, 5, 6, 8) then 2, 24 kHz; Q = 8 codebooks of 2048 entries.
    rate, strides, q, entries = 24_000, (4, 5, 6, 8, 2), 8, 2048
    hop = math.prod(strides)
    fps = Fraction(rate, hop)
    bits = int(math.log2(entries))
    assert hop == 1_920 and fps == Fraction(25, 2) and 1000 / fps == 80
    assert bits == 11 and q * bits == 88 and q * bits * fps == 1_100
    assert q * fps == 100 and q * fps * 300 == 30_000
    assert entries ** q == 2 ** 88 and q * entries == 16_384
    frames_30s = 30 * fps
    assert frames_30s == 375 and frames_30s * q == 3_000
    # against Whisper's 1,500 encoder positions: a quarter by frames, twice as many as one flat row
    assert Fraction(375, 1_500) == Fraction(1, 4) and 3_000 / 1_500 == 2
    # 3 to 4 text tokens a second for English speech (Moshi §3.4.1): 12.5 frames is 3.1 to 4.2 times as many
    assert f"{12.5 / 4:.1f}" == "3.1" and f"{12.5 / 3:.1f}" == "4.2"
    # the temporal Transformer takes one step a frame: 5 minutes = 3,750 steps, 1/8 of 30,000
    assert fps * 300 == 3_750 and 30_000 / 3_750 == q
    page_shows(SPEECH, "$4 \\times 5 \\times 6 \\times 8 \\times 2 = 1{,}920$",
               "$24{,}000 \\div 1{,}920 = 12.5$ 帧/秒", "$1000 \\div 12.5 = 80$ 毫秒",
               "$\\log_2 2048 = 11$ 比特", "$8 \\times 11 = 88$ 比特", "$2048^8 = 2^{88}$ 个条目", "$8 \\times 2048 = 16{,}384$ 个向量", "要 $2^{88}$ 个", "$88 \\times 12.5 = 1{,}100$ 比特/秒",
               "$8 \\times 12.5 = 100$ 个编号", "$100 \\times 300 = 30{,}000$ 步",
               "$30 \\times 12.5 = 375$ 帧", "$375 \\times 8 = 3{,}000$ 个编号",
               "$375 \\div 1{,}500 = 1/4$", "$3{,}000 \\div 1{,}500 = 2$，反而是它的 2 倍",
               "$12.5 \\div 4 \\approx 3.1$ 到 $12.5 \\div 3 \\approx 4.2$ 倍",
               "$12.5 \\times 300 = 3{,}750$ 步，是排成一列时 30,000 步的 $1/8$")


def test_qwen_audio_frames_for_30_seconds():
    # Qwen-Audio §2: each encoder output frame is about 40 ms of audio.
    frames = 30_000 // 40
    assert frames == 750 and frames * 2 == 1_500
    page_shows(SPEECH, f"30,000 ÷ 40 = {frames} 帧", "1,500 个位置的一半")


def word_edits(ref: list[str], hyp: list[str]) -> int:
    """Fewest substitutions, deletions and insertions turning ref into hyp (word-level Levenshtein)."""
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[-1]


def test_word_error_rate_examples():
    ref, hyp = "the cat sat on the mat".split(), "the cat sit on mat today".split()
    edits = word_edits(ref, hyp)
    assert edits == 3 and len(ref) == 6
    # The page's first alignment, pair by pair (None marks a deleted or inserted word):
    # it must rebuild both sentences and cost one S, one D and one I.
    pairs = [("the", "the"), ("cat", "cat"), ("sat", "sit"), ("on", "on"),
             ("the", None), ("mat", "mat"), (None, "today")]
    assert [r for r, _ in pairs if r] == ref and [h for _, h in pairs if h] == hyp
    s = sum(1 for r, h in pairs if r and h and r != h)
    d = sum(1 for r, h in pairs if h is None)
    i = sum(1 for r, h in pairs if r is None)
    assert (s, d, i) == (1, 1, 1) and s + d + i == edits
    # The second alignment: word by word, three substitutions, the same minimum.
    assert sum(r != h for r, h in zip(ref, hyp)) == edits
    page_shows(SPEECH, f"sat 识别成 sit，替换 {s} 次", f"the 漏掉，删除 {d} 次", f"today，插入 {i} 次",
               f"对齐成 {edits} 次替换（sat→sit、the→mat、mat→today）")
    page_shows(SPEECH, "共 $N = 6$ 个词", f"\\frac{{1 + 1 + 1}}{{6}} = {pct(edits / len(ref))}\\%")
    ref2, hyp2 = "hello world".split(), "oh hello there big world".split()
    assert word_edits(ref2, hyp2) == 3 and [w for w in hyp2 if w not in ref2] == ["oh", "there", "big"]
    page_shows(SPEECH, "只多插入了 oh、there、big 3 个词")
    page_shows(SPEECH, f"$\\mathrm{{WER}} = 3 / 2 = {round(100 * 3 / 2)}\\%$")


def test_whisper_relative_error_reduction_on_common_voice():
    # Whisper Table 2: wav2vec 2.0 Large (no LM) 29.9 vs Whisper Large V2 9.0 WER on Common Voice.
    gap = round(29.9 - 9.0, 1)
    rer = gap / 29.9
    assert gap == 20.9 and pct(rer) == "69.9"
    page_shows(SPEECH, f"29.9 − 9.0 = {gap}", f"{gap} ÷ 29.9 ≈ {pct(rer)}%")


def test_qwen25_omni_speech_instructions_against_a_text_model():
    # Qwen2.5-Omni report §5.1.2 and Table 4 (assets/Qwen2.5_Omni.pdf in github.com/QwenLM/Qwen2.5-Omni):
    # about 90% of the text instructions turned into speech for Qwen2.5-Omni-7B; the same instructions
    # as text for Qwen2-7B. MMLU* 65.6 (speech) vs 69.3 (text), GSM8K* 85.4 vs 82.3.
    mmlu_speech, mmlu_text, gsm_speech, gsm_text = 65.6, 69.3, 85.4, 82.3
    mmlu_gap, gsm_gap = round(mmlu_text - mmlu_speech, 1), round(gsm_speech - gsm_text, 1)
    assert (mmlu_gap, gsm_gap) == (3.7, 3.1)
    page_shows(SPEECH, f"MMLU 上两者分别得 {mmlu_speech} 和 {mmlu_text}",
               f"语音一方低 {mmlu_text} − {mmlu_speech} = {mmlu_gap} 分",
               f"GSM8K 上分别得 {gsm_speech} 和 {gsm_text}",
               f"语音一方反而高 {gsm_speech} − {gsm_text} = {gsm_gap} 分",
               "约九成的题目转成语音", "纯文本模型 Qwen2-7B")
