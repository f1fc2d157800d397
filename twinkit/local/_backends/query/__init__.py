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

from twinkit import models
from twinkit.local._backends import handles
from twinkit.local._backends._paging import page
from twinkit.local._backends.pricing import current_pricing_mode
from twinkit.local._backends.query.evaluate import select
from twinkit.local._backends.query.graph import Graph
from twinkit.local._backends.query.parser import Parser
from twinkit.local._backends.query.planner import DEFAULT_PAGE_SIZE, Planner
from twinkit.local._backends.workspaces import workspace_or_404
from twinkit.local._errors import validation
from twinkit.local._state import Context
from twinkit.models import PricingMode

__all__: list[str] = []

QUERY_PRICING_MODES = (PricingMode.STANDARD, PricingMode.TIERED_BUNDLE)
"""The pricing modes under which the knowledge graph answers queries (the guide's rule)."""


@handles("ExecuteQuery")
def execute_query(ctx: Context, request: models.ExecuteQueryRequest) -> models.ExecuteQueryResponse:
    """Run a knowledge-graph query of the supported subset (see the module docstring)."""
    workspace_id = workspace_or_404(ctx, request.workspace_id).workspace_id
    mode = current_pricing_mode(ctx)
    if mode not in QUERY_PRICING_MODES:
        raise validation(
            f"ExecuteQuery needs the pricing mode STANDARD or TIERED_BUNDLE; the account's is "
            f"{mode} (change it with UpdatePricingPlan)"
        )
    plan = Planner().plan(Parser(request.query_statement).query())
    chosen, token = page(
        select(plan, Graph(ctx, workspace_id)),
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
        rows=[models.Row(row_data=data) for _, data in chosen],
        next_token=token,
    )
