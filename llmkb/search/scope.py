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

Two kinds of page go further (December 2026: the search page's first load had passed 300 KB again
as the book's prose grew):

* a page that asks to stay out of the search (``nosearch`` in its front matter, as the
  paper-directory pages of ``llmkb.sphinx_ext.paging`` do) is not fed to the index at all. Sphinx
  honours the field only halfway: it feeds the page with an empty title and no text, which still
  gives it a place in every array of the index (~3 KB gzipped at 10,000 entries, growing with the
  book) and, sorting first, pushed every other page's postings to three-digit ids;
* the changelog, the errata and the recent-papers list are indexed by their titles only. Their text retells
  what the topic pages teach ("新增……KV 缓存压缩……"), so a search for a concept listed them
  among the pages that teach it; 6 of the index's 196 KB gzipped. Their section titles
  (「勘误」, a version) still find them.
"""

from __future__ import annotations

from typing import Callable

from docutils import nodes
from sphinx.application import Sphinx

NO_SEARCH = "no-search"
#: the front-matter fields with which a page asks to stay out of the search index (Sphinx's own)
NOSEARCH_FIELDS = ("nosearch", "no-search")
#: pages whose text the index leaves out, keeping their section titles
TITLES_ONLY = ("appendix/changelog", "appendix/errata", "appendix/recent")


def hidden_from_index(pagename: str, doctree: nodes.document) -> list[nodes.Element]:
    """The elements of ``doctree`` the indexer must skip: reference-list entries, and on a
    TITLES_ONLY page everything but the sections and their titles."""
    hidden: list[nodes.Element] = list(doctree.findall(nodes.citation))
    if pagename in TITLES_ONLY:
        for parent in [doctree, *doctree.findall(nodes.section)]:
            hidden.extend(child for child in parent.children
                          if isinstance(child, nodes.Element) and not isinstance(child, (nodes.section, nodes.title)))
    return [element for element in hidden if NO_SEARCH not in element["classes"]]


def index_without_reference_lists(index, metadata: Callable[[str], dict]):
    """``builder.index_page`` (``index``) with what ``hidden_from_index`` names hidden from the
    indexer, and the pages whose front matter (``metadata``: page -> its fields) asks for no
    search left out."""
    def index_page(pagename: str, doctree: nodes.document, title: str) -> None:
        if any(name in metadata(pagename) for name in NOSEARCH_FIELDS):
            return
        hidden = hidden_from_index(pagename, doctree)
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
        builder.index_page = index_without_reference_lists(builder.index_page,
                                                           lambda name: builder.env.metadata.get(name, {}))
        builder._llmkb_scoped_index = True


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", wrap_indexing)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
