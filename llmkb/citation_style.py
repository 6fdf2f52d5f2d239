"""Citation labels that are readable and unique across the whole book.

Each page has its own bibliography, but a reader should see the same label for
the same paper on every page, and never the same label for two papers. pybtex's
label styles number or abbreviate per bibliography, so we compute one
"Family Year" label per entry over all of refs.bib (``Hu 2022``, with a/b/c
suffixes where two entries collide) and hand it to pybtex through a label style.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from pybtex.plugin import register_plugin
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.labels import BaseLabelStyle

from .papers import Paper

#: key -> label for the refs.bib of the current build (set by the extension).
LABELS: dict[str, str] = {}


def compute_labels(papers: Iterable[Paper]) -> dict[str, str]:
    groups: dict[str, list[Paper]] = defaultdict(list)
    for p in papers:
        groups[f"{p.first_family_name} {p.year}"].append(p)
    labels = {}
    for base, members in groups.items():
        if len(members) == 1:
            labels[members[0].key] = base
            continue
        for i, p in enumerate(sorted(members, key=lambda p: (p.date, p.key))):
            labels[p.key] = f"{base}{chr(ord('a') + i) if i < 26 else i}"
    return labels


class LabelStyle(BaseLabelStyle):
    def format_labels(self, sorted_entries):
        for entry in sorted_entries:
            yield LABELS.get(entry.key, entry.key)


class Style(UnsrtStyle):
    """unsrt formatting, sorted by author/year/title, with the book's labels."""

    default_label_style = "llmkb"
    default_sorting_style = "author_year_title"


register_plugin("pybtex.style.labels", "llmkb", LabelStyle, force=True)
register_plugin("pybtex.style.formatting", "llmkb", Style, force=True)
