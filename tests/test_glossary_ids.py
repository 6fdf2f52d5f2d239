"""Glossary anchors come from the terms' English names, so adding a term moves no other anchor."""

import json
import re
import shutil
from pathlib import Path

import pytest

from llmkb.sphinx_ext import glossary_ids

ROOT = Path(__file__).parent / "roots" / "test-terms"
PART = Path("appendix") / "glossary" / "a-z.md"
GLOSSARY = (ROOT / PART).read_text(encoding="utf-8")


@pytest.mark.parametrize("definition, anchor", [
    ("KV Cache。生成时缓存的键和值。", "term-kv-cache"),
    ("Retrieval-Augmented Generation（RAG）。先检索，再生成。", "term-retrieval-augmented-generation"),
    ("Effective Parameter Count（$N_{\\text{eff}}$）。折算后的参数量。", "term-effective-parameter-count"),
    ("pass@k。k 次里至少一次通过。", "term-pass-at-k"),
    ("pass^k。k 次全部通过。", "term-pass-hat-k"),
    ("Bradley–Terry Model。两两比较的概率模型。", "term-bradley-terry-model"),
    ("3-Dimensional Matryoshka Learning（3D-ML）。三个维度都可截短。", "term-3-dimensional-matryoshka-learning"),
])
def test_the_anchor_is_made_from_the_english_name(definition, anchor):
    assert glossary_ids.anchor(glossary_ids.english_name(definition)) == anchor


def test_a_definition_without_an_english_name_gives_no_anchor():
    assert glossary_ids.anchor(glossary_ids.english_name("生成时缓存的键和值。")) is None


def test_a_taken_anchor_gets_a_number():
    assert glossary_ids.unique("term-token", {"term-token", "term-token-2"}) == "term-token-3"
    assert glossary_ids.unique("term-token", set()) == "term-token"


def build(make_app, tmp_path, glossary=GLOSSARY):
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    (src / PART).write_text(glossary, encoding="utf-8")
    app = make_app("html", srcdir=src)
    app.build()
    return app


def term_ids(app):
    html = (app.outdir / PART.with_suffix(".html")).read_text(encoding="utf-8")
    return re.findall(r'<dt id="([^"]+)">', html)


def test_terms_and_every_link_to_them_use_the_english_anchor(make_app, tmp_path):
    app = build(make_app, tmp_path)
    assert term_ids(app) == ["term-kv-cache", "term-token"]
    page = (app.outdir / "page.html").read_text(encoding="utf-8")
    assert 'href="appendix/glossary/a-z.html#term-token"' in page
    assert 'href="appendix/glossary/a-z.html#term-kv-cache"' in page
    index = (app.outdir / "searchindex.js").read_text(encoding="utf-8")
    assert '"term-token"' in index and '"term-kv-cache"' in index
    assert not re.search(r"term-\d", page + index)  # no numbered anchor left anywhere


def test_adding_a_term_moves_no_other_anchor(make_app, tmp_path):
    # Sphinx alone numbers Chinese terms in reading order: a term added first renumbered the rest
    glossary = GLOSSARY.replace(":::{glossary}\n", ":::{glossary}\n嵌入\n  Embedding。词元对应的向量。\n\n")
    app = build(make_app, tmp_path, glossary)
    assert term_ids(app) == ["term-embedding", "term-kv-cache", "term-token"]


def test_a_term_without_an_english_name_warns_with_the_fix(make_app, tmp_path):
    glossary = GLOSSARY.replace(":::\n", "\n向量\n  一组数。\n:::\n")
    app = build(make_app, tmp_path, glossary)
    warnings = app.warning.getvalue()
    assert re.search(r"glossary/a-z\.md:\d+: WARNING: glossary term '向量' has no English name .*"
                     r"begin its definition with the English name .*\[llmkb\.glossary\]", warnings), warnings
    assert "term-kv-cache" in term_ids(app)  # the other terms keep theirs


def test_a_term_whose_sphinx_id_is_already_its_anchor_keeps_it(make_app, tmp_path):
    # an English term: Sphinx's id is term-dropout already, and must not become term-dropout-2
    glossary = GLOSSARY.replace(":::\n", "\ndropout\n  dropout。训练时随机置零一部分激活。\n:::\n")
    app = build(make_app, tmp_path, glossary)
    assert term_ids(app) == ["term-kv-cache", "term-token", "term-dropout"]


def test_the_landing_page_sends_an_old_link_on_to_the_terms_part(make_app, tmp_path):
    """Links copied before the split say appendix/glossary.html#term-…: the landing page maps every
    anchor to its part (the browser test follows one in Chromium)."""
    app = build(make_app, tmp_path)
    landing = (app.outdir / "appendix" / "glossary.html").read_text(encoding="utf-8")
    (script,) = re.findall(r"<script>(\(function\(\)\{var d=.*?)</script>", landing, re.S)
    data = json.loads(re.search(r"var d=(\[.*?\]),h=", script).group(1))
    assert data == [["glossary/a-z.html"], {"term-kv-cache": 0, "term-token": 0}]
    assert "hasOwnProperty" in script  # "#constructor" is not a term
    # only the landing page carries it
    assert "var d=" not in (app.outdir / PART.with_suffix(".html")).read_text(encoding="utf-8")


def test_the_forward_script_keeps_a_closing_tag_out_of_the_page():
    script = glossary_ids.forward_script({"term-a</script><b>": "glossary/a-z.html"})
    assert "</script>" not in script and "<\\/script>" in script


def test_editing_a_part_rewrites_the_landing_page(make_app, tmp_path):
    app = build(make_app, tmp_path)
    src = Path(app.srcdir)
    (src / PART).write_text(GLOSSARY.replace(":::\n", "\n注意力汇聚\n  Attention Sink。首个词元吸走注意力。\n:::\n"),
                            encoding="utf-8")
    app2 = make_app("html", srcdir=src)
    app2.build()
    landing = (app2.outdir / "appendix" / "glossary.html").read_text(encoding="utf-8")
    assert '"term-attention-sink":0' in landing
