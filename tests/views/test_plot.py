"""The static Gantt picture: PNG and SVG by suffix, written atomically, other suffixes refused."""

from __future__ import annotations

from pathlib import Path

import pytest

import orgsim
from orgsim.errors import OutputError
from orgsim.views.gantt import build_gantt
from orgsim.views.plot import plot_gantt
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
