"""The component-type library every backend shares: value checking, definition merging, types.

Owns what a component type *means*, apart from the operations on it (`component_types`):
`check_value` (a `DataValue` against a `DataType`), `check_data_type`, `normalize_value`,
`new_property_definition` and `restated_definition` (what a request may say of a property),
`ComponentTypeRecord` (a stored type), `EffectiveComponentType` and `build_effective` (a type
merged with everything it inherits through `extendsFrom`), `TypeResolver` (the types of one
workspace as one request sees them: built-in, own and being deleted), `status_of` and
`Problems`. The entities, values, query and jobs backends import it instead of each other.

Merged types are reused across requests while neither a record nor any of its parents has been
replaced (records are immutable: a change is a new object). That memo, and the records made
from the built-in types, are kept per emulator (`EmulatorState.caches`), never per process, so
that emulators never share or leak each other's types.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

import attrs

from twinkit import models
from twinkit._service import INTEGER_RANGE, LONG_RANGE
from twinkit.local._builtins import (
    BUILTIN_COMPONENT_TYPES,
    BUILTINS_BY_ID,
    BuiltinComponentType,
    builtin_arn,
)
from twinkit.local._errors import validation
from twinkit.local._state import Context, Lifecycle
from twinkit.models import (
    DataType,
    DataValue,
    PropertyDefinitionRequest,
    PropertyDefinitionResponse,
    Type,
)

__all__ = [
    "TOMBSTONES",
    "ComponentTypeRecord",
    "EffectiveComponentType",
    "Problems",
    "TypeResolver",
    "build_effective",
    "check_data_type",
    "check_value",
    "effective_component_type",
    "new_property_definition",
    "normalize_value",
    "restated_definition",
    "status_of",
]

TOMBSTONES = "component_types.deleting"
"""The `EmulatorState.extra` box of the types being deleted, by workspace."""


# --- problems -------------------------------------------------------------------------------------


class Problems:
    """Every problem of a request, collected so that one `ValidationException` names them all."""

    def __init__(self) -> None:
        self._items: list[str] = []

    def add(self, path: str, message: str) -> None:
        """Record that the request member at `path` (wire names) is wrong, and why."""
        self._items.append(f"{path}: {message}" if path else message)

    def __bool__(self) -> bool:
        return bool(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def messages(self) -> list[str]:
        """The problems so far, each `path: message`."""
        return list(self._items)

    def raise_if_any(self) -> None:
        """Raise one `ValidationException` listing every problem, if there is any.

        Raises:
            ServiceFault: `ValidationException`, worded like the service's own (`1 validation
                error detected: components['pump'].properties['rpm'].value: expected ...`).
        """
        if not self._items:
            return
        count = len(self._items)
        noun = "error" if count == 1 else "errors"
        raise validation(f"{count} validation {noun} detected: {'; '.join(self._items)}")


# --- values against data types --------------------------------------------------------------------

_MEMBER_OF_TYPE: Mapping[str, str] = {
    Type.STRING: "string_value",
    Type.LONG: "long_value",
    Type.INTEGER: "integer_value",
    Type.DOUBLE: "double_value",
    Type.BOOLEAN: "boolean_value",
    Type.LIST: "list_value",
    Type.MAP: "map_value",
    Type.RELATIONSHIP: "relationship_value",
}
_WIRE_MEMBER: Mapping[str, str] = {
    "boolean_value": "booleanValue",
    "double_value": "doubleValue",
    "integer_value": "integerValue",
    "long_value": "longValue",
    "string_value": "stringValue",
    "list_value": "listValue",
    "map_value": "mapValue",
    "relationship_value": "relationshipValue",
    "expression": "expression",
    "unknown_member": "an unknown member",
}
_INT_RANGE: Mapping[str, tuple[int, int]] = {
    Type.INTEGER: INTEGER_RANGE,
    Type.LONG: LONG_RANGE,
}


def _member_set(value: DataValue) -> str:
    return next((name for name in _WIRE_MEMBER if getattr(value, name) is not None), "nothing")


def _type_name(data_type: DataType) -> str:
    kind = str(data_type.type)
    if data_type.nested_type is not None and kind in (Type.LIST, Type.MAP):
        return f"{kind} of {_type_name(data_type.nested_type)}"
    return kind


def check_value(value: DataValue, data_type: DataType, path: str, problems: Problems) -> None:
    """Check that `value` fits `data_type` (member, nested values, range, allowed values).

    An `expression` stands for a value of any type. Problems are recorded under `path`, e.g.
    `components['pump'].properties['rpm'].value: expected doubleValue (DOUBLE), got stringValue`.
    """
    if value.expression is not None:
        return
    kind = str(data_type.type)
    expected = _MEMBER_OF_TYPE.get(kind)
    got = _member_set(value)
    if expected is None:
        problems.add(path, f"the property's data type {kind} is unknown")
        return
    if got != expected:
        wanted = _WIRE_MEMBER[expected]
        problems.add(
            path, f"expected {wanted} ({_type_name(data_type)}), got {_WIRE_MEMBER.get(got, got)}"
        )
        return
    nested = data_type.nested_type
    if value.list_value is not None and nested is not None:
        for index, item in enumerate(value.list_value):
            check_value(item, nested, f"{path}.listValue[{index}]", problems)
    if value.map_value is not None and nested is not None:
        for key, item in value.map_value.items():
            check_value(item, nested, f"{path}.mapValue['{key}']", problems)
    bounds = _INT_RANGE.get(kind)
    number = value.integer_value if kind == Type.INTEGER else value.long_value
    if bounds is not None and number is not None and not bounds[0] <= number <= bounds[1]:
        problems.add(path, f"{number} is out of range for {kind}")
    allowed = data_type.allowed_values
    if allowed and normalize_value(value) not in [normalize_value(v) for v in allowed]:
        choices = ", ".join(_show(v) for v in allowed)
        problems.add(path, f"{_show(value)} is not one of the allowed values ({choices})")


def _show(value: DataValue) -> str:
    member = _member_set(value)
    return f"{_WIRE_MEMBER.get(member, member)}={getattr(value, member, None)!r}"


def check_data_type(data_type: DataType, path: str, problems: Problems) -> None:
    """Check a property's data type: LIST and MAP need a `nestedType`; allowed values must fit."""
    kind = str(data_type.type)
    if kind in (Type.LIST, Type.MAP):
        if data_type.nested_type is None:
            problems.add(f"{path}.nestedType", f"is required for a {kind}")
        else:
            check_data_type(data_type.nested_type, f"{path}.nestedType", problems)
    for index, allowed in enumerate(data_type.allowed_values or ()):
        plain = attrs.evolve(data_type, allowed_values=None)
        check_value(allowed, plain, f"{path}.allowedValues[{index}]", problems)


def normalize_value(value: DataValue) -> DataValue:
    """The value as the service keeps it: a `doubleValue` is always a float (JSON `1` -> `1.0`)."""
    raw: Any = value.double_value  # JSON `1` arrives as an int
    if raw is not None and not isinstance(raw, float):
        return attrs.evolve(value, double_value=float(raw))
    if value.list_value is not None:
        return attrs.evolve(value, list_value=[normalize_value(v) for v in value.list_value])
    if value.map_value is not None:
        return attrs.evolve(
            value, map_value={k: normalize_value(v) for k, v in value.map_value.items()}
        )
    return value


def _data_type_restates(given: DataType, defined: DataType) -> bool:
    """True when `given` says nothing that contradicts `defined` (absent parts are not checked)."""
    if str(given.type) != str(defined.type):
        return False
    if given.nested_type is not None and (
        defined.nested_type is None
        or not _data_type_restates(given.nested_type, defined.nested_type)
    ):
        return False
    pairs = [
        (given.allowed_values, defined.allowed_values),
        (given.unit_of_measure, defined.unit_of_measure),
        (given.relationship, defined.relationship),
    ]
    return all(mine is None or mine == theirs for mine, theirs in pairs)


# --- property definitions -------------------------------------------------------------------------

_FLAGS: Mapping[str, str] = {
    "is_required_in_entity": "isRequiredInEntity",
    "is_external_id": "isExternalId",
    "is_stored_externally": "isStoredExternally",
    "is_time_series": "isTimeSeries",
}


def new_property_definition(
    request: PropertyDefinitionRequest, path: str, problems: Problems
) -> PropertyDefinitionResponse | None:
    """The definition of a property nothing defined before (None when `request` is invalid)."""
    if request.data_type is None:
        problems.add(f"{path}.dataType", "is required to define a new property")
        return None
    before = len(problems)
    check_data_type(request.data_type, f"{path}.dataType", problems)
    if request.default_value is not None and len(problems) == before:
        check_value(request.default_value, request.data_type, f"{path}.defaultValue", problems)
    return PropertyDefinitionResponse(
        data_type=request.data_type,
        is_time_series=bool(request.is_time_series),
        is_required_in_entity=bool(request.is_required_in_entity),
        is_external_id=bool(request.is_external_id),
        is_stored_externally=bool(request.is_stored_externally),
        is_imported=False,
        is_final=False,
        is_inherited=False,
        default_value=None
        if request.default_value is None
        else normalize_value(request.default_value),
        configuration=request.configuration,
        display_name=request.display_name,
    )


def restated_definition(
    base: PropertyDefinitionResponse,
    request: PropertyDefinitionRequest,
    path: str,
    problems: Problems,
    *,
    owner: str,
    may_refine: bool,
) -> PropertyDefinitionResponse:
    """`base` as restated by `request`, which may repeat its data type and flags, not change them.

    Args:
        base: The definition in force (inherited, or the component type's).
        request: The restatement.
        path: Where `request` is in the request, for problems.
        owner: What defines `base`, for messages (`component type com.example.pump`).
        may_refine: A child type may change the default value, configuration and display name;
            an entity may not.
    """
    if request.data_type is not None and not _data_type_restates(request.data_type, base.data_type):
        problems.add(
            f"{path}.dataType",
            f"{owner} defines this property as {_type_name(base.data_type)}; it cannot change",
        )
    for flag, wire in _FLAGS.items():
        given = getattr(request, flag)
        if given is not None and given != getattr(base, flag):
            problems.add(
                f"{path}.{wire}",
                f"is {str(getattr(base, flag)).lower()} in {owner}; it cannot change",
            )
    refinements: dict[str, Any] = {
        "default_value": request.default_value,
        "configuration": request.configuration,
        "display_name": request.display_name,
    }
    if request.default_value is not None:
        check_value(request.default_value, base.data_type, f"{path}.defaultValue", problems)
        refinements["default_value"] = normalize_value(request.default_value)
    if not may_refine:
        for name, given in refinements.items():
            if given is not None and given != getattr(base, name):
                wire = {"default_value": "defaultValue", "display_name": "displayName"}.get(
                    name, name
                )
                problems.add(f"{path}.{wire}", f"is set by {owner}; an entity cannot change it")
        return base
    changes = {name: given for name, given in refinements.items() if given is not None}
    return attrs.evolve(base, **changes)


def _same_definition(a: PropertyDefinitionResponse, b: PropertyDefinitionResponse) -> bool:
    return a.data_type == b.data_type and all(getattr(a, f) == getattr(b, f) for f in _FLAGS)


# --- records and effective types ------------------------------------------------------------------


@attrs.frozen
class ComponentTypeRecord:
    """A component type as its requests defined it (own definitions only, never inherited ones)."""

    workspace_id: str
    component_type_id: str
    arn: str
    description: str | None
    component_type_name: str | None
    is_singleton: bool
    extends_from: tuple[str, ...] | None
    property_definitions: Mapping[str, PropertyDefinitionRequest]
    functions: Mapping[str, models.FunctionRequest]
    property_groups: Mapping[str, models.PropertyGroupRequest]
    composite_component_types: Mapping[str, models.CompositeComponentTypeRequest]
    created: datetime
    updated: datetime
    lifecycle: Lifecycle
    builtin: bool = False


_MEMO_LIMIT = 4096


def _cache(ctx: Context, name: str) -> dict[Any, Any]:
    """One of the emulator's own caches (never stored, never shared between emulators)."""
    cache: dict[Any, Any] = ctx.state.caches.setdefault(name, {})
    return cache


def _record_from_builtin(
    ctx: Context, workspace_id: str, builtin: BuiltinComponentType
) -> ComponentTypeRecord:
    # The same record object every time, so effective types built on it can be reused.
    records = _cache(ctx, "builtin records")
    key = (ctx.region, workspace_id, builtin.component_type_id)
    record: ComponentTypeRecord | None = records.get(key)
    if record is None:
        if len(records) >= _MEMO_LIMIT:
            records.clear()
        record = records[key] = _new_builtin_record(ctx, workspace_id, builtin)
    return record


def _new_builtin_record(
    ctx: Context, workspace_id: str, builtin: BuiltinComponentType
) -> ComponentTypeRecord:
    definition = builtin.definition
    return ComponentTypeRecord(
        workspace_id=workspace_id,
        component_type_id=definition.component_type_id,
        arn=builtin_arn(ctx.region, definition.component_type_id),
        description=definition.description,
        component_type_name=definition.component_type_name,
        is_singleton=bool(definition.is_singleton),
        extends_from=None if definition.extends_from is None else tuple(definition.extends_from),
        property_definitions=definition.property_definitions or {},
        functions=definition.functions or {},
        property_groups=definition.property_groups or {},
        composite_component_types=definition.composite_component_types or {},
        created=builtin.created,
        updated=builtin.created,
        lifecycle=Lifecycle(),
        builtin=True,
    )


DATA_READERS = ("dataReader", "dataReaderByEntity", "dataReaderByComponentType")
"""The functions that read a type's externally stored property values."""


@attrs.frozen
class EffectiveComponentType:
    """A component type with everything it inherits merged in, as GetComponentType shows it."""

    record: ComponentTypeRecord
    property_definitions: Mapping[str, PropertyDefinitionResponse]
    functions: Mapping[str, models.FunctionResponse]
    property_groups: Mapping[str, models.PropertyGroupResponse]
    composite_component_types: Mapping[str, models.CompositeComponentTypeResponse]
    ancestors: frozenset[str]
    """Every type it extends, directly or not."""

    @property
    def component_type_id(self) -> str:
        """The type's id."""
        return self.record.component_type_id

    @property
    def is_abstract(self) -> bool:
        """True when the type cannot be used in an entity (see `abstract_because`)."""
        return self.abstract_because is not None

    @property
    def abstract_because(self) -> str | None:
        """Why the type is abstract, or None: a function (own or inherited) has no
        `implementedBy`, or, as the guide's component-types page says, a property is stored
        externally and no implemented data reader reads it."""
        if any(f.implemented_by is None for f in self.functions.values()):
            return "a function has no implementedBy"
        stored = sorted(n for n, d in self.property_definitions.items() if d.is_stored_externally)
        readers = (self.functions.get(name) for name in DATA_READERS)
        if stored and not any(r is not None and r.implemented_by is not None for r in readers):
            return f"property {stored[0]} is stored externally and no data reader function reads it"
        return None

    @property
    def is_schema_initialized(self) -> bool:
        """True when the type has an implemented `schemaInitializer` function."""
        initializer = self.functions.get("schemaInitializer")
        return initializer is not None and initializer.implemented_by is not None

    def is_a(self, component_type_id: str) -> bool:
        """True when this type is `component_type_id` or extends it, directly or not."""
        return component_type_id == self.component_type_id or component_type_id in self.ancestors


def _inherit_definitions(
    parents: Sequence[EffectiveComponentType], problems: Problems
) -> dict[str, PropertyDefinitionResponse]:
    merged: dict[str, PropertyDefinitionResponse] = {}
    source: dict[str, str] = {}
    for parent in parents:
        for name, definition in parent.property_definitions.items():
            inherited = attrs.evolve(definition, is_inherited=True)
            if name not in merged:
                merged[name], source[name] = inherited, parent.component_type_id
            elif not _same_definition(merged[name], inherited):
                problems.add(
                    "extendsFrom",
                    f"{source[name]} and {parent.component_type_id} define property '{name}' "
                    "differently",
                )
    return merged


def _inherit_functions(
    parents: Sequence[EffectiveComponentType],
) -> dict[str, models.FunctionResponse]:
    merged: dict[str, models.FunctionResponse] = {}
    for parent in parents:
        for name, function in parent.functions.items():
            current = merged.get(name)
            if current is None or (current.implemented_by is None and function.implemented_by):
                merged[name] = attrs.evolve(function, is_inherited=True)
    return merged


def _own_function(
    request: models.FunctionRequest,
    path: str,
    definitions: Mapping[str, PropertyDefinitionResponse],
    problems: Problems,
) -> models.FunctionResponse:
    connector = request.implemented_by
    if connector is not None and connector.lambda_ is None and not connector.is_native:
        problems.add(f"{path}.implementedBy", "needs a lambda, or isNative true")
    for index, name in enumerate(request.required_properties or ()):
        if name not in definitions:
            problems.add(
                f"{path}.requiredProperties[{index}]", f"'{name}' is not a property of the type"
            )
    return models.FunctionResponse(
        required_properties=request.required_properties,
        scope=request.scope,
        implemented_by=connector,
        is_inherited=False,
    )


def _inherit_named(
    parents: Sequence[EffectiveComponentType],
    entries: Callable[[EffectiveComponentType], Mapping[str, Any]],
    what: str,
    problems: Problems,
) -> dict[str, Any]:
    """Entries of every parent by name, marked inherited; two parents must agree on a name."""
    merged: dict[str, Any] = {}
    source: dict[str, str] = {}
    for parent in parents:
        for name, entry in entries(parent).items():
            inherited = attrs.evolve(entry, is_inherited=True)
            if name not in merged:
                merged[name], source[name] = inherited, parent.component_type_id
            elif merged[name] != inherited:
                problems.add(
                    "extendsFrom",
                    f"{source[name]} and {parent.component_type_id} define {what} '{name}' "
                    "differently",
                )
    return merged


def _add_own(merged: dict[str, Any], name: str, own: Any, path: str, problems: Problems) -> None:
    """Add an own entry; restating an inherited one is fine, changing it is not."""
    inherited = merged.get(name)
    if inherited is None:
        merged[name] = own
    elif attrs.evolve(own, is_inherited=True) != inherited:
        problems.add(path, "is inherited from a parent; a component type cannot redefine it")


def _property_groups(
    record: ComponentTypeRecord,
    parents: Sequence[EffectiveComponentType],
    definitions: Mapping[str, PropertyDefinitionResponse],
    problems: Problems,
) -> dict[str, models.PropertyGroupResponse]:
    groups = _inherit_named(parents, lambda p: p.property_groups, "property group", problems)
    for name, request in record.property_groups.items():
        path = f"propertyGroups['{name}']"
        if request.group_type is None:
            problems.add(f"{path}.groupType", "is required")
        if not request.property_names:
            problems.add(f"{path}.propertyNames", "must name at least one property")
        for index, prop in enumerate(request.property_names or ()):
            if prop not in definitions:
                problems.add(
                    f"{path}.propertyNames[{index}]", f"'{prop}' is not a property of the type"
                )
        own = models.PropertyGroupResponse(
            group_type=request.group_type or models.GroupType.TABULAR,
            property_names=list(request.property_names or []),
            is_inherited=False,
        )
        _add_own(groups, name, own, path, problems)
    return groups


def _composites(
    record: ComponentTypeRecord,
    parents: Sequence[EffectiveComponentType],
    exists: Callable[[str], bool],
    problems: Problems,
) -> dict[str, models.CompositeComponentTypeResponse]:
    composites = _inherit_named(
        parents, lambda p: p.composite_component_types, "composite component type", problems
    )
    for name, request in record.composite_component_types.items():
        path = f"compositeComponentTypes['{name}'].componentTypeId"
        target = request.component_type_id
        if target is None:
            problems.add(path, "is required")
            continue
        if target == record.component_type_id:
            problems.add(path, "a component type cannot be a composite of itself")
        elif not exists(target):
            problems.add(path, f"component type {target} does not exist")
        own = models.CompositeComponentTypeResponse(component_type_id=target, is_inherited=False)
        _add_own(composites, name, own, path, problems)
    return composites


def build_effective(
    record: ComponentTypeRecord,
    parents: Sequence[EffectiveComponentType],
    exists: Callable[[str], bool],
    problems: Problems,
) -> EffectiveComponentType:
    """Merge `record` with its (already effective) parents, recording every problem found.

    Args:
        record: The type's own definitions.
        parents: The effective types of `record.extends_from`, in order.
        exists: Whether a component type id exists (for composite component types).
        problems: Where problems go; paths are relative to the request.
    """
    owner = record.component_type_id
    definitions = _inherit_definitions(parents, problems)
    for name, request in record.property_definitions.items():
        path = f"propertyDefinitions['{name}']"
        base = definitions.get(name)
        if base is not None:
            definitions[name] = restated_definition(
                base, request, path, problems, owner=f"a parent of {owner}", may_refine=True
            )
        else:
            new = new_property_definition(request, path, problems)
            if new is not None:
                definitions[name] = new
    functions = _inherit_functions(parents)
    for name, function in record.functions.items():
        functions[name] = _own_function(function, f"functions['{name}']", definitions, problems)
    ancestors = frozenset(a for p in parents for a in (p.component_type_id, *p.ancestors))
    return EffectiveComponentType(
        record=record,
        property_definitions=definitions,
        functions=functions,
        property_groups=_property_groups(record, parents, definitions, problems),
        composite_component_types=_composites(record, parents, exists, problems),
        ancestors=ancestors,
    )


class TypeResolver:
    """The component types of one workspace as one request sees them, effective types cached.

    Args:
        ctx: The request's context.
        workspace_id: The workspace (its id, not its ARN).
        overrides: Records to use instead of the stored ones (a type being updated).
    """

    def __init__(
        self,
        ctx: Context,
        workspace_id: str,
        overrides: Mapping[str, ComponentTypeRecord] | None = None,
    ) -> None:
        self.ctx = ctx
        self.workspace_id = workspace_id
        self._overrides = dict(overrides or {})
        self._cache: dict[str, EffectiveComponentType] = {}
        self._merging: set[str] = set()

    def user_records(self) -> dict[str, ComponentTypeRecord]:
        """The workspace's own types that are not being deleted."""
        records = dict(self.ctx.state.component_types.get(self.workspace_id, {}))
        records.update(self._overrides)
        return records

    def deleting_records(self) -> dict[str, ComponentTypeRecord]:
        """The workspace's types being deleted (until their deletion finishes)."""
        box: Mapping[str, Mapping[str, ComponentTypeRecord]] = self.ctx.state.extra.get(
            TOMBSTONES, {}
        )
        return {
            k: r
            for k, r in box.get(self.workspace_id, {}).items()
            if not r.lifecycle.gone(self.ctx.now)
        }

    def record(
        self, component_type_id: str, *, deleting: bool = False
    ) -> ComponentTypeRecord | None:
        """The type with this id (built-in or the workspace's), or None.

        Args:
            component_type_id: The id.
            deleting: Also find a type being deleted.
        """
        if component_type_id in self._overrides:
            return self._overrides[component_type_id]
        found: ComponentTypeRecord | None = self.ctx.state.component_types.get(
            self.workspace_id, {}
        ).get(component_type_id)
        if found is None and deleting:
            found = self.deleting_records().get(component_type_id)
        if found is None and component_type_id in BUILTINS_BY_ID:
            found = _record_from_builtin(
                self.ctx, self.workspace_id, BUILTINS_BY_ID[component_type_id]
            )
        return found

    def exists(self, component_type_id: str) -> bool:
        """True when a type with this id exists and is not being deleted."""
        return self.record(component_type_id) is not None

    def effective(
        self, component_type_id: str, *, deleting: bool = False
    ) -> EffectiveComponentType | None:
        """The type with everything it inherits, or None when there is no such type."""
        record = self.record(component_type_id, deleting=deleting)
        if record is None or component_type_id in self._merging:
            return None
        cached = self._cache.get(component_type_id)
        if cached is None:
            cached = self._cache[component_type_id] = self._reused_effective(record)
        return cached

    def _reused_effective(self, record: ComponentTypeRecord) -> EffectiveComponentType:
        """`effective_of(record)`, reusing the result of an earlier request when neither the
        record nor any of its effective parents has been replaced since (records are
        immutable: a change is a new object), which makes a GetEntity much cheaper."""
        self._merging.add(record.component_type_id)
        try:
            parents = tuple(
                parent
                for parent_id in record.extends_from or ()
                if (parent := self.effective(parent_id, deleting=True)) is not None
            )
        finally:
            self._merging.discard(record.component_type_id)
        key = (id(record), tuple(id(p) for p in parents))
        memos = _cache(self.ctx, "effective types")
        memo = memos.get(key)
        if (
            memo is not None
            and memo[0] is record
            and all(a is b for a, b in zip(memo[1], parents, strict=True))
        ):
            reused: EffectiveComponentType = memo[2]
            return reused
        effective = build_effective(record, parents, self.exists, Problems())
        if len(memos) >= _MEMO_LIMIT:
            memos.clear()
        memos[key] = (record, parents, effective)
        return effective

    def effective_of(
        self, record: ComponentTypeRecord, problems: Problems
    ) -> EffectiveComponentType:
        """Merge `record` with what it inherits; parents that no longer exist are skipped."""
        self._merging.add(record.component_type_id)
        try:
            parents = [
                parent
                for parent_id in record.extends_from or ()
                if (parent := self.effective(parent_id, deleting=True)) is not None
            ]
        finally:
            self._merging.discard(record.component_type_id)
        return build_effective(record, parents, self.exists, problems)

    def all_records(self, *, deleting: bool = False) -> Iterator[ComponentTypeRecord]:
        """Every type of the workspace: built-in, own, and (if asked) those being deleted."""
        own = self.user_records()
        for builtin in BUILTIN_COMPONENT_TYPES:
            if builtin.component_type_id not in own:
                yield _record_from_builtin(self.ctx, self.workspace_id, builtin)
        yield from own.values()
        if deleting:
            yield from self.deleting_records().values()


def effective_component_type(
    ctx: Context, workspace_id: str, component_type_id: str
) -> EffectiveComponentType | None:
    """The component type `component_type_id` of a workspace with what it inherits, or None."""
    return TypeResolver(ctx, workspace_id).effective(component_type_id)


def status_of(lifecycle: Lifecycle, now: datetime) -> models.Status:
    """The `status` member of a resource: its state, and an empty `error` as the service sends."""
    error = lifecycle.error
    details = (
        models.ErrorDetails()
        if error is None
        else models.ErrorDetails(code=error[0], message=error[1])
    )
    return models.Status(state=lifecycle.state(now), error=details)
