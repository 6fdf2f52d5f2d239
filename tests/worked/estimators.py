"""Estimators that more than one page works through, written once for their tests."""

import math
from collections import Counter


def human_eval_pass_at_k(n: int, c: int, k: int) -> float:
    """pass@k in the product form openai/human-eval computes (evaluation.py): c factors (1 - k/i),
    no binomial coefficient; the same value as Chen et al.'s 1 - C(n-c, k) / C(n, k)."""
    return 1.0 if n - c < k else 1.0 - math.prod(1 - k / i for i in range(n - c + 1, n + 1))


def ngram_counts(tokens: list[str], n: int) -> Counter:
    """How many times each run of ``n`` consecutive tokens occurs: what BLEU (machine-translation)
    and ROUGE-N (summarization) clip and count."""
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
