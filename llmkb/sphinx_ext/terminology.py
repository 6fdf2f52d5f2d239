"""One term per concept: the glossary names each canonical term and its other spellings.

A glossary entry may end its definition with a sentence listing the spellings the book does not
use for that concept, e.g. under ``KV 缓存``::

    本书不写作：键值缓存、KV Cache。

Readers learn what other texts call the concept; ``llmkb check`` and the strict build flag every
such spelling in a page's prose, with the page, the line and the glossary's term. A spelling is
allowed right after the canonical term, inside its parentheses (``词元（token）``), which is how a
page introduces the English word — and so right after a glossary term built on the canonical one
(``{term}`词元丢弃`（Token Dropping）``), whose English name contains the word; code, formulas, link targets, roles' targets and directive
options are not prose and are never flagged.

The first time a page links a term (``{term}`低秩适配```), its English name follows in
parentheses, as the contributor guide asks: ``{term}`低秩适配`（Low-Rank Adaptation，LoRA）``, or inside
the parentheses the term itself stands in (``偏爱先出现的回答（{term}`位置偏差`，Position Bias）``).
Any of the glossary's English names for the term will do (the long name or the abbreviation it
gives in parentheses); later links need nothing (``first_links``).

The glossary is a landing page and its parts, one page per range of initial letters of the
English names (``appendix/glossary/a-c.md`` …): a single page passed 600 terms and 4,800 HTML elements,
and no page a reader opens may pass 5,000. The checks read the parts joined (``join``) and report
each problem at its part's own line; an entry in the wrong part is a problem too (``check_placement``).

Plain functions only: ``rules`` reads the glossary, ``scan`` reads one page; the build
(``llmkb.sphinx_ext.extension``) and the command line (``llmkb.sphinx_ext.page_source``) both call them.
The command line also scans the refs.bib fields shown beside each paper (summary, kind, limitation).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, TypeVar

N = TypeVar("N")  # what check_book hands back with each finding

#: The glossary's landing page (a docname, relative to docs/); its parts are the pages of the folder
#: of the same name, each named by the first and last initial it holds (``a-c``).
GLOSSARY_DOC = "appendix/glossary"
_PART_NAME = re.compile(r"^(?P<first>[a-z])-(?P<last>[a-z])$")

_OTHER_SPELLINGS = re.compile(r"本书不写作：(?P<variants>[^。\n]+)。")
_TERM_LINE = re.compile(r"^(?P<term>\S[^\n]*?)\s*$")


@dataclass(frozen=True)
class Rule:
    canonical: str
    variant: str
    line: int  # where the glossary lists the variant

    def pattern(self) -> re.Pattern[str]:
        """Latin spellings match as whole words, in any case; Chinese ones as written."""
        word = re.escape(self.variant).replace(r"\ ", r"\s+")
        if re.search(r"[A-Za-z]", self.variant):
            return re.compile(rf"(?<![A-Za-z0-9_\-]){word}(?![A-Za-z0-9_\-])", re.I)
        return re.compile(word)


@dataclass(frozen=True)
class Finding:
    line: int
    variant: str  # as written on the page
    canonical: str

    def message(self) -> str:
        return f"non-canonical term '{self.variant}': the glossary's term is '{self.canonical}'"

    def fix(self) -> str:
        if re.search(r"[A-Za-z]", self.variant) and not re.search(r"[A-Za-z]", self.canonical):
            return (f"write '{self.canonical}' (the English word may follow it in parentheses: "
                    f"{self.canonical}（{self.variant}）)")
        return f"write '{self.canonical}'"


def rules(glossary_text: str) -> list[Rule]:
    """The other spellings each glossary term lists, in glossary order."""
    out: list[Rule] = []
    term = ""
    for number, line in _entry_lines(glossary_text):
        if _is_term_line(line):
            m = _TERM_LINE.match(line)
            term = m["term"] if m else term
            continue
        m = _OTHER_SPELLINGS.search(line)
        if m and term:
            for variant in re.split(r"[、，,]", m["variants"]):
                if variant.strip():
                    out.append(Rule(term, variant.strip(), number))
    return out


@dataclass(frozen=True)
class MissingEnglish:
    line: int
    term: str
    english: str  # the glossary's English name, as the fix suggests it

    def message(self) -> str:
        return f"first link to the glossary term '{self.term}' without its English name in parentheses"

    def fix(self) -> str:
        return f"write {{term}}`{self.term}`（{self.english}） here, as the glossary names it"


@dataclass(frozen=True)
class GlossaryError:
    """A problem in the glossary itself: at ``line`` of the joined parts, or, once ``check_book``
    has placed it, at ``line`` of the part ``doc``."""
    line: int
    message: str
    fix: str
    doc: str = ""

    def __str__(self) -> str:
        return f"line {self.line}: {self.message} — {self.fix}"


def is_part(docname: str) -> bool:
    """Is ``docname`` one of the glossary's parts?"""
    return docname.startswith(f"{GLOSSARY_DOC}/")


