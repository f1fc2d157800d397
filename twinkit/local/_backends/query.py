"""ExecuteQuery: knowledge-graph queries (PartiQL with graph `MATCH`) over `EntityGraph`.

The service runs PartiQL with graph patterns over a workspace's entity graph. twinkit.local runs
the subset below and refuses everything else with a `ValidationException` naming what it does
not support: it never answers a query it did not understand. A statement goes parse (`_lex`,
`_Parser`: text -> syntax tree) -> plan (`_Planner`: variables bound, fields checked, columns named,
quotas) -> evaluate (`_Graph`, `_bindings`: the pattern's matches that satisfy `WHERE`) -> rows
(ordered, `OFFSET`/`LIMIT`, paged by `maxResults`/`nextToken`).

The graph, as the knowledge graph guide describes it:

* a **node** per entity of the workspace (entities being deleted are not), the document
  `{"arn", "creationDate", "entityId", "entityName", "lastUpdateDate", "workspaceId",
  "description", "components": [{"componentName", "componentTypeId", "properties":
  [{"propertyName", "propertyValue"}]}]}`: dates in epoch milliseconds, top-level components by
  name, every property of a component by name with its value or default (no `propertyValue`
  when it has neither);
* an **edge** per relationship value of a component property (a `relationshipValue`, or each
  one in a `listValue`): `{"relationshipName"` (the property's name)`, "sourceEntityId",
  "targetEntityId", "sourceComponentName", "sourceComponentTypeId"}`; and an `isChildOf` edge
  from each entity to its parent (`parentEntityId`): `{"relationshipName", "sourceEntityId",
  "targetEntityId"}`. An edge to an entity that does not exist matches no pattern.

Supported (keywords and unquoted names are case-insensitive, `"quoted"` field names exact):

    SELECT item [, item ...] FROM EntityGraph MATCH pattern [, unnest ...]
    [WHERE condition] [LIMIT n] [OFFSET m]

* item: `v` (a node: NODE column; an edge: EDGE; a component or property: VALUE) or
  `v.field[.key ...]` (VALUE), with an optional `[AS] alias`; a column is named by its alias,
  else by the last name of the item.
* pattern: `(a)` followed by any number of `-[r:label]->(b)`, `<-[r:label]-(b)` or
  `-[r:label]-(b)` (either direction: one match each way). The variable, the label (a
  relationship name) or both may be left out, as may the brackets (`->`, `<-`, `-`). A variable
  used twice must be bound to the same node (or edge) both times; an edge may otherwise come
  twice in one match (`(a)-[r1]->(b)<-[r2]-(a)` binds r2 to r1 too).
* unnest: `n.components [AS] c` (each component of node `n`), `c.properties [AS] p` (each
  property of component `c`).
* fields: those of the documents above; below `propertyValue`, map keys
  (`p.propertyValue.length`).
* condition: `OR`, `AND`, `NOT`, parentheses; `=`, `!=`, `<>`, `<`, `<=`, `>`, `>=`;
  `[NOT] LIKE 'pattern' [ESCAPE 'c']` (`%` any run of characters, `_` one); `[NOT] IN (x, ...)`
  and `x [NOT] IN list-field`; `IS [NOT] NULL`, `IS [NOT] MISSING`; `lower(x)`; literals
  `'it''s'`, numbers, `TRUE`, `FALSE`, `NULL`.
* the guide's query quotas: at most 10 edges in a pattern, 20 items, 10 of `AND`/`OR`/`NOT`,
  LIKE patterns of 20 characters, 10 values in an `IN` list, `LIMIT` and `OFFSET` (and their sum)
  up to 3000.

Semantics (PartiQL's): a comparison with a missing field or `NULL` is unknown, and a match is
kept only when `WHERE` is true (`NOT unknown` is unknown); `=` between values of different
types is false (numbers compare by value), an order comparison between them unknown; string
comparisons are case-sensitive (use `lower()`).

Not supported, refused by name: `SELECT *`, `DISTINCT`, `COUNT` and every function but
`lower`, expressions other than fields as items, variable-length patterns (`{m,n}`), path
variables (`MATCH p = ...`, `PATH` columns), node labels, label expressions (`[:a|b]`), `WHERE`
inside a pattern, a second pattern, sources other than `EntityGraph`, `ORDER BY`, `GROUP BY`,
`HAVING`, set operators, subqueries, `BETWEEN`, `CASE`, arithmetic, comments, and fields the
emulator does not model (property definitions, `parentEntityId`, ...).

Deliberate deviations and guesses (where the guide does not say): rows come in a fixed order
(by the ids of the matched entities, then edges, components, properties), which the service
does not promise; a selected field that is missing is `null` in its row; no edge-uniqueness
rule applies within a match; a `relationshipValue` property value reads `{"targetEntityId",
"targetComponentName"}` and an `expression` its text; composite components are left out of
nodes and their relationships make no edges; `isChildOf` edges carry no component fields; the
pricing mode is not checked (the guide asks for STANDARD or TIERED_BUNDLE). `nextToken` holds
the last row's sort key, so paging never repeats or skips a row whose match existed throughout;
a token only works with the workspace and statement that issued it.
"""

from __future__ import annotations

import enum
import functools
import json
import re
from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta, timezone
from typing import Final

import attrs

from twinkit import models
from twinkit._modelbase import JsonValue
from twinkit.local._backends import handles
from twinkit.local._backends._paging import page
from twinkit.local._backends.component_types import TypeResolver
from twinkit.local._backends.entities import ROOT, EntityRecord, component_values
from twinkit.local._backends.workspaces import workspace_or_404
from twinkit.local._errors import ServiceFault, validation
from twinkit.local._state import Context
from twinkit.models import ColumnType, DataValue

__all__: list[str] = []

