"""`ws.query` and the entity helpers built on it, through the typed client and the emulator, over
the guide's building (tests/building.py) plus a small hierarchy for `descendants`."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pandas
import pytest

from tests import building
from tests.building import EDGES, ENTITIES, WORKSPACE
from twinkit import TwinMaker
from twinkit.local import Emulator, ManualClock
from twinkit.query import EntityNode, GraphPath, QueryResult, QueryRow, Relationship, quote
from twinkit.resources import Workspace

START = datetime(2026, 1, 1, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def ws() -> Workspace:
    client = Emulator(clock=ManualClock(START)).client()
    building.build(client)
    # A hierarchy: Building > floor_0 > room_0 > desk (parents, so isChildOf edges).
    client.update_entity(
        workspaceId=WORKSPACE,
        entityId="floor_0",
        parentEntityUpdate={"updateType": "UPDATE", "parentEntityId": "Building"},
    )
    client.update_entity(
        workspaceId=WORKSPACE,
        entityId="room_0",
        parentEntityUpdate={"updateType": "UPDATE", "parentEntityId": "floor_0"},
    )
    client.create_entity(
        workspaceId=WORKSPACE, entityId="desk", entityName="desk", parentEntityId="room_0"
    )
    return TwinMaker(client=client).workspaces(WORKSPACE)


def test_rows_are_keyed_by_column_and_typed(ws: Workspace) -> None:
    result = ws.query(
        "SELECT room, r, floor.entityName AS floor, p FROM EntityGraph "
        "MATCH p = (room)-[r:isLocationOf]->(floor) WHERE room.entityName = 'room_0'"
    )
    assert isinstance(result, QueryResult)
    assert result.columns is None  # nothing fetched yet: the result is lazy
    (row,) = list(result)
    assert [(c.name, c.type) for c in result.columns or ()] == [
        ("room", "NODE"),
        ("r", "EDGE"),
        ("floor", "VALUE"),
        ("p", "PATH"),
    ]
    assert isinstance(row, QueryRow)
    assert list(row) == ["room", "r", "floor", "p"]
    room = row.node("room")
    assert (room.entity_id, room.entity_name, room.created) == ("room_0", "room_0", START)
    component = room.component("RoomComponent")
    assert component.component_type_id == building.ROOM_TYPE
    assert component.value("roomFunction") == "meeting"
    assert component.value("dimensions") == {"length": 20.0, "width": 8.0}
    assert component.properties["roomFunction"].has_value
    assert row.edge("r") == Relationship(
        "isLocationOf", "room_0", "floor_0", "RoomComponent", building.ROOM_TYPE
    )
    assert row.value("floor") == "floor_0"
    path = row.path("p")
    assert [n.entity_id for n in path.nodes] == ["room_0", "floor_0"]
    assert [e.relationship_name for e in path.edges] == ["isLocationOf"]
    assert isinstance(path[1], Relationship)
    assert len(path) == 3


def test_a_typed_accessor_refuses_the_wrong_column_type(ws: Workspace) -> None:
    row = ws.query("SELECT e, e.entityName FROM EntityGraph MATCH (e)").first()
    assert row is not None
    with pytest.raises(TypeError, match="column 'e' holds EntityNode, not a VALUE"):
        row.value("e")
    with pytest.raises(TypeError, match="column 'entityName' holds str, not a NODE"):
        row.node("entityName")


def test_rows_come_lazily_page_by_page(ws: Workspace) -> None:
    result = ws.query("SELECT e.entityId FROM EntityGraph MATCH (e)", page_size=4)
    pages = list(result.by_page())
    ids = sorted([*ENTITIES, "desk"])
    assert [len(p) for p in pages] == [4, 4, 4, 1]
    assert [row["entityId"] for p in pages for row in p] == ids
    assert [r["entityId"] for r in ws.query(result.statement, max_items=5)] == ids[:5]


def test_to_dataframe(ws: Workspace) -> None:
    frame = ws.query(
        "SELECT a.entityName AS source, r, b.entityName AS target "
        "FROM EntityGraph MATCH (a)-[r:isLocationOf]->(b)",
        page_size=3,
    ).to_dataframe()
    assert isinstance(frame, pandas.DataFrame)
    assert list(frame.columns) == ["source", "r", "target"]
    located = sorted((s, t) for s, name, t in EDGES if name == "isLocationOf")
    assert list(zip(frame["source"], frame["target"], strict=True)) == located
    assert all(isinstance(edge, Relationship) for edge in frame["r"])


def test_related_follows_relationships_either_way(ws: Workspace) -> None:
    floor = ws.entities("floor_0")

    def names(nodes: Any) -> list[str]:
        return sorted(n.entity_name for n in nodes)

    assert names(floor.related(relationship="isLocationOf")) == ["Building"]
    assert names(floor.related(relationship="isLocationOf", direction="in")) == [
        "room_0",
        "room_1",
        "room_2",
    ]
    assert names(floor.related(direction="in")) == ["room_0", "room_0", "room_1", "room_2"]
    assert names(floor.related(direction="both", relationship="isChildOf")) == [
        "Building",
        "room_0",
    ]
    assert all(isinstance(n, EntityNode) for n in floor.related(direction="both"))
    with pytest.raises(ValueError, match="direction must be"):
        floor.related(direction="up")  # type: ignore[arg-type]


def test_descendants_walk_the_hierarchy_in_one_query(ws: Workspace) -> None:
    top = ws.entities("Building")
    assert sorted(n.entity_id for n in top.descendants()) == ["desk", "floor_0", "room_0"]
    assert sorted(n.entity_id for n in top.descendants(max_depth=2)) == ["floor_0", "room_0"]
    assert list(ws.entities("desk").descendants()) == []
    with pytest.raises(ValueError, match="between 1 and 10"):
        top.descendants(max_depth=11)


def test_quote_escapes_a_value_for_a_statement(ws: Workspace) -> None:
    assert quote("it's") == "'it''s'"
    statement = f"SELECT e FROM EntityGraph MATCH (e) WHERE e.entityName = {quote(chr(39))}"
    assert list(ws.query(statement)) == []


def test_a_path_reads_from_its_document() -> None:
    path = GraphPath.from_document(
        {
            "path": [
                {"entityId": "a", "entityName": "a"},
                {"relationshipName": "feed", "sourceEntityId": "a", "targetEntityId": "b"},
                {"entityId": "b", "entityName": "b"},
            ]
        }
    )
    assert path.nodes == (EntityNode("a", "a"), EntityNode("b", "b"))
    assert path.edges == (Relationship("feed", "a", "b"),)
