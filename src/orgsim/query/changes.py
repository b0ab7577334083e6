"""The change index: what each event changed, by path of the state contract, read off a replay's change log.

The engine's write methods log every write (:mod:`orgsim.engine.changes`):
which table, which key, the value written, and the position of the event.
This module turns those entries into the state contract's terms: for each
path (``offices.ceo``, ``board.members``, ``people.sam-altman.at_org``...),
the sequence of values it took and the events that set them. Divergence,
tenures, provenance and the Gantt chart are all read from here, so their
cost follows the number of changes, not events times fields.

Values are the contract's leaf values, as :func:`orgsim.model.paths.value_at`
gives them (an office is ``{"person": ..., "interim": ...}`` or None, a list
of ids is sorted).

>>> import orgsim
>>> index = ChangeIndex(orgsim.load_timeline().replay)
>>> ceo = index.series()["offices.ceo"]
>>> [(index.event(c.position).id, c.value["person"]) for c in ceo.changes][:2]
[('2023-11-baseline-ceo-altman', 'sam-altman'), ('2023-11-17-murati-named-interim-ceo', 'mira-murati')]
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from orgsim.engine import changes as log
from orgsim.engine.replay import Replay
from orgsim.model.paths import office_value, person_values, stakeholder_values, value_at
from orgsim.model.records import EventRecord
from orgsim.model.state import OrgState, Seat, count_range


@dataclass(frozen=True, slots=True)
class Change:
    """One change of one path: the event at ``position`` (among the applied events) set it to ``value``."""

    position: int
    value: Any


@dataclass(slots=True)
class Series:
    """The values one path took from a starting position on: its value there, then each change, in order.

    Consecutive writes of an equal value are one change (the first of them set it).
    """

    path: str
    start: Any
    changes: list[Change] = field(default_factory=list)

    def add(self, position: int, value: Any) -> None:
        """Record that the event at ``position`` set the path to ``value`` (ignored when it is unchanged)."""
        last = self.changes[-1].value if self.changes else self.start
        if value != last:
            self.changes.append(Change(position, value))

    def set_by(self, count: int) -> int | None:
        """The position of the event that set the value held once ``count`` events have happened (None: the start)."""
        index = bisect_left(self.changes, count, key=_position)
        return self.changes[index - 1].position if index else None

    def value_after(self, count: int) -> Any:
        """The value once the first ``count`` applied events have happened."""
        index = bisect_left(self.changes, count, key=_position)
        return self.changes[index - 1].value if index else self.start


def _position(change: Change) -> int:
    return change.position


class _Every:
    """Every key of a table (for :meth:`ChangeIndex.series`'s ``only``)."""

    def __contains__(self, key: object) -> bool:
        return True

    def __bool__(self) -> bool:
        return True


EVERY_KEY: Any = _Every()
"""In ``only``: every key of that table."""


class ChangeIndex:
    """What each event of one replay changed, path by path (see the module's documentation)."""

    def __init__(self, replay: Replay) -> None:
        self.replay = replay

    def event(self, position: int) -> EventRecord:
        """The applied event at ``position``."""
        return self.replay.applied[position]

    def epoch(self, position: int) -> float:
        """The instant of the applied event at ``position``, as a Unix timestamp."""
        return self.replay.times[position]

    def series(
        self, since: int = 0, only: Mapping[int, set[Any]] | None = None, paths: Collection[str] | None = None
    ) -> dict[str, Series]:
        """Every path some event at or after position ``since`` changed, with the values it took from there.

        Each series starts from the path's value once the first ``since``
        events have happened. Paths that changed only before ``since`` are
        left out. ``only``, when given, limits the series to the keys it
        lists for each table (see :mod:`orgsim.engine.changes`); ``paths``,
        when given, to those paths.
        """
        replay = self.replay
        start = replay.state_after(since)
        found: dict[str, Series] = {}

        def put(path: str, position: int, value: Any) -> None:
            if paths is not None and path not in paths:
                return
            series = found.get(path)
            if series is None:
                series = found[path] = Series(path, value_at(start, path))
            series.add(position, value)

        changes = replay.changes

        def _since(table: int, since: int) -> Iterator[log.Entry]:
            entries = changes.entries(table, since)
            if only is None:
                return entries
            keys = only.get(table)
            if not keys:
                return iter(())
            return (entry for entry in entries if entry[1] in keys)

        for position, office, holder in _since(log.OFFICE, since):
            put(f"offices.{office}", position, office_value(holder))
        for position, _, person in _since(log.CHAIR, since):
            put("board.chair", position, person)
        for position, _, (count, qualifier, detail) in _since(log.HEADCOUNT, since):
            put("employees.headcount", position, count)
            put("employees.headcount_qualifier", position, qualifier)
            put("employees.headcount_range", position, count_range(detail))
        for position, _, (count, qualifier, detail) in _since(log.SIGNATURES, since):
            put("employees.open_letter_signatories", position, count)
            put("employees.open_letter_qualifier", position, qualifier)
            put("employees.open_letter_range", position, count_range(detail))
        if only is None or only.get(log.SIGNATORY) or only.get(log.SIGNATURES):
            # The names follow from every name reported, and are known from the first report of a count.
            named = set(start.signatories)
            moments = sorted(
                [(position, person) for position, person, _ in changes.entries(log.SIGNATORY, since)]
                + [(position, None) for position, _, _ in changes.entries(log.SIGNATURES, since)],
                key=lambda entry: entry[0],
            )
            for position, person in moments:
                if person is not None:
                    named.add(person)
                put("employees.named_signatories", position, sorted(named))
        for position, person, standing in _since(log.PERSON, since):
            for leaf, value in person_values(standing).items():
                put(f"people.{person}.{leaf}", position, value)
        for position, stakeholder, role in _since(log.STAKEHOLDER, since):
            for leaf, value in stakeholder_values(role).items():
                put(f"stakeholders.{stakeholder}.{leaf}", position, value)
        for position, _, text in _since(log.STRUCTURE, since):
            put("structure", position, text)
        for position, vote, record in _since(log.VOTE, since):
            put(f"votes.{vote}", position, {"motion": record.motion, "passed": record.passed, "tally": record.tally})
        if only is None or only.get(log.SEAT):
            self._board_series(start, since, put)
        return found

    def _board_series(self, start: OrgState, since: int, put: Any) -> None:
        """``board.*`` and each stakeholder's ``board_seat`` follow from the seats as a whole."""
        seats: dict[str, Seat] = dict(start.seats)
        unknown = not start.is_known("board")  # the first seat makes every stakeholder's board seat known
        for position, person, seat in self.replay.changes.entries(log.SEAT, since):
            before = seats.get(person)
            if seat is None:
                seats.pop(person, None)
            else:
                seats[person] = seat
            put("board.members", position, sorted(p for p, s in seats.items() if s.role == "voting"))
            put("board.observers", position, sorted(p for p, s in seats.items() if s.role != "voting"))
            put("board.independent", position, sorted(p for p, s in seats.items() if s.independent))
            touched = {s.representing for s in (before, seat) if s is not None and s.representing}
            if unknown:
                touched |= set(start.stakeholders)
                unknown = False
            for stakeholder in touched:
                roles = {s.role for s in seats.values() if s.representing == stakeholder}
                shown = "voting" if "voting" in roles else "observer" if roles else "none"
                put(f"stakeholders.{stakeholder}.board_seat", position, shown)
