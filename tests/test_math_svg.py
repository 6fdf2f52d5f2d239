"""llmkb.math.svg and llmkb.math.render: formulas drawn at build time, TeX errors fail the build."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from llmkb.math import render as math_render
from llmkb.math import svg as math_svg
from llmkb.sphinx_ext.extension import STATIC

ROOT = Path(__file__).parent / "roots" / "test-basic"

MATH = r"""# 公式

行内公式 $W_0 + \Delta W$，再来一次 $W_0 + \Delta W$。

$$
h = W_0 x + B A x
$$ (lora)

式 {eq}`lora` 有编号。

```{math}
a = b

c = d \\ e = f
```

```{math}
:nowrap:
\begin{equation} z \end{equation}
```
"""


def project(tmp_path: Path, page: str = MATH) -> Path:
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    (src / "math.md").write_text(page, encoding="utf-8")
    index = (src / "index.md").read_text(encoding="utf-8")
    (src / "index.md").write_text(index.replace("other\n```", "other\nmath\n```"), encoding="utf-8")
    return src


def build(src: Path, out: Path, builder: str = "html") -> SphinxTestApp:
    app = SphinxTestApp(builder, srcdir=src, builddir=out)
    try:
        app.build()
    finally:
        app.cleanup()
    return app


def forget_drawn_formulas() -> None:
    """What a new sphinx-build process starts with: nothing drawn in memory, only the disk cache."""
    for memory in (math_svg._rendered, math_svg._glyphs, math_svg._on_disk):
        memory.clear()


@pytest.fixture(autouse=True)
def fresh_memory():
    forget_drawn_formulas()
    yield
    forget_drawn_formulas()


def test_formulas_are_svg_with_mathml_and_no_script(tmp_path):
    app = build(project(tmp_path), tmp_path / "out")
    assert app.warning.getvalue() == ""
    html = (Path(app.outdir) / "math.html").read_text(encoding="utf-8")
    assert "mathjax" not in html.lower().replace('class="mathjax"', "")  # no MathJax script or config
    assert "\\(" not in html and "\\[" not in html  # no raw TeX for a script to find
    inline = re.findall(r'<span class="math notranslate nohighlight">(.*?)</span>', html, re.S)
    assert len(inline) == 2 and inline[0] == inline[1]
    assert inline[0].startswith('<mjx-container class="MathJax" jax="SVG"') and "<svg" in inline[0]
    # screen readers get MathML (not wrapped: llmkb-math.css hides the <math> itself); the picture is hidden from them
    assert 'aria-hidden="true"' in inline[0] and '</svg><math xmlns="http://www.w3.org/1998/Math/MathML">' in inline[0]
    assert "<mjx-assistive-mml" not in html
    assert "<mi>W</mi>" in inline[0] and '<mi mathvariant="normal">Δ</mi>' in inline[0]
    # flat: the glyphs drawn by one path per scale (W, +, Δ, W at 1; the subscript 0 at 0.707)
    # straight under the <svg>, which carries the paint; no MathJax bookkeeping left
    picture = inline[0].split("<math")[0]
    assert "<g" not in picture and "<use" not in picture and "xlink" not in picture
    assert re.findall(r'<path stroke-width="3"(?: transform="([^"]*)")? d="M[^"]+"></path>', picture) == \
        ["scale(1,-1)", "scale(0.707,-0.707)"]
    assert '<svg ' in picture and 'stroke="currentColor" fill="currentColor" stroke-width="0"' in picture
    # only what MathJax's stylesheet selects (here no table is left: its rows held only glyphs)
    assert set(re.findall(r'data-mml-node="(\w+)"', html)) <= {"mtable"}
    assert "data-c=" not in html and "data-mjx-texclass" not in html.split("<math")[0]
    displays = re.findall(r'<div class="math notranslate nohighlight"[^>]*>(.*?)</div>', html, re.S)
    assert len(displays) == 3
    numbered = displays[0]
    assert '<span class="eqno">(1)' in numbered and 'display="true"' in numbered
    assert '<mjx-container tabindex="0" class="MathJax"' in numbered  # it may scroll: reachable by keyboard
    assert 'tabindex' not in inline[0]
    assert 'id="equation-lora"' in html and 'href="#equation-lora"' in html
    # two paragraphs become aligned rows, the one with \\ a split (as Sphinx's MathJax renderer does)
    assert displays[1].count("<mtr>") >= 3
    assert "<mjx-container" in displays[2] and "<mi>z</mi>" in displays[2]  # :nowrap: TeX goes to MathJax as is


def test_formulas_carry_their_own_glyphs_and_pages_no_shared_outlines(tmp_path):
    """Every glyph is drawn by its formula's paths: no <use> refers to a page-wide outline table,
    so a page has none (it still would for a glyph left a <use>: see the next test)."""
    app = build(project(tmp_path), tmp_path / "out")
    html = (Path(app.outdir) / "math.html").read_text(encoding="utf-8")
    assert 'class="llmkb-math-glyphs"' not in html and "<defs>" not in html and "xlink:href" not in html
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "duplicate ids"  # the formula shown twice has none of its own
    assert html.count('<path stroke-width="3"') >= 8
    other = (Path(app.outdir) / "other.html").read_text(encoding="utf-8")
    assert "llmkb-math" not in other  # no stylesheet on a page without formulas
    assert '_static/llmkb-math.css' in html


def test_a_glyph_left_a_use_gets_its_outline_once_per_page(tmp_path, monkeypatch):
    """A glyph whose outline merge_glyphs cannot read stays a <use>; the page then carries that
    outline once, in one hidden table, and every reference resolves."""
    monkeypatch.setattr(math_svg, "OPTIONS", ("--flattened",))  # as if no outline could be read: every glyph a <use>
    app = build(project(tmp_path), tmp_path / "out")
    html = (Path(app.outdir) / "math.html").read_text(encoding="utf-8")
    assert html.count('class="llmkb-math-glyphs"') == 1
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "duplicate ids"  # the formula shown twice shares outlines
    used = set(re.findall(r'xlink:href="#(MJX-[^"]+)"', html))
    defined = set(re.findall(r'<path id="(MJX-[^"]+)" d="M', html))
    assert used and used == defined
    assert "<defs>" not in html.split('class="llmkb-math-glyphs"')[0]  # no formula keeps its own copy


def test_a_tex_error_fails_the_build_with_page_line_and_message(tmp_path):
    src = project(tmp_path, "# 坏公式\n\n第一行。\n\n有一个 $\\frac{a}{b$ 和 $\\undefinedmacro x$。\n")
    app = build(src, tmp_path / "out")
    warnings = app.warning.getvalue()
    assert re.search(r"math\.md:5: WARNING: TeX error in inline formula \$\\frac\{a\}\{b\$: .*[Mm]issing", warnings)
    assert re.search(r"math\.md:5: WARNING: TeX error in inline formula \$\\undefinedmacro x\$: "
                     r"Undefined control sequence \\undefinedmacro", warnings)
    assert "[llmkb.math]" in warnings  # type.subtype, so it can be named in suppress_warnings
    # and again on the next build, although the page is not read again
    again = build(src, tmp_path / "out")
    assert "Undefined control sequence" in again.warning.getvalue()


def test_html_and_href_from_tex_are_refused(tmp_path):
    src = project(tmp_path, "# 链接\n\n$\\href{javascript:alert(1)}{x}$ 和 $\\class{evil}{y}$\n")
    app = build(src, tmp_path / "out")
    assert app.warning.getvalue().count("Undefined control sequence") == 2
    html = (Path(app.outdir) / "math.html").read_text(encoding="utf-8")
    assert "javascript:" not in html.split("</h1>", 1)[1].replace("\\href{javascript:", "")


def test_the_cache_saves_rendering_and_is_pruned(tmp_path, monkeypatch):
    src = project(tmp_path)
    out = tmp_path / "out"
    calls = []  # the formulas each render process was sent

    class Counted(math_svg.RenderProcess):
        def __init__(self, *options):
            calls.append([])
            super().__init__(*options)

        def send(self, formulas):
            super().send(formulas)
            calls[-1][:] = self.sent  # what the process was asked to draw, each formula once

    monkeypatch.setattr(math_svg, "RenderProcess", Counted)
    build(src, out)
    assert len(calls) == 1 and len(calls[0]) == 4  # one process for the four distinct formulas
    first = (out / "html" / "math.html").read_text(encoding="utf-8")

    forget_drawn_formulas()  # a new process
    (src / "math.md").write_text(MATH.replace("再来一次", "改了一句"), encoding="utf-8")
    build(src, out)
    assert len(calls) == 1  # nothing new to draw
    assert (out / "html" / "math.html").read_text(encoding="utf-8") == first.replace("再来一次", "改了一句")

    (src / "math.md").write_text(MATH.replace("B A x", "A B x"), encoding="utf-8")
    build(src, out)
    assert calls[1] == [("h = W_0 x + A B x", True)]
    cached = math_svg._load_cache(out / "doctrees" / math_svg.CACHE)
    assert ("h = W_0 x + A B x", True) in cached and ("h = W_0 x + B A x", True) not in cached

    # the same process builds again (make livehtml): an unchanged set of formulas is not rewritten
    stamp = (out / "doctrees" / math_svg.CACHE).stat().st_mtime_ns
    (src / "math.md").write_text(MATH.replace("B A x", "A B x").replace("有编号", "有一个编号"), encoding="utf-8")
    build(src, out)
    assert len(calls) == 2 and (out / "doctrees" / math_svg.CACHE).stat().st_mtime_ns == stamp


def test_other_builders_get_the_tex(tmp_path):
    app = build(project(tmp_path), tmp_path / "out", "text")
    assert app.warning.getvalue() == ""
    text = (Path(app.outdir) / "math.txt").read_text(encoding="utf-8")
    assert "W_0 + \\Delta W" in text and "mjx" not in text


# MathJax runs in its own process here too: V8 loaded into the test process would be inherited
# by the forked workers of the -j builds other tests run, and hang them.

def test_the_stylesheet_carries_mathjaxs_own_rules():
    shipped = (STATIC / math_svg.STYLESHEET).read_text(encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "llmkb.math.render", "--stylesheet"], capture_output=True,
                          text=True, encoding="utf-8", check=True)
    assert "mjx-container" in proc.stdout and proc.stdout in shipped


def test_engine_reports_errors_and_shares_glyphs():
    error, shared = math_svg.render([("{x", False), ("x^2 + x", False)], "--flattened")
    assert "missing close brace" in error["error"]
    assert set(shared["glyphs"]) == {"TEX-I-1D465", "TEX-N-32", "TEX-N-2B"}
    assert "<defs>" not in shared["svg"] and shared["svg"].count('xlink:href="#MJX-TEX-I-1D465"') == 2
    assert math_render.share_glyphs({"error": "x"}) == {"error": "x"}
    merged, again = math_svg.render([("x^2 + x", False), ("x^2 + x", False)])  # as the book gets it: no outline left to share
    assert again == merged  # one result per formula given, the repeat drawn once
    assert merged["glyphs"] == {} and "<use" not in merged["svg"]
    assert "py_mini_racer" not in sys.modules  # nor did anything else load V8 into this process


def test_formulas_are_drawn_while_pages_are_read(tmp_path):
    """A serial build sends each page's new formulas to the render process as the page is read,
    so MathJax draws them while Sphinx reads the rest; by env-updated they are all on their way."""
    sent = []

    def before_render_pending(app, env):  # priority 100: before render_pending (500) collects them
        sent.extend(app.llmkb_math_process.sent)

    app = SphinxTestApp("html", srcdir=project(tmp_path), builddir=tmp_path / "out")
    try:
        app.connect("env-updated", before_render_pending, priority=100)
        app.build()
    finally:
        app.cleanup()
    assert len(sent) == 4 and app.llmkb_math_process is None  # all four sent while reading, then collected
    assert "<mjx-container" in (Path(app.outdir) / "math.html").read_text(encoding="utf-8")


def test_a_render_process_that_dies_is_a_clear_error(tmp_path):
    process = math_svg.RenderProcess("--no-such-option")  # math_render refuses it and exits
    process.send([("x", False), ("y", False)])
    with pytest.raises(math_svg.MathRenderError, match=r"llmkb\.math\.render failed \(1\):\n.*--no-such-option"):
        process.results()
    stopped = math_svg.RenderProcess()
    stopped.send([("x", False)])
    stopped.stop()
    assert stopped._proc.returncode is not None  # killed, not left running


def test_an_error_in_math_render_ends_the_process():
    """A Python error once V8 is running exits with the traceback; mini-racer's teardown at
    interpreter exit used to hang the process (and the build waiting on it) instead."""
    proc = subprocess.run([sys.executable, "-m", "llmkb.math.render"], input='[["x", false]]\n', capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 1 and "ValueError" in proc.stderr and proc.stdout == ""


def test_a_render_process_that_hangs_is_stopped_with_a_clear_error(tmp_path, monkeypatch):
    hanging = tmp_path / "python"
    hanging.write_text("#!/bin/sh\nexec sleep 60\n", encoding="utf-8")
    hanging.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(hanging))
    monkeypatch.setattr(math_svg, "STALL_SECONDS", 1)
    process = math_svg.RenderProcess()
    process.send([("x", False)])
    with pytest.raises(math_svg.MathRenderError, match=r"drew nothing for 1 s \(0 of 1 formulas done\)"):
        process.results()
    assert process._proc.returncode is not None  # stopped, not left behind


def test_a_broken_engine_is_a_clear_build_error(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-python"))
    with pytest.raises(Exception, match="llmkb.math.render"):
        app = SphinxTestApp("html", srcdir=project(tmp_path), builddir=tmp_path / "out")
        try:
            app.build()
        finally:
            app.cleanup()


def test_tex_cannot_inject_markup():
    """Text in a formula reaches the page as text: the SVG and the MathML hold only their own tags."""
    from html.parser import HTMLParser

    results = math_svg.render([(r"\text{<script>alert(1)</script>}", False),
                               (r'\mathrm{a"><img src=x onerror=alert(1)>}', False),
                               (r"\text{\" onmouseover=\"alert(1)}", True)])

    class Tags(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tags, self.attrs = set(), set()

        def handle_starttag(self, tag, attrs):
            self.tags.add(tag)
            self.attrs.update(name for name, _ in attrs)

    for result in results:
        parser = Tags()
        parser.feed(result["svg"])
        assert not parser.tags & {"script", "img", "a", "iframe", "style"}, parser.tags
        assert not {a for a in parser.attrs if a.startswith("on")}, parser.attrs
    assert "&lt;script&gt;" in results[0]["svg"]


# What MathJax 3.2.2 drew for RAW_TEX before flattening (glyphs already shared): the reference
# the flattened picture is checked against.
RAW_TEX = r"h = \frac{W_0 x}{\sqrt{d}} + \sum_{i=1}^n B A x"
RAW = ('<mjx-container class="MathJax" jax="SVG" display="true" style="position: relative;"><svg style="vertical-align: -2.819ex;" xmlns="http://www.w3.org/2000/svg" width="20.851ex" height="6.354ex" role="img" focusable="false" viewBox="0 -1562.5 9216.2 2808.5" xmlns:xlink="http://www.w3.org/1999/xlink" aria-hidden="true">'
       '<g stroke="currentColor" fill="currentColor" stroke-width="0" transform="scale(1,-1)"><g data-mml-node="math"><g data-mml-node="mi"><use data-c="210E" xlink:href="#MJX-TEX-I-210E"></use></g><g data-mml-node="mo" transform="translate(853.8,0)"><use data-c="3D" xlink:href="#MJX-TEX-N-3D"></use></g><g data-mml-node="mfrac" transform="translate(1909.6,0)"><g data-mml-node="mrow" transform="translate(220,676)"><g data-mml-node="msub"><g data-mml-node="mi"><use data-c="1D44A" xlink:href="#MJX-TEX-I-1D44A"></use></g><g data-mml-node="mn" transform="translate(977,-150) scale(0.707)"><use data-c="30" xlink:href="#MJX-TEX-N-30"></use></g></g><g data-mml-node="mi" transform="translate(1380.6,0)"><use data-c="1D465" xlink:href="#MJX-TEX-I-1D465"></use></g></g><g data-mml-node="msqrt" transform="translate(509.8,-929.5)"><g transform="translate(853,0)"><g data-mml-node="mi"><use data-c="1D451" xlink:href="#MJX-TEX-I-1D451"></use></g></g><g data-mml-node="mo" transform="translate(0,109.5)"><use data-c="221A" xlink:href="#MJX-TEX-N-221A"></use></g><rect width="520" height="60" x="853" y="849.5"></rect></g><rect width="2152.6" height="60" x="120" y="220"></rect></g>'
       '<g data-mml-node="mo" transform="translate(4524.3,0)"><use data-c="2B" xlink:href="#MJX-TEX-N-2B"></use></g><g data-mml-node="munderover" transform="translate(5524.6,0)"><g data-mml-node="mo"><use data-c="2211" xlink:href="#MJX-TEX-LO-2211"></use></g><g data-mml-node="TeXAtom" transform="translate(148.2,-1087.9) scale(0.707)" data-mjx-texclass="ORD"><g data-mml-node="mi"><use data-c="1D456" xlink:href="#MJX-TEX-I-1D456"></use></g><g data-mml-node="mo" transform="translate(345,0)"><use data-c="3D" xlink:href="#MJX-TEX-N-3D"></use></g><g data-mml-node="mn" transform="translate(1123,0)"><use data-c="31" xlink:href="#MJX-TEX-N-31"></use></g></g><g data-mml-node="mi" transform="translate(509.9,1150) scale(0.707)"><use data-c="1D45B" xlink:href="#MJX-TEX-I-1D45B"></use></g></g><g data-mml-node="mi" transform="translate(7135.2,0)"><use data-c="1D435" xlink:href="#MJX-TEX-I-1D435"></use></g><g data-mml-node="mi" transform="translate(7894.2,0)"><use data-c="1D434" xlink:href="#MJX-TEX-I-1D434"></use></g><g data-mml-node="mi" transform="translate(8644.2,0)"><use data-c="1D465" xlink:href="#MJX-TEX-I-1D465"></use></g></g></g></svg>'
       '<mjx-assistive-mml unselectable="on" display="block"><math xmlns="http://www.w3.org/1998/Math/MathML" display="block"><mi>h</mi><mo>=</mo><mfrac><mrow><msub><mi>W</mi><mn>0</mn></msub><mi>x</mi></mrow><msqrt><mi>d</mi></msqrt></mfrac><mo>+</mo><munderover><mo data-mjx-texclass="OP">∑</mo><mrow data-mjx-texclass="ORD"><mi>i</mi><mo>=</mo><mn>1</mn></mrow><mi>n</mi></munderover><mi>B</mi><mi>A</mi><mi>x</mi></math></mjx-assistive-mml></mjx-container>')


def _matrix(transform: str) -> tuple:
    """An SVG transform list as (a, b, c, d, e, f), written here independently of math_render."""
    m = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    for name, args in re.findall(r"(\w+)\(([^)]*)\)", transform):
        v = [float(x) for x in re.split(r"[\s,]+", args.strip())]
        step = {"translate": lambda: (1, 0, 0, 1, v[0], v[1] if len(v) > 1 else 0),
                "scale": lambda: (v[0], 0, 0, v[1] if len(v) > 1 else v[0], 0, 0),
                "matrix": lambda: tuple(v)}[name]()
        m = _times(m, step)
    return m


def _times(m, n):
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + c * q, b * p + d * q, a * r + c * s, b * r + d * s, a * t + c * u + e, b * t + d * u + f)


def drawn(container: str) -> list[tuple]:
    """Every glyph and bar of a formula's picture: what it is, where it lands on the page (its
    composed transform, rounded to 1/1000 em unit), and the paint it inherits."""
    picture = container[container.index("<svg"):container.index("</svg>") + len("</svg>")]
    stack = [((1.0, 0.0, 0.0, 1.0, 0.0, 0.0), ())]
    found = []
    for closing, tag, attrs in re.findall(r'<(/?)(\w+)((?:\s+[\w:-]+="[^"]*")*)\s*>', picture):
        if closing:
            stack.pop()
            continue
        attrs = dict(re.findall(r'([\w:-]+)="([^"]*)"', attrs))
        matrix = _times(stack[-1][0], _matrix(attrs.get("transform", "")))
        paint = stack[-1][1] + tuple(sorted((k, v) for k, v in attrs.items() if k in ("fill", "stroke", "stroke-width")))
        stack.append((matrix, paint))
        if tag in ("use", "rect", "line", "text"):
            what = attrs.get("xlink:href") or " ".join(f"{k}={attrs[k]}" for k in ("x", "y", "width", "height") if k in attrs)
            found.append((tag, what, tuple(round(x, 3) + 0.0 for x in matrix), dict(paint)))
    return found


def test_flattening_keeps_every_glyph_where_it_was():
    flat = math_render.flatten_svg({"svg": RAW})["svg"]
    before, after = drawn(RAW), drawn(flat)
    assert len(before) == 18 and after == before  # same glyphs and bars, same places, same paint
    picture = flat.split("<mjx-assistive-mml")[0]
    assert "<g" not in picture and "data-mml-node" not in picture and "data-c" not in picture
    assert picture.count("<") - picture.count("</") == 20  # <mjx-container>, <svg>, 18 drawn: was 45
    assert flat.split("</svg>")[1] == RAW.split("</svg>")[1]  # screen readers get the same MathML
    # and this is what the vendored MathJax draws today (before merge_glyphs)
    assert math_svg.render([(RAW_TEX, True)], "--flattened")[0]["svg"] == flat


def test_what_draws_or_is_styled_keeps_its_group():
    """A colour's <g> paints its children, and MathJax's stylesheet selects a table's <g>
    (g[data-mml-node="mtable"] > line[data-line]: the rules of an array): both stay."""
    coloured, table, text = math_svg.render([(r"a + \color{red}{x^2}", False),
                                              (r"\begin{array}{c|c} a & b \\ \hline c & d \end{array}", True),
                                              (r"\text{中文} x", False)], "--flattened")
    assert re.search(r'<g fill="red" stroke="red" transform="translate\([\d.]+,0\) scale\(1,-1\)"><use ', coloured["svg"])
    assert [paint for tag, what, _, paint in drawn(coloured["svg"]) if "1D465" in what] == \
           [{"fill": "red", "stroke": "red", "stroke-width": "0"}]
    assert re.search(r'<g data-mml-node="mtable"[^>]*>(<g[^>]*>.*?</g>)+<line data-line="v"', table["svg"])
    assert table["svg"].count("<line data-line=") == 2
    # the text drawn in the page's serif font: flipped twice (MathJax's y-up, the text's own), so upright
    assert re.search(r'<text data-variant="normal" font-size="884px" font-family="serif">中</text>', text["svg"])


@pytest.mark.parametrize("outer, inner, composed", [
    ("translate(853.8,0)", "", "translate(853.8,0)"),
    ("scale(1,-1)", "translate(220,676)", "translate(220,-676) scale(1,-1)"),
    ("translate(148.2,-1087.9) scale(0.707)", "translate(345,0)", "translate(392.115,-1087.9) scale(0.707)"),
    ("scale(1,-1)", "scale(1,-1)", ""),
    ("translate(0 12)", "rotate(45)", "translate(0 12) rotate(45)"),  # not multiplied out: listed
])
def test_compose(outer, inner, composed):
    assert math_render.compose(outer, inner) == composed


def test_unreadable_mathjax_output_is_a_clear_error():
    with pytest.raises(ValueError, match=r"closes <svg> inside <g>"):
        math_render.flatten_svg({"svg": '<mjx-container><svg><g></svg></mjx-container>'})
    assert math_render.flatten_svg({"error": "x"}) == {"error": "x"}


def test_glyphs_keep_mathjaxs_stroke_without_data_c():
    """MathJax outlines each glyph with a 3-unit stroke through use[data-c]; flattening drops
    data-c, so the book's stylesheet must give every <use> that stroke itself."""
    css = (STATIC / math_svg.STYLESHEET).read_text(encoding="utf-8")
    assert re.search(r'(^|\n)mjx-container\[jax="SVG"\] use \{\s*stroke-width: 3;\s*\}', css)


