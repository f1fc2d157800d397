"""The emulator: one sans-IO request handler that both transports share.

A request goes: injected latency and throttling (`_faults`) -> route -> read the input ->
validate it against the service model -> structure it (unless the operation has a fast path
taking the wire request, `handles_wire`) -> the backend, inside the state lock and a
`Journal` -> an injected error, if any (rolled back) -> the persistent store, if any (one
transaction; rolled back in memory if it fails) -> the response.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import boto3
from botocore.config import Config

from twinkit import models
from twinkit.errors import ValidationError
from twinkit.local._backends import WIRE_HANDLERS, Handler, load_all
from twinkit.local._clock import Clock, SystemClock
from twinkit.local._errors import ServiceFault, validation
from twinkit.local._faults import FaultInjector, Faults, InjectedFault, ScriptedFailures
from twinkit.local._inprocess import EVENT, install, install_async
from twinkit.local._persistence import SqliteStore
from twinkit.local._protocol import (
    HttpRequest,
    HttpResponse,
    read_input,
    write_error,
    write_output,
    write_unknown_operation,
)
from twinkit.local._routes import Router
from twinkit.local._sessions import aio_session, boto3_session
from twinkit.local._sigv4 import AuthFailure, check_signature, refusal
from twinkit.local._state import Context, EmulatorState, Journal
from twinkit.wire import Checks, converter, find_problems

if TYPE_CHECKING:
    # Typing only (the `lint` extra installs it): the emulator needs no stub package at run time.
    from aiobotocore.session import AioSession
    from mypy_boto3_iottwinmaker import IoTTwinMakerClient

__all__ = ["Emulator"]

log = logging.getLogger("twinkit.local")

_SERVICE_CHECKS = Checks(constraints=True, enums=True)


MAX_PROBLEMS_LISTED = 20
"""A ValidationException lists at most this many problems, then says how many more there are,
so that a large bad body cannot make a larger error response."""
_MAX_PROBLEM_CHARS = 300


def _shorten(text: str) -> str:
    return text if len(text) <= _MAX_PROBLEM_CHARS else text[: _MAX_PROBLEM_CHARS - 3] + "..."


def _validation_message(error: ValidationError) -> str:
    count = len(error.problems)
    listed = error.problems[:MAX_PROBLEMS_LISTED]
    details = "; ".join(_shorten(f"{p.wire_path or 'request'}: {p.message}") for p in listed)
    if count > len(listed):
        details += f"; and {count - len(listed)} more"
    noun = "error" if count == 1 else "errors"
    return f"{count} validation {noun} detected: {details}"


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


@asynccontextmanager
async def _answered_by(creating: Any, emulator: Emulator) -> AsyncIterator[Any]:
    """Enter aiobotocore's client-making context manager `creating`, and have the client it
    makes answered by `emulator`."""
    async with creating as client:
        client.meta.events.register_first(EVENT, _fill_host_header)
        install_async(client, emulator)
        yield client


class Emulator:
    """A faithful, in-memory AWS IoT TwinMaker: one handler for every transport.

    Hand boto3 clients to it with `client()` (answered in-process), or serve it over HTTP
    with `twinkit.local.serve(emulator=...)`.

    Args:
        clock: Where time comes from; a `ManualClock` lets tests move it by hand.
        region: The region in ARNs.
        account_id: The account in ARNs.
        transition_delay: Seconds a resource stays CREATING, UPDATING or DELETING.
        faults: Latency and failures to inject (see `Faults`); none by default.
        state_file: A twinkit state file to keep the state in across restarts (created,
            mode 0600, when missing); in memory only by default. Call `close()` when done.
        access_keys: Access key id -> secret access key. When given, every request must be
            SigV4-signed by one of them, dated within 15 minutes of the wall clock, or it is
            refused as the service refuses it (403, `MissingAuthenticationTokenException`,
            `UnrecognizedClientException`, `InvalidSignatureException`). Off (any or no
            signature accepted) by default.
        _wire_fast_paths: False answers every operation through its typed handler, the
            fast paths that take the wire request (`handles_wire`) left out: for the tests
            that prove both answer alike, and the benchmark that weighs them. Private.

    Raises:
        StateFileError: When `state_file` is held by another emulator or is not a state file.
    """

    def __init__(
        self,
        *,
        clock: Clock | None = None,
        region: str = "us-east-1",
        account_id: str = "123456789012",
        transition_delay: float = 0.1,
        faults: Faults | None = None,
        state_file: str | os.PathLike[str] | None = None,
        access_keys: Mapping[str, str] | None = None,
        _wire_fast_paths: bool = True,
    ) -> None:
        self.clock: Clock = clock or SystemClock()
        self.region = region
        self.account_id = account_id
        self.transition_delay = transition_delay
        self.state = EmulatorState()
        self._router = Router()
        self._handlers = load_all()
        self._wire_handlers = dict(WIRE_HANDLERS) if _wire_fast_paths else {}
        self._injector = FaultInjector(faults)
        self._scripted = ScriptedFailures()
        self.access_keys: dict[str, str] = dict(access_keys or {})
        self._store: SqliteStore | None = None
        if state_file is not None:
            store = SqliteStore(state_file)
            try:
                store.load(self.state)
            except BaseException:
                store.close()  # a refused file leaves no connection behind
                raise
            self._store = store

    @property
    def faults(self) -> Faults:
        """The faults injected; set a new `Faults` to change them (its dice start afresh)."""
        return self._injector.faults

    @faults.setter
    def faults(self, faults: Faults) -> None:
        self._injector = FaultInjector(faults)

    def fail_next(
        self,
        code: str,
        message: str = "Failure scripted by twinkit.local",
        *,
        operation: str | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next request (of `operation`, if given) with the service error `code`.

        For tests of error handling: any error code of the service model can be scripted,
        and the failed request changes nothing.

        Args:
            code: An error code of the model, e.g. `AccessDeniedException`.
            message: The error's message.
            operation: Only fail a request of this operation (`GetEntity`); any when None.
            times: How many requests to fail.

        Raises:
            ValueError: `code` is not an error of the service model, or `times` < 1.
        """
        self._scripted.add(code, message, operation, times)

    @property
    def state_file(self) -> str | None:
        """The SQLite file the state is kept in, or None (in memory only)."""
        return None if self._store is None else self._store.path

    def close(self) -> None:
        """Close the state file, if any (idempotent); the in-memory state stays readable."""
        if self._store is not None:
            self._store.close()

    def credentials(self) -> tuple[str, str]:
        """An access key id and secret this emulator accepts: its first access key, or dummies."""
        return next(iter(self.access_keys.items()), _DUMMY_KEY)

    def client(
        self, *, session: boto3.session.Session | None = None, **kwargs: Any
    ) -> IoTTwinMakerClient:
        """A boto3 `iottwinmaker` client answered by this emulator, in-process.

        Args:
            session: The boto3 session to build it from; a session with this emulator's
                first access key (dummy credentials when it has none) and its region by
                default.
            **kwargs: Passed to `session.client` (`config`, `region_name`, ...).
        """
        if session is None:
            session = boto3_session(*self.credentials(), self.region)
        kwargs.setdefault("config", Config(retries={"mode": "standard"}))
        client: IoTTwinMakerClient = session.client("iottwinmaker", **kwargs)
        client.meta.events.register_first(EVENT, _fill_host_header)
        install(client, self)
        return client

    def aio_client(
        self, *, session: AioSession | None = None, **kwargs: Any
    ) -> AbstractAsyncContextManager[Any]:
        """An aiobotocore `iottwinmaker` client answered by this emulator, in-process.

        Use it as `async with emulator.aio_client() as client:` (aiobotocore clients are
        async context managers). Each request is answered in a worker thread
        (`asyncio.to_thread`), so that the event loop runs on during injected latency and
        concurrent calls overlap, as many at once as the event loop's default executor has
        threads (`min(32, CPUs + 4)` unless the loop was given another). Needs aiobotocore
        (`pip install 'twinkit[aio]'`).

        Args:
            session: The aiobotocore session to build it from; by default a new `AioSession`,
                with this emulator's first access key (dummy credentials when it has none)
                and its region.
            **kwargs: Passed to `session.create_client` (`config`, `region_name`, ...).
        """
        from aiobotocore.config import AioConfig

        if session is None:
            session = aio_session()
            key_id, secret = self.credentials()
            kwargs.setdefault("aws_access_key_id", key_id)
            kwargs.setdefault("aws_secret_access_key", secret)
            kwargs.setdefault("region_name", self.region)
        kwargs.setdefault("config", AioConfig(retries={"mode": "standard"}))
        return _answered_by(session.create_client("iottwinmaker", **kwargs), self)

    def handle(self, request: HttpRequest) -> HttpResponse:
        """Answer one HTTP request exactly as the service would: its signature first, when
        the emulator has `access_keys`, then faults, routing, validation and the backend."""
        if self.access_keys:
            try:
                # The wall clock, not `self.clock`: clients sign with real time, and a
                # ManualClock moves resources' lifecycles, not the signer's clock.
                check_signature(request, self.access_keys, self.region, datetime.now(timezone.utc))
            except AuthFailure as failure:
                return refusal(failure)
        injector = self._injector
        injector.delay()
        throttled = injector.throttle()
        if throttled is not None:
            return write_error(throttled)
        route = self._router.match(request.method, request.path)
        if route is None:
            return write_unknown_operation(request.method, request.path)
        operation = route.operation
        scripted = self._scripted.take(operation.name)
        if scripted is not None:
            return write_error(scripted)
        try:
            wire = read_input(operation.input, route.labels, request)
            handler = self._wire_handlers.get(operation.name)
            given: Any = wire
            if operation.input is not None:
                problems = find_problems(wire, operation.input, _SERVICE_CHECKS)
                if problems:
                    raise validation(_validation_message(ValidationError(problems)))
                if handler is None:
                    given = converter.structure_unchecked(wire, getattr(models, operation.input))
            else:
                given = None
            if handler is None:
                handler = self._handlers.get(operation.name)
            if handler is None:
                raise validation(f"twinkit.local does not implement {operation.name} yet")
            result = self._call(operation.name, handler, given, injector)
        except ServiceFault as fault:
            known = fault.code in operation.errors or fault.code == "ValidationException"
            if not known and not isinstance(fault, InjectedFault):
                fault = validation(fault.message)
            return write_error(fault)
        except ValidationError as error:
            return write_error(validation(_validation_message(error)))
        output = converter.unstructure(result) if result is not None else {}
        return write_output(operation.success_code, output)

    def _call(self, operation: str, handler: Handler, request: Any, injector: FaultInjector) -> Any:
        with self.state.lock:
            journal = Journal()
            context = Context(
                state=self.state,
                journal=journal,
                now=self.clock.now(),
                clock=self.clock,
                region=self.region,
                account_id=self.account_id,
                transition_delay=self.transition_delay,
                entry_fails=injector.entry_fails,
            )
            try:
                result = handler(context, request)
                injected = injector.error()
                if injected is not None:
                    raise injected
                if self._store is not None:
                    self._store.commit(journal.touched)
                return result
            except ServiceFault:
                self._undo(journal)
                raise
            except Exception as exc:
                self._undo(journal)
                log.exception("twinkit.local failed on %s", operation)
                raise ServiceFault(
                    "InternalServerException", f"{type(exc).__name__}: {exc}"
                ) from exc

    def _undo(self, journal: Journal) -> None:
        journal.rollback()
        if self._store is not None and self._store.stale:
            self._store.reindex(self.state)
