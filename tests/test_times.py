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


def test_a_week_is_read_as_the_whole_week() -> None:
    assert resolve_instant("2023-W47", LA).isoformat() == "2023-11-26T23:59:59.999999-08:00"
    assert resolve_instant("2023-W47", LA, bound="start").isoformat() == "2023-11-20T00:00:00-08:00"
    assert resolve_instant("2023w47", LA) == resolve_instant("2023-W47", LA)
    assert resolve_instant("2023-W47-3", LA).isoformat() == "2023-11-22T23:59:59.999999-08:00"  # a day of it
    with pytest.raises(TimeInputError, match="week 53 does not exist"):
        resolve_instant("2023-W53", LA)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("2023-W00", "week 00 does not exist"),
        ("2023-W00-1T10:00", "week 00 does not exist"),  # a day of it, with a time
        ("2023W001", "week 00 does not exist"),
        ("2023-W01-0", "a week has no day 0"),
        ("2023-W53-1T10:00", "week 53 does not exist"),
    ],
)
def test_a_week_or_weekday_that_does_not_exist_is_refused_in_every_spelling(text: str, why: str) -> None:
    with pytest.raises(TimeInputError, match=why):
        resolve_instant(text, LA)


@pytest.mark.parametrize("text", ["2024-070T02:30", "2024-W10-7T02:30", "20240310T0230"])
def test_a_skipped_wall_time_is_refused_in_every_iso_spelling(text: str) -> None:
    with pytest.raises(TimeInputError, match="does not exist in America/Los_Angeles"):
        resolve_instant(text, LA)


def test_a_naive_datetime_is_read_by_the_rules_of_its_text() -> None:
    with pytest.raises(TimeInputError, match="does not exist"):
        resolve_instant(datetime(2024, 3, 10, 2, 30), LA)
    with pytest.raises(TimeInputError, match="ambiguous"):
        resolve_instant(datetime(2023, 11, 5, 1, 30), LA)
    assert resolve_instant(datetime(2023, 11, 18, 12, 0), LA).isoformat() == "2023-11-18T12:00:00-08:00"


def test_an_ambiguous_wall_time_is_refused_with_both_instants() -> None:
    with pytest.raises(TimeInputError) as caught:
        resolve_instant("2023-11-05T01:30", LA)
    message = str(caught.value)
    assert "ambiguous in America/Los_Angeles" in message and "\n" not in message
    assert "2023-11-05T01:30:00-07:00 (PDT, the first)" in message and "2023-11-05T01:30:00-08:00 (PST" in message
    assert "e.g. 2023-11-05T01:30-07:00" in message
    assert resolve_instant("2023-11-05T01:30-07:00", LA).isoformat() == "2023-11-05T01:30:00-07:00"
    assert resolve_instant("2023-11-05T00:59", LA).isoformat() == "2023-11-05T00:59:00-07:00"  # just before: fine
    assert resolve_instant("2023-11-05T01:30", "+08:00").isoformat() == "2023-11-05T01:30:00+08:00"


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("asia/shanghai", "Asia/Shanghai"),
        ("AMERICA/LOS_ANGELES", "America/Los_Angeles"),
        ("+08:00", "+08:00"),
        ("+0800", "+08:00"),
        ("UTC+8", "+08:00"),
        ("utc-5:30", "-05:30"),
        ("GMT+05:45", "+05:45"),
        ("Etc/GMT+8", "Etc/GMT+8"),  # the IANA name, whose sign is POSIX's: eight hours behind
    ],
)
def test_zone_names_in_any_case_and_fixed_offsets(name: str, canonical: str) -> None:
    from orgsim.times import zone, zone_name

    assert zone_name(name) == canonical
    assert resolve_instant("2023-11-18T12:00", name) == resolve_instant("2023-11-18T12:00", canonical)
    assert zone(name).utcoffset(datetime(2023, 11, 18)) is not None


def test_an_abbreviation_is_refused_with_the_zones_that_use_it() -> None:
    from orgsim.times import zone

    with pytest.raises(TimeInputError) as caught:
        zone("PST")
    message = str(caught.value)
    assert "abbreviation" in message and "America/Los_Angeles -08:00" in message and "Asia/Manila +08:00" in message
    with pytest.raises(TimeInputError, match="such as Asia/Tokyo"):
        zone("JST")
    with pytest.raises(TimeInputError, match="did you mean Asia/Shanghai"):
        zone("Shanghai")
    for bad in ["+25:00", "\x00", "x" * 200, "../../etc/passwd", "/etc/localtime"]:
        with pytest.raises(TimeInputError, match="unknown time zone"):
            zone(bad)


def test_a_day_is_shown_in_the_zone_its_source_dates_it_in() -> None:
    apec = datetime(2023, 11, 16, 20, 0, tzinfo=UTC)  # noon in San Francisco, 04:00 on the 17th in Beijing
    assert display(apec, "Asia/Shanghai", "day") == "Fri 2023-11-17 (day)"
    assert display(apec, "Asia/Shanghai", "day", LA) == "Thu 2023-11-16 (day, America/Los_Angeles)"
    assert display(apec, LA, "day", "america/los_angeles") == "Thu 2023-11-16 (day)"
    assert display(apec, "Asia/Shanghai", "month", LA) == "2023-11 (month, America/Los_Angeles)"
    assert display(apec, "Asia/Shanghai", "minute", LA) == "Fri 2023-11-17 04:00 CST"  # an instant is an instant


def test_the_period_an_event_covers() -> None:
    from orgsim.times import period

    apec = datetime(2023, 11, 16, 20, 0, tzinfo=UTC)
    first, last = period(apec, "day", "Asia/Shanghai")
    assert (first.isoformat(), last.isoformat()) == ("2023-11-17T00:00:00+08:00", "2023-11-17T23:59:59.999999+08:00")
    first, last = period(apec, "year", LA)
    assert (first.isoformat(), last.isoformat()) == ("2023-01-01T00:00:00-08:00", "2023-12-31T23:59:59.999999-08:00")
    assert period(apec, "hour", LA) == (apec, apec)
