"""Columns of history values -> a pandas DataFrame or a pyarrow Table, vectorised.

Times are parsed in one step for a whole listing: Arrow's string -> timestamp cast when
pyarrow is installed (exact to the nanosecond, any `Time` offset), else `pandas.to_datetime`;
doubles are cast in one step too (numpy reads `"NaN"` and `"Infinity"` strings as floats).
pandas and pyarrow are imported only here, and only when used.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs

from twinkit.dataplane._columns import SeriesColumns, SeriesKey

if TYPE_CHECKING:
    import numpy as np

__all__ = ["Collected", "collect", "to_arrow", "to_dataframe"]

_NUMERIC = {"doubleValue": "float64", "integerValue": "int64", "longValue": "int64"}


def _require(module: str, extra: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise ImportError(
            f"this needs {module}: install it with `pip install 'twinkit[{extra}]'`"
        ) from None


def _pyarrow() -> Any:
    try:
        import pyarrow
    except ImportError:
        return None
    return pyarrow


@attrs.define
class _Series:
    key: SeriesKey
    times: list[str] = attrs.field(factory=list)
    values: list[Any] = attrs.field(factory=list)
    kinds: set[str | None] = attrs.field(factory=set)


@attrs.define
class Collected:
    """Every series of a listing, its pages' columns appended in order."""

    series: dict[SeriesKey, _Series] = attrs.field(factory=dict)

    def add(self, columns: SeriesColumns) -> None:
        found = self.series.get(columns.key)
        if found is None:
            found = self.series[columns.key] = _Series(columns.key)
        found.times.extend(columns.times)
        found.values.extend(columns.values)
        found.kinds.add(columns.kind)


def collect(pages: Sequence[SeriesColumns] | Any) -> Collected:
    """Append the columns of every page, series by series."""
    collected = Collected()
    for columns in pages:
        collected.add(columns)
    return collected


def _times_ns(times: list[str]) -> np.ndarray[Any, Any]:
    """`Time` strings as int64 nanoseconds since the epoch, in one vectorised step."""
    import numpy as np

    pa = _pyarrow()
    if pa is not None:
        stamps = pa.array(times, type=pa.string()).cast(pa.timestamp("ns", "UTC"))
        result: np.ndarray[Any, Any] = stamps.cast(pa.int64()).to_numpy()
        return result
    pd = _require("pandas", "pandas")
    index = pd.to_datetime(pd.Index(times, dtype=object), format="ISO8601", utc=True)
    return np.asarray(index.as_unit("ns").asi8)


def _column(series: _Series) -> tuple[np.ndarray[Any, Any], str]:
    """The values as a numpy array, and the Arrow type name they need."""
    import numpy as np

    kinds = series.kinds - {None} if len(series.values) else set()
    kind = next(iter(kinds)) if len(kinds) == 1 and None not in series.kinds else None
    if kind in _NUMERIC:
        try:
            return np.asarray(series.values, dtype=_NUMERIC[kind]), _NUMERIC[kind]
        except (ValueError, TypeError, OverflowError):
            pass
    if kind == "booleanValue":
        return np.asarray(series.values, dtype=bool), "bool"
    if kind == "stringValue":
        return np.asarray(series.values, dtype=object), "string"
    values = np.empty(len(series.values), dtype=object)
    values[:] = series.values
    return values, "object"


def _all_times(collected: Collected) -> list[np.ndarray[Any, Any]]:
    import numpy as np

    everything = [t for s in collected.series.values() for t in s.times]
    parsed = _times_ns(everything) if everything else np.empty(0, dtype="int64")
    cuts = np.cumsum([len(s.times) for s in collected.series.values()])[:-1]
    return list(np.split(parsed, cuts)) if len(collected.series) else []


