"""Worked numbers of text/instruction-tuning.md (the SFT loss with and without the prompt masked), recomputed."""

import math

from worked.pages import page_shows

PAGE = "text/instruction-tuning.md"

# Probability the model gives each target token x_2..x_8 of the page's 8-token sequence
# "<|user|> 法国 的首都 是哪里？ <|assistant|> 巴黎 。 <|end|>", and whether it is in the response (m_t).
PROMPT = [0.01, 0.05, 0.20, 0.90]  # 法国, 的首都, 是哪里？, <|assistant|>: masked (m_t = 0)
RESPONSE = [0.60, 0.80, 0.70]  # 巴黎, 。, <|end|>: counted (m_t = 1)


def nll(p: float) -> float:
    return -math.log(p)


def sft_loss(probs: list[float], mask: list[int]) -> float:
    """The page's formula: masked negative log-likelihood averaged over the counted tokens."""
    return sum(m * nll(p) for p, m in zip(probs, mask)) / sum(mask)


def test_sequence_length_and_predicted_positions():
    # x_1 = <|user|> is given; the table predicts x_2..x_8. The user's <|end|> of the chat-template block
    # is left out of the example, and the page says so.
    positions = len(PROMPT) + len(RESPONSE)
    assert (positions + 1, positions) == (8, 7)
    page_shows(PAGE, f"序列共 {positions + 1} 个词元", f"$x_{positions + 1}$ 这 {positions} 个位置",
               "再省去用户发言末尾的 `<|end|>`")


def test_per_token_negative_log_probabilities():
    page_shows(PAGE, *(f"| {p:.2f} | {nll(p):.4f} |" for p in PROMPT + RESPONSE))


def test_table_rows_pair_each_position_with_its_part_and_mask():
    # Each row of the table: position t, target token, its part of the sequence, p, -ln p and m_t. A row whose
    # mask or part disagreed with the sums below it (four prompt tokens, three response tokens) fails here.
    tokens = ["法国", "的首都", "是哪里？", r"`<\|assistant\|>`", "巴黎", "。", r"`<\|end\|>`"]
    parts = ["提示", "提示", "提示", "提示（模板）", "回答", "回答", "回答"]
    masks = [0] * len(PROMPT) + [1] * len(RESPONSE)
    assert all((m == 1) == part.startswith("回答") for part, m in zip(parts, masks))
    page_shows(PAGE, *(f"| {t} | {token} | {part} | {p:.2f} | {nll(p):.4f} | {m} |"
                       for t, token, part, p, m in zip(range(2, 9), tokens, parts, PROMPT + RESPONSE, masks)))


def test_loss_with_the_prompt_masked():
    probs, mask = PROMPT + RESPONSE, [0] * len(PROMPT) + [1] * len(RESPONSE)
    masked = sft_loss(probs, mask)
    response_sum = sum(map(nll, RESPONSE))
    assert math.isclose(masked, response_sum / 3)
    page_shows(PAGE, f"= {response_sum:.4f}$，除以 3 得 $\\mathcal{{L}} = {masked:.4f}$",
               f"$e^{{{masked:.4f}}} \\approx {math.exp(masked):.2f}$", f"约 {math.exp(masked):.2f} 个候选")


def test_loss_without_a_mask_and_where_it_comes_from():
    probs = PROMPT + RESPONSE
    unmasked = sft_loss(probs, [1] * len(probs))
    masked = sft_loss(probs, [0] * len(PROMPT) + [1] * len(RESPONSE))
    prompt_sum, total = sum(map(nll, PROMPT)), sum(map(nll, probs))
    page_shows(PAGE, f"= {prompt_sum:.4f}$", f"{prompt_sum:.4f} + {sum(map(nll, RESPONSE)):.4f} = {total:.4f}",
               f"除以 7 得 $\\mathcal{{L}} = {unmasked:.4f}$", f"约为只算回答时的 {unmasked / masked:.2f} 倍",
               f"总损失的 {100 * prompt_sum / total:.1f}% 来自提示部分",
               f"就占了 {100 * nll(PROMPT[0]) / total:.1f}%")
    # the divisions behind those figures, shown with the rounded numbers a student reads on the page
    r = lambda v: round(v, 4)  # noqa: E731
    page_shows(PAGE, f"${r(unmasked):.4f} / {r(masked):.4f} \\approx {r(unmasked) / r(masked):.2f}$",
               f"${r(prompt_sum):.4f} / {r(total):.4f} \\approx {r(prompt_sum) / r(total):.3f}$",
               f"${r(nll(PROMPT[0])):.4f} / {r(total):.4f} \\approx {r(nll(PROMPT[0])) / r(total):.3f}$")


