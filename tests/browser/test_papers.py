"""Finding and citing papers in the browser: the paper index filter, the citation dialog's copy
buttons (GB/T 7714, APA, BibTeX), 引用本书, per-page .bib.

The paper index has two modes (llmkb/sphinx_ext/paging.py). A library within ``llmkb_index_rows``
rows (a paper counts once per topic) shows every row and filters them in the page; a larger one
shows each topic's newest rows and filters a data file. The real book passed the default budget
(626 rows against 600) in December 2026, so its own build is in the second mode, which
tests/browser/test_paging.py reads. This module reads the first: the real book built strictly with
an index budget it stays within."""

import re
from collections import Counter
from pathlib import Path

import pybtex.database
import pytest

from llmkb.bib import papers as P
from llmkb.bib.export_bibtex import format_entry

from .conftest import MOBILE, browsing, build_scratch_book, reveal, serving

ROOT = Path(__file__).resolve().parents[2]
INDEX = "appendix/papers.html"
#: an index budget no test library reaches: the index keeps every row
WHOLE_INDEX = {"llmkb_index_rows": 1_000_000}


@pytest.fixture(scope="module")
def built_book(tmp_path_factory) -> Path:
    """The real book in a scratch copy, built strictly as `make html` does but with WHOLE_INDEX."""
    return build_scratch_book(tmp_path_factory.mktemp("whole-index"), WHOLE_INDEX)


@pytest.fixture(scope="module")
def site(browser, built_book):
    yield from serving(built_book)


@pytest.fixture
def browse(browser, site):
    """Per-test page opener of this module's book (``browsing``)."""
    yield from browsing(browser, site)


@pytest.fixture(scope="module")
def bib_papers():
    papers, _ = P.load(ROOT / "refs.bib")
    return papers


def visible_keys(page) -> list[str]:
    return page.eval_on_selector_all(
        "tr.llmkb-paper", "rows => rows.filter(r => r.offsetParent !== null).map(r => r.dataset.key)")


def test_rows_carry_the_bib_data(browse, bib_papers):
    page = browse.page()
    browse.goto(page, INDEX)
    rows = page.eval_on_selector_all("tr.llmkb-paper", """rows => rows.map(r => ({...r.dataset,
        title: r.querySelector("a.llmkb-title, td:first-child > p:first-child > strong").textContent}))""")
    by_key = {p.key: p for p in bib_papers}
    assert {r["key"] for r in rows} == set(by_key)
    for r in rows:
        p = by_key[r["key"]]
        assert (r["year"], r["venue"], r["date"], r["title"]) == (p.year, p.venue, p.date, p.title)
        assert tuple(r["topics"].split()) == p.topics
        assert set(r) == {"key", "year", "venue", "date", "topics", "title"}  # nothing the row already shows


def test_free_text_finds_authors_the_row_leaves_out(browse, bib_papers):
    """A row shows the first three authors; the filter searches them all (the ones the rows leave out
    come from _static/llmkb-authors.js, loaded when the reader first types)."""
    page = browse.page()
    browse.goto(page, INDEX)
    paper = next(p for p in bib_papers if p.short_authors() != p.all_authors and p.key == "anil2023palm")
    last = paper.all_authors.split(", ")[-1]  # "Yonghui Wu"
    assert last not in paper.short_authors()
    assert not any(u.endswith("/_static/llmkb-authors.js") for u in browse.requests)  # until the reader types
    page.fill("#llmkb-filter-text", last.lower())  # both words, in the order the reader knows them
    page.wait_for_function("document.querySelector('form.llmkb-paper-filter').dataset.authors === 'loaded'",
                           timeout=5000)
    shown = set(visible_keys(page))
    assert paper.key in shown
    assert shown == {p.key for p in bib_papers
                     if all(w in f"{p.title} {p.all_authors} {p.key}".lower() for w in last.lower().split())}


@pytest.mark.parametrize("topic, year", [("peft", "2023"), ("llm-hallucination", "2023"), ("alignment", "2022")])
def test_filter_by_topic_and_year_shows_exactly_the_bib_entries(browse, bib_papers, topic, year):
    expected = {p.key for p in bib_papers if topic in p.topics and p.year == year}
    assert expected, (topic, year)
    page = browse.page()
    browse.goto(page, INDEX)
    page.select_option("#llmkb-filter-topic", topic)
    page.select_option("#llmkb-filter-year", year)
    shown = visible_keys(page)
    assert Counter(shown) == Counter(expected)  # each paper once: only its row in that topic's section
    assert page.locator(f"section#topic-{topic}").is_visible()
    assert page.locator("p.llmkb-filter-status").inner_text().startswith(f"符合条件的论文 {len(expected)} 篇")