# --- merge_glyphs: one <path> per glyph scale instead of a <use> per glyph ---

_PATH_TOKEN = re.compile(r"([MmLlHhVvQqTtZz])|(-?(?:\d+\.?\d*|\.\d+))")
_TAKES = {"m": 2, "l": 2, "h": 1, "v": 1, "q": 4, "t": 2, "z": 0}


def absolute(d: str) -> list[tuple]:
    """Path data as (command, absolute points) steps, by SVG's rules — relative commands, a
    command letter left out, a moveto's extra pairs as linetos — written here independently of
    math_render."""
    tokens = [(c, float(n) if n else None) for c, n in _PATH_TOKEN.findall(d)]
    assert "".join(c or n and "0" or "" for c, n in _PATH_TOKEN.findall(d)), d
    steps, x, y, start, command, i = [], 0.0, 0.0, (0.0, 0.0), None, 0
    while i < len(tokens):
        if tokens[i][0]:
            command, i = tokens[i][0], i + 1
        elif command in ("M", "m"):
            command = "L" if command == "M" else "l"
        take = _TAKES[command.lower()]
        args = [n for _, n in tokens[i:i + take]]
        assert all(a is not None for a in args) and len(args) == take, d
        i += take
        relative = command.islower()
        upper = command.upper()
        if upper == "Z":
            x, y = start
            steps.append(("Z", ()))
            continue
        if upper == "H":
            args = [args[0] + (x if relative else 0), y]
        elif upper == "V":
            args = [x, args[0] + (y if relative else 0)]
        elif relative:
            args = [a + (x if k % 2 == 0 else y) for k, a in enumerate(args)]
        x, y = args[-2], args[-1]
        if upper == "M":
            start = (x, y)
        steps.append(({"H": "L", "V": "L"}.get(upper, upper), tuple(args)))
    return steps


