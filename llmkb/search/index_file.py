"""The search index file written as UTF-8 instead of ``\\uXXXX`` escapes (issue 19).

Sphinx writes ``searchindex.js`` with ``json.dumps``' default ``ensure_ascii``: every Chinese
character becomes six ASCII bytes (``\\u6a21``) instead of three UTF-8 ones. For this book the
file was 767 KB, 632 KB as UTF-8; gzipped, 199.9 KB against 196.2 KB. The search page is the
heaviest first load of the book (the index is most of it), and it had passed the 300 KB budget
as the book's prose grew.

The builder already writes the file as UTF-8 text (``indexer_dumps_unicode``), and the pages load
it with a ``<script>`` in a UTF-8 document, so only the JSON changes. U+2028 and U+2029 stay
escaped: JSON allows them raw in a string, JavaScript before ES2019 did not.
"""

from __future__ import annotations

import json
from typing import Any

from sphinx.application import Sphinx
from sphinx.search import js_index


class Utf8JavaScriptIndex(type(js_index)):  # Sphinx's class is private; its instance is not
    """Sphinx's ``js_index`` (same prefix, key order and separators), without ASCII escapes."""

    def dumps(self, data: Any) -> str:
        data_json = json.dumps(data, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
        return self.PREFIX + data_json.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029") + self.SUFFIX


utf8_js_index = Utf8JavaScriptIndex()


def use_utf8_index(app: Sphinx) -> None:
    """``builder-inited``: an HTML builder that writes its index as UTF-8 text gets this format."""
    builder = app.builder
    if getattr(builder, "indexer_dumps_unicode", False) and getattr(builder, "indexer_format", None) is js_index:
        builder.indexer_format = utf8_js_index


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", use_utf8_index)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
