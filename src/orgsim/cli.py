"""The ``orgsim`` command line: thin commands over the library.

Imports are made inside each command so that ``orgsim state`` loads only
what it needs. Every :class:`~orgsim.errors.OrgsimError` becomes one line on
stderr and exit status 2, here and nowhere else.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from orgsim.errors import OrgsimError

if TYPE_CHECKING:
    from orgsim.timeline import Timeline


# click >= 8.2 raises this for a bare group; older clicks print the help themselves.
_NO_ARGUMENTS: type[click.UsageError] = getattr(
    click.exceptions, "NoArgsIsHelpError", type("_Never", (click.UsageError,), {})
)


class _Orgsim(click.Group):
    """A click group that renders every user error, orgsim's or click's, as one line and exit status 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except OrgsimError as error:
            fail(str(error))

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False  # errors come back here, to be told in one line
        try:
            return super().main(*args, **kwargs)
        except _NO_ARGUMENTS as error:  # a bare 'orgsim' or 'orgsim scenario': the help, as asked
            click.echo(error.ctx.get_help() if error.ctx is not None else error.format_message())
            sys.exit(0)
        except click.UsageError as error:
            where = error.ctx.command_path if error.ctx is not None else "orgsim"
            fail(f"{error.format_message()} (see '{where} --help')")
        except click.exceptions.Abort:
            fail("aborted")
        except click.ClickException as error:
            fail(error.format_message())


def fail(message: str) -> NoReturn:
    """Print ``orgsim: error: message`` on stderr and exit with status 2."""
    click.echo(f"orgsim: error: {message}", err=True)
    sys.exit(2)


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
    help="Zone for naive input and display, e.g. Asia/Shanghai (default: the timeline's home zone).",
)
FORMAT_OPTION = click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)


def _load(events_path: Path | None) -> Timeline:
    from orgsim.timeline import load_timeline

    return load_timeline(events_path)


def _check_zone(tz: str | None) -> None:
    if tz:
        from orgsim.times import zone

        zone(tz)


def _dump(data: Any) -> None:
    import json  # only --json output needs it

    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.group(cls=_Orgsim, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="orgsim")
def main() -> None:
    """Replay how control of an organisation changed, and ask what would have happened otherwise."""


@main.command()
@click.option(
    "--at",
    "at",
    required=True,
    help="Instant: ISO-8601 with offset, naive (read in --tz), or a bare date (end of day).",
)
@TZ_OPTION
@FORMAT_OPTION
@click.option(
    "--sources/--no-sources",
    "with_sources",
    default=True,
    show_default=True,
    help="Cite the event and quote behind each answer.",
)
@EVENTS_OPTION
def state(at: str, tz: str | None, fmt: str, with_sources: bool, events_path: Path | None) -> None:
    """The organisation's state at an instant."""
    _check_zone(tz)
    timeline = _load(events_path)
    instant = timeline.resolve(at, tz)
    answer = timeline.state_at(instant)
    if fmt == "json":
        data = answer.to_dict()
        if with_sources:
            data["sources"] = {k: e.id for k, e in timeline.provenance(instant).items()}
        _dump(data)
        return
    from orgsim.views.text import render_provenance, render_state

    click.echo(render_state(answer, timeline.home_zone, tz))
    if with_sources:
        click.echo("")
        click.echo(render_provenance(timeline.provenance(instant), tz or timeline.home_zone, answer))


@main.command()
@click.option("--from", "start", default=None, help="Only events after this instant.")
@click.option(
    "--to", "end", default=None, help="Only events at or before this instant (a bare date includes that whole day)."
)
@click.option("--type", "kinds", multiple=True, help="Only events of this type (repeatable).")
@click.option("--person", default=None, help="Only events naming this person id.")
@click.option("--no-sources", is_flag=True, help="Leave out the source quotes in the table.")
@TZ_OPTION
@FORMAT_OPTION
@EVENTS_OPTION
def events(
    start: str | None,
    end: str | None,
    kinds: tuple[str, ...],
    person: str | None,
    no_sources: bool,
    tz: str | None,
    fmt: str,
    events_path: Path | None,
) -> None:
    """The timeline's events in replay order, with their sources."""
    from orgsim.model.events import EVENT_TYPES, people_named

    _check_zone(tz)
    unknown = [k for k in kinds if k not in EVENT_TYPES]
    if unknown:
        fail(f"--type: unknown event type {unknown[0]!r} (known types: {', '.join(sorted(EVENT_TYPES))})")
    timeline = _load(events_path)
    low = timeline.resolve(start, tz) if start else None
    if start and len(start.strip()) == 10:
        low = low.start_of("day").subtract(microseconds=1) if low is not None else None
    high = timeline.resolve(end, tz) if end else None
    if low is not None and high is not None and high < low:
        fail(f"--to {end} ({high.isoformat()}) is before --from {start}")
    selected = timeline.between(low, high)
    if kinds:
        selected = [e for e in selected if e.type in kinds]  # type: ignore[attr-defined]
    if person:
        selected = [e for e in selected if person in people_named(e)]
    if fmt == "json":
        _dump([dict(e.model_dump(mode="json"), file=timeline.origins.get(e.id)) for e in selected])
        return
    from orgsim.views.text import render_events

    click.echo(render_events(selected, timeline.home_zone, tz, sources=not no_sources))


