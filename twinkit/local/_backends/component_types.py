"""Component types: create, get, update, delete, list; inheritance and value checking.

Owns `EmulatorState.component_types[workspace_id][component_type_id]` (a `ComponentTypeRecord`
per user-defined type) and the types being deleted, kept in `EmulatorState.extra` until their
deletion finishes so that a workspace is empty as soon as its last type is deleted. The built-in
`com.amazon.*` types (`twinkit.local._builtins`) are data shared by every workspace: listed,
gettable, usable and extendable, never stored, updated or deleted.

A record keeps what its requests said (its own definitions); `effective_component_type` merges
them with everything inherited through `extendsFrom`. What a type means (value checking,
merging, `TypeResolver`) lives in `_type_library`, shared by every backend; its names are
re-exported here for the backends that still import them from this module.

Rules (the service's, as documented or recorded; where neither says, the stricter choice):

* Parents must exist (and not be being deleted) when a type is created, so cycles cannot form;
  an update that would close one is refused. At most 10 parents.
* Inherited property definitions, functions, property groups and composite component types appear
  with `isInherited: true`. A child may restate an inherited property definition and may change
  its `defaultValue`, `configuration` and `displayName`; its data type and flags cannot change.
  Two parents defining one property differently is an error.
* A function without `implementedBy`, own or inherited, makes the type abstract; an own function
  replaces an inherited one of the same name (`isInherited: false`). Of two parents defining one
  function, an implemented definition wins over one without `implementedBy`.
* `isSchemaInitialized` is true when the type has an implemented `schemaInitializer`.
* A type extended by another, used by another as a composite component type, or used by an
  entity's component cannot be deleted (`ValidationException`). Updating a type re-checks its
  descendants and every entity component of it or them.

Responses: `propertyDefinitions` and `functions` are always present (possibly empty),
`propertyGroups` and `compositeComponentTypes` only when there are some; `status.error` is `{}` as
recorded. ListComponentTypes lists the workspace's types first, then the built-in ones, each by
id, as the recorded listing does. UpdateComponentType replaces each member it sets as a whole.

Deliberate deviations: types in CREATING or UPDATING are usable at once; entities and types being
deleted do not block deleting a type; `isImported` and `isFinal` are always false (nothing is
imported); built-in types answer with the caller's `workspaceId`; the `namespace` filter matches
ids under the namespace at a `.` boundary and `extendsFrom` filters by any ancestor; the
`relationship` of a data type is kept but not checked.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs

from twinkit import models
from twinkit.local._backends import handles
from twinkit.local._backends._paging import page
from twinkit.local._backends._type_library import (
    TOMBSTONES,
    ComponentTypeRecord,
    EffectiveComponentType,
    Problems,
    TypeResolver,
    check_data_type,
    check_value,
    effective_component_type,
    new_property_definition,
    normalize_value,
    restated_definition,
    status_of,
)
from twinkit.local._backends.tags import forget_taggable, register_taggable
from twinkit.local._backends.workspaces import workspace_or_404
from twinkit.local._builtins import (
    is_reserved,
)
from twinkit.local._errors import conflict, not_found, validation
from twinkit.local._state import Context, child_container, tombstones
from twinkit.models import (
    State,
)

__all__ = [
    "ComponentTypeRecord",
    "EffectiveComponentType",
    "Problems",
    "TypeResolver",
    "check_data_type",
    "check_value",
    "effective_component_type",
    "new_property_definition",
    "normalize_value",
    "restated_definition",
    "status_of",
]

MAX_PARENTS = 10
DEFAULT_PAGE_SIZE = 25
_TOMBSTONES = TOMBSTONES


# --- operations -----------------------------------------------------------------------------------


def _types_container(ctx: Context, workspace_id: str) -> dict[str, ComponentTypeRecord]:
    types: dict[str, ComponentTypeRecord] = child_container(
        ctx.journal, ctx.state.component_types, workspace_id
    )
    return types


def _tombstones(ctx: Context, workspace_id: str) -> dict[str, ComponentTypeRecord]:
    stones: dict[str, ComponentTypeRecord] = tombstones(ctx, _TOMBSTONES, workspace_id)
    return stones


def _check_parents(record: ComponentTypeRecord, resolver: TypeResolver, problems: Problems) -> None:
    parents = record.extends_from or ()
    if len(parents) > MAX_PARENTS:
        problems.add(
            "extendsFrom",
            f"a component type extends at most {MAX_PARENTS} types, got {len(parents)}",
        )
    seen: set[str] = set()
    for index, parent_id in enumerate(parents):
        path = f"extendsFrom[{index}]"
        if parent_id in seen:
            problems.add(path, f"{parent_id} is listed twice")
        seen.add(parent_id)
        parent = resolver.effective(parent_id)
        if parent_id == record.component_type_id:
            problems.add(path, "a component type cannot extend itself")
        elif parent is None:
            problems.add(path, f"component type {parent_id} does not exist")
        elif parent.is_a(record.component_type_id):
            problems.add(
                path, f"{parent_id} extends {record.component_type_id}: that would be a cycle"
            )


def _validated(
    record: ComponentTypeRecord, resolver: TypeResolver, stored: TypeResolver
) -> EffectiveComponentType:
    """Check `record`'s parents against the stored types, then merge it through `resolver`."""
    problems = Problems()
    _check_parents(record, stored, problems)
    problems.raise_if_any()
    effective = resolver.effective_of(record, problems)
    problems.raise_if_any()
    return effective


