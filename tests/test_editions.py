"""The PDF and EPUB editions (make pdf, make epub; llmkb/sphinx_ext/editions.py), built once per session the
way the Makefile builds them and read back as a reader gets them: pdffonts and pdftotext on the PDF,
the LaTeX log, epubcheck and an XML parser on the EPUB."""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, ROW_KEY, require, require_program

from llmkb.bib import file as bibfile
from llmkb.bib import topics as T
from llmkb.bib.papers import Paper
from llmkb.sphinx_ext import editions

SVG = "{http://www.w3.org/2000/svg}"
QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "`": "'"})
TEX_HINT = "apt-get install texlive-xetex texlive-lang-chinese latexmk fonts-noto-cjk fonts-freefont-otf librsvg2-bin"


def _sphinx(builder: str, out: Path, doctrees: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-b", builder, "-t", "book", "-c", str(ROOT),
         "-d", str(doctrees), str(ROOT / "docs"), str(out)], capture_output=True, text=True, cwd=ROOT)


@pytest.fixture(scope="session")
def pdf(tmp_path_factory) -> Path:
    for program in ("xelatex", "latexmk", "rsvg-convert"):
        require_program(program, TEX_HINT)
    base = tmp_path_factory.mktemp("pdf")
    out = base / "latex"
    proc = _sphinx("latex", out, base / "doctrees")
    assert proc.returncode == 0, proc.stderr[-3000:]
    tex = subprocess.run(editions.LATEXMK, capture_output=True, text=True, cwd=out)
    assert tex.returncode == 0, (tex.stdout + tex.stderr)[-3000:]
    return out / "llmkb.pdf"


@pytest.fixture(scope="session")
def pdf_text(pdf) -> str:
    require_program("pdftotext", "apt-get install poppler-utils")
    # -raw: in content-stream order, so a table cell's wrapped lines stay together
    return subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _squash(text: str) -> str:
    """Text as compared across PDF line breaks: NFKC (ligatures), no whitespace, no hyphens
    (LaTeX hyphenates English words in narrow table cells), TeX's curly quotes as straight ones."""
    text = unicodedata.normalize("NFKC", text).translate(QUOTES)
    return re.sub(r"[\s\-‐]+", "", text)


def test_the_pdf_embeds_the_cjk_font(pdf):
    require_program("pdffonts", "apt-get install poppler-utils")
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    # the collections share one CFF font name (…CJKjp) whatever face FontIndex selects
    assert any("NotoSerifCJK" in line for line in cjk), fonts
    assert cjk and all(line.split()[-5] == "yes" for line in cjk), fonts  # the emb column


def test_the_pdf_is_a4_with_parts_and_chinese_chapters(pdf, pdf_text):
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info), info
    for part in T.PARTS:
        assert part.zh in pdf_text, part
    assert "第一部分" in pdf_text and "第 1 章" in pdf_text


def _first_sentence(page: Path) -> str:
    """A run of plain Chinese prose from the page's first paragraphs (no markup inside)."""
    body = page.read_text(encoding="utf-8").split("\n# ", 1)[-1]
    runs = re.findall(r"[\u4e00-\u9fff，、；]{12,}", body)
    assert runs, page
    return runs[0][:12]


def test_every_topic_page_is_in_the_pdf(pdf_text):
    text = _squash(pdf_text)
    missing = [t.page for t in T.TOPICS
               if _squash(_first_sentence(ROOT / "docs" / f"{t.page}.md")) not in text]
    assert not missing


def test_every_paper_of_refs_bib_is_in_the_pdf(pdf_text):
    text = _squash(pdf_text)
    papers = [Paper(e) for e in bibfile.read(ROOT / "refs.bib").entries]
    missing = [p.key for p in papers if _squash(p.title) not in text]
    assert not missing, missing


def test_no_box_overflows_a_page_and_every_reference_resolves(pdf):
    log = pdf.with_suffix(".log").read_text(encoding="utf-8", errors="replace")
    assert editions.latex_log_problems(log) == []


