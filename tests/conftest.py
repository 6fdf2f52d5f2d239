import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sphinx.locale

pytest_plugins = ("sphinx.testing.fixtures", "pytester")

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
#: a paper row in a built page, and the refs.bib key it shows
ROW_KEY = re.compile(r'<tr class="llmkb-paper[^"]*"[^>]*\bdata-key="([^"]+)"')


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return Path(__file__).parent / "roots"


@pytest.fixture(autouse=True)
def _sphinx_translations_per_test():
    """Give back Sphinx's message catalogs as they were before the test.

    ``sphinx.locale.translators`` is global, and a new app keeps a catalog it finds there when it
    has none of its own language: after a ``language = "zh_CN"`` app, an English one writes
    Chinese. SphinxTestApp.cleanup() clears it; apps made by ``build_main`` or ``Sphinx()`` (as
    tests/test_preview.py and llmkb.preview make) leave it for the next test.
    """
    saved = dict(sphinx.locale.translators)
    yield
    sphinx.locale.translators.clear()
    sphinx.locale.translators.update(saved)


@pytest.fixture(scope="session")
def book(tmp_path_factory):
    """Build the book once per session, strictly, as `make html` does; keep the log.

    Shared by tests/test_book.py and the browser tests in tests/browser/.
    """
    out = tmp_path_factory.mktemp("book") / "html"
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-b", "html", "-c", str(ROOT), str(ROOT / "docs"), str(out)],
        capture_output=True, text=True, cwd=ROOT)
    return proc, out


@pytest.fixture
def forks(monkeypatch):
    """The pids of the children ``llmkb.sphinx_ext.background.start`` forked in this test. Threads
    that earlier tests of the run left alive (a browser driver's) are not counted; any this test
    starts are."""
    import threading

    from llmkb.sphinx_ext import background

    earlier = threading.active_count() - 1
    monkeypatch.setattr(background, "threads_alive", lambda: threading.active_count() - earlier)
    pids: list[int] = []
    real_fork = os.fork

    def fork():
        pid = real_fork()
        if pid:
            pids.append(pid)
        return pid
    monkeypatch.setattr(background.os, "fork", fork)
    return pids


def require(condition: bool, why: str, hint: str) -> None:
    """Skip locally with a one-line install hint; fail in CI, where nothing may skip silently."""
    if condition:
        return
    message = f"{why} — install: {hint}"
    if IN_CI:
        pytest.fail(f"CI=true but {message}")
    pytest.skip(message)


def require_program(name: str, hint: str) -> str:
    path = shutil.which(name)
    require(path is not None, f"{name} not found", hint)
    return path
