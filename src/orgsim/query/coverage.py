"""Where a timeline's coverage claims more than its events give: parts covered before anything sets them.

Inside its coverage a part is unknown until an event sets it (an office
nobody has yet been given, a person no event has placed). Such a gap is
honest (the answers say unknown) but worth knowing about: ``orgsim validate``
lists them, so that a timeline's author can add the missing events or move
the coverage's start.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from orgsim.engine import changes as log
from orgsim.engine.replay import Replay
from orgsim.model.knowledge import covering
from orgsim.model.manifest import Manifest


@dataclass(frozen=True, slots=True)
class Gap:
    """A part of the state its coverage claims from ``start``, first set only at ``first_set`` (None: never)."""

    path: str
    start: datetime
    first_set: datetime | None


def coverage_gaps(replay: Replay, manifest: Manifest) -> list[Gap]:
    """Every covered part that no event has set by the start of its coverage, with when one first does."""
    if not manifest.coverage:
        return []
    applied = replay.applied
    first: dict[str, int] = {}

    def note(path: str, position: int) -> None:
        first.setdefault(path, position)

    entries = replay.changes.entries
    position: int
    for position, office, _ in entries(log.OFFICE):
        note(f"offices.{office}", position)
    for position, _, _ in entries(log.SEAT):
        note("board", position)
    for position, _, _ in entries(log.CHAIR):
        note("board.chair", position)
    for position, _, _ in entries(log.HEADCOUNT):
        note("employees.headcount", position)
    for position, _, _ in entries(log.SIGNATURES):
        note("employees.open_letter_signatories", position)
    for position, _, _ in entries(log.STRUCTURE):
        note("structure", position)
    for position, person, _ in entries(log.PERSON):
        note(f"people.{person}", position)

    wanted = {"offices.ceo", "board", "board.chair", "employees.headcount", "structure"}
    wanted |= {path for path in manifest.coverage if "." in path and not path.startswith("stakeholders")}
    wanted |= {f"people.{person}" for person in manifest.people}
    found: list[Gap] = []
    for path in sorted(wanted):
        key = covering(path, manifest)
        if key is None:
            continue
        start = manifest.coverage_spans[key][0][0]
        set_at = first.get(path)
        at = applied[set_at].at if set_at is not None else None
        if at is None or at > start:
            found.append(Gap(path, start, at))
    return found
