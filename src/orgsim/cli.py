"""The ``orgsim`` command line: thin commands over the library.

Imports are made inside each command so that ``orgsim state`` loads only
what it needs. Every :class:`~orgsim.errors.OrgsimError` becomes one line on
stderr and exit status 2, here and nowhere else.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import signal
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
    """A click group that renders every user error, orgsim's or click's, as one line and exit status 2.

    It also owns what happens to the process as a whole: SIGTERM, SIGINT and
    SIGHUP stop it through an exception, so that half-written files are
    removed on the way out, and then it dies of that signal as the caller
    expects; a write to standard output that fails is one line and exit 2,
    or, when the reader closed the pipe, a quiet death by SIGPIPE.
    """

    def invoke(self, ctx: click.Context) -> Any:
        from orgsim.engine.bulk import bulk

        try:
            with bulk():  # a command is one bulk job: no collector passes over what it loads and replays
                result = super().invoke(ctx)
            if sys.stdout is not None:
                sys.stdout.flush()  # here, so that a failing flush is told as one, not at interpreter exit
            return result
        except OrgsimError as error:
            fail(str(error))

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False  # errors come back here, to be told in one line
        handled = _stop_on_signals()
        _warnings_as_lines()
        try:
            try:
                _guard_stdout()
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
        except _StdoutFailed as error:  # from the command, or from the help printed above
            if error.errno == errno.EPIPE:
                _die_of(signal.SIGPIPE)  # quietly, as any Unix tool whose reader has gone
            fail(f"cannot write to standard output: {error.strerror}")
        except _Stopped as stop:
            _say(f"orgsim: stopped by {stop.signal.name}")
            _die_of(stop.signal)
        finally:
            for signum in handled:  # past this point there is nothing left to clean up
                signal.signal(signum, signal.SIG_DFL)


def _warnings_as_lines() -> None:
    """Tell orgsim's warnings (a cache folder not used, say) as one line on stderr each, like its errors."""
    import warnings

    from orgsim.errors import one_line

    def show(message: Warning | str, category: type[Warning], *rest: object, **more: object) -> None:
        _say(f"orgsim: warning: {one_line(str(message))}")

    warnings.showwarning = show


def fail(message: str) -> NoReturn:
    """Print ``orgsim: error: message`` on stderr and exit with status 2."""
    from orgsim.errors import one_line

    _say(f"orgsim: error: {one_line(message)}")
    sys.exit(2)


def _say(line: str) -> None:
    with contextlib.suppress(OSError, ValueError):  # a closed or full stderr cannot be told about
        click.echo(line, err=True)


class _Stopped(BaseException):
    """Raised by the handler of a signal that stops orgsim, so that cleanups run on the way out."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signal = signal.Signals(signum)


_STOPPING = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGHUP") if hasattr(signal, name))


def _stop_on_signals() -> list[int]:
    """Turn SIGTERM, SIGINT and SIGHUP into :class:`_Stopped`, except those the caller set to be ignored (nohup).

    Returns the signals it took over.
    """
    handled = [signum for signum in _STOPPING if signal.getsignal(signum) != signal.SIG_IGN]

    def stop(signum: int, frame: object) -> None:
        for other in handled:  # a second signal must not cut the cleanup short
            signal.signal(other, signal.SIG_IGN)
        raise _Stopped(signum)

    for signum in handled:
        signal.signal(signum, stop)
    return handled


def _die_of(signum: signal.Signals) -> NoReturn:
    """End the process by ``signum`` itself, so that the caller sees it (a shell's $? is 128 + signum)."""
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)
    sys.exit(128 + signum)  # only if the signal is blocked


class _StdoutFailed(Exception):
    """A write to standard output failed (a closed pipe, a full disk).

    Not an ``OSError``: click would take a closed pipe for its own and exit 1,
    and no handler of a file's errors should mistake it for one.
    """

    def __init__(self, error: OSError) -> None:
        super().__init__(error.strerror)
        self.errno = error.errno
        self.strerror = error.strerror


