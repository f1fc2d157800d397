"""Every example query of the knowledge graph guide, run against its building (tests/building.py).

Each test names the guide's section. Rows are those the guide shows where it shows them (with this
twin's ids, ARNs and dates), else those the twin's data dictates: the expected rows below are
derived from `tests.building`'s declared data, never from the emulator. Where the guide's own text
cannot run (an unknown variable, a stray comma, `=>`), the test checks that the emulator refuses
it naming the problem, and runs the corrected query; docs/local.md lists these readings.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
from botocore.exceptions import ClientError
from hypothesis import given, settings
from hypothesis import strategies as st

from tests import building
from tests.building import EDGES, ENTITIES, ROOM_TYPE, WORKSPACE
from twinkit.local import Emulator, ManualClock

START = datetime(2026, 1, 1, tzinfo=timezone.utc)
MILLIS = 1767225600000
ARN = f"arn:aws:iottwinmaker:us-east-1:123456789012:workspace/{WORKSPACE}/entity/"
IDS = sorted(ENTITIES)
"""Every entity id in the order the emulator returns nodes (by id)."""
ROOMS = [f"room_{n}" for n in range(6)]


@pytest.fixture(scope="module")
def client() -> Any:
    """One building for the module: every test here only reads it."""
    client = Emulator(clock=ManualClock(START)).client()
    building.build(client)
    return client


def page(client: Any, statement: str, **members: Any) -> dict[str, Any]:
    response = client.execute_query(workspaceId=WORKSPACE, queryStatement=statement, **members)
    response.pop("ResponseMetadata")
    return dict(response)


def rows(client: Any, statement: str) -> list[list[Any]]:
    """Every row's data, of every page."""
    found: list[list[Any]] = []
    members: dict[str, Any] = {}
    while True:
        response = page(client, statement, **members)
        found += [row["rowData"] for row in response["rows"]]
        if "nextToken" not in response:
            return found
        members = {"nextToken": response["nextToken"]}


def refusal(client: Any, statement: str) -> str:
    with pytest.raises(ClientError) as caught:
        page(client, statement)
    error = caught.value.response["Error"]
    assert error["Code"] == "ValidationException"
    return str(error["Message"])


# --- what the data dictates ----------------------------------------------------------------------


def _json(value: dict[str, Any]) -> Any:
    """A DataValue as a node document holds it."""
    if "relationshipValue" in value:
        return dict(value["relationshipValue"])
    if "listValue" in value:
        return [_json(v) for v in value["listValue"]]
    if "mapValue" in value:
        return {k: _json(v) for k, v in value["mapValue"].items()}
    (scalar,) = value.values()
    return scalar


def properties(entity_id: str) -> list[dict[str, Any]]:
    """The entity's one component's properties, by name, with their values when set."""
    type_id, values = ENTITIES[entity_id]
    return [
        {"propertyName": name, **({"propertyValue": _json(values[name])} if name in values else {})}
        for name in sorted(building.COMPONENT_TYPES[type_id])
    ]


def node(entity_id: str) -> dict[str, Any]:
    type_id = ENTITIES[entity_id][0]
    component = {
        "componentName": building.COMPONENT_NAMES[type_id],
        "componentTypeId": type_id,
        "properties": properties(entity_id),
    }
    return {
        "arn": ARN + entity_id,
        "creationDate": MILLIS,
        "entityId": entity_id,
        "entityName": entity_id,
        "lastUpdateDate": MILLIS,
        "workspaceId": WORKSPACE,
        "description": "",
        "components": [component],
    }


def edge(source: str, name: str, target: str) -> dict[str, Any]:
    type_id = ENTITIES[source][0]
    return {
        "relationshipName": name,
        "sourceEntityId": source,
        "targetEntityId": target,
        "sourceComponentName": building.COMPONENT_NAMES[type_id],
        "sourceComponentTypeId": type_id,
    }


def either_way(edges: list[tuple[str, str, str]]) -> list[tuple[str, str]]:
    """The (a, b) of every match of `(a)-[]-(b)` over `edges`: each edge once each way."""
    return [(s, t) for s, _, t in edges] + [(t, s) for s, _, t in edges]


