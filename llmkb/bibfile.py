"""Read refs.bib into entries that remember where they came from.

pybtex (which sphinxcontrib-bibtex uses) reports neither the line of an entry
nor the raw text of its author field, and stops at the first syntax error. This
reader does: every entry keeps its line, every field its raw value, and a broken
entry becomes a ``SyntaxProblem`` for that entry alone, so one typo never hides
the rest of the file and nothing is dropped without a message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

ENTRY_START = re.compile(r"@[ \t]*([A-Za-z]+)[ \t]*([{(])")
NAME = re.compile(r"[A-Za-z][A-Za-z0-9_\-:.]*")
_FIELD_START = re.compile(r"[ \t]*[A-Za-z][A-Za-z0-9_\-]*[ \t]*=[ \t]*[{\"0-9]")
KEY = re.compile(r"[^\s,{}()\"#%'=\\]+")
_BRACE_EVENT = re.compile(r"[\\{}\n]")

#: Longest field value accepted. refs.bib's longest (a 300-author list) has ~8,000 characters;
#: anything far longer is pasted text, and would make every later step slow.
MAX_FIELD_CHARS = 20_000


@dataclass
class RawEntry:
    """One entry as written: type, key, raw field values, line numbers."""

    type: str
    key: str
    fields: dict[str, str]
    line: int
    field_lines: dict[str, int] = field(default_factory=dict)
    text: str = ""  # the entry's source text, verbatim


@dataclass(frozen=True)
class SyntaxProblem:
    line: int
    key: str
    message: str
    fix: str


@dataclass
class BibFile:
    path: Path
    entries: list[RawEntry]
    problems: list[SyntaxProblem]
    comments: list[tuple[int, str]]  # (line, text) of % comment lines, for fmt


class _Error(Exception):
    def __init__(self, pos: int, message: str, fix: str):
        super().__init__(message)
        self.pos, self.message, self.fix = pos, message, fix


class _Scanner:
    def __init__(self, text: str):
        self.text = text
        self._newlines = [m.start() for m in re.finditer("\n", text)]

    def line_of(self, pos: int) -> int:
        import bisect

        return bisect.bisect_left(self._newlines, pos) + 1

    def skip_space(self, pos: int) -> int:
        text = self.text
        while pos < len(text) and text[pos].isspace():
            pos += 1
        return pos

    def braced(self, pos: int) -> tuple[str, int]:
        """Value inside balanced braces starting at text[pos] == '{'."""
        depth, start, text = 0, pos, self.text
        while pos < len(text):
            m = _BRACE_EVENT.search(text, pos)  # jump over plain text
            if not m:
                break
            pos = m.start()
            ch = text[pos]
            if ch == "\\":
                pos += 2
                continue
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
                if depth == 0:
                    return text[start + 1:pos], pos + 1
            elif ch == "\n" and depth == 1 and (_FIELD_START.match(text, pos + 1) or text[pos + 1:pos + 2] == "@"):
                break  # a new field or entry starts inside the value: the brace was never closed
            pos += 1
        raise _Error(start, "unclosed '{' in a field value",
                     "close the brace, or escape a literal brace as \\{ or \\}")

    def quoted(self, pos: int) -> tuple[str, int]:
        depth, start, text = 0, pos, self.text
        pos += 1
        while pos < len(text):
            ch = text[pos]
            if ch == "\\":
                pos += 2
                continue
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            elif ch == '"' and depth == 0:
                return text[start + 1:pos], pos + 1
            elif ch == "\n" and text[pos + 1:pos + 2] == "@":
                break
            pos += 1
        raise _Error(start, 'unclosed \'"\' in a field value', 'close the quote, or use {...} instead')


def _parse_entry(sc: _Scanner, pos: int, etype: str, opener: str) -> tuple[RawEntry, int]:
    text = sc.text
    closer = "}" if opener == "{" else ")"
    start = pos
    pos = sc.skip_space(pos)
    m = KEY.match(text, pos)
    if not m:
        raise _Error(pos, f"@{etype} entry has no citation key", "write @type{key, field = {value}, ...}")
    key = m.group(0)
    pos = sc.skip_space(m.end())
    if pos >= len(text) or text[pos] not in ",":
        if pos < len(text) and text[pos] == closer:
            return RawEntry(etype.lower(), key, {}, sc.line_of(start)), pos + 1
        raise _Error(pos, f"expected ',' after the key {key!r}", "put a comma right after the citation key")
    entry = RawEntry(etype.lower(), key, {}, sc.line_of(start))
    pos += 1
    while True:
        pos = sc.skip_space(pos)
        if pos >= len(text):
            raise _Error(start, f"entry {key!r} is never closed", f"end the entry with '{closer}'")
        if text[pos] == closer:
            return entry, pos + 1
        if text[pos] == "%":
            raise _Error(pos, f"a % comment line inside entry {key!r} (BibTeX reads it as text, not a comment)",
                         "move the comment line above the entry")
        m = NAME.match(text, pos)
        if not m:
            raise _Error(pos, f"expected a field name in entry {key!r}, found {text[pos]!r}",
                         "check the previous field: a missing comma or an extra brace")
        name, name_pos = m.group(0).lower(), pos
        pos = sc.skip_space(m.end())
        if pos >= len(text) or text[pos] != "=":
            raise _Error(pos, f"expected '=' after field name {name!r}",
                         "write fields as name = {value}, separated by commas")
        pos = sc.skip_space(pos + 1)
        if pos < len(text) and text[pos] == "{":
            value, pos = sc.braced(pos)
        elif pos < len(text) and text[pos] == '"':
            value, pos = sc.quoted(pos)
        else:
            m = re.compile(r"\d+").match(text, pos)
            if not m:
                raise _Error(pos, f"field {name!r} has no value in braces",
                             "write the value as {...} (@string macros are not supported)")
            value, pos = m.group(0), m.end()
        if len(value) > MAX_FIELD_CHARS:
            raise _Error(name_pos,
                         f"field {name!r} is {len(value):,} characters long (the limit is {MAX_FIELD_CHARS:,})",
                         "a field holds one short value: remove the pasted text")
        if name in entry.fields:
            raise _Error(name_pos, f"field {name!r} appears twice in entry {key!r}",
                         "keep one of the two values")
        entry.fields[name] = value
        entry.field_lines[name] = sc.line_of(name_pos)
        pos = sc.skip_space(pos)
        if pos < len(text) and text[pos] == "#":
            raise _Error(pos, "'#' string concatenation is not supported", "write the value in one piece")
        if pos < len(text) and text[pos] == ",":
            pos += 1
        elif pos < len(text) and text[pos] != closer:
            raise _Error(name_pos, f"missing ',' after field {name!r} in entry {key!r}",
                         "separate fields with commas")


def _next_entry_start(text: str, pos: int) -> int:
    """Where to resume after a broken entry: the next '@' at the start of a line."""
    m = re.compile(r"^[ \t]*@", re.M).search(text, pos + 1)
    return m.start() if m else len(text)


def parse_text(text: str, path: Path | str = "refs.bib") -> BibFile:
    sc = _Scanner(text)
    entries: list[RawEntry] = []
    problems: list[SyntaxProblem] = []
    comments: list[tuple[int, str]] = []
    pos = 0
    while pos < len(text):
        at = text.find("@", pos)
        # everything before the next '@' is comment text (BibTeX ignores it)
        chunk = text[pos:] if at < 0 else text[pos:at]
        for i, raw in enumerate(chunk.split("\n")):
            stripped = raw.strip()
            if stripped.startswith("%"):
                comments.append((sc.line_of(pos) + i, stripped))
            elif stripped and not stripped.startswith("%"):
                problems.append(SyntaxProblem(
                    sc.line_of(pos) + i, "-",
                    f"text outside any entry: {stripped[:40]!r}",
                    "start comment lines with %, or put the text inside an entry"))
        if at < 0:
            break
        m = ENTRY_START.match(text, at)
        if not m:
            problems.append(SyntaxProblem(sc.line_of(at), "-", "'@' not followed by an entry type and '{'",
                                          "write @article{key, ...}"))
            pos = _next_entry_start(text, at)
            continue
        etype = m.group(1)
        if etype.lower() in {"comment", "preamble", "string"}:
            problems.append(SyntaxProblem(sc.line_of(at), "-", f"@{etype} is not supported in refs.bib",
                                          "use % comment lines; write values in full"))
            pos = _next_entry_start(text, at)
            continue
        try:
            entry, end = _parse_entry(sc, m.end(), etype, m.group(2))
        except _Error as err:
            key_m = KEY.match(text, sc.skip_space(m.end()))
            problems.append(SyntaxProblem(sc.line_of(err.pos), key_m.group(0) if key_m else "-",
                                          err.message, err.fix))
            pos = _next_entry_start(text, at)
            continue
        entry.text = text[at:end]
        entries.append(entry)
        pos = end
    return BibFile(Path(path), entries, problems, comments)


def read(path: Path) -> BibFile:
    """Parse a .bib file; undecodable bytes become a problem, not a crash."""
    data = Path(path).read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[:err.start].count(b"\n") + 1
        # name the entry that holds the byte; its entries are not used (they would carry mojibake)
        guess = parse_text(data.decode("utf-8-sig", errors="replace"), path)
        key = next((e.key for e in reversed(guess.entries) if e.line <= line), "-")
        return BibFile(Path(path), [], [SyntaxProblem(
            line, key, f"the file is not UTF-8 (byte 0x{data[err.start]:02x} on line {line}); "
            f"none of its {len(guess.entries)} entries was read",
            f"re-save {Path(path).name} as UTF-8 (e.g. iconv -f latin1 -t utf-8)")], [])
    return parse_text(text, path)
