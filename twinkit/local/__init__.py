"""twinkit.local: a faithful AWS IoT TwinMaker emulator, in-process or over HTTP.

```python
import twinkit.local

with twinkit.local.emulator() as twin:
    client = twin.client()          # a real boto3 client, answered in-process
    client.create_workspace(workspaceId="factory", role="arn:aws:iam::123456789012:role/tm")

with twinkit.local.serve(port=0) as server:   # over HTTP (needs `pip install 'twinkit[local]'`)
    client = server.client()        # boto3 pointed at server.url, host prefixes off

faults = twinkit.local.Faults(throttle_rate=0.2, error_rate=0.2, seed=7)
with twinkit.local.emulator(faults=faults, state_file="twin.db") as twin:
    ...                             # misbehaves on purpose; keeps its state in twin.db
```

This module owns the public face of the emulator: the `Emulator` with `client()` and its
optional SigV4 verification (`access_keys`), `emulator()` and `serve()`. The HTTP server
itself lives in `_server` and is imported only when asked for, so that werkzeug stays an
optional dependency.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import boto3
from botocore.config import Config

from twinkit.local._clock import Clock, ManualClock, SystemClock
from twinkit.local._emulator import Emulator as _EmulatorCore
from twinkit.local._faults import Faults
from twinkit.local._inprocess import EVENT, install
from twinkit.local._persistence import StateFileError
from twinkit.local._protocol import HttpRequest, HttpResponse
from twinkit.local._sigv4 import AuthFailure, check_signature, refusal

if TYPE_CHECKING:
    from twinkit.local._server import ServerHandle as ServerHandle

# `ServerHandle` is importable from here too (`from twinkit.local import ServerHandle`), but
# it is not in `__all__`: it is loaded on first use, with werkzeug.
__all__ = [
    "Clock",
    "Emulator",
    "Faults",
    "HttpRequest",
    "HttpResponse",
    "ManualClock",
    "StateFileError",
    "SystemClock",
    "emulator",
    "serve",
]

_DUMMY_KEY = ("testing", "testing")


def _fill_host_header(request: Any, **_: Any) -> None:
    """Send the `Host` header an HTTP client would, so that in-process SigV4 checks see it."""
    if "Host" not in request.headers:
        url = urlsplit(request.url)
        default_port = {"https": 443, "http": 80}.get(url.scheme)
        host = url.hostname or ""
        if ":" in host:
            host = f"[{host}]"
        if url.port is not None and url.port != default_port:
            host = f"{host}:{url.port}"
        request.headers["Host"] = host


class Emulator(_EmulatorCore):
    """A TwinMaker emulator you can hand boto3 clients to (see `client()`).

    Args:
        access_keys: Access key id -> secret access key. When given, every request must be
            SigV4-signed by one of them, or it is refused as the service refuses it (403,
            `MissingAuthenticationTokenException`, `UnrecognizedClientException`,
            `InvalidSignatureException`). Off (any or no signature accepted) by default.
        **options: The emulator's options: `clock`, `region`, `account_id`,
            `transition_delay`, `faults` (a `Faults`), `state_file` (a SQLite file to keep
            the state in).
    """

    def __init__(self, *, access_keys: Mapping[str, str] | None = None, **options: Any) -> None:
        super().__init__(**options)
        self.access_keys: dict[str, str] = dict(access_keys or {})

    def handle(self, request: HttpRequest) -> HttpResponse:
        """Answer one HTTP request exactly as the service would, checking its signature first
        when the emulator has `access_keys`."""
        if self.access_keys:
            try:
                check_signature(request, self.access_keys, self.region)
            except AuthFailure as failure:
                return refusal(failure)
        return super().handle(request)

    def credentials(self) -> tuple[str, str]:
        """An access key id and secret this emulator accepts: its first access key, or dummies."""
        return next(iter(self.access_keys.items()), _DUMMY_KEY)

    def client(self, *, session: boto3.session.Session | None = None, **kwargs: Any) -> Any:
        """A boto3 `iottwinmaker` client answered by this emulator, in-process.

        Args:
            session: The boto3 session to build it from; a session with this emulator's
                first access key (dummy credentials when it has none) and its region by
                default.
            **kwargs: Passed to `session.client` (`config`, `region_name`, ...).
        """
        if session is None:
            key_id, secret = self.credentials()
            session = boto3.session.Session(
                aws_access_key_id=key_id,
                aws_secret_access_key=secret,
                region_name=self.region,
            )
        kwargs.setdefault("config", Config(retries={"mode": "standard"}))
        client = session.client("iottwinmaker", **kwargs)
        client.meta.events.register_first(EVENT, _fill_host_header)
        return install(client, self)


@contextmanager
def emulator(**options: Any) -> Iterator[Emulator]:
    """A fresh emulator for the block (its state file closed at the end); see `Emulator`."""
    twin = Emulator(**options)
    try:
        yield twin
    finally:
        twin.close()


def serve(
    host: str = "127.0.0.1",
    port: int = 0,
    emulator: Emulator | None = None,
    *,
    max_body_bytes: int | None = None,
    **emulator_options: Any,
) -> ServerHandle:
    """Serve an emulator over HTTP from a background thread (werkzeug, threaded).

    Use the handle as a context manager, or call its `stop()`:

    ```python
    with twinkit.local.serve() as server:
        client = server.client()    # or boto3 with endpoint_url=server.url
    ```

    Args:
        host: The address to listen on.
        port: The port to listen on; 0 picks a free one (see the handle's `port` and `url`).
        emulator: The emulator to serve; a new `Emulator(**emulator_options)` by default.
        max_body_bytes: Request bodies larger than this are refused with a 413; 8 MiB by
            default.
        **emulator_options: Options of the new `Emulator` (`region`, `access_keys`, `faults`,
            `state_file`, ...), when `emulator` is not given; stopping the server closes it.

    Raises:
        ImportError: When werkzeug is not installed (`pip install 'twinkit[local]'`).
        OSError: When the server cannot listen on `host` and `port`.
        TypeError: When both `emulator` and emulator options are given.
    """
    from twinkit.local import _server

    owned = emulator is None
    if emulator is None:
        emulator = Emulator(**emulator_options)
    elif emulator_options:
        raise TypeError(f"serve() got an emulator and emulator options {sorted(emulator_options)}")
    try:
        return _server.start(
            emulator,
            host=host,
            port=port,
            max_body_bytes=_server.DEFAULT_MAX_BODY_BYTES
            if max_body_bytes is None
            else max_body_bytes,
            owns_emulator=owned,
        )
    except BaseException:
        if owned:
            emulator.close()
        raise


def __getattr__(name: str) -> Any:
    if name == "ServerHandle":
        from twinkit.local._server import ServerHandle

        return ServerHandle
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