def part_paths(docs: Path) -> list[Path]:
    """The glossary's parts under ``docs``, in the order of their letters."""
    return sorted((docs / GLOSSARY_DOC).glob("*.md"))


@dataclass(frozen=True)
class Glossary:
    """The glossary's parts read as one text, and where each of its lines came from."""
    text: str
    parts: tuple[tuple[str, int, int], ...]  # (part's name, its first line in text, its line count)

    def where(self, line: int) -> tuple[str, int]:
        """(part, line in that part) of a line of ``text``."""
        for name, start, count in self.parts:
            if start <= line < start + count:
                return name, line - start + 1
        return (self.parts[-1][0], line) if self.parts else ("", line)


def read(docs: Path) -> Glossary | None:
    """The glossary's parts under ``docs``, joined and named by their paths; None if it has none
    (a partial project, e.g. a test root)."""
    paths = part_paths(docs)
    return join((str(path), path.read_text(encoding="utf-8")) for path in paths) if paths else None


def join(parts: Iterable[tuple[str, str]]) -> Glossary:
    """``parts``: (name, text) of each part, in order. A part that leaves a ``:::{glossary}``
    block open would run on into the next; the strict build reports the unclosed block itself."""
    lines: list[str] = []
    spans = []
    for name, text in parts:
        own = text.splitlines()
        spans.append((name, len(lines) + 1, len(own)))
        lines += own
    return Glossary("\n".join(lines) + "\n", tuple(spans))


def english_names(glossary_text: str) -> dict[str, tuple[str, ...]]:
    """Each term's English names: the name that opens its definition and the abbreviations in its
    parentheses (``Low-Rank Adaptation（LoRA）。…`` → ("Low-Rank Adaptation", "LoRA"))."""
    out: dict[str, tuple[str, ...]] = {}
    term = ""
    for _, line in _entry_lines(glossary_text):
        if _is_term_line(line):
            m = _TERM_LINE.match(line)
            term = m["term"] if m else ""
        elif term and line.strip() and term not in out:
            out[term] = definition_names(line)
    return out


def definition_names(definition: str) -> tuple[str, ...]:
    """The English names that open one definition: its name, then the abbreviations in the
    parentheses that end the first sentence (``Retrieval-Augmented Generation（RAG）。…`` →
    ("Retrieval-Augmented Generation", "RAG")). Empty if the definition opens with no name."""
    head = definition.strip().split("。", 1)[0]
    m = re.match(r"^(?P<name>.*?)（(?P<short>[^）]*)）$", head)
    names = [m["name"], *re.split(r"[，,、]", m["short"])] if m else [head]
    return tuple(n.strip() for n in names if n.strip())


#: pages whose links to terms need no English name: the changelog and the errata name terms to say
#: what changed (a docname, or the end of a page's path without .md)
FIRST_LINK_EXEMPT = ("appendix/changelog", "appendix/errata")

_TERM_ROLE = re.compile(r"\{term\}`(?P<text>[^`<]*?)(?:\s*<(?P<target>[^>`]+)>)?`")