def at(entity_id: str) -> list[tuple[tuple[str, str, str], str]]:
    """Every edge touching an entity, either way, with the entity at its other end."""
    out = [(e, e[2]) for e in EDGES if e[0] == entity_id]
    return out + [(e, e[0]) for e in EDGES if e[2] == entity_id]


def summary(entity_id: str) -> dict[str, Any]:
    return {"entityId": entity_id, "entityName": entity_id}


def path(*parts: Any) -> dict[str, Any]:
    """A PATH value from entity ids and (source, name, target) edges, alternating."""
    return {
        "path": [
            summary(p) if isinstance(p, str) else dict(zip(EDGE_FIELDS, p, strict=True))
            for p in parts
        ]
    }


EDGE_FIELDS = ("sourceEntityId", "relationshipName", "targetEntityId")


def outgoing_trails(start: str, longest: int) -> list[list[Any]]:
    """Every trail of 1 to `longest` outgoing edges from `start` (the twin has no cycle)."""
    found: list[list[Any]] = []
    frontier: list[list[Any]] = [[start]]
    for _ in range(longest):
        frontier = [[*p, e, e[2]] for p in frontier for e in EDGES if e[0] == p[-1]]
        found += frontier
    return found


def sort(items: list[Any]) -> list[Any]:
    return sorted(items, key=repr)


# --- Basic queries --------------------------------------------------------------------------------


def test_get_all_entities_with_a_filter(client: Any) -> None:
    statement = "SELECT entity\nFROM EntityGraph MATCH (entity)\nWHERE entity.entityName = 'room_0'"
    response = page(client, statement)
    assert response == {
        "columnDescriptions": [{"name": "entity", "type": "NODE"}],
        "rows": [{"rowData": [node("room_0")]}],
    }
    # The guide's two properties are there, as it shows them.
    shown = response["rows"][0]["rowData"][0]["components"][0]["properties"]
    assert {"propertyName": "roomFunction", "propertyValue": "meeting"} in shown
    assert {"propertyName": "roomNumber", "propertyValue": 0} in shown


def test_get_all_relationships_with_a_filter(client: Any) -> None:
    statement = (
        "SELECT relationship\nFROM EntityGraph MATCH (e1)-[relationship]->(e2)\n"
        "WHERE relationship.relationshipName = 'isLocationOf'"
    )
    located = sorted(e for e in EDGES if e[1] == "isLocationOf")
    assert page(client, statement) == {
        "columnDescriptions": [{"name": "relationship", "type": "EDGE"}],
        "rows": [{"rowData": [edge(*e)]} for e in located],
    }
    # The row the guide shows: a floor's FloorComponent is the location of the building.
    assert edge("floor_0", "isLocationOf", "Building")["sourceComponentName"] == "FloorComponent"


def test_get_all_entities_with_a_specific_relationship_to_a_specific_entity(client: Any) -> None:
    # As the guide writes it, the query filters on `relationship`, which it never binds.
    verbatim = (
        "SELECT e2.entityName\n      FROM EntityGraph MATCH (e1)-[r]->(e2)\n"
        "      WHERE relationship.relationshipName = 'isLocationOf'\n"
        "      AND e1.entityName = 'room_0'"
    )
    assert "unknown variable 'relationship'" in refusal(client, verbatim)
    corrected = verbatim.replace("relationship.relationshipName", "r.relationshipName")
    assert page(client, corrected) == {
        "columnDescriptions": [{"name": "entityName", "type": "VALUE"}],
        "rows": [{"rowData": ["floor_0"]}],
    }


# --- MATCH ----------------------------------------------------------------------------------------


def pairs(client: Any, pattern: str) -> list[tuple[str, ...]]:
    statement = f"SELECT a.entityName, b.entityName FROM EntityGraph MATCH {pattern}"
    return [tuple(row) for row in rows(client, statement)]


def test_match_either_direction_gives_one_match_each_way(client: Any) -> None:
    assert sort(pairs(client, "(a)-[rel]-(b)")) == sort(either_way(EDGES))


