"""The in-process transport: a botocore `before-send` handler, no sockets.

Every call still goes through botocore's real parameter validation, serialization, signing,
retries and response parsing; only the bytes on the wire are answered by the emulator.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from botocore.awsrequest import AWSResponse

from twinkit.local._protocol import HttpRequest

if TYPE_CHECKING:
    from twinkit.local._emulator import Emulator

__all__ = ["install"]

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


class _Sender:
    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator

    def __call__(self, request: Any, **_: Any) -> AWSResponse:
        url = urlsplit(request.url)
        http_request = HttpRequest(
            method=request.method,
            path=url.path,
            query=parse_qs(url.query, keep_blank_values=True),
            headers={
                k: v.decode() if isinstance(v, bytes) else v for k, v in request.headers.items()
            },
            body=_body_bytes(request.body),
        )
        response = self.emulator.handle(http_request)
        return AWSResponse(request.url, response.status, response.headers, _RawBody(response.body))


def install(client: Any, emulator: Emulator) -> Any:
    """Answer every TwinMaker call `client` makes from `emulator`; returns the client."""
    client.meta.events.register(EVENT, _Sender(emulator), unique_id=f"twinkit-local-{id(client)}")
    return client
