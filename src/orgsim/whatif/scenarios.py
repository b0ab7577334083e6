"""What-if scenarios: interventions on a timeline, replayed with their consequences.

A scenario names its base timeline and a list of interventions
(:mod:`orgsim.whatif.interventions`): remove an event, change an event's
fields, insert an event, change the governance rules, add a reactive rule.
Running it compiles the interventions into a world plan
(:mod:`orgsim.engine.plans`) and replays it; the result is a :class:`WhatIf`
world, a :class:`~orgsim.timeline.Timeline` like any other, whose ``dropped``
events say why they did not happen (removed, following from a removed event
or a failed motion, or in conflict with the world they met).

>>> import orgsim
>>> from orgsim.whatif.scenarios import Scenario, Remove
>>> scenario = Scenario(title="No vote", interventions=[Remove(remove="2023-11-17-board-votes-to-remove-altman")])
>>> world = scenario.run()
>>> world.state_at("2023-11-20T12:00-08:00").ceo.person
'sam-altman'
"""

from __future__ import annotations

import os
from collections import ChainMap
from collections.abc import Mapping, MutableMapping, Sequence
from pathlib import Path
from typing import Any, Literal, cast

from pydantic import (
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from orgsim.engine.plans import WorldPlan, run_plan
from orgsim.engine.replay import ReactiveRule
from orgsim.errors import OrgsimError, ScenarioError
from orgsim.io.loading import bundled_scenarios_path
from orgsim.io.problems import describe_validation_error, display_path, most_telling, relocate
from orgsim.io.reading import MAX_SCENARIO_BYTES, BoolWord, parse_yaml, read_bounded, shorten
from orgsim.model.events import EventBase, Slug
from orgsim.model.manifest import MANIFEST_NAME, Organisation, Person
from orgsim.model.sharing import FrozenDict
from orgsim.timeline import Timeline, load_timeline
from orgsim.whatif.interventions import (
    KINDS,
    AddRule,
    Change,
    ChangeRules,
    Insert,
    Intervention,
    InvalidModelError,
    PlanBuilder,
    Remove,
    ScenarioModel,
    intervention_kind,
)
from orgsim.whatif.uncertainty import UNCERTAIN_KINDS, SweepSettings, UncertainInput, uncertain_kind

__all__ = [
    "AddRule",
    "Change",
    "ChangeRules",
    "Insert",
    "Remove",
    "Scenario",
    "WhatIf",
    "list_scenarios",
    "load_scenario",
    "run_scenario",
]


class Scenario(ScenarioModel):
    """A what-if: a base timeline and the interventions to make on it.

    ``policy`` decides what happens to an event that no longer applies in the
    changed world: ``skip`` drops it and says why, ``strict`` stops with an error.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str
    description: str | None = None
    base: str = "bundled"
    """``bundled`` or a timeline folder (relative paths are read from the scenario file's folder).

    A scenario file names it relative to itself; an absolute path is refused there (see :func:`parse_scenario`).
    """
    policy: Literal["strict", "skip"] = "skip"
    people: dict[Slug, Person] = Field(default_factory=dict)
    organisations: dict[Slug, Organisation] = Field(default_factory=dict)
    interventions: tuple[Intervention, ...] = ()
    uncertain: tuple[UncertainInput, ...] = ()
    """What the scenario is unsure of (see "The uncertain section" below): run as a sweep of many worlds."""
    sweep: SweepSettings | None = None
    """How ``orgsim sweep`` runs this scenario by default: instants, measured paths, samples, seed."""

    @model_validator(mode="after")
    def _unique_uncertain_ids(self) -> Scenario:
        seen: set[str] = set()
        for item in self.uncertain:
            if item.id in seen:
                raise ValueError(f"uncertain input id {item.id!r} is given twice")
            seen.add(item.id)
        return self

    @classmethod
    def refusal(cls, exc: ValidationError, data: dict[str, Any]) -> ScenarioError:
        """The error for a scenario built in Python that pydantic refused: named as in a scenario file."""
        return scenario_problem(exc, data, None, InvalidModelError)

    @model_validator(mode="after")
    def _read_only(self) -> Scenario:
        # A world keeps its scenario: once validated, nothing may change it.
        object.__setattr__(self, "people", FrozenDict(self.people))
        object.__setattr__(self, "organisations", FrozenDict(self.organisations))
        return self

    def run(
        self, base: Timeline | None = None, *, origin: str | None = None, extra_rules: Sequence[ReactiveRule] = ()
    ) -> WhatIf:
        """Build and replay the what-if world (on ``base``, or the timeline the scenario names)."""
        return run_scenario(self, base, origin=origin, extra_rules=extra_rules)

    def base_path(self, folder: Path | None = None) -> Path | None:
        """The folder of the timeline this scenario is built on (None: the bundled one), ``folder`` the scenario's."""
        if self.base == "bundled":
            return None
        path = Path(self.base)
        if not path.is_absolute() and folder is not None:
            path = folder / path
        return path

    def base_timeline(self, folder: Path | None = None, *, cache: bool = False, source: str | None = None) -> Timeline:
        """Load the timeline this scenario is built on (``cache``: see :func:`~orgsim.timeline.load_timeline`).

        A base that is not a timeline folder (a folder holding a
        ``timeline.yaml``) is a :class:`ScenarioError` naming ``source`` (the
        scenario's file) and the field ``base``: nothing in it is read.
        """
        path = self.base_path(folder)
        if path is not None and not _timeline_folder(path):
            raise ScenarioError(
                f"base {shorten(self.base, 80)!r} is not a timeline folder (a folder holding a {MANIFEST_NAME})",
                file=source,
                field="base",
            )
        return load_timeline(path, cache=cache)


def _timeline_folder(path: Path) -> bool:
    """Whether ``path`` is a folder with a ``timeline.yaml`` in it (what that file is, loading checks)."""
    try:
        return path.is_dir() and os.path.lexists(path / MANIFEST_NAME)
    except (OSError, ValueError):  # a name the system cannot take (a NUL byte)
        return False


class WhatIf(Timeline):
    """A what-if world: a timeline that also knows its scenario, its base and its plan."""

    def __init__(self, scenario: Scenario, base: Timeline, plan: WorldPlan, source: str | None) -> None:
        replay, events = run_plan(base.basis(), plan)
        # The plan's files over the base's: a layer, not a copy (ChainMap writes only to its first map).
        layered = ChainMap(dict(plan.origins), cast("MutableMapping[str, str]", base.origins))
        origins = layered if plan.origins else base.origins
        super().__init__(replay.manifest, replay, origins=origins, folder=base.folder, inputs=events)
        for name, value in (("_scenario", scenario), ("_base", base), ("_plan", plan), ("_source", source)):
            object.__setattr__(self, name, value)

    __slots__ = ("_base", "_plan", "_scenario", "_source")
    _scenario: Scenario
    _base: Timeline
    _plan: WorldPlan
    _source: str | None

    @property
    def scenario(self) -> Scenario:
        """The scenario that made this world."""
        return self._scenario

    @property
    def base(self) -> Timeline:
        """The timeline the scenario changed."""
        return self._base

    @property
    def plan(self) -> WorldPlan:
        """The scenario compiled: what this world changes of its base."""
        return self._plan

    @property
    def source(self) -> str | None:
        """The scenario's file, when it came from one."""
        return self._source

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
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise scenario_problem(exc, data, shown) from None
    if scenario.base != "bundled" and Path(scenario.base).is_absolute():
        raise ScenarioError(
            "a scenario file names its base timeline relative to its own folder (or 'bundled'), not by absolute path",
            file=shown,
            field="base",
        )
    return scenario


def scenario_problem(
    exc: ValidationError, data: Mapping[str, Any], shown: str | None, kind_of_error: type[ScenarioError] = ScenarioError
) -> ScenarioError:
    """The error for scenario ``data`` that pydantic refused: its first problem, naming the intervention and field."""
    first = most_telling(exc.errors(include_url=False))
    loc = list(first["loc"])
    if loc[:1] == ["interventions"] and len(loc) >= 2 and isinstance(loc[1], int):
        number = loc[1]
        given = data.get("interventions")
        raw = given[number] if isinstance(given, Sequence) and number < len(given) else None
        kind = intervention_kind(raw) or "?"
        detail = dict(first, loc=tuple(loc[3:] if len(loc) > 2 and loc[2] in KINDS else loc[2:]))
        field, message = describe_validation_error(detail, tagged=False)
        if first["type"] == "intervention_kind":
            field, message = None, "an intervention needs one of: remove, change, insert, governance, rule"
        return kind_of_error(f"intervention {number + 1} ({kind}): {message}", file=shown, field=_prefix(kind, field))
    if loc[:1] == ["uncertain"] and len(loc) >= 2 and isinstance(loc[1], int):
        number = loc[1]
        given_uncertain = data.get("uncertain")
        raw = (
            given_uncertain[number] if isinstance(given_uncertain, Sequence) and number < len(given_uncertain) else None
        )
        kind = uncertain_kind(raw) or "?"
        name = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else None
        detail = dict(first, loc=tuple(loc[3:] if len(loc) > 2 and loc[2] in UNCERTAIN_KINDS else loc[2:]))
        field, message = describe_validation_error(detail, tagged=False)
        if first["type"] == "uncertain_kind":
            field, message = None, "an uncertain input needs one of: " + ", ".join(UNCERTAIN_KINDS)
        label = f"uncertain input {number + 1}" + (f" {name!r}" if name else "") + f" ({kind})"
        return kind_of_error(f"{label}: {message}", file=shown, field=f"uncertain.{field}" if field else "uncertain")
    field, message = describe_validation_error(first, tagged=False)
    return kind_of_error(message, file=shown, field=field)


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


def compile_scenario(
    scenario: Scenario, base: Timeline, *, origin: str | None = None, extra_rules: Sequence[ReactiveRule] = ()
) -> WorldPlan:
    """``scenario``'s interventions checked against ``base`` and compiled into a world plan."""
    manifest = base.manifest
    if scenario.people or scenario.organisations:
        manifest = manifest.extended(scenario.people, scenario.organisations)
    builder = PlanBuilder(base.basis(), home_zone=base.home_zone, origin=origin, manifest=manifest)
    for number, intervention in enumerate(scenario.interventions, 1):
        intervention.compile_into(builder, number)
    return builder.build(
        policy=scenario.policy,
        people=dict(scenario.people),
        organisations=dict(scenario.organisations),
        extra_rules=extra_rules,
    )


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
    timeline = base if base is not None else scenario.base_timeline(folder, source=origin)
    plan = compile_scenario(scenario, timeline, origin=origin, extra_rules=extra_rules)
    try:
        return WhatIf(scenario, timeline, plan, origin)
    except OrgsimError as error:
        # Name a file the user can open: the scenario file as given, or the base's file under its folder.
        scenario_file = Path(origin).name if origin else "scenario"
        if error.event is not None and error.event in plan.origins:
            if error.file == scenario_file:
                error.file = origin
                error.args = (error.render(),)
        elif error.file is not None and error.file != origin:
            relocate(error, timeline.folder)
        raise
