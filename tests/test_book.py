"""The real book: strict build, nothing lost, every export right, offline, searchable."""

import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pybtex.database
import pytest
import yaml
from conftest import ROW_KEY

from llmkb.bib import file as bibfile
from llmkb.bib import papers as P
from llmkb.bib import topics
from llmkb.search.index_file import read_index
from llmkb.sphinx_ext import paging

ROOT = Path(__file__).resolve().parent.parent
HAN = re.compile(r"[\u4e00-\u9fff]")
pytestmark = pytest.mark.book


# `book` (the strict build, once per session) lives in tests/conftest.py: the browser tests share it.


@pytest.fixture(scope="session")
def html_pages(book):
    _, out = book
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in out.rglob("*.html")}


def bib_keys() -> set[str]:
    return {e.key for e in bibfile.read(ROOT / "refs.bib").entries}


def papers_data(out: Path) -> dict | None:
    """The paper filter's data file, written only when the library has outgrown a whole index
    (llmkb_index_rows; llmkb/sphinx_ext/paging.py): {key: record}, or None for a whole index."""
    path = out / paging.DATA_FILE
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8")[len("window.llmkbPapers = "):-2])
    return {r[0]: dict(zip(data["fields"], r)) for r in data["papers"]}


def test_strict_build_has_zero_warnings(book):
    proc, _ = book
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "WARNING" not in proc.stderr and "ERROR" not in proc.stderr, proc.stderr[-3000:]


def test_every_entry_is_on_the_paper_index_and_in_the_full_export(book, html_pages):
    _, out = book
    index = html_pages["appendix/papers.html"]
    # each row's label links to the entry in a topic page's bibliography (the index has none of its own)
    shown = set(re.findall(r'href="\.\./[\w/-]+\.html#cite-([\w-]+)"', index))
    data = papers_data(out)
    if data is None:  # a whole index: every entry has its row here
        assert shown == bib_keys()
    else:  # a paged one: some rows here, every entry in the filter's data, every row on some page
        assert shown and shown < bib_keys() and set(data) == bib_keys()
        assert {k for page in html_pages.values() for k in ROW_KEY.findall(page)} >= bib_keys()
        assert all(data[k]["url"].split("#")[0] in html_pages for k in data)
    assert 'class="citation"' not in index and "title=" not in "".join(re.findall(r'<td><span class="bibtex-citation".*?</td>', index))
    exported = pybtex.database.parse_file(str(out / "refs.bib"), "bibtex")
    assert set(exported.entries) == bib_keys()


def test_every_page_bib_equals_the_keys_cited_on_it(book, html_pages):
    _, out = book
    pages_with_bib = 0
    for name, html in html_pages.items():
        # every reference-file link on every page reaches a written file (a bibliography on a page
        # citing nothing once linked files never written: extension.check_bibliographies)
        for line in re.findall(r'<p class="llmkb-page-bib">(.*?)</p>', html, re.S):
            for href in re.findall(r'href="([^"]+)"', line):
                assert (out / name).parent.joinpath(href).is_file(), (name, href)
        cited = set(re.findall(r'href="[^"#]*#cite-([\w-]+)"', html))
        bib = out / "_bib" / name.replace(".html", ".bib")
        if not cited:
            assert not bib.exists(), name
            continue
        pages_with_bib += 1
        assert set(pybtex.database.parse_file(str(bib), "bibtex").entries) == cited, name
        href = re.search(r'class="llmkb-page-bib".*?<a[^>]+href="([^"]+\.bib)"', html, re.S)
        assert href and (out / name).parent.joinpath(href.group(1)).resolve() == bib.resolve(), name
    assert pages_with_bib >= len(topics.TOPICS)


def test_every_entry_is_shown_on_a_topic_page(html_pages):
    """A row or a citation of every entry on a topic page or its listing pages, as `llmkb check`
    counts shown. A row whose paper no text cites keeps a plain label, without a #cite- link
    (llmkb/sphinx_ext/row_citations.py), so the rows count too: a paper added to a table only
    passes make check and the strict build, and must pass here."""
    pages = [f"{t.page}.html" for t in topics.TOPICS]
    pages += [name for name in html_pages if name.startswith(f"{paging.LISTING_DIR}/")]
    shown = set()
    for name in pages:
        shown |= set(ROW_KEY.findall(html_pages[name])) | set(re.findall(r'href="#cite-([\w-]+)"', html_pages[name]))
    assert bib_keys() - shown == set()


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.urls.append(("script", a["src"]))
        if tag == "link" and a.get("href") and set((a.get("rel") or "").split()) & {"stylesheet", "preload", "icon", "modulepreload", "prefetch"}:
            self.urls.append(("link", a["href"]))
        if tag in {"img", "iframe", "source", "video", "audio"} and a.get("src"):
            self.urls.append((tag, a["src"]))


