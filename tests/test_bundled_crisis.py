"""The bundled timeline, 17 to 30 November 2023: who controlled OpenAI at each instant, and the durations stated.

Each assertion is written from the source named beside it: the seeds by their publication (铋读 = seed 000, AI人才超市 =
seed 001, 雷递网 = seed 002, the WSJ report = seed 003, Titanium Media = seed 004) and the external reports by outlet.
There is at least one instant after every change of CEO, officers, board seats and chair the timeline models in the
period; the durations compare the model's tenures, read off the replayed states, with the seeds' own figures.
"""

from __future__ import annotations

import pendulum
import pytest

import orgsim

PT = "America/Los_Angeles"
BEIJING = "Asia/Shanghai"
OLD_FOUR = ("adam-dangelo", "helen-toner", "ilya-sutskever", "tasha-mccauley")
INITIAL_BOARD = ("adam-dangelo", "bret-taylor", "larry-summers")
HIRE = "2023-11-20-microsoft-hires-altman-and-brockman"
COLLEAGUES = "2023-11-20-microsoft-to-hire-colleagues"


@pytest.fixture(scope="module")
def crisis() -> orgsim.Timeline:
    return orgsim.load_timeline()


def at(timeline: orgsim.Timeline, when: str) -> orgsim.OrgState:
    """The state at a Pacific-time instant, checked to be the same state when asked in Beijing time."""
    instant = pendulum.parse(when, tz=PT)
    state = timeline.state_at(when, tz=PT)
    assert state == timeline.state_at(instant.in_tz(BEIJING).naive().isoformat(), tz=BEIJING)
    return state


def since(timeline: orgsim.Timeline, when: str, path: str) -> pendulum.DateTime:
    """Since when the value at ``path`` holds, as the replayed state at ``when`` says (in Pacific time)."""
    return pendulum.instance(timeline.as_of(when, tz=PT)[path].since).in_tz(PT)


def holder(state: orgsim.OrgState, office: str) -> orgsim.Holder | None:
    value = state.offices.get(office)
    assert value is not orgsim.UNKNOWN, office
    return value  # type: ignore[return-value]


def board(state: orgsim.OrgState) -> orgsim.Board:
    assert state.board is not orgsim.UNKNOWN
    return state.board  # type: ignore[return-value]


# --- the instants -----------------------------------------------------------------------------------------------


def test_17_november_before_noon_the_six_member_board_and_altman(crisis: orgsim.Timeline) -> None:
    state = at(crisis, "2023-11-17T11:59")
    # 001: "除了Sam、Greg、Ilya三个联合创始人,Open AI还引进了Adam D'Angelo、Tasha McCauley以及Helen Toner来担任独立董事"
    assert state.ceo == orgsim.Holder("sam-altman", False)
    assert board(state).chair == "greg-brockman" and len(board(state).members) == 6


def test_17_november_after_the_vote_murati_interim_ceo_and_cto_four_directors_no_chair(crisis: orgsim.Timeline) -> None:
    state = at(crisis, "2023-11-17T12:30")
    # 004: "serait remplacé par le directeur technique Mira, avec effet immédiat";
    # 004 on 20 Nov: "Mira Murati, directrice technique"
    assert state.ceo == orgsim.Holder("mira-murati", True)
    assert holder(state, "cto") == orgsim.Holder("mira-murati", False)
    # Altman and Brockman are off (004: "quitterait le conseil d'administration")
    assert board(state).members == OLD_FOUR and board(state).chair is None
    # 000: "从董事会中除名,但仍担任公司总裁"; The Verge, 17 Nov: "remain in his role at the company"
    assert holder(state, "president") == orgsim.Holder("greg-brockman", False)
    assert not state.people["sam-altman"].at_org
    vote = state.votes["2023-11-17-board-votes-to-remove-altman"]
    assert vote.passed and vote.tally.startswith("passed: 4 yes, 0 no")


def test_the_vote_is_dated_to_the_day_with_no_seed_timing_it(crisis: orgsim.Timeline) -> None:
    vote = crisis.event("2023-11-17-board-votes-to-remove-altman")
    assert vote.precision == "day" and vote.at == pendulum.datetime(2023, 11, 17, 12, tz=PT)
    assert all("三票话语权" not in source.quote for source in vote.sources)


