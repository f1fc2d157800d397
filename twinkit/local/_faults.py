"""Fault injection: the emulator misbehaving on purpose, reproducibly (seeded).

`Faults` is the setting (`Emulator(faults=Faults(...))`, or the server's `--latency-ms`,
`--throttle-rate`, `--error-rate`, `--entry-failure-rate` and `--seed` options); `FaultInjector`
draws the dice for one emulator. Both transports go through `Emulator.handle`, so both see the
same faults.

What each fault does:

* **latency**: every request waits `latency_ms` before it is answered (outside the state lock,
  so other requests go on meanwhile).
* **throttling**: a request is refused before anything is read, with a 429
  `ThrottlingException`, as the service's front door does.
* **errors**: a request that succeeded is turned into a 500 `InternalServerException` after its
  backend ran; everything it changed is rolled back first (and nothing is persisted), so the
  failure is indistinguishable from one that happened before the work.
* **entry failures**: each good entry of a `BatchPutPropertyValues` request fails with the error
  code `InternalServerException` in `errorEntries`, and is not stored.

Deliberate deviations from the real service: real throttling depends on request rates, real
server errors may follow partial work; here every fault is a coin flip per request (per entry),
and a failed request never changes anything. The dice are drawn from one `random.Random(seed)`
in request order, so a sequence of requests made one at a time sees the same faults every run.
"""

from __future__ import annotations

import random
import threading
import time

import attrs

from twinkit.local._errors import ServiceFault

__all__ = ["FaultInjector", "Faults", "InjectedFault", "ScriptedFailures"]


def _rate(instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{attribute.name} must be between 0 and 1, got {value}")


def _non_negative(instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if value < 0:
        raise ValueError(f"{attribute.name} must be >= 0, got {value}")


@attrs.frozen(kw_only=True)
class Faults:
    """How often, and how, the emulator misbehaves; all off by default.

    Example:
        ```python
        faults = Faults(throttle_rate=0.1, error_rate=0.1, entry_failure_rate=0.05, seed=7)
        twin = twinkit.local.Emulator(faults=faults)
        ```

    Attributes:
        latency_ms: Milliseconds added before every answer.
        throttle_rate: Share of requests refused with a 429 `ThrottlingException` (0 to 1).
        error_rate: Share of requests failed with a 500 `InternalServerException` (0 to 1);
            their changes are rolled back.
        entry_failure_rate: Share of good `BatchPutPropertyValues` entries reported in
            `errorEntries` with `InternalServerException` instead of being stored (0 to 1).
        seed: Seed of the dice; None seeds from the system.
    """

    latency_ms: float = attrs.field(default=0.0, validator=_non_negative)
    throttle_rate: float = attrs.field(default=0.0, validator=_rate)
    error_rate: float = attrs.field(default=0.0, validator=_rate)
    entry_failure_rate: float = attrs.field(default=0.0, validator=_rate)
    seed: int | None = None

    @property
    def active(self) -> bool:
        """True when any fault is on."""
        return bool(
            self.latency_ms or self.throttle_rate or self.error_rate or self.entry_failure_rate
        )


class InjectedFault(ServiceFault):
    """A fault the injector chose: sent as is, even by operations whose model omits its code."""


def _injected(code: str, what: str, rate: float) -> InjectedFault:
    return InjectedFault(code, f"{what} (injected by twinkit.local at rate {rate})")


class FaultInjector:
    """The dice of one emulator, drawn under a lock in request order.

    Args:
        faults: The setting.
    """

    def __init__(self, faults: Faults | None = None) -> None:
        self.faults = faults or Faults()
        self._random = random.Random(self.faults.seed)
        self._lock = threading.Lock()

    def _hit(self, rate: float) -> bool:
        if rate <= 0.0:
            return False
        with self._lock:
            return self._random.random() < rate

    def delay(self) -> None:
        """Wait the configured latency."""
        if self.faults.latency_ms > 0:
            time.sleep(self.faults.latency_ms / 1000.0)

    def throttle(self) -> InjectedFault | None:
        """A `ThrottlingException` to answer with instead of handling the request, or None."""
        if self._hit(self.faults.throttle_rate):
            return _injected("ThrottlingException", "Rate exceeded", self.faults.throttle_rate)
        return None

    def error(self) -> InjectedFault | None:
        """An `InternalServerException` to fail a handled request with, or None."""
        if self._hit(self.faults.error_rate):
            return _injected(
                "InternalServerException", "Internal server error", self.faults.error_rate
            )
        return None

    def entry_fails(self) -> bool:
        """True when the next good batch entry must fail."""
        return self._hit(self.faults.entry_failure_rate)


@attrs.frozen
class _Scripted:
    code: str
    message: str
    operation: str | None


class ScriptedFailures:
    """Failures a test asks for, one request at a time: `Emulator.fail_next(...)`.

    A scripted failure answers the next request (of the given operation, if one is named) with
    the service error given, before the request is read: it changes nothing. Any error code of
    the service model may be scripted, so a client's handling of every error can be tested
    against real responses, including codes this emulator never produces on its own
    (`AccessDeniedException`, `ConnectorTimeoutException`, ...).
    """

    def __init__(self) -> None:
        self._queue: list[_Scripted] = []
        self._lock = threading.Lock()

    def add(self, code: str, message: str, operation: str | None, times: int) -> None:
        """Queue `times` failures with `code` (checked against the model) and `message`."""
        InjectedFault(code, message)  # refuses a code the model does not have
        if times < 1:
            raise ValueError(f"times must be at least 1, got {times}")
        with self._lock:
            self._queue.extend(_Scripted(code, message, operation) for _ in range(times))

    def take(self, operation: str) -> InjectedFault | None:
        """The first queued failure that applies to `operation`, removed; or None."""
        with self._lock:
            for index, scripted in enumerate(self._queue):
                if scripted.operation in (None, operation):
                    del self._queue[index]
                    return InjectedFault(scripted.code, scripted.message)
        return None

    def clear(self) -> None:
        """Drop every queued failure."""
        with self._lock:
            self._queue.clear()
