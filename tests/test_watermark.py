"""Tests for llmkb.sphinx_ext.watermark, the toy green-list watermark shown on docs/text/watermarking.md."""

from __future__ import annotations

import math

import pytest

from llmkb.sphinx_ext.watermark import (
    DEMO_GAMMA,
    DEMO_KEY,
    DEMO_LENGTH,
    DEMO_PROMPT,
    VOCAB,
    Scored,
    demo,
    generate,
    green_list,
    paraphrase_attack,
    score_text,
    z_score,
)

# --- z_score ---------------------------------------------------------------

def test_z_score_hand_computed():
    # gamma = 0.25, T = 200: expected green 50, sd = sqrt(200 * 0.25 * 0.75) = sqrt(37.5) = 6.1237
    # 100 green tokens: z = (100 - 50) / 6.1237 = 8.165
    assert z_score(100, 200, 0.25) == pytest.approx(8.165, abs=1e-3)
    assert z_score(100, 200, 0.25) == pytest.approx(50 / math.sqrt(37.5))


def test_z_score_at_expectation_is_zero():
    assert z_score(50, 200, 0.25) == 0


def test_z_score_below_expectation_is_negative():
    # 40 green of 200: (40 - 50) / 6.1237 = -1.633
    assert z_score(40, 200, 0.25) == pytest.approx(-1.633, abs=1e-3)


@pytest.mark.parametrize("gamma", [0, 1, -0.1, 1.5])
def test_z_score_rejects_gamma_outside_open_interval(gamma):
    with pytest.raises(ValueError, match="gamma must be strictly between 0 and 1"):
        z_score(10, 20, gamma)


def test_z_score_rejects_zero_total():
    with pytest.raises(ValueError, match="total must be a positive number of tokens"):
        z_score(0, 0, 0.25)


def test_z_score_rejects_green_above_total():
    with pytest.raises(ValueError, match="green must lie between 0 and total"):
        z_score(21, 20, 0.25)


# --- green_list ------------------------------------------------------------

@pytest.mark.parametrize("gamma", [0.1, 0.25, 0.5, 0.75])
def test_green_list_size(gamma):
    greens = green_list("weather", VOCAB, gamma, DEMO_KEY)
    assert len(greens) == round(gamma * len(VOCAB))
    assert greens <= set(VOCAB)


def test_green_list_is_deterministic():
    first = green_list("sunny", VOCAB, 0.25, 42)
    again = green_list("sunny", VOCAB, 0.25, 42)
    assert first == again
    # the order of the vocabulary does not matter
    assert green_list("sunny", tuple(reversed(VOCAB)), 0.25, 42) == first


def test_green_list_depends_on_previous_token_and_key():
    base = green_list("sunny", VOCAB, 0.25, 42)
    assert green_list("bright", VOCAB, 0.25, 42) != base
    assert green_list("sunny", VOCAB, 0.25, 43) != base


def test_green_list_rejects_bad_gamma():
    with pytest.raises(ValueError, match="gamma must be strictly between 0 and 1"):
        green_list("the", VOCAB, 1.0, 1)
    with pytest.raises(ValueError, match="both lists are non-empty"):
        green_list("the", VOCAB, 0.001, 1)


# --- score_text ------------------------------------------------------------

def test_score_text_counts_against_recomputed_lists():
    tokens = ["sunny", "with", "a", "gentle", "breeze"]
    scored = score_text(tokens, VOCAB, 0.25, 7, context="is")
    prevs = ["is"] + tokens[:-1]
    expected = [t in green_list(p, VOCAB, 0.25, 7) for p, t in zip(prevs, tokens)]
    assert [g for _, g in scored.tokens] == expected
    assert scored.green == sum(expected)
    assert scored.total == 5
    assert scored.z == pytest.approx(z_score(sum(expected), 5, 0.25))


def test_score_text_rejects_empty_text():
    with pytest.raises(ValueError, match="empty text"):
        score_text([], VOCAB, 0.25, 7)


def test_scored_is_frozen():
    scored = score_text(["the"], VOCAB, 0.25, 7)
    with pytest.raises(AttributeError):
        scored.green = 3  # type: ignore[misc]


# --- generate and demo -----------------------------------------------------

def test_generate_is_deterministic_and_in_vocab():
    a = generate(DEMO_PROMPT, 30, VOCAB, 0.25, 2.0, 5, True)
    b = generate(DEMO_PROMPT, 30, VOCAB, 0.25, 2.0, 5, True)
    assert a == b
    assert len(a) == 30
    assert set(a) <= set(VOCAB)


def test_generate_rejects_bad_input():
    with pytest.raises(ValueError, match="length must be a positive integer"):
        generate(DEMO_PROMPT, 0, VOCAB, 0.25, 2.0, 5, True)
    with pytest.raises(ValueError, match="gamma must be strictly between 0 and 1"):
        generate(DEMO_PROMPT, 10, VOCAB, 1.2, 2.0, 5, True)
    with pytest.raises(ValueError, match="prompt_tokens"):
        generate([], 10, VOCAB, 0.25, 2.0, 5, True)


def test_paraphrase_attack_changes_every_second_token():
    tokens = list(VOCAB[:10])
    attacked = paraphrase_attack(tokens, VOCAB)
    for i, (old, new) in enumerate(zip(tokens, attacked)):
        if i % 2 == 1:
            assert new != old
        else:
            assert new == old


def test_demo_shapes():
    texts = demo()
    assert len(texts) == 3
    for s in texts:
        assert isinstance(s, Scored)
        assert s.total == DEMO_LENGTH
        assert s.gamma == DEMO_GAMMA
        assert s.label


def test_demo_separates_watermarked_from_plain():
    marked, plain, attacked = demo()
    assert marked.z > 4
    assert abs(plain.z) < 2
    assert abs(attacked.z) < 2


def test_demo_numbers_quoted_in_the_book():
    # docs/text/watermarking.md quotes these counts; gamma*T = 0.25*40 = 10 expected,
    # sd = sqrt(40*0.25*0.75) = sqrt(7.5) = 2.7386.
    marked, plain, attacked = demo()
    assert (marked.green, plain.green, attacked.green) == (26, 10, 11)
    # hand check: (26 - 10) / 2.7386 = 5.842
    assert marked.z == pytest.approx((26 - 10) / math.sqrt(7.5))
    assert marked.z == pytest.approx(5.842, abs=1e-3)
    assert plain.z == 0
    assert attacked.z == pytest.approx(0.365, abs=1e-3)


def test_demo_is_deterministic():
    assert demo() == demo()
