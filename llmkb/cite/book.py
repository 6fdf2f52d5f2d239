"""Citing the book itself: BibTeX and GB/T 7714 from CITATION.cff, the one record of it.

GitHub's "Cite this repository" reads CITATION.cff; the 「引用本书」 blocks (directive
``cite-book``) are generated from the same file, so the version a reader copies is the one
the file states (a test keeps it equal to ``llmkb.__version__``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from . import render


class CitationFileError(ValueError):
    """CITATION.cff is missing or lacks what a citation needs."""


@dataclass(frozen=True)
class BookCitation:
    title: str
    authors: tuple[str, ...]
    year: int
    version: str
    url: str

    @property
    def key(self) -> str:
        return f"llmkb{self.year}"

    def csl_item(self) -> dict:
        return {"id": self.key, "type": "book", "title": self.title,
                "author": [{"literal": a} for a in self.authors],
                "issued": {"date-parts": [[self.year]]}, "edition": f"{self.version} 版",
                "medium": "OL", "URL": self.url}

    def gbt7714(self) -> str:
        return render.format_item(self.csl_item(), "gbt7714")

    def bibtex(self) -> str:
        """``@misc``: plain BibTeX's ``@book`` wants a publisher, and biblatex's ``@online`` is
        unknown to BibTeX; the authors are a group, braced so no style splits them."""
        authors = " and ".join(f"{{{a}}}" for a in self.authors)
        return (f"@misc{{{self.key},\n  title = {{{{{self.title}}}}},\n  author = {{{authors}}},\n"
                f"  year = {{{self.year}}},\n  note = {{Version {self.version}}},\n  url = {{{self.url}}},\n}}\n")


def _person(entry: dict) -> str:
    if "name" in entry:
        return str(entry["name"])
    return " ".join(str(entry[k]) for k in ("given-names", "family-names") if entry.get(k))


def read(path: Path) -> BookCitation:
    where = f"{path}"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise CitationFileError(f"{where}: cannot read it ({err.strerror}) — the book's citation comes from it") from err
    except yaml.YAMLError as err:
        raise CitationFileError(f"{where}: not valid YAML ({err}) — check it with `cffconvert --validate`") from err
    cited = (data or {}).get("preferred-citation") or data or {}
    missing = [k for k in ("title", "authors", "year", "url") if not cited.get(k)]
    if not (data or {}).get("version"):
        missing.append("version")
    if missing:
        raise CitationFileError(f"{where}: preferred-citation lacks {', '.join(missing)} — add them "
                                "(see https://citation-file-format.github.io)")
    return BookCitation(title=str(cited["title"]), authors=tuple(_person(a) for a in cited["authors"]),
                        year=int(cited["year"]), version=str(data["version"]), url=str(cited["url"]))