def test_brockman_is_president_until_his_post_at_16_09_and_gone_after(crisis: orgsim.Timeline) -> None:
    # Ars Technica: "An X post from OpenAI President Greg Brockman sent 7:09 PM Eastern on Nov 17, 2023."
    before, after = at(crisis, "2023-11-17T16:08"), at(crisis, "2023-11-17T16:10")
    assert holder(before, "president") == orgsim.Holder("greg-brockman", False)
    assert holder(after, "president") is None and not after.people["greg-brockman"].at_org
    # the model's own 004 report of the announcement is at the same instant, not hours before the resignation
    report = crisis.event("2023-11-17-brockman-announces-quitting-per-004")
    assert report.at == crisis.event("2023-11-17-brockman-resigns").at and report.zone == BEIJING


def test_17_november_night_the_three_researchers_gone_and_their_posts_vacant(crisis: orgsim.Timeline) -> None:
    state = at(crisis, "2023-11-17T22:00")
    # 000: "研究主任雅库布·帕乔基(Jakub Pachocki)和准备工作负责人
    # 亚历山大·马德里(Aleksander Madry)宣布,他们也将团结一致辞职"
    assert holder(state, "director_of_research") is None and holder(state, "head_of_preparedness") is None
    assert not any(state.people[p].at_org for p in ("jakub-pachocki", "aleksander-madry", "szymon-sidor"))


def test_19_november_evening_murati_still_ceo_and_every_offer_declined(crisis: orgsim.Timeline) -> None:
    state = at(crisis, "2023-11-19T21:00")
    # 000: "周日,临时首席执行官Mira Murati 担任OpenAI 负责人的 48 小时任期结束,董事会任命 ... Emmett Shear";
    # 004 times the board's announcement at 14:00 Beijing time on the 20th (22:00 here)
    assert state.ceo == orgsim.Holder("mira-murati", True)
    # 004: "qui ont tous décliné l'offre, à l'exception de Hill"; "Amodaii a rapidement refusé une offre de devenir PDG"
    offers = {offer.to: offer for offer in state.offers.values()}
    assert set(offers) == {"dario-amodei", "nat-friedman", "alexandr-wang"}
    assert all(offer.status == "declined" and offer.office == "ceo" for offer in offers.values())
    assert not offers["dario-amodei"].interim and offers["nat-friedman"].interim


def test_19_november_22_30_shear_interim_ceo_murati_cto(crisis: orgsim.Timeline) -> None:
    state = at(crisis, "2023-11-19T22:30")  # 14:30 on the 20th in Beijing
    # 004: "vers 14 heures, heure de Pékin, le 20 novembre ... Emmett Shear ... PDG par intérim"
    assert state.ceo == orgsim.Holder("emmett-shear", True)
    assert holder(state, "cto") == orgsim.Holder("mira-murati", False)
    assert board(state).members == OLD_FOUR


def test_20_november_microsoft_has_announced_not_hired_and_dozens_have_left(crisis: orgsim.Timeline) -> None:
    state = at(crisis, "2023-11-20T00:30")
    # 004: "a soudainement annoncé qu'Ultraman et Greg Brockman ... rejoindraient Microsoft"; "... et leurs collègues"
    # 000: "有报道称Altman转投微软并不确定": an announcement, not employment
    assert {HIRE, COLLEAGUES} <= set(state.announced)
    assert not state.stakeholders["microsoft"].employs  # type: ignore[union-attr]
    assert state.people["sam-altman"].affiliation is None and not state.people["sam-altman"].at_org
    # 004: "des dizaines d'employés d'OpenAI ont également choisi de démissionner": at least 20 fewer than about 770
    assert state.headcount_range == (None, 750)


