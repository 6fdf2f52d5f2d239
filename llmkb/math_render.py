"""TeX to SVG with MathJax, at build time, so that readers' browsers run no maths script.

MathJax 3.2.2's own components (vendored in ``llmkb/mathjax``, MathJax's licence beside them) run in
V8 through ``mini-racer`` (a pip wheel: no Node.js, no network). Each formula becomes a
self-contained ``<mjx-container>``: an SVG drawn in ``currentColor`` (so dark mode needs nothing),
hidden from screen readers, next to the MathML that MathJax's assistive extension writes for them.
The SVG is then flattened (:func:`flatten_svg`): the same picture without a ``<g>`` per MathML node.

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


#: a tag (attributes always double-quoted, as MathJax's liteDOM writes them) or text up to the next tag
_TOKEN = re.compile(r'<(/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"]*")*)\s*(/?)>|([^<]+)')
_ATTR = re.compile(r'([\w:-]+)="([^"]*)"')
#: what a <g> may carry and still be dropped: MathJax's bookkeeping, read by no CSS of ours once the
#: node kinds below keep theirs
_BOOKKEEPING = {"data-mml-node", "data-mjx-texclass"}
#: node kinds MathJax's stylesheet selects (g[data-mml-node="mtable"] > line[data-line], ...): their
#: <g> stays, with its data-mml-node, and so do the rows of a table (their children are selected)
_STYLED_NODES = {"mtable", "merror", "maction"}
#: elements that take a transform attribute; a nested <svg> or <foreignObject> does not (SVG 1.1)
_LIFTABLE = {"g", "use", "rect", "line", "path", "text", "circle", "ellipse", "polygon", "polyline"}
_SIMPLE_TRANSFORM = re.compile(r"\s*(translate|scale)\(\s*([-\d.e]+)(?:[\s,]+([-\d.e]+))?\s*\)")


class _Element:
    __slots__ = ("tag", "attrs", "children")

    def __init__(self, tag: str, attrs: dict[str, str]) -> None:
        self.tag, self.attrs, self.children = tag, attrs, []

    def html(self) -> str:
        attrs = "".join(f' {name}="{value}"' for name, value in self.attrs.items())
        return f"<{self.tag}{attrs}>{''.join(c if isinstance(c, str) else c.html() for c in self.children)}</{self.tag}>"


def _parse(markup: str) -> _Element:
    root = _Element("", {})
    stack = [root]
    end = 0
    for m in _TOKEN.finditer(markup):
        if m.start() != end:
            break
        end = m.end()
        closing, tag, attrs, selfclosing, text = m.groups()
        if text is not None:
            stack[-1].children.append(text)
        elif closing:
            if stack[-1].tag != tag:
                raise ValueError(f"MathJax's SVG closes <{tag}> inside <{stack[-1].tag}>: {markup[:200]}")
            stack.pop()
        else:
            element = _Element(tag, dict(_ATTR.findall(attrs)))
            stack[-1].children.append(element)
            if not selfclosing:
                stack.append(element)
    if end != len(markup) or len(stack) != 1:
        raise ValueError(f"cannot read MathJax's SVG at character {end}: {markup[end:end + 200]!r}")
    return root


def _number(value: float) -> str:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def compose(outer: str, inner: str) -> str:
    """One transform equal to ``outer`` applied after ``inner``; translations and scalings (all
    MathJax writes, bar rotations and matrices) are multiplied out, anything else is listed."""
    if not outer or not inner:
        return outer or inner
    sx, sy, tx, ty = 1.0, 1.0, 0.0, 0.0  # p -> (sx*x + tx, sy*y + ty)
    text = f"{outer} {inner}"
    end = 0
    for m in _SIMPLE_TRANSFORM.finditer(text):
        if m.start() != end:
            return text
        end = m.end()
        a = float(m[2])
        b = float(m[3]) if m[3] is not None else (a if m[1] == "scale" else 0.0)
        if m[1] == "translate":
            tx, ty = tx + sx * a, ty + sy * b
        else:
            sx, sy = sx * a, sy * b
    if text[end:].strip():
        return text
    parts = []
    if _number(tx) != "0" or _number(ty) != "0":
        parts.append(f"translate({_number(tx)},{_number(ty)})")
    if _number(sx) != "1" or _number(sy) != "1":
        parts.append(f"scale({_number(sx)})" if sx == sy else f"scale({_number(sx)},{_number(sy)})")
    return " ".join(parts)


def _flatten(element: _Element, parent: _Element) -> list:
    """``element`` as the list of nodes that replace it in ``parent``."""
    children = []
    for child in element.children:
        children.extend([child] if isinstance(child, str) else _flatten(child, element))
    element.children = children
    if element.tag == "use":
        element.attrs.pop("data-c", None)  # the character again; the stroke rule in llmkb-math.css no longer needs it
    if element.tag != "g":
        return [element]
    kind = element.attrs.get("data-mml-node")
    droppable = (set(element.attrs) <= _BOOKKEEPING | {"transform"} and kind not in _STYLED_NODES
                 and parent.tag != "svg" and parent.attrs.get("data-mml-node") not in _STYLED_NODES
                 and all(not isinstance(c, str) and c.tag in _LIFTABLE for c in children))
    if not droppable:
        for name in _BOOKKEEPING:
            if name != "data-mml-node" or kind not in _STYLED_NODES:
                element.attrs.pop(name, None)
        return [element]
    transform = element.attrs.get("transform", "")
    for child in children:
        combined = compose(transform, child.attrs.get("transform", ""))
        child.attrs.pop("transform", None)
        if combined:
            child.attrs["transform"] = combined
    return children


#: what MathJax's outermost <g> carries: paint, inherited alike from the <svg>, and the flip from
#: TeX's y-up coordinates, which multiplies into the children like any transform
_PAINT = {"stroke", "fill", "stroke-width"}


def _hoist_paint(svg: _Element) -> None:
    """Drop the formula's outermost ``<g>``: its paint moves to the ``<svg>``, its flip into its children."""
    if len(svg.children) != 1 or isinstance(svg.children[0], str):
        return
    top = svg.children[0]
    if top.tag != "g" or not set(top.attrs) <= _PAINT | {"transform"} or set(top.attrs) & set(svg.attrs) \
            or any(isinstance(c, str) or c.tag not in _LIFTABLE for c in top.children):
        return
    transform = top.attrs.pop("transform", "")
    svg.attrs.update(top.attrs)
    for child in top.children:
        combined = compose(transform, child.attrs.pop("transform", ""))
        if combined:
            child.attrs["transform"] = combined
    svg.children = top.children