def test_the_sums_on_the_page_add_up_from_the_rounded_terms():
    # A reader adds the four-decimal terms shown in the table; the sums must agree with them.
    shown = lambda ps: sum(round(nll(p), 4) for p in ps)  # noqa: E731
    assert round(shown(RESPONSE), 4) == round(sum(map(nll, RESPONSE)), 4)
    assert round(shown(PROMPT), 4) == round(sum(map(nll, PROMPT)), 4)
    assert round(shown(PROMPT + RESPONSE), 4) == round(sum(map(nll, PROMPT + RESPONSE)), 4)


def test_kilobytes_to_gigabytes_in_orders_of_magnitude():
    # Vergara-Browne et al. report programs of gigabytes before post-training and a few kilobytes
    # after; the book's decimal units (1 KB = 10^3 B, 1 GB = 10^9 B) put six orders of magnitude between them
    ratio = 10**9 // 10**3
    orders = round(math.log10(ratio))
    assert (ratio, orders) == (10**6, 6)
    page_shows(PAGE, f"1 GB 是 1 KB 的 $10^{{{orders}}}$ 倍，相差六个数量级", "GB 级长度的程序", "只要几 KB 的信息")


def test_limo_data_as_a_share_of_the_numinamath_baseline():
    # LIMO (arXiv v3) trains on 800 samples; the baseline it is compared with used about 100,000 NuminaMath samples
    share = 800 / 100_000
    assert math.isclose(share, 0.008)
    page_shows(PAGE, "用约 10 万条 NuminaMath 数据微调的模型", f"LIMO 用的数据约为它的 {round(100 * share)}%")


def test_tk_instruct_over_instructgpt_in_rouge_l_points():
    # Super-NaturalInstructions (arXiv 2204.07705v3), Table 3, English track, ROUGE-L: Tk-Instruct (11B) 62.0,
    # InstructGPT (175B) 52.1. The abstract's "over 9%" is this difference in points; relative, it is about 19%.
    tk, instructgpt = 62.0, 52.1
    gap = round(tk - instructgpt, 1)
    relative = gap / instructgpt
    assert gap == 9.9 and 0.18 < relative < 0.20
    page_shows(PAGE, f"Tk-Instruct 得 {tk:.1f}，InstructGPT 得 {instructgpt:.1f}，相差 {gap:.1f} 分",
               f"高出约 {round(100 * relative)}%（${gap:.1f} / {instructgpt:.1f} \\approx {relative:.2f}$）")


def test_self_instruct_rouge_l_gain():
    # Self-Instruct, Table 3 (unseen Super-NaturalInstructions tasks, ROUGE-L): vanilla GPT3 6.8, GPT3 tuned on
    # its own generated data 39.9, InstructGPT-001 40.8. The abstract's "33% absolute" is this ROUGE-L gain.
    vanilla, self_inst, instructgpt = 6.8, 39.9, 40.8
    gain = round(self_inst - vanilla, 1)
    gap = round(instructgpt - self_inst, 1)
    assert (gain, gap) == (33.1, 0.9)
    page_shows(PAGE, f"ROUGE-L 从原模型的 {vanilla} 分升到 {self_inst} 分",
               f"$39.9 - 6.8 = {gain}$ 分", f"InstructGPT-001（{instructgpt} 分）只差 {gap} 分")
