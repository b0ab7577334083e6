"""The one exception hierarchy of orgsim.

Every error a user can cause derives from :class:`OrgsimError` and renders as
one line that says where the problem is (file, event, field) and what it is.
The CLI turns any of them into that line on stderr and exit status 2.
"""

from __future__ import annotations


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
        """The error as one line: ``file: event 'x': field 'y': message``."""
        parts: list[str] = []
        if self.file:
            parts.append(self.file)
        if self.event:
            parts.append(f"event '{self.event}'")
        if self.field:
            parts.append(f"field '{self.field}'")
        parts.append(self.message)
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


class OutputError(OrgsimError):
    """An output file (report, plot, converted timeline) could not be written."""
