"""The event vocabulary: validation, strictness, every kind."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from orgsim.model.events import EVENT_ADAPTER, EVENT_TYPES, people_named

BASE: dict[str, Any] = {
    "id": "e-1",
    "at": "2023-11-17T12:00:00-08:00",
    "precision": "minute",
    "summary": "Something happens.",
    "sources": [{"document": "doc.txt", "quote": "q", "translation": "t"}],
}

EXAMPLES: dict[str, dict[str, Any]] = {
    "person_joined": {"person": "ada"},
    "person_left": {"person": "ada", "reason": "fired"},
    "office_assigned": {"office": "ceo", "person": "ada", "interim": True},
    "office_vacated": {"office": "ceo", "person": "ada"},
    "board_seat_added": {"person": "ada", "role": "observer"},
    "board_seat_removed": {"person": "ada"},
    "chair_set": {"person": "ada"},
    "chair_cleared": {},
    "board_vote": {"motion": "Remove Ada", "votes": {"bob": "yes"}},
    "headcount_reported": {"count": 770, "qualifier": "about"},
    "signatures_reported": {"count": 505, "signatories": ["bob"]},
    "leave_started": {"person": "ada", "until": "2024-12-31"},
    "leave_ended": {"person": "ada"},
    "stakeholder_changed": {"stakeholder": "globex", "invested_usd": 1e9, "hires": ["ada"]},
    "staff_departed": {"count": 700, "destination": "globex"},
    "structure_changed": {"structure": "capped-profit"},
    "statement": {"category": "report", "people": ["ada"]},
    "leave_expired": {"person": "ada", "leave": "ada-sabbatical"},
    "announcement_withdrawn": {"announcement": "globex-to-hire-ada"},
    "offer_made": {"to": "ada", "by": "globex", "role": "office", "office": "ceo", "interim": True},
    "offer_answered": {"offer": "ceo-offer", "outcome": "declined"},
    "person_identified": {"placeholder": "unnamed-cfo", "person": "ada"},
}


def test_every_kind_has_an_example() -> None:
    assert set(EXAMPLES) == set(EVENT_TYPES)


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
def test_every_kind_validates_and_is_frozen(kind: str) -> None:
    event = EVENT_ADAPTER.validate_python({**BASE, "type": kind, **EXAMPLES[kind]})
    assert event.type == kind
    with pytest.raises(ValidationError):
        event.summary = "changed"  # type: ignore[misc]


def test_unknown_field_is_rejected() -> None:
    with pytest.raises(ValidationError, match=r"extra_forbidden|Extra inputs"):
        EVENT_ADAPTER.validate_python({**BASE, "type": "person_joined", "persn": "ada"})


def test_unknown_type_is_rejected() -> None:
    with pytest.raises(ValidationError, match="does not match any of the expected tags"):
        EVENT_ADAPTER.validate_python({**BASE, "type": "ceo_fired", "person": "ada"})


def test_naive_instant_is_rejected() -> None:
    with pytest.raises(ValidationError, match="timezone"):
        EVENT_ADAPTER.validate_python({**BASE, "at": "2023-11-17T12:00", "type": "person_joined", "person": "ada"})


@pytest.mark.parametrize("bad", ["Sam Altman", "sam_altman", "-sam", "Sam-Altman"])
def test_ids_are_lower_case_hyphenated(bad: str) -> None:
    with pytest.raises(ValidationError):
        EVENT_ADAPTER.validate_python({**BASE, "type": "person_joined", "person": bad})


def test_bad_precision_and_vote_values_are_rejected() -> None:
    with pytest.raises(ValidationError):
        EVENT_ADAPTER.validate_python({**BASE, "precision": "second", "type": "statement"})
    with pytest.raises(ValidationError):
        EVENT_ADAPTER.validate_python({**BASE, "type": "board_vote", "motion": "m", "votes": {"a": "maybe"}})


def test_people_named_collects_every_person_field() -> None:
    event = EVENT_ADAPTER.validate_python(
        {**BASE, "type": "stakeholder_changed", "stakeholder": "globex", "hires": ["ada"], "releases": ["bob"]}
    )
    assert people_named(event) == ("ada", "bob")
    vote = EVENT_ADAPTER.validate_python(
        {**BASE, "type": "board_vote", "motion": "m", "votes": {"a": "yes"}, "interested": ["b"]}
    )
    assert set(people_named(vote)) == {"a", "b"}


def test_a_report_before_the_event_must_say_how_the_public_knew() -> None:
    early = {**BASE, "type": "statement", "reported_at": "2023-11-16T12:00:00-08:00"}
    with pytest.raises(ValidationError, match="reported_at is before at"):
        EVENT_ADAPTER.validate_python(early)
    explained = EVENT_ADAPTER.validate_python({**early, "rationale": "announced a day ahead"})
    assert explained.reported_at is not None and explained.reported_at < explained.at


def test_counts_take_a_range_a_vague_qualifier_and_a_duration() -> None:
    dozens = EVENT_ADAPTER.validate_python({**BASE, "type": "staff_departed", "qualifier": "dozens", "low": 20})
    assert dozens.count is None and dozens.low == 20  # type: ignore[attr-defined]
    with pytest.raises(ValidationError, match="give the count, or its range"):
        EVENT_ADAPTER.validate_python({**BASE, "type": "headcount_reported", "qualifier": "about"})
    with pytest.raises(ValidationError, match="low is more than high"):
        EVENT_ADAPTER.validate_python({**BASE, "type": "headcount_reported", "low": 9, "high": 3, "qualifier": "about"})
    with pytest.raises(ValidationError, match="outside its own range"):
        EVENT_ADAPTER.validate_python({**BASE, "type": "headcount_reported", "count": 2, "low": 9})
    with pytest.raises(ValidationError, match="ISO-8601 duration"):
        EVENT_ADAPTER.validate_python({**BASE, "type": "headcount_reported", "count": 2, "current_for": "90 days"})
    kept = EVENT_ADAPTER.validate_python({**BASE, "type": "headcount_reported", "count": 2, "current_for": "P90D"})
    assert kept.current_for == "P90D"  # type: ignore[attr-defined]


def test_an_office_offer_names_its_office_and_only_it_does() -> None:
    with pytest.raises(ValidationError, match="an office offer names its office"):
        EVENT_ADAPTER.validate_python({**BASE, "type": "offer_made", "to": "ada", "role": "office"})
    with pytest.raises(ValidationError, match="an office offer names its office"):
        EVENT_ADAPTER.validate_python({**BASE, "type": "offer_made", "to": "ada", "role": "hire", "office": "ceo"})


def test_an_announced_event_fulfils_nothing() -> None:
    with pytest.raises(ValidationError, match="cannot fulfil another"):
        EVENT_ADAPTER.validate_python({**BASE, "type": "statement", "status": "announced", "fulfils": "e-0"})
