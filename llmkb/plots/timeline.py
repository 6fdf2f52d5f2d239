"""The timeline of landmark papers on the milestones page.

``milestone_timeline`` draws one row per group of papers (the Chinese group names of
the milestones topic), a dot at each paper's first public date and a short label next
to it. Labels that would overlap are staggered above and below the row. The drawing
is deterministic: the same papers give the same SVG bytes.

``layout`` and ``label_levels`` are pure helpers (no matplotlib) so that tests can
check what is plotted without parsing the SVG.
"""

from __future__ import annotations

import datetime as dt
import pathlib
from collections.abc import Sequence

import matplotlib
from matplotlib.figure import Figure

from ..bib import schema as S

Paper = tuple[str, str, str]  # (short label, date "YYYY-MM-DD" or vaguer, Chinese group label)

#: The milestones topic's groups, top row first. Other groups follow in the order
#: in which they first appear in the input.
GROUP_ORDER: tuple[str, ...] = (
    "奠基理论",
    "里程碑突破",
    "核心架构与方法",
    "重要优化与应用",
    "前沿探索与新趋势",
)

#: Okabe-Ito colours: distinguishable for colour-blind readers, dark enough on white.
COLOURS: tuple[str, ...] = (
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
)

LABEL_FONT_SIZE = 7.0
LEVEL_STEP = 0.2   # vertical distance between label levels, in row units
ROW_PAD = 0.35     # free space between the outermost labels of neighbouring rows
FIG_WIDTH_IN = 13.0
_LEVEL_SEQUENCE = (1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6, -6)


def decimal_year(date: str) -> float:
    """2020-07-02 -> 2020.5: the year plus the fraction of it already past. A date without its
    day (2024-07, 2024) stands in the middle of the month or year it names."""
    first, last = S.first_version_span(date)
    start = dt.date(first.year, 1, 1)
    length = (dt.date(first.year + 1, 1, 1) - start).days
    return first.year + ((first - start).days + (last - first).days / 2) / length


def group_order(papers: Sequence[Paper]) -> list[str]:
    """The groups present in ``papers``: known ones in GROUP_ORDER, then the others."""
    present = {group for _, _, group in papers}
    known = [g for g in GROUP_ORDER if g in present]
    others: list[str] = []
    for _, _, group in papers:
        if group not in GROUP_ORDER and group not in others:
            others.append(group)
    return known + others


def _label_width_years(label: str, span_years: float) -> float:
    """Rough printed width of a label, in years on the x axis."""
    # Wide (CJK) characters are about twice as wide as Latin letters.
    ems = sum(1.0 if ord(ch) > 0x2E80 else 0.58 for ch in label)
    width_in = ems * LABEL_FONT_SIZE / 72.0
    plot_width_in = FIG_WIDTH_IN * 0.80
    return width_in / plot_width_in * span_years


def _span(papers: Sequence[Paper]) -> tuple[float, float]:
    xs = [decimal_year(d) for _, d, _ in papers]
    return min(xs) - 0.6, max(xs) + 0.6


def label_levels(papers: Sequence[Paper]) -> dict[int, int]:
    """For each paper (by index in ``papers``) the label level within its row.

    Level +1 is just above the dot, -1 just below, +2 higher, and so on. Within a row,
    papers are placed in date order and each takes the first level where its label
    does not overlap a label already placed on that level.
    """
    if not papers:
        return {}
    lo, hi = _span(papers)
    span = hi - lo
    levels: dict[int, int] = {}
    for group in group_order(papers):
        members = sorted(
            (i for i, p in enumerate(papers) if p[2] == group),
            key=lambda i: (papers[i][1], papers[i][0]),
        )
        # per level: list of (left, right) intervals already used
        used: dict[int, list[tuple[float, float]]] = {}
        for i in members:
            x = decimal_year(papers[i][1])
            half = _label_width_years(papers[i][0], span) / 2 + 0.04
            left, right = x - half, x + half
            chosen = _LEVEL_SEQUENCE[-1]
            for level in _LEVEL_SEQUENCE:
                if all(right <= a or left >= b for a, b in used.get(level, [])):
                    chosen = level
                    break
            used.setdefault(chosen, []).append((left, right))
            levels[i] = chosen
    return levels


