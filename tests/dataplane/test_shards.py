"""Shards: windows partition the range, shards pickle, and a shard's read and write go through
botocore's real stack to the emulator, exactly (times to the nanosecond)."""

from __future__ import annotations

import itertools
import math
import pickle
from collections.abc import Iterator
from datetime import timedelta

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

import twinkit
import twinkit.local
from twinkit import Component, DataTypes, PropertyDefinition
from twinkit.dataplane import (
    LONG_COLUMNS,
    MAX_WINDOWS,
    ClientSpec,
    FailedValue,
    HistoryShard,
    WriteResult,
    WriteTarget,
    merge_results,
    plan_history,
    read_shard,
    read_shard_arrow,
    value_dtype,
    windows,
    write_partition,
)
from twinkit.errors import ValidationError
from twinkit.local import Emulator

ROLE = "arn:aws:iam::123456789012:role/twinmaker"
SENSOR = "com.example.sensor"
T0 = 1_767_225_600_123_456_789  # 2026-01-01T00:00:00.123456789Z
SECOND = 1_000_000_000
MAX_NS = 253_402_300_799_999_999_999  # 9999-12-31T23:59:59.999999999Z


# --- windows and planning: rules for all inputs ------------------------------------------------


@given(
    start=st.integers(0, MAX_NS),
    length=st.integers(0, 10**9),
    window=st.integers(2 * 10**4, 10**6),  # at most 50,001 windows
)
def test_windows_partition_the_range_with_no_gap_or_overlap(
    start: int, length: int, window: int
) -> None:
    end = min(start + length, MAX_NS)
    spans = windows(start, end, window)

    assert spans[0][0] == start
    assert spans[-1][1] == end
    for first, last in spans:
        assert first <= last
        assert last - first + 1 <= window
    for (_, last), (first, _) in itertools.pairwise(spans):
        assert first == last + 1  # the next window starts one nanosecond on: no gap, no overlap
    assert all(last - first + 1 == window for first, last in spans[:-1])


@given(
    start=st.integers(0, 10**15),
    length=st.integers(0, 10**12),
    window=st.integers(10**9, 10**12),
    names=st.lists(
        st.from_regex(r"[a-z][a-z0-9_]{0,7}", fullmatch=True), min_size=1, max_size=15, unique=True
    ),
    by_entity=st.booleans(),
    region=st.sampled_from([None, "us-east-1", "eu-west-1"]),
    profile=st.one_of(st.none(), st.from_regex(r"[a-z]{1,8}", fullmatch=True)),
)
def test_shards_pickle_round_trip_and_cover_the_range(
    start: int,
    length: int,
    window: int,
    names: list[str],
    by_entity: bool,
    region: str | None,
    profile: str | None,
) -> None:
    spec = ClientSpec(
        twinkit.TwinMaker,
        endpoint_url="http://127.0.0.1:9",
        region_name=region,
        profile_name=profile,
    )
    where = (
        {"entities": [("pump-1", "s"), ("pump-2", "parent/child")]}
        if by_entity
        else {"component_type": SENSOR}
    )
    shards = plan_history(
        spec, "factory", names, start=start, end=start + length, window=window, **where
    )

    assert pickle.loads(pickle.dumps(shards)) == shards
    per_window = 2 if by_entity else 1
    assert len(shards) == per_window * len(windows(start, start + length, window))
    for shard in shards:
        assert shard.query.properties == tuple(names)
        assert shard.client == spec
    spans = sorted({(s.query.start_ns, s.query.end_ns) for s in shards})
    assert spans == windows(start, start + length, window)
    if by_entity:
        composite = [s.query for s in shards if s.query.entity_id == "pump-2"]
        assert all(q.component_path == "parent/child" for q in composite)
        assert all(q.component_name is None for q in composite)


def test_a_window_that_is_not_positive_is_named() -> None:
    with pytest.raises(ValidationError, match=r"window: expected a positive timedelta"):
        windows(0, 10, timedelta(0))
    with pytest.raises(ValidationError, match=r"window: expected a positive"):
        windows(0, 10, True)
    with pytest.raises(ValidationError, match=r"end: .* is before start"):
        windows(10, 0, 1)
    with pytest.raises(ValidationError, match=r"window: 1 cuts the range into 100001 windows"):
        windows(0, MAX_WINDOWS, 1)
    assert len(windows(0, MAX_WINDOWS - 1, 1)) == MAX_WINDOWS


