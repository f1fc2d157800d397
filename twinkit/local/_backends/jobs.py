"""Sync jobs and metadata transfer jobs: their API, states over time and listings.

Owns `EmulatorState.extra["sync_jobs"][workspace_id][sync_source]` (a `SyncJobRecord`) and
`extra["metadata_transfer_jobs"][job_id]` (a `MetadataTransferJobRecord`). A job's state is
computed from the clock when read (each stage lasts the emulator's `transition_delay`), so a
`ManualClock` moves it exactly and a restarted server carries on where it was.

**Neither kind of job moves any data.** twinkit.local cannot reach AWS IoT SiteWise or Amazon
S3, so it never pretends that anything arrived:

* a sync job goes CREATING -> INITIALIZING -> ERROR, with the error code
  `SYNC_INITIALIZING_ERROR` and a message saying that the emulator cannot reach SiteWise; it
  syncs no resource (ListSyncResources answers an empty list);
* a metadata transfer job goes VALIDATING -> PENDING -> RUNNING -> ERROR, with the error code
  `PROCESSING_ERROR`, a message naming the service the emulator cannot reach, and a progress of
  zero items; cancelling it first makes it CANCELLING -> CANCELLED.

Rules (the service's, as documented; where it says nothing, the stricter choice):

* Sync jobs: `syncSource` must be `SITEWISE`, one job per source and workspace (a second is a
  `ConflictException`, also while the first is being deleted); DeleteSyncJob answers DELETING,
  and the job is gone after the transition delay. ListSyncResources takes the filter
  combinations the API documents: `state`; `resourceType` with `resourceId`; `resourceType`
  with `externalId`.
* Metadata transfer jobs: exactly one source; the transfers are S3 -> SiteWise, S3 ->
  TwinMaker, SiteWise -> S3, SiteWise -> TwinMaker and TwinMaker -> S3; a source or destination
  carries the configuration of its type only; a TwinMaker workspace ARN (and the entities and
  component types its filters name) must exist. Only a VALIDATING, PENDING or RUNNING job can be
  cancelled (else `ConflictException`). ListMetadataTransferJobs lists the jobs of the given
  source and destination types, oldest first, filtered by `workspaceId` (a TwinMaker source or
  destination in that workspace) and `state`.

Deliberate deviations: `metadataTransferJobRole` is a placeholder role of the emulator's account
(the request has no role and the emulator no IAM); `queuedPosition` is the job's place among the
PENDING jobs; no `reportUrl`; a sync job disappears with its workspace.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

import attrs

from twinkit import models
from twinkit.local._backends import handles
from twinkit.local._backends._paging import page
from twinkit.local._backends._type_library import TypeResolver
from twinkit.local._backends.tags import forget_taggable, register_taggable
from twinkit.local._backends.workspaces import workspace_or_404
from twinkit.local._errors import conflict, not_found, validation
from twinkit.local._state import Context
from twinkit.models import ErrorCode, MetadataTransferJobState, SyncJobState

__all__ = ["MetadataTransferJobRecord", "SyncJobRecord"]

SYNC_JOBS = "sync_jobs"
TRANSFER_JOBS = "metadata_transfer_jobs"
DEFAULT_PAGE_SIZE = 50
SYNC_SOURCES = ("SITEWISE",)
NO_SITEWISE = (
    "twinkit.local cannot reach AWS IoT SiteWise: this sync job never syncs anything in the "
    "emulator"
)
TRANSFERS = {
    ("s3", "iotsitewise"),
    ("s3", "iottwinmaker"),
    ("iotsitewise", "s3"),
    ("iotsitewise", "iottwinmaker"),
    ("iottwinmaker", "s3"),
}
_SERVICE_NAMES = {"s3": "Amazon S3", "iotsitewise": "AWS IoT SiteWise"}


def _stage(created: datetime, delay: float, now: datetime) -> int:
    """How many stages of `delay` seconds have passed since `created`."""
    if delay <= 0:
        return 1_000_000
    return int((now - created) / timedelta(seconds=delay))


def _after(created: datetime, delay: float, stages: int) -> datetime:
    return created + timedelta(seconds=delay * stages)


# --- sync jobs ------------------------------------------------------------------------------------


@attrs.frozen
class SyncJobRecord:
    """A sync job as created; its state follows from the clock."""

    workspace_id: str
    workspace_created: datetime
    """The creation of the workspace it belongs to (a job goes with its workspace)."""
    sync_source: str
    arn: str
    sync_role: str
    created: datetime
    delay: float
    deleting_since: datetime | None = None

    def state(self, now: datetime) -> SyncJobState:
        """CREATING, INITIALIZING, then ERROR; DELETING once deleted."""
        if self.deleting_since is not None:
            return SyncJobState.DELETING
        stage = _stage(self.created, self.delay, now)
        return (
            [SyncJobState.CREATING, SyncJobState.INITIALIZING][stage]
            if stage < 2
            else (SyncJobState.ERROR)
        )

    def updated(self, now: datetime) -> datetime:
        """When the job last changed state."""
        if self.deleting_since is not None:
            return self.deleting_since
        return _after(self.created, self.delay, min(_stage(self.created, self.delay, now), 2))

    def gone(self, now: datetime) -> bool:
        """True once its deletion has finished."""
        return self.deleting_since is not None and now >= _after(self.deleting_since, self.delay, 1)

    def status(self, now: datetime) -> models.SyncJobStatus:
        """The `status` member: the state, and the error once it failed."""
        state = self.state(now)
        if state is SyncJobState.ERROR:
            error = models.ErrorDetails(code=ErrorCode.SYNC_INITIALIZING_ERROR, message=NO_SITEWISE)
        else:
            error = models.ErrorDetails()
        return models.SyncJobStatus(state=state, error=error)


def _sync_jobs(ctx: Context, workspace_id: str) -> dict[str, SyncJobRecord]:
    """The workspace's sync jobs (not gone), by source; read only."""
    workspace = workspace_or_404(ctx, workspace_id)
    jobs: dict[str, SyncJobRecord] = ctx.state.extra.get(SYNC_JOBS, {}).get(workspace_id, {})
    return {
        source: job
        for source, job in jobs.items()
        if job.workspace_created == workspace.created and not job.gone(ctx.now)
    }


