"""Sync jobs, metadata transfer jobs and the pricing plan through the typed resources."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import twinkit
import twinkit.local
from twinkit import errors, models
from twinkit.local import ManualClock
from twinkit.resources import MetadataTransferJob, SyncJob

ROLE = "arn:aws:iam::123456789012:role/twinmaker"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def tm(clock: ManualClock) -> Iterator[twinkit.TwinMaker]:
    with twinkit.local.emulator(clock=clock, transition_delay=1.0) as twin:
        yield twinkit.TwinMaker(client=twin.client())


def test_a_sync_job_that_fails_raises_with_the_services_error(
    tm: twinkit.TwinMaker, clock: ManualClock
) -> None:
    ws = tm.workspaces.create("factory")
    job = ws.sync_jobs.create("SITEWISE", sync_role=ROLE)
    assert job == ws.sync_jobs("SITEWISE")
    assert job.state == "CREATING"
    assert list(ws.sync_jobs.list()) == [SyncJob(ws, "SITEWISE")]
    with pytest.raises(errors.ConflictError):
        ws.sync_jobs.create("SITEWISE", sync_role=ROLE)
    clock.advance(10)  # the emulator cannot reach SiteWise: the job ends in ERROR
    with pytest.raises(errors.ResourceFailedError) as caught:
        job.wait_until_active(timeout=1, interval=0.01)
    assert caught.value.error_code == "SYNC_INITIALIZING_ERROR"
    assert caught.value.resource == "sync job factory/SITEWISE"
    assert list(job.resources()) == []
    job.delete()
    clock.advance(10)
    job.wait_until_deleted(timeout=1, interval=0.01)
    with pytest.raises(errors.ResourceNotFoundError):
        ws.sync_jobs.get("SITEWISE")


def test_metadata_transfer_jobs_fail_or_cancel_honestly(
    tm: twinkit.TwinMaker, clock: ManualClock
) -> None:
    ws = tm.workspaces.create("factory")
    source = models.SourceConfiguration(
        type=models.SourceType.IOTTWINMAKER,
        iot_twin_maker_configuration=models.IotTwinMakerSourceConfiguration(workspace=ws.arn),
    )
    destination = models.DestinationConfiguration(
        type=models.DestinationType.S3,
        s3_configuration=models.S3DestinationConfiguration(location="arn:aws:s3:::twin-bucket"),
    )
    job = tm.metadata_transfer_jobs.create(sources=[source], destination=destination, job_id="j1")
    assert job == MetadataTransferJob(tm, "j1")
    assert job.state == "VALIDATING"
    listed = tm.metadata_transfer_jobs.list(source_type="iottwinmaker", destination_type="s3")
    assert list(listed) == [job]
    clock.advance(60)
    with pytest.raises(errors.ResourceFailedError) as caught:
        job.wait_until_complete(timeout=1, interval=0.01)
    assert caught.value.error_code == "PROCESSING_ERROR"

    second = tm.metadata_transfer_jobs.create(sources=[source], destination=destination)
    assert second.cancel().state in ("CANCELLING", "CANCELLED")
    clock.advance(60)
    with pytest.raises(errors.ResourceFailedError):
        second.wait_until_complete(timeout=1, interval=0.01)
    assert second.refresh().state == "CANCELLED"
    with pytest.raises(errors.ConflictError):
        second.cancel()


def test_the_pricing_plan(tm: twinkit.TwinMaker) -> None:
    plan = tm.pricing_plan.get()
    assert plan.current_pricing_plan.pricing_mode in tuple(models.PricingMode)
    updated = tm.pricing_plan.update(models.PricingMode.STANDARD)
    assert isinstance(updated, models.UpdatePricingPlanResponse)
    assert tm.pricing_plan.get() == models.GetPricingPlanResponse(
        current_pricing_plan=updated.current_pricing_plan,
        pending_pricing_plan=updated.pending_pricing_plan,
    )
