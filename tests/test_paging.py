"""Rows per page and listing pages (llmkb/sphinx_ext/paging.py, issue 19): the tiny test-notes project built
with budgets small enough that its four papers overflow them, and the plan's plain functions."""

import json
import re
import shutil
from pathlib import Path

import pytest

from llmkb.bib import file as bibfile
from llmkb.bib.papers import Paper
from llmkb.search.index_file import read_index
from llmkb.sphinx_ext import paging

ROOT = Path(__file__).parent / "roots" / "test-notes"
#: four peft papers (one also in memory-efficient-training): 2 rows a topic page, 2 a listing
#: page, an index of at most 3 rows (it has 5), 1 row a topic there, 2 boxes a graph
SMALL = {"llmkb_page_rows": 2, "llmkb_listing_rows": 2, "llmkb_index_rows": 3,
         "llmkb_index_topic_rows": 1, "llmkb_graph_nodes": 2}
ALL = {"hu2021lora", "dettmers2023qlora", "houlsby2019parameterefficient", "li2021prefixtuning"}
ROW = re.compile(r'<tr class="llmkb-paper[^"]*"[^>]*data-key="([\w-]+)"[^>]*>(.*?)</tr>', re.S)


def page(app, name: str) -> str:
    return (Path(app.outdir) / name).read_text(encoding="utf-8")


def rows(html: str) -> list[str]:
    return [key for key, _ in ROW.findall(html)]


# --- the plan's plain functions ----------------------------------------------------------------

def test_shares_keep_every_row_within_budget_and_share_it_out_beyond():
    assert paging.shares([10, 5, 1], 16) == [10, 5, 1]
    assert paging.shares([], 5) == []
    shown = paging.shares([60, 30, 10], 40)
    assert sum(shown) == 40 and shown[0] > shown[1] > shown[2] >= paging.FLOOR
    # a small table keeps its floor; ties go to the earlier table; never more than a table has
    assert paging.shares([100, 2, 100], 10) == [4, 2, 4]
    assert paging.shares([1, 1, 50], 3) == [1, 1, 1]  # the budget is the cap
    assert paging.shares([5, 5, 5, 5], 2) == [1, 1, 1, 1]  # but a table never shows none
    assert all(s <= n for s, n in zip(paging.shares([7, 300, 4, 0], 20), [7, 300, 4, 0]))


def test_plan_trims_pages_lists_topics_and_homes_every_paper(tmp_path):
    papers = [Paper(e) for e in bibfile.read(ROOT / "refs.bib").entries]
    shutil.copytree(ROOT, tmp_path / "src")
    plan = paging.make_plan(tmp_path / "src", papers, paging.Budget(2, 2, 3, 1))
    assert plan.trimmed == {"efficiency/peft": [2]}
    assert plan.shown["efficiency/peft"] == {"dettmers2023qlora", "hu2021lora"}
    assert plan.index_doc == "papers" and not plan.index_full
    assert plan.listings["peft"] == [["dettmers2023qlora", "hu2021lora"],
                                     ["li2021prefixtuning", "houlsby2019parameterefficient"]]
    assert set(plan.home) == ALL
    assert plan.row_doc("hu2021lora", "efficiency/peft") == "efficiency/peft"
    assert plan.row_doc("li2021prefixtuning", "efficiency/peft") == "_generated/papers/peft/2"
    # within budget: nothing trimmed, no listing page
    roomy = paging.make_plan(tmp_path / "src", papers, paging.Budget())
    assert (roomy.trimmed, roomy.listings, roomy.index_full) == ({}, {}, True)


def test_listing_files_are_rewritten_only_when_changed_and_stale_ones_removed(tmp_path):
    papers = [Paper(e) for e in bibfile.read(ROOT / "refs.bib").entries]
    shutil.copytree(ROOT, tmp_path / "src")
    src = tmp_path / "src"
    plan = paging.make_plan(src, papers, paging.Budget(2, 2, 3, 1))
    docs = paging.write_listings(src, plan)
    assert "_generated/papers/peft/2" in docs
    first = src / "_generated/papers/peft/1.md"
    stamp = first.stat().st_mtime_ns
    text = first.read_text(encoding="utf-8")
    assert "orphan: true" in text and ":page: 1" in text and "共 2 页" in text
    paging.write_listings(src, plan)
    assert first.stat().st_mtime_ns == stamp  # unchanged: not rewritten (an incremental build re-reads nothing)
    paging.write_listings(src, paging.make_plan(src, papers, paging.Budget()))
    assert not (src / "_generated/papers").exists()


