"""How the report's page packs its states: each distinct section and entry stored once, lists as changes.

A page holds thousands of states that differ in a section or two from the
previous one. :class:`Pools` stores each distinct value once and packs a
state as indexes into the pools; the lists that grow with a timeline are
stored as changes from the same list in the previous state. The page's
script unpacks them; :func:`expand_state` and :func:`expand_lists` do the
same in Python, so tests can check a page against the library's answers.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from orgsim.model.state import OrgState, VoteRecord, vote_value

POOLED = (
    "offices",
    "board",
    "employees",
    "stakeholders",
    "people",
    "votes",
    "structure",
    "announced",
    "offers",
    "last_known",
)
"""State sections stored once per distinct value in the page (states share most of them)."""

ENTRY_POOLED = ("offices", "stakeholders", "people", "votes", "announced", "offers")
"""Pooled sections whose entries are pooled one by one too (they change an entry at a time)."""

LISTED = ("unknown", "why_unknown")
"""Sections stored in the pool of lists (as changes to the last one: a path at a time becomes known); the page
carries ``why_unknown`` alone, ``unknown`` being its paths."""

ENTRIES, LISTS, LINES, WHY = ".entries", "lists", "lines", "why"
"""The suffix of the pools that hold a section's distinct entries, and the pool of lists (ids, entry indexes)."""

KEYFRAME = 400
"""A list stored as a change to an earlier one is stored whole again after this many changes in a row."""


class Pools:
    """Distinct values of the state sections, each stored once; packed states refer to them by index.

    States after consecutive events differ in a section or two, so a page
    holds each distinct section (and each distinct person, stakeholder or
    vote entry) once, however many states share it. The lists that grow
    with a timeline (ids of people, votes and signatories, and the indexes
    of their entries) go to one pool of lists, each stored as the change
    from the same list in the world's previous state: ``{"b": base, "p":
    kept prefix, "s": kept suffix, "m": the items between}``, or whole
    (a JSON array) at first and every :data:`KEYFRAME` changes.
    """

    def __init__(self) -> None:
        names = [*POOLED, *(section + ENTRIES for section in ENTRY_POOLED), LISTS, LINES, WHY]
        self.values: dict[str, list[Any]] = {name: [] for name in names}
        self._index: dict[str, dict[str, int]] = {name: {} for name in names}
        self._last: dict[str, tuple[Any, int]] = {}
        self._lists: dict[str, tuple[list[Any], int, int]] = {}  # slot -> (items, index, changes since whole)
        self._items: dict[str, tuple[list[tuple[str, Any]], list[int]]] = {}  # slot -> (items, entry indexes)
        self._votes: dict[str, tuple[list[str], list[VoteRecord], dict[str, Any]]] = {}  # world -> last votes

    def intern(self, pool: str, value: Any, slot: str = "") -> int:
        """The index of ``value`` in ``pool``, added if new (``slot`` remembers the last value seen there)."""
        key = pool + "\0" + slot
        last = self._last.get(key)
        if last is not None and last[0] == value:
            return last[1]
        text = json.dumps(value, sort_keys=True)
        index = self._index[pool].get(text)
        if index is None:
            index = self._index[pool][text] = len(self.values[pool])
            self.values[pool].append(value)
        self._last[key] = (value, index)
        return index

    def list_ref(self, slot: str, items: list[Any]) -> int:
        """The index in the pool of lists of ``items``, stored as a change from the slot's last list."""
        last = self._lists.get(slot)
        if last is not None:
            before, index, changes = last
            if before == items:
                return index
            if changes < KEYFRAME:
                value = _change(before, items, index)
                if value is not None:
                    return self._add_list(slot, items, value, changes + 1)
        return self._add_list(slot, items, list(items), 0)

    def _add_list(self, slot: str, items: list[Any], value: Any, changes: int) -> int:
        index = len(self.values[LISTS])
        self.values[LISTS].append(value)
        self._lists[slot] = (items, index, changes)
        return index

    def _entries(self, section: str, value: dict[str, Any], world: str) -> list[int]:
        """Pool a section's entries one by one; only those that differ from the world's last state are looked at."""
        slot = world + ":" + section
        pool = section + ENTRIES
        items = list(value.items())
        last = self._items.get(slot)
        if last is None or len(last[0]) != len(items):
            if last is None:
                indexes = [self.intern(pool, entry, slot + ":" + name) for name, entry in items]
            else:
                before, known = last
                prefix = _common_prefix(before, items)
                suffix = _common_prefix(before[prefix:][::-1], items[prefix:][::-1])
                middle = [
                    self.intern(pool, entry, slot + ":" + name) for name, entry in items[prefix : len(items) - suffix]
                ]
                indexes = known[:prefix] + middle + known[len(known) - suffix :]
        else:
            before, known = last
            indexes = list(known)
            for position in _differences(before, items):
                name, entry = items[position]
                indexes[position] = self.intern(pool, entry, slot + ":" + name)
        self._items[slot] = (items, indexes)
        return indexes

    def state_dict(self, state: OrgState, world: str) -> dict[str, Any]:
        """``state.to_dict()``, with the votes the world's last state had not seen made into dicts only once.

        Votes are an append-only log, so to_dict's votes section costs more
        with every vote held (3 ms a state at 10^5 events); here to_dict makes
        the section of the new votes alone, and the old ones are taken over.
        """
        view = state.votes
        keys, values = view.key_list(), view.value_list()
        last = self._votes.get(world)
        start = 0
        if last is not None and keys[: len(last[0])] == last[0] and values[: len(last[1])] == last[1]:
            start = len(last[0])
        data = state.to_dict(votes=False)
        votes = dict(last[2]) if start and last is not None else {}
        votes.update((key, vote_value(value)) for key, value in zip(keys[start:], values[start:], strict=True))
        data["votes"] = votes
        self._votes[world] = (keys, values, votes)
        return data

    def pack(self, state: dict[str, Any], world: str = "") -> dict[str, Any]:
        """The state with each pooled section replaced by its index (``at`` left out: the page labels states)."""
        packed = {key: value for key, value in state.items() if key != "at"}
        for key in POOLED:
            value = state[key]
            if key in ENTRY_POOLED:
                # [list of the keys (people ids...), list of the index of each entry]: lists change by little
                value = [
                    self.list_ref(f"{world}:{key}:keys", list(value)),
                    self.list_ref(f"{world}:{key}:entries", self._entries(key, value, world)),
                ]
            elif key == "employees" and value["named_signatories"] is not None:
                named = self.list_ref(f"{world}:signatories", value["named_signatories"])
                value = dict(value, named_signatories=named)
            packed[key] = self.intern(key, value, world)
        packed.pop("unknown", None)
        pairs = [[path, self.intern(WHY, why)] for path, why in state["why_unknown"].items()]  # each reason once
        packed["why_unknown"] = self.list_ref(f"{world}:why_unknown", pairs)
        return packed


