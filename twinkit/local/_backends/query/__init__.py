"""ExecuteQuery: knowledge-graph queries (PartiQL with graph `MATCH`) over `EntityGraph`.

The service runs PartiQL with graph patterns over a workspace's entity graph. twinkit.local runs
every construct of the knowledge graph guide's examples and refuses everything else with a
`ValidationException` naming what it does not support: it never answers a query it did not
understand. The language, the graph's documents and every reading of the guide are listed under
"Knowledge-graph queries" in docs/local.md. A statement goes through one module per phase:

* `lexer`: text -> tokens (and the errors every phase raises: syntax, unsupported, quota);
* `syntax`: the syntax tree;
* `parser`: tokens -> syntax tree, by recursive descent;
* `planner`: variables bound, fields checked, columns named and typed, quotas kept -> `Plan`;
* `graph`: the workspace's entities as nodes and edges, as one request sees them;
* `evaluate`: the pattern's matches (quantified edges as trails), `WHERE` in PartiQL's
  three-valued logic, the rows (COUNT, DISTINCT, OFFSET, LIMIT), each with a sort key;

and this module pages the rows by `maxResults`/`nextToken` (a token holds the last row's sort
key, so paging never repeats or skips a row whose match existed throughout). Queries need the
STANDARD or TIERED_BUNDLE pricing mode, as the guide says.
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
