"""Short ways to write the requests people write most: data types, property definitions, components.

```python
import twinkit
from twinkit import DataTypes, PropertyDefinition, Component

pump = ws.component_types.create("com.example.pump", properties={
    "rpm": PropertyDefinition(DataTypes.DOUBLE, time_series=True),
    "model": PropertyDefinition(DataTypes.STRING, default="P-100"),
    "tags": PropertyDefinition(DataTypes.list_of(DataTypes.STRING)),
})
ws.entities.create("Pump 1", components={"pump": Component(pump, properties={"model": "P-200"})})
```

Each builder turns into the generated request model (`to_model()`), so everything the API can
express stays reachable: pass the models themselves wherever a builder is accepted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar, Protocol

import attrs

from twinkit import models
from twinkit.errors import Problem, ValidationError
from twinkit.values import to_data_value

__all__ = ["Component", "ComponentTypeHandle", "DataTypes", "PropertyDefinition"]


class ComponentTypeHandle(Protocol):
    """What names a component type in a `Component`: a `ComponentType` handle, blocking
    (`twinkit.resources`) or async (`twinkit.aio`), or anything else with its `id`."""

    @property
    def id(self) -> str:
        """The component type's id."""
        ...


class DataTypes:
    """`models.DataType` values for TwinMaker's types: `DataTypes.DOUBLE`, `list_of(...)`."""

    BOOLEAN: ClassVar[models.DataType] = models.DataType(type=models.Type.BOOLEAN)
    DOUBLE: ClassVar[models.DataType] = models.DataType(type=models.Type.DOUBLE)
    INTEGER: ClassVar[models.DataType] = models.DataType(type=models.Type.INTEGER)
    LONG: ClassVar[models.DataType] = models.DataType(type=models.Type.LONG)
    STRING: ClassVar[models.DataType] = models.DataType(type=models.Type.STRING)

    @staticmethod
    def list_of(item: models.DataType) -> models.DataType:
        """A list whose elements are of type `item`."""
        return models.DataType(type=models.Type.LIST, nested_type=item)

    @staticmethod
    def map_of(value: models.DataType) -> models.DataType:
        """A map from strings to values of type `value`."""
        return models.DataType(type=models.Type.MAP, nested_type=value)

    @staticmethod
    def relationship(
        target_component_type_id: str | None = None, relationship_type: str | None = None
    ) -> models.DataType:
        """A relationship to another entity (optionally of a given component type)."""
        return models.DataType(
            type=models.Type.RELATIONSHIP,
            relationship=models.Relationship(
                target_component_type_id=target_component_type_id,
                relationship_type=relationship_type,
            ),
        )

    @staticmethod
    def of(data_type: models.DataType | models.Type | str) -> models.DataType:
        """A `models.DataType` from a `Type`, its name (`"DOUBLE"`) or a `DataType`."""
        if isinstance(data_type, models.DataType):
            return data_type
        return models.DataType(type=models.Type(data_type))


@attrs.frozen
class PropertyDefinition:
    """A property of a component type, with Python defaults.

    Args:
        data_type: The property's type: `DataTypes.DOUBLE`, `"DOUBLE"`, `Type.DOUBLE`, or a
            full `models.DataType`.
        time_series: Values are time-stamped series (written with BatchPutPropertyValues).
        required: Every entity must give this property a value (or rely on `default`).
        default: The default value, as a Python value (converted for `data_type`).
        external_id: The property identifies the entity in an external system.
        stored_externally: Values live in an external store, read by a data connector.
        configuration: Connector-specific settings.
        display_name: A name to show instead of the property's key.
    """

    data_type: models.DataType | models.Type | str = attrs.field()
    time_series: bool = attrs.field(default=False, kw_only=True)
    required: bool = attrs.field(default=False, kw_only=True)
    default: object = attrs.field(default=None, kw_only=True)
    external_id: bool = attrs.field(default=False, kw_only=True)
    stored_externally: bool = attrs.field(default=False, kw_only=True)
    configuration: Mapping[str, str] | None = attrs.field(default=None, kw_only=True)
    display_name: str | None = attrs.field(default=None, kw_only=True)

    def to_model(self) -> models.PropertyDefinitionRequest:
        """The `PropertyDefinitionRequest` this describes.

        Raises:
            ValidationError: the default value does not fit the data type.
        """
        data_type = DataTypes.of(self.data_type)
        return models.PropertyDefinitionRequest(
            data_type=data_type,
            is_time_series=self.time_series or None,
            is_required_in_entity=self.required or None,
            is_external_id=self.external_id or None,
            is_stored_externally=self.stored_externally or None,
            default_value=None if self.default is None else to_data_value(self.default, data_type),
            configuration=dict(self.configuration) if self.configuration is not None else None,
            display_name=self.display_name,
        )


@attrs.frozen
class Component:
    """A component of an entity: its type, and values for its properties as Python values.

    Args:
        component_type: The component type (a handle or its id).
        properties: Property values: Python values (converted using the type's declared data
            types, so an `int` becomes an integer or a long as the type says) or `DataValue`s.
        description: The component's description.
    """

    component_type: ComponentTypeHandle | str
    properties: Mapping[str, object] | None = attrs.field(default=None, kw_only=True)
    description: str | None = attrs.field(default=None, kw_only=True)

    @property
    def component_type_id(self) -> str:
        """The id of the component's type."""
        if isinstance(self.component_type, str):
            return self.component_type
        return self.component_type.id

    def to_model(
        self, definitions: Mapping[str, models.PropertyDefinitionResponse] | None = None
    ) -> models.ComponentRequest:
        """The `ComponentRequest` this describes.

        Args:
            definitions: The type's property definitions, to convert values for their declared
                types; without them, values convert by their Python type alone.
        """
        return models.ComponentRequest(
            component_type_id=self.component_type_id,
            description=self.description,
            properties=property_requests(self.properties, definitions),
        )


def property_requests(
    values: Mapping[str, object] | None,
    definitions: Mapping[str, models.PropertyDefinitionResponse] | None,
) -> dict[str, models.PropertyRequest] | None:
    """Property values (Python or `DataValue`) as `PropertyRequest`s, typed by `definitions`."""
    if values is None:
        return None
    requests = {}
    problems: list[Problem] = []
    for name, value in values.items():
        if isinstance(value, models.PropertyRequest):
            requests[name] = value
            continue
        definition = (definitions or {}).get(name)
        data_type = definition.data_type if definition is not None else None
        try:
            requests[name] = models.PropertyRequest(value=to_data_value(value, data_type))
        except ValidationError as error:
            problems.extend(_under(f"properties[{name!r}]", p) for p in error.problems)
    if problems:
        raise ValidationError(problems)
    return requests


def _under(prefix: str, problem: Problem) -> Problem:
    """`problem`, moved from the root of a converted value to `prefix`."""
    path = problem.path
    rest = path[len("value") :] if path.startswith("value") else f".{path}"
    wire_rest = problem.wire_path
    wire = f"{prefix}.value" + (f".{wire_rest}" if wire_rest and wire_rest[0] != "[" else wire_rest)
    return Problem(prefix + ".value" + rest.removeprefix(".value"), wire, problem.message)
