"""Browser tests: the built book, served on 127.0.0.1, read by Debian's chromium through playwright.

The book is the session's strict build (the ``book`` fixture in tests/conftest.py, shared with
tests/test_book.py). Every page a test opens goes through ``Browse``: it records every request, reports any request to
a host other than 127.0.0.1 (chromium cannot resolve other hosts, so none leaves the machine),
and collects console errors and uncaught page errors; a test that saw any of them fails at teardown.

Locally these tests skip with an install hint when chromium or playwright is missing; in CI
(CI=true) they fail instead. Never run ``playwright install``: we drive the system chromium.
"""

from __future__ import annotations

import functools
import gc
import http.server
import importlib.util
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import require, require_program

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# Safety net: no host but 127.0.0.1 resolves, so a stray request fails instead of leaving the
# machine; the `Browse` listener still records it and fails the test.
NETWORK_ARGS = ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 390, "height": 844}
LOCAL_HOSTS = {"127.0.0.1"}


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serve the book like a static host: quietly, and with the book's 404 page for missing files."""

    def log_message(self, *args) -> None:
        pass

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@pytest.fixture(scope="session")
def built_book(request) -> Path:
    """The session's strict build; LLMKB_BUILT_BOOK=<dir> reuses a book built before (quicker reruns)."""
    if os.environ.get("LLMKB_BUILT_BOOK"):
        return Path(os.environ["LLMKB_BUILT_BOOK"])
    proc, out = request.getfixturevalue("book")
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out


@pytest.fixture(scope="session")
def site(built_book):
    """Base URL (http://127.0.0.1:<free port>/) of the built book."""
    yield from serving(built_book)


def build_scratch_book(folder: Path, config: dict[str, object]) -> Path:
    """The real book copied into ``folder`` (listing pages are written into its sources) and built
    strictly with ``config`` overriding conf.py (sphinx-build -D); returns the HTML folder."""
    root = Path(__file__).resolve().parents[2]
    for name in ("conf.py", "refs.bib", "CITATION.cff", "pyproject.toml"):
        shutil.copy2(root / name, folder / name)
    shutil.copytree(root / "docs", folder / "docs", ignore=shutil.ignore_patterns("_generated", "_build"))
    overrides = [arg for k, v in config.items() for arg in ("-D", f"{k}={v}")]
    out = folder / "_build" / "html"
    proc = subprocess.run([sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html", *overrides,
                           "-c", str(folder), str(folder / "docs"), str(out)], capture_output=True, text=True,
                          cwd=folder)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out


def serving(folder: Path):
    """Serve ``folder`` on 127.0.0.1 (a free port) like a static host; yields the base URL, then
    stops (a generator for fixtures to yield from)."""
    handler = functools.partial(_Handler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def book_pages(built_book) -> list[str]:
    """Every HTML page of the book, as paths relative to the site root."""
    return sorted(p.relative_to(built_book).as_posix() for p in built_book.rglob("*.html")
                  if not p.relative_to(built_book).parts[0].startswith("_"))


@pytest.fixture(scope="session")
def browser():
    chromium = require_program("chromium", "apt-get install chromium")
    require(importlib.util.find_spec("playwright") is not None, "playwright not importable", "pip install playwright")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS + NETWORK_ARGS)
        yield browser
        browser.close()
        # Playwright's driver exits when its stdin closes. A process forked by a later test (the
        # multiprocessing manager sphinx-sitemap starts in every build) inherits that pipe and
        # lives until its Sphinx app is garbage-collected — rarely, with llmkb's relaxed GC — so
        # stopping Playwright would wait forever. Collect the finished apps, end their managers.
        gc.collect()
        for child in multiprocessing.active_children():
            child.terminate()
            child.join(5)


@dataclass
class Browse:
    """Open pages of the served book and record what they do."""

    browser: object
    base: str
    requests: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    allowed_console: list[re.Pattern] = field(default_factory=list)
    contexts: list = field(default_factory=list)

    def page(self, *, viewport=DESKTOP, theme: str | None = None, **context_options):
        """A new page in a fresh context; ``theme`` ("light"/"dark") is stored as the reader's choice."""
        context = self.browser.new_context(viewport=viewport, **context_options)
        self.contexts.append(context)
        context.on("request", self._request)
        if theme:
            context.add_init_script(f"localStorage.setItem('mode', '{theme}'); localStorage.setItem('theme', '{theme}');")
        page = context.new_page()
        page.on("console", self._console)
        page.on("pageerror", lambda err: self.errors.append(f"{page.url}: page error: {err}"))
        return page

    def goto(self, page, path: str = "", **kwargs):
        response = page.goto(self.base + path, wait_until="load", **kwargs)
        return response

    def allow_console(self, pattern: str) -> None:
        self.allowed_console.append(re.compile(pattern))

    def _request(self, request) -> None:
        url = request.url
        self.requests.append(url)
        parts = urlsplit(url)
        if parts.scheme not in {"data", "blob", "about"} and parts.hostname not in LOCAL_HOSTS:
            self.foreign.append(url)

    def _console(self, message) -> None:
        if message.type != "error":
            return
        text = message.text
        if any(p.search(text) for p in self.allowed_console):
            return
        location = message.location.get("url", "") if isinstance(message.location, dict) else ""
        self.errors.append(f"{location}: console error: {text}")

    def close(self) -> None:
        for context in self.contexts:
            context.close()
        self.contexts.clear()


def browsing(browser, base: str):
    """A Browse of the site at ``base`` for one test; at its end, fails the test on foreign
    requests, console errors and page errors (a generator for fixtures to yield from)."""
    b = Browse(browser, base)
    yield b
    b.close()
    assert b.foreign == [], f"requests to other hosts: {b.foreign[:10]}"
    assert b.errors == [], "\n".join(b.errors[:20])


@pytest.fixture
def browse(browser, site):
    """Per-test page opener of the session's book (``browsing``)."""
    yield from browsing(browser, site)


def wait_for_fonts(page) -> None:
    """Let web fonts and the page's running transitions settle before measuring, screenshotting or
    auditing (formulas are drawn at build time: there is no typesetting to wait for). The theme
    fades some colours in (0.15 s transitions); on a loaded machine axe's contrast check once read a
    term link's colour mid-way (a failure that did not come back in six runs of the page alone).
    Animations that never end (a spinner) are not waited for."""
    page.wait_for_load_state("load")
    page.evaluate("""async () => {
      if (document.fonts) { await document.fonts.ready; }
      const finite = document.getAnimations().filter(a => {
        const t = a.effect && a.effect.getComputedTiming();
        return t && Number.isFinite(t.endTime);
      });
      await Promise.all(finite.map(a => a.finished.catch(() => null)));
    }""")


def reveal(page, locator) -> None:
    """Scroll to ``locator`` as the browser does for a link to it or for keyboard focus, and wait
    until it is laid out: a page's sections are rendered only near the viewport
    (content-visibility, llmkb.css), the frame after a scroll, and until then innerText of what
    they hold is empty. The element's own scrollIntoView, not playwright's
    scroll_into_view_if_needed, which scrolls to where the element was before the sections it
    passes were laid out (at 1280 px it stopped ~4,000 px short of the row)."""
    locator.evaluate("e => e.scrollIntoView({block: 'center'})")
    page.wait_for_function("e => e.innerText.trim() !== ''", arg=locator.element_handle(), timeout=10_000)