def test_the_data_file_escapes_line_and_paragraph_separators(tmp_path):
    """U+2028/U+2029 end a string literal in engines before ES2019, and the filter's data file is a
    script. (refs.bib's reader turns them into spaces today; the file must not depend on it.)"""
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    papers = [Paper(e) for e in bibfile.read(src / "refs.bib").entries]
    lora = next(p for p in papers if p.key == "hu2021lora")
    lora.__dict__["title"] = title = "LoRA:\u2028Low-Rank\u2029Adaptation"  # the cached property's value
    plan = paging.make_plan(src, papers, paging.Budget(2, 2, 3, 1))
    path = paging.write_data(tmp_path / "out", papers, plan, {doc: f"{doc}.html" for doc in plan.home.values()})
    text = path.read_text(encoding="utf-8")
    assert "\u2028" not in text and "\u2029" not in text
    data = json.loads(text[text.index("= ") + 2:text.rindex(";")])
    records = {r[0]: dict(zip(data["fields"], r)) for r in data["papers"]}
    assert records["hu2021lora"]["title"] == title


# --- the built project -------------------------------------------------------------------------

@pytest.mark.sphinx("html", testroot="notes", confoverrides=SMALL)
def test_a_trimmed_table_says_so_and_links_the_listing_pages_that_hold_every_row(app, warning):
    app.build()
    assert warning.getvalue() == ""
    peft = page(app, "efficiency/peft.html")
    assert rows(peft) == ["dettmers2023qlora", "hu2021lora"]
    more = re.search(r'<p class="llmkb-table-more">(.*?)</p>', peft, re.S).group(1)
    assert "本表只列出 4 篇中最新的 2 篇" in more and "共 2 页" in more
    assert 'href="../_generated/papers/peft/1.html"' in more
    one, two = page(app, "_generated/papers/peft/1.html"), page(app, "_generated/papers/peft/2.html")
    assert rows(one) == ["dettmers2023qlora", "hu2021lora"]
    assert rows(two) == ["li2021prefixtuning", "houlsby2019parameterefficient"]
    assert "第 3–4 篇" in two and "论文目录：" in two
    # each row complete: title, authors, the citation dialog, whose content (all three formats) is
    # the paper's data file, loaded when the dialog opens (llmkb/cite/dialog_files.py)
    from llmkb.cite import dialog_files

    for key, row in ROW.findall(one + two):
        assert 'class="llmkb-title' in row and 'class="llmkb-authors"' in row, key
        assert '<details class="llmkb-bibtex"><summary>引用</summary><a class="llmkb-cite-fallback" href=' in row, key
        content = (Path(app.outdir) / dialog_files.DIR / dialog_files.file_name(key)).read_text(encoding="utf-8")
        assert all(f in content for f in ("BibTeX", "GB/T 7714-2015", "APA")), key
    # the pager: the current page as text, the other as a link, on both sides of the table
    assert one.count('<span class="llmkb-pager"><strong>1</strong> <a class="reference internal" href="2.html">') == 2
    # every paper of every topic has its complete row in plain HTML somewhere
    listed = set()
    for f in Path(app.outdir, "_generated/papers").rglob("*.html"):
        listed.update(rows(f.read_text(encoding="utf-8")))
    assert listed == ALL
    # the listing pages stay out of the search index (the index's filter searches every paper;
    # llmkb/search/scope.py), while the topic page that links them is in it
    index = read_index(Path(app.outdir) / "searchindex.js")
    assert "efficiency/peft" in index["docnames"]
    assert not [doc for doc in index["docnames"] if doc.startswith("_generated/papers/")]


