"""searchindex.js written compactly: UTF-8, words grouped by page list (llmkb/search/index_file.py,
issue 19). The browser side (the decoder at the head of the file) is in tests/browser/test_search.py."""

import gzip
import json
import re
from pathlib import Path

import pytest
from sphinx.search import js_index

from llmkb.search import index_file
from llmkb.search.index_file import compact_js_index, group_words, posting_code, posting_ids, read_index

#: every shape Sphinx writes: a page id alone, a sorted list, a one-id list, an empty list
INDEX = {
    "terms": {"模型": [0, 3, 7], "lora": 2, "注意力": [0, 3, 7], "孤": [5], "空": [], "大模型": 2, "x1": [1, 2]},
    "titleterms": {"量化": 1, "剪枝": [1, 4]},
    "titles": ["大语言模型\u2028第二行"],
    "docnames": ["a/b"],
    "alltitles": {"引言": [[0, None]]},
}


def test_ids_round_trip_through_their_codes():
    for ids in (0, 12, [0, 3, 7], [5], [], [1, 2], [4, 4000]):
        assert posting_ids(posting_code(ids)) == ids
    assert posting_code([0, 3, 7]) == "0,3,4"  # gaps between successive ids
    assert posting_code(5) == "5" and posting_code([5]) == ",5" and posting_code([]) == ","


def test_the_same_index_in_fewer_bytes_and_read_back_exactly():
    text = compact_js_index.dumps(INDEX)
    assert text.startswith("Search.setIndex((function(x){") and text.endswith("}))")
    grouped = json.loads(text[len(compact_js_index.PREFIX):-len(compact_js_index.SUFFIX)])
    assert grouped["terms"] == {"0,3,4": "模型 注意力", "2": "lora 大模型", ",5": "孤", ",": "空", "1,1": "x1"}
    assert grouped["alltitles"] == INDEX["alltitles"]  # the other keys as Sphinx writes them
    assert "模型" in text and "\\u6a21" not in text
    # JSON allows U+2028/U+2029 raw in a string, older JavaScript does not: they stay escaped
    assert "\u2028" not in text and "\\u2028" in text
    assert compact_js_index.loads(text) == read_index(text) == INDEX  # incremental builds read it back
    # the data (less the decoder's fixed ~0.3 KB at the head of the file) is smaller than Sphinx's
    body = text[len(compact_js_index.PREFIX):-len(compact_js_index.SUFFIX)]
    assert len(body.encode("utf-8")) < len(js_index.dumps(INDEX).encode("utf-8")) - len("Search.setIndex()")


def test_a_mapping_that_cannot_be_grouped_is_written_as_sphinx_writes_it():
    for terms in ({"two words": 1}, {"unsorted": [3, 1]}, {"neg": -1}):
        data = {"terms": terms, "docnames": ["a"]}
        text = compact_js_index.dumps(data)
        assert json.loads(text[len(compact_js_index.PREFIX):-len(compact_js_index.SUFFIX)])["terms"] == terms
        assert compact_js_index.loads(text) == data


def test_an_index_sphinx_wrote_still_reads():
    assert read_index(js_index.dumps(INDEX)) == INDEX


@pytest.mark.parametrize("text", ["", "Search.setIndex({})", "Search.setIndex((function(x){}))({\"terms\":{\"a\":\"b\"}}))"])
def test_a_damaged_file_is_a_value_error_as_sphinx_expects(text):
    # Sphinx's incremental build reads the old index and treats ValueError as "no usable index"
    with pytest.raises(ValueError):
        compact_js_index.loads(text)


def test_the_book_s_own_terms_are_smaller_grouped():
    """Not a timing: the grouping must pay for itself on real data (a few hundred words suffice)."""
    terms = {f"词{i}": sorted({i % 7, i % 11 + 7}) for i in range(600)}
    plain = gzip.compress(json.dumps(terms, ensure_ascii=False, separators=(",", ":")).encode())
    grouped = gzip.compress(json.dumps(group_words(terms), ensure_ascii=False, separators=(",", ":")).encode())
    assert len(grouped) < len(plain)


@pytest.mark.sphinx("html", testroot="notes")
def test_the_built_index_is_compact_and_as_sphinx_would_write_it(app, warning):
    app.build()
    assert warning.getvalue() == ""
    assert app.builder.indexer_format is compact_js_index
    path = Path(app.outdir) / "searchindex.js"
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    assert text.startswith(index_file.CompactJavaScriptIndex.PREFIX)
    assert re.search(r"[\u4e00-\u9fff]", text) and not re.search(r"\\u[4-9][0-9a-f]{3}", text)
    data = read_index(text)
    assert data["terms"] and data["docnames"]
    assert all(isinstance(v, (int, list)) for v in data["terms"].values())
    assert compact_js_index.dumps(data) == text  # what it reads back is what it wrote
