"""The Chinchilla loss landscape on the scaling-laws page.

``chinchilla_frontier`` draws the parametric loss fitted by Hoffmann et al. (2022),

    L(N, D) = E + A / N**alpha + B / D**beta,

as iso-loss contours over model size N (parameters) and training tokens D, both on
log axes. On top it draws the compute-optimal frontier (the (N, D) that minimises L
for each compute budget C = 6 N D), one iso-compute line at Gopher's budget, the
"20 tokens per parameter" rule of thumb for comparison, and the two models the paper
compares at that budget: Chinchilla (70B parameters, 1.4T tokens) and Gopher (280B
parameters, 300B tokens).

``compute_optimal`` is the closed-form frontier, a pure function tests can check.
The drawing is deterministic: two runs write the same SVG bytes.
"""

from __future__ import annotations

import pathlib

import matplotlib
import numpy as np
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

#: Approach-3 fit of Hoffmann et al. (2022), as published (rounded).
E = 1.69
A = 406.4
B = 410.7
ALPHA = 0.34
BETA = 0.28

#: Compute of Gopher / Chinchilla as given in the paper's Table 3 (FLOPs).
GOPHER_BUDGET = 5.76e23

N_RANGE = (1e8, 1e12)
D_RANGE = (1e9, 1e14)

#: Okabe-Ito colours, dark enough on the white figure background.
FRONTIER_COLOUR = "#D55E00"
BUDGET_COLOUR = "#555555"
RULE_COLOUR = "#009E73"
CHINCHILLA_COLOUR = "#0072B2"
GOPHER_COLOUR = "#CC79A7"
TEXT_COLOUR = "#1a1a1a"


def loss(n: float | np.ndarray, d: float | np.ndarray) -> float | np.ndarray:
    """Chinchilla's parametric loss (nats per token) for N parameters and D tokens."""
    return E + A / np.power(n, ALPHA) + B / np.power(d, BETA)


def compute_optimal(C: float) -> tuple[float, float]:
    """(N_opt, D_opt) minimising L(N, D) subject to C = 6 N D.

    Setting dL/dN = 0 with D = C / (6 N) gives
    N_opt = G (C/6)^(beta/(alpha+beta)),  D_opt = G^-1 (C/6)^(alpha/(alpha+beta)),
    with G = (alpha A / (beta B))^(1/(alpha+beta)); N_opt * D_opt = C / 6 exactly.
    """
    if C <= 0:
        raise ValueError(f"compute budget must be positive, got {C!r}")
    g = (ALPHA * A / (BETA * B)) ** (1.0 / (ALPHA + BETA))
    base = C / 6.0
    n_opt = g * base ** (BETA / (ALPHA + BETA))
    d_opt = base ** (ALPHA / (ALPHA + BETA)) / g
    return n_opt, d_opt