@pytest.mark.sphinx("html", testroot="notes", confoverrides=SMALL)
def test_every_link_to_a_row_leads_to_a_page_that_has_it(app, warning):
    """Relations on listing pages, the lineage graph's boxes, the index and the filter's data:
    a link to #paper-<key> is followed to its file, which must carry that id."""
    app.build()
    out = Path(app.outdir)
    checked = 0
    for f in out.rglob("*.html"):
        html = f.read_text(encoding="utf-8")
        for href in re.findall(r'href="([^"]*#paper-[\w-]+)"', html):
            path, anchor = href.split("#")
            target = (f.parent / path).resolve() if path else f
            assert target.is_file(), (f.relative_to(out), href)
            assert f'id="{anchor}"' in target.read_text(encoding="utf-8"), (f.relative_to(out), href)
            checked += 1
    assert checked >= 10
    # page 2's rows point back to page 1 for what built on them
    two = page(app, "_generated/papers/peft/2.html")
    assert 'href="1.html#paper-dettmers2023qlora"' in two


@pytest.mark.sphinx("html", testroot="notes", confoverrides=SMALL)
def test_a_large_index_shows_the_newest_rows_and_the_filter_loads_every_paper_on_demand(app, warning):
    app.build()
    index = page(app, "papers.html")
    assert len(rows(index)) == 2  # one a topic
    assert '<form class="llmkb-paper-filter" role="search" aria-label="筛选论文" data-src="_static/llmkb-papers.js">' in index
    assert '<div class="llmkb-filter-results" hidden></div>' in index
    assert "论文太多，本页每个主题只列出最新的 1 篇" in index
    # the data file is a script defining the records (it loads from file:// too), not referenced on first paint
    assert '<script src="_static/llmkb-papers.js' not in index
    text = page(app, "_static/llmkb-papers.js")
    assert text.startswith("window.llmkbPapers = ") and text.endswith(";\n")
    data = json.loads(text[len("window.llmkbPapers = "):-2])
    assert data["fields"] == ["key", "title", "authors", "year", "date", "venue", "topics", "url"]
    records = {r[0]: dict(zip(data["fields"], r)) for r in data["papers"]}
    assert set(records) == ALL
    qlora = records["dettmers2023qlora"]
    assert qlora["authors"].startswith("Tim Dettmers, Artidoro Pagnoni") and qlora["year"] == "2023"
    for r in records.values():  # each url is a row that exists
        path, anchor = r["url"].split("#")
        assert f'id="{anchor}"' in page(app, path)


@pytest.mark.sphinx("html", testroot="notes", confoverrides={**SMALL, "llmkb_page_elements": 10})
def test_an_index_with_no_room_for_a_row_a_topic_lists_the_topics_listing_pages(app, warning):
    """A book of many topics: not one row a topic fits the page's element budget. Each topic
    keeps its count and its listing pages, which hold every row; the filter still loads them all."""
    app.build()
    index = page(app, "papers.html")
    assert rows(index) == [] and "<table" not in index
    assert "论文太多，本页只给出每个主题的篇数和论文目录；全部论文在各主题的论文目录里，每页 2 篇。" in index
    assert "下表是" not in index and "全部 4 篇在论文目录的" in index
    listed = set()
    for href in set(re.findall(r'href="(_generated/papers/[\w-]+/\d+\.html)"', index)):
        listed |= set(rows(page(app, href)))
    assert listed == ALL  # every paper, as a complete row, one click from the index
    assert 'data-src="_static/llmkb-papers.js"' in index


def test_an_index_without_room_for_a_full_row_a_topic_shows_compact_ones(make_app, tmp_path):
    """Between the two: one row a topic with its topics and relations lines does not fit, one
    without them does (the real book at 112 topics). The index shows the compact rows and says
    so; the listing pages keep both lines for every paper."""
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    papers = [Paper(e) for e in bibfile.read(src / "refs.bib").entries]
    budget = paging.Budget(page_rows=2, listing_rows=2, index_rows=3, index_topic_rows=1,
                           page_elements=10**6, graph_nodes=2)
    full = paging.make_plan(src, papers, budget).index_elements  # one full row a topic
    app = make_app("html", srcdir=src, confoverrides={**SMALL, "llmkb_page_elements": full - 1})
    app.build()
    assert app._warning.getvalue() == ""
    index = page(app, "papers.html")
    assert len(rows(index)) == 2  # one a topic
    assert "本页每个主题只列出最新的 1 篇，行内不再列出论文所属的其他主题和论文之间的关系（论文目录里有）" in index
    assert 'class="llmkb-relations"' not in index
    assert 'class="llmkb-topics"' not in index
    listing = page(app, "_generated/papers/peft/1.html")
    assert 'class="llmkb-relations"' in listing and 'class="llmkb-topics"' in listing
    # the estimate still holds the built page: never under, at most a little over
    plan = paging.make_plan(src, papers, paging.Budget(2, 2, 3, 1, full - 1, 2))
    assert plan.index_compact and plan.index_topic_rows == 1 and plan.index_elements <= full - 1


