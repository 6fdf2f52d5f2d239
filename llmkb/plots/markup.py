"""Leaner SVG markup for the figures matplotlib draws, with the same pixels.

matplotlib's SVG backend wraps every artist in a ``<g id="patch_7">``/``<g id="text_3">``, gives
each line of a linked text its own ``<a>``, and adds an RDF ``<metadata>`` block: on a topic page
of the 10,000-paper book a 60-box lineage graph was ~675 DOM elements (issue 19: pages of
<= 5,000), and half of them draw nothing. ``slim`` rewrites the SVG text without them:

- ``<metadata>`` goes (the RDF names matplotlib as the creator; nothing renders it);
- a ``<g>`` with no attribute but an id nothing refers to is replaced by its children, and one
  that only clips a single untransformed, unclipped child hands the ``clip-path`` to that child;
- neighbouring ``<a>`` with the same attributes (a linked text's box and its lines) become one
  link: one keyboard stop per box instead of one per line, the same href and name;
- matplotlib's invisible background (a ``<path style="fill: none"/>`` that nothing strokes)
  goes, as does the identity ``transform="rotate(-0 x y)"`` on every unrotated text;
- all ``<defs>`` become one; ids nothing refers to, path data's line breaks and the whitespace
  between elements go.

Paint order is kept (no element moves past another it could overlap), so the drawing is pixel
for pixel the same (tests/browser/test_notes.py compares screenshots). The output is
deterministic: the same input gives the same bytes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
_PREFIXES = {SVG: "", XLINK: "xlink", "http://www.w3.org/XML/1998/namespace": "xml"}
#: elements whose text is content (drawn or styling): their whitespace is kept as written
_TEXTUAL = {f"{{{SVG}}}{name}" for name in ("text", "tspan", "style", "title", "desc", "textPath")}
_G, _A, _DEFS, _PATH = (f"{{{SVG}}}{name}" for name in ("g", "a", "defs", "path"))
_METADATA = f"{{{SVG}}}metadata"
_HREF = f"{{{XLINK}}}href"
_IDENTITY_ROTATION = re.compile(r"rotate\(-?0(?:\.0*)?(?:[ ,][^)]*)?\)")
_REFERENCE = re.compile(r"url\(#([^)]+)\)")
#: attributes that would move a <g>'s clip-path with its child if it were moved onto it (a <use>'s
#: x and y translate what it draws and, in chromium and librsvg, its clip too)
_CLIP_SENSITIVE = ("clip-path", "transform", "mask", "filter", "x", "y")


def slim(svg: str) -> str:
    """``svg`` (matplotlib's output, with or without its XML prologue, which is kept as it is)
    with the markup described in the module's docstring removed or merged."""
    start = svg.find("<svg")
    if start < 0:
        raise ValueError("slim: no <svg> element in the text given")
    head, root = svg[:start], ET.fromstring(svg[start:])
    referenced = _referenced(root)
    _tidy(root, referenced, styled=False)
    _merge_defs(root)
    return head + _serialise(root) + "\n"


def _referenced(root: ET.Element) -> set[str]:
    ids = set()
    for el in root.iter():
        for name, value in el.attrib.items():
            ids.update(_REFERENCE.findall(value))
            if name in (_HREF, "href") and value.startswith("#"):
                ids.add(value[1:])
    return ids


def _tidy(el: ET.Element, referenced: set[str], styled: bool) -> None:
    """Slim ``el``'s subtree in place; ``styled``: an ancestor sets a style (which an
    invisible-looking path could inherit a stroke from)."""
    textual = el.tag in _TEXTUAL
    if not textual and el.text is not None and not el.text.strip():
        el.text = None
    styled = styled or "style" in el.attrib or "stroke" in el.attrib
    children: list[ET.Element] = []
    for child in list(el):
        if child.tag == _METADATA:
            continue
        if not textual and child.tail is not None and not child.tail.strip():
            child.tail = None
        _tidy(child, referenced, styled)
        if _invisible(child, referenced, styled):
            continue
        children.extend(_unwrapped(child, referenced))
    merged: list[ET.Element] = []
    for child in children:
        previous = merged[-1] if merged else None
        # two links in a row to the same place: one link (nothing is drawn between them)
        if (previous is not None and child.tag == previous.tag == _A and child.attrib == previous.attrib
                and previous.tail is None and child.text is None):
            previous.extend(list(child))
            previous.tail = child.tail
            continue
        merged.append(child)
    el[:] = merged
    if "id" in el.attrib and el.get("id") not in referenced:
        del el.attrib["id"]  # matplotlib names every artist ("line2d_3"); nothing refers to those names
    transform = el.get("transform")
    if transform is not None and _IDENTITY_ROTATION.fullmatch(transform.strip()):
        del el.attrib["transform"]
    if el.tag == _PATH and "d" in el.attrib:
        el.set("d", " ".join(el.get("d").split()))


def _unwrapped(el: ET.Element, referenced: set[str]) -> list[ET.Element]:
    """``el`` itself, or, for a <g> that carries nothing rendering needs, what it holds."""
    if el.tag != _G or el.text is not None or el.get("id") in referenced:
        return [el]
    attrs = {k: v for k, v in el.attrib.items() if k != "id"}
    if not attrs and el.tail is None:
        return list(el)
    if set(attrs) == {"clip-path"} and el.tail is None and len(el) == 1 and not any(k in el[0].attrib for k in _CLIP_SENSITIVE):
        child = el[0]
        child.set("clip-path", attrs["clip-path"])
        return [child]
    return [el]


def _invisible(el: ET.Element, referenced: set[str], styled: bool) -> bool:
    """matplotlib's figure and axes backgrounds drawn with no colour: a path that neither fills
    nor strokes (and inherits no stroke) paints nothing."""
    return (el.tag == _PATH and not styled and len(el) == 0 and el.get("id") not in referenced
            and set(el.attrib) <= {"d", "style", "id"} and el.get("style", "").strip().rstrip(";") == "fill: none")


def _merge_defs(root: ET.Element) -> None:
    defs = [child for child in root if child.tag == _DEFS]
    for extra in defs[1:]:
        defs[0].extend(list(extra))
        root.remove(extra)


def _qname(name: str) -> str:
    if not name.startswith("{"):
        return name
    uri, local = name[1:].split("}", 1)
    if uri not in _PREFIXES:
        raise ValueError(f"slim: element or attribute {local!r} in namespace {uri} — only SVG, XLink and "
                         "XML are written back; drop it before slim() or add its prefix to _PREFIXES")
    prefix = _PREFIXES[uri]
    return f"{prefix}:{local}" if prefix else local


def _escape(text: str, attribute: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if attribute else text


def _serialise(root: ET.Element) -> str:
    uses_xlink = any(name.startswith(f"{{{XLINK}}}") for el in root.iter() for name in el.attrib)
    namespaces = f' xmlns="{SVG}"' + (f' xmlns:xlink="{XLINK}"' if uses_xlink else "")
    out: list[str] = []

    def write(el: ET.Element, top: bool = False, in_text: bool = False) -> None:
        tag = _qname(el.tag)
        attrs = "".join(f' {_qname(k)}="{_escape(v, True)}"' for k, v in el.attrib.items())
        if not (top or in_text):
            out.append("\n")  # one element a line: readable, and one byte between elements
        out.append(f"<{tag}{namespaces if top else ''}{attrs}")
        if el.text is None and not len(el):
            out.append("/>")
        else:
            out.append(">" + _escape(el.text or ""))
            textual = in_text or el.tag in _TEXTUAL
            for child in el:
                write(child, in_text=textual)
            if len(el) and not textual:
                out.append("\n")
            out.append(f"</{tag}>")
        if el.tail:
            out.append(_escape(el.tail))

    write(root, top=True)
    return "".join(out)
