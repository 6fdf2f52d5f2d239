"""The citation dialog of a paper row: GB/T 7714, APA and BibTeX, each with a copy button.

A closed ``<details>`` (keyboard reachable, no script needed to open or read it) holding the
three references as text in the page; static/llmkb-bibtex.js only copies a block's text. The
references are formatted once per build in the main process (:func:`prepare`, before any page
is read, so parallel readers inherit them) and kept in a cache file between builds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

from ..papers import Paper
from . import csl, render

_CACHE = render.Cache()
#: key -> (the Paper, its references): a paper's row is written on every page that lists it (3.6
#: rows a paper in the book), and building its CSL item again each time (pybtex's name parser)
#: cost more than formatting it. Kept per Paper object, so an edited entry (a new Paper, e.g. in
#: llmkb.preview's in-process rebuilds) is never answered from the old one.
_REFERENCES: dict[str, tuple[Paper, dict[str, str]]] = {}

#: (field of the row, label shown, what the copy button says), in the dialog's order. BibTeX
#: first, as the block was before: the paper filter (static/paper-filter.js) reads the full author
#: list from the dialog's first <code>.
FORMATS: tuple[tuple[str, str, str], ...] = (
    ("bibtex", "BibTeX", "复制这条 BibTeX"),
    ("gbt7714", "GB/T 7714-2015", "复制 GB/T 7714 格式"),
    ("apa", "APA", "复制 APA 格式"),
)
SUMMARY = "引用"


def prepare(papers: Iterable[Paper], cache_file: Path | None) -> None:
    """Format every paper's references (from the cache file where unchanged), then save the cache."""
    global _CACHE
    _CACHE = render.Cache(cache_file)
    _REFERENCES.clear()
    for paper in papers:
        references(paper)
    _CACHE.save()


def references(paper: Paper) -> dict[str, str]:
    """{'gbt7714': ..., 'apa': ...} for one paper, as plain text (computed once per Paper)."""
    known = _REFERENCES.get(paper.key)
    if known is not None and known[0] is paper:
        return dict(known[1])  # a copy: callers merge it into a row's fields
    item = csl.item(paper)
    refs = {style: _CACHE.get(item, style) for style in render.STYLES}
    _REFERENCES[paper.key] = (paper, refs)
    return dict(refs)


def block_html(text: str, label: str, encode: Callable[[str], str], extra_class: str = "",
               highlight: bool = True) -> str:
    """One reference with its copy button; the button copies the ``<code>``'s text, exactly.

    ``highlight=False`` leaves out the class of Sphinx's code blocks: a page with one is served
    pygments.css (page_assets), which the home page's 引用本书 block does not need (llmkb.css
    styles the block)."""
    classes = " ".join(c for c in ("highlight" if highlight else "", "llmkb-bibtex-source", extra_class) if c)
    return (f'<div class="{classes}"><button class="llmkb-copy" type="button" aria-label="{encode(label)}">'
            f'</button><code>{encode(text)}</code></div>')


def html(fields: dict[str, str], encode: Callable[[str], str]) -> str:
    """The dialog for a row's fields (``bibtex`` and, when formatted, ``gbt7714`` and ``apa``)."""
    parts = [f'<details class="llmkb-bibtex"><summary>{SUMMARY}</summary>']
    for name, label, copy in FORMATS:
        if not fields.get(name):
            continue
        if name == "bibtex":  # the BibTeX block as it always was (tests, styles and scripts read it)
            parts.append(f'<p class="llmkb-cite-label">{label}</p>{block_html(fields[name], copy, encode)}')
        else:
            parts.append(f'<p class="llmkb-cite-label">{label}</p>'
                         f'{block_html(fields[name], copy, encode, "llmkb-cite-" + name)}')
    parts.append("\n</details>")
    return "".join(parts)
