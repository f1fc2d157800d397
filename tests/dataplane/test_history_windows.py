"""Frames read as concurrent listings (time windows x groups of properties) are the frames
read in one listing, page after page."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import timedelta

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import twinkit
import twinkit.local
from twinkit import Component, DataTypes, PropertyDefinition
from twinkit.dataplane import HistoryQuery
from twinkit.dataplane._history import _windows

T0 = 1_767_225_600_123_456_789
NAMES = [f"s{n:02d}" for n in range(12)]  # two groups of properties


@pytest.fixture(scope="module")
def ws() -> Iterator[twinkit.resources.Workspace]:
    with twinkit.local.emulator(transition_delay=0) as twin:
        tm = twinkit.TwinMaker(client=twin.client())
        ws = tm.workspaces.create("factory")
        sensors = ws.component_types.create(
            "com.example.sensors",
            properties={n: PropertyDefinition(DataTypes.DOUBLE, time_series=True) for n in NAMES},
        )
        for e, entity in enumerate(["mixer", "oven"]):
            made = ws.entities.create(
                entity, entity_id=entity, components={"s": Component(sensors)}
            )
            # Uneven density: a burst early, sparse values later, one series empty.
            values = {
                name: [(T0 + k * k * 1_000_003 + s, e * 100 + s + k / 4) for k in range(57 - s)]
                for s, name in enumerate(NAMES[:-1])
            }
            assert made.put_values("s", values).ok
        yield ws


@pytest.mark.parametrize("order", ["ASCENDING", "DESCENDING"])
@pytest.mark.parametrize("concurrency", [2, 3, 7, 24])
def test_a_wide_frame_read_concurrently_is_the_one_read_in_a_row(
    ws: twinkit.resources.Workspace, order: str, concurrency: int
) -> None:
    history = ws.entities("mixer").history(
        "s", *NAMES, start=T0, end=T0 + 4_000_000_000, order=order, page_size=9
    )
    one = history.to_dataframe(max_concurrency=1)
    many = history.to_dataframe(max_concurrency=concurrency)
    assert len(one) > 50
    pd.testing.assert_frame_equal(one, many)


@pytest.mark.parametrize("order", ["ASCENDING", "DESCENDING"])
def test_long_frames_and_tables_across_entities_too(
    ws: twinkit.resources.Workspace, order: str
) -> None:
    history = ws.history(
        *NAMES, component_type="com.example.sensors", start=T0, end=T0 + 4_000_000_000, order=order
    )
    pd.testing.assert_frame_equal(
        history.to_dataframe(max_concurrency=1), history.to_dataframe(max_concurrency=5)
    )
    assert history.to_arrow(max_concurrency=1).equals(history.to_arrow(max_concurrency=5))


def test_interpolated_readings_are_one_listing(ws: twinkit.resources.Workspace) -> None:
    history = ws.entities("mixer").history(
        "s", "s00", start=T0, end=T0 + 3_000_000_000, interpolation=timedelta(seconds=1)
    )
    pd.testing.assert_frame_equal(
        history.to_dataframe(max_concurrency=1), history.to_dataframe(max_concurrency=8)
    )
    assert _windows(history.query, 8) == [history.query]


def test_max_concurrency_below_one_is_refused(ws: twinkit.resources.Workspace) -> None:
    history = ws.entities("mixer").history("s", "s00", start=T0, end=T0 + 1)
    with pytest.raises(ValueError, match="max_concurrency"):
        history.to_dataframe(max_concurrency=0)


@settings(max_examples=300, deadline=None)
@given(
    start=st.integers(0, 2**62),
    span=st.integers(0, 10**12),
    count=st.integers(1, 64),
    descending=st.booleans(),
)
def test_windows_hold_every_instant_once_in_reading_order(
    start: int, span: int, count: int, descending: bool
) -> None:
    query = HistoryQuery.build(
        "w",
        ["p"],
        start=start,
        end=start + span,
        order="DESCENDING" if descending else "ASCENDING",
        entity_id="e",
        component_name="c",
    )
    windows = _windows(query, count)
    assert 1 <= len(windows) <= count
    ordered = windows[::-1] if descending else windows
    assert ordered[0].start_ns == start
    assert ordered[-1].end_ns == start + span
    for window in ordered:
        assert window.start_ns <= window.end_ns
    for before, after in itertools.pairwise(ordered):
        assert after.start_ns == before.end_ns + 1
