"""An incremental build ends with the search index and sitemap a clean build of the same sources
writes (llmkb/sphinx_ext/incremental.py works around a Sphinx and a sphinx-sitemap bug)."""

import shutil
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from llmkb.search.index_file import read_index

ROOT = Path(__file__).parent / "roots" / "test-basic"

GLOSSARY = """\
# 术语表

:::{glossary}
低秩适配
  Low-rank adaptation (LoRA).

量化
  Storing weights in fewer bits.
:::
"""


def project(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    (src / "glossary.md").write_text(GLOSSARY, encoding="utf-8")
    index = (src / "index.md").read_text(encoding="utf-8")
    (src / "index.md").write_text(index.replace("other\n```", "other\nglossary\n```"), encoding="utf-8")
    with (src / "conf.py").open("a", encoding="utf-8") as f:
        f.write('\nextensions.append("sphinx_sitemap")\nhtml_baseurl = "https://example.org/"\n'
                'sitemap_url_scheme = "{link}"\n'
                # a few hundred bytes a shard: this small project's index is written in shards too
                "llmkb_search_shard_bytes = 200\n")
    return src


def build(src: Path, out: Path) -> Path:
    app = SphinxTestApp("html", srcdir=src, builddir=out)
    try:
        app.build()
        assert app.warning.getvalue() == ""
        return Path(app.outdir)
    finally:
        app.cleanup()


def index_entries(out: Path) -> dict:
    return read_index(out / "searchindex.js")["indexentries"]


@pytest.mark.parametrize("edited", ["other.md", "glossary.md"])
def test_an_edit_rebuild_writes_what_a_clean_build_writes(tmp_path, edited):
    src = project(tmp_path)
    out = build(src, tmp_path / "incremental")
    assert set(index_entries(out)) == {"低秩适配", "量化"}
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    for page in ("index.html", "other.html", "glossary.html", "genindex.html"):  # documents and Sphinx's pages
        assert f"<loc>https://example.org/{page}</loc>" in sitemap, page

    page = src / edited
    page.write_text(page.read_text(encoding="utf-8") + "\n多写一句。\n", encoding="utf-8")
    build(src, tmp_path / "incremental")  # rewrites the edited page (and its toctree parent) only
    clean = build(src, tmp_path / "clean")
    shards = sorted(p.relative_to(out).as_posix() for p in (out / "_search").rglob("*.js"))
    assert len(shards) > 1
    assert shards == sorted(p.relative_to(clean).as_posix() for p in (clean / "_search").rglob("*.js"))
    for name in ("searchindex.js", "sitemap.xml", *shards):
        assert (out / name).read_text(encoding="utf-8") == (clean / name).read_text(encoding="utf-8"), name
    assert set(index_entries(out)) == {"低秩适配", "量化"}
    assert read_index(out / "searchindex.js") == read_index(clean / "searchindex.js")


def test_a_removed_page_leaves_the_index_and_the_sitemap(tmp_path):
    src = project(tmp_path)
    out = build(src, tmp_path / "incremental")
    (src / "glossary.md").unlink()
    index = (src / "index.md").read_text(encoding="utf-8")
    (src / "index.md").write_text(index.replace("other\nglossary\n```", "other\n```"), encoding="utf-8")
    build(src, tmp_path / "incremental")
    assert index_entries(out) == {}
    assert "glossary.html" not in (out / "sitemap.xml").read_text(encoding="utf-8")
