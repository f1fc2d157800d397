"""Time-series values: BatchPutPropertyValues, GetPropertyValueHistory, GetPropertyValue.

Owns `EmulatorState.extra["values"][workspace_id][entity_id][f"{component_path}:{property}"]`,
a `Series` per time-series property (times in integer nanoseconds, kept sorted, values beside
them), and `extra["values.generations"][workspace_id][entity_id]`: the creation instant of the
entity the values belong to, so that an entity deleted and created again under the same id starts
without the old one's values.

Rules (the service's, as documented; where it says nothing, the stricter choice):

* A reference names an entity (`entityId`, or `externalIdProperty`: the values of its component's
  `isExternalId` properties), a component (`componentPath` for a composite one, else
  `componentName`) and a property of it.
* BatchPutPropertyValues stores each good entry and reports each bad one in `errorEntries`, one
  `errorEntries` item per bad entry: an unknown workspace fails the whole request
  (`ResourceNotFoundException`). Error codes: `ResourceNotFoundException` (no such entity,
  component or property), `ValidationException` (not a time-series property, a value that does
  not fit the property's data type or is an expression, a missing, doubled or malformed time) and
  `InternalServerException` (only when injected, see `_faults`). An entry is stored whole or not
  at all; for a bad value, the error's `entry` holds that value alone. A value's time is its
  `time` string (any offset, up to nine fraction digits, kept exactly) or the deprecated
  `timestamp`; writing an instant again overwrites the value there.
* GetPropertyValueHistory reads one component (`entityId` with `componentName` or
  `componentPath`) or every component of a type across entities (`componentTypeId`: components
  of that type or of a type extending it), between `startTime` and `endTime` inclusive (or the
  deprecated `startDateTime`/`endDateTime`), oldest first unless `orderByTime` is DESCENDING. A
  page holds at most `maxResults` values (25 by default) of all the selected series together,
  merged in time order (series by entity, component path and selected order at one instant),
  grouped into one `propertyValues` item per series with values on the page. The token holds the
  last value's time and series, so the next page starts strictly after it: paging never skips
  or repeats a value. Times come back as `time` strings with nine fraction digits, in UTC.
* Non-finite doubles are written and answered as `"NaN"`, `"Infinity"` and `"-Infinity"`
  (Smithy's JSON rule, what botocore sends), never as bare `NaN` tokens.
* `propertyFilters` keep the values of their property for which `value <operator> filter value`
  holds (`=`, `!=`, `<>`, `<`, `<=`, `>`, `>=`; order comparisons on numbers and strings); the
  filtered property must be selected.
* LINEAR interpolation answers, for each instant `start + k * intervalInSeconds` within the range
  and within the series' first and last values, the value on the straight line between the values
  around it (as a `doubleValue`); it applies to DOUBLE, INTEGER and LONG properties. Filters then
  apply to the interpolated values.
* GetPropertyValue answers the value of each selected property of one component: for a
  time-series property its latest stored value (none yet: no `propertyValue`), for another its
  value or default. With `propertyGroupName` (a TABULAR group of the component) it answers
  `tabularPropertyValues`: one table whose rows are the instants at which a selected time-series
  property has a value (a selected property that is not time-series adds its value to every
  row), filtered by `tabularConditions.propertyFilters`, ordered by `orderBy` then time, paged
  by `maxResults` (25 by default) with tokens holding the last row's sort key.

Deliberate deviations: the real service hands time-series values to the component type's data
connector (its `dataWriter` and `dataReader` functions); twinkit.local stores them itself, for
every time-series property, connector or not, and answers `time` only (no `timestamp`).
GetPropertyValue needs an `entityId` (latest values across entities are not answered). Values of
a component deleted and added again under the same name are still there.
"""

from __future__ import annotations

import bisect
import functools
import heapq
import itertools
import json
import math
import operator
from collections.abc import Callable, Iterator, Mapping, MutableMapping, Sequence
from datetime import datetime
from typing import Any

import attrs

from twinkit import models
from twinkit._service import BATCH_MAX_VALUES_PER_ENTRY, non_finite_text
from twinkit.errors import ValidationError
from twinkit.local._backends import handles, handles_wire
from twinkit.local._backends._paging import decode_token, encode_token
from twinkit.local._backends.component_types import (
    Problems,
    TypeResolver,
    check_value,
    normalize_value,
)
from twinkit.local._backends.entities import ComponentRecord, EntityRecord, component_values
from twinkit.local._backends.workspaces import workspace_or_404
from twinkit.local._errors import ServiceFault, not_found, validation
from twinkit.local._state import Context
from twinkit.models import DataType, DataValue, OrderByTime, PropertyDefinitionResponse, Type
from twinkit.times import MAX_NS, MIN_NS, NS_PER_SECOND, datetime_ns, format_time, parse_time
from twinkit.wire import converter

__all__ = ["GENERATIONS", "VALUES", "Series"]

VALUES = "values"
GENERATIONS = "values.generations"
DEFAULT_PAGE_SIZE = 25
MAX_MESSAGE = 256
_NS = NS_PER_SECOND
_NUMERIC = frozenset({Type.DOUBLE, Type.INTEGER, Type.LONG})
_ORDERED = _NUMERIC | {Type.STRING}


# --- the store ------------------------------------------------------------------------------------


def _json_safe(wire: Any) -> Any:
    """`wire` with every non-finite float as Smithy's string ("NaN", "Infinity", "-Infinity").

    `json.dumps` would write bare `NaN` tokens, which strict JSON parsers refuse; botocore
    sends these strings, and twinkit reads them back as floats.
    """
    if type(wire) is float:
        return wire if math.isfinite(wire) else non_finite_text(wire)
    if type(wire) is dict:
        return {key: _json_safe(item) for key, item in wire.items()}
    if type(wire) is list:
        return [_json_safe(item) for item in wire]
    return wire


_SCALAR_MEMBERS = (
    ("double_value", "doubleValue"),
    ("string_value", "stringValue"),
    ("long_value", "longValue"),
    ("integer_value", "integerValue"),
    ("boolean_value", "booleanValue"),
)


def _scalar_wire(value: DataValue) -> dict[str, Any] | None:
    """The wire form of a value holding one scalar (a finite double, a string, ...), read
    straight off its members; None for anything else. Most stored values are such scalars,
    and the converter's generic union walk cost more than the rest of storing one."""
    if (
        value.list_value is not None
        or value.map_value is not None
        or value.relationship_value is not None
        or value.expression is not None
        or value.unknown_member is not None
    ):
        return None
    found: dict[str, Any] | None = None
    for member, key in _SCALAR_MEMBERS:
        item = getattr(value, member)
        if item is not None:
            if found is not None:
                return None
            found = {key: item}
    if found is None:
        return None
    double = found.get("doubleValue")
    if double is not None and not (type(double) is float and math.isfinite(double)):
        return None
    return found


