"""The commands that answer questions of a timeline: ``state``, ``tenures``, ``person``, ``explain``, ``lag``,
``events`` and ``diff``.

Each loads its timeline through :func:`orgsim.cli.common.load` (called as
``common.load``, so that a test can put a caching loader in its place) and
imports the rest of what it needs inside its body: ``orgsim state`` must
start fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from orgsim.cli import common
from orgsim.cli.app import fail, main
from orgsim.cli.common import (
    CSV_FORMAT_OPTION,
    EVENTS_OPTION,
    FORMAT_OPTION,
    FROM_HELP,
    SAMPLES_OPTION,
    SEED_OPTION,
    TO_HELP,
    TZ_OPTION,
    check_zone,
    dump,
    in_zone,
    lines,
    printed_as_json,
    progress_bar,
    rows,
    warn_outside_coverage,
)

if TYPE_CHECKING:
    from orgsim.timeline import Timeline


@main.command()
@click.option(
    "--at",
    "at",
    default=None,
    help="Instant: ISO-8601 with offset, naive (read in --tz), or a bare date (end of day).",
)
@click.option(
    "--known-at",
    "known_at",
    default=None,
    help="Answer from what was public by this instant (same rules as --at): the events reported later are hidden.",
)
@click.option(
    "--as-known-at",
    "as_known_at",
    default=None,
    help="The public's picture of the present at this instant: --at and --known-at both this instant.",
)
@TZ_OPTION
@FORMAT_OPTION
@click.option(
    "--sources/--no-sources",
    "--with-sources",
    "with_sources",
    default=True,
    show_default=True,
    help="Cite the event and quote behind each answer.",
)
@SAMPLES_OPTION
@SEED_OPTION
@EVENTS_OPTION
def state(
    at: str | None,
    known_at: str | None,
    as_known_at: str | None,
    tz: str | None,
    fmt: str,
    with_sources: bool,
    samples: int | None,
    seed: int,
    events_path: Path | None,
) -> None:
    """The organisation's state at an instant (as it happened, or as the public knew it)."""
    tz = check_zone(tz)
    if samples is not None and (known_at is not None or as_known_at is not None):
        fail("--samples samples history's own vague times: give it with --at alone, not with --known-at")
    if as_known_at is not None:
        if at is not None or known_at is not None:
            fail("--as-known-at K is --at K --known-at K: give it alone")
        at = known_at = as_known_at
    if at is None:
        fail("give --at (or --as-known-at)")
    timeline = common.load(events_path)
    instant = timeline.resolve(at, tz)
    known = None
    if known_at is not None:
        known_instant = timeline.resolve(known_at, tz)
        if known_instant < instant:
            fail(
                f"--known-at {known_at} is before --at {at}: what was public then says nothing of what happened "
                f"after it; give a --known-at at or after --at, or --as-known-at {known_at} for the public's "
                "picture then"
            )
        known = timeline.known_state(instant, known_instant)
        answer = known.state
    else:
        answer = timeline.state_at(instant)
    warn_outside_coverage(timeline.manifest, instant)
    shown = tz or timeline.home_zone
    if fmt == "json":
        from orgsim.times import isoformat

        data = answer.to_dict(shown)
        data["as_of"] = {
            path: {"since": isoformat(held.since, shown), "precision": held.precision, "event": held.event}
            for path, held in timeline.as_of(instant).items()
            if known is None
        }
        if known is not None:
            data["known_at"] = {
                "at": isoformat(known.known_at, shown),
                "hidden": list(known.hidden),
                "not_applied": [{"event": e, "why": why} for e, why in known.not_applied],
            }
        if with_sources and known is None:
            data["sources"] = {k: e.id for k, e in timeline.provenance(instant).items()}
        if samples is not None:
            data["samples"] = _state_samples(timeline, instant, samples, seed).to_dict()
        dump(data)
        return
    from orgsim.views.text import heading_instant, render_known_notes, render_provenance, render_state

    title = None
    if known is not None:
        org = timeline.manifest.organisation_name or timeline.manifest.organisation
        title = f"{org} as known at {heading_instant(known.known_at, timeline.home_zone, tz)}"
    click.echo(render_state(answer, timeline.home_zone, tz, title=title))
    if known is not None:
        click.echo(render_known_notes(known, timeline, shown))
    elif with_sources:
        click.echo("")
        click.echo(render_provenance(timeline.provenance(instant), shown, answer, timeline.home_zone))
    if samples is not None:
        from orgsim.views.sweep import render_state_samples

        click.echo("")
        click.echo(render_state_samples(_state_samples(timeline, instant, samples, seed)))


