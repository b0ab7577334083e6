"""The compact event store: each validated event as a small immutable record.

Pydantic models are how events are read and checked, once, at load. Replay
then needs only their values, kept for a million events and read millions
of times, and a model is costly at both: it keeps its fields in a dict of
its own (with the object, about 550 bytes an event) and reads them slowly
(its ``__getattr__`` hook defeats the interpreter's attribute caches). A
record keeps the same values in slots (about 140 bytes) and reads them at
slot speed. So the loader turns each event into its record
as soon as it is validated, the engine replays records, and the
:class:`~orgsim.timeline.Timeline` turns records back into models
(:meth:`EventRecord.to_event`) where users see events.

There is one record class per event kind, generated from its model, so the
two cannot disagree: a record has its model's fields as attributes, with the
same values, plus ``fields_set`` (the fields the source gave, so a model
rebuilt from a record dumps exactly as the original did). Records are frozen
and compare by value.

>>> from orgsim.model.events import EVENT_ADAPTER
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
from collections.abc import Iterable
from datetime import datetime
from operator import attrgetter
from types import CodeType, FunctionType
from typing import Any, ClassVar

from orgsim.model.events import EVENT_TYPES, EventBase, Source
from orgsim.model.sharing import FrozenDict

_COMMON = (
    "id",
    "at",
    "precision",
    "zone",
    "summary",
    "sources",
    "stated_at",
    "reported_at",
    "caused_by",
    "rationale",
    "generated_by",
    "status",
    "fulfils",
)
"""The fields of :class:`~orgsim.model.events.EventBase`, in order: every record starts with them."""


class EventRecord:
    """The fields every event carries, as a record; see :data:`RECORD_TYPES` for each kind's own."""

    __slots__ = (*_COMMON, "fields_set")

    id: str
    at: datetime
    precision: str
    zone: str | None
    summary: str
    sources: tuple[Source, ...]
    stated_at: str | None
    reported_at: datetime | None
    caused_by: tuple[str, ...]
    rationale: str | None
    generated_by: str | None
    status: str
    fulfils: str | None
    fields_set: frozenset[str]
    """The fields the event's source gave explicitly (the model's ``model_fields_set``)."""

    type: ClassVar[str]
    """The event kind, as in the model's ``type`` field."""
    transition: ClassVar[str]
    """How replay applies it: its ``type``, or ``announced`` (recorded as pending) or ``fulfilment`` (applied, and
    its announcement no longer pending). A separate record class for each keeps the replay loop free of tests."""
    model: ClassVar[builtins.type[EventBase]]
    """The pydantic model of this kind."""
    field_names: ClassVar[tuple[str, ...]]
    """The model's fields in order, without ``type``: the record's fields, then ``fields_set``."""
    _values: ClassVar[attrgetter[Any]]
    """Every field's value in ``__init__`` order, as a tuple (not a method: call it with the record)."""

    def __init__(self, *values: Any) -> None:
        raise TypeError("EventRecord is abstract: build a kind's record (RECORD_TYPES[kind]) or call to_record()")

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"records are immutable: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"records are immutable: cannot delete {name!r}")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return bool(self._values(self) == other._values(other))

    def __hash__(self) -> int:
        return hash((self.type, self.id))

    def __reduce__(self) -> tuple[builtins.type[EventRecord], tuple[Any, ...]]:
        return type(self), self._values(self)

    def values(self) -> tuple[Any, ...]:
        """The event's field values in ``field_names`` order (``fields_set`` aside): equal for the same event."""
        return self._values(self)[:-1]  # type: ignore[no-any-return]

    def to_event(self) -> EventBase:
        """The event as a pydantic model of its own (built without validating again: the values were validated).

        It shares the record's values, all of them immutable (a vote's ``votes`` is a
        :class:`~orgsim.model.sharing.FrozenDict`), so nothing done to the model can change the record.
        """
        values = dict(zip(self.field_names, self._values(self), strict=False))
        return self.model.model_construct(set(self.fields_set), **values)

    def __repr__(self) -> str:
        return f"<{self.type} {self.id} at {self.at.isoformat()}>"


assert tuple(name for name in EventBase.model_fields if name != "type") == _COMMON, "EventRecord must mirror EventBase"


