"""plots/markup.slim: matplotlib's SVG without the markup that draws nothing, painting the same.

Pixels are compared in a real browser by tests/browser/test_notes.py; here the drawing is compared
as what it paints: every element that draws, in paint order, with everything it inherits."""

import xml.etree.ElementTree as ET

import pytest
from test_lineage import layered_graph

from llmkb.plots import fonts, lineage, markup, timeline

SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
PAINTING = {f"{SVG}{tag}" for tag in ("path", "text", "use", "rect", "line", "polyline", "polygon", "circle", "ellipse", "image")}


def painted(svg: str) -> tuple[list[tuple], list[tuple]]:
    """Each element that draws, in document (paint) order, with the attributes of the groups it
    is in (a clip on a lone child counts as its group's), its own attributes (ids and identity
    rotations aside, path data with its whitespace compacted) and its text; and what <defs> hold,
    by id (what <use> and clip-path point at). matplotlib's invisible background (fill none, no
    stroke) draws nothing."""
    root = ET.fromstring(svg[svg.index("<svg"):])
    out = []

    def attributes(el):
        own = {k: v for k, v in el.attrib.items() if k != "id"}
        if own.get("transform", "").startswith("rotate(-0 "):
            del own["transform"]
        if "d" in own:
            own["d"] = " ".join(own["d"].split())
        return own

    def shape(el):
        return el.tag, sorted(attributes(el).items()), (el.text or "").strip(), [shape(c) for c in el]

    def walk(el, inherited):
        own = attributes(el)
        if el.tag in PAINTING:
            if not (el.tag == f"{SVG}path" and own.get("style") == "fill: none" and not inherited):
                clip = [f"clip-path={own.pop('clip-path')}"] if "clip-path" in own else []
                out.append((el.tag, tuple(inherited + clip), tuple(sorted(own.items())), (el.text or "").strip()))
            return
        if el.tag in (f"{SVG}defs", f"{SVG}metadata"):
            return
        # a link draws nothing (test_one_link_per_box... checks what it holds)
        chain = inherited + [f"{k}={v}" for k, v in own.items()] if el.tag == f"{SVG}g" else inherited
        for child in el:
            walk(child, chain)

    walk(root, [])
    defs = sorted((el.get("id"), shape(el)) for d in root.iter(f"{SVG}defs") for el in d if el.get("id"))
    return out, defs


def test_a_lineage_graph_paints_the_same_with_half_the_elements():
    g = layered_graph()
    raw = lineage.draw(g, lineage.layered_layout(g), fonts.cjk_family(), link=lambda k: "#paper-" + k,
                       legend=list(lineage.VERB_STYLE))
    slim = markup.slim(raw)
    assert painted(slim) == painted(raw)
    assert slim == markup.slim(raw) and markup.slim(slim) == slim  # deterministic, and already as slim as it gets
    count = [sum(1 for _ in ET.fromstring(s[s.index("<svg"):]).iter()) for s in (raw, slim)]
    # <svg>, <defs> with the stylesheet and the arrows' clip (<clipPath><rect>); two paths (line,
    # head) per arrow, a line and a word per legend entry; per box a link, its outline and a text per line
    lines = sum(len(g.nodes[k]["label"].split("\n")) for k in g)
    assert count[1] == 5 + 2 * g.number_of_edges() + 2 * len(lineage.VERB_STYLE) + 2 * len(g) + lines
    assert count[1] * 1.9 < count[0], count  # 133 -> 68 with matplotlib 3.11


