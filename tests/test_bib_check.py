"""Schema checks: each problem reads `refs.bib:LINE: KEY: what is wrong — how to fix it`."""

import re

from llmkb.bib import check as bib_check
from llmkb.bib import file as bibfile

VALID = """@inproceedings{hu2021lora,
  title = {{LoRA: Low-Rank Adaptation of Large Language Models}},
  author = {Hu, Edward J. and Shen, Yelong},
  booktitle = {International Conference on Learning Representations (ICLR 2022)},
  year = {2022},
  date = {2021-06-17},
  eprint = {2106.09685},
  archivePrefix = {arXiv},
  url = {https://arxiv.org/abs/2106.09685},
  keywords = {peft},
  tags = {method},
  kind = {低秩适配},
  shortvenue = {ICLR 2022},
  provenance = {test fixture},
}
"""
LINE = re.compile(r"^refs\.bib:\d+: [\w-]+: .+ — .+$")


def problems(text):
    out = bib_check.check_bib(bibfile.parse_text(text), "refs.bib")
    for p in out:
        assert LINE.match(str(p)), str(p)
    return out


def with_line(old, new):
    assert old in VALID
    return VALID.replace(old, new)


def test_valid_entry_has_no_problem():
    assert problems(VALID) == []


def test_real_refs_bib_is_clean():
    from pathlib import Path

    assert bib_check.check_file(Path(__file__).parent.parent / "refs.bib") == []


def test_missing_required_field():
    (p,) = problems(with_line("  booktitle = {International Conference on Learning Representations (ICLR 2022)},\n", ""))
    assert "missing required field 'booktitle'" in p.message and p.key == "hu2021lora" and p.line == 1


def test_duplicate_key_names_first_line():
    out = problems(VALID + "\n" + VALID)
    assert any("duplicate key (first defined on line 1)" in p.message and p.line == 17 for p in out)


def test_same_paper_under_two_keys():
    other = VALID.replace("hu2021lora", "hu2021low")
    out = problems(VALID + "\n" + other)
    assert any("the same paper as 'hu2021lora'" in p.message and p.key == "hu2021low" for p in out)


def test_unknown_topic_with_suggestion_and_line():
    (p,) = problems(with_line("keywords = {peft}", "keywords = {peft, pefts}"))
    assert "unknown topic 'pefts'" in p.message and "did you mean 'peft'" in p.message and p.line == 10


def test_tag_rules():
    out = problems(with_line("tags = {method}", "tags = {lora}"))
    assert any("tag 'lora' belongs to none" in p.message and "method" in p.fix for p in out)
    out = problems(with_line("  tags = {method},\n", ""))
    assert any("split into sub-tables" in p.message for p in out)


def test_bad_date_and_year():
    (p,) = problems(with_line("date = {2021-06-17}", "date = {2021-13-40}"))
    assert "malformed date" in p.message and "YYYY-MM-DD" in p.fix and p.line == 6
    (p,) = problems(with_line("year = {2022}", "year = {2020}"))
    assert "before the first public version" in p.message


def test_a_date_without_its_day_needs_provenance_to_say_so():
    # month or year only, when no public record shows the day: provenance must say 'day unknown'
    said = "provenance = {test fixture; day unknown: no arXiv record seen},"
    for vague in ("2021-06", "2021"):
        assert problems(with_line("date = {2021-06-17}", f"date = {{{vague}}}")
                        .replace("provenance = {test fixture},", said)) == []
        (p,) = problems(with_line("date = {2021-06-17}", f"date = {{{vague}}}"))
        assert f"date '{vague}' gives no day" in p.message and "day unknown" in p.fix and p.line == 6
    for bad in ("2021-6", "2021-13", "21-06", "2021-06-"):
        (p,) = problems(with_line("date = {2021-06-17}", f"date = {{{bad}}}").replace(
            "provenance = {test fixture},", said))
        assert "malformed date" in p.message, bad
    # a month-only date is compared by its first day: added in that month is fine, before it is not
    shown = "shortvenue = {ICLR 2022},"
    month = with_line("date = {2021-06-17}", "date = {2021-06}").replace("provenance = {test fixture},", said)
    assert problems(month.replace(shown, shown + "\n  added = {2021-06-01},")) == []
    (p,) = problems(month.replace(shown, shown + "\n  added = {2021-05-31},"))
    assert "before the paper's first public version (2021-06)" in p.message
    # the key's year is still the date's year
    (p,) = problems(with_line("date = {2021-06-17}", "date = {2020}").replace("provenance = {test fixture},", said))
    assert "the key's year 2021 differs" in p.message


