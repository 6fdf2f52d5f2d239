"""The schema of refs.bib, defined in this one place.

Standard BibTeX fields are what a reader's LaTeX needs; the project's own fields
(``PROJECT_FIELDS``) drive the book (topics, display venue, kind of work, code link,
first-version date) and are stripped from every export.
"""

from __future__ import annotations

import datetime
import re

#: Entry types the book accepts, with the standard fields each one needs.
REQUIRED_BY_TYPE: dict[str, tuple[str, ...]] = {
    "article": ("journal",),
    "inproceedings": ("booktitle",),
    "techreport": ("institution",),
}

#: Fields every entry needs, whatever its type.
REQUIRED_COMMON: tuple[str, ...] = (
    "title", "author", "year", "date", "url", "keywords", "kind", "shortvenue",
    # where the metadata was read: every entry's title, authors, date and venue come from a public
    # page someone looked at (never from memory), and the next editor can look there again
    "provenance",
)

#: Standard BibTeX fields, in canonical order; exports keep only these.
STANDARD_FIELDS: tuple[str, ...] = (
    "title", "author", "editor", "booktitle", "journal", "institution", "volume",
    "number", "pages", "publisher", "address", "month", "year", "eprint",
    "archiveprefix", "primaryclass", "doi", "url", "note",
)

#: The project's own fields, in canonical order. What each one means:
PROJECT_FIELDS: dict[str, str] = {
    "date": "first public version, YYYY-MM-DD (YYYY-MM or YYYY when no public record gives the day)",
    "code": "official code URL",
    "keywords": "comma-separated topic ids from llmkb/bib/topics.py",
    "tags": "comma-separated tag ids of those topics (sub-tables)",
    "kind": "short Chinese description of the kind of work (the seeds' 类型)",
    "shortname": "the name the book shows for the paper in relation links and lineage graphs, when the "
                 "title's head is not it, e.g. 3DGS (optional; at most SHORTNAME_MAX characters)",
    "shortvenue": "short display venue, e.g. NeurIPS 2022, Findings of ACL 2024, arXiv",
    "provenance": "the public source(s) the metadata was read from, and when, "
                  "e.g. 'arXiv abs 2104.09864 (v1 2021-04-20, v5 title); checked 2026-12-04'",
    "added": "the day the entry was added to refs.bib, YYYY-MM-DD (set by `llmkb add`; "
             "the 最近收录 page and the Atom feed list entries by it)",
    # the per-paper notes (issue 18), in the book's own words, checked against the paper
    "summary": "一句话总结: what the paper does and its main result, 40-80 Han characters, in Chinese",
    "contribution": "贡献: the paper's contribution in one Chinese sentence (optional)",
    "limitation": "局限: its main limitation in one Chinese sentence (optional)",
    "relations": "how it relates to other entries: 'relation:key; relation:key', relation one of "
                 "基于 (builds on), 改进 (improves), 对比 (compares with / answers), e.g. '改进:hu2021lora'",
}

#: Canonical order of all fields (standard first, then the project's).
FIELD_ORDER: tuple[str, ...] = STANDARD_FIELDS[:13] + ("date",) + STANDARD_FIELDS[13:] + tuple(
    f for f in PROJECT_FIELDS if f != "date"
)

#: How field names are spelled on output (BibTeX itself ignores case).
FIELD_SPELLING: dict[str, str] = {"archiveprefix": "archivePrefix", "primaryclass": "primaryClass"}

#: Fields whose values are URLs or identifiers, never LaTeX text.
VERBATIM_FIELDS: frozenset[str] = frozenset({"url", "code", "doi", "eprint"})

#: Key style: family name of the first author, year of the first public version,
#: first significant word of the title; lowercase ASCII letters and digits only.
KEY_STYLE = re.compile(r"^(?P<name>[a-z]+)(?P<year>(?:19|20)\d\d)(?P<word>[a-z0-9]+)$")
KEY_STYLE_HELP = "<family name><year of first version><first title word>, lowercase ASCII, e.g. hu2021lora"

DATE_STYLE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: ``date`` is as precise as the public records are: a day, or only the month or the year when no
#: record shows the day (an arXiv identifier names the month a paper was first announced, which can
#: be after the day it was submitted). A vaguer date sorts before the days it covers.
FIRST_VERSION_STYLE = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$")
#: what an entry's provenance says when its ``date`` gives no day, with what was searched
DAY_UNKNOWN = "day unknown"
YEAR_STYLE = re.compile(r"^(?:19|20)\d\d$")
ARXIV_ID = re.compile(r"^(?:\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})$")
URL_STYLE = re.compile(r"^https?://[^\s{}]+$")
DOI_STYLE = re.compile(r"^10\.\d{4,9}/\S+$")

