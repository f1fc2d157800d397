"""Entities in the emulator, through boto3: hierarchy, components, values, updates, listing."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

import twinkit.local
from tests.local._support import body, rejects
from twinkit.local import ManualClock

START = datetime(2026, 1, 1, tzinfo=timezone.utc)
ROLE = "arn:aws:iam::123456789012:role/twinmaker"
ENTITY_ARN = "arn:aws:iottwinmaker:us-east-1:123456789012:workspace/factory/entity/"
ACTIVE = {"state": "ACTIVE", "error": {}}
PUMP = "com.example.pump"
MOTOR = "com.example.motor"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def client(clock: ManualClock) -> Iterator[Any]:
    with twinkit.local.emulator(clock=clock) as twin:
        client = twin.client()
        client.create_workspace(workspaceId="factory", role=ROLE)
        _types(client)
        yield client


def _types(client: Any) -> None:
    def create(type_id: str, **members: Any) -> None:
        client.create_component_type(workspaceId="factory", componentTypeId=type_id, **members)

    create(
        MOTOR,
        propertyDefinitions={
            "power": {"dataType": {"type": "DOUBLE"}, "isRequiredInEntity": True},
            "brand": {"dataType": {"type": "STRING"}, "defaultValue": {"stringValue": "ACME"}},
        },
    )
    create(
        PUMP,
        propertyDefinitions={
            "serial": {
                "dataType": {"type": "STRING"},
                "isRequiredInEntity": True,
                "isExternalId": True,
            },
            "mode": {
                "dataType": {
                    "type": "STRING",
                    "allowedValues": [{"stringValue": "AUTO"}, {"stringValue": "MANUAL"}],
                },
                "defaultValue": {"stringValue": "AUTO"},
            },
            "rpm": {"dataType": {"type": "DOUBLE"}},
            "count": {"dataType": {"type": "INTEGER"}},
            "total": {"dataType": {"type": "LONG"}},
            "on": {"dataType": {"type": "BOOLEAN"}},
            "tags": {"dataType": {"type": "LIST", "nestedType": {"type": "STRING"}}},
            "limits": {"dataType": {"type": "MAP", "nestedType": {"type": "LONG"}}},
            "feeds": {"dataType": {"type": "RELATIONSHIP"}},
        },
        propertyGroups={"ids": {"groupType": "TABULAR", "propertyNames": ["serial"]}},
        compositeComponentTypes={"motor": {"componentTypeId": MOTOR}},
    )
    create("com.example.bigpump", extendsFrom=[PUMP])
    create("com.example.abstract", functions={"dataReader": {}})
    create("com.example.unique", isSingleton=True)


def pump(serial: str = "P-1", **properties: Any) -> dict[str, Any]:
    """A pump component request with these property values (motor power set)."""
    values = {"serial": {"value": {"stringValue": serial}}}
    values.update({k: {"value": v} for k, v in properties.items()})
    return {"componentTypeId": PUMP, "properties": values}


MOTOR_POWER = {"pump/motor": {"properties": {"power": {"value": {"doubleValue": 7.5}}}}}


def create(client: Any, entity_id: str, **members: Any) -> dict[str, Any]:
    members.setdefault("entityName", entity_id)
    return body(client.create_entity(workspaceId="factory", entityId=entity_id, **members))


def get(client: Any, entity_id: str) -> dict[str, Any]:
    return body(client.get_entity(workspaceId="factory", entityId=entity_id))


def update(client: Any, entity_id: str, **members: Any) -> dict[str, Any]:
    return body(client.update_entity(workspaceId="factory", entityId=entity_id, **members))


def definition(kind: str, **overrides: Any) -> dict[str, Any]:
    flags = {
        "isTimeSeries": False,
        "isRequiredInEntity": False,
        "isExternalId": False,
        "isStoredExternally": False,
        "isImported": False,
        "isFinal": False,
        "isInherited": False,
    }
    return {"dataType": {"type": kind}, **flags, **overrides}


def values(entity: dict[str, Any], component: str) -> dict[str, Any]:
    """Each property's value in a GetEntity response (None when it has none)."""
    properties = entity["components"][component]["properties"]
    return {name: p.get("value") for name, p in properties.items()}


def all_ids(client: Any, **kwargs: Any) -> list[str]:
    found, token = [], None
    while True:
        page = client.list_entities(
            workspaceId="factory", **kwargs, **({"nextToken": token} if token else {})
        )
        found += [s["entityId"] for s in page["entitySummaries"]]
        token = page.get("nextToken")
        if token is None:
            return found


# --- lifecycle and hierarchy ----------------------------------------------------------------------


