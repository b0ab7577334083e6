"""A sweep's results as text: each measured outcome's distribution, the departure from history, what it hinged on.

The same results convert to JSON, CSV and a DataFrame themselves
(:class:`~orgsim.sweeps.results.SweepResults`); this is the table
``orgsim sweep`` prints.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from orgsim.model.knowledge import UNKNOWN
from orgsim.sweeps.measures import plain
from orgsim.sweeps.results import Share, SweepResults
from orgsim.sweeps.samples import StateSamples
from orgsim.times import display
from orgsim.views.text import Page

SHOWN_VALUES = 8
"""Values of one outcome listed before the rest are summed up."""
GIVEN_SHOWN = 4
"""Values of an input whose outcome is shown in the ranking (JSON has them all)."""


def percent(p: float) -> str:
    """A probability as a percentage, to two decimals (``73.83%``); a tiny nonzero one is ``<0.01%``."""
    if 0 < p < 0.00005:
        return "<0.01%"
    return f"{p * 100:.2f}%"


def value_text(value: Any) -> str:
    """A measured value as it reads in the table: ids joined, none as ``(none)``, unknown as ``(unknown)``."""
    if value is UNKNOWN:
        return "(unknown)"
    if value is None:
        return "(none)"
    if isinstance(value, list):
        return ", ".join(value_text(item) for item in value) if value else "(nobody)"
    if isinstance(value, dict):
        return ", ".join(f"{key}: {value_text(item)}" for key, item in value.items())
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _share(share: Share, exact: bool) -> str:
    if exact:
        return percent(share.probability)
    return f"{percent(share.probability)}  (95%: {percent(share.low)}-{percent(share.high)})"


def render_sweep(results: SweepResults, width: int | None = None) -> str:
    """The text report of a sweep."""
    page = Page(width)
    zone = results.zone
    exact = results.exact
    column = 8 if exact else 34
    how = "enumerated: exact probabilities" if exact else f"sampled (seed {results.seed}): 95% Wilson intervals"
    page.add(f"Sweep: {results.title}")
    failed = f"; {results.failed:,} failed" if results.failed else ""
    page.add(f"{results.worlds:,} worlds, {how}{failed}")
    if results.inputs:
        page.add("Uncertain: " + "; ".join(f"{i.id} ({i.kind})" for i in results.inputs))
    current = None
    for (moment, path), history in zip(results.keys, results.history, strict=True):
        if moment != current:
            page.add("")
            page.add(f"At {display(moment, zone)}")
            current = moment
        page.add(f"  {path}   (history: {value_text(plain(history))})")
        shares = results.distribution(moment, path)
        for share in shares[:SHOWN_VALUES]:
            page.add(f"    {_share(share, exact):<{column}} {value_text(share.value)}", hang=column + 5)
        if len(shares) > SHOWN_VALUES:
            rest = sum(share.probability for share in shares[SHOWN_VALUES:])
            page.add(f"    {percent(rest):<{column}} {len(shares) - SHOWN_VALUES:,} other values")
    last = results.keys[-1][0] if results.keys else None
    page.add("")
    if last is not None:
        page.add(
            f"Differs from history in a measured path by {display(last, zone)}: {_share(results.divergence(), exact)}"
        )
    for moment, p in results.departure_times()[:SHOWN_VALUES]:
        page.add(f"  first at {display(moment, zone)}: {percent(p)}")
    ranking = results.ranking()
    if ranking:
        page.add("")
        page.add("What it hinged on (how far apart the outcome's distributions are given each value of the input,")
        page.add("0: not at all, 1: it decides it):")
        telling = {(item.input, item.path, item.at): item for item in results.influence()}
        for name, spread, path in ranking:
            best = next(item for key, item in telling.items() if key[0] == name and key[1] == path)
            shown = [
                f"{label}: {value_text(shares[0].value)} {percent(shares[0].probability)}"
                for label, _, shares in best.given
                if shares
            ]
            given = "; ".join(shown[:GIVEN_SHOWN]) + ("; …" if len(shown) > GIVEN_SHOWN else "")
            page.add(f"  {name:<20} {spread:.2f}  {path}: {given}", hang=30)
    if results.failures:
        page.add("")
        page.add(f"Failed worlds ({results.failed:,}; the first {len(results.failures)} shown):")
        for failure in results.failures:
            page.add(f"  world {failure.world}: {failure.error}", hang=4)
    return page.text()


def render_state_samples(found: StateSamples, width: int | None = None) -> str:
    """What ``orgsim state --samples`` adds under the state: each field that differs between samples."""
    page = Page(width)
    page.add(
        f"Sampled {found.worlds:,} times (seed {found.seed}), every event the sources date only to the hour, day, "
        "month or year at any instant of that period, in the timeline's order:"
    )
    if found.failures:
        page.add(
            f"  {len(found.failures):,} samples failed; the first: world {found.failures[0].world}: "
            f"{found.failures[0].error}"
        )
    if not found.uncertain:
        page.add("  every field above has the value shown in every sample.")
        return page.text()
    page.add("  fields whose samples do not all agree with the table above (the others do), with 95% intervals:")
    for path, shares in found.uncertain.items():
        page.add(f"  {path}")
        for share in shares[:SHOWN_VALUES]:
            page.add(f"    {_share(share, False):<34} {value_text(share.value)}", hang=39)
    return page.text()


PROGRESS_DELAY = 1.0
"""Seconds of work before a progress bar is shown (a sweep shorter than that shows none)."""


@contextmanager
def progress_bar(
    what: str, stream: TextIO | None = None, *, delay: float = PROGRESS_DELAY
) -> Iterator[Callable[[int, int], None] | None]:
    """A progress callback ``(done, total)`` that draws a bar on ``stream`` (default: standard error) once the work
    has taken ``delay`` seconds; None, and nothing drawn, when the stream is not a terminal.

    The bar is rich's, transient: it is gone when the work ends, so what the command prints stays as it was.
    """
    out = sys.stderr if stream is None else stream
    if not out.isatty():
        yield None
        return
    started = time.monotonic()
    shown: dict[str, Any] = {}

    def tell(done: int, total: int) -> None:
        if "bar" not in shown:
            if time.monotonic() - started < delay or done >= total:
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            bar = Progress(
                TextColumn(what),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=Console(file=out, force_terminal=True),
                transient=True,
            )
            bar.start()
            shown["bar"], shown["task"] = bar, bar.add_task(what, total=total)
        shown["bar"].update(shown["task"], completed=done)

    try:
        yield tell
    finally:
        if "bar" in shown:
            shown["bar"].stop()
