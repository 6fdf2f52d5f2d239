"""Set ``added`` on refs.bib entries that lack it, from git history.

An entry's ``added`` date is the day of the commit that first put its key into refs.bib
(``git log -S'{key,' --reverse``: the first commit that changed the number of occurrences of the
entry's opening line). Entries git does not know yet (not committed) are left alone and listed.
The file is rewritten in canonical form through ``bibfile.write_atomic``: one field per entry
is added, nothing else changes.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from . import file as bibfile
from . import format as bib_format


class BackfillError(Exception):
    pass


@dataclass
class Result:
    set: dict[str, str] = field(default_factory=dict)  # key -> the date written
    unknown: list[str] = field(default_factory=list)  # keys no commit of refs.bib holds


def first_commit_day(path: Path, key: str) -> str:
    """The author date (YYYY-MM-DD) of the first commit that added ``{key,`` to ``path``, or ''."""
    proc = subprocess.run(
        ["git", "log", f"-S{{{key},", "--format=%as", "--reverse", "--", path.name],
        cwd=path.parent, capture_output=True, text=True)
    if proc.returncode != 0:
        raise BackfillError(f"{path}: git log failed ({proc.stderr.strip()}) — run inside the project's "
                            "git repository")
    return next(iter(proc.stdout.split()), "")


def backfill(path: Path, day_of=first_commit_day) -> Result:
    """Set ``added`` on every entry of ``path`` without one; write only when something changed."""
    bib = bibfile.read(path)
    if bib.problems:
        first = bib.problems[0]
        raise BackfillError(f"{path}:{first.line}: {first.message} — fix it first (python -m llmkb check); "
                            "nothing was changed")
    result = Result()
    for entry in bib.entries:
        if entry.fields.get("added"):
            continue
        day = day_of(path, entry.key)
        if day:
            entry.fields["added"] = day
            result.set[entry.key] = day
        else:
            result.unknown.append(entry.key)
    if result.set:
        bibfile.write_atomic(path, bib_format.format_bib(bib).encode("utf-8"))
    return result
