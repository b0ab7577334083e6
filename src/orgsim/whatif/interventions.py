"""What a scenario can change, and how each change compiles into a world plan.

Each intervention is a small frozen model (as written in a scenario file, or
built in Python) that knows how to add itself to a :class:`PlanBuilder`: the
builder checks it against the base (the event it names exists, the event it
makes is valid) and gathers the edits into a
:class:`~orgsim.engine.plans.WorldPlan`. A new kind of intervention is one
new class with its own :meth:`compile_into`, not a new branch elsewhere.

>>> import orgsim
>>> builder = PlanBuilder(orgsim.load_timeline().basis(), home_zone="America/Los_Angeles")
>>> Remove(remove="2023-11-17-board-votes-to-remove-altman").compile_into(builder, 1)
>>> builder.build().removed[0][0]
'2023-11-17-board-votes-to-remove-altman'
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, ValidationError

from orgsim.engine.plans import Basis, WorldPlan
from orgsim.engine.replay import Policy, ReactiveRule
from orgsim.errors import ScenarioError, TimeInputError
from orgsim.io.checks import STATED_END_SUFFIX, stated_ends
from orgsim.io.problems import describe_validation_error, most_telling
from orgsim.model.events import EVENT_ADAPTER, Slug, instant_in_range
from orgsim.model.governance import GovernanceRules
from orgsim.model.manifest import Manifest, Organisation, Person
from orgsim.model.paths import state_field_problem
from orgsim.model.records import EventRecord, to_record
from orgsim.model.sharing import FrozenDict
from orgsim.times import resolve_instant
from orgsim.whatif.conditions import condition_problem
from orgsim.whatif.rules import DeclarativeRule, RuleSpec, rule_conditions, rule_fields


class PlanBuilder:
    """Gathers the interventions of one scenario, checked against its base, into a :class:`WorldPlan`.

    ``origin`` is the scenario's file (named in errors and as the file of the
    events it makes); ``manifest``, when given, is the base's manifest with
    the scenario's extra people and organisations.
    """

    def __init__(
        self, basis: Basis, *, home_zone: str, origin: str | None = None, manifest: Manifest | None = None
    ) -> None:
        self.basis = basis
        self.home_zone = home_zone
        self.origin = origin
        self.manifest = manifest if manifest is not None else basis.manifest
        self.removed: dict[str, str] = {}
        self.replaced: dict[str, EventRecord] = {}
        self.inserted: list[EventRecord] = []
        self.rules: list[ReactiveRule] = []
        self.governance: GovernanceRules | None = None

    def fail(
        self, number: int, kind: str, message: str, field: str | None = None, event: str | None = None
    ) -> ScenarioError:
        """The error for intervention ``number`` (counted from 1) of kind ``kind``."""
        return ScenarioError(f"intervention {number} ({kind}): {message}", file=self.origin, event=event, field=field)

    def known(self, number: int, kind: str, event_id: str) -> EventRecord:
        """The base's event ``event_id`` as the scenario has it so far (changed, if changed); errors otherwise."""
        recorded = self.basis.event(event_id)
        if recorded is None:
            name = self.basis.manifest.name
            raise self.fail(number, kind, f"no event {event_id!r} in timeline {name!r}", field=kind, event=event_id)
        if event_id in self.removed:
            raise self.fail(number, kind, f"event {event_id!r} is already removed", field=kind, event=event_id)
        return self.replaced.get(event_id, recorded)

    def event(self, number: int, kind: str, raw: dict[str, Any], event_id: str | None) -> EventRecord:
        """An event the scenario makes, validated as the loader validates events."""
        try:
            return to_record(EVENT_ADAPTER.validate_python(raw))
        except ValidationError as exc:
            field, message = describe_validation_error(most_telling(exc.errors(include_url=False)))
            prefix = "set" if kind == "change" else "insert"
            raise self.fail(number, kind, message, f"{prefix}.{field}" if field else prefix, event_id) from None

    def build(
        self,
        *,
        policy: Policy = "skip",
        people: dict[str, Person] | None = None,
        organisations: dict[str, Organisation] | None = None,
        extra_rules: Sequence[ReactiveRule] = (),
    ) -> WorldPlan:
        """The plan gathered so far."""
        self._restate_leave_ends()
        # Files are named as in shared output: the scenario's by its name alone.
        scenario_file = Path(self.origin).name if self.origin else "scenario"
        made = {event.id: scenario_file for event in [*self.replaced.values(), *self.inserted]}
        return WorldPlan(
            removed=tuple(self.removed.items()),
            replaced=tuple(self.replaced.values()),
            inserted=tuple(self.inserted),
            rules=(*self.rules, *extra_rules),
            governance=self.governance,
            people=FrozenDict(people or {}),
            organisations=FrozenDict(organisations or {}),
            policy=policy,
            origins=FrozenDict(made),
        )

    def _restate_leave_ends(self) -> None:
        """A leave the scenario changes or inserts ends where its own ``until`` now says, as the loader would add."""
        for event in [*self.replaced.values(), *self.inserted]:
            if event.type != "leave_started":
                continue
            end_id = event.id + STATED_END_SUFFIX
            if end_id in self.replaced or end_id in self.removed or any(e.id == end_id for e in self.inserted):
                continue  # the scenario says itself what becomes of that end
            recorded = self.basis.event(end_id)
            ends = stated_ends([event], self.home_zone, {})
            if ends:
                end = ends[0][0]
                if recorded is not None:
                    self.replaced[end_id] = end
                else:
                    self.inserted.append(end)
            elif recorded is not None:
                self.removed[end_id] = f"{event.id} no longer states an end (until)"