def placed(steps: list[tuple], matrix: tuple) -> list[tuple]:
    a, b, c, d, e, f = matrix
    return [(command, tuple(coordinate for k in range(0, len(points), 2)
                            for coordinate in (a * points[k] + c * points[k + 1] + e, b * points[k] + d * points[k + 1] + f)))
            for command, points in steps]


def shapes_of_uses(result: dict) -> list[list[tuple]]:
    """Each glyph a <use> draws: its outline's steps placed where the <use> puts them."""
    return [placed(absolute(result["glyphs"][what.removeprefix("#MJX-")]), matrix)
            for tag, what, matrix, _ in drawn(result["svg"]) if tag == "use" and result["glyphs"][what.removeprefix("#MJX-")]]


def shapes_of_paths(svg: str) -> list[list[tuple]]:
    """Each glyph a merged path draws (a piece from one absolute moveto to the next), placed."""
    found = []
    picture = svg[svg.index("<svg"):svg.index("</svg>") + len("</svg>")]
    for tag, attrs, matrix in _elements(picture):
        if tag == "path" and attrs.get("stroke-width") == "3":
            for piece in re.findall(r"M[^M]*", attrs["d"]):
                found.append(placed(absolute(piece), matrix))
    return found


def _elements(picture: str):
    stack = [(1.0, 0.0, 0.0, 1.0, 0.0, 0.0)]
    for closing, tag, attrs in re.findall(r'<(/?)(\w+)((?:\s+[\w:-]+="[^"]*")*)\s*>', picture):
        if closing:
            stack.pop()
            continue
        attrs = dict(re.findall(r'([\w:-]+)="([^"]*)"', attrs))
        stack.append(_times(stack[-1], _matrix(attrs.get("transform", ""))))
        yield tag, attrs, stack[-1]


