"""Graphs of papers and pages: a topic's lineage (from refs.bib ``relations``) and reading paths.

networkx holds the graph and lays it out: ``layered_layout`` puts each node in the column of
its year (pushed right where a relation needs it, in topological order) and spaces the columns
with ``nx.multipartite_layout``, so every arrow points rightwards, from the older paper to the
one that builds on, improves or compares with it. matplotlib draws it, each node a text box whose
link (``set_url``) leads to the paper's row on the page (``notes.row_id``).

The SVG is inlined in the page (an ``<img>`` would not follow its links), slimmed
(``plots.markup.slim``: one link per box, none of matplotlib's wrappers) and with its colours
turned into CSS variables (``themed``) so one drawing reads in the theme's light and dark
modes. The drawing is deterministic: the same graph gives the same bytes.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Sequence

import networkx as nx

from ..bib import notes
from ..bib.papers import Paper, by_topic

#: colour in the drawing -> CSS variable that replaces it (llmkb.css sets both themes' values);
#: the drawn colour stays as the variable's fallback, so the SVG reads without the stylesheet
PALETTE: dict[str, str] = {
    "#1a1a1a": "--llmkb-graph-ink",
    "#fbfbfb": "--llmkb-graph-box",
    "#555555": "--llmkb-graph-line",
    "#0072b2": "--llmkb-graph-blue",
    "#c45200": "--llmkb-graph-orange",
}
#: how each relation is drawn: (colour, line style, width) — told apart by style, not colour alone
VERB_STYLE: dict[str, tuple[str, str, float]] = {
    "基于": ("#555555", "solid", 1.0),
    "改进": ("#0072b2", "solid", 1.8),
    "对比": ("#c45200", "dashed", 1.2),
}
_HAS_YEAR = re.compile(r"(?:19|20)\d\d[a-z]?$")
FONT_SIZE = 8.0
ROW_IN = 0.55        # vertical distance between two nodes of a column, inches
COLUMN_GAP_IN = 0.55  # free space between two columns' widest boxes, inches
BOX_PAD = 0.35       # space around a label inside its box, and the radius of the box's corners, in ems


def topic_graph(papers: Sequence[Paper], topic: str, labels: dict[str, str]) -> nx.DiGraph:
    """The topic's papers that a relation links to another of its papers, and those relations,
    each edge drawn from the older paper to the newer one (the reverse of ``relations``)."""
    chosen = {p.key: p for p in by_topic(papers).get(topic, ())}
    graph = nx.DiGraph()
    for newer, older, verb in notes.edges(chosen.values()):
        for key in (older, newer):
            p = chosen[key]
            name = notes.short_name(p, labels)
            # a citation label ("Hu 2021a") already holds the year
            dated = _HAS_YEAR.search(name) is not None
            graph.add_node(key, label=name if dated else f"{name}\n{p.date[:4]}", date=p.date,
                           text=name if dated else f"{name}（{p.date[:4]}）")
        graph.add_edge(older, newer, verb=verb)
    return graph


def cap(graph: nx.DiGraph, limit: int, max_edges: int = 80) -> nx.DiGraph:
    """At most ``limit`` boxes and about ``max_edges`` arrows: the papers with the most relations
    in the topic first (then the newest, then by key), each taken while the relations among those
    taken stay within ``max_edges``; a paper left without any relation is dropped. A library of
    thousands of related papers would otherwise draw thousands of boxes on one page, and every
    arrow costs matplotlib a clipping search against two boxes."""
    if graph.number_of_nodes() <= limit and graph.number_of_edges() <= max_edges:
        return graph
    ranked = sorted(graph, key=lambda k: (-graph.degree(k), _negated(graph.nodes[k].get("date", "")), k))
    kept: set[str] = set()
    edges = 0
    for key in ranked:
        if len(kept) >= limit:
            break
        new = sum(1 for n in graph.predecessors(key) if n in kept) + sum(1 for n in graph.successors(key) if n in kept)
        if kept and edges + new > max_edges:
            continue
        kept.add(key)
        edges += new
    small = graph.subgraph(kept).copy()
    small.remove_nodes_from([k for k in list(small) if small.degree(k) == 0])
    return small


def _negated(date: str) -> tuple[int, ...]:
    return tuple(-ord(ch) for ch in date)


def layered_layout(graph: nx.DiGraph, down: bool = False) -> dict[str, tuple[float, float]]:
    """Columns by time: a node's column is the rank of its year among the graph's years, pushed
    right when needed so that every arrow points rightwards (one past its rightmost
    predecessor, in ``nx.lexicographical_topological_sort`` order); rows one unit apart, each
    column centred and ordered by date then key. ``down``: columns become rows, top first (a
    reading path, whose "dates" are step numbers). Raises nx.NetworkXUnfeasible on a cycle."""
    years = {y: i for i, y in enumerate(sorted({graph.nodes[k].get("date", "")[:4] for k in graph}))}
    layer: dict[str, int] = {}
    for key in nx.lexicographical_topological_sort(graph, key=lambda k: (graph.nodes[k].get("date", ""), k)):
        own = years[graph.nodes[key].get("date", "")[:4]]
        layer[key] = max([own] + [layer[p] + 1 for p in graph.predecessors(key)])
    ordered = nx.DiGraph()
    subsets: dict[int, list[str]] = {}
    for key in sorted(layer, key=lambda k: (layer[k], graph.nodes[k].get("date", ""), k)):
        ordered.add_node(key)
        subsets.setdefault(layer[key], []).append(key)
    if not layer:
        return {}
    # the layers as a dict of ordered lists: given a node attribute's name instead,
    # multipartite_layout groups the nodes into sets, whose order changes with the interpreter's
    # hash seed (the same graph was drawn differently by two builds)
    pos = nx.multipartite_layout(ordered, subset_key=subsets, align="vertical", scale=1.0)
    # undo the uniform rescaling: one unit between columns and between rows
    xs = sorted({round(float(x), 9) for x, _ in pos.values()})
    step = (xs[1] - xs[0]) if len(xs) > 1 else None
    if step is None:  # one column: rows were rescaled alone
        ys = sorted(float(y) for _, y in pos.values())
        step = (ys[1] - ys[0]) if len(ys) > 1 else 1.0
    pos = {k: (round(float(x) / step, 6) + 0.0, round(float(y) / step, 6) + 0.0) for k, (x, y) in pos.items()}
    return {k: (-y + 0.0, -x + 0.0) for k, (x, y) in pos.items()} if down else pos


def _text_width_in(text: str) -> float:
    ems = max(sum(1.0 if ord(ch) > 0x2E80 else 0.6 for ch in line) for line in text.split("\n"))
    return ems * FONT_SIZE / 72.0


def _bend(span: float) -> float:
    """The arc3 bend of an arrow across ``span`` columns. An arrow that skips a column bends
    around the boxes between (in a row it would run straight through them); arrows run left to
    right, so a positive bend sags below the straight line."""
    return 0.08 if span <= 1 else min(0.3, 0.12 * span)


def draw(graph: nx.DiGraph, pos: dict[str, tuple[float, float]], font: str | None,
         link=notes.row_id, legend: Sequence[str] | None = None, down: bool = False) -> str:
    """The graph as SVG text (not yet themed): a rounded box per node linking to ``link(key)``,
    an arrow per edge styled by its ``verb`` (VERB_STYLE) or ``style`` (colour, dash, width)."""
    import matplotlib
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyArrowPatch

    if not pos:
        raise ValueError("draw needs at least one node")
    # inches from here on: each column as wide as its widest box, plus a gap
    width = {k: _text_width_in(graph.nodes[k].get("label", k)) + 0.3 for k in pos}
    layers = sorted({round(p[1 if down else 0], 6) for p in pos.values()})
    if down:
        inch = {k: (x * (max(width.values()) + COLUMN_GAP_IN), y * ROW_IN) for k, (x, y) in pos.items()}
    else:
        col_w = {c: max(width[k] for k, p in pos.items() if round(p[0], 6) == c) + COLUMN_GAP_IN for c in layers}
        starts, left = {}, 0.0
        for c in layers:
            starts[c], left = left + col_w[c] / 2, left + col_w[c]
        inch = {k: (starts[round(x, 6)], y * ROW_IN) for k, (x, y) in pos.items()}
    xs = [x for x, _ in inch.values()]
    ys = [y for _, y in inch.values()]
    left = min(x - width[k] / 2 for k, (x, _) in inch.items()) - 0.1
    right = max(x + width[k] / 2 for k, (x, _) in inch.items()) + 0.1
    bottom, top = min(ys) - ROW_IN / 2, max(ys) + ROW_IN / 2
    axis = 1 if down else 0
    step = {k: layers.index(round(p[axis], 6)) for k, p in pos.items()}
    spans = {(a, b): abs(step[b] - step[a]) for a, b in graph.edges}
    arms: dict[tuple[str, str], float] = {}
    if down:
        # layers are rows: an arrow that skips a row leaves its box to the left, runs down beside
        # the column and comes back (an "arc" connection); longer ones run further out, so they nest
        half_in = max(width.values()) / 2 + 0.1
        arms = {e: (half_in + 0.12 * (span - 1)) * 72 for e, span in spans.items() if span > 1}
        left = min(left, min(xs) - max(arms.values(), default=0.0) / 72 - 0.1)
    else:
        # layers are columns: an arrow that skips a column bends below the rows (see _bend)
        # an arc's lowest point: its midpoint, lowered by half its control point's offset
        low = min(((inch[a][1] + inch[b][1]) / 2 - _bend(spans[(a, b)]) * abs(inch[b][0] - inch[a][0]) / 2
                   for a, b in graph.edges), default=bottom)
        bottom = min(bottom, low - 0.1)
    legend_in = 0.35 if legend else 0.0
    width_in, height_in = right - left, top - bottom + legend_in
    # text as <text>, not a path per glyph: a 54-box graph was ~2,000 DOM elements with paths
    # (issue 19: pages of <= 5,000), and the labels become real text (selectable, found by find-in-page)
    rc = {"svg.hashsalt": "llmkb", "svg.fonttype": "none", "font.size": FONT_SIZE}
    if font:
        rc["font.family"] = [font, "DejaVu Sans"]
    with matplotlib.rc_context(rc):
        # 72 dpi, the SVG backend's: one point is one pixel of the drawing
        fig = Figure(figsize=(width_in, height_in), dpi=72, facecolor="none")
        ax = fig.add_axes((0, 0, 1, 1 - legend_in / height_in))
        ax.set_xlim(left, right)
        ax.set_ylim(bottom, top)
        ax.set_axis_off()
        boxes = {}
        for key, (x, y) in sorted(inch.items()):
            t = ax.text(x, y, graph.nodes[key].get("label", key), ha="center", va="center", color="#1a1a1a",
                        linespacing=1.25, zorder=3,
                        bbox=dict(boxstyle=f"round,pad={BOX_PAD}", facecolor="#fbfbfb", edgecolor="#555555", linewidth=0.8))
            url = link(key)
            if url:
                t.set_url(url)
                t.get_bbox_patch().set_url(url)
            boxes[key] = t
        # the boxes are measured in the SVG pass itself, just before the arrows are clipped
        # against them (zorder 1 < 2), with the renderer that then draws the labels and finds
        # them measured: a first pass (draw_without_rendering) measured every label twice
        outlines: dict[str, tuple] = {}
        ax.add_artist(_outliner()(boxes, outlines))
        for a, b, data in sorted(graph.edges(data=True)):
            colour, dash, lw = data.get("style") or VERB_STYLE.get(data.get("verb"), VERB_STYLE["基于"])
            if down and (a, b) in arms:
                arm = round(arms[(a, b)], 2)
                connection = f"arc,angleA=180,angleB=180,armA={arm},armB={arm},rad=6"
            else:
                connection = f"arc3,rad={_bend(spans[(a, b)])}"
            # add_artist, not add_patch: the limits are set above, and add_patch would route the
            # arrow only to update the data limits, before the boxes are measured
            ax.add_artist(FancyArrowPatch(
                inch[a], inch[b], connectionstyle=_Route(connection, outlines, a, b),
                arrowstyle="-|>", mutation_scale=9, color=colour, linestyle=dash, linewidth=lw,
                shrinkA=1, shrinkB=1, zorder=2))
        if legend:
            handles = [Line2D([], [], color=VERB_STYLE[v][0], linestyle=VERB_STYLE[v][1], linewidth=VERB_STYLE[v][2],
                              label=v) for v in legend]
            fig.legend(handles=handles, loc="upper center", ncol=len(handles), frameon=False,
                       bbox_to_anchor=(0.5, 1.0), labelcolor="#1a1a1a", handlelength=2.5)
        out = io.StringIO()
        fig.savefig(out, format="svg", metadata={"Date": None}, transparent=True)
    return out.getvalue()


class _Route:
    """An arrow's connection style (``FancyArrowPatch(connectionstyle=...)``): matplotlib's
    ``connection`` (arc3 or arc) from centre to centre, cut where it leaves box ``a`` and enters
    box ``b``, then shortened by ``shrinkA``/``shrinkB`` — what matplotlib does with
    ``patchA``/``patchB``, whose clipping bisects the path asking the box patch whether each point
    is inside (``Patch.contains`` rebuilds the box's path each time: half the drawing time of a
    60-box graph). Here the same bisection asks ``outlines`` (filled by ``_outliner``), in floats."""

    def __init__(self, connection: str, outlines: dict, a: str, b: str):
        from matplotlib.patches import ConnectionStyle

        self.style, self.outlines, self.a, self.b = ConnectionStyle(connection), outlines, a, b

    def __call__(self, posA, posB, shrinkA=0.0, shrinkB=0.0, patchA=None, patchB=None):
        from matplotlib.path import Path

        path = self.style.connect(posA, posB)
        segments = _segments(path)
        if self.a in self.outlines:
            segments = _split(segments, _in_box(*self.outlines[self.a]), keep=1)
        if self.b in self.outlines:
            segments = _split(segments, _in_box(*self.outlines[self.b]), keep=0)
        if shrinkA:
            segments = _split(segments, _in_circle(segments[0][0], shrinkA), keep=1)
        if shrinkB:
            segments = _split(segments, _in_circle(segments[-1][-1], shrinkB), keep=0)
        vertices = [segments[0][0]]
        codes = [Path.MOVETO]
        for seg in segments:
            vertices += seg[1:]
            codes += [Path.LINETO] if len(seg) == 2 else [Path.CURVE3, Path.CURVE3]
        return Path(vertices, codes)


@functools.cache
def _outliner():
    """The class of an artist that draws nothing: it lays out each text's box with the renderer it
    is drawn with and writes the box's outline (``_in_box``'s arguments, in pixels) to ``outlines``.
    Made on first use: matplotlib is imported only to draw (and documenting an Artist subclass
    costs it ~10 ms)."""
    from matplotlib.artist import Artist

    class Outliner(Artist):
        zorder = 1

        def __init__(self, texts, outlines):
            super().__init__()
            self.texts, self.outlines = texts, outlines

        def draw(self, renderer):
            for key, text in self.texts.items():
                text.update_bbox_position_size(renderer)
                box = text.get_bbox_patch()
                outline = box.get_transform().transform_path(box.get_path())
                # its extent: the corners' control points lie on the sides' lines (and
                # Path.get_extents, which solves for the curves' extremes, is slow)
                (x0, y0), (x1, y1) = outline.vertices.min(axis=0), outline.vertices.max(axis=0)
                # as matplotlib's Patch.contains: the stroke of the outline counts as inside
                stroke = renderer.points_to_pixels(box.get_linewidth())
                self.outlines[key] = (x0 - stroke / 2, y0 - stroke / 2, x1 + stroke / 2, y1 + stroke / 2,
                                      BOX_PAD * box.get_mutation_scale() + stroke / 2,
                                      lambda point, path=outline, r=stroke: path.contains_point(point, radius=r))

    return Outliner


def _in_box(x0: float, y0: float, x1: float, y1: float, corner: float, exact):
    """Whether a point is inside the box (x0, y0)-(x1, y1) whose corners are rounded within
    ``corner`` of its sides: decided by comparisons, but in a corner's square by ``exact``
    (matplotlib's own test, ``Path.contains_point`` on the box's outline, whose rounded corners are
    Bézier curves)."""
    def inside(point) -> bool:
        x, y = point
        if not (x0 < x < x1 and y0 < y < y1):
            return False
        if x0 + corner <= x <= x1 - corner or y0 + corner <= y <= y1 - corner:
            return True
        return exact(point)
    return inside


def _in_circle(centre, radius: float):
    cx, cy = centre

    def inside(point) -> bool:
        return (point[0] - cx) ** 2 + (point[1] - cy) ** 2 < radius * radius
    return inside


def _segments(path) -> list[list[tuple[float, float]]]:
    """A connection's path (a MOVETO, then LINETOs and quadratic CURVE3 pairs) as its segments'
    control points, each segment starting at the end of the one before."""
    from matplotlib.path import Path

    points = [(float(x), float(y)) for x, y in path.vertices]
    codes = list(path.codes)
    segments, i = [], 1
    while i < len(points):
        step = 2 if codes[i] == Path.CURVE3 else 1
        segments.append([points[i - 1], *points[i:i + step]])
        i += step
    return segments


def _split(segments, inside, keep: int, tolerance: float = 0.01):
    """The part before (``keep`` 0) or after (1) the point where ``inside`` first changes along
    the path, found as matplotlib's ``bezier.split_path_inout`` finds it (bisecting the segment
    until its ends are ``tolerance`` pixels apart, cutting it in the middle): the path unchanged
    when ``inside`` never changes."""
    begin = inside(segments[0][0])
    for i, seg in enumerate(segments):
        if inside(seg[-1]) != begin:
            left, right = _cut(seg, _crossing(seg, inside, tolerance))
            return segments[:i] + [left] if keep == 0 else [right] + segments[i + 1:]
    return segments


def _at(seg, t: float) -> tuple[float, float]:
    s = 1.0 - t
    if len(seg) == 2:
        (ax, ay), (bx, by) = seg
        return (s * ax + t * bx, s * ay + t * by)
    (ax, ay), (cx, cy), (bx, by) = seg
    return (s * s * ax + 2 * s * t * cx + t * t * bx, s * s * ay + 2 * s * t * cy + t * t * by)


def _crossing(seg, inside, tolerance: float) -> float:
    t0, t1 = 0.0, 1.0
    start, end = seg[0], seg[-1]
    start_inside = inside(start)
    while ((start[0] - end[0]) ** 2 + (start[1] - end[1]) ** 2) ** 0.5 >= tolerance:
        t = 0.5 * (t0 + t1)
        middle = _at(seg, t)
        if inside(middle) != start_inside:
            if middle == end:  # no progress left in floating point
                break
            t1, end = t, middle
        else:
            if middle == start:
                break
            t0, start = t, middle
    return 0.5 * (t0 + t1)


def _cut(seg, t: float):
    """de Casteljau: the segment's control points before and after ``t``."""
    s = 1.0 - t

    def lerp(p, q):
        return (p[0] * s + q[0] * t, p[1] * s + q[1] * t)
    if len(seg) == 2:
        m = lerp(*seg)
        return [seg[0], m], [m, seg[1]]
    a, c, b = seg
    ac, cb = lerp(a, c), lerp(c, b)
    m = lerp(ac, cb)
    return [a, ac, m], [m, cb, b]


