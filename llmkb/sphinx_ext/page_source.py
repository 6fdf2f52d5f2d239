"""The llmkb directives and citations as written in a MyST page, read without building.

``llmkb check`` uses this to answer, in a second, what the Sphinx build answers from doctrees:
which entries the pages show (``shown_keys``) and which directive options are misspelled
(``check_pages``). One reader of the fences for both, so they cannot disagree on what a
``paper-table`` looks like.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from ..bib.check import Problem
from ..bib.papers import Paper
from ..search import user_dict as search_dict
from . import paper_table, terminology

_FENCE = re.compile(r"^[ \t]*(?::{3,}|`{3,})\{(?P<name>paper-table|paper-index)\}[^\n]*\n"
                    r"(?P<body>(?:[ \t]*:[A-Za-z0-9_-]+:[^\n]*\n)*)", re.M)
_OPTION = re.compile(r"^[ \t]*:(?P<name>[A-Za-z0-9_-]+):[ \t]*(?P<value>[^\n]*)$", re.M)


@dataclass(frozen=True)
class Option:
    name: str
    value: str
    line: int  # 1-based, in the page


@dataclass(frozen=True)
class Directive:
    name: str  # paper-table or paper-index
    options: tuple[Option, ...]

    def get(self, name: str, default: str = "") -> str:
        """The value of the last ``:name:`` (as docutils keeps it)."""
        return next((o.value.strip() for o in reversed(self.options) if o.name == name), default)


_CODE_OPEN = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n]*)$", re.M)
_CODE_DIRECTIVES = ("{code-block}", "{code}", "{sourcecode}", "{literalinclude}")


def code_blocks(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of fenced code blocks: what they hold is shown, not parsed (the
    contributing guide shows a whole page, paper-table and all, inside a ````markdown fence)."""
    out, pos = [], 0
    closing: set[int] = set()  # where the fences of directives close
    while (m := _CODE_OPEN.search(text, pos)) is not None:
        if m.start() in closing:  # not a code block opening: a directive's fence closing
            pos = m.end()
            continue
        fence, info = m["fence"], m["info"].strip()
        close = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$", re.M).search(text, m.end())
        end = close.end() if close else len(text)
        if info.startswith("{") and not info.startswith(_CODE_DIRECTIVES):
            pos = m.end()  # a directive in a fence: its content is parsed
            if close:
                closing.add(close.start())
            continue
        out.append((m.start(), end))
        pos = end
    return out


def _in_code(offset: int, blocks: list[tuple[int, int]]) -> bool:
    return any(start <= offset < end for start, end in blocks)


def directives(text: str) -> Iterator[Directive]:
    blocks = code_blocks(text)
    for m in _FENCE.finditer(text):
        if _in_code(m.start(), blocks):
            continue
        first_line = text.count("\n", 0, m.start("body")) + 1
        body = m["body"]
        yield Directive(m["name"], tuple(
            Option(o["name"], o["value"], first_line + body.count("\n", 0, o.start()))
            for o in _OPTION.finditer(body)))


#: conf.py's myst_enable_extensions (tests/test_page_source.py keeps the two equal): dollarmath's
#: ``$…$`` and the colon fences decide, as in the build, what is a role and what is not
MYST_EXTENSIONS = ("dollarmath", "amsmath", "colon_fence", "deflist", "attrs_inline", "fieldlist", "substitution")
_CITE_ROLE = re.compile(r"cite(?::[a-z]+)?")


@functools.cache
def _markdown():
    """MyST's own Markdown parser (myst_parser.parsers.mdit), configured as conf.py configures it,
    whose role rule also records the line of each role within its paragraph."""
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    md = create_md_parser(MdParserConfig(enable_extensions=set(MYST_EXTENSIONS)), RendererHTML)
    rule = next(r.fn for r in md.inline.ruler.__rules__ if r.name == "myst_role")

    def role_with_line(state, silent: bool) -> bool:
        start = state.pos
        if not rule(state, silent):
            return False
        if not silent:
            state.tokens[-1].meta["line"] = state.src.count("\n", 0, start)
        return True

    md.inline.ruler.at("myst_role", role_with_line)
    return md


