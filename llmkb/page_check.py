"""The llmkb directives on the MyST pages, checked without building (``llmkb check --docs``).

The build reports a misspelled option of ``paper-table`` too (docutils: "Unknown option
key"); this finds it in a second, with the page, the line and the option meant.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from .bib_check import Problem

_FENCE = re.compile(r"^[ \t]*(?::{3,}|`{3,})\{(?P<name>paper-table|paper-index)\}[^\n]*\n"
                    r"(?P<body>(?:[ \t]*:[A-Za-z0-9_-]+:[^\n]*\n)*)", re.M)
_OPTION = re.compile(r"^[ \t]*:(?P<name>[A-Za-z0-9_-]+):", re.M)


def allowed_options() -> dict[str, tuple[str, ...]]:
    """Each directive's option names, from the directives themselves (needs Sphinx)."""
    from .directives import PaperIndexDirective, PaperTableDirective

    return {"paper-table": tuple(sorted(PaperTableDirective.option_spec or {})),
            "paper-index": tuple(sorted(PaperIndexDirective.option_spec or {}))}


def check_text(text: str, path: str, allowed: dict[str, tuple[str, ...]]) -> list[Problem]:
    out = []
    for m in _FENCE.finditer(text):
        names = allowed[m["name"]]
        for o in _OPTION.finditer(m["body"]):
            if o["name"] in names:
                continue
            line = text.count("\n", 0, m.start("body") + o.start()) + 1
            close = difflib.get_close_matches(o["name"], names, n=1)
            hint = f" (did you mean ':{close[0]}:'?)" if close else ""
            fix = ("allowed options: " + ", ".join(f":{n}:" for n in names)) if names else "it takes no options"
            out.append(Problem(path, line, m["name"], f"unknown option ':{o['name']}:'{hint}", fix))
    return out


def check_pages(docs: Path) -> list[Problem]:
    """Unknown options of paper-table / paper-index on every page under ``docs``."""
    allowed = allowed_options()
    out: list[Problem] = []
    for page in sorted(docs.rglob("*.md")):
        out += check_text(page.read_text(encoding="utf-8"), str(page), allowed)
    return out
