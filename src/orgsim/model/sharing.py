"""Maps that snapshots share with the working state, so a snapshot costs little to keep.

Replay keeps a frozen snapshot every few events. Copying a map of hundreds of
people at each snapshot would cost time and, over a million events, gigabytes.
Two structures avoid that while keeping every snapshot immutable:

* :class:`Chunked`: a map over a fixed set of keys (the people a timeline
  knows), its values in small chunks. A write copies only its chunk and the
  short list of chunks, so consecutive snapshots share all the rest.
* :class:`Log`: an append-only keyed log (the board votes held so far, the
  people named as signing a letter). A snapshot is a :class:`LogPrefix`, a
  log and a length, and sees only its prefix; appending never
  changes what an existing snapshot sees. A writer that meets a log someone
  else has already appended past forks its prefix (see :meth:`LogPrefix.add`).

Both are internal to the engine; users see them through read-only
:class:`~collections.abc.Mapping` views.

>>> keys = {"ada": 0, "bob": 1}
>>> frozen = Chunked.of(keys, ["x", "y"])
>>> work = frozen.thaw()
>>> work.set("bob", "z")
>>> dict(frozen.view()), dict(work.freeze().view())
({'ada': 'x', 'bob': 'y'}, {'ada': 'x', 'bob': 'z'})
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import ItemsView, Iterator, Mapping, Sequence
from itertools import islice
from typing import Generic, NoReturn, TypeVar, overload

V = TypeVar("V")

BITS = 4
"""A value's chunk is its position >> BITS ..."""
MASK = (1 << BITS) - 1
"""... and its place in the chunk is position & MASK."""
_SIZE = 1 << BITS

_object_new = object.__new__


class Chunked(Generic[V]):
    """A map over a fixed key set, stored as chunks of :data:`_SIZE` values.

    ``index`` maps each key to its position and is shared by every copy.
    A frozen instance is never written; :meth:`thaw` gives a writable one
    that copies the chunk list and each chunk the first time it writes to them.
    """

    __slots__ = ("_owned", "chunks", "index")

    def __init__(self, index: Mapping[str, int], chunks: list[list[V]]) -> None:
        self.index = index
        self.chunks = chunks
        self._owned: set[int] | None = None
        """The chunks this instance has copied, or None while the chunk list itself is shared."""

    @classmethod
    def of(cls, index: Mapping[str, int], values: Sequence[V]) -> Chunked[V]:
        """A frozen map of ``values`` in the order of ``index``'s positions."""
        return cls(index, [list(values[start : start + _SIZE]) for start in range(0, len(values), _SIZE)])

    def get(self, key: str) -> V | None:
        """The value for ``key``, or None when the key is not in the map."""
        position = self.index.get(key)
        if position is None:
            return None
        return self.chunks[position >> BITS][position & MASK]

    def set(self, key: str, value: V) -> None:
        """Write ``value`` for an existing ``key`` (writable instances only)."""
        position = self.index[key]
        chunk = position >> BITS
        owned = self._owned
        if owned is None:
            self.chunks = list(self.chunks)
            owned = self._owned = set()
        chunks = self.chunks
        if chunk not in owned:
            chunks[chunk] = list(chunks[chunk])
            owned.add(chunk)
        chunks[chunk][position & MASK] = value

    def thaw(self) -> Chunked[V]:
        """A writable copy that shares everything until it writes."""
        return Chunked(self.index, self.chunks)

    def freeze(self) -> Chunked[V]:
        """A frozen copy of the current contents, in O(1); later writes here copy first."""
        self._owned = None
        frozen: Chunked[V] = _object_new(Chunked)  # without __init__: replay freezes every few events
        frozen.index, frozen.chunks, frozen._owned = self.index, self.chunks, None
        return frozen

    def values(self) -> Iterator[V]:
        """Every value in key order."""
        for chunk in self.chunks:
            yield from chunk

    def view(self) -> Mapping[str, V]:
        """A read-only mapping of this (frozen) map."""
        return ChunkedView(self)


class ChunkedView(Mapping[str, V]):
    """A read-only :class:`~collections.abc.Mapping` over a frozen :class:`Chunked`."""

    __slots__ = ("_map",)

    def __init__(self, chunked: Chunked[V]) -> None:
        self._map = chunked

    def __getitem__(self, key: str) -> V:
        position = self._map.index.get(key)
        if position is None:
            raise KeyError(key)
        return self._map.chunks[position >> BITS][position & MASK]

    def __contains__(self, key: object) -> bool:
        return key in self._map.index

    def __iter__(self) -> Iterator[str]:
        return iter(self._map.index)

    def __len__(self) -> int:
        return len(self._map.index)

    def items(self) -> ItemsView[str, V]:
        """(key, value) pairs in key order, without a lookup per key."""
        return _Items(self)

    def pairs(self) -> Iterator[tuple[str, V]]:
        """Iterate (key, value) pairs in key order."""
        return zip(self._map.index, self._map.values(), strict=False)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({dict(self.pairs())!r})"


