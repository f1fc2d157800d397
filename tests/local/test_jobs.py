"""Sync jobs, metadata transfer jobs and the pricing plan through boto3, on both transports."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from tests.local._support import code_and_message
from twinkit.local import ManualClock

START = datetime(2026, 1, 10, 12, tzinfo=timezone.utc)
ROLE = "arn:aws:iam::123456789012:role/twinmaker"
WORKSPACE_ARN = "arn:aws:iottwinmaker:us-east-1:123456789012:workspace/factory"
NO_SITEWISE = (
    "twinkit.local cannot reach AWS IoT SiteWise: this sync job never syncs anything in the "
    "emulator"
)
S3_SOURCE = {"type": "s3", "s3Configuration": {"location": "arn:aws:s3:::bucket/twins.json"}}
S3_DESTINATION = {"type": "s3", "s3Configuration": {"location": "arn:aws:s3:::bucket/exports"}}
TWINMAKER = {"type": "iottwinmaker", "iotTwinMakerConfiguration": {"workspace": WORKSPACE_ARN}}


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def twinmaker_emulator_options(clock: ManualClock) -> dict[str, Any]:
    return {"clock": clock, "transition_delay": 1.0}


@pytest.fixture(params=["in-process", "http"])
def client(request: pytest.FixtureRequest) -> Iterator[Any]:
    """A boto3 client on the test's emulator, in-process or over HTTP, with a workspace."""
    if request.param == "http":
        made = request.getfixturevalue("twinmaker_server").client()
    else:
        made = request.getfixturevalue("twinmaker_emulator").client()
    made.create_workspace(workspaceId="factory", role=ROLE)
    yield made
    made.close()


def _body(response: dict[str, Any]) -> dict[str, Any]:
    response.pop("ResponseMetadata", None)
    return response


def _at(seconds: float) -> datetime:
    return START + timedelta(seconds=seconds)


# --- sync jobs ------------------------------------------------------------------------------------


def test_sync_job_goes_creating_initializing_then_error_and_never_syncs(
    client: Any, clock: ManualClock
) -> None:
    created = _body(
        client.create_sync_job(
            workspaceId="factory", syncSource="SITEWISE", syncRole=ROLE, tags={"team": "a"}
        )
    )
    arn = "arn:aws:iottwinmaker:us-east-1:123456789012:workspace/factory/sync-job/SITEWISE"
    assert created == {"arn": arn, "creationDateTime": START, "state": "CREATING"}
    assert client.list_tags_for_resource(resourceARN=arn)["tags"] == {"team": "a"}
    seen = []
    for _ in range(3):
        job = _body(client.get_sync_job(workspaceId="factory", syncSource="SITEWISE"))
        seen.append((job["status"], job["updateDateTime"]))
        clock.advance(1.0)
    assert seen == [
        ({"state": "CREATING", "error": {}}, START),
        ({"state": "INITIALIZING", "error": {}}, _at(1)),
        (
            {
                "state": "ERROR",
                "error": {"code": "SYNC_INITIALIZING_ERROR", "message": NO_SITEWISE},
            },
            _at(2),
        ),
    ]
    assert job == {
        "arn": arn,
        "workspaceId": "factory",
        "syncSource": "SITEWISE",
        "syncRole": ROLE,
        "status": seen[-1][0],
        "creationDateTime": START,
        "updateDateTime": _at(2),
    }
    listed = _body(client.list_sync_resources(workspaceId="factory", syncSource="SITEWISE"))
    assert listed == {"syncResources": []}
    summaries = client.list_sync_jobs(workspaceId="factory")["syncJobSummaries"]
    assert summaries == [
        {
            key: job[key]
            for key in (
                "arn",
                "workspaceId",
                "syncSource",
                "status",
                "creationDateTime",
                "updateDateTime",
            )
        }
    ]


