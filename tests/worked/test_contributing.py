"""Worked numbers of the contributor guide (docs/appendix/contributing.md), recomputed.

The guide's writing rules show how to work a number through (a LoRA on one 4096 × 4096 matrix);
that example is held to the rule it teaches.
"""

from __future__ import annotations

from worked.pages import fmt_int, page_shows

GUIDE = "appendix/contributing.md"


def test_the_guides_lora_example():
    d, r = 4096, 8
    full = d * d
    lora = 2 * d * r
    assert (full, lora) == (16_777_216, 65_536)
    page_shows(GUIDE, f"d = {d} 的方阵有 {fmt_int(full)} 个参数",
               f"2 × {d} × {r} = {fmt_int(lora)} 个", f"约为原来的 {100 * lora / full:.2f}%")
