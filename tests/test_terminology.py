"""One term per concept: the glossary's other spellings are flagged in prose, by check and by the build."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from llmkb.sphinx_ext import terminology

ROOT = Path(__file__).parent / "roots" / "test-terms"
GLOSSARY = (ROOT / "appendix" / "glossary" / "a-z.md").read_text(encoding="utf-8")
BOOK_GLOSSARY = terminology.read(Path(__file__).parent.parent / "docs")


def test_rules_come_from_the_glossary():
    rules = terminology.rules(GLOSSARY)
    assert [(r.canonical, r.variant) for r in rules] == [
        ("KV 缓存", "键值缓存"), ("KV 缓存", "KV Cache"), ("词元", "token")]
    assert terminology.check_rules(rules) == []


def test_scan_flags_prose_only_and_allows_the_introduction_in_parentheses():
    text = (ROOT / "page.md").read_text(encoding="utf-8")
    found = terminology.scan(text, terminology.rules(GLOSSARY))
    assert [(f.line, f.variant, f.canonical) for f in found] == [(5, "token", "词元"), (7, "键值缓存", "KV 缓存")]


def test_a_variant_that_is_also_a_term_is_a_glossary_error():
    glossary = GLOSSARY.replace("本书不写作：token。", "本书不写作：token、KV 缓存。")
    errors = terminology.check_rules(terminology.rules(glossary))
    assert len(errors) == 1 and "'KV 缓存'" in errors[0].message and errors[0].fix == "merge the two entries"
    glossary = GLOSSARY.replace("本书不写作：token。", "本书不写作：token、键值缓存。")
    errors = terminology.check_rules(terminology.rules(glossary))
    assert len(errors) == 1 and "listed under both 'KV 缓存' and '词元'" in errors[0].message


def test_entries_out_of_the_english_names_order_are_a_glossary_error():
    assert terminology.check_order(GLOSSARY) == []  # KV Cache, then Token
    swapped = GLOSSARY.replace("KV 缓存\n  KV Cache。", "KV 缓存\n  Zeta Cache。")
    (error,) = terminology.check_order(swapped)
    assert error.line == 7 and error.message.startswith("'词元' (Token) is after 'KV 缓存' (Zeta Cache)")
    assert "move the entry up" in error.fix
    # case does not count; a space sorts before a hyphen
    assert terminology.check_order(GLOSSARY.replace("KV Cache。", "kv cache。")) == []
    hyphen = GLOSSARY.replace("KV Cache。", "Token-level Cache。").replace("Token。", "Token Cache。")
    assert len(terminology.check_order(hyphen)) == 1
    # the book's own glossary is in order, and check_book reports an entry out of it
    assert terminology.check_order(BOOK_GLOSSARY.text) == []
    errors, _ = terminology.check_book(swapped, [])
    assert any("in the order of the English names" in e.message for e in errors)


@pytest.mark.sphinx("html", testroot="terms")
def test_the_build_warns_with_page_line_and_canonical_term(app, warning):
    app.build()
    lines = [line for line in warning.getvalue().splitlines() if "[llmkb.term]" in line]
    assert len(lines) == 2, warning.getvalue()
    assert "page.md:5" in lines[0] and "'token'" in lines[0] and "'词元'" in lines[0]
    assert "page.md:7" in lines[1] and "'键值缓存'" in lines[1] and "'KV 缓存'" in lines[1]


def test_llmkb_check_reports_terms_and_fails(tmp_path):
    shutil.copytree(ROOT, tmp_path / "book")
    run = subprocess.run([sys.executable, "-m", "llmkb", "check", "--bib", "refs.bib", "--docs", "."],
                         cwd=tmp_path / "book", capture_output=True, text=True)
    assert run.returncode == 1
    assert "page.md:5: term: non-canonical term 'token': the glossary's term is '词元'" in run.stdout
    # fixed page: no term problem left
    page = tmp_path / "book" / "page.md"
    page.write_text(page.read_text(encoding="utf-8").replace("裸写的 token", "裸写的词元")
                    .replace("但键值缓存", "但 KV 缓存"), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "llmkb", "check", "--bib", "refs.bib", "--docs", "."],
                         cwd=tmp_path / "book", capture_output=True, text=True)
    assert "term:" not in run.stdout, run.stdout


def test_llmkb_check_reports_terms_in_the_fields_a_reader_sees(tmp_path):
    """A summary or kind is shown in every paper table that lists the paper: the glossary's rule
    holds there too, reported with refs.bib's line, the entry and the field."""
    shutil.copytree(ROOT, tmp_path / "book")
    bib = tmp_path / "book" / "refs.bib"
    text = bib.read_text(encoding="utf-8")
    bib.write_text(text.replace("  kind = {量化微调},", "  kind = {量化微调},\n"
                                "  summary = {把权重量化到 4 位再微调，每个 token 的键值缓存照常。},"), encoding="utf-8")
    line = bib.read_text(encoding="utf-8").splitlines().index(
        "  summary = {把权重量化到 4 位再微调，每个 token 的键值缓存照常。},") + 1
    run = subprocess.run([sys.executable, "-m", "llmkb", "check", "--bib", "refs.bib", "--docs", "."],
                         cwd=tmp_path / "book", capture_output=True, text=True)
    assert run.returncode == 1
    assert (f"refs.bib:{line}: dettmers2023qlora: field 'summary': non-canonical term 'token': "
            "the glossary's term is '词元'") in run.stdout, run.stdout
    assert f"refs.bib:{line}: dettmers2023qlora: field 'summary': non-canonical term '键值缓存'" in run.stdout
    kind = text.splitlines().index("  kind = {低秩适配},") + 1
    bib.write_text(bib.read_text(encoding="utf-8").replace("每个 token 的键值缓存", "每个词元的 KV 缓存")
                   .replace("kind = {低秩适配}", "kind = {低秩 token 适配}"), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "llmkb", "check", "--bib", "refs.bib", "--docs", "."],
                         cwd=tmp_path / "book", capture_output=True, text=True)
    assert [line for line in run.stdout.splitlines() if "field '" in line] == [
        f"refs.bib:{kind}: hu2021lora: field 'kind': non-canonical term 'token': the glossary's term is '词元' "
        "— write '词元' (the English word may follow it in parentheses: 词元（token）)"], run.stdout


