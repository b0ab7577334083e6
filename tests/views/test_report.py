"""The HTML report: self-contained, carrying the library's own states, marking what-if worlds, written atomically."""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import orgsim
from orgsim.errors import OutputError, TimeInputError
from orgsim.views.packing import expand_state
from orgsim.views.report import _even_indices, build_report, report_data, write_report
from orgsim.whatif.rules import PythonRule
from orgsim.whatif.scenarios import Remove, Scenario, WhatIf

PT = "America/Los_Angeles"
ROOT = Path(__file__).resolve().parents[2]
ACME_VOTE = "2021-03-01-board-removes-ada"


def embedded(html: str) -> dict[str, Any]:
    """The JSON data the page carries (the one and only application/json script)."""
    found = re.findall(r'<script type="application/json" id="orgsim-data">(.*?)</script>', html, re.S)
    assert len(found) == 1
    data: dict[str, Any] = json.loads(found[0])
    return data


def pick(world: dict[str, Any], pools: dict[str, Any], instant: datetime | None) -> dict[str, Any]:
    """What the page's scrubber does: the last embedded state at or before the instant (no computing)."""
    boundaries = world["boundaries"][1:]
    index = 0 if instant is None else bisect_right(boundaries, instant.timestamp() * 1000)
    return expand_state(world["states"][index], pools)


def contract(state: orgsim.OrgState) -> dict[str, Any]:
    """The state contract without its instant (embedded states are the states after events, unlabelled)."""
    data = state.to_dict()
    data.pop("at")
    return data


def from_ms(ms: float) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)


@pytest.fixture(scope="module")
def acme_what_if(acme: orgsim.Timeline) -> WhatIf:
    """Acme without the vote that removed Ada, plus a rule that generates a statement."""
    note = PythonRule(
        "board-notes-calm",
        when=lambda state: state.ceo is not None and state.ceo.person == "ada-lovelace",
        emit=lambda state: [
            {"type": "statement", "id": "2021-03-02-calm-note", "summary": "The board notes that all is calm."}
        ],
        at=datetime(2021, 3, 2, 9, 0, tzinfo=UTC),
    )
    scenario = Scenario(title="Ada stays", interventions=[Remove(remove=ACME_VOTE, why="no vote")])
    return scenario.run(acme, extra_rules=[note])


