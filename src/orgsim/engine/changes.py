"""What each applied event changed: an append-only log the working state's write methods keep.

Every write to the state goes through one of :class:`~orgsim.engine.working.WorkingState`'s
write methods, and each records one entry here: the position of the event
being applied (its index among the applied events), the table written (an
office, a board seat, the chair, a count, a person, a stakeholder, the
structure, a vote) and its key, and the value written. So the log says, for
every event, which parts of the state it set, at a cost of a few appends per
write (no state is compared or copied to find out).

Queries (tenures, the age of a value, divergence between two worlds, what
an event changed) read the log instead of walking states: their cost follows
the number of changes, not events times fields. See :mod:`orgsim.query.changes`.

A what-if world that reuses its base's checkpoints up to position ``n`` also
shares the base's log up to there (:meth:`ChangeLog.fork`): nothing is copied.

>>> log = ChangeLog()
>>> log.write(0, OFFICE, "ceo", "ada")
>>> log.write(3, OFFICE, "ceo", None)
>>> list(log.entries(OFFICE))
[(0, 'ceo', 'ada'), (3, 'ceo', None)]
>>> world = log.fork(2)
>>> world.write(2, OFFICE, "ceo", "bob")
>>> list(world.entries(OFFICE))
[(0, 'ceo', 'ada'), (2, 'ceo', 'bob')]
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterator
from typing import Any

OFFICE = 0
"""An office: key the office's name, value its :class:`~orgsim.model.state.Holder` or None (vacated)."""
SEAT = 1
"""A board seat: key the person, value their :class:`~orgsim.model.state.Seat` or None (left the board)."""
CHAIR = 2
"""The chair: no key, value the chair's id or None."""
HEADCOUNT = 3
"""The reported headcount: no key, value ``(count, qualifier, detail)`` (a :class:`~orgsim.model.state.CountDetail`
or None)."""
SIGNATURES = 4
"""The reported open-letter signatures: no key, value ``(count, qualifier, detail)``."""
SIGNATORY = 5
"""A person named as signing: key the person, value True."""
PERSON = 6
"""A person's standing: key the person, value their :class:`~orgsim.model.state.PersonState`."""
STAKEHOLDER = 7
"""A stakeholder's role: key its id, value its :class:`~orgsim.model.state.StakeholderState`."""
STRUCTURE = 8
"""The organisation's structure: no key, value the text."""
VOTE = 9
"""A board vote's outcome: key the vote's event id, value its :class:`~orgsim.model.state.VoteRecord`."""
ANNOUNCEMENT = 10
"""An announcement: key the announced event's id, value True (now pending) or False (no longer pending)."""
OFFER = 11
"""An offer: key the offer's event id, value its status (``open``, ``accepted``, ``declined``, ``withdrawn``)."""
TABLES = (
    "office",
    "seat",
    "chair",
    "headcount",
    "signatures",
    "signatory",
    "person",
    "stakeholder",
    "structure",
    "vote",
    "announcement",
    "offer",
)
"""Each table's name, by number."""

Entry = tuple[int, Any, Any]
"""``(position, key, value)``: the event at ``position`` set ``key`` of a table to ``value``."""


class _Table:
    """One table's entries in order of position: parallel arrays, and the part of a parent's log shared."""

    __slots__ = ("cut", "keys", "parent", "positions", "values")

    def __init__(self, parent: _Table | None = None, cut: int = 0) -> None:
        self.positions = array("q")
        self.keys: list[Any] = []
        self.values: list[Any] = []
        self.parent = parent
        self.cut = cut
        """How many of the parent's entries come first."""

    def __len__(self) -> int:
        return self.cut + len(self.positions)

    def entries(self, skip: int = 0) -> Iterator[Entry]:
        """The entries in order, leaving out the first ``skip``."""
        if self.parent is not None and skip < self.cut:
            yield from _head(self.parent, self.cut, skip)
        own = max(0, skip - self.cut)
        yield from zip(self.positions[own:], self.keys[own:], self.values[own:], strict=True)

    def before(self, position: int) -> int:
        """How many entries have a position below ``position``."""
        own = bisect_left(self.positions, position)
        if own or self.parent is None:
            return self.cut + own
        return min(self.cut, self.parent.before(position))


def _head(table: _Table, count: int, skip: int = 0) -> Iterator[Entry]:
    """The first ``count`` entries of ``table``, leaving out the first ``skip``."""
    if table.parent is not None:
        shared = min(count, table.cut)
        if skip < shared:
            yield from _head(table.parent, shared, skip)
        count -= shared
        skip = max(0, skip - shared)
    yield from zip(table.positions[skip:count], table.keys[skip:count], table.values[skip:count], strict=True)


class ChangeLog:
    """The changes of one replay, table by table (see the module's documentation)."""

    __slots__ = ("_fork_position", "_tables")

    def __init__(self, tables: list[_Table] | None = None, fork_position: int = 0) -> None:
        self._tables = tables if tables is not None else [_Table() for _ in TABLES]
        self._fork_position = fork_position

    @property
    def fork_position(self) -> int:
        """The position before which this log is its parent's (0: a log of its own from the start)."""
        return self._fork_position

    def write(self, position: int, table: int, key: Any, value: Any) -> None:
        """Record that the event at ``position`` set ``key`` of ``table`` to ``value``."""
        entries = self._tables[table]
        entries.positions.append(position)
        entries.keys.append(key)
        entries.values.append(value)

    def appender(self, table: int) -> tuple[Any, Any, Any]:
        """The three ``append`` methods of a table (the working state's fast path to :meth:`write`)."""
        entries = self._tables[table]
        return entries.positions.append, entries.keys.append, entries.values.append

    def entries(self, table: int, since: int = 0) -> Iterator[Entry]:
        """Every entry of ``table`` at or after position ``since``, in order of position."""
        entries = self._tables[table]
        return entries.entries(entries.before(since) if since else 0)

    def count(self, table: int) -> int:
        """How many entries ``table`` has."""
        return len(self._tables[table])

    def fork(self, position: int) -> ChangeLog:
        """A log for a world that shares this one's entries before ``position`` and writes its own after."""
        return ChangeLog([_Table(table, table.before(position)) for table in self._tables], position)
