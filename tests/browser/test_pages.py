"""Every page in a real browser: offline, error-free, accessible (axe-core), light and dark,
usable at phone width; screenshots for a human to look at; the book's version, 404 page, metadata."""

from __future__ import annotations

import importlib.util
import json
import struct
from pathlib import Path

import pytest
from conftest import require

import llmkb

from .conftest import DESKTOP, MOBILE, reveal, wait_for_fonts

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "_build" / "screenshots"

#: axe-core rules we do not enforce, each with the reason. Keep this short: fix violations at the
#: source (llmkb.css, docs/_templates, the directives' output) whenever the source is ours.
AXE_IGNORE: dict[str, str] = {
}


#: Where axe audits less than the whole page, and why. The paper index repeats one row template
#: (paper_table.py) ~200 times; auditing it all takes ~40 s per mode, so the first part's tables
#: are audited in full and the later parts' tables are skipped (the rest of the page is audited).
AXE_CONTEXT: dict[str, dict] = {
    "appendix/papers.html": {"exclude": [['section[id^="part-"]:not(#part-foundations) table']]},
}


def axe_script() -> str:
    require(importlib.util.find_spec("axe_playwright_python") is not None,
            "axe-core (axe-playwright-python) not importable", "pip install axe-playwright-python")
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def axe() -> str:
    return axe_script()


def run_axe(page, script: str, rules_off=(), context: dict | None = None, only=None) -> list[dict]:
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(script)
    rules = {rule: {"enabled": False} for rule in rules_off}
    context = context or {"include": [["html"]]}
    options = {"resultTypes": ["violations"], "rules": rules, "preload": False}
    if only:
        options["runOnly"] = [r for r in only if r not in rules_off]
    # preload: false — axe would re-fetch every stylesheet and resolve their @imports against the page
    # (requests for /basic.css); the one rule that needs it, css-orientation-lock, is then incomplete.
    result = page.evaluate("async ([context, options]) => await axe.run(context, options)", [context, options])
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"][:5]]} for v in result["violations"]]


#: Rules whose outcome depends on the colour mode; the others only see the DOM, which the mode
#: does not change, so dark mode re-runs just these (a full second pass would double the time).
AXE_COLOUR_RULES = ["color-contrast", "link-in-text-block"]


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_page_offline_error_free_and_accessible(browse, book_pages, axe, theme):
    """Visit every page in the reader's stored light or dark mode: no request leaves 127.0.0.1 and
    no console or page error happens (both checked by `browse`); axe-core finds no violation (in
    dark mode it runs the colour rules: the other rules see the same DOM as in light mode)."""
    page = browse.page(theme=theme)
    problems = {}
    for path in book_pages:
        response = browse.goto(page, path)
        assert response.status == 200, path
        wait_for_fonts(page)
        assert page.evaluate("document.documentElement.dataset.theme") == theme, path
        violations = run_axe(page, axe, rules_off=AXE_IGNORE, context=AXE_CONTEXT.get(path),
                             only=AXE_COLOUR_RULES if theme == "dark" else None)
        if violations:
            problems[path] = violations
    assert problems == {}, json.dumps(problems, ensure_ascii=False, indent=1)[:8000]


def test_touch_targets_are_big_enough_on_a_phone(browse, book_pages, axe):
    """axe-core's target-size rule (WCAG 2.2: a link or button at least 24 px, or that far from its
    neighbours) on every page at 390 px, as loaded — the way Lighthouse's mobile audit meets it:
    sections not yet near the viewport are laid out lazily (content-visibility, llmkb.css), and the
    links of one still at its guessed height overlap whatever follows it."""
    page = browse.page(viewport=MOBILE)
    problems = {}
    for path in book_pages:
        browse.goto(page, path)
        wait_for_fonts(page)
        violations = run_axe(page, axe, rules_off=AXE_IGNORE, only=["target-size"])
        if violations:
            problems[path] = violations
    assert problems == {}, json.dumps(problems, ensure_ascii=False, indent=1)[:8000]


