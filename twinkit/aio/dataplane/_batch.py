"""Async batch writes: `put_values` and `AsyncBatchWriter`, `twinkit.dataplane`'s writer on
asyncio.

```python
result = await put_values(tm, "factory", {"pump-1": {"pump": {"rpm": readings}}})
async with AsyncBatchWriter(tm, "factory") as writer:
    await writer.put("pump-1", "pump", {"rpm": readings})
writer.result.raise_for_failures()
```

Everything but the I/O and the waiting is the blocking writer's (`twinkit.dataplane._batch`):
the same checks of the input before anything is sent, the same packing (10 entries x 10
values), the same `Ledger` (the one AIMD window every call shares, backoff with full jitter,
retryable `errorEntries` sent again, the accounting of every value), the same classification
of failures and the same `WriteResult`. Where the blocking writer keeps up to
`max_concurrency` calls in flight on threads, this one keeps them in flight as asyncio tasks,
and sleeps with `asyncio.sleep`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any

from twinkit.dataplane._batch import (
    _WRITER_CALL,
    DEFAULT_MAX_ATTEMPTS,
    LOOKUP_ERRORS,
    Definitions,
    Ledger,
    Pending,
    Planned,
    Ref,
    WriteResult,
    _backoff,
    _install,
    _NoEntity,
    _Outcome,
    _progress_bar,
    _Unreachable,
    check_limits,
    concurrency,
    failed_outcome,
    lookup_failure,
    lookups,
    plan,
    queue_component,
)
from twinkit.dataplane._inputs import Point, Problems

if TYPE_CHECKING:
    from twinkit.aio._client import TwinMaker

__all__ = ["AsyncBatchWriter", "put_values"]


async def _send(client: Any, workspace_id: str, entries: list[dict[str, Any]]) -> _Outcome:
    """Make one call; every way it can end becomes an outcome (nothing raises).

    The marker of a writer's call is set in this task only (each task runs in a copy of the
    context), so the client's other calls keep botocore's retries.
    """
    token = _WRITER_CALL.set(True)
    try:
        response = await client.batch_put_property_values(workspaceId=workspace_id, entries=entries)
    except Exception as error:  # the contract: no exception midway, every value accounted for
        return failed_outcome(error)
    finally:
        _WRITER_CALL.reset(token)
    return _Outcome(list(response.get("errorEntries") or []))


class _AsyncEngine:
    """Sends a `Ledger`'s calls as asyncio tasks; all bookkeeping runs in the caller's task.

    Made by `start`, which opens the client first (a `twinkit.aio.TwinMaker` opens on its
    first call, and the writer's defaults come from the open client's config).
    """

    def __init__(self, tm: TwinMaker, workspace_id: str, ceiling: int, ledger: Ledger) -> None:
        self._tm = tm
        self._client = tm.boto3_client
        self._workspace_id = workspace_id
        self._ceiling = ceiling
        self._ledger = ledger
        self._in_flight: dict[asyncio.Task[_Outcome], list[list[Pending]]] = {}

    @classmethod
    async def start(
        cls,
        tm: TwinMaker,
        workspace_id: str,
        *,
        max_concurrency: int | None,
        max_attempts: int,
        bar: Any,
    ) -> _AsyncEngine:
        """An engine on the open client (`max_concurrency` and `max_attempts` checked)."""
        await tm.open()
        ceiling = concurrency(tm.boto3_client, max_concurrency)
        _install(tm.boto3_client)
        ledger = Ledger(ceiling=ceiling, max_attempts=max_attempts, bar=bar)
        return cls(tm, workspace_id, ceiling, ledger)

    # -- input --

    def definitions(self, entity_id: str, component: str, known: Any = None) -> Definitions:
        """The declared data types of a component's properties, once `prefetch` looked them
        up (or from an entity handle's data, `known`); no I/O here."""
        key = (entity_id, component)
        found = self._ledger.definitions.get(key)
        if found is None:
            found = self._ledger.learn(key, _NoEntity() if known is None else known)
        return found

    async def prefetch(self, keys: Sequence[tuple[str, str]]) -> None:
        """Look up the declared types of these components, concurrently (one GetEntity per
        entity, at most `max_concurrency` at once)."""
        known = self._ledger.definitions
        missing = sorted({entity for entity, component in keys if (entity, component) not in known})
        if not missing:
            return
        limit = asyncio.Semaphore(self._ceiling)

        async def fetch(entity_id: str) -> Any:
            async with limit:
                return await self._entity_or_none(entity_id)

        found = dict(zip(missing, await asyncio.gather(*(fetch(e) for e in missing)), strict=True))
        for entity, component in keys:
            if (entity, component) not in known:
                self._ledger.learn((entity, component), found.get(entity) or _NoEntity())

    async def _entity_or_none(self, entity_id: str) -> Any:
        """The entity's description, None when there is none, or `_Unreachable` (see the
        blocking writer's `_Engine._entity_or_none`)."""
        last: _Unreachable | None = None
        for attempt in range(self._ledger.max_attempts):
            token = _WRITER_CALL.set(True)
            try:
                return await self._tm.get_entity(
                    workspace_id=self._workspace_id, entity_id=entity_id
                )
            except LOOKUP_ERRORS as error:
                last, again = lookup_failure(error)
                if not again:
                    return last
            finally:
                _WRITER_CALL.reset(token)
            await asyncio.sleep(_backoff(attempt))
        return last

    def add(self, ref: Ref, points: list[Point], unreachable: _Unreachable | None = None) -> None:
        """Queue one property's points (see `Ledger.add`)."""
        self._ledger.add(ref, points, unreachable)

    # -- sending --

    async def pump(self, *, flush: bool) -> None:
        """Send what may be sent; settle what finished. Without `flush`, only full calls are
        sent, and the caller waits while more values wait than the calls in flight can take
        soon (so a fast producer cannot fill memory)."""
        self._settle_done()
        self._submit(flush=flush)
        while not flush and self._ledger.backlogged:
            await self._settle()
            self._submit(flush=False)

    async def drain(self) -> WriteResult:
        """Send everything, retries included; the result once nothing is left.

        Cancelled (the caller's task was), it cancels the calls in flight and re-raises.
        """
        try:
            while True:
                self._submit(flush=True)
                if self._ledger.finished:
                    break
                await self._settle()
        finally:
            await self.cancel()
        return self._ledger.result()

    async def cancel(self) -> None:
        """Cancel the calls in flight (their values are left unaccounted for) and close the
        progress bar."""
        if self._in_flight:
            for task in self._in_flight:
                task.cancel()
            await asyncio.gather(*self._in_flight, return_exceptions=True)
            self._in_flight.clear()
        self._ledger.close()

    def _submit(self, *, flush: bool) -> None:
        while (call := self._ledger.next_call(flush=flush)) is not None:
            entries, wire = call
            task = asyncio.create_task(_send(self._client, self._workspace_id, wire))
            self._in_flight[task] = entries

    def _settle_done(self) -> None:
        for task in [t for t in self._in_flight if t.done()]:
            self._ledger.settle(self._in_flight.pop(task), task.result())

    async def _settle(self) -> None:
        """Wait until a call ends or a retry is due, and account for the calls that ended."""
        delay = self._ledger.until_retry()
        if not self._in_flight:
            if delay is not None:
                await asyncio.sleep(delay)
            return
        await asyncio.wait(self._in_flight, timeout=delay, return_when=asyncio.FIRST_COMPLETED)
        self._settle_done()


async def put_values(
    tm: TwinMaker,
    workspace_id: str,
    values: object,
    *,
    max_concurrency: int | None = None,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    progress: bool | None = None,
) -> WriteResult:
    """Write `{entity: {component: {property: values}}}`, any number of values.

    `twinkit.dataplane`'s batch write (see `Workspace.put_values`) on asyncio: the same
    inputs, checks, packing, retries and result, with up to `max_concurrency` calls in flight
    as tasks.

    Args:
        tm: The async client.
        workspace_id: The workspace.
        values: `{entity: {component: values}}`, entities as handles or ids; a component's
            values as `{property: values}` or a DataFrame, each property's values as
            `(time, value)` pairs, a `{time: value}` mapping, a pandas Series or numpy
            arrays `(times, values)`.
        max_concurrency: Calls in flight at most; the client's `max_pool_connections` (10 by
            default) when None.
        max_attempts: Tries per value before it is reported as not written.
        progress: Show a tqdm progress bar (`twinkit[tqdm]`); None: when stderr is a terminal
            and tqdm is installed.

    Returns:
        How many values were written, and every value that was not, with its error.

    Raises:
        ValidationError: a time or value is not one (raised before anything is sent), naming
            each, e.g. `entities['pump-1'].components['pump'].properties['rpm'][3]`.
        ValueError: `max_concurrency` or `max_attempts` is below 1.

    Example:
        ```python
        async with twinkit.aio.TwinMaker() as tm:
            result = await put_values(tm, "factory", {"pump-1": {"pump": {"rpm": pairs}}})
            result.raise_for_failures()
        ```
    """
    check_limits(max_concurrency, max_attempts)
    engine = await _AsyncEngine.start(
        tm,
        workspace_id,
        max_concurrency=max_concurrency,
        max_attempts=max_attempts,
        bar=_progress_bar(progress),
    )
    try:
        await engine.prefetch(lookups(values))
        assert isinstance(values, Mapping)
        planned = plan(values, engine.definitions)
    except BaseException:
        await engine.drain()
        raise
    for ref, points, unreachable in planned:
        engine.add(ref, points, unreachable)
    return await engine.drain()


class AsyncBatchWriter:
    """A streaming async batch write: `await put(...)` values as they come; full calls go out
    meanwhile, as tasks.

    Use it as an async context manager (or `await close()`); leaving the block sends what is
    left and waits for every retry, and `result` then holds the outcome. `put` raises
    `ValidationError` for bad input before any of it is queued; nothing else raises.
    Cancelled inside the block, the writer cancels its calls in flight and sends nothing
    more: a cancelled write has no result.

    Args:
        tm: The async client.
        workspace_id: The workspace.
        max_concurrency: Calls in flight at most (see `put_values`).
        max_attempts: Tries per value before it is reported as not written.
        progress: Show a tqdm progress bar (see `put_values`).

    Raises:
        ValueError: `max_concurrency` or `max_attempts` is below 1.

    Example:
        ```python
        async with AsyncBatchWriter(tm, "factory", max_concurrency=16) as writer:
            async for chunk in readings():
                await writer.put("pump-1", "pump", {"rpm": chunk})
        print(writer.result.written, len(writer.result.failed))
        ```
    """

    def __init__(
        self,
        tm: TwinMaker,
        workspace_id: str,
        *,
        max_concurrency: int | None = None,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        progress: bool | None = None,
    ) -> None:
        check_limits(max_concurrency, max_attempts)
        self._tm = tm
        self._workspace_id = workspace_id
        self._max_concurrency = max_concurrency
        self._max_attempts = max_attempts
        self._bar = _progress_bar(progress)
        self._engine: _AsyncEngine | None = None
        self._result: WriteResult | None = None
        self._cancelled = False

    async def _started(self) -> _AsyncEngine:
        # Made on first use: the client may open only then.
        if self._engine is None:
            self._engine = await _AsyncEngine.start(
                self._tm,
                self._workspace_id,
                max_concurrency=self._max_concurrency,
                max_attempts=self._max_attempts,
                bar=self._bar,
            )
        return self._engine

    async def put(self, entity: object, component: str, values: object) -> None:
        """Queue a component's values: `{property: values}` or a DataFrame.

        The first values of an entity not given as a fetched handle look up its declared
        types (one GetEntity); while too many values wait to be sent, this waits for calls
        to finish.

        Args:
            entity: The entity (an `Entity` handle or its id).
            component: The component's name (or path, `parent/child`, for a composite one).
            values: `{property: values}` or a DataFrame with a column per property; each
                property's values in any form `put_values` takes.

        Raises:
            ValidationError: a time or value is not one (nothing of this call is queued).
            RuntimeError: the writer was closed.
        """
        if self._result is not None or self._cancelled:
            raise RuntimeError("this batch writer is closed")
        engine = await self._started()
        problems = Problems()
        planned: Planned = []
        await engine.prefetch(lookups({entity: {component: None}}))
        queue_component(engine.definitions, entity, component, values, problems, planned)
        problems.raise_if_any()
        for ref, points, unreachable in planned:
            engine.add(ref, points, unreachable)
        await engine.pump(flush=False)

    async def close(self) -> WriteResult:
        """Send what is left, wait for every retry, and return the result (idempotent).

        Raises:
            RuntimeError: the write was cancelled.
        """
        self._raise_if_cancelled()
        if self._result is None:
            engine = await self._started()
            self._result = await engine.drain()
        return self._result

    @property
    def result(self) -> WriteResult:
        """The outcome of the write.

        Raises:
            RuntimeError: the writer is still open (leave the `async with` block, or
                `await close()`), or the write was cancelled.
        """
        self._raise_if_cancelled()
        if self._result is None:
            raise RuntimeError("the batch writer is still open: its result comes with close()")
        return self._result

    def _raise_if_cancelled(self) -> None:
        if self._cancelled:
            raise RuntimeError(
                "the batch write was cancelled: values queued or in flight were not all sent"
            )

    async def __aenter__(self) -> AsyncBatchWriter:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc_type is not None and issubclass(exc_type, asyncio.CancelledError):
            # Cancelled: stop now rather than send (and retry) for a task that is ending.
            self._cancelled = True
            if self._engine is not None:
                await self._engine.cancel()
            elif self._bar is not None:
                self._bar.close()
            return
        await self.close()
