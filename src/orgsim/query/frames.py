"""pandas frames of a timeline: its events, its tenures, and one path's value on a regular grid.

pandas is an optional extra (``pip install "orgsim[pandas]"``): it is
imported inside each function, so that ``import orgsim`` and the command
line never load it. Every instant is tz-aware, in one zone (the timeline's
home zone unless another is asked for), whatever offset the event files
wrote.

>>> import orgsim
>>> timeline = orgsim.load_timeline("tests/fixtures/acme")
>>> frame = events_frame(timeline, "UTC")
>>> frame.loc[0, ["id", "type"]].tolist(), str(frame["at"].dt.tz)
(['2020-01-01-ada-founds-acme', 'person_joined'], 'UTC')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta, timezone
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from orgsim.errors import LoadError, OutputError, TimeInputError
from orgsim.model.paths import state_field_problem, value_at
from orgsim.model.records import EventRecord
from orgsim.times import zone

if TYPE_CHECKING:
    import pandas as pd

    from orgsim.query.history import Tenure
    from orgsim.query.world import ReplayedWorld

MAX_GRID = 1_000_000
"""The most instants :func:`path_series` evaluates (a finer grid is refused: say a coarser ``freq``)."""

EVENT_COLUMNS = (
    "id",
    "type",
    "at",
    "precision",
    "zone",
    "reported_at",
    "status",
    "summary",
    "person",
    "office",
    "interim",
    "count",
    "qualifier",
    "people",
    "caused_by",
    "generated_by",
    "file",
    "document",
    "quote",
    "sources",
)
"""The columns of :func:`events_frame`, in order."""

TENURE_COLUMNS = (
    "kind",
    "key",
    "person",
    "name",
    "interim",
    "role",
    "representing",
    "start",
    "start_precision",
    "start_event",
    "start_why_unknown",
    "end",
    "end_precision",
    "end_event",
    "end_ongoing",
    "end_why_unknown",
    "duration",
    "shortest",
    "longest",
)
"""The columns of :func:`tenures_frame`, in order (the CSV's, with instants and durations typed, less the words)."""


PANDAS_MISSING = "pandas frames need pandas: pip install 'orgsim[pandas]'"
"""What a frame says when pandas is not installed (one line, as every orgsim error)."""


def require_pandas() -> None:
    """Raise :class:`~orgsim.errors.OutputError` with :data:`PANDAS_MISSING` unless pandas can be imported."""
    try:
        import pandas  # noqa: F401
    except ImportError:
        raise OutputError(PANDAS_MISSING) from None


def pandas_zone(tz: str) -> str | timezone:
    """The zone ``tz`` as pandas takes it: an IANA name, or a fixed offset as a :class:`datetime.timezone`."""
    found = zone(tz)
    if isinstance(found.name, str) and "/" not in found.name and found.name[:1] in "+-":
        return timezone(timedelta(seconds=found.utcoffset(None).total_seconds()))  # type: ignore[union-attr]
    return str(found.name)


def _instants(epochs: Sequence[float | None], tz: str) -> pd.DatetimeIndex:
    """Unix timestamps (None: missing) as tz-aware instants in ``tz``, to the microsecond."""
    import numpy as np
    import pandas as pd

    values = np.array([np.nan if e is None else e for e in epochs], dtype="float64")
    missing = np.isnan(values)
    micros = np.where(missing, 0, np.round(values * 1e6)).astype("int64")
    index = pd.to_datetime(micros, unit="us", utc=True)
    if missing.any():
        index = pd.DatetimeIndex(index.where(~missing))  # missing instants become NaT
    return index.tz_convert(pandas_zone(tz))


_SINGLE = ("person", "replaces", "to", "placeholder")
_MANY = ("signatories", "hires", "releases", "people", "interested")
# The fields orgsim.model.events.people_named reads, in its order (tests pin that the two agree).


def _people(cls: type[EventRecord], records: Sequence[EventRecord]) -> list[tuple[str, ...]]:
    """:func:`orgsim.model.events.people_named` of each record of one class, each person once: only the fields
    the class has are read."""
    fields = set(cls.field_names)
    single = [name for name in _SINGLE if name in fields]
    many = [name for name in _MANY if name in fields]
    votes = "votes" in fields
    if not single and not many and not votes:
        return [()] * len(records)
    if len(single) == 1 and not many and not votes:
        return [() if value is None else (value,) for value in map(attrgetter(single[0]), records)]
    if len(many) == 1 and not single and not votes:
        return list(map(attrgetter(many[0]), records))

    def named(record: EventRecord) -> tuple[str, ...]:
        found: list[str] = []
        for name in single:
            value = getattr(record, name)
            if isinstance(value, str):
                found.append(value)
        for name in many:
            found.extend(getattr(record, name))
        if votes:
            found.extend(record.votes)  # type: ignore[attr-defined]
        return tuple(dict.fromkeys(found))  # a voter also named as interested is one person

    return list(map(named, records))


def _by_class(records: Sequence[EventRecord]) -> tuple[dict[type[EventRecord], tuple[Any, Any]], Any]:
    """The records of each class with their positions (an index array), and each record's event type as a
    categorical (a record's class fixes its type: nothing to compare a million times)."""
    import numpy as np
    import pandas as pd

    kinds: list[type[EventRecord]] = list(map(type, records))
    codes = {cls: number for number, cls in enumerate(dict.fromkeys(kinds))}
    coded = np.fromiter(map(codes.__getitem__, kinds), dtype=np.int32, count=len(kinds))
    every = _objects(records)
    groups: dict[type[EventRecord], tuple[Any, Any]] = {}
    for cls, number in codes.items():
        positions = np.flatnonzero(coded == number)
        groups[cls] = (positions, every[positions])
    names = sorted({cls.type for cls in codes})
    position = {name: index for index, name in enumerate(names)}
    to_name = np.array([position[cls.type] for cls in codes], dtype=np.int32)
    types = pd.Categorical.from_codes(to_name[coded] if len(coded) else coded, categories=pd.Index(names))
    return groups, types


def _objects(values: Sequence[Any]) -> Any:
    """``values`` as a one-dimensional object array, tuples kept whole (numpy would make rows of them)."""
    import numpy as np

    return np.fromiter(values, dtype=object, count=len(values))


def _own_field(groups: dict[type[EventRecord], tuple[Any, Any]], size: int, name: str) -> Any:
    """Each record's ``name`` field as an object array, None for a record whose kind has no such field."""
    import numpy as np

    values = np.full(size, None, dtype=object)
    getter = attrgetter(name)
    for cls, (positions, records) in groups.items():
        if name in cls.field_names:
            values[positions] = list(map(getter, records))
    return values


def _first_sources(sources: Any) -> tuple[Any, Any]:
    """The first source's document (a categorical) and quote of each event, each distinct sources tuple read once
    (equal sources share one tuple: most events of a large timeline cite one of a few)."""
    import numpy as np
    import pandas as pd

    codes, _ = pd.factorize(np.fromiter(map(id, sources), dtype=np.uint64, count=len(sources)))
    _, first = np.unique(codes, return_index=True)
    firsts = [sources[i][0] if sources[i] else None for i in first]
    documents = [None if f is None else f.document for f in firsts]
    names = sorted({d for d in documents if d is not None})
    number = {name: index for index, name in enumerate(names)}
    to_name = np.array([-1 if d is None else number[d] for d in documents], dtype=np.int64)
    quotes = np.array([None if f is None else f.quote for f in firsts], dtype=object)
    document = pd.Categorical.from_codes(to_name[codes] if len(codes) else codes, categories=pd.Index(names))
    return document, pd.array(quotes[codes] if len(codes) else quotes[:0], dtype="string")


def events_frame(
    timeline: ReplayedWorld, tz: str, origins: Mapping[str, str] | None = None, name: str | None = None
) -> pd.DataFrame:
    """One row per event that happened, in replay order, with typed columns (see :data:`EVENT_COLUMNS`).

    ``at`` and ``reported_at`` (when the public could first know; ``at``
    when the source gives no other) are tz-aware in ``tz``; ``people`` is
    the tuple of person ids the event names, ``caused_by`` the tuple of its
    causes, ``sources`` the tuple of its :class:`~orgsim.model.events.Source`
    values (``document`` and ``quote`` repeat the first one's); ``person``,
    ``office``, ``interim``, ``count`` and ``qualifier`` are the kind's own
    fields where it has them, missing where not.
    """
    require_pandas()
    import numpy as np
    import pandas as pd

    replay = timeline.replay
    records = replay.applied
    size = len(records)
    groups, types = _by_class(records)
    ids = list(map(attrgetter("id"), records))
    at = _instants(list(replay.times), tz)
    reported = _instants([None if r is None else r.timestamp() for r in map(attrgetter("reported_at"), records)], tz)
    reported = reported.where(~np.asarray(reported.isna()), at)
    people = np.empty(size, dtype=object)
    for cls, (positions, members) in groups.items():
        people[positions] = _objects(_people(cls, members))
    sources = _objects(list(map(attrgetter("sources"), records)))
    document, quote = _first_sources(sources)
    files = dict(origins or {})  # a plain dict: a mapping proxy or a chain of maps is slower to ask a million times
    data: dict[str, Any] = {
        "id": pd.array(ids, dtype="string"),
        "type": types,
        "at": at.array,
        "precision": pd.Categorical(list(map(attrgetter("precision"), records))),
        "zone": pd.Categorical(list(map(attrgetter("zone"), records))),
        "reported_at": reported.array,
        "status": pd.Categorical(list(map(attrgetter("status"), records))),
        "summary": pd.array(list(map(attrgetter("summary"), records)), dtype="string"),
        "person": pd.array(_own_field(groups, size, "person"), dtype="string"),
        "office": pd.Categorical(_own_field(groups, size, "office")),
        "interim": pd.array(_own_field(groups, size, "interim"), dtype="boolean"),
        "count": pd.array(_own_field(groups, size, "count"), dtype="Int64"),
        "qualifier": pd.Categorical(_own_field(groups, size, "qualifier")),
        "people": people,
        "caused_by": _objects(list(map(attrgetter("caused_by"), records))),
        "generated_by": pd.array(list(map(attrgetter("generated_by"), records)), dtype="string"),
        "file": pd.Categorical(list(map(files.get, ids))),
        "document": document,
        "quote": quote,
        "sources": sources,
    }
    frame = pd.DataFrame(data, columns=list(EVENT_COLUMNS))
    frame.attrs["timeline"] = name if name is not None else timeline.manifest.name
    frame.attrs["tz"] = tz
    return frame


def tenures_frame(tenures: Sequence[Tenure], tz: str) -> pd.DataFrame:
    """One row per tenure (see :data:`TENURE_COLUMNS`): instants tz-aware in ``tz``, durations as timedeltas.

    An end that is unknown (outside coverage) or not reached (``end_ongoing``)
    is missing (``NaT``), and so is a duration that is not known; never a guess.
    """
    require_pandas()
    import pandas as pd

    def epoch(moment: datetime | None) -> float | None:
        return None if moment is None else moment.timestamp()

    starts = [t.start for t in tenures]
    ends = [t.end for t in tenures]
    data: dict[str, Any] = {
        "kind": pd.Categorical([t.kind for t in tenures]),
        "key": pd.array([t.key for t in tenures], dtype="string"),
        "person": pd.array([t.person for t in tenures], dtype="string"),
        "name": pd.array([t.names.get(t.person, t.person) for t in tenures], dtype="string"),
        "interim": pd.array([t.interim for t in tenures], dtype="boolean"),
        "role": pd.Categorical([t.role for t in tenures]),
        "representing": pd.array([t.representing for t in tenures], dtype="string"),
        "start": _instants([epoch(b.at) for b in starts], tz).array,
        "start_precision": pd.Categorical([b.precision for b in starts]),
        "start_event": pd.array([b.event for b in starts], dtype="string"),
        "start_why_unknown": pd.array([b.why for b in starts], dtype="string"),
        "end": _instants([epoch(b.at) for b in ends], tz).array,
        "end_precision": pd.Categorical([b.precision for b in ends]),
        "end_event": pd.array([b.event for b in ends], dtype="string"),
        "end_ongoing": pd.array([b.ongoing for b in ends], dtype="boolean"),
        "end_why_unknown": pd.array([b.why for b in ends], dtype="string"),
        "duration": pd.to_timedelta([t.duration for t in tenures]),
        "shortest": pd.to_timedelta([t.shortest for t in tenures]),
        "longest": pd.to_timedelta([t.longest for t in tenures]),
    }
    return pd.DataFrame(data, columns=list(TENURE_COLUMNS))


def path_series(
    timeline: ReplayedWorld, path: str, freq: str, start: datetime | None, end: datetime | None, tz: str
) -> pd.Series[Any]:
    """The value of ``path`` (a path of the state contract) at each instant of a regular grid, as a pandas Series.

    The grid runs from ``start`` (default: the first event) every ``freq``
    (a pandas frequency: ``1h``, ``15min``, ``1D``) up to ``end`` (default:
    the last event), in ``tz``. Numbers are numbers (nullable integers or
    floats), an office or a chair is the holder's person id, a list of
    people a tuple of ids; an unknown value is missing (``pd.NA``), and a
    vacant office or chair is None (missing too, but not unknown: ``value is
    pd.NA`` tells them apart in a column of objects).
    """
    require_pandas()
    import numpy as np
    import pandas as pd

    manifest = timeline.manifest
    problem = state_field_problem(path, manifest)
    if problem is not None:
        raise LoadError(problem, field="path")
    records = timeline.replay.applied
    if start is None or end is None:
        if not records:
            return pd.Series([], index=pd.DatetimeIndex([], tz=pandas_zone(tz), name="at"), dtype=object, name=path)
        start = start or records[0].at
        end = end or records[-1].at
    grid = _grid(start, end, freq, tz)
    replay = timeline.replay
    known_path = "offices.ceo" if path.split(".")[0] == "ceo" else path
    bases: dict[int, Any] = {}
    values: list[Any] = []
    micros = grid.as_unit("us").asi8
    for micro in micros:
        epoch = int(micro) / 1e6
        count = replay.position(epoch)
        base = bases.get(count)
        if base is None:
            base = bases[count] = replay.state_after(count)
        state = base.at_instant(datetime.fromtimestamp(epoch, UTC))
        if not state.is_known(known_path):
            values.append(pd.NA)
            continue
        values.append(_plain(value_at(state, path)))
    typed = _typed(values)
    # Objects stay objects: pandas would infer strings from a column of ids, and then a vacancy (None) and an
    # unknown (pd.NA) would both become NaN, the difference lost.
    dtype = object if isinstance(typed, np.ndarray) else None
    return pd.Series(typed, index=grid.rename("at"), name=path, dtype=dtype)


def _grid(start: datetime, end: datetime, freq: str, tz: str) -> pd.DatetimeIndex:
    """The instants from ``start`` every ``freq`` up to ``end``, in ``tz`` (at most :data:`MAX_GRID` of them)."""
    import pandas as pd

    where = pandas_zone(tz)
    low = pd.Timestamp(start.isoformat()).tz_convert(where)
    high = pd.Timestamp(end.isoformat()).tz_convert(where)
    try:
        offset = pd.tseries.frequencies.to_offset(freq)
    except (TypeError, ValueError):
        raise TimeInputError(f"not a pandas frequency such as 1h, 15min or 1D: {freq!r}", field="freq") from None
    if offset is None or offset.n <= 0:
        raise TimeInputError(f"the frequency must be positive: {freq!r}", field="freq")
    if high < low:
        raise TimeInputError(f"the end ({high.isoformat()}) is before the start ({low.isoformat()})", field="end")
    step = getattr(offset, "nanos", None)
    if step is not None and (high - low).value // step + 1 > MAX_GRID:
        points = (high - low).value // step + 1
        raise TimeInputError(
            f"a grid of {points:,} instants is more than {MAX_GRID:,}: choose a coarser freq or a shorter range",
            field="freq",
        )
    grid = pd.date_range(low, high, freq=offset)
    if len(grid) > MAX_GRID:
        raise TimeInputError(f"a grid of {len(grid):,} instants is more than {MAX_GRID:,}", field="freq")
    return grid


def _plain(value: Any) -> Any:
    """A contract value as a cell: an office holder as their person id, a list as a tuple."""
    if isinstance(value, dict) and "person" in value:
        return value["person"]
    if isinstance(value, list):
        return tuple(value)
    return value


def _typed(values: list[Any]) -> Any:
    """The values as a nullable integer, float or boolean array when they all are such, else as objects."""
    import pandas as pd

    present = [v for v in values if v is not None and v is not pd.NA]
    if present and all(isinstance(v, bool) for v in present):
        return pd.array([pd.NA if v is None else v for v in values], dtype="boolean")
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return pd.array([pd.NA if v is None else v for v in values], dtype="Int64")
    if present and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return pd.array([pd.NA if v is None else v for v in values], dtype="Float64")
    return _objects(values)