def row_positions(papers: Sequence[Paper]) -> dict[str, float]:
    """The y coordinate of each group's row; the first group is at the top."""
    levels = label_levels(papers)
    positions: dict[str, float] = {}
    y = 0.0
    previous_below = 0.0
    for group in group_order(papers):
        group_levels = [levels[i] for i, p in enumerate(papers) if p[2] == group]
        above = max([lv for lv in group_levels if lv > 0], default=0) * LEVEL_STEP
        below = -min([lv for lv in group_levels if lv < 0], default=0) * LEVEL_STEP
        if positions:
            y -= previous_below + above + ROW_PAD
        positions[group] = y
        previous_below = below
    return positions


def layout(papers: Sequence[Paper]) -> list[tuple[float, float, str]]:
    """One (x, y, label) per paper: x in decimal years, y the row of its group.

    The order is the row order, then date, then label, so it does not depend on the
    order of ``papers``.
    """
    rows = row_positions(papers)
    order = {g: k for k, g in enumerate(group_order(papers))}
    points = [(decimal_year(d), rows[g], label, order[g]) for label, d, g in papers]
    points.sort(key=lambda p: (p[3], p[0], p[2]))
    return [(x, y, label) for x, y, label, _ in points]


def milestone_timeline(
    papers: list[tuple[str, str, str]], path: pathlib.Path, font: str | None
) -> None:
    """Draw the papers as a timeline with one row per group and save it as SVG.

    ``papers`` holds (short label, first public date "YYYY-MM-DD", Chinese group
    label); ``font`` is a font family already registered with matplotlib that can
    show Chinese, or None for matplotlib's default.
    """
    if not papers:
        raise ValueError("milestone_timeline needs at least one paper")
    papers = sorted(papers, key=lambda p: (p[2], p[1], p[0]))
    groups = group_order(papers)
    rows = row_positions(papers)
    levels = label_levels(papers)
    lo, hi = _span(papers)

    extent_used = [rows[p[2]] + levels[i] * LEVEL_STEP for i, p in enumerate(papers)]
    top = max(extent_used) + 0.3
    bottom = min(extent_used) - 0.3
    height_in = max(3.0, (top - bottom) * 1.1 + 0.9)

    rc = {"svg.hashsalt": "llmkb", "svg.fonttype": "path"}
    if font:
        rc["font.family"] = [font, "DejaVu Sans"]
    with matplotlib.rc_context(rc):
        fig = Figure(figsize=(FIG_WIDTH_IN, height_in), facecolor="white")
        ax = fig.add_axes((0.14, 0.9 / height_in, 0.82, 1 - 1.15 / height_in))
        ax.set_facecolor("white")
        ax.set_xlim(lo, hi)
        ax.set_ylim(bottom, top)
        for k, group in enumerate(groups):
            colour = COLOURS[k % len(COLOURS)]
            y = rows[group]
            ax.axhline(y, color=colour, linewidth=1.0, alpha=0.35, zorder=1)
            ax.text(lo - 0.08, y, group, ha="right", va="center", fontsize=10,
                    color=colour, fontweight="bold", clip_on=False)
            for i, (label, date, g) in enumerate(papers):
                if g != group:
                    continue
                x = decimal_year(date)
                ly = y + levels[i] * LEVEL_STEP
                ax.plot([x, x], [y, ly - (0.05 if levels[i] > 0 else -0.05)],
                        color=colour, linewidth=0.6, alpha=0.6, zorder=1)
                ax.scatter([x], [y], s=22, color=colour, edgecolors="white",
                           linewidths=0.6, zorder=3)
                ax.text(x, ly, label, ha="center",
                        va="bottom" if levels[i] > 0 else "top",
                        fontsize=LABEL_FONT_SIZE, color="#1a1a1a", zorder=4)
        first, last = int(lo) + 1, int(hi)
        ax.set_xticks(range(first, last + 1))
        ax.set_xticklabels([str(year) for year in range(first, last + 1)])
        ax.tick_params(axis="x", labelsize=9, colors="#1a1a1a")
        ax.set_yticks([])
        for side in ("left", "right", "top"):
            ax.spines[side].set_visible(False)
        ax.spines["bottom"].set_color("#555555")
        ax.grid(axis="x", color="#dddddd", linewidth=0.6, zorder=0)
        ax.set_axisbelow(True)
        path = pathlib.Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, format="svg", metadata={"Date": None}, facecolor="white")
