"""Worked numbers of docs/knowledge/reasoning-rl.md (GRPO on a group of six answers), recomputed.

The page works one group through: group-normalised advantages, the clipped surrogate for one
token of a right and of a wrong answer, and the k3 KL estimate; each value is redone here.
"""

import math
from statistics import mean, pstdev

from worked.pages import page_shows

PAGE = "knowledge/reasoning-rl.md"
REWARDS = [1, 0, 0, 1, 0, 0]
EPS = 0.2
BETA = 0.04


def r(x: float, nd: int) -> str:
    return f"{x:.{nd}f}"


def advantages():
    m, sd = mean(REWARDS), pstdev(REWARDS)  # population std (divide by G), as the page says
    return m, sd, [(x - m) / sd for x in REWARDS]


def surrogate(ratio: float, adv: float) -> tuple[float, float, float]:
    clipped = min(max(ratio, 1 - EPS), 1 + EPS)
    return ratio * adv, clipped * adv, min(ratio * adv, clipped * adv)


def test_group_advantages():
    m, sd, adv = advantages()
    assert abs(sd - math.sqrt(m * (1 - m))) < 1e-12  # 0/1 rewards: std = sqrt(p(1-p))
    assert abs(sum(adv)) < 1e-12
    # the variance worked term by term: two answers 2/3 above the mean, four 1/3 below
    var = (2 * (2 / 3) ** 2 + 4 * (1 / 3) ** 2) / 6
    assert abs(var - 2 / 9) < 1e-12 and abs(var - sd ** 2) < 1e-12 and abs(m * (1 - m) - 2 / 9) < 1e-12
    page_shows(PAGE, "各比均值高 $2/3$", "各比均值低 $1/3$",
               "[2 \\times (2/3)^2 + 4 \\times (1/3)^2] / 6 = (8/9 + 4/9)/6 = 2/9",
               "\\tfrac{1}{3} \\times \\tfrac{2}{3} = 2/9")
    page_shows(PAGE, "G = 6", "r = (1, 0, 0, 1, 0, 0)", r(m, 3), "\\sqrt{2/9} \\approx " + r(sd, 3),
               r(adv[0], 3), r(adv[1], 3), "2 \\times 1.414 - 4 \\times 0.707 = 0")
    # the advantages are worked from exact fractions (std = sqrt(2)/3), so the shown steps give
    # the shown value; rounding first, 0.667/0.471, would give 1.416
    assert abs(sd - math.sqrt(2) / 3) < 1e-12
    assert abs(adv[0] - math.sqrt(2)) < 1e-12 and abs(adv[1] + 1 / math.sqrt(2)) < 1e-12
    page_shows(PAGE, "\\sqrt{2/9}$ 就是 $\\sqrt{2}/3",
               "(1 - 1/3)/(\\sqrt{2}/3) = (2/3)/(\\sqrt{2}/3) = \\sqrt{2} \\approx " + r(adv[0], 3),
               "(0 - 1/3)/(\\sqrt{2}/3) = -1/\\sqrt{2} \\approx " + r(adv[1], 3))


def test_lower_success_rate_not_fewer_successes_gives_larger_advantage():
    # the reasoning page's group has 2 right of 4, this page's 2 right of 6: the same number of
    # right answers, a lower share; with 0/1 rewards and the population std a right answer's
    # advantage is sqrt((1 - p)/p), which grows as the share p falls
    four = [1, 0, 0, 1]
    _, _, adv = advantages()
    adv_four = (1 - mean(four)) / pstdev(four)
    assert sum(four) == sum(REWARDS) == 2
    assert abs(adv_four - 1) < 1e-12 and adv[0] > adv_four
    for p in (mean(four), mean(REWARDS)):
        assert abs((1 - p) / math.sqrt(p * (1 - p)) - math.sqrt((1 - p) / p)) < 1e-12
    page_shows(PAGE, "两个例子都是两个回答答对，但这里答对的比例更低（2/6，那里是 2/4）",
               "那里是 $+1$，这里是 $\\sqrt{2} \\approx " + r(adv[0], 3) + "$（都按总体标准差）")


def test_clipped_ratio_right_and_wrong_answer():
    _, _, adv = advantages()
    rho = 0.65 / 0.50
    unclipped, clipped, chosen = surrogate(rho, adv[0])
    assert chosen == clipped  # above 1 + eps with a positive advantage: the clip binds
    page_shows(PAGE, f"\\rho = 0.65/0.50 = {rho:.2f}", r(unclipped, 3), r(clipped, 3),
               "1.30 \\times 1.414 \\approx " + r(unclipped, 3), "1.2 \\times 1.414 \\approx " + r(clipped, 3),
               "取较小者 " + r(chosen, 3))
    rho2 = 0.30 / 0.40
    unclipped2, clipped2, chosen2 = surrogate(rho2, adv[1])
    assert chosen2 == clipped2  # below 1 - eps with a negative advantage: the clip binds too
    page_shows(PAGE, f"\\rho = {rho2:.2f}", r(unclipped2, 3), r(clipped2, 3),
               "取较小者 $" + r(chosen2, 3) + "$")


