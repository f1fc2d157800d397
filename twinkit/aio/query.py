"""Knowledge-graph queries for asyncio: `AsyncQueryResult`, the async twin of
`twinkit.query.QueryResult`: the same typed rows (`QueryRow`, `EntityNode`, ...), decoded by
the same functions, with `async for` in place of `for`.

```python
async for row in ws.query("SELECT e FROM EntityGraph MATCH (e)"):
    print(row.node("e").entity_name)
```
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from twinkit.paging import AsyncPager
from twinkit.query import QueryColumn, QueryRow, decode_page, result_repr, rows_frame

if TYPE_CHECKING:
    import pandas

    from twinkit.aio._client import TwinMaker

__all__ = ["AsyncQueryResult"]


class AsyncQueryResult(AsyncPager[QueryRow]):
    """The rows of one query, fetched lazily page by page: `async for` rows, `by_page()` for
    pages, `await to_dataframe()` for a table. Made as a `QueryResult` is, with the async
    client (`ws.query(statement)` makes one).
    """

    def __init__(
        self,
        tm: TwinMaker,
        workspace_id: str,
        statement: str,
        *,
        page_size: int | None = None,
        max_items: int | None = None,
    ) -> None:
        self.statement = statement
        self.columns: tuple[QueryColumn, ...] | None = None
        """The result's columns, once a page has been fetched."""

        async def fetch_page(
            token: str | None, size: int | None
        ) -> tuple[list[QueryRow], str | None]:
            output = await tm.execute_query(
                workspace_id=workspace_id,
                query_statement=statement,
                max_results=size,
                next_token=token,
            )
            self.columns, rows = decode_page(output)
            return rows, output.next_token

        super().__init__(
            fetch_page,
            page_size=page_size,
            max_items=max_items,
            item_type="QueryRow",
            source="execute_query",
        )

    def __repr__(self) -> str:
        """`AsyncQueryResult('SELECT e FROM ...', page_size=None, max_items=None)`, as
        `QueryResult`'s."""
        return result_repr(self, self.statement, self.columns)

    async def to_dataframe(self) -> pandas.DataFrame:
        """Every row as a pandas DataFrame, one column per query column.

        Raises:
            ImportError: pandas is not installed (`pip install 'twinkit[pandas]'`).
        """
        rows = await self.to_list()
        return rows_frame(type(self).__name__, rows, self.columns)
