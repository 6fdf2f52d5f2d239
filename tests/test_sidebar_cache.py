"""The theme's sidebar built once per folder and toctree parent (llmkb/sphinx_ext/sidebar_cache.py):
every page comes out as the theme alone would write it, and the reuse really happens."""

from pathlib import Path

from llmkb.sphinx_ext import sidebar_cache

ROOT = Path(__file__).parent / "roots" / "test-sidebar"


def output(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*.html"))}


def test_every_page_is_what_the_theme_writes_and_siblings_reuse_the_sidebar(make_app, tmp_path, monkeypatch):
    moved = []
    real = sidebar_cache.move_mark

    def counting(*args):
        result = real(*args)
        moved.append(result is not None)
        return result

    monkeypatch.setattr(sidebar_cache, "move_mark", counting)
    cached = make_app("html", srcdir=ROOT, builddir=tmp_path / "cached")
    cached.build()
    assert cached._warning.getvalue() == ""
    plain = make_app("html", srcdir=ROOT, builddir=tmp_path / "plain", confoverrides={"llmkb_sidebar_cache": False})
    plain.build()
    got, want = output(Path(cached.outdir)), output(Path(plain.outdir))
    assert got.keys() == want.keys() and len(got) >= 9
    for name in want:
        assert got[name] == want[name], name
    # the root's two leaves, a/'s three and b/'s two: one drawn per group, the others moved
    # (each page asks twice: the theme's emptiness check, then the page itself)
    assert moved and all(moved) and len(moved) == 2 * (1 + 2 + 1)


def test_the_mark_moves_only_when_both_entries_are_found_once():
    sidebar = ('<ul><li class="toctree-l1 current active"><a class="current reference internal" href="#">甲一</a></li>\n'
               '<li class="toctree-l1"><a class="reference internal" href="two.html">甲二</a></li></ul>')
    assert sidebar_cache.move_mark(sidebar, "two.html", "one.html") == (
        '<ul><li class="toctree-l1"><a class="reference internal" href="one.html">甲一</a></li>\n'
        '<li class="toctree-l1 current active"><a class="current reference internal" href="#">甲二</a></li></ul>')
    assert sidebar_cache.move_mark(sidebar, "three.html", "one.html") is None  # the sibling is not there
    assert sidebar_cache.move_mark(sidebar.replace(" current active", ""), "two.html", "one.html") is None
    twice = sidebar + sidebar.replace("current active", "x").replace("甲一", "甲一'")
    assert sidebar_cache.move_mark(twice, "two.html", "one.html") is None  # the sibling's link twice
