"""TeX to SVG with MathJax, at build time, so that readers' browsers run no maths script.

MathJax 3.2.2's own components (vendored in ``llmkb/math/mathjax``, MathJax's licence beside them) run in
V8 through ``mini-racer`` (a pip wheel: no Node.js, no network). Each formula becomes a
self-contained ``<mjx-container>``: an SVG drawn in ``currentColor`` (so dark mode needs nothing),
hidden from screen readers, next to the MathML that MathJax's assistive extension writes for them.
The SVG is then flattened (:func:`flatten_svg`): the same picture without a ``<g>`` per MathML node;
and its glyphs merged (:func:`merge_glyphs`): one ``<path>`` per glyph scale instead of a ``<use>`` per glyph.

This module runs in a process of its own (``python -m llmkb.math.render``: one JSON ``[tex, display]``
per input line, one JSON result per output line, in order; the lines that arrive together, a page's
formulas, are drawn in one call and their results written as soon as they are drawn, so the build
can send formulas while it is still reading pages).
V8 does not survive ``fork()`` (its threads stay behind, holding their locks), and
``sphinx-build -j`` forks its workers from the main process, so the Sphinx side
(:mod:`llmkb.math.svg`) never loads V8 itself. Nor should a test process that builds with ``-j``.
"""

from __future__ import annotations

import functools
import json
import os
import re
import sys
import traceback
from pathlib import Path
from typing import Iterator, NamedTuple

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
function llmkbRenderAll(formulas) {
  var results = [];
  for (var i = 0; i < formulas.length; i++) {
    results.push(llmkbRender(formulas[i][0], formulas[i][1]));
  }
  return JSON.stringify(results);
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
        return self.render_all([(tex, display)])[0]

    def render_all(self, formulas: list[tuple[str, bool]]) -> list[dict]:
        """:meth:`render` for each formula, in one call into V8: each call compiles a script and
        waits on V8's thread, ~0.5 ms, a third of what drawing a formula takes."""
        batch = json.dumps([[tex, bool(display)] for tex, display in formulas])
        return [dict(result) for result in json.loads(self._v8.eval(f"llmkbRenderAll({batch})"))]

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
    once instead (``MJX-TEX-I-1D44E``; see :func:`llmkb.math.svg.glyph_defs`)."""
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


@functools.lru_cache(maxsize=1 << 16)  # ~640,000 calls for the book's formulas, few distinct values
def _number(value: float) -> str:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


@functools.lru_cache(maxsize=1 << 14)  # MathJax repeats its transforms (translate(500,0), scale(0.707))
def _affine(transform: str) -> tuple[float, float, float, float] | None:
    """``transform`` as ``(sx, sy, tx, ty)``, the map p -> (sx*x + tx, sy*y + ty), if it is a list
    of translations and scalings (all MathJax writes, bar rotations and matrices); else None."""
    sx, sy, tx, ty = 1.0, 1.0, 0.0, 0.0
    end = 0
    for m in _SIMPLE_TRANSFORM.finditer(transform):
        if m.start() != end:
            return None
        end = m.end()
        a = float(m[2])
        b = float(m[3]) if m[3] is not None else (a if m[1] == "scale" else 0.0)
        if m[1] == "translate":
            tx, ty = tx + sx * a, ty + sy * b
        else:
            sx, sy = sx * a, sy * b
    return None if transform[end:].strip() else (sx, sy, tx, ty)


def _scale(sx: float, sy: float) -> str:
    if _number(sx) == "1" and _number(sy) == "1":
        return ""
    return f"scale({_number(sx)})" if sx == sy else f"scale({_number(sx)},{_number(sy)})"


def compose(outer: str, inner: str) -> str:
    """One transform equal to ``outer`` applied after ``inner``; translations and scalings (all
    MathJax writes, bar rotations and matrices) are multiplied out, anything else is listed."""
    if not outer or not inner:
        return outer or inner
    text = f"{outer} {inner}"
    affine = _affine(text)
    if affine is None:
        return text
    sx, sy, tx, ty = affine
    parts = []
    if _number(tx) != "0" or _number(ty) != "0":
        parts.append(f"translate({_number(tx)},{_number(ty)})")
    if _scale(sx, sy):
        parts.append(_scale(sx, sy))
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
    before, root, after = _split_svg(result["svg"])
    _flatten_tree(root)
    return {**result, "svg": _join_svg(before, root, after)}


def _flatten_tree(root: _Element) -> None:
    for svg in root.children:
        _flatten(svg, root)
        _hoist_paint(svg)


def _split_svg(markup: str) -> tuple[str, _Element, str]:
    """A formula's markup as (what precedes its <svg>, the <svg> parsed, what follows)."""
    start, end = markup.find("<svg"), markup.rfind("</svg>") + len("</svg>")
    if start < 0 or end < len("</svg>"):
        raise ValueError(f"no <svg> in MathJax's output: {markup[:200]}")
    return markup[:start], _parse(markup[start:end]), markup[end:]


def _join_svg(before: str, root: _Element, after: str) -> str:
    return before + "".join(c if isinstance(c, str) else c.html() for c in root.children) + after


#: the path commands of MathJax's TeX font (output/svg/fonts/tex.js: absolute, integer coordinates)
_OUTLINE_STEP = re.compile(r"\s*([MLHVQTZ])([^A-Za-z]*)")
_OUTLINE_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:e-?\d+)?")
_ARITY = {"M": 2, "L": 2, "H": 1, "V": 1, "Q": 4, "T": 2, "Z": 0}