def _squash(s: str) -> str:
    """For comparing English names: case, spaces and hyphens do not count."""
    return re.sub(r"[\s\-‐–]", "", s).lower()


def _first_link_roles(text: str, names: dict[str, tuple[str, ...]], body: str) -> dict[str, re.Match]:
    """Each glossary term's first link on the page, in page order: a real ``{term}`` role (one in
    code is blanked in ``body``, a real one keeps its prefix), not in a heading."""
    first: dict[str, re.Match] = {}
    for m in _TERM_ROLE.finditer(text):
        term = (m["target"] or m["text"]).strip()
        if term in first or term not in names or body[m.start():m.start() + 6] != "{term}":
            continue
        if text[text.rfind("\n", 0, m.start()) + 1:].startswith("#"):
            continue  # a heading: the rules hold for the first link in the text
        first[term] = m
    return first


def first_links(text: str, names: dict[str, tuple[str, ...]], body: str | None = None) -> list[MissingEnglish]:
    """Glossary terms whose first link on the page (outside headings) is not followed by, or
    inside, parentheses holding one of the term's English names. Terms without Chinese
    characters (``pass@k``) are their own English name; a link inside code is not a link.
    ``body``: ``prose(text)``, when the caller has it already."""
    body = prose(text) if body is None else body
    out = []
    for term, m in _first_link_roles(text, names, body).items():
        if not re.search(r"[\u4e00-\u9fff]", term):
            continue
        paren = _following_parenthesis(text, m.end()) or _enclosing_parenthesis(text, m.start())
        if paren is not None and any(_squash(n) in _squash(paren) for n in names[term]):
            continue
        out.append(MissingEnglish(text.count("\n", 0, m.start()) + 1, term, _suggest(names[term])))
    return out


@dataclass(frozen=True)
class UnnamedMention:
    """A glossary term the page links, first mentioned earlier without its English name."""
    line: int
    term: str
    english: str
    link_line: int  # where the page first links it

    def message(self) -> str:
        return (f"first mention of the glossary term '{self.term}' without its English name "
                f"(the page first links it on line {self.link_line})")

    def fix(self) -> str:
        return (f"give the English name here, {self.term}（{self.english}）, or move the page's first "
                f"link here with it")


def longer_terms(names: dict[str, tuple[str, ...]]) -> dict[str, list[tuple[str, int]]]:
    """For each term, the longer terms that contain it, with where: {'词元': [('词元丢弃', 0), …]}."""
    return {term: _containing(term, names) for term in names}


def _containing(term: str, names: Iterable[str]) -> list[tuple[str, int]]:
    return [(t, k) for t in names if t != term and term in t for k in _offsets(t, term)]


def first_mentions(text: str, names: dict[str, tuple[str, ...]], body: str | None = None,
                   longer: dict[str, list[tuple[str, int]]] | None = None) -> list[UnnamedMention]:
    """Terms the page links whose first mention in its prose comes before the first link and has no
    English name in parentheses: a reader meets the term there, so the name belongs there (and
    the link with it). Headings, code and formulas do not count; neither does a mention inside a
    longer glossary term (词元 in 词元丢弃), one in the page's introduction (it previews the
    page) or one in the paragraph that links the term. ``body``: ``prose(text)``,
    and ``longer``: ``longer_terms(names)``, when the caller has them."""
    body = prose(text) if body is None else body
    heading_lines = {n for n, line in enumerate(text.split("\n"), start=1) if line.startswith("#")}
    line_of = lambda pos: text.count("\n", 0, pos) + 1  # noqa: E731
    preview = _opening_paragraph_end(text)
    out = []
    for term, role in _first_link_roles(text, names, body).items():
        if not re.search(r"[\u4e00-\u9fff]", term):
            continue
        link = role.start()
        containing = longer[term] if longer is not None else _containing(term, names)
        for m in re.finditer(re.escape(term), body[:link]):
            if line_of(m.start()) in heading_lines or m.start() < preview:
                continue
            if "\n\n" not in text[m.start():link]:
                break  # the link is in the same paragraph: the reader meets its name a line later
            if any(body[m.start() - k:m.start() - k + len(t)] == t for t, k in containing):
                continue
            paren = _following_parenthesis(text, m.end()) or _enclosing_parenthesis(text, m.start())
            if paren is None or not any(_squash(n) in _squash(paren) for n in names[term]):
                out.append(UnnamedMention(line_of(m.start()), term, _suggest(names[term]), line_of(link)))
            break
    return sorted(out, key=lambda f: (f.line, f.term))


