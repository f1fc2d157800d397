"""Planning a knowledge-graph query: variables bound, fields checked, columns named, quotas kept."""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Mapping
from typing import Final

import attrs

from twinkit.local._backends.query.lexer import quota, unsupported
from twinkit.local._backends.query.syntax import (
    Compare,
    EdgePattern,
    Expr,
    Field,
    FieldPath,
    In,
    Is,
    Item,
    Like,
    Literal,
    Logic,
    Lower,
    Name,
    Not,
    Query,
    Ref,
    Unnest,
)
from twinkit.local._errors import validation
from twinkit.models import ColumnType

DEFAULT_PAGE_SIZE = 50
"""The API reference: "The default is 50"."""
MAX_HOPS = 10
MAX_ITEMS = 20
MAX_CONDITIONS = 10
MAX_LIKE_PATTERN = 20
MAX_IN_VALUES = 10
MAX_TRAVERSAL = 3000
"""The guide's quota on LIMIT, OFFSET and their sum."""

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "MAX_HOPS",
    "Column",
    "Kind",
    "Plan",
    "Planner",
    "Step",
    "like_regex",
    "PATH_COLUMN",
]

PATH_COLUMN = "PATH"
"""The column type of a path variable: the guide's PATH, which botocore's `ColumnType` lacks
(an enum field of the models also takes a plain string, as for any value newer than the model)."""


class Kind(enum.Enum):
    """What a variable is bound to."""

    NODE = "node"
    EDGE = "edge"
    COMPONENT = "component"
    PROPERTY = "property"
    PATH = "path"


_FIELDS: Final[Mapping[Kind, tuple[str, ...]]] = {
    Kind.NODE: (
        "arn",
        "creationDate",
        "entityId",
        "entityName",
        "lastUpdateDate",
        "workspaceId",
        "description",
        "components",
    ),
    Kind.EDGE: (
        "relationshipName",
        "sourceEntityId",
        "targetEntityId",
        "sourceComponentName",
        "sourceComponentTypeId",
    ),
    Kind.COMPONENT: ("componentName", "componentTypeId", "properties"),
    Kind.PROPERTY: ("propertyName", "propertyValue", "definition"),
    Kind.PATH: (),
}
"""The fields of each kind's documents (see the module docstring)."""
_COLUMN_TYPES: Final[Mapping[Kind, ColumnType | str]] = {
    Kind.NODE: ColumnType.NODE,
    Kind.EDGE: ColumnType.EDGE,
    Kind.COMPONENT: ColumnType.VALUE,
    Kind.PROPERTY: ColumnType.VALUE,
    Kind.PATH: PATH_COLUMN,
}
"""The column type of a whole variable selected (a field selected is always a VALUE)."""
_UNNESTED = {
    (Kind.NODE, "components"): Kind.COMPONENT,
    (Kind.COMPONENT, "properties"): Kind.PROPERTY,
}
"""What unnesting a field of a variable binds (`e.components AS c`, `c.properties AS p`)."""
_MAP_FIELDS = frozenset({"propertyValue", "definition"})
"""The fields a path may go below (into map keys)."""


@attrs.frozen
class Step:
    """One edge of the pattern, from the node before it to the node after it."""

    edge: str
    label: str | None
    direction: str
    min_hops: int = 1
    max_hops: int = 1
    """Both 1 for a plain edge; a quantified edge binds `edge` to the whole run of hops."""

    @property
    def variable_length(self) -> bool:
        """True for a quantified edge (`{m,n}`, `{m,}`)."""
        return (self.min_hops, self.max_hops) != (1, 1)


@attrs.frozen
class UnnestStep:
    """One unnest: the variable unnested, the field (`components`, `properties`), the alias."""

    source: str
    field: str
    alias: str


@attrs.frozen
class Column:
    """One column of the result: its name, type and what it reads from a match."""

    name: str
    type: ColumnType | str
    ref: Ref
    count: bool = False
    """`COUNT(ref)`: the number of matches where `ref` is neither NULL nor MISSING."""


@attrs.frozen
class Plan:
    """A statement ready to run: variables by key, references resolved, columns named."""

    nodes: tuple[str, ...]
    """The variable of each node of the pattern, in order (anonymous nodes get `#n`)."""
    steps: tuple[Step, ...]
    unnests: tuple[UnnestStep, ...]
    where: Expr | None
    columns: tuple[Column, ...]
    limit: int | None
    offset: int | None
    path: str | None = None
    """The variable bound to each match's path (`MATCH p = ...`), if any."""
    distinct: bool = False

    @property
    def aggregate(self) -> bool:
        """True when the columns are COUNTs: the query answers one row."""
        return any(c.count for c in self.columns)

    @property
    def order(self) -> tuple[str, ...]:
        """The variables whose bindings make a match's sort key, in pattern order."""
        return (*self.nodes, *(s.edge for s in self.steps), *(u.alias for u in self.unnests))


