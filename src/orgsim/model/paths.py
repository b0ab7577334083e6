"""Paths into the state contract: ``ceo.person``, ``board.members``, ``people.sam-altman.at_org``...

The JSON contract of a state (:meth:`~orgsim.model.state.OrgState.to_dict`) is
addressed by dotted paths everywhere a user names a part of the state: rule
conditions and templates, measures, explanations.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from orgsim.model.manifest import Manifest

STATE_SECTIONS = ("ceo", "offices", "board", "employees", "stakeholders", "people", "structure", "votes")
"""Top-level fields of the state contract a condition or template may read."""


_LEAVES: dict[str, tuple[str, ...]] = {
    "offices": ("person", "interim"),
    "stakeholders": ("name", "investment_usd", "investment_form", "board_seat", "employs", "staff_hired"),
    "people": ("name", "at_org", "on_leave", "affiliation", "former"),
    "votes": ("motion", "passed", "tally"),
}
_FIXED: dict[str, tuple[str, ...]] = {
    "ceo": ("person", "interim"),
    "board": ("chair", "members", "observers", "independent"),
    "employees": (
        "headcount",
        "headcount_qualifier",
        "open_letter_signatories",
        "open_letter_qualifier",
        "named_signatories",
    ),
}


def state_field_problem(path: str, manifest: Manifest) -> str | None:
    """Why ``path`` names no field of the state contract for this timeline, or None when it does.

    >>> from orgsim.model.manifest import Manifest, Person
    >>> m = Manifest(name="t", organisation="t", home_zone="UTC", people={"ada": Person(name="Ada")})
    >>> state_field_problem("people.ada.at_org", m) is None
    True
    >>> state_field_problem("people.bob.at_org", m)
    "unknown state field 'people.bob.at_org': the timeline knows no person 'bob'"
    """
    steps = path.split(".")
    section = steps[0]

    def unknown(why: str) -> str:
        return f"unknown state field {path!r}: {why}"

    if section not in STATE_SECTIONS:
        return unknown(f"fields start with one of: {', '.join(STATE_SECTIONS)}")
    if section == "structure":
        return None if len(steps) == 1 else unknown("'structure' is text, it has no fields")
    if section in _FIXED:
        if len(steps) == 1:
            return None
        if len(steps) > 2 or steps[1] not in _FIXED[section]:
            return unknown(f"{section!r} has {', '.join(_FIXED[section])}")
        return None
    if len(steps) == 1:
        return None
    key = steps[1]
    registries: dict[str, Mapping[str, object]] = {"people": manifest.people, "stakeholders": manifest.organisations}
    known = registries.get(section)
    if known is not None and key not in known:
        return unknown(f"the timeline knows no {'person' if section == 'people' else 'organisation'} {key!r}")
    if len(steps) > 2 and (len(steps) > 3 or steps[2] not in _LEAVES[section]):
        return unknown(f"each of {section!r} has {', '.join(_LEAVES[section])}")
    return None


def read_field(data: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted ``path`` of the state contract (None where a step is missing)."""
    value: Any = data
    for step in path.split("."):
        if isinstance(value, Mapping):
            value = value.get(step)
        else:
            return None
    return value
