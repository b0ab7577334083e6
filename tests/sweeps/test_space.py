"""The space of worlds: ids to values (enumerated or sampled per world), values to plans, time windows."""

from __future__ import annotations

import pickle

import pytest

import orgsim
from orgsim.sweeps.run import compile_sweep
from orgsim.sweeps.times import precision_window
from orgsim.sweeps.uncertain import TimeFactor, TimesFactor
from orgsim.whatif.scenarios import Scenario
from orgsim.whatif.uncertainty import UncertainTime, UncertainTimes, UncertainVote

VOTE = "2023-11-17-board-votes-to-remove-altman"


def votes(*ps: float) -> Scenario:
    directors = ["ilya-sutskever", "adam-dangelo", "tasha-mccauley", "helen-toner"]
    return Scenario(
        title="votes",
        uncertain=[UncertainVote(id=d, vote=VOTE, director=d, yes=p) for d, p in zip(directors, ps, strict=False)],
    )


def test_enumerated_weights_are_the_products_and_sum_to_one(bundled: orgsim.Timeline) -> None:
    space, _, _ = compile_sweep(votes(0.75, 0.5, 0.1), bundled, enumerate=True)
    assert space.size == 8
    weights = [space.world(i)[1] for i in range(space.size)]
    assert sum(weights) == pytest.approx(1.0)
    assert space.world(0) == ((0, 0, 0), pytest.approx(0.75 * 0.5 * 0.1))
    assert space.world(7)[0] == (1, 1, 1)


def test_a_sampled_world_depends_only_on_its_id_and_the_seed(bundled: orgsim.Timeline) -> None:
    space, _, _ = compile_sweep(votes(0.5, 0.5), bundled, samples=100, seed=9)
    forward = [space.world(i) for i in range(100)]
    backward = [space.world(i) for i in reversed(range(100))][::-1]
    assert forward == backward
    other, _, _ = compile_sweep(votes(0.5, 0.5), bundled, samples=100, seed=10)
    assert [other.world(i) for i in range(100)] != forward


def test_a_space_travels_to_a_worker_and_gives_the_same_outcomes(bundled: orgsim.Timeline) -> None:
    space, _, _ = compile_sweep(votes(0.5, 0.5), bundled, samples=20, seed=1)
    shipped = pickle.loads(pickle.dumps(space))
    assert [shipped.run(i) for i in range(20)] == [space.run(i) for i in range(20)]


def test_a_vote_value_edits_only_that_directors_vote(bundled: orgsim.Timeline) -> None:
    space, _, _ = compile_sweep(votes(0.5), bundled, enumerate=True)
    plan = space.plan((1,))
    (record,) = plan.replaced
    assert record.votes["ilya-sutskever"] == "no"  # type: ignore[attr-defined]
    recorded = bundled.basis().event(VOTE)
    assert {d: v for d, v in record.votes.items() if d != "ilya-sutskever"} == {  # type: ignore[attr-defined]
        d: v
        for d, v in recorded.votes.items()
        if d != "ilya-sutskever"  # type: ignore[union-attr]
    }


def test_a_moved_cause_takes_its_effects_with_it(bundled: orgsim.Timeline) -> None:
    scenario = Scenario(
        title="late vote",
        uncertain=[UncertainTime(id="t", time=VOTE, between=("2023-11-17T15:00", "2023-11-17T16:00"))],
    )
    space, _, _ = compile_sweep(scenario, bundled, samples=5, seed=1, at="2023-11-18")
    factor = space.factors[0]
    assert isinstance(factor, TimeFactor)
    plan = space.plan((0.5,))
    moved = {record.id: record.at.timestamp() for record in plan.replaced}
    assert moved[VOTE] == pytest.approx(factor.low + 0.5 * (factor.high - factor.low))
    effects = [r for r in bundled.records if VOTE in r.caused_by and r.at.timestamp() < moved[VOTE]]
    assert effects and all(moved[r.id] >= moved[VOTE] for r in effects)
    assert space.run(0).values  # the world replays: causes still come first


def test_sampled_times_stay_in_their_windows_and_in_the_timelines_order(bundled: orgsim.Timeline) -> None:
    scenario = Scenario(title="dates", uncertain=[UncertainTimes(id="d", times="precision")])
    space, _, _ = compile_sweep(scenario, bundled, samples=5, seed=3)
    factor = space.factors[0]
    assert isinstance(factor, TimesFactor)
    basis = bundled.basis()
    for world in range(5):
        values, _ = space.world(world)
        moments = factor.instants(values[0])
        assert moments == sorted(moments)
        for (ids, low, high), moment in zip(factor.groups, moments, strict=True):
            window = precision_window(basis.event(ids[0]), bundled.home_zone)  # type: ignore[arg-type]
            assert (low <= moment <= high and window[0] <= moment <= window[1]) or low == high == moment


def test_worlds_run_without_the_memo_come_to_the_same_outcomes(bundled: orgsim.Timeline) -> None:
    space, _, _ = compile_sweep(votes(0.5, 0.5), bundled, samples=30, seed=2)
    bare = type(space)(
        space.base, space.plan_of_scenario, space.factors, space.measures, samples=30, seed=2, memo=False
    )
    assert space._memo is not None and bare._memo is None
    assert [bare.run(i) for i in range(30)] == [space.run(i) for i in range(30)]
    assert pickle.loads(pickle.dumps(bare)).memo is False
