"""Worked numbers of docs/text/dialogue.md, recomputed.

A chat of T turns, u user tokens and a answer tokens a turn (illustrative values the
page names as such; no system prompt, no template tokens). Turn t prefills the whole
history plus the new user message, n_t = (t-1)(u+a) + u; without a prefix cache the
T turns prefill N = T*u + (u+a)*T(T-1)/2 tokens, with a cache that always hits only
T*u. Both generate T*a answer tokens.
"""

from __future__ import annotations

from fractions import Fraction

from worked.pages import fmt_int, page_shows

PAGE = "text/dialogue.md"
U, A = 100, 300


def prefill(t: int) -> int:
    """Tokens prefilled at turn t when nothing is cached."""
    return (t - 1) * (U + A) + U


def reread(turns: int) -> int:
    """Closed form of the sum of prefill(t) over the turns."""
    return turns * U + (U + A) * turns * (turns - 1) // 2


def cached(turns: int) -> int:
    return turns * U


def test_closed_form_is_the_sum():
    for turns in (1, 2, 20, 40):
        assert reread(turns) == sum(prefill(t) for t in range(1, turns + 1))


def test_single_turn_inputs():
    assert U + A == 400
    assert prefill(1) == 100
    assert 19 * (U + A) == 7_600
    assert prefill(20) == 7_700
    assert prefill(20) // prefill(1) == 77
    page_shows(PAGE, "u + a = 400", "n_1 = 0 \\times 400 + 100 = 100",
               "n_{20} = 19 \\times 400 + 100 = 7{,}600 + 100 = 7{,}700", "77 倍")


def test_twenty_turns():
    assert 20 * 19 // 2 == 190
    assert reread(20) == 78_000
    assert cached(20) == 2_000
    saved = reread(20) - cached(20)
    assert saved == 76_000
    share = round(100 * Fraction(saved, reread(20)), 1)
    assert share == Fraction(974, 10)
    page_shows(PAGE, "20 \\times 19 / 2 = 190",
               f"20 \\times 100 + 400 \\times 190 = {fmt_int(2_000)} + {fmt_int(76_000)} = {fmt_int(78_000)}",
               f"N_{{\\text{{缓存}}}}(20) = 20 \\times 100 = {fmt_int(2_000)}",
               f"{fmt_int(78_000)} - {fmt_int(2_000)} = {fmt_int(76_000)}",
               f"{fmt_int(76_000)} / {fmt_int(78_000)} = 97.4\\%")


def test_generated_tokens_and_ratio():
    generated = 20 * A
    assert generated == 6_000
    without, with_cache = reread(20) + generated, cached(20) + generated
    assert (without, with_cache) == (84_000, 8_000)
    assert Fraction(without, with_cache) == Fraction(21, 2)
    page_shows(PAGE, "20 \\times 300 = 6{,}000",
               "78{,}000 + 6{,}000 = 84{,}000", "2{,}000 + 6{,}000 = 8{,}000",
               "84{,}000 / 8{,}000 = 10.5")


def test_forty_turns():
    assert 40 * 39 // 2 == 780
    assert reread(40) == 316_000
    ratio = round(reread(40) / reread(20), 2)
    assert ratio == 4.05
    assert cached(40) == 4_000 == 2 * cached(20)
    page_shows(PAGE, "40 \\times 39 / 2 = 780",
               "40 \\times 100 + 400 \\times 780 = 4{,}000 + 312{,}000 = 316{,}000",
               "316{,}000 / 78{,}000 = 4.05", "40 \\times 100 = 4{,}000")
