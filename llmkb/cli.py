"""Command line: ``python -m llmkb check | export | fmt | add | backfill-added``."""

from __future__ import annotations

import argparse
import datetime
import os
import sys
from pathlib import Path

from .bib import arxiv, notes
from .bib import check as bib_check
from .bib import file as bibfile
from .bib import format as bib_format
from .bib.export_bibtex import export_bibtex, select
from .bib.papers import Paper
from .bib.topics import TOPICS, TOPICS_BY_ID
from .sphinx_ext import freshness, page_source


def _load(path: Path) -> tuple[bibfile.BibFile, list[Paper]] | None:
    if not path.is_file():
        print(f"{path}: no such file — run from the repository root or pass --bib PATH", file=sys.stderr)
        return None
    bib = bibfile.read(path)
    return bib, [Paper(e) for e in bib.entries]


def _print_limited(problems: list, stream) -> None:
    """Print the first MAX_LISTED problems, then how many more there are: a file of two million
    broken lines gets a readable report, and the count, in linear time."""
    for p in problems[:bib_check.MAX_LISTED]:
        print(p, file=stream)
    if len(problems) > bib_check.MAX_LISTED:
        print(f"… and {len(problems) - bib_check.MAX_LISTED:,} more problem(s) like these", file=sys.stderr)


def cmd_check(args: argparse.Namespace, today: datetime.date | None = None) -> int:
    loaded = _load(args.bib)
    if loaded is None:
        return 2
    bib, papers = loaded
    if args.freshness:
        return _report_freshness(args, papers, today or datetime.date.today())
    name = str(args.bib)
    problems = bib_check.check_bib(bib, name, require_summary=notes.summary_required(args.bib))
    if args.docs and args.docs.is_dir():
        try:
            # unreadable refs.bib: the selections would be judged against a partial list
            problems += page_source.check_pages(args.docs, None if bib.problems else papers)
            problems += page_source.check_entry_terms(bib.entries, name, args.docs)
        except ImportError:  # Sphinx is not installed: the build will check the pages
            print(f"{args.docs}: pages not checked (Sphinx is not installed: pip install -e '.[docs]')",
                  file=sys.stderr)
        problems += [bib_check.Problem(p.path, 1, freshness.FIELD, p.message, freshness.FIX)
                     for p in freshness.check_pages(args.docs)]
        if not bib.problems:
            problems += bib_check.check_shown(bib, page_source.shown_keys(args.docs, papers), name)
    _print_limited(sorted(problems), sys.stdout)
    if problems:
        unread = f", {len(bib.problems)} unreadable (reported above)" if bib.problems else ""
        print(f"{name}: {len(problems)} problem(s); {len(bib.entries)} entries read{unread}", file=sys.stderr)
        return 1
    print(f"{name}: {len(bib.entries)} entries, no problems")
    return 0


def _report_freshness(args: argparse.Namespace, papers: list[Paper], today: datetime.date) -> int:
    """A report for maintainers (exit 0): the build never looks at the clock."""
    reviewed = {page: meta.get(freshness.FIELD, "") for page, meta in freshness.topic_front_matter(args.docs).items()}
    stale = freshness.stale_topics(papers, reviewed, today, args.months)
    cutoff = freshness.months_before(today, args.months)
    for s in stale:
        print(f"{args.docs / s.topic.page}.md: {s.topic.id}: {'; '.join(s.reasons)}")
    # the list goes to stdout and the count to stderr; flushed in that order, so that `2>&1`
    # into a pipe does not print the count inside the list
    sys.stdout.flush()
    print(f"{len(stale)} of {len(TOPICS)} topic(s) with a newest paper or review before {cutoff} "
          f"({args.months} months before {today})", file=sys.stderr)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    loaded = _load(args.bib)
    if loaded is None:
        return 2
    bib, papers = loaded
    if bib.problems:
        for p in bib_check.check_bib(bib, str(args.bib)):
            print(p, file=sys.stderr)
        return 1
    unknown_topics = [t for t in args.topic if t not in TOPICS_BY_ID]
    known_keys = {p.key for p in papers}
    unknown_keys = [k for k in args.key if k not in known_keys]
    if unknown_topics or unknown_keys:
        for t in unknown_topics:
            print(f"unknown topic {t!r}; known: {', '.join(sorted(TOPICS_BY_ID))}", file=sys.stderr)
        for k in unknown_keys:
            print(f"unknown key {k!r} (not in {args.bib})", file=sys.stderr)
        return 2
    chosen = select(papers, args.topic, args.key, args.year)
    if not chosen:
        print("no entry matches these filters", file=sys.stderr)
        return 1
    # what goes into a citer's LaTeX: never TeX outside the documented set (\input, \end{document})
    unsafe = [p for paper in chosen for p in bib_check.content_problems(paper.entry, str(args.bib))]
    if unsafe:
        for p in unsafe:
            print(p, file=sys.stderr)
        print(f"{args.bib}: not exported — {len(unsafe)} unsafe value(s) above (python -m llmkb check)", file=sys.stderr)
        return 1
    sys.stdout.write(EXPORTERS[args.format](chosen))
    return 0