class _Outline(NamedTuple):
    x: float  # where the outline starts (its first moveto)
    y: float
    rest: str  # the rest in relative commands: the same text wherever the glyph is drawn
    #: -1 or 1: the sign of the area it encloses, i.e. of the winding number inside it (outer
    #: contours one way, holes the other, as fonts draw them: -1 for every glyph of MathJax's TeX font)
    winding: int


@functools.lru_cache(maxsize=4096)
def outline(d: str) -> _Outline | None:
    """A glyph's path data (absolute commands, as MathJax writes its font) rewritten relative to its
    first point, with its winding; None for commands or shapes this does not handle (the glyph then
    stays a ``<use>``)."""
    steps, end = [], 0
    for m in _OUTLINE_STEP.finditer(d):
        if m.start() != end:
            return None
        end = m.end()
        numbers = [float(n) for n in _OUTLINE_NUMBER.findall(m[2])]
        arity = _ARITY[m[1]]
        if (arity == 0 and numbers) or (arity and (not numbers or len(numbers) % arity)):
            return None
        # a command followed by more numbers than it takes repeats (a moveto's then as lineto)
        for i in range(0, len(numbers), arity) if arity else [0]:
            command = "L" if m[1] == "M" and i else m[1]
            steps.append((command, numbers[i:i + arity]))
    if d[end:].strip() or not steps or steps[0][0] != "M":
        return None
    x = y = start_x = start_y = 0.0
    control = None  # the last quadratic control point, which T reflects
    area = 0.0  # twice the signed area: the shoelace sum, plus 2/3 of each quadratic's triangle
    out = []
    closed = True
    for command, args in steps:
        if command == "M":
            if not closed:
                area += x * start_y - start_x * y  # the fill closes an open outline
            new, control = (args[0], args[1]), None
            start_x, start_y = new
        elif command == "Z":
            new, control = (start_x, start_y), None
        elif command == "H":
            new, control = (args[0], y), None
        elif command == "V":
            new, control = (x, args[0]), None
        elif command == "L":
            new, control = (args[0], args[1]), None
        else:
            if command == "Q":
                control, new = (args[0], args[1]), (args[2], args[3])
            else:
                control = (2 * x - control[0], 2 * y - control[1]) if control else (x, y)
                new = (args[0], args[1])
            area += 2 / 3 * ((control[0] - x) * (new[1] - y) - (new[0] - x) * (control[1] - y))
        if command != "M":
            area += x * new[1] - new[0] * y
        if out or command != "M":
            if command == "H":
                values = [new[0] - x]
            elif command == "V":
                values = [new[1] - y]
            else:
                points = () if command == "Z" else (*control, *new) if command == "Q" else new
                values = [v - (x, y)[i % 2] for i, v in enumerate(points)]
            out.append((command.lower(), values))
        # the first moveto is written by the formula, where the glyph goes
        x, y = new
        closed = command in "MZ"
    if not closed:
        area += x * start_y - start_x * y
    if abs(area) < 1e-9:
        return None
    return _Outline(steps[0][1][0], steps[0][1][1], _path_text(out), 1 if area > 0 else -1)


