"""``orgsim export popolo``: every object as Popolo's schemas require, stable ids, dates at the sources' precision.

The rules below are this test's own transcription of what the Popolo
project's draft-03 JSON Schemas (popolo-project/popolo-spec, ``schemas/``)
require of each object: the properties marked required, and the type, the
date pattern or the date-time format each property is given.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

import orgsim
from orgsim.views.popolo import popolo

STRING_OR_NULL = ("string", "null")
DATE = re.compile(r"^[0-9]{4}(-[0-9]{2}){0,2}$")
"""Popolo's date pattern (birth_date, founding_date, a post's start_date...)."""
MEMBERSHIP_DATE = re.compile(
    r"^[0-9]{4}((-[0-9]{2}){0,2}|(-[0-9]{2}){2}T[0-9]{2}(:[0-9]{2}){0,2}(Z|[+-][0-9]{2}(:[0-9]{2})?))$"
)
"""A membership's start_date and end_date: a date, or a date and time with its offset."""
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
"""JSON Schema's date-time format (RFC 3339)."""

# For each Popolo class: property -> (allowed JSON types, pattern or format or nested class), and the required ones.
SCHEMAS: dict[str, dict[str, Any]] = {
    "person": {
        "required": (),
        "properties": {
            "id": STRING_OR_NULL,
            "name": STRING_OR_NULL,
            "summary": STRING_OR_NULL,
            "birth_date": (*STRING_OR_NULL, DATE),
            "death_date": (*STRING_OR_NULL, DATE),
            "sources": ("array", "link"),
        },
    },
    "organization": {
        "required": (),
        "properties": {
            "id": STRING_OR_NULL,
            "name": STRING_OR_NULL,
            "classification": STRING_OR_NULL,
            "parent_id": STRING_OR_NULL,
            "founding_date": (*STRING_OR_NULL, DATE),
            "dissolution_date": (*STRING_OR_NULL, DATE),
            "sources": ("array", "link"),
        },
    },
    "post": {
        "required": (),
        "properties": {
            "id": STRING_OR_NULL,
            "label": STRING_OR_NULL,
            "role": STRING_OR_NULL,
            "organization_id": STRING_OR_NULL,
            "start_date": (*STRING_OR_NULL, DATE),
            "end_date": (*STRING_OR_NULL, DATE),
            "sources": ("array", "link"),
        },
    },
    "membership": {
        "required": (),
        "properties": {
            "id": STRING_OR_NULL,
            "label": STRING_OR_NULL,
            "role": STRING_OR_NULL,
            "person_id": STRING_OR_NULL,
            "organization_id": STRING_OR_NULL,
            "post_id": STRING_OR_NULL,
            "on_behalf_of_id": STRING_OR_NULL,
            "start_date": (*STRING_OR_NULL, MEMBERSHIP_DATE),
            "end_date": (*STRING_OR_NULL, MEMBERSHIP_DATE),
            "sources": ("array", "link"),
        },
    },
    "motion": {
        "required": (),
        "properties": {
            "id": STRING_OR_NULL,
            "organization_id": STRING_OR_NULL,
            "text": STRING_OR_NULL,
            "identifier": STRING_OR_NULL,
            "classification": STRING_OR_NULL,
            "date": (*STRING_OR_NULL, DATE_TIME),
            "requirement": STRING_OR_NULL,
            "result": STRING_OR_NULL,
            "sources": ("array", "link"),
        },
    },
    "vote_event": {
        "required": (),
        "properties": {
            "id": STRING_OR_NULL,
            "organization_id": STRING_OR_NULL,
            "identifier": STRING_OR_NULL,
            "motion_id": STRING_OR_NULL,
            "classification": STRING_OR_NULL,
            "start_date": (*STRING_OR_NULL, DATE_TIME),
            "end_date": (*STRING_OR_NULL, DATE_TIME),
            "result": STRING_OR_NULL,
            "counts": ("array", "count"),
            "votes": ("array", "vote"),
            "sources": ("array", "link"),
        },
    },
    "vote": {
        "required": (),
        "properties": {
            "id": STRING_OR_NULL,
            "vote_event_id": STRING_OR_NULL,
            "voter_id": STRING_OR_NULL,
            "option": STRING_OR_NULL,
            "group_id": STRING_OR_NULL,
            "role": STRING_OR_NULL,
            "weight": ("number", "null"),
        },
    },
    "count": {
        "required": ("option", "value"),
        "properties": {"option": ("string",), "value": ("integer",), "group_id": STRING_OR_NULL},
    },
    "link": {"required": ("url",), "properties": {"url": ("string", "uri"), "note": STRING_OR_NULL}},
}

