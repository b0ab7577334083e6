"""Writing output files and folders atomically: a reader sees the old one or the whole new one, never half.

A regular file (or a new path) is written to a temporary file in the target's
own folder, so the final rename stays on one file system, and replaces the
target with ``os.replace``. If anything fails, or the process is stopped by an
exception (the CLI turns SIGTERM, SIGINT and SIGHUP into one), the temporary
file is removed and the target is untouched. The rules for other targets:

- a symbolic link is followed: the file it points to is replaced, the link stays;
- a character device or a FIFO (``/dev/null``, ``/dev/stdout``, a named pipe) is
  written directly, since it cannot be replaced and holds no old content to keep;
- a folder, a block device or a socket is refused with :class:`~orgsim.errors.OutputError`.

The new file's mode is what ``open(path, "w")`` would give: an existing file
keeps its mode (and, where permitted, its owner); a new one is created with
0o666 so that the kernel applies the umask, which is never read or changed.

Temporary names say who made them: ``.NAME.orgsim-PID-HOST-RANDOM.part``. A
writer killed outright (SIGKILL, a power cut) cannot clean up, so every write
first removes the temporary files and folders in its target's folder whose
writer (same user, same machine) is gone.

:func:`write_folder` does the same for a whole folder: it is built in a sibling
temporary folder and renamed into place.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> write_text(folder / "note.txt", "hello")
>>> (folder / "note.txt").read_text()
'hello'
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import stat
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from orgsim.errors import OutputError

_NODE = os.uname().nodename if hasattr(os, "uname") else os.environ.get("COMPUTERNAME", "")
_HOST = f"{zlib.crc32(_NODE.encode('utf-8', 'replace')):08x}"
"""This machine, in temporary names: a process id means nothing on another machine sharing the folder."""
_TEMPORARY = re.compile(r"\.orgsim-(?P<pid>[0-9]+)-(?P<host>[0-9a-f]{8})-[0-9a-f]+\.(?:part|old)\Z")
_NAME_BYTES = 120  # of the target's name kept in a temporary name, so that it stays within NAME_MAX


def write_atomic(path: str | Path, write: Callable[[BinaryIO], None]) -> None:
    """Create or replace ``path`` with what ``write`` writes to the binary handle it is given.

    Raises :class:`~orgsim.errors.OutputError` naming the file when the folder
    is missing or not writable, the target is a folder (or another kind of
    file that cannot be written), or the write fails; no temporary file is
    left. Exceptions raised by ``write`` itself propagate unchanged (after
    cleaning up).
    """
    shown = str(path)
    target, existing = _target_file(Path(path), shown)
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        _write_stream(target, write, shown)
        return
    _remove_stale(target.parent)
    temporary = _temporary_path(target, ".part")
    try:
        try:
            handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
        except OSError as exc:
            reason = "the folder does not exist" if isinstance(exc, FileNotFoundError) else _reason(exc)
            raise OutputError(f"cannot write the file: {reason}", file=shown) from exc
        with os.fdopen(handle, "wb") as stream:
            if existing is not None:
                _keep_mode_and_owner(stream.fileno(), existing)
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
        _sync_folder(target.parent)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write the file: {_reason(exc)}", file=shown) from exc
        raise


def write_bytes(path: str | Path, data: bytes) -> None:
    """Create or replace ``path`` with ``data``, atomically (see :func:`write_atomic`)."""

    def write(stream: BinaryIO) -> None:
        stream.write(data)

    write_atomic(path, write)


def write_text(path: str | Path, text: str) -> None:
    """Create or replace ``path`` with ``text`` in UTF-8, atomically (see :func:`write_atomic`)."""
    write_bytes(path, text.encode("utf-8"))


def write_folder(path: str | Path, build: Callable[[Path], None], *, replace: bool = False) -> Path:
    """Create ``path`` as a folder whose files ``build`` writes, all at once; return where it now is.

    ``build`` is given an empty sibling temporary folder to fill; only when it
    returns is that folder renamed to ``path``. A missing or empty ``path`` is
    created or replaced; a non-empty one is refused with
    :class:`~orgsim.errors.OutputError` unless ``replace`` is true, and then
    swapped for the new one in one step where the file system allows it
    (Linux's ``renameat2``), else by two renames in a row. A symbolic link is
    followed. If anything fails the temporary folder is removed and ``path``
    is as it was. The files ``build`` writes should be flushed to disk
    (see :func:`write_file_durably`).

    >>> import tempfile, pathlib
    >>> where = pathlib.Path(tempfile.mkdtemp()) / "made"
    >>> made = write_folder(where, lambda folder: write_file_durably(folder / "a.txt", b"a"))
    >>> sorted(p.name for p in made.iterdir())
    ['a.txt']
    """
    shown = str(path)
    target, existing = _target_folder(Path(path), shown)
    if existing is not None and not replace and _is_not_empty(target, shown):
        raise OutputError("the folder is not empty", file=shown)
    _remove_stale(target.parent)
    temporary = _temporary_path(target, ".part")
    try:
        try:
            os.mkdir(temporary, 0o777)  # the umask applies, as for a plain mkdir
        except OSError as exc:
            reason = "the folder it would be in does not exist" if isinstance(exc, FileNotFoundError) else None
            raise OutputError(f"cannot write the folder: {reason or _reason(exc)}", file=shown) from exc
        if existing is not None:
            os.chmod(temporary, existing.st_mode & 0o777)
        build(temporary)
        _sync_folder(temporary)
        if existing is not None and replace:
            _swap_in(temporary, target)
        else:
            try:
                os.rename(temporary, target)  # onto a missing or empty folder only
            except OSError as exc:
                if exc.errno in (errno.ENOTEMPTY, errno.EEXIST):
                    raise OutputError("the folder is not empty", file=shown) from exc
                raise
        _sync_folder(target.parent)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            shutil.rmtree(temporary)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write the folder: {_reason(exc)}", file=shown) from exc
        raise
    return target


def write_file_durably(path: Path, data: bytes) -> None:
    """Write ``data`` to the new or scratch file ``path`` and flush it to disk (not atomic by itself)."""
    with open(path, "wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())


# -- what the target is ---------------------------------------------------------------------------


def _target_file(path: Path, shown: str) -> tuple[Path, os.stat_result | None]:
    """Where a file write goes (links followed) and what is there now; refuses what cannot be written."""
    existing = _stat(path, shown)
    if existing is None:
        return Path(os.path.realpath(path)), None  # a new path, or where a dangling link points
    mode = existing.st_mode
    if stat.S_ISREG(mode):
        return Path(os.path.realpath(path)), existing
    if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        return path, existing  # opened as given: /dev/stdout and its kin resolve only in the kernel
    kind = "a folder" if stat.S_ISDIR(mode) else "a block device" if stat.S_ISBLK(mode) else "a socket"
    raise OutputError(f"cannot write the file: it is {kind}", file=shown)


def _target_folder(path: Path, shown: str) -> tuple[Path, os.stat_result | None]:
    """Where a folder write goes (links followed) and what is there now; refuses anything but a folder."""
    existing = _stat(path, shown, kind="folder")
    if existing is not None and not stat.S_ISDIR(existing.st_mode):
        raise OutputError("cannot write the folder: a file of that name exists and is not a folder", file=shown)
    return Path(os.path.realpath(path)), existing


def _stat(path: Path, shown: str, kind: str = "file") -> os.stat_result | None:
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None
    except NotADirectoryError as exc:
        raise OutputError(f"cannot write the {kind}: a part of its path is not a folder", file=shown) from exc
    except OSError as exc:
        raise OutputError(f"cannot write the {kind}: {_reason(exc)}", file=shown) from exc


def _is_not_empty(folder: Path, shown: str) -> bool:
    try:
        with os.scandir(folder) as entries:
            return any(True for _ in entries)
    except OSError as exc:
        raise OutputError(f"cannot write the folder: {_reason(exc)}", file=shown) from exc


# -- writing --------------------------------------------------------------------------------------


def _write_stream(target: Path, write: Callable[[BinaryIO], None], shown: str) -> None:
    """Write to a character device or FIFO in place: there is nothing to replace, nor to keep."""
    try:
        # no O_CREAT: if the device vanished meanwhile, fail rather than make a regular file in its place
        handle = os.open(target, os.O_WRONLY | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as exc:
        raise OutputError(f"cannot write the file: {_reason(exc)}", file=shown) from exc
    try:
        with os.fdopen(handle, "wb") as stream:
            kind = os.fstat(stream.fileno()).st_mode
            if not (stat.S_ISCHR(kind) or stat.S_ISFIFO(kind)):
                raise OutputError("cannot write the file: it changed while it was being opened", file=shown)
            write(stream)
    except OSError as exc:
        raise OutputError(f"cannot write the file: {_reason(exc)}", file=shown) from exc


def _keep_mode_and_owner(handle: int, existing: os.stat_result) -> None:
    """Give the new file the old one's mode and, where permitted, its owner (as ``open(path, "w")`` keeps them)."""
    if (existing.st_uid, existing.st_gid) != (os.geteuid(), os.getegid()):
        with contextlib.suppress(OSError):
            os.fchown(handle, existing.st_uid, existing.st_gid)
    os.fchmod(handle, existing.st_mode & 0o777)  # never set-id bits on what orgsim writes


def _swap_in(new: Path, target: Path) -> None:
    """Put the folder ``new`` at ``target`` and the old ``target`` at ``new``, then remove the old one."""
    if not _exchange(new, target):
        old = _temporary_path(target, ".old")  # kept, not removed by later runs, if we die between the renames
        os.rename(target, old)
        try:
            os.rename(new, target)
        except BaseException:
            os.rename(old, target)
            raise
        os.rename(old, new)
    shutil.rmtree(new, ignore_errors=True)  # the new folder is in place; what is left is stale


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step with Linux's ``renameat2(RENAME_EXCHANGE)``; False where that is unavailable."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (ImportError, OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):  # an old kernel, or a file system without it
        return False
    raise OSError(code, os.strerror(code), str(second))


def _sync_folder(folder: Path) -> None:
    """Flush a folder's entries to disk, so a rename survives a crash (best effort: not every system allows it)."""
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


# -- temporary names ------------------------------------------------------------------------------


def _temporary_path(target: Path, suffix: str) -> Path:
    """A fresh name beside ``target`` that says it is orgsim's, whose process made it, and on which machine."""
    name = os.fsdecode(os.fsencode(target.name)[:_NAME_BYTES])
    return target.parent / f".{name}.orgsim-{os.getpid()}-{_HOST}-{os.urandom(6).hex()}{suffix}"


def _remove_stale(folder: Path) -> None:
    """Remove the temporary files and folders in ``folder`` left by orgsim writers that are gone.

    Only entries of this user, made on this machine by a process that no
    longer exists, and named ``.part`` (a ``.old`` holds a folder's previous
    content, left for the user to recover).
    """
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        found = _TEMPORARY.search(entry.name)
        if not entry.name.startswith(".") or found is None or not entry.name.endswith(".part"):
            continue
        if found["host"] != _HOST or _is_running(int(found["pid"])):
            continue
        with contextlib.suppress(OSError):
            if entry.stat(follow_symlinks=False).st_uid != os.geteuid():
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)


def _is_running(pid: int) -> bool:
    if pid <= 0:
        return True  # not a process id we could have written; leave it alone
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, but is another user's
    return True


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)
