extensions = ["myst_parser", "llmkb"]
bibtex_bibfiles = ["refs.bib"]
bibtex_default_style = "llmkb"
bibtex_cite_id = "cite-{key}"
suppress_warnings = ["bibtex.duplicate_citation"]
myst_enable_extensions = ["colon_fence", "dollarmath"]
exclude_patterns = ["_build"]
llmkb_plots = False
