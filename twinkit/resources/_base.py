"""What every resource handle shares: identity, equality, repr, lazily fetched data, waits."""

from __future__ import annotations

import html
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Generic, TypeVar

from typing_extensions import Self

from twinkit.errors import ResourceFailedError, ResourceNotFoundError
from twinkit.waiting import Outcome, Poller

if TYPE_CHECKING:
    from twinkit._client import TwinMaker

__all__ = ["Resource", "StatefulResource"]

D = TypeVar("D")


class Resource(ABC, Generic[D]):
    """A handle on one TwinMaker resource.

    Making a handle costs no call; `data` fetches the resource the first time it is read,
    `refresh()` fetches it again. Two handles are equal when they name the same resource.
    """

    kind: str = "resource"

    def __init__(self, tm: TwinMaker, data: D | None = None) -> None:
        self._tm = tm
        self._data = data

    @property
    def client(self) -> TwinMaker:
        """The typed client this handle makes its calls with."""
        return self._tm

    @property
    @abstractmethod
    def identity(self) -> tuple[str, ...]:
        """What names the resource: (workspace id, resource id) or similar."""

    @abstractmethod
    def _fetch(self) -> D:
        """Fetch the resource's current description (raises ResourceNotFoundError)."""

    @property
    def data(self) -> D:
        """The resource's description as last fetched (fetched now if never fetched)."""
        if self._data is None:
            self._data = self._fetch()
        return self._data

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

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Resource):
            return NotImplemented
        return type(self) is type(other) and self.identity == other.identity

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.identity))

    def __repr__(self) -> str:
        names = ", ".join(repr(part) for part in self.identity)
        return f"{type(self).__name__}({names})"

    def _repr_html_(self) -> str:
        """Jupyter's view: the resource's description as a table (fetched once if needed)."""
        from twinkit._display import model_html

        return model_html(self.data, caption=html.escape(repr(self)))

    def _describe(self) -> str:
        return f"{self.kind} {'/'.join(self.identity)}"

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
            until_gone=True,
            timeout=timeout,
            interval=interval,
            backoff=backoff,
            max_interval=max_interval,
        )

    def _state(self, data: D) -> str | None:
        """The state in a fetched description (None for resources without states)."""
        return None

    def _error(self, data: D) -> tuple[str | None, str | None]:
        """The (code, message) of the failure in a fetched description, if any."""
        return None, None

    def _wait(
        self,
        *,
        until_gone: bool = False,
        done_states: frozenset[str] = frozenset({"ACTIVE"}),
        failed_states: frozenset[str] = frozenset({"ERROR"}),
        timeout: float | None,
        interval: float,
        backoff: float,
        max_interval: float,
    ) -> None:
        """Poll until a done state (or gone), raising on a failed state or at the deadline.

        An empty `done_states` means done as soon as the resource exists.
        """
        strategy = _Strategy(
            self, until_gone=until_gone, done_states=done_states, failed_states=failed_states
        )
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
        self._wait(timeout=timeout, interval=interval, backoff=backoff, max_interval=max_interval)
        return self


class _Strategy(Generic[D]):
    """Polls a resource until a done state (or gone), or a failed state."""

    def __init__(
        self,
        resource: Resource[D],
        *,
        until_gone: bool,
        done_states: frozenset[str],
        failed_states: frozenset[str],
    ) -> None:
        self.resource = resource
        self.description = resource._describe()
        self._until_gone = until_gone
        self._done_states = done_states
        self._failed_states = failed_states

    def poll(self) -> D | None:
        try:
            return self.resource.refresh().data
        except ResourceNotFoundError:
            return None

    def state(self, data: D | None) -> str | None:
        return None if data is None else self.resource._state(data)

    def outcome(self, data: D | None) -> Outcome:
        if data is None:
            return Outcome.DONE if self._until_gone else Outcome.PENDING
        state = self.resource._state(data)
        if state in self._failed_states:
            return Outcome.FAILED
        if not self._until_gone and (not self._done_states or state in self._done_states):
            return Outcome.DONE
        return Outcome.PENDING

    def failure(self, data: D | None) -> ResourceFailedError:
        code, message = self.resource._error(data) if data is not None else (None, None)
        return ResourceFailedError(self.description, code, message)
