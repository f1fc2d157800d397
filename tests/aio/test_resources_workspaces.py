"""Async workspace and scene handles, on both emulator transports (mirrors
tests/resources/test_workspaces.py), and what async handles promise as handles."""

from __future__ import annotations

import inspect

import pytest

import twinkit
import twinkit.aio
import twinkit.aio.resources
from twinkit import errors
from twinkit.aio.resources import DataNotFetchedError, Scene, Workspace

ROLE = "arn:aws:iam::123456789012:role/twinmaker"


async def test_workspace_handles(atm: twinkit.aio.TwinMaker) -> None:
    ws = await atm.workspaces.create("factory", role=ROLE, description="cookies", tags={"a": "b"})
    assert ws == atm.workspaces("factory")
    assert hash(ws) == hash(atm.workspaces("factory"))
    assert ws != atm.workspaces("other")
    assert repr(ws) == "Workspace('factory')"
    assert (await ws.get_data()).workspace_id == "factory"
    assert ws.arn == "arn:aws:iottwinmaker:us-east-1:123456789012:workspace/factory"
    assert ws.description == "cookies"
    assert (await ws.update(description="biscuits")).description == "biscuits"
    assert [w.id async for w in atm.workspaces.list()] == ["factory"]
    assert await atm.workspaces.exists("factory")
    assert not await atm.workspaces.exists("other")
    await ws.delete()
    await ws.wait_until_deleted(timeout=5, interval=0.01)
    with pytest.raises(errors.ResourceNotFoundError):
        await atm.workspaces.get("factory")


async def test_a_handle_never_fetched_says_so_instead_of_blocking(
    atm: twinkit.aio.TwinMaker,
) -> None:
    ws = atm.workspaces("factory")  # a handle costs no call, so nothing is fetched
    with pytest.raises(DataNotFetchedError, match=r"^Workspace\('factory'\) was never fetched"):
        _ = ws.arn
    with pytest.raises(errors.ResourceNotFoundError):
        await ws.get_data()
    await atm.workspaces.create("factory", description="first")
    first = await ws.get_data()
    assert first.description == "first"
    await atm.update_workspace(workspace_id="factory", description="second")
    assert await ws.get_data() is first  # get_data fetches once; refresh fetches again
    assert (await ws.refresh()).description == "second"


async def test_workspace_waiters_time_out_with_a_typed_error(atm: twinkit.aio.TwinMaker) -> None:
    ws = await atm.workspaces.create("factory")
    assert await ws.wait_until_exists(timeout=1, interval=0.01) is ws
    with pytest.raises(errors.WaitTimeoutError) as caught:
        await ws.wait_until_deleted(timeout=0.05, interval=0.01)
    assert caught.value.resource == "workspace factory"
    with pytest.raises(errors.WaitTimeoutError):
        await atm.workspaces("missing").wait_until_exists(timeout=0.05, interval=0.01)


async def test_listing_is_lazy_and_maps_to_handles(atm: twinkit.aio.TwinMaker) -> None:
    for i in range(7):
        await atm.workspaces.create(f"ws{i}")
    pager = atm.workspaces.list(page_size=2)
    pages = [[w.id for w in page] async for page in pager.by_page()]
    assert pages == [["ws0", "ws1"], ["ws2", "ws3"], ["ws4", "ws5"], ["ws6"]]
    assert all(isinstance(w, Workspace) for w in await pager.to_list())
    assert await atm.workspaces.list(max_items=3).to_list() == [
        Workspace(atm, "ws0"),
        Workspace(atm, "ws1"),
        Workspace(atm, "ws2"),
    ]


async def test_scene_handles(atm: twinkit.aio.TwinMaker) -> None:
    ws = await atm.workspaces.create("factory")
    scene = await ws.scenes.create("main", content_location="s3://bucket/main.json")
    assert scene == ws.scenes("main")
    assert repr(scene) == "Scene('factory', 'main')"
    await scene.get_data()
    assert scene.content_location == "s3://bucket/main.json"
    await scene.update(description="ground floor")
    assert (await ws.scenes.get("main")).data.description == "ground floor"
    assert await ws.scenes.list().to_list() == [Scene(ws, "main")]
    await scene.delete()
    assert not await scene.exists()
    with pytest.raises(errors.ResourceNotFoundError):
        await ws.scenes.get("main")


async def test_async_and_sync_handles_are_different_things(atm: twinkit.aio.TwinMaker) -> None:
    sync_tm = twinkit.TwinMaker(region_name="us-east-1")
    assert atm.workspaces("factory") != sync_tm.workspaces("factory")
    assert len({atm.workspaces("factory"), sync_tm.workspaces("factory")}) == 2


def test_every_public_member_of_the_async_resources_is_documented() -> None:
    # Through the MRO: the async handles inherit their reading properties from shared bases.
    for name in twinkit.aio.resources.__all__:
        obj = getattr(twinkit.aio.resources, name)
        if not inspect.isclass(obj):
            continue
        assert inspect.getdoc(obj), f"{name} has no docstring"
        for attr in dir(obj):
            member = inspect.getattr_static(obj, attr)
            if attr.startswith("_") or not (callable(member) or isinstance(member, property)):
                continue
            assert inspect.getdoc(member), f"{name}.{attr} has no docstring"


def test_every_public_method_of_a_sync_handle_has_an_async_twin() -> None:
    for name in twinkit.aio.resources.__all__:
        async_cls = getattr(twinkit.aio.resources, name)
        sync_cls = getattr(twinkit.resources, name, None)
        if not inspect.isclass(async_cls) or sync_cls is None:
            continue
        for attr, member in vars(sync_cls).items():
            if attr.startswith("_") or not inspect.isfunction(member):
                continue
            twin = getattr(async_cls, attr, None)
            assert twin is not None, f"twinkit.aio.resources.{name} has no {attr}"
