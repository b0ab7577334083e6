"""A timeline folder's files, one at a time: finding them, reading them safely, and validating each into records.

The manifest (``timeline.yaml``) becomes a :class:`~orgsim.model.manifest.Manifest`;
each event file (a YAML list, or JSON Lines) becomes a list of compact
records (:mod:`orgsim.model.records`). Files are read through
:mod:`orgsim.io.reading` (regular files only, inside the timeline folder,
bounded in size, YAML built defensively, duplicate keys refused); each
problem found goes to a :class:`~orgsim.io.problems.Problems`.

JSON Lines is the bulk format: each line is validated straight from bytes by
pydantic's core (no intermediate dicts), with the cyclic garbage collector
paused when the caller asks for it (:func:`orgsim.bulk`); each validated event
becomes its record at once, so a million-event file never holds more than one pydantic
model at a time.

:func:`parse_event_file` and :func:`parse_manifest` take bytes already read,
so that a caller can hash and parse one single read of each file
(:func:`timeline_files`, :func:`read_limit`). Checks across files (ids,
causes, references, coverage) are :mod:`orgsim.io.checks`'.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from pydantic import ValidationError

from orgsim.errors import LoadError
from orgsim.io.problems import (
    RAISE,
    Problems,
    and_more,
    describe_validation_error,
    display_path,
    event_id,
    most_telling,
    telling,
)
from orgsim.io.reading import (
    MAX_JSONL_BYTES,
    MAX_LINE_BYTES,
    MAX_MANIFEST_BYTES,
    MAX_YAML_EVENTS_BYTES,
    SPACED_KEY,
    inside_folder,
    json_duplicate_key,
    open_regular,
    parse_yaml,
    preview,
    read_bounded,
    shorten,
)
from orgsim.model.events import EVENT_ADAPTER, EVENT_LIST_ADAPTER, EventBase, known_zone
from orgsim.model.manifest import MANIFEST_NAME, Manifest
from orgsim.model.records import EventRecord, RecordMaker

EVENT_SUFFIXES = (".yaml", ".yml", ".jsonl")
"""File suffixes read as event files in a timeline folder."""

TIMELINE_FOLDER = "the timeline folder"
"""How errors name the folder a timeline's files must stay inside."""


def _validate_list(
    raw_events: list[Any], shown: str, maker: RecordMaker, problems: Problems, bad_ids: set[str]
) -> list[EventRecord]:
    """Validate a YAML file's list of events into records: in one call, or event by event to report each problem."""
    try:
        return maker.records(EVENT_LIST_ADAPTER.validate_python(raw_events))
    except ValidationError as exc:
        if not problems.collecting:
            _raise_first(exc, raw_events, shown)
        errors = exc.errors(include_url=False)
    failing = sorted({e["loc"][0] for e in errors if e["loc"] and isinstance(e["loc"][0], int)})
    records: list[EventRecord] = []
    failed = set(failing)
    for index, raw in enumerate(raw_events):
        if index in failed:
            continue
        records.append(maker.record(EVENT_ADAPTER.validate_python(raw)))
    for index in failing:
        ident = event_id(raw_events[index])
        if ident is not None:
            bad_ids.add(ident)
        own = [dict(e, loc=e["loc"][1:]) for e in errors if e["loc"][:1] == (index,)]
        for error in telling(own):
            path, message = describe_validation_error(error)
            problems.add(
                LoadError(message if ident else f"event #{index + 1}: {message}", file=shown, event=ident, field=path)
            )
    return records


def _raise_first(exc: ValidationError, raw_events: Sequence[Any], shown: str) -> None:
    errors = exc.errors(include_url=False)
    first = most_telling(errors)
    index = first["loc"][0] if first["loc"] and isinstance(first["loc"][0], int) else None
    detail = dict(first, loc=first["loc"][1:]) if index is not None else first
    path, message = describe_validation_error(detail)
    ident = event_id(raw_events[index]) if index is not None and index < len(raw_events) else None
    if ident is None and index is not None:
        message = f"event #{index + 1}: {message}"
    raise LoadError(and_more(message, len(errors) - 1), file=shown, event=ident, field=path) from None


def _yaml_events(data: bytes, shown: str) -> list[Any]:
    parsed = parse_yaml(data, shown)
    if parsed is None:
        return []
    if not isinstance(parsed, list):
        raise LoadError(f"expected a list of events, found {_kind_of(parsed)}", file=shown)
    return parsed


def _kind_of(value: Any) -> str:
    return "a mapping" if isinstance(value, dict) else f"a single value ({preview(value, 30)})"


