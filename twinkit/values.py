"""Python values <-> TwinMaker's `DataValue`, and its `Time` strings, exactly.

```python
from twinkit.models import DataType, Type
from twinkit.values import from_data_value, to_data_value, format_time, parse_time

value = to_data_value({"rpm": 1500, "ok": True})          # map of long and boolean
assert from_data_value(value) == {"rpm": 1500, "ok": True}
to_data_value(3, DataType(type=Type.INTEGER))            # DataValue(integer_value=3)

format_time(1_767_323_045_123_456_789)                   # '2026-01-02T03:04:05.123456789Z'
parse_time("2026-01-02T04:04:05.123456789+01:00")        # 1767323045123456789
```

Conversions check what they are given and raise `twinkit.errors.ValidationError` once,
naming every bad place (`value['a'][2]: expected ..., got ...`). Times are converted with
integer arithmetic only, so nanoseconds are never lost. numpy and pandas values are
accepted where they fit; neither library is imported by this module.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

import attrs
from typing_extensions import TypeAliasType

from twinkit._service import INTEGER_RANGE, LONG_RANGE
from twinkit.errors import Problem, ValidationError
from twinkit.models import DataType, DataValue, RelationshipValue, Type

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "Expression",
    "PyValue",
    "Relationship",
    "from_data_value",
    "to_data_value",
    "format_time",
    "parse_time",
    "parse_time_datetime",
]


@attrs.frozen
class Relationship:
    """A relationship value: a reference to another entity (and one of its components).

    The Python side of `DataValue.relationship_value` (a `RelationshipValue`). Not to be
    confused with `twinkit.models.Relationship`, which describes a relationship *type*.

    Attributes:
        target_entity_id: The ID of the entity the relationship points to.
        target_component_name: The name of the component of that entity, if any.
    """

    target_entity_id: str
    target_component_name: str | None = None


@attrs.frozen
class Expression:
    """An expression that TwinMaker evaluates to produce the value: `Expression("...")`.

    The Python side of `DataValue.expression`.

    Attributes:
        text: The expression, as TwinMaker takes it.
    """

    text: str


PyValue = TypeAliasType(
    "PyValue",
    "bool | int | float | str | Relationship | Expression | list[PyValue] | dict[str, PyValue]",
)
"""A `DataValue` as Python holds it: what `from_data_value` returns."""

_INTEGER_RANGE = INTEGER_RANGE
_LONG_RANGE = LONG_RANGE

_SUPPORTED = "a bool, int, float, str, list, dict, Relationship, Expression or DataValue"
_TIME_HINT = " (TwinMaker has no time value: use format_time() for a str)"

# What each declared type accepts, for messages; an Expression or a DataValue fits any.
_EXPECTED = {
    Type.BOOLEAN: "a bool",
    Type.INTEGER: "an int",
    Type.LONG: "an int",
    Type.DOUBLE: "a float or int",
    Type.STRING: "a str",
    Type.LIST: "a list or tuple",
    Type.MAP: "a dict",
    Type.RELATIONSHIP: "a Relationship",
}


def _describe(value: object) -> str:
    """`bool True`, `str 'abc'`, `float 1.5`; a type name for anything else."""
    if value is None:
        return "None"
    if isinstance(value, (bool, int, float, str)):
        text = repr(value)
        if len(text) > 42:
            text = text[:38] + ("...'" if isinstance(value, str) else "...")
        return f"{type(value).__name__} {text}"
    return type(value).__name__


def _numpy() -> Any:
    """The numpy module if it is already imported (only then can a value be a numpy one)."""
    return sys.modules.get("numpy")


def _pandas() -> Any:
    """The pandas module if it is already imported."""
    return sys.modules.get("pandas")


class _Unsupported:
    """A numpy value with no plain Python equivalent here (a datetime64, a complex...)."""


_UNSUPPORTED = _Unsupported()


def _from_numpy(value: Any, np: Any) -> object:
    """A numpy scalar as the plain Python value it stands for; arrays become lists."""
    if isinstance(value, np.ndarray):
        return list(value) if value.ndim else _from_numpy(value[()], np)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        number = float(value)
        # A longdouble may hold more than a double; refuse rather than round silently.
        if number == number and number != value:
            return _UNSUPPORTED
        return number
    if isinstance(value, np.str_):
        return str.__str__(value)
    return _UNSUPPORTED


class _ToDataValue:
    """One conversion: collects every problem, then the caller raises once."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def report(self, path: str, wire: str, message: str) -> None:
        self.problems.append(Problem(path, wire, message))

    def convert(
        self, value: object, declared: DataType | Type | str | None, path: str, wire: str
    ) -> DataValue | None:
        understood, kind, nested = self.declared(declared, path, wire)
        if not understood:
            return None
        np = _numpy()
        if np is not None and isinstance(value, (np.generic, np.ndarray)):
            original = value
            value = _from_numpy(value, np)
            if value is _UNSUPPORTED:
                hint = _TIME_HINT if isinstance(original, np.datetime64) else ""
                found = f"numpy {_describe(original)}{hint}"
                self.report(path, wire, f"expected {_SUPPORTED}; got {found}")
                return None

        if isinstance(value, DataValue):
            return value
        if isinstance(value, Expression):
            text: object = value.text
            if not isinstance(text, str):
                self.report(path, wire, f"expected an Expression of str, got {_describe(text)}")
                return None
            return DataValue(expression=text)
        if kind is None:
            return self.infer(value, path, wire)
        if not self.fits(value, kind):
            expected = _EXPECTED[kind]
            self.report(path, wire, f"expected {expected} ({kind.value}), got {_describe(value)}")
            return None
        if kind is Type.LIST:
            assert isinstance(value, (list, tuple))
            return self.list(value, nested, path, wire)
        if kind is Type.MAP:
            assert isinstance(value, Mapping)
            return self.map(value, nested, path, wire)
        if kind is Type.INTEGER:
            assert isinstance(value, int)
            number = self.int_in(value, _INTEGER_RANGE, path, wire)
            return None if number is None else DataValue(integer_value=number)
        if kind is Type.DOUBLE:
            assert isinstance(value, (int, float))
            return self.double(value, path, wire)
        return self.infer(value, path, wire)

    def declared(
        self, declared: object, path: str, wire: str
    ) -> tuple[bool, Type | None, DataType | None]:
        """Whether the declared type is understood (if not, it is reported); the declared
        `Type` (None when none was declared); and the declared type of a collection's items.
        """
        nested = None
        if isinstance(declared, DataType):
            nested = declared.nested_type
            declared = declared.type
        if declared is None:
            return True, None, None
        if isinstance(declared, str):
            kind = Type._value2member_map_.get(str.__str__(declared))
            if isinstance(kind, Type):
                return True, kind, nested
            self.report(path, wire, f"cannot convert to unknown data type {declared!r}")
            return False, None, None
        self.report(path, wire, f"expected a DataType, Type or str, got {_describe(declared)}")
        return False, None, None

    @staticmethod
    def fits(value: object, kind: Type) -> bool:
        if kind is Type.BOOLEAN:
            return isinstance(value, bool)
        if kind in (Type.INTEGER, Type.LONG):
            return isinstance(value, int) and not isinstance(value, bool)
        if kind is Type.DOUBLE:
            return isinstance(value, (int, float)) and not isinstance(value, bool)
        if kind is Type.STRING:
            return isinstance(value, str)
        if kind is Type.LIST:
            return isinstance(value, (list, tuple))
        if kind is Type.MAP:
            return isinstance(value, Mapping)
        return isinstance(value, (Relationship, RelationshipValue))

    def infer(self, value: object, path: str, wire: str) -> DataValue | None:
        """Convert by the value's own type (also the last step for a fitting scalar)."""
        if isinstance(value, bool):
            return DataValue(boolean_value=bool(value))
        if isinstance(value, int):
            number = self.int_in(value, _LONG_RANGE, path, wire)
            return None if number is None else DataValue(long_value=number)
        if isinstance(value, float):
            return DataValue(double_value=float(value))
        if isinstance(value, str):
            return DataValue(string_value=str.__str__(value))
        if isinstance(value, (list, tuple)):
            return self.list(value, None, path, wire)
        if isinstance(value, Mapping):
            return self.map(value, None, path, wire)
        if isinstance(value, (Relationship, RelationshipValue)):
            return self.relationship(value, path, wire)
        hint = _TIME_HINT if isinstance(value, datetime) else ""
        self.report(path, wire, f"expected {_SUPPORTED}; got {_describe(value)}{hint}")
        return None

    def int_in(self, value: int, bounds: tuple[int, int], path: str, wire: str) -> int | None:
        number = int(value)
        low, high = bounds
        if not low <= number <= high:
            self.report(path, wire, f"expected a value between {low} and {high}, got {number}")
            return None
        return number

    def double(self, value: int | float, path: str, wire: str) -> DataValue | None:
        if isinstance(value, float):
            return DataValue(double_value=float(value))
        number = int(value)
        try:
            exact = float(number) == number
        except OverflowError:
            exact = False
        if not exact:
            self.report(path, wire, f"expected an int a double holds exactly, got {number}")
            return None
        return DataValue(double_value=float(number))

    def relationship(
        self, value: Relationship | RelationshipValue, path: str, wire: str
    ) -> DataValue | None:
        entity: object = value.target_entity_id
        component: object = value.target_component_name
        if not isinstance(entity, str):
            self.report(path, wire, f"expected a str target_entity_id, got {_describe(entity)}")
            return None
        if component is not None and not isinstance(component, str):
            message = f"expected a str or None target_component_name, got {_describe(component)}"
            self.report(path, wire, message)
            return None
        return DataValue(
            relationship_value=RelationshipValue(
                target_entity_id=entity, target_component_name=component
            )
        )

    def list(
        self, value: list[Any] | tuple[Any, ...], nested: DataType | None, path: str, wire: str
    ) -> DataValue | None:
        items: list[DataValue] = []
        prefix = f"{wire}.listValue" if wire else "listValue"
        for index, item in enumerate(value):
            converted = self.convert(item, nested, f"{path}[{index}]", f"{prefix}[{index}]")
            if converted is not None:
                items.append(converted)
        return None if len(items) != len(value) else DataValue(list_value=items)

    def map(
        self, value: Mapping[Any, Any], nested: DataType | None, path: str, wire: str
    ) -> DataValue | None:
        items: dict[str, DataValue] = {}
        prefix = f"{wire}.mapValue" if wire else "mapValue"
        ok = True
        for key, item in value.items():
            if not isinstance(key, str):
                self.report(path, wire, f"expected str keys, got {_describe(key)}")
                ok = False
                continue
            step = f"[{key!r}]"
            converted = self.convert(item, nested, path + step, prefix + step)
            if converted is None:
                ok = False
            else:
                items[str.__str__(key)] = converted
        return DataValue(map_value=items) if ok else None