REMOTE = re.compile(r"^(?:[a-z]+:)?//", re.I)


def test_no_page_loads_anything_from_another_host(book, html_pages):
    _, out = book
    for name, html in html_pages.items():
        parser = _Assets()
        parser.feed(html)
        remote = [u for u in parser.urls if REMOTE.match(u[1])]
        assert remote == [], (name, remote)
    for css in out.rglob("*.css"):
        text = css.read_text(encoding="utf-8", errors="replace")
        remote = re.findall(r"(?:@import\s+|url\()\s*['\"]?((?:https?:)?//[^'\")\s]+)", text)
        assert remote == [], (css.name, remote)


def test_every_formula_is_drawn_at_build_time(book, html_pages):
    """llmkb.math.svg: no page loads a maths script; every formula is an SVG (with MathML for
    screen readers) whose glyph references all resolve on its own page."""
    _, out = book
    assert not (out / "_static/mathjax").exists()
    pages_with_math = 0
    for name, html in html_pages.items():
        assert not any("mathjax" in s.lower() or "llmkb-math.js" in s for s in _script_srcs(html)), name
        spans = re.findall(r'<(?:span|div) class="math notranslate nohighlight"[^>]*>(.{0,400})', html, re.S)
        if not spans:
            assert "llmkb-math" not in html, name
            continue
        pages_with_math += 1
        for start in spans:
            assert re.match(r'\s*(?:<span class="eqno">.*?</span>)?<mjx-container (?:tabindex="0" )?class="MathJax" jax="SVG"',
                            start, re.S), \
                (name, start[:120])
        used = set(re.findall(r'xlink:href="#(MJX-[^"]+)"', html))
        defined = re.findall(r'<path id="(MJX-[^"]+)" d="', html)
        assert used == set(defined) and len(defined) == len(set(defined)), name
        # each formula's MathML for screen readers, straight after its picture (no wrapper: llmkb-math.css hides it)
        assert html.count("<mjx-container") == html.count('</svg><math xmlns="http://www.w3.org/1998/Math/MathML"'), name
        assert "<mjx-assistive-mml" not in html, name
        assert "_static/llmkb-math.css" in html, name
    assert pages_with_math >= 15
    assert html_pages["efficiency/peft.html"].count("<mjx-container") >= 80


def test_chinese_search_indexes_the_field_terms(book):
    _, out = book
    terms = read_index(out / "searchindex.js")["terms"]
    for word in ("大语言模型", "多模态", "思维链", "指令微调", "低秩适配", "混合专家", "知识蒸馏", "幻觉", "水印"):
        assert word in terms, word
    for acronym in ("lora", "rlhf", "moe", "mamba"):
        assert acronym in terms, acronym


def test_topic_pages_teach_then_list_then_cite(html_pages):
    for t in topics.TOPICS:
        html = html_pages[f"{t.page}.html"]
        body = html[html.index('<article class="bd-article">'):html.index("</article>")]
        first_table = body.find('class="llmkb-paper-table')
        assert first_table > 0, t.page
        primer = re.sub(r"<[^>]+>", "", body[:first_table])
        assert len(HAN.findall(primer)) >= 800, (t.page, len(HAN.findall(primer)))
        assert 'class="citation"' in body[first_table:], t.page  # the page's own bibliography
        assert "llmkb-page-bib" in body, t.page


def test_every_topic_page_shows_its_freshness_under_the_title(html_pages):
    """The newest paper's date comes from refs.bib, the review date from the page's front matter."""
    from llmkb.bib.papers import Paper
    from llmkb.sphinx_ext import freshness

    papers = [Paper(e) for e in bibfile.read(ROOT / "refs.bib").entries]
    for t in topics.TOPICS:
        reviewed = freshness.front_matter((ROOT / "docs" / f"{t.page}.md").read_text(encoding="utf-8"))["reviewed"]
        line = f"最新收录论文：{freshness.newest_paper_date(papers, t.id)} · 本页审校：{reviewed}"
        assert re.search(r"</h1>\s*<p class=\"llmkb-freshness\">" + re.escape(line) + "</p>",
                         html_pages[f"{t.page}.html"]), t.page
    assert "llmkb-freshness" not in html_pages["index.html"]


