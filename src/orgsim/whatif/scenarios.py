"""What-if scenarios: interventions on a timeline, replayed with their consequences.

A scenario names its base timeline and a list of interventions: remove an
event, change an event's fields, insert an event, change the governance rules,
add a reactive rule. Running it yields a :class:`WhatIf` world, a
:class:`~orgsim.timeline.Timeline` like any other, whose ``dropped`` events
say why they did not happen (removed, following from a removed event or a
failed motion, or in conflict with the world they met).

>>> import orgsim
>>> from orgsim.whatif.scenarios import Scenario, Remove
>>> scenario = Scenario(title="No vote", interventions=[Remove(remove="2023-11-17-board-votes-to-remove-altman")])
>>> world = scenario.run()
>>> world.state_at("2023-11-20T12:00-08:00").ceo.person
'sam-altman'
"""

from __future__ import annotations

from bisect import bisect_right
from collections import ChainMap
from collections.abc import Callable, Mapping, MutableMapping, Sequence
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Annotated, Any, Literal, cast

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, ValidationError

from orgsim.engine.bulk import PROMOTE_AT, paused_gc
from orgsim.engine.replay import Dropped, ReactiveRule, run
from orgsim.errors import OrgsimError, ScenarioError, TimeInputError
from orgsim.io.loading import (
    bundled_scenarios_path,
    describe_validation_error,
    display_path,
    most_telling,
    relocate,
)
from orgsim.io.reading import MAX_SCENARIO_BYTES, BoolWord, parse_yaml, read_bounded
from orgsim.model.events import EVENT_ADAPTER, EventBase, Slug, instant_in_range
from orgsim.model.governance import GovernanceRules
from orgsim.model.manifest import Organisation, Person
from orgsim.model.paths import state_field_problem
from orgsim.model.records import EventRecord, to_record
from orgsim.timeline import Timeline, load_timeline
from orgsim.times import resolve_instant
from orgsim.whatif.rules import DeclarativeRule, RuleSpec


class Remove(BaseModel):
    """Take an event out of history; whatever follows from it falls away too."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    remove: Slug
    why: str | None = None


class Change(BaseModel):
    """Change fields of an event (mappings such as ``votes`` are merged key by key)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    change: Slug
    set: Annotated[dict[str, Any], Field(min_length=1)]
    why: str | None = None


class Insert(BaseModel):
    """Add an event (same schema as the timeline's; sources optional, ``rationale`` required)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    insert: dict[str, Any]
    why: str | None = None


class ChangeRules(BaseModel):
    """Change the governance rules (only the fields given)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    governance: dict[str, Any]
    why: str | None = None


class AddRule(BaseModel):
    """Add a reactive rule (see :mod:`orgsim.whatif.rules`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    rule: RuleSpec


_KINDS = ("remove", "change", "insert", "governance", "rule")
_SHARES = frozenset({"threshold", "at_least"})


def _kind(value: Any) -> str | None:
    if isinstance(value, dict):
        return next((k for k in _KINDS if k in value), None)
    if isinstance(value, BaseModel):
        return next((k for k in _KINDS if k in type(value).model_fields), None)
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
        _kind,
        custom_error_type="intervention_kind",
        custom_error_message="an intervention needs one of: remove, change, insert, governance, rule",
    ),
]
"""One intervention, told apart by its key: ``remove``, ``change``, ``insert``, ``governance`` or ``rule``."""


class Scenario(BaseModel):
    """A what-if: a base timeline and the interventions to make on it.

    ``policy`` decides what happens to an event that no longer applies in the
    changed world: ``skip`` drops it and says why, ``strict`` stops with an error.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str
    description: str | None = None
    base: str = "bundled"
    """``bundled`` or a timeline folder (relative paths are read from the scenario file's folder)."""
    policy: Literal["strict", "skip"] = "skip"
    people: dict[Slug, Person] = {}
    organisations: dict[Slug, Organisation] = {}
    interventions: list[Intervention] = []

    def run(
        self, base: Timeline | None = None, *, origin: str | None = None, extra_rules: Sequence[ReactiveRule] = ()
    ) -> WhatIf:
        """Build and replay the what-if world (on ``base``, or the timeline the scenario names)."""
        return run_scenario(self, base, origin=origin, extra_rules=extra_rules)

    def base_timeline(self, folder: Path | None = None) -> Timeline:
        """Load the timeline this scenario is built on."""
        if self.base == "bundled":
            return load_timeline()
        path = Path(self.base)
        if not path.is_absolute() and folder is not None:
            path = folder / path
        return load_timeline(path)


