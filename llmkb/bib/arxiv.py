"""``python -m llmkb add ARXIV_ID``: one arXiv paper into refs.bib, in canonical form.

The metadata comes from the arXiv API (an Atom feed), read with urllib and
xml.etree only. This and ``make linkcheck`` are the project's only network uses;
tests read recorded responses (``fetch=`` or the ``LLMKB_ARXIV_RESPONSE`` variable).
Nothing is written unless the new entry passes ``bib_check`` and is not already in
the file; then it is appended and no other byte of the file changes.
"""

from __future__ import annotations

import datetime
import http.client
import os
import re
import sys
import threading
import time
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from .. import __version__
from . import check as bib_check
from . import file as bibfile
from . import format as bib_format
from . import schema as S
from .papers import latex_to_text

API_URL = "https://export.arxiv.org/api/query?id_list={id}"
TIMEOUT_SECONDS = 20.0
#: The whole request, connect to last byte: a server that drips a byte every 19 s never trips the
#: per-read timeout above, and kept `add` waiting for ever.
DEADLINE_SECONDS = 60.0
#: An arXiv answer for one id is a few KB; anything this large is not one.
MAX_RESPONSE_BYTES = 2_000_000
#: Set to a file holding a saved API response to read it instead of the network.
RESPONSE_ENV = "LLMKB_ARXIV_RESPONSE"

_ATOM = "{http://www.w3.org/2005/Atom}"
_ARXIV = "{http://arxiv.org/schemas/atom}"

#: Title words the key style skips (lowercase).
STOPWORDS = frozenset("""
a an the on of in for to with and or at by from via is are be do does can what how why when
towards toward into through your our we you about
""".split())

#: Letters NFKD does not reduce to ASCII.
_TRANSLIT = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss",
                           "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "ı": "i"})
_PARTICLES = frozenset({"de", "van", "von", "der", "den", "del", "della", "da", "di", "du", "la", "le",
                        "dos", "das", "las", "ter", "ten"})
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})


