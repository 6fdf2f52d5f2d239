"""A toy green-list text watermark, small enough to compute while the book builds.

This module reproduces, on a 40-word vocabulary, the scheme of Kirchenbauer et
al. (2023), "A Watermark for Large Language Models":

* the previous token and a secret integer key seed a pseudo-random split of the
  vocabulary into a *green list* of ``round(gamma * |V|)`` words and a red list
  (:func:`green_list`);
* while generating, the watermarked model adds ``delta`` to the logit of every
  green word before sampling (:func:`generate`);
* the detector, who knows the key but not the model, counts green tokens and
  computes a one-proportion z statistic (:func:`z_score`, :func:`score_text`).

Everything is deterministic and uses the standard library only. The green list
and the toy "language model" are derived from SHA-256 (never from Python's
salted ``hash()``), and sampling uses ``random.Random`` with an integer seed, so
the numbers are the same on every machine and every run. :func:`demo` returns
the three scored texts the watermarking page of the book displays.
"""

from __future__ import annotations

import hashlib
import math
import random
from dataclasses import dataclass
from typing import Sequence

__all__ = [
    "VOCAB",
    "DEMO_PROMPT",
    "DEMO_LENGTH",
    "DEMO_GAMMA",
    "DEMO_DELTA",
    "DEMO_KEY",
    "DEMO_THRESHOLD",
    "Scored",
    "green_list",
    "z_score",
    "score_text",
    "generate",
    "paraphrase_attack",
    "demo",
]

#: The toy vocabulary: 40 distinct English words on a weather-and-walk theme.
VOCAB: tuple[str, ...] = (
    "the", "a", "weather", "today", "is", "was", "sunny", "bright",
    "clear", "warm", "mild", "with", "slight", "gentle", "soft", "breeze",
    "wind", "perfect", "ideal", "fine", "for", "walk", "stroll", "in",
    "park", "garden", "near", "river", "morning", "afternoon", "light", "sky",
    "and", "we", "people", "enjoy", "calm", "quiet", "long", "day",
)

# Parameters of the worked example shown in the book.
DEMO_PROMPT: tuple[str, ...] = ("the", "weather", "today", "is")
DEMO_LENGTH = 40
DEMO_GAMMA = 0.25
DEMO_DELTA = 2.0
DEMO_KEY = 15485863
DEMO_THRESHOLD = 4.0

_LM_LOGIT_SCALE = 4.0  # toy base logits lie in [0, 4)


@dataclass(frozen=True)
class Scored:
    """A text as the detector sees it.

    ``tokens`` pairs every scored token with whether it fell in the green list
    chosen by its predecessor; ``green`` and ``total`` count them, and ``z`` is
    :func:`z_score` of those counts. ``label`` names the text for display.
    """

    label: str
    tokens: tuple[tuple[str, bool], ...]
    green: int
    total: int
    gamma: float
    z: float

    @property
    def text(self) -> str:
        """The scored tokens joined by spaces."""
        return " ".join(token for token, _ in self.tokens)


def _check_gamma(gamma: float) -> None:
    if not isinstance(gamma, (int, float)) or isinstance(gamma, bool):
        raise ValueError(f"gamma must be a number strictly between 0 and 1, got {gamma!r}")
    if not 0.0 < gamma < 1.0:
        raise ValueError(f"gamma must be strictly between 0 and 1, got {gamma!r}")


def _check_vocab(vocab: Sequence[str]) -> None:
    if len(vocab) < 2:
        raise ValueError(f"vocab needs at least 2 words, got {len(vocab)}")
    if len(set(vocab)) != len(vocab):
        raise ValueError("vocab must not contain duplicate words")


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


def green_list(prev_token: str, vocab: Sequence[str], gamma: float, key: int) -> frozenset[str]:
    """The green words that may follow ``prev_token`` under the secret ``key``.

    SHA-256 of ``f"{key}:{prev_token}"`` is the seed; every word is ranked by
    SHA-256 of that seed followed by the word, and the ``round(gamma * len(vocab))``
    lowest-ranked words are green. The result does not depend on the order of
    ``vocab`` and is identical on every run.
    """
    _check_gamma(gamma)
    _check_vocab(vocab)
    size = round(gamma * len(vocab))
    if not 0 < size < len(vocab):
        raise ValueError(
            f"gamma={gamma} gives a green list of {size} of {len(vocab)} words; "
            "choose gamma so that both lists are non-empty"
        )
    seed = _digest(f"{key}:{prev_token}")
    ranked = sorted(vocab, key=lambda word: hashlib.sha256(seed + word.encode("utf-8")).digest())
    return frozenset(ranked[:size])


def z_score(green: int, total: int, gamma: float) -> float:
    """One-proportion z statistic: ``(green - gamma*total) / sqrt(total*gamma*(1-gamma))``.

    Without a watermark each token is green with probability ``gamma``, so
    ``green`` has mean ``gamma*total`` and variance ``total*gamma*(1-gamma)``.
    """
    _check_gamma(gamma)
    if isinstance(total, bool) or not isinstance(total, int):
        raise ValueError(f"total must be an integer number of tokens, got {total!r}")
    if total <= 0:
        raise ValueError(f"total must be a positive number of tokens, got {total}")
    if isinstance(green, bool) or not isinstance(green, int):
        raise ValueError(f"green must be an integer count, got {green!r}")
    if not 0 <= green <= total:
        raise ValueError(f"green must lie between 0 and total={total}, got {green}")
    expected = gamma * total
    return (green - expected) / math.sqrt(total * gamma * (1.0 - gamma))


