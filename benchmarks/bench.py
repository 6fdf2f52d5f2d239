#!/usr/bin/env python3
"""Build-speed benchmark of the llmkb book (``make bench``; findings in benchmarks/README.md).

One run prints one table:

1. a clean build of the real book (wall time, peak RSS of the sphinx process);
2. the same pages with every ``paper-table``/``paper-index`` replaced by a static Markdown table
   of the same rows (the ratio is the cost of the llmkb extension);
3. incremental rebuilds of the real book: nothing changed, one topic page edited, one refs.bib
   entry edited (with the number of pages Sphinx re-read and rewrote), and a ``-j auto`` clean
   build compared byte for byte with the serial one;
4. the real book with refs.bib grown to 1,000 and 10,000 entries by copying its own entries
   (benchmarks/grow.py): clean build wall, CPU, peak RSS, time(10k)/time(1k);
5. synthetic books generated with a fixed seed: a refs.bib of 1,000 / 3,000 / 10,000 valid entries
   over 20 real topics, 20 topic pages with paper tables and a filtered ``{bibliography}`` each.

and a second table, the grown books' reader side (benchmarks/reader.py): the largest first-load
transfer and the most elements of any built page, the paper index and the largest topic page,
Lighthouse mobile performance on those two (benchmarks/lighthouse.py), and the paper filter's
keystroke-to-result time in chromium.

Every build runs in a scratch copy (never in docs/), as a child process; wall time is measured
around it and peak memory is the child's ``ru_maxrss`` (from ``os.wait4``; with ``-j`` the
largest process, workers included). Cheap measurements are repeated and the minimum is shown.

    python benchmarks/bench.py            # both tables (~20 min on 2 cores)
    python benchmarks/bench.py --quick    # smaller synthetic books, no repeats
    python benchmarks/bench.py --stock    # the same, with stock sphinxcontrib-bibtex (LLMKB_STOCK_BIBTEX=1)
    python benchmarks/bench.py --profile 3000   # cProfile one synthetic clean build, print the top
    python benchmarks/bench.py --skip-real --sizes '' --grow-sizes 1000,10000   # the grown book alone
    python benchmarks/bench.py --reader-only _build/html   # reader-side figures of a built book
"""

from __future__ import annotations

import argparse
import filecmp
import importlib.util
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from llmkb.bib import check as bib_check  # noqa: E402
from llmkb.bib import file as bibfile  # noqa: E402
from llmkb.bib import topics as T  # noqa: E402
from llmkb.bib.papers import Paper  # noqa: E402
from llmkb.sphinx_ext import editions, paper_table  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))  # grow.py, reader.py, lighthouse.py

SEED = 20240601
WRITING = re.compile(r"writing output\.\.\. \[\s*\d+%\] (\S+)")
READING = re.compile(r"reading sources\.\.\. \[\s*\d+%\] (\S+)")


# --- running sphinx ----------------------------------------------------------------------------

@dataclass
class Run:
    wall: float
    cpu: float  # user + sys seconds of the build and its children (robust when the machine is busy)
    rss_mb: float
    rc: int
    read: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    warnings: int = 0
    stderr: str = ""
    timed_out: bool = False


def sphinx(project: Path, out: Path, *extra: str, env: dict | None = None, timeout: float = 900) -> Run:
    """Build project/docs with project/conf.py into out/html (doctrees in out/doctrees)."""
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-c", str(project), "-d", str(out / "doctrees"),
           str(project / "docs"), str(out / "html"), *extra]
    with tempfile.TemporaryFile() as so, tempfile.TemporaryFile() as se:
        start = time.perf_counter()
        # its own session: a build stopped at the timeout takes its helper processes with it
        # (sphinx-sitemap's multiprocessing manager outlived a killed build)
        proc = subprocess.Popen(cmd, stdout=so, stderr=se, env=env or os.environ.copy(), cwd=project,
                                start_new_session=True)
        timed_out = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - start > timeout:
                os.killpg(proc.pid, signal.SIGKILL)
                timed_out = True
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.02)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        so.seek(0)
        se.seek(0)
        stdout = so.read().decode("utf-8", "replace")
        stderr = se.read().decode("utf-8", "replace")
    return Run(wall=wall, cpu=usage.ru_utime + usage.ru_stime, rss_mb=usage.ru_maxrss / 1024, rc=proc.returncode, read=READING.findall(stdout),
               written=WRITING.findall(stdout), warnings=stderr.count("WARNING"), stderr=stderr,
               timed_out=timed_out)


