"""The emulator: one sans-IO request handler that both transports share."""

from __future__ import annotations

import logging
from typing import Any

from twinkit import models
from twinkit.errors import ValidationError
from twinkit.local._backends import load_all
from twinkit.local._clock import Clock, SystemClock
from twinkit.local._errors import ServiceFault, validation
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
from twinkit.models._base import trusted_input
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
    """

    def __init__(
        self,
        *,
        clock: Clock | None = None,
        region: str = "us-east-1",
        account_id: str = "123456789012",
        transition_delay: float = 0.1,
    ) -> None:
        self.clock: Clock = clock or SystemClock()
        self.region = region
        self.account_id = account_id
        self.transition_delay = transition_delay
        self.state = EmulatorState()
        self._router = Router()
        self._handlers = load_all()

    def handle(self, request: HttpRequest) -> HttpResponse:
        """Answer one HTTP request exactly as the service would."""
        route = self._router.match(request.method, request.path)
        if route is None:
            return write_unknown_operation(request.method, request.path)
        operation = route.operation
        try:
            wire = read_input(operation.input, route.labels, request)
            if operation.input is not None:
                problems = find_problems(wire, operation.input, _SERVICE_CHECKS)
                if problems:
                    raise validation(_validation_message(ValidationError(problems)))
                with trusted_input():
                    typed = converter.structure(wire, getattr(models, operation.input))
            else:
                typed = None
            result = self._call(operation.name, typed)
        except ServiceFault as fault:
            if fault.code not in operation.errors and fault.code != "ValidationException":
                fault = validation(fault.message)
            return write_error(fault)
        except ValidationError as error:
            return write_error(validation(_validation_message(error)))
        output = converter.unstructure(result) if result is not None else {}
        return write_output(operation.success_code, output)

    def _call(self, operation: str, request: Any) -> Any:
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
            )
            try:
                return handler(context, request)
            except ServiceFault:
                journal.rollback()
                raise
            except Exception as exc:
                journal.rollback()
                log.exception("twinkit.local failed on %s", operation)
                raise ServiceFault(
                    "InternalServerException", f"{type(exc).__name__}: {exc}"
                ) from exc
