"""Fixtures for the async tests: every test that takes `atm` runs on both transports.

- `transport`: `"inprocess"` (a coroutine `before-send` handler) or `"http"` (the waitress
  server), each test running once with each;
- `emulator`: the emulator behind the clients, for fault injection and scripted failures;
- `connect`: `async with connect(config=...) as tm:`, a `twinkit.aio.TwinMaker` on that
  transport, with the aiobotocore client options given;
- `atm`: `connect()`'s client, for the test's length.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import pytest

import twinkit.aio
from twinkit.local import Emulator, ServerHandle

TRANSPORTS = ["inprocess", "http"]

Connect = Callable[..., AbstractAsyncContextManager[twinkit.aio.TwinMaker]]
"""`connect(**client_options)`: an async context manager giving a `twinkit.aio.TwinMaker`."""


@pytest.fixture(params=TRANSPORTS)
def transport(request: pytest.FixtureRequest) -> str:
    """How the clients reach the emulator: `"inprocess"` or `"http"`."""
    name: str = request.param
    return name


@pytest.fixture
def emulator(twinmaker_emulator: Emulator) -> Emulator:
    """The emulator behind `atm` and `connect`, for fault injection and scripted failures."""
    return twinmaker_emulator


@pytest.fixture
def connect(transport: str, emulator: Emulator, request: pytest.FixtureRequest) -> Connect:
    """Open `twinkit.aio.TwinMaker`s on the test's transport, answered by `emulator`."""
    source: Emulator | ServerHandle = emulator
    if transport == "http":
        source = request.getfixturevalue("twinmaker_server")  # serves `emulator`

    @asynccontextmanager
    async def connected(**client_options: Any) -> AsyncIterator[twinkit.aio.TwinMaker]:
        async with source.aio_client(**client_options) as client:
            yield twinkit.aio.TwinMaker(client=client)

    return connected


@pytest.fixture
async def atm(connect: Connect) -> AsyncIterator[twinkit.aio.TwinMaker]:
    """An async typed client answered by `emulator`, in-process or over HTTP."""
    async with connect() as tm:
        yield tm
