"""Exported BibTeX compiles with a real LaTeX: pdflatex + bibtex (plain), and biblatex + biber.

Every key of ``python -m llmkb export`` and of every page .bib of a small Sphinx build is cited
in a document; BibTeX must report zero warnings and errors and put every key in the .bbl.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, require_program

from llmkb.bib import file as bibfile

ROOTS = Path(__file__).parent / "roots"
TEX_HINT = "apt-get install texlive-latex-base texlive-latex-recommended texlive-fonts-recommended texlive-bibtex-extra"
BIBER_HINT = "apt-get install biber texlive-bibtex-extra"

# T1 + Times (texlive-fonts-recommended): accents such as \k{e} exist, and no font is generated.
PREAMBLE = r"""\documentclass{article}
%(fontenc)s
\usepackage{url}
"""
BIBTEX_DOC = PREAMBLE + r"""\begin{document}
\cite{%(keys)s}
\bibliographystyle{plain}
\bibliography{refs}
\end{document}
"""
BIBLATEX_DOC = PREAMBLE + r"""\usepackage[backend=biber,style=numeric]{biblatex}
\addbibresource{refs.bib}
\begin{document}
\cite{%(keys)s}
\printbibliography
\end{document}
"""
T1 = r"\usepackage[T1]{fontenc}\usepackage{mathptmx}\usepackage{courier}"


def run(cmd, cwd):
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=300, errors="replace")
    assert proc.returncode == 0, f"{cmd[0]} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-2000:]}"
    return proc


def bibtex_problems(blg: str) -> list[str]:
    """BibTeX's own count lines and every 'Warning--' line of a .blg."""
    counts = re.findall(r"\(There (?:was|were) (?:\d+|one) (?:warnings?|error messages?)\)", blg)
    return counts + re.findall(r"^Warning--.*$", blg, re.M) + re.findall(r"^I .*---line \d+.*$", blg, re.M)


def compile_with_bibtex(bib_text: str, workdir: Path, fontenc: str = T1) -> tuple[str, str, str]:
    """(bbl, blg, log) of a document citing every key of ``bib_text``."""
    require_program("pdflatex", TEX_HINT)
    require_program("bibtex", TEX_HINT)
    keys = [e.key for e in bibfile.parse_text(bib_text).entries]
    assert keys, "nothing to cite"
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "refs.bib").write_text(bib_text, encoding="utf-8")
    (workdir / "doc.tex").write_text(BIBTEX_DOC % {"fontenc": fontenc, "keys": ",".join(keys)}, encoding="utf-8")
    latex = ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc"]
    run(latex, workdir)
    run(["bibtex", "doc"], workdir)
    run(latex, workdir)
    run(latex, workdir)
    read = lambda name: (workdir / name).read_text(encoding="utf-8", errors="replace")  # noqa: E731
    return read("doc.bbl"), read("doc.blg"), read("doc.log")


def assert_clean(bib_text: str, bbl: str, blg: str, log: str) -> None:
    assert bibtex_problems(blg) == [], blg[-2000:]
    cited = {e.key for e in bibfile.parse_text(bib_text).entries}
    assert set(re.findall(r"\\bibitem\{([^}]+)\}", bbl)) == cited
    assert "Citation" not in re.sub(r"\s+", " ", " ".join(re.findall(r"LaTeX Warning:.*", log)))
    assert "Missing character" not in log