def _value_wire(value: DataValue) -> dict[str, Any]:
    scalar = _scalar_wire(value)
    if scalar is not None:
        return scalar
    wire: dict[str, Any] = converter.unstructure(value)
    double = wire.get("doubleValue")
    if type(double) is float and math.isfinite(double) and len(wire) == 1:
        return wire  # the common case: one finite double, nothing nested
    safe: dict[str, Any] = _json_safe(wire)
    return safe


def _point_wire(time: int, value: DataValue | PlainWire) -> dict[str, Any]:
    """One stored value as a history answer writes it."""
    shown = value if isinstance(value, dict) else _value_wire(value)
    return {"time": format_time(time), "value": shown}


@attrs.frozen
class _Answer:
    """An operation's output already in wire form (see `Series.wires`): the converter passes
    it through as it is, instead of unstructuring a model value by value."""

    wire: dict[str, Any]


converter.register_unstructure_hook(_Answer, lambda answer: answer.wire)

PlainWire = dict[str, Any]
"""A plain value as the request carried it, one scalar member: `{"doubleValue": 1.5}` (a
finite double), `{"stringValue": ...}` or `{"booleanValue": ...}`. Equal, as stored, to the
`DataValue` it stands for (see `_plain_points`)."""

_PLAIN_MODELS: Mapping[str, Callable[[Any], DataValue]] = {
    "doubleValue": lambda item: DataValue(double_value=item),
    "stringValue": lambda item: DataValue(string_value=item),
    "booleanValue": lambda item: DataValue(boolean_value=item),
}


def _plain_model(wire: PlainWire) -> DataValue:
    ((member, item),) = wire.items()
    return _PLAIN_MODELS[member](item)


class Series(MutableMapping[int, DataValue | PlainWire]):
    """One property's values by time (integer nanoseconds since the epoch), kept sorted.

    Parallel lists, `times`, `stored` and `wires`, so that a range is found with `bisect` and
    appending in time order costs O(1). `stored` holds each value as a `DataValue`, or as the
    `PlainWire` a batch write carried (a write of plain values does not pay for models), made
    a `DataValue` the first time a reader asks for it (`value`, `data`, `self[time]`) and
    kept. `wires` holds each value as the history answer's JSON object (`{"time": ...,
    "value": {...}}`, non-finite doubles as strings), made the first time an answer shows it
    (None until then: a write does not pay for formatting values that may never be read),
    then kept: a history page is slices of these lists, with no work per value but
    `json.dumps`. They are shared by every answer, so nothing may change them.
    """

    __slots__ = ("stored", "times", "wires")

    def __init__(self) -> None:
        self.times: list[int] = []
        self.stored: list[DataValue | PlainWire] = []
        self.wires: list[dict[str, Any] | None] = []

    def value(self, index: int) -> DataValue:
        """The value at position `index` (of `times`), as a model."""
        found = self.stored[index]
        if isinstance(found, dict):
            found = self.stored[index] = _plain_model(found)
        return found

    @property
    def data(self) -> list[DataValue]:
        """Every value as a model, in time order (all of them made models now)."""
        stored = self.stored
        for index, found in enumerate(stored):
            if type(found) is dict:
                stored[index] = _plain_model(found)
        return stored  # type: ignore[return-value]  # no dict is left

    def _find(self, time: int) -> int:
        times = self.times
        if not times or time > times[-1]:
            return -1  # the common case of a write: a new instant, after every other
        index = bisect.bisect_left(times, time)
        return index if times[index] == time else -1

    def __getitem__(self, time: int) -> DataValue:
        index = self._find(time)
        if index < 0:
            raise KeyError(time)
        return self.value(index)

    def get(self, time: int, default: Any = None) -> Any:
        """The value at `time`, or `default`."""
        index = self._find(time)
        return default if index < 0 else self.value(index)

    def __contains__(self, time: object) -> bool:
        return isinstance(time, int) and self._find(time) >= 0

    def wire_slice(self, low: int, high: int) -> list[dict[str, Any]]:
        """The answer objects of the values at indices `low` to `high` (made if not yet)."""
        wires = self.wires
        if None in wires[low:high]:
            times, stored = self.times, self.stored
            for index in range(low, high):
                if wires[index] is None:
                    wires[index] = _point_wire(times[index], stored[index])
        return wires[low:high]  # type: ignore[return-value]  # None filled in just above

    def __setitem__(self, time: int, value: DataValue | PlainWire) -> None:
        times = self.times
        if not times or time > times[-1]:
            times.append(time)
            self.stored.append(value)
            self.wires.append(None)
            return
        index = bisect.bisect_left(times, time)
        if times[index] == time:
            self.stored[index] = value
            self.wires[index] = None
        else:
            times.insert(index, time)
            self.stored.insert(index, value)
            self.wires.insert(index, None)

    def append_later(
        self, times: Sequence[int], values: Sequence[DataValue | PlainWire]
    ) -> Callable[[], None] | None:
        """Append values at `times` when they rise strictly and follow every stored one (a
        backfill's batches do), in one step, and return how to undo that; otherwise change
        nothing and return None (set them one by one: some overwrite or go between)."""
        stored = self.times
        if (stored and times[0] <= stored[-1]) or not all(map(operator.lt, times, times[1:])):
            return None
        length = len(stored)
        stored.extend(times)
        self.stored.extend(values)
        self.wires.extend([None] * len(times))

        def undo() -> None:
            del self.times[length:], self.stored[length:], self.wires[length:]

        return undo

    def __delitem__(self, time: int) -> None:
        index = self._find(time)
        if index < 0:
            raise KeyError(time)
        del self.times[index]
        del self.stored[index]
        del self.wires[index]

    def __iter__(self) -> Iterator[int]:
        return iter(list(self.times))

    def __len__(self) -> int:
        return len(self.times)

    def __repr__(self) -> str:
        return f"<Series of {len(self)} values>"


def _box(ctx: Context, parent: MutableMapping[str, Any], key: str) -> dict[str, Any]:
    """`parent[key]`, a container, created (through the journal) when missing."""
    box: dict[str, Any] | None = parent.get(key)
    if box is None:
        box = {}
        ctx.journal.put(parent, key, box)
    return box


