"""Tests for the Chinchilla frontier figure (llmkb/plots/scaling.py)."""

from __future__ import annotations

import math
import pathlib

import pytest

from llmkb.plots import scaling


def test_compute_optimal_at_gopher_budget_matches_hand_computation():
    # By hand, with E=1.69, A=406.4, B=410.7, alpha=0.34, beta=0.28:
    #   alpha*A = 138.176, beta*B = 114.996, ratio = 1.20157
    #   G = 1.20157 ** (1/0.62) = exp(0.18363 * 1.6129) = exp(0.29618) = 1.3447
    #   C/6 = 5.76e23 / 6 = 9.6e22, ln(9.6e22) = 52.919
    #   N_opt = 1.3447 * exp(52.919 * 0.45161) = 1.3447 * exp(23.899)
    #         = 1.3447 * 2.394e10 = 3.22e10   (32 billion parameters)
    #   D_opt = 9.6e22 / 3.22e10 = 2.98e12   (3.0 trillion tokens)
    #   D/N   = 2.98e12 / 3.22e10 = 92.6
    # The hand values carry 4-5 significant digits, so 1% is a safe tolerance.
    # Note: the published (rounded) Approach-3 fit gives about 93 tokens per
    # parameter here, not the 20 of Approaches 1 and 2 (Table 3: 67B, 1.5T).
    n_opt, d_opt = scaling.compute_optimal(5.76e23)
    assert n_opt == pytest.approx(3.22e10, rel=0.01)
    assert d_opt == pytest.approx(2.98e12, rel=0.01)
    assert 1e10 <= n_opt < 1e11  # tens of billions
    assert d_opt / n_opt == pytest.approx(92.6, rel=0.01)


def test_compute_optimal_respects_the_budget():
    for budget in (1e19, 5.76e23, 1e26):
        n_opt, d_opt = scaling.compute_optimal(budget)
        assert 6 * n_opt * d_opt == pytest.approx(budget, rel=1e-9)


def test_compute_optimal_is_the_minimum_on_the_iso_compute_line():
    budget = 5.76e23
    n_opt, _ = scaling.compute_optimal(budget)
    best = scaling.loss(n_opt, budget / (6 * n_opt))
    for factor in (0.5, 0.8, 1.25, 2.0):
        n = n_opt * factor
        assert scaling.loss(n, budget / (6 * n)) > best


def test_compute_optimal_exponents():
    # N_opt grows as C^(beta/(alpha+beta)) = C^0.4516, D_opt as C^0.5484
    n1, d1 = scaling.compute_optimal(1e20)
    n2, d2 = scaling.compute_optimal(1e24)
    assert math.log10(n2 / n1) / 4 == pytest.approx(0.28 / 0.62, rel=1e-9)
    assert math.log10(d2 / d1) / 4 == pytest.approx(0.34 / 0.62, rel=1e-9)


def test_compute_optimal_rejects_non_positive_budget():
    with pytest.raises(ValueError):
        scaling.compute_optimal(0.0)


def test_chinchilla_beats_gopher_under_the_fit():
    # L(70e9, 1.4e12) = 1.69 + 0.0835 + 0.1632 = 1.937
    # L(280e9, 300e9) = 1.69 + 0.0521 + 0.2511 = 1.993
    assert scaling.loss(70e9, 1.4e12) == pytest.approx(1.937, abs=1e-3)
    assert scaling.loss(280e9, 300e9) == pytest.approx(1.993, abs=1e-3)


@pytest.mark.filterwarnings("ignore:Glyph .* missing from font")
def test_svg_is_deterministic(tmp_path: pathlib.Path):
    first, second = tmp_path / "a" / "f.svg", tmp_path / "b" / "f.svg"
    scaling.chinchilla_frontier(first, None)
    scaling.chinchilla_frontier(second, None)
    data = first.read_bytes()
    assert b"<svg" in data
    assert data == second.read_bytes()
