"""The Sphinx build pieces: the extension that wires refs.bib into a build (:mod:`.extension`), the
directives and the paper tables they render, bibliographies (sphinxcontrib-bibtex made fast), the
reference files and assets each page gets, the checks a build runs on the pages, and the editions.

It reads :mod:`llmkb.bib` and is never imported by it. Named ``sphinx_ext``, not ``sphinx``, so that
``sphinx`` always means the library.
"""
