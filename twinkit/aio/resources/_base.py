"""What every async handle shares: the calls of `twinkit.resources`' handles, awaited.

Identity, equality, repr and what a handle reads from its description come from the sync
handles' shared bases (`Handle` and the `*Fields` classes); this module adds the I/O.
"""

from __future__ import annotations

from abc import abstractmethod
from typing import TYPE_CHECKING, TypeVar

from typing_extensions import Self

from twinkit.aio.waiting import AsyncPoller
from twinkit.errors import ResourceNotFoundError, TwinkitError
from twinkit.resources._base import Handle, WaitFor, WaitRules

if TYPE_CHECKING:
    from twinkit.aio._client import TwinMaker

__all__ = ["AsyncResource", "AsyncStatefulResource", "DataNotFetchedError"]

D = TypeVar("D")


class DataNotFetchedError(TwinkitError, RuntimeError):
    """An async handle's `data` (or a property read from it) was read before any fetch.

    A property cannot await, so an async handle never fetches on its own: `await
    handle.get_data()` (fetches once) or `await handle.refresh()` (fetches again) first.
    """


class AsyncResource(Handle[D]):
    """An async handle on one TwinMaker resource.

    Making a handle costs no call. `await get_data()` fetches the description the first
    time, `await refresh()` fetches it again; then `data` and the properties read from it
    are plain attributes. Two handles are equal when they name the same resource.
    """

    def __init__(self, tm: TwinMaker, data: D | None = None) -> None:
        self._tm = tm
        self._data = data

    @property
    def client(self) -> TwinMaker:
        """The async typed client this handle makes its calls with."""
        return self._tm

    @abstractmethod
    async def _fetch(self) -> D:
        """Fetch the resource's current description (raises ResourceNotFoundError)."""

    def _data_missing(self) -> D:
        raise DataNotFetchedError(
            f"{self!r} was never fetched: `await handle.get_data()` or "
            "`await handle.refresh()` before reading its data"
        )

    @property
    def data(self) -> D:
        """The description as last fetched.

        Raises:
            DataNotFetchedError: it was never fetched (see `get_data`).
        """
        return super().data

    async def get_data(self) -> D:
        """The description: as last fetched, or fetched now if it never was.

        Raises:
            ResourceNotFoundError: it had to be fetched, and the resource does not exist.
        """
        if self._data is None:
            self._data = await self._fetch()
        return self._data

    async def refresh(self) -> Self:
        """Fetch the resource again; returns the handle.

        Raises:
            ResourceNotFoundError: the resource does not exist (any more).
        """
        self._data = await self._fetch()
        return self

    async def exists(self) -> bool:
        """True if the resource exists now (one call)."""
        try:
            await self.refresh()
        except ResourceNotFoundError:
            return False
        return True

    async def wait_until_deleted(
        self,
        *,
        timeout: float | None = 300.0,
        interval: float = 0.2,
        backoff: float = 1.5,
        max_interval: float = 5.0,
    ) -> None:
        """Wait until the resource is gone (as the sync `wait_until_deleted`, awaited).

        Raises:
            ResourceFailedError: it reached ERROR while being deleted.
            WaitTimeoutError: it was still there in time.
        """
        poller = self._poller(WaitFor(until_gone=True), interval, backoff, max_interval)
        await poller.wait(timeout)

    def _poller(
        self, wait_for: WaitFor, interval: float, backoff: float, max_interval: float
    ) -> AsyncPoller[D]:
        strategy = _AsyncStrategy(self, wait_for)
        return AsyncPoller(strategy, interval=interval, backoff=backoff, max_interval=max_interval)


class AsyncStatefulResource(AsyncResource[D]):
    """An async handle on a resource with a state: CREATING or UPDATING, then ACTIVE (or ERROR)."""

    @property
    def state(self) -> str | None:
        """The state as last fetched (`ACTIVE`, `CREATING`, ...); `await refresh()` to update.

        Raises:
            DataNotFetchedError: the handle was never fetched.
        """
        return self._state(self.data)

    async def wait_until_active(
        self,
        *,
        timeout: float | None = 300.0,
        interval: float = 0.2,
        backoff: float = 1.5,
        max_interval: float = 5.0,
    ) -> Self:
        """Wait until the resource is ACTIVE (as the sync `wait_until_active`); returns self.

        Raises:
            ResourceFailedError: it reached ERROR (with the service's code and message).
            WaitTimeoutError: it was not ACTIVE in time.
        """
        await self._poller(WaitFor(), interval, backoff, max_interval).wait(timeout)
        return self


class _AsyncStrategy(WaitRules[D]):
    """The rules of a wait, polled by refreshing an async handle (None once it is gone)."""

    def __init__(self, resource: AsyncResource[D], wait_for: WaitFor) -> None:
        super().__init__(resource, wait_for)
        self._resource = resource

    async def poll(self) -> D | None:
        try:
            return (await self._resource.refresh()).data
        except ResourceNotFoundError:
            return None
