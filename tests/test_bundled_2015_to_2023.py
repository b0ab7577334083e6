"""The bundled OpenAI timeline from the launch (11 December 2015) to 16 November 2023: right or unknown, never wrong.

Each test asks the state at an instant after a change of the board, the officers, the headcount or Microsoft's
stake that the timeline models, and asserts the public-record answer, or that the value is unknown where the
sources cannot make it complete. The comment on each assertion names the report it rests on (the events cite it
verbatim). Instants are read in the timeline's home zone (Pacific) unless they say otherwise.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pendulum
import pytest

import orgsim
from orgsim.io.loading import bundled_timeline_path, load_folder

PT = "America/Los_Angeles"
BEIJING = "Asia/Shanghai"
EARLY_FILES = ("05-2015-to-2019.yaml", "07-2020-to-2023.yaml", "10-baseline.yaml", "20-2023-11-06-to-16.yaml")

SIX_OF_2023 = ["adam-dangelo", "greg-brockman", "helen-toner", "ilya-sutskever", "sam-altman", "tasha-mccauley"]


@pytest.fixture(scope="module")
def openai() -> orgsim.Timeline:
    """The bundled timeline, replayed once for this module."""
    return orgsim.load_timeline()


def at(timeline: orgsim.Timeline, when: str) -> orgsim.OrgState:
    """The state at a Pacific instant, checked to be the same asked in Beijing time."""
    state = timeline.state_at(when, tz=PT)
    beijing = pendulum.parse(when, tz=PT).in_tz(BEIJING).naive().isoformat()
    assert timeline.state_at(beijing, tz=BEIJING) == state, f"{when} PT and {beijing} Beijing disagree"
    return state


def holder(state: orgsim.OrgState, office: str) -> str | None:
    """The person holding ``office`` (asserting it is known and filled)."""
    value = state.offices[office]
    assert isinstance(value, orgsim.Holder), f"{office} is {value!r}"
    return value.person


def unknown_because(state: orgsim.OrgState, path: str, words: str) -> None:
    """``path`` is unknown, and the reason given says ``words``."""
    assert not state.is_known(path), f"{path} is known at {state.at}"
    why = state.why_unknown(path)
    assert why is not None and words in why, why


# --- before the launch, and the launch (Fast Company; ValueWalk; Loeber; TechCrunch) ---


def test_before_the_launch_nothing_is_known(openai: orgsim.Timeline) -> None:
    state = at(openai, "2015-06-01T12:00")
    assert state.ceo is orgsim.UNKNOWN and state.board is orgsim.UNKNOWN and state.structure is orgsim.UNKNOWN
    unknown_because(state, "board", "not covered before 2015-12-11")
    unknown_because(state, "people.sam-altman", "not covered before 2015-12-11")


def test_launch_day_founding_board_cto_and_research_director(openai: orgsim.Timeline) -> None:
    state = at(openai, "2015-12-11T15:00")
    # Loeber, TechCrunch: the founding board is two people, co-chairs Musk and Altman
    assert state.board.members == ("elon-musk", "sam-altman") and state.board.independent == ()
    # two co-chairs cannot be one chair: the chair is not claimed (statement 2015-12-11-musk-and-altman-co-chairs)
    unknown_because(state, "board.chair", "co-chairs")
    # Fast Company: Brockman is CTO, Sutskever research director
    assert holder(state, "cto") == "greg-brockman" and holder(state, "director_of_research") == "ilya-sutskever"
    # no report names a CEO before OpenAI LP (March 2019)
    unknown_because(state, "offices.ceo", "not covered before 2019-03-11")
    unknown_because(state, "offices.chief_scientist", "not covered before 2020-02-17")
    # ValueWalk, quoting OpenAI: a non-profit AI research company
    assert state.structure == "Non-profit artificial intelligence research company"
    for founder in ("sam-altman", "greg-brockman", "ilya-sutskever", "john-schulman"):
        assert state.people[founder].at_org
    assert not state.people["elon-musk"].known  # a director, never placed as staff


def test_2016_board_and_research_director_are_unknown(openai: orgsim.Timeline) -> None:
    state = at(openai, "2016-06-01T12:00")
    # Loeber: the 2016 Form 990 lists Clark (and perhaps Levy) with no dates
    unknown_because(state, "board", "not covered between 2015-12-31 and 2017-03-01")
    unknown_because(state, "offices.director_of_research", "not covered between 2015-12-31 and 2020-02-17")
    assert holder(state, "cto") == "greg-brockman"  # CTO at the launch and in February 2020
    unknown_because(state, "employees.headcount", "no event reports it")


# --- 2017: the board of four, then six (TechCrunch; Loeber's Form 990 lists) ---


def test_april_2017_board_of_four(openai: orgsim.Timeline) -> None:
    state = at(openai, "2017-04-15T12:00")
    # TechCrunch: "By March 2017, the board had grown to four: Musk, Altman, Chris Clark ... and Holden Karnofksy"
    assert state.board.members == ("chris-clark", "elon-musk", "holden-karnofsky", "sam-altman")
    assert state.board.independent == ("holden-karnofsky",)
    unknown_because(state, "board.chair", "not covered before 2023-11-01")


def test_autumn_2017_board_is_unknown(openai: orgsim.Timeline) -> None:
    # TechCrunch: Brockman and Sutskever joined "in late 2017", a time no report makes exact
    unknown_because(at(openai, "2017-09-01T12:00"), "board", "not covered between 2017-06-30 and 2017-12-31")


def test_end_of_2017_board_of_six(openai: orgsim.Timeline) -> None:
    state = at(openai, "2017-12-31T12:00")
    # Loeber: the Form 990 for 2017 lists Musk, Altman, Clark, Karnofsky, Brockman, Sutskever
    assert state.board.members == (
        "chris-clark",
        "elon-musk",
        "greg-brockman",
        "holden-karnofsky",
        "ilya-sutskever",
        "sam-altman",
    )
    assert state.people["jakub-pachocki"].at_org  # AI Business: with OpenAI since 2017


# --- 2018-2022: the board is not covered (Musk 20 Feb 2018; Clark, Yoon, Hoffman, McCauley, Zilis undated) ---


@pytest.mark.parametrize("when", ["2018-03-01T12:00", "2019-06-01T12:00", "2021-06-01T12:00", "2023-03-05T12:00"])
def test_board_between_2018_and_july_2023_is_unknown(openai: orgsim.Timeline, when: str) -> None:
    state = at(openai, when)
    unknown_because(state, "board", "not covered between 2017-12-31 and 2023-08-01")
    assert state.board is orgsim.UNKNOWN
    # a stakeholder's seat follows from the board: unknown too
    assert orgsim.model.paths.value_at(state, "stakeholders.microsoft.board_seat") is None


def test_musk_and_hoffman_departures_are_recorded_without_claiming_the_board(openai: orgsim.Timeline) -> None:
    ids = {event.id for event in openai.events}
    # Loeber (20 February 2018); CNBC (3 March 2023); Benzinga (March 2023); Bloomberg (June) and Axios (July) on Hurd
    assert {
        "2018-02-20-musk-leaves-board",
        "2023-03-03-hoffman-leaves-board",
        "2023-03-zilis-leaves-board",
        "2023-06-hurd-leaves-board-per-bloomberg",
        "2023-07-hurd-leaves-board-per-axios",
    } <= ids
    assert openai.event("2018-02-20-musk-leaves-board").type == "statement"


# --- 2018: Murati and Lightcap join (bdnews24/NYT; Leidi's 6.5 years; eFinancialCareers; Fortune) ---


def test_mid_2018_murati_joined_and_40_to_50_staff(openai: orgsim.Timeline) -> None:
    before = at(openai, "2018-03-01T12:00")
    assert not before.people["mira-murati"].known  # joined in 2018: unknown before the first half's end, not absent
    state = at(openai, "2018-07-01T12:00")
    assert state.people["mira-murati"].at_org
    # Fortune via bdnews24: "the company had just 40 to 50 employees"
    assert state.headcount_range == (40, 50) and state.headcount_qualifier == "about"
    assert not state.people["brad-lightcap"].known  # joined in 2018, month unreported: placed at its end


def test_early_2019_lightcap_at_openai_headcount_stale_ceo_unknown(openai: orgsim.Timeline) -> None:
    state = at(openai, "2019-01-15T12:00")
    assert state.people["brad-lightcap"].at_org
    # the CFO title is not set: the WSJ report calls the CFO named in 2024 OpenAI's first
    assert "chief_financial_officer" not in state.offices or not state.is_known("offices.chief_financial_officer")
    unknown_because(state, "employees.headcount", "no longer current")
    unknown_because(state, "offices.ceo", "not covered before 2019-03-11")
    unknown_because(state, "stakeholders.microsoft", "not covered before 2019-07-22")


# --- March 2019: OpenAI LP and Altman as CEO (OpenAI; Axios; MIT Technology Review) ---


def test_march_2019_altman_ceo_and_capped_profit(openai: orgsim.Timeline) -> None:
    state = at(openai, "2019-03-12T12:00")
    assert state.ceo == orgsim.Holder("sam-altman", False)
    assert "capped-profit" in state.structure
    assert holder(state, "cto") == "greg-brockman"


def test_august_2019_microsoft_invested_1bn_brockman_cto(openai: orgsim.Timeline) -> None:
    state = at(openai, "2019-08-07T12:00")
    # Fortune: USD 1 billion on 22 July 2019
    assert state.stakeholders["microsoft"].investment_usd == pytest.approx(1e9)
    # MIT Technology Review (Hao): on 7 August 2019 Brockman is CTO, "soon-to-be company president"
    assert holder(state, "cto") == "greg-brockman"
    unknown_because(state, "offices.president", "not covered before 2023-03-10")


# --- February 2020: titles per MIT Technology Review ---


def test_17_february_2020_titles(openai: orgsim.Timeline) -> None:
    state = at(openai, "2020-02-17T12:00")
    # "Greg Brockman, co-founder and CTO; Ilya Sutskever, co-founder and chief scientist; and Dario Amodei,
    # research director"
    assert holder(state, "cto") == "greg-brockman"
    assert holder(state, "chief_scientist") == "ilya-sutskever"
    assert holder(state, "director_of_research") == "dario-amodei"
    assert state.people["dario-amodei"].at_org


def test_mid_2020_cto_and_research_director_unknown(openai: orgsim.Timeline) -> None:
    state = at(openai, "2020-06-01T12:00")
    unknown_because(state, "offices.cto", "not covered between 2020-02-17 and 2022-05-01")
    unknown_because(state, "offices.director_of_research", "not covered between 2020-02-17 and 2023-11-17")
    unknown_because(state, "people.dario-amodei", "not covered between 2020-02-17 and 2020-12-31")
    assert holder(state, "chief_scientist") == "ilya-sutskever"
    assert state.ceo == orgsim.Holder("sam-altman", False)


# --- end of 2020: Amodei and others leave to found Anthropic (Titanium Media) ---


def test_2021_amodei_has_left_for_anthropic(openai: orgsim.Timeline) -> None:
    state = at(openai, "2021-01-15T12:00")
    amodei = state.people["dario-amodei"]
    assert not amodei.at_org and amodei.former and amodei.affiliation == "anthropic"
    # PureAI: Microsoft invested another USD 2 billion in 2021, on a day no report gives
    unknown_because(state, "stakeholders.microsoft.investment_usd", "not covered between 2020-12-31 and 2022-01-01")


# --- May 2022: Murati CTO, Lightcap COO (Fortune; Bruthvika India; Business Today) ---


def test_june_2022_murati_cto_lightcap_coo(openai: orgsim.Timeline) -> None:
    state = at(openai, "2022-06-01T12:00")
    assert holder(state, "cto") == "mira-murati"
    assert holder(state, "coo") == "brad-lightcap"
    unknown_because(state, "offices.president", "not covered before 2023-03-10")
    # PureAI: USD 1 billion in 2019 and 2 billion in 2021, "the $3 billion it has already invested"
    assert state.stakeholders["microsoft"].investment_usd == pytest.approx(3e9)


# --- early 2023: Microsoft's third investment, 375 at headquarters, Brockman president ---


def test_february_2023_microsoft_13bn_and_375_staff(openai: orgsim.Timeline) -> None:
    state = at(openai, "2023-02-15T12:00")
    assert state.stakeholders["microsoft"].investment_usd == pytest.approx(13e9)  # 1 + 2 + 10 (the seeds: 13)
    assert state.headcount == 375  # Fast Company, end of January 2023


def test_march_2023_brockman_president(openai: orgsim.Timeline) -> None:
    state = at(openai, "2023-03-11T12:00")
    # limnews (after FAZ): "the president and co-founder of the company said at ... South by Southwest"
    assert holder(state, "president") == "greg-brockman"
    assert holder(state, "cto") == "mira-murati" and state.ceo == orgsim.Holder("sam-altman", False)


def test_may_2023_about_400_employees(openai: orgsim.Timeline) -> None:
    state = at(openai, "2023-05-01T12:00")
    assert state.headcount == 400 and state.headcount_qualifier == "about"  # The Information, 17 April 2023


def test_shear_leaving_twitch_is_two_reports_and_his_standing_unknown(openai: orgsim.Timeline) -> None:
    march = openai.event("2023-03-16-shear-steps-down-as-twitch-ceo")
    june = openai.event("2023-06-shear-leaves-twitch-per-titanium-media")
    assert march.type == june.type == "statement"  # kept as two reports: March (铋读; The Sun) and June (Titanium)
    state = at(openai, "2023-07-01T12:00")
    assert not state.people["emmett-shear"].known


# --- July 2023: superalignment (the AI人才超市 article; the WSJ report; San Francisco Business Times) ---


def test_july_2023_superalignment_co_leads(openai: orgsim.Timeline) -> None:
    state = at(openai, "2023-07-15T12:00")
    assert holder(state, "superalignment_co_lead") == "jan-leike"
    assert holder(state, "superalignment_co_lead_2") == "ilya-sutskever"
    assert holder(state, "chief_scientist") == "ilya-sutskever"
    unknown_because(state, "board", "not covered between 2017-12-31 and 2023-08-01")  # Hurd: June or July
    # The Information's April report stays current for 90 days, to 16 July: then the headcount is unknown
    assert openai.state_at("2023-07-16T12:00", tz=PT).headcount == 400
    unknown_because(at(openai, "2023-07-20T12:00"), "employees.headcount", "no longer current")


# --- August 2023: the six-member board as listed from July (Forbes; TechCrunch; Semafor; the seeds) ---


def test_august_2023_board_of_six_chair_unknown(openai: orgsim.Timeline) -> None:
    state = at(openai, "2023-08-15T12:00")
    assert list(state.board.members) == SIX_OF_2023
    assert state.board.independent == ("adam-dangelo", "helen-toner", "tasha-mccauley")
    unknown_because(state, "board.chair", "not covered before 2023-11-01")
    assert orgsim.model.paths.value_at(state, "stakeholders.microsoft.board_seat") == "none"


# --- October and November 2023: preparedness, chief strategy officer, the eve of the crisis ---


def test_27_october_2023_madry_heads_preparedness(openai: orgsim.Timeline) -> None:
    state = at(openai, "2023-10-27T12:00")
    assert holder(state, "head_of_preparedness") == "aleksander-madry"  # The Verge, 26 October 2023
    unknown_because(state, "offices.chief_strategy_officer", "not covered before 2023-11-01")


def test_2_november_2023_kwon_cso_research_director_not_yet_covered(openai: orgsim.Timeline) -> None:
    state = at(openai, "2023-11-02T12:00")
    assert holder(state, "chief_strategy_officer") == "jason-kwon"  # the AI人才超市 article; Bloomberg Law
    # The New York Times: Pachocki was promoted "in recent weeks"; covered from 17 November only
    unknown_because(state, "offices.director_of_research", "not covered between 2020-02-17 and 2023-11-17")


def test_eve_of_the_crisis(openai: orgsim.Timeline) -> None:
    state = at(openai, "2023-11-16T12:00")
    assert state.ceo == orgsim.Holder("sam-altman", False)
    expected = {
        "president": "greg-brockman",
        "cto": "mira-murati",
        "chief_scientist": "ilya-sutskever",
        "coo": "brad-lightcap",
        "chief_strategy_officer": "jason-kwon",
        "head_of_preparedness": "aleksander-madry",
    }
    assert {office: holder(state, office) for office in expected} == expected
    assert list(state.board.members) == SIX_OF_2023 and state.board.chair == "greg-brockman"
    assert state.headcount == 770 and state.headcount_qualifier == "about"
    microsoft = state.stakeholders["microsoft"]
    assert microsoft.investment_usd == pytest.approx(13e9)
    assert microsoft.investment_form == "mostly cloud-computing credits rather than cash"
    # people first attested in September 2024 are not placed in 2023
    for person in ("barret-zoph", "josh-achiam", "srinivas-narayanan", "emmett-shear"):
        assert not state.people[person].known, person
    # McGrew rests on a November 2023 report (The Information, via Telepace News); Chen and Knight are inferred
    for person in ("bob-mcgrew", "szymon-sidor", "mark-chen", "matt-knight"):
        assert state.people[person].at_org, person


def test_17_november_2023_pachocki_director_of_research(openai: orgsim.Timeline) -> None:
    state = at(openai, "2023-11-17T06:00")
    assert holder(state, "director_of_research") == "jakub-pachocki"  # the 铋读 reconstruction; The Information


def test_the_november_2023_headcount_goes_stale(openai: orgsim.Timeline) -> None:
    # the 770 report stays current for 90 days (finding: "about 770 stands until September 2024")
    report = openai.event("2023-11-baseline-headcount-about-770")
    assert report.current_for == "P90D"
    state = openai.state_at("2024-06-01T12:00", tz=PT)
    source = openai.as_of("2024-06-01T12:00", tz=PT).get("employees.headcount")
    assert state.headcount is orgsim.UNKNOWN or (source is not None and source.event != report.id)


def test_as_of_says_since_when_the_ceo_holds(openai: orgsim.Timeline) -> None:
    found = openai.as_of("2023-11-16T12:00", tz=PT)
    assert found["offices.ceo"].since == pendulum.datetime(2019, 3, 11, tz=PT)
    assert found["board.members"].since == pendulum.datetime(2023, 8, 1, tz=PT)


# --- the data of this period: sources, names, fixes of the seed audit ---


def _early_events() -> list[Any]:
    loaded = load_folder(bundled_timeline_path())
    return [event for event in loaded.events if Path(loaded.origins[event.id]).name in EARLY_FILES]


def test_summaries_name_publications_not_seed_numbers() -> None:
    for event in _early_events():
        for text in (event.summary, event.stated_at or ""):
            assert "seed" not in text.lower(), event.id


def test_every_external_report_of_this_period_names_publisher_date_and_words() -> None:
    reports = [s for e in _early_events() for s in e.sources if s.external]
    assert len(reports) > 60
    for source in reports:
        assert source.publisher and source.published and source.quote and source.document


def test_the_macron_meeting_names_only_brockman(openai: orgsim.Timeline) -> None:
    meeting = openai.event("2023-11-09-brockman-meets-macron")
    assert set(meeting.people) == {"greg-brockman", "emmanuel-macron"}
    assert any(s.external and "Emmanuel Macron" in s.quote for s in meeting.sources)


def test_the_apec_city_rests_on_an_external_report(openai: orgsim.Timeline) -> None:
    apec = openai.event("2023-11-16-altman-at-apec-ceo-summit")
    assert any(s.external and "San Francisco" in s.quote for s in apec.sources)
    assert not any(not s.external and "San Francisco" in s.quote for s in apec.sources)


def test_the_outages_and_microsofts_restriction_are_separate_and_honestly_dated(openai: orgsim.Timeline) -> None:
    assert openai.event("2023-11-chatgpt-outages-after-devday").precision == "month"
    assert openai.event("2023-11-09-microsoft-briefly-restricts-chatgpt").precision == "day"
    assert openai.event("2023-11-09-paris-investor-meeting").precision == "month"
