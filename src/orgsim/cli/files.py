"""The commands that check timeline files or write files of their own: ``validate``, ``schema``, the ``export``
group (``popolo``), ``report``, ``plot``, ``synth`` and ``convert``.

Each imports what it needs inside its body, and loads a timeline through
``common.load`` (so that a test can put a caching loader in its place).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from orgsim.cli import common
from orgsim.cli.app import fail, main, say
from orgsim.cli.common import (
    EVENTS_OPTION,
    SCENARIO_OPTION,
    TZ_OPTION,
    check_zone,
    dump,
    progress_bar,
    scenario_file,
    scenario_world,
)
from orgsim.errors import OrgsimError

if TYPE_CHECKING:
    from orgsim.timeline import Timeline


@main.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
@EVENTS_OPTION
def validate(path: Path | None, events_path: Path | None) -> None:
    """Check a timeline folder: schema, ids, causes, verbatim quotes, and a full replay.

    Every problem is reported (the first 50), one line each, before the
    replay is tried.
    """
    from orgsim.io.loading import bundled_timeline_path, check_folder, load_folder
    from orgsim.io.problems import MAX_PROBLEMS, Problems, relocate
    from orgsim.io.sources import check_documents
    from orgsim.timeline import Timeline

    if path is not None and events_path is not None and path != events_path:
        fail("give the timeline folder once: as PATH or as --events")
    folder = path or events_path or bundled_timeline_path()
    problems = Problems(MAX_PROBLEMS)
    checked = check_folder(folder, problems)
    quotes = problems.run(check_documents, checked.folder, checked.events, checked.origins, problems)
    loaded = checked.loaded
    if loaded is None and not problems.errors:  # the first look failed, the second found nothing: look once more
        loaded = load_folder(folder)
        quotes = problems.run(check_documents, loaded.folder, loaded.events, loaded.origins, problems)
    if problems.errors or loaded is None or quotes is None:
        for problem in problems.errors:
            click.echo(f"orgsim: error: {problem}", err=True)
        if problems.more:
            click.echo(f"orgsim: error: more problems not shown (only the first {MAX_PROBLEMS} are)", err=True)
        sys.exit(2)
    checked_quotes, note = quotes
    try:
        timeline = Timeline.from_events(loaded.manifest, loaded.events, origins=loaded.origins, folder=loaded.folder)
    except OrgsimError as error:
        raise relocate(error, loaded.folder) from None
    files = len(set(loaded.origins.values()))
    click.echo(f"ok: {loaded.manifest.name}: {len(timeline)} events in {files} file(s) replay cleanly")
    click.echo(f"    {checked_quotes} source quotes checked verbatim" if note is None else f"    {note}")
    if len(timeline):
        final = timeline.final_state()
        click.echo(f"    final state: {final.applied} events applied, last {final.last_event}")
    _report_gaps(timeline)


def _report_gaps(timeline: Any) -> None:
    """Say where coverage claims a part before any event sets it (unknown until then: honest, worth knowing)."""
    from orgsim.query.coverage import coverage_gaps
    from orgsim.times import display

    gaps = coverage_gaps(timeline.replay, timeline.manifest)
    if not gaps:
        return
    zone = timeline.home_zone
    click.echo(f"    {len(gaps)} covered part(s) unknown until an event sets them:")
    people = [gap for gap in gaps if gap.path.startswith("people.")]
    for gap in [gap for gap in gaps if not gap.path.startswith("people.")]:
        until = display(gap.first_set, zone, "day") if gap.first_set else "never set"
        click.echo(f"      {gap.path}: covered from {display(gap.start, zone, 'day')}, first set {until}")
    if people:
        shown = ", ".join(gap.path.split(".", 1)[1] for gap in people[:8])
        more = f" and {len(people) - 8} more" if len(people) > 8 else ""
        click.echo(f"      people placed only after their coverage starts: {shown}{more}")


@main.command()
def schema() -> None:
    """The JSON Schema of an event file (a list of events), for editors."""
    from orgsim.model.events import event_file_schema

    dump(event_file_schema())


# ---------------------------------------------------------------------------------------------- sweeps (issue 16)


def _load_scenario_file(path: Path) -> Any:
    """The scenario in ``path``, read and validated (not yet run)."""
    from orgsim.whatif.scenarios import load_scenario

    return load_scenario(path)


def _report_sweep(
    path: Path,
    scenario: Any,
    timeline: Timeline,
    low: Any,
    high: Any,
    samples: int | None,
    seed: int | None,
    tz: str | None,
) -> Any:
    """The sweep ``orgsim report --sweep`` draws: at the file's instants when it declares several, else at each
    instant of history's events on the page (or in its focus); exact when its inputs are finite and few."""
    from orgsim.sweeps.run import MAX_REPORT_ENUMERATED, compile_sweep, instants_over, run_space

    settings = scenario.sweep
    declared = settings.at if settings is not None else None
    at = None if declared is not None and not isinstance(declared, str) else instants_over(timeline, low, high)
    shared: dict[str, Any] = {"seed": seed, "at": at, "tz": tz, "origin": str(path)}  # not "common": that is the module
    space, compiled, history = compile_sweep(scenario, timeline, samples=samples, **shared)
    finite = all(factor.finite for factor in space.factors)
    if samples is None and finite and space.size_enumerated <= MAX_REPORT_ENUMERATED:
        space, compiled, history = compile_sweep(scenario, timeline, enumerate=True, **shared)
    with progress_bar("sweep") as progress:
        results = run_space(space, compiled.title, history, tz=tz, progress=progress)
    if results.failed:
        say(f"orgsim: warning: {results.failed:,} of {results.planned:,} worlds of the sweep failed")
    return results


