"""Async frames read as concurrent listings (time windows x groups of properties) are the
frames read in one listing, and the blocking client's, on both transports."""

from __future__ import annotations

import pandas as pd
import pytest

import twinkit
import twinkit.aio
from twinkit import Component, DataTypes, PropertyDefinition
from twinkit.aio.dataplane import AsyncHistory
from twinkit.dataplane import HistoryQuery
from twinkit.local import Emulator

T0 = 1_767_225_600_123_456_789
NAMES = [f"s{n:02d}" for n in range(12)]  # two groups of properties
END = T0 + 4_000_000_000


@pytest.fixture
def twin(emulator: Emulator) -> twinkit.TwinMaker:
    tm = twinkit.TwinMaker(client=emulator.client())
    ws = tm.workspaces.create("factory")
    sensors = ws.component_types.create(
        "com.example.sensors",
        properties={n: PropertyDefinition(DataTypes.DOUBLE, time_series=True) for n in NAMES},
    )
    for e, entity in enumerate(["mixer", "oven"]):
        made = ws.entities.create(entity, entity_id=entity, components={"s": Component(sensors)})
        values = {  # a burst early, sparse values later, one series empty
            name: [(T0 + k * k * 1_000_003 + s, e * 100 + s + k / 4) for k in range(41 - s)]
            for s, name in enumerate(NAMES[:-1])
        }
        assert made.put_values("s", values).ok
    return tm


@pytest.mark.parametrize("order", ["ASCENDING", "DESCENDING"])
async def test_a_frame_read_concurrently_is_the_one_read_in_a_row(
    atm: twinkit.aio.TwinMaker, twin: twinkit.TwinMaker, order: str
) -> None:
    query = HistoryQuery.build(
        "factory", NAMES, start=T0, end=END, order=order, page_size=9,
        entity_id="mixer", component_name="s",
    )  # fmt: skip
    history = AsyncHistory(atm, query)
    one = await history.to_dataframe(max_concurrency=1)
    assert len(one) > 30
    for concurrency in (3, 24, None):
        pd.testing.assert_frame_equal(one, await history.to_dataframe(max_concurrency=concurrency))
    blocking = (
        twin.workspaces("factory")
        .entities("mixer")
        .history("s", *NAMES, start=T0, end=END, order=order, page_size=9)
    )
    pd.testing.assert_frame_equal(one, blocking.to_dataframe())


async def test_long_tables_across_entities(
    atm: twinkit.aio.TwinMaker, twin: twinkit.TwinMaker
) -> None:
    query = HistoryQuery.build(
        "factory", NAMES, start=T0, end=END, component_type_id="com.example.sensors"
    )
    history = AsyncHistory(atm, query)
    one = await history.to_arrow(max_concurrency=1)
    assert one.num_rows > 100
    assert one.equals(await history.to_arrow(max_concurrency=6))


async def test_a_failed_listing_raises_and_max_concurrency_is_checked(
    atm: twinkit.aio.TwinMaker, twin: twinkit.TwinMaker
) -> None:
    query = HistoryQuery.build(
        "factory", ["nope"], start=T0, end=END, entity_id="mixer", component_name="s"
    )
    with pytest.raises(twinkit.errors.ServiceError):
        await AsyncHistory(atm, query).to_dataframe(max_concurrency=4)
    with pytest.raises(ValueError, match="max_concurrency"):
        await AsyncHistory(atm, query).to_dataframe(max_concurrency=0)
