"""Time input rules: offsets, naive instants in a zone, bare dates, errors."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pendulum
import pytest

from orgsim.errors import TimeInputError
from orgsim.times import display, resolve_instant

LA = "America/Los_Angeles"


def test_offset_is_taken_as_is() -> None:
    instant = resolve_instant("2023-11-18T12:00-08:00", "Asia/Shanghai")
    assert instant.isoformat() == "2023-11-18T12:00:00-08:00"


def test_naive_datetime_is_read_in_the_given_zone() -> None:
    assert resolve_instant("2023-11-18T12:00", LA) == pendulum.datetime(2023, 11, 18, 20, tz="UTC")
    assert resolve_instant("2023-11-18T12:00", "Asia/Shanghai") == pendulum.datetime(2023, 11, 18, 4, tz="UTC")


def test_bare_date_is_end_of_that_day_in_the_zone() -> None:
    instant = resolve_instant("2023-11-18", LA)
    assert instant.isoformat() == "2023-11-18T23:59:59.999999-08:00"


def test_bare_month_and_year_are_their_ends() -> None:
    assert resolve_instant("2024-06", LA).isoformat() == "2024-06-30T23:59:59.999999-07:00"
    assert resolve_instant("2023", LA).isoformat() == "2023-12-31T23:59:59.999999-08:00"


def test_datetime_and_date_objects() -> None:
    naive = datetime(2023, 11, 18, 12, 0)
    assert resolve_instant(naive, LA).isoformat() == "2023-11-18T12:00:00-08:00"
    aware = datetime(2023, 11, 18, 20, 0, tzinfo=UTC)
    assert resolve_instant(aware, "Asia/Shanghai") == aware
    assert resolve_instant(date(2023, 11, 18), LA).isoformat() == "2023-11-18T23:59:59.999999-08:00"
    assert resolve_instant(pendulum.datetime(2023, 11, 18, 12, tz=LA), "UTC").hour == 12


def test_dst_boundary_uses_the_zone_rules() -> None:
    assert resolve_instant("2023-11-04T12:00", LA).utcoffset().total_seconds() == -7 * 3600
    assert resolve_instant("2023-11-06T12:00", LA).utcoffset().total_seconds() == -8 * 3600


@pytest.mark.parametrize("text", ["yesterday-ish", "2023-13-45", "", "12:00", "2023-11-18T25:00"])
def test_unparseable_input_is_a_time_input_error(text: str) -> None:
    with pytest.raises(TimeInputError):
        resolve_instant(text, LA)


def test_unknown_zone_is_a_time_input_error() -> None:
    with pytest.raises(TimeInputError, match="unknown time zone"):
        resolve_instant("2023-11-18", "Mars/Olympus")


def test_display_respects_precision() -> None:
    instant = datetime(2023, 11, 17, 20, 0, tzinfo=UTC)
    assert display(instant, LA) == "Fri 2023-11-17 12:00 PST"
    assert display(instant, LA, "day") == "Fri 2023-11-17 (day)"
    assert display(instant, "Asia/Shanghai", "hour").startswith("Sat 2023-11-18 04:00")


def test_a_wall_time_the_zone_skips_is_refused() -> None:
    with pytest.raises(TimeInputError, match="does not exist in America/Los_Angeles"):
        resolve_instant("2024-03-10T02:30", LA)
    assert resolve_instant("2024-03-10T03:30", LA).isoformat() == "2024-03-10T03:30:00-07:00"
    assert resolve_instant("2024-03-10T02:30-08:00", LA).isoformat() == "2024-03-10T02:30:00-08:00"


def test_offset_table_finds_each_change_to_the_second() -> None:
    from orgsim.times import offset_table

    first = datetime(2023, 11, 1, tzinfo=UTC)
    last = datetime(2024, 10, 1, tzinfo=UTC)
    table = offset_table(LA, first, last)
    assert table[0][0] is None and table[0][1] == -420
    changes = [(row[0], row[1], row[2]) for row in table[1:]]
    spring = pendulum.datetime(2024, 3, 10, 10, tz="UTC").int_timestamp * 1000  # 02:00 PST
    autumn = pendulum.datetime(2023, 11, 5, 9, tz="UTC").int_timestamp * 1000  # 02:00 PDT
    assert (autumn, -480, "PST") in changes and (spring, -420, "PDT") in changes