def test_no_placeholder_text_anywhere():
    pattern = re.compile(r"coming soon|敬请期待|待补充|\bTODO\b|\bTBD\b", re.I)
    hits = [str(p) for p in (ROOT / "docs").rglob("*.md") if pattern.search(p.read_text(encoding="utf-8"))]
    assert hits == []


def test_watermark_demo_numbers_come_from_the_code(html_pages):
    from llmkb.sphinx_ext import watermark

    html = html_pages["text/watermarking.html"]
    for scored in watermark.demo():
        assert f"绿色词 {scored.green} / {scored.total}" in html
        assert f"z = {scored.z:.3f}" in html


def test_build_time_figures_are_present(book, html_pages):
    _, out = book
    for name in ("chinchilla-frontier.svg", "milestone-timeline.svg"):
        svgs = list(out.rglob(name))
        assert svgs and svgs[0].read_text(encoding="utf-8").lstrip().startswith(("<?xml", "<svg")), name


def test_readthedocs_builds_the_same_way():
    config = yaml.safe_load((ROOT / ".readthedocs.yaml").read_text(encoding="utf-8"))
    assert config["version"] == 2
    python = config["build"]["tools"]["python"]
    assert tuple(map(int, python.split("."))) >= (3, 11)
    jobs = config["build"]["jobs"]
    assert ".[docs]" in " ".join(jobs["install"])
    commands = " ".join(jobs["build"]["html"])
    assert "-W --keep-going" in commands and "-c . -d _build/doctrees docs" in commands
    assert '"$READTHEDOCS_OUTPUT/html"' in commands
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "SPHINXOPTS ?= -W --keep-going" in makefile and "-c . $(SOURCEDIR)" in makefile


def _script_srcs(html: str) -> list[str]:
    return [s.split("?", 1)[0] for s in re.findall(r'<script\b[^>]*\bsrc="([^"]+)"', html)]


def test_pages_load_no_icon_script_and_search_scripts_only_on_the_search_page(book, html_pages):
    """llmkb/sphinx_ext/page_assets.py: the theme's 1.5 MB fontawesome.js is on no page (its CSS draws the
    icons from the webfont, which must be shipped), and the search index only on search.html."""
    _, out = book
    assert (out / "_static/vendor/fontawesome/webfonts/fa-solid-900.woff2").is_file()
    assert "fa-magnifying-glass" in html_pages["index.html"]
    search_scripts = {"searchindex.js", "searchtools.js", "language_data.js"}
    for name, html in html_pages.items():
        srcs = {s.rsplit("/", 1)[-1] for s in _script_srcs(html)}
        assert "fontawesome.js" not in srcs, name
        if name == "search.html":
            assert search_scripts <= srcs, srcs
        else:
            assert not search_scripts & srcs, (name, search_scripts & srcs)
    # extension assets only where the body uses them: the home page has no code, no cards
    home = html_pages["index.html"]
    for absent in ("sphinx-design.min.css", "design-tabs.js", "copybutton.js", "clipboard.min.js", "pygments.css"):
        assert absent not in home, absent
    assert "llmkb-bibtex.js" in html_pages["efficiency/peft.html"]  # BibTeX blocks have copy buttons
    assert "copybutton.js" not in html_pages["efficiency/peft.html"]  # and no code block to copy
    assert "copybutton.js" in html_pages["appendix/contributing.html"]  # the guide's shell commands do
    # the rest of the theme's head is untouched
    peft = _script_srcs(html_pages["efficiency/peft.html"])
    for kept in ("_static/documentation_options.js", "_static/scripts/bootstrap.js",
                 "_static/scripts/pydata-sphinx-theme.js"):
        assert any(s.endswith(kept) for s in peft), kept


