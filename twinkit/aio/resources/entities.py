"""Async entities: `ws.entities`, `entity.children`, and the `Entity` handle.

```python
plant = await ws.entities.create("Plant")
pump = await plant.children.create("Pump 1", components={"pump": Component("com.example.pump")})
await pump.set_values("pump", {"model": "P-200"})  # UPDATE, typed by the component type
await pump.move_to(None)                           # to the top of the hierarchy
async for entity in plant.walk():                  # depth-first, lazily
    print(entity.id)
```
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Mapping
from typing import TYPE_CHECKING, Any, Literal

from typing_extensions import Unpack

from twinkit import models
from twinkit._display import EntityTree
from twinkit.aio.resources._base import AsyncStatefulResource
from twinkit.builders import Component
from twinkit.resources import _logic
from twinkit.resources._logic import ROOT, Components
from twinkit.resources.entities import EntityFields
from twinkit.values import PyValue

if TYPE_CHECKING:
    from twinkit.aio.dataplane import AsyncHistory
    from twinkit.aio.paging import AsyncPager
    from twinkit.aio.resources.component_types import ComponentType
    from twinkit.aio.resources.workspaces import Workspace
    from twinkit.dataplane import WriteResult
    from twinkit.query import EntityNode, QueryRow

__all__ = ["ROOT", "Entities", "Entity", "EntityChildren"]


class Entity(EntityFields, AsyncStatefulResource[models.GetEntityResponse]):
    """An entity, for asyncio: `twinkit.resources.Entity`'s methods, awaited.

    Each update returns the refreshed handle, so its properties (`name`, `values(...)`,
    `parent`) read what the update made.
    """

    workspace: Workspace

    def __init__(
        self, workspace: Workspace, entity_id: str, data: models.GetEntityResponse | None = None
    ) -> None:
        super().__init__(workspace.client, data)
        self.workspace = workspace
        self.id = entity_id

    async def _fetch(self) -> models.GetEntityResponse:
        return await self._tm.get_entity(workspace_id=self.workspace.id, entity_id=self.id)

    @property
    def parent(self) -> Entity | None:
        """The parent entity (as last fetched); None at the top of the hierarchy."""
        parent_id = self._parent_id
        return None if parent_id is None else Entity(self.workspace, parent_id)

    @property
    def children(self) -> EntityChildren:
        """The entity's children: `async for` them, list them lazily, or create one."""
        return EntityChildren(self)

    async def tree(self, *, max_depth: int | None = None) -> EntityTree:
        """The entity and its descendants (names and ids), fetched now: level by level, the
        children of every entity of a level listed concurrently.

        The same `EntityTree` as `twinkit.resources.Entity.tree` (it prints as a text tree).

        Args:
            max_depth: Levels below this entity to fetch (all when None).
        """
        name = (await self.get_data()).entity_name
        children: dict[str, list[tuple[str, str]]] = {}
        level, depth = [self.id], 0
        while level:
            last = max_depth is not None and depth >= max_depth
            # At the last level one child is enough to know the tree is cut there.
            listed = await asyncio.gather(
                *(self._children_of(i, max_items=1 if last else None) for i in level)
            )
            children.update(zip(level, listed, strict=True))
            level = [] if last else [i for pairs in listed for _, i in pairs]
            depth += 1
        return _logic.entity_tree(children, self.id, name, max_depth)

    async def _children_of(self, entity_id: str, *, max_items: int | None) -> list[tuple[str, str]]:
        summaries = self._tm.paginate.list_entities(
            workspace_id=self.workspace.id,
            filters=_logic.entity_filters(entity_id, None, None),
            max_items=max_items,
        )
        return [(s.entity_name, s.entity_id) async for s in summaries]

    async def walk(self) -> AsyncIterator[Entity]:
        """This entity, then its descendants, depth-first; children are listed lazily."""
        yield self
        async for child in self.children:
            async for entity in child.walk():
                yield entity

    async def update(self, *, name: str | None = None, description: str | None = None) -> Entity:
        """Rename or re-describe the entity; returns the refreshed handle."""
        return await self._update(entity_name=name, description=description)

    async def set_values(self, component: str, values: Mapping[str, object]) -> Entity:
        """Set property values of a component, typed by its declared data types (as
        `twinkit.resources.Entity.set_values`; the entity is fetched first if it never was)."""
        definitions = _logic.property_definitions_in(await self.get_data(), component)
        return await self._update(**_logic.value_updates(component, values, definitions))

    async def reset_values(self, component: str, *names: str) -> Entity:
        """Reset properties of a component to their defaults (`RESET_VALUE`)."""
        changes = _logic.property_updates(component, names, models.PropertyUpdateType.RESET_VALUE)
        return await self._update(**changes)

    async def remove_properties(self, component: str, *names: str) -> Entity:
        """Remove properties the entity added to a component (`DELETE`)."""
        changes = _logic.property_updates(component, names, models.PropertyUpdateType.DELETE)
        return await self._update(**changes)

    async def add_component(
        self, name: str, component: Component | models.ComponentRequest
    ) -> Entity:
        """Add a component (`CREATE`)."""
        request = (await _component_requests(self.workspace, {name: component}))[name]
        return await self._update(**_logic.new_component(name, request))

    async def remove_component(self, name: str) -> Entity:
        """Remove a component (`DELETE`)."""
        return await self._update(**_logic.removed_component(name))

    async def move_to(self, parent: Entity | str | None) -> Entity:
        """Give the entity another parent; None moves it to the top of the hierarchy."""
        return await self._update(**_logic.parent_update(parent))

    async def delete(self, *, recursive: bool = False) -> None:
        """Delete the entity (DELETING, then gone); `recursive` for one with children."""
        await self._tm.delete_entity(
            workspace_id=self.workspace.id, entity_id=self.id, is_recursive=recursive or None
        )
        self._data = None

    async def history(
        self, component: str, *properties: str, **options: Unpack[_logic.HistoryOptions]
    ) -> AsyncHistory:
        """The values of a component's time-series properties between `start` and `end`.

        As `twinkit.resources.Entity.history` (same arguments); awaited because, with no
        property named, it reads the component's time-series properties from the entity
        (fetched first if it never was). Nothing else is fetched until the result is
        iterated (`async for point in history`) or turned into a frame.

        Raises:
            ValidationError: an argument is malformed (raised here, before any call).
        """
        from twinkit.aio.dataplane import AsyncHistory
        from twinkit.dataplane._history import HistoryQuery

        if not properties:
            definitions = _logic.property_definitions_in(await self.get_data(), component)
            properties = _logic.time_series_names(definitions)
        where = _logic.component_where(component)
        query = HistoryQuery.build(
            self.workspace.id, properties, entity_id=self.id, **where, **options
        )
        return AsyncHistory(self._tm, query)

    async def latest(self, component: str, *properties: str) -> dict[str, PyValue | None]:
        """The latest value of each named property of a component (None: no value yet).

        Raises:
            ResourceNotFoundError: no such entity, component or property.
        """
        from twinkit.aio.dataplane import latest_values

        return await latest_values(self._tm, self.workspace.id, self.id, component, properties)

    async def put_values(
        self,
        component: str,
        values: Mapping[str, object] | Any,
        **options: Unpack[_logic.WriteOptions],
    ) -> WriteResult:
        """Write time-series values of a component's properties, any number of them.

        As `twinkit.resources.Entity.put_values` (same `values` and options:
        `max_concurrency`, `max_attempts`, `progress`).

        Raises:
            ValidationError: a time or value is not one (raised before anything is sent).
        """
        from twinkit.aio.dataplane import put_values

        return await put_values(self._tm, self.workspace.id, {self: {component: values}}, **options)

    def related(
        self,
        *,
        relationship: str | None = None,
        direction: Literal["out", "in", "both"] = "out",
        page_size: int | None = None,
    ) -> AsyncPager[EntityNode]:
        """The entities at the other end of this entity's relationships, lazily (as
        `twinkit.resources.Entity.related`, from one knowledge-graph query).

        Raises:
            ValueError: `direction` is not "out", "in" or "both".
        """
        statement = _logic.related_statement(self.id, relationship, direction)
        return self.workspace.query(statement, page_size=page_size).map(_node("other"))

    def descendants(
        self, *, max_depth: int | None = None, page_size: int | None = None
    ) -> AsyncPager[EntityNode]:
        """Every entity below this one, down to `max_depth` levels, lazily (as
        `twinkit.resources.Entity.descendants`, from one knowledge-graph query).

        Raises:
            ValueError: `max_depth` is not between 1 and 10.
        """
        statement = _logic.descendants_statement(self.id, max_depth)
        return self.workspace.query(statement, page_size=page_size).map(_node("d"))

    async def _update(self, **changes: Unpack[_logic.EntityChanges]) -> Entity:
        await self._tm.update_entity(workspace_id=self.workspace.id, entity_id=self.id, **changes)
        return await self.refresh()