def test_an_entity_is_creating_then_active(client: Any, clock: ManualClock) -> None:
    created = body(client.create_entity(workspaceId="factory", entityName="Plant"))
    entity_id = created["entityId"]
    assert uuid.UUID(entity_id).version == 4
    assert created == {
        "entityId": entity_id,
        "arn": ENTITY_ARN + entity_id,
        "creationDateTime": START,
        "state": "CREATING",
    }
    expected = {
        "entityId": entity_id,
        "entityName": "Plant",
        "arn": ENTITY_ARN + entity_id,
        "status": {"state": "CREATING", "error": {}},
        "workspaceId": "factory",
        "description": "",
        "components": {},
        "parentEntityId": "$ROOT",
        "hasChildEntities": False,
        "creationDateTime": START,
        "updateDateTime": START,
    }
    assert get(client, entity_id) == expected
    clock.advance(0.1)
    assert get(client, entity_id) == {**expected, "status": ACTIVE}


def test_a_full_component_as_get_entity_shows_it(client: Any) -> None:
    create(
        client,
        "p1",
        components={"pump": pump(rpm={"doubleValue": 1450})},
        compositeComponents=MOTOR_POWER,
    )
    component = get(client, "p1")["components"]["pump"]
    motor = {
        "componentName": "motor",
        "componentTypeId": MOTOR,
        "status": {"state": "CREATING", "error": {}},
        "componentPath": "pump/motor",
    }
    assert component == {
        "componentName": "pump",
        "componentTypeId": PUMP,
        "status": {"state": "CREATING", "error": {}},
        "properties": {
            "serial": {
                "definition": definition("STRING", isRequiredInEntity=True, isExternalId=True),
                "value": {"stringValue": "P-1"},
            },
            "mode": {
                "definition": {
                    **definition("STRING", defaultValue={"stringValue": "AUTO"}),
                    "dataType": {
                        "type": "STRING",
                        "allowedValues": [{"stringValue": "AUTO"}, {"stringValue": "MANUAL"}],
                    },
                },
                "value": {"stringValue": "AUTO"},
            },
            "rpm": {"definition": definition("DOUBLE"), "value": {"doubleValue": 1450.0}},
            "count": {"definition": definition("INTEGER")},
            "total": {"definition": definition("LONG")},
            "on": {"definition": definition("BOOLEAN")},
            "tags": {
                "definition": {
                    **definition("LIST"),
                    "dataType": {"type": "LIST", "nestedType": {"type": "STRING"}},
                }
            },
            "limits": {
                "definition": {
                    **definition("MAP"),
                    "dataType": {"type": "MAP", "nestedType": {"type": "LONG"}},
                }
            },
            "feeds": {"definition": definition("RELATIONSHIP")},
        },
        "propertyGroups": {
            "ids": {"groupType": "TABULAR", "propertyNames": ["serial"], "isInherited": True}
        },
        "areAllPropertiesReturned": True,
        "compositeComponents": {"motor": motor},
        "areAllCompositeComponentsReturned": True,
    }


def test_the_hierarchy(client: Any) -> None:
    create(client, "site", parentEntityId="$ROOT")
    create(client, "line", parentEntityId="site", description="Line 1")
    assert get(client, "site")["hasChildEntities"] is True
    line = get(client, "line")
    assert (line["parentEntityId"], line["hasChildEntities"], line["description"]) == (
        "site",
        False,
        "Line 1",
    )
    assert rejects(
        client.exceptions.ValidationException,
        client.create_entity,
        workspaceId="factory",
        entityName="x",
        parentEntityId="ghost",
    ) == ("1 validation error detected: parentEntityId: entity ghost does not exist")
    assert rejects(
        client.exceptions.ConflictException,
        client.create_entity,
        workspaceId="factory",
        entityId="line",
        entityName="again",
    ) == ("Entity line already exists in workspace factory")
    assert rejects(
        client.exceptions.ResourceNotFoundException,
        client.get_entity,
        workspaceId="factory",
        entityId="ghost",
    ) == ("Entity ghost not found in workspace factory")


def test_moving_an_entity(client: Any, clock: ManualClock) -> None:
    create(client, "aa")
    create(client, "bb", parentEntityId="aa")
    create(client, "cc", parentEntityId="bb")
    assert rejects(
        client.exceptions.ValidationException,
        client.update_entity,
        workspaceId="factory",
        entityId="aa",
        parentEntityUpdate={"updateType": "UPDATE", "parentEntityId": "cc"},
    ) == (
        "1 validation error detected: parentEntityUpdate.parentEntityId: entity cc is aa or one "
        "of its descendants: that would be a cycle"
    )
    assert rejects(
        client.exceptions.ValidationException,
        client.update_entity,
        workspaceId="factory",
        entityId="aa",
        parentEntityUpdate={"updateType": "UPDATE"},
    ) == (
        "1 validation error detected: parentEntityUpdate.parentEntityId: is required to UPDATE "
        "the parent"
    )
    clock.advance(1)
    moved = update(
        client, "cc", parentEntityUpdate={"updateType": "UPDATE", "parentEntityId": "aa"}
    )
    assert moved == {"updateDateTime": START + timedelta(seconds=1), "state": "UPDATING"}
    assert get(client, "bb")["hasChildEntities"] is False
    assert get(client, "cc")["parentEntityId"] == "aa"
    assert get(client, "cc")["status"] == {"state": "UPDATING", "error": {}}
    update(client, "cc", parentEntityUpdate={"updateType": "DELETE"})
    assert get(client, "cc")["parentEntityId"] == "$ROOT"
    clock.advance(1)
    assert get(client, "cc")["status"] == ACTIVE