def test_added_is_optional_but_validated_when_present():
    shown = "shortvenue = {ICLR 2022},"
    assert problems(with_line(shown, shown + "\n  added = {2026-12-04},")) == []
    (p,) = problems(with_line(shown, shown + "\n  added = {2026-2-30},"))
    assert "malformed added date '2026-2-30'" in p.message and "YYYY-MM-DD" in p.fix and p.line == 14
    (p,) = problems(with_line(shown, shown + "\n  added = {2021-06-01},"))
    assert "before the paper's first public version (2021-06-17)" in p.message


def test_bad_arxiv_id_and_url():
    (p,) = problems(with_line("eprint = {2106.09685}", "eprint = {arXiv:2106.09685v2}"))
    assert "malformed arXiv id" in p.message
    (p,) = problems(with_line("url = {https://arxiv.org/abs/2106.09685}", "url = {arxiv.org/abs/2106.09685}"))
    assert "not an absolute http(s) URL" in p.message


def test_a_character_pdflatex_cannot_typeset_is_a_problem_in_exported_fields_only():
    (p,) = problems(with_line("title = {{LoRA: Low-Rank", "title = {{τ-LoRA: Low-Rank"))
    assert "'τ' (U+03C4)" in p.message and "$\\tau$" in p.fix and p.line == 2
    assert problems(with_line("title = {{LoRA: Low-Rank", "title = {{$\\tau$-LoRA: Low-Rank")) == []
    # accented names and typographic quotes compile; Chinese belongs in the project's fields
    assert problems(with_line("Shen, Yelong", "Shén, Yélong")) == []
    assert problems(with_line("kind = {低秩适配}", "kind = {τ 低秩适配}")) == []


def test_unescaped_percent():
    (p,) = problems(with_line("kind = {低秩适配}", "kind = {只训练 0.4% 的参数}"))
    assert "unescaped '%'" in p.message and "\\%" in p.fix
    assert problems(with_line("kind = {低秩适配}", "kind = {只训练 0.4\\% 的参数}")) == []


def test_key_style_and_key_year():
    out = problems(VALID.replace("hu2021lora", "Hu-LoRA"))
    assert any("key style" in p.message for p in out)
    out = problems(VALID.replace("hu2021lora", "hu2020lora"))
    assert any("differs from the first-version date" in p.message for p in out)


def test_unknown_field_and_type():
    (p,) = problems(with_line("kind = {", "kinds = {x},\n  kind = {"))
    assert "unknown field 'kinds'" in p.message and "did you mean 'kind'" in p.message
    (p,) = problems(VALID.replace("@inproceedings", "@misc"))
    assert "@misc is not allowed" in p.message


def test_empty_file():
    (p,) = problems("")
    assert "holds no entry" in p.message


def test_split_author_name_is_caught():
    out = problems(with_line("author = {Hu, Edward J. and Shen, Yelong}", "author = {Hu, Edward J. and Yelong and Shen}"))
    assert sorted(p.message.split("'")[1] for p in out) == ["Shen", "Yelong"]
    assert all("Family, Given" in p.fix and p.line == 3 for p in out)
    assert problems(with_line("author = {Hu, Edward J. and Shen, Yelong}", "author = {{OpenAI} and Hu, Edward J.}")) == []


def test_an_entry_without_provenance_is_a_problem():
    """Every entry says where its metadata was read (issue 14): none recalled from memory."""
    found = problems(VALID.replace("provenance = {test fixture}", "note = {no source}"))
    assert [p.message for p in found] == ["missing required field 'provenance' for @inproceedings"]
    assert "the public source(s) the metadata was read from" in found[0].fix
