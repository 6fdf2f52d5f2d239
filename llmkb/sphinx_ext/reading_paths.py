"""Reading paths (学习路线) and page prerequisites (issue 18).

Each topic page declares in its front matter the pages to read first::

    ---
    prerequisites: [foundations/transformer]
    ---

A reading path is an ordered list of steps, each a page (a docname, with a ``/``) or a paper
(a refs.bib key), with one sentence of why; the ``reading-path`` directive holds them as its
content, one step a line::

    efficiency/peft | 先搞清参数高效微调为什么省显存。
    hu2021lora | LoRA 是今天最常用的方法。

The steps are checked against the prerequisites and the relations of refs.bib: a page never
comes before a page it needs, a paper never before the paper it builds on. Plain functions
here; the directive (directives.ReadingPathDirective) reports what they find as warnings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping, Sequence

FIELD = "prerequisites"
_FIELD_LINE = re.compile(r"^prerequisites:\s*(.*)$")
STEP_HELP = ("write one step a line: '<page or refs.bib key> | <one sentence of why>', e.g. "
             "'efficiency/peft | 先搞清参数高效微调为什么省显存。'")


@dataclass(frozen=True)
class Step:
    target: str  # a docname ("efficiency/peft") or a refs.bib key ("hu2021lora")
    why: str
    line: int  # line in the page's source

    @property
    def is_page(self) -> bool:
        return "/" in self.target


def parse_steps(lines: Sequence[str], first_line: int) -> tuple[list[Step], list[tuple[int, str]]]:
    """(steps, [(line, problem)]) of a reading-path directive's content lines."""
    steps: list[Step] = []
    problems: list[tuple[int, str]] = []
    for i, text in enumerate(lines):
        line = first_line + i
        if not text.strip():
            continue
        target, sep, why = text.partition("|")
        target, why = target.strip().lstrip("/"), why.strip()
        if not sep or not target or not why:
            problems.append((line, f"step {text.strip()!r} is not '<page or key> | <why>' — {STEP_HELP}"))
            continue
        steps.append(Step(target, why, line))
    if not steps and not problems:
        problems.append((first_line, f"a reading path needs steps — {STEP_HELP}"))
    return steps, problems


def read_prerequisites(source: Path) -> list[str] | None:
    """The ``prerequisites`` list of a page's front matter (None if the page declares none).
    Read from the source rather than the environment: the reading-paths page needs every page's
    list while Sphinx may not have read those pages yet."""
    import yaml  # a dependency of myst-parser, which reads the same front matter

    text = source.read_text(encoding="utf-8")
    if not text.startswith("---"):
        return None
    end = text.find("\n---", 3)
    if end < 0:
        return None
    try:
        data = yaml.safe_load(text[3:end]) or {}
    except yaml.YAMLError as err:  # a traceback in the build and in `llmkb check`
        mark = getattr(err, "problem_mark", None)
        where = f" on line {mark.line + 1}" if mark is not None else ""
        raise ValueError(f"the front matter is not valid YAML ({getattr(err, 'problem', None) or err}{where})") from None
    if not isinstance(data, dict) or FIELD not in data:
        return None
    value = data[FIELD]
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{FIELD} must be a list of page names, e.g. [foundations/transformer]; got {value!r}")
    return [v.strip().lstrip("/") for v in value]


def topic_page_problems(sources: Mapping[str, Path], pages: Iterable[str]) -> list[tuple[str, int, str]]:
    """[(docname, line, problem — fix)] for the prerequisites of the topic pages ``sources``
    (docname -> source file) in a book of ``pages``: a field that is not a list, and
    prerequisite_problems. The build warns with these; ``llmkb check`` reports them."""
    declared: dict[str, list[str] | None] = {}
    out: list[tuple[str, int, str]] = []
    for doc, source in sources.items():
        try:
            declared[doc] = read_prerequisites(source)
        except ValueError as err:
            out.append((doc, field_line(source), f"{err} — fix the front matter"))
            declared[doc] = []
    if not declared:
        return out  # a partial project (a test root) without topic pages
    return out + [(doc, field_line(sources[doc]), message)
                  for doc, message in prerequisite_problems(declared, pages)]


def field_line(source: Path) -> int:
    """The line of the ``prerequisites:`` field (1 if absent): where a warning points."""
    for i, text in enumerate(source.read_text(encoding="utf-8").split("\n"), 1):
        if _FIELD_LINE.match(text):
            return i
    return 1


