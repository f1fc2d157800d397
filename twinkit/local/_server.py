"""The HTTP transport: the emulator's handler behind waitress, a production WSGI server.

This module owns turning a WSGI request into an `HttpRequest` (the path as received, still
percent-encoded; the query string; the headers; the body) and the emulator's `HttpResponse`
back into a WSGI response, and running waitress in a background thread (`ServerHandle`).

waitress gives HTTP/1.1 keep-alive, an idle timeout on every connection (a stalled client
holds no worker thread: the request is only handed to a worker once it has arrived whole),
a cap on connections and on the size of the request line, headers and body
(`ServerLimits`). Whatever a client sends, it gets a small REST-JSON error with
`x-amzn-ErrorType` (`_protocol.error_response`), never waitress's text pages: a garbage or
oversized request line, an unknown HTTP version, a TLS handshake on this plain-HTTP port,
too many or too large headers, an oversized body. It imports waitress, an optional
dependency (`pip install 'twinkit[local]'`).
"""

from __future__ import annotations

import contextlib
import logging
import math
import socket
import threading
from collections.abc import Iterable
from contextlib import AbstractAsyncContextManager
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, quote

try:
    from waitress.channel import HTTPChannel
    from waitress.parser import HTTPRequestParser
    from waitress.server import create_server
    from waitress.task import ErrorTask
    from waitress.utilities import BadRequest, Error, RequestEntityTooLarge
except ImportError as exc:  # pragma: no cover - exercised in a subprocess
    raise ImportError(
        "twinkit.local's HTTP server needs waitress: pip install 'twinkit[local]'",
        name=exc.name,
    ) from exc

import boto3
from botocore.config import Config

from twinkit.local._emulator import Emulator
from twinkit.local._limits import ServerLimits
from twinkit.local._protocol import HttpRequest, HttpResponse, error_response
from twinkit.local._sessions import aio_session, boto3_session

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment
    from aiobotocore.session import AioSession

    # Typing only (the `lint` extra installs it): the server needs no stub package at run time.
    from mypy_boto3_iottwinmaker import IoTTwinMakerClient

__all__ = ["DEFAULT_MAX_BODY_BYTES", "ServerHandle", "TwinMakerApp", "start"]

DEFAULT_MAX_BODY_BYTES = ServerLimits().max_body_bytes
"""The largest request body the server reads: 8 MiB (TwinMaker's own requests are far smaller)."""

log = logging.getLogger("twinkit.local.server")

_ERROR_CODES = {
    400: "BadRequestException",
    413: "RequestEntityTooLargeException",
    431: "RequestHeaderFieldsTooLargeException",
    500: "InternalServerException",
    501: "NotImplementedException",
    505: "HttpVersionNotSupportedException",
}
"""The `x-amzn-ErrorType` of each status waitress refuses a malformed request with."""
_MAX_MESSAGE_CHARS = 200
_CHUNK_FRAMING_ALLOWANCE = 64 * 1024


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def _raw_path(environ: WSGIEnvironment) -> str:
    """The path as the client sent it, percent-encoded, without the query string."""
    raw = environ.get("REQUEST_URI") or environ.get("RAW_URI")
    if raw:
        target = str(raw).split("?", 1)[0]
        if not target.startswith("/"):  # an absolute-form request target: http://host/path
            target = "/" + target.partition("://")[2].partition("/")[2]
    else:  # a WSGI server that does not pass the raw target on: re-encode the decoded path
        decoded = str(environ.get("PATH_INFO", "/")).encode("latin-1").decode("utf-8", "replace")
        target = quote(decoded, safe="/")
    # Anything not ASCII is percent-encoded, what is already is left alone.
    return quote(target, safe="/%!$&'()*+,;=:@-._~")


def _headers(environ: WSGIEnvironment) -> dict[str, str]:
    headers = {}
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            headers[key[5:].replace("_", "-").title()] = str(value)
    for key, name in (("CONTENT_TYPE", "Content-Type"), ("CONTENT_LENGTH", "Content-Length")):
        if environ.get(key):
            headers[name] = str(environ[key])
    return headers


