"""Worked numbers of docs/text/creative-writing.md, recomputed.

The length score follows LongWriter's official evaluation code (github.com/THUDM/LongWriter,
evaluation/eval_length.py at ca6ccd4): 100 * max(0, 1 - (y/x - 1)/3) when the output y is
longer than the required x, else 100 * max(0, 1 - (x/y - 1)/2); evaluation/pred.py there
allows 32,768 new tokens. The tokens per Chinese character (1 or 3, from the byte-fallback
discussion of foundations/tokenization), the 4,096-token cap and the lengths are illustrative
(the page says so). The three stories are invented and segmented into words by hand.
"""

from __future__ import annotations

from collections import Counter
from fractions import Fraction
from itertools import combinations

from worked.estimators import ngram_counts
from worked.pages import page_shows

PAGE = "text/creative-writing.md"

MAX_NEW_TOKENS = 32768


def length_score(x: float, y: float) -> float:
    """LongBench-Write's length score for required length x and output length y."""
    if y > x:
        return 100 * max(0.0, 1 - (y / x - 1) / 3)
    return 100 * max(0.0, 1 - (x / y - 1) / 2)


def test_token_budget():
    assert 10_000 * 1 == 10_000 <= MAX_NEW_TOKENS
    assert 10_000 * 3 == 30_000 <= MAX_NEW_TOKENS
    assert 12_000 * 3 == 36_000 > MAX_NEW_TOKENS
    page_shows(PAGE, "$10{,}000 \\times 1 = 10{,}000$ 个词元",
               "$10{,}000 \\times 3 = 30{,}000$ 个词元",
               "$12{,}000 \\times 3 = 36{,}000$ 个词元，超过 32,768")


def test_capped_output():
    ratio = 10_000 / 4_096
    assert round(ratio, 4) == 2.4414
    assert round((ratio - 1) / 2, 4) == 0.7207
    score = length_score(10_000, 4_096)
    assert round(score, 2) == 27.93
    page_shows(PAGE, "\\frac{10{,}000}{4{,}096} = 2.4414",
               "100 \\times (1 - 0.7207) = 27.93",
               "长度分数只有 27.93")


def test_short_and_long_by_a_fifth():
    assert 10_000 / 8_000 == 1.25
    assert length_score(10_000, 8_000) == 87.5
    assert 12_000 / 10_000 == 1.2
    assert round((1.2 - 1) / 3, 4) == 0.0667
    assert round(length_score(10_000, 12_000), 2) == 93.33
    page_shows(PAGE, "100 \\times (1 - 0.125) = 87.5",
               "100 \\times (1 - 0.0667) = 93.33",
               "写短得 87.5 分，写长得 93.33 分")


A = "小狗 在 月亮 上 等 主人".split()
B = "小狗 在 月亮 上 找 骨头".split()
C = "机器人 在 海边 学 唱 歌".split()
D = "小狗 在 月亮 上 睡 觉".split()


def distinct(stories, n):
    grams = sum((ngram_counts(s, n) for s in stories), Counter())
    return len(grams), grams.total()


def mean_jaccard(stories, n):
    sets = [set(ngram_counts(s, n)) for s in stories]
    pairs = [Fraction(len(a & b), len(a | b)) for a, b in combinations(sets, 2)]
    return sum(pairs) / len(pairs), pairs


def test_ttcw_judgements():
    stories, experts_per_test, tests = 12 + 36, 3, 14
    assert stories == 48
    assert stories * experts_per_test * tests == 2016
    page_shows(PAGE, "$48 \\times 3 \\times 14 = 2{,}016$")


def test_distinct_n():
    assert ngram_counts(A, 2).total() == 6 - 1 == 5
    unique1, total1 = distinct([A, B, C], 1)
    assert (unique1, total1) == (13, 18)
    assert round(unique1 / total1, 2) == 0.72
    unique2, total2 = distinct([A, B, C], 2)
    assert (unique2, total2) == (12, 15)
    assert unique2 / total2 == 0.8
    page_shows(PAGE, "$6 - 1 = 5$", "$N_1 = 3 \\times 6 = 18$", "共 13 个", "distinct-1 $= 13 / 18 = 0.72$",
               "$N_2 = 15$", "$5 + 2 + 5 = 12$ 个，distinct-2 $= 12 / 15 = 0.8$")


def test_pairwise_overlap():
    mean, pairs = mean_jaccard([A, B, C], 2)
    assert pairs == [Fraction(3, 7), 0, 0]
    assert len(set(ngram_counts(A, 2)) | set(ngram_counts(B, 2))) == 5 + 5 - 3 == 7
    assert round(float(pairs[0]), 2) == 0.43
    assert mean == Fraction(1, 7)
    assert round(float(mean), 2) == 0.14
    page_shows(PAGE, "$5 + 5 - 3 = 7$", "$J(A,B) = 3/7 = 0.43$",
               "\\frac{3/7 + 0 + 0}{3} = \\frac{1}{7} = 0.14")


def test_homogenised_set():
    unique2, total2 = distinct([A, B, D], 2)
    assert (unique2, total2) == (9, 15)
    assert unique2 / total2 == 0.6
    mean, pairs = mean_jaccard([A, B, D], 2)
    assert pairs == [Fraction(3, 7)] * 3
    assert round(float(mean), 2) == 0.43
    page_shows(PAGE, "$5 + 2 + 2 = 9$ 个，distinct-2 $= 9 / 15 = 0.6$",
               "平均 $\\bar{J} = 3/7 = 0.43$",
               "distinct-2 从 0.8 降到 0.6，平均两两重合度从 0.14 升到 0.43")
