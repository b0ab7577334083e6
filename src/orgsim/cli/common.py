"""What the commands share: their common options, and the helpers that load, check and print.

The options (``--events``, ``--tz``, ``--format``...) are declared once here so
that every command words them alike. The helpers load a timeline or a
what-if world, check a zone, and print an answer as JSON, JSON Lines or CSV.
Each imports what it needs when called, so that ``orgsim state`` loads only
what it uses.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from orgsim.cli.app import fail

if TYPE_CHECKING:
    from orgsim.timeline import Timeline


EVENTS_OPTION = click.option(
    "--events",
    "events_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Timeline folder to use (default: the bundled OpenAI timeline).",
)
TZ_OPTION = click.option(
    "--tz",
    default=None,
    help="Zone for naive input, display and JSON times: an IANA name (any case, e.g. Asia/Shanghai) or an "
    "offset (+08:00, UTC+8). Default: the timeline's home zone.",
)
FROM_HELP = "a bare date, week, month or year: its start"
TO_HELP = "a bare date, week, month or year: its end"
FORMAT_OPTION = click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
CSV_FORMAT_OPTION = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv", "jsonl"]),
    default="table",
    show_default=True,
    help="csv and jsonl: one row per line (columns in the README).",
)
SCENARIO_OPTION = click.option(
    "--scenario",
    "scenario_name",
    default=None,
    help="A what-if scenario (file or bundled name) to show beneath history.",
)


# ---------------------------------------------------------------------------------------------- sweeps (issue 16)
SAMPLES_OPTION = click.option(
    "--samples",
    type=click.IntRange(min=1, max=10**7),
    default=None,
    help="Sample every event dated only to the hour, day, month or year inside its window this many times, and "
    "give each field that differs between samples with its probabilities.",
)
SEED_OPTION = click.option(
    "--seed", type=click.IntRange(min=0, max=2**63 - 1), default=0, show_default=True, help="Root random seed."
)


# ------------------------------------------------------------------------------------------- end of sweeps block


def load(events_path: Path | None) -> Timeline:
    """The timeline in ``events_path`` (default: the bundled one), through orgsim's cache of validated timelines.

    Commands call it as ``common.load``, never by a name of their own, so that a test can put a caching loader
    in its place for a whole module (``tests/test_cli_properties.py`` does).
    """
    from orgsim.timeline import load_timeline

    return load_timeline(events_path, cache=True)


def check_zone(tz: str | None) -> str | None:
    """The canonical name of the zone given as ``--tz`` (``asia/shanghai`` -> ``Asia/Shanghai``), checked."""
    if tz is None:
        return None
    from orgsim.times import zone_name

    return zone_name(tz)


def in_zone(instant: Any, tz: str) -> str | None:
    """An instant of a JSON answer: ISO-8601 in the zone the user asked for (else the home zone)."""
    if instant is None:
        return None
    from orgsim.times import isoformat

    return isoformat(instant, tz)


def dump(data: Any) -> None:
    """Print ``data`` as indented JSON (``--format json``), with the characters a terminal would act on escaped."""
    import json  # only --json output needs it

    from orgsim.errors import json_printable

    click.echo(json_printable(json.dumps(data, ensure_ascii=False, indent=2)))


def lines(objects: Any) -> None:
    """JSON Lines: one compact object per line."""
    from orgsim.views.rows import jsonl_text

    click.echo(jsonl_text(objects), nl=False)


def printed_as_json(fmt: str, dicts: Callable[[], list[Any]]) -> bool:
    """Print the answer ``dicts()`` builds when ``fmt`` is ``json`` (one list) or ``jsonl`` (one object per line),
    and say whether it did; the caller prints the table or CSV otherwise."""
    if fmt == "json":
        dump(dicts())
        return True
    if fmt == "jsonl":
        lines(dicts())
        return True
    return False


def rows(fmt: str, header: Any, rows: Any) -> None:
    """Rows as CSV (under ``header``) or JSON Lines."""
    from orgsim.views.rows import rows_text

    click.echo(rows_text(fmt, header, rows), nl=False)


def warn_outside_coverage(manifest: Any, instant: Any) -> None:
    """Warn on stderr when ``instant`` lies outside every period the timeline's manifest claims to cover."""
    from orgsim.model.knowledge import outside_every_coverage

    outside = outside_every_coverage(manifest, instant)
    if outside is not None:
        click.echo(f"orgsim: warning: {outside}", err=True)


def scenario_file(name: str) -> Path:
    """The scenario file ``name`` names: a path, else a bundled scenario by file name or stem; else fail."""
    path = Path(name)
    if path.exists():
        return path
    from orgsim.io.loading import bundled_scenarios_path

    for candidate in (bundled_scenarios_path() / name, bundled_scenarios_path() / f"{name}.yaml"):
        if candidate.is_file():
            return candidate
    fail(f"{name}: no such scenario file (bundled scenarios: see 'orgsim scenario list')")


def scenario_world(name: str, events_path: Path | None) -> Any:
    """The what-if world of scenario ``name``, run on ``--events`` when given, else on the scenario's own base."""
    from orgsim.whatif.scenarios import load_scenario

    path = scenario_file(name)
    scenario = load_scenario(path)
    base = (
        load(events_path)
        if events_path is not None
        else scenario.base_timeline(path.parent, cache=True, source=str(path))
    )
    return scenario.run(base, origin=str(path))


# ---------------------------------------------------------------------------------------------- sweeps (issue 16)


def progress_bar(what: str) -> Any:
    """A progress callback drawing a bar on stderr, labelled ``orgsim: what``, for a long run (a sweep, sampling)."""
    from orgsim.views.sweep import progress_bar as bar

    return bar(f"orgsim: {what}")


# ------------------------------------------------------------------------------------------- end of sweeps block
