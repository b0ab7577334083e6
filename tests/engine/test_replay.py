"""Replay: ordering, state at any instant, every transition, typed errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import orgsim
from orgsim.engine.transitions import apply
from orgsim.errors import ConflictError, LoadError, ReplayError
from orgsim.model.knowledge import UNKNOWN
from orgsim.model.state import Holder

LONDON = "Europe/London"


def test_before_the_first_event_nothing_is_known(acme: orgsim.Timeline) -> None:
    state = acme.state_at("2019-01-01")
    assert state.ceo is UNKNOWN and state.board is UNKNOWN and state.headcount is UNKNOWN
    assert not state.is_known("offices.ceo") and not state.is_known("people.ada-lovelace")
    assert state.why_unknown("board") == "no event seats anyone on the board before then"
    assert state == acme.initial_state()


def test_state_includes_events_at_exactly_the_instant(acme: orgsim.Timeline) -> None:
    assert acme.state_at("2021-03-01T10:05:00+00:00").ceo == Holder("charles-babbage", True)
    assert acme.state_at("2021-03-01T10:04:59+00:00").ceo is None


def test_ties_keep_file_order(acme: orgsim.Timeline) -> None:
    ids = [e.id for e in acme.events[:3]]
    assert ids == ["2020-01-01-ada-founds-acme", "2020-01-01-ada-ceo", "2020-01-01-charles-chief-engineer"]


def test_transitions_of_every_kind(acme: orgsim.Timeline) -> None:
    start = acme.state_at("2020-03-01")
    assert start.ceo == Holder("ada-lovelace", False)
    assert start.board.members == ("ada-lovelace", "alan-turing", "grace-hopper")
    assert start.board.chair == "grace-hopper" and start.board.independent == ("alan-turing", "grace-hopper")
    assert start.headcount == 120 and start.structure == "private company"
    assert start.stakeholders["globex"].investment_usd == 5e6
    fired = acme.state_at("2021-03-02T13:00:00+00:00")
    assert fired.votes["2021-03-01-board-removes-ada"].passed
    assert "ada-lovelace" not in fired.board.members
    assert not fired.people["ada-lovelace"].at_org and fired.people["ada-lovelace"].former
    assert fired.stakeholders["globex"].employs == frozenset({"ada-lovelace"})
    assert fired.people["ada-lovelace"].affiliation == "globex"
    letter = acme.state_at("2021-03-04")
    assert letter.open_letter_signatories == 80 and letter.signatories == ("charles-babbage",)
    back = acme.state_at("2021-03-05T09:10:00+00:00")
    assert back.ceo == Holder("ada-lovelace", False) and back.people["ada-lovelace"].at_org
    assert back.stakeholders["globex"].employs == frozenset()
    leave = acme.state_at("2021-03-07")
    assert leave.people["charles-babbage"].on_leave and leave.offices["chief_engineer"] is None
    later = acme.state_at("2021-07-05")
    assert not later.people["charles-babbage"].on_leave
    assert later.board.chair is None and later.board.members == ("grace-hopper",)
    assert later.headcount == 100 and later.stakeholders["globex"].staff_hired == 20


def test_replaying_twice_gives_equal_states(acme: orgsim.Timeline) -> None:
    again = orgsim.load_timeline(Path(__file__).parents[1] / "fixtures" / "acme")
    for when in ("2020-01-01", "2021-03-02", "2022-01-01"):
        assert acme.state_at(when) == again.state_at(when)


def test_history_pairs_each_event_with_the_state_after_it(acme: orgsim.Timeline) -> None:
    pairs = list(acme)
    assert [e.id for e, _ in pairs] == [e.id for e in acme.events]
    for event, state in pairs:
        assert state.last_event == event.id
    assert pairs[-1][1] == acme.final_state()


def test_snapshots_never_change_after_being_handed_out(acme: orgsim.Timeline) -> None:
    early = acme.state_at("2021-03-02")
    frozen = early.to_dict()
    acme.state_at("2022-01-01")
    list(acme.history())
    assert early.to_dict() == frozen
    with pytest.raises(AttributeError):
        early.chair = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        early.offices["ceo"] = None  # type: ignore[index]


def test_apply_is_a_pure_function(acme: orgsim.Timeline) -> None:
    state = acme.initial_state()
    after = apply(state, acme.events[0])
    assert after.people["ada-lovelace"].at_org and not state.people["ada-lovelace"].at_org


def _edit(folder: Path, file: str, index: int, **changes: object) -> None:
    path = folder / file
    data = yaml.safe_load(path.read_text())
    data[index].update(changes)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def test_removing_a_director_not_on_the_board_is_a_conflict(acme_copy: Path) -> None:
    _edit(acme_copy, "2-crisis.yaml", 1, person="charles-babbage")
    with pytest.raises(ConflictError) as caught:
        orgsim.load_timeline(acme_copy)
    error = caught.value
    assert error.event == "2021-03-01-ada-off-board" and error.file and error.file.endswith("2-crisis.yaml")
    assert "not on the board" in str(error)


def test_assigning_an_office_to_an_unknown_person_is_a_replay_error(acme_copy: Path) -> None:
    _edit(acme_copy, "2-crisis.yaml", 3, person="nobody-known")
    with pytest.raises(ReplayError, match="unknown person 'nobody-known'") as caught:
        orgsim.load_timeline(acme_copy)
    assert not isinstance(caught.value, ConflictError)
    assert caught.value.field == "person"


def test_duplicate_ids_are_refused(acme_copy: Path) -> None:
    _edit(acme_copy, "2-crisis.yaml", 1, id="2021-03-01-board-removes-ada")
    with pytest.raises(LoadError, match="duplicate event id"):
        orgsim.load_timeline(acme_copy)


def test_caused_by_naming_no_event_is_refused(acme_copy: Path) -> None:
    _edit(acme_copy, "2-crisis.yaml", 1, caused_by=["no-such-event"])
    with pytest.raises(LoadError, match="caused_by names no event") as caught:
        orgsim.load_timeline(acme_copy)
    assert caught.value.event == "2021-03-01-ada-off-board"


def test_caused_by_a_later_event_is_refused(acme_copy: Path) -> None:
    _edit(acme_copy, "1-founding.yaml", 0, caused_by=["2021-07-04-memo"])
    with pytest.raises(LoadError, match="does not come before"):
        orgsim.load_timeline(acme_copy)


def test_a_failed_motion_with_consequences_stops_a_recorded_timeline(acme_copy: Path) -> None:
    _edit(acme_copy, "2-crisis.yaml", 0, votes={"grace-hopper": "yes", "alan-turing": "no", "ada-lovelace": "absent"})
    with pytest.raises(ReplayError, match="which failed"):
        orgsim.load_timeline(acme_copy)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"type": "chair_set", "person": "ada-lovelace"}, "unknown field"),
        ({"person": "Ada"}, "String should match pattern"),
    ],
)
def test_bad_fields_name_file_event_and_field(acme_copy: Path, change: dict[str, object], message: str) -> None:
    _edit(acme_copy, "1-founding.yaml", 0, **change)
    with pytest.raises(LoadError, match=message) as caught:
        orgsim.load_timeline(acme_copy)
    assert caught.value.event == "2020-01-01-ada-founds-acme" and caught.value.field


def test_missing_sources_are_refused(acme_copy: Path) -> None:
    _edit(acme_copy, "1-founding.yaml", 0, sources=[])
    with pytest.raises(LoadError, match="at least one source") as caught:
        orgsim.load_timeline(acme_copy)
    assert caught.value.field == "sources"


def test_malformed_yaml_names_the_line(acme_copy: Path) -> None:
    (acme_copy / "3-broken.yaml").write_text("- id: x\n  type: [unclosed\n")
    with pytest.raises(LoadError, match="line"):
        orgsim.load_timeline(acme_copy)


def test_missing_folder_is_a_load_error(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="no such timeline folder"):
        orgsim.load_timeline(tmp_path / "nope")


def test_state_at_accepts_tz(acme: orgsim.Timeline) -> None:
    # 10:04 in London is 11:04 in Paris (winter): the interim CEO is named at 10:05 London.
    assert acme.state_at("2021-03-01T11:04", tz="Europe/Paris").ceo is None
    assert acme.state_at("2021-03-01T11:05", tz="Europe/Paris").ceo is not None


def test_a_failed_motion_names_its_first_consequence(acme_copy: Path) -> None:
    _edit(acme_copy, "2-crisis.yaml", 0, votes={"grace-hopper": "yes", "alan-turing": "no", "ada-lovelace": "absent"})
    with pytest.raises(ReplayError) as caught:
        orgsim.load_timeline(acme_copy)
    error = caught.value
    assert error.event == "2021-03-01-ada-off-board" and error.field == "caused_by"
    assert error.file and error.file.endswith("2-crisis.yaml")
    assert "follows from 2021-03-01-board-removes-ada, which failed" in str(error)


def test_the_causes_the_loader_collects_find_a_failed_motion_as_a_scan_of_every_event_does(acme_copy: Path) -> None:
    from orgsim.engine.replay import run
    from orgsim.io.loading import load_folder

    loaded = load_folder(acme_copy)
    assert loaded.causes == {cause for event in loaded.events for cause in event.caused_by}
    assert "2021-03-01-board-removes-ada" in loaded.causes
    _edit(acme_copy, "2-crisis.yaml", 0, votes={"grace-hopper": "yes", "alan-turing": "no", "ada-lovelace": "absent"})
    broken = load_folder(acme_copy)
    messages = []
    for causes in (None, broken.causes):
        with pytest.raises(ReplayError) as caught:
            run(broken.events, broken.manifest, epochs=broken.epochs, causes=causes)
        messages.append((caught.value.event, str(caught.value)))
    assert messages[0] == messages[1] and messages[0][0] == "2021-03-01-ada-off-board"


def test_a_failed_motion_is_reported_before_a_later_conflict(acme_copy: Path) -> None:
    _edit(acme_copy, "2-crisis.yaml", 0, votes={"grace-hopper": "yes", "alan-turing": "no", "ada-lovelace": "absent"})
    _edit(acme_copy, "2-crisis.yaml", 11, person="charles-babbage")  # a later conflict: not on the board
    with pytest.raises(ReplayError, match="which failed") as caught:
        orgsim.load_timeline(acme_copy)
    assert caught.value.event == "2021-03-01-ada-off-board"


def test_a_signatory_named_again_is_counted_once(acme: orgsim.Timeline) -> None:
    from orgsim.model.events import EVENT_ADAPTER

    def report(ident: str, names: list[str]) -> orgsim.EventBase:
        return EVENT_ADAPTER.validate_python(
            {
                "type": "signatures_reported",
                "id": ident,
                "at": "2022-01-01T00:00Z",
                "precision": "day",
                "summary": "s",
                "rationale": "test",
                "count": 3,
                "signatories": names,
            }
        )

    state = apply(acme.initial_state(), report("r1", ["ada-lovelace", "ada-lovelace", "alan-turing"]))
    state = apply(state, report("r2", ["alan-turing", "grace-hopper"]))
    assert state.signatories == ("ada-lovelace", "alan-turing", "grace-hopper")
