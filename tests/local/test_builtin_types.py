"""The built-in types the guide's component-types page adds (`com.amazon.kvs.video`,
`com.amazon.iotsitewise.resourcesync`) and its abstract-type rule: a type with a property stored
externally and no function to read it cannot be used in an entity."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

WS = "plant"
LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:reader"
STORED = {"dataType": {"type": "DOUBLE"}, "isStoredExternally": True, "isTimeSeries": True}


@pytest.fixture
def client(twinmaker_client: Any) -> Any:
    twinmaker_client.create_workspace(workspaceId=WS, role="arn:aws:iam::123456789012:role/tm")
    return twinmaker_client


@pytest.mark.parametrize("type_id", ["com.amazon.kvs.video", "com.amazon.iotsitewise.resourcesync"])
def test_every_workspace_has_the_builtin_type(client: Any, type_id: str) -> None:
    listed = client.list_component_types(workspaceId=WS, maxResults=100)
    assert type_id in [s["componentTypeId"] for s in listed["componentTypeSummaries"]]
    got = client.get_component_type(workspaceId=WS, componentTypeId=type_id)
    assert got["isAbstract"] is False
    assert got["arn"].endswith(f"workspace/AmazonOwnedTypesWorkspace/component-type/{type_id}")


def test_a_kinesis_video_component_needs_its_stream_name(client: Any) -> None:
    video = {"componentTypeId": "com.amazon.kvs.video"}
    with pytest.raises(ClientError) as caught:
        client.create_entity(workspaceId=WS, entityName="camera", components={"video": video})
    assert "KinesisVideoStreamName" in caught.value.response["Error"]["Message"]
    named = {**video, "properties": {"KinesisVideoStreamName": {"value": {"stringValue": "cam1"}}}}
    entity = client.create_entity(workspaceId=WS, entityName="camera", components={"v": named})
    got = client.get_entity(workspaceId=WS, entityId=entity["entityId"])
    stream = got["components"]["v"]["properties"]["KinesisVideoStreamName"]
    assert stream["value"] == {"stringValue": "cam1"}
    assert stream["definition"]["isRequiredInEntity"] is True


def test_a_builtin_type_cannot_be_created_again(client: Any) -> None:
    with pytest.raises(ClientError) as caught:
        client.create_component_type(workspaceId=WS, componentTypeId="com.amazon.kvs.video")
    assert caught.value.response["Error"]["Code"] in ("ValidationException", "ConflictException")


@pytest.mark.parametrize(
    ("functions", "abstract"),
    [
        ({}, True),
        ({"dataWriter": {"implementedBy": {"lambda": {"arn": LAMBDA}}}}, True),
        ({"dataReader": {"implementedBy": {"lambda": {"arn": LAMBDA}}}}, False),
        ({"dataReaderByEntity": {"implementedBy": {"isNative": True}}}, False),
        ({"dataReaderByComponentType": {"implementedBy": {"lambda": {"arn": LAMBDA}}}}, False),
    ],
)
def test_a_property_stored_externally_needs_a_data_reader(
    client: Any, functions: dict[str, Any], abstract: bool
) -> None:
    client.create_component_type(
        workspaceId=WS,
        componentTypeId="com.example.sensor",
        propertyDefinitions={"reading": STORED},
        functions=functions,
    )
    got = client.get_component_type(workspaceId=WS, componentTypeId="com.example.sensor")
    assert got["isAbstract"] is abstract
    sensor = {"componentTypeId": "com.example.sensor"}
    if not abstract:
        client.create_entity(workspaceId=WS, entityName="s", components={"sensor": sensor})
        return
    with pytest.raises(ClientError) as caught:
        client.create_entity(workspaceId=WS, entityName="s", components={"sensor": sensor})
    message = caught.value.response["Error"]["Message"]
    assert "com.example.sensor is abstract" in message
    assert "property reading is stored externally and no data reader function reads it" in message


def test_a_child_that_adds_a_reader_is_concrete(client: Any) -> None:
    client.create_component_type(
        workspaceId=WS, componentTypeId="com.example.base", propertyDefinitions={"rpm": STORED}
    )
    client.create_component_type(
        workspaceId=WS,
        componentTypeId="com.example.motor",
        extendsFrom=["com.example.base"],
        functions={"dataReader": {"implementedBy": {"lambda": {"arn": LAMBDA}}}},
    )
    base = client.get_component_type(workspaceId=WS, componentTypeId="com.example.base")
    motor = client.get_component_type(workspaceId=WS, componentTypeId="com.example.motor")
    assert (base["isAbstract"], motor["isAbstract"]) == (True, False)
    motor_component = {"componentTypeId": "com.example.motor"}
    client.create_entity(workspaceId=WS, entityName="m", components={"motor": motor_component})
