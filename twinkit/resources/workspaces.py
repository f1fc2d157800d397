"""Workspaces: `tm.workspaces` (create, get, list) and the `Workspace` handle."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from twinkit import models
from twinkit.paging import Pager
from twinkit.query import QueryResult
from twinkit.resources import _logic
from twinkit.resources._base import Handle, Resource, WaitFor

if TYPE_CHECKING:
    import numpy as np

    from twinkit._client import TwinMaker
    from twinkit.dataplane import BatchWriter, History, WriteResult
    from twinkit.resources.component_types import ComponentType, ComponentTypes
    from twinkit.resources.entities import Entities, Entity
    from twinkit.resources.jobs import SyncJobs
    from twinkit.resources.scenes import Scenes

__all__ = ["Workspace", "WorkspaceFields", "Workspaces"]


class WorkspaceFields(Handle[models.GetWorkspaceResponse]):
    """What a workspace handle reads from its description: the same for sync and async."""

    kind = "workspace"
    id: str

    @property
    def identity(self) -> tuple[str, ...]:
        """(workspace id,)."""
        return (self.id,)

    @property
    def arn(self) -> str:
        """The workspace's ARN."""
        return self.data.arn

    @property
    def description(self) -> str | None:
        """The workspace's description."""
        return self.data.description

    @property
    def created(self) -> datetime:
        """When the workspace was created."""
        return self.data.creation_date_time


