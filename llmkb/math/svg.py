"""Formulas drawn at build time: the book's HTML math renderer.

Sphinx's MathJax extension ships TeX to the browser, and every reader's phone then ran 1.2 MB of
MathJax before a formula appeared (0.5-0.9 s of blocked main thread at Lighthouse's mobile
throttling, the raw TeX flashing meanwhile). Here the build runs MathJax once
(:mod:`llmkb.math.render`) and pages carry finished SVG plus MathML for screen readers: no maths
script, no maths font download, the same MathJax typesetting.

How a build flows:

1. ``doctree-read``: each page's formulas (the TeX exactly as Sphinx's MathJax renderer would
   send it, inline or display, with its source line) are kept in the environment. When pages are
   read in the main process (no ``-j``), the formulas neither the cache
   (``<doctreedir>/llmkb-math.pickle``) nor this process has drawn are sent at once to one
   ``python -m llmkb.math.render`` process (:class:`RenderProcess`), which draws them while Sphinx
   goes on reading: on a clean build of the book MathJax's ~4 s overlap the reading instead of
   following it. Once that process has a backlog, a second one (:class:`RenderPool`) takes the
   later pages' formulas: MathJax draws one formula at a time, and the book's ~2,900 took one
   process ~5 s, ~3 s of them after the reading was done.
2. ``env-updated`` (main process, before any page is written, so ``-j`` workers inherit the
   result): that process's results are collected, and what is still missing (pages read by
   ``-j`` workers, which must not start it: see :mod:`llmkb.math.render`) is drawn by another.
   A TeX error fails the strict build with the page, line and MathJax's message; the page is
   never written with a red formula.
3. Writing: each formula is looked up and written in place, its glyphs drawn by a path or two
   (:func:`llmkb.math.render.merge_glyphs`); a page whose formulas keep a glyph as a ``<use>``
   (none in the book) gets one hidden ``<svg><defs>`` with those outlines (:func:`glyph_defs`).

Builders other than HTML (LaTeX, text) get the TeX as before.
"""

from __future__ import annotations

import html
import os
import pickle
import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.locale import _
from sphinx.util import logging
from sphinx.util.math import get_node_equation_number

from ..line_process import BuildProcess, LineProcess
from . import render as math_render

logger = logging.getLogger(__name__)

RENDERER = "llmkb_svg"
CACHE = "llmkb-math.pickle"
STYLESHEET = "llmkb-math.css"
#: results depend on MathJax and on how llmkb configures and post-processes it
CACHE_VERSION = (6, "3.2.2", math_render.EXCLUDED_PACKAGES)
ENV_KEY = "llmkb_math"  # env attribute: {docname: [(tex, display, line), ...]}

Formula = tuple[str, bool]

#: (tex, display) -> {"svg": ..., "glyphs": {...}} or {"error": ...}; filled in the main process
#: before writing, so forked writers inherit it
_rendered: dict[Formula, dict] = {}
_glyphs: dict[str, str] = {}
_on_disk: dict[Path, frozenset] = {}  # cache file -> the formulas it holds, as this process last saw it


class MathRenderError(ExtensionError):
    category = "MathJax could not run"


def display_tex(node: nodes.math_block) -> str:
    """The TeX Sphinx's MathJax renderer sends for a display formula: paragraphs (separated by a
    blank line) become aligned rows; a paragraph with ``\\\\`` becomes a ``split``."""
    parts = [part for part in node.astext().split("\n\n") if part.strip()]
    body = []
    for part in parts:
        body.append(r"\begin{split}" + part + r"\end{split}" if r"\\" in part else part)
    tex = r"\\".join(body)
    if len(parts) > 1:
        tex = r" \begin{align}\begin{aligned}" + tex + r"\end{aligned}\end{align} "
    return tex


def formula_of(node: nodes.Node) -> Formula:
    if isinstance(node, nodes.math_block):
        if node.get("no-wrap", node.get("nowrap", False)):
            return node.astext(), True  # the author's own environment, as MathJax would get it
        return display_tex(node), True
    return node.astext(), False


def _line(node: nodes.Node) -> int | None:
    while node is not None and node.line is None:
        node = node.parent
    return node.line if node is not None else None


def collect_formulas(app: Sphinx, doctree: nodes.document) -> None:
    found = []
    for node in doctree.findall(lambda n: isinstance(n, (nodes.math, nodes.math_block))):
        found.append((*formula_of(node), _line(node)))
    store = _store(app.env)
    if found:
        store[app.env.docname] = found
        if app.builder.format == "html" and app.parallel <= 1:  # see the module's docstring
            _send_new(app, [(tex, display) for tex, display, _ in found])
    else:
        store.pop(app.env.docname, None)


def _store(env) -> dict:
    if not hasattr(env, ENV_KEY):
        setattr(env, ENV_KEY, {})
    return getattr(env, ENV_KEY)


def purge_doc(app: Sphinx, env, docname: str) -> None:
    _store(env).pop(docname, None)


