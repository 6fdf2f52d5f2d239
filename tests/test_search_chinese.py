"""llmkb.search_chinese: the cached indexer splits exactly as Sphinx's own Chinese class does."""

import pytest
from sphinx.search import languages
from sphinx.search.zh import SearchChinese

from llmkb.search_chinese import CachedSearchChinese

TEXTS = ["大语言模型的低秩适配（LoRA）", "Attention Is All You Need", "NeurIPS 2023", "新方法",
         "GPT-4 技术报告", "Hu, Edward J. and Shen, Yelong", "", "  ", "多模态大模型 MLLM 幻觉评估"]


@pytest.fixture(scope="module")
def both():
    return SearchChinese({}), CachedSearchChinese({})


def test_split_equals_sphinx_including_repeats_and_latin_terms(both):
    plain, cached = both
    for text in TEXTS * 3:  # the second and third rounds are cache hits
        assert cached.split(text) == plain.split(text), text
    assert cached.latin_terms == plain.latin_terms
    assert len(cached._splits) == len(set(TEXTS))


def test_lines_are_split_one_by_one_with_the_words_of_the_whole(both):
    """A paper row's text (title, authors, kind, venue, date on lines) gives the words Sphinx's
    class finds in the whole text, apart from line breaks, which the index drops anyway."""
    plain, cached = both
    kept = lambda words: sorted(w for w in words if plain.word_filter(plain.stem(w)))  # noqa: E731
    rows = ["LoRA: Low-Rank Adaptation of Large Language Models\n代码\nEdward J. Hu, Yelong Shen 等\n低秩适配\nICLR 2022\n2021-06-17",
            "多模态大模型\n幻觉评估\n\nNeurIPS 2023", "大语言\n模型"]
    for text in rows:
        assert kept(cached.split(text)) == kept(plain.split(text)), text
    cached.split("第一行\nNeurIPS 2023")
    assert "NeurIPS 2023" in cached._splits and "第一行\nNeurIPS 2023" not in cached._splits


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
