"""The commands of what-if worlds: the ``scenario`` group (``run``, ``diff``, ``list``, ``check``) and ``sweep``,
which runs many worlds over a scenario's uncertain inputs.

Each imports what it needs inside its body, and loads a base timeline
through ``common.load`` (so that a test can put a caching loader in its
place).
"""

from __future__ import annotations

from pathlib import Path

import click

from orgsim.cli import common
from orgsim.cli.app import fail, main, say
from orgsim.cli.common import (
    CSV_FORMAT_OPTION,
    EVENTS_OPTION,
    FORMAT_OPTION,
    TZ_OPTION,
    check_zone,
    dump,
    in_zone,
    progress_bar,
    rows,
    scenario_file,
    scenario_world,
    warn_outside_coverage,
)
from orgsim.errors import OrgsimError


@main.group()
def scenario() -> None:
    """What-if scenarios: run, compare with history, list and check."""


@scenario.command("run")
@click.argument("file")
@click.option("--at", "at", required=True, help="Instant (same rules as 'orgsim state').")
@TZ_OPTION
@FORMAT_OPTION
@EVENTS_OPTION
def scenario_run(file: str, at: str, tz: str | None, fmt: str, events_path: Path | None) -> None:
    """The what-if state at an instant (same JSON contract as 'orgsim state')."""
    tz = check_zone(tz)
    world = scenario_world(file, events_path)
    answer = world.state_at(at, tz=tz)
    warn_outside_coverage(world.manifest, answer.at)
    if fmt == "json":
        data = answer.to_dict(tz or world.home_zone)
        data["scenario"] = {
            "title": world.scenario.title,
            "file": world.source,
            "dropped": [
                {"event": d.event.id, "reason": d.reason, "chain": list(d.chain)}
                for d in world.dropped
                if d.event.at <= answer.at
            ],
            "generated": [e.id for e in world.generated() if e.at <= answer.at],
        }
        dump(data)
        return
    from orgsim.views.text import render_scenario_notes, render_state

    click.echo(render_state(answer, world.home_zone, tz, title=f"What if: {world.scenario.title}"))
    notes = render_scenario_notes(world, answer.at, tz or world.home_zone)
    if notes:
        click.echo(notes)


@scenario.command("diff")
@click.argument("file")
@click.option(
    "--at", "at", default=None, help="Compare the two worlds at this instant; without it, tell the divergence story."
)
@TZ_OPTION
@CSV_FORMAT_OPTION
@EVENTS_OPTION
def scenario_diff(file: str, at: str | None, tz: str | None, fmt: str, events_path: Path | None) -> None:
    """History against the what-if: at an instant, or the whole divergence story."""
    from orgsim.query.divergence import divergence, side_by_side

    tz = check_zone(tz)
    world = scenario_world(file, events_path)
    zone_name = tz or world.home_zone
    if at is not None:
        history_state, what_if_state, changes = side_by_side(world.base, world, at, tz)
        if fmt == "json":
            dump(
                {
                    "at": in_zone(history_state.at, zone_name),
                    "history": history_state.to_dict(zone_name),
                    "what_if": what_if_state.to_dict(zone_name),
                    "differences": [c.to_dict() for c in changes],
                }
            )
            return
        if fmt in ("csv", "jsonl"):
            from orgsim.views.rows import SIDE_BY_SIDE_COLUMNS, side_by_side_rows

            rows(fmt, SIDE_BY_SIDE_COLUMNS, side_by_side_rows(history_state.at, changes, zone_name))
            return
        from orgsim.views.text import render_side_by_side

        click.echo(
            render_side_by_side(history_state, what_if_state, changes, world.home_zone, world.scenario.title, tz)
        )
        return
    story = divergence(world.base, world)
    if fmt == "json":
        data = story.to_dict()
        data["first_divergence"] = in_zone(story.first, zone_name)
        for item, field in zip(data["fields"], story.fields, strict=True):
            for shown, interval in zip(item["intervals"], field.intervals, strict=True):
                shown["start"], shown["end"] = in_zone(interval.start, zone_name), in_zone(interval.end, zone_name)
        data["scenario"] = world.scenario.title
        data["dropped"] = [{"event": d.event.id, "reason": d.reason, "chain": list(d.chain)} for d in world.dropped]
        data["generated"] = [e.id for e in world.generated()]
        dump(data)
        return
    if fmt in ("csv", "jsonl"):
        from orgsim.views.rows import DIVERGENCE_COLUMNS, divergence_rows

        rows(fmt, DIVERGENCE_COLUMNS, divergence_rows(story, zone_name))
        return
    from orgsim.views.text import render_divergence

    click.echo(render_divergence(story, world, zone_name))


