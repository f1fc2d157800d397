"""Fixtures for the async tests: every test that takes `atm` runs on both transports."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

import twinkit.aio
from twinkit.local import Emulator, ServerHandle

TRANSPORTS = ["inprocess", "http"]
"""In-process (a coroutine `before-send` handler) and over HTTP (the waitress server)."""


@pytest.fixture
def emulator(twinmaker_emulator: Emulator) -> Emulator:
    """The emulator behind `atm`, for fault injection and scripted failures."""
    return twinmaker_emulator


@pytest.fixture(params=TRANSPORTS)
async def atm(
    request: pytest.FixtureRequest, emulator: Emulator
) -> AsyncIterator[twinkit.aio.TwinMaker]:
    """An async typed client answered by `emulator`, in-process or over HTTP."""
    if request.param == "inprocess":
        async with emulator.aio_client() as client:
            yield twinkit.aio.TwinMaker(client=client)
    else:
        server: ServerHandle = request.getfixturevalue("twinmaker_server")
        async with server.aio_client() as client:
            yield twinkit.aio.TwinMaker(client=client)
