"""searchindex.js written compactly and in shards (llmkb/search/index_file.py, issue 19).
The browser side (the decoder and shard loader at the head of the file) is in tests/browser/test_search.py."""

import io
import json
import re
from pathlib import Path

import pytest
from sphinx.search import js_index

from llmkb.search import index_file
from llmkb.search.index_file import (
    CompactJavaScriptIndex,
    compact_js_index,
    group_words,
    posting_code,
    posting_ids,
    query_shard,
    read_index,
    split_terms,
    word_shards,
)

#: every shape Sphinx writes: a page id alone, a sorted list, a one-id list, an empty list
INDEX = {
    "terms": {"模型": [0, 3, 7], "lora": 2, "注意力": [0, 3, 7], "孤": [5], "空": [], "大模型": 2, "x1": [1, 2]},
    "titleterms": {"量化": 1, "剪枝": [1, 4]},
    "titles": ["大语言模型\u2028第二行"],
    "docnames": ["a/b"],
    "alltitles": {"引言": [[0, None]]},
}


def body(text: str) -> dict:
    """The JSON written after the decoder."""
    return json.loads(text[text.index("return x})(") + len("return x})("):-2])


def test_ids_round_trip_through_their_codes():
    for ids in (0, 12, [0, 3, 7], [5], [], [1, 2], [4, 4000]):
        assert posting_ids(posting_code(ids)) == ids
    assert posting_code([0, 3, 7]) == "0,3,4"  # gaps between successive ids
    assert posting_code(5) == "5" and posting_code([5]) == ",5" and posting_code([]) == ","


def test_the_same_index_in_fewer_bytes_and_read_back_exactly():
    text = compact_js_index.dumps(INDEX)
    assert text.startswith("Search.setIndex((function(x){") and text.endswith("}))")
    grouped = body(text)
    assert grouped["terms"] == {"0,3,4": "模型 注意力", "2": "lora 大模型", ",5": "孤", ",": "空", "1,1": "x1"}
    assert grouped["alltitles"] == INDEX["alltitles"]  # the other keys as Sphinx writes them
    assert "模型" in text and "\\u6a21" not in text
    # JSON allows U+2028/U+2029 raw in a string, older JavaScript does not: they stay escaped
    assert "\u2028" not in text and "\\u2028" in text
    assert compact_js_index.loads(text) == read_index(text) == INDEX  # incremental builds read it back
    # the data (less the decoder's fixed ~1 KB at the head of the file) is smaller than Sphinx's
    data = text[text.index("return x})(") + len("return x})("):-2]
    assert len(data.encode("utf-8")) < len(js_index.dumps(INDEX).encode("utf-8")) - len("Search.setIndex()")


def test_a_mapping_that_cannot_be_grouped_is_written_as_sphinx_writes_it():
    for terms in ({"two words": 1}, {"unsorted": [3, 1]}, {"neg": -1}):
        data = {"terms": terms, "docnames": ["a"]}
        text = compact_js_index.dumps(data)
        assert body(text)["terms"] == terms
        assert compact_js_index.loads(text) == data


def test_an_index_sphinx_wrote_still_reads():
    assert read_index(js_index.dumps(INDEX)) == INDEX


@pytest.mark.parametrize("text", ["", "Search.setIndex({})", "Search.setIndex((function(x){}))({\"terms\":{}}))",
                                  "Search.setIndex((function(x){return x})({\"terms\":{\"a\":\"b\"}}))"])
def test_a_damaged_file_is_a_value_error_as_sphinx_expects(text):
    # Sphinx's incremental build reads the old index and treats ValueError as "no usable index"
    with pytest.raises(ValueError):
        compact_js_index.loads(text)


# --- shards ------------------------------------------------------------------------------------

WORDS = ["大语言模型", "语言", "模型", "语言模型", "多模态大模型", "lora", "qlora", "transformer", "transform",
         "注意力", "自注意力", "𠀀字", "ab", "é𝒳z"]  # an astral character: code points, not UTF-16 units


def lookups(terms: dict, word: str) -> dict:
    """What searchtools.js finds for a query word: the word itself and, when it is longer than two
    characters (JavaScript's length: UTF-16 units), every word that contains it."""
    found = {word: terms[word]} if word in terms else {}
    if len(word.encode("utf-16-le")) // 2 > 2:
        found.update({t: ids for t, ids in terms.items() if word in t})
    return found


@pytest.mark.parametrize("n", [1, 2, 7, 64])
def test_a_query_word_s_shard_holds_every_word_the_whole_index_would_give_it(n):
    terms = {w: [i, i + 3] for i, w in enumerate(WORDS)}
    shards = split_terms(terms, n)
    queries = {w[i:j] for w in WORDS for i in range(len(w)) for j in range(i + 1, len(w) + 1)} | {"无关", "zz"}
    for q in queries:
        k = query_shard(q, n)
        if len(q) < 2:
            assert k == -1 and not {t for t in lookups(terms, q) if len(t) >= 2 and t != q}
            continue
        assert lookups(shards[k], q) == lookups(terms, q), (q, n)
    assert all(word_shards(w, n) for w in WORDS)


