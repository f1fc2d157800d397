"""Async history through aiobotocore and the emulator, on both transports: points, DataFrames
and Arrow tables match what was written and equal what the blocking `History` gives for the
same query (both orders, page boundaries, > 10 properties, interpolation, across entities,
NaN and infinities).

The async twin of tests/dataplane/test_history.py. The twin is set up with plain boto3 on the
same emulator, and the blocking reads use a `twinkit.TwinMaker` on it, so only the async
reads go through aiobotocore.
"""

from __future__ import annotations

import itertools
import math
import sys
from datetime import timedelta
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import twinkit
import twinkit.aio
from twinkit import Component, DataTypes, PropertyDefinition
from twinkit.aio.dataplane import AsyncHistory, latest_values
from twinkit.dataplane import History, HistoryPoint, HistoryQuery, SeriesKey
from twinkit.dataplane._history import latest_values as blocking_latest_values
from twinkit.errors import ResourceNotFoundError, ThrottlingError
from twinkit.local import Emulator
from twinkit.times import format_time

T0 = 1_767_225_600_123_456_789  # 2026-01-01T00:00:00.123456789Z
STEP = 1_000_000_007
NAMES = [f"s{n:02d}" for n in range(12)]  # more than one request may select (10)
PER_SERIES = 23  # pages of 7 and 10 cut series in the middle
SECOND = 1_000_000_000
SPECIAL = {3: math.nan, 7: math.inf, 11: -math.inf}
START, END = T0, T0 + PER_SERIES * STEP


def _value(entity: int, series: int, k: int) -> float:
    return SPECIAL.get(k, entity * 1000 + series * 10 + k * 0.5)


def _time(series: int, k: int) -> int:
    # Every third series is shifted by 1 ns on odd values: the wide frame has holes.
    return T0 + k * STEP + (1 if series % 3 == 0 and k % 2 else 0)


WRITTEN: dict[tuple[str, str], list[tuple[int, float]]] = {
    (entity, name): [(_time(s, k), _value(e, s, k)) for k in range(PER_SERIES)]
    for e, entity in enumerate(["mixer", "oven"])
    for s, name in enumerate(NAMES)
}


@pytest.fixture
def twinmaker_emulator_options() -> dict[str, Any]:
    return {"transition_delay": 0.0}


@pytest.fixture
def tm(emulator: Emulator) -> twinkit.TwinMaker:
    """The blocking client on the same emulator, with the twin written."""
    client: Any = emulator.client()
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
    return tm


def _query(*names: str, entity: str | None = "mixer", **options: Any) -> HistoryQuery:
    where: dict[str, Any] = (
        {"entity_id": entity, "component_name": "sensors"}
        if entity
        else {"component_type_id": "com.example.sensors"}
    )
    options = {"start": START, "end": END, **options}
    return HistoryQuery.build("factory", names, **options, **where)


def _same(a: float, b: float) -> bool:
    return a == b or (math.isnan(a) and math.isnan(b))


def _expected(entity: str, names: list[str], descending: bool = False) -> list[tuple[Any, ...]]:
    rows = [(t, name, v) for name in names for t, v in WRITTEN[(entity, name)]]
    rows.sort(key=lambda r: (-r[0] if descending else r[0], r[1]))
    return rows


def _rows(points: list[HistoryPoint]) -> list[tuple[Any, ...]]:
    return [(p.time_ns, p.property, p.value) for p in points]


def _assert_rows(got: list[tuple[Any, ...]], want: list[tuple[Any, ...]]) -> None:
    assert [r[:-1] for r in got] == [r[:-1] for r in want]
    assert all(_same(g[-1], w[-1]) for g, w in zip(got, want, strict=True))


