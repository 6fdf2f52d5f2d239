"""Lineage graphs and reading-path graphs: the DAG, its layout, the SVG and its text version."""

import math
import re

import networkx as nx
import numpy as np
import pytest
from conftest import require
from test_notes import bib  # tests/ is on sys.path (rootdir conftest)

from llmkb.bib import file as bibfile
from llmkb.bib import notes
from llmkb.bib.papers import Paper
from llmkb.plots import fonts, lineage


def papers(*extras):
    return [Paper(e) for e in bibfile.parse_text(bib(*extras)).entries]


LABELS = {"alpha2019one": "Alpha 2019", "beta2020two": "Beta 2020", "gamma2021three": "Gamma 2021"}


def graph():
    return lineage.topic_graph(papers("", "  relations = {改进:alpha2019one},\n",
                                      "  relations = {基于:beta2020two; 对比:alpha2019one},\n"),
                               "scaling-laws", LABELS)


def test_topic_graph_draws_relations_from_older_to_newer_and_skips_unrelated_papers():
    g = graph()
    assert sorted(g.edges(data="verb")) == [("alpha2019one", "beta2020two", "改进"),
                                            ("alpha2019one", "gamma2021three", "对比"),
                                            ("beta2020two", "gamma2021three", "基于")]
    # a citation label already holds the year: it is not repeated
    assert g.nodes["alpha2019one"]["label"] == "ALPHA2019ONE\n2019" and g.nodes["beta2020two"]["text"] == "BETA2020TWO（2020）"
    lonely = lineage.topic_graph(papers("", "  relations = {改进:alpha2019one},\n"), "scaling-laws", LABELS)
    assert set(lonely) == {"alpha2019one", "beta2020two"}  # gamma has no relation in the topic
    assert lineage.topic_graph(papers(), "scaling-laws", LABELS).number_of_nodes() == 0


def test_layout_columns_follow_years_and_every_arrow_points_right():
    g = nx.DiGraph()
    for key, date in [("a", "2017-06-12"), ("b", "2018-01-01"), ("c", "2018-05-01"), ("d", "2018-09-01"),
                      ("e", "2020-01-01")]:
        g.add_node(key, date=date)
    g.add_edges_from([("a", "b"), ("b", "c"), ("a", "e"), ("c", "d")])
    pos = lineage.layered_layout(g)
    assert all(pos[b][0] > pos[a][0] for a, b in g.edges)
    assert pos["a"][0] < pos["b"][0] < pos["c"][0] < pos["d"][0]  # same year, pushed right by relations
    assert pos["c"][0] == pos["e"][0] and abs(pos["c"][1] - pos["e"][1]) == 1.0  # rows one unit apart
    down = lineage.layered_layout(g, down=True)
    assert all(down[b][1] < down[a][1] for a, b in g.edges)  # top to bottom
    g.add_edge("d", "a")
    with pytest.raises(nx.NetworkXUnfeasible):
        lineage.layered_layout(g)


def test_svg_is_deterministic_linked_named_and_themed():
    g = graph()
    font = fonts.cjk_family()
    svg = lineage.draw(g, lineage.layered_layout(g), font, link=lambda k: "#" + notes.row_id(k), legend=["改进"])
    assert svg == lineage.draw(g, lineage.layered_layout(g), font, link=lambda k: "#" + notes.row_id(k), legend=["改进"])
    names = {"#paper-" + k: f"{k} 的行" for k in g}
    out = lineage.themed(svg, "lineage-x", names, "谱系图 <3 篇>")
    assert out.startswith('<svg role="group" aria-label="谱系图 &lt;3 篇&gt;" class="llmkb-graph-svg"')
    assert "<?xml" not in out and "target=" not in out  # same tab: matplotlib opened links in a new one
    links = re.findall(r'<a href="([^"]+)" aria-label="([^"]+)"', out)
    assert {href for href, _ in links} == {"#paper-alpha2019one", "#paper-beta2020two", "#paper-gamma2021three"}
    assert all(label == names[href] for href, label in links)
    ids = re.findall(r'\bid="([^"]+)"', out)
    assert ids and all(i.startswith("lineage-x-") for i in ids) and len(ids) == len(set(ids))
    refs = re.findall(r'(?:xlink:href="#|url\(#)([^")]+)', out)
    assert all(r in ids or r.startswith("paper-") for r in refs)  # every internal reference still resolves
    for colour, var in lineage.PALETTE.items():
        assert colour not in out.replace(f"var({var}, {colour})", "")  # every drawn colour follows the theme
    assert "var(--llmkb-graph-blue, #0072b2)" in out  # the 改进 arrow