def _record_classes() -> dict[str, type[EventRecord]]:
    """One slotted subclass of :class:`EventRecord` per kind, each with a positional ``__init__``.

    The ``__init__`` functions are generated (as dataclasses and namedtuple
    do). Records are immutable, so they write their slots through the slot
    descriptors, past ``__setattr__``. Compiling one function per kind cost
    every command 3 ms at start, so one function is compiled per number of
    fields, and each kind's ``__init__`` is that function's code with the
    kind's field names and its own slot writers (see :func:`_initialiser`).
    """
    classes: dict[str, type[EventRecord]] = {}
    fields_of: dict[str, tuple[str, ...]] = {}
    for kind, model in EVENT_TYPES.items():
        own = tuple(name for name in model.model_fields if name not in EventBase.model_fields and name != "type")
        name = f"{model.__name__}Record"
        classes[kind] = builtins.type(
            name,
            (EventRecord,),
            {
                "__slots__": own,
                "__doc__": f"A validated ``{kind}`` event as a record (see :class:`EventRecord`).",
                "__module__": __name__,  # so pickle (orgsim.io.cache) finds the class
                "type": kind,
                "transition": kind,
                "model": model,
                "field_names": (*_COMMON, *own),
                "_values": attrgetter(*_COMMON, *own, "fields_set"),
            },
        )
        fields_of[kind] = (*_COMMON, *own, "fields_set")
    templates = _templates({len(fields) for fields in fields_of.values()})
    for kind, cls in classes.items():
        fields = fields_of[kind]
        writers = [(EventRecord if field in EventRecord.__slots__ else cls).__dict__[field].__set__ for field in fields]
        cls.__init__ = _initialiser(templates[len(fields)], cls, fields, writers)  # type: ignore[method-assign]
    return classes


def _templates(sizes: set[int]) -> dict[int, CodeType]:
    """For each number of fields, the code of an ``__init__`` that hands each argument to its slot writer."""
    source: list[str] = []
    for size in sorted(sizes):
        source.append(f"def _init_{size}(self, {', '.join(f'a{i}' for i in range(size))}):")
        source.extend(f"    _w{i}(self, a{i})" for i in range(size))
    namespace: dict[str, Any] = {}
    exec(compile("\n".join(source), __name__, "exec"), namespace)
    return {size: namespace[f"_init_{size}"].__code__ for size in sizes}


def _initialiser(code: CodeType, cls: type, fields: tuple[str, ...], writers: list[Any]) -> FunctionType:
    """``code`` as ``cls``'s ``__init__``: its arguments named as ``fields``, its writers those of ``cls``'s slots."""
    named = code.replace(co_varnames=("self", *fields), co_name="__init__", co_qualname=f"{cls.__name__}.__init__")
    writing = {f"_w{i}": writer for i, writer in enumerate(writers)}
    return FunctionType(named, {"__name__": __name__, **writing}, "__init__")


def _variants(classes: dict[str, type[EventRecord]], transition: str, prefix: str) -> dict[str, type[EventRecord]]:
    return {
        kind: builtins.type(
            f"{prefix}{cls.__name__}",
            (cls,),
            {"__slots__": (), "__module__": __name__, "transition": transition, "__doc__": cls.__doc__},
        )
        for kind, cls in classes.items()
    }


RECORD_TYPES: dict[str, type[EventRecord]] = _record_classes()
"""The record class of each event kind, by ``type``."""
ANNOUNCED_TYPES: dict[str, type[EventRecord]] = _variants(RECORD_TYPES, "announced", "Announced")
"""The record class of each kind's announced events (``status: announced``)."""
FULFILMENT_TYPES: dict[str, type[EventRecord]] = _variants(RECORD_TYPES, "fulfilment", "Fulfilling")
"""The record class of each kind's events that fulfil an announcement."""

globals().update(
    {cls.__name__: cls for table in (RECORD_TYPES, ANNOUNCED_TYPES, FULFILMENT_TYPES) for cls in table.values()}
)


def record_class(kind: str, status: str, fulfils: str | None) -> type[EventRecord]:
    """The record class for an event of ``kind`` with this ``status`` and ``fulfils``."""
    if status == "announced":
        return ANNOUNCED_TYPES[kind]
    return RECORD_TYPES[kind] if fulfils is None else FULFILMENT_TYPES[kind]


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
        for name, value in values.items():
            if type(value) is dict:  # a vote's votes: frozen, so that no model or record made from it can change
                values[name] = FrozenDict(value)
        given = values["sources"]
        if given:
            key = tuple((s.document, s.quote, s.translation, s.external) for s in given)
            values["sources"] = self._sources.setdefault(key, given)
        names = frozenset(event.model_fields_set)
        cls = RECORD_TYPES[kind] if values["status"] == "effective" and values["fulfils"] is None else None
        if cls is None:
            cls = record_class(kind, values["status"], values["fulfils"])
        return cls(*values.values(), self._field_sets.setdefault(names, names))

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
