"""One canonical form for refs.bib: ``python -m llmkb fmt [--check]``.

The canonical form:

* entries stay in file order (new papers are appended; the order is the history of the file);
* each entry is ``@type{key,``, then one field per line as ``  name = {value},`` (two spaces),
  then ``}``; fields follow ``schema.FIELD_ORDER``, fields the schema does not know keep
  their order after the known ones; names are spelled as ``schema.spelled`` says;
* values are kept byte for byte (quoted ``"..."`` and bare numbers become ``{...}``);
* ``%`` comment lines stay where they were: the file header stays at the top, a comment
  written right above an entry stays right above it; comment paragraphs and entries are
  separated by exactly one blank line, and the file ends with one newline.

Formatting never loses data: a file with syntax problems is refused, not rewritten.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import schema as S
from .file import BibFile, RawEntry, parse_text


def field_order(names: list[str]) -> list[str]:
    """Known fields in canonical order, then unknown fields in their original order."""
    rank = {name: i for i, name in enumerate(S.FIELD_ORDER)}
    known = sorted((n for n in names if n in rank), key=rank.__getitem__)
    return known + [n for n in names if n not in rank]


def format_entry(entry: RawEntry) -> str:
    """One entry in canonical form, ending with a newline."""
    lines = [f"@{entry.type}{{{entry.key},"]
    for name in field_order(list(entry.fields)):
        lines.append(f"  {S.spelled(name)} = {{{entry.fields[name]}}},")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _paragraphs(lines: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """Group comment lines into runs of consecutive line numbers."""
    out: list[list[tuple[int, str]]] = []
    for line, text in lines:
        if out and out[-1][-1][0] == line - 1:
            out[-1].append((line, text))
        else:
            out.append([(line, text)])
    return out


def format_bib(bib: BibFile) -> str:
    """The whole file in canonical form. The file must have no syntax problems."""
    if bib.problems:
        raise ValueError(f"{bib.path}: has syntax problems; refusing to format")
    blocks: list[str] = []
    comments = sorted(bib.comments)
    i = 0
    for entry in bib.entries:
        before = []
        while i < len(comments) and comments[i][0] < entry.line:
            before.append(comments[i])
            i += 1
        block = ""
        for para in _paragraphs(before):
            text = "".join(c + "\n" for _, c in para)
            if para[-1][0] == entry.line - 1:
                block = text  # written right above the entry: stays attached to it
            else:
                blocks.append(text)
        blocks.append(block + format_entry(entry))
    for para in _paragraphs(comments[i:]):
        blocks.append("".join(c + "\n" for _, c in para))
    out = "\n".join(blocks)
    _same_meaning(bib, out)
    return out


def _same_meaning(bib: BibFile, out: str) -> None:
    """fmt changes layout, never data: read the new text back and compare every entry's type,
    key and field values with the old. ValueError (and nothing written) if any differs, e.g. a
    quoted value whose braces would mean something else inside {...}."""
    again = parse_text(out, bib.path)
    before = [(e.type, e.key, e.fields) for e in bib.entries]
    after = [(e.type, e.key, e.fields) for e in again.entries]
    if again.problems or before != after:
        bad = next((b for b, a in zip(before, after) if b != a), before[len(after)] if len(after) < len(before) else None)
        where = f"entry {bad[1]!r}" if bad else (f"line {again.problems[0].line}" if again.problems else "the file")
        raise ValueError(f"{bib.path}: not formatted — the canonical form of {where} would read back differently "
                         "(fmt never changes what the data means); fix it by hand, then run `llmkb check`")


@dataclass(frozen=True)
class Change:
    line: int
    key: str

    def describe(self, path: str) -> str:
        what = "blank lines or comment layout differ" if self.key == "-" else "not in canonical form"
        return f"{path}:{self.line}: {self.key}: {what} — run `python -m llmkb fmt`"


def changes(bib: BibFile, text: str) -> list[Change]:
    """What ``fmt`` would change: the entries it rewrites, or the layout between them."""
    out = [Change(e.line, e.key) for e in bib.entries if e.text + "\n" != format_entry(e)]
    if not out and format_bib(bib) != text:
        out.append(Change(1, "-"))  # only blank lines or comment indentation differ
    return out
