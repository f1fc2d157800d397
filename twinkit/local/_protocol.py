"""REST-JSON as the real service speaks it, read off the service model: sans-IO.

`read_input` turns an HTTP request into the operation's wire dict (URI labels, query string
and JSON body merged under the members' names); `write_output` and `write_error` make the
HTTP response a strict client expects: timestamps as epoch seconds, required members present,
errors with `x-amzn-ErrorType`. `error_response` is the one REST-JSON error body: the
handler, the HTTP server (malformed requests) and the SigV4 check all answer with it.

Bodies are read strictly: bare `NaN`, `Infinity` and `-Infinity` tokens are not JSON (RFC 8259)
and are refused, and so is nesting deeper than `MAX_JSON_DEPTH`, both with a 400
`ValidationException`, never a 500 that clients would retry.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import random
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import attrs

from twinkit._generated.tables import SHAPES
from twinkit._schema import ListShape, NumberShape, ScalarShape, StructureShape
from twinkit._service import ERROR_TYPE_HEADER, MAX_NESTING, error_body, non_finite_text
from twinkit.local._errors import ServiceFault, validation

__all__ = [
    "MAX_JSON_DEPTH",
    "HttpRequest",
    "HttpResponse",
    "error_response",
    "read_input",
    "write_error",
    "write_output",
]

MAX_JSON_DEPTH = MAX_NESTING
"""The deepest nesting of arrays and objects a request body may have (the body itself is 1):
`twinkit._service.MAX_NESTING`, the limit the SDK checks its requests against too."""


@attrs.frozen
class HttpRequest:
    """An HTTP request, independent of any server or client library."""

    method: str
    path: str
    """The path, still percent-encoded, without the query string."""
    query: Mapping[str, Sequence[str]] = attrs.field(factory=dict)
    headers: Mapping[str, str] = attrs.field(factory=dict)
    body: bytes = b""


@attrs.frozen
class HttpResponse:
    """An HTTP response, independent of any server or client library."""

    status: int
    headers: dict[str, str]
    body: bytes


def _query_value(raw: Sequence[str], shape_name: str, name: str) -> Any:
    shape = SHAPES[shape_name]
    if isinstance(shape, ListShape):
        return [_query_value([item], shape.member, name) for item in raw]
    text = raw[-1]
    if isinstance(shape, ScalarShape) and shape.kind == "boolean":
        if text not in ("true", "false"):
            raise validation(f"{name}: expected true or false, got {text!r}")
        return text == "true"
    if isinstance(shape, NumberShape):
        try:
            return float(text) if shape.kind == "double" else int(text)
        except ValueError:
            raise validation(f"{name}: expected a number, got {text!r}") from None
    return text


def _refuse_constant(token: str) -> Any:
    raise validation(f"the request body is not valid JSON: {token} is not a JSON number (RFC 8259)")


_KEEP = b'[]{}"'
_NOT_KEPT = bytes(b for b in range(256) if b not in _KEEP)
_AS_PARENTHESES = bytes.maketrans(b"[{]}", b"(())")


def _depth_exceeds(body: bytes, document: Any, limit: int) -> bool:
    """Whether `document`, parsed from `body`, nests arrays and objects deeper than `limit`.

    Read off the text when it can be: with everything but brackets and quotes deleted, the
    pieces between quotes alternate outside and inside strings, and the brackets outside,
    all made parentheses, nest as the document does. Deleting every `()` deletes the
    innermost level (`bytes.replace` matches in the text as it was, so one call deletes one
    level), so the depth is the number of calls that empty it: a few C loops where walking
    the document visits every node in Python. A body with an escaped quote is walked instead.
    """
    kept = body.translate(_AS_PARENTHESES, _NOT_KEPT)
    if kept.count(b"(") <= limit:
        return False  # too few brackets to nest that deep
    if b"\\" in body and b'\\"' in body:  # memchr first: most bodies have no backslash
        return _walk_exceeds(document, limit)
    outside = kept.replace(b'""', b"")  # strings without brackets: most of them, or all
    if b'"' in outside:  # a string holds a bracket (its opening quote stayed): split them off
        outside = b"".join(kept.split(b'"')[::2])
    for _ in range(limit):
        if not outside:
            return False
        outside = outside.replace(b"()", b"")
    return bool(outside)


def _walk_exceeds(value: Any, limit: int) -> bool:
    """`_depth_exceeds` by walking the document (iteratively: no recursion)."""
    if not isinstance(value, (dict, list)):
        return False
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(node, dict):
            stack.extend(
                (child, depth + 1) for child in node.values() if isinstance(child, (dict, list))
            )
        elif isinstance(node, list):
            stack.extend((child, depth + 1) for child in node if isinstance(child, (dict, list)))
    return False


def parse_body(body: bytes) -> Any:
    """The JSON document in `body`, parsed strictly.

    Raises:
        ServiceFault: `ValidationException` when the body is not JSON, holds a bare `NaN` or
            `Infinity`, or nests deeper than `MAX_JSON_DEPTH`.
    """
    too_deep = validation(
        f"the request body nests arrays and objects deeper than {MAX_JSON_DEPTH} levels"
    )
    try:
        # JSON travels as UTF-8 (RFC 8259); json.loads would also guess UTF-16 or -32.
        document = json.loads(body.decode("utf-8"), parse_constant=_refuse_constant)
    except RecursionError:  # deeper than the interpreter's own limit, far past ours
        raise too_deep from None
    except ValueError as exc:
        raise validation(f"the request body is not valid JSON: {exc}") from None
    if _depth_exceeds(body, document, MAX_JSON_DEPTH):
        raise too_deep
    return document


def read_input(
    input_shape: str | None,
    labels: Mapping[str, str],
    request: HttpRequest,
) -> dict[str, Any]:
    """The operation's input as a wire dict, from the URI labels, query string and body.

    Raises:
        ServiceFault: `ValidationException` when the body is not a JSON object or a query
            value cannot be read as its member's type.
    """
    if input_shape is None:
        return {}
    shape = SHAPES[input_shape]
    assert isinstance(shape, StructureShape)
    wire: dict[str, Any] = {}
    has_body = any(m.location is None for m in shape.members)
    if has_body and request.body.strip():
        body = parse_body(request.body)
        if not isinstance(body, dict):
            raise validation("the request body must be a JSON object")
        wire.update(body)
    for member in shape.members:
        if member.location == "uri":
            if member.location_name in labels:
                wire[member.wire] = labels[str(member.location_name)]
        elif member.location == "querystring":
            raw = request.query.get(str(member.location_name))
            if raw:
                wire[member.wire] = _query_value(raw, member.shape, member.wire)
    return wire


def _json_default(value: object) -> Any:
    if isinstance(value, datetime):
        # REST-JSON timestamps are epoch seconds; milliseconds, as the service sends them.
        return round(value.timestamp(), 3)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


_request_id_prefix = ""
_request_numbers = itertools.count()


def _new_request_ids() -> None:
    """Start this process's request ids afresh (at import, and in a forked child, so that
    parent and child never answer with the same id)."""
    global _request_id_prefix, _request_numbers
    _request_id_prefix = str(uuid.uuid4())[:24]
    _request_numbers = itertools.count(random.getrandbits(40))


_new_request_ids()
if hasattr(os, "register_at_fork"):  # not on Windows
    os.register_at_fork(after_in_child=_new_request_ids)


def request_id() -> str:
    """A new request id, shaped like the service's (a version 4 UUID): this process's random
    prefix and a counter. Unique is all a request id must be; `uuid4` reads `os.urandom`,
    which releases the GIL and showed up as a wait in every response under load."""
    return f"{_request_id_prefix}{next(_request_numbers) & 0xFFFF_FFFF_FFFF:012x}"


def _base_headers() -> dict[str, str]:
    return {"Content-Type": "application/json", "x-amzn-RequestId": request_id()}


def write_output(status: int, wire: Mapping[str, Any]) -> HttpResponse:
    """A success response carrying the output wire dict as JSON.

    A non-finite double goes out as the string `"NaN"`, `"Infinity"` or `"-Infinity"`, as
    the service and botocore carry it, never as a bare `NaN` token that strict JSON parsers
    refuse; the strict dump fails fast and only then is the output walked to replace them.
    """
    try:
        body = json.dumps(wire, default=_json_default, separators=(",", ":"), allow_nan=False)
    except ValueError:
        body = json.dumps(
            _finite(wire), default=_json_default, separators=(",", ":"), allow_nan=False
        )
    return HttpResponse(status, _base_headers(), body.encode())


def _finite(value: Any) -> Any:
    """`value` with every non-finite float replaced by its wire string."""
    if isinstance(value, float):
        return value if math.isfinite(value) else non_finite_text(value)
    if isinstance(value, Mapping):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value


def error_response(status: int, code: str, message: str) -> HttpResponse:
    """A REST-JSON error: `status`, `x-amzn-ErrorType: code` and `{"message": ...}`.

    Every error twinkit.local sends is made here: the service's own, SigV4 refusals and the
    HTTP server's answers to malformed requests.
    """
    headers = _base_headers()
    headers[ERROR_TYPE_HEADER] = code
    return HttpResponse(status, headers, error_body(message))


def write_error(fault: ServiceFault) -> HttpResponse:
    """The error response for `fault`: its status, `x-amzn-ErrorType` and a `message`."""
    return error_response(fault.status, fault.code, fault.message)


def write_unknown_operation(method: str, path: str) -> HttpResponse:
    """What the service answers to a method and path that name no operation."""
    shown = path if len(path) <= 200 else path[:200] + "..."
    return error_response(404, "UnknownOperationException", f"no operation for {method} {shown}")
