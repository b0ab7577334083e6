"""The timeline manifest: its name, home zone, rules and the people and organisations it knows."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from orgsim.errors import TimeInputError
from orgsim.model.events import Slug
from orgsim.model.governance import GovernanceRules
from orgsim.model.sharing import FrozenDict
from orgsim.times import resolve_instant, zone

if TYPE_CHECKING:
    import pendulum

MANIFEST_NAME = "timeline.yaml"
"""The manifest's file name inside a timeline folder."""


class Person(BaseModel):
    """Someone the timeline knows: their name, role and usual affiliation."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    name: Annotated[str, StringConstraints(min_length=1)]
    role: str | None = None
    affiliation: Slug | None = None
    insider: bool | None = None
    """For directors: True for an officer or founder of the organisation, False for an independent."""
    unnamed: bool = False
    """Someone known only by description (``a new CFO``) until a ``person_identified`` event names them."""


class Organisation(BaseModel):
    """Another organisation the timeline knows (an investor, a rival, an employer)."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    name: Annotated[str, StringConstraints(min_length=1)]
    kind: str | None = None


def _as_written(value: Any) -> Any:
    # YAML reads an unquoted 2023-11-16 as a date: keep the text the author meant
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


FocusInstant = Annotated[str, BeforeValidator(_as_written), StringConstraints(min_length=1)]
"""A bound of the focus: a date, a month, a year or an instant, read as ``--from`` and ``--to`` read them."""


class Focus(BaseModel):
    """The period a timeline is about: where ``orgsim plot`` and the report open.

    ``start`` is read as ``--from`` reads it (a bare date is the start of that
    day), ``end`` as ``--to`` does (a bare date is the end of that day); naive
    times are in the timeline's home zone.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    start: FocusInstant
    end: FocusInstant

    def resolve(self, home_zone: str) -> tuple[pendulum.DateTime, pendulum.DateTime]:
        """The focus as two instants; :class:`~orgsim.errors.TimeInputError` if a bound cannot be read."""
        return resolve_instant(self.start, home_zone, bound="start"), resolve_instant(self.end, home_zone)


class Coverage(BaseModel):
    """The interval over which a timeline's events are meant to be complete for a part of the state.

    ``from`` is read as ``--from`` reads it (a bare date: the start of that
    day), ``to`` as ``--to`` does (the end of that day); both are included,
    naive times are in the home zone. Without ``to`` the coverage runs on.
    ``note`` explains the start (an answer before the interval, or in the gap
    before it, quotes it); ``after`` explains the end of the last interval.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True, populate_by_name=True)

    start: FocusInstant = Field(alias="from")
    end: FocusInstant | None = Field(default=None, alias="to")
    note: str | None = None
    """Why the coverage starts there (shown with the answers unknown before it, or in the gap before it)."""
    after: str | None = None
    """Why the coverage ends there (shown with the answers unknown after it, when no later interval follows)."""

    def resolve(self, home_zone: str) -> tuple[pendulum.DateTime, pendulum.DateTime | None]:
        """The coverage as instants: its first and its last (None: open)."""
        start = resolve_instant(self.start, home_zone, bound="start")
        end = resolve_instant(self.end, home_zone) if self.end is not None else None
        return start, end


