"""What a timeline knows: which parts of a state are known at an instant, and why the others are not.

A timeline's manifest may declare, for parts of the state (paths of the state
contract: ``offices``, ``offices.cfo``, ``board``, ``employees``,
``stakeholders.microsoft``, ``people``, ``people.emmett-shear``,
``structure``), the interval over which its events are meant to be complete
(its ``coverage``). A value is **unknown** at an instant

* outside the coverage of its part (the most specific declared path that
  contains it decides; with coverage declared, a part none covers is unknown);
* or, inside it, when no event has yet set it: an office nobody was ever
  given, a person no event has placed, a chair never named, a count never
  reported, a board no seat event has formed;
* or, for a count that says how long it stays current (``current_for``),
  once that time has passed: it is reported as last known.

An unknown value is never shown as vacant, zero or false: answers carry
:data:`UNKNOWN` (``null`` in JSON) and say why.

>>> from orgsim.model.manifest import Manifest
>>> m = Manifest(name="t", organisation="t", home_zone="UTC", coverage={"board": {"from": "2020-01-01"}})
>>> covering("board.chair", m)
'board'
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

from orgsim.model.manifest import Manifest


class Unknown:
    """The answer where the timeline does not know: falsy, ``null`` in JSON, shown as ``unknown``.

    Any public attribute of it is itself (the person of an unknown CEO is
    unknown), so code written for known values reads unknown ones safely:

    >>> UNKNOWN.person is UNKNOWN, bool(UNKNOWN), f"{UNKNOWN:,}"
    (True, False, 'unknown')
    """

    __slots__ = ()
    _instance: Unknown | None = None

    def __new__(cls) -> Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "unknown"

    def __getattr__(self, name: str) -> Unknown:
        # An unknown holder's person is unknown too: ``state.ceo.person == "x"`` is False, not an error.
        if name.startswith("_"):
            raise AttributeError(name)
        return self

    def __format__(self, spec: str) -> str:
        return "unknown"  # whatever format a known value would have had (``{headcount:,}``)

    def __reduce__(self) -> tuple[type[Unknown], tuple[()]]:
        return Unknown, ()


UNKNOWN: Final = Unknown()
"""What an answer is where the timeline does not know (see the module's documentation)."""


def covering(path: str, manifest: Manifest) -> str | None:
    """The most specific declared coverage path that contains ``path`` (None: none does)."""
    coverage = manifest.coverage
    if not coverage:
        return None
    memo = manifest._path_memo
    if ("covering", path) in memo:
        return memo["covering", path]  # type: ignore[no-any-return]
    steps = path.split(".")
    found = next((key for length in range(len(steps), 0, -1) if (key := ".".join(steps[:length])) in coverage), None)
    if ("valid", path) in memo:  # only valid paths are kept, so the memo stays bounded
        memo["covering", path] = found
    return found


def coverage_problem(path: str, manifest: Manifest, at: datetime | None, epoch: float | None = None) -> str | None:
    """Why ``path`` is not covered at ``at`` (None: it is, or nothing is declared, or no instant is given).

    ``epoch``, when given, is ``at`` as a Unix timestamp (a caller asking of many paths at one instant).
    """
    if at is None or not manifest.coverage:
        return None
    key = covering(path, manifest)
    if key is None:
        return "the timeline does not cover it"
    if epoch is None:
        epoch = at.timestamp()
    epochs = manifest.coverage_epochs[key]
    number = next((n for n, (start, _) in enumerate(epochs) if epoch < start), len(epochs))  # the next interval
    if number and (epochs[number - 1][1] is None or epoch <= epochs[number - 1][1]):  # type: ignore[operator]
        return None
    spans = manifest.coverage_spans[key]
    if number == len(spans):
        previous = spans[-1][1]
        assert previous is not None
        return f"not covered after {_day(previous, manifest)}{_note(manifest, key, number - 1, after=True)}"
    start, note = spans[number][0], _note(manifest, key, number)
    if number == 0:
        return f"not covered before {_day(start, manifest)}{note}"
    previous = spans[number - 1][1]
    assert previous is not None
    return f"not covered between {_day(previous, manifest)} and {_day(start, manifest)}{note}"


def covered(path: str, manifest: Manifest, epoch: float) -> bool:
    """Whether ``path`` is inside its coverage at ``epoch`` (True when the timeline declares none)."""
    if not manifest.coverage:
        return True
    key = covering(path, manifest)
    if key is None:
        return False
    return any(start <= epoch and (end is None or epoch <= end) for start, end in manifest.coverage_epochs[key])


def outside_every_coverage(manifest: Manifest, at: datetime) -> str | None:
    """When ``at`` lies outside the coverage of every part the timeline declares: a sentence saying so; else None."""
    if not manifest.coverage:
        return None
    epoch = at.timestamp()
    if any(covered(path, manifest, epoch) for path in manifest.coverage):
        return None
    starts = [spans[0][0] for spans in manifest.coverage_spans.values()]
    ends = [spans[-1][1] for spans in manifest.coverage_spans.values()]
    first = min(starts)
    last = None if any(end is None for end in ends) else max(end for end in ends if end is not None)
    span = f"from {_day(first, manifest)}" + (f" to {_day(last, manifest)}" if last is not None else "")
    return f"{at.isoformat()} is outside everything the timeline covers ({span}): every value is unknown"


def _note(manifest: Manifest, key: str, number: int, *, after: bool = False) -> str:
    """Why interval ``number`` of ``key``'s coverage starts (or, ``after``, ends): the one next to the instant asked."""
    declared = manifest.coverage[key]
    spans = declared if isinstance(declared, tuple) else (declared,)
    note = spans[number].after if after else spans[number].note
    return f": {note}" if note else ""


def _day(moment: Any, manifest: Manifest) -> str:
    from orgsim.times import in_zone

    local = in_zone(moment, manifest.home_zone)
    if local.hour == local.minute == local.second == 0 or (local.hour, local.minute) == (23, 59):
        return local.format("YYYY-MM-DD")
    return local.isoformat()


def parts_changed(event: Any) -> tuple[str, ...]:
    """The paths of the state contract an event (a model or a record) writes, as far as its fields say.

    An announced event, a vote and a statement write none of them (a vote's
    outcome is in ``votes``, always known); an offer or an answer to one is the
    person's; a placeholder's identification is the person's it names.
    """
    if getattr(event, "status", "effective") == "announced":
        return ()
    kind = event.type
    if kind in ("office_assigned", "office_vacated"):
        return (f"offices.{event.office}",)
    if kind in ("board_seat_added", "board_seat_removed", "chair_set", "chair_cleared"):
        return ("board",)
    if kind == "headcount_reported":
        return ("employees.headcount",)
    if kind == "signatures_reported":
        return ("employees.open_letter_signatories",)
    if kind == "staff_departed":
        return ("employees.headcount", *(f"people.{p}" for p in event.people))
    if kind == "stakeholder_changed":
        return (f"stakeholders.{event.stakeholder}", *(f"people.{p}" for p in (*event.hires, *event.releases)))
    if kind == "structure_changed":
        return ("structure",)
    if kind in ("person_joined", "person_left", "leave_started", "leave_ended", "leave_expired", "person_identified"):
        return (f"people.{event.person}",)
    if kind == "offer_made":
        return (f"people.{event.to}",)
    return ()
