"""`llmkb backfill-added` on a throwaway git repository, and `check --freshness` with a fixed today."""

import datetime
import os
import pathlib
import re
import subprocess
import sys

from llmkb import cli
from llmkb.bib import file as bibfile
from llmkb.bib import format as bib_format
from llmkb.bib.backfill_added import backfill

ENTRY = """@article{{{key},
  title = {{{{{title}}}}},
  author = {{Doe, Jane}},
  journal = {{arXiv preprint arXiv:{eprint}}},
  year = {{{year}}},
  date = {{{year}-01-02}},
  eprint = {{{eprint}}},
  archivePrefix = {{arXiv}},
  url = {{https://arxiv.org/abs/{eprint}}},
  keywords = {{peft}},
  kind = {{方法}},
  shortvenue = {{arXiv}},{extra}
}}
"""


def entry(key, eprint, year, extra=""):
    return ENTRY.format(key=key, title=key.title(), eprint=eprint, year=year, extra=extra)


def git(repo, *args, day):
    env = dict(os.environ, GIT_AUTHOR_DATE=f"{day}T12:00:00", GIT_COMMITTER_DATE=f"{day}T12:00:00",
               GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org")
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def test_backfill_takes_the_day_git_first_saw_each_key(tmp_path):
    bib = tmp_path / "refs.bib"
    git(tmp_path, "init", "-q", day="2025-01-01")
    one = entry("doe2023alpha", "2301.00001", 2023)
    bib.write_text(one, encoding="utf-8")
    git(tmp_path, "add", "refs.bib", day="2025-03-01")
    git(tmp_path, "commit", "-qm", "alpha", day="2025-03-01")
    two = entry("doe2024beta", "2401.00002", 2024)
    bib.write_text(one + "\n" + two, encoding="utf-8")
    git(tmp_path, "commit", "-qam", "beta", day="2025-06-15")
    # a later edit of alpha's fields must not move its added date
    bib.write_text(one.replace("方法", "另一方法") + "\n" + two, encoding="utf-8")
    git(tmp_path, "commit", "-qam", "edit alpha", day="2025-09-09")
    three = entry("doe2024gamma", "2402.00003", 2024, extra="\n  added = {2025-10-10},")
    four = entry("doe2024delta", "2403.00004", 2024)  # not committed: left alone
    bib.write_text(bib.read_text(encoding="utf-8") + "\n" + three + "\n" + four, encoding="utf-8")

    result = backfill(bib)
    assert result.set == {"doe2023alpha": "2025-03-01", "doe2024beta": "2025-06-15"}
    assert result.unknown == ["doe2024delta"]
    after = bibfile.read(bib)
    assert {e.key: e.fields.get("added") for e in after.entries} == {
        "doe2023alpha": "2025-03-01", "doe2024beta": "2025-06-15",
        "doe2024gamma": "2025-10-10", "doe2024delta": None}
    assert bib_format.changes(after, bib.read_text(encoding="utf-8")) == []  # canonical form
    before = bib.read_bytes()
    assert backfill(bib).set == {} and bib.read_bytes() == before  # idempotent: nothing to do


def test_backfill_cli_outside_git_names_the_fix(tmp_path, capsys):
    bib = tmp_path / "refs.bib"
    bib.write_text(entry("doe2023alpha", "2301.00001", 2023), encoding="utf-8")
    env_dir = os.environ.get("GIT_CEILING_DIRECTORIES")
    os.environ["GIT_CEILING_DIRECTORIES"] = str(tmp_path.parent)
    try:
        assert cli.main(["backfill-added", "--bib", str(bib)]) == 1
    finally:
        if env_dir is None:
            del os.environ["GIT_CEILING_DIRECTORIES"]
        else:
            os.environ["GIT_CEILING_DIRECTORIES"] = env_dir
    assert "git log failed" in capsys.readouterr().err


def test_check_freshness_reports_with_an_injected_today(tmp_path, capsys):
    bib = tmp_path / "refs.bib"
    bib.write_text(entry("doe2023alpha", "2301.00001", 2023) + "\n" + entry("doe2026beta", "2601.00002", 2026),
                   encoding="utf-8")
    docs = tmp_path / "docs"
    (docs / "efficiency").mkdir(parents=True)
    (docs / "efficiency" / "peft.md").write_text("---\nreviewed: 2026-12-04\n---\n# P\n", encoding="utf-8")
    args = cli.parser().parse_args(["check", "--bib", str(bib), "--docs", str(docs), "--freshness"])
    assert cli.cmd_check(args, today=datetime.date(2026, 12, 4)) == 0
    out = capsys.readouterr()
    assert f"{docs}/efficiency/peft.md" not in out.out  # newest 2026-01-02, reviewed today
    assert "scaling-laws: no paper with a date; never reviewed" in out.out
    # 13 months later, peft's newest paper is too old, its review not yet
    assert cli.cmd_check(args, today=datetime.date(2027, 2, 3)) == 0
    assert "efficiency/peft.md: peft: newest paper 2026-01-02\n" in capsys.readouterr().out
    args = cli.parser().parse_args(["check", "--bib", str(bib), "--docs", str(docs), "--freshness",
                                    "--months", "24"])
    assert cli.cmd_check(args, today=datetime.date(2027, 2, 3)) == 0
    assert "peft.md" not in capsys.readouterr().out


def test_check_freshness_prints_the_count_after_the_list_when_both_streams_share_a_pipe(tmp_path):
    # The list goes to stdout (block-buffered into a pipe), the count to stderr (unbuffered): unless
    # stdout is flushed first, `2>&1 | less` shows the count before, or inside, the list.
    bib = tmp_path / "refs.bib"
    bib.write_text(entry("doe2023alpha", "2301.00001", 2023), encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    run = subprocess.run([sys.executable, "-m", "llmkb", "check", "--bib", str(bib), "--docs", str(docs),
                          "--freshness"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                         check=True, cwd=pathlib.Path(__file__).resolve().parents[1],
                         env={k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"})
    lines = run.stdout.splitlines()
    assert len(lines) > 2 and all(line.startswith(str(docs)) for line in lines[:-1]), run.stdout
    assert re.fullmatch(r"\d+ of \d+ topic\(s\) with a newest paper or review before .*", lines[-1]), run.stdout