def prerequisite_problems(prerequisites: Mapping[str, list[str] | None], pages: Iterable[str]) -> list[tuple[str, str]]:
    """[(docname, problem — fix)] for the topic pages' prerequisites: missing field, unknown
    page, the page itself, and cycles (a page that, through others, needs itself)."""
    import graphlib

    pages = set(pages)
    out: list[tuple[str, str]] = []
    graph: dict[str, set[str]] = {}
    for doc, needs in sorted(prerequisites.items()):
        if needs is None:
            out.append((doc, f"the topic page declares no {FIELD} — add '{FIELD}: [foundations/transformer]' "
                             "(the pages to read first; [] for none) to its front matter"))
            continue
        for need in needs:
            if need == doc:
                out.append((doc, f"{FIELD} names the page itself — delete '{need}'"))
            elif need not in pages:
                import difflib

                close = difflib.get_close_matches(need, sorted(pages), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                out.append((doc, f"{FIELD} names an unknown page '{need}'{hint} — write a docname such as "
                                 "foundations/transformer"))
            else:
                graph.setdefault(doc, set()).add(need)
    while True:
        try:
            graphlib.TopologicalSorter(graph).prepare()
            break
        except graphlib.CycleError as err:
            ring = list(reversed(err.args[1]))
            out.append((ring[0], f"{FIELD} form a cycle: {' → '.join(ring)} — a page's prerequisites are "
                                 "read before it: delete one of them"))
            graph[ring[0]].discard(ring[1])
    return out


def _closure(graph: Mapping[str, Iterable[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = list(graph.get(start, ()))
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(graph.get(node, ()))
    return seen


def order_problems(steps: Sequence[Step], prerequisites: Mapping[str, Sequence[str] | None],
                   relations: Iterable[tuple[str, str, str]]) -> list[tuple[int, str]]:
    """[(line, problem)] for steps out of order: a page before a page it needs (directly or
    through others), a paper before one it builds on, improves or compares with (``relations``:
    (newer, older, verb), as notes.edges gives them), and a step listed twice."""
    position: dict[str, int] = {}
    out: list[tuple[int, str]] = []
    for i, step in enumerate(steps):
        if step.target in position:
            out.append((step.line, f"step '{step.target}' is listed twice — keep its first place"))
        position.setdefault(step.target, i)
    needs = {doc: set(v or ()) for doc, v in prerequisites.items()}
    older_of: dict[str, set[str]] = {}
    for newer, older, _ in relations:
        older_of.setdefault(newer, set()).add(older)
    for i, step in enumerate(steps):
        graph = needs if step.is_page else older_of
        for before in sorted(_closure(graph, step.target)):
            j = position.get(before)
            if j is not None and j > i:
                what = "a page it needs" if step.is_page else "a paper it builds on"
                out.append((step.line, f"step '{step.target}' comes before '{before}', {what} — move "
                                       f"'{before}' up, before line {step.line}"))
    return sorted(out)


def path_graph(steps: Sequence[Step], names: Mapping[str, str], prerequisites: Mapping[str, Sequence[str] | None],
               relations: Iterable[tuple[str, str, str]]):
    """The path as a graph: one node per step (``names``: target -> label), an arrow from each
    step to the next, and a dashed arrow for each prerequisite or relation between two steps
    that are not neighbours (what the order rests on)."""
    import networkx as nx

    from ..plots.lineage import VERB_STYLE

    graph = nx.DiGraph()
    order = list(dict.fromkeys(s.target for s in steps))
    for i, target in enumerate(order):
        graph.add_node(target, label=f"{i + 1}. {names.get(target, target)}", date=f"{i:04d}")
    next_style = (VERB_STYLE["改进"][0], "solid", 1.6)
    for a, b in zip(order, order[1:]):
        graph.add_edge(a, b, style=next_style, verb="next")
    index = {t: i for i, t in enumerate(order)}
    extra = [(need, doc) for doc in order for need in (prerequisites.get(doc) or ())]
    extra += [(older, newer) for newer, older, _ in relations]
    for a, b in extra:
        if a in index and b in index and index[a] < index[b] and not graph.has_edge(a, b):
            graph.add_edge(a, b, style=(VERB_STYLE["基于"][0], "dashed", 1.0), verb="needs")
    return graph
