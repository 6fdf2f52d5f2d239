extensions = ["myst_parser", "llmkb"]
bibtex_bibfiles = ["refs.bib"]
bibtex_default_style = "llmkb"
bibtex_cite_id = "cite-{key}"
# the paper index links every topic's page, which this tiny project does not have
suppress_warnings = ["bibtex.duplicate_citation", "ref.doc"]
myst_enable_extensions = ["colon_fence", "dollarmath"]
exclude_patterns = ["_build"]
llmkb_plots = False  # the chinchilla and milestone figures; the lineage graph is drawn all the same
