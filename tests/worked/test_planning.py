"""Worked numbers of docs/knowledge/planning.md, recomputed.

The three-block Blocksworld instance (C on A, A and B on the table; goal A on B on C) is
simulated with the four PlanBench-style operators (pick-up, put-down, stack, unstack), whose
preconditions and add/delete effects the page writes out: the valid 6-step plan, the two
invalid plans, the 18 ground actions, the 22 reachable states, and the numbers of applicable
action sequences of length 1 to 6 and of those reaching the goal are all counted here.
The verifier-in-the-loop model is the page's idealised one: each sample is applicable with
probability p, independently; at most k samples per step; L steps.
The last numbers come from Goebel et al. 2026 (arXiv 2603.06064 abstract: 102 instances,
85.3, 63.7 and 66.7 percent) and from the PlanBench repository's zero-shot o1-preview result
files (github.com/karthikv792/LLMs-Planning, llm_planning_analysis/results/: Blocksworld 487 of
500 plus 100 of 100, Mystery Blocksworld 251 of 500 plus 66 of 100), which reproduce the
97.8 and 52.8 percent that Valmeekam et al. 2024 report for o1-preview.
"""

from __future__ import annotations

from collections import Counter
from itertools import permutations

from worked.pages import page_shows

PAGE = "knowledge/planning.md"
BLOCKS = "ABC"


def ground_actions():
    acts = [("pick-up", x) for x in BLOCKS] + [("put-down", x) for x in BLOCKS]
    acts += [("stack", x, y) for x, y in permutations(BLOCKS, 2)]
    acts += [("unstack", x, y) for x, y in permutations(BLOCKS, 2)]
    return acts


def schema(a):
    """(pre, add, delete) of a ground action."""
    kind = a[0]
    if kind == "pick-up":
        x = a[1]
        pre = {("clear", x), ("ontable", x), ("handempty",)}
        return pre, {("holding", x)}, pre
    if kind == "put-down":
        x = a[1]
        return {("holding", x)}, {("ontable", x), ("clear", x), ("handempty",)}, {("holding", x)}
    x, y = a[1], a[2]
    if kind == "stack":
        pre = {("holding", x), ("clear", y)}
        return pre, {("on", x, y), ("clear", x), ("handempty",)}, pre
    pre = {("on", x, y), ("clear", x), ("handempty",)}
    return pre, {("holding", x), ("clear", y)}, pre


S0 = frozenset({("on", "C", "A"), ("ontable", "A"), ("ontable", "B"),
                ("clear", "C"), ("clear", "B"), ("handempty",)})
GOAL = {("on", "A", "B"), ("on", "B", "C")}
ACTIONS = ground_actions()


def applicable(s):
    return [a for a in ACTIONS if schema(a)[0] <= s]


def apply(s, a):
    pre, add, delete = schema(a)
    assert pre <= s, a
    return frozenset((s - delete) | add)


def run(plan):
    """Index (1-based) of the first step whose precondition fails, or None; and the end state."""
    s = S0
    for t, a in enumerate(plan, start=1):
        if not schema(a)[0] <= s:
            return t, s
        s = apply(s, a)
    return None, s


def test_valid_and_invalid_plans():
    valid = [("unstack", "C", "A"), ("put-down", "C"), ("pick-up", "B"),
             ("stack", "B", "C"), ("pick-up", "A"), ("stack", "A", "B")]
    fail, end = run(valid)
    assert fail is None and GOAL <= end and len(valid) == 6
    assert run([("pick-up", "A")])[0] == 1
    greedy = [("unstack", "C", "A"), ("put-down", "C"), ("pick-up", "A"),
              ("stack", "A", "B"), ("pick-up", "B")]
    assert run(greedy)[0] == 5
    # Taking A off B again (unstack, put-down) returns to the state after step 2: steps 3 and 4
    # were wasted, and the goal is as far away after step 4 as at the start.
    s2, s4 = run(greedy[:2])[1], run(greedy[:4])[1]
    undo = [("unstack", "A", "B"), ("put-down", "A")]
    assert run(greedy[:4] + undo)[1] == s2
    dist = distances_to_goal()
    assert (dist[S0], dist[s2], dist[s4]) == (6, 4, 6)
    page_shows(PAGE, "一个有效计划有 6 步", "这个计划在第 5 步失败", "只能把 A 再取下来",
               "前 4 步里有 2 步白做")


