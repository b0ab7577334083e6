"""The timeline's focus: declared in the manifest (validated), else its busiest days; where charts open."""

from __future__ import annotations

from pathlib import Path

import pytest

import orgsim
from orgsim.errors import LoadError
from orgsim.views.gantt import busiest_days, focus_period
from orgsim.views.report import report_data


def with_focus(folder: Path, line: str) -> Path:
    manifest = folder / "timeline.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")
    return folder


def test_bundled_timeline_declares_the_week_of_the_crisis(bundled: orgsim.Timeline) -> None:
    start, end = focus_period(bundled) or (None, None)
    assert start == bundled.resolve("2023-11-16T00:00")
    assert end == bundled.resolve("2023-11-23T23:59:59.999999")


def test_focus_reads_dates_as_from_and_to_do(acme_copy: Path) -> None:
    timeline = orgsim.load_timeline(with_focus(acme_copy, 'focus: {start: 2021-02, end: "2021-03-02T12:00"}'))
    assert timeline.manifest.focus_window() == (
        timeline.resolve("2021-02-01T00:00"),
        timeline.resolve("2021-03-02T12:00"),
    )


def test_without_a_declared_focus_the_busiest_days_are_the_focus(acme: orgsim.Timeline) -> None:
    assert acme.manifest.focus is None
    assert focus_period(acme) == busiest_days(acme) == (acme.resolve("2021-03-01T00:00"), acme.resolve("2021-03-06"))


@pytest.mark.parametrize(
    ("line", "needle"),
    [
        ("focus: {start: 2021-03-05, end: 2021-03-01}", "it ends (2021-03-01T23:59:59.999999+00:00) before it starts"),
        ("focus: {start: soon, end: 2021-03-01}", "start: cannot read 'soon'"),
        ("focus: {start: 2021-03-01, end: 2021-13}", "end: cannot read '2021-13'"),
        ("focus: {start: 2021-03-01}", "required field missing"),
        ("focus: {start: 2021-03-01, end: 2021-03-02, zone: UTC}", "unknown field"),
    ],
)
def test_a_bad_focus_is_refused_naming_the_manifest_and_the_field(acme_copy: Path, line: str, needle: str) -> None:
    with pytest.raises(LoadError) as caught:
        orgsim.load_timeline(with_focus(acme_copy, line))
    message = str(caught.value)
    assert "timeline.yaml" in message and "field 'focus" in message and needle in message
    assert "\n" not in message


def test_the_reports_first_zoom_preset_is_the_focus(bundled: orgsim.Timeline, acme: orgsim.Timeline) -> None:
    for timeline in (bundled, acme):
        start, end = focus_period(timeline) or (None, None)
        assert start is not None and end is not None
        first = report_data(timeline)["presets"][0]
        assert (first["start"], first["end"]) == (start.timestamp() * 1000, end.timestamp() * 1000)
    assert report_data(bundled)["presets"][0]["label"] == "16–23 Nov 2023"
