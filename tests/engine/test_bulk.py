"""Pausing the cyclic collector: restored on exit, large blocks promoted, nobody else's objects swept along."""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Iterator

import pytest

from orgsim.engine.bulk import paused_gc


@pytest.fixture
def collector() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.enable()
    yield
    gc.unfreeze()
    if was_enabled:
        gc.enable()
    else:
        gc.disable()


class _Node:
    """A self-referencing object: only the cyclic collector frees it."""

    def __init__(self) -> None:
        self.me = self


def test_the_collector_is_paused_inside_and_restored_after_an_error(collector: None) -> None:
    with pytest.raises(RuntimeError), paused_gc(promote=True):
        assert not gc.isenabled()
        raise RuntimeError("boom")
    assert gc.isenabled()


def _oldest(item: object) -> bool:
    """Whether ``item`` is in the collector's oldest generation."""
    return any(other is item for other in gc.get_objects(generation=2))


def test_a_large_blocks_survivors_are_promoted_rather_than_walked_young(collector: None) -> None:
    with paused_gc(promote=True):
        kept = [[index] for index in range(20_000)]
    assert _oldest(kept[0]) and _oldest(kept[-1])  # moved straight to the oldest generation
    assert gc.is_tracked(kept[0])  # still tracked: full collections still see them


def test_a_small_block_leaves_its_objects_to_the_collector(collector: None) -> None:
    with paused_gc():
        kept = [[index] for index in range(2_000)]
    assert not _oldest(kept[0])


def test_young_garbage_from_before_a_large_block_is_freed_not_promoted(collector: None) -> None:
    cycle = _Node()
    alive = weakref.ref(cycle)
    del cycle
    with paused_gc(promote=True):
        pass
    assert alive() is None


def test_no_promotion_while_another_thread_runs(collector: None) -> None:
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        with paused_gc(promote=True):
            kept = [[index] for index in range(20_000)]
        assert not _oldest(kept[0])  # left young: the other thread's young objects would have moved too
    finally:
        stop.set()
        other.join()


def test_a_programs_frozen_objects_stay_frozen(collector: None) -> None:
    gc.freeze()
    frozen = gc.get_freeze_count()
    with paused_gc(promote=True):
        _ = [[index] for index in range(1_000)]
    assert gc.get_freeze_count() == frozen


def test_nothing_happens_when_the_collector_was_off(collector: None) -> None:
    gc.disable()
    with paused_gc(promote=True):
        pass
    assert not gc.isenabled()
