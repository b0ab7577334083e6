"""Paths into the state contract: ``ceo.person``, ``board.members``, ``people.sam-altman.at_org``...

The JSON contract of a state (:meth:`~orgsim.model.state.OrgState.to_dict`) is
addressed by dotted paths everywhere a user names a part of the state: rule
conditions and templates, measures, explanations.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from orgsim.errors import QueryError
from orgsim.model.manifest import Manifest
from orgsim.model.state import Holder, OrgState, PersonState, StakeholderState

STATE_SECTIONS = (
    "ceo",
    "offices",
    "board",
    "employees",
    "stakeholders",
    "people",
    "structure",
    "votes",
    "announced",
    "offers",
)
"""Top-level fields of the state contract a condition or template may read."""


_LEAVES: dict[str, tuple[str, ...]] = {
    "offices": ("person", "interim"),
    "stakeholders": ("name", "investment_usd", "investment_form", "board_seat", "employs", "staff_hired"),
    "people": ("name", "at_org", "on_leave", "affiliation", "former", "identified_as"),
    "votes": ("motion", "passed", "tally"),
    "offers": ("to", "by", "role", "office", "interim", "status"),
    "announced": (),
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
        "headcount_range",
        "open_letter_range",
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


def check_field(path: str, manifest: Manifest) -> None:
    """Refuse a ``path`` that names no field of the state contract: a :class:`~orgsim.errors.QueryError` naming it
    and the nearest path that does (a misspelt path is refused, never answered as if the timeline did not know).

    >>> from orgsim.model.manifest import Manifest
    >>> check_field("offcies.ceo", Manifest(name="t", organisation="t", home_zone="UTC"))
    Traceback (most recent call last):
    ...
    orgsim.errors.QueryError: unknown state field 'offcies.ceo': ...; did you mean 'offices.ceo'?
    """
    memo = manifest._path_memo
    if ("valid", path) in memo:
        return
    problem = state_field_problem(path, manifest)
    if problem is None:
        memo["valid", path] = True
        return
    near = nearest_field(path, manifest)
    raise QueryError(problem + (f"; did you mean {near!r}?" if near else ""))


_MOST_COMPARED = 10_000
"""The most names a misspelt step is compared with to suggest one (difflib is quadratic in the worst case)."""


def nearest_field(path: str, manifest: Manifest) -> str | None:
    """The path of the state contract nearest to ``path`` (each wrong step replaced by its closest name), or None.

    >>> from orgsim.model.manifest import Manifest
    >>> manifest = Manifest(name="t", organisation="t", home_zone="UTC")
    >>> nearest_field("boardd", manifest), nearest_field("ceo.person.x", manifest), nearest_field("x", manifest)
    ('board', 'ceo.person', None)
    """
    import difflib  # only an error needs it

    steps = path.split(".")
    found: list[str] = []
    for step in steps:
        options = _next_steps(found, manifest)
        if options is None:  # a key of the timeline's own (an office, a vote...): any name may follow
            found.append(step)
            continue
        if not options or len(options) > _MOST_COMPARED:
            break
        if step not in options:
            close = difflib.get_close_matches(step, options, n=1)
            if not close:
                return None
            step = close[0]
        found.append(step)
    near = ".".join(found)
    return near if found and near != path and state_field_problem(near, manifest) is None else None


def _next_steps(steps: list[str], manifest: Manifest) -> list[str] | None:
    """The names that may follow ``steps`` in a contract path ([] none, None any)."""
    if not steps:
        return list(STATE_SECTIONS)
    section = steps[0]
    if section in _FIXED:
        return list(_FIXED[section]) if len(steps) == 1 else []
    if section == "structure" or len(steps) > 2:
        return []
    if len(steps) == 2:
        return list(_LEAVES[section])
    registries: dict[str, Mapping[str, object]] = {"people": manifest.people, "stakeholders": manifest.organisations}
    known = registries.get(section)
    return list(known) if known is not None else None


def read_field(data: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted ``path`` of the state contract (None where a step is missing)."""
    value: Any = data
    for step in path.split("."):
        if isinstance(value, Mapping):
            value = value.get(step)
        else:
            return None
    return value