def _too_large(limit: int, size: int | None) -> HttpResponse:
    what = "the request body" if size is None else f"the request body ({size} bytes)"
    message = (
        f"{what} is larger than the {limit} bytes twinkit.local accepts (see --max-body-bytes)"
    )
    return error_response(413, "RequestEntityTooLargeException", message)


class TwinMakerApp:
    """The WSGI application: every request is answered by `emulator.handle`.

    Args:
        emulator: The emulator answering; it may be replaced between requests.
        limits: The header-count and body-size limits it checks itself (the server checks
            them too, before the request reaches the application).
    """

    def __init__(self, emulator: Emulator, *, limits: ServerLimits | None = None) -> None:
        self.emulator = emulator
        self.limits = limits or ServerLimits()

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        method = str(environ.get("REQUEST_METHOD", "GET"))
        path = _raw_path(environ)
        answer = self.respond(environ, method, path)
        headers = dict(answer.headers)
        headers["Content-Length"] = str(len(answer.body))
        start_response(f"{answer.status} {_reason(answer.status)}", list(headers.items()))
        log.info(
            '%s "%s %s" %s %s',
            environ.get("REMOTE_ADDR", "-"),
            method,
            path[:_MAX_MESSAGE_CHARS],
            answer.status,
            len(answer.body),
        )
        return [answer.body]

    def _read_body(self, environ: WSGIEnvironment) -> bytes | HttpResponse:
        limit = self.limits.max_body_bytes
        try:
            declared = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return error_response(400, "BadRequestException", "Content-Length is not a number")
        if declared > limit:
            return self._too_large(declared)
        body = environ["wsgi.input"].read(declared) if declared else b""
        return bytes(body)

    def _too_large(self, size: int | None) -> HttpResponse:
        return _too_large(self.limits.max_body_bytes, size)

    def respond(self, environ: WSGIEnvironment, method: str, path: str) -> HttpResponse:
        """The response to one WSGI request."""
        headers = _headers(environ)
        if len(headers) > self.limits.max_headers:
            return error_response(
                431,
                "RequestHeaderFieldsTooLargeException",
                f"the request has {len(headers)} header fields; twinkit.local accepts at most "
                f"{self.limits.max_headers}",
            )
        body = self._read_body(environ)
        if isinstance(body, HttpResponse):
            return body
        http_request = HttpRequest(
            method=method,
            path=path,
            query=parse_qs(str(environ.get("QUERY_STRING", "")), keep_blank_values=True),
            headers=headers,
            body=body,
        )
        try:
            return self.emulator.handle(http_request)
        except Exception as exc:
            log.exception("twinkit.local failed on %s %s", method, path[:_MAX_MESSAGE_CHARS])
            return error_response(500, "InternalServerException", f"{type(exc).__name__}: {exc}")


class _Parser(HTTPRequestParser):  # type: ignore[misc]  # waitress is untyped
    """waitress's parser, refusing a TLS handshake at once instead of waiting for a header end
    that never comes (the client would wait for a ServerHello until the idle timeout)."""

    def received(self, data: bytes) -> int:
        if not self.header_plus and not self.header_bytes_received and data[:1] == b"\x16":
            self.parse_header(b"GET / HTTP/1.0\r\n")
            self.error = BadRequest(
                "this is a TLS handshake, but twinkit.local serves plain HTTP: use http://"
            )
            self.completed = True
            return len(data)
        consumed: int = super().received(data)
        limit = self.adj.max_request_body_size - _CHUNK_FRAMING_ALLOWANCE
        if not self.completed and not self.chunked and self.content_length > limit:
            # Refused on the headers alone, before any of the body is waited for.
            self.error = RequestEntityTooLarge(f"exceeds max_body of {limit}")
            self.completed = True
        if self.completed and self.error is None and self.version not in ("1.0", "1.1"):
            # waitress would answer it as HTTP/1.0; the version is refused instead.
            self.error = _VersionNotSupported(f"HTTP/{self.version[:10]}; use HTTP/1.1")
        return consumed


class _VersionNotSupported(Error):  # type: ignore[misc]  # waitress is untyped
    code = 505
    reason = "HTTP Version Not Supported"


