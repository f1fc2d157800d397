"""Async batch writes through aiobotocore's real stack and the emulator, on both transports:
nothing lost, nothing doubled.

The async twin of tests/dataplane/test_batch_write.py. Under injected throttling, server
errors and per-entry failures, every value given is either read back exactly (time to the
nanosecond, value) or listed in the result as not written, never both. The twins are set up
and read back with plain boto3 on the same emulator, so only the writes go through the
async client.
"""

from __future__ import annotations

import asyncio
import itertools
import sys
from typing import Any

import numpy as np
import pandas as pd
import pytest
from aiobotocore.session import AioSession
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import twinkit
import twinkit.aio
from tests._writes import Key, assert_partition, read_back
from twinkit import Component, DataTypes, PropertyDefinition
from twinkit.aio.dataplane import AsyncBatchWriter, put_values
from twinkit.dataplane import FailedValue, WriteError, WriteResult
from twinkit.errors import ThrottlingError, ValidationError
from twinkit.local import Emulator, Faults, ServerHandle
from twinkit.values import format_time

ROLE = "arn:aws:iam::123456789012:role/twinmaker"
SENSOR = "com.example.sensor"
T0 = 1_767_225_600_123_456_789  # 2026-01-01T00:00:00.123456789Z
PROPERTIES = [f"p{n}" for n in range(10)]
FAULTS = Faults(throttle_rate=0.2, error_rate=0.2, entry_failure_rate=0.2, seed=2026)

EXAMPLES = itertools.count()
"""(entity, property, nanoseconds)."""


@pytest.fixture
def twinmaker_emulator_options() -> dict[str, Any]:
    return {"transition_delay": 0.0}


def _workspace(twin: Emulator, entities: int, workspace_id: str = "factory") -> None:
    ws = twinkit.TwinMaker(client=twin.client()).workspaces.create(workspace_id, role=ROLE)
    definitions = {
        name: PropertyDefinition(DataTypes.DOUBLE, time_series=True) for name in PROPERTIES
    }
    definitions["count"] = PropertyDefinition(DataTypes.INTEGER, time_series=True)
    sensor = ws.component_types.create(SENSOR, properties=definitions)
    for n in range(entities):
        ws.entities.create(f"pump-{n}", entity_id=f"pump-{n}", components={"s": Component(sensor)})


def _count_sends(
    atm: twinkit.aio.TwinMaker, operation: str = "BatchPutPropertyValues"
) -> list[int]:
    """A list that grows by one for every request of `operation` sent (retries included)."""
    sent: list[int] = []
    atm.boto3_client.meta.events.register_first(
        f"before-send.iottwinmaker.{operation}", lambda **_: sent.append(1)
    )
    return sent


async def test_10k_values_under_20_percent_faults_partition_the_input(
    atm: twinkit.aio.TwinMaker, emulator: Emulator
) -> None:
    _workspace(emulator, entities=5)
    # Fetched handles: their declared types are known, so no look-up can fail and take an
    # entity's 2,000 values with it (the property test below covers look-ups under faults).
    entities = twinkit.TwinMaker(client=emulator.client()).workspaces("factory").entities
    given: dict[Key, object] = {}
    values: dict[object, dict[str, dict[str, list[tuple[int, float]]]]] = {}
    for e in range(5):
        entity = values.setdefault(entities.get(f"pump-{e}"), {}).setdefault("s", {})
        for p, name in enumerate(PROPERTIES):
            series = [(T0 + k * 1_000_000_007 + p, e + p / 10 + k / 8) for k in range(200)]
            entity[name] = series
            given.update({(f"pump-{e}", name, t): v for t, v in series})
    assert len(given) == 10_000
    emulator.faults = FAULTS
    # 3 tries, not 8: values fail together by the call (100 at a time), and some of the
    # ~100 calls' worth must fail 3 times running (49% a try) for the report to be tested.
    result = await put_values(atm, "factory", values, max_attempts=3)
    emulator.faults = Faults()
    stored: dict[Key, object] = {}
    for e in range(5):
        stored.update(read_back(emulator.client(), f"pump-{e}", PROPERTIES))
    assert_partition(given, result, stored)
    assert result.retried > 1_000  # the faults did bite
    assert 0 < len(result.failed) < len(given) // 4  # some failed 3 times running
    with pytest.raises(WriteError, match=r"values not written \(InternalServerException"):
        result.raise_for_failures()


