"""The HTML build's exports are written by a forked child while the pages are written
(llmkb/sphinx_ext/background.py): same files as in-process, its warnings and errors reach the build."""

import os
import threading
from pathlib import Path

import pytest
from sphinx.errors import ExtensionError

from llmkb.sphinx_ext import background, extension, page_bib, split_write

ROOT = Path(__file__).parent / "roots" / "test-basic"

#: what write_exports writes for the basic root: each page's and the book's reference files in three
#: formats, and one citation-dialog file per paper shown
EXPORTS = 2 * 3 + 3 + 4


def exports(outdir: Path) -> dict[str, bytes]:
    paths = [*outdir.glob("_bib/*"), *outdir.glob("refs.*"), *outdir.glob("_static/cite/*")]
    return {p.relative_to(outdir).as_posix(): p.read_bytes() for p in sorted(paths)}


@pytest.fixture(autouse=True)
def _exports_child_only(monkeypatch):
    """The pages' writing child (tests/test_split_write.py) stays out of these counts."""
    monkeypatch.setattr(split_write, "BUILDERS", ())


def copy_root(tmp_path: Path, name: str) -> Path:
    import shutil

    src = tmp_path / name
    shutil.copytree(ROOT, src)
    return src


def test_a_child_writes_the_same_exports_as_the_build_itself(make_app, tmp_path, forks, monkeypatch):
    forked = make_app("html", srcdir=copy_root(tmp_path, "forked"))
    forked.build()
    assert len(forks) == 1 and forked.llmkb_background is None  # one child, waited for
    files = exports(Path(forked.outdir))
    assert len(files) == EXPORTS and all(files.values())

    monkeypatch.setattr(background, "can_fork", lambda: False)
    inline = make_app("html", srcdir=copy_root(tmp_path, "inline"))
    inline.build()
    assert len(forks) == 1  # no second child
    assert exports(Path(inline.outdir)) == files
    for page in ("index.html", "other.html"):
        assert (Path(inline.outdir) / page).read_bytes() == (Path(forked.outdir) / page).read_bytes()


def test_no_fork_while_another_thread_runs(make_app, tmp_path, forks):
    """A fork copies only the calling thread (a preview server's would be lost mid-request):
    with a second thread alive the exports are written at build-finished, in the process."""
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        app = make_app("html", srcdir=copy_root(tmp_path, "threaded"))
        app.build()
    finally:
        stop.set()
        thread.join()
    assert forks == []
    assert len(exports(Path(app.outdir))) == EXPORTS


def test_an_error_in_the_child_fails_the_build_with_its_traceback(make_app, tmp_path, forks, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("the disk is full (test)")
    monkeypatch.setattr(page_bib, "write_all", broken)
    app = make_app("html", srcdir=copy_root(tmp_path, "broken"))
    with pytest.raises(ExtensionError) as error:
        app.build()
    assert len(forks) == 1
    message = str(error.value)
    assert "in the background process (exit code 1)" in message
    assert "ValueError: the disk is full (test)" in message and "write_exports" in message


def test_a_child_that_dies_fails_the_build(make_app, tmp_path, forks, monkeypatch):
    parent = os.getpid()

    def dies(*args, **kwargs):
        if os.getpid() == parent:  # never end the test run itself
            raise AssertionError("the exports were written in the build's own process")
        os._exit(3)
    monkeypatch.setattr(page_bib, "write_all", dies)
    app = make_app("html", srcdir=copy_root(tmp_path, "dies"))
    with pytest.raises(ExtensionError, match=r"exit code 3\):\nit ended without a report"):
        app.build()


def test_a_warning_in_the_child_reaches_the_build(make_app, tmp_path, forks, monkeypatch):
    real = page_bib.write_all

    def warns(*args, **kwargs):
        extension.logger.warning("a warning from the exports (test)", location="index", type="llmkb",
                                 subtype="test")
        return real(*args, **kwargs)
    monkeypatch.setattr(page_bib, "write_all", warns)
    app = make_app("html", srcdir=copy_root(tmp_path, "warns"))
    app.build()
    assert len(forks) == 1
    warnings = app._warning.getvalue()
    assert warnings.count("a warning from the exports (test)") == 1
    assert "index.md: WARNING: a warning from the exports (test) [llmkb.test]" in warnings
    assert len(exports(Path(app.outdir))) == EXPORTS


def test_a_warning_at_a_node_in_the_child_keeps_its_file_and_line(make_app, tmp_path, forks, monkeypatch):
    """A warning located at a node (as Sphinx's own are) reaches the build as "file:line", not as
    the node's XML, which is all a node would have become on its way through the pipe."""
    from docutils import nodes

    real = page_bib.write_all

    def warns(*args, **kwargs):
        node = nodes.paragraph()
        node.source, node.line = str(src / "other.md"), 7
        extension.logger.warning("a warning at a node (test)", location=node, type="llmkb", subtype="test")
        return real(*args, **kwargs)
    monkeypatch.setattr(page_bib, "write_all", warns)
    src = copy_root(tmp_path, "node")
    app = make_app("html", srcdir=src)
    app.build()
    assert len(forks) == 1
    warnings = app._warning.getvalue()
    assert f"{src / 'other.md'}:7: WARNING: a warning at a node (test) [llmkb.test]" in warnings, warnings
    assert "<paragraph" not in warnings
