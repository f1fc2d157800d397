"""Wire conversion: models <-> boto3's dicts, exactly. `converter` and `configure_converter`.

```python
from twinkit import models
from twinkit.wire import converter

value = converter.structure({"doubleValue": 1.5}, models.DataValue)
assert converter.unstructure(value) == {"doubleValue": 1.5}
```
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import attrs
from cattrs import Converter

from twinkit._generated.tables import SHAPES
from twinkit._modelbase import Model, build_unchecked, install_request_check
from twinkit._schema import StructureShape
from twinkit._validate import REQUEST, RESPONSE, Checks, find_problems, nesting_problem
from twinkit.errors import Problem, ValidationError
from twinkit.wire._hooks import DeepUnion, configure_converter, make_checking_hooks

__all__ = [
    "Checks",
    "WireConverter",
    "check_request_model",
    "checked_request_wire",
    "configure_converter",
    "converter",
    "find_problems",
]

T = TypeVar("T")

_unstructuring = threading.local()
"""Whether this thread is inside `WireConverter.unstructure` (cattrs calls it again for
items), so that only the outermost call turns running out of stack into an error."""


class WireConverter(Converter):
    """A cattrs `Converter` whose `structure` raises `twinkit.errors.ValidationError`.

    The fast path is cattrs' generated code; only when it fails is the wire value walked
    against the service model, so the error names every bad field by its full path.
    """

    def __init__(self) -> None:
        super().__init__(detailed_validation=False)
        configure_converter(self)
        # `structure` walks a request before building it, so the model's own construction
        # check would repeat that walk: operation inputs are built unchecked instead.
        self.register_structure_hook_factory(_is_request_model, self._make_request_structure)

    def structure(self, obj: Any, cl: type[T]) -> T:
        """Convert wire data (as boto3 takes or returns it) to an instance of `cl`.

        Raises:
            ValidationError: naming every member that is missing, of the wrong type or, for
                an operation's input, breaking a constraint; and where `obj` nests arrays and
                objects deeper than `MAX_NESTING` (128, `obj` itself being level 1; for a
                model inside a response, counted from its outermost union) or contains itself.
        """
        shape = SHAPES.get(getattr(cl, "__name__", ""))
        if isinstance(shape, StructureShape) and shape.request:
            # Walk a request first: the fast path ignores unknown keys, and a request must
            # lose nothing silently (a misspelt member is an error, as in botocore). The walk
            # applies every rule the model's own construction check would; that check is
            # not run a second time (see `_make_request_structure`).
            problems = find_problems(obj, shape.name, REQUEST)
            if problems:
                raise ValidationError(problems)
        return self._structure_or_explain(obj, cl)

    def structure_unchecked(self, obj: Any, cl: type[T]) -> T:
        """Like `structure`, for wire data the caller has just checked with `find_problems`.

        An operation's input is then built without walking it again (the emulator checks
        each request with the service's own rules, enums included, before structuring it).
        Other models are structured exactly as by `structure`.

        Raises:
            ValidationError: when the data cannot be converted at all.
        """
        return self._structure_or_explain(obj, cl)

    def unstructure(self, obj: Any, unstructure_as: Any = None) -> Any:
        """Convert a model (or a value holding models) to wire data, as boto3 takes it.

        Raises:
            ValidationError: when `obj` refers to itself (a list holding its own model) or
                nests too deep to convert, naming where.
        """
        if getattr(_unstructuring, "active", False):  # a nested call: the outermost explains
            return super().unstructure(obj, unstructure_as)
        _unstructuring.active = True
        try:
            return super().unstructure(obj, unstructure_as)
        except RecursionError as exc:
            raise _too_deep_error(obj) from exc
        finally:
            _unstructuring.active = False

    def _make_request_structure(self, cls: type) -> Callable[[Any, Any], Any]:
        attrs.resolve_types(cls)
        shape = SHAPES[cls.__name__]
        assert isinstance(shape, StructureShape)
        types = {field.name: field.type for field in attrs.fields(cls)}
        members = [
            (m.attr, m.wire, m.required, self.get_structure_hook(types[m.attr]), types[m.attr])
            for m in shape.members
        ]

        def structure_request(value: Any, _: Any) -> Any:
            if not isinstance(value, Mapping):
                raise TypeError(f"expected an object, got {type(value).__name__}")
            values = {}
            for attr, wire, required, hook, tp in members:
                item = value.get(wire)
                if item is not None:
                    values[attr] = hook(item, tp)
                elif required:  # the error path then names it (see `_structure_error`)
                    raise KeyError(wire)
            return build_unchecked(cls, **values)

        return structure_request

    def _structure_or_explain(self, obj: Any, cl: type[T]) -> T:
        try:
            return super().structure(obj, cl)
        except DeepUnion:  # cattrs structures list items through here: let it reach its union
            raise
        except Exception as exc:
            raise _structure_error(obj, cl, exc) from exc


def _too_deep_error(obj: Any) -> ValidationError:
    """The error for a value a conversion ran out of stack on: where it refers to itself or
    nests past `MAX_NESTING`, found without recursion."""
    root = type(obj).__name__
    problem = nesting_problem(obj, root)
    if problem is None:  # within the limit, yet the caller's own stack was nearly full
        problem = Problem(root, "", "cannot convert: nested too deep for the call stack")
    return ValidationError([problem])


def _structure_error(obj: Any, cl: Any, exc: Exception) -> ValidationError:
    name = getattr(cl, "__name__", None)
    shape = SHAPES.get(name) if isinstance(name, str) else None
    if isinstance(shape, StructureShape):
        # The walk stops past MAX_NESTING, so it explains a RecursionError too.
        checks = REQUEST if shape.request else RESPONSE
        problems = find_problems(obj, shape.name, checks)
        if problems:
            return ValidationError(problems)
    if isinstance(exc, ValidationError):
        return exc
    root = name if isinstance(name, str) else repr(cl)
    if isinstance(exc, RecursionError):
        problem = nesting_problem(obj, root)
        if problem is not None:
            return ValidationError([problem])
    return ValidationError([Problem(root, "", f"cannot convert: {exc}")])


def _is_request_model(tp: Any) -> bool:
    if not (isinstance(tp, type) and issubclass(tp, Model) and attrs.has(tp)):
        return False
    shape = SHAPES.get(tp.__name__)
    return isinstance(shape, StructureShape) and shape.request


converter = WireConverter()
"""TwinMaker's wire format: `structure(wire_dict, Model)` and `unstructure(model)`."""

