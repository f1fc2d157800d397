"""Waiting for a resource to settle, without blocking the event loop: `AsyncPoller`.

The same decisions as `twinkit.waiting.Poller` (they live in its `PollerBase`): the same
interval, backoff and time-out knobs, the same `Outcome`s and errors (`ResourceFailedError`,
`WaitTimeoutError`); only the poll is awaited and the pauses are `asyncio.sleep`s.

```python
entity = await ws.entities.create("Pump 1")
await entity.wait_until_active(timeout=60)      # an AsyncPoller's result(), under the hood
```
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

from twinkit.waiting import PollerBase, StateReader

__all__ = ["AsyncPoller", "AsyncPollingStrategy"]

T = TypeVar("T")


class AsyncPollingStrategy(StateReader[T], Protocol[T]):
    """What to poll (a coroutine), and how to read it (a `twinkit.waiting.StateReader`)."""

    async def poll(self) -> T | None:
        """Fetch the resource once; None when it does not exist."""
        ...


class AsyncPoller(PollerBase[T]):
    """Polls an async strategy until it is done, failed or out of time.

    Args:
        strategy: What to poll and how to read it.
        interval: Seconds before the second poll.
        backoff: Factor the interval grows by after each poll (1 for a fixed interval).
        max_interval: The interval never grows beyond this.
        sleep: How to wait (`asyncio.sleep`; a test may pass its own).
        monotonic: Where elapsed time comes from (a test may pass its own).
    """

    def __init__(
        self,
        strategy: AsyncPollingStrategy[T],
        *,
        interval: float = 0.2,
        backoff: float = 1.5,
        max_interval: float = 5.0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
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

    async def done(self) -> bool:
        """Poll once (unless already finished); True if the wait is over, either way."""
        return self._record(await self._strategy.poll()) if self._needs_poll() else True

    async def result(self, timeout: float | None = 300.0) -> T | None:
        """Wait until done and return the last resource seen (None if it is gone).

        Args:
            timeout: Seconds to wait at most; None waits for ever.

        Raises:
            ResourceFailedError: the resource reached a failed state.
            WaitTimeoutError: `timeout` passed first; carries the last state seen.
        """
        start = self._monotonic()
        for interval in self._intervals():
            pause = self._settle(await self._strategy.poll(), start, timeout, interval)
            if pause is None:
                break
            await self._sleep(pause)
        return self._last

    async def wait(self, timeout: float | None = 300.0) -> None:
        """Like `result`, without the result."""
        await self.result(timeout)