class _WholeWrites(io.RawIOBase):
    """Standard output's file descriptor as a raw stream whose every write writes all its bytes or raises.

    Python's own unbuffered stdout (PYTHONUNBUFFERED) drops the rest of a
    write that the system took only in part, as a pipe does when its reader
    leaves; here the loop goes on until the system refuses, and that is an
    error. After the first error the rest is discarded, so that the exit
    path does not fail again.
    """

    def __init__(self, handle: int) -> None:
        super().__init__()
        self._handle = handle
        self._failed = False

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._handle

    def isatty(self) -> bool:
        return os.isatty(self._handle)

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        size = len(view)
        if self._failed:
            return size
        try:
            while view:
                view = view[os.write(self._handle, view) :]
        except OSError as error:
            self._failed = True
            raise _StdoutFailed(error) from error
        return size


def _guard_stdout() -> None:
    """Put :class:`_WholeWrites` under ``sys.stdout`` (when it is a real file), keeping its encoding."""
    stream = sys.stdout
    try:
        handle = stream.fileno()
        stream.flush()
    except (AttributeError, OSError, ValueError):
        return
    sys.stdout = io.TextIOWrapper(
        io.BufferedWriter(_WholeWrites(handle)),
        encoding=stream.encoding,
        errors=stream.errors,
        line_buffering=bool(stream.line_buffering),
    )


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


def _load(events_path: Path | None) -> Timeline:
    from orgsim.timeline import load_timeline

    return load_timeline(events_path, cache=True)


def _check_zone(tz: str | None) -> str | None:
    """The canonical name of the zone given as ``--tz`` (``asia/shanghai`` -> ``Asia/Shanghai``), checked."""
    if tz is None:
        return None
    from orgsim.times import zone_name

    return zone_name(tz)


def _in_zone(instant: Any, tz: str) -> str | None:
    """An instant of a JSON answer: ISO-8601 in the zone the user asked for (else the home zone)."""
    if instant is None:
        return None
    from orgsim.times import isoformat

    return isoformat(instant, tz)


def _dump(data: Any) -> None:
    import json  # only --json output needs it

    from orgsim.errors import json_printable

    click.echo(json_printable(json.dumps(data, ensure_ascii=False, indent=2)))


def _lines(objects: Any) -> None:
    """JSON Lines: one compact object per line."""
    from orgsim.views.rows import jsonl_text

    click.echo(jsonl_text(objects), nl=False)


def _rows(fmt: str, header: Any, rows: Any) -> None:
    """Rows as CSV (under ``header``) or JSON Lines."""
    from orgsim.views.rows import rows_text

    click.echo(rows_text(fmt, header, rows), nl=False)


@click.group(cls=_Orgsim, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="orgsim")
def main() -> None:
    """Replay how control of an organisation changed, and ask what would have happened otherwise."""


