"""Figures generated at build time, so they never go stale.

Each figure is an SVG written under ``docs/_generated/plots/`` before Sphinx reads
the pages; pages include it with ``:::{figure} /_generated/plots/<name>.svg``.
A file is rewritten only when its bytes change, so unchanged figures never make
Sphinx rebuild the pages that show them.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import tempfile
from pathlib import Path
from typing import Callable, Sequence

from ..papers import Paper

GENERATED = Path("_generated") / "plots"


def _short_label(paper: Paper, labels: dict[str, str]) -> str:
    head = paper.title.split(":", 1)[0].strip()
    if ":" in paper.title and len(head) <= 24:
        return head
    if len(paper.title) <= 26:
        return paper.title
    return labels.get(paper.key, paper.key)


def timeline_points(papers: Sequence[Paper], labels: dict[str, str]) -> list[tuple[str, str, str]]:
    """(label, first-version date, Chinese group) for every milestone paper in refs.bib."""
    from ..topics import TOPICS_BY_ID

    groups = TOPICS_BY_ID["milestones"].tags
    out = []
    for p in papers:
        if "milestones" in p.topics:
            tag = next((t for t in p.tags if t in groups), None)
            if tag:
                out.append((_short_label(p, labels), p.date, groups[tag]))
    return out


def figures(papers: Sequence[Paper], labels: dict[str, str]) -> dict[str, tuple[Callable[[Path, str | None], None], str]]:
    """File name -> (function(path, font) drawing it, digest of everything the drawing depends on)."""
    from . import scaling, timeline

    points = timeline_points(papers, labels)

    def digest(module, data) -> str:
        return hashlib.sha256((inspect.getsource(module) + json.dumps(data, ensure_ascii=False)).encode()).hexdigest()

    return {
        "chinchilla-frontier.svg": (scaling.chinchilla_frontier, digest(scaling, None)),
        "milestone-timeline.svg": (lambda path, font: timeline.milestone_timeline(points, path, font),
                                   digest(timeline, points)),
    }


def render_all(srcdir: Path, papers: Sequence[Paper], labels: dict[str, str], font: str | None) -> list[Path]:
    outdir = srcdir / GENERATED
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (draw, inputs) in figures(papers, labels).items():
        target = outdir / name
        stamp = outdir / f".{name}.inputs"
        inputs = f"{inputs} {font}"
        # matplotlib is the slowest part of a no-op rebuild: draw only when an input changed
        if target.is_file() and stamp.is_file() and stamp.read_text() == inputs:
            written.append(target)
            continue
        with tempfile.TemporaryDirectory() as tmp:
            fresh = Path(tmp) / name
            draw(fresh, font)
            data = fresh.read_bytes()
        if not target.is_file() or target.read_bytes() != data:
            target.write_bytes(data)
        stamp.write_text(inputs)
        written.append(target)
    return written