_HEAD = re.compile(r"^.*?(?=<svg\b)", re.S)
_ID = re.compile(r'\bid="([^"]+)"')
_IDREF = re.compile(r'(xlink:href="#|url\(#)([^")]+)')
_FONT = re.compile(r"font-family: ([^;\"]+)")
_LINK = re.compile(r'<a xlink:href="([^"]*)"(?: target="_blank")?')


def themed(svg: str, prefix: str, names: dict[str, str], alt: str) -> str:
    """SVG text ready to inline in a page: no XML prologue; ids prefixed (two inline SVGs on a
    page must not share ids); colours as CSS variables; the drawing named by ``alt`` (role
    group: it holds links, which role img would hide); each link named after its node
    (``names``: url -> accessible name, which says where the link leads), in the same tab
    (matplotlib opens every link in a new one)."""
    import html

    svg = _HEAD.sub("", svg, count=1)
    links = set(names)
    svg = _ID.sub(lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = _IDREF.sub(lambda m: m.group(0) if m.group(2) in {u.lstrip("#") for u in links}
                     else f"{m.group(1)}{prefix}-{m.group(2)}", svg)
    # SVG 2's href, which browsers and axe-core take for a link (an <a> with only xlink:href has
    # no link role for axe, so its aria-label was "prohibited")
    svg = _LINK.sub(lambda m: f'<a href="{m.group(1)}" aria-label="{html.escape(names.get(m.group(1), ""))}"', svg)
    for colour, var in PALETTE.items():
        svg = svg.replace(colour, f"var({var}, {colour})")
    # the labels are <text> (svg.fonttype none): in the page's CJK sans-serif stack (llmkb.css),
    # with the font matplotlib measured them in first
    svg = _FONT.sub(lambda m: f"font-family: var(--llmkb-graph-font, {m.group(1)})", svg)
    svg = svg.replace("<svg ", f'<svg role="group" aria-label="{html.escape(alt)}" class="llmkb-graph-svg" ', 1)
    return svg.replace("\r\n", "\n")


def edge_sentences(graph: nx.DiGraph) -> list[str]:
    """The text fallback: one sentence per relation, newer paper first, in date order."""
    out = []
    for a, b, data in sorted(graph.edges(data=True), key=lambda e: (graph.nodes[e[1]]["date"], e[1], e[0])):
        out.append(f"{graph.nodes[b]['text']} {data['verb']} {graph.nodes[a]['text']}".replace("） ", "）"))
    return out


def digest(graph: nx.DiGraph, extra: str = "") -> str:
    """What a drawing depends on: this module's code, the graph and ``extra`` (font, link scheme)."""
    import hashlib
    import inspect
    import json
    import sys

    data = json.dumps([sorted((k, sorted(d.items())) for k, d in graph.nodes(data=True)),
                       sorted((a, b, sorted((k, str(v)) for k, v in d.items())) for a, b, d in graph.edges(data=True))],
                      ensure_ascii=False)
    source = inspect.getsource(sys.modules[__name__])
    return hashlib.sha256(f"{source}\0{data}\0{extra}".encode()).hexdigest()


def graph_data(graph: nx.DiGraph) -> dict:
    """The graph as JSON-able data, nodes and edges in their order (:func:`graph_from` reverses it)."""
    return {"nodes": [[k, d] for k, d in graph.nodes(data=True)],
            "edges": [[a, b, d] for a, b, d in graph.edges(data=True)]}


def graph_from(data: dict) -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_nodes_from((k, d) for k, d in data["nodes"])
    graph.add_edges_from((a, b, d) for a, b, d in data["edges"])
    return graph


def topic_job(topic: str, graph: nx.DiGraph, links: dict[str, str] | None = None) -> dict:
    """Everything drawing a topic's graph needs, as JSON-able data: what the drawing process is
    sent (llmkb/plots/lineage_process.py). Each box links to ``links[key]``, by default the row
    on the same page (``#paper-<key>``)."""
    return {"topic": topic, "graph": graph_data(graph),
            "links": {k: (links or {}).get(k) or "#" + notes.row_id(k) for k in graph}}


def topic_file(job: dict) -> tuple[str, str]:
    """(file name, inputs) of the job's drawing in the figure cache (plots.cached_svg)."""
    from . import fonts

    graph = graph_from(job["graph"])
    return f"lineage-{job['topic']}.svg", digest(graph, f"{fonts.font_file()} {sorted(job['links'].items())}")


def draw_topic(job: dict) -> str:
    """The job's graph as themed SVG text (matplotlib: ~0.1–0.3 s a graph)."""
    from . import fonts, markup

    graph, links = graph_from(job["graph"]), job["links"]
    names = {url: f"{graph.nodes[k]['text']}：" + ("本页表格中的这一行" if url.startswith("#") else "论文目录中的这一行")
             for k, url in links.items()}
    pos = layered_layout(graph)
    svg = draw(graph, pos, fonts.cjk_family(), link=lambda k: links[k],
               legend=[v for v in VERB_STYLE if any(d["verb"] == v for _, _, d in graph.edges(data=True))])
    return themed(markup.slim(svg), f"lineage-{job['topic']}", names, alt(graph))


def topic_svg(srcdir, job: dict) -> str:
    """The job's graph as themed SVG text, read from the figure cache or drawn here (and kept)."""
    from . import cached_svg

    return cached_svg(srcdir, *topic_file(job), lambda: draw_topic(job))


def alt(graph: nx.DiGraph) -> str:
    count = {v: sum(1 for *_, d in graph.edges(data=True) if d["verb"] == v) for v in VERB_STYLE}
    kinds = "、".join(f"{v} {n} 条" for v, n in count.items() if n)
    return (f"论文谱系图：{graph.number_of_nodes()} 篇论文、{graph.number_of_edges()} 条关系（{kinds}），"
            "箭头从较早的论文指向在它之上工作的论文；每个方框链接到本页表格中的这一行，文字版在图下")


def path_svg(srcdir, title: str, graph: nx.DiGraph, links: dict[str, str]) -> str:
    """A reading path as themed SVG text: steps top to bottom, each box a link (``links``)."""
    import hashlib

    from . import cached_svg, fonts, markup

    slug = hashlib.sha256(title.encode()).hexdigest()[:10]
    names = {url: "第 " + graph.nodes[k]["label"].replace(". ", " 步：", 1) for k, url in links.items() if k in graph}

    def make() -> str:
        pos = layered_layout(graph, down=True)
        svg = draw(graph, pos, fonts.cjk_family(), link=lambda k: links.get(k, ""), down=True)
        return themed(markup.slim(svg), f"path-{slug}", names,
                      f"学习路线「{title}」：{graph.number_of_nodes()} 步，自上而下；实线箭头连着相邻两步，"
                      "虚线箭头是后一步要用到的先修页面或论文；每个方框链接到那一页或那篇论文，文字版在图下")

    return cached_svg(srcdir, f"path-{slug}.svg", digest(graph, f"{fonts.font_file()} {sorted(links.items())} {title}"), make)
