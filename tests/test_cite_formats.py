"""Citing in every format (issue 17): what a paper is, and the BibTeX, RIS and CSL-JSON exports,
read back by the consumers readers use: rispy (as EndNote-style importers read RIS), CSL's own
JSON schema, pybtex and LaTeX, cffconvert. All offline."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pybtex.database
import pytest
from conftest import ROOT

from llmkb.bib import file as bibfile
from llmkb.bib import papers
from llmkb.bib.export_bibtex import export_bibtex, format_entry
from llmkb.cite import book, csl, kinds, ris

ROOTS = Path(__file__).parent / "roots"
SCHEMA = Path(__file__).parent / "data" / "csl-schema" / "csl-data.json"


@pytest.fixture(scope="module")
def all_papers():
    return papers.load(ROOT / "refs.bib")[0]


def paper_from(text: str) -> papers.Paper:
    (entry,) = bibfile.parse_text(text).entries
    return papers.Paper(entry)


def evil_paper() -> papers.Paper:
    """test-basic's hostile entry: a title with <script>, MyST markup and LaTeX specials."""
    return next(p for p in papers.load(ROOTS / "test-basic" / "refs.bib")[0] if p.key == "evil2024script")


# --- what a paper is -----------------------------------------------------------------------------

def test_every_entry_has_one_kind_and_arxiv_only_papers_are_preprints(all_papers):
    by_kind = {}
    for p in all_papers:
        by_kind.setdefault(kinds.kind(p), []).append(p)
    assert set(by_kind) == {kinds.CONFERENCE, kinds.JOURNAL, kinds.PREPRINT, kinds.REPORT}
    for p in all_papers:
        is_arxiv_only = p.raw("journal").startswith("arXiv preprint")
        assert (kinds.kind(p) == kinds.PREPRINT) == is_arxiv_only, p.key
    assert all(kinds.arxiv_id(p) for p in by_kind[kinds.PREPRINT])  # bib_check demands eprint


def test_and_others_is_a_truncation_never_an_author(all_papers):
    truncated = [p for p in all_papers if kinds.authors(p)[1]]
    assert {"srivastava2022beyond", "dubey2024llama"} <= {p.key for p in truncated}
    for p in all_papers:
        names, _ = kinds.authors(p)
        assert all("others" not in (n.family, n.literal) for n in names), p.key
        item = csl.item(p)
        assert all(a.get("family") != "others" and a.get("literal") != "others" for a in item.get("author", []))
        assert not any(value == "others" for tag, value in ris.record(item) if tag == "AU"), p.key
    item = csl.item(next(p for p in truncated if p.key == "srivastava2022beyond"))
    assert len(item["author"]) == 10 and csl.TRUNCATED_NOTE in item["note"]


def test_names_as_bibtex_splits_them():
    p = paper_from("@inproceedings{x2020y, title = {T}, author = {{DeepSeek-AI} and de la Pe{\\~n}a, Jos{\\'e} "
                   "and Smith, Jr, John and Ada Lovelace and Hernandez Abrego, Gustavo and others}, "
                   "booktitle = {B}, year = {2020}}")
    names, truncated = kinds.authors(p)
    assert truncated
    assert names == [kinds.Name(literal="DeepSeek-AI"), kinds.Name(family="de la Peña", given="José"),
                     kinds.Name(family="Smith", given="John", suffix="Jr"), kinds.Name(family="Lovelace", given="Ada"),
                     kinds.Name(family="Hernandez Abrego", given="Gustavo")]


# --- BibTeX ----------------------------------------------------------------------------------------

def test_preprints_leave_as_misc_with_eprint_fields(all_papers):
    data = pybtex.database.parse_string(export_bibtex(all_papers), "bibtex")
    for p in all_papers:
        entry = data.entries[p.key]
        if kinds.kind(p) == kinds.PREPRINT:
            assert entry.type == "misc", p.key
            assert entry.fields["howpublished"] == p.raw("journal") and "journal" not in entry.fields
            assert entry.fields["eprint"] == p.raw("eprint") and entry.fields["archivePrefix"] == "arXiv"
        else:
            assert entry.type == p.entry.type, p.key
    # the raw refs.bib keeps the book's convention: only the export changes the type
    assert bibfile.read(ROOT / "refs.bib").entries[0].type in {"article", "inproceedings", "techreport"}