def _sync_box(ctx: Context, workspace_id: str) -> dict[str, SyncJobRecord]:
    box: dict[str, dict[str, SyncJobRecord]] | None = ctx.state.extra.get(SYNC_JOBS)
    if box is None:
        box = {}
        ctx.journal.put(ctx.state.extra, SYNC_JOBS, box)
    jobs = box.get(workspace_id)
    if jobs is None:
        jobs = {}
        ctx.journal.put(box, workspace_id, jobs)
    return jobs


def _check_sync_source(sync_source: str) -> None:
    if sync_source not in SYNC_SOURCES:
        raise validation(f"syncSource: {sync_source} is not supported; the only one is SITEWISE")


def _sync_job_or_404(ctx: Context, workspace_id: str | None, sync_source: str) -> SyncJobRecord:
    if workspace_id is None:
        raise validation("workspaceId is required")
    _check_sync_source(sync_source)
    job = _sync_jobs(ctx, workspace_id).get(sync_source)
    if job is None:
        raise not_found(f"Sync job for {sync_source} not found in workspace {workspace_id}")
    return job


@handles("CreateSyncJob")
def create_sync_job(
    ctx: Context, request: models.CreateSyncJobRequest
) -> models.CreateSyncJobResponse:
    """Create a sync job: CREATING, then INITIALIZING, then ERROR (SiteWise is out of reach)."""
    workspace = workspace_or_404(ctx, request.workspace_id)
    _check_sync_source(request.sync_source)
    existing = _sync_jobs(ctx, workspace.workspace_id).get(request.sync_source)
    if existing is not None:
        raise conflict(
            f"Workspace {workspace.workspace_id} already has a {request.sync_source} sync job "
            f"({existing.state(ctx.now)})"
        )
    job = SyncJobRecord(
        workspace_id=workspace.workspace_id,
        workspace_created=workspace.created,
        sync_source=request.sync_source,
        arn=ctx.arn(f"workspace/{workspace.workspace_id}/sync-job/{request.sync_source}"),
        sync_role=request.sync_role,
        created=ctx.now,
        delay=ctx.transition_delay,
    )
    ctx.journal.put(_sync_box(ctx, workspace.workspace_id), job.sync_source, job)
    register_taggable(ctx, job.arn, request.tags)
    return models.CreateSyncJobResponse(
        arn=job.arn, creation_date_time=job.created, state=job.state(ctx.now)
    )


