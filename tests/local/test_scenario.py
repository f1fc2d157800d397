"""The emulator's end-to-end scenario, run through boto3 on both transports (in-process, HTTP).

One story, told in steps: a workspace; component types with inheritance (an abstract base
machine type and two concrete types extending it, one overriding a default); a plant of 100
entities (the plant, 3 lines, 96 machines, with explicit and generated ids and component
values); ListEntities page by page and with every filter; updates; the errors a client must
get; a recursive delete; and the clean-up, which ends with the workspace deleted.

A `ManualClock` (given to the plugin's emulator through `twinmaker_emulator_options`) makes
every state and timestamp exact and the test fast: nothing sleeps.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from twinkit.local import ManualClock, ServerHandle

START = datetime(2026, 1, 1, tzinfo=timezone.utc)
DELAY = 1.0  # seconds a resource stays CREATING, UPDATING or DELETING
WS = "factory"
ROLE = "arn:aws:iam::123456789012:role/twinmaker"
WS_ARN = f"arn:aws:iottwinmaker:us-east-1:123456789012:workspace/{WS}"
ACTIVE = {"state": "ACTIVE", "error": {}}
CREATING = {"state": "CREATING", "error": {}}
UPDATING = {"state": "UPDATING", "error": {}}
DELETING = {"state": "DELETING", "error": {}}

MACHINE = "com.example.machine"  # abstract: its dataReader has no implementedBy
PRESS = "com.example.press"  # extends MACHINE, overrides the default of `speed`
LATHE = "com.example.lathe"  # extends MACHINE, adds `spindles`
LINE = "com.example.line"
SENSOR = "com.example.sensor"
USER_TYPES = (MACHINE, PRESS, LATHE, LINE, SENSOR)
LINES = ("line-1", "line-2", "line-3")
PER_LINE = 16  # presses per line, and as many lathes: 3 x 32 = 96 machines


def at(seconds: float) -> datetime:
    """The instant `seconds` after the scenario's start."""
    return START + timedelta(seconds=seconds)


# --- fixtures: one scenario, two transports -------------------------------------------------------


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def twinmaker_emulator_options(clock: ManualClock) -> dict[str, Any]:
    return {"clock": clock, "transition_delay": DELAY}


@pytest.fixture(params=["in-process", "http"])
def client(request: pytest.FixtureRequest) -> Iterator[Any]:
    """A boto3 client answered in-process, or over HTTP by the plugin's server."""
    if request.param == "in-process":
        yield request.getfixturevalue("twinmaker_client")
        return
    server: ServerHandle = request.getfixturevalue("twinmaker_server")
    http = server.client()
    yield http
    http.close()


# --- helpers --------------------------------------------------------------------------------------


def body(response: dict[str, Any]) -> dict[str, Any]:
    """The response without boto3's `ResponseMetadata`."""
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


def fails(client: Any, code: str, call: Callable[..., Any], **kwargs: Any) -> str:
    """Check that `call(**kwargs)` fails with error `code`; returns the error's message."""
    with pytest.raises(client.exceptions.ClientError) as caught:
        call(**kwargs)
    error = caught.value.response["Error"]
    assert error["Code"] == code, error
    status = {
        "ValidationException": 400,
        "ResourceNotFoundException": 404,
        "ConflictException": 409,
    }
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == status[code]
    message: str = error["Message"]
    return message


def definition(kind: str, **overrides: Any) -> dict[str, Any]:
    """A property definition as GetComponentType and GetEntity return it."""
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


