"""Reading timelines from disk: manifest, YAML and JSON Lines event files, validated once.

Everything a user can get wrong in a file is caught here and reported as a
:class:`~orgsim.errors.LoadError` naming the file, the event and the field.
Nothing here is quadratic: ids are checked with a dict, events sorted once
(stable, so ties keep file order), ``caused_by`` resolved by position.

JSON Lines is the bulk format: each line is validated straight from bytes by
pydantic's core (no intermediate dicts), with the cyclic garbage collector
paused when the caller asks for it (:func:`orgsim.bulk`). Each validated event becomes its compact
record (:mod:`orgsim.model.records`) at once, so a million-event file never holds
more than one pydantic model at a time; what the loader returns, and replay
runs on, are records.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from orgsim.errors import LoadError
from orgsim.io.cache import cached
from orgsim.model.events import EVENT_ADAPTER, EVENT_LIST_ADAPTER, EVENT_TYPES, EventBase
from orgsim.model.manifest import MANIFEST_NAME, Manifest
from orgsim.model.records import EventRecord, RecordMaker
from orgsim.times import zone

EVENT_SUFFIXES = (".yaml", ".yml", ".jsonl")
"""File suffixes read as event files in a timeline folder."""


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
    """``path`` relative to the working directory when under it, else absolute."""
    try:
        return os.path.relpath(path) if Path.cwd() in path.resolve().parents else str(path)
    except ValueError:
        return str(path)


@dataclass(frozen=True, slots=True)
class LoadedTimeline:
    """A timeline read and validated from disk, events in replay order."""

    folder: Path
    manifest: Manifest
    events: tuple[EventRecord, ...]
    origins: dict[str, str]
    """The file each event id came from (as shown to users)."""
    epochs: tuple[float, ...] | None = None
    """Each event's instant as a Unix timestamp (the sort key), aligned with ``events``."""


def read_yaml(path: Path) -> Any:
    """Parse a YAML file with ``safe_load`` semantics; errors name the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LoadError("no such file", file=display_path(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise LoadError(f"cannot read: {exc}", file=display_path(path)) from None
    import yaml  # only YAML files need it: a cached or JSON Lines load does not

    try:
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise LoadError(f"{where}malformed YAML: {problem}", file=display_path(path)) from None


def describe_validation_error(error: Mapping[str, Any], tagged: bool = True) -> tuple[str | None, str]:
    """Turn one pydantic error into (field path, message) in the user's terms."""
    loc = [str(part) for part in error["loc"]]
    kind = error["type"]
    if tagged and loc and loc[0] in EVENT_TYPES:
        loc = loc[1:]
    field = ".".join(loc) or None
    given = error.get("input")
    if kind == "extra_forbidden":
        model = EVENT_TYPES.get(str(error["loc"][0])) if error["loc"] else None
        hint = ""
        if model is not None and loc:
            import difflib  # only an error needs it: not imported on the way to an answer

            close = difflib.get_close_matches(loc[-1], list(model.model_fields), n=1)
            hint = (
                f"; did you mean {close[0]!r}?"
                if close
                else f"; {model.model_fields['type'].default} takes: "
                + ", ".join(name for name in model.model_fields if name != "type")
            )
        return field, f"unknown field (check its spelling{hint})"
    if kind == "missing":
        return field, "required field missing"
    if kind == "union_tag_invalid":
        known = ", ".join(sorted(EVENT_TYPES))
        tag = (error.get("ctx") or {}).get("tag", given)
        return "type", f"unknown event type {tag!r} (known types: {known})"
    if kind == "union_tag_not_found":
        return "type", "missing 'type' (the event kind)"
    if kind == "rule_template":
        return field, str(error["msg"])
    shown = repr(given)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return field, f"{error['msg']} (got {shown})"


def _event_id(raw: Any) -> str | None:
    if isinstance(raw, dict):
        ident = raw.get("id")
        return str(ident) if ident is not None else None
    return None


def _validate(raw_events: list[Any], file: str, position: Any = None) -> list[EventBase]:
    try:
        return EVENT_LIST_ADAPTER.validate_python(raw_events)  # type: ignore[return-value]
    except ValidationError as exc:
        _raise_first(exc, raw_events, file)
        raise  # unreachable