@main.command()
@click.option(
    "--at",
    "at",
    default=None,
    help="Instant: ISO-8601 with offset, naive (read in --tz), or a bare date (end of day).",
)
@click.option(
    "--known-at",
    "known_at",
    default=None,
    help="Answer from what was public by this instant (same rules as --at): the events reported later are hidden.",
)
@click.option(
    "--as-known-at",
    "as_known_at",
    default=None,
    help="The public's picture of the present at this instant: --at and --known-at both this instant.",
)
@TZ_OPTION
@FORMAT_OPTION
@click.option(
    "--sources/--no-sources",
    "--with-sources",
    "with_sources",
    default=True,
    show_default=True,
    help="Cite the event and quote behind each answer.",
)
@SAMPLES_OPTION
@SEED_OPTION
@EVENTS_OPTION
def state(
    at: str | None,
    known_at: str | None,
    as_known_at: str | None,
    tz: str | None,
    fmt: str,
    with_sources: bool,
    samples: int | None,
    seed: int,
    events_path: Path | None,
) -> None:
    """The organisation's state at an instant (as it happened, or as the public knew it)."""
    tz = _check_zone(tz)
    if samples is not None and (known_at is not None or as_known_at is not None):
        fail("--samples samples history's own vague times: give it with --at alone, not with --known-at")
    if as_known_at is not None:
        if at is not None or known_at is not None:
            fail("--as-known-at K is --at K --known-at K: give it alone")
        at = known_at = as_known_at
    if at is None:
        fail("give --at (or --as-known-at)")
    timeline = _load(events_path)
    instant = timeline.resolve(at, tz)
    known = None
    if known_at is not None:
        known_instant = timeline.resolve(known_at, tz)
        if known_instant < instant:
            fail(
                f"--known-at {known_at} is before --at {at}: what was public then says nothing of what happened "
                f"after it; give a --known-at at or after --at, or --as-known-at {known_at} for the public's "
                "picture then"
            )
        known = timeline.known_state(instant, known_instant)
        answer = known.state
    else:
        answer = timeline.state_at(instant)
    _warn_outside_coverage(timeline.manifest, instant)
    shown = tz or timeline.home_zone
    if fmt == "json":
        from orgsim.times import isoformat

        data = answer.to_dict(shown)
        data["as_of"] = {
            path: {"since": isoformat(held.since, shown), "precision": held.precision, "event": held.event}
            for path, held in timeline.as_of(instant).items()
            if known is None
        }
        if known is not None:
            data["known_at"] = {
                "at": isoformat(known.known_at, shown),
                "hidden": list(known.hidden),
                "not_applied": [{"event": e, "why": why} for e, why in known.not_applied],
            }
        if with_sources and known is None:
            data["sources"] = {k: e.id for k, e in timeline.provenance(instant).items()}
        if samples is not None:
            data["samples"] = _state_samples(timeline, instant, samples, seed).to_dict()
        _dump(data)
        return
    from orgsim.views.text import heading_instant, render_known_notes, render_provenance, render_state

    title = None
    if known is not None:
        org = timeline.manifest.organisation_name or timeline.manifest.organisation
        title = f"{org} as known at {heading_instant(known.known_at, timeline.home_zone, tz)}"
    click.echo(render_state(answer, timeline.home_zone, tz, title=title))
    if known is not None:
        click.echo(render_known_notes(known, timeline, shown))
    elif with_sources:
        click.echo("")
        click.echo(render_provenance(timeline.provenance(instant), shown, answer, timeline.home_zone))
    if samples is not None:
        from orgsim.views.sweep import render_state_samples

        click.echo("")
        click.echo(render_state_samples(_state_samples(timeline, instant, samples, seed)))


CSV_FORMAT_OPTION = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv", "jsonl"]),
    default="table",
    show_default=True,
    help="csv and jsonl: one row per line (columns in the README).",
)


