"""The organisation's state: frozen snapshots handed to users.

Replay mutates a private :class:`~orgsim.engine.working.WorkingState` in place
(fast: an event touches only what it changes) and hands out :class:`OrgState` snapshots. Snapshots share
their maps with the working state copy-on-write: freezing costs O(1), and the
working state copies a map only the first time it writes to it afterwards. The
two maps that grow with the timeline share structure instead of being copied
whole (see :mod:`orgsim.model.sharing`): people, in chunks, and votes, as a prefix of
an append-only log. So snapshots are immutable, cheap enough to take every few
events (in time and memory), and safe to share between checkpoints, answers
and scenarios.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any, NamedTuple

from orgsim.model.governance import GovernanceRules
from orgsim.model.manifest import Manifest
from orgsim.model.sharing import LogView
from orgsim.times import isoformat


class Holder(NamedTuple):
    """Who holds an office, and whether on an interim basis."""

    person: str
    interim: bool


class Seat(NamedTuple):
    """A board seat: voting or observer, independent or not, and whom it represents."""

    role: str
    independent: bool
    representing: str | None


class PersonState(NamedTuple):
    """A person's standing at an instant."""

    at_org: bool
    on_leave: bool
    affiliation: str | None
    former: bool = False
    """True once the person has left the organisation (until they return)."""


class StakeholderState(NamedTuple):
    """A stakeholder's role at an instant."""

    investment_usd: float | None
    investment_form: str | None
    employs: frozenset[str]
    staff_hired: int


class VoteRecord(NamedTuple):
    """A board vote as counted in this world."""

    motion: str
    passed: bool
    tally: str


EMPTY_STAKEHOLDER = StakeholderState(None, None, frozenset(), 0)


def vote_value(record: VoteRecord) -> dict[str, Any]:
    """A vote as the state contract gives it: ``{"motion", "passed", "tally"}``."""
    return {"motion": record.motion, "passed": record.passed, "tally": record.tally}


class Board(NamedTuple):
    """The board at an instant: its chair, voting members and observers (sorted ids)."""

    chair: str | None
    members: tuple[str, ...]
    observers: tuple[str, ...]
    independent: tuple[str, ...]


_FIELDS = (
    "manifest",
    "rules",
    "at",
    "_offices",
    "_seats",
    "_people",
    "_stakeholders",
    "_votes",
    "chair",
    "structure",
    "headcount",
    "headcount_qualifier",
    "open_letter_signatories",
    "signatures_qualifier",
    "_signatories",
    "last_event",
    "applied",
)
"""What a snapshot holds, in order: the engine builds a snapshot from a tuple of these (see :meth:`OrgState._of`)."""