class WhatIf(Timeline):
    """A what-if world: a timeline that also knows its scenario and its base."""

    scenario: Scenario
    base: Timeline
    source: str | None

    def generated(self) -> list[EventBase]:
        """Events that reactive rules emitted in this world."""
        return [record.to_event() for record in self.replay.applied if record.generated_by]


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file; :class:`ScenarioError` names the file, intervention and field.

    The file is read like a timeline's (bounded, duplicate keys refused, see
    :mod:`orgsim.io.reading`); a YAML 1.1 boolean word in a rule condition's
    ``value`` is the boolean, since it is compared with the state's values.
    """
    file = Path(path)
    shown = display_path(file)
    return parse_scenario(read_bounded(file, shown, MAX_SCENARIO_BYTES), shown)


def parse_scenario(text: bytes, shown: str) -> Scenario:
    """Validate the bytes of a scenario file (``shown`` names it in errors): :func:`load_scenario` on bytes read."""
    data = parse_yaml(text, shown)
    if not isinstance(data, dict):
        raise ScenarioError("a scenario file holds a mapping (title, description, base, interventions)", file=shown)
    _condition_flags(data)
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        first = most_telling(exc.errors(include_url=False))
        loc = list(first["loc"])
        if loc[:1] == ["interventions"] and len(loc) >= 2 and isinstance(loc[1], int):
            number = loc[1]
            raw = data.get("interventions", [])[number]
            kind = _kind(raw) or "?"
            detail = dict(first, loc=tuple(loc[3:] if len(loc) > 2 and loc[2] in _KINDS else loc[2:]))
            field, message = describe_validation_error(detail, tagged=False)
            if first["type"] == "intervention_kind":
                field, message = None, "an intervention needs one of: remove, change, insert, governance, rule"
            raise ScenarioError(
                f"intervention {number + 1} ({kind}): {message}", file=shown, field=_prefix(kind, field)
            ) from None
        field, message = describe_validation_error(first, tagged=False)
        raise ScenarioError(message, file=shown, field=field) from None


def _condition_flags(data: dict[str, Any]) -> None:
    """Turn YAML 1.1 boolean words in rule conditions' ``value`` back into booleans (in place)."""
    interventions = data.get("interventions")
    for item in interventions if isinstance(interventions, list) else ():
        rule = item.get("rule") if isinstance(item, dict) else None
        when = rule.get("when") if isinstance(rule, dict) else None
        for group in ("all", "any"):
            conditions = when.get(group) if isinstance(when, dict) else None
            for condition in conditions if isinstance(conditions, list) else ():
                if isinstance(condition, dict) and "value" in condition:
                    condition["value"] = _flags(condition["value"])


def _flags(value: Any) -> Any:
    if isinstance(value, BoolWord):
        return value.flag
    if isinstance(value, list):
        return [_flags(item) for item in value]
    return value


def _prefix(kind: str, field: str | None) -> str | None:
    if field and (field == kind or field.startswith(f"{kind}.")):
        return field
    if kind in ("change",) and field and not field.startswith("set"):
        return field
    return f"{kind}.{field}" if field and kind in ("insert", "rule", "governance") else field