def dump_to(folder: Path, data: dict, shard_bytes: int) -> str:
    fmt = CompactJavaScriptIndex(folder, shard_bytes)
    out = io.StringIO()
    fmt.dump(data, out)
    (folder / "searchindex.js").write_text(out.getvalue(), encoding="utf-8")
    return out.getvalue()


def big_index(words: int = 400) -> dict:
    terms = {f"词{i}语{i % 13}": sorted({i % 7, i % 11 + 7}) for i in range(words)}
    return {**INDEX, "terms": {**INDEX["terms"], **terms}}


def test_a_large_index_is_written_in_shards_and_read_back_whole(tmp_path):
    data = big_index()
    text = dump_to(tmp_path, data, 2000)
    shards = body(text)[index_file.SHARDS_KEY]
    # the one-character words stay in the index (they have no character pair); the rest are in shards
    assert body(text)["terms"] == {",": "空", ",5": "孤"} and shards["n"] > 1
    assert shards["path"] == f"_search/{shards['v']}/"  # a folder a version: see the next test
    files = sorted((tmp_path / "_search").rglob("*.js"))
    assert len(files) == shards["n"]
    for path in files:
        assert re.fullmatch(r"Search\.llmkbShard\(\d+,\{.*\}\)", path.read_text(encoding="utf-8"), re.S)
    assert read_index(tmp_path / "searchindex.js") == data
    # a later, smaller build leaves no shard of the earlier one behind
    dump_to(tmp_path, INDEX, 2000)
    assert not list((tmp_path / "_search").rglob("*.js"))
    assert read_index(tmp_path / "searchindex.js") == INDEX


def test_the_version_changes_with_the_shards_contents(tmp_path):
    data = big_index()
    v1 = body(dump_to(tmp_path, data, 2000))[index_file.SHARDS_KEY]["v"]
    assert body(dump_to(tmp_path, data, 2000))[index_file.SHARDS_KEY]["v"] == v1  # same input, same file
    (tmp_path / "_search" / "0.js").write_text("Search.llmkbShard(0,{})", encoding="utf-8")  # an older layout's
    data["terms"]["新词"] = 3
    v2 = body(dump_to(tmp_path, data, 2000))[index_file.SHARDS_KEY]["v"]
    assert v2 != v1
    # each version has its own folder, and only the newest is kept: a browser holding an old
    # searchindex.js (loaded without a version in its URL) finds its shards missing, not another
    # build's shards, whose page numbers would name other pages
    assert [p.name for p in (tmp_path / "_search").iterdir()] == [v2]


def test_a_missing_or_damaged_shard_is_a_value_error(tmp_path):
    dump_to(tmp_path, big_index(), 2000)
    text = (tmp_path / "searchindex.js").read_text(encoding="utf-8")
    with pytest.raises(ValueError, match="folder is not known"):
        read_index(text)  # the text alone cannot give the words
    (shard,) = (tmp_path / "_search").glob("*/1.js")
    shard.write_text("Search.llmkbShard(2,{})", encoding="utf-8")
    with pytest.raises(ValueError, match="not a shard 1"):
        read_index(tmp_path / "searchindex.js")
    shard.unlink()
    with pytest.raises(ValueError, match="unreadable"):
        read_index(tmp_path / "searchindex.js")


def test_shard_bytes_zero_writes_one_file(tmp_path):
    text = dump_to(tmp_path, big_index(), 0)
    assert index_file.SHARDS_KEY not in body(text) and not (tmp_path / "_search").exists()
    assert read_index(tmp_path / "searchindex.js") == big_index()


def test_grouping_pays_for_itself():
    import gzip
    terms = {f"词{i}": sorted({i % 7, i % 11 + 7}) for i in range(600)}
    plain = gzip.compress(json.dumps(terms, ensure_ascii=False, separators=(",", ":")).encode())
    grouped = gzip.compress(json.dumps(group_words(terms), ensure_ascii=False, separators=(",", ":")).encode())
    assert len(grouped) < len(plain)


@pytest.mark.sphinx("html", testroot="notes", confoverrides={"llmkb_search_shard_bytes": 300})
def test_the_built_index_is_compact_sharded_and_as_sphinx_would_write_it(app, warning):
    app.build()
    assert warning.getvalue() == ""
    assert isinstance(app.builder.indexer_format, CompactJavaScriptIndex)
    path = Path(app.outdir) / "searchindex.js"
    text = path.read_text(encoding="utf-8")
    assert text.startswith(CompactJavaScriptIndex.PREFIX)
    assert re.search(r"[\u4e00-\u9fff]", text) and not re.search(r"\\u[4-9][0-9a-f]{3}", text)
    assert body(text)[index_file.SHARDS_KEY]["n"] > 1
    data = read_index(path)
    assert data["terms"] and data["docnames"]
    assert all(isinstance(v, (int, list)) for v in data["terms"].values())
