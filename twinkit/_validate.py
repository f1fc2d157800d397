"""One walker over wire dicts: the service model's constraints -> `Problem`s with paths.

The SDK runs it on every request model (`twinkit.wire.checked_request_wire`) and on wire
data the converter could not structure; the emulator runs it on every request it receives. It
collects every problem before anyone raises, so one error names every bad field.

It only runs on values that `twinkit._fastcheck` does not vouch for: nearly all values are
valid, and a generated check that builds no path strings says so in a fraction of the time.
The walker stays the one source of problems and messages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import datetime
from functools import cache
from typing import Any

import attrs

from twinkit._fastcheck import is_valid
from twinkit._generated.tables import SHAPES
from twinkit._schema import (
    ListShape,
    MapShape,
    NumberShape,
    ScalarShape,
    StringShape,
    StructureShape,
)
from twinkit._service import INTEGER_RANGE, LONG_RANGE, MAX_NESTING, SDK_UNKNOWN_MEMBER
from twinkit.errors import Problem

__all__ = [
    "REFERS_TO_ITSELF",
    "REQUEST",
    "RESPONSE",
    "TOO_DEEP",
    "Checks",
    "WrongType",
    "find_problems",
    "nesting_problem",
]

TOO_DEEP = f"nests deeper than {MAX_NESTING} levels of lists and maps (arrays and objects)"
"""The message for a value past `twinkit._service.MAX_NESTING`."""

REFERS_TO_ITSELF = "refers to itself (a list or dict that contains itself cannot be converted)"
"""The message for a cyclic value: a container found inside itself."""


@attrs.frozen
class Checks:
    """Which rules to apply.

    Attributes:
        constraints: Lengths, patterns, ranges, sizes, unions with no member and unknown
            members: what the service checks on a request. Off for responses, which a newer
            service may fill in ways this model does not foresee.
        enums: Refuse values outside an enum. The SDK leaves this off so that values added
            by a newer service can be sent; the emulator, being the service, turns it on.
    """

    constraints: bool = True
    enums: bool = False


@attrs.frozen
class WrongType:
    """Stands in, in a wire dict being checked, for a value that is not the model expected."""

    value: object
    expected: str


REQUEST = Checks()
RESPONSE = Checks(constraints=False)


def _describe(value: object) -> str:
    if isinstance(value, str):
        text = repr(value)
        return text if len(text) <= 42 else text[:38] + "...'"
    if isinstance(value, (bool, int, float)) or value is None:
        return repr(value)
    return type(value).__name__


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


_WIRE_NAMES: dict[str, frozenset[str]] = {}


def _wire_names(shape: StructureShape) -> frozenset[str]:
    """The wire names of a structure's members, computed once per shape."""
    names = _WIRE_NAMES.get(shape.name)
    if names is None:
        names = _WIRE_NAMES[shape.name] = frozenset(m.wire for m in shape.members)
    return names


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.DOTALL)


def _is_container(value: object) -> bool:
    return isinstance(value, (Mapping, list, tuple)) or (
        attrs.has(type(value)) and not isinstance(value, type)
    )