def test_sync_job_deletion_and_its_errors(client: Any, clock: ManualClock) -> None:
    create = client.create_sync_job
    assert code_and_message(create, workspaceId="factory", syncSource="KAFKA", syncRole=ROLE) == (
        "ValidationException",
        "syncSource: KAFKA is not supported; the only one is SITEWISE",
    )
    assert code_and_message(
        create, workspaceId="nowhere", syncSource="SITEWISE", syncRole=ROLE
    ) == (
        "ValidationException",  # CreateSyncJob has no ResourceNotFoundException
        "Workspace nowhere not found",
    )
    create(workspaceId="factory", syncSource="SITEWISE", syncRole=ROLE)
    assert code_and_message(
        create, workspaceId="factory", syncSource="SITEWISE", syncRole=ROLE
    ) == (
        "ConflictException",
        "Workspace factory already has a SITEWISE sync job (CREATING)",
    )
    assert code_and_message(client.get_sync_job, syncSource="SITEWISE") == (
        "ValidationException",
        "workspaceId is required",
    )
    deleted = client.delete_sync_job(workspaceId="factory", syncSource="SITEWISE")
    assert deleted["state"] == "DELETING"
    job = client.get_sync_job(workspaceId="factory", syncSource="SITEWISE")
    assert job["status"] == {"state": "DELETING", "error": {}}
    assert code_and_message(
        client.delete_sync_job, workspaceId="factory", syncSource="SITEWISE"
    ) == (
        "ValidationException",
        "The SITEWISE sync job is being deleted",
    )
    assert code_and_message(create, workspaceId="factory", syncSource="SITEWISE", syncRole=ROLE)[
        0
    ] == ("ConflictException")
    clock.advance(1.0)
    assert code_and_message(client.get_sync_job, workspaceId="factory", syncSource="SITEWISE") == (
        "ResourceNotFoundException",
        "Sync job for SITEWISE not found in workspace factory",
    )
    assert client.list_sync_jobs(workspaceId="factory")["syncJobSummaries"] == []
    assert code_and_message(
        client.list_sync_resources, workspaceId="factory", syncSource="SITEWISE"
    ) == (
        "ValidationException",  # ListSyncResources has no ResourceNotFoundException
        "Sync job for SITEWISE not found in workspace factory",
    )
    create(workspaceId="factory", syncSource="SITEWISE", syncRole=ROLE)  # the source is free


@pytest.mark.parametrize(
    ("filters", "accepted"),
    [
        ([{"state": "IN_SYNC"}], True),
        ([{"resourceType": "ENTITY"}, {"resourceId": "pump"}], True),
        ([{"resourceType": "COMPONENT_TYPE"}, {"externalId": "x1"}], True),
        ([{"resourceType": "ENTITY"}], False),
        ([{"state": "IN_SYNC"}, {"resourceId": "pump"}], False),
        ([{"state": "IN_SYNC"}, {"state": "ERROR"}], False),
    ],
)
def test_sync_resource_filters_take_the_documented_combinations(
    client: Any, filters: list[dict[str, str]], accepted: bool
) -> None:
    client.create_sync_job(workspaceId="factory", syncSource="SITEWISE", syncRole=ROLE)
    call = client.list_sync_resources
    if accepted:
        assert (
            call(workspaceId="factory", syncSource="SITEWISE", filters=filters)["syncResources"]
            == []
        )
    else:
        assert code_and_message(
            call, workspaceId="factory", syncSource="SITEWISE", filters=filters
        ) == (
            "ValidationException",
            "filters: give state alone, resourceType with resourceId, or resourceType with "
            "externalId",
        )


# --- metadata transfer jobs -----------------------------------------------------------------------


def _transfer(client: Any, **members: Any) -> dict[str, Any]:
    members.setdefault("sources", [S3_SOURCE])
    members.setdefault("destination", TWINMAKER)
    return _body(client.create_metadata_transfer_job(**members))


def test_metadata_transfer_job_runs_through_its_states_and_transfers_nothing(
    client: Any, clock: ManualClock
) -> None:
    created = _transfer(client, metadataTransferJobId="import-1", description="twins")
    arn = "arn:aws:iottwinmaker:us-east-1:123456789012:metadata-transfer-job/import-1"
    assert created == {
        "metadataTransferJobId": "import-1",
        "arn": arn,
        "creationDateTime": START,
        "status": {"state": "VALIDATING"},
    }
    states = []
    for _ in range(4):
        job = _body(client.get_metadata_transfer_job(metadataTransferJobId="import-1"))
        states.append((job["status"], job.get("progress"), job["updateDateTime"]))
        clock.advance(1.0)
    nothing = {"totalCount": 0, "succeededCount": 0, "skippedCount": 0, "failedCount": 0}
    failure = (
        "twinkit.local cannot reach Amazon S3: nothing was transferred (the emulator has no "
        "access to other AWS services)"
    )
    assert states == [
        ({"state": "VALIDATING"}, None, START),
        ({"state": "PENDING", "queuedPosition": 1}, None, _at(1)),
        ({"state": "RUNNING"}, nothing, _at(2)),
        (
            {"state": "ERROR", "error": {"code": "PROCESSING_ERROR", "message": failure}},
            nothing,
            _at(3),
        ),
    ]
    assert job == {
        "metadataTransferJobId": "import-1",
        "arn": arn,
        "description": "twins",
        "sources": [S3_SOURCE],
        "destination": TWINMAKER,
        "metadataTransferJobRole": "arn:aws:iam::123456789012:role/twinkit-local-caller",
        "creationDateTime": START,
        "updateDateTime": _at(3),
        "status": states[-1][0],
        "progress": nothing,
    }
    cancel = client.cancel_metadata_transfer_job
    assert code_and_message(cancel, metadataTransferJobId="import-1") == (
        "ConflictException",
        "Metadata transfer job import-1 is ERROR and cannot be cancelled",
    )


