"""Entities: `ws.entities`, `entity.children`, and the `Entity` handle with Pythonic updates.

```python
plant = ws.entities.create("Plant")
pump = plant.children.create("Pump 1", components={"pump": Component(pump_type)})
pump.set_values("pump", {"model": "P-200"})        # UPDATE, typed by the component type
pump.reset_values("pump", "model")                 # RESET_VALUE
pump.move_to(None)                                 # to the top of the hierarchy
for entity in plant.walk():                        # depth-first, lazily
    print(entity.name)
```
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from typing_extensions import Unpack

from twinkit import models
from twinkit._display import EntityTree
from twinkit.builders import Component
from twinkit.paging import Pager
from twinkit.query import EntityNode, QueryResult
from twinkit.resources import _logic
from twinkit.resources._base import Handle, StatefulResource
from twinkit.resources._logic import ROOT, Components
from twinkit.values import PyValue, from_data_value

if TYPE_CHECKING:
    import numpy as np

    from twinkit.dataplane import History, WriteResult
    from twinkit.resources.component_types import ComponentType
    from twinkit.resources.workspaces import Workspace, WorkspaceFields

__all__ = ["ROOT", "Entities", "Entity", "EntityChildren", "EntityFields"]


class EntityFields(Handle[models.GetEntityResponse]):
    """What an entity handle reads from its description: the same for sync and async."""

    kind = "entity"
    id: str
    workspace: WorkspaceFields

    @property
    def identity(self) -> tuple[str, ...]:
        """(workspace id, entity id)."""
        return (self.workspace.id, self.id)

    def _state(self, data: models.GetEntityResponse) -> str | None:
        return _logic.state_of(data.status)

    def _error(self, data: models.GetEntityResponse) -> tuple[str | None, str | None]:
        return _logic.error_of(data.status)

    @property
    def name(self) -> str:
        """The entity's name."""
        return self.data.entity_name

    @property
    def arn(self) -> str:
        """The entity's ARN."""
        return self.data.arn

    @property
    def has_children(self) -> bool:
        """True if some entity has this one as its parent."""
        return self.data.has_child_entities

    @property
    def components(self) -> dict[str, models.ComponentResponse]:
        """The entity's components by name, as last fetched."""
        return dict(self.data.components or {})

    def values(self, component: str) -> dict[str, PyValue]:
        """The current values of a component's properties, as Python values.

        Properties without a value (time-series ones, say) are left out.

        Raises:
            KeyError: the entity has no such component.
        """
        properties = self.data.components[component].properties if self.data.components else {}
        return {
            name: from_data_value(p.value)
            for name, p in (properties or {}).items()
            if p.value is not None
        }

    @property
    def _parent_id(self) -> str | None:
        parent_id = self.data.parent_entity_id
        return None if parent_id == ROOT else parent_id