def office_value(holder: Holder | None) -> dict[str, Any] | None:
    """An office's value in the contract: ``{"person": id, "interim": bool}``, or None when vacant."""
    return None if holder is None else {"person": holder.person, "interim": holder.interim}


def person_values(state: PersonState) -> dict[str, Any]:
    """A person's leaves in the contract (``name`` aside: it never changes)."""
    return {
        "at_org": state.at_org,
        "on_leave": state.on_leave,
        "affiliation": state.affiliation,
        "former": state.former,
    }


def stakeholder_values(state: StakeholderState) -> dict[str, Any]:
    """A stakeholder's leaves in the contract that its own state holds (``name`` and ``board_seat`` aside)."""
    return {
        "investment_usd": state.investment_usd,
        "investment_form": state.investment_form,
        "employs": sorted(state.employs),
        "staff_hired": state.staff_hired,
    }


_EMPLOYEE_VALUES: dict[str, Callable[[OrgState], Any]] = {
    "headcount": lambda state: state.headcount,
    "headcount_qualifier": lambda state: state.headcount_qualifier,
    "open_letter_signatories": lambda state: state.open_letter_signatories,
    "open_letter_qualifier": lambda state: state.signatures_qualifier,
    "named_signatories": lambda state: sorted(state.signatories),
    "headcount_range": lambda state: _listed(state.headcount_range),
    "open_letter_range": lambda state: _listed(state.signatures_range),
}
"""How each ``employees.*`` leaf is read from a state (only the one asked for is worked out)."""


def value_at(state: OrgState, path: str) -> Any:
    """The value at a leaf ``path`` of ``state``'s contract, as :meth:`OrgState.to_dict` would give it.

    A path of no leaf (a whole section, an unknown key) gives None.

    >>> import orgsim
    >>> state = orgsim.load_timeline().state_at("2023-11-18T12:00-08:00")
    >>> value_at(state, "offices.ceo"), value_at(state, "board.chair")
    ({'person': 'mira-murati', 'interim': True}, None)
    """
    section, _, rest = path.partition(".")
    if not state.is_known("offices.ceo" if section == "ceo" else path):
        return None  # unknown reads null, as in the contract
    # Known from here on: each branch reads only the one value asked for (a sweep reads a few paths per world).
    if section == "offices" or (section == "ceo" and not rest):
        return office_value(state.office(rest or "ceo"))  # type: ignore[arg-type]
    if section == "ceo":
        holder = state.office("ceo")
        return None if holder is None else getattr(holder, rest, None)
    if section == "board":
        if rest == "chair":
            return state.chair
        seats = state.seats
        if rest == "members":
            return sorted(p for p, s in seats.items() if s.role == "voting")
        if rest == "observers":
            return sorted(p for p, s in seats.items() if s.role != "voting")
        if rest == "independent":
            return sorted(p for p, s in seats.items() if s.independent)
        return None
    if section == "employees":
        read = _EMPLOYEE_VALUES.get(rest)
        return None if read is None else read(state)
    if section == "structure":
        return state.structure
    key, _, leaf = rest.partition(".")
    if section == "people":
        person = state.person(key)
        if leaf == "identified_as":
            return state.identified.get(key)
        if person is None or not person.known:
            return None
        return state.name_of(key) if leaf == "name" else person_values(person).get(leaf)
    if section == "stakeholders":
        role = state.stakeholder(key)
        if role is None:
            return None
        if leaf == "board_seat":
            return state.stakeholder_board_seat(key) if state.is_known("board") else None
        if leaf == "name":
            known = state.manifest.organisations.get(key)
            return known.name if known else key
        return stakeholder_values(role).get(leaf)  # type: ignore[arg-type]
    if section == "votes":
        record = state.votes.get(key)
        return None if record is None else {"motion": record.motion, "passed": record.passed, "tally": record.tally}
    if section == "announced":
        return state.announced.get(key)
    if section == "offers":
        offer = state.offers.get(key)
        return None if offer is None else (offer._asdict() if not leaf else getattr(offer, leaf, None))
    return None


def _listed(pair: tuple[Any, Any] | None) -> list[Any] | None:
    return None if pair is None else list(pair)
