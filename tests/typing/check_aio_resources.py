"""Type-checked by `mypy --strict`, never run: the async handles and their awaited results."""

from __future__ import annotations

from collections.abc import AsyncIterator

from typing_extensions import assert_type

import twinkit.aio
from twinkit import models
from twinkit.aio.dataplane import AsyncBatchWriter, AsyncHistory
from twinkit.aio.paging import AsyncPager
from twinkit.aio.query import AsyncQueryResult
from twinkit.aio.resources import (
    ComponentType,
    Entity,
    EntityChildren,
    MetadataTransferJob,
    Scene,
    SyncJob,
    Workspace,
)
from twinkit.aio.waiting import AsyncPoller
from twinkit.dataplane import WriteResult
from twinkit.query import EntityNode, QueryRow
from twinkit.resources import EntityTree
from twinkit.values import PyValue


async def check(tm: twinkit.aio.TwinMaker) -> None:
    # Handles cost no call; what they read from a fetched description is plain attributes.
    ws = tm.workspaces("factory")
    assert_type(ws, Workspace)
    assert_type(await tm.workspaces.create("factory"), Workspace)
    assert_type(await tm.workspaces.get("factory"), Workspace)
    assert_type(await ws.get_data(), models.GetWorkspaceResponse)
    assert_type(await ws.refresh(), Workspace)
    assert_type(ws.data, models.GetWorkspaceResponse)
    assert_type(ws.arn, str)
    assert_type(await ws.exists(), bool)
    assert_type(tm.workspaces.list(), AsyncPager[Workspace])
    assert_type(await tm.workspaces.list().to_list(), list[Workspace])
    assert_type(await ws.wait_until_exists(timeout=5), Workspace)
    assert_type(await ws.wait_until_deleted(timeout=5), None)
    ws.arn()  # type: ignore[operator]
    await ws.data  # type: ignore[misc]
    tm.workspaces.list().to_list()[0]  # type: ignore[index]

    ct = ws.component_types("com.example.pump")
    assert_type(ct, ComponentType)
    assert_type(await ct.wait_until_active(), ComponentType)
    assert_type(ct.state, str | None)
    assert_type(ct.extends_from, list[ComponentType])
    assert_type(ws.component_types.list(namespace="com.example"), AsyncPager[ComponentType])
    # The definition's options are one TypedDict, checked by name and type like parameters.
    assert_type(await ct.update(extends_from=[ct, "com.example.base"], name="Pump"), ComponentType)
    assert_type(await ws.component_types.create("t", properties={}, tags={"a": "b"}), ComponentType)
    await ct.update(extends_from=ct)  # type: ignore[arg-type]
    await ct.update(colour="red")  # type: ignore[call-arg]

    entity = await ws.entities.create("Pump 1", parent="plant")
    assert_type(entity, Entity)
    assert_type(entity.parent, Entity | None)
    assert_type(entity.children, EntityChildren)
    assert_type(entity.children.__aiter__(), AsyncIterator[Entity])
    assert_type(entity.walk(), AsyncIterator[Entity])
    assert_type(await entity.tree(max_depth=2), EntityTree)
    assert_type(await ws.entities.tree(), EntityTree)
    assert_type(ws.query("SELECT e FROM EntityGraph MATCH (e)"), AsyncQueryResult)
    assert_type(await ws.query("SELECT e FROM EntityGraph MATCH (e)").to_list(), list[QueryRow])
    assert_type(entity.related(direction="in"), AsyncPager[EntityNode])
    assert_type(entity.descendants(max_depth=2), AsyncPager[EntityNode])
    entity.related(direction="up")  # type: ignore[arg-type]
    assert_type(await entity.set_values("pump", {"rpm": 1.0}), Entity)
    assert_type(await entity.move_to(None), Entity)
    assert_type(entity.values("pump"), dict[str, PyValue])
    assert_type(await entity.latest("pump", "rpm"), dict[str, PyValue | None])
    history = await entity.history("pump", "rpm", start=0, end=10)
    assert_type(history, AsyncHistory)
    await entity.history("pump", "rpm", start=0)  # type: ignore[call-arg]
    await entity.history("pump", "rpm", start=0, end=1, page_size="2")  # type: ignore[arg-type]
    assert_type(await entity.put_values("pump", {"rpm": []}, max_attempts=2), WriteResult)
    await entity.put_values("pump", {}, max_tries=2)  # type: ignore[call-arg]
    entity.history("pump", start=0, end=1).to_list()  # type: ignore[attr-defined]

    assert_type(await ws.history("rpm", component_type=ct, start=0, end=1), AsyncHistory)
    assert_type(await ws.put_values({entity: {"pump": {}}}), WriteResult)
    assert_type(ws.batch_writer(max_concurrency=4), AsyncBatchWriter)

    assert_type(await ws.scenes.create("main", content_location="s3://b/k.json"), Scene)
    assert_type(ws.sync_jobs("SITEWISE"), SyncJob)
    assert_type(await ws.sync_jobs("SITEWISE").wait_until_active(), SyncJob)
    job = tm.metadata_transfer_jobs("j1")
    assert_type(await job.wait_until_complete(), MetadataTransferJob)
    assert_type(await job.cancel(), MetadataTransferJob)
    assert_type(await tm.pricing_plan.get(), models.GetPricingPlanResponse)


async def check_poller(poller: AsyncPoller[models.GetEntityResponse]) -> None:
    assert_type(await poller.result(timeout=1), models.GetEntityResponse | None)
    assert_type(await poller.done(), bool)
    assert_type(poller.status(), str | None)
