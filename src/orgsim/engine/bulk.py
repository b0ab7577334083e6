"""Pausing Python's cyclic garbage collector around bulk work that makes no cycles.

Loading builds one record per event and replay one snapshot per checkpoint;
none of them refer back to each other, so the cyclic collector finds nothing
to free. Left running, it still walks every live object each time a few
hundred thousand allocations go by, which more than doubles the cost of a
million-event load or replay. Reference counting frees everything as usual
while the collector is paused; it resumes (if it was running) on exit, even
on error.

A large block (``promote=True``) builds long-lived objects (a timeline's
records, its checkpoints) that are nevertheless allocated young, so the
collector's next young-generation pass would walk all of them once more
before promoting them: on a million events that pass costs a quarter of the
replay. For such a block the young generations are collected on entry (so
that they then hold only what the block builds), and on exit the block's
survivors are moved straight to the oldest generation (``gc.freeze()`` then
``gc.unfreeze()``, which moves objects without visiting them). They are
still collected by full collections. The move is process-wide, so it is
skipped when another thread is running (its young objects would be moved
too) or when the program has frozen objects of its own (``unfreeze`` would
release them).

>>> import gc
>>> with paused_gc():
...     gc.isenabled()
False
>>> gc.isenabled()
True
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

PROMOTE_AT = 5_000
"""Events a load or replay handles at least before it promotes what it built: below that the young pass is cheap."""


@contextmanager
def paused_gc(promote: bool = False) -> Iterator[None]:
    """Disable the cyclic garbage collector for the ``with`` block, then restore it.

    ``promote``: the block builds many long-lived objects; promote them to the
    oldest generation on exit rather than have the collector walk them young
    (see the module's documentation for when this is skipped).
    """
    was_enabled = gc.isenabled()
    promoting = promote and was_enabled and gc.get_freeze_count() == 0 and threading.active_count() == 1
    if promoting:
        gc.collect(1)  # young garbage made before the block is freed now, not promoted with the block's objects
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if promoting and gc.get_freeze_count() == 0 and threading.active_count() == 1:
                gc.freeze()
                gc.unfreeze()
            gc.enable()


@contextmanager
def bulk() -> Iterator[None]:
    """Bulk mode, for loading, replaying or sweeping large timelines: opt-in, process-wide.

    Inside the block the cyclic garbage collector is paused, and on exit what
    the block built is promoted to the oldest generation (see the module's
    documentation). The library never does this by itself; the command line
    and the benchmarks switch it on around their work.

    >>> import orgsim
    >>> with orgsim.bulk():
    ...     timeline = orgsim.load_timeline()
    """
    with paused_gc(promote=True):
        yield
