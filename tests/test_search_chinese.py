"""llmkb.search.chinese: the cached indexer splits exactly as Sphinx's own Chinese class does."""

import re
import shutil
from pathlib import Path

import pytest
from sphinx.search import languages
from sphinx.search.zh import SearchChinese

from llmkb.search import user_dict
from llmkb.search.chinese import CachedSearchChinese
from llmkb.search.index_file import read_index

TEXTS = ["大语言模型的低秩适配（LoRA）", "Attention Is All You Need", "NeurIPS 2023", "新方法",
         "GPT-4 技术报告", "Hu, Edward J. and Shen, Yelong", "", "  ", "多模态大模型 MLLM 幻觉评估"]


@pytest.fixture(scope="module")
def both():
    return SearchChinese({}), CachedSearchChinese({})


def kept(lang, words):
    """The words Sphinx's indexer keeps (it stems each and drops one-character results)."""
    return sorted(w for w in words if lang.word_filter(lang.stem(w)))


ROWS = ["LoRA: Low-Rank Adaptation of Large Language Models\n代码\nEdward J. Hu, Yelong Shen 等\n低秩适配\nICLR 2022",
        "Edward\xa0J. Hu, and Lu\xa0Wang. In Advances (NeurIPS 2023). URL: https://arxiv.org/abs/2106.09685",
        "多模态大模型\n幻觉评估\u3000\n\nNeurIPS 2023", "大语言 模型", "C++ a.b-c 100% #1 x&y\t\r\nend"]


def test_split_keeps_the_words_of_sphinx_including_repeats_and_latin_terms(both):
    plain, cached = both
    for text in (TEXTS + ROWS) * 3:  # the second and third rounds are cache hits
        # Sphinx's class indexes "\r\n" itself (jieba emits it as one two-character token)
        assert kept(plain, cached.split(text)) == [w for w in kept(plain, plain.split(text)) if w != "\r\n"], text
    assert cached.latin_terms == plain.latin_terms
    words = {w for text in TEXTS + ROWS for w in text.split()}
    assert set(cached._splits) == words  # cached word by word, never whole texts


def test_stem_equals_sphinx_as_latin_terms_grow(both):
    plain, cached = both
    words = ["models", "Models", "LoRA", "ies", "ties", "bias", "was", "AAAI", "news", "2023", "低秩适配", "ICLR"]
    for word in words:
        assert cached.stem(word) == plain.stem(word), word
    for lang in (plain, cached):  # "ies" stems to "ie": kept whole once it is a Latin term seen
        lang.latin_terms.add("ies")
    for word in words * 2:
        assert cached.stem(word) == plain.stem(word), word
    assert cached.stem("ies") == "ies"


def test_jieba_dictionaries_load_at_the_first_split_not_before(monkeypatch, tmp_path):
    import sphinx.search.zh as zh

    loads = []
    monkeypatch.setattr(zh, "jieba_load_userdict", loads.append)
    user_dict = tmp_path / "dict.txt"
    user_dict.write_text("大语言模型 100 n\n", encoding="utf-8")
    lang = CachedSearchChinese({"dict": str(user_dict)})
    assert loads == [] and lang.stem("models") == "model"  # stemming needs no dictionary
    lang.split("大语言模型 LoRA")
    lang.split("多模态")
    assert loads == [str(user_dict)]  # once


def test_a_user_dictionary_is_loaded_once_per_process_and_content(monkeypatch, tmp_path):
    """jieba is global: a second build in the same process (llmkb.preview) must not add the same
    words again, but a changed dictionary is loaded."""
    import sphinx.search.zh as zh

    from llmkb.search import chinese as search_chinese

    loads = []
    monkeypatch.setattr(zh, "jieba_load_userdict", loads.append)
    monkeypatch.setattr(search_chinese, "_LOADED_DICTS", set())
    user_dict = tmp_path / "dict.txt"
    user_dict.write_text("大语言模型 100 n\n", encoding="utf-8")
    for _ in range(2):
        CachedSearchChinese({"dict": str(user_dict)}).split("多模态")
    assert loads == [str(user_dict)]
    user_dict.write_text("大语言模型 100 n\n多模态 100 n\n", encoding="utf-8")
    CachedSearchChinese({"dict": str(user_dict)}).split("多模态")
    assert loads == [str(user_dict)] * 2


def test_callers_cannot_corrupt_the_cache(both):
    _, cached = both
    words = cached.split("思维链提示")
    words.append("junk")
    assert "junk" not in cached.split("思维链提示")


@pytest.mark.sphinx("html", testroot="basic", confoverrides={"language": "zh_CN"})
def test_a_book_with_llmkb_indexes_with_the_cached_class(app, warning):
    app.build()
    assert warning.getvalue() == ""
    assert isinstance(app.builder.indexer.lang, CachedSearchChinese)
    assert app.builder.indexer.lang._splits  # it did the splitting
    assert languages["zh"] is CachedSearchChinese


def test_words_without_a_letter_are_not_indexed_because_no_query_can_find_them(both):
    # searchtools.js splits a query at all but letters and digits and skips digit-only pieces
    plain, cached = both
    assert [w for w in ["2017", "0.5", "50%", "1,000", "gpt-4", "12b", "大模型", "ab"] if cached.word_filter(w)] == \
        ["gpt-4", "12b", "大模型", "ab"]
    assert plain.word_filter("2017")  # Sphinx's own class kept them
    assert not cached.word_filter("x") and not cached.word_filter("模")  # and its rule still holds