DEFAULT_PAGE_SIZE = 50
"""The API reference: "The default is 50"."""
MAX_HOPS = 10
MAX_ITEMS = 20
MAX_CONDITIONS = 10
MAX_LIKE_PATTERN = 20
MAX_IN_VALUES = 10
MAX_TRAVERSAL = 3000
"""The guide's quota on LIMIT, OFFSET and their sum."""
CHILD_OF = "isChildOf"
"""The relationship name of the edge from an entity to its parent."""

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def _syntax_error(position: int, found: str, expected: str) -> ServiceFault:
    where = "at the end of the query" if not found else f"at position {position} ('{found}')"
    return validation(f"queryStatement: syntax error {where}: expected {expected}")


def _unsupported(what: str, position: int) -> ServiceFault:
    return validation(
        f"queryStatement: twinkit.local's ExecuteQuery does not support {what} "
        f"(at position {position}); see the supported subset under ExecuteQuery in docs/local.md"
    )


def _quota(message: str) -> ServiceFault:
    return validation(f"queryStatement: {message} (a quota of the knowledge graph)")


# --- parse: tokens ----------------------------------------------------------------------------


@attrs.frozen
class _Token:
    kind: str
    """`name`, `quoted` (a "quoted name"), `string`, `number`, `symbol` or `end`."""
    text: str
    """The token as written (a string's or quoted name's text unquoted)."""
    position: int
    """1-based, in characters."""

    def word(self) -> str | None:
        """The upper-cased text of an unquoted name (a keyword candidate), else None."""
        return self.text.upper() if self.kind == "name" else None


_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<number>(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<string>'(?:[^']|'')*')
  | (?P<quoted>"(?:[^"]|"")*")
  | (?P<symbol><=|>=|<>|!=|\|\||[()\[\]{}<>=,.:*|;+/%-])
    """,
    re.VERBOSE,
)

_RESERVED: Final = frozenset(
    {
        *("SELECT", "FROM", "MATCH", "WHERE", "AND", "OR", "NOT", "LIKE", "ESCAPE", "IN", "IS"),
        *("NULL", "MISSING", "AS", "LIMIT", "OFFSET", "TRUE", "FALSE", "DISTINCT", "ALL"),
        *("VALUE", "ORDER", "GROUP", "BY", "HAVING", "UNION", "INTERSECT", "EXCEPT", "BETWEEN"),
        *("CASE", "WHEN", "THEN", "ELSE", "END", "JOIN", "ON", "LEFT", "RIGHT", "INNER"),
        *("OUTER", "CROSS", "FULL", "AT", "LET", "PIVOT", "UNPIVOT", "EXISTS"),
    }
)
"""Words that are not variable names (unless quoted)."""

_CLAUSES: Final = {
    "ORDER": "ORDER BY",
    "GROUP": "GROUP BY",
    "HAVING": "HAVING",
    "UNION": "UNION",
    "INTERSECT": "INTERSECT",
    "EXCEPT": "EXCEPT",
    "JOIN": "JOIN",
    "LEFT": "JOIN",
    "RIGHT": "JOIN",
    "INNER": "JOIN",
    "OUTER": "JOIN",
    "CROSS": "JOIN",
    "FULL": "JOIN",
    "LET": "LET",
}
"""Clauses PartiQL has and this subset refuses, by their first word."""


def _lex(statement: str) -> list[_Token]:
    """The statement's tokens, ending with an `end` token."""
    tokens = []
    at = 0
    while at < len(statement):
        if statement.startswith(("--", "/*"), at):
            raise _unsupported("comments", at + 1)
        match = _TOKEN.match(statement, at)
        if match is None:
            char = statement[at]
            if char in "'\"":
                what = "string" if char == "'" else "quoted name"
                raise validation(
                    f"queryStatement: syntax error at position {at + 1}: an unterminated {what}"
                )
            raise validation(
                f"queryStatement: syntax error at position {at + 1}: unexpected character '{char}'"
            )
        kind = match.lastgroup or "space"
        text = match.group()
        if kind == "string":
            text = text[1:-1].replace("''", "'")
        elif kind == "quoted":
            text = text[1:-1].replace('""', '"')
        if kind != "space":
            tokens.append(_Token(kind, text, at + 1))
        at = match.end()
    tokens.append(_Token("end", "", len(statement) + 1))
    return tokens


# --- parse: syntax tree -----------------------------------------------------------------------


@attrs.frozen
class _Name:
    """A variable, alias or field name as written."""

    text: str
    quoted: bool
    position: int

    @property
    def key(self) -> str:
        """The variable it names: variables are case-insensitive."""
        return self.text.lower()


@attrs.frozen
class _Literal:
    value: JsonValue


@attrs.frozen
class _Path:
    """`var.field.key...` as written."""

    var: _Name
    fields: tuple[_Name, ...]


@attrs.frozen
class _Field:
    """One step of a resolved path: a field of a document, or a key of a map."""

    name: str
    exact: bool
    """False for an unquoted map key: matched case-insensitively when not found as is."""


@attrs.frozen
class _Ref:
    """A resolved path: a bound variable and the fields below it."""

    var: str
    fields: tuple[_Field, ...]


@attrs.frozen
class _Lower:
    arg: _Expr


@attrs.frozen
class _Not:
    arg: _Expr


@attrs.frozen
class _Logic:
    op: str
    """`AND` or `OR`."""
    left: _Expr
    right: _Expr


@attrs.frozen
class _Compare:
    op: str
    left: _Expr
    right: _Expr


@attrs.frozen
class _Like:
    arg: _Expr
    pattern: str
    escape: str | None
    negated: bool
    position: int


@attrs.frozen
class _In:
    arg: _Expr
    values: tuple[_Expr, ...] | None
    """The listed values (`IN (a, b)`), or None for `IN list-field`."""
    source: _Expr | None
    negated: bool
    position: int


@attrs.frozen
class _Is:
    arg: _Expr
    what: str
    """`NULL` or `MISSING`."""
    negated: bool


_Expr = _Literal | _Path | _Ref | _Lower | _Not | _Logic | _Compare | _Like | _In | _Is


