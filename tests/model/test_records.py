"""Records: the compact form replay runs on, faithful to the validated models."""

from __future__ import annotations

import pickle

import pytest

import orgsim
from orgsim.io.loading import bundled_timeline_path, load_folder
from orgsim.model.events import EVENT_TYPES, EventBase
from orgsim.model.records import RECORD_TYPES, EventRecord, RecordMaker, to_record, to_records
from orgsim.testing.synth import synthesize


def test_every_kind_has_a_record_with_its_models_fields() -> None:
    assert set(RECORD_TYPES) == set(EVENT_TYPES)
    for kind, cls in RECORD_TYPES.items():
        model = EVENT_TYPES[kind]
        assert cls.type == kind and cls.model is model
        assert cls.field_names == tuple(name for name in model.model_fields if name != "type")
        common = list(EventRecord.__slots__[:-1])
        assert list(cls.__slots__) == list(cls.field_names[len(common) :])


def test_records_round_trip_to_equal_models_that_dump_alike() -> None:
    _, events = synthesize(800, seed=0)
    kinds = {event.type for event in events}  # type: ignore[attr-defined]
    assert kinds == set(EVENT_TYPES), "the sample should hold every kind"
    for event, record in zip(events, to_records(events), strict=True):
        back = record.to_event()
        assert type(back) is type(event) and back == event
        assert back.model_dump(mode="json", exclude_unset=True) == event.model_dump(mode="json", exclude_unset=True)
        assert back.model_fields_set == event.model_fields_set


def test_a_record_reads_like_its_event() -> None:
    loaded = load_folder(bundled_timeline_path())
    record = next(r for r in loaded.events if r.type == "board_vote")
    event = record.to_event()
    for name in record.field_names:
        assert getattr(record, name) == getattr(event, name)
    assert record.type == event.type  # type: ignore[attr-defined]


def test_records_are_frozen_values() -> None:
    _, events = synthesize(50, seed=1)
    first, again = to_record(events[0]), to_record(events[0])
    assert first == again and first is not again
    with pytest.raises(AttributeError, match="immutable"):
        first.id = "renamed"  # type: ignore[misc]
    assert to_record(first) is first


def test_records_survive_pickling() -> None:
    records = load_folder(bundled_timeline_path()).events
    assert pickle.loads(pickle.dumps(records, protocol=pickle.HIGHEST_PROTOCOL)) == records


def test_a_maker_shares_equal_sources_and_field_sets() -> None:
    _, events = synthesize(300, seed=5)
    records = RecordMaker().records(events)
    same_source = [r for r in records if r.sources == records[0].sources]
    assert len(same_source) > 1 and all(r.sources is records[0].sources for r in same_source)
    same_fields = [r for r in records if r.fields_set == records[0].fields_set]
    assert len(same_fields) > 1 and all(r.fields_set is records[0].fields_set for r in same_fields)


def test_a_timeline_hands_out_models_and_keeps_records(acme: orgsim.Timeline) -> None:
    assert all(isinstance(e, EventBase) for e in acme.events)
    assert all(isinstance(r, EventRecord) for r in acme.records)
    assert [e.id for e in acme.events] == [r.id for r in acme.replay.applied]
    assert acme.event(acme.records[3].id) == acme.records[3].to_event()
    event, _ = next(iter(acme.history()))
    assert isinstance(event, EventBase)


def test_a_timeline_can_be_built_from_models_or_records(acme: orgsim.Timeline) -> None:
    from_models = orgsim.Timeline.from_events(acme.manifest, acme.events)
    from_records = orgsim.Timeline.from_events(acme.manifest, acme.records)
    assert from_models.final_state() == from_records.final_state() == acme.final_state()


def test_changing_a_handed_out_event_cannot_change_history(acme: orgsim.Timeline) -> None:
    vote = next(r for r in acme.records if r.type == "board_vote")
    before = acme.final_state()
    event = acme.event(vote.id)
    with pytest.raises(TypeError, match="read-only"):
        event.votes.clear()  # type: ignore[attr-defined]
    with pytest.raises(TypeError, match="read-only"):
        vote.votes["ada-lovelace"] = "no"  # type: ignore[attr-defined]
    assert vote.votes and acme.replay.state_after(len(acme)) == before


def test_records_compare_values_apart_from_which_fields_were_given() -> None:
    _, events = synthesize(20, seed=2)
    record = to_record(events[0])
    restated = to_record(type(events[0]).model_validate(events[0].model_dump()))  # every field given
    assert restated.fields_set != record.fields_set and restated != record
    assert restated.values() == record.values()


def test_events_built_in_python_convert_to_files() -> None:
    from orgsim.io.convert import dump_events
    from orgsim.model.events import HeadcountReported

    event = HeadcountReported(id="h", at="2024-01-01T00:00Z", precision="day", summary="s", count=3)  # type: ignore[arg-type]
    assert b'"type":"headcount_reported"' in dump_events([event], jsonl=True)