def test_preprints_and_truncated_lists_compile_with_bibtex_and_biber(all_papers, tmp_path):
    """One paper of each kind and both truncated author lists, through pdflatex + bibtex and
    biblatex + biber: zero warnings, et al. for ``and others``, the preprint's arXiv line."""
    sys.path.insert(0, str(Path(__file__).parent))
    import test_latex as L

    chosen = [p for p in all_papers if p.key in {"deepseekai2024deepseekv3", "templeton2024scaling", "hu2021lora",
                                                  "raffel2019exploring", "srivastava2022beyond", "dubey2024llama"}]
    assert len(chosen) == 6
    text = export_bibtex(chosen)
    bbl, blg, log = L.compile_with_bibtex(text, tmp_path / "bibtex")
    L.assert_clean(text, bbl, blg, log)
    assert "arXiv preprint arXiv:2412.19437, 2024" in bbl
    assert "Garriga-Alonso, et~al." in re.sub(r"\s+", " ", bbl)
    # biblatex + biber: as test_latex's own biblatex test runs it
    L.require_program("biber", L.BIBER_HINT)
    work = tmp_path / "biber"
    work.mkdir()
    (work / "refs.bib").write_text(text, encoding="utf-8")
    keys = ",".join(p.key for p in chosen)
    (work / "doc.tex").write_text(L.BIBLATEX_DOC % {"fontenc": L.T1, "keys": keys}, encoding="utf-8")
    latex = ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc"]
    L.run(latex, work)
    biber = L.run(["biber", "doc"], work)
    assert "WARN" not in biber.stdout and "ERROR" not in biber.stdout, biber.stdout
    bbl = (work / "doc.bbl").read_text(encoding="utf-8")
    assert r"\entry{deepseekai2024deepseekv3}{misc}" in bbl and r"\verb 2412.19437" in bbl
    assert r"\true{moreauthor}" in bbl  # biblatex's "and others": printed as et al.


# --- CSL-JSON ----------------------------------------------------------------------------------------

def _validator():
    import jsonschema

    return jsonschema.Draft7Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


def test_csl_json_export_validates_against_the_csl_schema(all_papers):
    data = json.loads(csl.export_csl_json(all_papers))
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    assert [i["id"] for i in data] == sorted(p.key for p in all_papers)
    types = {i["type"] for i in data}
    assert types == {"paper-conference", "article-journal", "article", "report"}


def test_the_schema_check_catches_a_broken_item(all_papers):
    """The validation can fail: a made-up type and a date as a bare string are both rejected."""
    item = csl.item(all_papers[0])
    broken = [dict(item, type="preprint"), dict(item, issued="2024")]
    assert len(list(_validator().iter_errors(broken))) == 2


def test_csl_items_say_what_each_paper_is(all_papers):
    by_key = {p.key: p for p in all_papers}
    pre = csl.item(by_key["deepseekai2024deepseekv3"])
    assert pre["type"] == "article" and pre["publisher"] == "arXiv" and pre["number"] == "arXiv:2412.19437"
    assert pre["issued"] == {"date-parts": [[2024, 12, 27]]}  # a preprint's date is its first version's
    assert pre["author"] == [{"literal": "DeepSeek-AI"}]
    rep = csl.item(by_key["templeton2024scaling"])
    assert rep["type"] == "report" and rep["publisher"] == "Anthropic" and rep["issued"] == {"date-parts": [[2024]]}
    jour = csl.item(by_key["raffel2019exploring"])
    assert (jour["type"], jour["container-title"]) == ("article-journal", "Journal of Machine Learning Research")
    assert jour["page"] == "1-67" and jour["volume"] == "21" and jour["issue"] == "140"
    conf = csl.item(by_key["hu2021lora"])
    assert conf["type"] == "paper-conference" and conf["container-title"].startswith("International Conference")
    assert all(i["language"] == "en" for i in (pre, rep, jour, conf))


# --- RIS ---------------------------------------------------------------------------------------------

def test_ris_export_parses_with_rispy_every_entry_and_field(all_papers):
    import rispy

    text = ris.export_ris(all_papers)
    parsed = rispy.loads(text)
    items = csl.items(all_papers)
    assert len(parsed) == len(items)
    for entry, item in zip(parsed, items):
        want = ris.record(item)
        # every tag we wrote comes back, under rispy's name for it, with the same value
        for tag, value in want:
            name = rispy.TAG_KEY_MAPPING[tag]
            got = entry[name]
            if tag in rispy.LIST_TYPE_TAGS:
                assert value in got, (item["id"], tag)
            else:
                assert got == value, (item["id"], tag, got, value)
        assert entry["id"] == item["id"]
        assert entry["authors"] == [v for t, v in want if t == "AU"]
    types = {e["type_of_reference"] for e in parsed}
    assert types == {"CONF", "JOUR", "UNPB", "RPRT"}


