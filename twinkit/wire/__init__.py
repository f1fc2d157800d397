"""Wire conversion: models <-> boto3's dicts, exactly. `converter` and `configure_converter`.

```python
from twinkit import models
from twinkit.wire import converter

value = converter.structure({"doubleValue": 1.5}, models.DataValue)
assert converter.unstructure(value) == {"doubleValue": 1.5}
```
"""

from __future__ import annotations

from typing import Any, TypeVar

from cattrs import Converter

from twinkit._generated.tables import SHAPES
from twinkit._modelbase import _TRUSTED, trusted_input
from twinkit._schema import StructureShape
from twinkit._validate import REQUEST, RESPONSE, Checks, find_problems
from twinkit.errors import Problem, ValidationError
from twinkit.wire._hooks import configure_converter, make_checking_hooks

__all__ = ["Checks", "WireConverter", "configure_converter", "converter", "find_problems"]

T = TypeVar("T")


class WireConverter(Converter):
    """A cattrs `Converter` whose `structure` raises `twinkit.errors.ValidationError`.

    The fast path is cattrs' generated code; only when it fails is the wire value walked
    against the service model, so the error names every bad field by its full path.
    """

    def __init__(self) -> None:
        super().__init__(detailed_validation=False)
        configure_converter(self)

    def structure(self, obj: Any, cl: type[T]) -> T:
        """Convert wire data (as boto3 takes or returns it) to an instance of `cl`.

        Raises:
            ValidationError: naming every member that is missing, of the wrong type or, for
                an operation's input, breaking a constraint.
        """
        shape = SHAPES.get(getattr(cl, "__name__", ""))
        if isinstance(shape, StructureShape) and shape.request and not _TRUSTED.get():
            # Walk a request first: the fast path ignores unknown keys, and a request must
            # lose nothing silently (a misspelt member is an error, as in botocore). The walk
            # applies every rule the model's own construction check would, so that check is
            # skipped rather than run a second time.
            problems = find_problems(obj, shape.name, REQUEST)
            if problems:
                raise ValidationError(problems)
            with trusted_input():
                return self._structure_or_explain(obj, cl)
        return self._structure_or_explain(obj, cl)

    def _structure_or_explain(self, obj: Any, cl: type[T]) -> T:
        try:
            return super().structure(obj, cl)
        except Exception as exc:
            raise _structure_error(obj, cl, exc) from exc


def _structure_error(obj: Any, cl: Any, exc: Exception) -> ValidationError:
    name = getattr(cl, "__name__", None)
    shape = SHAPES.get(name) if isinstance(name, str) else None
    if isinstance(shape, StructureShape):
        checks = REQUEST if shape.request else RESPONSE
        problems = find_problems(obj, shape.name, checks)
        if problems:
            return ValidationError(problems)
    if isinstance(exc, ValidationError):
        return exc
    root = name if isinstance(name, str) else repr(cl)
    return ValidationError([Problem(root, "", f"cannot convert: {exc}")])


converter = WireConverter()
"""TwinMaker's wire format: `structure(wire_dict, Model)` and `unstructure(model)`."""

checking_converter = Converter(detailed_validation=False)
"""Like `converter`, but a member of the wrong model type unstructures to a marker the
validator reports (`expected ComponentRequest, got dict`) instead of failing half-way."""
configure_converter(checking_converter)
make_checking_hooks(checking_converter)
