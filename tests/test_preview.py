"""llmkb.preview: sphinx-autobuild's rebuilds run in its own process, with a clean build's result."""

import asyncio
import concurrent.futures
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import sphinx.locale
import sphinx_autobuild.build
from sphinx.cmd.build import build_main

from llmkb.preview import WarmBuilder

ROOT = Path(__file__).parent / "roots" / "test-basic"


def builder(src: Path, out: Path) -> WarmBuilder:
    args = ["-q", "-c", str(src), str(src), str(out / "html"), "-d", str(out / "doctrees")]
    return WarmBuilder(args, url_host="127.0.0.1:0", pre_build_commands=[], post_build_commands=[])


def run(coroutine):
    """``asyncio.run`` in a thread of its own: the browser tests' Playwright keeps an event loop
    running in the main thread for the whole session, where ``asyncio.run`` refuses to start."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def outputs(html: Path) -> dict[str, str]:
    return {str(p.relative_to(html)): p.read_text(encoding="utf-8")
            for p in sorted(html.rglob("*")) if p.suffix in {".html", ".js", ".bib"} and "_static" not in p.parts}


@pytest.fixture
def project(tmp_path, monkeypatch):
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    with (src / "conf.py").open("a", encoding="utf-8") as f:
        f.write('\nlanguage = "zh_CN"\n')  # jieba and the book's dictionary, as in the book

    class NoSubprocess:  # what sphinx-autobuild's own builder would use to start sphinx-build
        CalledProcessError = subprocess.CalledProcessError

        @staticmethod
        def run(*args, **kwargs):
            raise AssertionError(f"a new process was started: {args}")

    monkeypatch.setattr(sphinx_autobuild.build, "subprocess", NoSubprocess)
    return src


def test_edits_rebuild_in_this_process_and_equal_a_clean_build(project, tmp_path):
    catalogs = dict(sphinx.locale.translators)
    warm = builder(project, tmp_path / "warm")
    warm(changed_paths=())
    for n, name in enumerate(["index.md", "other.md", "index.md"]):
        page = project / name
        page.write_text(page.read_text(encoding="utf-8") + f"\n第 {n} 次修改：新增一句话。\n", encoding="utf-8")
        warm(changed_paths=[page])
    bib = project / "refs.bib"  # a refs.bib edit too: nothing read from it may stay cached
    bib.write_text(bib.read_text(encoding="utf-8").replace("kind = {低秩适配}", "kind = {低秩适配方法}"),
                   encoding="utf-8")
    warm(changed_paths=[bib])
    assert warm.warm
    # each rebuild leaves Sphinx's global catalogs as a sphinx-build process would: untouched
    assert sphinx.locale.translators == catalogs
    assert build_main(["-q", "-c", str(project), str(project), str(tmp_path / "clean" / "html"),
                       "-d", str(tmp_path / "clean" / "doctrees")]) == 0
    got, want = outputs(tmp_path / "warm" / "html"), outputs(tmp_path / "clean" / "html")
    assert "第 2 次修改" in got["index.html"] and "第 1 次修改" in got["other.html"]
    assert "<td>低秩适配方法</td>" in got["index.html"]
    assert got.keys() == want.keys()
    for name in want:
        assert got[name] == want[name], name


def test_a_python_change_goes_back_to_a_new_process_for_good(project, tmp_path, monkeypatch):
    fresh = []
    monkeypatch.setattr(sphinx_autobuild.build.Builder, "__call__",
                        lambda self, *, changed_paths: fresh.append(list(changed_paths)))
    warm = builder(project, tmp_path / "out")
    warm(changed_paths=[project / "conf.py"])
    warm(changed_paths=[project / "index.md"])
    assert not warm.warm
    assert fresh == [[project / "conf.py"], [project / "index.md"]]


def test_a_failed_rebuild_keeps_serving(project, tmp_path, capsys):
    warm = builder(project, tmp_path / "out")
    warm(changed_paths=())
    (project / "conf.py").write_text("this is not python\n", encoding="utf-8")
    (project / "index.md").write_text("# 改了\n", encoding="utf-8")
    warm(changed_paths=[project / "index.md"])  # Sphinx reports the broken conf.py, returns non-zero
    out = capsys.readouterr().out
    assert "Sphinx exited with exit code: 2" in out and "Serving on http://127.0.0.1:0" in out


# ---------------------------------------------------------------- what `make livehtml` watches

REPO = Path(__file__).resolve().parent.parent
#: what the build reads outside docs/ (conf.py; bibtex_bibfiles; the cite-book directive;
#: [tool.llmkb] for notes.summary_required; the extension's code and data)
BUILD_INPUTS = {"conf.py", "refs.bib", "CITATION.cff", "pyproject.toml", "llmkb"}


def livehtml_watches() -> list[str]:
    text = (REPO / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    (recipe,) = [line for line in text.splitlines() if "llmkb.preview" in line]
    words = recipe.split()
    return [words[i + 1] for i, word in enumerate(words) if word == "--watch"]


def test_livehtml_watches_every_input_the_build_reads():
    watched = livehtml_watches()
    assert BUILD_INPUTS <= set(watched), f"make livehtml does not watch {sorted(BUILD_INPUTS - set(watched))}"
    assert all((REPO / path).exists() for path in watched)


def test_a_watched_file_is_still_watched_after_a_save_by_rename(tmp_path):
    """Editors that save by writing a new file and renaming it over the old one (vim) ended a
    watch on the file itself: the second save went unnoticed. Watcher watches it through its
    folder, and reports that file only, not its neighbours."""
    from sphinx_autobuild.filter import IgnoreFilter

    from llmkb.preview import Watcher

    (tmp_path / "docs").mkdir()
    conf = tmp_path / "conf.py"
    conf.write_text("a = 0\n", encoding="utf-8")
    watcher = Watcher([tmp_path / "docs", conf], IgnoreFilter([], []), change_callback=print)

    async def saves() -> list[list[Path]]:
        batches = watcher.changes()
        seen = []
        for n in range(3):
            nxt = asyncio.ensure_future(anext(batches))
            # The watch starts in its own thread at some point after this: save again every
            # half second until a batch comes (a save before the watch began is not seen).
            for attempt in range(40):
                (tmp_path / "neighbour.py").write_text(f"b = {n}.{attempt}\n", encoding="utf-8")  # not watched
                if n < 2:
                    new = tmp_path / "conf.py.new"
                    new.write_text(f"a = {n + 1}.{attempt}\n", encoding="utf-8")
                    os.replace(new, conf)
                else:
                    (tmp_path / "docs" / "page.md").write_text(f"# 页 {attempt}\n", encoding="utf-8")
                done, _ = await asyncio.wait({nxt}, timeout=0.5)
                if done:
                    break
            seen.append(await asyncio.wait_for(nxt, timeout=10))
        await batches.aclose()
        return seen

    first, second, third = run(saves())
    assert conf.resolve() in first and conf.resolve() in second
    assert set(third) == {(tmp_path / "docs" / "page.md").resolve()}
    assert not any(p.name.startswith("neighbour") or p.name == "conf.py.new" for p in first + second + third)


def test_after_a_python_change_the_server_stays_cold(project, tmp_path, monkeypatch):
    """The server runs each rebuild in a worker process, on a copy of the builder: the copy went
    cold after a change to Python code, the server's builder did not, and the next page edit was
    built warm again, with the code loaded before the change (the guide promises a new process
    from then on)."""
    from sphinx_autobuild.filter import IgnoreFilter

    from llmkb import preview
    from llmkb.preview import Watcher

    log = tmp_path / "rebuilds.txt"

    def record(kind):
        def rebuild(*args, **kwargs):
            with log.open("a", encoding="utf-8") as f:  # written by the worker process
                f.write(kind + "\n")
            return 0
        return rebuild

    monkeypatch.setattr(preview, "build_in_this_process", record("warm"))
    monkeypatch.setattr(sphinx_autobuild.build.Builder, "__call__",
                        lambda self, *, changed_paths: record("cold")())
    warm = builder(project, tmp_path / "out")
    watcher = Watcher([project], IgnoreFilter([], []), change_callback=warm)

    def rebuilds() -> int:
        return log.read_text(encoding="utf-8").count("\n") if log.exists() else 0

    async def edits() -> None:
        task = asyncio.create_task(watcher.watch())
        for name, text in [("ext.py", "x = 1\n"), ("index.md", "# 改了\n"), ("other.md", "# 又改了\n")]:
            before = rebuilds()
            # an edit made before the watch began is not seen: edit again each second until a
            # rebuild is logged (a busy machine can take a while to start the watch or a worker)
            for attempt in range(30):
                mark = f"# {attempt}" if name.endswith(".py") else f"<!-- {attempt} -->"
                (project / name).write_text(f"{text}{mark}\n", encoding="utf-8")
                for _ in range(20):
                    await asyncio.sleep(0.05)
                    if rebuilds() > before:
                        break
                if rebuilds() > before:
                    break
        watcher.should_exit.set()
        task.cancel()

    run(edits())
    kinds = log.read_text(encoding="utf-8").split()
    assert len(kinds) >= 3 and set(kinds) == {"cold"}  # every rebuild after ext.py's edit is cold
    assert not warm.warm
