"""llmkb.sphinx_ext.page_assets: the filter docs/_templates/layout.html runs over the theme's head, and the
scripts it defers."""

from pathlib import Path
from types import SimpleNamespace

import pytest
from markupsafe import Markup
from sphinx.builders.html._assets import _CascadingStyleSheet, _JavaScript

from llmkb.sphinx_ext.page_assets import drop_assets, tune_assets

HEAD = """  <link href="../_static/styles/theme.css?digest=90905a" rel="stylesheet" />
<link href="../_static/styles/pydata-sphinx-theme.css?digest=90905a" rel="stylesheet" />
  <script defer src="../_static/scripts/fontawesome.js?digest=90905a"></script>
  <link rel="preload" as="script" href="../_static/scripts/bootstrap.js?digest=90905a" />
    <script src="../_static/searchtools.js"></script>
    <script src="../_static/language_data.js"></script>
    <script src="../searchindex.js"></script>
<script>var inline = "searchindex.js";</script>
<script src="../_static/my-searchindex.js"></script>
"""


def test_drops_exactly_the_named_assets():
    out = drop_assets(HEAD, "_static/scripts/fontawesome.js", "searchindex.js", "_static/searchtools.js",
                      "_static/styles/theme.css")
    assert isinstance(out, Markup)  # Jinja must not escape the theme's markup
    assert "fontawesome.js" not in out and "searchtools.js" not in out and "/styles/theme.css" not in out
    assert 'src="../searchindex.js"' not in out
    # a preload link, an inline script that mentions the name, a file whose name only ends the
    # same way, and assets not named all stay, byte for byte
    for kept in ('<link href="../_static/styles/pydata-sphinx-theme.css?digest=90905a" rel="stylesheet" />',
                 '<link rel="preload" as="script" href="../_static/scripts/bootstrap.js?digest=90905a" />',
                 '<script>var inline = "searchindex.js";</script>',
                 '<script src="../_static/my-searchindex.js"></script>',
                 '<script src="../_static/language_data.js"></script>'):
        assert kept in out


def test_nothing_named_nothing_dropped():
    assert drop_assets(HEAD) == HEAD
    assert drop_assets(HEAD, "_static/not-there.js") == HEAD
    assert drop_assets("", "searchindex.js") == ""


def _page(pagename: str,
          body: str = '<div class="highlight-python notranslate"><div class="highlight"><pre>x</pre></div></div>') -> dict:
    context = {"body": body, "script_files": [
        _JavaScript("_static/documentation_options.js", priority=200),
        _JavaScript("_static/doctools.js", priority=200),
        _JavaScript("_static/copybutton.js", priority=500),
        _JavaScript("_static/clipboard.min.js", priority=500, **{"async": "async"}),
        _JavaScript("_static/vendor/library.js", priority=500, defer="defer"),
        _JavaScript("", body="DOCUMENTATION_OPTIONS.pagename = 'x';"),
        "_static/old-style.js",
    ]}
    tune_assets(SimpleNamespace(), pagename, "page.html", context, None)
    return {str(getattr(js, "filename", js)): getattr(js, "attributes", {}) for js in context["script_files"]}


def test_defers_only_the_listed_scripts_and_keeps_their_order():
    scripts = _page("efficiency/peft")
    assert scripts["_static/doctools.js"] == {"defer": "defer"}
    assert scripts["_static/copybutton.js"] == {"defer": "defer"}
    assert "defer" not in scripts["_static/documentation_options.js"]  # inline head scripts use it
    assert scripts["_static/clipboard.min.js"] == {"async": "async"}  # never both async and defer
    assert scripts["_static/vendor/library.js"] == {"defer": "defer"}
    assert scripts[""] == {"body": "DOCUMENTATION_OPTIONS.pagename = 'x';"}
    assert list(scripts)[:3] == ["_static/documentation_options.js", "_static/doctools.js", "_static/copybutton.js"]


def test_search_page_keeps_the_theme_order():
    scripts = _page("search")
    assert "defer" not in scripts["_static/doctools.js"] and "defer" not in scripts["_static/copybutton.js"]


