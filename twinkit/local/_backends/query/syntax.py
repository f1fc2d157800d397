"""The syntax tree of a knowledge-graph query: what the parser builds and the planner resolves."""

from __future__ import annotations

import attrs

from twinkit.models import JsonValue

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
    """A string, number, boolean or NULL written in the statement."""

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
    """`lower(arg)`."""

    arg: Expr


@attrs.frozen
class Not:
    """`NOT arg`."""

    arg: Expr


@attrs.frozen
class Logic:
    """`left AND right`, `left OR right`."""

    op: str
    """`AND` or `OR`."""
    left: Expr
    right: Expr


@attrs.frozen
class Compare:
    """`left op right`, op one of `=`, `!=`, `<>`, `<`, `<=`, `>`, `>=`."""

    op: str
    left: Expr
    right: Expr


@attrs.frozen
class Like:
    """`arg [NOT] LIKE 'pattern' [ESCAPE 'c']`."""

    arg: Expr
    pattern: str
    escape: str | None
    negated: bool
    position: int


@attrs.frozen
class In:
    """`arg [NOT] IN (values...)` or `arg [NOT] IN list-field`."""

    arg: Expr
    values: tuple[Expr, ...] | None
    """The listed values (`IN (a, b)`), or None for `IN list-field`."""
    source: Expr | None
    negated: bool
    position: int


@attrs.frozen
class Is:
    """`arg IS [NOT] NULL` or `arg IS [NOT] MISSING`."""

    arg: Expr
    what: str
    """`NULL` or `MISSING`."""
    negated: bool


Expr = Literal | FieldPath | Ref | Lower | Not | Logic | Compare | Like | In | Is


@attrs.frozen
class NodePattern:
    """`(v)` in a pattern, the variable optional."""

    var: Name | None


@attrs.frozen
class EdgePattern:
    """`-[v:label]->`, `<-[v:label]-` or `-[v:label]-` in a pattern, maybe quantified."""

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
    """`, source [AS] alias` after the pattern (`e.components AS c`)."""

    source: FieldPath
    alias: Name


@attrs.frozen
class Item:
    """One item of SELECT: a variable or field path, maybe counted, maybe aliased."""

    path: FieldPath
    alias: Name | None
    count: bool = False
    """`COUNT(path)`: the number of matches where `path` is neither NULL nor MISSING."""
    position: int = 0


@attrs.frozen
class Query:
    """A whole statement as written."""

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
