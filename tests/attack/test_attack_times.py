"""Attack: instants the README says are refused (DST gaps, ambiguous times) reached by other spellings, and known-at."""

from __future__ import annotations

import subprocess
from datetime import datetime

import pytest

import orgsim


def orgsim_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the real ``orgsim`` console script."""
    return subprocess.run(["orgsim", *args], capture_output=True, text=True, check=False)


@pytest.mark.parametrize(
    "text",
    [
        "2024-070T02:30",  # ordinal date of 10 March 2024: a wall time Los Angeles skips
        "2023-309T01:30",  # ordinal date of 5 November 2023: a wall time Los Angeles passes twice
    ],
)
def test_an_ordinal_date_in_a_dst_gap_or_overlap_is_refused_like_the_calendar_date(text: str) -> None:
    result = orgsim_cli("state", "--at", text, "--format", "json")
    # today: exit 0, silently 03:30 PDT / the second (PST) 01:30
    assert result.returncode == 2, result.stdout[:200]
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1


def test_a_naive_datetime_in_a_dst_gap_is_refused(bundled: orgsim.Timeline) -> None:
    # the string "2024-03-10T02:30" is refused; the same naive datetime resolves to 01:30-08:00, an hour before
    with pytest.raises(orgsim.TimeInputError):
        bundled.state_at(datetime(2024, 3, 10, 2, 30))


def test_a_naive_datetime_in_a_dst_gap_does_not_move_backwards(bundled: orgsim.Timeline) -> None:
    try:
        state = bundled.state_at(datetime(2024, 3, 10, 2, 30))
    except orgsim.TimeInputError:
        return
    assert state.at is not None and state.at.hour >= 2, state.at  # today: 01:30 PST


def test_a_naive_ambiguous_datetime_is_refused_as_the_text_is(bundled: orgsim.Timeline) -> None:
    with pytest.raises(orgsim.TimeInputError):
        bundled.state_at(datetime(2023, 11, 5, 1, 30))


def test_an_aware_datetime_in_year_one_is_refused_as_the_cli_refuses_it(bundled: orgsim.Timeline) -> None:
    # the CLI refuses '0001-01-01' (years 2 to 9998); the library answers for datetime.min
    from datetime import UTC

    with pytest.raises(orgsim.TimeInputError):
        bundled.state_at(datetime.min.replace(tzinfo=UTC))


def test_iso_week_zero_does_not_exist() -> None:
    result = orgsim_cli("state", "--at", "2023-W00")
    # week 54 is refused ("week 54 does not exist"); week 00 is silently read as the last week of 2022
    assert result.returncode == 2, result.stdout[:120]
    assert "week" in result.stderr


def test_known_at_before_at_does_not_state_a_future_the_public_could_not_know(bundled: orgsim.Timeline) -> None:
    # what was public at 11:00 on Friday 17 November cannot say who was CEO on Monday 20 November
    try:
        state = bundled.state_at("2023-11-20T10:00", known_at="2023-11-17T11:00")
    except orgsim.OrgsimError:
        return
    assert state.ceo is orgsim.UNKNOWN, state.ceo  # today: Holder('sam-altman'), stated as fact


def test_cli_known_at_before_at_is_not_a_confident_answer() -> None:
    result = orgsim_cli("state", "--at", "2023-11-20T10:00", "--known-at", "2023-11-17T11:00", "--format", "json")
    if result.returncode == 2:
        assert len(result.stderr.splitlines()) == 1
        return
    assert '"ceo": null' in result.stdout or result.stderr, result.stdout[:300]