def _stored(ctx: Context, *keys: str) -> Any:
    node: Any = ctx.state.extra
    for key in keys:
        node = node.get(key)
        if node is None:
            return None
    return node


# --- references -----------------------------------------------------------------------------------


@attrs.frozen
class Target:
    """A resolved property: the entity, the component path, the name and the definition."""

    entity: EntityRecord
    path: str
    name: str
    definition: PropertyDefinitionResponse
    external_ids: Mapping[str, str] | None = None
    """Set to show `externalIdProperty` in the references of cross-entity answers."""

    @property
    def series_key(self) -> str:
        """The key of its `Series` under the entity."""
        return f"{self.path}:{self.name}"

    @property
    def order(self) -> tuple[str, str, str]:
        """Where its series sorts among others at one instant."""
        return (self.entity.entity_id, self.path, self.name)

    def reference(self) -> models.EntityPropertyReference:
        """The `EntityPropertyReference` the service answers with."""
        return models.EntityPropertyReference(
            entity_id=self.entity.entity_id,
            component_name=self.path.rsplit("/", 1)[-1],
            component_path=self.path if "/" in self.path else None,
            property_name=self.name,
            external_id_property=dict(self.external_ids) if self.external_ids else None,
        )


def _live_entity(ctx: Context, workspace_id: str, entity_id: str) -> EntityRecord:
    record: EntityRecord | None = ctx.state.entities.get(workspace_id, {}).get(entity_id)
    if record is None:
        raise not_found(f"Entity {entity_id} not found in workspace {workspace_id}")
    return record


def _component_of(
    entity: EntityRecord, name: str | None, path: str | None
) -> tuple[str, ComponentRecord]:
    where = path or name
    if where is None:
        raise validation("componentName or componentPath is required")
    component = entity.components.get(where)
    if component is None:
        raise not_found(f"Component {where} not found in entity {entity.entity_id}")
    return where, component


def _external_ids(resolver: TypeResolver, component: ComponentRecord) -> dict[str, str]:
    return {
        name: value.string_value
        for name, (definition, value) in component_values(resolver, component).items()
        if definition.is_external_id and value is not None and value.string_value is not None
    }


def _by_external_id(
    ctx: Context, resolver: TypeResolver, reference: models.EntityPropertyReference
) -> tuple[EntityRecord, str, ComponentRecord]:
    wanted = reference.external_id_property or {}
    entities = ctx.state.entities.get(resolver.workspace_id, {})
    found = []
    for entity in entities.values():
        if reference.entity_id not in (None, entity.entity_id):
            continue
        for path, component in entity.components.items():
            named = {reference.component_name, reference.component_path} - {None}
            if named - {path}:  # the reference names another component
                continue
            ids = _external_ids(resolver, component)
            if all(ids.get(k) == v for k, v in wanted.items()):
                found.append((entity, path, component))
    if not found:
        raise not_found(f"No component has the external ids {json.dumps(wanted, sort_keys=True)}")
    if len(found) > 1:
        raise validation(
            f"{len(found)} components have the external ids {json.dumps(wanted, sort_keys=True)}: "
            "name the entity or the component"
        )
    return found[0]


def _target(
    ctx: Context, resolver: TypeResolver, reference: models.EntityPropertyReference
) -> Target:
    if reference.external_id_property:
        entity, path, component = _by_external_id(ctx, resolver, reference)
    elif reference.entity_id is None:
        raise validation("entityPropertyReference needs entityId or externalIdProperty")
    else:
        entity = _live_entity(ctx, resolver.workspace_id, reference.entity_id)
        path, component = _component_of(entity, reference.component_name, reference.component_path)
    return _property_of(resolver, entity, path, component, reference.property_name)


def _property_of(
    resolver: TypeResolver,
    entity: EntityRecord,
    path: str,
    component: ComponentRecord,
    name: str,
    values: Mapping[str, Any] | None = None,
) -> Target:
    """The property `name` of a component; `values` are its `component_values`, when the
    caller already has them (they are merged with the component type's definitions)."""
    found = (values if values is not None else component_values(resolver, component)).get(name)
    if found is None:
        raise not_found(
            f"Property {name} not found in component {path} of entity {entity.entity_id}"
        )
    return Target(entity=entity, path=path, name=name, definition=found[0])


def _time_series(target: Target) -> Target:
    if not target.definition.is_time_series:
        raise validation(
            f"Property {target.name} of component {target.path} of entity "
            f"{target.entity.entity_id} is not a time-series property (isTimeSeries is false)"
        )
    return target


# --- times and values -----------------------------------------------------------------------------


def _time_ns(text: str, member: str) -> int:
    try:
        ns = parse_time(text)
    except ValidationError as error:
        raise validation(f"{member}: {error.problems[0].message}") from None
    if not MIN_NS <= ns <= MAX_NS:
        raise validation(f"{member}: expected a time in years 0001..9999 (UTC), got {text!r}")
    return ns


def _either(text: str | None, moment: datetime | None, name: str, deprecated: str) -> int | None:
    if text is not None and moment is not None:
        raise validation(f"give {name} or the deprecated {deprecated}, not both")
    if text is not None:
        return _time_ns(text, name)
    return None if moment is None else datetime_ns(moment)


def _value_time(value: models.PropertyValue) -> int:
    ns = _either(value.time, value.timestamp, "time", "timestamp")
    if ns is None:
        raise validation("time is required (or the deprecated timestamp)")
    return ns


_PLAIN: Mapping[str, str] = {
    Type.DOUBLE: "double_value",
    Type.STRING: "string_value",
    Type.BOOLEAN: "boolean_value",
}
"""Data types whose values need no check beyond their member (no range, nothing nested)."""


def _checked(value: DataValue, data_type: DataType) -> DataValue:
    if value.expression is not None:
        raise validation("value: a time-series value cannot be an expression")
    member = _PLAIN.get(data_type.type)
    if member is not None and not data_type.allowed_values:
        found = getattr(value, member)
        if isinstance(found, float) or (found is not None and member != "double_value"):
            return value  # the common case, already valid and normal: skip the generic walk
    problems = Problems()
    check_value(value, data_type, "value", problems)
    if problems:
        raise validation("; ".join(problems.messages()))
    return normalize_value(value)


# --- BatchPutPropertyValues -----------------------------------------------------------------------


