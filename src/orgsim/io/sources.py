"""Checking a timeline's sources: every quote must stand verbatim in the document it cites.

Documents live in the timeline folder's ``sources/``; quotes from named
public reports outside it (``external: true``) are not checked. A document
is named by a plain relative name (``004_a906426a8ab44445.txt``, or
``2023/memo.txt``), and must be a regular UTF-8 text file inside that
folder once links are resolved: anything else (an absolute path, ``..``, a
link leading out of ``sources/``, a device) is refused without being opened,
so a timeline cannot learn what any other file holds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path, PurePosixPath

from orgsim.errors import LoadError, OrgsimError
from orgsim.io.loading import LoadedTimeline
from orgsim.io.problems import Problems, display_path, shown_file
from orgsim.io.reading import MAX_DOCUMENT_BYTES, decode_text, printable, read_bounded, shorten
from orgsim.model.records import EventRecord

SOURCES_FOLDER = "sources"
"""The folder beside a timeline's events that holds its source documents."""


def check_quotes(loaded: LoadedTimeline, problems: Problems | None = None) -> tuple[int, str | None]:
    """Check that every non-external quote is a verbatim substring of its document.

    Documents are looked up in the timeline's ``sources/`` folder. Returns how
    many quotes were checked and, when there is no such folder, why none were.
    ``problems`` (see :class:`~orgsim.io.problems.Problems`) collects every
    problem instead of raising the first.
    """
    return check_documents(loaded.folder, loaded.events, loaded.origins, problems)


def check_documents(
    folder: Path, events: Sequence[EventRecord], origins: Mapping[str, str], problems: Problems | None = None
) -> tuple[int, str | None]:
    """:func:`check_quotes` on a timeline folder's events, given with the file of each (relative to ``folder``)."""
    problems = problems or Problems()
    root = folder / SOURCES_FOLDER
    if not root.is_dir():
        return 0, "no sources/ folder beside the events: quotes not checked"
    try:
        resolved_root = root.resolve(strict=True)
        inside_timeline = resolved_root.is_relative_to(folder.resolve(strict=True))
    except OSError:
        inside_timeline = False
    texts: dict[str, str | OrgsimError] = {}
    checked = 0
    for event in events:
        for index, source in enumerate(event.sources):
            if source.external:
                continue
            name = source.document
            if name not in texts:
                texts[name] = (
                    _read_document(resolved_root, root, name)
                    if inside_timeline
                    else LoadError(f"{display_path(root)} leads outside the timeline folder: sources not read")
                )
            text = texts[name]
            where = f"sources.{index}"
            file = shown_file(folder, origins.get(event.id))
            if isinstance(text, OrgsimError):
                problems.add(LoadError(text.message, file=file, event=event.id, field=f"{where}.document"))
            elif source.quote not in text:
                problems.add(
                    LoadError(
                        f"quote is not verbatim in {printable(name)}: {shorten(source.quote, 40)!r}",
                        file=file,
                        event=event.id,
                        field=f"{where}.quote",
                    )
                )
            else:
                checked += 1
    return checked, None


def plain_name(name: str) -> bool:
    """Whether ``name`` is a plain relative file name: no absolute path, ``..``, ``.``, backslash or control character.

    >>> plain_name("004_a906426a8ab44445.txt"), plain_name("2023/memo.txt")
    (True, True)
    >>> plain_name("/etc/passwd"), plain_name("../../etc/passwd"), plain_name("C:\\\\x.txt")
    (False, False, False)
    """
    if not name or "\\" in name or printable(name) != name or ":" in name.split("/")[0]:
        return False
    path = PurePosixPath(name)
    return not path.is_absolute() and all(part not in ("", ".", "..") for part in name.split("/"))


def _read_document(resolved_root: Path, root: Path, name: str) -> str | OrgsimError:
    """The text of a source document, or the problem that keeps it from being read (it is then never opened)."""
    shown_name = shorten(name, 80)
    if not plain_name(name):
        return LoadError(
            f"document {shown_name!r} is not a plain file name in {SOURCES_FOLDER}/ (no absolute path, '..' or '\\\\')"
        )
    try:
        path = (root / name).resolve(strict=True)
    except FileNotFoundError:
        return LoadError(f"document {shown_name!r} is not in {display_path(root)}")
    except (OSError, RuntimeError):  # a loop of links
        return LoadError(f"document {shown_name!r} cannot be read")
    if not path.is_relative_to(resolved_root):
        return LoadError(f"document {shown_name!r} leads outside {display_path(root)} (a link?): not read")
    try:
        # The path has no links left, so it is opened following none (a link swapped in meanwhile is refused).
        data = read_bounded(path, display_path(path), MAX_DOCUMENT_BYTES, follow_links=False)
        return decode_text(data, display_path(path))
    except LoadError as error:
        return LoadError(f"document {shown_name!r}: {error.message}")
