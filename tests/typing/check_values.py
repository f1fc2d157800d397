"""Type-checked by `mypy --strict`, never run: `twinkit.values` is precisely typed."""

from __future__ import annotations

from datetime import datetime, timezone

import numpy as np
from typing_extensions import assert_type

from twinkit.models import DataType, DataValue, Type
from twinkit.values import (
    Expression,
    PyValue,
    Relationship,
    format_time,
    from_data_value,
    parse_time,
    parse_time_datetime,
    to_data_value,
)

assert_type(to_data_value(1.0), DataValue)
assert_type(to_data_value(1, Type.INTEGER), DataValue)
assert_type(to_data_value(1, "INTEGER"), DataValue)
assert_type(to_data_value([1, 2], DataType(type=Type.LIST)), DataValue)
assert_type(to_data_value({"a": Relationship("e"), "b": Expression("x")}), DataValue)

ints: list[int] = [1, 2]
assert_type(to_data_value(ints), DataValue)  # any value is checked at run time
assert_type(to_data_value(np.int64(3)), DataValue)

value = from_data_value(DataValue(long_value=1))
assert_type(value, PyValue)
if isinstance(value, list):
    assert_type(value, list[PyValue])
elif isinstance(value, dict):
    assert_type(value, dict[str, PyValue])
elif isinstance(value, Relationship):
    assert_type(value.target_entity_id, str)
    assert_type(value.target_component_name, str | None)
elif isinstance(value, Expression):
    assert_type(value.text, str)

assert_type(format_time(datetime(2026, 1, 2, tzinfo=timezone.utc)), str)
assert_type(format_time(1_767_323_045_123_456_789), str)
assert_type(format_time(np.datetime64("2026-01-02T03:04:05.123456789")), str)
assert_type(parse_time("2026-01-02T03:04:05.123456789Z"), int)
assert_type(parse_time_datetime("2026-01-02T03:04:05Z"), datetime)

to_data_value(1, 3)  # type: ignore[arg-type]
from_data_value({"longValue": 1})  # type: ignore[arg-type]
format_time(1.5)  # type: ignore[arg-type]
format_time("2026-01-02T03:04:05Z")  # type: ignore[arg-type]
parse_time(0)  # type: ignore[arg-type]
Relationship(target_entity_id=1)  # type: ignore[arg-type]
Expression(1)  # type: ignore[arg-type]
