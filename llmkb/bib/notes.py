"""Per-paper notes (issue 18): the one-line summary and the relations between entries.

The notes live in refs.bib, in the project fields ``summary`` (一句话总结), ``contribution``,
``limitation`` and ``relations`` (schema.PROJECT_FIELDS), so an entry and what the book
says about it travel together and every export strips them. This module reads and checks
them; the paper rows (paper_table.py), the lineage graphs (plots/lineage.py) and the reading
paths (reading_paths.py) show them.

``relations = {改进:hu2021lora; 基于:vaswani2017attention}`` points from the newer paper (the
entry that holds the field) to the older one it improves, builds on or compares with.
"""

from __future__ import annotations

import graphlib
import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from .file import RawEntry
from .papers import Paper, latex_to_text

#: Whether an entry without a summary is a problem, for a refs.bib whose project does not say:
#: a project opts in with ``[tool.llmkb] require-summary = true`` in the pyproject.toml beside its
#: refs.bib (this book does: every entry has its note), so small test projects and a new book
#: being filled are not held to it.
REQUIRE_SUMMARY = False


def summary_required(bib_path) -> bool:
    """The project's rule for the refs.bib at ``bib_path`` (see REQUIRE_SUMMARY)."""
    import tomllib
    from pathlib import Path

    pyproject = Path(bib_path).resolve().parent / "pyproject.toml"
    try:
        config = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return REQUIRE_SUMMARY
    return bool(config.get("tool", {}).get("llmkb", {}).get("require-summary", REQUIRE_SUMMARY))

#: A summary says what the paper does and its main result in one breath: 40-80 Han characters
#: (Latin names, numbers and punctuation do not count).
SUMMARY_MIN = 40
SUMMARY_MAX = 80

#: The relation verbs, each with its English sense and the words its back-link reads with
#: ("被 X 改进": X improves this paper).
VERBS: dict[str, str] = {"基于": "builds on", "改进": "improves", "对比": "compares with / answers"}
BACK_VERBS: dict[str, str] = {"基于": "沿用", "改进": "改进", "对比": "对比"}
VERBS_HELP = "基于 (builds on), 改进 (improves) or 对比 (compares with)"
RELATIONS_HELP = "write relations = {改进:hu2021lora; 基于:vaswani2017attention} (verb:key, separated by ';')"

#: CJK unified ideographs, extension A and the compatibility block: what counts as a 汉字.
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
#: Writers type full-width punctuation in Chinese text; ；and ：separate as ; and : do.
_ITEM_SPLIT = re.compile("[;；]")
_VERB_SPLIT = re.compile("[:：]")


def han_count(text: str) -> int:
    """How many Han characters ``text`` holds."""
    return len(HAN.findall(text))


@dataclass(frozen=True)
class Relation:
    verb: str  # one of VERBS (unchecked: parse_relations keeps what was written)
    key: str


def parse_relations(value: str) -> tuple[list[Relation], list[str]]:
    """(relations, items that are not ``verb:key``) of a ``relations`` field value."""
    out: list[Relation] = []
    malformed: list[str] = []
    for item in _ITEM_SPLIT.split(value):
        item = item.strip()
        if not item:
            continue
        parts = _VERB_SPLIT.split(item)
        if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
            malformed.append(item)
            continue
        out.append(Relation(parts[0].strip(), parts[1].strip()))
    return out, malformed


def relations(paper: Paper) -> list[Relation]:
    """The well-formed relations of a paper with a known verb (check reports the rest)."""
    return [r for r in parse_relations(paper.raw("relations"))[0] if r.verb in VERBS]


def summary(paper: Paper) -> str:
    """The paper's one-line summary as plain text ('' if it has none)."""
    return latex_to_text(paper.raw("summary"))


def row_id(key: str) -> str:
    """The id of a paper's row on a page (its first row there): what graphs and relations link to."""
    return "paper-" + key


def short_name(paper: Paper, labels: dict[str, str]) -> str:
    """A name to show for a paper in a relation or a graph node: its ``shortname`` when it has one
    ("3DGS": a title that does not start with the name readers know), else the title's head before a
    colon when short ("LoRA"), a short title whole, else its citation label ("Hu 2021")."""
    given = latex_to_text(paper.raw("shortname")).strip()
    if given:
        return given
    head = paper.title.split(":", 1)[0].strip()
    if ":" in paper.title and len(head) <= 24:
        return head
    if len(paper.title) <= 26:
        return paper.title
    return labels.get(paper.key, paper.key)


def short_names(papers: Iterable[Paper], labels: dict[str, str]) -> dict[str, str]:
    return {p.key: short_name(p, labels) for p in papers}


