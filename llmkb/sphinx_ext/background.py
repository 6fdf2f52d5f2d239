"""The HTML build's exports, written by a forked process while Sphinx writes the pages.

Besides its pages, an HTML build writes one file per paper for the citation dialogs (with every
paper's GB/T 7714 and APA reference formatted first), each page's reference files, paging's data
file and the feed (``extension.write_exports``). They need only what reading produced, yet were
written at ``build-finished``, one after the other on one core: ~10 s of the 10,000-entry book's
build while the machine's second core sat idle. So once reading is over (``env-updated``, after
every other handler) the build forks, the child writes the exports and exits, and the parent
writes the pages meanwhile; ``build-finished`` waits for the child before anything else runs.

The child sends back what it logged at warning level or above (re-logged by the parent, so ``-W``
still counts it) and, if it failed, its traceback (the build then fails with it). Where forking is
not safe or not possible — no ``os.fork`` (Windows), or a thread is alive (a fork copies only the
calling thread; ``llmkb.preview`` serves pages from one), or the builder is not the HTML site's (EPUB
lists every file of its output folder in its manifest when its pages are written, so the exports
must come after that) — the exports are written at ``build-finished`` in the process itself, as before.

``start`` and ``wait`` serve any such child, each kept under its own name on the app, and hand back
what its job returns: ``split_write`` writes a share of the pages in a second one.
"""

from __future__ import annotations

import gc
import logging
import os
import pickle
import signal
import sys
import threading
import traceback
from typing import Any, Callable

from docutils.nodes import Node
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging as sphinx_logging
from sphinx.util.logging import get_node_location

logger = sphinx_logging.getLogger(__name__)


#: where the exports' child is kept on the app (other children name their own slot)
EXPORTS_SLOT = "llmkb_background"


class _Child:
    def __init__(self, pid: int, reply: int) -> None:
        self.pid, self.reply = pid, reply


def threads_alive() -> int:
    return threading.active_count()


def can_fork() -> bool:
    return hasattr(os, "fork") and threads_alive() == 1


def start(app: Sphinx, job: Callable[[Sphinx], Any], slot: str = EXPORTS_SLOT) -> bool:
    """Run ``job(app)`` in a forked child kept on ``app.<slot>``; False (nothing started) where
    forking is not safe. What the job returns reaches the parent through ``wait``."""
    if not can_fork():
        return False
    read_end, write_end = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_end)
        _run_child(app, job, write_end)
    os.close(write_end)
    setattr(app, slot, _Child(pid, read_end))
    return True


class _Recorder(sphinx_logging.WarningStreamHandler):
    """Keeps what the child logs at warning level. A ``WarningStreamHandler`` (it writes to no
    stream), because Sphinx's ``pending_warnings`` — around its writing of pages — sets those
    aside and hands them the held warnings once at the end: any other handler would get each
    warning twice, as it is logged and again when it is released."""

    def __init__(self) -> None:
        super().__init__()
        self.setLevel(logging.WARNING)
        self.records: list[dict] = []

    def emit(self, record: logging.LogRecord) -> None:
        location = getattr(record, "location", None)
        if isinstance(location, Node):  # a node does not cross the pipe: its "file:line" does
            location = get_node_location(location)
        self.records.append({"message": record.getMessage(), "location": location,
                             "type": getattr(record, "type", None), "subtype": getattr(record, "subtype", None)})


def _run_child(app: Sphinx, job: Callable[[Sphinx], Any], reply: int) -> None:
    # the child only allocates what it writes, then exits: a collection would only touch (and so
    # copy) pages it shares with the parent
    gc.disable()
    recorder = _Recorder()
    sphinx_root = logging.getLogger(sphinx_logging.NAMESPACE)
    for handler in list(sphinx_root.handlers):  # the parent reports; the child's terminal stays quiet
        sphinx_root.removeHandler(handler)
    sphinx_root.addHandler(recorder)
    error, code, result = None, 0, None
    try:
        result = job(app)
    except BaseException:  # noqa: BLE001 — everything goes back to the parent
        error, code = traceback.format_exc(), 1
    try:
        # pickle, not JSON: a result holds sets and tuples (a warning's location is a tuple too)
        data = pickle.dumps({"warnings": recorder.records, "error": error, "result": result})
        with os.fdopen(reply, "wb") as out:
            out.write(data)
    finally:
        os._exit(code)  # no atexit handlers, no flushing of buffers copied from the parent


def finish(app: Sphinx, exception: Exception | None, job: Callable[[Sphinx], None]) -> None:
    """Wait for the exports' child (or, if none was started, run ``job`` here)."""
    if getattr(app, EXPORTS_SLOT, None) is None:
        setattr(app, EXPORTS_SLOT, None)
        if exception is None:
            job(app)
        return
    wait(app, EXPORTS_SLOT, "writing the exports (reference files, citation dialogs, feed)",
         exception)


def wait(app: Sphinx, slot: str, what: str, exception: Exception | None = None) -> Any:
    """Wait for the child on ``app.<slot>``, re-log what it logged and return what its job
    returned. If the build has failed (``exception``) the child is stopped, its work no longer
    wanted; if the child failed, the build fails with its traceback or exit code, ``what`` naming
    the work."""
    child = getattr(app, slot, None)
    setattr(app, slot, None)
    if child is None:
        return None
    if exception is not None:
        os.kill(child.pid, signal.SIGKILL)
    with os.fdopen(child.reply, "rb") as reply:
        data = reply.read()
    code = os.waitstatus_to_exitcode(os.waitpid(child.pid, 0)[1])
    if exception is not None:
        return None
    try:
        report = pickle.loads(data)
    except Exception:  # noqa: BLE001 — a child that died mid-write leaves a truncated report
        report = {"warnings": [], "error": None, "result": None}
    for record in report["warnings"]:
        logger.warning(record["message"], location=record["location"], type=record["type"],
                       subtype=record["subtype"])
    if report["error"] or code != 0:
        raise ExtensionError(f"llmkb: {what} failed in the background process (exit code {code}):\n"
                             f"{report['error'] or 'it ended without a report (killed?)'}")
    return report["result"]
