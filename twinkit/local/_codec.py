"""The emulator's records as JSON, for the state file: exact, and loading runs no code.

A record is encoded by what it is:

* JSON scalars stay themselves (floats must be finite);
* a model of the service (`twinkit.models`) is `{"$model": "ShapeName", "wire": {...}}`, its
  wire form as `twinkit.wire.converter` makes it (what the service would send, timestamps as
  epoch seconds), and is structured back by the same converter;
* the emulator's own records (attrs classes of `twinkit.local`) are
  `{"$record": "module:Class", "fields": {...}}`, enums `{"$enum": "module:Class", "value": v}`;
* a datetime is `{"$datetime": "ISO 8601"}` (to the microsecond); a tuple `{"$tuple": [...]}`;
  a mapping `{"$map": [[key, value], ...]}` (keys may be integers); a list is a JSON array.

Loading only ever builds models and attrs records or enums defined in twinkit's own modules,
named in the file and checked before use (unlike a pickle, which can name any callable).
"""

from __future__ import annotations

import enum
import importlib
import json
import math
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import attrs

from twinkit import models
from twinkit.wire import converter

__all__ = ["CodecError", "class_name", "decode", "dumps", "encode", "loads", "trusted_class"]

_TRUSTED_PREFIXES = ("twinkit.local.", "twinkit.models")
"""Modules a file may name classes of: the emulator's records, the service's models."""


class CodecError(ValueError):
    """A value cannot be written as JSON, or a document does not describe a record."""


def _public_model(cls: type) -> bool:
    """Whether `cls` is a model or enum of the service, as `twinkit.models` exports it (by its
    public name, wherever the generated code lives)."""
    return getattr(models, cls.__name__, None) is cls


def class_name(cls: type) -> str:
    """`module:QualifiedName`, how the file names a class (`twinkit.models:Name` for the
    service's models and enums)."""
    if _public_model(cls):
        return f"twinkit.models:{cls.__name__}"
    return f"{cls.__module__}:{cls.__qualname__}"


def trusted_class(name: str) -> type:
    """The class a file names, if it is one of twinkit's own (never any other callable).

    Raises:
        CodecError: When the name is not `module:Class` of a twinkit module, or names
            something else than a class.
    """
    module_name, sep, qualname = name.partition(":")
    if not sep or not module_name.startswith(_TRUSTED_PREFIXES):
        raise CodecError(f"{name!r} is not a class of twinkit")
    try:
        found: Any = importlib.import_module(module_name)
        for part in qualname.split("."):
            found = getattr(found, part)
    except (ImportError, AttributeError):
        raise CodecError(f"{name!r} names no class of this twinkit version") from None
    if not isinstance(found, type):
        raise CodecError(f"{name!r} is not a class")
    return found


def _is_model(value: object) -> bool:
    cls = type(value)
    return attrs.has(cls) and _public_model(cls)


def _wire_default(value: object) -> Any:
    if isinstance(value, datetime):
        return value.timestamp()  # epoch seconds, as the wire carries them
    raise CodecError(f"cannot write {type(value).__name__} in a model's wire form")


def encode(value: Any) -> Any:
    """`value` as JSON-ready data (see the module docstring).

    Raises:
        CodecError: For a value of a kind the state file cannot hold.
    """
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CodecError(f"{value} is not a finite number")
        return value
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, enum.Enum):
        return {"$enum": class_name(type(value)), "value": value.value}
    if _is_model(value):
        wire = json.loads(json.dumps(converter.unstructure(value), default=_wire_default))
        return {"$model": type(value).__name__, "wire": wire}
    if attrs.has(type(value)):
        fields = {f.name: encode(getattr(value, f.name)) for f in attrs.fields(type(value))}
        return {"$record": class_name(type(value)), "fields": fields}
    if isinstance(value, tuple):
        return {"$tuple": [encode(item) for item in value]}
    if isinstance(value, list):
        return [encode(item) for item in value]
    if isinstance(value, Mapping):
        return {"$map": [[encode(k), encode(v)] for k, v in value.items()]}
    raise CodecError(f"cannot write a {type(value).__name__} to the state file")


def decode(data: Any) -> Any:
    """The value `encode` made `data` from.

    Raises:
        CodecError: When `data` is not what `encode` makes.
    """
    if data is None or isinstance(data, (bool, int, float, str)):
        return data
    if isinstance(data, list):
        return [decode(item) for item in data]
    if not isinstance(data, dict) or len(data) not in (1, 2):
        raise CodecError(f"not an encoded value: {str(data)[:80]}")
    try:
        if "$datetime" in data:
            return datetime.fromisoformat(data["$datetime"])
        if "$tuple" in data:
            return tuple(decode(item) for item in data["$tuple"])
        if "$map" in data:
            return {decode(k): decode(v) for k, v in data["$map"]}
        if "$enum" in data:
            cls = trusted_class(data["$enum"])
            if not issubclass(cls, enum.Enum):
                raise CodecError(f"{data['$enum']!r} is not an enum")
            return cls(data["value"])
        if "$model" in data:
            model = getattr(models, str(data["$model"]), None)
            if not (isinstance(model, type) and attrs.has(model)):
                raise CodecError(f"{data['$model']!r} is not a model of the service")
            return converter.structure(data["wire"], model)
        if "$record" in data:
            cls = trusted_class(data["$record"])
            if not attrs.has(cls):
                raise CodecError(f"{data['$record']!r} is not a record class")
            aliases = {f.name: f.alias for f in attrs.fields(cls)}
            fields = data["fields"]
            unknown = set(fields) - set(aliases)
            if unknown:
                raise CodecError(f"{data['$record']!r} has no fields {sorted(unknown)}")
            return cls(**{aliases[name]: decode(v) for name, v in fields.items()})
    except CodecError:
        raise
    except (KeyError, TypeError, ValueError) as exc:
        raise CodecError(f"not an encoded value ({exc}): {str(data)[:80]}") from None
    raise CodecError(f"not an encoded value: {str(data)[:80]}")


def dumps(value: Any) -> str:
    """`value` as compact JSON text (strict: no NaN or Infinity)."""
    return json.dumps(encode(value), separators=(",", ":"), allow_nan=False)


def loads(text: str | bytes) -> Any:
    """The value `dumps` wrote.

    Raises:
        CodecError: When the text is not JSON `dumps` wrote.
    """
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise CodecError(f"not JSON: {exc}") from None
    return decode(data)