@main.command()
@click.option("--office", default=None, help="Only this office's tenures (ceo, cto, president...).")
@click.option("--board", "board", is_flag=True, help="Board seats.")
@click.option("--chair", "chair", is_flag=True, help="The chair of the board.")
@click.option("--stakeholder-seats", "stakeholder_seats", is_flag=True, help="Seats held for a stakeholder.")
@click.option("--leave", "leave", is_flag=True, help="Leaves (sabbaticals...).")
@click.option("--person", default=None, help="Only this person's tenures (a person id).")
@click.option("--from", "start", default=None, help=f"Only tenures still held at or after this instant ({FROM_HELP}).")
@click.option("--to", "end", default=None, help=f"Only tenures begun at or before this instant ({TO_HELP}).")
@click.option("--no-sources", is_flag=True, help="Leave out the events and quotes that mark each end.")
@TZ_OPTION
@CSV_FORMAT_OPTION
@EVENTS_OPTION
def tenures(
    office: str | None,
    board: bool,
    chair: bool,
    stakeholder_seats: bool,
    leave: bool,
    person: str | None,
    start: str | None,
    end: str | None,
    no_sources: bool,
    tz: str | None,
    fmt: str,
    events_path: Path | None,
) -> None:
    """Who held each office, board seat, the chair and each leave: from when, to when, for how long, and why.

    Without --office, --board, --chair, --stakeholder-seats or --leave, every kind is listed. An end outside the
    timeline's coverage is unknown and says why; an end dated only to a day gives the duration as a range.
    """
    from orgsim.query.history import TenureKind

    tz = _check_zone(tz)
    timeline = _load(events_path)
    if person is not None:
        _known_person(timeline, person, "--person")
    if office is not None and office not in {
        key.split(".")[1] for key in timeline.change_series() if key.startswith("offices.")
    }:
        offices = sorted({key.split(".")[1] for key in timeline.change_series() if key.startswith("offices.")})
        fail(f"--office: no event gives anyone the office {office!r} (offices: {', '.join(offices)})")
    flags: tuple[tuple[TenureKind, bool], ...] = (
        ("board", board),
        ("chair", chair),
        ("stakeholder_seat", stakeholder_seats),
        ("leave", leave),
    )
    chosen = [kind for kind, wanted in flags if wanted]
    if office is not None and chosen:
        fail("--office lists one office's tenures: give it alone, or use the other flags without it")
    kinds = chosen or None
    low, high = _range(timeline, start, end, tz)
    found = timeline.tenures(office=office, kinds=kinds, person=person, start=low, end=high)
    shown = tz or timeline.home_zone
    if fmt == "json":
        _dump([tenure.to_dict(shown) for tenure in found])
        return
    if fmt == "jsonl":
        _lines([tenure.to_dict(shown) for tenure in found])
        return
    from orgsim.views.history import render_tenures, tenures_csv

    if fmt == "csv":
        click.echo(tenures_csv(found, shown), nl=False)
        return
    click.echo(render_tenures(found, timeline.manifest, shown, sources=not no_sources))


@main.command()
@click.argument("person_id", metavar="PERSON")
@TZ_OPTION
@CSV_FORMAT_OPTION
@EVENTS_OPTION
def person(person_id: str, tz: str | None, fmt: str, events_path: Path | None) -> None:
    """Every role, board seat, leave and affiliation of one person over time (PERSON is an id: sam-altman)."""
    tz = _check_zone(tz)
    timeline = _load(events_path)
    _known_person(timeline, person_id, "PERSON")
    found = timeline.person_history(person_id)
    shown = tz or timeline.home_zone
    if fmt == "json":
        _dump(
            {
                "person": person_id,
                "name": timeline.manifest.people[person_id].name,
                "history": [tenure.to_dict(shown) for tenure in found],
            }
        )
        return
    if fmt == "jsonl":
        _lines([tenure.to_dict(shown) for tenure in found])
        return
    from orgsim.views.history import render_tenures, tenures_csv

    if fmt == "csv":
        click.echo(tenures_csv(found, shown), nl=False)
        return
    name = timeline.manifest.people[person_id].name
    click.echo(f"{name} ({person_id}) — timeline {timeline.name!r}\n")
    click.echo(render_tenures(found, timeline.manifest, shown))


@main.command()
@click.argument("path")
@click.option("--at", "at", required=True, help="Instant (same rules as 'orgsim state').")
@click.option("--no-but-for", "no_but_for", is_flag=True, help="Skip the search for but-for causes.")
@TZ_OPTION
@FORMAT_OPTION
@EVENTS_OPTION
def explain(path: str, at: str, no_but_for: bool, tz: str | None, fmt: str, events_path: Path | None) -> None:
    """Why PATH (ceo, board.members, board.chair, employees.headcount, stakeholders.microsoft.employs...) has its
    value at an instant: the event that set it, why that happened, and the events but for which it would differ."""
    from orgsim.model.paths import state_field_problem

    tz = _check_zone(tz)
    timeline = _load(events_path)
    problem = state_field_problem("offices.ceo" if path == "ceo" else path, timeline.manifest)
    if problem is not None:
        fail(f"PATH: {problem}")
    instant = timeline.resolve(at, tz)
    explanation = timeline.explain(path, instant, but_for=not no_but_for)
    shown = tz or timeline.home_zone
    if fmt == "json":
        _dump(explanation.to_dict(shown))
        return
    from orgsim.views.history import render_explanation

    click.echo(render_explanation(explanation, timeline.manifest, shown))


