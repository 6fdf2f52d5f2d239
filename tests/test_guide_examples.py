"""The contributor guide's and the README's refs.bib examples pass the checks they describe.

A contributor copies them (docs/appendix/contributing.md: 手写条目, 一句话总结与论文关系;
README.md: Adding a paper), so each must be what `llmkb check` accepts: the hand-written entry
parses and has no problem, the two pages show the same entry, and the example summary has the
length the guide asks for (40-80 Han characters).
"""

from __future__ import annotations

import re
from pathlib import Path

from llmkb.bib import check as bib_check
from llmkb.bib import file as bibfile
from llmkb.bib import notes

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs/appendix/contributing.md"
README = ROOT / "README.md"


def example_entry(path: Path) -> str:
    found = re.findall(r"```bibtex\n(@\w+\{.*?\n\})\n```", path.read_text(encoding="utf-8"), re.S)
    assert len(found) == 1, f"{path.name}: expected one full refs.bib entry in a bibtex block, found {len(found)}"
    return found[0]


def test_the_hand_written_entry_passes_the_check():
    text = example_entry(GUIDE)
    bib = bibfile.parse_text(text, "example.bib")
    assert not bib.problems and len(bib.entries) == 1
    assert bib_check.check_bib(bib, "example.bib", require_summary=True) == []


def test_the_readme_shows_the_guides_entry():
    assert example_entry(README) == example_entry(GUIDE)


def test_the_example_summaries_have_the_asked_length():
    guide = GUIDE.read_text(encoding="utf-8")
    summaries = re.findall(r"^\s*summary = \{(.*)\},$", guide, re.M)
    assert len(summaries) == 2  # the hand-written entry's and the notes section's
    for summary in summaries:
        assert notes.SUMMARY_MIN <= notes.han_count(summary) <= notes.SUMMARY_MAX, summary
