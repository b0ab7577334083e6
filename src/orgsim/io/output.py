"""Writing output files atomically: a reader sees the old file or the whole new one, never half.

The bytes go to a temporary file in the target's own folder (so the final
rename stays on one file system) and replace the target with ``os.replace``.
If anything fails the temporary file is removed and the target is untouched.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> write_text(folder / "note.txt", "hello")
>>> (folder / "note.txt").read_text()
'hello'
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from orgsim.errors import OutputError


def _default_mode() -> int:
    """The mode a newly created file gets here (0o666 less the umask); mkstemp's own is 0o600."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_atomic(path: str | Path, write: Callable[[BinaryIO], None]) -> None:
    """Create or replace ``path`` with what ``write`` writes to the binary handle it is given.

    Raises :class:`~orgsim.errors.OutputError` naming the file when the folder
    is missing or not writable, or the write fails; no temporary file is left.
    Exceptions raised by ``write`` itself propagate unchanged (after cleaning up).
    """
    target = Path(path)
    shown = str(target)
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    except OSError as exc:
        reason = "the folder does not exist" if isinstance(exc, FileNotFoundError) else (exc.strerror or str(exc))
        raise OutputError(f"cannot write the file: {reason}", file=shown) from exc
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _default_mode())
        os.replace(temporary, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write the file: {exc.strerror or exc}", file=shown) from exc
        raise


def write_bytes(path: str | Path, data: bytes) -> None:
    """Create or replace ``path`` with ``data``, atomically (see :func:`write_atomic`)."""

    def write(stream: BinaryIO) -> None:
        stream.write(data)

    write_atomic(path, write)


def write_text(path: str | Path, text: str) -> None:
    """Create or replace ``path`` with ``text`` in UTF-8, atomically (see :func:`write_atomic`)."""
    data = text.encode("utf-8")

    def write(stream: BinaryIO) -> None:
        stream.write(data)

    write_atomic(path, write)
