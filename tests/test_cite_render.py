"""GB/T 7714-2015 and APA references (llmkb/cite/render.py) against the standard's own examples
and against a second CSL processor: pandoc's citeproc renders the CSL-JSON export with the same
styles, without a warning, and gives the dialog's strings up to the fixes render.py documents.
All offline; pandoc is a Debian package (skipped locally with an install hint, required in CI)."""

import html
import json
import re
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, require_program

from llmkb.bib import papers
from llmkb.cite import csl, dialog, kinds, render

PANDOC_HINT = "apt-get install pandoc"

# GB/T 7714-2015's own examples (as the standard prints them, numbers left off), with the
# CSL-JSON a reference manager would hold for each: journal articles in English and Chinese
# (et al. / 等 after three authors), a report by an organisation, an electronic bulletin, a book.
STANDARD_EXAMPLES = [
    ({"id": "kanamori", "type": "article-journal", "language": "en", "title": "Shaking without quaking",
      "author": [{"family": "Kanamori", "given": "H."}], "container-title": "Science",
      "issued": {"date-parts": [[1998]]}, "volume": "279", "issue": "5359", "page": "2063"},
     "KANAMORI H. Shaking without quaking[J]. Science, 1998, 279(5359): 2063."),
    ({"id": "yuan", "type": "article-journal", "language": "zh",
      "title": "蓝田生物群: 一个认识多细胞生物起源和早期演化的新窗口",
      "author": [{"family": "袁", "given": "训来"}, {"family": "陈", "given": "哲"}, {"family": "肖", "given": "书海"},
                 {"family": "万", "given": "斌"}],
      "container-title": "科学通报", "issued": {"date-parts": [[2012]]}, "volume": "55", "issue": "34", "page": "3219"},
     "袁训来, 陈哲, 肖书海, 等. 蓝田生物群: 一个认识多细胞生物起源和早期演化的新窗口[J]. 科学通报, 2012, 55(34): 3219."),
    ({"id": "who", "type": "report", "language": "en",
      "title": "Factors regulating the immune response: report of WHO Scientific Group",
      "author": [{"literal": "World Health Organization"}], "publisher": "WHO", "publisher-place": "Geneva",
      "issued": {"date-parts": [[1970]]}},
     "World Health Organization. Factors regulating the immune response: report of WHO Scientific Group[R]. "
     "Geneva: WHO, 1970."),
    ({"id": "xiao", "type": "webpage", "language": "zh", "title": "出版业信息化迈入快车道",
      "author": [{"family": "萧", "given": "钰"}], "issued": {"date-parts": [[2001, 12, 19]]},
      "accessed": {"date-parts": [[2002, 4, 15]]}, "URL": "http://www.creader.com/news/20011219/200112190019.html"},
     "萧钰. 出版业信息化迈入快车道[EB/OL]. (2001-12-19)[2002-04-15]. "
     "http://www.creader.com/news/20011219/200112190019.html."),
    ({"id": "chen", "type": "book", "language": "zh", "title": "国史旧闻: 第1卷", "author": [{"family": "陈", "given": "登原"}],
      "publisher": "中华书局", "publisher-place": "北京", "issued": {"date-parts": [[2000]]}},
     "陈登原. 国史旧闻: 第1卷[M]. 北京: 中华书局, 2000."),
]


@pytest.mark.parametrize("item,expected", STANDARD_EXAMPLES, ids=[i["id"] for i, _ in STANDARD_EXAMPLES])
def test_gbt7714_matches_the_standards_own_examples(item, expected):
    assert render.format_item(item, "gbt7714") == expected


def test_each_gbt_fix_is_needed_and_does_only_its_job():
    """Without its fix, citeproc-py's text differs from the standard exactly where the fix says."""
    raw = {i["id"]: render._NUMBER.sub("", render._citeproc(i, "gbt7714")) for i, _ in STANDARD_EXAMPLES}
    assert raw["who"].startswith("WORLD HEALTH ORGANIZATION. ")  # the organisation upper-cased
    assert raw["yuan"].startswith("袁 训来, 陈 哲, 肖 书海, 等. ")  # a space inside Chinese names
    assert raw["kanamori"] == STANDARD_EXAMPLES[0][1]  # nothing to fix
    lora = {"id": "x", "type": "paper-conference", "language": "en", "title": "T", "container-title": "C",
            "issued": {"date-parts": [[2022]]},
            "author": [{"family": f, "given": "A"} for f in ("Hu", "Shen", "Wallis", "Chen")]}
    assert ", 等. T[C]" in render._citeproc(lora, "gbt7714")
    assert render.format_item(lora, "gbt7714") == "HU A, SHEN A, WALLIS A, et al. T[C]//C. 2022."
    assert render.format_item(dict(lora, language="zh"), "gbt7714") == "HU A, SHEN A, WALLIS A, 等. T[C]//C. 2022."


