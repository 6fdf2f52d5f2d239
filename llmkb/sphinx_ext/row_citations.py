"""Which listed papers cite their paper (issue 19): table rows, the recent-additions list.

A row's 引用 cell is a citation: it puts the paper in the page's bibliography and links there.
Where the page's text cites the paper too (every row of today's book), the entry is the one the
text cites. Where only the table shows it — rows of a big library that the text never mentions,
every row of a listing page — the entry repeated the row: 80 such rows were ~700 more elements on
a topic page, and at 10,000 papers the listing pages held ~10,000 more entries to format and
resolve. So such a row keeps its label as plain text and its citation is withdrawn:

* on a page with a bibliography, a row cites its paper only when the page's text cites it;
* on a page without one (the paper index), a row cites its paper when some page's text does
  (the citation then links that page's entry, as before); otherwise nothing could resolve it.

Either way the row's paper is in the page's reference files (``library.shown_keys_by_doc``).
Whether a row's paper is cited elsewhere is known only once every page is read, so the rows'
citations are recorded when a page is read, decided at ``env-updated`` (before sphinxcontrib-bibtex
fills the bibliographies), and the withdrawn ones become plain labels when the page is written.
"""

from __future__ import annotations

from typing import Iterable

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform

from . import library

#: the attribute the directives put on a listed paper's citation (directives._PaperDirective.cite):
#: the paper's key
LISTED = "llmkb_listed"


def _doc_refs(env: BuildEnvironment) -> dict[str, list[tuple[object, bool]]]:
    """docname -> the page's citation references in page order, each with "is a row's"."""
    if not hasattr(env, "llmkb_doc_refs"):
        env.llmkb_doc_refs = {}
    return env.llmkb_doc_refs


def withdrawn(env: BuildEnvironment) -> dict[str, frozenset[str]]:
    """docname -> ids of the row citations withdrawn on that page."""
    if not hasattr(env, "llmkb_withdrawn"):
        env.llmkb_withdrawn = {}
    return env.llmkb_withdrawn


def _listed(doctree: nodes.document) -> list[addnodes.pending_xref]:
    return [x for x in doctree.findall(addnodes.pending_xref) if x.get(LISTED) and x["ids"]]


def page_refs(refs: list, docname: str) -> list:
    """The citation references of ``docname``, the page just read: the end of the domain's list.
    A page's references are appended while it is read, after ``clear_doc`` took out its old ones,
    so they are the list's tail; scanning the whole list for every page was ~0.5 s of the grown
    10k book's build (its listing pages cite ~10,000 papers)."""
    start = len(refs)
    while start and refs[start - 1].docname == docname:
        start -= 1
    return refs[start:]


def record(app: Sphinx, doctree: nodes.document) -> None:
    """doctree-read: the page's listed papers and all its citation references (which are theirs)."""
    env = app.env
    listed = _listed(doctree)
    if not listed:
        return
    ids = {x["ids"][0] for x in listed}
    refs = page_refs(env.get_domain("cite").citation_refs, env.docname)
    _doc_refs(env)[env.docname] = [(ref, ref.citation_ref_id in ids) for ref in refs]
    library.row_keys_by_doc(env)[env.docname] = list(dict.fromkeys(x[LISTED] for x in listed))


def decide(app: Sphinx, env: BuildEnvironment) -> Iterable[str]:
    """env-updated: keep or withdraw every row citation (module docstring); the domain's citation
    references become the pages' text references plus the kept row ones. Returns the pages whose
    withdrawn set changed, to be written again."""
    domain = env.get_domain("cite")
    pages = _doc_refs(env)
    with_bibliography = {key.docname for key in domain.bibliographies}
    others = [ref for ref in domain.citation_refs if ref.docname not in pages]
    text: dict[str, set[str]] = {}
    for ref in others:
        text.setdefault(ref.docname, set()).update(t.key for t in ref.targets)
    for doc, refs in pages.items():
        text.setdefault(doc, set()).update(t.key for ref, is_row in refs if not is_row for t in ref.targets)
    in_a_bibliography = {k for doc in with_bibliography for k in text.get(doc, ())}
    kept_refs = []
    changed = []
    old = withdrawn(env)
    new: dict[str, frozenset[str]] = {}
    for doc in sorted(pages):
        allowed = text.get(doc, set()) if doc in with_bibliography else in_a_bibliography
        out = set()
        for ref, is_row in pages[doc]:
            if is_row and not all(t.key in allowed for t in ref.targets):
                out.add(ref.citation_ref_id)
            else:
                kept_refs.append(ref)
        if out:
            new[doc] = frozenset(out)
        if new.get(doc, frozenset()) != old.get(doc, frozenset()):
            changed.append(doc)
    changed += [doc for doc in old if doc not in pages and doc in env.found_docs]
    env.llmkb_withdrawn = new
    domain.data["citation_refs"] = others + kept_refs
    return changed


def purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _doc_refs(env).pop(docname, None)


def merge_info(app: Sphinx, env: BuildEnvironment, docnames, other: BuildEnvironment) -> None:
    refs = _doc_refs(other)
    _doc_refs(env).update((doc, refs[doc]) for doc in docnames if doc in refs)


class PlainLabels(SphinxPostTransform):
    """A withdrawn citation becomes its label as plain text, before references resolve."""

    default_priority = 4  # before ExpandPaperRows (5) and the resolver (10)

    def run(self, **kwargs) -> None:
        from .citation_style import LABELS

        out = withdrawn(self.env).get(self.env.docname)
        if not out:
            return
        for xref in _listed(self.document):
            if xref["ids"][0] in out:
                key = xref[LISTED]
                xref.replace_self(nodes.inline("", f"[{LABELS.get(key, key)}]", classes=["llmkb-label"]))


def setup(app: Sphinx) -> None:
    app.connect("doctree-read", record, priority=450)  # after fast_bibtex settles ids (400)
    app.connect("env-updated", decide, priority=400)  # before sphinxcontrib-bibtex's (500)
    app.connect("env-purge-doc", purge_doc)
    app.connect("env-merge-info", merge_info)
    app.add_post_transform(PlainLabels)
