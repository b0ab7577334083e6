"""A replayed timeline: the library's main object.

>>> import orgsim
>>> timeline = orgsim.load_timeline()
>>> timeline.state_at("2023-11-20T10:00", tz="America/Los_Angeles").ceo.person
'emmett-shear'
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from datetime import datetime
from os import PathLike
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from orgsim.engine import changes
from orgsim.engine.replay import CHECKPOINT_INTERVAL, Dropped, Replay, run
from orgsim.errors import LoadError, OrgsimError, QueryError
from orgsim.io.checks import stated_ends
from orgsim.io.loading import LoadedTimeline, bundled_timeline_path, load_folder
from orgsim.io.problems import relocate
from orgsim.model.events import EventBase
from orgsim.model.governance import GovernanceRules
from orgsim.model.manifest import Manifest
from orgsim.model.records import EventRecord, to_records
from orgsim.model.state import OrgState
from orgsim.query.changes import EVERY_KEY, ChangeIndex, Series
from orgsim.times import FIRST_YEAR, LAST_YEAR, Bound, InstantLike, resolve_instant

if TYPE_CHECKING:
    import pandas as pd
    import pendulum

    from orgsim.engine.plans import Basis
    from orgsim.query.explain import Explanation
    from orgsim.query.history import TenureKind, Tenures
    from orgsim.query.known import KnownIndex, KnownState, Lag

# The queries below (plans, explanations, tenures, what was known when) are imported where they are first used:
# ``orgsim state``, the commonest command, needs none of them, and importing them costs it milliseconds.


class AsOf(NamedTuple):
    """Since when a value holds, to the precision its event is dated with, and the id of the event that set it."""

    since: datetime
    event: str
    precision: str = "minute"
    """How precisely ``since`` is known (``minute``, ``hour``, ``day``, ``month``, ``year``): the event's precision."""


class SourcedState(NamedTuple):
    """A state with the latest event behind each of its headline answers (see :meth:`Timeline.provenance`).

    In a notebook it shows as the state table with a column of sources.
    """

    state: OrgState
    sources: Mapping[str, EventBase]

    def __repr__(self) -> str:
        return f"<SourcedState {self.state!r} sources={sorted(self.sources)}>"

    def _repr_html_(self) -> str | None:
        from orgsim.model.rendering import html_of  # drawn by orgsim.views.notebook

        return html_of(self)