def test_text_version_lists_each_relation_newer_paper_first():
    assert lineage.edge_sentences(graph()) == ["BETA2020TWO（2020）改进 ALPHA2019ONE（2019）",
                                               "GAMMA2021THREE（2021）对比 ALPHA2019ONE（2019）",
                                               "GAMMA2021THREE（2021）基于 BETA2020TWO（2020）"]
    assert lineage.alt(graph()).startswith("论文谱系图：3 篇论文、3 条关系（基于 1 条、改进 1 条、对比 1 条）")


def test_layout_is_the_same_whatever_the_hash_seed():
    """A column's boxes are ordered by date and key in every process: multipartite_layout grouped
    nodes named by an attribute into sets, so two builds drew the same graph differently (this
    test saw three different layouts in four processes before the fix)."""
    import json
    import os
    import subprocess
    import sys

    code = ("import json, networkx as nx; from llmkb.plots import lineage; g = nx.DiGraph(); "
            "[g.add_node(k, date=d) for k, d in [('b', '2020'), ('a', '2020'), ('c', '2020'), ('d', '2019'), ('e', '2021')]]; "
            "[g.add_edge('d', k) for k in 'abc']; g.add_edge('a', 'e'); "
            "print(json.dumps(sorted(lineage.layered_layout(g).items())))")
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3", "4")}
    assert len(runs) == 1
    pos = {k: tuple(v) for k, v in json.loads(runs.pop())}
    assert pos["a"][1] < pos["b"][1] < pos["c"][1]  # same date: by key, in the order of the layout's rows


def test_cap_keeps_the_most_related_papers_within_the_box_and_arrow_budget():
    g = nx.DiGraph()
    for i in range(30):  # a hub and its 29 followers, each also following the one before
        g.add_node(f"p{i:02d}", date=f"20{i:02d}-01-01")
        if i:
            g.add_edge("p00", f"p{i:02d}", verb="基于")
        if i > 1:
            g.add_edge(f"p{i - 1:02d}", f"p{i:02d}", verb="改进")
    assert lineage.cap(g, 60, 80) is g  # within budget: the graph itself
    small = lineage.cap(g, 10, 80)
    assert small.number_of_nodes() == 10 and "p00" in small  # the hub has the most relations
    few = lineage.cap(g, 60, 12)
    assert few.number_of_edges() <= 12 and all(few.degree(k) for k in few)
    assert lineage.cap(g, 10, 80).edges == lineage.cap(g, 10, 80).edges  # deterministic


def layered_graph() -> nx.DiGraph:
    """Nine papers over four years, Latin and Chinese labels of different widths; arrows to the
    next column, and bent ones across two and three columns, which meet boxes near their corners."""
    g = nx.DiGraph()
    for key, label, date in [("a", "Lewis 2020a", "2020-05-01"), ("b", "Transformer-XL\n2019", "2019-01-09"),
                             ("c", "检索增强生成\n2020", "2020-10-01"), ("d", "Izacard 2021", "2021-02-01"),
                             ("e", "Encoder-Decoder Gemma\n2021", "2021-07-01"), ("f", "RETRO\n2021", "2021-12-08"),
                             ("g", "Self-RAG\n2023", "2023-10-17"), ("h", "Li 2023b", "2023-03-01"),
                             ("i", "长上下文与检索\n2023", "2023-12-01")]:
        g.add_node(key, label=label, date=date, text=label.replace("\n", " "))
    for a, b, verb in [("b", "a", "基于"), ("b", "c", "改进"), ("a", "d", "基于"), ("a", "e", "对比"),
                       ("c", "f", "改进"), ("b", "g", "基于"), ("a", "h", "对比"), ("d", "i", "基于"),
                       ("e", "g", "改进"), ("f", "h", "基于"), ("b", "f", "对比"), ("c", "i", "基于")]:
        g.add_edge(a, b, verb=verb)
    return g