def test_trim_icon_css_keeps_used_icons_and_everything_else():
    from llmkb.sphinx_ext.page_assets import trim_icon_css

    css = ('.fa-solid{font-weight:900}.fa-lg{font-size:1.25em}'
           '.fa-bars,.fa-navicon{--fa:"\\f0c9"}.fa-store{--fa:"\\f54e"}'
           '.fa-close,.fa-multiply,.fa-xmark{--fa:"\\f00d"}.fa-magnifying-glass,.fa-search{--fa:"\\f002"}')
    out = trim_icon_css(css, {"fa-solid", "fa-bars", "fa-xmark"})
    assert out == ('.fa-solid{font-weight:900}.fa-lg{font-size:1.25em}'
                   '.fa-bars,.fa-navicon{--fa:"\\f0c9"}.fa-close,.fa-multiply,.fa-xmark{--fa:"\\f00d"}')
    assert trim_icon_css(css, set()) == '.fa-solid{font-weight:900}.fa-lg{font-size:1.25em}'
    assert trim_icon_css("", {"fa-bars"}) == ""


def test_used_icons_reads_pages_and_scripts(tmp_path):
    from llmkb.sphinx_ext.page_assets import used_icons

    (tmp_path / "a" / "_static" / "scripts").mkdir(parents=True)
    (tmp_path / "index.html").write_text('<i class="fa-solid fa-bars"></i>', encoding="utf-8")
    (tmp_path / "a" / "页面.html").write_text('<p>中文fa-xmark，</p><span class="fa-brands fa-github">', encoding="utf-8")
    (tmp_path / "a" / "_static" / "scripts" / "x.js").write_text('i.className = "fa-magnifying-glass"', encoding="utf-8")
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "y.js").write_text("'fa-circle-half-stroke'", encoding="utf-8")
    (tmp_path / "_static" / "z.css").write_text(".fa-store{}", encoding="utf-8")  # stylesheets name every icon
    (tmp_path / "b.txt").write_text("fa-store", encoding="utf-8")
    assert used_icons(tmp_path) >= {"fa-solid", "fa-bars", "fa-xmark", "fa-brands", "fa-github",
                                    "fa-circle-half-stroke"}
    assert "fa-store" not in used_icons(tmp_path)
    # the scripts the theme keeps in _static/scripts are read, other folders' scripts are not
    assert "fa-magnifying-glass" not in used_icons(tmp_path)
    (tmp_path / "_static" / "scripts").mkdir()
    (tmp_path / "_static" / "scripts" / "x.js").write_text('"fa-magnifying-glass"', encoding="utf-8")
    assert "fa-magnifying-glass" in used_icons(tmp_path)


def _css(body: str) -> list[str]:
    context = {"body": body, "css_files": [_CascadingStyleSheet(f"_static/{name}") for name in (
        "styles/pydata-sphinx-theme.css", "pygments.css", "copybutton.css", "sphinx-design.min.css", "llmkb.css")],
        "script_files": [_JavaScript("_static/clipboard.min.js"), _JavaScript("_static/copybutton.js"),
                         _JavaScript("_static/design-tabs.js"), _JavaScript("_static/doctools.js"),
                         _JavaScript("_static/llmkb-bibtex.js")]}
    tune_assets(SimpleNamespace(), "index", "page.html", context, None)
    return [str(a.filename).rsplit("/", 1)[-1] for a in (*context["css_files"], *context["script_files"])]


def test_assets_only_on_pages_that_use_them():
    assert _css("<p>纯文字</p>") == ["pydata-sphinx-theme.css", "llmkb.css", "doctools.js"]
    # a BibTeX block brings its own copy button; sphinx-copybutton is for Sphinx's code blocks
    assert _css('<div class="highlight llmkb-bibtex-source"><button class="llmkb-copy"></button><code>@article{x}</code>'
                '</div>') == ["pydata-sphinx-theme.css", "pygments.css", "llmkb.css", "doctools.js", "llmkb-bibtex.js"]
    # a paper row's closed citation dialog: the script fills it with those blocks when it opens
    assert _css('<details class="llmkb-bibtex"><summary>引用</summary><a class="llmkb-cite-fallback" href="x.bib"></a></details>') == [
        "pydata-sphinx-theme.css", "pygments.css", "llmkb.css", "doctools.js", "llmkb-bibtex.js"]
    assert _css('<details class="llmkb-search-hint">') == ["pydata-sphinx-theme.css", "llmkb.css", "doctools.js"]
    assert _css('<div class="highlight-bash notranslate"><div class="highlight"><pre><span></span>make html</pre>'
                '</div></div>') == ["pydata-sphinx-theme.css", "pygments.css", "copybutton.css", "llmkb.css",
                                    "clipboard.min.js", "copybutton.js", "doctools.js"]
    assert "sphinx-design.min.css" in _css('<div class="sd-card">') and "design-tabs.js" in _css('<div class="sd-tab-set">')


