"""Rule conditions: comparisons with the state in three-valued logic, and what each field may be compared with.

A condition compares one field of the state contract (``ceo.person``,
``employees.open_letter_signatories``...) with a value. Where the timeline
does not know the field (outside its coverage, never set: see
:mod:`orgsim.model.knowledge`) the comparison is neither true nor false but
**unknown**, whatever the operator: ``!=``, ``not in`` and ``not contains``
hold no more than ``==`` does. ``all`` and ``any`` combine in Kleene logic
(false wins an ``all``, true wins an ``any``, else unknown wins), and a rule
fires only when its condition is true.

A null the timeline knows (a vacant office, no chair, a vote not yet taken)
is a value: while the office is vacant ``ceo.person != sam-altman`` holds. A
count known only as a range (``headcount_range``) is compared by its range:
``>= 500`` holds if every count in it is at least 500, fails if none is, and
is unknown otherwise.

Values are checked against the field when the scenario loads
(:func:`condition_problem`): a count takes numbers, a person a person id the
timeline knows, ``in`` a list, ``contains`` a list of people, so that a
condition that could never hold is refused as a typo is.

>>> compare("!=", UNKNOWN, "sam-altman") is None
True
>>> compare(">=", Bounds(600, None), 500), compare(">=", Bounds(None, 750), 500)
(True, None)
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple, get_args

from pydantic import BaseModel, ConfigDict

from orgsim.model.events import OfferAnswered, OfferMade, Qualifier
from orgsim.model.knowledge import UNKNOWN, Unknown
from orgsim.model.manifest import Manifest
from orgsim.model.paths import read_field
from orgsim.model.state import OrgState

Operator = Literal["==", "!=", ">=", ">", "<=", "<", "in", "not in", "contains", "not contains"]

Truth = bool | None
"""A condition's value in three-valued logic: True, False, or None for unknown."""

NEGATION: dict[str, str] = {
    "==": "!=",
    "!=": "==",
    ">=": "<",
    "<": ">=",
    ">": "<=",
    "<=": ">",
    "in": "not in",
    "not in": "in",
    "contains": "not contains",
    "not contains": "contains",
}
"""Each operator's negation: the two are never both true, and both are unknown on an unknown value."""