def drawn(svg: str):
    """The boxes (matplotlib Paths, in sorted node order) and the arrows' lines ((start, end, line
    width), in sorted edge order) of a drawing."""
    from matplotlib.path import Path

    def parse(d):
        vertices, codes = [], []
        for op, args in re.findall(r"([MLQz])([^MLQz]*)", d):
            nums = [float(v) for v in args.split()]
            points = list(zip(nums[0::2], nums[1::2]))
            if op == "z":
                vertices.append(vertices[0])
                codes.append(Path.CLOSEPOLY)
            else:
                vertices += points
                codes += {"M": [Path.MOVETO], "L": [Path.LINETO], "Q": [Path.CURVE3] * 2}[op]
        return Path(vertices, codes)

    boxes = [parse(d) for d in re.findall(r'<g id="patch_\d+">\s*<a [^>]*>\s*<path d="([^"]+)"', svg)]
    lines = re.findall(r'<path d="([^"]+)"\s*clip-path="[^"]*" style="fill: none;([^"]*)"', svg)
    return boxes, [(tuple(parse(d).vertices[0]), tuple(parse(d).vertices[-1]),
                    float(re.search(r"stroke-width: ([\d.]+)|$", style).group(1) or 1.0)) for d, style in lines]


@pytest.mark.parametrize("down", [False, True])
def test_every_arrow_starts_and_ends_just_outside_its_drawn_boxes(down):
    """The arrows are cut at the boxes as drawn: today's boxes measured by the SVG renderer (an
    earlier pass measured them with Agg, whose hinted widths differ by up to a pixel or so, and
    arrows ended under a box or short of it)."""
    g = layered_graph()
    if down:  # a reading path: steps top to bottom, the arrows that skip steps run out to the left
        for step, key in enumerate(sorted(g, key=lambda k: g.nodes[k]["date"])):
            g.nodes[key]["date"] = f"{step:02d}"
    svg = lineage.draw(g, lineage.layered_layout(g, down=down), fonts.cjk_family(), link=lambda k: "#" + k, down=down)
    boxes, arrows = drawn(svg)
    assert len(boxes) == g.number_of_nodes() and len(arrows) == g.number_of_edges()
    nodes = sorted(g)
    for (a, b), (start, end, width) in zip(sorted(g.edges), arrows):
        # between the box's outline and the arrow: half the outline's stroke (0.4 px) and the
        # arrow's shrinkA/shrinkB (1 px); at the end, the head's tip is drawn back by its stroke's
        # miter (0.5 * width / sin(head's half angle) = 1.12 * width), which reaches forward again
        for key, point, most in [(a, start, 1.5), (b, end, 1.5 + 1.12 * width)]:
            assert not any(box.contains_point(point) for box in boxes), (a, b, point)
            outline = [p for seg, _ in boxes[nodes.index(key)].iter_bezier() for p in seg(np.linspace(0, 1, 200))]
            gap = min(math.dist(point, p) for p in outline)
            assert 0.4 < gap < most, (a, b, key, point, gap)