class _ErrorTask(ErrorTask):  # type: ignore[misc]  # waitress is untyped
    """waitress's answer to a malformed request, as a REST-JSON error instead of a text page."""

    def execute(self) -> None:
        error = self.request.error
        status = int(error.code)
        message = f"{error.reason}: {error.body}"[:_MAX_MESSAGE_CHARS]
        if status == 413:  # the same words as the application's own check
            limit = self.channel.server.adj.max_request_body_size - _CHUNK_FRAMING_ALLOWANCE
            declared = int(self.request.content_length or 0)
            response = _too_large(limit, declared if declared > limit else None)
        else:
            code = _ERROR_CODES.get(status, "BadRequestException")
            response = error_response(status, code, message)
        self.status = f"{status} {error.reason}"
        self.response_headers.extend(response.headers.items())
        self.set_close_on_finish()
        self.content_length = len(response.body)
        self.write(response.body)
        log.info('%s "malformed request" %s %s', self.channel.addr[0], status, message)


class _Channel(HTTPChannel):  # type: ignore[misc]  # waitress is untyped
    parser_class = _Parser
    error_task_class = _ErrorTask


class ServerHandle:
    """A running server: its `url`, the `emulator` it serves, and `stop()`.

    Use it as a context manager to stop it on leaving the block. `emulator` may be
    replaced while it runs (the next request is answered by the new one).
    """

    def __init__(self, server: Any, app: TwinMakerApp, *, owns_emulator: bool = False) -> None:
        self._server = server
        self._app = app
        self._owned: Emulator | None = app.emulator if owns_emulator else None
        self._stopped = False
        self._lock = threading.Lock()
        address = server.socket.getsockname()
        self._host, self._port = str(address[0]), int(address[1])
        self._thread = threading.Thread(
            target=self._run,
            name=f"twinkit.local server {self.url}",
            daemon=True,
        )

    def _run(self) -> None:
        # waitress's loop ends by raising once the server is closed under it: that is stopping.
        with contextlib.suppress(OSError, ValueError):
            self._server.run()

    def _close_all(self) -> None:
        sockets = self._server._map
        while sockets:
            for dispatcher in list(sockets.values()):
                with contextlib.suppress(OSError):
                    if isinstance(dispatcher, HTTPChannel):
                        dispatcher.handle_close()  # also wakes a worker waiting to write
                    else:
                        dispatcher.close()

    @property
    def host(self) -> str:
        """The address the server listens on."""
        return self._host

    @property
    def port(self) -> int:
        """The port the server listens on (the one picked, when started with port 0)."""
        return self._port

    @property
    def url(self) -> str:
        """The endpoint URL, e.g. `http://127.0.0.1:4566`."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def emulator(self) -> Emulator:
        """The emulator answering the requests."""
        return self._app.emulator

    @emulator.setter
    def emulator(self, emulator: Emulator) -> None:
        self._app.emulator = emulator

    @property
    def running(self) -> bool:
        """Whether the server still accepts requests."""
        return self._thread.is_alive()

    def client(
        self, *, session: boto3.session.Session | None = None, **kwargs: Any
    ) -> IoTTwinMakerClient:
        """A boto3 `iottwinmaker` client pointed at this server, over HTTP.

        Host prefixes (`api.`, `data.`) are off (`Config(inject_host_prefix=False)`).

        Args:
            session: The boto3 session to build it from; a session with the emulator's first
                access key (dummy credentials when it has none) and region by default.
            **kwargs: Passed to `session.client`; a `config` is merged over the default one.
        """
        if session is None:
            session = boto3_session(*self.emulator.credentials(), self.emulator.region)
        config = Config(inject_host_prefix=False, retries={"mode": "standard"})
        if "config" in kwargs:
            config = config.merge(kwargs.pop("config"))
        kwargs.setdefault("endpoint_url", self.url)
        client: IoTTwinMakerClient = session.client("iottwinmaker", config=config, **kwargs)
        return client

    def aio_client(
        self, *, session: AioSession | None = None, **kwargs: Any
    ) -> AbstractAsyncContextManager[Any]:
        """An aiobotocore `iottwinmaker` client pointed at this server, over HTTP.

        Use it as `async with server.aio_client() as client:`. Host prefixes are off, as
        with `client()`. Needs aiobotocore (`pip install 'twinkit[aio]'`).

        Args:
            session: The aiobotocore session to build it from; by default a new `AioSession`,
                with the emulator's first access key (dummy credentials when it has none) and
                region.
            **kwargs: Passed to `session.create_client`; a `config` is merged over the default.
        """
        from aiobotocore.config import AioConfig

        if session is None:
            session = aio_session()
            key_id, secret = self.emulator.credentials()
            kwargs.setdefault("aws_access_key_id", key_id)
            kwargs.setdefault("aws_secret_access_key", secret)
            kwargs.setdefault("region_name", self.emulator.region)
        config = AioConfig(inject_host_prefix=False, retries={"mode": "standard"})
        if "config" in kwargs:
            config = config.merge(kwargs.pop("config"))
        kwargs.setdefault("endpoint_url", self.url)
        creating: AbstractAsyncContextManager[Any] = session.create_client(
            "iottwinmaker", config=config, **kwargs
        )
        return creating

    def start(self) -> ServerHandle:
        """Start serving in the background thread; returns the handle."""
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop accepting requests and close the listening socket; idempotent.

        Requests being answered are finished by their own threads. An emulator that `serve()`
        made from options is closed too (its state file, if any).
        """
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
        # The worker threads finish the requests they are answering and stop; then every
        # socket of waitress's map (the listener, the connections, its wake-up pipe) is
        # closed from the loop's own thread, woken at once: an empty map ends the loop.
        self._server.task_dispatcher.shutdown(timeout=timeout)
        if self._thread.is_alive():
            # The loop may be ending on its own meanwhile and have closed its wake-up pipe
            # (seen once in CI: EBADF at teardown); then there is nothing left to wake.
            with contextlib.suppress(OSError):
                self._server.trigger.pull_trigger(self._close_all)
            self._thread.join(timeout)
        self._close_all()
        if self._owned is not None:  # serve() made it: its state file is ours to close
            self._owned.close()

    def __enter__(self) -> ServerHandle:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"<ServerHandle {self.url} {state}>"


