"""The syntax tree of a knowledge-graph query: what the parser builds and the planner resolves."""

from __future__ import annotations

import attrs

from twinkit.models._base import JsonValue

__all__ = [
    "Compare",
    "EdgePattern",
    "Expr",
    "Field",
    "FieldPath",
    "In",
    "Is",
    "Item",
    "Like",
    "Literal",
    "Logic",
    "Lower",
    "Name",
    "NodePattern",
    "Not",
    "Query",
    "Ref",
    "Unnest",
]


@attrs.frozen
class Name:
    """A variable, alias or field name as written."""

    text: str
    quoted: bool
    position: int

    @property
    def key(self) -> str:
        """The variable it names: variables are case-insensitive."""
        return self.text.lower()


@attrs.frozen
class Literal:
    value: JsonValue


@attrs.frozen
class FieldPath:
    """`var.field.key...` as written."""

    var: Name
    fields: tuple[Name, ...]


@attrs.frozen
class Field:
    """One step of a resolved path: a field of a document, or a key of a map."""

    name: str
    exact: bool
    """False for an unquoted map key: matched case-insensitively when not found as is."""


@attrs.frozen
class Ref:
    """A resolved path: a bound variable and the fields below it."""

    var: str
    fields: tuple[Field, ...]


@attrs.frozen
class Lower:
    arg: Expr


@attrs.frozen
class Not:
    arg: Expr


@attrs.frozen
class Logic:
    op: str
    """`AND` or `OR`."""
    left: Expr
    right: Expr


@attrs.frozen
class Compare:
    op: str
    left: Expr
    right: Expr


@attrs.frozen
class Like:
    arg: Expr
    pattern: str
    escape: str | None
    negated: bool
    position: int


@attrs.frozen
class In:
    arg: Expr
    values: tuple[Expr, ...] | None
    """The listed values (`IN (a, b)`), or None for `IN list-field`."""
    source: Expr | None
    negated: bool
    position: int


@attrs.frozen
class Is:
    arg: Expr
    what: str
    """`NULL` or `MISSING`."""
    negated: bool


Expr = Literal | FieldPath | Ref | Lower | Not | Logic | Compare | Like | In | Is


@attrs.frozen
class NodePattern:
    var: Name | None


@attrs.frozen
class EdgePattern:
    var: Name | None
    label: str | None
    direction: str
    """`out` (`-[]->`), `in` (`<-[]-`) or `any` (`-[]-`)."""
    position: int
    min_hops: int = 1
    max_hops: int | None = 1
    """`{m,n}` after the edge repeats it m to n times; `{m,}` has no upper bound (None)."""

    @property
    def variable_length(self) -> bool:
        """True when the edge carries a quantifier other than exactly one hop."""
        return (self.min_hops, self.max_hops) != (1, 1)


@attrs.frozen
class Unnest:
    source: FieldPath
    alias: Name


@attrs.frozen
class Item:
    path: FieldPath
    alias: Name | None
    count: bool = False
    """`COUNT(path)`: the number of matches where `path` is neither NULL nor MISSING."""
    position: int = 0


@attrs.frozen
class Query:
    items: tuple[Item, ...]
    nodes: tuple[NodePattern, ...]
    edges: tuple[EdgePattern, ...]
    unnests: tuple[Unnest, ...]
    where: Expr | None
    limit: int | None
    offset: int | None
    path_var: Name | None = None
    """`MATCH p = pattern`: the variable bound to each match's whole path."""
    distinct: bool = False
