"""The entity graph of a workspace, as one query sees it: a node per entity, an edge per
relationship value and per parent."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta, timezone
from typing import Final

import attrs

from twinkit.local._backends.component_types import TypeResolver
from twinkit.local._backends.entities import ROOT, EntityRecord, component_values
from twinkit.local._errors import validation
from twinkit.local._state import Context
from twinkit.models import DataValue, JsonValue, PropertyDefinitionResponse
from twinkit.wire import converter

MAX_CROSSINGS = 100_000
"""How many edges one query may cross before it is refused (see `Graph.steps`); far more than
the guide's examples need on a workspace of thousands of entities."""
CHILD_OF = "isChildOf"
"""The relationship name of the edge from an entity to its parent."""
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)

__all__ = [
    "CHILD_OF",
    "MAX_CROSSINGS",
    "MISSING",
    "Bound",
    "Document",
    "Edge",
    "Graph",
    "Missing",
    "Value",
    "node_summary",
    "edge_summary",
]

Document = dict[str, JsonValue]


@attrs.frozen
class Bound:
    """What a variable is bound to: a node, edge, component, property or run of hops, with its
    sort key."""

    key: tuple[str, ...]
    doc: Document
    view: Document | None = None
    """The fields a path reads when they differ from what selecting the variable shows: a
    property's `definition` is readable (`p.definition.configuration.unit`) but not selected."""
    hops: tuple[tuple[Bound, str], ...] = ()
    """For a quantified edge: each edge crossed and the entity it led to, in order."""


@attrs.frozen
class Edge:
    """An edge of the graph: its ends, relationship name and what a variable binds to it."""

    source: str
    target: str
    name: str
    bound: Bound


def _millis(moment: datetime) -> int:
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)
    return (aware - _EPOCH) // timedelta(milliseconds=1)


class Missing:
    """PartiQL's MISSING: what a field that is not there evaluates to (distinct from NULL)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final = Missing()
Value = JsonValue | Missing


def _json(value: DataValue) -> Value:
    """A property value as the graph's documents hold it (MISSING for an unknown member)."""
    scalars: tuple[JsonValue, ...] = (
        value.boolean_value,
        value.double_value,
        value.integer_value,
        value.long_value,
        value.string_value,
        value.expression,
    )
    for scalar in scalars:
        if scalar is not None:
            return scalar
    if value.list_value is not None:
        items = [_json(v) for v in value.list_value]
        return [v for v in items if not isinstance(v, Missing)]
    if value.map_value is not None:
        entries = {k: _json(v) for k, v in value.map_value.items()}
        return {k: v for k, v in entries.items() if not isinstance(v, Missing)}
    if value.relationship_value is not None:
        target = value.relationship_value
        pairs = (
            ("targetEntityId", target.target_entity_id),
            ("targetComponentName", target.target_component_name),
        )
        return {k: v for k, v in pairs if v is not None}
    return MISSING


def _targets(value: DataValue) -> list[str]:
    """The entities a relationship value (or a list of them) points to."""
    values = value.list_value if value.list_value is not None else [value]
    return [
        v.relationship_value.target_entity_id
        for v in values
        if v.relationship_value is not None and v.relationship_value.target_entity_id is not None
    ]


def _definition(definition: PropertyDefinitionResponse) -> Document:
    """A property's definition as `p.definition` reads it: the GetEntity shape."""
    wire: Document = converter.unstructure(definition)
    return wire


