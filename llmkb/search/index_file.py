"""``searchindex.js`` written compactly: UTF-8 text, and its word lists grouped by page list (issue 19).

The search page loads the whole index before it can answer, and the index is most of that page's
first load (the book's largest: 297 KB gzipped in December 2026, against a 300 KB budget). Two
changes shrink it without changing what the search finds:

* **UTF-8 instead of ``\\uXXXX`` escapes.** Sphinx writes the JSON with ``ensure_ascii``: every
  Chinese character took six ASCII bytes instead of three UTF-8 ones (767 against 632 KB; 199.9
  against 196.2 KB gzipped). The builder already writes the file as UTF-8 text
  (``indexer_dumps_unicode``) and the pages load it with a ``<script>`` in a UTF-8 document.
  U+2028 and U+2029 stay escaped: JSON allows them raw in a string, JavaScript before ES2019 did not.
* **Words grouped by the pages they occur on.** Sphinx maps each word to its page id, or to the
  sorted list of ids (``{"模型":[0,3,7],"lora":2,…}``): 15,000 words, most on one page or a few,
  each carrying its own list. Here each distinct list is written once, as a string of gaps
  between successive ids ("0,3,4"), with the words that have it joined by spaces:
  ``{"0,3,4":"模型 …","2":"lora …"}``. The book's ``terms`` went from 137 to 120 KB gzipped
  (December 2026). A small function at the head of the file (``DECODE_JS``) turns the groups back
  into Sphinx's own mapping before ``Search.setIndex`` sees it, so searchtools.js is unchanged;
  ``loads`` does the same in Python for Sphinx's incremental builds, which read the old index.

A list is written as gaps only when it has two or more ids; a one-id list (Sphinx writes a page
id alone as a number) is written with a leading comma (",5"), so a grouped index reads back exactly
as Sphinx wrote it. Words never contain whitespace (the indexer splits at it); a mapping with a word
that did would be written as Sphinx writes it, which the decoder also accepts.
"""

from __future__ import annotations

import json
from typing import Any

from sphinx.application import Sphinx
from sphinx.search import js_index

#: the index's word -> page ids mappings (searchtools.js reads both)
GROUPED = ("terms", "titleterms")

#: JavaScript run on the index before Sphinx sees it: the inverse of ``group_words`` (a mapping
#: whose values are not strings is Sphinx's own and passes through)
DECODE_JS = (
    "(function(x){"
    "['terms','titleterms'].forEach(function(k){"
    "var g=x[k],m={},c;"
    "if(!g)return;"
    "for(c in g){"
    "if(typeof g[c]!=='string')return;"
    "var v,p=c.split(',');"
    "if(c.charAt(0)===',')v=p.slice(1).filter(String).map(Number);"
    "else if(p.length===1)v=Number(c);"
    "else{v=[];p.reduce(function(s,d){s+=Number(d);v.push(s);return s},0)}"
    "g[c].split(' ').forEach(function(w){m[w]=v})}"
    "x[k]=m});"
    "return x})"
)


def posting_code(ids: int | list[int]) -> str:
    """The string a page id, or a sorted list of them, is grouped under."""
    if isinstance(ids, int):
        return str(ids)
    if len(ids) < 2:
        return "," + ",".join(map(str, ids))
    gaps = [ids[0]] + [b - a for a, b in zip(ids, ids[1:])]
    return ",".join(map(str, gaps))


def posting_ids(code: str) -> int | list[int]:
    """The inverse of ``posting_code``."""
    if code.startswith(","):
        return [int(p) for p in code[1:].split(",") if p]
    parts = code.split(",")
    if len(parts) == 1:
        return int(code)
    ids, total = [], 0
    for gap in parts:
        total += int(gap)
        ids.append(total)
    return ids


def groupable(mapping: Any) -> bool:
    """A word -> ids mapping whose words can be joined by spaces and whose id lists are sorted
    (Sphinx sorts them; gaps need it)."""
    if not isinstance(mapping, dict):
        return False
    for word, ids in mapping.items():
        if not word or any(ch.isspace() for ch in word):
            return False
        if isinstance(ids, list):
            if not all(isinstance(i, int) and not isinstance(i, bool) and i >= 0 for i in ids) or ids != sorted(ids):
                return False
        elif isinstance(ids, bool) or not isinstance(ids, int) or ids < 0:
            return False
    return True


def group_words(mapping: dict[str, int | list[int]]) -> dict[str, str]:
    """``{word: ids}`` as ``{posting_code(ids): "word word …"}``, words in sorted order."""
    groups: dict[str, list[str]] = {}
    for word in sorted(mapping):
        groups.setdefault(posting_code(mapping[word]), []).append(word)
    return {code: " ".join(words) for code, words in groups.items()}


def ungroup_words(groups: dict[str, Any]) -> dict[str, Any]:
    """The inverse of ``group_words``; a mapping that is not grouped is returned as it is."""
    if not all(isinstance(v, str) for v in groups.values()):
        return groups
    return {word: posting_ids(code) for code, words in groups.items() for word in words.split(" ")}


class CompactJavaScriptIndex(type(js_index)):  # Sphinx's class is private; its instance is not
    """Sphinx's ``js_index`` (same call, key order and separators), in UTF-8 and with grouped words."""

    PREFIX = "Search.setIndex(" + DECODE_JS + "("
    SUFFIX = "))"

    def dumps(self, data: Any) -> str:
        if isinstance(data, dict):
            data = {key: group_words(value) if key in GROUPED and groupable(value) else value
                    for key, value in data.items()}
        data_json = json.dumps(data, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
        return self.PREFIX + data_json.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029") + self.SUFFIX

    def loads(self, s: str) -> Any:
        data = super().loads(s)
        if isinstance(data, dict):
            for key in GROUPED:
                if isinstance(data.get(key), dict):
                    data[key] = ungroup_words(data[key])
        return data


compact_js_index = CompactJavaScriptIndex()


def read_index(text: str) -> dict:
    """A built ``searchindex.js`` as Sphinx's index data (terms as ``{word: ids}``), whichever of
    the two formats wrote it."""
    if text.startswith(CompactJavaScriptIndex.PREFIX):
        return compact_js_index.loads(text)
    return js_index.loads(text)


def use_compact_index(app: Sphinx) -> None:
    """``builder-inited``: an HTML builder that writes its index as UTF-8 text gets this format."""
    builder = app.builder
    if getattr(builder, "indexer_dumps_unicode", False) and getattr(builder, "indexer_format", None) is js_index:
        builder.indexer_format = compact_js_index


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", use_compact_index)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
