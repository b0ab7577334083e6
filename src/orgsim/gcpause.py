"""Pausing Python's cyclic garbage collector around bulk work that makes no cycles.

Loading builds one object per event and replay one snapshot per checkpoint;
none of them refer back to each other, so the cyclic collector finds nothing
to free. Left running, it still walks every live object each time a few
hundred thousand allocations go by, which more than doubles the cost of a
million-event load or replay. Reference counting frees everything as usual
while the collector is paused; it resumes (if it was running) on exit, even
on error.

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
    """Disable the cyclic garbage collector for the ``with`` block, then restore it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