def test_ris_values_are_one_line_each():
    p = paper_from("@techreport{x2020y, title = {A\n  title over\tlines}, author = {Doe, Jane}, "
                   "institution = {Lab}, year = {2020}}")
    lines = ris.export_ris([p]).splitlines()
    assert "TI  - A title over lines" in lines and "PB  - Lab" in lines
    assert all(re.match(r"^[A-Z][A-Z0-9]  - ", line) or line == "" for line in lines), lines


# --- hostile titles stay text ---------------------------------------------------------------------------

def test_a_title_with_script_and_latex_specials_stays_text_in_every_format():
    from llmkb.cite import dialog

    p = evil_paper()
    title = '<script>alert("x")</script> *not emphasis* cite`hu2021lora` & more'  # TeX braces dropped
    assert p.title == title
    # BibTeX: the LaTeX source as refs.bib has it (\& stays escaped for LaTeX)
    assert "title = {{<script>alert(\"x\")</script> *not emphasis* {cite}`hu2021lora` \\& more}}" in format_entry(p)
    # CSL-JSON and RIS: the plain text, JSON- and line-safe
    item = json.loads(csl.export_csl_json([p]))[0]
    assert item["title"] == title
    assert f"TI  - {title}" in ris.export_ris([p]).splitlines()
    # GB/T 7714 and APA: plain text with the title in it; the dialog's HTML escapes it
    refs = dialog.references(p)
    assert all("<script>alert(" in text and "cite`hu2021lora` & more" in text for text in refs.values())
    import html

    page = dialog.html({"bibtex": format_entry(p), **refs}, html.escape)
    assert "<script>" not in page and "&lt;script&gt;" in page and "<b>Mallory" not in page


# --- each paper's references once per build --------------------------------------------------------------

def test_a_papers_references_are_computed_once_and_anew_for_an_edited_entry(monkeypatch):
    from llmkb.cite import dialog

    real, _ = papers.load(ROOT / "refs.bib")
    paper = next(p for p in real if p.key == "hu2021lora")
    built = []
    item = csl.item
    monkeypatch.setattr(csl, "item", lambda p: built.append(p.key) or item(p))
    dialog.prepare([paper], None)
    first = dialog.references(paper)
    first["apa"] = "changed by a caller"
    again = dialog.references(paper)
    assert built == ["hu2021lora"]  # prepared once, then answered from memory
    assert again["apa"].startswith("Hu, E. J.")  # a caller's change is not kept
    edited = papers.Paper(bibfile.RawEntry(paper.entry.type, paper.key, dict(paper.entry.fields, title="{LoRA Again}"),
                                           paper.entry.line))
    assert "LoRA Again" in dialog.references(edited)["apa"]
    assert built == ["hu2021lora", "hu2021lora"]


def test_a_papers_csl_item_is_made_once_and_anew_for_an_edited_entry(monkeypatch):
    real, _ = papers.load(ROOT / "refs.bib")
    paper = next(p for p in real if p.key == "hu2021lora")
    made = []
    make = csl._make_item
    monkeypatch.setattr(csl, "_make_item", lambda p: made.append(p.key) or make(p))
    csl._ITEMS.pop(paper.key, None)
    first = csl.item(paper)
    first["title"] = "changed by a caller"
    assert csl.item(paper)["title"] == "LoRA: Low-Rank Adaptation of Large Language Models"
    assert json.loads(csl.export_csl_json([paper]))[0] == csl.item(paper)
    assert made == ["hu2021lora"]  # made once, then answered from memory
    edited = papers.Paper(bibfile.RawEntry(paper.entry.type, paper.key, dict(paper.entry.fields, title="{LoRA Again}"),
                                           paper.entry.line))
    assert csl.item(edited)["title"] == "LoRA Again"
    assert made == ["hu2021lora", "hu2021lora"]


# --- names without pybtex's parser -----------------------------------------------------------------------

def _person_parse(name: str) -> kinds.Name:
    """kinds.parse_name as it was: pybtex's Person for every name."""
    person = pybtex.database.Person(name)
    text = lambda parts: papers.latex_to_text(" ".join(parts))  # noqa: E731
    return kinds.Name(family=text(person.prelast_names + person.last_names),
                      given=text(person.first_names + person.middle_names), suffix=text(person.lineage_names))


SIMPLE_NAMES = ["Hu, Edward J.", "van der Berg, Ann", "de la Fuente, José María", "Meier-Hellstern, Kathy",
                "  Spaced ,  Out   Name ", "Smith, J.-P.", "O'Neil, Ann", "Díaz, Mark",
                "El Shafey, Laurent", "Yih, Wen-tau", "Casas, Diego de las", "Lev, Ro'i", "dos Santos, Cicero Nogueira"]
