"""Normalising a writer's inputs: every time form to the nanosecond, values as to_data_value."""

from __future__ import annotations

import json
import math
from datetime import datetime, timedelta, timezone
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from twinkit.dataplane._inputs import (
    Problems,
    component_points,
    plain_wires,
    property_points,
    wire_value,
)
from twinkit.errors import ValidationError
from twinkit.models import DataType, Type
from twinkit.values import format_time, to_data_value
from twinkit.wire import converter

# int64 nanoseconds hold 1677-09-21 .. 2262-04-11; a day less at each end, so that every form
# below (local times in other zones too) can hold them.
_DAY = 86_400 * 10**9
NS = st.integers(min_value=-(2**63) + _DAY, max_value=2**63 - 1 - _DAY)
DECLARED = st.sampled_from(
    [None, Type.DOUBLE, Type.INTEGER, Type.LONG, Type.BOOLEAN, Type.STRING, Type.LIST]
)
SCALARS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(2**64), max_value=2**64),
    st.booleans(),
    st.text(max_size=5),
    st.lists(st.integers(min_value=-5, max_value=5), max_size=3),
)


def _points(values: object, data_type: DataType | None = None) -> list[Any]:
    problems = Problems()
    points = property_points(values, data_type, "p", problems)
    problems.raise_if_any()
    return points


def _same(a: object, b: object) -> bool:
    """Equal as JSON text (so 1 != 1.0 and True != 1), NaN equal to NaN."""
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


@given(SCALARS, DECLARED)
def test_a_value_is_converted_exactly_as_to_data_value_converts_it(
    value: object, kind: Type | None
) -> None:
    data_type = None if kind is None else DataType(type=kind)
    problems = Problems()
    fast = wire_value(value, data_type, "p[0]", problems)
    expected: object = None
    reported: list[tuple[str, str]] = []
    try:
        expected = converter.unstructure(to_data_value(value, data_type))
    except ValidationError as error:
        reported = [("p[0]" + p.path[len("value") :], p.message) for p in error.problems]
    assert [(p.path, p.message) for p in problems.found] == reported
    assert _same(fast, expected)


@given(
    st.one_of(
        st.lists(SCALARS, max_size=8),
        *(
            st.lists(s, max_size=8)
            for s in (
                st.floats(),
                st.integers(min_value=-(2**64), max_value=2**64),
                st.booleans(),
                st.text(max_size=3),
            )
        ),
    ),
    DECLARED,
)
def test_a_whole_list_at_once_is_converted_as_value_by_value(
    values: list[object], kind: Type | None
) -> None:
    data_type = None if kind is None else DataType(type=kind)
    problems = Problems()
    one_by_one = [wire_value(value, data_type, "p", problems) for value in values]
    at_once = plain_wires(values, data_type)
    if at_once is not None:
        assert not problems.found
        assert _same(at_once, one_by_one)
    fitting = {float: Type.DOUBLE, str: Type.STRING, bool: Type.BOOLEAN}
    for plain, declared in fitting.items():
        if values and all(type(value) is plain for value in values) and kind in (None, declared):
            assert at_once is not None  # the common case does take the whole-list path


