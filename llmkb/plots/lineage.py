"""Graphs of papers and pages: a topic's lineage (from refs.bib ``relations``) and reading paths.

networkx holds the graph and lays it out: ``layered_layout`` puts each node in the column of
its year (pushed right where a relation needs it, in topological order) and spaces the columns
with ``nx.multipartite_layout``, so every arrow points rightwards, from the older paper to the
one that builds on, improves or compares with it. matplotlib draws it, each node a text box whose
link (``set_url``) leads to the paper's row on the page (``notes.row_id``).

The SVG is inlined in the page (an ``<img>`` would not follow its links), with its colours
turned into CSS variables (``themed``) so one drawing reads in the theme's light and dark
modes. The drawing is deterministic: the same graph gives the same bytes.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

import networkx as nx

from .. import notes
from ..papers import Paper

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


def topic_graph(papers: Sequence[Paper], topic: str, labels: dict[str, str]) -> nx.DiGraph:
    """The topic's papers that a relation links to another of its papers, and those relations,
    each edge drawn from the older paper to the newer one (the reverse of ``relations``)."""
    chosen = {p.key: p for p in papers if topic in p.topics}
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
        # 72 dpi: the SVG backend draws at 72 dpi, so the boxes' positions computed below by
        # draw_without_rendering are the ones the arrows are clipped against when saving
        fig = Figure(figsize=(width_in, height_in), dpi=72, facecolor="none")
        ax = fig.add_axes((0, 0, 1, 1 - legend_in / height_in))
        ax.set_xlim(left, right)
        ax.set_ylim(bottom, top)
        ax.set_axis_off()
        boxes = {}
        for key, (x, y) in sorted(inch.items()):
            t = ax.text(x, y, graph.nodes[key].get("label", key), ha="center", va="center", color="#1a1a1a",
                        linespacing=1.25, zorder=3,
                        bbox=dict(boxstyle="round,pad=0.35", facecolor="#fbfbfb", edgecolor="#555555", linewidth=0.8))
            url = link(key)
            if url:
                t.set_url(url)
                t.get_bbox_patch().set_url(url)
            boxes[key] = t
        fig.draw_without_rendering()
        for a, b, data in sorted(graph.edges(data=True)):
            colour, dash, lw = data.get("style") or VERB_STYLE.get(data.get("verb"), VERB_STYLE["基于"])
            if down and (a, b) in arms:
                arm = round(arms[(a, b)], 2)
                connection = f"arc,angleA=180,angleB=180,armA={arm},armB={arm},rad=6"
            else:
                connection = f"arc3,rad={_bend(spans[(a, b)])}"
            # add_artist, not add_patch: the limits are set above, and add_patch would clip the
            # arrow's Bézier path against both boxes once more only to update the data limits
            # (half the drawing time of a 60-box graph)
            ax.add_artist(FancyArrowPatch(
                inch[a], inch[b], patchA=boxes[a].get_bbox_patch(), patchB=boxes[b].get_bbox_patch(),
                arrowstyle="-|>", mutation_scale=9, color=colour, linestyle=dash, linewidth=lw,
                shrinkA=1, shrinkB=1, connectionstyle=connection, zorder=2))
        if legend:
            handles = [Line2D([], [], color=VERB_STYLE[v][0], linestyle=VERB_STYLE[v][1], linewidth=VERB_STYLE[v][2],
                              label=v) for v in legend]
            fig.legend(handles=handles, loc="upper center", ncol=len(handles), frameon=False,
                       bbox_to_anchor=(0.5, 1.0), labelcolor="#1a1a1a", handlelength=2.5)
        out = io.StringIO()
        fig.savefig(out, format="svg", metadata={"Date": None}, transparent=True)
    return out.getvalue()


_HEAD = re.compile(r"^.*?(?=<svg\b)", re.S)
_ID = re.compile(r'\bid="([^"]+)"')
_IDREF = re.compile(r'(xlink:href="#|url\(#)([^")]+)')
_FONT = re.compile(r"font-family: ([^;\"]+)")
_LINK = re.compile(r'<a xlink:href="([^"]*)"(?: target="_blank")?')


def themed(svg: str, prefix: str, names: dict[str, str], alt: str) -> str:
    """SVG text ready to inline in a page: no XML prologue; ids prefixed (two inline SVGs on a
    page must not share ids); colours as CSS variables; the drawing named by ``alt`` (role
    group: it holds links, which role img would hide); each link named after its node
    (``names``: url -> accessible name; the glyphs are paths, with no text to read), in the same
    tab (matplotlib opens every link in a new one)."""
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


def topic_svg(srcdir, topic: str, graph: nx.DiGraph, links: dict[str, str] | None = None) -> str:
    """The topic's lineage graph as themed SVG text, drawn (or read from the cache) for its page.
    Each box links to ``links[key]``, by default the row on the same page (``#paper-<key>``)."""
    from .. import fonts
    from . import cached_svg

    links = {k: (links or {}).get(k) or "#" + notes.row_id(k) for k in graph}
    names = {url: f"{graph.nodes[k]['text']}：" + ("本页表格中的这一行" if url.startswith("#") else "论文目录中的这一行")
             for k, url in links.items()}

    def make() -> str:
        pos = layered_layout(graph)
        svg = draw(graph, pos, fonts.cjk_family(), link=lambda k: links[k],
                   legend=[v for v in VERB_STYLE if any(d["verb"] == v for _, _, d in graph.edges(data=True))])
        return themed(svg, f"lineage-{topic}", names, alt(graph))

    return cached_svg(srcdir, f"lineage-{topic}.svg", digest(graph, f"{fonts.font_file()} {sorted(links.items())}"), make)


def alt(graph: nx.DiGraph) -> str:
    count = {v: sum(1 for *_, d in graph.edges(data=True) if d["verb"] == v) for v in VERB_STYLE}
    kinds = "、".join(f"{v} {n} 条" for v, n in count.items() if n)
    return (f"论文谱系图：{graph.number_of_nodes()} 篇论文、{graph.number_of_edges()} 条关系（{kinds}），"
            "箭头从较早的论文指向在它之上工作的论文；每个方框链接到本页表格中的这一行，文字版在图下")


def path_svg(srcdir, title: str, graph: nx.DiGraph, links: dict[str, str]) -> str:
    """A reading path as themed SVG text: steps top to bottom, each box a link (``links``)."""
    import hashlib

    from .. import fonts
    from . import cached_svg

    slug = hashlib.sha256(title.encode()).hexdigest()[:10]
    names = {url: "第 " + graph.nodes[k]["label"].replace(". ", " 步：", 1) for k, url in links.items() if k in graph}

    def make() -> str:
        pos = layered_layout(graph, down=True)
        svg = draw(graph, pos, fonts.cjk_family(), link=lambda k: links.get(k, ""), down=True)
        return themed(svg, f"path-{slug}", names,
                      f"学习路线「{title}」：{graph.number_of_nodes()} 步，自上而下；实线箭头连着相邻两步，"
                      "虚线箭头是后一步要用到的先修页面或论文；每个方框链接到那一页或那篇论文，文字版在图下")

    return cached_svg(srcdir, f"path-{slug}.svg", digest(graph, f"{fonts.font_file()} {sorted(links.items())} {title}"), make)