def _numbers(values) -> str:
    """Numbers as SVG path data separates them: a minus sign needs no space before it."""
    return "".join((" " if i and not text.startswith("-") else "") + text
                   for i, text in enumerate(_number(v) for v in values))


def _path_text(commands: list[tuple[str, list]]) -> str:
    """Path data without what SVG lets one leave out: a command letter that repeats the one before
    (its numbers continue that command; not for moveto, whose extra numbers mean lineto)."""
    out, last = [], None
    for command, values in commands:
        numbers = _numbers(values)
        if command == last and command not in "mz":
            out.append(numbers if numbers.startswith("-") else " " + numbers)
        else:
            out.append(command + numbers)
        last = command
    return "".join(out)


#: attributes a <g> may carry and still have its glyphs drawn by a path outside it: its transform
#: multiplies into theirs; data-mml-node only matters to MathJax's stylesheet, which selects
#: a table's lines, frames and cells (not glyphs) and an error (kept: it is red)
_LEAVES_GLYPHS = {"transform", "data-mml-node", "data-mjx-texclass"}
#: what draws in another colour or stroke than the formula's: glyphs after it are not drawn before it
_REPAINTS = {"fill", "stroke", "stroke-width", "color", "class", "style", "opacity", "fill-opacity",
             "stroke-opacity", "data-background"}


def _repaints(element: _Element) -> bool:
    return bool(set(element.attrs) & _REPAINTS) or element.attrs.get("data-mml-node") == "merror" \
        or any(not isinstance(c, str) and _repaints(c) for c in element.children)


def _see_through(element: _Element) -> tuple | None:
    """A ``<g>`` whose glyphs may be drawn by a path outside it: its transform, as an affine map."""
    if element.tag != "g" or not set(element.attrs) <= _LEAVES_GLYPHS or _repaints(element):
        return None  # a <g> holding something in another paint keeps its glyphs: see _Merger.place
    return _affine(element.attrs.get("transform", ""))


def _times(outer: tuple, inner: tuple) -> tuple:
    sx, sy, tx, ty = outer
    isx, isy, itx, ity = inner
    return sx * isx, sy * isy, tx + sx * itx, ty + sy * ity