def _record_from_request(
    ctx: Context,
    workspace_id: str,
    request: models.CreateComponentTypeRequest | models.UpdateComponentTypeRequest,
    base: ComponentTypeRecord | None,
) -> ComponentTypeRecord:
    """A record with what `request` sets, over `base` (an update) or nothing (a creation)."""

    def pick(given: Any, current: Any) -> Any:
        return current if given is None else given

    extends = None if request.extends_from is None else tuple(request.extends_from)
    if base is None:
        base = ComponentTypeRecord(
            workspace_id=workspace_id,
            component_type_id=request.component_type_id,
            arn=ctx.arn(f"workspace/{workspace_id}/component-type/{request.component_type_id}"),
            description=None,
            component_type_name=None,
            is_singleton=False,
            extends_from=None,
            property_definitions={},
            functions={},
            property_groups={},
            composite_component_types={},
            created=ctx.now,
            updated=ctx.now,
            lifecycle=ctx.lifecycle(State.CREATING),
        )
        lifecycle = base.lifecycle
    else:
        lifecycle = ctx.lifecycle(State.UPDATING)
    return attrs.evolve(
        base,
        description=pick(request.description, base.description),
        component_type_name=pick(request.component_type_name, base.component_type_name),
        is_singleton=pick(request.is_singleton, base.is_singleton),
        extends_from=pick(extends, base.extends_from),
        property_definitions=pick(request.property_definitions, base.property_definitions),
        functions=pick(request.functions, base.functions),
        property_groups=pick(request.property_groups, base.property_groups),
        composite_component_types=pick(
            request.composite_component_types, base.composite_component_types
        ),
        updated=ctx.now,
        lifecycle=lifecycle,
    )


@handles("CreateComponentType")
def create_component_type(
    ctx: Context, request: models.CreateComponentTypeRequest
) -> models.CreateComponentTypeResponse:
    """Create a component type (CREATING, then ACTIVE after the transition delay)."""
    workspace_id = workspace_or_404(ctx, request.workspace_id).workspace_id
    type_id = request.component_type_id
    if is_reserved(type_id):
        raise validation(
            f"componentTypeId: {type_id} is in the com.amazon namespace, which AWS owns"
        )
    resolver = TypeResolver(ctx, workspace_id)
    if resolver.record(type_id, deleting=True) is not None:
        raise conflict(f"Component type {type_id} already exists in workspace {workspace_id}")
    record = _record_from_request(ctx, workspace_id, request, None)
    _validated(record, resolver, resolver)
    ctx.journal.put(_types_container(ctx, workspace_id), type_id, record)
    register_taggable(ctx, record.arn, request.tags)
    return models.CreateComponentTypeResponse(
        arn=record.arn, creation_date_time=record.created, state=State.CREATING
    )


