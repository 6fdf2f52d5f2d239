"""Validate refs.bib against the schema; every problem names line, key and fix.

The same checks run from ``python -m llmkb check`` and inside the Sphinx build
(where each problem is a warning, so a strict build fails on it).
"""

from __future__ import annotations

import datetime
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from . import notes
from . import schema as S
from .file import BibFile, RawEntry
from .papers import latex_to_text, split_authors
from .topics import TOPICS_BY_ID

_UNESCAPED_PERCENT = re.compile(r"(?<!\\)%")
#: Characters no URL or DOI holds unencoded; in one they are markup pasted by mistake (or an attack).
_MARKUP_IN_ID = re.compile(r'[<>"\\]')
#: Characters no field or key holds: C0/C1 controls but tab and line ends (NUL, BEL, ESC: an ANSI
#: escape in a key rewrote the terminal of whoever ran `make check`), DEL, the line and paragraph
#: separators U+2028/9 and the bidi controls (U+202E shows a title reversed), and lone surrogates.
UNSAFE_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
                         "\u2028\u2029\u2066-\u2069\ud800-\udfff]")


def printable(text: str) -> str:
    """``text`` with every non-printable character written as its Python escape (\\x1b, \\u202e):
    what llmkb prints comes partly from refs.bib, pages and arXiv, i.e. from strangers."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


#: Problems listed at most, by `llmkb check`, `fmt` and the build; the rest are counted. Past a few
#: hundred nobody reads them, and two million would take minutes to print.
MAX_LISTED = 200


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    key: str
    message: str
    fix: str
    #: the build cannot go on with this entry (pybtex would stop with a traceback): the build stops
    #: at once with the message, as for a syntax problem, instead of warning and crashing later
    fatal: bool = field(default=False, compare=False)

    def __post_init__(self) -> None:
        # every message llmkb prints (check, fmt, add, build warnings) is made of Problems
        for name in ("path", "key", "message", "fix"):
            object.__setattr__(self, name, printable(getattr(self, name)))

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.key}: {self.message} — {self.fix}"


def suggest(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest of ``choices``, or '' (every check's hint)."""
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def normal_title(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", latex_to_text(title).lower()).strip()


_COMMAND = re.compile(r"\\(?:([A-Za-z]+)|(.?))", re.S)
#: the characters tex_problems acts on; any other character is plain text
_TEX_SPECIAL = re.compile(r"[\\$&#^_]")
_LINK_TARGET = re.compile(r"\s*\{([^{}]*)\}")
TEX_FIX = ("write it as plain text or as allowed TeX (listed in llmkb/bib/schema.py: accents like \\\"o, "
           "\\& \\% \\_ \\# \\$, \\textendash, \\emph{...}, $...$ math)")


def tex_problems(value: str) -> tuple[list[str], list[str]]:
    """(links, disallowed TeX) in one text field's value (see "what a text field may hold" in
    schema.py). BibTeX and pybtex pass a text field to LaTeX and to the HTML as it is, so a
    command outside the documented set can read a citer's files (\\input), end their document
    (\\end{document}) or become a link in the book (\\url{javascript:...})."""
    links: list[str] = []
    bad: dict[str, None] = {}
    if "^^" in value:
        bad["^^ (TeX's spelling of any character)"] = None
    math = False
    i = 0
    # only these characters mean anything below: jump from one to the next (most fields hold none)
    while (special := _TEX_SPECIAL.search(value, i)) is not None:
        i = special.start()
        c = value[i]
        if c == "\\":
            m = _COMMAND.match(value, i)
            name, other = m.group(1), m.group(2)
            i = m.end()
            if name in S.TEX_LINK_COMMANDS:
                target = _LINK_TARGET.match(value, i)
                links.append(f"\\{name}{{{target.group(1) if target else ''}}}")
            elif name is not None:
                allowed = S.TEX_TEXT_COMMANDS | (S.TEX_MATH_COMMANDS if math else S.TEX_ACCENTS)
                if name not in allowed:
                    bad["\\" + name] = None
            elif not other or not (other in S.TEX_ESCAPES or (not math and other in S.TEX_ACCENTS)):
                bad["\\" + (other or "") + (" (a line break)" if other == "\\" else "")] = None
            continue
        if c == "$":
            math = not math
        elif c in "&#" or (c in "^_" and not math):
            bad[f"an unescaped '{c}'" + ("" if c in "&#" else " outside $...$ math")] = None
        i += 1
    if math:
        bad["an unclosed '$' (math that never ends; write \\$ for a dollar sign)"] = None
    return links, list(bad)


#: What pdflatex typesets in a reader's document (utf8 input, T1 fonts: the export's promise that it
#: compiles anywhere): ASCII, Latin-1, Latin Extended-A, and the dashes, quotes and ellipsis.
_PDFLATEX_SAFE = re.compile(r"[^\t\n\r\x20-\x7e\u00a0-\u017f\u2013\u2014\u2018\u2019\u201c\u201d\u2026]")


def content_problems(e: RawEntry, path: str) -> list[Problem]:
    """What in an entry's key and values is unsafe to print, render or compile: control and bidi
    characters, links in text fields, TeX outside the documented set. ``llmkb export`` refuses
    entries with any of these even when nobody ran the check."""
    out: list[Problem] = []

    def problem(field: str | None, message: str, fix: str) -> None:
        line = e.field_lines.get(field, e.line) if field else e.line
        out.append(Problem(path, line, e.key, message, fix))

    unsafe = UNSAFE_CHAR.search(e.key)
    if unsafe:
        problem(None, f"the key holds a control or bidi character ({unsafe.group(0)!r})",
                "retype the key in the project's key style; such characters are invisible or rewrite the terminal")
    for name, value in e.fields.items():
        unsafe = UNSAFE_CHAR.search(value)
        if unsafe:
            problem(name, f"field '{name}' holds a control or bidi character ({unsafe.group(0)!r} at character "
                          f"{unsafe.start() + 1})",
                    "delete it (retype the text): such characters are invisible, reverse the text shown or break exports")
        if name not in S.NOT_TEX_FIELDS:
            links, bad = tex_problems(value)
            if links:
                problem(name, f"field '{name}' holds a link ({', '.join(links)}); a text field holds no link",
                        "put the paper's address in url = {https://...} (its code in code = {https://...}) "
                        "and delete the \\url/\\href")
            if bad:
                problem(name, f"field '{name}' holds TeX llmkb does not allow: {', '.join(bad)}", TEX_FIX)
        # the exported fields reach readers' LaTeX; the project's own (kind, summary …) stay in the book
        if name in S.STANDARD_FIELDS and name not in S.VERBATIM_FIELDS:
            foreign = _PDFLATEX_SAFE.search(value)
            if foreign:
                char = foreign.group(0)
                problem(name, f"field '{name}' holds {char!r} (U+{ord(char):04X}), which pdflatex stops on in "
                              "a reader's document",
                        "write it in TeX: a Greek letter in math ($\\tau$), other symbols with their TeX command")
    return out


def check_entry(e: RawEntry, path: str) -> list[Problem]:
    out: list[Problem] = []

    def problem(name: str | None, message: str, fix: str, fatal: bool = False) -> None:
        line = e.field_lines.get(name, e.line) if name else e.line
        out.append(Problem(path, line, e.key, message, fix, fatal))

    out.extend(content_problems(e, path))  # first: an entry of a refused type is rendered all the same
    if e.type not in S.REQUIRED_BY_TYPE:
        problem(None, f"entry type @{e.type} is not allowed",
                "use @article (journals and arXiv preprints), @inproceedings or @techreport")
        return out
    m = S.KEY_STYLE.match(e.key)
    if not m:
        problem(None, "the key does not follow the project's key style", f"rename it to {S.KEY_STYLE_HELP}")
    for name in S.REQUIRED_COMMON + S.REQUIRED_BY_TYPE[e.type]:
        if not e.fields.get(name, "").strip():
            problem(None, f"missing required field '{name}' for @{e.type}",
                    f"add {name} = {{...}} ({S.PROJECT_FIELDS.get(name, 'standard BibTeX field')})")
    for name, value in e.fields.items():
        if name not in S.KNOWN_FIELDS:
            problem(name, f"unknown field '{name}'{suggest(name, S.KNOWN_FIELDS)}",
                    "use a field listed in llmkb/bib/schema.py, or remove it")
        if name not in S.VERBATIM_FIELDS and _UNESCAPED_PERCENT.search(value):
            # fatal: pybtex's LaTeX reader drops the rest of the value too, and stops on its braces
            problem(name, f"field '{name}' has an unescaped '%' (LaTeX would drop the rest of the line)",
                    "write \\% instead of %", fatal=True)
    date = e.fields.get("date", "")
    first_day = None
    if date:
        try:
            first_day, _ = S.first_version_span(date)
        except ValueError:
            problem("date", f"malformed date {date!r}", "write the first public version's date as YYYY-MM-DD "
                    "(YYYY-MM or YYYY only when no public record gives the day)")
        else:
            if m and m.group("year") != date[:4]:
                problem(None, f"the key's year {m.group('year')} differs from the first-version date {date}",
                        f"the key uses the year of the first public version ({date[:4]})")
            if not S.DATE_STYLE.match(date) and S.DAY_UNKNOWN not in e.fields.get("provenance", "").lower():
                # a vague date must be a finding ("no record shows the day"), not a shortcut
                problem("date", f"date {date!r} gives no day, and provenance does not say why",
                        f"write the day as YYYY-MM-DD, or say '{S.DAY_UNKNOWN}' in provenance "
                        "with the records you searched")
    added = e.fields.get("added", "")
    if added:  # optional until `llmkb backfill-added` has run on refs.bib; validated when present
        try:
            if not S.DATE_STYLE.match(added):
                raise ValueError
            datetime.date.fromisoformat(added)
        except ValueError:
            problem("added", f"malformed added date {added!r}",
                    "write the day the entry was added to refs.bib as YYYY-MM-DD")
        else:
            if first_day and added < first_day.isoformat():
                problem("added", f"added {added} is before the paper's first public version ({date})",
                        "added is the day the entry entered refs.bib, never earlier than date")
    if "shortname" in e.fields:
        shown = latex_to_text(e.fields["shortname"]).strip()
        if not shown:
            problem("shortname", "empty shortname", "write the name readers know the paper by (e.g. 3DGS), or remove the field")
        elif len(shown) > S.SHORTNAME_MAX:
            problem("shortname", f"shortname {shown!r} has {len(shown)} characters, more than {S.SHORTNAME_MAX}",
                    "use the short name readers know the paper by (e.g. 3DGS); the title itself is shown elsewhere")
    year = e.fields.get("year", "")
    if year and not S.YEAR_STYLE.match(year):
        problem("year", f"malformed year {year!r}", "write a four-digit year, e.g. 2023")
    elif year and first_day and year < date[:4]:
        problem("year", f"year {year} is before the first public version ({date})",
                "year is the year of the cited version, never earlier than date")
    eprint = e.fields.get("eprint", "")
    if eprint and not S.ARXIV_ID.match(eprint):
        problem("eprint", f"malformed arXiv id {eprint!r}",
                "write the bare id, e.g. 2106.09685 (no 'arXiv:', no version)")
    if eprint and e.fields.get("archiveprefix", "arXiv") != "arXiv":
        problem("archiveprefix", "eprint given but archivePrefix is not arXiv", "set archivePrefix = {arXiv}")
    for name in ("url", "code"):
        value = e.fields.get(name, "")
        if value and not S.URL_STYLE.match(value):
            problem(name, f"{name} {value!r} is not an absolute http(s) URL", "write the full address, starting with https://")
        elif value and _MARKUP_IN_ID.search(value):
            problem(name, f"{name} {value!r} contains {_MARKUP_IN_ID.search(value).group(0)!r}, which no URL holds",
                    "remove the markup, or percent-encode the character (e.g. %3C for <)")
    doi = e.fields.get("doi", "")
    if doi and (not S.DOI_STYLE.match(doi) or _MARKUP_IN_ID.search(doi)):
        problem("doi", f"malformed DOI {doi!r}", "write the bare DOI, e.g. 10.18653/v1/N19-1423 (no https://doi.org/)")
    for name in split_authors(e.fields.get("author", "")):
        # "Michael and Pokorny" (one person split in two) is the classic way an author list goes wrong
        if name != "others" and "," not in name and " " not in name.strip() and not name.startswith("{"):
            problem("author", f"author '{name}' is a single word: half of a split name?",
                    "write each person as 'Family, Given'; wrap an organisation in braces, e.g. {OpenAI}")
    journal = e.fields.get("journal", "")
    if journal.startswith("arXiv preprint") and not eprint:
        problem("journal", "an arXiv preprint without eprint", "add eprint = {<arXiv id>} and archivePrefix = {arXiv}")
    topics = S.split_list(e.fields.get("keywords", ""))
    for t in topics:
        if t not in TOPICS_BY_ID:
            problem("keywords", f"unknown topic '{t}'{suggest(t, TOPICS_BY_ID)}",
                    "use topic ids from llmkb/bib/topics.py (or add the topic there first)")
    tags = S.split_list(e.fields.get("tags", ""))
    for tag in tags:
        owners = [t for t in topics if t in TOPICS_BY_ID and tag in TOPICS_BY_ID[t].tags]
        if not owners:
            known = sorted({g for t in topics if t in TOPICS_BY_ID for g in TOPICS_BY_ID[t].tags})
            problem("tags", f"tag '{tag}' belongs to none of this entry's topics{suggest(tag, known)}",
                    f"use one of: {', '.join(known) or '(these topics have no tags)'}")
    for t in topics:
        topic = TOPICS_BY_ID.get(t)
        if topic and topic.tags and not any(tag in topic.tags for tag in tags):
            problem("keywords", f"topic '{t}' is split into sub-tables but the entry has none of its tags",
                    f"add one of these to tags: {', '.join(topic.tags)}")
    return out


def check_bib(bib: BibFile, path: str | None = None, require_summary: bool | None = None) -> list[Problem]:
    """All problems of one parsed bib file, sorted by line. ``require_summary`` (default
    notes.REQUIRE_SUMMARY) makes an entry without a one-line summary a problem."""
    path = path or bib.path.name
    out = [Problem(path, p.line, p.key, p.message, p.fix, True) for p in bib.problems]
    if not bib.entries and not bib.problems:
        # fatal: the build's figures and tables need at least one paper (an empty or blank file)
        out.append(Problem(path, 1, "-", "the file holds no entry",
                           "add entries, or point bibtex_bibfiles at the right file", True))
    seen_keys: dict[str, RawEntry] = {}
    seen_eprint: dict[str, RawEntry] = {}
    seen_title: dict[str, RawEntry] = {}
    for e in bib.entries:
        first = seen_keys.get(e.key.lower())
        if first:
            out.append(Problem(path, e.line, e.key, f"duplicate key (first defined on line {first.line})",
                               "rename one entry or merge the two"))
            continue
        seen_keys[e.key.lower()] = e
        out.extend(check_entry(e, path))
        eprint = e.fields.get("eprint")
        if eprint:
            if eprint in seen_eprint:
                other = seen_eprint[eprint]
                out.append(Problem(path, e.line, e.key, f"the same paper as '{other.key}' (line {other.line}): arXiv {eprint}",
                                   f"keep one entry and cite '{other.key}' everywhere"))
            seen_eprint[eprint] = e
        title = normal_title(e.fields.get("title", ""))
        if title:
            other = seen_title.get(title)
            # the same arXiv id was reported above; a shared title alone is a duplicate too
            if other and not (eprint and other.fields.get("eprint") == eprint):
                out.append(Problem(path, e.line, e.key, f"the same title as '{other.key}' (line {other.line})",
                                   f"keep one entry and cite '{other.key}' everywhere"))
            seen_title.setdefault(title, e)
    if not bib.problems:  # relations are checked against all keys: only once the file reads whole
        out.extend(notes.check_notes(list(seen_keys.values()), path, require_summary))
    return sorted(out)


def syntax_problems(bib: BibFile, path: str | None = None) -> list[Problem]:
    """The problems that stop the build: the file's syntax problems and the fatal schema ones."""
    path = path or bib.path.name
    out = [Problem(path, p.line, p.key, p.message, p.fix, True) for p in bib.problems]
    if not bib.problems:
        out += [p for p in check_bib(bib, path) if p.fatal]
    return sorted(out)


def check_shown(bib: BibFile, shown: set[str], path: str | None = None) -> list[Problem]:
    """Entries that no page (other than the paper index) shows or cites."""
    path = path or bib.path.name
    return [Problem(path, e.line, e.key, "no page shows this entry",
                    "cite it or give it a topic/tag that a paper-table on a topic page selects")
            for e in bib.entries if e.key not in shown]


def check_file(path: Path) -> list[Problem]:
    from . import file as bibfile

    return check_bib(bibfile.read(path), path.name, require_summary=notes.summary_required(path))
