"""A helper process that answers JSON lines: ``python -m MODULE ARGS``, one JSON value per line in,
one per line out, in the same order.

The build hands slow, self-contained work to one (MathJax: llmkb.math.svg; the lineage graphs:
llmkb.plots.lineage_process) so it runs on a second core while Sphinx reads the pages. Two threads
move the lines — one writes the requests, one reads the answers as they come — so the build never
waits on a full pipe (30 graph jobs are more than a pipe holds: writing them in the build's own
thread stopped it for seconds while the process drew the first ones); a process that answers
nothing for ``stall_seconds`` is stopped with an error instead of hanging the build.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import tempfile
import threading
from typing import Callable

try:
    import fcntl
except ImportError:  # Windows: pipes keep their default size
    fcntl = None


#: bytes the pipe from the process holds before its writes block (Linux's default is 64 KB, 16 of
#: MathJax's answers of ~4 KB: ~50 ms of drawing). The build's main thread holds the GIL for up to
#: a second at a time (a full collection, jieba's dictionary), and the thread reading the answers
#: waits for it; with 1 MB, what the process draws meanwhile still fits. 1 MB is Linux's default
#: limit for an unprivileged process (/proc/sys/fs/pipe-max-size).
PIPE_SIZE = 1 << 20


def widen_pipe(fd: int, size: int = PIPE_SIZE) -> int:
    """Make the pipe ``fd`` hold ``size`` bytes where the system allows it (Linux); its size after."""
    if fcntl is None or not hasattr(fcntl, "F_SETPIPE_SZ"):
        return 0
    try:
        return fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, size)
    except OSError:  # above the system's limit: keep the default
        return fcntl.fcntl(fd, fcntl.F_GETPIPE_SZ)


class LineProcess:
    #: what the process does, for messages ("drew nothing for …")
    verb = "answered"
    #: what one value sent is, in messages ("3 of 4 formulas done")
    item = "values"
    #: the error raised; subclasses name their own
    error: type[Exception] = RuntimeError
    #: appended to the message of a process that failed
    hint = ""

    def __init__(self, module: str, *args: str) -> None:
        self.module = module
        self.count = 0  # values sent
        self._lines: list[str] = []
        self._stderr = tempfile.TemporaryFile()
        try:
            self._proc = subprocess.Popen([sys.executable, "-m", module, *args],
                                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr,
                                          text=True, encoding="utf-8")
        except OSError as error:
            self._stderr.close()
            raise self.error(f"cannot start python -m {module}: {error}") from error
        widen_pipe(self._proc.stdout.fileno())
        self._reader = threading.Thread(target=self._lines.extend, args=(self._proc.stdout,), daemon=True)
        self._reader.start()
        self._outbox: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self._writer = threading.Thread(target=self._write_all, daemon=True)
        self._writer.start()

    def _write_all(self) -> None:
        """The writer thread: each text put in the outbox, then (at None) the end of input."""
        broken = False
        while (text := self._outbox.get()) is not None:
            if broken:
                continue
            try:
                self._proc.stdin.write(text)
                self._proc.stdin.flush()
            except (BrokenPipeError, ValueError):
                broken = True  # it died: results() says why
        try:
            self._proc.stdin.close()
        except BrokenPipeError:
            pass

    @property
    def stall_seconds(self) -> float:
        return 300

    @property
    def answered(self) -> int:
        """Values answered so far (the reader thread adds them as they come)."""
        return len(self._lines)

    def write(self, values: list) -> None:
        """Send ``values``, one JSON line each."""
        if not values:
            return
        self._outbox.put("".join(json.dumps(v, ensure_ascii=True) + "\n" for v in values))
        self.count += len(values)

    def results(self) -> list:
        """Every answer, in order, once the process has answered all and ended."""
        self._outbox.put(None)  # the writer sends what is left, then closes the process's input
        done = -1
        while self._reader.is_alive() and done < len(self._lines):  # a hung process fails the build
            done = len(self._lines)
            self._reader.join(self.stall_seconds)
        if self._reader.is_alive():
            self.stop()
            raise self.error(f"python -m {self.module} {self.verb} nothing for {self.stall_seconds} s "
                             f"({len(self._lines)} of {self.count} {self.item} done) and was stopped; build again")
        code = self._proc.wait()
        self._writer.join()
        self._stderr.seek(0)
        stderr = self._stderr.read().decode("utf-8", "replace")
        self._stderr.close()
        if code != 0:
            raise self.error(f"python -m {self.module} failed ({code}):\n{stderr[-2000:]}{self.hint}")
        if len(self._lines) != self.count:
            raise self.error(f"asked for {self.count} {self.item}, got {len(self._lines)}")
        return [json.loads(line) for line in self._lines]

    def stop(self) -> None:
        """Abandon it (the build failed before its answers were needed)."""
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.wait()
        self._outbox.put(None)
        self._writer.join()
        self._reader.join()
        if not self._stderr.closed:
            self._stderr.close()


class BuildProcess:
    """The one helper process of its kind that a build keeps, on its Sphinx app under ``attr``:
    started by the first :meth:`get`, handed over once by :meth:`take` (the build then collects its
    answers), stopped by :meth:`stop` (a ``build-finished`` handler) if the build ends before that."""

    def __init__(self, attr: str, start: Callable[[], LineProcess]) -> None:
        self.attr, self.start = attr, start

    def get(self, app) -> LineProcess:
        process = getattr(app, self.attr, None)
        if process is None:
            process = self.start()
            setattr(app, self.attr, process)
        return process

    def take(self, app) -> LineProcess | None:
        """This build's process, if one was started; the build forgets it."""
        process = getattr(app, self.attr, None)
        setattr(app, self.attr, None)
        return process

    def stop(self, app, exception=None) -> None:
        process = self.take(app)
        if process is not None:
            process.stop()