def test_match_a_pointing_to_b(client: Any) -> None:
    assert sort(pairs(client, "(a)-[]->(b)")) == sort([(s, t) for s, _, t in EDGES])


def test_match_by_relationship_name_as_a_label(client: Any) -> None:
    located = [e for e in EDGES if e[1] == "isLocationOf"]
    assert sort(pairs(client, "(a)-[:isLocationOf]-(b)")) == sort(either_way(located))


def test_match_chained_patterns(client: Any) -> None:
    statement = (
        "SELECT a.entityName, b.entityName, c.entityName "
        "FROM EntityGraph MATCH (a)-[rel1]->(b)-[rel2]-(c)"
    )
    expected = [(s, t, c) for s, _, t in EDGES for _, c in at(t)]
    assert sort([tuple(r) for r in rows(client, statement)]) == sort(expected)


def test_match_variable_hops_1_to_5(client: Any) -> None:
    expected = [(start, trail[-1]) for start in IDS for trail in outgoing_trails(start, 5)]
    assert len(expected) == 19
    assert sort(pairs(client, "(a)-[]->{1,5}(b)")) == sort(expected)


def test_match_variable_hops_m_or_more(client: Any) -> None:
    expected = [
        (start, trail[-1])
        for start in IDS
        for trail in outgoing_trails(start, 10)
        if len(trail) >= 5  # two hops or more: start, edge, node, edge, node
    ]
    assert sort(pairs(client, "(a)-[]->{2,}(b)")) == sort(expected)


def test_iot_app_kit_counts_what_lies_within_n_hops(client: Any) -> None:
    statement = (
        "SELECT COUNT(b) FROM EntityGraph MATCH (a)-[]->{1, 10}(b) WHERE a.entityName = 'room_0'"
    )
    assert rows(client, statement) == [[len(outgoing_trails("room_0", 10))]]


# --- FROM: unnesting ------------------------------------------------------------------------------


def test_from_unnests_components_and_properties(client: Any) -> None:
    verbatim = (
        "SELECT e\nFROM EntityGraph MATCH (e), e.components AS c, c.properties AS p\n"
        "WHERE c.componentTypeId = 'com.example.query.construction.room',\n"
        "AND p.propertyName = 'roomFunction'\nAND p.propertyValue = 'meeting'"
    )
    assert "joined by AND or OR, not by a comma" in refusal(client, verbatim)
    corrected = verbatim.replace("room',\n", "room'\n")
    assert rows(client, corrected) == [[node("room_0")]]


def test_from_unnests_the_same_field_twice(client: Any) -> None:
    statement = "SELECT e\nFROM EntityGraph MATCH (e), e.components AS c1, e.components AS c2"
    # One component each: one row per entity.
    assert rows(client, statement) == [[node(entity_id)] for entity_id in IDS]


# --- SELECT ---------------------------------------------------------------------------------------


def test_select_a_node(client: Any) -> None:
    assert rows(client, "SELECT e\nFROM EntityGraph MATCH (e)") == [[node(i)] for i in IDS]


def test_select_an_edge(client: Any) -> None:
    response = rows(client, "SELECT r\nFROM EntityGraph MATCH (e1)-[r]->(e2)")
    assert sort(response) == sort([[edge(*e)] for e in EDGES])


def test_select_scalar_values_with_an_alias(client: Any) -> None:
    statement = (
        "SELECT floor.entityName, room.description, p.propertyValue AS roomfunction\n"
        "FROM EntityGraph MATCH (floor)-[:isLocationOf]-(room),\n"
        "room.components AS c, c.properties AS p"
    )
    response = page(client, statement)
    assert response["columnDescriptions"] == [
        {"name": "entityName", "type": "VALUE"},
        {"name": "description", "type": "VALUE"},
        {"name": "roomfunction", "type": "VALUE"},
    ]
    located = [e for e in EDGES if e[1] == "isLocationOf"]
    expected = [
        [floor, "", prop.get("propertyValue")]
        for floor, room in either_way(located)
        for prop in properties(room)
    ]
    assert sort(rows(client, statement)) == sort(expected)


