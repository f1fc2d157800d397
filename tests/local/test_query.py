"""ExecuteQuery in the emulator, through boto3 and the typed client: the knowledge-graph subset.

The world is the guide's example building: `Building` <- `floor_0` <- `room_0`, `room_1`
(`isChildOf` edges from `parentEntityId`), `floor_0` -isLocationOf-> `Building` and
`room_0` -feed-> `room_1` (relationship properties).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
from botocore.exceptions import ClientError

import twinkit
from twinkit.local import ManualClock
from twinkit.models import ColumnType

START = datetime(2026, 1, 1, tzinfo=timezone.utc)
MILLIS = 1767225600000
"""START in epoch milliseconds, as node documents hold dates."""
ARN = "arn:aws:iottwinmaker:us-east-1:123456789012:workspace/factory/entity/"
ROOM = "com.example.room"
FLOOR = "com.example.floor"


@pytest.fixture
def twinmaker_emulator_options() -> dict[str, Any]:
    return {"clock": ManualClock(START)}


def _component(type_id: str, **values: dict[str, Any]) -> dict[str, Any]:
    return {
        "componentTypeId": type_id,
        "properties": {name: {"value": value} for name, value in values.items()},
    }


def _entity(client: Any, entity_id: str, name: str, **members: Any) -> None:
    client.create_entity(workspaceId="factory", entityId=entity_id, entityName=name, **members)


@pytest.fixture
def client(twinmaker_client: Any) -> Any:
    client = twinmaker_client
    # The knowledge graph answers only under the STANDARD or TIERED_BUNDLE pricing mode.
    client.update_pricing_plan(pricingMode="STANDARD")
    client.create_workspace(workspaceId="factory", role="arn:aws:iam::123456789012:role/tm")
    client.create_component_type(
        workspaceId="factory",
        componentTypeId=ROOM,
        propertyDefinitions={
            "roomNumber": {"dataType": {"type": "INTEGER"}},
            "roomFunction": {
                "dataType": {"type": "STRING"},
                "defaultValue": {"stringValue": "office"},
            },
            "feed": {"dataType": {"type": "LIST", "nestedType": {"type": "RELATIONSHIP"}}},
            "size": {"dataType": {"type": "MAP", "nestedType": {"type": "DOUBLE"}}},
        },
    )
    client.create_component_type(
        workspaceId="factory",
        componentTypeId=FLOOR,
        propertyDefinitions={"isLocationOf": {"dataType": {"type": "RELATIONSHIP"}}},
    )
    _entity(client, "building", "Building")
    located = {"relationshipValue": {"targetEntityId": "building"}}
    _entity(
        client,
        "floor_0",
        "floor_0",
        parentEntityId="building",
        components={"FloorComponent": _component(FLOOR, isLocationOf=located)},
    )
    room_0 = _component(
        ROOM,
        roomNumber={"integerValue": 0},
        roomFunction={"stringValue": "meeting"},
        feed={"listValue": [{"relationshipValue": {"targetEntityId": "room_1"}}]},
        size={"mapValue": {"length": {"doubleValue": 20.0}}},
    )
    _entity(
        client,
        "room_0",
        "room_0",
        parentEntityId="floor_0",
        description="Meeting room",
        components={"RoomComponent": room_0},
    )
    room_1 = _component(ROOM, roomNumber={"integerValue": 1})
    _entity(
        client,
        "room_1",
        "room_1",
        parentEntityId="floor_0",
        components={"RoomComponent": room_1},
    )
    return client


def query(client: Any, statement: str, **members: Any) -> dict[str, Any]:
    response = client.execute_query(workspaceId="factory", queryStatement=statement, **members)
    response.pop("ResponseMetadata")
    return dict(response)


def values(client: Any, statement: str) -> list[list[Any]]:
    """Each row's data, of a query answered in one page."""
    response = query(client, statement)
    assert "nextToken" not in response
    return [row["rowData"] for row in response["rows"]]


def node(entity_id: str, name: str, components: list[Any], description: str = "") -> Any:
    return {
        "arn": ARN + entity_id,
        "creationDate": MILLIS,
        "entityId": entity_id,
        "entityName": name,
        "lastUpdateDate": MILLIS,
        "workspaceId": "factory",
        "description": description,
        "components": components,
    }


