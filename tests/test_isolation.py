"""Tests leave no Sphinx state behind for the tests after them (tests/conftest.py)."""

from pathlib import Path

TESTS = Path(__file__).parent

APPS = f"""
import shutil
from pathlib import Path

from sphinx.cmd.build import build_main
from sphinx.testing.util import SphinxTestApp

ROOT = Path({str(TESTS / "roots" / "test-basic")!r})


def test_a_chinese_book_built_as_sphinx_build_builds_it(tmp_path):
    # the theme SphinxTestApp uses: its footer is Sphinx's own, translated
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    with (src / "conf.py").open("a", encoding="utf-8") as f:
        f.write('\\nlanguage = "zh_CN"\\n')
    assert build_main(["-q", "-D", "html_theme=basic", str(src), str(tmp_path / "html"), "-d", str(tmp_path / "doctrees")]) == 0
    assert "创建" in (tmp_path / "html" / "index.html").read_text(encoding="utf-8")


def test_then_an_english_one_is_in_english(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    app = SphinxTestApp("html", srcdir=src)
    try:
        app.build()
    finally:
        app.cleanup()
    page = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert "Created using" in page and "创建" not in page
"""


def test_a_chinese_apps_translations_do_not_reach_the_next_tests_app(pytester):
    """The leak that made test_fast_bibtex's stock page Chinese after tests/test_preview.py."""
    pytester.makeconftest((TESTS / "conftest.py").read_text(encoding="utf-8"))
    pytester.makepyfile(test_apps=APPS)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)
