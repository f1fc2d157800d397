"""History through the emulator and botocore: iterators, DataFrames and Arrow tables match
what was written (both orders, page boundaries, > 10 properties, interpolation, across
entities, NaN and infinities)."""

from __future__ import annotations

import math
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import twinkit
import twinkit.local
from twinkit import Component, DataTypes, PropertyDefinition
from twinkit.dataplane import History, HistoryPoint, SeriesKey
from twinkit.errors import ValidationError
from twinkit.times import format_time

T0 = 1_767_225_600_123_456_789  # 2026-01-01T00:00:00.123456789Z
STEP = 1_000_000_007
NAMES = [f"s{n:02d}" for n in range(12)]  # more than one request may select (10)
PER_SERIES = 23  # pages of 7 and 10 cut series in the middle
SECOND = 1_000_000_000
SPECIAL = {3: math.nan, 7: math.inf, 11: -math.inf}


def _value(entity: int, series: int, k: int) -> float:
    return SPECIAL.get(k, entity * 1000 + series * 10 + k * 0.5)


def _time(series: int, k: int) -> int:
    # Series share most instants; every third series is shifted by 1 ns on odd values, so
    # the wide frame has instants where some columns have no value.
    return T0 + k * STEP + (1 if series % 3 == 0 and k % 2 else 0)


WRITTEN: dict[tuple[str, str], list[tuple[int, float]]] = {
    (entity, name): [(_time(s, k), _value(e, s, k)) for k in range(PER_SERIES)]
    for e, entity in enumerate(["mixer", "oven"])
    for s, name in enumerate(NAMES)
}
START, END = T0, T0 + PER_SERIES * STEP


@pytest.fixture(scope="module")
def tm() -> Iterator[twinkit.TwinMaker]:
    with twinkit.local.emulator(transition_delay=0) as twin:
        client = twin.client()
        tm = twinkit.TwinMaker(client=client)
        ws = tm.workspaces.create("factory")
        sensors = ws.component_types.create(
            "com.example.sensors",
            properties={n: PropertyDefinition(DataTypes.DOUBLE, time_series=True) for n in NAMES},
        )
        for entity in ("mixer", "oven"):
            ws.entities.create(entity, entity_id=entity, components={"sensors": Component(sensors)})
        entries = [
            {
                "entityPropertyReference": {
                    "entityId": entity,
                    "componentName": "sensors",
                    "propertyName": name,
                },
                "propertyValues": [
                    {"time": format_time(t), "value": {"doubleValue": v}}
                    for t, v in values[first : first + 10]
                ],
            }
            for (entity, name), values in WRITTEN.items()
            for first in range(0, PER_SERIES, 10)
        ]
        for first in range(0, len(entries), 10):
            answer = client.batch_put_property_values(
                workspaceId="factory", entries=entries[first : first + 10]
            )
            assert answer["errorEntries"] == []
        yield tm


def _same(a: float, b: float) -> bool:
    return a == b or (math.isnan(a) and math.isnan(b))


def _expected(entity: str, names: list[str], descending: bool = False) -> list[tuple[Any, ...]]:
    rows = [(t, name, v) for name in names for t, v in WRITTEN[(entity, name)]]
    rows.sort(key=lambda r: (-r[0] if descending else r[0], r[1]))
    return rows


def _rows(points: list[HistoryPoint]) -> list[tuple[Any, ...]]:
    return [(p.time_ns, p.property.property_name, p.value) for p in points]


def _assert_rows(got: list[tuple[Any, ...]], want: list[tuple[Any, ...]]) -> None:
    assert [r[:2] for r in got] == [r[:2] for r in want]
    assert all(_same(g[2], w[2]) for g, w in zip(got, want, strict=True))