def test_formulas_are_drawn_without_a_script_in_both_colour_schemes(browse):
    """llmkb.math.svg: formulas arrive drawn. No maths script or font is requested; each formula
    on the page has a real size (its glyph outlines resolve); the strokes follow the text colour,
    so dark mode needs nothing."""
    for scheme in ("light", "dark"):
        page = browse.page(viewport={"width": 390, "height": 800}, theme=scheme)
        browse.goto(page, "efficiency/peft.html")
        wait_for_fonts(page)
        sizes = page.evaluate("""() => [...document.querySelectorAll('mjx-container > svg')].map(svg => {
            const box = svg.getBBox();  // the drawn glyphs, not the box the width attribute asks for
            return [box.width, box.height];
        })""")
        assert len(sizes) >= 80
        assert all(w > 0 and h > 0 for w, h in sizes), [s for s in sizes if not (s[0] > 0 and s[1] > 0)][:5]
        # the glyphs: one path per scale in each formula (llmkb.math.render.merge_glyphs), no <use>
        glyphs = page.evaluate("""() => [...document.querySelectorAll('mjx-container > svg')].map(svg =>
            [svg.querySelectorAll('use').length, svg.querySelectorAll('path[stroke-width]').length])""")
        assert all(uses == 0 and 1 <= paths <= 4 for uses, paths in glyphs), glyphs
        # the MathML for screen readers, right in the container (no wrapper), hidden visually as
        # MathJax hid its wrapper: positioned out of the flow, clipped to nothing
        hidden = page.evaluate("""() => [...document.querySelectorAll('mjx-container')].map(c => {
            const math = c.querySelector(':scope > math'), style = math && getComputedStyle(math);
            return math ? [style.position, style.clip, style.display, math.getBoundingClientRect().height > 0] : null;
        })""")
        assert all(h is not None and h[:3] == ["absolute", "rect(1px, 1px, 1px, 1px)", "block math"] for h in hidden), \
            [h for h in hidden if h is None or h[:3] != ["absolute", "rect(1px, 1px, 1px, 1px)", "block math"]][:5]
        colours = page.evaluate("""() => {
            const c = document.querySelector('div.math mjx-container');
            const glyphs = c.querySelector('svg path[stroke-width]');
            const drawn = getComputedStyle(glyphs);
            return [drawn.fill, getComputedStyle(c.closest('article') || document.body).color, drawn.strokeWidth,
                    drawn.stroke];
        }""")
        assert colours[0] == colours[1] == colours[3], (scheme, colours)
        assert colours[2] == "3px", colours  # MathJax's thin outline on each glyph
        assert not any("mathjax" in u.lower() or u.endswith(".woff") for u in browse.requests), scheme
        page.close()


#: formulas whose glyphs overlap or touch: a slashed relation, accents, stacked and stretched
#: operators, a table in stretched brackets (an extender clipped by a nested <svg>), letters
#: pushed into each other, a colour between black glyphs, a boxed and a braced formula
OVERLAPPING = [r"a \ne b \not\in A \not\equiv c", r"\hat{A}\,\tilde{x}\,\vec{v}\,\bar{X}\,\dot{y}\,\widehat{xyz}",
               r"\overset{\text{def}}{=} \stackrel{?}{=}", r"\sum_{i=1}^{n}\prod_{j} \int_0^1 \oint",
               r"\Longrightarrow \longmapsto \xrightarrow{abc} \overrightarrow{AB}",
               r"\left(\begin{matrix}a&b\\c&d\\e&f\\g&h\end{matrix}\right)", r"\sqrt[3]{x^2}",
               r"x \color{red}{y} z", r"\boxed{E=mc^2}", r"M\!\!\!\!\!\!M\;\mathbf{A}\!\!\!\!\!A\;\rlap{=}\,/",
               r"\underbrace{a+b}_{n} \overbrace{c+d}^{m}"]


