"""Reading untrusted input: regular files only, bounded in size, YAML and JSON parsed defensively.

A timeline, a scenario or a source document may come from anyone, so reading
one must never hang, never cost unbounded memory or time, and never build a
value the file does not plainly say:

* Only regular files are read (after following links): a device such as
  ``/dev/zero``, a FIFO (opened without blocking, so it cannot hang) or a
  socket is refused, and so is a file larger than its limit (see the
  ``MAX_*`` constants; the README lists them). JSON Lines is read line by
  line (by the loader), each line at most :data:`MAX_LINE_BYTES`.
* A file of a folder (a timeline's manifest and event files, a source
  document) is read only when it is inside that folder once links are
  resolved (``inside``): a link leading out of it is refused without being
  opened, so no error can show what another file holds.
* YAML is built by :func:`parse_yaml` from the parser's event stream, in
  one iterative pass, without recursion: nesting deeper than
  :data:`MAX_DEPTH` and aliases that would stand for more than
  :data:`MAX_ALIAS_NODES` nodes (an "alias bomb") are refused before any
  value is built; every duplicate key is an error; only plain data (mappings,
  lists, strings, numbers, booleans, null, timestamps) is built, never an
  object of a tag. A YAML 1.1 boolean word (``yes``, ``No``, ``off``...) is
  kept as the word written (a :class:`BoolWord`, which is a ``str``), so a
  field that expects words reads ``no`` as "no", while a boolean field still
  reads it as false (pydantic reads these words as booleans).
* :func:`json_duplicate_key` finds a duplicate key in one JSON text.

Errors are :class:`~orgsim.errors.LoadError` naming the file and, in YAML,
the line and the key path; :func:`printable` escapes control characters so
that an error stays one line whatever the file holds.

>>> parse_yaml(b"votes: {ilya: no, adam: yes}", "x.yaml")
{'votes': {'ilya': 'no', 'adam': 'yes'}}
>>> parse_yaml(b"{a: 1, a: 2}", "x.yaml")
Traceback (most recent call last):
...
orgsim.errors.LoadError: x.yaml: field 'a': line 1: duplicate key 'a' (a key may appear once in a mapping)
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path
from typing import IO, Any

from orgsim.errors import LoadError

_MIB = 1024 * 1024

MAX_MANIFEST_BYTES = 16 * _MIB
"""The largest ``timeline.yaml`` read (about 200,000 people)."""
MAX_YAML_EVENTS_BYTES = 64 * _MIB
"""The largest YAML event file read (larger timelines belong in JSON Lines)."""
MAX_JSONL_BYTES = 2048 * _MIB
"""The largest JSON Lines event file read (10^6 synthetic events take about 315 MB)."""
MAX_LINE_BYTES = 1 * _MIB
"""The longest line of a JSON Lines file: one event."""
MAX_SCENARIO_BYTES = 4 * _MIB
"""The largest scenario file read."""
MAX_DOCUMENT_BYTES = 64 * _MIB
"""The largest source document read (in ``sources/``)."""
MAX_DEPTH = 32
"""The deepest nesting of lists and mappings in a YAML file (event files need 5 levels, scenarios 9)."""
MAX_ALIAS_NODES = 100_000
"""How many nodes all the aliases of a YAML file may stand for, in total (each alias counts its anchor's nodes)."""
MAX_NUMBER_CHARS = 100
"""The longest number written in YAML (longer ones cost quadratic time to read, and no field needs them)."""

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    r"""``text`` with control characters escaped (``\n``, ``\x1b``...), for a one-line message.

    >>> printable("a\nb\x1b[2J")
    'a\\nb\\x1b[2J'
    """
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


def shorten(value: Any, width: int = 60) -> str:
    """``value`` as printable text of at most ``width`` characters (a longer one cut, ending in ``...``).

    >>> shorten("x" * 100, 10)
    'xxxxxxx...'
    """
    text = value if isinstance(value, str) else preview(value, width)
    text = printable(text[: width * 4])
    return text if len(text) <= width else text[: width - 3] + "..."


def preview(value: Any, width: int = 60) -> str:
    """A ``repr`` of ``value`` cut to ``width`` characters, built without rendering the whole of a large value.

    A value read from a file may be huge, or a small alias graph that stands
    for a huge tree: only what is shown is ever rendered.

    >>> preview(list(range(10**6)), 20)
    '[0, 1, 2, 3, 4, 5...'
    """
    parts: list[str] = []
    budget = [width + 1]

    def put(text: str) -> bool:
        parts.append(text[: budget[0]])
        budget[0] -= len(text)
        return budget[0] > 0

    def walk(item: Any, depth: int) -> bool:
        if isinstance(item, dict):
            if not put("{"):
                return False
            for index, (key, inner) in enumerate(item.items()):
                if (index and not put(", ")) or not walk(key, depth + 1) or not put(": "):
                    return False
                if not walk(inner, depth + 1):
                    return False
            return put("}")
        if isinstance(item, (list, tuple)):
            if not put("["):
                return False
            for index, inner in enumerate(item):
                if (index and not put(", ")) or not walk(inner, depth + 1):
                    return False
            return put("]")
        if isinstance(item, int) and not isinstance(item, bool) and item.bit_length() > 256:
            return put(f"<a number of about {int(item.bit_length() * 0.30103):,} digits>")
        if isinstance(item, str) and len(item) > width:
            return put(repr(item[:width]))
        return put(repr(item)) if depth < 8 else put("...")

    walk(value, 0)
    text = printable("".join(parts))
    return text if len(text) <= width else text[: width - 3] + "..."


class BoolWord(str):
    """A YAML 1.1 boolean word (``yes``, ``no``, ``on``, ``off``, ``true``, ``false``, any case), kept as written.

    It is a ``str``, so a field that expects words reads the word; pydantic
    reads the same words as booleans in a boolean field. :attr:`flag` is the
    boolean YAML 1.1 means by it, for values compared with the state.
    """

    __slots__ = ()

    @property
    def flag(self) -> bool:
        """The boolean YAML 1.1 reads this word as."""
        return self.lower() in ("yes", "true", "on")


def inside_folder(
    path: os.PathLike[str] | str, folder: os.PathLike[str] | str, shown: str, *, what: str = "its folder"
) -> Path:
    """``path`` with its links resolved, refused unless it is a regular file inside ``folder`` (links resolved too).

    ``what`` names the folder in the error (``the timeline folder``).
    Nothing is opened: the kind of file is read with ``stat`` (which never
    waits on a FIFO), so a link to a device is named as one, and a link to
    any other file outside ``folder`` is refused without a byte of it read.
    Open the path returned following no links (``follow_links=False``), so a
    link swapped in meanwhile is refused too.
    """
    try:
        resolved = Path(path).resolve(strict=True)
        root = Path(folder).resolve(strict=True)
        info = os.stat(resolved)
    except FileNotFoundError:
        raise LoadError("no such file (or a link to nothing)", file=shown) from None
    except (OSError, RuntimeError) as exc:  # a loop of links
        raise LoadError(f"cannot read: {getattr(exc, 'strerror', None) or 'a loop of links'}", file=shown) from None
    if stat.S_ISDIR(info.st_mode):
        raise LoadError("is a folder, not a file", file=shown)
    if not stat.S_ISREG(info.st_mode):
        raise LoadError("not a regular file (a device, pipe or socket is not read as input)", file=shown)
    if not resolved.is_relative_to(root):
        raise LoadError(f"a link leading outside {what}: not read", file=shown)
    return resolved


def open_regular(path: os.PathLike[str] | str, shown: str, limit: int, *, follow_links: bool = True) -> IO[bytes]:
    """Open a regular file for reading, refusing anything else or anything over ``limit`` bytes.

    The file is opened without blocking, so a FIFO is refused rather than
    waited on; a device, socket or folder is refused too. Links are followed
    unless ``follow_links`` is false (then a link is refused).
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise LoadError("no such file", file=shown) from None
    except IsADirectoryError:
        raise LoadError("is a folder, not a file", file=shown) from None
    except OSError as exc:
        if not follow_links and exc.errno == errno.ELOOP:
            raise LoadError("is a link (not followed here)", file=shown) from None
        raise LoadError(f"cannot read: {exc.strerror or exc}", file=shown) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise LoadError("is a folder, not a file", file=shown)
        if not stat.S_ISREG(info.st_mode):
            raise LoadError("not a regular file (a device, pipe or socket is not read as input)", file=shown)
        if info.st_size > limit:
            raise LoadError(_too_large(info.st_size, limit), file=shown)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_bounded(path: os.PathLike[str] | str, shown: str, limit: int, *, follow_links: bool = True) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (see :func:`open_regular`)."""
    with open_regular(path, shown, limit, follow_links=follow_links) as stream:
        try:
            data = stream.read(limit + 1)
        except OSError as exc:
            raise LoadError(f"cannot read: {exc.strerror or exc}", file=shown) from None
    if len(data) > limit:  # it grew since it was opened
        raise LoadError(_too_large(len(data), limit), file=shown)
    return data


def _too_large(size: int, limit: int) -> str:
    return f"too large: {size:,} bytes (the limit is {limit:,})"


def decode_text(data: bytes, shown: str) -> str:
    """``data`` as UTF-8 text (a leading byte-order mark dropped); anything else is refused."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start:,} cannot be read)", file=shown
        ) from None


# --- JSON -----------------------------------------------------------------------------------------------------


class _Duplicate(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _Duplicate(key)
            seen.add(key)
    return found


def json_duplicate_key(text: bytes | str) -> str | None:
    """The first key that appears twice in one JSON object of ``text`` (valid JSON), or None.

    >>> json_duplicate_key('{"votes": {"cy": "yes", "cy": "no"}}')
    'cy'
    """
    import json

    try:
        json.loads(text, object_pairs_hook=_pairs)
    except _Duplicate as duplicate:
        return duplicate.key
    return None


SPACED_KEY = re.compile(rb'"[ \t\r]').search
"""Finds a quote followed by white space in a JSON text: where keys cannot be counted by their ``":``."""


def json_keys_bound(line: bytes) -> int | None:
    """An upper bound on the number of keys in a compact JSON text, or None when it cannot be had cheaply.

    In valid JSON every key is followed by a colon, and a quote inside a
    string is escaped; so when no quote is followed by white space, each key
    contributes one ``":`` and anything else only adds to the count. A line
    whose distinct keys (as validated) reach this bound has no duplicate key.
    """
    if SPACED_KEY(line):
        return None
    return line.count(b'":')


# --- YAML -----------------------------------------------------------------------------------------------------

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_BOOL = "tag:yaml.org,2002:bool"
_SCALARS = {
    "tag:yaml.org,2002:null": "construct_yaml_null",
    "tag:yaml.org,2002:int": "construct_yaml_int",
    "tag:yaml.org,2002:float": "construct_yaml_float",
    "tag:yaml.org,2002:timestamp": "construct_yaml_timestamp",
}
_NUMBERS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")


class _Frame:
    """An open list or mapping while its events are read."""

    __slots__ = ("anchor", "height", "items", "key", "line", "merges", "size", "want_key")

    def __init__(self, mapping: bool, anchor: str | None, line: int) -> None:
        self.items: dict[Any, Any] | list[Any] = {} if mapping else []
        self.anchor = anchor
        self.line = line
        self.size = 1
        self.height = 1
        self.want_key = mapping
        self.key: Any = None
        self.merges: list[dict[Any, Any]] | None = None


class _Problem(Exception):
    def __init__(self, message: str, line: int | None) -> None:
        self.message = message
        self.line = line


def parse_yaml(data: bytes | str, shown: str) -> Any:
    """Build the one YAML document in ``data``: plain data only, bounded, every duplicate key refused.

    The document is read from the parser's events (libyaml's when
    installed) in one loop with an explicit stack, so nesting costs no
    recursion and is refused past :data:`MAX_DEPTH` before the rest is read;
    an alias reuses its anchor's value (as PyYAML does) and counts its nodes
    against :data:`MAX_ALIAS_NODES`. Merge keys (``<<: *base``) are
    supported; tags other than YAML's own scalar, list and mapping tags are
    refused. An error names the file, the line and, inside the document, the
    path of keys (as the error's ``field``) and the ``id`` of the top-level
    item it is in (as its ``event``).
    """
    import yaml  # only YAML input needs it: a JSON Lines load does not

    text = data if isinstance(data, str) else decode_text(data, shown)
    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = loader_class(text)
    stack: list[_Frame] = []
    try:
        return _build(loader, stack)
    except _Problem as problem:
        where = f"line {problem.line}: " if problem.line else ""
        field, event = _where(stack)
        raise LoadError(printable(where + problem.message), file=shown, field=field, event=event) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        said = " ".join(str(exc.problem or exc.context or "").split())
        _, event = _where(stack)  # the parser may be past the key that is open: only the item is named
        if "nesting depth" in said:  # newer libyaml refuses deep nesting itself, before this reader can count it
            raise LoadError(
                printable(f"{where}nested deeper than {MAX_DEPTH} levels"), file=shown, event=event
            ) from None
        raise LoadError(printable(f"{where}malformed YAML: {said}"), file=shown, event=event) from None
    except yaml.reader.ReaderError as exc:
        character = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise LoadError(
            f"malformed YAML: character #x{character:04x} at offset {exc.position:,} is not allowed ({exc.reason})",
            file=shown,
        ) from None
    except yaml.YAMLError as exc:
        raise LoadError(printable(f"malformed YAML: {' '.join(str(exc).split())}"), file=shown) from None
    finally:
        loader.dispose()


def _where(stack: list[_Frame]) -> tuple[str | None, str | None]:
    """The key path to the innermost open node, and the id of the top-level item it is in."""
    parts: list[str] = []
    event: str | None = None
    for depth, frame in enumerate(stack):
        if isinstance(frame.items, dict):
            if frame.want_key:
                break
            parts.append(shorten(str(frame.key)))
            if depth == 1 and isinstance(stack[0].items, list):
                ident = frame.items.get("id")
                event = shorten(ident) if isinstance(ident, str) else None
        else:
            parts.append(str(len(frame.items)))
    if stack and isinstance(stack[0].items, list) and parts:
        if event is None:
            parts[0] = f"#{int(parts[0]) + 1}"
            return ".".join(parts), None
        parts = parts[1:]
    return ".".join(parts) or None, event


def _build(loader: Any, stack: list[_Frame]) -> Any:
    import yaml
    from yaml import events as ev

    get_event = loader.get_event
    resolve = loader.resolve
    anchors: dict[str, tuple[Any, int, int]] = {}
    aliased = 0
    result: Any = None
    documents = 0
    while True:
        event = get_event()
        kind = type(event)
        if kind is ev.ScalarEvent:
            tag = event.tag
            value = event.value
            if tag is None or tag == "!":
                tag = resolve(yaml.ScalarNode, value, event.implicit) if event.implicit[0] else _STR
            elif (tag in _SCALARS or tag == _BOOL) and tag != resolve(yaml.ScalarNode, value, (True, False)):
                # An explicit tag on text that does not read as that type: PyYAML's constructors would crash.
                raise _Problem(f"cannot read {shorten(value, 40)!r} as {tag.rsplit(':', 1)[-1]}", _line(event))
            if tag == _STR:
                item: Any = value
            elif tag == _BOOL:
                item = BoolWord(value)
            elif tag in _SCALARS:
                item = _scalar(loader, tag, value, event.start_mark.line + 1)
            elif tag == _MERGE and stack and stack[-1].want_key:
                item = _MERGE_KEY
            else:
                raise _Problem(f"unsupported YAML tag {tag!r} (only plain data is read)", event.start_mark.line + 1)
            size, height = 1, 0
            if event.anchor is not None:
                anchors[event.anchor] = (item, 1, 0)
        elif kind is ev.MappingStartEvent or kind is ev.SequenceStartEvent:
            mapping = kind is ev.MappingStartEvent
            if event.tag not in (None, "!", _MAP if mapping else _SEQ):
                raise _Problem(
                    f"unsupported YAML tag {event.tag!r} (only plain data is read)", event.start_mark.line + 1
                )
            if len(stack) >= MAX_DEPTH:
                raise _Problem(f"nested deeper than {MAX_DEPTH} levels", event.start_mark.line + 1)
            stack.append(_Frame(mapping, event.anchor, event.start_mark.line + 1))
            continue
        elif kind is ev.MappingEndEvent or kind is ev.SequenceEndEvent:
            frame = stack.pop()
            item = frame.items
            if frame.merges is not None:
                item = _merged(frame.merges, item)
            size, height = frame.size, frame.height
            if frame.anchor is not None:
                anchors[frame.anchor] = (item, size, height)
        elif kind is ev.AliasEvent:
            line = event.start_mark.line + 1
            found = anchors.get(event.anchor)
            if found is None:
                if any(frame.anchor == event.anchor for frame in stack):
                    raise _Problem(f"alias *{event.anchor} refers to a node that contains it", line)
                raise _Problem(f"alias *{event.anchor} names no anchor defined before it", line)
            item, size, height = found
            aliased += size
            if aliased > MAX_ALIAS_NODES:
                raise _Problem(f"aliases stand for more than {MAX_ALIAS_NODES:,} nodes (an alias bomb?)", line)
            if len(stack) + height > MAX_DEPTH:
                raise _Problem(f"alias *{event.anchor} nests deeper than {MAX_DEPTH} levels", line)
        elif kind is ev.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise _Problem("more than one YAML document (a file holds one)", event.start_mark.line + 1)
            continue
        elif kind is ev.StreamEndEvent:
            return result
        else:  # stream start, document end
            continue
        if not stack:
            result = item
            continue
        parent = stack[-1]
        parent.size += size
        if height + 1 > parent.height:
            parent.height = height + 1
        items = parent.items
        if type(items) is list:
            items.append(item)
        elif parent.want_key:
            if isinstance(item, (dict, list)):
                raise _Problem("a mapping key must be a plain value, not a list or mapping", _line(event))
            if item is not _MERGE_KEY and item in items:
                parent.key, parent.want_key = item, False  # the error's path ends at the key
                raise _Problem(f"duplicate key {shorten(item)!r} (a key may appear once in a mapping)", _line(event))
            parent.key = item
            parent.want_key = False
        else:
            key = parent.key
            parent.want_key = True
            if key is _MERGE_KEY:
                if parent.merges is not None:
                    raise _Problem("duplicate key '<<' (a key may appear once in a mapping)", _line(event))
                parent.merges = _merge_sources(item, _line(event))
            else:
                items[key] = item


class _MergeKey:
    """The ``<<`` merge key while its mapping is read."""

    def __repr__(self) -> str:
        return "'<<'"


_MERGE_KEY = _MergeKey()


def _line(event: Any) -> int:
    return int(event.start_mark.line) + 1


def _merge_sources(value: Any, line: int) -> list[dict[Any, Any]]:
    sources = value if isinstance(value, list) else [value]
    if not all(isinstance(source, dict) for source in sources):
        raise _Problem("a merge key '<<' takes a mapping or a list of mappings", line)
    return sources


def _merged(sources: list[dict[Any, Any]], own: dict[Any, Any]) -> dict[Any, Any]:
    """Keys written in the mapping win over merged ones; earlier merged mappings win over later ones."""
    merged: dict[Any, Any] = {}
    for source in reversed(sources):
        merged.update(source)
    merged.update(own)
    return merged


def _scalar(loader: Any, tag: str, value: str, line: int) -> Any:
    import yaml

    if tag in _NUMBERS and len(value) > MAX_NUMBER_CHARS:
        raise _Problem(f"number longer than {MAX_NUMBER_CHARS} characters", line)
    try:
        return getattr(loader, _SCALARS[tag])(yaml.ScalarNode(tag, value))
    except (ValueError, OverflowError, ArithmeticError, AttributeError, TypeError):
        kind = tag.rsplit(":", 1)[-1]
        raise _Problem(f"cannot read {value[:40]!r} as a {'date' if kind == 'timestamp' else kind}", line) from None
