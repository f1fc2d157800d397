"""Type-checked by `mypy --strict`, never run: models and the converter are precisely typed."""

from __future__ import annotations

from datetime import datetime

from typing_extensions import assert_type

from twinkit import models
from twinkit.wire import converter

value = models.DataValue(double_value=1.0)
assert_type(value.double_value, float | None)
assert_type(value.list_value, list[models.DataValue] | None)
assert_type(value.map_value, dict[str, models.DataValue] | None)

data_type = models.DataType(type=models.Type.DOUBLE, nested_type=None)
assert_type(data_type.type, models.Type | str)
assert_type(data_type.nested_type, models.DataType | None)

response = converter.structure({}, models.GetWorkspaceResponse)
assert_type(response, models.GetWorkspaceResponse)
assert_type(response.creation_date_time, datetime)
assert_type(response.workspace_id, str)
assert_type(response.description, str | None)

request = models.CreateEntityRequest(workspace_id="factory", entity_name="Pump")
assert_type(request.components, dict[str, models.ComponentRequest] | None)

row = models.Row(row_data=[1, "a", None, {"k": [True]}])
assert_type(row.row_data, list[models.JsonValue] | None)

models.GetEntityRequest(workspace_id="factory")  # type: ignore[call-arg]
models.DataValue(double_value="fast")  # type: ignore[arg-type]
