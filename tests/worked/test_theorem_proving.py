"""Worked numbers of docs/knowledge/theorem-proving.md, recomputed from their formulas.

pass@k is Chen et al.'s (2021) unbiased estimator 1 - C(n-c, k) / C(n, k); the best-first search
runs the page's tree with a priority queue on cumulative log-probability, as GPT-f's proof
search orders its open goals (Polu & Sutskever 2020). The paper numbers quoted with arithmetic
(217 of 244 miniF2F-test and 47 of 658 PutnamBench problems, 649 of them evaluated, 6 and 8 of 15 AIME problems, 97 and 69
percent) are the papers' own (DeepSeek-Prover-V2, 2504.21801, as revised in its official repository;
miniF2F-Lean Revisited, 2511.03108).
Each test asserts the page shows what it computed.
"""

from __future__ import annotations

import heapq
import math
from math import comb

from worked.estimators import human_eval_pass_at_k
from worked.pages import fmt_int, page_shows

TP = "knowledge/theorem-proving.md"

N, C = 32, 4


def pass_at_k(n: int, c: int, k: int) -> float:
    """Chen et al.'s unbiased estimator, with binomial coefficients (math.comb(a, b) = 0 for b > a)."""
    return 1 - comb(n - c, k) / comb(n, k)


def test_pass_at_1_is_the_success_rate():
    assert pass_at_k(N, C, 1) == C / N == 0.125
    assert math.isclose(pass_at_k(N, C, 1), human_eval_pass_at_k(N, C, 1))
    page_shows(TP, "$n = 32$", "$c = 4$", r"$\binom{28}{1} / \binom{32}{1} = 28/32 = 0.875$",
               "pass@1 $= 1 - 0.875 = 0.125$", "$c/n = 4/32$")


def test_pass_at_8():
    numerator, denominator = comb(N - C, 8), comb(N, 8)
    assert (numerator, denominator) == (3_108_105, 10_518_300)
    ratio = numerator / denominator
    p8 = pass_at_k(N, C, 8)
    assert math.isclose(p8, human_eval_pass_at_k(N, C, 8))
    page_shows(TP, rf"\binom{{28}}{{8}} = {fmt_int(numerator)}", rf"\binom{{32}}{{8}} = {fmt_int(denominator)}",
               f"比值约为 ${ratio:.4f}$", f"pass@8 $\\approx {p8:.4f}$")
    # the same ratio without the large numbers: the 8! cancel, leaving four factors over four
    top, bottom = 24 * 23 * 22 * 21, 32 * 31 * 30 * 29
    assert math.isclose(top / bottom, ratio) and (top, bottom) == (255_024, 863_040)
    assert math.isclose(ratio, math.factorial(28) * math.factorial(24) / (math.factorial(20) * math.factorial(32)))
    # 28!/20! = 28 * ... * 21 and 32!/24! = 32 * ... * 25 share 28, 27, 26, 25
    assert math.isclose(math.prod(range(21, 29)) / math.prod(range(25, 33)), top / bottom)
    page_shows(TP, "28 到 21 这 8 个数的乘积", "32 到 25 这 8 个数的乘积", "28、27、26、25 约掉")
    page_shows(TP, r"\frac{28! \cdot 24!}{20! \cdot 32!}",
               r"\frac{24 \times 23 \times 22 \times 21}{32 \times 31 \times 30 \times 29}",
               rf"\frac{{255{{,}}024}}{{863{{,}}040}} \approx {top / bottom:.4f}")


def test_pass_at_32_is_certain():
    assert comb(N - C, 32) == 0 and N - C == 28
    assert pass_at_k(N, C, 32) == 1 == human_eval_pass_at_k(N, C, 32)
    page_shows(TP, "$n - c = 28$", r"$\binom{28}{32} = 0$", "pass@32 $= 1$")


