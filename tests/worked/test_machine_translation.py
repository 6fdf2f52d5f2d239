"""Worked numbers of docs/text/machine-translation.md, recomputed from BLEU's formula.

BLEU follows Papineni et al. (ACL 2002): clipped n-gram counts (a candidate n-gram counts at
most as often as it occurs in the reference), modified precisions p_1..p_4 with uniform
weights 1/4 combined as a geometric mean, brevity penalty 1 if c > r else exp(1 - r/c).
Corpus-level BLEU sums the clipped hits, the candidate n-gram totals and the lengths c and r
over all sentences before applying the formula. The two sentence pairs are the page's own
illustrative example, lower-cased and split on spaces, with one reference each.
"""

from __future__ import annotations

from fractions import Fraction
from math import exp, prod

from worked.estimators import ngram_counts
from worked.pages import page_shows

PAGE = "text/machine-translation.md"

REF_1 = "the small cat sat on the red mat".split()
CAND_1 = "the the cat sat on the mat".split()
PAIR_2 = "we will meet at noon".split()


def counts(cand, ref):
    """[(clipped hits, candidate n-grams) for n = 1..4]."""
    out = []
    for n in range(1, 5):
        c, r = ngram_counts(cand, n), ngram_counts(ref, n)
        out.append((sum(min(v, r[g]) for g, v in c.items()), sum(c.values())))
    return out


def bleu(stats, c, r):
    """(geometric mean of the precisions, BP, BLEU)."""
    geo = prod(h / t for h, t in stats) ** 0.25
    bp = 1.0 if c > r else exp(1 - r / c)
    return geo, bp, geo * bp


def r3(x):
    return f"{x:.3f}"


def test_sentence_counts_and_clipping():
    stats = counts(CAND_1, REF_1)
    assert stats == [(6, 7), (3, 6), (2, 5), (1, 4)]
    assert ngram_counts(CAND_1, 1)[("the",)] == 3 and ngram_counts(REF_1, 1)[("the",)] == 2
    assert len(CAND_1) == 7 and len(REF_1) == 8
    page_shows(PAGE, "参考译文 $r$：the small cat sat on the red mat（8 个词）",
               "候选译文 $c$：the the cat sat on the mat（7 个词）",
               "$\\min(3, 2) = 2$", "$2 + 4 = 6$", "$p_1 = 6/7 \\approx " + r3(6 / 7) + "$",
               "$7/7 = 1$", "$7 - 1 = 6$", "$p_2 = 3/6 = 0.5$", "$p_3 = 2/5 = 0.4$",
               "$p_4 = 1/4 = 0.25$")


def test_sentence_bleu():
    geo, bp, score = bleu(counts(CAND_1, REF_1), len(CAND_1), len(REF_1))
    product = Fraction(6, 7) * Fraction(1, 2) * Fraction(2, 5) * Fraction(1, 4)
    assert product == Fraction(12, 280)
    assert round(float(product), 4) == 0.0429
    assert r3(geo) == "0.455" and r3(bp) == "0.867" and r3(score) == "0.394"
    # the page multiplies the rounded factors; the product agrees at three decimals
    assert r3(0.867 * 0.455) == "0.394"
    page_shows(PAGE, "\\frac{12}{280} \\approx 0.0429", "$0.0429^{1/4} \\approx 0.455$",
               "$\\mathrm{BP} = e^{1 - 8/7} = e^{-1/7} \\approx 0.867$",
               "$\\mathrm{BLEU} = 0.867 \\times 0.455 \\approx 0.394$", "就是 39.4")


def test_corpus_bleu_is_not_the_mean_of_sentence_bleu():
    s1 = counts(CAND_1, REF_1)
    s2 = counts(PAIR_2, PAIR_2)
    assert s2 == [(5, 5), (4, 4), (3, 3), (2, 2)]
    assert bleu(s2, 5, 5)[2] == 1.0
    sentence_1 = bleu(s1, 7, 8)[2]
    mean = (sentence_1 + 1.0) / 2
    assert r3(mean) == "0.697" and r3((0.394 + 1) / 2) == "0.697"

    total = [(a[0] + b[0], a[1] + b[1]) for a, b in zip(s1, s2)]
    assert total == [(11, 12), (7, 10), (5, 8), (3, 6)]
    product = Fraction(11, 12) * Fraction(7, 10) * Fraction(5, 8) * Fraction(1, 2)
    assert product == Fraction(385, 1920)
    geo, bp, corpus = bleu(total, 7 + 5, 8 + 5)
    assert f"{geo:.4f}" == "0.6692" and f"{bp:.4f}" == "0.9200" and r3(corpus) == "0.616"
    assert r3(0.9200 * 0.6692) == "0.616"
    assert round(mean - corpus, 2) == 0.08
    page_shows(PAGE, "$(0.394 + 1) / 2 \\approx 0.697$",
               "| 1 | 6/7 | 5/5 | 11/12 | " + r3(11 / 12) + " |",
               "| 2 | 3/6 | 4/4 | 7/10 | " + r3(7 / 10) + " |",
               "| 3 | 2/5 | 3/3 | 5/8 | " + r3(5 / 8) + " |",
               "| 4 | 1/4 | 2/2 | 3/6 | " + r3(3 / 6) + " |",
               "\\frac{385}{1920} \\approx " + f"{float(product):.4f}", "开四次方约为 0.6692",
               "$c = 7 + 5 = 12$", "$r = 8 + 5 = 13$",
               "$\\mathrm{BP} = e^{1 - 13/12} = e^{-1/12} \\approx 0.9200$",
               "$0.9200 \\times 0.6692 \\approx 0.616$", "比各句平均的 0.697 低了约 0.08")
