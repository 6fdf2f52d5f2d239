"""Sphinx configuration for llmkb.

Build with ``make html`` (which runs ``sphinx-build -c . docs _build/html``): the
configuration lives at the repository root next to refs.bib, the pages under
docs/, so URLs stay flat (``efficiency/peft.html``).
"""

import logging
import os
import re
import sys
from pathlib import Path
from urllib.parse import urlparse

from markupsafe import Markup

# This checkout's llmkb, whichever checkout the virtualenv was installed from: an editable install
# points at one folder, so a second clone or git worktree sharing the venv built with the first
# one's code (its topics, directives and checks), or failed once that folder was gone.
sys.path.insert(0, str(Path(__file__).resolve().parent))

import llmkb  # noqa: E402
from llmkb.plots import fonts  # noqa: E402
from llmkb.sphinx_ext import editions  # noqa: E402

project = "llmkb 大模型知识库"
author = "llmkb contributors"
copyright = "2026, llmkb contributors"
version = release = llmkb.__version__
language = "zh_CN"

extensions = [
    "myst_parser",
    "sphinx_design",
    "sphinx_copybutton",
    "sphinxcontrib.bibtex",
    "sphinxext.opengraph",
    "sphinx_sitemap",
    "notfound.extension",
    "llmkb",
]

# --- MyST --------------------------------------------------------------------
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist", "attrs_inline", "fieldlist",
                          "substitution"]
myst_heading_anchors = 3

# --- papers: refs.bib is the single source of truth -----------------------------
bibtex_bibfiles = ["refs.bib"]  # relative to this file
bibtex_default_style = "llmkb"  # unique "Family Year" labels across the book
bibtex_reference_style = "label"
bibtex_cite_id = "cite-{key}"  # stable anchors: page.html#cite-hu2021lora
# Every page has its own bibliography (":filter: docname in docnames"), so a paper cited
# on two pages is listed twice by design; citations resolve to the same page first.
suppress_warnings = ["bibtex.duplicate_citation"]

# --- HTML ----------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = "llmkb 大模型知识库"
# git keeps no empty folder: list docs/_static only once it holds a file
html_static_path = [p for p in ["docs/_static"] if any((Path(__file__).parent / p).glob("*"))]
templates_path = ["docs/_templates"]
html_last_updated_fmt = ""
html_copy_source = False
html_show_sourcelink = False
html_favicon = "docs/_static/favicon.svg"
html_theme_options = {
    "show_toc_level": 2,
    # the sidebar's title already links the home page; listing it again showed the title twice
    "home_page_in_toc": False,
    # the search field lives in the sidebar (and behind the article header's button on phones):
    # the theme's header bar held only a second one
    "navbar_persistent": [],
    "use_download_button": False,
    "navigation_with_keys": False,
    # The version menu is Read the Docs' own (latest = main, stable = newest tag): the theme's
    # switcher stays off, so no page ever fetches a switcher JSON.
    "footer_content_items": ["copyright.html", "llmkb-version-footer.html"],
}
# without it the theme logs a console error on a reader's first visit ("invalid theme mode")
html_context = {"default_mode": "auto"}

# --- where the sources live: the theme's "edit this page" and the book's 报告错误 link ----------
# Read the Docs names the repository it builds from (READTHEDOCS_GIT_CLONE_URL, e.g.
# https://github.com/owner/llmkb.git) and the branch or tag (READTHEDOCS_GIT_IDENTIFIER), so every
# hosted version links its own sources; a local build links the project's home repository.
REPOSITORY_URL = re.sub(r"\.git$", "", os.environ.get("READTHEDOCS_GIT_CLONE_URL") or "https://github.com/llmkb/llmkb")
REPOSITORY_BRANCH = os.environ.get("READTHEDOCS_GIT_IDENTIFIER") or "main"
html_theme_options.update({
    "repository_url": REPOSITORY_URL,
    "repository_branch": REPOSITORY_BRANCH,
    "path_to_docs": "docs",
    "use_edit_page_button": True,
    "article_footer_items": ["llmkb-report-error.html"],
})
html_context["llmkb_new_issue_url"] = REPOSITORY_URL + "/issues/new"
html_sidebars = {
    "**": ["llmkb-sidebar-title.html", "search-button-field.html", "sbt-sidebar-nav.html", "llmkb-version.html"],
}
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]

# --- the PDF and EPUB editions: make pdf / make epub build with -t book (llmkb/sphinx_ext/editions.py) ---
# Their root is docs/book.md (preface, parts, appendix); the HTML book never reads it.
BOOK = tags.has("book")  # noqa: F821 (Sphinx defines tags in conf.py)
if BOOK:
    root_doc = "book"
    exclude_patterns += [f"{doc}.md" for doc in editions.ONLINE_ONLY]
    extensions += ["sphinxcontrib.rsvgconverter", "llmkb.sphinx_ext.editions"]
