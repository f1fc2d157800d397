"""Evaluating a planned query over the graph: the pattern's matches, `WHERE` in PartiQL's
three-valued logic, and the rows they make."""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import chain

from twinkit.local._backends.query.graph import (
    MISSING,
    Bound,
    Graph,
    Missing,
    Value,
    edge_summary,
    node_summary,
)
from twinkit.local._backends.query.planner import Plan, Step, like_regex
from twinkit.local._backends.query.syntax import (
    Compare,
    Expr,
    Field,
    In,
    Is,
    Like,
    Literal,
    Logic,
    Lower,
    Not,
    Ref,
)

__all__ = ["select"]
from twinkit.models import JsonValue

Binding = dict[str, Bound]


def _bind(binding: Binding, var: str, bound: Bound) -> Binding | None:
    """`binding` with `var` bound to `bound`, or None if `var` is bound to something else."""
    current = binding.get(var)
    if current is not None:
        return binding if current.key == bound.key else None
    return {**binding, var: bound}


def _walk(plan: Plan, graph: Graph, index: int, binding: Binding) -> Iterator[Binding]:
    """Every way of matching the pattern from its `index`-th node on."""
    if index == len(plan.steps):
        yield binding
        return
    step = plan.steps[index]
    here = binding[plan.nodes[index]].key[0]
    if step.variable_length:
        trails = _trails(graph, step, here, (), frozenset())
        runs = ((_run(hops), hops[-1][1]) for hops in trails)
    else:
        runs = (
            (edge.bound, other) for edge, other in graph.steps(here, step.direction, step.label)
        )
    for crossed, other in runs:
        extended = _bind(binding, step.edge, crossed)
        if extended is not None:
            extended = _bind(extended, plan.nodes[index + 1], graph.nodes[other])
        if extended is not None:
            yield from _walk(plan, graph, index + 1, extended)


Hops = tuple[tuple[Bound, str], ...]


def _trails(
    graph: Graph, step: Step, here: str, hops: Hops, crossed: frozenset[tuple[str, ...]]
) -> Iterator[Hops]:
    """Every run of `step.min_hops` to `step.max_hops` hops from `here` that crosses no edge
    twice (a trail: the rule that keeps `{m,}` finite on a cycle); `crossed` holds the keys
    of the edges in `hops`."""
    if len(hops) >= step.min_hops:
        yield hops
    if len(hops) == step.max_hops:
        return
    for edge, other in graph.steps(here, step.direction, step.label):
        key = edge.bound.key
        if key not in crossed:
            yield from _trails(graph, step, other, (*hops, (edge.bound, other)), crossed | {key})


def _run(hops: Hops) -> Bound:
    """A quantified edge's binding: its hops, keyed by the edges crossed in order."""
    key = tuple(chain.from_iterable(edge.key for edge, _ in hops))
    return Bound(key, {}, hops=hops)


def _path(plan: Plan, graph: Graph, binding: Binding) -> Bound:
    """The match as a PATH: `{"path": [node, edge, node, ...]}`, each by its metadata."""
    elements: list[JsonValue] = [node_summary(binding[plan.nodes[0]])]
    for index, step in enumerate(plan.steps):
        crossed = binding[step.edge]
        if step.variable_length:
            for edge, entity_id in crossed.hops:
                elements += [edge_summary(edge), node_summary(graph.nodes[entity_id])]
        else:
            elements += [edge_summary(crossed), node_summary(binding[plan.nodes[index + 1]])]
    return Bound((), {"path": elements})


def _unnested(plan: Plan, graph: Graph, index: int, binding: Binding) -> Iterator[Binding]:
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
            key = (*source.key, str(child.get(name)))
            view = None
            if step.field == "properties":
                definition = graph.definitions.get((key[0], key[1], key[2]))
                view = {**child, "definition": definition}
            bound = Bound(key, child, view=view)
            yield from _unnested(plan, graph, index + 1, {**binding, step.alias: bound})


def _bindings(plan: Plan, graph: Graph) -> Iterator[Binding]:
    """Every binding of the pattern, its path and its unnests, WHERE not applied."""
    for node in graph.nodes.values():
        for match in _walk(plan, graph, 0, {plan.nodes[0]: node}):
            if plan.path is not None:
                match = {**match, plan.path: _path(plan, graph, match)}
            yield from _unnested(plan, graph, 0, match)


# --- evaluate: expressions (PartiQL's three-valued logic) -------------------------------------


