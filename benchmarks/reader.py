"""What a reader's browser pays for the built book: page weights, DOM sizes, filter latency.

Used by ``bench.py`` (the grown real book at 1,000 / 10,000 entries, and ``--reader-only DIR``);
no assumption about which pages exist beyond the paper index's filter box:

* **first-load transfer** of a page: its HTML gzipped, plus every JS and CSS file the HTML itself
  names — ``<script src>`` and ``<link rel="stylesheet" href>`` — gzipped, each file counted once
  per page. Files a script fetches later (a JSON data file, a second page of a listing) are not
  first load. Gzip level 6, what benchmarks/lighthouse.py's server (and a typical CDN) sends.
  The one exception is the search page: its index keeps the words' page lists in shards that a
  query fetches (llmkb/search/index_file.py), so its figure adds the two largest shards, what the
  heaviest two-word query fetches before it can answer.
* **elements**: the number of elements in the HTML as written (start tags, void ones included),
  what the browser builds before any script runs. Lighthouse's ``dom-size`` (counted in the
  browser, after scripts) is reported next to it for the audited pages.
* **filter latency**: in chromium (playwright), on the paper index, the time from a keystroke in
  ``#llmkb-filter-text`` (the key event's own timestamp) to the frame after the filter's status
  line (``.llmkb-filter-status``) last changed — so a filter that first says "loading" and then
  shows the result is timed to the result, and one that works asynchronously is timed fully.
"""

from __future__ import annotations

import gzip
import os
import shutil
import statistics
import sys
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from llmkb.search.index_file import SHARD_DIR

#: the search index's shards, and how many a query is counted with
SEARCH_SHARDS = SHARD_DIR
QUERY_SHARDS = 2
SEARCH_PAGE = "search.html"
#: folders of the output that hold assets, not pages a reader opens
NOT_PAGES = {"_static", "_sources", "_images", "_downloads", SEARCH_SHARDS}
GZIP_LEVEL = 6
PAPER_INDEX = "appendix/papers.html"
FILTER_BOX = "#llmkb-filter-text"
FILTER_STATUS = ".llmkb-filter-status"


def gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0))


