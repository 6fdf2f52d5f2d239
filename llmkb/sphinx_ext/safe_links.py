"""Every link the build writes is http(s) or a relative link of the book's own.

refs.bib and the pages come from pull requests, and links reach the HTML by many roads: the
url/code/doi fields, sphinxcontrib-bibtex's ``node_text_transform`` (which turns a ``\\url{…}``
in *any* text field into ``<a href>``), the citation style, MyST links in a page. ``llmkb check``
rejects what it can see in refs.bib; this is the layer under it, for whatever slips past (a
non-strict build, a future transform, a field nobody thought of): a post-transform that runs
after every other one on each page's doctree and drops (keeping the text, with a warning) every
reference whose target is not safe, and :func:`is_safe_uri` for writers that emit ``href``
themselves (the paper tables).
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: What browsers strip or skip before reading a scheme (WHATWG URL: leading/trailing C0 controls
#: and spaces, tabs and newlines anywhere), so " \x01java\tscript:" is javascript: to them.
_IGNORED = re.compile(r"[\x00-\x20]+")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.I)
SAFE_SCHEMES = frozenset({"http", "https"})


def is_safe_uri(uri: str) -> bool:
    """http(s), or relative to this site (a path, ``?query`` or ``#fragment``), read as a browser
    reads it. Not ``//host`` or ``\\\\host`` (another site without a scheme), no other scheme."""
    seen = _IGNORED.sub("", uri)
    m = _SCHEME.match(seen)
    if m:
        return m.group(1).lower() in SAFE_SCHEMES
    if ":" in seen.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]:
        return False  # "a:b" with an odd scheme spelling; a relative path has no ':' before its first '/'
    return not re.match(r"^[/\\]{2}|^/\\", seen)


class DropUnsafeLinks(SphinxPostTransform):
    """Replace each reference with an unsafe target by its text, with a warning naming the page."""

    default_priority = 990  # after every transform that makes references (bibliographies: 4-10, xrefs: 10)

    def run(self, **kwargs) -> None:
        from .fast_bibtex import bibliography_entry, link_stand_in

        # a compacted bibliography entry writes its links through stand-ins in a paragraph held
        # outside the doctree (fast_bibtex.compact_entry): point those at the replacement too
        stand_ins = {id(s.link): s for entry in self.document.findall(bibliography_entry)
                     for s in entry.paragraph.findall(link_stand_in)}
        for ref in list(self.document.findall(nodes.reference)):
            uri = ref.get("refuri")
            if uri is None or is_safe_uri(uri):
                continue
            text = ref.astext()
            line, up = None, ref
            while up is not None and not line:  # the nearest ancestor that knows its line
                line, up = up.line, up.parent
            logger.warning(f"link {uri!r} (text {text!r}) is not http(s) or relative: written as text — "
                           "give a https:// address (refs.bib: the url or code field, never \\url in a text field)",
                           location=(self.env.docname, line), type="llmkb", subtype="unsafe_link")
            text_node = nodes.inline("", "", *ref.children)
            ref.replace_self(text_node)
            if id(ref) in stand_ins:
                stand_ins[id(ref)].link = text_node


def setup(app: Sphinx) -> dict:
    app.add_post_transform(DropUnsafeLinks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
