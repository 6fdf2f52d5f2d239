"""How fresh a topic page is: its ``reviewed:`` front-matter date and its newest paper.

Every topic page (``topics.TOPICS``) carries ``reviewed: YYYY-MM-DD`` in its MyST front matter,
the day a maintainer last audited it. The build shows, under the page's title, that date and the
first-version date of the topic's newest paper. Nothing here reads the clock, so the same sources
always build the same book.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ..bib import topics
from ..bib.papers import Paper, by_topic

FIELD = "reviewed"
FIX = f"put `{FIELD}: YYYY-MM-DD` (the day the page was last audited) in the page's front matter"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(value: object) -> dt.date | None:
    """A strict ISO day (YAML may already have made it a date), else None."""
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not _DATE.match(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def reviewed_message(metadata: dict) -> str | None:
    """What is wrong with a topic page's ``reviewed`` field (without the fix), or None."""
    if FIELD not in metadata:
        return f"topic page has no `{FIELD}:` date"
    if parse_date(metadata[FIELD]) is None:
        return f"`{FIELD}: {metadata[FIELD]}` is not a valid date"
    return None


def reviewed_problem(metadata: dict) -> str | None:
    """The build warning's text: what is wrong and the fix, or None."""
    message = reviewed_message(metadata)
    return f"{message} — {FIX}" if message else None


_FRONT = re.compile(r"\A---[ \t]*\n(?P<body>.*?)^---[ \t]*$", re.S | re.M)
_LINE = re.compile(r"^(?P<name>[A-Za-z_][\w-]*)[ \t]*:[ \t]*(?P<value>.*?)[ \t]*$", re.M)


def front_matter(text: str) -> dict[str, str]:
    """The top-level ``name: value`` lines of a page's front matter (enough for ``reviewed``;
    ``llmkb check`` reads pages without Sphinx, the build uses ``env.metadata``)."""
    m = _FRONT.match(text)
    if not m:
        return {}
    return {f["name"]: f["value"].strip("'\"") for f in _LINE.finditer(m["body"])}


@dataclass(frozen=True, order=True)
class PageProblem:
    path: str
    message: str


def topic_front_matter(docs: Path) -> dict[str, dict[str, str]]:
    """The front matter of each topic page present under ``docs``, by docname."""
    return {t.page: front_matter((docs / f"{t.page}.md").read_text(encoding="utf-8"))
            for t in topics.TOPICS if (docs / f"{t.page}.md").is_file()}


def check_pages(docs: Path) -> list[PageProblem]:
    """The ``reviewed`` problems of the topic pages present under ``docs``."""
    return [PageProblem(str(docs / f"{page}.md"), problem)
            for page, meta in topic_front_matter(docs).items()
            if (problem := reviewed_message(meta))]


def newest_paper_date(papers: Iterable[Paper], topic_id: str) -> str:
    """The ``date`` (first public version) of the topic's newest paper, '' if it has none."""
    return max((p.date for p in by_topic(papers).get(topic_id, ()) if p.date), default="")


def line_text(newest: str, reviewed: str) -> str:
    parts = []
    if newest:
        parts.append(f"最新收录论文：{newest}")
    if reviewed:
        parts.append(f"本页审校：{reviewed}")
    return " · ".join(parts)


@dataclass(frozen=True)
class Stale:
    topic: topics.Topic
    newest: str
    reviewed: str
    reasons: tuple[str, ...]


def months_before(today: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months earlier (clamped to the month's end)."""
    y, m = divmod(today.year * 12 + today.month - 1 - months, 12)
    m += 1
    for day in (today.day, 30, 29, 28):
        try:
            return dt.date(y, m, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def stale_topics(papers: list[Paper], reviewed: dict[str, str], today: dt.date,
                 months: int = 12) -> list[Stale]:
    """Topics whose newest paper or review is older than ``months`` before ``today``.
    ``reviewed`` maps a topic page's docname to its ``reviewed`` value (missing: never reviewed)."""
    cutoff = months_before(today, months).isoformat()
    out = []
    for t in topics.TOPICS:
        newest = newest_paper_date(papers, t.id)
        rev = reviewed.get(t.page, "")
        reasons = []
        if not newest:
            reasons.append("no paper with a date")
        elif newest < cutoff:
            reasons.append(f"newest paper {newest}")
        if parse_date(rev) is None:
            reasons.append("never reviewed")
        elif str(parse_date(rev)) < cutoff:
            reasons.append(f"reviewed {rev}")
        if reasons:
            out.append(Stale(t, newest, rev, tuple(reasons)))
    return out