# ------------------------------------------------------------------------------------------- end of sweeps block


@main.group()
def export() -> None:
    """Export a world in a standard format for other tools."""


@export.command("popolo")
@click.option("--out", type=click.Path(path_type=Path), default=None, help="JSON file to write (default: stdout).")
@click.option(
    "--scenario",
    "scenario_name",
    default=None,
    help="Export this what-if world (file or bundled name) instead of history.",
)
@TZ_OPTION
@EVENTS_OPTION
def export_popolo(out: Path | None, scenario_name: str | None, tz: str | None, events_path: Path | None) -> None:
    """Persons, organizations, posts, memberships (each tenure), motions and vote events as one Popolo document.

    Dates are written at the precision the sources allow; an end not known or not reached has no end_date.
    """
    import json

    from orgsim.errors import json_printable
    from orgsim.views.popolo import popolo

    tz = check_zone(tz)
    world = scenario_world(scenario_name, events_path) if scenario_name else common.load(events_path)
    text = json_printable(json.dumps(popolo(world, tz), ensure_ascii=False, indent=2)) + "\n"
    if out is None:
        click.echo(text, nl=False)
        return
    from orgsim.io.output import write_text

    write_text(out, text)
    click.echo(f"wrote {out}")


@main.command()
@click.option("--out", required=True, type=click.Path(path_type=Path), help="HTML file to write.")
@SCENARIO_OPTION
@click.option("--from", "start", default=None, help="Start of the page's range, included (a bare date: its start).")
@click.option("--to", "end", default=None, help="End of the page's range (a bare date includes that whole day).")
@click.option("--title", default=None, help="Page title (default: the timeline's).")
@click.option(
    "--sweep",
    "sweep_name",
    default=None,
    help="A scenario with uncertain inputs (file or bundled name): draw each measured outcome's probability over "
    "time above the history (exact when its inputs allow, else sampled).",
)
@click.option(
    "--samples", type=click.IntRange(min=1, max=10**7), default=None, help="With --sweep: sample this many worlds."
)
@click.option(
    "--seed", type=click.IntRange(min=0, max=2**63 - 1), default=None, help="With --sweep: the root random seed."
)
@TZ_OPTION
@EVENTS_OPTION
def report(
    out: Path,
    scenario_name: str | None,
    start: str | None,
    end: str | None,
    title: str | None,
    sweep_name: str | None,
    samples: int | None,
    seed: int | None,
    tz: str | None,
    events_path: Path | None,
) -> None:
    """Write a self-contained HTML report: who held what when, a time scrubber, every source quote."""
    from orgsim.views.report import page_warnings, render_page, report_data, write_report

    check_zone(tz)
    if sweep_name is None and (samples is not None or seed is not None):
        fail("--samples and --seed go with --sweep FILE")
    world = scenario_world(scenario_name, events_path) if scenario_name else None
    timeline = world.base if world is not None else None
    swept = None
    if sweep_name is not None:
        path = scenario_file(sweep_name)
        uncertain = _load_scenario_file(path)
        if timeline is None:
            timeline = common.load(events_path if events_path is not None else uncertain.base_path(path.parent))
        swept = (path, uncertain)
    if timeline is None:
        timeline = common.load(events_path)
    low = timeline.resolve(start, tz, bound="start") if start else None
    high = timeline.resolve(end, tz) if end else None
    if low is not None and high is not None and high < low:
        fail(f"--to {end} ({high.isoformat()}) is before --from {start} ({low.isoformat()})")
    results = _report_sweep(*swept, timeline, low, high, samples, seed, tz) if swept is not None else None
    data = report_data(timeline, world=world, tz=tz, title=title, start=low, end=high, sweep=results)
    html = render_page(data)
    write_report(out, html)
    for warning in page_warnings(data, len(html.encode("utf-8"))):
        click.echo(f"orgsim: warning: {warning}", err=True)
    click.echo(f"wrote {out}")