#: `make livehtml`'s builder in one process: its first build (nothing to write), then the timed
#: rebuild after the same edit as edit_page
WARM_DRIVER = """
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, {bench_dir!r})
import bench
from llmkb.preview import WarmBuilder
project, out, page, n = sys.argv[1], sys.argv[2], Path(sys.argv[3]), int(sys.argv[4])
args = ["-q", "-b", "html", "-c", project, project + "/docs", out + "/html", "-d", out + "/doctrees"]
builder = WarmBuilder(args, url_host="127.0.0.1:0", pre_build_commands=[], post_build_commands=[])
builder(changed_paths=())  # the server's first build (nothing to write: the book is built)
bench.edit_page(page, n)
builder.sphinx_args = args[1:]  # print what is read and written, for the table
wall, cpu = time.perf_counter(), time.process_time()
builder(changed_paths=[page])
print(json.dumps({{"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}), file=sys.stderr)
"""


def warm_edit(project: Path, out: Path, page: Path, n: int, env: dict) -> Run:
    """The edit rebuild of ``make livehtml`` (llmkb.preview's builder, in a process that has
    built once). Wall and CPU time are the rebuild's own; peak memory is the process's."""
    import json

    code = WARM_DRIVER.format(bench_dir=str(Path(__file__).resolve().parent))
    proc = subprocess.run([sys.executable, "-c", code, str(project), str(out), str(page), str(n)],
                          capture_output=True, text=True, env=env, cwd=project)
    timing = json.loads(proc.stderr.strip().splitlines()[-1]) if proc.returncode == 0 else {
        "wall": 0.0, "cpu": 0.0, "rss_mb": 0.0}
    failed = "Sphinx exited with exit code" in proc.stdout  # the builder reports, does not raise
    return Run(wall=timing["wall"], cpu=timing["cpu"], rss_mb=timing["rss_mb"], rc=int(failed) or proc.returncode,
               read=READING.findall(proc.stdout), written=WRITING.findall(proc.stdout),
               warnings=proc.stderr.count("WARNING"), stderr=proc.stderr)


def best(runs: list[Run]) -> Run:
    return min(runs, key=lambda r: r.cpu)


# --- the real book, and its static-table twin ------------------------------------------------

def copy_book(dest: Path) -> Path:
    """conf.py + refs.bib + CITATION.cff + docs/ (without generated files) in a scratch directory
    (the citation page reads CITATION.cff next to conf.py)."""
    dest.mkdir(parents=True)
    for name in ("conf.py", "refs.bib", "CITATION.cff"):
        shutil.copy2(ROOT / name, dest / name)
    shutil.copytree(ROOT / "docs", dest / "docs", ignore=shutil.ignore_patterns("_generated", "_build"))
    for sub in ("_static", "_templates"):
        (dest / "docs" / sub).mkdir(exist_ok=True)
    return dest


_ESCAPE = re.compile(r"([\\`*_\[\]()<>|$#~{}!])")


def _md(text: str) -> str:
    return _ESCAPE.sub(r"\\\1", text)


def static_table(papers: list[Paper]) -> str:
    """The rows of a paper table, as a Markdown table a contributor could have typed."""
    head = "| " + " | ".join(name for name, _ in paper_table.COLUMNS) + " |\n"
    head += "|" + "---|" * len(paper_table.COLUMNS) + "\n"
    rows = []
    for p in papers:
        title = f"[{_md(p.title)}](<{p.url}>)" if p.url else f"**{_md(p.title)}**"
        if p.code:
            title += f" [代码](<{p.code}>)"
        title += f" — {_md(p.short_authors())}"
        rows.append(f"| {title} | {_md(p.kind)} | {_md(p.venue)} | {p.date} | {{cite:p}}`{p.key}` |\n")
    return head + "".join(rows)


_TABLE = re.compile(r"^:::\{paper-table\}[ \t]*\n((?:[ \t]*:[a-z]+:.*\n)*):::[ \t]*$", re.M)
_INDEX = re.compile(r"^:::\{paper-index\}[ \t]*\n:::[ \t]*$", re.M)


def expand_tables(text: str, papers: list[Paper]) -> str:
    def table(m: re.Match) -> str:
        opts = dict(re.findall(r":([a-z]+):[ \t]*(.*)", m.group(1)))
        chosen = paper_table.select(papers, opts["topic"].strip(), opts.get("tag", "").replace(",", " ").split())
        body = static_table(paper_table.sort(chosen, opts.get("sort", "newest").strip()))
        caption = opts.get("caption")
        return (f"**{_md(caption)}**\n\n" if caption else "") + body

    def index(m: re.Match) -> str:
        out = [f"refs.bib 共收录 {len(papers)} 篇论文。\n"]
        for part in T.PARTS:
            out.append(f"## {part.zh}\n")
            for topic in (t for t in T.TOPICS if t.part == part.id):
                chosen = [p for p in papers if topic.id in p.topics]
                out.append(f"### {topic.zh}（{topic.en}）\n\n{len(chosen)} 篇。\n")
                if chosen:
                    out.append(static_table(paper_table.sort(chosen)))
        return "\n".join(out)

    return _INDEX.sub(index, _TABLE.sub(table, text))


