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

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any, NamedTuple

from orgsim.model.governance import GovernanceRules
from orgsim.model.knowledge import UNKNOWN, Unknown, coverage_problem
from orgsim.model.manifest import Manifest
from orgsim.model.sharing import LogView, Versioned
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
    """A person's standing at an instant; ``known`` is False where no event has placed them (or it is not covered).

    A state hands out an unknown standing with every field :data:`UNKNOWN` (falsy, never False or None), so
    ``if not person.at_org`` cannot read "not at the organisation" where nothing is known.
    """

    at_org: bool
    on_leave: bool
    affiliation: str | None
    former: bool = False
    """True once the person has left the organisation (until they return)."""
    known: bool = True


UNPLACED = PersonState(False, False, None, False, False)
"""A person no event has yet placed, as the engine keeps them (a state shows :data:`UNKNOWN_STANDING`)."""

UNKNOWN_STANDING = PersonState(UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, False)  # type: ignore[arg-type]
"""The standing a state shows for a person it does not know about: every field :data:`UNKNOWN`."""


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


class CountDetail(NamedTuple):
    """What a reported count says beyond its number: its range, and until when it stays current.

    ``low``/``high`` bound the count (None: unbounded on that side);
    ``reported`` is the epoch of the report; past ``expires`` (an epoch, None:
    never) the count is only the last known value.
    """

    low: int | None
    high: int | None
    reported: float
    expires: float | None


class Offer(NamedTuple):
    """An offer made to someone, and where it stands: ``open``, ``accepted``, ``declined`` or ``withdrawn``."""

    to: str
    by: str | None
    role: str
    office: str | None
    interim: bool
    status: str


class Extras(NamedTuple):
    """The parts of a state that few events touch, kept together so a snapshot stays one small tuple.

    ``pending`` maps each pending announcement's event id to its summary;
    ``leaves`` maps each person on a leave with a stated end to that leave's
    event id and its ``until`` date (ISO text); ``identified`` maps a placeholder (someone known only by
    description) to the person they turned out to be.
    """

    headcount: CountDetail | None
    signatures: CountDetail | None
    pending: Versioned[str]
    offers: Versioned[Offer]
    leaves: Versioned[tuple[str, str]]
    identified: Versioned[str]