def export(*args) -> str:
    out = subprocess.run([sys.executable, "-m", "llmkb", "export", *args], capture_output=True, text=True,
                         cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_full_export_compiles_with_bibtex_without_a_warning(tmp_path):
    text = export()
    bbl, blg, log = compile_with_bibtex(text, tmp_path / "t1")
    assert_clean(text, bbl, blg, log)
    assert bbl.count(r"\bibitem{") == len(bibfile.read(ROOT / "refs.bib").entries)


def test_full_export_compiles_in_a_bare_document(tmp_path):
    """No fontenc at all (OT1): every name in refs.bib is still typeset (no \\k, no Vietnamese)."""
    text = export()
    bbl, blg, log = compile_with_bibtex(text, tmp_path / "ot1", fontenc="")
    assert_clean(text, bbl, blg, log)


@pytest.fixture(scope="module")
def page_bibs(tmp_path_factory):
    """The page .bib files of small Sphinx builds: test-basic and the LaTeX-hostile test-latex."""
    from sphinx.testing.util import SphinxTestApp

    out = {}
    for root in ("test-basic", "test-latex"):
        src = tmp_path_factory.mktemp(root) / "src"
        shutil.copytree(ROOTS / root, src)
        app = SphinxTestApp("html", srcdir=src)
        try:
            app.build()
        finally:
            app.cleanup()
        for bib in sorted((Path(app.outdir) / "_bib").rglob("*.bib")):
            out[f"{root}/{bib.relative_to(Path(app.outdir) / '_bib')}"] = bib.read_text(encoding="utf-8")
    return out


def test_every_page_bib_compiles_with_bibtex_without_a_warning(page_bibs, tmp_path):
    assert {"test-basic/index.bib", "test-basic/other.bib", "test-latex/index.bib"} <= set(page_bibs)
    for i, (name, text) in enumerate(sorted(page_bibs.items())):
        bbl, blg, log = compile_with_bibtex(text, tmp_path / str(i))
        assert_clean(text, bbl, blg, log)


def test_accents_acronyms_and_special_characters_come_out_right(page_bibs, tmp_path):
    text = page_bibs["test-latex/index.bib"]
    assert "code =" not in text and "kind =" not in text  # the project's own fields are stripped
    bbl, blg, log = compile_with_bibtex(text, tmp_path)
    assert_clean(text, bbl, blg, log)
    flat = re.sub(r"\s+", " ", bbl)
    # the title keeps its case and every escaped character; nothing after '%' is lost
    assert r"{GPT-4} Meets {LoRA}: 50\% of R\&D\_Tasks Need Only 1\% of the Weights" in flat
    assert r"Why 100\% Accuracy on {MMLU} Is Not Enough" in flat
    assert r"Proceedings of the A\&B Workshop on \_Tokenization\_ (W\&B 2023)" in flat
    assert r"M{\"u}ller \& S{\o}hne" in flat or r"Müller \& Söhne GmbH" in flat
    # names: LaTeX escapes and UTF-8 both reach the .bbl intact, first names first
    for name in (r"Stanis{\l}aw Jastrz{\k{e}}bski", "Christopher Ré", "Łukasz Woźniak", "José de~la Peña",
                 "Siobhán O'Connor", "Ayşe Çelik", "Søren Ørsted", "Åsa Håkansson", "OpenAI"):
        assert name in flat, name
    pdf = tmp_path / "doc.pdf"
    assert pdf.is_file() and pdf.stat().st_size > 1000


BIBER_WARN = re.compile(r"^\[\d+\] .*(WARN|ERROR) - (.*)$", re.M)


def compile_with_biber(bib_text: str, workdir: Path, *biber_args: str) -> tuple[str, list[str]]:
    """(bbl, warnings) of a biblatex document citing every key of ``bib_text``."""
    require_program("pdflatex", TEX_HINT)
    require_program("biber", BIBER_HINT)
    keys = [e.key for e in bibfile.parse_text(bib_text).entries]
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "refs.bib").write_text(bib_text, encoding="utf-8")
    (workdir / "doc.tex").write_text(BIBLATEX_DOC % {"fontenc": T1, "keys": ",".join(keys)}, encoding="utf-8")
    latex = ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc"]
    run(latex, workdir)
    run(["biber", *biber_args, "doc"], workdir)
    run(latex, workdir)
    blg = (workdir / "doc.blg").read_text(encoding="utf-8", errors="replace")
    bbl = (workdir / "doc.bbl").read_text(encoding="utf-8", errors="replace")
    return bbl, [f"{level} - {message}" for level, message in BIBER_WARN.findall(blg)]


def test_export_is_valid_biblatex(page_bibs, tmp_path):
    """eprint/archivePrefix/primaryClass/doi are biblatex fields; biber's data model check is silent."""
    text = export() + "\n" + page_bibs["test-latex/index.bib"]
    bbl, warnings = compile_with_biber(text, tmp_path, "--validate-datamodel")
    assert warnings == [], warnings[:10]
    keys = {e.key for e in bibfile.parse_text(text).entries}
    assert set(re.findall(r"\\entry\{([^}]+)\}", bbl)) == keys
    flat = re.sub(r"\s+", " ", bbl)
    assert r"\field{eprinttype}{arXiv}" in flat and r"\field{eprintclass}{cs.CL}" in flat
    assert r"\verb{eprint} \verb 2106.09685 \endverb" in flat


def test_refs_bib_dates_are_valid_biblatex_dates(tmp_path):
    """refs.bib itself through biber: every `date` parses (no 'Invalid format' warning).

    biblatex reads `date` as the publication date and lets it override `year`; refs.bib's `date`
    is the first public version, which is why exports strip it. Those overrides are the only
    warnings allowed here.
    """
    text = (ROOT / "refs.bib").read_text(encoding="utf-8")
    _, warnings = compile_with_biber(text, tmp_path)
    allowed = "WARN - Overwriting field 'year' with year value from field 'date'"
    unexpected = [w for w in warnings if not w.startswith(allowed)]
    assert unexpected == [], unexpected[:10]


def test_the_bibtex_check_notices_a_warning(tmp_path):
    """The harness is not blind: an @article without journal makes plain.bst warn."""
    text = "@article{doe2020nothing,\n  title = {{Nothing}},\n  author = {Doe, Jane},\n  year = {2020},\n}\n"
    _, blg, _ = compile_with_bibtex(text, tmp_path)
    problems = bibtex_problems(blg)
    assert "(There was 1 warning)" in problems
    assert any("empty journal in doe2020nothing" in p for p in problems)


def test_latex_to_text_fast_path_equals_the_decoder_on_every_field():
    """papers.latex_to_text skips latexcodec for values NEEDS_DECODING does not flag; on every
    field of refs.bib and of the benchmark's synthetic bib the result is the decoder's."""
    import codecs
    import sys

    from llmkb.bib import file as bibfile
    from llmkb.bib import papers

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import bench

    def slow(value: str) -> str:
        return papers._SPACES.sub(" ", papers._BRACES.sub("", codecs.decode(value, "ulatex"))).strip()

    root = Path(__file__).resolve().parent.parent
    values = {v for e in bibfile.read(root / "refs.bib").entries for v in e.fields.values()}
    values |= {v for e in bibfile.parse_text(bench.synth_bib(300), "synth.bib").entries for v in e.fields.values()}
    skipped = [v for v in values if not papers.NEEDS_DECODING.search(v)]
    assert len(skipped) > len(values) / 2  # the fast path is actually taken
    for value in values:
        assert papers.latex_to_text(value) == slow(value), value
