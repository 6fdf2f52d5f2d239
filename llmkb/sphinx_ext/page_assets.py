"""What a page loads: keep the theme's head to the scripts the page uses.

pydata-sphinx-theme (under sphinx-book-theme) puts two heavy things in the head of every page:

* ``_static/scripts/fontawesome.js`` (1.5 MB, 540 KB gzipped) rewrites each ``<i class="fa-…">``
  into inline SVG, "so that users can add custom icons". The theme's own stylesheet already
  draws every Font Awesome icon from the webfont it ships (``fa-solid-900.woff2``, 115 KB,
  fetched only once an icon is on screen), and this book adds no custom icons — so the script
  only costs a mobile reader a second of parsing on every page.
* ``searchtools.js``, ``language_data.js`` and ``searchindex.js`` (300 KB for this book, and it
  grows with every page) are loaded synchronously on every page for the search-as-you-type
  dialog. With ``search_as_you_type`` off (the theme's default, and ours) the dialog is a plain
  form that opens ``search.html``, the only page that uses them; it loads them itself.

Two smaller things hold up the first paint on a slow phone:

* seven small scripts (Sphinx's doctools, the copy button, the themes' and sphinx-design's
  helpers) load synchronously in the head although each waits for the parsed page before it does
  anything: :func:`tune_assets` gives them ``defer`` (they still run in the same order, before
  ``DOMContentLoaded``). ``documentation_options.js`` stays synchronous: inline scripts in the
  head write to ``DOCUMENTATION_OPTIONS``. The search page keeps the theme's order, because its
  own scripts call ``doctools.js`` while the page is parsed.
* the theme's ``theme.css`` is only ``@import "../basic.css"``: a second round trip before any
  text shows. The layout links ``basic.css`` directly in its place (same cascade order).

Extensions add their assets to every page: sphinx-design's stylesheet and tab script (no page
of the book uses a card or tab yet), Pygments' colours and the copy button's stylesheet and two
scripts (pages without code or BibTeX blocks). :func:`tune_assets` keeps them on the pages
whose body uses them (:data:`ONLY_WHERE`), as Sphinx itself does for MathJax.

The theme's stylesheet, render-blocking on every page, also carries a rule for each of Font
Awesome's ~2,000 icons (66 KB of its 376 KB; 19 KB of 64 KB gzipped); the book shows about
fifteen. :func:`trim_icon_css` keeps the rules of the icons that some page or theme script names.
The webfonts behind them are trimmed the same way: the solid font alone is 115 KB, fetched at
the highest priority on every page (the header's icons use it), and it competed with the page
itself for a phone's bandwidth before the first paint. :func:`subset_icon_fonts` keeps the glyphs
that the remaining stylesheet rules draw (~30 of ~2,000: 3 KB).

``docs/_templates/layout.html`` filters the theme's ``css`` and ``extrahead`` blocks through
:func:`drop_assets`; everything else the theme renders is left exactly as it was.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from markupsafe import Markup
from sphinx.application import Sphinx

FILTER = "llmkb_drop_assets"

#: scripts that only act on the parsed page (each waits for DOMContentLoaded or document.readyState)
DEFERRABLE = frozenset({
    "_static/doctools.js", "_static/sphinx_highlight.js", "_static/translations.js",
    "_static/clipboard.min.js", "_static/copybutton.js", "_static/llmkb-bibtex.js",
    "_static/scripts/sphinx-book-theme.js", "_static/design-tabs.js",
})


#: asset file name -> what a page's body must contain for the asset to be loaded (or one of several)
_CODE = 'class="highlight'  # Sphinx's code blocks (highlight-…) and the book's BibTeX blocks
_PRE = '<div class="highlight"><pre>'  # Sphinx's code blocks only: what sphinx-copybutton serves
#: a paper row's closed citation dialog: llmkb-bibtex.js fills it with BibTeX blocks when opened
_DIALOG = '<details class="llmkb-bibtex">'
ONLY_WHERE = {
    "sphinx-design.min.css": 'class="sd-', "design-tabs.js": 'class="sd-',
    "llmkb-math.css": "<mjx-container",  # formulas drawn by llmkb.math.svg
    "llmkb-bibtex.js": ('class="llmkb-copy"', _DIALOG),  # the BibTeX blocks' copy buttons
    "pygments.css": (_CODE, _DIALOG), "copybutton.css": _PRE, "copybutton.js": _PRE, "clipboard.min.js": _PRE,
}


_TAG = re.compile(r'[ \t]*(?:<script\b[^>]*\bsrc="(?P<src>[^"]*)"[^>]*>\s*</script>'
                  r'|<link\b(?=[^>]*\brel="stylesheet")[^>]*\bhref="(?P<href>[^"]*)"[^>]*>)\n?')


def drop_assets(html: str, *paths: str) -> Markup:
    """``html`` without the ``<script src=…>`` and stylesheet ``<link>`` tags whose URL path ends
    with one of ``paths``.

    Matches ``../_static/x.js?digest=…`` as well as ``_static/x.js``; other tags are untouched.
    """
    def keep(m: re.Match) -> str:
        url = (m.group("src") or m.group("href")).split("?", 1)[0].split("#", 1)[0]
        return "" if any(url == p or url.endswith("/" + p) for p in paths) else m.group(0)

    return Markup(_TAG.sub(keep, str(html)))


def _deferred(js):
    attributes = getattr(js, "attributes", None)  # Sphinx's _JavaScript; old-style str assets have none
    if attributes is None or str(js.filename) not in DEFERRABLE or "async" in attributes:
        return js
    return type(js)(js.filename, priority=js.priority, **{**attributes, "defer": "defer"})


def _used(asset, body: str) -> bool:
    marker = ONLY_WHERE.get(str(getattr(asset, "filename", asset)).rsplit("/", 1)[-1])
    return marker is None or any(m in body for m in ((marker,) if isinstance(marker, str) else marker))


def tune_assets(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Drop the :data:`ONLY_WHERE` assets a page does not use, and load the :data:`DEFERRABLE`
    scripts with ``defer`` (the search page keeps the theme's order)."""
    body = context.get("body", "")
    if "css_files" in context:
        context["css_files"] = [css for css in context["css_files"] if _used(css, body)]
    if "script_files" in context:
        scripts = [js for js in context["script_files"] if _used(js, body)]
        context["script_files"] = scripts if pagename == "search" else [_deferred(js) for js in scripts]