class Timeline:
    """A timeline replayed once, answering the state at any instant in microseconds.

    ``events`` are the events that happened in this world, in replay order
    (their pydantic models, built on first access and kept); ``records`` the
    same as the compact records replay runs on (:mod:`orgsim.model.records`),
    the fast way to sweep a large timeline; ``dropped`` (what-if worlds only)
    the events that did not happen, with why. Everything a timeline hands out
    is read-only.
    """

    def __init__(
        self,
        manifest: Manifest,
        replay: Replay,
        *,
        origins: Mapping[str, str] | None = None,
        folder: Path | None = None,
        inputs: Sequence[EventRecord] | None = None,
    ) -> None:
        setter = object.__setattr__
        setter(self, "_manifest", manifest)
        setter(self, "_replay", replay)
        setter(self, "_origins", MappingProxyType(origins if origins is not None else {}))
        setter(self, "_folder", folder)
        setter(self, "_inputs", replay.applied if inputs is None else inputs)
        setter(self, "_events", None)
        setter(self, "_by_id", None)
        setter(self, "_basis", None)
        setter(self, "_series", None)
        setter(self, "_known", None)

    __slots__ = (
        "_basis",
        "_by_id",
        "_events",
        "_folder",
        "_inputs",
        "_known",
        "_manifest",
        "_origins",
        "_replay",
        "_series",
    )
    _manifest: Manifest
    _replay: Replay
    _origins: Mapping[str, str]
    _folder: Path | None
    _inputs: Sequence[EventRecord]
    _events: tuple[EventBase, ...] | None
    _by_id: dict[str, EventRecord] | None
    _basis: Basis | None
    _series: dict[str, Series] | None
    _known: KnownIndex | None

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a timeline is read-only: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"a timeline is read-only: cannot delete {name!r}")

    @classmethod
    def from_events(
        cls,
        manifest: Manifest,
        events: Sequence[EventBase | EventRecord],
        *,
        origins: Mapping[str, str] | None = None,
        folder: Path | None = None,
        interval: int = CHECKPOINT_INTERVAL,
        epochs: Sequence[float] | None = None,
        causes: AbstractSet[str] | None = None,
    ) -> Timeline:
        """Replay already sorted, validated events (models or records) strictly into a timeline.

        ``epochs`` (each event's Unix timestamp) and ``causes`` (every id the
        events name in ``caused_by``), as the loader collects them, save replay
        working them out again. The ends that leaves state (``until``) are
        added as the loader adds them.
        """
        records = to_records(events)
        ends = stated_ends(records, manifest.home_zone, origins or {})
        if ends:
            origins = {**(origins or {}), **{event.id: file for event, file in ends}}
            records = sorted([*records, *(event for event, _ in ends)], key=lambda event: event.at.timestamp())
            epochs = causes = None
        replay = run(records, manifest, origins=origins, interval=interval, epochs=epochs, causes=causes)
        return cls(manifest, replay, origins=origins, folder=folder)

    @property
    def manifest(self) -> Manifest:
        """The timeline's manifest: its name, zone, rules, people and organisations."""
        return self._manifest

    @property
    def origins(self) -> Mapping[str, str]:
        """The file each event came from, by id (names relative to the timeline folder)."""
        return self._origins

    @property
    def folder(self) -> Path | None:
        """The timeline folder it was loaded from (None when built in Python)."""
        return self._folder

    @property
    def name(self) -> str:
        """The timeline's name (from its manifest)."""
        return self._manifest.name

    @property
    def home_zone(self) -> str:
        """The zone naive instants are read in, and answers shown in."""
        return self._manifest.home_zone

    @property
    def rules(self) -> GovernanceRules:
        """The governance rules in force in this world."""
        return self._replay.rules

    @property
    def events(self) -> tuple[EventBase, ...]:
        """The events that happened in this world, in replay order (built on first access, then kept)."""
        events = self._events
        if events is None:
            events = tuple(record.to_event() for record in self._replay.applied)
            object.__setattr__(self, "_events", events)
        return events

    @property
    def records(self) -> Sequence[EventRecord]:
        """The events that happened, as compact records: the same fields as ``events``, nothing built."""
        return self._replay.applied

    @property
    def dropped(self) -> tuple[Dropped, ...]:
        """Events that did not happen in this world, each with its reason and causal chain."""
        return self._replay.dropped

    @property
    def replay(self) -> Replay:
        """The underlying checkpointed replay (for tools built on the engine)."""
        return self._replay

    def basis(self) -> Basis:
        """What worlds are built on when this timeline is their base (see :mod:`orgsim.engine.plans`)."""
        basis = self._basis
        if basis is None:
            inputs, replay = self._inputs, self._replay
            epochs = replay.times if inputs is replay.applied else tuple(e.at.timestamp() for e in inputs)
            positions = {event.id: index for index, event in enumerate(inputs)}
            from orgsim.engine.plans import Basis

            basis = Basis(replay, inputs, epochs, MappingProxyType(positions), self.origins)
            object.__setattr__(self, "_basis", basis)
        return basis

    def __len__(self) -> int:
        return len(self._replay.applied)

    def __iter__(self) -> Iterator[tuple[EventBase, OrgState]]:
        """Each event with the state just after it, in replay order."""
        return self.history()

    def __repr__(self) -> str:
        return f"<Timeline {self.name}: {len(self)} events>"

    def _repr_html_(self) -> str | None:
        from orgsim.model.rendering import html_of  # a summary and a compact Gantt, drawn by orgsim.views.notebook

        return html_of(self)

    def event(self, event_id: str) -> EventBase:
        """The event with this id (happened or dropped); :class:`LoadError` if none."""
        by_id = self._by_id
        if by_id is None:
            by_id = {e.id: e for e in self._inputs}
            for e in self._replay.applied:
                by_id.setdefault(e.id, e)
            object.__setattr__(self, "_by_id", by_id)
        try:
            return by_id[event_id].to_event()
        except KeyError:
            raise LoadError(f"no event with id {event_id!r} in timeline {self.name!r}", event=event_id) from None

    def resolve(self, when: InstantLike, tz: str | None = None, *, bound: Bound = "end") -> pendulum.DateTime:
        """Resolve user input to an instant (naive input read in ``tz``, default the home zone).

        A bare date, month or year means its end, or its start with ``bound="start"`` (see :mod:`orgsim.times`).
        """
        return resolve_instant(when, tz or self.home_zone, bound=bound)

    def state_at(self, when: InstantLike, tz: str | None = None, *, known_at: InstantLike | None = None) -> OrgState:
        """The state at ``when``: an aware datetime, ISO-8601 text, a ``date`` (the end of that day), a pendulum value.

        Naive values are read in ``tz``, default the timeline's home zone.
        The answer's ``at`` is the resolved instant.
        With ``known_at``, the state as it could be reconstructed from what
        was public by then (see :meth:`known_state`).
        """
        if known_at is not None:
            return self.known_state(when, known_at, tz).state
        # An aware datetime well inside the years orgsim reads is an instant already: no parsing, its timestamp costs
        # nothing (one at the edge of the range, or outside it, is checked by resolve).
        instant: datetime
        if isinstance(when, datetime) and when.utcoffset() is not None and FIRST_YEAR < when.year < LAST_YEAR:
            instant = when
        else:
            instant = self.resolve(when, tz)
        replay = self._replay
        return replay.state_after(replay.position(instant.timestamp()), instant)

    def state_with_sources(self, when: InstantLike, tz: str | None = None) -> SourcedState:
        """The state at ``when`` with the latest event behind each headline answer (:meth:`provenance`)."""
        instant = self.resolve(when, tz)
        return SourcedState(self.state_at(instant), MappingProxyType(self.provenance(instant)))

    def known_state(self, when: InstantLike, known_at: InstantLike, tz: str | None = None) -> KnownState:
        """The state at ``when`` as known at ``known_at``, with the events still hidden then and those that could not
        apply without them (see :mod:`orgsim.query.known`). ``known_at`` is read as ``when`` is."""
        instant, known = self.resolve(when, tz), self.resolve(known_at, tz)
        index = self._known
        if index is None:
            from orgsim.query.known import KnownIndex

            index = KnownIndex(self)
            object.__setattr__(self, "_known", index)
        return index.state(instant, known)

    def lag(self, *, everything: bool = False) -> list[Lag]:
        """Each event's delay between happening and becoming public, longest first (:func:`orgsim.query.known.lags`)."""
        from orgsim.query.known import lags

        return lags(self, everything=everything)

    def explain(self, path: str, when: InstantLike, tz: str | None = None, *, but_for: bool = True) -> Explanation:
        """Why ``path`` (a path of the state contract) has its value at ``when``: see :mod:`orgsim.query.explain`."""
        from orgsim.query.explain import explain

        return explain(self, path, self.resolve(when, tz), but_for=but_for)

    def change_series(self) -> Mapping[str, Series]:
        """Every contract path some event changed, with each value it took (the change index, built once)."""
        series = self._series
        if series is None:
            series = ChangeIndex(self._replay).series()
            object.__setattr__(self, "_series", series)
        return MappingProxyType(series)

    def state_at_epoch(self, epoch: float) -> OrgState:
        """The state at a Unix timestamp: the fast path for sweeps (no parsing, ``at`` unset)."""
        replay = self._replay
        return replay.state_after(replay.position(epoch))

    def initial_state(self) -> OrgState:
        """The empty state before the first event."""
        return self._replay.checkpoints[0]

    def final_state(self) -> OrgState:
        """The state after the last event, at that event's instant."""
        replay = self._replay
        return replay.final if not replay.applied else replay.final.at_instant(replay.applied[-1].at)

    def history(self) -> Iterator[tuple[EventBase, OrgState]]:
        """Each event that happened with the state just after it, in replay order."""
        return ((record.to_event(), state) for record, state in self._replay.walk())

    def steps(self, start: datetime | None, end: datetime | None) -> Iterator[tuple[EventBase, OrgState, OrgState]]:
        """Each event with ``start < at <= end`` with the states just before and after it."""
        replay = self._replay
        low = 0 if start is None else replay.position(start.timestamp())
        high = len(replay.applied) if end is None else replay.position(end.timestamp())
        before = replay.state_after(low, start if start is not None or not low else replay.applied[low - 1].at)
        for record, after in replay.walk(low, high):
            yield record.to_event(), before, after
            before = after

    def provenance(self, when: InstantLike, tz: str | None = None) -> dict[str, EventBase]:
        """The latest event behind each headline answer at ``when``: CEO, board, chair, counts, stakeholders.

        Keys are ``ceo``, ``board.members``, ``board.chair``, ``employees.headcount``,
        ``employees.open_letter_signatories``, ``structure`` and ``stakeholders.<id>``.
        Each is the event whose application set the value shown (the first of
        any that set it to the same value again), read off the change index.
        """
        instant = self.resolve(when, tz)
        replay = self._replay
        count = replay.position(instant.timestamp())
        series = ChangeIndex(replay).series(0, _HEADLINE_TABLES)
        found: dict[str, EventBase] = {}
        state = replay.state_after(count, instant)
        for key, paths in _headline_paths(series).items():
            known = [path for path in paths if state.is_known(path)]
            if not known:
                continue  # an unknown answer has no event behind it
            positions = [p for p in (series[path].set_by(count) for path in known) if p is not None]
            if positions:
                found[key] = replay.applied[max(positions)].to_event()
        return found

    def as_of(self, when: InstantLike, tz: str | None = None) -> dict[str, AsOf]:
        """Since when each known value of the state at ``when`` holds, and which event set it, by contract path.

        Paths are the leaves of the state contract (``offices.ceo``,
        ``board.members``, ``people.mira-murati.at_org``...); a value that is
        unknown at ``when``, or that no event has set, has no entry. Read off
        the change index, built on first use and kept.
        """
        instant = self.resolve(when, tz)
        replay = self._replay
        count = replay.position(instant.timestamp())
        state = replay.state_after(count, instant)
        from orgsim.query.explain import COUNT_READINGS

        series = self.change_series()
        found: dict[str, AsOf] = {}
        for path, values in series.items():
            position = values.set_by(count)
            readings = COUNT_READINGS.get(path, ())
            if readings:  # a count is set by whatever last changed its reading (number, qualifier or range)
                others = [series[other].set_by(count) for other in readings if other in series]
                position = max((p for p in (position, *others) if p is not None), default=None)
            if position is not None and state.is_known(path):
                event = replay.applied[position]
                found[path] = AsOf(event.at, event.id, event.precision)
        return found

    def tenures(
        self,
        *,
        office: str | None = None,
        kinds: Sequence[TenureKind] | None = None,
        person: str | None = None,
        start: InstantLike | None = None,
        end: InstantLike | None = None,
        tz: str | None = None,
    ) -> Tenures:
        """Every tenure: who held each office, board seat, the chair, a stakeholder's seat, and each leave.

        ``kinds`` picks among ``office``, ``board``, ``chair``,
        ``stakeholder_seat``, ``leave`` and ``affiliation`` (default: all but
        affiliations); ``office`` keeps one office's; ``person`` one person's;
        ``start``/``end`` (read as ``--from``/``--to`` read them) the tenures
        overlapping that range. See :mod:`orgsim.query.history`. An office no
        event gives anyone, a person the timeline does not know or a kind not
        among these is a :class:`~orgsim.errors.QueryError`, as in the CLI.
        The list makes a pandas frame with ``to_frame()``.
        """
        self._check_tenures_question(office, kinds, person)
        low = self.resolve(start, tz, bound="start") if start is not None else None
        high = self.resolve(end, tz) if end is not None else None
        from orgsim.query.history import tenures_of

        return tenures_of(self, kinds=kinds, office=office, person=person, start=low, end=high)

    def _check_tenures_question(
        self, office: str | None, kinds: Sequence[TenureKind] | None, person: str | None
    ) -> None:
        if office is not None:
            offices = sorted({key.split(".")[1] for key in self.change_series() if key.startswith("offices.")})
            if office not in offices:
                why = f"no event gives anyone the office {office!r} (offices: {', '.join(offices)})"
                raise QueryError(why, field="office")
        if kinds is not None:
            from orgsim.query.history import KINDS as TENURE_KINDS

            # A lone string would be read letter by letter: it is refused too.
            wrong = [kinds] if isinstance(kinds, str) else [kind for kind in kinds if kind not in TENURE_KINDS]
            if wrong:
                known = ", ".join(TENURE_KINDS)
                raise QueryError(f"kinds: a list of kinds of tenure ({known}), not {wrong[0]!r}", field="kinds")
        if person is not None and person not in self._manifest.people:
            raise QueryError(f"unknown person {person!r} (not in the timeline's people)", field="person")

    def person_history(self, person: str) -> Tenures:
        """Every role, seat, leave and affiliation of ``person`` over time, in order of start."""
        if person not in self._manifest.people:
            raise LoadError(f"unknown person {person!r} (not in the timeline's people)", field="person")
        from orgsim.query.history import person_history

        return person_history(self, person)

    def to_frame(self, tz: str | None = None) -> pd.DataFrame:
        """One row per event that happened, in replay order, as a pandas frame (needs ``orgsim[pandas]``).

        Typed columns; ``at`` and ``reported_at`` tz-aware in ``tz`` (default:
        the home zone); the sources as a column. See
        :func:`orgsim.query.frames.events_frame` for the columns.
        """
        from orgsim.query.frames import events_frame  # pandas is loaded only here

        return events_frame(self, tz or self.home_zone, self.origins, self.name)

    def series(
        self,
        path: str,
        freq: str = "1h",
        start: InstantLike | None = None,
        end: InstantLike | None = None,
        tz: str | None = None,
    ) -> pd.Series[Any]:
        """The value of ``path`` (``employees.headcount``, ``ceo``, ``board.members``...) every ``freq``, as a
        pandas Series indexed by instant (needs ``orgsim[pandas]``).

        ``start`` and ``end`` are read as ``--from`` and ``--to`` read them
        (default: the first and last events); the index is in ``tz`` (default:
        the home zone). Numbers are numbers, people are ids, an unknown value
        is missing. See :func:`orgsim.query.frames.path_series`.
        """
        from orgsim.query.frames import path_series

        low = self.resolve(start, tz, bound="start") if start is not None else None
        high = self.resolve(end, tz) if end is not None else None
        return path_series(self, path, freq, low, high, tz or self.home_zone)

    def between(self, start: datetime | None, end: datetime | None) -> list[EventBase]:
        """Events with ``start < at <= end`` (either bound may be None)."""
        low = float("-inf") if start is None else start.timestamp()
        high = float("inf") if end is None else end.timestamp()
        replay = self._replay
        return [
            e.to_event() for e in replay.applied[bisect_right(replay.times, low) : bisect_right(replay.times, high)]
        ]


