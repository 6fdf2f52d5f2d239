"""A serial HTML build writes its pages on both cores: a forked child writes a share of them whole.

Writing is half of a clean build of the 1,000-entry book, and Sphinx does it on one core: each
page is resolved (post-transforms), fed to the search index and then translated and rendered.
Its ``-j`` writing forks workers only for the last step, keeps resolving and indexing in the main
process, and gives up reading's overlap with MathJax (benchmarks/README.md, session 12).

So when a serial HTML build starts writing (``_write_serial``, after ``prepare_writing`` loaded the
old search index), the pages are split in two shares of about equal size (the size of their
pickled doctrees). A forked child writes one share through Sphinx's own ``_write_serial``, the
parent the other. Writing a page leaves two things the rest of the build needs besides the page
itself: its entries in the search index and the images it uses. The child sends its share of both
back with its warnings, and the parent merges them in the order a serial build would have made
them, so the output is the same file for file (tests/test_split_write.py).

Where forking is not safe (``background.can_fork``), the builder is not the HTML site's, Sphinx
writes in parallel itself (``-j``) or there are few pages, the pages are written as before.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder

from . import background

#: where the child is kept on the app (``background.start``)
SLOT = "llmkb_write_child"

#: builders whose pages may be split: the HTML site's (EPUB lists its files as it writes them)
BUILDERS = ("html", "dirhtml")

#: fewer pages than this are written in one process: a fork would cost more than it saves
MIN_PAGES = 8

# the search index's per-page tables (IndexBuilder attributes), each docname -> value
_PER_PAGE = ("_titles", "_filenames", "_all_titles", "_index_entries")
# and its word tables, each word -> set of docnames
_PER_WORD = ("_mapping", "_title_mapping")


def shares(docnames: Sequence[str], size) -> tuple[list[str], list[str]]:
    """Two shares of about equal total ``size(docname)``, each in the given order: the largest
    page first into the lighter share."""
    sizes = {name: size(name) for name in docnames}
    totals, out = [0, 0], ([], [])
    for name in sorted(docnames, key=lambda d: (-sizes[d], d)):
        lighter = 0 if totals[0] <= totals[1] else 1
        out[lighter].append(name)
        totals[lighter] += sizes[name]
    order = {name: i for i, name in enumerate(docnames)}
    return sorted(out[0], key=order.__getitem__), sorted(out[1], key=order.__getitem__)


def doctree_size(app: Sphinx):
    def size(docname: str) -> int:
        try:
            return (Path(app.doctreedir) / f"{docname}.doctree").stat().st_size
        except OSError:
            return 1
    return size


def written_share(app: Sphinx, docnames: Sequence[str]) -> dict[str, Any]:
    """What writing ``docnames`` left in this process that the build needs later."""
    builder, names = app.builder, set(docnames)
    result: dict[str, Any] = {"images": dict(builder.images)}
    indexer = builder.indexer
    if indexer is not None:
        for attr in _PER_PAGE:
            table = getattr(indexer, attr)
            result[attr] = {name: table[name] for name in docnames if name in table}
        for attr in _PER_WORD:
            result[attr] = {word: pages & names for word, pages in getattr(indexer, attr).items()
                            if not pages.isdisjoint(names)}
    return result


def merge(app: Sphinx, docnames: Sequence[str], child: dict[str, Any]) -> None:
    """Add the child's share to what the parent wrote, as if one process had written all
    ``docnames`` in their order: pages kept from the last build first, then the written ones."""
    builder, written = app.builder, set(docnames)
    builder.images.update(child["images"])
    indexer = builder.indexer
    if indexer is None:
        return
    for attr in _PER_PAGE:
        mine, theirs = getattr(indexer, attr), child[attr]
        table = {name: value for name, value in mine.items() if name not in written}
        for name in docnames:
            if name in mine:
                table[name] = mine[name]
            elif name in theirs:
                table[name] = theirs[name]
        setattr(indexer, attr, table)
    for attr in _PER_WORD:
        table = getattr(indexer, attr)
        for word, pages in child[attr].items():
            table.setdefault(word, set()).update(pages)


def warm_before_fork(app: Sphinx) -> None:
    """State both processes would otherwise build for themselves after the fork, built once in
    the parent so the child inherits it: the search language's dictionaries (jieba)."""
    indexer = app.builder.indexer
    warm = getattr(getattr(indexer, "lang", None), "warm", None)
    if callable(warm):
        warm()


def split_serial_writing(app: Sphinx) -> None:
    """``builder-inited``: the builder's serial writing splits its pages from now on."""
    builder = app.builder
    if builder.name not in BUILDERS or not isinstance(builder, StandaloneHTMLBuilder):
        return
    write_serial = builder._write_serial

    def write_split(docnames: Sequence[str]) -> None:
        docnames = list(docnames)
        if len(docnames) < MIN_PAGES:
            return write_serial(docnames)
        theirs, mine = shares(docnames, doctree_size(app))

        def write_theirs(app: Sphinx) -> dict[str, Any]:  # in the child
            write_serial(theirs)
            return written_share(app, theirs)

        warm_before_fork(app)
        if not background.start(app, write_theirs, slot=SLOT):
            return write_serial(docnames)
        try:
            write_serial(mine)
        except BaseException as error:
            background.wait(app, SLOT, "writing pages", error)
            raise
        merge(app, docnames, background.wait(app, SLOT, "writing pages"))

    builder._write_serial = write_split


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", split_serial_writing)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
