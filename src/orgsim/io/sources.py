"""Checking a timeline's sources: every quote must stand verbatim in the document it cites.

Documents live in the timeline folder's ``sources/``; quotes from named
public reports outside it (``external: true``) are not checked.
"""

from __future__ import annotations

from orgsim.errors import LoadError
from orgsim.io.loading import LoadedTimeline, display_path


def check_quotes(loaded: LoadedTimeline) -> tuple[int, str | None]:
    """Check that every non-external quote is a verbatim substring of its document.

    Documents are looked up in the timeline's ``sources/`` folder. Returns how
    many quotes were checked and, when there is no such folder, why none were.
    """
    folder = loaded.folder / "sources"
    if not folder.is_dir():
        return 0, "no sources/ folder beside the events: quotes not checked"
    texts: dict[str, str | None] = {}
    checked = 0
    for event in loaded.events:
        for index, source in enumerate(event.sources):
            if source.external:
                continue
            if source.document not in texts:
                path = folder / source.document
                texts[source.document] = path.read_text(encoding="utf-8") if path.is_file() else None
            text = texts[source.document]
            field = f"sources.{index}"
            if text is None:
                raise LoadError(
                    f"document {source.document!r} is not in {display_path(folder)}",
                    file=loaded.origins.get(event.id),
                    event=event.id,
                    field=f"{field}.document",
                )
            if source.quote not in text:
                raise LoadError(
                    f"quote is not verbatim in {source.document}: {source.quote[:40]!r}",
                    file=loaded.origins.get(event.id),
                    event=event.id,
                    field=f"{field}.quote",
                )
            checked += 1
    return checked, None
