"""Async pagers: lazy, every page, resumable, bounded; through the emulator and aiobotocore.

Mirrors tests/test_paging.py on both transports, plus history's `max_items` (which counts
values), and a property: for any pages, `AsyncPager` yields what `Pager` yields.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import twinkit.aio
from twinkit import errors, models
from twinkit.paging import AsyncPager, Page, Pager

TIMES = [f"2026-01-01T00:00:{s:02d}.000000000Z" for s in range(25)]


@pytest.fixture
def twinmaker_emulator_options() -> dict[str, Any]:
    return {"transition_delay": 0}


class CallCounter:
    """Counts the requests a client sends (a `before-send` observer; it answers nothing)."""

    def __init__(self, client: Any) -> None:
        self.calls: list[str] = []
        client.meta.events.register_first("before-send.iottwinmaker", self)

    def __call__(self, request: Any, **_: Any) -> None:
        self.calls.append(request.url.rsplit("/", 1)[-1])


@pytest.fixture
async def tm(atm: twinkit.aio.TwinMaker) -> twinkit.aio.TwinMaker:
    """`atm` with ten workspaces, ws0 to ws9."""
    await asyncio.gather(*(atm.create_workspace(workspace_id=f"ws{i}") for i in range(10)))
    return atm


async def test_iterating_fetches_every_page_lazily(tm: twinkit.aio.TwinMaker) -> None:
    counter = CallCounter(tm.boto3_client)
    pager = tm.paginate.list_workspaces(page_size=3)
    assert counter.calls == []  # nothing is fetched before it is needed
    items = aiter(pager)
    assert (await anext(items)).workspace_id == "ws0"
    assert len(counter.calls) == 1
    assert [w.workspace_id async for w in items] == [f"ws{i}" for i in range(1, 10)]
    assert len(counter.calls) == 4  # 3 + 3 + 3 + 1


async def test_pages_and_resuming_from_a_continuation_token(tm: twinkit.aio.TwinMaker) -> None:
    pager = tm.paginate.list_workspaces(page_size=4)
    first = await anext(aiter(pager.by_page()))
    assert isinstance(first, Page)
    assert [w.workspace_id for w in first] == ["ws0", "ws1", "ws2", "ws3"]
    assert first.continuation_token is not None
    resumed = [page async for page in pager.by_page(continuation_token=first.continuation_token)]
    assert [[w.workspace_id for w in page] for page in resumed] == [
        ["ws4", "ws5", "ws6", "ws7"],
        ["ws8", "ws9"],
    ]
    assert resumed[-1].continuation_token is None
    assert [len(p) async for p in pager.pages()] == [4, 4, 2]


async def test_max_items_stops_early_and_asks_for_no_more_than_needed(
    tm: twinkit.aio.TwinMaker,
) -> None:
    counter = CallCounter(tm.boto3_client)
    pager = tm.paginate.list_workspaces(page_size=4, max_items=5)
    assert [w.workspace_id for w in await pager.to_list()] == ["ws0", "ws1", "ws2", "ws3", "ws4"]
    assert len(counter.calls) == 2
    assert await tm.paginate.list_workspaces(max_items=0).first() is None
    assert len(counter.calls) == 2  # max_items=0 asks for nothing


async def test_first_fetches_only_the_first_page(tm: twinkit.aio.TwinMaker) -> None:
    counter = CallCounter(tm.boto3_client)
    first = await tm.paginate.list_workspaces(page_size=2).first()
    assert first is not None
    assert first.workspace_id == "ws0"
    assert len(counter.calls) == 1


async def test_a_failed_page_carries_its_token(tm: twinkit.aio.TwinMaker) -> None:
    pager = tm.paginate.list_workspaces(page_size=3)
    with pytest.raises(errors.ServiceValidationError) as caught:
        await anext(aiter(pager.by_page(continuation_token="forged")))
    assert caught.value.continuation_token == "forged"  # type: ignore[attr-defined]


async def test_a_page_failing_midway_can_be_resumed(
    tm: twinkit.aio.TwinMaker, emulator: Any
) -> None:
    pager = tm.paginate.list_workspaces(page_size=4)
    emulator.fail_next("AccessDeniedException", operation="ListWorkspaces")
    with pytest.raises(errors.AccessDeniedError) as caught:
        await pager.to_list()
    assert caught.value.continuation_token is None  # type: ignore[attr-defined]
    pages = aiter(pager.by_page())
    seen = [w.workspace_id for w in await anext(pages)]
    emulator.fail_next("AccessDeniedException", operation="ListWorkspaces")
    with pytest.raises(errors.AccessDeniedError) as caught:
        await anext(pages)
    token = caught.value.continuation_token  # type: ignore[attr-defined]
    assert token is not None
    seen += [w.workspace_id async for page in pager.by_page(token) for w in page]
    assert seen == [f"ws{i}" for i in range(10)]


async def test_maps_page_as_key_value_pairs(tm: twinkit.aio.TwinMaker) -> None:
    arn = (await tm.get_workspace(workspace_id="ws0")).arn
    await tm.tag_resource(resource_arn=arn, tags={f"k{i}": str(i) for i in range(7)})
    pairs = await tm.paginate.list_tags_for_resource(resource_arn=arn, page_size=3).to_list()
    assert pairs == [(f"k{i}", str(i)) for i in range(7)]


async def test_map_applies_to_every_item_as_lazily(tm: twinkit.aio.TwinMaker) -> None:
    counter = CallCounter(tm.boto3_client)

    def workspace_id(summary: models.WorkspaceSummary) -> str:
        return summary.workspace_id

    ids = tm.paginate.list_workspaces(page_size=4, max_items=6).map(workspace_id)
    assert counter.calls == []
    assert await ids.to_list() == [f"ws{i}" for i in range(6)]
    assert len(counter.calls) == 2
    assert repr(ids) == "AsyncPager[str](list_workspaces, mapped, page_size=4, max_items=6)"


async def test_history_max_items_counts_values(atm: twinkit.aio.TwinMaker) -> None:
    await atm.create_workspace(workspace_id="factory")
    sensor = models.PropertyDefinitionRequest(
        data_type=models.DataType(type=models.Type.DOUBLE), is_time_series=True
    )
    await atm.create_component_type(
        workspace_id="factory",
        component_type_id="com.example.sensors",
        property_definitions={"a": sensor, "b": sensor},
    )
    await atm.create_entity(
        workspace_id="factory",
        entity_id="mixer",
        entity_name="mixer",
        components={"sensors": models.ComponentRequest(component_type_id="com.example.sensors")},
    )
    entries = [
        models.PropertyValueEntry(
            entity_property_reference=models.EntityPropertyReference(
                entity_id="mixer", component_name="sensors", property_name=name
            ),
            property_values=[
                models.PropertyValue(time=t, value=models.DataValue(double_value=float(k)))
                for k, t in enumerate(TIMES[first : first + 10], start=first)
            ],
        )
        for name in ("a", "b")
        for first in range(0, len(TIMES), 10)
    ]
    await atm.batch_put_property_values(workspace_id="factory", entries=entries)

    def history(page_size: int, max_items: int | None) -> AsyncPager[models.PropertyValueHistory]:
        return atm.paginate.get_property_value_history(
            workspace_id="factory",
            entity_id="mixer",
            component_name="sensors",
            selected_properties=["a", "b"],
            start_time=TIMES[0],
            end_time="2026-01-02T00:00:00.000000000Z",
            page_size=page_size,
            max_items=max_items,
        )

    everything = {
        (series.entity_property_reference.property_name, value.time)
        for series in await history(page_size=7, max_items=None).to_list()
        for value in series.values or ()
    }
    assert len(everything) == 50  # 25 values in each of 2 series, over 8 pages
    for page_size, max_items in [(5, 3), (4, 11), (7, 25), (7, 26), (10, 50), (3, 60)]:
        pages = [page async for page in history(page_size, max_items).by_page()]
        values = [
            (series.entity_property_reference.property_name, value.time)
            for page in pages
            for series in page
            for value in series.values or ()
        ]
        # Cut to the value, never past max_items, nor past the page size asked for.
        assert len(values) == min(max_items, 50), (page_size, max_items)
        assert len(set(values)) == len(values)
        assert set(values) <= everything
        counted = [sum(len(series.values or ()) for series in page) for page in pages]
        assert all(count <= page_size for count in counted)


def _fetcher(pages: Sequence[Sequence[int]]) -> Any:
    """A fetch function over fixed pages, whose tokens are the next page's index."""

    def fetch(token: str | None, size: int | None) -> tuple[Sequence[int], str | None]:
        index = int(token or 0)
        items = pages[index][:size] if size is not None else pages[index]
        return items, str(index + 1) if index + 1 < len(pages) else None

    return fetch