def list_scenarios(folder: Path | None = None) -> list[tuple[Path, Scenario | OrgsimError]]:
    """Every scenario file in ``folder`` (default: the bundled ones), loaded or with its error.

    A ``folder`` that does not exist, or is a file, is a :class:`ScenarioError`.
    """
    root = folder or bundled_scenarios_path()
    if not root.is_dir():
        problem = "is a file, not a folder of scenario files" if root.exists() else "no such folder of scenario files"
        raise ScenarioError(problem, file=display_path(root))
    found: list[tuple[Path, Scenario | OrgsimError]] = []
    for path in sorted(p for p in root.iterdir() if p.suffix in (".yaml", ".yml")):
        try:
            found.append((path, load_scenario(path)))
        except OrgsimError as error:
            found.append((path, error))
    return found


def _merge(old: Any, new: Any) -> Any:
    if isinstance(old, dict) and isinstance(new, dict):
        merged = dict(old)
        for key, value in new.items():
            merged[key] = _merge(old.get(key), value)
        return merged
    return new


def run_scenario(
    scenario: Scenario,
    base: Timeline | None = None,
    *,
    origin: str | None = None,
    extra_rules: Sequence[ReactiveRule] = (),
) -> WhatIf:
    """Apply ``scenario``'s interventions to ``base`` and replay the world they make.

    The run reuses ``base``'s checkpoints up to the first instant the
    scenario touches, so a late intervention costs little more than the
    events after it. ``extra_rules`` adds Python rules (:class:`~orgsim.whatif.rules.PythonRule`).
    """
    folder = Path(origin).parent if origin else None
    timeline = base if base is not None else scenario.base_timeline(folder)
    recorded = timeline.records
    position = timeline.positions()
    epochs = timeline.recorded_epochs()
    manifest = timeline.manifest
    if scenario.people or scenario.organisations:
        manifest = manifest.model_copy(
            update={
                "people": {**manifest.people, **scenario.people},
                "organisations": {**manifest.organisations, **scenario.organisations},
            }
        )
    rules_data = timeline.rules.model_dump()
    removed: dict[str, Dropped] = {}
    replaced: dict[str, EventRecord] = {}
    inserted: list[EventRecord] = []
    reactive: list[ReactiveRule] = list(extra_rules)
    touched: list[int] = []
    governance_changed = False
    # The scenario's own edits over the base's file of each event (a layer, not a copy of every id).
    # (ChainMap only ever writes to its first map; its type asks a mutable one of every map.)
    # Files are named as in shared output: the base's relative to its folder, the scenario's by its name.
    origins: ChainMap[str, str] = ChainMap({}, cast("MutableMapping[str, str]", timeline.origins))
    scenario_file = Path(origin).name if origin else "scenario"

    def fail(number: int, kind: str, message: str, field: str | None = None, event: str | None = None) -> ScenarioError:
        return ScenarioError(f"intervention {number} ({kind}): {message}", file=origin, event=event, field=field)

    def known(number: int, kind: str, event_id: str) -> int:
        if event_id not in position:
            raise fail(number, kind, f"no event {event_id!r} in timeline {timeline.name!r}", field=kind, event=event_id)
        if event_id in removed:
            raise fail(number, kind, f"event {event_id!r} is already removed", field=kind, event=event_id)
        return position[event_id]

    def validated(number: int, kind: str, raw: dict[str, Any], event_id: str | None) -> EventRecord:
        try:
            return to_record(EVENT_ADAPTER.validate_python(raw))
        except ValidationError as exc:
            field, message = describe_validation_error(most_telling(exc.errors(include_url=False)))
            prefix = "set" if kind == "change" else "insert"
            raise fail(number, kind, message, field=f"{prefix}.{field}" if field else prefix, event=event_id) from None

    for number, item in enumerate(scenario.interventions, 1):
        if isinstance(item, Remove):
            index = known(number, "remove", item.remove)
            reason = "was removed by the scenario" + (f": {item.why}" if item.why else "")
            removed[item.remove] = Dropped(recorded[index].to_event(), reason, (item.remove,))
            touched.append(index)
        elif isinstance(item, Change):
            index = known(number, "change", item.change)
            current = replaced.get(item.change, recorded[index])
            if "id" in item.set and item.set["id"] != item.change:
                raise fail(
                    number,
                    "change",
                    "an event's id cannot be changed (remove it and insert another)",
                    "set.id",
                    item.change,
                )
            raw = _merge(current.to_event().model_dump(exclude_unset=False), item.set)
            changed = validated(number, "change", raw, item.change)
            replaced[item.change] = changed
            origins[item.change] = scenario_file  # an error in the changed event is the scenario's
            touched.append(index)
            touched.append(bisect_right(epochs, changed.at.timestamp()))
        elif isinstance(item, Insert):
            raw = dict(item.insert)
            event = validated(number, "insert", raw, raw.get("id") if isinstance(raw.get("id"), str) else None)
            if not event.rationale:
                raise fail(
                    number,
                    "insert",
                    "an inserted event needs a rationale (why it would have happened)",
                    "insert.rationale",
                    event.id,
                )
            if event.id in removed:
                # Putting back an event the scenario removed restores it in its recorded place.
                del removed[event.id]
                replaced[event.id] = event
                touched.append(position[event.id])
                continue
            if event.id in position or any(e.id == event.id for e in inserted):
                raise fail(number, "insert", f"event id {event.id!r} is already taken", "insert.id", event.id)
            inserted.append(event)
            origins[event.id] = scenario_file
            touched.append(bisect_right(epochs, event.at.timestamp()))
        elif isinstance(item, ChangeRules):
            try:
                # A scenario's share replaces the base's: 'threshold' (more than) and 'at_least' exclude each other.
                base_rules = {
                    k: v for k, v in rules_data.items() if k not in _SHARES or not _SHARES & set(item.governance)
                }
                rules_data = GovernanceRules.model_validate({**base_rules, **item.governance}).model_dump()
            except ValidationError as exc:
                field, message = describe_validation_error(most_telling(exc.errors(include_url=False)), tagged=False)
                raise fail(number, "governance", message, f"governance.{field}" if field else "governance") from None
            governance_changed = True
        elif isinstance(item, AddRule):
            spec = item.rule
            for place, path in _rule_fields(spec):
                problem = state_field_problem(path, manifest)
                if problem:
                    raise fail(number, "rule", f"rule {spec.id!r}: {problem}", f"rule.{place}")
            at = _rule_instant(spec, timeline.home_zone, partial(fail, number, "rule", field="rule.at"))
            reactive.append(DeclarativeRule(spec, at, origin))

    rules = GovernanceRules.model_validate(rules_data)
    # The world's event lists and replay are as large as the base and outlive the call (see orgsim.engine.bulk).
    with paused_gc(promote=len(recorded) >= PROMOTE_AT):
        events, world_epochs = _world_events(recorded, epochs, position, removed, replaced, inserted)
        start = _first_divergence(
            timeline, recorded, touched, governance_changed, reactive, manifest is timeline.manifest
        )
        try:
            _check_world_causes(events, removed, replaced, inserted, origins, origin)
            replay = run(
                events,
                manifest,
                rules=rules,
                policy=scenario.policy,
                origins=origins,
                reactive=reactive,
                reuse=(timeline.replay, start) if start > 0 else None,
                removed=sorted(removed.values(), key=lambda d: position[d.event.id]),
                epochs=world_epochs,
            )
        except OrgsimError as error:
            # Name a file the user can open: the scenario file as given, or the base's file under its folder.
            if error.event is not None and error.event in origins.maps[0]:
                if error.file == scenario_file:
                    error.file = origin
                    error.args = (error.render(),)
            elif error.file is not None and error.file != origin:
                relocate(error, timeline.folder)
            raise
    result = WhatIf(manifest, replay, origins=origins, folder=timeline.folder, recorded=events)
    result.scenario = scenario
    result.base = timeline
    result.source = origin
    return result