ROOM_0 = node(
    "room_0",
    "room_0",
    [
        {
            "componentName": "RoomComponent",
            "componentTypeId": ROOM,
            "properties": [
                {"propertyName": "feed", "propertyValue": [{"targetEntityId": "room_1"}]},
                {"propertyName": "roomFunction", "propertyValue": "meeting"},
                {"propertyName": "roomNumber", "propertyValue": 0},
                {"propertyName": "size", "propertyValue": {"length": 20.0}},
            ],
        }
    ],
    description="Meeting room",
)
ROOM_1 = node(
    "room_1",
    "room_1",
    [
        {
            "componentName": "RoomComponent",
            "componentTypeId": ROOM,
            "properties": [
                {"propertyName": "feed"},
                {"propertyName": "roomFunction", "propertyValue": "office"},
                {"propertyName": "roomNumber", "propertyValue": 1},
                {"propertyName": "size"},
            ],
        }
    ],
)
FLOOR_0 = node(
    "floor_0",
    "floor_0",
    [
        {
            "componentName": "FloorComponent",
            "componentTypeId": FLOOR,
            "properties": [
                {"propertyName": "isLocationOf", "propertyValue": {"targetEntityId": "building"}}
            ],
        }
    ],
)
BUILDING = node("building", "Building", [])


# --- nodes and filters ----------------------------------------------------------------------------


def test_every_entity_is_a_node(client: Any) -> None:
    assert query(client, "SELECT e FROM EntityGraph MATCH (e)") == {
        "columnDescriptions": [{"name": "e", "type": "NODE"}],
        "rows": [{"rowData": [doc]} for doc in (BUILDING, FLOOR_0, ROOM_0, ROOM_1)],
    }


def test_the_guides_first_query(client: Any) -> None:
    statement = "SELECT entity FROM EntityGraph MATCH (entity) WHERE entity.entityName = 'room_0'"
    assert query(client, statement) == {
        "columnDescriptions": [{"name": "entity", "type": "NODE"}],
        "rows": [{"rowData": [ROOM_0]}],
    }


ENTITY_FILTERS = [
    ("e.entityName = 'room_0'", ["room_0"]),
    ("e.entityName = 'building'", []),  # comparisons are case-sensitive
    ("lower(e.entityName) = 'building'", ["Building"]),
    ("e.entityName LIKE 'room%'", ["room_0", "room_1"]),
    ("e.entityName LIKE '%\\_0' ESCAPE '\\'", ["floor_0", "room_0"]),
    ("e.entityName LIKE '_oom_1'", ["room_1"]),
    ("e.entityName NOT LIKE 'room%'", ["Building", "floor_0"]),
    ("e.entityName <> 'Building' AND NOT e.entityName LIKE 'room%'", ["floor_0"]),
    ("e.entityId != 'building' AND e.entityId < 'room_1'", ["floor_0", "room_0"]),
    (
        "(e.entityId = 'building' OR e.entityId = 'room_1') AND e.description = ''",
        ["Building", "room_1"],
    ),
    ("e.entityId = 'building' OR e.entityId = 'room_1' AND e.description = 'x'", ["Building"]),
    ("e.entityName IN ('room_1', 'Building', 'nowhere')", ["Building", "room_1"]),
    ("e.entityName NOT IN ('room_1', 'Building')", ["floor_0", "room_0"]),
    ("e.description = 'Meeting room'", ["room_0"]),
    ("e.creationDate = 1767225600000", ["Building", "floor_0", "room_0", "room_1"]),
    ("e.entityName = 0", []),  # = across types is false, never an error
    ("NOT e.entityName = 0", ["Building", "floor_0", "room_0", "room_1"]),
    ("e.entityName = NULL", []),  # unknown
    ("NOT e.entityName = NULL", []),  # still unknown
]

