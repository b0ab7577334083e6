"""Tenures with their evidence and precision, a person's history, explanations with but-for causes, what the
public knew when, and reporting lags (the ``knows`` fixture: small enough to check by hand)."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

import orgsim
from orgsim.query.history import words

KNOWS = Path(__file__).parents[1] / "fixtures" / "knows"


@pytest.fixture(scope="module")
def knows() -> orgsim.Timeline:
    return orgsim.load_timeline(KNOWS)


def test_an_office_held_to_the_end_of_coverage_ends_unknown_and_says_why(knows: orgsim.Timeline) -> None:
    (ceo,) = knows.tenures(office="ceo")
    assert ceo.person == "ada" and ceo.start.event == "ada-founds" and ceo.start.precision == "minute"
    assert ceo.end.at is None and not ceo.end.known
    assert ceo.end.why == "still held when coverage ends (2021-12-31): not known after"
    assert ceo.duration is None and ceo.duration_text() == "unknown (its end is not known)"


def test_a_day_precise_end_makes_the_duration_a_range(knows: orgsim.Timeline) -> None:
    placeholder, dana = knows.tenures(office="cfo")
    assert placeholder.person == "unnamed-cfo" and placeholder.end.event == "cfo-is-dana"
    assert placeholder.duration == timedelta(days=19)  # recorded noon to noon
    assert placeholder.shortest == timedelta(days=18)  # the end of 1 May to noon on 20 May: whole seconds, no residue
    assert placeholder.longest == timedelta(days=20)  # the start of 1 May to the end of 20 May
    assert not placeholder.exact
    assert placeholder.duration_text() == "19 days as recorded; between 18 days and 20 days"
    assert dana.person == "dana" and dana.start.event == "cfo-is-dana"


def test_a_seat_split_by_a_coverage_gap_is_two_tenures_with_unknown_ends(knows: orgsim.Timeline) -> None:
    seats = [t for t in knows.tenures(kinds=["board"]) if t.person == "bob"]
    assert len(seats) == 2
    first, second = seats
    assert first.start.event == "bob-on-board" and first.end.why == (
        "still held when coverage ends (2020-06-30): not known after"
    )
    assert second.start.at is None and second.start.why == "coverage starts again on 2021-01-01"
    assert second.end.why == "still held when coverage ends (2021-12-31): not known after"


def test_leaves_are_tenures_ended_by_their_stated_end(knows: orgsim.Timeline) -> None:
    (leave,) = knows.tenures(kinds=["leave"])
    assert leave.person == "ada" and leave.key == "sabbatical"
    assert leave.start.event == "ada-sabbatical" and leave.end.event == "ada-sabbatical-ends"


def test_filters_by_person_and_by_range(knows: orgsim.Timeline) -> None:
    assert {t.person for t in knows.tenures(person="carol")} == {"carol"}
    early = knows.tenures(kinds=["board"], end="2020-01-03")
    assert {t.person for t in early} == {"ada", "bob"}  # Carol's seat begins in April
    assert knows.tenures(office="cfo", start="2021-06-01")[0].person == "dana"


def test_a_persons_history_has_offices_seats_leaves_and_affiliations(knows: orgsim.Timeline) -> None:
    kinds = {(t.kind, t.key) for t in knows.person_history("ada")}
    assert {("office", "ceo"), ("board", "ada"), ("chair", "chair"), ("leave", "sabbatical")} <= kinds
    assert ("affiliation", "initech") in kinds
    with pytest.raises(orgsim.LoadError, match="unknown person 'zed'"):
        knows.person_history("zed")


def test_tenure_json_is_the_contract(knows: orgsim.Timeline) -> None:
    data = knows.tenures(office="cfo")[0].to_dict("UTC")
    assert set(data) == {"kind", "key", "person", "name", "interim", "role", "representing", "start", "end", "duration"}
    assert data["name"] == "a new finance chief"
    assert data["start"]["at"] == "2020-05-01T12:00:00+00:00" and data["start"]["precision"] == "day"
    assert data["duration"] == {
        "seconds": 19 * 86400,
        "shortest_seconds": 18 * 86400,
        "longest_seconds": 20 * 86400,
        "text": "19 days as recorded; between 18 days and 20 days",
    }


def test_durations_read_in_words() -> None:
    assert words(timedelta(hours=55, minutes=32)) == "2 days 7 hours 32 minutes"
    assert words(timedelta(seconds=20)) == "less than a minute" and words(None) == "unknown"


def test_explain_names_the_setter_its_causes_and_but_for_causes(knows: orgsim.Timeline) -> None:
    why = knows.explain("offices.cfo", "2020-05-25")
    assert why.value == {"person": "dana", "interim": False} and why.set_by is not None
    assert why.set_by.id == "cfo-is-dana" and why.set_by.quote == "she was later named as Dana"
    assert why.but_for is not None
    causes = {cause.event.id: cause.value for cause in why.but_for}
    # Without the appointment there is no CFO; without the identification, the placeholder holds it.
    assert causes == {"new-cfo": None, "cfo-is-dana": {"person": "unnamed-cfo", "interim": False}}
    assert why.considered == len([e for e in knows.records if e.at <= why.at and e.type != "statement"])


def test_explain_of_an_unknown_value_says_why_and_looks_no_further(knows: orgsim.Timeline) -> None:
    why = knows.explain("board", "2020-09-01")
    assert not why.known and why.why_unknown and why.why_unknown.startswith("not covered between")
    assert why.set_by is None and why.but_for is None


def test_explain_refuses_a_path_of_no_field(knows: orgsim.Timeline) -> None:
    with pytest.raises(ValueError, match="unknown state field 'bored'"):
        knows.explain("bored", "2020-05-25")


def test_what_the_public_knew_hides_what_was_reported_later(knows: orgsim.Timeline) -> None:
    happened = knows.state_at("2020-01-03T12:00+00:00")
    assert happened.board.members == ("ada", "bob")
    known = knows.known_state("2020-01-03T12:00+00:00", "2020-01-03T12:00+00:00")
    assert known.hidden == ("bob-on-board",)  # reported at 18:30
    assert known.state.board.members == ("ada",)  # Ada's seat was public; Bob's not yet
    later = knows.state_at("2020-01-03T12:00+00:00", known_at="2020-01-03T19:00+00:00")
    assert later == happened  # by the evening the public knew it all


def test_a_known_at_world_kept_for_an_earlier_instant_is_replayed_further_for_a_later_one(knows_copy: Path) -> None:
    # Known-at worlds are replayed only up to the instant asked and kept by what they hide; asked again later with
    # the same hidden set, the kept world must not stop at the earlier instant.
    (knows_copy / "more.yaml").write_text(
        """- id: staff-count-may
  type: headcount_reported
  at: '2020-05-04T12:00:00+00:00'
  precision: day
  summary: Initech has about 130 staff.
  count: 130
  qualifier: about
  sources: [{document: memo.txt, quote: "Initech has about 120 staff.", language: en}]
