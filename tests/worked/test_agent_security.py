"""Worked numbers of knowledge/agent-security.md (prompt injection and agent security), recomputed.

The page's two examples are illustrative, and the page says so. The first compounds a per-call
hijack probability p over k tool calls that read injected content, assuming independence:
P_k = 1 - (1 - p)^k, and inverts it for the largest p that keeps 20 calls at or below 5%.
The second turns made-up completion counts into AgentDojo-style metrics over the benchmark's
real sizes (97 user tasks, 629 security test cases, from its abstract): benign utility,
utility under attack and targeted attack success rate, with and without a hypothetical defense.
"""

import math

from worked.pages import page_shows

PAGE = "knowledge/agent-security.md"

P = 0.05
USER_TASKS, SECURITY_CASES = 97, 629


def at_least_once(p: float, k: int) -> float:
    return 1 - (1 - p) ** k


def pct(x: float, digits: int = 1) -> str:
    return f"{100 * x:.{digits}f}%"


def test_the_formula_and_inputs_are_on_the_page():
    page_shows(PAGE, r"P_k = 1 - (1 - p)^k", r"$p = 0.05$", "各次之间相互独立",
               r"即 $(1 - p)^k$", r"$1 - p = 0.95$")


def test_compounding_over_tool_calls():
    assert math.isclose(at_least_once(P, 1), 0.05)
    assert f"{0.95 ** 10:.4f}" == "0.5987" and f"{at_least_once(P, 10):.4f}" == "0.4013"
    assert f"{0.95 ** 20:.4f}" == "0.3585" and f"{at_least_once(P, 20):.4f}" == "0.6415"
    page_shows(PAGE, r"$0.95^{10} \approx 0.5987$", r"1 - 0.5987 = 0.4013", "约 40.1%",
               r"$0.95^{20} \approx 0.3585$", r"1 - 0.3585 = 0.6415", "约 64.2%")
    assert pct(at_least_once(P, 10)) == "40.1%" and pct(at_least_once(P, 20)) == "64.2%"


def test_the_per_call_budget_for_twenty_calls():
    p_max = 1 - 0.95 ** (1 / 20)
    assert math.isclose(at_least_once(p_max, 20), 0.05)
    assert f"{p_max:.5f}" == "0.00256" and pct(p_max, 2) == "0.26%"
    # the steps: (1 - p)^20 >= 0.95, then the 20th root of both sides
    assert f"{0.95 ** (1 / 20):.5f}" == "0.99744"
    assert f"{0.05 / 0.00256:.1f}" == "19.5" and round(0.05 / p_max) == 20
    page_shows(PAGE, r"$(1 - p)^{20} \ge 0.95$", r"$1 - p \ge 0.95^{1/20} \approx 0.99744$",
               r"1 - 0.95^{1/20} \approx 0.00256", "约 0.26%",
               "约为 5% 的二十分之一", r"$0.05 \div 0.00256 \approx 19.5$")


def test_metrics_from_counts():
    benign, utility_attack, asr = 68 / USER_TASKS, 390 / SECURITY_CASES, 120 / SECURITY_CASES
    assert pct(benign) == "70.1%" and pct(utility_attack) == "62.0%" and pct(asr) == "19.1%"
    assert f"{70.1 - 62.0:.1f}" == "8.1"
    page_shows(PAGE, "97 个用户任务和 629 个安全测试用例",
               r"$68 \div 97 \approx 70.1\%$", r"$390 \div 629 \approx 62.0\%$",
               r"$120 \div 629 \approx 19.1\%$", r"$70.1 - 62.0 = 8.1$")


def test_a_defense_trades_utility_for_security():
    asr, utility = 6 / SECURITY_CASES, 320 / SECURITY_CASES
    assert pct(asr, 2) == "0.95%" and pct(utility) == "50.9%"
    assert round((120 / SECURITY_CASES) / asr) == 20 and 120 / 6 == 20 and 390 - 320 == 70
    page_shows(PAGE, r"$6 \div 629 \approx 0.95\%$", r"$320 \div 629 \approx 50.9\%$",
               "从 19.1% 降到 0.95%", "约二十分之一", r"$120 \div 6 = 20$",
               r"少完成了 $390 - 320 = 70$ 个")


# CaMeL's Table 2 (arXiv 2503.18813v2, Appendix B; the same table is printed by analysis.ipynb in
# github.com/google-research/camel-prompt-injection at f083b6b): overall AgentDojo utility without
# attack, native tool calling API versus CaMeL, in percent.
CAMEL_TABLE2 = {
    "Claude 4 Sonnet": (86.6, 74.2),
    "Claude 4 Sonnet (reasoning)": (83.5, 70.1),
    "Gemini 2.5 Flash": (55.7, 35.1),
    "Gemini 2.5 Pro": (73.2, 41.2),
    "o3 High": (84.5, 77.3),
    "o4 Mini High": (79.4, 76.3),
}


def test_camel_costs_seven_points_of_utility():
    """CaMeL's AgentDojo task rates as the abstract reports them (77% defended, 84% undefended)."""
    assert 84 - 77 == 7
    page_shows(PAGE, "77% 的任务", "不加防御时是 84%", "$84 - 77 = 7$")


def test_the_abstract_pair_is_one_model_and_others_pay_more():
    # the only row whose rounded pair is the abstract's 84% / 77%
    rows = [m for m, (native, camel) in CAMEL_TABLE2.items() if (round(native), round(camel)) == (84, 77)]
    assert rows == ["o3 High"]
    # o3 High is also the setting with the highest utility under CaMeL
    assert max(CAMEL_TABLE2, key=lambda m: CAMEL_TABLE2[m][1]) == "o3 High"
    assert len(CAMEL_TABLE2) == 6
    costs = {m: round(native - camel, 1) for m, (native, camel) in CAMEL_TABLE2.items()}
    assert costs["Gemini 2.5 Pro"] == 32.0 and f"{73.2 - 41.2:.1f}" == "32.0"
    assert min(costs.values()) == 3.1 and max(costs.values()) == 32.0
    assert sum(c > 10 for c in costs.values()) == 4
    page_shows(PAGE, "六种模型设置", "推理强度设为高的 o3", "加上 CaMeL 完成 77.3%，不加防御时 84.5%",
               "完成任务最多的一种", "不加防御时完成 73.2% 的任务，加上 CaMeL 只有 41.2%",
               r"$73.2 - 41.2 = 32.0$", "从 3.1 到 32.0 个百分点不等", "其中四种超过 10 个百分点")