_ORDER: dict[str, Callable[[Any, Any], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
}
_ORDERING = tuple(_ORDER)
_MEMBERSHIP = ("in", "not in")
_CONTAINS = ("contains", "not contains")


class Bounds(NamedTuple):
    """A count known only to lie between ``low`` and ``high`` (None: open on that side)."""

    low: int | None
    high: int | None


Kind = Literal["person", "people", "count", "flag", "text", "range", "record"]


@dataclass(frozen=True)
class FieldType:
    """What a field of the state contract holds, so a condition's value can be checked against it."""

    kind: Kind
    nullable: bool = False
    """Whether null is a value the timeline knows (a vacant office); elsewhere null is only ever unknown."""
    choices: tuple[str, ...] = ()
    """For text: the only values it takes (empty: any)."""
    bounds: str | None = None
    """For a count: the path of the range that bounds it, which decides when the source gives one."""


_WHAT = {
    "person": "a person id",
    "people": "a list of person ids",
    "count": "a number",
    "flag": "true or false",
    "text": "text",
    "range": "a range [low, high]",
    "record": "a record",
}

_PERSON_OR_VACANT = FieldType("person", nullable=True)
_OFFICE = {"": FieldType("record", nullable=True), "person": _PERSON_OR_VACANT, "interim": FieldType("flag", True)}
_QUALIFIER = FieldType("text", nullable=True, choices=get_args(Qualifier))
_OPTIONAL_TEXT = FieldType("text", nullable=True)

_TYPES: dict[str, dict[str, FieldType]] = {
    "ceo": _OFFICE,
    "offices": _OFFICE,
    "board": {
        "": FieldType("record"),
        "chair": _PERSON_OR_VACANT,
        "members": FieldType("people"),
        "observers": FieldType("people"),
        "independent": FieldType("people"),
    },
    "employees": {
        "": FieldType("record"),
        "headcount": FieldType("count", bounds="employees.headcount_range"),
        "headcount_qualifier": _QUALIFIER,
        "open_letter_signatories": FieldType("count", bounds="employees.open_letter_range"),
        "open_letter_qualifier": _QUALIFIER,
        "named_signatories": FieldType("people"),
        "headcount_range": FieldType("range", nullable=True),
        "open_letter_range": FieldType("range", nullable=True),
    },
    "stakeholders": {
        "": FieldType("record"),
        "name": FieldType("text"),
        "investment_usd": FieldType("count"),
        "investment_form": _OPTIONAL_TEXT,
        "board_seat": FieldType("text", choices=("none", "observer", "voting")),  # as OrgState.stakeholder_board_seat
        "employs": FieldType("people"),
        "staff_hired": FieldType("count"),
    },
    "people": {
        "": FieldType("record"),
        "name": FieldType("text"),
        "at_org": FieldType("flag"),
        "on_leave": FieldType("flag"),
        "affiliation": _OPTIONAL_TEXT,
        "former": FieldType("flag"),
        "identified_as": _PERSON_OR_VACANT,
    },
    # A vote, an offer or an announcement not yet made reads null: known, since the timeline records them all.
    "votes": {
        "": FieldType("record", nullable=True),
        "motion": _OPTIONAL_TEXT,
        "passed": FieldType("flag", nullable=True),
        "tally": _OPTIONAL_TEXT,
    },
    "offers": {
        "": FieldType("record", nullable=True),
        "to": _PERSON_OR_VACANT,
        "by": _PERSON_OR_VACANT,
        "role": FieldType("text", nullable=True, choices=get_args(OfferMade.model_fields["role"].annotation)),
        "office": _OPTIONAL_TEXT,
        "interim": FieldType("flag", nullable=True),
        "status": FieldType(
            "text", nullable=True, choices=("open", *get_args(OfferAnswered.model_fields["outcome"].annotation))
        ),
    },
    "announced": {"": FieldType("text", nullable=True)},
    "structure": {"": FieldType("text")},
}
"""Each section's fields by leaf name (``""``: the section itself, or one entry of a keyed section)."""

_KEYED = ("offices", "stakeholders", "people", "votes", "offers", "announced")
_ALWAYS_KNOWN = ("votes", "announced", "offers")
"""Sections that record what happened in this world: never unknown in the contract (a missing entry is known)."""


def field_type(path: str) -> FieldType | None:
    """What the state contract holds at ``path`` (a path :func:`~orgsim.model.paths.state_field_problem` accepts).

    None for a whole keyed section (``people``, ``offices``), which no condition compares.

    >>> field_type("employees.open_letter_signatories").kind, field_type("ceo.person").nullable
    ('count', True)
    """
    steps = path.split(".")
    section = steps[0]
    fields = _TYPES.get(section)
    if fields is None:
        return None
    if section in _KEYED:
        if len(steps) == 1:
            return None
        leaf = steps[2] if len(steps) > 2 else ""
    else:
        leaf = steps[1] if len(steps) > 1 else ""
    return fields.get(leaf)


class Condition(BaseModel):
    """One comparison: ``field`` (a dotted path in the state contract) ``op`` ``value``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    field: str
    op: Operator = "=="
    value: Any = None

    def truth(self, state: OrgState, data: Mapping[str, Any] | None = None) -> Truth:
        """Whether the comparison holds in ``state`` (``data``: its :meth:`~OrgState.to_dict`): None if unknown."""
        ftype = field_type(self.field)
        if ftype is None:
            return None
        return compare(self.op, observed(state, self.field, ftype, data), self.value)

    def holds(self, state: OrgState, data: Mapping[str, Any] | None = None) -> bool:
        """Whether the comparison is known to hold in ``state``."""
        return self.truth(state, data) is True


class When(BaseModel):
    """A rule's condition: every one of ``all`` and at least one of ``any`` (when given), in Kleene logic."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    all: list[Condition] = []
    any: list[Condition] = []

    def truth(self, state: OrgState, data: Mapping[str, Any] | None = None) -> Truth:
        """The condition's value in ``state``: False if one of ``all`` is false, True if all hold, else None."""
        data = state.to_dict() if data is None else data
        every = kleene_all(c.truth(state, data) for c in self.all)
        if not self.any:
            return every
        return kleene_all((every, kleene_any(c.truth(state, data) for c in self.any)))

    def holds(self, state: OrgState, data: Mapping[str, Any] | None = None) -> bool:
        """Whether the condition is known to hold in ``state``: the rule fires only then."""
        return self.truth(state, data) is True


def kleene_all(truths: Iterable[Truth]) -> Truth:
    """Kleene conjunction: False if any is false, else None if any is unknown, else True (True when empty)."""
    result: Truth = True
    for truth in truths:
        if truth is False:
            return False
        if truth is None:
            result = None
    return result


def kleene_any(truths: Iterable[Truth]) -> Truth:
    """Kleene disjunction: True if any is true, else None if any is unknown, else False (False when empty)."""
    result: Truth = False
    for truth in truths:
        if truth is True:
            return True
        if truth is None:
            result = None
    return result


def _not(truth: Truth) -> Truth:
    return None if truth is None else not truth


def observed(state: OrgState, path: str, ftype: FieldType, data: Mapping[str, Any] | None = None) -> Any:
    """The value a condition compares at ``path``: :data:`UNKNOWN` where the timeline does not know it.

    A count whose source gives a range is its :class:`Bounds`.
    """
    data = state.to_dict() if data is None else data
    steps = path.split(".")
    always = steps[0] in _ALWAYS_KNOWN or (steps[0] in ("people", "stakeholders") and steps[2:] == ["name"])
    if not always and not state.is_known(path):
        return UNKNOWN
    value = read_field(data, path)
    if ftype.bounds is not None:
        span = read_field(data, ftype.bounds)
        if isinstance(span, list) and len(span) == 2:
            return Bounds(span[0], span[1])
    if value is None and not ftype.nullable:
        return UNKNOWN  # null here only ever stands for unknown (a count given as no number, a seat on no board)
    return value


def compare(op: str, current: Any, value: Any) -> Truth:
    """``current op value`` in three-valued logic: None when ``current`` is :data:`UNKNOWN` or cannot be compared.

    ``in`` tests membership of a list (never a substring of text), ``contains``
    membership in the list ``current``; ``current`` may be :class:`Bounds`.
    """
    if isinstance(current, Unknown):
        return None
    if isinstance(current, Bounds):
        return _compare_bounds(op, current, value)
    if op == "==":
        return bool(current == value)
    if op == "!=":
        return bool(current != value)
    if op in _ORDERING:
        if not (_number(current) and _number(value)):
            return None
        return _ORDER[op](current, value)
    if op in _MEMBERSHIP:
        if not isinstance(value, list | tuple):
            return None
        inside = current in value
        return inside if op == "in" else not inside
    if op in _CONTAINS:
        if not isinstance(current, list | tuple):
            return None
        inside = value in current
        return inside if op == "contains" else not inside
    return None


def _compare_bounds(op: str, bounds: Bounds, value: Any) -> Truth:
    low, high = bounds
    if op in _MEMBERSHIP:
        if not isinstance(value, list | tuple) or not all(_number(item) for item in value):
            return None
        inside = kleene_any(_equal_in(bounds, item) for item in value)
        return inside if op == "in" else _not(inside)
    if not _number(value):
        return None
    if op in ("==", "!="):
        equal = _equal_in(bounds, value)
        return equal if op == "==" else _not(equal)
    if op not in _ORDERING:
        return None
    # The least and greatest counts in the range decide: true for every one, false for every one, else unknown.
    first, last = (low, high) if op in (">=", ">") else (high, low)
    if first is not None and _ORDER[op](first, value):
        return True
    return False if last is not None and not _ORDER[op](last, value) else None


def _equal_in(bounds: Bounds, value: Any) -> Truth:
    low, high = bounds
    if (low is not None and value < low) or (high is not None and value > high):
        return False
    return True if low == high == value else None


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def condition_problem(condition: Condition, manifest: Manifest) -> tuple[str, str] | None:
    """Why ``condition`` could never be a sound comparison, as (``op`` or ``value``, message); None when it can.

    The field itself is checked first, by :func:`~orgsim.model.paths.state_field_problem`.

    >>> from orgsim.model.manifest import Manifest
    >>> m = Manifest(name="t", organisation="t", home_zone="UTC")
    >>> condition_problem(Condition(field="employees.headcount", op=">=", value="abc"), m)
    ('value', "'employees.headcount' is a count: compare it with a number, not 'abc'")
    """
    path, op, value = condition.field, condition.op, condition.value
    ftype = field_type(path)
    if ftype is None:
        return "op", f"{path!r} is a whole section: compare one of its entries"
    kind, what = ftype.kind, _WHAT[ftype.kind]
    if kind == "record":
        if not ftype.nullable:
            fields = ", ".join(f"{path}.{leaf}" for leaf in _TYPES[path.split(".")[0]] if leaf)
            return "op", f"{path!r} is {what}: compare one of its fields ({fields})"
        if op not in ("==", "!=") or value is not None:
            return "op", f"{path!r} is {what}: it compares only with null (== null: there is none; != null: there is)"
        return None
    if kind == "people":
        if op not in _CONTAINS:
            return "op", f"{path!r} is {what}, in no set order: test it with contains or not contains"
        return _item_problem(path, FieldType("person"), value, manifest)
    if op in _CONTAINS:
        return "op", f"{op!r} tests a list of people; {path!r} is {what} (use == or in)"
    if kind == "range" and op not in ("==", "!="):
        return "op", f"{path!r} is {what}: compare it with == or !="
    if op in _ORDERING and kind != "count":
        return "op", f"{op!r} compares counts; {path!r} is {what}"
    if op in _MEMBERSHIP:
        if not isinstance(value, list | tuple):
            return "value", f"{op!r} tests membership of a list: write [{value}], not {_shown(value)}"
        if not value:
            return "value", f"{op!r} needs a list of at least one value"
        for item in value:
            problem = _item_problem(path, ftype, item, manifest)
            if problem is not None:
                return problem
        return None
    return _item_problem(path, ftype, value, manifest)


def _item_problem(path: str, ftype: FieldType, value: Any, manifest: Manifest) -> tuple[str, str] | None:
    """Why ``value`` is not one ``ftype`` can hold where known, as ("value", message)."""
    if value is None:
        if ftype.nullable:
            return None
        return "value", f"{path!r} is never null where the timeline knows it: compare it with {_WHAT[ftype.kind]}"
    kind = ftype.kind
    if kind == "range":
        fits = isinstance(value, list | tuple) and len(value) == 2 and all(v is None or _number(v) for v in value)
        return None if fits else ("value", f"{path!r} is a range: compare it with [low, high] or null")
    if kind == "count":
        return None if _number(value) else ("value", f"{path!r} is a count: compare it with a number, not {value!r}")
    if kind == "flag":
        return None if isinstance(value, bool) else ("value", f"{path!r} is true or false, not {value!r}")
    if not isinstance(value, str):
        return "value", f"{path!r} is {_WHAT[kind]}: compare it with text, not {value!r}"
    if kind in ("person", "people") and value not in manifest.people:
        return "value", f"the timeline knows no person {value!r}"
    if ftype.choices and value not in ftype.choices:
        return "value", f"{path!r} is one of {', '.join(ftype.choices)}, not {value!r}"
    return None


def _shown(value: Any) -> str:
    return repr(value) if isinstance(value, str) else str(value)
