"""What a handle's calls are made of, without the calls: requests, filters, updates.

Sync handles (`twinkit.resources`) and async ones (`twinkit.aio.resources`) both build their
requests here, so the two cannot drift apart: a handle only sends what these return.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal, Protocol, TypedDict

import attrs
from typing_extensions import Required, Unpack

from twinkit import models
from twinkit._display import EntityTree
from twinkit.builders import (
    Component,
    ComponentTypeHandle,
    PropertyDefinition,
    property_requests,
)
from twinkit.errors import Problem, ValidationError
from twinkit.query import MAX_QUERY_HOPS, quote

if TYPE_CHECKING:
    import numpy as np


__all__ = [
    "ROOT",
    "Children",
    "ComponentTypeArgs",
    "ComponentTypeOptions",
    "ComponentWhere",
    "Components",
    "Definitions",
    "EntityChanges",
    "HistoryOptions",
    "WriteOptions",
    "children_by_parent",
    "component_requests",
    "component_type_args",
    "component_type_filters",
    "component_where",
    "descendants_statement",
    "entity_filters",
    "entity_tree",
    "error_of",
    "id_of",
    "metadata_transfer_job_filters",
    "new_component",
    "parent_update",
    "property_definitions_in",
    "property_updates",
    "related_statement",
    "removed_component",
    "state_of",
    "time_series_names",
    "types_to_read",
    "value_updates",
    "workspace_tree",
]

ROOT = "$ROOT"
"""The pseudo-parent of every top-level entity."""

Definitions = Mapping[str, PropertyDefinition | models.PropertyDefinitionRequest]
"""Property definitions as a handle takes them: builders or request models."""

Components = Mapping[str, Component | models.ComponentRequest]
"""Components as a handle takes them: builders (Python values) or request models."""


class _Named(Protocol):
    @property
    def id(self) -> str: ...


def id_of(resource: _Named | str) -> str:
    """The id of a handle, or the id itself."""
    return resource if isinstance(resource, str) else resource.id


class _Status(Protocol):
    @property
    def state(self) -> object: ...

    @property
    def error(self) -> models.ErrorDetails | None: ...


def state_of(status: _Status | None) -> str | None:
    """The state in a resource's `status` (None when it has none)."""
    return str(status.state) if status is not None and status.state else None


def error_of(status: _Status | None) -> tuple[str | None, str | None]:
    """The (code, message) of the error in a resource's `status`, if any."""
    error = status.error if status is not None else None
    if error is None:
        return None, None
    return (str(error.code) if error.code else None), error.message


class ComponentTypeArgs(TypedDict):
    """The members CreateComponentType and UpdateComponentType both take, as requests."""

    property_definitions: dict[str, models.PropertyDefinitionRequest] | None
    extends_from: list[str] | None
    description: str | None
    functions: dict[str, models.FunctionRequest] | None
    is_singleton: bool | None
    property_groups: dict[str, models.PropertyGroupRequest] | None
    composite_component_types: dict[str, models.CompositeComponentTypeRequest] | None
    component_type_name: str | None


class ComponentTypeOptions(TypedDict, total=False):
    """A component type's definition as `ComponentTypes.create` and `ComponentType.update`
    take it (the sync handles document each member); members left out are not sent."""

    properties: Definitions | None
    extends_from: Sequence[_Named | str] | None
    description: str | None
    functions: Mapping[str, models.FunctionRequest] | None
    is_singleton: bool | None
    property_groups: Mapping[str, models.PropertyGroupRequest] | None
    composite_component_types: Mapping[str, models.CompositeComponentTypeRequest] | None
    name: str | None


def component_type_args(**options: Unpack[ComponentTypeOptions]) -> ComponentTypeArgs:
    """A component type's definition (as the handles take it) as request members."""
    properties = options.get("properties")
    extends_from = options.get("extends_from")
    functions = options.get("functions")
    groups = options.get("property_groups")
    composites = options.get("composite_component_types")
    return ComponentTypeArgs(
        property_definitions=None
        if properties is None
        else {
            key: d.to_model() if isinstance(d, PropertyDefinition) else d
            for key, d in properties.items()
        },
        extends_from=None if extends_from is None else [id_of(t) for t in extends_from],
        description=options.get("description"),
        functions=None if functions is None else dict(functions),
        is_singleton=options.get("is_singleton"),
        property_groups=None if groups is None else dict(groups),
        composite_component_types=None if composites is None else dict(composites),
        component_type_name=options.get("name"),
    )


def component_type_filters(
    extends_from: _Named | str | None, namespace: str | None, is_abstract: bool | None
) -> list[models.ListComponentTypesFilter] | None:
    """ListComponentTypes filters (all must hold); None when there are none."""
    filters = []
    if extends_from is not None:
        filters.append(models.ListComponentTypesFilter(extends_from=id_of(extends_from)))
    if namespace is not None:
        filters.append(models.ListComponentTypesFilter(namespace=namespace))
    if is_abstract is not None:
        filters.append(models.ListComponentTypesFilter(is_abstract=is_abstract))
    return filters or None