@main.command()
@click.option("--all", "everything", is_flag=True, help="Every event, also those public as they happened.")
@TZ_OPTION
@CSV_FORMAT_OPTION
@EVENTS_OPTION
def lag(everything: bool, tz: str | None, fmt: str, events_path: Path | None) -> None:
    """Each event's delay between happening and becoming public (its reported_at), longest first."""
    tz = _check_zone(tz)
    timeline = _load(events_path)
    found = timeline.lag(everything=everything)
    shown = tz or timeline.home_zone
    if fmt == "json":
        _dump([item.to_dict(shown) for item in found])
        return
    if fmt == "jsonl":
        _lines([item.to_dict(shown) for item in found])
        return
    from orgsim.views.history import lags_csv, render_lags

    if fmt == "csv":
        click.echo(lags_csv(found, shown), nl=False)
        return
    click.echo(render_lags(found, shown, timeline.home_zone))


def _known_person(timeline: Timeline, person_id: str, where: str) -> None:
    if person_id in timeline.manifest.people:
        return
    import difflib

    people = timeline.manifest.people
    close = difflib.get_close_matches(person_id, list(people), n=3)
    by_name = [pid for pid, p in people.items() if person_id.lower() in p.name.lower()]
    suggestions = list(dict.fromkeys([*by_name, *close]))[:3]
    hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
    fail(f"{where}: unknown person {person_id!r}{hint}")


def _range(timeline: Timeline, start: str | None, end: str | None, tz: str | None) -> tuple[Any, Any]:
    low = timeline.resolve(start, tz, bound="start") if start is not None else None
    high = timeline.resolve(end, tz) if end is not None else None
    if low is not None and high is not None and high < low:
        fail(f"--to {end} ({high.isoformat()}) is before --from {start} ({low.isoformat()})")
    return low, high


def _warn_outside_coverage(manifest: Any, instant: Any) -> None:
    from orgsim.model.knowledge import outside_every_coverage

    outside = outside_every_coverage(manifest, instant)
    if outside is not None:
        click.echo(f"orgsim: warning: {outside}", err=True)