PROPERTY_FILTERS = [
    ("p.propertyName = 'roomFunction' AND p.propertyValue = 'meeting'", ["room_0"]),
    # a property without a value: the comparison is unknown, and so is its NOT
    ("p.propertyName = 'feed' AND NOT p.propertyValue = 'x'", ["room_0"]),
    ("p.propertyName = 'feed' AND p.propertyValue IS MISSING", ["room_1"]),
    ("p.propertyName = 'feed' AND p.propertyValue IS NOT NULL", ["room_0"]),
    ("p.propertyName = 'roomNumber' AND p.propertyValue >= 1", ["room_1"]),
    ("p.propertyName = 'roomNumber' AND p.propertyValue < 0.5", ["room_0"]),
    ("p.propertyValue.length = 20", ["room_0"]),
    ("NOT p.propertyValue.length IS MISSING", ["room_0"]),
    ("p.propertyValue.LENGTH = 20.0", ["room_0"]),  # unquoted names are case-insensitive
    ('p.propertyValue."LENGTH" = 20.0', []),  # quoted ones are exact
    ("lower(p.propertyValue) = 'office'", ["room_1"]),
    ("p.propertyValue IN ('office', 'meeting')", ["room_0", "room_1"]),
    ("p.propertyValue > 'n'", ["room_1"]),  # strings order; a string and a number do not
]


def test_where_filters_entities_and_component_properties(client: Any) -> None:
    wrong = []
    for where, names in ENTITY_FILTERS:
        got = values(client, f"SELECT e.entityName FROM EntityGraph MATCH (e) WHERE {where}")
        if got != [[name] for name in names]:
            wrong.append((where, got))
    for where, names in PROPERTY_FILTERS:
        statement = (
            "SELECT e.entityName FROM EntityGraph MATCH (e), e.components AS c, c.properties AS p "
            f"WHERE c.componentTypeId = 'com.example.room' AND ({where})"
        )
        got = values(client, statement)
        if got != [[name] for name in names]:
            wrong.append((where, got))
    assert wrong == []


def test_unnested_properties_are_values_and_aliases_name_columns(client: Any) -> None:
    statement = (
        "SELECT e.entityName AS roomName, c.componentName, p.propertyValue AS roomfunction, p "
        "FROM EntityGraph MATCH (e), e.components c, c.properties AS p "
        "WHERE c.componentTypeId = 'com.example.room' AND p.propertyName = 'roomFunction'"
    )
    assert query(client, statement) == {
        "columnDescriptions": [
            {"name": "roomName", "type": "VALUE"},
            {"name": "componentName", "type": "VALUE"},
            {"name": "roomfunction", "type": "VALUE"},
            {"name": "p", "type": "VALUE"},
        ],
        "rows": [
            {"rowData": ["room_0", "RoomComponent", "meeting", MEETING]},
            {"rowData": ["room_1", "RoomComponent", "office", OFFICE]},
        ],
    }


MEETING = {"propertyName": "roomFunction", "propertyValue": "meeting"}
OFFICE = {"propertyName": "roomFunction", "propertyValue": "office"}


# --- relationships --------------------------------------------------------------------------------


IS_LOCATION_OF = {
    "relationshipName": "isLocationOf",
    "sourceEntityId": "floor_0",
    "targetEntityId": "building",
    "sourceComponentName": "FloorComponent",
    "sourceComponentTypeId": FLOOR,
}
FEED = {
    "relationshipName": "feed",
    "sourceEntityId": "room_0",
    "targetEntityId": "room_1",
    "sourceComponentName": "RoomComponent",
    "sourceComponentTypeId": ROOM,
}


def child_of(child: str, parent: str) -> dict[str, str]:
    return {"relationshipName": "isChildOf", "sourceEntityId": child, "targetEntityId": parent}


def test_relationship_properties_and_parents_are_edges(client: Any) -> None:
    edges = [
        child_of("floor_0", "building"),
        IS_LOCATION_OF,
        child_of("room_0", "floor_0"),
        FEED,
        child_of("room_1", "floor_0"),
    ]
    assert query(client, "SELECT r FROM EntityGraph MATCH (a)-[r]->(b)") == {
        "columnDescriptions": [{"name": "r", "type": "EDGE"}],
        "rows": [{"rowData": [edge]} for edge in edges],
    }