class Entity(EntityFields, StatefulResource[models.GetEntityResponse]):
    """An entity: a thing in the digital twin, with components, in a hierarchy."""

    workspace: Workspace

    def __init__(
        self, workspace: Workspace, entity_id: str, data: models.GetEntityResponse | None = None
    ) -> None:
        super().__init__(workspace.client, data)
        self.workspace = workspace
        self.id = entity_id

    def _fetch(self) -> models.GetEntityResponse:
        return self._tm.get_entity(workspace_id=self.workspace.id, entity_id=self.id)

    @property
    def parent(self) -> Entity | None:
        """The parent entity; None at the top of the hierarchy."""
        parent_id = self._parent_id
        return None if parent_id is None else Entity(self.workspace, parent_id)

    @property
    def children(self) -> EntityChildren:
        """The entity's children: iterate them, list them lazily, or create one."""
        return EntityChildren(self)

    def _repr_html_(self) -> str:
        """Jupyter's view: the entity, and each component's properties, as tables."""
        from twinkit._display import entity_html

        return entity_html(repr(self), self.data)

    def tree(self, *, max_depth: int | None = None) -> EntityTree:
        """The entity and its descendants (names and ids), fetched now, one call a parent.

        Prints as a text tree and shows as HTML in notebooks.

        Args:
            max_depth: Levels below this entity to fetch (all when None).
        """
        return _subtree(self.id, self.name, self.workspace, max_depth)

    def walk(self) -> Iterator[Entity]:
        """This entity, then its descendants, depth-first; children are listed lazily."""
        yield self
        for child in self.children:
            yield from child.walk()

    def update(self, *, name: str | None = None, description: str | None = None) -> Entity:
        """Rename or re-describe the entity; returns the refreshed handle."""
        return self._update(entity_name=name, description=description)

    def set_values(self, component: str, values: Mapping[str, object]) -> Entity:
        """Set property values of a component, typed by its declared data types.

        Python values and `DataValue`s update existing properties (`UPDATE`). A
        `PropertyRequest` is sent as given; with a `definition` and no `update_type`, it adds
        a property the component type does not define (`CREATE`).
        """
        definitions = _logic.property_definitions_in(self.data, component)
        return self._update(**_logic.value_updates(component, values, definitions))

    def reset_values(self, component: str, *names: str) -> Entity:
        """Reset properties of a component to their defaults (`RESET_VALUE`)."""
        reset = models.PropertyUpdateType.RESET_VALUE
        return self._update(**_logic.property_updates(component, names, reset))

    def remove_properties(self, component: str, *names: str) -> Entity:
        """Remove properties the entity added to a component (`DELETE`)."""
        remove = models.PropertyUpdateType.DELETE
        return self._update(**_logic.property_updates(component, names, remove))

    def add_component(self, name: str, component: Component | models.ComponentRequest) -> Entity:
        """Add a component (`CREATE`)."""
        request = _component_requests(self.workspace, {name: component})[name]
        return self._update(**_logic.new_component(name, request))

    def remove_component(self, name: str) -> Entity:
        """Remove a component (`DELETE`)."""
        return self._update(**_logic.removed_component(name))

    def move_to(self, parent: Entity | str | None) -> Entity:
        """Give the entity another parent; None moves it to the top of the hierarchy."""
        return self._update(**_logic.parent_update(parent))

    def delete(self, *, recursive: bool = False) -> None:
        """Delete the entity (DELETING, then gone); `recursive` for one with children."""
        self._tm.delete_entity(
            workspace_id=self.workspace.id, entity_id=self.id, is_recursive=recursive or None
        )
        self._data = None

    def history(
        self,
        component: str,
        *properties: str,
        start: datetime | int | str | np.datetime64,
        end: datetime | int | str | np.datetime64,
        order: models.OrderByTime | str = "ASCENDING",
        interpolation: timedelta | int | models.InterpolationParameters | None = None,
        filters: Iterable[models.PropertyFilter | tuple[str, str, object]] | None = None,
        page_size: int = 200,
    ) -> History:
        """The values of a component's time-series properties between `start` and `end`.

        Nothing is fetched until the result is iterated (one `HistoryPoint` per value, in
        time order, page by page) or turned into a frame (`.to_dataframe()`, `.to_arrow()`).
        Any number of properties: more than a request may select (10) are read in groups.

        Args:
            component: The component's name, or the path of a composite one (`a/b`).
            properties: The properties; every time-series property of the component (as
                last fetched) when none are named.
            start: The earliest time, inclusive: an aware `datetime` or `pandas.Timestamp`,
                `int` nanoseconds, a `numpy.datetime64` or a `Time` string.
            end: The latest time, inclusive (same forms).
            order: `"ASCENDING"` (oldest first) or `"DESCENDING"`.
            interpolation: LINEAR interpolation at this interval (a `timedelta` or whole
                seconds), or `InterpolationParameters`.
            filters: `PropertyFilter`s or `(property, operator, value)` tuples, e.g.
                `("temperature", ">", 20.0)`.
            page_size: Values per request (at most 200).

        Raises:
            ValidationError: an argument is malformed (raised here, before any call).

        Example:
            ```python
            frame = pump.history("sensors", "rpm", start=t0, end=t1).to_dataframe()
            ```
        """
        from twinkit.dataplane._history import History, HistoryQuery

        names = properties or _logic.time_series_names(
            _logic.property_definitions_in(self.data, component)
        )
        query = HistoryQuery.build(
            self.workspace.id,
            names,
            start=start,
            end=end,
            order=order,
            interpolation=interpolation,
            filters=filters,
            page_size=page_size,
            entity_id=self.id,
            **_logic.component_where(component),
        )
        return History(self._tm, query)

    def latest(self, component: str, *properties: str) -> dict[str, PyValue | None]:
        """The latest value of each named property of a component (None: no value yet).

        Raises:
            ResourceNotFoundError: no such entity, component or property.
        """
        from twinkit.dataplane._history import latest_values

        return latest_values(self._tm, self.workspace.id, self.id, component, properties)

    def _update(self, **changes: Unpack[_logic.EntityChanges]) -> Entity:
        self._tm.update_entity(workspace_id=self.workspace.id, entity_id=self.id, **changes)
        return self.refresh()

    def related(
        self,
        *,
        relationship: str | None = None,
        direction: Literal["out", "in", "both"] = "out",
        page_size: int | None = None,
    ) -> Pager[EntityNode]:
        """The entities at the other end of this entity's relationships, from a knowledge-graph
        query: those it points to (`"out"`), those pointing to it (`"in"`) or both, through any
        relationship or the one named (`"isChildOf"` included). An entity comes once per edge.

        Raises:
            ValueError: `direction` is not "out", "in" or "both".
        """
        statement = _logic.related_statement(self.id, relationship, direction)
        rows = QueryResult(self._tm, self.workspace.id, statement, page_size=page_size)
        return rows.map(lambda row: row.node("other"))

    def descendants(
        self, *, max_depth: int | None = None, page_size: int | None = None
    ) -> Pager[EntityNode]:
        """Every entity below this one in the hierarchy (children, their children, ...) down to
        `max_depth` levels, from one knowledge-graph query over `isChildOf` edges.

        Raises:
            ValueError: `max_depth` is not between 1 and 10 (the knowledge graph's hop quota,
                which also bounds the default).
        """
        statement = _logic.descendants_statement(self.id, max_depth)
        rows = QueryResult(self._tm, self.workspace.id, statement, page_size=page_size)
        return rows.map(lambda row: row.node("d"))

    def put_values(
        self,
        component: str,
        values: Mapping[str, object] | Any,
        *,
        max_concurrency: int | None = None,
        max_attempts: int = 8,
        progress: bool | None = None,
    ) -> WriteResult:
        """Write time-series values of a component's properties, any number of them.

        Values are packed into `BatchPutPropertyValues` calls (10 entries x 10 values), sent
        concurrently, retried with backoff, and accounted for: nothing raises midway.

        Example:
            ```python
            result = pump.put_values("pump", {"rpm": [(t0, 1500.0), (t1, 1510.0)]})
            result.raise_for_failures()
            ```

        Args:
            component: The component's name (or path, `parent/child`, for a composite one).
            values: `{property: values}`, or a pandas DataFrame with a column per property and
                the times as its index. A property's values: `(time, value)` pairs, a
                `{time: value}` mapping, a pandas Series (times as its index) or numpy arrays
                `(times, values)`. Times: aware datetimes, `datetime64`, int nanoseconds or
                `Time` strings. Values are checked against the property's declared type.
            max_concurrency: Calls in flight at most; the client's `max_pool_connections`
                (10 by default) when None.
            max_attempts: Tries per value before it is reported as not written.
            progress: Show a tqdm progress bar (`twinkit[tqdm]`); None: when stderr is a
                terminal and tqdm is installed.

        Returns:
            How many values were written, and every value that was not, with its error.

        Raises:
            ValidationError: a time or value is not one (raised before anything is sent),
                naming each, e.g. `entities['pump-1'].components['pump'].properties['rpm'][3]`.
        """
        from twinkit.dataplane._batch import put_values

        return put_values(
            self._tm,
            self.workspace.id,
            {self: {component: values}},
            max_concurrency=max_concurrency,
            max_attempts=max_attempts,
            progress=progress,
        )


