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

The `Time` functions (`format_time`, `parse_time`, `parse_time_datetime`) live in
`twinkit.times` and are importable from here too.

Conversions check what they are given and raise `twinkit.errors.ValidationError` once,
naming every bad place (`value['a'][2]: expected ..., got ...`), a value that contains
itself included; lists and dicts may nest up to `twinkit._service.MAX_NESTING` (128)
levels, both ways. Times are converted with
integer arithmetic only, so nanoseconds are never lost. numpy and pandas values are
accepted where they fit; neither library is imported by this module.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import attrs
from typing_extensions import TypeAliasType

from twinkit._service import INTEGER_RANGE, LONG_RANGE, MAX_NESTING
from twinkit._validate import REFERS_TO_ITSELF, TOO_DEEP
from twinkit.errors import Problem, ValidationError
from twinkit.models import DataType, DataValue, RelationshipValue, Type

# The time functions live in twinkit.times; they stay importable from here.
from twinkit.times import _describe, _numpy, format_time, parse_time, parse_time_datetime

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
        # The lists and dicts being converted, outermost first: how deep the conversion is,
        # and which containers a cyclic value would lead back to.
        self.open: list[int] = []

    def report(self, path: str, wire: str, message: str) -> None:
        self.problems.append(Problem(path, wire, message))

    def enter(self, value: object, path: str, wire: str) -> bool:
        """Step into a list or dict, unless it contains itself or nests past MAX_NESTING."""
        if id(value) in self.open:
            self.report(path, wire, REFERS_TO_ITSELF)
            return False
        if len(self.open) >= MAX_NESTING:
            self.report(path, wire, TOO_DEEP)
            return False
        self.open.append(id(value))
        return True

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
        if not self.enter(value, path, wire):
            return None
        items: list[DataValue] = []
        prefix = f"{wire}.listValue" if wire else "listValue"
        for index, item in enumerate(value):
            converted = self.convert(item, nested, f"{path}[{index}]", f"{prefix}[{index}]")
            if converted is not None:
                items.append(converted)
        self.open.pop()
        return None if len(items) != len(value) else DataValue(list_value=items)

    def map(
        self, value: Mapping[Any, Any], nested: DataType | None, path: str, wire: str
    ) -> DataValue | None:
        if not self.enter(value, path, wire):
            return None
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
        self.open.pop()
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
            `value['a'][2]: expected a bool, int, ...; got set`; a list or dict that
            contains itself (`refers to itself`), or lists and dicts nested deeper than
            `MAX_NESTING` (128) levels.
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
            model (`unknown_member`), which cannot be converted; when a list or map holds
            the value it is in (`refers to itself`), or lists and maps nest deeper than
            `MAX_NESTING` (128) levels.
    """
    problems: list[Problem] = []
    result: PyValue = _from_data_value(dv, "value", "", problems, [])
    if problems:
        raise ValidationError(problems)
    return result


def _from_data_value(
    dv: object, path: str, wire: str, problems: list[Problem], open_: list[int]
) -> Any:
    """`from_data_value` of `dv`; `open_` holds the ids of the lists and maps being converted,
    outermost first (how deep this one is, and what a cyclic value would lead back to)."""
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
    if dv.list_value is not None or dv.map_value is not None:
        return _from_collection(dv, path, wire, problems, open_)
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


def _from_collection(
    dv: DataValue, path: str, wire: str, problems: list[Problem], open_: list[int]
) -> Any:
    """The list or dict of a `DataValue` holding a `list_value` or a `map_value`."""
    if id(dv) in open_:
        problems.append(Problem(path, wire, REFERS_TO_ITSELF))
        return None
    if len(open_) >= MAX_NESTING:
        problems.append(Problem(path, wire, TOO_DEEP))
        return None
    open_.append(id(dv))
    result: Any
    if dv.list_value is not None:
        prefix = f"{wire}.listValue" if wire else "listValue"
        result = [
            _from_data_value(item, f"{path}[{index}]", f"{prefix}[{index}]", problems, open_)
            for index, item in enumerate(dv.list_value)
        ]
    else:
        assert dv.map_value is not None
        prefix = f"{wire}.mapValue" if wire else "mapValue"
        result = {
            key: _from_data_value(item, f"{path}[{key!r}]", f"{prefix}[{key!r}]", problems, open_)
            for key, item in dv.map_value.items()
        }
    open_.pop()
    return result