@pytest.mark.sphinx("html", testroot="notes", confoverrides=SMALL)
def test_a_capped_lineage_graph_says_how_many_papers_it_leaves_out(app, warning):
    app.build()
    peft = page(app, "efficiency/peft.html")
    assert "本主题有 3 篇论文记录了关系，下图画出其中关系最多的 2 篇和它们之间的 1 条关系" in peft
    svg = re.search(r'<svg role="group".*?</svg>', peft, re.S).group(0)
    assert set(re.findall(r'<a href="#paper-([\w-]+)"', svg)) == {"dettmers2023qlora", "hu2021lora"}


@pytest.mark.sphinx("html", testroot="notes")
def test_within_budget_nothing_is_trimmed_or_generated(app, warning):
    app.build()
    assert warning.getvalue() == ""
    assert len(rows(page(app, "efficiency/peft.html"))) == 4
    assert "llmkb-table-more" not in page(app, "efficiency/peft.html")
    assert not (Path(app.srcdir) / paging.LISTING_DIR).exists()
    assert not (Path(app.outdir) / paging.DATA_FILE).exists()
    assert "data-src" not in page(app, "papers.html")


def test_a_listing_page_the_build_did_not_plan_is_a_warning_with_the_fix(make_app, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    (src / "stray.md").write_text("---\norphan: true\n---\n# Stray\n\n:::{paper-listing}\n:topic: peft\n:page: 7\n:::\n",
                                  encoding="utf-8")
    app = make_app("html", srcdir=src)
    app.build()
    warnings = app._warning.getvalue()
    assert "stray.md:6: WARNING: paper-listing: topic 'peft' has no listing page 7 in this build" in warnings
    assert "delete that folder and build again" in warnings


@pytest.mark.sphinx("html", testroot="notes", confoverrides={
    **SMALL, "html_theme": "sphinx_book_theme",
    "html_sidebars": {"**": ["search-button-field.html", "sbt-sidebar-nav.html"]},
    "extensions": ["myst_parser", "llmkb", "sphinxext.opengraph"], "ogp_site_url": "https://example.org/"})
def test_listing_pages_have_no_table_of_contents_or_social_card(app, warning):
    app.build()
    listing, topic = page(app, "_generated/papers/peft/1.html"), page(app, "efficiency/peft.html")
    assert "bd-docs-nav" in topic and "bd-docs-nav" not in listing  # sphinx-book-theme's navigation
    assert "search-button-field" in listing
    assert 'property="og:title"' in topic and 'property="og:' not in listing


@pytest.mark.sphinx("html", testroot="notes", confoverrides=SMALL)
def test_a_large_librarys_rows_stay_out_of_the_search_index(app, warning):
    """Beyond the index budget the filter searches the papers; the search box keeps to the prose
    (its index, downloaded by every reader who searches, would otherwise grow with the library)."""
    app.build()
    index = page(app, "searchindex.js").lower()
    assert "normalfloat" not in index  # a word of QLoRA's note, in a row of the peft page
    assert "参数高效训练" in page(app, "searchindex.js") or "efficiency/peft" in index  # the page itself is indexed


def test_the_contributing_guide_states_the_default_budgets():
    """The guide tells contributors the defaults; a changed default must change the guide."""
    guide = (Path(__file__).parent.parent / "docs/appendix/contributing.md").read_text(encoding="utf-8")
    stated = {name: int(n) for name, n in re.findall(r"`(llmkb_\w+)`[^`]*?默认(?:每页 )?\s*(\d+)", guide)}
    budget = paging.Budget()
    assert stated == {"llmkb_page_rows": budget.page_rows, "llmkb_listing_rows": budget.listing_rows,
                      "llmkb_index_rows": budget.index_rows, "llmkb_graph_nodes": paging.GRAPH_NODES,
                      "llmkb_page_elements": budget.page_elements, "llmkb_part_topic_rows": budget.part_topic_rows}


def test_the_index_shows_as_many_newest_rows_a_topic_as_fit_and_none_if_one_does_not():
    """paging.index_rows: the most rows per topic (up to index_topic_rows) whose estimate fits
    page_elements; none when not even one fits. The estimate counts each shown row's elements."""
    papers = [Paper(e) for e in bibfile.read(ROOT / "refs.bib").entries]
    by_topic = paging.papers_by_topic(papers)
    weight = paging.index_weights(papers)
    listings: dict = {}
    none, one, two = (paging.index_elements(100, by_topic, n, listings, weight) for n in (0, 1, 2))
    peft = by_topic["peft"]
    assert len(peft) >= 2 and two - one == sum(weight(v[1]) for v in by_topic.values() if len(v) > 1)
    assert two > one > 100
    assert one - none == sum(paging.INDEX_TABLE + weight(v[0]) for v in by_topic.values() if v)
    for limit, expected in ((two, 2), (two - 1, 1), (one, 1), (one - 1, 0), (10, 0)):
        budget = paging.Budget(index_topic_rows=3, page_elements=limit)
        rows, total = paging.index_rows(100, by_topic, budget, listings, weight)
        assert rows == expected and total == paging.index_elements(100, by_topic, rows, listings, weight)
    # a topic's pager adds its links: 12 pages are all linked, 13 link the first five and the last
    assert paging.pager_pages(12) == list(range(1, 13)) and paging.pager_pages(13) == [1, 2, 3, 4, 5, 13]
    assert paging.pager_pages(30, current=10) == [1, 8, 9, 10, 11, 12, 30]
    with_pages = paging.index_elements(100, by_topic, 1, {"peft": [["a"]] * 13}, weight)
    assert with_pages - one == 1 + 2 * 6


@pytest.mark.sphinx("html", testroot="notes", confoverrides=SMALL)
def test_the_paper_index_contents_list_its_parts_not_every_topic(app, warning):
    """paging.index_toc_parts: at 104 topics the topic entries of the page's contents (drawn twice
    by the book's theme) were what kept one row a topic from fitting the element budget. A part is
    linked by the contents and its heading's own link; a topic by its heading's link alone."""
    app.build()
    index = page(app, "papers.html")
    parts = re.findall(r'href="#(part-[\w-]+)"', index)
    topics = re.findall(r'href="#(topic-[\w-]+)"', index)
    assert parts and all(parts.count(p) == 2 for p in parts)
    assert topics and all(topics.count(t) == 1 for t in topics)
    assert 'id="topic-peft"' in index  # the topic's section is still on the page


def part_root(tmp_path, part: str = "efficiency") -> Path:
    """test-notes with a part's paper index on a page of its own (parts/<part>.md, in the toctree)."""
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    (src / "parts").mkdir()
    (src / "parts" / f"{part}.md").write_text(f"# 部分总览\n\n正文一行。\n\n:::{{paper-index}}\n:part: {part}\n:::\n",
                                              encoding="utf-8")
    index = src / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("papers\n", f"papers\nparts/{part}\n"), encoding="utf-8")
    return src


