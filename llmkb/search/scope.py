"""What the search index leaves out: the pages' reference lists (issue 19).

Every topic page ends with the papers it cites, each with its full author list, title and venue.
Those entries were a fifth of the index every reader who searches downloads (38 of 190 KB
gzipped in December 2026), and the search page had reached the 300 KB first-load budget. The
prose keeps what a reader searches for: a citation in the text names its first author
("Vaswani 等人"), and the papers' own names (LoRA, DPR) are in the explanations. A paper's full
title and authors are searched on the paper index, whose filter reads every paper's data.

Sphinx's word collector skips any element with the class ``no-search``. The entries carry it only
while their page is indexed (the HTML builder indexes a page just before writing it), so the
HTML keeps Sphinx's own ``class="citation"``.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

NO_SEARCH = "no-search"


def index_without_reference_lists(index):
    """``builder.index_page`` (``index``) with the page's reference-list entries hidden from the indexer."""
    def index_page(pagename: str, doctree: nodes.document, title: str) -> None:
        hidden = [entry for entry in doctree.findall(nodes.citation) if NO_SEARCH not in entry["classes"]]
        for entry in hidden:
            entry["classes"].append(NO_SEARCH)
        try:
            index(pagename, doctree, title)
        finally:
            for entry in hidden:
                entry["classes"].remove(NO_SEARCH)
    return index_page


def wrap_indexing(app: Sphinx) -> None:
    builder = app.builder
    if hasattr(builder, "index_page") and not getattr(builder, "_llmkb_scoped_index", False):
        builder.index_page = index_without_reference_lists(builder.index_page)
        builder._llmkb_scoped_index = True


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", wrap_indexing)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
