"""Per-paper notes, lineage graphs and reading paths (issue 18) in a real browser: accessible
(axe-core), readable in light and dark mode, usable at 390 px, and the graphs' links work."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import require

from .conftest import MOBILE, wait_for_fonts
from .test_pages import axe_script, run_axe

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def axe() -> str:
    return axe_script()


@pytest.fixture(scope="module")
def graph_page(built_book) -> str:
    """The topic page with the most relations in its lineage graph."""
    counts = {}
    for page in built_book.rglob("*.html"):
        found = re.search(r"谱系的文字版（(\d+) 条关系）", page.read_text(encoding="utf-8"))
        if found:
            counts[page.relative_to(built_book).as_posix()] = int(found.group(1))
    require(bool(counts), "no topic page has a lineage graph: refs.bib records no relations yet",
            "merge the notes (relations = {...}) into refs.bib")
    return max(counts, key=lambda p: (counts[p], p))


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = map(channel, rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = (_luminance(tuple(int(x) for x in re.findall(r"\d+", c)[:3])) for c in (a, b))
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


#: the graph's text and box colours, as the page resolves them, and the background behind them
GRAPH_COLOURS = """svg => {
  const ink = svg.querySelector('text[style*="--llmkb-graph-ink"]');  // labels are <text> (svg.fonttype none)
  const box = svg.querySelector('path[style*="--llmkb-graph-box"]');
  let bg = 'rgba(0, 0, 0, 0)', el = svg;
  while (el && /rgba\\(0, 0, 0, 0\\)|transparent/.test(bg)) { bg = getComputedStyle(el).backgroundColor; el = el.parentElement; }
  return {ink: getComputedStyle(ink).fill, box: getComputedStyle(box).fill, page: bg};
}"""


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_graphs_are_accessible_and_readable_in_both_modes(browse, axe, graph_page, theme):
    page = browse.page(theme=theme)
    problems = {}
    for path in (graph_page, "reading-paths.html"):
        browse.goto(page, path)
        wait_for_fonts(page)
        assert page.evaluate("document.documentElement.dataset.theme") == theme
        violations = run_axe(page, axe, context={"include": [["figure.llmkb-graph"], ["details.llmkb-graph-text"],
                                                             ["ol.llmkb-reading-path"], ["table.llmkb-paper-table"]]})
        if violations:
            problems[path] = violations
        for svg in page.query_selector_all("svg.llmkb-graph-svg"):
            colours = svg.evaluate(GRAPH_COLOURS)
            # the labels against the box they sit in, the box against the page
            assert contrast(colours["ink"], colours["box"]) >= 7, (path, colours)
            assert contrast(colours["ink"], colours["page"]) >= 4.5, (path, colours)
            if theme == "dark":
                assert colours["ink"] != "rgb(26, 26, 26)", (path, colours)  # the light-mode ink would vanish
    assert problems == {}, json.dumps(problems, ensure_ascii=False, indent=1)[:6000]


def test_a_box_in_the_lineage_graph_jumps_to_its_row(browse, graph_page):
    page = browse.page()
    browse.goto(page, graph_page)
    link = page.locator("svg.llmkb-graph-svg a").first
    href = link.get_attribute("href")
    assert href.startswith("#paper-")
    link.click()
    page.wait_for_function(f"location.hash === '{href}'")
    row = page.locator(f"tr{href}")
    assert row.count() == 1 and row.is_visible()
    box = row.bounding_box()
    assert 0 <= box["y"] < page.viewport_size["height"]  # scrolled into view


def test_reading_path_boxes_open_their_page(browse):
    page = browse.page()
    browse.goto(page, "reading-paths.html")
    first = page.locator('svg.llmkb-graph-svg a[aria-label^="第 1 步："]').first
    href = first.get_attribute("href")
    first.click()
    page.wait_for_load_state("load")
    assert page.url == browse.base + href and page.title()  # a page of the book, in the same tab


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_phone_width_notes_and_graphs_fit(browse, graph_page, theme):
    """At 390 px the page does not scroll sideways: a graph scrolls in its own focusable box, and
    the one-line summary stays a small second line in the paper's cell."""
    page = browse.page(viewport=MOBILE, theme=theme)
    for path in (graph_page, "reading-paths.html", "appendix/papers.html"):
        browse.goto(page, path)
        wait_for_fonts(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"], path
        for box in page.query_selector_all("div.llmkb-graph-scroll"):
            assert box.evaluate("b => [b.clientWidth <= 390, getComputedStyle(b).overflowX, b.tabIndex]") == [True, "auto", 0]
    browse.goto(page, graph_page)
    summary = page.locator("tr.llmkb-paper p.llmkb-summary").first
    sizes = summary.evaluate("""p => {
        const title = p.closest('td').querySelector('.llmkb-title, strong');
        return [parseFloat(getComputedStyle(p).fontSize), parseFloat(getComputedStyle(title).fontSize),
                p.getBoundingClientRect().right <= p.closest('td').getBoundingClientRect().right + 0.5];
    }""")
    assert sizes[0] < sizes[1] and sizes[0] >= 12 and sizes[2], sizes


def test_summaries_are_there_without_scripting(browser, site, graph_page):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site + graph_page)
        assert page.locator("p.llmkb-summary").count() > 0 and page.locator("p.llmkb-summary").first.is_visible()
        assert page.locator("svg.llmkb-graph-svg").is_visible()
    finally:
        context.close()
