"""The search index, built by a forked process while Sphinx writes the pages.

Sphinx's HTML builder feeds each page to its search indexer as it writes it (``index_page``, from
``write_doc_serialized``): every text node split by jieba and stemmed, and jieba's dictionaries
loaded first. That is a quarter of the writing phase's CPU in the 1,000-entry book (3.4 of 14 s),
on the build's one busy core, even under ``-j``, where Sphinx keeps it in the main process.

So when writing starts (``write_documents``, after ``prepare_writing`` loaded and pruned the old
index) the build forks: the child resolves each page to be written as the parent does and feeds
it to the indexer, in the same order and through the same ``write_doc_serialized``, then restores
the entries of pages not rewritten (``incremental.restore_index_entries``) and dumps
``searchindex.js``. The parent skips ``index_page``; where it would dump the index it waits for
the child instead, and fails the build with the child's traceback if the child failed. The child
repeats the parent's resolving, so it sends no warnings back (they would be reported twice).

Where forking is not safe (``background.can_fork``) or the builder is not the HTML site's, the
index is built in the process itself, as before.
"""

from __future__ import annotations

import gc
from typing import Iterable

from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder

from . import background, incremental

#: where the child is kept on the app (``background.start``)
SLOT = "llmkb_search_child"

#: builders whose search index a child may build: the HTML site's (EPUB, which subclasses the
#: HTML builder, has no search)
BUILDERS = ("html", "dirhtml")

#: pages resolved between two full collections in the child (cf. ``extension.collect_written``)
COLLECT_EVERY = 20


def build_index(app: Sphinx, docnames: Iterable[str]) -> None:
    """What the child does: feed the pages to be written to the indexer, as the serial build does,
    and write ``searchindex.js``."""
    builder = app.builder
    for count, docname in enumerate(sorted(docnames), 1):
        doctree = app.env.get_and_resolve_doctree(docname, builder)
        builder.write_doc_serialized(docname, doctree)
        del doctree
        if count % COLLECT_EVERY == 0:  # a resolved doctree is cyclic garbage once fed
            gc.collect()
    incremental.restore_index_entries(app)
    StandaloneHTMLBuilder.dump_search_index(builder)


def _skip_index_page(pagename, doctree, title) -> None:
    """The parent's ``index_page`` while a child builds the index."""


def fork_at_write(app: Sphinx) -> None:
    """``builder-inited``: from now on, the builder's ``write_documents`` starts the child first."""
    builder = app.builder
    if builder.name not in BUILDERS or not isinstance(builder, StandaloneHTMLBuilder):
        return
    write_documents = builder.write_documents

    def write_documents_indexed_aside(docnames) -> None:
        if builder.indexer is not None and background.start(
                app, lambda app: build_index(app, docnames), slot=SLOT, report=False, collect=True):
            builder.index_page = _skip_index_page
            builder.dump_search_index = lambda: wait(app)
        write_documents(docnames)

    builder.write_documents = write_documents_indexed_aside


def wait(app: Sphinx, exception: Exception | None = None) -> None:
    """Where the parent would dump the index: wait for the child that writes it."""
    try:
        background.wait(app, SLOT, "building the search index (searchindex.js)", exception)
    finally:  # the builder is back to itself for the next build in this process (llmkb.preview)
        for name in ("index_page", "dump_search_index"):
            app.builder.__dict__.pop(name, None)


def stop(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: a build that failed while writing never reached the dump; its child is
    stopped (and a child still running for any other reason is waited for)."""
    if getattr(app, SLOT, None) is not None:
        wait(app, exception)


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", fork_at_write)
    app.connect("build-finished", stop, priority=50)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
