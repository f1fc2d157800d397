"""Type-checked by `mypy --strict`, never run: the async data plane's results are precise, and
the same types as the blocking data plane's."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pandas
import pyarrow
from typing_extensions import assert_type

import twinkit.aio
from twinkit.aio.dataplane import AsyncBatchWriter, AsyncHistory, latest_values, put_values
from twinkit.dataplane import FailedValue, HistoryPoint, HistoryQuery, SeriesKey, WriteResult
from twinkit.dataplane._columns import PageColumns
from twinkit.values import PyValue


async def writes(tm: twinkit.aio.TwinMaker) -> None:
    result = await put_values(tm, "factory", {"pump-1": {"pump": {"rpm": [(0, 1.0)]}}})
    assert_type(result, WriteResult)
    assert_type(result.failed, tuple[FailedValue, ...])
    assert_type(result.raise_for_failures(), WriteResult)

    async with AsyncBatchWriter(tm, "factory", max_concurrency=4, max_attempts=3) as writer:
        assert_type(writer, AsyncBatchWriter)
        assert_type(await writer.put("pump-1", "pump", {"rpm": [(0, 1.0)]}), None)
    assert_type(writer.result, WriteResult)
    assert_type(await writer.close(), WriteResult)


async def reads(tm: twinkit.aio.TwinMaker) -> None:
    query = HistoryQuery.build(
        "factory", ["rpm"], start=0, end=1, entity_id="pump-1", component_name="pump"
    )
    history = AsyncHistory(tm, query)
    assert_type(history.query, HistoryQuery)
    assert_type(aiter(history), AsyncIterator[HistoryPoint])
    async for point in history:
        assert_type(point, HistoryPoint)
        assert_type(point.property, SeriesKey)
        assert_type(point.time_ns, int)
        assert_type(point.value, PyValue)
    assert_type(history.pages(), AsyncIterator[PageColumns])
    assert_type(await history.to_list(), list[HistoryPoint])
    assert_type(await history.to_dataframe(long=True), pandas.DataFrame)
    assert_type(await history.to_arrow(), pyarrow.Table)
    latest = await latest_values(tm, "factory", "pump-1", "pump", ["rpm", "temperature"])
    assert_type(latest, dict[str, PyValue | None])