def test_bibtex_blocks_are_plain_text_and_left_out_of_the_search_index(book, html_pages):
    _, out = book
    peft = html_pages["efficiency/peft.html"]
    # the rows' dialogs are closed and empty but for a link to the page's .bib; their content is
    # one data file per paper shown (llmkb/cite/dialog_files.py), written by the book's one definition
    from llmkb.cite import dialog_files

    closed = re.findall(r'<details class="llmkb-bibtex">(.*?)</details>', peft, re.S)
    keys = ROW_KEY.findall(peft)
    assert len(closed) == len(keys) >= 15
    assert set(closed) == {'<summary>引用</summary><a class="llmkb-cite-fallback" href="../_bib/efficiency/peft.bib">'
                           '本页全部条目的 BibTeX 文件（含本条）</a>\n'}
    shown = {k for page in html_pages.values()
             for k in ROW_KEY.findall(page)}
    files = {p.name: p.read_text(encoding="utf-8") for p in (out / "_static" / "cite").iterdir()}
    assert set(files) == {dialog_files.file_name(k) for k in shown}  # exactly the papers shown, no others
    blocks = [json.loads(files[dialog_files.file_name(k)].split("] = ", 1)[1][:-2]) for k in keys]
    # without JavaScript, each row's dialog links to its page's .bib file, which holds the row's entry
    for name, page in html_pages.items():
        links = set(re.findall(r'<a class="llmkb-cite-fallback" href="([^"]+)">', page))
        if not links:
            continue
        (link,) = links
        target = (out / name).parent / link
        rows_ = set(ROW_KEY.findall(page))
        assert rows_ <= set(pybtex.database.parse_file(str(target), "bibtex").entries), name
    # the paper filter's author lists: every author of the index's rows whose line leaves some out
    # (with a paged index the filter searches the data file, which holds every author: no such file)
    index = html_pages["appendix/papers.html"]
    on_index = set(ROW_KEY.findall(index))
    by_key = {p.key: p for p in P.load(ROOT / "refs.bib")[0]}
    data = papers_data(out)
    if data is None:
        authors = (out / "_static" / "llmkb-authors.js").read_text(encoding="utf-8")
        assert authors.startswith("window.llmkbAuthors = {") and authors.endswith("};\n")
        assert json.loads(authors[len("window.llmkbAuthors = "):-2]) == {
            k: by_key[k].all_authors for k in on_index if by_key[k].all_authors != by_key[k].short_authors()}
    else:
        assert not (out / "_static" / "llmkb-authors.js").exists()
        assert {k: r["authors"] for k, r in data.items()} == {k: p.all_authors for k, p in by_key.items()}
    assert all('<div class="highlight llmkb-bibtex-source"><button class="llmkb-copy" type="button" '
               'aria-label="复制这条 BibTeX"></button><code>&#64;' in b for b in blocks)
    assert not any("<span" in b or "<pre" in b for b in blocks)  # no Pygments colours, no <pre> (why: paper_table)
    terms = read_index(out / "searchindex.js")["terms"]
    # a citation key appears only inside its BibTeX block: the block is not indexed, the row is
    assert "dettmers2023qlora" not in terms and "hu2022lora" not in terms
    assert "qlora" in terms and "lora" in terms


def test_theme_css_keeps_exactly_the_icons_the_pages_use(book, html_pages):
    """page_assets.trim_theme_css: every icon class on a page (or in the theme's script) still has
    its rule; the ~2,000 others are gone."""
    _, out = book
    css = (out / "_static/styles/pydata-sphinx-theme.css").read_text(encoding="utf-8")
    rules = {n.lstrip(".") for names in re.findall(r'((?:\.fa-[a-z0-9-]+,?)+)\{--fa:', css) for n in names.split(",")}
    shown = {"fa-magnifying-glass", "fa-bars", "fa-sun", "fa-moon", "fa-circle-half-stroke", "fa-list", "fa-xmark"}
    on_pages = {c for html in html_pages.values() for c in re.findall(r"\bfa-[a-z0-9-]+", html)}
    assert shown <= rules
    assert {c for c in on_pages if c not in {"fa-solid", "fa-lg", "fa-fw", "fa-brands", "fa-regular"}} <= rules
    assert len(re.findall(r'\{--fa:', css)) < 60  # of ~1,970 in the theme's file
    assert "@font-face" in css and "fa-solid-900.woff2" in css


def test_icon_fonts_keep_every_glyph_the_stylesheets_draw(book):
    """page_assets.subset_icon_fonts: each Font Awesome font keeps every glyph it had that a built
    stylesheet names (the theme's own file is the witness), and little else."""
    import pydata_sphinx_theme
    from fontTools.ttLib import TTFont

    _, out = book
    theme_fonts = Path(pydata_sphinx_theme.__file__).parent / "theme/pydata_sphinx_theme/static/vendor/fontawesome/webfonts"
    css = "".join(p.read_text(encoding="utf-8") for p in (out / "_static").rglob("*.css"))
    drawn = {ord(c) for c in css if 0xE000 <= ord(c) <= 0xF8FF}
    drawn |= {int(h, 16) for h in re.findall(r'\\([ef][0-9a-f]{3})"', css)}
    assert {0xF002, 0xF0C9, 0xF185, 0xF186, 0xF05A, 0xF071} <= drawn  # search, menu, sun, moon, note, warning
    built = sorted((out / "_static/vendor/fontawesome/webfonts").glob("*.woff2"))
    assert [f.name for f in built] == ["fa-brands-400.woff2", "fa-regular-400.woff2", "fa-solid-900.woff2"]
    for font in built:
        full = set(TTFont(theme_fonts / font.name).getBestCmap())
        kept = set(TTFont(font).getBestCmap())
        assert kept == full & drawn, font.name
        assert font.stat().st_size < 8_000 < (theme_fonts / font.name).stat().st_size, font.name


