"""The theme's sidebar navigation, built once for the pages that share it.

pydata-sphinx-theme builds the sidebar's table of contents afresh for every page it writes
(``generate_toctree_html``: Sphinx resolves the whole toctree, renders it, BeautifulSoup reworks
it): ~45 ms a page, 2.5–3 s of CPU in a clean build of the 1,000-entry book (benchmarks/README.md,
session 15). Yet two pages in the same folder with the same parent in the toctree, neither with
children of its own, get the same sidebar but for one thing: which entry is marked as the page
being read. So the first such page's sidebar is kept, and each of its siblings gets a copy with
the mark moved — the sibling's entry marked, the first page's entry a plain link — when both
entries are found exactly as the theme writes them. Anything else (another folder, a page with
children, a sidebar the theme drew differently) goes to the theme as before; the output is the
same file for file (tests/test_sidebar_cache.py builds a book both ways and compares every page).

pydata creates ``generate_toctree_html`` inside its own ``html-page-context`` handler, and its
template check (``update_and_remove_templates``) calls it at the same priority right after, so a
later handler would come too late: at ``builder-inited`` the theme's listener is replaced by a
wrapper that runs it and then puts the caching function in its place (the listener keeps its id and
priority). Without the theme's handler (another theme), nothing changes.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from sphinx.application import Sphinx

#: the theme's handler that puts ``generate_toctree_html`` into a page's context
THEME_HANDLER = ("pydata_sphinx_theme.toctree", "add_toctree_functions")
#: the app attribute holding this build's ``Sidebars``
SLOT = "llmkb_sidebars"

#: a sidebar entry as pydata-sphinx-theme writes it: for the page being read, and for another page
_CURRENT = re.compile(r'<li class="toctree-l(\d+) current active"><a class="current reference internal" '
                      r'href="#">((?:(?!</a>).)*)</a></li>', re.S)


def _plain(href: str) -> re.Pattern[str]:
    return re.compile(r'<li class="toctree-l(\d+)"><a class="reference internal" href="'
                      + re.escape(html.escape(href)) + r'">((?:(?!</a>).)*)</a></li>', re.S)


def parents(env) -> dict[str, str]:
    """docname -> the page whose toctree lists it."""
    return {child: parent for parent, children in env.toctree_includes.items() for child in children}


@dataclass
class Sidebars:
    """One build's state: the first sidebar drawn for each (group, arguments), as (page, html),
    and the toctree's parents (read once the pages are, at the first page written)."""

    drawn: dict[tuple, tuple[str, str]] = field(default_factory=dict)
    parent: dict[str, str] | None = None

    def group_of(self, env, pagename: str) -> tuple[str, str] | None:
        """Pages whose sidebars differ only in the current page's mark share a group: same
        folder, same toctree parent, no toctree of their own. None: the page is not such a leaf."""
        if self.parent is None:
            self.parent = parents(env)
        parent = self.parent.get(pagename)
        if parent is None or pagename in env.toctree_includes:
            return None
        return posixpath.dirname(pagename), parent


def move_mark(sidebar: str, href_from_first: str, href_of_first: str) -> str | None:
    """The sidebar drawn for one page of a group, as it is for a sibling: the sibling's entry
    (``href_from_first``: its link in the first page's sidebar) marked current, and the first
    page's entry (marked in ``sidebar``) a link to ``href_of_first``. None when either entry is
    not found exactly once."""
    sibling = _plain(href_from_first)
    current = _CURRENT.findall(sidebar)
    if len(current) != 1 or len(sibling.findall(sidebar)) != 1:
        return None
    level, title = current[0]
    sidebar = _CURRENT.sub(lambda m: f'<li class="toctree-l{level}"><a class="reference internal" '
                                     f'href="{html.escape(href_of_first)}">{title}</a></li>', sidebar)
    return sibling.sub(
        lambda m: f'<li class="toctree-l{m.group(1)} current active"><a class="current reference internal" '
                  f'href="#">{m.group(2)}</a></li>', sidebar)


def caching(app: Sphinx, pagename: str, generate: Callable[..., Any]) -> Callable[..., Any]:
    """``generate_toctree_html`` for one page, with the sidebar of its group reused."""
    sidebars: Sidebars = getattr(app, SLOT)
    group = sidebars.group_of(app.env, pagename)

    def generate_toctree_html(kind: str, startdepth: int = 1, show_nav_level: int = 1, **kwargs):
        if group is None or kind != "sidebar":
            return generate(kind, startdepth, show_nav_level, **kwargs)
        key = (group, startdepth, show_nav_level, tuple(sorted(kwargs.items())))
        first = sidebars.drawn.get(key)
        if first is not None and first[0] != pagename:
            builder = app.builder
            moved = move_mark(first[1], builder.get_relative_uri(first[0], pagename),
                              builder.get_relative_uri(pagename, first[0]))
            if moved is not None:
                return moved
        drawn = str(generate(kind, startdepth, show_nav_level, **kwargs))
        if first is None:
            sidebars.drawn[key] = (pagename, drawn)
        return drawn

    return generate_toctree_html


def wrap(handler: Callable[..., None]) -> Callable[..., None]:
    def add_toctree_functions(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
        handler(app, pagename, templatename, context, doctree)
        generate = context.get("generate_toctree_html")
        if generate is not None and app.config.llmkb_sidebar_cache and app.builder.name == "html":
            context["generate_toctree_html"] = caching(app, pagename, generate)

    return add_toctree_functions


def start(app: Sphinx) -> None:
    """builder-inited (the theme was set up as the builder loaded it): a fresh cache for this build
    (``llmkb.preview`` builds again in one process), and the theme's handler wrapped in its place."""
    setattr(app, SLOT, Sidebars())
    listeners = app.events.listeners.get("html-page-context", [])
    for i, listener in enumerate(listeners):
        handler = listener.handler
        if (getattr(handler, "__module__", None), getattr(handler, "__name__", None)) == THEME_HANDLER:
            listeners[i] = listener._replace(handler=wrap(handler))
            return


def setup(app: Sphinx) -> dict:
    app.add_config_value("llmkb_sidebar_cache", True, "html", bool)
    app.connect("builder-inited", start)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