def test_free_text_venue_and_sort(browse, bib_papers):
    page = browse.page()
    browse.goto(page, INDEX)
    page.fill("#llmkb-filter-text", "lora")
    words_hit = {p.key for p in bib_papers if "lora" in f"{p.title} {p.all_authors} {p.key}".lower()}
    assert set(visible_keys(page)) == words_hit and words_hit
    page.fill("#llmkb-filter-text", "")
    venue = Counter(p.venue for p in bib_papers).most_common(1)[0][0]
    page.select_option("#llmkb-filter-venue", venue)
    assert set(visible_keys(page)) == {p.key for p in bib_papers if p.venue == venue}
    page.select_option("#llmkb-filter-sort", "oldest")
    dates = page.eval_on_selector_all("section#topic-peft tr.llmkb-paper", "rows => rows.map(r => r.dataset.date)")
    assert dates == sorted(dates)
    page.click("button.llmkb-filter-reset")
    page.wait_for_function("document.querySelectorAll('tr.llmkb-paper[hidden]').length === 0")


def test_without_javascript_the_index_is_the_complete_table(browse, bib_papers):
    page = browse.page(java_script_enabled=False)
    browse.goto(page, INDEX)
    # the form is in the page (written at build time) but shown only where a script can run it
    assert page.locator("form.llmkb-paper-filter").count() == 1
    assert not page.locator("form.llmkb-paper-filter").is_visible()
    keys = set(visible_keys(page))
    assert keys == {p.key for p in bib_papers}
    rows = page.locator("tr.llmkb-paper")
    assert rows.count() == sum(len(p.topics) for p in bib_papers)
    first = rows.first
    # text_content, not inner_text: the row's topic section is laid out only near the viewport
    # (content-visibility, llmkb.css), and the index's first table is below it since the page lists
    # the parts' own indexes first; inner_text of what is not laid out is empty
    assert first.locator("a.llmkb-title, strong").first.text_content().strip()
    assert first.locator("p.llmkb-topics a").count() >= 1  # every row links to its topic pages


def test_each_row_links_to_its_topic_pages(browse, bib_papers):
    from llmkb.bib import topics as T

    page = browse.page()
    browse.goto(page, INDEX)
    by_key = {p.key: p for p in bib_papers}
    rows = page.eval_on_selector_all(
        "tr.llmkb-paper", "rows => rows.map(r => [r.dataset.key, [...r.querySelectorAll('p.llmkb-topics a')]"
                          ".map(a => a.getAttribute('href'))])")
    for key, hrefs in rows:
        want = [T.TOPICS_BY_ID[t].page for t in by_key[key].topics if t in T.TOPICS_BY_ID]
        assert [re.sub(r"^\.\./|\.html$", "", h) for h in hrefs] == want, key


def expected_texts(paper) -> dict[str, str]:
    """The dialog's three texts for ``paper``, from refs.bib through the book's own formatters."""
    from llmkb.cite import dialog

    return {**dialog.references(paper), "bibtex": format_entry(paper)}


def test_bibtex_copy_button_copies_exactly_that_entry(browse, bib_papers):
    by_key = {p.key: p for p in bib_papers}
    page = browse.page(permissions=["clipboard-read", "clipboard-write"])
    browse.goto(page, "efficiency/peft.html")
    row = page.locator("tr.llmkb-paper").nth(1)
    key = row.get_attribute("data-key")
    details = row.locator("details.llmkb-bibtex")
    assert details.get_attribute("open") is None
    # before a dialog opens, the page holds none of the references: only each paper's data file does
    bibtex = format_entry(by_key[key]).strip()
    assert bibtex.splitlines()[0] not in page.content() and row.locator("code").count() == 0
    assert not any("/_static/cite/" in u for u in browse.requests)
    details.locator("summary").click()
    assert details.get_attribute("open") is not None
    button = details.locator("button.llmkb-copy").first  # the dialog's first block is the BibTeX
    assert button.get_attribute("aria-label") == "复制这条 BibTeX"
    assert details.locator(".llmkb-cite-fallback").count() == 0  # the content took the link's place
    button.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.strip() == bibtex
    assert button.get_attribute("aria-label") == "已复制"  # what a screen reader hears after the click
    page.wait_for_function("(b) => b.getAttribute('aria-label') === '复制这条 BibTeX'", arg=button.element_handle(),
                           timeout=5000)
    # one listener for the page, and no other copy script is loaded; one data file was, this paper's
    scripts = page.eval_on_selector_all("script[src]", "ss => ss.map(s => s.getAttribute('src'))")
    assert any("llmkb-bibtex.js" in s for s in scripts) and not any("copybutton" in s for s in scripts)
    assert [u.rsplit("/", 1)[1] for u in browse.requests if "/_static/cite/" in u] == [f"{key}.js"]


