"""``orgsim report`` and ``orgsim plot`` through the console script: ranges, the focus, warnings, errors."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest


def orgsim(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the installed ``orgsim`` command (the console script) and capture its output."""
    return subprocess.run(["orgsim", *args], capture_output=True, text=True, check=False)


def embedded(page: Path) -> dict[str, Any]:
    found = re.findall(r'<script type="application/json" id="orgsim-data">(.*?)</script>', page.read_text(), re.S)
    data: dict[str, Any] = json.loads(found[0])
    return data


def test_report_from_includes_its_instant_and_to_its_whole_day(tmp_path: Path) -> None:
    page = tmp_path / "friday.html"
    made = orgsim("report", "--out", str(page), "--from", "2023-11-17T12:00", "--to", "2023-11-17")
    assert made.returncode == 0 and made.stderr == ""
    events = embedded(page)["worlds"][0]["events"]
    local = [e["local"]["America/Los_Angeles"] for e in events]
    assert events[0]["id"] == "2023-11-17-board-votes-to-remove-altman"  # at 12:00, dated to the day (no seed times it)
    assert local[0].startswith("Fri 2023-11-17") and all(t.startswith("Fri 2023-11-17") for t in local)
    assert sum(t.startswith("Fri 2023-11-17 12:00") for t in local) == 8


def test_report_range_that_ends_before_it_starts_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    page = tmp_path / "never.html"
    refused = orgsim("report", "--out", str(page), "--from", "2023-11-20", "--to", "2023-11-19")
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr.count("\n") == 1 and "is before --from" in refused.stderr
    assert not page.exists()


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from orgsim.testing.synth import write_synthetic

    return write_synthetic(tmp_path_factory.mktemp("large") / "synthetic", 3500, 2, people=80)


def test_report_of_a_large_timeline_warns_on_stderr_what_it_left_out(tmp_path: Path, large: Path) -> None:
    from orgsim.views.report import MAX_EVENTS

    page = tmp_path / "large.html"
    made = orgsim("report", "--out", str(page), "--events", str(large))
    assert made.returncode == 0 and made.stdout == f"wrote {page}\n"
    assert made.stderr.startswith(f"orgsim: warning: the page carries {MAX_EVENTS:,} of the 3,500 events")
    assert len(embedded(page)["worlds"][0]["events"]) == MAX_EVENTS
    narrow = orgsim("report", "--out", str(page), "--events", str(large), "--from", "1990-02", "--to", "1990-03")
    assert narrow.returncode == 0 and narrow.stderr == ""


def test_plot_refuses_all_with_a_range(tmp_path: Path) -> None:
    refused = orgsim("plot", "--out", str(tmp_path / "x.png"), "--all", "--from", "2023-11-17")
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1 and "--all" in refused.stderr
    assert not (tmp_path / "x.png").exists()


def test_plot_draws_the_focus_by_default_and_everything_with_all(tmp_path: Path) -> None:
    focus, whole = tmp_path / "focus.svg", tmp_path / "all.svg"
    assert orgsim("plot", "--out", str(focus)).returncode == 0
    assert orgsim("plot", "--out", str(whole), "--all").returncode == 0
    # the x axis of the focus is in days of November 2023; the whole timeline's in years
    assert "2023-Nov" in focus.read_text() and "2016" not in focus.read_text()
    assert "2016" in whole.read_text()