def test_the_guides_relationship_queries(client: Any) -> None:
    edges = (
        "SELECT relationship FROM EntityGraph MATCH (e1)-[relationship]->(e2) "
        "WHERE relationship.relationshipName = 'isLocationOf'"
    )
    assert query(client, edges) == {
        "columnDescriptions": [{"name": "relationship", "type": "EDGE"}],
        "rows": [{"rowData": [IS_LOCATION_OF]}],
    }
    targets = (
        "SELECT e2.entityName FROM EntityGraph MATCH (e1)-[r]->(e2) "
        "WHERE r.relationshipName = 'isLocationOf' AND e1.entityName = 'floor_0'"
    )
    assert query(client, targets) == {
        "columnDescriptions": [{"name": "entityName", "type": "VALUE"}],
        "rows": [{"rowData": ["Building"]}],
    }


PATTERNS: list[tuple[str, list[list[Any]]]] = [
    (  # a label instead of a filter on relationshipName; the edge pointing left
        "SELECT child.entityName, parent.entityName AS parentName "
        "FROM EntityGraph MATCH (parent)<-[:isChildOf]-(child) WHERE parent.entityName = 'floor_0'",
        [["room_0", "floor_0"], ["room_1", "floor_0"]],
    ),
    (  # a chain of two hops
        "SELECT a.entityName, b.entityName AS via, c.entityName AS top "
        "FROM EntityGraph MATCH (a)-[:isChildOf]->(b)-[:isChildOf]->(c)",
        [["room_0", "floor_0", "Building"], ["room_1", "floor_0", "Building"]],
    ),
    (  # either direction: one match each way
        "SELECT a.entityName, b.entityName FROM EntityGraph MATCH (a)-[:feed]-(b)",
        [["room_0", "room_1"], ["room_1", "room_0"]],
    ),
    (  # abbreviated edges; a node selected whole
        "SELECT a.entityName, b FROM EntityGraph MATCH (a)->(b) WHERE a.entityId = 'room_0'",
        [["room_0", FLOOR_0], ["room_0", ROOM_1]],
    ),
    (  # a variable used twice is the same node: no entity is its own parent
        "SELECT a.entityName FROM EntityGraph MATCH (a)-[]->(a)",
        [],
    ),
    (  # an edge may come twice in a match (r2 = r1); floor_0 has two edges to Building
        "SELECT f.entityName, r2.relationshipName "
        "FROM EntityGraph MATCH (f)-[r1:isChildOf]->(b)<-[r2]-(f)",
        [
            ["floor_0", "isChildOf"],
            ["floor_0", "isLocationOf"],
            ["room_0", "isChildOf"],
            ["room_1", "isChildOf"],
        ],
    ),
    (  # fields of an edge
        "SELECT r.sourceComponentTypeId, r.targetEntityId FROM EntityGraph MATCH (a)-[r:feed]->(b)",
        [[ROOM, "room_1"]],
    ),
    (  # isChildOf edges carry no component fields: selected, they are null
        "SELECT r.sourceComponentName FROM EntityGraph MATCH (a)-[r:isChildOf]->(b) "
        "WHERE a.entityId = 'room_1'",
        [[None]],
    ),
]


def test_patterns_traverse_relationships(client: Any) -> None:
    wrong = []
    for statement, rows in PATTERNS:
        got = values(client, statement)
        if got != rows:
            wrong.append((statement, got))
    assert wrong == []


def test_a_relationship_to_a_missing_entity_matches_nothing(client: Any) -> None:
    # The emulator does not check relationship targets; such an edge has no node at its end.
    ghost = {"listValue": [{"relationshipValue": {"targetEntityId": "ghost"}}]}
    client.update_entity(
        workspaceId="factory",
        entityId="room_1",
        componentUpdates={"RoomComponent": {"propertyUpdates": {"feed": {"value": ghost}}}},
    )
    assert values(client, "SELECT r FROM EntityGraph MATCH (a)-[r:feed]->(b)") == [[FEED]]


# --- paging ---------------------------------------------------------------------------------------


def all_pages(client: Any, statement: str, size: int) -> list[dict[str, Any]]:
    pages, token = [], None
    while True:
        more: dict[str, str] = {"nextToken": token} if token else {}
        response = query(client, statement, maxResults=size, **more)
        pages.append(response)
        token = response.get("nextToken")
        if token is None:
            return pages