_HEADLINE_TABLES = {
    changes.OFFICE: {"ceo"},
    changes.SEAT: EVERY_KEY,
    changes.CHAIR: EVERY_KEY,
    changes.HEADCOUNT: EVERY_KEY,
    changes.SIGNATURES: EVERY_KEY,
    changes.SIGNATORY: EVERY_KEY,
    changes.STAKEHOLDER: EVERY_KEY,
    changes.STRUCTURE: EVERY_KEY,
}
"""The parts of the change log the headline answers come from."""


def _headline_paths(series: Mapping[str, Any]) -> dict[str, list[str]]:
    """Each headline answer and the contract paths it shows (a count is its number, qualifier and names)."""
    found: dict[str, list[str]] = {
        "ceo": ["offices.ceo"],
        "board.members": ["board.members", "board.observers", "board.independent"],
        "board.chair": ["board.chair"],
        "employees.headcount": ["employees.headcount", "employees.headcount_qualifier"],
        "employees.open_letter_signatories": [
            "employees.open_letter_signatories",
            "employees.open_letter_qualifier",
            "employees.named_signatories",
        ],
        "structure": ["structure"],
    }
    for path in series:
        if path.startswith("stakeholders.") and not path.endswith((".board_seat", ".name")):
            found.setdefault("stakeholders." + path.split(".")[1], []).append(path)
    return {key: [p for p in paths if p in series] for key, paths in found.items()}