def test_plug_in_estimate_is_lower():
    miss = (1 - C / N) ** 8
    plug_in = 1 - miss
    assert plug_in < pass_at_k(N, C, 8)
    squares = [(1 - C / N) ** e for e in (2, 4, 8)]  # squaring three times
    assert math.isclose(squares[2], miss)
    page_shows(TP, *(f"$0.875^{e} \\approx {v:.4f}$" for e, v in zip((2, 4, 8), squares)))
    page_shows(TP, f"$1 - (1 - 0.125)^8 = 1 - {miss:.4f} = {plug_in:.4f}$", f"比 {pass_at_k(N, C, 8):.4f} 低",
               "pass@1 是 12.5%，pass@32 却是 100%")


# The page's tree: state -> [(child, log-probability of the tactic)]; "QED" is `no goals`.
TREE = {
    "s0": [("s1", -0.3), ("s2", -1.0)],
    "s1": [("s3", -1.5), ("s4", -0.4)],
    "s4": [("s5", -0.6)],
    "s2": [("QED", -0.2)],
}


def best_first():
    """Pop the state with the highest cumulative log-probability, run its tactics, push the
    children; stop when a tactic closes every goal. Returns (expanded, tactics run, proof, logp,
    queue after each expansion)."""
    queue = [(-0.0, "s0", ("s0",))]
    expanded, tactics, queues = [], 0, []
    while queue:
        neg, state, path = heapq.heappop(queue)
        expanded.append(state)
        for child, logp in TREE.get(state, []):
            tactics += 1
            score = -neg + logp
            if child == "QED":
                return expanded, tactics, path + (child,), score, queues
            heapq.heappush(queue, (-score, child, path + (child,)))
        queues.append([(s, round(-n, 10)) for n, s, _ in sorted(queue)])
    raise AssertionError("no proof found")


def test_best_first_search():
    expanded, tactics, proof, logp, queues = best_first()
    assert expanded == ["s0", "s1", "s4", "s2"] and tactics == 6 == 2 + 2 + 1 + 1
    assert proof == ("s0", "s2", "QED") and math.isclose(logp, -1.2)
    assert queues[0] == [("s1", -0.3), ("s2", -1.0)]
    assert queues[1] == [("s4", -0.7), ("s2", -1.0), ("s3", -1.8)]
    assert queues[2] == [("s2", -1.0), ("s5", -1.3), ("s3", -1.8)]
    page_shows(TP, "累计值记为 0", "$0 - 0.3 = -0.3$", "$0 - 1.0 = -1.0$")  # the root's score is 0
    page_shows(TP, "$-0.3 - 1.5 = -1.8$", "$-0.3 - 0.4 = -0.7$", "$-0.7 - 0.6 = -1.3$",
               "队列按分数排成 $s_4$（$-0.7$）、$s_2$（$-1.0$）、$s_3$（$-1.8$）",
               "队列变成 $s_2$（$-1.0$）、$s_5$（$-1.3$）、$s_3$（$-1.8$）",
               "展开的顺序是 $s_0, s_1, s_4, s_2$，共展开 4 个状态",
               "$2 + 2 + 1 + 1 = 6$ 条证明策略", "$-1.0 - 0.2 = -1.2$",
               f"$e^{{-1.2}} \\approx {math.exp(logp):.3f}$")
    # the greedy first step leads nowhere within this tree; the search backtracks to s2
    assert -1.3 < -1.0
    page_shows(TP, "$s_5$ 的分数（$-1.3$）已经低于 $s_2$ 的分数（$-1.0$）")