def _rule_instant(spec: RuleSpec, home_zone: str, fail: Callable[[str], ScenarioError]) -> datetime | None:
    """When a rule is checked: its ``at`` read in the home zone, within the supported years."""
    if not spec.at:
        return None
    try:
        return instant_in_range(resolve_instant(spec.at, home_zone))
    except TimeInputError as error:
        raise fail(f"rule {spec.id!r}: {error.message}") from None
    except (ValueError, OverflowError) as error:
        raise fail(f"rule {spec.id!r}: {error}") from None


def _rule_fields(spec: RuleSpec) -> list[tuple[str, str]]:
    """Every state path a rule reads: its conditions' fields and its templates' ``{field: ...}`` values."""
    found = [(f"when.all.{i}.field", c.field) for i, c in enumerate(spec.when.all)]
    found += [(f"when.any.{i}.field", c.field) for i, c in enumerate(spec.when.any)]

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


def _world_events(
    recorded: Sequence[EventRecord],
    epochs: Sequence[float],
    position: dict[str, int],
    removed: dict[str, Dropped],
    replaced: dict[str, EventRecord],
    inserted: Sequence[EventRecord],
) -> tuple[list[EventRecord], list[float]]:
    """The what-if world's events in replay order, edited in place from the recorded order, and their instants.

    Changes cost O(k log N) lookups plus list moves done in C, not a new sort:
    removed events go, changed events stay in place unless their instant
    changed, and moved or inserted events go after the events already at
    their instant.
    """
    events = list(recorded)
    keys = list(epochs)
    moved = [event for event_id, event in replaced.items() if event.at != recorded[position[event_id]].at]
    moved_ids = {event.id for event in moved}
    for event_id, event in replaced.items():
        if event_id not in moved_ids:
            events[position[event_id]] = event
    for index in sorted((position[i] for i in [*removed, *moved_ids]), reverse=True):
        del events[index]
        del keys[index]
    for event in [*moved, *inserted]:
        key = event.at.timestamp()
        where = bisect_right(keys, key)
        events.insert(where, event)
        keys.insert(where, key)
    return events, keys


