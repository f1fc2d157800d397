"""twinkit.local: a faithful AWS IoT TwinMaker emulator, in-process or over HTTP.

```python
import twinkit.local

with twinkit.local.emulator() as twin:
    client = twin.client()          # a real boto3 client, answered in-process
    client.create_workspace(workspaceId="factory", role="arn:aws:iam::123456789012:role/tm")

with twinkit.local.serve(port=0) as server:   # over HTTP (needs `pip install 'twinkit[local]'`)
    client = server.client()        # boto3 pointed at server.url, host prefixes off

faults = twinkit.local.Faults(throttle_rate=0.2, error_rate=0.2, seed=7)
with twinkit.local.emulator(faults=faults, state_file="twin.state") as twin:
    ...                             # misbehaves on purpose; keeps its state in twin.db
```

This module owns the public face of the emulator: it re-exports `Emulator` (`_emulator`)
and offers `emulator()` and `serve()`. The HTTP server itself lives in `_server` and is
imported only when asked for, so that waitress stays an optional dependency.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import attrs

from twinkit.local._clock import Clock, ManualClock, SystemClock
from twinkit.local._emulator import Emulator
from twinkit.local._faults import Faults
from twinkit.local._limits import ServerLimits
from twinkit.local._persistence import StateFileError
from twinkit.local._protocol import HttpRequest, HttpResponse

if TYPE_CHECKING:
    from twinkit.local._server import ServerHandle as ServerHandle

# `ServerHandle` is importable from here too (`from twinkit.local import ServerHandle`), but
# it is not in `__all__`: it is loaded on first use, with waitress.
__all__ = [
    "Clock",
    "Emulator",
    "Faults",
    "HttpRequest",
    "HttpResponse",
    "ManualClock",
    "StateFileError",
    "ServerLimits",
    "SystemClock",
    "emulator",
    "serve",
]


@contextmanager
def emulator(
    *,
    clock: Clock | None = None,
    region: str = "us-east-1",
    account_id: str = "123456789012",
    transition_delay: float = 0.1,
    faults: Faults | None = None,
    state_file: str | os.PathLike[str] | None = None,
    access_keys: Mapping[str, str] | None = None,
) -> Iterator[Emulator]:
    """A fresh emulator for the block (its state file closed at the end); see `Emulator`."""
    twin = Emulator(
        clock=clock,
        region=region,
        account_id=account_id,
        transition_delay=transition_delay,
        faults=faults,
        state_file=state_file,
        access_keys=access_keys,
    )
    try:
        yield twin
    finally:
        twin.close()


def serve(
    host: str = "127.0.0.1",
    port: int = 0,
    emulator: Emulator | None = None,
    *,
    limits: ServerLimits | None = None,
    max_body_bytes: int | None = None,
    region: str | None = None,
    access_keys: Mapping[str, str] | None = None,
    faults: Faults | None = None,
    state_file: str | os.PathLike[str] | None = None,
    clock: Clock | None = None,
    transition_delay: float | None = None,
    account_id: str | None = None,
) -> ServerHandle:
    """Serve an emulator over HTTP from background threads (waitress: HTTP/1.1 keep-alive).

    Use the handle as a context manager, or call its `stop()`:

    ```python
    with twinkit.local.serve() as server:
        client = server.client()    # or boto3 with endpoint_url=server.url
    ```

    Args:
        host: The address to listen on; loopback by default.
        port: The port to listen on; 0 picks a free one (see the handle's `port` and `url`).
        emulator: The emulator to serve; a new one made from the options below by default
            (stopping the server then closes it).
        limits: Timeouts, connection and size caps (`ServerLimits()` by default).
        max_body_bytes: Shorthand for `limits.max_body_bytes` (8 MiB by default).
        region, access_keys, faults, state_file, clock, transition_delay, account_id: The
            new emulator's options (see `Emulator`; its defaults for those left None), when
            `emulator` is not given.

    Raises:
        ImportError: When waitress is not installed (`pip install 'twinkit[local]'`).
        OSError: When the server cannot listen on `host` and `port`.
        TypeError: When both `emulator` and emulator options are given.
    """
    from twinkit.local import _server

    given: dict[str, Any] = {
        name: value
        for name, value in (
            ("region", region),
            ("access_keys", access_keys),
            ("faults", faults),
            ("state_file", state_file),
            ("clock", clock),
            ("transition_delay", transition_delay),
            ("account_id", account_id),
        )
        if value is not None
    }
    owned = emulator is None
    if emulator is None:
        emulator = Emulator(**given)  # the Emulator's own defaults for what is not given
    elif given:
        raise TypeError(f"serve() got an emulator and emulator options {sorted(given)}")
    limits = limits or ServerLimits()
    if max_body_bytes is not None:
        limits = attrs.evolve(limits, max_body_bytes=max_body_bytes)
    try:
        return _server.start(emulator, host=host, port=port, limits=limits, owns_emulator=owned)
    except BaseException:
        if owned:
            emulator.close()
        raise


def __getattr__(name: str) -> Any:
    if name == "ServerHandle":
        from twinkit.local._server import ServerHandle

        return ServerHandle
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
