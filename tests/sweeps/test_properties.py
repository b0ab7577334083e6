"""Properties of sweeps over random small uncertain scenarios: exact probabilities sum to 1, samples converge."""

from __future__ import annotations

from math import sqrt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import orgsim
from orgsim.sweeps.executors import InProcess
from orgsim.sweeps.run import compile_sweep, sweep
from orgsim.whatif.scenarios import Scenario
from orgsim.whatif.uncertainty import UncertainChoice, UncertainHappens, UncertainVote

HISTORY = orgsim.load_timeline()
VOTE = "2023-11-17-board-votes-to-remove-altman"
DIRECTORS = sorted(d for d, v in HISTORY.event(VOTE).votes.items() if v == "yes")  # type: ignore[attr-defined]
CRISIS = [
    r.id for r in HISTORY.records if "2023-11-17" <= r.id[:10] <= "2023-11-21" and r.id != VOTE and not r.generated_by
]
probabilities = st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0])


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    inputs: list[object] = []
    for director in draw(st.lists(st.sampled_from(DIRECTORS), min_size=1, max_size=3, unique=True)):
        inputs.append(UncertainVote(id=f"vote-{director}", vote=VOTE, director=director, yes=draw(probabilities)))
    for event in draw(st.lists(st.sampled_from(CRISIS), max_size=2, unique=True)):
        inputs.append(UncertainHappens(id=f"maybe-{len(inputs)}", happens=event, p=draw(probabilities)))
    if draw(st.booleans()):
        first, second = draw(st.lists(st.sampled_from(CRISIS), min_size=2, max_size=2, unique=True))
        p = draw(probabilities)
        if not (set([first, second]) & {i.happens for i in inputs if isinstance(i, UncertainHappens)}):
            inputs.append(
                UncertainChoice(id="version", choice=[{"event": first, "p": p}, {"event": second, "p": 1 - p}])
            )
    return Scenario(title="random", uncertain=inputs)


AT = ["2023-11-18T12:00", "2023-11-21T12:00"]
MEASURE = ["ceo.person", "board.chair", "stakeholders.microsoft.employs"]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_enumerated_probabilities_sum_to_one(scenario: Scenario) -> None:
    results = sweep(scenario, HISTORY, enumerate=True, at=AT, measure=MEASURE, executor=InProcess())
    space, _, _ = compile_sweep(scenario, HISTORY, enumerate=True, at=AT, measure=MEASURE)
    assert results.worlds + results.failed == space.size
    for at, path in results.keys:
        total = sum(share.probability for share in results.distribution(at, path))
        assert abs(total - 1.0) < 1e-9


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), st.integers(min_value=0, max_value=2**32))
def test_sampling_converges_on_the_enumerated_probabilities(scenario: Scenario, seed: int) -> None:
    n = 400
    exact = sweep(scenario, HISTORY, enumerate=True, at=AT, measure=MEASURE, executor=InProcess())
    sampled = sweep(scenario, HISTORY, samples=n, seed=seed, at=AT, measure=MEASURE, executor=InProcess())
    for at, path in exact.keys:
        for share in exact.distribution(at, path):
            p = share.probability
            observed = sampled.probability(path, share.value, at)
            assert abs(observed - p) <= 5 * sqrt(p * (1 - p) / n) + 1e-9, (path, share.value, p, observed)