def make_static_twin(book: Path, dest: Path) -> Path:
    shutil.copytree(book, dest, ignore=shutil.ignore_patterns("_generated", "_build"))
    papers = [Paper(e) for e in bibfile.read(dest / "refs.bib").entries]
    for md in (dest / "docs").rglob("*.md"):
        text = md.read_text(encoding="utf-8")
        new = expand_tables(text, papers)
        if new != text:
            md.write_text(new, encoding="utf-8")
    return dest


def pick_entry_shown_on_few_pages(book: Path) -> str:
    """A refs.bib key with one topic, cited inline on as few pages as possible (its topic page and the index)."""
    pages = [p.read_text(encoding="utf-8") for p in (book / "docs").rglob("*.md")]
    single = [e for e in bibfile.read(book / "refs.bib").entries if len(Paper(e).topics) == 1 and e.fields.get("kind")]
    return min(single, key=lambda e: (sum(e.key in text for text in pages), e.key)).key


def edit_entry(bib: Path, key: str, n: int) -> None:
    """Change the 'kind' field of one entry (what its table row shows)."""
    text = bib.read_text(encoding="utf-8")
    start = text.index(f"{{{key},")
    m = re.compile(r"(kind\s*=\s*\{)([^}]*)(\})").search(text, start)
    text = text[:m.start(2)] + re.sub(r"（改 \d+）$", "", m.group(2)) + f"（改 {n}）" + text[m.end(2):]
    bib.write_text(text, encoding="utf-8")


def edit_page(page: Path, n: int) -> None:
    """A real edit: a new Chinese sentence at the end of the page (the HTML and the search index
    change, and the new words go through jieba), not an invisible comment."""
    text = page.read_text(encoding="utf-8")
    text = re.sub(r"\n基准测试第 \d+ 次修改：在页末补一句话。\n", "\n", text)
    page.write_text(text + f"\n基准测试第 {n} 次修改：在页末补一句话。\n", encoding="utf-8")


def same_html(a: Path, b: Path) -> str:
    """The table's note on a -j build (b) against the serial one (a): its pages and .bib files."""
    diff = []
    for f in sorted(a.rglob("*")):
        if f.suffix in {".html", ".bib"}:
            g = b / f.relative_to(a)
            if not g.is_file() or not filecmp.cmp(f, g, shallow=False):
                diff.append(str(f.relative_to(a)))
    return f"HTML DIFFERS: {', '.join(diff[:5])}" if diff else "same HTML as serial"


# --- synthetic books --------------------------------------------------------------------------

WORDS = ("attention sparse token memory expert adapter prompt reward retrieval reasoning vision speech "
         "graph table agent quantized pruned distilled aligned robust efficient scalable latent diffusion "
         "contrastive causal modular recurrent linear hybrid dense mixture routing cache window context "
         "chain thought tree search planning editing locating probing circuit feature watermark detector").split()
FAMILIES = ("wang li zhang liu chen yang zhao huang zhou wu xu sun ma zhu hu guo he lin luo gao smith "
            "brown jones miller davis garcia wilson anderson taylor thomas moore martin lee white harris "
            "clark lewis robinson walker young allen king wright scott green baker adams nelson hill").split()
GIVEN = "Alice Bo Chen Dan Eva Fei Gita Hao Ivan Jing Kai Lena Ming Nora Omar Ping Qi Rui Sara Tao".split()
VENUES = (("inproceedings", "booktitle", "Advances in Neural Information Processing Systems ({} {})", "NeurIPS"),
          ("inproceedings", "booktitle", "International Conference on Learning Representations ({} {})", "ICLR"),
          ("inproceedings", "booktitle", "Proceedings of ACL ({} {})", "ACL"),
          ("article", "journal", "arXiv preprint arXiv:{eprint}", "arXiv"),
          ("article", "journal", "Transactions on Machine Learning Research", "TMLR"))
KINDS = ("新方法", "基准评测", "综述", "分析", "系统", "数据集")
SYNTH_TOPICS = [t for t in T.TOPICS if t.id not in {"milestones", "mllm-intro"}][:20]