@pytest.mark.sphinx("html", testroot="basic", confoverrides={"language": "zh_CN"})
def test_the_built_index_has_no_word_without_a_letter(app):
    app.build()
    terms, _ = _index_terms(Path(app.outdir))
    # words that point to no page are left from an earlier build's index in the same output folder
    # (Sphinx loads it, re-feeds the pages it writes and keeps the emptied words), not indexed now
    indexed = {t for t, pages in terms.items() if pages != []}
    assert indexed and not [t for t in indexed if not re.search(r"[^\W\d_]", t)]


# --- the user dictionary: glossary terms included, its file named by its content ----------------

def test_the_dictionary_takes_the_glossary_terms_and_is_named_by_content(tmp_path):
    first = user_dict.write(tmp_path, ["注意力汇聚", "KV 缓存", "词元（token）"])
    text = first.read_text(encoding="utf-8")
    assert "注意力汇聚 100000 n\n" in text and "缓存 100000 n\n" in text and "词元 100000 n\n" in text
    assert "KV" not in text and "token" not in text  # only the Chinese runs
    assert "\n前 " not in text and not text.startswith("前 ")  # ... of two characters or more
    assert "前" not in user_dict.han_runs("前 k 采样") and user_dict.han_runs("前 k 采样") == ["采样"]
    assert user_dict.write(tmp_path, ["注意力汇聚", "KV 缓存", "词元（token）"]) == first  # same content, same file
    second = user_dict.write(tmp_path, ["注意力汇聚", "锦标赛采样"])
    assert second != first and not first.exists()  # a new name, the old file gone
    assert "锦标赛采样 100000 n\n" in second.read_text(encoding="utf-8")


def _index_terms(outdir: Path) -> tuple[dict, list]:
    index = read_index(Path(outdir) / "searchindex.js")
    return index["terms"], index["docnames"]


def _docs_with(terms: dict, docnames: list, word: str) -> set[str]:
    found = terms.get(word, [])
    return {docnames[i] for i in ([found] if isinstance(found, int) else found)}


def test_a_new_glossary_term_is_searchable_whole_on_every_page_even_after_an_incremental_build(make_app, rootdir, tmp_path):
    """jieba cuts 注意力汇聚 into 注意/注意力/汇聚 by itself. As a glossary term it is one word, and a
    glossary edit re-indexes every page (the dictionary's name is in html_search_options), not
    only the glossary page an incremental build rewrites."""
    src = tmp_path / "book"
    shutil.copytree(rootdir / "test-terms", src)
    glossary = src / "appendix" / "glossary" / "a-z.md"
    head, fence, tail = glossary.read_text(encoding="utf-8").rpartition(":::")
    entry = "\n注意力汇聚\n  Attention Sink。首个词元吸走大量注意力的现象。\n"
    glossary.write_text(head + entry + fence + tail, encoding="utf-8")
    page = src / "page.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n注意力汇聚和锦标赛采样都写在这一页。\n", encoding="utf-8")

    app = make_app("html", srcdir=src, confoverrides={"language": "zh_CN"})
    app.build()
    terms, docnames = _index_terms(Path(app.outdir))
    assert "page" in _docs_with(terms, docnames, "注意力汇聚")
    assert "锦标赛采样" not in terms  # not a term yet: jieba cuts it

    entry2 = "\n锦标赛采样\n  Tournament Sampling。两两比较选出胜者的采样方法。\n"
    head, fence, tail = glossary.read_text(encoding="utf-8").rpartition(":::")
    glossary.write_text(head + entry2 + fence + tail, encoding="utf-8")
    app2 = make_app("html", srcdir=src, confoverrides={"language": "zh_CN"})
    app2.build()
    terms, docnames = _index_terms(Path(app2.outdir))
    assert "page" in _docs_with(terms, docnames, "锦标赛采样")  # page.md itself was not edited


def test_jieba_reads_its_dictionary_cache_whole_and_gets_what_marshal_load_gives(tmp_path):
    """jieba's cache (its 350,000-word dictionary, ~9 MB) is read whole and unmarshalled
    (``_WholeFileMarshal``), not with ``marshal.load`` on the file, which reads it in small
    pieces (3x slower). Same objects; jieba's own fallbacks are untouched."""
    import marshal

    import jieba

    from llmkb.search import chinese

    data = ({"大语言模型": 3, "模型": 7, "x" * 70_000: 1}, 11)
    path = tmp_path / "data.marshal"
    path.write_bytes(marshal.dumps(data))
    with path.open("rb") as file:
        assert chinese._WholeFileMarshal.load(file) == data

    CachedSearchChinese({}).warm()  # loading the dictionaries puts the shim in jieba's place
    assert isinstance(jieba.marshal, chinese._WholeFileMarshal)
    builds = jieba.Tokenizer()  # no cache in tmp_path: builds the prefix dictionary, dumps it
    builds.tmp_dir = str(tmp_path)
    builds.initialize()
    assert (tmp_path / "jieba.cache").is_file()
    reads = jieba.Tokenizer()
    reads.tmp_dir = str(tmp_path)
    reads.initialize()  # through the shim
    assert reads.total == builds.total and reads.FREQ == builds.FREQ and len(reads.FREQ) > 300_000
    assert reads.lcut_for_search("大语言模型的低秩适配") == builds.lcut_for_search("大语言模型的低秩适配")

    # a damaged cache: the shim raises as marshal would, jieba rebuilds as it always did
    (tmp_path / "jieba.cache").write_bytes(b"\x00not marshal data")
    rebuilt = jieba.Tokenizer()
    rebuilt.tmp_dir = str(tmp_path)
    rebuilt.initialize()
    assert rebuilt.FREQ == builds.FREQ and rebuilt.total == builds.total