def _evaluate(expr: Expr, binding: Binding) -> Value:
    """The value of `expr`: JSON, MISSING, or for a condition True, False or None (unknown)."""
    if isinstance(expr, Literal):
        return expr.value
    if isinstance(expr, Ref):
        bound = binding[expr.var]
        if not expr.fields or bound.view is None:
            return _lookup(bound.doc, expr.fields)
        return _lookup(bound.view, expr.fields)
    if isinstance(expr, Lower):
        value = _evaluate(expr.arg, binding)
        return value.lower() if isinstance(value, str) else (None if value is None else MISSING)
    if isinstance(expr, Not):
        truth = _truth(_evaluate(expr.arg, binding))
        return None if truth is None else not truth
    if isinstance(expr, Logic):
        left = _truth(_evaluate(expr.left, binding))
        right = _truth(_evaluate(expr.right, binding))
        decisive = expr.op == "OR"
        if decisive in (left, right):
            return decisive
        return None if None in (left, right) else not decisive
    if isinstance(expr, Compare):
        return _compare(expr.op, _evaluate(expr.left, binding), _evaluate(expr.right, binding))
    if isinstance(expr, Like):
        value = _evaluate(expr.arg, binding)
        if not isinstance(value, str):
            return None
        matched = like_regex(expr.pattern, expr.escape).fullmatch(value) is not None
        return matched != expr.negated
    if isinstance(expr, In):
        found = _in(_evaluate(expr.arg, binding), expr, binding)
        return None if found is None else found != expr.negated
    if isinstance(expr, Is):
        value = _evaluate(expr.arg, binding)
        hit = isinstance(value, Missing) or (expr.what == "NULL" and value is None)
        return hit != expr.negated
    raise AssertionError(f"unresolved path in a plan: {expr!r}")


def _lookup(doc: JsonValue, fields: tuple[Field, ...]) -> Value:
    value: Value = doc
    for field in fields:
        if not isinstance(value, dict):
            return MISSING
        if field.name in value:
            value = value[field.name]
            continue
        folded = [k for k in value if not field.exact and k.lower() == field.name.lower()]
        if len(folded) != 1:
            return MISSING
        value = value[folded[0]]
    return value


def _truth(value: Value) -> bool | None:
    return value if isinstance(value, bool) else None


def _is_number(value: Value) -> bool:
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


def _compare(op: str, left: Value, right: Value) -> bool | None:
    if isinstance(left, Missing) or isinstance(right, Missing) or left is None or right is None:
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


def _in(value: Value, expr: In, binding: Binding) -> bool | None:
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


def select(plan: Plan, graph: Graph) -> list[tuple[str, list[JsonValue]]]:
    """The query's rows, each with its sort key, in order, after DISTINCT, OFFSET and LIMIT.

    A row's sort key is its match's (the bound entities, edges, components and properties in
    pattern order), so that a page boundary falls between two rows the same way every time.
    """
    matches = (
        binding
        for binding in _bindings(plan, graph)
        if plan.where is None or _evaluate(plan.where, binding) is True
    )
    if plan.aggregate:
        kept = list(matches)
        rows = [("", [_count(column.ref, kept) for column in plan.columns])]
    else:
        keyed = sorted(
            ((_sort_key(plan, binding), binding) for binding in matches), key=lambda pair: pair[0]
        )
        rows = [(key, _row(plan, binding)) for key, binding in keyed]
    if plan.distinct:
        seen: set[str] = set()
        unique = []
        for key, data in rows:
            text = json.dumps(data, sort_keys=True)
            if text not in seen:
                seen.add(text)
                unique.append((key, data))
        rows = unique
    start = plan.offset or 0
    return rows[start : None if plan.limit is None else start + plan.limit]


def _sort_key(plan: Plan, binding: Binding) -> str:
    """The keys bound to the match's variables, parts joined by NUL and variables by SOH. Names
    and ids hold no control characters, so distinct matches get distinct keys; one string
    order then serves the sort here, DISTINCT, OFFSET, LIMIT and the paging by `nextToken`."""
    return "\x01".join("\x00".join(binding[var].key) for var in plan.order)


def _count(ref: Ref, bindings: list[Binding]) -> JsonValue:
    values = (_evaluate(ref, binding) for binding in bindings)
    return sum(1 for v in values if v is not None and not isinstance(v, Missing))


def _row(plan: Plan, binding: Binding) -> list[JsonValue]:
    data: list[JsonValue] = []
    for column in plan.columns:
        value = _evaluate(column.ref, binding)
        data.append(None if isinstance(value, Missing) else value)
    return data
