"""The Atom feed of the latest additions to refs.bib (``feed.xml`` at the site root).

Written with feedgen from ``recent.latest``; nothing depends on the clock: the feed's
``updated`` is the newest ``added``, each entry's ``updated`` its own ``added``. Entry ids are
the paper's topic-page URL plus its key, so they stay put when the feed is rebuilt.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Iterable

from ..bib import recent, topics
from ..bib.papers import Paper

FILENAME = "feed.xml"
TITLE = "llmkb 大模型知识库 · 最近收录"


def _day(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value).replace(tzinfo=dt.timezone.utc)


def page_url(base: str, paper: Paper) -> str:
    """The absolute URL of the topic page that teaches the paper (the first topic's)."""
    topic = next((topics.TOPICS_BY_ID[t] for t in paper.topics if t in topics.TOPICS_BY_ID), None)
    return f"{base}{topic.page}.html" if topic else f"{base}appendix/recent.html"


def atom(papers: Iterable[Paper], base: str, limit: int = recent.LIMIT) -> bytes:
    """The feed's bytes. ``base`` is ``html_baseurl`` ending in '/'."""
    from feedgen.feed import FeedGenerator

    chosen = recent.latest(papers, limit)
    fg = FeedGenerator()
    fg.id(base + FILENAME)
    fg.title(TITLE)
    fg.link(href=base + "appendix/recent.html", rel="alternate")
    fg.link(href=base + FILENAME, rel="self")
    fg.language("zh-CN")
    # without an explicit value feedgen stamps the clock; with no dated entry, a fixed epoch
    fg.updated(_day(chosen[0].raw("added")) if chosen else dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc))
    for paper in chosen:
        url = page_url(base, paper)
        fe = fg.add_entry(order="append")
        fe.id(f"{url}#{paper.key}")
        fe.title(paper.title)
        fe.link(href=url)
        fe.updated(_day(paper.raw("added")))
        names = [topics.TOPICS_BY_ID[t].zh for t in paper.topics if t in topics.TOPICS_BY_ID]
        fe.summary(f"{paper.short_authors()} · {paper.date} · {' · '.join(names)}")
        for t in paper.topics:
            if t in topics.TOPICS_BY_ID:
                fe.category(term=t, label=topics.TOPICS_BY_ID[t].zh)
    return fg.atom_str(pretty=True)


def write(outdir: Path, papers: Iterable[Paper], base: str) -> Path:
    path = Path(outdir) / FILENAME
    path.write_bytes(atom(papers, base))
    return path


def head_link(href: str) -> str:
    return f'<link rel="alternate" type="application/atom+xml" title="{TITLE}" href="{href}" />\n'