else:
    exclude_patterns += ["book.md", "preface.md"]
epub_basename = "llmkb"
epub_language = "zh-CN"  # a BCP 47 tag: Sphinx's language "zh_CN" is not one
epub_author = epub_publisher = author
epub_copyright = copyright
epub_show_urls = "no"
epub_exclude_files = ["search.html", "_static/llmkb-search.js"]
latex_engine = "xelatex"
latex_documents = [("book", editions.TEX_FILE, project, author, "manual")]
latex_docclass = editions.LATEX_DOCCLASS
latex_toplevel_sectioning = "part"
latex_elements = editions.LATEX_ELEMENTS
latex_use_xindy = False
latex_domain_indices = False
latex_show_urls = "no"

# --- where the book lives: Read the Docs sets READTHEDOCS_CANONICAL_URL ----------
# (https://<project>.readthedocs.io/<lang>/<version>/); social metadata, the sitemap and the
# 404 page's links all follow it. Locally the 404 page links from the site root.
SITE_URL = os.environ.get("READTHEDOCS_CANONICAL_URL") or "https://llmkb.readthedocs.io/zh-cn/latest/"
html_baseurl = SITE_URL
llmkb_site_url = SITE_URL  # the editions link the pages they leave out here (llmkb/sphinx_ext/editions.py)
# the PDF and EPUB of this version, as Read the Docs serves them: {{ pdf_download }} in a page
_DOWNLOADS = editions.download_urls(SITE_URL)
myst_substitutions = {
    "pdf_download": f"[PDF 版]({_DOWNLOADS['pdf']})",
    "epub_download": f"[EPUB 版]({_DOWNLOADS['epub']})",
}

# sphinxext-opengraph: <meta property="og:*"> and a social card image per page, drawn with
# matplotlib in the book's CJK font so Chinese titles never render as boxes.
ogp_site_url = SITE_URL
ogp_site_name = project
# matplotlib wraps only at spaces, which Chinese has none of: keep the card description to one line.
if fonts.font_file():
    ogp_social_cards = {"font": fonts.cjk_family(), "line_color": "#2e6f9e", "description_max_length": 45}
else:
    ogp_social_cards = {"enable": False}
# The CJK font may come in one weight only: the cards' bold titles use it as is, without a log line per page.
logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)

# sphinx-sitemap: sitemap.xml with absolute URLs under SITE_URL (no git, no network)
sitemap_url_scheme = "{link}"
sitemap_locales = [None]
sitemap_excludes = ["search.html", "genindex.html", "404.html"]

# No general index page: every entry it listed was a glossary term (611 in December 2026), ordered by
# the first Chinese character, on one page of 4,576 HTML elements that no page linked. The glossary, in
# the order of the English names, and the search (every term is a result) are the book's index.
html_use_index = False

# sphinx-notfound-page: docs/404.md, with links that work from any missing URL
notfound_urls_prefix = urlparse(os.environ["READTHEDOCS_CANONICAL_URL"]).path if os.environ.get(
    "READTHEDOCS_CANONICAL_URL") else "/"

# Copy buttons only on code and BibTeX, without prompts.
copybutton_exclude = ".linenos, .gp, .go"

# linkcheck is the only builder that touches the network (make linkcheck)
linkcheck_timeout = 15
linkcheck_retries = 2


def _absolute_links_on_404(app, doctree, docname):
    """The 404 page is served at any missing URL: make its links absolute (notfound_urls_prefix)."""
    if docname != app.config.notfound_pagename:
        return
    from docutils import nodes

    prefix = app.config.notfound_urls_prefix or "/"
    for ref in doctree.findall(nodes.reference):
        uri = ref.get("refuri")
        if uri and not urlparse(uri).scheme and not uri.startswith(("/", "#")):
            ref["refuri"] = prefix + uri


_SIDEBAR_TOGGLE = re.compile(r'(<a class="[^"]*reference internal[^"]*" href="[^"]*">([^<]*)</a>\s*<details[^>]*>\s*)<summary>')


def _named_sidebar_toggles(app, pagename, templatename, context, doctree):
    """Give the sidebar's expand/collapse toggles an accessible name (the theme's are icon-only)."""
    generate = context.get("generate_toctree_html")
    if generate is None:
        return

    def named(*args, **kwargs):
        html = str(generate(*args, **kwargs))
        return Markup(_SIDEBAR_TOGGLE.sub(lambda m: f'{m.group(1)}<summary aria-label="展开或收起「{m.group(2).strip()}」">', html))

    context["generate_toctree_html"] = named


def setup(app):
    app.connect("doctree-resolved", _absolute_links_on_404)
    app.connect("html-page-context", _named_sidebar_toggles, priority=900)  # after the theme sets it
