"""Citation labels that are readable and unique across the whole book.

Each page has its own bibliography, but a reader should see the same label for
the same paper on every page, and never the same label for two papers. pybtex's
label styles number or abbreviate per bibliography, so we compute one
"Family Year" label per entry over all of refs.bib (``Hu 2022``, with a/b/c
suffixes where two entries collide) and hand it to pybtex through a label style.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from typing import Iterable

from pybtex.markup import LaTeXParser
from pybtex.plugin import register_plugin
from pybtex.richtext import HRef, String, Symbol, Tag, Text, nbsp
from pybtex.style import FormattedEntry
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.formatting.unsrt import dashify
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.names.plain import NameStyle as PlainNameStyle
from pybtex.style.sorting.author_year_title import SortingStyle as AuthorYearTitleSorting
from pybtex.style.template import optional, sentence
from pybtex.textutils import is_terminated, tie_or_space

from ..bib.papers import NEEDS_DECODING, Paper

#: key -> label for the refs.bib of the current build (set by the extension).
LABELS: dict[str, str] = {}


def compute_labels(papers: Iterable[Paper]) -> dict[str, str]:
    groups: dict[str, list[Paper]] = defaultdict(list)
    for p in papers:
        groups[f"{p.first_family_name} {p.year}"].append(p)
    labels = {}
    for base, members in groups.items():
        if len(members) == 1:
            labels[members[0].key] = base
            continue
        for i, p in enumerate(sorted(members, key=lambda p: (p.date, p.key))):
            labels[p.key] = f"{base}{chr(ord('a') + i) if i < 26 else i}"
    return labels


class LabelStyle(BaseLabelStyle):
    def format_labels(self, sorted_entries):
        for entry in sorted_entries:
            yield LABELS.get(entry.key, entry.key)


# --- fast formatting --------------------------------------------------------------------------
#
# pybtex's template engine spends ~3-4 ms per entry building and walking a tree of template
# nodes, and runs latexcodec over every field. The book only has @article, @inproceedings and
# @techreport entries with a handful of fields, so Style.format_entry builds the very same
# richtext objects directly, step by step as unsrt's templates do (each helper below names the
# template node it mirrors). Anything else goes to the template engine (super().format_entry),
# chosen by an explicit check of entry type and field names in fast_path_applies().

#: Fields each unsrt template reads that the fast path does not implement; their presence
#: sends the entry to the template engine. Every other field those templates read (listed in
#: the docstring of Style._fast_format) is implemented below.
_UNHANDLED = {
    "article": frozenset({"crossref"}),
    "inproceedings": frozenset({"crossref", "volume", "number", "series",
                                "address", "organization", "publisher"}),
    "techreport": frozenset({"crossref"}),
}
#: Fields without which unsrt raises FieldIsMissing: leave that to the template engine.
_REQUIRED = {"article": ("title", "journal", "year"),
             "inproceedings": ("title", "booktitle", "year"),
             "techreport": ("title", "institution", "year")}
#: Methods whose templates (unsrt's, and ArxivOnce's web references) _fast_format mirrors; a
#: subclass overriding any of them gets the template engine, so its override is honoured.
_MIRRORED = ("get_article_template", "get_inproceedings_template", "get_techreport_template",
             "format_names", "format_title", "format_editor", "format_btitle",
             "format_volume_and_series", "format_address_organization_publisher_date",
             "format_web_refs", "format_url", "format_eprint", "format_pubmed", "format_doi")

_NEWBLOCK = Symbol("newblock")
_NEEDS_DECODING = NEEDS_DECODING  # papers.py: what latexcodec would change


def _latex_text(latex: str) -> Text:
    """``Text.from_latex``, skipping the slow latexcodec decoder where it would return the
    string unchanged, and the brace parser where there are no braces."""
    if _NEEDS_DECODING.search(latex):
        return Text.from_latex(latex)
    if "{" in latex or "}" in latex:
        return LaTeXParser(latex).parse()
    return Text(latex)


#: Venues, years and the like recur across thousands of entries. richtext objects are never
#: modified in place (every method returns a new object), so sharing them is safe.
_cached_latex_text = lru_cache(maxsize=4096)(_latex_text)

#: formatted name per (abbreviate, name parts): names recur across entries, and the plain
#: name style formats each through the template engine and latexcodec.
_NAMES: dict[tuple, Text] = {}
_NAMES_MAX = 20000


def _joined(parts, sep, sep2=None, last_sep=None) -> list:
    """template.join as a flat list: drop empty parts, separate them with sep, with sep2
    between exactly two, with last_sep before the last of three or more.

    Text(*flat) equals what join returns (nested Text(last_sep).join(Text(sep).join(...))):
    Text unpacks nested Texts and merges adjacent like parts, so nesting makes no difference,
    and building one Text instead of several saves most of richtext's overhead."""
    sep2 = sep if sep2 is None else sep2
    last_sep = sep if last_sep is None else last_sep
    parts = [part for part in parts if part]
    if len(parts) <= 1:
        return parts
    if len(parts) == 2:
        return [parts[0], sep2, parts[1]]
    flat = []
    for part in parts[:-2]:
        flat += (part, sep)
    return [*flat, parts[-2], last_sep, parts[-1]]


