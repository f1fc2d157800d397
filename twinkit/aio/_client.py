"""The async typed client: one aiobotocore client, each call converted, made and mapped.

Everything but the I/O is the blocking client's (`twinkit._client`): the same `Config`
defaults, the same typed-output decode in `before-parse`, the same skipped validation for
typed calls, the same error mapping. Its `ContextVar` marks the typed call per asyncio task.
"""

from __future__ import annotations

import asyncio
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

try:
    from aiobotocore.config import AioConfig
    from aiobotocore.session import AioSession
except ImportError as exc:  # pragma: no cover - exercised in a subprocess
    raise ImportError(
        "twinkit.aio needs aiobotocore: pip install 'twinkit[aio]'", name=exc.name
    ) from exc

from botocore.config import Config

from twinkit._client import (
    _BOTOCORE_ERRORS,
    _TYPED_CALL,
    _config_for,
    _prepare,
    _twinkit_error,
    _typed_output,
)
from twinkit._generated.aio_operations import AsyncTwinMakerOperations, AsyncTwinMakerPaginators
from twinkit._generated.tables import OPERATIONS
from twinkit.wire import checked_request_wire

if TYPE_CHECKING:
    from typing_extensions import Self

    from twinkit.aio.resources import (
        MetadataTransferJobs,
        PricingPlan,
        Workspaces,
    )

__all__ = ["TwinMaker"]

T = TypeVar("T")


async def _start_http_session(client: Any) -> None:
    """Make the aiobotocore client's aiohttp session now, before any call.

    aiobotocore before 3.10 makes it on the first request, without a lock: each call of a
    first burst of concurrent calls then makes its own session, with its own pool, and the
    burst opens a connection per call, past `max_pool_connections` (1,000 gathered calls,
    1,000 connections). Made once here, every call shares one pool. The session is private
    to aiobotocore, hence the guarded look-up: a version without it is left as it is.
    """
    http_session = getattr(getattr(client, "_endpoint", None), "http_session", None)
    get_session = getattr(http_session, "_get_session", None)
    if get_session is not None:
        await get_session(None)  # the session for requests through no proxy


class TwinMaker(AsyncTwinMakerOperations):
    """A typed AWS IoT TwinMaker client for asyncio, over one aiobotocore client.

    `twinkit.TwinMaker`'s twin: every operation is a coroutine method taking keyword arguments
    and returning the same typed model; arguments are checked before anything is sent, and
    service errors raise the same `twinkit.errors` classes.

    Use it as an async context manager, which opens the aiobotocore client and closes it on
    leaving; a client that is not entered opens on its first call (then `await tm.close()`).

    Args:
        session: The aiobotocore session to build the client from (a new `AioSession`, with
            boto3's usual credential and region resolution, if None).
        region_name: The AWS region; the session's resolution when None.
        endpoint_url: Another endpoint, e.g. a `python -m twinkit.local` server; a local
            host gets no host prefix, as with `twinkit.TwinMaker`.
        config: A botocore `Config` (an `aiobotocore.config.AioConfig` too), merged over
            twinkit's defaults (standard retries and a `twinkit/<version>` user-agent suffix).
        client: An aiobotocore `iottwinmaker` client, already entered, to wrap instead of
            building one. Its owner closes it: `close()` and leaving the block leave it open.

    Example:
        ```python
        import twinkit.aio

        async with twinkit.aio.TwinMaker(region_name="us-east-1") as tm:
            workspace = await tm.get_workspace(workspace_id="factory")
            print(workspace.arn)
        ```
    """

    def __init__(
        self,
        *,
        session: AioSession | None = None,
        region_name: str | None = None,
        endpoint_url: str | None = None,
        config: Config | None = None,
        client: Any = None,
    ) -> None:
        self._client: Any = None
        self._creator: Any = None  # aiobotocore's context manager that made the client
        self._opening: asyncio.Lock | None = None
        self._closed = False
        if client is None:
            self._session = session or AioSession()
            self._client_args: dict[str, Any] = {
                "region_name": region_name,
                "endpoint_url": endpoint_url,
                "config": _config_for(endpoint_url, config, AioConfig),
            }
        else:
            self._use(client)
        self.paginate = AsyncTwinMakerPaginators(self)
        """Every paginated operation as a lazy `AsyncPager`: `tm.paginate.list_entities(...)`."""

    def _use(self, client: Any) -> None:
        _prepare(client)
        self._client = client

    async def open(self) -> Self:
        """Open the aiobotocore client, if not yet open (`async with` does it); returns self.

        Raises:
            RuntimeError: This client was closed (make a new one).
        """
        if self._client is None:
            if self._opening is None:
                self._opening = asyncio.Lock()
            # Concurrent first calls must make one client, not one each.
            async with self._opening:
                if self._client is None:
                    if self._closed:
                        raise RuntimeError("this twinkit.aio.TwinMaker is closed")
                    # Made here, not in __init__: aiobotocore's maker is a coroutine, which
                    # would be left never awaited by a client that is never opened.
                    creator = self._session.create_client("iottwinmaker", **self._client_args)
                    client = await creator.__aenter__()
                    self._creator = creator
                    await _start_http_session(client)
                    self._use(client)
        return self

    async def close(self) -> None:
        """Close the aiobotocore client this object made (idempotent); a client passed in as
        `client=` is left open for its owner."""
        if self._creator is None and self._client is not None:
            return  # passed in: its owner closes it
        self._closed = True
        creator, self._creator = self._creator, None
        if creator is not None:
            self._client = None
            await creator.__aexit__(None, None, None)

    async def __aenter__(self) -> Self:
        return await self.open()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    @property
    def boto3_client(self) -> Any:
        """The underlying aiobotocore `iottwinmaker` client, for anything twinkit does not cover.

        Raises:
            RuntimeError: The client is not open yet (enter `async with` or `await open()`).
        """
        if self._client is None:
            raise RuntimeError(
                "the aiobotocore client is not open: use `async with twinkit.aio.TwinMaker(...)`"
                " or `await tm.open()` first"
            )
        return self._client

    @property
    def workspaces(self) -> Workspaces:
        """The workspaces of this account and region: create, get, list, or a handle."""
        from twinkit.aio.resources import Workspaces

        return Workspaces(self)

    @property
    def metadata_transfer_jobs(self) -> MetadataTransferJobs:
        """Metadata transfer jobs: create, get, list, or a handle."""
        from twinkit.aio.resources import MetadataTransferJobs

        return MetadataTransferJobs(self)

    @property
    def pricing_plan(self) -> PricingPlan:
        """The account's pricing plan."""
        from twinkit.aio.resources import PricingPlan

        return PricingPlan(self)

    def __repr__(self) -> str:
        if self._client is None:
            return "TwinMaker(not open)"
        meta = self._client.meta
        return f"TwinMaker(region={meta.region_name!r}, endpoint={meta.endpoint_url!r})"

    async def _call(self, operation: str, request: object, output: type[T]) -> T:
        params = checked_request_wire(request)  # a bad request fails before opening too
        if self._client is None:
            await self.open()
        method = getattr(self._client, OPERATIONS[operation].method)
        # A ContextVar: set in this task only, so concurrent raw calls stay validated.
        token = _TYPED_CALL.set(True)
        try:
            raw = await method(**params)
        except _BOTOCORE_ERRORS as exc:
            raise _twinkit_error(exc, operation) from exc
        finally:
            _TYPED_CALL.reset(token)
        return _typed_output(raw, output)