@handles("GetSyncJob")
def get_sync_job(ctx: Context, request: models.GetSyncJobRequest) -> models.GetSyncJobResponse:
    """A sync job and its current state."""
    job = _sync_job_or_404(ctx, request.workspace_id, request.sync_source)
    return models.GetSyncJobResponse(
        arn=job.arn,
        workspace_id=job.workspace_id,
        sync_source=job.sync_source,
        sync_role=job.sync_role,
        status=job.status(ctx.now),
        creation_date_time=job.created,
        update_date_time=job.updated(ctx.now),
    )


@handles("DeleteSyncJob")
def delete_sync_job(
    ctx: Context, request: models.DeleteSyncJobRequest
) -> models.DeleteSyncJobResponse:
    """Delete a sync job: DELETING, then gone after the transition delay."""
    job = _sync_job_or_404(ctx, request.workspace_id, request.sync_source)
    if job.deleting_since is not None:
        raise validation(f"The {job.sync_source} sync job is being deleted")
    deleting = attrs.evolve(job, deleting_since=ctx.now, delay=ctx.transition_delay)
    ctx.journal.put(_sync_box(ctx, job.workspace_id), job.sync_source, deleting)
    forget_taggable(ctx, job.arn)
    return models.DeleteSyncJobResponse(state=SyncJobState.DELETING)


@handles("ListSyncJobs")
def list_sync_jobs(
    ctx: Context, request: models.ListSyncJobsRequest
) -> models.ListSyncJobsResponse:
    """The workspace's sync jobs, by source."""
    jobs, token = page(
        _sync_jobs(ctx, request.workspace_id).values(),
        key=lambda job: job.sync_source,
        max_results=request.max_results,
        next_token=request.next_token,
        default_size=DEFAULT_PAGE_SIZE,
        bound_to=("ListSyncJobs", request.workspace_id),
    )
    return models.ListSyncJobsResponse(
        sync_job_summaries=[
            models.SyncJobSummary(
                arn=job.arn,
                workspace_id=job.workspace_id,
                sync_source=job.sync_source,
                status=job.status(ctx.now),
                creation_date_time=job.created,
                update_date_time=job.updated(ctx.now),
            )
            for job in jobs
        ],
        next_token=token,
    )


_RESOURCE_FILTERS: tuple[frozenset[str], ...] = (
    frozenset(),
    frozenset({"state"}),
    frozenset({"resource_type", "resource_id"}),
    frozenset({"resource_type", "external_id"}),
)


def _check_resource_filters(filters: Sequence[models.SyncResourceFilter]) -> None:
    members = [
        name
        for item in filters
        for name in ("state", "resource_type", "resource_id", "external_id")
        if getattr(item, name) is not None
    ]
    if len(set(members)) != len(members) or frozenset(members) not in _RESOURCE_FILTERS:
        raise validation(
            "filters: give state alone, resourceType with resourceId, or resourceType with "
            "externalId"
        )


@handles("ListSyncResources")
def list_sync_resources(
    ctx: Context, request: models.ListSyncResourcesRequest
) -> models.ListSyncResourcesResponse:
    """The resources a sync job synced: none, since the emulator cannot reach SiteWise."""
    _sync_job_or_404(ctx, request.workspace_id, request.sync_source)
    _check_resource_filters(request.filters or [])
    return models.ListSyncResourcesResponse(sync_resources=[])


# --- metadata transfer jobs -----------------------------------------------------------------------

