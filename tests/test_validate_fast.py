"""The fast validity check agrees with the walker: it vouches for a value only when the walker
finds no problem in it, and `find_problems` answers exactly what the walker answers.

The values come from `tests/strategies.py` (valid by construction), then some are broken at a
random place, in the ways the walker looks for: wrong types, bools for numbers, unknown or
missing members, unions with two members or none, numbers out of range, strings too long,
too short or off their pattern, unknown enum values, lists and maps of the wrong size, map
keys that are not strings or miss their shape. Every value is judged under the three sets of
rules in use: the SDK's requests, responses, and the emulator's (enums too).
"""

from __future__ import annotations

import copy
from collections import OrderedDict
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone, tzinfo
from types import MappingProxyType
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.strategies import wire_values
from twinkit._fastcheck import _SEEN_LONGEST, _SEEN_MAX, FAST_NESTING, _matcher, is_valid
from twinkit._generated.tables import OPERATIONS, SHAPES
from twinkit._schema import (
    ListShape,
    MapShape,
    NumberShape,
    ScalarShape,
    StringShape,
    StructureShape,
)
from twinkit._service import INTEGER_RANGE, LONG_RANGE, MAX_NESTING, SDK_UNKNOWN_MEMBER
from twinkit._validate import (
    REFERS_TO_ITSELF,
    REQUEST,
    RESPONSE,
    TOO_DEEP,
    Checks,
    WrongType,
    _Walker,
    find_problems,
)
from twinkit.errors import Problem

SERVICE = Checks(enums=True)
"""The emulator's rules: a request's, with enums checked."""

ID_SHAPE = SHAPES["Id"]
assert isinstance(ID_SHAPE, StringShape)
assert ID_SHAPE.pattern is not None
SHAPES_PATTERN = ID_SHAPE.pattern
"""The pattern of a workspace id."""

ALL_CHECKS = (REQUEST, RESPONSE, SERVICE)

OPERATION_SHAPES = sorted(
    {op.input for op in OPERATIONS.values() if op.input}
    | {op.output for op in OPERATIONS.values() if op.output}
)

