"""The poller's timing and outcomes, on a fake clock (the resources' waiters are tested on
the emulator in the resource tests)."""

from __future__ import annotations

import pytest

from twinkit.errors import ResourceFailedError, WaitTimeoutError
from twinkit.waiting import Outcome, Poller


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds

    def monotonic(self) -> float:
        return self.now


class States:
    """A resource whose state is read from a script, one entry per poll."""

    description = "entity pump"

    def __init__(self, *script: str | None) -> None:
        self.script = list(script)
        self.polls = 0

    def poll(self) -> str | None:
        self.polls += 1
        return self.script.pop(0) if len(self.script) > 1 else self.script[0]

    def state(self, resource: str | None) -> str | None:
        return resource

    def outcome(self, resource: str | None) -> Outcome:
        if resource == "ACTIVE":
            return Outcome.DONE
        if resource == "ERROR":
            return Outcome.FAILED
        return Outcome.PENDING

    def failure(self, resource: str | None) -> ResourceFailedError:
        return ResourceFailedError(self.description, "PROCESSING_ERROR", "broken")


def test_polls_with_backoff_until_done() -> None:
    clock = FakeTime()
    states = States("CREATING", "CREATING", "CREATING", "ACTIVE")
    poller = Poller(
        states, interval=1, backoff=2, max_interval=3, sleep=clock.sleep, monotonic=clock.monotonic
    )
    assert poller.status() is None
    assert poller.result(timeout=100) == "ACTIVE"
    assert clock.sleeps == [1, 2, 3]
    assert poller.status() == "ACTIVE"
    assert poller.done()


def test_a_failed_state_raises_the_strategys_error() -> None:
    clock = FakeTime()
    poller = Poller(States("CREATING", "ERROR"), sleep=clock.sleep, monotonic=clock.monotonic)
    with pytest.raises(
        ResourceFailedError, match=r"^entity pump failed: PROCESSING_ERROR: broken$"
    ):
        poller.wait()


def test_timing_out_keeps_the_last_state_and_polls_once_at_the_deadline() -> None:
    clock = FakeTime()
    states = States("UPDATING")
    poller = Poller(states, interval=2, backoff=1, sleep=clock.sleep, monotonic=clock.monotonic)
    with pytest.raises(WaitTimeoutError) as caught:
        poller.result(timeout=5)
    assert caught.value.last_state == "UPDATING"
    assert caught.value.waited == 5
    assert clock.sleeps == [2, 2, 1]
    assert states.polls == 4


def test_done_polls_once_without_waiting() -> None:
    clock = FakeTime()
    poller = Poller(States("CREATING", "ACTIVE"), sleep=clock.sleep, monotonic=clock.monotonic)
    assert poller.done() is False
    assert poller.status() == "CREATING"
    assert poller.done() is True
    assert clock.sleeps == []


def test_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="backoff at least 1"):
        Poller(States("ACTIVE"), backoff=0.5)