def test_each_chapter_ends_with_its_own_references(pdf):
    tex = pdf.with_suffix(".tex").read_text(encoding="utf-8")
    assert "sphinxthebibliography" not in tex  # Sphinx's one list of every citation at the end
    per_chapter = tex.count(r"\begin{llmkbreferences}")
    assert per_chapter >= len(T.TOPICS)
    # a paper cited on two pages is listed in both chapters, never twice in one
    for chunk in tex.split(r"\begin{llmkbreferences}")[1:]:
        items = re.findall(r"\\bibitem\[[^\]]*\]\{([^}]*)\}", chunk.split(r"\end{llmkbreferences}")[0])
        assert len(items) == len(set(items))


def test_latex_log_check_catches_a_cut_table_and_a_broken_reference():
    log = ("Overfull \\hbox (1.0pt too wide) in paragraph at lines 1--2\n"
           "Overfull \\vbox (1.884pt too high) detected at line 26767\n"  # spacing, nothing lost
           "Overfull \\vbox (12.5pt too high) detected at line 30001\n"
           "Overfull \\vbox (165.65854pt too high) has occurred while \\output is active []\n"
           "LaTeX Warning: Reference `foundations/moe::doc' on page 3 undefined on input line 7.\n"
           "Missing character: There is no \u22a2 (U+22A2) in font [FreeMonoOblique.otf]/OT:script=latn;!\n")
    assert editions.latex_log_problems(log) == [
        "Overfull \\vbox (12.5pt too high) detected at line 30001",
        "Overfull \\vbox (165.65854pt too high) has occurred while \\output is active []",
        "LaTeX Warning: Reference `foundations/moe::doc' on page 3 undefined on input line 7.",
        "Missing character: There is no \u22a2 (U+22A2) in font [FreeMonoOblique.otf]/OT:script=latn;!"]
    assert editions.main(["check-latex-log", str(ROOT / "tests" / "test_editions.py")]) == 0


# --- EPUB -------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def epub(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("epub")
    proc = _sphinx("epub", base / "epub", base / "doctrees")
    assert proc.returncode == 0, proc.stderr[-3000:]
    path = base / "epub" / "llmkb.epub"
    assert not (base / "epub" / ".doctrees").exists()
    return path


def test_epubcheck_finds_no_error(epub):
    command = editions.epubcheck_command()
    require(command is not None, "epubcheck not found", "apt-get install epubcheck")
    proc = subprocess.run([*command, str(epub)], capture_output=True, text=True)
    report = proc.stdout + proc.stderr
    assert re.search(r"Messages: 0 fatals / 0 errors", report), report[-3000:]
    assert proc.returncode == 0


def test_epub_formulas_are_svg_and_declared(epub):
    with zipfile.ZipFile(epub) as z:
        opf = z.read("content.opf").decode("utf-8")
        assert "<dc:language>zh-CN</dc:language>" in opf
        page = "foundations/scaling-laws.xhtml"
        root = ET.fromstring(z.read(page))
        namespaced = list(root.iter(f"{SVG}svg"))
        bare = [e for e in root.iter() if e.tag == "svg"]
        assert len(namespaced) > 10 and not bare  # bare <svg> in XHTML is no SVG: a blank formula
        # each formula's glyphs drawn by its own paths (llmkb.math.render.merge_glyphs), and its
        # MathML for screen readers in MathML's namespace; a glyph left a <use> (none today) resolves
        formulas = list(root.iter("{http://www.w3.org/1999/xhtml}mjx-container"))
        glyphs = [p for p in root.iter(f"{SVG}path") if p.get("stroke-width") == "3" and p.get("d", "").startswith("M")]
        assert len(formulas) > 10 and len(glyphs) >= len(formulas)
        assert len(list(root.iter("{http://www.w3.org/1998/Math/MathML}math"))) == len(formulas)
        glyph_ids = {e.get("id") for e in root.iter(f"{SVG}path")}
        uses = {u.get("{http://www.w3.org/1999/xlink}href", "")[1:] for u in root.iter(f"{SVG}use")}
        assert uses <= glyph_ids
        assert re.search(rf'href="{re.escape(page)}"[^>]*properties="svg mathml"', opf)
        peft = z.read("efficiency/peft.xhtml").decode("utf-8")
        # the lineage graph is HTML-only inline SVG: the EPUB keeps its text version
        assert 'class="llmkb-graph"' not in peft and "llmkb-graph-list" in peft
        names = z.namelist()
        assert not any(n.endswith("search.html") for n in names)
        index = z.read("appendix/papers.xhtml").decode("utf-8")
        assert "llmkb-paper-filter" not in index  # the script's form: the table stands without it
        # every entry has a row in the e-book: on the index, or (a library beyond llmkb_index_rows,
        # whose index keeps each topic's newest rows) on its topic page or a listing page
        rows = {k for n in names if n.endswith(".xhtml")
                for k in ROW_KEY.findall(z.read(n).decode("utf-8"))}
        assert rows >= {e.key for e in bibfile.read(ROOT / "refs.bib").entries}
        assert index.count('class="llmkb-paper') >= 1