def test_every_copy_button_of_the_dialog_copies_exactly_the_text_shown(browse, bib_papers):
    """GB/T 7714, APA and BibTeX: reached by keyboard, each button puts on the clipboard exactly
    the text the reader sees above it, which is exactly that entry's formatted from refs.bib."""
    from llmkb.cite import dialog

    by_key = {p.key: p for p in bib_papers}
    page = browse.page(permissions=["clipboard-read", "clipboard-write"])
    browse.goto(page, INDEX)
    row = page.locator('tr.llmkb-paper[data-key="deepseekai2024deepseekv3"]').first  # in two topic tables
    details = row.locator("details.llmkb-bibtex")
    summary = details.locator("summary")
    reveal(page, summary)
    assert summary.inner_text().strip() == dialog.SUMMARY
    summary.focus()
    page.keyboard.press("Enter")  # a <details> opens from the keyboard, no script involved
    assert details.get_attribute("open") is not None
    buttons = details.locator("button.llmkb-copy")
    buttons.first.wait_for()  # the content arrives with the paper's data file
    labels = [b.get_attribute("aria-label") for b in buttons.all()]
    assert labels == [copy for _, _, copy in dialog.FORMATS]
    # focus stays on the summary, and the next Tab reaches the first copy button, as before
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == dialog.FORMATS[0][2]
    expected = expected_texts(by_key["deepseekai2024deepseekv3"])
    for (name, _, label), button in zip(dialog.FORMATS, buttons.all()):
        shown = button.evaluate("b => b.parentElement.querySelector('code').innerText")
        assert shown.strip() == expected[name].strip(), name
        button.focus()
        page.keyboard.press("Enter")  # buttons are keyboard reachable
        page.wait_for_function("(b) => b.getAttribute('aria-label') === '已复制'", arg=button.element_handle(),
                               timeout=5000)
        assert page.evaluate("navigator.clipboard.readText()") == button.evaluate(
            "b => b.parentElement.querySelector('code').textContent"), name
        # and the button says its own name again afterwards
        page.wait_for_function(f"(b) => b.getAttribute('aria-label') === {label!r}", arg=button.element_handle(),
                               timeout=5000)
    assert "[EB/OL]" in expected["gbt7714"]
    # the paper's other row on the page fills from the same file, loaded once
    other = page.locator('tr.llmkb-paper[data-key="deepseekai2024deepseekv3"]').nth(1).locator("details.llmkb-bibtex")
    other.locator("summary").click()
    other.locator("button.llmkb-copy").first.wait_for()
    assert len([u for u in browse.requests if u.endswith("/_static/cite/deepseekai2024deepseekv3.js")]) == 1


def test_opened_dialog_is_accessible_in_light_and_dark(browse):
    from .test_pages import AXE_IGNORE, axe_script, run_axe

    script = axe_script()
    for theme in ("light", "dark"):
        page = browse.page(theme=theme)
        browse.goto(page, "efficiency/peft.html")
        row = page.locator("tr.llmkb-paper").first
        row.locator("details.llmkb-bibtex > summary").click()
        row.locator("button.llmkb-copy").first.wait_for()
        key = row.get_attribute("data-key")
        violations = run_axe(page, script, rules_off=AXE_IGNORE,
                             context={"include": [[f'tr.llmkb-paper[data-key="{key}"]']]})
        assert violations == [], (theme, violations)


def test_without_javascript_the_dialog_links_to_the_pages_bib_file(browse, bib_papers):
    by_key = {p.key: p for p in bib_papers}
    page = browse.page(java_script_enabled=False)
    browse.goto(page, "efficiency/peft.html")
    row = page.locator("tr.llmkb-paper").nth(2)
    key = row.get_attribute("data-key")
    row.locator("details.llmkb-bibtex > summary").click()  # <details> opens without a script
    link = row.locator("details.llmkb-bibtex > a.llmkb-cite-fallback")
    assert link.is_visible() and link.inner_text() == "本页全部条目的 BibTeX 文件（含本条）"
    # on a line of its own below the summary, as the paragraph it replaced was
    box, summary = link.bounding_box(), row.locator("details.llmkb-bibtex > summary").bounding_box()
    assert box["y"] >= summary["y"] + summary["height"] and box["x"] <= summary["x"] + 1
    response = page.request.get(link.evaluate("a => a.href"))
    assert response.ok and link.get_attribute("href") == "../_bib/efficiency/peft.bib"
    entries = pybtex.database.parse_string(response.text(), "bibtex").entries
    assert key in entries
    assert format_entry(by_key[key]).strip() in response.text()


