"""`twinkit query`: a knowledge-graph query's rows as a table, JSON or CSV.

The table and CSV show each cell as one line of text (`twinkit.query.cell_text`: a node as
its entity's name and id, an edge as its relationship's name). JSON keeps everything: a node
with its components and property values, an edge with its ends, a path as its steps, values as
the service returned them; the output is one JSON array with a row object per line.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from typing import IO, Any

from rich.console import Console
from rich.table import Table

from twinkit._client import TwinMaker
from twinkit.query import (
    Cell,
    EntityNode,
    GraphPath,
    QueryColumn,
    QueryRow,
    Relationship,
    cell_text,
)

__all__ = ["FORMATS", "cell_json", "run_query", "write_rows"]

FORMATS = ("table", "json", "csv")
"""The output formats of `twinkit query`."""


def _node_json(node: EntityNode) -> dict[str, Any]:
    found: dict[str, Any] = {"entityId": node.entity_id}
    if node.entity_name is not None:
        found["entityName"] = node.entity_name
    if node.components:
        found["components"] = {
            name: {
                "componentTypeId": component.component_type_id,
                "properties": {
                    prop.name: prop.value
                    for prop in component.properties.values()
                    if prop.has_value
                },
            }
            for name, component in node.components.items()
        }
    return found


def _edge_json(edge: Relationship) -> dict[str, Any]:
    found: dict[str, Any] = {
        "relationshipName": edge.relationship_name,
        "sourceEntityId": edge.source_entity_id,
        "targetEntityId": edge.target_entity_id,
    }
    if edge.source_component_name is not None:
        found["sourceComponentName"] = edge.source_component_name
    if edge.source_component_type_id is not None:
        found["sourceComponentTypeId"] = edge.source_component_type_id
    return found


def cell_json(cell: Cell) -> Any:
    """A cell as JSON data, in the API's camelCase names."""
    if isinstance(cell, EntityNode):
        return _node_json(cell)
    if isinstance(cell, Relationship):
        return _edge_json(cell)
    if isinstance(cell, GraphPath):
        return [
            _edge_json(step) if isinstance(step, Relationship) else _node_json(step)
            for step in cell.elements
        ]
    return cell


def run_query(
    tm: TwinMaker, workspace_id: str, statement: str, *, max_rows: int | None = None
) -> tuple[list[QueryColumn], list[QueryRow]]:
    """The columns and rows of a query (at most `max_rows` rows).

    Raises:
        ResourceNotFoundError: no such workspace.
        ServiceValidationError: the service refused the statement (its message says why).
    """
    tm.get_workspace(workspace_id=workspace_id)
    result = tm.workspaces(workspace_id).query(statement, max_items=max_rows)
    rows = list(result)
    return list(result.columns or ()), rows


def write_rows(
    columns: Sequence[QueryColumn], rows: Sequence[QueryRow], fmt: str, stdout: IO[str]
) -> None:
    """Write rows to `stdout` as `table` (rich), `json` or `csv`."""
    names = [column.name for column in columns]
    if fmt == "json":
        stdout.write("[\n")
        for index, row in enumerate(rows):
            data = dict(zip(names, (cell_json(cell) for cell in row.cells), strict=True))
            comma = "," if index < len(rows) - 1 else ""
            stdout.write(json.dumps(data, ensure_ascii=False) + comma + "\n")
        stdout.write("]\n")
    elif fmt == "csv":
        writer = csv.writer(stdout, lineterminator="\n")
        writer.writerow(names)
        writer.writerows([cell_text(cell) for cell in row.cells] for row in rows)
    else:
        table = Table(*names, show_lines=False, header_style="bold")
        for row in rows:
            table.add_row(*(cell_text(cell) for cell in row.cells))
        # Piped or captured, the table is as wide as its content, never wrapped at 80.
        width = None if stdout.isatty() else 4096
        Console(file=stdout, width=width, highlight=False, markup=False, emoji=False).print(table)
