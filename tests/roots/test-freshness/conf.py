extensions = ["myst_parser", "llmkb"]
bibtex_bibfiles = ["refs.bib"]
bibtex_default_style = "llmkb"
suppress_warnings = ["bibtex.duplicate_citation"]
myst_enable_extensions = ["colon_fence"]
exclude_patterns = ["_build"]
llmkb_plots = False
html_baseurl = "https://example.org/book/"