class InvalidModelError(ScenarioError, ValueError):
    """A scenario or intervention built in Python that does not validate.

    A :class:`~orgsim.errors.ScenarioError` like any other, and a
    ``ValueError`` still, as pydantic's ``ValidationError`` that it replaces is.
    """


class ScenarioModel(BaseModel):
    """A model of a scenario's, built in Python too: one that does not validate raises :class:`InvalidModelError`.

    Only a direct call (``Remove(remove="x")``) is checked here; validating a
    mapping (``model_validate``, a scenario file) raises pydantic's error for
    the caller to name the file and intervention (see
    :func:`~orgsim.whatif.scenarios.parse_scenario`).

    >>> Remove(remove="")
    Traceback (most recent call last):
    ...
    orgsim.whatif.interventions.InvalidModelError: field 'remove': String should match pattern ...
    """

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise type(self).refusal(exc, data) from None

    # pydantic calls a model's own __init__ when it validates a mapping; this one is for direct calls only.
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    @classmethod
    def refusal(cls, exc: ValidationError, data: dict[str, Any]) -> ScenarioError:
        """The error for ``data`` that pydantic refused, built directly in Python."""
        field, message = describe_validation_error(most_telling(exc.errors(include_url=False)), tagged=False)
        return InvalidModelError(message, field=field)


class Remove(ScenarioModel):
    """Take an event out of history; whatever follows from it falls away too."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    remove: Slug
    why: str | None = None

    def compile_into(self, builder: PlanBuilder, number: int) -> None:
        """Add this removal to ``builder``."""
        builder.known(number, "remove", self.remove)
        builder.replaced.pop(self.remove, None)  # a change made earlier in the scenario goes with the event
        builder.removed[self.remove] = "was removed by the scenario" + (f": {self.why}" if self.why else "")


class Change(ScenarioModel):
    """Change fields of an event (mappings such as ``votes`` are merged key by key)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    change: Slug
    set: Annotated[dict[str, Any], Field(min_length=1)]
    why: str | None = None

    def compile_into(self, builder: PlanBuilder, number: int) -> None:
        """Add this change to ``builder``."""
        current = builder.known(number, "change", self.change)
        if "id" in self.set and self.set["id"] != self.change:
            why = "an event's id cannot be changed (remove it and insert another)"
            raise builder.fail(number, "change", why, "set.id", self.change)
        raw = _merge(current.to_event().model_dump(exclude_unset=False), self.set)
        builder.replaced[self.change] = builder.event(number, "change", raw, self.change)


