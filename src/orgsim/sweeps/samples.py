"""History's own uncertainty: the state at an instant when every vague event time is sampled inside its window.

The sources date many events only to the hour, day, month or year. Each
sample is a world of history in which every such event happens at a random
instant of its window (events recorded at one instant with one precision
move together, keeping the timeline's order; no event comes before its
causes). :func:`sample_state` counts, for every path of the state contract
that some event sets, the values it takes at the instant asked. A path
with one value in every sample, the value history has at its recorded
instants, is certain; the others are reported with their probabilities,
including a path whose samples all agree on another value than the
recorded instants give (an event dated to the hour, recorded at 22:00, has
not yet happened at 22:00 in almost every sample).

>>> import orgsim
>>> history = orgsim.load_timeline()
>>> found = sample_state(history, history.resolve("2023-11-19T22:30"), samples=50, seed=1)
>>> found.worlds, "offices.ceo" in found.uncertain
(50, True)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from orgsim.engine.plans import WorldPlan
from orgsim.model.knowledge import UNKNOWN
from orgsim.sweeps.executors import BATCH, batches, resolve
from orgsim.sweeps.measures import Measures, json_value, plain
from orgsim.sweeps.results import Failure, Share, wilson
from orgsim.sweeps.space import Base, Space
from orgsim.sweeps.uncertain import TimesFactor, compile_input
from orgsim.timeline import Timeline
from orgsim.whatif.uncertainty import UncertainTimes


@dataclass(frozen=True)
class StateSamples:
    """What sampling history's vague times says of the state at one instant."""

    at: datetime
    worlds: int
    seed: int
    uncertain: dict[str, tuple[Share, ...]]
    """Each path whose samples do not all give the value the recorded instants give: its values, likeliest
    first."""
    failures: tuple[Failure, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data: the samples, the seed, and each uncertain path's values with probabilities."""
        return {
            "worlds": self.worlds,
            "seed": self.seed,
            "failed": len(self.failures),
            "uncertain": {
                path: [
                    {
                        "value": json_value(share.value),
                        "unknown": share.value is UNKNOWN,
                        "probability": share.probability,
                        "low": share.low,
                        "high": share.high,
                    }
                    for share in shares
                ]
                for path, shares in self.uncertain.items()
            },
        }


def sample_state(
    timeline: Timeline,
    at: datetime,
    *,
    samples: int = 200,
    seed: int = 0,
    executor: Any = None,
    workers: int | None = None,
    progress: Any = None,
) -> StateSamples:
    """Sample every vague event time of ``timeline`` ``samples`` times and count the state's values at ``at``."""
    basis = timeline.basis()
    paths = sorted(path for path in timeline.change_series() if not path.endswith(".name"))
    factor = compile_input(UncertainTimes(id="precision", times="precision"), 1, basis, timeline.home_zone)
    assert isinstance(factor, TimesFactor)
    space = Space(
        Base(timeline.manifest, basis.records, timeline.origins, basis),
        WorldPlan(policy="skip"),
        [factor],
        Measures(paths, (at,), track=False),
        samples=samples,
        seed=seed,
    )
    counts: list[dict[Any, int]] = [{} for _ in paths]
    failures: list[Failure] = []
    worlds = 0
    for done in resolve(executor, workers, samples).run(space, batches(samples, BATCH)):
        if progress is not None:
            progress(worlds + len(failures) + len(done), samples)
        for item in done:
            if isinstance(item, Failure):
                failures.append(item)
                continue
            worlds += 1
            for counter, value in zip(counts, item.values, strict=True):
                counter[value] = counter.get(value, 0) + 1
    uncertain: dict[str, tuple[Share, ...]] = {}
    recorded = space.history()
    for path, counter, history in zip(paths, counts, recorded, strict=True):
        if len(counter) > 1 or (counter and history not in counter):
            ordered = sorted(counter.items(), key=lambda item: -item[1])
            uncertain[path] = tuple(Share(plain(value), n / worlds, *wilson(n, worlds), n) for value, n in ordered)
    return StateSamples(at, worlds, seed, uncertain, tuple(failures))