def test_20_november_the_letter_counts_as_each_source_reports_them(crisis: orgsim.Timeline) -> None:
    # 004: "Dans la soirée du 20, 490 employés"; 000: "周一上午,一封来自500多名 OpenAI 员工的公开信"
    early, morning = at(crisis, "2023-11-20T05:00"), at(crisis, "2023-11-20T10:00")
    assert (early.open_letter_signatories, early.signatures_qualifier) == (490, "exact")
    assert (morning.open_letter_signatories, morning.signatures_qualifier) == (500, "more_than")
    assert "ilya-sutskever" in early.signatories  # 004: "les signataires de la lettre, dont Ilya Sutskever"
    # 000: "此后签署人数已增至近 700 人"
    noon = at(crisis, "2023-11-20T12:00")
    assert (noon.open_letter_signatories, noon.signatures_qualifier) == (700, "nearly")


def test_21_november_noon_more_than_700_of_about_770_unverified_shear_still_ceo(crisis: orgsim.Timeline) -> None:
    state = at(crisis, "2023-11-21T12:00")
    # 004: "Le nombre de lettres conjointes a dépassé les 700, ce qui représente 95 % du total d'environ 770 employés"
    assert (state.open_letter_signatories, state.signatures_qualifier) == (700, "more_than")
    assert (state.headcount, state.headcount_qualifier) == (770, "about")
    assert state.ceo == orgsim.Holder("emmett-shear", True) and board(state).members == OLD_FOUR
    # 004: "il n'est pas possible d'en clarifier l'authenticité à l'heure actuelle"
    caveat = crisis.event("2023-11-21-letter-signatures-unverified-per-004")
    assert caveat.caused_by == ("2023-11-20-letter-more-than-700-signatures",)


def test_21_november_late_altman_ceo_brockman_president_the_initial_board(crisis: orgsim.Timeline) -> None:
    state = at(crisis, "2023-11-21T23:00")
    # 000: "周二深夜 ... 已就Altman 重新担任首席执行官达成原则协议";
    # OpenAI on X (gHacks, 22 Nov): "a new initial board of Bret Taylor (Chair), Larry Summers, and Adam D'Angelo"
    assert state.ceo == orgsim.Holder("sam-altman", False)
    assert board(state).members == INITIAL_BOARD and board(state).chair == "bret-taylor"
    # CNBC, 29 Nov: "Greg Brockman has returned as OpenAI president"
    assert holder(state, "president") == orgsim.Holder("greg-brockman", False)
    assert holder(state, "cto") == orgsim.Holder("mira-murati", False)
    assert not state.people["emmett-shear"].at_org and state.people["emmett-shear"].former
    # Microsoft's announcements are withdrawn, never carried out
    # (The Daily Beast, 22 Nov: "I'm looking forward to returning to OpenAI")
    assert not state.announced and not state.stakeholders["microsoft"].employs  # type: ignore[union-attr]
    assert state.stakeholder_board_seat("microsoft") == "none"


def test_25_november_the_initial_board_sits_and_altman_holds_no_seat(crisis: orgsim.Timeline) -> None:
    state = at(crisis, "2023-11-25T12:00")
    # Campaign Asia, 23 Nov: "Altman won't be on the initial board". Reuters (28 Nov) reports the three "expected to be
    # confirmed" and Business Insider dates Toner's resignation to 29 Nov: both kept as their own reports (statements).
    assert board(state).members == INITIAL_BOARD and "sam-altman" not in board(state).members
    assert state.ceo == orgsim.Holder("sam-altman", False)
    for report in ("2023-11-28-reuters-initial-board-yet-to-be-confirmed", "2023-11-29-toner-resignation-announced"):
        assert crisis.event(report).type == "statement"


def test_29_november_microsoft_observer_seat_and_two_researchers_back(crisis: orgsim.Timeline) -> None:
    before, state = at(crisis, "2023-11-29T11:00"), at(crisis, "2023-11-29T13:00")
    assert before.stakeholder_board_seat("microsoft") == "none"
    # CNBC, 29 Nov: "Microsoft will have a non-voting board seat at OpenAI, the company announced on Wednesday."
    assert board(state).observers == ("unnamed-microsoft-observer",) and board(state).members == INITIAL_BOARD
    assert state.seats["unnamed-microsoft-observer"] == orgsim.Seat("observer", False, "microsoft")
    assert state.stakeholder_board_seat("microsoft") == "observer"
    # topnews.media, 29 Nov: "Jakub Pachocki and Szymon Sidor are back at OpenAI";
    # Madry is first reported back on 18 Dec
    assert state.people["jakub-pachocki"].at_org and state.people["szymon-sidor"].at_org
    assert not state.is_known("people.aleksander-madry") and "18 December" in state.why_unknown(
        "people.aleksander-madry"
    )
    # no report says whether Pachocki took the title back: unknown, not vacant
    assert state.offices["director_of_research"] is orgsim.UNKNOWN
    assert "not reported" in state.why_unknown("offices.director_of_research")