""",
        encoding="utf-8",
    )
    asked = orgsim.load_timeline(knows_copy)
    early = asked.known_state("2020-05-02", "2020-05-02")
    late = asked.known_state("2020-05-06", "2020-05-06")
    assert early.hidden == late.hidden == ("new-cfo",)
    assert not early.state.is_known("employees.headcount") and late.state.headcount == 130  # 120 went stale
    assert late.state == orgsim.load_timeline(knows_copy).known_state("2020-05-06", "2020-05-06").state


def test_the_state_after_what_was_public_is_refused_not_guessed(knows: orgsim.Timeline) -> None:
    # What was public on 5 May says nothing of 25 May: hiding what happened in between would state the picture of
    # 5 May (no CFO) as the fact of 25 May (Dana is CFO).
    with pytest.raises(orgsim.TimeInputError, match="before the instant asked about"):
        knows.known_state("2020-05-25", "2020-05-05")
    with pytest.raises(orgsim.TimeInputError):
        knows.state_at("2020-05-25", known_at="2020-05-05")


def test_as_known_at_the_present_before_anything_was_public(knows: orgsim.Timeline) -> None:
    known = knows.known_state("2020-05-05", "2020-05-05")
    assert known.hidden == ("new-cfo",) and "cfo" not in known.state.offices


def test_lag_lists_events_public_late_longest_first(knows: orgsim.Timeline) -> None:
    lags = knows.lag()
    assert [lag.event for lag in lags] == ["new-cfo", "bob-on-board"]
    assert lags[0].delay == timedelta(days=6, hours=21)
    # new-cfo is dated to the day (London), reported at an instant: the delay is a range, the recorded one inside it
    assert lags[0].shortest == timedelta(days=6, hours=10) and lags[0].longest == timedelta(days=7, hours=10)
    assert lags[0].to_dict("UTC")["lag"] == "6 days 10 hours to 7 days 10 hours later (it is dated to the day)"
    assert lags[0].to_dict("UTC")["lag_longest_seconds"] == timedelta(days=7, hours=10).total_seconds()
    assert len(knows.lag(everything=True)) == len(knows)


# --- a question naming what the timeline does not have is refused, as in the CLI -------------------------------


def test_explain_refuses_a_misspelt_path_naming_the_nearest_one(knows: orgsim.Timeline) -> None:
    with pytest.raises(orgsim.QueryError, match=re.escape("did you mean 'board.members'")) as caught:
        knows.explain("board.membres", "2020-05-25")
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("question", "field", "said"),
    [
        ({"office": "nope"}, "office", "no event gives anyone the office 'nope' (offices: "),
        ({"kinds": ["board", "boards"]}, "kinds", "not 'boards'"),
        ({"kinds": "board"}, "kinds", "a list of kinds"),
        ({"person": "nobody"}, "person", "unknown person 'nobody'"),
    ],
)
def test_tenures_refuses_an_office_kind_or_person_the_timeline_does_not_have(
    knows: orgsim.Timeline, question: dict[str, Any], field: str, said: str
) -> None:
    with pytest.raises(orgsim.QueryError, match=re.escape(said)) as caught:
        knows.tenures(**question)
    assert caught.value.field == field


def test_tenures_of_an_office_some_event_gives_is_answered(knows: orgsim.Timeline) -> None:
    assert {tenure.person for tenure in knows.tenures(office="ceo")} >= {"ada"}


@pytest.mark.parametrize(
    ("path", "nearest"),
    [
        ("offcies.ceo", "offices.ceo"),
        ("boardd", "board"),
        ("people.adda", "people.ada"),
        ("board.chair.x", "board.chair"),
    ],
)
def test_is_known_and_why_unknown_refuse_a_misspelt_path_naming_the_nearest(
    knows: orgsim.Timeline, path: str, nearest: str
) -> None:
    state = knows.state_at("2020-05-25")
    for ask in (state.is_known, state.why_unknown):
        with pytest.raises(orgsim.QueryError, match=re.escape(f"did you mean {nearest!r}?")):
            ask(path)


def test_is_known_answers_every_path_of_the_contract(knows: orgsim.Timeline) -> None:
    state = knows.state_at("2020-05-25")
    for path in (
        "ceo",
        "ceo.person",
        "offices.cfo",
        "board.chair",
        "people.ada.at_org",
        "stakeholders.globex",
        "employees.headcount",
        "structure",
        "votes.anything",
        "offers.x.status",
    ):
        state.is_known(path)  # no error: each names a field (its answer is pinned elsewhere)


def test_load_timeline_of_something_that_is_not_a_path_is_a_load_error() -> None:
    with pytest.raises(orgsim.LoadError, match="not int"):
        orgsim.load_timeline(5)  # type: ignore[arg-type]