def _export_formatted(style: str):
    def export(papers: list[Paper]) -> str:
        from .cite import csl, render

        items = csl.items(papers)
        return "".join(f"[{i}] {render.format_item(item, style)}\n" for i, item in enumerate(items, 1))
    return export


def _export_csl(papers: list[Paper]) -> str:
    from .cite.csl import export_csl_json

    return export_csl_json(papers)


def _export_ris(papers: list[Paper]) -> str:
    from .cite.ris import export_ris

    return export_ris(papers)


#: --format -> the papers as that text (csl-json is what citeproc processors and Zotero read)
EXPORTERS = {"bibtex": export_bibtex, "ris": _export_ris, "csl-json": _export_csl,
             "gbt7714": _export_formatted("gbt7714"), "apa": _export_formatted("apa")}


def cmd_fmt(args: argparse.Namespace) -> int:
    path: Path = args.bib
    if not path.is_file():
        print(f"{path}: no such file — run from the repository root or pass --bib PATH", file=sys.stderr)
        return 2
    bib = bibfile.read(path)
    if bib.problems:
        _print_limited(bib_check.syntax_problems(bib, str(path)), sys.stderr)
        print(f"{path}: not formatted — fix the syntax problems above first (fmt never drops an entry)",
              file=sys.stderr)
        return 1
    text = path.read_bytes().decode("utf-8-sig")
    todo = bib_format.changes(bib, text)
    if args.check:
        for change in todo:
            print(bib_check.printable(change.describe(str(path))))  # the key comes from the file
        if todo:
            print(f"{path}: {len(todo)} entr{'y' if len(todo) == 1 else 'ies'} not in canonical form", file=sys.stderr)
            return 1
        print(f"{path}: {len(bib.entries)} entries, canonical form")
        return 0
    if todo:
        try:
            new_text = bib_format.format_bib(bib)
            bibfile.write_atomic(path, new_text.encode("utf-8"))
        except (ValueError, bibfile.WriteError) as err:
            print(err, file=sys.stderr)
            return 1
        print(f"{path}: rewrote {len(todo)} entr{'y' if len(todo) == 1 else 'ies'} in canonical form")
    else:
        print(f"{path}: already in canonical form")
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    try:
        entry_text = arxiv.add(args.arxiv_id, args.bib, topic=args.topic, tags=args.tag, kind=args.kind,
                               venue=args.venue, booktitle=args.booktitle, journal=args.journal,
                               year=args.year, code=args.code)
    except (arxiv.AddError, bibfile.WriteError) as err:
        print(bib_check.printable(str(err)), file=sys.stderr)  # it may quote arXiv's text
        for detail in getattr(err, "details", ()):  # each problem on its own line
            print("  " + bib_check.printable(detail), file=sys.stderr)
        return 1
    sys.stdout.write(entry_text)
    # add fills what arXiv knows; the book note is the contributor's, and `make check` requires it
    print(f"added to {args.bib}; now write its summary (the book's note on the paper, "
          f"{notes.SUMMARY_MIN}–{notes.SUMMARY_MAX} Han characters) — until then `make check` reports it "
          "missing — and run `make check` to see it on its topic page", file=sys.stderr)
    return 0


def cmd_backfill_added(args: argparse.Namespace) -> int:
    from .bib import backfill_added

    try:
        result = backfill_added.backfill(args.bib)
    except (backfill_added.BackfillError, bibfile.WriteError, ValueError) as err:
        print(err, file=sys.stderr)
        return 1
    for key in result.unknown:
        print(f"{args.bib}: {key}: not in any commit yet — commit it, then run backfill-added again",
              file=sys.stderr)
    print(f"{args.bib}: set added on {len(result.set)} entr{'y' if len(result.set) == 1 else 'ies'}")
    return 0


