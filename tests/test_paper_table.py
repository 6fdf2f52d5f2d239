"""The paper-table directive on a tiny project: selection, order, citations, escaping, exports."""

import json
import re
from pathlib import Path

import pybtex.database
import pytest

from llmkb.bib import file as bibfile
from llmkb.bib.papers import Paper
from llmkb.search.index_file import read_index
from llmkb.sphinx_ext import paper_table

ROOT = Path(__file__).parent / "roots" / "test-basic"


def rows(html: str, table_index: int = 0) -> list[str]:
    tables = re.findall(r'<table class="llmkb-paper-table.*?</table>', html, re.S)
    return re.findall(r'<tr class="llmkb-paper[^"]*"[^>]*>(.*?)</tr>', tables[table_index], re.S)


def row_keys(html: str, table_index: int = 0) -> list[str]:
    return [re.search(r'href="#cite-([\w-]+)"', r).group(1) for r in rows(html, table_index)]


def papers():
    return [Paper(e) for e in bibfile.read(ROOT / "refs.bib").entries]


def test_select_and_sort_are_plain_functions():
    chosen = paper_table.select(papers(), "peft", ["method"])
    assert [p.key for p in paper_table.sort(chosen)] == ["dettmers2023qlora", "hu2021lora", "houlsby2019parameterefficient"]
    assert [p.key for p in paper_table.sort(chosen, "oldest")][0] == "houlsby2019parameterefficient"
    assert [p.key for p in paper_table.sort(chosen, "title")][0] == "hu2021lora"


def test_select_reads_each_topic_from_one_index_of_the_library():
    """by_topic indexes a list once (a build asks for each topic's papers about a thousand times at
    10,000 entries); the result is what a scan of every paper gives, in refs.bib's order, and a new
    list (another refs.bib) is indexed afresh, never answered from the old one's index."""
    from llmkb.bib.papers import by_topic

    library = papers()
    for topic in {t for p in library for t in p.topics}:
        assert by_topic(library)[topic] == [p for p in library if topic in p.topics], topic
    assert by_topic(library) is by_topic(library)
    fewer = [p for p in library if p.key != "hu2021lora"]
    assert "hu2021lora" not in [p.key for p in paper_table.select(fewer, "peft", ["method"])]
    assert "hu2021lora" in [p.key for p in paper_table.select(library, "peft", ["method"])]
    assert by_topic(iter(library))["peft"] == by_topic(library)["peft"]  # any iterable, not only lists


def test_select_errors_name_the_fix():
    with pytest.raises(KeyError, match="known topics"):
        paper_table.select(papers(), "lora")
    with pytest.raises(paper_table.SelectionError, match="its tags: survey, method, lora-composition"):
        paper_table.select(papers(), "peft", ["methods"])
    with pytest.raises(paper_table.SelectionError, match="no refs.bib entry has topic 'alignment'"):
        paper_table.select(papers(), "alignment")


@pytest.mark.sphinx("html", testroot="basic")
def test_build_is_clean_and_tables_are_sorted(app, warning):
    app.build()
    assert warning.getvalue() == ""
    html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    assert row_keys(html, 0) == ["dettmers2023qlora", "hu2021lora", "houlsby2019parameterefficient"]
    assert row_keys(html, 1) == ["evil2024script"]
    first = rows(html, 0)[1]
    assert 'href="https://arxiv.org/abs/2106.09685"' in first and ">LoRA: Low-Rank Adaptation of Large Language Models</a>" in first
    assert 'href="https://github.com/microsoft/LoRA">代码</a>' in first
    assert "<td>低秩适配</td>" in first and "<td>ICLR 2022</td>" in first and "<td>2021-06-17</td>" in first
    # the row's own label: a link to its entry, without a tooltip repeating the row
    assert re.search(r'<td><span class="bibtex-citation" id="id\d+">\[<a class="reference internal" '
                     r'href="#cite-hu2021lora">Hu 2022</a>\]</span></td>', first)
    # names with LaTeX accents are decoded for display
    assert "Neil Houlsby, Andrei Giurgiu, Stanisław Jastrzębski 等</p>" in html  # three names, decoded