points = st.lists(
    st.tuples(
        st.sampled_from(["pump-0", "pump-1"]),
        st.sampled_from([*PROPERTIES[:3], "count"]),
        st.integers(min_value=0, max_value=10**12),
        st.integers(min_value=-(2**31), max_value=2**31 - 1),
    ),
    max_size=150,
    unique_by=lambda p: (p[0], p[1], p[2]),
)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=points, attempts=st.integers(1, 4), concurrency=st.integers(1, 12))
async def test_any_write_under_faults_partitions_into_stored_and_reported(
    atm: twinkit.aio.TwinMaker,
    emulator: Emulator,
    data: list[tuple[str, str, int, int]],
    attempts: int,
    concurrency: int,
) -> None:
    # One emulator serves every example: each writes to a workspace of its own.
    workspace_id = f"example-{next(EXAMPLES)}"
    _workspace(emulator, entities=2, workspace_id=workspace_id)
    values: dict[str, dict[str, dict[str, list[tuple[int, object]]]]] = {}
    given: dict[Key, object] = {}
    for entity, name, offset, number in data:
        value: object = number if name == "count" else number / 4
        values.setdefault(entity, {}).setdefault("s", {}).setdefault(name, []).append(
            (T0 + offset, value)
        )
        given[(entity, name, T0 + offset)] = value
    emulator.faults = FAULTS
    try:
        result = await put_values(
            atm, workspace_id, values, max_attempts=attempts, max_concurrency=concurrency
        )
    finally:
        emulator.faults = Faults()
    stored: dict[Key, object] = {}
    for entity in ("pump-0", "pump-1"):
        stored.update(
            read_back(emulator.client(), entity, [*PROPERTIES[:3], "count"], workspace_id)
        )
    assert_partition(given, result, stored)
    if attempts == 1:
        assert result.retried == 0


async def test_every_input_form_writes_the_same_values(
    atm: twinkit.aio.TwinMaker, emulator: Emulator
) -> None:
    _workspace(emulator, entities=4)
    times = np.array([T0 + k * 250_000_001 for k in range(25)], dtype="int64")
    numbers = np.arange(25, dtype="float64") / 4
    index = pd.DatetimeIndex(times.view("datetime64[ns]")).tz_localize("UTC")
    pairs = list(zip(times.tolist(), numbers.tolist(), strict=True))
    result = await put_values(
        atm,
        "factory",
        {
            "pump-0": {"s": {"p0": pairs, "p1": dict(pairs)}},
            "pump-1": {"s": {"p0": pd.Series(numbers, index=index), "p1": (times, numbers)}},
            "pump-2": {"s": pd.DataFrame({"p0": numbers, "p1": numbers}, index)},
            "pump-3": {"s": {"p0": [(format_time(t), v) for t, v in pairs]}},
        },
    )
    assert result == WriteResult(written=175, failed=(), calls=3, retried=0)  # 21 entries
    expected = {format_time(t): v for t, v in pairs}
    for entity in ("pump-0", "pump-1", "pump-2", "pump-3"):
        stored = read_back(emulator.client(), entity, ["p0", "p1"])
        for name in ("p0", "p1") if entity != "pump-3" else ("p0",):
            assert {format_time(t): v for (_, p, t), v in stored.items() if p == name} == expected