def test_arrows_are_cut_where_matplotlibs_own_clipping_cuts_them():
    """lineage._Route (the arrows' connection style) gives the path matplotlib gives for
    FancyArrowPatch(patchA=..., patchB=...), which asks the box patches point by point: for
    straight and bent arcs and for the reading paths' arm routes, leaving and entering boxes by
    their sides and near their rounded corners."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import ConnectionStyle

    fig = Figure(figsize=(6, 4), dpi=72)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 6)
    ax.set_ylim(0, 4)
    family = [fonts.cjk_family() or "DejaVu Sans", "DejaVu Sans"]
    texts = {key: ax.text(x, y, label, ha="center", va="center", fontsize=lineage.FONT_SIZE, linespacing=1.25,
                          fontfamily=family, bbox=dict(boxstyle=f"round,pad={lineage.BOX_PAD}", linewidth=0.8))
             for key, x, y, label in [("a", 0.8, 2.0, "Lewis 2020a"), ("b", 2.6, 3.3, "检索增强生成\n2020"),
                                      ("c", 2.6, 2.0, "Encoder-Decoder Gemma\n2021"), ("d", 2.6, 0.7, "Li 2023b"),
                                      ("e", 4.8, 2.6, "RETRO\n2021"), ("f", 4.8, 1.2, "Self-RAG\n2023")]}
    outlines: dict = {}
    lineage._outliner()(texts, outlines).draw(FigureCanvasAgg(fig).get_renderer())
    cases = [(a, b, f"arc3,rad={rad}") for a in texts for b in texts if a < b for rad in (0.0, 0.08, 0.3, -0.3)]
    cases += [(a, b, f"arc,angleA=180,angleB=180,armA={arm},armB={arm},rad=6")
              for a, b in [("b", "c"), ("b", "d"), ("e", "f")] for arm in (60.0, 75.5)]
    for a, b, connection in cases:
        posA, posB = ax.transData.transform([texts[a].get_position(), texts[b].get_position()])
        ours = lineage._Route(connection, outlines, a, b)(posA, posB, shrinkA=1.0, shrinkB=1.0)
        theirs = ConnectionStyle(connection)(posA, posB, shrinkA=1.0, shrinkB=1.0,
                                             patchA=texts[a].get_bbox_patch(), patchB=texts[b].get_bbox_patch())
        assert ours.codes.tolist() == theirs.codes.tolist(), (a, b, connection)
        np.testing.assert_allclose(ours.vertices, theirs.vertices, atol=1e-6, err_msg=f"{a} -> {b} {connection}")


def test_each_label_is_measured_once_and_no_box_is_asked_about_points(monkeypatch):
    """The drawing's two costs before (issue 19: 30 graphs were ~11 s of a 67 s profiled build):
    a first pass measured every label with another renderer, and matplotlib's clipping asked
    the box patches (Patch.contains, which rebuilds the box's path) about each bisection point."""
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.backends.backend_svg import RendererSVG
    from matplotlib.patches import Patch

    measured = []
    for renderer in (RendererAgg, RendererSVG):
        def counted(self, s, prop, ismath, _measure=renderer.get_text_width_height_descent):
            measured.append(s)
            return _measure(self, s, prop, ismath)
        monkeypatch.setattr(renderer, "get_text_width_height_descent", counted)

    def asked(self, *args, **kwargs):
        raise AssertionError("a box was asked whether a point is inside it")
    monkeypatch.setattr(Patch, "contains", asked)
    g = layered_graph()
    lineage.draw(g, lineage.layered_layout(g), fonts.cjk_family(), link=lambda k: "#" + k)
    lines = {line for key in g for line in g.nodes[key]["label"].split("\n")}
    assert lines <= set(measured) and len(measured) == len(set(measured))


def test_the_cjk_font_is_registered_once_however_many_figures_ask():
    """Each figure asks for the CJK family; matplotlib's addfont re-reads the file and appends
    all its faces each time (a build's 66 graphs grew the font list by ~660 entries)."""
    from matplotlib import font_manager

    require(fonts.font_file() is not None, "no CJK font", fonts.HINT)
    first = fonts.cjk_family()
    size = len(font_manager.fontManager.ttflist)
    assert [fonts.cjk_family() for _ in range(5)] == [first] * 5
    assert len(font_manager.fontManager.ttflist) == size
    assert sum(e.fname == str(fonts.font_file()) for e in font_manager.fontManager.ttflist) >= 1
