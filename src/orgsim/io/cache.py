"""A cache of validated timelines, so that a command on an unchanged timeline skips validation.

Loading the bundled timeline validates every event with pydantic; most of
that cost is building the validators, once per process. A timeline folder
whose files are byte for byte as before is instead read back from a pickle
written after its last successful load. The key is a hash of every file's
name and bytes plus the versions of orgsim, pydantic and Python and a
fingerprint of orgsim's own modules, so any edit or upgrade misses the
cache. Only small timelines are cached (large ones load through the JSON
Lines fast path anyway).

The cache lives in ``$ORGSIM_CACHE_DIR``, else ``$XDG_CACHE_HOME/orgsim``,
else ``~/.cache/orgsim``; ``ORGSIM_NO_CACHE=1`` turns it off. A cache that
cannot be read or written is simply not used.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

MAX_CACHED_BYTES = 8 * 1024 * 1024
"""Timelines whose files add up to more than this are not cached."""


def cache_dir() -> Path | None:
    """Where cached timelines go, or None when caching is turned off."""
    if os.environ.get("ORGSIM_NO_CACHE"):
        return None
    explicit = os.environ.get("ORGSIM_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "orgsim"


def _versions() -> bytes:
    """What the cached objects depend on besides the files: the libraries, and orgsim's own code.

    Every module of the package is fingerprinted by name, size and
    modification time, so a changed checkout (same version number, new record
    layout, say) misses the cache rather than unpickling stale objects.
    """
    import pydantic
    import pydantic_core

    from orgsim._version import __version__

    lines = [sys.version, f"orgsim={__version__}", f"pydantic={pydantic.VERSION}", f"core={pydantic_core.__version__}"]
    package = Path(__file__).parents[1]
    try:
        for module in sorted(package.rglob("*.py")):
            stat = module.stat()
            lines.append(f"{module.relative_to(package)}:{stat.st_size}:{stat.st_mtime_ns}")
    except OSError:
        lines.append(f"{package}:unreadable")
    return "\n".join(lines).encode()


def cached(files: Sequence[Path], build: Callable[[], T]) -> T:
    """``build()``'s result for these exact file contents, from the cache when possible.

    The key also holds where the files are and the working directory, since
    the result names its files as the user sees them.
    """
    folder = cache_dir()
    if folder is None:
        return build()
    try:
        sizes = [path.stat().st_size for path in files]
    except OSError:
        return build()
    if sum(sizes) > MAX_CACHED_BYTES:
        return build()
    digest = hashlib.blake2b(_versions(), digest_size=20)
    try:
        digest.update(os.getcwd().encode() + b"\0")
        for path in files:
            digest.update(str(path.resolve()).encode() + b"\0" + path.read_bytes() + b"\0")
    except OSError:
        return build()
    entry = folder / f"{digest.hexdigest()}.pickle"
    try:
        with entry.open("rb") as stored:
            hit: T = pickle.load(stored)
            return hit
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        pass
    result = build()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=folder, suffix=".tmp", delete=False) as handle:
            pickle.dump(result, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, entry)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        with contextlib.suppress(OSError, NameError):
            os.unlink(handle.name)
    return result