@attrs.frozen
class _NodePattern:
    var: _Name | None


@attrs.frozen
class _EdgePattern:
    var: _Name | None
    label: str | None
    direction: str
    """`out` (`-[]->`), `in` (`<-[]-`) or `any` (`-[]-`)."""
    position: int


@attrs.frozen
class _Unnest:
    source: _Path
    alias: _Name


@attrs.frozen
class _Item:
    path: _Path
    alias: _Name | None


@attrs.frozen
class _Query:
    items: tuple[_Item, ...]
    nodes: tuple[_NodePattern, ...]
    edges: tuple[_EdgePattern, ...]
    unnests: tuple[_Unnest, ...]
    where: _Expr | None
    limit: int | None
    offset: int | None


# --- parse: recursive descent -----------------------------------------------------------------


class _Parser:
    """A recursive-descent parser of the supported subset (the grammar in the module docstring).

    Constructs of PartiQL outside the subset raise `_unsupported` naming them; anything else
    that does not fit raises a syntax error naming what was expected.
    """

    def __init__(self, statement: str) -> None:
        self._tokens = _lex(statement)
        self._at = 0

    # tokens

    @property
    def _tok(self) -> _Token:
        return self._tokens[self._at]

    def _next(self, ahead: int = 1) -> _Token:
        return self._tokens[min(self._at + ahead, len(self._tokens) - 1)]

    def _advance(self) -> _Token:
        token = self._tok
        if token.kind != "end":
            self._at += 1
        return token

    def _next_is(self, symbol: str) -> bool:
        token = self._next()
        return token.kind == "symbol" and token.text == symbol

    def _at_word(self, *words: str) -> bool:
        return self._tok.word() in words

    def _at_symbol(self, *symbols: str) -> bool:
        return self._tok.kind == "symbol" and self._tok.text in symbols

    def _accept_word(self, word: str) -> bool:
        if self._at_word(word):
            self._advance()
            return True
        return False

    def _accept_symbol(self, symbol: str) -> bool:
        if self._at_symbol(symbol):
            self._advance()
            return True
        return False

    def _expect_word(self, word: str) -> None:
        if not self._accept_word(word):
            raise self._fail(word)

    def _expect_symbol(self, symbol: str) -> None:
        if not self._accept_symbol(symbol):
            raise self._fail(f"'{symbol}'")

    def _fail(self, expected: str) -> ServiceFault:
        clause = _CLAUSES.get(self._tok.word() or "")
        if clause is not None:
            return _unsupported(clause, self._tok.position)
        return _syntax_error(self._tok.position, self._tok.text, expected)

    def _at_name(self) -> bool:
        token = self._tok
        return token.kind == "quoted" or (token.kind == "name" and token.word() not in _RESERVED)

    def _name(self, expected: str = "a variable") -> _Name:
        if not self._at_name():
            raise self._fail(expected)
        token = self._advance()
        return _Name(token.text, token.kind == "quoted", token.position)

    # the statement

    def query(self) -> _Query:
        """The whole statement."""
        self._expect_word("SELECT")
        items = self._items()
        self._expect_word("FROM")
        nodes, edges = self._source()
        unnests = []
        while self._accept_symbol(","):
            unnests.append(self._unnest())
        where = self._expr() if self._accept_word("WHERE") else None
        limit = self._count("LIMIT") if self._accept_word("LIMIT") else None
        offset = self._count("OFFSET") if self._accept_word("OFFSET") else None
        if self._tok.kind != "end":
            raise self._fail("the end of the query")
        return _Query(
            items=tuple(items),
            nodes=tuple(nodes),
            edges=tuple(edges),
            unnests=tuple(unnests),
            where=where,
            limit=limit,
            offset=offset,
        )

    def _items(self) -> list[_Item]:
        if self._at_symbol("*"):
            raise _unsupported("SELECT *", self._tok.position)
        if self._at_word("DISTINCT", "ALL", "VALUE"):
            raise _unsupported(f"SELECT {self._tok.word()}", self._tok.position)
        items = [self._item()]
        while self._accept_symbol(","):
            items.append(self._item())
        return items

    def _item(self) -> _Item:
        token = self._tok
        if token.kind == "name" and self._next_is("("):
            raise _unsupported(f"the function {token.text.upper()} in SELECT", token.position)
        if not self._at_name():
            if token.kind in ("string", "number") or token.word() in ("TRUE", "FALSE", "NULL"):
                raise _unsupported("literals in SELECT", token.position)
            raise self._fail("a variable or a field (v or v.field)")
        path = self._path()
        if self._at_symbol("+", "-", "*", "/", "%", "||"):
            raise _unsupported("expressions in SELECT", self._tok.position)
        alias = None
        if self._accept_word("AS") or self._at_name():
            alias = self._name("an alias")
        return _Item(path, alias)

    def _path(self) -> _Path:
        var = self._name()
        fields = []
        while self._accept_symbol("."):
            token = self._tok
            if token.kind not in ("name", "quoted"):
                if self._at_symbol("*"):
                    raise _unsupported("wildcard paths (v.*)", token.position)
                raise self._fail("a field name")
            self._advance()
            fields.append(_Name(token.text, token.kind == "quoted", token.position))
        if self._at_symbol("["):
            raise _unsupported("index paths (v.field[...])", self._tok.position)
        return _Path(var, tuple(fields))

    def _count(self, clause: str) -> int:
        token = self._tok
        if token.kind != "number" or not token.text.isdigit():
            raise self._fail(f"a whole number after {clause}")
        self._advance()
        return int(token.text)

    # FROM EntityGraph MATCH pattern, unnest ...

    def _source(self) -> tuple[list[_NodePattern], list[_EdgePattern]]:
        token = self._tok
        if token.kind != "name" or token.text.lower() != "entitygraph":
            raise _unsupported(
                "sources other than EntityGraph (FROM EntityGraph MATCH ...)", token.position
            )
        self._advance()
        self._expect_word("MATCH")
        if self._at_name() and self._next_is("="):
            raise _unsupported("path variables (MATCH p = ...)", self._tok.position)
        nodes = [self._node()]
        edges = []
        while self._at_symbol("-", "<"):
            edges.append(self._edge())
            if self._at_symbol("{", "+", "*"):
                raise _unsupported("variable-length patterns ({m,n})", self._tok.position)
            nodes.append(self._node())
        return nodes, edges

    def _node(self) -> _NodePattern:
        self._expect_symbol("(")
        var = self._name() if self._at_name() else None
        if self._at_symbol(":"):
            raise _unsupported("node labels ((n:label))", self._tok.position)
        if self._at_word("WHERE"):
            raise _unsupported("WHERE inside a pattern", self._tok.position)
        self._expect_symbol(")")
        return _NodePattern(var)

    def _edge(self) -> _EdgePattern:
        position = self._tok.position
        if self._accept_symbol("<"):
            self._expect_symbol("-")
            var, label = None, None
            if self._accept_symbol("["):
                var, label = self._edge_body()
                self._expect_symbol("-")
            if self._at_symbol(">"):
                raise _unsupported("edges in either direction (<-[]->)", self._tok.position)
            return _EdgePattern(var, label, "in", position)
        self._expect_symbol("-")
        if self._accept_symbol("["):
            var, label = self._edge_body()
            self._expect_symbol("-")
            direction = "out" if self._accept_symbol(">") else "any"
            return _EdgePattern(var, label, direction, position)
        direction = "out" if self._accept_symbol(">") else "any"
        return _EdgePattern(None, None, direction, position)

    def _edge_body(self) -> tuple[_Name | None, str | None]:
        """`[r:label]` after its `[`, up to and including its `]`."""
        var = self._name() if self._at_name() else None
        label = None
        if self._accept_symbol(":"):
            token = self._tok
            if token.kind not in ("name", "quoted"):
                raise self._fail("a relationship name")
            label = self._advance().text
            if self._at_symbol("|", "&", "!", "%"):
                raise _unsupported("label expressions ([:a|b])", self._tok.position)
        if self._at_word("WHERE"):
            raise _unsupported("WHERE inside a pattern", self._tok.position)
        self._expect_symbol("]")
        return var, label

    def _unnest(self) -> _Unnest:
        if self._at_symbol("("):
            raise _unsupported("a second MATCH pattern", self._tok.position)
        source = self._path()
        if not (self._accept_word("AS") or self._at_name()):
            raise self._fail("AS and a variable")
        alias = self._name()
        if self._at_word("AT"):
            raise _unsupported("AT in FROM", self._tok.position)
        return _Unnest(source, alias)

    # conditions

    def _expr(self) -> _Expr:
        left = self._and()
        while self._accept_word("OR"):
            left = _Logic("OR", left, self._and())
        return left

    def _and(self) -> _Expr:
        left = self._not()
        while self._accept_word("AND"):
            left = _Logic("AND", left, self._not())
        return left

    def _not(self) -> _Expr:
        if self._accept_word("NOT"):
            return _Not(self._not())
        return self._predicate()

    def _predicate(self) -> _Expr:
        left = self._primary()
        if self._at_symbol("=", "!=", "<>", "<", "<=", ">", ">="):
            op = self._advance().text
            return _Compare(op, left, self._primary())
        negated = self._at_word("NOT") and self._next().word() in ("LIKE", "IN", "BETWEEN")
        if negated:
            self._advance()
        position = self._tok.position
        if self._accept_word("LIKE"):
            pattern = self._string("a LIKE pattern")
            escape = self._string("an ESCAPE character") if self._accept_word("ESCAPE") else None
            return _Like(left, pattern, escape, negated, position)
        if self._accept_word("IN"):
            if self._accept_symbol("("):
                values = [self._expr()]
                while self._accept_symbol(","):
                    values.append(self._expr())
                self._expect_symbol(")")
                return _In(left, tuple(values), None, negated, position)
            return _In(left, None, self._primary(), negated, position)
        if self._at_word("BETWEEN"):
            raise _unsupported("BETWEEN", position)
        if self._accept_word("IS"):
            is_not = self._accept_word("NOT")
            if not self._at_word("NULL", "MISSING"):
                raise self._fail("NULL or MISSING")
            return _Is(left, self._advance().text.upper(), is_not)
        if self._at_symbol("+", "-", "*", "/", "%", "||"):
            raise _unsupported("arithmetic and string operators", position)
        return left

    def _string(self, what: str) -> str:
        token = self._tok
        if token.kind != "string":
            raise _unsupported(f"{what} that is not a string literal", token.position)
        self._advance()
        return token.text

    def _primary(self) -> _Expr:
        token = self._tok
        word = token.word()
        if self._accept_symbol("("):
            if self._at_word("SELECT"):
                raise _unsupported("subqueries", self._tok.position)
            inner = self._expr()
            self._expect_symbol(")")
            return inner
        if token.kind == "string":
            self._advance()
            return _Literal(token.text)
        if token.kind == "number" or (self._at_symbol("-") and self._next().kind == "number"):
            sign = -1 if self._accept_symbol("-") else 1
            return _Literal(sign * _number(self._advance().text))
        if word in ("TRUE", "FALSE", "NULL"):
            self._advance()
            return _Literal({"TRUE": True, "FALSE": False}.get(word))
        if token.kind == "name" and self._next_is("("):
            if word != "LOWER":
                raise _unsupported(f"the function {word}", token.position)
            self._advance()
            self._advance()
            arg = self._expr()
            self._expect_symbol(")")
            return _Lower(arg)
        if word in ("CASE", "EXISTS", "SELECT"):
            raise _unsupported(word, token.position)
        if self._at_symbol("[", "{", "<"):
            raise _unsupported("collection literals", token.position)
        if self._at_name():
            return self._path()
        raise self._fail("a value, a field or '('")


