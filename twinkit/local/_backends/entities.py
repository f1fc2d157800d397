"""Entities: create, get, update, delete, list; their components, composite components, properties.

Owns `EmulatorState.entities[workspace_id][entity_id]` (an `EntityRecord` per entity) and the
entities being deleted, kept in `EmulatorState.extra` until their deletion finishes (so that the
workspace is empty as soon as its last entity is deleted). An entity stores only what requests
gave it: property values and the definitions of properties it adds itself; a component's other
definitions are always its component type's current effective ones (`component_types`).

Rules (the service's, as documented or recorded; where neither says, the stricter choice):

* Entities form a tree under the pseudo-parent `$ROOT`; a parent must exist; a move may not make
  an entity its own ancestor. An entity with children is deleted only with `isRecursive`, which
  deletes the whole subtree.
* Components are of existing, non-abstract types; a singleton type at most once per entity.
  A property required in entities needs a value or a default. Values are checked against the
  property's data type (`expression` stands for any type), including allowed values; every problem
  of a request is reported at once, by path (`components['pump'].properties['rpm'].value: ...`).
* A property request may restate the type's definition (same data type and flags) and may add a
  property the type does not define by giving a full `definition`.
* A component whose type has composite component types gets one composite component per entry,
  at the path `component/name`, recursively; `compositeComponents` and
  `compositeComponentUpdates` address them by that path.
* Requests are validated whole before anything is written: a failed request changes nothing.

ListComponents lists top-level components, or the composite components directly under
`componentPath`; only composite components carry a `componentPath`.

Deliberate deviations: relationship targets are not checked to exist; entities in CREATING or
UPDATING accept updates at once; GetEntity leaves out `definedIn` and `areAllPropertyValuesReturned`
(no recorded response shows them) and sends `areAllComponentsReturned` only when the entity has
components (as recorded); an entity's `description` is `""` when none was given (as recorded).
"""

from __future__ import annotations

import collections
import heapq
import uuid
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from typing import cast

import attrs

from twinkit import models
from twinkit.local._backends import handles
from twinkit.local._backends._entity_index import EntityTable
from twinkit.local._backends._paging import page, page_in_order
from twinkit.local._backends._type_library import (
    EffectiveComponentType,
    Problems,
    TypeResolver,
    check_value,
    new_property_definition,
    normalize_value,
    restated_definition,
    status_of,
)
from twinkit.local._backends.tags import forget_taggable, register_taggable
from twinkit.local._backends.workspaces import workspace_or_404
from twinkit.local._errors import conflict, not_found, validation
from twinkit.local._state import Context, Lifecycle, tombstones
from twinkit.models import (
    ComponentUpdateType,
    DataValue,
    ParentEntityUpdateType,
    PropertyDefinitionResponse,
    PropertyGroupUpdateType,
    PropertyUpdateType,
    State,
)

__all__ = [
    "ROOT",
    "ComponentRecord",
    "EntityRecord",
    "PropertyRecord",
    "check_components_of_types",
    "component_values",
    "entities_using",
]

ROOT = "$ROOT"
"""The pseudo-parent of top-level entities."""

DEFAULT_PAGE_SIZE = 25
MAX_COMPONENTS_RETURNED = 30
"""GetEntity returns at most this many components (`areAllComponentsReturned` says if all)."""
MAX_COMPOSITE_DEPTH = 10
_TOMBSTONES = "entities.deleting"


# --- records --------------------------------------------------------------------------------------


@attrs.frozen
class PropertyRecord:
    """What an entity holds for one property of a component."""

    value: DataValue | None = None
    definition: PropertyDefinitionResponse | None = None
    """Set for a property the entity added (its component type does not define it)."""


@attrs.frozen
class ComponentRecord:
    """One component (or composite component) of an entity."""

    component_type_id: str
    description: str | None
    properties: Mapping[str, PropertyRecord]
    property_groups: Mapping[str, models.ComponentPropertyGroupResponse]
    """The groups the entity defined (the type's own groups are added when read)."""
    lifecycle: Lifecycle


@attrs.frozen
class EntityRecord:
    """An entity; `components` is keyed by component path (`pump`, `pump/motor`)."""

    workspace_id: str
    entity_id: str
    entity_name: str
    arn: str
    description: str
    parent_entity_id: str
    components: Mapping[str, ComponentRecord]
    created: datetime
    updated: datetime
    lifecycle: Lifecycle


def _live(ctx: Context, workspace_id: str) -> EntityTable:
    """The workspace's live entities (an empty table, made through the journal, if none)."""
    live = ctx.state.entities.get(workspace_id)
    if live is None:
        live = EntityTable()
        ctx.journal.put(ctx.state.entities, workspace_id, live)
    return cast(EntityTable, live)


