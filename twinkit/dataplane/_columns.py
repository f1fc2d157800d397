"""A `GetPropertyValueHistory` body decoded straight into columns: no object per value.

A page's JSON is decoded once (with orjson when installed, the `twinkit[fast]` extra, else
the standard library), and each series on it becomes two lists, its time strings and its
values, taken with one comprehension each. Scalar values (double, integer, long, string,
boolean) are taken as they are; doubles may still hold `"NaN"`, `"Infinity"` and
`"-Infinity"` strings, which the frame builders turn into floats in their vectorised cast.
Other values (lists, maps, relationships, expressions) are converted one by one into Python
values, the only per-value work, since they have no columnar form anyway.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs

from twinkit._service import NON_FINITE
from twinkit.models import DataValue
from twinkit.values import from_data_value
from twinkit.wire import converter

__all__ = ["PageColumns", "SeriesColumns", "SeriesKey", "decode_page", "python_value"]

_loads: Callable[[Any], Any]
try:  # the `fast` extra: several times faster than the standard library's decoder
    from orjson import loads as _loads
except ImportError:  # pragma: no cover - exercised where orjson is not installed
    _loads = json.loads

_SCALARS = frozenset({"doubleValue", "integerValue", "longValue", "stringValue", "booleanValue"})


@attrs.frozen
class SeriesKey:
    """Which series a value belongs to: the entity, component and property.

    Attributes:
        entity_id: The entity's id.
        component_name: The component's name.
        component_path: The path of a composite component, else None.
        property_name: The property's name.
    """

    entity_id: str
    component_name: str
    component_path: str | None
    property_name: str

    @property
    def component(self) -> str:
        """The component path when there is one, else its name."""
        return self.component_path or self.component_name

    @classmethod
    def from_wire(cls, wire: Mapping[str, Any]) -> SeriesKey:
        """The key of an `entityPropertyReference` as it comes on the wire."""
        return cls(
            str(wire.get("entityId") or ""),
            str(wire.get("componentName") or ""),
            wire.get("componentPath"),
            str(wire["propertyName"]),
        )


@attrs.frozen
class SeriesColumns:
    """One series' values on one page, as columns.

    Attributes:
        key: The series.
        times: The `Time` strings, in the page's order.
        values: The values: scalars as the wire has them (a double may be `"NaN"`,
            `"Infinity"`, `"-Infinity"`), others as Python values.
        kind: The wire member of every value (`doubleValue`...), or None when they differ
            or are not scalars.
    """

    key: SeriesKey
    times: list[str]
    values: list[Any]
    kind: str | None


@attrs.frozen
class PageColumns:
    """One decoded page: its series and the token of the next page (None on the last)."""

    series: Sequence[SeriesColumns]
    next_token: str | None


def python_value(wire: Mapping[str, Any]) -> Any:
    """One wire `DataValue` as a Python value (see `twinkit.values.from_data_value`)."""
    if len(wire) == 1:
        ((member, item),) = wire.items()
        if member in _SCALARS:
            if member == "doubleValue":
                return NON_FINITE[item] if type(item) is str else float(item)
            return item
    return from_data_value(converter.structure(wire, DataValue))


def _values(values: list[Mapping[str, Any]]) -> tuple[list[Any], str | None]:
    if not values:
        return [], None
    first = values[0]["value"]
    if len(first) == 1:
        member = next(iter(first))
        if member in _SCALARS:
            try:
                return [v["value"][member] for v in values], member
            except KeyError:
                pass  # values of several members: one by one below
    return [python_value(v["value"]) for v in values], None


def decode_page(
    body: bytes | Mapping[str, Any], loads: Callable[[bytes], Any] = _loads
) -> PageColumns:
    """Decode a `GetPropertyValueHistory` body (bytes, or an already-decoded dict) into columns."""
    wire = loads(body) if isinstance(body, (bytes, bytearray, str)) else body
    series = []
    for piece in wire.get("propertyValues") or ():
        values = piece.get("values") or []
        columns, kind = _values(values)
        series.append(
            SeriesColumns(
                SeriesKey.from_wire(piece["entityPropertyReference"]),
                [v["time"] for v in values],
                columns,
                kind,
            )
        )
    return PageColumns(series, wire.get("nextToken"))
