"""Differences between two states, as data.

>>> import orgsim
>>> from orgsim.query.diff import diff_states
>>> timeline = orgsim.load_timeline()
>>> before = timeline.state_at("2023-11-17T11:00-08:00")
>>> after = timeline.state_at("2023-11-17T13:00-08:00")
>>> [c.path for c in diff_states(before, after)][:2]
['offices.ceo', 'board.chair']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from orgsim.model.knowledge import UNKNOWN, Unknown
from orgsim.model.state import OrgState

_SKIPPED = frozenset({"at", "timeline", "organisation", "ceo", "last_event", "events_applied"})
_ORDER = ("offices", "board", "employees", "stakeholders", "structure", "people", "votes")


@dataclass(frozen=True, slots=True)
class Difference:
    """One field that differs: its path in the state contract, its value before and after.

    A value the state does not know is :data:`~orgsim.model.knowledge.UNKNOWN` (``null`` in JSON, with
    ``before_known`` / ``after_known`` false), never None: None is vacant.
    """

    path: str
    before: Any
    after: Any

    @property
    def section(self) -> str:
        """The top-level part of the state the change is in (``offices``, ``board``...)."""
        return self.path.split(".", 1)[0]

    def describe(self) -> str:
        """The change as one line of text."""
        if isinstance(self.before, list) and isinstance(self.after, list):
            added = [x for x in self.after if x not in self.before]
            removed = [x for x in self.before if x not in self.after]
            parts = []
            if added:
                parts.append("+" + ", +".join(map(str, added)))
            if removed:
                parts.append("-" + ", -".join(map(str, removed)))
            return f"{self.path}: {' '.join(parts)}"
        return f"{self.path}: {_show(self.before)} -> {_show(self.after)}"

    def to_dict(self) -> dict[str, Any]:
        """The change as JSON-ready data: ``path``, ``before``, ``after`` (null when vacant or unknown),
        ``before_known`` and ``after_known``."""
        return {
            "path": self.path,
            "before": None if isinstance(self.before, Unknown) else self.before,
            "after": None if isinstance(self.after, Unknown) else self.after,
            "before_known": not isinstance(self.before, Unknown),
            "after_known": not isinstance(self.after, Unknown),
        }


def _show(value: Any) -> str:
    if isinstance(value, Unknown):
        return "unknown"
    if value is None:
        return "none"
    if isinstance(value, dict) and set(value) == {"person", "interim"}:
        return f"{value['person']}{' (interim)' if value['interim'] else ''}"
    if isinstance(value, dict) and "tally" in value:
        return f"{value.get('motion')!r}: {value['tally']}"
    if isinstance(value, float) and value.is_integer():
        return f"{value:,.0f}"
    return str(value)


def flatten(state: OrgState) -> dict[str, Any]:
    """The state contract as a flat map from dotted paths to leaf values (lists are leaves); a value the state
    does not know is :data:`~orgsim.model.knowledge.UNKNOWN`, not the contract's null."""
    flat: dict[str, Any] = {}
    data = state.to_dict()
    for key in _ORDER:
        _walk(flat, key, data.get(key))
    if data["unknown"]:
        for path, value in flat.items():
            if value is None and not state.is_known(path):
                flat[path] = UNKNOWN
    return flat


def _walk(flat: dict[str, Any], path: str, value: Any) -> None:
    if path.startswith("offices.") or (isinstance(value, dict) and path.startswith("votes.")):
        flat[path] = value
        return
    if isinstance(value, dict):
        if path == "offices" and not value:
            return
        for key, item in value.items():
            _walk(flat, f"{path}.{key}", item)
        return
    flat[path] = value


def diff_states(before: OrgState, after: OrgState) -> list[Difference]:
    """Every field that differs between two states, in contract order."""
    a, b = flatten(before), flatten(after)
    changes = []
    for path in list(a) + [p for p in b if p not in a]:
        old, new = a.get(path), b.get(path)
        if path.endswith(".name"):
            continue
        if old != new:
            changes.append(Difference(path, old, new))
    return changes
