"""Batch writes through botocore's real stack and the emulator: nothing lost, nothing doubled.

Under injected throttling, server errors and per-entry failures, every value given is either
read back exactly (time to the nanosecond, value) or listed in the result as not written, never
both: the two sets partition the input.
"""

from __future__ import annotations

import pickle
import sys
from collections.abc import Iterator

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import twinkit
import twinkit.local
from tests._writes import Key, assert_partition, read_back
from twinkit import Component, DataTypes, PropertyDefinition
from twinkit.dataplane import FailedValue, WriteError, WriteResult
from twinkit.errors import ValidationError
from twinkit.local import Emulator, Faults
from twinkit.resources import Workspace
from twinkit.values import format_time

ROLE = "arn:aws:iam::123456789012:role/twinmaker"
SENSOR = "com.example.sensor"
T0 = 1_767_225_600_123_456_789  # 2026-01-01T00:00:00.123456789Z
PROPERTIES = [f"p{n}" for n in range(10)]
FAULTS = Faults(throttle_rate=0.2, error_rate=0.2, entry_failure_rate=0.2, seed=2026)

"""(entity, property, nanoseconds)."""


def _workspace(twin: Emulator, entities: int) -> Workspace:
    tm = twinkit.TwinMaker(client=twin.client())
    ws = tm.workspaces.create("factory", role=ROLE)
    definitions = {
        name: PropertyDefinition(DataTypes.DOUBLE, time_series=True) for name in PROPERTIES
    }
    definitions["count"] = PropertyDefinition(DataTypes.INTEGER, time_series=True)
    definitions["label"] = PropertyDefinition(DataTypes.STRING)
    sensor = ws.component_types.create(SENSOR, properties=definitions)
    for n in range(entities):
        ws.entities.create(f"pump-{n}", entity_id=f"pump-{n}", components={"s": Component(sensor)})
    return ws


@pytest.fixture
def twin() -> Iterator[Emulator]:
    with twinkit.local.emulator(transition_delay=0.0) as emulator:
        yield emulator


def test_100k_values_over_50_properties_under_20_percent_faults_partition_the_input(
    twin: Emulator,
) -> None:
    ws = _workspace(twin, entities=5)
    given: dict[Key, object] = {}
    values: dict[str, dict[str, dict[str, list[tuple[int, float]]]]] = {}
    for e in range(5):
        entity = values.setdefault(f"pump-{e}", {}).setdefault("s", {})
        for p, name in enumerate(PROPERTIES):
            series = [(T0 + k * 1_000_000_007 + p, e + p / 10 + k / 8) for k in range(2_000)]
            entity[name] = series
            given.update({(f"pump-{e}", name, t): v for t, v in series})
    assert len(given) == 100_000
    twin.faults = FAULTS
    result = ws.put_values(values)
    twin.faults = Faults()
    stored: dict[Key, object] = {}
    for e in range(5):
        stored.update(read_back(twin.client(), f"pump-{e}", PROPERTIES))
    assert_partition(given, result, stored)
    assert result.retried > 10_000  # the faults did bite
    # Some values failed 8 times running; most landed (an entity whose types could not be
    # read in 8 tries, 0.03% likely, fails its 20,000 values and still passes).
    assert 0 < len(result.failed) < len(given) // 4
    with pytest.raises(WriteError, match=r"values not written \(InternalServerException") as caught:
        result.raise_for_failures()
    assert pickle.loads(pickle.dumps(caught.value)).result == result  # results travel


points = st.lists(
    st.tuples(
        st.sampled_from(["pump-0", "pump-1"]),
        st.sampled_from([*PROPERTIES[:3], "count"]),
        st.integers(min_value=0, max_value=10**12),
        st.integers(min_value=-(2**31), max_value=2**31 - 1),
    ),
    max_size=200,
    unique_by=lambda p: (p[0], p[1], p[2]),
)