async def test_values_are_typed_by_the_declared_type_and_checked_before_sending(
    atm: twinkit.aio.TwinMaker, emulator: Emulator
) -> None:
    _workspace(emulator, entities=1)
    values = {"pump-0": {"s": {"count": [(T0, 7), (T0 + 1, 8)], "p0": [(T0, 3)]}}}
    result = await put_values(atm, "factory", values)
    assert (result.ok, result.written) == (True, 3)
    raw = emulator.client().get_property_value_history(
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
    sent = _count_sends(atm)
    bad = {
        "pump-0": {"s": {"count": [(T0, 2**40)], "p0": [(T0, 1.0), ("yesterday", 2.0)]}},
        "pump-1": [(T0, 1.0)],
    }
    with pytest.raises(ValidationError) as caught:
        await put_values(atm, "factory", bad)
    assert caught.value.paths == (
        "entities['pump-0'].components['s'].properties['count'][0]",
        "entities['pump-0'].components['s'].properties['p0'][1]",
        "entities['pump-1']",
    )
    assert sent == []  # nothing of it was sent


async def test_values_the_service_refuses_are_reported_and_their_entry_mates_still_written(
    atm: twinkit.aio.TwinMaker, emulator: Emulator
) -> None:
    _workspace(emulator, entities=1)
    result = await put_values(
        atm,
        "factory",
        {
            "pump-0": {"s": {"p0": [(T0 + k, float(k)) for k in range(5)], "nope": [(T0, 1.0)]}},
            "ghost": {"s": {"p0": [(T0, 1.0), (T0 + 1, 2.0)]}},
        },
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
    assert len(read_back(emulator.client(), "pump-0", ["p0"])) == 5


async def test_the_writer_retries_its_calls_itself_while_other_calls_keep_botocores_retries(
    atm: twinkit.aio.TwinMaker, emulator: Emulator
) -> None:
    _workspace(emulator, entities=1)
    pump = twinkit.TwinMaker(client=emulator.client()).workspaces("factory").entities.get("pump-0")
    sent = _count_sends(atm)
    emulator.faults = Faults(throttle_rate=1.0)
    # A fetched handle's declared types are known: no look-up.
    result = await put_values(atm, "factory", {pump: {"s": {"p0": [(T0, 1.0)]}}}, max_attempts=3)
    assert (len(sent), result.calls, result.retried, result.written) == (3, 3, 2, 0)
    assert [f.error_code for f in result.failed] == ["ThrottlingException"]
    assert result.failed[0].error_message.startswith("Rate exceeded")
    sent.clear()
    # When the declared types cannot be read, the values are reported, never sent untyped.
    looked_up = _count_sends(atm, "GetEntity")
    result = await put_values(
        atm, "factory", {"pump-0": {"s": {"count": [(T0, 1)]}}}, max_attempts=2
    )
    assert (len(sent), len(looked_up), result.calls, result.written) == (0, 2, 0, 0)
    assert [(f.property_name, f.value, f.error_code) for f in result.failed] == [
        ("count", 1, "ThrottlingException")
    ]
    looked_up.clear()
    with pytest.raises(ThrottlingError):
        await atm.get_entity(workspace_id="factory", entity_id="pump-0")
    assert len(looked_up) == 3  # botocore's standard mode: 3 attempts, untouched by the writer


async def test_calls_in_flight_never_exceed_max_concurrency_and_reach_it(
    atm: twinkit.aio.TwinMaker, emulator: Emulator
) -> None:
    _workspace(emulator, entities=1)
    events = atm.boto3_client.meta.events
    flying = [0, 0]  # now, most

    def sent(**_: Any) -> None:
        flying[0] += 1
        flying[1] = max(flying)

    def answered(**_: Any) -> None:
        flying[0] -= 1

    events.register_first("before-send.iottwinmaker.BatchPutPropertyValues", sent)
    events.register_first("needs-retry.iottwinmaker.BatchPutPropertyValues", answered)
    emulator.faults = Faults(latency_ms=20)  # calls overlap only if they are concurrent
    values = {"pump-0": {"s": {name: [(T0 + k, 1.0) for k in range(200)] for name in PROPERTIES}}}
    result = await put_values(atm, "factory", values, max_concurrency=4)
    assert (result.written, result.calls) == (2_000, 20)
    assert flying == [0, 4]


async def test_the_streaming_writer_sends_while_values_arrive(
    atm: twinkit.aio.TwinMaker, emulator: Emulator
) -> None:
    _workspace(emulator, entities=2)
    sent = _count_sends(atm)
    async with AsyncBatchWriter(atm, "factory", max_concurrency=2) as writer:
        for chunk in range(30):
            readings = [(T0 + chunk * 100 + k, float(k)) for k in range(100)]
            await writer.put("pump-0", "s", {"p0": readings})
            await writer.put("pump-1", "s", {"p1": readings[:7]})
            if chunk == 20:
                assert sent  # calls went out before the block ended
        with pytest.raises(RuntimeError, match="still open"):
            writer.result  # noqa: B018 - the property raises
    assert writer.result == WriteResult(written=3_210, failed=(), calls=writer.result.calls,
                                        retried=0)  # fmt: skip
    assert writer.result.calls == len(sent) <= 34
    assert await writer.close() is writer.result  # idempotent
    assert len(read_back(emulator.client(), "pump-0", ["p0"])) == 3_000
    with pytest.raises(RuntimeError, match="closed"):
        await writer.put("pump-0", "s", {"p0": [(T0, 1.0)]})
    other = AsyncBatchWriter(atm, "factory")
    with pytest.raises(ValidationError):
        await other.put("pump-0", "s", {"p0": [("yesterday", 1.0)]})
    assert await other.close() == WriteResult(written=0, failed=(), calls=0, retried=0)


async def test_a_writer_opens_a_client_that_was_not_entered(
    emulator: Emulator, twinmaker_server: ServerHandle
) -> None:
    # Over HTTP only: an in-process aiobotocore client is handed out already entered.
    _workspace(emulator, entities=1)
    session = AioSession()
    session.set_credentials(*emulator.credentials())
    tm = twinkit.aio.TwinMaker(
        session=session, region_name="us-east-1", endpoint_url=twinmaker_server.url
    )
    try:
        writer = AsyncBatchWriter(tm, "factory")  # no call, no client yet
        await writer.put("pump-0", "s", {"p0": [(T0, 1.0)]})
        assert (await writer.close()).written == 1
    finally:
        await tm.close()
    assert read_back(emulator.client(), "pump-0", ["p0"]) == {("pump-0", "p0", T0): 1.0}


async def test_progress_bar_counts_every_value(
    atm: twinkit.aio.TwinMaker, emulator: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    _workspace(emulator, entities=1)
    values = {"pump-0": {"s": {"p0": [(T0 + k, 1.0) for k in range(250)]}}}
    assert (await put_values(atm, "factory", values, progress=True)).written == 250
    err = capsys.readouterr().err
    assert "writing" in err
    assert "250/250" in err
    assert (await put_values(atm, "factory", values)).written == 250  # off outside a terminal
    assert capsys.readouterr().err == ""


async def test_progress_without_tqdm_names_the_extra(
    atm: twinkit.aio.TwinMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    with pytest.raises(ImportError, match=r"pip install 'twinkit\[tqdm\]'"):
        await put_values(atm, "factory", {}, progress=True)
    with pytest.raises(ImportError, match=r"pip install 'twinkit\[tqdm\]'"):
        AsyncBatchWriter(atm, "factory", progress=True)


async def test_arguments_are_checked(atm: twinkit.aio.TwinMaker, emulator: Emulator) -> None:
    _workspace(emulator, entities=1)
    with pytest.raises(ValueError, match="max_concurrency must be at least 1, got 0"):
        await put_values(atm, "factory", {}, max_concurrency=0)
    with pytest.raises(ValueError, match="max_attempts must be at least 1, got 0"):
        await put_values(atm, "factory", {}, max_attempts=0)
    with pytest.raises(ValueError, match="max_attempts must be at least 1, got 0"):
        AsyncBatchWriter(atm, "factory", max_attempts=0)
    with pytest.raises(ValidationError) as caught:
        await put_values(atm, "factory", [("pump-0", 1.0)])
    assert caught.value.paths == ("entities",)
    assert await put_values(atm, "factory", {}) == WriteResult(
        written=0, failed=(), calls=0, retried=0
    )


async def test_a_cancelled_write_cancels_its_calls_in_flight(
    atm: twinkit.aio.TwinMaker, emulator: Emulator
) -> None:
    _workspace(emulator, entities=1)
    sent = _count_sends(atm)
    emulator.faults = Faults(latency_ms=300)
    values = {"pump-0": {"s": {name: [(T0 + k, 1.0) for k in range(100)] for name in PROPERTIES}}}
    write = asyncio.create_task(put_values(atm, "factory", values, max_concurrency=3))
    while len(sent) < 3:  # after the look-up of declared types, 3 calls in flight
        await asyncio.sleep(0.01)
    write.cancel()
    with pytest.raises(asyncio.CancelledError):
        await write
    assert asyncio.all_tasks() == {asyncio.current_task()}  # no call left running
    assert len(sent) == 3


async def test_a_streaming_writer_cancelled_in_its_block_stops_its_calls(
    atm: twinkit.aio.TwinMaker, emulator: Emulator
) -> None:
    _workspace(emulator, entities=1)
    sent = _count_sends(atm)
    emulator.faults = Faults(latency_ms=300)
    writer = AsyncBatchWriter(atm, "factory", max_concurrency=2)
    entered = asyncio.Event()

    async def stream() -> None:
        async with writer:
            for chunk in range(10):
                readings = [(T0 + chunk * 1_000 + k, 1.0) for k in range(100)]
                await writer.put("pump-0", "s", dict.fromkeys(PROPERTIES, readings))
                entered.set()
            await asyncio.sleep(10)  # cancelled before

    task = asyncio.create_task(stream())
    await entered.wait()
    while len(sent) < 2:
        await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert asyncio.all_tasks() == {asyncio.current_task()}  # no call left running
    with pytest.raises(RuntimeError, match="cancelled"):
        writer.result  # noqa: B018 - the property raises
    with pytest.raises(RuntimeError, match="closed"):
        await writer.put("pump-0", "s", {"p0": [(T0, 1.0)]})