@main.command()
@click.option("--from", "start", default=None, help=f"Only events at or after this instant ({FROM_HELP}).")
@click.option("--to", "end", default=None, help=f"Only events at or before this instant ({TO_HELP}).")
@click.option("--type", "kinds", multiple=True, help="Only events of this type (repeatable: any of them).")
@click.option("--person", "people", multiple=True, help="Only events naming this person id (repeatable: any of them).")
@click.option("--no-sources", is_flag=True, help="Leave out the source quotes in the table.")
@click.option("--oneline", is_flag=True, help="One line per event: time, summary and id.")
@TZ_OPTION
@CSV_FORMAT_OPTION
@EVENTS_OPTION
def events(
    start: str | None,
    end: str | None,
    kinds: tuple[str, ...],
    people: tuple[str, ...],
    no_sources: bool,
    oneline: bool,
    tz: str | None,
    fmt: str,
    events_path: Path | None,
) -> None:
    """The timeline's events in replay order, with their sources.

    A day-, month- or year-precision event is in a range when the day (month,
    year) it covers, in the zone its source dates it in, overlaps the range.
    """
    from orgsim.model.events import EVENT_TYPES, people_named

    tz = _check_zone(tz)
    unknown = [k for k in kinds if k not in EVENT_TYPES]
    if unknown:
        fail(f"--type: unknown event type {unknown[0]!r} (known types: {', '.join(sorted(EVENT_TYPES))})")
    timeline = _load(events_path)
    for person in people:
        if person not in timeline.manifest.people:
            fail(f"--person: {_unknown_person(person, timeline)}")
    low = timeline.resolve(start, tz, bound="start") if start else None
    high = timeline.resolve(end, tz) if end else None
    if low is not None and high is not None and high < low:
        fail(f"--to {end} ({high.isoformat()}) is before --from {start} ({low.isoformat()})")
    wanted = set(people)
    found = [
        (record, inside)
        for record, inside in _overlapping(timeline, low, high)
        if (not kinds or record.type in kinds) and (not wanted or wanted.intersection(people_named(record)))
    ]
    selected = [record.to_event() for record, _ in found]
    zone_name = tz or timeline.home_zone
    if fmt in ("json", "jsonl"):
        items = []
        for event in selected:
            item = event.model_dump(mode="json")
            item["at"] = _in_zone(event.at, zone_name)
            if item.get("reported_at") is not None:
                item["reported_at"] = _in_zone(event.reported_at, zone_name)
            item["file"] = timeline.origins.get(event.id)
            items.append(item)
        if fmt == "jsonl":
            _lines(items)
        else:
            _dump(items)
        return
    if fmt == "csv":
        from orgsim.views.rows import EVENT_COLUMNS, event_rows

        _rows(fmt, EVENT_COLUMNS, event_rows(selected, timeline.origins, zone_name))
        return
    from orgsim.views.text import render_events

    within = [event for event, (_, inside) in zip(selected, found, strict=True) if inside]
    partly = [event for event, (_, inside) in zip(selected, found, strict=True) if not inside]
    click.echo(
        render_events(within, timeline.home_zone, tz, sources=not no_sources, oneline=oneline, overlapping=partly)
    )


def _overlapping(timeline: Timeline, low: Any, high: Any) -> list[tuple[Any, bool]]:
    """The events (records, in replay order) whose period overlaps ``low``..``high``, each with whether it lies inside.

    An event of minute or hour precision is its instant: in the range when
    ``low <= at <= high``. One of day, month or year precision covers that
    period of its zone's calendar: in the range when the two overlap.
    """
    from bisect import bisect_left, bisect_right

    from orgsim.times import period, period_search_window

    replay = timeline.replay
    first, last = period_search_window(low, high)
    start, stop = bisect_left(replay.times, first), bisect_right(replay.times, last)
    since_ts = float("-inf") if low is None else low.timestamp()
    until_ts = float("inf") if high is None else high.timestamp()
    found = []
    for record, epoch in zip(replay.applied[start:stop], replay.times[start:stop], strict=True):
        if record.precision in ("minute", "hour"):  # an instant: no calendar to consult
            if since_ts <= epoch <= until_ts:
                found.append((record, True))
            continue
        since, until = period(record.at, record.precision, record.zone or timeline.home_zone)
        if (low is None or until >= low) and (high is None or since <= high):
            found.append((record, (low is None or since >= low) and (high is None or until <= high)))
    return found


def _unknown_person(person: str, timeline: Timeline) -> str:
    """Say that no person has the id ``person``, and suggest the nearest by id or by name."""
    import difflib  # only an error needs it

    known = timeline.manifest.people
    query = person.strip().lower()
    words = [pid for pid, p in known.items() if query in pid.split("-") or query in p.name.lower().split()]
    names = {p.name.lower(): pid for pid, p in known.items()}
    close = difflib.get_close_matches(query, list(known), n=3, cutoff=0.6)
    close += [names[n] for n in difflib.get_close_matches(query, list(names), n=3, cutoff=0.6)]
    nearest = list(dict.fromkeys(words + close))[:3]
    message = f"no person has the id {person!r} in timeline {timeline.name!r}"
    if not nearest:
        return message + " (the people it knows are listed in its timeline.yaml)"
    return message + " (did you mean " + " or ".join(f"{pid!r} ({known[pid].name})" for pid in nearest) + "?)"


