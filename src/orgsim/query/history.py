"""Who held what, from when to when, for how long: tenures with their evidence, and one person's history.

Built on :func:`orgsim.query.tenures.tenures` (offices, board seats, the
chair, read off the change log) and the change log's person entries
(leaves, affiliations), with what the timeline knows laid over them:

* each end of a tenure carries the precision of the event that marks it: a
  tenure bounded by an event dated only to a day has a duration *range*
  (from the shortest to the longest the two periods allow), never a guess;
* where the part's coverage ends while the tenure goes on, or starts again
  after a gap, the end (or start) is **unknown** and says why; a tenure
  still held at the end of the timeline is ``ongoing``;
* each end names the event that marks it and its first source quote.

>>> import orgsim
>>> ceo = [t for t in tenures_of(orgsim.load_timeline(), office="ceo") if t.person == "mira-murati"][0]
>>> ceo.interim, ceo.start.event
(True, '2023-11-17-murati-named-interim-ceo')
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from orgsim.engine import changes as log
from orgsim.model.manifest import Manifest
from orgsim.model.records import EventRecord
from orgsim.query.tenures import Held, tenures
from orgsim.times import in_zone

if TYPE_CHECKING:
    from orgsim.query.world import ReplayedWorld

TenureKind = Literal["office", "board", "chair", "stakeholder_seat", "leave", "affiliation"]
KINDS: tuple[TenureKind, ...] = ("office", "board", "chair", "stakeholder_seat", "leave", "affiliation")


@dataclass(frozen=True, slots=True)
class Bound:
    """One end of a tenure: when, how precisely, and the event that marks it.

    ``at`` is the instant the event is recorded at (None when the end is not
    known: see ``why``); ``earliest`` / ``latest`` the period its precision
    allows (the same instant for a ``minute``); ``event`` the marking event's
    id, ``summary`` and ``quote`` its summary and first source quote (with
    ``document``). ``ongoing`` marks an end not reached by the end of the
    timeline.
    """

    at: datetime | None
    precision: str | None = None
    earliest: datetime | None = None
    latest: datetime | None = None
    event: str | None = None
    summary: str | None = None
    document: str | None = None
    quote: str | None = None
    translation: str | None = None
    ongoing: bool = False
    why: str | None = None
    """Why the end is not known (outside coverage), when it is not."""
    epoch: float | None = None
    """``at`` (else ``earliest``) as a Unix timestamp, for ordering."""

    @property
    def known(self) -> bool:
        """Whether this end is known (an ongoing end is known to lie beyond the timeline's last event)."""
        return self.at is not None or self.ongoing

    def to_dict(self, tz: str) -> dict[str, Any]:
        """The contract's form of an end (instants in ``tz``)."""

        def shown(moment: datetime | None) -> str | None:
            return None if moment is None else in_zone(moment, tz).isoformat()

        return {
            "at": shown(self.at),
            "precision": self.precision,
            "earliest": shown(self.earliest),
            "latest": shown(self.latest),
            "event": self.event,
            "summary": self.summary,
            "document": self.document,
            "quote": self.quote,
            "translation": self.translation,
            "ongoing": self.ongoing,
            "known": self.known,
            "why": self.why,
        }


class _Pending:
    """An end marked by an event, not yet made into its :class:`Bound`."""

    __slots__ = ("epoch", "event", "home_zone")

    def __init__(self, event: EventRecord, home_zone: str, epoch: float) -> None:
        self.event, self.home_zone, self.epoch = event, home_zone, epoch

    def bound(self) -> Bound:
        return _bound(self.event, self.home_zone, self.epoch)


def _epoch(mark: Bound | _Pending) -> float | None:
    return mark.epoch


@dataclass(frozen=True, slots=True)
class Tenure:
    """One holding: ``person`` held ``key`` (an office, the board seat, the chair, a stakeholder's seat, a leave or
    an affiliation) from ``start`` to ``end``.

    ``role`` is the seat's (``voting``, ``observer``), the leave's kind or
    ``office``; ``representing`` the stakeholder a seat is for. The duration
    is known only when both ends are: ``duration`` is the recorded one,
    ``shortest`` and ``longest`` what the ends' precision allows.
    """

    kind: TenureKind
    key: str
    person: str
    start_mark: Bound | _Pending
    end_mark: Bound | _Pending
    interim: bool = False
    role: str = "office"
    representing: str | None = None
    names: dict[str, str] = field(default_factory=dict)

    @property
    def start(self) -> Bound:
        """The tenure's start (built from its event when first asked: a million tenures cost little until read)."""
        mark = self.start_mark
        if isinstance(mark, _Pending):
            mark = mark.bound()
            object.__setattr__(self, "start_mark", mark)
        return mark

    @property
    def end(self) -> Bound:
        """The tenure's end (``ongoing``, or unknown with why, when it has no event)."""
        mark = self.end_mark
        if isinstance(mark, _Pending):
            mark = mark.bound()
            object.__setattr__(self, "end_mark", mark)
        return mark

    @property
    def duration(self) -> timedelta | None:
        """The recorded duration (end's instant less start's), None unless both ends are known instants."""
        if self.start.at is None or self.end.at is None:
            return None
        return self.end.at - self.start.at

    @property
    def shortest(self) -> timedelta | None:
        """The shortest duration the ends' precision allows."""
        if self.start.latest is None or self.end.earliest is None:
            return None
        return max(timedelta(0), self.end.earliest - self.start.latest)

    @property
    def longest(self) -> timedelta | None:
        """The longest duration the ends' precision allows."""
        if self.start.earliest is None or self.end.latest is None:
            return None
        return self.end.latest - self.start.earliest

    @property
    def exact(self) -> bool:
        """Whether the duration is known to the minute (both ends are minute-precise events)."""
        return self.shortest is not None and self.shortest == self.longest

    def duration_text(self) -> str:
        """The duration as people read it: ``2 days 7 hours 32 minutes``, a range, ``ongoing`` or ``unknown``."""
        if self.end.ongoing:
            return f"ongoing (at least {words(self.shortest)})" if self.shortest is not None else "ongoing"
        if self.duration is None:
            lower = (
                self.end.at - self.start.latest if self.end.at is not None and self.start.latest is not None else None
            )
            if self.start.at is not None and self.end.at is None:
                return "unknown (its end is not known)"
            return "unknown" if lower is None else f"unknown (at least {words(lower)})"
        if self.exact:
            return words(self.duration)
        shortest, longest = self.shortest, self.longest
        assert shortest is not None and longest is not None
        return f"{words(self.duration)} as recorded; between {words(shortest)} and {words(longest)}"

    def to_dict(self, tz: str) -> dict[str, Any]:
        """The contract's form of a tenure (see README, ``orgsim tenures``)."""

        def seconds(span: timedelta | None) -> int | None:
            return None if span is None else round(span.total_seconds())  # the ends of a period are a microsecond short

        return {
            "kind": self.kind,
            "key": self.key,
            "person": self.person,
            "name": self.names.get(self.person, self.person),
            "interim": self.interim,
            "role": self.role,
            "representing": self.representing,
            "start": self.start.to_dict(tz),
            "end": self.end.to_dict(tz),
            "duration": {
                "seconds": seconds(self.duration),
                "shortest_seconds": seconds(self.shortest),
                "longest_seconds": seconds(self.longest),
                "text": self.duration_text(),
            },
        }


def words(span: timedelta | None) -> str:
    """A duration in words, to the minute: ``2 days 7 hours 32 minutes``."""
    if span is None:
        return "unknown"
    minutes = int(span.total_seconds() // 60)
    if minutes == 0:
        return "less than a minute"
    days, rest = divmod(minutes, 1440)
    hours, minutes = divmod(rest, 60)
    parts = [(days, "day"), (hours, "hour"), (minutes, "minute")]
    return " ".join(f"{n} {unit}{'' if n == 1 else 's'}" for n, unit in parts if n)


def _period(event: EventRecord, home_zone: str) -> tuple[datetime, datetime]:
    """The first and last instant an event's precision allows (an hour-precise event: that hour)."""
    if event.precision == "minute":
        return event.at, event.at
    local = in_zone(event.at, event.zone or home_zone)
    unit: Literal["hour", "day", "month", "year"] = event.precision  # type: ignore[assignment]
    return local.start_of(unit), local.end_of(unit)


def _bound(event: EventRecord, home_zone: str, epoch: float | None = None) -> Bound:
    earliest, latest = _period(event, home_zone)
    source = event.sources[0] if event.sources else None
    return Bound(
        event.at,
        event.precision,
        earliest,
        latest,
        event.id,
        event.summary,
        source.document if source else None,
        source.quote if source else None,
        source.translation if source else None,
        epoch=epoch if epoch is not None else event.at.timestamp(),
    )


def _coverage_path(kind: TenureKind, key: str, person: str) -> str:
    if kind == "office":
        return f"offices.{key}"
    if kind in ("board", "stakeholder_seat"):
        return "board"
    if kind == "chair":
        return "board.chair"
    return f"people.{person}"


def _with_coverage(tenure: Tenure, manifest: Manifest) -> list[Tenure]:
    """``tenure`` cut where its part is not covered: an end past coverage is unknown, and says why."""
    from orgsim.model.knowledge import covering

    if not manifest.coverage:
        return [tenure]
    key = covering(_coverage_path(tenure.kind, tenure.key, tenure.person), manifest)
    if key is None:
        return []
    spans = manifest.coverage_spans[key]

    def day(moment: datetime) -> str:
        return in_zone(moment, manifest.home_zone).date().isoformat()

    start_at = _epoch(tenure.start_mark)
    assert start_at is not None
    end_mark = tenure.end_mark
    end_at = None if isinstance(end_mark, Bound) and end_mark.ongoing else _epoch(end_mark)
    pieces: list[Tenure] = []
    for first, last in spans:
        if last is not None and last.timestamp() < start_at:
            continue
        if end_at is not None and first.timestamp() > end_at:
            break
        start: Bound | _Pending = (
            tenure.start_mark
            if first.timestamp() <= start_at
            else Bound(None, earliest=first, why=f"coverage starts again on {day(first)}", epoch=first.timestamp())
        )
        end: Bound | _Pending
        if last is None or (end_at is not None and end_at <= last.timestamp()):
            end = tenure.end_mark
            if end_at is None and last is not None:
                end = Bound(None, why=f"still held when coverage ends ({day(last)}): not known after")
        else:
            end = Bound(None, why=f"still held when coverage ends ({day(last)}): not known after")
        pieces.append(_replace(tenure, start, end))
    return pieces


def _replace(tenure: Tenure, start: Bound | _Pending, end: Bound | _Pending) -> Tenure:
    return Tenure(
        tenure.kind,
        tenure.key,
        tenure.person,
        start,
        end,
        tenure.interim,
        tenure.role,
        tenure.representing,
        tenure.names,
    )


def tenures_of(
    timeline: ReplayedWorld,
    *,
    kinds: Iterable[TenureKind] | None = None,
    office: str | None = None,
    person: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> list[Tenure]:
    """Every tenure of ``timeline`` (all kinds, or ``kinds``), in order of start.

    ``office`` keeps that office's tenures only (and implies ``office`` among
    the kinds); ``person`` keeps that person's; ``start``/``end`` keep the
    tenures that overlap that range.
    """
    wanted = set(kinds) if kinds is not None else set(KINDS) - {"affiliation"}
    if office is not None:
        wanted = {"office"}
    replay = timeline.replay
    applied = replay.applied
    manifest = timeline.manifest
    home = timeline.home_zone
    names = {pid: p.name for pid, p in manifest.people.items()}
    last_at = applied[-1].at if applied else None
    found: list[Tenure] = []

    def ongoing() -> Bound:
        return Bound(None, ongoing=True, earliest=last_at, latest=last_at)

    basic = {k for k in wanted if k in ("office", "board", "chair")}
    if "stakeholder_seat" in wanted:
        basic.add("board")
    times = replay.times
    still = ongoing()
    for held in tenures(replay, frozenset(basic)):
        begin = _Pending(applied[held.start], home, times[held.start])
        finish = _Pending(applied[held.end], home, times[held.end]) if held.end is not None else still
        if held.kind in wanted:
            found.append(_tenure(held, begin, finish, names))
        if "stakeholder_seat" in wanted and held.kind == "board" and held.representing:
            found.append(
                Tenure(
                    "stakeholder_seat",
                    held.representing,
                    held.person,
                    begin,
                    finish,
                    False,
                    held.role,
                    held.representing,
                    names,
                )
            )
    if wanted & {"leave", "affiliation"}:
        found += _person_spans(timeline, wanted, names, ongoing)
    if office is not None:
        found = [t for t in found if t.key == office]
    if person is not None:
        found = [t for t in found if t.person == person]
    pieces = [piece for tenure in found for piece in _with_coverage(tenure, manifest)] if manifest.coverage else found
    if start is not None or end is not None:
        pieces = [t for t in pieces if _overlaps(t, start, end)]
    if manifest.coverage or not wanted <= {"office", "board", "chair"}:
        order = {kind: number for number, kind in enumerate(KINDS)}
        pieces.sort(key=lambda t: (_sort_instant(t), order[t.kind], t.key))
    return pieces  # else already in order of start, offices before seats before the chair


def _sort_instant(tenure: Tenure) -> float:
    epoch = _epoch(tenure.start_mark)
    return epoch if epoch is not None else float("-inf")


def _overlaps(tenure: Tenure, start: datetime | None, end: datetime | None) -> bool:
    begins = _epoch(tenure.start_mark)
    end_mark = tenure.end_mark
    finishes = None if isinstance(end_mark, Bound) and end_mark.at is None else _epoch(end_mark)
    if end is not None and begins is not None and begins > end.timestamp():
        return False
    return not (start is not None and finishes is not None and finishes < start.timestamp())


def _tenure(held: Held, start: Bound | _Pending, end: Bound | _Pending, names: dict[str, str]) -> Tenure:
    role = held.role if held.kind != "office" else "office"
    kind: TenureKind = held.kind
    return Tenure(kind, held.key, held.person, start, end, held.interim, role, held.representing, names)


def _person_spans(
    timeline: ReplayedWorld, wanted: set[TenureKind], names: dict[str, str], ongoing: Any
) -> list[Tenure]:
    """Leaves and affiliations, from the change log's person entries."""
    replay = timeline.replay
    applied = replay.applied
    home = timeline.home_zone
    found: list[Tenure] = []
    leave: dict[str, tuple[int, str]] = {}
    belongs: dict[str, tuple[int, str]] = {}
    last: dict[str, Any] = {}
    for position, person, standing in replay.changes.entries(log.PERSON):
        before = last.get(person)
        last[person] = standing
        if "leave" in wanted:
            was = bool(before is not None and before.on_leave)
            if standing.on_leave and not was:
                event = applied[position]
                leave[person] = (position, getattr(event, "kind", "leave"))
            elif was and not standing.on_leave and person in leave:
                began, kind = leave.pop(person)
                found.append(
                    Tenure(
                        "leave",
                        kind,
                        person,
                        _bound(applied[began], home),
                        _bound(applied[position], home),
                        role=kind,
                        names=names,
                    )
                )
        if "affiliation" in wanted:
            now = standing.affiliation if standing.known else None
            current = belongs.get(person)
            if current is not None and current[1] != now:
                found.append(
                    Tenure(
                        "affiliation",
                        current[1],
                        person,
                        _bound(applied[current[0]], home),
                        _bound(applied[position], home),
                        role="affiliation",
                        names=names,
                    )
                )
                del belongs[person]
            if now is not None and (current is None or current[1] != now):
                belongs[person] = (position, now)
    for person, (began, kind) in leave.items():
        found.append(Tenure("leave", kind, person, _bound(applied[began], home), ongoing(), role=kind, names=names))
    for person, (began, org) in belongs.items():
        found.append(
            Tenure("affiliation", org, person, _bound(applied[began], home), ongoing(), role="affiliation", names=names)
        )
    return found


def person_history(timeline: ReplayedWorld, person: str) -> list[Tenure]:
    """Every office, seat, chair, stakeholder seat, leave and affiliation ``person`` held, in order of start."""
    return tenures_of(timeline, kinds=KINDS, person=person)


def sorted_by_kind(found: Sequence[Tenure]) -> list[Tenure]:
    """Tenures grouped by kind then key, each group in order of start (for tables)."""
    order = {kind: number for number, kind in enumerate(KINDS)}
    return sorted(found, key=lambda t: (order[t.kind], t.key, _sort_instant(t)))