@functools.lru_cache(maxsize=128)
def _tokens(text: str) -> tuple[tuple[object, int], ...]:
    """(token, 1-based line) of the block tokens MyST makes of ``text``, and of the content of each
    directive whose content is parsed (a note, a dropdown), as the build's nested parse makes them;
    code blocks stay single tokens. Cached: `llmkb check` asks for a page's citations three times."""
    return tuple(_walk(text, 1))


def _walk(text: str, first_line: int) -> Iterator[tuple[object, int]]:
    for token in _markdown().parse(text):
        if token.map is None:
            continue
        line = first_line + token.map[0]
        yield token, line
        if token.type in ("fence", "colon_fence"):
            info = token.info.strip()
            if info.startswith("{") and not info.startswith(_CODE_DIRECTIVES):
                yield from _walk(token.content, line + 1)


def _roles(text: str) -> Iterator[tuple[str, str, int]]:
    """(name, content, 1-based line) of each role MyST finds in ``text``: not in inline code
    (`` `{cite}`key` ``), code blocks or math."""
    for token, line in _tokens(text):
        if token.type == "inline":
            for child in token.children or ():
                if child.type == "myst_role":
                    yield child.meta["name"], child.content, line + child.meta.get("line", 0)


def directive_lines(text: str, name: str) -> list[int]:
    """The 1-based lines where a ``{name}`` directive opens (in a fence or colon fence, not in code)."""
    return [line for token, line in _tokens(text)
            if token.type in ("fence", "colon_fence") and token.info.strip().startswith("{" + name + "}")]


def citations(text: str) -> Iterator[tuple[str, int]]:
    """(key, 1-based line) of every citation in a page, found as MyST finds roles."""
    for name, content, line in _roles(text):
        if _CITE_ROLE.fullmatch(name):
            for key in content.split(","):
                if key.strip():
                    yield key.strip(), line


def cited_keys(text: str) -> set[str]:
    return {key for key, _ in citations(text)}


def read_page(page: Path) -> tuple[str | None, Problem | None]:
    """A page's text, or why it cannot be read (a page saved as Latin-1 crashed `llmkb check`)."""
    try:
        return page.read_text(encoding="utf-8"), None
    except UnicodeDecodeError as err:
        data = page.read_bytes()
        line = data.count(b"\n", 0, err.start) + 1
        return None, Problem(str(page), line, "-", f"the page is not UTF-8 (byte 0x{data[err.start]:02x} on line {line})",
                             f"re-save {page.name} as UTF-8 (the build would replace the character with '?')")
    except OSError as err:
        return None, Problem(str(page), 1, "-", f"the page cannot be read ({err.strerror})",
                             "check the file's permissions")


def shown_keys(docs: Path, papers: Iterable[Paper]) -> set[str]:
    """Keys the topic pages under ``docs`` show in a paper table or cite."""
    papers = list(papers)
    shown: set[str] = set()
    for page in sorted(docs.rglob("*.md")):
        text, _ = read_page(page)
        if text is None:
            continue  # check_pages names it
        found = list(directives(text))
        if any(d.name == "paper-index" for d in found):
            continue  # the paper index shows everything; it proves nothing about topic pages
        for d in found:
            tags = d.get("tag").replace(",", " ").split()
            try:
                shown.update(p.key for p in paper_table.select(papers, d.get("topic"), tags))
            except (KeyError, paper_table.SelectionError):
                pass  # the build reports these with the page's location
        shown |= cited_keys(text)
    return shown


def allowed_options() -> dict[str, tuple[str, ...]]:
    """Each directive's option names, from the directives themselves (needs Sphinx)."""
    from .directives import PaperIndexDirective, PaperTableDirective

    return {"paper-table": tuple(sorted(PaperTableDirective.option_spec or {})),
            "paper-index": tuple(sorted(PaperIndexDirective.option_spec or {}))}