def test_30_november_end_of_the_period(crisis: orgsim.Timeline) -> None:
    state = at(crisis, "2023-11-30T23:00")
    # CNBC, 29 Nov: "Mira Murati ... is the company's CTO once again,
    # and Greg Brockman has returned as OpenAI president."
    assert state.ceo == orgsim.Holder("sam-altman", False)
    assert holder(state, "cto") == orgsim.Holder("mira-murati", False)
    assert holder(state, "president") == orgsim.Holder("greg-brockman", False)
    assert holder(state, "chief_scientist") == orgsim.Holder("ilya-sutskever", False)  # off the board, not out (NDTV)
    assert board(state).chair == "bret-taylor" and board(state).members == INITIAL_BOARD
    assert board(state).observers == ("unnamed-microsoft-observer",)
    assert (state.headcount, state.headcount_qualifier) == (770, "about")
    assert not state.people["dario-amodei"].at_org and not state.people["emmett-shear"].at_org


def test_18_december_madry_back_as_head_of_preparedness(crisis: orgsim.Timeline) -> None:
    # Axios, 18 Dec: "OpenAI head of preparedness Aleksander Madry told Axios"
    state = at(crisis, "2023-12-18T13:00")
    assert state.people["aleksander-madry"].at_org
    assert holder(state, "head_of_preparedness") == orgsim.Holder("aleksander-madry", False)


def test_beijing_days_are_dated_in_beijing_and_lie_inside_that_day(crisis: orgsim.Timeline) -> None:
    dated = {
        "2023-11-18-altman-tells-investors-of-chip-company-per-004": 19,  # "Heure de Pékin le 19 novembre"
        "2023-11-18-board-in-talks-with-altman": 19,
        "2023-11-18-nadella-talks-to-altman": 19,
        "2023-11-19-microsoft-eyes-seat-on-new-board": 20,  # "Actualités du 20 novembre, heure de Pékin"
        "2023-11-20-dozens-of-employees-resign-per-004": 20,
        "2023-11-20-letter-more-than-700-signatures": 21,  # "Nouvelles du 21 novembre, heure de Pékin"
        "2023-11-21-headcount-about-770-per-004": 21,
    }
    for event_id, day in dated.items():
        event = crisis.event(event_id)
        assert event.zone == BEIJING and event.precision in ("day", "month"), event_id
        assert pendulum.instance(event.at).in_tz(BEIJING).date() == pendulum.date(2023, 11, day), event_id


def test_the_translation_keeps_after_leaving_microsoft_on_monday(crisis: orgsim.Timeline) -> None:
    [source] = crisis.event("2023-11-20-altman-praises-leadership-team").sources
    assert "周一离开微软后" in source.quote and source.translation.startswith("After leaving Microsoft on Monday")


def test_sutskevers_regret_is_not_made_a_consequence_of_the_letter(crisis: orgsim.Timeline) -> None:
    assert crisis.event("2023-11-20-sutskever-regrets-role").caused_by == ("2023-11-17-board-votes-to-remove-altman",)


# --- the durations the seeds state --------------------------------------------------------------------------------

SHEAR_NAMED = "2023-11-19T22:30"
ALTMAN_BACK = "2023-11-21T23:00"