def _table(ctx: Context, workspace_id: str) -> EntityTable:
    """The workspace's live entities, for reading (an empty table if none)."""
    live = ctx.state.entities.get(workspace_id)
    return EntityTable() if live is None else cast(EntityTable, live)


def _deleting(ctx: Context, workspace_id: str) -> dict[str, EntityRecord]:
    box: Mapping[str, Mapping[str, EntityRecord]] = ctx.state.extra.get(_TOMBSTONES, {})
    return {k: r for k, r in box.get(workspace_id, {}).items() if not r.lifecycle.gone(ctx.now)}


def _tombstones(ctx: Context, workspace_id: str) -> dict[str, EntityRecord]:
    stones: dict[str, EntityRecord] = tombstones(ctx, _TOMBSTONES, workspace_id)
    return stones


def _entity_or_404(ctx: Context, workspace_id: str, entity_id: str) -> EntityRecord:
    """The entity, live or being deleted, or `ResourceNotFoundException`."""
    record = ctx.state.entities.get(workspace_id, {}).get(entity_id)
    if record is None:
        record = _deleting(ctx, workspace_id).get(entity_id)
    if record is None:
        raise not_found(f"Entity {entity_id} not found in workspace {workspace_id}")
    return record


def _live_or_error(ctx: Context, workspace_id: str, entity_id: str) -> EntityRecord:
    record = _entity_or_404(ctx, workspace_id, entity_id)
    if record.lifecycle.transition is State.DELETING:
        raise validation(f"Entity {entity_id} is being deleted")
    return record


# --- a component's effective properties -----------------------------------------------------------


def _definitions(
    effective: EffectiveComponentType | None, component: ComponentRecord
) -> dict[str, PropertyDefinitionResponse]:
    """Every property definition of a component: its type's, then those the entity added."""
    definitions = dict(effective.property_definitions) if effective else {}
    for name, prop in component.properties.items():
        if prop.definition is not None and name not in definitions:
            definitions[name] = prop.definition
    return definitions


def _values(
    effective: EffectiveComponentType | None, component: ComponentRecord
) -> dict[str, tuple[PropertyDefinitionResponse, DataValue | None]]:
    """Each property's definition and value (the entity's, else the default)."""
    result = {}
    for name, definition in _definitions(effective, component).items():
        own = component.properties.get(name)
        value = own.value if own is not None and own.value is not None else None
        result[name] = (definition, value if value is not None else definition.default_value)
    return result


def _groups(
    effective: EffectiveComponentType | None, component: ComponentRecord
) -> dict[str, models.ComponentPropertyGroupResponse]:
    groups = {
        name: models.ComponentPropertyGroupResponse(
            group_type=g.group_type, property_names=list(g.property_names), is_inherited=True
        )
        for name, g in (effective.property_groups.items() if effective else ())
    }
    groups.update(component.property_groups)
    return groups


# --- changing the components of one entity --------------------------------------------------------


