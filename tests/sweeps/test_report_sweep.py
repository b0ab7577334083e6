"""``orgsim report --sweep``: each measured outcome's probability over time, above the history."""

from __future__ import annotations

import json
import re
import subprocess
from fractions import Fraction
from math import comb
from pathlib import Path
from typing import Any

import pytest

import orgsim
from orgsim.io.loading import bundled_scenarios_path
from orgsim.sweeps.run import instants_over, sweep
from orgsim.views.report import build_report, report_data, sweep_data, write_report

VOTE = "2023-11-17-board-votes-to-remove-altman"


def page_data(html: str) -> dict[str, Any]:
    (found,) = re.findall(r'<script type="application/json" id="orgsim-data">(.*?)</script>', html, re.S)
    return json.loads(found)  # type: ignore[no-any-return]


def orgsim_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["orgsim", *args], capture_output=True, text=True, check=False)


def removal(n: int = 4, p: Fraction = Fraction(3, 4)) -> float:
    """The binomial probability that a majority of ``n`` directors, each yes with ``p``, votes yes."""
    return float(sum(comb(n, k) * p**k * (1 - p) ** (n - k) for k in range(n + 1) if 2 * k > n))


def test_the_page_follows_the_removal_over_time_at_history_s_events(bundled: orgsim.Timeline) -> None:
    instants = instants_over(bundled)
    results = sweep(bundled_scenarios_path() / "removal-vote-uncertain.yaml", bundled, enumerate=True, at=instants)
    data = report_data(bundled, sweep=results)["sweep"]
    assert data["exact"] and data["worlds"] == 16 and data["instants"] == sorted(data["instants"])
    ceo = next(m for m in data["measures"] if m["path"] == "ceo.person")
    vote_ms = bundled.event(VOTE).at.timestamp() * 1000
    murati = next(s for s in ceo["series"] if s["label"] == "mira-murati")
    before = [p for t, p in zip(data["instants"], murati["p"], strict=True) if t < vote_ms]
    after_vote = data["instants"].index(vote_ms)
    assert set(before) == {0.0} and murati["p"][after_vote] == pytest.approx(removal())
    agrees = ceo["series"][0]
    assert agrees["history"] and agrees["p"][0] == 1.0 and agrees["p"][after_vote] == pytest.approx(removal())
    assert agrees["low"] is None  # exact: no interval


def test_a_sampled_sweep_on_the_page_carries_its_intervals(bundled: orgsim.Timeline) -> None:
    results = sweep(bundled_scenarios_path() / "removal-vote-uncertain.yaml", bundled, samples=200, seed=3)
    data = sweep_data(results)
    assert not data["exact"] and data["seed"] == 3
    for series in data["measures"][0]["series"]:
        if series["other"]:
            continue
        assert all(lo <= p <= hi for lo, p, hi in zip(series["low"], series["p"], series["high"], strict=True))


def test_more_values_than_drawn_are_summed_as_others(bundled: orgsim.Timeline) -> None:
    results = sweep(bundled_scenarios_path() / "letter-threat.yaml", bundled, enumerate=True)
    (headcount,) = (m for m in sweep_data(results)["measures"] if m["path"] == "employees.headcount")
    drawn = [s for s in headcount["series"] if not s["history"]]
    assert drawn[-1]["other"] and drawn[-1]["label"] == "67 other values"
    assert sum(s["p"][0] for s in drawn) == pytest.approx(1.0)


def test_a_page_without_a_sweep_carries_none(acme: orgsim.Timeline) -> None:
    assert page_data(build_report(acme))["sweep"] is None


def test_instants_over_are_history_s_event_instants_in_the_focus_bounded() -> None:
    history = orgsim.load_timeline()
    start, end = history.manifest.focus_window()  # type: ignore[misc]
    instants = instants_over(history)
    assert instants[0] == start and instants[-1] == end and list(instants) == sorted(set(instants))
    inside = {r.at.timestamp() for r in history.records if start <= r.at <= end}
    assert {t.timestamp() for t in instants[1:-1]} == inside
    assert len(instants_over(history, limit=20)) <= 20


def test_report_sweep_from_the_command_line(tmp_path: Path) -> None:
    out = tmp_path / "page.html"
    result = orgsim_cli("report", "--sweep", "removal-vote-uncertain", "--out", str(out))
    assert result.returncode == 0, result.stderr
    data = page_data(out.read_text())["sweep"]
    assert data["exact"] and data["title"].startswith("Each voting director")
    sampled = orgsim_cli("report", "--sweep", "shear-hour", "--samples", "40", "--seed", "2", "--out", str(out))
    assert sampled.returncode == 0, sampled.stderr
    data = page_data(out.read_text())["sweep"]
    assert data["worlds"] == 40 and data["seed"] == 2 and len(data["instants"]) > 2  # the file's own instants


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--samples", "5"], ["--sweep"]),
        (["--sweep", "no-such-sweep"], ["no-such-sweep"]),
        (["--sweep", "removal-vote-uncertain", "--seed", "-1"], ["--seed"]),
    ],
)
def test_report_sweep_refuses_bad_input_in_one_line(tmp_path: Path, args: list[str], words: list[str]) -> None:
    out = tmp_path / "page.html"
    result = orgsim_cli("report", *args, "--out", str(out))
    assert result.returncode == 2 and result.stdout == "" and not out.exists()
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("orgsim: error: ") and all(word in line for word in words), line


@pytest.mark.browser
def test_the_page_draws_the_sweep_above_the_history(tmp_path: Path, browser: Any, bundled: orgsim.Timeline) -> None:
    results = sweep(
        bundled_scenarios_path() / "removal-vote-uncertain.yaml", bundled, enumerate=True, at=instants_over(bundled)
    )
    page_file = tmp_path / "page.html"
    write_report(page_file, build_report(bundled, sweep=results))
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(page_file.as_uri())
    assert "16 worlds" in page.locator("#sweep-note").inner_text()
    points = page.locator("circle.sweep-point")
    assert points.count() > 0
    # The first point of the sweep sits above the first bar of the history.
    sweep_top = page.locator("text.world-label", has_text="How likely").bounding_box()
    events_label = page.locator("text.section-label", has_text="EVENTS").first.bounding_box()
    assert sweep_top["y"] < events_label["y"]
    points.last.hover()  # history's line is drawn last, on top
    assert "%" in page.locator("#tooltip").inner_text()
    assert errors == []
    page.close()
