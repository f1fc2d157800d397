"""Hook factories that teach a cattrs converter the wire format of boto3's dicts.

Every hook is built once per type from the generated tables (`_tables.SHAPES`), never by
reflecting per call:

- structures: cattrs' generated dict hooks with the wire names as renames; absent members
  stay absent (`None`), and nothing `None` is emitted;
- unions: the same, plus botocore's `SDK_UNKNOWN_MEMBER` for a member newer than the model;
- primitives: strict (cattrs' defaults would turn `"false"` into `True` and `1.9` into `1`);
  a double also reads `"NaN"`, `"Infinity"` and `"-Infinity"`, as botocore sends them;
- enums: known values become members, unknown values stay `str`, both ways;
- timestamps: aware `datetime`s (a naive one is an error); documents: any JSON, as is.
"""

from __future__ import annotations

import threading
import types
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any, TypeVar, Union, get_args, get_origin

import attrs
from cattrs import Converter
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from twinkit._generated.tables import SHAPES
from twinkit._modelbase import JsonValue, Model, WireEnum
from twinkit._schema import NumberShape, ScalarShape, StringShape, StructureShape
from twinkit._service import MAX_NESTING, NON_FINITE, SDK_UNKNOWN_MEMBER
from twinkit._validate import TOO_DEEP, WrongType

T = TypeVar("T")

UNKNOWN_MEMBER_WIRE = SDK_UNKNOWN_MEMBER
UNKNOWN_MEMBER_ATTR = "unknown_member"


class WireTypeError(TypeError):
    """A wire value of the wrong type; the converter turns it into a `ValidationError`."""


def _type_name(value: object) -> str:
    return type(value).__name__


def _structure_str(value: Any, _: Any) -> str:
    if isinstance(value, str):
        return value
    raise WireTypeError(f"expected a string, got {_type_name(value)}")


def _structure_bool(value: Any, _: Any) -> bool:
    if value is True or value is False:
        return bool(value)
    raise WireTypeError(f"expected a boolean, got {_type_name(value)}")


def _structure_int(value: Any, _: Any) -> int:
    if type(value) is int:
        return value
    raise WireTypeError(f"expected an integer, got {_type_name(value)}")


def _structure_float(value: Any, _: Any) -> float:
    # An integral JSON number is a valid double; it is kept as it came, so it round-trips.
    if type(value) is float or type(value) is int:
        return value
    if type(value) is str:
        found = NON_FINITE.get(value)
        if found is not None:
            return found
        raise WireTypeError(f"expected a number or NaN, Infinity, -Infinity; got str {value!r}")
    raise WireTypeError(f"expected a number, got {_type_name(value)}")


def _structure_datetime(value: Any, _: Any) -> datetime:
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise WireTypeError("expected an aware datetime, got a naive one")
        return value
    if type(value) is int or type(value) is float:
        # REST-JSON sends timestamps as epoch seconds.
        return datetime.fromtimestamp(value, tz=timezone.utc)
    raise WireTypeError(f"expected a datetime, got {_type_name(value)}")


def _nests_deeper(value: object, limit: int) -> bool:
    """Whether `value` nests dicts and lists deeper than `limit` levels (itself level 1).

    Iterative, and it stops descending past the limit, so neither a deep nor a cyclic value
    can exhaust the stack here.
    """
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        items = node.values() if isinstance(node, Mapping) else node
        for item in items:
            if isinstance(item, (Mapping, list)):
                stack.append((item, depth + 1))
    return False


class _UnionDepth(threading.local):
    """How many unions this thread is structuring, one inside another, and whether the
    outermost one's nesting was checked."""

    depth = 0
    checked = False


_unions = _UnionDepth()

_CHECK_AT = 32
"""A union this many unions deep has the outermost one check its value's nesting.

A union is how wire values nest without bound (a DataValue's lists and maps, two levels
each), so a value past MAX_NESTING always reaches this depth; most values never do, and are
never walked twice."""


class DeepUnion(Exception):
    """A union `_CHECK_AT` unions deep: the outermost union checks its value, then retries."""


def _passthrough(value: Any, _: Any = None) -> Any:
    return value


