"""Async history: `AsyncHistory` (`async for` typed points, or columns for DataFrames and
Arrow) and `latest_values`, `twinkit.dataplane`'s history on asyncio.

```python
history = AsyncHistory(tm, query)
async for point in history:            # HistoryPoint(property, time_ns, value), lazily
    print(point.property.property_name, point.time_ns, point.value)
frame = await history.to_dataframe()   # the same frame `History.to_dataframe` builds
table = await history.to_arrow()
```

Everything but the I/O is the blocking history's (`twinkit.dataplane._history`): the same
query (`HistoryQuery`: property groups of at most 10, the checked request), the same hook
that keeps each page's body so it is decoded straight into columns (`_columns`), the same
points merged in time order, the same frame and table builders (`_frames`). Pages are
fetched one at a time, when the previous one is used up: memory stays constant.
"""

from __future__ import annotations

import asyncio
import heapq
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

from botocore.exceptions import BotoCoreError, ClientError, HTTPClientError

from twinkit.dataplane._batch import _progress_bar
from twinkit.dataplane._columns import PageColumns
from twinkit.dataplane._frames import Collected, _require, to_arrow, to_dataframe
from twinkit.dataplane._history import (
    _KEEP_BODY,
    _OPERATION,
    HistoryPoint,
    HistoryQuery,
    _page_points,
    collect_page,
    keep_bodies,
    latest_of,
    latest_requests,
    page_of,
)
from twinkit.errors import TransportError, service_error
from twinkit.values import PyValue
from twinkit.wire import checked_request_wire

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    from twinkit.aio._client import TwinMaker

__all__ = ["AsyncHistory", "latest_values"]


async def _fetch_wire(client: Any, params: Mapping[str, Any]) -> PageColumns:
    """One page of a request already checked and in wire form, decoded into columns.

    The body-keeping marker is set in this task only, so other calls on the client are
    parsed by botocore as usual.
    """
    flag = _KEEP_BODY.set(True)
    try:
        # A plain dict: `_keep_body` adds a key botocore's response shape does not have.
        raw = cast("dict[str, Any]", await client.get_property_value_history(**params))
    except ClientError as exc:
        raise service_error(exc, _OPERATION) from exc
    except (HTTPClientError, BotoCoreError) as exc:
        raise TransportError(f"{_OPERATION}: {exc}") from exc
    finally:
        _KEEP_BODY.reset(flag)
    return page_of(raw)


async def _group_pages(
    tm: TwinMaker, query: HistoryQuery, group: Sequence[str]
) -> AsyncIterator[PageColumns]:
    # The request is checked once (before the client opens); the pages after the first only
    # change its token.
    params = checked_request_wire(query.request(group, None))
    await tm.open()
    client = tm.boto3_client
    keep_bodies(client)
    token: str | None = None
    while True:
        try:
            page = await _fetch_wire(
                client, params if token is None else {**params, "nextToken": token}
            )
        except Exception as exc:
            exc.continuation_token = token  # type: ignore[attr-defined]
            raise
        yield page
        if not page.next_token:
            return
        token = page.next_token


async def _group_points(
    tm: TwinMaker, query: HistoryQuery, group: Sequence[str]
) -> AsyncIterator[HistoryPoint]:
    async for page in _group_pages(tm, query, group):
        for point in _page_points(page, query.descending):
            yield point


async def _merged(
    streams: list[AsyncIterator[HistoryPoint]], descending: bool
) -> AsyncIterator[HistoryPoint]:
    """`heapq.merge` for async streams: in time order (newest first when `descending`), and
    at one instant in the streams' order, as the blocking `History` merges its groups."""
    sign = -1 if descending else 1
    heads: list[tuple[int, int, HistoryPoint]] = []
    for index, stream in enumerate(streams):
        point = await anext(stream, None)
        if point is not None:
            heads.append((sign * point.time_ns, index, point))
    heapq.heapify(heads)
    while heads:
        _, index, point = heads[0]
        yield point
        following = await anext(streams[index], None)
        if following is None:
            heapq.heappop(heads)
        else:
            heapq.heapreplace(heads, (sign * following.time_ns, index, following))