_TRANSFER_STAGES = (
    MetadataTransferJobState.VALIDATING,
    MetadataTransferJobState.PENDING,
    MetadataTransferJobState.RUNNING,
)
_CANCELLABLE = frozenset(_TRANSFER_STAGES)


@attrs.frozen
class MetadataTransferJobRecord:
    """A metadata transfer job as created; its state follows from the clock."""

    job_id: str
    arn: str
    description: str | None
    sources: tuple[models.SourceConfiguration, ...]
    destination: models.DestinationConfiguration
    role: str
    created: datetime
    delay: float
    failure: str
    """Why it ends in ERROR: the service the emulator cannot reach."""
    cancelled_at: datetime | None = None

    @property
    def source_type(self) -> str:
        """The type of its (only) source."""
        return str(self.sources[0].type)

    def state(self, now: datetime) -> MetadataTransferJobState:
        """VALIDATING, PENDING, RUNNING, then ERROR; CANCELLING, then CANCELLED, once cancelled."""
        if self.cancelled_at is not None:
            if _stage(self.cancelled_at, self.delay, now) < 1:
                return MetadataTransferJobState.CANCELLING
            return MetadataTransferJobState.CANCELLED
        stage = _stage(self.created, self.delay, now)
        return _TRANSFER_STAGES[stage] if stage < 3 else MetadataTransferJobState.ERROR

    def updated(self, now: datetime) -> datetime:
        """When the job last changed state."""
        if self.cancelled_at is not None:
            return _after(
                self.cancelled_at, self.delay, min(_stage(self.cancelled_at, self.delay, now), 1)
            )
        return _after(self.created, self.delay, min(_stage(self.created, self.delay, now), 3))

    def progress(self, now: datetime) -> models.MetadataTransferJobProgress | None:
        """Zero items once it has started running: nothing is ever transferred."""
        until = now if self.cancelled_at is None else min(now, self.cancelled_at)
        if _stage(self.created, self.delay, until) < 2:
            return None
        return models.MetadataTransferJobProgress(
            total_count=0, succeeded_count=0, skipped_count=0, failed_count=0
        )


def _transfer_jobs(ctx: Context) -> dict[str, MetadataTransferJobRecord]:
    jobs: dict[str, MetadataTransferJobRecord] = ctx.state.extra.get(TRANSFER_JOBS, {})
    return jobs


def _transfer_status(
    ctx: Context, job: MetadataTransferJobRecord
) -> models.MetadataTransferJobStatus:
    state = job.state(ctx.now)
    error = None
    if state is MetadataTransferJobState.ERROR:
        error = models.ErrorDetails(code=ErrorCode.PROCESSING_ERROR, message=job.failure)
    position = None
    if state is MetadataTransferJobState.PENDING:
        pending = [j for j in _transfer_jobs(ctx).values() if j.state(ctx.now) is state]
        position = 1 + sum(1 for j in pending if (j.created, j.job_id) < (job.created, job.job_id))
    return models.MetadataTransferJobStatus(state=state, error=error, queued_position=position)


def _workspace_of_arn(ctx: Context, arn: str, where: str) -> str:
    prefix = ctx.arn("workspace/")
    workspace_id = arn[len(prefix) :] if arn.startswith(prefix) else ""
    if not workspace_id or "/" in workspace_id or workspace_id not in ctx.state.workspaces:
        raise not_found(f"{where}: workspace {arn} not found")
    return workspace_id


def _check_twinmaker_filters(
    ctx: Context, workspace_id: str, config: models.IotTwinMakerSourceConfiguration
) -> None:
    resolver = TypeResolver(ctx, workspace_id)
    for index, item in enumerate(config.filters or ()):
        where = f"sources[0].iotTwinMakerConfiguration.filters[{index}]"
        entity = item.filter_by_entity
        if entity is not None and entity.entity_id not in ctx.state.entities.get(workspace_id, {}):
            raise not_found(f"{where}: entity {entity.entity_id} not found in {workspace_id}")
        by_type = item.filter_by_component_type
        if by_type is not None and not resolver.exists(by_type.component_type_id):
            raise not_found(
                f"{where}: component type {by_type.component_type_id} not found in {workspace_id}"
            )


