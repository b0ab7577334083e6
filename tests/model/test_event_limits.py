"""What the event models accept: finite bounded numbers, strict counts, 1800-2200, English without translation."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from orgsim.model.events import EVENT_ADAPTER, MAX_COUNT, MAX_USD, Source

BASE: dict[str, Any] = {
    "id": "e-1",
    "at": "2023-11-17T12:00:00-08:00",
    "precision": "minute",
    "summary": "Something happens.",
    "sources": [{"document": "doc.txt", "quote": "q", "translation": "t"}],
}


@pytest.mark.parametrize("count", [True, "7", 7.0, -1, MAX_COUNT + 1, 10**400])
def test_counts_are_integers_written_as_integers(count: object) -> None:
    with pytest.raises(ValidationError):
        EVENT_ADAPTER.validate_python({**BASE, "type": "headcount_reported", "count": count})


@pytest.mark.parametrize("amount", [float("inf"), float("nan"), MAX_USD * 10, True, "1e9", -1.0])
def test_money_is_a_finite_bounded_number(amount: object) -> None:
    with pytest.raises(ValidationError):
        EVENT_ADAPTER.validate_python(
            {**BASE, "type": "stakeholder_changed", "stakeholder": "x", "invested_usd": amount}
        )


@pytest.mark.parametrize("text", ['"Infinity"', "Infinity", "1e400", "NaN", "-1e400"])
def test_json_infinities_are_refused(text: str) -> None:
    line = '{"type":"stakeholder_changed","id":"e","at":"2023-01-01T00:00Z","precision":"day","summary":"s",'
    with pytest.raises(ValidationError):
        EVENT_ADAPTER.validate_json(line + f'"stakeholder":"x","invested_usd":{text}}}')


def test_counts_and_money_in_range_are_kept() -> None:
    event = EVENT_ADAPTER.validate_python({**BASE, "type": "staff_departed", "count": MAX_COUNT})
    assert event.count == MAX_COUNT  # type: ignore[union-attr]
    money = EVENT_ADAPTER.validate_python(
        {**BASE, "type": "stakeholder_changed", "stakeholder": "x", "invested_usd": 13_000_000_000}
    )
    assert money.invested_usd == 13e9  # type: ignore[union-attr]


@pytest.mark.parametrize("field", ["at", "reported_at"])
@pytest.mark.parametrize("value", ["0001-01-01T00:00:00+00:00", "9999-12-31T00:00:00Z", "2201-01-01T00:00:00Z"])
def test_instants_outside_the_supported_years_are_refused(field: str, value: str) -> None:
    with pytest.raises(ValidationError, match=r"1800-01-01T00:00:00Z|2201-01-01T00:00:00Z"):
        EVENT_ADAPTER.validate_python({**BASE, "type": "statement", field: value})


def test_a_leave_cannot_end_outside_the_supported_years() -> None:
    with pytest.raises(ValidationError, match="2200-12-31"):
        EVENT_ADAPTER.validate_python({**BASE, "type": "leave_started", "person": "a", "until": "9999-01-01"})


def test_an_english_quote_needs_no_translation() -> None:
    source = Source(document="d", quote="It is so.", language="en-GB")
    assert source.translation == "It is so." and "translation" not in source.model_fields_set
    assert source.model_dump(exclude_unset=True) == {"document": "d", "quote": "It is so.", "language": "en-GB"}
    assert Source.model_validate(source.model_dump()) == source


@pytest.mark.parametrize("language", [None, "fr", "zh", "eng"])
def test_any_other_quote_needs_a_translation(language: str | None) -> None:
    with pytest.raises(ValidationError) as caught:
        Source(document="d", quote="Il en est ainsi.", language=language)
    assert [e["loc"] for e in caught.value.errors()] == [("translation",)]


def test_a_language_is_a_tag() -> None:
    with pytest.raises(ValidationError):
        Source(document="d", quote="q", translation="t", language="English")