def test_merged_glyphs_draw_the_pixels_their_uses_drew(browser):
    """llmkb.math.render.merge_glyphs draws a formula's glyphs as one path per scale: where
    glyphs overlap, the path must fill their union (no hole cut by the fill rule) and every glyph
    must stay where its <use> put it. Each formula is drawn both ways in the same box, at 2x;
    antialiasing may differ (the rasteriser meets one outline instead of many), nothing more."""
    require(importlib.util.find_spec("PIL") is not None, "Pillow not importable", "pip install pillow")
    import io

    from PIL import Image, ImageChops

    from llmkb.math import render as math_render
    from llmkb.math import svg as math_svg

    kept = math_svg.render([(tex, True) for tex in OVERLAPPING], "--flattened")
    merged = [math_render.merge_glyphs(result)["svg"] for result in kept]
    assert all("<use" not in m.split("</svg>")[0] for m in merged)
    outlines = "".join(f'<path id="MJX-{name}" d="{d}"></path>' for result in kept for name, d in result["glyphs"].items())
    css = (ROOT / "llmkb" / "sphinx_ext" / "static" / math_svg.STYLESHEET).read_text(encoding="utf-8")
    page = browser.new_page(viewport={"width": 1000, "height": 600}, device_scale_factor=2)
    page.set_content(f'<html><head><style>{css} body {{ font-size: 20px; color: #222; }}</style></head><body>'
                     f'<svg style="display: none"><defs>{outlines}</defs></svg><div id="box"></div></body></html>')

    def shot(markup: str):
        page.evaluate("markup => { document.getElementById('box').innerHTML = markup; }", markup)
        return Image.open(io.BytesIO(page.locator("#box mjx-container").screenshot())).convert("L")

    wrong = {}
    for tex, before, after in zip(OVERLAPPING, kept, merged):
        a, b = shot(before["svg"]), shot(after)
        histogram = ImageChops.difference(a, b).histogram() if a.size == b.size else [1] * 256
        # antialiasing moves a pixel by at most ~60/255 here; a hole or a shifted glyph by far more
        if sum(histogram[97:]):
            wrong[tex] = f"{sum(histogram[97:])} pixels differ by more than 96/255 (size {a.size} vs {b.size})"
    page.close()
    assert wrong == {}, wrong


CONTRAST_JS = """() => {
  // WCAG contrast of the book's own text: paper tables, BibTeX toggles, page-bib line, version, filter.
  const lum = (rgb) => {
    const [r, g, b] = rgb.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const parse = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.9)) return c.slice(0, 3);
    }
    return document.documentElement.dataset.theme === "dark" ? [18, 18, 18] : [255, 255, 255];
  };
  const sel = "table.llmkb-paper-table td, details.llmkb-bibtex > summary, p.llmkb-page-bib, p.llmkb-version," +
              " form.llmkb-paper-filter label, .llmkb-authors, .llmkb-topics a, .llmkb-search-hint li";
  const bad = [];
  document.querySelectorAll(sel).forEach(el => {
    if (!el.offsetParent) return;
    const fg = lum(parse(getComputedStyle(el).color).slice(0, 3)), bg = lum(background(el));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    if (ratio < 4.5) bad.push([el.className || el.tagName, ratio.toFixed(2)]);
  });
  return bad.slice(0, 10);
}"""


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("path", ["appendix/papers.html", "efficiency/peft.html", "search.html", "index.html"])
def test_our_text_has_enough_contrast(browse, theme, path):
    page = browse.page(theme=theme)
    browse.goto(page, path)
    assert page.evaluate(CONTRAST_JS) == []


