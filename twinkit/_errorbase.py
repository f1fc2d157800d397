"""The hand-written roots of twinkit's exception tree; import them from `twinkit.errors`.

The classes for the service's own error codes are generated from the model's error shapes
(`twinkit._generated.errors`) on top of `ServiceError`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

__all__ = [
    "Problem",
    "ResourceFailedError",
    "ServiceError",
    "TransportError",
    "TwinkitError",
    "ValidationError",
    "WaitTimeoutError",
]


class TwinkitError(Exception):
    """Base class of every error twinkit raises."""


class Problem(NamedTuple):
    """One thing wrong with a value, and where.

    Attributes:
        path: Where, in Python names, rooted at the model class:
            `CreateEntityRequest.components['pump'].properties['rpm'].value`.
        wire_path: The same place in the API's own (camelCase) names, without the root:
            `components['pump'].properties['rpm'].value`. The emulator reports this one,
            because its clients are not all written in Python.
        message: What was expected and what was found: `expected exactly one member, got 2`.
    """

    path: str
    wire_path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class ValidationError(TwinkitError, ValueError):
    """A value breaks the service model's rules: every problem found, each with its path.

    Raised when a request model is constructed with values the service would reject, when a
    union is given other than exactly one member, and when wire data cannot be converted
    to a model. All problems are collected before raising, so one error names every bad field.

    Attributes:
        problems: What is wrong, in the order found.
    """

    problems: tuple[Problem, ...]

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def paths(self) -> tuple[str, ...]:
        """The Python paths of every problem, in order."""
        return tuple(p.path for p in self.problems)

    def __reduce__(self) -> tuple[type[ValidationError], tuple[tuple[Problem, ...]]]:
        return (type(self), (self.problems,))


class ServiceError(TwinkitError):
    """The service answered a request with an error.

    Attributes:
        code: The service's error code (`ResourceNotFoundException`).
        message: The service's message.
        status_code: The HTTP status of the response.
        request_id: The request id, for AWS support (None if the response had none).
        operation: The operation that failed (`GetEntity`).
    """

    retryable: bool = False
    """True when trying the same request again later may succeed."""

    def __init__(
        self,
        message: str,
        *,
        code: str,
        status_code: int | None = None,
        request_id: str | None = None,
        operation: str | None = None,
    ) -> None:
        super().__init__(f"{operation or 'request'} failed: {code}: {message}")
        self.code = code
        self.message = message
        self.status_code = status_code
        self.request_id = request_id
        self.operation = operation

    def __reduce__(self) -> tuple[object, ...]:
        return (
            _rebuild_service_error,
            (
                type(self),
                self.message,
                self.code,
                self.status_code,
                self.request_id,
                self.operation,
            ),
        )


def _rebuild_service_error(
    cls: type[ServiceError],
    message: str,
    code: str,
    status_code: int | None,
    request_id: str | None,
    operation: str | None,
) -> ServiceError:
    return cls(
        message, code=code, status_code=status_code, request_id=request_id, operation=operation
    )


class TransportError(TwinkitError):
    """No response arrived: the connection failed, timed out or was refused."""


class ResourceFailedError(TwinkitError):
    """A resource being waited on reached the ERROR state.

    Attributes:
        resource: What failed (`entity pump-1 in workspace factory`).
        error_code: The service's error code for the failure, if it gave one.
        error_message: The service's message for the failure, if it gave one.
    """

    def __init__(self, resource: str, error_code: str | None, error_message: str | None) -> None:
        detail = ": ".join(x for x in (error_code, error_message) if x)
        super().__init__(f"{resource} failed" + (f": {detail}" if detail else ""))
        self.resource = resource
        self.error_code = error_code
        self.error_message = error_message


class WaitTimeoutError(TwinkitError, TimeoutError):
    """A waiter gave up before the resource reached the state waited for.

    Attributes:
        resource: What was waited on.
        last_state: The last state seen (None if the resource was never seen).
        waited: Seconds waited.
    """

    def __init__(self, resource: str, last_state: str | None, waited: float) -> None:
        super().__init__(
            f"gave up waiting for {resource} after {waited:.1f}s (last state: {last_state})"
        )
        self.resource = resource
        self.last_state = last_state
        self.waited = waited