def to_data_value(value: object, data_type: DataType | Type | str | None = None) -> DataValue:
    """Convert a Python value to the `DataValue` that holds it.

    Without a declared type, the value's own type decides: `bool` -> `boolean_value`,
    `int` -> `long_value`, `float` -> `double_value`, `str` -> `string_value`, `list` or
    `tuple` -> `list_value`, `dict` (with `str` keys) -> `map_value`, `Relationship` ->
    `relationship_value`, `Expression` -> `expression`; collections are converted item by
    item. numpy scalars and arrays are accepted as the Python values they hold.

    With a declared type the value must fit it: an `int` becomes `integer_value` for
    `INTEGER` (within 32 bits) and `double_value` for `DOUBLE` (when a double holds it
    exactly); a `str` for `DOUBLE`, a `float` for `LONG` or a `bool` for `INTEGER` is an
    error. A `DataType`'s `nested_type` declares the items of a `LIST` or `MAP`. An
    `Expression` fits every type.

    A `DataValue` is returned unchanged, wherever it is, and is not checked against the
    declared type. Lengths and sizes (a string of 1..256 characters, at most 50 items) are
    left to the request's own validation.

    Args:
        value: The Python value.
        data_type: The property's declared type: a `DataType`, a `Type` or its name.

    Returns:
        The `DataValue`.

    Raises:
        ValidationError: naming every place that does not fit, e.g.
            `value['a'][2]: expected a bool, int, ...; got set`.
    """
    conversion = _ToDataValue()
    result = conversion.convert(value, data_type, "value", "")
    if conversion.problems or result is None:
        raise ValidationError(conversion.problems)
    return result


