"""The llmkb Sphinx extension: wires refs.bib, paper tables, exports and search into a build."""

from __future__ import annotations

import atexit
import gc
import hashlib
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.errors import ExtensionError
from sphinx.util import logging

from .. import __version__
from ..bib import check as bib_check
from ..bib import notes, topics
from ..cite import dialog_files
from ..search import user_dict as search_dict
from . import (
    background,
    citation_style,
    feed,
    freshness,
    library,
    lineage_graphs,
    page_bib,
    page_source,
    paging,
    paper_table,
    row_citations,
    terminology,
)
from .directives import (
    CiteBookDirective,
    LineageGraphDirective,
    PaperIndexDirective,
    PaperListingDirective,
    PaperTableDirective,
    ReadingPathDirective,
    RecentPapersDirective,
)
from .watermark_demo import WatermarkDemoDirective

logger = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"


class BibSyntaxError(ExtensionError):
    category = "refs.bib cannot be read"


def bib_path(app: Sphinx) -> Path:
    files = app.config.bibtex_bibfiles or []
    if not files:
        raise ExtensionError("llmkb: set bibtex_bibfiles = ['refs.bib'] in conf.py")
    return (Path(app.confdir) / files[0]).resolve()


def _relpath(app: Sphinx, path: Path) -> str:
    return page_source.shown_path(path, Path(app.confdir).resolve())


def load_and_check(app: Sphinx, config) -> None:
    path = bib_path(app)
    if not path.is_file():
        raise BibSyntaxError(f"{path}: no such file — create it or fix bibtex_bibfiles in conf.py")
    bib = library.load(path)
    name = _relpath(app, path)
    problems = bib_check.check_bib(bib, name, require_summary=notes.summary_required(path))
    for p in problems[:bib_check.MAX_LISTED]:
        logger.warning(f"{p.key}: {p.message} — {p.fix}", location=f"{p.path}:{p.line}",
                       type="llmkb", subtype="bib")
    if len(problems) > bib_check.MAX_LISTED:
        logger.warning(f"… and {len(problems) - bib_check.MAX_LISTED:,} more problem(s) in {name} — "
                       "run `python -m llmkb check` for the list", type="llmkb", subtype="bib")
    fatal = [p for p in problems if p.fatal]
    if fatal:
        # pybtex (inside sphinxcontrib-bibtex) would stop at the first of these with a traceback,
        # or the figures would have nothing to draw: stop here, with every message
        listed = [str(p) for p in fatal[:bib_check.MAX_LISTED]]
        if len(fatal) > bib_check.MAX_LISTED:
            listed.append(f"… and {len(fatal) - bib_check.MAX_LISTED:,} more")
        raise BibSyntaxError("\n".join(listed))
    citation_style.LABELS.clear()
    citation_style.LABELS.update(citation_style.compute_labels(library.papers()))
    glossary = terminology.read(Path(app.srcdir))
    glossary_terms = terminology.terms(glossary.text) if glossary else []
    config.html_search_options = {**(config.html_search_options or {}),
                                  "dict": str(search_dict.write(Path(app.doctreedir), glossary_terms))}


def add_static(app: Sphinx) -> None:
    app.config.html_static_path.append(str(STATIC))


def plan_pages(app: Sphinx) -> None:
    """Share each page's rows out (llmkb/sphinx_ext/paging.py) and write the listing pages that hold the rest,
    before Sphinx looks for the pages to read."""
    budget = paging.Budget.from_config(app.config)
    plan = paging.make_plan(Path(app.srcdir), library.papers(), budget)
    paging.set_current(plan)
    paging.write_listings(Path(app.srcdir), plan)


#: the formatted references kept between builds, with the doctrees (cite.dialog)
CITE_CACHE = "llmkb-cite-cache.json"


