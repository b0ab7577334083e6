"""Benchmark session setup: make the helper modules beside this file importable, and measure real loads."""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
# Load benchmarks measure parsing and validation, not orgsim's cache of validated timelines.
os.environ["ORGSIM_NO_CACHE"] = "1"
