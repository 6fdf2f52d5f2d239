"""Read a page's source and check that it shows a recomputed number.

Every worked example in the book is recomputed from its formula by a test in this
package (one module per part of the book), and the test asserts that the page shows
the value it computed. So an edit that changes a number on the page without changing
the arithmetic (or the reverse) fails `make test`.

The check is on the MyST source, the text a contributor edits: a number shown in a
formula (``$1{,}024$``) and in prose (``1,024``) are both found, because ``shows``
compares with TeX's thousands separators, thin spaces and ``\\,`` removed.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs"

# TeX spacing and grouping that does not change the number a reader sees.
_TEX_NOISE = re.compile(r"\{,\}|\\[,;:! ]|\\thinspace|\\text\{\s*\}|~")


def normalise(text: str) -> str:
    """Page text with TeX thousands separators and spacing removed, whitespace collapsed."""
    text = _TEX_NOISE.sub(lambda m: "," if m.group(0) == "{,}" else " ", text)
    return re.sub(r"\s+", " ", text)


@lru_cache(maxsize=None)
def page(relpath: str) -> str:
    """The normalised source of ``docs/<relpath>``."""
    return normalise((DOCS / relpath).read_text(encoding="utf-8"))


def shows(text: str, *expected: str) -> None:
    """Assert that ``text`` contains every expected string (normalised the same way)."""
    missing = [e for e in expected if normalise(e) not in text]
    if missing:
        raise AssertionError(f"the page does not show {missing!r}: its number and the recomputed one differ")


def page_shows(relpath: str, *expected: str) -> None:
    """Assert that ``docs/<relpath>`` shows every expected string; the message names the page."""
    try:
        shows(page(relpath), *expected)
    except AssertionError as err:
        raise AssertionError(f"docs/{relpath}: {err}") from None


def fmt_int(n: int) -> str:
    """1234567 -> '1,234,567' (the book's way of writing large integers)."""
    return f"{n:,}"
