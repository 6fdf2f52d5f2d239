"""The build-time figures are drawn by a forked child while the first pages are read
(llmkb/sphinx_ext/figures.py): the same files as drawn in the process, a page that shows a redrawn
figure is read again, and a failure in the child fails the build, naming the work."""

import shutil
from pathlib import Path

import pytest
from sphinx.errors import ExtensionError

from llmkb import plots
from llmkb.sphinx_ext import background, figures, split_write

ROOT = Path(__file__).parent / "roots" / "test-basic"
FIGURE = "chinchilla-frontier.svg"


@pytest.fixture(autouse=True)
def _slots(monkeypatch):
    """The slots of the children background.start was asked for; the pages' writing child stays out."""
    monkeypatch.setattr(split_write, "BUILDERS", ())
    slots: list[str] = []
    real = background.start

    def start(app, job, slot=background.EXPORTS_SLOT):
        slots.append(slot)
        return real(app, job, slot)

    monkeypatch.setattr(background, "start", start)
    return slots


def project(tmp_path: Path, name: str) -> Path:
    src = tmp_path / name
    shutil.copytree(ROOT, src)
    (src / "conf.py").write_text((src / "conf.py").read_text().replace("llmkb_plots = False", "llmkb_plots = True"))
    bib = src / "refs.bib"  # the timeline needs a landmark paper
    bib.write_text(bib.read_text(encoding="utf-8").replace("keywords = {peft},\n  tags = {method},",
                                                           "keywords = {peft, milestones},\n  tags = {method, core-method},", 1),
                   encoding="utf-8")
    index = src / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("other\n```", "other\nfig\n```"), encoding="utf-8")
    (src / "fig.md").write_text(f"# 图\n\n:::{{figure}} /_generated/plots/{FIGURE}\n:alt: 一张图\n\n图注\n:::\n",
                                encoding="utf-8")
    return src


def drawn(src: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((src / plots.GENERATED).glob("*.svg"))
            if not p.name.startswith("lineage-")}


def test_a_child_draws_what_the_process_would(make_app, tmp_path, forks, monkeypatch, _slots):
    forked = make_app("html", srcdir=project(tmp_path, "forked"))
    forked.build()
    assert forked._warning.getvalue() == ""
    assert figures.SLOT in _slots and getattr(forked, figures.SLOT) is None  # drawn by a child, waited for
    files = drawn(Path(forked.srcdir))
    assert set(files) == {FIGURE, "milestone-timeline.svg"} and all(files.values())
    assert f"_images/{FIGURE}" in (Path(forked.outdir) / "fig.html").read_text(encoding="utf-8")

    _slots.clear()
    monkeypatch.setattr(background, "can_fork", lambda: False)
    inline = make_app("html", srcdir=project(tmp_path, "inline"))
    inline.build()
    assert figures.SLOT in _slots  # asked for, refused: drawn in the process
    assert drawn(Path(inline.srcdir)) == files
    for page in ("fig.html", f"_images/{FIGURE}"):
        assert (Path(inline.outdir) / page).read_bytes() == (Path(forked.outdir) / page).read_bytes()


def test_nothing_to_draw_no_child_and_a_redrawn_figure_rereads_its_page(make_app, tmp_path, forks, _slots):
    src = project(tmp_path, "book")
    make_app("html", srcdir=src).build()
    _slots.clear()
    again = make_app("html", srcdir=src)
    again.build()
    assert figures.SLOT not in _slots  # every stamp matches: nothing drawn
    read_before = dict(again.env.all_docs)

    stamp = src / plots.GENERATED / f".{FIGURE}.inputs"
    stamp.write_text("inputs of another day")  # as if refs.bib or the drawing code had changed
    third = make_app("html", srcdir=src)
    third.build()
    assert figures.SLOT in _slots and stamp.read_text() != "inputs of another day"
    assert third.env.all_docs["fig"] > read_before["fig"]  # the page showing it was read again
    assert third.env.all_docs["other"] == read_before["other"]  # the others were not


def test_a_failure_in_the_child_fails_the_build(make_app, tmp_path, forks, monkeypatch, _slots):
    def broken(path, font):
        raise RuntimeError("matplotlib fell over")

    real = plots.figures
    monkeypatch.setattr(plots, "figures", lambda papers, labels: {**real(papers, labels), FIGURE: (broken, "x")})
    app = make_app("html", srcdir=project(tmp_path, "broken"))
    with pytest.raises(ExtensionError, match=r"(?s)drawing the build-time figures.*matplotlib fell over"):
        app.build()
    assert figures.SLOT in _slots


def test_a_parallel_build_draws_before_reading(make_app, tmp_path, _slots):
    app = make_app("html", srcdir=project(tmp_path, "parallel"), parallel=2)
    app.build()
    assert figures.SLOT not in _slots  # -j workers read the pages: no child to wait for there
    assert set(drawn(Path(app.srcdir))) == {FIGURE, "milestone-timeline.svg"}


def test_a_page_that_shows_a_figure_waits_for_the_child(make_app, tmp_path, forks, monkeypatch, _slots):
    """The child is slow here (a second before it draws); the page showing its figure is read only
    once the file is there, so Sphinx finds the image."""
    import time

    real = plots.figures

    def slow_figures(papers, labels):
        out = dict(real(papers, labels))
        draw, stamp = out[FIGURE]
        out[FIGURE] = (lambda path, font: (time.sleep(1), draw(path, font)), stamp)
        return out

    monkeypatch.setattr(plots, "figures", slow_figures)
    app = make_app("html", srcdir=project(tmp_path, "slow"))
    app.build()
    assert figures.SLOT in _slots
    assert app._warning.getvalue() == ""  # no "image file not readable"
    assert (Path(app.outdir) / "_images" / FIGURE).is_file()