class Planner:
    """Binds a query's variables and checks its names and quotas, making a `Plan`."""

    def __init__(self) -> None:
        self.kinds: dict[str, Kind] = {}
        self._anonymous = 0

    def plan(self, query: Query) -> Plan:
        hops = sum(e.min_hops if e.max_hops is None else e.max_hops for e in query.edges)
        if hops > MAX_HOPS:
            raise quota(f"a pattern has at most {MAX_HOPS} hops, counting {{m,n}} as n")
        if len(query.items) > MAX_ITEMS:
            raise quota(f"a query selects at most {MAX_ITEMS} items")
        _check_traversal(query)
        nodes = tuple(self._declare(n.var, Kind.NODE) for n in query.nodes)
        steps = tuple(self._step(e) for e in query.edges)
        path = None if query.path_var is None else self._declare(query.path_var, Kind.PATH)
        unnests = tuple(self._unnest(u) for u in query.unnests)
        where = None
        if query.where is not None:
            if _conditions(query.where) > MAX_CONDITIONS:
                raise quota(f"a condition has at most {MAX_CONDITIONS} of AND, OR and NOT")
            where = self._resolve(query.where)
        columns = tuple(self._column(n, item) for n, item in enumerate(query.items, 1))
        _check_columns(query, columns)
        return Plan(
            nodes=nodes,
            steps=steps,
            unnests=unnests,
            where=where,
            columns=columns,
            limit=query.limit,
            offset=query.offset,
            path=path,
            distinct=query.distinct,
        )

    def _step(self, edge: EdgePattern) -> Step:
        if edge.variable_length and edge.var is not None:
            raise unsupported(
                "a variable on a variable-length edge (-[r]->{m,n}); bind the whole path "
                "with MATCH p = ... instead",
                edge.var.position,
            )
        return Step(
            self._declare(edge.var, Kind.EDGE),
            edge.label,
            edge.direction,
            edge.min_hops,
            MAX_HOPS if edge.max_hops is None else edge.max_hops,
        )

    def _declare(self, name: Name | None, kind: Kind) -> str:
        if name is None:
            self._anonymous += 1
            return f"#{self._anonymous}"
        known = self.kinds.get(name.key)
        if known is not None and (known is not kind or kind not in (Kind.NODE, Kind.EDGE)):
            raise validation(
                f"queryStatement: variable '{name.text}' (at position {name.position}) is "
                f"already bound to a {known.value}"
            )
        self.kinds[name.key] = kind
        return name.key

    def _unnest(self, unnest: Unnest) -> UnnestStep:
        ref, kind = self._ref(unnest.source)
        field = ref.fields[0].name if len(ref.fields) == 1 else None
        unnested = _UNNESTED.get((kind, field or ""))
        if field is None or unnested is None:
            raise unsupported(
                "unnesting anything but n.components and c.properties",
                unnest.source.var.position,
            )
        return UnnestStep(ref.var, field, self._declare(unnest.alias, unnested))

    def _column(self, number: int, item: Item) -> Column:
        """The column of the `number`-th item: named by its alias, else by the last name of its
        path, else (a COUNT) `_number`, as PartiQL names an expression it cannot name."""
        ref, kind = self._ref(item.path)
        if item.count and kind is Kind.PATH:
            raise unsupported("COUNT of a path variable", item.position)
        if item.alias is not None:
            name = item.alias.text
        elif item.count:
            name = f"_{number}"
        else:
            name = item.path.fields[-1].text if item.path.fields else item.path.var.text
        if item.count or ref.fields:
            return Column(name, ColumnType.VALUE, ref, count=item.count)
        return Column(name, _COLUMN_TYPES[kind], ref)

    def _ref(self, path: FieldPath) -> tuple[Ref, Kind]:
        kind = self.kinds.get(path.var.key)
        if kind is None:
            raise validation(
                f"queryStatement: unknown variable '{path.var.text}' (at position "
                f"{path.var.position}): bind it in the MATCH pattern or with an unnest"
            )
        if not path.fields:
            return Ref(path.var.key, ()), kind
        first, *rest = path.fields
        if kind is Kind.PATH:
            raise unsupported(
                f"fields of a path variable ({path.var.text}.{first.text}); select the path whole",
                first.position,
            )
        field = _field_of(kind, first)
        if rest and field not in _MAP_FIELDS:
            what = (
                f"paths below {field} (unnest it: , v.{field} AS x)"
                if (kind, field) in _UNNESTED
                else f"paths below the field {field}"
            )
            raise unsupported(what, rest[0].position)
        fields = (Field(field, True), *(Field(f.text, f.quoted) for f in rest))
        return Ref(path.var.key, fields), kind

    def _resolve(self, expr: Expr) -> Expr:
        """`expr` with its paths resolved and its LIKE patterns and IN lists checked."""
        if isinstance(expr, FieldPath):
            return self._ref(expr)[0]
        if isinstance(expr, (Literal, Ref)):
            return expr
        if isinstance(expr, (Lower, Not, Is)):
            return attrs.evolve(expr, arg=self._resolve(expr.arg))
        if isinstance(expr, (Logic, Compare)):
            return attrs.evolve(
                expr, left=self._resolve(expr.left), right=self._resolve(expr.right)
            )
        if isinstance(expr, Like):
            if len(expr.pattern) > MAX_LIKE_PATTERN:
                raise quota(f"a LIKE pattern has at most {MAX_LIKE_PATTERN} characters")
            like_regex(expr.pattern, expr.escape)  # checks it
            return attrs.evolve(expr, arg=self._resolve(expr.arg))
        if expr.values is not None and len(expr.values) > MAX_IN_VALUES:
            raise quota(f"an IN list has at most {MAX_IN_VALUES} values")
        return attrs.evolve(
            expr,
            arg=self._resolve(expr.arg),
            values=None if expr.values is None else tuple(self._resolve(v) for v in expr.values),
            source=None if expr.source is None else self._resolve(expr.source),
        )


