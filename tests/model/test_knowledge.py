"""A timeline that knows what it knows: coverage, unknown values and why, counts that go stale, announcements,
offers, placeholders and stated leave ends (the ``knows`` fixture, a small made-up timeline)."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
import yaml

import orgsim
from orgsim.errors import LoadError
from orgsim.model.knowledge import UNKNOWN, coverage_problem, covered, outside_every_coverage, parts_changed
from orgsim.model.manifest import Manifest

KNOWS = Path(__file__).parents[1] / "fixtures" / "knows"


@pytest.fixture(scope="module")
def knows() -> orgsim.Timeline:
    return orgsim.load_timeline(KNOWS)


def test_unknown_is_one_falsy_value_that_reads_safely_and_survives_pickling() -> None:
    assert orgsim.UNKNOWN is UNKNOWN and orgsim.Unknown() is UNKNOWN
    assert not UNKNOWN and repr(UNKNOWN) == "unknown" and f"{UNKNOWN:,}" == "unknown"
    assert UNKNOWN.person is UNKNOWN  # the person of an unknown CEO is unknown, not an error
    with pytest.raises(AttributeError):
        UNKNOWN._private  # noqa: B018 - private names are not invented
    assert pickle.loads(pickle.dumps(UNKNOWN)) is UNKNOWN


def test_before_coverage_every_part_is_unknown_and_says_from_when(knows: orgsim.Timeline) -> None:
    state = knows.state_at("2019-06-01")
    assert state.ceo is UNKNOWN and state.board is UNKNOWN and state.headcount is UNKNOWN
    assert state.why_unknown("offices.ceo") == (
        "not covered before 2020-01-01: the officers are known from the founding"
    )
    assert state.why_unknown("board") == "not covered before 2020-01-01"
    data = state.to_dict()
    assert data["ceo"] is None and data["board"]["members"] is None and data["employees"]["headcount"] is None
    assert {"board", "offices.ceo", "employees.headcount", "people.ada"} <= set(data["unknown"])
    assert data["why_unknown"]["board"] == "not covered before 2020-01-01"
    assert outside_every_coverage(knows.manifest, state.at) is not None


def test_inside_coverage_a_value_nothing_has_set_is_unknown_not_vacant(knows: orgsim.Timeline) -> None:
    state = knows.state_at("2020-01-01T12:00+00:00")
    assert state.ceo is UNKNOWN and state.why_unknown("offices.ceo") == "no event gives anyone this office before then"
    assert state.board is UNKNOWN and state.people["ada"].known is False
    assert state.structure is UNKNOWN and not state.is_known("structure")
    after = knows.state_at("2020-01-02T09:00+00:00")
    assert after.ceo == orgsim.Holder("ada", False) and after.is_known("offices.ceo")
    assert after.people["ada"].at_org is True  # an office places its holder at the organisation


def test_a_gap_between_two_intervals_is_unknown_with_the_note_of_the_interval_after_it(
    knows: orgsim.Timeline,
) -> None:
    inside, gap, again = (knows.state_at(day) for day in ("2020-06-30T12:00+01:00", "2020-09-01", "2021-01-02"))
    assert inside.board.members == ("ada", "bob", "carol")
    assert gap.board is UNKNOWN and gap.chair is UNKNOWN
    assert (
        gap.why_unknown("board") == "not covered between 2020-06-30 and 2021-01-01: the minutes of late 2020 are lost"
    )
    assert gap.ceo == orgsim.Holder("ada", False)  # the officers stay covered
    assert again.board.members == ("ada", "bob", "carol") and again.chair == "ada"


def test_after_coverage_ends_everything_is_unknown(knows: orgsim.Timeline) -> None:
    state = knows.state_at("2022-06-01")
    # the end says why it ends (``after``), not why the coverage began (``note``)
    assert state.ceo is UNKNOWN
    assert state.why_unknown("offices.ceo") == "not covered after 2021-12-31: the company's records end with 2021"
    assert state.why_unknown("board") == "not covered after 2021-12-31"


def test_a_count_known_only_as_a_range_is_known_and_carries_its_range(knows: orgsim.Timeline) -> None:
    report, after = knows.state_at("2020-02-05"), knows.state_at("2020-02-15")
    assert report.headcount == 120 and report.headcount_qualifier == "about" and report.headcount_range is None
    # "about 120" less "dozens" (at least 24): at most 96, the low end open.
    assert after.headcount is None and after.is_known("employees.headcount")
    assert after.headcount_range == (None, 96)
    assert after.to_dict()["employees"]["headcount_range"] == [None, 96]


def test_a_count_past_its_current_for_is_unknown_and_reported_as_last_known(knows: orgsim.Timeline) -> None:
    fresh, stale = knows.state_at("2020-04-30"), knows.state_at("2020-05-02")  # reported 1 Feb, current for P90D
    assert fresh.is_known("employees.headcount") and fresh.last_known("employees.headcount") is None
    assert stale.headcount is UNKNOWN
    assert (
        stale.why_unknown("employees.headcount") == "last reported on 2020-02-01, and that report is no longer current"
    )
    last = stale.last_known("employees.headcount")
    assert last is not None and last.bounds == (None, 96) and last.qualifier == "about"
    shown = stale.to_dict(tz="Europe/London")["last_known"]["employees.headcount"]
    assert shown["range"] == [None, 96] and shown["reported"].startswith("2020-02-01")
    assert shown["current_until"].startswith("2020-05-01")


def test_an_announcement_is_pending_not_done_until_withdrawn(knows: orgsim.Timeline) -> None:
    pending, withdrawn = knows.state_at("2020-03-02"), knows.state_at("2020-03-06")
    assert pending.announced == {"globex-to-hire-ada": "Globex will hire Ada, the press reports."}
    assert not pending.stakeholders["globex"].employs and pending.people["ada"].affiliation == "initech"
    assert withdrawn.announced == {}
    assert pending.to_dict()["announced"] == {"globex-to-hire-ada": "Globex will hire Ada, the press reports."}


def test_an_offer_declined_changes_nothing_and_one_accepted_takes_effect(knows: orgsim.Timeline) -> None:
    open_, answered = knows.state_at("2020-04-01T18:00+01:00"), knows.state_at("2020-04-13")
    assert open_.offers["globex-offers-bob"].status == "open"
    assert answered.offers["globex-offers-bob"].status == "declined"
    assert answered.offers["carol-offered-seat"].status == "accepted"
    assert "carol" in answered.board.members  # the accepted seat is a seat
    assert answered.ceo.person == "ada"  # the declined offer was Globex's post, not Initech's


def test_accepting_a_declined_offer_is_one_change_in_a_what_if(knows: orgsim.Timeline) -> None:
    world = orgsim.Scenario(
        title="Bob says yes", interventions=[orgsim.Change(change="bob-declines", set={"outcome": "accepted"})]
    ).run(knows)
    assert world.state_at("2020-04-13").offers["globex-offers-bob"].status == "accepted"


def test_a_placeholder_hands_its_office_to_the_person_it_turns_out_to_be(knows: orgsim.Timeline) -> None:
    before, after = knows.state_at("2020-05-10"), knows.state_at("2020-05-25")
    assert before.offices["cfo"] == orgsim.Holder("unnamed-cfo", False)
    assert before.name_of("unnamed-cfo") == "a new finance chief"
    assert after.offices["cfo"] == orgsim.Holder("dana", False) and after.people["dana"].at_org
    assert after.identified == {"unnamed-cfo": "dana"}
    assert after.to_dict()["people"]["unnamed-cfo"]["identified_as"] == "dana"


def test_a_leave_ends_at_the_end_of_its_stated_day(knows: orgsim.Timeline) -> None:
    during, last_day, after = (knows.state_at(t) for t in ("2021-02-15", "2021-03-31T23:00+01:00", "2021-04-01"))
    assert during.people["ada"].on_leave and during.leave_ends == {"ada": "2021-03-31"}
    assert last_day.people["ada"].on_leave
    assert not after.people["ada"].on_leave and after.leave_ends == {}
    end = knows.event("ada-sabbatical-ends")
    assert end.type == "leave_expired" and end.caused_by == ("ada-sabbatical",)  # type: ignore[attr-defined]
    assert end.sources == knows.event("ada-sabbatical").sources  # it cites the leave's own sources


def test_an_earlier_return_wins_over_the_stated_end(knows_copy: Path) -> None:
    events = yaml.safe_load((knows_copy / "events.yaml").read_text())
    leave = next(e for e in events if e["id"] == "ada-sabbatical")
    back = dict(leave, id="ada-back", type="leave_ended", at="2021-03-01T12:00:00+00:00", summary="Ada is back.")
    del back["until"]
    back["sources"] = [{"document": "memo.txt", "quote": "Ada came back early.", "language": "en"}]
    (knows_copy / "events.yaml").write_text(yaml.safe_dump([*events, back], allow_unicode=True))
    timeline = orgsim.load_timeline(knows_copy)
    assert not timeline.state_at("2021-03-02").people["ada"].on_leave
    assert not timeline.state_at("2021-04-02").people["ada"].on_leave  # the stated end found no leave to end


def test_changing_a_leaves_until_in_a_what_if_moves_its_end(knows: orgsim.Timeline) -> None:
    longer = orgsim.Scenario(
        title="a longer sabbatical",
        interventions=[orgsim.Change(change="ada-sabbatical", set={"until": "2021-06-30"})],
    ).run(knows)
    assert longer.state_at("2021-04-15").people["ada"].on_leave
    assert not longer.state_at("2021-07-01").people["ada"].on_leave
    open_ended = orgsim.Scenario(
        title="no stated end", interventions=[orgsim.Change(change="ada-sabbatical", set={"until": None})]
    ).run(knows)
    assert open_ended.state_at("2021-07-01").people["ada"].on_leave


def test_as_of_names_since_when_each_known_value_holds_and_the_event(knows: orgsim.Timeline) -> None:
    held = knows.as_of("2020-05-25")
    assert held["offices.ceo"].event == "ada-founds"
    assert held["offices.cfo"].event == "cfo-is-dana" and held["offices.cfo"].since.day == 20
    assert held["board.members"].event == "carol-accepts"
    assert "employees.headcount" not in held  # stale by then: unknown values have no age
    assert "structure" not in held  # never set


def test_coverage_paths_must_name_parts_of_the_state_and_intervals_must_be_in_order() -> None:
    base = {"name": "t", "organisation": "t", "home_zone": "UTC"}
    with pytest.raises(ValueError, match="unknown state field 'bored'"):
        Manifest(**base, coverage={"bored": {"from": "2020-01-01"}})
    with pytest.raises(ValueError, match="ends before it starts"):
        Manifest(**base, coverage={"board": {"from": "2020-01-01", "to": "2019-01-01"}})
    with pytest.raises(ValueError, match="in order and not overlap"):
        Manifest(**base, coverage={"board": [{"from": "2020-01-01", "to": "2020-12-31"}, {"from": "2020-06-01"}]})
    manifest = Manifest(**base, coverage={"board": {"from": "2020-01-01"}, "offices.cto": {"from": "2021-01-01"}})
    assert covered("board.chair", manifest, 1.6e9) and not covered("offices.cto", manifest, 1.6e9)
    assert not covered("people.ada", manifest, 1.6e9)  # declared coverage: a part none covers is not known
    assert coverage_problem("offices.ceo", manifest, None) is None


def test_each_kind_names_the_parts_it_changes(knows: orgsim.Timeline) -> None:
    parts = {event.id: parts_changed(event) for event in knows.events}
    assert parts["ada-founds"] == ("offices.ceo",)
    assert parts["bob-on-board"] == ("board",)
    assert parts["globex-to-hire-ada"] == ()  # announced: nothing changes yet
    assert parts["dozens-resign"] == ("employees.headcount",)
    assert parts["cfo-is-dana"] == ("people.dana",)


def test_an_event_outside_every_coverage_it_changes_is_refused(knows_copy: Path) -> None:
    events = yaml.safe_load((knows_copy / "events.yaml").read_text())
    events.append({**events[1], "id": "bob-on-board-too-early", "at": "2019-03-01T09:00:00+00:00"})
    (knows_copy / "events.yaml").write_text(yaml.safe_dump(events, allow_unicode=True))
    with pytest.raises(LoadError) as caught:
        orgsim.load_timeline(knows_copy)
    assert caught.value.event == "bob-on-board-too-early" and caught.value.field == "at"
    assert "outside the coverage of every part it changes (board: not covered before 2020-01-01)" in str(caught.value)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"id": "globex-withdraws", "announcement": "ada-founds"}, "announcement", "is not an announced event"),
        ({"id": "bob-declines", "offer": "ada-founds"}, "offer", "is not an offer"),
        ({"id": "cfo-is-dana", "placeholder": "bob"}, "placeholder", "is not a placeholder"),
        ({"id": "globex-withdraws", "announcement": "no-such-event"}, "announcement", "names no earlier event"),
    ],
)
def test_references_between_events_are_checked_at_load(
    knows_copy: Path, change: dict[str, str], field: str, message: str
) -> None:
    events = yaml.safe_load((knows_copy / "events.yaml").read_text())
    target = next(e for e in events if e["id"] == change["id"])
    target.update(change)
    (knows_copy / "events.yaml").write_text(yaml.safe_dump(events, allow_unicode=True))
    with pytest.raises(LoadError) as caught:
        orgsim.load_timeline(knows_copy)
    assert caught.value.event == change["id"] and caught.value.field == field and message in str(caught.value)


def test_an_external_source_must_name_its_publisher_and_date(knows_copy: Path) -> None:
    events = yaml.safe_load((knows_copy / "events.yaml").read_text())
    events[0]["sources"].append({"document": "A report", "quote": "Ada is CEO.", "language": "en", "external": True})
    (knows_copy / "events.yaml").write_text(yaml.safe_dump(events, allow_unicode=True))
    with pytest.raises(LoadError) as caught:
        orgsim.load_timeline(knows_copy)
    assert "names its publisher and the date it was published (publisher and published)" in str(caught.value)
    assert caught.value.event == "ada-founds"
