"""Lazy pagination for every paginated operation: `Pager[T]`.

A pager fetches nothing until you iterate it, and then one page at a time, only when the
previous page is used up. Iterate it for items, or call `by_page()` for pages, optionally
resuming from a continuation token saved earlier:

```python
pager = tm.paginate.list_entities(workspace_id="factory", page_size=50)
for entity in pager:                      # items, across every page
    print(entity.entity_name)

pages = pager.by_page()
first = next(pages)
token = first.continuation_token          # save it: a string, safe to store
...
for page in pager.by_page(continuation_token=token):   # resume later
    ...
```

If fetching a page fails, the error raised carries `continuation_token`: the token of the
page that failed, so the caller can retry from there.

`AsyncPager[T]` is the same pager for `twinkit.aio` (`async for`, `async for page in
pager.by_page()`); it lives here, beside `Pager`, so that both follow one set of rules.

`page_size` and `max_items` count what the operation's `maxResults` counts. For
GetPropertyValueHistory that is values, while its items are series (`PropertyValueHistory`,
several values each): its pager counts, and cuts, the values inside them.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
    Awaitable,
    Callable,
    Iterator,
    Sequence,
)
from contextlib import aclosing
from typing import Any, Generic, TypeVar

import attrs

from twinkit.models import PropertyValueHistory

__all__ = ["AsyncFetchPage", "AsyncPager", "FetchPage", "Page", "Pager"]

T = TypeVar("T")
U = TypeVar("U")

FetchPage = Callable[[str | None, int | None], tuple[Sequence[T], str | None]]
"""Fetch one page: (continuation token or None, page size or None) -> (items, next token)."""

AsyncFetchPage = Callable[[str | None, int | None], Awaitable[tuple[Sequence[T], str | None]]]
"""`FetchPage` as a coroutine function: what an `AsyncPager` awaits for each page."""


_LISTED_ITEM = re.compile(r"Sequence\[(\w+)\]")


def _item_type_of(fetch_page: object) -> str | None:
    """The item type a fetch function's return annotation names (`Sequence[EntitySummary]`),
    or None when it names a type variable or nothing (a lambda, a mapped pager)."""
    annotation = getattr(fetch_page, "__annotations__", {}).get("return")
    text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", "")
    found = _LISTED_ITEM.search(str(text))
    if found is None or len(found.group(1)) == 1:  # `T`, `U`: a type variable says nothing
        return None
    return found.group(1)


def _operation_of(fetch_page: object) -> str | None:
    """The method a generated fetch function was defined in (`list_entities`), if any."""
    parts = getattr(fetch_page, "__qualname__", "").split(".")
    if len(parts) >= 3 and parts[-2] == "<locals>" and parts[-1] == "fetch_page":
        return parts[-3]
    return None


def _size(item: object) -> int:
    """How many of what `maxResults` counts an item holds: a history series, its values."""
    if isinstance(item, PropertyValueHistory):
        return len(item.values or ())
    return 1


def _first(items: Sequence[T], limit: int) -> tuple[list[T], int]:
    """The first items holding at most `limit` counted things (a series cut if it must),
    and how many they hold."""
    kept: list[T] = []
    taken = 0
    for item in items:
        if taken >= limit:
            break
        size = _size(item)
        if size > limit - taken:
            series: Any = item
            item = attrs.evolve(series, values=list(series.values)[: limit - taken])
            size = limit - taken
        kept.append(item)
        taken += size
    return kept, taken


def _check_settings(page_size: int | None, max_items: int | None) -> None:
    if page_size is not None and page_size < 1:
        raise ValueError(f"page_size must be at least 1, got {page_size}")
    if max_items is not None and max_items < 0:
        raise ValueError(f"max_items must not be negative, got {max_items}")


def _request_size(page_size: int | None, remaining: int | None) -> int | None:
    """The page size to ask for: `page_size`, or fewer when only `remaining` are still wanted."""
    if remaining is not None and (page_size is None or remaining < page_size):
        return remaining
    return page_size


def _return_name(func: Callable[..., Any]) -> str | None:
    """The name `func`'s return annotation gives, if any (a mapped pager's item type)."""
    returned = getattr(func, "__annotations__", {}).get("return")
    return returned if isinstance(returned, str) else getattr(returned, "__name__", None)


@attrs.frozen
class Page(Generic[T]):
    """One page of results.

    Attributes:
        items: The page's items, in the service's order.
        continuation_token: The token that fetches the *next* page; None on the last page.
    """

    items: Sequence[T]
    continuation_token: str | None

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


F = TypeVar("F")


class _Paging(Generic[F]):
    """What both pagers hold: how to fetch a page (`F`), the paging settings, and what the
    items are and where from, for `repr`."""

    def __init__(
        self,
        fetch_page: F,
        *,
        page_size: int | None = None,
        max_items: int | None = None,
        item_type: str | None = None,
        source: str | None = None,
    ) -> None:
        _check_settings(page_size, max_items)
        self._fetch_page = fetch_page
        self.page_size = page_size
        self.max_items = max_items
        self.item_type = item_type or _item_type_of(fetch_page)
        """The items' type name, when known (shown by `repr`)."""
        self.source = source or _operation_of(fetch_page)
        """What the items come from (`list_entities`), when known (shown by `repr`)."""

    def __repr__(self) -> str:
        """`Pager[EntitySummary](list_entities, page_size=50, max_items=None)`: what the
        items are and where from, when known, and the paging settings."""
        kind = f"[{self.item_type}]" if self.item_type else ""
        where = f"{self.source}, " if self.source else ""
        settings = f"page_size={self.page_size}, max_items={self.max_items}"
        return f"{type(self).__name__}{kind}({where}{settings})"