def _opening_paragraph_end(text: str) -> int:
    """Where the page's introduction ends: the text between its title and its first section (or,
    on a page without sections, the paragraph under the title). It previews the page and names
    what is to come; a term is introduced where the page explains it. 0 without a title."""
    title = re.search(r"^# .*$", text, re.M)
    if not title:
        return 0
    section = re.search(r"^## ", text[title.end():], re.M)
    if section:
        return title.end() + section.start()
    end = text.find("\n\n", title.end() + 1)
    return len(text) if end < 0 else end


def _offsets(haystack: str, needle: str) -> list[int]:
    return [i for i in range(len(haystack)) if haystack.startswith(needle, i)]


def _suggest(names: tuple[str, ...]) -> str:
    latin = [n for n in names if not re.search(r"[\u4e00-\u9fff]", n)] or list(names)
    return "，".join(latin)


def _following_parenthesis(text: str, end: int) -> str | None:
    """The parenthetical right after a role (bold or italic marks between allowed)."""
    j = end
    while text[j:j + 1] == "*":
        j += 1
    if text[j:j + 1] not in ("（", "("):
        return None
    close = text.find("）" if text[j] == "（" else ")", j)
    return text[j + 1:close] if close > 0 else None


def _enclosing_parenthesis(text: str, start: int) -> str | None:
    """The parenthetical a role stands in, on its line: （{term}`位置偏差`，Position Bias）."""
    line_start = text.rfind("\n", 0, start) + 1
    opening = text.rfind("（", line_start, start)
    if opening < 0 or text.rfind("）", opening, start) >= 0:
        return None
    close = text.find("）", start)
    return text[opening + 1:close] if close > 0 else None


def terms(glossary_text: str) -> list[str]:
    """Every term the glossary defines, in glossary order."""
    return [m["term"] for _, line in _entry_lines(glossary_text)
            if _is_term_line(line) and (m := _TERM_LINE.match(line))]


def _entry_lines(glossary_text: str) -> Iterator[tuple[int, str]]:
    """(line number, line) inside the page's ``:::{glossary}`` blocks: the introduction above the
    block is prose, and its unindented lines were once taken for terms."""
    inside = False
    for number, line in enumerate(glossary_text.splitlines(), start=1):
        if line.startswith(":::"):
            inside = line.startswith(":::{glossary}")
            continue
        if inside:
            yield number, line


def _is_term_line(line: str) -> bool:
    """A glossary line that names a term: unindented, and not a directive option or comment."""
    return bool(line) and not line[0].isspace() and not line.startswith((":", "%"))


def check_rules(found: list[Rule]) -> list[GlossaryError]:
    """Contradictions in the glossary itself: a variant that is also a term, or claimed twice."""
    terms = {r.canonical for r in found}
    seen: dict[str, str] = {}
    errors = []
    for r in found:
        if r.variant in terms:
            errors.append(GlossaryError(r.line, f"'{r.variant}' is listed as another spelling of "
                                        f"'{r.canonical}' but is a glossary term of its own",
                                        "merge the two entries"))
        elif seen.setdefault(r.variant.lower(), r.canonical) != r.canonical:
            errors.append(GlossaryError(r.line, f"'{r.variant}' is listed under both "
                                        f"'{seen[r.variant.lower()]}' and '{r.canonical}'",
                                        "each concept has one entry; list other spellings once"))
    return errors