def _raise_first(
    exc: ValidationError, raw_events: Sequence[Any], file: str, lines: Sequence[int] | None = None
) -> None:
    errors = exc.errors(include_url=False)
    first = most_telling(errors)
    index = first["loc"][0] if first["loc"] and isinstance(first["loc"][0], int) else None
    detail = dict(first, loc=first["loc"][1:]) if index is not None else first
    field, message = describe_validation_error(detail)
    ident = _event_id(raw_events[index]) if index is not None and index < len(raw_events) else None
    where = f"event #{index + 1}" if index is not None else None
    if lines is not None and index is not None:
        where = f"line {lines[index]}"
    if ident is None and where:
        message = f"{where}: {message}"
    elif where and lines is not None:
        message = f"{message} ({where})"
    others = len(errors) - 1
    if others:
        message += f" (and {others} more problem{'s' if others > 1 else ''})"
    raise LoadError(message, file=file, event=ident, field=field) from None


def read_event_file(path: Path, require_sources: bool = True, maker: RecordMaker | None = None) -> list[EventRecord]:
    """Read and validate one event file (a YAML list or JSON Lines) into records.

    ``maker`` lets the files of one timeline share equal values (see
    :class:`~orgsim.model.records.RecordMaker`).
    """
    shown = display_path(path)
    maker = maker or RecordMaker()
    if path.suffix == ".jsonl":
        records = _read_jsonl(path, shown, maker)
    else:
        data = read_yaml(path)
        if data is None:
            return []
        if not isinstance(data, list):
            raise LoadError(f"expected a list of events, found {type(data).__name__}", file=shown)
        records = maker.records(_validate(data, shown))
    if require_sources:
        for record in records:
            if not record.sources:
                raise LoadError("at least one source is required", file=shown, event=record.id, field="sources")
    return records


def _read_jsonl(path: Path, shown: str, maker: RecordMaker) -> list[EventRecord]:
    """Validate each non-blank line from bytes, streaming the file; an error names its line.

    Each event becomes its record at once, so only one model is alive at a time.
    """
    validate, record = EVENT_ADAPTER.validate_json, maker.record
    records: list[EventRecord] = []
    add = records.append
    number, line = 0, b""
    try:
        with path.open("rb") as stream:
            for number, line in enumerate(stream, 1):  # noqa: B007 - number and line name the failing line
                if not line.isspace():
                    add(record(validate(line)))
    except FileNotFoundError:
        raise LoadError("no such file", file=shown) from None
    except OSError as exc:
        raise LoadError(f"cannot read: {exc}", file=shown) from None
    except ValidationError as exc:
        _raise_jsonl(exc, line, number, shown)
    return records


def most_telling(errors: Sequence[Mapping[str, Any]]) -> Mapping[str, Any]:
    """The error to show first: a typo shows up as an unknown field plus a missing one, and the
    unknown field explains both (pydantic's order of the two differs between versions)."""
    first = errors[0]
    return next((e for e in errors if e["type"] == "extra_forbidden" and e["loc"][:1] == first["loc"][:1]), first)


def _raise_jsonl(exc: ValidationError, line: bytes, number: int, shown: str) -> None:
    first = most_telling(exc.errors(include_url=False))
    if first["type"] == "json_invalid":
        raise LoadError(f"line {number}: malformed JSON", file=shown) from None
    try:
        import json  # only an error needs it

        raw = json.loads(line)
    except ValueError:
        raw = None
    field, message = describe_validation_error(dict(first))
    ident = _event_id(raw)
    message = f"line {number}: {message}" if ident is None else f"{message} (line {number})"
    others = len(exc.errors(include_url=False)) - 1
    if others:
        message += f" (and {others} more problem{'s' if others > 1 else ''})"
    raise LoadError(message, file=shown, event=ident, field=field) from None


