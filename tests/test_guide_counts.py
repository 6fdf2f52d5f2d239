"""Counts that the guide pages write in words, kept true to the book.

The part indexes and the reading paths say how many chapters, pages or paths they hold
("本部分有十章", "本页给出六条路线"). A page added to a part's toctree, or a path added to
docs/reading-paths.md, must change the sentence too; these tests count from the sources.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
#: 0 -> 零 … 19 -> 十九, as the pages write counts
def chinese_numeral(n: int) -> str:
    """1-99 as written in the guides: 十, 十九, 二十, 二十一."""
    digits = "零一二三四五六七八九"
    tens, ones = divmod(n, 10)
    if tens == 0:
        return digits[ones]
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


NUMERALS = {n: chinese_numeral(n) for n in range(1, 100)}


def toctree_entries(relpath: str) -> list[str]:
    """The documents listed in the (single) toctree of ``docs/<relpath>``."""
    text = (DOCS / relpath).read_text(encoding="utf-8")
    block = re.search(r"(?:```|:::)\{toctree\}\n(.*?)\n(?:```|:::)", text, re.S)
    assert block, f"docs/{relpath} has no toctree"
    return [line.strip() for line in block.group(1).splitlines()
            if line.strip() and not line.strip().startswith(":")]


def source(relpath: str) -> str:
    return (DOCS / relpath).read_text(encoding="utf-8")


@pytest.mark.parametrize(("relpath", "phrases"), [
    ("multimodal/index.md", ["本部分有{n}章"]),
    ("text/index.md", ["回答{n}个更贴近应用的问题", "{n}个页面大体可以独立阅读"]),
    ("efficiency/index.md", ["第{n}页讲"]),
])
def test_a_part_index_counts_its_pages(relpath, phrases):
    n = NUMERALS[len(toctree_entries(relpath))]
    for phrase in phrases:
        assert phrase.format(n=n) in source(relpath), (relpath, phrase.format(n=n))


def test_the_text_part_numbers_every_page():
    """第一 … 第十一: one paragraph per page, in toctree order."""
    pages = toctree_entries("text/index.md")
    text = source("text/index.md")
    for i, page in enumerate(pages, start=1):
        paragraph = re.search(rf"^第{NUMERALS[i]}，.*$", text, re.M)
        assert paragraph and f"{{doc}}`{page}`" in paragraph.group(0), (i, page)


def test_the_multimodal_part_lists_every_chapter():
    pages = toctree_entries("multimodal/index.md")
    bullets = re.findall(r"^- \*\*\{doc\}`([\w-]+)`\*\*", source("multimodal/index.md"), re.M)
    assert bullets == pages


def test_the_reading_paths_page_counts_its_paths():
    paths = re.findall(r"^:::\{reading-path\}", source("reading-paths.md"), re.M)
    assert f"本页给出{NUMERALS[len(paths)]}条路线" in source("reading-paths.md")


def test_the_knowledge_part_counts_its_topic_pages_and_prerequisites():
    """The knowledge guide says how many topic pages follow its six stages (one bold paragraph
    each, up to 「阅读顺序」) and how many pages need others first (one bullet each); two pages
    added on the same day once left both numbers one short."""
    text = source("knowledge/index.md")
    bold = re.findall(r"^\*\*([^*]+)。\*\*", text, re.M)
    topics = bold[bold.index("失灵") + 1:bold.index("阅读顺序")]
    assert text.count(f"{NUMERALS[len(topics)]}个专题页") == 2, (len(topics), topics)
    stated = re.search(r"下面(\S+?)页要先读别的页面[^\n]*\n\n((?:- [^\n]*\n)+)", text)
    assert stated, "the sentence 「下面…页要先读别的页面」 and its list"
    assert stated.group(1) == NUMERALS[len(stated.group(2).splitlines())], stated.group(1)
