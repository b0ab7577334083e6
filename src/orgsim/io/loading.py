"""Loading a timeline folder: its files read, validated and put in replay order, once.

Everything a user can get wrong in a timeline is caught on the way and
reported as a :class:`~orgsim.errors.LoadError` naming the file, the event and
the field. The steps are other modules': :mod:`orgsim.io.files` reads and
validates each file, :mod:`orgsim.io.checks` checks the whole timeline and
orders it, :mod:`orgsim.io.problems` words each problem. Records, not
pydantic models, are what the loader returns and replay runs on.

:func:`load_folder` loads a folder (through :mod:`orgsim.io.cache` when asked);
:func:`parse_folder` does the same from bytes already read (so that a caller
can hash and parse one single read of each file); :func:`check_folder`
reports every problem of a timeline folder instead of stopping at the first.
Also here: where the bundled timeline and scenarios are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from orgsim.errors import LoadError, OrgsimError
from orgsim.io.cache import MAX_CACHED_BYTES, CachedTimeline, cached_timeline
from orgsim.io.checks import order_events_with_epochs
from orgsim.io.files import (
    event_files,
    parse_event_file,
    parse_manifest,
    read_event_file,
    read_manifest,
    read_manifest_collecting,
    read_timeline_file,
    timeline_files,
)
from orgsim.io.problems import Enough, Problems, display_path, shown_file
from orgsim.model.manifest import MANIFEST_NAME, Manifest
from orgsim.model.records import EventRecord, RecordMaker


def bundled_timeline_path() -> Path:
    """The folder of the bundled OpenAI timeline (installed package or source checkout)."""
    packaged = resources.files("orgsim") / "bundled" / "events"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "events"


def bundled_scenarios_path() -> Path:
    """The folder of the bundled what-if scenarios."""
    packaged = resources.files("orgsim") / "bundled" / "scenarios"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "scenarios"


@dataclass(frozen=True, slots=True)
class LoadedTimeline:
    """A timeline read and validated from disk, events in replay order."""

    folder: Path
    manifest: Manifest
    events: tuple[EventRecord, ...]
    origins: dict[str, str]
    """The file each event id came from, relative to the timeline folder (``30-2023-11-17-to-22.yaml``).

    These names are safe to put in shared output; errors join them to the
    folder (:func:`~orgsim.io.problems.shown_file`) so that they name a path the user can open.
    """
    epochs: tuple[float, ...] | None = None
    """Each event's instant as a Unix timestamp (the sort key), aligned with ``events``."""
    causes: frozenset[str] | None = None
    """Every id that some event names in ``caused_by`` (None: not collected, as from the cache)."""

    def shown(self, event_id: str) -> str | None:
        """The file of an event as an error shows it: a path the user can open."""
        return shown_file(self.folder, self.origins.get(event_id))


def load_folder(folder: Path | str, *, cache: bool = False) -> LoadedTimeline:
    """Read, validate and order a timeline folder (no replay yet).

    With ``cache``, an unchanged small timeline comes back from
    :mod:`orgsim.io.cache` instead of being validated again: each file is
    read once, and those same bytes are both hashed for the cache's key and
    parsed. Errors are always found by a real load, since only timelines that
    loaded cleanly are cached.
    """
    root = _timeline_root(folder)
    if not cache:
        return _load_folder(root)
    files = timeline_files(root)
    try:
        small = sum(path.stat().st_size for path in files) <= MAX_CACHED_BYTES
    except OSError:
        small = False
    if not small:
        return _load_folder(root)  # large timelines stream through JSON Lines; errors say what is wrong
    contents = [(path.relative_to(root).as_posix(), read_timeline_file(path, root)) for path in files]

    def build() -> CachedTimeline:
        loaded = parse_folder(root, contents[0][1], contents[1:])
        return CachedTimeline(loaded.manifest, loaded.events, dict(loaded.origins), loaded.epochs or ())

    entry = cached_timeline(contents, "", build)
    return LoadedTimeline(root, entry.manifest, entry.events, dict(entry.origins), entry.epochs)