def _enum_args(tp: Any) -> tuple[type[WireEnum], bool] | None:
    """For `E | str` or `E | str | None`, return `(E, optional)`; otherwise None."""
    if get_origin(tp) not in (Union, types.UnionType):
        return None
    args = get_args(tp)
    enums = [a for a in args if isinstance(a, type) and issubclass(a, WireEnum)]
    if len(enums) != 1 or str not in args:
        return None
    if set(args) - {enums[0], str, type(None)}:
        return None
    return enums[0], type(None) in args


def _make_enum_structure(tp: Any) -> Callable[[Any, Any], Any]:
    found = _enum_args(tp)
    assert found is not None
    lookup = found[0]._value2member_map_

    def structure_enum(value: Any, _: Any) -> Any:
        if isinstance(value, str):
            return lookup.get(value, value)
        if value is None and found[1]:
            return None
        raise WireTypeError(f"expected a string, got {_type_name(value)}")

    return structure_enum


def _optional_inner(tp: Any) -> Any:
    """For `X | None` (one X, not an enum union), X; otherwise None."""
    if get_origin(tp) not in (Union, types.UnionType):
        return None
    args = get_args(tp)
    if len(args) != 2 or type(None) not in args:
        return None
    return args[0] if args[1] is type(None) else args[1]


def _make_optional_structure(converter: Converter) -> Callable[[Any], Callable[[Any, Any], Any]]:
    # cattrs' own Optional hook looks the inner hook up on every call; this one looks it up
    # once, which matters for DataValue, a union of nine optional members.
    def factory(tp: Any) -> Callable[[Any, Any], Any]:
        inner = _optional_inner(tp)
        hook = converter.get_structure_hook(inner)

        def structure_optional(value: Any, _: Any) -> Any:
            return None if value is None else hook(value, inner)

        return structure_optional

    return factory


def _unstructure_enum(value: Any) -> Any:
    return value.value if isinstance(value, WireEnum) else value


def _shape_of(cls: type) -> StructureShape:
    shape = SHAPES[cls.__name__]
    assert isinstance(shape, StructureShape)
    return shape


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, Model) and attrs.has(tp)


def _renames(cls: type) -> dict[str, Any]:
    return {m.attr: override(rename=m.wire) for m in _shape_of(cls).members}


def _scalar_members(shape: StructureShape) -> dict[str, tuple[str, Callable[[Any, Any], Any]]]:
    """wire name -> (attribute, strict hook) for a structure's plain scalar members."""
    scalars: dict[str, tuple[str, Callable[[Any, Any], Any]]] = {}
    for member in shape.members:
        target = SHAPES[member.shape]
        if isinstance(target, StringShape) and target.enum is None:
            scalars[member.wire] = (member.attr, _structure_str)
        elif isinstance(target, NumberShape):
            hook = _structure_float if target.kind == "double" else _structure_int
            scalars[member.wire] = (member.attr, hook)
        elif isinstance(target, ScalarShape) and target.kind == "boolean":
            scalars[member.wire] = (member.attr, _structure_bool)
    return scalars


def _make_structure(converter: Converter) -> Callable[[type], Callable[[Any, Any], Any]]:
    def factory(cls: type) -> Callable[[Any, Any], Any]:
        shape = _shape_of(cls)
        renames = _renames(cls)
        if not shape.union:
            return make_dict_structure_fn(cls, converter, **renames)
        renames[UNKNOWN_MEMBER_ATTR] = override(omit=True)
        base: Callable[[Any, Any], Any] = make_dict_structure_fn(cls, converter, **renames)
        wire_names = tuple(m.wire for m in shape.members)
        scalars = _scalar_members(shape)

        def structure_union(value: Any, _: Any) -> Any:
            # Most union values on the wire are one scalar (a double, a string): build those
            # directly, skipping the generic hook. Anything else takes the general path.
            if type(value) is dict and len(value) == 1:
                ((key, item),) = value.items()
                fast = scalars.get(key)
                if fast is not None:
                    return cls(**{fast[0]: fast[1](item, None)})
            if (
                isinstance(value, Mapping)
                and UNKNOWN_MEMBER_WIRE in value
                and any(value.get(n) is not None for n in wire_names)
            ):
                # A known member and a newer one: two members. `base` would keep the known one
                # and silently drop the other (it omits `unknown_member`), so refuse, as the
                # validator does.
                raise WireTypeError("expected exactly one member, got a known one and a newer one")
            depth = _unions.depth
            if depth == 0:
                return outermost(value)
            if depth >= _CHECK_AT and not _unions.checked:
                raise DeepUnion
            _unions.depth = depth + 1
            try:
                return general(value)
            finally:
                _unions.depth = depth

        def outermost(value: Any) -> Any:
            # Nesting is checked here, iteratively, only for a value whose unions nest
            # `_CHECK_AT` deep: cattrs recurses, and must not recurse past MAX_NESTING.
            _unions.depth, _unions.checked = 1, False
            try:
                try:
                    return general(value)
                except DeepUnion:
                    pass
                if _nests_deeper(value, MAX_NESTING):
                    raise WireTypeError(TOO_DEEP) from None
                _unions.depth, _unions.checked = 1, True
                return general(value)
            finally:
                _unions.depth, _unions.checked = 0, False

        def general(value: Any) -> Any:
            try:
                return base(value, cls)
            except DeepUnion:
                raise
            except Exception:
                # A union that holds no member this model knows: botocore reports the newer
                # member's name, or (for DataValue, which the model does not mark as a union)
                # drops it. Either way the value is kept, not refused.
                if not isinstance(value, Mapping) or any(n in value for n in wire_names):
                    raise
                unknown = value.get(UNKNOWN_MEMBER_WIRE)
                name = unknown.get("name") if isinstance(unknown, Mapping) else None
                return cls(**{UNKNOWN_MEMBER_ATTR: name if isinstance(name, str) else ""})

        return structure_union

    return factory