class _Components:
    """An entity's components while one request changes them: a working copy, checked at the end.

    Each component a request touches remembers where in the request it was named (`label`), so
    that later checks (required properties, groups) name that place.
    """

    def __init__(
        self,
        ctx: Context,
        resolver: TypeResolver,
        components: Mapping[str, ComponentRecord],
        problems: Problems,
    ) -> None:
        self.ctx = ctx
        self.resolver = resolver
        self.items = dict(components)
        self.problems = problems
        self.labels: dict[str, tuple[str, str]] = {}

    def type_of(self, path: str) -> EffectiveComponentType | None:
        """The effective type of the component at `path`."""
        return self.resolver.effective(self.items[path].component_type_id, deleting=True)

    def create(
        self, path: str, type_id: str, description: str | None, label: str, key: str
    ) -> bool:
        """Add a component of `type_id` at `path` (with its composite components)."""
        effective = self.resolver.effective(type_id)
        where = f"{label}.componentTypeId"
        if effective is None:
            self.problems.add(
                where,
                f"component type {type_id} does not exist in workspace "
                f"{self.resolver.workspace_id}",
            )
            return False
        if effective.is_abstract:
            self.problems.add(
                where,
                f"component type {type_id} is abstract ({effective.abstract_because}); "
                "an entity cannot use it",
            )
            return False
        if path.count("/") >= MAX_COMPOSITE_DEPTH:
            self.problems.add(
                where, f"composite components nest at most {MAX_COMPOSITE_DEPTH} deep"
            )
            return False
        self.items[path] = ComponentRecord(
            component_type_id=type_id,
            description=description,
            properties={},
            property_groups={},
            lifecycle=self.ctx.lifecycle(State.CREATING),
        )
        self.labels[path] = (label, key)
        composite_label = (
            "compositeComponents" if key == "properties" else "compositeComponentUpdates"
        )
        for name, composite in effective.composite_component_types.items():
            sub = f"{path}/{name}"
            if composite.component_type_id is not None:
                self.create(
                    sub, composite.component_type_id, None, f"{composite_label}['{sub}']", key
                )
        return True

    def touch(self, path: str, description: str | None, label: str, key: str) -> None:
        """Mark the component at `path` as updated (UPDATING), with a new description if given."""
        current = self.items[path]
        lifecycle = current.lifecycle
        if lifecycle.state(self.ctx.now) is not State.CREATING:
            lifecycle = self.ctx.lifecycle(State.UPDATING)
        self.items[path] = attrs.evolve(
            current,
            description=current.description if description is None else description,
            lifecycle=lifecycle,
        )
        self.labels[path] = (label, key)

    def delete(self, path: str) -> None:
        """Remove the component at `path` and its composite components."""
        for key in [k for k in self.items if k == path or k.startswith(path + "/")]:
            del self.items[key]
            self.labels.pop(key, None)

    def apply_properties(
        self, path: str, requests: Mapping[str, models.PropertyRequest] | None, label: str, key: str
    ) -> None:
        """Apply property requests (values, added properties, update types) to one component."""
        component = self.items[path]
        effective = self.type_of(path)
        owner = f"component type {component.component_type_id}"
        properties = dict(component.properties)
        for name, request in (requests or {}).items():
            where = f"{label}.{key}['{name}']"
            type_definition = effective.property_definitions.get(name) if effective else None
            _apply_property(properties, name, request, type_definition, where, owner, self.problems)
        self.items[path] = attrs.evolve(component, properties=properties)

    def apply_groups(
        self,
        path: str,
        requests: Mapping[str, models.ComponentPropertyGroupRequest] | None,
        label: str,
        key: str,
    ) -> None:
        """Apply property group requests (CREATE, UPDATE, DELETE) to one component."""
        component = self.items[path]
        effective = self.type_of(path)
        groups = dict(component.property_groups)
        for name, request in (requests or {}).items():
            where = f"{label}.{key}['{name}']"
            if effective is not None and name in effective.property_groups:
                self.problems.add(
                    where,
                    f"is defined by component type {component.component_type_id}; "
                    "an entity cannot change it",
                )
                continue
            _apply_group(groups, name, request, where, self.problems)
        self.items[path] = attrs.evolve(component, property_groups=groups)

    def check(self) -> None:
        """Check what the request's changes left: required values, groups, singletons."""
        for path, (label, key) in self.labels.items():
            if path not in self.items:
                continue
            component = self.items[path]
            effective = self.type_of(path)
            values = _values(effective, component)
            for name, (definition, value) in values.items():
                if definition.is_required_in_entity and value is None:
                    self.problems.add(
                        f"{label}.{key}['{name}']",
                        "is required in an entity (isRequiredInEntity) and has no default "
                        "value: give it a value",
                    )
            group_key = "propertyGroups" if key == "properties" else "propertyGroupUpdates"
            for name, group in component.property_groups.items():
                for prop in group.property_names:
                    if prop not in values:
                        self.problems.add(
                            f"{label}.{group_key}['{name}']",
                            f"'{prop}' is not a property of the component",
                        )
        self._check_singletons()

    def _check_singletons(self) -> None:
        seen: dict[str, str] = {}
        for path in sorted(self.items):
            if "/" in path:
                continue
            effective = self.type_of(path)
            if effective is None or not effective.record.is_singleton:
                continue
            first = seen.setdefault(effective.component_type_id, path)
            if first != path:
                label = self.labels.get(path, (f"components['{path}']", ""))[0]
                self.problems.add(
                    f"{label}.componentTypeId",
                    f"component type {effective.component_type_id} is a singleton and the "
                    f"entity already has component '{first}' of it",
                )


def _apply_property(
    properties: dict[str, PropertyRecord],
    name: str,
    request: models.PropertyRequest,
    type_definition: PropertyDefinitionResponse | None,
    where: str,
    owner: str,
    problems: Problems,
) -> None:
    """Apply one property request to a component's properties (see the update types)."""
    own = properties.get(name)
    update = request.update_type
    if update == PropertyUpdateType.DELETE:
        if type_definition is not None:
            problems.add(
                f"{where}.updateType",
                f"the property is defined by {owner} and cannot be deleted; "
                "RESET_VALUE clears its value",
            )
        elif own is None:
            problems.add(where, "the component has no such property")
        else:
            del properties[name]
        return
    if update == PropertyUpdateType.RESET_VALUE:
        if type_definition is None and own is None:
            problems.add(where, "the component has no such property")
        elif own is not None and own.definition is not None:
            properties[name] = attrs.evolve(own, value=None)
        else:
            properties.pop(name, None)
        return
    if update == PropertyUpdateType.CREATE and (type_definition is not None or own is not None):
        problems.add(f"{where}.updateType", "the property already exists; use UPDATE to change it")
        return
    definition = _definition_for(own, request, type_definition, where, owner, problems)
    if definition is None:
        return
    value = own.value if own is not None else None
    if request.value is not None:
        check_value(request.value, definition.data_type, f"{where}.value", problems)
        value = normalize_value(request.value)
    added = None if type_definition is not None else definition
    properties[name] = PropertyRecord(value=value, definition=added)