def edges(papers: Iterable[Paper]) -> list[tuple[str, str, str]]:
    """(newer key, older key, verb) for every valid relation between two different known entries."""
    papers = list(papers)
    known = {p.key for p in papers}
    return [(p.key, r.key, r.verb) for p in papers for r in relations(p) if r.key in known and r.key != p.key]


def back_links(papers: Iterable[Paper]) -> dict[str, list[tuple[str, str]]]:
    """older key -> [(verb, newer key)]: who builds on, improves or compares with each entry."""
    out: dict[str, list[tuple[str, str]]] = {}
    for newer, older, verb in edges(papers):
        out.setdefault(older, []).append((verb, newer))
    return out


def check_notes(entries: Sequence[RawEntry], path: str, require_summary: bool | None = None) -> list:
    """Problems of the notes of all entries: summary length (and absence, when required),
    relations with an unknown verb or key, to the entry itself, twice, or in a cycle."""
    from .check import Problem, suggest  # bib_check calls this; the import is circular at module level

    require = REQUIRE_SUMMARY if require_summary is None else require_summary
    out: list[Problem] = []
    keys = {e.key: e for e in entries}

    def problem(e: RawEntry, name: str | None, message: str, fix: str) -> None:
        out.append(Problem(path, e.field_lines.get(name, e.line) if name else e.line, e.key, message, fix))

    graph: dict[str, set[str]] = {}
    for e in entries:
        raw = e.fields.get("summary", "")
        if raw.strip():
            n = han_count(latex_to_text(raw))
            if n > SUMMARY_MAX:
                problem(e, "summary", f"summary has {n} Han characters, more than {SUMMARY_MAX}",
                        f"shorten it to one sentence of {SUMMARY_MIN}-{SUMMARY_MAX} 汉字: what the paper does "
                        "and its main result; move the rest to contribution or limitation")
            elif n < SUMMARY_MIN:
                problem(e, "summary", f"summary has only {n} Han characters, fewer than {SUMMARY_MIN}",
                        f"say in Chinese what the paper does and its main result (with a number where there is "
                        f"one), {SUMMARY_MIN}-{SUMMARY_MAX} 汉字")
        elif require:
            problem(e, None, "missing summary (一句话总结)",
                    f"add summary = {{...}}: what the paper does and its main result, {SUMMARY_MIN}-{SUMMARY_MAX} 汉字")
        value = e.fields.get("relations")
        if value is None:
            continue
        found, malformed = parse_relations(value)
        for item in malformed:
            problem(e, "relations", f"relation '{item}' is not verb:key", RELATIONS_HELP)
        if not found and not malformed:
            problem(e, "relations", "relations is empty", "name at least one relation, or delete the field")
        seen: set[str] = set()
        for r in found:
            if r.verb not in VERBS:
                problem(e, "relations", f"unknown relation verb '{r.verb}' in '{r.verb}:{r.key}'"
                        f"{suggest(r.verb, VERBS)}", f"use {VERBS_HELP}, e.g. 改进:{r.key}")
            if r.key == e.key:
                problem(e, "relations", f"relation '{r.verb}:{r.key}' names the entry itself",
                        "a relation links two different papers: delete it")
                continue
            if r.key not in keys:
                problem(e, "relations", f"relation '{r.verb}:{r.key}' names no refs.bib entry{suggest(r.key, keys)}",
                        "write the key of an existing entry, add the paper to refs.bib first, or delete the relation")
                continue
            if r.key in seen:
                problem(e, "relations", f"relation to '{r.key}' named twice",
                        "keep one relation per pair of papers (the most specific verb)")
            seen.add(r.key)
            graph.setdefault(e.key, set()).add(r.key)
    out.extend(_cycles(graph, keys, problem))
    return out


def _cycles(graph: dict[str, set[str]], keys: dict[str, RawEntry], problem) -> list:
    """One problem per cycle of relations. A relation points from the newer paper to the older,
    so a cycle means one of its relations is backwards. graphlib (stdlib) finds a cycle; one of
    its edges is dropped and the search repeats, so every independent cycle is reported once."""
    graph = {k: set(v) for k, v in graph.items()}
    for _ in range(sum(len(v) for v in graph.values())):  # each round removes an edge
        try:
            graphlib.TopologicalSorter(graph).prepare()
            return []
        except graphlib.CycleError as err:
            # graphlib lists each node before the one that depends on it: reversed, each entry is
            # followed by the one its relation names
            cycle = list(reversed(err.args[1]))[:-1]
            first = min(cycle, key=lambda k: keys[k].line)
            start = cycle.index(first)
            ring = cycle[start:] + cycle[:start] + [first]
            problem(keys[first], "relations", "relations form a cycle: " + " → ".join(ring),
                    "a relation points from the newer paper to the older one it builds on, improves or "
                    "compares with: delete the backwards one")
            graph[first].discard(ring[1])  # drop one relation of the ring and look for the next
    return []
