"""Which papers the MyST pages show, read from the source without building.

Used by ``python -m llmkb check`` to find entries no page shows. The Sphinx build
answers the same question from the real doctrees (``extension.check_shown``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

from . import paper_table
from .papers import Paper

_TABLE = re.compile(r"^(?P<fence>:{3,}|`{3,})\{paper-table\}[^\n]*\n(?P<body>(?:[ \t]*:[a-z]+:[^\n]*\n)*)", re.M)
_OPTION = re.compile(r"^[ \t]*:(?P<name>[a-z]+):[ \t]*(?P<value>[^\n]*)$", re.M)
_CITE = re.compile(r"\{cite(?::[a-z]+)?\}`(?P<keys>[^`]+)`")
_INDEX = re.compile(r"^(?::{3,}|`{3,})\{paper-index\}", re.M)


def shown_keys(docs: Path, papers: Iterable[Paper]) -> set[str]:
    papers = list(papers)
    shown: set[str] = set()
    for page in sorted(docs.rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        if _INDEX.search(text):
            continue  # the paper index shows everything; it proves nothing about topic pages
        for m in _TABLE.finditer(text):
            options = {o["name"]: o["value"].strip() for o in _OPTION.finditer(m["body"])}
            tags = options.get("tag", "").replace(",", " ").split()
            try:
                shown.update(p.key for p in paper_table.select(papers, options.get("topic", ""), tags))
            except (KeyError, paper_table.SelectionError):
                pass  # the build reports these with the page's location
        for m in _CITE.finditer(text):
            shown.update(k.strip() for k in m["keys"].split(","))
    return shown