def _make_unstructure(converter: Converter) -> Callable[[type], Callable[[Any], Any]]:
    def factory(cls: type) -> Callable[[Any], Any]:
        shape = _shape_of(cls)
        renames = _renames(cls)
        if not shape.union:
            return make_dict_unstructure_fn(cls, converter, _cattrs_omit_if_default=True, **renames)
        renames[UNKNOWN_MEMBER_ATTR] = override(omit=True)
        base: Callable[[Any], dict[str, Any]] = make_dict_unstructure_fn(
            cls, converter, _cattrs_omit_if_default=True, **renames
        )

        scalars = tuple((m.attr, m.wire) for m in shape.members if m.wire in _scalar_members(shape))

        def unstructure_union(obj: Any) -> dict[str, Any]:
            # A union holds exactly one member (checked when it was built), so the first
            # scalar member set is the whole value.
            for attr, wire_name in scalars:
                scalar = getattr(obj, attr)
                if scalar is not None:
                    return {wire_name: scalar}
            wire = base(obj)
            if obj.unknown_member:
                wire[UNKNOWN_MEMBER_WIRE] = {"name": obj.unknown_member}
            return wire

        return unstructure_union

    return factory


def configure_converter(converter: Converter) -> None:
    """Teach `converter` the TwinMaker wire format (boto3's dicts) for every model.

    Use it on a converter of your own to add hooks without touching twinkit's:

    ```python
    import cattrs
    from twinkit.wire import configure_converter

    mine = cattrs.Converter()
    configure_converter(mine)
    ```
    """
    converter.register_structure_hook(str, _structure_str)
    converter.register_structure_hook(bool, _structure_bool)
    converter.register_structure_hook(int, _structure_int)
    converter.register_structure_hook(float, _structure_float)
    converter.register_structure_hook(datetime, _structure_datetime)
    converter.register_unstructure_hook(datetime, _passthrough)
    converter.register_structure_hook_func(lambda t: t is JsonValue, _passthrough)
    converter.register_unstructure_hook_func(lambda t: t is JsonValue, _passthrough)
    converter.register_structure_hook_factory(
        lambda t: _optional_inner(t) is not None, _make_optional_structure(converter)
    )
    converter.register_structure_hook_factory(
        lambda t: _enum_args(t) is not None, _make_enum_structure
    )
    converter.register_unstructure_hook_func(lambda t: _enum_args(t) is not None, _unstructure_enum)
    converter.register_structure_hook_factory(_is_model, _make_structure(converter))
    converter.register_unstructure_hook_factory(_is_model, _make_unstructure(converter))


def make_checking_hooks(converter: Converter) -> None:
    """Make `converter` tolerate wrong types while unstructuring, for the validator to report."""
    unstructure = _make_unstructure(converter)

    def factory(cls: type) -> Callable[[Any], Any]:
        base = unstructure(cls)

        def checked(obj: Any) -> Any:
            if type(obj) is not cls:
                return WrongType(obj, cls.__name__)
            return base(obj)

        return checked

    converter.register_unstructure_hook_factory(_is_model, factory)