@settings(max_examples=10, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(points, st.integers(min_value=1, max_value=4), st.integers(min_value=1, max_value=12))
def test_any_write_under_faults_partitions_into_stored_and_reported(
    data: list[tuple[str, str, int, int]], attempts: int, concurrency: int
) -> None:
    with twinkit.local.emulator(transition_delay=0.0) as twin:
        ws = _workspace(twin, entities=2)
        values: dict[str, dict[str, dict[str, list[tuple[int, object]]]]] = {}
        given: dict[Key, object] = {}
        for entity, name, offset, number in data:
            value: object = number if name == "count" else number / 4
            values.setdefault(entity, {}).setdefault("s", {}).setdefault(name, []).append(
                (T0 + offset, value)
            )
            given[(entity, name, T0 + offset)] = value
        twin.faults = FAULTS
        result = ws.put_values(values, max_attempts=attempts, max_concurrency=concurrency)
        twin.faults = Faults()
        stored: dict[Key, object] = {}
        for entity in ("pump-0", "pump-1"):
            stored.update(read_back(twin.client(), entity, [*PROPERTIES[:3], "count"]))
        assert_partition(given, result, stored)
        if attempts == 1:
            assert result.retried == 0


def test_every_input_form_writes_the_same_values(twin: Emulator) -> None:
    ws = _workspace(twin, entities=4)
    times = np.array([T0 + k * 250_000_001 for k in range(25)], dtype="int64")
    numbers = np.arange(25, dtype="float64") / 4
    index = pd.DatetimeIndex(times.view("datetime64[ns]")).tz_localize("UTC")
    pairs = list(zip(times.tolist(), numbers.tolist(), strict=True))
    result = ws.put_values(
        {
            "pump-0": {"s": {"p0": pairs, "p1": dict(pairs)}},
            "pump-1": {"s": {"p0": pd.Series(numbers, index=index), "p1": (times, numbers)}},
            ws.entities("pump-2"): {"s": pd.DataFrame({"p0": numbers, "p1": numbers}, index)},
            "pump-3": {"s": {"p0": [(format_time(t), v) for t, v in pairs]}},
        }
    )
    assert result == WriteResult(written=175, failed=(), calls=3, retried=0)  # 21 entries
    expected = {format_time(t): v for t, v in pairs}
    for entity in ("pump-0", "pump-1", "pump-2", "pump-3"):
        stored = read_back(twin.client(), entity, ["p0", "p1"])
        for name in ("p0", "p1") if entity != "pump-3" else ("p0",):
            assert {format_time(t): v for (_, p, t), v in stored.items() if p == name} == expected


def test_entity_put_values_types_values_by_the_declared_type(twin: Emulator) -> None:
    ws = _workspace(twin, entities=1)
    pump = ws.entities.get("pump-0")
    result = pump.put_values("s", {"count": [(T0, 7), (T0 + 1, 8)], "p0": [(T0, 3)]})
    assert result.ok
    assert result.written == 3
    stored = read_back(twin.client(), "pump-0", ["count", "p0"])
    assert stored == {("pump-0", "count", T0): 7, ("pump-0", "count", T0 + 1): 8,
                      ("pump-0", "p0", T0): 3.0}  # fmt: skip
    raw = twin.client().get_property_value_history(
        workspaceId="factory",
        entityId="pump-0",
        componentName="s",
        selectedProperties=["count", "p0"],
        startTime=format_time(T0),
        endTime=format_time(T0),
    )
    members = {s["entityPropertyReference"]["propertyName"]: s["values"][0]["value"]
               for s in raw["propertyValues"]}  # fmt: skip
    assert members == {"count": {"integerValue": 7}, "p0": {"doubleValue": 3.0}}
    with pytest.raises(ValidationError) as caught:
        pump.put_values("s", {"count": [(T0, 2**40)]})
    assert caught.value.paths == ("entities['pump-0'].components['s'].properties['count'][0]",)


def test_values_the_service_refuses_are_reported_and_their_entry_mates_still_written(
    twin: Emulator,
) -> None:
    ws = _workspace(twin, entities=1)
    result = ws.put_values(
        {
            "pump-0": {"s": {"p0": [(T0 + k, float(k)) for k in range(5)], "nope": [(T0, 1.0)]}},
            "ghost": {"s": {"p0": [(T0, 1.0), (T0 + 1, 2.0)]}},
        }
    )
    assert result.written == 5
    codes = sorted((f.entity_id, f.property_name, f.error_code) for f in result.failed)
    assert codes == [
        ("ghost", "p0", "ResourceNotFoundException"),
        ("ghost", "p0", "ResourceNotFoundException"),
        ("pump-0", "nope", "ResourceNotFoundException"),
    ]
    ghost = next(f for f in result.failed if f.entity_id == "ghost")
    assert isinstance(ghost, FailedValue)
    assert (ghost.component, ghost.time_ns) in {("s", T0), ("s", T0 + 1)}
    assert len(read_back(twin.client(), "pump-0", ["p0"])) == 5


def test_the_writer_retries_its_calls_itself_while_other_calls_keep_botocores_retries(
    twin: Emulator,
) -> None:
    ws = _workspace(twin, entities=1)
    client = ws._tm.boto3_client
    sent: list[str] = []
    client.meta.events.register_first(
        "before-send.iottwinmaker.BatchPutPropertyValues", lambda **_: sent.append("call")
    )
    pump = ws.entities.get("pump-0")  # its declared types known: no look-up below
    twin.faults = Faults(throttle_rate=1.0)
    result = ws.put_values({pump: {"s": {"p0": [(T0, 1.0)]}}}, max_attempts=3)
    assert (len(sent), result.calls, result.retried, result.written) == (3, 3, 2, 0)
    assert [f.error_code for f in result.failed] == ["ThrottlingException"]
    assert result.failed[0].error_message.startswith("Rate exceeded")
    sent.clear()
    # When the declared types cannot be read, the values are reported, never sent untyped.
    result = ws.put_values({"pump-0": {"s": {"count": [(T0, 1)]}}}, max_attempts=2)
    assert (len(sent), result.calls, result.written) == (0, 0, 0)
    assert [(f.property_name, f.value, f.error_code) for f in result.failed] == [
        ("count", 1, "ThrottlingException")
    ]
    with pytest.raises(twinkit.errors.ThrottlingError):
        ws._tm.batch_put_property_values(
            workspace_id="factory",
            entries=[
                twinkit.models.PropertyValueEntry(
                    entity_property_reference=twinkit.models.EntityPropertyReference(
                        entity_id="pump-0", component_name="s", property_name="p0"
                    ),
                    property_values=[
                        twinkit.models.PropertyValue(
                            time=format_time(T0), value=twinkit.models.DataValue(double_value=1.0)
                        )
                    ],
                )
            ],
        )
    assert len(sent) == 3  # botocore's standard mode: 3 attempts, untouched by the writer


def test_the_streaming_writer_sends_while_values_arrive(twin: Emulator) -> None:
    ws = _workspace(twin, entities=2)
    sent: list[int] = []
    ws._tm.boto3_client.meta.events.register(
        "before-send.iottwinmaker.BatchPutPropertyValues", lambda **_: sent.append(1)
    )
    with ws.batch_writer(max_concurrency=2) as writer:
        for chunk in range(30):
            readings = [(T0 + chunk * 100 + k, float(k)) for k in range(100)]
            writer.put("pump-0", "s", {"p0": readings})
            writer.put(ws.entities("pump-1"), "s", {"p1": readings[:7]})
            if chunk == 20:
                assert sent  # calls went out before the block ended
        with pytest.raises(RuntimeError, match="still open"):
            writer.result  # noqa: B018 - the property raises
    assert writer.result == WriteResult(written=3_210, failed=(), calls=writer.result.calls,
                                        retried=0)  # fmt: skip
    assert writer.result.calls == len(sent) <= 34
    assert len(read_back(twin.client(), "pump-0", ["p0"])) == 3_000
    with pytest.raises(RuntimeError, match="closed"):
        writer.put("pump-0", "s", {"p0": [(T0, 1.0)]})
    with pytest.raises(ValidationError):
        ws.batch_writer().put("pump-0", "s", {"p0": [("yesterday", 1.0)]})


def test_progress_bar_counts_every_value(
    twin: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = _workspace(twin, entities=1)
    values = {"pump-0": {"s": {"p0": [(T0 + k, 1.0) for k in range(250)]}}}
    assert ws.put_values(values, progress=True).written == 250
    err = capsys.readouterr().err
    assert "writing" in err
    assert "250/250" in err
    assert ws.put_values(values).written == 250  # off by default outside a terminal
    assert capsys.readouterr().err == ""


def test_progress_without_tqdm_names_the_extra(
    twin: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = _workspace(twin, entities=1)
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    with pytest.raises(ImportError, match=r"pip install 'twinkit\[tqdm\]'"):
        ws.put_values({"pump-0": {"s": {"p0": [(T0, 1.0)]}}}, progress=True)


def test_arguments_are_checked(twin: Emulator) -> None:
    ws = _workspace(twin, entities=1)
    with pytest.raises(ValueError, match="max_concurrency must be at least 1, got 0"):
        ws.put_values({}, max_concurrency=0)
    with pytest.raises(ValueError, match="max_attempts must be at least 1, got 0"):
        ws.put_values({}, max_attempts=0)
    with pytest.raises(ValidationError) as caught:
        ws.put_values({"pump-0": [(T0, 1.0)]})  # type: ignore[dict-item]
    assert caught.value.paths == ("entities['pump-0']",)
    assert ws.put_values({}) == WriteResult(written=0, failed=(), calls=0, retried=0)