@pytest.mark.parametrize("order", ["ASCENDING", "DESCENDING"])
@pytest.mark.parametrize("page_size", [7, 200])
async def test_points_match_what_was_written_and_the_blocking_history(
    atm: twinkit.aio.TwinMaker, tm: twinkit.TwinMaker, order: str, page_size: int
) -> None:
    query = _query(*NAMES, order=order, page_size=page_size)
    points = [point async for point in AsyncHistory(atm, query)]
    got = [(p.time_ns, p.property.property_name, p.value) for p in points]
    _assert_rows(got, _expected("mixer", NAMES, order == "DESCENDING"))
    assert points[0].property == SeriesKey(
        "mixer", "sensors", None, points[0].property.property_name
    )
    _assert_rows(_rows(points), _rows(list(History(tm, query))))
    _assert_rows(_rows(await AsyncHistory(atm, query).to_list()), _rows(points))


async def test_iterating_is_lazy_page_by_page(
    atm: twinkit.aio.TwinMaker, tm: twinkit.TwinMaker, emulator: Emulator
) -> None:
    sent: list[int] = []
    atm.boto3_client.meta.events.register(
        "before-send.iottwinmaker.GetPropertyValueHistory", lambda **_: sent.append(1)
    )
    history = AsyncHistory(atm, _query("s00", page_size=5))
    assert repr(history) == (
        "AsyncHistory(entity='mixer', component='sensors', properties=['s00'], "
        f"start={format_time(START)!r}, end={format_time(END)!r})"
    )
    pages = history.pages()
    assert sent == []  # nothing is fetched before it is needed
    first = await anext(pages)
    assert [len(s.times) for s in first.series] == [5]
    assert first.next_token
    assert len(sent) == 1
    assert sum([len(s.times) async for page in pages for s in page.series]) == PER_SERIES - 5
    assert len(sent) == 5
    points = aiter(history)
    await anext(points)
    assert len(sent) == 6  # one page for the first point


async def test_more_than_ten_properties_in_any_page_size_every_value_once_in_order(
    atm: twinkit.aio.TwinMaker, tm: twinkit.TwinMaker
) -> None:
    for page_size in (1, 3, 10, 11):
        for order in ("ASCENDING", "DESCENDING"):
            query = _query(*NAMES, order=order, page_size=page_size, end=T0 + 4 * STEP)
            got = [
                (p.time_ns, p.property.property_name, p.value)
                async for p in AsyncHistory(atm, query)
            ]
            want = [
                r for r in _expected("mixer", NAMES, order == "DESCENDING") if r[0] <= T0 + 4 * STEP
            ]
            _assert_rows(got, want)


async def test_wide_dataframe_equals_the_blocking_one(
    atm: twinkit.aio.TwinMaker, tm: twinkit.TwinMaker
) -> None:
    query = _query(*NAMES, page_size=7)
    frame = await AsyncHistory(atm, query).to_dataframe()
    assert str(frame.index.dtype) == "datetime64[ns, UTC]"
    assert list(frame.columns) == NAMES
    assert frame.index.is_monotonic_increasing
    pd.testing.assert_frame_equal(frame, History(tm, query).to_dataframe())
    down = _query("s01", "s02", order="DESCENDING")
    pd.testing.assert_frame_equal(
        await AsyncHistory(atm, down).to_dataframe(),
        History(tm, _query("s01", "s02")).to_dataframe(),
    )


