"""Time input, zones and display: the only module that does datetime arithmetic.

User input goes through pendulum; bulk loading of event files does not (the
event models parse ISO-8601 in pydantic's core, which is far faster).

Rules for an instant typed by a user:

* ISO-8601 with an offset (``2023-11-18T12:00-08:00``) is taken as is.
* A naive date-time is read in ``tz`` (the timeline's home zone by default).
* A bare date (``2023-11-18``) means the end of that day in that zone; a bare
  ISO week (``2023-W47``) the end of its Sunday, a bare month (``2024-06``)
  the end of that month, a bare year the end of the year. As the start of a
  range (``bound="start"``), each means its start instead.
* A naive time the zone skips (clocks go forward) or passes twice (clocks go
  back) names no single instant: it is refused, with the offsets to choose from,
  in every ISO-8601 spelling (ordinal ``2024-070T02:30``, week date
  ``2024-W10-7T02:30``, basic ``20240310T0230``) and as a naive ``datetime``.
* A week, or a day of a week, that does not exist (``2023-W00``, ``2023-W53``
  of a 52-week year, ``2023-W01-0``) is refused.

>>> resolve_instant("2023-11-18", "America/Los_Angeles").isoformat()
'2023-11-18T23:59:59.999999-08:00'
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any, Literal

import pendulum
from pendulum.parsing.exceptions import ParserError

from orgsim.errors import TimeInputError

Precision = Literal["minute", "hour", "day", "month", "year"]
InstantLike = str | datetime | date

_BARE_YEAR = re.compile(r"^\d{4}$")
_BARE_MONTH = re.compile(r"^\d{4}-\d{2}$")
_BARE_WEEK = re.compile(r"^(\d{4})-?W(\d{2})$", re.IGNORECASE)


def zone(name: str) -> pendulum.Timezone | pendulum.FixedTimezone:
    """The zone called ``name``; :class:`TimeInputError` if there is none.

    An IANA name in any case (``Asia/Shanghai``, ``asia/shanghai``), or a
    fixed offset (``+08:00``, ``+0800``, ``UTC+8``, ``GMT-05:30``). An
    abbreviation (``PST``, ``CST``, ``IST``) names no zone: it is refused
    with a line suggesting the zones that use it.

    >>> zone("asia/shanghai").name, zone("UTC+8").name
    ('Asia/Shanghai', '+08:00')
    """
    try:
        return _zone(name)
    except _UnknownZone:
        raise TimeInputError(_unknown_zone_message(name), field="tz") from None


def zone_name(name: str) -> str:
    """The canonical spelling of the zone ``name`` (``asia/shanghai`` -> ``Asia/Shanghai``, ``UTC+8`` -> ``+08:00``)."""
    return str(zone(name).name)


class _UnknownZone(Exception):
    pass


_OFFSET = re.compile(r"^(?:(?:UTC|GMT)\s*)?([+-])(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)


@lru_cache(maxsize=64)
def _zone(name: str) -> pendulum.Timezone | pendulum.FixedTimezone:
    # Reading a zone from the tz database takes tens of microseconds; zones never change in a process.
    if not isinstance(name, str) or not name or len(name) > 64 or not name.isprintable():
        raise _UnknownZone(name)
    try:
        return pendulum.timezone(name)
    except (ValueError, OSError, pendulum.tz.exceptions.InvalidTimezone):
        pass
    offset = _OFFSET.match(name.strip())
    if offset is not None:
        sign, hours, minutes = offset.group(1), int(offset.group(2)), int(offset.group(3) or 0)
        if hours <= 14 and minutes < 60:
            seconds = (1 if sign == "+" else -1) * (hours * 3600 + minutes * 60)
            return pendulum.FixedTimezone(seconds, name=f"{sign}{hours:02d}:{minutes:02d}")
    canonical = _zone_names().get(name.strip().lower())
    if canonical is not None:
        return pendulum.timezone(canonical)
    raise _UnknownZone(name)


@lru_cache(maxsize=1)
def _zone_names() -> dict[str, str]:
    """Every IANA zone name the tz database has, by its lower-case spelling."""
    import zoneinfo  # only a zone name in another case, or an unknown one, needs the list

    return {name.lower(): name for name in sorted(zoneinfo.available_timezones())}


# Zones preferred as the example when several share an abbreviation; otherwise the first by name.
_WELL_KNOWN = (
    "America/Los_Angeles",
    "America/Denver",
    "America/Chicago",
    "America/New_York",
    "America/Halifax",
    "America/Sao_Paulo",
    "America/Havana",
    "Europe/London",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Athens",
    "Europe/Moscow",
    "Africa/Lagos",
    "Africa/Johannesburg",
    "Africa/Nairobi",
    "Asia/Kolkata",
    "Asia/Jerusalem",
    "Asia/Riyadh",
    "Asia/Dubai",
    "Asia/Karachi",
    "Asia/Dhaka",
    "Asia/Jakarta",
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Manila",
    "Asia/Seoul",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
    "Pacific/Honolulu",
    "Europe/Dublin",
)
_AREAS = ("Africa/", "America/", "Antarctica/", "Asia/", "Atlantic/", "Australia/", "Europe/", "Indian/", "Pacific/")


def _unknown_zone_message(name: object) -> str:
    text = name if isinstance(name, str) else repr(name)
    hint = "use an IANA name such as America/Los_Angeles, or an offset such as +08:00"
    if re.fullmatch(r"[A-Za-z]{2,5}", text.strip()):
        users = _zones_using(text.strip().upper())
        if len(users) > 1:
            examples = ", ".join(f"{zone_} {offset}" for zone_, offset in users)
            return (
                f"{text!r} is an abbreviation, not a time zone: zones at different offsets use it ({examples}), "
                f"and it says nothing of summer time; give an IANA name such as {users[0][0]}, "
                f"or an offset such as {users[0][1]}"
            )
        if users:
            return (
                f"{text!r} is an abbreviation, not a time zone (it says nothing of summer time): give an IANA name "
                f"such as {users[0][0]} (which uses it), or an offset such as {users[0][1]}"
            )
    import difflib  # only an unknown zone needs it

    names = _zone_names()
    key = text.strip().lower().replace(" ", "_")
    cities = {canonical.rsplit("/", 1)[-1].lower(): canonical for canonical in names.values() if "/" in canonical}
    close = [cities[key]] if key in cities else []
    close += [names[n] for n in difflib.get_close_matches(key, list(names), n=2, cutoff=0.8)]
    if close:
        hint = f"did you mean {', '.join(dict.fromkeys(close))}? ({hint})"
    return f"unknown time zone {text!r} ({hint})" if not close else f"unknown time zone {text!r}: {hint}"


def _zones_using(abbreviation: str) -> list[tuple[str, str]]:
    """One zone per UTC offset among the zones that call themselves ``abbreviation`` (in 2024), best known first."""
    found: dict[str, list[str]] = {}
    for name in _zone_names().values():
        if not name.startswith(_AREAS):
            continue
        for month in (1, 7):
            local = pendulum.datetime(2024, month, 15, 12, tz=pendulum.timezone(name))
            if local.tzname() == abbreviation:
                found.setdefault(local.format("Z"), []).append(name)
                break
    rank = {name: index for index, name in enumerate(_WELL_KNOWN)}
    chosen = [(min(zones, key=lambda z: (rank.get(z, len(rank)), z)), offset) for offset, zones in found.items()]
    return sorted(chosen, key=lambda pair: (rank.get(pair[0], len(rank)), pair[0]))


Bound = Literal["start", "end"]
"""Which end of a bare period (a date, a month, a year) an input means: ``--from`` takes its start, ``--to`` its end."""


def resolve_instant(value: InstantLike, tz: str, *, bound: Bound = "end") -> pendulum.DateTime:
    """Resolve user input to an aware instant, following the module's rules.

    ``value`` may be a string, a ``datetime`` (naive ones are read in ``tz``,
    by the same rules as text: a wall time ``tz`` skips or repeats is refused)
    or a ``date``. A bare period (a date, ``2024-06``, ``2024``) means its
    end by default, its start with ``bound="start"`` (the start of a range).

    >>> resolve_instant("2023-11-18", "UTC", bound="start").isoformat()
    '2023-11-18T00:00:00+00:00'
    """
    home = zone(tz)
    try:
        instant = _resolve(value, home, bound)
        year = instant.in_tz("UTC").year
    except OverflowError:
        year = 0
    if not FIRST_YEAR <= year <= LAST_YEAR:
        shown = value if isinstance(value, str) else repr(value)
        raise TimeInputError(f"{shown!r} is out of range (orgsim reads instants of years {FIRST_YEAR} to {LAST_YEAR})")
    return instant


FIRST_YEAR, LAST_YEAR = 2, 9998
"""The years (in UTC) an instant given by a user may fall in: a margin inside what datetime can hold, for zones."""


def _resolve(value: InstantLike, home: pendulum.Timezone | pendulum.FixedTimezone, bound: Bound) -> pendulum.DateTime:
    if isinstance(value, datetime):
        if value.utcoffset() is None:
            return _wall_time(value, home, value.isoformat())
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
    _refuse_missing_week(text)
    if _BARE_WEEK.match(text):
        monday = date.fromisocalendar(int(text[:4]), int(text[-2:]), 1)
        return _bound(pendulum.datetime(monday.year, monday.month, monday.day, tz=home), "week", bound)
    if _BARE_MONTH.match(text):
        year, month = (int(part) for part in text.split("-"))
        if not 1 <= month <= 12:
            raise TimeInputError(f"cannot read {text!r} as an instant: month {month} does not exist")
        return _bound(pendulum.datetime(year, month, 1, tz=home), "month", bound)
    try:
        # Read without a zone: a naive reading (in any ISO-8601 spelling: calendar, ordinal or week date) is then
        # placed in the home zone by one rule, which refuses the wall times that zone skips or repeats.
        parsed = pendulum.parse(text, exact=True, tz=None)
    except (ValueError, TypeError) as exc:
        raise TimeInputError(
            f"cannot read {text!r} as an instant "
            "(use ISO-8601, e.g. 2023-11-18T12:00, 2023-11-18T12:00-08:00 or 2023-11-18)"
        ) from exc
    if isinstance(parsed, pendulum.DateTime):
        return parsed if parsed.utcoffset() is not None else _wall_time(parsed, home, text)
    if isinstance(parsed, pendulum.Date):
        return _bound(pendulum.datetime(parsed.year, parsed.month, parsed.day, tz=home), "day", bound)
    raise TimeInputError(f"cannot read {text!r} as an instant: it is a time or a duration, not a date")


def _bound(start: pendulum.DateTime, unit: Literal["day", "week", "month", "year"], bound: Bound) -> pendulum.DateTime:
    return start if bound == "start" else start.end_of(unit)


_WEEK_DATE = re.compile(r"^(\d{4})-?W(\d{2})(?:-?(\d))?(?=$|[T ])", re.IGNORECASE)


def _refuse_missing_week(text: str) -> None:
    """An ISO week date names a week of that year (01 to 52, or 53) and a day 1 to 7: refuse any other."""
    found = _WEEK_DATE.match(text)
    if found is None:
        return
    year, week, day = int(found.group(1)), int(found.group(2)), int(found.group(3) or 1)
    try:
        date.fromisocalendar(year, week, 1)
    except ValueError:
        raise TimeInputError(f"cannot read {text!r} as an instant: week {found.group(2)} does not exist") from None
    if not 1 <= day <= 7:
        raise TimeInputError(f"cannot read {text!r} as an instant: a week has no day {day} (1 is Monday, 7 Sunday)")


def _wall_time(naive: datetime, home: pendulum.Timezone | pendulum.FixedTimezone, text: str) -> pendulum.DateTime:
    """The instant at which ``home``'s clocks read ``naive``; a wall time the zone skips (clocks go forward) or
    passes twice (clocks go back) names no single instant: refused, with the offsets to choose from."""
    wall = datetime(
        naive.year, naive.month, naive.day, naive.hour, naive.minute, naive.second, naive.microsecond
    )  # a plain value: pendulum's own DateTime reads fold its own way
    placed = pendulum.datetime(
        wall.year, wall.month, wall.day, wall.hour, wall.minute, wall.second, wall.microsecond, tz=home
    )
    if placed.naive() != wall:
        raise TimeInputError(
            f"{text} does not exist in {home.name} (the clocks skip it that day); give an offset, "
            f"e.g. {text}{placed.subtract(hours=1).format('Z')}"
        )
    first, second = wall.replace(tzinfo=home, fold=0), wall.replace(tzinfo=home, fold=1)
    if first.utcoffset() != second.utcoffset():
        earlier, later = pendulum.instance(first), pendulum.instance(second)
        raise TimeInputError(
            f"{text} is ambiguous in {home.name} (the clocks go back that night, so it happens twice): "
            f"{earlier.isoformat()} ({earlier.format('zz')}, the first) or {later.isoformat()} "
            f"({later.format('zz')}, the second); give the offset, e.g. {text}{earlier.format('Z')}"
        )
    return placed


def epoch(instant: datetime) -> float:
    """Seconds since the Unix epoch of an aware instant (the replay sort key)."""
    return instant.timestamp()


def parse_duration(text: str) -> pendulum.Duration:
    """An ISO-8601 duration (``P180D``, ``P6M``, ``PT36H``); :class:`TimeInputError` unless it is one, and positive."""
    try:
        parsed = pendulum.parse(text)
    except (ValueError, ParserError):
        parsed = None
    if not isinstance(parsed, pendulum.Duration) or not (parsed.years or parsed.months or parsed.total_seconds()):
        raise TimeInputError(f"not a positive ISO-8601 duration such as P180D, P6M or PT36H: {text[:40]!r}")
    return parsed


def after(instant: datetime, duration: str, tz: str) -> pendulum.DateTime:
    """The instant ``duration`` (ISO-8601) after ``instant``, months and days counted on the calendar of ``tz``."""
    return in_zone(instant, tz) + parse_duration(duration)


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


def display(instant: datetime, tz: str, precision: Precision | str = "minute", source_zone: str | None = None) -> str:
    """Human text of ``instant`` in ``tz``, no finer than ``precision`` allows.

    A ``day``, ``month`` or ``year`` is a period of the calendar of the zone
    the source dates it in (``source_zone``, default ``tz``): it is shown as
    that date, and the zone is named when it is not ``tz`` -- converting the
    instant would move a Beijing day to the previous Pacific one.

    >>> from datetime import datetime, timezone
    >>> display(datetime(2023, 11, 17, 20, 0, tzinfo=timezone.utc), "America/Los_Angeles")
    'Fri 2023-11-17 12:00 PST'
    >>> display(datetime(2023, 11, 16, 20, 0, tzinfo=timezone.utc), "Asia/Shanghai", "day", "America/Los_Angeles")
    'Thu 2023-11-16 (day, America/Los_Angeles)'
    """
    if precision in _CALENDAR and source_zone is not None and zone_name(source_zone) != zone_name(tz):
        text = in_zone(instant, source_zone).format(_DISPLAY[precision])
        return f"{text} ({precision}, {zone_name(source_zone)})"
    text = in_zone(instant, tz).format(_DISPLAY[precision])
    return text if precision == "minute" else f"{text} ({precision})"


_CALENDAR = ("day", "month", "year")


def period_search_window(low: datetime | None, high: datetime | None) -> tuple[float, float]:
    """Unix timestamps between which lies the instant of every event whose period can overlap ``low``..``high``.

    A period is at most a leap year of some zone's calendar, and an event's
    instant lies inside its period: so a year and two days either side.
    """
    reach = pendulum.duration(days=368)
    first = float("-inf") if low is None else (pendulum.instance(low) - reach).timestamp()
    last = float("inf") if high is None else (pendulum.instance(high) + reach).timestamp()
    return first, last


def period(
    instant: datetime, precision: Precision | str, source_zone: str
) -> tuple[pendulum.DateTime, pendulum.DateTime]:
    """The first and last instants an event of this precision may have happened at.

    A ``day``, ``month`` or ``year`` covers that whole period of the calendar
    of ``source_zone`` (the zone its source dates it in); a ``minute`` or
    ``hour`` is its instant. Ranges select an event when its period overlaps them.

    >>> from datetime import datetime, timezone
    >>> first, last = period(datetime(2023, 11, 16, 20, 0, tzinfo=timezone.utc), "day", "America/Los_Angeles")
    >>> first.isoformat(), last.isoformat()
    ('2023-11-16T00:00:00-08:00', '2023-11-16T23:59:59.999999-08:00')
    """
    moment = pendulum.instance(instant)
    if precision not in _CALENDAR:
        return moment, moment
    local = moment.in_tz(zone(source_zone))
    unit: Literal["day", "month", "year"] = precision  # type: ignore[assignment]
    return local.start_of(unit), local.end_of(unit)


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