def test_planning_names_bad_arguments() -> None:
    spec = ClientSpec(twinkit.TwinMaker)
    with pytest.raises(ValidationError, match="exactly one of component_type and entities"):
        plan_history(spec, "ws", ["a"], start=0, end=10, window=5)
    with pytest.raises(ValidationError, match="exactly one of component_type and entities"):
        plan_history(spec, "ws", ["a"], start=0, end=10, window=5, component_type="t", entities=[])
    with pytest.raises(ValidationError, match=r"entities\[1\]: expected \(entity_id, component\)"):
        plan_history(
            spec,
            "ws",
            ["a"],
            start=0,
            end=10,
            window=5,
            entities=[("e", "c"), "e2"],  # type: ignore[list-item]
        )
    with pytest.raises(ValidationError, match="properties: expected a property"):
        plan_history(spec, "ws", [], start=0, end=10, window=5, component_type="t")


def test_value_dtype_is_one_dtype_for_all_properties() -> None:
    assert value_dtype(["DOUBLE", "DOUBLE"]) == "float64"
    assert value_dtype(["INTEGER", "LONG"]) == "int64"
    assert value_dtype(["BOOLEAN"]) == "bool"
    assert value_dtype(["DOUBLE", "INTEGER"]) == "object"
    assert value_dtype(["STRING"]) == "object"


def test_a_client_spec_pickles_no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDSHOULDNOTTRAVEL")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret-should-not-travel")
    tm = twinkit.TwinMaker(endpoint_url="http://127.0.0.1:9", region_name="eu-west-1")

    spec = ClientSpec.of(tm, profile_name="prod")
    data = pickle.dumps(spec)

    assert b"SHOULDNOTTRAVEL" not in data
    assert b"secret-should-not-travel" not in data
    assert pickle.loads(data) == spec
    assert spec.endpoint_url == "http://127.0.0.1:9"
    assert spec.region_name == "eu-west-1"
    assert spec.profile_name == "prod"
    assert spec.inject_host_prefix is False  # a local server has no `data.` host name


# --- reading and writing against the emulator -------------------------------------------------


@pytest.fixture
def twin() -> Iterator[Emulator]:
    with twinkit.local.emulator(transition_delay=0.0) as emulator:
        yield emulator


@pytest.fixture
def tm(twin: Emulator) -> twinkit.TwinMaker:
    tm = twinkit.TwinMaker(client=twin.client())
    ws = tm.workspaces.create("factory", role=ROLE)
    sensor = ws.component_types.create(
        SENSOR,
        properties={
            "temp": PropertyDefinition(DataTypes.DOUBLE, time_series=True),
            "rpm": PropertyDefinition(DataTypes.DOUBLE, time_series=True),
        },
    )
    for n in range(2):
        ws.entities.create(f"pump-{n}", entity_id=f"pump-{n}", components={"s": Component(sensor)})
    return tm


