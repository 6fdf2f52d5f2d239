"""The theme's check for empty templates, skipped for templates that cannot render empty.

Before it writes a page, pydata-sphinx-theme renders every template of the page's header, footer
and sidebars once on its own, only to drop those that come out blank
(``utils._update_and_remove_templates``); the page then renders each again. For the book that was
~0.5 s of each writing process in a clean build of the 1,000-entry book, most of it the book
theme's sidebar navigation (``sbt-sidebar-nav.html``, ~9 ms a page) and header buttons. Both open
with markup outside any ``{% if %}`` (``<nav class="bd-links …">``, ``<div
class="article-header-buttons">``): they are never blank, and the check only confirms it.

So the check is skipped for any template that provably renders something: its parsed body
(Jinja's AST) has literal text other than whitespace at the top level, outside every block,
condition, loop and macro, and it extends no other template. Whatever such a template's context,
that text is written, so the theme would keep it; the pages are the same file for file
(tests/test_theme_templates.py builds a book both ways). Any other template is checked as
before. The theme already skips the check for its two slowest (``templates_skip_empty_check``);
this passes it more names. Apps without this extension are left alone, although the theme's
function is wrapped for the whole process.
"""

from __future__ import annotations

import functools
import os
from typing import Any

from jinja2 import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: set on an app whose builds skip the check (``llmkb_skip_blank_check``); other apps are left alone
ENABLED = "llmkb_skip_blank_check_on"
#: on the app: template name -> whether it can never render blank (parsed once per build)
VERDICTS = "llmkb_never_blank"


def never_blank(template: nodes.Template) -> bool:
    """True when a parsed template always writes some non-blank literal text."""
    if any(isinstance(node, nodes.Extends) for node in template.body):
        return False  # a child template's top-level text is never written: its blocks are
    for node in template.body:
        if isinstance(node, nodes.Output):
            if any(isinstance(part, nodes.TemplateData) and part.data.strip() for part in node.nodes):
                return True
    return False


def template_never_blank(app: Sphinx, name: str) -> bool:
    """:func:`never_blank` for the template ``name`` as this app's builder finds it (False if it
    cannot be loaded or parsed: the theme then checks it, and reports what is wrong)."""
    verdicts = getattr(app, VERDICTS, None)
    if verdicts is None:
        verdicts = {}
        setattr(app, VERDICTS, verdicts)
    if name not in verdicts:
        loader = app.builder.templates
        try:
            source, _, _ = loader.get_source(loader.environment, name)
            verdicts[name] = never_blank(loader.environment.parse(source))
        except Exception:  # noqa: BLE001 - the theme's own render reports it
            verdicts[name] = False
    return verdicts[name]


def _names(templates: list | str) -> list[str]:
    """The template names as the theme's function reads them: comma-separated in a string,
    ``.html`` added where there is no suffix."""
    if isinstance(templates, str):
        templates = [name.strip() for name in templates.split(",")]
    return [name if os.path.splitext(name)[1] else f"{name}.html" for name in templates]


def wrap(remove_templates):
    """The theme's ``_update_and_remove_templates``, told to skip the never-blank templates of
    apps that asked for it."""
    @functools.wraps(remove_templates)
    def update_and_remove_templates(app: Sphinx, context: dict[str, Any], templates: list | str, section: str,
                                    templates_skip_empty_check: list[str] | None = None) -> list[str]:
        skip = list(templates_skip_empty_check or [])
        if getattr(app, ENABLED, False):
            skip += [name for name in _names(templates) if template_never_blank(app, name)]
        return remove_templates(app, context, templates, section, templates_skip_empty_check=skip)

    update_and_remove_templates.llmkb_wrapped = True
    return update_and_remove_templates


def install(app: Sphinx) -> None:
    """``builder-inited``: wrap the theme's function once per process, and turn the skip on for
    this app (``llmkb_skip_blank_check``, default on)."""
    setattr(app, VERDICTS, {})  # templates may differ between builds in one process
    if not app.config.llmkb_skip_blank_check:
        setattr(app, ENABLED, False)
        return
    try:
        from pydata_sphinx_theme import utils
    except ImportError:  # another theme: nothing to skip
        return
    current = getattr(utils, "_update_and_remove_templates", None)
    if current is None:
        logger.warning("pydata-sphinx-theme has no _update_and_remove_templates any more: every template "
                       "is checked for blankness again (set llmkb_skip_blank_check = False to silence this)",
                       type="llmkb", subtype="theme")
        return
    if not getattr(current, "llmkb_wrapped", False):
        utils._update_and_remove_templates = wrap(current)
    setattr(app, ENABLED, True)


def setup(app: Sphinx) -> dict:
    app.add_config_value("llmkb_skip_blank_check", True, "html", bool)
    app.connect("builder-inited", install)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
