"""The in-process transport: a botocore `before-send` handler, no sockets.

Every call still goes through botocore's real parameter validation, serialization, signing,
retries and response parsing; only the bytes on the wire are answered by the emulator.

aiobotocore clients get a coroutine handler (`install_async`): it runs the emulator's
synchronous `handle` in a worker thread, so that injected latency never blocks the event loop
and concurrent calls overlap as they would on a real server.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from botocore.awsrequest import AWSResponse

from twinkit.local._protocol import HttpRequest

if TYPE_CHECKING:
    from twinkit.local._emulator import Emulator

__all__ = ["install", "install_async"]

EVENT = "before-send.iottwinmaker"


class _RawBody(io.BytesIO):
    """What botocore reads a response body from (urllib3's `stream()`, as moto does it)."""

    def stream(self, *args: Any, **kwargs: Any) -> Iterator[bytes]:
        contents = self.read()
        while contents:
            yield contents
            contents = self.read()


def _body_bytes(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode()
    if hasattr(body, "read"):
        data = body.read()
        if hasattr(body, "seek"):
            body.seek(0)
        return data if isinstance(data, bytes) else str(data).encode()
    return bytes(body)


class _AsyncRawBody:
    """What aiobotocore reads a response body from: an awaitable `read()` (aiohttp's)."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    async def read(self) -> bytes:
        body, self._body = self._body, b""
        return body


def _http_request(request: Any) -> HttpRequest:
    """botocore's prepared request as the emulator's `HttpRequest`."""
    url = urlsplit(request.url)
    return HttpRequest(
        method=request.method,
        path=url.path,
        query=parse_qs(url.query, keep_blank_values=True),
        headers={k: v.decode() if isinstance(v, bytes) else v for k, v in request.headers.items()},
        body=_body_bytes(request.body),
    )


class _Sender:
    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator

    def __call__(self, request: Any, **_: Any) -> AWSResponse:
        response = self.emulator.handle(_http_request(request))
        return AWSResponse(request.url, response.status, response.headers, _RawBody(response.body))


class _AsyncSender:
    def __init__(self, emulator: Emulator, response_class: type[AWSResponse]) -> None:
        self.emulator = emulator
        self.response_class = response_class

    async def __call__(self, request: Any, **_: Any) -> AWSResponse:
        http_request = _http_request(request)
        response = await asyncio.to_thread(self.emulator.handle, http_request)
        return self.response_class(
            request.url, response.status, response.headers, _AsyncRawBody(response.body)
        )


def install(client: Any, emulator: Emulator) -> Any:
    """Answer every TwinMaker call `client` makes from `emulator`; returns the client."""
    client.meta.events.register(EVENT, _Sender(emulator), unique_id=f"twinkit-local-{id(client)}")
    return client


def install_async(client: Any, emulator: Emulator) -> Any:
    """Answer every TwinMaker call an aiobotocore `client` makes from `emulator`; returns it."""
    from aiobotocore.awsrequest import AioAWSResponse

    sender = _AsyncSender(emulator, AioAWSResponse)
    client.meta.events.register(EVENT, sender, unique_id=f"twinkit-local-{id(client)}")
    return client
