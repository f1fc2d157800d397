"""Python values <-> `DataValue`, and TwinMaker `Time` strings, exactly (`twinkit.values`)."""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from twinkit.errors import Problem, ValidationError
from twinkit.models import DataType, DataValue, RelationshipValue, Type
from twinkit.values import (
    Expression,
    Relationship,
    format_time,
    from_data_value,
    parse_time,
    parse_time_datetime,
    to_data_value,
)
from twinkit.wire import converter

MIN_NS = -62_135_596_800 * 10**9  # 0001-01-01T00:00:00Z
MAX_NS = 253_402_300_799 * 10**9 + 999_999_999  # 9999-12-31T23:59:59.999999999Z
TIME_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{9}Z")
UTC = timezone.utc


def same(a: Any, b: Any) -> bool:
    """Equal, and of the same types all the way down (`True` is not `1`, `1` is not `1.0`)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, float):
        return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)
    return bool(a == b)


def problems_of(excinfo: pytest.ExceptionInfo[ValidationError]) -> list[tuple[str, str, str]]:
    return [tuple(p) for p in excinfo.value.problems]  # type: ignore[misc]


# --- strategies --------------------------------------------------------------------------

names = st.text(min_size=1, max_size=12)
relationships = st.builds(Relationship, names, st.none() | names)
expressions = st.builds(Expression, names)
longs = st.integers(min_value=-(2**63), max_value=2**63 - 1)
integers32 = st.integers(min_value=-(2**31), max_value=2**31 - 1)
doubles = st.floats(allow_nan=False)

py_values = st.recursive(
    st.one_of(st.booleans(), longs, doubles, st.text(max_size=20), relationships, expressions),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(max_size=8), inner, max_size=4),
    ),
    max_leaves=20,
)

SCALAR_TYPES = [Type.BOOLEAN, Type.INTEGER, Type.LONG, Type.DOUBLE, Type.STRING, Type.RELATIONSHIP]

data_types: st.SearchStrategy[DataType] = st.recursive(
    st.builds(DataType, type=st.sampled_from(SCALAR_TYPES)),
    lambda inner: st.builds(
        DataType, type=st.sampled_from([Type.LIST, Type.MAP]), nested_type=inner
    ),
    max_leaves=4,
)


def data_values_of(data_type: DataType) -> st.SearchStrategy[DataValue]:
    """DataValues of a declared type, as the service would return them."""
    kind = data_type.type
    expression = st.builds(DataValue, expression=names)
    nested = data_type.nested_type
    if kind is Type.LIST:
        assert nested is not None
        values: st.SearchStrategy[DataValue] = st.builds(
            DataValue, list_value=st.lists(data_values_of(nested), max_size=3)
        )
    elif kind is Type.MAP:
        assert nested is not None
        values = st.builds(
            DataValue,
            map_value=st.dictionaries(st.text(max_size=6), data_values_of(nested), max_size=3),
        )
    else:
        values = {
            Type.BOOLEAN: st.builds(DataValue, boolean_value=st.booleans()),
            Type.INTEGER: st.builds(DataValue, integer_value=integers32),
            Type.LONG: st.builds(DataValue, long_value=longs),
            Type.DOUBLE: st.builds(DataValue, double_value=doubles),
            Type.STRING: st.builds(DataValue, string_value=st.text(max_size=20)),
            Type.RELATIONSHIP: st.builds(
                DataValue,
                relationship_value=st.builds(
                    RelationshipValue,
                    target_entity_id=names,
                    target_component_name=st.none() | names,
                ),
            ),
        }[Type(kind)]
    return values | expression


typed_data_values = data_types.flatmap(lambda t: st.tuples(st.just(t), data_values_of(t)))

offsets = st.builds(
    timezone,
    st.timedeltas(
        min_value=-timedelta(hours=23, minutes=59, seconds=59),
        max_value=timedelta(hours=23, minutes=59, seconds=59),
    ),
)
aware_datetimes = st.datetimes(
    min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=offsets
)


# --- to_data_value: by the value's own type ----------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1.5, DataValue(double_value=1.5)),
        (-0.0, DataValue(double_value=-0.0)),
        (True, DataValue(boolean_value=True)),
        (False, DataValue(boolean_value=False)),
        (0, DataValue(long_value=0)),
        (2**63 - 1, DataValue(long_value=2**63 - 1)),
        (-(2**63), DataValue(long_value=-(2**63))),
        ("pump", DataValue(string_value="pump")),
        ("", DataValue(string_value="")),
        ([], DataValue(list_value=[])),
        ({}, DataValue(map_value={})),
        ((1, "a"), DataValue(list_value=[DataValue(long_value=1), DataValue(string_value="a")])),
        (
            Relationship("pump-1"),
            DataValue(relationship_value=RelationshipValue(target_entity_id="pump-1")),
        ),
        (
            Relationship("pump-1", "motor"),
            DataValue(
                relationship_value=RelationshipValue(
                    target_entity_id="pump-1", target_component_name="motor"
                )
            ),
        ),
        (
            RelationshipValue(target_entity_id="e", target_component_name="c"),
            DataValue(
                relationship_value=RelationshipValue(
                    target_entity_id="e", target_component_name="c"
                )
            ),
        ),
        (Expression("${x} + 1"), DataValue(expression="${x} + 1")),
    ],
)
def test_to_data_value_by_type(value: object, expected: DataValue) -> None:
    result = to_data_value(value)
    assert result == expected
    assert same(
        [getattr(result, f) for f in ("double_value", "long_value", "boolean_value")],
        [getattr(expected, f) for f in ("double_value", "long_value", "boolean_value")],
    )


def test_bool_is_not_an_int() -> None:
    result = to_data_value(True)
    assert result.boolean_value is True
    assert result.long_value is None
    assert to_data_value([True, 1]) == DataValue(
        list_value=[DataValue(boolean_value=True), DataValue(long_value=1)]
    )


def test_nested_values_convert_recursively() -> None:
    value = {"a": [1, 2.5, {"b": "x"}], "c": {"d": [True]}}
    assert to_data_value(value) == DataValue(
        map_value={
            "a": DataValue(
                list_value=[
                    DataValue(long_value=1),
                    DataValue(double_value=2.5),
                    DataValue(map_value={"b": DataValue(string_value="x")}),
                ]
            ),
            "c": DataValue(map_value={"d": DataValue(list_value=[DataValue(boolean_value=True)])}),
        }
    )


def test_a_data_value_passes_through_unchanged() -> None:
    dv = DataValue(unknown_member="newValue")
    assert to_data_value(dv) is dv
    assert to_data_value(dv, Type.DOUBLE) is dv
    inner = DataValue(integer_value=3)
    assert to_data_value([inner]).list_value == [inner]
    assert to_data_value([inner]).list_value[0] is inner  # type: ignore[index]


def test_str_subclasses_become_plain_strings() -> None:
    result = to_data_value(Type.DOUBLE)
    assert result.string_value == "DOUBLE"
    assert type(result.string_value) is str


# --- to_data_value: with a declared type -------------------------------------------------


def test_declared_integer_gives_integer_value() -> None:
    expected = DataValue(integer_value=3)
    assert to_data_value(3, DataType(type=Type.INTEGER)) == expected
    assert to_data_value(3, Type.INTEGER) == expected
    assert to_data_value(3, "INTEGER") == expected
    assert to_data_value(2**31 - 1, "INTEGER") == DataValue(integer_value=2**31 - 1)
    assert to_data_value(-(2**31), "INTEGER") == DataValue(integer_value=-(2**31))


@pytest.mark.parametrize("number", [2**31, -(2**31) - 1, 10**20])
def test_declared_integer_out_of_range_is_an_error(number: int) -> None:
    with pytest.raises(ValidationError) as excinfo:
        to_data_value(number, Type.INTEGER)
    assert problems_of(excinfo) == [
        ("value", "", f"expected a value between -2147483648 and 2147483647, got {number}")
    ]


@pytest.mark.parametrize("number", [2**63, -(2**63) - 1])
def test_long_out_of_range_is_an_error(number: int) -> None:
    message = f"expected a value between {-(2**63)} and {2**63 - 1}, got {number}"
    for declared in (None, Type.LONG):
        with pytest.raises(ValidationError) as excinfo:
            to_data_value(number, declared)
        assert problems_of(excinfo) == [("value", "", message)]


def test_declared_long_and_double() -> None:
    assert to_data_value(7, "LONG") == DataValue(long_value=7)
    result = to_data_value(7, DataType(type=Type.DOUBLE))
    assert same(result.double_value, 7.0)
    assert same(to_data_value(2.5, "DOUBLE").double_value, 2.5)
    assert same(to_data_value(2**53, "DOUBLE").double_value, float(2**53))


@pytest.mark.parametrize("number", [2**53 + 1, 10**400])
def test_declared_double_refuses_an_int_it_cannot_hold_exactly(number: int) -> None:
    with pytest.raises(ValidationError) as excinfo:
        to_data_value(number, Type.DOUBLE)
    assert problems_of(excinfo) == [
        ("value", "", f"expected an int a double holds exactly, got {number}")
    ]


@pytest.mark.parametrize(
    ("value", "declared", "message"),
    [
        ("1.5", Type.DOUBLE, "expected a float or int (DOUBLE), got str '1.5'"),
        (True, Type.DOUBLE, "expected a float or int (DOUBLE), got bool True"),
        (1.0, Type.LONG, "expected an int (LONG), got float 1.0"),
        (True, Type.INTEGER, "expected an int (INTEGER), got bool True"),
        (1.5, Type.INTEGER, "expected an int (INTEGER), got float 1.5"),
        (1, Type.BOOLEAN, "expected a bool (BOOLEAN), got int 1"),
        (1, Type.STRING, "expected a str (STRING), got int 1"),
        ("ab", Type.LIST, "expected a list or tuple (LIST), got str 'ab'"),
        ([1], Type.MAP, "expected a dict (MAP), got list"),
        ("e", Type.RELATIONSHIP, "expected a Relationship (RELATIONSHIP), got str 'e'"),
        (None, Type.STRING, "expected a str (STRING), got None"),
    ],
)
def test_a_value_that_does_not_fit_the_declared_type_is_an_error(
    value: object, declared: Type, message: str
) -> None:
    for form in (declared, declared.value, DataType(type=declared)):
        with pytest.raises(ValidationError) as excinfo:
            to_data_value(value, form)
        assert problems_of(excinfo) == [("value", "", message)]


def test_nested_type_declares_the_items() -> None:
    list_of_integers = DataType(type=Type.LIST, nested_type=DataType(type=Type.INTEGER))
    assert to_data_value([1, 2], list_of_integers) == DataValue(
        list_value=[DataValue(integer_value=1), DataValue(integer_value=2)]
    )
    map_of_doubles = DataType(type=Type.MAP, nested_type=DataType(type=Type.DOUBLE))
    result = to_data_value({"a": 1, "b": 0.5}, map_of_doubles)
    assert result.map_value is not None
    assert same(result.map_value["a"].double_value, 1.0)
    assert same(result.map_value["b"].double_value, 0.5)
    # Without a nested type, the items convert by their own types.
    assert to_data_value([1, "a"], Type.LIST) == DataValue(
        list_value=[DataValue(long_value=1), DataValue(string_value="a")]
    )


def test_an_expression_fits_every_declared_type() -> None:
    for kind in Type:
        assert to_data_value(Expression("x"), kind) == DataValue(expression="x")


def test_a_relationship_fits_relationship() -> None:
    expected = DataValue(relationship_value=RelationshipValue(target_entity_id="e"))
    assert to_data_value(Relationship("e"), Type.RELATIONSHIP) == expected


def test_every_problem_is_reported_once_with_its_path() -> None:
    declared = DataType(
        type=Type.MAP,
        nested_type=DataType(type=Type.LIST, nested_type=DataType(type=Type.INTEGER)),
    )
    with pytest.raises(ValidationError) as excinfo:
        to_data_value({"a": [1, 1.5, 2**40], "b": "x", "c": [3]}, declared)
    assert problems_of(excinfo) == [
        ("value['a'][1]", "mapValue['a'].listValue[1]", "expected an int (INTEGER), got float 1.5"),
        (
            "value['a'][2]",
            "mapValue['a'].listValue[2]",
            "expected a value between -2147483648 and 2147483647, got 1099511627776",
        ),
        ("value['b']", "mapValue['b']", "expected a list or tuple (LIST), got str 'x'"),
    ]
    assert excinfo.value.paths == ("value['a'][1]", "value['a'][2]", "value['b']")


# --- to_data_value: unsupported values ---------------------------------------------------

SUPPORTED = "expected a bool, int, float, str, list, dict, Relationship, Expression or DataValue"


@pytest.mark.parametrize(
    ("value", "found"),
    [
        (None, "None"),
        ({1, 2}, "set"),
        (b"raw", "bytes"),
        (Decimal("1.5"), "Decimal"),
        (1 + 2j, "complex"),
        (date(2026, 1, 2), "date"),
        (object(), "object"),
    ],
)
def test_unsupported_values_are_errors(value: object, found: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        to_data_value(value)
    assert problems_of(excinfo) == [("value", "", f"{SUPPORTED}; got {found}")]


@pytest.mark.parametrize("value", [datetime(2026, 1, 2), datetime(2026, 1, 2, tzinfo=UTC)])
def test_a_datetime_is_not_a_data_value(value: datetime) -> None:
    hint = " (TwinMaker has no time value: use format_time() for a str)"
    with pytest.raises(ValidationError) as excinfo:
        to_data_value({"at": value})
    assert problems_of(excinfo) == [
        ("value['at']", "mapValue['at']", f"{SUPPORTED}; got datetime{hint}")
    ]


def test_an_unsupported_value_deep_in_a_dict_is_named_by_its_path() -> None:
    with pytest.raises(ValidationError) as excinfo:
        to_data_value({"a": [1, None, {"b": {3}}], "ok": 1})
    assert problems_of(excinfo) == [
        ("value['a'][1]", "mapValue['a'].listValue[1]", f"{SUPPORTED}; got None"),
        (
            "value['a'][2]['b']",
            "mapValue['a'].listValue[2].mapValue['b']",
            f"{SUPPORTED}; got set",
        ),
    ]
    assert str(excinfo.value).startswith("value['a'][1]: expected a bool")
    assert isinstance(excinfo.value, ValueError)


def test_map_keys_must_be_strings() -> None:
    with pytest.raises(ValidationError) as excinfo:
        to_data_value({"a": {1: "x", "ok": 2}})
    assert problems_of(excinfo) == [("value['a']", "mapValue['a']", "expected str keys, got int 1")]


def test_an_unknown_declared_type_is_an_error() -> None:
    with pytest.raises(ValidationError) as excinfo:
        to_data_value(1, "FLOAT")
    assert problems_of(excinfo) == [("value", "", "cannot convert to unknown data type 'FLOAT'")]
    with pytest.raises(ValidationError) as excinfo:
        to_data_value(1, 3)  # type: ignore[arg-type]
    assert problems_of(excinfo) == [("value", "", "expected a DataType, Type or str, got int 3")]


def test_bad_relationship_and_expression_contents_are_errors() -> None:
    with pytest.raises(ValidationError) as excinfo:
        to_data_value(
            [Relationship(1), Relationship("e", 2), Expression(None)]  # type: ignore[arg-type]
        )
    assert problems_of(excinfo) == [
        ("value[0]", "listValue[0]", "expected a str target_entity_id, got int 1"),
        ("value[1]", "listValue[1]", "expected a str or None target_component_name, got int 2"),
        ("value[2]", "listValue[2]", "expected an Expression of str, got None"),
    ]


# --- the wire ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "declared", "wire"),
    [
        ({"a": [1]}, None, {"mapValue": {"a": {"listValue": [{"longValue": 1}]}}}),
        (3, Type.INTEGER, {"integerValue": 3}),
        (3, Type.DOUBLE, {"doubleValue": 3.0}),
        (1.25, None, {"doubleValue": 1.25}),
        (False, None, {"booleanValue": False}),
        ("x", None, {"stringValue": "x"}),
        (
            Relationship("pump", "motor"),
            None,
            {"relationshipValue": {"targetEntityId": "pump", "targetComponentName": "motor"}},
        ),
        (Relationship("pump"), None, {"relationshipValue": {"targetEntityId": "pump"}}),
        (Expression("${a}"), None, {"expression": "${a}"}),
        (
            [[True], {"k": "v"}],
            None,
            {
                "listValue": [
                    {"listValue": [{"booleanValue": True}]},
                    {"mapValue": {"k": {"stringValue": "v"}}},
                ]
            },
        ),
    ],
)
def test_data_values_unstructure_to_boto3_dicts(
    value: object, declared: Type | None, wire: dict[str, Any]
) -> None:
    dv = to_data_value(value, declared)
    assert converter.unstructure(dv) == wire
    assert converter.structure(wire, DataValue) == dv


def test_a_wire_double_sent_as_an_integer_reads_as_a_float() -> None:
    dv = converter.structure({"doubleValue": 1}, DataValue)
    assert same(from_data_value(dv), 1.0)
    assert to_data_value(from_data_value(dv), Type.DOUBLE) == dv


# --- from_data_value ---------------------------------------------------------------------


def test_from_data_value_by_member() -> None:
    assert same(from_data_value(DataValue(double_value=2.5)), 2.5)
    assert same(from_data_value(DataValue(integer_value=2)), 2)
    assert same(from_data_value(DataValue(long_value=-2)), -2)
    assert same(from_data_value(DataValue(boolean_value=False)), False)
    assert same(from_data_value(DataValue(string_value="s")), "s")
    assert same(from_data_value(DataValue(expression="e")), Expression("e"))
    assert same(
        from_data_value(
            DataValue(
                relationship_value=RelationshipValue(
                    target_entity_id="e", target_component_name="c"
                )
            )
        ),
        Relationship("e", "c"),
    )
    assert same(
        from_data_value(
            DataValue(
                map_value={"a": DataValue(list_value=[DataValue(long_value=1)])},
            )
        ),
        {"a": [1]},
    )


def test_an_unknown_member_cannot_be_converted() -> None:
    with pytest.raises(ValidationError) as excinfo:
        from_data_value(DataValue(unknown_member="timeValue"))
    assert problems_of(excinfo) == [
        ("value", "", "cannot convert member 'timeValue': it is newer than this model")
    ]
    nested = DataValue(
        map_value={
            "a": DataValue(list_value=[DataValue(long_value=1), DataValue(unknown_member="")]),
            "b": DataValue(unknown_member="x"),
        }
    )
    with pytest.raises(ValidationError) as excinfo:
        from_data_value(nested)
    assert problems_of(excinfo) == [
        (
            "value['a'][1]",
            "mapValue['a'].listValue[1]",
            "cannot convert member: it is newer than this model",
        ),
        ("value['b']", "mapValue['b']", "cannot convert member 'x': it is newer than this model"),
    ]


def test_an_unknown_member_from_the_wire_cannot_be_converted() -> None:
    dv = converter.structure({"SDK_UNKNOWN_MEMBER": {"name": "timeValue"}}, DataValue)
    with pytest.raises(ValidationError, match="'timeValue': it is newer than this model"):
        from_data_value(dv)


def test_a_relationship_value_without_a_target_entity_is_an_error() -> None:
    with pytest.raises(ValidationError) as excinfo:
        from_data_value(DataValue(relationship_value=RelationshipValue()))
    assert problems_of(excinfo) == [("value", "", "expected a target_entity_id, got None")]


@given(py_values)
def test_python_values_round_trip(value: Any) -> None:
    dv = to_data_value(value)
    assert same(from_data_value(dv), value)
    assert converter.structure(converter.unstructure(dv), DataValue) == dv


@given(typed_data_values)
def test_data_values_round_trip_with_their_declared_type(pair: tuple[DataType, DataValue]) -> None:
    data_type, dv = pair
    assert to_data_value(from_data_value(dv), data_type) == dv


# --- numpy and pandas --------------------------------------------------------------------


def test_numpy_scalars_and_arrays() -> None:
    np = pytest.importorskip("numpy")
    assert same(to_data_value(np.float64(1.5)).double_value, 1.5)
    assert same(to_data_value(np.float32(0.25)).double_value, 0.25)
    assert same(to_data_value(np.int64(7)).long_value, 7)
    assert same(to_data_value(np.uint8(7), Type.INTEGER).integer_value, 7)
    assert same(to_data_value(np.int32(7), Type.DOUBLE).double_value, 7.0)
    assert same(to_data_value(np.bool_(True)).boolean_value, True)
    assert same(to_data_value(np.str_("x")).string_value, "x")
    assert to_data_value(np.array([[1, 2], [3, 4]])) == to_data_value([[1, 2], [3, 4]])
    assert to_data_value(np.array(2.5)) == DataValue(double_value=2.5)
    assert to_data_value({"a": np.array([True, False])}) == to_data_value({"a": [True, False]})
    assert to_data_value(np.array([1, 2]), Type.LIST) == to_data_value([1, 2])


def test_numpy_values_that_do_not_fit() -> None:
    np = pytest.importorskip("numpy")
    with pytest.raises(ValidationError) as excinfo:
        to_data_value(np.bool_(True), Type.INTEGER)
    assert problems_of(excinfo) == [("value", "", "expected an int (INTEGER), got bool True")]
    with pytest.raises(ValidationError) as excinfo:
        to_data_value(np.int64(2**40), Type.INTEGER)
    assert problems_of(excinfo)[0][2].startswith("expected a value between")
    with pytest.raises(ValidationError) as excinfo:
        to_data_value([np.datetime64("2026-01-02"), np.complex128(1j)])
    assert problems_of(excinfo) == [
        (
            "value[0]",
            "listValue[0]",
            f"{SUPPORTED}; got numpy datetime64 (TwinMaker has no time value: use format_time()"
            " for a str)",
        ),
        ("value[1]", "listValue[1]", f"{SUPPORTED}; got numpy complex128"),
    ]
    if np.finfo(np.longdouble).nmant > np.finfo(np.float64).nmant:
        inexact = np.longdouble(1) + np.longdouble(2) ** -60
        with pytest.raises(ValidationError, match="got numpy longdouble"):
            to_data_value(inexact)


def test_numpy_datetime64_formats_exactly_in_any_unit() -> None:
    np = pytest.importorskip("numpy")
    ns = np.datetime64("2026-01-02T03:04:05.123456789", "ns")
    assert format_time(ns) == "2026-01-02T03:04:05.123456789Z"
    assert format_time(np.datetime64("2026-01-02T03:04:05.123456", "us")) == (
        "2026-01-02T03:04:05.123456000Z"
    )
    assert format_time(np.datetime64("2026-01-02T03:04:05.123", "ms")) == (
        "2026-01-02T03:04:05.123000000Z"
    )
    assert (
        format_time(np.datetime64("2026-01-02T03:04:05", "s")) == "2026-01-02T03:04:05.000000000Z"
    )
    assert format_time(np.datetime64("2026-01-02T03:04", "m")) == "2026-01-02T03:04:00.000000000Z"
    assert format_time(np.datetime64("2026-01-02T03", "h")) == "2026-01-02T03:00:00.000000000Z"
    assert format_time(np.datetime64("2026-01-02", "D")) == "2026-01-02T00:00:00.000000000Z"
    assert format_time(np.datetime64("2026-01-01", "W")) == "2026-01-01T00:00:00.000000000Z"
    assert format_time(np.datetime64("2026-03", "M")) == "2026-03-01T00:00:00.000000000Z"
    assert format_time(np.datetime64("1969-11", "M")) == "1969-11-01T00:00:00.000000000Z"
    assert format_time(np.datetime64("2026", "Y")) == "2026-01-01T00:00:00.000000000Z"
    assert format_time(np.datetime64(5, "3ms")) == "1970-01-01T00:00:00.015000000Z"
    assert format_time(np.datetime64(-1, "ns")) == "1969-12-31T23:59:59.999999999Z"
    assert format_time(np.datetime64(1_000_000, "ps")) == "1970-01-01T00:00:00.000001000Z"
    # Beyond datetime64[ns]'s range (1678..2262), nothing overflows.
    assert format_time(np.datetime64("0001-01-01T00:00:00.000001", "us")) == (
        "0001-01-01T00:00:00.000001000Z"
    )
    assert format_time(np.datetime64("9999-12-31T23:59:59.999999", "us")) == (
        "9999-12-31T23:59:59.999999000Z"
    )


def test_numpy_datetime64_errors() -> None:
    np = pytest.importorskip("numpy")
    cases = [
        (np.datetime64("NaT", "us"), "expected a time, got numpy datetime64 NaT"),
        (np.datetime64("NaT", "ns"), "expected a time, got numpy datetime64 NaT"),
        (
            np.datetime64(1, "ps"),
            "expected whole nanoseconds, got 1970-01-01T00:00:00.000000000001 "
            "(a Time holds no less)",
        ),
        (
            np.datetime64("10000-01-01", "D"),
            "expected a time in years 0001..9999 (UTC), got 253402300800000000000 ns",
        ),
        (np.datetime64(-1970, "Y"), "expected a time in years 0001..9999 (UTC), got 0000"),
    ]
    for value, message in cases:
        with pytest.raises(ValidationError) as excinfo:
            format_time(value)
        assert problems_of(excinfo) == [("t", "", message)]


@given(st.integers(min_value=-(2**63) + 1, max_value=2**63 - 1))
def test_format_time_agrees_with_numpy(ns: int) -> None:
    np = pytest.importorskip("numpy")
    expected = str(np.datetime_as_string(np.datetime64(ns, "ns"), unit="ns")) + "Z"
    assert format_time(ns) == expected
    assert format_time(np.datetime64(ns, "ns")) == expected


def test_pandas_timestamps_keep_their_nanoseconds() -> None:
    pd = pytest.importorskip("pandas")
    stamp = pd.Timestamp("2026-01-02T04:04:05.123456789+01:00")
    assert format_time(stamp) == "2026-01-02T03:04:05.123456789Z"
    assert format_time(stamp.tz_convert("UTC")) == "2026-01-02T03:04:05.123456789Z"
    assert format_time(pd.Timestamp(-1, unit="ns", tz="UTC")) == "1969-12-31T23:59:59.999999999Z"
    assert parse_time(format_time(stamp)) == stamp.value
    # Outside datetime64[ns]'s range, as pandas >= 2 allows with a coarser unit.
    old = pd.Timestamp(datetime(1500, 6, 1, 12, 0, 0, 5, tzinfo=UTC))
    assert format_time(old) == "1500-06-01T12:00:00.000005000Z"


def test_pandas_naive_timestamps_and_nat_are_errors() -> None:
    pd = pytest.importorskip("pandas")
    with pytest.raises(ValidationError) as excinfo:
        format_time(pd.Timestamp("2026-01-02T03:04:05.123456789"))
    assert problems_of(excinfo) == [("t", "", "expected an aware datetime, got a naive one")]
    with pytest.raises(ValidationError) as excinfo:
        format_time(pd.NaT)
    assert problems_of(excinfo) == [("t", "", "expected a time, got pandas NaT")]


# --- times -------------------------------------------------------------------------------


def test_format_time_examples() -> None:
    assert format_time(1_767_323_045_123_456_789) == "2026-01-02T03:04:05.123456789Z"
    assert format_time(0) == "1970-01-01T00:00:00.000000000Z"
    assert format_time(-1) == "1969-12-31T23:59:59.999999999Z"
    assert format_time(MIN_NS) == "0001-01-01T00:00:00.000000000Z"
    assert format_time(MAX_NS) == "9999-12-31T23:59:59.999999999Z"
    moment = datetime(2026, 1, 2, 4, 4, 5, 123456, tzinfo=timezone(timedelta(hours=1)))
    assert format_time(moment) == "2026-01-02T03:04:05.123456000Z"
    assert format_time(datetime(1, 1, 1, tzinfo=UTC)) == "0001-01-01T00:00:00.000000000Z"
    assert format_time(datetime(999, 5, 6, 7, 8, 9, tzinfo=UTC)) == (
        "0999-05-06T07:08:09.000000000Z"
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (datetime(2026, 1, 2), "expected an aware datetime, got a naive one"),
        (True, "expected an aware datetime or int nanoseconds, got bool True"),
        (
            1.5,
            "expected an aware datetime, int nanoseconds, pandas.Timestamp or "
            "numpy.datetime64; got float 1.5",
        ),
        (
            "2026-01-02T03:04:05Z",
            "expected an aware datetime, int nanoseconds, pandas.Timestamp or "
            "numpy.datetime64; got str '2026-01-02T03:04:05Z'",
        ),
        (
            date(2026, 1, 2),
            "expected an aware datetime, int nanoseconds, pandas.Timestamp or "
            "numpy.datetime64; got date",
        ),
        (MIN_NS - 1, f"expected a time in years 0001..9999 (UTC), got {MIN_NS - 1} ns"),
        (MAX_NS + 1, f"expected a time in years 0001..9999 (UTC), got {MAX_NS + 1} ns"),
        (
            datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1))),
            f"expected a time in years 0001..9999 (UTC), got {MIN_NS - 3600 * 10**9} ns",
        ),
    ],
)
def test_format_time_errors(value: Any, message: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        format_time(value)
    assert problems_of(excinfo) == [("t", "", message)]


@pytest.mark.parametrize(
    ("text", "ns"),
    [
        ("1970-01-01T00:00:00Z", 0),
        ("1970-01-01T00:00:00.5Z", 500_000_000),
        ("1970-01-01T01:00:00.5+01:00", 500_000_000),
        ("1969-12-31T19:00:00.000000001-05:00", 1),
        ("1969-12-31T23:59:59.999999999Z", -1),
        ("2026-01-02T03:04:05.123456789Z", 1_767_323_045_123_456_789),
        ("2026-01-02T04:04:05.123456789+01:00", 1_767_323_045_123_456_789),
        ("2026-01-02T03:04:05.123456789-00:00", 1_767_323_045_123_456_789),
        ("2026-01-02T03:04:05.1234Z", 1_767_323_045_123_400_000),
        ("0001-01-01T00:00:00Z", MIN_NS),
        ("9999-12-31T23:59:59.999999999Z", MAX_NS),
        ("0001-01-01T00:00:00+00:01", MIN_NS - 60 * 10**9),
        ("2024-02-29T23:59:59.000000001+23:59", 1_709_164_859_000_000_001),
    ],
)
def test_parse_time_examples(text: str, ns: int) -> None:
    assert parse_time(text) == ns


@pytest.mark.parametrize(
    "text",
    [
        "2026-01-02T03:04:05",  # no zone
        "2026-01-02T03:04:05.123",  # no zone
        "2026-01-02 03:04:05Z",
        "2026-01-02t03:04:05z",
        "2026-01-02T03:04:05.Z",
        "2026-01-02T03:04:05.1234567890Z",
        "2026-01-02T03:04Z",
        "2026-1-02T03:04:05Z",
        "26-01-02T03:04:05Z",
        "2026-01-02T03:04:05+0100",
        "2026-01-02T03:04:05+01",
        "\uff12026-01-02T03:04:05Z",  # a fullwidth digit
        "2026-01-02T03:04:05Z ",
        "",
    ],
)
def test_parse_time_refuses_malformed_strings(text: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        parse_time(text)
    assert problems_of(excinfo) == [
        (
            "s",
            "",
            f"expected a Time string YYYY-MM-DDThh:mm:ss[.SSSSSSSSS][Z|±HH:mm], got str {text!r}",
        )
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-02-30T00:00:00Z", "day is out of range for month"),
        ("2025-02-29T00:00:00Z", "day is out of range for month"),
        ("0000-01-01T00:00:00Z", "year 0 is out of range"),
        ("2026-13-01T00:00:00Z", "month must be in 1..12"),
        ("2026-01-01T24:00:00Z", "hour must be in 0..23"),
        ("2026-01-01T00:60:00Z", "minute must be in 0..59"),
        ("2026-01-01T00:00:60Z", "second must be in 0..59"),
    ],
)
def test_parse_time_refuses_impossible_dates(text: str, message: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        parse_time(text)
    assert problems_of(excinfo) == [
        ("s", "", f"expected a real date and time, got {text!r} ({message})")
    ]


@pytest.mark.parametrize("zone", ["+24:00", "-25:00", "+01:60"])
def test_parse_time_refuses_impossible_offsets(zone: str) -> None:
    text = f"2026-01-02T03:04:05{zone}"
    with pytest.raises(ValidationError) as excinfo:
        parse_time(text)
    assert problems_of(excinfo) == [
        ("s", "", f"expected an offset within ±23:59, got {zone!r} in {text!r}")
    ]


def test_parse_time_refuses_other_types() -> None:
    with pytest.raises(ValidationError) as excinfo:
        parse_time(0)  # type: ignore[arg-type]
    assert problems_of(excinfo) == [
        ("s", "", "expected a Time string YYYY-MM-DDThh:mm:ss[.SSSSSSSSS][Z|±HH:mm], got int 0")
    ]


def test_parse_time_datetime() -> None:
    result = parse_time_datetime("2026-01-02T04:04:05.123456789+01:00")
    assert result == datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=UTC)
    assert result.tzinfo is UTC
    # Digits after the sixth are truncated, also before 1970.
    assert parse_time_datetime("1969-12-31T23:59:59.9999999Z") == datetime(
        1969, 12, 31, 23, 59, 59, 999999, tzinfo=UTC
    )
    assert parse_time_datetime("0001-01-01T00:00:00Z") == datetime(1, 1, 1, tzinfo=UTC)
    assert parse_time_datetime("9999-12-31T23:59:59.999999999Z") == datetime.max.replace(tzinfo=UTC)


@pytest.mark.parametrize("text", ["0001-01-01T00:00:00+00:01", "9999-12-31T23:59:59-00:01"])
def test_parse_time_datetime_outside_datetime_range_is_an_error(text: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        parse_time_datetime(text)
    assert problems_of(excinfo) == [
        ("s", "", f"expected a time in years 0001..9999 (UTC), got {text!r}")
    ]


@given(st.integers(min_value=MIN_NS, max_value=MAX_NS))
def test_every_time_in_range_round_trips(ns: int) -> None:
    text = format_time(ns)
    assert TIME_PATTERN.fullmatch(text)
    assert len(text) == 30
    assert parse_time(text) == ns


@given(aware_datetimes)
def test_aware_datetimes_round_trip(moment: datetime) -> None:
    text = format_time(moment)
    assert TIME_PATTERN.fullmatch(text)
    assert text == format_time(moment.astimezone(UTC))
    result = parse_time_datetime(text)
    assert result == moment
    assert result.tzinfo is UTC
    assert result.replace(tzinfo=None) == (moment - moment.utcoffset()).replace(  # type: ignore[operator]
        tzinfo=None
    )


@st.composite
def time_strings(draw: st.DrawFn) -> tuple[str, int]:
    """A valid Time string in any form, and its nanoseconds computed independently."""
    moment = draw(st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)))
    digits = draw(st.integers(min_value=0, max_value=9))
    fraction = draw(st.text("0123456789", min_size=digits, max_size=digits))
    minutes = draw(st.integers(min_value=-(23 * 60 + 59), max_value=23 * 60 + 59))
    zone = draw(
        st.just("Z")
        | st.just(f"{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}")
    )
    text = (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
        f"T{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"
    )
    if fraction:
        text += "." + fraction
    text += zone
    offset = 0 if zone == "Z" else minutes * 60
    seconds = (moment.replace(microsecond=0) - datetime(1970, 1, 1)) // timedelta(seconds=1)
    ns = (seconds - offset) * 10**9 + (int(fraction) * 10 ** (9 - digits) if fraction else 0)
    return text, ns


@given(time_strings())
def test_every_form_of_time_string_parses_exactly(case: tuple[str, int]) -> None:
    text, ns = case
    assert 20 <= len(text) <= 35
    assert parse_time(text) == ns
    assert parse_time(format_time(ns)) == ns


# --- the values themselves ---------------------------------------------------------------


def test_relationship_and_expression_are_frozen_values() -> None:
    assert Relationship("e") == Relationship(target_entity_id="e", target_component_name=None)
    assert Expression("x") == Expression(text="x")
    assert hash(Relationship("e", "c")) == hash(Relationship("e", "c"))
    with pytest.raises(AttributeError):
        Expression("x").text = "y"  # type: ignore[misc]


def test_problem_type_is_the_errors_one() -> None:
    with pytest.raises(ValidationError) as excinfo:
        to_data_value(None)
    assert all(isinstance(p, Problem) for p in excinfo.value.problems)