def check_text(text: str, path: str, allowed: dict[str, tuple[str, ...]]) -> list[Problem]:
    """Unknown options of the directives in one page (the build says "Unknown option key" too;
    this says which page, which line and the option meant)."""
    out = []
    for d in directives(text):
        names = allowed[d.name]
        for o in d.options:
            if o.name in names:
                continue
            close = difflib.get_close_matches(o.name, names, n=1)
            hint = f" (did you mean ':{close[0]}:'?)" if close else ""
            fix = ("allowed options: " + ", ".join(f":{n}:" for n in names)) if names else "it takes no options"
            out.append(Problem(path, o.line, d.name, f"unknown option ':{o.name}:'{hint}", fix))
    return out


def shown_path(path: Path, base: Path | None = None) -> str:
    """``path`` as a message names it: from ``base`` (the working directory unless given) when it
    is below it, else whole."""
    try:
        return str(path.relative_to(base if base is not None else Path.cwd()))
    except ValueError:
        return str(path)


def check_terms(docs: Path) -> list[Problem]:
    """Non-canonical spellings of the glossary's terms in the pages' prose (see ``terminology``)."""
    glossary = terminology.read(docs)
    if glossary is None:
        return []
    parts = set(terminology.part_paths(docs))
    # an unreadable page is reported by check_pages
    pages = ((str(page), text) for page in sorted(docs.rglob("*.md")) if page not in parts
             for text in [read_page(page)[0]] if text is not None)
    errors, findings = terminology.check_book(glossary, pages)
    repeats = search_dict.repeated(terminology.terms(glossary.text))
    return ([Problem(error.doc, error.line, "glossary", error.message, error.fix) for error in errors]
            + [Problem(page, f.line, "term", f.message(), f.fix()) for page, f in findings]
            + [Problem(shown_path(search_dict.TERMS_FILE), line, "search-term",
                       f"'{word}' is already a glossary term or a topic name, which the search dictionary reads itself",
                       "delete the line") for line, word in repeats])


#: refs.bib fields written in Chinese that reach the book's pages (paper tables, citation dialogs)
TERM_FIELDS = ("summary", "kind", "limitation")


def check_entry_terms(entries: Iterable, bib_path: str, docs: Path) -> list[Problem]:
    """Non-canonical spellings of the glossary's terms in the refs.bib fields a reader sees
    (``TERM_FIELDS``): a summary is shown in every paper table that lists the paper, so the
    glossary's rule holds there as on the pages. ``entries``: the file's RawEntry list."""
    glossary = terminology.read(docs)
    if glossary is None:
        return []
    fields = (((e, name), e.fields[name]) for e in entries for name in TERM_FIELDS if e.fields.get(name))
    # the glossary's own contradictions are check_terms' to report
    _, findings = terminology.check_book(glossary, fields)
    return [Problem(bib_path, e.field_lines.get(name, e.line) + f.line - 1, e.key,
                    f"field '{name}': {f.message()}", f.fix()) for (e, name), f in findings]