def test_the_book_uses_one_term_per_concept():
    docs = Path(__file__).parent.parent / "docs"
    from llmkb.sphinx_ext import page_source

    problems = page_source.check_terms(docs)
    assert problems == [], "\n".join(map(str, problems[:20]))
    # and in the refs.bib fields shown beside each paper (summary, kind, limitation)
    from llmkb.bib import file as bibfile

    bib = bibfile.read(docs.parent / "refs.bib")
    problems = page_source.check_entry_terms(bib.entries, "refs.bib", docs)
    assert problems == [], "\n".join(map(str, problems[:20]))


def test_prose_after_a_directive_option_is_still_scanned():
    """An option line blanks only itself (a DOTALL '.*' once swallowed the rest of the page)."""
    text = ":::{figure} a.svg\n:alt: 一张图\n:::\n\n这里又写了 token。\n"
    found = terminology.scan(text, terminology.rules(GLOSSARY))
    assert [(f.line, f.variant) for f in found] == [(5, "token")]


def test_a_term_built_on_the_canonical_one_may_give_its_english_name():
    """词元丢弃（Token Dropping）: the English name of a compound term contains the variant."""
    head, fence, tail = GLOSSARY.rpartition(":::")  # the new entry goes inside the glossary block
    glossary = head + "\n词元丢弃\n  Token Dropping。超出容量的词元不经专家计算。\n" + fence + tail
    found, defined = terminology.rules(glossary), terminology.terms(glossary)
    assert "词元丢弃" in defined and "KV 缓存" in defined
    text = ("这叫{term}`词元丢弃`（Token Dropping）。\n\n也叫词元丢弃（token dropping）。\n\n"
            "丢弃（Token Dropping）。\n\n词元丢弃之后，这个 token 就没了。\n")
    flagged = terminology.scan(text, found, defined)
    assert [(f.line, f.variant) for f in flagged] == [(5, "Token"), (7, "token")]
    # without the glossary's terms, only the bare canonical one introduces the word
    assert [f.line for f in terminology.scan(text, found)] == [1, 3, 5, 7]


