"""The emulator's backends: one module per resource, each registering its operations."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from twinkit.local._state import Context

__all__ = ["HANDLERS", "handles"]

Handler = Callable[[Context, Any], Any]
F = TypeVar("F", bound=Callable[..., Any])

HANDLERS: dict[str, Handler] = {}
"""Operation name -> function taking the context and the typed request, returning the output."""


def handles(operation: str) -> Callable[[F], F]:
    """Register the decorated function as the emulator's implementation of `operation`."""

    def register(func: F) -> F:
        if operation in HANDLERS:
            raise RuntimeError(f"{operation} is implemented twice")
        HANDLERS[operation] = func
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
