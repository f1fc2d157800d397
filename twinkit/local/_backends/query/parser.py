"""Parsing a knowledge-graph query: tokens -> syntax tree, by recursive descent."""

from __future__ import annotations

import attrs

from twinkit.local._backends.query.lexer import (
    CLAUSES,
    RESERVED,
    Token,
    lex,
    syntax_error,
    unsupported,
)
from twinkit.local._backends.query.syntax import (
    Compare,
    EdgePattern,
    Expr,
    FieldPath,
    In,
    Is,
    Item,
    Like,
    Literal,
    Logic,
    Lower,
    Name,
    NodePattern,
    Not,
    Query,
    Unnest,
)
from twinkit.local._errors import ServiceFault, validation

__all__ = ["Parser"]


class Parser:
    """A recursive-descent parser of the supported subset (the grammar in the module docstring).

    Constructs of PartiQL outside the subset raise `unsupported` naming them; anything else
    that does not fit raises a syntax error naming what was expected.
    """

    def __init__(self, statement: str) -> None:
        self._tokens = lex(statement)
        self._at = 0

    # tokens

    @property
    def _tok(self) -> Token:
        return self._tokens[self._at]

    def _next(self, ahead: int = 1) -> Token:
        return self._tokens[min(self._at + ahead, len(self._tokens) - 1)]

    def _advance(self) -> Token:
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
        clause = CLAUSES.get(self._tok.word() or "")
        if clause is not None:
            return unsupported(clause, self._tok.position)
        return syntax_error(self._tok.position, self._tok.text, expected)

    def _at_name(self) -> bool:
        token = self._tok
        return token.kind == "quoted" or (token.kind == "name" and token.word() not in RESERVED)

    def _name(self, expected: str = "a variable") -> Name:
        if not self._at_name():
            raise self._fail(expected)
        token = self._advance()
        return Name(token.text, token.kind == "quoted", token.position)

    # the statement

    def query(self) -> Query:
        """The whole statement."""
        self._expect_word("SELECT")
        distinct = self._accept_word("DISTINCT")
        items = self._items()
        self._expect_word("FROM")
        path_var, nodes, edges = self._source()
        unnests = []
        while self._accept_symbol(","):
            unnests.append(self._unnest())
        where = None
        if self._accept_word("WHERE"):
            where = self._expr()
            if self._at_symbol(","):
                # The guide writes `WHERE a = 'x',\nAND b = 'y'` twice; PartiQL has no such comma.
                raise validation(
                    f"queryStatement: syntax error at position {self._tok.position} (','): "
                    "conditions in WHERE are joined by AND or OR, not by a comma"
                )
        limit = self._count("LIMIT") if self._accept_word("LIMIT") else None
        offset = self._count("OFFSET") if self._accept_word("OFFSET") else None
        if self._tok.kind != "end":
            raise self._fail("the end of the query")
        return Query(
            items=tuple(items),
            nodes=tuple(nodes),
            edges=tuple(edges),
            unnests=tuple(unnests),
            where=where,
            limit=limit,
            offset=offset,
            path_var=path_var,
            distinct=distinct,
        )

    def _items(self) -> list[Item]:
        if self._at_symbol("*"):
            raise unsupported("SELECT *", self._tok.position)
        if self._at_word("DISTINCT", "ALL", "VALUE"):
            # SELECT's own DISTINCT is read by `query`; a second one, ALL and VALUE are not.
            raise unsupported(f"SELECT {self._tok.word()}", self._tok.position)
        items = [self._item()]
        while self._accept_symbol(","):
            items.append(self._item())
        return items

    def _item(self) -> Item:
        token = self._tok
        if token.word() == "COUNT" and self._next_is("("):
            return self._count_item()
        if token.kind == "name" and self._next_is("("):
            raise unsupported(f"the function {token.text.upper()} in SELECT", token.position)
        if not self._at_name():
            if token.kind in ("string", "number") or token.word() in ("TRUE", "FALSE", "NULL"):
                raise unsupported("literals in SELECT", token.position)
            raise self._fail("a variable or a field (v or v.field)")
        path = self._path()
        if self._at_symbol("+", "-", "*", "/", "%", "||"):
            raise unsupported("expressions in SELECT", self._tok.position)
        alias = None
        if self._accept_word("AS") or self._at_name():
            alias = self._name("an alias")
        return Item(path, alias)

    def _count_item(self) -> Item:
        """`COUNT(v[.field...]) [AS alias]`, from its `COUNT`."""
        position = self._advance().position
        self._advance()
        if self._at_symbol("*"):
            raise unsupported("COUNT(*) (count a variable: COUNT(e))", self._tok.position)
        if self._at_word("DISTINCT", "ALL"):
            raise unsupported(f"COUNT({self._tok.word()} ...)", self._tok.position)
        path = self._path()
        self._expect_symbol(")")
        alias = None
        if self._accept_word("AS") or self._at_name():
            alias = self._name("an alias")
        return Item(path, alias, count=True, position=position)

    def _path(self) -> FieldPath:
        var = self._name()
        fields = []
        while self._accept_symbol("."):
            token = self._tok
            if token.kind not in ("name", "quoted"):
                if self._at_symbol("*"):
                    raise unsupported("wildcard paths (v.*)", token.position)
                raise self._fail("a field name")
            self._advance()
            fields.append(Name(token.text, token.kind == "quoted", token.position))
        if self._at_symbol("["):
            raise unsupported("index paths (v.field[...])", self._tok.position)
        return FieldPath(var, tuple(fields))

    def _count(self, clause: str) -> int:
        token = self._tok
        if token.kind != "number" or not token.text.isdigit():
            raise self._fail(f"a whole number after {clause}")
        self._advance()
        return int(token.text)

    # FROM EntityGraph MATCH pattern, unnest ...

    def _source(self) -> tuple[Name | None, list[NodePattern], list[EdgePattern]]:
        token = self._tok
        if token.kind != "name" or token.text.lower() != "entitygraph":
            raise unsupported(
                "sources other than EntityGraph (FROM EntityGraph MATCH ...)", token.position
            )
        self._advance()
        self._expect_word("MATCH")
        path_var = None
        if self._at_name() and self._next_is("="):
            path_var = self._name()
            self._advance()
        nodes = [self._node()]
        edges = []
        while self._at_symbol("-", "<"):
            edge = self._edge()
            if self._at_symbol("{"):
                edge = self._quantified(edge)
            elif self._at_symbol("+", "*", "?"):
                raise unsupported(
                    f"the quantifier {self._tok.text} (write {{m,n}} or {{m,}})", self._tok.position
                )
            edges.append(edge)
            nodes.append(self._node())
        return path_var, nodes, edges

    def _quantified(self, edge: EdgePattern) -> EdgePattern:
        """`edge` repeated by the `{m,n}` or `{m,}` that follows it."""
        position = self._advance().position
        low = self._count("{")
        high: int | None = low
        if self._accept_symbol(","):
            high = None if self._at_symbol("}") else self._count("{m,")
        self._expect_symbol("}")
        if high is not None and high < low:
            raise validation(
                f"queryStatement: the quantifier at position {position} repeats at least {low} "
                f"and at most {high} times"
            )
        if low == 0:
            raise unsupported("a quantifier of zero hops ({0,n})", position)
        return attrs.evolve(edge, min_hops=low, max_hops=high)

    def _node(self) -> NodePattern:
        self._expect_symbol("(")
        var = self._name() if self._at_name() else None
        if self._at_symbol(":"):
            raise unsupported("node labels ((n:label))", self._tok.position)
        if self._at_word("WHERE"):
            raise unsupported("WHERE inside a pattern", self._tok.position)
        self._expect_symbol(")")
        return NodePattern(var)

    def _edge(self) -> EdgePattern:
        position = self._tok.position
        if self._accept_symbol("<"):
            self._expect_symbol("-")
            var, label = None, None
            if self._accept_symbol("["):
                var, label = self._edge_body()
                self._expect_symbol("-")
            if self._at_symbol(">"):
                raise unsupported("edges in either direction (<-[]->)", self._tok.position)
            return EdgePattern(var, label, "in", position)
        self._expect_symbol("-")
        if self._accept_symbol("["):
            var, label = self._edge_body()
            self._expect_symbol("-")
            direction = "out" if self._accept_symbol(">") else "any"
            return EdgePattern(var, label, direction, position)
        direction = "out" if self._accept_symbol(">") else "any"
        return EdgePattern(None, None, direction, position)

    def _edge_body(self) -> tuple[Name | None, str | None]:
        """`[r:label]` after its `[`, up to and including its `]`."""
        var = self._name() if self._at_name() else None
        label = None
        if self._accept_symbol(":"):
            token = self._tok
            if token.kind not in ("name", "quoted"):
                raise self._fail("a relationship name")
            label = self._advance().text
            if self._at_symbol("|", "&", "!", "%"):
                raise unsupported("label expressions ([:a|b])", self._tok.position)
        if self._at_word("WHERE"):
            raise unsupported("WHERE inside a pattern", self._tok.position)
        self._expect_symbol("]")
        return var, label

    def _unnest(self) -> Unnest:
        if self._at_symbol("("):
            raise unsupported("a second MATCH pattern", self._tok.position)
        source = self._path()
        if not (self._accept_word("AS") or self._at_name()):
            raise self._fail("AS and a variable")
        alias = self._name()
        if self._at_word("AT"):
            raise unsupported("AT in FROM", self._tok.position)
        return Unnest(source, alias)

    # conditions

    def _expr(self) -> Expr:
        left = self._and()
        while self._accept_word("OR"):
            left = Logic("OR", left, self._and())
        return left

    def _and(self) -> Expr:
        left = self._not()
        while self._accept_word("AND"):
            left = Logic("AND", left, self._not())
        return left

    def _not(self) -> Expr:
        if self._accept_word("NOT"):
            return Not(self._not())
        return self._predicate()

    def _predicate(self) -> Expr:
        left = self._primary()
        if self._at_symbol("=", "!=", "<>", "<", "<=", ">", ">="):
            op = self._advance().text
            if op == "=" and self._at_symbol(">"):
                # The guide lists `=>` among the comparison operators: a typo for `>=`.
                raise validation(
                    f"queryStatement: syntax error at position {self._tok.position - 1} ('=>'): "
                    "there is no operator =>; greater than or equal is >="
                )
            return Compare(op, left, self._primary())
        negated = self._at_word("NOT") and self._next().word() in ("LIKE", "IN", "BETWEEN")
        if negated:
            self._advance()
        position = self._tok.position
        if self._accept_word("LIKE"):
            pattern = self._string("a LIKE pattern")
            escape = self._string("an ESCAPE character") if self._accept_word("ESCAPE") else None
            return Like(left, pattern, escape, negated, position)
        if self._accept_word("IN"):
            if self._accept_symbol("("):
                values = [self._expr()]
                while self._accept_symbol(","):
                    values.append(self._expr())
                self._expect_symbol(")")
                return In(left, tuple(values), None, negated, position)
            return In(left, None, self._primary(), negated, position)
        if self._at_word("BETWEEN"):
            raise unsupported("BETWEEN", position)
        if self._accept_word("IS"):
            is_not = self._accept_word("NOT")
            if not self._at_word("NULL", "MISSING"):
                raise self._fail("NULL or MISSING")
            return Is(left, self._advance().text.upper(), is_not)
        if self._at_symbol("+", "-", "*", "/", "%", "||"):
            raise unsupported("arithmetic and string operators", position)
        return left

    def _string(self, what: str) -> str:
        token = self._tok
        if token.kind != "string":
            raise unsupported(f"{what} that is not a string literal", token.position)
        self._advance()
        return token.text

    def _primary(self) -> Expr:
        token = self._tok
        word = token.word()
        if self._accept_symbol("("):
            if self._at_word("SELECT"):
                raise unsupported("subqueries", self._tok.position)
            inner = self._expr()
            self._expect_symbol(")")
            return inner
        if token.kind == "string":
            self._advance()
            return Literal(token.text)
        if token.kind == "number" or (self._at_symbol("-") and self._next().kind == "number"):
            sign = -1 if self._accept_symbol("-") else 1
            return Literal(sign * number(self._advance().text))
        if word in ("TRUE", "FALSE", "NULL"):
            self._advance()
            return Literal({"TRUE": True, "FALSE": False}.get(word))
        if token.kind == "name" and self._next_is("("):
            if word != "LOWER":
                raise unsupported(f"the function {word}", token.position)
            self._advance()
            self._advance()
            arg = self._expr()
            self._expect_symbol(")")
            return Lower(arg)
        if word in ("CASE", "EXISTS", "SELECT"):
            raise unsupported(word, token.position)
        if self._at_symbol("[", "{", "<"):
            raise unsupported("collection literals", token.position)
        if self._at_name():
            return self._path()
        raise self._fail("a value, a field or '('")


def number(text: str) -> int | float:
    """A number literal's value: an int when it is whole digits, else a float."""
    return int(text) if text.isdigit() else float(text)
