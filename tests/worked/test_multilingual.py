"""Worked numbers of docs/text/multilingual.md, recomputed from their definitions.

The tokenizer of the first example is byte-level with no merges: every UTF-8 byte is one
token, so Python's ``str.encode`` is the tokenizer. The sampling example applies
q_i = n_i^alpha / sum_j n_j^alpha (the form XLM-R and mT5 use) to three made-up corpus sizes.
Each test asserts the page shows what it computed.
"""

from __future__ import annotations

import math

from worked.pages import page, page_shows

ML = "text/multilingual.md"

EN = "The cat is sleeping on the sofa."
RU = "Кошка спит на диване."
ZH = "猫在沙发上睡觉。"
WINDOW = 4096


def tokens(s: str) -> int:
    """Token count under a byte-level tokenizer without merges: UTF-8 bytes."""
    return len(s.encode("utf-8"))


def test_sentence_table():
    for lang, s in (("英文", EN), ("俄文", RU)):
        words, chars, toks = len(s.split()), len(s), tokens(s)
        row = f"| {lang} | `{s}` | {words} | {chars} | {toks} | {toks / words:.2f} | {toks / chars:.2f} |"
        page_shows(ML, row)
    assert (len(EN.split()), len(EN), tokens(EN)) == (7, 32, 32)
    assert (len(RU.split()), len(RU), tokens(RU)) == (4, 21, 38)


def test_russian_bytes_worked_out():
    cyrillic = sum(1 for c in RU if "\u0400" <= c <= "\u04ff")
    other = len(RU) - cyrillic
    assert (cyrillic, other) == (17, 4)
    assert 2 * cyrillic + other == tokens(RU)
    page_shows(ML, "17 个是西里尔字母，另有 3 个空格和 1 个句号", r"$17 \times 2 + 4 = 38$")


def test_three_ratios():
    en_w, ru_w = tokens(EN) / len(EN.split()), tokens(RU) / len(RU.split())
    ratio_word = round(ru_w, 2) / round(en_w, 2)
    assert f"{ratio_word:.2f}" == "2.08"
    ratio_sentence = tokens(RU) / tokens(EN)
    assert ratio_sentence == 1.1875
    ratio_char = round(tokens(RU) / len(RU), 2) / round(tokens(EN) / len(EN), 2)
    assert f"{ratio_char:.2f}" == "1.81"
    assert f"{ratio_sentence:.2f}" == "1.19"
    page_shows(ML, r"$9.50 / 4.57 \approx 2.08$", "是 1.81 倍", r"$38 / 32 = 1.1875$", "约 1.19 倍")


def test_price_context_and_attention():
    ratio = tokens(RU) / tokens(EN)
    assert round(100 * (ratio - 1)) == 19
    assert WINDOW // tokens(EN) == 128 and WINDOW // tokens(RU) == 107
    assert f"{ratio ** 2:.2f}" == "1.41"
    page_shows(ML, "多付约 19% 的钱", r"$\lfloor 4096 / 32 \rfloor = 128$", r"$\lfloor 4096 / 38 \rfloor = 107$",
               r"$1.1875^2 \approx 1.41$")


def test_chinese_sentence():
    assert (len(ZH), tokens(ZH)) == (8, 24)
    assert tokens(ZH) / len(ZH) == 3.0 and tokens(ZH) / tokens(EN) == 0.75
    per_char = {s: tokens(s) / len(s) for s in (EN, RU, ZH)}
    assert max(per_char, key=per_char.get) == ZH  # the highest tokens per character of the three
    page_shows(ML, "共 8 个字符", "共 24 个字节", "每字符 3.00 个词元，在三种语言里最高", r"$24 / 32 = 0.75$")


N = {"A": 900, "B": 90, "C": 10}


def q(alpha: float) -> dict[str, float]:
    w = {k: n ** alpha for k, n in N.items()}
    total = sum(w.values())
    return {k: v / total for k, v in w.items()}


def test_sampling_table():
    labels = {1: "1（照原样）", 0.5: "0.5", 0.3: "0.3", 0: "0（均匀）"}
    for alpha, label in labels.items():
        p = q(alpha)
        row = f"| {label} | {100 * p['A']:.1f}% | {100 * p['B']:.1f}% | {100 * p['C']:.1f}% |"
        page_shows(ML, row)
    assert math.isclose(sum(q(0.3).values()), 1.0)