def test_page_loads_nothing_from_anywhere(acme: orgsim.Timeline, acme_what_if: WhatIf) -> None:
    for html in (build_report(acme), build_report(acme, world=acme_what_if)):
        assert html.startswith("<!DOCTYPE html>")
        assert "<script src" not in html.lower()
        assert "<link" not in html.lower()
        assert "@import" not in html
        assert not re.search(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//""", html, re.I)
        assert not re.search(r"url\(\s*['\"]?\s*(?:https?:)?//", html, re.I)
        assert html.count("<script") == 2  # the data and the inline script


def test_page_carries_the_state_of_every_instant_with_events(acme: orgsim.Timeline) -> None:
    data = embedded(build_report(acme))
    [world] = data["worlds"]
    instants = sorted({e.at.timestamp() * 1000 for e in acme.events})
    assert world["boundaries"] == [None, *instants]
    assert expand_state(world["states"][0], data["pools"]) == contract(acme.initial_state())
    for ms, packed in zip(world["boundaries"][1:], world["states"][1:], strict=True):
        assert expand_state(packed, data["pools"]) == contract(acme.state_at(from_ms(ms)))


def test_the_page_shows_each_state_as_orgsim_words_it(bundled: orgsim.Timeline) -> None:
    from orgsim.views.packing import expand_lines_of
    from orgsim.views.wording import state_lines

    data = embedded(build_report(bundled))
    [world] = data["worlds"]
    for ms, packed in list(zip(world["boundaries"], world["states"], strict=True))[::7]:
        state = bundled.initial_state() if ms is None else bundled.state_at(from_ms(ms))
        last = bundled.event(state.last_event).summary if state.last_event else None
        expected = [line.to_dict() for line in state_lines(state, last_summary=last)]
        assert expand_lines_of(packed, data["pools"]) == expected


@pytest.mark.parametrize(
    "when",
    [
        "2019-12-31T23:00",
        "2020-01-01T09:00",
        "2021-03-01T10:04",
        "2021-03-01T10:05",
        "2021-03-03",
        "2021-07-03T12:00",
        "2030",
    ],
)
def test_scrubbing_to_any_instant_answers_like_state_at(acme: orgsim.Timeline, when: str) -> None:
    data = embedded(build_report(acme))
    instant = acme.resolve(when)
    assert pick(data["worlds"][0], data["pools"], instant) == contract(acme.state_at(instant))


def test_bundled_page_answers_shear_then_altman(bundled: orgsim.Timeline) -> None:
    data = embedded(build_report(bundled))
    world = data["worlds"][0]
    monday = pick(world, data["pools"], bundled.resolve("2023-11-20T10:00", PT))
    assert monday["ceo"] == {"person": "emmett-shear", "interim": True}
    wednesday = pick(world, data["pools"], bundled.resolve("2023-11-22", PT))
    assert wednesday["ceo"] == {"person": "sam-altman", "interim": False}
    assert data["presets"][0]["label"] == "16–23 Nov 2023"  # the declared focus
    assert data["presets"][-1]["label"] == "All"


def test_events_carry_times_as_stated_and_resolved_in_every_offered_zone(bundled: orgsim.Timeline) -> None:
    data = embedded(build_report(bundled, tz="Asia/Shanghai"))
    zones = [z["name"] for z in data["zones"]]
    assert zones[:2] == [PT, "Asia/Shanghai"] and data["zone"] == "Asia/Shanghai"
    events = {e["id"]: e for e in data["worlds"][0]["events"]}
    assert len(events) == len(bundled.events)
    stated = next(e for e in bundled.events if e.stated_at and e.precision == "minute")
    record = events[stated.id]
    assert record["stated_at"] == stated.stated_at
    assert set(record["local"]) == set(zones)
    assert record["local"][PT] == orgsim.times.display(stated.at, PT, "minute")
    assert record["local"]["Asia/Shanghai"].endswith("CST")
    assert [s["quote"] for s in record["sources"]] == [s.quote for s in stated.sources]


def test_offset_tables_give_the_zone_offsets_pendulum_gives(bundled: orgsim.Timeline) -> None:
    data = embedded(build_report(bundled))
    table = next(z["table"] for z in data["zones"] if z["name"] == PT)
    starts = [row[0] for row in table[1:]]
    for event in bundled.events[::7]:
        row = table[bisect_right(starts, event.at.timestamp() * 1000)]
        offset = orgsim.times.in_zone(event.at, PT).utcoffset()
        assert offset is not None and row[1] == offset.total_seconds() // 60
        assert row[2] == orgsim.times.in_zone(event.at, PT).format("zz")


def test_what_if_page_marks_dropped_and_generated_events(acme: orgsim.Timeline, acme_what_if: WhatIf) -> None:
    html = build_report(acme, world=acme_what_if)
    data = embedded(html)
    history, what_if = data["worlds"]
    assert history["key"] == "history" and what_if["key"] == "whatif"
    assert what_if["label"] == "What if: Ada stays"
    statuses = {e["id"]: e for e in what_if["events"]}
    dropped = {d.event.id: d for d in acme_what_if.dropped}
    vote = statuses[ACME_VOTE]
    assert vote["status"] == "dropped" and vote["reason"] == dropped[ACME_VOTE].reason and "no vote" in vote["reason"]
    fired = statuses["2021-03-01-ada-fired"]
    assert fired["status"] == "dropped" and fired["chain"] == [ACME_VOTE, "2021-03-01-ada-fired"]
    generated = statuses["2021-03-02-calm-note"]
    assert generated["status"] == "generated" and generated["generated_by"] == "board-notes-calm"
    assert set(dropped) == {e["id"] for e in what_if["events"] if e["status"] == "dropped"}
    assert all(e["status"] == "applied" for e in history["events"])
    assert data["divergent"] and data["divergent"][0][0] == acme.event(ACME_VOTE).at.timestamp() * 1000
    for ms, packed in zip(what_if["boundaries"][1:], what_if["states"][1:], strict=True):
        assert expand_state(packed, data["pools"]) == contract(acme_what_if.state_at(from_ms(ms)))
    assert data["scenario"]["dropped"] == len(acme_what_if.dropped)


def test_text_from_the_sources_cannot_break_out_of_the_page(acme_copy: Path) -> None:
    crisis = acme_copy / "2-crisis.yaml"
    text = crisis.read_text(encoding="utf-8").replace(
        "summary: The memo is written.", 'summary: "The memo </script><b>is</b> written."'
    )
    crisis.write_text(text, encoding="utf-8")
    html = build_report(orgsim.load_timeline(acme_copy), title="A <title> & more")
    assert html.count("</script>") == 2
    assert "<title>A &lt;title&gt; &amp; more</title>" in html
    assert any(e["summary"] == "The memo </script><b>is</b> written." for e in embedded(html)["worlds"][0]["events"])


def test_unknown_display_zone_is_refused(acme: orgsim.Timeline) -> None:
    with pytest.raises(TimeInputError):
        report_data(acme, tz="Mars/Olympus_Mons")


def test_report_is_written_whole(tmp_path: Path, acme: orgsim.Timeline) -> None:
    target = tmp_path / "report.html"
    target.write_text("old", encoding="utf-8")
    html = build_report(acme)
    write_report(target, html)
    assert target.read_text(encoding="utf-8") == html
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_failed_write_leaves_no_file_behind(tmp_path: Path, acme: orgsim.Timeline) -> None:
    html = build_report(acme)
    with pytest.raises(OutputError, match="does not exist"):
        write_report(tmp_path / "missing" / "report.html", html)
    assert list(tmp_path.iterdir()) == []
    folder = tmp_path / "report.html"
    folder.mkdir()
    with pytest.raises(OutputError):
        write_report(folder, html)
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"] and folder.is_dir() and not any(folder.iterdir())


@pytest.mark.parametrize("where", ["in the repository", "elsewhere"])
def test_page_names_files_relative_to_the_timeline_folder_and_no_path_of_this_machine(
    where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from orgsim.io.files import event_files
    from orgsim.io.loading import bundled_scenarios_path
    from orgsim.whatif.scenarios import load_scenario

    monkeypatch.setenv("ORGSIM_NO_CACHE", "1")  # origins as loaded from this working directory
    monkeypatch.chdir(ROOT if where == "in the repository" else tmp_path)
    timeline = orgsim.load_timeline()
    assert timeline.folder is not None
    folder = str(timeline.folder.resolve())
    names = {path.name for path in event_files(timeline.folder)}
    scenario = bundled_scenarios_path() / "microsoft-voting-seat.yaml"  # inserts events of its own
    world = load_scenario(scenario).run(timeline, origin=str(scenario.resolve()))
    for html in (build_report(timeline), build_report(timeline, world=world)):
        assert folder not in html
        assert str(Path.cwd()) not in html
        assert str(ROOT) not in html
        data = embedded(html)
        files = {e["file"] for w in data["worlds"] for e in w["events"]}
        assert files <= names | {scenario.name}
    assert data["scenario"]["source"] == scenario.name
    assert scenario.name in {e["file"] for e in data["worlds"][1]["events"]}


def test_a_zone_named_in_another_case_is_offered_once_by_its_own_name(bundled: orgsim.Timeline) -> None:
    from orgsim.times import zone

    try:
        zone("asia/shanghai")
    except TimeInputError:
        pytest.skip("zone names are read case-sensitively here")
    data = report_data(bundled, tz="asia/shanghai")
    names = [z["name"] for z in data["zones"]]
    assert names.count("Asia/Shanghai") == 1 and "asia/shanghai" not in names and data["zone"] == "Asia/Shanghai"


def test_the_known_view_holds_the_publics_picture_at_every_instant_it_changes() -> None:
    knows = orgsim.load_timeline(Path(__file__).parents[1] / "fixtures" / "knows")
    data = report_data(knows)
    known = data["known"]
    assert known is not None and known["key"] == "known"
    expected_steps = {e.at.timestamp() * 1000 for e in knows.records} | {
        e.reported_at.timestamp() * 1000 for e in knows.records if e.reported_at is not None
    }
    assert expected_steps <= set(known["boundaries"][1:])
    for boundary, packed in zip(known["boundaries"][1:], known["states"][1:], strict=True):
        moment = datetime.fromtimestamp(boundary / 1000, UTC)
        seen = knows.known_state(moment, moment)
        shown = expand_state(packed, data["pools"])
        assert [pair[0] for pair in shown.pop("hidden")] == list(seen.hidden)
        assert shown == contract(seen.state)


def test_a_sampled_known_view_says_until_when_each_picture_holds() -> None:
    # Beyond max_events the pictures are an even sample; each claims to hold only until the public's picture may
    # next change, and that claim is true: the page says it does not hold the picture after that.
    knows = orgsim.load_timeline(Path(__file__).parents[1] / "fixtures" / "knows")
    data = report_data(knows, max_events=3)
    known = data["known"]
    assert known is not None
    assert known["carried_changes"] == 3 < known["total_changes"]
    for since, until, packed in zip(known["boundaries"][1:], known["until"][1:], known["states"][1:], strict=True):
        assert until is None or until > since
        last = datetime.fromtimestamp(((until or since + 86_400_000) - 1) / 1000, UTC)
        still = knows.known_state(last, last)
        shown = expand_state(packed, data["pools"])
        assert [pair[0] for pair in shown.pop("hidden")] == list(still.hidden)
        assert {k: v for k, v in shown.items() if k != "at"} == {
            k: v for k, v in contract(still.state).items() if k != "at"
        }
    # An even spread keeps the first and the last.
    assert _even_indices(10, 3) == [0, 4, 9] and _even_indices(2, 3) == [0, 1] and _even_indices(5, 1) == [0]


def test_a_page_of_a_timeline_public_as_it_happened_has_no_known_view(acme: orgsim.Timeline) -> None:
    assert report_data(acme)["known"] is None
