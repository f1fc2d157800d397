"""Hypothesis strategies for TwinMaker wire values, derived from the generated `SHAPES` table.

`wire_values(shape_name)` draws a value exactly as boto3 takes or returns it for that shape:
camelCase keys, aware `datetime`s, `int` for integer/long, `float` or `int` for doubles and
any JSON for documents. Every drawn value honours the service model's constraints (lengths,
patterns, ranges, list/map sizes), so it is also a valid request where the shape is an
operation's input. Outside a request's tree a value may also carry what a newer service
would send: an enum value this model does not know, or a union member reported by botocore
as `{"SDK_UNKNOWN_MEMBER": {"name": ...}}`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta, timezone
from functools import cache
from typing import Any

from hypothesis import strategies as st

from twinkit._generated.tables import SHAPES
from twinkit._schema import (
    ListShape,
    MapShape,
    NumberShape,
    ScalarShape,
    Shape,
    StringShape,
    StructureShape,
)

__all__ = [
    "DOCUMENT_SHAPES",
    "MAX_COLLECTION",
    "MAX_DEPTH",
    "PATTERN_OVERRIDES",
    "STRUCTURE_SHAPES",
    "UNKNOWN_MEMBER_WIRE",
    "documents",
    "strings",
    "timestamps",
    "unknown_enum_values",
    "unknown_member_names",
    "wire_values",
]

UNKNOWN_MEMBER_WIRE = "SDK_UNKNOWN_MEMBER"

MAX_DEPTH = 3
"""How many recursive structures (`DataValue` in `DataValue`, `DataType` in `DataType`) nest."""

MAX_COLLECTION = 3
"""The most items drawn for a list or map (more only where the model demands a larger minimum)."""

MAX_STRING = 40
"""The longest string drawn for an unconstrained or loosely constrained string."""

STRUCTURE_SHAPES: tuple[str, ...] = tuple(
    name for name, shape in SHAPES.items() if isinstance(shape, StructureShape)
)
DOCUMENT_SHAPES: tuple[str, ...] = tuple(
    name
    for name, shape in SHAPES.items()
    if isinstance(shape, ScalarShape) and shape.kind == "document"
)

_INTEGER_RANGE = (-(2**31), 2**31 - 1)
_LONG_RANGE = (-(2**63), 2**63 - 1)
_EXACT_FLOAT_INTS = 2**53

# --- strings -------------------------------------------------------------------------------

_PARTITION = st.sampled_from(["aws", "aws-cn", "aws-us-gov"])
_S3_NAME = st.from_regex(r"[a-zA-Z0-9_-]{1,20}", fullmatch=True)


def _s3_arn(path: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(lambda p, rest: f"arn:{p}:s3:::{rest}", _PARTITION, path)


PATTERN_OVERRIDES: dict[str, Callable[[], st.SearchStrategy[str]]] = {
    # `.*(^arn:...)([...]+$).*`: the anchors inside the groups force both `.*` to match
    # nothing (bar one newline before the end, which `$` allows). `st.from_regex` gets there
    # only by rejection (about 20x slower than the other patterns, and near the health-check
    # limit); drawing the ARN directly is fast and reads well. (The other awkward patterns,
    # `A|^B` in EntityId/ParentEntityId/IdOrArn, `(^...$)` in Expression and the lookahead
    # in TagKey, `st.from_regex` handles well.)
    "S3Location": lambda: _s3_arn(_S3_NAME),
    "S3DestinationLocation": lambda: _s3_arn(
        st.from_regex(r"[/a-zA-Z0-9_-]{1,30}", fullmatch=True)
    ),
    "S3SourceLocation": lambda: _s3_arn(
        st.builds(
            lambda bucket, key: f"{bucket}/{key}",
            _S3_NAME,
            st.from_regex(r"[/.a-zA-Z0-9_-]{1,30}", fullmatch=True),
        )
    ),
}
"""Hand-written strategies, by shape name, for patterns `st.from_regex` handles poorly.
Every value drawn is still filtered through the shape's pattern and lengths, and
`test_strings_fit_their_shape` checks them against the validator."""

_ANY_TEXT = frozenset({".*", "[\\s\\S]+", "[\\s\\S]*"})
"""Patterns (read with DOTALL, as the validator does) that any text of the right length fits."""


def _compiled(pattern: str) -> re.Pattern[str]:
    # As the validator reads it: DOTALL, matched against the whole string.
    return re.compile(pattern, re.DOTALL)


def _fits(shape: StringShape) -> Callable[[str], bool]:
    low = shape.min_length or 0
    high = shape.max_length
    rx = _compiled(shape.pattern) if shape.pattern is not None else None

    def fits(value: str) -> bool:
        if len(value) < low or (high is not None and len(value) > high):
            return False
        return rx is None or rx.fullmatch(value) is not None

    return fits


def _constrained_strings(shape: StringShape) -> st.SearchStrategy[str]:
    low = shape.min_length or 0
    high = max(low, MAX_STRING)
    if shape.max_length is not None:
        high = min(shape.max_length, high)
    pattern = shape.pattern
    if shape.name in PATTERN_OVERRIDES:
        base: st.SearchStrategy[str] = PATTERN_OVERRIDES[shape.name]()
    elif pattern is None or pattern in _ANY_TEXT:
        base = st.text(min_size=low, max_size=high)
    else:
        base = st.from_regex(_compiled(pattern), fullmatch=True)
    return base.filter(_fits(shape))


@cache
def strings(shape_name: str, *, known_enums_only: bool = False) -> st.SearchStrategy[str]:
    """Strings of a string shape: within its lengths and pattern; for an enum mostly its
    values, and sometimes (unless `known_enums_only`) a value newer than the model."""
    shape = SHAPES[shape_name]
    assert isinstance(shape, StringShape), shape
    if shape.enum is None:
        return _constrained_strings(shape)
    known = st.sampled_from(shape.enum).filter(_fits(shape))
    if known_enums_only:
        return known
    return st.one_of(known, known, known, unknown_enum_values(shape_name))


@cache
def unknown_enum_values(shape_name: str) -> st.SearchStrategy[str]:
    """Values of an enum shape the model does not list (but that fit its other constraints)."""
    shape = SHAPES[shape_name]
    assert isinstance(shape, StringShape), shape
    assert shape.enum is not None, shape
    enum = frozenset(shape.enum)
    newer = st.from_regex(r"[A-Z][A-Z0-9_]{0,19}", fullmatch=True) | st.text(
        min_size=1, max_size=12
    )
    return newer.filter(lambda v: v not in enum).filter(_fits(shape))


def unknown_member_names(shape_name: str) -> st.SearchStrategy[str]:
    """Names botocore could report for a union member newer than the model."""
    shape = SHAPES[shape_name]
    assert isinstance(shape, StructureShape), shape
    known = {m.wire for m in shape.members}
    return st.from_regex(r"[a-z][A-Za-z0-9]{0,15}", fullmatch=True).filter(
        lambda n: n not in known and n != UNKNOWN_MEMBER_WIRE
    )


# --- scalars -------------------------------------------------------------------------------

_FIXED_OFFSETS = st.one_of(
    st.just(timezone.utc),
    st.sampled_from([timedelta(hours=h, minutes=m) for h, m in ((5, 30), (-8, 0), (14, 0))]).map(
        timezone
    ),
    st.integers(-(24 * 60 - 1), 24 * 60 - 1).map(lambda m: timezone(timedelta(minutes=m))),
)


def timestamps() -> st.SearchStrategy[Any]:
    """Aware datetimes, in UTC or at another fixed offset."""
    return st.datetimes(timezones=_FIXED_OFFSETS)


def documents() -> st.SearchStrategy[Any]:
    """Any JSON value, as a document shape (`QueryResultValue`) holds it."""
    leaves = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=10),
    )
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.lists(inner, max_size=MAX_COLLECTION),
            st.dictionaries(st.text(max_size=8), inner, max_size=MAX_COLLECTION),
        ),
        max_leaves=10,
    )


def _numbers(shape: NumberShape) -> st.SearchStrategy[Any]:
    if shape.kind == "double":
        low = shape.minimum
        high = shape.maximum
        floats = st.floats(
            min_value=None if low is None else float(low),
            max_value=None if high is None else float(high),
            allow_nan=False,
            allow_infinity=False,
        )
        # JSON gives an integral double as an int; it must come back as the same int.
        int_low = -_EXACT_FLOAT_INTS if low is None else max(-_EXACT_FLOAT_INTS, int(low))
        int_high = _EXACT_FLOAT_INTS if high is None else min(_EXACT_FLOAT_INTS, int(high))
        return st.one_of(floats, floats, st.integers(int_low, int_high))
    bounds = _INTEGER_RANGE if shape.kind == "integer" else _LONG_RANGE
    low = bounds[0] if shape.minimum is None else max(bounds[0], int(shape.minimum))
    high = bounds[1] if shape.maximum is None else min(bounds[1], int(shape.maximum))
    return st.integers(low, high)


# --- recursion -----------------------------------------------------------------------------


def _children(shape: Shape) -> tuple[str, ...]:
    if isinstance(shape, StructureShape):
        return tuple(m.shape for m in shape.members)
    if isinstance(shape, ListShape):
        return (shape.member,)
    if isinstance(shape, MapShape):
        return (shape.key, shape.value)
    return ()


@cache
def _reachable(name: str) -> frozenset[str]:
    seen: set[str] = set()
    todo = list(_children(SHAPES[name]))
    while todo:
        child = todo.pop()
        if child not in seen:
            seen.add(child)
            todo.extend(_children(SHAPES[child]))
    return frozenset(seen)


RECURSIVE_SHAPES: frozenset[str] = frozenset(
    name
    for name, shape in SHAPES.items()
    if isinstance(shape, StructureShape) and name in _reachable(name)
)
"""Structures that can contain themselves; each one entered counts towards `MAX_DEPTH`."""


@cache
def _recurses(name: str) -> bool:
    """Whether a value of `name` may hold a recursive structure (so is cut at the depth cap)."""
    return name in RECURSIVE_SHAPES or bool(_reachable(name) & RECURSIVE_SHAPES)


# --- the walk ------------------------------------------------------------------------------


def wire_values(shape_name: str, *, in_request: bool | None = None) -> st.SearchStrategy[Any]:
    """Wire values of `shape_name`, as boto3 takes or returns them.

    `in_request` defaults to the shape's own `request` flag: inside an operation's input
    every union has exactly one known member (no `SDK_UNKNOWN_MEMBER`, which validation
    refuses). Enum values the model does not know are drawn everywhere: the SDK sends them.
    """
    shape = SHAPES[shape_name]
    if in_request is None:
        in_request = isinstance(shape, StructureShape) and shape.request
    return _wire(shape_name, in_request, 0)


@cache
def _wire(name: str, in_request: bool, depth: int) -> st.SearchStrategy[Any]:
    shape = SHAPES[name]
    if isinstance(shape, StructureShape):
        return _structure(shape, in_request, depth)
    if isinstance(shape, StringShape):
        return strings(name)
    if isinstance(shape, NumberShape):
        return _numbers(shape)
    if isinstance(shape, ListShape):
        low, high = _sizes(shape.min_items, shape.max_items, shape.member, depth)
        return st.lists(_wire(shape.member, in_request, depth), min_size=low, max_size=high)
    if isinstance(shape, MapShape):
        low, high = _sizes(shape.min_items, shape.max_items, shape.value, depth)
        return st.dictionaries(
            _wire(shape.key, in_request, depth),
            _wire(shape.value, in_request, depth),
            min_size=low,
            max_size=high,
        )
    if shape.kind == "boolean":
        return st.booleans()
    if shape.kind == "timestamp":
        return timestamps()
    if shape.kind == "document":
        return documents()
    raise AssertionError(f"unknown shape kind: {shape!r}")


def _sizes(low: int | None, high: int | None, item: str, depth: int) -> tuple[int, int]:
    low = low or 0
    cap = MAX_COLLECTION if high is None else min(high, MAX_COLLECTION)
    if depth >= MAX_DEPTH and _recurses(item):
        cap = 0
    return low, max(low, cap)


def _one_member(wire: str) -> Callable[[Any], dict[str, Any]]:
    return lambda value: {wire: value}


def _structure(shape: StructureShape, in_request: bool, depth: int) -> st.SearchStrategy[Any]:
    in_request = in_request or shape.request
    if shape.name in RECURSIVE_SHAPES:
        depth += 1
    capped = depth >= MAX_DEPTH

    def member(m_shape: str) -> st.SearchStrategy[Any]:
        return _wire(m_shape, in_request, depth)

    if shape.union:
        members = shape.members
        if capped:
            # At the cap, only members that cannot nest further (or nest as an empty list/map).
            members = tuple(m for m in members if not _recurses(m.shape)) or members
        options = [member(m.shape).map(_one_member(m.wire)) for m in members]
        if not in_request:
            options.append(
                unknown_member_names(shape.name).map(lambda n: {UNKNOWN_MEMBER_WIRE: {"name": n}})
            )
        return st.one_of(options)

    required = {m.wire: member(m.shape) for m in shape.members if m.required}
    optional = {
        m.wire: member(m.shape)
        for m in shape.members
        if not m.required and not (capped and _recurses(m.shape))
    }
    return st.fixed_dictionaries(required, optional=optional)
