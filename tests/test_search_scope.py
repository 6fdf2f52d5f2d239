"""The search index leaves out the pages' reference lists (llmkb/search/scope.py, issue 19)."""

import json
import re
from pathlib import Path

import pytest

from llmkb.search.index_file import read_index


@pytest.mark.sphinx("html", testroot="notes")
def test_reference_list_entries_are_shown_but_not_indexed(app, warning):
    app.build()
    assert warning.getvalue() == ""
    peft = (Path(app.outdir) / "efficiency/peft.html").read_text(encoding="utf-8")
    index = json.dumps(read_index(Path(app.outdir) / "searchindex.js"), ensure_ascii=False).lower()
    # the entries are on the page, as Sphinx writes them (the class is lent only for indexing)
    assert len(re.findall(r'<div class="citation" id="cite-[^"]+"', peft)) == 4 and "no-search" not in peft
    # Mona Attariyan, Houlsby et al.'s sixth author, is named only in the page's reference list
    # (the rows show three authors): shown to the reader, not in the index
    assert "Attariyan" in peft and '"attariyan"' not in index
    # what the rows and the prose hold stays searchable: a first author, a summary's word
    assert '"houlsbi"' in index and "normalfloat" in index  # terms are stemmed (Porter)


def _postings(value) -> list[int]:
    return value if isinstance(value, list) else [value]


def test_paper_directories_are_left_out_and_the_changelog_is_found_by_its_titles_only(book):
    """The paper-directory pages would add only their titles (one duplicate hit per page); the
    changelog's, the errata's and the recent-papers list's text retells the topic pages, so only their section
    titles are indexed (llmkb/search/scope.py)."""
    proc, out = book
    assert proc.returncode == 0, proc.stderr[-2000:]
    index = read_index(out / "searchindex.js")
    docs = index["docnames"]
    assert "knowledge/rag" in docs and not [d for d in docs if d.startswith("_generated/")]
    assert (out / "_generated/papers/rag/1.html").is_file()  # still built, and linked from its topic page
    for page in ("appendix/changelog", "appendix/errata", "appendix/recent"):
        i = docs.index(page)
        assert not [t for t, v in index["terms"].items() if i in _postings(v)], page
        assert [t for t, v in index["titleterms"].items() if i in _postings(v)], page
    changelog, errata = docs.index("appendix/changelog"), docs.index("appendix/errata")
    assert {hit[0] for hit in index["alltitles"]["勘误"]} >= {changelog, errata}
    # a topic page's own text stays: words the RAG page teaches point to it (as title words when
    # its titles hold them: Sphinx lists a page's title words under titleterms only)
    rag = docs.index("knowledge/rag")
    assert rag in _postings(index["titleterms"]["检索"]) and len([v for v in index["terms"].values() if rag in _postings(v)]) > 500