class Insert(ScenarioModel):
    """Add an event (same schema as the timeline's; sources optional, ``rationale`` required)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    insert: dict[str, Any]
    why: str | None = None

    def compile_into(self, builder: PlanBuilder, number: int) -> None:
        """Add this insertion to ``builder``."""
        raw = dict(self.insert)
        given = raw.get("id")
        event = builder.event(number, "insert", raw, given if isinstance(given, str) else None)
        if not event.rationale:
            raise builder.fail(
                number,
                "insert",
                "an inserted event needs a rationale (why it would have happened)",
                "insert.rationale",
                event.id,
            )
        if event.id in builder.removed:
            # Putting back an event the scenario removed restores it in its recorded place.
            del builder.removed[event.id]
            builder.replaced[event.id] = event
            return
        if builder.basis.event(event.id) is not None or any(e.id == event.id for e in builder.inserted):
            raise builder.fail(number, "insert", f"event id {event.id!r} is already taken", "insert.id", event.id)
        builder.inserted.append(event)


class ChangeRules(ScenarioModel):
    """Change the governance rules (only the fields given)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    governance: dict[str, Any]
    why: str | None = None

    def compile_into(self, builder: PlanBuilder, number: int) -> None:
        """Add this change of rules to ``builder``."""
        current = builder.governance if builder.governance is not None else builder.basis.replay.rules
        rules = current.model_dump()
        if _SHARES & set(self.governance):  # a scenario's share replaces the base's: the two exclude each other
            rules = {key: value for key, value in rules.items() if key not in _SHARES}
        try:
            builder.governance = GovernanceRules.model_validate({**rules, **self.governance})
        except ValidationError as exc:
            field, message = describe_validation_error(most_telling(exc.errors(include_url=False)), tagged=False)
            raise builder.fail(
                number, "governance", message, f"governance.{field}" if field else "governance"
            ) from None


class AddRule(ScenarioModel):
    """Add a reactive rule (see :mod:`orgsim.whatif.rules`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    rule: RuleSpec

    def compile_into(self, builder: PlanBuilder, number: int) -> None:
        """Add this rule to ``builder``."""
        spec = self.rule
        for place, path in rule_fields(spec):
            problem = state_field_problem(path, builder.manifest)
            if problem:
                raise builder.fail(number, "rule", f"rule {spec.id!r}: {problem}", f"rule.{place}")
        # A value the field could never hold is a typo like a misspelt field: refused before anything runs.
        for place, condition in rule_conditions(spec):
            found = condition_problem(condition, builder.manifest)
            if found:
                part, message = found
                raise builder.fail(number, "rule", f"rule {spec.id!r}: {message}", f"rule.{place}.{part}")
        builder.rules.append(DeclarativeRule(spec, self._instant(builder, number), builder.origin))

    def _instant(self, builder: PlanBuilder, number: int) -> datetime | None:
        """When the rule is checked: its ``at`` read in the home zone, within the supported years."""
        spec = self.rule
        if not spec.at:
            return None
        try:
            return instant_in_range(resolve_instant(spec.at, builder.home_zone))
        except TimeInputError as error:
            raise builder.fail(number, "rule", f"rule {spec.id!r}: {error.message}", "rule.at") from None
        except (ValueError, OverflowError) as error:
            raise builder.fail(number, "rule", f"rule {spec.id!r}: {error}", "rule.at") from None


_SHARES = frozenset({"threshold", "at_least"})
"""The two ways to say the share of the vote a motion needs."""

KINDS = ("remove", "change", "insert", "governance", "rule")
"""The key that tells each kind of intervention apart."""


def intervention_kind(value: Any) -> str | None:
    """Which kind of intervention ``value`` (a mapping or a model) is, by its key."""
    if isinstance(value, dict):
        return next((k for k in KINDS if k in value), None)
    if isinstance(value, BaseModel):
        return next((k for k in KINDS if k in type(value).model_fields), None)
    return None


Intervention = Annotated[
    (
        Annotated[Remove, Tag("remove")]
        | Annotated[Change, Tag("change")]
        | Annotated[Insert, Tag("insert")]
        | Annotated[ChangeRules, Tag("governance")]
        | Annotated[AddRule, Tag("rule")]
    ),
    Discriminator(
        intervention_kind,
        custom_error_type="intervention_kind",
        custom_error_message="an intervention needs one of: remove, change, insert, governance, rule",
    ),
]
"""One intervention, told apart by its key: ``remove``, ``change``, ``insert``, ``governance`` or ``rule``."""


def _merge(old: Any, new: Any) -> Any:
    if isinstance(old, dict) and isinstance(new, dict):
        merged = dict(old)
        for key, value in new.items():
            merged[key] = _merge(old.get(key), value)
        return merged
    return new
