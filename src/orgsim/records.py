"""The compact event store: each validated event as a small immutable record.

Pydantic models are how events are read and checked, once, at load. Replay
then needs only their values, read millions of times, and a model is costly
at both: it keeps its fields in a dict of its own (about 600 bytes an event)
and reads them slowly (its ``__getattr__`` hook defeats the interpreter's
attribute caches). A record keeps the same values in slots (about 140 bytes)
and reads them at slot speed. So the loader turns each event into its record
as soon as it is validated, the engine replays records, and the
:class:`~orgsim.timeline.Timeline` turns records back into models
(:meth:`EventRecord.to_event`) where users see events.

There is one record class per event kind, generated from its model, so the
two cannot disagree: a record has its model's fields as attributes, with the
same values, plus ``fields_set`` (the fields the source gave, so a model
rebuilt from a record dumps exactly as the original did). Records are frozen
and compare by value.

>>> from orgsim.events import EVENT_ADAPTER
>>> event = EVENT_ADAPTER.validate_python({
...     "type": "office_assigned", "id": "cto-named", "at": "2023-01-01T09:00-08:00",
...     "precision": "day", "summary": "Ada becomes CTO.", "office": "cto", "person": "ada"})
>>> record = to_record(event)
>>> record.type, record.office, record.person, record.interim
('office_assigned', 'cto', 'ada', False)
>>> record.to_event() == event
True
"""

from __future__ import annotations

import builtins
import dataclasses
from collections.abc import Iterable
from datetime import datetime
from typing import Any, ClassVar

from orgsim.events import EVENT_TYPES, EventBase, Source


@dataclasses.dataclass(frozen=True, slots=True)
class EventRecord:
    """The fields every event carries, as a record; see :data:`RECORD_TYPES` for each kind's own."""

    id: str
    at: datetime
    precision: str
    summary: str
    sources: tuple[Source, ...]
    stated_at: str | None
    reported_at: datetime | None
    caused_by: tuple[str, ...]
    rationale: str | None
    generated_by: str | None
    fields_set: frozenset[str]
    """The fields the event's source gave explicitly (the model's ``model_fields_set``)."""

    type: ClassVar[str]
    """The event kind, as in the model's ``type`` field."""
    model: ClassVar[builtins.type[EventBase]]
    """The pydantic model of this kind."""
    field_names: ClassVar[tuple[str, ...]]
    """The model's fields in order, without ``type``: the record's fields before ``fields_set``."""

    def to_event(self) -> EventBase:
        """The event as its pydantic model (built without validating again: the values were validated)."""
        values = {name: getattr(self, name) for name in self.field_names}
        return self.model.model_construct(set(self.fields_set), **values)

    def __repr__(self) -> str:
        return f"<{self.type} {self.id} at {self.at.isoformat()}>"


_COMMON = tuple(field.name for field in dataclasses.fields(EventRecord) if field.name != "fields_set")
assert tuple(name for name in EventBase.model_fields if name != "type") == _COMMON, "EventRecord must mirror EventBase"


def _record_class(kind: str, model: type[EventBase]) -> type[EventRecord]:
    own = [name for name in model.model_fields if name not in EventBase.model_fields and name != "type"]
    name = f"{model.__name__}Record"
    cls: type[EventRecord] = dataclasses.make_dataclass(
        name,
        [(field, Any) for field in own],
        bases=(EventRecord,),
        namespace={"__doc__": f"A validated ``{kind}`` event as a record (see :class:`EventRecord`)."},
        frozen=True,
        slots=True,
        repr=False,
    )
    cls.__module__ = __name__  # so pickle (orgsim.cache) finds the class
    cls.type = kind
    cls.model = model
    cls.field_names = (*_COMMON, *own)
    return cls


RECORD_TYPES: dict[str, type[EventRecord]] = {kind: _record_class(kind, model) for kind, model in EVENT_TYPES.items()}
"""The record class of each event kind, by ``type``."""

globals().update({cls.__name__: cls for cls in RECORD_TYPES.values()})


class RecordMaker:
    """Turns validated events into records, letting equal values share one object.

    Events with equal sources share one sources tuple, and events that gave
    the same fields one ``fields_set``: on generated timelines, where most
    events cite one of a few sources, that saves about a kilobyte an event.
    One maker serves one load, so sharing spans every file of a timeline.
    """

    __slots__ = ("_field_sets", "_sources")

    def __init__(self) -> None:
        self._sources: dict[tuple[tuple[str, str, str, bool], ...], tuple[Source, ...]] = {}
        self._field_sets: dict[frozenset[str], frozenset[str]] = {}

    def record(self, event: EventBase) -> EventRecord:
        """The record of one validated event."""
        values = dict(event.__dict__)  # pydantic keeps a model's field values in its __dict__, in field order
        kind = values.pop("type")
        given = values["sources"]
        if given:
            key = tuple((s.document, s.quote, s.translation, s.external) for s in given)
            values["sources"] = self._sources.setdefault(key, given)
        names = frozenset(event.model_fields_set)
        return RECORD_TYPES[kind](**values, fields_set=self._field_sets.setdefault(names, names))

    def records(self, events: Iterable[EventBase]) -> list[EventRecord]:
        """The records of many validated events, in order."""
        return [self.record(event) for event in events]


def to_record(event: EventBase | EventRecord) -> EventRecord:
    """The record of one event (a record is returned as it is)."""
    if isinstance(event, EventRecord):
        return event
    return RecordMaker().record(event)


def to_records(events: Iterable[EventBase | EventRecord]) -> list[EventRecord]:
    """The records of events given as models or records, in order, sharing equal values."""
    maker = RecordMaker()
    return [event if isinstance(event, EventRecord) else maker.record(event) for event in events]