class Log(Generic[V]):
    """The shared storage of an append-only keyed log: keys, values and each key's position."""

    __slots__ = ("index", "keys", "owner", "values")

    def __init__(self, keys: list[str] | None = None, values: list[V] | None = None, owner: object = None) -> None:
        self.keys: list[str] = keys or []
        self.values: list[V] = values or []
        self.index: dict[str, int] = {key: position for position, key in enumerate(self.keys)}
        self.owner = owner
        """The writer that may append to this log in place (see :meth:`LogPrefix.add`)."""

    def fork(self, length: int, owner: object = None) -> Log[V]:
        """A new log holding this one's first ``length`` entries (O(length)), appended to by ``owner``."""
        return Log(self.keys[:length], self.values[:length], owner)


class LogPrefix(Generic[V]):
    """A prefix of a shared :class:`Log`: what one state has seen.

    Writable and frozen instances look the same; a writer is simply the
    working state's own instance, and :meth:`add` never changes what a shorter
    prefix sees. Only the log's owner appends to it in place (see :meth:`add`),
    so states grown from one snapshot can be written in different threads.
    """

    __slots__ = ("length", "log")

    def __init__(self, log: Log[V] | None = None, length: int = 0) -> None:
        self.log: Log[V] = log if log is not None else Log()
        self.length = length

    def get(self, key: str) -> V | None:
        """The value for ``key`` if this prefix has it."""
        position = self.log.index.get(key)
        if position is None or position >= self.length:
            return None
        return self.log.values[position]

    def __getitem__(self, key: str) -> V:
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value

    def add(self, key: str, value: V, writer: object = None) -> None:
        """Record ``value`` under ``key``, appending unless the key is already in this prefix.

        Three cases keep every other prefix intact: at the tip of a log that
        is ``writer``'s own, append; when the log already continues with this
        very entry (a replay from a checkpoint re-applying recorded history),
        just advance; otherwise fork the prefix into a log of ``writer``'s own
        and write there. Only a log's owner appends to it in place, so two
        worlds grown from one snapshot (in two threads, say) never append to
        one list.
        """
        log, length = self.log, self.length
        position = log.index.get(key)
        if position is not None and position < length:
            log = self.log = log.fork(length, writer)
            log.values[position] = value
            return
        if len(log.keys) == length and log.owner is writer:
            log.keys.append(key)
            log.values.append(value)
            log.index[key] = length
        elif len(log.keys) == length or not (log.keys[length] == key and log.values[length] == value):
            log = self.log = log.fork(length, writer)
            log.keys.append(key)
            log.values.append(value)
            log.index[key] = length
        self.length = length + 1

    def copy(self) -> LogPrefix[V]:
        """Another prefix of the same length over the same log (O(1))."""
        copy: LogPrefix[V] = _object_new(LogPrefix)  # without __init__: replay copies two at every snapshot
        copy.log, copy.length = self.log, self.length
        return copy

    def view(self) -> Mapping[str, V]:
        """A read-only mapping of this prefix."""
        return LogView(self.log, self.length)


class LogView(Mapping[str, V]):
    """A read-only :class:`~collections.abc.Mapping` over the first ``length`` entries of a :class:`Log`."""

    __slots__ = ("_length", "_log")

    def __init__(self, log: Log[V], length: int) -> None:
        self._log = log
        self._length = length

    def __getitem__(self, key: str) -> V:
        position = self._log.index.get(key)
        if position is None or position >= self._length:
            raise KeyError(key)
        return self._log.values[position]

    def __iter__(self) -> Iterator[str]:
        return islice(self._log.keys, self._length)

    def __len__(self) -> int:
        return self._length

    def items(self) -> ItemsView[str, V]:
        """(key, value) pairs in the order they were added."""
        return _Items(self)

    def pairs(self) -> Iterator[tuple[str, V]]:
        """Iterate (key, value) pairs in the order they were added."""
        return zip(islice(self._log.keys, self._length), islice(self._log.values, self._length), strict=False)

    def key_list(self) -> list[str]:
        """The keys in the order they were added, as a new list (copied at C speed)."""
        return self._log.keys[: self._length]

    def value_list(self) -> list[V]:
        """The values in the order they were added, as a new list (copied at C speed)."""
        return self._log.values[: self._length]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({dict(self.pairs())!r})"