def from_data_value(dv: DataValue) -> PyValue:
    """Convert a `DataValue` to the Python value it holds; the inverse of `to_data_value`.

    `double_value` -> `float`, `integer_value` and `long_value` -> `int`, `boolean_value`
    -> `bool`, `string_value` -> `str`, `list_value` -> `list`, `map_value` -> `dict`,
    `relationship_value` -> `Relationship`, `expression` -> `Expression`.

    Args:
        dv: The `DataValue`.

    Returns:
        The Python value. `to_data_value(from_data_value(dv), data_type)` gives back `dv`
        when `data_type` is the property's declared type.

    Raises:
        ValidationError: when `dv`, or any value in it, holds only a member newer than this
            model (`unknown_member`), which cannot be converted.
    """
    problems: list[Problem] = []
    result: PyValue = _from_data_value(dv, "value", "", problems)
    if problems:
        raise ValidationError(problems)
    return result


def _from_data_value(dv: object, path: str, wire: str, problems: list[Problem]) -> Any:
    if not isinstance(dv, DataValue):
        problems.append(Problem(path, wire, f"expected a DataValue, got {_describe(dv)}"))
        return None
    if dv.boolean_value is not None:
        return bool(dv.boolean_value)
    if dv.double_value is not None:
        return float(dv.double_value)
    if dv.integer_value is not None:
        return int(dv.integer_value)
    if dv.long_value is not None:
        return int(dv.long_value)
    if dv.string_value is not None:
        return str(dv.string_value)
    if dv.list_value is not None:
        prefix = f"{wire}.listValue" if wire else "listValue"
        return [
            _from_data_value(item, f"{path}[{index}]", f"{prefix}[{index}]", problems)
            for index, item in enumerate(dv.list_value)
        ]
    if dv.map_value is not None:
        prefix = f"{wire}.mapValue" if wire else "mapValue"
        return {
            key: _from_data_value(item, f"{path}[{key!r}]", f"{prefix}[{key!r}]", problems)
            for key, item in dv.map_value.items()
        }
    if dv.relationship_value is not None:
        target = dv.relationship_value
        if target.target_entity_id is None:
            problems.append(Problem(path, wire, "expected a target_entity_id, got None"))
            return None
        return Relationship(target.target_entity_id, target.target_component_name)
    if dv.expression is not None:
        return Expression(dv.expression)
    name = f" {dv.unknown_member!r}" if dv.unknown_member else ""
    problems.append(
        Problem(path, wire, f"cannot convert member{name}: it is newer than this model")
    )
    return None


