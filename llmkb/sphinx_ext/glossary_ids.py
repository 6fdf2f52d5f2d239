"""Glossary anchors that do not move: a term's id comes from its English name.

Sphinx makes a glossary term's id from the term's text. A Chinese term gives nothing it can use,
so it numbers such terms in reading order (``term-0``, ``term-1`` …), and a term with a Latin part
gets only that part (``KV 缓存`` → ``term-kv``; ``反向 KL 散度`` then finds ``term-kl`` taken and is
numbered too). Adding one term renumbered every term after it: a link a reader had copied to
``glossary.html#term-57`` silently pointed at another term. Every entry of the book's glossary opens
its definition with the English name (``Active Parameters。…``, the book's rule for terms), which is
unique and does not change when a neighbour is added, so the id is made from it:
``term-active-parameters``.

The transform runs on the glossary's doctree after parsing and before the domains collect it
(Sphinx's ``SphinxDomains`` has priority 850). It renames the term's id, the index entry the term
carries and the standard domain's record of the term, which is what ``{term}`` roles, the search
index and ``objects.inv`` resolve through, so every link to the term follows.

The glossary was one page until it was split by initial letter (``terminology``). A link copied
before that, ``appendix/glossary.html#term-token``, now lands on the glossary's landing page,
which carries a map from every term's anchor to its part and sends the reader on
(``forward_script``); without JavaScript the landing page lists the parts by their letters.
"""

from __future__ import annotations

import json

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from .terminology import GLOSSARY_DOC, definition_names, is_part

logger = logging.getLogger(__name__)

#: signs that carry meaning in a term's English name but not in an id ("pass@k" vs "pass^k"), and
#: dashes that join two names ("Bradley–Terry"), which docutils would drop without a separator
_SPELLED_OUT = {"@": " at ", "^": " hat ", "+": " plus ", "#": " sharp ", "–": " ", "—": " "}


def english_name(definition: str) -> str:
    """The English name that opens a definition, without its abbreviations (the glossary check's
    reading of an entry, :func:`terminology.definition_names`)."""
    names = definition_names(definition)
    return names[0] if names else ""


def anchor(english: str) -> str | None:
    """``term-`` and the name as an HTML id (docutils' rules); None if nothing Latin is left."""
    for sign, word in _SPELLED_OUT.items():
        english = english.replace(sign, word)
    slug = nodes.make_id(f"term {english}")  # with the prefix, a leading digit survives ("3-Dimensional …")
    return slug if slug != "term" else None


class StableGlossaryIds(SphinxTransform):
    default_priority = 840  # after the glossary directive ran, before SphinxDomains (850)

    def apply(self, **kwargs) -> None:
        if not is_part(self.env.docname):
            return
        std = self.env.domains.standard_domain
        for item in self.document.findall(nodes.definition_list_item):
            if not isinstance(item.parent.parent, addnodes.glossary):
                continue
            definition = item.next_node(nodes.definition)
            new = anchor(english_name(definition.astext() if definition is not None else ""))
            for term in (child for child in item.children if isinstance(child, nodes.term)):
                if new is None:
                    logger.warning("glossary term '%s' has no English name to make its anchor from: "
                                   "begin its definition with the English name and 。 (e.g. 'Token。…')",
                                   term.astext(), location=term, type="llmkb", subtype="glossary")
                elif term["ids"][0] != new:  # Sphinx's own id may already be it (an English term)
                    self._rename(std, term, unique(new, self.document.ids))

    def _rename(self, std, term: nodes.term, new: str) -> None:
        old = term["ids"][0]
        term["ids"] = [new]
        self.document.ids.pop(old, None)
        self.document.ids[new] = term
        for index in term.findall(addnodes.index):
            index["entries"] = [(kind, value, new if target == old else target, main, key)
                                for kind, value, target, main, key in index["entries"]]
        text = term.astext()
        if std.objects.get(("term", text)) == (self.env.docname, old):
            std.objects["term", text] = (self.env.docname, new)
        if std._terms.get(text.lower()) == (self.env.docname, old):
            std._terms[text.lower()] = (self.env.docname, new)


def unique(candidate: str, taken) -> str:
    """``candidate``, or ``candidate-2``, ``-3`` … if the page already uses it (two terms with the
    same English name: the glossary should merge them, but the page still builds)."""
    name, n = candidate, 2
    while name in taken:
        name, n = f"{candidate}-{n}", n + 1
    return name


def forward_script(anchors: dict[str, str]) -> str:
    """JavaScript that sends ``#anchor`` on to the part holding it: ``anchors`` maps each term's
    anchor to that part's address relative to the landing page."""
    parts = sorted(set(anchors.values()))
    where = {anchor: parts.index(part) for anchor, part in sorted(anchors.items())}
    data = json.dumps([parts, where], ensure_ascii=True, separators=(",", ":")).replace("</", "<\\/")
    # anchors are ASCII ids ("term-kv-cache"): the hash is compared as it stands, and only a key of
    # the map's own counts (not "constructor" and the like)
    return ("(function(){var d=" + data + ",h=location.hash.slice(1);"
            "if(Object.prototype.hasOwnProperty.call(d[1],h))location.replace(d[0][d[1][h]]+'#'+h);})();")


def term_anchors(app: Sphinx) -> dict[str, str]:
    """Every glossary term's anchor → its part's address relative to the landing page."""
    builder = app.builder
    return {anchor: builder.get_relative_uri(GLOSSARY_DOC, docname)
            for (kind, _), (docname, anchor) in app.env.domains.standard_domain.objects.items()
            if kind == "term" and is_part(docname)}


def add_forward(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if pagename == GLOSSARY_DOC and app.builder.format == "html" and doctree is not None:
        anchors = term_anchors(app)
        if anchors:
            app.add_js_file(None, body=forward_script(anchors))


def landing_outdated(app: Sphinx, env, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    """The landing page's map changes with any part: rewrite it when one is added, edited or removed."""
    touched = any(is_part(doc) for doc in (*added, *changed, *removed))
    return [GLOSSARY_DOC] if touched and GLOSSARY_DOC in env.found_docs else []


def setup(app: Sphinx) -> dict:
    app.add_transform(StableGlossaryIds)
    app.connect("html-page-context", add_forward)
    app.connect("env-get-outdated", landing_outdated)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
