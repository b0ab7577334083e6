"""Pausing the cyclic collector: restored on exit, survivors promoted, a program's own frozen objects left alone."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from orgsim.gcpause import paused_gc


@pytest.fixture
def collector() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.enable()
    yield
    gc.unfreeze()
    if not was_enabled:
        gc.disable()


def test_the_collector_is_paused_inside_and_restored_after_an_error(collector: None) -> None:
    with pytest.raises(RuntimeError), paused_gc():
        assert not gc.isenabled()
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_what_the_block_built_is_promoted_rather_than_walked_young(collector: None) -> None:
    with paused_gc():
        kept = [[index] for index in range(20_000)]
    assert gc.get_count()[0] < 1_000  # the young generation no longer holds the 20,000 lists
    assert all(gc.is_tracked(item) for item in kept[:10])  # still tracked: full collections still see them


def test_a_programs_frozen_objects_stay_frozen(collector: None) -> None:
    gc.freeze()
    frozen = gc.get_freeze_count()
    with paused_gc():
        _ = [[index] for index in range(1_000)]
    assert gc.get_freeze_count() == frozen


def test_nothing_happens_when_the_collector_was_off(collector: None) -> None:
    gc.disable()
    with paused_gc():
        pass
    assert not gc.isenabled()