# --- times ----------------------------------------------------------------------------------

_NS = 1_000_000_000
_EPOCH = datetime(1970, 1, 1)
_EPOCH_UTC = datetime(1970, 1, 1, tzinfo=timezone.utc)


def _delta_ns(delta: timedelta) -> int:
    return (delta.days * 86_400 + delta.seconds) * _NS + delta.microseconds * 1_000


def _wall_ns(moment: datetime) -> int:
    """Nanoseconds from 1970-01-01T00:00 to `moment`'s wall-clock time (its zone ignored)."""
    return _delta_ns(moment.replace(tzinfo=None) - _EPOCH)


_MIN_NS = _wall_ns(datetime.min)
_MAX_NS = _wall_ns(datetime.max) + 999
"""Years 0001 to 9999 in UTC: what a `Time` string, and a `datetime`, can hold."""

_TIME = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})"
    r"(?:\.([0-9]{1,9}))?(Z|[+-][0-9]{2}:[0-9]{2})"
)
_TIME_FORMAT = "YYYY-MM-DDThh:mm:ss[.SSSSSSSSS][Z|±HH:mm]"

# numpy datetime64 units of fixed length, in nanoseconds (as a numerator, denominator).
_NUMPY_UNITS = {
    "W": (7 * 86_400 * _NS, 1),
    "D": (86_400 * _NS, 1),
    "h": (3_600 * _NS, 1),
    "m": (60 * _NS, 1),
    "s": (_NS, 1),
    "ms": (1_000_000, 1),
    "us": (1_000, 1),
    "ns": (1, 1),
    "ps": (1, 1_000),
    "fs": (1, 1_000_000),
    "as": (1, 1_000_000_000),
}


def _time_error(path: str, message: str) -> ValidationError:
    return ValidationError([Problem(path, "", message)])


def _numpy_datetime_ns(t: Any, np: Any) -> int:
    if np.isnat(t):
        raise _time_error("t", "expected a time, got numpy datetime64 NaT")
    unit, count = np.datetime_data(t.dtype)
    steps: int = int(t.astype(np.int64)) * int(count)
    try:
        if unit == "Y":
            return _wall_ns(datetime(1970 + steps, 1, 1))
        if unit == "M":
            years, month = divmod(steps, 12)
            return _wall_ns(datetime(1970 + years, month + 1, 1))
    except (ValueError, OverflowError):
        raise _time_error("t", f"expected a time in years 0001..9999 (UTC), got {t}") from None
    if unit not in _NUMPY_UNITS:
        raise _time_error("t", f"expected a datetime64 of a known unit, got unit {unit!r}")
    numerator, denominator = _NUMPY_UNITS[unit]
    ns, rest = divmod(steps * numerator, denominator)
    if rest:
        raise _time_error("t", f"expected whole nanoseconds, got {t} (a Time holds no less)")
    return ns