@pytest.mark.sphinx("html", testroot="basic")
def test_citations_resolve_to_the_page_bibliography_and_back(app, warning):
    app.build()
    html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    for key in ("hu2021lora", "dettmers2023qlora", "houlsby2019parameterefficient", "evil2024script"):
        assert f'id="cite-{key}"' in html, key  # the target, on this page
        assert f'href="#cite-{key}"' in html, key  # the citation links to it
    assert ">Hu 2022</a>" in html  # readable labels: family name + cited year
    # back-links from the bibliography entry to the citing spots
    target = re.search(r'<div class="citation" id="cite-hu2021lora".*?</div>', html, re.S).group(0)
    assert "backrefs" in target and 'href="#id' in target
    other = (Path(app.outdir) / "other.html").read_text(encoding="utf-8")
    assert 'href="#cite-dettmers2023qlora"' in other and 'id="cite-dettmers2023qlora"' in other
    assert 'id="cite-hu2021lora"' not in other  # a page lists only what it cites


@pytest.mark.sphinx("html", testroot="basic")
def test_every_field_is_escaped(app, warning):
    app.build()
    html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>Mallory" not in html
    assert "<i>arXiv</i>" not in html
    evil = rows(html, 1)[0]
    assert "&lt;script&gt;alert(" in evil
    assert "&lt;/script&gt; *not emphasis* cite`hu2021lora` &amp; more" in evil  # {} is LaTeX grouping
    assert "&lt;img src=x onerror=alert(1)&gt;" in evil and "&lt;i&gt;arXiv&lt;/i&gt;" in evil
    assert "<em>not emphasis</em>" not in html


@pytest.mark.sphinx("html", testroot="basic")
def test_row_data_attributes_are_escaped_and_exact(app, warning):
    """The <tr data-*> attributes the paper filter reads: every bib value escaped, and unescaped exact."""
    import html as htmllib
    from html.parser import HTMLParser

    app.build()
    html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    tags = re.findall(r'<tr class="llmkb-paper[^"]*"[^>]*>', html)
    evil_tag = next(t for t in tags if 'data-key="evil2024script"' in t)
    assert "<script" not in evil_tag and "<img" not in evil_tag and "<i>" not in evil_tag
    assert 'data-venue="&lt;i&gt;arXiv&lt;/i&gt;"' in evil_tag

    class Rows(HTMLParser):
        found: dict = {}

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "tr" and "data-key" in a:
                self.found[a["data-key"]] = a

    parser = Rows()
    parser.feed(html)
    by_key = {p.key: p for p in papers()}
    assert parser.found
    for key, attrs in parser.found.items():
        assert {k: v for k, v in attrs.items() if k.startswith("data-")} == paper_table.row_data(by_key[key])
    assert htmllib.unescape(evil_tag).count("<i>") == 1  # the venue's markup survives as data, not as markup


def shown_keys(html_: str) -> set[str]:
    return set(re.findall(r'<tr class="llmkb-paper[^"]*"[^>]*\bdata-key="([^"]+)"', html_))


def dialog_contents(outdir: Path) -> dict[str, str]:
    """file name -> the dialog's HTML each ``_static/cite/*.js`` registers (checking its form)."""
    out = {}
    for path in sorted((outdir / "_static" / "cite").glob("*.js")):
        text = path.read_text(encoding="utf-8")
        m = re.fullmatch(r'\(window\.llmkbCite = window\.llmkbCite \|\| \{\}\)\[("[^"]*")\] = (".*");\n', text, re.S)
        assert m, (path.name, text[:200])
        key, html_ = json.loads(m.group(1)), json.loads(m.group(2))
        from llmkb.cite import dialog_files

        assert dialog_files.file_name(key) == path.name
        out[key] = html_
    return out


