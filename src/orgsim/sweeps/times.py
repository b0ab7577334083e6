"""Time in sweeps: the window an event's precision allows, instants to observe, and sampled instants.

An event the sources date only to the hour, day, month or year could have
happened at any instant of that period of the calendar of its zone (the
zone its source uses, by default the timeline's home zone); a minute-precise
event is its instant. A sweep samples such events uniformly inside their
window (see :class:`~orgsim.sweeps.uncertain.TimesFactor`). Every
conversion goes through :mod:`orgsim.times` and pendulum.

>>> import orgsim
>>> history = orgsim.load_timeline()
>>> vote = history.basis().event("2023-11-17-board-votes-to-remove-altman")  # dated to the day, in California
>>> low, high = precision_window(vote, history.home_zone)
>>> instant(low).isoformat(), instant(high).isoformat()
('2023-11-17T08:00:00+00:00', '2023-11-18T07:59:59.999999+00:00')
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Literal

import pendulum

from orgsim.errors import TimeInputError
from orgsim.model.records import EventRecord
from orgsim.times import in_zone, parse_duration, resolve_instant

_UNITS = ("hour", "day", "month", "year")


def precision_window(event: EventRecord, home_zone: str) -> tuple[float, float]:
    """The first and last instants (Unix timestamps) ``event``'s precision allows; equal for a minute-precise one."""
    if event.precision not in _UNITS:
        epoch = event.at.timestamp()
        return epoch, epoch
    local = in_zone(event.at, event.zone or home_zone)
    unit: Literal["hour", "day", "month", "year"] = event.precision  # type: ignore[assignment]
    return local.start_of(unit).timestamp(), local.end_of(unit).timestamp()


def instant(epoch: float) -> datetime:
    """The aware instant of a Unix timestamp, in UTC."""
    # The standard library's conversion: pendulum's costs some 30 µs, and a sampled world makes one per event moved.
    return datetime.fromtimestamp(epoch, UTC)


def jitter_window(event: EventRecord, duration: str) -> tuple[float, float]:
    """``event``'s instant, ``duration`` (ISO-8601) either side, as Unix timestamps."""
    span = parse_duration(duration)
    moment = pendulum.instance(event.at)
    return (moment - span).timestamp(), (moment + span).timestamp()


def between_window(start: str, end: str, home_zone: str) -> tuple[float, float]:
    """Two instants typed as ``--from`` and ``--to`` are (a bare date: its start, its end), as Unix timestamps."""
    low = resolve_instant(start, home_zone, bound="start")
    high = resolve_instant(end, home_zone)
    if high < low:
        raise TimeInputError(f"{end} ({high.isoformat()}) is before {start} ({low.isoformat()})")
    return low.timestamp(), high.timestamp()


def observation_instants(at: Any, home_zone: str, tz: str | None = None) -> tuple[pendulum.DateTime, ...]:
    """The instants a sweep observes: one typed instant, a list, or ``{start, end, every}`` (an InstantRange).

    Each is read as ``orgsim state --at`` reads one (naive: in ``tz``, else the home zone). A range runs from its
    start every step up to its end included; at most 10,000 instants.
    """
    zone = tz or home_zone
    if isinstance(at, str):
        return (resolve_instant(at, zone),)
    if isinstance(at, Sequence):
        instants = sorted({resolve_instant(item, zone) for item in at})
        if not instants:
            raise TimeInputError("no instant to observe")
        return tuple(instants)
    start = resolve_instant(at.start, zone, bound="start")
    end = resolve_instant(at.end, zone)
    step = parse_duration(at.every)
    found: list[pendulum.DateTime] = []
    moment = in_zone(start, zone)
    while moment <= end:
        found.append(moment)
        if len(found) > 10_000:
            raise TimeInputError(f"more than 10,000 instants from {at.start} to {at.end} every {at.every}")
        moment = moment + step
    if not found:
        raise TimeInputError(f"no instant from {at.start} to {at.end}")
    return tuple(found)