@main.command()
@click.option("--out", required=True, type=click.Path(path_type=Path), help="PNG or SVG file (by suffix).")
@SCENARIO_OPTION
@click.option(
    "--from", "start", default=None, help="Start of the chart, included (a bare date: the start of that day)."
)
@click.option("--to", "end", default=None, help="End of the chart (a bare date includes that whole day).")
@click.option(
    "--all",
    "whole",
    is_flag=True,
    help="Span the whole timeline (default without --from/--to: its focus, else its busiest days).",
)
@click.option("--title", default=None, help="Chart title (default: the timeline's).")
@TZ_OPTION
@EVENTS_OPTION
def plot(
    out: Path,
    scenario_name: str | None,
    start: str | None,
    end: str | None,
    whole: bool,
    title: str | None,
    tz: str | None,
    events_path: Path | None,
) -> None:
    """Draw who held which office and board seat when, as PNG or SVG."""
    from orgsim.views.plot import plot_gantt

    check_zone(tz)
    if whole and (start or end):
        fail("give --all or --from/--to, not both")
    world = scenario_world(scenario_name, events_path) if scenario_name else None
    timeline = world.base if world is not None else common.load(events_path)
    low = timeline.resolve(start, tz, bound="start") if start else None
    high = timeline.resolve(end, tz) if end else None
    plot_gantt(timeline, out, world=world, tz=tz, start=low, end=high, title=title, span="all" if whole else "focus")
    click.echo(f"wrote {out}")


@main.command()
@click.option("--events", "n_events", type=click.IntRange(min=1), required=True, help="How many events to generate.")
@click.option(
    "--seed", type=int, default=0, show_default=True, help="Random seed: the same seed gives the same timeline."
)
@click.option(
    "--people", type=click.IntRange(min=4), default=None, help="How many people (default: scales with --events)."
)
@click.option(
    "--out", required=True, type=click.Path(path_type=Path), help="Timeline folder to write (manifest + events.jsonl)."
)
@click.option("--force", is_flag=True, help="Replace the timeline already in --out (as a whole).")
def synth(n_events: int, seed: int, people: int | None, out: Path, force: bool) -> None:
    """Generate a deterministic synthetic timeline, valid under replay, for benchmarks and tests.

    The folder is written as a whole: built beside --out and renamed into place.
    """
    from orgsim.testing.synth import write_synthetic

    try:
        occupied = not force and out.is_dir() and any(out.iterdir())
    except OSError:
        occupied = False  # write_synthetic says why it cannot write there
    if occupied:
        fail(f"{out}: the folder is not empty (use --force to replace the timeline in it)")
    write_synthetic(out, n_events, seed, people=people, replace=force)
    click.echo(f"wrote {n_events:,} events to {out}")


@main.command()
@click.argument("src", type=click.Path(path_type=Path))
@click.argument("dst", type=click.Path(path_type=Path))
def convert(src: Path, dst: Path) -> None:
    """Convert an event file between YAML and JSON Lines (by suffix), dropping nothing."""
    from orgsim.io.convert import convert_timeline_file

    count = convert_timeline_file(src, dst)
    click.echo(f"wrote {count:,} events to {dst}")