def check_selections(text: str, path: str, papers: list[Paper], keys: set[str]) -> list[Problem]:
    """What the build warns about a page's paper-tables and citations, found without building:
    an unknown topic or tag, a table that selects nothing, a cited key refs.bib does not hold."""
    out = []
    for d in directives(text):
        if d.name != "paper-table" or not d.get("topic"):
            continue  # a missing :topic: is an option problem the build names
        line = next(o.line for o in reversed(d.options) if o.name == "topic")
        tags = d.get("tag").replace(",", " ").split()
        try:
            paper_table.select(papers, d.get("topic"), tags)
        except KeyError as err:
            out.append(Problem(path, line, d.name, err.args[0].split("; ")[0],
                               "use a topic id from llmkb/bib/topics.py: " + err.args[0].split("known topics: ")[-1]))
        except paper_table.SelectionError as err:
            message, _, fix = str(err).partition("; ")
            if "has no tag" in message:
                line = next(o.line for o in reversed(d.options) if o.name == "tag")
            out.append(Problem(path, line, d.name, message, fix or "fix the options"))
    for key, line in citations(text):
        if key not in keys:
            close = difflib.get_close_matches(key, keys, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            out.append(Problem(path, line, "cite", f"unknown key '{key}'{hint}",
                               "cite a key of refs.bib, or add the entry first (python -m llmkb add)"))
    return out


#: the build's warning (extension.check_bibliographies) and llmkb check's problem
EMPTY_BIBLIOGRAPHY = "a bibliography, but the page's text cites no paper: it would list nothing"
EMPTY_BIBLIOGRAPHY_FIX = "remove the bibliography (and its heading) or cite a paper in the text"


#: a Markdown table's header row (the line above its | --- | separator) and a cell holding formulas only
_TABLE_HEAD = re.compile(r"^(?P<head>[ \t]*\|.*\|)[ \t]*\n[ \t]*\|[ \t]*:?-{3,}", re.M)
_ONLY_MATH = re.compile(r"(?:\$[^$\n]+\$\s*)+")


def check_table_headers(text: str, path: str) -> list[Problem]:
    """Table header cells that hold only a formula: the formula is drawn as an image, so a screen
    reader meets an empty header (axe's empty-table-header; the browser test caught three such
    tables in new pages). A word before the formula fixes it."""
    blocks = code_blocks(text)
    out = []
    for m in _TABLE_HEAD.finditer(text):
        if _in_code(m.start(), blocks):
            continue
        line = text.count("\n", 0, m.start()) + 1
        for cell in (c.strip() for c in m["head"].strip().strip("|").split("|")):
            if _ONLY_MATH.fullmatch(cell):
                out.append(Problem(path, line, "table", f"the header cell '{cell}' is only a formula, which a "
                                   "screen reader reads as an empty header",
                                   "put a word before the formula, e.g. '概率 $p$'"))
    return out


def check_bibliography(text: str, path: str) -> list[Problem]:
    """A bibliography on a page whose text cites nothing (the build stops on it: a strict build
    turns the warning llmkb.empty-bibliography into an error)."""
    if next(citations(text), None) is not None:
        return []
    return [Problem(path, line, "bibliography", EMPTY_BIBLIOGRAPHY, EMPTY_BIBLIOGRAPHY_FIX)
            for line in directive_lines(text, "bibliography")]


def check_prerequisites(docs: Path) -> list[Problem]:
    """What the build warns about the topic pages' ``prerequisites`` front matter (missing, an
    unknown page, the page itself, a cycle), from the same function (reading_paths)."""
    from ..bib import topics
    from . import reading_paths

    pages = sorted(docs.rglob("*.md"))
    found = {page.relative_to(docs).with_suffix("").as_posix() for page in pages}
    # an unreadable page is reported by check_pages
    sources = {t.page: docs / f"{t.page}.md" for t in topics.TOPICS
               if t.page in found and read_page(docs / f"{t.page}.md")[0] is not None}
    out = []
    for doc, line, problem in reading_paths.topic_page_problems(sources, found):
        message, _, fix = problem.rpartition(" — ")
        out.append(Problem(str(sources[doc]), line, reading_paths.FIELD, message, fix))
    return out


def check_pages(docs: Path, papers: Iterable[Paper] | None = None) -> list[Problem]:
    """Unknown options of paper-table / paper-index, non-canonical terms, bibliographies that would
    list nothing and the topic pages' prerequisites, on every page under ``docs``; with ``papers``
    (refs.bib read), also the selections and citations the build would warn about."""
    allowed = allowed_options()
    papers = list(papers) if papers is not None else None
    keys = {p.key for p in papers} if papers is not None else set()
    out: list[Problem] = []
    for page in sorted(docs.rglob("*.md")):
        text, unreadable = read_page(page)
        if text is None:
            out.append(unreadable)
            continue
        out += check_text(text, str(page), allowed)
        out += check_bibliography(text, str(page))
        out += check_table_headers(text, str(page))
        if papers is not None:
            out += check_selections(text, str(page), papers, keys)
    return out + check_prerequisites(docs) + check_terms(docs)