def test_pages_split_the_rows_in_order(client: Any) -> None:
    for index in range(9):
        _entity(client, f"pump_{index}", f"pump_{index}", parentEntityId="room_0")
    statement = "SELECT e.entityId FROM EntityGraph MATCH (e)"
    whole = query(client, statement)
    assert len(whole["rows"]) == 13
    assert "nextToken" not in whole
    pages = all_pages(client, statement, 4)
    assert [len(p["rows"]) for p in pages] == [4, 4, 4, 1]
    assert all(p["columnDescriptions"] == [{"name": "entityId", "type": "VALUE"}] for p in pages)
    assert [row for p in pages for row in p["rows"]] == whole["rows"]


def test_limit_and_offset_come_before_paging(client: Any) -> None:
    statement = "SELECT e.entityId FROM EntityGraph MATCH (e) LIMIT 3 OFFSET 1"
    pages = all_pages(client, statement, 2)
    assert [[row["rowData"] for row in p["rows"]] for p in pages] == [
        [["floor_0"], ["room_0"]],
        [["room_1"]],
    ]


def test_paging_never_repeats_or_skips_a_row_that_stayed(client: Any) -> None:
    statement = "SELECT e.entityId FROM EntityGraph MATCH (e)"
    first = query(client, statement, maxResults=2)
    assert [row["rowData"] for row in first["rows"]] == [["building"], ["floor_0"]]
    _entity(client, "aaa", "aaa")  # sorts before the page already read
    client.delete_entity(workspaceId="factory", entityId="room_1")
    rest = query(client, statement, maxResults=2, nextToken=first["nextToken"])
    assert rest == {
        "columnDescriptions": [{"name": "entityId", "type": "VALUE"}],
        "rows": [{"rowData": ["room_0"]}],
    }


def test_a_token_works_only_with_its_statement(client: Any) -> None:
    first = query(client, "SELECT e FROM EntityGraph MATCH (e)", maxResults=1)
    with pytest.raises(ClientError, match="does not belong to this request"):
        query(client, "SELECT e.entityId FROM EntityGraph MATCH (e)", nextToken=first["nextToken"])
    with pytest.raises(ClientError, match="not a token this service issued"):
        query(client, "SELECT e FROM EntityGraph MATCH (e)", nextToken="bogus")


# --- refusals -------------------------------------------------------------------------------------


REFUSED = [
    ("SELECT * FROM EntityGraph MATCH (e)", "does not support SELECT *"),
    ("SELECT DISTINCT e FROM EntityGraph MATCH (e)", "DISTINCT on a whole variable (e)"),
    ("SELECT COUNT(DISTINCT e.entityId) FROM EntityGraph MATCH (e)", "COUNT(DISTINCT ...)"),
    ("SELECT COUNT(*) FROM EntityGraph MATCH (e)", "COUNT(*)"),
    ("SELECT COUNT(e), e.entityName FROM EntityGraph MATCH (e)", "that needs GROUP BY"),
    ("SELECT COUNT(p) FROM EntityGraph MATCH p = (a)-[]->(b)", "COUNT of a path variable"),
    ("SELECT p.path FROM EntityGraph MATCH p = (a)-[]->(b)", "fields of a path variable"),
    ("SELECT e FROM EntityGraph MATCH (e) WHERE upper(e.entityName) = 'A'", "function UPPER"),
    ("SELECT b FROM EntityGraph MATCH (a)-[r]->{1,5}(b)", "a variable on a variable-length edge"),
    ("SELECT b FROM EntityGraph MATCH (a)-[]->+(b)", "the quantifier +"),
    ("SELECT b FROM EntityGraph MATCH (a)-[]->{0,2}(b)", "zero hops"),
    ("SELECT b FROM EntityGraph MATCH (a)-[]->{3,2}(b)", "at least 3 and at most 2 times"),
    ("SELECT b FROM EntityGraph MATCH (a)-[]->{1,11}(b)", "at most 10 hops"),
    ("SELECT e FROM EntityGraph MATCH (e:Room)", "node labels"),
    ("SELECT e FROM EntityGraph MATCH (a)-[:x|y]->(e)", "label expressions"),
    ("SELECT e FROM EntityGraph MATCH (e), (f)", "a second MATCH pattern"),
    ("SELECT e FROM EntityGraph MATCH (e) ORDER BY e.entityName", "does not support ORDER BY"),
    ("SELECT e FROM EntityGraph MATCH (e) WHERE e.entityId BETWEEN 'a' AND 'b'", "BETWEEN"),
    ("SELECT e FROM Entities", "sources other than EntityGraph"),
    ("SELECT e FROM EntityGraph MATCH (e), e.entityName AS n", "unnesting anything but"),
    ("SELECT e.components.componentName FROM EntityGraph MATCH (e)", "paths below components"),
    ("SELECT e FROM EntityGraph MATCH (e) -- all", "does not support comments"),
    (
        "SELECT e FROM EntityGraph MATCH (e), e.components AS c, c.properties AS p "
        "WHERE p.parentEntityId = 'C'",
        "does not model the field 'parentEntityId' of a property",
    ),
]