def inherited(properties: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {name: {**d, "isInherited": True} for name, d in properties.items()}


# The effective definitions of MACHINE's properties (as MACHINE itself shows them).
MACHINE_PROPERTIES = {
    "serial": definition("STRING", isRequiredInEntity=True, isExternalId=True),
    "speed": definition(
        "DOUBLE",
        dataType={"type": "DOUBLE", "unitOfMeasure": "rpm"},
        defaultValue={"doubleValue": 1.0},
    ),
    "mode": definition(
        "STRING",
        dataType={
            "type": "STRING",
            "allowedValues": [{"stringValue": "AUTO"}, {"stringValue": "MANUAL"}],
        },
        defaultValue={"stringValue": "AUTO"},
    ),
    "temperature": definition("DOUBLE", isTimeSeries=True, isStoredExternally=True),
}
PRESS_PROPERTIES = {
    **inherited(MACHINE_PROPERTIES),
    "speed": {
        **MACHINE_PROPERTIES["speed"],
        "isInherited": True,
        "defaultValue": {"doubleValue": 2.5},
    },
    "force": definition("DOUBLE", dataType={"type": "DOUBLE", "unitOfMeasure": "t"}),
}
SENSOR_PROPERTIES = {"reading": definition("DOUBLE")}


def reader(name: str) -> dict[str, Any]:
    return {"lambda": {"arn": f"arn:aws:lambda:us-east-1:123456789012:function:{name}"}}


def list_ids(client: Any, page_size: int, **kwargs: Any) -> list[str]:
    """Every entity id ListEntities returns, page by page; checks each page's size."""
    ids: list[str] = []
    token: str | None = None
    while True:
        page = client.list_entities(
            workspaceId=WS,
            maxResults=page_size,
            **kwargs,
            **({"nextToken": token} if token else {}),
        )
        summaries = page["entitySummaries"]
        token = page.get("nextToken")
        assert len(summaries) == page_size if token else len(summaries) <= page_size
        ids += [s["entityId"] for s in summaries]
        if token is None:
            assert len(ids) == len(set(ids)), "a listing repeated an entity"
            return ids


def summaries(client: Any, **kwargs: Any) -> dict[str, dict[str, Any]]:
    """ListEntities' summaries by entity id (the listing must fit one page)."""
    page = client.list_entities(workspaceId=WS, maxResults=200, **kwargs)
    assert "nextToken" not in page
    return {s["entityId"]: s for s in page["entitySummaries"]}


# --- the story, step by step ----------------------------------------------------------------------


def create_workspace(client: Any) -> None:
    assert body(client.list_workspaces()) == {"workspaceSummaries": []}
    created = client.create_workspace(workspaceId=WS, role=ROLE, description="Cookie plant")
    assert body(created) == {"arn": WS_ARN, "creationDateTime": START}
    assert body(client.get_workspace(workspaceId=WS)) == {
        "workspaceId": WS,
        "arn": WS_ARN,
        "description": "Cookie plant",
        "role": ROLE,
        "creationDateTime": START,
        "updateDateTime": START,
    }
    message = fails(client, "ConflictException", client.create_workspace, workspaceId=WS, role=ROLE)
    assert message == f"Workspace {WS} already exists"


def create_component_types(client: Any, clock: ManualClock) -> None:
    def create(type_id: str, **members: Any) -> dict[str, Any]:
        return body(
            client.create_component_type(workspaceId=WS, componentTypeId=type_id, **members)
        )

    assert create(
        MACHINE,
        description="Any machine of the plant",
        propertyDefinitions={
            "serial": {
                "dataType": {"type": "STRING"},
                "isRequiredInEntity": True,
                "isExternalId": True,
            },
            "speed": {
                "dataType": {"type": "DOUBLE", "unitOfMeasure": "rpm"},
                "defaultValue": {"doubleValue": 1.0},
            },
            "mode": {
                "dataType": {
                    "type": "STRING",
                    "allowedValues": [{"stringValue": "AUTO"}, {"stringValue": "MANUAL"}],
                },
                "defaultValue": {"stringValue": "AUTO"},
            },
            "temperature": {
                "dataType": {"type": "DOUBLE"},
                "isTimeSeries": True,
                "isStoredExternally": True,
            },
        },
        functions={"dataReader": {}},
    ) == {
        "arn": f"{WS_ARN}/component-type/{MACHINE}",
        "creationDateTime": START,
        "state": "CREATING",
    }
    create(
        PRESS,
        extendsFrom=[MACHINE],
        propertyDefinitions={
            "speed": {"defaultValue": {"doubleValue": 2.5}},  # overrides the inherited default
            "force": {"dataType": {"type": "DOUBLE", "unitOfMeasure": "t"}},
        },
        functions={"dataReader": {"implementedBy": reader("readPress")}},
    )
    create(
        LATHE,
        extendsFrom=[MACHINE],
        propertyDefinitions={
            "spindles": {"dataType": {"type": "INTEGER"}, "defaultValue": {"integerValue": 1}}
        },
        functions={"dataReader": {"implementedBy": reader("readLathe")}},
    )
    create(
        LINE,
        propertyDefinitions={
            "capacity": {"dataType": {"type": "INTEGER"}, "isRequiredInEntity": True}
        },
    )
    create(SENSOR, propertyDefinitions={"reading": {"dataType": {"type": "DOUBLE"}}})

    press = {
        "workspaceId": WS,
        "componentTypeId": PRESS,
        "arn": f"{WS_ARN}/component-type/{PRESS}",
        "creationDateTime": START,
        "updateDateTime": START,
        "extendsFrom": [MACHINE],
        "isSingleton": False,
        "isAbstract": False,
        "isSchemaInitialized": False,
        "propertyDefinitions": PRESS_PROPERTIES,
        "functions": {
            "dataReader": {"implementedBy": reader("readPress"), "isInherited": False},
        },
        "status": CREATING,
    }
    assert body(client.get_component_type(workspaceId=WS, componentTypeId=PRESS)) == press
    machine = body(client.get_component_type(workspaceId=WS, componentTypeId=MACHINE))
    assert machine["status"] == CREATING
    assert machine["isAbstract"] is True
    assert machine["functions"] == {"dataReader": {"isInherited": False}}
    assert machine["propertyDefinitions"] == MACHINE_PROPERTIES
    lathe = body(client.get_component_type(workspaceId=WS, componentTypeId=LATHE))
    assert lathe["isAbstract"] is False
    assert lathe["propertyDefinitions"] == {
        **inherited(MACHINE_PROPERTIES),  # the base's default speed, not the press's
        "spindles": definition("INTEGER", defaultValue={"integerValue": 1}),
    }

    clock.advance(DELAY)
    assert body(client.get_component_type(workspaceId=WS, componentTypeId=PRESS)) == {
        **press,
        "status": ACTIVE,
    }
    listed = client.list_component_types(workspaceId=WS, filters=[{"extendsFrom": MACHINE}])
    assert [s["componentTypeId"] for s in listed["componentTypeSummaries"]] == [LATHE, PRESS]
    assert all(s["status"] == ACTIVE for s in listed["componentTypeSummaries"])
    message = fails(
        client,
        "ConflictException",
        client.create_component_type,
        workspaceId=WS,
        componentTypeId=PRESS,
    )
    assert message == f"Component type {PRESS} already exists in workspace {WS}"


def machine(kind: str, line: int, k: int) -> dict[str, Any]:
    """A machine entity's `components` and name: presses set `force`, every other one `speed`."""
    serial = f"SN-{line}-{k:02d}-{kind[0].upper()}"
    properties: dict[str, Any] = {"serial": {"value": {"stringValue": serial}}}
    if k % 2 == 0:
        properties["speed"] = {"value": {"doubleValue": 100 + k}}
    if kind == "press":
        properties["force"] = {"value": {"doubleValue": 40.0 + line}}
        properties["mode"] = {"value": {"stringValue": "MANUAL"}}
    else:
        properties["spindles"] = {"value": {"integerValue": 1 + k % 3}}
    type_id = PRESS if kind == "press" else LATHE
    return {
        "entityName": f"{kind.title()} {line}-{k:02d}",
        "components": {"machine": {"componentTypeId": type_id, "properties": properties}},
    }


def create_plant(client: Any, clock: ManualClock) -> dict[str, set[str]]:
    """The plant, its 3 lines and 96 machines; returns the ids by group."""
    t1 = at(DELAY)

    def create(**members: Any) -> str:
        created = body(client.create_entity(workspaceId=WS, **members))
        entity_id: str = created["entityId"]
        assert created == {
            "entityId": entity_id,
            "arn": f"{WS_ARN}/entity/{entity_id}",
            "creationDateTime": t1,
            "state": "CREATING",
        }
        return entity_id

    ids: dict[str, set[str]] = {"plant": set(), "lines": set()}
    ids["plant"].add(create(entityId="plant", entityName="Plant", description="Cookie plant"))
    for n, line in enumerate(LINES, 1):
        ids["lines"].add(
            create(
                entityId=line,
                entityName=f"Line {n}",
                parentEntityId="plant",
                components={
                    "line": {
                        "componentTypeId": LINE,
                        "properties": {"capacity": {"value": {"integerValue": 1000 * n}}},
                    }
                },
            )
        )
        ids[line] = set()
        for k in range(1, PER_LINE + 1):
            press_id = f"press-{n}-{k:02d}"
            components = machine("press", n, k)
            if press_id == "press-1-01":  # one press also has an oil sensor
                components["components"]["oiler"] = {
                    "componentTypeId": SENSOR,
                    "description": "oil pressure",
                    "properties": {"reading": {"value": {"doubleValue": 2.5}}},
                }
            ids[line].add(create(entityId=press_id, parentEntityId=line, **components))
            lathe_id = create(parentEntityId=line, **machine("lathe", n, k))  # generated id
            assert uuid.UUID(lathe_id).version == 4
            ids[line].add(lathe_id)
    ids["machines"] = ids["line-1"] | ids["line-2"] | ids["line-3"]
    ids["presses"] = {i for i in ids["machines"] if i.startswith("press-")}
    ids["all"] = ids["plant"] | ids["lines"] | ids["machines"]
    assert (len(ids["machines"]), len(ids["presses"]), len(ids["all"])) == (96, 48, 100)

    # One press, whole, as GetEntity shows it: the type's definitions, inherited flags, its
    # values, and the press's own default where it set no speed.
    d = PRESS_PROPERTIES
    press = {
        "entityId": "press-1-01",
        "entityName": "Press 1-01",
        "arn": f"{WS_ARN}/entity/press-1-01",
        "status": CREATING,
        "workspaceId": WS,
        "description": "",
        "components": {
            "machine": {
                "componentName": "machine",
                "componentTypeId": PRESS,
                "status": CREATING,
                "properties": {
                    "serial": {"definition": d["serial"], "value": {"stringValue": "SN-1-01-P"}},
                    "speed": {"definition": d["speed"], "value": {"doubleValue": 2.5}},  # default
                    "mode": {"definition": d["mode"], "value": {"stringValue": "MANUAL"}},
                    "temperature": {"definition": d["temperature"]},  # a time series: no value
                    "force": {"definition": d["force"], "value": {"doubleValue": 41.0}},
                },
                "areAllPropertiesReturned": True,
            },
            "oiler": {
                "componentName": "oiler",
                "description": "oil pressure",
                "componentTypeId": SENSOR,
                "status": CREATING,
                "properties": {
                    "reading": {
                        "definition": SENSOR_PROPERTIES["reading"],
                        "value": {"doubleValue": 2.5},
                    }
                },
                "areAllPropertiesReturned": True,
            },
        },
        "parentEntityId": "line-1",
        "hasChildEntities": False,
        "creationDateTime": t1,
        "updateDateTime": t1,
        "areAllComponentsReturned": True,
    }
    assert body(client.get_entity(workspaceId=WS, entityId="press-1-01")) == press
    clock.advance(DELAY)
    settled = body(client.get_entity(workspaceId=WS, entityId="press-1-01"))
    assert settled["status"] == ACTIVE
    assert {c["status"]["state"] for c in settled["components"].values()} == {"ACTIVE"}

    # A lathe with a generated id and no speed of its own gets the base type's default.
    lathe_id = min(ids["line-2"] - ids["presses"])
    lathe = body(client.get_entity(workspaceId=WS, entityId=lathe_id))
    assert lathe["entityName"].startswith("Lathe 2-")
    assert lathe["parentEntityId"] == "line-2"
    k = int(lathe["entityName"][-2:])
    values = {n: p.get("value") for n, p in lathe["components"]["machine"]["properties"].items()}
    assert values == {
        "serial": {"stringValue": f"SN-2-{k:02d}-L"},
        "speed": {"doubleValue": 100.0 + k if k % 2 == 0 else 1.0},
        "mode": {"stringValue": "AUTO"},
        "temperature": None,
        "spindles": {"integerValue": 1 + k % 3},
    }

    line_3 = body(client.get_entity(workspaceId=WS, entityId="line-3"))
    assert (line_3["hasChildEntities"], line_3["parentEntityId"]) == (True, "plant")
    capacity = line_3["components"]["line"]["properties"]["capacity"]
    assert capacity["value"] == {"integerValue": 3000}
    return ids


def list_and_filter(client: Any, ids: dict[str, set[str]]) -> None:
    # Every page of the whole listing: full pages but the last, no repeats, nothing skipped.
    for page_size in (7, 25, 100, 200):
        assert set(list_ids(client, page_size)) == ids["all"]

    # The summaries of the hierarchy's top.
    top = summaries(client, filters=[{"parentEntityId": "$ROOT"}])
    assert top == {
        "plant": {
            "entityId": "plant",
            "entityName": "Plant",
            "arn": f"{WS_ARN}/entity/plant",
            "status": ACTIVE,
            "description": "Cookie plant",
            "parentEntityId": "$ROOT",
            "hasChildEntities": True,
            "creationDateTime": at(DELAY),
            "updateDateTime": at(DELAY),
        }
    }
    lines = summaries(client, filters=[{"parentEntityId": "plant"}])
    assert set(lines) == ids["lines"]
    assert {(s["entityName"], s["hasChildEntities"]) for s in lines.values()} == {
        ("Line 1", True),
        ("Line 2", True),
        ("Line 3", True),
    }
    for line in LINES:
        assert set(list_ids(client, 10, filters=[{"parentEntityId": line}])) == ids[line]
    assert not any(
        s["hasChildEntities"]
        for s in summaries(client).values()
        if s["entityId"] in ids["machines"]
    )

    # componentTypeId matches components of that type or of a type extending it.
    assert set(list_ids(client, 30, filters=[{"componentTypeId": MACHINE}])) == ids["machines"]
    assert set(list_ids(client, 30, filters=[{"componentTypeId": PRESS}])) == ids["presses"]
    assert set(list_ids(client, 30, filters=[{"componentTypeId": LINE}])) == ids["lines"]
    assert set(list_ids(client, 30, filters=[{"componentTypeId": SENSOR}])) == {"press-1-01"}
    # externalId: the value of the `serial` property (isExternalId).
    assert list_ids(client, 5, filters=[{"externalId": "SN-2-07-P"}]) == ["press-2-07"]
    assert list_ids(client, 5, filters=[{"externalId": "SN-9-99-X"}]) == []

    # The API reference says of ListEntities' `filters`: "Only one object is accepted".
    both = [{"parentEntityId": "line-1"}, {"componentTypeId": PRESS}]
    with pytest.raises(client.exceptions.ValidationException) as refused:
        client.list_entities(workspaceId=WS, filters=both)
    assert refused.value.response["Error"]["Message"] == (
        "filters: only one filter is accepted, got 2"
    )

    # A token belongs to its listing.
    token = client.list_entities(workspaceId=WS, maxResults=5)["nextToken"]
    message = fails(
        client,
        "ValidationException",
        client.list_entities,
        workspaceId=WS,
        maxResults=5,
        nextToken=token,
        filters=[{"parentEntityId": "line-1"}],
    )
    assert message == "nextToken does not belong to this request (its inputs changed)"


def update_entities(client: Any, clock: ManualClock, ids: dict[str, set[str]]) -> None:
    t3 = clock.advance(DELAY)
    updated = client.update_entity(
        workspaceId=WS,
        entityId="press-1-01",
        entityName="Press 1-01 (rebuilt)",
        componentUpdates={
            "machine": {
                "updateType": "UPDATE",
                "propertyUpdates": {
                    "speed": {"updateType": "UPDATE", "value": {"doubleValue": 3.75}},
                    "mode": {"updateType": "RESET_VALUE"},
                },
            },
            "oiler": {"updateType": "DELETE"},
            "camera": {
                "updateType": "CREATE",
                "componentTypeId": SENSOR,
                "propertyUpdates": {"reading": {"value": {"doubleValue": 0.5}}},
            },
        },
    )
    assert body(updated) == {"updateDateTime": t3, "state": "UPDATING"}
    press = body(client.get_entity(workspaceId=WS, entityId="press-1-01"))
    assert (press["entityName"], press["status"], press["updateDateTime"]) == (
        "Press 1-01 (rebuilt)",
        UPDATING,
        t3,
    )
    assert press["creationDateTime"] == at(DELAY)
    assert sorted(press["components"]) == ["camera", "machine"]
    properties = press["components"]["machine"]["properties"]
    assert {n: p.get("value") for n, p in properties.items()} == {
        "serial": {"stringValue": "SN-1-01-P"},
        "speed": {"doubleValue": 3.75},
        "mode": {"stringValue": "AUTO"},  # reset: the type's default again
        "temperature": None,
        "force": {"doubleValue": 41.0},
    }
    assert press["components"]["machine"]["status"] == UPDATING
    assert press["components"]["camera"] == {
        "componentName": "camera",
        "componentTypeId": SENSOR,
        "status": CREATING,
        "properties": {
            "reading": {"definition": SENSOR_PROPERTIES["reading"], "value": {"doubleValue": 0.5}}
        },
        "areAllPropertiesReturned": True,
    }
    assert list_ids(client, 30, filters=[{"componentTypeId": SENSOR}]) == ["press-1-01"]

    # Move it to line 2.
    t4 = clock.advance(DELAY)
    moved = client.update_entity(
        workspaceId=WS,
        entityId="press-1-01",
        parentEntityUpdate={"updateType": "UPDATE", "parentEntityId": "line-2"},
    )
    assert body(moved) == {"updateDateTime": t4, "state": "UPDATING"}
    press = body(client.get_entity(workspaceId=WS, entityId="press-1-01"))
    assert (press["parentEntityId"], press["status"]) == ("line-2", UPDATING)
    clock.advance(DELAY)
    press = body(client.get_entity(workspaceId=WS, entityId="press-1-01"))
    assert press["status"] == ACTIVE
    assert {c["status"]["state"] for c in press["components"].values()} == {"ACTIVE"}
    ids["line-1"].discard("press-1-01")
    ids["line-2"].add("press-1-01")
    assert set(list_ids(client, 10, filters=[{"parentEntityId": "line-1"}])) == ids["line-1"]
    assert set(list_ids(client, 10, filters=[{"parentEntityId": "line-2"}])) == ids["line-2"]
    assert (len(ids["line-1"]), len(ids["line-2"])) == (31, 33)


def refused_requests(client: Any, ids: dict[str, set[str]]) -> None:
    def create(code: str, **members: Any) -> str:
        members.setdefault("entityName", "Spare")
        return fails(client, code, client.create_entity, workspaceId=WS, **members)

    spare = machine("press", 1, 99)
    assert create("ConflictException", entityId="press-2-07", **spare) == (
        f"Entity press-2-07 already exists in workspace {WS}"
    )
    assert create("ConflictException", entityId="line-1") == (
        f"Entity line-1 already exists in workspace {WS}"
    )
    assert create("ValidationException", parentEntityId="line-9", **spare) == (
        "1 validation error detected: parentEntityId: entity line-9 does not exist"
    )
    assert create(
        "ValidationException",
        components={
            "machine": {
                "componentTypeId": MACHINE,
                "properties": {"serial": {"value": {"stringValue": "SN-X"}}},
            }
        },
    ) == (
        "1 validation error detected: components['machine'].componentTypeId: component type "
        f"{MACHINE} is abstract (a function has no implementedBy); an entity cannot use it"
    )
    assert create(
        "ValidationException", components={"robot": {"componentTypeId": "com.example.robot"}}
    ) == (
        "1 validation error detected: components['robot'].componentTypeId: component type "
        f"com.example.robot does not exist in workspace {WS}"
    )
    wrong = machine("press", 1, 98)
    wrong["components"]["machine"]["properties"]["speed"] = {"value": {"stringValue": "fast"}}
    assert create("ValidationException", **wrong) == (
        "1 validation error detected: components['machine'].properties['speed'].value: "
        "expected doubleValue (DOUBLE), got stringValue"
    )
    no_serial = {"machine": {"componentTypeId": LATHE}}
    assert create("ValidationException", components=no_serial) == (
        "1 validation error detected: components['machine'].properties['serial']: is required "
        "in an entity (isRequiredInEntity) and has no default value: give it a value"
    )
    message = fails(
        client,
        "ValidationException",
        client.update_entity,
        workspaceId=WS,
        entityId="press-2-07",
        componentUpdates={
            "machine": {"propertyUpdates": {"spindles": {"value": {"integerValue": 2}}}}
        },
    )
    assert message == (
        "1 validation error detected: componentUpdates['machine'].propertyUpdates['spindles']: "
        f"is not a property of component type {PRESS}: give a definition to add it to the "
        "component"
    )
    message = fails(
        client,
        "ValidationException",
        client.update_entity,
        workspaceId=WS,
        entityId="press-2-07",
        componentUpdates={
            "machine": {"propertyUpdates": {"mode": {"value": {"stringValue": "X"}}}}
        },
    )
    assert message == (
        "1 validation error detected: componentUpdates['machine'].propertyUpdates['mode'].value: "
        "stringValue='X' is not one of the allowed values (stringValue='AUTO', "
        "stringValue='MANUAL')"
    )
    message = fails(
        client, "ValidationException", client.delete_entity, workspaceId=WS, entityId="line-1"
    )
    assert message == "Entity line-1 has child entities: set isRecursive to true to delete them too"
    message = fails(
        client,
        "ValidationException",
        client.delete_entity,
        workspaceId=WS,
        entityId="plant",
        isRecursive=False,
    )
    assert message == "Entity plant has child entities: set isRecursive to true to delete them too"
    message = fails(
        client, "ResourceNotFoundException", client.get_entity, workspaceId=WS, entityId="ghost"
    )
    assert message == f"Entity ghost not found in workspace {WS}"
    message = fails(
        client,
        "ValidationException",
        client.delete_component_type,
        workspaceId=WS,
        componentTypeId=PRESS,
    )
    assert message == (
        f"Component type {PRESS} is in use and cannot be deleted: entity press-1-01 has a "
        "component of it"
    )
    message = fails(client, "ValidationException", client.delete_workspace, workspaceId=WS)
    assert message == f"Workspace {WS} still holds entities, component types: delete them first"
    # Nothing of a refused request was written.
    assert set(list_ids(client, 200)) == ids["all"]
    assert body(client.get_entity(workspaceId=WS, entityId="press-2-07"))["updateDateTime"] == at(
        DELAY
    )


def delete_the_plant(client: Any, clock: ManualClock, ids: dict[str, set[str]]) -> None:
    deleted = client.delete_entity(workspaceId=WS, entityId="plant", isRecursive=True)
    assert body(deleted) == {"state": "DELETING"}
    for entity_id in ("plant", "line-3", "press-3-16", min(ids["machines"] - ids["presses"])):
        entity = body(client.get_entity(workspaceId=WS, entityId=entity_id))
        assert entity["status"] == DELETING, entity_id
    deleting = [s["status"] for s in summaries(client).values()]
    assert deleting == [DELETING] * 100

    clock.advance(DELAY)
    for entity_id in ("plant", "line-3", "press-1-01"):
        message = fails(
            client,
            "ResourceNotFoundException",
            client.get_entity,
            workspaceId=WS,
            entityId=entity_id,
        )
        assert message == f"Entity {entity_id} not found in workspace {WS}"
    assert body(client.list_entities(workspaceId=WS)) == {"entitySummaries": []}
    assert body(client.list_entities(workspaceId=WS, filters=[{"parentEntityId": "$ROOT"}])) == {
        "entitySummaries": []
    }


def clean_up(client: Any, clock: ManualClock) -> None:
    def delete_type(type_id: str) -> dict[str, Any]:
        return body(client.delete_component_type(workspaceId=WS, componentTypeId=type_id))

    message = fails(client, "ValidationException", client.delete_workspace, workspaceId=WS)
    assert message == f"Workspace {WS} still holds component types: delete them first"

    message = fails(
        client,
        "ValidationException",
        client.delete_component_type,
        workspaceId=WS,
        componentTypeId=MACHINE,
    )
    assert message == (
        f"Component type {MACHINE} is in use and cannot be deleted: component type {LATHE} "
        f"extends it; component type {PRESS} extends it"
    )
    for type_id in (PRESS, LATHE, LINE, SENSOR):
        assert delete_type(type_id) == {"state": "DELETING"}
    press = body(client.get_component_type(workspaceId=WS, componentTypeId=PRESS))
    assert press["status"] == DELETING
    clock.advance(DELAY)
    assert delete_type(MACHINE) == {"state": "DELETING"}
    clock.advance(DELAY)
    for type_id in USER_TYPES:
        message = fails(
            client,
            "ResourceNotFoundException",
            client.get_component_type,
            workspaceId=WS,
            componentTypeId=type_id,
        )
        assert message == f"Component type {type_id} not found in workspace {WS}"
    mine = client.list_component_types(workspaceId=WS, filters=[{"namespace": "com.example"}])
    assert body(mine) == {"workspaceId": WS, "componentTypeSummaries": []}

    assert body(client.delete_workspace(workspaceId=WS)) == {"message": f"Workspace {WS} deleted"}
    message = fails(client, "ResourceNotFoundException", client.get_workspace, workspaceId=WS)
    assert message == f"Workspace {WS} not found"
    assert body(client.list_workspaces()) == {"workspaceSummaries": []}


def test_a_plant_from_workspace_to_clean_up(client: Any, clock: ManualClock) -> None:
    create_workspace(client)
    create_component_types(client, clock)
    ids = create_plant(client, clock)
    list_and_filter(client, ids)
    update_entities(client, clock, ids)
    refused_requests(client, ids)
    delete_the_plant(client, clock, ids)
    clean_up(client, clock)