class AsyncHistory:
    """The values of some properties in a time range: `async for` its points, or build a
    frame.

    `History`'s twin for `twinkit.aio`: the same query, points (`HistoryPoint`), order,
    frames and tables. Each iteration (and each `to_dataframe`/`to_arrow`) reads the listing
    again, page by page. Points come in time order (newest first for `order="DESCENDING"`);
    at one instant, in the service's series order.

    Args:
        tm: The async client.
        query: What to read (`HistoryQuery.build(...)`).

    Example:
        ```python
        query = HistoryQuery.build("factory", ["rpm"], start=t0, end=t1,
                                   entity_id="pump-1", component_name="pump")
        async for point in AsyncHistory(tm, query):
            print(point.time, point.value)
        ```
    """

    def __init__(self, tm: TwinMaker, query: HistoryQuery) -> None:
        self._tm = tm
        self.query = query
        """What is read."""

    def __repr__(self) -> str:
        """`AsyncHistory(entity='mixer-1', component='sensors', properties=['rpm'], ...)`:
        what is read, never the values (nothing is fetched)."""
        return f"AsyncHistory({self.query.describe()})"

    def __aiter__(self) -> AsyncIterator[HistoryPoint]:
        streams = [_group_points(self._tm, self.query, g) for g in self.query.groups()]
        if len(streams) == 1:
            return streams[0]
        return _merged(streams, self.query.descending)

    async def pages(self) -> AsyncIterator[PageColumns]:
        """Every page of every group of properties, decoded into columns, group by group.

        Raises:
            twinkit.errors.TwinkitError: a page cannot be fetched; the error carries the
                `continuation_token` that fetches it again.
        """
        for group in self.query.groups():
            async for page in _group_pages(self._tm, self.query, group):
                yield page

    async def to_list(self) -> list[HistoryPoint]:
        """Every point, in order (the whole listing in memory: prefer `async for` or a
        frame for long ones)."""
        return [point async for point in self]

    async def _collected(self, progress: bool | None) -> Collected:
        collected = Collected()
        bar = _progress_bar(progress, desc="reading")
        try:
            async for page in self.pages():
                collect_page(collected, page, bar)
        finally:
            if bar is not None:
                bar.close()
        return collected

    async def to_dataframe(
        self, *, long: bool | None = None, progress: bool | None = None
    ) -> pd.DataFrame:
        """The values as a pandas DataFrame, built columnar (see `History.to_dataframe`).

        Args:
            long: False for a wide frame (a `datetime64[ns, UTC]` index named `time`, a
                column per property); True for a long one (`entity_id`, `component`,
                `property`, `time`, `value`). By default, wide for one entity's component and
                long across entities.
            progress: Show a tqdm progress bar of the values read (`twinkit[tqdm]`); None:
                when stderr is a terminal and tqdm is installed.

        Raises:
            ImportError: pandas is missing (`pip install 'twinkit[pandas]'`), or tqdm is
                and `progress=True` (before anything is fetched).
        """
        _require("pandas", "pandas")
        if long is None:
            long = self.query.entity_id is None
        frame: pd.DataFrame = to_dataframe(await self._collected(progress), long=long)
        return frame

    async def to_arrow(self, *, progress: bool | None = None) -> pa.Table:
        """The values as a long pyarrow Table (see `History.to_arrow`).

        Args:
            progress: Show a tqdm progress bar of the values read (see `to_dataframe`).

        Raises:
            ImportError: pyarrow is missing (`pip install 'twinkit[arrow]'`), or tqdm is
                and `progress=True` (before anything is fetched).
            TypeError: the series hold values of different or nested types.
        """
        _require("pyarrow", "arrow")
        table: pa.Table = to_arrow(await self._collected(progress))
        return table


async def latest_values(
    tm: TwinMaker,
    workspace_id: str,
    entity_id: str,
    component: str,
    properties: Sequence[str],
) -> dict[str, PyValue | None]:
    """The latest value of each property of one component (None: no value yet).

    More properties than one request may select (10) are read in concurrent calls.

    Raises:
        ResourceNotFoundError: no such entity, component or property.
    """
    requests = latest_requests(workspace_id, entity_id, component, properties)
    responses = await asyncio.gather(*(tm.get_property_value(**r) for r in requests))
    return latest_of(responses, properties)