def prepare_citations(app: Sphinx) -> None:
    """For HTML builders that keep the whole citation dialog in the page (EPUB), format every
    paper's GB/T 7714 and APA references before any page is written, in the main process, so
    parallel writers inherit them, from a cache kept with the doctrees (an ordinary paper takes
    ~0.3 ms, cite.fast_csl; one citeproc-py must format ~6 ms; an unchanged entry is never
    formatted again). The HTML site loads the dialogs from files: its references are formatted
    while the pages are written (``write_exports``)."""
    from ..cite import dialog

    if app.builder.format == "html" and app.builder.name not in dialog_files.BUILDERS:
        dialog.prepare(library.papers(), Path(app.doctreedir) / CITE_CACHE)


def check_shown(app: Sphinx, env) -> None:
    """Warn about entries no page (other than the paper index) shows or cites."""
    bib = library.bib()
    if bib is None or not env.found_docs:
        return
    index = library.index_pages(env)
    if not index:
        return  # a partial project (e.g. a test root) without the paper index
    shown = {k for doc, keys in library.shown_keys_by_doc(env).items() if doc not in index for k in keys}
    for p in bib_check.check_shown(bib, shown, _relpath(app, bib.path)):
        logger.warning(f"{p.key}: {p.message} — {p.fix}", location=f"{p.path}:{p.line}",
                       type="llmkb", subtype="unshown")


def check_bibliographies(app: Sphinx, env) -> None:
    """Warn about a bibliography on a page whose text cites nothing: it lists nothing (a table
    row cites its paper only where some text does, row_citations), and on a page without rows the
    link to the page's own reference files before it (link_page_bib) leads nowhere."""
    cited = library.cited_keys_by_doc(env)
    for docname in sorted({key.docname for key in env.get_domain("cite").bibliographies}):
        if not cited.get(docname):
            logger.warning(f"{page_source.EMPTY_BIBLIOGRAPHY} — {page_source.EMPTY_BIBLIOGRAPHY_FIX}",
                           location=(docname, None), type="llmkb", subtype="empty-bibliography")


def check_terms(app: Sphinx, env) -> None:
    """Warn about a non-canonical spelling of a glossary term in any page's prose. Every build
    scans every page (a regex pass over the sources, milliseconds), so an incremental build warns
    exactly as a clean one does, also after an edit to the glossary alone."""
    parts = sorted(doc for doc in env.found_docs if terminology.is_part(doc))
    if not parts:
        return  # a partial project (e.g. a test root) without the glossary
    glossary = terminology.join((doc, Path(env.doc2path(doc)).read_text(encoding="utf-8")) for doc in parts)
    pages = ((doc, Path(env.doc2path(doc)).read_text(encoding="utf-8"))
             for doc in sorted(env.found_docs - set(parts)))
    errors, findings = terminology.check_book(glossary, pages)
    for error in errors:
        logger.warning(f"{error.message} — {error.fix}", location=(error.doc, error.line),
                       type="llmkb", subtype="term")
    for docname, f in findings:
        logger.warning(f"{f.message()} — {f.fix()}", location=(docname, f.line), type="llmkb", subtype="term")


def check_reviewed(app: Sphinx, env) -> None:
    """Warn about a topic page without a valid ``reviewed:`` front-matter date."""
    for t in topics.TOPICS:
        if t.page in env.found_docs:
            problem = freshness.reviewed_problem(env.metadata.get(t.page, {}))
            if problem:
                logger.warning(problem, location=(t.page, 1), type="llmkb", subtype="freshness")


def check_prerequisites(app: Sphinx, env) -> None:
    """Warn about a topic page whose front matter lacks ``prerequisites``, names an unknown page
    or itself, or whose prerequisites form a cycle (reading_paths.prerequisite_problems)."""
    from . import reading_paths

    sources = {t.page: Path(env.doc2path(t.page)) for t in topics.TOPICS if t.page in env.found_docs}
    for doc, line, message in reading_paths.topic_page_problems(sources, env.found_docs):
        logger.warning(message, location=(doc, line), type="llmkb", subtype="prerequisites")