# --- pandoc's citeproc on the CSL-JSON export -------------------------------------------------------------

def _sample(all_papers) -> list[papers.Paper]:
    """Three papers of each kind, plus the cases a fix is for: an organisation as author
    (deepseekai2024deepseekv3), author lists cut by ``and others``, a report with a note."""
    by_kind: dict[str, list] = {}
    for p in sorted(all_papers, key=lambda p: p.key):
        by_kind.setdefault(kinds.kind(p), []).append(p)
    chosen = [p for group in by_kind.values() for p in group[:3]]
    wanted = {"deepseekai2024deepseekv3", "srivastava2022beyond", "dubey2024llama", "templeton2024scaling",
              "anil2023palm", "hu2021lora", "raffel2019exploring"}
    chosen += [p for p in all_papers if p.key in wanted and p not in chosen]
    return chosen


def _pandoc(csl_json: Path, style: Path) -> dict[str, str]:
    """key -> the reference as pandoc renders it (HTML, read back to text); stderr must be empty."""
    require_program("pandoc", PANDOC_HINT)
    proc = subprocess.run(["pandoc", "--citeproc", f"--bibliography={csl_json}", f"--csl={style}", "-t", "html",
                           "--wrap=none"], input="---\nnocite: '@*'\n---\n", capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    out = {}
    for key, body in re.findall(r'<div id="ref-([^"]+)" class="csl-entry"[^>]*>(.*?)</div>\s*(?=<div id="ref-|</div>)',
                                proc.stdout, re.S):
        body = re.sub(r'<div class="csl-left-margin">.*?</div>', "", body, flags=re.S)
        out[key] = html.unescape(re.sub(r"<[^>]+>", "", body)).strip()
    return out


@pytest.fixture(scope="module")
def pandoc_run(tmp_path_factory):
    all_papers = papers.load(ROOT / "refs.bib")[0]
    chosen = _sample(all_papers)
    path = tmp_path_factory.mktemp("pandoc") / "sample.json"
    path.write_text(csl.export_csl_json(chosen), encoding="utf-8")  # the export, as a reader downloads it
    return chosen, {style: _pandoc(path, render.style_path(style)) for style in render.STYLES}


@pytest.mark.parametrize("style", render.STYLES)
def test_pandoc_renders_the_export_as_the_dialog_shows_it(pandoc_run, style):
    chosen, rendered = pandoc_run
    assert set(rendered[style]) == {p.key for p in chosen}
    fixed_by_us = []
    for p in chosen:
        item = csl.item(p)
        shown = dialog.references(p)[style]
        theirs = rendered[style][p.key]
        assert render.FIXES[style](theirs, item) == shown, (p.key, theirs, shown)
        if theirs != shown:
            fixed_by_us.append(p.key)
    # pandoc needs the book's fixes only where they are documented: GB/T, an organisation that
    # the style upper-cases, and "et al." for "等" after three authors of an English work; APA,
    # the lists cut by "and others"
    items = {p.key: csl.item(p) for p in chosen}
    if style == "gbt7714":
        expected = {k for k, i in items.items()
                    if len(i.get("author", [])) > 3 or any("literal" in a for a in i.get("author", []))}
        assert "deepseekai2024deepseekv3" in expected
    else:
        expected = {k for k, i in items.items() if csl.TRUNCATED_NOTE in i.get("note", "")}
        assert expected == {"srivastava2022beyond", "dubey2024llama"}
    assert set(fixed_by_us) == expected


def test_the_sample_covers_every_kind(pandoc_run):
    chosen, rendered = pandoc_run
    marks = {kinds.kind(p): re.search(r"\[[A-Z]+(?:/OL)?\]", rendered["gbt7714"][p.key]).group() for p in chosen}
    assert marks == {kinds.CONFERENCE: "[C]", kinds.JOURNAL: "[J]", kinds.PREPRINT: "[EB/OL]", kinds.REPORT: "[R/OL]"}


def test_the_comparison_fails_on_a_wrong_dialog(pandoc_run):
    """The check can fail: an APA text without its fix, or a GB/T text with the official style's
    [A] for a preprint, no longer equals pandoc's rendering."""
    chosen, rendered = pandoc_run
    dubey = next(p for p in chosen if p.key == "dubey2024llama")
    item = csl.item(dubey)
    assert render.FIXES["apa"](rendered["apa"]["dubey2024llama"], item) != render._citeproc(item, "apa")
    shown = dialog.references(dubey)["gbt7714"]
    assert render.FIXES["gbt7714"](rendered["gbt7714"]["dubey2024llama"], item) != shown.replace("[EB/OL]", "[A/OL]")


# --- the four kinds, as a reader copies them ---------------------------------------------------------------

EXPECTED = {
    "hu2021lora": (
        "HU E J, SHEN Y, WALLIS P, et al. LoRA: Low-Rank Adaptation of Large Language Models[C]//International "
        "Conference on Learning Representations (ICLR 2022). 2022.",
        "Hu, E. J., Shen, Y., Wallis, P., Allen-Zhu, Z., Li, Y., Wang, S., Wang, L., & Chen, W. (2022). LoRA: Low-Rank "
        "Adaptation of Large Language Models. International Conference on Learning Representations (ICLR 2022). "
        "https://arxiv.org/abs/2106.09685"),
    "raffel2019exploring": (
        "RAFFEL C, SHAZEER N, ROBERTS A, et al. Exploring the Limits of Transfer Learning with a Unified Text-to-Text "
        "Transformer[J]. Journal of Machine Learning Research, 2020, 21(140): 1-67.",
        None),
    "deepseekai2024deepseekv3": (
        "DeepSeek-AI. DeepSeek-V3 Technical Report[EB/OL]. (2024-12-27). https://arxiv.org/abs/2412.19437.",
        "DeepSeek-AI. (2024). DeepSeek-V3 Technical Report (arXiv:2412.19437). arXiv. https://arxiv.org/abs/2412.19437"),
    "templeton2024scaling": (
        "TEMPLETON A, CONERLY T, MARCUS J, et al. Scaling Monosemanticity: Extracting Interpretable Features from "
        "Claude 3 Sonnet[R/OL]. Anthropic, 2024. https://transformer-circuits.pub/2024/scaling-monosemanticity/.",
        None),
    "dubey2024llama": (
        "DUBEY A, JAUHRI A, PANDEY A, et al. The Llama 3 Herd of Models[EB/OL]. (2024-07-31). "
        "https://arxiv.org/abs/2407.21783.",
        "Dubey, A., Jauhri, A., Pandey, A., Kadian, A., Al-Dahle, A., Letman, A., Mathur, A., et al. (2024). The Llama 3 "
        "Herd of Models (arXiv:2407.21783). arXiv. https://arxiv.org/abs/2407.21783"),
}


@pytest.mark.parametrize("key", EXPECTED)
def test_one_paper_of_each_kind_reads_as_expected(key):
    by_key = {p.key: p for p in papers.load(ROOT / "refs.bib")[0]}
    refs = dialog.references(by_key[key])
    gbt, apa = EXPECTED[key]
    assert refs["gbt7714"] == gbt
    if apa:
        assert refs["apa"] == apa


def test_the_cache_returns_what_the_processor_gives_and_notices_a_change(tmp_path):
    item = STANDARD_EXAMPLES[0][0]
    cache = render.Cache(tmp_path / "cite.json")
    assert cache.get(item, "gbt7714") == STANDARD_EXAMPLES[0][1]
    cache.save()
    again = render.Cache(tmp_path / "cite.json")
    assert len(again.data) == 1 and again.get(item, "gbt7714") == STANDARD_EXAMPLES[0][1] and not again.dirty
    changed = dict(item, volume="280")
    assert "280(5359)" in again.get(changed, "gbt7714") and again.dirty
    (tmp_path / "cite.json").write_text("{not json", encoding="utf-8")  # a broken cache is only a cache
    assert render.Cache(tmp_path / "cite.json").data == {}


def test_an_unknown_style_is_named():
    with pytest.raises(ValueError, match="unknown style 'mla'; use one of: gbt7714, apa"):
        render.style_path("mla")


def test_the_vendored_style_is_the_official_one_plus_the_marked_changes():
    """Every llmkb change is commented; the rest is the official file (title, id, licence kept)."""
    text = render.GBT_STYLE.read_text(encoding="utf-8")
    assert 'rel="template"' in text and "creativecommons.org/licenses/by-sa/3.0" in text
    assert text.count("llmkb:") >= 6
    assert (render.GBT_STYLE.parent / "LICENSE").is_file()
    json.dumps(text)  # plain text, no stray bytes


def test_pandoc_keeps_a_script_title_as_text(tmp_path):
    """test-basic's hostile entry through the CSL-JSON export and pandoc: escaped in HTML, never a tag."""
    evil = next(p for p in papers.load(ROOT / "tests/roots/test-basic/refs.bib")[0] if p.key == "evil2024script")
    path = tmp_path / "evil.json"
    path.write_text(csl.export_csl_json([evil]), encoding="utf-8")
    require_program("pandoc", PANDOC_HINT)
    proc = subprocess.run(["pandoc", "--citeproc", f"--bibliography={path}", f"--csl={render.GBT_STYLE}", "-t", "html"],
                          input="---\nnocite: '@*'\n---\n", capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    assert "&lt;script&gt;alert(" in proc.stdout and "<script" not in proc.stdout and "<b>" not in proc.stdout
