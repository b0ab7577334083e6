"""Benchmark session setup: make the helper modules beside this file importable, and measure real loads."""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
# Load benchmarks measure parsing and validation, not orgsim's cache of validated timelines.
os.environ["ORGSIM_NO_CACHE"] = "1"


import pytest

import orgsim


@pytest.fixture(scope="session", autouse=True)
def bulk_mode():  # type: ignore[no-untyped-def]
    """Benchmarks run in orgsim's opt-in bulk mode (the garbage collector paused), as the command line does."""
    with orgsim.bulk():
        yield
