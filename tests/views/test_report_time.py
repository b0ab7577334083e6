"""The page reads typed instants exactly as ``orgsim state --at`` does: its script, run by Node, against Python's rules.

The vectors (inputs in several zones: dates, months, years, weeks, times with and without offsets, skipped and
repeated wall times, nonsense) are generated here from :mod:`orgsim.times`; Node's built-in test runner checks
``report-time.js`` against them, with the same offset tables the page embeds. Without ``node`` the check is skipped
on a workstation with a message, and fails under CI.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from orgsim.errors import TimeInputError
from orgsim.times import in_zone, offset_table, resolve_instant

HERE = Path(__file__).parent
ZONES = ("America/Los_Angeles", "Asia/Shanghai", "Europe/London", "UTC", "Australia/Lord_Howe", "Asia/Kathmandu")
INPUTS = (
    "2023",
    "2024-02",
    "2023-11-18",
    "2024-02-29",
    "2023-11-18T12:00",
    "2023-11-18 12:00",
    "2023-11-18T12:00:30",
    "2023-11-18T12:00:30.250",
    "2023-11-18T12:00Z",
    "2023-11-18T12:00-08:00",
    "2023-11-18T12:00+0530",
    "2023-11-18T04:00+08:00",
    "2023-W47",
    "2020-W53",
    "2023-W53",
    "2023-W00",
    "2024-070",
    "2023-366",
    "2023-000",
    "2023-322T12:00",
    "2024-070T02:30",
    "2023-309T01:30",
    "2023-03-12T02:30",
    "2023-11-05T01:30",
    "2023-03-26T01:30",
    "2023-10-29T01:30",
    "2023-04-02T01:45",
    "2023-10-01T02:15",
    "2023-13",
    "2023-00",
    "2023-02-30",
    "2023-11-18T25:00",
    "2023-11-18T12:61",
    "yesterday",
    "2023-11-18T12",
    "18/11/2023",
)


def _expected(text: str, zone: str) -> dict[str, object]:
    try:
        instant = resolve_instant(text, zone)
    except TimeInputError as error:
        return {"text": text, "zone": zone, "ms": None, "error": error.message}
    return {"text": text, "zone": zone, "ms": math.floor(instant.timestamp() * 1000), "error": None}


def _shown(moment: datetime, zone: str) -> str:
    """An instant as the page shows it: weekday, date, time (seconds only when there are some), abbreviation."""
    local = in_zone(moment, zone)
    seconds = f":{local.second:02d}" if local.second else ""
    return f"{local.format('ddd YYYY-MM-DD HH:mm')}{seconds} {local.format('zz')}"


def _vectors(path: Path) -> None:
    first, last = datetime(2015, 1, 1, tzinfo=UTC), datetime(2025, 12, 31, tzinfo=UTC)
    tables = {zone: offset_table(zone, first, last) for zone in ZONES}
    cases = [_expected(text, zone) for zone in ZONES for text in INPUTS]
    moments = [datetime(2023, 11, 18, 20, 0, tzinfo=UTC), datetime(2023, 7, 1, 9, 30, 15, tzinfo=UTC)]
    shown = [
        {"ms": int(m.timestamp() * 1000), "zone": zone, "text": _shown(m, zone)} for m in moments for zone in ZONES
    ]
    path.write_text(json.dumps({"zones": tables, "cases": cases, "shown": shown}), encoding="utf-8")


def test_the_pages_time_rules_match_orgsims(tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI"):
            pytest.fail("node is not installed: the page's time rules cannot be checked (.ci/run installs it)")
        pytest.skip("node is not installed here: the page's time rules were not checked against orgsim.times")
    vectors = tmp_path / "vectors.json"
    _vectors(vectors)
    result = subprocess.run(
        [node, "--test", str(HERE / "report_time.test.cjs")],
        capture_output=True,
        text=True,
        env={**os.environ, "ORGSIM_TIME_VECTORS": str(vectors)},
        check=False,
    )
    failures = [line for line in result.stdout.splitlines() if line.lstrip().startswith(("not ok", "error:", "+", "-"))]
    assert result.returncode == 0, "\n".join(failures[:60]) or result.stdout[-3000:] + result.stderr[-2000:]
    assert f"# pass {len(INPUTS) * len(ZONES) + 2 * len(ZONES)}" in result.stdout