def _timeline_root(folder: Path | str) -> Path:
    root = Path(folder)
    if root.is_file():
        raise LoadError(
            "a timeline is a folder (a timeline.yaml manifest beside event files), not a file",
            file=display_path(root),
        )
    if not root.is_dir():
        raise LoadError("no such timeline folder", file=display_path(root))
    return root


def _load_folder(root: Path) -> LoadedTimeline:
    manifest = read_manifest(root)
    maker = RecordMaker()
    batches = [
        (path.relative_to(root).as_posix(), read_event_file(path, maker=maker, shown=display_path(path), folder=root))
        for path in event_files(root)
    ]
    ordered, origins, epochs, causes = order_events_with_epochs(batches, folder=root, manifest=manifest)
    return LoadedTimeline(root, manifest, tuple(ordered), origins, tuple(epochs), causes)


def parse_folder(root: Path, manifest: bytes, files: Sequence[tuple[str, bytes]]) -> LoadedTimeline:
    """A timeline from the bytes of its files, already read: the manifest's, and each event file's by name.

    Names are relative to ``root`` (``30-2023-11-17-to-22.yaml``), in the
    order ties are broken (:func:`~orgsim.io.files.event_files`); errors name each file under
    ``root`` as the user sees it. Together with :func:`~orgsim.io.files.timeline_files`,
    :func:`~orgsim.io.files.read_limit` and :func:`orgsim.io.reading.read_bounded`, this lets a
    caller hash and parse one single read of each file.
    """
    parsed = parse_manifest(manifest, display_path(root / MANIFEST_NAME))
    assert parsed is not None  # problems are raised
    maker = RecordMaker()
    batches = [(name, parse_event_file(data, display_path(root / name), maker=maker)) for name, data in files]
    ordered, origins, epochs, causes = order_events_with_epochs(batches, folder=root, manifest=parsed)
    return LoadedTimeline(root, parsed, tuple(ordered), origins, tuple(epochs), causes)


@dataclass(frozen=True)
class Checked:
    """What :func:`check_folder` read: the timeline when it loaded cleanly, and every event that validated."""

    folder: Path
    loaded: LoadedTimeline | None
    """The timeline, when it loaded without a problem."""
    events: tuple[EventRecord, ...]
    """Every event that validated (all of them when ``loaded`` is set), in replay order."""
    origins: Mapping[str, str]
    """The file of each of ``events``, relative to ``folder``."""


def check_folder(folder: Path | str, problems: Problems) -> Checked:
    """Read a timeline folder putting every problem in ``problems`` (which collects them), not only the first.

    Every schema error of every event in every file, a file that cannot be
    read, each duplicate id and each ``caused_by`` naming no earlier event is
    one problem (one line). :class:`~orgsim.io.problems.Problems` stops the run once past its
    limit (``problems.more`` is then set).
    """
    root = _timeline_root(folder)
    try:
        loaded = load_folder(root)
        return Checked(root, loaded, loaded.events, loaded.origins)
    except OrgsimError:
        pass  # look again, collecting every problem
    events: list[EventRecord] = []
    origins: dict[str, str] = {}
    try:
        manifest = None
        try:
            manifest = read_manifest_collecting(root, problems)
        except Enough:
            raise
        except OrgsimError as error:
            problems.add(error)
        maker = RecordMaker()
        bad_ids: set[str] = set()
        batches = []
        for path in event_files(root):
            shown = display_path(path)
            try:
                records = read_event_file(
                    path, maker=maker, shown=shown, problems=problems, bad_ids=bad_ids, folder=root
                )
            except Enough:
                raise
            except OrgsimError as error:
                problems.add(error)
                continue
            batches.append((path.relative_to(root).as_posix(), records))
        ordered, origins, _, _ = order_events_with_epochs(
            batches, problems=problems, folder=root, bad_ids=bad_ids, manifest=manifest
        )
        events = ordered
    except Enough:
        pass
    return Checked(root, None, tuple(events), origins)