def _join(parts, sep="", sep2=None, last_sep=None) -> Text:
    return Text(*_joined(parts, sep, sep2, last_sep))


def _with_period(flat: list) -> Text:
    """Text(*flat).add_period(): a period unless empty or already terminated (whether a Text
    is terminated depends only on its last leaf, i.e. on the last part)."""
    if flat and not is_terminated(flat[-1]):
        flat.append(".")
    return Text(*flat)


def _sentence(parts) -> Text:
    """template.sentence with its defaults: join with ", " and add a period."""
    return _with_period(_joined(parts, ", "))


def _optional(*parts) -> Text:
    """template.optional: Text(*parts), or an empty Text if a field (None) is missing."""
    return Text() if any(part is None for part in parts) else Text(*parts)


def _href(prefix: str, label: str, raw: str | None) -> HRef | str:
    """optional[format_eprint / format_doi / format_pubmed]: href(join[prefix, raw])[join[label, raw]]
    ("" if missing: the result only goes into other Texts). HRef keeps str(url) and unpacks
    its Text arguments, so plain strings build the same HRef."""
    if raw is None:
        return ""
    return HRef(prefix + raw, label, raw)


_SPACE = String(" ")


def _name_part(children: list, before: str = "", tie: bool = False, abbr: bool = False) -> Text:
    """pybtex's names.name_part with its together(last_tie=True), step by step on the same
    richtext objects, without the template engine (a node cloned and called per part)."""
    if abbr:
        children = [child.abbreviate() for child in children]
    parts = [child for child in children if child]
    if not parts:
        return Text()
    if len(parts) <= 2:
        together = nbsp.join(parts)
    else:
        together = Text(parts[0], tie_or_space(parts[0], nbsp, _SPACE), _SPACE.join(parts[1:-1]), nbsp, parts[-1])
    if not together:
        return Text()
    if tie:
        return Text(before, together, tie_or_space(together, nbsp, " "))
    return Text(before, together)


def plain_name(person, abbr: bool = False) -> Text:
    """pybtex's plain name style (``{ff~}{vv~}{ll}{, jj}``), ``NameStyle().format(person,
    abbr).format()``, for a person with rich_*_names (:class:`_DecodedNames`)."""
    return _join([
        _name_part(person.rich_first_names + person.rich_middle_names, tie=True, abbr=abbr),
        _name_part(person.rich_prelast_names, tie=True),
        _name_part(person.rich_last_names),
        _name_part(person.rich_lineage_names, before=", "),
    ])


class _DecodedNames:
    """What the plain name style reads from a Person (its rich_*_names), decoded with
    _latex_text instead of Text.from_latex."""

    def __init__(self, person):
        for part in ("first", "middle", "prelast", "last", "lineage"):
            names = getattr(person, part + "_names")
            setattr(self, f"rich_{part}_names", [_cached_latex_text(name) for name in names])


ARXIV_ABS = "https://arxiv.org/abs/"


def url_is_eprint(fields) -> bool:
    """The entry's url is the arXiv abstract page of its own eprint (most of refs.bib: 270 of 306
    entries with an eprint)."""
    url, eprint = fields.get("url"), fields.get("eprint")
    return url is not None and eprint is not None and url == ARXIV_ABS + eprint and "urldate" not in fields


class ArxivOnce:
    """unsrt's web references without a URL that only repeats the eprint link: unsrt printed
    "URL: https://arxiv.org/abs/2310.11511, arXiv:2310.11511." — two links to one page."""

    def format_web_refs(self, e):
        if url_is_eprint(e.fields):
            return sentence[optional[self.format_eprint(e)], optional[self.format_pubmed(e)],
                            optional[self.format_doi(e)]]
        return super().format_web_refs(e)


