"""Component types: `ws.component_types` (create, get, list) and the `ComponentType` handle."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from twinkit import models
from twinkit.paging import Pager
from twinkit.resources import _logic
from twinkit.resources._base import Handle, StatefulResource
from twinkit.resources._logic import Definitions

if TYPE_CHECKING:
    from twinkit.resources.workspaces import Workspace, WorkspaceFields

__all__ = ["ComponentType", "ComponentTypeFields", "ComponentTypes"]


class ComponentTypeFields(Handle[models.GetComponentTypeResponse]):
    """What a component type handle reads from its description: the same for sync and async."""

    kind = "component type"
    id: str
    workspace: WorkspaceFields

    @property
    def identity(self) -> tuple[str, ...]:
        """(workspace id, component type id)."""
        return (self.workspace.id, self.id)

    def _state(self, data: models.GetComponentTypeResponse) -> str | None:
        return _logic.state_of(data.status)

    def _error(self, data: models.GetComponentTypeResponse) -> tuple[str | None, str | None]:
        return _logic.error_of(data.status)

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


class ComponentType(ComponentTypeFields, StatefulResource[models.GetComponentTypeResponse]):
    """A component type: the schema (properties, functions, groups) that components follow."""

    workspace: Workspace

    def __init__(
        self,
        workspace: Workspace,
        component_type_id: str,
        data: models.GetComponentTypeResponse | None = None,
    ) -> None:
        super().__init__(workspace.client, data)
        self.workspace = workspace
        self.id = component_type_id

    def _fetch(self) -> models.GetComponentTypeResponse:
        return self._tm.get_component_type(
            workspace_id=self.workspace.id, component_type_id=self.id
        )

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
        args = _logic.component_type_args(
            properties=properties,
            extends_from=extends_from,
            description=description,
            functions=functions,
            is_singleton=is_singleton,
            property_groups=property_groups,
            composite_component_types=composite_component_types,
            name=name,
        )
        self._tm.update_component_type(
            workspace_id=self.workspace.id, component_type_id=self.id, **args
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
        args = _logic.component_type_args(
            properties=properties,
            extends_from=extends_from,
            description=description,
            functions=functions,
            is_singleton=is_singleton,
            property_groups=property_groups,
            composite_component_types=composite_component_types,
            name=name,
        )
        self._tm.create_component_type(
            workspace_id=self._workspace.id, component_type_id=component_type_id, tags=tags, **args
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
        summaries = self._tm.paginate.list_component_types(
            workspace_id=self._workspace.id,
            filters=_logic.component_type_filters(extends_from, namespace, is_abstract),
            page_size=page_size,
            max_items=max_items,
        )
        return summaries.map(lambda s: ComponentType(self._workspace, s.component_type_id))
