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


def _shots(browser, theme: str, figures: dict[str, str], focus: str | None = None) -> dict[str, bytes]:
    """A PNG of each figure (name -> HTML inside figure.llmkb-graph), drawn on a page with the
    book's stylesheet in ``theme``; ``focus``: a selector to focus first (its focus ring drawn)."""
    css = (ROOT / "llmkb" / "sphinx_ext" / "static" / "llmkb.css").read_text(encoding="utf-8")
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    try:
        out = {}
        for name, body in figures.items():
            page.set_content(f'<html data-theme="{theme}" style="--pst-color-accent: #d0328a"><head><meta charset="utf-8">'
                             f'<style>{css}</style></head><body style="margin: 8px; background: '
                             f'{"#ffffff" if theme == "light" else "#121212"}"><figure class="llmkb-graph">'
                             f'<div class="llmkb-graph-scroll">{body}</div></figure></body></html>')
            wait_for_fonts(page)
            if focus:
                page.locator(focus).first.focus()
                out[name, "ring"] = page.evaluate("""() => { const a = document.activeElement, r = a.getBoundingClientRect();
                    return [a.matches(':focus-visible'), r.x, r.y, r.width, r.height]; }""")
            out[name] = page.locator("figure.llmkb-graph > div > *").first.screenshot()
        return out
    finally:
        page.close()


def _differing(a: bytes, b: bytes) -> float:
    """The share of pixels two PNGs of the same size differ in."""
    import io

    from PIL import Image, ImageChops

    first, second = (Image.open(io.BytesIO(png)).convert("RGB") for png in (a, b))
    assert first.size == second.size
    red, green, blue = ImageChops.difference(first, second).split()
    return sum(ImageChops.lighter(ImageChops.lighter(red, green), blue).histogram()[1:]) / (first.width * first.height)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_slimmed_figures_draw_the_same_pixels(browser, theme, tmp_path):
    """plots/markup.slim drops matplotlib's wrappers and merges a box's links into one: the
    lineage graph, a reading path and the milestones timeline (an <img>) look the same to the
    pixel, and so does a focused box's focus ring (its one link holds the outline and the lines)."""
    import base64

    from test_lineage import layered_graph

    from llmkb.plots import fonts, lineage, markup, timeline

    figures = {}
    for down in (False, True):
        g = layered_graph()
        if down:
            for step, key in enumerate(sorted(g, key=lambda k: g.nodes[k]["date"])):
                g.nodes[key]["date"] = f"{step:02d}"
        raw = lineage.draw(g, lineage.layered_layout(g, down=down), fonts.cjk_family(), link=lambda k: "#paper-" + k,
                           legend=None if down else list(lineage.VERB_STYLE), down=down)
        names = {f"#paper-{k}": g.nodes[k]["text"] for k in g}
        for slim in (False, True):
            figures[(down, slim)] = lineage.themed(markup.slim(raw) if slim else raw, "g", names, "图")
    shots = _shots(browser, theme, figures)
    focused = _shots(browser, theme, figures, focus='a[href="#paper-c"]')
    for down in (False, True):
        assert shots[(down, True)] == shots[(down, False)], f"the {'path' if down else 'lineage'} graph differs"
        # a focused box: its ring drawn around the same rectangle (the box's outline: the lines are
        # inside it); the pixels differ only in anti-aliasing here and there along arrows (0.08 % of
        # them, by at most 51/255: chromium rasterises a focused link's contents apart)
        ring = focused[(down, True), "ring"]
        assert ring == focused[(down, False), "ring"] and ring[0] is True
        assert focused[(down, True)] != shots[(down, True)]
        assert _differing(focused[(down, True)], focused[(down, False)]) < 0.002

    path = tmp_path / "t.svg"
    timeline.milestone_timeline([("GPT-3", "2020-05-28", "里程碑突破"), ("BERT", "2018-10-11", "奠基理论"),
                                 ("Llama 2", "2023-07-18", "重要优化与应用")], path, fonts.cjk_family())
    raw = path.read_text(encoding="utf-8")
    images = {slim: '<img alt="" src="data:image/svg+xml;base64,{}">'.format(
        base64.b64encode((markup.slim(raw) if slim else raw).encode()).decode()) for slim in (False, True)}
    shots = _shots(browser, theme, images)
    assert shots[True] == shots[False], "the timeline differs"