def test_only_the_glossary_block_defines_terms():
    """The page's introduction is prose: its unindented lines are not terms (they once were)."""
    glossary = "# 术语表\n\n书中用到的术语，按英文名排列。\n\n" + GLOSSARY.split("\n", 1)[1] + "\n后记一行。\n"
    assert terminology.terms(glossary) == ["KV 缓存", "词元"]
    assert [(r.canonical, r.variant) for r in terminology.rules(glossary)][:1] == [("KV 缓存", "键值缓存")]


def test_the_book_glossary_terms_are_terms():
    defined = terminology.terms(BOOK_GLOSSARY.text)
    assert len(BOOK_GLOSSARY.parts) >= 4 and len(defined) > 600
    assert "词元" in defined and "字错误率" in defined
    assert not [t for t in defined if "。" in t or "，" in t]  # no sentence of the introduction


def test_a_search_term_the_glossary_already_gives_is_reported(monkeypatch, tmp_path):
    """search_terms.txt lists only words that are neither glossary terms nor topic names."""
    from llmkb.search import user_dict
    from llmkb.sphinx_ext import page_source

    terms_file = tmp_path / "search_terms.txt"
    terms_file.write_text("# a comment\n注意力汇聚\n词元\n", encoding="utf-8")
    monkeypatch.setattr(user_dict, "TERMS_FILE", terms_file)
    problems = [p for p in page_source.check_terms(ROOT) if p.key == "search-term"]
    assert [(p.line, p.fix) for p in problems] == [(3, "delete the line")]  # 词元 is a term of the test glossary
    assert "'词元'" in problems[0].message and problems[0].path.endswith("search_terms.txt")


# --- the glossary in parts, one per range of initial letters -------------------------------------

PART_AC = "# 术语表 A–C\n\n:::{glossary}\n激活参数\n  Active Parameters。每个词元实际用到的参数。\n\n词元\n  Token。分词器切出的单位。\n:::\n"
PART_DZ = "# 术语表 D–Z\n\n:::{glossary}\nKV 缓存\n  KV Cache。生成时缓存的键和值。\n:::\n"


def test_joined_parts_report_each_problem_at_its_part_and_line():
    glossary = terminology.join([("appendix/glossary/a-c", PART_AC), ("appendix/glossary/d-z", PART_DZ)])
    assert terminology.terms(glossary.text) == ["激活参数", "词元", "KV 缓存"]
    assert glossary.where(1) == ("appendix/glossary/a-c", 1)
    assert glossary.where(11) == ("appendix/glossary/d-z", 2)
    errors, _ = terminology.check_book(glossary, [])
    # 词元 (Token) is on a-c, the wrong page; so KV Cache, on d-z, comes after Token: out of order
    assert [(e.doc, e.line) for e in errors] == [("appendix/glossary/a-c", 7), ("appendix/glossary/d-z", 4)]
    placement = next(e for e in errors if "belongs on" in e.message)
    assert placement.message == "'词元' (Token) is on the glossary page 'a-c', but its English name belongs on 'd-z'"
    assert placement.fix == "move the entry to d-z, in the order of the English names"
    fixed = terminology.join([("appendix/glossary/a-c", PART_AC.replace("\n\n词元\n  Token。分词器切出的单位。", "")),
                              ("appendix/glossary/d-z", PART_DZ.replace(":::\n", "\n词元\n  Token。分词器切出的单位。\n:::\n", 1)
                               .replace(":::{glossary}\n词元", ":::{glossary}\n词元"))])
    assert terminology.check_book(fixed, []) == ([], [])


def test_names_that_begin_with_a_digit_go_to_the_first_part_and_letters_must_be_covered():
    digit = PART_DZ.replace("KV 缓存\n  KV Cache", "三维高斯泼溅\n  3D Gaussian Splatting")
    errors, _ = terminology.check_book(terminology.join([("g/a-c", PART_AC), ("g/d-z", digit)]), [])
    assert any("belongs on 'a-c'" in e.message for e in errors)
    errors, _ = terminology.check_book(terminology.join([("g/a-c", PART_AC), ("g/d-j", PART_DZ.replace("# 术语表 D–Z", "# D–J"))]), [])
    assert any("no glossary page holds English names beginning with 'K'" in e.message for e in errors)
    assert any("beginning with 'T' (词元, Token)" in e.message for e in errors)  # no page for T either
    errors, _ = terminology.check_book(terminology.join([("g/first", PART_AC)]), [])
    assert [(e.doc, e.line, e.fix) for e in errors] == [
        ("g/first", 1, "name it by the first and last initial of its English names, e.g. a-c.md")]