def start(
    emulator: Emulator,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    limits: ServerLimits | None = None,
    owns_emulator: bool = False,
) -> ServerHandle:
    """Start a waitress server answering with `emulator`, in background threads.

    Args:
        emulator: The emulator answering.
        host: The address to listen on.
        port: The port to listen on; 0 picks a free one.
        limits: Timeouts and caps (`ServerLimits()` by default).
        owns_emulator: Close `emulator` when the server stops.

    Raises:
        OSError: When the server cannot listen on `host` and `port`.
    """
    limits = limits or ServerLimits()
    app = TwinMakerApp(emulator, limits=limits)
    try:
        server = _create_server(app, host, port, limits)
    except OSError as exc:
        raise OSError(f"twinkit.local cannot listen on {host}:{port}: {exc.strerror}") from exc
    server.channel_class = _Channel
    return ServerHandle(server, app, owns_emulator=owns_emulator).start()


def _create_server(app: TwinMakerApp, host: str, port: int, limits: ServerLimits) -> Any:
    # Bound here, so that a busy port fails before waitress starts threads and opens pipes.
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.create_server((host, port), family=family, backlog=1024)
    idle = max(1, math.ceil(limits.idle_timeout))
    return create_server(
        app,
        sockets=[listener],
        threads=limits.threads,
        connection_limit=limits.max_connections,
        channel_timeout=idle,
        # How often idle connections are looked for: a stalled one is closed within
        # idle_timeout plus this.
        cleanup_interval=max(1, min(idle, 5)),
        max_request_header_size=limits.max_header_bytes,
        # waitress counts a chunked body's framing too, and refuses `>= max_request_body_size`:
        # the allowance lets the application check the decoded size exactly (`_read_body`).
        max_request_body_size=limits.max_body_bytes + _CHUNK_FRAMING_ALLOWANCE,
        ident="twinkit.local",
        expose_tracebacks=False,
        clear_untrusted_proxy_headers=True,
    )