def _check_source(ctx: Context, source: models.SourceConfiguration) -> None:
    kind = str(source.type)
    given = {
        "s3": source.s3_configuration,
        "iotsitewise": source.iot_site_wise_configuration,
        "iottwinmaker": source.iot_twin_maker_configuration,
    }
    _one_configuration("sources[0]", kind, given, required=kind != "iotsitewise")
    twinmaker = source.iot_twin_maker_configuration
    if twinmaker is not None:
        where = "sources[0].iotTwinMakerConfiguration.workspace"
        _check_twinmaker_filters(ctx, _workspace_of_arn(ctx, twinmaker.workspace, where), twinmaker)


def _one_configuration(
    where: str, kind: str, given: Mapping[str, object], *, required: bool
) -> None:
    names = {"s3": "s3Configuration", "iotsitewise": "iotSiteWiseConfiguration"}
    names["iottwinmaker"] = "iotTwinMakerConfiguration"
    for other, config in given.items():
        if other != kind and config is not None:
            raise validation(f"{where}.{names[other]}: only for type {other}, not {kind}")
    if required and given.get(kind) is None:
        raise validation(f"{where}.{names[kind]}: is required for type {kind}")


def _check_destination(ctx: Context, destination: models.DestinationConfiguration) -> None:
    kind = str(destination.type)
    given: dict[str, object] = {
        "s3": destination.s3_configuration,
        "iotsitewise": None,
        "iottwinmaker": destination.iot_twin_maker_configuration,
    }
    _one_configuration("destination", kind, given, required=kind != "iotsitewise")
    twinmaker = destination.iot_twin_maker_configuration
    if twinmaker is not None:
        _workspace_of_arn(
            ctx, twinmaker.workspace, "destination.iotTwinMakerConfiguration.workspace"
        )


def _failure(source: str, destination: str) -> str:
    unreachable = [_SERVICE_NAMES[k] for k in (source, destination) if k in _SERVICE_NAMES]
    return (
        f"twinkit.local cannot reach {' or '.join(unreachable)}: nothing was transferred "
        "(the emulator has no access to other AWS services)"
    )


@handles("CreateMetadataTransferJob")
def create_metadata_transfer_job(
    ctx: Context, request: models.CreateMetadataTransferJobRequest
) -> models.CreateMetadataTransferJobResponse:
    """Create a metadata transfer job: VALIDATING, PENDING, RUNNING, then ERROR (no data moves)."""
    if len(request.sources) != 1:
        raise validation("sources: give exactly one source")
    source, destination = request.sources[0], request.destination
    pair = (str(source.type), str(destination.type))
    if pair not in TRANSFERS:
        raise validation(f"a metadata transfer from {pair[0]} to {pair[1]} is not supported")
    _check_source(ctx, source)
    _check_destination(ctx, destination)
    job_id = request.metadata_transfer_job_id or str(uuid.uuid4())
    if job_id in _transfer_jobs(ctx):
        raise conflict(f"Metadata transfer job {job_id} already exists")
    job = MetadataTransferJobRecord(
        job_id=job_id,
        arn=ctx.arn(f"metadata-transfer-job/{job_id}"),
        description=request.description,
        sources=tuple(request.sources),
        destination=destination,
        role=f"arn:aws:iam::{ctx.account_id}:role/twinkit-local-caller",
        created=ctx.now,
        delay=ctx.transition_delay,
        failure=_failure(*pair),
    )
    box: dict[str, MetadataTransferJobRecord] | None = ctx.state.extra.get(TRANSFER_JOBS)
    if box is None:
        box = {}
        ctx.journal.put(ctx.state.extra, TRANSFER_JOBS, box)
    ctx.journal.put(box, job_id, job)
    return models.CreateMetadataTransferJobResponse(
        metadata_transfer_job_id=job_id,
        arn=job.arn,
        creation_date_time=job.created,
        status=_transfer_status(ctx, job),
    )


def _transfer_job_or_404(ctx: Context, job_id: str) -> MetadataTransferJobRecord:
    job = _transfer_jobs(ctx).get(job_id)
    if job is None:
        raise not_found(f"Metadata transfer job {job_id} not found")
    return job


