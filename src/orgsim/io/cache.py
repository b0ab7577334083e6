"""A cache of validated timelines, so that a command on an unchanged timeline skips validation.

Loading the bundled timeline validates every event with pydantic, and most of
that cost is building the validators, once per process. The command line
(and a library user who asks for it) can keep instead, for each set of file
contents that loaded cleanly, the validated records in a cache entry, and
read them back on the next run.

An entry is untrusted data on disk, so it is kept safe to read:

* **No code.** Entries are JSON: values, never objects that run anything
  when read. They are decoded field by field into records; anything that is
  not exactly what an entry should hold is a miss.
* **One read.** The key hashes the very bytes the loader then parses (the
  caller reads each file once and hands both steps the same bytes), plus the
  versions of orgsim, pydantic and Python and a fingerprint of orgsim's own
  modules: any edit or upgrade misses.
* **Signed.** Each entry carries a keyed hash (BLAKE2b) made with a secret
  kept in the cache folder, readable by its owner only: an entry altered by
  anyone who cannot read the secret, or cut short, is a miss.
* **A private folder.** The folder is used only when it is a real directory
  owned by the user and writable by nobody else (it is created with mode
  0o700, and checked after following any link to it); entries are opened
  relative to the folder without following links.
  Otherwise the cache is not used, and :func:`open_cache` says why.

The folder is ``$ORGSIM_CACHE_DIR``, else ``$XDG_CACHE_HOME/orgsim``, else
``~/.cache/orgsim``; ``ORGSIM_NO_CACHE=1`` turns the cache off. Only small
timelines are cached (large ones load through the JSON Lines fast path). The
library uses the cache only when asked (``load_timeline(path, cache=True)``);
the command line asks.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import stat
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from orgsim.model.manifest import Manifest
from orgsim.model.records import RECORD_TYPES, EventRecord, record_class
from orgsim.model.sharing import FrozenDict

MAX_CACHED_BYTES = 8 * 1024 * 1024
"""Timelines whose files add up to more than this are not cached."""

FORMAT = 3
"""The entry format; entries of any other format are misses."""

_SECRET = "secret"
_SUFFIX = ".json"


@dataclass(frozen=True, slots=True)
class CachedTimeline:
    """What an entry holds: a timeline's manifest, records in replay order, the file of each id, the instants."""

    manifest: Manifest
    events: tuple[EventRecord, ...]
    origins: dict[str, str]
    epochs: tuple[float, ...]


