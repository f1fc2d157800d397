"""Waiting for a resource to settle: a `Poller` runs a `PollingStrategy` until it is done.

The strategy says what to poll and which states mean done or failed; the poller owns time
(interval, exponential backoff, time-out). botocore ships no waiters for TwinMaker, so every
resource with a state gets its waiters from here:

```python
entity = ws.entities.create("Pump 1")
entity.wait_until_active(timeout=60)          # a Poller's result(), under the hood
```
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable, Iterator
from typing import Generic, Protocol, TypeVar

from twinkit.errors import ResourceFailedError, WaitTimeoutError

__all__ = ["Outcome", "Poller", "PollerBase", "PollingStrategy", "StateReader"]

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
T_contra = TypeVar("T_contra", contravariant=True)


class Outcome(enum.Enum):
    """What one poll says about the wait."""

    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


class StateReader(Protocol[T_contra]):
    """How to read a polled resource: the part of a strategy that does no I/O.

    A sync `PollingStrategy` and an async one (`twinkit.aio.waiting.AsyncPollingStrategy`)
    both add a `poll` to it; the decisions stay here, in one place.
    """

    description: str
    """What is waited on, for messages: `entity pump-1 in workspace factory`."""

    def state(self, resource: T_contra | None) -> str | None:
        """The resource's state as a string, for status and messages."""
        ...

    def outcome(self, resource: T_contra | None) -> Outcome:
        """Whether the wait is over, and how."""
        ...

    def failure(self, resource: T_contra | None) -> ResourceFailedError:
        """The error to raise when `outcome` is FAILED."""
        ...


class PollingStrategy(StateReader[T], Protocol[T]):
    """What to poll, and how to read it. Resources implement one per kind of wait."""

    def poll(self) -> T | None:
        """Fetch the resource once; None when it does not exist."""
        ...


class PollerBase(Generic[T]):
    """What a poller decides without waiting or fetching: settings, outcomes, the deadline.

    `Poller` (here) and `twinkit.aio.AsyncPoller` fetch and sleep around it, each its own way.

    Args:
        reader: How to read what is polled.
        interval: Seconds before the second poll.
        backoff: Factor the interval grows by after each poll (1 for a fixed interval).
        max_interval: The interval never grows beyond this.
        monotonic: Where elapsed time comes from (a test may pass its own).
    """

    def __init__(
        self,
        reader: StateReader[T],
        *,
        interval: float,
        backoff: float,
        max_interval: float,
        monotonic: Callable[[], float],
    ) -> None:
        if interval <= 0 or backoff < 1 or max_interval <= 0:
            raise ValueError("interval and max_interval must be positive and backoff at least 1")
        self._reader = reader
        self._interval = interval
        self._backoff = backoff
        self._max_interval = max_interval
        self._monotonic = monotonic
        self._last: T | None = None
        self._outcome: Outcome | None = None

    def status(self) -> str | None:
        """The state seen at the last poll (None before the first, or if not found)."""
        return self._reader.state(self._last) if self._outcome is not None else None

    def _needs_poll(self) -> bool:
        return self._outcome in (None, Outcome.PENDING)

    def _record(self, resource: T | None) -> bool:
        """Keep what a poll returned; True if the wait is over, either way."""
        self._last = resource
        self._outcome = self._reader.outcome(resource)
        return self._outcome is not Outcome.PENDING

    def _intervals(self) -> Iterator[float]:
        """The pauses between polls, before the deadline cuts them: growing, then capped."""
        interval = self._interval
        while True:
            yield interval
            interval = min(interval * self._backoff, self._max_interval)

    def _settle(
        self, resource: T | None, start: float, timeout: float | None, interval: float
    ) -> float | None:
        """Keep a poll's result and decide: None when done, else the seconds to sleep.

        Raises:
            ResourceFailedError: the resource reached a failed state.
            WaitTimeoutError: `timeout` passed; carries the last state seen.
        """
        self._record(resource)
        if self._outcome is Outcome.DONE:
            return None
        if self._outcome is Outcome.FAILED:
            raise self._reader.failure(self._last)
        waited = self._monotonic() - start
        if timeout is not None and waited >= timeout:
            raise WaitTimeoutError(self._reader.description, self.status(), waited)
        # The last sleep is cut short so that the final poll falls on the deadline.
        return interval if timeout is None else min(interval, timeout - waited)


class Poller(PollerBase[T]):
    """Polls a strategy until it is done, failed or out of time.

    Args:
        strategy: What to poll and how to read it.
        interval: Seconds before the second poll.
        backoff: Factor the interval grows by after each poll (1 for a fixed interval).
        max_interval: The interval never grows beyond this.
        sleep: How to wait (a test may pass its own).
        monotonic: Where elapsed time comes from (a test may pass its own).
    """

    def __init__(
        self,
        strategy: PollingStrategy[T],
        *,
        interval: float = 0.2,
        backoff: float = 1.5,
        max_interval: float = 5.0,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(
            strategy,
            interval=interval,
            backoff=backoff,
            max_interval=max_interval,
            monotonic=monotonic,
        )
        self._strategy = strategy
        self._sleep = sleep

    def done(self) -> bool:
        """Poll once (unless already finished); True if the wait is over, either way."""
        return self._record(self._strategy.poll()) if self._needs_poll() else True

    def result(self, timeout: float | None = 300.0) -> T | None:
        """Wait until done and return the last resource seen (None if it is gone).

        Args:
            timeout: Seconds to wait at most; None waits for ever.

        Raises:
            ResourceFailedError: the resource reached a failed state.
            WaitTimeoutError: `timeout` passed first; carries the last state seen.
        """
        start = self._monotonic()
        for interval in self._intervals():
            pause = self._settle(self._strategy.poll(), start, timeout, interval)
            if pause is None:
                break
            self._sleep(pause)
        return self._last

    def wait(self, timeout: float | None = 300.0) -> None:
        """Like `result`, without the result."""
        self.result(timeout)
