"""llmkb.sphinx_ext.fast_bibtex is a drop-in for sphinxcontrib-bibtex: upstream's own test suite agrees.

The suite of the installed sphinxcontrib-bibtex (``make test`` fetches it into the venv:
tests/upstream_bibtex_fetch.py) runs in a subprocess twice per configuration, stock and with
``llmkb.sphinx_ext.fast_bibtex`` loaded into every Sphinx app it makes (tests/upstream_bibtex_plugin.py);
every test that passes stock must pass with llmkb. Two configurations: upstream's default
``bibtex_cite_id`` (auto ids: llmkb falls back to the stock directive) and the book's
``cite-{key}`` (llmkb's lazy citation nodes), set wherever a test leaves it at its default.

``LLMKB_UPSTREAM_BIBTEX_TESTS=<dir>`` points at a suite fetched elsewhere
(``python tests/upstream_bibtex_fetch.py <parent dir>`` makes ``<parent dir>/sphinxcontrib-bibtex-<version>``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, require
from upstream_bibtex_fetch import suite_dir

TIMEOUT = 1800  # seconds per run; upstream's ~130 tests take 40 s on an idle machine


def upstream_suite() -> Path:
    override = os.environ.get("LLMKB_UPSTREAM_BIBTEX_TESTS")
    path = Path(override) if override else suite_dir()
    require((path / "test" / "conftest.py").is_file(), f"sphinxcontrib-bibtex's test suite is not at {path}",
            "make test (it fetches the suite), or python tests/upstream_bibtex_fetch.py")
    return path


def run_suite(suite: Path, tmp_path: Path, cite_id: str) -> dict[str, dict]:
    """Run upstream's suite stock and with llmkb (both at once: two processes), return their reports."""
    runs = {}
    for mode in ("stock", "llmkb"):
        report = tmp_path / f"{mode}.json"
        env = {k: v for k, v in os.environ.items() if k not in {"LLMKB_STOCK_BIBTEX", "PYTEST_ADDOPTS"}}
        env.update(PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "tests")]),
                   LLMKB_UPSTREAM_FAST="1" if mode == "llmkb" else "0",
                   LLMKB_UPSTREAM_CITE_ID=cite_id, LLMKB_UPSTREAM_REPORT=str(report))
        log = (tmp_path / f"{mode}.log").open("w", encoding="utf-8")
        proc = subprocess.Popen(
            [sys.executable, "-m", "pytest", "-q", "-rfE", "-p", "no:cacheprovider", "-p", "upstream_bibtex_plugin",
             f"--basetemp={tmp_path / mode}", "test"],
            cwd=suite, env=env, stdout=log, stderr=subprocess.STDOUT)
        runs[mode] = (proc, report, log)
    reports = {}
    for mode, (proc, report, log) in runs.items():
        try:
            proc.wait(timeout=TIMEOUT)
        finally:
            if proc.poll() is None:
                proc.kill()
            log.close()
        output = (tmp_path / f"{mode}.log").read_text(encoding="utf-8")
        assert report.is_file(), f"upstream's suite ({mode}) wrote no report:\n{output[-3000:]}"
        reports[mode] = {**json.loads(report.read_text(encoding="utf-8")), "output": output}
    return reports


@pytest.mark.parametrize("cite_id", ["", "cite-{key}"], ids=["default-ids", "cite-key-ids"])
def test_upstream_suite_passes_with_llmkb_wherever_it_passes_stock(tmp_path, cite_id):
    reports = run_suite(upstream_suite(), tmp_path, cite_id)
    stock, fast = reports["stock"], reports["llmkb"]
    # the plugin did what it says: llmkb was in every app of one run and in none of the other
    assert stock["fast_apps"] == 0 and fast["fast_apps"] > 50, (stock["fast_apps"], fast["fast_apps"])
    passed = sorted(t for t, outcome in stock["outcomes"].items() if outcome == "passed")
    assert len(passed) > 50, f"too few upstream tests passed stock:\n{stock['output'][-3000:]}"
    regressions = {t: fast["outcomes"].get(t, "not run") for t in passed if fast["outcomes"].get(t) != "passed"}
    summary = "\n".join(line for line in fast["output"].splitlines() if any(t in line for t in regressions))
    assert regressions == {}, f"pass stock, not with llmkb.sphinx_ext.fast_bibtex (bibtex_cite_id={cite_id!r}):\n{summary}"