def test_css_codepoints_reads_characters_and_escapes_of_the_private_use_area():
    from llmkb.sphinx_ext.page_assets import css_codepoints

    css = '.fa-bars{--fa:"\\f0c9"}.x:after{content:"\uf05a"}.y:before{content:"\\2014 "}.z{--fa:"\\e163"}'
    assert css_codepoints(css) == {0xF0C9, 0xF05A, 0xE163}  # U+2014 (an em dash) is no icon
    assert css_codepoints("a{color:red}") == set()


THEME_FONTS = "theme/pydata_sphinx_theme/static/vendor/fontawesome/webfonts"


def test_subset_icon_fonts_keeps_the_drawn_glyphs_and_reuses_its_cache(tmp_path, monkeypatch):
    import shutil

    import pydata_sphinx_theme
    from fontTools.ttLib import TTFont

    from llmkb.sphinx_ext import page_assets

    out = tmp_path / "html"
    fonts = out / page_assets.ICON_FONTS
    fonts.mkdir(parents=True)
    solid = Path(pydata_sphinx_theme.__file__).parent / THEME_FONTS / "fa-solid-900.woff2"
    shutil.copy(solid, fonts)
    (out / "_static" / "a.css").write_text('.fa-bars{--fa:"\\f0c9"}.note:after{content:"\uf05a"}', encoding="utf-8")
    cache = tmp_path / "cache"

    sizes = page_assets.subset_icon_fonts(out, cache)
    assert set(TTFont(fonts / "fa-solid-900.woff2").getBestCmap()) == {0xF0C9, 0xF05A}
    before, after = sizes["fa-solid-900.woff2"]
    assert before == solid.stat().st_size and after < 3_000
    name_table = TTFont(fonts / "fa-solid-900.woff2")["name"]
    assert any("Font Awesome" in str(record) for record in name_table.names)  # licence/copyright kept

    shutil.copy(solid, fonts)  # the next build copies the full font again
    monkeypatch.setattr(page_assets, "subset_font", lambda *a: pytest.fail("cache not used"))
    assert page_assets.subset_icon_fonts(out, cache)["fa-solid-900.woff2"] == (before, after)
    assert set(TTFont(fonts / "fa-solid-900.woff2").getBestCmap()) == {0xF0C9, 0xF05A}

    (out / "_static" / "b.css").write_text('.fa-sun{--fa:"\\f185"}', encoding="utf-8")  # a new icon
    monkeypatch.undo()
    shutil.copy(solid, fonts)
    page_assets.subset_icon_fonts(out, cache)
    assert set(TTFont(fonts / "fa-solid-900.woff2").getBestCmap()) == {0xF0C9, 0xF05A, 0xF185}


def test_subset_icon_fonts_without_fonts_does_nothing(tmp_path):
    from llmkb.sphinx_ext.page_assets import subset_icon_fonts

    assert subset_icon_fonts(tmp_path) == {}


def test_a_subset_font_is_the_same_file_whenever_it_is_made(tmp_path, monkeypatch):
    """Two builds of the same book write the same icon fonts (the subset was stamped with the
    time it was saved: serial and -j builds, or a rebuild, differed in their .woff2 files)."""
    import shutil

    import pydata_sphinx_theme

    from llmkb.sphinx_ext import page_assets

    solid = Path(pydata_sphinx_theme.__file__).parent / THEME_FONTS / "fa-solid-900.woff2"
    made = []
    for when in ("1700000000", "1800000000"):  # fontTools reads the reproducible-builds clock
        monkeypatch.setenv("SOURCE_DATE_EPOCH", when)
        font = tmp_path / when / "fa-solid-900.woff2"
        font.parent.mkdir()
        shutil.copy(solid, font)
        page_assets.subset_font(font, {0xF0C9})
        made.append(font.read_bytes())
    assert made[0] == made[1]