def load_timeline(path: str | Path | None = None, *, cache: bool = False) -> Timeline:
    """Load and replay a timeline folder; the bundled OpenAI timeline when ``path`` is None.

    ``cache=True`` keeps the validated events of an unchanged small timeline
    in orgsim's cache folder, so a later load skips validating them (see
    :mod:`orgsim.io.cache`; the command line does this). Raises
    :class:`~orgsim.errors.LoadError` for a bad file and
    :class:`~orgsim.errors.ReplayError` for an event that cannot apply, each
    naming the file, the event and the field.
    """
    if path is not None and not isinstance(path, (str, PathLike)):
        raise LoadError(f"a timeline is named by the path of its folder (a str or Path), not {type(path).__name__}")
    folder = Path(path) if path is not None else bundled_timeline_path()
    loaded = load_folder(folder, cache=cache)
    try:
        return replay_loaded(loaded)
    except OrgsimError as error:  # origins are relative to the folder: name a file the user can open
        raise relocate(error, loaded.folder) from None


def replay_loaded(loaded: LoadedTimeline) -> Timeline:
    """Replay a timeline the loader read into a :class:`Timeline`, with everything the loader worked out."""
    return Timeline.from_events(
        loaded.manifest,
        loaded.events,
        origins=loaded.origins,
        folder=loaded.folder,
        epochs=loaded.epochs,
        causes=loaded.causes,
    )
