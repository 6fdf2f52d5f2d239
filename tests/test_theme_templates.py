"""The theme's blank-template check skipped where a template cannot be blank
(llmkb/sphinx_ext/theme_templates.py): every page is what the theme alone writes, with fewer renders."""

from pathlib import Path

import pytest
from jinja2 import Environment
from sphinx.jinja2glue import BuiltinTemplateLoader

from llmkb.sphinx_ext import theme_templates

ROOT = Path(__file__).parent / "roots" / "test-sidebar"
EXTENSIONS = ["myst_parser", "llmkb.sphinx_ext.theme_templates"]


def output(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*.html"))}


@pytest.mark.parametrize("source, blank_possible", [
    ('<nav class="x">{{ generate() }}</nav>', False),
    ('{# comment #}\n  <div>{% for b in buttons %}{{ b }}{% endfor %}</div>', False),
    ('{% from "m.html" import f with context %}\n<div>{{ f() }}</div>', False),
    ('{% if show %}<nav>{{ x }}</nav>{% endif %}', True),  # the condition may be false
    ('{{ x }}', True),  # the value may be empty
    ('  \n{%- for i in items %}<li>{{ i }}</li>{% endfor %}\n', True),  # only whitespace outside the loop
    ('{% macro m() %}<b>x</b>{% endmacro %}', True),  # a macro's body is not written by itself
    ('{% extends "base.html" %}text outside a block{% block b %}{% endblock %}', True),  # never written
    ('{% block body %}<p>x</p>{% endblock %}', True),  # a child may override the block with nothing
])
def test_never_blank_only_with_literal_text_at_the_top(source, blank_possible):
    assert theme_templates.never_blank(Environment().parse(source)) is not blank_possible


def test_pages_are_the_same_and_the_check_renders_less(make_app, tmp_path, monkeypatch):
    renders = []
    real = BuiltinTemplateLoader.render

    def counting(self, template, context):
        renders.append(template)
        return real(self, template, context)

    monkeypatch.setattr(BuiltinTemplateLoader, "render", counting)
    built = {}
    for skip in (True, False):
        renders.clear()
        app = make_app("html", srcdir=ROOT, builddir=tmp_path / str(skip),
                       confoverrides={"extensions": EXTENSIONS, "llmkb_skip_blank_check": skip})
        app.build()
        if skip:  # the second app in a process warns that docutils' node classes are registered already
            assert app._warning.getvalue() == ""
        built[skip] = (output(Path(app.outdir)), list(renders))
    (fast, fast_renders), (plain, plain_renders) = built[True], built[False]
    assert fast.keys() == plain.keys() and len(fast) >= 9
    for name in plain:
        assert fast[name] == plain[name], name
    # the book theme's sidebar navigation and header buttons were rendered on their own for the
    # check on every page (the page itself includes them without a render call of its own); no more
    for template in ("sbt-sidebar-nav.html", "article-header-buttons.html"):
        assert plain_renders.count(template) >= 10 and fast_renders.count(template) == 0, template
    # a template that may be blank is still checked: the theme's secondary-sidebar table of contents
    assert fast_renders.count("page-toc.html") == plain_renders.count("page-toc.html") > 0


def test_other_apps_in_the_process_are_left_alone(make_app, tmp_path):
    """The theme's function is wrapped for the process; an app without the extension (or with it
    switched off) still checks every template, as the sidebar test's render count relies on."""
    on = make_app("html", srcdir=ROOT, builddir=tmp_path / "on", confoverrides={"extensions": EXTENSIONS})
    on.build()
    from pydata_sphinx_theme import utils
    assert getattr(utils._update_and_remove_templates, "llmkb_wrapped", False)
    off = make_app("html", srcdir=ROOT, builddir=tmp_path / "off", confoverrides={"extensions": ["myst_parser"]})
    assert not getattr(off, theme_templates.ENABLED, False)
    checked = []
    real = theme_templates.template_never_blank
    try:
        theme_templates.template_never_blank = lambda app, name: checked.append(name) or real(app, name)
        off.build()
    finally:
        theme_templates.template_never_blank = real
    assert checked == []