def merge_info(app: Sphinx, env, docnames, other) -> None:
    _store(env).update((d, f) for d, f in _store(other).items() if d in docnames)


#: options of every math_render process the build starts (a test draws glyphs as ``<use>``)
OPTIONS: tuple[str, ...] = ()
#: a render process that writes no result for this long is stopped (it draws ~300 formulas a second)
STALL_SECONDS = 300


class RenderProcess(LineProcess):
    """One ``python -m llmkb.math.render`` process: formulas go in as they are found, results come
    back in the same order."""

    verb, item, error = "drew", "formulas", MathRenderError
    hint = "\nIs mini-racer installed? (pip install -e '.[docs]')"

    def __init__(self, *options: str) -> None:
        #: the formulas sent, in order, each once (a dict: send() skips those already sent)
        self.sent: dict[Formula, None] = {}
        super().__init__("llmkb.math.render", *options)

    @property
    def stall_seconds(self) -> float:
        return STALL_SECONDS  # looked up when needed: a test shortens it

    @property
    def waiting(self) -> int:
        """Formulas sent and not drawn yet."""
        return len(self.sent) - self.answered

    def send(self, formulas: list[Formula]) -> None:
        """Have the process draw ``formulas``; one it was already sent is not drawn twice."""
        new = [f for f in dict.fromkeys(formulas) if f not in self.sent]
        self.write([[tex, display] for tex, display in new])
        self.sent.update(dict.fromkeys(new))


