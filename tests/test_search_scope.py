"""The search index leaves out the pages' reference lists (llmkb/search/scope.py, issue 19)."""

import re
from pathlib import Path

import pytest


@pytest.mark.sphinx("html", testroot="notes")
def test_reference_list_entries_are_shown_but_not_indexed(app, warning):
    app.build()
    assert warning.getvalue() == ""
    peft = (Path(app.outdir) / "efficiency/peft.html").read_text(encoding="utf-8")
    index = (Path(app.outdir) / "searchindex.js").read_text(encoding="utf-8").lower()
    # the entries are on the page, as Sphinx writes them (the class is lent only for indexing)
    assert len(re.findall(r'<div class="citation" id="cite-[^"]+"', peft)) == 4 and "no-search" not in peft
    # Mona Attariyan, Houlsby et al.'s sixth author, is named only in the page's reference list
    # (the rows show three authors): shown to the reader, not in the index
    assert "Attariyan" in peft and '"attariyan"' not in index
    # what the rows and the prose hold stays searchable: a first author, a summary's word
    assert '"houlsbi"' in index and "normalfloat" in index  # terms are stemmed (Porter)
