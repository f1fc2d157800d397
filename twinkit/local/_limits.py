"""The HTTP server's limits: timeouts, connection and size caps, with their defaults.

They live apart from `_server` so that `twinkit.local` can offer `ServerLimits` without
importing waitress (an optional dependency).
"""

from __future__ import annotations

from typing import Any

import attrs

__all__ = ["ServerLimits"]


def _positive(instance: object, attribute: attrs.Attribute[Any], value: float) -> None:
    if value <= 0:
        raise ValueError(f"{attribute.name} must be > 0, got {value}")


def _non_negative(instance: object, attribute: attrs.Attribute[Any], value: int) -> None:
    if value < 0:
        raise ValueError(f"{attribute.name} must be >= 0, got {value}")


@attrs.frozen(kw_only=True)
class ServerLimits:
    """What `twinkit.local.serve` and `python -m twinkit.local` accept before refusing.

    Every refusal is a small REST-JSON error (`x-amzn-ErrorType`, `{"message": ...}`), and the
    server keeps serving other connections.

    Args:
        max_body_bytes: Larger request bodies get a 413 `RequestEntityTooLargeException`,
            before they are read. 8 MiB.
        max_header_bytes: A request line and headers larger than this get a 431
            `RequestHeaderFieldsTooLargeException` (a 70 KB URI included). 16 KiB.
        max_headers: Requests with more header fields get a 431. 100.
        idle_timeout: Seconds a connection may stay silent (between keep-alive requests, or
            in the middle of a request that stalls) before it is closed. 30.
        max_connections: Connections served at once; more wait in the listen backlog. 100.
        threads: Worker threads answering requests. 16: a worker waits out the injected
            latency of the request it answers, so with fewer workers than a client keeps
            connections (boto3's default pool holds 10) requests would queue behind sleeping
            ones, and clients would see more latency than was injected.
    """

    max_body_bytes: int = attrs.field(default=8 * 1024 * 1024, validator=_non_negative)
    max_header_bytes: int = attrs.field(default=16 * 1024, validator=_positive)
    max_headers: int = attrs.field(default=100, validator=_positive)
    idle_timeout: float = attrs.field(default=30.0, validator=_positive)
    max_connections: int = attrs.field(default=100, validator=_positive)
    threads: int = attrs.field(default=16, validator=_positive)
