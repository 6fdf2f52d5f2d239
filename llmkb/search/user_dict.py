"""The jieba user dictionary for Chinese search.

jieba's default dictionary splits the field's terms (大语言模型 → 大/语言/模型), so
searching for them would find nothing. The dictionary is the topic registry's
Chinese names plus ``search_terms.txt`` (kept beside this module), written
once per build where Sphinx's Chinese indexer can load it.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..bib.topics import TOPICS

TERMS_FILE = Path(__file__).with_name("search_terms.txt")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def terms() -> list[str]:
    words: list[str] = []
    for line in TERMS_FILE.read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            words.append(word)
    for t in TOPICS:
        # topic names may mix scripts ("非 Transformer 架构"): keep the Chinese runs
        words.extend(w for w in re.split(r"[\s（）()·+→]+", t.zh) if _HAN.search(w))
    return sorted(set(words), key=lambda w: (-len(w), w))


def render() -> str:
    # a high frequency keeps each term whole instead of letting jieba split it
    return "".join(f"{w} 100000 n\n" for w in terms())


def write(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "llmkb-jieba-dict.txt"
    text = render()
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path