def test_a_second_definition_paragraph_is_a_glossary_error():
    twice = GLOSSARY.replace("生成时缓存的键和值。本书不写作：键值缓存、KV Cache。",
                             "生成时缓存的键和值。本书不写作：键值缓存、KV Cache。\n\n  KV Cache。又写了一遍。")
    (error,) = terminology.check_paragraphs(twice)
    assert error.line == 7 and error.message == "'KV 缓存' has a second definition paragraph"
    assert terminology.check_paragraphs(GLOSSARY) == []
    # a definition that runs over two lines is one paragraph
    assert terminology.check_paragraphs(GLOSSARY.replace("键和值。", "键和值，\n  供后面的词元使用。")) == []
    assert terminology.check_paragraphs(BOOK_GLOSSARY.text) == []


def test_the_build_warns_at_the_misplaced_entrys_own_page_and_line(make_app, tmp_path):
    src = tmp_path / "book"
    shutil.copytree(ROOT, src)
    parts = src / "appendix" / "glossary"
    (parts / "a-z.md").unlink()
    (parts / "a-m.md").write_text(GLOSSARY.replace("A–Z", "A–M"), encoding="utf-8")  # 词元 (Token) is here
    (parts / "n-z.md").write_text("# 术语表 N–Z\n\n:::{glossary}\n:::\n", encoding="utf-8")
    (src / "appendix" / "glossary.md").write_text("# 术语表\n\n```{toctree}\nglossary/a-m\nglossary/n-z\n```\n",
                                                 encoding="utf-8")
    app = make_app("html", srcdir=src)
    app.build()
    warnings = app.warning.getvalue()
    assert "a-m.md:7: WARNING: '词元' (Token) is on the glossary page 'a-m', but its English name belongs on " \
           "'n-z' — move the entry to n-z, in the order of the English names [llmkb.term]" in warnings, warnings


# --- the first link to a term carries its English name ------------------------------------------

NAMES_GLOSSARY = """# 术语表

:::{glossary}
低秩适配
  Low-Rank Adaptation（LoRA）。只训练两个低秩矩阵的微调方法。

位置偏差
  Position Bias。评审的判决随回答的先后而变。

pass@k
  pass@k。k 次采样中至少一次通过的概率。
:::
"""


def test_english_names_are_the_long_name_and_its_abbreviations():
    names = terminology.english_names(NAMES_GLOSSARY)
    assert names == {"低秩适配": ("Low-Rank Adaptation", "LoRA"), "位置偏差": ("Position Bias",),
                     "pass@k": ("pass@k",)}


def _missing(page: str) -> list[tuple[int, str, str]]:
    found = terminology.first_links(page, terminology.english_names(NAMES_GLOSSARY))
    return [(f.line, f.term, f.english) for f in found]


def test_a_first_link_without_its_english_name_is_reported_once_with_the_name_to_add():
    page = "# 页\n\n先说{term}`低秩适配`，再说{term}`低秩适配`。\n"
    assert _missing(page) == [(3, "低秩适配", "Low-Rank Adaptation，LoRA")]
    found = terminology.first_links(page, terminology.english_names(NAMES_GLOSSARY))
    assert found[0].fix() == "write {term}`低秩适配`（Low-Rank Adaptation，LoRA） here, as the glossary names it"


def test_the_ways_a_page_gives_the_english_name_are_accepted():
    names_given = [
        "{term}`低秩适配`（Low-Rank Adaptation，LoRA）",     # the guide's form
        "{term}`低秩适配`（LoRA）",                           # the abbreviation alone
        "**{term}`低秩适配`**（low-rank adaptation）",          # bold between; case does not count
        "偏爱先出现的回答（{term}`位置偏差`，Position Bias）",   # inside the parentheses it stands in
        "{term}`位置偏差 <位置偏差>`（Position Bias）",          # a role with an explicit target
    ]
    for text in names_given:
        assert _missing(f"# 页\n\n{text}。\n") == [], text


