"""llmkb.sphinx_ext.fast_bibtex and llmkb.sphinx_ext.bib_deps: the same HTML as stock sphinxcontrib-bibtex, faster.

Every comparison builds the same project twice, once with ``LLMKB_STOCK_BIBTEX=1`` (stock
sphinxcontrib-bibtex 2.7: the domain, directive and transform of the package itself) and once
with the fast versions, and asserts byte-identical HTML.
"""

import pickle
import re
import shutil
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from llmkb.sphinx_ext import fast_bibtex

ROOT = Path(__file__).parent / "roots" / "test-basic"
PAGES = ("index.html", "other.html")

# A page that exercises what the book does not: several bibliographies with other filters,
# list styles, key and label prefixes, multi-key citations, a citation resolved on another page,
# footnote citations.
EXTRA = """\
# 更多

Several keys {cite:p}`hu2021lora,dettmers2023qlora` and {cite:t}`houlsby2019parameterefficient`,
a citation whose bibliography is on another page {cite:p}`evil2024script`,
pre/post text {cite:p}`{see}hu2021lora{p. 3}`, a footnote {footcite:p}`hu2021lora`.

```{footbibliography}
```

## cited anywhere

:::{bibliography}
:filter: cited and year >= "2022"
:list: bullet
:::

## everything, enumerated, prefixed

:::{bibliography}
:all:
:list: enumerated
:labelprefix: A
:keyprefix: a-
:::

Prefixed citation {cite:p}`a-dettmers2023qlora`.

## by hand

:::{bibliography}
:filter: False
houlsby2019parameterefficient
:::
"""


def project(tmp_path: Path, name: str, extra: bool = True, conf: str = "") -> Path:
    src = tmp_path / name
    shutil.copytree(ROOT, src)
    if extra:
        (src / "extra.md").write_text(EXTRA, encoding="utf-8")
        index = (src / "index.md").read_text(encoding="utf-8")
        (src / "index.md").write_text(index.replace("other\n```", "other\nextra\n```"), encoding="utf-8")
        conf += '\nbibtex_cite_id = "cite-{bibliography_count}-{key}"\n'
    if conf:
        with (src / "conf.py").open("a", encoding="utf-8") as f:
            f.write(conf)
    return src


def build(src: Path, monkeypatch, stock: bool, parallel: int = 0, out: str = "_build") -> tuple[Path, str]:
    if stock:
        monkeypatch.setenv("LLMKB_STOCK_BIBTEX", "1")
    else:
        monkeypatch.delenv("LLMKB_STOCK_BIBTEX", raising=False)
    app = SphinxTestApp("html", srcdir=src, builddir=src / out, parallel=parallel)
    try:
        app.build()
        return Path(app.outdir), app.warning.getvalue()
    finally:
        app.cleanup()


def html(out: Path, pages=PAGES) -> dict[str, str]:
    return {p: (out / p).read_text(encoding="utf-8") for p in pages}


def test_basic_root_gives_the_same_html_as_stock(tmp_path, monkeypatch):
    src = project(tmp_path, "basic", extra=False)
    stock, w1 = build(src, monkeypatch, stock=True, out="stock")
    fast, w2 = build(src, monkeypatch, stock=False, out="fast")
    assert w1 == w2 == ""
    assert html(stock) == html(fast)


def test_duplicate_citation_warnings_are_stocks_when_not_suppressed(tmp_path, monkeypatch):
    # env_updated skips only the warnings suppress_warnings drops; the rest are stock's, word for word
    src = project(tmp_path, "warned", extra=False, conf="\nsuppress_warnings = []\n")
    _, w1 = build(src, monkeypatch, stock=True, out="stock")
    _, w2 = build(src, monkeypatch, stock=False, out="fast")
    assert 'duplicate citation for key "' in w1
    assert w2 == w1


def test_other_filters_lists_prefixes_and_footcites_give_the_same_html(tmp_path, monkeypatch):
    src = project(tmp_path, "extra")
    stock, w1 = build(src, monkeypatch, stock=True, out="stock")
    fast, w2 = build(src, monkeypatch, stock=False, out="fast")
    assert w1 == w2
    pages = (*PAGES, "extra.html")
    assert html(stock, pages) == html(fast, pages)
    extra = html(fast, pages)["extra.html"]
    assert 'id="cite-2-a-dettmers2023qlora"' in extra  # key prefix, enumerated list of everything
    assert 'href="index.html#cite-1-evil2024script"' in extra  # resolved on the page that lists it


