"""Component types in the emulator, through boto3: lifecycle, built-ins, inheritance, listing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

import twinkit.local
from tests.local._support import body, rejects
from twinkit.local import ManualClock

START = datetime(2026, 1, 1, tzinfo=timezone.utc)
ROLE = "arn:aws:iam::123456789012:role/twinmaker"
LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:reader"
ARN = "arn:aws:iottwinmaker:us-east-1:123456789012:workspace/factory/component-type/"
AWS_ARN = (
    "arn:aws:iottwinmaker:us-east-1:iotrociaccount:workspace/AmazonOwnedTypesWorkspace/"
    "component-type/"
)
BUILTINS = [
    "com.amazon.iotsitewise.connector",
    "com.amazon.iotsitewise.connector.edgevideo",
    "com.amazon.iotsitewise.resourcesync",
    "com.amazon.iottwinmaker.3d.component.dataoverlay",
    "com.amazon.iottwinmaker.3d.component.modelref",
    "com.amazon.iottwinmaker.3d.component.tag",
    "com.amazon.iottwinmaker.3d.node",
    "com.amazon.iottwinmaker.alarm.basic",
    "com.amazon.iottwinmaker.documents",
    "com.amazon.iottwinmaker.parameters",
    "com.amazon.kvs.video",
]
ACTIVE = {"state": "ACTIVE", "error": {}}
READER = {"implementedBy": {"lambda": {"arn": LAMBDA}}}


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def client(clock: ManualClock) -> Iterator[Any]:
    with twinkit.local.emulator(clock=clock) as twin:
        client = twin.client()
        client.create_workspace(workspaceId="factory", role=ROLE)
        yield client


def prop(kind: str = "STRING", **flags: Any) -> dict[str, Any]:
    """A property definition request of `kind`, with flags (`isRequiredInEntity=True`, ...)."""
    return {"dataType": {"type": kind}, **flags}


def definition(kind: str = "STRING", **overrides: Any) -> dict[str, Any]:
    """A property definition as GetComponentType returns it (every flag false unless given)."""
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


def create(client: Any, type_id: str, **members: Any) -> dict[str, Any]:
    return body(
        client.create_component_type(workspaceId="factory", componentTypeId=type_id, **members)
    )


def get(client: Any, type_id: str) -> dict[str, Any]:
    return body(client.get_component_type(workspaceId="factory", componentTypeId=type_id))


# --- lifecycle ------------------------------------------------------------------------------------


def test_a_new_type_is_creating_then_active(client: Any, clock: ManualClock) -> None:
    created = create(
        client,
        "com.example.pump",
        description="A pump",
        componentTypeName="Pump",
        propertyDefinitions={"rpm": prop("DOUBLE", isStoredExternally=True, isTimeSeries=True)},
        functions={"dataReader": READER},
    )
    assert created == {
        "arn": ARN + "com.example.pump",
        "creationDateTime": START,
        "state": "CREATING",
    }
    expected = {
        "workspaceId": "factory",
        "componentTypeId": "com.example.pump",
        "arn": ARN + "com.example.pump",
        "description": "A pump",
        "componentTypeName": "Pump",
        "creationDateTime": START,
        "updateDateTime": START,
        "isSingleton": False,
        "isAbstract": False,
        "isSchemaInitialized": False,
        "propertyDefinitions": {
            "rpm": definition("DOUBLE", isStoredExternally=True, isTimeSeries=True)
        },
        "functions": {"dataReader": {**READER, "isInherited": False}},
        "status": {"state": "CREATING", "error": {}},
    }
    assert get(client, "com.example.pump") == expected
    clock.advance(0.05)
    assert get(client, "com.example.pump")["status"]["state"] == "CREATING"
    clock.advance(0.05)
    assert get(client, "com.example.pump") == {**expected, "status": ACTIVE}


def test_update_replaces_the_members_it_sets(client: Any, clock: ManualClock) -> None:
    create(client, "com.example.pump", description="old", propertyDefinitions={"a": prop()})
    clock.advance(1)
    updated = client.update_component_type(
        workspaceId="factory",
        componentTypeId="com.example.pump",
        propertyDefinitions={"b": prop("LONG")},
        isSingleton=True,
    )
    assert body(updated) == {
        "workspaceId": "factory",
        "arn": ARN + "com.example.pump",
        "componentTypeId": "com.example.pump",
        "state": "UPDATING",
    }
    got = get(client, "com.example.pump")
    assert got["status"] == {"state": "UPDATING", "error": {}}
    assert got["description"] == "old"
    assert got["isSingleton"] is True
    assert got["propertyDefinitions"] == {"b": definition("LONG")}
    assert got["updateDateTime"] == START + timedelta(seconds=1)
    assert got["creationDateTime"] == START
    clock.advance(1)
    assert get(client, "com.example.pump")["status"] == ACTIVE


def test_delete_is_deleting_then_gone(client: Any, clock: ManualClock) -> None:
    create(client, "com.example.pump", tags={"team": "a"})
    arn = ARN + "com.example.pump"
    assert client.list_tags_for_resource(resourceARN=arn)["tags"] == {"team": "a"}
    deleted = client.delete_component_type(
        workspaceId="factory", componentTypeId="com.example.pump"
    )
    assert body(deleted) == {"state": "DELETING"}
    assert get(client, "com.example.pump")["status"] == {"state": "DELETING", "error": {}}
    assert rejects(
        client.exceptions.ResourceNotFoundException, client.list_tags_for_resource, resourceARN=arn
    ) == (f"Resource {arn} not found")
    assert rejects(
        client.exceptions.ValidationException,
        client.delete_component_type,
        workspaceId="factory",
        componentTypeId="com.example.pump",
    ) == ("Component type com.example.pump is being deleted")
    assert rejects(
        client.exceptions.ConflictException,
        client.create_component_type,
        workspaceId="factory",
        componentTypeId="com.example.pump",
    ) == ("Component type com.example.pump already exists in workspace factory")
    clock.advance(1)
    assert rejects(
        client.exceptions.ResourceNotFoundException,
        client.get_component_type,
        workspaceId="factory",
        componentTypeId="com.example.pump",
    ) == ("Component type com.example.pump not found in workspace factory")
    assert create(client, "com.example.pump")["state"] == "CREATING"


def test_a_workspace_is_empty_once_its_types_are_deleted(client: Any) -> None:
    create(client, "com.example.pump")
    client.delete_component_type(workspaceId="factory", componentTypeId="com.example.pump")
    assert body(client.delete_workspace(workspaceId="factory")) == {
        "message": "Workspace factory deleted"
    }


def test_duplicates_and_missing_things(client: Any) -> None:
    create(client, "com.example.pump")
    assert rejects(
        client.exceptions.ConflictException,
        client.create_component_type,
        workspaceId="factory",
        componentTypeId="com.example.pump",
    ) == ("Component type com.example.pump already exists in workspace factory")
    # CreateComponentType documents no ResourceNotFoundException: it is a ValidationException.
    assert rejects(
        client.exceptions.ValidationException,
        client.create_component_type,
        workspaceId="nowhere",
        componentTypeId="com.example.pump",
    ) == ("Workspace nowhere not found")
    assert rejects(
        client.exceptions.ResourceNotFoundException,
        client.get_component_type,
        workspaceId="nowhere",
        componentTypeId="com.example.pump",
    ) == ("Workspace nowhere not found")
    for call in (
        client.get_component_type,
        client.update_component_type,
        client.delete_component_type,
    ):
        assert rejects(
            client.exceptions.ResourceNotFoundException,
            call,
            workspaceId="factory",
            componentTypeId="com.example.valve",
        ) == ("Component type com.example.valve not found in workspace factory")


# --- built-in types -------------------------------------------------------------------------------


def test_every_workspace_has_the_builtin_types(client: Any) -> None:
    listed = body(client.list_component_types(workspaceId="factory"))
    assert listed["workspaceId"] == "factory"
    assert [s["componentTypeId"] for s in listed["componentTypeSummaries"]] == BUILTINS
    documents = listed["componentTypeSummaries"][
        BUILTINS.index("com.amazon.iottwinmaker.documents")
    ]
    assert documents == {
        "arn": AWS_ARN + "com.amazon.iottwinmaker.documents",
        "componentTypeId": "com.amazon.iottwinmaker.documents",
        "creationDateTime": datetime(2021, 11, 13, 0, 25, 30, 797000, tzinfo=timezone.utc),
        "updateDateTime": datetime(2021, 11, 13, 0, 25, 30, 797000, tzinfo=timezone.utc),
        "description": "Component type for storing document urls",
        "status": ACTIVE,
    }


def test_the_abstract_alarm_type_as_recorded(client: Any) -> None:
    got = get(client, "com.amazon.iottwinmaker.alarm.basic")
    created = datetime(2021, 11, 13, 0, 25, 35, 967000, tzinfo=timezone.utc)
    assert got == {
        "workspaceId": "factory",
        "componentTypeId": "com.amazon.iottwinmaker.alarm.basic",
        "arn": AWS_ARN + "com.amazon.iottwinmaker.alarm.basic",
        "description": "Abstract alarm component type",
        "creationDateTime": created,
        "updateDateTime": created,
        "isSingleton": False,
        "isAbstract": True,
        "isSchemaInitialized": False,
        "propertyDefinitions": {
            "alarm_key": definition(isRequiredInEntity=True, isExternalId=True),
            "alarm_status": {
                **definition(isStoredExternally=True, isTimeSeries=True),
                "dataType": {
                    "type": "STRING",
                    "allowedValues": [
                        {"stringValue": "ACTIVE"},
                        {"stringValue": "SNOOZE_DISABLED"},
                        {"stringValue": "ACKNOWLEDGED"},
                        {"stringValue": "NORMAL"},
                    ],
                },
            },
        },
        "functions": {"dataReader": {"isInherited": False}},
        "status": ACTIVE,
    }


def test_the_sitewise_connector_is_schema_initialized(client: Any) -> None:
    got = get(client, "com.amazon.iotsitewise.connector")
    assert got["isSchemaInitialized"] is True
    assert got["isAbstract"] is False
    assert got["functions"] == {
        "dataReader": {"implementedBy": {"isNative": True}, "isInherited": False},
        "schemaInitializer": {"implementedBy": {"isNative": True}, "isInherited": False},
    }


def test_builtin_types_belong_to_aws(client: Any) -> None:
    for call in (client.update_component_type, client.delete_component_type):
        assert rejects(
            client.exceptions.ValidationException,
            call,
            workspaceId="factory",
            componentTypeId="com.amazon.iottwinmaker.documents",
        ) == (
            "Component type com.amazon.iottwinmaker.documents is owned by AWS and cannot be "
            + ("updated" if call == client.update_component_type else "deleted")
        )
    assert rejects(
        client.exceptions.ValidationException,
        client.create_component_type,
        workspaceId="factory",
        componentTypeId="com.amazon.mine",
    ) == ("componentTypeId: com.amazon.mine is in the com.amazon namespace, which AWS owns")


# --- inheritance ----------------------------------------------------------------------------------


def _telemetry(client: Any) -> None:
    create(
        client,
        "com.example.telemetry",
        propertyDefinitions={
            "assetId": prop(isRequiredInEntity=True, isExternalId=True),
            "assetType": prop(isRequiredInEntity=True),
        },
        functions={"dataReader": READER},
        propertyGroups={"ids": {"groupType": "TABULAR", "propertyNames": ["assetId"]}},
    )


def test_inherited_definitions_are_flagged(client: Any) -> None:
    _telemetry(client)
    create(
        client,
        "com.example.alarm",
        extendsFrom=["com.example.telemetry", "com.amazon.iottwinmaker.alarm.basic"],
        propertyDefinitions={
            "assetType": {"defaultValue": {"stringValue": "Alarm"}},
            "severity": prop("INTEGER", defaultValue={"integerValue": 3}),
        },
    )
    got = get(client, "com.example.alarm")
    assert got["extendsFrom"] == ["com.example.telemetry", "com.amazon.iottwinmaker.alarm.basic"]
    assert got["isAbstract"] is False  # alarm.basic's dataReader is implemented by telemetry's
    assert got["propertyDefinitions"] == {
        "assetId": definition(isRequiredInEntity=True, isExternalId=True, isInherited=True),
        "assetType": definition(
            isRequiredInEntity=True, isInherited=True, defaultValue={"stringValue": "Alarm"}
        ),
        "alarm_key": definition(isRequiredInEntity=True, isExternalId=True, isInherited=True),
        "alarm_status": got["propertyDefinitions"]["alarm_status"],
        "severity": definition("INTEGER", defaultValue={"integerValue": 3}),
    }
    assert got["propertyDefinitions"]["alarm_status"]["isInherited"] is True
    assert got["functions"] == {"dataReader": {**READER, "isInherited": True}}
    assert got["propertyGroups"] == {
        "ids": {"groupType": "TABULAR", "propertyNames": ["assetId"], "isInherited": True}
    }


def test_an_own_function_replaces_the_inherited_one(client: Any) -> None:
    _telemetry(client)
    other = {"implementedBy": {"lambda": {"arn": LAMBDA + "2"}}, "scope": "ENTITY"}
    create(
        client,
        "com.example.child",
        extendsFrom=["com.example.telemetry"],
        functions={"dataReader": other},
    )
    assert get(client, "com.example.child")["functions"] == {
        "dataReader": {**other, "isInherited": False}
    }


def test_a_child_may_restate_but_not_change_what_it_inherits(client: Any) -> None:
    _telemetry(client)
    create(
        client,
        "com.example.restating",
        extendsFrom=["com.example.telemetry"],
        propertyDefinitions={"assetId": prop(isRequiredInEntity=True, isExternalId=True)},
        propertyGroups={"ids": {"groupType": "TABULAR", "propertyNames": ["assetId"]}},
    )
    restated = get(client, "com.example.restating")
    assert restated["propertyDefinitions"]["assetId"]["isInherited"] is True
    assert restated["propertyGroups"]["ids"]["isInherited"] is True
    message = rejects(
        client.exceptions.ValidationException,
        client.create_component_type,
        workspaceId="factory",
        componentTypeId="com.example.changing",
        extendsFrom=["com.example.telemetry"],
        propertyDefinitions={
            "assetId": prop("DOUBLE", isExternalId=False),
            "assetType": {"defaultValue": {"longValue": 1}},
        },
        propertyGroups={"ids": {"groupType": "TABULAR", "propertyNames": ["assetType"]}},
    )
    assert message == (
        "4 validation errors detected: "
        "propertyDefinitions['assetId'].dataType: a parent of com.example.changing defines this "
        "property as STRING; it cannot change; "
        "propertyDefinitions['assetId'].isExternalId: is true in a parent of "
        "com.example.changing; it cannot change; "
        "propertyDefinitions['assetType'].defaultValue: expected stringValue (STRING), got "
        "longValue; "
        "propertyGroups['ids']: is inherited from a parent; a component type cannot redefine it"
    )


def test_parents_that_disagree(client: Any) -> None:
    create(client, "com.example.a", propertyDefinitions={"x": prop()})
    create(client, "com.example.b", propertyDefinitions={"x": prop("DOUBLE")})
    assert rejects(
        client.exceptions.ValidationException,
        client.create_component_type,
        workspaceId="factory",
        componentTypeId="com.example.c",
        extendsFrom=["com.example.a", "com.example.b"],
    ) == (
        "1 validation error detected: extendsFrom: com.example.a and com.example.b define "
        "property 'x' differently"
    )


def test_parents_must_exist_and_be_few(client: Any) -> None:
    create(client, "com.example.a")
    message = rejects(
        client.exceptions.ValidationException,
        client.create_component_type,
        workspaceId="factory",
        componentTypeId="com.example.c",
        extendsFrom=["com.example.a", "com.example.missing", "com.example.a", "com.example.c"],
    )
    assert message == (
        "3 validation errors detected: "
        "extendsFrom[1]: component type com.example.missing does not exist; "
        "extendsFrom[2]: com.example.a is listed twice; "
        "extendsFrom[3]: a component type cannot extend itself"
    )
    many = [f"com.example.p{i}" for i in range(11)]
    for parent in many:
        create(client, parent)
    assert rejects(
        client.exceptions.ValidationException,
        client.create_component_type,
        workspaceId="factory",
        componentTypeId="com.example.c",
        extendsFrom=many,
    ) == (
        "1 validation error detected: extendsFrom: a component type extends at most 10 types, "
        "got 11"
    )


def test_an_update_cannot_close_a_cycle(client: Any) -> None:
    create(client, "com.example.a")
    create(client, "com.example.b", extendsFrom=["com.example.a"])
    assert rejects(
        client.exceptions.ValidationException,
        client.update_component_type,
        workspaceId="factory",
        componentTypeId="com.example.a",
        extendsFrom=["com.example.b"],
    ) == (
        "1 validation error detected: extendsFrom[0]: com.example.b extends com.example.a: "
        "that would be a cycle"
    )


def test_an_update_that_would_break_a_child_is_refused(client: Any) -> None:
    create(client, "com.example.a", propertyDefinitions={"x": prop()})
    create(
        client,
        "com.example.b",
        extendsFrom=["com.example.a"],
        propertyDefinitions={"x": {"defaultValue": {"stringValue": "hi"}}},
    )
    assert rejects(
        client.exceptions.ValidationException,
        client.update_component_type,
        workspaceId="factory",
        componentTypeId="com.example.a",
        propertyDefinitions={"y": prop()},
    ) == (
        "1 validation error detected: component type com.example.b would break: "
        "propertyDefinitions['x'].dataType: is required to define a new property"
    )
    assert get(client, "com.example.a")["propertyDefinitions"] == {"x": definition()}


# --- abstract, schema initializers, singletons, groups, composites --------------------------------


def test_abstract_is_a_function_without_an_implementation(client: Any) -> None:
    create(client, "com.example.abstract", functions={"dataReader": {}, "dataWriter": READER})
    create(client, "com.example.still", extendsFrom=["com.example.abstract"])
    create(
        client,
        "com.example.concrete",
        extendsFrom=["com.example.abstract"],
        functions={"dataReader": READER, "schemaInitializer": READER},
    )
    assert get(client, "com.example.abstract")["isAbstract"] is True
    assert get(client, "com.example.still")["isAbstract"] is True
    concrete = get(client, "com.example.concrete")
    assert (concrete["isAbstract"], concrete["isSchemaInitialized"]) == (False, True)
    assert concrete["functions"] == {
        "dataReader": {**READER, "isInherited": False},
        "dataWriter": {**READER, "isInherited": True},
        "schemaInitializer": {**READER, "isInherited": False},
    }


def test_property_definitions_are_checked(client: Any) -> None:
    message = rejects(
        client.exceptions.ValidationException,
        client.create_component_type,
        workspaceId="factory",
        componentTypeId="com.example.bad",
        propertyDefinitions={
            "list": {"dataType": {"type": "LIST"}},
            "default": prop("DOUBLE", defaultValue={"stringValue": "1"}),
            "allowed": {
                "dataType": {
                    "type": "LONG",
                    "allowedValues": [{"longValue": 1}, {"doubleValue": 2}],
                }
            },
            "nothing": {"isRequiredInEntity": True},
        },
        functions={
            "dataReader": {"implementedBy": {"isNative": False}, "requiredProperties": ["ghost"]}
        },
    )
    assert message == (
        "6 validation errors detected: "
        "propertyDefinitions['list'].dataType.nestedType: is required for a LIST; "
        "propertyDefinitions['default'].defaultValue: expected doubleValue (DOUBLE), got "
        "stringValue; "
        "propertyDefinitions['allowed'].dataType.allowedValues[1]: expected longValue (LONG), got "
        "doubleValue; "
        "propertyDefinitions['nothing'].dataType: is required to define a new property; "
        "functions['dataReader'].implementedBy: needs a lambda, or isNative true; "
        "functions['dataReader'].requiredProperties[0]: 'ghost' is not a property of the type"
    )
    assert rejects(
        client.exceptions.ResourceNotFoundException,
        client.get_component_type,
        workspaceId="factory",
        componentTypeId="com.example.bad",
    ) == ("Component type com.example.bad not found in workspace factory")


def test_property_groups_name_existing_properties(client: Any) -> None:
    message = rejects(
        client.exceptions.ValidationException,
        client.create_component_type,
        workspaceId="factory",
        componentTypeId="com.example.grouped",
        propertyDefinitions={"a": prop()},
        propertyGroups={"g": {"groupType": "TABULAR", "propertyNames": ["a", "b"]}, "h": {}},
    )
    assert message == (
        "3 validation errors detected: "
        "propertyGroups['g'].propertyNames[1]: 'b' is not a property of the type; "
        "propertyGroups['h'].groupType: is required; "
        "propertyGroups['h'].propertyNames: must name at least one property"
    )


def test_composite_component_types(client: Any) -> None:
    assert rejects(
        client.exceptions.ValidationException,
        client.create_component_type,
        workspaceId="factory",
        componentTypeId="com.example.pump",
        compositeComponentTypes={"motor": {"componentTypeId": "com.example.motor"}},
    ) == (
        "1 validation error detected: compositeComponentTypes['motor'].componentTypeId: "
        "component type com.example.motor does not exist"
    )
    create(client, "com.example.motor")
    create(
        client,
        "com.example.pump",
        compositeComponentTypes={"motor": {"componentTypeId": "com.example.motor"}},
    )
    create(client, "com.example.bigpump", extendsFrom=["com.example.pump"])
    assert get(client, "com.example.pump")["compositeComponentTypes"] == {
        "motor": {"componentTypeId": "com.example.motor", "isInherited": False}
    }
    assert get(client, "com.example.bigpump")["compositeComponentTypes"] == {
        "motor": {"componentTypeId": "com.example.motor", "isInherited": True}
    }
    assert rejects(
        client.exceptions.ValidationException,
        client.delete_component_type,
        workspaceId="factory",
        componentTypeId="com.example.motor",
    ) == (
        "Component type com.example.motor is in use and cannot be deleted: component type "
        "com.example.pump uses it as a composite component type"
    )


def test_a_type_others_extend_cannot_be_deleted(client: Any) -> None:
    create(client, "com.example.a")
    create(client, "com.example.b", extendsFrom=["com.example.a"])
    assert rejects(
        client.exceptions.ValidationException,
        client.delete_component_type,
        workspaceId="factory",
        componentTypeId="com.example.a",
    ) == (
        "Component type com.example.a is in use and cannot be deleted: component type "
        "com.example.b extends it"
    )


# --- listing --------------------------------------------------------------------------------------


def _ids(page: dict[str, Any]) -> list[str]:
    return [s["componentTypeId"] for s in page["componentTypeSummaries"]]


def test_filters_all_hold(client: Any) -> None:
    create(client, "com.example.base", functions={"dataReader": {}})
    create(
        client,
        "com.example.mid",
        extendsFrom=["com.example.base"],
        functions={"dataReader": READER},
    )
    create(client, "com.example.leaf", extendsFrom=["com.example.mid"])
    create(client, "com.other.thing")

    def listed(*filters: dict[str, Any]) -> list[str]:
        return _ids(client.list_component_types(workspaceId="factory", filters=list(filters)))

    assert listed({"extendsFrom": "com.example.base"}) == ["com.example.leaf", "com.example.mid"]
    assert listed({"namespace": "com.example"}) == [
        "com.example.base",
        "com.example.leaf",
        "com.example.mid",
    ]
    assert listed({"isAbstract": True}) == [
        "com.example.base",
        "com.amazon.iottwinmaker.alarm.basic",
    ]
    assert listed({"namespace": "com.example"}, {"isAbstract": False}) == [
        "com.example.leaf",
        "com.example.mid",
    ]
    assert listed({"extendsFrom": "com.amazon.iottwinmaker.alarm.basic"}) == []
    assert listed({"namespace": "com.amazon.iottwinmaker.3d"}) == [
        "com.amazon.iottwinmaker.3d.component.dataoverlay",
        "com.amazon.iottwinmaker.3d.component.modelref",
        "com.amazon.iottwinmaker.3d.component.tag",
        "com.amazon.iottwinmaker.3d.node",
    ]


def test_paging_through_many_types(client: Any) -> None:
    mine = [f"com.example.t{i:02d}" for i in range(39)]
    for type_id in reversed(mine):
        create(client, type_id)
    first = body(client.list_component_types(workspaceId="factory"))
    assert _ids(first) == mine[:25]  # the default page size is 25
    seen, token, pages = [], None, 0
    while True:
        kwargs = {"nextToken": token} if token else {}
        page = body(client.list_component_types(workspaceId="factory", maxResults=10, **kwargs))
        assert page["maxResults"] == 10
        seen += _ids(page)
        pages += 1
        token = page.get("nextToken")
        if token is None:
            break
    assert pages == 5
    assert seen == mine + BUILTINS
    filtered = client.list_component_types(
        workspaceId="factory", maxResults=10, filters=[{"namespace": "com.example"}]
    )
    assert _ids(filtered) == mine[:10]
    assert rejects(
        client.exceptions.ValidationException,
        client.list_component_types,
        workspaceId="factory",
        maxResults=10,
        nextToken=filtered["nextToken"],
    ) == ("nextToken does not belong to this request (its inputs changed)")
    second = client.list_component_types(
        workspaceId="factory",
        maxResults=10,
        filters=[{"namespace": "com.example"}],
        nextToken=filtered["nextToken"],
    )
    assert _ids(second) == mine[10:20]


def test_listing_shows_states(client: Any, clock: ManualClock) -> None:
    create(client, "com.example.new")
    create(client, "com.example.old")
    clock.advance(1)
    client.delete_component_type(workspaceId="factory", componentTypeId="com.example.old")
    states = {
        s["componentTypeId"]: s["status"]["state"]
        for s in client.list_component_types(workspaceId="factory", maxResults=2)[
            "componentTypeSummaries"
        ]
    }
    assert states == {"com.example.new": "ACTIVE", "com.example.old": "DELETING"}
    clock.advance(1)
    assert _ids(client.list_component_types(workspaceId="factory", maxResults=1)) == [
        "com.example.new"
    ]
