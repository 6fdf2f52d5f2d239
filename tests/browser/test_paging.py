"""The book as a large library reads it (llmkb/sphinx_ext/paging.py, issue 19): the real book built with
row budgets small enough that its topic pages trim their tables, its topics get listing pages
and its paper index keeps only each topic's newest rows, filtering a data file loaded on demand."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from llmkb.bib import papers as P
from llmkb.bib import topics as T

from .conftest import MOBILE, browsing, build_scratch_book, serving, wait_for_fonts
from .test_pages import AXE_IGNORE, axe_script, run_axe

ROOT = Path(__file__).resolve().parents[2]
INDEX = "appendix/papers.html"
BUDGET = {"llmkb_page_rows": 20, "llmkb_listing_rows": 25, "llmkb_index_rows": 100, "llmkb_index_topic_rows": 2}


@pytest.fixture(scope="module")
def paged_book(tmp_path_factory) -> Path:
    """The real book in a scratch copy (the listing pages are written into its sources), built
    strictly with the small budgets."""
    return build_scratch_book(tmp_path_factory.mktemp("paged"), BUDGET)


@pytest.fixture(scope="module")
def paged(browser, paged_book):
    yield from serving(paged_book)


@pytest.fixture
def browse_paged(browser, paged):
    yield from browsing(browser, paged)


@pytest.fixture(scope="module")
def bib_papers():
    papers, _ = P.load(ROOT / "refs.bib")
    return papers


def matches(papers, words: str, topic: str = "") -> set[str]:
    return {p.key for p in papers if (not topic or topic in p.topics)
            and all(w in f"{p.title} {p.all_authors} {p.key}".lower() for w in words.lower().split())}


def test_the_filter_loads_the_library_on_demand_and_finds_exactly_the_bib_entries(browse_paged, bib_papers):
    page = browse_paged.page()
    browse_paged.goto(page, INDEX)
    assert not any(u.endswith("llmkb-papers.js") for u in browse_paged.requests)  # not on first load
    # llmkb_index_topic_rows = 2: at most two rows per topic before the library loads
    assert page.locator("tr.llmkb-paper").count() <= 2 * len(T.TOPICS)
    for words, topic in (("lora", ""), ("hinton", ""), ("", "peft"), ("attention 2017", "")):
        page.fill("#llmkb-filter-text", words)
        page.select_option("#llmkb-filter-topic", topic)
        expected = matches(bib_papers, words, topic)
        page.wait_for_function("n => document.querySelector('form.llmkb-paper-filter').dataset.matches === String(n)",
                               arg=len(expected))
        links = page.eval_on_selector_all("div.llmkb-filter-results li > a", "as => as.map(a => a.href)")
        keys = {re.search(r"#paper-([\w-]+)$", u).group(1) for u in links}
        assert keys == expected if len(expected) <= 100 else len(keys) == 100, (words, topic)
        assert page.locator("section[id^='part-']:visible").count() == 0  # the short tables step aside
        assert any(u.endswith("llmkb-papers.js") for u in browse_paged.requests)
    # clearing the filter brings the index back
    page.fill("#llmkb-filter-text", "")
    page.select_option("#llmkb-filter-topic", "")
    page.wait_for_function("() => !('matches' in document.querySelector('form.llmkb-paper-filter').dataset)")
    assert page.locator("div.llmkb-filter-results").is_hidden()
    assert page.locator("section[id^='part-']:visible").count() > 0


def test_a_result_leads_to_the_papers_complete_row(browse_paged, bib_papers):
    page = browse_paged.page(viewport=MOBILE)
    browse_paged.goto(page, INDEX)
    page.fill("#llmkb-filter-text", "qlora")
    page.wait_for_selector("div.llmkb-filter-results li > a")
    page.click("div.llmkb-filter-results li > a")
    page.wait_for_load_state("load")
    key = page.evaluate("location.hash.slice('#paper-'.length)")
    row = page.locator(f"tr#paper-{key}")
    assert row.count() == 1 and key in matches(bib_papers, "qlora")
    assert row.locator("details.llmkb-bibtex").count() == 1  # BibTeX, GB/T 7714, APA one click away
    assert "/_generated/papers/" in page.url


def test_without_javascript_every_paper_has_a_complete_row_on_a_listing_page(browse_paged, paged_book, bib_papers):
    page = browse_paged.page(java_script_enabled=False)
    keys: set[str] = set()
    for listing in sorted(paged_book.glob("_generated/papers/*/*.html")):
        browse_paged.goto(page, listing.relative_to(paged_book).as_posix())
        keys.update(page.eval_on_selector_all("tr.llmkb-paper", "rows => rows.map(r => r.dataset.key)"))
        assert page.locator("tr.llmkb-paper").count() <= BUDGET["llmkb_listing_rows"]
    assert keys == {p.key for p in bib_papers if p.topics}
    # a trimmed topic page says where the rest is, and the link works without script
    browse_paged.goto(page, "foundations/milestones.html")
    assert page.locator("tr.llmkb-paper").count() <= BUDGET["llmkb_page_rows"]
    page.click("p.llmkb-table-more a >> nth=0")
    page.wait_for_load_state("load")
    assert page.url.endswith("/_generated/papers/milestones/1.html")


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_listing_pages_and_the_large_index_are_accessible(browse_paged, theme):
    script = axe_script()
    page = browse_paged.page(theme=theme)
    problems = {}
    for path in (INDEX, "_generated/papers/milestones/1.html", "foundations/milestones.html"):
        browse_paged.goto(page, path)
        wait_for_fonts(page)
        if path == INDEX:  # the results list too
            page.fill("#llmkb-filter-text", "lora")
            page.wait_for_selector("div.llmkb-filter-results li")
        violations = run_axe(page, script, rules_off=AXE_IGNORE,
                             only=["color-contrast", "link-in-text-block"] if theme == "dark" else None)
        if violations:
            problems[path] = violations
    assert problems == {}, problems