def _error(
    code: str, message: str, entry: models.PropertyValueEntry
) -> models.BatchPutPropertyError:
    if len(message) > MAX_MESSAGE:
        message = message[: MAX_MESSAGE - 3] + "..."
    return models.BatchPutPropertyError(error_code=code, error_message=message, entry=entry)


def _points(
    entry: models.PropertyValueEntry, target: Target
) -> tuple[list[tuple[int, DataValue]], list[models.BatchPutPropertyError]]:
    points: list[tuple[int, DataValue]] = []
    errors: list[models.BatchPutPropertyError] = []
    for value in entry.property_values or ():
        point = _point(value, target.definition.data_type)
        if isinstance(point, ServiceFault):
            single = attrs.evolve(entry, property_values=[value])
            errors.append(_error(point.code, point.message, single))
        else:
            points.append(point)
    return points, errors


def _point(
    value: models.PropertyValue, data_type: DataType
) -> tuple[int, DataValue] | ServiceFault:
    """The time and checked value of one written value, or why it cannot be stored."""
    try:
        return _value_time(value), _checked(value.value, data_type)
    except ServiceFault as fault:
        return fault


def _series_for_write(ctx: Context, target: Target) -> Series:
    workspace_id, entity_id = target.entity.workspace_id, target.entity.entity_id
    values = _box(ctx, _box(ctx, ctx.state.extra, VALUES), workspace_id)
    generations = _box(ctx, _box(ctx, ctx.state.extra, GENERATIONS), workspace_id)
    if generations.get(entity_id) != target.entity.created:
        ctx.journal.put(values, entity_id, {})  # an earlier entity's values are not this one's
        ctx.journal.put(generations, entity_id, target.entity.created)
    series: Series | None = values[entity_id].get(target.series_key)
    if series is None:
        series = Series()
        ctx.journal.put(values[entity_id], target.series_key, series)
    return series


def _store(
    ctx: Context,
    target: Target,
    times: Sequence[int],
    values: Sequence[DataValue | PlainWire],
) -> None:
    """Put an entry's values at `times` into its series, through the journal."""
    series = _series_for_write(ctx, target)
    undo = series.append_later(times, values)
    if undo is None:
        ctx.journal.put_all(series, zip(times, values, strict=True))
    else:
        ctx.journal.changed(series, times, undo)


def _put_entry(
    ctx: Context, resolver: TypeResolver, entry: models.PropertyValueEntry
) -> list[models.BatchPutPropertyError]:
    """Store one entry; the errors that kept it out (none when it was stored)."""
    try:
        target = _time_series(_target(ctx, resolver, entry.entity_property_reference))
    except ServiceFault as fault:
        return [_error(fault.code, fault.message, entry)]
    if not entry.property_values:
        return [
            _error(
                "ValidationException",
                f"propertyValues: give 1 to {BATCH_MAX_VALUES_PER_ENTRY} values",
                entry,
            )
        ]
    points, errors = _points(entry, target)
    if errors:
        return errors
    if ctx.entry_fails():
        return [_error("InternalServerException", "injected by twinkit.local", entry)]
    _store(ctx, target, [time for time, _ in points], [value for _, value in points])
    return []


@handles("BatchPutPropertyValues")
def batch_put_property_values(
    ctx: Context, request: models.BatchPutPropertyValuesRequest
) -> models.BatchPutPropertyValuesResponse:
    """Store each good entry; report each bad one in `errorEntries`."""
    workspace_id = workspace_or_404(ctx, request.workspace_id).workspace_id
    resolver = TypeResolver(ctx, workspace_id)
    failed = [errors for entry in request.entries if (errors := _put_entry(ctx, resolver, entry))]
    return models.BatchPutPropertyValuesResponse(
        error_entries=[models.BatchPutPropertyErrorEntry(errors=errors) for errors in failed]
    )


# The fast path: py-spy of the emulator under a backfill showed structuring each request into
# models cost more than storing it. Most entries of a backfill are plain (below), and nothing
# about them needs a model: they are checked on the wire and stored as they came (`PlainWire`);
# every other entry is structured and stored by `_put_entry`, so errors and edge cases are
# the typed path's own. Both paths answer and store alike for every input
# (tests/local/test_batch_put_fast_path.py drives random batches through both).

_PLAIN_MEMBERS: Mapping[str, tuple[str, type[Any]]] = {
    Type.DOUBLE: ("doubleValue", float),
    Type.STRING: ("stringValue", str),
    Type.BOOLEAN: ("booleanValue", bool),
}
"""The wire member of each `_PLAIN` data type, and the type JSON gives its value."""


Components = dict[
    tuple[str, str | None, str | None],
    tuple[EntityRecord, str, ComponentRecord, Mapping[str, Any]],
]
"""The components one request's references resolved to (with their `component_values`), by
(entity id, componentName, componentPath)."""


def _plain_target(
    ctx: Context, resolver: TypeResolver, reference: Mapping[str, Any], seen: Components
) -> Target | None:
    """The time-series property a wire reference names by entity id; None when the typed
    path must resolve it (external ids) or report why it cannot. `seen` keeps the request's
    components: a batch usually writes many properties of one component."""
    entity_id, name = reference.get("entityId"), reference.get("propertyName")
    if entity_id is None or name is None or "externalIdProperty" in reference:
        return None
    key = (entity_id, reference.get("componentName"), reference.get("componentPath"))
    try:
        found = seen.get(key)
        if found is None:
            entity = _live_entity(ctx, resolver.workspace_id, entity_id)
            path, component = _component_of(entity, key[1], key[2])
            values = component_values(resolver, component)
            found = seen[key] = (entity, path, component, values)
        target = _property_of(resolver, *found[:3], name, found[3])
    except ServiceFault:
        return None
    return target if target.definition.is_time_series else None


def _plain_points(
    values: Sequence[Mapping[str, Any]], data_type: DataType
) -> tuple[list[int], list[PlainWire]] | None:
    """The instants and values of an entry whose values are all plain: a `time` string that
    parses (no deprecated `timestamp`) and one scalar member of the property's type that
    `_checked` keeps as it is (a finite double, a string, a boolean; no allowed values to
    check). None when one is not."""
    plain = _PLAIN_MEMBERS.get(data_type.type)
    if plain is None or data_type.allowed_values:
        return None
    member, kind = plain
    for item in values:
        text, value = item.get("time"), item.get("value")
        if len(item) != 2 or type(text) is not str or type(value) is not dict or len(value) != 1:
            return None
        found: Any = value.get(member)
        # Not finite (JSON's 1e999): the typed path's, answered as "Infinity" (PlainWire is
        # shown in answers as it is).
        if type(found) is not kind or (kind is float and not -math.inf < found < math.inf):
            return None
    try:
        times = [parse_time(item["time"]) for item in values]
    except ValidationError:
        return None
    if min(times) < MIN_NS or max(times) > MAX_NS:
        return None
    return times, [item["value"] for item in values]


