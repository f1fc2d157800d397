"""Hand-written building blocks the generated models use: enums, JSON documents, checks."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, cast

import attrs
from typing_extensions import TypeAliasType

from twinkit.errors import Problem, ValidationError

__all__ = ["JsonValue", "Model", "WireEnum"]

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


_TRUSTED: ContextVar[bool] = ContextVar("twinkit_trusted_input", default=False)


@contextmanager
def trusted_input() -> Iterator[None]:
    """Within this block, request models skip their constraint check.

    For code that has just checked the same wire data itself (the emulator checks every
    request, enums included, before building its model); never for user input.
    """
    token = _TRUSTED.set(True)
    try:
        yield
    finally:
        _TRUSTED.reset(token)


def check_request(obj: Any) -> None:
    """Check an operation's input model against every constraint of the service model.

    Raises:
        ValidationError: naming every field that breaks a constraint.
    """
    if _TRUSTED.get():
        return
    # Imported here because the wire layer imports the models; by the first request both
    # modules are loaded and this is a dictionary look-up.
    from twinkit.wire._validate import check_request_model

    check_request_model(obj)