@main.command()
@click.option("--office", default=None, help="Only this office's tenures (ceo, cto, president...).")
@click.option("--board", "board", is_flag=True, help="Board seats.")
@click.option("--chair", "chair", is_flag=True, help="The chair of the board.")
@click.option("--stakeholder-seats", "stakeholder_seats", is_flag=True, help="Seats held for a stakeholder.")
@click.option("--leave", "leave", is_flag=True, help="Leaves (sabbaticals...).")
@click.option("--person", default=None, help="Only this person's tenures (a person id).")
@click.option("--from", "start", default=None, help=f"Only tenures still held at or after this instant ({FROM_HELP}).")
@click.option("--to", "end", default=None, help=f"Only tenures begun at or before this instant ({TO_HELP}).")
@click.option("--no-sources", is_flag=True, help="Leave out the events and quotes that mark each end.")
@TZ_OPTION
@CSV_FORMAT_OPTION
@EVENTS_OPTION
def tenures(
    office: str | None,
    board: bool,
    chair: bool,
    stakeholder_seats: bool,
    leave: bool,
    person: str | None,
    start: str | None,
    end: str | None,
    no_sources: bool,
    tz: str | None,
    fmt: str,
    events_path: Path | None,
) -> None:
    """Who held each office, board seat, the chair and each leave: from when, to when, for how long, and why.

    Without --office, --board, --chair, --stakeholder-seats or --leave, every kind is listed. An end outside the
    timeline's coverage is unknown and says why; an end dated only to a day gives the duration as a range.
    """
    from orgsim.query.history import TenureKind

    tz = check_zone(tz)
    timeline = common.load(events_path)
    if person is not None:
        _known_person(timeline, person, "--person")
    if office is not None and office not in {
        key.split(".")[1] for key in timeline.change_series() if key.startswith("offices.")
    }:
        offices = sorted({key.split(".")[1] for key in timeline.change_series() if key.startswith("offices.")})
        fail(f"--office: no event gives anyone the office {office!r} (offices: {', '.join(offices)})")
    flags: tuple[tuple[TenureKind, bool], ...] = (
        ("board", board),
        ("chair", chair),
        ("stakeholder_seat", stakeholder_seats),
        ("leave", leave),
    )
    chosen = [kind for kind, wanted in flags if wanted]
    if office is not None and chosen:
        fail("--office lists one office's tenures: give it alone, or use the other flags without it")
    kinds = chosen or None
    low, high = _range(timeline, start, end, tz)
    found = timeline.tenures(office=office, kinds=kinds, person=person, start=low, end=high)
    shown = tz or timeline.home_zone
    if printed_as_json(fmt, lambda: [tenure.to_dict(shown) for tenure in found]):
        return
    from orgsim.views.history import render_tenures, tenures_csv

    if fmt == "csv":
        click.echo(tenures_csv(found, shown), nl=False)
        return
    click.echo(render_tenures(found, timeline.manifest, shown, sources=not no_sources))