@scenario.command("list")
@click.option(
    "--dir",
    "folder",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder of scenario files (default: the bundled ones).",
)
def scenario_list(folder: Path | None) -> None:
    """The scenarios available, with their titles."""
    from orgsim.whatif.scenarios import list_scenarios

    for path, item in list_scenarios(folder):
        if isinstance(item, OrgsimError):
            click.echo(f"{path.stem:<28} INVALID: {item}")
        else:
            click.echo(f"{path.stem:<28} {item.title}")


@scenario.command("check")
@click.argument("file")
@EVENTS_OPTION
def scenario_check(file: str, events_path: Path | None) -> None:
    """Validate a scenario against its base timeline without showing results."""
    from orgsim.views.text import render_lines

    world = scenario_world(file, events_path)
    interventions = len(world.scenario.interventions)
    click.echo(
        render_lines(
            [
                f"ok: {world.scenario.title}: {interventions} intervention(s); {len(world.dropped)} event(s) dropped, "
                f"{len(world.generated())} generated"
            ]
        )
    )


# ---------------------------------------------------------------------------------------------- sweeps (issue 16)


@main.command("sweep")
@click.argument("file")
@click.option("--samples", type=click.IntRange(min=1, max=10**7), default=None, help="Worlds to sample.")
@click.option("--enumerate", "exhaustive", is_flag=True, help="Run every combination of the inputs once (exact).")
@click.option(
    "--seed",
    type=click.IntRange(min=0, max=2**63 - 1),
    default=None,
    help="Root random seed (default: the file's, else 0).",
)
@click.option("--at", "at", multiple=True, help="Instant to measure at (repeatable; default: the file's sweep.at).")
@click.option("--measure", "measure", multiple=True, help="Path of the state contract to measure (repeatable).")
@click.option(
    "--workers", type=click.IntRange(min=1, max=1024), default=None, help="Worker processes (default: one per core)."
)
@click.option(
    "--scheduler",
    default=None,
    help="Run on Dask: 'local' starts a LocalCluster, tcp://HOST:8786 uses a running scheduler (needs orgsim[dask]).",
)
@TZ_OPTION
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "csv", "jsonl"]), default="table", show_default=True
)
@EVENTS_OPTION
def sweep_command(
    file: str,
    samples: int | None,
    exhaustive: bool,
    seed: int | None,
    at: tuple[str, ...],
    measure: tuple[str, ...],
    workers: int | None,
    scheduler: str | None,
    tz: str | None,
    fmt: str,
    events_path: Path | None,
) -> None:
    """Run many worlds over a scenario's uncertain inputs: how likely each outcome is, and what it hinged on."""
    from orgsim.sweeps.executors import DaskExecutor, dask_available, scheduler_problem
    from orgsim.sweeps.run import compile_sweep, run_space
    from orgsim.whatif.scenarios import load_scenario

    tz = check_zone(tz)
    if samples is not None and exhaustive:
        fail("give --samples N or --enumerate, not both")
    executor = None
    if scheduler is not None:
        problem = scheduler_problem(scheduler)
        if problem is not None:
            fail(f"--scheduler: {problem}")
        dask_available()
        executor = DaskExecutor(scheduler, workers=workers)
    path = scenario_file(file)
    scenario = load_scenario(path)
    base = common.load(events_path if events_path is not None else scenario.base_path(path.parent))
    space, compiled, history = compile_sweep(
        scenario,
        base,
        samples=samples,
        enumerate=exhaustive,
        seed=seed,
        at=list(at) or None,
        measure=list(measure) or None,
        tz=tz,
        origin=str(path),
    )
    with progress_bar("sweep") as progress:
        results = run_space(
            space, compiled.title, history, executor=executor, workers=workers, tz=tz, progress=progress
        )
    if results.failed:
        say(f"orgsim: warning: {results.failed:,} of {results.planned:,} worlds failed (see the failures)")
    if fmt == "json":
        dump(results.to_dict())
    elif fmt == "csv":
        click.echo(results.to_csv(), nl=False)
    elif fmt == "jsonl":
        import json

        from orgsim.errors import json_printable

        for row in results.rows():
            click.echo(json_printable(json.dumps(row, ensure_ascii=False)))
    else:
        from orgsim.views.sweep import render_sweep

        click.echo(render_sweep(results))


# ------------------------------------------------------------------------------------------- end of sweeps block