def test_epub_manifest_properties_follow_the_content(tmp_path):
    (tmp_path / "a.xhtml").write_text("<html><svg xmlns='http://www.w3.org/2000/svg'/><math/></html>")
    (tmp_path / "b.xhtml").write_text("<html><p>纯文字</p></html>")
    opf = ('<item id="a" href="a.xhtml" media-type="application/xhtml+xml" />\n'
           '<item id="b" href="b.xhtml" media-type="application/xhtml+xml" />')
    assert editions.declare_properties(opf, tmp_path) == (
        '<item id="a" href="a.xhtml" media-type="application/xhtml+xml" properties="svg mathml" />\n'
        '<item id="b" href="b.xhtml" media-type="application/xhtml+xml" />')


def test_epub_assets_lose_what_epub_forbids_and_keep_the_rest(tmp_path):
    images, static = tmp_path / "_images", tmp_path / "_static"
    images.mkdir()
    static.mkdir()
    (images / "fig.svg").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"\n  "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
        '<svg xmlns="http://www.w3.org/2000/svg"><path id="g" transform="scale(1)"/><path d="M0 0"/></svg>')
    (static / "x.css").write_text(".a { flex-direction: row; direction: ltr; }")
    editions.epub_clean_assets(tmp_path)
    svg = (images / "fig.svg").read_text()
    assert "DOCTYPE" not in svg and '<path d="" id="g"' in svg and '<path d="M0 0"/>' in svg
    assert (static / "x.css").read_text() == ".a { flex-direction: row; }"


def test_readthedocs_offers_both_editions():
    config = yaml.safe_load((ROOT / ".readthedocs.yaml").read_text(encoding="utf-8"))
    assert "commands" not in config["build"]  # build.commands would ignore apt_packages
    assert {"texlive-xetex", "fonts-noto-cjk", "latexmk"} <= set(config["build"]["apt_packages"])
    assert set(config["formats"]) == {"pdf", "epub"}
    jobs = config["build"]["jobs"]["build"]
    pdf, epub = " ".join(jobs["pdf"]), " ".join(jobs["epub"])
    assert "-t book" in pdf and '"$READTHEDOCS_OUTPUT/pdf/"' in pdf and "cp _build/latex/llmkb.pdf" in pdf
    assert "-t book" in epub and '"$READTHEDOCS_OUTPUT/epub/"' in epub
    for job in (jobs["html"], jobs["pdf"], jobs["epub"]):
        assert "-W --keep-going" in job[0] and " -d _build/" in job[0]  # doctrees outside the outputs


def test_the_home_page_and_citing_page_link_this_versions_downloads(book):
    proc, out = book
    assert proc.returncode == 0, proc.stderr[-3000:]
    urls = editions.download_urls("https://llmkb.readthedocs.io/zh-cn/latest/")
    assert urls == {"pdf": "https://llmkb.readthedocs.io/_/downloads/zh-cn/latest/pdf/",
                    "epub": "https://llmkb.readthedocs.io/_/downloads/zh-cn/latest/epub/"}
    for page in ("index.html", "appendix/citing.html"):
        html = (out / page).read_text(encoding="utf-8")
        for url in urls.values():
            assert f'href="{url}"' in html, (page, url)


def test_the_preface_is_unnumbered_and_the_appendix_lettered(pdf_text):
    start = pdf_text.index("这是一本讲大语言模型")  # the preface's first sentence (after the contents)
    preface = pdf_text[start:pdf_text.index("第一部分", start)]
    assert "怎样读这本书" in preface and not re.search(r"0\.\d\s*怎样读这本书", preface)
    assert re.search(r"附录\s*A\s*如何引用", pdf_text)