@pytest.mark.parametrize("order", ["ASCENDING", "DESCENDING"])
@pytest.mark.parametrize("page_size", [7, 200])
def test_points_match_what_was_written(tm: twinkit.TwinMaker, order: str, page_size: int) -> None:
    mixer = tm.workspaces("factory").entities("mixer")
    history = mixer.history(
        "sensors", *NAMES, start=START, end=END, order=order, page_size=page_size
    )
    points = list(history)
    _assert_rows(_rows(points), _expected("mixer", NAMES, order == "DESCENDING"))
    assert points[0].property == SeriesKey(
        "mixer", "sensors", None, points[0].property.property_name
    )
    assert isinstance(points[0].time, datetime)


def test_properties_default_to_the_components_time_series(tm: twinkit.TwinMaker) -> None:
    mixer = tm.workspaces("factory").entities.get("mixer")
    points = list(mixer.history("sensors", start=START, end=END))
    assert len(points) == len(NAMES) * PER_SERIES


def test_iterating_is_lazy_page_by_page(tm: twinkit.TwinMaker) -> None:
    history = (
        tm.workspaces("factory")
        .entities("mixer")
        .history("sensors", "s00", start=START, end=END, page_size=5)
    )
    pages = history.pages()
    first = next(pages)
    assert [len(s.times) for s in first.series] == [5]
    assert first.next_token
    assert sum(len(s.times) for page in pages for s in page.series) == PER_SERIES - 5


@pytest.mark.parametrize(
    "start",
    [
        START,
        format_time(START),
        "2026-01-01T01:00:00.123456789+01:00",
        pd.Timestamp(START, tz="UTC"),
        np.datetime64(START, "ns"),
    ],
)
def test_start_takes_every_time_form(tm: twinkit.TwinMaker, start: Any) -> None:
    history = (
        tm.workspaces("factory")
        .entities("mixer")
        .history("sensors", "s01", start=start, end=datetime(2026, 1, 2, tzinfo=timezone.utc))
    )
    assert [p.time_ns for p in history] == [t for t, _ in WRITTEN[("mixer", "s01")]]


def test_a_microsecond_datetime_start_is_exact(tm: twinkit.TwinMaker) -> None:
    start = datetime(2026, 1, 1, 0, 0, 1, 123457, tzinfo=timezone.utc)  # after value 1
    history = (
        tm.workspaces("factory").entities("mixer").history("sensors", "s01", start=start, end=END)
    )
    assert next(iter(history)).time_ns == T0 + 2 * STEP


def test_wide_dataframe(tm: twinkit.TwinMaker) -> None:
    frame = (
        tm.workspaces("factory")
        .entities("mixer")
        .history("sensors", *NAMES, start=START, end=END, page_size=7)
        .to_dataframe()
    )
    assert str(frame.index.dtype) == "datetime64[ns, UTC]"
    assert frame.index.name == "time"
    assert list(frame.columns) == NAMES
    assert frame.index.is_monotonic_increasing
    for name in NAMES:
        written = WRITTEN[("mixer", name)]
        at = pd.DatetimeIndex(np.array([t for t, _ in written], dtype="datetime64[ns]"), tz="UTC")
        present = frame[name].loc[at]
        assert present.index.asi8.tolist() == [t for t, _ in written]
        assert all(_same(float(g), w) for g, (_, w) in zip(present, written, strict=True))
        assert frame[name].drop(at).isna().all()  # no value at the other series' instants


def test_wide_dataframe_descending_is_sorted_too(tm: twinkit.TwinMaker) -> None:
    entity = tm.workspaces("factory").entities("mixer")
    down = entity.history("sensors", "s01", "s02", start=START, end=END, order="DESCENDING")
    up = entity.history("sensors", "s01", "s02", start=START, end=END)
    pd.testing.assert_frame_equal(down.to_dataframe(), up.to_dataframe())


