"""The search index is built by a forked child while the pages are written
(llmkb/sphinx_ext/search_index.py): the same searchindex.js as in-process, clean or incremental,
its errors fail the build, and the warnings of the pages it resolves are not reported twice."""

import json
import os
import shutil
from pathlib import Path

import pytest
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.errors import ExtensionError

from llmkb.sphinx_ext import background, search_index

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


@pytest.fixture
def exports_in_process(monkeypatch):
    """Only the search index's child forks (the exports' child has tests/test_background.py)."""
    monkeypatch.setattr(background, "start", _search_only(background.start))


def _search_only(start):
    def only_search(app, job, slot="llmkb_background", **kwargs):
        return slot == search_index.SLOT and start(app, job, slot=slot, **kwargs)
    return only_search


def project(tmp_path: Path, name: str) -> Path:
    src = tmp_path / name
    shutil.copytree(ROOT, src)
    (src / "glossary.md").write_text(GLOSSARY, encoding="utf-8")
    index = (src / "index.md").read_text(encoding="utf-8")
    (src / "index.md").write_text(index.replace("other\n```", "other\nglossary\n```"), encoding="utf-8")
    with (src / "conf.py").open("a", encoding="utf-8") as f:
        f.write('\nlanguage = "zh_CN"\n')
    return src


def index(out: Path) -> dict:
    text = (out / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1:text.rindex(")")])


def pages(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.glob("*.html"))}


def test_the_child_writes_the_index_the_build_would(make_app, tmp_path, forks, exports_in_process, monkeypatch):
    forked = make_app("html", srcdir=project(tmp_path, "forked"))
    forked.build()
    assert len(forks) == 1 and forked.llmkb_search_child is None  # one child, waited for
    assert "index_page" not in forked.builder.__dict__  # the builder is itself again
    found = index(Path(forked.outdir))
    assert sorted(found["docnames"]) == ["glossary", "index", "other"]
    assert set(found["indexentries"]) == {"低秩适配", "量化"}  # the glossary's terms
    assert "量化" in found["terms"] or any("量化" in term for term in found["terms"])

    monkeypatch.setattr(search_index, "BUILDERS", ())
    inline = make_app("html", srcdir=project(tmp_path, "inline"))
    inline.build()
    assert len(forks) == 1  # no second child
    assert (Path(inline.outdir) / "searchindex.js").read_bytes() == (Path(forked.outdir) / "searchindex.js").read_bytes()
    assert pages(Path(inline.outdir)) == pages(Path(forked.outdir))


def test_an_edit_rebuild_forks_and_ends_with_the_clean_index(make_app, tmp_path, forks, exports_in_process):
    src = project(tmp_path, "src")
    app = make_app("html", srcdir=src)
    app.build()
    other = src / "other.md"
    other.write_text(other.read_text(encoding="utf-8") + "\n新增一个词：蒸馏。\n", encoding="utf-8")
    again = make_app("html", srcdir=src)
    again.build()  # writes other.md only; the child keeps the rest of the loaded index
    assert len(forks) == 2
    clean = make_app("html", srcdir=project(tmp_path, "clean"))
    (Path(clean.srcdir) / "other.md").write_text(other.read_text(encoding="utf-8"), encoding="utf-8")
    clean.build()
    assert (Path(again.outdir) / "searchindex.js").read_text(encoding="utf-8") == \
        (Path(clean.outdir) / "searchindex.js").read_text(encoding="utf-8")
    assert set(index(Path(again.outdir))["indexentries"]) == {"低秩适配", "量化"}


def test_an_error_in_the_child_fails_the_build_and_keeps_the_old_index(make_app, tmp_path, forks,
                                                                        exports_in_process, monkeypatch):
    src = project(tmp_path, "src")
    first = make_app("html", srcdir=src)
    first.build()
    before = (Path(first.outdir) / "searchindex.js").read_bytes()

    def broken(builder):
        raise ValueError("the index is corrupt (test)")
    monkeypatch.setattr(StandaloneHTMLBuilder, "dump_search_index", broken)  # only the child calls it
    (src / "other.md").write_text((src / "other.md").read_text(encoding="utf-8") + "\n改一句。\n", encoding="utf-8")
    app = make_app("html", srcdir=src)
    with pytest.raises(ExtensionError) as error:
        app.build()
    assert len(forks) == 2
    message = str(error.value)
    assert "building the search index (searchindex.js) failed in the background process (exit code 1)" in message
    assert "ValueError: the index is corrupt (test)" in message and "build_index" in message
    assert (Path(app.outdir) / "searchindex.js").read_bytes() == before  # nothing half-written
    assert app.llmkb_search_child is None and "dump_search_index" not in app.builder.__dict__


def test_a_child_that_dies_fails_the_build(make_app, tmp_path, forks, exports_in_process, monkeypatch):
    parent = os.getpid()

    def dies(builder):
        if os.getpid() == parent:  # never end the test run itself
            raise AssertionError("the index was dumped by the build's own process")
        os._exit(3)
    monkeypatch.setattr(StandaloneHTMLBuilder, "dump_search_index", dies)
    app = make_app("html", srcdir=project(tmp_path, "src"))
    with pytest.raises(ExtensionError, match=r"exit code 3\):\nit ended without a report"):
        app.build()


def test_a_page_warning_is_reported_once(make_app, tmp_path, forks, exports_in_process):
    """The child resolves every page the parent resolves; the parent reports the warnings."""
    src = project(tmp_path, "src")
    (src / "other.md").write_text((src / "other.md").read_text(encoding="utf-8")
                                  + "\n见{doc}`no-such-page`。\n", encoding="utf-8")
    app = make_app("html", srcdir=src)
    app.build()
    assert len(forks) == 1
    warnings = app._warning.getvalue()
    assert warnings.count("unknown document") == 1, warnings


def test_no_child_without_a_search_index(make_app, tmp_path, forks, exports_in_process):
    app = make_app("html", srcdir=project(tmp_path, "src"))
    app.builder.search = False  # a builder without search (Sphinx's own switch) has no indexer
    app.build()
    assert forks == []
    assert not (Path(app.outdir) / "searchindex.js").exists()
