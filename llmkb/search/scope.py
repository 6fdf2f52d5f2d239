"""What the search index leaves out: the pages' reference lists (issue 19).

Every topic page ends with the papers it cites, each with its full author list, title and venue.
Those entries were a fifth of the index every reader who searches downloads (38 of 190 KB
gzipped in December 2026), and the search page had reached the 300 KB first-load budget. The
prose keeps what a reader searches for: a citation in the text names its first author
("Vaswani 等人"), and the papers' own names (LoRA, DPR) are in the explanations. A paper's full
title and authors are searched on the paper index, whose filter reads every paper's data.

Sphinx's word collector skips any element with the class ``no-search``; the entries get it when
their page is resolved, before the HTML writer indexes the page.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

NO_SEARCH = "no-search"


def leave_out_reference_lists(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for entry in doctree.findall(nodes.citation):
        if NO_SEARCH not in entry["classes"]:
            entry["classes"].append(NO_SEARCH)


def setup(app: Sphinx) -> dict:
    # late: sphinxcontrib-bibtex (fast_bibtex) fills the bibliographies in doctree-resolved
    app.connect("doctree-resolved", leave_out_reference_lists, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
