"""Routing from the service model's `requestUri` templates: no hand-kept table."""

from __future__ import annotations

import re
from urllib.parse import unquote

import attrs

from twinkit._generated.tables import OPERATIONS
from twinkit._schema import Operation

__all__ = ["Route", "Router"]

_LABEL = re.compile(r"\{(\w+)(\+?)\}")


def _compile(template: str) -> re.Pattern[str]:
    parts = []
    position = 0
    for match in _LABEL.finditer(template):
        parts.append(re.escape(template[position : match.start()]))
        label, greedy = match.group(1), match.group(2)
        parts.append(f"(?P<{label}>{'.+' if greedy else '[^/]+'})")
        position = match.end()
    parts.append(re.escape(template[position:]))
    return re.compile("".join(parts))


@attrs.frozen
class Route:
    """A matched request: the operation and its decoded URI labels."""

    operation: Operation
    labels: dict[str, str]


class Router:
    """Matches an HTTP method and path to one of the service's operations."""

    def __init__(self, operations: dict[str, Operation] | None = None) -> None:
        ops = OPERATIONS if operations is None else operations
        self._routes = [
            (op.http_method, _compile(op.request_uri.split("?")[0]), op) for op in ops.values()
        ]

    def match(self, method: str, path: str) -> Route | None:
        """The operation for `method` and `path` (still percent-encoded), or None."""
        for http_method, pattern, op in self._routes:
            if http_method != method:
                continue
            found = pattern.fullmatch(path)
            if found:
                labels = {k: unquote(v) for k, v in found.groupdict().items()}
                return Route(op, labels)
        return None
