"""`llmkb add` against hostile or broken arXiv answers (issue 13, findings 6, 7, 9, 10).

No network: responses are recorded files edited in the test, fake ``urlopen`` objects, or a
server on 127.0.0.1 started by the test (for a response that drips)."""

import http.client
import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from llmkb.bib import arxiv
from llmkb.bib import file as bibfile
from llmkb.bib.check import check_bib

DATA = Path(__file__).parent / "data" / "arxiv"
BASIC_BIB = Path(__file__).parent / "roots" / "test-basic" / "refs.bib"
HYENA = (DATA / "hyena-2302.10866.xml").read_text(encoding="utf-8")


@pytest.fixture
def bib(tmp_path):
    path = tmp_path / "refs.bib"
    shutil.copy(BASIC_BIB, path)
    return path


def response(title=None, authors=None, summary=None, comment=None):
    """The recorded Hyena response with these parts replaced (given as plain text: XML-escaped here)."""
    title, summary, comment = (None if v is None else escape(v) for v in (title, summary, comment))
    authors = None if authors is None else [escape(a) for a in authors]
    text = HYENA
    if title is not None:
        text = text.replace("Hyena Hierarchy: Towards Larger Convolutional Language Models", title)
    if authors is not None:
        start, end = text.index("    <author>"), text.rindex("</author>") + len("</author>")
        text = text[:start] + "\n".join(f"    <author>\n      <name>{a}</name>\n    </author>" for a in authors) \
            + text[end:]
    if summary is not None:
        start, end = text.index("<summary>"), text.index("</summary>")
        text = text[:start] + f"<summary>{summary}" + text[end:]
    if comment is not None:
        text = text.replace(">Additional details<", f">{comment}<")
    return lambda arxiv_id: text.encode("utf-8")


def add(bib, fetch):
    return arxiv.add("2302.10866", bib, topic=["non-transformer"], kind="长卷积", fetch=fetch)


# ---------------------------------------------------------------- TeX escaping (finding 7)

@pytest.mark.parametrize("raw, escaped", [
    ("x^2 and ~tilde", r"x\textasciicircum{}2 and \textasciitilde{}tilde"),
    (r"back\slash {braces} $5", r"back\textbackslash{}slash \textbraceleft{}braces\textbraceright{} \$5"),
    (r"Nice \input{/etc/hostname} \end{document}",
     r"Nice \textbackslash{}input\textbraceleft{}/etc/hostname\textbraceright{} "
     r"\textbackslash{}end\textbraceleft{}document\textbraceright{}"),
    (r"Sparse $O(n_k)$ attention_map", r"Sparse $O(n_k)$ attention\_map"),
])
def test_escape_latex_escapes_everything_tex_treats_specially(raw, escaped):
    assert arxiv.escape_latex(raw) == escaped


@pytest.mark.parametrize("title, fragment", [
    ("Scaling x^2 ~ laws {for} 100$ and #1 & 50% of a_b",
     r"x\textasciicircum{}2 \textasciitilde{} laws \textbraceleft{}for\textbraceright{} 100\$ and \#1 \& 50\% of a\_b"),
    (r"Innocent \url{javascript:alert(document.domain)}", r"Innocent \textbackslash{}url\textbraceleft{}javascript"),
    (r"Evil \input{/etc/hostname} \end{document}", r"Evil \textbackslash{}input\textbraceleft{}/etc/hostname"),
])
def test_add_turns_any_arxiv_title_into_an_entry_that_passes_check(bib, title, fragment):
    text = add(bib, response(title=title))
    new = bibfile.parse_text(text)
    assert not new.problems and check_bib(new) == []
    assert fragment in new.entries[0].fields["title"]


# ---------------------------------------------------------------- names and withdrawn papers (finding 9)

def test_collaborations_stay_single_protected_names(bib):
    text = add(bib, response(authors=["The LIGO Scientific Collaboration and The Virgo Collaboration",
                                      "Jane Q. Doe", "ATLAS Collaboration"]))
    author = bibfile.parse_text(text).entries[0].fields["author"]
    assert author == ("{The LIGO Scientific Collaboration} and {The Virgo Collaboration} and Doe, Jane Q. "
                      "and {ATLAS Collaboration}")


def test_a_name_with_braces_never_gives_an_empty_author(bib):
    text = add(bib, response(authors=["Michael {Poli}", "{ }", "Tri }{ Dao"]))
    author = bibfile.parse_text(text).entries[0].fields["author"]
    assert " and and " not in author and not author.endswith(" and") and "{}" not in author
    assert author == "Poli, Michael and Dao, Tri"


def test_an_abstract_that_merely_says_withdrawn_is_not_a_withdrawn_paper(bib):
    add(bib, response(summary="We study users whose consent is withdrawn; the data was withdrawn by request."))


@pytest.mark.parametrize("where", ["summary", "comment"])
def test_a_withdrawn_paper_is_refused(bib, where):
    before = bib.read_bytes()
    words = "This paper has been withdrawn by the author due to a crucial error."
    fetch = response(summary=words) if where == "summary" else response(comment="withdrawn: " + words)
    with pytest.raises(arxiv.AddError, match=r"withdrawn.*nothing was added"):
        add(bib, fetch)
    assert bib.read_bytes() == before


