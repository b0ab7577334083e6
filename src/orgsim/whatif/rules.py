"""Reactive rules: watch the state of a what-if world and emit events when a condition holds.

A rule is checked once at an instant (``at``: a deadline) or, without one,
after every event until it first fires. Declarative rules come from scenario
YAML: a condition over fields of the state contract (dotted paths such as
``employees.open_letter_signatories`` or ``ceo.person``) and event templates
whose values may read the state (``{field: employees.open_letter_signatories}``).
A condition on a value the timeline does not know is unknown, and the rule
does not fire (:mod:`orgsim.whatif.conditions`). Library users can pass any callable instead (:class:`PythonRule`).

Emitted events are validated like any other, marked ``generated_by`` the rule,
and dated at the firing instant unless the template says later.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from orgsim.errors import ScenarioError
from orgsim.model.events import EVENT_ADAPTER, EVENT_TYPES, EventBase, Slug
from orgsim.model.paths import read_field
from orgsim.model.state import OrgState
from orgsim.whatif.conditions import Condition, When


class RuleSpec(BaseModel):
    """A declarative reactive rule as written in a scenario file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Slug
    description: str | None = None
    at: str | None = None
    """When to check, as an instant (naive: the timeline's home zone); omit to check after every event."""
    when: When = When()
    emit: Annotated[list[dict[str, Any]], Field(min_length=1)]

    @model_validator(mode="after")
    def _templates_are_events(self) -> RuleSpec:
        # Checked when the scenario loads, not when (or if) the rule fires.
        for index, template in enumerate(self.emit):
            problem = template_problem(template)
            if problem is not None:
                field, message = problem
                where = f"emit {index + 1}" + (f", field {field!r}" if field else "")
                raise PydanticCustomError("rule_template", f"rule {self.id!r}: {where}: {message}")
        return self


_AT_FIRING = {"at": "2000-01-01T00:00:00+00:00", "precision": "minute", "rationale": "checked at load"}
"""What a template may leave out: the rule fills these in when it fires."""


def template_problem(template: dict[str, Any]) -> tuple[str | None, str] | None:
    """Why an ``emit`` template could never make a valid event, as (field, message); None when it could.

    A value read from the state when the rule fires (``{field: ...}``) is not
    known yet, so the fields that take one are checked for their name only.
    """
    from orgsim.io.problems import describe_validation_error, most_telling

    filled = {key for key, value in template.items() if _reads_state(value)}
    if "type" in filled:
        return "type", "an event's type cannot be read from the state"
    kind = template.get("type")
    model = EVENT_TYPES.get(kind) if isinstance(kind, str) else None
    if model is not None:
        for key in template:
            if key not in model.model_fields:
                unknown = {"type": "extra_forbidden", "loc": (model.model_fields["type"].default, key), "input": None}
                return describe_validation_error(unknown)
    probe = {**_AT_FIRING, **{key: value for key, value in template.items() if key not in filled}}
    try:
        EVENT_ADAPTER.validate_python(probe)
    except ValidationError as exc:
        errors = [
            e
            for e in exc.errors(include_url=False)
            if not (e["type"] == "missing" and _field(e) in filled)
            and not (e["type"] in _COUNT_CHECKS and filled & {"count", "low", "high"})
        ]
        if errors:
            return describe_validation_error(dict(most_telling(errors)))
    return None


_COUNT_CHECKS = {"count_missing", "count_range"}
"""Checks across a count's fields, which cannot be made while one of them is read from the state."""


def _reads_state(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"field"} and isinstance(value["field"], str)


def _field(error: Any) -> str | None:
    loc = [str(part) for part in error["loc"]]
    return loc[1] if len(loc) > 1 else None


def _fill(template: Any, data: Mapping[str, Any]) -> Any:
    if isinstance(template, dict):
        if set(template) == {"field"} and isinstance(template["field"], str):
            return read_field(data, template["field"])
        return {key: _fill(value, data) for key, value in template.items()}
    if isinstance(template, list):
        return [_fill(item, data) for item in template]
    return template


