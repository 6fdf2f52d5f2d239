# llmkb — build the book and run the tests. Needs only python3 (>= 3.11) and make;
# the first run creates .venv and installs everything from pyproject.toml.

PYTHON     ?= python3
VENV       ?= .venv
BIN        := $(VENV)/bin
SOURCEDIR  := docs
BUILDDIR   ?= _build
SPHINXOPTS ?= -W --keep-going
SPHINXBUILD = $(BIN)/sphinx-build -c . $(SOURCEDIR)

.DEFAULT_GOAL := help
.PHONY: help html pdf epub test upstream-tests check fmt export livehtml linkcheck lighthouse bench clean distclean

help:  ## list the targets
	@echo "llmkb make targets:"
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | awk -F'\t' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.docs-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[docs]'
	@touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.docs-installed

html: $(VENV)/.docs-installed  ## build the book strictly into _build/html
	$(SPHINXBUILD) -b html $(SPHINXOPTS) $(BUILDDIR)/html
	@echo "The book is in $(BUILDDIR)/html/index.html"

# The PDF and EPUB editions (llmkb/sphinx_ext/editions.py): -t book starts from docs/book.md; their doctrees
# stay outside the output folder. pdf needs xelatex, latexmk and Noto CJK; epub checks itself with
# epubcheck when it is installed (README: Editions).
pdf: $(VENV)/.docs-installed  ## build the PDF edition strictly into _build/latex/llmkb.pdf
	$(SPHINXBUILD) -b latex -t book $(SPHINXOPTS) -d $(BUILDDIR)/doctrees-book $(BUILDDIR)/latex
	$(BIN)/python -m llmkb.sphinx_ext.editions pdf $(BUILDDIR)/latex
	@echo "The PDF is $(BUILDDIR)/latex/llmkb.pdf"

epub: $(VENV)/.docs-installed  ## build the EPUB edition strictly into _build/epub/llmkb.epub
	$(SPHINXBUILD) -b epub -t book $(SPHINXOPTS) -d $(BUILDDIR)/doctrees-book $(BUILDDIR)/epub
	$(BIN)/python -m llmkb.sphinx_ext.editions epubcheck $(BUILDDIR)/epub/llmkb.epub
	@echo "The EPUB is $(BUILDDIR)/epub/llmkb.epub"

test: $(VENV)/.test-installed upstream-tests  ## install the test dependencies and run the whole test suite
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# sphinxcontrib-bibtex's own test suite, which tests/test_upstream_bibtex.py runs against
# llmkb.sphinx_ext.fast_bibtex: downloads the sdist of exactly the installed version (pip download, PyPI) to a
# temporary directory and unpacks its test/ and pytest.ini into .venv/upstream-tests/; does nothing
# when that version's suite is already there (tests/upstream_bibtex_fetch.py)
upstream-tests: $(VENV)/.test-installed
	@$(BIN)/python tests/upstream_bibtex_fetch.py $(VENV)/upstream-tests

check: $(VENV)/.docs-installed  ## validate refs.bib (schema, duplicates, entries no page shows) and the pages' paper-tables and citations
	$(BIN)/python -m llmkb check

fmt: $(VENV)/.docs-installed  ## rewrite refs.bib in canonical form
	$(BIN)/python -m llmkb fmt

export: $(VENV)/.docs-installed  ## print refs.bib as citable BibTeX (python -m llmkb export --help)
	@$(BIN)/python -m llmkb export

# Besides docs/, every input the build reads: conf.py, refs.bib, CITATION.cff (the 引用本书 blocks),
# pyproject.toml ([tool.llmkb]) and the extension's code and data under llmkb/ (tests/test_preview.py)
livehtml: $(VENV)/.docs-installed  ## rebuild and reload the book in a browser while you edit (rebuilds in-process: llmkb/preview.py)
	$(BIN)/python -m llmkb.preview -c . $(SOURCEDIR) $(BUILDDIR)/html --watch conf.py --watch refs.bib \
		--watch CITATION.cff --watch pyproject.toml --watch llmkb --ignore '*/_generated/*' $(SPHINXOPTS)

linkcheck: $(VENV)/.docs-installed  ## check every external link (uses the network, which the build and the tests never do)
	$(SPHINXBUILD) -b linkcheck $(SPHINXOPTS) $(BUILDDIR)/linkcheck

lighthouse: html  ## Lighthouse scores and page weights of three pages (installs npm lighthouse locally)
	$(BIN)/python benchmarks/lighthouse.py $(BUILDDIR)/html

bench: $(VENV)/.test-installed  ## measure build speed, and the grown book's reader side (benchmarks/README.md; needs chromium)
	$(BIN)/python benchmarks/bench.py $(BENCH_ARGS)

clean:  ## remove the build output
	rm -rf $(BUILDDIR) $(SOURCEDIR)/_generated

distclean: clean  ## also remove the virtual environment
	rm -rf $(VENV)
