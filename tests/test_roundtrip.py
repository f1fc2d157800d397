"""Every shape survives wire -> model -> wire unchanged, leaf types included.

The wire values come from `tests/strategies.py`, which derives them from the generated
`SHAPES` table: required members always, optional ones sometimes, every constraint honoured,
and (outside requests) enum values and union members newer than the model.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.strategies import (
    DOCUMENT_SHAPES,
    STRUCTURE_SHAPES,
    UNKNOWN_MEMBER_WIRE,
    documents,
    strings,
    unknown_enum_values,
    unknown_member_names,
    wire_values,
)
from twinkit import models
from twinkit._generated.tables import SHAPES
from twinkit._schema import ListShape, MapShape, StringShape, StructureShape
from twinkit._validate import REQUEST
from twinkit.errors import ValidationError
from twinkit.models import JsonValue, WireEnum
from twinkit.wire import converter, find_problems

EXAMPLES = settings(
    # A quarter of the profile's count: 25 by default, more under `HYPOTHESIS_PROFILE=thorough`.
    max_examples=max(25, settings().max_examples // 4),
    deadline=None,  # the first example of a shape also builds its cattrs hooks
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def assert_same_wire(actual: Any, expected: Any, path: str = "$") -> None:
    """`actual == expected`, and every leaf of the same type: `1`, `1.0` and `True` differ,
    as do `0.0` and `-0.0`, a `str` and an enum member, and two offsets of one instant."""
    assert type(actual) is type(expected), (
        f"{path}: {type(actual).__name__} {actual!r} != {type(expected).__name__} {expected!r}"
    )
    if isinstance(expected, dict):
        assert actual.keys() == expected.keys(), (
            f"{path}: keys {actual.keys()} != {expected.keys()}"
        )
        for key, item in expected.items():
            assert_same_wire(actual[key], item, f"{path}.{key}")
    elif isinstance(expected, list):
        assert len(actual) == len(expected), f"{path}: {len(actual)} items != {len(expected)}"
        for index, (got, want) in enumerate(zip(actual, expected, strict=True)):
            assert_same_wire(got, want, f"{path}[{index}]")
    elif isinstance(expected, float):
        assert actual == expected, f"{path}: {actual!r} != {expected!r}"
        assert math.copysign(1.0, actual) == math.copysign(1.0, expected), f"{path}: sign"
    elif isinstance(expected, datetime):
        assert actual == expected, f"{path}: {actual!r} != {expected!r}"
        assert actual.utcoffset() == expected.utcoffset(), f"{path}: {actual!r} != {expected!r}"
    else:
        assert actual == expected, f"{path}: {actual!r} != {expected!r}"


def model_class(shape_name: str) -> type:
    return getattr(models, shape_name)  # type: ignore[no-any-return]


def roundtrip(wire: Any, shape_name: str) -> Any:
    cls = model_class(shape_name)
    obj: Any = converter.structure(wire, cls)
    assert type(obj) is cls
    return converter.unstructure(obj)


# --- the round trip, for every structure shape ---------------------------------------------


@pytest.mark.parametrize("shape_name", STRUCTURE_SHAPES)
@EXAMPLES
@given(data=st.data())
def test_structure_roundtrip(shape_name: str, data: st.DataObject) -> None:
    wire = data.draw(wire_values(shape_name), label="wire")
    assert_same_wire(roundtrip(wire, shape_name), wire)


@pytest.mark.parametrize("shape_name", DOCUMENT_SHAPES)
@EXAMPLES
@given(data=st.data())
def test_document_roundtrip(shape_name: str, data: st.DataObject) -> None:
    wire = data.draw(documents(), label="wire")
    tp: Any = getattr(models, shape_name)
    value: Any = converter.structure(wire, tp)
    assert tp is JsonValue
    assert_same_wire(converter.unstructure(value, tp), wire)
    assert_same_wire(converter.unstructure(value), wire)


def test_every_structure_shape_is_tested() -> None:
    assert len(STRUCTURE_SHAPES) == 163
    assert DOCUMENT_SHAPES == ("QueryResultValue",)


# --- the strategies themselves honour the model --------------------------------------------


@pytest.mark.parametrize("shape_name", [n for n, s in SHAPES.items() if isinstance(s, StringShape)])
@EXAMPLES
@given(data=st.data())
def test_strings_fit_their_shape(shape_name: str, data: st.DataObject) -> None:
    value = data.draw(strings(shape_name, known_enums_only=True))
    assert find_problems(value, shape_name, REQUEST) == []


@pytest.mark.parametrize(
    "shape_name",
    [n for n, s in SHAPES.items() if isinstance(s, StructureShape) and not s.request],
)
@EXAMPLES
@given(data=st.data())
def test_request_tree_values_are_valid(shape_name: str, data: st.DataObject) -> None:
    # Drawn as part of a request, any structure is valid against every constraint.
    wire = data.draw(wire_values(shape_name, in_request=True))
    assert find_problems(wire, shape_name, REQUEST) == []


# --- the models ----------------------------------------------------------------------------


@pytest.mark.parametrize("shape_name", STRUCTURE_SHAPES)
def test_structure_shape_is_a_model_class(shape_name: str) -> None:
    cls = getattr(models, shape_name)
    assert isinstance(cls, type)
    assert attrs.has(cls)
    assert issubclass(cls, models.Model)
    assert cls.__name__ == shape_name
    assert shape_name in models.__all__
    shape = SHAPES[shape_name]
    assert isinstance(shape, StructureShape)
    names = {f.name for f in attrs.fields(cls)}
    expected = {m.attr for m in shape.members} | ({"unknown_member"} if shape.union else set())
    assert names == expected


def test_document_shape_is_an_alias() -> None:
    alias: Any = models.QueryResultValue
    assert not isinstance(alias, type)
    assert alias is JsonValue


# --- enums ---------------------------------------------------------------------------------

ENUM_MEMBERS = [
    (structure, member.attr, member.wire, member.shape)
    for structure, shape in SHAPES.items()
    if isinstance(shape, StructureShape)
    for member in shape.members
    if getattr(SHAPES[member.shape], "enum", None) is not None
]


def test_every_enum_is_used() -> None:
    enums = {n for n, s in SHAPES.items() if isinstance(s, StringShape) and s.enum is not None}
    assert len(enums) == 23
    assert {enum for *_, enum in ENUM_MEMBERS} == enums


@pytest.mark.parametrize(
    ("shape_name", "attr", "wire_name", "enum"),
    ENUM_MEMBERS,
    ids=[f"{s}.{a}" for s, a, *_ in ENUM_MEMBERS],
)
@settings(EXAMPLES, max_examples=10)
@given(data=st.data())
def test_enum_values(
    shape_name: str, attr: str, wire_name: str, enum: str, data: st.DataObject
) -> None:
    shape = SHAPES[shape_name]
    assert isinstance(shape, StructureShape)
    # A union holds the enum member alone; any other structure keeps the rest of a value.
    base = {} if shape.union else data.draw(wire_values(shape_name), label="wire")
    enum_class = getattr(models, enum)
    assert issubclass(enum_class, WireEnum)

    unknown = data.draw(unknown_enum_values(enum), label="unknown")
    wire = {**base, wire_name: unknown}
    obj: Any = converter.structure(wire, model_class(shape_name))
    assert type(getattr(obj, attr)) is str
    assert getattr(obj, attr) == unknown
    assert_same_wire(converter.unstructure(obj), wire)

    known = data.draw(strings(enum, known_enums_only=True), label="known")
    wire = {**base, wire_name: known}
    obj = converter.structure(wire, model_class(shape_name))
    assert getattr(obj, attr) is enum_class(known)
    assert_same_wire(converter.unstructure(obj), wire)


def test_unknown_enum_value_roundtrips_as_str() -> None:
    wire = {
        "entityId": "pump-1",
        "arn": "arn:aws:iottwinmaker:us-east-1:123456789012:workspace/w/entity/pump-1",
        "creationDateTime": datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=2))),
        "state": "HIBERNATING",
    }
    obj: Any = converter.structure(wire, models.CreateEntityResponse)
    assert obj.state == "HIBERNATING"
    assert type(obj.state) is str
    assert_same_wire(converter.unstructure(obj), wire)

    known = converter.structure({**wire, "state": "ACTIVE"}, models.CreateEntityResponse)
    assert known.state is models.State.ACTIVE
    assert_same_wire(converter.unstructure(known), {**wire, "state": "ACTIVE"})


# --- unions --------------------------------------------------------------------------------

UNION_SHAPES = [n for n, s in SHAPES.items() if isinstance(s, StructureShape) and s.union]


@pytest.mark.parametrize("shape_name", UNION_SHAPES)
@settings(EXAMPLES, max_examples=10)
@given(data=st.data())
def test_unknown_union_member_roundtrips(shape_name: str, data: st.DataObject) -> None:
    name = data.draw(unknown_member_names(shape_name), label="name")
    wire = {UNKNOWN_MEMBER_WIRE: {"name": name}}
    obj: Any = converter.structure(wire, model_class(shape_name))
    assert obj.unknown_member == name
    shape = SHAPES[shape_name]
    assert isinstance(shape, StructureShape)
    assert all(getattr(obj, m.attr) is None for m in shape.members)
    assert_same_wire(converter.unstructure(obj), wire)


def test_unknown_union_member_nested_in_a_response() -> None:
    wire = {
        "propertyValues": [
            {
                "entityPropertyReference": {"propertyName": "rpm"},
                "values": [
                    {"time": "2024-01-01T00:00:00.000Z", "value": {"longValue": 2**40}},
                    {
                        "time": "2024-01-01T00:00:01.000Z",
                        "value": {UNKNOWN_MEMBER_WIRE: {"name": "blobValue"}},
                    },
                ],
            }
        ],
    }
    obj: Any = converter.structure(wire, models.GetPropertyValueHistoryResponse)
    value = obj.property_values[0].values[1].value
    assert value.unknown_member == "blobValue"
    assert_same_wire(converter.unstructure(obj), wire)


@pytest.mark.parametrize("shape_name", UNION_SHAPES)
@settings(EXAMPLES, max_examples=5)
@given(data=st.data())
def test_union_with_two_members_is_refused(shape_name: str, data: st.DataObject) -> None:
    shape = SHAPES[shape_name]
    assert isinstance(shape, StructureShape)
    first, second = data.draw(st.permutations(shape.members))[:2]
    wire = {
        first.wire: data.draw(wire_values(first.shape, in_request=False)),
        second.wire: data.draw(wire_values(second.shape, in_request=False)),
    }
    with pytest.raises(ValidationError, match="expected exactly one member, got 2"):
        converter.structure(wire, model_class(shape_name))


@pytest.mark.parametrize("shape_name", UNION_SHAPES)
@settings(EXAMPLES, max_examples=5)
@given(data=st.data())
def test_union_with_a_known_and_a_newer_member_is_refused(
    shape_name: str, data: st.DataObject
) -> None:
    # Two members, as the validator counts them; the newer one must not vanish silently.
    shape = SHAPES[shape_name]
    assert isinstance(shape, StructureShape)
    member = data.draw(st.sampled_from(shape.members))
    wire = {
        member.wire: data.draw(wire_values(member.shape, in_request=False)),
        UNKNOWN_MEMBER_WIRE: {"name": data.draw(unknown_member_names(shape_name))},
    }
    with pytest.raises(ValidationError, match="expected exactly one member, got 2"):
        converter.structure(wire, model_class(shape_name))


# --- unknown keys --------------------------------------------------------------------------

RESPONSE_SHAPES = [n for n, s in SHAPES.items() if isinstance(s, StructureShape) and not s.request]
REQUEST_SHAPES = [n for n, s in SHAPES.items() if isinstance(s, StructureShape) and s.request]
EXTRA_KEYS = st.dictionaries(
    st.from_regex(r"zz[A-Za-z]{1,8}", fullmatch=True), documents(), min_size=1, max_size=3
)
"""Members a newer service might add: no wire name of the model starts with `zz`."""


def with_extra_keys(wire: Any, shape_name: str, extra: dict[str, Any]) -> Any:
    """`wire` with `extra` added to every structure in it, at every depth."""
    shape = SHAPES[shape_name]
    if isinstance(shape, StructureShape):
        shapes = {m.wire: m.shape for m in shape.members}
        return {
            **{
                k: with_extra_keys(v, shapes[k], extra) if k in shapes else v
                for k, v in wire.items()
            },
            **extra,
        }
    if isinstance(shape, ListShape):
        return [with_extra_keys(item, shape.member, extra) for item in wire]
    if isinstance(shape, MapShape):
        return {k: with_extra_keys(v, shape.value, extra) for k, v in wire.items()}
    return wire


@pytest.mark.parametrize("shape_name", RESPONSE_SHAPES)
@settings(EXAMPLES, max_examples=10)
@given(data=st.data())
def test_unknown_keys_in_a_response_are_ignored(shape_name: str, data: st.DataObject) -> None:
    wire = data.draw(wire_values(shape_name), label="wire")
    extra = data.draw(EXTRA_KEYS, label="extra")
    newer = with_extra_keys(wire, shape_name, extra)
    obj: Any = converter.structure(newer, model_class(shape_name))
    assert_same_wire(converter.unstructure(obj), wire)


@pytest.mark.parametrize("shape_name", REQUEST_SHAPES)
@settings(EXAMPLES, max_examples=5)
@given(data=st.data())
def test_unknown_keys_in_a_request_are_refused(shape_name: str, data: st.DataObject) -> None:
    wire = data.draw(wire_values(shape_name), label="wire")
    extra = data.draw(EXTRA_KEYS, label="extra")
    with pytest.raises(ValidationError, match="unknown member") as caught:
        converter.structure({**wire, **extra}, model_class(shape_name))
    assert {p.wire_path for p in caught.value.problems} == set(extra)
