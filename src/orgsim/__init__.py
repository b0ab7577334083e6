"""orgsim: replay how control of an organisation changed, and ask what would have happened otherwise.

>>> import orgsim
>>> timeline = orgsim.load_timeline()
>>> timeline.state_at("2023-11-18T12:00-08:00").ceo
Holder(person='mira-murati', interim=True)

Everything listed in ``__all__`` is imported from here; it is loaded on first
use, so ``import orgsim`` costs almost nothing. The modules under the layer
packages (``orgsim.model``, ``orgsim.io``, ``orgsim.engine``, ``orgsim.query``,
``orgsim.whatif``, ``orgsim.views``) are there for tools built on the engine.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from orgsim._version import __version__

_EXPORTS: dict[str, str] = {
    # loading a timeline, and what it answers
    "load_timeline": "orgsim.timeline",
    "Timeline": "orgsim.timeline",
    "OrgState": "orgsim.model.state",
    "Holder": "orgsim.model.state",
    "Seat": "orgsim.model.state",
    "Board": "orgsim.model.state",
    "PersonState": "orgsim.model.state",
    "StakeholderState": "orgsim.model.state",
    "VoteRecord": "orgsim.model.state",
    "Offer": "orgsim.model.state",
    "LastKnown": "orgsim.model.state",
    "UNKNOWN": "orgsim.model.knowledge",
    "Unknown": "orgsim.model.knowledge",
    "Coverage": "orgsim.model.manifest",
    "Manifest": "orgsim.model.manifest",
    "Person": "orgsim.model.manifest",
    "Organisation": "orgsim.model.manifest",
    "GovernanceRules": "orgsim.model.governance",
    "VoteTally": "orgsim.model.governance",
    "Event": "orgsim.model.events",
    "EventBase": "orgsim.model.events",
    "Source": "orgsim.model.events",
    "EventRecord": "orgsim.model.records",
    "Dropped": "orgsim.engine.replay",
    "bulk": "orgsim.engine.bulk",
    # what-ifs
    "Scenario": "orgsim.whatif.scenarios",
    "WhatIf": "orgsim.whatif.scenarios",
    "load_scenario": "orgsim.whatif.scenarios",
    "Remove": "orgsim.whatif.interventions",
    "Change": "orgsim.whatif.interventions",
    "Insert": "orgsim.whatif.interventions",
    "ChangeRules": "orgsim.whatif.interventions",
    "AddRule": "orgsim.whatif.interventions",
    "PythonRule": "orgsim.whatif.rules",
    "WorldPlan": "orgsim.engine.plans",
    # comparing states and worlds
    "diff_states": "orgsim.query.diff",
    "Difference": "orgsim.query.diff",
    "divergence": "orgsim.query.divergence",
    "Divergence": "orgsim.query.divergence",
    # sweeps: many worlds over a scenario's uncertain inputs (issue 16)
    "sweep": "orgsim.sweeps.run",
    "SweepResults": "orgsim.sweeps.results",
    "InProcess": "orgsim.sweeps.executors",
    "LocalPool": "orgsim.sweeps.executors",
    "DaskExecutor": "orgsim.sweeps.executors",
    # errors
    "OrgsimError": "orgsim.errors",
    "LoadError": "orgsim.errors",
    "ReplayError": "orgsim.errors",
    "ConflictError": "orgsim.errors",
    "ScenarioError": "orgsim.errors",
    "QueryError": "orgsim.errors",
    "TimeInputError": "orgsim.errors",
    "OutputError": "orgsim.errors",
}

__all__ = [
    "UNKNOWN",
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
    "QueryError",
    "Remove",
    "ReplayError",
    "Scenario",
    "ScenarioError",
    "Seat",
    "Source",
    "StakeholderState",
    "SweepResults",
    "TimeInputError",
    "Timeline",
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


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'orgsim' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # the next lookup is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})


if TYPE_CHECKING:
    from orgsim.engine.bulk import bulk
    from orgsim.engine.plans import WorldPlan
    from orgsim.engine.replay import Dropped
    from orgsim.errors import (
        ConflictError,
        LoadError,
        OrgsimError,
        OutputError,
        QueryError,
        ReplayError,
        ScenarioError,
        TimeInputError,
    )
    from orgsim.model.events import Event, EventBase, Source
    from orgsim.model.governance import GovernanceRules, VoteTally
    from orgsim.model.knowledge import UNKNOWN, Unknown
    from orgsim.model.manifest import Coverage, Manifest, Organisation, Person
    from orgsim.model.records import EventRecord
    from orgsim.model.state import (
        Board,
        Holder,
        LastKnown,
        Offer,
        OrgState,
        PersonState,
        Seat,
        StakeholderState,
        VoteRecord,
    )
    from orgsim.query.diff import Difference, diff_states
    from orgsim.query.divergence import Divergence, divergence
    from orgsim.sweeps.executors import DaskExecutor, InProcess, LocalPool
    from orgsim.sweeps.results import SweepResults
    from orgsim.sweeps.run import sweep
    from orgsim.timeline import Timeline, load_timeline
    from orgsim.whatif.interventions import AddRule, Change, ChangeRules, Insert, Remove
    from orgsim.whatif.rules import PythonRule
    from orgsim.whatif.scenarios import Scenario, WhatIf, load_scenario
