"""The fast writer of GB/T 7714 and APA references (llmkb/cite/fast_csl.py) against citeproc-py."""

import sys

import pytest
from conftest import ROOT

from llmkb.bib import file as bibfile
from llmkb.bib import papers
from llmkb.cite import csl, fast_csl, render

sys.path.insert(0, str(ROOT / "benchmarks"))
import bench  # noqa: E402


def _by_citeproc(item: dict, style: str) -> str:
    return render.FIXES[style](render._citeproc(item, style), item)


def _by_fast_path(item: dict, style: str) -> str:
    return render.FIXES[style](fast_csl.format_raw(item, style), item)


def _compare(items) -> tuple[int, list[str]]:
    """(how many took the fast path, the items where it differs from citeproc-py)."""
    fast, differ = 0, []
    for item in items:
        if fast_csl.shape_problem(item) is not None:
            continue
        fast += 1
        for style in render.STYLES:
            if _by_fast_path(item, style) != _by_citeproc(item, style):
                differ.append(f"{item['id']} ({style}): {_by_fast_path(item, style)!r} != {_by_citeproc(item, style)!r}")
    return fast, differ


def test_fast_path_writes_what_citeproc_writes_for_refs_bib():
    """Every refs.bib entry, and each again as benchmarks' grown books copy it ("Copy 1 of ...")."""
    real, _ = papers.load(ROOT / "refs.bib")
    items = [csl.item(p) for p in real]
    items += [dict(i, id=i["id"] + "c1", title="Copy 1 of " + i["title"]) for i in items]
    fast, differ = _compare(items)
    assert differ == []
    # organisations, initials, hyphenated names, all four kinds: nearly all take the fast path
    assert fast >= 0.9 * len(items), [fast_csl.shape_problem(i) for i in items]


def test_fast_path_writes_what_citeproc_writes_for_the_synthetic_bib():
    synth = [papers.Paper(e) for e in bibfile.parse_text(bench.synth_bib(1000), "synth.bib").entries]
    fast, differ = _compare([csl.item(p) for p in synth])
    assert differ == []
    assert fast == 1000  # every synthetic entry has an ordinary shape


def _person(family, given):
    return {"family": family, "given": given}


BASE = {"id": "x", "type": "paper-conference", "language": "en", "title": "A Title", "container-title": "Conf",
        "issued": {"date-parts": [[2020]]}, "URL": "https://example.org/x"}
A = [_person(f"F{c}", "Ann") for c in "abcdefghijklmnopqrstuvwxyz"]
PREPRINT = {"type": "article", "publisher": "arXiv", "number": "arXiv:2001.00001", "container-title": None,
            "issued": {"date-parts": [[2020, 1, 2]]}, "URL": "https://arxiv.org/abs/2001.00001"}
JOURNAL = {"type": "article-journal", "container-title": "Journal of Things"}

