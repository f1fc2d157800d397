"""Typed knowledge-graph queries: `ws.query(statement)` and the rows it yields.

`ExecuteQuery` answers rows of raw JSON documents next to `columnDescriptions`; this module pairs
the two up. Each row is a `QueryRow`, a mapping from column name to a typed cell:

| column type | cell |
| --- | --- |
| `NODE` | `EntityNode` (the entity with its components and their property values) |
| `EDGE` | `Relationship` |
| `PATH` | `GraphPath`, the nodes and edges of the path in order |
| `VALUE` | the plain Python value (`str`, `int`, `float`, `bool`, `None`, `list`, `dict`) |

```python
ws = tm.workspaces("SmartBuilding")
result = ws.query(
    "SELECT room, r, floor.entityName AS floor FROM EntityGraph "
    "MATCH (room)-[r:isLocationOf]->(floor) WHERE room.entityName LIKE 'room%'"
)
for row in result:                         # lazy: one ExecuteQuery call per page
    room = row.node("room")                # EntityNode
    room.component("RoomComponent").value("roomFunction")   # 'meeting'
    row.edge("r").target_entity_id         # 'floor_0'
    row.value("floor")                     # 'floor_0'
frame = result.to_dataframe()             # pip install 'twinkit[pandas]'
```
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

import attrs

from twinkit.models import JsonValue
from twinkit.paging import AsyncPager, Pager

if TYPE_CHECKING:
    import pandas

    from twinkit._client import TwinMaker
    from twinkit.models import ExecuteQueryResponse

__all__ = [
    "Cell",
    "EntityNode",
    "GraphComponent",
    "GraphPath",
    "GraphProperty",
    "MAX_QUERY_HOPS",
    "QueryColumn",
    "QueryResult",
    "QueryRow",
    "Relationship",
    "cell_text",
    "quote",
]

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
MAX_QUERY_HOPS = 10
"""The knowledge graph's quota on the hops of one pattern."""


def quote(text: str) -> str:
    """`text` as a PartiQL string literal: `it's` -> `'it''s'`. Use it to put a value into a
    statement, never string formatting alone."""
    return "'" + text.replace("'", "''") + "'"


def _str(doc: Mapping[str, JsonValue], key: str) -> str | None:
    value = doc.get(key)
    return value if isinstance(value, str) else None


def _time(doc: Mapping[str, JsonValue], key: str) -> datetime | None:
    value = doc.get(key)
    if isinstance(value, int) and not isinstance(value, bool):
        return _EPOCH + timedelta(milliseconds=value)
    return None


