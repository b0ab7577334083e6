"""Attack: ``lag`` and ``as_of`` state times and delays finer than the sources allow."""

from __future__ import annotations

import json
import subprocess

import orgsim


def orgsim_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the real ``orgsim`` console script."""
    return subprocess.run(["orgsim", *args], capture_output=True, text=True, check=False)


def _lag_rows() -> list[dict[str, object]]:
    result = orgsim_cli("lag", "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert isinstance(rows, list)
    return rows


def test_lag_json_says_the_precision_of_a_year_precision_event() -> None:
    # 2024-gpt-4o-safety-testing-rushed: precision "year" ("今年春天", spring 2024);
    # today lag_seconds is 12916800.0 exactly, with no precision
    row = next(r for r in _lag_rows() if r["event"] == "2024-gpt-4o-safety-testing-rushed")
    assert "precision" in row or "shortest_seconds" in row or "lag_range" in row, row


def test_lag_of_a_month_precision_offer_is_not_given_to_the_hour() -> None:
    # the offer to Amodei is dated only to November 2023 ("undated"); it cannot be "1 day 5 hours later"
    result = orgsim_cli("lag")
    assert result.returncode == 0, result.stderr
    block = result.stdout.split("[2023-11-19-board-offers-ceo-to-amodei]")[0].rsplit("\n", 1)[-1]
    assert "1 day 5 hours later" not in block, block
    following = result.stdout.split("[2023-11-19-board-offers-ceo-to-amodei]")[1].splitlines()[1]
    assert "Sun 2023-11-19 11:00" not in following, following  # a minute for an event the source leaves undated


def test_lag_text_does_not_give_a_minute_for_a_year_precision_event() -> None:
    result = orgsim_cli("lag")
    following = result.stdout.split("[2024-gpt-4o-safety-testing-rushed]")[1].splitlines()[1]
    assert "2024-05-01 00:00" not in following, following


def test_as_of_says_the_precision_of_a_day_precision_change(bundled: orgsim.Timeline) -> None:
    # Altman's reinstatement is dated only to Tuesday 21 November ("周二深夜"); as_of says 22:00:00 exactly
    held = bundled.as_of("2023-11-22T10:00")["offices.ceo"]
    assert held.event == "2023-11-21-altman-reinstated-as-ceo"
    data = held._asdict()
    assert data.get("precision") == "day", held
