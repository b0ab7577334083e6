"""The one exception hierarchy of orgsim.

Every error a user can cause derives from :class:`OrgsimError` and renders as
one line that says where the problem is (file, event, field) and what it is.
The CLI turns any of them into that line on stderr and exit status 2.
"""

from __future__ import annotations

import re

_CONTROLS = (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0))  # C0, DEL, C1 (ESC and CSI among them)
# Line and paragraph separators, and the marks, embeddings, overrides and isolates that reorder text.
_REORDERING = (0x061C, 0x200E, 0x200F, 0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
_SURROGATES = range(0xD800, 0xE000)  # an undecodable byte of a command line arrives as one of these


class _Escapes(dict[int, str]):
    """A ``str.translate`` table that writes lone surrogates as ``\\uXXXX`` without listing all 2,048 of them
    (building them cost every command a millisecond at start)."""

    def __missing__(self, code: int) -> str:
        if code in _SURROGATES:
            return f"\\u{code:04x}"
        raise LookupError(code)


def _escape_table() -> _Escapes:
    table = _Escapes({code: f"\\x{code:02x}" for code in _CONTROLS})
    table.update({ord("\t"): "\\t", ord("\n"): "\\n", ord("\r"): "\\r"})
    table.update({code: f"\\u{code:04x}" for code in _REORDERING})
    return table


_ESCAPES = _escape_table()
_JSON_ESCAPES = _Escapes({code: f"\\u{code:04x}" for code in (*_CONTROLS[0x20:], *_REORDERING)})
_LINE_BREAKS = re.compile(r"[ \t]*(?:\r\n|\r|\n)\s*")


def printable(text: str, *, keep_newlines: bool = False) -> str:
    r"""``text`` with every control character escaped, safe to show on a terminal.

    C0 and C1 controls (ESC among them), DEL, the Unicode line and paragraph
    separators, the bidirectional marks and overrides, and lone surrogates
    (what an undecodable byte of a command line becomes) turn into visible
    escapes such as ``\x1b``, so that no input can move the cursor, set a
    window title, clear the screen, split one line into two or fail to encode. With
    ``keep_newlines``, ``\n`` is kept as the line break it is (for a page of
    lines already escaped one by one).

    >>> printable("Ada\x1b[2J\nLovelace")
    'Ada\\x1b[2J\\nLovelace'
    """
    if text.isprintable():  # the common case: nothing to escape
        return text
    if keep_newlines:
        return "\n".join(line.translate(_ESCAPES) for line in text.split("\n"))
    return text.translate(_ESCAPES)


def json_printable(document: str) -> str:
    r"""JSON text with the characters :func:`printable` escapes written as ``\uXXXX`` escapes.

    ``json.dumps(..., ensure_ascii=False)`` escapes the C0 controls only; DEL,
    C1 (``\x9b`` is a terminal's CSI) and the line separators and bidi
    controls would reach the terminal raw. They can only stand inside a JSON
    string, where the escape means the same character.

    >>> json_printable('["\u202eevil"]')
    '["\\u202eevil"]'
    """
    return document.translate(_JSON_ESCAPES)


def one_line(message: str) -> str:
    """A message as one printable line: line breaks (as in a parser's multi-line message) joined with a space."""
    return printable(_LINE_BREAKS.sub(" ", message.strip()))


class OrgsimError(Exception):
    """Base class of every error orgsim raises on purpose.

    ``file``, ``event`` and ``field`` locate the problem when known; ``str()``
    of the error is the single line shown to users.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        event: str | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.event = event
        self.field = field
        super().__init__(self.render())

    def render(self) -> str:
        """The error as one line: ``file: event 'x': field 'y': message``.

        Every part is escaped with :func:`printable` (the message's own line
        breaks are joined first), so the line stays one line whatever the
        input held.
        """
        parts: list[str] = []
        if self.file:
            parts.append(printable(self.file))
        if self.event:
            parts.append(f"event '{printable(self.event)}'")
        if self.field:
            parts.append(f"field '{printable(self.field)}'")
        parts.append(one_line(self.message))
        return ": ".join(parts)


class TimeInputError(OrgsimError):
    """An instant or time zone given by the user could not be understood."""


class LoadError(OrgsimError):
    """A timeline, event file or scenario file is missing, malformed or invalid."""


class ReplayError(OrgsimError):
    """An event could not be applied to the state it meets during replay."""


class ConflictError(ReplayError):
    """An event's preconditions do not hold in the state it meets.

    In a what-if world the scenario's policy decides whether this stops the
    run (``strict``) or drops the event with its reason (``skip``).
    """


class ScenarioError(OrgsimError):
    """A scenario file or scenario built in Python is invalid."""


class QueryError(OrgsimError, ValueError):
    """A question asked of a timeline names what it does not have: a field of the state, an office, a person.

    It is a ``ValueError`` too, as these refusals were before they joined the hierarchy.
    """


class OutputError(OrgsimError):
    """An output file (report, plot, converted timeline) could not be written."""
