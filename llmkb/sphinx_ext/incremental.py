"""Incremental HTML builds that end with the same search index and sitemap as a clean build.

Two outputs are collected while pages are written, so a rebuild that writes two pages kept only
what those two pages contributed (seen in this book: 182 glossary entries in the search index and
33 sitemap URLs after a clean build, 0 and 2 after editing one page):

* Sphinx 8.2's search index entries (the glossary's terms, ``index`` directives). They are
  gathered into a dict on the environment *after* the environment is pickled, and
  ``IndexBuilder.load`` restores the terms and titles of the pages it keeps, but not their
  entries. :func:`restore_index_entries` puts back those of every page not written this time,
  from the ``searchindex.js`` still on disk, just before Sphinx dumps the new one.
* sphinx-sitemap 2.9 lists the pages ``html-page-context`` saw. :func:`complete_sitemap` asks
  sphinx-sitemap itself (``add_html_link``, so its URL rules and excludes apply) for the link of
  every document, in document order, before it writes ``sitemap.xml``. Its queue is filled from
  several processes under ``-j``, in whatever order they finish; the result is now the same as a
  serial build's.

Both are upstream bugs; these functions are the workaround until they are fixed there, and do
nothing when the structures they rely on are missing.
"""

from __future__ import annotations

import queue
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.search import js_index


def restore_index_entries(app: Sphinx) -> list:
    """``html-collect-pages`` handler (it runs right before the search index is dumped)."""
    indexer = getattr(app.builder, "indexer", None)
    entries = getattr(indexer, "_index_entries", None)
    if entries is None:
        return []
    path = Path(app.outdir) / app.builder.searchindex_filename
    try:
        # the format this builder writes (llmkb.search.index_file's, in the book)
        frozen = getattr(app.builder, "indexer_format", js_index).loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(frozen, dict) or frozen.get("envversion") != getattr(indexer, "_env_version", None):
        return []  # Sphinx did not load this index either
    docnames = frozen.get("docnames", [])
    restored: dict[str, list[tuple[str, str, str]]] = {}
    for name, hits in frozen.get("indexentries", {}).items():
        for doc, target, main in hits:
            docname = docnames[doc]
            if docname in app.env.all_docs and docname not in entries:  # kept, not rewritten
                restored.setdefault(docname, []).append((name, target, "main" if main else ""))
    if restored:
        merged = {**entries, **{doc: sorted(items) for doc, items in restored.items()}}
        entries.clear()
        entries.update(sorted(merged.items()))  # pages in writing order, as in a clean build
    return []


def complete_sitemap(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished`` handler, before sphinx-sitemap's (priority 500) writes the file."""
    links = getattr(app, "sitemap_links", None)
    if exception is not None or links is None or app.builder.format != "html":
        return
    from sphinx_sitemap import add_html_link

    written = _drain(links)
    documents: queue.Queue = queue.Queue()
    app.sitemap_links = documents  # where add_html_link puts what it finds
    try:
        for docname in sorted(app.env.all_docs):
            add_html_link(app, docname, None, None, None)
    finally:
        app.sitemap_links = links
    found = _drain(documents)
    seen = {link for link, _ in found}
    # then pages that are not documents (the book's excludes drop them today)
    for item in [*found, *(item for item in written if item[0] not in seen)]:
        links.put(item)


def _drain(q) -> list:
    """Everything in a queue (sphinx-sitemap's is a multiprocessing one), emptying it."""
    items = []
    while True:
        try:
            items.append(q.get_nowait())
        except queue.Empty:
            return items


def setup(app: Sphinx) -> dict:
    app.connect("html-collect-pages", restore_index_entries)
    app.connect("build-finished", complete_sitemap, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
