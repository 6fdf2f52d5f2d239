"""Command line: ``python -m llmkb check`` and ``python -m llmkb export``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import bib_check, bibfile, page_scan
from .export_bibtex import export_bibtex, select
from .papers import Paper
from .topics import TOPICS_BY_ID


def _load(path: Path) -> tuple[bibfile.BibFile, list[Paper]] | None:
    if not path.is_file():
        print(f"{path}: no such file — run from the repository root or pass --bib PATH", file=sys.stderr)
        return None
    bib = bibfile.read(path)
    return bib, [Paper(e) for e in bib.entries]


def cmd_check(args: argparse.Namespace) -> int:
    loaded = _load(args.bib)
    if loaded is None:
        return 2
    bib, papers = loaded
    name = str(args.bib)
    problems = bib_check.check_bib(bib, name)
    if args.docs and args.docs.is_dir() and not bib.problems:
        problems += bib_check.check_shown(bib, page_scan.shown_keys(args.docs, papers), name)
    for p in sorted(problems):
        print(p)
    if problems:
        print(f"{name}: {len(problems)} problem(s) in {len(bib.entries)} entries", file=sys.stderr)
        return 1
    print(f"{name}: {len(bib.entries)} entries, no problems")
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
    sys.stdout.write(export_bibtex(chosen))
    return 0


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m llmkb", description="Tools for the llmkb refs.bib")
    sub = ap.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate refs.bib (schema, duplicates, entries no page shows)")
    check.add_argument("--bib", type=Path, default=Path("refs.bib"))
    check.add_argument("--docs", type=Path, default=Path("docs"), help="pages to scan for shown entries")
    check.set_defaults(func=cmd_check)
    export = sub.add_parser("export", help="print BibTeX (standard fields only) to stdout")
    export.add_argument("--bib", type=Path, default=Path("refs.bib"))
    export.add_argument("--topic", action="append", default=[], help="topic id (repeatable)")
    export.add_argument("--key", action="append", default=[], help="citation key (repeatable)")
    export.add_argument("--year", action="append", default=[], help="year of the cited version (repeatable)")
    export.set_defaults(func=cmd_export)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)