def test_select_aliases_across_four_hops(client: Any) -> None:
    statement = (
        "SELECT floor.entityName AS floorName, luminaire.entityName as luminaireName\n"
        "FROM EntityGraph MATCH (floor)-[:isLocationOf]-(room)-[:hasPart]-\n"
        "(lightingZone)-[:feed]-(luminaire)\n"
        "WHERE floor.entityName = 'floor_0'\n"
        "AND luminaire.entityName like 'lumin%'"
    )
    assert page(client, statement) == {
        "columnDescriptions": [
            {"name": "floorName", "type": "VALUE"},
            {"name": "luminaireName", "type": "VALUE"},
        ],
        "rows": [
            {"rowData": ["floor_0", "luminaire_0"]},
            {"rowData": ["floor_0", "luminaire_1"]},
        ],
    }


# --- WHERE ----------------------------------------------------------------------------------------

UNNESTED = (
    "SELECT e.entityName, p.propertyName\n"
    "FROM EntityGraph MATCH (e), e.components AS c, c.properties AS p\n"
)


def test_where_on_entity_component_and_property_fields(client: Any) -> None:
    verbatim = (
        UNNESTED + "WHERE e.entityName = 'room_0'\n"
        "AND c.componentTypeId = 'com.example.query.construction.room',\n"
        "AND p.propertyName = 'roomFunction'\nAND NOT p.propertyValue = 'meeting'\n"
        "OR p.propertyValue = 'office'"
    )
    assert "not by a comma" in refusal(client, verbatim)
    corrected = verbatim.replace("room',\n", "room'\n")
    # AND binds tighter than OR: room_0's function is 'meeting', so only the OR side matches.
    offices = [
        [r, "roomFunction"]
        for r in ROOMS
        if ENTITIES[r][1]["roomFunction"] == {"stringValue": "office"}
    ]
    assert rows(client, corrected) == offices
    assert offices == [
        ["room_1", "roomFunction"],
        ["room_2", "roomFunction"],
        ["room_5", "roomFunction"],
    ]


def test_where_on_a_property_definitions_configuration(client: Any) -> None:
    statement = UNNESTED + "WHERE p.definition.configuration.unit = 'Celsius'"
    assert rows(client, statement) == [[r, "temperature"] for r in ROOMS]


def test_where_a_map_property_holds_a_key_and_value(client: Any) -> None:
    assert rows(client, UNNESTED + "WHERE p.propertyValue.length = 20.0") == [
        ["room_0", "dimensions"]
    ]


def test_where_a_map_property_holds_a_key(client: Any) -> None:
    # room_1's dimensions have a width only.
    assert rows(client, UNNESTED + "WHERE NOT p.propertyValue.length IS MISSING") == [
        ["room_0", "dimensions"]
    ]


def test_where_a_list_property_holds_a_value(client: Any) -> None:
    assert rows(client, UNNESTED + "WHERE 10.0 IN p.propertyValue") == [["room_0", "setpoints"]]


def test_where_lower_compares_without_case(client: Any) -> None:
    assert rows(client, UNNESTED + "WHERE lower(p.propertyValue) = 'meeting'") == [
        ["room_0", "roomFunction"],
        ["room_3", "roomFunction"],
    ]


def test_the_guides_greater_or_equal_typo_is_named(client: Any) -> None:
    statement = UNNESTED + "WHERE p.propertyValue => 3"
    assert "there is no operator =>" in refusal(client, statement)
    assert rows(
        client,
        UNNESTED.replace("p.propertyName", "p.propertyValue")
        + "WHERE p.propertyValue >= 4 AND p.propertyName = 'roomNumber'",
    ) == [
        ["room_4", 4],
        ["room_5", 5],
    ]


