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
from collections.abc import Callable
from typing import Generic, Protocol, TypeVar

from twinkit.errors import ResourceFailedError, WaitTimeoutError

__all__ = ["Outcome", "Poller", "PollingStrategy"]

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class Outcome(enum.Enum):
    """What one poll says about the wait."""

    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


class PollingStrategy(Protocol[T]):
    """What to poll, and how to read it. Resources implement one per kind of wait."""

    description: str
    """What is waited on, for messages: `entity pump-1 in workspace factory`."""

    def poll(self) -> T | None:
        """Fetch the resource once; None when it does not exist."""
        ...

    def state(self, resource: T | None) -> str | None:
        """The resource's state as a string, for status and messages."""
        ...

    def outcome(self, resource: T | None) -> Outcome:
        """Whether the wait is over, and how."""
        ...

    def failure(self, resource: T | None) -> ResourceFailedError:
        """The error to raise when `outcome` is FAILED."""
        ...


class Poller(Generic[T]):
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
        if interval <= 0 or backoff < 1 or max_interval <= 0:
            raise ValueError("interval and max_interval must be positive and backoff at least 1")
        self._strategy = strategy
        self._interval = interval
        self._backoff = backoff
        self._max_interval = max_interval
        self._sleep = sleep
        self._monotonic = monotonic
        self._last: T | None = None
        self._outcome: Outcome | None = None

    def status(self) -> str | None:
        """The state seen at the last poll (None before the first, or if not found)."""
        return self._strategy.state(self._last) if self._outcome is not None else None

    def done(self) -> bool:
        """Poll once (unless already finished); True if the wait is over, either way."""
        if self._outcome in (None, Outcome.PENDING):
            self._poll()
        return self._outcome is not Outcome.PENDING

    def result(self, timeout: float | None = 300.0) -> T | None:
        """Wait until done and return the last resource seen (None if it is gone).

        Args:
            timeout: Seconds to wait at most; None waits for ever.

        Raises:
            ResourceFailedError: the resource reached a failed state.
            WaitTimeoutError: `timeout` passed first; carries the last state seen.
        """
        start = self._monotonic()
        interval = self._interval
        while True:
            outcome = self._poll()
            if outcome is Outcome.DONE:
                return self._last
            if outcome is Outcome.FAILED:
                raise self._strategy.failure(self._last)
            waited = self._monotonic() - start
            if timeout is not None and waited >= timeout:
                raise WaitTimeoutError(self._strategy.description, self.status(), waited)
            # The last sleep is cut short so that the final poll falls on the deadline.
            self._sleep(interval if timeout is None else min(interval, timeout - waited))
            interval = min(interval * self._backoff, self._max_interval)

    def wait(self, timeout: float | None = 300.0) -> None:
        """Like `result`, without the result."""
        self.result(timeout)

    def _poll(self) -> Outcome:
        self._last = self._strategy.poll()
        self._outcome = self._strategy.outcome(self._last)
        return self._outcome
