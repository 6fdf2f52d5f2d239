"""searchindex.js written as UTF-8 rather than \\uXXXX escapes (llmkb/search/index_file.py, issue 19)."""

import gzip
import re
from pathlib import Path

import pytest
from sphinx.search import js_index

from llmkb.search.index_file import utf8_js_index


def test_the_same_index_in_fewer_bytes_and_loadable_by_sphinx():
    data = {"terms": {"模型": [0, 3], "lora": 2}, "titles": ["大语言模型\u2028第二行"], "docnames": ["a/b"]}
    text = utf8_js_index.dumps(data)
    assert text.startswith("Search.setIndex({") and text.endswith("})")
    assert "模型" in text and "\\u6a21" not in text
    # JSON allows U+2028/U+2029 raw in a string, older JavaScript does not: they stay escaped
    assert "\u2028" not in text and "\\u2028" in text
    assert js_index.loads(text) == utf8_js_index.loads(text) == data  # Sphinx reads it back (incremental builds)
    assert len(text.encode("utf-8")) < len(js_index.dumps(data).encode("utf-8"))


@pytest.mark.sphinx("html", testroot="notes")
def test_the_built_index_is_utf8_and_as_sphinx_would_write_it(app, warning):
    app.build()
    assert warning.getvalue() == ""
    path = Path(app.outdir) / "searchindex.js"
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    assert re.search(r"[\u4e00-\u9fff]", text) and not re.search(r"\\u[4-9][0-9a-f]{3}", text)
    data = js_index.loads(text)
    assert data["terms"] and data["docnames"]
    assert len(gzip.compress(raw)) < len(gzip.compress(js_index.dumps(data).encode("ascii")))