# --- components and values ------------------------------------------------------------------------


def test_components_need_existing_concrete_types(client: Any) -> None:
    message = rejects(
        client.exceptions.ValidationException,
        client.create_entity,
        workspaceId="factory",
        entityName="x",
        components={
            "a": {"componentTypeId": "com.example.ghost"},
            "b": {"componentTypeId": "com.example.abstract"},
            "c": {"description": "no type"},
            "d": {"componentTypeId": "com.amazon.iottwinmaker.alarm.basic"},
        },
    )
    assert message == (
        "4 validation errors detected: "
        "components['a'].componentTypeId: component type com.example.ghost does not exist in "
        "workspace factory; "
        "components['b'].componentTypeId: component type com.example.abstract is abstract (a "
        "function has no implementedBy); an entity cannot use it; "
        "components['c'].componentTypeId: is required; "
        "components['d'].componentTypeId: component type com.amazon.iottwinmaker.alarm.basic is "
        "abstract (a function has no implementedBy); an entity cannot use it"
    )


def test_every_bad_value_is_named(client: Any) -> None:
    message = rejects(
        client.exceptions.ValidationException,
        client.create_entity,
        workspaceId="factory",
        entityName="x",
        components={
            "pump": {
                "componentTypeId": PUMP,
                "properties": {
                    "rpm": {"value": {"stringValue": "fast"}},
                    "mode": {"value": {"stringValue": "TURBO"}},
                    "total": {"value": {"integerValue": 5}},
                    "tags": {
                        "value": {"listValue": [{"stringValue": "a"}, {"booleanValue": True}]}
                    },
                    "limits": {"value": {"mapValue": {"max": {"doubleValue": 1.5}}}},
                    "feeds": {"value": {"stringValue": "p2"}},
                    "ghost": {"value": {"stringValue": "?"}},
                },
            }
        },
        compositeComponents={"pump/engine": {}},
    )
    at = "components['pump'].properties"
    assert message == (
        "10 validation errors detected: "
        f"{at}['rpm'].value: expected doubleValue (DOUBLE), got stringValue; "
        f"{at}['mode'].value: stringValue='TURBO' is not one of the allowed values "
        "(stringValue='AUTO', stringValue='MANUAL'); "
        f"{at}['total'].value: expected longValue (LONG), got integerValue; "
        f"{at}['tags'].value.listValue[1]: expected stringValue (STRING), got booleanValue; "
        f"{at}['limits'].value.mapValue['max']: expected longValue (LONG), got doubleValue; "
        f"{at}['feeds'].value: expected relationshipValue (RELATIONSHIP), got stringValue; "
        f"{at}['ghost']: is not a property of component type {PUMP}: give a definition to add "
        "it to the component; "
        "compositeComponents['pump/engine']: is not the path of a composite component of the "
        "entity's components; "
        f"{at}['serial']: is required in an entity (isRequiredInEntity) and has no default "
        "value: give it a value; "
        "compositeComponents['pump/motor'].properties['power']: is required in an entity "
        "(isRequiredInEntity) and has no default value: give it a value"
    )
    assert all_ids(client) == []


def test_good_values_of_every_type(client: Any) -> None:
    given = {
        "rpm": {"doubleValue": 3},
        "mode": {"stringValue": "MANUAL"},
        "count": {"integerValue": -(2**31)},
        "total": {"longValue": 2**40},
        "on": {"booleanValue": False},
        "tags": {"listValue": [{"stringValue": "a"}, {"expression": "${Parameters.tag}"}]},
        "limits": {"mapValue": {"max": {"longValue": 9}}},
        "feeds": {"relationshipValue": {"targetEntityId": "p2", "targetComponentName": "pump"}},
    }
    create(client, "p1", components={"pump": pump(**given)}, compositeComponents=MOTOR_POWER)
    assert values(get(client, "p1"), "pump") == {
        "serial": {"stringValue": "P-1"},
        **given,
        "rpm": {"doubleValue": 3.0},
    }


