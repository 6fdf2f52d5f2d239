"""llmkb.extension.relax_gc: fewer cyclic-GC passes during a build, never lower than asked."""

import gc

import pytest

from llmkb.extension import GC_THRESHOLD, relax_gc


@pytest.fixture
def restore_gc():
    before = gc.get_threshold()
    yield
    gc.set_threshold(*before)


def test_default_thresholds_are_raised(restore_gc):
    gc.set_threshold(700, 10, 10)  # CPython's defaults
    relax_gc()
    assert gc.get_threshold() == GC_THRESHOLD
    assert gc.isenabled()  # collected less often, never switched off


def test_a_higher_threshold_is_left_alone(restore_gc):
    gc.set_threshold(500_000, 50, 50)
    relax_gc()
    assert gc.get_threshold() == (500_000, 50, 50)