def test_cancelling_a_metadata_transfer_job(client: Any, clock: ManualClock) -> None:
    _transfer(client, metadataTransferJobId="first")
    _transfer(client, metadataTransferJobId="second")
    clock.advance(1.0)
    second = client.get_metadata_transfer_job(metadataTransferJobId="second")
    assert second["status"] == {"state": "PENDING", "queuedPosition": 2}
    cancelled = _body(client.cancel_metadata_transfer_job(metadataTransferJobId="first"))
    assert cancelled == {
        "metadataTransferJobId": "first",
        "arn": "arn:aws:iottwinmaker:us-east-1:123456789012:metadata-transfer-job/first",
        "updateDateTime": _at(1),
        "status": {"state": "CANCELLING"},
    }
    second = client.get_metadata_transfer_job(metadataTransferJobId="second")
    assert second["status"] == {"state": "PENDING", "queuedPosition": 1}
    clock.advance(1.0)
    first = client.get_metadata_transfer_job(metadataTransferJobId="first")
    assert (first["status"], first["updateDateTime"]) == ({"state": "CANCELLED"}, _at(2))
    assert code_and_message(client.cancel_metadata_transfer_job, metadataTransferJobId="first")[
        0
    ] == ("ConflictException")
    assert code_and_message(client.get_metadata_transfer_job, metadataTransferJobId="nope") == (
        "ResourceNotFoundException",
        "Metadata transfer job nope not found",
    )


@pytest.mark.parametrize(
    ("members", "code", "message"),
    [
        (
            {"destination": {"type": "s3", "s3Configuration": {"location": "arn:aws:s3:::b"}}},
            "ValidationException",
            "a metadata transfer from s3 to s3 is not supported",
        ),
        (
            {"sources": [TWINMAKER], "destination": {"type": "iotsitewise"}},
            "ValidationException",
            "a metadata transfer from iottwinmaker to iotsitewise is not supported",
        ),
        (
            {"sources": [{"type": "s3"}]},
            "ValidationException",
            "sources[0].s3Configuration: is required for type s3",
        ),
        (
            {"sources": [{**S3_SOURCE, "iotSiteWiseConfiguration": {}}]},
            "ValidationException",
            "sources[0].iotSiteWiseConfiguration: only for type iotsitewise, not s3",
        ),
        (
            {"destination": {"type": "iottwinmaker"}},
            "ValidationException",
            "destination.iotTwinMakerConfiguration: is required for type iottwinmaker",
        ),
        (
            {
                "destination": {
                    "type": "iottwinmaker",
                    "iotTwinMakerConfiguration": {"workspace": WORKSPACE_ARN + "x"},
                }
            },
            "ResourceNotFoundException",
            "destination.iotTwinMakerConfiguration.workspace: "
            f"workspace {WORKSPACE_ARN}x not found",
        ),
        (
            {
                "sources": [
                    {
                        **TWINMAKER,
                        "iotTwinMakerConfiguration": {
                            "workspace": WORKSPACE_ARN,
                            "filters": [{"filterByEntity": {"entityId": "ghost"}}],
                        },
                    }
                ],
                "destination": S3_DESTINATION,
            },
            "ResourceNotFoundException",
            "sources[0].iotTwinMakerConfiguration.filters[0]: entity ghost not found in factory",
        ),
    ],
)
def test_metadata_transfer_jobs_refuse_bad_requests(
    client: Any, members: dict[str, Any], code: str, message: str
) -> None:
    members.setdefault("sources", [S3_SOURCE])
    members.setdefault("destination", TWINMAKER)
    assert code_and_message(client.create_metadata_transfer_job, **members) == (code, message)
    assert (
        client.list_metadata_transfer_jobs(sourceType="s3", destinationType="iottwinmaker")[
            "metadataTransferJobSummaries"
        ]
        == []
    )