def test_an_expression_stands_for_any_type(client: Any) -> None:
    create(
        client,
        "p1",
        components={"pump": pump(rpm={"expression": "${Parameters.rpm}"})},
        compositeComponents=MOTOR_POWER,
    )
    assert values(get(client, "p1"), "pump")["rpm"] == {"expression": "${Parameters.rpm}"}


def test_entities_can_add_properties(client: Any) -> None:
    create(
        client,
        "p1",
        components={
            "params": {
                "componentTypeId": "com.amazon.iottwinmaker.parameters",
                "properties": {
                    "floor": {
                        "definition": {"dataType": {"type": "INTEGER"}},
                        "value": {"integerValue": 3},
                    }
                },
            },
            "pump": {
                **pump(),
                "properties": {
                    **pump()["properties"],
                    "rpm": {"definition": {"dataType": {"type": "DOUBLE"}, "isTimeSeries": False}},
                },
            },
        },
        compositeComponents=MOTOR_POWER,
    )
    got = get(client, "p1")
    assert got["components"]["params"]["properties"] == {
        "floor": {"definition": definition("INTEGER"), "value": {"integerValue": 3}}
    }
    message = rejects(
        client.exceptions.ValidationException,
        client.create_entity,
        workspaceId="factory",
        entityName="x",
        components={
            "pump": {
                **pump(),
                "properties": {
                    **pump()["properties"],
                    "rpm": {"definition": {"dataType": {"type": "LONG"}, "isTimeSeries": True}},
                    "mode": {"definition": {"defaultValue": {"stringValue": "MANUAL"}}},
                },
            },
            "params": {
                "componentTypeId": "com.amazon.iottwinmaker.parameters",
                "properties": {"floor": {"definition": {"isRequiredInEntity": True}}},
            },
        },
        compositeComponents=MOTOR_POWER,
    )
    assert message == (
        "4 validation errors detected: "
        f"components['pump'].properties['rpm'].definition.dataType: component type {PUMP} "
        "defines this property as DOUBLE; it cannot change; "
        f"components['pump'].properties['rpm'].definition.isTimeSeries: is false in component "
        f"type {PUMP}; it cannot change; "
        f"components['pump'].properties['mode'].definition.defaultValue: is set by component "
        f"type {PUMP}; an entity cannot change it; "
        "components['params'].properties['floor'].definition.dataType: is required to define a "
        "new property"
    )


def test_a_singleton_type_once_per_entity(client: Any) -> None:
    unique = {"componentTypeId": "com.example.unique"}
    create(client, "e1", components={"u1": unique})
    assert rejects(
        client.exceptions.ValidationException,
        client.update_entity,
        workspaceId="factory",
        entityId="e1",
        componentUpdates={"u2": {"updateType": "CREATE", **unique}},
    ) == (
        "1 validation error detected: componentUpdates['u2'].componentTypeId: component type "
        "com.example.unique is a singleton and the entity already has component 'u1' of it"
    )


def test_more_than_30_components(client: Any) -> None:
    params = {"componentTypeId": "com.amazon.iottwinmaker.parameters"}
    create(client, "many", components={f"c{i:02d}": params for i in range(31)})
    got = get(client, "many")
    assert sorted(got["components"]) == [f"c{i:02d}" for i in range(30)]
    assert got["areAllComponentsReturned"] is False
    listed = client.list_components(workspaceId="factory", entityId="many", maxResults=200)
    assert len(listed["componentSummaries"]) == 31


# --- updates --------------------------------------------------------------------------------------


def test_every_component_update_type(client: Any, clock: ManualClock) -> None:
    create(
        client,
        "p1",
        entityName="Pump",
        components={
            "pump": pump(rpm={"doubleValue": 10}),
            "old": {"componentTypeId": "com.amazon.iottwinmaker.parameters"},
        },
        compositeComponents=MOTOR_POWER,
    )
    clock.advance(1)
    update(
        client,
        "p1",
        entityName="Pump 1",
        description="The first pump",
        componentUpdates={
            "pump": {
                "updateType": "UPDATE",
                "description": "main",
                "propertyUpdates": {"rpm": {"value": {"doubleValue": 20}}},
            },
            "old": {"updateType": "DELETE"},
            "docs": {
                "updateType": "CREATE",
                "componentTypeId": "com.amazon.iottwinmaker.documents",
                "propertyUpdates": {
                    "documents": {
                        "updateType": "UPDATE",
                        "value": {"mapValue": {"manual": {"stringValue": "https://x"}}},
                    }
                },
            },
        },
    )
    got = get(client, "p1")
    assert (got["entityName"], got["description"]) == ("Pump 1", "The first pump")
    assert sorted(got["components"]) == ["docs", "pump"]
    assert got["components"]["pump"]["description"] == "main"
    assert got["components"]["pump"]["status"] == {"state": "UPDATING", "error": {}}
    assert got["components"]["docs"]["status"] == {"state": "CREATING", "error": {}}
    assert values(got, "pump")["rpm"] == {"doubleValue": 20.0}
    assert values(got, "docs") == {
        "documents": {"mapValue": {"manual": {"stringValue": "https://x"}}}
    }
    assert got["updateDateTime"] == START + timedelta(seconds=1)
    clock.advance(1)
    got = get(client, "p1")
    assert got["status"] == ACTIVE
    assert got["components"]["pump"]["status"] == ACTIVE


