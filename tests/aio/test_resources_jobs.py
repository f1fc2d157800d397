"""Async sync jobs, metadata transfer jobs and the pricing plan, on both emulator transports
(mirrors tests/resources/test_jobs.py)."""

from __future__ import annotations

from typing import Any

import pytest

import twinkit.aio
from twinkit import errors, models
from twinkit.aio.resources import MetadataTransferJob, SyncJob
from twinkit.local import ManualClock

ROLE = "arn:aws:iam::123456789012:role/twinmaker"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def twinmaker_emulator_options(clock: ManualClock) -> dict[str, Any]:
    return {"clock": clock, "transition_delay": 1.0}


async def test_a_sync_job_that_fails_raises_with_the_services_error(
    atm: twinkit.aio.TwinMaker, clock: ManualClock
) -> None:
    ws = await atm.workspaces.create("factory")
    job = await ws.sync_jobs.create("SITEWISE", sync_role=ROLE)
    assert job == ws.sync_jobs("SITEWISE")
    assert (await job.get_data()).sync_source == "SITEWISE"
    assert job.state == "CREATING"
    assert await ws.sync_jobs.list().to_list() == [SyncJob(ws, "SITEWISE")]
    with pytest.raises(errors.ConflictError):
        await ws.sync_jobs.create("SITEWISE", sync_role=ROLE)
    clock.advance(10)  # the emulator cannot reach SiteWise: the job ends in ERROR
    with pytest.raises(errors.ResourceFailedError) as caught:
        await job.wait_until_active(timeout=1, interval=0.01)
    assert caught.value.error_code == "SYNC_INITIALIZING_ERROR"
    assert caught.value.resource == "sync job factory/SITEWISE"
    assert await job.resources().to_list() == []
    await job.delete()
    clock.advance(10)
    await job.wait_until_deleted(timeout=1, interval=0.01)
    with pytest.raises(errors.ResourceNotFoundError):
        await ws.sync_jobs.get("SITEWISE")


async def test_metadata_transfer_jobs_fail_or_cancel_honestly(
    atm: twinkit.aio.TwinMaker, clock: ManualClock
) -> None:
    ws = await atm.workspaces.create("factory")
    source = models.SourceConfiguration(
        type=models.SourceType.IOTTWINMAKER,
        iot_twin_maker_configuration=models.IotTwinMakerSourceConfiguration(
            workspace=(await ws.get_data()).arn
        ),
    )
    destination = models.DestinationConfiguration(
        type=models.DestinationType.S3,
        s3_configuration=models.S3DestinationConfiguration(location="arn:aws:s3:::twin-bucket"),
    )
    job = await atm.metadata_transfer_jobs.create(
        sources=[source], destination=destination, job_id="j1"
    )
    assert job == MetadataTransferJob(atm, "j1")
    assert (await job.refresh()).state == "VALIDATING"
    listed = atm.metadata_transfer_jobs.list(source_type="iottwinmaker", destination_type="s3")
    assert await listed.to_list() == [job]
    clock.advance(60)
    with pytest.raises(errors.ResourceFailedError) as caught:
        await job.wait_until_complete(timeout=1, interval=0.01)
    assert caught.value.error_code == "PROCESSING_ERROR"

    second = await atm.metadata_transfer_jobs.create(sources=[source], destination=destination)
    assert (await second.cancel()).state in ("CANCELLING", "CANCELLED")
    clock.advance(60)
    with pytest.raises(errors.ResourceFailedError):
        await second.wait_until_complete(timeout=1, interval=0.01)
    assert (await atm.metadata_transfer_jobs.get(second.id)).state == "CANCELLED"
    with pytest.raises(errors.ConflictError):
        await second.cancel()


async def test_the_pricing_plan(atm: twinkit.aio.TwinMaker) -> None:
    plan = await atm.pricing_plan.get()
    assert plan.current_pricing_plan.pricing_mode in tuple(models.PricingMode)
    updated = await atm.pricing_plan.update(models.PricingMode.STANDARD)
    assert isinstance(updated, models.UpdatePricingPlanResponse)
    assert await atm.pricing_plan.get() == models.GetPricingPlanResponse(
        current_pricing_plan=updated.current_pricing_plan,
        pending_pricing_plan=updated.pending_pricing_plan,
    )