def test_paper_arithmetic():
    # DeepSeek-Prover-V2: miniF2F-test 217 of 244 (Table 2); PutnamBench 49 of 658 in the first
    # version, 47 after two misformulated statements were excluded (paper revised 2025-07-18 in
    # github.com/deepseek-ai/DeepSeek-Prover-V2, Section 3.2)
    assert f"{100 * 217 / 244:.1f}" == "88.9"
    page_shows(TP, "88.9%，即 244 道题解出 217 道")
    # Section 3.2: PutnamBench has 658 problems; those incompatible with Lean 4.9.0 were excluded and
    # 649 evaluated; the paper reports its solved count over 658 (Table 4: 47/658)
    total, evaluated, first, final = 658, 649, 49, 49 - 2
    assert final == 47
    over_total, over_evaluated = f"{100 * final / total:.1f}", f"{100 * final / evaluated:.1f}"
    assert (over_total, over_evaluated) == ("7.1", "7.2")
    page_shows(TP, f"共有 {total} 道题", f"实际评测的是 {evaluated} 道", f"${total} - {evaluated} = {total - evaluated}$ 道",
               f"V2 解出了其中 {first} 道", "有两道题", f"最终结果是 {final} 道",
               rf"$47/658 \approx {over_total}\%$", rf"$47/649 \approx {over_evaluated}\%$")
    assert round(100 * 6 / 15) == 40 and f"{100 * 8 / 15:.1f}" == "53.3"
    page_shows(TP, "写出了 6 道的形式化证明（40%）", "答对 8 道（约 53.3%）", "仍少解出 2 道")
    # Table 7 (ProverBench, AIME 24&25 subset, 671B CoT): 4/15 at 32 samples, 5/15 at 128, 6/15 at 512;
    # DeepSeek-V3-0324 uses majority voting over 16 answers (Section 3.5)
    aime_671b_cot = {32: 4, 128: 5, 512: 6}
    assert aime_671b_cot[512] == 6 and 8 - aime_671b_cot[512] == 2
    page_shows(TP, "每题采样 512 次，写出了 6 道", f"只采样 32 次时是 {aime_671b_cot[32]} 道",
               "每题采样 16 次再", "一边每题 512 次，一边 16 次")
    assert f"{0.97 * 0.69:.2f}" == "0.67"
    page_shows(TP, r"$0.97 \times 0.69 \approx 0.67$")


def test_deepseek_prover_v15_stages():
    # miniF2F-test, DeepSeek-Prover-V1.5 (7B), Table 1 of the paper (paper.pdf in the official
    # repository deepseek-ai/DeepSeek-Prover-V1.5, commit 2c4ba91): pass rate by sample budget.
    # The README lists the best row of each stage, and those rows have different budgets.
    base = {3200: 39.2, 6400: 42.2}
    sft = {3200: 53.3, 16 * 6400: 57.4}
    rl = {3200: 54.9, 4 * 6400: 58.4, 16 * 6400: 60.2}
    rmaxts = {3200: 55.0, 4 * 6400: 59.6, 16 * 6400: 62.7, 32 * 6400: 63.5}
    page_shows(TP, "基座 42.2%，监督微调后 57.4%，强化学习后 60.2%，再加上 RMaxTS 为 63.5%")
    # the README's four numbers come from four different budgets
    assert (base[6400], sft[16 * 6400], rl[16 * 6400], rmaxts[32 * 6400]) == (42.2, 57.4, 60.2, 63.5)
    assert 16 * 6400 == 102_400 and 32 * 6400 == 204_800
    page_shows(TP, "基座的 42.2% 是每题采样 6400 次的结果",
               rf"$16 \times 6400 = {fmt_int(16 * 6400)}$", rf"$32 \times 6400 = {fmt_int(32 * 6400)}$")
    # equal budgets
    gains_3200 = [f"{b - a:.1f}" for a, b in ((base[3200], sft[3200]), (sft[3200], rl[3200]))]
    assert gains_3200 == ["14.1", "1.6"]
    page_shows(TP, "分别是 39.2%、53.3%、54.9%",
               f"监督微调带来 {gains_3200[0]} 个百分点，强化学习又加 {gains_3200[1]} 个")
    search_gain = {k: f"{rmaxts[k] - rl[k]:.1f}" for k in (3200, 4 * 6400, 16 * 6400)}
    assert search_gain == {3200: "0.1", 4 * 6400: "1.2", 16 * 6400: "2.5"}
    page_shows(TP, f"改用 RMaxTS 是 62.7%，多 {search_gain[16 * 6400]} 个百分点",
               f"只比直接采样多 {search_gain[3200]} 个百分点（55.0% 对 54.9%）",
               f"多 {search_gain[4 * 6400]} 个（59.6% 对 58.4%）", f"次时多 {search_gain[16 * 6400]} 个。")


def test_minif2f_split():
    assert 488 == 2 * 244
    page_shows(TP, "488 道题的形式化陈述", "这 488 道题分成验证集和测试集各 244 道")