def _definition_for(
    own: PropertyRecord | None,
    request: models.PropertyRequest,
    type_definition: PropertyDefinitionResponse | None,
    where: str,
    owner: str,
    problems: Problems,
) -> PropertyDefinitionResponse | None:
    """The definition a property request sets a value under (None: the request is invalid)."""
    given = request.definition
    if type_definition is not None:
        if given is not None:
            restated_definition(
                type_definition,
                given,
                f"{where}.definition",
                problems,
                owner=owner,
                may_refine=False,
            )
        return type_definition
    if own is not None and own.definition is not None:
        if given is None:
            return own.definition
        return restated_definition(
            own.definition,
            given,
            f"{where}.definition",
            problems,
            owner="the entity",
            may_refine=True,
        )
    if given is None:
        problems.add(
            where, f"is not a property of {owner}: give a definition to add it to the component"
        )
        return None
    return new_property_definition(given, f"{where}.definition", problems)


def _apply_group(
    groups: dict[str, models.ComponentPropertyGroupResponse],
    name: str,
    request: models.ComponentPropertyGroupRequest,
    where: str,
    problems: Problems,
) -> None:
    current = groups.get(name)
    update = request.update_type or (
        PropertyGroupUpdateType.UPDATE if current else PropertyGroupUpdateType.CREATE
    )
    if update == PropertyGroupUpdateType.DELETE:
        if current is None:
            problems.add(where, "the component has no such property group")
        else:
            del groups[name]
        return
    if update == PropertyGroupUpdateType.CREATE and current is not None:
        problems.add(f"{where}.updateType", "the property group already exists; use UPDATE")
        return
    if update == PropertyGroupUpdateType.UPDATE and current is None:
        problems.add(where, "the component has no such property group; use CREATE")
        return
    names = (
        request.property_names
        if request.property_names is not None
        else (current.property_names if current else None)
    )
    if not names:
        problems.add(f"{where}.propertyNames", "must name at least one property")
        return
    group_type = request.group_type or (current.group_type if current else models.GroupType.TABULAR)
    groups[name] = models.ComponentPropertyGroupResponse(
        group_type=group_type, property_names=list(names), is_inherited=False
    )


def _is_composite_slot(items: _Components, path: str) -> str | None:
    """The component type a composite component at `path` would have, or None."""
    if "/" not in path:
        return None
    parent, name = path.rsplit("/", 1)
    if parent not in items.items:
        return None
    effective = items.type_of(parent)
    composite = effective.composite_component_types.get(name) if effective else None
    return None if composite is None else composite.component_type_id


# --- hierarchy ------------------------------------------------------------------------------------


def _parent_problems(
    live: Mapping[str, EntityRecord], entity_id: str, parent_id: str, where: str, problems: Problems
) -> None:
    if parent_id == ROOT:
        return
    if parent_id not in live:
        problems.add(where, f"entity {parent_id} does not exist")
        return
    seen: set[str] = set()
    cursor = parent_id
    while cursor != ROOT and cursor not in seen:
        if cursor == entity_id:
            problems.add(
                where,
                f"entity {parent_id} is {entity_id} or one of its descendants: "
                "that would be a cycle",
            )
            return
        seen.add(cursor)
        cursor = live[cursor].parent_entity_id if cursor in live else ROOT


def _subtree(live: EntityTable, entity_id: str) -> list[str]:
    """`entity_id` and every descendant, parents before children (O(subtree))."""
    order, queue = [], collections.deque([entity_id])
    while queue:
        current = queue.popleft()
        order.append(current)
        queue.extend(live.children(current))
    return order


# --- operations -----------------------------------------------------------------------------------


def _create_components(request: models.CreateEntityRequest, editor: _Components) -> None:
    problems = editor.problems
    for name, component in (request.components or {}).items():
        label = f"components['{name}']"
        if component.component_type_id is None:
            problems.add(f"{label}.componentTypeId", "is required")
            continue
        if not editor.create(
            name, component.component_type_id, component.description, label, "properties"
        ):
            continue
        editor.apply_properties(name, component.properties, label, "properties")
        editor.apply_groups(name, component.property_groups, label, "propertyGroups")
    for path, composite in (request.composite_components or {}).items():
        label = f"compositeComponents['{path}']"
        if "/" not in path or path not in editor.items:
            problems.add(
                label, "is not the path of a composite component of the entity's components"
            )
            continue
        editor.touch(path, composite.description, label, "properties")
        editor.apply_properties(path, composite.properties, label, "properties")
        editor.apply_groups(path, composite.property_groups, label, "propertyGroups")