class _Merger:
    """The glyphs under one container (the formula's ``<svg>``, a nested ``<svg>`` that clips, a
    ``<g>`` that paints), gathered into one ``<path>`` per scale and winding."""

    def __init__(self, container: _Element, glyphs: dict[str, str]) -> None:
        self.glyphs = glyphs
        self.open: dict[tuple, list] = {}  # (scale, winding) -> the pieces of the path being written
        children, container.children = container.children, []
        for child in children:
            self.place(child, container, (1.0, 1.0, 0.0, 0.0), container)

    def place(self, element, parent: _Element, transform: tuple, container: _Element) -> None:
        """Put ``element`` (a child of ``parent``, drawn at ``transform`` in ``container``'s
        coordinates) back into ``parent``, or its glyph into one of ``container``'s paths."""
        if isinstance(element, str):
            parent.children.append(element)
            return
        if self.blank(element):
            return  # a space: MathJax draws an empty outline
        glyph = self.glyph(element, transform)
        if glyph is not None:
            key, piece = glyph
            if key not in self.open:
                path = _Element("path", {"stroke-width": "3"})  # MathJax's thin outline (use[data-c])
                sx, sy = key[:2]
                if (sx, sy) != ("1", "1"):
                    path.attrs["transform"] = f"scale({sx})" if sx == sy else f"scale({sx},{sy})"
                self.open[key] = [path]
                container.children.append(path)
            self.open[key].append(piece)
            return
        inner = _see_through(element)
        if inner is not None:
            children, element.children = element.children, []
            for child in children:
                self.place(child, element, _times(transform, inner), container)
            if element.children:
                parent.children.append(element)
            return
        if _repaints(element):
            self.close()  # what comes after it is drawn after it
        if element.tag in ("g", "svg"):
            _Merger(element, self.glyphs).close()
        parent.children.append(element)

    def blank(self, element: _Element) -> bool:
        name = element.attrs.get("xlink:href", "").removeprefix("#MJX-")
        return element.tag == "use" and not element.children and name in self.glyphs \
            and not self.glyphs[name].strip()

    def glyph(self, element: _Element, transform: tuple) -> tuple | None:
        """``((sx, sy, winding), path data)`` for a ``<use>`` of a glyph a path can draw."""
        if element.tag != "use" or not set(element.attrs) <= {"xlink:href", "transform"}:
            return None
        name = element.attrs.get("xlink:href", "").removeprefix("#MJX-")
        own = _affine(element.attrs.get("transform", ""))
        shape = outline(self.glyphs[name]) if name in self.glyphs else None
        if own is None or shape is None:
            return None
        sx, sy, tx, ty = _times(transform, own)
        if not sx or not sy:
            return None
        # the path is drawn scaled by (sx, sy): the glyph moves by its translation over the scale
        x, y = round(shape.x + tx / sx, 1), round(shape.y + ty / sy, 1)
        return (_number(sx), _number(sy), shape.winding), f"M{_numbers((x, y))}{shape.rest}"

    def close(self) -> None:
        for path, *pieces in self.open.values():
            path.attrs["d"] = "".join(pieces)
        self.open = {}


def merge_glyphs(result: dict) -> dict:
    """A formula's glyphs drawn by one ``<path>`` per scale instead of one ``<use>`` each (issue 19:
    a page with 150 formulas had 1,300 ``<use>``, each also a shadow tree in the browser).

    Each glyph's outline goes into the path's data, moved to where the ``<use>`` put it and written
    in relative commands after its first point, so a glyph repeated on a page is the same text
    (gzip codes a repeat as a back-reference, if the last copy is within its 32 KB window; a page
    is larger than before, but has 1,300 fewer elements). The path carries the scale, so the glyphs' outline stroke scales as
    before. Glyphs are merged only where that draws the same picture: under ``<g>``s that just move
    things (a colour's ``<g>`` or a nested ``<svg>``, which clips, get paths of their own), not
    across something drawn in another paint, and only glyphs of one winding into one path (the
    nonzero fill rule then fills where any of them is, even where they overlap: ≠, accents).
    ``result["glyphs"]`` keeps the outlines of the ``<use>``s left (none in the book)."""
    if "svg" not in result:
        return result
    before, root, after = _split_svg(result["svg"])
    return _merged(result, before, root, after)


def _merged(result: dict, before: str, root: _Element, after: str) -> dict:
    """:func:`merge_glyphs` on a formula already parsed."""
    for svg in root.children:
        if not isinstance(svg, str):
            _Merger(svg, result.get("glyphs", {})).close()
            if not _USE_REF.search(svg.html()):
                svg.attrs.pop("xmlns:xlink", None)  # declares the prefix of xlink:href, now unused
    svg = _join_svg(before, root, after)
    used = set(_USE_REF.findall(svg))
    return {**result, "svg": svg, "glyphs": {n: d for n, d in result.get("glyphs", {}).items() if n in used}}