@given(
    pages=st.lists(st.lists(st.integers(), max_size=5), min_size=1, max_size=6),
    page_size=st.none() | st.integers(min_value=1, max_value=6),
    max_items=st.none() | st.integers(min_value=0, max_value=20),
    start=st.integers(min_value=0, max_value=5),
)
def test_an_async_pager_yields_what_a_pager_yields(
    pages: list[list[int]], page_size: int | None, max_items: int | None, start: int
) -> None:
    fetch = _fetcher(pages)

    async def fetch_async(token: str | None, size: int | None) -> tuple[Sequence[int], str | None]:
        await asyncio.sleep(0)
        result: tuple[Sequence[int], str | None] = fetch(token, size)
        return result

    token = str(start) if start < len(pages) else None
    blocking = Pager(fetch, page_size=page_size, max_items=max_items)
    expected = [(list(p.items), p.continuation_token) for p in blocking.by_page(token)]

    async def pages_of_the_async_pager() -> list[tuple[list[int], str | None]]:
        pager = AsyncPager(fetch_async, page_size=page_size, max_items=max_items)
        return [(list(p.items), p.continuation_token) async for p in pager.by_page(token)]

    assert asyncio.run(pages_of_the_async_pager()) == expected
    every = list(blocking)
    pager = AsyncPager(fetch_async, page_size=page_size, max_items=max_items)
    assert asyncio.run(pager.to_list()) == every
    assert asyncio.run(pager.first()) == blocking.first()


async def test_pager_arguments_are_checked() -> None:
    async def fetch(token: str | None, size: int | None) -> tuple[list[int], str | None]:
        return [1, 2], None

    with pytest.raises(ValueError, match="page_size must be at least 1, got 0"):
        AsyncPager(fetch, page_size=0)
    with pytest.raises(ValueError, match="max_items must not be negative, got -1"):
        AsyncPager(fetch, max_items=-1)
    assert await AsyncPager(fetch).to_list() == [1, 2]
    assert repr(AsyncPager(fetch)) == "AsyncPager(page_size=None, max_items=None)"


async def test_the_generated_pagers_say_what_they_list(atm: twinkit.aio.TwinMaker) -> None:
    pager = atm.paginate.list_entities(workspace_id="factory", page_size=4, max_items=9)
    assert repr(pager) == "AsyncPager[EntitySummary](list_entities, page_size=4, max_items=9)"