class _Scan(HTMLParser):
    """Counts elements and collects the page's script and stylesheet URLs in one pass."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.elements = 0
        self.assets: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.elements += 1
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.assets.append(a["src"])
        elif tag == "link" and a.get("href") and "stylesheet" in (a.get("rel") or "").lower().split():
            self.assets.append(a["href"])

    def handle_startendtag(self, tag, attrs) -> None:  # <link ... />: the same element
        self.handle_starttag(tag, attrs)


def count_elements(html: str) -> int:
    """The elements of an HTML page, as the reader-side figures count them (tests/test_page_weight.py
    holds the page-weight estimate to the same count)."""
    scan = _Scan()
    scan.feed(html)
    scan.close()
    return scan.elements


@dataclass
class PageWeight:
    page: str  # relative to the output folder, e.g. appendix/papers.html
    html_bytes: int
    html_gzip: int
    assets_gzip: int  # the page's JS + CSS, gzipped, each once
    assets: list[str] = field(default_factory=list)  # relative to the output folder
    missing: list[str] = field(default_factory=list)  # named by the page but not in the output
    elements: int = 0

    @property
    def transfer(self) -> int:
        return self.html_gzip + self.assets_gzip


def pages(html_dir: Path) -> list[Path]:
    """Every built HTML page (any depth, generated folders included), not the asset folders."""
    return sorted(p for p in html_dir.rglob("*.html")
                  if not (NOT_PAGES & set(p.relative_to(html_dir).parts[:-1])))


def weigh(html_dir: Path, page: Path, asset_cache: dict[Path, int]) -> PageWeight:
    data = page.read_bytes()
    scan = _Scan()
    scan.feed(data.decode("utf-8", "replace"))
    scan.close()
    total, names, missing = 0, [], []
    for url in dict.fromkeys(scan.assets):  # a file named twice loads once
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:  # another host: the book makes no such request (tests check)
            missing.append(url)
            continue
        path = (page.parent / unquote(parts.path)).resolve()
        if path in asset_cache:
            size = asset_cache[path]
        elif path.is_file():
            size = asset_cache[path] = gzip_size(path.read_bytes())
        else:
            missing.append(url)
            continue
        if path.relative_to(html_dir.resolve()).as_posix() not in names:
            names.append(path.relative_to(html_dir.resolve()).as_posix())
            total += size
    if page.relative_to(html_dir).as_posix() == SEARCH_PAGE:
        shards = sorted(((gzip_size(p.read_bytes()), p) for p in (html_dir / SEARCH_SHARDS).rglob("*.js")),
                        reverse=True)[:QUERY_SHARDS]
        total += sum(size for size, _ in shards)
        names += [p.relative_to(html_dir).as_posix() for _, p in shards]
    return PageWeight(page.relative_to(html_dir).as_posix(), len(data), gzip_size(data), total, names, missing,
                      scan.elements)


def weigh_all(html_dir: Path) -> list[PageWeight]:
    if not (html_dir / "index.html").is_file():
        raise SystemExit(f"{html_dir}/index.html not found: give the folder a build wrote (e.g. _build/html)")
    cache: dict[Path, int] = {}
    return [weigh(html_dir, p, cache) for p in pages(html_dir)]


def topic_pages(weights: list[PageWeight]) -> list[PageWeight]:
    """The topic pages (llmkb/bib/topics.py) among the built pages."""
    from llmkb.bib import topics as T

    wanted = {f"{t.page}.html" for t in T.TOPICS}
    return [w for w in weights if w.page in wanted]


def kb(n: int) -> str:
    return f"{n / 1024:,.0f} KB" if n < 10 * 1024 * 1024 else f"{n / 1024 / 1024:,.1f} MB"


def describe(w: PageWeight) -> str:
    text = (f"{w.page}: {kb(w.transfer)} first load = {kb(w.html_gzip)} HTML gzipped ({kb(w.html_bytes)} raw)"
            f" + {kb(w.assets_gzip)} in {len(w.assets)} JS/CSS; {w.elements:,} elements")
    if w.missing:
        text += f"; NAMES MISSING FILES: {', '.join(w.missing[:3])}"
    return text


# --- the filter, timed in the browser -----------------------------------------------------------

#: installed before each keystroke: resolves with the milliseconds from the keydown's timestamp
#: to the frame after the status line's last change (quiet for QUIET_MS), or null on timeout
TIMER = """([status, quietMs, timeoutMs]) => { window.__llmkbFilterTimer = new Promise((resolve) => {
  const el = document.querySelector(status);
  const before = el.textContent;
  let down = null, painted = null, changedAt = null, done = false;
  const finish = (value) => { if (!done) { done = true; obs.disconnect(); resolve(value); } };
  document.addEventListener("keydown", (e) => { down = e.timeStamp; }, { capture: true, once: true });
  const obs = new MutationObserver(() => {
    changedAt = performance.now();
    painted = null;  // only the frame of the latest change counts
    const mark = changedAt;
    // the frame that shows this change: after the next animation frame's rendering work
    requestAnimationFrame(() => setTimeout(() => { if (mark === changedAt) painted = performance.now(); }, 0));
  });
  obs.observe(el, { childList: true, characterData: true, subtree: true, attributes: true });
  const start = performance.now();
  (function poll() {
    const now = performance.now();
    if (painted !== null && el.textContent !== before && now - changedAt >= quietMs && down !== null) {
      return finish(painted - down);
    }
    if (now - start > timeoutMs) return finish(null);
    setTimeout(poll, 20);
  })();
}); }"""
QUIET_MS = 400


@dataclass
class FilterTiming:
    page: str
    samples: list[float]  # ms, one per keystroke
    failed: list[str] = field(default_factory=list)  # keystrokes whose status never changed
    load_ms: float = 0.0  # navigation to the load event, for context

    @property
    def median(self) -> float:
        return statistics.median(self.samples) if self.samples else float("nan")


def chromium() -> str:
    path = os.environ.get("CHROME_PATH") or shutil.which("chromium")
    if not path:
        raise SystemExit("chromium not found — install: apt-get install chromium (never a downloaded browser)")
    return path


def time_filter(html_dir: Path, page: str = PAPER_INDEX, letters: str = "aeinorst",
                timeout_ms: int = 15000, budget_s: float = 60, at_least: int = 4) -> FilterTiming:
    """Type each letter into an empty filter box, then delete it, timing every keystroke (two per
    letter: narrowing to the matches, and back to the whole library). Once ``at_least`` keystrokes
    are timed and ``budget_s`` seconds spent, it stops: a filter that takes seconds per key (today's
    10,000-entry index: ~17 s) would otherwise cost minutes of every benchmark run."""
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import lighthouse

    server, base = lighthouse.serve(html_dir)
    result = FilterTiming(page, [])
    try:
        with sync_playwright() as pw:
            # the flags of tests/browser/conftest.py: no sandbox in a container, and no host but
            # 127.0.0.1 resolves, so nothing leaves the machine
            browser = pw.chromium.launch(executable_path=chromium(), args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"])
            try:
                tab = browser.new_page(viewport={"width": 1280, "height": 900})
                start = time.perf_counter()
                tab.goto(base + page, wait_until="load", timeout=300_000)
                result.load_ms = (time.perf_counter() - start) * 1000
                box = tab.locator(FILTER_BOX)
                box.wait_for(state="visible", timeout=60_000)
                box.fill("")
                tab.wait_for_timeout(QUIET_MS)
                typing = time.perf_counter()
                for letter in letters:
                    if len(result.samples) >= at_least and time.perf_counter() - typing > budget_s:
                        break
                    for key in (letter, "Backspace"):
                        box.focus()
                        # (evaluate would wait for a returned promise: the timer is left on window)
                        tab.evaluate(TIMER, [FILTER_STATUS, QUIET_MS, timeout_ms])
                        tab.keyboard.press(key)
                        ms = tab.evaluate("() => window.__llmkbFilterTimer")
                        if ms is None:
                            result.failed.append(key)
                        else:
                            result.samples.append(ms)
            finally:
                browser.close()
    finally:
        server.shutdown()
    return result
