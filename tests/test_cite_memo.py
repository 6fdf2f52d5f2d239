"""citeproc-py with its style lookups memoized (llmkb/cite/citeproc_memo.py) writes exactly what
citeproc-py as shipped writes, for every refs.bib entry and a synthetic bibliography."""

import sys

import pytest
from conftest import ROOT

from llmkb.bib import file as bibfile
from llmkb.bib import papers
from llmkb.cite import citeproc_memo, csl, render

sys.path.insert(0, str(ROOT / "benchmarks"))
import bench  # noqa: E402

N_REAL = len(papers.load(ROOT / "refs.bib")[0])


def corpus_items() -> list[dict]:
    """Every refs.bib entry and the 1,000 entries of benchmarks/bench.py's synthetic refs.bib."""
    real, _ = papers.load(ROOT / "refs.bib")
    synth = [papers.Paper(e) for e in bibfile.parse_text(bench.synth_bib(1000), "synth.bib").entries]
    return [csl.item(p) for p in real + synth]


def _format_all(items) -> list[str]:
    # citeproc-py itself for every item (format_item would send most to fast_csl)
    return [render._citeproc(i, style) for i in items for style in render.STYLES]


@pytest.fixture
def fresh_styles():
    """Styles loaded anew, and the memo as it was afterwards (installed by the next load)."""
    citeproc_memo.uninstall()
    render._style.cache_clear()
    yield
    citeproc_memo.uninstall()
    render._style.cache_clear()


def test_memoized_citeproc_writes_what_shipped_citeproc_writes(fresh_styles, monkeypatch):
    items = corpus_items()
    assert len(items) == N_REAL + 1000
    from citeproc import CitationStylesStyle

    # citeproc-py as shipped: the styles loaded without render._style, which installs the memo
    shipped = {s: CitationStylesStyle(str(render.style_path(s)), validate=False) for s in render.STYLES}
    with monkeypatch.context() as m:
        m.setattr(render, "_style", shipped.__getitem__)
        plain = _format_all(items)
    assert not citeproc_memo._ORIGINAL and not citeproc_memo._XPATH  # nothing was memoized

    memoized = _format_all(items)
    assert citeproc_memo._XPATH and citeproc_memo._CALLS  # the memo answered
    assert len(memoized) == 2 * (N_REAL + 1000)
    assert memoized == plain
