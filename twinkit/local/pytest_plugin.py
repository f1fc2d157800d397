"""pytest fixtures for twinkit.local, registered as the `twinkit` pytest11 plugin.

This module owns the fixtures:

- `twinmaker_emulator`: a fresh `twinkit.local.Emulator` for each test;
- `twinmaker_client`: a boto3 `iottwinmaker` client answered by it, in-process;
- `twinkit_client`: a typed `twinkit.TwinMaker` over `twinmaker_client`;
- `twinmaker_server`: an HTTP server (one for the session, started on a free port on first
  use) serving that test's `twinmaker_emulator`; needs `pip install 'twinkit[local]'`;
- `twinmaker_emulator_options`: the options the emulator is made with; override it in a
  `conftest.py` or a test module to change them (`{"region": "eu-west-1"}`);
- `twinkit_aio_client`: an async `twinkit.aio.TwinMaker` answered in-process by
  `twinmaker_emulator`, and `twinkit_aio_http_client`, the same over `twinmaker_server`'s
  HTTP; both need `pip install 'twinkit[aio]'` and pytest-asyncio.

twinkit.local is imported when a fixture is first used, so that the plugin costs nothing in
test sessions that do not use it. Disable it with `-p no:twinkit`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar, cast

import pytest

if TYPE_CHECKING:
    # Typing only: the plugin needs no stub package at run time.
    from mypy_boto3_iottwinmaker import IoTTwinMakerClient

    import twinkit.aio
    from twinkit import TwinMaker
    from twinkit.local import Emulator, ServerHandle

__all__ = [
    "twinkit_aio_client",
    "twinkit_aio_http_client",
    "twinkit_client",
    "twinmaker_client",
    "twinmaker_emulator",
    "twinmaker_emulator_options",
    "twinmaker_server",
]


@pytest.fixture
def twinmaker_emulator_options() -> dict[str, Any]:
    """Keyword arguments of `twinmaker_emulator`'s `Emulator`; none by default."""
    return {}


@pytest.fixture
def twinmaker_emulator(twinmaker_emulator_options: dict[str, Any]) -> Emulator:
    """A fresh, empty emulator for the test."""
    from twinkit.local import Emulator

    return Emulator(**twinmaker_emulator_options)


@pytest.fixture
def twinmaker_client(twinmaker_emulator: Emulator) -> Iterator[IoTTwinMakerClient]:
    """A boto3 `iottwinmaker` client answered in-process by `twinmaker_emulator`."""
    client = twinmaker_emulator.client()
    yield client
    client.close()


@pytest.fixture
def twinkit_client(twinmaker_client: Any) -> TwinMaker:
    """A typed `twinkit.TwinMaker` answered in-process by `twinmaker_emulator`.

    It wraps `twinmaker_client`, so a test can mix typed calls with raw boto3 ones and both
    see the same emulator:

    ```python
    import twinkit


    def test_pump_type(twinkit_client: twinkit.TwinMaker) -> None:
        ws = twinkit_client.workspaces.create("factory")
        pump = ws.component_types.create("com.example.pump")
        assert pump.wait_until_active().state == "ACTIVE"
    ```
    """
    from twinkit import TwinMaker

    return TwinMaker(client=twinmaker_client)


@pytest.fixture(scope="session")
def _twinmaker_http_server() -> Iterator[ServerHandle]:
    from twinkit.local import Emulator, serve

    with serve(host="127.0.0.1", port=0, emulator=Emulator()) as server:
        yield server


@pytest.fixture
def twinmaker_server(
    _twinmaker_http_server: ServerHandle, twinmaker_emulator: Emulator
) -> ServerHandle:
    """An HTTP server answering with `twinmaker_emulator`: `.url`, `.client()`, `.emulator`.

    The server is shared by the session; each test gets its own emulator, so no state
    leaks from one test to the next.
    """
    _twinmaker_http_server.emulator = twinmaker_emulator
    return _twinmaker_http_server


_Fixture = TypeVar("_Fixture", bound=Callable[..., Any])


def _async_fixture(func: _Fixture) -> _Fixture:
    """An async fixture, run by pytest-asyncio in the test's own event loop.

    Without pytest-asyncio the plugin still loads; pytest then fails a test that asks for one
    of these fixtures, saying an async fixture needs a plugin.
    """
    try:
        import pytest_asyncio
    except ImportError:
        return cast(_Fixture, pytest.fixture(func))
    return cast(_Fixture, pytest_asyncio.fixture(func))


@_async_fixture
async def twinkit_aio_client(twinmaker_emulator: Emulator) -> AsyncIterator[twinkit.aio.TwinMaker]:
    """An async `twinkit.aio.TwinMaker` answered in-process by `twinmaker_emulator`.

    ```python
    import twinkit.aio


    async def test_factory(twinkit_aio_client: twinkit.aio.TwinMaker) -> None:
        await twinkit_aio_client.create_workspace(workspace_id="factory")
        workspace = await twinkit_aio_client.get_workspace(workspace_id="factory")
        assert workspace.workspace_id == "factory"
    ```
    """
    import twinkit.aio

    async with twinmaker_emulator.aio_client() as client:
        yield twinkit.aio.TwinMaker(client=client)


@_async_fixture
async def twinkit_aio_http_client(
    twinmaker_server: ServerHandle,
) -> AsyncIterator[twinkit.aio.TwinMaker]:
    """An async `twinkit.aio.TwinMaker` over HTTP, answered by `twinmaker_server` (and so by
    `twinmaker_emulator`)."""
    import twinkit.aio

    async with twinmaker_server.aio_client() as client:
        yield twinkit.aio.TwinMaker(client=client)
