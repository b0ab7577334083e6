"""Time input, zones and display: the only module that does datetime arithmetic.

User input goes through pendulum; bulk loading of event files does not (the
event models parse ISO-8601 in pydantic's core, which is far faster).

Rules for an instant typed by a user:

* ISO-8601 with an offset (``2023-11-18T12:00-08:00``) is taken as is.
* A naive date-time is read in ``tz`` (the timeline's home zone by default).
* A bare date (``2023-11-18``) means the end of that day in that zone; a bare
  month (``2024-06``) the end of that month, a bare year the end of the year.
  As the start of a range (``bound="start"``), each means its start instead.

>>> resolve_instant("2023-11-18", "America/Los_Angeles").isoformat()
'2023-11-18T23:59:59.999999-08:00'
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any, Literal

import pendulum

from orgsim.errors import TimeInputError

Precision = Literal["minute", "hour", "day", "month", "year"]
InstantLike = str | datetime | date

_BARE_YEAR = re.compile(r"^\d{4}$")
_BARE_MONTH = re.compile(r"^\d{4}-\d{2}$")


def zone(name: str) -> pendulum.Timezone:
    """The pendulum zone called ``name``; :class:`TimeInputError` if unknown."""
    try:
        return _zone(name)
    except (ValueError, pendulum.tz.exceptions.InvalidTimezone) as exc:
        raise TimeInputError(
            f"unknown time zone {name!r} (use an IANA name such as America/Los_Angeles)", field="tz"
        ) from exc


@lru_cache(maxsize=64)
def _zone(name: str) -> pendulum.Timezone:
    # Reading a zone from the tz database takes tens of microseconds; zones never change in a process.
    return pendulum.timezone(name)


Bound = Literal["start", "end"]
"""Which end of a bare period (a date, a month, a year) an input means: ``--from`` takes its start, ``--to`` its end."""


def resolve_instant(value: InstantLike, tz: str, *, bound: Bound = "end") -> pendulum.DateTime:
    """Resolve user input to an aware instant, following the module's rules.

    ``value`` may be a string, a ``datetime`` (naive ones are read in ``tz``)
    or a ``date``. A bare period (a date, ``2024-06``, ``2024``) means its
    end by default, its start with ``bound="start"`` (the start of a range).

    >>> resolve_instant("2023-11-18", "UTC", bound="start").isoformat()
    '2023-11-18T00:00:00+00:00'
    """
    home = zone(tz)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return pendulum.instance(value, tz=home)
        return pendulum.instance(value)
    if isinstance(value, date):
        return _bound(pendulum.datetime(value.year, value.month, value.day, tz=home), "day", bound)
    if not isinstance(value, str):
        raise TimeInputError(f"expected an instant as text, datetime or date, got {type(value).__name__}")
    text = value.strip()
    if not text:
        raise TimeInputError("empty instant")
    if _BARE_YEAR.match(text):
        return _bound(pendulum.datetime(int(text), 1, 1, tz=home), "year", bound)
    if _BARE_MONTH.match(text):
        year, month = (int(part) for part in text.split("-"))
        if not 1 <= month <= 12:
            raise TimeInputError(f"cannot read {text!r} as an instant: month {month} does not exist")
        return _bound(pendulum.datetime(year, month, 1, tz=home), "month", bound)
    try:
        parsed = pendulum.parse(text, exact=True, tz=home)
    except (ValueError, TypeError) as exc:
        raise TimeInputError(
            f"cannot read {text!r} as an instant "
            "(use ISO-8601, e.g. 2023-11-18T12:00, 2023-11-18T12:00-08:00 or 2023-11-18)"
        ) from exc
    if isinstance(parsed, pendulum.DateTime):
        _refuse_skipped_wall_time(text, parsed, tz)
        return parsed
    if isinstance(parsed, pendulum.Date):
        return _bound(pendulum.datetime(parsed.year, parsed.month, parsed.day, tz=home), "day", bound)
    raise TimeInputError(f"cannot read {text!r} as an instant: it is a time or a duration, not a date")


def _bound(start: pendulum.DateTime, unit: Literal["day", "month", "year"], bound: Bound) -> pendulum.DateTime:
    return start if bound == "start" else start.end_of(unit)


def _refuse_skipped_wall_time(text: str, parsed: pendulum.DateTime, tz: str) -> None:
    """A naive time that the zone skips (clocks jump forward) names no instant: say so, don't guess."""
    try:
        wall = datetime.fromisoformat(text)
    except ValueError:
        return
    if wall.tzinfo is None and parsed.naive() != wall:
        raise TimeInputError(
            f"{text} does not exist in {tz} (the clocks skip it that day); give an offset, "
            f"e.g. {text}{parsed.subtract(hours=1).format('Z')}"
        )