class _Items(ItemsView[str, V]):
    """An items view that iterates its mapping's pairs directly (no lookup per key)."""

    _mapping: ChunkedView[V] | LogView[V]

    def __iter__(self) -> Iterator[tuple[str, V]]:
        return self._mapping.pairs()


class Spliced(Sequence[V]):
    """A read-only sequence: the first ``cut`` items of a shared ``head``, then a ``tail`` of its own.

    A what-if world shares its base's applied events, instants and
    checkpoints up to its first intervention; this is how it does without
    copying them.

    >>> shared = (1, 2, 3, 4)
    >>> world = Spliced(shared, 2, (9, 8))
    >>> list(world), world[1], world[-1], world[1:3], len(world)
    ([1, 2, 9, 8], 2, 8, [2, 9], 4)
    """

    __slots__ = ("_cut", "_head", "_tail")

    def __init__(self, head: Sequence[V], cut: int, tail: Sequence[V]) -> None:
        while isinstance(head, Spliced) and cut <= head.cut:
            head = head.head  # share the innermost head: no chains of splices
        object.__setattr__(self, "_head", head)
        object.__setattr__(self, "_cut", cut)
        object.__setattr__(self, "_tail", tail)

    _head: Sequence[V]
    _cut: int
    _tail: Sequence[V]

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a spliced sequence is read-only: cannot set {name!r}")

    @property
    def head(self) -> Sequence[V]:
        """The shared sequence whose first ``cut`` items come first."""
        return self._head

    @property
    def cut(self) -> int:
        """How many of ``head``'s items come first."""
        return self._cut

    @property
    def tail(self) -> Sequence[V]:
        """The items of this sequence's own, after the shared ones."""
        return self._tail

    def __len__(self) -> int:
        return self.cut + len(self.tail)

    @overload
    def __getitem__(self, index: int) -> V: ...

    @overload
    def __getitem__(self, index: slice) -> list[V]: ...

    def __getitem__(self, index: int | slice) -> V | list[V]:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step != 1:
                return [self[i] for i in range(start, stop, step)]
            cut = self.cut
            parts = list(self.head[start : min(stop, cut)]) if start < cut else []
            if stop > cut:
                parts.extend(self.tail[max(start - cut, 0) : stop - cut])
            return parts
        if index < 0:
            index += len(self)
            if index < 0:
                raise IndexError("index out of range")
        if index < self.cut:
            return self.head[index]
        return self.tail[index - self.cut]

    def __iter__(self) -> Iterator[V]:
        yield from islice(self.head, self.cut)
        yield from self.tail

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self)} items, {self.cut} shared)"


def bisect_spliced(items: Sequence[float], value: float) -> int:
    """:func:`bisect.bisect_right` for a sorted tuple or :class:`Spliced` of tuples, at C speed for both."""
    if isinstance(items, Spliced):
        tail, cut = items.tail, items.cut
        if tail and value >= tail[0]:
            return cut + bisect_right(tail, value)
        return bisect_right(items.head, value, 0, cut)
    return bisect_right(items, value)


class _Writes(Generic[V]):
    """The shared storage of a :class:`Versioned` map: every write in order, and each key's write positions."""

    __slots__ = ("index", "keys", "owner", "values")

    def __init__(self, keys: list[str], values: list[object], owner: object = None) -> None:
        self.keys = keys
        self.values = values
        self.owner = owner
        """The writer that may append to these writes in place (see :meth:`Versioned.with_`)."""
        self.index: dict[str, list[int]] = {}
        for position, key in enumerate(keys):
            self.index.setdefault(key, []).append(position)


class _Gone:
    """A write that removes its key (one instance, which pickles as itself)."""

    __slots__ = ()

    def __reduce__(self) -> str:
        return "_GONE"


_GONE = _Gone()


