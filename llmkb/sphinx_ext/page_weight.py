"""How many HTML elements a page has besides its paper tables, estimated from its MyST source (issue 19).

A reader's browser pays for every element of a page: the book keeps each page under 5,000 at any
size of refs.bib. A topic page's own prose, formulas and bibliography do not grow with the
library; its paper tables do. So paging gives a page's tables only the rows that fit under
``llmkb_page_elements`` once the page's own elements are counted (``paging.make_plan``). That
must be known before Sphinx reads any page — every page's links to a paper's row depend on
whether the row's page shows it — so it is estimated here from the source, with regular
expressions (MyST's own parse of every page took 0.4 s, on every build, incremental ones too):

* a formula is its MathML (about one element per TeX token) and its SVG: 5 + its tokens;
* a non-blank line is a paragraph, a list item or a line of a display, with its inline markup: 3;
  a row of a Markdown table adds its cells; a line of highlighted code, its coloured spans: 1;
* a cited paper is a citation link and an entry in the page's bibliography: 11;
* a section heading is the heading, its anchor link and its line in the page's contents: 3;
* a lineage graph is its boxes and arrows, with its text version: 20, and 4 per box and per arrow
  it will draw (``graph_size``: known from refs.bib, and capped, so a graph of a large library
  weighs at most 20 + 4 × 60 + 4 × 80 = 580);
* the theme's header, sidebars and footer, and what every topic page has: 500 in a book of 70
  pages, and 2 more for each further page (the sidebar lists them all).

The weights are the book's own, fitted on its 54 topic pages (December 2026) built twice, as they
are and with refs.bib grown to 10,000 entries (their graphs full), and rounded so that the
estimate errs high: by 186 elements on average, at most 438, and low by at most 39.
tests/test_page_weight.py checks it against every built topic page of the book.
"""

from __future__ import annotations

import re
from typing import Callable

#: the theme's header, navigation, sidebars and footer on a topic page, and the fixed parts of the
#: page (its bibliography's and its graph's sections); fitted, as the weights below, when the book
#: had CHROME_PAGES pages
CHROME = 500
CHROME_PAGES = 70
#: the sidebar lists every page of the book on every page, each as a list item and its link: 88
#: entries were 209 of the paper index's elements in December 2026, when ten new pages had put
#: its estimate 29 under the built page
PER_NAV_PAGE = 2
PER_LINE = 3
PER_CITED = 11
PER_HEADING = 3
PER_FORMULA = 5
#: per line of a fenced code block with a language: Pygments' spans
PER_CODE_LINE = 1
#: a lineage graph (llmkb/plots/lineage.py): its figure, and per box (a box, its label, a line of
#: the text version) and per arrow
GRAPH = 20
PER_GRAPH_NODE = 4
PER_GRAPH_EDGE = 4

#: ``$$…$$`` (may span lines) or ``$…$`` on one line, as dollarmath reads them
_MATH = re.compile(r"\$\$(?P<display>.+?)\$\$|(?<![\\$])\$(?P<inline>[^$\n]+?)\$", re.S)
#: what MathJax makes one MathML element of, roughly: a command, an escaped character, a letter,
#: a number, any other character except grouping and script marks (counted once per script below)
_TEX_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|[A-Za-z]|\d+(?:\.\d+)?|[^\s{}_^&]")
_GRAPH = re.compile(r"^[ \t]*(?::{3,}|`{3,})\{lineage-graph\}[^\n]*\n(?:[ \t]*:[A-Za-z0-9_-]+:[^\n]*\n)*?"
                    r"[ \t]*:topic:[ \t]*(?P<topic>[^\s]+)", re.M)
_CITE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]*)`")
_HEADING = re.compile(r"^#{2,3} ", re.M)
_CODE = re.compile(r"^(?P<fence>`{3,}|~{3,})[ \t]*(?P<lang>[A-Za-z][\w+-]*)[^\n]*\n(?P<body>.*?)^(?P=fence)[ \t]*$",
                   re.M | re.S)


def formula_elements(tex: str) -> int:
    """Elements of one formula as llmkb.math draws it: container, SVG and its paths, MathML."""
    return PER_FORMULA + len(_TEX_TOKEN.findall(tex)) + tex.count("_") + tex.count("^")


def chrome(pages: int | None = None) -> int:
    """The theme's elements on a page of a book of ``pages`` pages (default: CHROME_PAGES)."""
    return CHROME + PER_NAV_PAGE * ((CHROME_PAGES if pages is None else pages) - CHROME_PAGES)


def own_elements(text: str, graph_size: Callable[[str], tuple[int, int]] | None = None,
                 pages: int | None = None) -> int:
    """The estimated elements of a page whose MyST source is ``text``, paper tables left out
    (``graph_size``: topic -> the boxes and arrows its lineage graph will draw; without it a
    graph counts as empty; ``pages``: the book's pages, each a line in every page's sidebar)."""
    total = chrome(pages)
    for m in _MATH.finditer(text):
        total += formula_elements(m["display"] or m["inline"])
    for line in text.splitlines():
        stripped = line.strip()
        if stripped:
            total += PER_LINE + (max(stripped.count("|") - 1, 0) if stripped.startswith("|") else 0)
    for m in _CODE.finditer(text):
        total += PER_CODE_LINE * m["body"].count("\n")
    cited = {key.strip() for m in _CITE.finditer(text) for key in m[1].split(",") if key.strip()}
    total += PER_CITED * len(cited) + PER_HEADING * len(_HEADING.findall(text))
    for m in _GRAPH.finditer(text):
        boxes, arrows = graph_size(m["topic"]) if graph_size else (0, 0)
        total += GRAPH + PER_GRAPH_NODE * boxes + PER_GRAPH_EDGE * arrows
    return total
