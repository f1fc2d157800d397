"""A fast yes/no answer to "is this wire value valid?", for the walker to skip valid input.

`twinkit._validate`'s walker builds two path strings per node and dispatches on the shape's
kind at every step, so that it can name each problem. Nearly every value it is given is
valid, and then all that work only says "nothing to report". `is_valid` answers that
question alone, with no strings built: for each (shape, rules) pair it generates the source
of one Python function per structure, list and map shape reachable (as cattrs generates its
hooks), with the checks of strings, numbers, booleans and timestamps written inline, and
compiles it once.

It must never say "valid" where the walker would find a problem; it may say "not valid"
where the walker finds none (the walker then runs and decides, which only costs time). So it
refuses whatever it does not recognise exactly: subclasses of `dict`, `list`, `str` and the
number types, any other mapping, a `WrongType` marker, and values nested more than
`FAST_NESTING` levels deep (a cycle reaches that limit too), far from `MAX_NESTING` and from
Python's recursion limit.
"""

from __future__ import annotations

import linecache
import re
import threading
from collections.abc import Callable
from datetime import datetime
from functools import cache
from typing import Any

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
from twinkit._service import INTEGER_RANGE, LONG_RANGE, MAX_NESTING, NON_FINITE, SDK_UNKNOWN_MEMBER

__all__ = ["FAST_NESTING", "is_valid"]

FAST_NESTING = MAX_NESTING // 2
"""The deepest a value may nest (levels of lists, maps and objects) and still be judged here.

Deeper values, rare and legal up to `MAX_NESTING`, are left to the walker: the generated
checkers recurse once per level, and stopping at half the limit keeps them far from both the
walker's own limit and Python's recursion limit."""

Checker = Callable[[Any, int], bool]
"""A generated check: (value, levels already entered) -> whether the value is certainly valid."""

# Patterns that every string fits once its length is checked (the walker reads them with
# DOTALL and matches the whole string): no regular expression needs to run for them.
_ANY_TEXT = frozenset({".*", "[\\s\\S]*"})


_SEEN_MAX = 1024
"""How many strings known to fit a pattern are remembered, per pattern, before starting over."""

_SEEN_LONGEST = 256
"""The longest string remembered (longer ones are matched every time): caps the memory."""


@cache
def _matcher(pattern: str) -> tuple[set[str], Callable[[str], bool]]:
    """Strings seen to match `pattern` (as the walker reads it), and a function that matches.

    Names and ids repeat from request to request (a workspace, its entities, their
    components and properties), and a set look-up costs a fraction of a regular expression:
    the function adds each short string that matches to the set, which the generated code
    tries first. Shared by every checker that uses the pattern.
    """
    fullmatch = re.compile(pattern, re.DOTALL).fullmatch
    seen: set[str] = set()

    def matches(text: str) -> bool:
        if fullmatch(text) is None:
            return False
        if len(text) <= _SEEN_LONGEST:
            if len(seen) >= _SEEN_MAX:
                seen.clear()
            seen.add(text)
        return True

    return seen, matches


def _aware(value: object) -> bool:
    """A `datetime` (or subclass, as the walker accepts) with a UTC offset."""
    return (
        isinstance(value, datetime) and value.tzinfo is not None and value.utcoffset() is not None
    )


def _document(value: Any, depth: int) -> bool:
    """A JSON value: None, bool, int, float, str, or lists and str-keyed dicts of them."""
    kind = type(value)
    if value is None or kind is str or kind is int or kind is float or kind is bool:
        return True
    if depth >= FAST_NESTING:
        return False
    depth += 1
    if kind is list:
        return all(_document(item, depth) for item in value)
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str or not _document(item, depth):
                return False
        return True
    return False


