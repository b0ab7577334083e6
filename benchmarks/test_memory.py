"""Peak memory of the largest timeline loaded and replayed with its checkpoints (in a fresh process)."""

from __future__ import annotations

import json
import subprocess
import sys

from bench_data import LARGEST, synthetic_folder

_RSS = """
import json, resource, sys
from orgsim import load_timeline
timeline = load_timeline(sys.argv[1])
with open("/proc/self/statm") as statm:
    resident = int(statm.read().split()[1]) * resource.getpagesize()
# VmHWM is this process's own peak; ru_maxrss would carry over the parent's peak across fork and exec.
with open("/proc/self/status") as status:
    peak = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmHWM:"))
print(json.dumps({"events": len(timeline), "checkpoints": len(timeline.replay.checkpoints),
                  "peak_rss": peak, "rss": resident}))
"""

_TRACED = """
import json, sys, tracemalloc
tracemalloc.start()
from orgsim import load_timeline
timeline = load_timeline(sys.argv[1])
current, peak = tracemalloc.get_traced_memory()
print(json.dumps({"current": current, "peak": peak}))
"""

MIB = 2**20


def _run(script: str) -> dict[str, int]:
    done = subprocess.run(
        [sys.executable, "-c", script, str(synthetic_folder(LARGEST))], capture_output=True, check=True
    )
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_memory_of_the_largest_timeline_with_checkpoints(benchmark) -> None:
    benchmark.group = f"memory {LARGEST:,} events"
    rss = benchmark.pedantic(_run, args=(_RSS,), rounds=1)
    assert rss["events"] == LARGEST
    traced = _run(_TRACED)
    benchmark.extra_info.update(
        events=LARGEST,
        checkpoints=rss["checkpoints"],
        rss_after_load_mib=round(rss["rss"] / MIB),
        peak_rss_mib=round(rss["peak_rss"] / MIB),
        python_heap_after_load_mib=round(traced["current"] / MIB),
        python_heap_peak_mib=round(traced["peak"] / MIB),
        target="< 1024 MiB for 10^6 events with checkpoints",
    )