NOT_SIMPLE = ["King, Jr, Martin Luther", "Edward J. Hu", "Zola, {\\'E}mile", "D{\\'\\i}az, Mark", "Smith,",
              ", Ann", "Smith~Jones, Ann", "{DeepSeek-AI}"]


def test_simple_names_are_read_as_pybtex_reads_them():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import bench

    real, _ = papers.load(ROOT / "refs.bib")
    synth = [papers.Paper(e) for e in bibfile.parse_text(bench.synth_bib(1000), "synth.bib").entries]
    names = {n for p in real + synth for n in p.authors if n != "others" and not kinds._is_braced_whole(n)}
    names |= set(SIMPLE_NAMES)
    read_directly = [n for n in names if kinds._simple_name(n) is not None]
    assert len(read_directly) >= 0.95 * len(names)
    assert set(SIMPLE_NAMES) <= set(read_directly)
    assert [n for n in read_directly if kinds.parse_name(n) != _person_parse(n)] == []
    for name in NOT_SIMPLE:
        assert kinds._simple_name(name) is None, name
        if not kinds._is_braced_whole(name):
            assert kinds.parse_name(name) == _person_parse(name), name


# --- the command line ---------------------------------------------------------------------------------

def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "llmkb", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


@pytest.mark.parametrize("fmt", ["ris", "csl-json", "gbt7714", "apa"])
def test_cli_exports_each_format(fmt):
    out = run_cli("export", "--format", fmt, "--key", "hu2021lora", "--key", "deepseekai2024deepseekv3")
    assert out.returncode == 0, out.stderr
    if fmt == "ris":
        assert out.stdout.count("ER  - ") == 2 and "TY  - UNPB" in out.stdout
    elif fmt == "csl-json":
        assert [i["id"] for i in json.loads(out.stdout)] == ["deepseekai2024deepseekv3", "hu2021lora"]
    else:
        lines = out.stdout.splitlines()
        assert len(lines) == 2 and lines[0].startswith("[1] ") and lines[1].startswith("[2] ")
        assert ("[EB/OL]" in lines[0]) == (fmt == "gbt7714")


def test_cli_rejects_an_unknown_format():
    out = run_cli("export", "--format", "endnote")
    assert out.returncode == 2 and "invalid choice: 'endnote'" in out.stderr


# --- downloads of a built site ------------------------------------------------------------------------------

@pytest.mark.sphinx("html", testroot="basic")
def test_each_page_offers_bib_ris_and_csl_json_with_the_same_papers(app, warning):
    import rispy

    app.build()
    out = Path(app.outdir)
    for stem in ("_bib/index", "refs"):
        bib_keys = set(pybtex.database.parse_file(str(out / f"{stem}.bib"), "bibtex").entries)
        ris_keys = {e["id"] for e in rispy.loads((out / f"{stem}.ris").read_text(encoding="utf-8"))}
        csl_keys = {i["id"] for i in json.loads((out / f"{stem}.json").read_text(encoding="utf-8"))}
        assert bib_keys and bib_keys == ris_keys == csl_keys, stem
    html = (out / "index.html").read_text(encoding="utf-8")
    line = re.search(r'<p class="llmkb-page-bib">(.*?)</p>', html, re.S).group(1)
    assert [h for h in re.findall(r'href="([^"]+)"', line)] == [
        "_bib/index.bib", "_bib/index.ris", "_bib/index.json", "refs.bib", "refs.ris", "refs.json"]


# --- CITATION.cff and 引用本书 ----------------------------------------------------------------------------------

def test_citation_cff_is_valid_and_states_the_package_version():
    import llmkb

    cff = shutil.which("cffconvert") or str(Path(sys.executable).parent / "cffconvert")
    out = subprocess.run([cff, "--validate", "-i", str(ROOT / "CITATION.cff")], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    citation = book.read(ROOT / "CITATION.cff")
    assert citation.version == llmkb.__version__
    assert f"{citation.version} 版" in citation.gbt7714() and "[M/OL]" in citation.gbt7714()
    data = pybtex.database.parse_string(citation.bibtex(), "bibtex")
    assert data.entries[citation.key].fields["note"] == f"Version {llmkb.__version__}"


def test_a_citation_file_without_a_version_is_named_with_the_fix(tmp_path):
    bad = tmp_path / "CITATION.cff"
    bad.write_text((ROOT / "CITATION.cff").read_text(encoding="utf-8").replace('version: "0.1.0"\n', ""),
                   encoding="utf-8")
    with pytest.raises(book.CitationFileError, match=r"CITATION.cff: preferred-citation lacks version — add them"):
        book.read(bad)
    with pytest.raises(book.CitationFileError, match="cannot read it"):
        book.read(tmp_path / "missing.cff")