def to_dataframe(collected: Collected, *, long: bool) -> Any:
    """A DataFrame: wide (a `datetime64[ns, UTC]` index `time`, a column per property) or
    long (columns `entity_id`, `component`, `property`, `time`, `value`)."""
    _require("pandas", "pandas")
    import numpy as np
    import pandas as pd

    times = _all_times(collected)
    if long:
        frames = []
        for series, stamps in zip(collected.series.values(), times, strict=True):
            values, _ = _column(series)
            frames.append(
                pd.DataFrame(
                    {
                        "entity_id": series.key.entity_id,
                        "component": series.key.component,
                        "property": series.key.property_name,
                        "time": pd.DatetimeIndex(stamps.view("datetime64[ns]"), tz="UTC"),
                        "value": values,
                    }
                )
            )
        if not frames:
            return pd.DataFrame(
                {
                    "entity_id": pd.Series(dtype=object),
                    "component": pd.Series(dtype=object),
                    "property": pd.Series(dtype=object),
                    "time": pd.Series(dtype="datetime64[ns, UTC]"),
                    "value": pd.Series(dtype=object),
                }
            )
        frame = pd.concat(frames, ignore_index=True)
        return frame.sort_values(["time", "entity_id", "component", "property"], kind="stable")
    names = [s.key.property_name for s in collected.series.values()]
    if len(set(names)) != len(names):
        raise ValueError("several series share a property name: use to_dataframe(long=True)")
    columns = {}
    index_ns = None
    same = True
    for series, stamps in zip(collected.series.values(), times, strict=True):
        values, _ = _column(series)
        order = np.argsort(stamps, kind="stable")
        if not np.all(order[:-1] < order[1:]):  # descending listings: sort ascending
            stamps, values = stamps[order], values[order]
        columns[series.key.property_name] = (stamps, values)
        if index_ns is None:
            index_ns = stamps
        elif same and not np.array_equal(index_ns, stamps):
            same = False

    def index_of(stamps: np.ndarray[Any, Any]) -> Any:
        return pd.DatetimeIndex(stamps.view("datetime64[ns]"), tz="UTC", name="time")

    if not columns:
        return pd.DataFrame(index=pd.DatetimeIndex([], dtype="datetime64[ns, UTC]", name="time"))
    if same:
        assert index_ns is not None
        return pd.DataFrame({n: v for n, (_, v) in columns.items()}, index=index_of(index_ns))
    frame = pd.concat(
        {n: pd.Series(v, index=index_of(t)) for n, (t, v) in columns.items()}, axis=1, sort=True
    )
    frame.index.name = "time"
    return frame


def to_arrow(collected: Collected) -> Any:
    """A long Arrow table: `entity_id`, `component`, `property`, `time`
    (`timestamp[ns, UTC]`), `value` (the series' type when they all share one)."""
    pa = _require("pyarrow", "arrow")
    import numpy as np

    times = _all_times(collected)
    parts = []
    types = set()
    for series, stamps in zip(collected.series.values(), times, strict=True):
        values, type_name = _column(series)
        types.add(type_name)
        parts.append((series, stamps, values))
    if len(types) == 1 and "object" not in types:
        value_type = {"float64": pa.float64(), "int64": pa.int64(), "bool": pa.bool_()}.get(
            next(iter(types)), pa.string()
        )
    else:
        value_type = None
    if not parts:
        value_type = pa.float64()
    counts = [len(stamps) for _, stamps, _ in parts]

    def repeated(texts: list[str]) -> Any:
        return pa.DictionaryArray.from_arrays(
            pa.array(np.repeat(np.arange(len(texts), dtype=np.int32), counts)),
            pa.array(texts, type=pa.string()),
        )

    if value_type is None:
        raise TypeError(
            "to_arrow needs values of one scalar type across series; use to_dataframe for "
            f"mixed or nested values (found {sorted(types)})"
        )
    stamps_all = np.concatenate([s for _, s, _ in parts]) if parts else np.empty(0, "int64")
    # concat_arrays refuses an empty list: an empty listing is an empty column, not an error.
    values_all = (
        pa.concat_arrays([pa.array(v, type=value_type) for _, _, v in parts])
        if parts
        else pa.array([], type=value_type)
    )
    columns = {
        "entity_id": repeated([s.key.entity_id for s, _, _ in parts]),
        "component": repeated([s.key.component for s, _, _ in parts]),
        "property": repeated([s.key.property_name for s, _, _ in parts]),
        "time": pa.array(stamps_all, type=pa.int64()).cast(pa.timestamp("ns", "UTC")),
    }
    columns["value"] = values_all
    return pa.table(columns)