def _time_ns(t: object) -> int:
    """`t` as nanoseconds since the epoch, exactly."""
    if isinstance(t, bool):
        raise _time_error("t", f"expected an aware datetime or int nanoseconds, got {_describe(t)}")
    if isinstance(t, int):
        return int(t)
    pandas = _pandas()
    if pandas is not None and t is pandas.NaT:
        raise _time_error("t", "expected a time, got pandas NaT")
    if isinstance(t, datetime):
        offset = t.utcoffset()
        if offset is None:
            raise _time_error("t", "expected an aware datetime, got a naive one")
        ns = _wall_ns(t) - _delta_ns(offset)
        if pandas is not None and isinstance(t, pandas.Timestamp):
            # A Timestamp's datetime fields stop at microseconds; the rest is `nanosecond`.
            ns += int(t.nanosecond)
        return ns
    np = _numpy()
    if np is not None and isinstance(t, np.datetime64):
        return _numpy_datetime_ns(t, np)
    message = "expected an aware datetime, int nanoseconds, pandas.Timestamp or numpy.datetime64"
    raise _time_error("t", f"{message}; got {_describe(t)}")


def format_time(t: datetime | int | np.datetime64) -> str:
    """Format a time as TwinMaker's `Time` string, in UTC with nine fraction digits.

    `format_time(datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=timezone.utc))` is
    `'2026-01-02T03:04:05.123456000Z'`. Nothing is rounded: the string holds every
    nanosecond given.

    Args:
        t: An aware `datetime`; `int` nanoseconds since 1970-01-01T00:00:00Z; an aware
            `pandas.Timestamp` (its nanoseconds kept); or a `numpy.datetime64` of any
            unit, read as UTC.

    Returns:
        The `Time` string, e.g. `'2026-01-02T03:04:05.123456789Z'` (30 characters).

    Raises:
        ValidationError: for a naive `datetime` or `Timestamp`, a NaT, a `datetime64` finer
            than nanoseconds that is not a whole number of them, a time outside years
            0001..9999 (UTC), or a value of another type.
    """
    ns = _time_ns(t)
    if not _MIN_NS <= ns <= _MAX_NS:
        raise _time_error("t", f"expected a time in years 0001..9999 (UTC), got {ns} ns")
    seconds, fraction = divmod(ns, _NS)
    d = _EPOCH + timedelta(seconds=seconds)
    return (
        f"{d.year:04d}-{d.month:02d}-{d.day:02d}"
        f"T{d.hour:02d}:{d.minute:02d}:{d.second:02d}.{fraction:09d}Z"
    )


def parse_time(s: str) -> int:
    """Read a TwinMaker `Time` string as nanoseconds since 1970-01-01T00:00:00Z, exactly.

    Accepts `YYYY-MM-DDThh:mm:ss[.SSSSSSSSS][Z|±HH:mm]`: 0 to 9 fraction digits, and `Z`
    or an offset. `parse_time("1970-01-01T01:00:00.5+01:00")` is `500_000_000`.

    Args:
        s: The `Time` string.

    Returns:
        Nanoseconds since the epoch; negative before 1970.

    Raises:
        ValidationError: when `s` is not such a string or names no real date and time.
    """
    if not isinstance(s, str):
        raise _time_error("s", f"expected a Time string {_TIME_FORMAT}, got {_describe(s)}")
    match = _TIME.fullmatch(s)
    if match is None:
        raise _time_error("s", f"expected a Time string {_TIME_FORMAT}, got {_describe(s)}")
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    try:
        wall = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second))
    except ValueError as exc:
        raise _time_error("s", f"expected a real date and time, got {s!r} ({exc})") from None
    offset = 0
    if zone != "Z":
        hours, minutes = int(zone[1:3]), int(zone[4:6])
        if hours > 23 or minutes > 59:
            raise _time_error("s", f"expected an offset within ±23:59, got {zone!r} in {s!r}")
        offset = (hours * 3_600 + minutes * 60) * _NS * (-1 if zone[0] == "-" else 1)
    nanoseconds = int(fraction.ljust(9, "0")) if fraction else 0
    return _wall_ns(wall) - offset + nanoseconds


def parse_time_datetime(s: str) -> datetime:
    """Read a TwinMaker `Time` string as an aware `datetime` in UTC.

    A `datetime` holds microseconds: digits after the sixth are dropped (truncated, not
    rounded). Use `parse_time` for the exact nanoseconds.

    Args:
        s: The `Time` string.

    Returns:
        The time, with `tzinfo=timezone.utc`.

    Raises:
        ValidationError: when `s` is malformed (see `parse_time`) or, in UTC, falls
            outside years 0001..9999.
    """
    ns = parse_time(s)
    if not _MIN_NS <= ns <= _MAX_NS:
        raise _time_error("s", f"expected a time in years 0001..9999 (UTC), got {s!r}")
    seconds, fraction = divmod(ns, _NS)
    return _EPOCH_UTC + timedelta(seconds=seconds, microseconds=fraction // 1_000)
