"""Each phase of the emulator's query engine on its own (lexer, parser, planner), and properties
of the whole that hold for every graph (hypothesis)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from twinkit import TwinMaker
from twinkit.local import Emulator
from twinkit.local._backends.query.lexer import lex
from twinkit.local._backends.query.parser import Parser
from twinkit.local._backends.query.planner import PATH_COLUMN, Planner
from twinkit.local._errors import ServiceFault
from twinkit.models import ColumnType


def test_the_lexer_reads_quantifiers_strings_and_quoted_names() -> None:
    tokens = lex("MATCH (a)-[:x]->{1, 5}(b) WHERE a.\"Name\" = 'it''s'")
    assert [(t.kind, t.text) for t in tokens] == [
        ("name", "MATCH"),
        ("symbol", "("),
        ("name", "a"),
        ("symbol", ")"),
        ("symbol", "-"),
        ("symbol", "["),
        ("symbol", ":"),
        ("name", "x"),
        ("symbol", "]"),
        ("symbol", "-"),
        ("symbol", ">"),
        ("symbol", "{"),
        ("number", "1"),
        ("symbol", ","),
        ("number", "5"),
        ("symbol", "}"),
        ("symbol", "("),
        ("name", "b"),
        ("symbol", ")"),
        ("name", "WHERE"),
        ("name", "a"),
        ("symbol", "."),
        ("quoted", "Name"),
        ("symbol", "="),
        ("string", "it's"),
        ("end", ""),
    ]


@pytest.mark.parametrize(
    ("pattern", "hops"),
    [("{1,5}", (1, 5)), ("{2,}", (2, None)), ("{ 3 , 3 }", (3, 3)), ("", (1, 1))],
)
def test_the_parser_reads_a_quantifier(pattern: str, hops: tuple[int, int | None]) -> None:
    query = Parser(f"SELECT b FROM EntityGraph MATCH (a)-[:feed]->{pattern}(b)").query()
    (edge,) = query.edges
    assert (edge.label, edge.direction, edge.min_hops, edge.max_hops) == ("feed", "out", *hops)


def test_the_parser_reads_a_path_variable_distinct_and_count() -> None:
    query = Parser("SELECT DISTINCT COUNT(e) AS n FROM EntityGraph MATCH p = (e)").query()
    assert query.distinct
    assert query.path_var is not None
    assert query.path_var.text == "p"
    (item,) = query.items
    assert item.count
    assert item.alias is not None
    assert item.alias.text == "n"


def plan(statement: str) -> Any:
    return Planner().plan(Parser(statement).query())


def test_the_planner_types_and_names_columns() -> None:
    planned = plan(
        "SELECT p, e, r, e.entityName, prop.definition.configuration.unit "
        "FROM EntityGraph MATCH p = (e)-[r]->(f), e.components AS c, c.properties AS prop"
    )
    assert [(c.name, c.type) for c in planned.columns] == [
        ("p", PATH_COLUMN),
        ("e", ColumnType.NODE),
        ("r", ColumnType.EDGE),
        ("entityName", ColumnType.VALUE),
        ("unit", ColumnType.VALUE),
    ]
    counted = plan("SELECT COUNT(e), COUNT(e.entityId) AS ids FROM EntityGraph MATCH (e)")
    assert [(c.name, c.count) for c in counted.columns] == [("_1", True), ("ids", True)]


def test_the_planner_caps_unbounded_hops_at_the_quota() -> None:
    (step,) = plan("SELECT b FROM EntityGraph MATCH (a)-[]->{3,}(b)").steps
    assert (step.min_hops, step.max_hops) == (3, 10)


@pytest.mark.parametrize(
    ("statement", "says"),
    [
        ("SELECT x FROM EntityGraph MATCH (e)", "unknown variable 'x'"),
        ("SELECT e FROM EntityGraph MATCH (a)-[]->{8,}(b)-[]->{3}(e)", "at most 10 hops"),
        ("SELECT e.nope FROM EntityGraph MATCH (e)", "does not model the field 'nope'"),
    ],
)
def test_the_planner_refuses_naming_the_problem(statement: str, says: str) -> None:
    with pytest.raises(ServiceFault) as caught:
        plan(statement)
    assert says in str(caught.value)


# --- properties over random graphs ----------------------------------------------------------------

TREES = st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=14).map(
    lambda picks: [pick % (index + 1) for index, pick in enumerate(picks)]
)
"""A random forest under node 0: node i + 1's parent is one of nodes 0..i."""


def depths(parents: list[int]) -> dict[int, int]:
    """Each node's depth below node 0 (node 0 itself excluded)."""
    depth = {0: 0}
    for child, parent in enumerate(parents, start=1):
        depth[child] = depth[parent] + 1
    return {node: d for node, d in depth.items() if node}


@settings(max_examples=15, deadline=None)
@given(parents=TREES, max_depth=st.integers(min_value=1, max_value=10))
def test_descendants_are_the_nodes_at_most_max_depth_below(
    parents: list[int], max_depth: int
) -> None:
    client = Emulator().client()
    client.update_pricing_plan(pricingMode="STANDARD")
    client.create_workspace(workspaceId="tree", role="arn:aws:iam::123456789012:role/tm")
    client.create_entity(workspaceId="tree", entityId="n0", entityName="n0")
    for child, parent in enumerate(parents, start=1):
        client.create_entity(
            workspaceId="tree",
            entityId=f"n{child}",
            entityName=f"n{child}",
            parentEntityId=f"n{parent}",
        )
    root = TwinMaker(client=client).workspaces("tree").entities("n0")
    found = sorted(node.entity_id for node in root.descendants(max_depth=max_depth, page_size=3))
    expected = sorted(f"n{n}" for n, d in depths(parents).items() if d <= max_depth)
    assert found == expected