def synth_bib(n: int, seed: int = SEED) -> str:
    rng = random.Random(seed * 1000003 + n)
    keys: set[str] = set()
    out = [f"% synthetic refs.bib for benchmarks/bench.py: {n} entries, seed {seed}\n"]
    for i in range(n):
        topics = [rng.choice(SYNTH_TOPICS)]
        if rng.random() < 0.3:
            other = rng.choice(SYNTH_TOPICS)
            if other is not topics[0]:
                topics.append(other)
        tags = [rng.choice(list(t.tags)) for t in topics if t.tags]
        year = rng.randint(2017, 2025)
        date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        words = rng.sample(WORDS, 4)
        authors = [(rng.choice(FAMILIES), rng.choice(GIVEN)) for _ in range(rng.randint(1, 6))]
        base = f"{authors[0][0]}{year}{words[0]}"
        key, k = base, 0
        while key in keys:
            k += 1
            key = f"{base}{k}"
        keys.add(key)
        eprint = f"{year % 100:02d}{rng.randint(1, 12):02d}.{i:05d}"
        typ, venue_field, venue, short = rng.choice(VENUES)
        fields = {
            "title": "{" + " ".join(w.capitalize() for w in words) + f" for Large Models, Part {i}" + "}",
            "author": " and ".join(f"{fam.capitalize()}, {given}" for fam, given in authors),
            venue_field: venue.format(short, year, eprint=eprint),
            "year": str(year),
            "date": date,
            "eprint": eprint,
            "archivePrefix": "arXiv",
            "url": f"https://arxiv.org/abs/{eprint}",
        }
        if rng.random() < 0.4:
            fields["code"] = f"https://github.com/example/{key}"
        fields["keywords"] = ", ".join(t.id for t in topics)
        if tags:
            fields["tags"] = ", ".join(dict.fromkeys(tags))
        fields["kind"] = rng.choice(KINDS)
        fields["shortvenue"] = short if short in {"arXiv", "TMLR"} else f"{short} {year}"
        fields["provenance"] = f"synthetic: benchmarks/bench.py, seed {seed}"  # a required field of the schema
        body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields.items())
        out.append(f"@{typ}{{{key},\n{body}}}\n")
    return "\n".join(out)


def synth_page(topic: T.Topic, cited: list[str], tags: set[str]) -> str:
    lines = [f"# {topic.zh}（{topic.en}）\n", "这一页由基准脚本生成，用来测量构建速度。"]
    if cited:  # a few inline citations in the running text, as a real page has
        lines.append("正文引用：" + "、".join(f"{{cite:t}}`{k}`" for k in cited) + "。")
    lines.append("\n## 论文列表\n")
    for tag in ([t for t in topic.tags if t in tags] or [None]):
        if tag:
            lines.append(f"### {topic.tags[tag]}\n")
        lines.append(":::{paper-table}\n:topic: " + topic.id + (f"\n:tag: {tag}" if tag else "") + "\n:::\n")
    lines.append("## 参考文献\n\n:::{bibliography}\n:filter: docname in docnames\n:::\n")
    return "\n".join(lines)


def make_synthetic(dest: Path, n: int) -> Path:
    docs = dest / "docs"
    docs.mkdir(parents=True)
    (dest / "refs.bib").write_text(synth_bib(n), encoding="utf-8")
    # the real configuration (theme, extensions, search); its static files and templates by symlink
    (dest / "conf.py").write_text(
        f"exec(open({str(ROOT / 'conf.py')!r}, encoding='utf-8').read())\nllmkb_plots = False\n", encoding="utf-8")
    for sub in ("_static", "_templates"):
        if (ROOT / "docs" / sub).is_dir():
            (docs / sub).symlink_to(ROOT / "docs" / sub, target_is_directory=True)
    papers = [Paper(e) for e in bibfile.read(dest / "refs.bib").entries]
    rng = random.Random(SEED)
    pages = []
    for topic in SYNTH_TOPICS:
        mine = [p.key for p in papers if topic.id in p.topics]
        page = docs / f"{topic.page}.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        tags = {tag for p in papers if topic.id in p.topics for tag in p.tags}
        page.write_text(synth_page(topic, rng.sample(mine, min(5, len(mine))), tags), encoding="utf-8")
        pages.append(topic.page)
    toc = "\n".join(pages)
    (docs / "index.md").write_text(f"# 合成书（{n} 篇）\n\n```{{toctree}}\n:maxdepth: 1\n\n{toc}\n```\n",
                                   encoding="utf-8")
    return dest


def check_synthetic(n: int = 1000) -> list:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "refs.bib"
        path.write_text(synth_bib(n), encoding="utf-8")
        return bib_check.check_bib(bibfile.read(path), "refs.bib")


# --- the table --------------------------------------------------------------------------------