def _entity(
    record: EntityRecord, workspace_id: str, resolver: TypeResolver
) -> tuple[Bound, list[Edge], dict[tuple[str, str], Document]]:
    """An entity's node, its outgoing edges and its properties' definitions (by component and
    property name)."""
    entity_id = record.entity_id
    components: list[JsonValue] = []
    edges: list[Edge] = []
    definitions: dict[tuple[str, str], Document] = {}
    for name in sorted(path for path in record.components if "/" not in path):
        component = record.components[name]
        values = component_values(resolver, component)
        properties: list[JsonValue] = []
        for prop in sorted(values):
            definitions[name, prop] = _definition(values[prop][0])
            value = values[prop][1]
            entry: Document = {"propertyName": prop}
            converted = MISSING if value is None else _json(value)
            if not isinstance(converted, Missing):
                entry["propertyValue"] = converted
            properties.append(entry)
            for index, target in enumerate(_targets(value) if value is not None else []):
                # As the AWS IoT TwinMaker User Guide's "Knowledge graph additional resources"
                # shows an EDGE: {"relationshipName": "isLocationOf", "sourceEntityId":
                # "floor_83fa...", "targetEntityId": "building_4ec7...", "sourceComponentName":
                # "FloorComponent", "sourceComponentTypeId": "com.example.query.construction.floor"}
                relationship: Document = {
                    "relationshipName": prop,
                    "sourceEntityId": entity_id,
                    "targetEntityId": target,
                    "sourceComponentName": name,
                    "sourceComponentTypeId": component.component_type_id,
                }
                key = (entity_id, name, prop, f"{index:04d}")
                edges.append(Edge(entity_id, target, prop, Bound(key, relationship)))
        components.append(
            {
                "componentName": name,
                "componentTypeId": component.component_type_id,
                "properties": properties,
            }
        )
    if record.parent_entity_id != ROOT:
        child_of: Document = {
            "relationshipName": CHILD_OF,
            "sourceEntityId": entity_id,
            "targetEntityId": record.parent_entity_id,
        }
        bound = Bound((entity_id, "", CHILD_OF, ""), child_of)
        edges.append(Edge(entity_id, record.parent_entity_id, CHILD_OF, bound))
    # As the same page shows a NODE (its first example, `SELECT entity ... WHERE entity.entityName
    # = 'room_0'`): {"arn": ..., "creationDate": 1661811123914, "entityId": "room_18f3...",
    # "entityName": "room_0", "lastUpdateDate": 1661811125072, "workspaceId": "SmartBuilding...",
    # "description": "", "components": [{"componentName": "RoomComponent", "componentTypeId":
    # "com.example.query.construction.room", "properties": [{"propertyName": "roomFunction",
    # "propertyValue": "meeting"}, {"propertyName": "roomNumber", "propertyValue": 0}]}]}
    node: Document = {
        "arn": record.arn,
        "creationDate": _millis(record.created),
        "entityId": entity_id,
        "entityName": record.entity_name,
        "lastUpdateDate": _millis(record.updated),
        "workspaceId": workspace_id,
        "description": record.description,
        "components": components,
    }
    return Bound((entity_id,), node), edges, definitions


def node_summary(node: Bound) -> Document:
    """A node as a PATH shows it: the metadata that identifies it, as the guide's PATH example
    shows (`{"entityId", "entityName"}`)."""
    return {"entityId": node.doc["entityId"], "entityName": node.doc["entityName"]}


def edge_summary(edge: Bound) -> Document:
    """An edge as a PATH shows it: `{"relationshipName", "sourceEntityId", "targetEntityId"}`."""
    fields = ("relationshipName", "sourceEntityId", "targetEntityId")
    return {name: edge.doc[name] for name in fields}


class Graph:
    """A workspace's entity graph as one request sees it."""

    def __init__(self, ctx: Context, workspace_id: str) -> None:
        records: Mapping[str, EntityRecord] = ctx.state.entities.get(workspace_id, {})
        resolver = TypeResolver(ctx, workspace_id)
        self.nodes: dict[str, Bound] = {}
        self.definitions: dict[tuple[str, str, str], Document] = {}
        """Each property's definition, by entity id, component name and property name."""
        edges: list[Edge] = []
        for entity_id in sorted(records):
            node, outgoing, definitions = _entity(records[entity_id], workspace_id, resolver)
            self.nodes[entity_id] = node
            edges.extend(outgoing)
            for (component, prop), definition in definitions.items():
                self.definitions[entity_id, component, prop] = definition
        self.crossings = 0
        """How many edges this request's matching has crossed."""
        self._out: dict[str, list[Edge]] = {}
        self._in: dict[str, list[Edge]] = {}
        for edge in edges:
            if edge.target in self.nodes:
                self._out.setdefault(edge.source, []).append(edge)
                self._in.setdefault(edge.target, []).append(edge)

    def steps(
        self, entity_id: str, direction: str, label: str | None
    ) -> Iterator[tuple[Edge, str]]:
        """Each edge at a node in `direction` (named `label`, if given) and the node at its
        other end; an edge from a node to itself comes once in either direction.

        Raises:
            ServiceFault: `ValidationException` once the request has crossed `MAX_CROSSINGS`
                edges: the emulator's stand-in for the service's 10-second query timeout,
                so that an explosive pattern fails instead of hanging a test.
        """
        if direction != "in":
            for edge in self._out.get(entity_id, ()):
                if label in (None, edge.name):
                    self._cross()
                    yield edge, edge.target
        if direction != "out":
            for edge in self._in.get(entity_id, ()):
                loop_seen = direction == "any" and edge.source == edge.target
                if label in (None, edge.name) and not loop_seen:
                    self._cross()
                    yield edge, edge.source

    def _cross(self) -> None:
        self.crossings += 1
        if self.crossings > MAX_CROSSINGS:
            raise validation(
                f"queryStatement: the query crossed more than {MAX_CROSSINGS} edges, "
                "twinkit.local's stand-in for the knowledge graph's 10-second execution "
                "timeout; narrow the pattern (labels, fewer hops, a WHERE on the start node)"
            )