@handles("CreateEntity")
def create_entity(ctx: Context, request: models.CreateEntityRequest) -> models.CreateEntityResponse:
    """Create an entity (CREATING, then ACTIVE after the transition delay)."""
    workspace_id = workspace_or_404(ctx, request.workspace_id).workspace_id
    live = _live(ctx, workspace_id)
    entity_id = request.entity_id or str(uuid.uuid4())
    if entity_id in live or entity_id in _deleting(ctx, workspace_id):
        raise conflict(f"Entity {entity_id} already exists in workspace {workspace_id}")
    problems = Problems()
    parent_id = request.parent_entity_id or ROOT
    _parent_problems(live, entity_id, parent_id, "parentEntityId", problems)
    editor = _Components(ctx, TypeResolver(ctx, workspace_id), {}, problems)
    _create_components(request, editor)
    editor.check()
    problems.raise_if_any()
    record = EntityRecord(
        workspace_id=workspace_id,
        entity_id=entity_id,
        entity_name=request.entity_name,
        arn=ctx.arn(f"workspace/{workspace_id}/entity/{entity_id}"),
        description=request.description or "",
        parent_entity_id=parent_id,
        components=editor.items,
        created=ctx.now,
        updated=ctx.now,
        lifecycle=ctx.lifecycle(State.CREATING),
    )
    ctx.journal.put(live, entity_id, record)
    register_taggable(ctx, record.arn, request.tags)
    return models.CreateEntityResponse(
        entity_id=entity_id, arn=record.arn, creation_date_time=ctx.now, state=State.CREATING
    )


def _summary(
    record: EntityRecord, path: str, resolver: TypeResolver, now: datetime
) -> models.ComponentSummary:
    component = record.components[path]
    effective = resolver.effective(component.component_type_id, deleting=True)
    return models.ComponentSummary(
        component_name=path.rsplit("/", 1)[-1],
        component_type_id=component.component_type_id,
        status=_component_status(record, component, now),
        description=component.description,
        property_groups=_groups(effective, component) or None,
        component_path=path if "/" in path else None,
    )


def _component_status(
    record: EntityRecord, component: ComponentRecord, now: datetime
) -> models.Status:
    lifecycle = (
        record.lifecycle if record.lifecycle.transition is State.DELETING else component.lifecycle
    )
    return status_of(lifecycle, now)


def _children_paths(record: EntityRecord, path: str | None) -> list[str]:
    """The paths of the components directly under `path` (top-level ones for None)."""
    depth = 0 if path is None else path.count("/") + 1
    prefix = "" if path is None else path + "/"
    return sorted(p for p in record.components if p.startswith(prefix) and p.count("/") == depth)


def _component_response(
    record: EntityRecord, path: str, resolver: TypeResolver, now: datetime
) -> models.ComponentResponse:
    component = record.components[path]
    effective = resolver.effective(component.component_type_id, deleting=True)
    composites = {
        child.rsplit("/", 1)[-1]: _summary(record, child, resolver, now)
        for child in _children_paths(record, path)
    }
    return models.ComponentResponse(
        component_name=path.rsplit("/", 1)[-1],
        description=component.description,
        component_type_id=component.component_type_id,
        status=_component_status(record, component, now),
        properties={
            name: models.PropertyResponse(definition=definition, value=value)
            for name, (definition, value) in _values(effective, component).items()
        },
        property_groups=_groups(effective, component) or None,
        are_all_properties_returned=True,
        composite_components=composites or None,
        are_all_composite_components_returned=True if composites else None,
    )


@handles("GetEntity")
def get_entity(ctx: Context, request: models.GetEntityRequest) -> models.GetEntityResponse:
    """An entity with its components (at most 30) and each property's definition and value."""
    workspace_id = workspace_or_404(ctx, request.workspace_id).workspace_id
    record = _entity_or_404(ctx, workspace_id, request.entity_id)
    resolver = TypeResolver(ctx, workspace_id)
    top = _children_paths(record, None)
    shown = top[:MAX_COMPONENTS_RETURNED]
    return models.GetEntityResponse(
        entity_id=record.entity_id,
        entity_name=record.entity_name,
        arn=record.arn,
        status=status_of(record.lifecycle, ctx.now),
        workspace_id=workspace_id,
        description=record.description,
        components={path: _component_response(record, path, resolver, ctx.now) for path in shown},
        parent_entity_id=record.parent_entity_id,
        has_child_entities=_table(ctx, workspace_id).has_children(record.entity_id),
        creation_date_time=record.created,
        update_date_time=record.updated,
        are_all_components_returned=len(shown) == len(top) if top else None,
    )


