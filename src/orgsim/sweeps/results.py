"""A sweep's results, aggregated as the worlds' outcomes arrive: distributions, intervals, departure, influence.

Memory follows the number of distinct outcomes, not of worlds: each
outcome is added to counters and dropped. Sampled proportions get a 95%
Wilson score interval; enumerated ones are exact (their interval is the
value itself). The influence of an input is how far apart the outcome's
distributions are, given each of its values: the largest total-variation
distance between two of them (0: the outcome does not depend on it; 1: it
decides it), for each measured path, and overall the largest of those.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from math import sqrt
from statistics import NormalDist
from typing import Any

from orgsim.model.knowledge import UNKNOWN
from orgsim.sweeps.measures import json_value, plain
from orgsim.sweeps.space import Mode, Outcome
from orgsim.sweeps.times import instant
from orgsim.times import isoformat

Z95 = NormalDist().inv_cdf(0.975)
"""The normal quantile of a two-sided 95% interval."""

MAX_FAILURES_KEPT = 100
"""Failed worlds kept with their errors (all are counted)."""


def wilson(successes: float, total: float, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a proportion: ``successes`` of ``total`` (95% by default).

    >>> low, high = wilson(75, 100)
    >>> round(low, 3), round(high, 3)
    (0.657, 0.825)
    """
    if total <= 0:
        return 0.0, 1.0
    p = successes / total
    centre = p + z * z / (2 * total)
    spread = z * sqrt(p * (1 - p) / total + z * z / (4 * total * total))
    scale = 1 + z * z / total
    return max(0.0, (centre - spread) / scale), min(1.0, (centre + spread) / scale)


@dataclass(frozen=True, slots=True)
class InputInfo:
    """An uncertain input as results name it: its id, kind and the labels of its values."""

    id: str
    kind: str
    labels: tuple[str, ...]
    ranked: bool
    """Whether its values can be told apart (a many-event time input is not ranked)."""


@dataclass(frozen=True, slots=True)
class Share:
    """One value of a measured path at an instant, with its probability and 95% interval."""

    value: Any
    """The value (:data:`~orgsim.model.knowledge.UNKNOWN` where the world does not know it)."""
    probability: float
    low: float
    high: float
    weight: float
    """Its worlds' total weight: how many worlds, sampled; the summed probabilities of its worlds, enumerated."""


@dataclass(frozen=True, slots=True)
class Influence:
    """How much an input moves one measured outcome, and the outcome's distribution given each of its values."""

    input: str
    at: datetime
    path: str
    spread: float
    given: tuple[tuple[str, float, tuple[Share, ...]], ...]
    """Per value of the input: its label, its probability, and the outcome's distribution given it."""


@dataclass(frozen=True, slots=True)
class Failure:
    """A world that could not be built or replayed: its id and its error, in one line."""

    world: int
    error: str


