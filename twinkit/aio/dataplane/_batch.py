"""Async batch writes: `put_values` and `AsyncBatchWriter` (see `twinkit.dataplane._batch`)."""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING

from twinkit.dataplane._batch import DEFAULT_MAX_ATTEMPTS, WriteResult

if TYPE_CHECKING:
    from twinkit.aio._client import TwinMaker

__all__ = ["AsyncBatchWriter", "put_values"]


async def put_values(
    tm: TwinMaker,
    workspace_id: str,
    values: object,
    *,
    max_concurrency: int | None = None,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    progress: bool | None = None,
) -> WriteResult:
    """Write `{entity: {component: {property: values}}}` (see `Workspace.put_values`)."""
    raise NotImplementedError


class AsyncBatchWriter:
    """A streaming async batch write: `await put(...)` values as they come."""

    def __init__(
        self,
        tm: TwinMaker,
        workspace_id: str,
        *,
        max_concurrency: int | None = None,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        progress: bool | None = None,
    ) -> None:
        raise NotImplementedError

    async def put(self, entity: object, component: str, values: object) -> None:
        """Queue a component's values: `{property: values}` or a DataFrame."""
        raise NotImplementedError

    async def close(self) -> WriteResult:
        """Send what is left, wait for every retry, and return the result (idempotent)."""
        raise NotImplementedError

    @property
    def result(self) -> WriteResult:
        """The outcome of the write."""
        raise NotImplementedError

    async def __aenter__(self) -> AsyncBatchWriter:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()