def _field_of(kind: Kind, name: Name) -> str:
    """The field of a `kind` document that `name` names (exactly if quoted), or an error."""
    for field in _FIELDS[kind]:
        if field == name.text or (not name.quoted and field.lower() == name.text.lower()):
            return field
    raise validation(
        f"queryStatement: twinkit.local's ExecuteQuery does not model the field '{name.text}' "
        f"of a {kind.value} (at position {name.position}); it knows {', '.join(_FIELDS[kind])}"
    )


def _check_columns(query: Query, columns: tuple[Column, ...]) -> None:
    """The rules of COUNT and DISTINCT: COUNT alone (no GROUP BY), DISTINCT on plain values."""
    counts = [item for item in query.items if item.count]
    if counts and len(counts) != len(query.items):
        plain = next(item for item in query.items if not item.count)
        raise unsupported(
            "COUNT next to items that are not counts (that needs GROUP BY)", plain.path.var.position
        )
    if query.distinct:
        for item, column in zip(query.items, columns, strict=True):
            whole = not item.count and not item.path.fields
            if column.type is not ColumnType.VALUE or whole:
                raise unsupported(
                    f"DISTINCT on a whole {str(column.type).lower() if not whole else 'variable'} "
                    f"({item.path.var.text}): DISTINCT applies to plain values",
                    item.path.var.position,
                )


def _check_traversal(query: Query) -> None:
    for value, clause in ((query.limit, "LIMIT"), (query.offset, "OFFSET")):
        if value is not None and value > MAX_TRAVERSAL:
            raise quota(f"{clause} is at most {MAX_TRAVERSAL}")
    if (query.limit or 0) + (query.offset or 0) > MAX_TRAVERSAL:
        raise quota(f"LIMIT plus OFFSET is at most {MAX_TRAVERSAL}")


def _conditions(expr: Expr) -> int:
    """How many AND, OR and NOT `expr` holds (NOT LIKE, NOT IN and IS NOT count too)."""
    if isinstance(expr, Logic):
        return 1 + _conditions(expr.left) + _conditions(expr.right)
    if isinstance(expr, Not):
        return 1 + _conditions(expr.arg)
    if isinstance(expr, (Like, Is)):
        return int(expr.negated) + _conditions(expr.arg)
    if isinstance(expr, In):
        inner = [*(expr.values or ()), *((expr.source,) if expr.source is not None else ())]
        return int(expr.negated) + _conditions(expr.arg) + sum(_conditions(v) for v in inner)
    if isinstance(expr, Compare):
        return _conditions(expr.left) + _conditions(expr.right)
    if isinstance(expr, Lower):
        return _conditions(expr.arg)
    return 0


@functools.lru_cache(maxsize=256)
def like_regex(pattern: str, escape: str | None) -> re.Pattern[str]:
    """The regular expression of a LIKE pattern: `%` any run of characters, `_` one."""
    if escape is not None and len(escape) != 1:
        raise validation("queryStatement: an ESCAPE character is one character")
    parts = []
    chars = iter(pattern)
    for char in chars:
        if char == escape:
            escaped = next(chars, None)
            if escaped is None:
                raise validation("queryStatement: a LIKE pattern ends with its ESCAPE character")
            parts.append(re.escape(escaped))
        elif char == "%":
            parts.append(".*")
        elif char == "_":
            parts.append(".")
        else:
            parts.append(re.escape(char))
    return re.compile("".join(parts), re.DOTALL)