@handles("GetMetadataTransferJob")
def get_metadata_transfer_job(
    ctx: Context, request: models.GetMetadataTransferJobRequest
) -> models.GetMetadataTransferJobResponse:
    """A metadata transfer job and its current state."""
    job = _transfer_job_or_404(ctx, request.metadata_transfer_job_id)
    return models.GetMetadataTransferJobResponse(
        metadata_transfer_job_id=job.job_id,
        arn=job.arn,
        description=job.description,
        sources=list(job.sources),
        destination=job.destination,
        metadata_transfer_job_role=job.role,
        creation_date_time=job.created,
        update_date_time=job.updated(ctx.now),
        status=_transfer_status(ctx, job),
        progress=job.progress(ctx.now),
    )


@handles("CancelMetadataTransferJob")
def cancel_metadata_transfer_job(
    ctx: Context, request: models.CancelMetadataTransferJobRequest
) -> models.CancelMetadataTransferJobResponse:
    """Cancel a job that has not ended: CANCELLING, then CANCELLED."""
    job = _transfer_job_or_404(ctx, request.metadata_transfer_job_id)
    state = job.state(ctx.now)
    if state not in _CANCELLABLE:
        raise conflict(f"Metadata transfer job {job.job_id} is {state} and cannot be cancelled")
    cancelled = attrs.evolve(job, cancelled_at=ctx.now, delay=ctx.transition_delay)
    ctx.journal.put(ctx.state.extra[TRANSFER_JOBS], job.job_id, cancelled)
    return models.CancelMetadataTransferJobResponse(
        metadata_transfer_job_id=job.job_id,
        arn=job.arn,
        update_date_time=cancelled.updated(ctx.now),
        status=_transfer_status(ctx, cancelled),
        progress=cancelled.progress(ctx.now),
    )


def _workspaces_of(ctx: Context, job: MetadataTransferJobRecord) -> set[str]:
    arns = [
        config.workspace
        for config in (
            job.sources[0].iot_twin_maker_configuration,
            job.destination.iot_twin_maker_configuration,
        )
        if config is not None
    ]
    prefix = ctx.arn("workspace/")
    return {arn[len(prefix) :] for arn in arns if arn.startswith(prefix)}


def _transfer_matches(
    ctx: Context, job: MetadataTransferJobRecord, where: models.ListMetadataTransferJobsFilter
) -> bool:
    if where.workspace_id is not None:
        return where.workspace_id in _workspaces_of(ctx, job)
    if where.state is not None:
        return job.state(ctx.now) == where.state
    raise validation("filters: a filter the service does not know cannot be applied")


@handles("ListMetadataTransferJobs")
def list_metadata_transfer_jobs(
    ctx: Context, request: models.ListMetadataTransferJobsRequest
) -> models.ListMetadataTransferJobsResponse:
    """The jobs from `sourceType` to `destinationType`, oldest first, filtered."""
    filters = request.filters or []
    chosen = [
        job
        for job in _transfer_jobs(ctx).values()
        if job.source_type == request.source_type
        and str(job.destination.type) == request.destination_type
        and all(_transfer_matches(ctx, job, f) for f in filters)
    ]
    jobs, token = page(
        chosen,
        key=lambda job: f"{job.created.isoformat()}|{job.job_id}",
        max_results=request.max_results,
        next_token=request.next_token,
        default_size=DEFAULT_PAGE_SIZE,
        bound_to=(
            "ListMetadataTransferJobs",
            request.source_type,
            request.destination_type,
            filters,
        ),
    )
    return models.ListMetadataTransferJobsResponse(
        metadata_transfer_job_summaries=[
            models.MetadataTransferJobSummary(
                metadata_transfer_job_id=job.job_id,
                arn=job.arn,
                creation_date_time=job.created,
                update_date_time=job.updated(ctx.now),
                status=_transfer_status(ctx, job),
                progress=job.progress(ctx.now),
            )
            for job in jobs
        ],
        next_token=token,
    )