def flatten_svg(result: dict) -> dict:
    """The same picture in far fewer elements: MathJax wraps every MathML node in a ``<g>`` (most
    only to carry a translation and ``data-mml-node``), which left maths-heavy pages with thousands
    of elements (issue 19). Such a ``<g>`` is dropped and its transform multiplied into its
    children; a ``<g>`` that draws (colour, stroke, class) or that the stylesheet selects stays."""
    if "svg" not in result:
        return result
    markup = result["svg"]
    start, end = markup.find("<svg"), markup.rfind("</svg>") + len("</svg>")
    if start < 0 or end < len("</svg>"):
        raise ValueError(f"no <svg> in MathJax's output: {markup[:200]}")
    root = _parse(markup[start:end])
    for svg in root.children:
        _flatten(svg, root)
        _hoist_paint(svg)
    return {**result, "svg": markup[:start] + "".join(c.html() for c in root.children) + markup[end:]}


def render_all(formulas: list[tuple[str, bool]]) -> list[dict]:
    engine = MathJaxEngine()
    return [flatten_svg(share_glyphs(engine.render(tex, display))) for tex, display in formulas]


def main() -> None:
    if sys.argv[1:] == ["--stylesheet"]:  # MathJax's CSS for its SVG output (llmkb/static/llmkb-math.css has it)
        sys.stdout.write(MathJaxEngine().stylesheet())
        return
    request = json.load(sys.stdin)
    json.dump(render_all([(tex, bool(display)) for tex, display in request]), sys.stdout, ensure_ascii=False)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
