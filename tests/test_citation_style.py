"""llmkb.sphinx_ext.citation_style.Style: its fast format_entry gives exactly what unsrt's templates give.

The reference is plain pybtex unsrt with the same label and sorting styles (what Style was
before it had a fast path). Entries are compared as richtext (structural ==) and rendered with
every backend the book uses: text, html, latex, and pybtex_docutils (sphinxcontrib-bibtex).
"""

import codecs
import itertools
import random
import sys
from pathlib import Path

import latexcodec  # noqa: F401  (registers the "ulatex" codec)
import latexcodec.codec
import pytest
from pybtex.database import Entry, Person, parse_file, parse_string
from pybtex.plugin import find_plugin
from pybtex.richtext import Text
from pybtex.style.formatting.unsrt import Style as UnsrtStyle

from llmkb.sphinx_ext import citation_style
from llmkb.sphinx_ext.citation_style import Style

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import bench  # noqa: E402


class Reference(citation_style.ArxivOnce, UnsrtStyle):
    default_label_style = "llmkb"
    default_sorting_style = "author_year_title"


# find_plugin scans entry points on every call: load each backend and style once
BACKENDS = [find_plugin("pybtex.backends", name)() for name in ("text", "html", "latex")]
DOCUTILS = find_plugin("pybtex.backends", "docutils")()
STYLE, REFERENCE = Style(), Reference()


def outcome(style, entry, bib_data=None):
    """Everything observable about formatting entry: the richtext, its renderings, key and
    label, or the exception raised."""
    try:
        formatted = style.format_entry("Label 2024", entry, bib_data=bib_data)
    except Exception as exc:  # the reference raises FieldIsMissing for missing fields
        return ("error", type(exc), str(exc))
    node = DOCUTILS.paragraph(formatted)
    return (formatted.key, formatted.label, formatted.text,
            *(formatted.text.render(backend) for backend in BACKENDS),
            node.astext(), node.pformat())


def assert_same(entry, bib_data=None, style=None, reference=None):
    new = outcome(style or STYLE, entry, bib_data)
    ref = outcome(reference or REFERENCE, entry, bib_data)
    assert new == ref


def test_refs_bib_entries_take_the_fast_path_and_format_identically():
    bib = parse_file(ROOT / "refs.bib")
    assert len(bib.entries) > 100
    for entry in bib.entries.values():
        assert STYLE.fast_path_applies(entry), entry.key
        assert_same(entry, bib)


def test_synthetic_bib_entries_take_the_fast_path_and_format_identically():
    bib = parse_string(bench.synth_bib(1000), "bibtex")
    assert {e.type for e in bib.entries.values()} == {"article", "inproceedings"}
    for entry in bib.entries.values():
        assert STYLE.fast_path_applies(entry), entry.key
        assert_same(entry, bib)