def _common_prefix(a: Sequence[Any], b: Sequence[Any]) -> int:
    """How many leading items two lists share (slices compared in C, halving the span each time)."""
    low, high = 0, min(len(a), len(b))
    if a[:high] == b[:high]:
        return high
    high -= 1  # a[:low] == b[:low] and the prefix is shorter than the whole
    while low < high:
        middle = (low + high + 1) // 2
        if a[low:middle] == b[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _differences(before: Sequence[Any], after: Sequence[Any]) -> list[int]:
    """The positions at which two lists of the same length differ (the equal ends skipped in C)."""
    prefix = _common_prefix(before, after)
    if prefix == len(after):
        return []
    suffix = _common_prefix(before[prefix:][::-1], after[prefix:][::-1])
    return [i for i in range(prefix, len(after) - suffix) if before[i] != after[i]]


def _change(before: list[Any], after: list[Any], base: int) -> dict[str, Any] | None:
    """``after`` as a change to ``before`` (the list at ``base``), or None when it would not be much smaller.

    ``{"b": base, "p": kept prefix, "s": kept suffix, "m": new middle}`` (lists that grow or shrink), or
    ``{"b": base, "x": [position, item, position, item...]}`` (same length, a few items replaced).
    """
    if len(before) == len(after):
        positions = _differences(before, after)
        if len(positions) * 4 < len(after):
            return {"b": base, "x": [part for i in positions for part in (i, after[i])]}
    prefix = _common_prefix(before, after)
    suffix = _common_prefix(before[prefix:][::-1], after[prefix:][::-1])
    middle = after[prefix : len(after) - suffix]
    if len(middle) * 2 >= len(after):
        return None
    return {"b": base, "p": prefix, "s": suffix, "m": middle}


def expand_lists(lists: Sequence[Any]) -> list[list[Any]]:
    """Every list of the page's pool of lists, written out (changes applied to the lists they change)."""
    out: list[list[Any]] = []
    for value in lists:
        if isinstance(value, list):
            out.append(value)
            continue
        base = out[value["b"]]
        if "x" in value:
            written = list(base)
            pairs = value["x"]
            for k in range(0, len(pairs), 2):
                written[pairs[k]] = pairs[k + 1]
            out.append(written)
        else:
            out.append(base[: value["p"]] + value["m"] + base[len(base) - value["s"] :])
    return out


def expand_state(
    packed: dict[str, Any], pools: dict[str, list[Any]], lists: Sequence[list[Any]] | None = None
) -> dict[str, Any]:
    """A state as embedded in the page, with its pooled sections put back (the inverse of packing).

    ``lists`` is :func:`expand_lists` of the pool of lists, to share between calls.
    """
    written = lists if lists is not None else expand_lists(pools[LISTS])
    state: dict[str, Any] = {}
    for key, value in packed.items():
        if key == LINES:
            continue  # the state as worded: see expand_lines_of
        if key in LISTED:
            state["why_unknown"] = {path: pools[WHY][why] for path, why in written[value]}
            state["unknown"] = sorted(state["why_unknown"])
            continue
        if key not in POOLED:
            state[key] = value
            continue
        section = pools[key][value]
        if key in ENTRY_POOLED:
            names, indexes = written[section[0]], written[section[1]]
            section = {name: pools[key + ENTRIES][index] for name, index in zip(names, indexes, strict=True)}
        elif key == "employees" and section["named_signatories"] is not None:
            section = dict(section, named_signatories=written[section["named_signatories"]])
        state[key] = section
    return state


def expand_lines_of(
    packed: dict[str, Any], pools: dict[str, list[Any]], lists: Sequence[list[Any]] | None = None
) -> list[dict[str, Any]]:
    """The lines the page shows for an embedded state (:func:`orgsim.views.wording.state_lines`, as data)."""
    written = lists if lists is not None else expand_lists(pools[LISTS])
    return [pools[LINES][index] for index in written[packed[LINES]]]