#: most render processes a build runs at once (each draws one formula at a time): one per core, at most two
PROCESSES = min(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
#: formulas waiting in every process before another one starts: a page or two rebuilt keeps one
#: process (starting one costs ~0.3 s); a clean build of the book reaches it within its first pages
BACKLOG = 200


class RenderPool:
    """A build's render processes: each batch of formulas goes to the one with the fewest still
    waiting to be drawn, and another starts (up to ``limit``) when every one has a backlog.
    MathJax's output does not depend on which process draws a formula, or after which others."""

    def __init__(self, *options: str, limit: int | None = None) -> None:
        self.options = options
        self.limit = PROCESSES if limit is None else limit
        self.processes: list[RenderProcess] = []

    @property
    def sent(self) -> list[Formula]:
        """Every formula sent, each once."""
        return [formula for process in self.processes for formula in process.sent]

    def send(self, formulas: list[Formula]) -> None:
        """Have one of the processes draw ``formulas``; one already sent is not drawn twice."""
        new = [f for f in dict.fromkeys(formulas) if not any(f in p.sent for p in self.processes)]
        if not new:
            return
        waiting = [process.waiting for process in self.processes]
        if not self.processes or (min(waiting) >= BACKLOG and len(self.processes) < self.limit):
            self.processes.append(RenderProcess(*self.options))  # looked up now: tests swap the class
            target = self.processes[-1]
        else:
            target = self.processes[waiting.index(min(waiting))]
        target.send(new)

    def results(self) -> dict[Formula, dict]:
        """Every formula sent and what MathJax made of it, once all processes are done."""
        drawn: dict[Formula, dict] = {}
        try:
            for process in self.processes:
                drawn.update(zip(process.sent, process.results()))
        except BaseException:
            self.stop()  # one failed or hung: the others are not left running
            raise
        return drawn

    def stop(self) -> None:
        for process in self.processes:
            process.stop()


#: a list handed to render() at once goes out in batches this size, so the pool can share it
BATCH = 50


def render(formulas: list[Formula], *options: str) -> list[dict]:
    """Render in new processes (see :mod:`llmkb.math.render` for why and for its ``options``):
    one result per formula given, a repeated formula drawn once."""
    pool = RenderPool(*options)
    unique = list(dict.fromkeys(formulas))
    for start in range(0, len(unique), BATCH):
        pool.send(unique[start:start + BATCH])
    drawn = pool.results()
    return [drawn[f] for f in formulas]


def _remember(formula: Formula, result: dict) -> None:
    _rendered[formula] = result
    for name, path in result.get("glyphs", {}).items():
        _glyphs.setdefault(name, path)


def _load_cache(path: Path) -> dict:
    try:
        cached = pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        return {}
    if not isinstance(cached, dict) or cached.get("version") != CACHE_VERSION:
        return {}
    return cached.get("formulas", {})


def _load_cached(app: Sphinx) -> Path:
    """Remember what the cache file holds (once per process and file) and return its path."""
    cache_path = Path(app.doctreedir) / CACHE
    if cache_path not in _on_disk or not cache_path.is_file():
        cached = _load_cache(cache_path)
        for formula, result in cached.items():
            _remember(formula, result)
        _on_disk[cache_path] = frozenset(cached)
    return cache_path


def _send_new(app: Sphinx, formulas: list[Formula]) -> None:
    """Formulas not drawn yet go to this build's render process (started for the first)."""
    _load_cached(app)
    new = [f for f in formulas if f not in _rendered]
    if new:
        _PROCESS.get(app).send(new)  # skips what an earlier page already sent


#: this build's render processes (a RenderPool), started by the first page with a formula not drawn yet
_PROCESS = BuildProcess("llmkb_math_process", lambda: RenderPool(*OPTIONS))  # looked up when started: tests swap them


def render_pending(app: Sphinx, env) -> None:
    """Before writing: collect what the render process drew, render what is still missing,
    report TeX errors where they are."""
    if app.builder.format != "html":
        return
    pages = _store(env)
    needed = dict.fromkeys((tex, display) for found in pages.values() for tex, display, _ in found)
    cache_path = _load_cached(app)
    process = _PROCESS.take(app)
    if process is not None:
        logger.info(f"llmkb: drawing {len(process.sent)} formulas with MathJax in {len(process.processes)} "
                    "process(es) (begun while reading)... ", nonl=True)
        for formula, result in process.results().items():
            _remember(formula, result)
        logger.info("done")
    missing = [f for f in needed if f not in _rendered]
    if missing:
        logger.info(f"llmkb: drawing {len(missing)} formulas with MathJax... ", nonl=True)
        for formula, result in zip(missing, render(missing, *OPTIONS)):
            _remember(formula, result)
        logger.info("done")
    if _on_disk[cache_path] != set(needed):  # new formulas to keep, or old ones to forget
        kept = {f: _rendered[f] for f in needed}
        cache_path.parent.mkdir(parents=True, exist_ok=True)
        cache_path.write_bytes(pickle.dumps({"version": CACHE_VERSION, "formulas": kept}, pickle.HIGHEST_PROTOCOL))
        _on_disk[cache_path] = frozenset(needed)
    for docname in sorted(pages):
        for tex, display, line in pages[docname]:
            error = _rendered[(tex, display)].get("error")
            if error:
                logger.warning(f"TeX error in {'display' if display else 'inline'} formula ${tex}$: {error} "
                               "(fix the TeX; the page would show it in red)",
                               location=(docname, line), type="llmkb", subtype="math")


def svg_of(formula: Formula) -> str | None:
    if formula not in _rendered:  # a formula no page had at read time (added by a later transform)
        _remember(formula, render([formula], *OPTIONS)[0])
    return _rendered[formula].get("svg")


def html_visit_math(self, node: nodes.math) -> None:
    svg = svg_of(formula_of(node))
    self.body.append(self.starttag(node, "span", "", CLASS="math notranslate nohighlight"))
    self.body.append(svg if svg is not None else self.encode(node.astext()))
    self.body.append("</span>")
    raise nodes.SkipNode


def html_visit_displaymath(self, node: nodes.math_block) -> None:
    self.body.append(self.starttag(node, "div", CLASS="math notranslate nohighlight"))
    if node["number"]:
        number = get_node_equation_number(self, node)
        self.body.append(f'<span class="eqno">({number})')
        self.add_permalink_ref(node, _("Link to this equation"))
        self.body.append("</span>")
    svg = svg_of(formula_of(node))
    if svg is not None:
        # A display formula wider than the screen scrolls in its own box (llmkb-math.css); a box
        # that scrolls must be reachable by keyboard (WCAG 2.1.1), as MathJax's own output is.
        svg = svg.replace("<mjx-container ", '<mjx-container tabindex="0" ', 1)
    self.body.append(svg if svg is not None else self.encode(node.astext()))
    self.body.append("</div>\n")
    raise nodes.SkipNode


_USE = re.compile(r'xlink:href="#MJX-([^"]+)"')


def glyph_defs(body: str) -> str:
    """One hidden SVG with the outline of every glyph the formulas in ``body`` use ('' if none)."""
    names = sorted(set(_USE.findall(body)))
    if not names:
        return ""
    paths = "".join(f'<path id="MJX-{html.escape(n)}" d="{html.escape(_glyphs[n])}"></path>' for n in names)
    # xmlns: in an EPUB (XHTML) an <svg> without it is no SVG, and every formula would be blank
    return f'<svg xmlns="http://www.w3.org/2000/svg" class="llmkb-math-glyphs" aria-hidden="true" focusable="false" style="display: none">' \
           f'<defs>{paths}</defs></svg>\n'


def add_glyphs(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    body = context.get("body")
    if body and "xlink:href=\"#MJX-" in body:
        context["body"] = body + glyph_defs(body)


def use_renderer(app: Sphinx, config) -> None:
    config.html_math_renderer = RENDERER
    if "myst_update_mathjax" in config:  # MyST marks sections "mathjax_ignore" for a MathJax there is not
        config.myst_update_mathjax = False


def setup(app: Sphinx) -> dict:
    app.add_html_math_renderer(RENDERER, (html_visit_math, None), (html_visit_displaymath, None))
    app.connect("config-inited", use_renderer)
    app.connect("doctree-read", collect_formulas)
    app.connect("env-purge-doc", purge_doc)
    app.connect("env-merge-info", merge_info)
    app.connect("env-updated", render_pending)
    app.connect("build-finished", _PROCESS.stop)
    app.connect("html-page-context", add_glyphs)
    app.add_css_file(STYLESHEET)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
