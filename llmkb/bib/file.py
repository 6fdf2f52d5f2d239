"""Read refs.bib into entries that remember where they came from.

pybtex (which sphinxcontrib-bibtex uses) reports neither the line of an entry
nor the raw text of its author field, and stops at the first syntax error. This
reader does: every entry keeps its line, every field its raw value, and a broken
entry becomes a ``SyntaxProblem`` for that entry alone, so one typo never hides
the rest of the file and nothing is dropped without a message.
"""

from __future__ import annotations

import bisect
import errno
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ENTRY_START = re.compile(r"@[ \t]*([A-Za-z]+)[ \t]*([{(])")
NAME = re.compile(r"[A-Za-z][A-Za-z0-9_\-:.]*")
_FIELD_START = re.compile(r"[ \t]*[A-Za-z][A-Za-z0-9_\-]*[ \t]*=[ \t]*[{\"0-9]")
KEY = re.compile(r"[^\s,{}()\"#%'=\\]+")
#: BibTeX (and pybtex, which the build uses) counts every brace, escaped or not: ``\\{`` opens a
#: group like ``{`` does. Only braces and line ends matter while scanning a value.
_BRACE_EVENT = re.compile(r"[{}\r\n]")
_QUOTE_EVENT = re.compile(r'[{}"\r\n]')
#: Line breaks as editors count them: Windows (\r\n), old Mac (\r) and Unix (\n).
LINE_BREAK = re.compile(r"\r\n|\r|\n")

#: Longest field value accepted. refs.bib's longest (a 300-author list) has ~8,000 characters;
#: anything far longer is pasted text, and would make every later step slow.
MAX_FIELD_CHARS = 20_000
#: Deepest brace nesting accepted (the value's own braces count as one level). pybtex, which
#: sphinxcontrib-bibtex uses, stops with "too many nested braces" past 101 levels; no real field
#: nests more than three.
MAX_BRACE_DEPTH = 100
#: Most entries and bytes a refs.bib may hold. The build's time and memory grow with the entries:
#: the 10,000-entry benchmark book (benchmarks/README.md) builds in ~41 s at ~0.8 GB, and a file
#: of 137,662 valid entries ran for over 10 minutes at 9 GB. Twice the benchmarked size still
#: builds in minutes; past it, split the bibliography or raise the limits after benchmarking.
MAX_ENTRIES = 20_000
#: refs.bib averages ~800 bytes an entry, so 32 MB is far above 20,000 entries; larger files are
#: refused before they are read into memory.
MAX_FILE_BYTES = 32_000_000


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
        # where each line break ends: a position's line is the number of breaks ending at or before it
        self._break_ends = [m.end() for m in LINE_BREAK.finditer(text)]

    def line_of(self, pos: int) -> int:
        return bisect.bisect_right(self._break_ends, pos) + 1

    def skip_space(self, pos: int) -> int:
        text = self.text
        while pos < len(text) and text[pos].isspace():
            pos += 1
        return pos

    def _next_line_starts_field_or_entry(self, pos: int) -> bool:
        """text[pos] is a line break: does the next line start a field or an entry?"""
        text = self.text
        nxt = pos + 2 if text.startswith("\r\n", pos) else pos + 1
        return bool(_FIELD_START.match(text, nxt)) or text[nxt:nxt + 1] == "@"

    def braced(self, pos: int) -> tuple[str, int]:
        """Value inside balanced braces starting at text[pos] == '{'. Every brace counts, as in
        BibTeX: a backslash escapes nothing (``\\{`` is an opening brace to BibTeX)."""
        depth, start, text = 0, pos, self.text
        while pos < len(text):
            m = _BRACE_EVENT.search(text, pos)  # jump over plain text
            if not m:
                break
            pos = m.start()
            ch = text[pos]
            if ch == "{":
                depth += 1
                if depth > MAX_BRACE_DEPTH:
                    raise _Error(pos, f"braces nested more than {MAX_BRACE_DEPTH} deep in a field value "
                                      "(BibTeX readers such as pybtex stop there)",
                                 "remove the extra braces: one pair around the value, one around words to protect")
            elif ch == "}":
                depth -= 1
                if depth == 0:
                    return text[start + 1:pos], pos + 1
            elif depth == 1 and self._next_line_starts_field_or_entry(pos):
                break  # a new field or entry starts inside the value: the brace was never closed
            pos += 1
        raise _Error(start, "unclosed '{' in a field value",
                     "close the brace; BibTeX counts every brace, \\{ and \\} too, so a literal brace "
                     "cannot be written alone: rephrase without it")

    def quoted(self, pos: int) -> tuple[str, int]:
        """Value inside '"' starting at text[pos] == '"'. As in BibTeX, a '"' inside braces is text,
        a '"' outside them ends the value, and a '}' with no '{' before it is an error: BibTeX
        would end the value there and read what follows as more fields."""
        depth, start, text = 0, pos, self.text
        pos += 1
        while pos < len(text):
            m = _QUOTE_EVENT.search(text, pos)
            if not m:
                break
            pos = m.start()
            ch = text[pos]
            if ch == "{":
                depth += 1
                if depth >= MAX_BRACE_DEPTH:  # the quotes are the value's first level
                    raise _Error(pos, f"braces nested more than {MAX_BRACE_DEPTH} deep in a field value "
                                      "(BibTeX readers such as pybtex stop there)",
                                 "remove the extra braces: one pair around words to protect is enough")
            elif ch == "}":
                depth -= 1
                if depth < 0:
                    raise _Error(pos, "a '}' with no '{' before it in a quoted value (BibTeX would end the "
                                      "value there and read the rest as more fields)",
                                 "remove the '}', or balance it with a '{' before it")
            elif ch == '"' and depth == 0:
                return text[start + 1:pos], pos + 1
            elif ch in "\r\n" and (text[pos + 1:pos + 2] == "@" or text[pos:pos + 3] == "\r\n@"):
                break  # an entry starts: the quote was never closed
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


