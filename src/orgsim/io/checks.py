"""The checks of a whole timeline, across its files, and putting its events in replay order.

:func:`order_events_with_epochs` sorts the events of every file by instant
(stable, so ties keep file order) after checking that no id is taken twice;
with the timeline's manifest it adds the ends that leaves state
(:func:`stated_ends`), then checks that causes come earlier
(:func:`check_causes`), that references name earlier events of the right
kind (:func:`check_references`), and that each event falls inside the
coverage of the parts it changes (:func:`check_coverage`). Nothing here is
quadratic: ids are checked with a dict, events sorted once, ``caused_by``
resolved by position. Each problem found goes to a
:class:`~orgsim.io.problems.Problems`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import NamedTuple

from orgsim.errors import LoadError
from orgsim.io.problems import RAISE, Problems, shown_file
from orgsim.model.events import EVENT_ADAPTER
from orgsim.model.knowledge import coverage_problem, covered, parts_changed
from orgsim.model.manifest import Manifest
from orgsim.model.records import EventRecord, to_record
from orgsim.times import resolve_instant


def order_events(
    batches: Iterable[tuple[str, Sequence[EventRecord]]], known: dict[str, str] | None = None
) -> tuple[list[EventRecord], dict[str, str]]:
    """Check ids and causes, then sort events by instant, ties in the given order.

    ``batches`` pairs a file name with its events. ``known`` maps ids already
    taken (by another source) to their file. Returns the sorted events and the
    file of each id.
    """
    ordered, origins, _, _ = order_events_with_epochs(batches, known)
    return ordered, origins


class Ordered(NamedTuple):
    """Events in replay order, with what replay needs of them."""

    events: list[EventRecord]
    origins: dict[str, str]
    """The file each event came from."""
    epochs: list[float]
    """Each event's instant as a Unix timestamp, aligned with ``events``."""
    causes: frozenset[str]
    """Every id that some event names in ``caused_by``."""


def order_events_with_epochs(
    batches: Iterable[tuple[str, Sequence[EventRecord]]],
    known: dict[str, str] | None = None,
    *,
    problems: Problems | None = None,
    folder: Path | None = None,
    bad_ids: set[str] | frozenset[str] = frozenset(),
    manifest: Manifest | None = None,
) -> Ordered:
    """Like :func:`order_events`, and also each ordered event's Unix timestamp and the ids causes name (for replay).

    Errors name each file joined to ``folder`` when given (file names in
    ``batches`` are then relative to it). ``bad_ids`` are ids of events that
    failed validation: a ``caused_by`` naming one is not reported again.
    With the timeline's ``manifest``, the ends that events state are added
    (:func:`stated_ends`) and references between events are checked
    (:func:`check_references`).
    """
    problems = problems or RAISE
    batches = list(batches)
    origins: dict[str, str] = dict(known or {})
    flat: list[EventRecord] = []
    for number, (file, events) in enumerate(batches):
        before = len(origins)
        origins.update(dict.fromkeys([event.id for event in events], file))
        if len(origins) != before + len(events):
            _report_duplicates(batches[number], batches[:number], known or {}, problems, folder)
        flat.extend(events)
    if manifest is not None:
        for event, file in stated_ends(flat, manifest.home_zone, origins):
            if event.id in origins:
                problems.add(
                    LoadError(
                        f"the id {event.id!r} is taken, and the end this leave states (until) needs it",
                        file=shown_file(folder, file),
                        event=event.caused_by[0],
                        field="until",
                    )
                )
                continue
            origins[event.id] = file
            flat.append(event)
    epochs = [event.at.timestamp() for event in flat]
    if all(a <= b for a, b in pairwise(epochs)):
        ordered = flat  # already in order (the usual case for one generated or converted file)
    else:
        order = sorted(range(len(flat)), key=epochs.__getitem__)
        ordered = [flat[i] for i in order]
        epochs = [epochs[i] for i in order]
    causes = check_causes(ordered, origins, problems=problems, folder=folder, bad_ids=bad_ids)
    if manifest is not None:
        check_references(ordered, origins, manifest, problems=problems, folder=folder, bad_ids=bad_ids)
        check_coverage(ordered, epochs, origins, manifest, problems=problems, folder=folder)
    return Ordered(ordered, origins, epochs, causes)


