"""Jobs and the pricing plan: `ws.sync_jobs`, `tm.metadata_transfer_jobs`, `tm.pricing_plan`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from twinkit import models
from twinkit.paging import Pager
from twinkit.resources import _logic
from twinkit.resources._base import Handle, Resource, StatefulResource, WaitFor

if TYPE_CHECKING:
    from twinkit._client import TwinMaker
    from twinkit.resources.workspaces import Workspace, WorkspaceFields

__all__ = [
    "MetadataTransferJob",
    "MetadataTransferJobFields",
    "MetadataTransferJobs",
    "PricingPlan",
    "SyncJob",
    "SyncJobFields",
    "SyncJobs",
]


class SyncJobFields(Handle[models.GetSyncJobResponse]):
    """What a sync job handle reads from its description: the same for sync and async."""

    kind = "sync job"
    sync_source: str
    workspace: WorkspaceFields

    @property
    def identity(self) -> tuple[str, ...]:
        """(workspace id, sync source)."""
        return (self.workspace.id, self.sync_source)

    def _state(self, data: models.GetSyncJobResponse) -> str | None:
        return _logic.state_of(data.status)

    def _error(self, data: models.GetSyncJobResponse) -> tuple[str | None, str | None]:
        return _logic.error_of(data.status)


class SyncJob(SyncJobFields, StatefulResource[models.GetSyncJobResponse]):
    """A sync job: keeps a workspace in step with an external source (e.g. `SITEWISE`)."""

    workspace: Workspace

    def __init__(
        self, workspace: Workspace, sync_source: str, data: models.GetSyncJobResponse | None = None
    ) -> None:
        super().__init__(workspace.client, data)
        self.workspace = workspace
        self.sync_source = sync_source

    def _fetch(self) -> models.GetSyncJobResponse:
        return self._tm.get_sync_job(sync_source=self.sync_source, workspace_id=self.workspace.id)

    def resources(
        self,
        *,
        filters: Sequence[models.SyncResourceFilter] | None = None,
        page_size: int | None = None,
    ) -> Pager[models.SyncResourceSummary]:
        """The resources the job synchronizes, lazily."""
        return self._tm.paginate.list_sync_resources(
            workspace_id=self.workspace.id,
            sync_source=self.sync_source,
            filters=list(filters) if filters is not None else None,
            page_size=page_size,
        )

    def delete(self) -> None:
        """Delete the job (DELETING, then gone)."""
        self._tm.delete_sync_job(workspace_id=self.workspace.id, sync_source=self.sync_source)
        self._data = None


class SyncJobs:
    """The sync jobs of a workspace: `ws.sync_jobs`."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace
        self._tm = workspace.client

    def __call__(self, sync_source: str) -> SyncJob:
        """A handle on the workspace's sync job for `sync_source`, without any call."""
        return SyncJob(self._workspace, sync_source)

    def create(
        self, sync_source: str, *, sync_role: str, tags: dict[str, str] | None = None
    ) -> SyncJob:
        """Start synchronizing the workspace from `sync_source` (e.g. `SITEWISE`).

        Raises:
            ValidationError: an argument breaks the service model's rules.
            ConflictError: the workspace already has a job for this source.
        """
        self._tm.create_sync_job(
            workspace_id=self._workspace.id, sync_source=sync_source, sync_role=sync_role, tags=tags
        )
        return SyncJob(self._workspace, sync_source)

    def get(self, sync_source: str) -> SyncJob:
        """Fetch the job for `sync_source`.

        Raises:
            ResourceNotFoundError: there is no such job.
        """
        return SyncJob(self._workspace, sync_source).refresh()

    def list(self, *, page_size: int | None = None) -> Pager[SyncJob]:
        """The workspace's sync jobs, lazily."""
        summaries = self._tm.paginate.list_sync_jobs(
            workspace_id=self._workspace.id, page_size=page_size
        )
        return summaries.map(lambda s: SyncJob(self._workspace, str(s.sync_source)))


class MetadataTransferJobFields(Handle[models.GetMetadataTransferJobResponse]):
    """What a metadata transfer job handle reads from its description, sync or async."""

    kind = "metadata transfer job"
    id: str

    _COMPLETE = WaitFor(
        done_states=frozenset({"COMPLETED"}), failed_states=frozenset({"ERROR", "CANCELLED"})
    )
    """What `wait_until_complete` waits for."""

    @property
    def identity(self) -> tuple[str, ...]:
        """(job id,)."""
        return (self.id,)

    @property
    def state(self) -> str | None:
        """The state as last fetched (`VALIDATING`, `RUNNING`, `COMPLETED`, `ERROR`, ...)."""
        return self._state(self.data)

    def _state(self, data: models.GetMetadataTransferJobResponse) -> str | None:
        return _logic.state_of(data.status)

    def _error(self, data: models.GetMetadataTransferJobResponse) -> tuple[str | None, str | None]:
        return _logic.error_of(data.status)


