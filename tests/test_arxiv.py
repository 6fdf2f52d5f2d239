"""`python -m llmkb add`: recorded arXiv responses only; the network is never touched."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from llmkb.bib import arxiv
from llmkb.bib import file as bibfile
from llmkb.bib import format as bib_format
from llmkb.bib.check import check_bib

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data" / "arxiv"
BASIC_BIB = ROOT / "tests/roots/test-basic/refs.bib"


def recorded(name):
    data = (DATA / name).read_bytes()
    calls = []

    def fetch(arxiv_id):
        calls.append(arxiv_id)
        return data
    fetch.calls = calls
    return fetch


@pytest.fixture
def bib(tmp_path):
    path = tmp_path / "refs.bib"
    shutil.copy(BASIC_BIB, path)
    return path


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a test tried to use the network")
    monkeypatch.setattr("urllib.request.urlopen", refuse)


# ---------------------------------------------------------------- parsing

def test_parse_normal_response_keeps_authors_in_order_and_first_version_date():
    paper = arxiv.parse_atom((DATA / "hyena-2302.10866.xml").read_bytes(), "2302.10866")
    assert paper.arxiv_id == "2302.10866"
    assert paper.title == "Hyena Hierarchy: Towards Larger Convolutional Language Models"
    assert paper.authors[0] == "Michael Poli" and paper.authors[-1] == "Christopher Ré"
    assert len(paper.authors) == 9
    assert paper.published == "2023-02-21"  # <published>, not <updated> (2023-04-19)
    assert paper.primary_category == "cs.LG"
    assert paper.journal_ref == "" and paper.doi == ""


def test_parse_journal_ref_and_doi():
    paper = arxiv.parse_atom((DATA / "decao-2104.08164-journal-ref.xml").read_bytes(), "2104.08164")
    assert paper.doi == "10.18653/v1/2021.emnlp-main.522"
    assert paper.journal_ref.startswith("Proceedings of the 2021 Conference on Empirical Methods")
    assert "\n" not in paper.journal_ref


@pytest.mark.parametrize("name, arxiv_id, words", [
    ("error-bad-id.xml", "2302.99999", "arXiv API error for 2302.99999: incorrect id format"),
    ("empty-feed.xml", "2302.10866", "arXiv has no paper 2302.10866"),
    ("malformed-truncated.xml", "2302.10866", "not valid XML"),
    ("hyena-2302.10866.xml", "2104.08164", "returned 2302.10866 instead of 2104.08164"),
])
def test_parse_refuses_error_empty_malformed_and_wrong_responses(name, arxiv_id, words):
    with pytest.raises(arxiv.AddError) as info:
        arxiv.parse_atom((DATA / name).read_bytes(), arxiv_id)
    assert words in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("text, expected", [
    ("2106.09685", "2106.09685"), ("arXiv:2106.09685v2", "2106.09685"),
    ("https://arxiv.org/abs/2106.09685v1", "2106.09685"), ("https://arxiv.org/pdf/2106.09685.pdf", "2106.09685"),
    ("hep-th/9901001", "hep-th/9901001"),
])
def test_normalise_id(text, expected):
    assert arxiv.normalise_id(text) == expected


def test_normalise_id_rejects_garbage():
    with pytest.raises(arxiv.AddError, match="not an arXiv id"):
        arxiv.normalise_id("lora")


# ---------------------------------------------------------------- names, keys, escaping

@pytest.mark.parametrize("name, expected", [
    ("Edward J. Hu", "Hu, Edward J."),
    ("Nicola De Cao", "De Cao, Nicola"),
    ("Diego de las Casas", "de las Casas, Diego"),
    ("Christopher Ré", "Ré, Christopher"),
    ("Guy L. Steele Jr.", "Steele, Jr., Guy L."),
    ("DeepSeek-AI", "{DeepSeek-AI}"),
])
def test_bibtex_name(name, expected):
    assert arxiv.bibtex_name(name) == expected


@pytest.mark.parametrize("family, year, title, key", [
    ("Hu", "2021", "LoRA: Low-Rank Adaptation of Large Language Models", "hu2021lora"),
    ("Ré", "2023", "A Survey on State Space Models", "re2023survey"),
    ("Woźniak", "2024", "Towards GPT-4 Level Reasoning", "wozniak2024gpt4"),
    ("Łącki", "2020", "On the Parameter-Efficient Transfer of {NLP}", "lacki2020parameterefficient"),
    ("De Cao", "2021", "Editing Factual Knowledge in Language Models", "decao2021editing"),
    ("Jamba Team", "2024", "Jamba-1.5: Hybrid Transformer-Mamba Models at Scale", "jambateam2024jamba15"),
    ("GLM-5 Team", "2026", "GLM-5: from Vibe Coding to Agentic Engineering", "glmteam2026glm5"),
    ("42", "2024", "Some Title", "anon2024some"),
])
def test_make_key_follows_the_key_style(family, year, title, key):
    from llmkb.bib.schema import KEY_STYLE

    assert arxiv.make_key(family, year, title) == key
    assert KEY_STYLE.match(key)


def test_make_key_matches_most_keys_of_the_real_refs_bib():
    """The rule is the one refs.bib was written with (a few older keys keep 'towards'/'beyond').
    A key that unique_key disambiguated (make_key's key taken, so a letter b..z appended, as for
    touvron2023llamab next to touvron2023llama) follows the rule too."""
    from llmkb.bib.papers import Paper

    entries = bibfile.read(ROOT / "refs.bib").entries
    keys = {e.key for e in entries}

    def follows_rule(e) -> bool:
        key = arxiv.make_key(Paper(e).first_family_name, e.fields["date"][:4], Paper(e).title)
        return e.key == key or (e.key[:-1] == key and key in keys and e.key[-1] in "bcdefghijklmnopqrstuvwxyz")

    # Keys already published keep their key when a later check corrects the title (readers' exported
    # citations and the pages' #paper-KEY anchors stay valid); new entries must follow the rule.
    kept = {"ostapenko2024towards", "wang2023towards", "bigscience2022bloom", "black2024pi0",
            "dettmers2022llmint8", "chakraborty2023possibilities", "zhang2023adalora",
            "frantar2022gptq"}
    assert {e.key for e in entries if not follows_rule(e)} <= kept


def test_unique_key_adds_a_letter():
    assert arxiv.unique_key("hu2021lora", {"hu2021lora", "hu2021lorab"}) == "hu2021lorac"
    assert arxiv.unique_key("hu2021lora", set()) == "hu2021lora"


@pytest.mark.parametrize("raw, escaped", [
    ("50% of R&D_tasks #1", r"50\% of R\&D\_tasks \#1"),
    (r"already \& escaped", r"already \& escaped"),
    (r"Sparse $O(n_k)$ attention_map", r"Sparse $O(n_k)$ attention\_map"),
])
def test_escape_latex_outside_math_only(raw, escaped):
    assert arxiv.escape_latex(raw) == escaped


# ---------------------------------------------------------------- adding

def test_add_appends_one_canonical_entry_and_changes_no_other_byte(bib, monkeypatch):
    import datetime
    monkeypatch.setattr(arxiv, "today", lambda: datetime.date(2026, 12, 4))
    before = bib.read_bytes()
    fetch = recorded("hyena-2302.10866.xml")
    text = arxiv.add("arXiv:2302.10866v3", bib, topic=["non-transformer"], kind="长卷积",
                     code="https://github.com/HazyResearch/safari", fetch=fetch)
    after = bib.read_bytes()
    assert fetch.calls == ["2302.10866"]
    assert after.startswith(before) and after[len(before):] == b"\n" + text.encode()
    parsed = bibfile.read(bib)
    entry = parsed.entries[-1]
    assert entry.key == "poli2023hyena" and entry.type == "article"
    assert entry.fields["title"] == "{Hyena Hierarchy: Towards Larger Convolutional Language Models}"
    assert entry.fields["author"].startswith("Poli, Michael and Massaroli, Stefano")
    assert entry.fields["author"].endswith("and Ré, Christopher")
    assert entry.fields["journal"] == "arXiv preprint arXiv:2302.10866"
    assert (entry.fields["year"], entry.fields["date"]) == ("2023", "2023-02-21")
    assert entry.fields["eprint"] == "2302.10866" and entry.fields["primaryclass"] == "cs.LG"
    assert entry.fields["url"] == "https://arxiv.org/abs/2302.10866"
    assert entry.fields["shortvenue"] == "arXiv"
    assert entry.fields["provenance"].startswith(
        "arXiv API record for 2302.10866 (title, authors, v1 2023-02-21), fetched by llmkb add ")
    assert "contributor" not in entry.fields["provenance"]
    assert entry.fields["added"] == "2026-12-04"  # the day of `llmkb add`
    assert text == bib_format.format_entry(entry)  # canonical form
    assert check_bib(parsed) == []


def test_add_with_venue_and_booktitle_gives_inproceedings_with_the_venue_year(bib):
    arxiv.add("2104.08164", bib, topic=["knowledge-editing"], kind="超网络编辑器",
              venue="EMNLP 2021",
              booktitle="Conference on Empirical Methods in Natural Language Processing (EMNLP 2021)",
              fetch=recorded("decao-2104.08164-journal-ref.xml"))
    entry = bibfile.read(bib).entries[-1]
    assert entry.key == "decao2021editing" and entry.type == "inproceedings"
    assert entry.fields["author"] == "De Cao, Nicola and Aziz, Wilker and Titov, Ivan"
    assert entry.fields["booktitle"].endswith("(EMNLP 2021)") and "journal" not in entry.fields
    assert entry.fields["doi"] == "10.18653/v1/2021.emnlp-main.522"
    assert (entry.fields["shortvenue"], entry.fields["year"]) == ("EMNLP 2021", "2021")
    assert entry.fields["provenance"].endswith(
        "; venue EMNLP 2021 given by the contributor: check it against the proceedings page")


def test_add_with_a_known_venue_reuses_its_full_name(bib):
    bib.write_text(bib.read_text(encoding="utf-8").replace("ICML 2019", "ICML 2023"), encoding="utf-8")
    arxiv.add("2302.10866", bib, topic=["peft"], tags=["method"], kind="长卷积", venue="ICML 2023",
              fetch=recorded("hyena-2302.10866.xml"))
    entry = bibfile.read(bib).entries[-1]
    assert entry.type == "inproceedings"
    assert entry.fields["booktitle"] == "International Conference on Machine Learning (ICML 2023)"


def test_add_refuses_a_venue_year_before_the_first_version(bib):
    before = bib.read_bytes()
    with pytest.raises(arxiv.AddError, match="year 2022 is before the first public version"):
        arxiv.add("2302.10866", bib, topic=["peft"], tags=["method"], kind="x", venue="ICLR 2022",
                  fetch=recorded("hyena-2302.10866.xml"))
    assert bib.read_bytes() == before


def test_add_with_an_unknown_venue_asks_for_the_full_name(bib):
    before = bib.read_bytes()
    with pytest.raises(arxiv.AddError, match=r"shortvenue \{NeurIPS 2023\}.*--booktitle"):
        arxiv.add("2302.10866", bib, topic=["peft"], tags=["method"], kind="x", venue="NeurIPS 2023",
                  fetch=recorded("hyena-2302.10866.xml"))
    assert bib.read_bytes() == before


def test_add_refuses_a_duplicate_arxiv_id_naming_the_existing_key(bib):
    before = bib.read_bytes()
    text = before.decode().replace("2305.14314", "2104.08164")  # qlora now claims the De Cao id
    bib.write_text(text, encoding="utf-8")
    with pytest.raises(arxiv.AddError) as info:
        arxiv.add("2104.08164", bib, topic=["knowledge-editing"], kind="x",
                  fetch=recorded("decao-2104.08164-journal-ref.xml"))
    assert "dettmers2023qlora: already holds this paper (same arXiv id)" in str(info.value)
    assert f"{bib}:18:" in str(info.value)
    assert bib.read_text(encoding="utf-8") == text


def test_add_refuses_a_duplicate_title_under_another_id(bib):
    bib.write_text(bib.read_text(encoding="utf-8").replace(
        "QLoRA: Efficient Finetuning of Quantized LLMs",
        "Hyena {H}ierarchy: Towards Larger Convolutional Language Models!"),
        encoding="utf-8")
    with pytest.raises(arxiv.AddError, match="dettmers2023qlora: already holds this paper \\(same title\\)"):
        arxiv.add("2302.10866", bib, topic=["non-transformer"], kind="x", fetch=recorded("hyena-2302.10866.xml"))


def test_add_refuses_an_entry_that_would_fail_the_check(bib):
    before = bib.read_bytes()
    with pytest.raises(arxiv.AddError, match="unknown topic 'non-transformers'.*nothing was added"):
        arxiv.add("2302.10866", bib, topic=["non-transformers"], kind="x", fetch=recorded("hyena-2302.10866.xml"))
    with pytest.raises(arxiv.AddError, match="split into sub-tables"):
        arxiv.add("2302.10866", bib, topic=["peft"], kind="x", fetch=recorded("hyena-2302.10866.xml"))
    assert bib.read_bytes() == before


def test_add_gives_a_free_key_when_another_paper_has_it(bib):
    bib.write_text(bib.read_text(encoding="utf-8").replace("evil2024script", "poli2023hyena"), encoding="utf-8")
    text = arxiv.add("2302.10866", bib, topic=["non-transformer"], kind="x", fetch=recorded("hyena-2302.10866.xml"))
    assert text.startswith("@article{poli2023hyenab,")


def test_add_to_a_file_without_final_newline_keeps_a_blank_line(bib):
    bib.write_bytes(bib.read_bytes().rstrip(b"\n"))
    before = bib.read_bytes()
    arxiv.add("2302.10866", bib, topic=["non-transformer"], kind="x", fetch=recorded("hyena-2302.10866.xml"))
    after = bib.read_bytes()
    assert after.startswith(before + b"\n\n@article{poli2023hyena,")
    assert len(bibfile.read(bib).entries) == 5


def test_add_refuses_to_touch_a_broken_file(bib):
    bib.write_text(bib.read_text(encoding="utf-8").replace("year = {2022},", "year = {2022", 1), encoding="utf-8")
    before = bib.read_bytes()
    with pytest.raises(arxiv.AddError, match="fix .* first"):
        arxiv.add("2302.10866", bib, topic=["non-transformer"], kind="x", fetch=recorded("hyena-2302.10866.xml"))
    assert bib.read_bytes() == before


# ---------------------------------------------------------------- the command line

def run_add(bib, response, *args):
    env = {**os.environ, arxiv.RESPONSE_ENV: str(response)}
    return subprocess.run([sys.executable, "-m", "llmkb", "add", *args, "--bib", str(bib)],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)


def test_cli_add_prints_the_entry(bib):
    out = run_add(bib, DATA / "hyena-2302.10866.xml", "2302.10866", "--topic", "non-transformer", "--kind", "长卷积")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("@article{poli2023hyena,\n  title = {{Hyena Hierarchy")
    assert bibfile.read(bib).entries[-1].key == "poli2023hyena"
    # the entry has no book note yet, and `make check` requires one: the message says so
    assert "now write its summary" in out.stderr and "40–80 Han characters" in out.stderr, out.stderr


def test_cli_add_notes_a_journal_ref(bib):
    out = run_add(bib, DATA / "decao-2104.08164-journal-ref.xml", "2104.08164", "--topic", "knowledge-editing",
                  "--kind", "x")
    assert out.returncode == 0, out.stderr
    assert "note: arXiv says decao2021editing was published in 'Proceedings of the 2021 Conference" in out.stderr


@pytest.mark.parametrize("response", ["error-bad-id.xml", "empty-feed.xml", "malformed-truncated.xml", "missing.xml"])
def test_cli_add_fails_with_one_line_and_no_change(bib, response):
    before = bib.read_bytes()
    out = run_add(bib, DATA / response, "2302.99999", "--topic", "non-transformer", "--kind", "x")
    assert out.returncode == 1
    assert out.stdout == ""
    assert len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert "Traceback" not in out.stderr
    assert bib.read_bytes() == before


def test_cli_add_reports_every_problem_of_the_new_entry_most_specific_first(bib):
    """A misspelt --tag also leaves a split topic without a tag: both are reported, each on its own
    line, the misspelling (with its "did you mean") first; only the other one used to be shown."""
    before = bib.read_bytes()
    out = run_add(bib, DATA / "hyena-2302.10866.xml", "2302.10866", "--topic", "non-transformer",
                  "--topic", "peft", "--tag", "methd", "--kind", "长卷积")
    assert out.returncode == 1 and out.stdout == ""
    head, *lines = out.stderr.splitlines()
    assert head == "the new entry poli2023hyena would not pass `llmkb check` (2 problems); nothing was added:"
    assert lines[0].startswith("  tag 'methd' belongs to none of this entry's topics (did you mean 'method'?)")
    assert lines[1].startswith("  topic 'peft' is split into sub-tables but the entry has none of its tags")
    assert len(lines) == 2
    assert bib.read_bytes() == before


def test_cli_add_offline_fails_with_one_line(bib, tmp_path):
    """No saved response and an unreachable API (a proxy on a closed local port): one line, no change."""
    before = bib.read_bytes()
    env = {k: v for k, v in os.environ.items() if k != arxiv.RESPONSE_ENV}
    env.update(https_proxy="http://127.0.0.1:9", HTTPS_PROXY="http://127.0.0.1:9", no_proxy="", NO_PROXY="")
    out = subprocess.run([sys.executable, "-m", "llmkb", "add", "2302.10866", "--topic", "non-transformer",
                          "--kind", "x", "--bib", str(bib)], capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 1
    assert out.stderr.startswith("cannot reach the arXiv API") and len(out.stderr.strip().splitlines()) == 1
    assert bib.read_bytes() == before


def test_cli_add_help_explains_the_venue_mapping():
    out = subprocess.run([sys.executable, "-m", "llmkb", "add", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0
    assert '--venue "ICLR 2024"' in out.stdout and "@inproceedings" in out.stdout
    assert "journal = {arXiv preprint" in out.stdout