@pytest.mark.sphinx("html", testroot="basic")
def test_bibtex_blocks_round_trip_through_pybtex(app, warning):
    """The rows carry closed dialogs (a link to the page's .bib file); each shown paper's dialog
    content is in its data file, and its BibTeX block parses back to the entry."""
    app.build()
    page = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    dialogs = re.findall(r'<details class="llmkb-bibtex">.*?</details>', page, re.S)
    assert dialogs == ['<details class="llmkb-bibtex"><summary>引用</summary><a class="llmkb-cite-fallback" '
                       'href="_bib/index.bib">本页全部条目的 BibTeX 文件（含本条）</a>\n</details>'] * 4
    assert "llmkb-bibtex-source" not in page and "&#64;inproceedings" not in page
    contents = dialog_contents(Path(app.outdir))
    assert set(contents) == shown_keys(page) and len(contents) == 4
    import html as htmllib

    for key, content in contents.items():
        assert content.startswith('<p class="llmkb-cite-label">BibTeX</p><div class="highlight llmkb-bibtex-source">')
        block = re.search(r'<p class="llmkb-cite-label">BibTeX</p>(.*?)</div>', content, re.S).group(1)
        text = htmllib.unescape(re.sub(r"<[^>]+>", "", block))
        data = pybtex.database.parse_string(text, "bibtex")
        (entry,) = data.entries.values()
        assert entry.key == key
        assert "keywords" not in entry.fields and "shortvenue" not in entry.fields
        source = bibfile.read(ROOT / "refs.bib")
        raw = next(e for e in source.entries if e.key == entry.key)
        assert entry.fields["title"] == raw.fields["title"]
        assert {"GB/T 7714-2015", "APA"} <= set(re.findall(r'<p class="llmkb-cite-label">(.*?)</p>', content))
    # the title with markup in it is text in the dialog, as in the row
    assert "<script>" not in contents["evil2024script"] and "&lt;script&gt;" in contents["evil2024script"]


def test_dialog_data_files_escape_for_javascript(tmp_path):
    from llmkb.cite import dialog_files

    text = dialog_files.script("k", '<p>"\u2028\u2029</script>\\</p>')
    assert "\u2028" not in text and "\u2029" not in text  # raw line separators end a string in old engines
    assert json.loads(text[text.index("] = ") + 4:-2]) == '<p>"\u2028\u2029</script>\\</p>'
    assert dialog_files.file_name("hu2021lora") == "hu2021lora.js"
    assert dialog_files.file_name("Hu:20_21") == "_48_u_3a_20_5f_21.js"  # no case or "_" collisions


@pytest.mark.sphinx("html", testroot="basic")
def test_dialog_data_files_are_exactly_the_papers_shown(app, warning, make_app, tmp_path):
    """One data file per paper with a row in the HTML; after an incremental build that drops a
    table, the papers no longer shown lose theirs."""
    import shutil

    app.build()
    assert warning.getvalue() == ""
    out = Path(app.outdir)
    shown = shown_keys((out / "index.html").read_text(encoding="utf-8")) | shown_keys(
        (out / "other.html").read_text(encoding="utf-8"))
    assert set(dialog_contents(out)) == shown == {e.key for e in bibfile.read(ROOT / "refs.bib").entries}

    src = tmp_path / "fewer"
    shutil.copytree(ROOT, src)
    first = make_app("html", srcdir=src)
    first.build()
    index = src / "index.md"
    index.write_text(re.sub(r":::\{paper-table\}.*?\n:::\n", "", index.read_text(encoding="utf-8"), flags=re.S),
                     encoding="utf-8")
    again = make_app("html", srcdir=src)
    again.build()
    html_ = (Path(again.outdir) / "index.html").read_text(encoding="utf-8")
    assert "llmkb-paper" not in html_
    assert set(dialog_contents(Path(again.outdir))) == shown_keys((Path(again.outdir) / "other.html").read_text(
        encoding="utf-8")) == {"dettmers2023qlora"}