def check_order(glossary_text: str, names: dict[str, tuple[str, ...]] | None = None) -> list[GlossaryError]:
    """Entries out of the glossary's order: by English name, ignoring case (digits first; a
    space sorts before a hyphen, so 'Byte Pair Encoding' precedes 'Byte-level BPE'). A reader
    looks a term up by its English name, and a contributor adds one where the order says.
    ``names``: ``english_names(glossary_text)``, when the caller has it already."""
    names = english_names(glossary_text) if names is None else names
    entries = [(number, m["term"]) for number, line in _entry_lines(glossary_text)
               if _is_term_line(line) and (m := _TERM_LINE.match(line)) and m["term"] in names]
    errors = []
    for (_, before), (number, term) in zip(entries, entries[1:]):
        if names[term][0].casefold() < names[before][0].casefold():
            errors.append(GlossaryError(
                number, f"'{term}' ({names[term][0]}) is after '{before}' ({names[before][0]}), but the "
                "glossary is in the order of the English names, ignoring case",
                "move the entry up to its place in that order"))
    return errors


# Parts of a MyST page that are not prose. Each is blanked (keeping its newlines, so line
# numbers stay right) before the page is scanned.
_NOT_PROSE = re.compile(
    r"\A---\n.*?\n---\n"                                # front matter
    r"|^(?P<fence>`{3,}|~{3,})(?!\{).*?^(?P=fence)[ \t]*$"  # code blocks (not directives)
    r"|^(`{3,}|:{3,})\{(?:math|code-block|code)\}.*?^\1[ \t]*$"  # math and code directives
    r"|\$\$.*?\$\$|\$[^$\n]+\$"                         # formulas
    r"|``[^`]+``|`[^`\n]+`"                            # inline code and roles' targets
    r"|\]\([^)\n]*\)"                                   # link targets
    r"|<!--.*?-->|<[^>\n]+>"                             # HTML comments and tags
    r"|^[ \t]*:[A-Za-z0-9_-]+:[^\n]*$"                  # directive options (one line each)
    r"|^\([^)\n]+\)=[ \t]*$",                           # labels
    re.S | re.M,
)


def prose(text: str) -> str:
    """``text`` with everything that is not prose replaced by spaces (newlines kept)."""
    return _NOT_PROSE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def scan(text: str, found: list[Rule], defined: Iterable[str] = (), body: str | None = None) -> list[Finding]:
    """Every non-canonical spelling in a page's prose, in page order. ``defined``: the glossary's
    terms (``terms``); those built on a canonical term may be followed by its spelling too.
    ``body``: ``prose(text)``, when the caller has it already."""
    body = prose(text) if body is None else body
    defined = list(defined)
    out = []
    for rule in found:
        heads = [rule.canonical, *(t for t in defined if rule.canonical in t and t != rule.canonical)]
        for m in rule.pattern().finditer(body):
            if any(_introduced(text, body, m.start(), head) for head in heads):
                continue
            out.append(Finding(body.count("\n", 0, m.start()) + 1, m.group(0), rule.canonical))
    return sorted(out, key=lambda f: (f.line, f.variant))


def _introduced(text: str, body: str, start: int, canonical: str) -> bool:
    """Is the spelling inside the parentheses that follow the canonical term, as in 词元（token）
    or {term}`词元`（token）?"""
    opening = max(body.rfind("（", 0, start), body.rfind("(", 0, start))
    if opening < 0 or max(body.rfind("）", opening, start), body.rfind(")", opening, start)) >= 0:
        return False
    before = text[:opening].rstrip()
    return before.endswith(canonical) or before.endswith(f"{canonical}`")