JSON_TYPES = {
    "string": lambda v: isinstance(v, str),
    "null": lambda v: v is None,
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
}


def popolo_problems(kind: str, obj: Any, where: str = "") -> list[str]:
    """What keeps ``obj`` from being a valid Popolo ``kind`` (an empty list: nothing)."""
    where = where or kind
    if not isinstance(obj, dict):
        return [f"{where}: not an object"]
    schema = SCHEMAS[kind]
    problems = [f"{where}: {name} is required" for name in schema["required"] if name not in obj]
    for name, value in obj.items():
        rule = schema["properties"].get(name)
        if rule is None:
            if name != "extras":  # Popolo allows other properties; orgsim keeps its own under extras only
                problems.append(f"{where}: {name} is not a Popolo property of a {kind}")
            continue
        types = [r for r in rule if isinstance(r, str) and r in JSON_TYPES]
        if not any(JSON_TYPES[t](value) for t in types):
            problems.append(f"{where}: {name} should be {' or '.join(types)}, not {value!r}")
            continue
        for extra in rule:
            if isinstance(extra, re.Pattern) and isinstance(value, str) and not extra.match(value):
                problems.append(f"{where}: {name} {value!r} does not match {extra.pattern}")
            if extra == "uri" and isinstance(value, str) and not _uri(value):
                problems.append(f"{where}: {name} {value!r} is not a URI reference")
            if extra in SCHEMAS and isinstance(value, list):
                for number, item in enumerate(value):
                    problems += popolo_problems(extra, item, f"{where}.{name}[{number}]")
    return problems


def _uri(value: str) -> bool:
    """An absolute http(s) URL, or a relative reference of plain path segments (a document beside the timeline)."""
    return bool(re.match(r"^https?://\S+$", value) or re.match(r"^[A-Za-z0-9._~%!$&'()*+,;=:@/-]+$", value))


COLLECTIONS = {
    "persons": "person",
    "organizations": "organization",
    "posts": "post",
    "memberships": "membership",
    "motions": "motion",
    "vote_events": "vote_event",
}