WEB = "url = {https://arxiv.org/abs/2106.09685}, eprint = {2106.09685}, doi = {10.1000/x_y}"
# (bibtex entry, whether the fast path must take it)
TRICKY = {
    "accents": (r"""@article{k, author = {M{\"u}ller, J{\"o}rg and Caf\'{e}, Ren\'e},
        title = {{\"U}ber {\"u}ber Stra\ss e}, journal = {Zeitschrift f{\"u}r KI}, year = {2021}}""", True),
    "ampersand-math": (r"""@article{k, author = {Doe, Jane}, title = {Scaling $x^2$ laws \& more},
        journal = {Science \& Society}, year = {2020}}""", True),
    "protected-title": ("""@inproceedings{k, author = {Hu, Edward}, title = {Fine-tuning with {LoRA}
        and {QLoRA}: a {S}tudy}, booktitle = {ICLR 2022}, year = {2022}}""", True),
    "lowercase-title-question": ("""@article{k, author = {Doe, Jane}, title = {is attention all you need?},
        journal = {J}, year = {2017}}""", True),
    "title-ends-in-protected-period": ("""@article{k, author = {Doe, Jane},
        title = {{Attention Is All You Need.}}, journal = {J.}, year = {2017}, note = {Wow!}}""", True),
    "whitespace-and-quotes": ("""@article{k, author = {Doe, Jane}, title = {A  title\twith ``quotes''
        and,,commas ~ ties}, journal = {  J}, year = {2017}, note = {中文  注释}}""", True),
    "volume-number-pages": ("""@article{k, author = {Raffel, Colin}, title = {T5}, journal = {JMLR},
        volume = {21}, number = {140}, pages = {1--67}, year = {2020}}""", True),
    "volume-pages": ("""@article{k, author = {Raffel, Colin}, title = {T5}, journal = {JMLR},
        volume = {21}, pages = {1---67}, year = {2020}}""", True),
    "pages-only": ("""@article{k, author = {Raffel, Colin}, title = {T5}, journal = {JMLR},
        pages = {127063}, year = {2020}}""", True),
    "volume-only": ("""@article{k, author = {Raffel, Colin}, title = {T5}, journal = {JMLR},
        volume = {21}, year = {2020}}""", True),
    "number-and-pages": ("""@article{k, author = {Raffel, Colin}, title = {T5}, journal = {JMLR},
        number = {3}, pages = {5-9}, year = {2020}}""", True),
    "empty-fields": ("""@article{k, author = {Raffel, Colin}, title = {T5}, journal = {JMLR},
        volume = {}, pages = {}, note = {}, year = {2020}}""", True),
    "empty-year-and-venue": ("""@inproceedings{k, author = {Raffel, Colin}, title = {T5},
        booktitle = {}, year = {}}""", True),
    "month-note-urldate-pubmed": ("""@article{k, author = {Doe, Jane}, title = {T}, journal = {J},
        month = {jan}, year = {2020}, note = {A note}, url = {https://x.org/a_b}, urldate = {2024-01-01},
        pubmed = {123}}""", True),
    "url-eprint-doi": ("@article{k, author = {Doe, Jane}, title = {T}, journal = {J}, year = {2020}, "
                       + WEB + "}", True),
    "eprint-only": ("""@inproceedings{k, author = {Doe, Jane}, title = {T}, booktitle = {B}, year = {2020},
        eprint = {1}}""", True),
    "mixed-case-fields": ("""@ARTICLE{k, Author = {Doe, Jane}, TITLE = {T}, Journal = {J}, Year = {2020},
        URL = {https://x.org}, Pages = {3--4}}""", True),
    "von-jr": ("""@article{k, author = {van der Berg, Jr., Jan and Ludwig van Beethoven and de la Cruz, Maria
        and D.~E. Knuth}, title = {T}, journal = {J}, year = {2020}}""", True),
    "one-author": ("@article{k, author = {Jane Doe}, title = {T}, journal = {J}, year = {2020}}", True),
    "two-authors": ("@article{k, author = {Jane Doe and Li, Bo}, title = {T}, journal = {J}, year = {2020}}", True),
    "many-authors": ("""@inproceedings{k, author = {A, Al and B, Bo and C, Cy and D, Di and E, Ed and F, Fu},
        title = {T}, booktitle = {B}, pages = {1--2}, year = {2020}}""", True),
    "and-others": ("""@inproceedings{k, author = {Vaswani, Ashish and Shazeer, Noam and others},
        title = {T}, booktitle = {NeurIPS}, year = {2017}}""", True),
    "techreport": ("@techreport{k, author = {OpenAI}, title = {GPT-4}, institution = {OpenAI}, year = {2023}, "
                   + WEB + "}", True),
    "techreport-type-number-address": ("""@techreport{k, author = {Doe, J.}, title = {T}, type = {Memo},
        number = {42}, institution = {MIT}, address = {Cambridge, MA}, month = {may}, year = {2020}}""", True),
    "techreport-number": ("""@techreport{k, author = {Doe, J.}, title = {T}, number = {TR-1},
        institution = {MIT}, year = {2020}}""", True),
    # the template engine's: other types, fields the fast path leaves alone, missing fields
    "no-year": ("@article{k, author = {Doe, Jane}, title = {T}, journal = {J}}", False),
    "no-journal": ("@article{k, author = {Doe, Jane}, title = {T}, year = {2020}}", False),
    "no-author": ("@article{k, title = {T}, journal = {J}, year = {2020}}", False),
    "misc": ("@misc{k, author = {Doe, Jane}, title = {T}, howpublished = {Blog}, year = {2020}, " + WEB + "}", False),
    "book": ("@book{k, author = {Doe, Jane}, title = {T}, publisher = {P}, year = {2020}}", False),
    "editor": ("""@inproceedings{k, author = {Doe, Jane}, editor = {Roe, Rick and Poe, Pat}, title = {T},
        booktitle = {B}, year = {2020}}""", False),
    "proceedings-publisher": ("""@inproceedings{k, author = {Doe, Jane}, title = {T}, booktitle = {B},
        address = {Vienna}, publisher = {ACL}, volume = {1}, year = {2020}}""", False),
}


