"""Clocks: the system's, or one a test moves by hand."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta, timezone
from typing import Protocol

__all__ = ["Clock", "ManualClock", "SystemClock"]


class Clock(Protocol):
    """What the emulator asks of a clock: the current instant, as an aware UTC datetime."""

    def now(self) -> datetime:
        """The current instant (aware, UTC)."""
        ...


class SystemClock:
    """The machine's clock."""

    def now(self) -> datetime:
        """The current instant (aware, UTC)."""
        return datetime.now(timezone.utc)


class ManualClock:
    """A clock that moves only when told to: for tests of states that change over time.

    Example:
        ```python
        clock = ManualClock()
        with twinkit.local.emulator(clock=clock) as twin:
            ...  # a new entity is CREATING
            clock.advance(1.0)
            ...  # now it is ACTIVE
        ```
    """

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 1, 1, tzinfo=timezone.utc)
        if self._now.tzinfo is None:
            raise ValueError("ManualClock needs an aware start time")
        self._lock = threading.Lock()

    def now(self) -> datetime:
        """The current instant (aware, UTC)."""
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> datetime:
        """Move the clock forward by `seconds`; returns the new instant."""
        if seconds < 0:
            raise ValueError("a clock cannot go back")
        with self._lock:
            self._now += timedelta(seconds=seconds)
            return self._now


def monotonic() -> float:
    """Seconds on a monotonic clock, for latency that must not depend on a manual clock."""
    return time.monotonic()
