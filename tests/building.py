"""A twin modelled on the AWS IoT TwinMaker knowledge graph guide's smart-building example.

The guide's example answers show a workspace `SmartBuilding...` with a `Building`, floors whose
`FloorComponent` (`com.example.query.construction.floor`) says `isLocationOf` the building, rooms
whose `RoomComponent` (`com.example.query.construction.room`) holds `roomFunction` and
`roomNumber`, and, in its query examples, a room that `isLocationOf` its floor
(`room_0` -isLocationOf-> `floor_0`), a room that `hasPart` a lighting zone, which `feed`s
luminaires, a property whose definition has the configuration `unit: Celsius`, a map property
with a `length` key of `20.0` and a list property holding `10.0`. This twin has exactly that, and
just enough rooms for the guide's `LIMIT 10 OFFSET 5` example to return something:

    Building <-isLocationOf- floor_0 <-isLocationOf- room_0, room_1, room_2
             <-isLocationOf- floor_1 <-isLocationOf- room_3, room_4, room_5
    room_0 -hasPart-> lightingZone_0 -feed-> luminaire_0, luminaire_1

Entity ids are the entity names, so rows read plainly. No entity has a parent (`parentEntityId`):
every example of the guide walks relationship properties, and `isChildOf` edges would double
every path. (tests/local/test_query.py covers `isChildOf`.)

The guide's own `room_0` node shows only `roomFunction` and `roomNumber`, although its third example
needs `room_0` to be `isLocationOf` `floor_0`: a node shows every property of its components, so
here `room_0`'s node also shows the relationship and the other properties its type defines.
"""

from __future__ import annotations

from typing import Any

WORKSPACE = "SmartBuilding"
ROLE = "arn:aws:iam::123456789012:role/twinmaker"
BUILDING_TYPE = "com.example.query.construction.building"
FLOOR_TYPE = "com.example.query.construction.floor"
ROOM_TYPE = "com.example.query.construction.room"
LIGHTING_ZONE_TYPE = "com.example.query.construction.lightingzone"
LUMINAIRE_TYPE = "com.example.query.construction.luminaire"

_RELATIONSHIP = {"dataType": {"type": "RELATIONSHIP"}}
_RELATIONSHIPS = {"dataType": {"type": "LIST", "nestedType": {"type": "RELATIONSHIP"}}}

COMPONENT_TYPES: dict[str, dict[str, Any]] = {
    BUILDING_TYPE: {"address": {"dataType": {"type": "STRING"}}},
    FLOOR_TYPE: {"isLocationOf": _RELATIONSHIP, "level": {"dataType": {"type": "INTEGER"}}},
    ROOM_TYPE: {
        "roomFunction": {"dataType": {"type": "STRING"}},
        "roomNumber": {"dataType": {"type": "INTEGER"}},
        "isLocationOf": _RELATIONSHIP,
        "hasPart": _RELATIONSHIPS,
        "temperature": {
            "dataType": {"type": "DOUBLE"},
            "configuration": {"unit": "Celsius"},
        },
        "dimensions": {"dataType": {"type": "MAP", "nestedType": {"type": "DOUBLE"}}},
        "setpoints": {"dataType": {"type": "LIST", "nestedType": {"type": "DOUBLE"}}},
    },
    LIGHTING_ZONE_TYPE: {"feed": _RELATIONSHIPS},
    LUMINAIRE_TYPE: {"wattage": {"dataType": {"type": "DOUBLE"}}},
}
"""Each component type's property definitions, as CreateComponentType takes them."""

COMPONENT_NAMES = {
    BUILDING_TYPE: "BuildingComponent",
    FLOOR_TYPE: "FloorComponent",
    ROOM_TYPE: "RoomComponent",
    LIGHTING_ZONE_TYPE: "LightingZoneComponent",
    LUMINAIRE_TYPE: "LuminaireComponent",
}


def _to(target: str) -> dict[str, Any]:
    """A relationship value."""
    return {"relationshipValue": {"targetEntityId": target}}


def _to_each(*targets: str) -> dict[str, Any]:
    """A list of relationship values."""
    return {"listValue": [_to(target) for target in targets]}


ROOM_FUNCTIONS = ["meeting", "office", "office", "Meeting", "kitchen", "office"]
ROOM_FLOORS = ["floor_0", "floor_0", "floor_0", "floor_1", "floor_1", "floor_1"]

ENTITIES: dict[str, tuple[str, dict[str, dict[str, Any]]]] = {
    "Building": (BUILDING_TYPE, {"address": {"stringValue": "1 Example Street"}}),
    "floor_0": (FLOOR_TYPE, {"isLocationOf": _to("Building"), "level": {"integerValue": 0}}),
    "floor_1": (FLOOR_TYPE, {"isLocationOf": _to("Building"), "level": {"integerValue": 1}}),
    **{
        f"room_{n}": (
            ROOM_TYPE,
            {
                "roomFunction": {"stringValue": ROOM_FUNCTIONS[n]},
                "roomNumber": {"integerValue": n},
                "isLocationOf": _to(ROOM_FLOORS[n]),
                "temperature": {"doubleValue": 20.0 + n},
            },
        )
        for n in range(6)
    },
    "lightingZone_0": (LIGHTING_ZONE_TYPE, {"feed": _to_each("luminaire_0", "luminaire_1")}),
    "luminaire_0": (LUMINAIRE_TYPE, {"wattage": {"doubleValue": 40.0}}),
    "luminaire_1": (LUMINAIRE_TYPE, {"wattage": {"doubleValue": 60.0}}),
}
"""Entity name (and id) -> its one component's type and the values it sets."""

ENTITIES["room_0"][1].update(
    hasPart=_to_each("lightingZone_0"),
    dimensions={"mapValue": {"length": {"doubleValue": 20.0}, "width": {"doubleValue": 8.0}}},
    setpoints={"listValue": [{"doubleValue": 10.0}, {"doubleValue": 21.5}]},
)
ENTITIES["room_1"][1].update(
    dimensions={"mapValue": {"width": {"doubleValue": 5.0}}},
    setpoints={"listValue": [{"doubleValue": 19.0}]},
)

EDGES: list[tuple[str, str, str]] = [
    *((f"room_{n}", "isLocationOf", ROOM_FLOORS[n]) for n in range(6)),
    ("floor_0", "isLocationOf", "Building"),
    ("floor_1", "isLocationOf", "Building"),
    ("room_0", "hasPart", "lightingZone_0"),
    ("lightingZone_0", "feed", "luminaire_0"),
    ("lightingZone_0", "feed", "luminaire_1"),
]
"""Every edge of the twin's graph: (source, relationship name, target)."""


def build(client: Any, workspace_id: str = WORKSPACE) -> None:
    """Create the twin through `client` (a boto3 `iottwinmaker` client), pricing plan included:
    the knowledge graph answers only under the STANDARD or TIERED_BUNDLE pricing mode."""
    client.update_pricing_plan(pricingMode="STANDARD")
    client.create_workspace(workspaceId=workspace_id, role=ROLE)
    for type_id, definitions in COMPONENT_TYPES.items():
        client.create_component_type(
            workspaceId=workspace_id, componentTypeId=type_id, propertyDefinitions=definitions
        )
    for name, (type_id, values) in ENTITIES.items():
        component = {
            "componentTypeId": type_id,
            "properties": {prop: {"value": value} for prop, value in values.items()},
        }
        client.create_entity(
            workspaceId=workspace_id,
            entityId=name,
            entityName=name,
            components={COMPONENT_NAMES[type_id]: component},
        )
