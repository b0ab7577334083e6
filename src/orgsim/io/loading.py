"""Reading timelines from disk: manifest, YAML and JSON Lines event files, validated once.

Everything a user can get wrong in a file is caught here and reported as a
:class:`~orgsim.errors.LoadError` naming the file, the event and the field.
Files are read through :mod:`orgsim.io.reading` (regular files only, bounded
in size, YAML built defensively, duplicate keys refused). Nothing here is
quadratic: ids are checked with a dict, events sorted once (stable, so ties
keep file order), ``caused_by`` resolved by position.

JSON Lines is the bulk format: each line is validated straight from bytes by
pydantic's core (no intermediate dicts), with the cyclic garbage collector
paused when the caller asks for it (:func:`orgsim.bulk`). Each validated event becomes its compact
record (:mod:`orgsim.model.records`) at once, so a million-event file never holds
more than one pydantic model at a time; what the loader returns, and replay
runs on, are records.

Entry points that parse bytes already read (so that a caller can hash and
parse one single read of each file): :func:`parse_event_file`,
:func:`parse_manifest` and :func:`parse_folder`. :func:`check_folder` reports
every problem of a timeline folder instead of stopping at the first.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import IO, Any, TypeVar

from pydantic import BaseModel, ValidationError

from orgsim.errors import LoadError, OrgsimError
from orgsim.io.cache import MAX_CACHED_BYTES, CachedTimeline, cached_timeline
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
    printable,
    read_bounded,
    shorten,
)
from orgsim.model.events import (
    EVENT_ADAPTER,
    EVENT_LIST_ADAPTER,
    EVENT_TYPES,
    FIRST_YEAR,
    LAST_YEAR,
    EventBase,
    Source,
    known_zone,
)
from orgsim.model.knowledge import coverage_problem, covered, parts_changed
from orgsim.model.manifest import MANIFEST_NAME, Manifest
from orgsim.model.records import EventRecord, RecordMaker, to_record
from orgsim.times import resolve_instant

T = TypeVar("T")

EVENT_SUFFIXES = (".yaml", ".yml", ".jsonl")
"""File suffixes read as event files in a timeline folder."""

TIMELINE_FOLDER = "the timeline folder"
"""How errors name the folder a timeline's files must stay inside."""

MAX_PROBLEMS = 50
"""How many problems :func:`check_folder` (``orgsim validate``) reports at most."""


def bundled_timeline_path() -> Path:
    """The folder of the bundled OpenAI timeline (installed package or source checkout)."""
    packaged = resources.files("orgsim") / "bundled" / "events"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "events"


def bundled_scenarios_path() -> Path:
    """The folder of the bundled what-if scenarios."""
    packaged = resources.files("orgsim") / "bundled" / "scenarios"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "scenarios"


def display_path(path: Path) -> str:
    """``path`` relative to the working directory when under it, else absolute (control characters escaped)."""
    try:
        shown = os.path.relpath(path) if Path.cwd() in path.resolve().parents else str(path)
    except (ValueError, OSError):
        shown = str(path)
    return printable(shown)


def shown_file(folder: Path | None, name: str | None) -> str | None:
    """An event file named relative to its timeline folder, as an error shows it (a path the user can open)."""
    if name is None or folder is None:
        return name
    return display_path(folder / name)


def relocate(error: OrgsimError, folder: Path | None, names: Iterable[str] | None = None) -> OrgsimError:
    """Point ``error`` at an openable path when it names an event file relative to ``folder``.

    Replay names the file of a failing event from the timeline's origins,
    which are relative to the timeline folder; an error shown to the user
    joins them to the folder. ``names`` (default: any) limits which file
    names are taken as relative to ``folder``.
    """
    if error.file is not None and folder is not None and (names is None or error.file in names):
        error.file = shown_file(folder, error.file)
        error.args = (error.render(),)
    return error


@dataclass(frozen=True, slots=True)
class LoadedTimeline:
    """A timeline read and validated from disk, events in replay order."""

    folder: Path
    manifest: Manifest
    events: tuple[EventRecord, ...]
    origins: dict[str, str]
    """The file each event id came from, relative to the timeline folder (``30-2023-11-17-to-22.yaml``).

    These names are safe to put in shared output; errors join them to the
    folder (:func:`shown_file`) so that they name a path the user can open.
    """
    epochs: tuple[float, ...] | None = None
    """Each event's instant as a Unix timestamp (the sort key), aligned with ``events``."""

    def shown(self, event_id: str) -> str | None:
        """The file of an event as an error shows it: a path the user can open."""
        return shown_file(self.folder, self.origins.get(event_id))


class _Enough(Exception):
    """Raised by :class:`Problems` once it holds more problems than it reports."""