def _dicts(value: JsonValue) -> list[dict[str, JsonValue]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


@attrs.frozen
class GraphProperty:
    """A property of a component as a node shows it: its name and value (`has_value` False when
    the property has neither a value nor a default)."""

    name: str
    value: JsonValue = None
    has_value: bool = False


@attrs.frozen
class GraphComponent:
    """A component of an entity node: its name, type and properties, by name."""

    name: str
    component_type_id: str | None
    properties: Mapping[str, GraphProperty]

    def value(self, property_name: str) -> JsonValue:
        """The value of a property (None when it has none).

        Raises:
            KeyError: The component has no such property.
        """
        return self.properties[property_name].value


@attrs.frozen
class EntityNode:
    """An entity as the knowledge graph returns it in a `NODE` column.

    In a `PATH` only `entity_id` and `entity_name` are set: the service returns just the
    metadata that identifies each node of a path.
    """

    entity_id: str
    entity_name: str | None = None
    arn: str | None = None
    workspace_id: str | None = None
    description: str | None = None
    created: datetime | None = None
    updated: datetime | None = None
    components: Mapping[str, GraphComponent] = attrs.field(factory=dict)

    @classmethod
    def from_document(cls, doc: Mapping[str, JsonValue]) -> EntityNode:
        """Read a node document (`{"entityId", "entityName", "components": [...], ...}`)."""
        components = {}
        for component in _dicts(doc.get("components")):
            properties = {}
            for prop in _dicts(component.get("properties")):
                name = _str(prop, "propertyName") or ""
                properties[name] = GraphProperty(
                    name, prop.get("propertyValue"), has_value="propertyValue" in prop
                )
            name = _str(component, "componentName") or ""
            components[name] = GraphComponent(name, _str(component, "componentTypeId"), properties)
        return cls(
            entity_id=_str(doc, "entityId") or "",
            entity_name=_str(doc, "entityName"),
            arn=_str(doc, "arn"),
            workspace_id=_str(doc, "workspaceId"),
            description=_str(doc, "description"),
            created=_time(doc, "creationDate"),
            updated=_time(doc, "lastUpdateDate"),
            components=components,
        )

    def component(self, name: str) -> GraphComponent:
        """The component named `name`.

        Raises:
            KeyError: The node has no such component.
        """
        return self.components[name]


@attrs.frozen
class Relationship:
    """An edge of the knowledge graph (an `EDGE` column): a relationship property's value, or the
    `isChildOf` edge from an entity to its parent (which has no source component)."""

    relationship_name: str
    source_entity_id: str
    target_entity_id: str
    source_component_name: str | None = None
    source_component_type_id: str | None = None

    @classmethod
    def from_document(cls, doc: Mapping[str, JsonValue]) -> Relationship:
        """Read an edge document (`{"relationshipName", "sourceEntityId", ...}`)."""
        return cls(
            relationship_name=_str(doc, "relationshipName") or "",
            source_entity_id=_str(doc, "sourceEntityId") or "",
            target_entity_id=_str(doc, "targetEntityId") or "",
            source_component_name=_str(doc, "sourceComponentName"),
            source_component_type_id=_str(doc, "sourceComponentTypeId"),
        )


@attrs.frozen
class GraphPath(Sequence["EntityNode | Relationship"]):
    """A path (a `PATH` column): nodes and the edges between them, alternating, node first."""

    elements: tuple[EntityNode | Relationship, ...]

    @classmethod
    def from_document(cls, doc: JsonValue) -> GraphPath:
        """Read a path document (`{"path": [node, edge, node, ...]}`)."""
        steps = _dicts(doc.get("path")) if isinstance(doc, dict) else []
        return cls(
            tuple(
                Relationship.from_document(d)
                if "relationshipName" in d
                else EntityNode.from_document(d)
                for d in steps
            )
        )

    @property
    def nodes(self) -> tuple[EntityNode, ...]:
        """The path's entities, in order."""
        return tuple(e for e in self.elements if isinstance(e, EntityNode))

    @property
    def edges(self) -> tuple[Relationship, ...]:
        """The path's relationships, in order."""
        return tuple(e for e in self.elements if isinstance(e, Relationship))

    def __len__(self) -> int:
        return len(self.elements)

    def __getitem__(self, index: Any) -> Any:
        return self.elements[index]


Cell = EntityNode | Relationship | GraphPath | JsonValue
"""What a row holds in a column: see the table in the module docstring."""


@attrs.frozen
class QueryColumn:
    """A column of the result: its name and type (`NODE`, `EDGE`, `VALUE` or `PATH`)."""

    name: str
    type: str


def _node_text(node: EntityNode) -> str:
    name = node.entity_name
    return node.entity_id if not name or name == node.entity_id else f"{name} ({node.entity_id})"


def cell_text(cell: Cell) -> str:
    """A cell as one line of text, for tables and CSV: a node as its entity's name and id
    (`Room 1 (room_1)`, the id alone when they are the same), an edge as its relationship's
    name, a path as its steps (`a -[feeds]-> b`), a value as text (JSON for lists and maps,
    empty for None)."""
    if isinstance(cell, EntityNode):
        return _node_text(cell)
    if isinstance(cell, Relationship):
        return cell.relationship_name
    if isinstance(cell, GraphPath):
        return " ".join(
            f"-[{step.relationship_name}]->" if isinstance(step, Relationship) else _node_text(step)
            for step in cell.elements
        )
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, (list, dict)):
        return json.dumps(cell, ensure_ascii=False)
    return str(cell)


def _cell(column_type: str, raw: JsonValue) -> Cell:
    if raw is None:
        return None
    if column_type == "NODE" and isinstance(raw, dict):
        return EntityNode.from_document(raw)
    if column_type == "EDGE" and isinstance(raw, dict):
        return Relationship.from_document(raw)
    if column_type == "PATH":
        return GraphPath.from_document(raw)
    return raw


class QueryRow(Mapping[str, Cell]):
    """One row of a query's result: its cells by column name.

    `row["e"]` is the cell of the column named `e` (the first one, should two columns share a
    name; `row.cells` has them all in order). `node`, `edge`, `path` and `value` return a cell
    with its precise type, or raise `TypeError` when the column holds something else.
    """

    def __init__(self, columns: Sequence[QueryColumn], cells: Sequence[Cell]) -> None:
        self.columns = tuple(columns)
        self.cells = tuple(cells)
        self._by_name: dict[str, Cell] = {}
        for column, cell in zip(self.columns, self.cells, strict=True):
            self._by_name.setdefault(column.name, cell)

    def __getitem__(self, name: str) -> Cell:
        return self._by_name[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_name)

    def __len__(self) -> int:
        return len(self._by_name)

    def __repr__(self) -> str:
        return f"QueryRow({self._by_name!r})"

    def _typed(self, name: str, kind: type[Any], what: str) -> Any:
        cell = self[name]
        if not isinstance(cell, kind):
            raise TypeError(f"column {name!r} holds {type(cell).__name__}, not {what}")
        return cell

    def node(self, name: str) -> EntityNode:
        """The entity in the `NODE` column `name`."""
        node: EntityNode = self._typed(name, EntityNode, "a NODE")
        return node

    def edge(self, name: str) -> Relationship:
        """The relationship in the `EDGE` column `name`."""
        edge: Relationship = self._typed(name, Relationship, "an EDGE")
        return edge

    def path(self, name: str) -> GraphPath:
        """The path in the `PATH` column `name`."""
        path: GraphPath = self._typed(name, GraphPath, "a PATH")
        return path

    def value(self, name: str) -> JsonValue:
        """The plain value in the `VALUE` column `name`."""
        cell = self[name]
        if isinstance(cell, (EntityNode, Relationship, GraphPath)):
            raise TypeError(f"column {name!r} holds {type(cell).__name__}, not a VALUE")
        return cell