def _number(text: str) -> int | float:
    return int(text) if text.isdigit() else float(text)


# --- plan -------------------------------------------------------------------------------------


class _Kind(enum.Enum):
    """What a variable is bound to."""

    NODE = "node"
    EDGE = "edge"
    COMPONENT = "component"
    PROPERTY = "property"


_FIELDS: Final[Mapping[_Kind, tuple[str, ...]]] = {
    _Kind.NODE: (
        "arn",
        "creationDate",
        "entityId",
        "entityName",
        "lastUpdateDate",
        "workspaceId",
        "description",
        "components",
    ),
    _Kind.EDGE: (
        "relationshipName",
        "sourceEntityId",
        "targetEntityId",
        "sourceComponentName",
        "sourceComponentTypeId",
    ),
    _Kind.COMPONENT: ("componentName", "componentTypeId", "properties"),
    _Kind.PROPERTY: ("propertyName", "propertyValue"),
}
"""The fields of each kind's documents (see the module docstring)."""
_COLUMN_TYPES: Final[Mapping[_Kind, ColumnType]] = {
    _Kind.NODE: ColumnType.NODE,
    _Kind.EDGE: ColumnType.EDGE,
    _Kind.COMPONENT: ColumnType.VALUE,
    _Kind.PROPERTY: ColumnType.VALUE,
}
"""The column type of a whole variable selected (a field selected is always a VALUE)."""
_UNNESTED = {
    (_Kind.NODE, "components"): _Kind.COMPONENT,
    (_Kind.COMPONENT, "properties"): _Kind.PROPERTY,
}
"""What unnesting a field of a variable binds (`e.components AS c`, `c.properties AS p`)."""
_MAP_FIELDS = frozenset({"propertyValue"})
"""The fields a path may go below (into map keys)."""