async def test_long_dataframe_and_arrow_across_entities_equal_the_blocking_ones(
    atm: twinkit.aio.TwinMaker, tm: twinkit.TwinMaker
) -> None:
    query = _query(*NAMES, entity=None, page_size=9)
    history = AsyncHistory(atm, query)
    points = await history.to_list()
    want = sorted(
        (t, entity, name, v) for (entity, name), values in WRITTEN.items() for t, v in values
    )
    got = sorted(
        ((p.time_ns, p.property.entity_id, p.property.property_name, p.value) for p in points),
        key=lambda r: r[:3],
    )
    _assert_rows(got, want)
    frame = await history.to_dataframe()
    assert list(frame.columns) == ["entity_id", "component", "property", "time", "value"]
    pd.testing.assert_frame_equal(frame, History(tm, query).to_dataframe())
    table = await history.to_arrow()
    assert table.schema.field("time").type == pa.timestamp("ns", "UTC")
    blocking = History(tm, query).to_arrow()
    assert table.schema == blocking.schema
    # Column by column: Arrow's `equals` holds NaN unequal to itself.
    for name in ("entity_id", "component", "property"):
        assert table[name].to_pylist() == blocking[name].to_pylist()
    assert table["time"].cast(pa.int64()).equals(blocking["time"].cast(pa.int64()))
    values = zip(table["value"].to_pylist(), blocking["value"].to_pylist(), strict=True)
    assert all(_same(a, b) for a, b in values)
    assert table.num_rows == len(want)


async def test_non_finite_values_come_back(
    atm: twinkit.aio.TwinMaker, tm: twinkit.TwinMaker
) -> None:
    history = AsyncHistory(atm, _query("s05", entity="oven"))
    values = [p.value async for p in history]
    assert math.isnan(values[3])
    assert values[7] == math.inf
    assert values[11] == -math.inf
    column = (await history.to_dataframe())["s05"].to_numpy()
    assert math.isnan(column[3])
    assert (column[7], column[11]) == (math.inf, -math.inf)


async def test_interpolation_and_filters_equal_the_blocking_history(
    atm: twinkit.aio.TwinMaker, tm: twinkit.TwinMaker
) -> None:
    interpolated = _query("s01", end=T0 + 3 * SECOND, interpolation=timedelta(seconds=1))
    points = await AsyncHistory(atm, interpolated).to_list()
    assert [p.time_ns for p in points] == [T0, T0 + SECOND, T0 + 2 * SECOND, T0 + 3 * SECOND]
    _assert_rows(_rows(points), _rows(list(History(tm, interpolated))))
    filtered = _query("s01", "s02", filters=[("s01", ">", 15.0)])
    got = [(p.property.property_name, p.value) async for p in AsyncHistory(atm, filtered)]
    assert {v for n, v in got if n == "s01"} == {
        v for _, v in WRITTEN[("mixer", "s01")] if v > 15.0
    }
    assert sum(n == "s02" for n, _ in got) == PER_SERIES


async def test_latest_values_of_more_than_ten_properties(
    atm: twinkit.aio.TwinMaker, tm: twinkit.TwinMaker
) -> None:
    names = [*NAMES, "s01"][1:]  # 12 names, s01 last too
    latest = await latest_values(atm, "factory", "mixer", "sensors", names)
    assert latest == blocking_latest_values(tm, "factory", "mixer", "sensors", names)
    assert latest["s02"] == _value(0, 2, PER_SERIES - 1)
    assert list(latest) == list(dict.fromkeys(names))
    with pytest.raises(ResourceNotFoundError):
        await latest_values(atm, "factory", "nobody", "sensors", ["s01"])