class Workspace(WorkspaceFields, Resource[models.GetWorkspaceResponse]):
    """A workspace: the container of component types, entities and scenes.

    Example:
        ```python
        ws = tm.workspaces.create("factory", role=ROLE_ARN, s3_location=BUCKET_ARN)
        ws.update(description="the cookie factory")
        ws.delete()
        ```
    """

    def __init__(
        self, tm: TwinMaker, workspace_id: str, data: models.GetWorkspaceResponse | None = None
    ) -> None:
        super().__init__(tm, data)
        self.id = workspace_id

    def _fetch(self) -> models.GetWorkspaceResponse:
        return self._tm.get_workspace(workspace_id=self.id)

    @property
    def component_types(self) -> ComponentTypes:
        """The workspace's component types (built-in `com.amazon.*` ones included)."""
        from twinkit.resources.component_types import ComponentTypes

        return ComponentTypes(self)

    @property
    def entities(self) -> Entities:
        """The workspace's entities."""
        from twinkit.resources.entities import Entities

        return Entities(self)

    @property
    def sync_jobs(self) -> SyncJobs:
        """The workspace's sync jobs."""
        from twinkit.resources.jobs import SyncJobs

        return SyncJobs(self)

    @property
    def scenes(self) -> Scenes:
        """The workspace's scenes."""
        from twinkit.resources.scenes import Scenes

        return Scenes(self)

    def history(
        self,
        *properties: str,
        component_type: ComponentType | str,
        start: datetime | int | str | np.datetime64,
        end: datetime | int | str | np.datetime64,
        order: models.OrderByTime | str = "ASCENDING",
        interpolation: timedelta | int | models.InterpolationParameters | None = None,
        filters: Iterable[models.PropertyFilter | tuple[str, str, object]] | None = None,
        page_size: int = 200,
    ) -> History:
        """The values of some properties of every component of a type, across entities.

        Lazy like `Entity.history` (whose arguments these are); each point names its entity
        and component, and `.to_dataframe()` is a tidy long frame (`entity_id`, `component`,
        `property`, `time`, `value`).

        Args:
            properties: The properties; every time-series property of the component type
                when none are named (fetched once).
            component_type: The component type (components of types extending it count).
            start: The earliest time, inclusive.
            end: The latest time, inclusive.
            order: `"ASCENDING"` or `"DESCENDING"`.
            interpolation: LINEAR interpolation at this interval.
            filters: `PropertyFilter`s or `(property, operator, value)` tuples.
            page_size: Values per request (at most 200).

        Raises:
            ValidationError: an argument is malformed.
        """
        from twinkit.dataplane._history import History, HistoryQuery

        handle = (
            self.component_types(component_type)
            if isinstance(component_type, str)
            else component_type
        )
        names = properties or _logic.time_series_names(handle.property_definitions)
        query = HistoryQuery.build(
            self.id,
            names,
            start=start,
            end=end,
            order=order,
            interpolation=interpolation,
            filters=filters,
            page_size=page_size,
            component_type_id=handle.id,
        )
        return History(self._tm, query)

    def update(
        self,
        *,
        description: str | None = None,
        role: str | None = None,
        s3_location: str | None = None,
    ) -> Workspace:
        """Change the workspace; members left None are kept. Returns the refreshed handle."""
        self._tm.update_workspace(
            workspace_id=self.id, description=description, role=role, s3_location=s3_location
        )
        return self.refresh()

    def delete(self) -> None:
        """Delete the workspace (it must hold no entities, scenes or component types)."""
        self._tm.delete_workspace(workspace_id=self.id)
        self._data = None

    def wait_until_exists(
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
        self._wait(
            WaitFor(done_states=frozenset()),
            timeout=timeout,
            interval=interval,
            backoff=backoff,
            max_interval=max_interval,
        )
        return self

    def query(
        self, statement: str, *, page_size: int | None = None, max_items: int | None = None
    ) -> QueryResult:
        """Run a knowledge-graph query (PartiQL over `EntityGraph`): its rows, lazily, each a
        mapping from column name to a typed cell (see `twinkit.query`).

        Example:
            ```python
            for row in ws.query("SELECT e FROM EntityGraph MATCH (e) WHERE e.entityName = 'a'"):
                row.node("e").components
            ```
        """
        return QueryResult(self._tm, self.id, statement, page_size=page_size, max_items=max_items)

    def put_values(
        self,
        values: Mapping[Entity | str, Mapping[str, object]],
        *,
        max_concurrency: int | None = None,
        max_attempts: int = 8,
        progress: bool | None = None,
    ) -> WriteResult:
        """Write time-series values of many entities at once, any number of them.

        Values are packed into `BatchPutPropertyValues` calls (10 entries x 10 values), sent
        concurrently under one shared limit, retried with backoff and jitter (retryable
        `errorEntries` too), and accounted for: nothing raises midway. The declared type of
        each property is read once per entity (one GetEntity each, concurrently).

        Example:
            ```python
            result = ws.put_values({
                "pump-1": {"pump": {"rpm": [(t0, 1500.0), (t1, 1510.0)]}},
                "pump-2": {"pump": frame},           # a DataFrame, a column per property
            })
            print(result.written, result.failed)
            ```

        Args:
            values: `{entity: {component: values}}`, entities as handles or ids; a
                component's values as `Entity.put_values` takes them.
            max_concurrency: Calls in flight at most; the client's `max_pool_connections`
                (10 by default) when None.
            max_attempts: Tries per value before it is reported as not written.
            progress: Show a tqdm progress bar (`twinkit[tqdm]`); None: when stderr is a
                terminal and tqdm is installed.

        Returns:
            How many values were written, and every value that was not, with its error.

        Raises:
            ValidationError: a time or value is not one (raised before anything is sent),
                naming each, e.g. `entities['pump-1'].components['pump'].properties['rpm'][3]`.
        """
        from twinkit.dataplane._batch import put_values

        return put_values(
            self._tm,
            self.id,
            values,
            max_concurrency=max_concurrency,
            max_attempts=max_attempts,
            progress=progress,
        )

    def batch_writer(
        self,
        *,
        max_concurrency: int | None = None,
        max_attempts: int = 8,
        progress: bool | None = None,
    ) -> BatchWriter:
        """A streaming batch write: `put()` values as they come; full calls go out meanwhile.

        Example:
            ```python
            with ws.batch_writer() as writer:
                for entity_id, frame in frames:
                    writer.put(entity_id, "pump", frame)
            writer.result.raise_for_failures()
            ```

        Args:
            max_concurrency: Calls in flight at most (see `put_values`).
            max_attempts: Tries per value before it is reported as not written.
            progress: Show a tqdm progress bar (see `put_values`).
        """
        from twinkit.dataplane._batch import BatchWriter

        return BatchWriter(
            self._tm,
            self.id,
            max_concurrency=max_concurrency,
            max_attempts=max_attempts,
            progress=progress,
        )


class Workspaces:
    """The account's workspaces in the client's region: `tm.workspaces`."""

    def __init__(self, tm: TwinMaker) -> None:
        self._tm = tm

    def __call__(self, workspace_id: str) -> Workspace:
        """A handle on a workspace, without any call (`tm.workspaces("factory")`)."""
        return Workspace(self._tm, workspace_id)

    def create(
        self,
        workspace_id: str,
        *,
        role: str | None = None,
        s3_location: str | None = None,
        description: str | None = None,
        tags: dict[str, str] | None = None,
    ) -> Workspace:
        """Create a workspace and return its handle.

        Raises:
            ValidationError: an argument breaks the service model's rules.
            ConflictError: a workspace with this id exists.
        """
        self._tm.create_workspace(
            workspace_id=workspace_id,
            role=role,
            s3_location=s3_location,
            description=description,
            tags=tags,
        )
        return Workspace(self._tm, workspace_id)

    def get(self, workspace_id: str) -> Workspace:
        """Fetch a workspace.

        Raises:
            ResourceNotFoundError: there is no such workspace.
        """
        return Workspace(self._tm, workspace_id).refresh()

    def list(
        self, *, page_size: int | None = None, max_items: int | None = None
    ) -> Pager[Workspace]:
        """Every workspace, lazily (one call per page)."""
        summaries = self._tm.paginate.list_workspaces(page_size=page_size, max_items=max_items)
        return summaries.map(lambda s: Workspace(self._tm, s.workspace_id))

    def exists(self, workspace_id: str) -> bool:
        """True if the workspace exists (one call)."""
        return Workspace(self._tm, workspace_id).exists()