def parse_event_file(
    data: bytes,
    name: str,
    *,
    require_sources: bool = True,
    maker: RecordMaker | None = None,
    problems: Problems | None = None,
    bad_ids: set[str] | None = None,
) -> list[EventRecord]:
    """Validate the bytes of one event file into records; ``name`` (shown in errors) decides the format by suffix.

    ``.jsonl`` is JSON Lines, anything else a YAML list. This is
    :func:`read_event_file` on bytes already read (a cache hashes and parses
    one read). ``problems`` collects problems instead of raising the first;
    ``bad_ids`` receives the ids of events that failed validation.
    """
    maker = maker or RecordMaker()
    problems = problems or RAISE
    bad_ids = bad_ids if bad_ids is not None else set()
    if name.endswith(".jsonl"):
        records = _jsonl_records(io.BytesIO(data), name, maker, problems, bad_ids)
    else:
        records = _validate_list(_yaml_events(data, name), name, maker, problems, bad_ids)
    if require_sources:
        _check_sources(records, name, problems)
    return records


def _check_sources(records: Sequence[EventRecord], shown: str, problems: Problems) -> None:
    for record in records:
        if not record.sources:
            problems.add(LoadError("at least one source is required", file=shown, event=record.id, field="sources"))


def read_event_file(
    path: Path,
    require_sources: bool = True,
    maker: RecordMaker | None = None,
    *,
    shown: str | None = None,
    problems: Problems | None = None,
    bad_ids: set[str] | None = None,
    folder: Path | None = None,
) -> list[EventRecord]:
    """Read and validate one event file (a YAML list or JSON Lines) into records.

    ``maker`` lets the files of one timeline share equal values (see
    :class:`~orgsim.model.records.RecordMaker`). JSON Lines is streamed, line
    by line; YAML is read whole (it is bounded: see :mod:`orgsim.io.reading`).
    With ``folder`` (the timeline's), the file is read only when it is inside
    it once links are resolved (see :func:`~orgsim.io.reading.inside_folder`).
    """
    shown = shown or display_path(path)
    follow = folder is None
    if folder is not None:
        path = inside_folder(path, folder, shown, what=TIMELINE_FOLDER)
    if path.suffix != ".jsonl":
        data = read_bounded(path, shown, MAX_YAML_EVENTS_BYTES, follow_links=follow)
        return parse_event_file(
            data, shown, require_sources=require_sources, maker=maker, problems=problems, bad_ids=bad_ids
        )
    maker = maker or RecordMaker()
    problems = problems or RAISE
    with open_regular(path, shown, MAX_JSONL_BYTES, follow_links=follow) as stream:
        records = _jsonl_records(
            stream,
            shown,
            maker,
            problems,
            bad_ids if bad_ids is not None else set(),
        )
        if require_sources:
            _check_sources(records, shown, problems)
    return records


def _key_count(event: EventBase) -> int:
    """How many distinct keys the JSON of a validated event held: its own, its sources' and its votes'."""
    # Read through __dict__ and the fields-set slot: a missing attribute on a pydantic model costs an exception.
    values = event.__dict__
    count = len(event.__pydantic_fields_set__)
    for source in values["sources"]:
        count += len(source.__pydantic_fields_set__)
    votes = values.get("votes")
    return count + len(votes) if votes else count


def _jsonl_records(
    stream: IO[bytes], shown: str, maker: RecordMaker, problems: Problems, bad_ids: set[str]
) -> list[EventRecord]:
    """Validate each non-blank line from bytes; an error names its line.

    Each event becomes its record at once, so only one model is alive at a
    time. A line longer than :data:`~orgsim.io.reading.MAX_LINE_BYTES` is
    refused once that much of it is read. A duplicate key is looked for only
    when the line's keys cannot be counted cheaply or outnumber the distinct
    keys the event was validated from (the bound of
    :func:`~orgsim.io.reading.json_keys_bound`, inlined: this loop runs a
    million times): a bound that the validated count reaches rules one out.
    """
    validate, record = EVENT_ADAPTER.validate_json, maker.record
    readline, spaced, longest = stream.readline, SPACED_KEY, MAX_LINE_BYTES
    records: list[EventRecord] = []
    add = records.append
    number = 0
    while True:
        try:
            line = readline(longest + 1)
        except OSError as exc:
            raise LoadError(f"cannot read: {exc.strerror or exc}", file=shown) from None
        if not line:
            return records
        number += 1
        if len(line) > longest:
            raise LoadError(f"line {number}: longer than {longest:,} bytes (one event a line)", file=shown)
        if line.isspace():
            continue
        try:
            event: EventBase = validate(line)
        except ValidationError as exc:
            _jsonl_problem(exc, line, number, shown, problems, bad_ids)
            continue
        if spaced(line) is None and line.count(b'":') <= _key_count(event):
            add(record(event))
            continue
        duplicate = json_duplicate_key(line)
        if duplicate is None:
            add(record(event))
            continue
        bad_ids.add(event.id)
        problems.add(
            LoadError(
                f"duplicate key {shorten(duplicate)!r} (a key may appear once in an object) (line {number})",
                file=shown,
                event=event.id,
            )
        )