def test_phone_width_has_no_horizontal_page_scroll_and_no_cut_formula(browse, book_pages):
    """Every page at 390 px (dark mode at phone width: see test_screenshots_for_a_human). No inline
    formula reaches past its box either: the theme's span.math hides what overflows, so the end of
    a long worked sum was simply not there on a phone (llmkb-math.css scales such formulas down)."""
    page = browse.page(viewport=MOBILE)
    wide, cut, small = {}, {}, {}
    for path in book_pages:
        browse.goto(page, path)
        wait_for_fonts(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > MOBILE["width"]:
            wide[path] = width
        # One pass over the page's inline formulas. Cut: one reaches past its box. Shrunk: one is
        # scaled down past legibility (in a table cell, the scaling rule gave the formula no width
        # of its own and the cell shrank "2.75 × 10^11" to a quarter of its size).
        clipped, shrunk = page.evaluate("""() => {
            const cut = [], small = [];
            for (const svg of document.querySelectorAll('article span.math svg')) {
                const where = svg.closest('p, li, td, dd, div').textContent.slice(0, 40);
                const shown = svg.getBoundingClientRect();
                if (shown.right > svg.closest('span.math').getBoundingClientRect().right + 1) cut.push(where);
                if (!shown.width) continue;
                const box = svg.parentElement;
                svg.style.maxWidth = box.style.maxWidth = 'none';
                const natural = svg.getBoundingClientRect().width;
                svg.style.maxWidth = box.style.maxWidth = '';
                if (shown.width < 0.5 * natural) small.push(where);
            }
            return [cut, small];
        }""")
        if clipped:
            cut[path] = clipped
        if shrunk:
            small[path] = shrunk
    assert wide == {}
    assert cut == {}
    assert small == {}


def test_tables_scroll_inside_their_own_box(browse):
    """Every table scrolls sideways in a box no wider than the phone: the theme's box for ordinary
    tables, the book's focusable box for paper tables (paper_table.visit_table_html)."""
    page = browse.page(viewport=MOBILE)
    for path in ("efficiency/peft.html", "multimodal/hallucination.html"):
        browse.goto(page, path)
        boxes = page.eval_on_selector_all(
            "article table", """tables => tables.map(t => {
                const box = t.closest('.pst-scrollable-table-container, .llmkb-table-scroll');
                return box ? [box.className, getComputedStyle(box).overflowX, box.clientWidth <= 390,
                              box.className !== 'llmkb-table-scroll' || box.tabIndex === 0] : null;
            })""")
        assert boxes and all(b is not None and b[1] in {"auto", "scroll"} and b[2] and b[3] for b in boxes), boxes
        kinds = {b[0] for b in boxes}
        assert "llmkb-table-scroll" in kinds, (path, kinds)
    assert "pst-scrollable-table-container" in kinds  # hallucination.html has an ordinary table too


def edge_strips(handle, width: int = 8):
    """The leftmost and rightmost ``width`` px of a scroll box as drawn (greyscale), above its
    scrollbar (a scrollbar's look may change between two screenshots)."""
    import io

    from PIL import Image

    shot = Image.open(io.BytesIO(handle.screenshot())).convert("L")
    w = shot.size[0]
    h = min(shot.size[1], handle.evaluate("e => e.clientHeight"))
    return shot.crop((0, 0, width, h)), shot.crop((w - width, 0, w, h))


#: the cue's scroll-driven animation shows the box's current scroll position. A scroll timeline is
#: updated in the frame after the scroll: right after ``scrollLeft`` is set the animation's progress
#: is still the old one, and right after the animation is switched back on it is unresolved (null),
#: until the next frame (seen with a probe on efficiency/peft.html: progress 0 just after scrolling
#: to the end, 1 two frames later). On a loaded machine a screenshot once caught such a frame
#: (test_wide_tables_show_a_scroll_cue[dark] failed once in a run with eight other builds going).
#: Polled every frame until the progress of each of the box's scroll-driven animations is its
#: scroll fraction; a box that fits has no active timeline and nothing to wait for.
CUE_CURRENT = """e => {
  const max = e.scrollWidth - e.clientWidth;
  if (max <= 0) return true;
  const want = e.scrollLeft / max;
  const cues = e.getAnimations().filter(a => a.timeline && a.timeline !== document.timeline);
  return cues.length > 0 && cues.every(a => {
    const p = a.effect.getComputedTiming().progress;
    return p !== null && Math.abs(p - want) < 0.02;
  });
}"""


def scroll_cue(page, handle) -> list[float]:
    """How much the scroll cue changes the box's left and right edges: the edge strips as shown
    minus the same strips with the cue's animation switched off, as a mean absolute difference
    per pixel (0 to 255). The cue must not move or resize the box."""
    from PIL import ImageChops, ImageStat

    assert handle.evaluate("e => getComputedStyle(e).animationName") != "none", "the box has no scroll cue"
    page.wait_for_function(CUE_CURRENT, arg=handle)
    shown, rect = edge_strips(handle), handle.evaluate("e => JSON.stringify(e.getBoundingClientRect())")
    handle.evaluate("e => { e.style.animation = 'none'; }")
    page.wait_for_function("e => getComputedStyle(e).animationName === 'none'", arg=handle)
    bare, bare_rect = edge_strips(handle), handle.evaluate("e => JSON.stringify(e.getBoundingClientRect())")
    handle.evaluate("e => { e.style.animation = ''; }")
    page.wait_for_function("e => getComputedStyle(e).animationName !== 'none'", arg=handle)
    assert rect == bare_rect  # no layout shift
    return [ImageStat.Stat(ImageChops.difference(a, b)).mean[0] for a, b in zip(shown, bare)]


def scroll_to_end(page, handle) -> None:
    """Scroll a box to its right end and wait until it is there (the cue follows the scroll position
    in the frame a screenshot draws)."""
    handle.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
    page.wait_for_function("e => e.scrollLeft > 0 && e.scrollLeft >= e.scrollWidth - e.clientWidth - 1", arg=handle)


#: a cue is there: an edge strip changes by at least this much (mean, of 255) when it is switched on
CUE_SEEN = 2.0


def mark_boxes(page, selector: str) -> dict[str, int]:
    """Find the widest box that overflows (data-cue="wide") and one that fits (data-cue="fits")
    among ``selector``; return their overflow in px."""
    return page.evaluate("""sel => {
        const boxes = [...document.querySelectorAll(sel)];
        const over = e => e.scrollWidth - e.clientWidth;
        const wide = boxes.reduce((a, b) => (over(b) > over(a) ? b : a), boxes[0]);
        const fits = boxes.find(e => over(e) === 0 && e.clientWidth > 0);
        if (wide) wide.dataset.cue = 'wide';
        if (fits) fits.dataset.cue = 'fits';
        return {wide: wide ? over(wide) : -1, fits: fits ? over(fits) : -1};
    }""", selector)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_wide_formulas_show_a_scroll_cue(browse, theme):
    """A display formula wider than a phone scrolls in its own box (llmkb-math.css), and a shadow
    shows on the side that hides part of it: the right edge at first, the left edge once scrolled
    to the end. A formula that fits shows none. Measured in pixels: each edge as shown against the
    same edge with the cue's animation switched off."""
    require(importlib.util.find_spec("PIL") is not None, "Pillow not importable", "pip install pillow")
    page = browse.page(viewport=MOBILE, theme=theme)
    browse.goto(page, "efficiency/moe.html")
    wait_for_fonts(page)
    sizes = mark_boxes(page, 'div.math > mjx-container[display="true"]')
    assert sizes["wide"] > 100 and sizes["fits"] == 0, sizes
    # one box at a time, shown first: a section far from the viewport is not laid out
    # (content-visibility, llmkb.css), and a box there neither draws nor scrolls
    fits = page.locator('mjx-container[data-cue="fits"]')
    reveal(page, fits)
    assert scroll_cue(page, fits.element_handle()) == [0.0, 0.0]  # a formula that fits: not a pixel changes
    assert fits.evaluate("e => getComputedStyle(e).boxShadow") == "none"
    wide = page.locator('mjx-container[data-cue="wide"]')
    reveal(page, wide)
    left, right = scroll_cue(page, wide.element_handle())
    assert right > CUE_SEEN and left < 0.5, (left, right)  # at first: more to the right, nothing to the left
    scroll_to_end(page, wide.element_handle())
    left, right = scroll_cue(page, wide.element_handle())
    assert left > CUE_SEEN and right < 0.5, (left, right)  # at the end: the other way round


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_wide_tables_show_a_scroll_cue(browse, theme):
    """A paper table wider than a phone fades out at the edge that hides columns (llmkb.css): the
    right edge at first, the left edge at the end; at desktop width, where it fits, nothing is
    masked. A focused box shows its focus outline instead of the fade (a mask would hide it)."""
    require(importlib.util.find_spec("PIL") is not None, "Pillow not importable", "pip install pillow")
    page = browse.page(viewport=MOBILE, theme=theme)
    browse.goto(page, "efficiency/peft.html")
    wait_for_fonts(page)
    sizes = mark_boxes(page, "div.llmkb-table-scroll")
    assert sizes["wide"] > 100, sizes
    box = page.locator('div[data-cue="wide"]')
    reveal(page, box)
    left, right = scroll_cue(page, box.element_handle())
    assert right > CUE_SEEN and left < 0.5, (left, right)
    scroll_to_end(page, box.element_handle())
    left, right = scroll_cue(page, box.element_handle())
    assert left > CUE_SEEN and right < 0.5, (left, right)
    box.evaluate("e => e.focus({focusVisible: true})")
    page.wait_for_function("() => document.activeElement.matches(':focus-visible')")
    assert box.evaluate("e => getComputedStyle(e).maskImage") == "none"
    page.set_viewport_size(DESKTOP)
    page.wait_for_function("() => { const e = document.querySelector('div[data-cue=\"wide\"]'); return e.scrollWidth === e.clientWidth; }")
    box.evaluate("e => e.blur()")
    assert box.evaluate("e => getComputedStyle(e).maskImage") == "none"
    assert scroll_cue(page, box.element_handle()) == [0.0, 0.0]


def test_dark_mode_keeps_figures_on_a_light_canvas(browse):
    page = browse.page(theme="dark")
    browse.goto(page, "efficiency/peft.html")
    colours = page.eval_on_selector_all("figure img[src$='.svg']", "imgs => imgs.map(i => getComputedStyle(i).backgroundColor)")
    assert colours and set(colours) == {"rgb(255, 255, 255)"}
    text = page.evaluate("getComputedStyle(document.querySelector('article p')).color")
    assert text != "rgb(0, 0, 0)"


def test_icons_are_drawn_from_the_theme_webfont(browse):
    """No fontawesome.js (page_assets.py): the theme's CSS draws each icon with its webfont, so
    every icon on the page has a glyph, a width, and the font actually loads."""
    page = browse.page(viewport=MOBILE)
    browse.goto(page, "efficiency/peft.html")
    wait_for_fonts(page)
    icons = page.evaluate("""() => [...document.querySelectorAll('i.fa-solid')].filter(i => i.offsetParent).map(i => ({
        cls: i.className, glyph: getComputedStyle(i, '::before').content, width: i.getBoundingClientRect().width,
        font: getComputedStyle(i).fontFamily}))""")
    assert len(icons) >= 3, icons
    for icon in icons:
        assert icon["glyph"] not in ("", "none", "normal"), icon
        assert icon["width"] > 0 and "Font Awesome" in icon["font"], icon
    assert page.evaluate("document.fonts.check('900 16px \"Font Awesome 7 Free\"')")
    assert any("fa-solid-900.woff2" in u for u in browse.requests)
    assert not any("fontawesome.js" in u for u in browse.requests)


def test_keyboard_reaches_search_bibtex_toggles_and_copy_buttons(browse):
    page = browse.page()
    browse.goto(page, "efficiency/peft.html")
    reached = set()
    for _ in range(400):
        page.keyboard.press("Tab")
        what = page.evaluate("""() => {
            const e = document.activeElement;
            if (e.matches('input[type=search], .search-button-field, button.search-button__button')) return 'search';
            if (e.matches('details.llmkb-bibtex > summary')) return 'bibtex';
            if (e.matches('button.llmkb-copy')) return 'copy';
            return null;
        }""")
        if what:
            reached.add(what)
            if what == "bibtex" and "copy" not in reached:
                page.keyboard.press("Enter")  # open it: its copy button comes next in the tab order
                # the block's text and copy button are fetched when it opens: tabbing on before they
                # arrive skipped past them (seen once on a loaded machine)
                page.wait_for_function("() => document.activeElement.closest('details.llmkb-bibtex')"
                                       "?.querySelector('button.llmkb-copy')", timeout=10_000)
        if reached >= {"search", "bibtex", "copy"}:
            break
    assert reached >= {"search", "bibtex", "copy"}, reached
    # the focused copy button is visible, and Enter copies (the button says so)
    assert page.evaluate("getComputedStyle(document.activeElement).visibility") == "visible"
    assert page.evaluate("document.activeElement.getBoundingClientRect().width") >= 24  # a 24 px target
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.dataset.state !== undefined", timeout=3000)


SHOTS = {"home": "index.html", "peft": "efficiency/peft.html", "papers": "appendix/papers.html"}


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", head[16:24])


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("device", ["desktop", "mobile"])
def test_screenshots_for_a_human(browse, theme, device):
    """Write _build/screenshots/<page>-<device>-<theme>.png (first screenful) to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    viewport = DESKTOP if device == "desktop" else MOBILE
    page = browse.page(viewport=viewport, theme=theme, device_scale_factor=1)
    for name, path in SHOTS.items():
        browse.goto(page, path)
        wait_for_fonts(page)
        out = SCREENSHOTS / f"{name}-{device}-{theme}.png"
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], path
        page.screenshot(path=str(out), full_page=False)
        assert out.stat().st_size > 10_000, out
        assert png_size(out) == (viewport["width"], viewport["height"]), out


def test_the_book_shows_its_version(browse):
    page = browse.page()
    browse.goto(page, "index.html")
    version = page.locator("p.llmkb-version").first
    reveal(page, version)  # in a section rendered only near the viewport (content-visibility)
    assert llmkb.__version__ in version.inner_text()
    version.locator("a").click()
    # click() returns once the navigation has started: read the changelog once it has loaded (it
    # once read no headings, "assert ([])", in a run under load)
    page.wait_for_url("**/appendix/changelog.html", wait_until="load", timeout=30_000)
    # the newest released section is this version (an "未发布" section for the next one may come first)
    # textContent: sections below the first screen are not laid out (content-visibility), and a
    # heading's innerText there is empty
    released = [h for h in page.locator("article h2").all_text_contents() if "未发布" not in h]
    assert released and llmkb.__version__ in released[0]
    assert page.evaluate("document.querySelectorAll('.version-switcher__button').length") == 0


def test_a_link_to_the_one_page_glossary_reaches_the_term_on_its_part(browse):
    """The glossary was one page until it was split by letter: links copied before then name
    appendix/glossary.html#term-…, and the landing page sends them to the term's part."""
    page = browse.page()
    browse.goto(page, "appendix/glossary.html#term-token")
    page.wait_for_url("**/appendix/glossary/s-z.html#term-token", wait_until="load", timeout=30_000)
    term = page.locator("#term-token")
    assert term.count() == 1 and "词元" in term.text_content()
    # an anchor that is no term (or an Object property) leaves the reader on the landing page
    for fragment in ("#constructor", "#no-such-term"):
        browse.goto(page, "appendix/glossary.html" + fragment)
        page.wait_for_load_state("load")
        assert page.url.endswith("appendix/glossary.html" + fragment)
        assert page.locator("article a[href='glossary/a-c.html']").count() >= 1


def test_missing_pages_get_a_helpful_404(browse):
    browse.allow_console(r"status of 404")  # the missing document itself
    page = browse.page()
    response = browse.goto(page, "no/such/page.html")
    assert response.status == 404
    wait_for_fonts(page)
    assert "找不到" in page.locator("article h1").inner_text()
    links = page.eval_on_selector_all("article a", "as => as.map(a => a.href)")
    for target in ("index.html", "search.html", "appendix/papers.html"):
        assert browse.base + target in links, (target, links)
    assert page.evaluate("getComputedStyle(document.body).fontFamily")  # the theme's CSS loaded
    assert page.locator("link[rel=stylesheet]").count() > 0
    assert all(r.startswith(browse.base) for r in browse.requests)


def test_social_metadata_and_sitemap(built_book):
    html = (built_book / "efficiency/peft.html").read_text(encoding="utf-8")
    assert '<meta property="og:title" content="参数高效微调"' in html
    assert 'property="og:image"' in html
    card = next((built_book / "_images" / "social_previews").glob("summary_efficiency_peft_*.png"))
    assert card.stat().st_size > 10_000
    sitemap = (built_book / "sitemap.xml").read_text(encoding="utf-8")
    assert "efficiency/peft.html" in sitemap and "/search.html<" not in sitemap  # (deep-research.html is a page)
