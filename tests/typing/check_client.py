"""Type-checked by `mypy --strict`, never run: the client, pagers and resources are precise."""

from __future__ import annotations

from collections.abc import Iterator

from mypy_boto3_iottwinmaker import IoTTwinMakerClient
from mypy_boto3_iottwinmaker.type_defs import GetEntityResponseTypeDef
from typing_extensions import assert_type

import twinkit
from twinkit import models
from twinkit.errors import ResourceNotFoundError, WaitTimeoutError
from twinkit.paging import Page, Pager
from twinkit.resources import ComponentType, Entity, Scene, Workspace
from twinkit.values import PyValue

tm = twinkit.TwinMaker(region_name="us-east-1")

# The boto3 client underneath is typed by the stubs (typing only: no run-time dependency),
# and so is what it is given: only an `iottwinmaker` client.
assert_type(tm.boto3_client, IoTTwinMakerClient)
assert_type(tm.boto3_client.get_entity(workspaceId="w", entityId="e"), GetEntityResponseTypeDef)
tm.boto3_client.get_entity(workspace_id="w", entity_id="e")  # type: ignore[call-arg]
twinkit.TwinMaker(client=tm.boto3_client)
twinkit.TwinMaker(client="iottwinmaker")  # type: ignore[arg-type]

# Every operation returns its output model.
assert_type(tm.get_entity(workspace_id="w", entity_id="e"), models.GetEntityResponse)
assert_type(tm.list_workspaces(), models.ListWorkspacesResponse)
assert_type(
    tm.batch_put_property_values(workspace_id="w", entries=[]),
    models.BatchPutPropertyValuesResponse,
)

# Pagers yield the items of their operation.
entities = tm.paginate.list_entities(workspace_id="w", page_size=10)
assert_type(entities, Pager[models.EntitySummary])
assert_type(iter(entities), Iterator[models.EntitySummary])
assert_type(entities.by_page(), Iterator[Page[models.EntitySummary]])
assert_type(entities.first(), models.EntitySummary | None)
assert_type(
    tm.paginate.get_property_value_history(workspace_id="w", selected_properties=["rpm"]),
    Pager[models.PropertyValueHistory],
)
assert_type(tm.paginate.list_tags_for_resource(resource_arn="arn"), Pager[tuple[str, str]])

# Resources and their collections.
ws = tm.workspaces.create("factory")
assert_type(ws, Workspace)
assert_type(tm.workspaces.list(), Pager[Workspace])
assert_type(ws.data, models.GetWorkspaceResponse)
pump = ws.component_types.create("com.example.pump").wait_until_active(timeout=10)
assert_type(pump, ComponentType)
assert_type(pump.property_definitions, dict[str, models.PropertyDefinitionResponse])
entity = ws.entities.create("Pump 1", parent=None)
assert_type(entity, Entity)
assert_type(entity.parent, Entity | None)
assert_type(entity.children.list(), Pager[Entity])
assert_type(entity.walk(), Iterator[Entity])
assert_type(entity.values("pump"), dict[str, PyValue])
assert_type(entity.set_values("pump", {"rpm": 1.0}), Entity)
assert_type(ws.entities.list(component_type=pump), Pager[Entity])
assert_type(ws.scenes.get("main"), Scene)
assert_type(entity.refresh(), Entity)

# Errors carry typed fields.
try:
    entity.wait_until_active()
except WaitTimeoutError as timeout:
    assert_type(timeout.last_state, str | None)
except ResourceNotFoundError as missing:
    assert_type(missing.status_code, int | None)