def test_every_property_update_type(client: Any) -> None:
    create(
        client,
        "p1",
        components={
            "pump": pump(mode={"stringValue": "MANUAL"}, rpm={"doubleValue": 1}),
            "params": {
                "componentTypeId": "com.amazon.iottwinmaker.parameters",
                "properties": {
                    "a": {
                        "definition": {"dataType": {"type": "STRING"}},
                        "value": {"stringValue": "x"},
                    }
                },
            },
        },
        compositeComponents=MOTOR_POWER,
    )
    update(
        client,
        "p1",
        componentUpdates={
            "pump": {
                "propertyUpdates": {
                    "mode": {"updateType": "RESET_VALUE"},
                    "rpm": {"updateType": "UPDATE", "value": {"doubleValue": 2}},
                    "extra": {
                        "updateType": "CREATE",
                        "definition": {"dataType": {"type": "BOOLEAN"}},
                        "value": {"booleanValue": True},
                    },
                }
            },
            "params": {"propertyUpdates": {"a": {"updateType": "DELETE"}}},
        },
    )
    got = get(client, "p1")
    assert values(got, "pump")["mode"] == {"stringValue": "AUTO"}  # back to the default
    assert values(got, "pump")["rpm"] == {"doubleValue": 2.0}
    assert got["components"]["pump"]["properties"]["extra"] == {
        "definition": definition("BOOLEAN"),
        "value": {"booleanValue": True},
    }
    assert got["components"]["params"]["properties"] == {}
    message = rejects(
        client.exceptions.ValidationException,
        client.update_entity,
        workspaceId="factory",
        entityId="p1",
        componentUpdates={
            "pump": {
                "propertyUpdates": {
                    "serial": {"updateType": "RESET_VALUE"},
                    "mode": {"updateType": "DELETE"},
                    "rpm": {"updateType": "CREATE", "value": {"doubleValue": 1}},
                    "ghost": {"updateType": "DELETE"},
                }
            },
            "nothing": {"updateType": "UPDATE"},
            "params": {
                "updateType": "CREATE",
                "componentTypeId": "com.amazon.iottwinmaker.parameters",
            },
        },
    )
    at = "componentUpdates['pump'].propertyUpdates"
    assert message == (
        "6 validation errors detected: "
        f"{at}['mode'].updateType: the property is defined by component type {PUMP} and cannot "
        "be deleted; RESET_VALUE clears its value; "
        f"{at}['rpm'].updateType: the property already exists; use UPDATE to change it; "
        f"{at}['ghost']: the component has no such property; "
        "componentUpdates['nothing']: the entity has no component 'nothing'; CREATE adds one; "
        "componentUpdates['params'].updateType: the entity already has a component 'params'; "
        f"{at}['serial']: is required in an entity (isRequiredInEntity) and has no default "
        "value: give it a value"
    )


def test_property_group_updates(client: Any) -> None:
    create(client, "p1", components={"pump": pump()}, compositeComponents=MOTOR_POWER)
    update(
        client,
        "p1",
        componentUpdates={
            "pump": {
                "propertyGroupUpdates": {
                    "speeds": {
                        "updateType": "CREATE",
                        "groupType": "TABULAR",
                        "propertyNames": ["rpm"],
                    }
                }
            }
        },
    )
    groups = get(client, "p1")["components"]["pump"]["propertyGroups"]
    assert groups["speeds"] == {
        "groupType": "TABULAR",
        "propertyNames": ["rpm"],
        "isInherited": False,
    }
    update(
        client,
        "p1",
        componentUpdates={
            "pump": {
                "propertyGroupUpdates": {
                    "speeds": {"updateType": "UPDATE", "propertyNames": ["rpm", "count"]}
                }
            }
        },
    )
    groups = get(client, "p1")["components"]["pump"]["propertyGroups"]
    assert groups["speeds"]["propertyNames"] == ["rpm", "count"]
    message = rejects(
        client.exceptions.ValidationException,
        client.update_entity,
        workspaceId="factory",
        entityId="p1",
        componentUpdates={
            "pump": {
                "propertyGroupUpdates": {
                    "ids": {"updateType": "DELETE"},
                    "speeds": {"updateType": "CREATE", "propertyNames": ["rpm"]},
                    "more": {"updateType": "CREATE", "propertyNames": ["ghost"]},
                }
            }
        },
    )
    at = "componentUpdates['pump'].propertyGroupUpdates"
    assert message == (
        "3 validation errors detected: "
        f"{at}['ids']: is defined by component type {PUMP}; an entity cannot change it; "
        f"{at}['speeds'].updateType: the property group already exists; use UPDATE; "
        f"{at}['more']: 'ghost' is not a property of the component"
    )
    update(
        client,
        "p1",
        componentUpdates={"pump": {"propertyGroupUpdates": {"speeds": {"updateType": "DELETE"}}}},
    )
    assert list(get(client, "p1")["components"]["pump"]["propertyGroups"]) == ["ids"]