class Pager(_Paging[FetchPage[T]], Generic[T]):
    """The items of a paginated operation, fetched lazily page by page.

    Args:
        fetch_page: Fetches one page (see `FetchPage`).
        page_size: Items to ask for per call (the service's default when None).
        max_items: Stop after this many items in all (every item when None); for history
            series, this many values.
        item_type: The items' type name, for `repr` (read from `fetch_page`'s return
            annotation when None).
        source: What the items come from, for `repr` (the operation a generated fetch
            function belongs to when None).
    """

    def __iter__(self) -> Iterator[T]:
        for page in self.by_page():
            yield from page.items

    def by_page(self, continuation_token: str | None = None) -> Iterator[Page[T]]:
        """Iterate pages, starting from `continuation_token` (the first page when None).

        Raises:
            twinkit.errors.TwinkitError: if a page cannot be fetched; the error carries the
                `continuation_token` that fetches that page again.
        """
        token = continuation_token
        remaining = self.max_items
        while remaining is None or remaining > 0:
            size = _request_size(self.page_size, remaining)
            try:
                items, next_token = self._fetch_page(token, size)
            except Exception as exc:
                exc.continuation_token = token  # type: ignore[attr-defined]
                raise
            if remaining is not None:
                items, taken = _first(items, remaining)
                remaining -= taken
            yield Page(items, next_token)
            if not next_token:
                return
            token = next_token

    def pages(self) -> Iterator[Page[T]]:
        """Iterate pages from the first one (the same as `by_page()`)."""
        return self.by_page()

    def map(self, func: Callable[[T], U], *, item_type: str | None = None) -> Pager[U]:
        """A pager of `func(item)` for every item, fetching the same pages just as lazily.

        Args:
            func: Applied to every item.
            item_type: The new items' type name, for `repr` (`func`'s return annotation when
                None, if it has one).
        """
        fetch_page = self._fetch_page

        def mapped(token: str | None, size: int | None) -> tuple[Sequence[U], str | None]:
            items, next_token = fetch_page(token, size)
            return [func(item) for item in items], next_token

        return Pager(
            mapped,
            page_size=self.page_size,
            max_items=self.max_items,
            item_type=item_type or _return_name(func),
            source=f"{self.source or 'pager'}, mapped",
        )

    def first(self) -> T | None:
        """The first item, fetching only the first page; None when there is none."""
        return next(iter(self), None)

    def _repr_html_(self) -> str:
        """Jupyter's view: the first rows as a table, fetching no more than they need."""
        from twinkit._display import ROWS_SHOWN, rows_html

        first = list(itertools.islice(self, ROWS_SHOWN + 1))
        if not first:
            return "<p><i>(no items)</i></p>"
        return rows_html(first[:ROWS_SHOWN], more=len(first) > ROWS_SHOWN)


