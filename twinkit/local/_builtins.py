"""The built-in `com.amazon.*` component types every TwinMaker workspace has, as data.

Each type is the `CreateComponentTypeRequest` that would define it, reconstructed from what real
workspaces show:

* `com.amazon.iottwinmaker.alarm.basic`, `.documents`, `.parameters`,
  `com.amazon.iotsitewise.connector` and `.connector.edgevideo`: their descriptions and creation
  dates come from a recorded ListComponentTypes response (grafana-iot-twinmaker-app
  `testdata/list-component-types.json`);
  `alarm.basic`'s definitions from a recorded GetComponentType of a type that extends it
  (`testdata/get-component-type.json`, where `alarm_key` and `alarm_status` are `isInherited`) and
  from the TwinMaker guide's abstract alarm example; `documents` from a recorded GetEntity.
* The `com.amazon.iottwinmaker.3d.*` types of dynamic scenes: from entities that restate every
  definition of these types in full (twinmaker-dynamicscenes-crossdock-demo `scene-entities/*.json`,
  one of them a GetEntity response), including the service's own spelling `tranform_reference`.

Reconstructions, where nothing recorded shows the real definition (documented deviations):

* `com.amazon.iottwinmaker.parameters` has no property definitions: entities add their own.
* `com.amazon.iotsitewise.connector` and `.connector.edgevideo` define `sitewiseAssetId` (required,
  the external id) and `sitewiseAssetModelId` (required), with a native `dataReader` and
  `schemaInitializer`. The real types also import the SiteWise asset model's properties when an
  entity is created; the emulator has no SiteWise, so it imports nothing.
* The 3D types were not in the recorded listing; their creation date is a fixed placeholder and
  they have no description.
* `com.amazon.kvs.video` and `com.amazon.iotsitewise.resourcesync` (the component-types page of
  the user guide lists both as built in) were not in the recorded listing either: placeholder
  creation date, no description. `kvs.video` defines `KinesisVideoStreamName` (a required STRING)
  as iot-app-kit's video player mocks a GetEntity of it (`mockKVSEntity`); `resourcesync`, the type
  of the components that SiteWise asset sync writes, defines the SiteWise asset's id (required, the
  external id), its model's id (required), name and description. Neither has a function: the
  emulator has no Kinesis Video Streams and no asset sync.

The ARNs are those of the recording: the types live in an AWS-owned workspace, not the caller's.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone

import attrs

from twinkit import models
from twinkit.models import DataType, DataValue, PropertyDefinitionRequest, Type

__all__ = [
    "BUILTINS_BY_ID",
    "BUILTIN_COMPONENT_TYPES",
    "BuiltinComponentType",
    "builtin_arn",
    "is_reserved",
]

OWNER_WORKSPACE = "AmazonOwnedTypesWorkspace"
"""The workspace that holds the built-in types, as their ARNs show."""

_OWNER_ACCOUNT = "iotrociaccount"
"""The account in the built-in types' ARNs, exactly as the service returns it."""

RESERVED_PREFIX = "com.amazon."
"""Component type ids under this namespace belong to AWS: a workspace cannot create them."""


@attrs.frozen
class BuiltinComponentType:
    """One built-in component type: its definition and when AWS created it."""

    definition: models.CreateComponentTypeRequest
    created: datetime

    @property
    def component_type_id(self) -> str:
        """The type's id, e.g. `com.amazon.iottwinmaker.documents`."""
        return self.definition.component_type_id


def builtin_arn(region: str, component_type_id: str) -> str:
    """The ARN the service gives the built-in type `component_type_id` in `region`."""
    return (
        f"arn:aws:iottwinmaker:{region}:{_OWNER_ACCOUNT}:workspace/{OWNER_WORKSPACE}"
        f"/component-type/{component_type_id}"
    )