@main.command()
@click.argument("person_id", metavar="PERSON")
@TZ_OPTION
@CSV_FORMAT_OPTION
@EVENTS_OPTION
def person(person_id: str, tz: str | None, fmt: str, events_path: Path | None) -> None:
    """Every role, board seat, leave and affiliation of one person over time (PERSON is an id: sam-altman)."""
    tz = check_zone(tz)
    timeline = common.load(events_path)
    _known_person(timeline, person_id, "PERSON")
    found = timeline.person_history(person_id)
    shown = tz or timeline.home_zone
    if fmt == "json":
        dump(
            {
                "person": person_id,
                "name": timeline.manifest.people[person_id].name,
                "history": [tenure.to_dict(shown) for tenure in found],
            }
        )
        return
    if fmt == "jsonl":
        lines([tenure.to_dict(shown) for tenure in found])
        return
    from orgsim.views.history import render_tenures, tenures_csv

    if fmt == "csv":
        click.echo(tenures_csv(found, shown), nl=False)
        return
    name = timeline.manifest.people[person_id].name
    click.echo(f"{name} ({person_id}) — timeline {timeline.name!r}\n")
    click.echo(render_tenures(found, timeline.manifest, shown))


@main.command()
@click.argument("path")
@click.option("--at", "at", required=True, help="Instant (same rules as 'orgsim state').")
@click.option("--no-but-for", "no_but_for", is_flag=True, help="Skip the search for but-for causes.")
@TZ_OPTION
@FORMAT_OPTION
@EVENTS_OPTION
def explain(path: str, at: str, no_but_for: bool, tz: str | None, fmt: str, events_path: Path | None) -> None:
    """Why PATH (ceo, board.members, board.chair, employees.headcount, stakeholders.microsoft.employs...) has its
    value at an instant: the event that set it, why that happened, and the events but for which it would differ."""
    from orgsim.model.paths import state_field_problem

    tz = check_zone(tz)
    timeline = common.load(events_path)
    problem = state_field_problem("offices.ceo" if path == "ceo" else path, timeline.manifest)
    if problem is not None:
        fail(f"PATH: {problem}")
    instant = timeline.resolve(at, tz)
    explanation = timeline.explain(path, instant, but_for=not no_but_for)
    shown = tz or timeline.home_zone
    if fmt == "json":
        dump(explanation.to_dict(shown))
        return
    from orgsim.views.history import render_explanation

    click.echo(render_explanation(explanation, timeline.manifest, shown))


@main.command()
@click.option("--all", "everything", is_flag=True, help="Every event, also those public as they happened.")
@TZ_OPTION
@CSV_FORMAT_OPTION
@EVENTS_OPTION
def lag(everything: bool, tz: str | None, fmt: str, events_path: Path | None) -> None:
    """Each event's delay between happening and becoming public (its reported_at), longest first."""
    tz = check_zone(tz)
    timeline = common.load(events_path)
    found = timeline.lag(everything=everything)
    shown = tz or timeline.home_zone
    if printed_as_json(fmt, lambda: [item.to_dict(shown) for item in found]):
        return
    from orgsim.views.history import lags_csv, render_lags

    if fmt == "csv":
        click.echo(lags_csv(found, shown), nl=False)
        return
    click.echo(render_lags(found, shown, timeline.home_zone))


def _known_person(timeline: Timeline, person_id: str, where: str) -> None:
    """Fail, naming ``where`` and the nearest ids and names, unless ``person_id`` is a person of the timeline."""
    if person_id in timeline.manifest.people:
        return
    import difflib

    people = timeline.manifest.people
    close = difflib.get_close_matches(person_id, list(people), n=3)
    by_name = [pid for pid, p in people.items() if person_id.lower() in p.name.lower()]
    suggestions = list(dict.fromkeys([*by_name, *close]))[:3]
    hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
    fail(f"{where}: unknown person {person_id!r}{hint}")


def _range(timeline: Timeline, start: str | None, end: str | None, tz: str | None) -> tuple[Any, Any]:
    """``--from`` and ``--to`` as instants (a bare date: its start, its end), None if not given; fail if reversed."""
    low = timeline.resolve(start, tz, bound="start") if start is not None else None
    high = timeline.resolve(end, tz) if end is not None else None
    if low is not None and high is not None and high < low:
        fail(f"--to {end} ({high.isoformat()}) is before --from {start} ({low.isoformat()})")
    return low, high