def test_listing_metadata_transfer_jobs_by_type_and_filters(
    client: Any, clock: ManualClock
) -> None:
    _transfer(client, metadataTransferJobId="dup")
    assert code_and_message(
        client.create_metadata_transfer_job,
        metadataTransferJobId="dup",
        sources=[S3_SOURCE],
        destination=TWINMAKER,
    ) == ("ConflictException", "Metadata transfer job dup already exists")
    for n in range(4):
        clock.advance(0.25)
        _transfer(client, metadataTransferJobId=f"job-{n}")
    export = _transfer(client, sources=[TWINMAKER], destination=S3_DESTINATION)
    listed = []
    token: dict[str, str] = {}
    while True:
        page = client.list_metadata_transfer_jobs(
            sourceType="s3", destinationType="iottwinmaker", maxResults=2, **token
        )
        listed += [s["metadataTransferJobId"] for s in page["metadataTransferJobSummaries"]]
        if "nextToken" not in page:
            break
        token = {"nextToken": page["nextToken"]}
    assert listed == ["dup", "job-0", "job-1", "job-2", "job-3"]
    pending = client.list_metadata_transfer_jobs(
        sourceType="s3", destinationType="iottwinmaker", filters=[{"state": "PENDING"}]
    )["metadataTransferJobSummaries"]
    assert [(s["metadataTransferJobId"], s["status"]) for s in pending] == [
        ("dup", {"state": "PENDING", "queuedPosition": 1})
    ]
    exports = client.list_metadata_transfer_jobs(
        sourceType="iottwinmaker", destinationType="s3", filters=[{"workspaceId": "factory"}]
    )["metadataTransferJobSummaries"]
    assert [s["metadataTransferJobId"] for s in exports] == [export["metadataTransferJobId"]]


# --- pricing plan ---------------------------------------------------------------------------------


def _plan(mode: str, effective: datetime, updated: datetime, reason: str, **more: Any) -> Any:
    return {
        "billableEntityCount": 1,
        "effectiveDateTime": effective,
        "pricingMode": mode,
        "updateDateTime": updated,
        "updateReason": reason,
        **more,
    }


def test_pricing_plan_upgrades_at_once_and_downgrades_next_month(
    client: Any, clock: ManualClock
) -> None:
    client.create_entity(workspaceId="factory", entityId="pump", entityName="pump")
    month = datetime(2026, 1, 1, tzinfo=timezone.utc)
    assert _body(client.get_pricing_plan()) == {
        "currentPricingPlan": _plan("BASIC", month, month, "DEFAULT")
    }
    bundles = {"bundleInformation": {"bundleNames": ["Bundle1"]}}
    upgraded = _body(
        client.update_pricing_plan(pricingMode="TIERED_BUNDLE", bundleNames=["Bundle1"])
    )
    tiered = _plan("TIERED_BUNDLE", START, START, "PRICING_MODE_UPDATE", **bundles)
    assert upgraded == {"currentPricingPlan": tiered}
    clock.advance(60)
    next_month = datetime(2026, 2, 1, tzinfo=timezone.utc)
    down = _body(client.update_pricing_plan(pricingMode="STANDARD"))
    standard = _plan("STANDARD", next_month, _at(60), "PRICING_MODE_UPDATE")
    assert down == {"currentPricingPlan": tiered, "pendingPricingPlan": standard}
    again = _body(client.update_pricing_plan(pricingMode="BASIC"))
    assert again["pendingPricingPlan"] == _plan("BASIC", next_month, _at(60), "OVERWRITTEN")
    clock.advance((next_month - _at(60)).total_seconds())
    assert _body(client.get_pricing_plan()) == {
        "currentPricingPlan": _plan("BASIC", next_month, _at(60), "OVERWRITTEN")
    }
    update = client.update_pricing_plan
    assert code_and_message(update, pricingMode="TIERED_BUNDLE") == (
        "ValidationException",
        "bundleNames: is required with TIERED_BUNDLE",
    )
    assert code_and_message(update, pricingMode="STANDARD", bundleNames=["Bundle1"]) == (
        "ValidationException",
        "bundleNames: only apply with TIERED_BUNDLE, not STANDARD",
    )