def _children(value: object) -> Iterator[tuple[object, str, str]]:
    """The items of a container that are containers: (item, Python step, wire step)."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            if _is_container(item):
                yield item, f"[{key!r}]", f"[{key!r}]"
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            if _is_container(item):
                yield item, f"[{index}]", f"[{index}]"
    elif attrs.has(model := type(value)):
        shape = SHAPES.get(model.__name__)
        wire_names = (
            {m.attr: m.wire for m in shape.members} if isinstance(shape, StructureShape) else {}
        )
        for field in attrs.fields(model):
            item = getattr(value, field.name, None)
            if _is_container(item):
                yield item, f".{field.name}", f".{wire_names.get(field.name, field.name)}"


def nesting_problem(value: object, path: str, wire: str = "") -> Problem | None:
    """Where `value` first refers to itself or nests deeper than `MAX_NESTING`, if it does.

    Walks lists, tuples, mappings and models iteratively (it cannot itself run out of stack),
    counting each as one level, `value` being level 1: the count the emulator applies to a
    request body. Meant for the error path, after a conversion ran out of stack.

    Args:
        value: A Python value, a wire dict or a model.
        path: The Python path of `value` (`value`, `CreateEntityRequest`).
        wire: The wire path of `value` (empty at the root of a request).
    """
    if not _is_container(value):
        return None
    on_path = {id(value)}
    stack = [(value, path, wire, 1, _children(value))]
    while stack:
        node, node_path, node_wire, depth, children = stack[-1]
        found = next(children, None)
        if found is None:
            stack.pop()
            on_path.discard(id(node))
            continue
        child, step, wire_step = found
        child_path = node_path + step
        child_wire = node_wire + wire_step if node_wire or wire_step[0] == "[" else wire_step[1:]
        if id(child) in on_path:
            return Problem(child_path, child_wire, REFERS_TO_ITSELF)
        if depth + 1 > MAX_NESTING:
            return Problem(child_path, child_wire, TOO_DEEP)
        on_path.add(id(child))
        stack.append((child, child_path, child_wire, depth + 1, _children(child)))
    return None


class _Walker:
    def __init__(self, checks: Checks) -> None:
        self.checks = checks
        self.problems: list[Problem] = []
        # Levels of arrays and objects entered, as the emulator counts a body's: past
        # MAX_NESTING the walk stops (a deep or cyclic value cannot exhaust the stack).
        self.depth = 0

    def too_deep(self, value: Any, path: str, wire: str) -> None:
        """Report a value past the limit: as a cycle when it contains itself."""
        problem = nesting_problem(value, path, wire)
        if problem is not None and problem.message == REFERS_TO_ITSELF:
            self.problems.append(problem)
        else:
            self.report(path, wire, TOO_DEEP)

    def report(self, path: str, wire_path: str, message: str) -> None:
        self.problems.append(Problem(path, wire_path, message))

    def walk(self, value: Any, shape_name: str, path: str, wire: str) -> None:
        shape = SHAPES[shape_name]
        if isinstance(shape, StructureShape):
            self.structure(value, shape, path, wire)
        elif isinstance(shape, StringShape):
            self.string(value, shape, path, wire, what="")
        elif isinstance(shape, NumberShape):
            self.number(value, shape, path, wire)
        elif isinstance(shape, ListShape):
            self.list(value, shape, path, wire)
        elif isinstance(shape, MapShape):
            self.map(value, shape, path, wire)
        else:
            self.scalar(value, shape, path, wire)

    def structure(self, value: Any, shape: StructureShape, path: str, wire: str) -> None:
        if isinstance(value, WrongType):
            self.report(path, wire, f"expected {value.expected}, got {_describe(value.value)}")
            return
        if type(value) is not dict and not isinstance(value, Mapping):
            self.report(path, wire, f"expected an object, got {_describe(value)}")
            return
        if self.depth >= MAX_NESTING:
            self.too_deep(value, path, wire)
            return
        self.depth += 1
        known = 0
        chosen = []
        for member in shape.members:
            item = value.get(member.wire)
            # Paths are built only for members present or missing-but-required: most union
            # members are absent, and a request may hold thousands of unions.
            if item is None:
                if member.required:
                    member_wire = f"{wire}.{member.wire}" if wire else member.wire
                    self.report(f"{path}.{member.attr}", member_wire, "required member is missing")
                continue
            known += 1
            chosen.append(member.attr)
            member_wire = f"{wire}.{member.wire}" if wire else member.wire
            self.walk(item, member.shape, f"{path}.{member.attr}", member_wire)
        if self.checks.constraints or shape.union:
            names = _wire_names(shape)
            for key in value:
                if key in names:
                    continue
                if shape.union and key == SDK_UNKNOWN_MEMBER and not self.checks.constraints:
                    known += 1
                    continue
                if self.checks.constraints:
                    step = f".{key}" if isinstance(key, str) else f"[{key!r}]"
                    wire_step = f"{wire}{step}" if wire else step[1:]
                    self.report(path + step, wire_step, "unknown member")
        if shape.union and (known > 1 or (known == 0 and self.checks.constraints)):
            detail = f" ({', '.join(chosen)})" if chosen else ""
            self.report(path, wire, f"expected exactly one member, got {known}{detail}")
        self.depth -= 1

    def string(self, value: Any, shape: StringShape, path: str, wire: str, what: str) -> None:
        if not isinstance(value, str):
            self.report(path, wire, f"expected {what}a string, got {_describe(value)}")
            return
        if self.checks.enums and shape.enum is not None and value not in shape.enum:
            allowed = ", ".join(shape.enum)
            self.report(path, wire, f"expected {what}one of {allowed}; got {_describe(value)}")
            return
        if not self.checks.constraints:
            return
        length = len(value)
        if shape.min_length is not None and length < shape.min_length:
            self.report(
                path,
                wire,
                f"expected {what}at least {_plural(shape.min_length, 'character')}, got {length}",
            )
        elif shape.max_length is not None and length > shape.max_length:
            self.report(
                path,
                wire,
                f"expected {what}at most {_plural(shape.max_length, 'character')}, got {length}",
            )
        elif shape.pattern is not None and not _compiled(shape.pattern).fullmatch(value):
            self.report(
                path,
                wire,
                f"expected {what}a string matching '{shape.pattern}', got {_describe(value)}",
            )

    def number(self, value: Any, shape: NumberShape, path: str, wire: str) -> None:
        if shape.kind == "double":
            if type(value) is str and value in ("NaN", "Infinity", "-Infinity"):
                return  # how JSON carries a non-finite double (botocore sends these)
            if type(value) is not float and type(value) is not int:
                self.report(path, wire, f"expected a number, got {_describe(value)}")
                return
        elif type(value) is not int:
            self.report(path, wire, f"expected an integer, got {_describe(value)}")
            return
        if not self.checks.constraints:
            return
        low, high = shape.minimum, shape.maximum
        if shape.kind != "double":
            bounds = INTEGER_RANGE if shape.kind == "integer" else LONG_RANGE
            low = bounds[0] if low is None else low
            high = bounds[1] if high is None else high
        if (low is not None and value < low) or (high is not None and value > high):
            span = (
                f"between {low} and {high}"
                if low is not None and high is not None
                else (f"at least {low}" if low is not None else f"at most {high}")
            )
            self.report(path, wire, f"expected a value {span}, got {value!r}")

    def _size(self, count: int, low: int | None, high: int | None, path: str, wire: str) -> None:
        if low is not None and count < low:
            self.report(path, wire, f"expected at least {_plural(low, 'item')}, got {count}")
        elif high is not None and count > high:
            self.report(path, wire, f"expected at most {_plural(high, 'item')}, got {count}")

    def list(self, value: Any, shape: ListShape, path: str, wire: str) -> None:
        if not isinstance(value, (list, tuple)):
            self.report(path, wire, f"expected a list, got {_describe(value)}")
            return
        if self.depth >= MAX_NESTING:
            self.too_deep(value, path, wire)
            return
        if self.checks.constraints:
            self._size(len(value), shape.min_items, shape.max_items, path, wire)
        self.depth += 1
        for index, item in enumerate(value):
            self.walk(item, shape.member, f"{path}[{index}]", f"{wire}[{index}]")
        self.depth -= 1

    def map(self, value: Any, shape: MapShape, path: str, wire: str) -> None:
        if not isinstance(value, Mapping):
            self.report(path, wire, f"expected an object, got {_describe(value)}")
            return
        if self.depth >= MAX_NESTING:
            self.too_deep(value, path, wire)
            return
        if self.checks.constraints:
            self._size(len(value), shape.min_items, shape.max_items, path, wire)
        key_shape = SHAPES[shape.key]
        self.depth += 1
        for key, item in value.items():
            step = f"[{key!r}]"
            if isinstance(key_shape, StringShape):
                self.string(key, key_shape, path + step, wire + step, what="a key that is ")
            self.walk(item, shape.value, path + step, wire + step)
        self.depth -= 1

    def scalar(self, value: Any, shape: ScalarShape, path: str, wire: str) -> None:
        if shape.kind == "boolean":
            if value is not True and value is not False:
                self.report(path, wire, f"expected a boolean, got {_describe(value)}")
        elif shape.kind == "timestamp":
            if isinstance(value, datetime):
                if value.tzinfo is None or value.utcoffset() is None:
                    self.report(path, wire, "expected an aware datetime, got a naive one")
            elif type(value) is not int and type(value) is not float:
                self.report(path, wire, f"expected a datetime, got {_describe(value)}")
        elif shape.kind == "document":
            self.document(value, path, wire)

    def document(self, value: Any, path: str, wire: str) -> None:
        if value is None or isinstance(value, (bool, int, float, str)):
            return
        if isinstance(value, (list, Mapping)) and self.depth >= MAX_NESTING:
            self.too_deep(value, path, wire)
            return
        self.depth += 1
        self.document_items(value, path, wire)
        self.depth -= 1

    def document_items(self, value: Any, path: str, wire: str) -> None:
        if isinstance(value, list):
            for index, item in enumerate(value):
                self.document(item, f"{path}[{index}]", f"{wire}[{index}]")
        elif isinstance(value, Mapping):
            for key, item in value.items():
                if not isinstance(key, str):
                    self.report(path, wire, f"expected JSON object keys, got {_describe(key)}")
                self.document(item, f"{path}[{key!r}]", f"{wire}[{key!r}]")
        else:
            self.report(path, wire, f"expected a JSON value, got {_describe(value)}")


def find_problems(value: Any, shape_name: str, checks: Checks = REQUEST) -> list[Problem]:
    """Every problem in wire `value` read as `shape_name`, with Python and wire paths.

    Args:
        value: A wire dict (or value), as boto3 takes or returns it.
        shape_name: The service model's name for its shape, e.g. `CreateEntityRequest`.
        checks: Which rules to apply; requests get all but enums by default.

    Returns:
        The problems in the order found; empty when the value is valid.
    """
    # Almost every value is valid: a generated check that builds no strings says so first,
    # and only a value it does not vouch for is walked, for the problems and their paths.
    if is_valid(value, shape_name, checks.constraints, checks.enums):
        return []
    walker = _Walker(checks)
    walker.walk(value, shape_name, shape_name, "")
    return walker.problems
