"""Synthetic timelines: deterministic, valid histories of any size, for benchmarks and tests.

A seeded generator plays an organisation forward: hundreds of people join,
leave, take leave, hold offices and board seats; the board votes (the outcome
counted by :func:`~orgsim.model.governance.count_votes`, exactly as replay will) and
what a passed motion brings about carries the vote in ``caused_by``. The
generator tracks the state as it goes, so every event applies under strict
replay. Every event kind of :mod:`orgsim.model.events` occurs, each with one short
source whose quote is verbatim in a document :func:`write_synthetic` writes.

The same ``(n_events, seed, people)`` always gives the same events.

>>> manifest, events = synthesize(200, seed=7)
>>> len(events), manifest.name
(200, 'synthetic')
>>> synthesize(200, seed=7)[1] == events
True
"""

from __future__ import annotations

import contextlib
import heapq
import json
import random
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import yaml

from orgsim.errors import OutputError
from orgsim.io.output import write_file_durably, write_folder
from orgsim.model.events import EVENT_LIST_ADAPTER, WELL_KNOWN_OFFICES, EventBase
from orgsim.model.governance import GovernanceRules, count_votes
from orgsim.model.manifest import MANIFEST_NAME, Manifest, Organisation, Person
from orgsim.times import resolve_instant

Raw = dict[str, Any]
"""One event as JSON-ready data (what an event file holds)."""

GENERATOR_VERSION = 3
"""Changes whenever the same arguments would give other events (caches of written timelines key on it)."""

ORGANISATION = "synthco"
EVENTS_FILE = "events.jsonl"
"""The file :func:`write_synthetic` writes the events to, beside the manifest."""

_START = date(1990, 1, 1)
_START_EPOCH = datetime.combine(_START, time(), UTC).timestamp()
_OFFICES = (*WELL_KNOWN_OFFICES, *(f"vp_{i}" for i in range(1, 22)))
_STAKEHOLDERS = (
    ("northwind-capital", "investor"),
    ("globex", "investor"),
    ("initech", "rival"),
    ("umbrella-labs", "rival"),
    ("stark-ventures", "investor"),
    ("wayne-foundation", "investor"),
    ("tyrell", "partner"),
    ("cyberdyne", "rival"),
)
_STRUCTURES = (
    "private company",
    "capped-profit subsidiary of a non-profit",
    "public benefit corporation",
    "non-profit with a for-profit arm",
    "public company",
)
_EMPLOYS_MAX = 12  # a stakeholder that employs this many of our people lets one go before it hires again
_BOARD_SEATS = 16  # voting and observer seats together; at most 11 of them voting
_MOTIONS_OTHER = ("Approve the annual plan", "Approve the audit report", "Adopt a new code of conduct")

# How often each kind is tried (per 1000 draws); a kind that cannot apply in the state met falls back to a statement.
_WEIGHTS = {
    "statement": 180,
    "person_joined": 110,
    "office_assigned": 80,
    "headcount_reported": 70,
    "stakeholder_changed": 70,
    "person_left": 60,
    "leave_started": 60,
    "leave_ended": 55,
    "board_vote": 45,
    "board_seat_added": 40,
    "signatures_reported": 40,
    "office_vacated": 30,
    "board_seat_removed": 30,
    "staff_departed": 25,
    "chair_set": 15,
    "structure_changed": 10,
    "chair_cleared": 8,
    "offer_made": 8,
    "offer_answered": 8,
    "announced": 6,
    "announcement_settled": 6,
    "placeholder_assigned": 4,
    "person_identified": 3,
}

# One quote per kind, all found verbatim in the document named beside it.
_SOURCES: dict[str, tuple[str, str]] = {
    "person_joined": ("hr-log.txt", "joined the company"),
    "person_left": ("hr-log.txt", "left the company"),
    "leave_started": ("hr-log.txt", "went on leave"),
    "leave_ended": ("hr-log.txt", "came back from leave"),
    "staff_departed": ("hr-log.txt", "a group of staff left together"),
    "headcount_reported": ("hr-log.txt", "headcount as of this month"),
    "office_assigned": ("minutes.txt", "was appointed to the office"),
    "office_vacated": ("minutes.txt", "the office fell vacant"),
    "board_seat_added": ("minutes.txt", "joined the board"),
    "board_seat_removed": ("minutes.txt", "left the board"),
    "chair_set": ("minutes.txt", "was elected chair"),
    "chair_cleared": ("minutes.txt", "the chair fell vacant"),
    "board_vote": ("minutes.txt", "the board voted on the motion"),
    "structure_changed": ("minutes.txt", "the structure was changed"),
    "stakeholder_changed": ("press.txt", "a stakeholder changed its position"),
    "signatures_reported": ("press.txt", "staff signed an open letter"),
    "statement": ("press.txt", "a statement was made"),
    "leave_expired": ("hr-log.txt", "went on leave"),
    "offer_made": ("press.txt", "an offer was made"),
    "offer_answered": ("press.txt", "the offer was answered"),
    "announcement_withdrawn": ("press.txt", "the announcement was withdrawn"),
    "person_identified": ("press.txt", "was named"),
}


