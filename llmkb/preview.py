"""``make livehtml``: sphinx-autobuild, with each rebuild run inside its own, warm process.

sphinx-autobuild starts a new ``sphinx-build`` process for every change, and a new process pays a
fixed cost before it looks at the edited page: importing Sphinx, the theme and the extensions
(1.25 s), loading jieba's dictionaries, reading the environment — a no-op rebuild of this book is
2.6 s, a fifth of a clean build (benchmarks/README.md). :class:`WarmBuilder` replaces
sphinx-autobuild's builder and calls Sphinx's own ``build_main`` in the server's process (in the
worker sphinx-autobuild forks from it for each rebuild), where all of that is already loaded: an
edit rebuilds in under a second. Everything else (watching, serving, reloading the browser) is
sphinx-autobuild's.

Each rebuild is still a new Sphinx application reading the pickled environment, exactly as
``sphinx-build`` does; tests/test_preview.py checks that the result equals a clean build. A change
to Python code (``conf.py``, ``llmkb/``) cannot take effect in modules already imported, so from
then on every rebuild runs in a fresh process again, as sphinx-autobuild does by itself.

A ``--watch`` that names a file (conf.py, refs.bib) is watched through its folder (:class:`Watcher`):
a watch on the file itself ends at the first save by an editor that writes a new file and renames it
over the old one (vim, JetBrains' "safe write"), and later saves went unnoticed.

    python -m llmkb.preview -c . docs _build/html --watch refs.bib --watch conf.py --watch llmkb
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import sphinx.locale
import watchfiles
from sphinx.cmd.build import build_main
from sphinx_autobuild import __main__ as autobuild
from sphinx_autobuild.build import Builder
from sphinx_autobuild.server import RebuildServer
from sphinx_autobuild.utils import show_message

#: changes that need a fresh process to take effect
CODE_SUFFIXES = frozenset({".py"})


class WarmBuilder(Builder):
    """sphinx-autobuild's ``Builder``, building in this process while no Python file has changed."""

    warm = True

    def __call__(self, *, changed_paths: Sequence[Path] = ()) -> bool:
        """Rebuild; return whether the next rebuild may still run warm. The server calls this in
        a worker process (a copy of the builder), so :class:`Watcher` carries the answer back."""
        if any(Path(path).suffix in CODE_SUFFIXES for path in changed_paths):
            if self.warm:
                show_message("Python code changed: rebuilding in a new process from now on "
                             "(restart `make livehtml` for fast rebuilds)")
            self.warm = False
        if not self.warm:
            super().__call__(changed_paths=changed_paths)
            return False
        if changed_paths:
            names = ", ".join(Path(p).name for p in list(changed_paths)[:5])
            show_message(f"Detected changes ({names})")
        show_message("Rebuilding (in this process)...")
        if self._run_commands(self.pre_build_commands, "pre-build") != 0:
            return True
        status = build_in_this_process(list(self.sphinx_args))
        preload_jieba()
        if status != 0:
            print(f"Sphinx exited with exit code: {status}. The server keeps serving the last "
                  "build; fix the error above, or press Ctrl+C to stop.")
        else:
            self._run_commands(self.post_build_commands, "post-build")
        show_message(f"Serving on {self.uri}")
        return True


def build_in_this_process(args: list[str]) -> int:
    """``build_main``, leaving Sphinx's message catalogs (the global ``sphinx.locale.translators``)
    as they were, as a ``sphinx-build`` process leaves nothing: a new app adds its catalogs to the
    ones it finds there, so each warm rebuild would chain one more copy of them."""
    saved = dict(sphinx.locale.translators)
    try:
        return build_main(args)
    finally:
        sphinx.locale.translators.clear()
        sphinx.locale.translators.update(saved)


def preload_jieba() -> None:
    """Load jieba's dictionary now, between builds, if no build has needed it yet (a no-op first
    build does not): otherwise the first edit would wait ~0.8 s for it."""
    try:
        import jieba
    except ImportError:
        return
    if not jieba.dt.initialized:
        jieba.initialize()


class Watcher(RebuildServer):
    """sphinx-autobuild's ``RebuildServer``, watching each file it is given through the file's
    folder (not recursively, and reporting that file only), so that saving by rename cannot end
    the watch; folders are watched recursively, as sphinx-autobuild does."""

    async def changes(self) -> AsyncIterator[list[Path]]:
        """Each batch of changed paths, from the folders and the files together."""
        folders = [p for p in self.paths if p.is_dir()]
        files = frozenset(p for p in self.paths if not p.is_dir())
        batches: asyncio.Queue = asyncio.Queue()

        async def pump(paths: list[Path], recursive: bool, wanted) -> None:
            async for batch in watchfiles.awatch(*paths, recursive=recursive,
                                                 watch_filter=lambda _, path: wanted(Path(path)) and not self.ignore(path)):
                await batches.put(batch)

        pumps = []
        if folders:
            pumps.append(asyncio.create_task(pump(folders, True, lambda path: True)))
        if files:
            pumps.append(asyncio.create_task(pump(sorted({f.parent for f in files}), False,
                                                  lambda path: path in files)))
        try:
            while True:
                getter = asyncio.create_task(batches.get())
                done, _ = await asyncio.wait([getter, *pumps], return_when=asyncio.FIRST_COMPLETED)
                if getter not in done:  # a watch ended: its error (or the end) stops the server as before
                    getter.cancel()
                    for task in done:
                        task.result()
                    return
                yield [Path(path).resolve() for _, path in getter.result()]
        finally:
            for task in pumps:
                task.cancel()

    async def watch(self) -> None:
        # as RebuildServer.watch, from changes(); each rebuild runs in a worker process, forked
        # from this one, on a copy of the builder: a WarmBuilder that went cold there stays cold
        # here too, or the next rebuild would run warm on the Python code loaded before the change
        async for changed_paths in self.changes():
            with ProcessPoolExecutor() as pool:
                fut = pool.submit(self.change_callback, changed_paths=changed_paths)
                still_warm = await asyncio.wrap_future(fut)
            if isinstance(self.change_callback, WarmBuilder) and still_warm is False:
                self.change_callback.warm = False
            self.flag.set()


def main(argv: Sequence[str] | None = None) -> None:
    autobuild.Builder = WarmBuilder  # sphinx-autobuild's main() looks its builder class up here
    autobuild.RebuildServer = Watcher  # and its watcher class (_create_app)
    autobuild.main(list(argv if argv is not None else sys.argv[1:]))


if __name__ == "__main__":
    main()
