"""The topic pages' lineage graphs, drawn on a second core while Sphinx reads the pages.

matplotlib takes 0.1–0.3 s a graph, ~30 graphs: seconds of a clean build, in the one process that
reads and writes every page. In a serial HTML build, before any page is read (``env-before-read-docs``),
the graph of every topic page to be read that is not in the figure cache (plots.cached_svg) is sent to a
``python -m llmkb.plots.lineage_process``: a graph depends only on refs.bib, the configuration and
the paging plan, all known by then, so the drawing overlaps the whole of reading. The
``lineage-graph`` directive leaves an empty figure for a graph sent (and sends one that was not);
once reading is over (``env-updated``) the drawings are collected into the cache, and
``doctree-resolved`` fills each figure from it. A graph the process could not draw, or one sent by
no process (parallel reading, a page written again without being read), is drawn there and then,
as before; a drawing that fails is reported where its graph is, and the page keeps the graph's
text version.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

from ..line_process import BuildProcess, LineProcess

logger = logging.getLogger(__name__)

#: the raw node attribute holding a figure's drawing job until the figure is filled
JOB = "llmkb_lineage_job"
#: builders whose figures may be drawn by the process (the editions keep lists, not graphs)
BUILDERS = frozenset({"html", "dirhtml"})


class LineageError(ExtensionError):
    category = "lineage graphs could not be drawn"


class DrawProcess(LineProcess):
    verb, item, error = "drew", "graphs", LineageError

    def __init__(self) -> None:
        super().__init__("llmkb.plots.lineage_process")
        self.jobs: list[dict] = []

    def send(self, job: dict) -> None:
        self.write([job])
        self.jobs.append(job)


def figure_html(svg: str) -> str:
    return f'<figure class="llmkb-graph"><div class="llmkb-graph-scroll" tabindex="0">{svg}</div></figure>\n'


def failure(topic: str, err: Exception) -> str:
    return (f"lineage-graph: the graph of topic '{topic}' cannot be drawn ({err}); "
            "the relations are listed as text — fix the problem `llmkb check` reports")


def topic_graph(app: Sphinx, topic: str):
    """(the topic's graph as drawn, capped to ``llmkb_graph_nodes``; how many papers have relations)."""
    from ..plots import lineage
    from . import citation_style, library, paging

    known = getattr(app, "llmkb_topic_graphs", None)
    if known is not None and topic in known:  # built for send_early, asked again by the directive
        return known[topic]
    graph = lineage.topic_graph(library.papers(), topic, citation_style.LABELS)
    result = lineage.cap(graph, app.config.llmkb_graph_nodes, paging.GRAPH_EDGES), graph.number_of_nodes()
    if known is not None:
        known[topic] = result
    return result


def links(app: Sphinx, graph, here: str) -> dict[str, str]:
    """A box whose paper the page's trimmed tables leave out links to its row on the listing page."""
    from ..bib import notes
    from . import paging

    plan, builder, out = paging.current(), app.builder, {}
    if builder.format == "html":
        for key in graph:
            doc = plan.row_doc(key, here)
            if doc and doc != here:
                out[key] = builder.get_relative_uri(here, doc) + "#" + notes.row_id(key)
    return out


def _defers(app: Sphinx) -> bool:
    return app.builder.name in BUILDERS and app.parallel <= 1


#: this build's drawing process, started by the first graph not in the cache
_PROCESS = BuildProcess("llmkb_lineage_process", lambda: DrawProcess())  # looked up when started: a test swaps it


def send_early(app: Sphinx, env, docnames: list[str]) -> None:
    """env-before-read-docs: send the graph of every topic page to be read whose drawing is not in
    the cache. (Not at builder-inited: an app made and never built would leave the process running.)"""
    import networkx as nx

    from .. import plots
    from ..bib import topics as T
    from ..plots import lineage

    app.llmkb_topic_graphs = {}  # this build's graphs (refs.bib may have changed since the last)
    if not _defers(app):
        return
    srcdir, reading = Path(app.srcdir), set(docnames)
    for topic in T.TOPICS:
        if topic.page not in reading:
            continue
        graph, _ = topic_graph(app, topic.id)
        if not graph.number_of_edges() or not nx.is_directed_acyclic_graph(graph):
            continue  # the directive says so, or reports the cycle
        job = lineage.topic_job(topic.id, graph, links(app, graph, topic.page))
        if plots.cached(srcdir, *lineage.topic_file(job)) is None:
            _PROCESS.get(app).send(job)


def figure(app: Sphinx, job: dict, defer: bool = True) -> nodes.raw:
    """The graph's figure: the cached drawing, or one left for the process to draw (``defer``), or
    drawn here (raises what drawing raises)."""
    from .. import plots
    from ..plots import lineage

    srcdir = Path(app.srcdir)
    name, inputs = lineage.topic_file(job)
    svg = plots.cached(srcdir, name, inputs)
    if svg is None and defer and _defers(app):
        process = _PROCESS.get(app)
        if job not in process.jobs:  # sent before reading, unless the page is not its topic's
            process.send(job)
        node = nodes.raw("", figure_html(""), format="html")
        node[JOB] = job
        return node
    return nodes.raw("", figure_html(svg if svg is not None else lineage.topic_svg(srcdir, job)), format="html")


def collect(app: Sphinx, env) -> None:
    """env-updated: keep what the process drew (in the figure cache, where the figures read it)."""
    from .. import plots
    from ..plots import lineage

    process = _PROCESS.take(app)
    if process is None:
        return
    for job, answer in zip(process.jobs, process.results()):
        if "svg" in answer:
            plots.store(Path(app.srcdir), *lineage.topic_file(job), answer["svg"])


def fill(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """doctree-resolved: put each left figure's drawing in (from the cache, or drawn now)."""
    from ..plots import lineage

    for node in list(doctree.findall(nodes.raw)):
        job = node.get(JOB)
        if job is None:
            continue
        del node[JOB]
        try:
            svg = lineage.topic_svg(Path(app.srcdir), job)
        except Exception as err:  # as the directive does: the text version stays
            logger.warning(failure(job["topic"], err), location=node, type="llmkb", subtype="lineage")
            node.parent.remove(node)
            continue
        node[:] = [nodes.Text(figure_html(svg))]


def setup(app: Sphinx) -> None:
    app.connect("env-before-read-docs", send_early, priority=600)  # after others have ordered the pages
    app.connect("env-updated", collect)
    app.connect("doctree-resolved", fill)
    app.connect("build-finished", _PROCESS.stop)