GITHUB_ENTRY = """
@techreport{tool2024repo,
  title = {{A Tool Whose Address Is Its Repository}},
  author = {Tool, Tina},
  institution = {Example Lab},
  year = {2024},
  date = {2024-02-01},
  url = {https://github.com/example/tool},
  keywords = {peft},
  tags = {method},
  kind = {工具},
  shortvenue = {Example Lab},
  provenance = {test fixture},
}
"""


def test_theme_link_rewrites_reach_bibliography_entries(tmp_path, monkeypatch):
    """The theme (pydata-sphinx-theme, under sphinx-book-theme) rewrites GitHub links whose text
    is their URL, in a post-transform after the bibliography's: a compacted entry keeps its links
    in the tree, so it is rewritten exactly as stock's ordinary paragraph is."""
    src = project(tmp_path, "theme", extra=False, conf='\nhtml_theme = "sphinx_book_theme"\n')
    with (src / "refs.bib").open("a", encoding="utf-8") as f:
        f.write(GITHUB_ENTRY)
    index = (src / "other.md").read_text(encoding="utf-8")
    (src / "other.md").write_text(index + "\n见 {cite:p}`tool2024repo`。\n", encoding="utf-8")
    stock, w1 = build(src, monkeypatch, stock=True, out="stock")
    fast, w2 = build(src, monkeypatch, stock=False, out="fast")
    assert w1 == w2 == ""
    assert html(stock) == html(fast)
    other = html(fast)["other.html"]
    assert 'class="github reference external" href="https://github.com/example/tool">example/tool</a>' in other


def test_default_auto_ids_fall_back_to_the_stock_directive(tmp_path, monkeypatch):
    src = project(tmp_path, "auto", extra=False, conf='\nbibtex_cite_id = ""\n')
    stock, _ = build(src, monkeypatch, stock=True, out="stock")
    fast, _ = build(src, monkeypatch, stock=False, out="fast")
    assert html(stock) == html(fast)


def test_parallel_build_gives_the_same_html_as_serial(tmp_path, monkeypatch):
    src = project(tmp_path, "par")
    serial, w1 = build(src, monkeypatch, stock=False, out="serial")
    par, w2 = build(src, monkeypatch, stock=False, parallel=2, out="par")
    pages = (*PAGES, "extra.html")
    assert html(serial, pages) == html(par, pages)


def _rebuild(src: Path, monkeypatch, write_all: bool = False) -> tuple[Path, set[str], set[str], str]:
    """Build incrementally (``write_all``: write every page, like ``sphinx-build -a``); the pages
    read and the pages written."""
    monkeypatch.delenv("LLMKB_STOCK_BIBTEX", raising=False)
    app = SphinxTestApp("html", srcdir=src, builddir=src / "_build")
    try:
        app.build(force_all=write_all)
        status = re.sub(r"\x1b\[[0-9;]*m", "", app.status.getvalue())
        read = set(re.findall(r"reading sources\.\.\. \[\s*\d+%\] (\S+)", status))
        written = set(re.findall(r"writing output\.\.\. \[\s*\d+%\] (\S+)", status))
        return Path(app.outdir), read, written, app.warning.getvalue()
    finally:
        app.cleanup()


def _edit(bib: Path, key: str, field: str, value: str) -> None:
    text = bib.read_text(encoding="utf-8")
    start = text.index("{" + key + ",")
    m = re.compile(field + r"\s*=\s*\{(.*)\},\n").search(text, start)
    bib.write_text(text[:m.start(1)] + value + text[m.end(1):], encoding="utf-8")