def test_k3_kl_and_token_objective():
    _, _, adv = advantages()
    x = 0.55 / 0.65
    k3 = x - math.log(x) - 1
    assert k3 >= 0
    ell = surrogate(0.65 / 0.50, adv[0])[2] - BETA * k3
    page_shows(PAGE, r(x, 3), r(-math.log(x), 3), "1 \\approx " + r(k3, 4), f"\\beta = {BETA}", r(ell, 4))
    # the token objective as the page writes it: the clipped term minus beta * k3
    page_shows(PAGE, f"\\ell = {r(ell + BETA * k3, 3)} - {BETA} \\times {r(k3, 4)} \\approx {r(ell, 4)}")


def test_clip_room_for_rare_and_likely_tokens():
    # the ceiling is a ratio, so a rare token gains at most eps of its own small probability
    rare, likely = 0.01 * (1 + EPS), 0.9 * (1 + EPS)
    assert likely > 1  # a likely token's ceiling lies above any probability: no bound at all
    page_shows(PAGE, "0.01 \\times 1.2 = " + r(rare, 3), "0.9 \\times 1.2 = " + r(likely, 2))


def test_all_right_or_all_wrong_group_gives_no_signal():
    for rewards in ([1] * 6, [0] * 6):
        assert all(x - mean(rewards) == 0 for x in rewards)
    # with a zero advantage the clipped term is 0 whatever the ratio, so it has no gradient;
    # the KL term does not involve the advantage and is not 0 once the policy leaves the
    # reference (the page's token: x = 0.55/0.65), so only the KL term still acts
    assert all(surrogate(rho, 0.0)[2] == 0 for rho in (0.5, 0.75, 1.0, 1.3, 2.0))
    x = 0.55 / 0.65
    assert x - math.log(x) - 1 > 0
    page_shows(PAGE, "六个回答全对或全错，每个 $r_i - \\bar r$ 都是 0",
               "含优势的截断项对梯度毫无贡献，只剩 KL 项")


def test_advantages_without_the_std_division():
    # Olmo 3 keeps r_i - mean only; dividing by the std scales a group by 1/std, which grows as
    # the group gets lopsided (one right of six, or five), so near-hopeless or near-solved
    # questions would get the larger advantages
    m, sd, _ = advantages()
    raw = [x - m for x in REWARDS]
    lopsided = [1, 0, 0, 0, 0, 0]
    sd_one = pstdev(lopsided)
    assert sd_one == pstdev([1 - x for x in lopsided])  # five right of six: the same std
    assert 1 / sd_one > 1 / sd > 1 / pstdev([1, 1, 1, 0, 0, 0])
    page_shows(PAGE, "1 - 1/3 \\approx " + r(raw[0], 3), "-1/3 \\approx " + r(raw[1], 3),
               "1/0.471 \\approx " + r(1 / sd, 2), "\\sqrt{5/36} \\approx " + r(sd_one, 3),
               "放大倍数升到 $1/0.373 \\approx " + r(1 / sd_one, 2),
               "\\tfrac{1}{6} \\times \\tfrac{5}{6} = 5/36", "\\tfrac{5}{6} \\times \\tfrac{1}{6} = 5/36")
    assert abs(sd_one - math.sqrt(5 / 36)) < 1e-12


def test_one_success_in_six_nearly_saturates_large_k():
    # The page's plug-in illustration of why one observed success already saturates pass@k for
    # large k: estimate the per-sample success rate as 1/6 and let k independent samples try.
    miss = 5 / 6
    pass32, gap256 = 1 - miss**32, miss**256
    assert pass32 > 0.99 and gap256 < 1e-20
    mantissa, exponent = f"{gap256:.1e}".split("e")
    assert r(miss**32, 4) == "0.0029"
    page_shows(PAGE, "(5/6)^{32} \\approx " + r(miss**32, 4), "1 - (5/6)^{32} \\approx " + r(pass32, 3),
               f"{mantissa} \\times 10^{{{int(exponent)}}}")


def test_olmo3_inflight_weight_update_speedup():
    # Olmo 3 (arXiv v2 text, section 4.4.3, Table 23): tokens per second 1,358 -> 2,949 when the
    # inference engine loads new weights without stopping; the text says "up to 4x".
    ratio = 2949 / 1358
    assert round(ratio, 1) == 2.2
    page_shows("knowledge/reasoning-rl.md", "最多提高到原来的 4 倍", "从 1,358 升到 2,949",
               f"$2{{,}}949 \\div 1{{,}}358 \\approx {ratio:.1f}$")