def epoch(instant: datetime) -> float:
    """Seconds since the Unix epoch of an aware instant (the replay sort key)."""
    return instant.timestamp()


def in_zone(instant: datetime, tz: str) -> pendulum.DateTime:
    """``instant`` expressed in the zone ``tz``."""
    return pendulum.instance(instant).in_tz(zone(tz))


def isoformat(instant: datetime, tz: str | None = None) -> str:
    """ISO-8601 text of ``instant``, in ``tz`` when given."""
    moment = in_zone(instant, tz) if tz else pendulum.instance(instant)
    return moment.isoformat()


_DISPLAY = {
    "minute": "ddd YYYY-MM-DD HH:mm zz",
    "hour": "ddd YYYY-MM-DD HH:00 zz",
    "day": "ddd YYYY-MM-DD",
    "month": "YYYY-MM",
    "year": "YYYY",
}


def display(instant: datetime, tz: str, precision: Precision = "minute") -> str:
    """Human text of ``instant`` in ``tz``, no finer than ``precision`` allows.

    >>> from datetime import datetime, timezone
    >>> display(datetime(2023, 11, 17, 20, 0, tzinfo=timezone.utc), "America/Los_Angeles")
    'Fri 2023-11-17 12:00 PST'
    """
    text = in_zone(instant, tz).format(_DISPLAY[precision])
    return text if precision == "minute" else f"{text} ({precision})"


def offset_table(name: str, first: datetime | None, last: datetime | None) -> list[list[Any]]:
    """UTC offsets of zone ``name`` from ``first`` to ``last``: ``[[from_ms, minutes, abbreviation], ...]``.

    What a page's script needs to show instants in a zone without doing zone
    arithmetic of its own.

    The first entry (``from_ms`` None) holds from the beginning of time, the
    last one on to the end. Offsets come from pendulum, sampled weekly over
    the timeline's span (and a margin for panning) with each change located
    to the second by bisection: zones change offset at most a few times a year.
    """
    if first is None or last is None:
        instant = datetime.now(UTC)
        return [[None, *utc_offset(name, instant.timestamp())]]
    low, high = first.timestamp(), last.timestamp()
    margin = (high - low) * 0.25 + 60 * 86400
    step = 7 * 86400
    start, stop = int(low - margin), int(high + margin)
    table: list[list[Any]] = [[None, *utc_offset(name, start)]]
    previous, current = start, utc_offset(name, start)
    for probe in range(start + step, stop + step, step):
        found = utc_offset(name, probe)
        if found != current:
            early, late = previous, probe
            while late - early > 1:
                middle = (early + late) // 2
                if utc_offset(name, middle) == current:
                    early = middle
                else:
                    late = middle
            table.append([late * 1000, *utc_offset(name, late)])
            current = found
        previous = probe
    return table


def utc_offset(name: str, epoch: float) -> tuple[int, str]:
    """The offset in minutes and the abbreviation of zone ``name`` at a Unix timestamp."""
    local = in_zone(datetime.fromtimestamp(epoch, UTC), name)
    offset = local.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    return minutes, local.format("zz")
