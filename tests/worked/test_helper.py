"""The worked-number helper itself: it finds numbers written the book's ways and fails on a changed one."""

import pytest

from worked.pages import fmt_int, normalise, shows


def test_finds_a_number_written_in_tex_and_in_prose():
    text = normalise(r"共 $268{,}435{,}456 \times 2$ 字节，即 536,870,912 字节")
    shows(text, fmt_int(268_435_456), "536,870,912")


def test_fails_on_a_deliberately_broken_number():
    text = normalise(r"即 $536{,}870{,}913$ 字节")  # off by one
    with pytest.raises(AssertionError, match="536,870,912"):
        shows(text, fmt_int(2 * 268_435_456))