@main.command()
@click.option("--from", "start", default=None, help=f"Only events at or after this instant ({FROM_HELP}).")
@click.option("--to", "end", default=None, help=f"Only events at or before this instant ({TO_HELP}).")
@click.option("--type", "kinds", multiple=True, help="Only events of this type (repeatable: any of them).")
@click.option("--person", "people", multiple=True, help="Only events naming this person id (repeatable: any of them).")
@click.option("--no-sources", is_flag=True, help="Leave out the source quotes in the table.")
@click.option("--oneline", is_flag=True, help="One line per event: time, summary and id.")
@TZ_OPTION
@CSV_FORMAT_OPTION
@EVENTS_OPTION
def events(
    start: str | None,
    end: str | None,
    kinds: tuple[str, ...],
    people: tuple[str, ...],
    no_sources: bool,
    oneline: bool,
    tz: str | None,
    fmt: str,
    events_path: Path | None,
) -> None:
    """The timeline's events in replay order, with their sources.

    A day-, month- or year-precision event is in a range when the day (month,
    year) it covers, in the zone its source dates it in, overlaps the range.
    """
    from orgsim.model.events import EVENT_TYPES, people_named

    tz = check_zone(tz)
    unknown = [k for k in kinds if k not in EVENT_TYPES]
    if unknown:
        fail(f"--type: unknown event type {unknown[0]!r} (known types: {', '.join(sorted(EVENT_TYPES))})")
    timeline = common.load(events_path)
    for person in people:
        if person not in timeline.manifest.people:
            fail(f"--person: {_unknown_person(person, timeline)}")
    low = timeline.resolve(start, tz, bound="start") if start else None
    high = timeline.resolve(end, tz) if end else None
    if low is not None and high is not None and high < low:
        fail(f"--to {end} ({high.isoformat()}) is before --from {start} ({low.isoformat()})")
    wanted = set(people)
    found = [
        (record, inside)
        for record, inside in _overlapping(timeline, low, high)
        if (not kinds or record.type in kinds) and (not wanted or wanted.intersection(people_named(record)))
    ]
    selected = [record.to_event() for record, _ in found]
    zone_name = tz or timeline.home_zone
    if fmt in ("json", "jsonl"):
        items = []
        for event in selected:
            item = event.model_dump(mode="json")
            item["at"] = in_zone(event.at, zone_name)
            if item.get("reported_at") is not None:
                item["reported_at"] = in_zone(event.reported_at, zone_name)
            item["file"] = timeline.origins.get(event.id)
            items.append(item)
        if fmt == "jsonl":
            lines(items)
        else:
            dump(items)
        return
    if fmt == "csv":
        from orgsim.views.rows import EVENT_COLUMNS, event_rows

        rows(fmt, EVENT_COLUMNS, event_rows(selected, timeline.origins, zone_name))
        return
    from orgsim.views.text import render_events

    within = [event for event, (_, inside) in zip(selected, found, strict=True) if inside]
    partly = [event for event, (_, inside) in zip(selected, found, strict=True) if not inside]
    click.echo(
        render_events(within, timeline.home_zone, tz, sources=not no_sources, oneline=oneline, overlapping=partly)
    )


def _overlapping(timeline: Timeline, low: Any, high: Any) -> list[tuple[Any, bool]]:
    """The events (records, in replay order) whose period overlaps ``low``..``high``, each with whether it lies inside.

    An event of minute or hour precision is its instant: in the range when
    ``low <= at <= high``. One of day, month or year precision covers that
    period of its zone's calendar: in the range when the two overlap.
    """
    from bisect import bisect_left, bisect_right

    from orgsim.times import period, period_search_window

    replay = timeline.replay
    first, last = period_search_window(low, high)
    start, stop = bisect_left(replay.times, first), bisect_right(replay.times, last)
    since_ts = float("-inf") if low is None else low.timestamp()
    until_ts = float("inf") if high is None else high.timestamp()
    found = []
    for record, epoch in zip(replay.applied[start:stop], replay.times[start:stop], strict=True):
        if record.precision in ("minute", "hour"):  # an instant: no calendar to consult
            if since_ts <= epoch <= until_ts:
                found.append((record, True))
            continue
        since, until = period(record.at, record.precision, record.zone or timeline.home_zone)
        if (low is None or until >= low) and (high is None or since <= high):
            found.append((record, (low is None or since >= low) and (high is None or until <= high)))
    return found