def reachable():
    seen, frontier = {S0}, [S0]
    while frontier:
        nxt = []
        for s in frontier:
            for a in applicable(s):
                t = apply(s, a)
                if t not in seen:
                    seen.add(t)
                    nxt.append(t)
        frontier = nxt
    return seen


def distances_to_goal():
    """Fewest actions from every reachable state to one where the goal holds."""
    states = reachable()
    dist = {s: 0 for s in states if GOAL <= s}
    changed = True
    while changed:
        changed = False
        for s in states:
            best = min((dist[apply(s, a)] + 1 for a in applicable(s) if apply(s, a) in dist),
                       default=None)
            if best is not None and best < dist.get(s, best + 1):
                dist[s] = best
                changed = True
    return dist


def test_sussman_anomaly():
    """Reaching either subgoal first by a shortest route leaves a state from which the whole goal
    cannot be reached without undoing that subgoal: whichever order is taken, a step goes back."""
    layers, frontier, seen = [[S0]], [S0], {S0}
    while frontier:
        frontier = [t for s in frontier for t in (apply(s, a) for a in applicable(s))
                    if t not in seen and not seen.add(t)]
        layers.append(frontier)
    depth = {g: next(i for i, layer in enumerate(layers) if any(g in s for s in layer)) for g in GOAL}
    assert depth == {("on", "A", "B"): 4, ("on", "B", "C"): 2}
    for g in GOAL:
        first = layers[depth[g]]
        for s in (s for s in first if g in s):
            kept, stack = {s}, [s]   # states reachable from s while g stays true
            while stack:
                u = stack.pop()
                for a in applicable(u):
                    t = apply(u, a)
                    if g in t and t not in kept:
                        kept.add(t)
                        stack.append(t)
            assert not any(GOAL <= t for t in kept), g
    page_shows(PAGE, "Sussman 异常", "按任何一个顺序贪心地逐个完成都会走回头路")


def _fmt(facts):
    return "、".join(f[0] if len(f) == 1 else f"{f[0]}({','.join(f[1:])})" for f in facts)


def test_table_lists_every_change():
    """Each row of the page's table lists exactly the facts that become true and false."""
    valid = [("unstack", "C", "A"), ("put-down", "C"), ("pick-up", "B"),
             ("stack", "B", "C"), ("pick-up", "A"), ("stack", "A", "B")]
    shown = [  # (became true, became false) in the order the page writes them
        ([("holding", "C"), ("clear", "A")], [("on", "C", "A"), ("clear", "C"), ("handempty",)]),
        ([("ontable", "C"), ("clear", "C"), ("handempty",)], [("holding", "C")]),
        ([("holding", "B")], [("clear", "B"), ("ontable", "B"), ("handempty",)]),
        ([("on", "B", "C"), ("clear", "B"), ("handempty",)], [("holding", "B"), ("clear", "C")]),
        ([("holding", "A")], [("clear", "A"), ("ontable", "A"), ("handempty",)]),
        ([("on", "A", "B"), ("clear", "A"), ("handempty",)], [("holding", "A"), ("clear", "B")]),
    ]
    s, rows = S0, []
    for a, (true_, false_) in zip(valid, shown):
        t = apply(s, a)
        assert set(true_) == t - s and set(false_) == s - t, a
        rows.append(f"真：{_fmt(true_)} ／ 假：{_fmt(false_)}")
        s = t
    page_shows(PAGE, *rows)


