"""Topic freshness: the ``reviewed:`` front matter, the line under the title, the stale report."""

import datetime as dt
import re

import pytest

from llmkb.bib import file as bibfile
from llmkb.bib.papers import Paper
from llmkb.sphinx_ext import freshness


def test_parse_date_is_strict():
    assert freshness.parse_date("2026-12-04") == dt.date(2026, 12, 4)
    assert freshness.parse_date(dt.date(2026, 12, 4)) == dt.date(2026, 12, 4)
    for bad in ("2026-13-04", "2026-02-30", "2026-1-4", "04.12.2026", "", "2026-12-04x"):
        assert freshness.parse_date(bad) is None, bad


def test_reviewed_problem_names_the_fix():
    assert freshness.reviewed_problem({"reviewed": "2026-12-04"}) is None
    missing = freshness.reviewed_problem({})
    assert "no `reviewed:` date" in missing and "reviewed: YYYY-MM-DD" in missing
    assert "`reviewed: 2026-13-04` is not a valid date" in freshness.reviewed_problem({"reviewed": "2026-13-04"})


def test_front_matter_reads_only_the_leading_block():
    assert freshness.front_matter("---\nreviewed: 2026-12-04\n---\n# T\n") == {"reviewed": "2026-12-04"}
    assert freshness.front_matter("# T\n\n---\nreviewed: 2026-12-04\n---\n") == {}


def test_check_pages_reports_missing_and_malformed(tmp_path):
    (tmp_path / "efficiency").mkdir()
    (tmp_path / "efficiency" / "peft.md").write_text("---\nreviewed: 2026-12-04\n---\n# P\n", encoding="utf-8")
    (tmp_path / "efficiency" / "memory-efficient-training.md").write_text("# M\n", encoding="utf-8")
    problems = freshness.check_pages(tmp_path)
    assert [(p.path.endswith("memory-efficient-training.md"), "no `reviewed:`" in p.message) for p in problems] \
        == [(True, True)]
    (tmp_path / "efficiency" / "peft.md").write_text("---\nreviewed: 2026-2-4\n---\n# P\n", encoding="utf-8")
    assert len(freshness.check_pages(tmp_path)) == 2


def _paper(key, date, topic):
    text = f"@misc{{{key},\n  title = {{T}},\n  date = {{{date}}},\n  keywords = {{{topic}}},\n}}\n"
    return Paper(bibfile.parse_text(text, "x.bib").entries[0])


def test_stale_topics_with_a_fixed_today():
    papers = [_paper("old", "2024-01-10", "peft"), _paper("new", "2026-06-01", "peft"),
              _paper("ke1", "2025-11-30", "knowledge-editing")]
    reviewed = {"efficiency/peft": "2025-12-05", "knowledge/editing": "2025-01-01"}
    stale = {s.topic.id: s for s in freshness.stale_topics(papers, reviewed, dt.date(2026, 12, 4), 12)}
    assert "peft" not in stale  # newest 2026-06-01 and reviewed 2025-12-05: both within 12 months
    assert stale["knowledge-editing"].reasons == ("newest paper 2025-11-30", "reviewed 2025-01-01")
    assert stale["scaling-laws"].reasons == ("no paper with a date", "never reviewed")
    assert "knowledge-editing" not in {s.topic.id for s in freshness.stale_topics(papers, {"knowledge/editing": "2026-12-01"},
                                                                    dt.date(2026, 12, 4), 13)}


def test_months_before_clamps_to_month_end():
    assert freshness.months_before(dt.date(2026, 12, 4), 12) == dt.date(2025, 12, 4)
    assert freshness.months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert freshness.months_before(dt.date(2026, 1, 15), 1) == dt.date(2025, 12, 15)


@pytest.mark.sphinx("html", testroot="freshness")
def test_topic_pages_get_the_line_and_a_missing_date_warns(app, warning):
    app.build()
    warnings = warning.getvalue()
    assert re.search(r"memory-efficient-training\.md:1: WARNING: topic page has no `reviewed:` date — put "
                     r"`reviewed: YYYY-MM-DD`.*\[llmkb\.freshness\]", warnings), warnings
    assert "peft.md" not in warnings
    html = (app.outdir / "efficiency" / "peft.html").read_text(encoding="utf-8")
    # newest peft paper of the root's refs.bib is evil2024script (date 2024-01-01); the line follows the h1
    assert re.search(r'<h1>参数高效训练.*?</h1>\s*<p class="llmkb-freshness">最新收录论文：2024-01-01 · '
                     r'本页审校：2026-12-04</p>', html, re.S), html
    other = (app.outdir / "efficiency" / "memory-efficient-training.html").read_text(encoding="utf-8")
    assert '<p class="llmkb-freshness">最新收录论文：2023-05-23</p>' in other
    assert "llmkb-freshness" not in (app.outdir / "index.html").read_text(encoding="utf-8")


@pytest.mark.sphinx("html", testroot="freshness")
def test_recent_page_groups_by_month_and_the_feed_parses(app, warning):
    import xml.etree.ElementTree as ET

    app.build()
    assert "recent.md" not in warning.getvalue()
    html = (app.outdir / "recent.html").read_text(encoding="utf-8")
    months = re.findall(r'<section id="added-(\d{4}-\d{2})"', html)
    assert months == ["2026-11", "2026-10"]
    rows = re.findall(r"<li><p>(\d{4}-\d{2}-\d{2}) · <em>([^<]*)</em>", html)
    assert [r[0] for r in rows] == ["2026-11-25", "2026-11-20", "2026-10-03"]
    assert rows[2][1].startswith("&lt;script&gt;")  # escaped, never markup
    assert 'href="efficiency/peft.html"' in html and "houlsby" not in html.lower()  # no added: not listed

    ns = {"a": "http://www.w3.org/2005/Atom"}
    root = ET.parse(app.outdir / "feed.xml").getroot()
    assert root.find("a:updated", ns).text == "2026-11-25T00:00:00+00:00"  # newest added, not the clock
    entries = root.findall("a:entry", ns)
    assert [e.find("a:id", ns).text for e in entries] == [
        "https://example.org/book/efficiency/peft.html#dettmers2023qlora",
        "https://example.org/book/efficiency/peft.html#hu2021lora",
        "https://example.org/book/efficiency/peft.html#evil2024script"]
    assert [e.find("a:updated", ns).text[:10] for e in entries] == ["2026-11-25", "2026-11-20", "2026-10-03"]
    assert all(e.find("a:link", ns).get("href").startswith("https://example.org/book/") for e in entries)
    evil = entries[2].find("a:title", ns).text
    assert evil.startswith('<script>alert("x")</script>') and "& more" in evil  # round-trips as text
    raw = (app.outdir / "feed.xml").read_text(encoding="utf-8")
    assert "<script>" not in raw and "&amp; more" in raw
    for page in ("index.html", "recent.html", "efficiency/peft.html"):
        head = (app.outdir / page).read_text(encoding="utf-8").split("</head>")[0]
        assert re.search(r'<link rel="alternate" type="application/atom\+xml" title="[^"]+" '
                         r'href="(\.\./)?feed\.xml" />', head), page