def chinchilla_frontier(path: pathlib.Path, font: str | None) -> None:
    """Draw the iso-loss contours, the compute-optimal frontier and the two models.

    ``font`` is the family name of a CJK font already registered with matplotlib's
    font manager, used for every text element; None uses matplotlib's default font.
    The SVG is written to ``path`` (parent directories are created).
    """
    prop = FontProperties(family=font) if font else FontProperties()
    small = prop.copy()
    small.set_size(8)
    label = prop.copy()
    label.set_size(10)
    title = prop.copy()
    title.set_size(12)

    rc = {"svg.hashsalt": "llmkb", "svg.fonttype": "path"}
    with matplotlib.rc_context(rc):
        fig = Figure(figsize=(7.2, 5.6), facecolor="white")
        ax = fig.add_axes((0.12, 0.11, 0.84, 0.80))
        ax.set_facecolor("white")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(*N_RANGE)
        ax.set_ylim(*D_RANGE)

        box = {"boxstyle": "round,pad=0.25", "facecolor": "white", "edgecolor": "none",
               "alpha": 0.9}

        # iso-loss contours
        ns = np.logspace(np.log10(N_RANGE[0]), np.log10(N_RANGE[1]), 241)
        ds = np.logspace(np.log10(D_RANGE[0]), np.log10(D_RANGE[1]), 241)
        grid_n, grid_d = np.meshgrid(ns, ds)
        levels = [1.8, 1.9, 2.0, 2.1, 2.25, 2.5, 2.75, 3.0, 3.5]
        contours = ax.contour(grid_n, grid_d, loss(grid_n, grid_d), levels=levels,
                              colors="#7f7f7f", linewidths=0.8)
        tiny = prop.copy()
        tiny.set_size(7)
        for text in ax.clabel(contours, fmt="%.2f", fontsize=7, inline=True):
            text.set_fontproperties(tiny)
            text.set_color("#4d4d4d")

        # compute-optimal frontier, drawn for budgets whose optimum lies in view
        budgets = np.logspace(17, 28, 400)
        frontier = np.array([compute_optimal(c) for c in budgets])
        inside = ((frontier[:, 0] >= N_RANGE[0]) & (frontier[:, 0] <= N_RANGE[1])
                  & (frontier[:, 1] >= D_RANGE[0]) & (frontier[:, 1] <= D_RANGE[1]))
        ax.plot(frontier[inside, 0], frontier[inside, 1], color=FRONTIER_COLOUR,
                linewidth=2.2, label="计算最优前沿（由拟合公式解出）", zorder=3)

        # "20 tokens per parameter" rule of thumb (Approaches 1 and 2 of the paper)
        ax.plot(ns, 20 * ns, color=RULE_COLOUR, linewidth=1.3, linestyle=(0, (1.5, 2.0)),
                label="每参数 20 个词元的经验规则", zorder=2)

        # iso-compute line C = 6ND at Gopher's budget
        d_budget = GOPHER_BUDGET / (6 * ns)
        ax.plot(ns, d_budget, color=BUDGET_COLOUR, linewidth=1.2, linestyle="--",
                label="等计算量线 C = 5.76×10²³ FLOPs", zorder=2)

        # the optimum the fitted formula gives at Gopher's budget
        n_star, d_star = compute_optimal(GOPHER_BUDGET)
        def mark(x, y, size, marker, colour, text, xytext):
            ax.scatter([x], [y], s=size, marker=marker, color=colour,
                       edgecolors="white", linewidths=0.8, zorder=5)
            ax.annotate(text, xy=(x, y), xytext=xytext, fontproperties=small, color=colour,
                        bbox=box, arrowprops={"arrowstyle": "->", "color": colour, "linewidth": 0.9},
                        zorder=6)

        mark(n_star, d_star, 46, "D", FRONTIER_COLOUR,
             f"公式最优点\n约 {n_star / 1e9:.0f}B 参数，{d_star / 1e12:.1f}T 词元", (6e8, 1.5e12))
        # the two models
        mark(70e9, 1.4e12, 70, "o", CHINCHILLA_COLOUR, "Chinchilla\n70B 参数，1.4T 词元", (5e8, 6e12))
        mark(280e9, 300e9, 70, "s", GOPHER_COLOUR, "Gopher\n280B 参数，300B 词元", (1.5e10, 3e10))

        ax.set_xlabel("模型参数量 N", fontproperties=label, color=TEXT_COLOUR)
        ax.set_ylabel("训练词元数 D", fontproperties=label, color=TEXT_COLOUR)
        ax.set_title("Chinchilla 损失函数的等损失线与计算最优前沿",
                     fontproperties=title, color=TEXT_COLOUR)
        ax.tick_params(colors=TEXT_COLOUR, labelsize=9)
        for spine in ax.spines.values():
            spine.set_color("#555555")
        legend = ax.legend(loc="upper left", prop=small, frameon=True,
                           facecolor="white", edgecolor="#bbbbbb", framealpha=1.0)
        for text in legend.get_texts():
            text.set_color(TEXT_COLOUR)

        path = pathlib.Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, format="svg", metadata={"Date": None}, facecolor="white")
