"""A pytest plugin (``-p upstream_bibtex_plugin``) for running sphinxcontrib-bibtex's own test suite.

tests/test_upstream_bibtex.py runs upstream's suite in a subprocess with this plugin, twice per
configuration: stock, and with ``llmkb.sphinx_ext.fast_bibtex`` loaded into every Sphinx app the suite
makes. The environment says how:

* ``LLMKB_UPSTREAM_FAST=1``: load ``llmkb.sphinx_ext.fast_bibtex`` right after ``sphinxcontrib.bibtex``
  (upstream's test roots list only the latter), as llmkb's own extension does;
* ``LLMKB_UPSTREAM_CITE_ID``: use this ``bibtex_cite_id`` where the test leaves it at its
  default (the book uses ``cite-{key}``); a test that sets one keeps its own;
* ``LLMKB_UPSTREAM_REPORT``: write each test's outcome there as JSON (node id → outcome), and
  how many Sphinx apps llmkb.sphinx_ext.fast_bibtex was loaded into.
"""

from __future__ import annotations

import json
import os

import pytest
from sphinx.registry import SphinxComponentRegistry

FAST = os.environ.get("LLMKB_UPSTREAM_FAST") == "1"
CITE_ID = os.environ.get("LLMKB_UPSTREAM_CITE_ID", "")
REPORT = os.environ.get("LLMKB_UPSTREAM_REPORT", "")

_load_extension = SphinxComponentRegistry.load_extension
_fast_apps = 0  # Sphinx apps llmkb.sphinx_ext.fast_bibtex was loaded into: proof that the patch took


def _set_cite_id(app, config) -> None:
    if config.bibtex_cite_id == "" and "bibtex_cite_id" not in config._overrides:
        config.bibtex_cite_id = CITE_ID


def load_extension(self, app, extname: str) -> None:
    first = extname == "sphinxcontrib.bibtex" and extname not in app.extensions
    _load_extension(self, app, extname)
    if not first:
        return
    if FAST:
        # llmkb.sphinx_ext.fast_bibtex sets sphinxcontrib.bibtex up itself, which is loaded by now
        _load_extension(self, app, "llmkb.sphinx_ext.fast_bibtex")
        global _fast_apps
        _fast_apps += "llmkb.sphinx_ext.fast_bibtex" in app.extensions
    if CITE_ID:
        app.connect("config-inited", _set_cite_id, priority=100)


SphinxComponentRegistry.load_extension = load_extension  # type: ignore[method-assign]

_outcomes: dict[str, str] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    # one outcome per test: the call's, unless a setup or teardown failed or skipped it
    if hasattr(report, "wasxfail"):
        outcome = "xpassed" if report.passed else "xfailed"
    else:
        outcome = report.outcome
    if report.when != "call" and outcome == "failed":
        outcome = "error"  # a fixture (setup or teardown) failed, as pytest reports it
    if report.when == "call" or outcome != "passed":
        if _outcomes.get(report.nodeid, "passed") == "passed":
            _outcomes[report.nodeid] = outcome


def pytest_sessionfinish(session: pytest.Session) -> None:
    if REPORT:
        with open(REPORT, "w", encoding="utf-8") as f:
            json.dump({"fast": FAST, "cite_id": CITE_ID, "fast_apps": _fast_apps, "outcomes": _outcomes}, f, indent=1, sort_keys=True)