THEME_CSS = "_static/styles/pydata-sphinx-theme.css"
_ICON_RULE = re.compile(r'(?P<names>\.fa-[a-z0-9-]+(?:,\.fa-[a-z0-9-]+)*)\{--fa:"[^"]*"\}')
#: on the files' bytes, and without a word boundary before it: ``\bfa-`` on decoded text took
#: 0.56 s over the 1,000-entry book's 20 MB of pages (a pattern that opens with ``\b`` is tried
#: at every position), this 0.01 s. It finds a superset (``sofa-bed`` names ``fa-bed``), and an
#: icon kept that nobody uses costs one CSS rule, where one dropped that a page uses is a blank.
_ICON_NAME = re.compile(rb"fa-[a-z0-9-]+")


def used_icons(outdir: Path) -> set[str]:
    """Every ``fa-…`` class a built page or a theme/book script names (and any other ``fa-…``
    run of letters, digits and hyphens in them)."""
    used: set[bytes] = set()
    files = [*outdir.rglob("*.html"), *(outdir / "_static" / "scripts").glob("*.js"), *(outdir / "_static").glob("*.js")]
    for path in files:
        used.update(_ICON_NAME.findall(path.read_bytes()))
    return {name.decode("ascii") for name in used}


def trim_icon_css(css: str, used: set[str]) -> str:
    """``css`` without the icon rules (``.fa-x,.fa-alias{--fa:"\\f0c9"}``) of icons nobody uses."""
    def keep(m: re.Match) -> str:
        return m.group(0) if used.intersection(n[1:] for n in m.group("names").split(",")) else ""

    return _ICON_RULE.sub(keep, css)