def _component_requests(
    workspace: Workspace, components: Components
) -> dict[str, models.ComponentRequest]:
    """Components as requests; Python values are typed by their component type's definitions
    (each type's read once, unless the handle given holds them already)."""
    from twinkit.resources.component_types import ComponentType

    definitions = {
        type_id: (
            given if isinstance(given, ComponentType) else workspace.component_types(type_id)
        ).property_definitions
        for type_id, given in _logic.types_to_read(components).items()
    }
    return _logic.component_requests(components, definitions)


class Entities:
    """The entities of a workspace: `ws.entities`."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace
        self._tm = workspace.client

    def __call__(self, entity_id: str) -> Entity:
        """A handle on an entity, without any call."""
        return Entity(self._workspace, entity_id)

    def create(
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

        Args:
            name: The entity's name.
            entity_id: Its id; the service makes one up when None.
            parent: Its parent; the top of the hierarchy when None.
            description: A description.
            components: Its components by name: `Component`s (Python values, typed by their
                component type) or `ComponentRequest`s.
            tags: Tags.

        Raises:
            ValidationError: an argument breaks the service model's rules, or a value does
                not fit its property's type.
            ConflictError: an entity with this id exists.
        """
        response = self._tm.create_entity(
            workspace_id=self._workspace.id,
            entity_name=name,
            entity_id=entity_id,
            parent_entity_id=None if parent is None else _logic.id_of(parent),
            description=description,
            components=_component_requests(self._workspace, components) if components else None,
            tags=tags,
        )
        return Entity(self._workspace, response.entity_id)

    def get(self, entity_id: str) -> Entity:
        """Fetch an entity.

        Raises:
            ResourceNotFoundError: there is no such entity.
        """
        return Entity(self._workspace, entity_id).refresh()

    def list(
        self,
        *,
        parent: Entity | str | None = None,
        component_type: ComponentType | str | None = None,
        external_id: str | None = None,
        page_size: int | None = None,
        max_items: int | None = None,
    ) -> Pager[Entity]:
        """The workspace's entities, lazily; by at most one filter (the service takes one).

        Args:
            parent: Only the children of this entity (`ROOT` for the top level).
            component_type: Only entities with a component of this type (or of a type that
                extends it).
            external_id: Only the entity with this external id.
            page_size: Entities to ask for per call.
            max_items: Stop after this many entities.

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

    def roots(self, *, page_size: int | None = None) -> Pager[Entity]:
        """The entities at the top of the hierarchy, lazily."""
        return self.list(parent=ROOT, page_size=page_size)

    def tree(self, *, max_depth: int | None = None) -> EntityTree:
        """The workspace's entity hierarchy under a root named after the workspace.

        One ListEntities walk of the whole workspace, however deep the tree. Prints as a
        text tree and shows as HTML in notebooks.

        Args:
            max_depth: Levels to show (all when None).
        """
        summaries = self._tm.paginate.list_entities(workspace_id=self._workspace.id)
        return _logic.workspace_tree(self._workspace.id, summaries, max_depth)


class EntityChildren:
    """The children of an entity: iterate them, `list()` them lazily, or `create()` one."""

    def __init__(self, entity: Entity) -> None:
        self._entity = entity

    def __iter__(self) -> Iterator[Entity]:
        return iter(self.list())

    def list(self, *, page_size: int | None = None) -> Pager[Entity]:
        """The children, lazily."""
        return Entities(self._entity.workspace).list(parent=self._entity, page_size=page_size)

    def create(
        self,
        name: str,
        *,
        entity_id: str | None = None,
        description: str | None = None,
        components: Components | None = None,
        tags: dict[str, str] | None = None,
    ) -> Entity:
        """Create a child entity (see `Entities.create`)."""
        return Entities(self._entity.workspace).create(
            name,
            entity_id=entity_id,
            parent=self._entity,
            description=description,
            components=components,
            tags=tags,
        )


def _subtree(entity_id: str, name: str, workspace: Workspace, max_depth: int | None) -> EntityTree:
    """An entity's tree, listing the children of each entity that has some."""
    if max_depth is not None and max_depth <= 0:
        has_children = Entities(workspace).list(parent=entity_id, max_items=1).first()
        return EntityTree(entity_id, name, truncated=has_children is not None)
    summaries = workspace.client.paginate.list_entities(
        workspace_id=workspace.id,
        filters=[models.ListEntitiesFilter(parent_entity_id=entity_id)],
    )
    below = sorted((s.entity_name, s.entity_id) for s in summaries)
    deeper = None if max_depth is None else max_depth - 1
    return EntityTree(entity_id, name, tuple(_subtree(i, n, workspace, deeper) for n, i in below))