async def test_missing_extras_name_them_before_anything_is_fetched(
    atm: twinkit.aio.TwinMaker, tm: twinkit.TwinMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[int] = []
    atm.boto3_client.meta.events.register(
        "before-send.iottwinmaker.GetPropertyValueHistory", lambda **_: sent.append(1)
    )
    history = AsyncHistory(atm, _query("s01"))
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    with pytest.raises(ImportError, match=r"pip install 'twinkit\[tqdm\]'"):
        await history.to_dataframe(progress=True)
    monkeypatch.setitem(sys.modules, "pandas", None)
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(ImportError, match=r"pip install 'twinkit\[pandas\]'"):
        await history.to_dataframe()
    with pytest.raises(ImportError, match=r"pip install 'twinkit\[arrow\]'"):
        await history.to_arrow()
    assert sent == []


async def test_errors_are_typed_and_carry_the_token_of_the_failed_page(
    atm: twinkit.aio.TwinMaker, tm: twinkit.TwinMaker, emulator: Emulator
) -> None:
    nobody = AsyncHistory(atm, _query("s01", entity="nobody"))
    with pytest.raises(ResourceNotFoundError, match="nobody") as caught:
        await nobody.to_list()
    assert caught.value.operation == "GetPropertyValueHistory"
    assert caught.value.continuation_token is None  # type: ignore[attr-defined]
    pages = AsyncHistory(atm, _query("s01", page_size=10)).pages()
    first = await anext(pages)
    # Throttled more times than botocore's standard mode tries (3): the error surfaces.
    emulator.fail_next("ThrottlingException", operation="GetPropertyValueHistory", times=3)
    with pytest.raises(ThrottlingError) as throttled:
        await anext(pages)
    assert throttled.value.continuation_token == first.next_token  # type: ignore[attr-defined]


async def test_an_empty_window_gives_empty_frames_and_tables(
    atm: twinkit.aio.TwinMaker, tm: twinkit.TwinMaker
) -> None:
    history = AsyncHistory(
        atm, _query(*NAMES, entity=None, start=START - 10 * STEP, end=START - STEP)
    )
    assert await history.to_list() == []
    table = await history.to_arrow()
    assert table.num_rows == 0
    assert table.column_names == ["entity_id", "component", "property", "time", "value"]
    assert len(await history.to_dataframe()) == 0


EXAMPLES = itertools.count()
series_times = st.lists(st.integers(min_value=0, max_value=40), max_size=25, unique=True)


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    times=st.lists(series_times, min_size=1, max_size=12),
    page_size=st.integers(min_value=1, max_value=30),
    descending=st.booleans(),
)
async def test_any_listing_is_every_value_once_in_the_blocking_historys_order(
    atm: twinkit.aio.TwinMaker,
    emulator: Emulator,
    times: list[list[int]],
    page_size: int,
    descending: bool,
) -> None:
    # One emulator serves every example: each reads a workspace of its own.
    workspace_id = f"paging-{next(EXAMPLES)}"
    client: Any = emulator.client()
    tm = twinkit.TwinMaker(client=client)
    names = [f"p{n:02d}" for n in range(len(times))]
    ws = tm.workspaces.create(workspace_id)
    kind = ws.component_types.create(
        "com.example.s",
        properties={n: PropertyDefinition(DataTypes.DOUBLE, time_series=True) for n in names},
    )
    entity_id = "e1"
    ws.entities.create("e", entity_id=entity_id, components={"c": Component(kind)})
    entries = [
        {
            "entityPropertyReference": {
                "entityId": entity_id,
                "componentName": "c",
                "propertyName": name,
            },
            "propertyValues": [
                {"time": format_time(t), "value": {"doubleValue": float(t * 100 + s)}}
                for t in ts[first : first + 10]
            ],
        }
        for s, (name, ts) in enumerate(zip(names, times, strict=True))
        for first in range(0, len(ts), 10)
    ]
    for first in range(0, len(entries), 10):
        client.batch_put_property_values(
            workspaceId=workspace_id, entries=entries[first : first + 10]
        )
    query = HistoryQuery.build(
        workspace_id,
        names,
        start=0,
        end=40,
        order="DESCENDING" if descending else "ASCENDING",
        page_size=page_size,
        entity_id=entity_id,
        component_name="c",
    )
    got = [(p.time_ns, p.property.property_name, p.value) async for p in AsyncHistory(atm, query)]
    want = [
        (t, name, float(t * 100 + s))
        for s, (name, ts) in enumerate(zip(names, times, strict=True))
        for t in ts
    ]
    want.sort(key=lambda r: (-r[0] if descending else r[0], r[1]))
    assert got == want
    assert got == [(p.time_ns, p.property.property_name, p.value) for p in History(tm, query)]