class _Generator:
    """Writes the source of the checkers for one set of rules, one function per container shape."""

    def __init__(self, constraints: bool, enums: bool) -> None:
        self.constraints = constraints
        self.enums = enums
        self.namespace: dict[str, Any] = {
            "_NON_FINITE": frozenset(NON_FINITE),
            "_SDK_UNKNOWN": SDK_UNKNOWN_MEMBER,
            "_aware": _aware,
            "_document": _document,
        }
        self.written: set[str] = set()
        self.lines: list[str] = []

    def constant(self, name: str, value: object) -> str:
        """Put `value` in the checkers' globals under `name`; returns the name."""
        self.namespace[name] = value
        return name

    def function_name(self, shape_name: str) -> str:
        return f"check_{shape_name}"

    def call(self, shape_name: str, var: str) -> str:
        """An expression: whether `var` (a member, item or value) fits `shape_name`.

        Strings, numbers and plain scalars are checked inline; containers call their function,
        with the levels entered so far in `depth` (already counting the current container).
        """
        shape = SHAPES[shape_name]
        if isinstance(shape, StringShape):
            return self.string(shape, var)
        if isinstance(shape, NumberShape):
            return self.number(shape, var)
        if isinstance(shape, ScalarShape):
            return self.scalar(shape, var)
        self.write(shape)
        return f"{self.function_name(shape_name)}({var}, depth)"

    def string(self, shape: StringShape, var: str) -> str:
        tests = [f"type({var}) is str"]
        if self.enums and shape.enum is not None:
            enum = self.constant(f"_ENUM_{shape.name}", frozenset(shape.enum))
            tests.append(f"{var} in {enum}")
        if self.constraints:
            low, high = shape.min_length, shape.max_length
            if low is not None and high is not None:
                tests.append(f"{low} <= len({var}) <= {high}")
            elif low is not None:
                tests.append(f"len({var}) >= {low}")
            elif high is not None:
                tests.append(f"len({var}) <= {high}")
            if shape.pattern is not None and shape.pattern not in _ANY_TEXT:
                seen, matches = _matcher(shape.pattern)
                known = self.constant(f"_SEEN_{shape.name}", seen)
                matcher = self.constant(f"_MATCH_{shape.name}", matches)
                tests.append(f"({var} in {known} or {matcher}({var}))")
        return "(" + " and ".join(tests) + ")"

    def number(self, shape: NumberShape, var: str) -> str:
        low, high = shape.minimum, shape.maximum
        if shape.kind == "double":
            kinds = f"(type({var}) is float or type({var}) is int)"
            bounds = []
            if self.constraints:
                # `not x < low` rather than `x >= low`: a float NaN passes, as in the walker.
                if low is not None:
                    bounds.append(f"not {var} < {self.constant(f'_LOW_{shape.name}', low)}")
                if high is not None:
                    bounds.append(f"not {var} > {self.constant(f'_HIGH_{shape.name}', high)}")
            in_range = " and ".join([kinds, *bounds])
            return f"(({in_range}) or (type({var}) is str and {var} in _NON_FINITE))"
        if not self.constraints:
            return f"(type({var}) is int)"
        bounds_of_kind = INTEGER_RANGE if shape.kind == "integer" else LONG_RANGE
        low = bounds_of_kind[0] if low is None else low
        high = bounds_of_kind[1] if high is None else high
        low_name = self.constant(f"_LOW_{shape.name}", low)
        high_name = self.constant(f"_HIGH_{shape.name}", high)
        return f"(type({var}) is int and not {var} < {low_name} and not {var} > {high_name})"

    def scalar(self, shape: ScalarShape, var: str) -> str:
        if shape.kind == "boolean":
            return f"({var} is True or {var} is False)"
        if shape.kind == "timestamp":
            return f"(type({var}) is int or type({var}) is float or _aware({var}))"
        if shape.kind == "document":
            return f"_document({var}, depth)"
        return "True"  # the walker checks no other kind

    def size(self, low: int | None, high: int | None) -> list[str]:
        """Lines refusing a list or map of the wrong size (when constraints apply)."""
        if not self.constraints or (not low and high is None):
            return []
        tests = []
        if low:
            tests.append(f"size < {low}")
        if high is not None:
            tests.append(f"size > {high}")
        return ["    size = len(value)", f"    if {' or '.join(tests)}:", "        return False"]

    def write(self, shape: Shape) -> None:
        """Write the function for a container shape (once), and those it calls."""
        if shape.name in self.written:
            return
        self.written.add(shape.name)
        if isinstance(shape, StructureShape):
            body = self.structure_lines(shape)
        elif isinstance(shape, ListShape):
            body = self.list_lines(shape)
        elif isinstance(shape, MapShape):
            body = self.map_lines(shape)
        else:  # a scalar root: one line
            body = [f"    return {self.call(shape.name, 'value')}"]
        self.lines.append(f"def {self.function_name(shape.name)}(value, depth):")
        self.lines.extend(body)
        self.lines.append("")

    def structure_lines(self, shape: StructureShape) -> list[str]:
        lines = [
            f"    if type(value) is not dict or depth >= {FAST_NESTING}:",
            "        return False",
            "    depth += 1",
        ]
        if shape.union and not any(m.required for m in shape.members):
            lines += self.union_of_one(shape)
        # Members present (not None), counted when unknown keys or a union's count matter.
        counted = self.constraints or shape.union
        if counted:
            lines.append(f"    present = {sum(m.required for m in shape.members)}")
        for member in shape.members:
            # As in the walker, a member whose value is None is absent.
            lines.append(f"    item = value.get({member.wire!r})")
            if member.required:
                lines += ["    if item is None:", "        return False"]
                indent = "    "
            else:
                lines.append("    if item is not None:")
                indent = "        "
            lines += [
                f"{indent}if not {self.call(member.shape, 'item')}:",
                f"{indent}    return False",
            ]
            if counted and not member.required:
                lines.append(f"{indent}present += 1")
        if self.constraints:
            names = self.constant(f"_NAMES_{shape.name}", frozenset(m.wire for m in shape.members))
            # Every key a member unless some key is not: then, unless it is a member set to
            # None (absent, as in the walker), it is unknown.
            lines += [
                f"    if len(value) != present and not {names}.issuperset(value):",
                "        return False",
            ]
            if shape.union:
                lines += ["    if present != 1:", "        return False"]
        elif shape.union:
            # A response's union may hold one member this model does not know yet.
            lines += [
                "    if _SDK_UNKNOWN in value:",
                "        present += 1",
                "    if present > 1:",
                "        return False",
            ]
        lines.append("    return True")
        return lines

    def union_of_one(self, shape: StructureShape) -> list[str]:
        """Lines judging a union with one key, the usual case, by that key alone.

        What falls through (no key or several) is judged by the general structure lines.
        """
        lines = [
            "    if len(value) == 1:",
            "        (key,) = value",
            "        item = value[key]",
            # A None member is absent: no member, which only a request refuses.
            "        if item is None:",
            f"            return {not self.constraints}",
        ]
        for member in shape.members:
            lines += [
                f"        if key == {member.wire!r}:",
                f"            return {self.call(member.shape, 'item')}",
            ]
        # Another key: an unknown member, refused in a request, ignored (or botocore's
        # SDK_UNKNOWN_MEMBER, the one member) in a response.
        lines.append(f"        return {not self.constraints}")
        return lines

    def list_lines(self, shape: ListShape) -> list[str]:
        lines = [
            "    kind = type(value)",
            f"    if (kind is not list and kind is not tuple) or depth >= {FAST_NESTING}:",
            "        return False",
            *self.size(shape.min_items, shape.max_items),
            "    depth += 1",
            "    for item in value:",
            f"        if not {self.call(shape.member, 'item')}:",
            "            return False",
            "    return True",
        ]
        return lines

    def map_lines(self, shape: MapShape) -> list[str]:
        key_shape = SHAPES[shape.key]
        # The walker checks a key only against a string shape (every key shape in the model).
        key_test = self.string(key_shape, "key") if isinstance(key_shape, StringShape) else "True"
        return [
            f"    if type(value) is not dict or depth >= {FAST_NESTING}:",
            "        return False",
            *self.size(shape.min_items, shape.max_items),
            "    depth += 1",
            "    for key, item in value.items():",
            f"        if not {key_test}:",
            "            return False",
            f"        if not {self.call(shape.value, 'item')}:",
            "            return False",
            "    return True",
        ]

    def compile(self, root: str) -> Checker:
        """Compile the functions written so far; returns the root shape's checker."""
        source = "\n".join(self.lines)
        # Registered with linecache so that tracebacks and profilers show the generated lines.
        filename = f"<twinkit fast check {root} constraints={self.constraints} enums={self.enums}>"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        exec(compile(source, filename, "exec"), self.namespace)  # our own source, from SHAPES
        checker: Checker = self.namespace[self.function_name(root)]
        return checker