def test_headings_code_and_latin_terms_are_not_first_links():
    page = ("# 讲{term}`低秩适配`\n\n"             # a heading: the rule is for the text
            "代码里的 ``{term}`位置偏差` `` 不是链接。\n\n"
            "{term}`pass@k` 本身就是英文。\n\n"
            "正文第一次链接{term}`低秩适配`。\n")
    assert _missing(page) == [(7, "低秩适配", "Low-Rank Adaptation，LoRA")]


def test_check_book_reports_first_links_except_on_the_changelog():
    page = "# 页\n\n{term}`位置偏差`很常见。\n"
    _, findings = terminology.check_book(NAMES_GLOSSARY, [("docs/foundations/page.md", page),
                                                         ("docs/appendix/changelog.md", page),
                                                         ("docs/appendix/errata.md", page)])
    assert [(name, f.line, f.message()) for name, f in findings] == [
        ("docs/foundations/page.md", 3,
         "first link to the glossary term '位置偏差' without its English name in parentheses")]


LONGER_GLOSSARY = NAMES_GLOSSARY.replace("pass@k\n", "低秩适配器\n  LoRA Adapter。训练好的一组低秩矩阵。\n\npass@k\n")


def _unnamed(page: str, glossary: str = NAMES_GLOSSARY) -> list[tuple[int, str, int]]:
    found = terminology.first_mentions(page, terminology.english_names(glossary))
    return [(f.line, f.term, f.link_line) for f in found]


def test_a_linked_term_mentioned_earlier_without_its_english_name_is_reported():
    page = ("# 页\n\n本页讲低秩适配。\n\n## 一节\n\n"  # the introduction previews: not counted
            "先用一下低秩适配，再说别的。\n\n"            # line 7: the first mention in the text
            "{term}`低秩适配`（LoRA）的定义在这里。\n")
    assert _unnamed(page) == [(7, "低秩适配", 9)]
    (found,) = terminology.first_mentions(page, terminology.english_names(NAMES_GLOSSARY))
    assert "'低秩适配'" in found.message() and "line 9" in found.message()
    assert found.fix().startswith("give the English name here, 低秩适配（Low-Rank Adaptation，LoRA）")
    # fixed either way: the English name at the first mention, or the link moved there
    assert _unnamed(page.replace("先用一下低秩适配，", "先用一下低秩适配（LoRA），")) == []
    assert _unnamed(page.replace("先用一下低秩适配，", "先用一下{term}`低秩适配`（LoRA），")) == []


def test_what_first_mentions_leave_alone():
    intro = "# 页\n\n引子。\n\n## 一节\n\n"
    assert _unnamed(intro + "### 低秩适配\n\n{term}`低秩适配`（LoRA）。\n") == []          # a heading
    assert _unnamed(intro + "低秩适配很省，{term}`低秩适配`（LoRA）。\n") == []              # same paragraph
    assert _unnamed(intro + "`低秩适配` 与 $x$。\n\n{term}`低秩适配`（LoRA）。\n") == []    # code
    assert _unnamed(intro + "低秩适配很省。\n") == []                                      # never linked
    page = intro + "每个低秩适配器都小。\n\n{term}`低秩适配`（LoRA）。\n"                 # in a longer term
    assert _unnamed(page, LONGER_GLOSSARY) == []
    assert _unnamed(page) == [(7, "低秩适配", 9)]  # without that longer term in the glossary, it counts
    # the introduction is everything before the first section, lists and second paragraphs too
    preview = "# 页\n\n本页讲：\n\n- 低秩适配；\n\n以及别的。\n\n## 一节\n\n{term}`低秩适配`（LoRA）。\n"
    assert _unnamed(preview) == []
    # a page without sections: only the paragraph under the title is its introduction
    assert _unnamed("# 页\n\n引子。\n\n低秩适配很省。\n\n{term}`低秩适配`（LoRA）。\n") == [(5, "低秩适配", 7)]


def test_check_book_reports_first_mentions_except_on_the_changelog():
    page = "# 页\n\n引子。\n\n## 一节\n\n位置偏差很常见。\n\n{term}`位置偏差`（Position Bias）。\n"
    _, findings = terminology.check_book(NAMES_GLOSSARY, [("docs/foundations/page.md", page),
                                                         ("docs/appendix/changelog.md", page)])
    assert [(name, f.line, f.term) for name, f in findings] == [("docs/foundations/page.md", 7, "位置偏差")]