@given(NS)
def test_every_time_form_gives_the_same_nanoseconds_and_time_string(ns: int) -> None:
    text = format_time(ns)
    seconds, fraction = divmod(ns, 10**9)
    east = timezone(timedelta(hours=5, minutes=30))
    forms: list[object] = [
        ns,
        text,
        np.datetime64(ns, "ns"),
        pd.Timestamp(ns, unit="ns", tz="UTC"),
        pd.Timestamp(ns, unit="ns", tz="UTC").tz_convert(east),
        (datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(seconds=seconds)).isoformat()[:19]
        + f".{fraction:09d}+00:00",
    ]
    if ns % 1000 == 0:
        moment = datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(microseconds=ns // 1000)
        forms += [moment, moment.astimezone(east)]
    for form in forms:
        assert _points([(form, 1.5)]) == [(ns, text, {"doubleValue": 1.5})], form


values_lists = st.lists(
    st.tuples(NS, st.floats(allow_nan=False)), max_size=30, unique_by=lambda p: p[0]
)


@given(values_lists)
def test_series_frames_arrays_and_mappings_give_what_pairs_give(pairs: list[Any]) -> None:
    expected = _points(pairs)
    times = np.array([t for t, _ in pairs], dtype="int64")
    numbers = np.array([v for _, v in pairs], dtype="float64")
    index = pd.DatetimeIndex(times.view("datetime64[ns]")).tz_localize("UTC")
    structured = np.array(list(pairs), dtype=[("time", "int64"), ("value", "float64")])
    assert _points(dict(pairs)) == expected
    assert _points((times, numbers)) == expected
    assert _points((times.view("datetime64[ns]"), numbers)) == expected
    assert _points(structured) == expected
    assert _points(pd.Series(numbers, index=index)) == expected
    assert _points(pd.Series(numbers, index=index.tz_convert("Asia/Kolkata"))) == expected
    assert _points(pd.Series(numbers, index=index.tz_localize(None))) == expected  # naive: UTC
    frame = pd.DataFrame({"rpm": numbers}, index=index)
    problems = Problems()
    assert component_points(frame, {}, "c", problems) == {"rpm": expected}
    assert not problems.found


@settings(max_examples=15)
@given(st.lists(NS, min_size=256, max_size=300))
def test_many_int_times_formatted_at_once_match_format_time(times: list[int]) -> None:
    points = _points([(t, 1) for t in times])
    assert [(ns, text) for ns, text, _ in points] == [(t, format_time(t)) for t in times]


def test_a_frame_skips_missing_cells_while_a_series_writes_nan() -> None:
    index = pd.date_range("2026-01-01", periods=3, freq="s", tz="UTC")
    frame = pd.DataFrame({"a": [1.0, math.nan, 3.0], "b": [None, "x", "y"]}, index=index)
    problems = Problems()
    points = component_points(frame, {}, "c", problems)
    assert not problems.found
    assert [p[2] for p in points["a"]] == [{"doubleValue": 1.0}, {"doubleValue": 3.0}]
    assert [p[2] for p in points["b"]] == [{"stringValue": "x"}, {"stringValue": "y"}]
    series = _points(frame["a"])
    assert math.isnan(series[1][2]["doubleValue"])


def test_coarse_numpy_units_are_exact_even_beyond_the_nanosecond_range() -> None:
    times = np.array(["2026-01-01T00:00:01", "9999-12-31T23:59:59"], dtype="datetime64[s]")
    points = _points((times, np.array([1, 2])), DataType(type=Type.LONG))
    assert [(p[1], p[2]) for p in points] == [
        ("2026-01-01T00:00:01.000000000Z", {"longValue": 1}),
        ("9999-12-31T23:59:59.000000000Z", {"longValue": 2}),
    ]


def test_bad_input_names_the_path_of_every_problem() -> None:
    naive = datetime(2026, 1, 1)
    values = {
        "rpm": [(0, 1.0), (1, 2.0), (2, 3.0), (naive, 4.0), (4, "fast")],
        "temp": [(5, 1.0), (5, 2.0)],
        "on": "yes",
    }
    definitions = {"rpm": DataType(type=Type.DOUBLE), "temp": None, "on": None}
    problems = Problems()
    component_points(values, definitions, "entities['pump-1'].components['pump']", problems)
    with pytest.raises(ValidationError) as caught:
        problems.raise_if_any()
    prefix = "entities['pump-1'].components['pump'].properties"
    assert [str(p) for p in caught.value.problems] == [
        f"{prefix}['rpm'][3]: time: expected an aware datetime, got a naive one",
        f"{prefix}['rpm'][4]: expected a float or int (DOUBLE), got str 'fast'",
        f"{prefix}['temp']: expected each time once, got 1970-01-01T00:00:00.000000005Z "
        "more than once",
        f"{prefix}['on']: expected (time, value) pairs, a {{time: value}} mapping, a pandas "
        "Series or numpy arrays; got str",
    ]


def test_many_problems_are_listed_up_to_fifty() -> None:
    problems = Problems()
    property_points([("nope", 1.0)] * 80, None, "p", problems)
    with pytest.raises(ValidationError) as caught:
        problems.raise_if_any()
    assert len(caught.value.problems) == 51
    assert str(caught.value.problems[-1]) == "...: and 30 more problems"


def test_missing_values_and_times_are_errors_outside_a_frame() -> None:
    problems = Problems()
    index = pd.DatetimeIndex([np.datetime64("NaT", "ns"), np.datetime64(1, "ns")])
    property_points(pd.Series([None, 1.0], index=index, dtype=object), None, "p", problems)
    assert [str(p) for p in problems.found] == [
        "p[0]: time: expected a time, got NaT",
        "p[0]: expected a value, got a missing one (None or NA)",
    ]