def is_reserved(component_type_id: str) -> bool:
    """True for an id in the AWS-owned `com.amazon.` namespace."""
    return component_type_id.startswith(RESERVED_PREFIX)


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def _type(kind: Type, nested: DataType | None = None, allowed: list[str] | None = None) -> DataType:
    return DataType(
        type=kind,
        nested_type=nested,
        allowed_values=None if allowed is None else [DataValue(string_value=v) for v in allowed],
    )


def _prop(
    data_type: DataType,
    *,
    required: bool = False,
    external_id: bool = False,
    stored_externally: bool = False,
    time_series: bool = False,
) -> PropertyDefinitionRequest:
    return PropertyDefinitionRequest(
        data_type=data_type,
        is_required_in_entity=required,
        is_external_id=external_id,
        is_stored_externally=stored_externally,
        is_time_series=time_series,
    )


_STRING = _type(Type.STRING)
_BOOLEAN = _type(Type.BOOLEAN)
_RELATIONSHIP = _type(Type.RELATIONSHIP)
_STRING_MAP = _type(Type.MAP, _STRING)
_DOUBLE_LIST = _type(Type.LIST, _type(Type.DOUBLE))
_NATIVE = models.DataConnector(is_native=True)

_3D_CREATED = "2023-11-01T00:00:00"
"""Not recorded anywhere: a placeholder creation date for the 3D types."""
_UNRECORDED_CREATED = "2023-11-01T00:00:00"
"""Likewise for `com.amazon.kvs.video` and `com.amazon.iotsitewise.resourcesync`."""


def _builtin(
    component_type_id: str,
    created: str,
    *,
    description: str | None = None,
    properties: Mapping[str, PropertyDefinitionRequest] | None = None,
    functions: Mapping[str, models.FunctionRequest] | None = None,
) -> BuiltinComponentType:
    return BuiltinComponentType(
        definition=models.CreateComponentTypeRequest(
            workspace_id=OWNER_WORKSPACE,
            component_type_id=component_type_id,
            description=description,
            is_singleton=False,
            property_definitions=dict(properties or {}),
            functions=None if functions is None else dict(functions),
        ),
        created=_at(created),
    )


def _sitewise_connector(
    component_type_id: str, created: str, description: str
) -> BuiltinComponentType:
    return _builtin(
        component_type_id,
        created,
        description=description,
        properties={
            "sitewiseAssetId": _prop(_STRING, required=True, external_id=True),
            "sitewiseAssetModelId": _prop(_STRING, required=True),
        },
        functions={
            "dataReader": models.FunctionRequest(implemented_by=_NATIVE),
            "schemaInitializer": models.FunctionRequest(implemented_by=_NATIVE),
        },
    )