def test_a_refs_bib_edit_reads_only_the_pages_that_show_the_entry(tmp_path, monkeypatch):
    src = project(tmp_path, "incr", extra=False)
    (src / "third.md").write_text("# 第三页\n\n没有引用。\n", encoding="utf-8")
    index = (src / "index.md").read_text(encoding="utf-8")
    (src / "index.md").write_text(index.replace("other\n```", "other\nthird\n```"), encoding="utf-8")
    _rebuild(src, monkeypatch)
    out, read, written, _ = _rebuild(src, monkeypatch)
    assert read == written == set()  # a no-op rebuild reads and writes nothing

    # hu2021lora is shown on index only (Sphinx itself rewrites the pages under index's toctree)
    _edit(src / "refs.bib", "hu2021lora", "kind", "低秩适配（新）")
    out, read, written, warnings = _rebuild(src, monkeypatch)
    assert read == {"index"} and warnings == ""
    assert "低秩适配（新）" in (out / "index.html").read_text(encoding="utf-8")

    # a title shown in both bibliographies: both pages, not the third
    _edit(src / "refs.bib", "dettmers2023qlora", "title", "{QLoRA Renamed}")
    out, read, written, _ = _rebuild(src, monkeypatch)
    assert read == {"index", "other"}
    assert "QLoRA Renamed" in (out / "other.html").read_text(encoding="utf-8")

    # a new entry of a topic shown in a table on other.md: that page gets a new row
    bib = (src / "refs.bib").read_text(encoding="utf-8")
    bib += """
@article{tim2024newpaper,
  title = {{A New Memory Paper}},
  author = {Tim, New},
  journal = {arXiv preprint arXiv:2401.99999},
  year = {2024},
  date = {2024-01-02},
  eprint = {2401.99999},
  archivePrefix = {arXiv},
  url = {https://arxiv.org/abs/2401.99999},
  keywords = {memory-efficient-training},
  kind = {新方法},
  shortvenue = {arXiv},
  provenance = {test fixture},
}
"""
    (src / "refs.bib").write_text(bib, encoding="utf-8")
    out, read, written, _ = _rebuild(src, monkeypatch)
    assert read == {"other"} and "other" in written
    other = (out / "other.html").read_text(encoding="utf-8")
    # its row, labelled in plain text: no text cites it, so no bibliography lists it (row_citations)
    assert 'id="paper-tim2024newpaper"' in other and 'id="cite-tim2024newpaper"' not in other

    # and the result equals a clean build of the edited project
    clean = tmp_path / "clean"
    shutil.copytree(src, clean, ignore=shutil.ignore_patterns("_build"))
    fresh, _, _, _ = _rebuild(clean, monkeypatch)
    assert html(out, (*PAGES, "third.html")) == html(fresh, (*PAGES, "third.html"))


def test_re_reading_a_page_does_not_change_where_shared_citations_point(tmp_path, monkeypatch):
    """extra.md cites dettmers2023qlora, which index.md and other.md both list: stock resolves it
    by the order the bibliographies were read ("the last one wins"). Re-reading index.md appends
    its bibliography last — as a parallel read may — and must not move the link (the -j test
    above failed about one run in seven before the order was fixed)."""
    src = project(tmp_path, "order")
    out, _, _, _ = _rebuild(src, monkeypatch)
    before = html(out, (*PAGES, "extra.html"))
    assert 'href="other.html#cite-1-dettmers2023qlora"' in before["extra.html"]
    page = src / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n新的一段。\n", encoding="utf-8")
    out, read, written, _ = _rebuild(src, monkeypatch, write_all=True)
    assert "index" in read and "extra" in written
    assert html(out, ("extra.html",)) == {"extra.html": before["extra.html"]}


def test_citation_nodes_are_made_on_demand_and_not_pickled():
    nodes = fast_bibtex.CitationNodes([{"a": None, "b": None}], "p-", __import__("docutils.nodes").nodes.citation,
                                      "cite-{key}", 1)
    assert "p-a" in nodes and "a" not in nodes and "p-c" not in nodes
    assert list(nodes) == ["p-a", "p-b"] and len(nodes) == 2
    assert nodes["p-a"]["ids"] == ["cite-p-a"] and nodes["p-a"] is nodes["p-a"]
    with pytest.raises(KeyError):
        nodes["p-c"]
    copy = pickle.loads(pickle.dumps(nodes))
    assert copy._nodes == {} and copy["p-b"]["ids"] == ["cite-p-b"]


def test_rereading_a_page_does_not_mark_the_pages_that_cite_the_same_papers(tmp_path, monkeypatch):
    # re-reading index.md moves its bibliography to the end of the domain's data; the papers it
    # shares with other.md (dettmers2023qlora) must not look changed, or every page citing them
    # is rewritten (in the real book: every page, on any refs.bib edit)
    from llmkb.sphinx_ext import fast_bibtex

    src = project(tmp_path, "reread", extra=False)
    _rebuild(src, monkeypatch)
    returned = []
    original = fast_bibtex.FastBibtexDomain.env_updated

    def spy(self):
        result = list(original(self))
        returned.append(result)
        return result

    monkeypatch.setattr(fast_bibtex.FastBibtexDomain, "env_updated", spy)
    page = src / "index.md"  # the first page: re-reading it moves its bibliography behind other.md's
    page.write_text(page.read_text(encoding="utf-8").replace("# 测试首页", "# 测试首页\n\n多一句话。"), encoding="utf-8")
    out, read, written, warnings = _rebuild(src, monkeypatch)
    assert read == {"index"} and warnings == ""
    assert returned == [[]]  # no bibliography and no citation changed
    assert "多一句话" in (out / "index.html").read_text(encoding="utf-8")


