"""Formulas drawn at build time: TeX to SVG with the vendored MathJax (``mathjax/``) in a process of
its own (:mod:`.render`), and the Sphinx side that sends each page's formulas there (:mod:`.svg`)."""
