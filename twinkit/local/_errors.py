"""The service's errors, as the emulator raises them: one exception, the model's error codes."""

from __future__ import annotations

from twinkit._generated.tables import SHAPES
from twinkit._schema import StructureShape

__all__ = ["ServiceFault", "conflict", "not_found", "validation"]

HTTP_STATUS: dict[str, int] = {
    shape.name: shape.http_status or 400
    for shape in SHAPES.values()
    if isinstance(shape, StructureShape) and shape.error_code is not None
}
"""Every error code of the service model with its HTTP status (`ValidationException`: 400)."""


class ServiceFault(Exception):
    """An error response of the service: a code from the model and a message.

    Backends raise it; the handler turns it into the REST-JSON error response the real
    service sends (status from the model, `x-amzn-ErrorType` header, `message` body).
    """

    def __init__(self, code: str, message: str) -> None:
        if code not in HTTP_STATUS:
            raise ValueError(f"{code} is not an error of the service model")
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = HTTP_STATUS[code]


def validation(message: str) -> ServiceFault:
    """A `ValidationException` (400)."""
    return ServiceFault("ValidationException", message)


def not_found(message: str) -> ServiceFault:
    """A `ResourceNotFoundException` (404)."""
    return ServiceFault("ResourceNotFoundException", message)


def conflict(message: str) -> ServiceFault:
    """A `ConflictException` (409)."""
    return ServiceFault("ConflictException", message)