def check_coverage(
    ordered: Sequence[EventRecord],
    epochs: Sequence[float],
    origins: Mapping[str, str],
    manifest: Manifest,
    *,
    problems: Problems | None = None,
    folder: Path | None = None,
) -> None:
    """An event that changes parts of the state must fall inside the coverage of at least one of them.

    A timeline that declares no coverage claims nothing, and is not checked.
    An event outside every coverage it touches would change a value the
    timeline says it does not know: it belongs to a period the coverage
    should include, or it should not be there.
    """
    if not manifest.coverage:
        return
    problems = problems or RAISE
    for event, epoch in zip(ordered, epochs, strict=True):
        parts = parts_changed(event)
        if not parts or any(covered(part, manifest, epoch) for part in parts):
            continue
        reasons = "; ".join(f"{part}: {coverage_problem(part, manifest, event.at)}" for part in parts[:3])
        problems.add(
            LoadError(
                f"outside the coverage of every part it changes ({reasons})",
                file=shown_file(folder, origins.get(event.id)),
                event=event.id,
                field="at",
            )
        )


STATED_END_SUFFIX = "-ends"
"""The id of the event a leave's stated end adds: the leave's id and this."""


def stated_ends(
    events: Sequence[EventRecord], home_zone: str, origins: Mapping[str, str]
) -> list[tuple[EventRecord, str]]:
    """The ``leave_expired`` event each leave with ``until`` implies, with the leave's file.

    The leave ends at the start of the day after ``until`` (in the leave's
    zone, else ``home_zone``), citing the leave's own sources; the event
    applies only if the person is still on that leave then. A leave whose end
    an event file already gives (a ``leave_expired`` naming it: a converted
    timeline) adds nothing.
    """
    leaves = [event for event in events if event.type == "leave_started" and event.until is not None]  # type: ignore[attr-defined]
    if not leaves:
        return []
    given = {event.leave for event in events if event.type == "leave_expired"}  # type: ignore[attr-defined]
    found: list[tuple[EventRecord, str]] = []
    for leave in leaves:
        if leave.id in given:
            continue
        until: date = leave.until  # type: ignore[attr-defined]
        zone_name = leave.zone or home_zone
        end = resolve_instant(until.isoformat(), zone_name, bound="start").add(days=1)
        values = {
            "type": "leave_expired",
            "id": f"{leave.id}{STATED_END_SUFFIX}",
            "at": end,
            "precision": "day",
            "zone": leave.zone,
            "summary": f"{leave.person}'s leave ends as its start stated: until {until.isoformat()}.",  # type: ignore[attr-defined]
            "sources": leave.sources,
            "caused_by": (leave.id,),
            "rationale": "Added at load: the end the leave's own sources state (until).",
            "person": leave.person,  # type: ignore[attr-defined]
            "leave": leave.id,
        }
        found.append((to_record(EVENT_ADAPTER.validate_python(values)), origins.get(leave.id, "")))
    return found


