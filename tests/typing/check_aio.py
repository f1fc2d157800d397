"""Type-checked by `mypy --strict`, never run: the async client, its pagers and its lifecycle
are as precise as the blocking ones (aiobotocore's own client stays `Any`: it has no types)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Coroutine
from typing import Any

from aiobotocore.session import AioSession
from botocore.config import Config
from typing_extensions import assert_type

import twinkit.aio
from twinkit import models
from twinkit.aio.paging import AsyncPager as PublicAsyncPager
from twinkit.local import Emulator
from twinkit.paging import AsyncPager, Page


async def operations(tm: twinkit.aio.TwinMaker) -> None:
    # Every operation is a coroutine of its output model.
    pending = tm.get_entity(workspace_id="w", entity_id="e")
    _ = assert_type(pending, Coroutine[Any, Any, models.GetEntityResponse])
    assert_type(await pending, models.GetEntityResponse)
    assert_type(await tm.list_workspaces(), models.ListWorkspacesResponse)
    assert_type(
        await tm.batch_put_property_values(workspace_id="w", entries=[]),
        models.BatchPutPropertyValuesResponse,
    )
    await tm.get_entity(workspace_id="w")  # type: ignore[call-arg]
    await tm.get_entity(workspace_id="w", entity_id=1)  # type: ignore[arg-type]
    await tm.get_entity("w", "e")  # type: ignore[call-arg]  # keyword-only


async def pagers(tm: twinkit.aio.TwinMaker) -> None:
    # Pagers yield the items of their operation, in `async for`.
    entities = tm.paginate.list_entities(workspace_id="w", page_size=10)
    assert_type(entities, AsyncPager[models.EntitySummary])
    assert_type(aiter(entities), AsyncIterator[models.EntitySummary])
    async for entity in entities:
        assert_type(entity, models.EntitySummary)
    assert_type(entities.by_page(), AsyncIterator[Page[models.EntitySummary]])
    async for page in entities.by_page(continuation_token="token"):
        assert_type(page, Page[models.EntitySummary])
        assert_type(page.continuation_token, str | None)
    assert_type(await entities.to_list(), list[models.EntitySummary])
    assert_type(await entities.first(), models.EntitySummary | None)
    assert_type(entities.map(lambda e: e.entity_id), AsyncPager[str])
    assert_type(
        tm.paginate.get_property_value_history(workspace_id="w", selected_properties=["rpm"]),
        AsyncPager[models.PropertyValueHistory],
    )
    assert_type(
        tm.paginate.list_tags_for_resource(resource_arn="arn"), PublicAsyncPager[tuple[str, str]]
    )
    for _ in entities:  # type: ignore[attr-defined]  # an async pager is no plain iterable
        pass


async def lifecycle() -> None:
    async with twinkit.aio.TwinMaker(
        session=AioSession(), region_name="us-east-1", config=Config(max_pool_connections=32)
    ) as tm:
        assert_type(tm, twinkit.aio.TwinMaker)
    assert_type(await twinkit.aio.TwinMaker().open(), twinkit.aio.TwinMaker)
    assert_type(await tm.close(), None)
    # (`session` and `client` are aiobotocore's, untyped: `Any` at that edge, on purpose.)
    twinkit.aio.TwinMaker(region="us-east-1")  # type: ignore[call-arg]

    twin = Emulator()
    async with twin.aio_client() as client:
        assert_type(twinkit.aio.TwinMaker(client=client), twinkit.aio.TwinMaker)