def test_resolving_a_page_again_does_not_duplicate_its_bibliography(tmp_path, monkeypatch):
    """Citation nodes are made once per bibliography and kept; the transform fills a copy, so a
    page resolved twice in one process (here: after the build) lists each entry once. For HTML an
    entry is a label and one compact node: its text for the search index, and its links."""
    from docutils import nodes

    monkeypatch.delenv("LLMKB_STOCK_BIBTEX", raising=False)
    src = project(tmp_path, "twice", extra=False)
    app = SphinxTestApp("html", srcdir=src, builddir=src / "_build")
    try:
        app.build()
        assert app.warning.getvalue() == ""
        for _ in range(2):
            doctree = app.env.get_and_resolve_doctree("index", app.builder)
            citations = list(doctree.findall(nodes.citation))
            assert len(citations) == 4
            for citation in citations:
                assert [type(c) for c in citation.children] == [nodes.label, fast_bibtex.bibliography_entry]
                entry = citation[1]
                assert sum(1 for _ in citation.findall()) <= 9, citation.pformat()
                assert entry.astext().split("\n")[0] == next(entry.paragraph.findall(nodes.Text)).astext()
                assert [type(c) for c in entry.children[1:]] == [nodes.reference] * (len(entry) - 1)
    finally:
        app.cleanup()


# --- citation ids: unique on the page, as stock makes them ---------------------------------------

NEAR_KEYS_BIB = """\
@Misc{Tèst, author = {John Smith}, title = {Title A}, year = {2001}}
@Misc{Tést, author = {Mary Poppins}, title = {Title B}, year = {2002}}
@Misc{Têst, author = {Albert Einstein}, title = {Title C}, year = {2003}}
@Misc{Other, author = {Ada Lovelace}, title = {Title D}, year = {2004}}
"""


def mini_project(tmp_path: Path, name: str, index: str, cite_id: str) -> Path:
    """A project with sphinxcontrib-bibtex and llmkb.sphinx_ext.fast_bibtex only (no refs.bib schema: keys
    like ``Tèst`` are upstream's test data, not the book's)."""
    src = tmp_path / name
    src.mkdir()
    (src / "conf.py").write_text(f'extensions = ["sphinxcontrib.bibtex", "llmkb.sphinx_ext.fast_bibtex"]\n'
                                 f'bibtex_bibfiles = ["refs.bib"]\nbibtex_cite_id = "{cite_id}"\n', encoding="utf-8")
    (src / "refs.bib").write_text(NEAR_KEYS_BIB, encoding="utf-8")
    (src / "index.rst").write_text(index, encoding="utf-8")
    return src


def page_ids(page: str) -> list[str]:
    return re.findall(r'\bid="([^"]+)"', page)


def citation_links(page: str) -> dict[str, str]:
    """label → the id its citation reference links to (on the same page)."""
    return {label: ref for ref, label in re.findall(r'<a class="reference internal" href="#([^"]+)"[^>]*>([^<]+)</a>', page)}


def citation_ids(page: str) -> dict[str, str]:
    """label → id of the bibliography entry with that label."""
    return {label: id_ for id_, label in re.findall(
        r'<div class="citation" id="([^"]+)" role="doc-biblioentry">\s*<span class="label">'
        r'<span class="fn-bracket">\[</span>(?:<a [^>]*>)?([^<]+)', page)}


def duplicate_id_warnings(warnings: str) -> list[str]:
    return sorted(re.sub(r"\x1b\[[0-9;]*m", "", w) for w in warnings.splitlines() if "duplicate citation id" in w)


def build_both(src: Path, monkeypatch) -> tuple[tuple[str, str], tuple[str, str]]:
    stock, w1 = build(src, monkeypatch, stock=True, out="stock")
    fast, w2 = build(src, monkeypatch, stock=False, out="fast")
    return ((stock / "index.html").read_text(encoding="utf-8"), w1), ((fast / "index.html").read_text(encoding="utf-8"), w2)


