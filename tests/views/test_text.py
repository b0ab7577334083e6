"""Text views: escaping, wrapping to the page width, values shown as the state table shows them."""

from __future__ import annotations

import orgsim
from orgsim.query.diff import diff_states
from orgsim.views.text import Page, cells, render_changes, render_side_by_side, render_state, wrap


def test_cells_counts_wide_characters_twice() -> None:
    assert cells("Altman") == 6 and cells("中文") == 4 and cells("e\u0301") == 1


def test_wrap_breaks_at_spaces_and_beside_wide_characters() -> None:
    assert wrap("Sam Altman is fired as CEO", 12, hang=2) == ["Sam Altman", "  is fired", "  as CEO"]
    lines = wrap("«16日在APEC首席执行官峰会上,Altman确认了技术突破»", 20, hang=2)
    assert len(lines) > 1 and all(cells(line) <= 20 for line in lines)
    assert "".join(line.strip() for line in lines) == "«16日在APEC首席执行官峰会上,Altman确认了技术突破»"
    assert all(cells(line) <= 10 for line in wrap("x" * 35, 10))  # a word longer than a line is cut


def test_a_page_escapes_and_wraps_every_line() -> None:
    page = Page(40)
    page.add("\x1b[2J" + "word " * 20, hang=4)
    assert page.lines[0].startswith("\\x1b[2Jword") and all(cells(line) <= 40 for line in page.lines)
    assert all(line.startswith("    ") for line in page.lines[1:])
    page.clipped("y" * 80)
    assert page.lines[-1] == "y" * 39 + "…"


def test_changes_show_names_vacancies_qualifiers_and_money(acme: orgsim.Timeline) -> None:
    before, after = acme.state_at("2021-02-28"), acme.state_at("2021-03-03")
    lines = render_changes(diff_states(before, after), before, after)
    assert "  offices.ceo: Ada Lovelace -> Charles Babbage (interim)" in lines
    assert "  employees.open_letter_signatories: unknown -> about 80" in lines
    assert not any("open_letter_qualifier" in line for line in lines)  # told with its count
    assert "  stakeholders.globex.employs: +Ada Lovelace" in lines
    assert "  people.ada-lovelace.affiliation: Acme Rockets -> Globex" in lines
    assert "  people.ada-lovelace.at_org: yes -> no" in lines


def test_the_side_by_side_rows_are_matched_by_label(acme: orgsim.Timeline) -> None:
    history, later = acme.state_at("2021-02-28"), acme.state_at("2021-03-03")
    text = render_side_by_side(history, later, diff_states(history, later), "Europe/London", "Later", width=120)
    ceo = next(line for line in text.splitlines() if line.startswith("CEO"))
    assert "Ada Lovelace" in ceo and "| Charles Babbage (interim)" in ceo
    assert all(cells(line) <= 120 for line in text.splitlines())


def test_render_state_fits_a_narrow_page(acme: orgsim.Timeline) -> None:
    text = render_state(acme.state_at("2021-03-02"), "Europe/London", "Asia/Tokyo", width=40)
    assert all(cells(line) <= 40 for line in text.splitlines()) and "Asia/Tokyo" in text