class Manifest(BaseModel):
    """What ``timeline.yaml`` declares about a timeline.

    ``organisation`` is the id of the organisation whose state is replayed;
    ``organisations`` lists the others, each a stakeholder in the state.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    name: Slug
    title: str | None = None
    description: str | None = None
    organisation: Slug
    organisation_name: str | None = None
    home_zone: str
    focus: Focus | None = None
    """The period the timeline is about (default: its busiest days)."""
    governance: GovernanceRules = Field(default_factory=GovernanceRules)  # built on use: no validator at import
    people: dict[Slug, Person] = {}
    organisations: dict[Slug, Organisation] = {}
    coverage: dict[str, Coverage | tuple[Coverage, ...]] = {}
    """For parts of the state (paths of the state contract), when the events are complete (see
    :mod:`orgsim.model.knowledge`): outside it, and where nothing has yet set a value, answers are unknown.
    A part may list several intervals (in order, not overlapping): between them it is not covered."""

    @model_validator(mode="after")
    def _read_only(self) -> Manifest:
        # Snapshots and answers read the manifest: once validated, nothing may change it.
        object.__setattr__(self, "people", FrozenDict(self.people))
        object.__setattr__(self, "organisations", FrozenDict(self.organisations))
        object.__setattr__(self, "coverage", FrozenDict(self.coverage))
        self._check_coverage()
        return self

    def _check_coverage(self) -> None:
        from orgsim.model.paths import state_field_problem

        for path, declared in self.coverage.items():
            problem = state_field_problem(path, self)
            if problem is not None:
                raise PydanticCustomError("coverage", "{path}: {why}", {"path": path, "why": problem})
            try:
                zone(self.home_zone)
            except TimeInputError:
                return  # the loader reports the zone itself
            spans = declared if isinstance(declared, tuple) else (declared,)
            if not spans:
                raise PydanticCustomError("coverage", "{path}: give at least one interval", {"path": path})
            last_end: pendulum.DateTime | None = None
            for number, span in enumerate(spans):
                try:
                    start, end = span.resolve(self.home_zone)
                except TimeInputError as error:
                    why = {"path": path, "why": error.message}
                    raise PydanticCustomError("coverage", "{path}: {why}", why) from None
                if end is not None and end < start:
                    raise PydanticCustomError("coverage", "{path}: an interval ends before it starts", {"path": path})
                if number and (last_end is None or start <= last_end):
                    raise PydanticCustomError(
                        "coverage", "{path}: intervals must come in order and not overlap", {"path": path}
                    )
                if end is None and number < len(spans) - 1:
                    raise PydanticCustomError("coverage", "{path}: only the last interval may be open", {"path": path})
                last_end = end

    @cached_property
    def coverage_spans(self) -> Mapping[str, tuple[tuple[pendulum.DateTime, pendulum.DateTime | None], ...]]:
        """Each declared coverage as its intervals of instants (from, to or None: open), by path."""
        return {
            path: tuple(span.resolve(self.home_zone) for span in (d if isinstance(d, tuple) else (d,)))
            for path, d in self.coverage.items()
        }

    @cached_property
    def coverage_epochs(self) -> Mapping[str, tuple[tuple[float, float | None], ...]]:
        """:attr:`coverage_spans` as Unix timestamps: what the per-path coverage checks compare with."""
        return {
            path: tuple((start.timestamp(), None if end is None else end.timestamp()) for start, end in spans)
            for path, spans in self.coverage_spans.items()
        }

    @cached_property
    def _path_memo(self) -> dict[tuple[str, str], Any]:
        """Answers about contract paths that depend on this manifest alone (a path's validity, its covering
        declaration), kept so that reading a state's fields asks each once. Only valid paths are kept, so it is
        bounded by the contract's size. An :meth:`extended` manifest (a copy) shares it: more people and
        organisations keep every path valid, and the coverage is the same. A cached property rather than a pydantic
        private attribute, which is read through a slow path, and this is read for every field of every state."""
        return {}

    def __setattr__(self, name: str, value: Any) -> None:
        if name not in type(self).model_fields:
            # Pydantic's frozen check covers fields only: a computed, cached attribute could otherwise be replaced.
            raise AttributeError(f"a manifest is read-only: {name!r} cannot be set")
        super().__setattr__(name, value)  # a field: pydantic refuses it (the model is frozen)

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"a manifest is read-only: {name!r} cannot be deleted")

    def extended(self, people: Mapping[str, Person], organisations: Mapping[str, Organisation]) -> Manifest:
        """This manifest with more people and organisations (a what-if world's)."""
        return self.model_copy(
            update={
                "people": FrozenDict({**self.people, **people}),
                "organisations": FrozenDict({**self.organisations, **organisations}),
            }
        )

    @field_validator("focus")
    @classmethod
    def _focus_reads_as_a_period(cls, focus: Focus | None, info: ValidationInfo) -> Focus | None:
        home = info.data.get("home_zone")
        if focus is None or not isinstance(home, str):
            return focus
        try:
            zone(home)
        except TimeInputError:
            return focus  # the loader reports the zone itself
        try:
            start, end = focus.resolve(home)
        except TimeInputError as error:
            which = "start" if _unreadable(focus.start, home) else "end"
            raise PydanticCustomError("focus", "{which}: {why}", {"which": which, "why": error.message}) from None
        if end <= start:
            bounds = {"end": end.isoformat(), "start": start.isoformat()}
            raise PydanticCustomError("focus", "it ends ({end}) before it starts ({start})", bounds)
        return focus

    def focus_window(self) -> tuple[pendulum.DateTime, pendulum.DateTime] | None:
        """The declared focus as two instants in the home zone, or None when the manifest declares none."""
        return self.focus.resolve(self.home_zone) if self.focus is not None else None


def _unreadable(text: str, home: str) -> bool:
    try:
        resolve_instant(text, home, bound="start")
    except TimeInputError:
        return True
    return False
