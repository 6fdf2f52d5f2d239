"""Worked numbers of docs/text/role-play.md, recomputed from their formulas.

Both examples use illustrative values the page marks as such (no paper's numbers): a
constant per-turn probability q of breaking character, independent across turns, and a
context budget of 8,192 (or 32,768) tokens shared by a 1,200-token profile, 300 tokens of
rules, 600 tokens reserved for the reply and 200 tokens per round of dialogue.
"""

from __future__ import annotations

import math

from worked.pages import fmt_int, page_shows

RP = "text/role-play.md"


def at_least_one_break(q: float, n: int) -> float:
    """P(n) = 1 - (1 - q)^n."""
    return 1 - (1 - q) ** n


def first_turn_past_half(q: float) -> int:
    """The smallest n with P(n) > 0.5, found by counting rather than by the closed form."""
    n = 1
    while at_least_one_break(q, n) <= 0.5:
        n += 1
    return n


def pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def test_break_probability_after_20_and_100_turns():
    q = 0.01
    assert f"{0.99 ** 20:.4f}" == "0.8179"
    assert f"{at_least_one_break(q, 20):.4f}" == "0.1821"
    assert f"{0.99 ** 100:.4f}" == "0.3660"
    assert f"{at_least_one_break(q, 100):.4f}" == "0.6340"
    page_shows(RP, r"P(20) = 1 - 0.99^{20} = 1 - 0.8179 = 0.1821", "约 18.2%",
               r"P(100) = 1 - 0.99^{100} = 1 - 0.3660 = 0.6340", "约 63.4%")


def test_the_turn_at_which_a_break_becomes_more_likely_than_not():
    q = 0.01
    bound = math.log(0.5) / math.log(1 - q)
    assert f"{math.log(0.5):.4f}" == "-0.6931" and f"{math.log(0.99):.5f}" == "-0.01005"
    assert f"{bound:.2f}" == "68.97"
    assert first_turn_past_half(q) == math.ceil(bound) == 69
    assert pct(at_least_one_break(q, 68)) == "49.5%"
    assert pct(at_least_one_break(q, 69)) == "50.0%"
    assert f"{at_least_one_break(q, 69):.5f}" == "0.50016"
    # the checking step: 0.99^68 and 0.99^69 straddle one half
    assert f"{0.99 ** 68:.4f}" == "0.5049" and f"{0.99 ** 69:.5f}" == "0.49984"
    page_shows(RP, r"\ln 0.5 / \ln 0.99 = -0.6931 / -0.01005 = 68.97", "大于 68.97 的最小整数是 69",
               "第 69 轮", r"$0.99^{68} = 0.5049$", r"$0.99^{69} = 0.49984$",
               "$P(68) = 49.5\\%$", "$P(69) = 50.0\\%$", "精确值 0.50016")


def test_the_table_of_turns():
    rows = ((0.005, "0.5%", "138.28", 139), (0.01, "1%", "68.97", 69),
            (0.02, "2%", "34.31", 35), (0.05, "5%", "13.51", 14))
    for q, label, bound, n in rows:
        exact = math.log(0.5) / math.log(1 - q)
        assert f"{exact:.2f}" == bound
        assert first_turn_past_half(q) == math.ceil(exact) == n
        page_shows(RP, f"| {label} | {bound} | {n} |")


def test_the_ln2_over_q_rule():
    assert f"{math.log(2):.3f}" == "0.693"
    assert f"{math.log(2) / 0.01:.1f}" == "69.3"
    exact = math.log(0.5) / math.log(0.99)
    # the estimate overshoots: -ln(1 - q) > q, so ln2/q > ln2/(-ln(1 - q))
    assert math.log(2) / 0.01 > exact and f"{exact:.2f}" == "68.97"
    assert math.ceil(math.log(2) / 0.01) == 70 != first_turn_past_half(0.01)
    # halving q from 1% to 0.5% roughly doubles the turn count (69 -> 139)
    assert first_turn_past_half(0.005) == 139 and first_turn_past_half(0.01) == 69
    page_shows(RP, r"-\ln 2 / (-q) = \ln 2 / q \approx 0.693 / q", r"$0.693 / 0.01 = 69.3$",
               "比精确值 68.97 略大", "轮数从 69 变成 139")


def test_context_budget():
    window, profile, rules, reply, per_round = 8192, 1200, 300, 600, 200
    persona = profile + rules
    history = window - persona - reply
    assert persona == 1500 and history == 6092
    rounds = history // per_round
    assert rounds == 30
    assert f"{history / per_round:.2f}" == "30.46"
    assert 31 * per_round == 6200 > history
    # the page counts round t as t whole rounds (t - 1 rounds of history plus the current one),
    # so the first round whose dialogue no longer fits is the smallest t with t * 200 > 6,092
    first_overflow = next(t for t in range(1, 100) if t * per_round > history)
    assert first_overflow == rounds + 1 == 31
    big = (32768 - (persona + reply)) // per_round
    assert persona + reply == 2100 and big == 153
    assert 32768 - 2100 == 30668 and f"{30668 / per_round:.2f}" == "153.34"
    page_shows(RP, fmt_int(window), f"{fmt_int(profile)} 个词元", f"合计 {fmt_int(persona)}",
               f"预留 {reply} 个词元", f"平均 {per_round} 个词元",
               r"$8{,}192 - 1{,}500 - 600 = 6{,}092$",
               r"$6{,}092 / 200 = 30.46$", r"$\lfloor 6{,}092 / 200 \rfloor = 30$",
               "对话按 $t$ 个整轮计算", r"$31 \times 200 = 6{,}200$", "第 31 轮", r"$1{,}500 + 600 = 2{,}100$",
               r"$(32{,}768 - 2{,}100) / 200 = 30{,}668 / 200 = 153.34$",
               r"$\lfloor (32{,}768 - 2{,}100) / 200 \rfloor = 153$")


def test_persona_share_of_the_input():
    persona, per_round = 1500, 200
    first = persona / (persona + per_round)
    at_30 = persona / (persona + 30 * per_round)
    assert pct(first) == "88.2%" and pct(at_30) == "20.0%"
    assert 30 * per_round == 6000 and persona + 30 * per_round == 7500
    page_shows(RP, r"$1{,}500 / (1{,}500 + 200) = 88.2\%$", "对话按 30 轮计", r"$30 \times 200 = 6{,}000$",
               r"$1{,}500 + 6{,}000 = 7{,}500$", r"$1{,}500 / 7{,}500 = 20.0\%$")
