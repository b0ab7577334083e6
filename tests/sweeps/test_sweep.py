"""Sweeps on the bundled timeline: the shipped sweeps' answers, and the same results whatever runs them."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from fractions import Fraction
from math import comb
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import orgsim
from orgsim.io.loading import bundled_scenarios_path
from orgsim.sweeps.executors import DaskExecutor, InProcess, LocalPool
from orgsim.sweeps.run import compile_sweep, sweep
from orgsim.sweeps.space import Outcome, Space
from orgsim.sweeps.times import precision_window
from orgsim.whatif.scenarios import Scenario, load_scenario
from orgsim.whatif.uncertainty import UncertainHappens, UncertainVote

VOTE = "2023-11-17-board-votes-to-remove-altman"


def shipped(name: str) -> Path:
    return bundled_scenarios_path() / f"{name}.yaml"


def test_removal_vote_uncertain_matches_the_binomial_formula(bundled: orgsim.Timeline) -> None:
    # The directors who voted, read from the timeline: each yes with p, the motion passes on a majority of them.
    vote = bundled.event(VOTE)
    voters = [d for d, v in vote.votes.items() if v == "yes"]  # type: ignore[attr-defined]
    scenario = load_scenario(shipped("removal-vote-uncertain"))
    assert sorted(u.director for u in scenario.uncertain) == sorted(voters)  # type: ignore[union-attr]
    p = Fraction(3, 4)
    n = len(voters)
    removal = sum(comb(n, k) * p**k * (1 - p) ** (n - k) for k in range(n + 1) if 2 * k > n)
    results = sweep(shipped("removal-vote-uncertain"), bundled, enumerate=True)
    assert results.worlds == 2**n and results.failed == 0
    kept = results.probability("ceo.person", "sam-altman")
    assert kept == pytest.approx(float(1 - removal), abs=1e-12)
    assert sum(share.probability for share in results.distribution(path="ceo.person")) == pytest.approx(1.0)
    assert results.divergence().probability == pytest.approx(float(1 - removal), abs=1e-12)


def test_every_director_moves_the_removal_alike(bundled: orgsim.Timeline) -> None:
    results = sweep(shipped("removal-vote-uncertain"), bundled, enumerate=True)
    spreads = {name: spread for name, spread, _ in results.ranking()}
    assert len(set(round(s, 12) for s in spreads.values())) == 1 and min(spreads.values()) > 0.4


def test_letter_threat_splits_the_headcount_on_the_board_holding_firm(bundled: orgsim.Timeline) -> None:
    results = sweep(shipped("letter-threat"), bundled, enumerate=True)
    assert results.failed == 0
    at = results.keys[0][0]
    held = results.history[0]  # the headcount as history has it on 30 November
    assert results.probability("employees.headcount", held, at) == pytest.approx(0.5)
    # Without the agreement the signatories leave: the headcount less each count from 701 to 770, equally likely.
    lower = {s.value: s.probability for s in results.distribution(at, "employees.headcount") if s.value != held}
    assert lower == {held - count: pytest.approx(0.5 / 70) for count in range(701, 771)}
    assert results.ranking()[0][0] == "agreement"


def test_shear_hour_follows_the_window_of_his_appointment(bundled: orgsim.Timeline) -> None:
    named = next(
        r
        for r in bundled.records
        if r.type == "office_assigned" and r.office == "ceo" and r.person == "emmett-shear"  # type: ignore[attr-defined]
    )
    low, high = precision_window(named, bundled.home_zone)
    results = sweep(shipped("shear-hour"), bundled, samples=300)
    assert results.failed == 0
    series = [(at.timestamp(), results.probability(path, "emmett-shear", at)) for at, path in results.keys]
    assert all(p == 0 for t, p in series if t < low) and all(p == 1 for t, p in series if t > high)
    inside = [p for t, p in series if low < t < high]
    assert inside and all(0 < p < 1 for p in inside)
    assert [p for _, p in series] == sorted(p for _, p in series)


def test_what_mattered_ranks_microsoft_first_then_each_vote_by_how_far_it_moves(bundled: orgsim.Timeline) -> None:
    # Three of the four voting directors' yes votes carry the motion: it fails only if both uncertain ones say no.
    # Without Microsoft's announcement the letter that answered it is never reported: at noon on Monday its count is
    # unknown (not zero, not none), and the sweep counts it as unknown.
    results = sweep(shipped("what-mattered"), bundled, enumerate=True)
    p_sutskever, p_dangelo, p_microsoft = Fraction(1, 2), Fraction(19, 20), Fraction(1, 2)
    fails = (1 - p_sutskever) * (1 - p_dangelo)
    assert results.probability("ceo.person", "sam-altman") == pytest.approx(float(fails))
    assert results.probability("employees.open_letter_signatories", orgsim.UNKNOWN) == pytest.approx(
        float(fails + (1 - fails) * (1 - p_microsoft))
    )
    spreads = {name: (spread, path) for name, spread, path in results.ranking()}
    # Given each value, how far apart the outcomes are (total variation), on the path each moves most.
    assert spreads["microsoft-hires"] == (pytest.approx(float(1 - fails)), "employees.open_letter_signatories")
    assert spreads["dangelo"] == (pytest.approx(float(1 - p_sutskever)), "ceo.person")
    assert spreads["sutskever"] == (pytest.approx(float(1 - p_dangelo)), "ceo.person")
    assert [name for name, _, _ in results.ranking()] == ["microsoft-hires", "dangelo", "sutskever"]


def one_vote(p: float = 0.6) -> Scenario:
    return Scenario(
        title="one vote",
        uncertain=[UncertainVote(id="sutskever", vote=VOTE, director="ilya-sutskever", yes=p)],
    )


def test_the_same_seed_gives_the_same_results_whatever_runs_them(bundled: orgsim.Timeline) -> None:
    scenario = shipped("removal-vote-uncertain")
    here = sweep(scenario, bundled, samples=600, seed=11, executor=InProcess())
    pooled = sweep(scenario, bundled, samples=600, seed=11, executor=LocalPool(2))
    mapped = sweep(scenario, bundled, samples=600, seed=11, executor=ThreadPoolExecutor(2))
    assert here.to_dict() == pooled.to_dict() == mapped.to_dict()
    other = sweep(scenario, bundled, samples=600, seed=12, executor=InProcess())
    assert other.to_dict() != here.to_dict()


def test_a_dask_local_cluster_of_two_workers_gives_the_local_pools_results(
    bundled: orgsim.Timeline, distributed: ModuleType
) -> None:
    scenario = shipped("what-mattered")
    pooled = sweep(scenario, bundled, samples=700, seed=5, executor=LocalPool(2))
    on_dask = sweep(scenario, bundled, samples=700, seed=5, executor=DaskExecutor("local", workers=2))
    assert on_dask.to_dict() == pooled.to_dict()
    assert on_dask.worlds == 700 and on_dask.failed == 0


def test_a_failing_world_is_reported_by_id_and_the_others_are_kept(bundled: orgsim.Timeline) -> None:
    space, _, _ = compile_sweep(one_vote(), bundled, samples=40, seed=1)
    original = space.run

    def run(world: int) -> object:
        if world == 7:
            raise RuntimeError("boom")
        return original(world)

    space.run = run  # type: ignore[method-assign]
    from orgsim.sweeps.run import run_space

    results = run_space(space, "one vote", bundled, executor=InProcess())
    assert results.worlds == 39 and results.failed == 1
    assert results.failures[0].world == 7 and "boom" in results.failures[0].error


def test_memory_follows_distinct_outcomes_not_worlds(bundled: orgsim.Timeline) -> None:
    small = sweep(one_vote(), bundled, samples=100, seed=2, executor=InProcess())
    large = sweep(one_vote(), bundled, samples=2000, seed=2, executor=InProcess())
    sizes = [[len(counter) for counter in r._counts] for r in (small, large)]
    assert sizes[0] == sizes[1] and max(sizes[1]) <= 2


def test_a_world_that_equals_history_is_not_replayed(bundled: orgsim.Timeline) -> None:
    space, _, _ = compile_sweep(one_vote(), bundled, enumerate=True)
    yes, _ = space.world(0)
    assert space.plan(yes).replaced == ()  # the recorded vote: no edit
    assert space.run(0).departure is None and space.run(0).values == space.history()


def test_a_removed_event_with_probability_falls_away_with_its_consequences(bundled: orgsim.Timeline) -> None:
    scenario = Scenario(title="vote may not happen", uncertain=[UncertainHappens(id="v", happens=VOTE, p=0.25)])
    results = sweep(scenario, bundled, enumerate=True, at="2023-11-18T12:00")
    assert results.probability("ceo.person", "sam-altman") == pytest.approx(0.75)


def test_results_convert_to_a_table_csv_and_json(bundled: orgsim.Timeline) -> None:
    results = sweep(shipped("removal-vote-uncertain"), bundled, enumerate=True)
    rows = results.table()
    assert {"at", "path", "value", "probability", "low", "high", "weight", "history"} == set(rows[0])
    assert results.to_csv().splitlines()[0] == "at,path,value,probability,low,high,weight,history"
    data = results.to_dict()
    assert data["mode"] == "enumerate" and data["worlds"] == 16 and data["influence"]["ranking"]


def test_results_become_a_dataframe_when_pandas_is_there(bundled: orgsim.Timeline, pandas: ModuleType) -> None:
    pd = pandas
    frame = sweep(shipped("removal-vote-uncertain"), bundled, enumerate=True).to_dataframe()
    assert isinstance(frame, pd.DataFrame) and list(frame.columns)[:3] == ["at", "path", "value"]


def test_a_value_no_world_reached_has_probability_zero_and_a_sampled_upper_bound(bundled: orgsim.Timeline) -> None:
    exact = sweep(one_vote(0.6), bundled, enumerate=True, at="2023-11-18T12:00")
    assert exact.share("ceo.person", "emmett-shear").probability == 0 == exact.share("ceo.person", "x").high
    sampled = sweep(one_vote(0.6), bundled, samples=100, seed=1, at="2023-11-18T12:00", executor=InProcess())
    never = sampled.share("ceo.person", "emmett-shear")
    assert never.probability == 0 and 0 < never.high < 0.05  # Wilson: 0 of 100 still allows a few percent


def test_equally_likely_counts_are_listed_in_numeric_order(bundled: orgsim.Timeline) -> None:
    results = sweep(shipped("letter-threat"), bundled, enumerate=True)
    at = results.keys[0][0]
    lower = [s.value for s in results.distribution(at, "employees.headcount")][1:]
    assert lower == sorted(lower) and lower[:3] == [0, 1, 2]


def test_without_pandas_to_dataframe_says_what_to_install(bundled: orgsim.Timeline) -> None:
    import sys

    results = sweep(one_vote(), bundled, enumerate=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(sys.modules, "pandas", None)  # as when pandas is not installed
        with pytest.raises(ImportError, match=r"needs pandas \(pip install pandas\)"):
            results.to_dataframe()


class _Deadly(Space):
    """A space whose world 7 kills the process that runs it, as a segfault or the OOM killer would."""

    def run(self, world: int) -> Outcome:
        if world == 7 and os.getpid() != PARENT:
            os._exit(9)
        return super().run(world)

    def __reduce__(self) -> tuple[Any, ...]:
        _, args = super().__reduce__()
        return _deadly, args


def _deadly(*args: Any) -> _Deadly:
    space = _Deadly.__new__(_Deadly)
    space.__init__(*args[:4], mode=args[4], samples=args[5], seed=args[6], memo=args[7])  # type: ignore[misc]
    return space


PARENT = os.getpid()


def test_a_worker_that_dies_costs_only_the_world_that_killed_it(bundled: orgsim.Timeline) -> None:
    from orgsim.sweeps.run import run_space

    space, _, _ = compile_sweep(one_vote(), bundled, samples=600, seed=1)
    deadly = _deadly(*space.__reduce__()[1])
    results = run_space(deadly, "one vote", bundled, executor=LocalPool(2))
    assert results.failed == 1 and results.worlds == 599
    assert results.failures[0].world == 7 and "died" in results.failures[0].error
    here = run_space(space, "one vote", bundled, executor=InProcess())
    assert results.distribution(path="ceo.person") != () and results.worlds == here.worlds - 1


def test_on_dask_a_task_that_fails_is_run_again_batch_by_batch(
    bundled: orgsim.Timeline, distributed: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Dask runs several batches per task. A task that fails (its worker died, or it could not run) is not the end
    # of its worlds: each of its batches runs again on its own, and the results are those of any other executor.
    from orgsim.sweeps import executors
    from orgsim.sweeps.run import run_space

    def failing_group(space: Space, group: tuple[Any, ...]) -> list[Any]:
        if any(low <= 7 < high for low, high in group):
            raise RuntimeError("the worker died")
        return [executors.run_batch(space, batch) for batch in group]

    monkeypatch.setattr(executors, "_run_group", failing_group)
    space, _, _ = compile_sweep(one_vote(), bundled, samples=2400, seed=1)
    on_dask = run_space(space, "one vote", bundled, executor=DaskExecutor("local", workers=2, processes=False))
    here = run_space(space, "one vote", bundled, executor=InProcess())
    assert on_dask.failed == 0 and on_dask.to_dict() == here.to_dict()
