"""The real book grown to N papers: refs.bib extended with copies of its own entries.

A synthetic book spreads papers evenly over a few pages; the real book does not (every paper is on
its topic pages, many on several, all on the paper index, the landmark page gathers many). To see
how *this* book behaves at 1,000 or 10,000 papers, each copy keeps everything that decides where
it is shown (keywords = topics, tags, kind, venue, date, relations) and changes only what must be
unique for ``llmkb check`` to pass:

* the key: ``<key>c<n>`` (n = which copy; lowercase letters and digits, the book's key style);
* the title: ``Copy <n> of <title>`` (a shared title is reported as a duplicate);
* every new-style arXiv id in the entry (eprint, url, journal, provenance): a fresh id of the same
  month and length, the same replacement everywhere in one copy (a shared eprint is a duplicate);
* the DOI: ``<doi>.c<n>``.

    python benchmarks/grow.py 1000 /tmp/book1k    # a scratch copy of the book with 1,000 entries
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from llmkb.bib import check as bib_check  # noqa: E402
from llmkb.bib import file as bibfile  # noqa: E402

# an arXiv id, also when a version follows it (a url pinned to ".../2506.13681v1")
ARXIV = re.compile(r"\b(\d{4})\.(\d{4,5})(?=v\d|\b)")
_TITLE = re.compile(r"^(\s*title\s*=\s*\{)", re.M)
_DOI = re.compile(r"^(\s*doi\s*=\s*\{[^}]*)\}", re.M)
_HEAD = re.compile(r"^@(\w+)\{([^,\s]+),")


class GrowError(Exception):
    """The grown refs.bib would not pass llmkb check, or the source cannot be grown."""


def copy_entry(text: str, key: str, n: int, new_id) -> str:
    """Entry source ``text`` (verbatim, ``@type{key, ... }``) as its n-th copy. ``new_id(old)``
    returns a fresh arXiv id for ``old`` (the same one for every occurrence in this copy)."""
    head = _HEAD.match(text)
    if not head or head.group(2) != key:
        raise GrowError(f"entry {key!r}: its source text does not start with '@type{{{key},'")
    body = text[head.end():]
    if not _TITLE.search(body):
        raise GrowError(f"entry {key!r}: no 'title = {{' line to mark the copy")
    body = _TITLE.sub(rf"\g<1>Copy {n} of ", body, count=1)
    body = _DOI.sub(rf"\g<1>.c{n}}}", body)
    ids: dict[str, str] = {}

    def replace(m: re.Match) -> str:
        if m.group(0) not in ids:
            ids[m.group(0)] = new_id(m)
        return ids[m.group(0)]

    return f"@{head.group(1)}{{{key}c{n}," + ARXIV.sub(replace, body)


def grow_text(text: str, n: int, path: str = "refs.bib") -> str:
    """``text`` (a refs.bib) followed by copies of its entries, cycling through them in file order,
    until it has ``n`` entries. ``n`` at or below the current count returns ``text`` unchanged."""
    bib = bibfile.parse_text(text, path)
    if bib.problems:
        p = bib.problems[0]
        raise GrowError(f"{path}:{p.line}: {p.message} — fix it first ({p.fix})")
    entries = bib.entries
    if not entries:
        raise GrowError(f"{path}: no entries to copy")
    keys = {e.key for e in entries}
    used = set(ARXIV.findall(text))
    counter = 0

    def new_id(m: re.Match) -> str:
        # same month and digit count as the original (so it stays a valid id of that era); the
        # number walks up from 1 and skips every id the file already has
        nonlocal counter
        yymm, num = m.groups()
        for _ in range(10 ** len(num)):
            counter += 1
            cand = (yymm, f"{counter % 10 ** len(num):0{len(num)}d}")
            if cand not in used:
                used.add(cand)
                return ".".join(cand)
        raise GrowError(f"no unused arXiv id left in {yymm} with {len(num)} digits")

    out = [text.rstrip("\n") + "\n"]
    for i in range(max(0, n - len(entries))):
        e = entries[i % len(entries)]
        copy = i // len(entries) + 1
        if f"{e.key}c{copy}" in keys:
            raise GrowError(f"{path}:{e.line}: copy key '{e.key}c{copy}' is already a key in the file")
        keys.add(f"{e.key}c{copy}")
        out.append("\n" + copy_entry(e.text.rstrip("\n"), e.key, copy, new_id) + "\n")
    return "".join(out)


def check_grown(text: str, path: str = "refs.bib") -> list:
    """``llmkb check``'s refs.bib problems of a grown file (schema, duplicate keys, ids, titles)."""
    bib = bibfile.parse_text(text, path)
    return bib_check.syntax_problems(bib, path) + bib_check.check_bib(bib, path)


def grow_book(book: Path, n: int) -> int:
    """Grow ``book``/refs.bib (a scratch copy, never the repository's) in place to ``n`` entries;
    raises GrowError naming the first problem if the result would not pass llmkb check."""
    bib = book / "refs.bib"
    if bib.resolve() == (ROOT / "refs.bib").resolve():
        raise GrowError(f"refusing to grow the repository's own {bib}: copy the book first (bench.copy_book)")
    grown = grow_text(bib.read_text(encoding="utf-8"), n, str(bib))
    problems = check_grown(grown, str(bib))
    if problems:
        raise GrowError(f"the grown refs.bib ({n} entries) does not pass llmkb check: "
                        + "; ".join(str(p) for p in problems[:3]))
    bib.write_text(grown, encoding="utf-8")
    return len(bibfile.parse_text(grown, str(bib)).entries)


def main(argv: list[str] | None = None) -> int:
    import argparse

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import bench

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("entries", type=int)
    ap.add_argument("dest", type=Path, help="a new directory: the book (conf.py, refs.bib, docs/) is copied there")
    args = ap.parse_args(argv)
    if args.dest.exists():
        sys.exit(f"{args.dest} exists: give a new directory")
    bench.copy_book(args.dest)
    try:
        count = grow_book(args.dest, args.entries)
    except GrowError as err:
        sys.exit(str(err))
    print(f"{args.dest}: refs.bib has {count} entries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