def _long(rows: list[tuple[str, str, str, int, float]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(LONG_COLUMNS))
    frame["time"] = pd.to_datetime(frame["time"], utc=True)  # int ns: exact
    return frame


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.astype({"entity_id": object, "component": object, "property": object})
    order = ["time", "entity_id", "component", "property"]
    return frame.sort_values(order, kind="stable").reset_index(drop=True)


def test_shards_write_and_read_back_exactly_across_window_boundaries(
    tm: twinkit.TwinMaker,
) -> None:
    # Values one nanosecond either side of each window boundary, and on it.
    window = 10 * SECOND
    instants = [T0 + k * window + d for k in range(1, 4) for d in (-1, 0, 1)] + [T0]
    rows = [
        (f"pump-{n}", "s", name, ns, float(ns % 1000) + n + (0.5 if name == "rpm" else 0.0))
        for n in range(2)
        for name in ("temp", "rpm")
        for ns in instants
    ]
    frame = _long(rows)
    target = WriteTarget(lambda: tm, "factory")

    result = write_partition(target, frame)

    assert (result.written, result.failed) == (len(rows), ())
    end = T0 + 3 * window + 1
    spec = lambda: tm  # noqa: E731 - any factory
    by_type = plan_history(
        spec, "factory", ["temp", "rpm"], start=T0, end=end, window=window,
        component_type=SENSOR, dtype="float64",
    )  # fmt: skip
    by_entity = plan_history(
        spec, "factory", ["temp", "rpm"], start=T0, end=end, window=window,
        entities=[("pump-0", "s"), ("pump-1", "s")], dtype="float64",
    )  # fmt: skip
    for shards in (by_type, by_entity):
        parts = [read_shard(shard) for shard in shards]
        assert all(list(p.columns) == list(LONG_COLUMNS) for p in parts)
        assert all(str(p["value"].dtype) == "float64" for p in parts)
        read = pd.concat(parts, ignore_index=True)
        pd.testing.assert_frame_equal(_sorted(read), _sorted(frame))
    table = pa.concat_tables(read_shard_arrow(shard) for shard in by_type)
    assert table.num_rows == len(rows)
    assert sorted(table.column("time").cast(pa.int64()).to_pylist()) == sorted(r[3] for r in rows)


def test_a_shard_that_holds_no_values_reads_an_empty_frame_of_the_same_schema(
    tm: twinkit.TwinMaker,
) -> None:
    shard = HistoryShard(
        plan_history(
            lambda: tm, "factory", ["temp"], start=T0, end=T0 + SECOND, window=SECOND,
            component_type=SENSOR,
        )[0].query,
        lambda: tm,
        "float64",
    )  # fmt: skip

    frame = read_shard(shard)

    assert list(frame.columns) == list(LONG_COLUMNS)
    assert len(frame) == 0
    assert str(frame["value"].dtype) == "float64"
    assert str(frame["time"].dtype) == "datetime64[ns, UTC]"
    table = read_shard_arrow(shard)
    assert table.num_rows == 0
    assert table.column_names == list(LONG_COLUMNS)
    assert table.schema.field("time").type == pa.timestamp("ns", "UTC")
    assert table.schema.field("value").type == pa.float64()


def test_a_partition_with_a_bad_group_lists_that_group_as_failed_and_writes_the_rest(
    tm: twinkit.TwinMaker,
) -> None:
    good = _long([("pump-0", "s", "temp", T0 + k, float(k)) for k in range(25)])
    bad = pd.DataFrame(
        {
            "entity_id": ["pump-1"] * 2,
            "component": ["s"] * 2,
            "property": ["temp", "rpm"],
            "time": pd.to_datetime([T0, T0 + 1], utc=True),
            "value": ["hot", 1.0],  # a string for a DOUBLE: the writer refuses the component
        }
    )
    mixed = pd.concat([bad, good.astype({"value": object})], ignore_index=True)

    result = write_partition(WriteTarget(lambda: tm, "factory"), mixed)

    assert result.written == 25
    assert {(f.entity_id, f.property_name, f.time_ns, f.value) for f in result.failed} == {
        ("pump-1", "temp", T0, "hot"),
        ("pump-1", "rpm", T0 + 1, 1.0),
    }
    assert {f.error_code for f in result.failed} == {"ValidationError"}
    assert all("expected a float" in f.error_message for f in result.failed)
    read = tm.workspaces("factory").entities("pump-0").history("s", "temp", start=T0, end=T0 + 99)
    assert [(p.time_ns, p.value) for p in read] == [(T0 + k, float(k)) for k in range(25)]
    assert (
        list(tm.workspaces("factory").entities("pump-1").history("s", start=T0, end=T0 + 9)) == []
    )


def test_a_partition_may_be_an_arrow_table_with_int_nanosecond_times(tm: twinkit.TwinMaker) -> None:
    table = pa.table(
        {
            "entity_id": ["pump-0", "pump-0", "pump-1"],
            "component": ["s", "s", "s"],
            "property": ["rpm", "rpm", "temp"],
            "time": pa.array([T0, T0 + 1, T0 + 2], type=pa.int64()),
            "value": [1.5, float("nan"), float("-inf")],
        }
    )

    result = write_partition(WriteTarget(lambda: tm, "factory"), table)

    assert (result.written, result.failed) == (3, ())
    shards = plan_history(
        lambda: tm, "factory", ["rpm", "temp"], start=T0, end=T0 + 9, window=5,
        component_type=SENSOR,
    )  # fmt: skip
    read = pa.concat_tables(read_shard_arrow(shard) for shard in shards)
    assert read.column("time").cast(pa.int64()).to_pylist() == [T0, T0 + 1, T0 + 2]
    first, nan, minus_inf = read.column("value").to_pylist()
    assert first == 1.5
    assert math.isnan(nan)
    assert minus_inf == float("-inf")


def test_a_partition_without_the_long_columns_is_refused_before_any_write(
    tm: twinkit.TwinMaker,
) -> None:
    frame = pd.DataFrame({"entity_id": ["pump-0"], "time": [T0], "value": [1.0]})
    with pytest.raises(ValidationError, match=r"partition: .*missing \['component', 'property'\]"):
        write_partition(WriteTarget(lambda: tm, "factory"), frame)


def test_merged_results_add_up() -> None:
    failed = FailedValue(
        entity_id="e",
        component="c",
        property_name="p",
        time="2026-01-01T00:00:00.000000000Z",
        time_ns=T0,
        value=1.0,
        error_code="ThrottlingException",
        error_message="slow down",
    )
    merged = merge_results(
        [
            WriteResult(written=3, failed=(), calls=1, retried=0),
            WriteResult(written=4, failed=(failed,), calls=2, retried=5),
        ]
    )
    assert merged == WriteResult(written=7, failed=(failed,), calls=3, retried=5)
    assert merge_results([]) == WriteResult(written=0, failed=(), calls=0, retried=0)