@pytest.mark.parametrize("name", TRICKY)
def test_tricky_entries_format_identically(name):
    source, fast = TRICKY[name]
    bib = parse_string(source, "bibtex")
    entry = bib.entries["k"]
    assert STYLE.fast_path_applies(entry) is fast
    assert_same(entry, bib)
    assert_same(entry, bib, Style(abbreviate_names=True), Reference(abbreviate_names=True))


@pytest.mark.parametrize("field", ["volume", "number", "series", "address", "organization", "publisher"])
def test_each_unhandled_inproceedings_field_falls_back(field):
    """One at a time, so that each name in _UNHANDLED is needed: with it missing there, the
    fast path would drop the field and the output would differ."""
    bib = parse_string(f"""@inproceedings{{k, author = {{Doe, Jane}}, title = {{T}}, booktitle = {{B}},
        year = {{2020}}, {field} = {{7}}}}""", "bibtex")
    entry = bib.entries["k"]
    assert not STYLE.fast_path_applies(entry)
    assert_same(entry, bib)
    without = parse_string("@inproceedings{k, author = {Doe, Jane}, title = {T}, booktitle = {B}, year = {2020}}",
                           "bibtex").entries["k"]
    assert outcome(STYLE, entry) != outcome(STYLE, without)


def test_crossref_falls_back_to_the_template_engine():
    bib = parse_string("""
        @inproceedings{k, author = {Doe, Jane}, title = {T}, booktitle = {B}, crossref = {p}}
        @proceedings{p, title = {B}, year = {2021}, publisher = {P}}""", "bibtex")
    entry = bib.entries["k"]
    assert not Style().fast_path_applies(entry)
    assert_same(entry, bib)


def test_overridden_templates_and_other_name_styles_are_honoured():
    class Subclass(Style):
        def format_title(self, e, which_field, as_sentence=True):
            return super().format_title(e, which_field, as_sentence=False)

    entry = parse_string("@article{k, author = {Jane Doe}, title = {T}, journal = {J}, year = {2020}}",
                         "bibtex").entries["k"]
    assert not Subclass().fast_path_applies(entry)
    assert str(Subclass().format_entry("L", entry).text).startswith("Jane Doe.<newblock>T<newblock>")
    assert not Style(name_style="lastfirst").fast_path_applies(entry)
    assert_same(entry, None, Style(name_style="lastfirst"), Reference(name_style="lastfirst"))


def test_unparsed_field_values_format_identically():
    """Values as a program may set them, without the bibtex parser's whitespace cleanup."""
    entry = Entry("article", fields={
        "title": " Leading space, a\ttab,\nnewline and  two spaces ", "journal": "J\n\nK",
        "year": "2020", "note": "{unbalanced", "url": "https://x.org/?a=1&b=2"},
        persons={"author": [Person("Doe, Jane"), Person("Roe,  Rick  "), Person("")]})
    assert Style().fast_path_applies(entry)
    assert_same(entry)
    entry.fields["note"] = "balanced ~ \\emph{x}"
    assert_same(entry)


def test_format_bibliography_matches():
    bib = parse_file(ROOT / "refs.bib")
    new_bib = Style().format_bibliography(bib)
    ref_bib = Reference().format_bibliography(bib)
    assert [(e.key, e.label, e.text) for e in new_bib] == [(e.key, e.label, e.text) for e in ref_bib]


