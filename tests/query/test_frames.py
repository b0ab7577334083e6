"""pandas frames: events as rows with typed columns in one zone, tenures as rows, a path on a regular grid."""

from __future__ import annotations

import sys
from datetime import timedelta

import pytest

import orgsim
from orgsim.errors import LoadError, OutputError, TimeInputError
from orgsim.model.events import people_named
from orgsim.query.frames import EVENT_COLUMNS, MAX_GRID, PANDAS_MISSING, TENURE_COLUMNS

pd = pytest.importorskip("pandas")


def test_the_events_frame_has_one_row_per_event_in_replay_order(bundled: orgsim.Timeline) -> None:
    frame = bundled.to_frame()
    assert tuple(frame.columns) == EVENT_COLUMNS
    assert len(frame) == len(bundled)
    assert frame["id"].tolist() == [record.id for record in bundled.records]
    assert frame["at"].is_monotonic_increasing


def test_every_timestamp_is_in_one_zone_whatever_offset_its_file_wrote(bundled: orgsim.Timeline) -> None:
    offsets = {event.at.utcoffset() for event in bundled.events}
    assert len(offsets) > 1  # the files mix Pacific (both offsets) and Beijing time
    frame = bundled.to_frame()
    assert str(frame["at"].dt.tz) == "America/Los_Angeles" == str(frame["reported_at"].dt.tz)
    shanghai = bundled.to_frame(tz="Asia/Shanghai")
    assert str(shanghai["at"].dt.tz) == "Asia/Shanghai"
    vote = shanghai.set_index("id").loc["2023-11-17-board-votes-to-remove-altman"]
    assert vote["at"].isoformat() == "2023-11-18T04:00:00+08:00"
    assert (frame["at"] == shanghai["at"]).all()  # the same instants
    fixed = bundled.to_frame(tz="+05:30")
    assert fixed["at"].iloc[0].utcoffset() == timedelta(hours=5, minutes=30)


def test_columns_are_typed(bundled: orgsim.Timeline) -> None:
    frame = bundled.to_frame()
    assert isinstance(frame["type"].dtype, pd.CategoricalDtype)
    assert str(frame["count"].dtype) == "Int64" and str(frame["interim"].dtype) == "boolean"
    assert pd.api.types.is_datetime64_any_dtype(frame["at"])
    rows = frame.set_index("id")
    murati = rows.loc["2023-11-17-murati-named-interim-ceo"]
    assert (murati["person"], murati["office"], bool(murati["interim"])) == ("mira-murati", "ceo", True)
    assert murati["count"] is pd.NA  # not a count's event: missing, not zero
    letter = frame[frame["type"] == "signatures_reported"]
    assert letter["count"].notna().any()


def test_sources_people_and_causes_are_columns(bundled: orgsim.Timeline) -> None:
    rows = bundled.to_frame().set_index("id")
    vote = rows.loc["2023-11-17-board-votes-to-remove-altman"]
    record = bundled.event("2023-11-17-board-votes-to-remove-altman")
    assert vote["sources"] == record.sources and vote["quote"] == record.sources[0].quote
    assert vote["document"] == record.sources[0].document
    assert vote["people"] == tuple(dict.fromkeys(people_named(record)))
    fired = rows.loc["2023-11-17-altman-fired"]
    assert "2023-11-17-board-votes-to-remove-altman" in fired["caused_by"]
    assert rows.loc["2023-11-17-altman-fired", "file"] == "30-2023-11-17-to-22.yaml"


def test_reported_at_is_when_the_public_could_know_and_at_otherwise(bundled: orgsim.Timeline) -> None:
    rows = bundled.to_frame().set_index("id")
    late = bundled.event("2023-11-16-sutskever-texts-altman")
    assert late.reported_at is not None
    assert rows.loc[late.id, "reported_at"] == pd.Timestamp(late.reported_at)
    assert (
        rows.loc["2023-11-17-murati-named-interim-ceo", "reported_at"]
        == rows.loc["2023-11-17-murati-named-interim-ceo", "at"]
    )


def test_a_what_if_world_makes_its_own_frame(bundled: orgsim.Timeline) -> None:
    world = orgsim.Scenario(
        title="no vote", interventions=[orgsim.Remove(remove="2023-11-17-board-votes-to-remove-altman")]
    ).run(bundled)
    frame = world.to_frame()
    assert len(frame) == len(world) < len(bundled)
    assert "2023-11-17-board-votes-to-remove-altman" not in set(frame["id"])