def test_paper_tables_scroll_in_a_focusable_box_and_other_tables_keep_the_themes(html_pages):
    """paper_table.visit_table_html: no paper table is left for the theme's tab-stop script (which
    forced a layout per table on load); the book's other tables keep the theme's wrapper."""
    index = html_pages["appendix/papers.html"]
    boxes = re.findall(r'<div class="llmkb-table-scroll" tabindex="0">\s*<table class="[^"]*llmkb-paper-table', index)
    assert len(boxes) == index.count("<table") >= 20  # one per topic
    assert "pst-scrollable-table-container" not in index
    others = html_pages["multimodal/hallucination.html"]
    assert re.search(r'<div class="pst-scrollable-table-container">\s*<table class="table">', others)
    assert "llmkb-table-scroll" in others  # its paper tables


def test_paper_table_headers_hold_their_words_without_paragraphs(html_pages):
    """paper_table.depart_table_html: a paper table's five header cells write their words directly
    (five elements fewer per table); the book's other tables are left as the theme writes them."""
    index = html_pages["appendix/papers.html"]
    heads = re.findall(r'<th class="head">([^<]*)</th>', index)
    assert len(heads) == 5 * index.count("<table") and set(heads) == {"论文", "类型", "发表于", "日期", "引用"}
    assert '<th class="head"><p>' not in index
    others = html_pages["multimodal/hallucination.html"]  # a page with a Markdown table besides its paper tables
    assert '<th class="head"><p>' in others


def test_sidebar_shows_the_title_once_and_one_search_field(html_pages):
    """The sidebar's title links the home page (no second "home" entry in the navigation), and a
    page has one search field (the theme's header bar held a second one)."""
    for name in ("index.html", "efficiency/peft.html"):
        html = html_pages[name]
        assert html.count('class="llmkb-sidebar-title"') == 1, name
        assert "bd-sidenav__home-link" not in html, name
        assert len(re.findall(r'class="[^"]*\bsearch-button-field\b', html)) == 1, name


def test_every_page_links_a_prefilled_error_report_and_its_source(book, html_pages):
    """报告错误 opens a new issue with the page's title and source path filled in; 编辑本页 opens
    the page's source. Both are plain links (nothing fetched); checked on every content page."""
    from urllib.parse import parse_qs, urlsplit

    checked = 0
    for path, html in html_pages.items():
        page = Path(path).with_suffix("")
        if str(page) in {"search", "genindex", "404"} or path.startswith("_static/"):
            continue
        source = f"docs/{page.as_posix()}.md"
        assert (ROOT / source).is_file(), source
        report = re.search(r'<a class="reference external" href="([^"]+)">报告错误</a>', html)
        assert report, f"{path}: no 报告错误 link"
        url = urlsplit(report.group(1).replace("&amp;", "&"))
        query = parse_qs(url.query)
        title = re.search(r"<title>(.*?) &#8212;", html).group(1)
        assert url.path.endswith("/issues/new") and query["labels"] == ["fix"]
        assert query["title"] == [f"[修正] {title}"], (path, query["title"])
        assert f"`{source}`" in query["body"][0] and title in query["body"][0]
        assert f'href="https://github.com/llmkb/llmkb/edit/main/{source}"' in html, f"{path}: no edit link"
        # the corrected errors: the errata page itself (before it was split off, a section of the changelog)
        errata = re.search(r'<a class="reference internal" href="([^"]+)">勘误</a>中', html)
        target = path if errata and errata.group(1) == "#" else os.path.normpath(Path(path).parent / errata.group(1))
        assert errata and target.endswith("appendix/errata.html"), (path, errata and errata.group(1))
        checked += 1
    assert checked >= 30


def _ids(html: str) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', html))