@main.command()
@click.option("--from", "start", required=True, help=f"The earlier instant, included ({FROM_HELP}).")
@click.option("--to", "end", required=True, help=f"The later instant ({TO_HELP}).")
@TZ_OPTION
@CSV_FORMAT_OPTION
@EVENTS_OPTION
def diff(start: str, end: str, tz: str | None, fmt: str, events_path: Path | None) -> None:
    """What changed from --from to --to (the events at --from included), event by event."""
    from bisect import bisect_left

    from orgsim.query.diff import diff_states

    tz = _check_zone(tz)
    timeline = _load(events_path)
    low, high = timeline.resolve(start, tz, bound="start"), timeline.resolve(end, tz)
    if high < low:
        fail(f"--to {end} ({high.isoformat()}) is before --from {start} ({low.isoformat()})")
    replay = timeline.replay
    first, last = bisect_left(replay.times, low.timestamp()), replay.position(high.timestamp())
    before, after = replay.state_after(first, low), replay.state_after(last, high)
    steps = []
    previous = before
    for record, state in replay.walk(first, last):
        steps.append((record.to_event(), previous, state, diff_states(previous, state)))
        previous = state
    net = diff_states(before, after)
    zone_name = tz or timeline.home_zone
    if fmt == "json":
        _dump(
            {
                "from": _in_zone(low, zone_name),
                "to": _in_zone(high, zone_name),
                "steps": [
                    {
                        "event": e.id,
                        "at": _in_zone(e.at, zone_name),
                        "summary": e.summary,
                        "changes": [c.to_dict() for c in cs],
                    }
                    for e, _, _, cs in steps
                ],
                "net": [c.to_dict() for c in net],
            }
        )
        return
    if fmt in ("csv", "jsonl"):
        from orgsim.views.rows import DIFF_COLUMNS, diff_rows

        _rows(fmt, DIFF_COLUMNS, diff_rows([(e, cs) for e, _, _, cs in steps], net, zone_name))
        return
    from orgsim.views.text import render_diff

    click.echo(render_diff(low, high, steps, net, before, after, zone_name, timeline.home_zone))


@main.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
@EVENTS_OPTION
def validate(path: Path | None, events_path: Path | None) -> None:
    """Check a timeline folder: schema, ids, causes, verbatim quotes, and a full replay.

    Every problem is reported (the first 50), one line each, before the
    replay is tried.
    """
    from orgsim.io.loading import MAX_PROBLEMS, Problems, bundled_timeline_path, check_folder, load_folder, relocate
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

    _dump(event_file_schema())


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
    base = (
        _load(events_path)
        if events_path is not None
        else scenario.base_timeline(path.parent, cache=True, source=str(path))
    )
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
    tz = _check_zone(tz)
    world = _world(file, events_path)
    answer = world.state_at(at, tz=tz)
    _warn_outside_coverage(world.manifest, answer.at)
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
        _dump(data)
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

    tz = _check_zone(tz)
    world = _world(file, events_path)
    zone_name = tz or world.home_zone
    if at is not None:
        history_state, what_if_state, changes = side_by_side(world.base, world, at, tz)
        if fmt == "json":
            _dump(
                {
                    "at": _in_zone(history_state.at, zone_name),
                    "history": history_state.to_dict(zone_name),
                    "what_if": what_if_state.to_dict(zone_name),
                    "differences": [c.to_dict() for c in changes],
                }
            )
            return
        if fmt in ("csv", "jsonl"):
            from orgsim.views.rows import SIDE_BY_SIDE_COLUMNS, side_by_side_rows

            _rows(fmt, SIDE_BY_SIDE_COLUMNS, side_by_side_rows(history_state.at, changes, zone_name))
            return
        from orgsim.views.text import render_side_by_side

        click.echo(
            render_side_by_side(history_state, what_if_state, changes, world.home_zone, world.scenario.title, tz)
        )
        return
    story = divergence(world.base, world)
    if fmt == "json":
        data = story.to_dict()
        data["first_divergence"] = _in_zone(story.first, zone_name)
        for item, field in zip(data["fields"], story.fields, strict=True):
            for shown, interval in zip(item["intervals"], field.intervals, strict=True):
                shown["start"], shown["end"] = _in_zone(interval.start, zone_name), _in_zone(interval.end, zone_name)
        data["scenario"] = world.scenario.title
        data["dropped"] = [{"event": d.event.id, "reason": d.reason, "chain": list(d.chain)} for d in world.dropped]
        data["generated"] = [e.id for e in world.generated()]
        _dump(data)
        return
    if fmt in ("csv", "jsonl"):
        from orgsim.views.rows import DIVERGENCE_COLUMNS, divergence_rows

        _rows(fmt, DIVERGENCE_COLUMNS, divergence_rows(story, zone_name))
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

    world = _world(file, events_path)
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