def no_extras() -> Extras:
    """Extras with nothing in them, with maps of their own: each replay must write to its own storage (a shared
    empty map would collect the first replay's writes for the life of the process, and let two threads replaying
    at once append to one list)."""
    return Extras(None, None, Versioned(), Versioned(), Versioned(), Versioned())


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
    "_board_known",
    "_chair_known",
    "_extras",
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

    __slots__ = ("_u", "_v")
    _v: tuple[Any, ...]
    _u: dict[Any, Any] | None
    """Why each path asked about is unknown (None: known), worked out when first asked."""

    @classmethod
    def _of(cls, values: tuple[Any, ...]) -> OrgState:
        """A snapshot of ``values`` (in :data:`_FIELDS` order): the engine's O(1) constructor."""
        state = _object_new(cls)
        _set_values(state, values)
        _set_memo(state, None)
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
    def chair(self) -> str | Unknown | None:
        """The chair of the board, or None."""
        return UNKNOWN if self._gap("board.chair") else self._v[8]

    @property
    def structure(self) -> str | Unknown | None:
        """The organisation's legal or control structure, as text."""
        return UNKNOWN if self._gap("structure") else self._v[9]

    @property
    def headcount(self) -> int | Unknown | None:
        """The last reported number of employees."""
        return UNKNOWN if self._gap("employees.headcount") else self._v[10]

    @property
    def headcount_qualifier(self) -> str | Unknown | None:
        """How exact the headcount is: ``exact``, ``about``, ``nearly``, ``more_than``, ``at_least``."""
        return UNKNOWN if self._gap("employees.headcount") else self._v[11]

    @property
    def open_letter_signatories(self) -> int | Unknown | None:
        """The last reported number of signatures on the open letter."""
        return UNKNOWN if self._gap("employees.open_letter_signatories") else self._v[12]

    @property
    def signatures_qualifier(self) -> str | Unknown | None:
        """How exact the number of signatures is."""
        return UNKNOWN if self._gap("employees.open_letter_signatories") else self._v[13]

    @property
    def last_event(self) -> str | None:
        """The id of the latest event included."""
        return self._v[15]  # type: ignore[no-any-return]

    @property
    def applied(self) -> int:
        """How many events this state includes."""
        return self._v[16]  # type: ignore[no-any-return]

    def _gap(self, path: str) -> bool:
        """Whether the part of the state at ``path`` (or one that contains it) is unknown."""
        return self.why_unknown(path) is not None

    def _epoch(self) -> float | None:
        """:attr:`at` as a Unix timestamp, worked out once per state (kept in the memo under a key no path is)."""
        memo = self._u
        if memo is None:
            memo = {}
            object.__setattr__(self, "_u", memo)
        epoch = memo.get(_EPOCH_KEY, _NO_EPOCH)
        if epoch is _NO_EPOCH:
            at = self._v[2]
            epoch = memo[_EPOCH_KEY] = None if at is None else at.timestamp()
        return epoch  # type: ignore[no-any-return]

    def why_unknown(self, path: str) -> str | None:
        """Why the value at ``path`` (a path of the state contract) is unknown here; None when it is known.

        A path that names no field of the contract (``boardd``) is a
        :class:`~orgsim.errors.QueryError` naming the nearest one, never an answer.
        """
        memo = self._u
        if memo is None:
            memo = {}
            object.__setattr__(self, "_u", memo)
        if path in memo:
            return memo[path]  # type: ignore[no-any-return]
        section, _, key = path.partition(".")
        v = self._v
        # A person's or a stakeholder's own path (as to_dict asks for each) needs no checking: this state holds them.
        if not ((section == "people" and v[5].get(key)) or (section == "stakeholders" and key in v[6])):
            from orgsim.model.paths import check_field  # paths reads states: imported once it is needed

            check_field(path, v[0])
        why = memo[path] = _why_unknown(self, path)
        return why

    @property
    def unknown(self) -> tuple[tuple[str, str], ...]:
        """The parts of the state not known at this instant, as ``(path, why)``, a path standing for all under it."""
        return tuple(sorted(_unknown_parts(self).items()))

    def is_known(self, path: str) -> bool:
        """Whether the value at ``path`` (a path of the state contract) is known at this instant.

        A path that names no field of the contract is refused (see :meth:`why_unknown`).
        """
        return self.why_unknown(path) is None

    @property
    def headcount_range(self) -> tuple[int | None, int | None] | None:
        """The range the headcount lies in, ``(low, high)`` (None on an open side), when the source gives one."""
        return None if self._gap("employees.headcount") else count_range(self._v[19].headcount)

    @property
    def signatures_range(self) -> tuple[int | None, int | None] | None:
        """The range the number of open-letter signatures lies in, when the source gives one."""
        return None if self._gap("employees.open_letter_signatories") else count_range(self._v[19].signatures)

    def last_known(self, path: str) -> LastKnown | None:
        """For a count past the time its report stays current: what it last was, and when it was reported."""
        v = self._v
        if path == "employees.headcount":
            count, qualifier, detail = v[10], v[11], v[19].headcount
        elif path == "employees.open_letter_signatories":
            count, qualifier, detail = v[12], v[13], v[19].signatures
        else:
            return None
        if detail is None or detail.expires is None or self.at is None or self.at.timestamp() <= detail.expires:
            return None
        return LastKnown(count, qualifier, count_range(detail), detail.reported, detail.expires)

    @property
    def announced(self) -> Mapping[str, str]:
        """Pending announcements (events announced, not yet done or withdrawn): summary by event id."""
        return self._v[19].pending  # type: ignore[no-any-return]

    @property
    def offers(self) -> Mapping[str, Offer]:
        """Every offer made so far, with where it stands, by the event id that made it."""
        return self._v[19].offers  # type: ignore[no-any-return]

    @property
    def leave_ends(self) -> Mapping[str, str]:
        """Each person on a leave whose start stated its end: that end (``until``, an ISO date)."""
        return {person: until for person, (_, until) in self._v[19].leaves.items()}

    @property
    def identified(self) -> Mapping[str, str]:
        """Each placeholder (someone known only by description) identified so far, and who they turned out to be."""
        return self._v[19].identified  # type: ignore[no-any-return]

    def at_instant(self, at: datetime) -> OrgState:
        """The same state, labelled with the instant it answers for."""
        values = self._v
        return OrgState._of((values[0], values[1], at, *values[3:]))

    @property
    def timeline(self) -> str:
        """The name of the timeline this state belongs to."""
        return self.manifest.name

    @property
    def ceo(self) -> Holder | Unknown | None:
        """The CEO, None when the office is vacant, :data:`UNKNOWN` when the timeline does not know."""
        return UNKNOWN if self._gap("offices.ceo") else self._v[3].get("ceo")

    def office(self, office: str) -> Holder | Unknown | None:
        """One office's holder, as :attr:`offices` gives it (None: vacant, or never named by the timeline)."""
        if self._gap(f"offices.{office}"):
            return UNKNOWN
        holder: Holder | None = self._v[3].get(office)
        return holder

    @property
    def offices(self) -> Mapping[str, Holder | Unknown | None]:
        """Every office filled so far or named in the timeline's coverage, with its holder, None when vacant, or
        :data:`UNKNOWN` (an office the coverage names but nothing has filled yet is unknown, never vacant)."""
        offices: dict[str, Holder | None] = self._v[3]
        if not self.manifest.coverage:
            return MappingProxyType(offices)
        shown: dict[str, Holder | Unknown | None] = {
            o: UNKNOWN if self._gap(f"offices.{o}") else h for o, h in offices.items()
        }
        for office in _covered_offices(self.manifest):
            shown.setdefault(office, UNKNOWN)
        return MappingProxyType(shown)

    @property
    def board(self) -> Board | Unknown:
        """The board: chair, voting members, observers and independents; :data:`UNKNOWN` when not known."""
        if self._gap("board"):
            return UNKNOWN
        seats: dict[str, Seat] = self._v[4]
        members = tuple(sorted(p for p, s in seats.items() if s.role == "voting"))
        observers = tuple(sorted(p for p, s in seats.items() if s.role != "voting"))
        independent = tuple(sorted(p for p, s in seats.items() if s.independent))
        return Board(self.chair, members, observers, independent)  # type: ignore[arg-type]

    @property
    def seats(self) -> Mapping[str, Seat]:
        """Board seats by person."""
        return MappingProxyType(self._v[4])

    @property
    def people(self) -> Mapping[str, PersonState]:
        """Every person the timeline knows, by id (``known`` False where their standing is unknown)."""
        view: Mapping[str, PersonState] = self._v[5].view()
        return MappingProxyType({pid: self._shown_person(pid, p) for pid, p in view.items()})

    def person(self, pid: str) -> PersonState | None:
        """One person's standing, as :attr:`people` gives it (None: the timeline does not know them)."""
        found: PersonState | None = self._v[5].get(pid)
        return None if found is None else self._shown_person(pid, found)

    def _shown_person(self, pid: str, person: PersonState) -> PersonState:
        if not person.known or (self.manifest.coverage and self._gap(f"people.{pid}")):
            return UNKNOWN_STANDING
        return person

    @property
    def stakeholders(self) -> Mapping[str, StakeholderState | Unknown]:
        """Every other organisation the timeline knows, by id (:data:`UNKNOWN` where not covered)."""
        roles: dict[str, StakeholderState] = self._v[6]
        return MappingProxyType({sid: self._shown_stakeholder(sid, role) for sid, role in roles.items()})

    def stakeholder(self, sid: str) -> StakeholderState | Unknown | None:
        """One organisation's role, as :attr:`stakeholders` gives it (None: this state does not hold it)."""
        role: StakeholderState | None = self._v[6].get(sid)
        return None if role is None else self._shown_stakeholder(sid, role)

    def _shown_stakeholder(self, sid: str, role: StakeholderState) -> StakeholderState | Unknown:
        if self.manifest.coverage and self._gap(f"stakeholders.{sid}"):
            return UNKNOWN
        if self._gap(f"stakeholders.{sid}.investment_usd"):  # never reported, or not covered then
            return role._replace(investment_usd=UNKNOWN)  # type: ignore[arg-type]
        return role

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
        An unknown value is ``null``; ``unknown`` lists the paths not known
        (a path stands for everything under it) and ``why_unknown`` says why.
        ``votes=False`` leaves the votes section empty (a caller that keeps
        the votes of an earlier state makes only the new ones).
        """
        v = self._v
        gap = self._gap
        offices = {
            o: (None if h is None or gap(f"offices.{o}") else {"person": h.person, "interim": h.interim})
            for o, h in v[3].items()
        }
        for office in _covered_offices(self.manifest):
            offices.setdefault(office, None)  # named by the coverage, not yet filled: null, and listed in unknown
        board = self.board
        if isinstance(board, Board):
            chair = None if isinstance(board.chair, Unknown) else board.chair
            shown_board: dict[str, Any] = {
                "chair": chair,
                "members": list(board.members),
                "observers": list(board.observers),
                "independent": list(board.independent),
            }
        else:
            shown_board = {"chair": None, "members": None, "observers": None, "independent": None}
        counted = not gap("employees.open_letter_signatories")
        unknown = _unknown_parts(self)
        extras: Extras = v[19]
        return {
            "at": (isoformat(self.at, tz) if tz else self.at.isoformat()) if self.at else None,
            "timeline": self.manifest.name,
            "organisation": self.manifest.organisation,
            "ceo": offices.get("ceo"),
            "offices": offices,
            "board": shown_board,
            "employees": {
                "headcount": _known(self.headcount),
                "headcount_qualifier": _known(self.headcount_qualifier),
                "open_letter_signatories": _known(self.open_letter_signatories),
                "open_letter_qualifier": _known(self.signatures_qualifier),
                "named_signatories": sorted(self.signatories) if counted else None,
                "headcount_range": _listed(self.headcount_range),
                "open_letter_range": _listed(self.signatures_range),
            },
            "stakeholders": {sid: self._stakeholder_dict(sid, s) for sid, s in v[6].items()},
            "people": {pid: self._person_dict(pid, p) for pid, p in self.people.items()},
            "structure": _known(self.structure),
            "votes": {vid: vote_value(v) for vid, v in self.votes.items()} if votes else {},
            "announced": dict(extras.pending),
            "offers": {oid: offer._asdict() for oid, offer in extras.offers.items()},
            "unknown": sorted(unknown),
            "why_unknown": dict(sorted(unknown.items())),
            "last_known": {path: last.to_dict(tz) for path in _COUNTS if (last := self.last_known(path)) is not None},
            "last_event": self.last_event,
            "events_applied": self.applied,
        }

    def _stakeholder_dict(self, sid: str, role: StakeholderState) -> dict[str, Any]:
        name = self.manifest.organisations[sid].name if sid in self.manifest.organisations else sid
        if self._gap(f"stakeholders.{sid}"):
            keys = ("investment_usd", "investment_form", "board_seat", "employs", "staff_hired")
            return {"name": name, **dict.fromkeys(keys)}
        investment_known = not self._gap(f"stakeholders.{sid}.investment_usd")
        return {
            "name": name,
            "investment_usd": role.investment_usd if investment_known else None,
            "investment_form": role.investment_form,
            "board_seat": self.stakeholder_board_seat(sid) if not self._gap("board") else None,
            "employs": sorted(role.employs),
            "staff_hired": role.staff_hired,
        }

    def _person_dict(self, pid: str, person: PersonState) -> dict[str, Any]:
        identified = self._v[19].identified.get(pid)
        if not person.known:
            shown: dict[str, Any] = {
                "name": self.name_of(pid),
                "at_org": None,
                "on_leave": None,
                "affiliation": None,
                "former": None,
            }
        else:
            shown = {
                "name": self.name_of(pid),
                "at_org": person.at_org,
                "on_leave": person.on_leave,
                "affiliation": person.affiliation,
                "former": person.former,
            }
        if identified is not None:
            shown["identified_as"] = identified
        return shown

    def _content(self) -> tuple[Any, ...]:
        v = self._v
        return (
            self.manifest.name,
            v[3],
            v[4],
            *v[8:14],
            frozenset(self.signatories),
            dict(v[5].view().items()),
            v[6],
            dict(self.votes.items()),
            v[17],
            v[18],
            v[19],
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

    def _repr_html_(self) -> str | None:
        from orgsim.model.rendering import html_of  # the state table, drawn by orgsim.views.notebook

        return html_of(self)

    def __repr__(self) -> str:
        holder = self.ceo
        ceo = "unknown" if isinstance(holder, Unknown) else holder.person if holder else None
        board = self.board
        seats = "unknown" if isinstance(board, Unknown) else len(board.members)
        return f"<OrgState {self.manifest.name} at={self.at} ceo={ceo} board={seats} applied={self.applied}>"


# A replay takes a snapshot every few events: its slots are set through their descriptors, which costs less
# than object.__setattr__ (the class refuses plain assignment).
_object_new = object.__new__
_set_values: Callable[[OrgState, tuple[Any, ...]], None] = vars(OrgState)["_v"].__set__
_set_memo: Callable[[OrgState, dict[Any, Any] | None], None] = vars(OrgState)["_u"].__set__


def _known(value: Any) -> Any:
    return None if isinstance(value, Unknown) else value


class LastKnown(NamedTuple):
    """A count past the time its report stays current: its last value, and when it was reported and went stale."""

    value: int | None
    qualifier: str | None
    bounds: tuple[int | None, int | None] | None
    reported: float
    """The report's instant, as a Unix timestamp."""
    stale: float
    """When it stopped being current, as a Unix timestamp."""

    def to_dict(self, tz: str | None = None) -> dict[str, Any]:
        """The contract's form: ``{"count", "qualifier", "range", "reported", "current_until"}``."""
        moment = datetime.fromtimestamp
        return {
            "count": self.value,
            "qualifier": self.qualifier,
            "range": _listed(self.bounds),
            "reported": isoformat(moment(self.reported, UTC), tz),
            "current_until": isoformat(moment(self.stale, UTC), tz),
        }