def build_warnings(make_app, src: Path) -> str:
    """Build the project at ``src`` (default budgets) and return its warnings."""
    app = make_app("html", srcdir=src)
    app.build()
    return app._warning.getvalue()


def test_a_parts_index_shows_more_of_each_topics_newest_rows_than_the_whole_index(make_app, tmp_path):
    """A part's paper index (``:part:``) has only that part's topics, so more of each topic's
    newest fit: here 2 a topic, where the whole library's index has room for 1. Its rows keep their
    topics and relations lines; it has no filter form (the whole index's filter searches every
    paper, and the part's page says where it is), and the whole index links it from the part."""
    src = part_root(tmp_path)
    app = make_app("html", srcdir=src, confoverrides={**SMALL, "llmkb_part_topic_rows": 2})
    app.build()
    assert app._warning.getvalue() == ""
    papers = [Paper(e) for e in bibfile.read(src / "refs.bib").entries]
    by_topic = paging.papers_by_topic(papers)
    part = page(app, "parts/efficiency.html")
    expected = [p.key for t in ("memory-efficient-training", "peft") if t in by_topic for p in by_topic[t][:2]]
    assert sorted(rows(part)) == sorted(expected) and len(rows(part)) == 3  # peft 2, memory-efficient-training 1
    assert rows(part)[:2] == ["dettmers2023qlora", "hu2021lora"] or rows(part)[-2:] == ["dettmers2023qlora", "hu2021lora"]
    from llmkb.bib import topics as T

    topics = sum(t.part == "efficiency" for t in T.TOPICS)  # every topic of the part has its section
    assert f"「高效优化与扩展」有 {topics} 个主题、5 行论文" in part and "本页每个主题只列出最新的 2 篇" in part
    assert len(re.findall(r"<section class=\"llmkb-index-topic\" id=\"topic-", part)) == topics
    assert 'class="llmkb-relations"' in part and 'class="llmkb-topics"' in part
    assert "llmkb-paper-filter" not in part and "paper-filter.js" not in part
    assert re.search(r'的筛选栏', part) and 'href="../papers.html"' in part
    index = page(app, "papers.html")
    assert len(rows(index)) == 2 and "paper-filter.js" in index
    link = re.search(r'<p class="llmkb-part-index-link">(.*?)</p>', index, re.S).group(1)
    assert 'href="parts/efficiency.html"' in link and "论文总览：高效优化与扩展" in link
    # every link to a row from the part's page leads to a page with that row
    for href in re.findall(r'href="([^"]*#paper-[\w-]+)"', part):
        path, anchor = href.split("#")
        target = (Path(app.outdir) / "parts" / path).resolve() if path else Path(app.outdir) / "parts/efficiency.html"
        assert f'id="{anchor}"' in target.read_text(encoding="utf-8"), href
    # the plan: the part's rows and estimate; a roomy library shows every row on both pages
    plan = paging.make_plan(src, papers, paging.Budget(2, 2, 3, 1, part_topic_rows=2))
    assert plan.parts["parts/efficiency"] == paging.PartIndex("efficiency", 2, plan.parts["parts/efficiency"].elements)
    assert plan.part_doc("efficiency") == "parts/efficiency" and plan.part_doc("text") == ""
    roomy = paging.make_plan(src, papers, paging.Budget())
    assert roomy.index_full and roomy.parts == {"parts/efficiency": paging.PartIndex("efficiency")}


