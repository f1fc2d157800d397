"""`twinkit._service`: the rules the SDK and the emulator share agree with the service model."""

from __future__ import annotations

import json

from twinkit import _service
from twinkit._generated.tables import OPERATIONS, SHAPES
from twinkit._schema import ListShape, NumberShape, StructureShape


def _list(name: str) -> ListShape:
    shape = SHAPES[name]
    assert isinstance(shape, ListShape)
    return shape


def test_batch_limits_are_the_models_list_maxima() -> None:
    request = SHAPES[OPERATIONS["BatchPutPropertyValues"].input or ""]
    assert isinstance(request, StructureShape)
    entries = next(m for m in request.members if m.wire == "entries")
    assert _list(entries.shape).max_items == _service.BATCH_MAX_ENTRIES
    entry = SHAPES[_list(entries.shape).member]
    assert isinstance(entry, StructureShape)
    values = next(m for m in entry.members if m.wire == "propertyValues")
    assert _list(values.shape).max_items == _service.BATCH_MAX_VALUES_PER_ENTRY


def test_integer_ranges_cover_every_bound_the_model_gives() -> None:
    for shape in SHAPES.values():
        if isinstance(shape, NumberShape) and shape.kind in ("integer", "long"):
            low, high = _service.INTEGER_RANGE if shape.kind == "integer" else _service.LONG_RANGE
            for bound in (shape.minimum, shape.maximum):
                assert bound is None or low <= bound <= high, shape.name
    assert _service.INTEGER_RANGE == (-2147483648, 2147483647)
    assert _service.LONG_RANGE == (-9223372036854775808, 9223372036854775807)


def test_an_error_body_is_the_rest_json_message_object() -> None:
    assert json.loads(_service.error_body('a "quoted" reason')) == {"message": 'a "quoted" reason'}
