"""Which pages depend on which refs.bib entries, so an edit re-reads only the pages that show it.

sphinxcontrib-bibtex makes every page with a ``{bibliography}`` depend on the whole refs.bib
file: one changed character re-reads every topic page. With ``llmkb.sphinx_ext.fast_bibtex`` the
bibliographies no longer need that (they are filled at env-updated time, and the pages whose
citations changed are rewritten from there), but the paper tables do: they are rendered when a
page is read. This module records, per page, the topics its ``paper-table``/``paper-index``
directives select; at the next build it compares refs.bib entry by entry with the previous build
and re-reads exactly

* the pages that cite (or list in a table) an entry that changed or disappeared, and
* the pages with a table of a topic that an added or changed entry has (before or after the edit).
"""

from __future__ import annotations

import hashlib

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from . import fast_bibtex, library
from .directives import PaperIndexDirective, PaperListingDirective, PaperTableDirective

ALL = "*"  # the paper index shows every topic


def _topics(env: BuildEnvironment) -> dict[str, set[str]]:
    if not hasattr(env, "llmkb_table_topics"):
        env.llmkb_table_topics = {}
    return env.llmkb_table_topics


def note_topic(env: BuildEnvironment, topic: str) -> None:
    _topics(env).setdefault(env.docname, set()).add(topic)


class TrackedPaperTable(PaperTableDirective):
    def run(self):
        note_topic(self.env, self.options.get("topic", "").strip())
        return super().run()


class TrackedPaperIndex(PaperIndexDirective):
    def run(self):
        note_topic(self.env, ALL)
        return super().run()


class TrackedPaperListing(PaperListingDirective):
    def run(self):
        note_topic(self.env, self.options.get("topic", "").strip())
        return super().run()


class Bibliography(fast_bibtex.FastBibliographyDirective):
    note_bib_dependency = False  # outdated() below re-reads the pages an edit concerns


def entry_state() -> dict[str, tuple[str, tuple[str, ...]]]:
    """key -> (digest of the entry's text, its topics) for the refs.bib of this build."""
    bib = library.bib()
    if bib is None:
        return {}
    return {p.key: (hashlib.blake2b(p.entry.text.encode(), digest_size=16).hexdigest(), tuple(p.topics))
            for p in library.papers()}


def outdated(app: Sphinx, env: BuildEnvironment, added, changed, removed) -> list[str]:
    new = entry_state()
    old = getattr(env, "llmkb_bib_state", None)
    env.llmkb_bib_state = new
    if old is None or old == new:
        return []
    keys = {k for k in old.keys() | new.keys() if old.get(k) != new.get(k)}
    topics = {t for k in keys for state in (old.get(k), new.get(k)) if state for t in state[1]}
    pages = {doc for doc, shown in library.shown_keys_by_doc(env).items() if keys & set(shown)}
    pages |= {doc for doc, shown in _topics(env).items() if ALL in shown or shown & topics}
    return sorted(pages)


def purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _topics(env).pop(docname, None)


def merge_info(app: Sphinx, env: BuildEnvironment, docnames, other: BuildEnvironment) -> None:
    for doc in docnames:
        if doc in _topics(other):
            _topics(env)[doc] = _topics(other)[doc]


def setup(app: Sphinx) -> dict:
    if fast_bibtex.enabled():
        app.add_directive("paper-table", TrackedPaperTable, override=True)
        app.add_directive("paper-index", TrackedPaperIndex, override=True)
        app.add_directive("paper-listing", TrackedPaperListing, override=True)
        app.add_directive("bibliography", Bibliography, override=True)
        app.connect("env-get-outdated", outdated)
        app.connect("env-purge-doc", purge_doc)
        app.connect("env-merge-info", merge_info)
    return {"version": "1", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