def test_the_tenures_frame_has_the_ceo_tenures_of_november_2023(bundled: orgsim.Timeline) -> None:
    frame = bundled.tenures(office="ceo").to_frame()
    assert tuple(frame.columns) == TENURE_COLUMNS
    assert frame["person"].tolist() == ["sam-altman", "mira-murati", "emmett-shear", "sam-altman"]
    assert str(frame["start"].dt.tz) == "America/Los_Angeles"
    shear = frame.iloc[2]
    assert bool(shear["interim"]) and shear["start"].isoformat() == "2023-11-19T22:00:00-08:00"
    assert shear["duration"] == pd.Timedelta(days=2)  # 22:00 Sunday to the day-precise return, as recorded
    assert shear["shortest"] <= shear["duration"] <= shear["longest"]
    last = frame.iloc[3]
    assert last["end"] is pd.NaT and last["duration"] is pd.NaT  # held past coverage: unknown, never a guess
    assert last["end_why_unknown"].startswith("still held when coverage ends")
    assert str(bundled.tenures(office="ceo").to_frame(tz="UTC")["start"].dt.tz) == "UTC"


def test_an_ongoing_tenure_has_no_end_in_the_frame(acme: orgsim.Timeline) -> None:
    frame = acme.tenures().to_frame()
    ongoing = frame[frame["end_ongoing"]]
    assert len(ongoing) and ongoing["end"].isna().all() and ongoing["duration"].isna().all()


def test_headcount_series_is_numbers_on_a_regular_grid_and_unknown_as_missing(bundled: orgsim.Timeline) -> None:
    series = bundled.series("employees.headcount", "1D", start="2023-11-15", end="2023-11-25")
    assert str(series.dtype) == "Int64"
    assert len(series) == 11 and series.index.freqstr == "D"
    assert str(series.index.tz) == "America/Los_Angeles"
    assert series.iloc[0] == 770
    for instant, value in series.items():
        state = bundled.state_at(instant.to_pydatetime())
        if state.is_known("employees.headcount") and state.headcount is not None:
            assert value == state.headcount
        else:  # unknown, or only a range ("up to 750"): missing, never the last known number
            assert value is pd.NA
    assert series.isna().any()


def test_the_ceo_series_is_person_ids_and_unknown_before_coverage(bundled: orgsim.Timeline) -> None:
    series = bundled.series("ceo", "6h", start="2023-11-17T06:00", end="2023-11-20T12:00")
    assert series.dtype == object
    assert series.loc["2023-11-17 06:00"] == "sam-altman"
    assert series.loc["2023-11-18 12:00"] == "mira-murati"
    assert series.loc["2023-11-20 06:00"] == "emmett-shear"
    early = bundled.series("ceo", "1D", start="2018-01-01", end="2018-01-03")
    assert all(value is pd.NA for value in early)  # before the CEO's coverage: unknown, not vacant


def test_a_vacant_chair_is_none_and_not_unknown(bundled: orgsim.Timeline) -> None:
    chair = bundled.series("board.chair", "1D", start="2023-11-17", end="2023-11-22")
    assert chair.loc["2023-11-17"] == "greg-brockman"
    assert chair.loc["2023-11-19"] is None
    assert chair.loc["2023-11-22"] == "bret-taylor"


def test_the_board_series_is_a_tuple_of_ids(bundled: orgsim.Timeline) -> None:
    board = bundled.series("board.members", "1D", start="2023-11-21", end="2023-11-22")
    assert board.iloc[-1] == ("adam-dangelo", "bret-taylor", "larry-summers")


def test_series_refuses_a_bad_path_a_bad_frequency_and_a_huge_grid(bundled: orgsim.Timeline) -> None:
    with pytest.raises(LoadError, match="field 'path'"):
        bundled.series("offices.nonsense.x")
    with pytest.raises(TimeInputError, match="not a pandas frequency"):
        bundled.series("ceo", "every hour")
    with pytest.raises(TimeInputError, match="positive"):
        bundled.series("ceo", "-1h")
    with pytest.raises(TimeInputError, match=f"more than {MAX_GRID:,}"):
        bundled.series("ceo", "1s", start="2015-01-01", end="2024-01-01")
    with pytest.raises(TimeInputError, match="before the start"):
        bundled.series("ceo", "1h", start="2023-11-20", end="2023-11-19")


def test_without_pandas_a_frame_is_one_line_that_says_how_to_install_it(
    bundled: orgsim.Timeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now raises ImportError
    for make in (bundled.to_frame, bundled.tenures(office="ceo").to_frame, lambda: bundled.series("ceo")):
        with pytest.raises(OutputError) as caught:
            make()
        assert str(caught.value) == PANDAS_MISSING and "\n" not in str(caught.value)
