"""AsyncPoller on fake time: the sync Poller's decisions, awaited (the resources' async
waiters are tested on the emulator in the other test_resources* files)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests import test_waiting
from twinkit.aio.waiting import AsyncPoller
from twinkit.errors import ResourceFailedError, WaitTimeoutError
from twinkit.waiting import Poller


class FakeTime(test_waiting.FakeTime):
    """The sync tests' fake clock, which async waits sleep on too."""

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)


States = test_waiting.States


class AsyncStates(States):
    async def poll(self) -> str | None:  # type: ignore[override]
        await asyncio.sleep(0)  # a real await: the poll yields to the loop
        return super().poll()


def async_poller(states: AsyncStates, clock: FakeTime, **knobs: float) -> AsyncPoller[str]:
    return AsyncPoller(states, sleep=clock.async_sleep, monotonic=clock.monotonic, **knobs)


async def test_polls_with_backoff_until_done() -> None:
    clock = FakeTime()
    states = AsyncStates("CREATING", "CREATING", "CREATING", "ACTIVE")
    poller = async_poller(states, clock, interval=1, backoff=2, max_interval=3)
    assert poller.status() is None
    assert await poller.result(timeout=100) == "ACTIVE"
    assert clock.sleeps == [1, 2, 3]
    assert poller.status() == "ACTIVE"
    assert await poller.done()


async def test_a_failed_state_raises_the_strategys_error() -> None:
    poller = async_poller(AsyncStates("CREATING", "ERROR"), FakeTime())
    with pytest.raises(
        ResourceFailedError, match=r"^entity pump failed: PROCESSING_ERROR: broken$"
    ):
        await poller.wait()


async def test_timing_out_keeps_the_last_state_and_polls_once_at_the_deadline() -> None:
    clock = FakeTime()
    states = AsyncStates("UPDATING")
    poller = async_poller(states, clock, interval=2, backoff=1)
    with pytest.raises(WaitTimeoutError) as caught:
        await poller.result(timeout=5)
    assert caught.value.last_state == "UPDATING"
    assert caught.value.waited == 5
    assert clock.sleeps == [2, 2, 1]
    assert states.polls == 4


async def test_done_polls_once_without_waiting() -> None:
    clock = FakeTime()
    poller = async_poller(AsyncStates("CREATING", "ACTIVE"), clock)
    assert await poller.done() is False
    assert poller.status() == "CREATING"
    assert await poller.done() is True
    assert await poller.done() is True  # finished: no more polls
    assert clock.sleeps == []


async def test_the_default_sleep_gives_the_loop_back() -> None:
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.001)

    task = asyncio.create_task(ticker())
    with pytest.raises(WaitTimeoutError):
        await AsyncPoller(AsyncStates("CREATING"), interval=0.01, backoff=1).wait(timeout=0.1)
    task.cancel()
    assert ticks > 5  # another task ran while the poller waited


def test_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="backoff at least 1"):
        AsyncPoller(AsyncStates("ACTIVE"), backoff=0.5)


script = st.lists(st.sampled_from(["CREATING", "UPDATING", "ACTIVE", "ERROR", None]), min_size=1)


@given(
    script=script,
    interval=st.floats(0.01, 5),
    backoff=st.floats(1, 3),
    max_interval=st.floats(0.01, 10),
    timeout=st.none() | st.floats(0, 30),
)
def test_the_async_poller_decides_as_the_sync_one(
    script: list[str | None],
    interval: float,
    backoff: float,
    max_interval: float,
    timeout: float | None,
) -> None:
    script = [*script, "ACTIVE"] if timeout is None else script  # a wait for ever must end
    knobs = {"interval": interval, "backoff": backoff, "max_interval": max_interval}
    sync_clock, async_clock = FakeTime(), FakeTime()
    sync_poller = Poller(
        States(*script), sleep=sync_clock.sleep, monotonic=sync_clock.monotonic, **knobs
    )
    async_poller_ = async_poller(AsyncStates(*script), async_clock, **knobs)

    def outcome_of(run: Callable[[], object]) -> object:
        try:
            return run()
        except (ResourceFailedError, WaitTimeoutError) as error:
            return (type(error), str(error))

    expected = outcome_of(lambda: sync_poller.result(timeout))
    actual = outcome_of(lambda: asyncio.run(async_poller_.result(timeout)))
    assert actual == expected
    assert async_clock.sleeps == sync_clock.sleeps
    assert async_poller_.status() == sync_poller.status()