checking_converter = Converter(detailed_validation=False)
"""Like `converter`, but a member of the wrong model type unstructures to a marker the
validator reports (`expected ComponentRequest, got dict`) instead of failing half-way."""
configure_converter(checking_converter)
make_checking_hooks(checking_converter)


def checked_request_wire(model: Any) -> dict[str, Any]:
    """A request model's wire dict, once every constraint is checked on it.

    The one place a request model is checked: its construction check and the typed
    client's call both come here, and one conversion serves both the check and the call
    (the typed client sends what this returns).

    Raises:
        ValidationError: when any member breaks the service model's rules.
    """
    name = type(model).__name__
    try:
        wire: dict[str, Any] = checking_converter.unstructure(model)
    except RecursionError as exc:  # a model that holds itself, or past any sane depth
        raise _too_deep_error(model) from exc
    except Exception as exc:  # a collection of the wrong kind, say
        raise ValidationError([Problem(name, "", f"cannot convert: {exc}")]) from exc
    problems = find_problems(wire, name, REQUEST)
    if problems:
        raise ValidationError(problems)
    return wire


def check_request_model(model: Any) -> None:
    """Check a request model against every constraint; raise once, naming every problem.

    Raises:
        ValidationError: when any member breaks the service model's rules.
    """
    checked_request_wire(model)


install_request_check(check_request_model)