def same_shapes(expected: list, got: list, tolerance: float = 0.05) -> bool:
    """The same glyphs, in any order, each point within ``tolerance`` (1/20 of MathJax's 1/1000
    em unit: a scaled glyph's position is rounded to 0.1 of its own units)."""
    left = list(got)
    for shape in expected:
        match = next((g for g in left if [c for c, _ in g] == [c for c, _ in shape]
                      and all(abs(p - q) <= tolerance for (_, ps), (_, qs) in zip(g, shape) for p, q in zip(ps, qs))), None)
        if match is None:
            return False
        left.remove(match)
    return not left


def test_one_path_per_scale_draws_every_glyph_where_its_use_did():
    kept = math_svg.render([(RAW_TEX, True)], "--flattened")[0]
    merged = math_svg.render([(RAW_TEX, True)])[0]
    assert kept["svg"] == math_render.flatten_svg({"svg": RAW})["svg"]  # MathJax's picture, frozen above
    # the book's formula is these steps applied to it
    assert math_render.unwrap_mathml(math_render.merge_glyphs(kept)) == merged
    picture = merged["svg"].split("<math")[0]
    assert "<use" not in picture and "xlink" not in picture and merged["glyphs"] == {}
    paths = re.findall(r'<path stroke-width="3" transform="([^"]*)" d="([^"]*)"></path>', picture)
    # h = W x / √d + ∑ B A x at full size; the subscript 0 and the limits i = 1, n at 0.707
    assert [(scale, d.count("M")) for scale, d in paths] == [("scale(1,-1)", 11), ("scale(0.707,-0.707)", 5)]
    assert picture.count("<") - picture.count("</") == 6  # <mjx-container>, <svg>, 2 paths, 2 bars: was 20
    expected, got = shapes_of_uses(kept), shapes_of_paths(merged["svg"])
    assert len(expected) == 16 and same_shapes(expected, got)
    # the bars stay where they were; the MathML is untouched
    assert [d for d in drawn(merged["svg"]) if d[0] == "rect"] == [d for d in drawn(kept["svg"]) if d[0] == "rect"]
    assert merged["svg"].split("</svg>")[1] == math_render.unwrap_mathml(kept)["svg"].split("</svg>")[1]
    # a glyph is the same text wherever it is drawn (x twice), so gzip stores it once
    x = math_render.outline(kept["glyphs"]["TEX-I-1D465"])
    assert paths[0][1].count(x.rest) == 2 and "M" not in x.rest and re.fullmatch(r"[a-z][-\d .a-z]*", x.rest)


