"""Running a sweep: a scenario with uncertain inputs compiled into a space of worlds, run, and aggregated.

>>> import orgsim
>>> from orgsim.io.loading import bundled_scenarios_path
>>> results = sweep(bundled_scenarios_path() / "removal-vote-uncertain.yaml", enumerate=True)
>>> results.worlds, round(results.probability("ceo.person", "sam-altman"), 6)
(16, 0.261719)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from orgsim.errors import ScenarioError, TimeInputError
from orgsim.model.paths import state_field_problem
from orgsim.sweeps.executors import BATCH, batches, resolve
from orgsim.sweeps.measures import Measures, default_measures
from orgsim.sweeps.results import Failure, InputInfo, SweepResults
from orgsim.sweeps.space import Base, Mode, Space
from orgsim.sweeps.times import observation_instants
from orgsim.sweeps.uncertain import TimesFactor, compile_inputs
from orgsim.timeline import Timeline
from orgsim.whatif.scenarios import Scenario, compile_scenario, load_scenario

DEFAULT_SAMPLES = 1000
"""Worlds sampled when neither the call nor the scenario says how many."""
MAX_ENUMERATED = 10**7
"""The most worlds ``enumerate`` runs (beyond that, sample)."""
MAX_REPORT_ENUMERATED = 10**4
"""The most worlds ``orgsim report --sweep`` enumerates on its own (beyond that, it samples)."""

Progress = Callable[[int, int], None]
"""Told ``(worlds done, worlds in all)`` as batches come back."""


def compile_sweep(
    scenario: Scenario | str | Path,
    history: Timeline | None = None,
    *,
    samples: int | None = None,
    enumerate: bool = False,
    seed: int | None = None,
    at: str | datetime | Sequence[str | datetime] | None = None,
    measure: Sequence[str] | None = None,
    tz: str | None = None,
    origin: str | None = None,
) -> tuple[Space, Scenario, Timeline]:
    """The space of worlds a sweep of ``scenario`` runs (see :func:`sweep` for the arguments)."""
    if not isinstance(scenario, Scenario):
        origin = str(scenario)
        scenario = load_scenario(scenario)
    if history is None:
        history = scenario.base_timeline(Path(origin).parent if origin else None)
    settings = scenario.sweep
    plan = compile_scenario(scenario, history, origin=origin)
    basis = history.basis()
    factors = compile_inputs(
        scenario.uncertain,
        basis,
        history.home_zone,
        origin=origin,
        removed=[i for i, _ in plan.removed],
        board_as_recorded=not scenario.interventions,
    )
    paths = tuple(measure) if measure else (settings.measure if settings and settings.measure else None)
    if paths is None:
        paths = default_measures(history.manifest)
    for path in paths:
        problem = state_field_problem(path, history.manifest)
        if problem:
            raise ScenarioError(problem, file=origin if not measure else None, field="measure")
    instants = _instants(at, settings.at if settings else None, history, tz, origin)
    mode: Mode = "enumerate" if enumerate else "sample"
    count = samples if samples is not None else (settings.samples if settings and settings.samples else DEFAULT_SAMPLES)
    if count < 1:
        raise ScenarioError("a sweep samples at least one world", field="samples")
    space = Space(
        Base(history.manifest, basis.records, history.origins, basis),
        plan,
        factors,
        Measures(paths, instants),
        mode=mode,
        samples=count,
        seed=seed if seed is not None else (settings.seed if settings and settings.seed is not None else 0),
    )
    if enumerate:
        continuous = [factor.id for factor in factors if not factor.finite]
        if continuous:
            raise ScenarioError(
                f"uncertain input {continuous[0]!r} is continuous (a time): it cannot be enumerated, sample it",
                file=origin,
                field="uncertain",
            )
        if space.size > MAX_ENUMERATED:
            raise ScenarioError(
                f"enumerating would run {space.size:,} worlds (at most {MAX_ENUMERATED:,}): sample instead",
                file=origin,
                field="uncertain",
            )
    return space, scenario, history


def _instants(given: Any, declared: Any, history: Timeline, tz: str | None, origin: str | None) -> tuple[datetime, ...]:
    """The instants to observe: as given, else as the scenario declares, else the end of the timeline's focus."""
    if given is not None and not isinstance(given, str | datetime) and not given:
        given = None
    try:
        if isinstance(given, datetime):
            return (history.resolve(given),)
        if given is not None:
            items = [given] if isinstance(given, str) else list(given)
            return tuple(sorted({history.resolve(item, tz) for item in items}))
        if declared is not None:
            return observation_instants(declared, history.home_zone, tz)
    except TimeInputError as error:
        if given is None:
            raise ScenarioError(error.message, file=origin, field="sweep.at") from None
        raise
    focus = history.manifest.focus
    if focus is not None:
        return (history.resolve(focus.end),)
    return (history.final_state().at or history.records[-1].at,)


