"""Async history: `AsyncHistory` and `latest_values` (see `twinkit.dataplane._history`)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import TYPE_CHECKING

from twinkit.dataplane._columns import PageColumns
from twinkit.dataplane._history import HistoryPoint, HistoryQuery
from twinkit.values import PyValue

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    from twinkit.aio._client import TwinMaker

__all__ = ["AsyncHistory", "latest_values"]


class AsyncHistory:
    """The values of some properties in a time range: `async for`, or build a frame."""

    def __init__(self, tm: TwinMaker, query: HistoryQuery) -> None:
        self._tm = tm
        self.query = query

    def __aiter__(self) -> AsyncIterator[HistoryPoint]:
        raise NotImplementedError

    def pages(self) -> AsyncIterator[PageColumns]:
        """Every page of every group of properties, decoded into columns."""
        raise NotImplementedError

    async def to_list(self) -> list[HistoryPoint]:
        """Every point, in order."""
        raise NotImplementedError

    async def to_dataframe(
        self, *, long: bool | None = None, progress: bool | None = None
    ) -> pd.DataFrame:
        """The values as a pandas DataFrame (see `History.to_dataframe`)."""
        raise NotImplementedError

    async def to_arrow(self, *, progress: bool | None = None) -> pa.Table:
        """The values as a long pyarrow Table (see `History.to_arrow`)."""
        raise NotImplementedError


async def latest_values(
    tm: TwinMaker,
    workspace_id: str,
    entity_id: str,
    component: str,
    properties: Sequence[str],
) -> dict[str, PyValue | None]:
    """The latest value of each property of one component (None: no value yet)."""
    raise NotImplementedError