def check_references(
    ordered: Sequence[EventRecord],
    origins: Mapping[str, str],
    manifest: Manifest,
    *,
    problems: Problems | None = None,
    folder: Path | None = None,
    bad_ids: set[str] | frozenset[str] = frozenset(),
) -> None:
    """Events that name other events name earlier ones of the right kind; placeholders are declared unnamed.

    ``fulfils`` and ``announcement_withdrawn.announcement`` name an announced
    event, ``offer_answered.offer`` an ``offer_made``, ``leave_expired.leave``
    a ``leave_started``, all earlier in replay order;
    ``person_identified.placeholder`` is a person the manifest marks ``unnamed``.
    """
    problems = problems or RAISE
    seen: dict[str, EventRecord] = {}
    for event in ordered:
        for field_name, wanted in _REFERENCES.get(event.type, ()):
            named = getattr(event, field_name)
            if named is None or named in bad_ids:
                continue
            target = seen.get(named)
            message = None
            if target is None:
                message = f"names no earlier event: {named!r}"
            elif not wanted(target):
                message = f"{named!r} is not {_WANTED_WORDS[field_name]}"
            if message is not None:
                problems.add(
                    LoadError(message, file=shown_file(folder, origins.get(event.id)), event=event.id, field=field_name)
                )
        if event.fulfils is not None and event.fulfils not in bad_ids:
            target = seen.get(event.fulfils)
            if target is None or target.status != "announced":
                what = "names no earlier event" if target is None else "is not an announced event (status: announced)"
                problems.add(
                    LoadError(
                        f"{event.fulfils!r} {what}" if target else f"{what}: {event.fulfils!r}",
                        file=shown_file(folder, origins.get(event.id)),
                        event=event.id,
                        field="fulfils",
                    )
                )
        if event.type == "person_identified":
            placeholder = manifest.people.get(event.placeholder)  # type: ignore[attr-defined]
            if placeholder is not None and not placeholder.unnamed:
                problems.add(
                    LoadError(
                        f"{event.placeholder!r} is not a placeholder (mark the person unnamed: true in timeline.yaml)",  # type: ignore[attr-defined]
                        file=shown_file(folder, origins.get(event.id)),
                        event=event.id,
                        field="placeholder",
                    )
                )
        seen[event.id] = event


_REFERENCES: dict[str, tuple[tuple[str, Callable[[EventRecord], bool]], ...]] = {
    "announcement_withdrawn": (("announcement", lambda target: target.status == "announced"),),
    "offer_answered": (("offer", lambda target: target.type == "offer_made"),),
    "leave_expired": (("leave", lambda target: target.type == "leave_started"),),
}
_WANTED_WORDS = {
    "announcement": "an announced event (status: announced)",
    "offer": "an offer (offer_made)",
    "leave": "a leave (leave_started)",
}


def _report_duplicates(
    batch: tuple[str, Sequence[EventRecord]],
    earlier: Sequence[tuple[str, Sequence[EventRecord]]],
    known: dict[str, str],
    problems: Problems,
    folder: Path | None,
) -> None:
    """Name each id of ``batch`` defined before (the slow path, taken only when there is one)."""
    first_file: dict[str, str] = dict(known)
    for file, events in earlier:
        for event in events:
            first_file.setdefault(event.id, file)
    file, events = batch
    for event in events:
        first = first_file.get(event.id)
        if first is not None:
            problems.add(
                LoadError(
                    f"duplicate event id (first defined in {shown_file(folder, first)})",
                    file=shown_file(folder, file),
                    event=event.id,
                    field="id",
                )
            )
        else:
            first_file[event.id] = file


def check_causes(
    ordered: Sequence[EventRecord],
    origins: dict[str, str],
    *,
    problems: Problems | None = None,
    folder: Path | None = None,
    bad_ids: set[str] | frozenset[str] = frozenset(),
) -> frozenset[str]:
    """Every ``caused_by`` must name an event that comes earlier in replay order; the ids they name.

    Replay takes those ids to check that recorded history builds on no motion that failed without
    looking at every event again (see :func:`orgsim.engine.replay.run`).
    """
    problems = problems or RAISE
    position: dict[str, int] | None = None
    named: set[str] = set()
    for index, event in enumerate(ordered):
        if not event.caused_by:
            continue
        if position is None:
            position = {e.id: i for i, e in enumerate(ordered)}
        named.update(event.caused_by)
        for cause in event.caused_by:
            where = position.get(cause)
            if where is None:
                if cause in bad_ids:
                    continue
                message = f"caused_by names no event: {cause!r}"
            elif where >= index:
                message = f"caused_by {cause!r} does not come before this event in replay order"
            else:
                continue
            problems.add(
                LoadError(message, file=shown_file(folder, origins.get(event.id)), event=event.id, field="caused_by")
            )
    return frozenset(named)