class Table:
    def __init__(self, head: tuple[str, ...] = ("measurement", "wall", "CPU", "peak RSS", "notes")) -> None:
        self.head = head
        self.rows: list[tuple[str, ...]] = []

    def row(self, *cells: str) -> None:
        """A row of any table (the reader-side one has its own columns)."""
        self.rows.append(cells)
        print("  .. " + " | ".join(c for c in cells if c), file=sys.stderr, flush=True)

    def add(self, what: str, run: Run | None = None, note: str = "", wall: str | None = None) -> None:
        if run is not None:
            w = (">" if run.timed_out else "") + f"{run.wall:.1f} s"
            cpu = f"{run.cpu:.1f} s"
            rss = f"{run.rss_mb:.0f} MB"
            if run.rc and not run.timed_out:
                note = (note + f"; exit {run.rc}").lstrip("; ")
            if run.warnings:
                note = (note + f"; {run.warnings} warnings").lstrip("; ")
        else:
            w, cpu, rss = "", wall or "", ""
        self.rows.append((what, w, cpu, rss, note))
        print(f"  .. {what}: {w} {cpu} {rss} {note}", file=sys.stderr, flush=True)

    def render(self) -> str:
        head = self.head
        widths = [max(len(r[i]) for r in [head, *self.rows]) for i in range(len(head))]
        line = lambda r: "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |"  # noqa: E731
        return "\n".join([line(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|",
                          *(line(r) for r in self.rows)])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="synthetic 300/1000 entries, no repeats, no -j runs")
    ap.add_argument("--stock", action="store_true",
                    help="measure stock sphinxcontrib-bibtex (sets LLMKB_STOCK_BIBTEX=1), for the 'before' table")
    ap.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",") if x.strip()],
                    help="synthetic sizes, e.g. 1000,3000 ('' for none)")
    ap.add_argument("--repeat", type=int, help="repeats of the cheap measurements (min is shown)")
    ap.add_argument("--timeout", type=float, default=600, help="give up on one build after this many seconds")
    ap.add_argument("--skip-real", action="store_true", help="not the real book's builds (grown and synthetic books still run)")
    ap.add_argument("--profile", type=int, metavar="N", help="cProfile a clean build of the N-entry synthetic book")
    ap.add_argument("--keep", action="store_true", help="keep the scratch directory")
    sizes = lambda s: [int(x) for x in s.split(",") if x.strip()]  # noqa: E731
    ap.add_argument("--grow-sizes", type=sizes, metavar="N,N",
                    help="the real book grown to these refs.bib sizes (benchmarks/grow.py); default 1000,10000 "
                         "(1000 with --quick)")
    ap.add_argument("--skip-grow", action="store_true", help="no grown real book")
    ap.add_argument("--grow-timeout", type=float, default=2400,
                    help="give up on one grown book's build after this many seconds (default 2400: before "
                         "issue 19's work the 10,000-entry build took ~10 min of wall time on a busy machine)")
    ap.add_argument("--reader-only", type=Path, metavar="BUILD_DIR",
                    help="only the reader-side figures (page weights, Lighthouse, filter timing) of a built book")
    ap.add_argument("--lighthouse-runs", type=int, default=1, metavar="N",
                    help="Lighthouse audits per page on the grown books, median reported (default 1; 0: none)")
    ap.add_argument("--no-filter-timing", action="store_true", help="skip the browser timing of the paper filter")
    args = ap.parse_args(argv)
    if args.reader_only:
        reader_table = Table(READER_HEAD)
        t0 = time.perf_counter()
        reader_figures(reader_table, str(args.reader_only), args.reader_only, args.lighthouse_runs,
                       not args.no_filter_timing)
        print(f"\nllmkb reader-side figures of {args.reader_only} (total {time.perf_counter() - t0:.0f} s)\n")
        print(reader_table.render())
        return 0
    sizes = args.sizes if args.sizes is not None else ([300, 1000] if args.quick else [1000, 3000, 10000])
    repeat = args.repeat or (1 if args.quick else 2)
    if args.grow_sizes is None:
        args.grow_sizes = [1000] if args.quick else [1000, 10000]
    env = os.environ.copy()
    env.pop("LLMKB_STOCK_BIBTEX", None)
    if args.stock:
        env["LLMKB_STOCK_BIBTEX"] = "1"
    problems = check_synthetic(200)
    if problems:
        raise SystemExit(f"the synthetic refs.bib does not pass llmkb check: {problems[:3]}")

    tmp = Path(tempfile.mkdtemp(prefix="llmkb-bench-"))
    t0 = time.perf_counter()
    try:
        if args.profile:
            return profile(tmp, args.profile, env)
        table, reader_table = Table(), Table(READER_HEAD)
        if not args.skip_real:
            real(table, tmp, env, repeat, args)
        if not args.skip_grow and args.grow_sizes:
            grown(table, reader_table, tmp, env, args.grow_sizes, args)
        if sizes:
            synthetic(table, tmp, env, sizes, args.timeout, parallel=not args.quick)
        mode = "stock sphinxcontrib-bibtex" if args.stock else "llmkb.sphinx_ext.fast_bibtex"
        print(f"\nllmkb build benchmark ({mode}; {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}; "
              f"min of {repeat} where repeated; ratios from CPU time; total {time.perf_counter() - t0:.0f} s)\n")
        print(table.render())
        if reader_table.rows:
            print(f"\nThe grown real book, reader side (every built page; first load = gzipped HTML + the JS/CSS it "
                  f"names; Lighthouse: mobile, simulated slow 4G, median of {args.lighthouse_runs}; filter: chromium, "
                  "desktop, unthrottled)\n")
            print(reader_table.render())
    finally:
        if args.keep:
            print(f"\nscratch kept in {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


def edition_builds(table: Table, book: Path, tmp: Path, env: dict, timeout: float) -> None:
    """make pdf's two steps (Sphinx's LaTeX writer, then latexmk with xelatex) and make epub."""
    if not (shutil.which("xelatex") and shutil.which("latexmk")):
        table.add("real book: PDF edition", note="not measured: xelatex/latexmk not installed")
    else:
        latex = sphinx(book, tmp / "pdf", "-b", "latex", "-t", "book", env=env, timeout=timeout)
        table.add("real book: PDF edition, sphinx -b latex", latex)
        tex = tmp / "pdf" / "html"  # sphinx() names its output folder html whatever the builder
        start = time.perf_counter()
        proc = subprocess.run(editions.LATEXMK, cwd=tex, capture_output=True, text=True, timeout=timeout)
        log = tex / Path(editions.TEX_FILE).with_suffix(".log")
        pages = re.search(r"Output written on \S+\.(?:pdf|xdv) \((\d+) pages",
                          log.read_text(encoding="utf-8", errors="replace")) if log.is_file() else None
        table.add("real book: PDF edition, latexmk (xelatex, all passes)",
                  note=f"{pages[1] if pages else '?'} pages" + (f"; exit {proc.returncode}" if proc.returncode else ""),
                  wall=f"{time.perf_counter() - start:.1f} s wall")
    epub = sphinx(book, tmp / "epub", "-b", "epub", "-t", "book", env=env, timeout=timeout)
    table.add("real book: EPUB edition", epub)


def real(table: Table, tmp: Path, env: dict, repeat: int, args) -> None:
    book = copy_book(tmp / "real")
    out = tmp / "real-out"
    clean = sphinx(book, out, env=env, timeout=args.timeout)
    if clean.rc:
        print(clean.stderr[-3000:], file=sys.stderr)
    table.add("real book: clean build", clean, f"{len(clean.written)} pages")

    twin = make_static_twin(book, tmp / "static")
    static = sphinx(twin, tmp / "static-out", env=env, timeout=args.timeout)
    table.add("real book, static Markdown tables: clean build", static,
              f"extension cost: {clean.cpu / static.cpu:.2f}x the static build (CPU)")

    noop = best([sphinx(book, out, env=env) for _ in range(repeat)])
    table.add("real book: no-op rebuild", noop,
              f"{noop.cpu / clean.cpu:.0%} of clean (CPU); read {len(noop.read)}, wrote {len(noop.written)} pages")

    page = book / "docs" / "efficiency" / "peft.md"
    runs = []
    for i in range(repeat):
        edit_page(page, i)
        runs.append(sphinx(book, out, env=env))
    r = best(runs)
    table.add("real book: edit one topic page", r,
              f"{r.cpu / clean.cpu:.0%} of clean (CPU); read {len(r.read)}, wrote {len(r.written)} pages")
    runs = [warm_edit(book, out, page, repeat + i, env) for i in range(repeat)]
    r = best(runs)
    table.add("real book: edit one topic page, warm (make livehtml)", r,
              f"{r.cpu / clean.cpu:.0%} of clean (CPU); read {len(r.read)}, wrote {len(r.written)} pages; "
              "the rebuild in a process that has built before (llmkb.preview)")

    key = pick_entry_shown_on_few_pages(book)
    runs = []
    for i in range(repeat):
        edit_entry(book / "refs.bib", key, i)
        runs.append(sphinx(book, out, env=env))
    r = best(runs)
    table.add(f"real book: edit one refs.bib entry ({key})", r,
              f"{r.cpu / clean.cpu:.0%} of clean (CPU); read {len(r.read)}: {', '.join(r.read)}; "
              f"wrote {len(r.written)}: {', '.join(r.written)}")

    edition_builds(table, book, tmp, env, args.timeout)

    if not args.quick:
        fresh = copy_book(tmp / "real-j")
        serial = sphinx(fresh, tmp / "real-j-serial", env=env, timeout=args.timeout)
        par = sphinx(fresh, tmp / "real-j-par", "-j", "auto", env=env, timeout=args.timeout)
        table.add("real book: clean build -j auto", par,
                  f"{par.wall / serial.wall:.2f}x serial ({serial.wall:.1f} s); "
                  + same_html(tmp / "real-j-serial" / "html", tmp / "real-j-par" / "html"))


def synthetic(table: Table, tmp: Path, env: dict, sizes: list[int], timeout: float, parallel: bool = False) -> None:
    walls = {}
    for n in sizes:
        book = make_synthetic(tmp / f"synth-{n}", n)
        r = sphinx(book, tmp / f"synth-{n}-out", env=env, timeout=timeout)
        walls[n] = r.cpu
        table.add(f"synthetic {n:,} entries: clean build", r, f"{len(r.written)} pages"
                  + ("; timed out" if r.timed_out else ""))
        if parallel and n == max(sizes):
            # the same book with Sphinx's -j auto (both cores): same HTML, less wall time
            par = sphinx(book, tmp / f"synth-{n}-par", "-j", "auto", env=env, timeout=timeout)
            table.add(f"synthetic {n:,} entries: clean build -j auto", par,
                      f"{par.wall / r.wall:.2f}x serial wall; "
                      + same_html(tmp / f"synth-{n}-out" / "html", tmp / f"synth-{n}-par" / "html"))
            shutil.rmtree(tmp / f"synth-{n}-par", ignore_errors=True)
        shutil.rmtree(tmp / f"synth-{n}-out", ignore_errors=True)
    if len(sizes) > 1:
        lo, hi = min(sizes), max(sizes)
        table.add(f"time({hi // 1000 if hi >= 1000 else hi}{'k' if hi >= 1000 else ''})"
                  f"/time({lo // 1000 if lo >= 1000 else lo}{'k' if lo >= 1000 else ''})",
                  wall=f"{walls[hi] / walls[lo]:.1f}x", note=f"CPU time; entries grew {hi / lo:.0f}x")


# --- the grown real book: build and reader side (issue 19) ------------------------------------

#: the targets of issue 19 (build: CPU seconds and MB at each size; reader: every page at any size)
GROW_BUILD_TARGETS = {1000: (15, None), 10000: (60, 1024)}
GROW_RATIO_TARGET = 6
READER_TRANSFER_KB = 300
READER_ELEMENTS = 5000
LIGHTHOUSE_PERF = 0.9
FILTER_MS = 100
READER_HEAD = ("book", "figure", "value", "page and detail", "target")


def verdict(ok: bool, target: str) -> str:
    return f"{target} {'✔' if ok else '✘'}"


def size_label(n: int) -> str:
    return f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else str(n)


def lighthouse_pages(html: Path, pages: list[str], runs: int) -> dict:
    """Lighthouse (benchmarks/lighthouse.py: npm lighthouse 12, /usr/bin/chromium, mobile, simulated
    slow 4G) on ``pages`` of a built book; the median run of each, by performance."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import lighthouse

    chrome = os.environ.get("CHROME_PATH") or shutil.which("chromium")
    if not chrome:
        raise SystemExit("chromium not found — install: apt-get install chromium (never a downloaded browser)")
    binary = lighthouse.lighthouse_bin()
    server, base = lighthouse.serve(html)
    results: dict = {}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for page in pages:
                try:
                    runs_ = [lighthouse.audit(binary, base + page, Path(tmp) / f"{i}.json", chrome,
                                             categories=["performance"]) for i in range(runs)]
                except lighthouse.AuditError as err:  # a page too heavy to audit is a result, not a crash
                    results[page] = str(err)
                    continue
                # a run whose page never painted has no score: it ranks lowest
                for r in runs_:
                    r["scores"]["performance"] = r["scores"]["performance"] or 0.0
                results[page] = lighthouse.median_run(runs_)
    finally:
        server.shutdown()
    return results


def reader_figures(table: Table, label: str, html: Path, lighthouse_runs: int, filter_timing: bool) -> None:
    """The reader-side rows of one built book (benchmarks/reader.py)."""
    import reader

    start = time.perf_counter()
    weights = reader.weigh_all(html)
    heaviest = max(weights, key=lambda w: w.transfer)
    densest = max(weights, key=lambda w: w.elements)
    table.row(label, f"largest first-load transfer of {len(weights)} pages", reader.kb(heaviest.transfer),
              reader.describe(heaviest), verdict(heaviest.transfer <= READER_TRANSFER_KB * 1024,
                                                 f"≤ {READER_TRANSFER_KB} KB"))
    table.row(label, "most elements", f"{densest.elements:,}", reader.describe(densest),
              verdict(densest.elements <= READER_ELEMENTS, f"≤ {READER_ELEMENTS:,}"))
    audited = []  # (what, weight): the pages Lighthouse audits
    index = next((w for w in weights if w.page == reader.PAPER_INDEX), None)
    if index is None:
        table.row(label, "paper index", "—", f"{reader.PAPER_INDEX} not built", "")
    else:
        audited.append(("paper index", index))
    topics = reader.topic_pages(weights)
    if topics:
        audited.append(("largest topic page", max(topics, key=lambda w: w.transfer)))
    for what, w in audited:
        table.row(label, what, reader.kb(w.transfer), reader.describe(w),
                  verdict(w.transfer <= READER_TRANSFER_KB * 1024 and w.elements <= READER_ELEMENTS,
                          f"≤ {READER_TRANSFER_KB} KB, ≤ {READER_ELEMENTS:,} elements"))
    print(f"  .. weighed {len(weights)} pages in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    if lighthouse_runs:
        results = lighthouse_pages(html, [w.page for _, w in audited], lighthouse_runs)
        for page, r in results.items():
            if isinstance(r, str):
                table.row(label, "Lighthouse mobile performance", "—", f"{page}: not audited: {r}",
                          verdict(False, f"≥ {LIGHTHOUSE_PERF}"))
                continue
            perf = r["scores"]["performance"]
            m = r["metrics"]
            table.row(label, "Lighthouse mobile performance", f"{perf:.2f}",
                      f"{page}: runs {', '.join(f'{p:.2f}' for p in r['performance_runs'])}; "
                      f"{r['bytes'] / 1024:,.0f} KiB in {r['requests']} requests; DOM {r['dom']:,} elements; "
                      f"FCP {m['FCP'] / 1000:.1f} s, LCP {m['LCP'] / 1000:.1f} s, TBT {m['TBT']:.0f} ms, "
                      f"CLS {m['CLS']:.3f}",
                      verdict(perf >= LIGHTHOUSE_PERF, f"≥ {LIGHTHOUSE_PERF}"))
    if filter_timing and index is not None and importlib.util.find_spec("playwright") is None:
        table.row(label, "filter: keystroke to result shown (median)", "—",
                  "not measured: playwright is not installed (it comes with the test extras: make test)", "")
    elif filter_timing and index is not None:
        t = reader.time_filter(html)
        detail = (f"{reader.PAPER_INDEX}: {len(t.samples)} keystrokes (letters, each then Backspace), "
                  f"min {min(t.samples):.0f} / max {max(t.samples):.0f} ms; page load {t.load_ms / 1000:.1f} s"
                  if t.samples else f"{reader.PAPER_INDEX}: no keystroke changed the status line")
        if t.failed:
            detail += f"; status unchanged after {len(t.failed)} keystrokes ({', '.join(t.failed[:4])})"
        table.row(label, "filter: keystroke to result shown (median)",
                  f"{t.median:.0f} ms" if t.samples else "—", detail,
                  verdict(bool(t.samples) and not t.failed and t.median < FILTER_MS, f"< {FILTER_MS} ms"))


def grown(table: Table, reader_table: Table, tmp: Path, env: dict, sizes: list[int], args) -> None:
    """The real book with refs.bib grown to each size (benchmarks/grow.py): a clean build, then
    the reader-side figures of what it wrote."""
    import grow

    cpu, unfinished = {}, []
    for n in sizes:
        book = copy_book(tmp / f"grown-{n}")
        entries = grow.grow_book(book, n)
        out = tmp / f"grown-{n}-out"
        r = sphinx(book, out, env=env, timeout=args.grow_timeout)
        if r.rc:
            print(r.stderr[-3000:], file=sys.stderr)
        cpu[n] = r.cpu
        if r.rc or r.timed_out:
            unfinished.append(size_label(n))
        limit_s, limit_mb = GROW_BUILD_TARGETS.get(n, (None, None))
        targets = []
        if limit_s:  # both: the build now keeps two cores busy, so CPU (summed) is more than one waits
            targets.append(f"< {limit_s} s: wall {'✔' if r.wall < limit_s else '✘'}, CPU {'✔' if r.cpu < limit_s else '✘'}")
        if limit_mb:
            targets.append(verdict(r.rss_mb < limit_mb, f"< {limit_mb / 1024:.0f} GB"))
        table.add(f"grown real book {entries:,} entries: clean build", r,
                  f"{len(r.written)} pages" + (f"; target {', '.join(targets)}" if targets else "")
                  + (f"; stopped after --grow-timeout {args.grow_timeout:.0f} s" if r.timed_out else ""))
        if not r.rc and not r.timed_out:
            reader_figures(reader_table, f"grown {size_label(n)}", out / "html", args.lighthouse_runs,
                           not args.no_filter_timing)
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(book, ignore_errors=True)
    if len(sizes) > 1:
        lo, hi = min(sizes), max(sizes)
        ratio = cpu[hi] / cpu[lo]
        # a build that was stopped or failed did less than the whole work: its ratio is a lower bound
        target = verdict(ratio <= GROW_RATIO_TARGET and not unfinished, f"≤ {GROW_RATIO_TARGET}")
        table.add(f"grown real book: time({size_label(hi)})/time({size_label(lo)})",
                  wall=(">" if unfinished else "") + f"{ratio:.1f}x",
                  note=f"CPU time; entries grew {hi / lo:.0f}x; target {target}"
                  + (f"; the {', '.join(unfinished)} build did not finish" if unfinished else ""))


def profile(tmp: Path, n: int, env: dict) -> int:
    import pstats

    book = make_synthetic(tmp / f"synth-{n}", n)
    prof = Path(tempfile.gettempdir()) / f"llmkb-profile-{n}{'-stock' if env.get('LLMKB_STOCK_BIBTEX') else ''}.prof"
    cmd = [sys.executable, "-m", "cProfile", "-o", str(prof), "-m", "sphinx", "-q", "-b", "html", "-c", str(book),
           str(book / "docs"), str(tmp / "out")]
    start = time.perf_counter()
    subprocess.run(cmd, env=env, check=True)
    print(f"profiled clean build of {n} entries: {time.perf_counter() - start:.1f} s (with profiler); {prof}")
    stats = pstats.Stats(str(prof))
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(25)
    return 0


if __name__ == "__main__":
    sys.exit(main())