def test_sequence_counts():
    assert len(ACTIONS) == 3 + 3 + 3 * 2 + 3 * 2 == 18
    assert 18 ** 6 == 34_012_224
    assert sorted(a[0] + str(a[1:]) for a in applicable(S0)) == [
        "pick-up('B',)", "unstack('C', 'A')"]
    seen = reachable()
    assert len(seen) == 22
    assert set(len(applicable(s)) for s in seen) == {1, 2, 3}
    counts, totals, goals = {S0: 1}, [], []
    for _ in range(6):
        new = Counter()
        for s, c in counts.items():
            for a in applicable(s):
                new[apply(s, a)] += c
        counts = new
        totals.append(sum(counts.values()))
        goals.append(sum(c for s, c in counts.items() if GOAL <= s))
    assert totals == [2, 5, 10, 26, 54, 142]
    assert goals == [0, 0, 0, 0, 0, 1]
    ratios = [b / a for a, b in zip(totals, totals[1:])]
    assert round(min(ratios), 1) == 2.0 and round(max(ratios), 1) == 2.6
    page_shows(PAGE, "3 + 3 + 3 \\times 2 + 3 \\times 2 = 18", "18^6 = 34{,}012{,}224",
               "只有 2 个动作可以执行", "分别有 2、5、10、26、54、142 条",
               "142 条长度为 6 的合法序列里，只有 1 条达成目标", "共有 22 个可到达的状态",
               "有 1 到 3 个动作可以执行", "约变为上一步的 2 到 2.6 倍")


def test_verifier_in_the_loop():
    p, k, n_steps = 0.6, 4, 6
    one_shot = p ** n_steps
    assert abs(one_shot - 0.046656) < 1e-12
    per_step = 1 - (1 - p) ** k
    assert abs(per_step - 0.9744) < 1e-12
    assert round(per_step ** n_steps, 3) == 0.856
    assert k * n_steps == 24
    expected = sum((1 - p) ** i for i in range(k))
    assert abs(expected - per_step / p) < 1e-12 and round(expected, 3) == 1.624
    assert round(n_steps * expected, 3) == 9.744
    assert round(1 / one_shot, 1) == 21.4 and round(n_steps / one_shot, 1) == 128.6
    # generated actions differ by an order of magnitude, model calls only by about two
    assert 10 <= (n_steps / one_shot) / (n_steps * expected) < 20
    assert 2 < (1 / one_shot) / (n_steps * expected) < 3
    # stopping after a failed step can only lower the count: 9.744 is an upper bound
    reach = sum(per_step ** t for t in range(n_steps))
    assert expected * reach < n_steps * expected
    page_shows(PAGE, "0.6^6 = 0.046656 \\approx 4.7\\%", "1 - 0.4^4 = 1 - 0.0256 = 0.9744",
               "0.9744^6 \\approx 0.856", "即约 85.6%", "k \\times L = 4 \\times 6 = 24",
               "\\frac{0.9744}{0.6} = 1.624", "6 \\times 1.624 = 9.744",
               "1 / 0.046656 \\approx 21.4", "共约 128.6 个动作",
               "约 9.7 个对约 128.6 个，相差一个数量级", "约 9.7 次对约 21.4 次，只差两倍多",
               "所以 9.744 是上限")


def test_percentages_as_counts():
    n = 102
    for solved, shown in ((87, 85.3), (65, 63.7), (68, 66.7)):
        assert round(100 * solved / n, 1) == shown
    assert 68 - 65 == 3
    page_shows(PAGE, "87 / 102 \\approx 85.3\\%", "65 / 102 \\approx 63.7\\%",
               "68 / 102 \\approx 66.7\\%", "102 题里多解出 3 题")


def test_o1_preview_counts():
    """600 instances each (500 in blocksworld/ plus 100 in blocksworld_3/, same for mystery)."""
    n = 500 + 100
    solved = {"Blocksworld": 487 + 100, "Mystery Blocksworld": 251 + 66}
    shown = {"Blocksworld": 97.8, "Mystery Blocksworld": 52.8}
    for name, k in solved.items():
        assert round(100 * k / n, 1) == shown[name], name
    page_shows(PAGE, "各有 600 题", "o1-preview 分别解出 97.8% 和 52.8%")