@attrs.frozen
class _Step:
    """One edge of the pattern, from the node before it to the node after it."""

    edge: str
    label: str | None
    direction: str


@attrs.frozen
class _UnnestStep:
    source: str
    field: str
    alias: str


@attrs.frozen
class _Column:
    name: str
    type: ColumnType
    ref: _Ref


@attrs.frozen
class _Plan:
    """A statement ready to run: variables by key, references resolved, columns named."""

    nodes: tuple[str, ...]
    """The variable of each node of the pattern, in order (anonymous nodes get `#n`)."""
    steps: tuple[_Step, ...]
    unnests: tuple[_UnnestStep, ...]
    where: _Expr | None
    columns: tuple[_Column, ...]
    limit: int | None
    offset: int | None

    @property
    def order(self) -> tuple[str, ...]:
        """The variables whose bindings make a match's sort key, in pattern order."""
        return (*self.nodes, *(s.edge for s in self.steps), *(u.alias for u in self.unnests))


class _Planner:
    """Binds a query's variables and checks its names and quotas, making a `_Plan`."""

    def __init__(self) -> None:
        self.kinds: dict[str, _Kind] = {}
        self._anonymous = 0

    def plan(self, query: _Query) -> _Plan:
        if len(query.edges) > MAX_HOPS:
            raise _quota(f"a pattern has at most {MAX_HOPS} edges")
        if len(query.items) > MAX_ITEMS:
            raise _quota(f"a query selects at most {MAX_ITEMS} items")
        _check_traversal(query)
        nodes = tuple(self._declare(n.var, _Kind.NODE) for n in query.nodes)
        steps = tuple(
            _Step(self._declare(e.var, _Kind.EDGE), e.label, e.direction) for e in query.edges
        )
        unnests = tuple(self._unnest(u) for u in query.unnests)
        where = None
        if query.where is not None:
            if _conditions(query.where) > MAX_CONDITIONS:
                raise _quota(f"a condition has at most {MAX_CONDITIONS} of AND, OR and NOT")
            where = self._resolve(query.where)
        return _Plan(
            nodes=nodes,
            steps=steps,
            unnests=unnests,
            where=where,
            columns=tuple(self._column(item) for item in query.items),
            limit=query.limit,
            offset=query.offset,
        )

    def _declare(self, name: _Name | None, kind: _Kind) -> str:
        if name is None:
            self._anonymous += 1
            return f"#{self._anonymous}"
        known = self.kinds.get(name.key)
        if known is not None and (known is not kind or kind not in (_Kind.NODE, _Kind.EDGE)):
            raise validation(
                f"queryStatement: variable '{name.text}' (at position {name.position}) is "
                f"already bound to a {known.value}"
            )
        self.kinds[name.key] = kind
        return name.key

    def _unnest(self, unnest: _Unnest) -> _UnnestStep:
        ref, kind = self._ref(unnest.source)
        field = ref.fields[0].name if len(ref.fields) == 1 else None
        unnested = _UNNESTED.get((kind, field or ""))
        if field is None or unnested is None:
            raise _unsupported(
                "unnesting anything but n.components and c.properties",
                unnest.source.var.position,
            )
        return _UnnestStep(ref.var, field, self._declare(unnest.alias, unnested))

    def _column(self, item: _Item) -> _Column:
        ref, kind = self._ref(item.path)
        if item.alias is not None:
            name = item.alias.text
        else:
            name = item.path.fields[-1].text if item.path.fields else item.path.var.text
        return _Column(name, ColumnType.VALUE if ref.fields else _COLUMN_TYPES[kind], ref)

    def _ref(self, path: _Path) -> tuple[_Ref, _Kind]:
        kind = self.kinds.get(path.var.key)
        if kind is None:
            raise validation(
                f"queryStatement: unknown variable '{path.var.text}' (at position "
                f"{path.var.position}): bind it in the MATCH pattern or with an unnest"
            )
        if not path.fields:
            return _Ref(path.var.key, ()), kind
        first, *rest = path.fields
        field = _field_of(kind, first)
        if rest and field not in _MAP_FIELDS:
            what = (
                f"paths below {field} (unnest it: , v.{field} AS x)"
                if (kind, field) in _UNNESTED
                else f"paths below the field {field}"
            )
            raise _unsupported(what, rest[0].position)
        fields = (_Field(field, True), *(_Field(f.text, f.quoted) for f in rest))
        return _Ref(path.var.key, fields), kind

    def _resolve(self, expr: _Expr) -> _Expr:
        """`expr` with its paths resolved and its LIKE patterns and IN lists checked."""
        if isinstance(expr, _Path):
            return self._ref(expr)[0]
        if isinstance(expr, (_Literal, _Ref)):
            return expr
        if isinstance(expr, (_Lower, _Not, _Is)):
            return attrs.evolve(expr, arg=self._resolve(expr.arg))
        if isinstance(expr, (_Logic, _Compare)):
            return attrs.evolve(
                expr, left=self._resolve(expr.left), right=self._resolve(expr.right)
            )
        if isinstance(expr, _Like):
            if len(expr.pattern) > MAX_LIKE_PATTERN:
                raise _quota(f"a LIKE pattern has at most {MAX_LIKE_PATTERN} characters")
            _like_regex(expr.pattern, expr.escape)  # checks it
            return attrs.evolve(expr, arg=self._resolve(expr.arg))
        if expr.values is not None and len(expr.values) > MAX_IN_VALUES:
            raise _quota(f"an IN list has at most {MAX_IN_VALUES} values")
        return attrs.evolve(
            expr,
            arg=self._resolve(expr.arg),
            values=None if expr.values is None else tuple(self._resolve(v) for v in expr.values),
            source=None if expr.source is None else self._resolve(expr.source),
        )


