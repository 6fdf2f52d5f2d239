"""The latest additions to refs.bib (by the ``added`` field), for the 最近收录 page and the feed.

Plain functions over ``Paper``: the newest ``added`` first, then by key, so the order never
depends on the file's order or on the clock.
"""

from __future__ import annotations

from itertools import groupby
from typing import Iterable

from .papers import Paper

LIMIT = 100


def latest(papers: Iterable[Paper], limit: int = LIMIT) -> list[Paper]:
    """Up to ``limit`` papers that have an ``added`` date, newest addition first."""
    dated = [p for p in papers if p.raw("added")]
    dated.sort(key=lambda p: p.key)
    dated.sort(key=lambda p: p.raw("added"), reverse=True)
    return dated[:limit]


def by_month(papers: Iterable[Paper], limit: int = LIMIT) -> list[tuple[str, list[Paper]]]:
    """``latest`` grouped by the month (YYYY-MM) of ``added``, newest month first."""
    return [(month, list(group)) for month, group in groupby(latest(papers, limit), lambda p: p.raw("added")[:7])]


def month_title(month: str) -> str:
    year, mon = month.split("-")
    return f"{year} 年 {int(mon)} 月"
