"""The HTTP transport: a WSGI app on werkzeug that answers with the emulator's handler.

This module owns turning a werkzeug request into an `HttpRequest` (the path as received,
still percent-encoded; the query string; the headers; the body, refused with a 413 past a
size limit before it is read whole) and the emulator's `HttpResponse` back into a WSGI
response, and running werkzeug's threaded server in a background thread (`ServerHandle`).
It imports werkzeug, an optional dependency (`pip install 'twinkit[local]'`).
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Iterable
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

try:
    from werkzeug.exceptions import ClientDisconnected, RequestEntityTooLarge
    from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
    from werkzeug.wrappers import Request, Response
except ImportError as exc:  # pragma: no cover - exercised in a subprocess
    raise ImportError(
        "twinkit.local's HTTP server needs werkzeug: pip install 'twinkit[local]'",
        name=exc.name,
    ) from exc

import boto3
from botocore.config import Config

from twinkit._service import ERROR_TYPE_HEADER, error_body
from twinkit.local import Emulator
from twinkit.local._protocol import HttpRequest, HttpResponse

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

__all__ = ["DEFAULT_MAX_BODY_BYTES", "ServerHandle", "TwinMakerApp", "start"]

DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024
"""The largest request body the server reads: 8 MiB (TwinMaker's own requests are far smaller)."""

log = logging.getLogger("twinkit.local.server")


def _json_error(status: int, code: str, message: str) -> Response:
    headers = {"x-amzn-RequestId": str(uuid.uuid4()), ERROR_TYPE_HEADER: code}
    body = error_body(message)
    return Response(body, status=status, headers=headers, content_type="application/json")


def _raw_path(environ: WSGIEnvironment) -> str:
    """The path as the client sent it, percent-encoded, without the query string."""
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if raw:
        target = str(raw).split("?", 1)[0]
        if not target.startswith("/"):  # an absolute-form request target: http://host/path
            target = "/" + target.partition("://")[2].partition("/")[2]
    else:  # a WSGI server that does not pass the raw target on: re-encode the decoded path
        decoded = str(environ.get("PATH_INFO", "/")).encode("latin-1").decode("utf-8", "replace")
        target = quote(decoded, safe="/")
    # Anything not ASCII is percent-encoded, what is already is left alone.
    return quote(target, safe="/%!$&'()*+,;=:@-._~")


class TwinMakerApp:
    """The WSGI application: every request is answered by `emulator.handle`.

    Args:
        emulator: The emulator answering; it may be replaced between requests.
        max_body_bytes: Bodies larger than this are refused with a 413 (JSON message)
            before they are read.
    """

    def __init__(self, emulator: Emulator, *, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
        if max_body_bytes < 0:
            raise ValueError(f"max_body_bytes must be >= 0, got {max_body_bytes}")
        self.emulator = emulator
        self.max_body_bytes = max_body_bytes

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        return self.respond(Request(environ))(environ, start_response)

    def _too_large(self, size: int | None) -> Response:
        what = "the request body" if size is None else f"the request body ({size} bytes)"
        message = (
            f"{what} is larger than the {self.max_body_bytes} bytes twinkit.local accepts "
            "(see --max-body-bytes)"
        )
        return _json_error(413, "RequestEntityTooLargeException", message)

    def _read_body(self, request: Request) -> bytes | Response:
        """The body, or the error response; never reads much past the limit."""
        size = request.content_length
        if size is not None and size > self.max_body_bytes:
            return self._too_large(size)
        # A chunked body has no length: werkzeug stops reading it at max_content_length.
        # One byte more than the limit tells "exactly the limit" from "more".
        request.max_content_length = self.max_body_bytes + 1
        chunks: list[bytes] = []
        total = 0
        try:
            while chunk := request.stream.read(64 * 1024):
                total += len(chunk)
                if total > self.max_body_bytes:
                    return self._too_large(None)
                chunks.append(chunk)
        except RequestEntityTooLarge:
            return self._too_large(None)
        except ClientDisconnected:
            message = "the client disconnected before sending the whole request body"
            return _json_error(400, "BadRequestException", message)
        return b"".join(chunks)

    def respond(self, request: Request) -> Response:
        """The response to one werkzeug request."""
        body = self._read_body(request)
        if isinstance(body, Response):
            return body
        path = _raw_path(request.environ)
        http_request = HttpRequest(
            method=request.method,
            path=path,
            query=dict(request.args.lists()),
            headers=dict(request.headers.items()),
            body=body,
        )
        try:
            answer: HttpResponse = self.emulator.handle(http_request)
        except Exception as exc:
            log.exception("twinkit.local failed on %s %s", request.method, path)
            return _json_error(500, "InternalServerException", f"{type(exc).__name__}: {exc}")
        response = Response(answer.body, status=answer.status)
        response.headers.clear()
        for name, value in answer.headers.items():
            response.headers[name] = value
        response.headers["Content-Length"] = str(len(answer.body))
        return response


class _RequestHandler(WSGIRequestHandler):
    """werkzeug's handler, logging to `twinkit.local.server` instead of werkzeug's logger."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        log.info('%s "%s %s" %s %s', self.address_string(), self.command, self.path, code, size)

    def log(self, type: str, message: str, *args: Any) -> None:
        level = logging.ERROR if type == "error" else logging.INFO
        log.log(level, message.rstrip("\n"), *args)


class ServerHandle:
    """A running server: its `url`, the `emulator` it serves, and `stop()`.

    Use it as a context manager to stop it on leaving the block. `emulator` may be
    replaced while it runs (the next request is answered by the new one).
    """

    def __init__(
        self, server: BaseWSGIServer, app: TwinMakerApp, *, owns_emulator: bool = False
    ) -> None:
        self._server = server
        self._app = app
        self._owned: Emulator | None = app.emulator if owns_emulator else None
        self._stopped = False
        self._lock = threading.Lock()
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"twinkit.local server {self.url}",
            daemon=True,
        )

    @property
    def host(self) -> str:
        """The address the server listens on."""
        return str(self._server.host)

    @property
    def port(self) -> int:
        """The port the server listens on (the one picked, when started with port 0)."""
        return int(self._server.port)

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

    def client(self, *, session: boto3.session.Session | None = None, **kwargs: Any) -> Any:
        """A boto3 `iottwinmaker` client pointed at this server, over HTTP.

        Host prefixes (`api.`, `data.`) are off (`Config(inject_host_prefix=False)`).

        Args:
            session: The boto3 session to build it from; a session with the emulator's first
                access key (dummy credentials when it has none) and region by default.
            **kwargs: Passed to `session.client`; a `config` is merged over the default one.
        """
        if session is None:
            key_id, secret = self.emulator.credentials()
            session = boto3.session.Session(
                aws_access_key_id=key_id,
                aws_secret_access_key=secret,
                region_name=self.emulator.region,
            )
        config = Config(inject_host_prefix=False, retries={"mode": "standard"})
        if "config" in kwargs:
            config = config.merge(kwargs.pop("config"))
        kwargs.setdefault("endpoint_url", self.url)
        return session.client("iottwinmaker", config=config, **kwargs)

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
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join(timeout)
        self._server.server_close()
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
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    owns_emulator: bool = False,
) -> ServerHandle:
    """Start a threaded werkzeug server answering with `emulator`, in a background thread.

    Args:
        emulator: The emulator answering.
        host: The address to listen on.
        port: The port to listen on; 0 picks a free one.
        max_body_bytes: Larger request bodies are refused with a 413.
        owns_emulator: Close `emulator` when the server stops.

    Raises:
        OSError: When the server cannot listen on `host` and `port`.
    """
    app = TwinMakerApp(emulator, max_body_bytes=max_body_bytes)
    try:
        server = make_server(host, port, app, threaded=True, request_handler=_RequestHandler)
    except SystemExit:  # werkzeug prints why (e.g. the port is in use) and exits
        raise OSError(f"twinkit.local cannot listen on {host}:{port}") from None
    return ServerHandle(server, app, owns_emulator=owns_emulator).start()
