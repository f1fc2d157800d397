"""Lazy pagination for `twinkit.aio`: `AsyncPager[T]`, iterated with `async for`.

```python
pager = tm.paginate.list_entities(workspace_id="factory", page_size=50)
async for entity in pager:                      # items, across every page
    print(entity.entity_name)

async for page in pager.by_page():              # the same `twinkit.paging.Page`s
    token = page.continuation_token             # save it to resume later:
    break
async for page in pager.by_page(continuation_token=token):
    ...
everything = await pager.to_list()
```

It follows `twinkit.paging.Pager`'s rules (see that module): nothing is fetched before it is
needed, `max_items` counts history values, and a failed page's error carries the
`continuation_token` that fetches it again. The class is defined in `twinkit.paging`, beside
`Pager`: the generated async paginators build it without importing the `twinkit.aio` package
(which needs aiobotocore and imports them back).
"""

from __future__ import annotations

from twinkit.paging import AsyncFetchPage, AsyncPager, Page

__all__ = ["AsyncFetchPage", "AsyncPager", "Page"]