# (name, changes to BASE, whether the fast path takes it); None removes a variable
CRAFTED = [
    ("one author", {"author": A[:1]}, True),
    ("two authors", {"author": A[:2]}, True),
    ("three authors", {"author": A[:3]}, True),
    ("four authors: et al. in GB/T", {"author": A[:4]}, True),
    ("20 authors: APA lists all", {"author": A[:20]}, True),
    ("21 authors: APA's ellipsis", {"author": A[:21]}, True),
    ("26 authors", {"author": A}, True),
    ("and others", {"author": A[:7], "note": csl.TRUNCATED_NOTE}, True),
    ("and others, more than 20", {"author": A[:22], "note": csl.TRUNCATED_NOTE}, True),
    ("hyphenated given name", {"author": [_person("Wen", "Ji-Rong"), _person("Li", "Ke-Wei Ji")]}, True),
    ("initials with periods", {"author": [_person("Dai", "Andrew M."), _person("So", "A.M.")]}, True),
    ("accented names", {"author": [_person("Díaz", "Ádám"), _person("Ávila", "Émile")]}, True),
    ("apostrophes", {"author": [_person("O'Neil", "Ann")], "title": "Don't Stop"}, True),
    ("family of two words", {"author": [_person("El Shafey", "Laurent"), _person("Meier-Hellstern", "Kathy")]}, True),
    ("particle van der", {"author": [_person("van der Berg", "Ann")]}, True),
    ("particle in the given name", {"author": [_person("Casas", "Diego de las")]}, True),
    ("lower-case hyphen part", {"author": [_person("Yih", "Wen-tau")]}, True),
    ("given name with an apostrophe", {"author": [_person("Lev", "Ro'i")]}, True),
    ("organisation", {"author": [{"literal": "DeepSeek-AI"}]}, True),
    ("organisation among persons", {"author": [_person("Smith", "Ann"), {"literal": "Kimi Team"}]}, True),
    ("organisation fourth", {"author": A[:3] + [{"literal": "Org"}]}, True),
    ("title ending in ?", {"title": "Does It Work?"}, True),
    ("title ending in !", {"title": "It Works!"}, True),
    ("title ending in )", {"title": "A Model (Extended)"}, True),
    ("quotes in the title", {"title": 'On "Quoted" Words'}, True),
    ("pages and DOI", {"page": "4035-4045", "DOI": "10.18653/v1/D18-1437"}, True),
    ("a single page", {"page": "127063"}, True),
    ("no URL", {"URL": None}, True),
    ("ordinal in the container", {"container-title": "Proceedings of the 37th ICML (Volume 1: Long Papers)"}, True),
    ("journal, volume, issue, pages", dict(JOURNAL, volume="630", issue="8017", page="625-630"), True),
    ("journal, volume only", dict(JOURNAL, volume="4"), True),
    ("journal, pages only", dict(JOURNAL, page="5-9"), True),
    ("preprint, full date", PREPRINT, True),
    ("preprint, year only", dict(PREPRINT, issued={"date-parts": [[2020]]}), True),
    ("preprint with a note", dict(PREPRINT, note="Some note", title="Why?"), True),
    ("report", {"type": "report", "container-title": None, "publisher": "Google", "note": "N"}, True),
    # to citeproc-py
    ("CJK names", {"author": [_person("袁", "训来"), _person("陈", "哲")]}, False),
    ("CJK title", {"title": "蓝田生物群", "language": "zh"}, False),
    ("particle de las, capital D", {"author": [_person("de las Casas", "Diego"), _person("Dupré la Tour", "Tom")]}, True),
    ("lower-case given name", {"author": [_person("Smith", "jean-pierre van")]}, True),
    ("initials with hyphens", {"author": [_person("Smith", "J.-P."), _person("Wu", "Y. -K.")]}, True),
    ("digits in a name", {"author": [_person("Smith2", "Ann")]}, False),
    ("a comma in the given name", {"author": [_person("Smith", "Ann, Jr")]}, False),
    ("double space in the given name", {"author": [_person("Smith", "Ann  Lee")]}, False),
    ("suffix", {"author": [dict(_person("King", "Martin"), suffix="Jr.")]}, False),
    ("family name only", {"author": [{"family": "Plato"}]}, False),
    ("organisation ending in a period", {"author": [{"literal": "Acme Inc."}]}, False),
    ("CJK organisation", {"author": [{"literal": "北京大学"}]}, False),
    ("no authors", {"author": None}, False),
    ("title ending in a period", {"title": "Done."}, False),
    ("markup in the title", {"title": "<i>Italic</i>"}, False),
    ("lower-case container (APA title-cases it)", {"container-title": "journal of things"}, False),
    ("no date", {"issued": None}, False),
    ("literal date", {"issued": {"literal": "n.d."}}, False),
    ("full date on a conference paper", {"issued": {"date-parts": [[2020, 1, 2]]}}, False),
    ("page range with letters", {"page": "e12-e20"}, False),
    ("DOI as a link", {"DOI": "https://doi.org/10.1/x"}, False),
    ("an issue without a volume", dict(JOURNAL, issue="3"), False),
    ("a preprint elsewhere", dict(PREPRINT, publisher="SSRN", number="SSRN:123"), False),
    ("a report with a number", {"type": "report", "container-title": None, "publisher": "G", "number": "TR-1"}, False),
    ("a book", {"type": "book", "container-title": None, "publisher": "P"}, False),
    ("language zh", {"language": "zh"}, False),
]


def _crafted(changes: dict) -> dict:
    item = dict(BASE, author=A[:2])
    item.update(changes)
    return {k: v for k, v in item.items() if v is not None}


@pytest.mark.parametrize("changes,fast", [c[1:] for c in CRAFTED], ids=[c[0] for c in CRAFTED])
def test_crafted_items(changes, fast):
    item = _crafted(changes)
    problem = fast_csl.shape_problem(item)
    assert (problem is None) == fast, problem
    for style in render.STYLES:
        shown = render.format_item(item, style)
        assert shown == _by_citeproc(item, style)
        if fast:
            assert shown == _by_fast_path(item, style)


def test_format_item_takes_the_fast_path_only_where_the_shape_check_allows(monkeypatch):
    calls = []
    monkeypatch.setattr(render, "_citeproc", lambda item, style: calls.append(item["id"]) or "[1] X.")
    render.format_item(_crafted({"id": "ordinary"}), "apa")
    render.format_item(_crafted({"id": "suffix", "author": [dict(_person("King", "Martin"), suffix="Jr.")]}), "apa")
    assert calls == ["suffix"]
