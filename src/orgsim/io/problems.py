"""The wording of loading's problems, and where they are kept: one printable line naming file, event and field.

:class:`Problems` is where loading puts what it finds: the first problem is
raised (:data:`RAISE`, the default), or up to a limit are kept
(``orgsim validate``, :data:`MAX_PROBLEMS`). :func:`describe_validation_error`
turns a pydantic error into the user's terms (a misspelt field, an unknown
event type, a year outside the supported ones), and :func:`most_telling` and
:func:`telling` choose which of pydantic's errors are worth a line.
:func:`display_path`, :func:`shown_file` and :func:`relocate` name the file a
problem is in as a path the user can open.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from orgsim.errors import OrgsimError
from orgsim.io.reading import preview, printable, shorten
from orgsim.model.events import EVENT_TYPES, FIRST_YEAR, LAST_YEAR, Source

T = TypeVar("T")

MAX_PROBLEMS = 50
"""How many problems :func:`~orgsim.io.loading.check_folder` (``orgsim validate``) reports at most."""


def display_path(path: Path) -> str:
    """``path`` relative to the working directory when under it, else absolute (control characters escaped)."""
    try:
        shown = os.path.relpath(path) if Path.cwd() in path.resolve().parents else str(path)
    except (ValueError, OSError):
        shown = str(path)
    return printable(shown)


def shown_file(folder: Path | None, name: str | None) -> str | None:
    """An event file named relative to its timeline folder, as an error shows it (a path the user can open)."""
    if name is None or folder is None:
        return name
    return display_path(folder / name)


def relocate(error: OrgsimError, folder: Path | None, names: Iterable[str] | None = None) -> OrgsimError:
    """Point ``error`` at an openable path when it names an event file relative to ``folder``.

    Replay names the file of a failing event from the timeline's origins,
    which are relative to the timeline folder; an error shown to the user
    joins them to the folder. ``names`` (default: any) limits which file
    names are taken as relative to ``folder``.
    """
    if error.file is not None and folder is not None and (names is None or error.file in names):
        error.file = shown_file(folder, error.file)
        error.args = (error.render(),)
    return error


class Enough(Exception):
    """Raised by :class:`Problems` once it holds more problems than it reports."""


@dataclass
class Problems:
    """Where loading puts the problems it finds: the first is raised (the default), or up to ``limit`` are kept.

    With ``limit`` set, checks go on after a problem, so that one run reports
    every problem (``orgsim validate``); one past the limit stops the run and
    sets ``more``.
    """

    limit: int | None = None
    errors: list[OrgsimError] = field(default_factory=list)
    more: bool = False

    @property
    def collecting(self) -> bool:
        """Whether problems are kept rather than raised."""
        return self.limit is not None

    def add(self, error: OrgsimError) -> None:
        """Raise ``error`` or keep it; stop the run once past the limit."""
        if self.limit is None:
            raise error
        if len(self.errors) >= self.limit:
            self.more = True
            raise Enough
        self.errors.append(error)

    def run(self, check: Callable[..., T], *args: Any) -> T | None:
        """``check(*args)`` (a check given these problems), or None when it stopped past the limit."""
        try:
            return check(*args)
        except Enough:
            return None


RAISE = Problems()
"""The default :class:`Problems`: each problem is raised, so the first one stops the run."""


def describe_validation_error(error: Mapping[str, Any], tagged: bool = True) -> tuple[str | None, str]:
    """Turn one pydantic error into (field path, message) in the user's terms, each one printable line."""
    loc = [shorten(part) if isinstance(part, str) else str(part) for part in error["loc"]]
    kind = error["type"]
    if tagged and loc and loc[0] in EVENT_TYPES:
        loc = loc[1:]
    path = ".".join(loc) or None
    given = error.get("input")
    if kind == "extra_forbidden":
        model: type[BaseModel] | None = EVENT_TYPES.get(str(error["loc"][0])) if error["loc"] else None
        if model is not None and len(loc) >= 3 and loc[0] == "sources":
            model = Source  # a field of one of the event's sources: name the source's fields
        hint = ""
        if model is not None and loc:
            import difflib  # only an error needs it: not imported on the way to an answer

            close = difflib.get_close_matches(loc[-1], list(model.model_fields), n=1)
            hint = (
                f"; did you mean {close[0]!r}?"
                if close
                else f"; {_kind_name(model)} takes: " + ", ".join(name for name in model.model_fields if name != "type")
            )
        return path, f"unknown field (check its spelling{hint})"
    if kind == "missing":
        return path, "required field missing"
    if kind == "union_tag_invalid":
        known = ", ".join(sorted(EVENT_TYPES))
        tag = (error.get("ctx") or {}).get("tag", given)
        return "type", f"unknown event type {shorten(tag)!r} (known types: {known})"
    if kind == "union_tag_not_found":
        return "type", "missing 'type' (the event kind)"
    if kind == "rule_template":
        return path, printable(str(error["msg"]))
    if kind == "string_type" and given is None and loc and loc[-1] == "translation":
        return path, "required field missing (a translation of the quote, unless the source says language: en)"
    if kind in _BOUNDS and _year_bound((error.get("ctx") or {}).get(_BOUNDS[kind])):
        return path, f"outside the supported years {FIRST_YEAR}-{LAST_YEAR} (got {preview(given)})"
    message = printable(str(error["msg"]))
    if kind == "value_error":
        return path, message.removeprefix("Value error, ")
    if kind == "float_type" and isinstance(given, str) and _number_text(given):
        message += " (YAML reads 1e9 as text: write 1.0e+9 or 1000000000)"
    return path, f"{message} (got {preview(given)})"


def _kind_name(model: type[BaseModel]) -> str:
    kind = model.model_fields.get("type")
    return str(kind.default) if kind is not None else "a source"


_BOUNDS = {"greater_than_equal": "ge", "less_than": "lt", "less_than_equal": "le"}


def _year_bound(bound: Any) -> bool:
    """Whether a bound in a pydantic error is one of the supported years' (an instant's or a date's)."""
    text = bound.isoformat() if isinstance(bound, (datetime, date)) else str(bound)
    return text[:5] in (f"{FIRST_YEAR}-", f"{LAST_YEAR}-", f"{LAST_YEAR + 1}-")


def _number_text(text: str) -> bool:
    try:
        float(text[:100])
    except ValueError:
        return False
    return True


def most_telling(errors: Sequence[Mapping[str, Any]]) -> Mapping[str, Any]:
    """The error to show first: a typo shows up as an unknown field plus a missing one, and the
    unknown field explains both (pydantic's order of the two differs between versions)."""
    first = errors[0]
    return next((e for e in errors if e["type"] == "extra_forbidden" and e["loc"][:1] == first["loc"][:1]), first)


def telling(errors: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Every error worth a line: a field reported missing next to a misspelling of it is left out."""
    import difflib

    unknown = [str(e["loc"][-1]) for e in errors if e["type"] == "extra_forbidden" and e["loc"]]
    return [
        e
        for e in errors
        if not (e["type"] == "missing" and e["loc"] and difflib.get_close_matches(str(e["loc"][-1]), unknown, n=1))
    ]


def event_id(raw: Any) -> str | None:
    """The id of a raw (not yet validated) event, shortened to show in a problem; None when it has none."""
    if isinstance(raw, dict):
        ident = raw.get("id")
        return shorten(ident) if isinstance(ident, (str, int)) and not isinstance(ident, bool) else None
    return None


def and_more(message: str, others: int) -> str:
    """``message``, saying how many more problems (``others``) there are when only the first is raised."""
    return message + (f" (and {others} more problem{'s' if others > 1 else ''})" if others else "")