def synthesize(n_events: int, seed: int, *, people: int | None = None) -> tuple[Manifest, list[EventBase]]:
    """A synthetic timeline of exactly ``n_events`` events, validated like a loaded file.

    ``people`` is how many people the timeline knows (default: hundreds,
    fewer for tiny timelines). Events come in replay order; the same
    arguments always give the same timeline.
    """
    manifest, raw = synthesize_raw(n_events, seed, people=people)
    return manifest, EVENT_LIST_ADAPTER.validate_python(raw)  # type: ignore[return-value]


def synthesize_raw(n_events: int, seed: int, *, people: int | None = None) -> tuple[Manifest, list[Raw]]:
    """Like :func:`synthesize`, but the events as JSON-ready dicts (not yet validated)."""
    if n_events < 0:
        raise ValueError("n_events must be >= 0")
    count = people if people is not None else max(24, min(600, n_events // 25))
    if count < 4:
        raise ValueError("a synthetic timeline needs at least 4 people")
    generator = _Generator(seed, count)
    return generator.manifest, generator.run(n_events)


def write_synthetic(folder: Path, n_events: int, seed: int, *, people: int | None = None, replace: bool = True) -> Path:
    """Write a synthetic timeline folder: ``timeline.yaml``, ``events.jsonl`` and ``sources/``, all at once.

    The folder is built beside ``folder`` and renamed into place (see
    :func:`~orgsim.io.output.write_folder`), so a failed or killed run leaves
    no partial timeline. A missing or empty ``folder`` is created (and the
    folders it is in, if need be). An existing
    timeline folder (one holding a ``timeline.yaml``) is replaced as a whole,
    unless ``replace`` is false (as ``orgsim synth`` without ``--force``); any
    other non-empty folder is refused with :class:`~orgsim.errors.OutputError`.
    Returns the folder, ready for :func:`orgsim.load_timeline`.
    """
    target = Path(folder)
    try:
        foreign = replace and target.is_dir() and any(target.iterdir()) and not (target / MANIFEST_NAME).is_file()
    except OSError:
        foreign = False  # write_folder says why it cannot write there
    if foreign:
        raise OutputError(
            f"the folder is not empty and holds no {MANIFEST_NAME}: refusing to replace it", file=str(target)
        )
    manifest, raw = synthesize_raw(n_events, seed, people=people)
    header = f"# A synthetic timeline: {n_events} events, seed {seed} (written by orgsim.testing.synth).\n"
    manifest_text = header + yaml.safe_dump(
        manifest.model_dump(mode="json", exclude_defaults=True), sort_keys=False, allow_unicode=True
    )
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    documents: dict[str, list[str]] = {}
    for document, quote in _SOURCES.values():
        documents.setdefault(document, []).append(f"In the period covered, {quote}.")

    def build(scratch: Path) -> None:
        write_file_durably(scratch / MANIFEST_NAME, manifest_text.encode("utf-8"))
        write_file_durably(scratch / EVENTS_FILE, "".join([dumps(event) + "\n" for event in raw]).encode("utf-8"))
        (scratch / "sources").mkdir()
        for document, lines in documents.items():
            write_file_durably(scratch / "sources" / document, ("\n".join(lines) + "\n").encode("utf-8"))

    with contextlib.suppress(OSError):  # if it cannot be made, write_folder says why in one line
        target.parent.mkdir(parents=True, exist_ok=True)
    write_folder(target, build, replace=replace)
    return target


class _Pool:
    """A set with O(1) add, remove and uniform random choice (swap-remove on a list)."""

    __slots__ = ("items", "where")

    def __init__(self) -> None:
        self.items: list[str] = []
        self.where: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self.items)

    def __contains__(self, item: str) -> bool:
        return item in self.where

    def add(self, item: str) -> None:
        if item not in self.where:
            self.where[item] = len(self.items)
            self.items.append(item)

    def discard(self, item: str) -> None:
        index = self.where.pop(item, None)
        if index is None:
            return
        last = self.items.pop()
        if index < len(self.items):
            self.items[index] = last
            self.where[last] = index

    def choice(self, rng: random.Random) -> str:
        return self.items[int(rng.random() * len(self.items))]


class _Generator:
    """Plays a synthetic organisation forward, one valid event at a time.

    It mirrors exactly the preconditions of :mod:`orgsim.engine.transitions`, so the
    events it emits replay strictly; the tests check that by replaying them.
    """

    def __init__(self, seed: int, people: int) -> None:
        self.rng = random.Random(seed)
        rng = self.rng
        self.stakeholders = [sid for sid, _ in _STAKEHOLDERS]
        self.people = [f"person-{i:04d}" for i in range(1, people + 1)]
        # People known only by description until identified: never in the pools, only in offices and seats.
        self.placeholders = [f"unnamed-{i:03d}" for i in range(1, max(2, people // 40) + 1)]
        self.rules = GovernanceRules(quorum="majority", majority_of="present", board_size=11)
        self.manifest = Manifest(
            name="synthetic",
            title=f"A synthetic organisation ({people} people, seed {seed})",
            description="Generated by orgsim.testing.synth for benchmarks and tests; every event applies strictly.",
            organisation=ORGANISATION,
            organisation_name="SynthCo",
            home_zone="America/New_York",
            governance=self.rules,
            people={
                pid: Person(
                    name=f"Person {i}",
                    affiliation=ORGANISATION if rng.random() < 0.8 else rng.choice(self.stakeholders),
                    insider=rng.random() < 0.3,
                )
                for i, pid in enumerate(self.people, 1)
            }
            | {
                pid: Person(name=f"an unnamed officer ({i})", unnamed=True)
                for i, pid in enumerate(self.placeholders, 1)
            },
            organisations={
                sid: Organisation(name=sid.replace("-", " ").title(), kind=kind) for sid, kind in _STAKEHOLDERS
            },
        )
        self.at_org = _Pool()
        self.away = _Pool()
        for pid in self.people:
            self.away.add(pid)
        self.on_leave = _Pool()
        self.former: set[str] = set()
        self.offices: dict[str, str | None] = {}
        self.filled = _Pool()
        self.holds: dict[str, set[str]] = {}
        self.board: dict[str, str] = {}
        self.voting = _Pool()
        self.chair: str | None = None
        self.employs: dict[str, _Pool] = {sid: _Pool() for sid in self.stakeholders}
        self.headcount = 0
        self.signatures = 0
        self.leave_of: dict[str, str] = {}  # a person on a leave with a stated end: that leave's id
        self.expiries: list[tuple[float, int, str, str, str]] = []  # (epoch, order, person, leave id, at): a heap
        self.offers: dict[str, tuple[str, str | None, str, str | None]] = {}  # open offers: to, by, role, office
        self.pending: dict[str, str] = {}  # announced arrivals not yet settled: event id -> person
        self.unidentified = _Pool()
        for pid in self.placeholders:
            self.unidentified.add(pid)
        self.placed: set[str] = set()  # placeholders an office has placed at the organisation
        self.index = 0
        self.minute = 0
        self.day = -1
        self.day_text = ""
        self.at = ""
        self._tick(0)
        self.sources = {
            kind: ({"document": doc, "quote": quote, "translation": quote},) for kind, (doc, quote) in _SOURCES.items()
        }
        self.makers: dict[str, Callable[[], list[Raw] | None]] = {
            "statement": self.statement,
            "person_joined": self.person_joined,
            "office_assigned": self.office_assigned,
            "headcount_reported": self.headcount_reported,
            "stakeholder_changed": self.stakeholder_changed,
            "person_left": self.person_left,
            "leave_started": self.leave_started,
            "leave_ended": self.leave_ended,
            "board_vote": self.board_vote,
            "board_seat_added": self.board_seat_added,
            "signatures_reported": self.signatures_reported,
            "office_vacated": self.office_vacated,
            "board_seat_removed": self.board_seat_removed,
            "staff_departed": self.staff_departed,
            "chair_set": self.chair_set,
            "structure_changed": self.structure_changed,
            "chair_cleared": self.chair_cleared,
            "offer_made": self.offer_made,
            "offer_answered": self.offer_answered,
            "announced": self.announced,
            "announcement_settled": self.announcement_settled,
            "placeholder_assigned": self.placeholder_assigned,
            "person_identified": self.person_identified,
        }
        # A flat draw table: one random index picks a kind with the weights above.
        self.draws: list[Callable[[], list[Raw] | None]] = [
            self.makers[kind] for kind, weight in _WEIGHTS.items() for _ in range(weight)
        ]

    # -- the loop -----------------------------------------------------------------------------

    def run(self, n_events: int) -> list[Raw]:
        rng, draws = self.rng, self.draws
        out: list[Raw] = []
        while len(out) < n_events:
            roll = rng.random()
            # Most steps move the clock; some share an instant with the previous event (a tie).
            if roll < 0.85:
                self._tick(1 + int(roll * 70))
                if self.expiries and self.expiries[0][0] <= self.epoch:
                    out.extend(self._expire())
            made = draws[int(rng.random() * len(draws))]()
            if not made:
                made = self.person_joined() if len(self.at_org) < 3 else None
            out.extend(made or self.statement())
        del out[n_events:]
        # A leave whose stated end the run did not reach loses its ``until``: the loader would add that end,
        # and the timeline would hold more events than asked for.
        ended = {event["leave"] for event in out if event["type"] == "leave_expired"}
        for event in out:
            if event["type"] == "leave_started" and "until" in event and event["id"] not in ended:
                del event["until"]
        return out

    @property
    def epoch(self) -> float:
        """The current instant, as a Unix timestamp."""
        return _START_EPOCH + self.minute * 60

    def _expire(self) -> list[Raw]:
        """The stated ends of leaves that have now passed, for people still on those leaves."""
        made: list[Raw] = []
        while self.expiries and self.expiries[0][0] <= self.epoch:
            _, _, person, leave, at = heapq.heappop(self.expiries)
            if self.leave_of.get(person) == leave:  # else the leave ended otherwise, and its stated end changes nothing
                del self.leave_of[person]
                self.on_leave.discard(person)
            event = self._event("leave_expired", f"{person}-leave-ends", f"{person}'s leave ends.", person=person)
            event["at"], event["leave"], event["precision"] = at, leave, "day"
            event.pop("reported_at", None)  # public as it happened, like the leave's own stated end
            made.append(event)
        return made

    def _tick(self, minutes: int) -> None:
        self.minute += minutes
        day, minute = divmod(self.minute, 1440)
        if day != self.day:
            self.day = day
            self.day_text = (_START + timedelta(days=day)).isoformat()
        self.at = f"{self.day_text}T{minute // 60:02d}:{minute % 60:02d}:00Z"

    def _event(self, kind: str, slug: str, summary: str, caused_by: str | None = None, /, **fields: Any) -> Raw:
        self.index += 1
        raw: Raw = {
            "type": kind,
            "id": f"{self.day_text}-{self.index}-{slug}",
            "at": self.at,
            "precision": "minute",
            "summary": summary,
            "sources": self.sources[kind],
        }
        if caused_by is not None:
            raw["caused_by"] = (caused_by,)
        if self.index % 23 == 0:
            raw["reported_at"] = self.at
        raw.update(fields)
        return raw

    # -- state changes shared by several kinds ---------------------------------------------------

    def _join(self, person: str) -> None:
        self.away.discard(person)
        self.at_org.add(person)

    def _leave(self, person: str) -> None:
        self.at_org.discard(person)
        self.on_leave.discard(person)
        self.leave_of.pop(person, None)
        self.away.add(person)
        self.former.add(person)
        for office in sorted(self.holds.pop(person, ())):  # sorted: a set's order changes with PYTHONHASHSEED
            self.offices[office] = None
            self.filled.discard(office)

    def _assign(self, office: str, person: str, caused_by: str | None, replace: bool) -> Raw:
        fields = self._take_office(office, person, replace)
        return self._event(
            "office_assigned",
            f"{person}-{office.replace('_', '-')}",
            f"{person} becomes {office}.",
            caused_by,
            **fields,
        )

    def _take_office(self, office: str, person: str, replace: bool, interim: bool | None = None) -> dict[str, Any]:
        """Give ``office`` to ``person`` in the generator's state; the event's fields."""
        current = self.offices.get(office)
        fields: dict[str, Any] = {"office": office, "person": person}
        if current is not None:
            self.holds[current].discard(office)
            if replace:
                fields["replaces"] = current
        if interim is None and self.rng.random() < 0.1:
            fields["interim"] = True
        self.offices[office] = person
        self.filled.add(office)
        self.holds.setdefault(person, set()).add(office)
        if person in self.unidentified:
            self.placed.add(person)
        elif person not in self.at_org:
            self._join(person)
        return fields

    def _remove_seat(self, person: str, caused_by: str | None) -> Raw:
        del self.board[person]
        self.voting.discard(person)
        if self.chair == person:
            self.chair = None
        return self._event(
            "board_seat_removed", f"{person}-off-board", f"{person} leaves the board.", caused_by, person=person
        )

    def _left(
        self, person: str, reason: str, caused_by: str | None, destination: str | None = None
    ) -> tuple[Raw, list[str]]:
        """A departure, and the offices it left vacant."""
        held = sorted(self.holds.get(person, ()))
        self._leave(person)
        fields: dict[str, Any] = {"person": person, "reason": reason}
        if destination is not None:
            fields["destination"] = destination
        return self._event(
            "person_left", f"{person}-{reason}", f"{person} leaves ({reason}).", caused_by, **fields
        ), held

    def _pick(self, pool: _Pool, avoid: Callable[[str], bool], tries: int = 6) -> str | None:
        if not pool:
            return None
        for _ in range(tries):
            person = pool.choice(self.rng)
            if not avoid(person):
                return person
        return None

    # -- one maker per kind: the events to emit, or None when the kind cannot apply now ------------

    def statement(self) -> list[Raw]:
        rng = self.rng
        named = tuple(rng.sample(self.people, int(rng.random() * 3)))
        category = ("statement", "report", "offer", "plan")[int(rng.random() * 4)]
        fields: dict[str, Any] = {"category": category} if category != "statement" else {}
        if named:
            fields["people"] = named
        return [self._event("statement", category, f"A {category} is published.", **fields)]

    def person_joined(self) -> list[Raw] | None:
        person = self._pick(self.away, lambda p: False)
        if person is None:
            return None
        reason = (
            "returned" if person in self.former else ("hired", "appointed", "founding")[int(self.rng.random() * 2.05)]
        )
        self._join(person)
        fields: dict[str, Any] = {"person": person} if reason == "hired" else {"person": person, "reason": reason}
        return [self._event("person_joined", f"{person}-joins", f"{person} joins ({reason}).", **fields)]

    def person_left(self) -> list[Raw] | None:
        rng = self.rng
        person = self._pick(self.at_org, lambda p: False)
        if person is None:
            return None
        reason = ("resigned", "departed", "fired", "retired")[int(rng.random() * 4)]
        destination = rng.choice(self.stakeholders) if rng.random() < 0.2 else None
        left, held = self._left(person, reason, None, destination)
        made = [left]
        # What follows from a departure names it as its cause: a successor, a new employer.
        if held and rng.random() < 0.6:
            successor = self._pick(self.at_org, lambda p: p == person)
            if successor is not None:
                made.append(self._assign(held[0], successor, left["id"], replace=False))
        if destination is None and rng.random() < 0.3:
            sid = rng.choice(self.stakeholders)
            if person not in self.employs[sid]:
                self.employs[sid].add(person)
                made.append(
                    self._event(
                        "stakeholder_changed",
                        f"{sid}-hires-{person}",
                        f"{sid} hires {person}.",
                        left["id"],
                        stakeholder=sid,
                        hires=(person,),
                    )
                )
        return made

    def office_assigned(self) -> list[Raw] | None:
        rng = self.rng
        office = _OFFICES[int(rng.random() * len(_OFFICES))]
        pool = self.at_org if rng.random() < 0.85 or not self.away else self.away
        person = self._pick(pool, lambda p: self.offices.get(office) == p)
        if person is None:
            return None
        return [self._assign(office, person, None, replace=rng.random() < 0.6)]

    def office_vacated(self) -> list[Raw] | None:
        if not self.filled:
            return None
        office = self.filled.choice(self.rng)
        person = self.offices[office]
        assert person is not None
        self.offices[office] = None
        self.filled.discard(office)
        self.holds[person].discard(office)
        return [
            self._event(
                "office_vacated",
                f"{office.replace('_', '-')}-vacant",
                f"The {office} office falls vacant.",
                office=office,
                person=person,
            )
        ]

    def board_seat_added(self) -> list[Raw] | None:
        rng = self.rng
        person = self.people[int(rng.random() * len(self.people))]
        if person in self.board or len(self.board) >= _BOARD_SEATS:
            return None
        voting = len(self.voting) < (self.rules.board_size or 0) and rng.random() < 0.85
        fields: dict[str, Any] = {"person": person}
        if not voting:
            fields["role"] = "observer"
        if rng.random() < 0.4:
            fields["independent"] = True
        if rng.random() < 0.25:
            fields["representing"] = rng.choice(self.stakeholders)
        self.board[person] = "voting" if voting else "observer"
        if voting:
            self.voting.add(person)
        return [self._event("board_seat_added", f"{person}-on-board", f"{person} joins the board.", **fields)]

    def board_seat_removed(self) -> list[Raw] | None:
        if not self.board:
            return None
        person = list(self.board)[int(self.rng.random() * len(self.board))]
        return [self._remove_seat(person, None)]

    def chair_set(self) -> list[Raw] | None:
        person = self._pick(self.voting, lambda p: p == self.chair)
        if person is None:
            return None
        self.chair = person
        return [self._event("chair_set", f"{person}-chair", f"{person} chairs the board.", person=person)]

    def chair_cleared(self) -> list[Raw] | None:
        if self.chair is None:
            return None
        fields = {"person": self.chair} if self.rng.random() < 0.7 else {}
        self.chair = None
        return [self._event("chair_cleared", "chair-vacant", "The chair falls vacant.", **fields)]

    def board_vote(self) -> list[Raw] | None:
        rng = self.rng
        if len(self.voting) < 2:
            return None
        directors = list(self.voting.items)
        motion_kind = int(rng.random() * 4)
        target = rng.choice(directors) if motion_kind == 0 else None
        office = _OFFICES[int(rng.random() * 6)]
        nominee = self._pick(self.at_org, lambda p: self.offices.get(office) == p) if motion_kind == 1 else None
        if motion_kind == 0:
            motion = f"Remove {target} from the board"
        elif motion_kind == 1 and nominee is not None:
            motion = f"Appoint {nominee} as {office}"
        elif motion_kind == 2:
            motion = "Change the organisation's structure"
        else:
            motion_kind = 3
            motion = _MOTIONS_OTHER[int(rng.random() * len(_MOTIONS_OTHER))]
        votes: dict[str, str] = {}
        for director in directors:
            roll = rng.random()
            votes[director] = "yes" if roll < 0.62 else "no" if roll < 0.82 else "abstain" if roll < 0.88 else "absent"
        interested: tuple[str, ...] = ()
        if target is not None:
            interested = (target,)
            votes[target] = "no"
        tally = count_votes(self.rules, votes, directors, interested)
        fields: dict[str, Any] = {"motion": motion, "votes": votes}
        if interested:
            fields["interested"] = interested
        vote = self._event("board_vote", "board-vote", f"The board votes: {motion}.", **fields)
        made = [vote]
        if not tally.passed:
            return made  # nothing follows from a failed motion
        cause = vote["id"]
        if motion_kind == 0 and target is not None:
            made.append(self._remove_seat(target, cause))
            if target in self.at_org and rng.random() < 0.5:
                made.append(self._left(target, "fired", cause)[0])
        elif motion_kind == 1 and nominee is not None:
            made.append(self._assign(office, nominee, cause, replace=True))
        elif motion_kind == 2:
            structure = _STRUCTURES[int(rng.random() * len(_STRUCTURES))]
            made.append(
                self._event(
                    "structure_changed",
                    "restructured",
                    f"The structure becomes: {structure}.",
                    cause,
                    structure=structure,
                )
            )
        return made

    def headcount_reported(self) -> list[Raw]:
        rng = self.rng
        self.headcount = max(len(self.at_org), self.headcount + int(rng.random() * 40) - 15)
        fields: dict[str, Any] = {"count": self.headcount}
        if rng.random() < 0.3:
            fields["qualifier"] = ("about", "nearly", "more_than", "at_least")[int(rng.random() * 4)]
        return [self._event("headcount_reported", "headcount", f"The company has {self.headcount} staff.", **fields)]

    def signatures_reported(self) -> list[Raw]:
        rng = self.rng
        self.signatures += int(rng.random() * 50)
        fields: dict[str, Any] = {"count": self.signatures, "letter": f"letter-{self.index // 5000 + 1}"}
        named = tuple(rng.sample(self.people, int(rng.random() * 3)))
        if named:
            fields["signatories"] = named
        if rng.random() < 0.5:
            fields["qualifier"] = "more_than"
        return [
            self._event("signatures_reported", "letter-signatures", f"{self.signatures} staff have signed.", **fields)
        ]

    def leave_started(self) -> list[Raw] | None:
        rng = self.rng
        person = self._pick(self.at_org, self.on_leave.__contains__)
        if person is None:
            return None
        self.on_leave.add(person)
        fields: dict[str, Any] = {"person": person}
        if rng.random() < 0.5:
            fields["kind"] = ("parental", "medical", "garden")[int(rng.random() * 3)]
        event = self._event("leave_started", f"{person}-leave", f"{person} goes on leave.", **fields)
        if rng.random() < 0.4:
            until = _START + timedelta(days=self.day + 3 + int(rng.random() * 60))
            event["until"] = until.isoformat()
            end = resolve_instant(until.isoformat(), self.manifest.home_zone, bound="start").add(days=1)
            at = end.in_tz("UTC").format("YYYY-MM-DD[T]HH:mm:ss[Z]")
            heapq.heappush(self.expiries, (end.timestamp(), self.index, person, event["id"], at))
            self.leave_of[person] = event["id"]
        return [event]

    def leave_ended(self) -> list[Raw] | None:
        if not self.on_leave:
            return None
        person = self.on_leave.choice(self.rng)
        self.on_leave.discard(person)
        self.leave_of.pop(person, None)
        return [self._event("leave_ended", f"{person}-back", f"{person} is back from leave.", person=person)]

    def stakeholder_changed(self) -> list[Raw] | None:
        rng = self.rng
        sid = self.stakeholders[int(rng.random() * len(self.stakeholders))]
        roll = rng.random()
        fields: dict[str, Any] = {"stakeholder": sid}
        if roll < 0.45:
            fields["invested_usd"] = float(int(rng.random() * 500) * 1_000_000)
            if rng.random() < 0.5:
                fields["investment_form"] = ("cash", "compute credits", "convertible note")[int(rng.random() * 3)]
            slug, summary = "invests", f"{sid} invests."
        elif roll < 0.55:
            fields["investment_total_usd"] = float(int(rng.random() * 20_000) * 1_000_000)
            slug, summary = "investment-total", f"{sid}'s investment is restated."
        elif len(self.employs[sid]) < _EMPLOYS_MAX:
            employs = self.employs[sid]
            person = self._pick(self.away, employs.__contains__)
            if person is None:
                return None
            employs.add(person)
            fields["hires"] = (person,)
            slug, summary = f"hires-{person}", f"{sid} hires {person}."
        else:
            employs = self.employs[sid]
            if not employs:
                return None
            person = employs.choice(rng)
            employs.discard(person)
            fields["releases"] = (person,)
            slug, summary = f"releases-{person}", f"{sid} lets {person} go."
        return [self._event("stakeholder_changed", f"{sid}-{slug}", summary, **fields)]

    def staff_departed(self) -> list[Raw] | None:
        rng = self.rng
        size = min(len(self.at_org), int(rng.random() * 4))
        leaving = tuple(rng.sample(self.at_org.items, size)) if size else ()
        for person in leaving:
            self._leave(person)
        count = len(leaving) + int(rng.random() * 20)
        fields: dict[str, Any] = {"count": count}
        if leaving:
            fields["people"] = leaving
        if rng.random() < 0.5:
            destination = rng.choice(self.stakeholders)
            fields["destination"] = destination
            for person in leaving:
                self.employs[destination].add(person)
        self.headcount = max(0, self.headcount - count)
        return [self._event("staff_departed", "staff-leave", f"{count} staff leave together.", **fields)]

    def structure_changed(self) -> list[Raw]:
        structure = _STRUCTURES[int(self.rng.random() * len(_STRUCTURES))]
        return [
            self._event(
                "structure_changed", "restructured", f"The structure becomes: {structure}.", structure=structure
            )
        ]

    def offer_made(self) -> list[Raw] | None:
        rng = self.rng
        person = self.people[int(rng.random() * len(self.people))]
        roll = rng.random()
        fields: dict[str, Any] = {"to": person}
        entry: tuple[str, str | None, str, str | None]
        if roll < 0.4:
            office = _OFFICES[int(rng.random() * 8)]
            fields.update(role="office", office=office)
            if rng.random() < 0.3:
                fields["interim"] = True
            entry = (person, None, "office", office)
        elif roll < 0.65:
            fields["role"] = "board_seat"
            entry = (person, None, "board_seat", None)
        else:
            by = rng.choice(self.stakeholders) if rng.random() < 0.6 else None
            fields["role"] = "hire"
            if by is not None:
                fields["by"] = by
            entry = (person, by, "hire", None)
        event = self._event("offer_made", f"offer-to-{person}", f"{person} receives an offer.", **fields)
        self.offers[event["id"]] = entry
        return [event]

    def offer_answered(self) -> list[Raw] | None:
        if not self.offers:
            return None
        rng = self.rng
        offer = next(iter(self.offers))  # the oldest open offer
        person, by, role, office = self.offers.pop(offer)
        interim = False
        if role == "office":
            can = office is not None and self.offices.get(office) != person
        elif role == "board_seat":
            can = person not in self.board and len(self.board) < _BOARD_SEATS
            can = can and len(self.voting) < (self.rules.board_size or 0)
        elif by is None:
            can = person not in self.at_org
        else:
            can = person not in self.employs[by] and len(self.employs[by]) < _EMPLOYS_MAX
        outcome = "accepted" if can and rng.random() < 0.5 else ("declined", "withdrawn")[int(rng.random() * 2)]
        if outcome == "accepted":
            if role == "office" and office is not None:
                interim = False
                self._take_office(office, person, replace=False, interim=interim)
            elif role == "board_seat":
                self.board[person] = "voting"
                self.voting.add(person)
            elif by is None:
                self._join(person)
            else:
                if person in self.at_org:
                    self._leave(person)
                self.employs[by].add(person)
        return [
            self._event(
                "offer_answered", f"{outcome}-{person}", f"{person}: offer {outcome}.", offer=offer, outcome=outcome
            )
        ]

    def announced(self) -> list[Raw] | None:
        person = self._pick(self.away, lambda p: p in self.pending.values())
        if person is None:
            return None
        event = self._event("person_joined", f"{person}-to-join", f"{person} will join.", person=person)
        event["status"] = "announced"
        self.pending[event["id"]] = person
        return [event]

    def announcement_settled(self) -> list[Raw] | None:
        if not self.pending:
            return None
        announcement = next(iter(self.pending))
        person = self.pending.pop(announcement)
        if person in self.away and self.rng.random() < 0.6:
            self._join(person)
            event = self._event("person_joined", f"{person}-joins", f"{person} joins as announced.", person=person)
            event["fulfils"] = announcement
            return [event]
        return [
            self._event(
                "announcement_withdrawn",
                f"{person}-will-not-join",
                f"{person} will not join after all.",
                announcement=announcement,
            )
        ]

    def placeholder_assigned(self) -> list[Raw] | None:
        if not self.unidentified:
            return None
        placeholder = self.unidentified.choice(self.rng)
        office = _OFFICES[int(self.rng.random() * len(_OFFICES))]
        if self.offices.get(office) == placeholder:
            return None
        return [self._assign(office, placeholder, None, replace=False)]

    def person_identified(self) -> list[Raw] | None:
        if not self.unidentified:
            return None
        placeholder = self.unidentified.choice(self.rng)
        person = self._pick(self.away, lambda p: p in self.board or bool(self.holds.get(p)))
        if person is None:
            return None
        self.unidentified.discard(placeholder)
        for office in sorted(self.holds.pop(placeholder, ())):
            self.offices[office] = person
            self.holds.setdefault(person, set()).add(office)
        if placeholder in self.board:
            self.board[person] = self.board.pop(placeholder)
            if placeholder in self.voting:
                self.voting.discard(placeholder)
                self.voting.add(person)
            if self.chair == placeholder:
                self.chair = person
        if placeholder in self.placed:
            self._join(person)
        return [
            self._event(
                "person_identified",
                f"{placeholder}-is-{person}",
                f"{placeholder} turns out to be {person}.",
                placeholder=placeholder,
                person=person,
            )
        ]
