"""What every resource handle shares: identity, equality, repr, lazily fetched data, waits.

`Handle` and `WaitRules` hold what a sync handle and its async twin (`twinkit.aio.resources`)
have in common, without any I/O; `Resource` and `StatefulResource` add the sync calls.
"""

from __future__ import annotations

import html
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Generic, TypeVar

import attrs
from typing_extensions import Self

from twinkit.errors import ResourceFailedError, ResourceNotFoundError
from twinkit.waiting import Outcome, Poller

if TYPE_CHECKING:
    from twinkit._client import TwinMaker

__all__ = ["Handle", "Resource", "StatefulResource", "WaitFor", "WaitRules"]

D = TypeVar("D")


class Handle(ABC, Generic[D]):
    """A handle's identity and what it reads from a fetched description, sync or async.

    Two handles are equal when they are of the same class and name the same resource.
    """

    kind: str = "resource"
    _data: D | None

    @property
    @abstractmethod
    def identity(self) -> tuple[str, ...]:
        """What names the resource: (workspace id, resource id) or similar."""

    @abstractmethod
    def _data_missing(self) -> D:
        """The description when none was fetched yet: fetched now, or an error saying so."""

    @property
    def data(self) -> D:
        """The resource's description as last fetched."""
        if self._data is None:
            self._data = self._data_missing()
        return self._data

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Handle):
            return NotImplemented
        return type(self) is type(other) and self.identity == other.identity

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.identity))

    def __repr__(self) -> str:
        names = ", ".join(repr(part) for part in self.identity)
        return f"{type(self).__name__}({names})"

    def _describe(self) -> str:
        return f"{self.kind} {'/'.join(self.identity)}"

    def _state(self, data: D) -> str | None:
        """The state in a fetched description (None for resources without states)."""
        return None

    def _error(self, data: D) -> tuple[str | None, str | None]:
        """The (code, message) of the failure in a fetched description, if any."""
        return None, None


class Resource(Handle[D]):
    """A handle on one TwinMaker resource.

    Making a handle costs no call; `data` fetches the resource the first time it is read,
    `refresh()` fetches it again. Two handles are equal when they name the same resource.
    """

    def __init__(self, tm: TwinMaker, data: D | None = None) -> None:
        self._tm = tm
        self._data = data

    @property
    def client(self) -> TwinMaker:
        """The typed client this handle makes its calls with."""
        return self._tm

    @abstractmethod
    def _fetch(self) -> D:
        """Fetch the resource's current description (raises ResourceNotFoundError)."""

    def _data_missing(self) -> D:
        return self._fetch()

    @property
    def data(self) -> D:
        """The resource's description as last fetched (fetched now if never fetched)."""
        return super().data

    def refresh(self) -> Self:
        """Fetch the resource again; returns the handle.

        Raises:
            ResourceNotFoundError: the resource does not exist (any more).
        """
        self._data = self._fetch()
        return self

    def exists(self) -> bool:
        """True if the resource exists now (one call)."""
        try:
            self.refresh()
        except ResourceNotFoundError:
            return False
        return True

    def _repr_html_(self) -> str:
        """Jupyter's view: the resource's description as a table (fetched once if needed)."""
        from twinkit._display import model_html

        return model_html(self.data, caption=html.escape(repr(self)))

    def wait_until_deleted(
        self,
        *,
        timeout: float | None = 300.0,
        interval: float = 0.2,
        backoff: float = 1.5,
        max_interval: float = 5.0,
    ) -> None:
        """Wait until the resource is gone.

        Args:
            timeout: Seconds to wait at most (None: for ever).
            interval: Seconds before the second poll.
            backoff: Factor the interval grows by after each poll.
            max_interval: The interval never grows beyond this.

        Raises:
            ResourceFailedError: it reached ERROR while being deleted.
            WaitTimeoutError: it was still there in time.
        """
        self._wait(
            WaitFor(until_gone=True),
            timeout=timeout,
            interval=interval,
            backoff=backoff,
            max_interval=max_interval,
        )

    def _wait(
        self,
        wait_for: WaitFor,
        *,
        timeout: float | None,
        interval: float,
        backoff: float,
        max_interval: float,
    ) -> None:
        """Poll until done, raising on a failed state or at the deadline."""
        strategy = _Strategy(self, wait_for)
        poller = Poller(strategy, interval=interval, backoff=backoff, max_interval=max_interval)
        poller.result(timeout)


class StatefulResource(Resource[D]):
    """A resource with a lifecycle state: CREATING or UPDATING, then ACTIVE (or ERROR)."""

    @property
    def state(self) -> str | None:
        """The state as last fetched (`ACTIVE`, `CREATING`, ...); `refresh()` to update."""
        return self._state(self.data)

    def wait_until_active(
        self,
        *,
        timeout: float | None = 300.0,
        interval: float = 0.2,
        backoff: float = 1.5,
        max_interval: float = 5.0,
    ) -> Self:
        """Wait until the resource is ACTIVE; returns self.

        Args:
            timeout: Seconds to wait at most (None: for ever).
            interval: Seconds before the second poll.
            backoff: Factor the interval grows by after each poll.
            max_interval: The interval never grows beyond this.

        Raises:
            ResourceFailedError: it reached ERROR (with the service's code and message).
            WaitTimeoutError: it was not ACTIVE in time.
        """
        self._wait(
            WaitFor(),
            timeout=timeout,
            interval=interval,
            backoff=backoff,
            max_interval=max_interval,
        )
        return self


@attrs.frozen
class WaitFor:
    """What a wait waits for: done in a done state (or once gone), failed in a failed state.

    An empty `done_states` means done as soon as the resource exists.
    """

    until_gone: bool = False
    done_states: frozenset[str] = frozenset({"ACTIVE"})
    failed_states: frozenset[str] = frozenset({"ERROR"})


class WaitRules(Generic[D]):
    """How a wait reads a handle's description (a `twinkit.waiting.StateReader`).

    Every resource wait reads through one, sync and async; only the polling differs.
    """

    def __init__(self, handle: Handle[D], wait_for: WaitFor) -> None:
        self.description = handle._describe()
        self._handle = handle
        self._wait_for = wait_for

    def state(self, data: D | None) -> str | None:
        """The state in a fetched description; None when the resource is gone."""
        return None if data is None else self._handle._state(data)

    def outcome(self, data: D | None) -> Outcome:
        """Done, failed or pending, for a fetched description (None: gone)."""
        wait_for = self._wait_for
        if data is None:
            return Outcome.DONE if wait_for.until_gone else Outcome.PENDING
        state = self._handle._state(data)
        if state in wait_for.failed_states:
            return Outcome.FAILED
        if not wait_for.until_gone and (not wait_for.done_states or state in wait_for.done_states):
            return Outcome.DONE
        return Outcome.PENDING

    def failure(self, data: D | None) -> ResourceFailedError:
        """The error of a failed wait, with the service's code and message."""
        code, message = self._handle._error(data) if data is not None else (None, None)
        return ResourceFailedError(self.description, code, message)


class _Strategy(WaitRules[D]):
    """The rules of a wait, polled by refreshing a sync handle (None once it is gone)."""

    def __init__(self, resource: Resource[D], wait_for: WaitFor) -> None:
        super().__init__(resource, wait_for)
        self._resource = resource

    def poll(self) -> D | None:
        try:
            return self._resource.refresh().data
        except ResourceNotFoundError:
            return None