def assert_links_land_on_their_entries(page: str, labels: set[str]) -> None:
    ids = page_ids(page)
    assert len(ids) == len(set(ids)), f"ids used twice: {sorted(i for i in set(ids) if ids.count(i) > 1)}"
    links, entries = citation_links(page), citation_ids(page)
    assert set(entries) == labels and set(links) == labels
    assert links == entries


def test_keys_that_differ_only_in_accents_get_unique_ids_and_a_warning(tmp_path, monkeypatch):
    """upstream's test_duplicate_nearly_identical_keys_2: Tèst, Tést and Têst all make the id
    cite-1-test; the first keeps it, the others are warned about and get auto ids."""
    src = mini_project(tmp_path, "near", ":cite:`Tèst`\n:cite:`Tést`\n:cite:`Têst`\n\n.. bibliography::\n",
                       "cite-{bibliography_count}-{key}")
    (stock, w1), (fast, w2) = build_both(src, monkeypatch)
    assert len(duplicate_id_warnings(w1)) == 2 and "duplicate citation id cite-1-test" in w1
    assert duplicate_id_warnings(w2) == duplicate_id_warnings(w1)
    for page in (stock, fast):
        assert_links_land_on_their_entries(page, {"Smi01", "Pop02", "Ein03"})
        assert citation_ids(page)["Smi01"] == "cite-1-test"  # the first in refs.bib keeps the id


def test_two_bibliographies_on_a_page_under_cite_key_do_not_share_ids(tmp_path, monkeypatch):
    """The book's cite-{key} has no bibliography count: a second bibliography on the page makes
    the same ids again. Stock warns about each and gives the second one auto ids."""
    src = mini_project(tmp_path, "two", ":cite:`Other` :cite:`Tèst`\n\n.. bibliography::\n   :filter: cited\n\n"
                       "Again\n=====\n\n.. bibliography::\n   :all:\n", "cite-{key}")
    (stock, w1), (fast, w2) = build_both(src, monkeypatch)
    assert duplicate_id_warnings(w2) == duplicate_id_warnings(w1) != []
    for page in (stock, fast):
        ids = page_ids(page)
        assert len(ids) == len(set(ids)), page
        assert page.count('class="citation"') == 2 + 4


@pytest.mark.parametrize("where", ["before", "after"])
def test_a_page_label_with_a_citation_id_does_not_take_the_citation_link(tmp_path, monkeypatch, where):
    """A label ``cite-other`` beside a cited entry ``Other``: the citation link must land on the
    entry, not on the section, and the page must not use the id twice."""
    section = ".. _cite-other:\n\nA section\n=========\n\nText.\n\n"
    bibliography = ":cite:`Other`\n\n.. bibliography::\n   :filter: cited\n\n"
    src = mini_project(tmp_path, where, section + bibliography if where == "before" else bibliography + section,
                       "cite-{key}")
    (stock, w1), (fast, w2) = build_both(src, monkeypatch)
    assert_links_land_on_their_entries(stock, {"Lov04"})
    assert_links_land_on_their_entries(fast, {"Lov04"})
    if where == "before":  # stock can tell only then, while it makes its ids; llmkb always can
        assert duplicate_id_warnings(w2) == duplicate_id_warnings(w1)
        assert "duplicate citation id cite-other" in w1
    else:
        assert "duplicate citation id cite-other" in w2


def test_a_second_app_in_the_same_process_registers_llmkb_nodes_and_directives_without_warnings(tmp_path, monkeypatch):
    """llmkb.preview and any script that builds twice make a second Sphinx app in one process;
    docutils' node registry is global, so the second registration must be an override.
    (SphinxTestApp unregisters its nodes on cleanup, which hid this from the other tests.)"""
    from io import StringIO

    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace

    monkeypatch.delenv("LLMKB_STOCK_BIBTEX", raising=False)
    src = project(tmp_path, "again", extra=False)
    warnings = []
    with docutils_namespace():  # unregisters the nodes afterwards, for the tests that follow
        for out in ("first", "second"):
            warning = StringIO()
            Sphinx(src, src, src / out / "html", src / out / "doctrees", "html", status=None, warning=warning,
                   freshenv=True)
            warnings.append(warning.getvalue())
    assert warnings[0] == ""
    # Sphinx's own extensions warn in the second app (not llmkb's to fix); llmkb's must not
    again = [w for w in re.sub(r"\x1b\[[0-9;]*m", "", warnings[1]).splitlines() if "already registered" in w]
    assert any("sphinx.addnodes" in w for w in again)  # the situation is real
    assert [w for w in again if "extension llmkb" in w] == []