def orgsim_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the installed ``orgsim`` command (the console script) and capture its output."""
    return subprocess.run(["orgsim", *args], capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def document(bundled: orgsim.Timeline) -> dict[str, Any]:
    return popolo(bundled)


def by_id(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in items}


def test_every_exported_object_is_valid_popolo(document: dict[str, Any]) -> None:
    assert set(document) == set(COLLECTIONS)
    problems = [
        problem
        for collection, kind in COLLECTIONS.items()
        for number, obj in enumerate(document[collection])
        for problem in popolo_problems(kind, obj, f"{collection}[{number}]")
    ]
    assert problems == []
    assert all(document[collection] for collection in COLLECTIONS)


def test_the_schema_check_catches_what_popolo_forbids() -> None:
    assert popolo_problems("count", {"option": "yes"}) == ["count: value is required"]
    assert popolo_problems("membership", {"end_date": "17 Nov 2023"})
    assert popolo_problems("vote_event", {"start_date": "2023-11-17"})  # a date-time, not a date
    assert popolo_problems("link", {"note": "no url"}) == ["link: url is required"]
    assert popolo_problems("person", {"name": 7})


def test_ids_are_unique_and_every_reference_resolves(document: dict[str, Any]) -> None:
    ids = [obj["id"] for collection in COLLECTIONS for obj in document[collection]]
    assert len(ids) == len(set(ids))
    known = set(ids)
    for membership in document["memberships"]:
        for field in ("person_id", "organization_id", "post_id", "on_behalf_of_id"):
            assert membership.get(field) is None or membership[field] in known, (membership["id"], field)
    for post in document["posts"]:
        assert post["organization_id"] in known
    for vote_event in document["vote_events"]:
        assert vote_event["motion_id"] in known and vote_event["organization_id"] in known
        assert all(vote["voter_id"] in known for vote in vote_event["votes"])


def test_ids_and_the_whole_document_are_the_same_on_every_run() -> None:
    first, second = orgsim_cli("export", "popolo"), orgsim_cli("export", "popolo")
    assert first.returncode == 0 and first.stderr == ""
    assert first.stdout == second.stdout
    ids = [m["id"] for m in json.loads(first.stdout)["memberships"]]
    assert "membership/office/ceo/mira-murati/2023-11-17-murati-named-interim-ceo" in ids


def test_the_organisation_its_board_and_each_stakeholder_are_organizations(document: dict[str, Any]) -> None:
    organizations = by_id(document["organizations"])
    assert organizations["organization/openai"]["name"] == "OpenAI"
    assert organizations["organization/openai/board"]["parent_id"] == "organization/openai"
    assert organizations["organization/microsoft"]["name"] == "Microsoft"
    posts = by_id(document["posts"])
    assert posts["post/openai/ceo"]["organization_id"] == "organization/openai"
    assert {"post/openai/board/voting", "post/openai/board/observer", "post/openai/board/chair"} <= set(posts)


def ceo_terms(document: dict[str, Any]) -> list[tuple[str, str | None, str | None]]:
    return [
        (m["person_id"], m["start_date"], m["end_date"])
        for m in document["memberships"]
        if m.get("post_id") == "post/openai/ceo"
    ]


def test_tenure_dates_are_written_at_the_precision_the_sources_allow(document: dict[str, Any]) -> None:
    assert ceo_terms(document) == [
        ("person/sam-altman", "2019-03", "2023-11-17T12-08:00"),  # a month; then the hour of the noon meeting
        ("person/mira-murati", "2023-11-17T12-08:00", "2023-11-19T22-08:00"),
        ("person/emmett-shear", "2023-11-19T22-08:00", "2023-11-21"),  # the return is dated to the day
        ("person/sam-altman", "2023-11-21", None),  # held past the end of coverage: no date claimed
    ]
    board = [m for m in document["memberships"] if m.get("post_id") == "post/openai/board/voting"]
    brockman = [m for m in board if m["person_id"] == "person/greg-brockman" and m["start_date"]]
    assert brockman[0]["start_date"] == "2017"  # 'late 2017', from the Form 990 for the year


def test_a_minute_precise_end_is_an_instant_in_the_zone_asked_for(document: dict[str, Any]) -> None:
    brockman = [
        m
        for m in popolo(orgsim.load_timeline(), "Asia/Shanghai")["memberships"]
        if m["person_id"] == "person/greg-brockman" and m["extras"]["kind"] == "affiliation"
    ]
    assert brockman[0]["end_date"] == "2023-11-18T08:09+08:00"  # 16:09 Pacific on Friday, his resignation post
    assert brockman[0]["start_date"] == "2015-12-11"  # a day stays the source's day


def test_an_unknown_or_open_end_is_never_written_as_a_date(document: dict[str, Any], acme: orgsim.Timeline) -> None:
    unknown = [m for m in document["memberships"] if m["extras"]["end"]["status"] == "unknown"]
    assert unknown and all(m["end_date"] is None for m in unknown)
    assert all(m["extras"]["end"]["why_unknown"] for m in unknown)
    started_unknown = [m for m in document["memberships"] if m["extras"]["start"]["status"] == "unknown"]
    assert started_unknown and all(m["start_date"] is None for m in started_unknown)
    ongoing = [m for m in popolo(acme)["memberships"] if m["extras"]["end"]["status"] == "ongoing"]
    assert ongoing and all(m["end_date"] is None for m in ongoing)


def test_a_seat_held_for_a_stakeholder_is_on_its_behalf(document: dict[str, Any]) -> None:
    observers = [m for m in document["memberships"] if m.get("post_id") == "post/openai/board/observer"]
    assert {m["person_id"] for m in observers} == {"person/unnamed-microsoft-observer", "person/dee-templeton"}
    assert {m["on_behalf_of_id"] for m in observers} == {"organization/microsoft"}


def test_the_vote_has_each_directors_vote_its_counts_and_its_result(document: dict[str, Any]) -> None:
    (vote_event,) = document["vote_events"]
    assert vote_event["id"] == "vote_event/2023-11-17-board-votes-to-remove-altman"
    assert vote_event["result"] == "pass"
    assert vote_event["start_date"] is None and vote_event["extras"]["date"] == "2023-11-17"  # dated to the day only
    counts = {c["option"]: c["value"] for c in vote_event["counts"]}
    assert counts == {"yes": 4, "no": 0, "abstain": 0, "absent": 0, "not counted": 2}
    votes = {v["voter_id"]: (v["option"], v["extras"]["counted"]) for v in vote_event["votes"]}
    assert votes["person/ilya-sutskever"] == ("yes", True)
    assert votes["person/sam-altman"] == ("absent", False)  # interested: not counted under the 2023 rules
    (motion,) = document["motions"]
    assert motion["id"] == vote_event["motion_id"] and motion["result"] == "passed"
    assert motion["text"].startswith("Remove Sam Altman as CEO")


def test_a_what_if_world_is_exported_as_counted_there() -> None:
    made = orgsim_cli("export", "popolo", "--scenario", "three-quarters-supermajority")
    assert made.returncode == 0 and made.stderr == ""
    document = json.loads(made.stdout)
    (vote_event,) = document["vote_events"]
    assert vote_event["result"] == "fail" and document["motions"][0]["result"] == "failed"
    assert [person for person, _, _ in ceo_terms(document)] == ["person/sam-altman"]  # nobody replaced him


def test_sources_are_popolo_links_with_the_quote(document: dict[str, Any]) -> None:
    murati = next(m for m in document["memberships"] if m["person_id"] == "person/mira-murati" and m.get("post_id"))
    notes = [link["note"] for link in murati["sources"]]
    assert all("«" in note for note in notes)
    urls = {link["url"] for m in document["memberships"] for link in m["sources"]}
    assert any(url.startswith("https://") for url in urls)  # a named report with its address
    assert any(url.startswith("sources/") for url in urls)  # a document of the timeline folder


def test_export_writes_the_file_given_as_out(tmp_path: Path) -> None:
    out = tmp_path / "openai.popolo.json"
    made = orgsim_cli("export", "popolo", "--out", str(out))
    assert made.returncode == 0 and made.stdout == f"wrote {out}\n" and made.stderr == ""
    assert json.loads(out.read_text(encoding="utf-8"))["persons"][0]["id"] == "person/sam-altman"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--scenario", "no-such-scenario"), "no-such-scenario: no such scenario file"),
        (("--tz", "PST"), "'PST' is an abbreviation"),
        (("--out", "/nonexistent-folder/x.json"), "the folder does not exist"),
    ],
)
def test_bad_input_is_one_line_on_stderr_and_exit_2(args: tuple[str, ...], message: str) -> None:
    made = orgsim_cli("export", "popolo", *args)
    assert made.returncode == 2 and made.stdout == ""
    assert made.stderr.count("\n") == 1 and message in made.stderr and made.stderr.startswith("orgsim: error: ")
