"""The jieba user dictionary for Chinese search.

jieba's default dictionary splits the field's terms (大语言模型 → 大/语言/模型), so
searching for them would find nothing. The dictionary is the topic registry's
Chinese names, the glossary's terms (passed in by the build: a new glossary entry is searchable
as a whole without being typed a second time) and ``search_terms.txt`` (kept beside this module)
for the field's words that have no glossary entry. It is written once per build where Sphinx's
Chinese indexer can load it, under a name that changes with its content: the name is in the HTML
builder's configuration (``html_search_options``), so a changed dictionary makes an incremental
build re-index every page, not only the pages it rewrites for other reasons.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Iterable

from ..bib.topics import TOPICS

TERMS_FILE = Path(__file__).with_name("search_terms.txt")
PREFIX = "llmkb-jieba-dict-"
_HAN = re.compile(r"[\u4e00-\u9fff]")


def terms(extra: Iterable[str] = ()) -> list[str]:
    """The dictionary's words: search_terms.txt, the topics' Chinese names and ``extra`` (the
    glossary's terms)."""
    words = {word for _, word in _listed()} | _named(extra)
    return sorted(words, key=lambda w: (-len(w), w))


def repeated(extra: Iterable[str] = ()) -> list[tuple[int, str]]:
    """(line, word) of search_terms.txt that a topic name or ``extra`` (the glossary's terms)
    already gives: typed twice, the two copies drift apart when one is renamed."""
    named = _named(extra)
    return [(number, word) for number, word in _listed() if word in named]


def _listed() -> list[tuple[int, str]]:
    """(line, word) of search_terms.txt, comments and blank lines left out."""
    out = []
    for number, line in enumerate(TERMS_FILE.read_text(encoding="utf-8").splitlines(), start=1):
        word = line.split("#", 1)[0].strip()
        if word:
            out.append((number, word))
    return out


def _named(extra: Iterable[str]) -> set[str]:
    """The Chinese words of the topics' names and of ``extra``."""
    return {w for name in [t.zh for t in TOPICS] + list(extra) for w in han_runs(name)}


def han_runs(name: str) -> list[str]:
    """A name's Chinese words: names may mix scripts (非 Transformer 架构, 词元（token）), and jieba
    only needs the runs it would otherwise split. A single character is left out: jieba cannot
    split it, and a user-dictionary weight on it (前 of 前 k 采样) would only tilt how nearby text is cut."""
    return [w for w in re.split(r"[\s（）()·+→/、，,-]+", name) if _HAN.search(w) and len(w) > 1]


def render(extra: Iterable[str] = ()) -> str:
    # a high frequency keeps each term whole instead of letting jieba split it
    return "".join(f"{w} 100000 n\n" for w in terms(extra))


def write(directory: Path, extra: Iterable[str] = ()) -> Path:
    """The dictionary file in ``directory``, named by its content; older ones are removed."""
    directory.mkdir(parents=True, exist_ok=True)
    text = render(extra)
    path = directory / f"{PREFIX}{hashlib.sha1(text.encode('utf-8')).hexdigest()[:12]}.txt"
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    for old in directory.glob(f"{PREFIX}*.txt"):
        if old != path:
            old.unlink(missing_ok=True)
    return path
