"""The bundled OpenAI timeline: right answers at the instants that matter, in any zone, with sources."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pendulum
import pytest

import orgsim
from orgsim.io.loading import bundled_timeline_path, load_folder
from orgsim.io.sources import check_quotes

PT = "America/Los_Angeles"
BEIJING = "Asia/Shanghai"


def both_zones(timeline: orgsim.Timeline, when: str) -> list[orgsim.OrgState]:
    """The state at a Pacific-time instant, asked in Pacific time and again in Beijing time."""
    instant = pendulum.parse(when, tz=PT)
    beijing = instant.in_tz(BEIJING).naive().isoformat()
    states = [timeline.state_at(when, tz=PT), timeline.state_at(beijing, tz=BEIJING)]
    assert states[0] == states[1], f"{when} PT and {beijing} Beijing disagree"
    return states


def test_validates_with_every_quote_verbatim() -> None:
    loaded = load_folder(bundled_timeline_path())
    checked, note = check_quotes(loaded)
    assert note is None and checked >= len(loaded.events)


def test_every_event_cites_a_seed_verbatim_or_a_named_public_report() -> None:
    loaded = load_folder(bundled_timeline_path())
    sources = bundled_timeline_path() / "sources"
    documents = {p.name: p.read_text(encoding="utf-8") for p in sources.glob("*.txt")}
    assert len(documents) == 5
    for event in loaded.events:
        seeds = [s for s in event.sources if not s.external]
        reports = [s for s in event.sources if s.external and s.publisher and s.published]
        assert seeds or reports, f"{event.id} cites neither a seed nor a named public report"
        for source in seeds:
            assert source.quote in documents[source.document], event.id
            assert source.translation.strip()


def test_everyone_acting_has_a_registry_entry(bundled: orgsim.Timeline) -> None:
    for person in bundled.manifest.people.values():
        assert person.name and person.role


def test_15_november_noon(bundled: orgsim.Timeline) -> None:
    for state in both_zones(bundled, "2023-11-15T12:00"):
        assert state.ceo == orgsim.Holder("sam-altman", False)
        assert len(state.board.members) == 6 and state.board.chair == "greg-brockman"
        assert set(state.board.independent) == {"adam-dangelo", "tasha-mccauley", "helen-toner"}
        assert state.headcount == 770
        microsoft = state.stakeholders["microsoft"]
        assert microsoft.investment_usd == pytest.approx(13e9) and state.stakeholder_board_seat("microsoft") == "none"


def test_the_vote_is_computed_from_the_directors_and_the_rule(bundled: orgsim.Timeline) -> None:
    state = bundled.state_at("2023-11-17T12:30", tz=PT)
    vote = state.votes["2023-11-17-board-votes-to-remove-altman"]
    assert vote.passed and vote.tally.startswith("passed: 4 yes, 0 no")
    assert bundled.rules.majority_of == "present" and not bundled.rules.interested_director_may_vote


def test_17_november_1pm(bundled: orgsim.Timeline) -> None:
    for state in both_zones(bundled, "2023-11-17T13:00"):
        assert state.ceo == orgsim.Holder("mira-murati", True)
        assert state.offices["cto"] == orgsim.Holder("mira-murati", False)
        assert len(state.board.members) == 4 and state.board.chair is None
        assert "sam-altman" not in state.board.members and "greg-brockman" not in state.board.members
        assert state.offices["president"] == orgsim.Holder("greg-brockman", False)


def test_19_november_noon(bundled: orgsim.Timeline) -> None:
    for state in both_zones(bundled, "2023-11-19T12:00"):
        assert state.ceo == orgsim.Holder("mira-murati", True)
        assert not state.people["greg-brockman"].at_org and state.offices["president"] is None


def test_20_november_noon(bundled: orgsim.Timeline) -> None:
    for state in both_zones(bundled, "2023-11-20T12:00"):
        assert state.ceo == orgsim.Holder("emmett-shear", True)
        # Microsoft's hire is an announcement, not employment (seed 000: "有报道称Altman转投微软并不确定")
        assert "2023-11-20-microsoft-hires-altman-and-brockman" in state.announced
        assert not state.stakeholders["microsoft"].employs and state.people["sam-altman"].affiliation is None


def test_20_november_10am_is_shear(bundled: orgsim.Timeline) -> None:
    assert bundled.state_at("2023-11-20T10:00", tz=PT).ceo == orgsim.Holder("emmett-shear", True)


def test_21_november_evening_letter_near_700(bundled: orgsim.Timeline) -> None:
    for state in both_zones(bundled, "2023-11-21T18:00"):
        assert state.open_letter_signatories is not None and 650 <= state.open_letter_signatories <= 770
        assert "ilya-sutskever" in state.signatories


def test_each_letter_count_is_its_own_sourced_event(bundled: orgsim.Timeline) -> None:
    counts = {(e.count, e.qualifier) for e in bundled.events if e.type == "signatures_reported"}
    assert {(490, "exact"), (500, "more_than"), (700, "nearly"), (700, "more_than")} <= counts


def test_23_november(bundled: orgsim.Timeline) -> None:
    for state in both_zones(bundled, "2023-11-23T12:00"):
        assert state.ceo == orgsim.Holder("sam-altman", False)
        assert state.board.members == ("adam-dangelo", "bret-taylor", "larry-summers")
        assert state.board.chair == "bret-taylor"
        assert state.offices["president"] == orgsim.Holder("greg-brockman", False)
        assert not state.stakeholders["microsoft"].employs


def test_june_2024_sutskever_and_leike_gone(bundled: orgsim.Timeline) -> None:
    state = bundled.state_at("2024-06-15T12:00", tz=PT)
    assert not state.people["ilya-sutskever"].at_org and not state.people["jan-leike"].at_org
    assert state.offices["chief_scientist"] == orgsim.Holder("jakub-pachocki", False)
    assert bundled.state_at("2024-06") == bundled.state_at("2024-06-30T23:59:59.999999-07:00")


def test_october_2024_no_cto_and_about_1700_staff(bundled: orgsim.Timeline) -> None:
    # 20 October: Murati's announced departure (25 September) is reported done by 18 October (Reuters)
    for state in both_zones(bundled, "2024-10-20T12:00"):
        assert state.offices["cto"] is None
        assert state.headcount == 1700 and state.headcount_qualifier == "about"
        assert state.people["greg-brockman"].on_leave
        assert not any(state.people[p].at_org for p in ("mira-murati", "bob-mcgrew", "barret-zoph", "john-schulman"))
        assert state.offices["svp_research"] == orgsim.Holder("mark-chen", False)


def test_beijing_times_are_converted_not_copied(bundled: orgsim.Timeline) -> None:
    shear = bundled.event("2023-11-19-shear-named-interim-ceo")
    assert shear.stated_at and "Asia/Shanghai" in shear.stated_at
    assert shear.at == pendulum.datetime(2023, 11, 20, 14, tz=BEIJING)


def test_chronology_reads_hour_by_hour_with_sources() -> None:
    result = subprocess.run(
        ["orgsim", "events", "--from", "2023-11-16", "--to", "2023-11-23"], capture_output=True, text=True, check=True
    )
    text = result.stdout
    assert "Friday 17 November 2023" in text and "Fri 2023-11-17 12:19 PST" in text
    assert text.count("source") > 50 and "events/sources" not in text
    assert "2023-11-15" not in text and "2023-11-24" not in text


def test_bundled_data_is_packaged_in_the_wheel_layout() -> None:
    assert (bundled_timeline_path() / "timeline.yaml").is_file()
    assert any(Path(bundled_timeline_path(), "sources").glob("*.txt"))


def test_a_count_cites_the_report_that_set_its_number_and_qualifier(bundled: orgsim.Timeline) -> None:
    sources = bundled.provenance("2023-11-21T12:00-08:00")
    state = bundled.state_at("2023-11-21T12:00-08:00")
    assert (state.open_letter_signatories, state.signatures_qualifier) == (700, "more_than")
    assert sources["employees.open_letter_signatories"].id == "2023-11-20-letter-more-than-700-signatures"
    assert sources["employees.headcount"].id == "2023-11-21-headcount-about-770-per-004"
