"""Worked numbers of the front page's unit convention (docs/index.md, 单位约定).

Every other page's memory figures follow this convention, so its own examples are
recomputed here like any other worked example: 1 GB = 10^9 bytes, and a card sold as
"80 GB" holds 80 * 2^30 bytes.
"""

from __future__ import annotations

from worked.pages import fmt_int, page_shows

FRONT = "index.md"

GB = 10**9


def test_seven_b_parameters_in_half_precision():
    nbytes = 7 * 10**9 * 2
    assert nbytes == 1.4e10
    page_shows(FRONT, "7 \\times 10^9 \\times 2 = 1.4 \\times 10^{10}", f"即 {nbytes // GB} GB")


def test_a_power_of_two_written_out_then_converted():
    nbytes = 2**30
    page_shows(FRONT, f"$2^{{30}}$ 字节 = {fmt_int(nbytes)} 字节 ≈ {nbytes / GB:.2f} GB")


def test_what_an_80gb_card_holds():
    nbytes = 80 * 2**30
    page_shows(FRONT, f"80 × {fmt_int(2**30)} = {fmt_int(nbytes)} 字节", f"实际约 {nbytes / GB:.1f} GB")
