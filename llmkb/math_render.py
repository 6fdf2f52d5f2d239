"""TeX to SVG with MathJax, at build time, so that readers' browsers run no maths script.

MathJax 3.2.2's own components (vendored in ``llmkb/mathjax``, MathJax's licence beside them) run in
V8 through ``mini-racer`` (a pip wheel: no Node.js, no network). Each formula becomes a
self-contained ``<mjx-container>``: an SVG drawn in ``currentColor`` (so dark mode needs nothing),
hidden from screen readers, next to the MathML that MathJax's assistive extension writes for them.

This module runs in a process of its own (``python -m llmkb.math_render``: JSON in, JSON out).
V8 does not survive ``fork()`` (its threads stay behind, holding their locks), and
``sphinx-build -j`` forks its workers from the main process, so the Sphinx side
(:mod:`llmkb.math_svg`) never loads V8 itself. Nor should a test process that builds with ``-j``.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

MATHJAX = Path(__file__).parent / "mathjax"
#: loaded in this order: the loader and startup first, so the others can register with them
COMPONENTS = ("startup.js", "core.js", "adaptors/liteDOM.js", "input/tex-full.js", "output/svg.js",
              "output/svg/fonts/tex.js", "a11y/assistive-mml.js")
#: TeX packages left out: loading at run time (no loader here), silencing errors (a typo must fail
#: the build, not print red TeX), and the ones that put links, classes or styles into the page
EXCLUDED_PACKAGES = ("autoload", "require", "noundefined", "noerrors", "html", "action", "setoptions")

CONFIG = """
var MathJax = {
  loader: {load: []},
  startup: {typeset: false, pageReady: function () { return Promise.resolve(); }},
  options: {enableMenu: false},
  tex: {packages: {'[-]': %s}, formatError: function (jax, error) { throw error; }},
  svg: {fontCache: 'local'}
};
"""

RENDER = """
function llmkbRender(tex, display) {
  try {
    MathJax.texReset();
    var node = MathJax.tex2svg(tex, {display: display});
    return {svg: MathJax.startup.adaptor.outerHTML(node)};
  } catch (error) {
    return {error: String(error && error.message || error)};
  }
}
function llmkbStylesheet() {
  return MathJax.startup.adaptor.textContent(MathJax.svgStylesheet());
}
"""


class MathJaxEngine:
    """One V8 context with MathJax's TeX input and SVG output loaded (~0.15 s)."""

    def __init__(self) -> None:
        from py_mini_racer import MiniRacer

        self._v8 = MiniRacer()
        self._v8.eval(CONFIG % json.dumps(list(EXCLUDED_PACKAGES)))
        for component in COMPONENTS:
            self._v8.eval((MATHJAX / component).read_text(encoding="utf-8"))
        # Each component registered itself with the loader; build MathJax.tex2svg from them now
        # (startup's own ready() ran before they were evaluated).
        self._v8.eval("MathJax.startup.getComponents(); MathJax.startup.makeMethods();")
        self._v8.eval(RENDER)

    def render(self, tex: str, display: bool) -> dict:
        """``{"svg": html}`` or ``{"error": MathJax's message}``."""
        return dict(self._v8.call("llmkbRender", tex, display))

    def stylesheet(self) -> str:
        return str(self._v8.call("llmkbStylesheet"))


_DEFS = re.compile(r"<defs>(.*?)</defs>", re.S)
_PATH = re.compile(r'<path id="MJX-\d+-(?P<name>[^"]+)" d="(?P<d>[^"]*)"></path>')
_REF = re.compile(r'(xlink:href="#)MJX-\d+-')


def share_glyphs(result: dict) -> dict:
    """Move a formula's glyph outlines out of it: ``{"svg": …, "glyphs": {name: path data}}``.

    MathJax's "local" font cache gives each formula its own ``<defs>`` with ids numbered per
    formula (``MJX-12-TEX-I-1D44E``): a page with fifty formulas would repeat the letter *a*
    fifty times, and one formula shown twice would repeat its ids. The page writes each outline
    once instead (``MJX-TEX-I-1D44E``; see :func:`llmkb.math_svg.glyph_defs`)."""
    if "svg" not in result:
        return result
    glyphs: dict[str, str] = {}
    for defs in _DEFS.findall(result["svg"]):
        glyphs.update((m["name"], m["d"]) for m in _PATH.finditer(defs))
    svg = _REF.sub(r"\1MJX-", _DEFS.sub("", result["svg"]))
    return {"svg": svg, "glyphs": glyphs}


def render_all(formulas: list[tuple[str, bool]]) -> list[dict]:
    engine = MathJaxEngine()
    return [share_glyphs(engine.render(tex, display)) for tex, display in formulas]


def main() -> None:
    if sys.argv[1:] == ["--stylesheet"]:  # MathJax's CSS for its SVG output (llmkb/static/llmkb-math.css has it)
        sys.stdout.write(MathJaxEngine().stylesheet())
        return
    request = json.load(sys.stdin)
    json.dump(render_all([(tex, bool(display)) for tex, display in request]), sys.stdout, ensure_ascii=False)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