class AsyncPager(_Paging[AsyncFetchPage[T]], Generic[T]):
    """The items of a paginated operation, fetched lazily page by page, for `asyncio`.

    `Pager`'s twin for `twinkit.aio`: the same settings, pages (`Page`), tokens and errors,
    with `async for` in place of `for`. Nothing is fetched until it is iterated.

    Args:
        fetch_page: Fetches one page (see `AsyncFetchPage`).
        page_size: Items to ask for per call (the service's default when None).
        max_items: Stop after this many items in all (every item when None); for history
            series, this many values.
        item_type: The items' type name, for `repr` (read from `fetch_page`'s return
            annotation when None).
        source: What the items come from, for `repr` (the operation a generated fetch
            function belongs to when None).

    Example:
        ```python
        async with twinkit.aio.TwinMaker(region_name="us-east-1") as tm:
            async for entity in tm.paginate.list_entities(workspace_id="factory"):
                print(entity.entity_name)
        ```
    """

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.by_page():
            for item in page.items:
                yield item

    def by_page(self, continuation_token: str | None = None) -> AsyncIterator[Page[T]]:
        """Iterate pages, starting from `continuation_token` (the first page when None).

        Raises:
            twinkit.errors.TwinkitError: if a page cannot be fetched; the error carries the
                `continuation_token` that fetches that page again.
        """
        return self._pages(continuation_token)

    async def _pages(self, continuation_token: str | None) -> AsyncGenerator[Page[T], None]:
        token = continuation_token
        remaining = self.max_items
        while remaining is None or remaining > 0:
            size = _request_size(self.page_size, remaining)
            try:
                items, next_token = await self._fetch_page(token, size)
            except Exception as exc:
                exc.continuation_token = token  # type: ignore[attr-defined]
                raise
            if remaining is not None:
                items, taken = _first(items, remaining)
                remaining -= taken
            yield Page(items, next_token)
            if not next_token:
                return
            token = next_token

    def pages(self) -> AsyncIterator[Page[T]]:
        """Iterate pages from the first one (the same as `by_page()`)."""
        return self.by_page()

    async def to_list(self) -> list[T]:
        """Every item, fetching every page (up to `max_items`)."""
        return [item async for item in self]

    async def first(self) -> T | None:
        """The first item, fetching only the first page; None when there is none."""
        # Closed at once, not when collected: the generator stops mid-iteration here.
        async with aclosing(self._pages(None)) as pages:
            async for page in pages:
                if page.items:
                    return page.items[0]
        return None

    def map(self, func: Callable[[T], U], *, item_type: str | None = None) -> AsyncPager[U]:
        """A pager of `func(item)` for every item, fetching the same pages just as lazily.

        Args:
            func: Applied to every item (a plain function: it is not awaited).
            item_type: The new items' type name, for `repr` (`func`'s return annotation when
                None, if it has one).
        """
        fetch_page = self._fetch_page

        async def mapped(token: str | None, size: int | None) -> tuple[Sequence[U], str | None]:
            items, next_token = await fetch_page(token, size)
            return [func(item) for item in items], next_token

        return AsyncPager(
            mapped,
            page_size=self.page_size,
            max_items=self.max_items,
            item_type=item_type or _return_name(func),
            source=f"{self.source or 'pager'}, mapped",
        )