def test_a_parts_index_of_an_unknown_part_is_a_warning_naming_the_parts(make_app, tmp_path):
    warnings = build_warnings(make_app, part_root(tmp_path, "effciency"))
    assert "parts/effciency.md:5: WARNING: paper-index: unknown part 'effciency'; write one of foundations, " \
           "multimodal, efficiency, knowledge, text after :part:" in warnings


def test_a_second_parts_index_on_one_page_is_a_warning(make_app, tmp_path):
    """Each part's index has a page of its own: the plan keeps the first on a page, and a second
    one (another part) is a warning that says so, not a silently empty section."""
    src = part_root(tmp_path)
    page = src / "parts" / "efficiency.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n:::{paper-index}\n:part: text\n:::\n", encoding="utf-8")
    warnings = build_warnings(make_app, src)
    assert "parts/efficiency.md:9: WARNING: paper-index: this page already has the index of part 'efficiency'; " \
           "give each part's index a page of its own" in warnings


def test_a_parts_index_in_an_included_file_is_a_warning_with_the_fix(make_app, tmp_path):
    """The page plan reads each page's own source before the build, so it cannot see a part's index
    written in an included file; the directive says so and where to write it."""
    src = part_root(tmp_path)
    (src / "parts" / "snippet.txt").write_text(":::{paper-index}\n:part: efficiency\n:::\n", encoding="utf-8")
    (src / "parts" / "efficiency.md").write_text("# 部分总览\n\n```{include} snippet.txt\n```\n", encoding="utf-8")
    warnings = build_warnings(make_app, src)
    assert "WARNING: paper-index: this build's page plan did not find this part's index; write the paper-index " \
           "directive with :part: in the page's own source, not in an included file" in warnings, warnings
