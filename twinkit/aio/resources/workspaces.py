"""Async workspaces: `tm.workspaces` (create, get, list) and the `Workspace` handle."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from typing_extensions import Unpack

from twinkit import models
from twinkit.aio.resources._base import AsyncResource
from twinkit.resources import _logic
from twinkit.resources._base import WaitFor
from twinkit.resources.workspaces import WorkspaceFields

if TYPE_CHECKING:
    from twinkit.aio._client import TwinMaker
    from twinkit.aio.dataplane import AsyncBatchWriter, AsyncHistory
    from twinkit.aio.paging import AsyncPager
    from twinkit.aio.query import AsyncQueryResult
    from twinkit.aio.resources.component_types import ComponentType, ComponentTypes
    from twinkit.aio.resources.entities import Entities, Entity
    from twinkit.aio.resources.jobs import SyncJobs
    from twinkit.aio.resources.scenes import Scenes
    from twinkit.dataplane import WriteResult

__all__ = ["Workspace", "Workspaces"]


class Workspace(WorkspaceFields, AsyncResource[models.GetWorkspaceResponse]):
    """A workspace, for asyncio: `twinkit.resources.Workspace`'s methods, awaited.

    Example:
        ```python
        ws = await tm.workspaces.create("factory", role=ROLE_ARN, s3_location=BUCKET_ARN)
        await ws.update(description="the cookie factory")
        print(ws.description)                 # read from what update fetched
        ```
    """

    def __init__(
        self, tm: TwinMaker, workspace_id: str, data: models.GetWorkspaceResponse | None = None
    ) -> None:
        super().__init__(tm, data)
        self.id = workspace_id

    async def _fetch(self) -> models.GetWorkspaceResponse:
        return await self._tm.get_workspace(workspace_id=self.id)

    @property
    def component_types(self) -> ComponentTypes:
        """The workspace's component types (built-in `com.amazon.*` ones included)."""
        from twinkit.aio.resources.component_types import ComponentTypes

        return ComponentTypes(self)

    @property
    def entities(self) -> Entities:
        """The workspace's entities."""
        from twinkit.aio.resources.entities import Entities

        return Entities(self)

    @property
    def sync_jobs(self) -> SyncJobs:
        """The workspace's sync jobs."""
        from twinkit.aio.resources.jobs import SyncJobs

        return SyncJobs(self)

    @property
    def scenes(self) -> Scenes:
        """The workspace's scenes."""
        from twinkit.aio.resources.scenes import Scenes

        return Scenes(self)

    async def update(
        self,
        *,
        description: str | None = None,
        role: str | None = None,
        s3_location: str | None = None,
    ) -> Workspace:
        """Change the workspace; members left None are kept. Returns the refreshed handle."""
        await self._tm.update_workspace(
            workspace_id=self.id, description=description, role=role, s3_location=s3_location
        )
        return await self.refresh()

    async def delete(self) -> None:
        """Delete the workspace (it must hold no entities, scenes or component types)."""
        await self._tm.delete_workspace(workspace_id=self.id)
        self._data = None

    async def wait_until_exists(
        self,
        *,
        timeout: float | None = 300.0,
        interval: float = 0.2,
        backoff: float = 1.5,
        max_interval: float = 5.0,
    ) -> Workspace:
        """Wait until the workspace can be read (workspaces have no state); returns self.

        Raises:
            WaitTimeoutError: it did not appear in time.
        """
        exists = WaitFor(done_states=frozenset())
        await self._poller(exists, interval, backoff, max_interval).wait(timeout)
        return self

    def query(
        self, statement: str, *, page_size: int | None = None, max_items: int | None = None
    ) -> AsyncQueryResult:
        """Run a knowledge-graph query (PartiQL over `EntityGraph`): its rows, lazily, each a
        mapping from column name to a typed cell (see `twinkit.query`).

        Example:
            ```python
            query = "SELECT e FROM EntityGraph MATCH (e) WHERE e.entityName = 'a'"
            async for row in ws.query(query):
                row.node("e").components
            ```
        """
        from twinkit.aio.query import AsyncQueryResult

        return AsyncQueryResult(
            self._tm, self.id, statement, page_size=page_size, max_items=max_items
        )

    async def history(
        self,
        *properties: str,
        component_type: ComponentType | str,
        **options: Unpack[_logic.HistoryOptions],
    ) -> AsyncHistory:
        """The values of some properties of every component of a type, across entities.

        As `twinkit.resources.Workspace.history` (same arguments: `start`, `end`, `order`,
        `interpolation`, `filters`, `page_size`); awaited because, with no property named,
        it reads the type's time-series properties first. Nothing else is fetched until
        the result is iterated (`async for point in history`).

        Raises:
            ValidationError: an argument is malformed.
        """
        from twinkit.aio.dataplane import AsyncHistory
        from twinkit.dataplane._history import HistoryQuery

        handle = (
            self.component_types(component_type)
            if isinstance(component_type, str)
            else component_type
        )
        if not properties:
            await handle.get_data()
        names = properties or _logic.time_series_names(handle.property_definitions)
        query = HistoryQuery.build(self.id, names, component_type_id=handle.id, **options)
        return AsyncHistory(self._tm, query)

    async def put_values(
        self,
        values: Mapping[Entity | str, Mapping[str, object]],
        **options: Unpack[_logic.WriteOptions],
    ) -> WriteResult:
        """Write time-series values of many entities at once, any number of them.

        As `twinkit.resources.Workspace.put_values` (same `values` and options:
        `max_concurrency`, `max_attempts`, `progress`), with asyncio tasks for threads.

        Raises:
            ValidationError: a time or value is not one (raised before anything is sent).
        """
        from twinkit.aio.dataplane import put_values

        return await put_values(self._tm, self.id, values, **options)

    def batch_writer(self, **options: Unpack[_logic.WriteOptions]) -> AsyncBatchWriter:
        """A streaming async batch write (options as `put_values`).

        Example:
            ```python
            async with ws.batch_writer() as writer:
                async for entity_id, frame in frames:
                    await writer.put(entity_id, "pump", frame)
            writer.result.raise_for_failures()
            ```
        """
        from twinkit.aio.dataplane import AsyncBatchWriter

        return AsyncBatchWriter(self._tm, self.id, **options)