def add_freshness_line(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Under a topic page's first heading: its newest paper's date and its review date."""
    topic = next((t for t in topics.TOPICS if t.page == docname), None)
    section = next(iter(doctree.findall(nodes.section)), None)
    if topic is None or section is None or not isinstance(section[0], nodes.title):
        return
    reviewed = freshness.parse_date(app.env.metadata.get(docname, {}).get(freshness.FIELD, ""))
    text = freshness.line_text(freshness.newest_paper_date(library.papers(), topic.id),
                               reviewed.isoformat() if reviewed else "")
    if text:
        section.insert(1, nodes.paragraph(text, text, classes=["llmkb-freshness"]))


def link_page_bib(app: Sphinx, doctree: nodes.document) -> None:
    """Before each page's bibliography, link the page's own .bib download. (The paper index has
    no bibliography: its rows are the entries; its directive places the link itself.)"""
    from sphinxcontrib.bibtex.nodes import bibliography

    for node in list(doctree.findall(bibliography)):
        node.parent.insert(node.parent.index(node), page_bib.link_paragraph(app.env.docname))


def write_exports(app: Sphinx) -> None:
    """Every file an HTML build writes besides its pages: the citation dialogs' files (their
    references formatted first), the pages' reference files, paging's data file and the feed.
    They depend only on what reading produced; ``background`` writes them in a forked process
    while Sphinx writes the pages."""
    from ..cite import dialog

    if app.builder.name in dialog_files.BUILDERS:
        dialog.prepare(library.papers(), Path(app.doctreedir) / CITE_CACHE)
        dialog_files.write_files(app)
    page_bib.write_all(Path(app.outdir), library.papers(), library.shown_keys_by_doc(app.env))
    plan = paging.current()
    paging.write_data(Path(app.outdir), library.papers(), plan,
                      {doc: app.builder.get_target_uri(doc) for doc in set(plan.home.values())})
    if app.config.html_baseurl:  # the feed's links must be absolute: no base URL, no feed
        feed.write(Path(app.outdir), library.papers(), app.config.html_baseurl.rstrip("/") + "/")


def start_exports(app: Sphinx, env) -> None:
    # not for EPUB: it packs every file of its folder, and the exports must not be among them
    if app.builder.name in dialog_files.BUILDERS:
        background.start(app, write_exports)


def finish_exports(app: Sphinx, exception: Exception | None) -> None:
    if app.builder.format == "html":
        background.finish(app, exception, write_exports)


def link_feed(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Every page's head names the Atom feed, so feed readers find it from any page."""
    if app.config.html_baseurl:
        context["metatags"] = context.get("metatags", "") + feed.head_link(context["pathto"](feed.FILENAME, 1))


#: the class of a second-level section that holds a table of contents (llmkb.css)
CONTENTS_SECTION = "llmkb-contents"


def mark_contents_sections(app: Sphinx, doctree: nodes.document) -> None:
    """Class the second-level sections that hold a table of contents. llmkb.css lays the others
    out only near the viewport; a contents section stays laid out: until shown, a section is its
    guessed height with its content overflowing onto what follows, and the contents' stacked links
    then look overlapped to a target-size audit (Lighthouse's accessibility score). A class, not
    CSS's :has(), which EPUB's checker rejects."""
    for toctree in doctree.findall(addnodes.toctree):
        if toctree.get("hidden"):  # writes no HTML
            continue
        sections = [n for n in _ancestors(toctree) if isinstance(n, nodes.section)]
        if len(sections) >= 2 and CONTENTS_SECTION not in sections[-2]["classes"]:
            sections[-2]["classes"].append(CONTENTS_SECTION)


def _ancestors(node: nodes.Node):
    while node.parent is not None:
        node = node.parent
        yield node


#: CPython's collector thresholds during a build (see ``relax_gc``); mypy uses the same
GC_THRESHOLD = (200_000, 30, 30)