def cache_folder() -> Path | None:
    """Where cached timelines go, or None when caching is turned off (``ORGSIM_NO_CACHE``)."""
    if os.environ.get("ORGSIM_NO_CACHE"):
        return None
    explicit = os.environ.get("ORGSIM_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "orgsim"


def open_cache(folder: Path | None = None) -> tuple[TimelineCache | None, str | None]:
    """The cache in ``folder`` (default: :func:`cache_folder`), or None and why it is not used.

    The reason is None when caching is simply turned off.
    """
    where = folder if folder is not None else cache_folder()
    if where is None:
        return None, None
    try:
        where.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(where, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        return None, f"cannot use cache folder {where}: {exc.strerror or exc}"
    info = os.fstat(fd)
    problem = None
    if info.st_uid != os.getuid():
        problem = "it belongs to another user"
    elif info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        problem = "others can write to it"
    if problem is not None:
        os.close(fd)
        return None, f"not using cache folder {where}: {problem}"
    try:
        secret = _secret(fd)
    except OSError as exc:
        os.close(fd)
        return None, f"cannot use cache folder {where}: {exc.strerror or exc}"
    return TimelineCache(where, fd, secret), None


def _secret(folder: int) -> bytes:
    """The folder's signing secret, created on first use (readable by its owner only)."""
    try:
        fd = os.open(_SECRET, os.O_RDONLY | os.O_NOFOLLOW, dir_fd=folder)
    except FileNotFoundError:
        import secrets  # only when the secret is first made (it imports random and more)

        fresh = secrets.token_bytes(32)
        temporary = f".{_SECRET}.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600, dir_fd=folder)
        with os.fdopen(fd, "wb") as out:
            out.write(fresh)
        try:
            os.link(temporary, _SECRET, src_dir_fd=folder, dst_dir_fd=folder)  # never replaces a secret in use
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary, dir_fd=folder)
        fd = os.open(_SECRET, os.O_RDONLY | os.O_NOFOLLOW, dir_fd=folder)
    with os.fdopen(fd, "rb") as stream:
        info = os.fstat(stream.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
            raise PermissionError(f"its {_SECRET} file is not private to its owner")
        value = stream.read(64)
    if len(value) != 32:
        raise PermissionError(f"its {_SECRET} file is malformed")
    return value


def code_fingerprint() -> bytes:
    """What cached records depend on besides the files: the libraries and orgsim's own modules.

    Every module of the package is fingerprinted by name, size and
    modification time, so a changed checkout (same version number, new record
    layout, say) misses the cache.
    """
    import pydantic
    import pydantic_core

    from orgsim._version import __version__

    lines = [
        f"format={FORMAT}",
        sys.version,
        f"orgsim={__version__}",
        f"pydantic={pydantic.VERSION}",
        f"core={pydantic_core.__version__}",
    ]
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    modules: list[str] = []
    try:  # os.walk and its entries' stat, not pathlib: every command pays this at start
        for folder, subfolders, names in os.walk(package):
            subfolders[:] = sorted(name for name in subfolders if name != "__pycache__")
            relative = os.path.relpath(folder, package)
            for name in sorted(names):
                if name.endswith(".py"):
                    info = os.stat(os.path.join(folder, name))
                    path = os.path.normpath(os.path.join(relative, name))
                    modules.append(f"{path}:{info.st_size}:{info.st_mtime_ns}")
    except OSError:
        modules.append(f"{package}:unreadable")
    return "\n".join(lines + sorted(modules)).encode()


class TimelineCache:
    """An open, private cache folder: entries keyed by content, signed, read and written without following links."""

    def __init__(self, folder: Path, fd: int, secret: bytes) -> None:
        self.folder = folder
        self._fd = fd
        self._secret = secret

    def close(self) -> None:
        """Release the folder."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __enter__(self) -> TimelineCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @staticmethod
    def key(context: str, files: Sequence[tuple[str, bytes]]) -> str:
        """The entry key for these file names and contents, in this context (where the names are shown from)."""
        digest = hashlib.blake2b(code_fingerprint(), digest_size=20)
        digest.update(context.encode() + b"\0")
        for name, data in files:
            digest.update(len(name).to_bytes(8, "big") + name.encode())
            digest.update(len(data).to_bytes(8, "big") + data)
        return digest.hexdigest()

    def get(self, key: str) -> CachedTimeline | None:
        """The entry for ``key``, or None when there is none or it is not exactly a signed, well-formed entry."""
        try:
            fd = os.open(key + _SUFFIX, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=self._fd)
        except OSError:
            return None
        try:
            with os.fdopen(fd, "rb") as stream:
                info = os.fstat(stream.fileno())
                if not stat.S_ISREG(info.st_mode) or info.st_size > 2 * MAX_CACHED_BYTES + 4096:
                    return None
                blob = stream.read()
        except OSError:
            return None
        signature, _, payload = blob.partition(b"\n")
        expected = hmac.new(self._secret, key.encode() + b"\0" + payload, hashlib.blake2b).hexdigest()
        if not hmac.compare_digest(signature, expected.encode()):
            return None
        try:
            return _decode(json.loads(payload), key)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError):
            return None

    def put(self, key: str, entry: CachedTimeline) -> None:
        """Store ``entry`` under ``key`` (atomically; a failure to write only loses the entry)."""
        payload = json.dumps(_encode(entry, key), ensure_ascii=False, separators=(",", ":")).encode()
        signature = hmac.new(self._secret, key.encode() + b"\0" + payload, hashlib.blake2b).hexdigest().encode()
        import secrets

        temporary = f".{key}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
        try:
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600, dir_fd=self._fd)
            with os.fdopen(fd, "wb") as out:
                out.write(signature + b"\n" + payload)
            os.replace(temporary, key + _SUFFIX, src_dir_fd=self._fd, dst_dir_fd=self._fd)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary, dir_fd=self._fd)

    def entries(self) -> list[str]:
        """The keys of the entries in the folder."""
        return sorted(name[: -len(_SUFFIX)] for name in os.listdir(self._fd) if name.endswith(_SUFFIX))


class CacheWarning(UserWarning):
    """The cache folder is not used (another user's, writable by others, unreadable): the load goes on without it."""


def cached_timeline(
    files: Sequence[tuple[str, bytes]], context: str, build: Callable[[], CachedTimeline]
) -> CachedTimeline:
    """``build()``'s result for these file contents, from the cache when it has it.

    ``files`` pairs each file's name with the bytes ``build`` parses (read
    once). A cache folder that cannot be used is said with a
    :class:`CacheWarning`, and the timeline is built as if there were none.
    """
    if sum(len(data) for _, data in files) > MAX_CACHED_BYTES:
        return build()
    cache, why = open_cache()
    if cache is None:
        if why is not None:
            import warnings

            warnings.warn(why, CacheWarning, stacklevel=3)
        return build()
    with cache:
        key = cache.key(context, files)
        hit = cache.get(key)
        if hit is not None:
            return hit
        result = build()
        cache.put(key, result)
        return result


# ------------------------------------------------------------------------------------------------ encoding
# Values are written as JSON with a tag where JSON has no type of its own, and read back only into the
# types a record can hold: anything else raises, and the entry is a miss.


def _encode(entry: CachedTimeline, key: str) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "key": key,
        "manifest": _value(entry.manifest),
        "events": [[record.type, *map(_value, record.values()), sorted(record.fields_set)] for record in entry.events],
        "origins": entry.origins,
        "epochs": list(entry.epochs),
    }


def _value(value: Any) -> Any:
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, Fraction):
        return {"q": str(value)}
    if isinstance(value, datetime):
        return {"t": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if isinstance(value, BaseModel):
        fields = {name: _value(getattr(value, name)) for name in type(value).model_fields}
        return {"o": [type(value).__name__, sorted(value.model_fields_set), fields]}
    if isinstance(value, tuple):
        return {"l": [_value(item) for item in value]}
    if isinstance(value, dict):
        return {"m": [[_value(k), _value(v)] for k, v in value.items()]}
    raise TypeError(f"cannot cache a {type(value).__name__}")


_NATIVE = frozenset({str, bool, int, float, type(None)})
"""The types JSON reads that stand for themselves (checked by exact type: a hot path)."""


class Models(dict[str, tuple[type[BaseModel], frozenset[str]]]):
    """The model classes an entry may hold (the manifest's, the events' sources), each with its field names, by
    class name: nothing else is ever built. A class's names are read when an entry first holds one of its models
    (reading ``model_fields`` costs pydantic tens of microseconds a class, and an entry holds few of them)."""

    def __init__(self) -> None:
        super().__init__()
        from orgsim.model import events, governance, manifest

        self._classes: dict[str, type[BaseModel]] = {}
        for module in (events, governance, manifest):
            for value in vars(module).values():
                if isinstance(value, type) and issubclass(value, BaseModel) and value.__module__ == module.__name__:
                    self._classes[value.__name__] = value

    def __missing__(self, name: str) -> tuple[type[BaseModel], frozenset[str]]:
        model = self._classes[name]  # KeyError: not a model an entry may hold, and the entry is a miss
        found = self[name] = (model, frozenset(model.model_fields))
        return found


def _read(value: Any, models: Models) -> Any:
    if type(value) in _NATIVE:
        return value
    if not isinstance(value, dict) or len(value) != 1:
        raise ValueError("malformed value")
    ((tag, inner),) = value.items()
    if tag == "t":
        moment = datetime.fromisoformat(_text(inner))
        if moment.tzinfo is None:
            raise ValueError("naive instant")
        return moment
    if tag == "d":
        return date.fromisoformat(_text(inner))
    if tag == "q":
        return Fraction(_text(inner))
    if tag == "o":
        name, fields_set, fields = _list(inner)
        model, names = models[_text(name)]
        if not isinstance(fields, dict) or fields.keys() != names:
            raise ValueError("malformed model")
        given = {_text(field) for field in _list(fields_set)}
        return model.model_construct(
            given, **{k: v if type(v) in _NATIVE else _read(v, models) for k, v in fields.items()}
        )
    if tag == "l":
        return tuple(_read(item, models) for item in _list(inner))
    if tag == "m":
        pairs = [_list(pair) for pair in _list(inner)]
        return FrozenDict({_read(k, models): _read(v, models) for k, v in pairs})
    raise ValueError(f"unknown tag {tag!r}")


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("expected text")
    return value


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError("expected a list")
    return value


def _decode(data: Any, key: str) -> CachedTimeline:
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("key") != key:
        raise ValueError("not this entry")
    models = Models()
    manifest = _read(data["manifest"], models)
    if not isinstance(manifest, Manifest):
        raise ValueError("malformed manifest")
    events: list[EventRecord] = []
    for row in _list(data["events"]):
        row = _list(row)
        kind = RECORD_TYPES[_text(row[0])]
        if len(row) != len(kind.field_names) + 2:
            raise ValueError("wrong number of fields")
        fields_set = frozenset(_text(name) for name in _list(row[-1]))
        read = [value if type(value) in _NATIVE else _read(value, models) for value in row[1:-1]]
        values = dict(zip(kind.field_names, read, strict=True))
        cls = record_class(kind.type, values["status"], values["fulfils"])
        events.append(cls(*values.values(), fields_set))
    origins = data["origins"]
    if not isinstance(origins, dict) or not all(isinstance(v, str) for v in origins.values()):
        raise ValueError("malformed origins")
    epochs = tuple(float(e) for e in _list(data["epochs"]))
    if len(epochs) != len(events):
        raise ValueError("epochs do not match the events")
    return CachedTimeline(manifest, tuple(events), {_text(k): v for k, v in origins.items()}, epochs)
