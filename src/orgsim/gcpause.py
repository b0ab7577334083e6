"""Pausing Python's cyclic garbage collector around bulk work that makes no cycles.

Loading builds one record per event and replay one snapshot per checkpoint;
none of them refer back to each other, so the cyclic collector finds nothing
to free. Left running, it still walks every live object each time a few
hundred thousand allocations go by, which more than doubles the cost of a
million-event load or replay. Reference counting frees everything as usual
while the collector is paused; it resumes (if it was running) on exit, even
on error.

What the block built is long-lived (a timeline's records and checkpoints),
but it was allocated young, so the collector's next young-generation pass
would walk all of it once more before promoting it: on a million events that
pass costs a quarter of the replay. So on exit the block's survivors are
promoted straight to the oldest generation (``gc.freeze()`` then
``gc.unfreeze()``, which moves objects between generations without visiting
them). They are still collected as usual by full collections. This is
skipped when the program has frozen objects of its own, which ``unfreeze``
would release.

>>> import gc
>>> with paused_gc():
...     gc.isenabled()
False
>>> gc.isenabled()
True
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Disable the cyclic garbage collector for the ``with`` block, then restore it and promote what survived."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()
