"""Pagers: lazy, every page, resumable, bounded; through the emulator and botocore."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import twinkit.local
from twinkit import errors
from twinkit._client import TwinMaker
from twinkit.paging import Page, Pager


class CallCounter:
    def __init__(self, client: Any) -> None:
        self.calls: list[str] = []
        client.meta.events.register("before-send.iottwinmaker", self)

    def __call__(self, request: Any, **_: Any) -> None:
        self.calls.append(request.url.rsplit("/", 1)[-1])


@pytest.fixture
def tm() -> Iterator[TwinMaker]:
    with twinkit.local.emulator() as twin:
        tm = TwinMaker(client=twin.client())
        for i in range(10):
            tm.create_workspace(workspace_id=f"ws{i}")
        yield tm


def test_iterating_fetches_every_page_lazily(tm: TwinMaker) -> None:
    counter = CallCounter(tm.boto3_client)
    pager = tm.paginate.list_workspaces(page_size=3)
    assert counter.calls == []  # nothing is fetched before it is needed
    items = iter(pager)
    assert next(items).workspace_id == "ws0"
    assert len(counter.calls) == 1
    assert [w.workspace_id for w in items] == [f"ws{i}" for i in range(1, 10)]
    assert len(counter.calls) == 4  # 3 + 3 + 3 + 1


def test_pages_and_resuming_from_a_continuation_token(tm: TwinMaker) -> None:
    pager = tm.paginate.list_workspaces(page_size=4)
    pages = pager.by_page()
    first = next(pages)
    assert [w.workspace_id for w in first] == ["ws0", "ws1", "ws2", "ws3"]
    assert first.continuation_token is not None
    resumed = list(pager.by_page(continuation_token=first.continuation_token))
    assert [[w.workspace_id for w in page] for page in resumed] == [
        ["ws4", "ws5", "ws6", "ws7"],
        ["ws8", "ws9"],
    ]
    assert resumed[-1].continuation_token is None
    assert [len(p) for p in pager.pages()] == [4, 4, 2]


def test_max_items_stops_early_and_asks_for_no_more_than_needed(tm: TwinMaker) -> None:
    counter = CallCounter(tm.boto3_client)
    pager = tm.paginate.list_workspaces(page_size=4, max_items=5)
    assert [w.workspace_id for w in pager] == ["ws0", "ws1", "ws2", "ws3", "ws4"]
    assert len(counter.calls) == 2
    assert tm.paginate.list_workspaces(max_items=0).first() is None


def test_a_failed_page_carries_its_token(tm: TwinMaker) -> None:
    pager = tm.paginate.list_workspaces(page_size=3)
    with pytest.raises(errors.ServiceValidationError) as caught:
        list(pager.by_page(continuation_token="forged"))
    assert caught.value.continuation_token == "forged"  # type: ignore[attr-defined]


def test_maps_page_as_key_value_pairs(tm: TwinMaker) -> None:
    arn = tm.get_workspace(workspace_id="ws0").arn
    tm.tag_resource(resource_arn=arn, tags={f"k{i}": str(i) for i in range(7)})
    pairs = list(tm.paginate.list_tags_for_resource(resource_arn=arn, page_size=3))
    assert pairs == [(f"k{i}", str(i)) for i in range(7)]


def test_pager_arguments_are_checked() -> None:
    def fetch(token: str | None, size: int | None) -> tuple[list[int], str | None]:
        return [1, 2], None

    with pytest.raises(ValueError, match="page_size must be at least 1, got 0"):
        Pager(fetch, page_size=0)
    assert list(Pager(fetch)) == [1, 2]
    assert Page([1], None).items == [1]
