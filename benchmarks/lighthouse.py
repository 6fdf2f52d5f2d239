"""Lighthouse over the built book: the four category scores and the bytes each page transfers.

    make lighthouse                      # builds the book if needed, then runs this
    python benchmarks/lighthouse.py _build/html [page.html ...]

A benchmark, not a test: it prints numbers. It installs npm's `lighthouse` into
benchmarks/.lighthouse/node_modules (npm registry only; nothing is committed), serves the book on
127.0.0.1 and runs Lighthouse with Debian's chromium (CHROME_PATH, never a downloaded browser),
mobile emulation and simulated throttling as Lighthouse does by default.
Aim: performance, accessibility, best practices >= 0.95; SEO >= 0.9.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
PREFIX = HERE / ".lighthouse"
LIGHTHOUSE_VERSION = "12"  # 13 needs Node 22; Debian bookworm's node is 20
PAGES = ["index.html", "efficiency/peft.html", "appendix/papers.html"]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
#: the timings behind the performance score (ms; CLS is unitless)
METRICS = {"FCP": "first-contentful-paint", "LCP": "largest-contentful-paint", "TBT": "total-blocking-time",
           "SI": "speed-index", "CLS": "cumulative-layout-shift"}
CHROME_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"]


def lighthouse_bin() -> Path:
    binary = PREFIX / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        npm = shutil.which("npm")
        if npm is None:
            sys.exit("npm not found — install: apt-get install npm")
        PREFIX.mkdir(exist_ok=True)
        subprocess.run([npm, "install", "--prefix", str(PREFIX), "--no-audit", "--no-fund", "--silent",
                        f"lighthouse@{LIGHTHOUSE_VERSION}"], check=True)
    return binary


class Quiet(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-compressed like Read the Docs' CDN serves them (text types only)."""

    COMPRESS = (".html", ".js", ".css", ".svg", ".json", ".xml", ".txt", ".bib", ".map")

    def log_message(self, *args) -> None:
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if (path.suffix in self.COMPRESS and path.is_file()
                and "gzip" in self.headers.get("Accept-Encoding", "")):
            body = gzip.compress(path.read_bytes(), compresslevel=6)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return io.BytesIO(body)
        return super().send_head()


def serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


class AuditError(Exception):
    """Lighthouse could not audit a page (its own message, e.g. the page did not load in time)."""


def audit(binary: Path, url: str, out: Path, chrome: str, timeout: float = 900,
          categories: list[str] = CATEGORIES) -> dict:
    """One Lighthouse run. ``categories``: bench.py asks for performance alone (accessibility's
    axe audit alone takes minutes on a page of 40,000 elements)."""
    env = {**os.environ, "CHROME_PATH": chrome}
    # its own session, so that a timeout ends the chromium it started too (killing node alone
    # leaves the browser running)
    proc = subprocess.Popen([str(binary), url, "--quiet", "--output=json", f"--output-path={out}",
                             f"--chrome-flags={' '.join(CHROME_FLAGS)}", "--only-categories=" + ",".join(categories)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        _, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise AuditError(f"{url}: Lighthouse did not finish in {timeout:.0f} s") from None
    if proc.returncode:
        # Lighthouse's own reason (a runtime error such as PAGE_HUNG) is its last stderr lines
        tail = " | ".join(line.strip() for line in stderr.strip().splitlines()[-3:])
        raise AuditError(f"{url}: Lighthouse exit {proc.returncode}: {tail}")
    report = json.loads(out.read_text(encoding="utf-8"))
    scores = {c: report["categories"][c]["score"] for c in categories}
    audits = report["audits"]
    failed = {c: [a["id"] for a in report["categories"][c]["auditRefs"]
                  if a["weight"] and (audits[a["id"]].get("score") is not None) and audits[a["id"]]["score"] < 0.9]
              for c in categories}
    metrics = {name: audits[audit_id]["numericValue"] for name, audit_id in METRICS.items()}
    return {"scores": scores, "bytes": int(audits["total-byte-weight"]["numericValue"]), "failed": failed,
            "metrics": metrics, "dom": int(audits.get("dom-size", {}).get("numericValue") or 0),
            "requests": len(audits.get("network-requests", {}).get("details", {}).get("items", []))}


def median_run(runs: list[dict]) -> dict:
    """The run with the median performance score, plus every run's score (sorted)."""
    ordered = sorted(runs, key=lambda r: r["scores"]["performance"])
    return {**ordered[(len(ordered) - 1) // 2], "performance_runs": [r["scores"]["performance"] for r in ordered]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", type=Path, help="the built book (make html writes _build/html)")
    parser.add_argument("pages", nargs="*", default=PAGES)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--reports", type=Path, help="keep each page's full Lighthouse JSON report in this directory")
    parser.add_argument("--runs", type=int, default=3,
                        help="audits per page; the median run (by performance) is reported (default 3: one run "
                             "varies by +-0.05 on this machine, as Lighthouse's own variability guide warns)")
    args = parser.parse_args()
    if not (args.html / "index.html").is_file():
        sys.exit(f"{args.html}/index.html not found — run make html first")
    chrome = os.environ.get("CHROME_PATH") or shutil.which("chromium") or sys.exit(
        "chromium not found — install: apt-get install chromium")
    binary = lighthouse_bin()
    server, base = serve(args.html)
    results = {}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            reports = args.reports or Path(tmp)
            reports.mkdir(parents=True, exist_ok=True)
            for page in args.pages:
                stem = page.replace("/", "-").removesuffix(".html")
                runs = [audit(binary, base + page, reports / f"{stem}-{i + 1}.json", chrome) for i in range(args.runs)]
                results[page] = median_run(runs)
    finally:
        server.shutdown()
    print(f"{'page':28} {'perf':>5} {'a11y':>5} {'best':>5} {'seo':>5} {'KiB':>7} {'reqs':>5}   perf over {args.runs} runs")
    for page, r in results.items():
        s = r["scores"]
        spread = ", ".join(f"{p:.2f}" for p in r["performance_runs"])
        print(f"{page:28} " + " ".join(f"{s[c]:5.2f}" for c in CATEGORIES)
              + f" {r['bytes'] / 1024:7.0f} {r['requests']:5d}   {spread}")
        print("  " + "  ".join(f"{k} {v:.3f}" if k == "CLS" else f"{k} {v / 1000:.1f} s"
                               for k, v in r["metrics"].items()))
        for c, ids in r["failed"].items():
            if ids:
                print(f"  {c}: below 0.9 — {', '.join(ids)}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
