"""twinkit for asyncio: `twinkit.aio.TwinMaker`, the typed client on aiobotocore.

Every operation of `twinkit.TwinMaker` as a coroutine with the same typed arguments, models
and errors, `AsyncPager`s for the paginated ones, async resource handles with waiters
(`tm.workspaces`, `ws.entities`, ...), and the async data plane (`entity.put_values`,
`ws.batch_writer()`, `entity.history(...)`):

```python
import twinkit.aio

async with twinkit.aio.TwinMaker(region_name="us-east-1") as tm:
    entity = await tm.get_entity(workspace_id="factory", entity_id="pump-1")
    async for summary in tm.paginate.list_entities(workspace_id="factory"):
        print(summary.entity_name)
```

Needs aiobotocore: `pip install 'twinkit[aio]'` (importing this package without it raises an
`ImportError` that says so).
"""

from __future__ import annotations

from twinkit.aio._client import TwinMaker
from twinkit.aio.dataplane import AsyncBatchWriter, AsyncHistory
from twinkit.aio.paging import AsyncPager
from twinkit.aio.resources import (
    ComponentType,
    ComponentTypes,
    DataNotFetchedError,
    Entities,
    Entity,
    EntityChildren,
    MetadataTransferJob,
    MetadataTransferJobs,
    PricingPlan,
    Scene,
    Scenes,
    SyncJob,
    SyncJobs,
    Workspace,
    Workspaces,
)
from twinkit.aio.waiting import AsyncPoller

__all__ = [
    "AsyncBatchWriter",
    "AsyncHistory",
    "AsyncPager",
    "AsyncPoller",
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
    "TwinMaker",
    "Workspace",
    "Workspaces",
]

# Documented and pickled under the public path, as `twinkit.TwinMaker` is.
TwinMaker.__module__ = "twinkit.aio"