_CHECKERS: dict[tuple[str, bool, bool], Checker] = {}
_BUILDING = threading.Lock()


def checker_for(shape_name: str, constraints: bool, enums: bool) -> Checker:
    """The generated checker of `shape_name` under these rules, built on first use."""
    key = (shape_name, constraints, enums)
    checker = _CHECKERS.get(key)
    if checker is None:
        with _BUILDING:
            checker = _CHECKERS.get(key)
            if checker is None:
                generator = _Generator(constraints, enums)
                generator.write(SHAPES[shape_name])
                checker = _CHECKERS[key] = generator.compile(shape_name)
    return checker


def is_valid(value: Any, shape_name: str, constraints: bool, enums: bool) -> bool:
    """Whether the walker would certainly find no problem in `value` read as `shape_name`.

    False means "not valid, or cannot tell": the caller runs the walker for the answer.

    Args:
        value: A wire value, as boto3 takes or returns it.
        shape_name: The service model's name for its shape.
        constraints: As `twinkit._validate.Checks.constraints`.
        enums: As `twinkit._validate.Checks.enums`.
    """
    checker = _CHECKERS.get((shape_name, constraints, enums))
    if checker is None:
        checker = checker_for(shape_name, constraints, enums)
    try:
        return checker(value, 0)
    except Exception:  # anything odd (a tzinfo that raises, ...): the walker will tell
        return False
