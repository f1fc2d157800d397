"""The vocabulary of the generated tables: one small record per kind of shape in the model.

`_tables.py` (generated) instantiates these for every shape of the service model; the
converter's hook factories and the validator read them. Nothing here knows TwinMaker.
"""

from __future__ import annotations

from typing import NamedTuple, TypeAlias


class Member(NamedTuple):
    """A member of a structure: its Python name, wire name and target shape."""

    attr: str
    wire: str
    shape: str
    required: bool = False
    location: str | None = None
    """Where the member travels in an HTTP request: `uri`, `querystring`, `header` or body."""
    location_name: str | None = None


class StructureShape(NamedTuple):
    """A structure: named members; a union when exactly one member may be set."""

    name: str
    members: tuple[Member, ...]
    union: bool = False
    request: bool = False
    """True for an operation's input: constraints are checked when the model is built."""
    error_code: str | None = None
    http_status: int | None = None


class StringShape(NamedTuple):
    """A string, possibly constrained by length, pattern or a set of enum values."""

    name: str
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    """A Python regular expression matched against the whole string."""
    enum: tuple[str, ...] | None = None


class NumberShape(NamedTuple):
    """An `integer`, `long` or `double`, possibly with a range."""

    name: str
    kind: str
    minimum: int | float | None = None
    maximum: int | float | None = None


class ListShape(NamedTuple):
    """A list of one member shape, possibly constrained in size."""

    name: str
    member: str
    min_items: int | None = None
    max_items: int | None = None


class MapShape(NamedTuple):
    """A map from a (string) key shape to a value shape, possibly constrained in size."""

    name: str
    key: str
    value: str
    min_items: int | None = None
    max_items: int | None = None


class ScalarShape(NamedTuple):
    """A `boolean`, `timestamp` or `document` shape: no constraints beyond its type."""

    name: str
    kind: str


class Paging(NamedTuple):
    """How an operation pages: the token members in and out, the page size, the items."""

    input_token: str
    output_token: str
    limit: str | None
    result: str
    """The output member holding a page's items (a list, or a map for tags)."""


class Operation(NamedTuple):
    """An operation: how it travels over HTTP and which shapes it takes and returns."""

    name: str
    http_method: str
    request_uri: str
    success_code: int
    host_prefix: str | None
    input: str | None
    output: str | None
    errors: tuple[str, ...]
    method: str = ""
    """boto3's snake_case name of the operation (`get_entity`)."""
    paging: Paging | None = None


Shape: TypeAlias = StructureShape | StringShape | NumberShape | ListShape | MapShape | ScalarShape