MAX_OVER_TIME = 240
"""The most instants :func:`instants_over` picks (a report's sweep measures each world at every one)."""


def instants_over(
    history: Timeline, start: datetime | None = None, end: datetime | None = None, *, limit: int = MAX_OVER_TIME
) -> tuple[datetime, ...]:
    """Instants to follow a sweep over time: each instant of history's events from ``start`` to ``end`` (default:
    the timeline's focus, else all of it), evenly thinned to at most ``limit``, with both ends.

    The state of a world changes only at its events, and a world of a sweep
    changes history's events, so following it at theirs shows each step.
    """
    focus = history.manifest.focus_window()
    low = start if start is not None else (focus[0] if focus is not None else history.records[0].at)
    high = end if end is not None else (focus[1] if focus is not None else history.records[-1].at)
    if high < low:
        raise ScenarioError(f"the period to follow ends ({high.isoformat()}) before it starts ({low.isoformat()})")
    moments = sorted({history.resolve(record.at) for record in history.records if low <= record.at <= high})
    if len(moments) > limit - 2:
        step = len(moments) / (limit - 2)
        moments = [moments[int(index * step)] for index in range(limit - 2)]
    return tuple(sorted({history.resolve(low), *moments, history.resolve(high)}))


def sweep(
    scenario: Scenario | str | Path,
    history: Timeline | None = None,
    *,
    samples: int | None = None,
    enumerate: bool = False,
    seed: int | None = None,
    at: str | datetime | Sequence[str | datetime] | None = None,
    measure: Sequence[str] | None = None,
    executor: Any = None,
    workers: int | None = None,
    tz: str | None = None,
    progress: Progress | None = None,
) -> SweepResults:
    """Run the worlds of ``scenario``'s uncertain inputs and aggregate what they came to.

    ``scenario`` is a :class:`~orgsim.whatif.scenarios.Scenario` or a
    scenario file; ``history`` its base (default: the timeline it names).
    ``enumerate=True`` runs every combination of its finite inputs once,
    weighted by its probability (exact); otherwise ``samples`` worlds are
    drawn (default: the scenario's ``sweep.samples``, else 1,000), each from
    its own generator derived from ``seed``. ``at`` (an instant or several)
    and ``measure`` (paths of the state contract) say what is observed, by
    default as the scenario's ``sweep:`` section says. ``executor`` is where
    worlds run: None (a local process pool, one worker per core, or this
    process for a small sweep), an :class:`~orgsim.sweeps.executors.InProcess`,
    :class:`~orgsim.sweeps.executors.LocalPool` or
    :class:`~orgsim.sweeps.executors.DaskExecutor`, a Dask scheduler address
    (``"local"``, ``"tcp://HOST:8786"``), or any object with an executor's
    ``map``. The results are the same whichever runs them.
    """
    space, compiled, history = compile_sweep(
        scenario, history, samples=samples, enumerate=enumerate, seed=seed, at=at, measure=measure, tz=tz
    )
    return run_space(space, compiled.title, history, executor=executor, workers=workers, tz=tz, progress=progress)


def run_space(
    space: Space,
    title: str,
    history: Timeline,
    *,
    executor: Any = None,
    workers: int | None = None,
    tz: str | None = None,
    progress: Progress | None = None,
) -> SweepResults:
    """Run the worlds of ``space`` and aggregate their outcomes as they arrive, in the order of their ids."""
    size = space.size
    results = SweepResults(
        title=title,
        mode=space.mode,
        seed=space.seed if space.mode == "sample" else None,
        keys=space.measures.keys(),
        inputs=[InputInfo(f.id, f.kind, f.labels, not isinstance(f, TimesFactor)) for f in space.factors],
        history=space.history(),
        zone=tz or history.home_zone,
        planned=size,
    )
    runner = resolve(executor, workers, size)
    done = 0
    for outcomes in runner.run(space, batches(size, BATCH)):
        for item in outcomes:
            if isinstance(item, Failure):
                results.fail(item.world, item.error)
            else:
                results.add(item)
        done += len(outcomes)
        if progress is not None:
            progress(done, size)
    return results
