"""A world as Popolo (https://www.popoloproject.com): who held which post when, and how the board voted.

Popolo is the open data standard for people, organisations, posts and
memberships that civic-tech tools such as PopIt and EveryPolitician
exchange. :func:`popolo` turns a replayed world (the timeline, or a what-if
world) into one JSON document:

* ``persons``: every person of the manifest;
* ``organizations``: the organisation, its board (an organization of its
  own, ``parent_id`` the organisation) and every other organisation the
  manifest knows (stakeholders, employers);
* ``posts``: each office of the organisation, the board's voting seat, its
  observer seat and its chair;
* ``memberships``: each tenure of an office, a board seat, the chair, and
  each affiliation (a board seat held for a stakeholder has it as
  ``on_behalf_of_id``); leaves have no Popolo counterpart and are left out;
* ``motions`` and ``vote_events``: each board vote that happened in this
  world, with every director's vote, the ``counts`` and the ``result`` as
  orgsim's governance rules counted them in this world.

Dates are written at the precision the sources allow: an end dated to the
day is ``2023-11-17`` (the day of the calendar the source dates it in), to
the month ``2023-11``, to the year ``2023``; an end dated to the minute or
the hour is an instant with its offset (``2023-11-17T12:00-08:00``,
``2023-11-17T12-08:00``) in the zone asked for. An end that is not known
(outside the timeline's coverage) or not reached (still held when the
timeline ends) has no ``end_date``: ``extras`` says which, and why.
Popolo's ``date-time`` fields (a vote's ``start_date``, a motion's ``date``)
are written only for a vote timed to the minute; otherwise ``extras.date``
carries its day, month or year.

Ids are built from the timeline's own ids, so they are the same on every
run: ``person/sam-altman``, ``organization/openai``,
``organization/openai/board``, ``post/openai/ceo``,
``membership/office/ceo/mira-murati/<event that began it>``,
``vote_event/<vote's event id>``, ``motion/<vote's event id>``. Each
object's ``sources`` are Popolo links: the report's ``url`` where it has
one, else the document's path in the timeline folder
(``sources/004_a906426a8ab44445.txt``, relative to it), with a ``note``
that names the document and gives the quote (and its English rendering). A
named report that gives no address cannot be a Popolo link (a link needs
its url): its note is in ``extras.sources_without_url``.

Fields beyond Popolo's go in ``extras`` (as in the Open Civic Data
scrapers' Popolo documents), so that Popolo tools read the rest unchanged.

>>> import orgsim
>>> document = popolo(orgsim.load_timeline())
>>> for m in document["memberships"]:
...     if m.get("post_id") == "post/openai/ceo" and m["extras"]["interim"]:
...         print(m["person_id"], m["start_date"], m["end_date"])
person/mira-murati 2023-11-17T12-08:00 2023-11-19T22-08:00
person/emmett-shear 2023-11-19T22-08:00 2023-11-21
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from orgsim.model.events import Source
from orgsim.model.governance import count_votes
from orgsim.model.records import EventRecord
from orgsim.query.history import Bound, Tenure, TenureKind
from orgsim.timeline import Timeline
from orgsim.times import in_zone
from orgsim.views.wording import office_label

POPOLO_KINDS: tuple[TenureKind, ...] = ("office", "board", "chair", "affiliation")
"""The kinds of tenure written as memberships (a stakeholder's seat is the board seat's ``on_behalf_of_id``)."""

VOTE_OPTIONS = ("yes", "no", "abstain", "absent")
"""The options a vote event's ``counts`` count, in order."""

_SEAT_LABELS = {"voting": "Director", "observer": "Board observer"}