def test_a_component_keeps_its_type(client: Any) -> None:
    create(client, "p1", components={"pump": pump()}, compositeComponents=MOTOR_POWER)
    assert rejects(
        client.exceptions.ValidationException,
        client.update_entity,
        workspaceId="factory",
        entityId="p1",
        componentUpdates={"pump": {"updateType": "UPDATE", "componentTypeId": MOTOR}},
    ) == (
        "1 validation error detected: componentUpdates['pump'].componentTypeId: component "
        f"'pump' is of type {PUMP}; delete it and create it again to change its type"
    )


def test_a_failed_request_changes_nothing(client: Any) -> None:
    create(
        client,
        "p1",
        components={"pump": pump(rpm={"doubleValue": 1})},
        compositeComponents=MOTOR_POWER,
    )
    before = get(client, "p1")
    listed = client.list_entities(workspaceId="factory")["entitySummaries"]
    with pytest.raises(client.exceptions.ValidationException):
        client.update_entity(
            workspaceId="factory",
            entityId="p1",
            entityName="renamed",
            componentUpdates={
                "pump": {
                    "propertyUpdates": {
                        "rpm": {"value": {"doubleValue": 2}},
                        "count": {"value": {"stringValue": "x"}},
                    }
                },
                "docs": {"componentTypeId": "com.amazon.iottwinmaker.documents"},
            },
            parentEntityUpdate={"updateType": "UPDATE", "parentEntityId": "$ROOT"},
        )
    with pytest.raises(client.exceptions.ValidationException):
        client.create_entity(
            workspaceId="factory",
            entityId="p2",
            entityName="x",
            parentEntityId="p1",
            components={"pump": pump(count={"stringValue": "x"})},
        )
    assert get(client, "p1") == before
    assert client.list_entities(workspaceId="factory")["entitySummaries"] == listed
    assert rejects(
        client.exceptions.ResourceNotFoundException,
        client.get_entity,
        workspaceId="factory",
        entityId="p2",
    ) == ("Entity p2 not found in workspace factory")


# --- composite components -------------------------------------------------------------------------


def test_composite_components(client: Any) -> None:
    create(client, "p1", components={"pump": pump()}, compositeComponents=MOTOR_POWER)
    listed = body(
        client.list_components(workspaceId="factory", entityId="p1", componentPath="pump")
    )
    assert listed == {
        "componentSummaries": [
            {
                "componentName": "motor",
                "componentTypeId": MOTOR,
                "status": {"state": "CREATING", "error": {}},
                "componentPath": "pump/motor",
            }
        ]
    }
    properties = client.list_properties(
        workspaceId="factory", entityId="p1", componentPath="pump/motor"
    )
    assert [(p["propertyName"], p.get("value")) for p in properties["propertySummaries"]] == [
        ("brand", {"stringValue": "ACME"}),
        ("power", {"doubleValue": 7.5}),
    ]
    update(
        client,
        "p1",
        compositeComponentUpdates={
            "pump/motor": {"propertyUpdates": {"brand": {"value": {"stringValue": "Bosch"}}}}
        },
    )
    properties = client.list_properties(
        workspaceId="factory", entityId="p1", componentPath="pump/motor"
    )
    assert properties["propertySummaries"][0]["value"] == {"stringValue": "Bosch"}
    update(client, "p1", compositeComponentUpdates={"pump/motor": {"updateType": "DELETE"}})
    assert "compositeComponents" not in get(client, "p1")["components"]["pump"]
    assert rejects(
        client.exceptions.ValidationException,
        client.update_entity,
        workspaceId="factory",
        entityId="p1",
        compositeComponentUpdates={"pump/motor": {"updateType": "CREATE"}},
    ) == (
        "1 validation error detected: compositeComponentUpdates['pump/motor'].propertyUpdates"
        "['power']: is required in an entity (isRequiredInEntity) and has no default value: "
        "give it a value"
    )
    update(
        client,
        "p1",
        compositeComponentUpdates={
            "pump/motor": {
                "updateType": "CREATE",
                "propertyUpdates": {"power": {"value": {"doubleValue": 1.0}}},
            }
        },
    )
    assert (
        get(client, "p1")["components"]["pump"]["compositeComponents"]["motor"]["componentPath"]
        == "pump/motor"
    )
    update(client, "p1", componentUpdates={"pump": {"updateType": "DELETE"}})
    assert get(client, "p1")["components"] == {}


