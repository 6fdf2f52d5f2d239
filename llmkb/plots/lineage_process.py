"""``python -m llmkb.plots.lineage_process``: draws lineage graphs for a build, in a process of its own.

Reads one job per line (JSON, :func:`llmkb.plots.lineage.topic_job`) and answers each, in order,
with one line: ``{"svg": ...}`` or ``{"error": "..."}`` (the build then draws that graph itself and
reports the error where the graph is). llmkb/sphinx_ext/lineage_graphs.py starts it while Sphinx
reads the pages, so matplotlib runs on a second core.
"""

from __future__ import annotations

import json
import sys


def main() -> int:
    from . import lineage

    for line in sys.stdin:
        try:
            answer = {"svg": lineage.draw_topic(json.loads(line))}
        except Exception as err:  # noqa: BLE001 — the build reports it where the graph is
            answer = {"error": f"{type(err).__name__}: {err}"}
        sys.stdout.write(json.dumps(answer, ensure_ascii=True) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