def _get_response(
    effective: EffectiveComponentType, now: datetime
) -> models.GetComponentTypeResponse:
    record = effective.record
    return models.GetComponentTypeResponse(
        workspace_id=record.workspace_id,
        component_type_id=record.component_type_id,
        arn=record.arn,
        creation_date_time=record.created,
        update_date_time=record.updated,
        description=record.description,
        component_type_name=record.component_type_name,
        extends_from=None if record.extends_from is None else list(record.extends_from),
        is_singleton=record.is_singleton,
        is_abstract=effective.is_abstract,
        is_schema_initialized=effective.is_schema_initialized,
        property_definitions=dict(effective.property_definitions),
        functions=dict(effective.functions),
        property_groups=dict(effective.property_groups) or None,
        composite_component_types=dict(effective.composite_component_types) or None,
        status=status_of(record.lifecycle, now),
    )


@handles("GetComponentType")
def get_component_type(
    ctx: Context, request: models.GetComponentTypeRequest
) -> models.GetComponentTypeResponse:
    """A component type with its inherited definitions (`isInherited: true`)."""
    workspace_id = workspace_or_404(ctx, request.workspace_id).workspace_id
    effective = TypeResolver(ctx, workspace_id).effective(request.component_type_id, deleting=True)
    if effective is None:
        raise not_found(
            f"Component type {request.component_type_id} not found in workspace {workspace_id}"
        )
    return _get_response(effective, ctx.now)


def _own_record(
    ctx: Context, resolver: TypeResolver, type_id: str, verb: str
) -> ComponentTypeRecord:
    record = resolver.record(type_id, deleting=True)
    if record is None:
        raise not_found(f"Component type {type_id} not found in workspace {resolver.workspace_id}")
    if record.builtin:
        raise validation(f"Component type {type_id} is owned by AWS and cannot be {verb}")
    if record.lifecycle.transition is State.DELETING:
        raise validation(f"Component type {type_id} is being deleted")
    return record


def _check_descendants(resolver: TypeResolver, type_id: str, problems: Problems) -> set[str]:
    """Re-merge every type that extends `type_id`; returns their ids and `type_id`."""
    affected = {type_id}
    for record in resolver.user_records().values():
        effective = resolver.effective(record.component_type_id)
        if effective is None or not effective.is_a(type_id) or record.component_type_id == type_id:
            continue
        affected.add(record.component_type_id)
        mine = Problems()
        resolver.effective_of(record, mine)
        for item in mine.messages():
            problems.add("", f"component type {record.component_type_id} would break: {item}")
    return affected


@handles("UpdateComponentType")
def update_component_type(
    ctx: Context, request: models.UpdateComponentTypeRequest
) -> models.UpdateComponentTypeResponse:
    """Replace the members the request sets (each one whole); UPDATING, then ACTIVE."""
    from twinkit.local._backends.entities import check_components_of_types

    workspace_id = workspace_or_404(ctx, request.workspace_id).workspace_id
    stored = TypeResolver(ctx, workspace_id)
    current = _own_record(ctx, stored, request.component_type_id, "updated")
    record = _record_from_request(ctx, workspace_id, request, current)
    resolver = TypeResolver(ctx, workspace_id, overrides={record.component_type_id: record})
    _validated(record, resolver, stored)
    problems = Problems()
    affected = _check_descendants(resolver, record.component_type_id, problems)
    problems.raise_if_any()
    check_components_of_types(ctx, resolver, affected)
    ctx.journal.put(_types_container(ctx, workspace_id), record.component_type_id, record)
    return models.UpdateComponentTypeResponse(
        workspace_id=workspace_id,
        arn=record.arn,
        component_type_id=record.component_type_id,
        state=State.UPDATING,
    )