def test_alpha_03_worked_out():
    powers = {k: n ** 0.3 for k, n in N.items()}
    shown = [f"{powers[k]:.4f}" for k in "ABC"]
    assert shown == ["7.6961", "3.8572", "1.9953"]
    total = sum(float(x) for x in shown)
    assert f"{total:.4f}" == f"{sum(powers.values()):.4f}" == "13.5486"
    for k, x, pct in zip("ABC", shown, ("56.8", "28.5", "14.7")):
        assert f"{100 * float(x) / total:.1f}" == f"{100 * q(0.3)[k]:.1f}" == pct
        page_shows(ML, f"${x} / 13.5486 \\approx {pct}\\%$")
    page_shows(ML, r"$900^{0.3} \approx 7.6961$", r"$90^{0.3} \approx 3.8572$", r"$10^{0.3} \approx 1.9953$",
               r"$7.6961 + 3.8572 + 1.9953 = 13.5486$")


def test_repeats():
    budget = sum(N.values())  # the training run sees as many tokens as the corpus holds
    assert budget == 1000
    p = q(0.3)
    epochs = {k: p[k] * budget / N[k] for k in N}
    assert {k: round(v, 1) for k, v in epochs.items()} == {"A": 0.6, "B": 3.2, "C": 14.7}
    assert all(math.isclose(q(1)[k] * budget / N[k], 1.0) for k in N)
    # the page rounds each language's draw to whole units first, then divides
    drawn = {k: round(budget * p[k]) for k in N}
    assert drawn == {"A": 568, "B": 285, "C": 147}
    assert (f"{drawn['A'] / N['A']:.2f}", f"{drawn['B'] / N['B']:.2f}", drawn["C"] / N["C"]) == ("0.63", "3.17", 14.7)
    page_shows(ML, "约 568、285 和 147 个单位", r"$568 / 900 \approx 0.63$", r"$285 / 90 \approx 3.17$",
               r"$147 / 10 = 14.7$")


def test_utf8_byte_widths():
    # the page's statements about how many bytes a character takes in UTF-8
    assert all(tokens(c) == 1 for c in EN)
    assert all(c.isascii() for c in EN)
    assert all(tokens(c) == 2 for c in RU if "\u0400" <= c <= "\u04ff")
    assert tokens("é") == 2
    assert all(tokens(c) == 3 for c in ZH)
    page_shows(ML, "都是 ASCII 字符，在 UTF-8 中各占 1 个字节；西里尔字母各占 2 个字节", "法语的 é 占 2 个字节",
               "这里的每个汉字和全角句号在 UTF-8 中都占 3 个字节")


def test_global_mmlu_sample():
    # Singh et al. (arXiv 2412.03304v2, sec. 2.1-2.2, Figure 4): 50 questions from each of the 57
    # MMLU subjects were annotated; region tags 64.5% North America and 20.4% Europe (84.9% together)
    assert 57 * 50 == 2850
    assert f"{64.5 + 20.4:.1f}" == "84.9"
    page_shows(ML, r"$57 \times 50 = 2850$", "28% 的题目需要这类知识",
               r"$64.5\% + 20.4\% = 84.9\%$")


def test_global_mmlu_region_share_and_rank_changes():
    # Singh et al. (arXiv 2412.03304v2): the Figure 4 caption leaves out samples with no region tag
    # or with several, so 64.5% and 20.4% are shares of CS questions with exactly one region tag.
    # Section 4.2 ('Model Rank Changes'): ranks of the 14 models on CA and on CS are compared with
    # their ranks on MA, the 2,850 annotated questions (not all of MMLU); averaged over languages,
    # CS shows 5.7 rank changes and CA 3.4
    cs_changes, ca_changes = 5.7, 3.4
    assert cs_changes > ca_changes > 0  # CA subsets also move the ranking, only less
    page_shows(ML, "在只标了一个地域的文化敏感题目里，北美占 64.5%", "作者还比较了 14 个模型的排名",
               "以它们在 2850 道标注题上的排名为基准", "平均每种语言有 5.7 处变动，只用文化无关的题目时是 3.4 处")
    assert "模型的排名会和在全部题目上不同" not in page(ML)
    assert "在标了地域的题目里" not in page(ML)


