"""Converting an event file between YAML and JSON Lines, dropping nothing.

The format follows each path's suffix: ``.yaml``/``.yml`` for a YAML list,
``.jsonl`` for JSON Lines (one event a line, the bulk format). The source is
read and validated like any event file; every event is written as
``model_dump(mode="json", exclude_defaults=True)``, which validates back to an
equal event, so a round trip gives the same events. The output is written to a
temporary file beside the target and moved into place, so a failed conversion
never leaves a half-written file.

>>> from pathlib import Path
>>> convert_timeline_file(Path("events/10-baseline.yaml"), Path("/tmp/baseline.jsonl"))  # doctest: +SKIP
42
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from orgsim.errors import LoadError, OutputError
from orgsim.io.files import read_event_file
from orgsim.io.output import write_bytes
from orgsim.io.problems import display_path
from orgsim.model.events import EventBase
from orgsim.model.records import EventRecord

YAML_SUFFIXES = (".yaml", ".yml")
JSONL_SUFFIX = ".jsonl"


def convert_timeline_file(src: Path, dst: Path) -> int:
    """Convert the event file ``src`` to ``dst`` (YAML or JSON Lines, by suffix); return the number of events.

    Raises :class:`~orgsim.errors.LoadError` when ``src`` is missing or
    invalid and :class:`~orgsim.errors.OutputError` when ``dst`` has an
    unknown suffix or cannot be written. Events keep their order.
    """
    src, dst = Path(src), Path(dst)
    for path, error in ((src, LoadError), (dst, OutputError)):
        if path.suffix not in (*YAML_SUFFIXES, JSONL_SUFFIX):
            raise error(
                f"unknown event file type {path.suffix or '(none)'!r} (use .yaml, .yml or .jsonl)",
                file=display_path(path),
            )
    if src.resolve() == dst.resolve():
        raise OutputError("source and destination are the same file", file=display_path(dst))
    events = read_event_file(src, require_sources=False)
    data = dump_events(events, jsonl=dst.suffix == JSONL_SUFFIX, header=f"Converted from {src.name} by orgsim convert.")
    write_bytes(dst, data)
    return len(events)


def dump_events(events: Sequence[EventBase | EventRecord], *, jsonl: bool, header: str | None = None) -> bytes:
    """Events (models or records) as the bytes of a JSON Lines or YAML event file."""
    records = [_plain(event) for event in events]
    if jsonl:
        encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
        return "".join([encode(record) + "\n" for record in records]).encode("utf-8")
    text = yaml.dump(records, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120) if records else "[]\n"
    if header:
        text = f"# {header}\n{text}"
    return text.encode("utf-8")


def _plain(event: EventBase | EventRecord) -> dict[str, Any]:
    """One event as plain data, ``type`` and ``id`` first (the way event files are written)."""
    model = event.to_event() if isinstance(event, EventRecord) else event
    data = model.model_dump(mode="json", exclude_unset=True)
    kind = data.pop("type", None) or type(model).model_fields["type"].default  # unset when built in Python
    first = {"id": data.pop("id"), "type": kind}
    return {**first, **data}


_Dumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