@main.command()
@click.option("--from", "start", required=True, help="The earlier instant.")
@click.option("--to", "end", required=True, help="The later instant.")
@TZ_OPTION
@FORMAT_OPTION
@EVENTS_OPTION
def diff(start: str, end: str, tz: str | None, fmt: str, events_path: Path | None) -> None:
    """What changed between two instants, event by event."""
    from orgsim.query.diff import diff_states

    _check_zone(tz)
    timeline = _load(events_path)
    low, high = timeline.resolve(start, tz), timeline.resolve(end, tz)
    if high < low:
        fail(f"--to ({high.isoformat()}) is before --from ({low.isoformat()})")
    steps = [(event, diff_states(before, after)) for event, before, after in timeline.steps(low, high)]
    net = diff_states(timeline.state_at(low), timeline.state_at(high))
    if fmt == "json":
        _dump(
            {
                "from": low.isoformat(),
                "to": high.isoformat(),
                "steps": [
                    {"event": e.id, "at": e.at.isoformat(), "summary": e.summary, "changes": [c.to_dict() for c in cs]}
                    for e, cs in steps
                ],
                "net": [c.to_dict() for c in net],
            }
        )
        return
    from orgsim.times import display
    from orgsim.views.text import render_changes

    zone_name = tz or timeline.home_zone
    click.echo(f"from {low.isoformat()} to {high.isoformat()}: {len(steps)} event(s)")
    for event, changes in steps:
        click.echo(f"\n{display(event.at, zone_name, event.precision)}  {event.summary}  [{event.id}]")
        lines = render_changes(changes)
        click.echo("\n".join(lines) if lines else "  (no change to the state)")
    click.echo("\nNet change:")
    click.echo("\n".join(render_changes(net)) or "  (none)")


@main.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
@EVENTS_OPTION
def validate(path: Path | None, events_path: Path | None) -> None:
    """Check a timeline folder: schema, ids, causes, verbatim quotes, and a full replay."""
    from orgsim.io.loading import bundled_timeline_path, load_folder
    from orgsim.io.sources import check_quotes
    from orgsim.timeline import Timeline

    if path is not None and events_path is not None and path != events_path:
        fail("give the timeline folder once: as PATH or as --events")
    folder = path or events_path or bundled_timeline_path()
    loaded = load_folder(folder)
    checked, note = check_quotes(loaded)
    timeline = Timeline.from_events(loaded.manifest, loaded.events, origins=loaded.origins, folder=loaded.folder)
    files = len(set(loaded.origins.values()))
    click.echo(f"ok: {loaded.manifest.name}: {len(timeline)} events in {files} file(s) replay cleanly")
    click.echo(f"    {checked} source quotes checked verbatim" if note is None else f"    {note}")
    if len(timeline):
        final = timeline.final_state()
        click.echo(f"    final state: {final.applied} events applied, last {final.last_event}")


@main.command()
def schema() -> None:
    """The JSON Schema of an event file (a list of events), for editors."""
    from orgsim.model.events import EVENT_LIST_ADAPTER

    document = EVENT_LIST_ADAPTER.json_schema()
    document = {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "orgsim event file", **document}
    _dump(document)


def _scenario_file(name: str) -> Path:
    path = Path(name)
    if path.exists():
        return path
    from orgsim.io.loading import bundled_scenarios_path

    for candidate in (bundled_scenarios_path() / name, bundled_scenarios_path() / f"{name}.yaml"):
        if candidate.is_file():
            return candidate
    fail(f"{name}: no such scenario file (bundled scenarios: see 'orgsim scenario list')")


def _world(name: str, events_path: Path | None) -> Any:
    from orgsim.whatif.scenarios import load_scenario

    path = _scenario_file(name)
    scenario = load_scenario(path)
    base = _load(events_path) if events_path is not None else None
    return scenario.run(base, origin=str(path))


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
    _check_zone(tz)
    world = _world(file, events_path)
    answer = world.state_at(at, tz=tz)
    if fmt == "json":
        data = answer.to_dict()
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
        _dump(data)
        return
    from orgsim.views.text import render_state

    click.echo(render_state(answer, world.home_zone, tz, title=f"What if: {world.scenario.title}"))
    gone = [d for d in world.dropped if d.event.at <= answer.at]
    if gone:
        click.echo(f"\nDid not happen in this world ({len(gone)}):")
        for dropped in gone[:20]:
            click.echo(f"  {dropped.describe()}")
        if len(gone) > 20:
            click.echo(f"  ... and {len(gone) - 20} more (all of them with --format json, or 'orgsim scenario diff')")
    made = [e for e in world.generated() if e.at <= answer.at]
    if made:
        click.echo("\nGenerated by rules:")
        for event in made:
            click.echo(f"  {event.id} [{event.generated_by}]: {event.summary}")


