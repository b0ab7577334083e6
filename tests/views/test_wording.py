"""The one wording of a state: lines that stay bounded however long the organisation's history."""

from __future__ import annotations

from pathlib import Path

import orgsim
from orgsim.views.wording import ANSWERED_OFFERS_SHOWN, state_lines


def _offers(count: int) -> str:
    quote = "Initech offered Carol a board seat; she accepted."
    events = []
    for n in range(count):
        events.append(
            f"""- id: seat-offer-{n}
  type: offer_made
  at: '2020-06-{n + 1:02d}T09:00:00+00:00'
  precision: minute
  summary: Initech offers Bob a board seat ({n}).
  to: bob
  role: board_seat
  sources: [{{document: memo.txt, quote: "{quote}", language: en}}]
- id: seat-offer-{n}-declined
  type: offer_answered
  at: '2020-06-{n + 1:02d}T10:00:00+00:00'
  precision: minute
  summary: Bob declines ({n}).
  offer: seat-offer-{n}
  outcome: {"declined" if n % 2 else "withdrawn"}
  sources: [{{document: memo.txt, quote: "{quote}", language: en}}]
"""
        )
    return "".join(events)


def test_the_offers_line_names_every_open_offer_and_only_the_latest_answered(knows_copy: Path) -> None:
    # A long-lived organisation answers thousands of offers; a line (and a page holding thousands of states)
    # listing them all grew without bound. The JSON state still lists every one.
    answered = ANSWERED_OFFERS_SHOWN + 4
    (knows_copy / "more.yaml").write_text(
        _offers(answered)
        + """- id: seat-offer-open
  type: offer_made
  at: '2020-06-20T09:00:00+00:00'
  precision: minute
  summary: Initech offers Erin a board seat.
  to: erin
  role: board_seat
  sources: [{document: memo.txt, quote: "Initech offered Carol a board seat; she accepted.", language: en}]
""",
        encoding="utf-8",
    )
    timeline = orgsim.load_timeline(knows_copy)
    state = timeline.state_at("2020-06-25")
    line = next(line for line in state_lines(state) if line.key == "offers")
    earlier = answered + 2 - ANSWERED_OFFERS_SHOWN  # the fixture's own two answered offers come first
    assert line.values[-1] == f"and {earlier:,} earlier answered offers (the JSON state lists all)"
    assert "Erin: a board seat, open" in line.values
    assert len(line.values) == ANSWERED_OFFERS_SHOWN + 2  # the latest answered, the open one, the count
    assert len(state.to_dict()["offers"]) == answered + 3
