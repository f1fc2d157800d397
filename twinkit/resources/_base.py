"""What every resource handle shares: identity, equality, repr, lazily fetched data, waits."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar

from typing_extensions import Self

from twinkit.errors import ResourceFailedError, ResourceNotFoundError
from twinkit.waiting import Outcome, Poller

if TYPE_CHECKING:
    from twinkit._client import TwinMaker

__all__ = ["Resource", "wait"]

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

    def _describe(self) -> str:
        return f"{self.kind} {'/'.join(self.identity)}"


class _Strategy(Generic[D]):
    """Polls a resource until `is_done` / `is_failed` say so; not found counts as `gone`."""

    def __init__(
        self,
        resource: Resource[D],
        *,
        state_of: Callable[[D], str | None],
        done_when_gone: bool,
        done_states: frozenset[str],
        failed_states: frozenset[str],
        error_of: Callable[[D], tuple[str | None, str | None]],
    ) -> None:
        self.resource = resource
        self.description = resource._describe()
        self._state_of = state_of
        self._done_when_gone = done_when_gone
        self._done_states = done_states
        self._failed_states = failed_states
        self._error_of = error_of

    def poll(self) -> D | None:
        try:
            return self.resource.refresh().data
        except ResourceNotFoundError:
            return None

    def state(self, data: D | None) -> str | None:
        return None if data is None else self._state_of(data)

    def outcome(self, data: D | None) -> Outcome:
        if data is None:
            return Outcome.DONE if self._done_when_gone else Outcome.PENDING
        state = self._state_of(data)
        if state in self._failed_states:
            return Outcome.FAILED
        if not self._done_when_gone and (not self._done_states or state in self._done_states):
            return Outcome.DONE
        return Outcome.PENDING

    def failure(self, data: D | None) -> ResourceFailedError:
        code, message = self._error_of(data) if data is not None else (None, None)
        return ResourceFailedError(self.description, code, message)


def wait(
    resource: Resource[D],
    *,
    state_of: Callable[[D], str | None] = lambda _: None,
    until_gone: bool = False,
    done_states: frozenset[str] = frozenset({"ACTIVE"}),
    failed_states: frozenset[str] = frozenset({"ERROR"}),
    error_of: Callable[[D], tuple[str | None, str | None]] = lambda _: (None, None),
    timeout: float | None,
    interval: float,
    backoff: float,
    max_interval: float,
) -> None:
    """Poll `resource` until it is in a done state (or gone), raising on failure or time-out.

    An empty `done_states` means the resource is done as soon as it exists.
    """
    strategy = _Strategy(
        resource,
        state_of=state_of,
        done_when_gone=until_gone,
        done_states=done_states,
        failed_states=failed_states,
        error_of=error_of,
    )
    Poller(strategy, interval=interval, backoff=backoff, max_interval=max_interval).result(timeout)
