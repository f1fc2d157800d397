"""Workspaces, scenes and tags through boto3, answered by the in-process emulator."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

import pytest

import twinkit.local
from twinkit.local import ManualClock
from twinkit.local._state import Journal

ROLE = "arn:aws:iam::123456789012:role/twinmaker"
BUCKET = "arn:aws:s3:::twin-bucket"
START = datetime(2026, 1, 1, tzinfo=timezone.utc)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def client(clock: ManualClock) -> Iterator[Any]:
    with twinkit.local.emulator(clock=clock) as twin:
        yield twin.client()


def _error(excinfo: pytest.ExceptionInfo[Any]) -> tuple[str, str, int]:
    error = excinfo.value.response["Error"]
    return (
        error["Code"],
        error["Message"],
        excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"],
    )


def test_workspace_lifecycle(client: Any, clock: ManualClock) -> None:
    created = client.create_workspace(
        workspaceId="factory", role=ROLE, s3Location=BUCKET, description="cookies"
    )
    assert created["arn"] == "arn:aws:iottwinmaker:us-east-1:123456789012:workspace/factory"
    assert created["creationDateTime"] == START
    clock.advance(60)
    client.update_workspace(workspaceId="factory", description="more cookies")
    got = client.get_workspace(workspaceId="factory")
    got.pop("ResponseMetadata")
    assert got == {
        "workspaceId": "factory",
        "arn": created["arn"],
        "description": "more cookies",
        "s3Location": BUCKET,
        "role": ROLE,
        "creationDateTime": START,
        "updateDateTime": datetime(2026, 1, 1, 0, 1, tzinfo=timezone.utc),
    }
    assert client.get_workspace(workspaceId=created["arn"])["workspaceId"] == "factory"
    assert client.delete_workspace(workspaceId="factory")["message"] == "Workspace factory deleted"
    with pytest.raises(client.exceptions.ResourceNotFoundException) as caught:
        client.get_workspace(workspaceId="factory")
    assert _error(caught) == ("ResourceNotFoundException", "Workspace factory not found", 404)


def test_workspace_errors(client: Any) -> None:
    client.create_workspace(workspaceId="factory")
    with pytest.raises(client.exceptions.ConflictException) as caught:
        client.create_workspace(workspaceId="factory")
    assert _error(caught) == ("ConflictException", "Workspace factory already exists", 409)
    with pytest.raises(client.exceptions.ValidationException) as caught:
        client.create_workspace(workspaceId="bad id!", role="not-an-arn-but-long-enough")
    code, message, status = _error(caught)
    assert (code, status) == ("ValidationException", 400)
    assert message == (
        "2 validation errors detected: workspaceId: expected a string matching "
        "'[a-zA-Z_0-9][a-zA-Z_\\-0-9]*[a-zA-Z0-9]+', got 'bad id!'; role: expected a string "
        "matching 'arn:((aws)|(aws-cn)|(aws-us-gov)):iam::[0-9]{12}:role/.*', "
        "got 'not-an-arn-but-long-enough'"
    )


def test_a_workspace_holding_scenes_cannot_be_deleted(client: Any) -> None:
    client.create_workspace(workspaceId="factory")
    client.create_scene(workspaceId="factory", sceneId="main", contentLocation="s3://b/main.json")
    with pytest.raises(client.exceptions.ValidationException) as caught:
        client.delete_workspace(workspaceId="factory")
    assert _error(caught)[1] == "Workspace factory still holds scenes: delete them first"
    client.delete_scene(workspaceId="factory", sceneId="main")
    client.delete_workspace(workspaceId="factory")
    assert client.list_workspaces()["workspaceSummaries"] == []


def test_listing_workspaces_pages_without_skipping_or_repeating(client: Any) -> None:
    names = [f"ws{i:02d}" for i in range(11)]
    for name in reversed(names):
        client.create_workspace(workspaceId=name)
    seen: list[str] = []
    token = None
    pages = 0
    while True:
        kwargs = {"maxResults": 3, **({"nextToken": token} if token else {})}
        response = client.list_workspaces(**kwargs)
        seen += [w["workspaceId"] for w in response["workspaceSummaries"]]
        pages += 1
        token = response.get("nextToken")
        if token is None:
            break
    assert seen == names
    assert pages == 4
    with pytest.raises(client.exceptions.ValidationException) as caught:
        client.list_workspaces(nextToken="not-a-token")
    assert _error(caught)[1] == "nextToken is not a token this service issued"


def test_scene_lifecycle_and_paging(client: Any, clock: ManualClock) -> None:
    client.create_workspace(workspaceId="factory")
    arn = client.create_scene(
        workspaceId="factory",
        sceneId="main",
        contentLocation="s3://bucket/main.json",
        capabilities=["DYNAMIC_SCENE"],
        sceneMetadata={"floor": "1"},
        tags={"team": "ops"},
    )["arn"]
    assert arn == "arn:aws:iottwinmaker:us-east-1:123456789012:workspace/factory/scene/main"
    clock.advance(5)
    client.update_scene(workspaceId="factory", sceneId="main", description="ground floor")
    scene = client.get_scene(workspaceId="factory", sceneId="main")
    scene.pop("ResponseMetadata")
    assert scene == {
        "workspaceId": "factory",
        "sceneId": "main",
        "contentLocation": "s3://bucket/main.json",
        "arn": arn,
        "creationDateTime": START,
        "updateDateTime": datetime(2026, 1, 1, 0, 0, 5, tzinfo=timezone.utc),
        "description": "ground floor",
        "capabilities": ["DYNAMIC_SCENE"],
        "sceneMetadata": {"floor": "1"},
    }
    assert client.list_tags_for_resource(resourceARN=arn)["tags"] == {"team": "ops"}
    for i in range(4):
        client.create_scene(workspaceId="factory", sceneId=f"s{i}", contentLocation="s3://b/x")
    first = client.list_scenes(workspaceId="factory", maxResults=3)
    second = client.list_scenes(workspaceId="factory", maxResults=3, nextToken=first["nextToken"])
    ids = [s["sceneId"] for s in first["sceneSummaries"] + second["sceneSummaries"]]
    assert ids == ["main", "s0", "s1", "s2", "s3"]
    assert "nextToken" not in second
    with pytest.raises(client.exceptions.ConflictException):
        client.create_scene(workspaceId="factory", sceneId="main", contentLocation="s3://b/x")
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.get_scene(workspaceId="factory", sceneId="nope")


def test_tags_on_any_taggable_resource(client: Any) -> None:
    arn = client.create_workspace(workspaceId="factory", tags={"a": "1"})["arn"]
    client.tag_resource(resourceARN=arn, tags={"b": "2", "a": "3"})
    assert client.list_tags_for_resource(resourceARN=arn)["tags"] == {"a": "3", "b": "2"}
    client.untag_resource(resourceARN=arn, tagKeys=["a", "missing"])
    assert client.list_tags_for_resource(resourceARN=arn)["tags"] == {"b": "2"}
    with pytest.raises(client.exceptions.TooManyTagsException) as caught:
        client.tag_resource(resourceARN=arn, tags={f"k{i}": "v" for i in range(50)})
    assert _error(caught) == ("TooManyTagsException", "a resource has at most 50 tags", 400)
    assert client.list_tags_for_resource(resourceARN=arn)["tags"] == {"b": "2"}  # unchanged
    missing = "arn:aws:iottwinmaker:us-east-1:123456789012:workspace/nope"
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.list_tags_for_resource(resourceARN=missing)


def test_the_journal_undoes_every_change_newest_first() -> None:
    first: dict[str, int] = {"kept": 1, "changed": 2, "removed": 3}
    second: dict[str, int] = {}
    journal = Journal()
    journal.put(first, "changed", 20)
    journal.put(first, "added", 4)
    journal.remove(first, "removed")
    journal.put(second, "x", 1)
    journal.put(second, "x", 2)
    journal.remove(first, "never-there")
    assert first == {"kept": 1, "changed": 20, "added": 4}
    journal.rollback()
    assert first == {"kept": 1, "changed": 2, "removed": 3}
    assert second == {}


def test_every_operation_of_the_model_has_a_backend() -> None:
    from twinkit._generated.tables import OPERATIONS
    from twinkit.local._backends import load_all

    assert sorted(load_all()) == sorted(OPERATIONS)
    assert len(OPERATIONS) == 40