def trim_theme_css(app: Sphinx, exception: Exception | None) -> None:
    """After each HTML build (the theme's CSS is copied afresh every build, so this starts from it)."""
    if exception is not None or app.builder.format != "html":
        return
    css = Path(app.outdir) / THEME_CSS
    if not css.is_file():
        return
    text = css.read_text(encoding="utf-8")
    trimmed = trim_icon_css(text, used_icons(Path(app.outdir)))
    if trimmed != text:
        css.write_text(trimmed, encoding="utf-8")
    subset_icon_fonts(Path(app.outdir), Path(app.doctreedir) / "llmkb-icon-fonts")


ICON_FONTS = "_static/vendor/fontawesome/webfonts"
#: Font Awesome draws every icon from the Private Use Area: U+E000-U+F8FF
_PUA = range(0xE000, 0xF900)
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{4,6})(?![0-9a-fA-F])")


def css_codepoints(css: str) -> set[int]:
    """The Private Use Area characters ``css`` draws, written as such or as CSS escapes (``"\\f0c9"``)."""
    points = {ord(c) for c in css if ord(c) in _PUA}
    points.update(cp for cp in (int(h, 16) for h in _CSS_ESCAPE.findall(css)) if cp in _PUA)
    return points


def subset_font(path: Path, codepoints: set[int]) -> None:
    """Rewrite the WOFF2 font at ``path`` with only the glyphs of ``codepoints`` (fontTools, brotli)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]  # keep the licence and copyright notices
    options.notdef_outline = True
    # the subset keeps the full font's "modified" date: fontTools would stamp the time of saving,
    # and two builds of the same book (serial and -j, or a rebuild) wrote different files
    font = TTFont(path, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)
    font.flavor = "woff2"
    font.save(path)


def subset_icon_fonts(outdir: Path, cache: Path | None = None) -> dict[str, tuple[int, int]]:
    """Trim the theme's Font Awesome webfonts to the glyphs the built stylesheets draw.

    Returns ``{font name: (bytes before, bytes after)}``. Run after :func:`trim_icon_css`.
    Sphinx copies the theme's full fonts afresh every build; subsetting takes 0.3 s, so results
    are kept in ``cache`` under a digest of the full font and the glyph list.
    """
    fonts = sorted((outdir / ICON_FONTS).glob("*.woff2"))
    if not fonts:
        return {}
    codepoints: set[int] = set()
    for css in (outdir / "_static").rglob("*.css"):
        codepoints |= css_codepoints(css.read_text(encoding="utf-8", errors="replace"))
    glyphs = ",".join(map(str, sorted(codepoints))).encode()
    sizes = {}
    for font in fonts:
        full = font.read_bytes()
        kept = cache / f"{font.stem}-{hashlib.sha256(full + glyphs).hexdigest()[:16]}.woff2" if cache else None
        if kept is not None and kept.is_file():
            font.write_bytes(kept.read_bytes())
        else:
            subset_font(font, codepoints)
            if kept is not None:
                kept.parent.mkdir(parents=True, exist_ok=True)
                kept.write_bytes(font.read_bytes())
        sizes[font.name] = (len(full), font.stat().st_size)
    return sizes


def add_filter(app: Sphinx) -> None:
    templates = getattr(app.builder, "templates", None)
    if templates is not None and hasattr(templates, "environment"):
        templates.environment.filters[FILTER] = drop_assets


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", add_filter)
    app.connect("html-page-context", tune_assets, priority=900)  # after every script is added
    app.connect("build-finished", trim_theme_css)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