BUILTIN_COMPONENT_TYPES: tuple[BuiltinComponentType, ...] = (
    _builtin(
        "com.amazon.iottwinmaker.documents",
        "2021-11-13T00:25:30.797",
        description="Component type for storing document urls",
        properties={"documents": _prop(_STRING_MAP)},
    ),
    _sitewise_connector(
        "com.amazon.iotsitewise.connector",
        "2021-11-13T00:25:32.467",
        "IoT SiteWise connector for syncing asset properties",
    ),
    _sitewise_connector(
        "com.amazon.iotsitewise.connector.edgevideo",
        "2021-11-13T00:25:34.069",
        "IoT SiteWise connector for syncing edgevideo asset properties",
    ),
    _builtin(
        "com.amazon.iottwinmaker.alarm.basic",
        "2021-11-13T00:25:35.967",
        description="Abstract alarm component type",
        properties={
            "alarm_key": _prop(_STRING, required=True, external_id=True),
            "alarm_status": _prop(
                _type(Type.STRING, allowed=["ACTIVE", "SNOOZE_DISABLED", "ACKNOWLEDGED", "NORMAL"]),
                stored_externally=True,
                time_series=True,
            ),
        },
        # No implementedBy: that is what makes the type abstract.
        functions={"dataReader": models.FunctionRequest()},
    ),
    _builtin(
        "com.amazon.kvs.video",
        _UNRECORDED_CREATED,
        properties={"KinesisVideoStreamName": _prop(_STRING, required=True)},
    ),
    _builtin(
        "com.amazon.iotsitewise.resourcesync",
        _UNRECORDED_CREATED,
        properties={
            "sitewiseAssetId": _prop(_STRING, required=True, external_id=True),
            "sitewiseAssetModelId": _prop(_STRING, required=True),
            "sitewiseAssetName": _prop(_STRING),
            "sitewiseAssetDescription": _prop(_STRING),
        },
    ),
    _builtin(
        "com.amazon.iottwinmaker.parameters",
        "2021-11-13T00:25:38.067",
        description="Component type for storing parameter values",
    ),
    _builtin(
        "com.amazon.iottwinmaker.3d.node",
        _3D_CREATED,
        properties={
            "name": _prop(_STRING, required=True),
            "properties": _prop(_STRING_MAP),
            "components": _prop(_type(Type.LIST, _RELATIONSHIP)),
            "inLayerOf": _prop(_RELATIONSHIP),
            "isVisualOf": _prop(_RELATIONSHIP),
            "tranform_reference": _prop(_RELATIONSHIP),
            "transformConstraint_snapToFloor": _prop(_BOOLEAN),
            "transform_position": _prop(_DOUBLE_LIST),
            "transform_rotation": _prop(_DOUBLE_LIST),
            "transform_scale": _prop(_DOUBLE_LIST),
        },
    ),
    _builtin(
        "com.amazon.iottwinmaker.3d.component.modelref",
        _3D_CREATED,
        properties={
            "uri": _prop(_STRING, required=True),
            "modelType": _prop(
                _type(Type.STRING, allowed=["GLB", "GLTF", "Tiles3D", "Environment"]),
                required=True,
            ),
            "unitOfMeasure": _prop(
                _type(
                    Type.STRING,
                    allowed=[
                        "millimeters",
                        "centimeters",
                        "decimeters",
                        "meters",
                        "kilometers",
                        "inches",
                        "feet",
                        "yards",
                        "miles",
                    ],
                )
            ),
            "localScale": _prop(_DOUBLE_LIST),
            "castShadow": _prop(_BOOLEAN),
            "receiveShadow": _prop(_BOOLEAN),
            "colorBinding": _prop(_STRING_MAP),
            "opacityBinding": _prop(_STRING_MAP),
            "properties": _prop(_STRING_MAP),
        },
    ),
    _builtin(
        "com.amazon.iottwinmaker.3d.component.tag",
        _3D_CREATED,
        properties={
            "icon": _prop(_STRING),
            "chosenColor": _prop(_STRING),
            "customIcon_iconName": _prop(_STRING),
            "customIcon_prefix": _prop(_STRING),
            "navLink_destination": _prop(_STRING),
            "navLink_params": _prop(_STRING_MAP),
            "offset": _prop(_DOUBLE_LIST),
            "styleBinding": _prop(_STRING_MAP),
            "properties": _prop(_STRING_MAP),
        },
    ),
    _builtin(
        "com.amazon.iottwinmaker.3d.component.dataoverlay",
        _3D_CREATED,
        properties={
            "subType": _prop(
                _type(Type.STRING, allowed=["TextAnnotation", "OverlayPanel"]), required=True
            ),
            "dataRows": _prop(_type(Type.LIST, _STRING_MAP), required=True),
            "rowBindings": _prop(_type(Type.LIST, _STRING_MAP)),
            "properties": _prop(_STRING_MAP),
        },
    ),
)
"""Every built-in component type, in no particular order (listings sort them)."""

BUILTINS_BY_ID: Mapping[str, BuiltinComponentType] = {
    builtin.component_type_id: builtin for builtin in BUILTIN_COMPONENT_TYPES
}
"""The built-in types by id."""
