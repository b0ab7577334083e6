"""The HTML report and the static plot of a large timeline: whole-command wall time, page and picture size.

The timeline is the synthetic one nearest 10^5 events among ``ORGSIM_BENCH_SIZES`` (the target is for 10^5).
Each figure is one run of the whole command, as a user starts it (load, build, write); the phases of the
report are timed in-process beside it.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench_data import SIZES, measured, rounds, synthetic_folder
from orgsim.views.report import MAX_EVENTS

REPORT_SIZE = min(SIZES, key=lambda size: abs(size - 100_000))
"""The timeline size these figures are measured on."""

GROUP = f"report and plot, {REPORT_SIZE:,} events"


def _orgsim() -> list[str]:
    beside = Path(sys.executable).parent / "orgsim"
    return [str(beside)] if beside.is_file() else [sys.executable, "-m", "orgsim"]


def _wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, check=True)
    return time.perf_counter() - start


def _embedded(page: Path) -> dict[str, object]:
    found = re.search(r'<script type="application/json" id="orgsim-data">(.*?)</script>', page.read_text(), re.S)
    assert found is not None
    data: dict[str, object] = json.loads(found.group(1))
    return data


def test_report_process(benchmark, tmp_path: Path) -> None:
    folder = synthetic_folder(REPORT_SIZE)
    page = tmp_path / "report.html"
    command = [*_orgsim(), "report", "--events", str(folder), "--out", str(page)]
    benchmark.group = GROUP
    benchmark.pedantic(_wall, args=(command,), rounds=rounds(benchmark, 2))
    seconds = measured(benchmark, lambda: _wall(command))
    worlds = _embedded(page)["worlds"]
    assert isinstance(worlds, list)
    carried = len(worlds[0]["events"])
    assert carried == min(REPORT_SIZE, MAX_EVENTS)
    benchmark.extra_info.update(
        events=REPORT_SIZE,
        seconds=round(seconds, 1),
        page_mb=round(page.stat().st_size / 1e6, 1),
        events_carried=carried,
        target="< 30 s and < 25 MB at 10^5 events",
    )


def test_report_phases(benchmark) -> None:
    """Where the report's time goes: load, the Gantt view model, the page's data, the HTML."""
    from orgsim.timeline import load_timeline
    from orgsim.views import report as page
    from orgsim.views.gantt import build_gantt, focus_period

    folder = synthetic_folder(REPORT_SIZE)
    benchmark.group = GROUP
    phases: dict[str, float] = {}

    def run() -> str:
        start = time.perf_counter()
        timeline = load_timeline(folder)
        phases["load_s"] = time.perf_counter() - start
        start = time.perf_counter()
        gantt = build_gantt(timeline)
        phases["gantt_s"] = time.perf_counter() - start
        start = time.perf_counter()
        focus_period(timeline)
        phases["focus_s"] = time.perf_counter() - start
        start = time.perf_counter()
        original = page.build_gantt
        page.build_gantt = lambda _: gantt  # timed above
        try:
            data = page.report_data(timeline)
        finally:
            page.build_gantt = original
        phases["data_s"] = time.perf_counter() - start - phases["focus_s"]
        start = time.perf_counter()
        html = page.render_page(data)
        phases["html_s"] = time.perf_counter() - start
        return html

    html = benchmark.pedantic(run, rounds=1)
    assert html.startswith("<!DOCTYPE html>")
    benchmark.extra_info.update({name: round(value, 2) for name, value in phases.items()})


@pytest.mark.parametrize("span", ["focus", "all"])
def test_plot_process(benchmark, tmp_path: Path, span: str) -> None:
    from matplotlib.image import imread

    folder = synthetic_folder(REPORT_SIZE)
    image = tmp_path / "plot.png"
    command = [*_orgsim(), "plot", "--events", str(folder), "--out", str(image), *(["--all"] if span == "all" else [])]
    benchmark.group = GROUP
    benchmark.pedantic(_wall, args=(command,), rounds=rounds(benchmark, 2))
    seconds = measured(benchmark, lambda: _wall(command))
    height, width = imread(str(image)).shape[:2]
    assert height < 3000 and width < 3000
    benchmark.extra_info.update(
        events=REPORT_SIZE, span=span, seconds=round(seconds, 1), width_px=width, height_px=height
    )
