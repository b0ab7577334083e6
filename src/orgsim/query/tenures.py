"""Who held what, from when to when: every holding of an office, a board seat and the chair, read off the change log.

A tenure runs from the instant its holder took the office (or seat, or
chair) to the instant it passed to someone else or fell vacant, or on to the
end of the timeline. Changes at one instant count as one: a change and its
reversal at the same instant leave no tenure. Each tenure names the event
that began it (the one whose write made the holder hold it) and the event
that ended it. The cost follows the number of changes to offices, seats and
the chair, not the number of events.

>>> import orgsim
>>> found = tenures(orgsim.load_timeline().replay)
>>> [(t.person, t.interim) for t in found if t.kind == "office" and t.key == "ceo"][:3]
[('sam-altman', False), ('mira-murati', True), ('emmett-shear', True)]
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from orgsim.engine import changes as log
from orgsim.engine.replay import Replay

Kind = Literal["office", "board", "chair"]


@dataclass(frozen=True, slots=True)
class Held:
    """One holding: ``person`` held ``key`` (an office's name, or the board seat or chair) over applied positions.

    ``start`` is the position of the event that began it; ``end`` that of the
    event that ended it (None: held to the end of the timeline). ``role`` is
    ``office``, ``voting``/``observer`` for a seat, or ``chair``.
    """

    kind: Kind
    key: str
    person: str
    start: int
    end: int | None
    interim: bool = False
    role: str = "office"
    independent: bool = False
    representing: str | None = None


def tenures(replay: Replay, kinds: frozenset[Kind] = frozenset({"office", "board", "chair"})) -> list[Held]:
    """Every tenure of ``replay``, in order of start (offices, then board seats, then the chair at one start)."""
    times = replay.times
    found: list[Held] = []
    if "office" in kinds:
        found += _holdings(replay.changes.entries(log.OFFICE), times, _office)
    if "board" in kinds:
        found += _holdings(replay.changes.entries(log.SEAT), times, _seat)
    if "chair" in kinds:
        found += _holdings(((p, "chair", v) for p, _, v in replay.changes.entries(log.CHAIR)), times, _chair)
    order = {"office": 0, "board": 1, "chair": 2}
    found.sort(key=lambda t: (t.start, order[t.kind]))
    return found


def _office(key: str, value: Any, start: int) -> Held | None:
    return None if value is None else Held("office", key, value.person, start, None, value.interim)


def _seat(key: str, value: Any, start: int) -> Held | None:
    if value is None:
        return None
    return Held("board", key, key, start, None, False, value.role, value.independent, value.representing)


def _chair(key: str, value: Any, start: int) -> Held | None:
    return None if value is None else Held("chair", "chair", value, start, None, False, "chair")


def _holdings(entries: Iterator[log.Entry], times: Any, make: Any) -> list[Held]:
    """Turn one table's writes into holdings.

    Writes to one key at one instant count as one change: what the key holds
    after the last of them. The holding that ends is ended by the first of
    them that wrote something else; the one that begins is begun by the
    first of the last run that wrote what is then held.
    """
    done: list[Held] = []
    held: dict[Any, tuple[Any, int]] = {}  # key -> (value held, position of the write that began it)
    pending: dict[Any, list[tuple[int, Any]]] = {}  # key -> the writes at one instant, not yet counted

    def settle(key: Any, writes: list[tuple[int, Any]]) -> None:
        before = held.get(key, (None, -1))[0]
        final = writes[-1][1]
        if final == before:
            return  # changed and changed back, or written again unchanged
        ender = next(position for position, value in writes if value != before)
        begun = len(writes) - 1
        while begun and writes[begun - 1][1] == final:
            begun -= 1
        if before is not None:
            closing = make(key, before, held[key][1])
            if closing is not None:
                done.append(_ended(closing, ender))
        held[key] = (final, writes[begun][0])

    for position, key, value in entries:
        writes = pending.get(key)
        if writes is not None and times[writes[0][0]] != times[position]:
            settle(key, writes)
            writes = None
        if writes is None:
            pending[key] = [(position, value)]
        else:
            writes.append((position, value))
    for key, writes in pending.items():
        settle(key, writes)
    for key, (value, position) in held.items():
        opening = make(key, value, position)
        if opening is not None:
            done.append(opening)
    return done


def _ended(held: Held, end: int) -> Held:
    return Held(
        held.kind, held.key, held.person, held.start, end, held.interim, held.role, held.independent, held.representing
    )