def _field_of(kind: _Kind, name: _Name) -> str:
    """The field of a `kind` document that `name` names (exactly if quoted), or an error."""
    for field in _FIELDS[kind]:
        if field == name.text or (not name.quoted and field.lower() == name.text.lower()):
            return field
    raise validation(
        f"queryStatement: twinkit.local's ExecuteQuery does not model the field '{name.text}' "
        f"of a {kind.value} (at position {name.position}); it knows {', '.join(_FIELDS[kind])}"
    )


def _check_traversal(query: _Query) -> None:
    for value, clause in ((query.limit, "LIMIT"), (query.offset, "OFFSET")):
        if value is not None and value > MAX_TRAVERSAL:
            raise _quota(f"{clause} is at most {MAX_TRAVERSAL}")
    if (query.limit or 0) + (query.offset or 0) > MAX_TRAVERSAL:
        raise _quota(f"LIMIT plus OFFSET is at most {MAX_TRAVERSAL}")


def _conditions(expr: _Expr) -> int:
    """How many AND, OR and NOT `expr` holds (NOT LIKE, NOT IN and IS NOT count too)."""
    if isinstance(expr, _Logic):
        return 1 + _conditions(expr.left) + _conditions(expr.right)
    if isinstance(expr, _Not):
        return 1 + _conditions(expr.arg)
    if isinstance(expr, (_Like, _Is)):
        return int(expr.negated) + _conditions(expr.arg)
    if isinstance(expr, _In):
        inner = [*(expr.values or ()), *((expr.source,) if expr.source is not None else ())]
        return int(expr.negated) + _conditions(expr.arg) + sum(_conditions(v) for v in inner)
    if isinstance(expr, _Compare):
        return _conditions(expr.left) + _conditions(expr.right)
    if isinstance(expr, _Lower):
        return _conditions(expr.arg)
    return 0


@functools.lru_cache(maxsize=256)
def _like_regex(pattern: str, escape: str | None) -> re.Pattern[str]:
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


# --- evaluate: the graph ----------------------------------------------------------------------

_Document = dict[str, JsonValue]


@attrs.frozen
class _Bound:
    """What a variable is bound to: a node, edge, component or property, with its sort key."""

    key: tuple[str, ...]
    doc: _Document


@attrs.frozen
class _Edge:
    source: str
    target: str
    name: str
    bound: _Bound


def _millis(moment: datetime) -> int:
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)
    return (aware - _EPOCH) // timedelta(milliseconds=1)


class _Missing:
    """PartiQL's MISSING: what a field that is not there evaluates to (distinct from NULL)."""

    def __repr__(self) -> str:
        return "MISSING"


_MISSING: Final = _Missing()
_Value = JsonValue | _Missing


def _json(value: DataValue) -> _Value:
    """A property value as the graph's documents hold it (MISSING for an unknown member)."""
    scalars: tuple[JsonValue, ...] = (
        value.boolean_value,
        value.double_value,
        value.integer_value,
        value.long_value,
        value.string_value,
        value.expression,
    )
    for scalar in scalars:
        if scalar is not None:
            return scalar
    if value.list_value is not None:
        items = [_json(v) for v in value.list_value]
        return [v for v in items if not isinstance(v, _Missing)]
    if value.map_value is not None:
        entries = {k: _json(v) for k, v in value.map_value.items()}
        return {k: v for k, v in entries.items() if not isinstance(v, _Missing)}
    if value.relationship_value is not None:
        target = value.relationship_value
        pairs = (
            ("targetEntityId", target.target_entity_id),
            ("targetComponentName", target.target_component_name),
        )
        return {k: v for k, v in pairs if v is not None}
    return _MISSING


def _targets(value: DataValue) -> list[str]:
    """The entities a relationship value (or a list of them) points to."""
    values = value.list_value if value.list_value is not None else [value]
    return [
        v.relationship_value.target_entity_id
        for v in values
        if v.relationship_value is not None and v.relationship_value.target_entity_id is not None
    ]


