"""The 最近收录 page (docs/appendix/recent.md) states how many papers it lists.

The number is the directive's default limit (llmkb.bib.recent.LIMIT), so a change of the
limit without the page (or the reverse) fails here.
"""

from __future__ import annotations

from llmkb.bib.recent import LIMIT
from worked.pages import page_shows

RECENT = "appendix/recent.md"


def test_recent_page_states_the_limit():
    page_shows(RECENT, f"列出最近收录的 {LIMIT} 篇论文")
