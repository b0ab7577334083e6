"""Notebook display: each object's HTML in the one wording of the command line, and short plain reprs."""

from __future__ import annotations

from html import escape
from pathlib import Path

import pytest

import orgsim
from orgsim.model.rendering import html_of, register_html
from orgsim.views.history import bound_text
from orgsim.views.wording import state_lines


def test_a_state_shows_every_line_of_the_state_table_in_its_wording(bundled: orgsim.Timeline) -> None:
    state = bundled.state_at("2023-11-20T10:00")
    html = state._repr_html_()
    assert html is not None
    for line in state_lines(state):
        assert f"<th>{escape(line.label)}</th>" in html
        for value in line.values:
            assert escape(value) in html
    assert "<th>CEO</th><td>Emmett Shear <em>(interim)</em></td>" in html


def test_an_unknown_value_shows_as_unknown_with_its_reason_never_vacant(bundled: orgsim.Timeline) -> None:
    html = bundled.state_at("2014-06-01")._repr_html_()
    assert html is not None
    ceo = html.split("<th>CEO</th>", 1)[1].split("</tr>", 1)[0]
    assert 'class="unknown"' in ceo and "unknown (" in ceo and "vacant" not in ceo


def test_a_state_with_sources_cites_the_event_and_quote_behind_each_answer(bundled: orgsim.Timeline) -> None:
    answer = bundled.state_with_sources("2023-11-20T10:00")
    html = answer._repr_html_()
    assert html is not None
    shear = answer.sources["ceo"]
    assert escape(shear.summary) in html and escape(" ".join(shear.sources[0].quote.split())) in html


def test_a_timeline_shows_a_summary_and_a_compact_gantt_of_its_focus(bundled: orgsim.Timeline) -> None:
    html = bundled._repr_html_()
    assert html is not None
    assert f"<td>events</td><td>{len(bundled):,}</td>" in html
    assert "Who held what, Thu 2023-11-16" in html
    ceo_row = html.split("<td>CEO</td>", 1)[1].split("</tr>", 1)[0]
    assert ceo_row.count("<span") == 4  # Altman, Murati, Shear, Altman across the week
    assert ceo_row.count('class="interim"') == 2


def test_tenures_show_each_end_and_duration_as_orgsim_tenures_words_them(bundled: orgsim.Timeline) -> None:
    tenures = bundled.tenures(office="ceo")
    html = tenures._repr_html_()
    assert html is not None
    for tenure in tenures:
        assert escape(tenure.duration_text()) in html
        assert escape(bound_text(tenure.end, bundled.home_zone, bundled.home_zone)) in html
    assert "4 tenures" in html
    assert tenures[1]._repr_html_() is not None  # one tenure shows as a table of one


def test_an_explanation_shows_its_value_setter_causes_and_but_for_causes(bundled: orgsim.Timeline) -> None:
    explanation = bundled.explain("ceo", "2023-11-20T10:00")
    html = explanation._repr_html_()
    assert html is not None
    assert "emmett-shear (interim)" in html
    assert "[2023-11-19-shear-named-interim-ceo]" in html
    assert "[2023-11-17-board-votes-to-remove-altman]" in html
    assert explanation.but_for is not None and f"{len(explanation.but_for)} of the" in html
    unknown = bundled.explain("ceo", "2014-06-01", but_for=False)._repr_html_()
    assert unknown is not None and "unknown:" in unknown


def test_a_divergence_shows_each_stretch_where_the_worlds_differ(bundled: orgsim.Timeline) -> None:
    world = orgsim.Scenario(
        title="no vote", interventions=[orgsim.Remove(remove="2023-11-17-board-votes-to-remove-altman")]
    ).run(bundled)
    html = orgsim.divergence(bundled, world)._repr_html_()
    assert html is not None and "<td>offices.ceo</td>" in html and "mira-murati (interim)" in html
    same = orgsim.divergence(bundled, bundled)._repr_html_()
    assert same is not None and "never differ" in same


def test_text_from_a_timeline_file_is_escaped(acme_copy: Path) -> None:
    manifest = acme_copy / "timeline.yaml"
    manifest.write_text(
        manifest.read_text().replace("{name: Ada Lovelace,", '{name: "<b>Ada</b> Lovelace",'), encoding="utf-8"
    )
    timeline = orgsim.load_timeline(acme_copy)
    for obj in (timeline, timeline.final_state(), timeline.tenures()):
        html = obj._repr_html_()
        assert html is not None and "<b>Ada</b>" not in html and "&lt;b&gt;Ada&lt;/b&gt;" in html


def test_plain_reprs_stay_short_and_on_one_line(bundled: orgsim.Timeline) -> None:
    objects = [
        bundled,
        bundled.state_at("2023-11-20T10:00"),
        bundled.state_with_sources("2023-11-20T10:00"),
        bundled.tenures(office="ceo")[0],
        bundled.explain("ceo", "2023-11-20T10:00", but_for=False),
        orgsim.divergence(bundled, bundled),
    ]
    for obj in objects:
        text = repr(obj)
        assert "\n" not in text and len(text) < 300, text
    assert repr(bundled.state_at("2014-06-01")).count("unknown") == 2  # ceo and board: unknown, not None or 0
    every = bundled.tenures()
    assert len(repr(every)) < 1500 and f"and {len(every) - 10:,} more" in repr(every)


def test_a_class_of_another_package_can_register_its_own_renderer() -> None:
    class Results:
        def _repr_html_(self) -> str | None:
            return html_of(self)

    assert Results()._repr_html_() is None  # nothing registered: Jupyter falls back to the repr
    register_html(Results, lambda results: "<p>results</p>")
    assert Results()._repr_html_() == "<p>results</p>"


@pytest.mark.parametrize("kind", ["office", "board"])
def test_tenures_built_by_hand_show_without_a_manifest(bundled: orgsim.Timeline, kind: str) -> None:
    from orgsim.query.history import Tenures

    picked = Tenures([t for t in bundled.tenures() if t.kind == kind][:3])
    html = picked._repr_html_()
    assert html is not None and "times in UTC" in html