@dataclass
class SweepResults:
    """Everything a sweep found (see the module's documentation); build with :meth:`add`, read with the rest."""

    title: str
    mode: Mode
    seed: int | None
    keys: Sequence[tuple[datetime, str]]
    """(instant, path) of each measured value, in order."""
    inputs: Sequence[InputInfo]
    history: tuple[Any, ...]
    """The measured values in history itself."""
    zone: str
    planned: int = 0
    """How many worlds the sweep ran (or tried to)."""
    worlds: int = 0
    total: float = 0.0
    diverged: float = 0.0
    departures: defaultdict[float, float] = field(default_factory=lambda: defaultdict(float))
    failures: list[Failure] = field(default_factory=list)
    failed: int = 0
    _counts: list[defaultdict[Any, float]] = field(default_factory=list)
    _given: dict[tuple[int, int], list[defaultdict[Any, float]]] = field(default_factory=dict)
    _given_total: defaultdict[tuple[int, int], float] = field(default_factory=lambda: defaultdict(float))

    def __post_init__(self) -> None:
        if not self._counts:
            self._counts = [defaultdict(float) for _ in self.keys]

    # ----------------------------------------------------------------------------------------- aggregation

    def add(self, outcome: Outcome) -> None:
        """Count one world's outcome in (and forget it)."""
        weight = outcome.weight
        self.worlds += 1
        self.total += weight
        for counter, value in zip(self._counts, outcome.values, strict=True):
            counter[value] += weight
        if outcome.departure is not None:
            self.diverged += weight
            self.departures[round(outcome.departure)] += weight
        for index, label in enumerate(outcome.labels):
            if label is None:
                continue
            key = (index, label)
            self._given_total[key] += weight
            counters = self._given.get(key)
            if counters is None:
                counters = self._given[key] = [defaultdict(float) for _ in self.keys]
            for counter, value in zip(counters, outcome.values, strict=True):
                counter[value] += weight

    def fail(self, world: int, error: str) -> None:
        """Record a world that failed, by id, with its error."""
        self.failed += 1
        if len(self.failures) < MAX_FAILURES_KEPT:
            self.failures.append(Failure(world, error))

    # ----------------------------------------------------------------------------------------- reading

    @property
    def exact(self) -> bool:
        """Whether probabilities are exact (enumerated) rather than sampled."""
        return self.mode == "enumerate"

    def _share(self, weight: float, total: float) -> Share:
        p = weight / total if total else 0.0
        if self.exact:
            return Share(None, p, p, p, weight)
        low, high = wilson(weight, total)
        return Share(None, p, low, high, weight)

    def _shares(self, counter: Mapping[Any, float], total: float) -> tuple[Share, ...]:
        ordered = sorted(counter.items(), key=lambda item: (-item[1], *_tie(item[0])))
        return tuple(Share(plain(value), *_rest(self._share(weight, total))) for value, weight in ordered)

    def distribution(self, at: datetime | None = None, path: str | None = None) -> tuple[Share, ...]:
        """The values of ``path`` at ``at`` (default: the first measured) with their probabilities, likeliest first."""
        index = self._index(at, path)
        return self._shares(self._counts[index], self.total)

    def _index(self, at: datetime | None, path: str | None) -> int:
        for index, (moment, measured) in enumerate(self.keys):
            if (at is None or moment == at) and (path is None or measured == path):
                return index
        raise KeyError(f"not measured: {path} at {at}")

    def share(self, path: str, value: Any, at: datetime | None = None) -> Share:
        """The probability (and 95% interval) that ``path`` has ``value`` at ``at`` (default: the first measured),
        also for a value no world came to (probability 0, and how high it could still be when sampled)."""
        for share in self.distribution(at, path):
            if share.value == value:
                return share
        return Share(value, *_rest(self._share(0.0, self.total)))

    def probability(self, path: str, value: Any, at: datetime | None = None) -> float:
        """The probability that ``path`` has ``value`` at ``at`` (default: the first instant measured)."""
        for share in self.distribution(at, path):
            if share.value == value:
                return share.probability
        return 0.0

    def divergence(self) -> Share:
        """The probability that a world differs from history in a measured path by the last instant measured."""
        return Share(True, *_rest(self._share(self.diverged, self.total)))

    def departure_times(self) -> list[tuple[datetime, float]]:
        """When worlds first differ from history: each instant with the probability of departing then."""
        total = self.total
        return [(instant(epoch), weight / total) for epoch, weight in sorted(self.departures.items()) if total]

    def influence(self) -> list[Influence]:
        """For each ranked input and measured value: the outcome given each of its values, and how far apart."""
        found: list[Influence] = []
        for index, info in enumerate(self.inputs):
            if not info.ranked:
                continue
            labels = [label for label in range(len(info.labels)) if self._given_total.get((index, label))]
            for key_index, (moment, path) in enumerate(self.keys):
                given = []
                dists = []
                for label in labels:
                    weight = self._given_total[(index, label)]
                    counter = self._given[(index, label)][key_index]
                    given.append((info.labels[label], weight / self.total, self._shares(counter, weight)))
                    dists.append({value: w / weight for value, w in counter.items()})
                spread = max((_distance(a, b) for i, a in enumerate(dists) for b in dists[i + 1 :]), default=0.0)
                found.append(Influence(info.id, moment, path, spread, tuple(given)))
        return found

    def ranking(self) -> list[tuple[str, float, str]]:
        """The ranked inputs, most telling first: (input id, largest spread, the measured path it moves most)."""
        best: dict[str, tuple[float, str]] = {}
        for item in self.influence():
            if item.input not in best or item.spread > best[item.input][0]:
                best[item.input] = (item.spread, item.path)
        order = {info.id: index for index, info in enumerate(self.inputs)}
        return sorted(
            ((name, spread, path) for name, (spread, path) in best.items()),
            key=lambda item: (-round(item[1], 12), order[item[0]]),
        )

    # ----------------------------------------------------------------------------------------- output

    def to_dict(self) -> dict[str, Any]:
        """The results as JSON-ready data (instants in the results' zone)."""
        zone = self.zone
        return {
            "title": self.title,
            "mode": self.mode,
            "seed": self.seed,
            "worlds": self.worlds,
            "failed": self.failed,
            "failures": [{"world": f.world, "error": f.error} for f in self.failures],
            "inputs": [{"id": i.id, "kind": i.kind, "values": list(i.labels)} for i in self.inputs],
            "measures": [
                {
                    "at": isoformat(moment, zone),
                    "path": path,
                    "history": json_value(history),
                    "history_unknown": history is UNKNOWN,
                    "distribution": [_share_dict(share) for share in self.distribution(moment, path)],
                }
                for (moment, path), history in zip(self.keys, self.history, strict=True)
            ],
            "divergence": {
                **_share_dict(self.divergence(), with_value=False),
                "first": [{"at": isoformat(moment, zone), "probability": p} for moment, p in self.departure_times()],
            },
            "influence": {
                "ranking": [{"input": name, "spread": spread, "path": path} for name, spread, path in self.ranking()],
                "given": [
                    {
                        "input": item.input,
                        "at": isoformat(item.at, zone),
                        "path": item.path,
                        "spread": item.spread,
                        "given": [
                            {"value": label, "probability": p, "distribution": [_share_dict(s) for s in shares]}
                            for label, p, shares in item.given
                        ],
                    }
                    for item in self.influence()
                ],
            },
        }

    def table(self) -> list[dict[str, Any]]:
        """The results as a table: :meth:`rows` as a list."""
        return list(self.rows())

    def rows(self) -> Iterator[dict[str, Any]]:
        """One row per measured value: instant, path, value (JSON text), probability, interval, weight, history."""
        zone = self.zone
        for (moment, path), history in zip(self.keys, self.history, strict=True):
            shown = _cell(history)
            for share in self.distribution(moment, path):
                yield {
                    "at": isoformat(moment, zone),
                    "path": path,
                    "value": _cell(share.value),
                    "probability": share.probability,
                    "low": share.low,
                    "high": share.high,
                    "weight": share.weight,
                    "history": shown,
                }

    def to_csv(self) -> str:
        """:meth:`rows` as CSV text, with a header."""
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(_COLUMNS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(self.rows())
        return out.getvalue()

    def to_json(self) -> str:
        """:meth:`to_dict` as JSON text."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def to_dataframe(self) -> Any:
        """:meth:`rows` as a pandas DataFrame (needs pandas: ``pip install pandas``)."""
        try:
            import pandas as pd
        except ImportError:
            raise ImportError("SweepResults.to_dataframe needs pandas (pip install pandas)") from None
        return pd.DataFrame(list(self.rows()), columns=list(_COLUMNS))


_COLUMNS = ("at", "path", "value", "probability", "low", "high", "weight", "history")


def _cell(value: Any) -> str:
    """A value in a table cell: its JSON text, or ``unknown`` (bare, as the CSV outputs write it) where the world
    does not know it."""
    return "unknown" if value is UNKNOWN else json.dumps(plain(value), ensure_ascii=False)


def _rest(share: Share) -> tuple[float, float, float, float]:
    return share.probability, share.low, share.high, share.weight


def _share_dict(share: Share, *, with_value: bool = True) -> dict[str, Any]:
    found: dict[str, Any] = {"value": json_value(share.value), "unknown": share.value is UNKNOWN} if with_value else {}
    found.update(probability=share.probability, low=share.low, high=share.high)
    return found


def _tie(value: Any) -> tuple[int, float, str]:
    """How values of equal weight are ordered: numbers by size, before the rest by their JSON text."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return 0, float(value), ""
    if value is UNKNOWN:
        return 2, 0.0, ""
    return 1, 0.0, json.dumps(plain(value), sort_keys=True)


def _distance(a: dict[Any, float], b: dict[Any, float]) -> float:
    """Total-variation distance between two distributions."""
    return 0.5 * sum(abs(a.get(key, 0.0) - b.get(key, 0.0)) for key in a.keys() | b.keys())


def merged(outcomes: Iterable[Outcome], results: SweepResults) -> SweepResults:
    """``results`` with ``outcomes`` added, in order."""
    for outcome in outcomes:
        results.add(outcome)
    return results
