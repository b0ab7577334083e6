"""The public surface: what ``import orgsim`` offers changes only on purpose."""

from __future__ import annotations

import subprocess
import sys

import orgsim

EXPORTED = [
    "AddRule",
    "Board",
    "Change",
    "ChangeRules",
    "ConflictError",
    "Coverage",
    "DaskExecutor",
    "Difference",
    "Divergence",
    "Dropped",
    "Event",
    "EventBase",
    "EventRecord",
    "GovernanceRules",
    "Holder",
    "InProcess",
    "Insert",
    "LastKnown",
    "LoadError",
    "LocalPool",
    "Manifest",
    "Offer",
    "OrgState",
    "Organisation",
    "OrgsimError",
    "OutputError",
    "Person",
    "PersonState",
    "PythonRule",
    "Remove",
    "QueryError",
    "ReplayError",
    "Scenario",
    "ScenarioError",
    "Seat",
    "Source",
    "StakeholderState",
    "SweepResults",
    "TimeInputError",
    "Timeline",
    "UNKNOWN",
    "Unknown",
    "VoteRecord",
    "VoteTally",
    "WhatIf",
    "WorldPlan",
    "__version__",
    "bulk",
    "diff_states",
    "divergence",
    "load_scenario",
    "load_timeline",
    "sweep",
]


def test_the_public_names_are_exactly_these() -> None:
    assert sorted(orgsim.__all__) == sorted(EXPORTED)


def test_every_public_name_resolves_and_has_a_docstring() -> None:
    for name in orgsim.__all__:
        value = getattr(orgsim, name)
        if name != "__version__":
            assert (getattr(value, "__doc__", None) or "").strip(), f"orgsim.{name} has no docstring"


def test_one_name_per_concept() -> None:
    values = [getattr(orgsim, name) for name in orgsim.__all__ if name != "__version__"]
    assert len({id(v) for v in values}) == len(values)


def test_importing_orgsim_loads_none_of_its_layers() -> None:
    code = "import sys, orgsim; print(sorted(m for m in sys.modules if m.startswith('orgsim')))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "['orgsim', 'orgsim._version']"


def test_an_unknown_name_is_an_attribute_error() -> None:
    import pytest

    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        orgsim.nothing  # noqa: B018


def test_every_public_name_has_a_home_module() -> None:
    assert sorted(orgsim._EXPORTS) == sorted(n for n in orgsim.__all__ if n != "__version__")