# --- LIKE -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("'%room%'", ROOMS),
        ("'room%'", ROOMS),
        ("'%room'", []),
        ("'room\\%' ESCAPE '\\'", []),
        ("'%Zone%'", ["lightingZone_0"]),
        ("'%_1'", ["floor_1", "luminaire_1", "room_1"]),
    ],
)
def test_like(client: Any, pattern: str, expected: list[str]) -> None:
    statement = f"SELECT e.entityName FROM EntityGraph MATCH (e) WHERE e.entityName LIKE {pattern}"
    assert rows(client, statement) == [[name] for name in expected]


# --- DISTINCT, COUNT ------------------------------------------------------------------------------


def test_distinct(client: Any) -> None:
    statement = "SELECT DISTINCT c.componentTypeId\nFROM EntityGraph MATCH (e), e.components AS c"
    assert rows(client, statement) == [[t] for t in sorted(building.COMPONENT_TYPES)]
    assert len(rows(client, statement.replace("DISTINCT ", ""))) == len(IDS)


def test_distinct_is_refused_on_complex_data_types(client: Any) -> None:
    assert "DISTINCT on a whole" in refusal(client, "SELECT DISTINCT e FROM EntityGraph MATCH (e)")


def test_count(client: Any) -> None:
    statement = (
        "SELECT COUNT(e), COUNT(c.componentTypeId)\nFROM EntityGraph MATCH (e), e.components AS c"
    )
    assert page(client, statement) == {
        "columnDescriptions": [{"name": "_1", "type": "VALUE"}, {"name": "_2", "type": "VALUE"}],
        "rows": [{"rowData": [len(IDS), len(IDS)]}],
    }


def test_count_skips_missing_values(client: Any) -> None:
    statement = (
        "SELECT COUNT(p.propertyValue) AS set FROM EntityGraph MATCH (e), e.components AS c, "
        "c.properties AS p WHERE c.componentTypeId = '" + ROOM_TYPE + "'"
    )
    assert rows(client, statement) == [[sum(len(ENTITIES[r][1]) for r in ROOMS)]]


def test_count_distinct_is_refused(client: Any) -> None:
    statement = "SELECT COUNT(DISTINCT e.entityId) FROM EntityGraph MATCH (e)"
    assert "COUNT(DISTINCT ...)" in refusal(client, statement)


# --- PATH -----------------------------------------------------------------------------------------


def test_path_of_variable_hops(client: Any) -> None:
    statement = "SELECT p FROM EntityGraph MATCH p = (a)-[]->{1, 3}(b)"
    response = page(client, statement)
    assert response["columnDescriptions"] == [{"name": "p", "type": "PATH"}]
    expected = [[path(*trail)] for start in IDS for trail in outgoing_trails(start, 3)]
    assert sort(rows(client, statement)) == sort(expected)
    assert [path("room_0", ("room_0", "hasPart", "lightingZone_0"), "lightingZone_0")] in expected


def test_path_of_fixed_hops(client: Any) -> None:
    statement = "SELECT p FROM EntityGraph MATCH p = (a)-[]->(b)<-[]-(c)"
    expected = [
        [path(e1[0], e1, b, e2, e2[0])]
        for b in IDS
        for e1 in EDGES
        if e1[2] == b
        for e2 in EDGES
        if e2[2] == b
    ]
    assert sort(rows(client, statement)) == sort(expected)


def test_path_undirected(client: Any) -> None:
    statement = "SELECT p FROM EntityGraph MATCH p = (a)-[]-(b)-[]-(c)"
    expected = [[path(a, e1, b, e2, c)] for a in IDS for e1, b in at(a) for e2, c in at(b)]
    assert sort(rows(client, statement)) == sort(expected)


# --- LIMIT, OFFSET, maxResults --------------------------------------------------------------------


def test_limit_and_offset(client: Any) -> None:
    statement = (
        "SELECT e.entityName\nFROM EntityGraph MATCH (e)\nWHERE e.entityName LIKE 'room_%'\n"
        "LIMIT 10\nOFFSET 5"
    )
    assert rows(client, statement) == [["room_5"]]


