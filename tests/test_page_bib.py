"""llmkb.sphinx_ext.page_bib: each page's links to its reference files reach them, however the builder lays
pages out (html: ``a/b.html``; dirhtml: ``a/b/index.html``, the page's URL ``a/b/``)."""

import re
import shutil
from pathlib import Path
from urllib.parse import urljoin

import pytest

SITE = "https://example.org/book/"


def pages(out: Path) -> dict[str, str]:
    """Each written page's URL (relative to the site) and HTML."""
    found = {}
    for path in sorted(out.rglob("*.html")):
        rel = path.relative_to(out).as_posix()
        if rel.startswith(("_static/", "_sources/")) or rel in {"genindex.html", "search.html"} \
                or rel.endswith(("genindex/index.html", "search/index.html")):
            continue
        found[rel] = path.read_text(encoding="utf-8")
    return found


def reached(out: Path, page: str, hrefs: list[str]) -> list[str]:
    """Where each link leads, as a browser resolves it against the page's URL (relative to the site)."""
    targets = []
    for href in hrefs:
        target = urljoin(SITE + page, href)
        assert target.startswith(SITE), (page, href)
        targets.append(target[len(SITE):])
    return targets


@pytest.mark.parametrize("builder", ["html", "dirhtml"])
def test_page_links_to_its_reference_files_reach_them(builder, make_app, tmp_path, rootdir):
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-nested", src)
    app = make_app(builder, srcdir=src)
    app.build()
    assert app.warning.getvalue() == ""
    out = Path(app.outdir)
    written = pages(out)
    own = {"html": {"index.html": "index", "efficiency/peft.html": "efficiency/peft"},
           "dirhtml": {"index.html": "index", "efficiency/peft/index.html": "efficiency/peft"}}[builder]
    assert written.keys() == own.keys()
    rows = 0
    for page, html in written.items():
        line = re.search(r'<p class="llmkb-page-bib">(.*?)</p>', html, re.S).group(1)
        targets = reached(out, page, re.findall(r'href="([^"]+)"', line))
        docname = own[page]
        assert targets == [f"_bib/{docname}.bib", f"_bib/{docname}.ris", f"_bib/{docname}.json",
                           "refs.bib", "refs.ris", "refs.json"], page
        # each row's closed citation dialog links the page's .bib for readers without scripts
        fallbacks = re.findall(r'<a class="llmkb-cite-fallback" href="([^"]+)">', html)
        assert reached(out, page, fallbacks) == [f"_bib/{docname}.bib"] * len(fallbacks), page
        rows += len(fallbacks)
        for target in targets:
            assert (out / target).is_file(), (page, target)
    assert rows == 3  # the peft page's rows: the fallback link is checked at all


def test_a_bibliography_on_a_page_that_cites_nothing_is_reported(make_app, tmp_path, rootdir):
    """Its reference-file links would lead nowhere (no file is written for a page without
    citations): the build names the page and the fix (extension.check_bibliographies)."""
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-nested", src)
    (src / "empty.md").write_text("# Empty\n\nNo citation here.\n\n## 参考文献\n\n:::{bibliography}\n"
                                  ":filter: docname in docnames\n:::\n", encoding="utf-8")
    index = src / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("efficiency/peft", "efficiency/peft\nempty", 1),
                     encoding="utf-8")
    app = make_app("html", srcdir=src)
    app.build()
    warnings = app.warning.getvalue()
    assert re.search(r"empty\.md: WARNING: a bibliography, but the page's text cites no paper.*remove the bibliography"
                     r".*\[llmkb\.empty-bibliography\]", warnings), warnings
    assert warnings.count("empty-bibliography") == 1  # the pages that cite are not reported
