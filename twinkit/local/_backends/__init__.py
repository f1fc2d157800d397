"""The emulator's backends: one module per resource, each registering its operations."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from twinkit.local._state import Context

__all__ = ["HANDLERS", "WIRE_HANDLERS", "handles", "handles_wire"]

Handler = Callable[[Context, Any], Any]
F = TypeVar("F", bound=Callable[..., Any])

HANDLERS: dict[str, Handler] = {}
"""Operation name -> function taking the context and the typed request, returning the output."""


WIRE_HANDLERS: dict[str, Handler] = {}
"""Operation name -> a fast path taking the context and the validated *wire* request (the
dict read off the HTTP request), for operations where structuring every member into models
costs more than the work itself. Each has a typed handler in `HANDLERS` too, which answers
the same for every input (the fast path defers to it for anything but the common case)."""


def handles(operation: str) -> Callable[[F], F]:
    """Register the decorated function as the emulator's implementation of `operation`."""

    def register(func: F) -> F:
        if operation in HANDLERS:
            raise RuntimeError(f"{operation} is implemented twice")
        HANDLERS[operation] = func
        return func

    return register


def handles_wire(operation: str) -> Callable[[F], F]:
    """Register the decorated function as the wire-input fast path of `operation`."""

    def register(func: F) -> F:
        if operation in WIRE_HANDLERS:
            raise RuntimeError(f"{operation} has two wire fast paths")
        WIRE_HANDLERS[operation] = func
        return func

    return register


def load_all() -> dict[str, Handler]:
    """Import every backend module, so that each registers its operations."""
    from twinkit.local._backends import (  # noqa: F401
        component_types,
        entities,
        jobs,
        pricing,
        query,
        scenes,
        tags,
        values,
        workspaces,
    )

    return HANDLERS
