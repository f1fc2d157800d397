"""The emulator: one sans-IO request handler that both transports share.

A request goes: injected latency and throttling (`_faults`) -> route -> read the input ->
validate it against the service model -> structure it -> the backend, inside the state lock and
a `Journal` -> an injected error, if any (rolled back) -> the persistent store, if any (one
transaction; rolled back in memory if it fails) -> the response.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from twinkit import models
from twinkit.errors import ValidationError
from twinkit.local._backends import load_all
from twinkit.local._clock import Clock, SystemClock
from twinkit.local._errors import ServiceFault, validation
from twinkit.local._faults import FaultInjector, Faults, InjectedFault, ScriptedFailures
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
from twinkit.local._state import Context, EmulatorState, Journal
from twinkit.wire import Checks, converter, find_problems

__all__ = ["Emulator"]

log = logging.getLogger("twinkit.local")

_SERVICE_CHECKS = Checks(constraints=True, enums=True)


def _validation_message(error: ValidationError) -> str:
    count = len(error.problems)
    details = "; ".join(f"{p.wire_path or 'request'}: {p.message}" for p in error.problems)
    noun = "error" if count == 1 else "errors"
    return f"{count} validation {noun} detected: {details}"


class Emulator:
    """A faithful, in-memory AWS IoT TwinMaker: one handler for every transport.

    Args:
        clock: Where time comes from; a `ManualClock` lets tests move it by hand.
        region: The region in ARNs.
        account_id: The account in ARNs.
        transition_delay: Seconds a resource stays CREATING, UPDATING or DELETING.
        faults: Latency and failures to inject (see `Faults`); none by default.
        state_file: A SQLite file to keep the state in across restarts (created when
            missing); in memory only by default. Call `close()` when done with it.

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
    ) -> None:
        self.clock: Clock = clock or SystemClock()
        self.region = region
        self.account_id = account_id
        self.transition_delay = transition_delay
        self.state = EmulatorState()
        self._router = Router()
        self._handlers = load_all()
        self._injector = FaultInjector(faults)
        self._scripted = ScriptedFailures()
        self._store: SqliteStore | None = None
        if state_file is not None:
            self._store = SqliteStore(state_file)
            self._store.load(self.state)

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

    def handle(self, request: HttpRequest) -> HttpResponse:
        """Answer one HTTP request exactly as the service would (faults included)."""
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
            if operation.input is not None:
                problems = find_problems(wire, operation.input, _SERVICE_CHECKS)
                if problems:
                    raise validation(_validation_message(ValidationError(problems)))
                typed = converter.structure_unchecked(wire, getattr(models, operation.input))
            else:
                typed = None
            result = self._call(operation.name, typed, injector)
        except ServiceFault as fault:
            known = fault.code in operation.errors or fault.code == "ValidationException"
            if not known and not isinstance(fault, InjectedFault):
                fault = validation(fault.message)
            return write_error(fault)
        except ValidationError as error:
            return write_error(validation(_validation_message(error)))
        output = converter.unstructure(result) if result is not None else {}
        return write_output(operation.success_code, output)

    def _call(self, operation: str, request: Any, injector: FaultInjector) -> Any:
        handler = self._handlers.get(operation)
        if handler is None:
            raise validation(f"twinkit.local does not implement {operation} yet")
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
