"""Marks a caller puts on the botocore calls it makes, read by the typed client's hooks.

They are context variables, so a mark holds for the calls of one thread or one asyncio task
and never leaks into another's.
"""

from __future__ import annotations

from contextvars import ContextVar

__all__ = ["WIRE_READY"]

WIRE_READY: ContextVar[bool] = ContextVar("twinkit_wire_ready", default=False)
"""Set while making a call whose parameters twinkit built and checked in the exact JSON form
botocore would send (strings for times, plain numbers, nothing botocore converts): the client
then skips botocore's validation and writes the body with one `json.dumps` instead of
botocore's walk over every member. The batch writer sets it: for its 100-value calls, that
walk and the validation were most of the client's CPU time."""