def test_nothing_left_that_draws_nothing():
    g = layered_graph()
    root = ET.fromstring(markup.slim(lineage.draw(g, lineage.layered_layout(g), fonts.cjk_family(),
                                                  link=lambda k: "#paper-" + k, legend=["基于"])))
    tags = [el.tag for el in root.iter()]
    assert f"{SVG}metadata" not in tags and not any("rdf" in t or "purl.org" in t for t in tags)
    assert tags.count(f"{SVG}defs") == 1
    wrappers = [el.attrib for el in root.iter(f"{SVG}g") if set(el.attrib) <= {"id"}]
    assert wrappers == []
    assert not any(el.get("transform", "").startswith("rotate(-0") for el in root.iter())
    assert not any(el.get("style") == "fill: none" and el.tag == f"{SVG}path" and "stroke" not in el.get("style")
                   for el in root.iter())


def test_one_link_per_box_holding_its_box_and_its_lines():
    """Each box was one link for its outline and one per line of its label, all to the same row
    (three keyboard stops for a two-line box): now one link holds the box and its lines."""
    g = layered_graph()
    svg = markup.slim(lineage.draw(g, lineage.layered_layout(g), fonts.cjk_family(), link=lambda k: "#paper-" + k))
    names = {f"#paper-{k}": f"{g.nodes[k]['text']}：本页表格中的这一行" for k in g}
    out = lineage.themed(svg, "lineage-x", names, "谱系图")
    links = ET.fromstring(out).findall(f".//{SVG}a")
    assert [a.get("href") for a in links] == [f"#paper-{k}" for k in sorted(g)]
    for a, key in zip(links, sorted(g)):
        assert a.get("aria-label") == names[a.get("href")] and XLINK_HREF not in a.attrib
        assert [child.tag for child in a] == [f"{SVG}path"] + [f"{SVG}text"] * len(g.nodes[key]["label"].split("\n"))
        assert [t.text for t in a[1:]] == g.nodes[key]["label"].split("\n")


def test_a_clip_moves_onto_a_lone_child_only_where_it_clips_the_same():
    """A scatter marker is <g clip-path><use x y/></g>: a <use>'s x and y would move the clip with
    the marker (chromium and librsvg both drew the milestones timeline differently); a plain path
    takes the clip; a <g> something refers to stays."""
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
           '<defs><clipPath id="c"><rect x="0" y="0" width="5" height="5"/></clipPath><path id="m" d="M 0 0 L 1 1"/></defs>'
           '<g id="a" clip-path="url(#c)"><use xlink:href="#m" x="3" y="3"/></g>'
           '<g id="b" clip-path="url(#c)"><path d="M 0 0\n L 9 9"/></g>'
           '<g id="kept"><path d="M 1 1 L 2 2"/></g><use xlink:href="#kept"/>'
           '<text x="1" y="2">  two  spaces </text></svg>')
    out = markup.slim(svg)
    assert '<g clip-path="url(#c)">\n<use xlink:href="#m" x="3" y="3"/>\n</g>' in out
    assert '\n<path d="M 0 0 L 9 9" clip-path="url(#c)"/>' in out and 'id="b"' not in out
    assert '<g id="kept">' in out
    assert "<text x=\"1\" y=\"2\">  two  spaces </text>" in out  # a label's spaces are drawn


def test_the_file_figures_keep_their_prologue_and_glyphs(tmp_path):
    path = tmp_path / "t.svg"
    timeline.milestone_timeline([("GPT-3", "2020-05-28", "里程碑突破"), ("BERT", "2018-10-11", "奠基理论")], path,
                                fonts.cjk_family())
    raw = path.read_text(encoding="utf-8")
    slim = markup.slim(raw)
    assert slim.startswith(raw[:raw.index("<svg")]) and "<?xml" in slim  # a file of its own: prologue kept
    assert painted(slim) == painted(raw)
    assert slim.count("<use ") == raw.count("<use ") and "<metadata" not in slim
    assert len(slim) < len(raw) * 0.9


def test_unknown_markup_is_refused_by_name():
    with pytest.raises(ValueError, match=r"'thing' in namespace urn:x"):
        markup.slim('<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="urn:x"><x:thing/></svg>')
    with pytest.raises(ValueError, match="no <svg> element"):
        markup.slim("<html/>")
