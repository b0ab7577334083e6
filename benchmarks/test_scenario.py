"""A what-if run on the 10^5 timeline: interventions near the start and near the end, against full replay."""

from __future__ import annotations

import pytest


@pytest.mark.skip(reason="scenario engine pending")
def test_scenario_run_against_full_replay(benchmark) -> None:
    """To fill in with ``orgsim.scenarios.Scenario`` / ``run_scenario`` on the 10^5 synthetic timeline.

    Measure two scenarios, each removing one event (one near the start, one
    near the end), and a full replay of the same events; record in
    ``benchmark.extra_info`` the ratio full replay / scenario run for each
    (target: >= 20x for the intervention near the end).
    """