def test_long_dataframe_and_arrow_across_entities(tm: twinkit.TwinMaker) -> None:
    history = tm.workspaces("factory").history(
        *NAMES, component_type="com.example.sensors", start=START, end=END, page_size=9
    )
    points = list(history)
    want = sorted(
        (t, entity, name, v) for (entity, name), values in WRITTEN.items() for t, v in values
    )
    got = sorted(
        ((p.time_ns, p.property.entity_id, p.property.property_name, p.value) for p in points),
        key=lambda r: r[:3],
    )
    assert [r[:3] for r in got] == [r[:3] for r in want]
    assert all(_same(g[3], w[3]) for g, w in zip(got, want, strict=True))

    frame = history.to_dataframe()
    assert list(frame.columns) == ["entity_id", "component", "property", "time", "value"]
    assert str(frame["time"].dtype) == "datetime64[ns, UTC]"
    rows = sorted(
        zip(
            frame["time"].astype("int64"),
            frame["entity_id"],
            frame["property"],
            frame["value"],
            strict=True,
        ),
        key=lambda r: r[:3],
    )
    assert [r[:3] for r in rows] == [r[:3] for r in want]
    assert all(_same(float(g[3]), w[3]) for g, w in zip(rows, want, strict=True))

    table = history.to_arrow()
    assert table.schema.field("time").type == pa.timestamp("ns", "UTC")
    assert table.schema.field("value").type == pa.float64()
    arrow_rows = sorted(
        zip(
            table["time"].cast(pa.int64()).to_pylist(),
            table["entity_id"].to_pylist(),
            table["property"].to_pylist(),
            table["value"].to_pylist(),
            strict=True,
        ),
        key=lambda r: r[:3],
    )
    assert [r[:3] for r in arrow_rows] == [r[:3] for r in want]
    assert all(_same(g[3], w[3]) for g, w in zip(arrow_rows, want, strict=True))


def test_non_finite_values_come_back(tm: twinkit.TwinMaker) -> None:
    history = (
        tm.workspaces("factory").entities("oven").history("sensors", "s05", start=START, end=END)
    )
    values = [p.value for p in history]
    assert math.isnan(values[3])
    assert values[7] == math.inf
    assert values[11] == -math.inf
    column = history.to_dataframe()["s05"].to_numpy()
    assert np.isnan(column[3])
    assert column[7] == np.inf
    assert column[11] == -np.inf


def test_interpolation(tm: twinkit.TwinMaker) -> None:
    history = (
        tm.workspaces("factory")
        .entities("mixer")
        .history(
            "sensors",
            "s01",
            start=T0,
            end=T0 + 3 * SECOND,
            interpolation=timedelta(seconds=1),
        )
    )
    points = list(history)
    # Values k*0.5 + 10 at T0 + k*STEP; the grid T0 + k s falls just before each value k.
    assert [p.time_ns for p in points] == [T0, T0 + SECOND, T0 + 2 * SECOND, T0 + 3 * SECOND]
    for k, point in enumerate(points):
        t0, t1 = T0 + (k - 1) * STEP, T0 + k * STEP
        if k == 0:
            assert point.value == 10.0
            continue
        v0, v1 = _value(0, 1, k - 1), _value(0, 1, k)
        expected = v0 + (v1 - v0) * (point.time_ns - t0) / (t1 - t0)  # NaN next to a NaN
        assert point.value == pytest.approx(expected, nan_ok=True)
    np.testing.assert_array_equal(history.to_dataframe()["s01"], [p.value for p in points])


def test_filters(tm: twinkit.TwinMaker) -> None:
    history = (
        tm.workspaces("factory")
        .entities("mixer")
        .history("sensors", "s01", "s02", start=START, end=END, filters=[("s01", ">", 15.0)])
    )
    got = [(p.property.property_name, p.value) for p in history]
    assert {v for n, v in got if n == "s01"} == {
        v for _, v in WRITTEN[("mixer", "s01")] if v > 15.0
    }
    assert sum(n == "s02" for n, _ in got) == PER_SERIES


def test_latest(tm: twinkit.TwinMaker) -> None:
    latest = tm.workspaces("factory").entities("mixer").latest("sensors", "s01", "s02")
    assert latest == {"s01": _value(0, 1, PER_SERIES - 1), "s02": _value(0, 2, PER_SERIES - 1)}


