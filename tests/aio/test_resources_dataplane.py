"""The async handles' data-plane methods, one round trip each on both transports: they hand
their arguments to `twinkit.aio.dataplane` (whose own tests cover the engine)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

import twinkit.aio
from twinkit import Component, DataTypes, PropertyDefinition, errors
from twinkit.aio.resources import Entity, Workspace

T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)
SECOND = timedelta(seconds=1)


@pytest.fixture
def twinmaker_emulator_options() -> dict[str, Any]:
    return {"transition_delay": 0.0}


@pytest.fixture
async def ws(atm: twinkit.aio.TwinMaker) -> Workspace:
    ws = await atm.workspaces.create("factory")
    await ws.component_types.create(
        "com.example.pump",
        properties={
            "rpm": PropertyDefinition(DataTypes.DOUBLE, time_series=True),
            "temperature": PropertyDefinition(DataTypes.DOUBLE, time_series=True),
            "model": PropertyDefinition(DataTypes.STRING, default="P-100"),
        },
    )
    return ws


@pytest.fixture
async def pump(ws: Workspace) -> Entity:
    components = {"pump": Component("com.example.pump")}
    return await ws.entities.create("Pump 1", entity_id="pump-1", components=components)


async def test_entity_put_values_history_and_latest(pump: Entity) -> None:
    readings = {"rpm": [(T0, 1500.0), (T0 + SECOND, 1510.0)], "temperature": {T0: 20.5}}
    result = await pump.put_values("pump", readings, max_attempts=2)
    assert (result.written, result.failed) == (3, ())

    # No property named: the component's time-series ones, read from the entity fetched first.
    history = await pump.history("pump", start=T0, end=T0 + 10 * SECOND)
    points = sorted((p.property.property_name, p.time, p.value) for p in await history.to_list())
    assert points == [
        ("rpm", T0, 1500.0),
        ("rpm", T0 + SECOND, 1510.0),
        ("temperature", T0, 20.5),
    ]
    only_rpm = await pump.history("pump", "rpm", start=T0, end=T0, order="DESCENDING")
    assert [p.value async for p in only_rpm] == [1500.0]
    assert await pump.latest("pump", "rpm", "temperature") == {"rpm": 1510.0, "temperature": 20.5}


async def test_workspace_put_values_batch_writer_and_history(ws: Workspace, pump: Entity) -> None:
    other = await ws.entities.create(
        "Pump 2", entity_id="pump-2", components={"pump": Component("com.example.pump")}
    )
    result = await ws.put_values({pump: {"pump": {"rpm": [(T0, 1.0)]}}, "pump-2": {}})
    assert (result.written, result.failed) == (1, ())
    async with ws.batch_writer(max_concurrency=2) as writer:
        await writer.put(other, "pump", {"rpm": [(T0, 2.0)], "temperature": [(T0, 30.0)]})
    assert writer.result.written == 2

    history = await ws.history(component_type="com.example.pump", start=T0, end=T0)
    points = sorted(
        (p.property.entity_id, p.property.property_name, p.value) for p in await history.to_list()
    )
    assert points == [
        ("pump-1", "rpm", 1.0),
        ("pump-2", "rpm", 2.0),
        ("pump-2", "temperature", 30.0),
    ]


async def test_bad_history_arguments_fail_before_any_call(pump: Entity) -> None:
    with pytest.raises(errors.ValidationError, match="order"):
        await pump.history("pump", "rpm", start=T0, end=T0, order="SIDEWAYS")