def popolo(world: Timeline, tz: str | None = None) -> dict[str, Any]:
    """The Popolo document of ``world``: persons, organizations, posts, memberships, motions and vote events.

    ``tz`` is the zone of instants timed to the minute or the hour (default:
    the home zone); dates of day, month or year precision are the source's.
    """
    shown = tz or world.home_zone
    manifest = world.manifest
    org = manifest.organisation
    board = f"organization/{org}/board"
    persons = [
        _clean({"id": f"person/{pid}", "name": person.name, "summary": person.role})
        for pid, person in manifest.people.items()
    ]
    organizations: list[dict[str, Any]] = [
        _clean({"id": f"organization/{org}", "name": manifest.organisation_name or org, "classification": "company"}),
        {
            "id": board,
            "name": f"{manifest.organisation_name or org} board of directors",
            "classification": "board",
            "parent_id": f"organization/{org}",
        },
    ]
    organizations += [
        _clean({"id": f"organization/{oid}", "name": other.name, "classification": other.kind})
        for oid, other in manifest.organisations.items()
        if oid != org
    ]
    known_orgs = {o["id"] for o in organizations}
    tenures = world.tenures(kinds=POPOLO_KINDS)
    records = _records(world)
    posts: dict[str, dict[str, Any]] = {}
    memberships: list[dict[str, Any]] = []
    taken: dict[str, int] = {}
    for tenure in tenures:
        post = _post(tenure, org, board)
        if post is not None:
            posts.setdefault(post["id"], post)
        membership = _membership(tenure, org, board, post, records, shown)
        if membership["organization_id"] not in known_orgs:
            organizations.append({"id": membership["organization_id"], "name": tenure.key})
            known_orgs.add(membership["organization_id"])
        number = taken.get(membership["id"], 0)
        taken[membership["id"]] = number + 1
        if number:  # the same holding begun by the same event twice (a coverage gap cut it): still unique
            membership["id"] += f"/{number + 1}"
        memberships.append(membership)
    motions, vote_events = _votes(world, board, shown)
    return {
        "persons": persons,
        "organizations": organizations,
        "posts": sorted(posts.values(), key=_post_order),
        "memberships": memberships,
        "motions": motions,
        "vote_events": vote_events,
    }


def _records(world: Timeline) -> dict[str, EventRecord]:
    return {record.id: record for record in world.records}


def _post(tenure: Tenure, org: str, board: str) -> dict[str, Any] | None:
    """The post a tenure holds (None for an affiliation: a membership of an organisation, not of a post)."""
    if tenure.kind == "office":
        return {
            "id": f"post/{org}/{tenure.key}",
            "label": office_label(tenure.key),
            "role": office_label(tenure.key),
            "organization_id": f"organization/{org}",
        }
    if tenure.kind == "board":
        return {
            "id": f"post/{org}/board/{tenure.role}",
            "label": _SEAT_LABELS.get(tenure.role, f"Board seat ({tenure.role})"),
            "role": tenure.role,
            "organization_id": board,
        }
    if tenure.kind == "chair":
        return {
            "id": f"post/{org}/board/chair",
            "label": "Chair of the board",
            "role": "chair",
            "organization_id": board,
        }
    return None


def _post_order(post: dict[str, Any]) -> str:
    return str(post["id"])


def _membership(
    tenure: Tenure,
    org: str,
    board: str,
    post: dict[str, Any] | None,
    records: dict[str, EventRecord],
    tz: str,
) -> dict[str, Any]:
    start, end = tenure.start, tenure.end
    if tenure.kind == "affiliation":
        organization, role = f"organization/{tenure.key}", "affiliated"
    elif tenure.kind == "office":
        organization, role = f"organization/{org}", office_label(tenure.key)
    else:
        organization, role = board, str(post["role"]) if post else tenure.role
    begun = start.event or "start-unknown"
    links, unlinked = _links(records[e].sources for e in (start.event, end.event) if e is not None and e in records)
    membership: dict[str, Any] = {
        "id": f"membership/{tenure.kind}/{tenure.key}/{tenure.person}/{begun}",
        "label": f"{tenure.names.get(tenure.person, tenure.person)}: {post['label'] if post else role}",
        "role": role,
        "person_id": f"person/{tenure.person}",
        "organization_id": organization,
        "post_id": post["id"] if post else None,
        "on_behalf_of_id": f"organization/{tenure.representing}" if tenure.representing else None,
        "start_date": popolo_date(start, records, tz),
        "end_date": popolo_date(end, records, tz),
        "sources": links,
        "extras": _clean(
            {
                "kind": tenure.kind,
                "interim": tenure.interim,
                "start": _bound_extras(start),
                "end": _bound_extras(end),
                "sources_without_url": unlinked or None,
            }
        ),
    }
    return _clean(membership)


def _bound_extras(bound: Bound) -> dict[str, Any]:
    """What Popolo's dates cannot say about one end: how it is known, its precision, its event, why it is unknown."""
    status = "ongoing" if bound.ongoing else "unknown" if bound.at is None else "known"
    return _clean({"status": status, "precision": bound.precision, "event": bound.event, "why_unknown": bound.why})


def popolo_date(bound: Bound, records: dict[str, EventRecord], tz: str) -> str | None:
    """One end of a tenure as a Popolo date, at its precision; None when it is not known or not reached."""
    if bound.at is None or bound.ongoing:
        return None
    record = records.get(bound.event) if bound.event else None
    zone = (record.zone if record is not None else None) or tz
    return dated(bound.at, bound.precision or "minute", tz, zone)


