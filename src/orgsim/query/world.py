"""What a query reads from a replayed world: the protocol :class:`orgsim.timeline.Timeline` satisfies.

The query layer sits below the timeline facade, so it names what it needs
here rather than importing the facade: any object with these members (a
timeline, a scenario's world, a test double) can be asked for tenures,
explanations and the known-at state.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Protocol

from orgsim.engine.plans import Basis
from orgsim.engine.replay import Replay
from orgsim.model.manifest import Manifest
from orgsim.model.records import EventRecord
from orgsim.model.state import OrgState
from orgsim.query.changes import Series


class ReplayedWorld(Protocol):
    """A replayed timeline as the queries see it."""

    @property
    def manifest(self) -> Manifest:
        """The world's manifest (zone, people, organisations, coverage)."""
        ...

    @property
    def home_zone(self) -> str:
        """The zone answers are shown in."""
        ...

    @property
    def replay(self) -> Replay:
        """The checkpointed replay of the events that happened."""
        ...

    @property
    def records(self) -> Sequence[EventRecord]:
        """The events that happened, in replay order."""
        ...

    def basis(self) -> Basis:
        """What worlds derived from this one are built on."""
        ...

    def state_at(self, when: datetime) -> OrgState:
        """The state at an aware instant."""
        ...

    def change_series(self) -> Mapping[str, Series]:
        """Every contract path some event changed, with each value it took."""
        ...