@dataclass
class DeclarativeRule:
    """A :class:`RuleSpec` bound to its firing instant, ready for the engine."""

    spec: RuleSpec
    at: datetime | None
    origin: str | None = None

    @property
    def id(self) -> str:
        """The rule's id."""
        return self.spec.id

    @property
    def at_epoch(self) -> float | None:
        """When the rule is checked, as a Unix timestamp (None: after every event)."""
        return None if self.at is None else self.at.timestamp()

    def fire(self, state: OrgState) -> list[EventBase]:
        """The events this rule emits in ``state``: none unless its condition holds."""
        data = state.to_dict()
        if not self.spec.when.holds(state, data):
            return []
        moment = self.at or _last_instant(state)
        emitted: list[EventBase] = []
        for index, template in enumerate(self.spec.emit):
            raw = _fill(template, data)
            raw.setdefault("at", moment.isoformat() if moment else None)
            raw.setdefault("precision", "minute")
            raw.setdefault("rationale", self.spec.description or f"emitted by rule {self.spec.id}")
            raw["generated_by"] = self.spec.id
            try:
                emitted.append(EVENT_ADAPTER.validate_python(raw))
            except ValidationError as exc:
                from orgsim.io.problems import describe_validation_error, most_telling

                path, message = describe_validation_error(most_telling(exc.errors(include_url=False)))
                raise ScenarioError(
                    f"rule {self.spec.id!r} emit #{index + 1}: {message}",
                    file=self.origin,
                    event=str(raw.get("id")) if raw.get("id") else None,
                    field=path,
                ) from None
        return emitted


def _last_instant(state: OrgState) -> datetime | None:
    return state.at


@dataclass
class PythonRule:
    """A reactive rule written in Python: the escape hatch for library users.

    ``when(state)`` decides whether it fires; ``emit(state)`` returns the
    events (models or plain dicts in the event schema; ``at`` defaults to the
    firing instant). ``at`` is when to check (None: after every event).

    >>> rule = PythonRule("never", when=lambda state: False, emit=lambda state: [])
    >>> rule.at_epoch is None
    True
    """

    id: str
    when: Callable[[OrgState], bool]
    emit: Callable[[OrgState], Sequence[EventBase | dict[str, Any]]]
    at: datetime | None = None
    description: str | None = None
    _fired: bool = field(default=False, repr=False)

    @property
    def at_epoch(self) -> float | None:
        """When the rule is checked, as a Unix timestamp (None: after every event)."""
        return None if self.at is None else self.at.timestamp()

    def fire(self, state: OrgState) -> list[EventBase]:
        """The events this rule emits in ``state``."""
        if not self.when(state):
            return []
        out: list[EventBase] = []
        for item in self.emit(state):
            raw = item.model_dump() if isinstance(item, EventBase) else dict(item)
            moment = self.at if self.at is not None else state.at
            if moment is not None:
                raw.setdefault("at", moment)
            raw.setdefault("precision", "minute")
            raw.setdefault("rationale", self.description or f"emitted by rule {self.id}")
            raw["generated_by"] = self.id
            try:
                out.append(EVENT_ADAPTER.validate_python(raw))
            except ValidationError as exc:
                from orgsim.io.problems import describe_validation_error, most_telling

                field, message = describe_validation_error(most_telling(exc.errors(include_url=False)))
                ident = raw.get("id")
                raise ScenarioError(
                    f"rule {self.id!r} emitted an invalid event: {message}",
                    event=ident if isinstance(ident, str) else None,
                    field=field,
                ) from None
        return out


def rule_conditions(spec: RuleSpec) -> list[tuple[str, Condition]]:
    """Every condition of a rule, with its place in the rule (``when.all.0``)."""
    return [(f"when.{group}.{i}", c) for group in ("all", "any") for i, c in enumerate(getattr(spec.when, group))]


def rule_fields(spec: RuleSpec) -> list[tuple[str, str]]:
    """Every state path a rule reads: its conditions' fields and its templates' ``{field: ...}`` values."""
    found = [(f"{place}.field", condition.field) for place, condition in rule_conditions(spec)]

    def walk(value: Any, place: str) -> None:
        if isinstance(value, dict):
            if set(value) == {"field"} and isinstance(value["field"], str):
                found.append((place, value["field"]))
                return
            for key, item in value.items():
                walk(item, f"{place}.{key}")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, f"{place}.{index}")

    for index, template in enumerate(spec.emit):
        walk(template, f"emit.{index}")
    return found