def _update_components(request: models.UpdateEntityRequest, editor: _Components) -> None:
    problems = editor.problems
    for name, update in (request.component_updates or {}).items():
        label = f"componentUpdates['{name}']"
        exists = name in editor.items
        kind = update.update_type or (
            ComponentUpdateType.UPDATE if exists else ComponentUpdateType.CREATE
        )
        if kind == ComponentUpdateType.DELETE:
            if not exists:
                problems.add(label, f"the entity has no component '{name}'")
            else:
                editor.delete(name)
            continue
        if kind == ComponentUpdateType.CREATE:
            if exists:
                problems.add(f"{label}.updateType", f"the entity already has a component '{name}'")
                continue
            if update.component_type_id is None:
                problems.add(f"{label}.componentTypeId", "is required to create a component")
                continue
            if not editor.create(
                name, update.component_type_id, update.description, label, "propertyUpdates"
            ):
                continue
        else:
            if not exists:
                problems.add(label, f"the entity has no component '{name}'; CREATE adds one")
                continue
            current = editor.items[name].component_type_id
            if update.component_type_id not in (None, current):
                problems.add(
                    f"{label}.componentTypeId",
                    f"component '{name}' is of type {current}; delete it and create it "
                    "again to change its type",
                )
                continue
            editor.touch(name, update.description, label, "propertyUpdates")
        editor.apply_properties(name, update.property_updates, label, "propertyUpdates")
        editor.apply_groups(name, update.property_group_updates, label, "propertyGroupUpdates")


def _update_composites(request: models.UpdateEntityRequest, editor: _Components) -> None:
    problems = editor.problems
    for path, update in (request.composite_component_updates or {}).items():
        label = f"compositeComponentUpdates['{path}']"
        slot = _is_composite_slot(editor, path)
        exists = slot is not None and path in editor.items
        kind = update.update_type or (
            ComponentUpdateType.UPDATE if exists else ComponentUpdateType.CREATE
        )
        if slot is None:
            problems.add(
                label, "is not the path of a composite component of the entity's components"
            )
        elif kind == ComponentUpdateType.DELETE:
            if exists:
                editor.delete(path)
            else:
                problems.add(label, "the entity has no composite component at this path")
        elif kind == ComponentUpdateType.CREATE and exists:
            problems.add(f"{label}.updateType", "the composite component already exists")
        elif kind == ComponentUpdateType.UPDATE and not exists:
            problems.add(
                label, "the entity has no composite component at this path; CREATE adds it"
            )
        else:
            if not exists and not editor.create(
                path, slot, update.description, label, "propertyUpdates"
            ):
                continue
            editor.touch(path, update.description, label, "propertyUpdates")
            editor.apply_properties(path, update.property_updates, label, "propertyUpdates")
            editor.apply_groups(path, update.property_group_updates, label, "propertyGroupUpdates")


def _new_parent(
    live: Mapping[str, EntityRecord],
    record: EntityRecord,
    update: models.ParentEntityUpdateRequest | None,
    problems: Problems,
) -> str:
    if update is None:
        return record.parent_entity_id
    if update.update_type == ParentEntityUpdateType.DELETE:
        return ROOT
    if update.parent_entity_id is None:
        problems.add("parentEntityUpdate.parentEntityId", "is required to UPDATE the parent")
        return record.parent_entity_id
    _parent_problems(
        live,
        record.entity_id,
        update.parent_entity_id,
        "parentEntityUpdate.parentEntityId",
        problems,
    )
    return update.parent_entity_id


@handles("UpdateEntity")
def update_entity(ctx: Context, request: models.UpdateEntityRequest) -> models.UpdateEntityResponse:
    """Change an entity's name, description, parent and components (UPDATING, then ACTIVE)."""
    workspace_id = workspace_or_404(ctx, request.workspace_id).workspace_id
    record = _live_or_error(ctx, workspace_id, request.entity_id)
    live = _live(ctx, workspace_id)
    problems = Problems()
    editor = _Components(ctx, TypeResolver(ctx, workspace_id), record.components, problems)
    _update_components(request, editor)
    _update_composites(request, editor)
    parent_id = _new_parent(live, record, request.parent_entity_update, problems)
    editor.check()
    problems.raise_if_any()
    updated = attrs.evolve(
        record,
        entity_name=request.entity_name or record.entity_name,
        description=record.description if request.description is None else request.description,
        parent_entity_id=parent_id,
        components=editor.items,
        updated=ctx.now,
        lifecycle=ctx.lifecycle(State.UPDATING),
    )
    ctx.journal.put(live, record.entity_id, updated)
    return models.UpdateEntityResponse(update_date_time=ctx.now, state=State.UPDATING)


