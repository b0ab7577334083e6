"""The static Gantt picture: PNG and SVG by suffix, written atomically, other suffixes refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import orgsim
from orgsim.errors import OutputError
from orgsim.views.gantt import MAX_ROWS, build_gantt
from orgsim.views.plot import gantt_figure, plot_gantt
from orgsim.whatif.scenarios import Remove, Scenario


def test_png_is_written(tmp_path: Path, acme: orgsim.Timeline) -> None:
    out = tmp_path / "gantt.png"
    plot_gantt(acme, out)
    assert out.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert [p.name for p in tmp_path.iterdir()] == ["gantt.png"]


def test_svg_is_written_with_every_office_holder_named(tmp_path: Path, acme: orgsim.Timeline) -> None:
    out = tmp_path / "gantt.SVG"
    plot_gantt(acme, out, tz="Asia/Shanghai")
    text = out.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<?xml") and "<svg" in text
    assert "Times in Asia/Shanghai" in text
    rows = [row.label for row in build_gantt(acme).rows]
    assert rows[0] == "CEO"
    for label in rows:
        assert label in text


def test_what_if_and_window_are_drawn(tmp_path: Path, acme: orgsim.Timeline) -> None:
    world = Scenario(title="Ada stays", interventions=[Remove(remove="2021-03-01-board-removes-ada")]).run(acme)
    out = tmp_path / "what-if.svg"
    plot_gantt(acme, out, world=world, start="2021-02-27", end="2021-03-06")
    text = out.read_text(encoding="utf-8")
    assert "What if: Ada stays" in text and "did not happen" in text
    assert "Charles Babbage (interim)" in text  # wide enough to be labelled in this window


@pytest.mark.parametrize("name", ["gantt.pdf", "gantt.jpeg", "gantt"])
def test_unknown_suffix_is_refused_before_anything_is_written(tmp_path: Path, acme: orgsim.Timeline, name: str) -> None:
    with pytest.raises(OutputError, match=r"\.png, \.svg"):
        plot_gantt(acme, tmp_path / name)
    assert list(tmp_path.iterdir()) == []


def test_unwritable_target_leaves_nothing(tmp_path: Path, acme: orgsim.Timeline) -> None:
    with pytest.raises(OutputError):
        plot_gantt(acme, tmp_path / "nowhere" / "gantt.png")
    assert list(tmp_path.iterdir()) == []


def test_window_must_run_forwards(tmp_path: Path, acme: orgsim.Timeline) -> None:
    with pytest.raises(OutputError, match="before it starts"):
        plot_gantt(acme, tmp_path / "gantt.png", start="2021-03-05", end="2021-03-01")


@pytest.fixture(scope="module")
def crowded(tmp_path_factory: pytest.TempPathFactory) -> orgsim.Timeline:
    """A synthetic timeline with far more board rows and events than a chart can draw."""
    from orgsim.testing.synth import write_synthetic

    folder = write_synthetic(tmp_path_factory.mktemp("crowded") / "synthetic", 4000, 7, people=160)
    return orgsim.load_timeline(folder)


def drawn(figure: Any) -> None:
    """Lay the figure out and draw it, as saving it does."""
    figure.canvas.draw()


def overlaps(a: Any, b: Any) -> bool:
    return bool(a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1)


def test_what_if_legends_lie_outside_every_data_area(bundled: orgsim.Timeline) -> None:
    from orgsim.io.loading import bundled_scenarios_path
    from orgsim.whatif.scenarios import load_scenario

    world = load_scenario(bundled_scenarios_path() / "no-firing.yaml").run(bundled)
    figure = gantt_figure(bundled, world=world)
    drawn(figure)
    renderer = figure.canvas.get_renderer()
    legends = [*figure.legends, *(ax.get_legend() for ax in figure.axes if ax.get_legend() is not None)]
    assert len(legends) == 2  # the key to bars and markers, and the staff lines'
    for legend in legends:
        box = legend.get_window_extent(renderer)
        for ax in figure.axes:
            assert not overlaps(box, ax.get_window_extent(renderer)), (legend, ax)


def test_plot_spans_the_declared_focus_by_default(bundled: orgsim.Timeline) -> None:
    from matplotlib import dates as mdates

    figure = gantt_figure(bundled)
    left, right = figure.axes[-1].get_xlim()
    start, end = bundled.manifest.focus_window() or (None, None)
    assert (start, end) == (bundled.resolve("2023-11-16", bound="start"), bundled.resolve("2023-11-23"))
    assert (left, right) == (mdates.date2num(start), mdates.date2num(end))
    whole = gantt_figure(bundled, span="all").axes[-1].get_xlim()
    assert whole[0] < mdates.date2num(bundled.resolve("2016"))
    assert whole[1] > mdates.date2num(bundled.resolve("2024-01"))


def test_plot_spans_the_busiest_days_when_no_focus_is_declared(acme: orgsim.Timeline) -> None:
    from matplotlib import dates as mdates

    assert acme.manifest.focus is None
    left, right = gantt_figure(acme).axes[-1].get_xlim()
    assert left == mdates.date2num(acme.resolve("2021-03-01", bound="start"))
    assert right == mdates.date2num(acme.resolve("2021-03-06"))


def test_from_includes_its_day_and_to_its_whole_day(acme: orgsim.Timeline) -> None:
    from matplotlib import dates as mdates

    left, right = gantt_figure(acme, start="2021-03-01", end="2021-03-01").axes[-1].get_xlim()
    assert left == mdates.date2num(acme.resolve("2021-03-01T00:00"))
    assert right == mdates.date2num(acme.resolve("2021-03-01T23:59:59.999999"))


def test_a_crowded_chart_draws_at_most_max_rows_and_says_what_it_left_out(crowded: orgsim.Timeline) -> None:
    figure = gantt_figure(crowded, span="all")
    drawn(figure)
    chart = figure.axes[0]
    rows = [label.get_text() for label in chart.get_yticklabels()][1:]  # after the event lane
    with_bars = [row for row in build_gantt(crowded).rows if row.tenures]
    assert len(with_bars) > MAX_ROWS and len(rows) == MAX_ROWS
    notes = " ".join(text.get_text() for text in chart.texts if text.get_text().startswith("Not drawn"))
    assert f"{len(with_bars) - MAX_ROWS:,} more row(s)" in notes
    assert f"{len(crowded):,} events drawn as" in notes
    markers = sum(len(line.get_xdata()) for line in chart.lines)
    assert markers < len(crowded)
    assert figure.get_size_inches()[1] < 0.32 * (MAX_ROWS + 6) + 2


def test_plot_writes_a_picture_of_bounded_size_for_a_crowded_timeline(tmp_path: Path, crowded: orgsim.Timeline) -> None:
    from matplotlib.image import imread

    out = tmp_path / "crowded.png"
    plot_gantt(crowded, out, span="all")
    height, width = imread(str(out)).shape[:2]
    assert width < 3000 and height < 3000