def test_the_shapes_check_sees_a_glyph_out_of_place():
    """same_shapes is what the test above relies on: a glyph moved by 0.1 unit is not the same."""
    kept = math_svg.render([(r"x + y", False)], "--flattened")[0]
    merged = math_render.merge_glyphs(kept)
    assert same_shapes(shapes_of_uses(kept), shapes_of_paths(merged["svg"]))
    moved = re.sub(r'd="M(\d+)', lambda m: f'd="M{int(m[1]) + 0.1}', merged["svg"], count=1)
    assert not same_shapes(shapes_of_uses(kept), shapes_of_paths(moved))


# Two squares and a triangle in MathJax's font format (absolute commands, y up); SQUARE winds
# the way every glyph of the TeX font does (clockwise: negative area), AGAINST the other way.
SQUARE = "M0 0L0 500L500 500L500 0Z"
AGAINST = "M0 0L500 0L500 500L0 500Z"
GLYPHS = {"A": SQUARE, "B": SQUARE, "R": AGAINST, "SPACE": "", "ARC": "M0 0A50 50 0 0 1 100 0Z"}


def synthetic(children: str) -> dict:
    return {"svg": '<mjx-container class="MathJax" jax="SVG"><svg xmlns:xlink="http://www.w3.org/1999/xlink" '
                   f'stroke="currentColor" fill="currentColor" stroke-width="0">{children}</svg>'
                   '<mjx-assistive-mml><math><mi>x</mi></math></mjx-assistive-mml></mjx-container>',
            "glyphs": dict(GLYPHS)}