class AddError(Exception):
    """Why nothing was added; str() is one line for stderr, ``details`` the lines that follow it
    (one per problem, when there are several)."""

    def __init__(self, message: str, details: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.details = tuple(details)


@dataclass(frozen=True)
class ArxivPaper:
    arxiv_id: str  # without version
    title: str  # plain text, whitespace collapsed
    authors: tuple[str, ...]  # as arXiv writes them: "Edward J. Hu"
    published: str  # first version, YYYY-MM-DD
    primary_category: str = ""
    journal_ref: str = ""
    doi: str = ""
    withdrawn: str = ""  # arXiv's words when the paper is withdrawn, else ""


#: How arXiv marks a withdrawn paper: its last version's abstract or comment says so.
_WITHDRAWN = re.compile(r"\b(?:this|the) (?:paper|article|submission|manuscript|work) (?:has been|is|was) withdrawn\b"
                        r"|\bwithdrawn by (?:the )?(?:authors?|arxiv)|^\s*withdrawn\b", re.I)


# ---------------------------------------------------------------- fetching and parsing

def normalise_id(text: str) -> str:
    """'arXiv:2106.09685v2', 'https://arxiv.org/abs/2106.09685' -> '2106.09685'."""
    value = text.strip()
    value = re.sub(r"^https?://(?:export\.|www\.)?arxiv\.org/(?:abs|pdf)/", "", value, flags=re.I)
    value = re.sub(r"^arxiv:", "", value, flags=re.I)
    value = re.sub(r"\.pdf$", "", value)
    value = re.sub(r"v\d+$", "", value)
    if not S.ARXIV_ID.match(value):
        raise AddError(f"{text!r} is not an arXiv id — write it like 2106.09685 (or hep-th/9901001)")
    return value


def fetch_atom(arxiv_id: str, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """The arXiv API's Atom response for one id (network; honours LLMKB_ARXIV_RESPONSE).

    At most ``DEADLINE_SECONDS`` in all and ``MAX_RESPONSE_BYTES``; every failure of the network
    or of HTTP is an AddError with one line, never a traceback."""
    saved = os.environ.get(RESPONSE_ENV)
    if saved:
        try:
            return Path(saved).read_bytes()
        except OSError as err:
            raise AddError(f"{RESPONSE_ENV}={saved}: cannot read it ({err.strerror})") from None
    url = API_URL.format(id=urllib.parse.quote(arxiv_id, safe="./"))
    request = urllib.request.Request(url, headers={"User-Agent": f"llmkb/{__version__} (python -m llmkb add)"})
    deadline = time.monotonic() + DEADLINE_SECONDS
    result: dict[str, object] = {}

    def work() -> None:
        try:
            result["data"] = _fetch(request, arxiv_id, min(timeout, DEADLINE_SECONDS), deadline)
        except BaseException as err:  # handed to the caller's thread
            result["error"] = err

    # a thread, so that the deadline also covers connecting and the headers (http.client reads
    # them line by line, each line with its own timeout); it is a daemon: nothing waits for it
    worker = threading.Thread(target=work, name="llmkb-arxiv-fetch", daemon=True)
    worker.start()
    worker.join(DEADLINE_SECONDS + 1.0)
    if worker.is_alive():
        raise _too_slow(arxiv_id)
    if "error" in result:
        raise result["error"]  # type: ignore[misc]
    return result["data"]  # type: ignore[return-value]


def _too_slow(arxiv_id: str) -> AddError:
    return AddError(f"the arXiv API took longer than {DEADLINE_SECONDS:g} s to answer for {arxiv_id} — "
                    "retry later; nothing was written")


def _fetch(request: urllib.request.Request, arxiv_id: str, timeout: float, deadline: float) -> bytes:
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return _read_capped(response, arxiv_id, timeout, deadline)
    except AddError:
        raise
    except urllib.error.HTTPError as err:
        raise AddError(f"arXiv API answered HTTP {err.code} for {arxiv_id} — retry later; "
                       "nothing was written") from None
    except (urllib.error.URLError, http.client.HTTPException, TimeoutError, OSError) as err:
        # HTTPException: IncompleteRead, BadStatusLine, RemoteDisconnected (a proxy or a dropped line)
        if time.monotonic() >= deadline:
            raise _too_slow(arxiv_id) from None
        reason = getattr(err, "reason", None) or (f"{type(err).__name__}: {err}" if str(err) else type(err).__name__)
        raise AddError(f"cannot reach the arXiv API ({bib_check.printable(str(reason))}) — check the network "
                       "and retry; nothing was written") from None


def _read_capped(response, arxiv_id: str, timeout: float, deadline: float) -> bytes:
    """The body, read a chunk at a time against the deadline and the size limit."""
    sock = getattr(getattr(getattr(response, "fp", None), "raw", None), "_sock", None)
    read = getattr(response, "read1", None) or response.read
    chunks, size = [], 0
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise _too_slow(arxiv_id)
        if sock is not None:
            sock.settimeout(max(0.01, min(timeout, left)))
        chunk = read(65536)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > MAX_RESPONSE_BYTES:
            raise AddError(f"the arXiv API response for {arxiv_id} is larger than "
                           f"{MAX_RESPONSE_BYTES / 1e6:g} MB (an arXiv answer is a few KB) — "
                           "retry later or check your proxy; nothing was written")
        chunks.append(chunk)


def _text(node: ET.Element | None) -> str:
    return re.sub(r"\s+", " ", node.text or "").strip() if node is not None else ""


def _local(tag: str) -> str:
    return bib_check.printable(tag.rsplit("}", 1)[-1][:40])


def _html_hint(data: bytes) -> str:
    """A 200 page from a proxy, a captive portal or a firewall is HTML, and is not arXiv's answer."""
    if re.search(rb"<(?:!doctype\s+)?html\b", data[:4096], re.I):
        return ": an HTML page (a proxy, login portal or firewall answered instead of arXiv?)"
    return ""


def parse_atom(data: bytes, arxiv_id: str) -> ArxivPaper:
    """The paper ``arxiv_id`` from an API response; AddError for errors and surprises."""
    if _html_hint(data):
        raise AddError(f"the answer is not an arXiv API (Atom) response{_html_hint(data)} — retry later; "
                       "nothing was written")
    try:
        feed = ET.fromstring(data)
    except ET.ParseError as err:
        raise AddError(f"the arXiv API response is not valid XML ({err}) — retry later; nothing was written") from None
    if feed.tag != f"{_ATOM}feed":
        raise AddError(f"the answer is not an arXiv API (Atom) response but <{_local(feed.tag)}> — "
                       "retry later; nothing was written")
    entries = feed.findall(f"{_ATOM}entry")
    if not entries:
        raise AddError(f"arXiv has no paper {arxiv_id} — check the id; nothing was written")
    entry = entries[0]
    title = _text(entry.find(f"{_ATOM}title"))
    entry_id = _text(entry.find(f"{_ATOM}id"))
    if title == "Error" or "/api/errors" in entry_id:
        why = _text(entry.find(f"{_ATOM}summary")) or "error"
        raise AddError(f"arXiv API error for {arxiv_id}: {why} — check the id; nothing was written")
    found = re.sub(r"v\d+$", "", entry_id.rsplit("/abs/", 1)[-1])
    if found != arxiv_id:
        raise AddError(f"the arXiv API returned {found or 'no id'} instead of {arxiv_id} — check the id; "
                       "nothing was written")
    authors = tuple(_text(a.find(f"{_ATOM}name")) for a in entry.findall(f"{_ATOM}author"))
    published = _text(entry.find(f"{_ATOM}published"))[:10]
    if not title or not authors or not all(authors) or not S.DATE_STYLE.match(published):
        raise AddError(f"the arXiv API response for {arxiv_id} lacks a title, an author or a date — "
                       "retry later, or add the entry by hand; nothing was written")
    primary = entry.find(f"{_ARXIV}primary_category")
    withdrawn = next((text for text in (_text(entry.find(f"{_ARXIV}comment")), _text(entry.find(f"{_ATOM}summary")))
                      if _WITHDRAWN.search(text)), "")
    return ArxivPaper(
        withdrawn=withdrawn[:120],
        arxiv_id=arxiv_id, title=title, authors=authors, published=published,
        primary_category=primary.get("term", "") if primary is not None else "",
        journal_ref=_text(entry.find(f"{_ARXIV}journal_ref")),
        doi=_text(entry.find(f"{_ARXIV}doi")).split()[0] if _text(entry.find(f"{_ARXIV}doi")) else "",
    )


# ---------------------------------------------------------------- names, keys, escaping

def bibtex_name(name: str) -> str:
    """'Edward J. Hu' -> 'Hu, Edward J.'; 'Nicola De Cao' -> 'De Cao, Nicola'.

    The family name is the last word with the particles (de, van, von, ...) before it;
    the first word is always a given name; a single word is kept whole in braces.
    """
    words = name.split()
    if len(words) == 1:
        return "{" + words[0] + "}"  # a team or a mononym: keep it whole
    suffix = ""
    if words[-1].lower() in _SUFFIXES and len(words) > 2:
        suffix = words.pop().rstrip(",")
        words[-1] = words[-1].rstrip(",")
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in _PARTICLES:
        start -= 1
    family, given = " ".join(words[start:]), " ".join(words[:start])
    return f"{family}, {suffix}, {given}" if suffix else f"{family}, {given}"


def ascii_letters(text: str) -> str:
    """Lowercase ASCII letters and digits of ``text`` ('Ré' -> 're', 'Łukasz' -> 'lukasz')."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_TRANSLIT))
    return re.sub(r"[^a-z0-9]", "", decomposed.encode("ascii", "ignore").decode().lower())


def first_word(title: str) -> str:
    """First title word that is not a stopword, as key letters ('Towards GPT-4' -> 'gpt4')."""
    for word in re.split(r"[\s:;,!?()\[\]/]+", title):
        letters = ascii_letters(word)
        if letters and word.lower().strip("'\"") not in STOPWORDS and letters not in STOPWORDS:
            return letters
    return "paper"


def make_key(family: str, year: str, title: str) -> str:
    """The project's key style: family name, first-version year, first significant title word.
    The name part is letters only (``KEY_STYLE``): a team's digits would run into the year
    ('GLM-5 Team', 2026 -> glmteam2026..., not glm5team2026...)."""
    return f"{re.sub(r'[0-9]', '', ascii_letters(family)) or 'anon'}{year}{first_word(title)}"


def unique_key(key: str, taken: set[str]) -> str:
    """``key`` or, when another paper has it, key + b, c, ..."""
    if key not in taken:
        return key
    for letter in "bcdefghijklmnopqrstuvwxyz":
        if key + letter not in taken:
            return key + letter
    raise AddError(f"keys {key}..{key}z are all taken — pick a key by hand")


_MATH = re.compile(r"(\$[^$]*\$)")
#: What TeX treats specially, outside $...$ math, as text that compiles anywhere and that BibTeX
#: reads as written (an escaped brace \{ still counts as a brace for BibTeX, \textbraceleft{}
#: does not). Only \% \& \_ \# \$ are kept as they are.
_SPECIAL = re.compile(r"\\[%&_#$]|[\\{}%&_#$^~]")
_SPELLED = {"\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}",
            "^": r"\textasciicircum{}", "~": r"\textasciitilde{}"}


def escape_latex(text: str) -> str:
    """arXiv's plain text as LaTeX text: every character TeX treats specially (\\ { } $ & # ^ _ ~ %)
    escaped outside $...$ math; \\% \\& \\_ \\# \\$ that are already escaped stay. Math is kept (the
    check then allows only the documented math commands)."""
    parts = _MATH.split(text)
    for i in range(0, len(parts), 2):
        parts[i] = _SPECIAL.sub(lambda m: m.group(0) if len(m.group(0)) == 2
                                else _SPELLED.get(m.group(0), "\\" + m.group(0)), parts[i])
    return "".join(parts)


#: Words that make an arXiv "author" an organisation: it is kept whole, as one protected name.
_ORGANISATION = frozenset("""
collaboration collaborations consortium team group project initiative collective lab labs laboratory
institute inc inc. ltd ltd. corporation foundation organization organisation committee society
network alliance association center centre university
""".split())


def author_names(authors: Sequence[str]) -> list[str]:
    """arXiv's author list as BibTeX names: "The LIGO Scientific Collaboration and The Virgo
    Collaboration" is two protected names (BibTeX would split it into two wrong persons); braces
    are dropped (a name's own braces unbalanced the field or left an empty name: "and and")."""
    out = []
    for author in authors:
        for part in re.split(r"\s+and\s+", author.replace("{", " ").replace("}", " ")):
            part = " ".join(part.split())
            if not part:
                continue
            words = part.split()
            if words[0] == "The" or any(w.lower().strip(",") in _ORGANISATION or w == "AI" for w in words):
                out.append("{" + escape_latex(part) + "}")
            else:
                out.append(bibtex_name(escape_latex(part)))
    return out


# ---------------------------------------------------------------- the entry

@dataclass(frozen=True)
class Venue:
    type: str  # article | inproceedings
    field: str  # journal | booktitle
    value: str
    short: str
    year: str


def choose_venue(paper: ArxivPaper, bib: bibfile.BibFile, venue: str | None, booktitle: str | None,
                 journal: str | None, year: str | None) -> Venue:
    """Where the cited version appeared (see ``python -m llmkb add --help``)."""
    first_year = paper.published[:4]
    if not venue:
        if booktitle or journal:
            raise AddError("--booktitle and --journal describe a published version: give its short name "
                           "with --venue too, e.g. --venue 'ICLR 2024'")
        return Venue("article", "journal", f"arXiv preprint arXiv:{paper.arxiv_id}", "arXiv", year or first_year)
    if booktitle and journal:
        raise AddError("give --booktitle (proceedings) or --journal, not both")
    venue_year = re.search(r"\b((?:19|20)\d\d)\b", venue)
    cited_year = year or (venue_year.group(1) if venue_year else first_year)
    if booktitle:
        return Venue("inproceedings", "booktitle", booktitle, venue, cited_year)
    if journal:
        return Venue("article", "journal", journal, venue, cited_year)
    for e in bib.entries:  # reuse the full name another entry gives this venue
        if e.fields.get("shortvenue") == venue:
            field = "booktitle" if e.type == "inproceedings" else "journal"
            if e.fields.get(field):
                return Venue(e.type, field, e.fields[field], venue, cited_year)
    raise AddError(f"no entry of {bib.path.name} has shortvenue {{{venue}}}, so its full name is unknown — "
                   f"add --booktitle 'Full Conference Name ({venue})' or --journal 'Journal Name'")


def today() -> datetime.date:
    """The day an entry is added (a function, so tests can fix it)."""
    return datetime.date.today()


def provenance(paper: ArxivPaper, venue: Venue, day: datetime.date | None = None) -> str:
    """Where add read the metadata: the arXiv API record (title, ordered authors, v1 date), and,
    for a published version, that the venue came from the contributor, who must still check it."""
    fetched = (day or today()).isoformat()
    source = f"arXiv API record for {paper.arxiv_id} (title, authors, v1 {paper.published}), fetched by llmkb add {fetched}"
    if venue.type != "article" or not venue.value.startswith("arXiv preprint"):
        source += f"; venue {escape_latex(venue.short)} given by the contributor: check it against the proceedings page"
    return source


def build_entry(paper: ArxivPaper, key: str, venue: Venue, topics: Sequence[str], tags: Sequence[str],
                kind: str, code: str | None, added: str = "") -> bibfile.RawEntry:
    fields = {
        "title": "{" + escape_latex(paper.title) + "}",
        "author": " and ".join(author_names(paper.authors)),
        venue.field: escape_latex(venue.value),
        "year": venue.year,
        "date": paper.published,
        "eprint": paper.arxiv_id,
        "archiveprefix": "arXiv",
        "primaryclass": paper.primary_category,
        "doi": paper.doi,
        "url": f"https://arxiv.org/abs/{paper.arxiv_id}",
        "code": code or "",
        "keywords": ", ".join(topics),
        "tags": ", ".join(tags),
        "kind": escape_latex(kind),
        "shortvenue": escape_latex(venue.short),
        "provenance": provenance(paper, venue),
        "added": added,
    }
    return bibfile.RawEntry(venue.type, key, {k: v for k, v in fields.items() if v}, line=1)


def find_duplicate(bib: bibfile.BibFile, paper: ArxivPaper) -> bibfile.RawEntry | None:
    """An entry of ``bib`` with the same arXiv id or the same normalised title."""
    title = bib_check.normal_title(paper.title)
    for e in bib.entries:
        if e.fields.get("eprint") == paper.arxiv_id or bib_check.normal_title(e.fields.get("title", "")) == title:
            return e
    return None


def append_entry(path: Path, entry_text: str) -> None:
    """Append one entry after a blank line; every existing byte stays as it was. The file is
    replaced as a whole (bibfile.write_atomic): a full disk never leaves half an entry.
    bibfile.WriteError (file unchanged) if it cannot be written."""
    data = path.read_bytes()
    sep = b"" if not data.strip() else b"\n" if data.endswith(b"\n") else b"\n\n"
    bibfile.write_atomic(path, data + sep + entry_text.encode("utf-8"))


def most_specific_first(problems: Sequence[bib_check.Problem]) -> list[bib_check.Problem]:
    """``problems`` with those that name the likely intended value ("did you mean 'method'?") first:
    a misspelt --tag also leaves its topic without a tag, and that second problem only follows
    from the first. Otherwise in the file's order."""
    return sorted(problems, key=lambda p: "(did you mean" not in p.message)


def add(arxiv_id: str, bib_path: Path, *, topic: Sequence[str], tags: Sequence[str] = (), kind: str,
        venue: str | None = None, booktitle: str | None = None, journal: str | None = None,
        year: str | None = None, code: str | None = None,
        fetch: Callable[[str], bytes] = fetch_atom) -> str:
    """Fetch, check and append one paper; return the entry's text. AddError or
    bibfile.WriteError: nothing written."""
    arxiv_id = normalise_id(arxiv_id)
    if not bib_path.is_file():
        raise AddError(f"{bib_path}: no such file — run from the repository root or pass --bib PATH")
    bib = bibfile.read(bib_path)
    if bib.problems:
        first = bib.problems[0]
        raise AddError(f"{bib_path}:{first.line}: {first.message} — fix {bib_path} first "
                       "(python -m llmkb check); nothing was added")
    paper = parse_atom(fetch(arxiv_id), arxiv_id)
    twin = find_duplicate(bib, paper)
    if twin is not None:
        same = "arXiv id" if twin.fields.get("eprint") == paper.arxiv_id else "title"
        raise AddError(f"{bib_path}:{twin.line}: {twin.key}: already holds this paper (same {same}) — "
                       f"cite '{twin.key}' instead; nothing was added")
    chosen = choose_venue(paper, bib, venue, booktitle, journal, year)
    names = author_names(paper.authors)
    if not names:
        raise AddError(f"the arXiv API response for {arxiv_id} has no usable author name — "
                       "add the entry by hand; nothing was added")
    if paper.withdrawn:
        raise AddError(f"arXiv marks {arxiv_id} as withdrawn ({bib_check.printable(paper.withdrawn)!r}) — "
                       "cite another paper (or a version that was not withdrawn, by hand); nothing was added")
    family = latex_to_text(names[0].split(",")[0])
    key = unique_key(make_key(family, paper.published[:4], paper.title), {e.key.lower() for e in bib.entries})
    text = bib_format.format_entry(build_entry(paper, key, chosen, topic, tags, kind, code,
                                                 added=today().isoformat()))
    new = bibfile.parse_text(text, bib_path.name)
    problems = bib_check.check_bib(new, str(bib_path))
    if new.problems or problems or len(new.entries) != 1:
        found = [f"{p.message} — {p.fix}" for p in most_specific_first(problems)] or ["it does not parse"]
        if len(found) == 1:
            raise AddError(f"the new entry {key} would not pass `llmkb check`: {found[0]}; nothing was added")
        raise AddError(f"the new entry {key} would not pass `llmkb check` ({len(found)} problems); "
                       "nothing was added:", found)
    append_entry(bib_path, text)
    if paper.journal_ref and not venue:
        print(f"note: arXiv says {key} was published in {paper.journal_ref!r}; "
              "consider --venue/--booktitle (see --help)", file=sys.stderr)
    return text