def _entity(
    record: EntityRecord, workspace_id: str, resolver: TypeResolver
) -> tuple[_Bound, list[_Edge]]:
    """An entity's node and its outgoing edges."""
    entity_id = record.entity_id
    components: list[JsonValue] = []
    edges: list[_Edge] = []
    for name in sorted(path for path in record.components if "/" not in path):
        component = record.components[name]
        values = component_values(resolver, component)
        properties: list[JsonValue] = []
        for prop in sorted(values):
            value = values[prop][1]
            entry: _Document = {"propertyName": prop}
            converted = _MISSING if value is None else _json(value)
            if not isinstance(converted, _Missing):
                entry["propertyValue"] = converted
            properties.append(entry)
            for index, target in enumerate(_targets(value) if value is not None else []):
                # As the AWS IoT TwinMaker User Guide's "Knowledge graph additional resources"
                # shows an EDGE: {"relationshipName": "isLocationOf", "sourceEntityId":
                # "floor_83fa...", "targetEntityId": "building_4ec7...", "sourceComponentName":
                # "FloorComponent", "sourceComponentTypeId": "com.example.query.construction.floor"}
                relationship: _Document = {
                    "relationshipName": prop,
                    "sourceEntityId": entity_id,
                    "targetEntityId": target,
                    "sourceComponentName": name,
                    "sourceComponentTypeId": component.component_type_id,
                }
                key = (entity_id, name, prop, f"{index:04d}")
                edges.append(_Edge(entity_id, target, prop, _Bound(key, relationship)))
        components.append(
            {
                "componentName": name,
                "componentTypeId": component.component_type_id,
                "properties": properties,
            }
        )
    if record.parent_entity_id != ROOT:
        child_of: _Document = {
            "relationshipName": CHILD_OF,
            "sourceEntityId": entity_id,
            "targetEntityId": record.parent_entity_id,
        }
        bound = _Bound((entity_id, "", CHILD_OF, ""), child_of)
        edges.append(_Edge(entity_id, record.parent_entity_id, CHILD_OF, bound))
    # As the same page shows a NODE (its first example, `SELECT entity ... WHERE entity.entityName
    # = 'room_0'`): {"arn": ..., "creationDate": 1661811123914, "entityId": "room_18f3...",
    # "entityName": "room_0", "lastUpdateDate": 1661811125072, "workspaceId": "SmartBuilding...",
    # "description": "", "components": [{"componentName": "RoomComponent", "componentTypeId":
    # "com.example.query.construction.room", "properties": [{"propertyName": "roomFunction",
    # "propertyValue": "meeting"}, {"propertyName": "roomNumber", "propertyValue": 0}]}]}
    node: _Document = {
        "arn": record.arn,
        "creationDate": _millis(record.created),
        "entityId": entity_id,
        "entityName": record.entity_name,
        "lastUpdateDate": _millis(record.updated),
        "workspaceId": workspace_id,
        "description": record.description,
        "components": components,
    }
    return _Bound((entity_id,), node), edges


class _Graph:
    """A workspace's entity graph as one request sees it."""

    def __init__(self, ctx: Context, workspace_id: str) -> None:
        records: Mapping[str, EntityRecord] = ctx.state.entities.get(workspace_id, {})
        resolver = TypeResolver(ctx, workspace_id)
        self.nodes: dict[str, _Bound] = {}
        edges: list[_Edge] = []
        for entity_id in sorted(records):
            node, outgoing = _entity(records[entity_id], workspace_id, resolver)
            self.nodes[entity_id] = node
            edges.extend(outgoing)
        self._out: dict[str, list[_Edge]] = {}
        self._in: dict[str, list[_Edge]] = {}
        for edge in edges:
            if edge.target in self.nodes:
                self._out.setdefault(edge.source, []).append(edge)
                self._in.setdefault(edge.target, []).append(edge)

    def steps(
        self, entity_id: str, direction: str, label: str | None
    ) -> Iterator[tuple[_Edge, str]]:
        """Each edge at a node in `direction` (named `label`, if given) and the node at its
        other end; an edge from a node to itself comes once in either direction."""
        if direction != "in":
            for edge in self._out.get(entity_id, ()):
                if label in (None, edge.name):
                    yield edge, edge.target
        if direction != "out":
            for edge in self._in.get(entity_id, ()):
                loop_seen = direction == "any" and edge.source == edge.target
                if label in (None, edge.name) and not loop_seen:
                    yield edge, edge.source


# --- evaluate: matches ------------------------------------------------------------------------

_Binding = dict[str, _Bound]


def _bind(binding: _Binding, var: str, bound: _Bound) -> _Binding | None:
    """`binding` with `var` bound to `bound`, or None if `var` is bound to something else."""
    current = binding.get(var)
    if current is not None:
        return binding if current.key == bound.key else None
    return {**binding, var: bound}


def _walk(plan: _Plan, graph: _Graph, index: int, binding: _Binding) -> Iterator[_Binding]:
    """Every way of matching the pattern from its `index`-th node on."""
    if index == len(plan.steps):
        yield binding
        return
    step = plan.steps[index]
    here = binding[plan.nodes[index]].key[0]
    for edge, other in graph.steps(here, step.direction, step.label):
        extended = _bind(binding, step.edge, edge.bound)
        if extended is not None:
            extended = _bind(extended, plan.nodes[index + 1], graph.nodes[other])
        if extended is not None:
            yield from _walk(plan, graph, index + 1, extended)


def _unnested(plan: _Plan, index: int, binding: _Binding) -> Iterator[_Binding]:
    """`binding` extended by every combination of the unnested components and properties."""
    if index == len(plan.unnests):
        yield binding
        return
    step = plan.unnests[index]
    source = binding[step.source]
    name = "componentName" if step.field == "components" else "propertyName"
    children = source.doc.get(step.field)
    for child in children if isinstance(children, list) else []:
        if isinstance(child, dict):
            bound = _Bound((*source.key, str(child.get(name))), child)
            yield from _unnested(plan, index + 1, {**binding, step.alias: bound})


def _bindings(plan: _Plan, graph: _Graph) -> Iterator[_Binding]:
    """Every binding of the pattern and its unnests, WHERE not applied."""
    for node in graph.nodes.values():
        for match in _walk(plan, graph, 0, {plan.nodes[0]: node}):
            yield from _unnested(plan, 0, match)