class Versioned(Mapping[str, V]):
    """A read-only map whose versions share one append-only list of writes: a new version costs O(1).

    For the parts of a state that grow with the timeline and change one key
    at a time (offers, pending announcements, leaves, identities): a copied
    dict per change, kept by every checkpoint, cost memory quadratic in their
    number (2.4 GB at 10^6 events). A version is the first ``length`` writes;
    :meth:`with_` appends when this version is the newest, and otherwise
    (a what-if world writing after a shared prefix) copies the prefix once.
    Reading a key is a bisection among that key's writes; iteration replays
    the writes, so the order is a dict's.

    >>> a = Versioned().with_("x", 1)
    >>> b = a.with_("y", 2).with_("x", None)
    >>> dict(a), dict(b), a == {"x": 1}
    ({'x': 1}, {'y': 2}, True)
    """

    __slots__ = ("_dict", "_length", "_live", "_writes")

    def __init__(self, writes: _Writes[V] | None = None, length: int = 0, live: int = 0) -> None:
        self._writes: _Writes[V] = writes if writes is not None else _Writes([], [])
        self._length = length
        self._live = live
        self._dict: dict[str, V] | None = None

    def _latest(self, key: str) -> object:
        positions = self._writes.index.get(key)
        if not positions:
            return _GONE
        last = positions[-1]
        if last < self._length:  # the common case, in replay: no later version has written this key
            return self._writes.values[last]
        at = bisect_right(positions, self._length - 1)
        return self._writes.values[positions[at - 1]] if at else _GONE

    def with_(self, key: str, value: V | None, writer: object = None) -> Versioned[V]:
        """This map with ``key`` set to ``value``, or removed (None), written by ``writer`` (a working state).

        Only the writer whose own writes these are appends to them in place; anyone else copies this version's
        writes first, so that two worlds grown from one snapshot (in two threads, say) never append to one list.
        """
        had = self._latest(key) is not _GONE
        written: object = _GONE if value is None else value
        if written is _GONE and not had:
            return self
        writes, length = self._writes, self._length
        live = self._live + (0 if had else 1) - (1 if written is _GONE else 0)
        at_tip = len(writes.keys) == length
        if not at_tip and writes.keys[length] == key and writes.values[length] == written:
            # The writes already continue with this one (a replay from a checkpoint re-applying recorded
            # history): share them rather than copy the prefix, which would cost O(writes) per question.
            return Versioned(writes, length + 1, live)
        if not at_tip or writes.owner is not writer:
            writes = _Writes(writes.keys[:length], writes.values[:length], writer)
        writes.keys.append(key)
        writes.values.append(written)
        writes.index.setdefault(key, []).append(length)
        return Versioned(writes, length + 1, live)

    def _materialised(self) -> dict[str, V]:
        found = self._dict
        if found is None:
            found = {}
            for key, value in zip(self._writes.keys[: self._length], self._writes.values[: self._length], strict=True):
                if value is _GONE:
                    found.pop(key, None)
                else:
                    found[key] = value  # type: ignore[assignment]
            self._dict = found
        return found

    def __getitem__(self, key: str) -> V:
        value = self._latest(key)
        if value is _GONE:
            raise KeyError(key)
        return value  # type: ignore[return-value]

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str) or key not in self._writes.index:
            return False  # the common case, in replay: a key never written (asked at every departure)
        return self._latest(key) is not _GONE

    def get(self, key: str, default: V | None = None) -> V | None:  # type: ignore[override]
        """The value for ``key``, or ``default`` (without the exception :class:`Mapping`'s ``get`` would raise)."""
        value = self._latest(key)
        return default if value is _GONE else value  # type: ignore[return-value]

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._materialised()))

    def __len__(self) -> int:
        return self._live

    def __hash__(self) -> int:
        return hash(frozenset(self._materialised().items()))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Versioned) and other._writes is self._writes and other._length == self._length:
            return True
        return isinstance(other, Mapping) and self._materialised() == dict(other.items())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._materialised()!r})"


class FrozenDict(dict[str, V]):
    """A dict that cannot be changed: what an event's ``votes`` or a manifest's ``people`` are once validated.

    It is a real ``dict`` (pydantic dumps it, ``json`` writes it, it
    compares equal to a dict with the same items) whose changing methods
    raise, and it pickles, so records and world plans that hold one can be
    shipped to workers.

    >>> votes = FrozenDict({"ada": "yes"})
    >>> votes["ada"] = "no"
    Traceback (most recent call last):
    ...
    TypeError: this mapping is read-only
    >>> votes == {"ada": "yes"}
    True
    """

    __slots__ = ()

    def _refuse(self, *args: object, **kwargs: object) -> NoReturn:
        raise TypeError("this mapping is read-only")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _refuse
    __ior__ = _refuse

    def __reduce__(self) -> tuple[type[FrozenDict[V]], tuple[dict[str, V]]]:
        return FrozenDict, (dict(self),)

    def __copy__(self) -> FrozenDict[V]:
        return self

    def __deepcopy__(self, memo: dict[int, object]) -> FrozenDict[V]:
        return self

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(frozenset(self.items()))