class Workspaces:
    """The account's workspaces in the client's region: `tm.workspaces`."""

    def __init__(self, tm: TwinMaker) -> None:
        self._tm = tm

    def __call__(self, workspace_id: str) -> Workspace:
        """A handle on a workspace, without any call (`tm.workspaces("factory")`)."""
        return Workspace(self._tm, workspace_id)

    async def create(
        self,
        workspace_id: str,
        *,
        role: str | None = None,
        s3_location: str | None = None,
        description: str | None = None,
        tags: dict[str, str] | None = None,
    ) -> Workspace:
        """Create a workspace and return its handle (not fetched: see `get_data`).

        Raises:
            ValidationError: an argument breaks the service model's rules.
            ConflictError: a workspace with this id exists.
        """
        await self._tm.create_workspace(
            workspace_id=workspace_id,
            role=role,
            s3_location=s3_location,
            description=description,
            tags=tags,
        )
        return Workspace(self._tm, workspace_id)

    async def get(self, workspace_id: str) -> Workspace:
        """Fetch a workspace.

        Raises:
            ResourceNotFoundError: there is no such workspace.
        """
        return await Workspace(self._tm, workspace_id).refresh()

    def list(
        self, *, page_size: int | None = None, max_items: int | None = None
    ) -> AsyncPager[Workspace]:
        """Every workspace, lazily (`async for`; one call per page)."""
        summaries = self._tm.paginate.list_workspaces(page_size=page_size, max_items=max_items)
        return summaries.map(lambda s: Workspace(self._tm, s.workspace_id))

    async def exists(self, workspace_id: str) -> bool:
        """True if the workspace exists (one call)."""
        return await Workspace(self._tm, workspace_id).exists()