# -- skipping latexcodec


def test_every_latexcodec_translation_is_detected():
    """Each token sequence latexcodec translates contains something _NEEDS_DECODING finds,
    so a string it does not find is left alone by the translation table."""
    table = latexcodec.codec._LATEX_UNICODE_TABLE.unicode_map
    for tokens in table:
        latex = "".join(token.text for token in tokens)
        assert citation_style._NEEDS_DECODING.search(latex), latex


ALPHABET = "aZ é\xa0\t\n{}\\$~%#&^_-`',!?.:"


def _check_decoding(latex):
    try:
        expected = Text.from_latex(latex)
    except Exception as exc:
        with pytest.raises(type(exc)):
            citation_style._latex_text(latex)
        return
    assert citation_style._latex_text(latex) == expected, repr(latex)
    if not citation_style._NEEDS_DECODING.search(latex):
        assert codecs.decode(latex, "ulatex") == latex, repr(latex)


def test_skipping_latexcodec_gives_the_same_text():
    for n in range(4):
        for chars in itertools.product(ALPHABET, repeat=n):
            _check_decoding("".join(chars))
    rng = random.Random(0)
    for _ in range(3000):
        _check_decoding("".join(rng.choice(ALPHABET + "abc  ") for _ in range(rng.randint(4, 30))))
    for text in ("{Hallucination of Multimodal Large Language Models: A Survey}", "a {b {c} d} e",
                 "arXiv preprint arXiv:2404.18930", "Proceedings of ACL (ACL 2023)", "trailing "):
        _check_decoding(text)
        assert not citation_style._NEEDS_DECODING.search(text)


@pytest.mark.parametrize("url, links", [
    ("https://arxiv.org/abs/2310.11511", ["https://arxiv.org/abs/2310.11511"]),
    ("https://aclanthology.org/N19-1423/", ["https://aclanthology.org/N19-1423/", "https://arxiv.org/abs/2310.11511"]),
    ("https://arxiv.org/abs/2310.11512", ["https://arxiv.org/abs/2310.11512", "https://arxiv.org/abs/2310.11511"]),
])
def test_an_arxiv_url_that_repeats_the_eprint_is_printed_once(url, links):
    """unsrt printed "URL: https://arxiv.org/abs/X, arXiv:X." — two links to one page. The URL
    goes when it is the eprint's abstract page, on both paths; any other URL stays."""
    entry = parse_string("@inproceedings{k, author = {Jane Doe}, title = {T}, booktitle = {B}, year = {2024},"
                         f" url = {{{url}}}, eprint = {{2310.11511}}}}", "bibtex").entries["k"]
    assert STYLE.fast_path_applies(entry)
    html = STYLE.format_entry("L", entry).text.render(BACKENDS[1])
    assert [m for m in html.split('"') if m.startswith("https://")] == links, html
    assert ("URL:" in html) == (len(links) == 2), html
    assert html.endswith('<a href="https://arxiv.org/abs/2310.11511">arXiv:2310.11511</a>.'), html
    assert_same(entry)


def test_plain_name_is_pybtexs_plain_name_style():
    """citation_style.plain_name against pybtex's own template, for every author in refs.bib and
    the name shapes pybtex documents (von parts, Jr., several first and middle names, braces)."""
    from pybtex.style.names.plain import NameStyle

    people = [person for entry in parse_file(ROOT / "refs.bib").entries.values()
              for person in entry.persons.get("author", [])]
    people += [Person(string=s) for s in (
        r"Charles Louis Xavier Joseph de la Vall{\'e}e Poussin", "de Last, Jr., First Middle", "Plato",
        "{Barnes and Noble, Inc.}", "van der Berg, Jr., Jan", "Ng, A", "Le, Quoc V.", "Yu, Li", "X, Y. Z.")]
    people.append(Person(first="First", last="Last", middle="Middle"))
    assert len(people) > 2000
    for person in people:
        decoded = citation_style._DecodedNames(person)
        for abbr in (False, True):
            assert citation_style.plain_name(decoded, abbr) == NameStyle().format(decoded, abbr).format(), str(person)