def check_book(glossary: str | Glossary, pages: Iterable[tuple[N, str]]) -> tuple[list[GlossaryError], list[tuple[N, Finding]]]:
    """The glossary's own contradictions, and every (page, finding) in ``pages`` ((name, text)
    pairs, the glossary excluded by the caller): what the build warns and ``llmkb check`` reports.
    A name is whatever the caller needs back: a page's path, or (entry, field) for refs.bib.
    ``glossary``: the joined parts (each error then names its part and the line there), or one
    text (a part of no name, whose letters are not checked)."""
    joined = glossary if isinstance(glossary, Glossary) else join([("", glossary)])
    glossary_text = joined.text
    found, defined, names = rules(glossary_text), terms(glossary_text), english_names(glossary_text)
    longer = longer_terms(names)
    findings: list[tuple[N, Finding | MissingEnglish | UnnamedMention]] = []
    for name, text in pages:
        body = prose(text)  # both checks read the page's prose: one pass over it, not two
        page_findings: list[Finding | MissingEnglish | UnnamedMention] = scan(text, found, defined, body)
        if not str(name).removesuffix(".md").endswith(FIRST_LINK_EXEMPT):
            page_findings += first_links(text, names, body) + first_mentions(text, names, body, longer)
        findings += [(name, f) for f in sorted(page_findings, key=lambda f: f.line)]
    errors = (check_rules(found) + check_order(glossary_text, names) + check_paragraphs(glossary_text)
              + check_placement(joined, names))
    return [_placed(error, joined) for error in sorted(errors, key=lambda e: e.line)], findings


def _placed(error: GlossaryError, glossary: Glossary) -> GlossaryError:
    doc, line = glossary.where(error.line)
    return GlossaryError(line, error.message, error.fix, doc)


def check_paragraphs(glossary_text: str) -> list[GlossaryError]:
    """Entries with a second definition paragraph. Sphinx joins it to the first without a word,
    and two merged branches each adding the same term leave exactly this (seen: 精确率, 召回率)."""
    errors = []
    term, blank, paragraphs = "", False, 0
    for number, line in _entry_lines(glossary_text):
        if _is_term_line(line):
            m = _TERM_LINE.match(line)
            term, blank, paragraphs = (m["term"] if m else ""), False, 0
        elif not line.strip():
            blank = True
        elif term:
            if paragraphs == 0 or blank:
                paragraphs += 1
                if paragraphs == 2:
                    errors.append(GlossaryError(number, f"'{term}' has a second definition paragraph",
                                                "a term has one definition: merge the two paragraphs into one"))
            blank = False
    return errors


def part_letters(name: str) -> tuple[str, str] | None:
    """The first and last initial a part holds, from its name (``.../d-l.md`` → ("d", "l"))."""
    m = _PART_NAME.match(Path(name).stem)
    return (m["first"], m["last"]) if m else None


def check_placement(glossary: Glossary, names: dict[str, tuple[str, ...]]) -> list[GlossaryError]:
    """Entries in the wrong part: a part holds the English names whose initial is in its letters;
    names that begin with a digit or sign go to the first part. Parts with no name (one text)
    are not checked."""
    parts = [(name, start, part_letters(name)) for name, start, _ in glossary.parts if name]
    errors = [GlossaryError(start, f"glossary page '{Path(name).name}' is not named by its letters",
                            "name it by the first and last initial of its English names, e.g. a-c.md")
              for name, start, letters in parts if letters is None]
    ranged = [(name, letters) for name, _, letters in parts if letters]
    if not ranged or errors:
        return errors

    def home(initial: str) -> str | None:
        if not ("a" <= initial <= "z"):
            return ranged[0][0]
        return next((name for name, (first, last) in ranged if first <= initial <= last), None)

    for number, line in _entry_lines(glossary.text):
        m = _TERM_LINE.match(line) if _is_term_line(line) else None
        if not m or m["term"] not in names or not names[m["term"]]:
            continue
        english = names[m["term"]][0]
        here, target = glossary.where(number)[0], home(english[:1].casefold())
        if target is None:
            errors.append(GlossaryError(number, f"no glossary page holds English names beginning with "
                                        f"'{english[:1]}' ({m['term']}, {english})",
                                        "rename a page of appendix/glossary/ so that its letters include it"))
        elif target != here:
            errors.append(GlossaryError(number, f"'{m['term']}' ({english}) is on the glossary page "
                                        f"'{Path(here).name}', but its English name belongs on '{Path(target).name}'",
                                        f"move the entry to {Path(target).name}, in the order of the English names"))
    return errors