WRONG = [
    ("SELECT e FROM EntityGraph MATCH (e) WHERE", "syntax error at the end of the query"),
    ("SELECT e FROM EntityGraph MATCH (e) WHERE e.entityName = 'x", "unterminated string"),
    ("SELECT e FROM EntityGraph MATCH (e) WHERE e.entityName == 'x'", "syntax error at position"),
    ("SELECT x FROM EntityGraph MATCH (e)", "unknown variable 'x'"),
    ("SELECT e FROM EntityGraph MATCH (e)-[e]->(f)", "already bound to a node"),
    (
        "SELECT e FROM EntityGraph MATCH (e) WHERE e.entityName LIKE '%abcdefghijklmnopqrstu'",
        "a LIKE pattern has at most 20 characters",
    ),
    ("SELECT e FROM EntityGraph MATCH (e) LIMIT 3001", "LIMIT is at most 3000"),
    ("SELECT e FROM EntityGraph MATCH (e) LIMIT 2000 OFFSET 1001", "LIMIT plus OFFSET"),
    (  # an unknown field is refused, never silently missing
        "SELECT e FROM EntityGraph MATCH (e) WHERE e.nothing IS MISSING",
        "does not model the field 'nothing' of a node",
    ),
]


def error_of(client: Any, statement: str) -> str:
    """The `code: message` of the error a statement gets, or "answered"."""
    try:
        query(client, statement)
    except ClientError as error:
        return f"{error.response['Error']['Code']}: {error.response['Error']['Message']}"
    return "answered"


def refusals(client: Any, cases: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Each (statement, what came back) not refused by a ValidationException saying its text."""
    answers = [(statement, says, error_of(client, statement)) for statement, says in cases]
    return [
        (statement, got)
        for statement, says, got in answers
        if not (got.startswith("ValidationException: ") and says in got)
    ]


def test_a_query_outside_the_subset_is_refused_naming_what(client: Any) -> None:
    assert refusals(client, REFUSED) == []


def test_a_wrong_query_is_a_validation_error(client: Any) -> None:
    assert refusals(client, WRONG) == []


def test_an_unknown_workspace_is_an_error(client: Any) -> None:
    # ExecuteQuery's errors have no ResourceNotFoundException: the emulator answers its "not
    # found" with a ValidationException, as for every code an operation does not have.
    with pytest.raises(client.exceptions.ValidationException, match="Workspace nowhere not found"):
        client.execute_query(
            workspaceId="nowhere", queryStatement="SELECT e FROM EntityGraph MATCH (e)"
        )


# --- the typed client -----------------------------------------------------------------------------


def test_the_typed_client_keeps_the_documents(client: Any) -> None:
    tm = twinkit.TwinMaker(client=client)
    response = tm.execute_query(
        workspace_id="factory",
        query_statement="SELECT e, r FROM EntityGraph MATCH (e)-[r:feed]->(f)",
    )
    assert [(c.name, c.type) for c in response.column_descriptions or []] == [
        ("e", ColumnType.NODE),
        ("r", ColumnType.EDGE),
    ]
    assert [row.row_data for row in response.rows or []] == [[ROOM_0, FEED]]
    assert response.next_token is None
    rows = tm.paginate.execute_query(
        workspace_id="factory",
        query_statement="SELECT e.entityName FROM EntityGraph MATCH (e)",
        page_size=3,
    )
    assert [row.row_data for row in rows] == [["Building"], ["floor_0"], ["room_0"], ["room_1"]]
