"""Worked numbers of docs/text/privacy-unlearning.md, recomputed from their formulas.

The counts of the GPT-2 extraction attack are Carlini et al.'s (2020), sections 6.1-6.2:
three strategies of 200,000 samples, six ranking metrics, 100 samples per configuration,
604 confirmed. The GPU hours are Eldan & Russinovich's abstract; the TOFU sizes are the
paper's abstract (200 authors x 20 questions) and the repository's forget01/05/10 splits;
the WMDP count is the ICML 2024 (PMLR 235) abstract, as in arXiv v7. The differential-privacy example
uses delta = 0, where an epsilon-DP mechanism changes any event's probability by at most
e^epsilon per record and, by chaining k neighbouring datasets, e^(k epsilon) for k copies.
Each test asserts the page shows what it computed.
"""

from __future__ import annotations

import math

from worked.pages import fmt_int, page_shows

PAGE = "text/privacy-unlearning.md"


def test_extraction_counts():
    strategies, samples, metrics, per_config, found = 3, 200_000, 6, 100, 604
    assert strategies * samples == 600_000
    assert strategies * metrics == 18
    candidates = strategies * metrics * per_config
    assert candidates == 1800
    assert round(found / candidates, 2) == 0.34  # "about a third"
    page_shows(PAGE, "$n = 40$ 个词元", r"$3 \times 200{,}000 = 600{,}000$", r"$3 \times 6 = 18$",
               r"$18 \times 100 = 1{,}800$", "确认 604 段是训练数据的原文，约占候选的三分之一",
               "1,800 个候选里的 604 个", r"$604 / 1{,}800 \approx 0.34$")


def test_one_record_bound():
    p_without = 0.001
    page_shows(PAGE, "$p' = 0.001$")
    e01, e1, e8 = math.exp(0.1), math.exp(1), math.exp(8)
    assert f"{e01:.3f}" == "1.105" and f"{e1:.3f}" == "2.718" and round(e8) == 2981
    assert f"{p_without * e01:.5f}" == "0.00111"
    assert f"{p_without * e1:.5f}" == "0.00272"
    assert f"{e1:.1f}" == "2.7"  # "at most 2.7 times the original"
    assert f"{p_without * e8:.2f}" == "2.98" and p_without * e8 > 1  # the bound says nothing
    page_shows(PAGE, "$e^{0.1} = 1.105$", r"$0.001 \times 1.105 = 0.00111$",
               "$e^{1} = 2.718$", r"上界是 $0.001 \times 2.718 = 0.00272$", "$e^{8} = 2981$",
               r"上界是 $0.001 \times 2981 = 2.98$",
               "最多变成原来的 2.7 倍")


def test_membership_posterior():
    def posterior(eps: float) -> float:
        # prior odds 1:1 times a likelihood ratio of at most e^eps
        return math.exp(eps) / (1 + math.exp(eps))

    assert f"{posterior(1):.3f}" == "0.731"
    assert f"{math.exp(1):.3f} / {1 + math.exp(1):.3f}" == "2.718 / 3.718"
    assert f"{posterior(8):.5f}" == "0.99966"
    assert round(math.exp(8)) == 2981 and f"{2981 / 2982:.5f}" == "0.99966"
    assert round(math.exp(8)) + 1 == 2982  # posterior e^eps / (1 + e^eps) with e^8 rounded
    assert 0.5 / 0.5 == 1  # prior odds; odds r <-> probability r / (1 + r)
    page_shows(PAGE, "先验几率为 $0.5 / 0.5 = 1$", r"$1 \times e^{\varepsilon} = e^{\varepsilon}$",
               "$2.718 / 3.718 = 0.731$", "$2981 / 2982$，上界是 $0.99966$")


def test_duplicated_record_bound():
    assert math.isclose(10 * 0.1, 1.0)
    assert f"{math.exp(10 * 0.1):.3f}" == "2.718"
    assert f"{math.exp(10 * 0.1):.1f}" == "2.7"  # "up to 2.7 times"
    assert fmt_int(round(math.exp(10 * 1))) == "22,026"
    p_without = 0.001
    assert round(p_without * math.exp(10)) == 22 and p_without * math.exp(10) > 1
    page_shows(PAGE, r"$e^{10 \times 0.1} = e^{1} = 2.718$",
               r"e^{k\varepsilon}", r"$e^{10 \times 1} = e^{10} = 22{,}026$", r"$0.001 \times 22{,}026 \approx 22$，远大于 1",
               "最多可以放大到 2.7 倍")


def test_unlearning_sizes():
    pretrain_gpu_hours, unlearn_gpu_hours = 184_000, 1
    assert round(pretrain_gpu_hours / unlearn_gpu_hours / 10_000) == 18  # "about 1/180,000"
    page_shows(PAGE, "18.4 万 GPU 小时以上，约为它的十八万分之一", "微调约用 1 个 GPU 小时")
    authors, per_author = 200, 20
    total = authors * per_author
    assert total == 4000
    assert [total * f // 100 for f in (1, 5, 10)] == [40, 200, 400]
    page_shows(PAGE, r"$200 \times 20 = 4{,}000$", "1%、5% 或 10%，即 40、200 或 400 个问答",
               "3,668 道")


def test_one_document_is_not_one_occurrence():
    # Carlini et al. (2020), Table 3: nine k = 1 eidetic strings, each in one training
    # document, occurring 10 to 311 times in it; Section 7 / Table 4: GPT-2 XL emits every
    # URL of the pastebin document that occurs 33 times or more.
    occurrences = [10, 22, 36, 49, 64, 83, 96, 122, 311]
    assert len(occurrences) == 9 and min(occurrences) == 10 and max(occurrences) == 311
    page_shows(PAGE, "9 段这样的随机字符串", "重复了 10 到 311 次不等", "重复了 10 次以上",
               "出现 33 次以上的，最大的 GPT-2 都能写出来")