EXAMPLES = settings(
    # A quarter of the profile's count: 25 by default, more under `HYPOTHESIS_PROFILE=thorough`.
    max_examples=max(25, settings().max_examples // 4),
    deadline=None,  # the first example of a shape also generates its checker
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def walked(value: Any, shape_name: str, checks: Checks) -> list[Problem]:
    """What the walker alone finds: the answer `find_problems` must give."""
    walker = _Walker(checks)
    walker.walk(value, shape_name, shape_name, "")
    return walker.problems


def nesting(value: Any) -> int:
    """Levels of lists, tuples and dicts in `value`, itself counting as one (as the walker's)."""
    if isinstance(value, dict):
        return 1 + max((nesting(item) for item in value.values()), default=0)
    if isinstance(value, (list, tuple)):
        return 1 + max((nesting(item) for item in value), default=0)
    return 0


def assert_agrees(value: Any, shape_name: str) -> None:
    """Under every set of rules: the fast verdict is the walker's, and so is the answer.

    Only a value nested past `FAST_NESTING` may be refused by the fast check while the walker
    accepts it (it is left to the walker, on purpose).
    """
    for checks in ALL_CHECKS:
        problems = walked(value, shape_name, checks)
        verdict = is_valid(value, shape_name, checks.constraints, checks.enums)
        if nesting(value) > FAST_NESTING:
            assert not verdict, (checks, value)
        else:
            assert verdict == (problems == []), (checks, problems, value)
        assert find_problems(value, shape_name, checks) == problems


# --- breaking a value at a random place -------------------------------------------------------


class _Odd:
    """A value of a type nothing in the model takes."""

    def __repr__(self) -> str:
        return "_Odd()"


ODD_VALUES: tuple[Any, ...] = (
    None,
    True,
    False,
    0,
    -1,
    1.5,
    float("nan"),
    "x",
    "",
    [],
    (),
    {},
    b"raw",
    {1, 2},
    _Odd(),
    WrongType(_Odd(), "a DataValue"),
    datetime(2026, 1, 1),  # naive
)


class _NoOffset(tzinfo):
    """A tzinfo that knows no offset: a datetime with it is naive, for Python and the walker."""

    def utcoffset(self, dt: datetime | None) -> timedelta | None:
        return None

    def dst(self, dt: datetime | None) -> timedelta | None:
        return None

    def tzname(self, dt: datetime | None) -> str | None:
        return None


def _breakages(shape_name: str, value: Any) -> list[Any]:
    """Values that could stand where `value` (of `shape_name`) stands, most of them wrong."""
    shape = SHAPES[shape_name]
    out: list[Any] = list(ODD_VALUES)
    if isinstance(shape, StringShape) and type(value) is str:
        low, high = shape.min_length or 0, shape.max_length
        if high is not None:
            out.append("x" * (high + 1))
        if low > 0:
            out.append("x" * (low - 1))
        out += [value + " !\x00", "-" + value, "NOT_AN_ENUM_VALUE", 5]
        if shape.enum:
            out.append(shape.enum[-1])
    elif isinstance(shape, NumberShape) and type(value) in (int, float):
        if shape.kind == "double":
            out += ["NaN", "Infinity", "-Infinity", "nan", "1.5", float("inf"), 2**80, -0.0]
        else:
            bounds = INTEGER_RANGE if shape.kind == "integer" else LONG_RANGE
            low = bounds[0] if shape.minimum is None else int(shape.minimum)
            high = bounds[1] if shape.maximum is None else int(shape.maximum)
            out += [low, high, low - 1, high + 1, float(value), str(value), "NaN", 2**63]
    elif isinstance(shape, ScalarShape):
        aware = datetime(2026, 1, 1, tzinfo=timezone.utc)
        out += [
            1,
            "true",
            1_767_225_600,
            1_767_225_600.5,
            aware,
            aware.replace(tzinfo=_NoOffset()),
            "2026-01-01T00:00:00Z",
            [1, "a", None, {"k": [True]}],
            {"k": 1, 2: "v"},
            (1, 2),
            [{"k": (1,)}],
        ]
    elif isinstance(shape, ListShape) and type(value) is list:
        items = list(value)
        out.append(tuple(items))
        if items:
            out.append(items + [copy.deepcopy(items[0]) for _ in range((shape.max_items or 1) + 1)])
            out.append([*items, _Odd()])
        if shape.min_items:
            out.append([])
    elif isinstance(shape, MapShape) and type(value) is dict:
        if value:
            first = next(iter(value))
            out.append({**value, 1: value[first]})
            out.append({**value, None: value[first]})
            out.append({**value, "bad key \x00!": value[first]})
            out.append({**value, "": value[first]})
            many = {f"k{i}": value[first] for i in range((shape.max_items or 1) + 1)}
            out.append(many)
    elif isinstance(shape, StructureShape) and isinstance(value, dict):
        out.append({**value, "notAMember": 1})
        out.append({**value, SDK_UNKNOWN_MEMBER: {"name": "newMember"}})
        for member in shape.members:
            if member.required:
                out.append({k: v for k, v in value.items() if k != member.wire})
            out.append({**value, member.wire: None})
        if shape.union:
            out.append({})
            present = next(iter(value))
            for member in shape.members:
                if member.wire != present:
                    # The same value under a second member: often the wrong type there too,
                    # and two members either way.
                    out.append({**value, member.wire: value[present]})
    return out


def _places(value: Any, shape_name: str, parent: Any, key: Any) -> list[tuple[Any, Any, str]]:
    """Every (container, key, shape) in `value` where a value can be replaced."""
    found = [(parent, key, shape_name)]
    shape = SHAPES[shape_name]
    if isinstance(shape, StructureShape) and type(value) is dict:
        for member in shape.members:
            if value.get(member.wire) is not None:
                found += _places(value[member.wire], member.shape, value, member.wire)
    elif isinstance(shape, ListShape) and type(value) is list:
        for index, item in enumerate(value):
            found += _places(item, shape.member, value, index)
    elif isinstance(shape, MapShape) and type(value) is dict:
        for item_key, item in value.items():
            found += _places(item, shape.value, value, item_key)
    return found


@st.composite
def broken(draw: st.DrawFn, shape_name: str) -> Any:
    """A valid value of `shape_name`, then (mostly) one to three breakages at random places."""
    holder = [copy.deepcopy(draw(wire_values(shape_name)))]
    for _ in range(draw(st.integers(0, 3))):
        places = _places(holder[0], shape_name, holder, 0)
        parent, key, place_shape = draw(st.sampled_from(places))
        parent[key] = draw(st.sampled_from(_breakages(place_shape, parent[key])))
    return holder[0]


# --- every operation's input and output, valid and broken -------------------------------------


@pytest.mark.parametrize("shape_name", OPERATION_SHAPES)
@EXAMPLES
@given(data=st.data())
def test_the_fast_check_agrees_with_the_walker(shape_name: str, data: st.DataObject) -> None:
    assert_agrees(data.draw(broken(shape_name)), shape_name)


@pytest.mark.parametrize("shape_name", OPERATION_SHAPES)
@EXAMPLES
@given(data=st.data())
def test_the_fast_check_vouches_for_valid_values(shape_name: str, data: st.DataObject) -> None:
    value = data.draw(wire_values(shape_name))
    # Drawn requests are valid but may carry enum values newer than the model (only the
    # emulator refuses those); drawn responses may also carry botocore's unknown members.
    shape = SHAPES[shape_name]
    assert isinstance(shape, StructureShape)
    checks = REQUEST if shape.request else RESPONSE
    assert is_valid(value, shape_name, checks.constraints, checks.enums)
    assert_agrees(value, shape_name)


def test_every_operation_shape_is_covered() -> None:
    assert len(OPERATION_SHAPES) == 80
    assert all(isinstance(SHAPES[name], StructureShape) for name in OPERATION_SHAPES)


# --- nesting: deep, past the fast check's limit, past the walker's, cyclic ----------------------


def nested_value(levels: int) -> dict[str, Any]:
    """A `DataValue` of lists in lists: `levels` lists, each two levels on the wire."""
    value: dict[str, Any] = {"stringValue": "leaf"}
    for _ in range(levels):
        value = {"listValue": [value]}
    return value


def nested_document(levels: int) -> Any:
    document: Any = "leaf"
    for index in range(levels):
        document = [document] if index % 2 else {"k": document}
    return document


@settings(deadline=None)
@given(levels=st.integers(0, MAX_NESTING // 2 + 2))
def test_deep_values_are_left_to_the_walker_past_the_fast_limit(levels: int) -> None:
    value = nested_value(levels)
    assert_agrees(value, "DataValue")
    request = {
        "workspaceId": "factory",
        "entityName": "deep",
        "components": {"c": {"properties": {"p": {"value": value}}}},
    }
    assert_agrees(request, "CreateEntityRequest")
    rows = {"rows": [{"rowData": [nested_document(levels * 2)]}]}
    assert_agrees(rows, "ExecuteQueryResponse")


def test_the_deepest_values_each_side_of_the_limits() -> None:
    # The root DataValue is level 1 and each list adds two: 63 lists reach level 127.
    within = nested_value(63)
    assert nesting(within) == 127
    assert walked(within, "DataValue", REQUEST) == []
    assert not is_valid(within, "DataValue", True, False)
    assert find_problems(within, "DataValue") == []
    past = nested_value(64)
    assert [p.message for p in find_problems(past, "DataValue")] == [TOO_DEEP]
    shallow = nested_value((FAST_NESTING - 1) // 2)
    assert is_valid(shallow, "DataValue", True, False)


def test_cycles_are_left_to_the_walker() -> None:
    value: dict[str, Any] = {"listValue": []}
    value["listValue"].append(value)
    problems = find_problems(value, "DataValue")
    assert [p.message for p in problems] == [REFERS_TO_ITSELF]
    assert problems == walked(value, "DataValue", REQUEST)
    document: list[Any] = []
    document.append(document)
    response = {"rows": [{"rowData": [document]}]}
    assert not is_valid(response, "ExecuteQueryResponse", False, False)
    assert find_problems(response, "ExecuteQueryResponse", RESPONSE) == walked(
        response, "ExecuteQueryResponse", RESPONSE
    )


# --- each rule, by hand ---------------------------------------------------------------------


def _at(dt: Any) -> dict[str, Any]:
    return {"workspaceId": "factory", "selectedProperties": ["rpm"], "startDateTime": dt}


class _Aware(datetime):
    """A datetime subclass (as pandas' Timestamp is one): the walker takes it."""


AWARE = datetime(2026, 1, 1, tzinfo=timezone.utc)
BATCH: dict[str, Any] = {
    "workspaceId": "factory",
    "entries": [
        {
            "entityPropertyReference": {
                "entityId": "pump",
                "componentName": "pump",
                "propertyName": "rpm",
            },
            "propertyValues": [
                {"time": "2026-01-01T00:00:00.123456789Z", "value": {"doubleValue": 1.0}}
            ],
        }
    ],
}


def _batch_value(value: Any) -> dict[str, Any]:
    request = copy.deepcopy(BATCH)
    request["entries"][0]["propertyValues"][0]["value"] = value
    return request


# (shape, value, {checks: whether the walker (and so the fast check) finds it valid})
CASES: list[tuple[str, str, Any, dict[Checks, bool]]] = [
    ("valid batch", "BatchPutPropertyValuesRequest", BATCH, {REQUEST: True, RESPONSE: True}),
    (
        "required member missing",
        "BatchPutPropertyValuesRequest",
        {"workspaceId": "factory"},
        {REQUEST: False, RESPONSE: False},
    ),
    (
        "a None member is absent",
        "ListEntitiesRequest",
        {"workspaceId": "factory", "maxResults": None},
        {REQUEST: True},
    ),
    (
        "unknown member: refused in a request only",
        "ListEntitiesRequest",
        {"workspaceId": "factory", "maxResult": 5},
        {REQUEST: False, RESPONSE: True},
    ),
    (
        "non-str key in a structure",
        "ListEntitiesRequest",
        {"workspaceId": "factory", 1: 5},
        {REQUEST: False, RESPONSE: True},
    ),
    ("union: one member", "DataValue", {"integerValue": 5}, {REQUEST: True, RESPONSE: True}),
    ("union: none", "DataValue", {}, {REQUEST: False, RESPONSE: True}),
    ("union: a None member", "DataValue", {"integerValue": None}, {REQUEST: False, RESPONSE: True}),
    (
        "union: one member and a None one",
        "DataValue",
        {"integerValue": 5, "stringValue": None},
        {REQUEST: True, RESPONSE: True},
    ),
    (
        "union: two members",
        "DataValue",
        {"integerValue": 5, "stringValue": "x"},
        {REQUEST: False, RESPONSE: False},
    ),
    (
        "union: botocore's unknown member, in a response",
        "DataValue",
        {SDK_UNKNOWN_MEMBER: {"name": "newMember"}},
        {REQUEST: False, RESPONSE: True},
    ),
    (
        "union: botocore's unknown member and a known one",
        "DataValue",
        {SDK_UNKNOWN_MEMBER: {"name": "newMember"}, "integerValue": 5},
        {REQUEST: False, RESPONSE: False},
    ),
    (
        "union: another unknown key, ignored in a response",
        "DataValue",
        {"integerValue": 5, "newMember": 1},
        {REQUEST: False, RESPONSE: True},
    ),
    ("string too long", "DataValue", {"stringValue": "x" * 257}, {REQUEST: False, RESPONSE: True}),
    ("string too short", "DataValue", {"stringValue": ""}, {REQUEST: False, RESPONSE: True}),
    ("string of a number", "DataValue", {"stringValue": 5}, {REQUEST: False, RESPONSE: False}),
    (
        "pattern miss",
        "ListEntitiesRequest",
        {"workspaceId": "factory floor"},
        {REQUEST: False, RESPONSE: True},
    ),
    (
        "unknown enum value: refused by the service only",
        "CreateComponentTypeRequest",
        {
            "workspaceId": "factory",
            "componentTypeId": "com.example.pump",
            "propertyGroups": {"g": {"groupType": "NEW_KIND", "propertyNames": ["a"]}},
        },
        {REQUEST: True, RESPONSE: True, SERVICE: False},
    ),
    (
        "bool is not an integer",
        "DataValue",
        {"integerValue": True},
        {REQUEST: False, RESPONSE: False},
    ),
    (
        "bool is not a double",
        "DataValue",
        {"doubleValue": False},
        {REQUEST: False, RESPONSE: False},
    ),
    ("float is not a long", "DataValue", {"longValue": 1.0}, {REQUEST: False, RESPONSE: False}),
    ("int is a double", "DataValue", {"doubleValue": 2**80}, {REQUEST: True, RESPONSE: True}),
    ("float NaN is a double", "DataValue", {"doubleValue": float("nan")}, {REQUEST: True}),
    ("'NaN' is a double", "DataValue", {"doubleValue": "NaN"}, {REQUEST: True, RESPONSE: True}),
    ("'-Infinity' is a double", "DataValue", {"doubleValue": "-Infinity"}, {REQUEST: True}),
    ("'nan' is not", "DataValue", {"doubleValue": "nan"}, {REQUEST: False, RESPONSE: False}),
    (
        "integer past 32 bits",
        "DataValue",
        {"integerValue": 2**31},
        {REQUEST: False, RESPONSE: True},
    ),
    ("long at 64 bits", "DataValue", {"longValue": -(2**63)}, {REQUEST: True}),
    ("long past 64 bits", "DataValue", {"longValue": 2**63}, {REQUEST: False, RESPONSE: True}),
    (
        "out of the shape's range",
        "ListEntitiesRequest",
        {"workspaceId": "factory", "maxResults": 201},
        {REQUEST: False, RESPONSE: True},
    ),
    (
        "at the shape's range",
        "ListEntitiesRequest",
        {"workspaceId": "factory", "maxResults": 0},
        {REQUEST: True},
    ),
    (
        "too many items",
        "DataValue",
        {"listValue": [{"integerValue": 1}] * 51},
        {REQUEST: False, RESPONSE: True},
    ),
    ("a tuple is a list", "DataValue", {"listValue": ({"integerValue": 1},)}, {REQUEST: True}),
    ("a dict is not a list", "DataValue", {"listValue": {}}, {REQUEST: False, RESPONSE: False}),
    (
        "too few items",
        "BatchPutPropertyValuesRequest",
        {**BATCH, "entries": []},
        {REQUEST: False, RESPONSE: True},
    ),
    (
        "map key not a str",
        "DataValue",
        {"mapValue": {1: {"integerValue": 1}}},
        {REQUEST: False, RESPONSE: False},
    ),
    (
        "map key too short",
        "DataValue",
        {"mapValue": {"": {"integerValue": 1}}},
        {REQUEST: False, RESPONSE: True},
    ),
    (
        "map key off its pattern",
        "CreateEntityRequest",
        {"workspaceId": "factory", "entityName": "e", "components": {"bad key!": {}}},
        {REQUEST: False, RESPONSE: True},
    ),
    ("aware datetime", "GetPropertyValueHistoryRequest", _at(AWARE), {REQUEST: True}),
    (
        "datetime subclass",
        "GetPropertyValueHistoryRequest",
        _at(_Aware(2026, 1, 1, tzinfo=timezone.utc)),
        {REQUEST: True},
    ),
    (
        "naive datetime",
        "GetPropertyValueHistoryRequest",
        _at(datetime(2026, 1, 1)),
        {REQUEST: False, RESPONSE: False},
    ),
    (
        "tzinfo with no offset",
        "GetPropertyValueHistoryRequest",
        _at(AWARE.replace(tzinfo=_NoOffset())),
        {REQUEST: False, RESPONSE: False},
    ),
    ("epoch seconds", "GetPropertyValueHistoryRequest", _at(1_767_225_600.5), {REQUEST: True}),
    (
        "bool as time",
        "GetPropertyValueHistoryRequest",
        _at(True),
        {REQUEST: False, RESPONSE: False},
    ),
    ("string as time", "GetPropertyValueHistoryRequest", _at("2026-01-01"), {REQUEST: False}),
    ("boolean", "DataValue", {"booleanValue": False}, {REQUEST: True}),
    ("int as boolean", "DataValue", {"booleanValue": 0}, {REQUEST: False, RESPONSE: False}),
    (
        "document",
        "ExecuteQueryResponse",
        {"rows": [{"rowData": [None, 1, 1.5, "s", True, [{"k": []}]]}]},
        {RESPONSE: True},
    ),
    (
        "tuple in a document",
        "ExecuteQueryResponse",
        {"rows": [{"rowData": [(1,)]}]},
        {RESPONSE: False},
    ),
    (
        "non-str key in a document",
        "ExecuteQueryResponse",
        {"rows": [{"rowData": [{1: 2}]}]},
        {RESPONSE: False},
    ),
    (
        "odd object in a document",
        "ExecuteQueryResponse",
        {"rows": [{"rowData": [_Odd()]}]},
        {RESPONSE: False},
    ),
    (
        "WrongType marker",
        "BatchPutPropertyValuesRequest",
        _batch_value(WrongType(1, "a DataValue")),
        {REQUEST: False, RESPONSE: False},
    ),
    (
        "a list for a structure",
        "BatchPutPropertyValuesRequest",
        _batch_value([]),
        {REQUEST: False, RESPONSE: False},
    ),
]


@pytest.mark.parametrize(
    ("shape_name", "value", "expected"),
    [pytest.param(shape, value, expected, id=name) for name, shape, value, expected in CASES],
)
def test_each_rule(shape_name: str, value: Any, expected: dict[Checks, bool]) -> None:
    for checks, valid in expected.items():
        assert is_valid(value, shape_name, checks.constraints, checks.enums) is valid, checks
        assert (walked(value, shape_name, checks) == []) is valid, checks
    assert_agrees(value, shape_name)


# --- what the fast check does not vouch for: the walker decides --------------------------------


class _Str(str):
    """A str subclass: the walker takes it as a string."""


class _Mapping(Mapping[Any, Any]):
    """A mapping that is not a dict."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Any:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


class _Broken(tzinfo):
    """A tzinfo that raises: the fast check lets the walker meet the error."""

    def utcoffset(self, dt: datetime | None) -> timedelta | None:
        raise ValueError("no offset today")

    def dst(self, dt: datetime | None) -> timedelta | None:
        return None

    def tzname(self, dt: datetime | None) -> str | None:
        return None


@pytest.mark.parametrize(
    ("shape_name", "value"),
    [
        pytest.param("ListEntitiesRequest", OrderedDict(workspaceId="factory"), id="OrderedDict"),
        pytest.param("ListEntitiesRequest", MappingProxyType({"workspaceId": "fa"}), id="proxy"),
        pytest.param("ListEntitiesRequest", _Mapping({"workspaceId": "factory"}), id="Mapping"),
        pytest.param("ListEntitiesRequest", {"workspaceId": _Str("factory")}, id="str subclass"),
        pytest.param("DataValue", {"listValue": type("L", (list,), {})()}, id="list subclass"),
        pytest.param("DataValue", {"listValue": type("T", (tuple,), {})()}, id="tuple subclass"),
    ],
)
def test_values_of_unusual_types_are_left_to_the_walker(shape_name: str, value: Any) -> None:
    # The walker accepts these; the fast check cannot tell, says no, and the walker runs.
    for checks in ALL_CHECKS:
        assert not is_valid(value, shape_name, checks.constraints, checks.enums)
        assert walked(value, shape_name, checks) == []
        assert find_problems(value, shape_name, checks) == []


def test_an_error_inside_the_fast_check_is_the_walkers_to_raise() -> None:
    request = _at(AWARE.replace(tzinfo=_Broken()))
    assert not is_valid(request, "GetPropertyValueHistoryRequest", True, False)
    with pytest.raises(ValueError, match="no offset today"):
        find_problems(request, "GetPropertyValueHistoryRequest")


SCALAR_SHAPES = sorted(
    name
    for name, shape in SHAPES.items()
    if isinstance(shape, (StringShape, NumberShape, ScalarShape))
)


@pytest.mark.parametrize("shape_name", SCALAR_SHAPES)
@EXAMPLES
@given(data=st.data())
def test_a_scalar_shape_checked_alone_agrees(shape_name: str, data: st.DataObject) -> None:
    assert_agrees(data.draw(broken(shape_name)), shape_name)


def test_strings_known_to_fit_a_pattern_are_remembered_within_bounds() -> None:
    seen, matches = _matcher(SHAPES_PATTERN)
    seen.clear()
    request = {"workspaceId": "factory-7"}
    assert is_valid(request, "ListEntitiesRequest", True, False)
    assert "factory-7" in seen
    # Remembered per pattern: the set holds only strings that matched it.
    assert not is_valid({"workspaceId": "factory 7"}, "ListEntitiesRequest", True, False)
    assert "factory 7" not in seen
    assert not matches("x" * (_SEEN_LONGEST + 1) + " ")
    assert matches("x" * (_SEEN_LONGEST + 1))
    assert "x" * (_SEEN_LONGEST + 1) not in seen  # too long to keep
    for index in range(_SEEN_MAX + 10):
        assert matches(f"id{index}")
    assert len(seen) <= _SEEN_MAX


def test_the_fast_check_knows_every_rule_of_checks() -> None:
    # `find_problems` hands the fast check these two switches; a new rule in `Checks` must
    # reach the generated code too, or the fast check would vouch for what the rule refuses.
    assert [field.name for field in attrs.fields(Checks)] == ["constraints", "enums"]