def _jsonl_problem(
    exc: ValidationError, line: bytes, number: int, shown: str, problems: Problems, bad_ids: set[str]
) -> None:
    errors = exc.errors(include_url=False)
    first = most_telling(errors)
    if first["type"] == "json_invalid":
        problems.add(LoadError(f"line {number}: malformed JSON", file=shown))
        return
    import json  # only an error needs it

    try:
        raw = json.loads(line)
    except (ValueError, RecursionError):
        raw = None
    ident = event_id(raw)
    if ident is not None:
        bad_ids.add(ident)
    shown_errors = telling(errors) if problems.collecting else [first]
    for error in shown_errors:
        path, message = describe_validation_error(dict(error))
        message = f"line {number}: {message}" if ident is None else f"{message} (line {number})"
        if not problems.collecting:
            message = and_more(message, len(errors) - 1)
        problems.add(LoadError(message, file=shown, event=ident, field=path))


def parse_manifest(data: bytes, shown: str, problems: Problems | None = None) -> Manifest | None:
    """Validate the bytes of a ``timeline.yaml`` manifest (None only when ``problems`` collects its problems)."""
    problems = problems or RAISE
    parsed = parse_yaml(data, shown)
    if not isinstance(parsed, dict):
        problems.add(
            LoadError(f"a manifest holds a mapping (name, home_zone, ...), found {_kind_of(parsed)}", file=shown)
        )
        return None
    try:
        manifest = Manifest.model_validate(parsed)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        for error in telling(errors) if problems.collecting else [most_telling(errors)]:
            path, message = describe_validation_error(error, tagged=False)
            problems.add(LoadError(message, file=shown, field=path))
        return None
    try:
        known_zone(manifest.home_zone)
    except ValueError as error:
        problems.add(LoadError(str(error), file=shown, field="home_zone"))
        return None
    return manifest


def read_manifest(folder: Path) -> Manifest:
    """Read and validate a timeline folder's manifest."""
    manifest = read_manifest_collecting(folder, RAISE)
    assert manifest is not None  # problems are raised
    return manifest


def read_manifest_collecting(folder: Path, problems: Problems) -> Manifest | None:
    """:func:`read_manifest`, putting the manifest's problems in ``problems`` (None when they are collected)."""
    path = folder / MANIFEST_NAME
    if not folder.is_dir():
        raise LoadError("no such timeline folder", file=display_path(folder))
    if not os.path.lexists(path):  # a dangling link, a device or a folder is named for what it is when read
        raise LoadError(f"no {MANIFEST_NAME} manifest in the timeline folder", file=display_path(folder))
    shown = display_path(path)
    return parse_manifest(read_timeline_file(path, folder), shown, problems)


def event_files(folder: Path) -> list[Path]:
    """The event files of a timeline folder, in the order ties are broken.

    Anything named as an event file but a folder is one: a link to a device,
    a FIFO or a dangling link is refused when read, never skipped in silence.
    """
    return sorted(p for p in folder.iterdir() if p.suffix in EVENT_SUFFIXES and p.name != MANIFEST_NAME and not _dir(p))


def _dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def read_timeline_file(path: Path, folder: Path) -> bytes:
    """The bytes of a file of the timeline ``folder`` (its manifest or an event file), bounded by :func:`read_limit`.

    The file must be a regular file inside ``folder`` once links are
    resolved: a link leading out of it is refused without being opened, as
    a source document is (see :func:`~orgsim.io.reading.inside_folder`).
    """
    shown = display_path(path)
    inside = inside_folder(path, folder, shown, what=TIMELINE_FOLDER)
    return read_bounded(inside, shown, read_limit(path), follow_links=False)


def timeline_files(folder: Path) -> list[Path]:
    """Every file a timeline folder's load reads: its manifest first, then its event files in order."""
    return [folder / MANIFEST_NAME, *event_files(folder)]


def read_limit(path: Path) -> int:
    """The most bytes read from a timeline file (manifest, YAML or JSON Lines event file)."""
    if path.name == MANIFEST_NAME:
        return MAX_MANIFEST_BYTES
    return MAX_JSONL_BYTES if path.suffix == ".jsonl" else MAX_YAML_EVENTS_BYTES
