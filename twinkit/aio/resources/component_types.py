"""Async component types: `ws.component_types` (create, get, list) and `ComponentType`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from typing_extensions import Unpack

from twinkit import models
from twinkit.aio.resources._base import AsyncStatefulResource
from twinkit.resources import _logic
from twinkit.resources._logic import ComponentTypeOptions
from twinkit.resources.component_types import ComponentTypeFields

if TYPE_CHECKING:
    from twinkit.aio.paging import AsyncPager
    from twinkit.aio.resources.workspaces import Workspace

__all__ = ["ComponentType", "ComponentTypes"]


class ComponentType(ComponentTypeFields, AsyncStatefulResource[models.GetComponentTypeResponse]):
    """A component type, for asyncio: `twinkit.resources.ComponentType`'s methods, awaited."""

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

    async def _fetch(self) -> models.GetComponentTypeResponse:
        return await self._tm.get_component_type(
            workspace_id=self.workspace.id, component_type_id=self.id
        )

    @property
    def extends_from(self) -> list[ComponentType]:
        """The types this one extends (as last fetched)."""
        return [ComponentType(self.workspace, i) for i in self.data.extends_from or []]

    async def update(self, **changes: Unpack[ComponentTypeOptions]) -> ComponentType:
        """Change the component type (UPDATING, then ACTIVE); returns the refreshed handle.

        Takes what `twinkit.resources.ComponentType.update` takes (`properties`,
        `description`, `extends_from`, `functions`, `is_singleton`, `property_groups`,
        `composite_component_types`, `name`), all by keyword; members left out are kept.
        """
        args = _logic.component_type_args(**changes)
        await self._tm.update_component_type(
            workspace_id=self.workspace.id, component_type_id=self.id, **args
        )
        return await self.refresh()

    async def delete(self) -> None:
        """Delete the type (DELETING, then gone). It must be unused and not extended."""
        await self._tm.delete_component_type(
            workspace_id=self.workspace.id, component_type_id=self.id
        )
        self._data = None


class ComponentTypes:
    """The component types of a workspace, built-in `com.amazon.*` ones included."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace
        self._tm = workspace.client

    def __call__(self, component_type_id: str) -> ComponentType:
        """A handle on a component type, without any call."""
        return ComponentType(self._workspace, component_type_id)

    async def create(
        self,
        component_type_id: str,
        *,
        tags: dict[str, str] | None = None,
        **definition: Unpack[ComponentTypeOptions],
    ) -> ComponentType:
        """Create a component type (CREATING, then ACTIVE: see `wait_until_active`).

        Takes what `twinkit.resources.ComponentTypes.create` takes (`properties`,
        `extends_from`, `description`, `functions`, `is_singleton`, `property_groups`,
        `composite_component_types`, `name`, `tags`), all but the id by keyword.

        Raises:
            ValidationError: an argument breaks the service model's rules.
            ConflictError: a type with this id exists.
        """
        args = _logic.component_type_args(**definition)
        await self._tm.create_component_type(
            workspace_id=self._workspace.id, component_type_id=component_type_id, tags=tags, **args
        )
        return ComponentType(self._workspace, component_type_id)

    async def get(self, component_type_id: str) -> ComponentType:
        """Fetch a component type.

        Raises:
            ResourceNotFoundError: there is no such type.
        """
        return await ComponentType(self._workspace, component_type_id).refresh()

    def list(
        self,
        *,
        extends_from: ComponentType | str | None = None,
        namespace: str | None = None,
        is_abstract: bool | None = None,
        page_size: int | None = None,
        max_items: int | None = None,
    ) -> AsyncPager[ComponentType]:
        """The workspace's component types, lazily; filters combine (all must hold)."""
        summaries = self._tm.paginate.list_component_types(
            workspace_id=self._workspace.id,
            filters=_logic.component_type_filters(extends_from, namespace, is_abstract),
            page_size=page_size,
            max_items=max_items,
        )
        return summaries.map(lambda s: ComponentType(self._workspace, s.component_type_id))
