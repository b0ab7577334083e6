"""The space of a sweep's worlds: each world named by an id, its values drawn or enumerated, compiled into a plan.

A :class:`Space` holds everything a worker needs, shipped once: the base
(its manifest, records and files: :class:`Base`), the plan of the scenario's
certain interventions, the factors of its uncertain inputs
(:mod:`orgsim.sweeps.uncertain`) and what is measured
(:mod:`orgsim.sweeps.measures`). A world is then just its id:

* enumerated, the id is read as a number in mixed radix, one digit per finite
  factor (the last factor's digit changes fastest), and the world's weight is
  the product of its alternatives' probabilities;
* sampled, the id seeds the world's own random generator, derived from the
  sweep's one root seed (``Random(f"{seed}/{id}")``), so a world's values do
  not depend on which worker draws them, or in what order; each weighs 1.

:meth:`Space.run` compiles a world's values into a
:class:`~orgsim.engine.plans.WorldPlan` on the base, replays it up to the
last instant measured and returns its :class:`Outcome`: the measured values
and when the world left history, never the world itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from random import Random
from typing import Any, Literal

from orgsim.engine.plans import Basis, WorldPlan, run_plan
from orgsim.engine.replay import run
from orgsim.model.manifest import Manifest
from orgsim.model.records import EventRecord
from orgsim.model.sharing import FrozenDict
from orgsim.sweeps.measures import Measures
from orgsim.sweeps.times import instant
from orgsim.sweeps.uncertain import Edits, Factor

Mode = Literal["sample", "enumerate"]

_MEMO_SIZE = 4096
"""Worlds of finite inputs kept by their values on a worker: the same values make the same world."""
_RECORD_CACHE_SIZE = 4096
"""Edited records kept by their edit (a vote of four uncertain directors has at most 5^4 versions)."""


class Base:
    """What worlds are built on, in a form that travels: the base's manifest, records (in replay order) and files.

    A worker rebuilds the :class:`~orgsim.engine.plans.Basis` once, by
    replaying the records (strictly, as history was replayed).
    """

    __slots__ = ("_basis", "manifest", "origins", "records")

    def __init__(
        self, manifest: Manifest, records: Sequence[EventRecord], origins: Mapping[str, str], basis: Basis | None = None
    ) -> None:
        self.manifest = manifest
        self.records = tuple(records)
        self.origins = dict(origins)
        self._basis = basis

    def __reduce__(self) -> tuple[Any, ...]:
        return Base, (self.manifest, self.records, self.origins)

    def basis(self) -> Basis:
        """The base's basis, replayed on first use and kept."""
        if self._basis is None:
            from orgsim.timeline import Timeline

            replay = run(self.records, self.manifest, origins=self.origins)
            self._basis = Timeline(self.manifest, replay, origins=self.origins).basis()
        return self._basis


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one world came to: its measured values, the labels of its inputs' values, its weight, and when it first
    differed from history in a measured path (a Unix timestamp; None: never, up to the last instant measured)."""

    world: int
    values: tuple[Any, ...]
    labels: tuple[int | None, ...]
    weight: float
    departure: float | None


class Space:
    """A sweep's worlds (see the module's documentation)."""

    def __init__(
        self,
        base: Base,
        plan: WorldPlan,
        factors: Sequence[Factor],
        measures: Measures,
        *,
        mode: Mode = "sample",
        samples: int = 1000,
        seed: int = 0,
        memo: bool = True,
    ) -> None:
        self.base = base
        self.plan_of_scenario = plan
        self.factors = tuple(factors)
        self.measures = measures
        self.mode: Mode = mode
        self.samples = samples
        self.seed = seed
        self.memo = memo
        """Whether a worker keeps the outcomes of worlds of finite inputs by their values (run each once)."""
        self._memo: dict[tuple[Any, ...], Outcome] | None = {} if memo and all(f.finite for f in self.factors) else None
        self._records: dict[Any, EventRecord] = {}
        self._effects: dict[str, list[str]] | None = None
        self._certain = {record.id: record for record in plan.replaced}
        self._empty = plan == WorldPlan(policy=plan.policy)

    def __reduce__(self) -> tuple[Any, ...]:
        return _space, (
            self.base,
            self.plan_of_scenario,
            self.factors,
            self.measures,
            self.mode,
            self.samples,
            self.seed,
            self.memo,
        )

    @property
    def size(self) -> int:
        """How many worlds: the product of the finite factors' sizes (enumerated), or the samples."""
        if self.mode == "sample":
            return self.samples
        return self.size_enumerated

    @property
    def size_enumerated(self) -> int:
        """How many worlds enumerating every combination of the finite factors' values would run."""
        total = 1
        for factor in self.factors:
            total *= len(factor.labels) if factor.finite else 1
        return total

    def world(self, world: int) -> tuple[tuple[Any, ...], float]:
        """World ``world``'s value of each factor, and its weight."""
        factors = self.factors
        if self.mode == "sample":
            rng = Random(f"{self.seed}/{world}")
            return tuple(factor.draw(rng) for factor in factors), 1.0
        values: list[int] = []
        weight = 1.0
        rest = world
        for factor in reversed(factors):
            size = len(factor.labels)
            rest, digit = divmod(rest, size)
            values.append(digit)
        values.reverse()
        for factor, digit in zip(factors, values, strict=True):
            assert factor.weights is not None
            weight *= factor.weights[digit]
        return tuple(values), weight

    def plan(self, values: Sequence[Any]) -> WorldPlan:
        """The world plan of a world whose factors take ``values``: the scenario's plan with their edits."""
        edits = Edits()
        for factor, value in zip(self.factors, values, strict=True):
            factor.apply(value, edits)
        certain = self.plan_of_scenario
        if edits.epochs:
            self._causes_first(edits)
        basis = self.base.basis()
        replaced = dict(self._certain)
        for event_id in edits.fields.keys() | edits.epochs.keys():
            recorded = basis.event(event_id)
            assert recorded is not None
            record = self._edited(replaced.get(event_id, recorded), event_id, edits)
            if record == recorded and event_id not in self._certain:
                replaced.pop(event_id, None)  # the value history had: no edit
            else:
                replaced[event_id] = record
        if not replaced and not edits.removed and not edits.hidden and not self._certain:
            return certain
        positions = basis.positions
        return replace(
            certain,
            removed=(*certain.removed, *edits.removed.items()),
            hidden=certain.hidden | edits.hidden,
            replaced=tuple(sorted(replaced.values(), key=lambda record: positions[record.id])),
        )

    def run(self, world: int) -> Outcome:
        """Build, replay and measure world ``world``."""
        values, weight = self.world(world)
        labels = tuple(factor.label(value) for factor, value in zip(self.factors, values, strict=True))
        memo = self._memo
        if memo is not None:
            known = memo.get(values)
            if known is not None:
                return Outcome(world, known.values, labels, weight, known.departure)
        plan = self.plan(values)
        basis = self.base.basis()
        measures = self.measures
        if plan == _NOTHING or (self._empty and plan is self.plan_of_scenario):
            outcome = Outcome(world, self._history_values(), labels, weight, None)
        else:
            replay, _ = run_plan(basis, plan, until=measures.horizon)
            outcome = Outcome(world, measures.observe(replay), labels, weight, measures.departure(basis.replay, replay))
        if memo is not None:
            if len(memo) >= _MEMO_SIZE:
                memo.clear()
            memo[values] = outcome
        return outcome

    def history(self) -> tuple[Any, ...]:
        """The measured values in history itself."""
        return self._history_values()

    def _history_values(self) -> tuple[Any, ...]:
        return self.measures.observe(self.base.basis().replay)

    def _edited(self, record: EventRecord, event_id: str, edits: Edits) -> EventRecord:
        """``record`` with the fields and instant ``edits`` give it."""
        fields = edits.fields.get(event_id)
        epoch = edits.epochs.get(event_id)
        key = None
        if epoch is None and fields is not None:
            key = (event_id, record is not self._certain.get(event_id), _frozen(fields))
            cached = self._records.get(key)
            if cached is not None:
                return cached
        names = record.field_names
        values = dict(zip(names, record._values(record), strict=False))
        given = set(record.fields_set)
        for name, value in (fields or {}).items():
            if name == "votes":
                value = FrozenDict({**record.votes, **value})  # type: ignore[attr-defined]
            values[name] = value
            given.add(name)
        if epoch is not None and epoch != record.at.timestamp():
            values["at"] = instant(epoch)
        made = type(record)(*values.values(), frozenset(given))
        if key is not None:
            if len(self._records) >= _RECORD_CACHE_SIZE:
                self._records.clear()
            self._records[key] = made
        return made

    def _causes_first(self, edits: Edits) -> None:
        """No event is earlier than its causes: an effect moved (or left) before a moved cause goes to its instant."""
        basis = self.base.basis()
        effects = self._effects
        if effects is None:
            effects = {}
            for record in basis.records:
                for cause in record.caused_by:
                    effects.setdefault(cause, []).append(record.id)
            self._effects = effects
        epochs = edits.epochs
        reached: set[str] = set()
        stack = list(epochs)
        while stack:
            event_id = stack.pop()
            for effect in effects.get(event_id, ()):
                if effect not in reached:
                    reached.add(effect)
                    stack.append(effect)
        if not reached:
            return
        positions, records = basis.positions, basis.records
        for event_id in sorted(reached | epochs.keys(), key=positions.__getitem__):
            record = records[positions[event_id]]
            own = epochs.get(event_id, record.at.timestamp())
            latest = max(
                (
                    epochs.get(cause, records[positions[cause]].at.timestamp())
                    for cause in record.caused_by
                    if cause in positions
                ),
                default=own,
            )
            if latest > own:
                epochs[event_id] = latest


_NOTHING = WorldPlan()


def _frozen(fields: Mapping[str, Any]) -> tuple[Any, ...]:
    return tuple(sorted((name, tuple(sorted(v.items())) if isinstance(v, dict) else v) for name, v in fields.items()))


def _space(
    base: Base,
    plan: WorldPlan,
    factors: Sequence[Factor],
    measures: Measures,
    mode: Mode,
    samples: int,
    seed: int,
    memo: bool,
) -> Space:
    return Space(base, plan, factors, measures, mode=mode, samples=samples, seed=seed, memo=memo)
