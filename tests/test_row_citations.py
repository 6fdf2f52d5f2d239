"""llmkb.sphinx_ext.row_citations: a listed paper's citation (a table row's 引用 cell) stays a citation only
where some text cites the paper — on a page with a bibliography, that page's text; elsewhere, any
page's — and is otherwise its label as plain text, out of the bibliography but in the page's
reference files. Decided after every page is read, so an incremental build follows the text."""

import re
import shutil
from pathlib import Path

import pybtex.database


def build(make_app, src: Path):
    app = make_app("html", srcdir=src, freshenv=False)
    app.build()
    # a second app in one process re-registers docutils' global nodes and roles: not this test's business
    warnings = [w for w in app.warning.getvalue().splitlines() if w and "already registered" not in w]
    assert warnings == [], warnings
    return Path(app.outdir)


def cells(html: str) -> dict[str, str]:
    """key -> the row's last cell (引用)."""
    return {key: cell for key, cell in re.findall(
        r'<tr class="llmkb-paper[^"]*" data-date="[^"]*" data-key="([^"]+)".*?<td>((?:(?!<td>).)*?)</td>\s*</tr>', html, re.S)}


def test_rows_cite_only_what_the_text_cites(make_app, tmp_path, rootdir):
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-nested", src)
    out = build(make_app, src)
    peft = (out / "efficiency/peft.html").read_text(encoding="utf-8")
    row = cells(peft)
    assert set(row) >= {"hu2021lora", "dettmers2023qlora"}, row
    # the text cites QLoRA: its row links the entry
    assert 'href="#cite-dettmers2023qlora"' in row["dettmers2023qlora"]
    # LoRA is only in the table here (the home page's text cites it): a plain label, no entry
    assert re.fullmatch(r'<span class="llmkb-label"[^>]*>\[Hu 2022\]</span>', row["hu2021lora"].strip()), row["hu2021lora"]
    entries = set(re.findall(r'<div class="citation" id="cite-([\w-]+)"', peft))
    assert entries == {"dettmers2023qlora"}
    # every row's paper is still in the page's reference files
    bib = pybtex.database.parse_file(str(out / "_bib/efficiency/peft.bib"), "bibtex")
    assert set(bib.entries) == set(row)

    # an edit that makes the text cite LoRA too: the next (incremental) build links its row
    page = src / "efficiency/peft.md"
    page.write_text(page.read_text(encoding="utf-8").replace("QLoRA {cite:p}`dettmers2023qlora`",
                                                             "QLoRA {cite:p}`dettmers2023qlora` and LoRA {cite:p}`hu2021lora`"),
                    encoding="utf-8")
    out = build(make_app, src)
    peft = (out / "efficiency/peft.html").read_text(encoding="utf-8")
    assert 'href="#cite-hu2021lora"' in cells(peft)["hu2021lora"]
    assert set(re.findall(r'<div class="citation" id="cite-([\w-]+)"', peft)) == {"dettmers2023qlora", "hu2021lora"}


def test_a_page_s_references_are_the_tail_of_the_domain_s_list():
    """row_citations.page_refs takes the page just read's references from the end of the list
    (they are appended while it is read) instead of scanning every page's."""
    from types import SimpleNamespace as Ref

    from llmkb.sphinx_ext.row_citations import page_refs

    refs = [Ref(docname=d, n=i) for i, d in enumerate(["a", "b", "a", "c", "c"])]
    assert [r.n for r in page_refs(refs, "c")] == [3, 4]
    assert page_refs(refs, "a") == [] and page_refs([], "a") == []
    assert [r.n for r in page_refs(refs[:3], "a")] == [2]