def _unknown_person(person: str, timeline: Timeline) -> str:
    """Say that no person has the id ``person``, and suggest the nearest by id or by name."""
    import difflib  # only an error needs it

    known = timeline.manifest.people
    query = person.strip().lower()
    words = [pid for pid, p in known.items() if query in pid.split("-") or query in p.name.lower().split()]
    names = {p.name.lower(): pid for pid, p in known.items()}
    close = difflib.get_close_matches(query, list(known), n=3, cutoff=0.6)
    close += [names[n] for n in difflib.get_close_matches(query, list(names), n=3, cutoff=0.6)]
    nearest = list(dict.fromkeys(words + close))[:3]
    message = f"no person has the id {person!r} in timeline {timeline.name!r}"
    if not nearest:
        return message + " (the people it knows are listed in its timeline.yaml)"
    return message + " (did you mean " + " or ".join(f"{pid!r} ({known[pid].name})" for pid in nearest) + "?)"


@main.command()
@click.option("--from", "start", required=True, help=f"The earlier instant, included ({FROM_HELP}).")
@click.option("--to", "end", required=True, help=f"The later instant ({TO_HELP}).")
@TZ_OPTION
@CSV_FORMAT_OPTION
@EVENTS_OPTION
def diff(start: str, end: str, tz: str | None, fmt: str, events_path: Path | None) -> None:
    """What changed from --from to --to (the events at --from included), event by event."""
    from bisect import bisect_left

    from orgsim.query.diff import diff_states

    tz = check_zone(tz)
    timeline = common.load(events_path)
    low, high = timeline.resolve(start, tz, bound="start"), timeline.resolve(end, tz)
    if high < low:
        fail(f"--to {end} ({high.isoformat()}) is before --from {start} ({low.isoformat()})")
    replay = timeline.replay
    first, last = bisect_left(replay.times, low.timestamp()), replay.position(high.timestamp())
    before, after = replay.state_after(first, low), replay.state_after(last, high)
    steps = []
    previous = before
    for record, state in replay.walk(first, last):
        steps.append((record.to_event(), previous, state, diff_states(previous, state)))
        previous = state
    net = diff_states(before, after)
    zone_name = tz or timeline.home_zone
    if fmt == "json":
        dump(
            {
                "from": in_zone(low, zone_name),
                "to": in_zone(high, zone_name),
                "steps": [
                    {
                        "event": e.id,
                        "at": in_zone(e.at, zone_name),
                        "summary": e.summary,
                        "changes": [c.to_dict() for c in cs],
                    }
                    for e, _, _, cs in steps
                ],
                "net": [c.to_dict() for c in net],
            }
        )
        return
    if fmt in ("csv", "jsonl"):
        from orgsim.views.rows import DIFF_COLUMNS, diff_rows

        rows(fmt, DIFF_COLUMNS, diff_rows([(e, cs) for e, _, _, cs in steps], net, zone_name))
        return
    from orgsim.views.text import render_diff

    click.echo(render_diff(low, high, steps, net, before, after, zone_name, timeline.home_zone))


# ---------------------------------------------------------------------------------------------- sweeps (issue 16)


def _state_samples(timeline: Timeline, instant: Any, samples: int, seed: int) -> Any:
    """``orgsim state --samples``: the state at ``instant`` over samples of history's own vague times."""
    from orgsim.sweeps.samples import sample_state

    with progress_bar("sampling") as progress:
        return sample_state(timeline, instant, samples=samples, seed=seed, progress=progress)


# ------------------------------------------------------------------------------------------- end of sweeps block