_LINE_START_AT = re.compile(r"(?:\A|(?<=[\r\n]))[ \t]*@")
#: What a line left over after an entry's end looks like when an extra '}' closed the entry early.
_LEFTOVER_FIELD = re.compile(r"[ \t]*(?:[,})]|[A-Za-z][A-Za-z0-9_\-]*[ \t]*=)")


def _next_entry_start(text: str, pos: int) -> int:
    """Where to resume after a broken entry: the next '@' at the start of a line."""
    m = _LINE_START_AT.search(text, pos + 1)
    return m.start() if m else len(text)


def _split_lines(chunk: str) -> list[str]:
    return LINE_BREAK.split(chunk)


def _stray_lines(chunk: str) -> list[tuple[int, str]]:
    """(offset in lines, stripped text) of the lines of ``chunk`` that are neither blank nor comments."""
    return [(i, raw.strip()) for i, raw in enumerate(_split_lines(chunk))
            if raw.strip() and not raw.strip().startswith("%")]


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
        first_line = sc.line_of(pos)
        for i, raw in enumerate(_split_lines(chunk)):
            stripped = raw.strip()
            if stripped.startswith("%"):
                comments.append((first_line + i, stripped))
            elif stripped:
                problems.append(SyntaxProblem(
                    first_line + i, "-",
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
        nxt = _next_entry_start(text, end - 1)
        stray = _stray_lines(text[end:nxt])
        if stray and (stray[0][0] == 0 or any(_LEFTOVER_FIELD.match(line) for _, line in stray)):
            # Text right after the entry's end, or fields and closing braces after it: an extra
            # '}' (or ')') ended the entry early. One message at that brace, not one per line left over.
            closer = text[end - 1]
            problems.append(SyntaxProblem(
                sc.line_of(end - 1), entry.key,
                f"an extra '{closer}' ends entry {entry.key!r} here; the {len(stray)} line(s) after it "
                "belong to no entry",
                f"remove the extra '{closer}' (BibTeX counts every brace, \\{{ and \\}} too)"))
            pos = nxt
            continue
        entry.text = text[at:end]
        entries.append(entry)
        pos = end
    if len(entries) > MAX_ENTRIES:
        first_over = entries[MAX_ENTRIES]
        problems.append(SyntaxProblem(
            first_over.line, first_over.key,
            f"{Path(path).name} holds {len(entries):,} entries; the limit is {MAX_ENTRIES:,} "
            "(the build's time and memory grow with every entry: see MAX_ENTRIES in llmkb/bib/file.py)",
            "remove entries no page needs, or benchmark a larger book and raise MAX_ENTRIES"))
    return BibFile(Path(path), entries, problems, comments)


def read(path: Path) -> BibFile:
    """Parse a .bib file; undecodable bytes, an unreadable or oversized file become a problem,
    not a crash."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return BibFile(path, [], [SyntaxProblem(
                1, "-", f"{path.name} is {size:,} bytes; the limit is {MAX_FILE_BYTES:,} "
                "(see MAX_FILE_BYTES in llmkb/bib/file.py: a book that large would not build in reasonable "
                "time and memory)", "remove entries no page needs; the file was not read")], [])
        data = path.read_bytes()
    except OSError as err:
        return BibFile(path, [], [SyntaxProblem(
            1, "-", f"cannot read {path.name}: {err.strerror or err}",
            "make the file readable (e.g. chmod u+r), or pass the right file with --bib / bibtex_bibfiles")], [])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = len(LINE_BREAK.findall(data[:err.start].decode("latin-1"))) + 1
        # name the entry that holds the byte; its entries are not used (they would carry mojibake)
        guess = parse_text(data.decode("utf-8-sig", errors="replace"), path)
        key = next((e.key for e in reversed(guess.entries) if e.line <= line), "-")
        return BibFile(path, [], [SyntaxProblem(
            line, key, f"the file is not UTF-8 (byte 0x{data[err.start]:02x} on line {line}); "
            f"none of its {len(guess.entries)} entries was read",
            f"re-save {path.name} as UTF-8 (e.g. iconv -f latin1 -t utf-8)")], [])
    return parse_text(text, path)


class WriteError(Exception):
    """refs.bib could not be written; the file is as it was. str() says why and what to do."""


_WHY = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is exceeded",
        errno.EROFS: "the file system is read-only", errno.EACCES: "permission denied",
        errno.EPERM: "permission denied"}


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path``'s content with ``data`` all at once: the bytes go to a temporary file in the
    same folder, are flushed to disk, and only then renamed over ``path``. A full disk, a crash or
    a kill leaves either the old file or the new one, never half of either. The file keeps its mode.
    WriteError (old file untouched) if it cannot be done."""
    path = Path(path)
    if path.exists() and not os.access(path, os.W_OK):
        # a rename would succeed in a writable folder: honour the file's own read-only mark
        raise WriteError(f"{path}: not written — the file is read-only; nothing was changed "
                         f"(make it writable, e.g. chmod u+w {path.name}, and run again)")
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
            if path.exists():
                os.chmod(tmp, path.stat().st_mode & 0o7777)
            else:
                os.chmod(tmp, 0o666 & ~_umask())
        finally:
            os.close(fd)
        os.replace(tmp, path)
        tmp = None
        _fsync_dir(path.parent)
    except OSError as err:
        detail = err.strerror or str(err)
        why = _WHY.get(err.errno, detail)
        if why.lower() != detail.lower():
            why += f" ({detail})"
        raise WriteError(f"{path}: not written — {why}; the file is unchanged "
                         "(free space or fix the permissions of the file and its folder, then run again)") from err
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (best effort: not every system can open a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