def entity_filters(
    parent: _Named | str | None, component_type: _Named | str | None, external_id: str | None
) -> list[models.ListEntitiesFilter] | None:
    """The one ListEntities filter (the service takes one); None when there is none.

    Raises:
        ValidationError: more than one filter was given.
    """
    filters = []
    if parent is not None:
        filters.append(models.ListEntitiesFilter(parent_entity_id=id_of(parent)))
    if component_type is not None:
        filters.append(models.ListEntitiesFilter(component_type_id=id_of(component_type)))
    if external_id is not None:
        filters.append(models.ListEntitiesFilter(external_id=external_id))
    if len(filters) > 1:
        message = f"expected at most one of parent, component_type, external_id; got {len(filters)}"
        raise ValidationError([Problem("Entities.list", "filters", message)])
    return filters or None


def metadata_transfer_job_filters(
    workspace_id: str | None, state: models.MetadataTransferJobState | str | None
) -> list[models.ListMetadataTransferJobsFilter] | None:
    """ListMetadataTransferJobs filters; None when there are none."""
    filters = []
    if workspace_id is not None:
        filters.append(models.ListMetadataTransferJobsFilter(workspace_id=workspace_id))
    if state is not None:
        filters.append(models.ListMetadataTransferJobsFilter(state=state))
    return filters or None


def property_definitions_in(
    data: models.GetEntityResponse, component: str
) -> dict[str, models.PropertyDefinitionResponse]:
    """The property definitions of an entity's component (empty if it has no such one)."""
    found = (data.components or {}).get(component)
    if found is None:
        return {}
    return {
        name: p.definition
        for name, p in (found.properties or {}).items()
        if p.definition is not None
    }


def time_series_names(
    definitions: Mapping[str, models.PropertyDefinitionResponse],
) -> tuple[str, ...]:
    """The time-series properties among some definitions: what history reads by default."""
    return tuple(name for name, d in definitions.items() if d.is_time_series)


class ComponentWhere(TypedDict, total=False):
    """How a history request names a component."""

    component_name: str
    component_path: str


def component_where(component: str) -> ComponentWhere:
    """How a history request names a component: by name, or by path (`a/b`) if composite."""
    if "/" in component:
        return ComponentWhere(component_path=component)
    return ComponentWhere(component_name=component)


class HistoryOptions(TypedDict, total=False):
    """The options of every history method (`Entity.history`, `Workspace.history`): see
    `twinkit.resources.Entity.history` for each."""

    start: Required[datetime | int | str | np.datetime64]
    end: Required[datetime | int | str | np.datetime64]
    order: models.OrderByTime | str
    interpolation: timedelta | int | models.InterpolationParameters | None
    filters: Iterable[models.PropertyFilter | tuple[str, str, object]] | None
    page_size: int


class WriteOptions(TypedDict, total=False):
    """The options of every batch write (`put_values`, `batch_writer`): see
    `twinkit.resources.Workspace.put_values` for each."""

    max_concurrency: int | None
    max_attempts: int
    progress: bool | None


class EntityChanges(TypedDict, total=False):
    """What one UpdateEntity call changes (members left out are kept)."""

    entity_name: str | None
    description: str | None
    component_updates: dict[str, models.ComponentUpdateRequest]
    parent_entity_update: models.ParentEntityUpdateRequest


def _component_update(
    component: str, property_updates: dict[str, models.PropertyRequest]
) -> EntityChanges:
    update = models.ComponentUpdateRequest(
        update_type=models.ComponentUpdateType.UPDATE, property_updates=property_updates
    )
    return EntityChanges(component_updates={component: update})


def value_updates(
    component: str,
    values: Mapping[str, object],
    definitions: Mapping[str, models.PropertyDefinitionResponse],
) -> EntityChanges:
    """Set a component's property values, typed by their definitions.

    Python values and `DataValue`s update existing properties (`UPDATE`); a `PropertyRequest`
    is sent as given, and one with a `definition` and no `update_type` adds a property (`CREATE`).
    """
    requests = property_requests(values, definitions) or {}
    return _component_update(component, {name: _as_update(r) for name, r in requests.items()})


def property_updates(
    component: str, names: Iterable[str], update_type: models.PropertyUpdateType
) -> EntityChanges:
    """Reset (`RESET_VALUE`) or remove (`DELETE`) properties of a component."""
    request = models.PropertyRequest(update_type=update_type)
    return _component_update(component, dict.fromkeys(names, request))


def new_component(name: str, request: models.ComponentRequest) -> EntityChanges:
    """Add a component (`CREATE`)."""
    update = models.ComponentUpdateRequest(
        update_type=models.ComponentUpdateType.CREATE,
        component_type_id=request.component_type_id,
        description=request.description,
        property_updates=request.properties,
    )
    return EntityChanges(component_updates={name: update})