_COUNTS = ("employees.headcount", "employees.open_letter_signatories")


def count_range(detail: CountDetail | None) -> tuple[int | None, int | None] | None:
    """A count's range ``(low, high)``, None when its report gives none."""
    if detail is None or (detail.low is None and detail.high is None):
        return None
    return (detail.low, detail.high)


def _listed(pair: tuple[Any, Any] | None) -> list[Any] | None:
    return None if pair is None else list(pair)


_UNSET_OFFICE = "no event gives anyone this office before then"
_UNSET_COUNT = "no event reports it before then"


_RECORDS = frozenset({"votes", "announced", "offers"})
_EPOCH_KEY = ("epoch",)
_NO_EPOCH = object()


def _covered_offices(manifest: Manifest) -> tuple[str, ...]:
    """The offices the manifest's coverage names (``offices.cto``...): a state lists them even before anyone fills
    them."""
    return tuple(
        key.split(".", 2)[1] for key in manifest.coverage if key.startswith("offices.") and key.count(".") == 1
    )


def _why_unknown(state: OrgState, path: str) -> str | None:
    """Why ``path`` is unknown in ``state``: outside coverage, never set, or a count no longer current."""
    v = state._v
    if path == "ceo" or path.startswith("ceo."):
        path = "offices.ceo"
    steps = path.split(".")
    section = steps[0]
    if section in _RECORDS:
        return None  # what was counted, announced or offered in this world: a record, not a covered part
    problem = coverage_problem(path, v[0], v[2], state._epoch())
    if problem is not None:
        return problem
    if section == "offices":
        if len(steps) > 1 and steps[1] not in v[3]:
            return _UNSET_OFFICE
        return None
    if section == "board":
        if not v[17]:
            return "no event seats anyone on the board before then"
        if len(steps) > 1 and steps[1] == "chair" and not v[18]:
            return "no event names a chair before then"
        return None
    if section == "employees":
        leaf = steps[1] if len(steps) > 1 else ""
        if leaf.startswith("headcount"):
            return _count_problem(v[10], v[19].headcount, v[2])
        if leaf.startswith("open_letter") or leaf == "named_signatories":
            return _count_problem(v[12], v[19].signatures, v[2])
        return None
    if section == "structure":
        return "no event states it before then" if v[9] is None else None
    if section == "people" and len(steps) > 1:
        person = v[5].get(steps[1])
        return "no event places them before then" if person is not None and not person.known else None
    if section == "stakeholders" and len(steps) > 2 and steps[2] == "investment_usd":
        role = v[6].get(steps[1])
        return (
            "no event reports an investment before then" if role is not None and role.investment_usd is None else None
        )
    return None


