"""The build-time figures (:mod:`llmkb.plots`), drawn by a forked child while the first pages are read.

matplotlib drew them at ``builder-inited``, before any page was read: ~0.6 s of every clean build
on one core, the other idle. A figure is needed only once a page that shows it is read (Sphinx
checks then that the image file exists). So at ``builder-inited`` the figures whose inputs changed
are found — cheap, from each figure's stamp (``plots.pending``) — and a forked child draws them
(``background.start``) while Sphinx reads the paper listings and the pages before them; a page
whose source names ``_generated/plots/`` waits for the child before it is read (``source-read``).

Sphinx chose the pages to read before a figure changed on disk, so at ``env-get-outdated`` the
pages that show a figure being redrawn are added (their dependencies name the file). Where forking
is not safe, in a ``-j`` build (its workers read the pages) or with nothing to draw, the figures
are drawn in the process before reading, as before.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from .. import plots
from . import background, citation_style, library

logger = logging.getLogger(__name__)

#: where the drawing child is kept on the app (``background.start``)
SLOT = "llmkb_figures_child"
#: on the app: the names of the figures this build draws
REDRAWN = "llmkb_figures_redrawn"


def start(app: Sphinx) -> None:
    """``builder-inited``: draw the figures whose inputs changed, in a child where it is safe."""
    setattr(app, REDRAWN, set())
    if not app.config.llmkb_plots:
        return
    from ..plots import fonts

    family = fonts.cjk_family()
    if family is None:
        logger.warning(f"no CJK font found: Chinese text in figures would render as boxes — {fonts.HINT}",
                       type="llmkb", subtype="font")
    srcdir = Path(app.srcdir)
    todo = plots.pending(srcdir, library.papers(), citation_style.LABELS, family)
    if not todo:
        return
    setattr(app, REDRAWN, {figure.name for figure in todo})
    if app.parallel > 1 or not background.start(app, lambda app: plots.draw(srcdir, todo, family), slot=SLOT):
        plots.draw(srcdir, todo, family)


def wait(app: Sphinx, exception: Exception | None = None) -> None:
    """The child's figures are on disk (or the build fails with the child's error)."""
    background.wait(app, SLOT, "drawing the build-time figures (llmkb.plots)", exception)


def before_reading(app: Sphinx, docname: str, source: list[str]) -> None:
    """``source-read``: a page that shows a figure is read once the figures are drawn."""
    if getattr(app, SLOT, None) is not None and plots.GENERATED.as_posix() in source[0]:
        wait(app)


def pages_showing_redrawn(app: Sphinx, env: BuildEnvironment, added, changed, removed) -> list[str]:
    """``env-get-outdated``: the pages that show a figure this build redraws."""
    redrawn = {Path(app.srcdir, plots.GENERATED, name) for name in getattr(app, REDRAWN, ())}
    if not redrawn:
        return []
    return sorted(doc for doc, files in env.dependencies.items()
                  if doc in env.found_docs and any(Path(app.srcdir, f) in redrawn for f in files))


def after_reading(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated``: no page showed a figure; the child is waited for all the same."""
    wait(app)


def stop(app: Sphinx, exception: Exception | None) -> None:
    if getattr(app, SLOT, None) is not None:
        wait(app, exception)


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", start)
    app.connect("env-get-outdated", pages_showing_redrawn)
    app.connect("source-read", before_reading, priority=100)
    app.connect("env-updated", after_reading, priority=100)
    app.connect("build-finished", stop, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