def use(name: str, transform: str = "") -> str:
    return f'<use xlink:href="#MJX-{name}"' + (f' transform="{transform}"' if transform else "") + "></use>"


def picture_of(result: dict) -> str:
    return result["svg"].split("<svg", 1)[1].split(">", 1)[1].rsplit("</svg>", 1)[0]


def test_glyphs_winding_the_other_way_get_a_path_of_their_own():
    """Under the nonzero fill rule, overlapping outlines that wind alike fill their union; one
    winding the other way would cut a hole where they overlap: it is drawn by a second path."""
    merged = math_render.merge_glyphs(synthetic(use("A", "scale(1,-1)") + use("B", "translate(250,0) scale(1,-1)")
                                                + use("R", "translate(100,0) scale(1,-1)")))
    assert picture_of(merged) == ('<path stroke-width="3" transform="scale(1,-1)" d="M0 0l0 500 500 0 0-500zM250 0l0 500 500 0 0-500z"></path>'
                                  '<path stroke-width="3" transform="scale(1,-1)" d="M100 0l500 0 0 500-500 0z"></path>')
    assert merged["glyphs"] == {} and "xmlns:xlink" not in merged["svg"]
    assert merged["svg"].endswith("<mjx-assistive-mml><math><mi>x</mi></math></mjx-assistive-mml></mjx-container>")