class Style(ArxivOnce, UnsrtStyle):
    """unsrt formatting (an arXiv link once, ArxivOnce), sorted by author/year/title, with the
    book's labels.

    format_entry produces exactly what unsrt's templates produce, without the template engine
    for the entries the book has (see fast_path_applies).
    """

    # classes, not plugin names: pybtex resolves a name it was not given at runtime by scanning
    # every installed package's entry points (~40 ms), and a Style is made per bibliography
    default_label_style = LabelStyle
    default_sorting_style = AuthorYearTitleSorting
    default_name_style = PlainNameStyle

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # the fast path mirrors this class's templates and the plain name style, nothing else
        self._mirrors_unsrt = type(self.name_style) is PlainNameStyle and all(
            getattr(type(self), name) is getattr(Style, name) for name in _MIRRORED)

    def fast_path_applies(self, entry) -> bool:
        unhandled = _UNHANDLED.get(entry.type)
        if unhandled is None or not self._mirrors_unsrt:
            return False
        fields = entry.fields  # case-insensitive, like field() lookups
        return ("author" in entry.persons and len(entry.persons) == 1  # no editor
                and all(name in fields for name in _REQUIRED[entry.type])
                and not any(name in fields for name in unhandled))

    def format_entry(self, label, entry, bib_data=None):
        if not self.fast_path_applies(entry):
            return super().format_entry(label, entry, bib_data=bib_data)
        return FormattedEntry(entry.key, self._fast_format(entry), label)

    def _name(self, person) -> Text:
        key = (self.abbreviate_names, tuple(person.first_names), tuple(person.middle_names),
               tuple(person.prelast_names), tuple(person.last_names), tuple(person.lineage_names))
        text = _NAMES.get(key)
        if text is None:
            if len(_NAMES) >= _NAMES_MAX:
                _NAMES.clear()
            # the plain name style (fast_path_applies: no other), once per name
            text = plain_name(_DecodedNames(person), self.abbreviate_names)
            _NAMES[key] = text
        return text

    def _fast_format(self, e) -> Text:
        """unsrt's article / inproceedings / techreport template for entries that pass
        fast_path_applies. Fields read: author, title, journal | booktitle | institution,
        year, month, note, url, urldate, eprint, pubmed, doi; articles also volume, number,
        pages; inproceedings pages; techreports type, number, address.

        Missing fields are None. Parts that end up inside another Text are not wrapped in
        one of their own (as template.optional does): Text unpacks them anyway."""
        get = e.fields.get
        cached = lambda name: None if get(name) is None else _cached_latex_text(get(name))  # noqa: E731
        plain = lambda name: None if get(name) is None else _latex_text(get(name))  # noqa: E731

        # format_names("author"): sentence[names("author", sep=", ", sep2=" and ", last_sep=", and ")].
        # inproceedings and techreport wrap it in one more sentence[], a no-op: the text is
        # empty or already ends with a period.
        authors = _with_period(_joined([self._name(p) for p in e.persons["author"]],
                                    ", ", " and ", ", and "))
        # format_title: sentence[field("title", apply_func=capitalize)]
        title = _sentence([plain("title").capitalize()])
        # date = words[optional_field("month"), field("year")]
        date = _join([cached("month") or "", cached("year")], " ")

        if e.type == "article":
            volume, number, pages = cached("volume"), cached("number"), plain("pages")
            pages = None if pages is None else dashify(pages)
            # optional[first_of[optional[join[volume, optional["(", number, ")"], ":", pages]],
            #                   words["pages", pages]]]
            if pages is None:  # both alternatives miss a field: the outer optional empties it
                volume_and_pages = ""
            elif volume is not None:  # never empty (":"), so first_of takes it
                volume_and_pages = _join([volume, _optional("(", number, ")"), ":", pages])
            else:
                volume_and_pages = _join(["pages", pages], " ")
            venue = _sentence([Tag("em", cached("journal")), volume_and_pages, date])
        elif e.type == "inproceedings":
            pages = plain("pages")
            # words["In", sentence[optional[editor] (none), tag("em")[booktitle],
            #                      volume_and_series (none), optional[pages]],
            #       address_organization_publisher_date (no address: sentence[org, publisher, date])]
            booktitle = _sentence([Tag("em", cached("booktitle")),
                                   "" if pages is None else dashify(pages)])
            venue = _join(["In", booktitle, _sentence([date])], " ")
        else:  # techreport
            # sentence[words[first_of[optional_field("type"), "Technical Report"],
            #                optional_field("number")],
            #          field("institution"), optional_field("address"), date]
            kind = cached("type") or "Technical Report"
            report = _join([kind, cached("number") or ""], " ")
            venue = _sentence([report, cached("institution"), cached("address") or "", date])

        # sentence[optional_field("note")]
        note = _sentence([plain("note") or ""])
        # format_web_refs (ArxivOnce: no url when it is the eprint's page):
        #                 sentence[optional[url, optional[urldate]], optional[eprint],
        #                           optional[pubmed], optional[doi]]
        url = None if url_is_eprint(e.fields) else get("url")
        web_url = "" if url is None else Text(
            *_joined(["URL:", HRef(url, url)], " "), _optional(" (visited on ", cached("urldate"), ")"))
        web_refs = _sentence([
            web_url,
            _href("https://arxiv.org/abs/", "arXiv:", get("eprint")),
            _href("https://www.ncbi.nlm.nih.gov/pubmed/", "PMID:", get("pubmed")),
            _href("https://doi.org/", "doi:", get("doi")),
        ])
        # toplevel: join(sep=Symbol("newblock"))
        return _join([authors, title, venue, note, web_refs], _NEWBLOCK)


register_plugin("pybtex.style.labels", "llmkb", LabelStyle, force=True)
register_plugin("pybtex.style.formatting", "llmkb", Style, force=True)