def removed_component(name: str) -> EntityChanges:
    """Remove a component (`DELETE`)."""
    update = models.ComponentUpdateRequest(update_type=models.ComponentUpdateType.DELETE)
    return EntityChanges(component_updates={name: update})


def parent_update(parent: _Named | str | None) -> EntityChanges:
    """Give an entity another parent; None (or `ROOT`) moves it to the top of the hierarchy."""
    if parent is None or parent == ROOT:
        update = models.ParentEntityUpdateRequest(update_type=models.ParentEntityUpdateType.DELETE)
    else:
        update = models.ParentEntityUpdateRequest(
            update_type=models.ParentEntityUpdateType.UPDATE, parent_entity_id=id_of(parent)
        )
    return EntityChanges(parent_entity_update=update)


def _as_update(request: models.PropertyRequest) -> models.PropertyRequest:
    if request.update_type is not None:
        return request
    create = request.definition is not None
    kind = models.PropertyUpdateType.CREATE if create else models.PropertyUpdateType.UPDATE
    return attrs.evolve(request, update_type=kind)


def types_to_read(components: Components) -> dict[str, ComponentTypeHandle | str]:
    """The component types whose definitions type some components' Python values: each as
    it was given (a handle, which may hold its description already, or an id), by id."""
    return {
        c.component_type_id: c.component_type
        for c in components.values()
        if isinstance(c, Component) and c.properties
    }


def component_requests(
    components: Components,
    definitions: Mapping[str, Mapping[str, models.PropertyDefinitionResponse]],
) -> dict[str, models.ComponentRequest]:
    """Components as requests; Python values are typed by their component type's
    `definitions` (by type id, those of `types_to_read`)."""
    return {
        name: c.to_model(definitions[c.component_type_id] if c.properties else None)
        if isinstance(c, Component)
        else c
        for name, c in components.items()
    }


Children = Mapping[str, Sequence[tuple[str, str]]]
"""Each parent's children as (name, id) pairs, by the parent's id (`ROOT` for the top)."""


def children_by_parent(
    summaries: Iterable[models.EntitySummary],
) -> dict[str, list[tuple[str, str]]]:
    """Listed entities as `Children`: (name, id) pairs by parent id."""
    children: dict[str, list[tuple[str, str]]] = {}
    for summary in summaries:
        parent = summary.parent_entity_id or ROOT
        children.setdefault(parent, []).append((summary.entity_name, summary.entity_id))
    return children


def entity_tree(children: Children, entity_id: str, name: str, max_depth: int | None) -> EntityTree:
    """The tree under an entity, `max_depth` levels deep (all when None), from what was
    listed; an entity at the last level is `truncated` when `children` names any child."""

    def build(entity_id: str, name: str, depth: int) -> EntityTree:
        below = sorted(children.get(entity_id, []))
        if max_depth is not None and depth >= max_depth:
            return EntityTree(entity_id, name, truncated=bool(below))
        return EntityTree(entity_id, name, tuple(build(i, n, depth + 1) for n, i in below))

    return build(entity_id, name, 0)


def workspace_tree(
    workspace_id: str, summaries: Iterable[models.EntitySummary], max_depth: int | None
) -> EntityTree:
    """A workspace's whole hierarchy, from one listing of its entities, under a root named
    after the workspace."""
    tree = entity_tree(children_by_parent(summaries), ROOT, workspace_id, max_depth)
    return attrs.evolve(tree, entity_id=workspace_id)


def related_statement(
    entity_id: str, relationship: str | None, direction: Literal["out", "in", "both"]
) -> str:
    """The knowledge-graph query of `Entity.related`: the entities at the other end (`other`)
    of an entity's relationships, out of it, into it or both, any or the one named.

    Raises:
        ValueError: `direction` is not "out", "in" or "both".
    """
    arrows = {"out": "-[r]->", "in": "<-[r]-", "both": "-[r]-"}
    if direction not in arrows:
        raise ValueError(f"direction must be 'out', 'in' or 'both', not {direction!r}")
    where = f"e.entityId = {quote(entity_id)}"
    if relationship is not None:
        where += f" AND r.relationshipName = {quote(relationship)}"
    return f"SELECT other FROM EntityGraph MATCH (e){arrows[direction]}(other) WHERE {where}"


def descendants_statement(entity_id: str, max_depth: int | None) -> str:
    """The knowledge-graph query of `Entity.descendants`: every entity (`d`) down to
    `max_depth` levels below an entity, over `isChildOf` edges.

    Raises:
        ValueError: `max_depth` is not between 1 and 10 (the graph's hop quota, which also
            bounds the default).
    """
    depth = MAX_QUERY_HOPS if max_depth is None else max_depth
    if not 1 <= depth <= MAX_QUERY_HOPS:
        raise ValueError(f"max_depth must be between 1 and {MAX_QUERY_HOPS}, not {depth}")
    return (
        f"SELECT d FROM EntityGraph MATCH (d)-[:isChildOf]->{{1,{depth}}}(e) "
        f"WHERE e.entityId = {quote(entity_id)}"
    )