def relax_gc() -> None:
    """Collect cyclic garbage less often. A build keeps every doctree node alive (each links to
    its parent, so nodes form cycles), and the default collector (a pass every 700 allocations)
    kept rescanning hundreds of thousands of objects that are never garbage: a quarter or more
    of the 10,000-entry benchmark's build. A threshold someone already raised is left alone."""
    if gc.get_threshold()[0] < GC_THRESHOLD[0]:
        gc.set_threshold(*GC_THRESHOLD)


#: pages written between two full collections (``collect_written``)
COLLECT_EVERY = 20


def collect_written(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """With the collector relaxed (``relax_gc``), a page's doctree, once written, is cyclic garbage
    that the rare full collections leave in memory: the 10,000-entry book grew from 0.75 GB
    after reading to 1.1 GB while writing. A full collection every COLLECT_EVERY pages frees them."""
    app.llmkb_pages_written = getattr(app, "llmkb_pages_written", 0) + 1
    if app.llmkb_pages_written % COLLECT_EVERY == 0:
        gc.collect()


def unlink_doctree(document: nodes.document, *, empty: bool = False) -> None:
    """Cut the links from ``document``'s nodes back up the tree (each child's ``parent``, each
    node's ``document``), so that once nothing else holds it, reference counting frees the tree
    at once instead of leaving it to a full collection. With ``empty`` the elements' lists of
    children are emptied too, so the nodes are freed even while something cyclic (a writer's
    translator, say) still holds the root. A node that another tree has adopted since (its
    ``parent`` is not the element listing it) keeps its link and its children."""
    stack: list[nodes.Node] = [document]
    while stack:
        node = stack.pop()
        if node.__dict__.get("_document") is document:
            del node.__dict__["_document"]
        children = getattr(node, "children", None)
        if children:
            for child in children:
                if child.parent is node:
                    child.parent = None
                    stack.append(child)
            if empty:
                node.children = []


def free_written_doctrees(app: Sphinx) -> None:
    """``builder-inited``: once an HTML-family builder has written a page, empty the page's
    doctree (``unlink_doctree``). Sphinx loads each page's doctree afresh to write it and drops it
    afterwards, but the tree is cyclic, and the collections every COLLECT_EVERY pages
    (``collect_written``) found ~770,000 objects in the writing child of the 1,000-entry book
    (0.7-0.8 s of CPU); emptied, 0.35 s. Nothing reads a page's doctree once it is written (its
    search entries and its HTML are made before)."""
    builder = app.builder
    if not isinstance(builder, StandaloneHTMLBuilder):
        return
    write_doc = builder.write_doc

    def write_and_free(docname: str, doctree: nodes.document) -> None:
        write_doc(docname, doctree)
        unlink_doctree(doctree, empty=True)

    builder.write_doc = write_and_free


def collect_read_garbage(app: Sphinx, env) -> None:
    """Once reading is over, before the other env-updated handlers (priority 450): drop the
    pages' doctrees and collect what reading left as cyclic garbage. Here rather than just
    before the freeze: the MathJax and graph processes are often still drawing at this point,
    and render_pending and the graphs' collect wait for them; the collection now runs meanwhile
    instead of after."""
    # The pages' doctrees, kept by Sphinx from reading until each is written, are not long-lived:
    # frozen, a written page's doctree could never be freed. Without them Sphinx loads each
    # page's pickled doctree as it writes it, as with -j. Unlinked first, they are freed as the
    # cache is cleared: at 1,000 entries the full collection then finds ~230,000 objects instead
    # of ~700,000 and takes 0.3-0.4 s instead of 0.9-1.0 s (the unlinking ~0.1 s).
    cache = env._write_doc_doctree_cache
    for document in cache.values():
        unlink_doctree(document)
    cache.clear()
    gc.collect()


def freeze_read_heap(app: Sphinx, env) -> None:
    """Once reading is over, move everything alive into the collector's permanent generation
    (``gc.freeze``): the environment, the parsed library and the caches live until the build
    ends, yet every full collection while writing (``collect_written``, and CPython's own)
    traversed them all again — three collections were ~1 s of the 1,000-entry book's build.
    Runs after the other env-updated handlers (priority 900), whose results are long-lived too.
    The full collection ran before them (``collect_read_garbage``); what they left as garbage is
    young (the collector's first threshold is 200,000 allocations, ``relax_gc``), so collecting
    the two young generations keeps it from being frozen."""
    gc.collect(1)
    gc.freeze()


def unfreeze_heap(app: Sphinx, exception) -> None:
    """Back to normal when the build ends: a process that builds again (llmkb.preview, tests)
    would otherwise keep every earlier build's environment frozen, out of the collector's reach.
    The process freezes everything again as it exits (``freeze_at_exit``)."""
    gc.unfreeze()
    freeze_at_exit()


_freezes_at_exit = False


def freeze_at_exit() -> None:
    """Have the process freeze its heap as it exits (once, however many builds it ran).

    After the last ``atexit`` handler CPython tears down its modules and runs full collections
    on the way, each traversing every object still alive: the environment, the library, the
    caches. For the 1,000-entry book that was ~1 s of wall time after "build succeeded" (~1.8 s on
    a busy machine), spent finding garbage that the exiting process would drop anyway. Frozen
    objects are skipped by those collections; they are still freed by reference counting. The cost
    is that cyclic garbage left at exit is not collected, which CPython never promised (objects
    alive at exit need not be finalised); every file the build writes is closed when written."""
    global _freezes_at_exit
    if not _freezes_at_exit:
        atexit.register(gc.freeze)
        _freezes_at_exit = True


def source_env_version(package: Path = Path(__file__).parents[1]) -> int:
    """An environment version that changes whenever llmkb's Python source does. Doctrees pickle
    llmkb's node classes (paper rows, bibliography entries); an environment saved by an older
    llmkb would otherwise be unpickled by the new one and crash the build (``Can't get attribute
    ...``) or hand the writers nodes they no longer understand. A changed version makes Sphinx
    start from a fresh environment, as ``make clean`` would."""
    digest = hashlib.sha256()
    for source in sorted(package.rglob("*.py")):
        digest.update(source.relative_to(package).as_posix().encode() + b"\0" + source.read_bytes())
    return int.from_bytes(digest.digest()[:6], "big")


def setup(app: Sphinx) -> dict:
    relax_gc()
    app.setup_extension("sphinxcontrib.bibtex")
    app.setup_extension("llmkb.sphinx_ext.fast_bibtex")  # indexed, cached sphinxcontrib-bibtex (benchmarks/README.md)
    app.setup_extension("llmkb.sphinx_ext.bib_pybtex")  # sphinxcontrib-bibtex's data from llmkb's parse: one parse of refs.bib
    app.setup_extension("llmkb.math.svg")  # formulas drawn at build time: no maths script in the browser
    app.setup_extension("llmkb.sphinx_ext.safe_links")  # no link but http(s) or relative, whatever made it
    app.setup_extension("llmkb.sphinx_ext.social_cards")  # the preview cards' PNG files, fast compression
    app.add_config_value("llmkb_plots", True, "env", bool)
    # how many paper rows a page shows (llmkb/sphinx_ext/paging.py); a page within budget shows every row
    app.add_config_value("llmkb_page_rows", paging.Budget.page_rows, "env", int)
    app.add_config_value("llmkb_listing_rows", paging.Budget.listing_rows, "env", int)
    app.add_config_value("llmkb_index_rows", paging.Budget.index_rows, "env", int)
    app.add_config_value("llmkb_index_topic_rows", paging.Budget.index_topic_rows, "env", int)
    app.add_config_value("llmkb_part_topic_rows", paging.Budget.part_topic_rows, "env", int)
    app.add_config_value("llmkb_page_elements", paging.Budget.page_elements, "env", int)
    app.add_config_value("llmkb_graph_nodes", paging.GRAPH_NODES, "env", int)
    paper_table.setup_html(app)  # rows with data-* attributes, BibTeX blocks, the paper-index filter script
    # override: docutils' registries are global, and a second app in the same process (llmkb.preview,
    # a script that builds twice) would otherwise warn and keep the first app's classes
    app.add_directive("paper-table", PaperTableDirective, override=True)
    app.add_directive("paper-index", PaperIndexDirective, override=True)
    app.add_directive("paper-listing", PaperListingDirective, override=True)
    app.add_directive("recent-papers", RecentPapersDirective, override=True)
    app.add_directive("watermark-demo", WatermarkDemoDirective, override=True)
    app.add_directive("lineage-graph", LineageGraphDirective, override=True)
    app.add_directive("reading-path", ReadingPathDirective, override=True)
    app.add_directive("cite-book", CiteBookDirective, override=True)
    # priority 900: after conf.py has set bibtex_bibfiles, before sphinxcontrib-bibtex parses it
    app.connect("config-inited", load_and_check, priority=900)
    app.connect("builder-inited", add_static)
    app.connect("builder-inited", plan_pages)
    app.connect("html-page-context", paging.light_sidebar, priority=100)
    app.connect("html-page-context", paging.index_toc_parts, priority=100)  # the paper index's contents: its parts
    app.setup_extension("llmkb.sphinx_ext.figures")  # the build-time figures, drawn while the first pages are read
    app.connect("builder-inited", prepare_citations)
    app.connect("doctree-read", link_page_bib)
    page_bib.setup(app)  # ... its links laid out for the builder that writes the page
    app.connect("doctree-read", mark_contents_sections)
    row_citations.setup(app)  # a row cites its paper only where some text does
    lineage_graphs.setup(app)  # the lineage graphs drawn on a second core while the pages are read
    app.connect("env-purge-doc", library.purge_doc)
    app.connect("env-merge-info", library.merge_info)
    app.connect("env-check-consistency", check_shown)
    app.connect("env-check-consistency", check_bibliographies)
    app.connect("env-check-consistency", check_terms)
    app.connect("env-check-consistency", check_reviewed)
    app.connect("env-check-consistency", check_prerequisites)
    app.connect("doctree-resolved", add_freshness_line)
    app.connect("build-finished", finish_exports, priority=100)  # before anything that reads the files
    app.connect("html-page-context", link_feed)
    app.connect("html-page-context", collect_written)
    app.connect("env-updated", collect_read_garbage, priority=450)  # after row_citations.decide (400)
    app.connect("env-updated", freeze_read_heap, priority=900)
    app.connect("builder-inited", free_written_doctrees)
    app.connect("env-updated", start_exports, priority=950)  # after everything reading settles, and the freeze
    app.connect("build-finished", unfreeze_heap, priority=900)
    app.add_css_file("llmkb.css")
    app.add_js_file("llmkb-landing.js", defer="defer")  # a link to #row lands on it despite lazily laid-out sections
    app.setup_extension("llmkb.sphinx_ext.bib_deps")  # a refs.bib edit re-reads only the pages it concerns
    app.setup_extension("llmkb.search.chinese")  # jieba splits each distinct string once per build
    app.setup_extension("llmkb.search.scope")  # reference lists stay out of the search index
    app.setup_extension("llmkb.search.index_file")  # searchindex.js as UTF-8, not \uXXXX escapes
    app.setup_extension("llmkb.sphinx_ext.split_write")  # a serial HTML build writes its pages on both cores
    app.setup_extension("llmkb.sphinx_ext.sidebar_cache")  # the theme's sidebar built once per folder and parent
    app.setup_extension("llmkb.sphinx_ext.theme_templates")  # no blankness check of templates that cannot be blank
    app.setup_extension("llmkb.sphinx_ext.page_assets")  # no 1.5 MB icon script, search scripts only on search.html
    app.setup_extension("llmkb.sphinx_ext.incremental")  # rebuilds end with a clean build's search index and sitemap
    app.setup_extension("llmkb.sphinx_ext.glossary_ids")  # glossary anchors from English names: adding a term moves none
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True,
            "env_version": source_env_version()}