# --- deleting -------------------------------------------------------------------------------------


def test_delete_needs_is_recursive_for_children(client: Any, clock: ManualClock) -> None:
    create(client, "site", tags={"k": "v"})
    create(client, "line", parentEntityId="site")
    create(client, "cell", parentEntityId="line")
    create(client, "other")
    assert rejects(
        client.exceptions.ValidationException,
        client.delete_entity,
        workspaceId="factory",
        entityId="site",
    ) == ("Entity site has child entities: set isRecursive to true to delete them too")
    deleted = client.delete_entity(workspaceId="factory", entityId="site", isRecursive=True)
    assert body(deleted) == {"state": "DELETING"}
    for entity_id in ("site", "line", "cell"):
        assert get(client, entity_id)["status"] == {"state": "DELETING", "error": {}}
    assert rejects(
        client.exceptions.ValidationException,
        client.update_entity,
        workspaceId="factory",
        entityId="line",
        entityName="x",
    ) == ("Entity line is being deleted")
    assert rejects(
        client.exceptions.ResourceNotFoundException,
        client.list_tags_for_resource,
        resourceARN=ENTITY_ARN + "site",
    ) == (f"Resource {ENTITY_ARN}site not found")
    assert all_ids(client) == ["cell", "line", "other", "site"]
    clock.advance(1)
    assert all_ids(client) == ["other"]
    assert rejects(
        client.exceptions.ResourceNotFoundException,
        client.get_entity,
        workspaceId="factory",
        entityId="cell",
    ) == ("Entity cell not found in workspace factory")
    create(client, "site")  # the id is free again


def test_deleting_a_leaf_updates_its_parent(client: Any) -> None:
    create(client, "site")
    create(client, "line", parentEntityId="site")
    client.delete_entity(workspaceId="factory", entityId="line")
    assert get(client, "site")["hasChildEntities"] is False


def test_component_types_in_use(client: Any, clock: ManualClock) -> None:
    create(
        client,
        "p1",
        components={"pump": pump(rpm={"doubleValue": 5})},
        compositeComponents=MOTOR_POWER,
    )
    assert rejects(
        client.exceptions.ValidationException,
        client.delete_component_type,
        workspaceId="factory",
        componentTypeId=MOTOR,
    ) == (
        f"Component type {MOTOR} is in use and cannot be deleted: component type {PUMP} uses it "
        "as a composite component type; entity p1 has a component of it"
    )
    assert rejects(
        client.exceptions.ValidationException,
        client.update_component_type,
        workspaceId="factory",
        componentTypeId=PUMP,
        propertyDefinitions={
            "rpm": {"dataType": {"type": "STRING"}},
            "serial": {"dataType": {"type": "STRING"}},
        },
        isSingleton=True,
    ) == (
        "1 validation error detected: entity p1: components['pump'].properties['rpm'].value: "
        "expected stringValue (STRING), got doubleValue"
    )
    client.update_component_type(
        workspaceId="factory",
        componentTypeId=PUMP,
        propertyDefinitions={
            "rpm": {"dataType": {"type": "DOUBLE"}},
            "serial": {"dataType": {"type": "STRING"}},
            "site": {"dataType": {"type": "STRING"}, "defaultValue": {"stringValue": "north"}},
        },
    )
    assert values(get(client, "p1"), "pump") == {
        "rpm": {"doubleValue": 5.0},
        "serial": {"stringValue": "P-1"},
        "site": {"stringValue": "north"},
    }
    client.delete_entity(workspaceId="factory", entityId="p1")
    client.delete_component_type(workspaceId="factory", componentTypeId="com.example.bigpump")
    client.delete_component_type(workspaceId="factory", componentTypeId=PUMP)
    assert (
        client.get_component_type(workspaceId="factory", componentTypeId=PUMP)["status"]["state"]
        == "DELETING"
    )
    assert rejects(
        client.exceptions.ValidationException,
        client.create_entity,
        workspaceId="factory",
        entityName="x",
        components={"pump": pump()},
    ) == (
        "1 validation error detected: components['pump'].componentTypeId: component type "
        f"{PUMP} does not exist in workspace factory"
    )


# --- listing --------------------------------------------------------------------------------------


