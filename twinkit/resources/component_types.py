"""Component types: `ws.component_types` (create, get, list) and the `ComponentType` handle."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from twinkit import models
from twinkit.builders import PropertyDefinition
from twinkit.paging import Pager
from twinkit.resources._base import StatefulResource

if TYPE_CHECKING:
    from twinkit.resources.workspaces import Workspace

__all__ = ["ComponentType", "ComponentTypes"]

Definitions = Mapping[str, PropertyDefinition | models.PropertyDefinitionRequest]


def _definitions(
    properties: Definitions | None,
) -> dict[str, models.PropertyDefinitionRequest] | None:
    if properties is None:
        return None
    return {
        name: d.to_model() if isinstance(d, PropertyDefinition) else d
        for name, d in properties.items()
    }


def _type_ids(types: Sequence[ComponentType | str] | None) -> list[str] | None:
    if types is None:
        return None
    return [t if isinstance(t, str) else t.id for t in types]


def _state(data: models.GetComponentTypeResponse) -> str | None:
    return str(data.status.state) if data.status and data.status.state else None


def _error(data: models.GetComponentTypeResponse) -> tuple[str | None, str | None]:
    error = data.status.error if data.status else None
    if error is None:
        return None, None
    return (str(error.code) if error.code else None), error.message


class ComponentType(StatefulResource[models.GetComponentTypeResponse]):
    """A component type: the schema (properties, functions, groups) that components follow."""

    kind = "component type"

    def __init__(
        self,
        workspace: Workspace,
        component_type_id: str,
        data: models.GetComponentTypeResponse | None = None,
    ) -> None:
        super().__init__(workspace.client, data)
        self.workspace = workspace
        self.id = component_type_id

    @property
    def identity(self) -> tuple[str, ...]:
        return (self.workspace.id, self.id)

    def _state(self, data: models.GetComponentTypeResponse) -> str | None:
        return _state(data)

    def _error(self, data: models.GetComponentTypeResponse) -> tuple[str | None, str | None]:
        return _error(data)

    def _fetch(self) -> models.GetComponentTypeResponse:
        return self._tm.get_component_type(
            workspace_id=self.workspace.id, component_type_id=self.id
        )

    @property
    def arn(self) -> str:
        """The component type's ARN."""
        return self.data.arn

    @property
    def is_abstract(self) -> bool:
        """True when entities cannot use the type (a function has no implementation)."""
        return bool(self.data.is_abstract)

    @property
    def property_definitions(self) -> dict[str, models.PropertyDefinitionResponse]:
        """Every property definition, inherited ones included."""
        return dict(self.data.property_definitions or {})

    def _repr_html_(self) -> str:
        """Jupyter's view: the type's state, parents and property definitions as tables."""
        from twinkit._display import component_type_html

        return component_type_html(repr(self), self.data)

    @property
    def extends_from(self) -> list[ComponentType]:
        """The types this one extends."""
        return [ComponentType(self.workspace, i) for i in self.data.extends_from or []]

    def update(
        self,
        *,
        properties: Definitions | None = None,
        description: str | None = None,
        extends_from: Sequence[ComponentType | str] | None = None,
        functions: Mapping[str, models.FunctionRequest] | None = None,
        is_singleton: bool | None = None,
        property_groups: Mapping[str, models.PropertyGroupRequest] | None = None,
        composite_component_types: Mapping[str, models.CompositeComponentTypeRequest] | None = None,
        name: str | None = None,
    ) -> ComponentType:
        """Change the component type (UPDATING, then ACTIVE); returns the refreshed handle."""
        self._tm.update_component_type(
            workspace_id=self.workspace.id,
            component_type_id=self.id,
            property_definitions=_definitions(properties),
            description=description,
            extends_from=_type_ids(extends_from),
            functions=dict(functions) if functions is not None else None,
            is_singleton=is_singleton,
            property_groups=dict(property_groups) if property_groups is not None else None,
            composite_component_types=dict(composite_component_types)
            if composite_component_types is not None
            else None,
            component_type_name=name,
        )
        return self.refresh()

    def delete(self) -> None:
        """Delete the type (DELETING, then gone). It must be unused and not extended."""
        self._tm.delete_component_type(workspace_id=self.workspace.id, component_type_id=self.id)
        self._data = None


class ComponentTypes:
    """The component types of a workspace, built-in `com.amazon.*` ones included."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace
        self._tm = workspace.client

    def __call__(self, component_type_id: str) -> ComponentType:
        """A handle on a component type, without any call."""
        return ComponentType(self._workspace, component_type_id)

    def create(
        self,
        component_type_id: str,
        *,
        properties: Definitions | None = None,
        extends_from: Sequence[ComponentType | str] | None = None,
        description: str | None = None,
        functions: Mapping[str, models.FunctionRequest] | None = None,
        is_singleton: bool | None = None,
        property_groups: Mapping[str, models.PropertyGroupRequest] | None = None,
        composite_component_types: Mapping[str, models.CompositeComponentTypeRequest] | None = None,
        name: str | None = None,
        tags: dict[str, str] | None = None,
    ) -> ComponentType:
        """Create a component type (CREATING, then ACTIVE: see `wait_until_active`).

        Args:
            component_type_id: Its id, e.g. `com.example.pump`.
            properties: Property definitions: `PropertyDefinition`s or request models.
            extends_from: Types it inherits definitions and functions from.
            description: A description.
            functions: Data connectors (`dataReader`, `schemaInitializer`, ...).
            is_singleton: At most one component of this type per entity.
            property_groups: Named groups of properties.
            composite_component_types: Component types nested in this one.
            name: A display name.
            tags: Tags.

        Raises:
            ValidationError: an argument breaks the service model's rules.
            ConflictError: a type with this id exists.
        """
        self._tm.create_component_type(
            workspace_id=self._workspace.id,
            component_type_id=component_type_id,
            property_definitions=_definitions(properties),
            extends_from=_type_ids(extends_from),
            description=description,
            functions=dict(functions) if functions is not None else None,
            is_singleton=is_singleton,
            property_groups=dict(property_groups) if property_groups is not None else None,
            composite_component_types=dict(composite_component_types)
            if composite_component_types is not None
            else None,
            component_type_name=name,
            tags=tags,
        )
        return ComponentType(self._workspace, component_type_id)

    def get(self, component_type_id: str) -> ComponentType:
        """Fetch a component type.

        Raises:
            ResourceNotFoundError: there is no such type.
        """
        return ComponentType(self._workspace, component_type_id).refresh()

    def list(
        self,
        *,
        extends_from: ComponentType | str | None = None,
        namespace: str | None = None,
        is_abstract: bool | None = None,
        page_size: int | None = None,
        max_items: int | None = None,
    ) -> Pager[ComponentType]:
        """The workspace's component types, lazily; filters combine (all must hold)."""
        filters = []
        if extends_from is not None:
            parent = extends_from if isinstance(extends_from, str) else extends_from.id
            filters.append(models.ListComponentTypesFilter(extends_from=parent))
        if namespace is not None:
            filters.append(models.ListComponentTypesFilter(namespace=namespace))
        if is_abstract is not None:
            filters.append(models.ListComponentTypesFilter(is_abstract=is_abstract))
        summaries = self._tm.paginate.list_component_types(
            workspace_id=self._workspace.id,
            filters=filters or None,
            page_size=page_size,
            max_items=max_items,
        )
        return summaries.map(lambda s: ComponentType(self._workspace, s.component_type_id))
