"""Worked numbers of docs/knowledge/multi-agent.md, recomputed from their formulas.

Majority vote of n independent agents, each right with probability p (two possible answers):
the vote is right when more than half are. With probability c every agent gives the same answer
(one agent's, right with probability p); otherwise they are independent. A debate of n agents
over r rounds: round 1 reads the question (Q tokens) and writes L; each later round every agent
reads the question and all n previous answers. The numbers (Q = 200, L = 300) are the page's
own illustration, not a paper's.
"""

from __future__ import annotations

import math

from worked.pages import fmt_int, page, page_shows

PAGE = "knowledge/multi-agent.md"
Q, L = 200, 300


def vote(n: int, p: float) -> float:
    """P(majority right) for n independent agents, n odd."""
    return sum(math.comb(n, k) * p**k * (1 - p) ** (n - k) for k in range((n + 1) // 2, n + 1))


def correlated(n: int, p: float, c: float) -> float:
    return c * p + (1 - c) * vote(n, p)


def pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def test_terms_of_the_three_and_five_agent_votes():
    assert math.isclose(3 * 0.6**2 * 0.4, 0.432) and math.isclose(0.6**3, 0.216)
    assert math.isclose(vote(3, 0.6), 0.648)
    terms = [math.comb(5, k) * 0.6**k * 0.4 ** (5 - k) for k in (3, 4, 5)]
    assert [round(t, 5) for t in terms] == [0.3456, 0.2592, 0.07776]
    assert math.isclose(vote(5, 0.6), 0.68256)
    assert (math.comb(3, 2), math.comb(5, 3), math.comb(5, 4), math.comb(5, 5)) == (3, 10, 5, 1)
    page_shows(PAGE, "$\\binom{3}{2} = 3$", "$\\binom{5}{3} = 10$、$\\binom{5}{4} = 5$、$\\binom{5}{5} = 1$")
    page_shows(PAGE, "$3 \\times 0.6^2 \\times 0.4 = 0.432$", "$0.6^3 = 0.216$", "合计 0.648",
               "$10 \\times 0.6^3 \\times 0.4^2 = 0.3456$", "$5 \\times 0.6^4 \\times 0.4 = 0.2592$",
               "$0.6^5 = 0.07776$", "合计 0.68256")
    low = [math.comb(5, k) * 0.4**k * 0.6 ** (5 - k) for k in (3, 4, 5)]
    assert [round(t, 5) for t in low] == [0.2304, 0.0768, 0.01024]
    assert math.isclose(vote(3, 0.4), 0.352) and math.isclose(vote(5, 0.4), 0.31744)
    page_shows(PAGE, "$10 \\times 0.4^3 \\times 0.6^2 = 0.2304$", "$5 \\times 0.4^4 \\times 0.6 = 0.0768$",
               "$0.4^5 = 0.01024$")
    page_shows(PAGE, "$3 \\times 0.4^2 \\times 0.6 + 0.4^3 = 0.288 + 0.064 = 0.352$",
               "$0.2304 + 0.0768 + 0.01024 = 0.31744$")


def test_vote_table_rows():
    for n in (1, 3, 5):
        page_shows(PAGE, f"| {n} | {pct(vote(n, 0.6))} | {pct(vote(n, 0.4))} |")
    # votes help only above one half
    assert vote(1, 0.6) < vote(3, 0.6) < vote(5, 0.6)
    assert vote(1, 0.4) > vote(3, 0.4) > vote(5, 0.4)


def test_correlated_errors():
    assert math.isclose(correlated(3, 0.6, 0.5), 0.624)
    assert math.isclose(correlated(5, 0.6, 0.5), 0.64128)
    page_shows(PAGE, "$0.5 \\times 0.6 + 0.5 \\times 0.648 = 0.624$", "62.4%",
               "$0.5 \\times 0.6 + 0.5 \\times 0.68256 = 0.64128$", "约 64.1%")
    gain_indep = vote(5, 0.6) - 0.6
    gain_corr = correlated(5, 0.6, 0.5) - 0.6
    assert math.isclose(gain_corr, 0.5 * gain_indep)
    assert f"{100 * gain_indep:.3f}" == "8.256" and f"{100 * gain_corr:.3f}" == "4.128"
    assert math.isclose(8.256 * 0.5, 4.128) and f"{100 * correlated(5, 0.6, 0.5):.3f}" == "64.128"
    page_shows(PAGE, "从 8.256 缩到 $8.256 \\times 0.5 = 4.128$", "$64.128\\% - 60\\%$")
    page_shows(PAGE, f"$68.3\\% - 60\\% = {100 * gain_indep:.1f}$ 个百分点",
               f"约 {100 * gain_corr:.1f} 个百分点")
    assert all(math.isclose(correlated(n, 0.6, 1.0), 0.6) for n in (1, 3, 5, 101))


def debate_tokens(n: int, r: int) -> tuple[int, int]:
    """(input, output) tokens of a debate of n agents over r rounds."""
    inp = n * Q + (r - 1) * n * (Q + n * L)
    assert inp == n * r * Q + (r - 1) * n * n * L  # the page's closed form
    return inp, n * r * L


def test_debate_token_cost():
    page_shows(PAGE, "$Q = 200$、$L = 300$", "所以 $r - 1 = 2$，$n^2$ 分别是 9 和 25", "输出同样是 $nrL$", "200 + 300 = 500 个词元", "$nrQ + (r-1)\\,n^2 L$",
               "nQ + (r-1)\\,n\\,(Q + nL) = nrQ + (r-1)\\,n^2 L")
    for n, r, parts in ((3, 3, (1800, 5400)), (5, 3, (3000, 15000))):
        inp, out = debate_tokens(n, r)
        assert (n * r * Q, (r - 1) * n * n * L) == parts and sum(parts) == inp
        samples = n * r * (Q + L)
        page_shows(PAGE,
                   f"${n} \\times {r} \\times 200 + {r - 1} \\times {n * n} \\times 300 = "
                   f"{fmt_int(parts[0])} + {fmt_int(parts[1])} = {fmt_int(inp)}$",
                   f"${n} \\times {r} \\times 300 = {fmt_int(out)}$",
                   f"合计 {fmt_int(inp + out)} 个词元",
                   f"独立采样 {n * r} 次",
                   f"辩论是它的 {(inp + out) / samples:.1f} 倍"
                   f"（{fmt_int(inp + out)} ÷ {fmt_int(samples)} = {(inp + out) / samples:.1f}）")
    assert 9 * 500 == 4500 and 15 * 500 == 7500
    page_shows(PAGE, "$nr = 9$ 次", "$9 \\times 500 = 4{,}500$", "$15 \\times 500 = 7{,}500$",
               "是独立采样 9 次的 2.2 倍")


def test_chatdev_figures_are_averages():
    # ChatDev v1 (arXiv 2307.07924v1): the abstract's "under seven minutes at a cost of less than one
    # dollar" are averages over the software built for 70 user requirements (Table 1: 409.84 s and
    # $0.2967 on average; read in secondary copies, see the qian2023chatdev provenance)
    avg_seconds, avg_cost = 409.84, 0.2967
    assert avg_seconds < 7 * 60 and avg_cost < 1
    page_shows(PAGE, "这两个数是平均值：正文统计了按 70 条用户需求生成的全部软件")
    assert "它完成一个软件的全过程不到七分钟" not in page(PAGE)