@dataclass
class Problems:
    """Where loading puts the problems it finds: the first is raised (the default), or up to ``limit`` are kept.

    With ``limit`` set, checks go on after a problem, so that one run reports
    every problem (``orgsim validate``); one past the limit stops the run and
    sets ``more``.
    """

    limit: int | None = None
    errors: list[OrgsimError] = field(default_factory=list)
    more: bool = False

    @property
    def collecting(self) -> bool:
        """Whether problems are kept rather than raised."""
        return self.limit is not None

    def add(self, error: OrgsimError) -> None:
        """Raise ``error`` or keep it; stop the run once past the limit."""
        if self.limit is None:
            raise error
        if len(self.errors) >= self.limit:
            self.more = True
            raise _Enough
        self.errors.append(error)

    def run(self, check: Callable[..., T], *args: Any) -> T | None:
        """``check(*args)`` (a check given these problems), or None when it stopped past the limit."""
        try:
            return check(*args)
        except _Enough:
            return None


_RAISE = Problems()


def describe_validation_error(error: Mapping[str, Any], tagged: bool = True) -> tuple[str | None, str]:
    """Turn one pydantic error into (field path, message) in the user's terms, each one printable line."""
    loc = [shorten(part) if isinstance(part, str) else str(part) for part in error["loc"]]
    kind = error["type"]
    if tagged and loc and loc[0] in EVENT_TYPES:
        loc = loc[1:]
    path = ".".join(loc) or None
    given = error.get("input")
    if kind == "extra_forbidden":
        model: type[BaseModel] | None = EVENT_TYPES.get(str(error["loc"][0])) if error["loc"] else None
        if model is not None and len(loc) >= 3 and loc[0] == "sources":
            model = Source  # a field of one of the event's sources: name the source's fields
        hint = ""
        if model is not None and loc:
            import difflib  # only an error needs it: not imported on the way to an answer

            close = difflib.get_close_matches(loc[-1], list(model.model_fields), n=1)
            hint = (
                f"; did you mean {close[0]!r}?"
                if close
                else f"; {_kind_name(model)} takes: " + ", ".join(name for name in model.model_fields if name != "type")
            )
        return path, f"unknown field (check its spelling{hint})"
    if kind == "missing":
        return path, "required field missing"
    if kind == "union_tag_invalid":
        known = ", ".join(sorted(EVENT_TYPES))
        tag = (error.get("ctx") or {}).get("tag", given)
        return "type", f"unknown event type {shorten(tag)!r} (known types: {known})"
    if kind == "union_tag_not_found":
        return "type", "missing 'type' (the event kind)"
    if kind == "rule_template":
        return path, printable(str(error["msg"]))
    if kind == "string_type" and given is None and loc and loc[-1] == "translation":
        return path, "required field missing (a translation of the quote, unless the source says language: en)"
    if kind in _BOUNDS and _year_bound((error.get("ctx") or {}).get(_BOUNDS[kind])):
        return path, f"outside the supported years {FIRST_YEAR}-{LAST_YEAR} (got {preview(given)})"
    message = printable(str(error["msg"]))
    if kind == "value_error":
        return path, message.removeprefix("Value error, ")
    if kind == "float_type" and isinstance(given, str) and _number_text(given):
        message += " (YAML reads 1e9 as text: write 1.0e+9 or 1000000000)"
    return path, f"{message} (got {preview(given)})"


def _kind_name(model: type[BaseModel]) -> str:
    kind = model.model_fields.get("type")
    return str(kind.default) if kind is not None else "a source"


_BOUNDS = {"greater_than_equal": "ge", "less_than": "lt", "less_than_equal": "le"}


def _year_bound(bound: Any) -> bool:
    """Whether a bound in a pydantic error is one of the supported years' (an instant's or a date's)."""
    text = bound.isoformat() if isinstance(bound, (datetime, date)) else str(bound)
    return text[:5] in (f"{FIRST_YEAR}-", f"{LAST_YEAR}-", f"{LAST_YEAR + 1}-")


def _number_text(text: str) -> bool:
    try:
        float(text[:100])
    except ValueError:
        return False
    return True


def most_telling(errors: Sequence[Mapping[str, Any]]) -> Mapping[str, Any]:
    """The error to show first: a typo shows up as an unknown field plus a missing one, and the
    unknown field explains both (pydantic's order of the two differs between versions)."""
    first = errors[0]
    return next((e for e in errors if e["type"] == "extra_forbidden" and e["loc"][:1] == first["loc"][:1]), first)


