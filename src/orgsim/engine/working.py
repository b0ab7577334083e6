"""The mutable state replay writes to: private to the engine, frozen into :class:`~orgsim.model.state.OrgState`."""

from __future__ import annotations

from datetime import datetime

from orgsim.model.governance import GovernanceRules
from orgsim.model.manifest import Manifest
from orgsim.model.sharing import Chunked, LogPrefix
from orgsim.model.state import EMPTY_STAKEHOLDER, Holder, OrgState, PersonState, Seat, StakeholderState, VoteRecord


class WorkingState:
    """The mutable state replay writes to; private to the engine.

    Map attributes may be shared with snapshots; write offices, board and
    stakeholders through the ``*_w()`` accessors, which copy a shared map
    before the first write, people and votes through :meth:`set_person` and
    :meth:`add_vote`, and named signatories through ``signatory_table.add``.
    Whoever writes an office keeps :meth:`holding` in step.
    """

    __slots__ = (
        "_holding",
        "_shared_board",
        "_shared_offices",
        "_shared_stakeholders",
        "applied",
        "board",
        "chair",
        "headcount",
        "headcount_qualifier",
        "last_event",
        "manifest",
        "offices",
        "people",
        "rules",
        "signatory_table",
        "signatures",
        "signatures_qualifier",
        "stakeholders",
        "structure",
        "votes",
    )

    def __init__(self, manifest: Manifest, rules: GovernanceRules | None = None) -> None:
        self.manifest = manifest
        self.rules = rules if rules is not None else manifest.governance
        self.offices: dict[str, Holder | None] = {}
        self.board: dict[str, Seat] = {}
        self.chair: str | None = None
        self.headcount: int | None = None
        self.headcount_qualifier: str | None = None
        self.signatures: int | None = None
        self.signatures_qualifier: str | None = None
        self.signatory_table: LogPrefix[bool] = LogPrefix()
        index = {pid: position for position, pid in enumerate(manifest.people)}
        self.people: Chunked[PersonState] = Chunked.of(
            index, [PersonState(False, False, person.affiliation) for person in manifest.people.values()]
        ).thaw()
        self.stakeholders: dict[str, StakeholderState] = {oid: EMPTY_STAKEHOLDER for oid in manifest.organisations}
        self.structure: str | None = None
        self.votes: LogPrefix[VoteRecord] = LogPrefix()
        self.last_event: str | None = None
        self.applied = 0
        self._shared_offices = self._shared_board = self._shared_stakeholders = False
        self._holding: dict[str, int] | None = {}

    def holding(self) -> dict[str, int]:
        """How many offices each office holder holds: the working state's own index, kept in step on writes.

        A person who leaves gives up their offices; this answers "do they
        hold any?" without scanning every office. Built on first use after a thaw.
        """
        if self._holding is None:
            counts: dict[str, int] = {}
            for holder in self.offices.values():
                if holder is not None:
                    counts[holder.person] = counts.get(holder.person, 0) + 1
            self._holding = counts
        return self._holding

    def offices_w(self) -> dict[str, Holder | None]:
        """The offices map, owned for writing."""
        if self._shared_offices:
            self.offices = dict(self.offices)
            self._shared_offices = False
        return self.offices

    def board_w(self) -> dict[str, Seat]:
        """The board map, owned for writing."""
        if self._shared_board:
            self.board = dict(self.board)
            self._shared_board = False
        return self.board

    def person(self, person: str) -> PersonState | None:
        """A person's standing, or None when the timeline does not know them."""
        return self.people.get(person)

    def set_person(self, person: str, state: PersonState) -> None:
        """Set a known person's standing."""
        self.people.set(person, state)

    def stakeholders_w(self) -> dict[str, StakeholderState]:
        """The stakeholders map, owned for writing."""
        if self._shared_stakeholders:
            self.stakeholders = dict(self.stakeholders)
            self._shared_stakeholders = False
        return self.stakeholders

    def vote(self, vote: str) -> VoteRecord | None:
        """The vote held by event ``vote``, if any."""
        return self.votes.get(vote)

    def add_vote(self, vote: str, record: VoteRecord) -> None:
        """Record the outcome of the vote held by event ``vote``."""
        self.votes.add(vote, record)

    def freeze(self, at: datetime | None = None) -> OrgState:
        """An immutable snapshot of this state, in O(1)."""
        self._shared_offices = self._shared_board = self._shared_stakeholders = True
        return tuple.__new__(
            OrgState,
            (
                self.manifest,
                self.rules,
                at,
                self.offices,
                self.board,
                self.people.freeze(),
                self.stakeholders,
                self.votes.copy(),
                self.chair,
                self.structure,
                self.headcount,
                self.headcount_qualifier,
                self.signatures,
                self.signatures_qualifier,
                self.signatory_table.copy(),
                self.last_event,
                self.applied,
            ),
        )

    @classmethod
    def thaw(cls, state: OrgState, rules: GovernanceRules | None = None) -> WorkingState:
        """A working state that starts from ``state`` and shares its maps until it writes."""
        ws = cls.__new__(cls)
        ws.manifest = state.manifest
        ws.rules = rules if rules is not None else state.rules
        ws.offices, ws.board, ws.stakeholders = state.office_table, state.seat_table, state.stakeholder_table
        ws.people, ws.votes = state.people_table.thaw(), state.vote_table.copy()
        ws.chair, ws.structure = state.chair, state.structure
        ws.headcount, ws.headcount_qualifier = state.headcount, state.headcount_qualifier
        ws.signatures, ws.signatures_qualifier = state.open_letter_signatories, state.signatures_qualifier
        ws.signatory_table = state.signatory_table.copy()
        ws.last_event, ws.applied = state.last_event, state.applied
        ws._shared_offices = ws._shared_board = ws._shared_stakeholders = True
        ws._holding = None
        return ws