@pytest.mark.sphinx("epub", testroot="basic")
def test_epub_keeps_the_whole_dialog_in_the_page(app, warning):
    """EPUB reading systems need not run scripts: the rows there hold the dialog as before."""
    app.build()
    page = (Path(app.outdir) / "index.xhtml").read_text(encoding="utf-8")
    assert page.count('<div class="highlight llmkb-bibtex-source">') == 4 and "llmkb-cite-fallback" not in page
    assert not (Path(app.outdir) / "_static" / "cite").exists()


@pytest.mark.sphinx("html", testroot="basic")
def test_page_bib_files_hold_exactly_what_each_page_cites(app, warning):
    app.build()
    out = Path(app.outdir)
    def keys(path):
        return set(pybtex.database.parse_file(str(path), "bibtex").entries)
    assert keys(out / "_bib/index.bib") == {"hu2021lora", "dettmers2023qlora", "houlsby2019parameterefficient", "evil2024script"}
    assert keys(out / "_bib/other.bib") == {"dettmers2023qlora"}
    assert keys(out / "refs.bib") == {e.key for e in bibfile.read(ROOT / "refs.bib").entries}
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="_bib/index.bib"' in index and 'href="refs.bib"' in index


@pytest.mark.sphinx("html", testroot="basic", parallel=2, confoverrides={})
def test_parallel_build_gives_the_same_html(app, warning, make_app, tmp_path):
    app.build()
    assert warning.getvalue() == ""
    import shutil

    serial_src = tmp_path / "serial"
    shutil.copytree(ROOT, serial_src)
    serial = make_app("html", srcdir=serial_src)
    serial.build()
    cite = sorted(p.relative_to(serial.outdir).as_posix() for p in (Path(serial.outdir) / "_static/cite").iterdir())
    assert len(cite) == 4
    for page in ("index.html", "other.html", "_bib/index.bib", "_bib/other.bib", "refs.bib", *cite):
        assert (Path(app.outdir) / page).read_text(encoding="utf-8") == (Path(serial.outdir) / page).read_text(encoding="utf-8"), page
    assert sorted(p.name for p in (Path(app.outdir) / "_static/cite").iterdir()) == [c.rsplit("/", 1)[1] for c in cite]


@pytest.mark.sphinx("html", testroot="basic")
def test_rows_are_compact_in_the_doctree_and_searchable(app, warning):
    """A row is a handful of doctree nodes (the build's cost grows with nodes), yet its words
    reach the search index as before."""
    from docutils import nodes

    app.build()
    doctree = app.env.get_doctree("index")
    rows_ = list(doctree.findall(paper_table.paper_row))
    assert len(rows_) == 4
    for row in rows_:
        assert sum(1 for _ in row.findall()) <= 12, row.pformat()
        assert not list(row.findall(nodes.entry))
    terms = read_index(Path(app.outdir) / "searchindex.js")["terms"]
    # title, authors, venue and kind words (stemmed), as when rows were cells; BibTeX is not indexed
    for word in ("quantiz", "qlora", "houlsbi", "iclr", "低秩适配", "量化微调", "代码"):
        assert word in terms, word
    assert "inproceed" not in terms and "booktitl" not in terms


@pytest.mark.sphinx("text", testroot="basic")
def test_other_builders_get_ordinary_table_rows(app, warning):
    """Builders other than HTML (text here; LaTeX and linkcheck alike) see plain cells and links."""
    app.build()
    assert warning.getvalue() == ""
    text = (Path(app.outdir) / "index.txt").read_text(encoding="utf-8")
    assert "LoRA: Low-Rank Adaptation of Large" in text
    for cell in ("低秩适配", "ICLR 2022", "2021-06-17", "[Hu 2022]", "Edward J. Hu"):
        assert cell in text, cell
    assert "@inproceedings" not in text  # the BibTeX block is for HTML readers
    doctree = app.env.get_and_resolve_doctree("index", app.builder)
    assert not list(doctree.findall(paper_table.paper_row))
    refs = [r["refuri"] for r in doctree.findall(lambda n: n.tagname == "reference" and "refuri" in n)]
    assert "https://arxiv.org/abs/2106.09685" in refs and "https://github.com/microsoft/LoRA" in refs