def test_global_mmlu_cs_ca_split():
    # Singh et al. (arXiv 2412.03304v2, Table 1): the 2,850 annotated questions split by category
    # (STEM, Humanities, Social Sciences, Medical, Business, Other) into culturally sensitive (CS)
    # and culturally agnostic (CA) ones; the CS share is the 28% of the abstract
    cs = [23, 442, 208, 19, 36, 64]
    ca = [927, 208, 392, 331, 164, 36]
    annotated = [950, 650, 600, 350, 200, 100]
    assert all(a + b == n for a, b, n in zip(cs, ca, annotated))
    assert (sum(cs), sum(ca), sum(annotated)) == (792, 2058, 2850)
    share = 100 * sum(cs) / sum(annotated)
    assert f"{share:.1f}" == "27.8" and round(share) == 28
    page_shows(ML, "2850 题里文化敏感的有 792 题，文化无关的有 2058 题",
               r"$792 / 2850 \approx 27.8\%$", "即约 28% 的题目需要这类知识", "附上这 2850 题的文化敏感和文化无关标注")


def test_global_mmlu_translation_sources():
    # Singh et al. (arXiv 2412.03304v2, sections 1 and 3.1): besides English, 4 languages reviewed by
    # professional annotators (Gold Set), 11 community-reviewed, 10 taken from OpenAI's human-translated
    # MMMLU, and 16 left as Google Translate output; 42 languages in all
    professional, community, mmmlu = 4, 11, 10
    machine = (42 - 1) - professional - community - mmmlu
    assert machine == 16
    page_shows(ML, "42 种语言的 Global MMLU", "除英文外的 41 种语言里，4 种", "11 种由社区标注者", "10 种直接采用",
               r"$41 - 4 - 11 - 10 = 16$")


def test_atlas_scale():
    # Longpre et al. (ATLAS, arXiv 2510.22037, abstract): 774 training experiments, 10M-8B parameters,
    # 400+ training languages, 48 evaluation languages; the page writes the sizes in 万 and 亿
    wan, yi = 10**4, 10**8
    assert 10 * 10**6 == 1000 * wan and 8 * 10**9 == 80 * yi
    page_shows(ML, "做了 774 次多语言训练，模型从 1000 万到 80 亿参数，训练数据覆盖 400 多种语言，在 48 种语言上评测",
               "同期规模更大（最大 80 亿参数）的规模定律研究")
    # the open problem no longer says systematic evidence at larger scale is missing
    assert "还缺少系统的证据" not in page(ML)


def test_xlmr_gains_are_points():
    # Conneau et al. (ACL 2020, https://aclanthology.org/2020.acl-main.747), Table 1, cross-lingual
    # transfer rows (fine-tune on English XNLI): the abstract's +14.6 / +15.7 / +11.4 are differences
    # of accuracies in percentage points: XLM-R avg 80.9 vs mBERT 66.3; Swahili 73.9 and Urdu 73.8 vs
    # the single-model XLM-100 row (sw 58.2, ur 62.4)
    xlmr = {"avg": 80.9, "sw": 73.9, "ur": 73.8}
    mbert_avg = 66.3
    xlm100 = {"sw": 58.2, "ur": 62.4}
    assert f"{xlmr['avg'] - mbert_avg:.1f}" == "14.6"
    assert f"{xlmr['sw'] - xlm100['sw']:.1f}" == "15.7"
    assert f"{xlmr['ur'] - xlm100['ur']:.1f}" == "11.4"
    page_shows(ML, "比多语言 BERT（mBERT）高 14.6 个百分点", "分别高 15.7 和 11.4 个百分点")


def test_xlmr_ablation_scale():
    # XLM-R section 3: ablations use a BERT(-Base) architecture with a 150K vocabulary, while XLM-R
    # itself has L = 24, H = 1024 (550M parameters), the size of BERT Large, not BERT Base
    page_shows(ML, "那些消融用的是 BERT Base 大小的编码器（XLM-R 本身最大也只有 5.5 亿参数）",
               "模型有 2.7 亿和 5.5 亿参数两种规模")
    assert "XLM-R 用的是 BERT Base 大小的编码器" not in page(ML)