def test_every_topic_page_maps_its_papers_before_the_tables_and_declares_prerequisites(html_pages):
    """Issue 18: the lineage graph (or, before any relation is recorded, a line saying so) heads
    the paper tables; every box and every relation link lands on a row of the same page."""
    from llmkb.bib import notes
    from llmkb.bib.papers import Paper
    from llmkb.plots import lineage
    from llmkb.sphinx_ext import reading_paths

    papers = [Paper(e) for e in bibfile.read(ROOT / "refs.bib").entries]
    pages = {t.page for t in topics.TOPICS}
    for t in topics.TOPICS:
        html = html_pages[f"{t.page}.html"]
        body = html[html.index('<article class="bd-article">'):html.index("</article>")]
        graph = lineage.topic_graph(papers, t.id, {})
        if graph.number_of_edges():
            assert body.count('<figure class="llmkb-graph">') == 1, t.page
            mark = body.index("llmkb-graph-svg")
            targets = set(re.findall(r'<a href="#(paper-[\w-]+)"', body))
            assert targets == {notes.row_id(k) for k in graph}, t.page
            assert targets <= _ids(body), t.page
            assert f"谱系的文字版（{graph.number_of_edges()} 条关系）" in body, t.page
        else:
            mark = body.index('class="llmkb-graph-empty"')
        assert mark < body.index('class="llmkb-paper-table'), t.page
        needs = reading_paths.read_prerequisites(ROOT / "docs" / f"{t.page}.md")
        assert needs is not None and set(needs) <= pages - {t.page}, t.page


def test_paper_index_relation_links_land_on_rows_of_the_page(book, html_pages):
    html = html_pages["appendix/papers.html"]
    links = set(re.findall(r'<p class="llmkb-relations">.*?</p>', html))
    targets = {t for line in links for t in re.findall(r'href="#(paper-[\w-]+)"', line)}
    assert targets <= _ids(html)
    anchors = re.findall(r'\bid="paper-([\w-]+)"', html)
    assert len(anchors) == len(set(anchors))  # one anchor per entry shown
    if papers_data(book[1]) is None:
        assert set(anchors) == bib_keys()  # a whole index shows every entry


def test_reading_paths_page_is_first_in_the_book_and_every_step_links_somewhere_real(book, html_pages):
    _, out = book
    index = html_pages["index.html"]
    toctree = index[index.index('class="toctree-wrapper'):]
    assert toctree.index('href="reading-paths.html"') < toctree.index('href="foundations/index.html"')
    html = html_pages["reading-paths.html"]
    paths = re.findall(r'<ol class="[^"]*llmkb-reading-path[^"]*"[^>]*>(.*?)</ol>', html, re.S)
    svgs = re.findall(r"<svg .*?</svg>", html, re.S)
    assert len(paths) >= 3 and len(svgs) == len(paths)
    for steps, svg in zip(paths, svgs):
        items = re.findall(r"<li><p>(.*?)</p>\s*</li>", steps, re.S)
        assert len(items) >= 3 and all(re.search(r"：[^<]{8,}$", i) for i in items)  # each with its why
        hrefs = re.findall(r'<a href="([^"]+)" aria-label="第 \d+ 步：', svg)
        assert len(hrefs) >= len(items)
        for href in hrefs:
            path, _, anchor = href.partition("#")
            target = out / path
            assert target.is_file(), href
            if anchor:
                assert anchor in _ids(target.read_text(encoding="utf-8")), href


def test_only_sections_with_a_table_of_contents_are_laid_out_at_once(html_pages):
    """extension.mark_contents_sections: llmkb.css lays out lazily every second-level section but
    those classed llmkb-contents — exactly the ones holding a visible table of contents."""
    marked = 0
    for name, html in html_pages.items():
        for match in re.finditer(r'<section class="llmkb-contents" id="[^"]+">(.*?)</section>', html, re.S):
            marked += 1
            assert 'class="toctree-wrapper' in match.group(1), name
    assert marked >= 1 and 'class="llmkb-contents"' in html_pages["index.html"]


def test_the_social_cards_are_saved_with_fast_compression(book):
    """llmkb.sphinx_ext.social_cards: every preview card the real build writes uses zlib level 1."""
    from test_social_cards import zlib_level

    from llmkb.plots import fonts

    _, out = book
    cards = sorted((out / "_images" / "social_previews").glob("*.png"))
    if fonts.font_file() is None:  # conf.py draws no cards without a CJK font (test_strict_build says why)
        assert not cards
        return
    assert len(cards) > 60
    assert {zlib_level(card) for card in cards} == {0}