def test_limit_and_max_results_page_without_repeats_or_skips(client: Any) -> None:
    statement = "SELECT e FROM EntityGraph MATCH (e) LIMIT 500"
    pages = [page(client, statement, maxResults=3)]
    while "nextToken" in pages[-1]:
        pages.append(page(client, statement, maxResults=3, nextToken=pages[-1]["nextToken"]))
    assert len(pages) == 4
    assert [len(p["rows"]) for p in pages] == [3, 3, 3, 3]
    assert [r["rowData"] for p in pages for r in p["rows"]] == [[node(i)] for i in IDS]


@settings(max_examples=25)
@given(size=st.integers(min_value=1, max_value=25))
def test_every_page_size_gives_the_same_rows(client: Any, size: int) -> None:
    statement = "SELECT p FROM EntityGraph MATCH p = (a)-[]-(b)"
    everything = page(client, statement, maxResults=100)["rows"]
    found: list[Any] = []
    members: dict[str, Any] = {"maxResults": size}
    while True:
        response = page(client, statement, **members)
        assert len(response["rows"]) <= size
        found += response["rows"]
        if "nextToken" not in response:
            break
        members = {"maxResults": size, "nextToken": response["nextToken"]}
    assert found == everything
    assert len(everything) == 2 * len(EDGES)


# --- invalid queries and the pricing mode ---------------------------------------------------------


@pytest.mark.parametrize(
    ("statement", "says"),
    [
        ("SELECT e FROM EntityGraph MATCH (e) WHERE", "syntax error at the end of the query"),
        # `FORM` reads as an alias of e, so the parser stumbles on the word after it.
        ("SELECT e FORM EntityGraph MATCH (e)", "position 15 ('EntityGraph'): expected FROM"),
        ("SELECT e FROM EntityGraph MATCH (e))", "syntax error at position 36 (')')"),
        ("SELECT x.entityName FROM EntityGraph MATCH (e)", "unknown variable 'x'"),
        ("SELECT b FROM EntityGraph MATCH (a)-[]->{1,6}(b)-[]->{1,5}(c)", "at most 10 hops"),
    ],
)
def test_invalid_queries_are_refused_naming_the_problem(
    client: Any, statement: str, says: str
) -> None:
    assert says in refusal(client, statement)


def test_queries_need_the_standard_or_tiered_bundle_pricing_mode() -> None:
    client = Emulator(clock=ManualClock(START)).client()
    client.create_workspace(workspaceId=WORKSPACE, role=building.ROLE)
    statement = "SELECT e FROM EntityGraph MATCH (e)"
    assert "pricing mode STANDARD or TIERED_BUNDLE" in refusal(client, statement)
    assert "the account's is BASIC" in refusal(client, statement)
    client.update_pricing_plan(pricingMode="TIERED_BUNDLE", bundleNames=["Bundle1"])
    assert page(client, statement)["rows"] == []


def test_an_explosive_pattern_is_refused_instead_of_hanging() -> None:
    client = Emulator(clock=ManualClock(START)).client()
    client.update_pricing_plan(pricingMode="STANDARD")
    client.create_workspace(workspaceId=WORKSPACE, role=building.ROLE)
    names = [f"n{i}" for i in range(7)]
    client.create_component_type(
        workspaceId=WORKSPACE,
        componentTypeId="com.example.mesh",
        propertyDefinitions={
            "links": building.COMPONENT_TYPES[building.LIGHTING_ZONE_TYPE]["feed"]
        },
    )
    for name in names:
        links = [{"relationshipValue": {"targetEntityId": n}} for n in names if n != name]
        client.create_entity(
            workspaceId=WORKSPACE,
            entityId=name,
            entityName=name,
            components={
                "mesh": {
                    "componentTypeId": "com.example.mesh",
                    "properties": {"links": {"value": {"listValue": links}}},
                }
            },
        )
    # Every trail of up to 10 hops, either way, through 42 edges: far too many to enumerate.
    statement = "SELECT COUNT(b) FROM EntityGraph MATCH (a)-[]-{1,10}(b)"
    assert "10-second execution timeout" in refusal(client, statement)
    assert rows(client, "SELECT COUNT(b) FROM EntityGraph MATCH (a)-[]->(b)") == [[42]]
