"""Async knowledge-graph queries (`ws.query`, `entity.related`, `entity.descendants`) on both
transports, over the guide's building (tests/building.py): the same typed rows and nodes as
the sync handles give on the same emulator (mirrors tests/local/test_query_sdk.py)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pandas
import pytest

import twinkit
import twinkit.aio
from tests import building
from tests.building import ENTITIES, WORKSPACE
from twinkit.aio.query import AsyncQueryResult
from twinkit.aio.resources import Workspace
from twinkit.local import Emulator, ManualClock
from twinkit.query import EntityNode, QueryRow, Relationship

START = datetime(2026, 1, 1, tzinfo=timezone.utc)


@pytest.fixture
def twinmaker_emulator_options() -> dict[str, Any]:
    return {"clock": ManualClock(START)}


@pytest.fixture
def sync_ws(emulator: Emulator) -> twinkit.resources.Workspace:
    """The building, made with boto3, as the sync handles see it."""
    client = emulator.client()
    building.build(client)
    # A hierarchy: Building > floor_0 > room_0 > desk (parents, so isChildOf edges).
    for entity_id, parent in (("floor_0", "Building"), ("room_0", "floor_0")):
        client.update_entity(
            workspaceId=WORKSPACE,
            entityId=entity_id,
            parentEntityUpdate={"updateType": "UPDATE", "parentEntityId": parent},
        )
    client.create_entity(
        workspaceId=WORKSPACE, entityId="desk", entityName="desk", parentEntityId="room_0"
    )
    return twinkit.TwinMaker(client=client).workspaces(WORKSPACE)


@pytest.fixture
def ws(atm: twinkit.aio.TwinMaker, sync_ws: twinkit.resources.Workspace) -> Workspace:
    return atm.workspaces(WORKSPACE)


STATEMENT = (
    "SELECT room, r, floor.entityName AS floor, p FROM EntityGraph "
    "MATCH p = (room)-[r:isLocationOf]->(floor) WHERE room.entityName = 'room_0'"
)


async def test_rows_are_the_sync_rows(ws: Workspace, sync_ws: twinkit.resources.Workspace) -> None:
    result = ws.query(STATEMENT)
    assert isinstance(result, AsyncQueryResult)
    assert result.columns is None  # nothing fetched yet: the result is lazy
    assert repr(result).startswith("AsyncQueryResult('SELECT room, r, floor.entityName")
    rows = await result.to_list()
    assert all(isinstance(row, QueryRow) for row in rows)
    sync_result = sync_ws.query(STATEMENT)
    assert rows == list(sync_result)
    assert result.columns == sync_result.columns
    assert [(c.name, c.type) for c in result.columns or ()] == [
        ("room", "NODE"),
        ("r", "EDGE"),
        ("floor", "VALUE"),
        ("p", "PATH"),
    ]
    assert rows[0].node("room").created == START
    assert "columns=['room', 'r', 'floor', 'p']" in repr(result)


async def test_rows_come_lazily_page_by_page(ws: Workspace) -> None:
    result = ws.query("SELECT e.entityId FROM EntityGraph MATCH (e)", page_size=4)
    pages = [page async for page in result.by_page()]
    ids = sorted([*ENTITIES, "desk"])
    assert [len(p) for p in pages] == [4, 4, 4, 1]
    assert [row["entityId"] for p in pages for row in p] == ids
    assert [r["entityId"] async for r in ws.query(result.statement, max_items=5)] == ids[:5]


async def test_to_dataframe(ws: Workspace, sync_ws: twinkit.resources.Workspace) -> None:
    statement = (
        "SELECT a.entityName AS source, r, b.entityName AS target "
        "FROM EntityGraph MATCH (a)-[r:isLocationOf]->(b)"
    )
    frame = await ws.query(statement, page_size=3).to_dataframe()
    assert isinstance(frame, pandas.DataFrame)
    assert list(frame.columns) == ["source", "r", "target"]
    assert all(isinstance(edge, Relationship) for edge in frame["r"])
    pandas.testing.assert_frame_equal(frame, sync_ws.query(statement).to_dataframe())


async def test_related_and_descendants_are_the_sync_ones(
    ws: Workspace, sync_ws: twinkit.resources.Workspace
) -> None:
    def key(node: EntityNode) -> str:
        return node.entity_id

    floor, sync_floor = ws.entities("floor_0"), sync_ws.entities("floor_0")
    for relationship in (None, "isLocationOf", "isChildOf"):
        for direction in ("out", "in", "both"):
            nodes = await floor.related(relationship=relationship, direction=direction).to_list()
            expected = list(sync_floor.related(relationship=relationship, direction=direction))
            assert sorted(nodes, key=key) == sorted(expected, key=key)
    inside = await floor.related(relationship="isLocationOf", direction="in").to_list()
    assert sorted(n.entity_name for n in inside) == ["room_0", "room_1", "room_2"]
    with pytest.raises(ValueError, match="direction must be"):
        floor.related(direction="up")  # type: ignore[arg-type]

    top = ws.entities("Building")
    assert sorted([n.entity_id async for n in top.descendants()]) == ["desk", "floor_0", "room_0"]
    shallow = top.descendants(max_depth=2)
    assert sorted([n.entity_id async for n in shallow]) == ["floor_0", "room_0"]
    assert await ws.entities("desk").descendants().to_list() == []
    with pytest.raises(ValueError, match="between 1 and 10"):
        top.descendants(max_depth=11)