ADD_EPILOG = """\
venue: without --venue the entry is an arXiv preprint:
  @article, journal = {arXiv preprint arXiv:ID}, shortvenue = {arXiv}, year = first-version year.
With --venue "ICLR 2024" the entry is the published version:
  shortvenue = {ICLR 2024}, year = the venue's year (2024), and the full venue name is
  --booktitle "International Conference on Learning Representations (ICLR 2024)"  -> @inproceedings
  --journal "Transactions on Machine Learning Research"                          -> @article
  or, when neither is given, copied from an entry of refs.bib with the same shortvenue.
Example:
  python -m llmkb add 2106.09685 --topic peft --tag method --kind 低秩适配 \\
      --venue "ICLR 2022" --code https://github.com/microsoft/LoRA
Tests and offline use: set LLMKB_ARXIV_RESPONSE=FILE to read a saved arXiv API response instead
of the network.
"""


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m llmkb", description="Tools for the llmkb refs.bib")
    sub = ap.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate refs.bib (schema, duplicates, entries no page shows) and "
                                          "the pages' paper-table options")
    check.add_argument("--bib", type=Path, default=Path("refs.bib"))
    check.add_argument("--docs", type=Path, default=Path("docs"), help="pages to scan for shown entries")
    check.add_argument("--freshness", action="store_true",
                       help="instead: report topics whose newest paper or review is older than --months")
    check.add_argument("--months", type=int, default=12, help="with --freshness (default 12)")
    check.set_defaults(func=cmd_check)
    export = sub.add_parser("export", help="print the papers as BibTeX (standard fields only), RIS, CSL-JSON, "
                                             "or formatted GB/T 7714-2015 / APA references, to stdout")
    export.add_argument("--bib", type=Path, default=Path("refs.bib"))
    export.add_argument("--format", choices=["bibtex", "ris", "csl-json", "gbt7714", "apa"], default="bibtex",
                        help="bibtex (default; for LaTeX), ris (EndNote, NoteExpress), csl-json (Zotero, pandoc), "
                             "gbt7714 or apa (numbered plain-text references, sorted by key)")
    export.add_argument("--topic", action="append", default=[], help="topic id (repeatable)")
    export.add_argument("--key", action="append", default=[], help="citation key (repeatable)")
    export.add_argument("--year", action="append", default=[], help="year of the cited version (repeatable)")
    export.set_defaults(func=cmd_export)
    fmt = sub.add_parser("fmt", help="rewrite refs.bib in canonical form (field order, indent, blank lines)",
                         description=bib_format.__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    fmt.add_argument("--bib", type=Path, default=Path("refs.bib"))
    fmt.add_argument("--check", action="store_true",
                     help="change nothing; exit 1 and name the entries fmt would rewrite")
    fmt.set_defaults(func=cmd_fmt)
    add = sub.add_parser("add", help="add an arXiv paper to refs.bib (fetches its metadata from the arXiv API)",
                         epilog=ADD_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    add.add_argument("arxiv_id", metavar="ARXIV_ID", help="e.g. 2106.09685, arXiv:2106.09685v2 or an arxiv.org/abs URL")
    add.add_argument("--topic", action="append", required=True, help="topic id from llmkb/bib/topics.py (repeatable)")
    add.add_argument("--tag", action="append", default=[], help="tag id of one of the topics (repeatable)")
    add.add_argument("--kind", required=True, help="short Chinese description of the kind of work, e.g. 低秩适配")
    add.add_argument("--venue", help="short display venue of the published version, e.g. 'NeurIPS 2023'")
    add.add_argument("--booktitle", help="full proceedings name (with --venue; gives @inproceedings)")
    add.add_argument("--journal", help="full journal name (with --venue; gives @article)")
    add.add_argument("--year", help="year of the cited version (default: the venue's year, else the first version's)")
    add.add_argument("--code", help="official code URL")
    add.add_argument("--bib", type=Path, default=Path("refs.bib"))
    add.set_defaults(func=cmd_add)
    backfill = sub.add_parser("backfill-added", help="set added = {YYYY-MM-DD} on entries lacking it, from the "
                                                     "day git first saw their key in refs.bib")
    backfill.add_argument("--bib", type=Path, default=Path("refs.bib"))
    backfill.set_defaults(func=cmd_backfill_added)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:
        # `llmkb export | head`: the reader has gone, which is not an error worth a traceback.
        # stdout is pointed at devnull so that the interpreter's final flush cannot raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # what a shell reports for a process killed by SIGPIPE (128 + 13)