def _check_world_causes(
    events: Sequence[EventRecord],
    removed: dict[str, Dropped],
    replaced: dict[str, EventRecord],
    inserted: Sequence[EventRecord],
    origins: Mapping[str, str],
    origin: str | None,
) -> None:
    """Causes must exist and come first; the recorded order was checked at load, so only edits are checked."""
    edited = {event.id for event in inserted} | set(replaced)
    if not edited:
        return
    order: dict[str, int] | None = None
    for index, event in enumerate(events):
        if event.id not in edited and not (edited & set(event.caused_by)):
            continue
        if order is None:
            order = {e.id: i for i, e in enumerate(events)}
        for cause in event.caused_by:
            if cause in removed:
                continue
            where = order.get(cause)
            if where is None:
                raise ScenarioError(
                    f"caused_by names no event: {cause!r}",
                    file=origins.get(event.id, origin),
                    event=event.id,
                    field="caused_by",
                )
            if where >= index:
                raise ScenarioError(
                    f"caused_by {cause!r} comes after this event in the what-if world (was its time changed?)",
                    file=origins.get(event.id, origin),
                    event=event.id,
                    field="caused_by",
                )


def _first_divergence(
    timeline: Timeline,
    recorded: Sequence[EventRecord],
    touched: Sequence[int],
    governance_changed: bool,
    reactive: Sequence[ReactiveRule],
    same_manifest: bool,
) -> int:
    """How many recorded events the world shares with its base before anything differs."""
    if not same_manifest or timeline.dropped or len(timeline.replay.applied) != len(recorded):
        return 0
    first = min(touched, default=len(recorded))
    if governance_changed:
        first = min(
            first,
            next((i for i, e in enumerate(recorded) if e.type in ("board_vote", "board_seat_added")), len(recorded)),
        )
    times = timeline.replay.times
    for rule in reactive:
        if rule.at_epoch is None:
            return 0
        first = min(first, bisect_right(times, rule.at_epoch))
    return first
