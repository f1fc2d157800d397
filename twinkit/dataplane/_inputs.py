"""What a writer accepts, as one list of exact (nanoseconds, `Time` string, wire value) points.

One property's values may be given as:

* a sequence (or any iterable) of `(time, value)` pairs;
* a mapping `{time: value}`;
* a pandas `Series` whose index holds the times;
* a pair of numpy arrays `(times, values)`, or a structured array with `time` and `value` fields.

A component's values are a mapping `{property: values}` or a pandas `DataFrame` with a column
per property (its index holds the times; missing cells, `NaN` included, are skipped, since a
frame is rectangular; a `Series` or a sequence writes `NaN` as a value).

A time is an aware `datetime` or `pandas.Timestamp`, a `numpy.datetime64` (read as UTC), `int`
nanoseconds since the epoch, or a `Time` string (`2026-01-01T00:00:00.123456789Z`); arrays of
`datetime64` or of int nanoseconds are converted in one vectorised step. A value is a Python
value (`twinkit.values.to_data_value`), checked against the property's declared `DataType`
when it is known.

Every problem is collected, then raised once as a `ValidationError` whose paths name the place:
`entities['pump-1'].components['pump'].properties['rpm'][3]: time: expected an aware datetime...`.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from typing import Any

from twinkit.errors import Problem, ValidationError
from twinkit.models import DataType, Type
from twinkit.values import format_time, parse_time, to_data_value
from twinkit.wire import converter

__all__ = [
    "Point",
    "Problems",
    "component_points",
    "plain_wires",
    "property_points",
    "wire_value",
]

Point = tuple[int, str, dict[str, Any]]
"""One value ready to send: nanoseconds since the epoch, its `Time` string, its wire value."""

_INTEGER_RANGE = (-(2**31), 2**31 - 1)
_LONG_RANGE = (-(2**63), 2**63 - 1)
_MAX_REPORTED = 50
"""Problems listed one by one; beyond this a bad input would print a wall of text."""


class Problems:
    """Problems found in one input: collected, then raised once (at most 50 listed)."""

    def __init__(self) -> None:
        self.found: list[Problem] = []
        self.more = 0

    def add(self, path: str, message: str) -> None:
        """Note what is wrong at `path`."""
        if len(self.found) < _MAX_REPORTED:
            self.found.append(Problem(path, "", message))
        else:
            self.more += 1

    def raise_if_any(self) -> None:
        """Raise a `ValidationError` naming every problem noted (if any)."""
        if not self.found:
            return
        problems = list(self.found)
        if self.more:
            problems.append(Problem("...", "", f"and {self.more} more problems"))
        raise ValidationError(problems)


def _numpy() -> Any:
    return sys.modules.get("numpy")


def _pandas() -> Any:
    return sys.modules.get("pandas")


# --- values ---------------------------------------------------------------------------------


def wire_value(value: object, data_type: DataType | None, path: str, problems: Problems) -> Any:
    """`value` as the wire dict of its `DataValue`, or None after noting why it cannot be.

    The plain cases (a `float`, `int`, `bool` or `str` that fits the declared type) are written
    directly; everything else goes through `twinkit.values.to_data_value`, which the plain cases
    match exactly (a test holds them to it).
    """
    kind = None if data_type is None else data_type.type
    plain = type(value)
    if plain is float:
        if kind is None or kind is Type.DOUBLE:
            return {"doubleValue": value}
    elif plain is int:
        number: int = value  # type: ignore[assignment]
        if kind is Type.INTEGER and _INTEGER_RANGE[0] <= number <= _INTEGER_RANGE[1]:
            return {"integerValue": number}
        if (kind is None or kind is Type.LONG) and _LONG_RANGE[0] <= number <= _LONG_RANGE[1]:
            return {"longValue": number}
    elif plain is bool:
        if kind is None or kind is Type.BOOLEAN:
            return {"booleanValue": value}
    elif plain is str and (kind is None or kind is Type.STRING):
        return {"stringValue": value}
    try:
        return converter.unstructure(to_data_value(value, data_type))
    except ValidationError as error:
        for problem in error.problems:
            # to_data_value roots its paths at "value"; re-root them at this point.
            rest = problem.path[len("value") :] if problem.path.startswith("value") else ""
            where = path + rest
            problems.add(where, problem.message)
        return None


def plain_wires(values: list[Any], data_type: DataType | None) -> list[dict[str, Any]] | None:
    """The wire dicts of many values at once, when all of them are one plain Python type that
    fits the declared type (what `wire_value` writes directly for each); None otherwise, and
    the caller converts them one by one.

    A property's values are nearly always all floats (or all ints, bools, strings): one pass
    over the list to check that, and one to build the dicts, cost a fraction of a call per
    value, which a 100,000-value write would otherwise pay before sending anything.
    """
    kind = None if data_type is None else data_type.type
    if not values:
        return []
    first = type(values[0])
    if not all(type(value) is first for value in values):
        return None
    if first is float and (kind is None or kind is Type.DOUBLE):
        return [{"doubleValue": value} for value in values]
    if first is str and (kind is None or kind is Type.STRING):
        return [{"stringValue": value} for value in values]
    if first is bool and (kind is None or kind is Type.BOOLEAN):
        return [{"booleanValue": value} for value in values]
    if first is int:
        low, high = min(values), max(values)
        if kind is Type.INTEGER and _INTEGER_RANGE[0] <= low and high <= _INTEGER_RANGE[1]:
            return [{"integerValue": value} for value in values]
        if (kind is None or kind is Type.LONG) and _LONG_RANGE[0] <= low and high <= _LONG_RANGE[1]:
            return [{"longValue": value} for value in values]
    return None


# --- times ----------------------------------------------------------------------------------


def _time(t: object, path: str, problems: Problems) -> tuple[int, str] | None:
    """A time as (nanoseconds, `Time` string), or None after noting why it is not one."""
    try:
        if isinstance(t, str):
            ns = parse_time(t)
            return ns, format_time(ns)
        text = format_time(t)  # type: ignore[arg-type]
        return (t if type(t) is int else parse_time(text)), text
    except ValidationError as error:
        problems.add(path, f"time: {error.problems[0].message}")
        return None


def _array_times(times: Any, path: str, problems: Problems) -> list[tuple[int, str] | None] | None:
    """Times of a numpy array in one vectorised step; None when the array is not of a kind
    converted that way (each element is then converted alone)."""
    np = _numpy()
    if np is None or not isinstance(times, np.ndarray) or times.ndim != 1:
        return None
    if times.dtype.kind == "M":
        # A unit coarser than ns may overflow int64 ns, a finer one may lose digits: those go
        # one by one through format_time, which is exact for every unit. (numpy 2.3+ raises
        # on the overflow; older releases wrap around, which the comparison below catches.)
        try:
            exact = times.astype("datetime64[ns]")
        except OverflowError:
            return None
        same = (exact.astype(times.dtype) == times) | np.isnat(times)
        if not bool(same.all()):
            return None
    elif times.dtype.kind in "iu":
        if times.dtype.kind == "u" and times.size and int(times.max()) > 2**63 - 1:
            return None
        exact = times.astype("int64").view("datetime64[ns]")
    else:
        return None
    ns = exact.view("int64").tolist()
    text = np.datetime_as_string(exact, unit="ns").tolist()
    if not bool(np.isnat(exact).any()):
        return list(zip(ns, [s + "Z" for s in text], strict=True))
    result: list[tuple[int, str] | None] = []
    for index, (n, s) in enumerate(zip(ns, text, strict=True)):
        if s == "NaT":
            problems.add(f"{path}[{index}]", "time: expected a time, got NaT")
            result.append(None)
        else:
            result.append((n, s + "Z"))
    return result


def _index_times(index: Any, path: str, problems: Problems) -> list[tuple[int, str] | None]:
    """The times of a pandas index: a DatetimeIndex in one step (naive means UTC, as numpy)."""
    pd = _pandas()
    if pd is not None and isinstance(index, pd.DatetimeIndex):
        if index.tz is not None:
            index = index.tz_convert("UTC").tz_localize(None)
        converted = _array_times(index.as_unit("ns").to_numpy(), path, problems)
        if converted is not None:
            return converted
    array = index.to_numpy()
    converted = _array_times(array, path, problems)
    if converted is not None:
        return converted
    return [_time(t, f"{path}[{i}]", problems) for i, t in enumerate(_scalars(array))]


def _scalars(array: Any) -> list[Any]:
    """An array's elements for one-by-one conversion: `datetime64` stays `datetime64` (its
    `tolist()` would give naive datetimes, or ints), anything else becomes Python objects."""
    return list(array) if array.dtype.kind == "M" else list(array.tolist())


# --- one property ---------------------------------------------------------------------------


def _plain_values(values: Any) -> list[Any]:
    """A numpy array's or a Series' values as Python objects (numbers become float/int/bool)."""
    array = values.to_numpy() if hasattr(values, "to_numpy") else values
    if getattr(array, "dtype", None) is not None and array.dtype.kind in "fiub":
        return list(array.tolist())
    return list(array)


def _points(
    times: list[tuple[int, str] | None],
    values: list[Any],
    data_type: DataType | None,
    path: str,
    problems: Problems,
    skip_missing: bool = False,
) -> list[Point]:
    wires = None if skip_missing else plain_wires(values, data_type)
    if wires is not None and None not in times:
        return [(t[0], t[1], w) for t, w in zip(times, wires, strict=True)]  # type: ignore[index]
    points: list[Point] = []
    pd = _pandas()
    for index, (time, value) in enumerate(zip(times, values, strict=True)):
        if skip_missing and _missing(value, pd):
            continue
        if value is None or (pd is not None and value is pd.NA):
            problems.add(f"{path}[{index}]", "expected a value, got a missing one (None or NA)")
            continue
        wire = wire_value(value, data_type, f"{path}[{index}]", problems)
        if time is not None and wire is not None:
            points.append((time[0], time[1], wire))
    return points


def _missing(value: object, pd: Any) -> bool:
    if value is None or value != value:  # NaN is the one value unequal to itself
        return True
    return pd is not None and value is pd.NA


def property_points(
    values: object, data_type: DataType | None, path: str, problems: Problems
) -> list[Point]:
    """One property's values (any form the module docstring lists) as points.

    Args:
        values: The values.
        data_type: The property's declared type, when known.
        path: Where the values are, for messages (`...properties['rpm']`).
        problems: Where problems go.
    """
    pd, np = _pandas(), _numpy()
    if pd is not None and isinstance(values, pd.Series):
        times = _index_times(values.index, path, problems)
        return _points(times, _plain_values(values), data_type, path, problems)
    if np is not None and isinstance(values, np.ndarray) and values.dtype.names:
        if not {"time", "value"} <= set(values.dtype.names):
            fields = list(values.dtype.names)
            problems.add(path, f"expected a structured array with fields time, value; got {fields}")
            return []
        values = (values["time"], values["value"])
    if (
        np is not None
        and isinstance(values, tuple)
        and len(values) == 2
        and all(isinstance(part, np.ndarray) for part in values)
    ):
        times_array, values_array = values
        if len(times_array) != len(values_array):
            counts = f"{len(times_array)} times and {len(values_array)} values"
            problems.add(path, f"expected as many times as values, got {counts}")
            return []
        array_times = _array_times(times_array, path, problems)
        times = array_times or [
            _time(t, f"{path}[{i}]", problems) for i, t in enumerate(_scalars(times_array))
        ]
        return _points(times, _plain_values(values_array), data_type, path, problems)
    if isinstance(values, Mapping):
        pairs: Iterable[Any] = values.items()
    elif isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        expected = "(time, value) pairs, a {time: value} mapping, a pandas Series"
        problems.add(path, f"expected {expected} or numpy arrays; got {type(values).__name__}")
        return []
    else:
        pairs = values
    if not isinstance(pairs, list):
        pairs = list(pairs)
    if all(type(pair) is tuple and len(pair) == 2 for pair in pairs):
        int_times = _many_int_times([t for t, _ in pairs], path, problems)
        if int_times is not None and None not in int_times:
            return _points(int_times, [v for _, v in pairs], data_type, path, problems)
    checked: list[tuple[int, Any, Any]] = []
    for index, pair in enumerate(pairs):
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            where = f"{path}[{index}]"
            problems.add(where, f"expected a (time, value) pair, got {type(pair).__name__}")
            continue
        checked.append((index, pair[0], pair[1]))
    int_times = _many_int_times([t for _, t, _ in checked], path, problems)
    points: list[Point] = []
    for position, (index, t, value) in enumerate(checked):
        where = f"{path}[{index}]"
        time = _time(t, where, problems) if int_times is None else int_times[position]
        if value is None:
            problems.add(where, "expected a value, got None")
            continue
        wire = wire_value(value, data_type, where, problems)
        if time is not None and wire is not None:
            points.append((time[0], time[1], wire))
    return points


_VECTORISE_FROM = 256
"""Below this many times, importing numpy would cost more than it saves."""


def _many_int_times(
    times: list[Any], path: str, problems: Problems
) -> list[tuple[int, str] | None] | None:
    """Many int nanoseconds formatted in one numpy step (when numpy is installed), else None.

    `format_time` costs ~1.5 µs a time in Python; numpy's `datetime_as_string` is exact to
    the nanosecond for every int64 and ~10x faster.
    """
    if len(times) < _VECTORISE_FROM or not all(type(t) is int for t in times):
        return None
    try:
        import numpy as np
    except ImportError:
        return None
    try:
        array = np.array(times, dtype="int64")
    except OverflowError:
        return None
    # int64's minimum is numpy's NaT: leave such a time to format_time (which refuses it too).
    if bool((array == np.iinfo("int64").min).any()):
        return None
    return _array_times(array, path, problems)


def component_points(
    values: object,
    definitions: Mapping[str, DataType | None],
    path: str,
    problems: Problems,
) -> dict[str, list[Point]]:
    """A component's values, `{property: values}` or a DataFrame, as points per property.

    Args:
        values: The values.
        definitions: Each known property's declared type (None: not known).
        path: Where the component is, for messages (`entities['e'].components['c']`).
        problems: Where problems go.
    """
    pd = _pandas()
    result: dict[str, list[Point]] = {}
    if pd is not None and isinstance(values, pd.DataFrame):
        times = _index_times(values.index, f"{path}.index", problems)
        for column in values.columns:
            where = f"{path}.properties[{column!r}]"
            if not isinstance(column, str):
                problems.add(where, f"expected a str column name, got {type(column).__name__}")
                continue
            series_values = _plain_values(values[column])
            data_type = definitions.get(column)
            points = _points(times, series_values, data_type, where, problems, skip_missing=True)
            result[column] = _unique(points, where, problems)
        return result
    if not isinstance(values, Mapping):
        expected = "a {property: values} mapping or a pandas DataFrame"
        problems.add(path, f"expected {expected}, got {type(values).__name__}")
        return result
    for name, property_values in values.items():
        where = f"{path}.properties[{name!r}]"
        if not isinstance(name, str):
            problems.add(where, f"expected a str property name, got {type(name).__name__}")
            continue
        points = property_points(property_values, definitions.get(name), where, problems)
        result[name] = _unique(points, where, problems)
    return result


def _unique(points: list[Point], path: str, problems: Problems) -> list[Point]:
    """The points, after noting any instant given twice (which one would land is undefined)."""
    if len({ns for ns, _, _ in points}) == len(points):
        return points
    seen: set[int] = set()
    for ns, text, _ in points:
        if ns in seen:
            problems.add(path, f"expected each time once, got {text} more than once")
        seen.add(ns)
    return points
