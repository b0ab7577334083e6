"""A replayed timeline: the library's main object.

>>> import orgsim
>>> timeline = orgsim.load_timeline()
>>> timeline.state_at("2023-11-20T10:00", tz="America/Los_Angeles").ceo.person
'emmett-shear'
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from orgsim.engine.replay import CHECKPOINT_INTERVAL, Dropped, Replay, run
from orgsim.errors import LoadError, OrgsimError
from orgsim.io.loading import bundled_timeline_path, load_folder, relocate
from orgsim.model.events import EventBase
from orgsim.model.governance import GovernanceRules
from orgsim.model.manifest import Manifest
from orgsim.model.records import EventRecord, to_records
from orgsim.model.state import OrgState
from orgsim.times import Bound, InstantLike, resolve_instant

if TYPE_CHECKING:
    import pendulum


class Timeline:
    """A timeline replayed once, answering the state at any instant in microseconds.

    ``events`` are the events that happened in this world, in replay order;
    ``dropped`` (what-if worlds only) the ones that did not, with why. Events
    are kept as compact records (:mod:`orgsim.model.records`) and handed out as
    their pydantic models, built afresh on each call: on a large timeline,
    tools that only read fields can walk ``replay.applied`` (records) instead.
    """

    def __init__(
        self,
        manifest: Manifest,
        replay: Replay,
        *,
        origins: Mapping[str, str] | None = None,
        folder: Path | None = None,
        recorded: Sequence[EventRecord] | None = None,
    ) -> None:
        self.manifest = manifest
        self._replay = replay
        self.origins: Mapping[str, str] = origins if origins is not None else {}
        """The file each event came from, by id."""
        self.folder = folder
        self._recorded = recorded  # taken over, not copied: a what-if world hands over its own fresh list
        self._by_id: dict[str, EventRecord] | None = None
        self._positions: dict[str, int] | None = None
        self._recorded_epochs: list[float] | None = None

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
    ) -> Timeline:
        """Replay already sorted, validated events (models or records) strictly into a timeline.

        ``epochs`` (each event's Unix timestamp, as the loader computes them)
        saves replay computing them again.
        """
        records = to_records(events)
        replay = run(records, manifest, origins=origins, interval=interval, epochs=epochs)
        return cls(manifest, replay, origins=origins, folder=folder, recorded=records)

    @property
    def name(self) -> str:
        """The timeline's name (from its manifest)."""
        return self.manifest.name

    @property
    def home_zone(self) -> str:
        """The zone naive instants are read in, and answers shown in."""
        return self.manifest.home_zone

    @property
    def rules(self) -> GovernanceRules:
        """The governance rules in force in this world."""
        return self._replay.rules

    @property
    def events(self) -> tuple[EventBase, ...]:
        """The events that happened in this world, in replay order."""
        return tuple(record.to_event() for record in self._replay.applied)

    @property
    def recorded(self) -> tuple[EventBase, ...]:
        """The events this world was built from, in replay order, whether they happened or not."""
        return tuple(record.to_event() for record in self.records)

    @property
    def records(self) -> Sequence[EventRecord]:
        """``recorded`` as the compact records replay runs on (shared, not copied: do not modify)."""
        return self._recorded if self._recorded is not None else self._replay.applied

    @property
    def dropped(self) -> tuple[Dropped, ...]:
        """Events that did not happen in this world, each with its reason and causal chain."""
        return tuple(self._replay.dropped)

    @property
    def replay(self) -> Replay:
        """The underlying checkpointed replay (for tools built on the engine)."""
        return self._replay

    def __len__(self) -> int:
        return len(self._replay.applied)

    def __iter__(self) -> Iterator[tuple[EventBase, OrgState]]:
        """Each event with the state just after it, in replay order."""
        return self.history()

    def __repr__(self) -> str:
        return f"<Timeline {self.name}: {len(self)} events>"

    def positions(self) -> dict[str, int]:
        """Each recorded event's position in replay order (built once, then shared: do not modify)."""
        if self._positions is None:
            self._positions = {event.id: index for index, event in enumerate(self.records)}
        return self._positions

    def recorded_epochs(self) -> list[float]:
        """Each recorded event's instant as a Unix timestamp, in replay order (shared: do not modify)."""
        if self._recorded_epochs is None:
            replay = self._replay
            records = self.records
            if len(replay.applied) == len(records) and not replay.dropped:
                self._recorded_epochs = replay.times
            else:
                self._recorded_epochs = [event.at.timestamp() for event in records]
        return self._recorded_epochs

    def event(self, event_id: str) -> EventBase:
        """The event with this id (recorded or applied); :class:`LoadError` if none."""
        if self._by_id is None:
            self._by_id = {e.id: e for e in self.records}
            for e in self._replay.applied:
                self._by_id.setdefault(e.id, e)
        try:
            return self._by_id[event_id].to_event()
        except KeyError:
            raise LoadError(f"no event with id {event_id!r} in timeline {self.name!r}", event=event_id) from None

    def resolve(self, when: InstantLike, tz: str | None = None, *, bound: Bound = "end") -> pendulum.DateTime:
        """Resolve user input to an instant (naive input read in ``tz``, default the home zone).

        A bare date, month or year means its end, or its start with ``bound="start"`` (see :mod:`orgsim.times`).
        """
        return resolve_instant(when, tz or self.home_zone, bound=bound)

    def state_at(self, when: InstantLike, tz: str | None = None) -> OrgState:
        """The state including every event at or before ``when``.

        ``when`` is ISO-8601 text, a ``datetime`` (pendulum or standard) or a
        ``date`` (end of that day); naive values are read in ``tz``, default
        the timeline's home zone. The answer's ``at`` is the resolved instant.
        """
        instant = self.resolve(when, tz)
        replay = self._replay
        return replay.state_after(replay.position(instant.timestamp()), instant)

    def state_at_epoch(self, epoch: float) -> OrgState:
        """The state at a Unix timestamp: the fast path for sweeps (no parsing, ``at`` unset)."""
        replay = self._replay
        return replay.state_after(replay.position(epoch))

    def initial_state(self) -> OrgState:
        """The empty state before the first event."""
        return self._replay.checkpoints[0]

    def final_state(self) -> OrgState:
        """The state after the last event."""
        return self._replay.final

    def history(self) -> Iterator[tuple[EventBase, OrgState]]:
        """Each event that happened with the state just after it, in replay order."""
        return ((record.to_event(), state) for record, state in self._replay.walk())

    def steps(self, start: datetime | None, end: datetime | None) -> Iterator[tuple[EventBase, OrgState, OrgState]]:
        """Each event with ``start < at <= end`` with the states just before and after it."""
        replay = self._replay
        low = 0 if start is None else replay.position(start.timestamp())
        high = len(replay.applied) if end is None else replay.position(end.timestamp())
        before = replay.state_after(low)
        for record, after in replay.walk(low, high):
            yield record.to_event(), before, after
            before = after

    def provenance(self, when: InstantLike, tz: str | None = None) -> dict[str, EventBase]:
        """The latest event behind each headline answer at ``when``: CEO, board, chair, counts, stakeholders.

        Keys are ``ceo``, ``board.members``, ``board.chair``, ``employees.headcount``,
        ``employees.open_letter_signatories``, ``structure`` and ``stakeholders.<id>``.
        Costs one pass over the events up to ``when``; meant for answers shown to people.
        """
        instant = self.resolve(when, tz)
        replay = self._replay
        stop = replay.position(instant.timestamp())
        found: dict[str, EventRecord] = {}
        before = _headline(replay.checkpoints[0])
        for event, state in replay.walk(0, stop):
            after = _headline(state)
            for key, value in after.items():
                if before.get(key) != value:
                    found[key] = event
            before = after
        return {key: record.to_event() for key, record in found.items()}

    def between(self, start: datetime | None, end: datetime | None) -> list[EventBase]:
        """Events with ``start < at <= end`` (either bound may be None)."""
        low = float("-inf") if start is None else start.timestamp()
        high = float("inf") if end is None else end.timestamp()
        replay = self._replay
        return [
            e.to_event() for e in replay.applied[bisect_right(replay.times, low) : bisect_right(replay.times, high)]
        ]


def _headline(state: OrgState) -> dict[str, object]:
    values: dict[str, object] = {
        "ceo": state.ceo,
        "board.members": frozenset(state.seats),
        "board.chair": state.chair,
        # A count is its number with its qualifier: "more than 700" is set by another event than "nearly 700".
        "employees.headcount": (state.headcount, state.headcount_qualifier),
        "employees.open_letter_signatories": (
            state.open_letter_signatories,
            state.signatures_qualifier,
            frozenset(state.signatories),
        ),
        "structure": state.structure,
    }
    for sid, stakeholder in state.stakeholders.items():
        values[f"stakeholders.{sid}"] = stakeholder
    return values


def load_timeline(path: str | Path | None = None) -> Timeline:
    """Load and replay a timeline folder; the bundled OpenAI timeline when ``path`` is None.

    Raises :class:`~orgsim.errors.LoadError` for a bad file and
    :class:`~orgsim.errors.ReplayError` for an event that cannot apply, each
    naming the file, the event and the field.
    """
    folder = Path(path) if path is not None else bundled_timeline_path()
    loaded = load_folder(folder)
    try:
        return Timeline.from_events(
            loaded.manifest, loaded.events, origins=loaded.origins, folder=loaded.folder, epochs=loaded.epochs
        )
    except OrgsimError as error:  # origins are relative to the folder: name a file the user can open
        raise relocate(error, loaded.folder) from None