class MetadataTransferJob(
    MetadataTransferJobFields, Resource[models.GetMetadataTransferJobResponse]
):
    """A metadata transfer job: copies metadata between S3, IoT SiteWise and TwinMaker."""

    def __init__(
        self,
        tm: TwinMaker,
        job_id: str,
        data: models.GetMetadataTransferJobResponse | None = None,
    ) -> None:
        super().__init__(tm, data)
        self.id = job_id

    def _fetch(self) -> models.GetMetadataTransferJobResponse:
        return self._tm.get_metadata_transfer_job(metadata_transfer_job_id=self.id)

    def cancel(self) -> MetadataTransferJob:
        """Ask the service to cancel the job (CANCELLING, then CANCELLED)."""
        self._tm.cancel_metadata_transfer_job(metadata_transfer_job_id=self.id)
        return self.refresh()

    def wait_until_complete(
        self,
        *,
        timeout: float | None = 3600.0,
        interval: float = 1.0,
        backoff: float = 1.5,
        max_interval: float = 30.0,
    ) -> MetadataTransferJob:
        """Wait until the job is COMPLETED; returns self.

        Raises:
            ResourceFailedError: it ended in ERROR or was CANCELLED.
            WaitTimeoutError: it had not finished in time.
        """
        self._wait(
            self._COMPLETE,
            timeout=timeout,
            interval=interval,
            backoff=backoff,
            max_interval=max_interval,
        )
        return self


class MetadataTransferJobs:
    """The account's metadata transfer jobs: `tm.metadata_transfer_jobs`."""

    def __init__(self, tm: TwinMaker) -> None:
        self._tm = tm

    def __call__(self, job_id: str) -> MetadataTransferJob:
        """A handle on a job, without any call."""
        return MetadataTransferJob(self._tm, job_id)

    def create(
        self,
        *,
        sources: Sequence[models.SourceConfiguration],
        destination: models.DestinationConfiguration,
        job_id: str | None = None,
        description: str | None = None,
    ) -> MetadataTransferJob:
        """Start a metadata transfer job.

        Raises:
            ValidationError: an argument breaks the service model's rules.
            ConflictError: a job with this id exists.
        """
        created = self._tm.create_metadata_transfer_job(
            sources=list(sources),
            destination=destination,
            metadata_transfer_job_id=job_id,
            description=description,
        )
        return MetadataTransferJob(self._tm, created.metadata_transfer_job_id)

    def get(self, job_id: str) -> MetadataTransferJob:
        """Fetch a job.

        Raises:
            ResourceNotFoundError: there is no such job.
        """
        return MetadataTransferJob(self._tm, job_id).refresh()

    def list(
        self,
        *,
        source_type: models.SourceType | str,
        destination_type: models.DestinationType | str,
        workspace_id: str | None = None,
        state: models.MetadataTransferJobState | str | None = None,
        page_size: int | None = None,
    ) -> Pager[MetadataTransferJob]:
        """Jobs from one kind of source to one kind of destination, lazily."""
        summaries = self._tm.paginate.list_metadata_transfer_jobs(
            source_type=source_type,
            destination_type=destination_type,
            filters=_logic.metadata_transfer_job_filters(workspace_id, state),
            page_size=page_size,
        )
        return summaries.map(lambda s: MetadataTransferJob(self._tm, s.metadata_transfer_job_id))


class PricingPlan:
    """The account's pricing plan: `tm.pricing_plan.get()`, `.update(...)`."""

    def __init__(self, tm: TwinMaker) -> None:
        self._tm = tm

    def get(self) -> models.GetPricingPlanResponse:
        """The current (and any pending) pricing plan."""
        return self._tm.get_pricing_plan()

    def update(
        self,
        mode: models.PricingMode | str,
        *,
        bundle_names: Sequence[str] | None = None,
    ) -> models.UpdatePricingPlanResponse:
        """Change the pricing mode (`BASIC`, `STANDARD`, `TIERED_BUNDLE`)."""
        return self._tm.update_pricing_plan(
            pricing_mode=mode, bundle_names=list(bundle_names) if bundle_names else None
        )