def read_manifest(folder: Path) -> Manifest:
    """Read and validate a timeline folder's manifest."""
    path = folder / MANIFEST_NAME
    shown = display_path(path)
    if not folder.is_dir():
        raise LoadError("no such timeline folder", file=display_path(folder))
    if not path.is_file():
        raise LoadError(f"no {MANIFEST_NAME} manifest in the timeline folder", file=display_path(folder))
    data = read_yaml(path)
    try:
        manifest = Manifest.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        field, message = describe_validation_error(first, tagged=False)
        raise LoadError(message, file=shown, field=field) from None
    try:
        zone(manifest.home_zone)
    except LoadError:
        raise
    except Exception as exc:  # TimeInputError: re-anchor it on the manifest's field
        raise LoadError(f"unknown time zone {manifest.home_zone!r}", file=shown, field="home_zone") from exc
    return manifest


def event_files(folder: Path) -> list[Path]:
    """The event files of a timeline folder, in the order ties are broken."""
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in EVENT_SUFFIXES and p.name != MANIFEST_NAME)


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
    batches: Iterable[tuple[str, Sequence[EventRecord]]], known: dict[str, str] | None = None
) -> tuple[list[EventRecord], dict[str, str], list[float]]:
    """Like :func:`order_events`, and also each ordered event's Unix timestamp (for replay)."""
    batches = list(batches)
    origins: dict[str, str] = dict(known or {})
    flat: list[EventRecord] = []
    for number, (file, events) in enumerate(batches):
        before = len(origins)
        origins.update(dict.fromkeys([event.id for event in events], file))
        if len(origins) != before + len(events):
            _raise_duplicate(batches[: number + 1], known or {})
        flat.extend(events)
    epochs = [event.at.timestamp() for event in flat]
    if all(a <= b for a, b in pairwise(epochs)):
        ordered = flat  # already in order (the usual case for one generated or converted file)
    else:
        order = sorted(range(len(flat)), key=epochs.__getitem__)
        ordered = [flat[i] for i in order]
        epochs = [epochs[i] for i in order]
    check_causes(ordered, origins)
    return ordered, origins, epochs


def _raise_duplicate(batches: Sequence[tuple[str, Sequence[EventRecord]]], known: dict[str, str]) -> None:
    """Name the first id defined twice (the slow path, taken only when there is one)."""
    first_file: dict[str, str] = dict(known)
    for file, events in batches:
        for event in events:
            first = first_file.get(event.id)
            if first is not None:
                raise LoadError(f"duplicate event id (first defined in {first})", file=file, event=event.id, field="id")
            first_file[event.id] = file


def check_causes(ordered: Sequence[EventRecord], origins: dict[str, str]) -> None:
    """Every ``caused_by`` must name an event that comes earlier in replay order."""
    position: dict[str, int] | None = None
    for index, event in enumerate(ordered):
        if not event.caused_by:
            continue
        if position is None:
            position = {e.id: i for i, e in enumerate(ordered)}
        for cause in event.caused_by:
            where = position.get(cause)
            if where is None:
                raise LoadError(
                    f"caused_by names no event: {cause!r}",
                    file=origins.get(event.id),
                    event=event.id,
                    field="caused_by",
                )
            if where >= index:
                raise LoadError(
                    f"caused_by {cause!r} does not come before this event in replay order",
                    file=origins.get(event.id),
                    event=event.id,
                    field="caused_by",
                )


def load_folder(folder: Path | str) -> LoadedTimeline:
    """Read, validate and order a timeline folder (no replay yet).

    An unchanged small timeline comes back from :mod:`orgsim.io.cache` instead of
    being validated again; errors are always found by a real load, since only
    timelines that loaded cleanly are cached.
    """
    root = Path(folder)
    if root.is_file():
        raise LoadError(
            "a timeline is a folder (a timeline.yaml manifest beside event files), not a file",
            file=display_path(root),
        )
    if not root.is_dir():
        raise LoadError("no such timeline folder", file=display_path(root))
    files = [root / MANIFEST_NAME, *event_files(root)]
    return cached(files, lambda: _load_folder(root))


def _load_folder(root: Path) -> LoadedTimeline:
    manifest = read_manifest(root)
    maker = RecordMaker()
    batches = [(display_path(path), read_event_file(path, maker=maker)) for path in event_files(root)]
    ordered, origins, epochs = order_events_with_epochs(batches)
    return LoadedTimeline(root, manifest, tuple(ordered), origins, tuple(epochs))