#: the longest ``shortname``: what a lineage-graph box and a relation link hold (the title-head rule's 24)
SHORTNAME_MAX = 24

KNOWN_FIELDS: frozenset[str] = frozenset(STANDARD_FIELDS) | frozenset(PROJECT_FIELDS)


def spelled(field: str) -> str:
    """The canonical spelling of a (lowercase) field name."""
    return FIELD_SPELLING.get(field, field)


def split_list(value: str) -> list[str]:
    """Split a comma-separated field (keywords, tags) into clean items."""
    return [item.strip() for item in value.split(",") if item.strip()]


# --- what a text field may hold ----------------------------------------------------------------
# Every field that is not in VERBATIM_FIELDS is LaTeX text: it goes into citers' documents through
# `llmkb export` and the per-page .bib downloads, and into the book's HTML through pybtex. So it
# may hold only the TeX below; anything else (\input{/etc/hostname}, \end{document}, \def, \url,
# ^^5c ...) reads files, breaks compiles or makes links, and `llmkb check` rejects it.
#
# * Braces {…} (protect capitals, group), the tie ~.
# * Escaped special characters: \& \% \_ \# \$ \{ \}.
# * Accents on a letter or a group: \"o \'e \`a \^o \~n \=a \.z \u{a} \v{s} \H{o} \c{c} \d{a}
#   \b{a} \k{a} \r{a} \t{oo}, written bare or braced ({\"o}, \'{e}).
# * The letters and text commands in TEX_TEXT_COMMANDS.
# * Inline math $…$ holding letters, digits, ^ _ and the commands of TEX_TEXT_COMMANDS and
#   TEX_MATH_COMMANDS (no ^^, TeX's way of spelling any character, \ included).
# Outside math, & # ^ _ $ must be escaped (LaTeX stops on them); a link belongs in url or code.
TEX_ACCENTS = frozenset("\"'`^~=.") | frozenset({"u", "v", "H", "c", "d", "b", "k", "r", "t"})
TEX_ESCAPES = frozenset("&%_#${}")
TEX_TEXT_COMMANDS: frozenset[str] = frozenset("""
i j o O l L ss ae AE oe OE aa AA
textendash textemdash textquoteleft textquoteright textquotedblleft textquotedblright
ldots dots textbar textasciitilde textasciicircum textbackslash textunderscore
textbraceleft textbraceright textless textgreater textperiodcentered textbullet textdagger
textregistered texttrademark textcopyright textdegree
emph textit textbf texttt textsc textsf textrm textsuperscript textsubscript
""".split())
TEX_MATH_COMMANDS: frozenset[str] = frozenset("""
alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi pi
varpi rho varrho sigma tau upsilon phi varphi chi psi omega
Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega
mathcal mathbf mathrm mathit mathbb mathsf boldsymbol sqrt frac log exp min max
times cdot cdots ldots infty leq geq le ge neq approx sim pm mp to rightarrow leftarrow in
ell partial nabla sum prod int star circ ast mid
""".split())
#: Fields the TeX rules above do not apply to: identifiers and URLs, and provenance, a note for
#: maintainers that holds paths and addresses (config_671B.json) and is never exported or shown.
NOT_TEX_FIELDS: frozenset[str] = VERBATIM_FIELDS | {"provenance"}
#: Text commands that make links: never in a text field, whatever the target.
TEX_LINK_COMMANDS = frozenset({"url", "href"})


def first_version_span(date: str) -> tuple[datetime.date, datetime.date]:
    """The first and the last day a ``date`` field allows: the day itself, or the whole month or
    year when the records give no day. ValueError when it is none of the three forms."""
    m = FIRST_VERSION_STYLE.match(date)
    if not m:
        raise ValueError(f"malformed date {date!r}")
    year = int(m["year"])
    if m["day"]:
        day = datetime.date.fromisoformat(date)
        return day, day
    if m["month"]:
        month = int(m["month"])
        first = datetime.date(year, month, 1)  # ValueError for a month outside 1-12
        following = datetime.date(year + month // 12, month % 12 + 1, 1)
        return first, following - datetime.timedelta(days=1)
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