def test_pager_max_items_counts_values(tm: twinkit.TwinMaker) -> None:
    pager = tm.paginate.get_property_value_history(
        workspace_id="factory",
        entity_id="mixer",
        component_name="sensors",
        selected_properties=["s01", "s02"],
        start_time=format_time(START),
        end_time=format_time(END),
        page_size=5,
        max_items=3,
    )
    assert sum(len(series.values or ()) for series in pager) == 3
    pager = tm.paginate.get_property_value_history(
        workspace_id="factory",
        entity_id="mixer",
        component_name="sensors",
        selected_properties=["s01", "s02"],
        start_time=format_time(START),
        end_time=format_time(END),
        page_size=4,
        max_items=11,
    )
    assert sum(len(series.values or ()) for series in pager) == 11


def test_bad_arguments_are_named(tm: twinkit.TwinMaker) -> None:
    entity = tm.workspaces("factory").entities("mixer")
    with pytest.raises(ValidationError, match=r"^order: expected ASCENDING or DESCENDING"):
        entity.history("sensors", "s01", start=START, end=END, order="UP")
    with pytest.raises(ValidationError, match=r"^start: expected an aware datetime"):
        entity.history("sensors", "s01", start=datetime(2026, 1, 1), end=END)
    with pytest.raises(ValidationError, match=r"^end: expected a Time string"):
        entity.history("sensors", "s01", start=START, end="yesterday")
    with pytest.raises(ValidationError, match=r"^page_size: expected an int between 1 and 200"):
        entity.history("sensors", "s01", start=START, end=END, page_size=500)
    with pytest.raises(ValidationError, match=r"^interpolation: expected a whole number"):
        entity.history("sensors", "s01", start=START, end=END, interpolation=0.5)


def test_missing_extras_name_them(tm: twinkit.TwinMaker, monkeypatch: pytest.MonkeyPatch) -> None:
    history: History = (
        tm.workspaces("factory").entities("mixer").history("sensors", "s01", start=START, end=END)
    )
    monkeypatch.setitem(sys.modules, "pandas", None)
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(ImportError, match=r"pip install 'twinkit\[pandas\]'"):
        history.to_dataframe()
    with pytest.raises(ImportError, match=r"pip install 'twinkit\[arrow\]'"):
        history.to_arrow()


def test_queries_and_points_pickle_by_public_names(tm: twinkit.TwinMaker) -> None:
    import pickle

    history = (
        tm.workspaces("factory")
        .entities("mixer")
        .history("sensors", "s01", start=START, end=END, filters=[("s01", ">", 1.0)])
    )
    query = pickle.loads(pickle.dumps(history.query))
    assert query == history.query
    assert b"twinkit.dataplane._" not in pickle.dumps(next(iter(history)))
    assert list(History(tm, query)) == list(history)


def test_service_errors_are_typed_and_carry_the_token(tm: twinkit.TwinMaker) -> None:
    from twinkit.errors import ResourceNotFoundError

    history = (
        tm.workspaces("factory").entities("nobody").history("sensors", "s01", start=START, end=END)
    )
    with pytest.raises(ResourceNotFoundError, match="nobody") as caught:
        list(history)
    assert caught.value.operation == "GetPropertyValueHistory"
    assert caught.value.continuation_token is None  # type: ignore[attr-defined]


def test_without_pyarrow_pandas_parses_the_times(
    tm: twinkit.TwinMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    history = (
        tm.workspaces("factory")
        .entities("mixer")
        .history("sensors", "s00", "s03", start=START, end=END)
    )
    with_arrow = history.to_dataframe()
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    pd.testing.assert_frame_equal(history.to_dataframe(), with_arrow)


def test_an_empty_window_gives_empty_frames_and_tables(tm: twinkit.TwinMaker) -> None:
    before = START - 10 * STEP
    history = tm.workspaces("factory").history(
        *NAMES, component_type="com.example.sensors", start=before, end=START - STEP
    )
    assert list(history) == []
    table = history.to_arrow()
    assert table.num_rows == 0
    assert table.column_names == ["entity_id", "component", "property", "time", "value"]
    assert table.schema.field("time").type == pa.timestamp("ns", "UTC")
    assert len(history.to_dataframe()) == 0
