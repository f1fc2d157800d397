"""Type-checked by `mypy --strict`, never run: `ws.query` rows and the query helpers are precise."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pandas
from typing_extensions import assert_type

import twinkit
from twinkit.models import JsonValue
from twinkit.paging import Page, Pager
from twinkit.query import (
    Cell,
    EntityNode,
    GraphComponent,
    GraphPath,
    QueryColumn,
    QueryResult,
    QueryRow,
    Relationship,
)

tm = twinkit.TwinMaker(region_name="us-east-1")
ws = tm.workspaces("SmartBuilding")

# A query is a lazy pager of rows, each a mapping from column name to a cell.
result = ws.query("SELECT e, r, e.entityName, p FROM EntityGraph MATCH p = (e)-[r]->(f)")
assert_type(result, QueryResult)
assert_type(iter(result), Iterator[QueryRow])
assert_type(result.by_page(), Iterator[Page[QueryRow]])
assert_type(result.first(), QueryRow | None)
assert_type(result.columns, tuple[QueryColumn, ...] | None)
assert_type(result.to_dataframe(), pandas.DataFrame)

for row in result:
    assert_type(row["e"], Cell)
    assert_type(row.cells, tuple[Cell, ...])
    assert_type(row.node("e"), EntityNode)
    assert_type(row.edge("r"), Relationship)
    assert_type(row.path("p"), GraphPath)
    assert_type(row.value("entityName"), JsonValue)
    node = row.node("e")
    assert_type(node.entity_id, str)
    assert_type(node.created, datetime | None)
    assert_type(node.component("RoomComponent"), GraphComponent)
    assert_type(node.component("RoomComponent").value("roomFunction"), JsonValue)
    assert_type(row.path("p").nodes, tuple[EntityNode, ...])
    assert_type(row.path("p").edges, tuple[Relationship, ...])
    assert_type(row.edge("r").source_component_name, str | None)

# The helpers built on queries.
entity = ws.entities("room_0")
assert_type(entity.related(relationship="isLocationOf", direction="out"), Pager[EntityNode])
assert_type(entity.descendants(max_depth=3), Pager[EntityNode])
entity.related(direction="sideways")  # type: ignore[arg-type]