@handles("DeleteEntity")
def delete_entity(ctx: Context, request: models.DeleteEntityRequest) -> models.DeleteEntityResponse:
    """Delete an entity (and, with `isRecursive`, its descendants): DELETING, then gone."""
    workspace_id = workspace_or_404(ctx, request.workspace_id).workspace_id
    record = _live_or_error(ctx, workspace_id, request.entity_id)
    live = _live(ctx, workspace_id)
    doomed = _subtree(live, record.entity_id)
    if len(doomed) > 1 and not request.is_recursive:
        raise validation(
            f"Entity {record.entity_id} has child entities: "
            "set isRecursive to true to delete them too"
        )
    stones = _tombstones(ctx, workspace_id)
    for entity_id in doomed:
        gone = live[entity_id]
        ctx.journal.remove(live, entity_id)
        ctx.journal.put(
            stones, entity_id, attrs.evolve(gone, lifecycle=ctx.lifecycle(State.DELETING))
        )
        forget_taggable(ctx, gone.arn)
    return models.DeleteEntityResponse(state=State.DELETING)


def _external_ids(record: EntityRecord, resolver: TypeResolver) -> set[str]:
    found = set()
    for component in record.components.values():
        effective = resolver.effective(component.component_type_id, deleting=True)
        for definition, value in _values(effective, component).values():
            if definition.is_external_id and value is not None and value.string_value is not None:
                found.add(value.string_value)
    return found


def _entity_matches(
    record: EntityRecord, where: models.ListEntitiesFilter, resolver: TypeResolver
) -> bool:
    if where.parent_entity_id is not None:
        return record.parent_entity_id == where.parent_entity_id
    if where.component_type_id is not None:
        wanted = where.component_type_id
        types = {c.component_type_id for c in record.components.values()}
        return any(
            (effective := resolver.effective(t, deleting=True)) is not None
            and effective.is_a(wanted)
            for t in types
        )
    if where.external_id is not None:
        return where.external_id in _external_ids(record, resolver)
    raise validation("filters: a filter the service does not know cannot be applied")


def _ids_after(
    live: EntityTable, where: models.ListEntitiesFilter | None, resolver: TypeResolver
) -> Callable[[str | None], Iterator[str]]:
    """The live entity ids a filter keeps, after a given id, in order, read from an index
    (an `externalId` filter, which has none, reads the ids in order and checks each)."""
    if where is None:
        return live.ids_after
    if where.parent_entity_id is not None:
        parent_id = where.parent_entity_id
        return lambda after: live.children_after(parent_id, after)
    if where.component_type_id is not None:
        wanted = where.component_type_id
        # The types in use that are, or extend, the wanted one: as many as the workspace has
        # types, however many entities use them.
        types = [
            t
            for t in live.component_types()
            if (effective := resolver.effective(t, deleting=True)) is not None
            and effective.is_a(wanted)
        ]
        return lambda after: live.using_after(types, after)
    if where.external_id is not None:
        return lambda after: (
            entity_id
            for entity_id in live.ids_after(after)
            if _entity_matches(live[entity_id], where, resolver)
        )
    raise validation("filters: a filter the service does not know cannot be applied")


@handles("ListEntities")
def list_entities(ctx: Context, request: models.ListEntitiesRequest) -> models.ListEntitiesResponse:
    """The workspace's entities by id, filtered by at most one filter: a page costs O(page)."""
    workspace_id = workspace_or_404(ctx, request.workspace_id).workspace_id
    live = _table(ctx, workspace_id)
    resolver = TypeResolver(ctx, workspace_id)
    filters = request.filters or []
    if len(filters) > 1:
        # The API reference: "Only one object is accepted as a valid input."
        raise validation(f"filters: only one filter is accepted, got {len(filters)}")
    where = filters[0] if filters else None
    live_ids = _ids_after(live, where, resolver)
    # Entities being deleted are still listed until their deletion finishes; they are few.
    deleting = _deleting(ctx, workspace_id)
    doomed = sorted(
        entity_id
        for entity_id, record in deleting.items()
        if where is None or _entity_matches(record, where, resolver)
    )

    def ids_after(after: str | None) -> Iterator[str]:
        stones = doomed if after is None else [i for i in doomed if i > after]
        return heapq.merge(live_ids(after), stones)

    ids, token = page_in_order(
        ids_after,
        key=lambda entity_id: entity_id,
        max_results=request.max_results,
        next_token=request.next_token,
        default_size=DEFAULT_PAGE_SIZE,
        bound_to=("ListEntities", workspace_id, filters),
    )
    records = [live[i] if i in live else deleting[i] for i in ids]
    return models.ListEntitiesResponse(
        entity_summaries=[
            models.EntitySummary(
                entity_id=r.entity_id,
                entity_name=r.entity_name,
                arn=r.arn,
                status=status_of(r.lifecycle, ctx.now),
                creation_date_time=r.created,
                update_date_time=r.updated,
                parent_entity_id=r.parent_entity_id,
                description=r.description,
                has_child_entities=live.has_children(r.entity_id),
            )
            for r in records
        ],
        next_token=token,
    )