# --- evaluate: expressions (PartiQL's three-valued logic) -------------------------------------


def _evaluate(expr: _Expr, binding: _Binding) -> _Value:
    """The value of `expr`: JSON, MISSING, or for a condition True, False or None (unknown)."""
    if isinstance(expr, _Literal):
        return expr.value
    if isinstance(expr, _Ref):
        return _lookup(binding[expr.var].doc, expr.fields)
    if isinstance(expr, _Lower):
        value = _evaluate(expr.arg, binding)
        return value.lower() if isinstance(value, str) else (None if value is None else _MISSING)
    if isinstance(expr, _Not):
        truth = _truth(_evaluate(expr.arg, binding))
        return None if truth is None else not truth
    if isinstance(expr, _Logic):
        left = _truth(_evaluate(expr.left, binding))
        right = _truth(_evaluate(expr.right, binding))
        decisive = expr.op == "OR"
        if decisive in (left, right):
            return decisive
        return None if None in (left, right) else not decisive
    if isinstance(expr, _Compare):
        return _compare(expr.op, _evaluate(expr.left, binding), _evaluate(expr.right, binding))
    if isinstance(expr, _Like):
        value = _evaluate(expr.arg, binding)
        if not isinstance(value, str):
            return None
        matched = _like_regex(expr.pattern, expr.escape).fullmatch(value) is not None
        return matched != expr.negated
    if isinstance(expr, _In):
        found = _in(_evaluate(expr.arg, binding), expr, binding)
        return None if found is None else found != expr.negated
    if isinstance(expr, _Is):
        value = _evaluate(expr.arg, binding)
        hit = isinstance(value, _Missing) or (expr.what == "NULL" and value is None)
        return hit != expr.negated
    raise AssertionError(f"unresolved path in a plan: {expr!r}")


def _lookup(doc: JsonValue, fields: tuple[_Field, ...]) -> _Value:
    value: _Value = doc
    for field in fields:
        if not isinstance(value, dict):
            return _MISSING
        if field.name in value:
            value = value[field.name]
            continue
        folded = [k for k in value if not field.exact and k.lower() == field.name.lower()]
        if len(folded) != 1:
            return _MISSING
        value = value[folded[0]]
    return value


def _truth(value: _Value) -> bool | None:
    return value if isinstance(value, bool) else None


def _is_number(value: _Value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _equal(left: JsonValue, right: JsonValue) -> bool:
    """PartiQL `=` on two present, non-NULL values: false across types, numbers by value."""
    if _is_number(left) and _is_number(right):
        return left == right
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(
            _equal(a, b) for a, b in zip(left, right, strict=True)
        )
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(_equal(left[k], right[k]) for k in left)
    return type(left) is type(right) and left == right


def _compare(op: str, left: _Value, right: _Value) -> bool | None:
    if isinstance(left, _Missing) or isinstance(right, _Missing) or left is None or right is None:
        return None
    if op in ("=", "!=", "<>"):
        return _equal(left, right) == (op == "=")
    order = _order(left, right)
    if order is None:
        return None
    return {"<": order < 0, "<=": order <= 0, ">": order > 0, ">=": order >= 0}[op]


def _order(left: JsonValue, right: JsonValue) -> int | None:
    """-1, 0 or 1 for two numbers, two strings or two booleans; None (unknown) otherwise."""
    if isinstance(left, str) and isinstance(right, str):
        return (left > right) - (left < right)
    if (
        isinstance(left, (int, float))
        and isinstance(right, (int, float))
        and isinstance(left, bool) == isinstance(right, bool)
    ):
        return (left > right) - (left < right)
    return None


def _in(value: _Value, expr: _In, binding: _Binding) -> bool | None:
    """Whether `value` is among the IN values: True, False, or None (unknown)."""
    if expr.values is not None:
        candidates = [_evaluate(v, binding) for v in expr.values]
    else:
        assert expr.source is not None
        listed = _evaluate(expr.source, binding)
        if not isinstance(listed, list):
            return None
        candidates = list(listed)
    answers = [_compare("=", value, c) for c in candidates]
    if True in answers:
        return True
    return None if None in answers else False


# --- rows -------------------------------------------------------------------------------------


def _select(plan: _Plan, graph: _Graph) -> list[tuple[str, _Binding]]:
    """The matches WHERE keeps, with their sort keys, in order, after OFFSET and LIMIT."""
    kept = []
    for binding in _bindings(plan, graph):
        if plan.where is None or _evaluate(plan.where, binding) is True:
            key = json.dumps([list(binding[var].key) for var in plan.order])
            kept.append((key, binding))
    kept.sort(key=lambda pair: pair[0])
    start = plan.offset or 0
    return kept[start : None if plan.limit is None else start + plan.limit]


def _row(plan: _Plan, binding: _Binding) -> models.Row:
    data: list[JsonValue] = []
    for column in plan.columns:
        value = _evaluate(column.ref, binding)
        data.append(None if isinstance(value, _Missing) else value)
    return models.Row(row_data=data)


@handles("ExecuteQuery")
def execute_query(ctx: Context, request: models.ExecuteQueryRequest) -> models.ExecuteQueryResponse:
    """Run a knowledge-graph query of the supported subset (see the module docstring)."""
    workspace_id = workspace_or_404(ctx, request.workspace_id).workspace_id
    plan = _Planner().plan(_Parser(request.query_statement).query())
    chosen, token = page(
        _select(plan, _Graph(ctx, workspace_id)),
        key=lambda pair: pair[0],
        max_results=request.max_results,
        next_token=request.next_token,
        default_size=DEFAULT_PAGE_SIZE,
        bound_to=("ExecuteQuery", workspace_id, request.query_statement),
    )
    return models.ExecuteQueryResponse(
        column_descriptions=[
            models.ColumnDescription(name=c.name, type=c.type) for c in plan.columns
        ],
        rows=[_row(plan, binding) for _, binding in chosen],
        next_token=token,
    )