def score_text(
    tokens: Sequence[str],
    vocab: Sequence[str],
    gamma: float,
    key: int,
    *,
    context: str = "<s>",
    label: str = "",
) -> Scored:
    """Count the green tokens of ``tokens`` and compute their z-score.

    Token ``i`` is green when it belongs to ``green_list(tokens[i-1], ...)``;
    the first token is judged by the list of ``context`` (the last prompt
    token). Words outside ``vocab`` are never green.
    """
    if len(tokens) == 0:
        raise ValueError("cannot score an empty text: total would be 0")
    marks: list[tuple[str, bool]] = []
    prev = context
    for token in tokens:
        marks.append((token, token in green_list(prev, vocab, gamma, key)))
        prev = token
    green = sum(1 for _, is_green in marks if is_green)
    total = len(marks)
    return Scored(
        label=label,
        tokens=tuple(marks),
        green=green,
        total=total,
        gamma=gamma,
        z=z_score(green, total, gamma),
    )


def _base_logit(prev: str, candidate: str) -> float:
    """The toy language model: a fixed logit in [0, 4) for each (prev, candidate) pair."""
    value = int.from_bytes(_digest(f"lm:{prev}:{candidate}")[:8], "big")
    return _LM_LOGIT_SCALE * value / 2**64


def generate(
    prompt_tokens: Sequence[str],
    length: int,
    vocab: Sequence[str],
    gamma: float,
    delta: float,
    key: int,
    watermark: bool,
    *,
    seed: int | None = None,
) -> list[str]:
    """Sample ``length`` tokens from the toy model after ``prompt_tokens``.

    With ``watermark=True`` the logit of every word in the current green list is
    raised by ``delta`` before the softmax. Sampling uses ``random.Random(seed)``
    (``seed`` defaults to ``key``), so the plain and the watermarked run draw the
    same random numbers and differ only by the logit shift.
    """
    _check_gamma(gamma)
    _check_vocab(vocab)
    if len(prompt_tokens) == 0:
        raise ValueError("prompt_tokens must contain at least one token")
    if isinstance(length, bool) or not isinstance(length, int) or length <= 0:
        raise ValueError(f"length must be a positive integer, got {length!r}")
    if delta < 0:
        raise ValueError(f"delta must be non-negative, got {delta!r}")
    rng = random.Random(key if seed is None else seed)
    words = list(vocab)
    prev = prompt_tokens[-1]
    out: list[str] = []
    for _ in range(length):
        logits = [_base_logit(prev, w) for w in words]
        if watermark:
            greens = green_list(prev, vocab, gamma, key)
            logits = [x + delta if w in greens else x for x, w in zip(logits, words)]
        top = max(logits)
        weights = [math.exp(x - top) for x in logits]
        threshold = rng.random() * sum(weights)
        chosen = words[-1]
        running = 0.0
        for w, weight in zip(words, weights):
            running += weight
            if threshold < running:
                chosen = w
                break
        out.append(chosen)
        prev = chosen
    return out


def paraphrase_attack(tokens: Sequence[str], vocab: Sequence[str], every: int = 2) -> list[str]:
    """Replace every ``every``-th token (positions every-1, 2*every-1, ...) by another word.

    The substitute is chosen deterministically from ``vocab`` by SHA-256 of the
    position and the original word, and always differs from it. A replaced word
    changes its own colour and also the green list of the word after it.
    """
    _check_vocab(vocab)
    if isinstance(every, bool) or not isinstance(every, int) or every < 1:
        raise ValueError(f"every must be a positive integer, got {every!r}")
    out = list(tokens)
    words = list(vocab)
    for i in range(every - 1, len(out), every):
        original = out[i]
        pick = int.from_bytes(_digest(f"swap:{i}:{original}")[:8], "big")
        candidates = [w for w in words if w != original]
        out[i] = candidates[pick % len(candidates)]
    return out


def demo() -> list[Scored]:
    """The three texts of the book's example: watermarked, plain, and attacked.

    All use :data:`VOCAB`, ``gamma = 0.25``, ``delta = 2.0``, 40 generated tokens
    after the prompt "the weather today is", and the same key and sampler seed.
    The attacked text replaces every second token of the watermarked one.
    """
    context = DEMO_PROMPT[-1]
    marked = generate(DEMO_PROMPT, DEMO_LENGTH, VOCAB, DEMO_GAMMA, DEMO_DELTA, DEMO_KEY, True)
    plain = generate(DEMO_PROMPT, DEMO_LENGTH, VOCAB, DEMO_GAMMA, DEMO_DELTA, DEMO_KEY, False)
    attacked = paraphrase_attack(marked, VOCAB, every=2)
    return [
        score_text(marked, VOCAB, DEMO_GAMMA, DEMO_KEY, context=context, label="带水印生成"),
        score_text(plain, VOCAB, DEMO_GAMMA, DEMO_KEY, context=context, label="无水印生成"),
        score_text(attacked, VOCAB, DEMO_GAMMA, DEMO_KEY, context=context,
                   label="隔词替换攻击后"),
    ]
