"""Rules of the TwinMaker service that the SDK and the emulator both apply, defined once.

What the service model says is in the generated tables; this module holds what it does not
say, or says only implicitly: how wide an `integer` and a `long` are, botocore's key for a
union member newer than the model, the data plane's batch limits as named numbers, and the
shape of a REST-JSON error response. Nothing here imports the rest of twinkit, so that the
SDK, the emulator and `tools/codegen` can all read it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping

__all__ = [
    "BATCH_MAX_ENTRIES",
    "BATCH_MAX_VALUES_PER_ENTRY",
    "ERROR_TYPE_HEADER",
    "INTEGER_RANGE",
    "LONG_RANGE",
    "MAX_NESTING",
    "NON_FINITE",
    "SDK_UNKNOWN_MEMBER",
    "error_body",
    "non_finite_text",
]

INTEGER_RANGE = (-(2**31), 2**31 - 1)
"""The inclusive range of an `integer` shape and of an `INTEGER` property: 32-bit signed."""

LONG_RANGE = (-(2**63), 2**63 - 1)
"""The inclusive range of a `long` shape and of a `LONG` property: 64-bit signed."""

MAX_NESTING = 128
"""How deep a value may nest: levels of arrays and objects (lists and dicts), the outermost
being level 1.

The emulator refuses a request body nested deeper (a 400 `ValidationException`); the SDK
refuses, with a `ValidationError` naming the path, a request whose wire form nests deeper
(before sending it), and a Python value or `DataValue` whose lists and maps nest deeper
(`twinkit.values`). Values within it convert both ways, far from Python's recursion limit.
A `DataValue` spends two levels on the wire for each list or map (`{"listValue": [...]}`),
so a value sent in a request can nest about 60 lists or maps."""

SDK_UNKNOWN_MEMBER = "SDK_UNKNOWN_MEMBER"
"""botocore's key for a union member its model does not know (`botocore/parsers.py`):
`{"SDK_UNKNOWN_MEMBER": {"name": "newMember"}}`."""

BATCH_MAX_ENTRIES = 10
"""The most entries one `BatchPutPropertyValues` request takes (the model's `Entries`)."""

BATCH_MAX_VALUES_PER_ENTRY = 10
"""The most values one entry of that request carries (the model's `PropertyValues`)."""

ERROR_TYPE_HEADER = "x-amzn-ErrorType"
"""The REST-JSON response header that names an error's code."""


def error_body(message: str) -> bytes:
    """A REST-JSON error response's body: `{"message": ...}`, as the service sends it."""
    return json.dumps({"message": message}).encode()


NON_FINITE: Mapping[str, float] = {
    "NaN": math.nan,
    "Infinity": math.inf,
    "-Infinity": -math.inf,
}
"""How JSON carries the doubles it has no number for (Smithy's rule; botocore sends these)."""


def non_finite_text(value: float) -> str:
    """The wire string of a non-finite double: `"NaN"`, `"Infinity"` or `"-Infinity"`."""
    if math.isnan(value):
        return "NaN"
    return "Infinity" if value > 0 else "-Infinity"