# ---------------------------------------------------------------- what comes back (finding 6)

class FakeResponse:
    def __init__(self, chunks, error=None, delay=0.0):
        self.chunks, self.error, self.delay = list(chunks), error, delay

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def read1(self, n=-1):
        return self.read(n)

    def read(self, n=-1):
        time.sleep(self.delay)
        if self.chunks:
            return self.chunks.pop(0)
        if self.error:
            raise self.error
        return b""


@pytest.mark.parametrize("error", [
    http.client.IncompleteRead(b"<feed", 4000),
    http.client.BadStatusLine("garbage"),
    ConnectionResetError(104, "Connection reset by peer"),
    socket.timeout("timed out"),
    http.client.RemoteDisconnected("Remote end closed connection without response"),
])
@pytest.mark.parametrize("when", ["open", "read"])
def test_network_errors_are_one_clear_message(monkeypatch, error, when):
    def urlopen(request, timeout=None):
        if when == "open":
            raise error
        return FakeResponse([b"<?xml version='1.0'?>"], error=error)
    monkeypatch.setattr("urllib.request.urlopen", urlopen)
    monkeypatch.delenv(arxiv.RESPONSE_ENV, raising=False)
    with pytest.raises(arxiv.AddError, match=r"arXiv API.*retry.*nothing was written") as info:
        arxiv.fetch_atom("2302.10866")
    assert "\n" not in str(info.value)


def test_an_html_page_from_a_proxy_is_not_reported_as_a_missing_paper():
    page = b"<html xmlns='http://www.w3.org/1999/xhtml'><head><title>Login</title></head><body/></html>"
    with pytest.raises(arxiv.AddError, match=r"not an arXiv API \(Atom\) response.*HTML page.*proxy"):
        arxiv.parse_atom(page, "2302.10866")
    with pytest.raises(arxiv.AddError, match=r"not an arXiv API \(Atom\) response"):
        arxiv.parse_atom(b"<!DOCTYPE html><html><body><p>Access denied<br></body></html>", "2302.10866")


# ---------------------------------------------------------------- deadline and size (finding 10)

def test_a_huge_response_is_cut_off(monkeypatch):
    chunk = b"x" * 65536
    monkeypatch.setattr("urllib.request.urlopen", lambda request, timeout=None: FakeResponse([chunk] * 1000))
    monkeypatch.delenv(arxiv.RESPONSE_ENV, raising=False)
    start = time.monotonic()
    with pytest.raises(arxiv.AddError, match=r"larger than .* MB.*nothing was written"):
        arxiv.fetch_atom("2302.10866")
    assert time.monotonic() - start < 5


def test_a_server_that_drips_bytes_meets_the_overall_deadline(monkeypatch):
    """A byte every 0.2 s never trips a per-read timeout; the total deadline stops it."""
    stop = threading.Event()

    class Drip(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/atom+xml")
            self.end_headers()
            for _ in range(100):
                if stop.is_set():
                    return
                try:
                    self.wfile.write(b" ")
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.2)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Drip)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setattr(arxiv, "API_URL", f"http://127.0.0.1:{server.server_port}/api/query?id_list={{id}}")
    monkeypatch.setattr(arxiv, "DEADLINE_SECONDS", 1.0, raising=False)
    monkeypatch.delenv(arxiv.RESPONSE_ENV, raising=False)
    for name in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    outcome = {}

    def run():
        try:
            arxiv.fetch_atom("2302.10866")
        except arxiv.AddError as err:
            outcome["error"] = str(err)

    worker = threading.Thread(target=run, daemon=True)
    start = time.monotonic()
    worker.start()
    worker.join(8)
    elapsed = time.monotonic() - start
    stop.set()
    server.shutdown()
    server.server_close()
    assert not worker.is_alive(), "fetch_atom was still reading after 8 s"
    assert "took longer than" in outcome.get("error", "") and elapsed < 4


def test_the_cli_prints_arxiv_text_with_control_characters_escaped(bib, tmp_path):
    """XML cannot carry ESC, but it carries U+202E (reverses what follows) and U+2028."""
    error = (DATA / "error-bad-id.xml").read_text(encoding="utf-8").replace(
        "incorrect id format", "incorrect \u202eid\u2028format")
    saved = tmp_path / "error.xml"
    saved.write_text(error, encoding="utf-8")
    env = {**os.environ, arxiv.RESPONSE_ENV: str(saved)}
    out = subprocess.run([sys.executable, "-m", "llmkb", "add", "2302.99999", "--topic", "peft", "--kind", "x",
                          "--bib", str(bib)], capture_output=True, text=True, env=env, timeout=60,
                         cwd=Path(__file__).resolve().parent.parent)
    assert out.returncode == 1
    assert "incorrect \\u202eid format" in out.stderr  # U+2028 is whitespace to the reader
    assert "\u202e" not in out.stderr and "\u2028" not in out.stderr
