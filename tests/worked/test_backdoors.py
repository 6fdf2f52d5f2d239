"""Worked numbers of docs/text/backdoors.md, recomputed from their formulas.

Souly et al. (arXiv 2510.07192) train every model size on the Chinchilla-optimal 20 tokens
per parameter and report about 250 poison documents of about 420,000 tokens in all for the 13B
model (authors' announcement anthropic.com/research/small-samples-poison). So the 600M model's
12B tokens follow from the authors' rule; the abstract's lower end of 6B tokens matches their
extra 600M run on half the Chinchilla-optimal data. That the 600M model's 250 poison documents
also total 420,000 tokens is the page's stated assumption.
"""

from __future__ import annotations

import math

from worked.pages import fmt_int, page_shows

BD = "text/backdoors.md"

TOKENS_PER_PARAM = 20
DOCS = 250
POISON_TOKENS = 420_000


def train_tokens(params: float) -> float:
    """D = 20 N."""
    return TOKENS_PER_PARAM * params


def test_the_13b_model():
    d = train_tokens(13e9)
    assert d == 2.6e11
    page_shows(BD, r"$D = 20 \times 13 \times 10^{9} = 2.6 \times 10^{11}$", "即 260B 个词元")
    assert POISON_TOKENS / DOCS == 1680
    page_shows(BD, r"$420{,}000 / 250 = 1{,}680$")
    f = POISON_TOKENS / d
    assert f"{f:.1e}" == "1.6e-06"
    assert f"{100 * f:.5f}" == "0.00016"
    page_shows(BD, r"\approx 1.6 \times 10^{-6}$", "约为 0.00016%")
    # the page's intermediate step: 420,000 = 4.2e5, so f = (4.2 / 2.6) x 1e-6
    assert math.isclose(f, (4.2 / 2.6) * 1e-6)
    assert f"{4.2 / 2.6:.1f}" == "1.6"
    page_shows(BD, r"$f = (4.2 / 2.6) \times 10^{-6} \approx 1.6 \times 10^{-6}$")
    # fewer than two poison tokens per million training tokens
    assert 1 < f * 1e6 < 2
    assert f"{f * 1e6:.1f}" == "1.6"
    page_shows(BD, "乘以一百万，约为 1.6")


def test_the_600m_model():
    d = train_tokens(0.6e9)
    assert math.isclose(d, 1.2e10)
    page_shows(BD, r"$D = 20 \times 0.6 \times 10^{9} = 1.2 \times 10^{10}$", "即 12B 个词元")
    f = POISON_TOKENS / d
    assert math.isclose(f, 3.5e-5)
    page_shows(BD, r"= 3.5 \times 10^{-5}$", "即 0.0035%")
    assert math.isclose(f, (4.2 / 1.2) * 1e-5)
    page_shows(BD, r"$(4.2 / 1.2) \times 10^{-5} = 3.5 \times 10^{-5}$")
    # the abstract's 6B lower end is the half-Chinchilla 600M run, not the main run
    assert math.isclose(0.5 * d, 6e9)
    page_shows(BD, "6B 到 260B 个词元", r"$0.5 \times 12 = 6$", "（这一点是本算例的假设）")


def test_the_ratio_and_the_fixed_fraction_count():
    ratio = train_tokens(13e9) / train_tokens(0.6e9)
    assert f"{ratio:.1f}" == "21.7"
    page_shows(BD, r"$260 / 12 \approx 21.7$", r"$1/21.7$")
    # cross-check: the 600M fraction shrunk by the ratio is the 13B fraction
    f_600m = POISON_TOKENS / train_tokens(0.6e9)
    assert f"{f_600m / 21.7:.1e}" == "1.6e-06"
    assert math.isclose(f_600m / ratio, POISON_TOKENS / train_tokens(13e9))
    page_shows(BD, r"$3.5 \times 10^{-5} / 21.7 \approx 1.6 \times 10^{-6}$")
    docs_needed = DOCS * ratio
    assert round(docs_needed) == 5417
    page_shows(BD, r"$250 \times 260 / 12 \approx " + fmt_int(5417).replace(",", "{,}") + "$")
