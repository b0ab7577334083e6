"""Sweeps: one world of a one-vote uncertainty on the bundled timeline, and 10^5 sampled worlds on each executor.

Figures (``extra_info``): ``world_us`` the cost of one world (values drawn,
plan compiled, replayed up to the instant measured, measured, departure from
history found) with the outcome memo off, so every world is really run;
``to_end_us`` the same world replayed to the timeline's end; the peer,
``scenario_run_us``, a one-change scenario run the ordinary way; the floor,
``floor_us``, a bare loop folding the same events. For the throughput runs,
``worlds`` (10^5 when measuring; the fast mode runs ``ORGSIM_BENCH_SIZES``'s
smallest), seconds and worlds per second on 1 and 2 local workers and on a
Dask ``LocalCluster`` of 2 worker processes. This machine has 2 cores, shared
with other work: read the figures with that in mind.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from bench_data import SIZES, best_of, rounds
from floor import floor_replay, to_rows
from orgsim.sweeps.executors import DaskExecutor, LocalPool
from orgsim.sweeps.run import compile_sweep, run_space
from orgsim.timeline import load_timeline
from orgsim.whatif.interventions import Change
from orgsim.whatif.scenarios import Scenario
from orgsim.whatif.uncertainty import UncertainVote

VOTE = "2023-11-17-board-votes-to-remove-altman"
WORLDS = 100_000 if max(SIZES) >= 100_000 else min(SIZES)
"""Worlds in the throughput runs: 10^5 when measuring, few in the fast mode."""


def one_vote() -> Scenario:
    return Scenario(
        title="Sutskever may vote no",
        uncertain=[UncertainVote(id="sutskever", vote=VOTE, director="ilya-sutskever", yes=0.75)],
    )


@pytest.mark.parametrize("until", ["2023-11-18T12:00", "2024-12-31"])
def test_one_world_of_a_one_vote_uncertainty(benchmark, until: str) -> None:
    history = load_timeline()
    space, _, _ = compile_sweep(one_vote(), history, enumerate=True, at=until)
    space = type(space)(space.base, space.plan_of_scenario, space.factors, space.measures, mode="enumerate", memo=False)
    no = 1  # the world in which Sutskever votes no: the vote is recounted and everything after it replayed
    benchmark.group = "one world of a one-vote uncertainty (bundled timeline)"
    outcome = benchmark.pedantic(space.run, args=(no,), rounds=rounds(benchmark, 2000), iterations=1)
    assert outcome.departure is None or outcome.departure >= 0
    scenario = Scenario(title="no", interventions=[Change(change=VOTE, set={"votes": {"ilya-sutskever": "no"}})])
    scenario_s = best_of(lambda: scenario.run(history), rounds(benchmark, 300))
    rows, manifest = to_rows(history.records), history.manifest
    floor_s = best_of(lambda: floor_replay(rows, manifest), rounds(benchmark, 300))
    world_s = best_of(lambda: space.run(no), rounds(benchmark, 300))
    benchmark.extra_info.update(
        measured_at=until,
        events=len(history.records),
        world_us=round(world_s * 1e6, 1),
        scenario_run_us=round(scenario_s * 1e6, 1),
        floor_us=round(floor_s * 1e6, 1),
    )


def _sweep(executor: object) -> float:
    history = load_timeline()
    space, scenario, _ = compile_sweep(one_vote(), history, samples=WORLDS, seed=1)
    space = type(space)(
        space.base, space.plan_of_scenario, space.factors, space.measures, samples=WORLDS, seed=1, memo=False
    )
    start = time.perf_counter()
    results = run_space(space, scenario.title, history, executor=executor)
    elapsed = time.perf_counter() - start
    assert results.worlds == WORLDS and results.failed == 0
    return elapsed


def test_sampled_worlds_on_one_and_two_local_workers(benchmark) -> None:
    benchmark.group = "sampled worlds, one-vote uncertainty"
    two = benchmark.pedantic(_sweep, args=(LocalPool(2),), rounds=1, iterations=1)
    one = _sweep(LocalPool(1))
    benchmark.extra_info.update(
        worlds=WORLDS,
        one_worker_s=round(one, 2),
        two_workers_s=round(two, 2),
        scaling=round(one / two, 2),
        worlds_per_s_two_workers=round(WORLDS / two),
    )


def test_sampled_worlds_on_a_dask_local_cluster(benchmark) -> None:
    try:
        import distributed  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("Dask is missing (the dev extras bring it); CI must run this benchmark", pytrace=False)
        pytest.skip("Dask is missing: pip install 'orgsim[dask]'")
    benchmark.group = "sampled worlds, one-vote uncertainty"
    dask = benchmark.pedantic(_sweep, args=(DaskExecutor("local", workers=2),), rounds=1, iterations=1)
    pool = _sweep(LocalPool(2))
    benchmark.extra_info.update(
        worlds=WORLDS, dask_s=round(dask, 2), local_pool_s=round(pool, 2), dask_over_pool=round(dask / pool, 2)
    )


_PEAK = """
import json, sys
from orgsim.sweeps.executors import InProcess
from orgsim.sweeps.run import compile_sweep, run_space
from orgsim.timeline import load_timeline
from orgsim.whatif.scenarios import Scenario
from orgsim.whatif.uncertainty import UncertainVote
worlds = int(sys.argv[1])
history = load_timeline()
scenario = Scenario(title="one vote", uncertain=[UncertainVote(id="s", vote=sys.argv[2], director="ilya-sutskever",
                                                               yes=0.75)])
space, _, _ = compile_sweep(scenario, history, samples=worlds, seed=1)
space = type(space)(space.base, space.plan_of_scenario, space.factors, space.measures, samples=worlds, seed=1,
                    memo=False)
with open("/proc/self/status") as status:
    before = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmRSS:"))
results = run_space(space, "one vote", history, executor=InProcess())
# VmHWM: this process's own peak (ru_maxrss would carry the parent's across fork and exec).
with open("/proc/self/status") as status:
    peak = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmHWM:"))
print(json.dumps({"worlds": results.worlds, "before": before, "peak": peak,
                  "values": sum(len(counter) for counter in results._counts)}))
"""


def _peak(worlds: int) -> dict[str, int]:
    done = subprocess.run([sys.executable, "-c", _PEAK, str(worlds), VOTE], capture_output=True, check=True)
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_memory_of_a_sweep_is_flat_in_the_number_of_worlds(benchmark) -> None:
    """Peak resident memory of a sweep of N/10 and of N worlds, each in a fresh process (in-process executor, so
    that the figure is the aggregating process's own)."""
    benchmark.group = "memory of a sweep"
    small = _peak(max(WORLDS // 10, 1))
    large = benchmark.pedantic(_peak, args=(WORLDS,), rounds=1, iterations=1)
    assert large["worlds"] == WORLDS and large["values"] == small["values"]  # counters, not worlds, are kept
    mib = 2**20
    benchmark.extra_info.update(
        worlds=[small["worlds"], large["worlds"]],
        peak_rss_mib=[round(small["peak"] / mib, 1), round(large["peak"] / mib, 1)],
        growth_during_sweep_mib=[round((r["peak"] - r["before"]) / mib, 1) for r in (small, large)],
        target="the same peak for 10x the worlds",
    )
