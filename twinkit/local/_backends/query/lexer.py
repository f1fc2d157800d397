"""Lexing a knowledge-graph query: the statement's text -> tokens, and the errors that name what
went wrong where (shared by every later phase)."""

from __future__ import annotations

import re
from typing import Final

import attrs

from twinkit.local._errors import ServiceFault, validation

__all__ = ["Token", "lex", "quota", "syntax_error", "unsupported", "RESERVED", "CLAUSES"]


def syntax_error(position: int, found: str, expected: str) -> ServiceFault:
    """The error for a token that does not fit: where, what was found, what was expected."""
    where = "at the end of the query" if not found else f"at position {position} ('{found}')"
    return validation(f"queryStatement: syntax error {where}: expected {expected}")


def unsupported(what: str, position: int) -> ServiceFault:
    """The error for a construct of PartiQL the emulator does not run, naming it."""
    return validation(
        f"queryStatement: twinkit.local's ExecuteQuery does not support {what} "
        f"(at position {position}); see 'Knowledge-graph queries' in docs/local.md"
    )


def quota(message: str) -> ServiceFault:
    """The error for a query over one of the knowledge graph's quotas."""
    return validation(f"queryStatement: {message} (a quota of the knowledge graph)")


# --- parse: tokens ----------------------------------------------------------------------------


@attrs.frozen
class Token:
    """One token of a statement."""

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

RESERVED: Final = frozenset(
    {
        *("SELECT", "FROM", "MATCH", "WHERE", "AND", "OR", "NOT", "LIKE", "ESCAPE", "IN", "IS"),
        *("NULL", "MISSING", "AS", "LIMIT", "OFFSET", "TRUE", "FALSE", "DISTINCT", "ALL"),
        *("VALUE", "ORDER", "GROUP", "BY", "HAVING", "UNION", "INTERSECT", "EXCEPT", "BETWEEN"),
        *("CASE", "WHEN", "THEN", "ELSE", "END", "JOIN", "ON", "LEFT", "RIGHT", "INNER"),
        *("OUTER", "CROSS", "FULL", "AT", "LET", "PIVOT", "UNPIVOT", "EXISTS"),
    }
)
"""Words that are not variable names (unless quoted)."""

CLAUSES: Final = {
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


def lex(statement: str) -> list[Token]:
    """The statement's tokens, ending with an `end` token."""
    tokens = []
    at = 0
    while at < len(statement):
        if statement.startswith(("--", "/*"), at):
            raise unsupported("comments", at + 1)
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
            tokens.append(Token(kind, text, at + 1))
        at = match.end()
    tokens.append(Token("end", "", len(statement) + 1))
    return tokens