@handles("ListComponents")
def list_components(
    ctx: Context, request: models.ListComponentsRequest
) -> models.ListComponentsResponse:
    """An entity's top-level components, or the composite components under `componentPath`."""
    workspace_id = workspace_or_404(ctx, request.workspace_id).workspace_id
    record = _entity_or_404(ctx, workspace_id, request.entity_id)
    if request.component_path is not None and request.component_path not in record.components:
        raise not_found(
            f"Component {request.component_path} not found in entity {record.entity_id}"
        )
    resolver = TypeResolver(ctx, workspace_id)
    paths, token = page(
        _children_paths(record, request.component_path),
        key=lambda p: p,
        max_results=request.max_results,
        next_token=request.next_token,
        default_size=DEFAULT_PAGE_SIZE,
        bound_to=("ListComponents", workspace_id, record.entity_id, request.component_path),
    )
    return models.ListComponentsResponse(
        component_summaries=[_summary(record, p, resolver, ctx.now) for p in paths],
        next_token=token,
    )


@handles("ListProperties")
def list_properties(
    ctx: Context, request: models.ListPropertiesRequest
) -> models.ListPropertiesResponse:
    """The properties of a component (`componentName`) or composite one (`componentPath`)."""
    workspace_id = workspace_or_404(ctx, request.workspace_id).workspace_id
    record = _entity_or_404(ctx, workspace_id, request.entity_id)
    path = request.component_path or request.component_name
    if path is None:
        raise validation("componentName or componentPath is required")
    component = record.components.get(path)
    if component is None:
        raise not_found(f"Component {path} not found in entity {record.entity_id}")
    effective = TypeResolver(ctx, workspace_id).effective(
        component.component_type_id, deleting=True
    )
    values = _values(effective, component)
    names, token = page(
        values,
        key=lambda n: n,
        max_results=request.max_results,
        next_token=request.next_token,
        default_size=DEFAULT_PAGE_SIZE,
        bound_to=("ListProperties", workspace_id, record.entity_id, path),
    )
    return models.ListPropertiesResponse(
        property_summaries=[
            models.PropertySummary(property_name=n, definition=values[n][0], value=values[n][1])
            for n in names
        ],
        next_token=token,
    )


# --- what the component types backend asks of entities --------------------------------------------


def entities_using(ctx: Context, workspace_id: str, component_type_ids: set[str]) -> list[str]:
    """The ids of live entities with a component of one of these types, sorted."""
    return list(_table(ctx, workspace_id).using_after(component_type_ids))


def check_components_of_types(
    ctx: Context, resolver: TypeResolver, component_type_ids: set[str]
) -> None:
    """Check that every entity component of these types stays valid under `resolver`'s types.

    Raises:
        ServiceFault: `ValidationException` naming each entity component that would break.
    """
    problems = Problems()
    live = _table(ctx, resolver.workspace_id)
    for entity_id in live.using_after(component_type_ids):
        record = live[entity_id]
        singletons: dict[str, str] = {}
        for path, component in sorted(record.components.items()):
            if component.component_type_id not in component_type_ids:
                continue
            where = f"entity {record.entity_id}: components['{path}']"
            effective = resolver.effective(component.component_type_id)
            if effective is None or effective.is_abstract:
                problems.add(
                    where, f"component type {component.component_type_id} would be abstract"
                )
                continue
            _recheck_values(effective, component, where, problems)
            if effective.record.is_singleton and "/" not in path:
                first = singletons.setdefault(effective.component_type_id, path)
                if first != path:
                    problems.add(
                        where, f"would be a second component of singleton type, after '{first}'"
                    )
    problems.raise_if_any()


def _recheck_values(
    effective: EffectiveComponentType, component: ComponentRecord, where: str, problems: Problems
) -> None:
    """Check a stored component's values against its type's (new) definitions."""
    definitions = _definitions(effective, component)
    for name, prop in component.properties.items():
        definition = definitions.get(name)
        if definition is None:
            problems.add(f"{where}.properties['{name}']", "would no longer be defined")
        elif prop.value is not None:
            where_value = f"{where}.properties['{name}'].value"
            check_value(prop.value, definition.data_type, where_value, problems)
    for name, (definition, value) in _values(effective, component).items():
        if definition.is_required_in_entity and value is None:
            problems.add(
                f"{where}.properties['{name}']", "would be required in the entity but has no value"
            )


# --- what the data plane asks of entities ---------------------------------------------------------


def component_values(
    resolver: TypeResolver, component: ComponentRecord
) -> dict[str, tuple[PropertyDefinitionResponse, DataValue | None]]:
    """Each property of a component: its effective definition and value (the entity's, else the
    default), as GetEntity shows them."""
    effective = resolver.effective(component.component_type_id, deleting=True)
    return _values(effective, component)
