"""Workspace and scene handles on the in-process emulator."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import twinkit
import twinkit.local
from twinkit import errors
from twinkit.resources import Scene, Workspace

ROLE = "arn:aws:iam::123456789012:role/twinmaker"


@pytest.fixture
def tm() -> Iterator[twinkit.TwinMaker]:
    with twinkit.local.emulator() as twin:
        yield twinkit.TwinMaker(client=twin.client())


def test_workspace_handles(tm: twinkit.TwinMaker) -> None:
    ws = tm.workspaces.create("factory", role=ROLE, description="cookies", tags={"a": "b"})
    assert ws == tm.workspaces("factory")
    assert hash(ws) == hash(tm.workspaces("factory"))
    assert ws != tm.workspaces("other")
    assert repr(ws) == "Workspace('factory')"
    assert ws.arn == "arn:aws:iottwinmaker:us-east-1:123456789012:workspace/factory"
    assert ws.description == "cookies"
    assert ws.update(description="biscuits").description == "biscuits"
    assert [w.id for w in tm.workspaces.list()] == ["factory"]
    assert tm.workspaces.exists("factory")
    assert not tm.workspaces.exists("other")
    ws.delete()
    ws.wait_until_deleted(timeout=5, interval=0.01)
    with pytest.raises(errors.ResourceNotFoundError):
        tm.workspaces.get("factory")


def test_workspace_waiters_time_out_with_a_typed_error(tm: twinkit.TwinMaker) -> None:
    ws = tm.workspaces.create("factory")
    assert ws.wait_until_exists(timeout=1, interval=0.01) is ws
    with pytest.raises(errors.WaitTimeoutError) as caught:
        ws.wait_until_deleted(timeout=0.05, interval=0.01)
    assert caught.value.resource == "workspace factory"
    with pytest.raises(errors.WaitTimeoutError):
        tm.workspaces("missing").wait_until_exists(timeout=0.05, interval=0.01)


def test_listing_is_lazy_and_maps_to_handles(tm: twinkit.TwinMaker) -> None:
    for i in range(7):
        tm.workspaces.create(f"ws{i}")
    pager = tm.workspaces.list(page_size=2)
    pages = [[w.id for w in page] for page in pager.by_page()]
    assert pages == [["ws0", "ws1"], ["ws2", "ws3"], ["ws4", "ws5"], ["ws6"]]
    assert all(isinstance(w, Workspace) for w in pager)


def test_scene_handles(tm: twinkit.TwinMaker) -> None:
    ws = tm.workspaces.create("factory")
    scene = ws.scenes.create("main", content_location="s3://bucket/main.json")
    assert scene == ws.scenes("main")
    assert repr(scene) == "Scene('factory', 'main')"
    assert scene.content_location == "s3://bucket/main.json"
    scene.update(description="ground floor")
    assert ws.scenes.get("main").data.description == "ground floor"
    assert list(ws.scenes.list()) == [Scene(ws, "main")]
    scene.delete()
    assert not scene.exists()
    with pytest.raises(errors.ResourceNotFoundError):
        ws.scenes.get("main")