@pytest.mark.sphinx("linkcheck", testroot="basic", confoverrides={"linkcheck_ignore": [".*"]})
def test_linkcheck_sees_every_paper_link(app, warning):
    """linkcheck collects links from the expanded rows (every URL is ignored: no network)."""
    app.build()
    checked = [json.loads(line) for line in (Path(app.outdir) / "output.json").read_text(encoding="utf-8").splitlines()]
    uris = {c["uri"] for c in checked if c["filename"] == "index.md"}
    assert {"https://arxiv.org/abs/2106.09685", "https://github.com/microsoft/LoRA"} <= uris
    assert {c["status"] for c in checked} == {"ignored"}


def test_filter_form_lists_the_bib_options_and_escapes_them():
    from llmkb.bib import file as bibfile
    from llmkb.bib.papers import Paper
    from llmkb.sphinx_ext.paper_table import filter_form_html

    bib = bibfile.parse_text("""@article{evil2024x,
  title = {{A Title}},
  author = {Evil, Eve},
  journal = {arXiv preprint arXiv:2401.00001},
  year = {2024},
  date = {2024-01-01},
  keywords = {peft},
  kind = {新方法},
  shortvenue = {<script>alert(1)</script> & "Co"},
  provenance = {test fixture},
}
@article{good2023y,
  title = {{B Title}},
  author = {Good, Gina},
  journal = {arXiv preprint arXiv:2301.00001},
  year = {2023},
  date = {2023-01-01},
  keywords = {alignment},
  kind = {综述},
  shortvenue = {ICLR 2023},
  provenance = {test fixture},
}
""", "t.bib")
    html = filter_form_html([Paper(e) for e in bib.entries])
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;" in html
    assert '<option value="peft">' in html and '<option value="alignment">' in html
    assert '<option value="efficient-inference">' not in html  # no paper, no option
    assert html.index('<option value="2024">') < html.index('<option value="2023">')  # newest first
    for control in ("llmkb-filter-text", "llmkb-filter-topic", "llmkb-filter-year", "llmkb-filter-venue",
                    "llmkb-filter-sort"):
        assert f'<label for="{control}">' in html and f'id="{control}"' in html


def test_a_rows_back_links_stop_at_the_newest_dozen_and_say_how_many_there_are():
    """A landmark paper's row names at most BACK_LINKS papers of each kind of back-link, the
    newest, and counts the rest (the Transformer's row in a 10,000-entry book named 380)."""
    def entry(key, date, relations=""):
        return Paper(bibfile.parse_text(
            f"@misc{{{key},\n  title = {{T {key}}},\n  author = {{Doe, Jane}},\n  year = {{{date[:4]}}},\n"
            f"  date = {{{date}}},\n  keywords = {{peft}},\n{relations}}}\n").entries[0])

    old = entry("old2017base", "2017-06-12")
    newer = [entry(f"n{i:02d}", f"2020-01-{i + 1:02d}", "  relations = {改进:old2017base},\n") for i in range(15)]
    papers = [old, *newer]
    from llmkb.bib import notes

    back, names = notes.back_links(papers), {p.key: p.key for p in papers}
    dates = {p.key: p.date for p in papers}
    (group,) = paper_table.relation_groups(old, back, names, dates)
    before, shown, after = group
    assert before == "被" and after == "等 15 篇改进"
    assert [k for k, _ in shown] == [f"n{i:02d}" for i in range(14, 2, -1)]  # the 12 newest, newest first
    html = paper_table.relations_html([group], lambda s: s, lambda s: s)
    assert html.count("<a ") == paper_table.BACK_LINKS and html.endswith("n03</a> 等 15 篇改进")
    assert paper_table.relations_text([group]).endswith("n03 等 15 篇改进")
    # at the limit nothing is left out or counted
    (group,) = paper_table.relation_groups(old, notes.back_links(papers[:13]), names, dates)
    assert len(group[1]) == 12 and group[2] == "改进"
