"""Async resource handles over `twinkit.aio.TwinMaker`: the handles of `twinkit.resources`,
with every call awaited.

```python
async with twinkit.aio.TwinMaker() as tm:
    ws = await tm.workspaces.create("factory")
    pump = await ws.entities.create("Pump 1", entity_id="pump-1")
    await pump.wait_until_active(timeout=60)
    print(pump.state)                       # read from the last fetch: no call
    async for entity in ws.entities.list():
        ...
```

What differs from the sync handles, because a property cannot await:

- a handle never fetches on its own: `await handle.get_data()` fetches its description once,
  `await handle.refresh()` again; `data` and the properties read from it (`state`, `name`,
  `values(...)`) then read what was fetched, and raise `DataNotFetchedError` before that.
  Updates return the refreshed handle.
- `history(...)` is awaited (it may read the property definitions first) and returns an
  `AsyncHistory`; `put_values` and `latest` are awaited; `batch_writer()` is an async
  context manager.

- `await entity.tree()` lists the children of a whole level at once (concurrently), where
  the sync `Entity.tree()` lists one parent after another; the tree is the same.

- knowledge-graph queries (`ws.query(...)`, `entity.related()`, `entity.descendants()`)
  return async pagers of the same typed rows and nodes (`twinkit.aio.query.AsyncQueryResult`).

Not here: notebook views (`_repr_html_` cannot await); use a sync handle in a notebook.
"""

from twinkit.aio.resources._base import DataNotFetchedError
from twinkit.aio.resources.component_types import ComponentType, ComponentTypes
from twinkit.aio.resources.entities import ROOT, Entities, Entity, EntityChildren
from twinkit.aio.resources.jobs import (
    MetadataTransferJob,
    MetadataTransferJobs,
    PricingPlan,
    SyncJob,
    SyncJobs,
)
from twinkit.aio.resources.scenes import Scene, Scenes
from twinkit.aio.resources.workspaces import Workspace, Workspaces

__all__ = [
    "ROOT",
    "ComponentType",
    "ComponentTypes",
    "DataNotFetchedError",
    "Entities",
    "Entity",
    "EntityChildren",
    "MetadataTransferJob",
    "MetadataTransferJobs",
    "PricingPlan",
    "Scene",
    "Scenes",
    "SyncJob",
    "SyncJobs",
    "Workspace",
    "Workspaces",
]