def _put_plain_entry(
    ctx: Context, resolver: TypeResolver, entry: Mapping[str, Any], seen: Components
) -> list[models.BatchPutPropertyError] | None:
    """`_put_entry` for a wire entry of plain values; None when it is not one."""
    target = _plain_target(ctx, resolver, entry.get("entityPropertyReference") or {}, seen)
    values = entry.get("propertyValues")
    if target is None or not values:
        return None
    points = _plain_points(values, target.definition.data_type)
    if points is None:
        return None
    if ctx.entry_fails():
        typed = converter.structure_unchecked(entry, models.PropertyValueEntry)
        return [_error("InternalServerException", "injected by twinkit.local", typed)]
    _store(ctx, target, *points)
    return []


@handles_wire("BatchPutPropertyValues")
def batch_put_plain_values(
    ctx: Context, request: Mapping[str, Any]
) -> models.BatchPutPropertyValuesResponse:
    """`batch_put_property_values` on the validated wire request: plain entries stored as
    they came, every other one structured and stored by the typed path."""
    workspace_id = workspace_or_404(ctx, request["workspaceId"]).workspace_id
    resolver = TypeResolver(ctx, workspace_id)
    failed = []
    seen: Components = {}
    for entry in request["entries"]:
        errors = _put_plain_entry(ctx, resolver, entry, seen)
        if errors is None:
            typed = converter.structure_unchecked(entry, models.PropertyValueEntry)
            errors = _put_entry(ctx, resolver, typed)
        if errors:
            failed.append(errors)
    return models.BatchPutPropertyValuesResponse(
        error_entries=[models.BatchPutPropertyErrorEntry(errors=errors) for errors in failed]
    )


def _series_for_read(ctx: Context, target: Target) -> Series | None:
    workspace_id, entity_id = target.entity.workspace_id, target.entity.entity_id
    if _stored(ctx, GENERATIONS, workspace_id, entity_id) != target.entity.created:
        return None
    found: Series | None = _stored(ctx, VALUES, workspace_id, entity_id, target.series_key)
    return found


# --- filters --------------------------------------------------------------------------------------