def test_merging_keeps_paint_order_clipping_and_what_it_cannot_read():
    result = synthetic(
        use("A", "translate(0,0) scale(1,-1)")
        + '<g fill="red" stroke="red" transform="translate(600,0) scale(1,-1)">' + use("B") + "</g>"
        + use("A", "translate(1200,0) scale(1,-1)") + use("SPACE", "translate(1700,0) scale(1,-1)")
        + '<g data-mml-node="mtable" transform="translate(1800,0) scale(1,-1)"><g transform="translate(0,700)">'
        + use("B", "translate(10,0) scale(0.707)") + '<rect width="5" height="60" x="0" y="0"></rect></g></g>'
        + '<svg width="667" height="1802" y="-651" x="0" viewBox="0 450.5 667 1802">' + use("A", "scale(1,4.49)") + "</svg>"
        + '<g transform="rotate(45)">' + use("B") + "</g>"
        + use("ARC", "translate(2400,0) scale(1,-1)"))
    merged = math_render.merge_glyphs(result)
    assert picture_of(merged) == (
        # the first A: a glyph after the red <g> is not drawn before it (it might lie over it)
        '<path stroke-width="3" transform="scale(1,-1)" d="M0 0l0 500 500 0 0-500z"></path>'
        # the red <g> paints its glyph: drawn inside it
        '<g fill="red" stroke="red" transform="translate(600,0) scale(1,-1)"><path stroke-width="3" d="M0 0l0 500 500 0 0-500z"></path></g>'
        # the second A and, out of the table row (its <g>s only move things), B at 0.707
        '<path stroke-width="3" transform="scale(1,-1)" d="M1200 0l0 500 500 0 0-500z"></path>'
        '<path stroke-width="3" transform="scale(0.707,-0.707)" d="M2560.1 990.1l0 500 500 0 0-500z"></path>'
        # the row keeps its bar; the space (an empty outline) is gone
        '<g data-mml-node="mtable" transform="translate(1800,0) scale(1,-1)"><g transform="translate(0,700)">'
        '<rect width="5" height="60" x="0" y="0"></rect></g></g>'
        # a nested <svg> clips what it holds: its glyph stays inside; so does one under a rotation
        '<svg width="667" height="1802" y="-651" x="0" viewBox="0 450.5 667 1802">'
        '<path stroke-width="3" transform="scale(1,4.49)" d="M0 0l0 500 500 0 0-500z"></path></svg>'
        '<g transform="rotate(45)"><path stroke-width="3" d="M0 0l0 500 500 0 0-500z"></path></g>'
        # an outline it cannot read (an arc) stays a <use>, and so does its outline and namespace
        '<use xlink:href="#MJX-ARC" transform="translate(2400,0) scale(1,-1)"></use>')
    assert merged["glyphs"] == {"ARC": GLYPHS["ARC"]} and 'xmlns:xlink="http://www.w3.org/1999/xlink"' in merged["svg"]
    assert math_render.merge_glyphs({"error": "x"}) == {"error": "x"}


@pytest.mark.parametrize("d, start, rest, winding", [
    (SQUARE, (0, 0), "l0 500 500 0 0-500z", -1),
    (AGAINST, (0, 0), "l500 0 0 500-500 0z", 1),
    # MathJax's minus sign: repeated commands lose their letter, a minus sign needs no space
    ("M84 237T84 250T98 270H679Q694 262 694 250T679 230H98Q84 237 84 250Z", (84, 237),
     "t0 13 14 20h581q15-8 15-20t-15-20h-581q-14 7-14 20z", -1),
    # two contours (a ring): the second starts relative to where the first closed
    ("M0 0L0 10L10 10L10 0ZM2 2L8 2L8 8L2 8Z", (0, 0), "l0 10 10 0 0-10zm2 2l6 0 0 6-6 0z", -1),
])
def test_outline_is_relative_after_its_first_point(d, start, rest, winding):
    shape = math_render.outline(d)
    assert (shape.x, shape.y, shape.rest, shape.winding) == (*start, rest, winding)
    assert absolute(f"M{start[0]} {start[1]}{rest}") == absolute(d)  # the same outline, read by SVG's rules


@pytest.mark.parametrize("d", ["", "M0 0A5 5 0 0 1 10 0Z", "L0 0L10 0Z", "M0 0L10", "M0 0L10 0L20 0Z", "M0 0 x"])
def test_outline_refuses_what_it_cannot_read(d):
    assert math_render.outline(d) is None  # the glyph then stays a <use>


def test_the_mathml_loses_only_its_wrapper():
    """Screen readers get MathJax's MathML complete, every element and attribute; only the
    <mjx-assistive-mml> around it (no role: left out of the accessibility tree) goes."""
    inline, display = math_svg.render([(RAW_TEX, False), (RAW_TEX, True)], "--flattened")
    for result, mode in ((inline, "inline"), (display, "block")):
        mathml = result["svg"].split("</svg>")[1]
        assert mathml.startswith(f'<mjx-assistive-mml unselectable="on" display="{mode}"><math ')
        unwrapped = math_render.unwrap_mathml(result)["svg"].split("</svg>")[1]
        assert unwrapped == mathml.split(">", 1)[1].replace("</mjx-assistive-mml>", "")
        assert unwrapped.startswith('<math xmlns="http://www.w3.org/1998/Math/MathML"' + (' display="block">' if mode == "block" else ">"))
    assert math_render.unwrap_mathml({"error": "x"}) == {"error": "x"}
    with pytest.raises(ValueError, match="no <mjx-assistive-mml><math>"):
        math_render.unwrap_mathml({"svg": "<mjx-container><svg></svg><math></math></mjx-container>"})


