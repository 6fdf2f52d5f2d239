"""Worked numbers of docs/multimodal/world-models.md, recomputed from their formulas.

The compounding-error numbers are pure arithmetic: p ** H for a per-step success rate p, and
the bound e_H <= eps * (1 + L + ... + L ** (H - 1)) of the recursion e_{t+1} <= L e_t + eps.
The Dreamer numbers are the defaults of the official DreamerV3 code (github.com/danijar/dreamerv3,
dreamerv3/configs.yaml: batch_size 16, batch_length 64, imag_length 15, run.train_ratio 32,
crafter 512; embodied/run/train.py trains train_ratio / (batch_size * batch_length) times per
environment step; agent.py starts imagination from every replayed state). The Genie numbers are
the paper's Platformers dataset (6.8M clips of 16 s at 10 FPS, "30k hours").
Each test asserts the page shows what it computed.
"""

from __future__ import annotations

import math

from worked.pages import fmt_int, page_shows

WM = "multimodal/world-models.md"

P = 0.99  # per-step probability that a prediction is good enough
EPS = 0.01  # error added per step
HORIZONS = (10, 100, 1000)


def drift_bound(lipschitz: float, steps: int, eps: float = EPS) -> float:
    """Unrolled e_{t+1} <= L e_t + eps from e_0 = 0: eps times the geometric sum of L."""
    return eps * sum(lipschitz**k for k in range(steps))


def test_all_steps_right():
    assert f"{P**10:.3f}" == "0.904"
    assert f"{P**100:.3f}" == "0.366"
    mantissa, exponent = f"{P**1000:.2e}".split("e")
    assert (mantissa, int(exponent)) == ("4.32", -5)
    page_shows(WM, "| 10 | 0.904 |", "| 100 | 0.366 |", r"| 1000 | $4.32 \times 10^{-5}$ |")
    # "about one in twenty-three thousand"
    assert round(1 / P**1000, -3) == 23_000
    assert round(1 / 4.32e-5, -3) == 23_000  # redone from the shown value
    page_shows(WM, "1 ÷ (4.32 × 10⁻⁵) ≈ 23,000，约两万三千次里才有一次")


def test_drift_bound_table():
    rows = {
        10: ("0.1", "0.105"),
        100: ("1", "1.70"),
        1000: ("10", fmt_int(round(drift_bound(1.01, 1000)))),
    }
    for steps, (flat, grown) in rows.items():
        assert math.isclose(drift_bound(1.0, steps), steps * EPS)
        assert f"{drift_bound(1.0, steps):g}" == flat
        page_shows(WM, f"| {steps} | {flat} | {grown} |")
    assert f"{drift_bound(1.01, 10):.3f}" == "0.105"
    assert f"{drift_bound(1.01, 100):.2f}" == "1.70"
    assert fmt_int(round(drift_bound(1.01, 1000))) == "20,958"
    # the closed form the page uses for L > 1
    for steps in HORIZONS:
        closed = EPS * (1.01**steps - 1) / (1.01 - 1)
        assert math.isclose(closed, drift_bound(1.01, steps), rel_tol=1e-9)


def test_the_unrolled_recursion():
    """The first three steps of e_{t+1} <= L e_t + eps from e_0 = 0, checked for one L."""
    lip = 1.01
    e1 = lip * 0 + EPS
    e2 = lip * e1 + EPS
    e3 = lip * e2 + EPS
    assert math.isclose(e1, EPS)
    assert math.isclose(e2, EPS * (1 + lip))
    assert math.isclose(e3, EPS * (1 + lip + lip**2))
    assert math.isclose(e3, drift_bound(lip, 3))
    page_shows(WM, r"$e_1 \le L \cdot 0 + \varepsilon = \varepsilon$",
               r"$e_2 \le L e_1 + \varepsilon \le \varepsilon (1 + L)$",
               r"$e_3 \le L e_2 + \varepsilon \le \varepsilon (1 + L + L^2)$",
               r"括号里等于 $(L^H - 1)/(L - 1)$")


def test_the_hand_steps_for_l_1_01():
    assert math.isclose(EPS / (1.01 - 1), 1.0)
    page_shows(WM, r"$\varepsilon / (L - 1) = 0.01 / 0.01 = 1$", r"上界就是 $1.01^H - 1$",
               r"第二列是 $H \times 0.01$")
    assert f"{1.01**10:.3f}" == "1.105" and f"{1.01**10 - 1:.3f}" == "0.105"
    assert f"{1.01**100:.3f}" == "2.705" and f"{1.01**100 - 1:.2f}" == "1.70"
    assert fmt_int(round(1.01**1000)) == "20,959" and fmt_int(round(1.01**1000 - 1)) == "20,958"
    page_shows(WM, r"$1.01^{10} \approx 1.105$，减 1 得 0.105",
               r"$1.01^{100} \approx 2.705$，减 1 得 1.70",
               r"$1.01^{1000}$ 约为 20,959，减 1 得 20,958")


def test_dreamer_imagined_steps():
    batch, length, horizon, ratio = 16, 64, 15, 32
    starts = batch * length
    assert starts == 1024
    per_update = starts * horizon
    assert per_update == 15_360
    every = starts // ratio
    assert every == 32 and starts % ratio == 0
    per_env_step = per_update // every
    assert per_env_step == ratio * horizon == 480
    page_shows(WM, f"16 × 64 = {fmt_int(starts)}", "$H = 15$", "默认为 32",
               f"{fmt_int(starts)} × 15 = {fmt_int(per_update)}",
               f"{fmt_int(starts)} ÷ 32 = 32 个环境步", f"{fmt_int(per_update)} ÷ 32 = 480",
               "32 × 15 = 480", "平均在模型里走 480 步")
    crafter = 512
    assert crafter * horizon == 7_680 and starts // crafter == 2
    page_shows(WM, f"512 × 15 = {fmt_int(crafter * horizon)}", f"{fmt_int(starts)} ÷ 512 = 2")
    assert f"{P**horizon:.3f}" == "0.860"
    page_shows(WM, r"$0.99^{15} \approx 0.860$")


def test_genie_platformers_hours():
    clips, seconds, fps = 6_800_000, 16, 10
    total_seconds = clips * seconds
    assert total_seconds == 108_800_000
    hours = total_seconds / 3600
    assert fmt_int(round(hours)) == "30,222"
    assert seconds * fps == 160
    page_shows(WM, "680 万 × 16 秒 = 1.088 亿秒", "每小时 3,600 秒", "约 30,222 小时",
               "16 秒 × 10 帧/秒 = 160 帧", "5,500 万段 16 秒的片段", "每秒 10 帧")
