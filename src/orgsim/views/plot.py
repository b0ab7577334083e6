"""The Gantt chart as a static picture (PNG or SVG), drawn with matplotlib.

The same view model as the HTML report (:mod:`orgsim.views.gantt`): one row per
office and per board seat, interim tenures hatched, the chair in gold,
a lane of event markers, the staff figures below; with a what-if world, its
chart under the history with the spans where they differ shaded, dropped
events crossed out and generated ones as diamonds.

matplotlib is an optional dependency (``pip install 'orgsim[plot]'``),
imported only when a plot is drawn; nothing here touches pyplot's global
state, the figure is rendered with the Agg canvas.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from orgsim.errors import OutputError
from orgsim.io.output import write_atomic
from orgsim.timeline import Timeline
from orgsim.times import InstantLike, zone
from orgsim.views.gantt import CATEGORY_STYLE, Gantt, Row, build_gantt, category, divergent_spans, person_colours

if TYPE_CHECKING:
    from orgsim.whatif.scenarios import WhatIf

FORMATS = {".png": "png", ".svg": "svg"}
"""File suffixes plot_gantt writes, and the matplotlib format of each."""

_CHAIR = "#c9971c"
_DIFFER = "#fff1c2"
_HEADCOUNT, _SIGNATURES = "#1f5fbf", "#d9622b"
_PLOT_POINTS = 15 * 72 * 0.86  # the width of the plotting area in points, for fitting bar labels


def plot_gantt(
    timeline: Timeline,
    out: str | Path,
    *,
    world: WhatIf | None = None,
    tz: str | None = None,
    start: InstantLike | None = None,
    end: InstantLike | None = None,
    title: str | None = None,
) -> None:
    """Draw who held which office and board seat when, and write it to ``out`` (``.png`` or ``.svg``).

    ``tz`` is the zone of the time axis (default: the home zone); ``start``
    and ``end`` narrow the chart (naive input read in ``tz``, bare dates
    meaning the end of that day, as everywhere in orgsim). The file is
    written atomically. Raises :class:`~orgsim.errors.OutputError` for
    another suffix, a missing matplotlib or a file that cannot be written.
    """
    target = Path(out)
    fmt = FORMATS.get(target.suffix.lower())
    if fmt is None:
        known = ", ".join(FORMATS)
        raise OutputError(
            f"cannot plot to a {target.suffix or 'suffix-less'!s} file: use one of {known}", file=str(target)
        )
    shown = tz or timeline.home_zone
    zone(shown)
    low = timeline.resolve(start, shown) if start is not None else None
    high = timeline.resolve(end, shown) if end is not None else None
    if low is not None and high is not None and high <= low:
        raise OutputError(
            f"the chart would end ({high.isoformat()}) before it starts ({low.isoformat()})", file=str(target)
        )
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
    except ImportError as exc:
        raise OutputError("plotting needs matplotlib: pip install 'orgsim[plot]'", file=str(target)) from exc

    worlds: list[tuple[str, Timeline, Gantt]] = [("History", timeline, build_gantt(timeline))]
    if world is not None:
        worlds.append((f"What if: {world.scenario.title}", world, build_gantt(world)))
    figure = _draw(worlds, shown, low, high, title or timeline.manifest.title or timeline.name, world, timeline)
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    from matplotlib import rc_context

    # SVG text stays text (searchable, selectable, small) rather than outlines
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": "orgsim"}):
        figure.savefig(buffer, format=fmt, dpi=150, bbox_inches="tight", metadata=_metadata(fmt))
    data = buffer.getvalue()
    write_atomic(target, lambda stream: _write(stream, data))


def _write(stream: Any, data: bytes) -> None:
    stream.write(data)


def _metadata(fmt: str) -> dict[str, Any]:
    # no creation date, so the same timeline gives the same file
    return {"Date": None} if fmt == "svg" else {"Software": "orgsim"}


def _draw(
    worlds: Sequence[tuple[str, Timeline, Gantt]],
    tz: str,
    low: datetime | None,
    high: datetime | None,
    title: str,
    world: WhatIf | None,
    base: Timeline,
) -> Any:
    from matplotlib import dates as mdates
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    zone_info = zone(tz)
    moments = [e.at for _, t, _ in worlds for e in t.events]
    if world is not None:
        moments += [d.event.at for d in world.dropped]
    if not moments and (low is None or high is None):
        raise OutputError("nothing to plot: the timeline has no events")
    first = _num(low if low is not None else min(moments, key=lambda m: m.timestamp()))
    last = _num(high if high is not None else max(moments, key=lambda m: m.timestamp()))
    margin = (last - first) * 0.02 or 1.0
    left, right = (first if low is not None else first - margin), (last if high is not None else last + margin)
    colours = person_colours([g for _, _, g in worlds])
    spans = divergent_spans(base, world) if world is not None else ()

    heights = [len(_visible_rows(g, (left, right), mdates)) + 2.2 for _, _, g in worlds] + [3.0]
    figure = Figure(figsize=(15, 0.32 * sum(heights) + 1.2), layout="constrained")
    axes = figure.subplots(len(heights), 1, sharex=True, gridspec_kw={"height_ratios": heights})
    figure.suptitle(title, fontsize=14, fontweight="bold", x=0.01, ha="left")

    for (label, timeline, gantt), ax in zip(worlds, axes[:-1], strict=True):
        _draw_world(ax, label, timeline, gantt, colours, (left, right), mdates, len(worlds) > 1)
        for span in spans:
            ax.axvspan(_num(span.start), _num(span.end) if span.end else right, color=_DIFFER, zorder=0)

    staff = axes[-1]
    styles = ("-", "--")
    for index, (label, _, gantt) in enumerate(worlds):
        suffix = "" if len(worlds) == 1 else f" ({label})"
        for readings, colour, name in (
            (gantt.headcount, _HEADCOUNT, "Headcount"),
            (gantt.signatures, _SIGNATURES, "Open-letter signatures"),
        ):
            points = [(_num(r.at), r.value) for r in readings if r.value is not None]
            if points:
                xs = [x for x, _ in points] + [right]
                ys = [y for _, y in points] + [points[-1][1]]
                staff.step(
                    xs, ys, where="post", color=colour, linestyle=styles[index % 2], linewidth=1.8, label=name + suffix
                )
    staff.set_ylabel("Staff")
    peak = max((max(line.get_ydata()) for line in staff.lines), default=1)
    staff.set_ylim(0, peak * 1.9)  # head-room for the legend
    staff.grid(axis="x", color="#e6e8ee")
    if staff.lines:
        staff.legend(loc="upper left", fontsize=8, frameon=False)
    staff.set_xlim(left, right)
    locator = mdates.AutoDateLocator(tz=zone_info, minticks=5, maxticks=12)  # type: ignore[no-untyped-call]
    staff.xaxis.set_major_locator(locator)
    staff.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, tz=zone_info))  # type: ignore[no-untyped-call]
    staff.set_xlabel(f"Times in {tz}")

    handles: list[Artist] = [
        Patch(facecolor="#2f62b0", label="held"),
        Patch(facecolor="#2f62b0", alpha=0.6, hatch="////", edgecolor="white", label="interim"),
        Patch(facecolor="#2f62b0", alpha=0.3, linestyle="--", edgecolor="#2f62b0", label="board observer"),
        Patch(facecolor=_CHAIR, label="chair"),
    ]
    used = {category(e) for _, t, _ in worlds for e in t.events}
    handles += [
        Line2D([], [], marker="o", linestyle="", color=colour, label=text)
        for key, (colour, text) in CATEGORY_STYLE.items()
        if key in used
    ]
    if world is not None:
        handles += [
            Line2D([], [], marker="x", linestyle="", color="#b42318", label="did not happen"),
            Line2D([], [], marker="D", linestyle="", color="#6941c6", label="generated by a rule"),
            Patch(facecolor=_DIFFER, label="worlds differ"),
        ]
    figure.legend(handles=handles, loc="outside lower center", ncol=min(len(handles), 8), fontsize=8, frameon=False)
    return figure


def _draw_world(
    ax: Any,
    label: str,
    timeline: Timeline,
    gantt: Gantt,
    colours: dict[str, str],
    window: tuple[float, float],
    mdates: Any,
    titled: bool,
) -> None:
    left, right = window

    def label_at(x0: float, x1: float, y: float, text: str) -> None:
        # only where the words fit inside the visible part of the bar
        shown = min(x1, right) - max(x0, left)
        if shown > 0 and shown / (right - left) * _PLOT_POINTS > len(text) * 4.4 + 6:
            ax.text(
                max(x0, left),
                y,
                " " + text,
                va="center",
                ha="left",
                fontsize=7,
                color="white",
                fontweight="bold",
                clip_on=True,
            )

    rows = _visible_rows(gantt, window, mdates)
    count = len(rows)
    ax.set_ylim(count + 0.6, -1.8)
    ax.set_yticks([-1.0, *range(count)], ["Events", *[_row_label(r.kind, r.label) for r in rows]], fontsize=8)
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x", color="#e6e8ee")
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    if titled:
        ax.set_title(label, loc="left", fontsize=11, fontweight="bold")
    offices = sum(1 for r in rows if r.kind == "office")
    if 0 < offices < count:
        ax.axhline(offices - 0.5, color="#c9ced8", linewidth=0.8)
    for y, row in enumerate(rows):
        for tenure in row.tenures:
            x0 = _num(tenure.start)
            x1 = _num(tenure.end) if tenure.end else right
            colour = colours.get(tenure.person, "#56607a")
            observer = tenure.role == "observer"
            ax.barh(
                y,
                x1 - x0,
                left=x0,
                height=0.68,
                color=colour,
                alpha=0.3 if observer else 0.62 if tenure.interim else 0.92,
                hatch="////" if tenure.interim else None,
                edgecolor="white" if not observer else colour,
                linestyle="--" if observer else "-",
                linewidth=0.6,
            )
            if row.kind == "office":
                label_at(x0, x1, y, tenure.name + (" (interim)" if tenure.interim else ""))
        for span in row.chair:
            x0 = _num(span.start)
            x1 = _num(span.end) if span.end else right
            ax.barh(y - 0.36, x1 - x0, left=x0, height=0.14, color=_CHAIR)
            label_at(x0, x1, y, "chair")
    for event in timeline.events:
        colour = CATEGORY_STYLE[category(event)][0]
        marker = "D" if event.generated_by else "o"
        ax.plot(_num(event.at), -1.0, marker=marker, markersize=4, color=colour, linestyle="", alpha=0.85)
    for dropped in timeline.dropped:
        ax.plot(_num(dropped.event.at), -1.0, marker="x", markersize=5, color="#b42318", linestyle="")


def _num(instant: datetime) -> float:
    """An instant as matplotlib's date number (days since its epoch)."""
    from matplotlib import dates as mdates

    return float(mdates.date2num(instant))  # type: ignore[no-untyped-call]


def _visible_rows(gantt: Gantt, window: tuple[float, float], mdates: Any) -> list[Row]:
    """The rows with a bar in the chart's window (the others are left out)."""
    return [r for r in gantt.rows if any(_overlaps(t.start, t.end, window, mdates) for t in r.tenures)]


def _overlaps(start: datetime, end: datetime | None, window: tuple[float, float], mdates: Any) -> bool:
    """Whether a tenure shows in the chart's window (rows empty there are left out)."""
    return bool(_num(start) <= window[1] and (end is None or _num(end) >= window[0]))


def _row_label(kind: str, label: str) -> str:
    return label if kind == "office" else f"board: {label}"