_OPERATORS: Mapping[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq,
    "!=": operator.ne,
    "<>": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
_EQUALITY = frozenset({"=", "!=", "<>"})
_SCALARS = ("double_value", "integer_value", "long_value", "string_value", "boolean_value")

Predicate = Callable[[DataValue], bool]


def _comparable(value: DataValue) -> Any:
    """What a filter compares: the number, string or boolean, else the whole (normalized) value."""
    for member in _SCALARS:
        found = getattr(value, member)
        if found is not None:
            return found
    return normalize_value(value)


def _filter_fits(where: str, given: DataValue, data_type: DataType, op: str) -> None:
    kind = str(data_type.type)
    if op not in _EQUALITY and kind not in _ORDERED:
        raise validation(f"{where}.operator: {op} does not apply to a {kind} property")
    if kind in _NUMERIC:
        if all(getattr(given, m) is None for m in ("double_value", "integer_value", "long_value")):
            raise validation(f"{where}.value: expected a number for a {kind} property")
        return
    problems = Problems()
    check_value(given, attrs.evolve(data_type, allowed_values=None), "", problems)
    if problems:
        raise validation(f"{where}.value: {'; '.join(problems.messages())}")


def _predicate(where: str, item: models.PropertyFilter, data_type: DataType) -> Predicate:
    op, given = item.operator, item.value
    if op is None or op not in _OPERATORS:
        raise validation(f"{where}.operator: expected one of {' '.join(_OPERATORS)}, got {op!r}")
    if given is None:
        raise validation(f"{where}.value: is required")
    _filter_fits(where, given, data_type, op)
    compare, wanted = _OPERATORS[op], _comparable(given)
    return lambda value: bool(compare(_comparable(value), wanted))


def _predicates(
    filters: Sequence[models.PropertyFilter] | None,
    types: Mapping[str, DataType],
    member: str,
) -> dict[str, list[Predicate]]:
    """The filters of each property; every filtered property must be among `types`."""
    found: dict[str, list[Predicate]] = {}
    for index, item in enumerate(filters or ()):
        where = f"{member}[{index}]"
        name = item.property_name
        if name is None or name not in types:
            raise validation(f"{where}.propertyName: {name!r} is not selected")
        found.setdefault(name, []).append(_predicate(where, item, types[name]))
    return found


def _passes(predicates: Sequence[Predicate], value: DataValue) -> bool:
    return all(predicate(value) for predicate in predicates)


# --- GetPropertyValueHistory ----------------------------------------------------------------------

Position = tuple[int, tuple[str, str, str]]
"""Where a value sits in a history listing: its time and its series' order."""


@attrs.frozen
class _Window:
    """What one history page asks of every series."""

    start: int
    end: int
    descending: bool
    after: Position | None
    step: int | None
    """Interpolation interval in nanoseconds, or None."""


def _time_range(request: models.GetPropertyValueHistoryRequest) -> tuple[int, int]:
    start = _either(request.start_time, request.start_date_time, "startTime", "startDateTime")
    end = _either(request.end_time, request.end_date_time, "endTime", "endDateTime")
    if start is None:
        raise validation("startTime is required (or the deprecated startDateTime)")
    if end is None:
        raise validation("endTime is required (or the deprecated endDateTime)")
    if start > end:
        raise validation("startTime must not be after endTime")
    return start, end


def _step(
    interpolation: models.InterpolationParameters | None, definitions: Mapping[str, DataType]
) -> int | None:
    if interpolation is None:
        return None
    if interpolation.interpolation_type != models.InterpolationType.LINEAR:
        raise validation("interpolation.interpolationType: LINEAR is required")
    seconds = interpolation.interval_in_seconds
    if seconds is None or seconds < 1:
        raise validation("interpolation.intervalInSeconds: a whole number of seconds >= 1")
    for name, data_type in definitions.items():
        if str(data_type.type) not in _NUMERIC:
            raise validation(
                f"interpolation: property {name} is {data_type.type}; LINEAR interpolation "
                "needs DOUBLE, INTEGER or LONG"
            )
    return seconds * _NS


def _type_targets(
    ctx: Context, resolver: TypeResolver, request: models.GetPropertyValueHistoryRequest
) -> tuple[list[Target], dict[str, DataType]]:
    """Every selected series of every component of `componentTypeId` (or a subtype)."""
    type_id = str(request.component_type_id)
    effective = resolver.effective(type_id, deleting=True)
    if effective is None:
        raise not_found(f"Component type {type_id} not found in workspace {resolver.workspace_id}")
    types = {}
    for name in request.selected_properties:
        definition = effective.property_definitions.get(name)
        if definition is None:
            raise not_found(f"Property {name} not found in component type {type_id}")
        types[name] = definition.data_type
    targets = []
    live = ctx.state.entities.get(resolver.workspace_id, {})
    for entity in sorted(live.values(), key=lambda e: e.entity_id):
        for path, component in sorted(entity.components.items()):
            of_type = resolver.effective(component.component_type_id, deleting=True)
            if of_type is None or not of_type.is_a(type_id):
                continue
            ids = _external_ids(resolver, component)
            for name in request.selected_properties:
                target = _property_of(resolver, entity, path, component, name)
                targets.append(_time_series(attrs.evolve(target, external_ids=ids or None)))
    if not targets:  # still refuse a property that is not time-series
        for name in request.selected_properties:
            if not effective.property_definitions[name].is_time_series:
                raise validation(f"Property {name} is not a time-series property")
    return targets, types


def _entity_targets(
    ctx: Context, resolver: TypeResolver, request: models.GetPropertyValueHistoryRequest
) -> tuple[list[Target], dict[str, DataType]]:
    entity = _live_entity(ctx, resolver.workspace_id, str(request.entity_id))
    path, component = _component_of(entity, request.component_name, request.component_path)
    if request.component_type_id is not None:
        of_type = resolver.effective(component.component_type_id, deleting=True)
        if of_type is None or not of_type.is_a(request.component_type_id):
            raise validation(
                f"componentTypeId: component {path} is of type {component.component_type_id}"
            )
    values = component_values(resolver, component)
    targets = [
        _time_series(_property_of(resolver, entity, path, component, name, values))
        for name in request.selected_properties
    ]
    return targets, {t.name: t.definition.data_type for t in targets}


def _history_targets(
    ctx: Context, resolver: TypeResolver, request: models.GetPropertyValueHistoryRequest
) -> tuple[list[Target], dict[str, DataType]]:
    if len(set(request.selected_properties)) != len(request.selected_properties):
        raise validation("selectedProperties: a property is selected twice")
    if request.entity_id is not None:
        return _entity_targets(ctx, resolver, request)
    if request.component_type_id is not None:
        return _type_targets(ctx, resolver, request)
    raise validation("give entityId with componentName (or componentPath), or componentTypeId")


def _bound_to(request: Any) -> str:
    """What a token is bound to: the request's members but the page size and the token
    (as one string, made once per request: reading and writing a token both digest it)."""
    fields = attrs.fields(type(request))
    kept = (f.name for f in fields if f.name not in ("next_token", "max_results"))
    return repr((type(request).__name__, *((name, getattr(request, name)) for name in kept)))


def _read_position(token: str | None, bound_to: object) -> Position | None:
    if not token:
        return None
    try:
        time, entity_id, path, name = json.loads(decode_token(token, bound_to))
        return int(time), (str(entity_id), str(path), str(name))
    except (ValueError, TypeError):
        raise validation("nextToken is not a token this service issued") from None


def _write_position(position: Position, bound_to: object) -> str:
    return encode_token(json.dumps([position[0], *position[1]]), bound_to)


def _bounds(times: Sequence[int], order: tuple[str, str, str], window: _Window) -> tuple[int, int]:
    """The indices `[low, high)` of the stored values a page may show."""
    low = bisect.bisect_left(times, window.start)
    high = bisect.bisect_right(times, window.end)
    if window.after is not None:
        at, after_order = window.after
        at_included = order > after_order  # a later series at the same instant comes next
        if window.descending:
            high = min(
                high, (bisect.bisect_right if at_included else bisect.bisect_left)(times, at)
            )
        else:
            low = max(low, (bisect.bisect_left if at_included else bisect.bisect_right)(times, at))
    return low, max(low, high)


def _slice(times: Sequence[int], order: tuple[str, str, str], window: _Window) -> range:
    """The indices of the stored values a page may show, in page order."""
    low, high = _bounds(times, order, window)
    return range(high - 1, low - 1, -1) if window.descending else range(low, high)


def _reference_wire(target: Target) -> dict[str, Any]:
    """`target.reference()` as the wire has it, without building the model."""
    wire: dict[str, Any] = {
        "entityId": target.entity.entity_id,
        "componentName": target.path.rsplit("/", 1)[-1],
        "propertyName": target.name,
    }
    if "/" in target.path:
        wire["componentPath"] = target.path
    if target.external_ids:
        wire["externalIdProperty"] = dict(target.external_ids)
    return wire


def _stored_page(
    found: Sequence[tuple[int, Target, Series]], window: _Window, size: int
) -> tuple[dict[int, list[dict[str, Any]]], Position | None]:
    """A page of stored values (no filter, no interpolation) as slices of `Series.wires`.

    The page is the first `size` values in (time, series order), so each series shows a
    contiguous run of its values: find the time of the page's last value among each series'
    first `size + 1` candidates (one C sort of at most 201 x series ints), take every value
    before it, and at that instant the series in order until the page is full.
    """
    descending = window.descending
    runs = []
    candidates: list[int] = []
    for index, target, series in found:
        low, high = _bounds(series.times, target.order, window)
        if descending:
            firsts = series.times[max(low, high - size - 1) : high]
            candidates.extend(-t for t in firsts)
        else:
            firsts = series.times[low : min(high, low + size + 1)]
            candidates.extend(firsts)
        runs.append((target.order, index, series, low, high))
    candidates.sort()
    more = len(candidates) > size
    cutoff = candidates[size - 1] if more else None
    room = size - (bisect.bisect_left(candidates, cutoff) if cutoff is not None else 0)
    page: dict[int, list[dict[str, Any]]] = {}
    last: Position | None = None
    for order, index, series, low, high in sorted(runs, key=lambda run: run[0]):
        times = series.times
        if cutoff is None:
            count = high - low
        elif descending:  # values after -cutoff, then the one at it if there is room
            count = max(0, high - max(low, bisect.bisect_right(times, -cutoff)))
            if room and count < high - low and times[high - count - 1] == -cutoff:
                count, room, last = count + 1, room - 1, (-cutoff, order)
        else:
            count = max(0, min(high, bisect.bisect_left(times, cutoff)) - low)
            if room and count < high - low and times[low + count] == cutoff:
                count, room, last = count + 1, room - 1, (cutoff, order)
        if count:
            page[index] = (
                series.wire_slice(high - count, high)[::-1]
                if descending
                else series.wire_slice(low, low + count)
            )
    return page, (last if more else None)


def _stored_values(
    series: Series, order: tuple[str, str, str], window: _Window
) -> Iterator[tuple[int, str, DataValue]]:
    times = series.times
    for index in _slice(times, order, window):
        yield times[index], series.wire_slice(index, index + 1)[0]["time"], series.value(index)


def _grid(series: Series, order: tuple[str, str, str], window: _Window, step: int) -> range:
    """The indices `k` of the instants `start + k * step` a page may show, in page order."""
    first = max(window.start, series.times[0])
    last = min(window.end, series.times[-1])
    low = -((window.start - first) // step)  # ceil((first - start) / step)
    high = (last - window.start) // step
    if window.after is not None:
        at, after_order = window.after
        offset = at - window.start
        if window.descending:
            high = min(high, offset // step if order > after_order else -(-offset // step) - 1)
        else:
            low = max(low, -(-offset // step) if order > after_order else offset // step + 1)
    return range(high, low - 1, -1) if window.descending else range(low, high + 1)


def _interpolated(
    series: Series, order: tuple[str, str, str], window: _Window, step: int
) -> Iterator[tuple[int, str, DataValue]]:
    if not series.times:
        return
    times, value = series.times, series.value
    for k in _grid(series, order, window, step):
        time = window.start + k * step
        index = bisect.bisect_left(times, time)
        if times[index] == time:
            number = float(_comparable(value(index)))
        else:
            t0, t1 = times[index - 1], times[index]
            v0, v1 = float(_comparable(value(index - 1))), float(_comparable(value(index)))
            number = v0 + (v1 - v0) * ((time - t0) / (t1 - t0))
        yield time, format_time(time), DataValue(double_value=number)


Item = tuple[tuple[int, tuple[str, str, str]], int, str, DataValue]
"""A value on its way to a page: its merge key, its target's index, its time string, itself."""


def _stream(
    index: int, target: Target, series: Series, window: _Window, predicates: Sequence[Predicate]
) -> Iterator[Item]:
    """One series' values for the page, in page order."""
    order = target.order
    if window.step is None:
        found = _stored_values(series, order, window)
    else:
        found = _interpolated(series, order, window, window.step)
    sign = -1 if window.descending else 1
    for time, label, value in found:
        if not predicates or _passes(predicates, value):
            yield (sign * time, order), index, label, value


def _history_page(
    streams: list[Iterator[Item]], size: int, descending: bool
) -> tuple[list[Item], Position | None]:
    """The page's items, and the position of its last one when more follow."""
    merged = heapq.merge(*streams, key=lambda item: item[0])
    taken = list(itertools.islice(merged, size + 1))
    if len(taken) <= size:
        return taken, None
    (time, order) = taken[size - 1][0]
    return taken[:size], (-time if descending else time, order)


@handles("GetPropertyValueHistory")
def get_property_value_history(ctx: Context, request: models.GetPropertyValueHistoryRequest) -> Any:
    """A page of the selected series' values in the time range, merged in time order."""
    workspace_id = workspace_or_404(ctx, request.workspace_id).workspace_id
    resolver = TypeResolver(ctx, workspace_id)
    start, end = _time_range(request)
    targets, types = _history_targets(ctx, resolver, request)
    step = _step(request.interpolation, types)
    predicates = _predicates(request.property_filters, types, "propertyFilters")
    bound = _bound_to(request)
    window = _Window(
        start=start,
        end=end,
        descending=request.order_by_time == OrderByTime.DESCENDING,
        after=_read_position(request.next_token, bound),
        step=step,
    )
    size = request.max_results or DEFAULT_PAGE_SIZE
    found = [
        (index, target, series)
        for index, target in enumerate(targets)
        if (series := _series_for_read(ctx, target)) is not None
    ]
    pieces: dict[int, list[dict[str, Any]]]
    if step is None and not predicates:  # stored values as they are: slices of wire forms
        pieces, last = _stored_page(found, window, size)
    else:
        streams = [
            _stream(index, target, series, window, predicates.get(target.name, ()))
            for index, target, series in found
        ]
        page, last = _history_page(streams, size, window.descending)
        pieces = {}
        for _, index, label, value in page:
            pieces.setdefault(index, []).append({"time": label, "value": _value_wire(value)})
    wire: dict[str, Any] = {
        "propertyValues": [
            {"entityPropertyReference": _reference_wire(targets[index]), "values": pieces[index]}
            for index in sorted(pieces)
        ]
    }
    if last is not None:
        wire["nextToken"] = _write_position(last, bound)
    return _Answer(wire)


# --- GetPropertyValue -----------------------------------------------------------------------------


def _latest_component(
    ctx: Context, resolver: TypeResolver, request: models.GetPropertyValueRequest
) -> tuple[EntityRecord, str, ComponentRecord]:
    if request.entity_id is None:
        raise validation(
            "entityId is required: twinkit.local answers the latest values of one entity's "
            "component (use GetPropertyValueHistory with componentTypeId across entities)"
        )
    entity = _live_entity(ctx, resolver.workspace_id, request.entity_id)
    if request.component_name is not None or request.component_path is not None:
        path, component = _component_of(entity, request.component_name, request.component_path)
        return entity, path, component
    if request.component_type_id is None:
        raise validation("componentName, componentPath or componentTypeId is required")
    matches = []
    for path, component in sorted(entity.components.items()):
        of_type = resolver.effective(component.component_type_id, deleting=True)
        if of_type is not None and of_type.is_a(request.component_type_id):
            matches.append((path, component))
    if len(matches) != 1:
        raise validation(
            f"entity {entity.entity_id} has {len(matches)} components of type "
            f"{request.component_type_id}: name the component"
        )
    return entity, matches[0][0], matches[0][1]


def _latest(ctx: Context, target: Target, value: DataValue | None) -> DataValue | None:
    if not target.definition.is_time_series:
        return value
    series = _series_for_read(ctx, target)
    return series.value(-1) if series else None


def _selected(
    ctx: Context, resolver: TypeResolver, request: models.GetPropertyValueRequest
) -> list[tuple[Target, DataValue | None]]:
    entity, path, component = _latest_component(ctx, resolver, request)
    if len(set(request.selected_properties)) != len(request.selected_properties):
        raise validation("selectedProperties: a property is selected twice")
    values = component_values(resolver, component)
    chosen = []
    for name in request.selected_properties:
        target = _property_of(resolver, entity, path, component, name)
        chosen.append((target, _latest(ctx, target, values[name][1])))
    return chosen


@handles("GetPropertyValue")
def get_property_value(ctx: Context, request: models.GetPropertyValueRequest) -> Any:
    """The latest value of each selected property, or a page of a tabular property group."""
    return _Answer(_json_safe(converter.unstructure(_property_value(ctx, request))))


def _property_value(
    ctx: Context, request: models.GetPropertyValueRequest
) -> models.GetPropertyValueResponse:
    workspace_id = workspace_or_404(ctx, request.workspace_id).workspace_id
    resolver = TypeResolver(ctx, workspace_id)
    chosen = _selected(ctx, resolver, request)
    if request.property_group_name is not None:
        return _tabular(ctx, resolver, request, chosen)
    if request.tabular_conditions is not None:
        raise validation("tabularConditions: only apply with propertyGroupName")
    return models.GetPropertyValueResponse(
        property_values={
            target.name: models.PropertyLatestValue(
                property_reference=target.reference(), property_value=value
            )
            for target, value in chosen
        }
    )


# --- tabular property groups ----------------------------------------------------------------------

Row = dict[str, DataValue]


def _group_names(
    resolver: TypeResolver, entity: EntityRecord, path: str, group_name: str
) -> list[str]:
    component = entity.components[path]
    effective = resolver.effective(component.component_type_id, deleting=True)
    group: models.PropertyGroupResponse | models.ComponentPropertyGroupResponse | None
    group = component.property_groups.get(group_name)
    if group is None and effective is not None:
        group = effective.property_groups.get(group_name)
    if group is None:
        raise not_found(f"Property group {group_name} not found in component {path}")
    if group.group_type != models.GroupType.TABULAR:
        raise validation(f"propertyGroupName: {group_name} is not a TABULAR group")
    return list(group.property_names)


def _rows(ctx: Context, chosen: Sequence[tuple[Target, DataValue | None]]) -> list[tuple[int, Row]]:
    """One row per instant at which a selected time-series property has a value."""
    constant = {t.name: v for t, v in chosen if not t.definition.is_time_series and v is not None}
    by_time: dict[int, Row] = {}
    series_seen = False
    for target, _ in chosen:
        if not target.definition.is_time_series:
            continue
        series_seen = True
        series = _series_for_read(ctx, target)
        for time, value in zip(series.times, series.data, strict=True) if series else ():
            by_time.setdefault(time, dict(constant))[target.name] = value
    if not series_seen:
        return [(0, constant)] if constant else []
    return sorted(by_time.items(), key=lambda item: item[0])


SortKey = list[Any]


def _sort_key(row: tuple[int, Row], order_by: Sequence[models.OrderBy]) -> SortKey:
    key: SortKey = []
    for item in order_by:
        value = row[1].get(item.property_name)
        key.append([0, _comparable(value)] if value is not None else [1, 0])
    key.append(row[0])
    return key


def _compare(a: SortKey, b: SortKey, order_by: Sequence[models.OrderBy]) -> int:
    for index, item in enumerate(order_by):
        (a_missing, a_value), (b_missing, b_value) = a[index], b[index]
        if a_missing != b_missing:  # rows without the value come last either way
            return -1 if a_missing < b_missing else 1
        if a_value != b_value:
            smaller = -1 if a_value < b_value else 1
            return -smaller if item.order == models.Order.DESCENDING else smaller
    return int(a[-1] > b[-1]) - int(a[-1] < b[-1])


def _order_by(
    conditions: models.TabularConditions | None, types: Mapping[str, DataType]
) -> list[models.OrderBy]:
    order_by = list((conditions.order_by if conditions else None) or ())
    for index, item in enumerate(order_by):
        kind = types.get(item.property_name)
        if kind is None:
            raise validation(
                f"tabularConditions.orderBy[{index}].propertyName: "
                f"{item.property_name!r} is not selected"
            )
        if str(kind.type) not in _ORDERED | {Type.BOOLEAN}:
            raise validation(
                f"tabularConditions.orderBy[{index}]: cannot order by a {kind.type} property"
            )
    return order_by


def _tabular(
    ctx: Context,
    resolver: TypeResolver,
    request: models.GetPropertyValueRequest,
    chosen: Sequence[tuple[Target, DataValue | None]],
) -> models.GetPropertyValueResponse:
    target = chosen[0][0]
    names = _group_names(resolver, target.entity, target.path, str(request.property_group_name))
    for chosen_target, _ in chosen:
        if chosen_target.name not in names:
            raise validation(
                f"selectedProperties: {chosen_target.name} is not in property group "
                f"{request.property_group_name}"
            )
    types = {t.name: t.definition.data_type for t, _ in chosen}
    conditions = request.tabular_conditions
    member = "tabularConditions.propertyFilters"
    predicates = _predicates(conditions.property_filters if conditions else None, types, member)
    order_by = _order_by(conditions, types)
    rows = [
        row
        for row in _rows(ctx, chosen)
        if all(name in row[1] and _passes(p, row[1][name]) for name, p in predicates.items())
    ]
    compare = functools.partial(_compare, order_by=order_by)

    def by_key(a: tuple[SortKey, Any], b: tuple[SortKey, Any]) -> int:
        return compare(a[0], b[0])

    keyed = sorted(
        ((_sort_key(row, order_by), row) for row in rows), key=functools.cmp_to_key(by_key)
    )
    bound = _bound_to(request)
    if request.next_token:
        after = _read_sort_key(request.next_token, bound)
        keyed = [item for item in keyed if compare(item[0], after) > 0]
    size = request.max_results or DEFAULT_PAGE_SIZE
    page = keyed[:size]
    token = encode_token(json.dumps(page[-1][0]), bound) if len(keyed) > size else None
    return models.GetPropertyValueResponse(
        tabular_property_values=[[row for _, (_, row) in page]], next_token=token
    )


def _read_sort_key(token: str, bound_to: object) -> SortKey:
    try:
        key = json.loads(decode_token(token, bound_to))
    except ValueError:
        raise validation("nextToken is not a token this service issued") from None
    if not isinstance(key, list):
        raise validation("nextToken is not a token this service issued")
    return key