def _dependents(resolver: TypeResolver, type_id: str) -> list[str]:
    """Why `type_id` cannot be deleted because of other types (empty when nothing holds it)."""
    reasons: list[str] = []
    for other in sorted(resolver.user_records().values(), key=lambda r: r.component_type_id):
        if type_id in (other.extends_from or ()):
            reasons.append(f"component type {other.component_type_id} extends it")
        if any(c.component_type_id == type_id for c in other.composite_component_types.values()):
            reasons.append(
                f"component type {other.component_type_id} uses it as a composite component type"
            )
    return reasons


@handles("DeleteComponentType")
def delete_component_type(
    ctx: Context, request: models.DeleteComponentTypeRequest
) -> models.DeleteComponentTypeResponse:
    """Delete a type nothing uses: DELETING, gone after the transition delay."""
    from twinkit.local._backends.entities import entities_using

    workspace_id = workspace_or_404(ctx, request.workspace_id).workspace_id
    resolver = TypeResolver(ctx, workspace_id)
    type_id = request.component_type_id
    record = _own_record(ctx, resolver, type_id, "deleted")
    reasons = _dependents(resolver, type_id)
    users = entities_using(ctx, workspace_id, {type_id})
    if users:
        reasons.append(f"entity {users[0]} has a component of it")
    if reasons:
        raise validation(
            f"Component type {type_id} is in use and cannot be deleted: {'; '.join(reasons)}"
        )
    ctx.journal.remove(_types_container(ctx, workspace_id), type_id)
    ctx.journal.put(
        _tombstones(ctx, workspace_id),
        type_id,
        attrs.evolve(record, lifecycle=ctx.lifecycle(State.DELETING)),
    )
    forget_taggable(ctx, record.arn)
    return models.DeleteComponentTypeResponse(state=State.DELETING)


def _in_namespace(type_id: str, namespace: str) -> bool:
    return type_id == namespace or type_id.startswith(namespace.rstrip(".") + ".")


def _matches(effective: EffectiveComponentType, where: models.ListComponentTypesFilter) -> bool:
    if where.extends_from is not None:
        return where.extends_from in effective.ancestors
    if where.namespace is not None:
        return _in_namespace(effective.component_type_id, where.namespace)
    if where.is_abstract is not None:
        return effective.is_abstract == where.is_abstract
    raise validation("filters: a filter the service does not know cannot be applied")


@handles("ListComponentTypes")
def list_component_types(
    ctx: Context, request: models.ListComponentTypesRequest
) -> models.ListComponentTypesResponse:
    """The workspace's types, then the built-in ones (each by id), filtered (all filters hold)."""
    workspace_id = workspace_or_404(ctx, request.workspace_id).workspace_id
    resolver = TypeResolver(ctx, workspace_id)
    filters = request.filters or []
    chosen: list[EffectiveComponentType] = []
    for record in resolver.all_records(deleting=True):
        effective = resolver.effective(record.component_type_id, deleting=True)
        if effective is not None and all(_matches(effective, f) for f in filters):
            chosen.append(effective)
    items, token = page(
        chosen,
        key=lambda e: f"{int(e.record.builtin)}:{e.component_type_id}",
        max_results=request.max_results,
        next_token=request.next_token,
        default_size=DEFAULT_PAGE_SIZE,
        bound_to=("ListComponentTypes", workspace_id, filters),
    )
    return models.ListComponentTypesResponse(
        workspace_id=workspace_id,
        component_type_summaries=[
            models.ComponentTypeSummary(
                arn=e.record.arn,
                component_type_id=e.component_type_id,
                creation_date_time=e.record.created,
                update_date_time=e.record.updated,
                description=e.record.description,
                status=status_of(e.record.lifecycle, ctx.now),
                component_type_name=e.record.component_type_name,
            )
            for e in items
        ],
        next_token=token,
        max_results=request.max_results,
    )
