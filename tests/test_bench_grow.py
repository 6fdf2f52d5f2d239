"""The benchmark's pure helpers for issue 19: growing the real refs.bib (benchmarks/grow.py) and
weighing built pages (benchmarks/reader.py). The builds, Lighthouse and browser timing they feed
are measurements, run by ``make bench``, not here."""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import grow  # noqa: E402
import reader  # noqa: E402

from llmkb.bib import file as bibfile  # noqa: E402
from llmkb.bib.papers import Paper  # noqa: E402

REAL_BIB = (ROOT / "refs.bib").read_text(encoding="utf-8")


def test_grown_real_bib_passes_check_and_keeps_every_topic():
    entries = bibfile.parse_text(REAL_BIB).entries
    n = len(entries) * 2 + 7  # the originals, one copy of each, and a second copy of seven
    grown_text = grow.grow_text(REAL_BIB, n)
    assert grow.check_grown(grown_text) == []
    grown = bibfile.parse_text(grown_text).entries
    assert len(grown) == n
    assert grown_text.startswith(REAL_BIB.rstrip("\n"))  # the originals, verbatim, first
    by_key = {e.key: e for e in grown}
    for original in entries[:7]:
        copy = Paper(by_key[f"{original.key}c2"])
        paper = Paper(original)
        assert copy.topics == paper.topics and copy.tags == paper.tags
        assert (copy.kind, copy.venue, copy.date) == (paper.kind, paper.venue, paper.date)
        assert copy.title == f"Copy 2 of {paper.title}"
    # every copy has its own arXiv id (check_grown reports a shared one), used consistently inside
    # the entry: an arXiv URL follows its eprint
    originals = {e.key: e for e in entries}
    arxiv_urls = 0
    for e in grown[len(entries):]:
        source = originals[e.key[:e.key.rindex("c")]]
        if "eprint" in source.fields and source.fields["eprint"] in source.fields["url"]:
            assert e.fields["eprint"] != source.fields["eprint"]
            assert e.fields["url"] == source.fields["url"].replace(source.fields["eprint"], e.fields["eprint"])
            arxiv_urls += 1
    assert arxiv_urls > len(entries) // 2


def test_a_versioned_arxiv_url_gets_the_copys_id():
    """A url pinned to one version (".../2506.13681v1") follows the copy's new eprint like any other."""
    entry = ("@article{a2025b,\n  title = {{T}},\n  eprint = {2506.13681},\n"
             "  url = {https://arxiv.org/abs/2506.13681v1},\n}")
    copy = grow.copy_entry(entry, "a2025b", 2, lambda m: "2506.00001")
    assert "eprint = {2506.00001}" in copy and "url = {https://arxiv.org/abs/2506.00001v1}" in copy
    assert "13681" not in copy


def test_grow_to_fewer_entries_changes_nothing():
    assert grow.grow_text(REAL_BIB, 1) == REAL_BIB


def test_grow_names_the_broken_entry():
    broken = "@article{a2020x,\n  title = {{X}},\n  author = {A, B\n}\n"
    with pytest.raises(grow.GrowError, match=r"refs\.bib:\d+: .*fix it first"):
        grow.grow_text(broken, 10)


def test_grow_refuses_the_repository_bib():
    with pytest.raises(grow.GrowError, match="refusing to grow"):
        grow.grow_book(ROOT, 1000)


PAGE = """<!DOCTYPE html><html><head>
<link rel="stylesheet" href="../../_static/a.css?v=1"><link rel="preload" href="../../_static/big.js">
<script defer src="../../_static/a.js"></script><script src="../../_static/a.js"></script>
<link rel="stylesheet" href="../../_static/gone.css" />
</head><body><p>x<br>y</p><script>if (1 < 2) {{ document.write("<b>not an element</b>"); }}</script></body></html>"""


def test_weigh_counts_each_script_and_stylesheet_once(tmp_path):
    static = tmp_path / "_static"
    static.mkdir()
    (static / "a.css").write_text("body { color: red; }\n" * 50)
    (static / "a.js").write_text("console.log(1);\n" * 50)
    (static / "big.js").write_text("x" * 100_000)  # preloaded, not a script: not first load
    (static / "page.html").write_text("<html></html>")  # an asset folder is not a page
    (tmp_path / "index.html").write_text("<html></html>")
    gen = tmp_path / "_generated" / "papers"
    gen.mkdir(parents=True)
    page = gen / "p1.html"
    page.write_text(PAGE)
    assert [p.relative_to(tmp_path).as_posix() for p in reader.pages(tmp_path)] == [
        "_generated/papers/p1.html", "index.html"]
    w = reader.weigh(tmp_path, page, {})
    assert w.assets == ["_static/a.css", "_static/a.js"]
    assert w.assets_gzip == (len(gzip.compress((static / "a.css").read_bytes(), 6, mtime=0))
                             + len(gzip.compress((static / "a.js").read_bytes(), 6, mtime=0)))
    assert w.missing == ["../../_static/gone.css"]
    assert w.html_gzip == len(gzip.compress(PAGE.encode(), 6, mtime=0))
    # html head link link script script link body p br script: the <b> inside the script is text
    assert w.elements == 11
    assert "NAMES MISSING FILES: ../../_static/gone.css" in reader.describe(w)


def test_the_search_page_is_weighed_with_the_two_largest_index_shards(tmp_path):
    """A query fetches the shards of its words (llmkb/search/index_file.py): the search page's first
    load counts the heaviest two-word query; other pages never load shards."""
    shards = tmp_path / "_search"
    shards.mkdir()
    sizes = {}
    for k, n in enumerate((3_000, 9_000, 6_000)):
        (shards / f"{k}.js").write_text("".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(n)), encoding="utf-8")
        sizes[f"_search/{k}.js"] = len(gzip.compress((shards / f"{k}.js").read_bytes(), 6, mtime=0))
    (tmp_path / "search.html").write_text("<html></html>")
    (tmp_path / "index.html").write_text("<html></html>")
    assert [p.name for p in reader.pages(tmp_path)] == ["index.html", "search.html"]  # shards are no pages
    w = reader.weigh(tmp_path, tmp_path / "search.html", {})
    assert w.assets == ["_search/1.js", "_search/2.js"]
    assert w.assets_gzip == sizes["_search/1.js"] + sizes["_search/2.js"]
    assert reader.weigh(tmp_path, tmp_path / "index.html", {}).assets == []


def test_topic_pages_are_those_of_topics_py():
    from llmkb.bib import topics as T

    page = f"{T.TOPICS[0].page}.html"
    ws = [reader.PageWeight(p, 1, 1, 0) for p in (page, "appendix/papers.html", "index.html")]
    assert [w.page for w in reader.topic_pages(ws)] == [page]