def _count_problem(count: int | None, detail: CountDetail | None, at: datetime | None) -> str | None:
    if count is None and detail is None:
        return _UNSET_COUNT
    if detail is not None and detail.expires is not None and at is not None and at.timestamp() > detail.expires:
        reported = datetime.fromtimestamp(detail.reported, UTC).date().isoformat()
        return f"last reported on {reported}, and that report is no longer current"
    return None


def _unknown_parts(state: OrgState) -> dict[str, str]:
    """Every part of ``state`` not known at its instant, with why (a path standing for all under it)."""
    v = state._v
    manifest = v[0]
    found: dict[str, str] = {}

    def check(path: str) -> None:
        why = state.why_unknown(path)
        if why is not None:
            found[path] = why

    declared = {key.split(".")[1] for key in manifest.coverage if key.startswith("offices.") and key.count(".") == 1}
    for office in sorted(v[3].keys() | {"ceo"} | declared):
        check(f"offices.{office}")
    check("board")
    if "board" not in found:
        check("board.chair")
    check("employees.headcount")
    check("employees.open_letter_signatories")
    check("structure")
    for sid in v[6]:
        check(f"stakeholders.{sid}")
        if f"stakeholders.{sid}" not in found:
            check(f"stakeholders.{sid}.investment_usd")
    for pid in v[5].view():
        check(f"people.{pid}")
    return found
