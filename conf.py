"""Sphinx configuration for llmkb.

Build with ``make html`` (which runs ``sphinx-build -c . docs _build/html``): the
configuration lives at the repository root next to refs.bib, the pages under
docs/, so URLs stay flat (``efficiency/peft.html``).
"""

from pathlib import Path

import llmkb

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
    "llmkb",
]

# --- MyST --------------------------------------------------------------------
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist", "attrs_inline", "fieldlist"]
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
html_theme_options = {
    "show_toc_level": 2,
    "home_page_in_toc": True,
    "use_download_button": False,
    "navigation_with_keys": False,
}
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]

# Copy buttons only on code and BibTeX, without prompts.
copybutton_exclude = ".linenos, .gp, .go"

# linkcheck is the only builder that touches the network (make linkcheck)
linkcheck_timeout = 15
linkcheck_retries = 2
