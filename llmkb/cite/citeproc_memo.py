"""Memoized style lookups for citeproc-py: the same output, a third of the time.

citeproc-py re-reads the parsed CSL style while it formats every item: each ``<text macro=...>``
runs an XPath query to find its ``<macro>`` (``CitationStylesElement.xpath_search``, via
``get_macro``), and each ``<group>`` asks every child again whether it calls a variable
(``calls_variable``, recursing through macros). Profiled on the book, these two were ~60% of
the time a reference takes. Both are pure functions of the parsed style tree:

* ``xpath_search(element, expression)`` depends on the tree and the expression only. The style
  is parsed once (render._style) and citeproc-py never edits it, with one exception: a
  ``<names>`` without a ``<name>`` child gets a default one inserted, once, the first time it
  renders (model.Names.process). None of the expressions citeproc-py queries selects a
  ``<name>`` (they find macros, layouts, locales, terms, dates, date-parts, substitutes,
  et-al and ancestors: see model.py), so that insertion changes no memoized result.
* ``calls_variable(element)`` depends on the element's attributes and descendants. ``Parent``
  (choose, if, layout, macro, substitute, ...) asks its children, ``Text`` its variable or macro;
  the inserted ``<name>`` sits in a ``<names>``, whose answer is always True.

Results are kept per element object; lxml returns the same Python proxy for a node while one
is referenced, and the memo's keys keep them referenced (citeproc-py itself relies on that: it
keeps state in proxies' attributes). tests/test_cite_memo.py formats every refs.bib entry and a
synthetic bibliography with and without the memo and asserts identical text.
"""

from __future__ import annotations

from typing import Callable

_ORIGINAL: dict[tuple[type, str], Callable] = {}
_XPATH: dict[tuple[object, str], list] = {}
_CALLS: dict[object, bool] = {}


def _targets():
    from citeproc import model

    return ((model.CitationStylesElement, "xpath_search"), (model.Parent, "calls_variable"),
            (model.Text, "calls_variable"))


def install() -> None:
    """Memoize the lookups (idempotent). Called before the first style is loaded."""
    if _ORIGINAL:
        return
    for cls, name in _targets():
        _ORIGINAL[cls, name] = cls.__dict__[name]
    from citeproc import model

    xpath = _ORIGINAL[model.CitationStylesElement, "xpath_search"]

    def xpath_search(self, expression):
        key = (self, expression)
        found = _XPATH.get(key)
        if found is None:
            found = _XPATH[key] = xpath(self, expression)
        return list(found)  # a fresh list: a caller may change what it gets

    def memo_calls(original):
        def calls_variable(self):
            found = _CALLS.get(self)
            if found is None:
                found = _CALLS[self] = original(self)
            return found
        return calls_variable

    model.CitationStylesElement.xpath_search = xpath_search
    model.Parent.calls_variable = memo_calls(_ORIGINAL[model.Parent, "calls_variable"])
    model.Text.calls_variable = memo_calls(_ORIGINAL[model.Text, "calls_variable"])


def uninstall() -> None:
    """citeproc-py as shipped (for the test that compares the two)."""
    for (cls, name), original in _ORIGINAL.items():
        setattr(cls, name, original)
    _ORIGINAL.clear()
    _XPATH.clear()
    _CALLS.clear()