def _node(column: str) -> Callable[[QueryRow], EntityNode]:
    """Reads the entity node of one column of a query row."""
    return lambda row: row.node(column)


async def _component_requests(
    workspace: Workspace, components: Components
) -> dict[str, models.ComponentRequest]:
    """Components as requests; Python values are typed by their component type's definitions
    (each type read once, all of them at the same time)."""
    handles = [workspace.component_types(type_id) for type_id in _logic.types_to_read(components)]
    await asyncio.gather(*(handle.get_data() for handle in handles))
    definitions = {handle.id: handle.property_definitions for handle in handles}
    return _logic.component_requests(components, definitions)


class Entities:
    """The entities of a workspace: `ws.entities`."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace
        self._tm = workspace.client

    def __call__(self, entity_id: str) -> Entity:
        """A handle on an entity, without any call."""
        return Entity(self._workspace, entity_id)

    async def create(
        self,
        name: str,
        *,
        entity_id: str | None = None,
        parent: Entity | str | None = None,
        description: str | None = None,
        components: Components | None = None,
        tags: dict[str, str] | None = None,
    ) -> Entity:
        """Create an entity (CREATING, then ACTIVE: see `wait_until_active`).

        The arguments are those of `twinkit.resources.Entities.create`; a `Component`
        names its type by id (the type's definitions are read here, once per type).

        Raises:
            ValidationError: an argument breaks the service model's rules, or a value does
                not fit its property's type.
            ConflictError: an entity with this id exists.
        """
        requests = await _component_requests(self._workspace, components) if components else None
        response = await self._tm.create_entity(
            workspace_id=self._workspace.id,
            entity_name=name,
            entity_id=entity_id,
            parent_entity_id=None if parent is None else _logic.id_of(parent),
            description=description,
            components=requests,
            tags=tags,
        )
        return Entity(self._workspace, response.entity_id)

    async def get(self, entity_id: str) -> Entity:
        """Fetch an entity.

        Raises:
            ResourceNotFoundError: there is no such entity.
        """
        return await Entity(self._workspace, entity_id).refresh()

    def list(
        self,
        *,
        parent: Entity | str | None = None,
        component_type: ComponentType | str | None = None,
        external_id: str | None = None,
        page_size: int | None = None,
        max_items: int | None = None,
    ) -> AsyncPager[Entity]:
        """The workspace's entities, lazily; by at most one filter (the service takes one).

        Raises:
            ValidationError: more than one filter was given.
        """
        summaries = self._tm.paginate.list_entities(
            workspace_id=self._workspace.id,
            filters=_logic.entity_filters(parent, component_type, external_id),
            page_size=page_size,
            max_items=max_items,
        )
        return summaries.map(lambda s: Entity(self._workspace, s.entity_id))

    def roots(self, *, page_size: int | None = None) -> AsyncPager[Entity]:
        """The entities at the top of the hierarchy, lazily."""
        return self.list(parent=ROOT, page_size=page_size)

    async def tree(self, *, max_depth: int | None = None) -> EntityTree:
        """The workspace's entity hierarchy under a root named after the workspace, from one
        ListEntities walk of the whole workspace (as `twinkit.resources.Entities.tree`).

        Args:
            max_depth: Levels to show (all when None).
        """
        summaries = self._tm.paginate.list_entities(workspace_id=self._workspace.id)
        return _logic.workspace_tree(self._workspace.id, await summaries.to_list(), max_depth)


class EntityChildren:
    """The children of an entity: `async for` them, `list()` them lazily, or `create()` one."""

    def __init__(self, entity: Entity) -> None:
        self._entity = entity

    def __aiter__(self) -> AsyncIterator[Entity]:
        return self.list().__aiter__()

    def list(self, *, page_size: int | None = None) -> AsyncPager[Entity]:
        """The children, lazily."""
        return Entities(self._entity.workspace).list(parent=self._entity, page_size=page_size)

    async def create(
        self,
        name: str,
        *,
        entity_id: str | None = None,
        description: str | None = None,
        components: Components | None = None,
        tags: dict[str, str] | None = None,
    ) -> Entity:
        """Create a child entity (see `Entities.create`)."""
        return await Entities(self._entity.workspace).create(
            name,
            entity_id=entity_id,
            parent=self._entity,
            description=description,
            components=components,
            tags=tags,
        )
