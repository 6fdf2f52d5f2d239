"""Lineage graphs and reading-path graphs: the DAG, its layout, the SVG and its text version."""

import re

import networkx as nx
import pytest
from test_notes import bib  # tests/ is on sys.path (rootdir conftest)

from llmkb import bibfile, fonts, notes
from llmkb.papers import Paper
from llmkb.plots import lineage


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
