"""The models mirror the service model: one class per structure, typed, frozen, keyword-only."""

from __future__ import annotations

import enum

import attrs
import botocore.session
import pytest

from twinkit import models
from twinkit._generated.tables import SHAPES
from twinkit._schema import StringShape, StructureShape

SERVICE = botocore.session.get_session().get_service_model("iottwinmaker")
STRUCTURES = sorted(
    name for name in SERVICE.shape_names if SERVICE.shape_for(name).type_name == "structure"
)


def test_every_structure_of_the_service_model_has_its_model() -> None:
    assert len(STRUCTURES) == 164
    missing = [name for name in STRUCTURES if not hasattr(models, name)]
    assert missing == []
    assert set(STRUCTURES) <= set(models.__all__)
    assert models.QueryResultValue is models.JsonValue  # the one document shape


@pytest.mark.parametrize("name", [n for n in STRUCTURES if n != "QueryResultValue"])
def test_models_are_frozen_slotted_keyword_only_with_wire_members(name: str) -> None:
    cls = getattr(models, name)
    assert attrs.has(cls)
    assert cls.__name__ == name
    assert "__slots__" in cls.__dict__
    shape = SHAPES[name]
    assert isinstance(shape, StructureShape)
    fields = attrs.fields_dict(cls)
    botocore_shape = SERVICE.shape_for(name)
    assert [m.wire for m in shape.members] == list(botocore_shape.members)
    for member in shape.members:
        field = fields[member.attr]
        assert field.kw_only
        required = member.wire in botocore_shape.required_members
        assert (field.default is attrs.NOTHING) is required, member.attr
        if not required:
            assert field.default is None
    assert set(fields) - {m.attr for m in shape.members} == (
        {"unknown_member"} if shape.union else set()
    )


def test_instances_are_immutable_and_compact() -> None:
    value = models.DataValue(double_value=1.5)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        value.double_value = 2.0  # type: ignore[misc]
    assert not hasattr(value, "__dict__")
    assert repr(value) == "DataValue(double_value=1.5)"
    assert value == models.DataValue(double_value=1.5)
    with pytest.raises(TypeError):
        models.GetEntityRequest("factory", "pump-1")  # type: ignore[misc]


def test_enums_are_typed_strings_with_every_wire_value() -> None:
    enum_shapes = [s for s in SHAPES.values() if isinstance(s, StringShape) and s.enum]
    assert len(enum_shapes) == 23
    for shape in enum_shapes:
        cls = getattr(models, shape.name)
        assert issubclass(cls, enum.Enum)
        assert issubclass(cls, str)
        assert [member.value for member in cls] == list(shape.enum or ())
    assert models.State.ACTIVE == "ACTIVE"
    assert str(models.DestinationType.S3) == "s3"
    assert models.DestinationType("s3") is models.DestinationType.S3


def test_model_docstrings_come_from_the_service_documentation() -> None:
    assert models.DataValue.__doc__ == (
        "An object that specifies a value for a property. Exactly one member must be set."
    )
    assert (models.CreateEntityRequest.__doc__ or "").startswith("The input of `CreateEntity`")