def test_list_filters(client: Any) -> None:
    create(client, "site")
    create(
        client,
        "p1",
        parentEntityId="site",
        components={"pump": pump("S-1")},
        compositeComponents=MOTOR_POWER,
    )
    create(
        client,
        "p2",
        parentEntityId="site",
        components={"pump": {**pump("S-2"), "componentTypeId": "com.example.bigpump"}},
        compositeComponents=MOTOR_POWER,
    )
    create(
        client, "docs", components={"d": {"componentTypeId": "com.amazon.iottwinmaker.documents"}}
    )
    assert all_ids(client, filters=[{"parentEntityId": "$ROOT"}]) == ["docs", "site"]
    assert all_ids(client, filters=[{"parentEntityId": "site"}]) == ["p1", "p2"]
    assert all_ids(client, filters=[{"componentTypeId": PUMP}]) == ["p1", "p2"]
    assert all_ids(client, filters=[{"componentTypeId": "com.example.bigpump"}]) == ["p2"]
    assert all_ids(client, filters=[{"componentTypeId": MOTOR}]) == ["p1", "p2"]
    assert all_ids(client, filters=[{"externalId": "S-2"}]) == ["p2"]
    with pytest.raises(client.exceptions.ValidationException):  # "Only one object is accepted"
        all_ids(client, filters=[{"parentEntityId": "site"}, {"externalId": "S-1"}])
    summary = client.list_entities(workspaceId="factory", filters=[{"parentEntityId": "$ROOT"}])
    assert summary["entitySummaries"][1] == {
        "entityId": "site",
        "entityName": "site",
        "arn": ENTITY_ARN + "site",
        "status": {"state": "CREATING", "error": {}},
        "description": "",
        "parentEntityId": "$ROOT",
        "hasChildEntities": True,
        "creationDateTime": START,
        "updateDateTime": START,
    }


def test_paging_entities(client: Any) -> None:
    ids = [f"e{i:03d}" for i in range(57)]
    for entity_id in reversed(ids):
        create(client, entity_id)
    assert [
        s["entityId"] for s in client.list_entities(workspaceId="factory")["entitySummaries"]
    ] == ids[:25]
    pages, seen, token = 0, [], None
    while True:
        page = client.list_entities(
            workspaceId="factory", maxResults=12, **({"nextToken": token} if token else {})
        )
        seen += [s["entityId"] for s in page["entitySummaries"]]
        pages += 1
        token = page.get("nextToken")
        if token is None:
            break
    assert (pages, seen) == (5, ids)
    first = client.list_entities(
        workspaceId="factory", maxResults=12, filters=[{"parentEntityId": "$ROOT"}]
    )
    assert rejects(
        client.exceptions.ValidationException,
        client.list_entities,
        workspaceId="factory",
        maxResults=12,
        nextToken=first["nextToken"],
    ) == ("nextToken does not belong to this request (its inputs changed)")


def test_paging_components_and_properties(client: Any) -> None:
    params = {
        "componentTypeId": "com.amazon.iottwinmaker.parameters",
        "properties": {
            f"p{i:02d}": {"definition": {"dataType": {"type": "LONG"}}, "value": {"longValue": i}}
            for i in range(45)
        },
    }
    create(client, "ee", components={f"c{i:02d}": params for i in range(9)})
    names, token, pages = [], None, 0
    while True:
        page = client.list_components(
            workspaceId="factory",
            entityId="ee",
            maxResults=2,
            **({"nextToken": token} if token else {}),
        )
        names += [c["componentName"] for c in page["componentSummaries"]]
        pages += 1
        token = page.get("nextToken")
        if token is None:
            break
    assert (pages, names) == (5, [f"c{i:02d}" for i in range(9)])
    first = client.list_properties(workspaceId="factory", entityId="ee", componentName="c03")
    assert [p["propertyName"] for p in first["propertySummaries"]] == [
        f"p{i:02d}" for i in range(25)
    ]
    found, token, pages = [], None, 0
    while True:
        page = client.list_properties(
            workspaceId="factory",
            entityId="ee",
            componentName="c03",
            maxResults=10,
            **({"nextToken": token} if token else {}),
        )
        found += [(p["propertyName"], p["value"]["longValue"]) for p in page["propertySummaries"]]
        pages += 1
        token = page.get("nextToken")
        if token is None:
            break
    assert (pages, found) == (5, [(f"p{i:02d}", i) for i in range(45)])
    assert first["propertySummaries"][0]["definition"] == definition("LONG")
    assert rejects(
        client.exceptions.ResourceNotFoundException,
        client.list_properties,
        workspaceId="factory",
        entityId="ee",
        componentName="ghost",
    ) == ("Component ghost not found in entity ee")
    assert rejects(
        client.exceptions.ValidationException,
        client.list_properties,
        workspaceId="factory",
        entityId="ee",
    ) == ("componentName or componentPath is required")


def test_entity_tags(client: Any) -> None:
    create(client, "ee", tags={"owner": "ops"})
    arn = ENTITY_ARN + "ee"
    client.tag_resource(resourceARN=arn, tags={"site": "north"})
    assert client.list_tags_for_resource(resourceARN=arn)["tags"] == {
        "owner": "ops",
        "site": "north",
    }
