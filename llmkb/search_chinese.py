"""Sphinx's Chinese search indexer, with each distinct text split once per build.

Sphinx runs jieba (``cut_for_search``) over every text node of every page it writes. A book of
paper tables repeats the same strings thousands of times — venues ("NeurIPS 2023"), kinds
("新方法"), dates, author names — and jieba was a fifth of a clean build of the 3,000-entry
benchmark book. ``split`` is a pure function of its input (its one side effect, collecting the
Latin terms seen, is a set update that a repeated input would not change), so a cache of its
results gives exactly the index Sphinx's own class gives.

A text of several lines is split line by line. A paper row gives the indexer one text — title,
authors, kind, venue, date on separate lines (``paper_table.row``) — unique as a whole, but its
lines recur. jieba never joins words across a line break (its blocks are runs of Han characters,
letters and digits) and the Latin-term regex cannot cross one either, so the words are those of
the whole text, less the line breaks themselves (which Sphinx filters out as one-character words).
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.search.zh import SearchChinese

#: distinct strings kept per build (most recur; a cap keeps a huge book's memory bounded)
CACHE_SIZE = 200_000


class CachedSearchChinese(SearchChinese):
    """``SearchChinese`` whose ``split`` remembers its results."""

    def __init__(self, options: dict[str, str]) -> None:
        self._splits: dict[str, tuple[str, ...]] = {}
        super().__init__(options)

    def split(self, input: str) -> list[str]:
        if "\n" in input:
            return [word for line in input.split("\n") if line for word in self._split_line(line)]
        return self._split_line(input)

    def _split_line(self, input: str) -> list[str]:
        words = self._splits.get(input)
        if words is None:
            words = tuple(super().split(input))
            if len(self._splits) < CACHE_SIZE:
                self._splits[input] = words
        return list(words)


def setup(app: Sphinx) -> dict:
    app.add_search_language(CachedSearchChinese)  # replaces Sphinx's "zh" class
    return {"parallel_read_safe": True, "parallel_write_safe": True}