def dated(instant: datetime, precision: str, tz: str, source_zone: str) -> str:
    """An instant at a precision: ``2023-11-17T12:00-08:00`` (minute, in ``tz``), ``2023-11-17T12-08:00`` (hour),
    ``2023-11-17``, ``2023-11`` or ``2023`` (in ``source_zone``, the calendar the source dates it in)."""
    if precision in ("minute", "hour"):
        local = in_zone(instant, tz)
        offset = local.format("Z")
        return local.format("YYYY-MM-DDTHH:mm" if precision == "minute" else "YYYY-MM-DDTHH") + offset
    local = in_zone(instant, source_zone)
    return local.format({"day": "YYYY-MM-DD", "month": "YYYY-MM"}.get(precision, "YYYY"))


def _links(groups: Iterable[Sequence[Source]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Sources as Popolo links (each distinct document and quote once, in order), and the notes of the named
    reports that give no address (a Popolo link needs a url: those go under ``extras``)."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for sources in groups:
        for source in sources:
            found.setdefault((source.document, source.quote), link(source))
    links = [item for item in found.values() if "url" in item]
    return links, [item for item in found.values() if "url" not in item]


def link(source: Source) -> dict[str, Any]:
    """A source as a Popolo link: its report's url (else its document in the timeline's ``sources/``) and a note
    with the document, the quote and its English rendering; only the note for a named report without an address."""
    quote = " ".join(source.quote.split())
    note = f"{source.document}: «{quote}»"
    if source.translation and source.translation != source.quote:
        note += f" (“{' '.join(source.translation.split())}”)"
    if source.url is None and source.external:
        return {"note": note}
    return {"url": source.url or f"sources/{source.document}", "note": note}


def _votes(world: Timeline, board: str, tz: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Each board vote of ``world`` as a motion and a vote event, counted as the engine counted it."""
    replay = world.replay
    rules = replay.rules
    motions: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    for position, record in enumerate(replay.applied):
        if record.type != "board_vote":
            continue
        vote: Any = record
        before = replay.state_after(position)
        directors = sorted(p for p, seat in before.seats.items() if seat.role == "voting")
        tally = count_votes(rules, vote.votes, directors, vote.interested)
        result = "pass" if tally.passed else "fail"
        precise = record.precision == "minute"
        whole = in_zone(record.at, tz).isoformat() if precise else None  # Popolo's date-time: only when timed
        sources, unlinked = _links([record.sources])
        extras = _clean(
            {
                "precision": record.precision,
                "date": None if precise else dated(record.at, record.precision, tz, record.zone or world.home_zone),
                "tally": tally.describe(),
                "quorum": tally.quorum,
                "quorate": tally.quorate,
                "sources_without_url": unlinked or None,
            }
        )
        motions.append(
            _clean(
                {
                    "id": f"motion/{record.id}",
                    "organization_id": board,
                    "text": vote.motion,
                    "classification": "board resolution",
                    "date": whole,
                    "requirement": rules.describe(),
                    "result": "passed" if tally.passed else "failed",
                    "sources": sources,
                    "extras": extras,
                }
            )
        )
        ballots = dict.fromkeys(directors, "absent") | dict(vote.votes)  # a director left out counts as absent
        ignored = set(tally.ignored)
        counted = {option: 0 for option in VOTE_OPTIONS}
        votes = []
        for voter in sorted(ballots):
            option = ballots[voter]
            if voter not in ignored and option in counted:
                counted[option] += 1
            votes.append(
                {
                    "vote_event_id": f"vote_event/{record.id}",
                    "voter_id": f"person/{voter}",
                    "option": option,
                    "extras": {
                        "counted": voter not in ignored,
                        "director": voter in directors,
                        "interested": voter in vote.interested,
                    },
                }
            )
        counts = [{"option": option, "value": value} for option, value in counted.items()]
        if ignored:
            counts.append({"option": "not counted", "value": len(ignored)})
        events.append(
            _clean(
                {
                    "id": f"vote_event/{record.id}",
                    "identifier": record.id,
                    "motion_id": f"motion/{record.id}",
                    "organization_id": board,
                    "start_date": whole,
                    "result": result,
                    "counts": counts,
                    "votes": votes,
                    "sources": sources,
                    "extras": extras,
                }
            )
        )
    return motions, events


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` without its empty fields (Popolo leaves out what is not known), but with the dates' nulls kept."""
    return {k: v for k, v in data.items() if v is not None or k in ("start_date", "end_date")}