def test_the_stylesheet_hides_the_unwrapped_mathml_as_mathjax_hid_its_wrapper():
    """Every declaration of MathJax's mjx-assistive-mml rules is on the <math> (display aside:
    position: absolute makes it a block already)."""
    css = (STATIC / math_svg.STYLESHEET).read_text(encoding="utf-8")

    def rule(selector: str) -> set:
        body = re.search(re.escape(selector) + r" \{([^}]*)\}", css)[1]
        return {line.strip() for line in body.split(";") if line.strip()}

    wrapper = rule("\nmjx-assistive-mml")
    assert rule('mjx-container[jax="SVG"] > math') == wrapper - {"display: block !important"}
    assert "position: absolute !important" in wrapper and "clip: rect(1px, 1px, 1px, 1px)" in wrapper
    assert rule('mjx-container[jax="SVG"] > math[display="block"]') == rule('mjx-assistive-mml[display="block"]')


def test_every_glyph_of_the_vendored_font_winds_one_way():
    """So all of a formula's glyphs at one scale share one path in the book (merge_glyphs gives a
    glyph winding the other way a path of its own). The outlines as MathJax's font file lists
    them, each drawn as M…Z."""
    font = (math_render.MATHJAX / "output" / "svg" / "fonts" / "tex.js").read_text(encoding="utf-8")
    outlines = re.findall(r'\d+:"(-?\d[-\d .LHVQTZM]*)"', font)
    assert len(outlines) > 2000
    assert {math_render.outline(f"M{d}Z").winding for d in outlines} == {-1}


def test_a_backlog_starts_a_second_process_and_the_results_are_the_same(monkeypatch):
    """RenderPool: a batch goes to the process with fewest formulas waiting; once every process
    has BACKLOG waiting, another starts (at most PROCESSES). MathJax's output does not depend on
    which process drew a formula, so the results equal one process's."""
    formulas = [(f"x_{{{i}}}^2 + \\frac{{{i}}}{{y}}", i % 3 == 0) for i in range(40)]
    alone = math_svg.RenderPool(limit=1)
    for start in range(0, 40, 5):
        alone.send(formulas[start:start + 5])
    assert len(alone.processes) == 1
    monkeypatch.setattr(math_svg, "BACKLOG", 5)
    pool = math_svg.RenderPool(limit=2)
    for start in range(0, 40, 5):
        pool.send(formulas[start:start + 5])
    pool.send(formulas[:3])  # sent before: drawn once
    assert len(pool.processes) == 2 and sorted(pool.sent) == sorted(formulas)
    assert all(len(p.sent) >= 5 for p in pool.processes)
    drawn = alone.results()
    assert pool.results() == drawn
    monkeypatch.setattr(math_svg, "PROCESSES", 2)
    monkeypatch.setattr(math_svg, "BATCH", 5)
    started = []
    monkeypatch.setattr(math_svg, "RenderProcess", lambda *o: started.append(1) or RenderProcess(*o))
    assert math_svg.render(formulas) == [drawn[f] for f in formulas]  # a list given at once, shared
    assert len(started) == 2


RenderProcess = math_svg.RenderProcess


def test_one_failed_process_stops_the_pool(monkeypatch):
    monkeypatch.setattr(math_svg, "BACKLOG", 1)
    pool = math_svg.RenderPool(limit=2)
    pool.send([("x", False)])
    pool.processes[0]._proc.kill()  # dies before it answers
    pool.send([("y", False)])
    assert len(pool.processes) == 2
    with pytest.raises(math_svg.MathRenderError, match="failed"):
        pool.results()
    assert all(p._proc.returncode is not None for p in pool.processes)  # the other one is not left running


def test_the_pipe_from_a_render_process_holds_a_second_of_drawing():
    """line_process.widen_pipe: the answers' pipe holds 1 MB (Linux allows an unprivileged process
    that much), not the default 64 KB, so MathJax keeps drawing while the build's main thread holds
    the GIL through a full collection."""
    import fcntl

    if not hasattr(fcntl, "F_GETPIPE_SZ"):
        pytest.skip("no F_GETPIPE_SZ: pipes keep their default size here")
    process = math_svg.RenderProcess()
    try:
        assert fcntl.fcntl(process._proc.stdout.fileno(), fcntl.F_GETPIPE_SZ) >= 1 << 20
    finally:
        process.stop()


def test_the_render_process_draws_what_has_arrived_together_and_keeps_lines_whole():
    """A page's formulas come in one write and go to MathJax in one call; a line split between two
    reads is joined, blank lines are skipped and a last line without its newline still counts."""
    read, write = os.pipe()
    batches = math_render.available_lines(read)
    os.write(write, b'["a", false]\n["b", tr')
    assert next(batches) == [b'["a", false]']
    os.write(write, b'ue]\n\n["c", false]\n["d", false]')
    assert next(batches) == [b'["b", true]', b'["c", false]']
    os.close(write)
    assert next(batches) == [b'["d", false]']
    assert next(batches, None) is None
    os.close(read)