class OrgState:
    """The organisation's state at an instant; immutable.

    What it holds is private, and shared with the engine's checkpoints and
    with other snapshots: everything it hands out is read-only (read-only
    mappings, tuples, named tuples, frozensets), so nothing reachable from a
    state can change this or any other answer. ``to_dict()`` gives the stable
    JSON contract documented in the README.

    >>> import orgsim
    >>> state = orgsim.load_timeline().state_at("2023-11-18T12:00-08:00")
    >>> state.ceo
    Holder(person='mira-murati', interim=True)
    >>> state.offices["ceo"] = None
    Traceback (most recent call last):
    ...
    TypeError: 'mappingproxy' object does not support item assignment
    """

    __slots__ = ("_v",)
    _v: tuple[Any, ...]

    @classmethod
    def _of(cls, values: tuple[Any, ...]) -> OrgState:
        """A snapshot of ``values`` (in :data:`_FIELDS` order): the engine's O(1) constructor."""
        state = object.__new__(cls)
        object.__setattr__(state, "_v", values)
        return state

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"states are immutable: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"states are immutable: cannot delete {name!r}")

    def __reduce__(self) -> tuple[Any, ...]:
        return OrgState._of, (self._v,)

    @property
    def manifest(self) -> Manifest:
        """The manifest of the timeline this state belongs to."""
        return self._v[0]  # type: ignore[no-any-return]

    @property
    def rules(self) -> GovernanceRules:
        """The governance rules in force."""
        return self._v[1]  # type: ignore[no-any-return]

    @property
    def at(self) -> datetime | None:
        """The instant this state answers for (None for a state taken between events)."""
        return self._v[2]  # type: ignore[no-any-return]

    @property
    def chair(self) -> str | None:
        """The chair of the board, or None."""
        return self._v[8]  # type: ignore[no-any-return]

    @property
    def structure(self) -> str | None:
        """The organisation's legal or control structure, as text."""
        return self._v[9]  # type: ignore[no-any-return]

    @property
    def headcount(self) -> int | None:
        """The last reported number of employees."""
        return self._v[10]  # type: ignore[no-any-return]

    @property
    def headcount_qualifier(self) -> str | None:
        """How exact the headcount is: ``exact``, ``about``, ``nearly``, ``more_than``, ``at_least``."""
        return self._v[11]  # type: ignore[no-any-return]

    @property
    def open_letter_signatories(self) -> int | None:
        """The last reported number of signatures on the open letter."""
        return self._v[12]  # type: ignore[no-any-return]

    @property
    def signatures_qualifier(self) -> str | None:
        """How exact the number of signatures is."""
        return self._v[13]  # type: ignore[no-any-return]

    @property
    def last_event(self) -> str | None:
        """The id of the latest event included."""
        return self._v[15]  # type: ignore[no-any-return]

    @property
    def applied(self) -> int:
        """How many events this state includes."""
        return self._v[16]  # type: ignore[no-any-return]

    def at_instant(self, at: datetime) -> OrgState:
        """The same state, labelled with the instant it answers for."""
        values = self._v
        return OrgState._of((values[0], values[1], at, *values[3:]))

    @property
    def timeline(self) -> str:
        """The name of the timeline this state belongs to."""
        return self.manifest.name

    @property
    def ceo(self) -> Holder | None:
        """The CEO, or None when the office is vacant."""
        return self._v[3].get("ceo")  # type: ignore[no-any-return]

    @property
    def offices(self) -> Mapping[str, Holder | None]:
        """Every office ever filled, with its holder or None when vacant."""
        return MappingProxyType(self._v[3])

    @property
    def board(self) -> Board:
        """The board: chair, voting members, observers and independents."""
        seats: dict[str, Seat] = self._v[4]
        members = tuple(sorted(p for p, s in seats.items() if s.role == "voting"))
        observers = tuple(sorted(p for p, s in seats.items() if s.role != "voting"))
        independent = tuple(sorted(p for p, s in seats.items() if s.independent))
        return Board(self.chair, members, observers, independent)

    @property
    def seats(self) -> Mapping[str, Seat]:
        """Board seats by person."""
        return MappingProxyType(self._v[4])

    @property
    def people(self) -> Mapping[str, PersonState]:
        """Every person the timeline knows, by id."""
        return self._v[5].view()  # type: ignore[no-any-return]

    @property
    def stakeholders(self) -> Mapping[str, StakeholderState]:
        """Every other organisation the timeline knows, by id."""
        return MappingProxyType(self._v[6])

    @property
    def signatories(self) -> tuple[str, ...]:
        """People named as signing the open letter so far, in the order they were reported."""
        return tuple(self._v[14].view())

    @property
    def votes(self) -> LogView[VoteRecord]:
        """Board votes held so far, by event id."""
        return self._v[7].view()  # type: ignore[no-any-return]

    def stakeholder_board_seat(self, stakeholder: str) -> str:
        """``voting``, ``observer`` or ``none``: the seat a stakeholder's people hold."""
        roles = {s.role for s in self._v[4].values() if s.representing == stakeholder}
        return "voting" if "voting" in roles else "observer" if roles else "none"

    def name_of(self, person: str) -> str:
        """A person's display name (the id when the timeline does not know them)."""
        known = self.manifest.people.get(person)
        return known.name if known else person

    def to_dict(self, tz: str | None = None, *, votes: bool = True) -> dict[str, Any]:
        """The state as the stable JSON contract (see README, "The state contract").

        ``at`` is given in the zone ``tz`` when named (the CLI names the zone
        the user asked for, else the timeline's home zone), else as resolved.
        ``votes=False`` leaves the votes section empty (a caller that keeps
        the votes of an earlier state makes only the new ones).
        """
        offices = {
            o: (None if h is None else {"person": h.person, "interim": h.interim}) for o, h in self._v[3].items()
        }
        board = self.board
        return {
            "at": (isoformat(self.at, tz) if tz else self.at.isoformat()) if self.at else None,
            "timeline": self.manifest.name,
            "organisation": self.manifest.organisation,
            "ceo": offices.get("ceo"),
            "offices": offices,
            "board": {
                "chair": board.chair,
                "members": list(board.members),
                "observers": list(board.observers),
                "independent": list(board.independent),
            },
            "employees": {
                "headcount": self.headcount,
                "headcount_qualifier": self.headcount_qualifier,
                "open_letter_signatories": self.open_letter_signatories,
                "open_letter_qualifier": self.signatures_qualifier,
                "named_signatories": sorted(self.signatories),
            },
            "stakeholders": {
                sid: {
                    "name": self.manifest.organisations[sid].name if sid in self.manifest.organisations else sid,
                    "investment_usd": s.investment_usd,
                    "investment_form": s.investment_form,
                    "board_seat": self.stakeholder_board_seat(sid),
                    "employs": sorted(s.employs),
                    "staff_hired": s.staff_hired,
                }
                for sid, s in self._v[6].items()
            },
            "people": {
                pid: {
                    "name": self.name_of(pid),
                    "at_org": p.at_org,
                    "on_leave": p.on_leave,
                    "affiliation": p.affiliation,
                    "former": p.former,
                }
                for pid, p in self.people.items()
            },
            "structure": self.structure,
            "votes": {vid: vote_value(v) for vid, v in self.votes.items()} if votes else {},
            "last_event": self.last_event,
            "events_applied": self.applied,
        }

    def _content(self) -> tuple[Any, ...]:
        return (
            self.manifest.name,
            self._v[3],
            self._v[4],
            self.chair,
            self.headcount,
            self.headcount_qualifier,
            self.open_letter_signatories,
            self.signatures_qualifier,
            frozenset(self.signatories),
            dict(self.people.items()),
            self._v[6],
            self.structure,
            dict(self.votes.items()),
        )

    def __eq__(self, other: object) -> bool:
        """Two states are equal when the organisation is the same (the instant is ignored)."""
        if not isinstance(other, OrgState):
            return NotImplemented
        return self._content() == other._content()

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        ceo = self.ceo.person if self.ceo else None
        seats = len(self._v[4])
        return f"<OrgState {self.manifest.name} at={self.at} ceo={ceo} board={seats} applied={self.applied}>"