_USE_REF = re.compile(r'xlink:href="#MJX-([^"]+)"')


#: MathJax's wrapper of the MathML for screen readers (its assistive-mml extension), around the
#: <math> and nothing else
_ASSISTIVE = re.compile(r'<mjx-assistive-mml unselectable="on" display="(?:block|inline)">(<math\b[^>]*>.*</math>)'
                        r'</mjx-assistive-mml>(</mjx-container>)$', re.S)


def unwrap_mathml(result: dict) -> dict:
    """The ``<math>`` for screen readers without MathJax's ``<mjx-assistive-mml>`` around it, one
    element fewer per formula (issue 19). The wrapper is an element without a role (an
    autonomous custom element: generic, left out of the accessibility tree), there only to be
    hidden visually; llmkb-math.css hides the ``<math>`` itself the same way. The ``<math>``
    keeps its own ``display`` (block formulas; inline is MathML's default)."""
    if "svg" not in result:
        return result
    svg, n = _ASSISTIVE.subn(r"\1\2", result["svg"])
    if n != 1:
        raise ValueError(f"no <mjx-assistive-mml><math> at the end of MathJax's output: {result['svg'][-300:]}")
    return {**result, "svg": svg}


def finish(result: dict, flattened_only: bool = False) -> dict:
    """MathJax's output as the book writes it (or, ``flattened_only``, after flatten_svg only)."""
    result = share_glyphs(result)
    if flattened_only or "svg" not in result:
        return flatten_svg(result)
    before, root, after = _split_svg(result["svg"])  # parsed once for both steps
    _flatten_tree(root)
    return unwrap_mathml(_merged(result, before, root, after))


def available_lines(fd: int) -> Iterator[list[bytes]]:
    """The complete lines that have arrived on ``fd`` at each read, until it ends: the build
    sends a page's formulas together, and they are drawn in one call (:meth:`MathJaxEngine.render_all`)."""
    pending = b""
    while chunk := os.read(fd, 1 << 16):
        *lines, pending = (pending + chunk).split(b"\n")
        if lines := [line for line in lines if line.strip()]:
            yield lines
    if pending.strip():
        yield [pending]


def main() -> None:
    if sys.argv[1:] == ["--stylesheet"]:  # MathJax's CSS for its SVG output (llmkb/sphinx_ext/static/llmkb-math.css has it)
        sys.stdout.write(MathJaxEngine().stylesheet())
        _exit()
    # --flattened: MathJax's picture after flatten_svg only (each glyph a <use> of a shared
    # outline, MathJax's assistive MathML as it writes it), for tests to compare with the book's
    if sys.argv[1:] not in ([], ["--flattened"]):
        sys.exit(f"usage: python -m llmkb.math.render [--flattened | --stylesheet] (not {' '.join(sys.argv[1:])})")
    flattened_only = sys.argv[1:] == ["--flattened"]
    try:
        engine = MathJaxEngine()
        # ASCII JSON both ways (json's default): the pipes' encoding is the locale's, whatever it is
        for line in sys.stdin:
            tex, display = json.loads(line)
            sys.stdout.write(json.dumps(finish(engine.render(tex, bool(display)), flattened_only)) + "\n")
            sys.stdout.flush()
    except Exception:
        traceback.print_exc()
        _exit(1)
    _exit()


def _exit(code: int = 0) -> None:
    """End the process without tearing V8 down. mini-racer frees its context when the engine is
    garbage (``MiniRacer.__del__`` → ``mr_free_context``), and once the interpreter is shutting
    down that waits forever on a V8 thread that is gone (futex wait, one thread left): a Python
    error after the engine started left the process, and the build waiting on it, hung instead of
    failing. A process that has written its answer, or its error, has nothing left to free."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    main()