def _telling(errors: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Every error worth a line: a field reported missing next to a misspelling of it is left out."""
    import difflib

    unknown = [str(e["loc"][-1]) for e in errors if e["type"] == "extra_forbidden" and e["loc"]]
    return [
        e
        for e in errors
        if not (e["type"] == "missing" and e["loc"] and difflib.get_close_matches(str(e["loc"][-1]), unknown, n=1))
    ]


def _event_id(raw: Any) -> str | None:
    if isinstance(raw, dict):
        ident = raw.get("id")
        return shorten(ident) if isinstance(ident, (str, int)) and not isinstance(ident, bool) else None
    return None


def _and_more(message: str, others: int) -> str:
    return message + (f" (and {others} more problem{'s' if others > 1 else ''})" if others else "")


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
        ident = _event_id(raw_events[index])
        if ident is not None:
            bad_ids.add(ident)
        own = [dict(e, loc=e["loc"][1:]) for e in errors if e["loc"][:1] == (index,)]
        for error in _telling(own):
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
    ident = _event_id(raw_events[index]) if index is not None and index < len(raw_events) else None
    if ident is None and index is not None:
        message = f"event #{index + 1}: {message}"
    raise LoadError(_and_more(message, len(errors) - 1), file=shown, event=ident, field=path) from None


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
    problems = problems or _RAISE
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
    problems = problems or _RAISE
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
    ident = _event_id(raw)
    if ident is not None:
        bad_ids.add(ident)
    shown_errors = _telling(errors) if problems.collecting else [first]
    for error in shown_errors:
        path, message = describe_validation_error(dict(error))
        message = f"line {number}: {message}" if ident is None else f"{message} (line {number})"
        if not problems.collecting:
            message = _and_more(message, len(errors) - 1)
        problems.add(LoadError(message, file=shown, event=ident, field=path))


def parse_manifest(data: bytes, shown: str, problems: Problems | None = None) -> Manifest | None:
    """Validate the bytes of a ``timeline.yaml`` manifest (None only when ``problems`` collects its problems)."""
    problems = problems or _RAISE
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
        for error in _telling(errors) if problems.collecting else [most_telling(errors)]:
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
    manifest = _read_manifest(folder, _RAISE)
    assert manifest is not None  # problems are raised
    return manifest


def _read_manifest(folder: Path, problems: Problems) -> Manifest | None:
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


def order_events(
    batches: Iterable[tuple[str, Sequence[EventRecord]]], known: dict[str, str] | None = None
) -> tuple[list[EventRecord], dict[str, str]]:
    """Check ids and causes, then sort events by instant, ties in the given order.

    ``batches`` pairs a file name with its events. ``known`` maps ids already
    taken (by another source) to their file. Returns the sorted events and the
    file of each id.
    """
    ordered, origins, _ = order_events_with_epochs(batches, known)
    return ordered, origins


def order_events_with_epochs(
    batches: Iterable[tuple[str, Sequence[EventRecord]]],
    known: dict[str, str] | None = None,
    *,
    problems: Problems | None = None,
    folder: Path | None = None,
    bad_ids: set[str] | frozenset[str] = frozenset(),
    manifest: Manifest | None = None,
) -> tuple[list[EventRecord], dict[str, str], list[float]]:
    """Like :func:`order_events`, and also each ordered event's Unix timestamp (for replay).

    Errors name each file joined to ``folder`` when given (file names in
    ``batches`` are then relative to it). ``bad_ids`` are ids of events that
    failed validation: a ``caused_by`` naming one is not reported again.
    With the timeline's ``manifest``, the ends that events state are added
    (:func:`stated_ends`) and references between events are checked
    (:func:`check_references`).
    """
    problems = problems or _RAISE
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
    check_causes(ordered, origins, problems=problems, folder=folder, bad_ids=bad_ids)
    if manifest is not None:
        check_references(ordered, origins, manifest, problems=problems, folder=folder, bad_ids=bad_ids)
        check_coverage(ordered, epochs, origins, manifest, problems=problems, folder=folder)
    return ordered, origins, epochs


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
    problems = problems or _RAISE
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
    problems = problems or _RAISE
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
) -> None:
    """Every ``caused_by`` must name an event that comes earlier in replay order."""
    problems = problems or _RAISE
    position: dict[str, int] | None = None
    for index, event in enumerate(ordered):
        if not event.caused_by:
            continue
        if position is None:
            position = {e.id: i for i, e in enumerate(ordered)}
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


def load_folder(folder: Path | str, *, cache: bool = False) -> LoadedTimeline:
    """Read, validate and order a timeline folder (no replay yet).

    With ``cache``, an unchanged small timeline comes back from
    :mod:`orgsim.io.cache` instead of being validated again: each file is
    read once, and those same bytes are both hashed for the cache's key and
    parsed. Errors are always found by a real load, since only timelines that
    loaded cleanly are cached.
    """
    root = _timeline_root(folder)
    if not cache:
        return _load_folder(root)
    files = timeline_files(root)
    try:
        small = sum(path.stat().st_size for path in files) <= MAX_CACHED_BYTES
    except OSError:
        small = False
    if not small:
        return _load_folder(root)  # large timelines stream through JSON Lines; errors say what is wrong
    contents = [(path.relative_to(root).as_posix(), read_timeline_file(path, root)) for path in files]

    def build() -> CachedTimeline:
        loaded = parse_folder(root, contents[0][1], contents[1:])
        return CachedTimeline(loaded.manifest, loaded.events, dict(loaded.origins), loaded.epochs or ())

    entry = cached_timeline(contents, "", build)
    return LoadedTimeline(root, entry.manifest, entry.events, dict(entry.origins), entry.epochs)


def _timeline_root(folder: Path | str) -> Path:
    root = Path(folder)
    if root.is_file():
        raise LoadError(
            "a timeline is a folder (a timeline.yaml manifest beside event files), not a file",
            file=display_path(root),
        )
    if not root.is_dir():
        raise LoadError("no such timeline folder", file=display_path(root))
    return root


def _load_folder(root: Path) -> LoadedTimeline:
    manifest = read_manifest(root)
    maker = RecordMaker()
    batches = [
        (path.relative_to(root).as_posix(), read_event_file(path, maker=maker, shown=display_path(path), folder=root))
        for path in event_files(root)
    ]
    ordered, origins, epochs = order_events_with_epochs(batches, folder=root, manifest=manifest)
    return LoadedTimeline(root, manifest, tuple(ordered), origins, tuple(epochs))


def parse_folder(root: Path, manifest: bytes, files: Sequence[tuple[str, bytes]]) -> LoadedTimeline:
    """A timeline from the bytes of its files, already read: the manifest's, and each event file's by name.

    Names are relative to ``root`` (``30-2023-11-17-to-22.yaml``), in the
    order ties are broken (:func:`event_files`); errors name each file under
    ``root`` as the user sees it. Together with :func:`timeline_files`,
    :func:`read_limit` and :func:`orgsim.io.reading.read_bounded`, this lets a
    caller hash and parse one single read of each file.
    """
    parsed = parse_manifest(manifest, display_path(root / MANIFEST_NAME))
    assert parsed is not None  # problems are raised
    maker = RecordMaker()
    batches = [(name, parse_event_file(data, display_path(root / name), maker=maker)) for name, data in files]
    ordered, origins, epochs = order_events_with_epochs(batches, folder=root, manifest=parsed)
    return LoadedTimeline(root, parsed, tuple(ordered), origins, tuple(epochs))


@dataclass(frozen=True)
class Checked:
    """What :func:`check_folder` read: the timeline when it loaded cleanly, and every event that validated."""

    folder: Path
    loaded: LoadedTimeline | None
    """The timeline, when it loaded without a problem."""
    events: tuple[EventRecord, ...]
    """Every event that validated (all of them when ``loaded`` is set), in replay order."""
    origins: Mapping[str, str]
    """The file of each of ``events``, relative to ``folder``."""


def check_folder(folder: Path | str, problems: Problems) -> Checked:
    """Read a timeline folder putting every problem in ``problems`` (which collects them), not only the first.

    Every schema error of every event in every file, a file that cannot be
    read, each duplicate id and each ``caused_by`` naming no earlier event is
    one problem (one line). :class:`Problems` stops the run once past its
    limit (``problems.more`` is then set).
    """
    root = _timeline_root(folder)
    try:
        loaded = load_folder(root)
        return Checked(root, loaded, loaded.events, loaded.origins)
    except OrgsimError:
        pass  # look again, collecting every problem
    events: list[EventRecord] = []
    origins: dict[str, str] = {}
    try:
        manifest = None
        try:
            manifest = _read_manifest(root, problems)
        except _Enough:
            raise
        except OrgsimError as error:
            problems.add(error)
        maker = RecordMaker()
        bad_ids: set[str] = set()
        batches = []
        for path in event_files(root):
            shown = display_path(path)
            try:
                records = read_event_file(
                    path, maker=maker, shown=shown, problems=problems, bad_ids=bad_ids, folder=root
                )
            except _Enough:
                raise
            except OrgsimError as error:
                problems.add(error)
                continue
            batches.append((path.relative_to(root).as_posix(), records))
        ordered, origins, _ = order_events_with_epochs(
            batches, problems=problems, folder=root, bad_ids=bad_ids, manifest=manifest
        )
        events = ordered
    except _Enough:
        pass
    return Checked(root, None, tuple(events), origins)
