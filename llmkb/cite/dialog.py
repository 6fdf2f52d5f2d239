"""The citation dialog of a paper row: GB/T 7714, APA and BibTeX, each with a copy button.

A closed ``<details>`` (keyboard reachable, opened without any script). On the HTML site the row
carries only its summary and a no-script fallback, a link to the page's own .bib file
(:func:`closed_html`): the three references were ~60 % of a row's bytes and ~14 of its elements,
sent for every row though readers open few. The content (:func:`content_html`, the one definition
of the dialog's markup) is a small script per paper, ``_static/cite/<key>.js``
(:mod:`llmkb.cite.dialog_files`), that static/llmkb-bibtex.js loads when a reader first opens
one of that paper's dialogs, and inserts in place of the fallback. Builders that write no such
files (EPUB) get the whole dialog in the page (:func:`html`), as before.

The references are formatted once per build (:func:`prepare`) and kept in a cache file between
builds: for the HTML site by the process that writes the dialogs' files while the pages are
written (sphinx_ext/background.py), for EPUB before its pages are written, so parallel writers
inherit them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

from ..bib.papers import Paper
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
    """The whole dialog for a row's fields (``bibtex`` and, when formatted, ``gbt7714`` and ``apa``)."""
    return f'<details class="llmkb-bibtex"><summary>{SUMMARY}</summary>{content_html(fields, encode)}\n</details>'


#: the no-script fallback's link text (the linked file holds every row's entry)
FALLBACK_TEXT = "本页全部条目的 BibTeX 文件（含本条）"


def closed_html(bib_href: str, attval: Callable[[str], str]) -> str:
    """The dialog as a row carries it on the HTML site: the summary and, until the script puts the
    content in its place, a link to the page's .bib file (``bib_href``, relative to the page).
    The link is the fallback itself, not wrapped in a paragraph: one element less in each of a
    page's up to 80 rows (at 10,000 entries the longest topic page was 48 elements under the
    5,000 a page may have; llmkb.css sets it on its own line)."""
    return (f'<details class="llmkb-bibtex"><summary>{SUMMARY}</summary><a class="llmkb-cite-fallback" '
            f'href="{attval(bib_href)}">{FALLBACK_TEXT}</a>\n</details>')


def content_html(fields: dict[str, str], encode: Callable[[str], str]) -> str:
    """What the open dialog shows below its summary: each format's label and block."""
    parts = []
    for name, label, copy in FORMATS:
        if not fields.get(name):
            continue
        if name == "bibtex":  # the BibTeX block as it always was (tests, styles and scripts read it)
            parts.append(f'<p class="llmkb-cite-label">{label}</p>{block_html(fields[name], copy, encode)}')
        else:
            parts.append(f'<p class="llmkb-cite-label">{label}</p>'
                         f'{block_html(fields[name], copy, encode, "llmkb-cite-" + name)}')
    return "".join(parts)