def _state_samples(timeline: Timeline, instant: Any, samples: int, seed: int) -> Any:
    from orgsim.sweeps.samples import sample_state

    with _progress_bar("sampling") as progress:
        return sample_state(timeline, instant, samples=samples, seed=seed, progress=progress)


def _progress_bar(what: str) -> Any:
    from orgsim.views.sweep import progress_bar

    return progress_bar(f"orgsim: {what}")


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

    tz = _check_zone(tz)
    if samples is not None and exhaustive:
        fail("give --samples N or --enumerate, not both")
    executor = None
    if scheduler is not None:
        problem = scheduler_problem(scheduler)
        if problem is not None:
            fail(f"--scheduler: {problem}")
        dask_available()
        executor = DaskExecutor(scheduler, workers=workers)
    path = _scenario_file(file)
    scenario = load_scenario(path)
    base = _load(events_path if events_path is not None else scenario.base_path(path.parent))
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
    with _progress_bar("sweep") as progress:
        results = run_space(
            space, compiled.title, history, executor=executor, workers=workers, tz=tz, progress=progress
        )
    if results.failed:
        _say(f"orgsim: warning: {results.failed:,} of {results.planned:,} worlds failed (see the failures)")
    if fmt == "json":
        _dump(results.to_dict())
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


def _load_scenario_file(path: Path) -> Any:
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
    common: dict[str, Any] = {"seed": seed, "at": at, "tz": tz, "origin": str(path)}
    space, compiled, history = compile_sweep(scenario, timeline, samples=samples, **common)
    finite = all(factor.finite for factor in space.factors)
    if samples is None and finite and space.size_enumerated <= MAX_REPORT_ENUMERATED:
        space, compiled, history = compile_sweep(scenario, timeline, enumerate=True, **common)
    with _progress_bar("sweep") as progress:
        results = run_space(space, compiled.title, history, tz=tz, progress=progress)
    if results.failed:
        _say(f"orgsim: warning: {results.failed:,} of {results.planned:,} worlds of the sweep failed")
    return results


# ------------------------------------------------------------------------------------------- end of sweeps block


SCENARIO_OPTION = click.option(
    "--scenario",
    "scenario_name",
    default=None,
    help="A what-if scenario (file or bundled name) to show beneath history.",
)


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

    tz = _check_zone(tz)
    world = _world(scenario_name, events_path) if scenario_name else _load(events_path)
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

    _check_zone(tz)
    if sweep_name is None and (samples is not None or seed is not None):
        fail("--samples and --seed go with --sweep FILE")
    world = _world(scenario_name, events_path) if scenario_name else None
    timeline = world.base if world is not None else None
    swept = None
    if sweep_name is not None:
        path = _scenario_file(sweep_name)
        uncertain = _load_scenario_file(path)
        if timeline is None:
            timeline = _load(events_path if events_path is not None else uncertain.base_path(path.parent))
        swept = (path, uncertain)
    if timeline is None:
        timeline = _load(events_path)
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


if __name__ == "__main__":  # pragma: no cover
    main()