def test_murati_interim_tenure_is_58_hours_where_the_seed_says_48(crisis: orgsim.Timeline) -> None:
    start = since(crisis, "2023-11-18T12:00", "offices.ceo")
    end = since(crisis, SHEAR_NAMED, "offices.ceo")
    assert (start, end) == (pendulum.datetime(2023, 11, 17, 12, tz=PT), pendulum.datetime(2023, 11, 19, 22, tz=PT))
    # 000: "周日,临时首席执行官Mira Murati 担任OpenAI 负责人的 48 小时任期结束".
    # The model deliberately ends her tenure at the board's announcement of Shear (about 14:00 Beijing time
    # on the 20th, 004), which is still Sunday in California as 000 says; 48 hours from the noon announcement
    # would end at Sunday noon, a time no source gives. A round "48 hours" (two days) is read as good to half
    # a day: the model's 58 h is 10 h over, inside it.
    hours = (end - start).in_hours()
    assert hours == 58 and abs(hours - 48) <= 12
    assert end.day_of_week == pendulum.SUNDAY


def test_shear_tenure_is_48_hours_against_his_55_h_32_min_and_about_72(crisis: orgsim.Timeline) -> None:
    start = since(crisis, SHEAR_NAMED, "offices.ceo")
    end = since(crisis, ALTMAN_BACK, "offices.ceo")
    assert end == pendulum.datetime(2023, 11, 21, 22, tz=PT)
    assert (end - start).in_minutes() == 48 * 60
    # 000: "他在55小时32分钟内就完成了担任 OpenAI首席执行官的时间". A joke's figure to the minute,
    # but the model's end is a placeholder for "周二深夜" (late Tuesday): counted back from it,
    # 55 h 32 min puts Shear's start at 14:28 Pacific on Sunday, hours before the board's announcement that
    # the model uses (22:00 Pacific, 004). The model keeps the announced time; the seed's figure fits a start
    # on Sunday afternoon (000 says he was named on Sunday).
    implied_start = end.subtract(hours=55, minutes=32)
    assert implied_start == pendulum.datetime(2023, 11, 19, 14, 28, tz=PT)
    assert implied_start.day_of_week == pendulum.SUNDAY and implied_start < start
    # 000: "经过约 72个小时的紧张工作后" ("about 72 hours of intense work"): 72 hours back from the end
    # is Saturday 22:00 Pacific, after the firing and before he was named: it counts his work before
    # the appointment, which no source times.
    worked_from = end.subtract(hours=72)
    fired = since(crisis, "2023-11-18T12:00", "offices.ceo")
    assert fired < worked_from < start and worked_from.day_of_week == pendulum.SATURDAY


def test_altman_reinstated_less_than_five_days_after_his_removal(crisis: orgsim.Timeline) -> None:
    removed = since(crisis, "2023-11-18T12:00", "offices.ceo")
    reinstated = since(crisis, ALTMAN_BACK, "offices.ceo")
    # 003: "不到五天后,OpenAI董事会宣布恢复山姆·奥特曼为首席执行官" (under 2023年11月21日):
    # the model gives 4 days 10 hours.
    gap = reinstated - removed
    assert gap.in_hours() == 106 and gap.in_hours() < 5 * 24
    assert reinstated.date() == pendulum.date(2023, 11, 21)  # 21 November is the Pacific date, as 003's timeline has it


def test_altman_exile_is_106_hours_in_the_model_and_48_to_the_sunday_visit(crisis: orgsim.Timeline) -> None:
    left = pendulum.instance(crisis.event("2023-11-17-altman-fired").at).in_tz(PT)
    back = since(crisis, ALTMAN_BACK, "offices.ceo")
    for hour in range(0, 106, 6):  # away from OpenAI the whole time, by the replayed states
        assert not crisis.state_at(left.add(hours=hour, minutes=1)).people["sam-altman"].at_org
    assert (back - left).in_hours() == 106
    # 001: "被“流放”48小时" with its lede "周六解雇,周日和解,周一回去上班"
    # (Beijing weekdays: fired at 04:00 on Saturday in Beijing). 48 hours on is Sunday noon in California,
    # the day Altman came back to headquarters as a visitor (000: "Altman周日在 OpenAI 总部"), an event that
    # changes no state; the model's exile (out of OpenAI) is 106 hours.
    visit = crisis.event("2023-11-19-altman-visitor-badge")
    assert visit.precision == "day" and pendulum.instance(visit.at).in_tz(PT).date() == left.add(hours=48).date()
