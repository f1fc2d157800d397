"""Hand-written building blocks the generated models use: enums, JSON documents, checks."""

from __future__ import annotations

import enum
from collections.abc import Callable
from functools import cache
from typing import Any, TypeAlias, TypeVar, cast

import attrs
from typing_extensions import TypeAliasType

from twinkit.errors import Problem, ValidationError

__all__ = ["JsonValue", "Model", "WireEnum", "build_unchecked", "install_request_check"]

JsonValue = TypeAliasType(
    "JsonValue",
    "bool | int | float | str | list[JsonValue] | dict[str, JsonValue] | None",
)
"""Any JSON value: what a document shape (`QueryResultValue`) holds."""


class WireEnum(str, enum.Enum):
    """Base of every enum in the models: a `str` whose value is the wire value.

    Members compare equal to their wire strings (`State.ACTIVE == "ACTIVE"`). Fields typed
    with an enum also accept plain strings, so a value introduced by a newer service than
    this model is kept as a `str` and sent back unchanged instead of raising.
    """

    def __str__(self) -> str:
        return str(self.value)

    def __repr__(self) -> str:
        return f"{type(self).__name__}.{self.name}"


class Model:
    """Base of every generated model: a compact `repr` that shows only the members set."""

    __slots__ = ()

    def __repr__(self) -> str:
        parts = []
        for field in attrs.fields(cast(Any, type(self))):
            value = getattr(self, field.name)
            if value is not None:
                parts.append(f"{field.name}={value!r}")
        text = f"{type(self).__name__}({', '.join(parts)})"
        return text if len(text) <= _REPR_LIMIT else text[: _REPR_LIMIT - 4] + "...)"

    def _repr_html_(self) -> str:
        """Jupyter's view: the members that are set, as a table (nested models nest)."""
        from twinkit._display import model_html

        return model_html(self, caption=type(self).__name__)


_REPR_LIMIT = 1024


def union_error(obj: object, set_count: int) -> ValidationError:
    """The error for a union built with other than exactly one member."""
    name = type(obj).__name__
    chosen = [
        f.name
        for f in attrs.fields(cast(Any, type(obj)))
        if f.name != "unknown_member" and getattr(obj, f.name) is not None
    ]
    found = f"got {set_count}" + (f" ({', '.join(chosen)})" if chosen else "")
    return ValidationError([Problem(name, "", f"expected exactly one member, {found}")])


M = TypeVar("M", bound=Model)


@cache
def _fields_and_defaults(cls: Any) -> tuple[tuple[str, Any], ...]:
    return tuple((field.name, field.default) for field in attrs.fields(cls))


def build_unchecked(cls: type[M], **values: Any) -> M:
    """An instance of model `cls` made from `values` without its construction check.

    Only for code that checks the same data itself, once, right after or right before: the
    typed client checks the wire dict it sends, the converter and the emulator check the wire
    dict they read. `values` must name fields of `cls`; the others take their defaults.
    """
    obj = object.__new__(cls)
    for name, default in _fields_and_defaults(cast(Any, cls)):
        object.__setattr__(obj, name, values.get(name, default))
    return obj


RequestCheck: TypeAlias = Callable[[Any], None]


def _no_check_installed(obj: Any) -> None:
    raise RuntimeError(
        f"{type(obj).__name__} cannot be checked: twinkit.wire, which installs the check, "
        "was not imported (import twinkit, not only twinkit._generated)"
    )


_request_check: RequestCheck = _no_check_installed


def install_request_check(check: RequestCheck) -> None:
    """Set how an operation's input model checks itself when constructed.

    The check needs the wire converter, which sits above the models: `twinkit.wire`
    installs it when imported (and `import twinkit` imports it), so this module imports
    nothing above itself.
    """
    global _request_check
    _request_check = check


def check_request(obj: Any) -> None:
    """Check an operation's input model against every constraint of the service model.

    Raises:
        ValidationError: naming every field that breaks a constraint.
    """
    _request_check(obj)