def test_a_missing_data_file_leaves_the_fallback_and_names_the_file(browse):
    page = browse.page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    browse.allow_console(r"Failed to load resource|llmkb: could not load the citation data file")
    page.route("**/_static/cite/*.js", lambda route: route.fulfill(status=404, body="missing"))
    browse.goto(page, "efficiency/peft.html")
    row = page.locator("tr.llmkb-paper").first
    key = row.get_attribute("data-key")
    details = row.locator("details.llmkb-bibtex")
    details.locator("summary").click()
    for _ in range(100):
        if any(e.startswith("llmkb:") for e in errors):
            break
        page.wait_for_timeout(50)
    details.locator("summary").click()  # closed, and opened again: still one message
    details.locator("summary").click()
    page.wait_for_timeout(300)
    mine = [e for e in errors if e.startswith("llmkb:")]
    assert len(mine) == 1 and f"/_static/cite/{key}.js" in mine[0], errors
    assert details.locator("a.llmkb-cite-fallback").count() == 1 and details.locator("code").count() == 0


def test_dialog_opens_from_a_book_on_disk(browser, built_book, bib_papers):
    """file://: the data file is a script, which a page opened from disk may load (a fetch() may not)."""
    by_key = {p.key: p for p in bib_papers}
    context = browser.new_context()
    try:
        page = context.new_page()
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto((built_book / "efficiency" / "peft.html").as_uri())
        row = page.locator("tr.llmkb-paper").first
        row.locator("details.llmkb-bibtex > summary").click()
        code = row.locator("div.llmkb-bibtex-source > code").first
        code.wait_for()
        assert code.text_content().strip() == format_entry(by_key[row.get_attribute("data-key")]).strip()
        assert not [e for e in errors if "llmkb" in e], errors
    finally:
        context.close()


def test_cite_the_book_blocks_copy_their_text(browse):
    page = browse.page(permissions=["clipboard-read", "clipboard-write"])
    browse.goto(page, "index.html")
    block = page.locator("div.llmkb-cite-book")
    buttons = block.locator("button.llmkb-copy")
    assert buttons.count() == 2
    for button in buttons.all():
        button.click()
        text = button.evaluate("b => b.parentElement.querySelector('code').textContent")
        assert page.evaluate("navigator.clipboard.readText()") == text
    assert "[M/OL]" in block.inner_text() and "@misc{llmkb" in block.inner_text()


def test_page_bib_link_downloads_the_keys_cited_on_the_page(browse, built_book, tmp_path):
    page = browse.page(accept_downloads=True)
    browse.goto(page, "efficiency/peft.html")
    cited = set(page.eval_on_selector_all("a[href^='#cite-']", "as => as.map(a => a.getAttribute('href').slice(6))"))
    link = page.locator("p.llmkb-page-bib a").first
    assert link.get_attribute("href").endswith("peft.bib")
    response = page.request.get(link.evaluate("a => a.href"))
    assert response.ok
    target = tmp_path / "peft.bib"
    target.write_bytes(response.body())
    assert set(pybtex.database.parse_file(str(target), "bibtex").entries) == cited and cited


def test_paper_index_is_usable_on_a_phone(browse):
    page = browse.page(viewport=MOBILE)
    browse.goto(page, INDEX)
    assert page.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"]
    assert page.locator("form.llmkb-paper-filter").is_visible()


@pytest.mark.parametrize("viewport", ["desktop", "mobile"])
def test_a_link_to_a_row_or_heading_lands_on_it(browse, built_book, viewport):
    """Sections are laid out only near the viewport (content-visibility, llmkb.css), with a
    guessed height until then: a link into a long page must still bring its target into view,
    not where the target would be if the sections above it had the guessed height (the browser's
    own jump does that; llmkb-landing.js jumps again once they are laid out). Every 20th row of
    the paper index and every heading of the landmark page, opened by URL one after another in
    the same tab, as following links within a page does."""
    from .conftest import DESKTOP

    size = DESKTOP if viewport == "desktop" else MOBILE
    rows = re.findall(r'<tr [^>]*id="(paper-[a-z0-9]+)"', (built_book / INDEX).read_text(encoding="utf-8"))
    milestones = "foundations/milestones.html"
    headings = re.findall(r'<section id="([^"]+)"', (built_book / milestones).read_text(encoding="utf-8"))
    targets = [(INDEX, i) for i in rows[::20]] + [(milestones, i) for i in headings[1:]]
    assert len(targets) > 25
    page = browse.page(viewport=size)
    missed = []
    for path, target in targets:
        browse.goto(page, f"{path}#{target}")
        # where it is once the sections around it are laid out: llmkb-landing.js says when it has
        # finished re-jumping (a same-page link is a hashchange, not a new load)
        page.wait_for_function("id => document.documentElement.dataset.llmkbLanded === id", arg=target)
        top = page.evaluate(f"document.getElementById({target!r}).getBoundingClientRect().top")
        if not 0 <= top < size["height"] / 2:
            missed.append((path, target, round(top)))
    assert not missed
