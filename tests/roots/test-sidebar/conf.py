extensions = ["myst_parser", "llmkb.sphinx_ext.sidebar_cache"]
html_theme = "sphinx_book_theme"
exclude_patterns = ["_build"]
