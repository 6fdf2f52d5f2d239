"""The citation dialogs' content as static files, one small script per paper shown in a row.

A row on the HTML site carries a closed dialog without its content (:func:`dialog.closed_html`);
static/llmkb-bibtex.js loads ``_static/cite/<file>.js`` when a reader first opens one of that
paper's dialogs. A ``<script>``, not a fetch(): a book opened from disk (file://) refuses to
fetch its own files, and runs its scripts. Per paper rather than per page: a reader who opens one
dialog downloads one file of 1.7 KB on average (0.7 KB gzipped; today's book, 311 files) instead of
every row's content (for the paper index that file would be 541 KB, 88 KB gzipped; for a topic
page of 15 rows 23 KB, 3.8 KB gzipped), and a paper's file is one cached file for every page
that lists it.

Which papers have a row is recorded per page when it is read (``env``, merged from parallel
readers, purged with the page), so an incremental build still knows the rows of the pages it does
not write again; the files are written once reading is over, by a forked process while the pages
are written (sphinx_ext/background.py; only those whose text changed), the same whatever the
number of processes, and files of papers no longer shown are deleted.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Iterable, Mapping

from docutils.writers.html5_polyglot import HTMLTranslator

from ..bib.papers import Paper
from ..sphinx_ext.page_bib import write_if_changed
from . import dialog

#: the scripts' folder in the built site
DIR = "_static/cite"
#: builders whose pages load the content on demand; other HTML builders (EPUB: its reading
#: systems need not run scripts) keep the whole dialog in the page
BUILDERS = frozenset({"html", "dirhtml"})
#: the global the data files register into (static/llmkb-bibtex.js reads it)
REGISTRY = "llmkbCite"

_SAFE = re.compile(r"[a-z0-9-]")


def file_name(key: str) -> str:
    """The data file of ``key``: the key itself when it is lowercase letters, digits and hyphens
    (every key of the project's style); any other character as ``_<hex code point>_``, so no two
    keys share a file, even on a case-insensitive disk. static/llmkb-bibtex.js does the same."""
    return "".join(c if _SAFE.fullmatch(c) else f"_{ord(c):x}_" for c in key) + ".js"


def encode(text: str) -> str:
    """HTML-escape text exactly as the HTML writer does for the rows (docutils' table)."""
    return str(text).translate(HTMLTranslator.special_characters)


def fields(paper: Paper) -> dict[str, str]:
    from ..bib.export_bibtex import format_entry

    return {"bibtex": format_entry(paper), **dialog.references(paper)}


def script(key: str, content: str) -> str:
    """The data file's text: registers ``content`` (the dialog's HTML) under ``key``. JSON is a
    JavaScript expression; U+2028/U+2029 are escaped (:func:`js_value`) for engines before
    ES2019, which end a string at them. In a file of its own, ``</script>`` in a title is just text."""
    return f"(window.{REGISTRY} = window.{REGISTRY} || {{}})[{js_value(key)}] = {js_value(content)};\n"


def js_value(value) -> str:
    """``value`` as a JavaScript literal (JSON), U+2028/U+2029 escaped."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def write(outdir: Path, papers: Iterable[Paper], keys: Iterable[str]) -> list[Path]:
    """Write the data file of every paper in ``keys`` (a file only when its text changes) and
    delete the folder's other files. Returns the files, sorted."""
    folder = outdir / DIR
    wanted = set(keys)
    written: dict[Path, None] = {}
    for paper in sorted((p for p in papers if p.key in wanted), key=lambda p: p.key):
        path = folder / file_name(paper.key)
        text = script(paper.key, dialog.content_html(fields(paper), encode))
        write_if_changed(path, text)
        written[path] = None
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path not in written:
                path.unlink()
    return sorted(written)


# --- the paper filter's full author lists ---------------------------------------------------------

#: every author of the paper index's rows whose line shows only the first few: the filter
#: (static/paper-filter.js) searches them all, and read them from the rows' BibTeX, which is no
#: longer in the page. As attributes of the rows they were 100 KB (44 KB gzipped) of the index;
#: the filter loads this file when a reader first types in it.
AUTHORS_FILE = "_static/llmkb-authors.js"


def authors_script(papers: Iterable[Paper]) -> str:
    """``window.llmkbAuthors = {key: "Given Family, …"}`` for the papers whose row leaves authors out."""
    data = {p.key: p.all_authors for p in sorted(papers, key=lambda p: p.key) if p.all_authors != p.short_authors()}
    return f"window.llmkbAuthors = {js_value(data)};\n"


def write_authors(outdir: Path, papers: Iterable[Paper] | None) -> Path | None:
    """The filter's author file for ``papers`` (the index's), or none when no page filters its rows."""
    path = outdir / AUTHORS_FILE
    if papers is None:
        if path.is_file():
            path.unlink()
        return None
    write_if_changed(path, authors_script(papers))
    return path


# --- which papers have a row, per page (kept in the environment) ---------------------------------

def rows_by_doc(env) -> dict[str, list[str]]:
    if not hasattr(env, "llmkb_dialog_rows"):
        env.llmkb_dialog_rows = {}
    return env.llmkb_dialog_rows


def note_rows(app, doctree) -> None:
    """doctree-read: the keys of the page's paper rows."""
    from ..sphinx_ext.paper_table import paper_row

    keys = sorted({row["data"]["data-key"] for row in doctree.findall(paper_row)})
    if keys:
        rows_by_doc(app.env)[app.env.docname] = keys
    else:
        rows_by_doc(app.env).pop(app.env.docname, None)


def purge_doc(app, env, docname: str) -> None:
    rows_by_doc(env).pop(docname, None)


def merge_info(app, env, docnames, other) -> None:
    rows = rows_by_doc(other)
    rows_by_doc(env).update({d: rows[d] for d in docnames if d in rows})


def shown_keys(rows: Mapping[str, list[str]], docnames: Iterable[str]) -> set[str]:
    return {k for d in docnames for k in rows.get(d, ())}


def write_files(app) -> None:
    """The data files of the papers with a row on a page of the book (sphinx_ext.extension.write_exports)."""
    if app.builder.name not in BUILDERS:
        return
    from ..sphinx_ext import library, paging

    rows, papers = rows_by_doc(app.env), library.papers()
    write(Path(app.outdir), papers, shown_keys(rows, app.env.found_docs))
    # the filter works on the index's rows only while it holds every row (else on paging's data file)
    index = shown_keys(rows, library.index_pages(app.env) & app.env.found_docs)
    write_authors(Path(app.outdir), [p for p in papers if p.key in index] if index and paging.current().index_full
                  else None)


def setup(app) -> None:
    app.connect("doctree-read", note_rows)
    app.connect("env-purge-doc", purge_doc)
    app.connect("env-merge-info", merge_info)
