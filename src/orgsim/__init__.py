"""orgsim: replay how control of an organisation changed, and ask what would have happened otherwise.

>>> import orgsim
>>> timeline = orgsim.load_timeline()
>>> timeline.state_at("2023-11-18T12:00-08:00").ceo
Holder(person='mira-murati', interim=True)
"""

__version__ = "0.1.0"

from orgsim.engine.replay import Dropped
from orgsim.engine.transitions import apply
from orgsim.errors import (
    ConflictError,
    LoadError,
    OrgsimError,
    OutputError,
    ReplayError,
    ScenarioError,
    TimeInputError,
)
from orgsim.model.events import EVENT_ADAPTER, EVENT_TYPES, Event, EventBase, Source
from orgsim.model.governance import GovernanceRules, VoteTally, count_votes
from orgsim.model.manifest import Manifest, Organisation, Person
from orgsim.model.records import EventRecord, to_record
from orgsim.model.state import Board, Holder, OrgState, PersonState, Seat, StakeholderState
from orgsim.timeline import Timeline, load_timeline

__all__ = [
    "EVENT_ADAPTER",
    "EVENT_TYPES",
    "Board",
    "ConflictError",
    "Dropped",
    "Event",
    "EventBase",
    "EventRecord",
    "GovernanceRules",
    "Holder",
    "LoadError",
    "Manifest",
    "OrgState",
    "Organisation",
    "OrgsimError",
    "OutputError",
    "Person",
    "PersonState",
    "ReplayError",
    "ScenarioError",
    "Seat",
    "Source",
    "StakeholderState",
    "TimeInputError",
    "Timeline",
    "VoteTally",
    "__version__",
    "apply",
    "count_votes",
    "load_timeline",
    "to_record",
]