@scenario.command("diff")
@click.argument("file")
@click.option(
    "--at", "at", default=None, help="Compare the two worlds at this instant; without it, tell the divergence story."
)
@TZ_OPTION
@FORMAT_OPTION
@EVENTS_OPTION
def scenario_diff(file: str, at: str | None, tz: str | None, fmt: str, events_path: Path | None) -> None:
    """History against the what-if: at an instant, or the whole divergence story."""
    from orgsim.query.divergence import divergence, side_by_side

    _check_zone(tz)
    world = _world(file, events_path)
    zone_name = tz or world.home_zone
    if at is not None:
        history_state, what_if_state, changes = side_by_side(world.base, world, at, tz)
        if fmt == "json":
            _dump(
                {
                    "at": history_state.at.isoformat() if history_state.at else None,
                    "history": history_state.to_dict(),
                    "what_if": what_if_state.to_dict(),
                    "differences": [c.to_dict() for c in changes],
                }
            )
            return
        from orgsim.views.text import render_side_by_side

        click.echo(render_side_by_side(history_state, what_if_state, changes, zone_name, world.scenario.title))
        return
    story = divergence(world.base, world)
    if fmt == "json":
        data = story.to_dict()
        data["scenario"] = world.scenario.title
        data["dropped"] = [{"event": d.event.id, "reason": d.reason, "chain": list(d.chain)} for d in world.dropped]
        data["generated"] = [e.id for e in world.generated()]
        _dump(data)
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
    world = _world(file, events_path)
    interventions = len(world.scenario.interventions)
    click.echo(
        f"ok: {world.scenario.title}: {interventions} intervention(s); {len(world.dropped)} event(s) dropped, "
        f"{len(world.generated())} generated"
    )


SCENARIO_OPTION = click.option(
    "--scenario",
    "scenario_name",
    default=None,
    help="A what-if scenario (file or bundled name) to show beneath history.",
)


@main.command()
@click.option("--out", required=True, type=click.Path(path_type=Path), help="HTML file to write.")
@SCENARIO_OPTION
@click.option("--from", "start", default=None, help="Start of the page's range, included (a bare date: its start).")
@click.option("--to", "end", default=None, help="End of the page's range (a bare date includes that whole day).")
@click.option("--title", default=None, help="Page title (default: the timeline's).")
@TZ_OPTION
@EVENTS_OPTION
def report(
    out: Path,
    scenario_name: str | None,
    start: str | None,
    end: str | None,
    title: str | None,
    tz: str | None,
    events_path: Path | None,
) -> None:
    """Write a self-contained HTML report: who held what when, a time scrubber, every source quote."""
    from orgsim.views.report import page_warnings, render_page, report_data, write_report

    _check_zone(tz)
    world = _world(scenario_name, events_path) if scenario_name else None
    timeline = world.base if world is not None else _load(events_path)
    low = timeline.resolve(start, tz, bound="start") if start else None
    high = timeline.resolve(end, tz) if end else None
    if low is not None and high is not None and high < low:
        fail(f"--to {end} ({high.isoformat()}) is before --from {start} ({low.isoformat()})")
    data = report_data(timeline, world=world, tz=tz, title=title, start=low, end=high)
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

    _check_zone(tz)
    if whole and (start or end):
        fail("give --all or --from/--to, not both")
    world = _world(scenario_name, events_path) if scenario_name else None
    timeline = world.base if world is not None else _load(events_path)
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
def synth(n_events: int, seed: int, people: int | None, out: Path) -> None:
    """Generate a deterministic synthetic timeline, valid under replay, for benchmarks and tests."""
    from orgsim.testing.synth import write_synthetic

    folder = write_synthetic(out, n_events, seed, people=people)
    click.echo(f"wrote {n_events:,} events to {folder}")


@main.command()
@click.argument("src", type=click.Path(path_type=Path))
@click.argument("dst", type=click.Path(path_type=Path))
def convert(src: Path, dst: Path) -> None:
    """Convert an event file between YAML and JSON Lines (by suffix), dropping nothing."""
    from orgsim.io.convert import convert_timeline_file

    count = convert_timeline_file(src, dst)
    click.echo(f"wrote {count:,} events to {dst}")


if __name__ == "__main__":  # pragma: no cover
    main()
