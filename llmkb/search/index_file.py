"""``searchindex.js`` written compactly and in pieces: UTF-8, words grouped by page list, and the
words' page lists split into shards that the search page loads for the words of a query (issue 19).

The search page loads the whole index before it can answer, and the index was most of that page's
first load (the book's largest: 297 KB gzipped in December 2026, against a 300 KB budget, and
growing by ~2 KB with every new page). Three changes, none of which changes what a search finds:

* **UTF-8 instead of ``\\uXXXX`` escapes.** Sphinx writes the JSON with ``ensure_ascii``: every
  Chinese character took six ASCII bytes instead of three UTF-8 ones (767 against 632 KB; 199.9
  against 196.2 KB gzipped). The builder already writes the file as UTF-8 text
  (``indexer_dumps_unicode``) and the pages load it with a ``<script>`` in a UTF-8 document.
  U+2028 and U+2029 stay escaped: JSON allows them raw in a string, JavaScript before ES2019 did not.
* **Words grouped by the pages they occur on.** Sphinx maps each word to its page id, or to the
  sorted list of ids (``{"模型":[0,3,7],"lora":2,…}``): 15,000 words, most on one page or a few,
  each carrying its own list. Here each distinct list is written once, as a string of gaps between
  successive ids ("0,3,4"), with the words that have it joined by spaces: ``{"0,3,4":"模型 …"}``
  (``terms``: 137 → 120 KB gzipped). A one-id list is written with a leading comma (",5"), so the
  index reads back exactly as Sphinx wrote it (Sphinx writes a page id alone as a number).
* **The words' page lists in shards** (``_search/<version>/<k>.js``), loaded by the search page for the
  words of each query. searchtools.js looks a query word up exactly and, when it is longer than two
  characters, also finds every word that contains it. Every word containing the query word contains
  its first two characters, so a word is put in the shard of each pair of adjacent characters it has
  (``word_shards``) and a query word needs only the shard of its first pair (``query_shard``): the
  words a query can reach are the same as with the whole index. The rest of the index (titles,
  title words, glossary entries, page names) stays in ``searchindex.js``. The book (December 2026,
  78 topics): ``searchindex.js`` 188 → 48 KB gzipped and 39 shards of 5–12 KB (median 7 KB); the
  search page with the two heaviest shards a two-word query could fetch, 297 → 174 KB.

A small function at the head of ``searchindex.js`` (``DECODE_JS``) turns the groups back into
Sphinx's mapping before ``Search.setIndex`` sees it and, when there are shards, wraps
``Search.query`` to load a query's shards first (as ``<script>`` elements, as Sphinx loads the
index: that works from ``file://`` too); searchtools.js itself is unchanged. ``loads`` does the same
in Python for Sphinx's incremental builds, which read the old index back, shards included.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import shutil
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.search import js_index

#: the index's word -> page ids mappings (searchtools.js reads both)
GROUPED = ("terms", "titleterms")
#: the folder of the shards, inside the output folder: they are written to a subfolder named by
#: their version (``_search/<version>/<k>.js``). ``searchindex.js`` is loaded without a version in its
#: URL (Sphinx's template), so a browser may hold an old copy after a deploy: its shards are then
#: missing (that query finds fewer pages) rather than another build's (it would find wrong pages).
SHARD_DIR = "_search"
#: the index's key that tells the page how many shards there are, where, and their version
SHARDS_KEY = "llmkb_shards"
#: roughly how many bytes of grouped words one shard holds before the words are copied into every
#: shard of their character pairs (~2.5 copies on average in this book); 0 writes no shards
SHARD_BYTES = 8000
#: 32-bit unsigned arithmetic for the character-pair hash (the same as DECODE_JS's Math.imul)
_U32 = 0xFFFFFFFF

#: JavaScript run on the index before Sphinx sees it: the inverse of ``group_words`` (a mapping
#: whose values are not strings is Sphinx's own and passes through), and the shard loader.
#: It must end with "return x})(": ``loads`` finds the JSON after it.
DECODE_JS = """(function(x){
function ungroup(g){var m={},c;for(c in g){if(typeof g[c]!=='string')return g;
var v,p=c.split(',');if(c.charAt(0)===',')v=p.slice(1).filter(String).map(Number);
else if(p.length===1)v=Number(c);else{v=[];p.reduce(function(s,d){s+=Number(d);v.push(s);return s},0)}
g[c].split(' ').forEach(function(w){m[w]=v})}return m}
['terms','titleterms'].forEach(function(k){if(x[k])x[k]=ungroup(x[k])});
var s=x.llmkb_shards;if(!s)return x;delete x.llmkb_shards;x.terms=x.terms||{};
var here=document.currentScript&&document.currentScript.src,
base=(here?here.replace(/[^\\/]*$/,''):document.documentElement.dataset.content_root||'')+s.path,
state={};
function shard(w){var c=Array.from(w);if(c.length<2)return -1;
var h=Math.imul(c[0].codePointAt(0),0x9E3779B1)^c[1].codePointAt(0);h=Math.imul(h^(h>>>16),0x85EBCA6B);
h=Math.imul(h^(h>>>13),0xC2B2AE35);return ((h^(h>>>16))>>>0)%s.n}
Search.llmkbShard=function(k,g){var m=ungroup(g),w;for(w in m)x.terms[w]=m[w];done(k)};
function done(k){var q=state[k];state[k]=true;if(q&&q!==true)q.forEach(function(f){f()})}
function load(k,f){if(state[k]===true)return f();if(state[k])return state[k].push(f);state[k]=[f];
var e=document.createElement('script');e.src=base+k+'.js';e.onerror=function(){done(k)};
document.body.appendChild(e)}
var query=Search.query;
Search.query=function(q){var p=Search._parseQuery(q),need={},left;
[].concat(Array.from(p[1]),Array.from(p[2])).forEach(function(w){var k=shard(w);if(k>=0&&state[k]!==true)need[k]=1});
need=Object.keys(need);left=need.length;if(!left)return query(q);
need.forEach(function(k){load(k,function(){if(--left===0)query(q)})})};
return x})("""
_JSON_START = "return x})("
#: how every index this module writes (and wrote) begins
COMPACT_HEAD = "Search.setIndex((function(x){"


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


def pair_hash(a: str, b: str) -> int:
    """A 32-bit hash of two adjacent characters (their code points), as DECODE_JS computes it: a
    multiply-xor with MurmurHash3's finaliser, so the shard numbers spread evenly whatever their
    count (a plain ``a * m + b`` is symmetric in a and b when m = 1 modulo the count)."""
    h = ((ord(a) * 0x9E3779B1) & _U32) ^ ord(b)
    h = ((h ^ (h >> 16)) * 0x85EBCA6B) & _U32
    h = ((h ^ (h >> 13)) * 0xC2B2AE35) & _U32
    return h ^ (h >> 16)


def _pair(a: str, b: str, n: int) -> int:
    return pair_hash(a, b) % n


def query_shard(word: str, n: int) -> int:
    """The shard the search page loads for a query word (its first two characters); -1 for a
    one-character word, which no word in the index equals (Sphinx indexes longer words only) and
    which searchtools.js never looks for inside longer words."""
    return _pair(word[0], word[1], n) if len(word) >= 2 else -1


def word_shards(word: str, n: int) -> set[int]:
    """The shards a word of the index is written to: one per pair of adjacent characters, so that
    any query word it contains (or equals) finds it in that query word's shard."""
    return {_pair(a, b, n) for a, b in zip(word, word[1:])}


def shard_count(terms: dict[str, Any], shard_bytes: int) -> int:
    """How many shards: the grouped words' size over ``shard_bytes``; 1 (no shards) when small."""
    if shard_bytes <= 0:
        return 1
    size = len(json.dumps(group_words(terms), ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    return max(1, min(1024, math.ceil(size / shard_bytes)))


def split_terms(terms: dict[str, Any], n: int) -> list[dict[str, Any]]:
    """``terms`` as ``n`` shards (``word_shards``); a word may be in several."""
    shards: list[dict[str, Any]] = [{} for _ in range(n)]
    for word, ids in terms.items():
        for k in word_shards(word, n):  # none for a one-character word
            shards[k][word] = ids
    return shards


def _json(data: Any) -> str:
    text = json.dumps(data, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


_SHARD_FILE = re.compile(r"^Search\.llmkbShard\((\d+),(.*)\)$", re.S)


class CompactJavaScriptIndex(type(js_index)):  # Sphinx's class is private; its instance is not
    """Sphinx's ``js_index`` (same call, key order and separators), in UTF-8, with grouped words,
    and (given ``outdir``) the words' page lists in shards under ``outdir/_search``."""

    PREFIX = "Search.setIndex(" + DECODE_JS
    SUFFIX = "))"

    def __init__(self, outdir: str | Path | None = None, shard_bytes: int = SHARD_BYTES) -> None:
        self.outdir = Path(outdir) if outdir is not None else None
        self.shard_bytes = shard_bytes

    def dumps(self, data: Any) -> str:
        """The index in one file (no shards)."""
        return self._dumps(data, None)

    def _dumps(self, data: Any, shards: dict | None) -> str:
        if isinstance(data, dict):
            if shards is not None:  # words of one character have no pair: they stay here
                data = {**data, "terms": {w: ids for w, ids in data["terms"].items() if len(w) < 2},
                        SHARDS_KEY: shards}
            data = {key: group_words(value) if key in GROUPED and groupable(value) else value
                    for key, value in data.items()}
        return self.PREFIX + _json(data) + self.SUFFIX

    def dump(self, data: Any, f) -> None:
        """Write the index to ``f`` and, when it is large enough and the output folder is known,
        its words' page lists as shards (written first: the index names their version)."""
        terms = data.get("terms") if isinstance(data, dict) else None
        folder = self.outdir / SHARD_DIR if self.outdir is not None else None
        n = shard_count(terms, self.shard_bytes) if folder is not None and groupable(terms) else 1
        if n < 2:
            if folder is not None and folder.is_dir():
                _remove_shards(folder, keep=None)
            f.write(self.dumps(data))
            return
        texts = [f"Search.llmkbShard({k},{_json(group_words(shard))})" for k, shard in enumerate(split_terms(terms, n))]
        version = hashlib.sha1("\n".join(texts).encode("utf-8")).hexdigest()[:12]
        here = folder / version
        here.mkdir(parents=True, exist_ok=True)
        for k, text in enumerate(texts):
            path = here / f"{k}.js"
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
        _remove_shards(folder, keep=version)
        f.write(self._dumps(data, {"n": n, "path": f"{SHARD_DIR}/{version}/", "v": version}))

    def loads(self, s: str) -> Any:
        """The index ``dump`` or ``dumps`` wrote (or an earlier llmkb's), as Sphinx's data; the shards
        are read from the output folder. ValueError when it is not one (Sphinx's own contract)."""
        if not s.startswith(COMPACT_HEAD) or not s.endswith(self.SUFFIX) or _JSON_START not in s:
            raise ValueError("invalid data")
        data = json.loads(s[s.index(_JSON_START) + len(_JSON_START):-len(self.SUFFIX)])
        if not isinstance(data, dict):
            return data
        for key in GROUPED:
            if isinstance(data.get(key), dict):
                data[key] = ungroup_words(data[key])
        shards = data.pop(SHARDS_KEY, None)
        if shards is not None:
            data["terms"] = {**data.get("terms", {}), **self._read_shards(shards)}
        return data

    def _read_shards(self, shards: Any) -> dict[str, Any]:
        if self.outdir is None or not isinstance(shards, dict) or not isinstance(shards.get("n"), int):
            raise ValueError("the index is in shards, and their folder is not known")
        terms: dict[str, Any] = {}
        for k in range(shards["n"]):
            path = self.outdir / shards.get("path", f"{SHARD_DIR}/") / f"{k}.js"
            try:
                m = _SHARD_FILE.match(path.read_text(encoding="utf-8"))
            except OSError as err:
                raise ValueError(f"search index shard {path} unreadable: {err}") from err
            if m is None or int(m.group(1)) != k:
                raise ValueError(f"search index shard {path} is not a shard {k}")
            terms.update(ungroup_words(json.loads(m.group(2))))
        return terms


def _remove_shards(folder: Path, keep: str | None) -> None:
    """Shards of earlier builds: every version's subfolder but ``keep`` (the folder is the index's
    own), and shards an llmkb before versioned folders wrote into the folder itself."""
    for path in folder.iterdir():
        if path.is_dir() and path.name != keep:
            shutil.rmtree(path)
        elif path.is_file() and path.suffix == ".js":
            path.unlink()


compact_js_index = CompactJavaScriptIndex()


def read_index(source: str | Path, outdir: str | Path | None = None) -> dict:
    """A built index as Sphinx's data (terms as ``{word: ids}``, shards merged back), whichever
    format wrote it: ``source`` is the path of ``searchindex.js`` (its folder holds the shards) or
    its text (then ``outdir`` is the output folder, if the index has shards)."""
    if isinstance(source, Path):
        outdir = source.parent if outdir is None else outdir
        source = source.read_text(encoding="utf-8")
    if source.startswith(COMPACT_HEAD):
        return CompactJavaScriptIndex(outdir).loads(source)
    return js_index.loads(source)


def use_compact_index(app: Sphinx) -> None:
    """``builder-inited``: an HTML builder that writes its index as UTF-8 text gets this format."""
    builder = app.builder
    if getattr(builder, "indexer_dumps_unicode", False) and getattr(builder, "indexer_format", None) is js_index:
        builder.indexer_format = CompactJavaScriptIndex(app.outdir, app.config.llmkb_search_shard_bytes)


def setup(app: Sphinx) -> dict:
    app.add_config_value("llmkb_search_shard_bytes", SHARD_BYTES, "html", types=(int,))
    app.connect("builder-inited", use_compact_index)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