def decode_page(output: ExecuteQueryResponse) -> tuple[tuple[QueryColumn, ...], list[QueryRow]]:
    """One ExecuteQuery page as typed rows: its columns, and its rows typed by them.

    Shared by `QueryResult` and its async twin (`twinkit.aio.query.AsyncQueryResult`).
    """
    columns = tuple(
        QueryColumn(d.name or "", str(d.type or "VALUE")) for d in output.column_descriptions or []
    )
    rows = []
    for row in output.rows or []:
        data = row.row_data or []
        cells = [_cell(c.type, raw) for c, raw in zip(columns, data, strict=True)]
        rows.append(QueryRow(columns, cells))
    return columns, rows


def result_repr(
    result: Pager[QueryRow] | AsyncPager[QueryRow],
    statement: str,
    columns: Sequence[QueryColumn] | None,
) -> str:
    """`QueryResult('SELECT e FROM ...', page_size=None, max_items=None)` for a result of any
    class: the statement cut at 60 characters, the columns once a page has been fetched."""
    shown = statement if len(statement) <= 60 else statement[:59] + "…"
    names = f", columns={[c.name for c in columns]!r}" if columns is not None else ""
    return (
        f"{type(result).__name__}({shown!r}{names}, "
        f"page_size={result.page_size}, max_items={result.max_items})"
    )


def rows_frame(
    owner: str, rows: Sequence[QueryRow], columns: Sequence[QueryColumn] | None
) -> pandas.DataFrame:
    """Rows as a pandas DataFrame, one column per query column (`owner` names the caller
    in the error when pandas is missing)."""
    try:
        import pandas
    except ImportError as exc:  # pragma: no cover - pandas is a test dependency
        raise ImportError(
            f"{owner}.to_dataframe needs pandas: pip install 'twinkit[pandas]'"
        ) from exc
    names = [c.name for c in columns or ()]
    frame: pandas.DataFrame = pandas.DataFrame([list(row.cells) for row in rows], columns=names)
    return frame


class QueryResult(Pager[QueryRow]):
    """The rows of one query, fetched lazily page by page (`ExecuteQuery`'s `maxResults` and
    `nextToken`): iterate it for rows, `by_page()` for pages, `to_dataframe()` for a table.

    Args:
        tm: The client that runs the query.
        workspace_id: The workspace whose graph is queried.
        statement: The PartiQL statement.
        page_size: Rows per call (the service's default, 50, when None; at most 100).
        max_items: Stop after this many rows in all.
    """

    def __init__(
        self,
        tm: TwinMaker,
        workspace_id: str,
        statement: str,
        *,
        page_size: int | None = None,
        max_items: int | None = None,
    ) -> None:
        self.statement = statement
        self.columns: tuple[QueryColumn, ...] | None = None
        """The result's columns, once a page has been fetched."""

        def fetch_page(token: str | None, size: int | None) -> tuple[list[QueryRow], str | None]:
            """One ExecuteQuery call: its rows, typed by its column descriptions."""
            output = tm.execute_query(
                workspace_id=workspace_id,
                query_statement=statement,
                max_results=size,
                next_token=token,
            )
            self.columns, rows = decode_page(output)
            return rows, output.next_token

        super().__init__(
            fetch_page,
            page_size=page_size,
            max_items=max_items,
            item_type="QueryRow",
            source="execute_query",
        )

    def __repr__(self) -> str:
        """`QueryResult('SELECT e FROM ...', page_size=None, max_items=None)`, the statement
        cut at 60 characters, and the columns once a page has been fetched."""
        return result_repr(self, self.statement, self.columns)

    def _repr_html_(self) -> str:
        """Jupyter's view: the first rows as a table, a column per query column (nodes by
        entity name and id, edges by relationship name); fetches the first page only."""
        import html

        from twinkit._display import ROWS_SHOWN, html_table

        first = list(itertools.islice(self, ROWS_SHOWN + 1))
        caption = html.escape(repr(self))
        if not first:
            return (
                html_table([html.escape(c.name) for c in self.columns or ()], [], caption=caption)
                + "<p><i>(no rows)</i></p>"
            )
        rows = [[html.escape(cell_text(cell)) for cell in row.cells] for row in first[:ROWS_SHOWN]]
        header = [html.escape(c.name) for c in first[0].columns]
        table = html_table(header, rows, caption=caption)
        if len(first) > ROWS_SHOWN:
            table += "<p><i>… more not shown</i></p>"
        return table

    def to_dataframe(self) -> pandas.DataFrame:
        """Every row as a pandas DataFrame, one column per query column (nodes, edges and paths
        as objects, values as they are).

        Raises:
            ImportError: pandas is not installed (`pip install 'twinkit[pandas]'`).
        """
        rows = list(self)
        return rows_frame(type(self).__name__, rows, self.columns)
