"""The async typed client through aiobotocore's real stack, on both emulator transports.

Mirrors tests/test_client.py: typed models out, raw calls untouched, every operation family
once, the sync client's configuration rules, the client's lifecycle, and calls that overlap.
"""

from __future__ import annotations

import asyncio
import inspect
import pickle
import threading
from typing import Any

import pytest
from aiobotocore.config import AioConfig
from aiobotocore.session import AioSession
from botocore.config import Config
from botocore.exceptions import ParamValidationError

import twinkit
import twinkit.aio
from twinkit import errors, models
from twinkit._generated.aio_operations import AsyncTwinMakerPaginators
from twinkit._generated.operations import TwinMakerPaginators
from twinkit._generated.tables import OPERATIONS
from twinkit.local import Emulator, HttpRequest, HttpResponse, ServerHandle
from twinkit.paging import AsyncPager

ROLE = "arn:aws:iam::123456789012:role/twinmaker"
PUMP = "com.example.pump"


@pytest.fixture
def twinmaker_emulator_options() -> dict[str, Any]:
    # Resources are ACTIVE at once: the operation tests need no waiting.
    return {"transition_delay": 0}


def test_every_operation_is_a_coroutine_with_the_sync_signature() -> None:
    for operation in OPERATIONS.values():
        method = getattr(twinkit.aio.TwinMaker, operation.method)
        assert inspect.iscoroutinefunction(method), operation.name
        blocking = getattr(twinkit.TwinMaker, operation.method)
        assert inspect.signature(method) == inspect.signature(blocking), operation.name
        assert inspect.get_annotations(method)["return"] == operation.output
        assert inspect.getdoc(method) == inspect.getdoc(blocking)


def test_every_paginator_has_the_sync_arguments_and_returns_an_async_pager() -> None:
    names = [name for name in vars(TwinMakerPaginators) if not name.startswith("_")]
    assert names == [name for name in vars(AsyncTwinMakerPaginators) if not name.startswith("_")]
    assert len(names) == sum(op.paging is not None for op in OPERATIONS.values())
    for name in names:
        sync_signature = inspect.signature(getattr(TwinMakerPaginators, name))
        async_signature = inspect.signature(getattr(AsyncTwinMakerPaginators, name))
        assert async_signature.parameters == sync_signature.parameters, name
        returned = str(async_signature.return_annotation)
        assert returned == str(sync_signature.return_annotation).replace("Pager", "AsyncPager")


async def test_calls_return_typed_models(atm: twinkit.aio.TwinMaker) -> None:
    created = await atm.create_workspace(workspace_id="factory", description="cookies")
    assert created.arn == "arn:aws:iottwinmaker:us-east-1:123456789012:workspace/factory"
    workspace = await atm.get_workspace(workspace_id="factory")
    assert workspace == models.GetWorkspaceResponse(
        workspace_id="factory",
        arn=created.arn,
        description="cookies",
        creation_date_time=created.creation_date_time,
        update_date_time=created.creation_date_time,
    )
    listed = await atm.list_workspaces(max_results=1)
    assert [w.workspace_id for w in listed.workspace_summaries or []] == ["factory"]
    assert listed.next_token is None


async def test_raw_calls_on_the_same_client_are_untouched(atm: twinkit.aio.TwinMaker) -> None:
    created = await atm.create_workspace(workspace_id="factory")
    raw = await atm.boto3_client.get_workspace(workspaceId="factory")
    assert raw["workspaceId"] == "factory"
    assert raw["creationDateTime"] == created.creation_date_time
    assert "__twinkit_output__" not in raw
    # botocore still validates the raw calls: only typed ones skip its check.
    with pytest.raises(ParamValidationError, match="Invalid type for parameter workspaceId"):
        await atm.boto3_client.get_workspace(workspaceId=7)


def _double(value: float) -> models.DataValue:
    return models.DataValue(double_value=value)


async def test_every_operation_family(atm: twinkit.aio.TwinMaker) -> None:
    # Workspaces, pricing, component types, entities, values, history, queries, scenes,
    # tags, sync and metadata transfer jobs: each family called once, typed end to end.
    await atm.update_pricing_plan(pricing_mode=models.PricingMode.STANDARD)
    plan = await atm.get_pricing_plan()
    assert plan.current_pricing_plan.effective_date_time is not None
    workspace = await atm.create_workspace(workspace_id="factory", role=ROLE)
    await atm.update_workspace(workspace_id="factory", description="cookies")

    rpm = models.PropertyDefinitionRequest(
        data_type=models.DataType(type=models.Type.DOUBLE), is_time_series=True
    )
    await atm.create_component_type(
        workspace_id="factory", component_type_id=PUMP, property_definitions={"rpm": rpm}
    )
    pump = await atm.get_component_type(workspace_id="factory", component_type_id=PUMP)
    assert pump.property_definitions is not None
    assert pump.property_definitions["rpm"].is_time_series is True
    types = await atm.list_component_types(workspace_id="factory")
    assert PUMP in [t.component_type_id for t in types.component_type_summaries]

    await atm.create_entity(
        workspace_id="factory",
        entity_id="pump-1",
        entity_name="Pump 1",
        components={"pump": models.ComponentRequest(component_type_id=PUMP)},
    )
    entity = await atm.get_entity(workspace_id="factory", entity_id="pump-1")
    assert entity.components is not None
    assert entity.components["pump"].component_type_id == PUMP
    entities = await atm.list_entities(workspace_id="factory")
    assert [e.entity_id for e in entities.entity_summaries or []] == ["pump-1"]
    components = await atm.list_components(workspace_id="factory", entity_id="pump-1")
    assert [c.component_name for c in components.component_summaries] == ["pump"]
    properties = await atm.list_properties(
        workspace_id="factory", entity_id="pump-1", component_name="pump"
    )
    assert [p.property_name for p in properties.property_summaries] == ["rpm"]

    reference = models.EntityPropertyReference(
        entity_id="pump-1", component_name="pump", property_name="rpm"
    )
    times = ["2026-01-01T00:00:00.000000000Z", "2026-01-01T00:00:01.000000000Z"]
    written = await atm.batch_put_property_values(
        workspace_id="factory",
        entries=[
            models.PropertyValueEntry(
                entity_property_reference=reference,
                property_values=[
                    models.PropertyValue(time=t, value=_double(v))
                    for t, v in zip(times, [1.5, 2.5], strict=True)
                ],
            )
        ],
    )
    assert written.error_entries == []
    history = await atm.get_property_value_history(
        workspace_id="factory",
        entity_id="pump-1",
        component_name="pump",
        selected_properties=["rpm"],
        start_time=times[0],
        end_time="2026-01-02T00:00:00Z",
    )
    series = history.property_values[0].values or []
    assert [(v.time, v.value) for v in series] == [
        (times[0], _double(1.5)),
        (times[1], _double(2.5)),
    ]
    latest = await atm.get_property_value(
        workspace_id="factory",
        entity_id="pump-1",
        component_name="pump",
        selected_properties=["rpm"],
    )
    assert latest.property_values is not None
    assert "rpm" in latest.property_values

    rows = await atm.execute_query(
        workspace_id="factory", query_statement="SELECT e FROM EntityGraph MATCH (e)"
    )
    assert len(rows.rows or []) == 1

    await atm.create_scene(
        workspace_id="factory", scene_id="main", content_location="s3://bucket/main.json"
    )
    scene = await atm.get_scene(workspace_id="factory", scene_id="main")
    assert scene.content_location == "s3://bucket/main.json"
    await atm.delete_scene(workspace_id="factory", scene_id="main")
    assert (await atm.list_scenes(workspace_id="factory")).scene_summaries == []

    await atm.tag_resource(resource_arn=workspace.arn, tags={"team": "a"})
    tags = await atm.list_tags_for_resource(resource_arn=workspace.arn)
    assert tags.tags == {"team": "a"}
    await atm.untag_resource(resource_arn=workspace.arn, tag_keys=["team"])

    job = await atm.create_sync_job(workspace_id="factory", sync_source="SITEWISE", sync_role=ROLE)
    assert job.arn.endswith("/sync-job/SITEWISE")
    jobs = await atm.list_sync_jobs(workspace_id="factory")
    assert [j.sync_source for j in jobs.sync_job_summaries or []] == ["SITEWISE"]

    transfer = await atm.create_metadata_transfer_job(
        sources=[
            models.SourceConfiguration(
                type=models.SourceType.S3,
                s3_configuration=models.S3SourceConfiguration(
                    location="arn:aws:s3:::bucket/twins.json"
                ),
            )
        ],
        destination=models.DestinationConfiguration(
            type=models.DestinationType.IOTTWINMAKER,
            iot_twin_maker_configuration=models.IotTwinMakerDestinationConfiguration(
                workspace=workspace.arn
            ),
        ),
    )
    fetched = await atm.get_metadata_transfer_job(
        metadata_transfer_job_id=transfer.metadata_transfer_job_id
    )
    assert fetched.arn == transfer.arn

    await atm.delete_entity(workspace_id="factory", entity_id="pump-1")
    assert (await atm.list_entities(workspace_id="factory")).entity_summaries == []


async def test_the_fixtures_of_the_pytest_plugin(
    twinkit_aio_client: twinkit.aio.TwinMaker,
    twinkit_aio_http_client: twinkit.aio.TwinMaker,
    twinmaker_emulator: Emulator,
) -> None:
    # Both are answered by the test's one emulator: in-process and over HTTP.
    await twinkit_aio_client.create_workspace(workspace_id="factory")
    workspace = await twinkit_aio_http_client.get_workspace(workspace_id="factory")
    assert workspace.workspace_id == "factory"
    assert twinkit_aio_http_client.boto3_client.meta.endpoint_url.startswith("http://127.0.0.1:")
    blocking = twinmaker_emulator.client()
    assert blocking.get_workspace(workspaceId="factory")["workspaceId"] == "factory"
    blocking.close()


async def test_signed_calls_pass_the_emulators_sigv4_check(
    transport: str, request: pytest.FixtureRequest
) -> None:
    # The in-process client sends the Host header an HTTP client would: signatures verify.
    twin = Emulator(access_keys={"AKIDTWINKIT": "s3cr3t"})
    source: Emulator | ServerHandle = twin
    if transport == "http":
        source = request.getfixturevalue("twinmaker_server")
        source.emulator = twin
    async with source.aio_client() as client:
        tm = twinkit.aio.TwinMaker(client=client)
        await tm.create_workspace(workspace_id="factory")
    forged = AioSession()
    forged.set_credentials("AKIDTWINKIT", "not-the-secret")
    async with source.aio_client(session=forged, region_name="us-east-1") as client:
        tm = twinkit.aio.TwinMaker(client=client)
        with pytest.raises(errors.ServiceError) as caught:
            await tm.get_workspace(workspace_id="factory")
    assert (caught.value.code, caught.value.status_code) == ("InvalidSignatureException", 403)


# --- configuration ---------------------------------------------------------------------------


async def test_client_configuration_keeps_boto3_conventions() -> None:
    config = AioConfig(connect_timeout=1, retries={"max_attempts": 1}, connector_args={})
    async with twinkit.aio.TwinMaker(
        session=AioSession(),
        region_name="eu-west-1",
        endpoint_url="http://127.0.0.1:9",
        config=config,
    ) as tm:
        meta = tm.boto3_client.meta
        assert meta.region_name == "eu-west-1"
        assert meta.endpoint_url == "http://127.0.0.1:9"
        assert meta.config.retries["mode"] == "standard"
        assert meta.config.retries["total_max_attempts"] == 2  # botocore counts the first try
        assert meta.config.user_agent_extra == f"twinkit/{twinkit.__version__}"
        assert meta.config.connect_timeout == 1
        assert isinstance(meta.config, AioConfig)  # aiobotocore's own options survive the merge
        assert repr(tm) == "TwinMaker(region='eu-west-1', endpoint='http://127.0.0.1:9')"


@pytest.mark.parametrize(
    ("endpoint_url", "prefixed"),
    [
        ("http://127.0.0.1:4566", False),
        ("http://[::1]:4566", False),
        ("http://localhost:4566", False),
        ("http://twinmaker:4566", False),  # a container's name
        ("https://iottwinmaker.eu-west-1.amazonaws.com", True),
        ("https://twin.example.com", True),
    ],
)
async def test_local_endpoints_get_no_host_prefix(endpoint_url: str, prefixed: bool) -> None:
    async with twinkit.aio.TwinMaker(endpoint_url=endpoint_url, region_name="us-east-1") as tm:
        assert tm.boto3_client.meta.config.inject_host_prefix is prefixed


async def test_an_explicit_host_prefix_setting_wins() -> None:
    async with twinkit.aio.TwinMaker(
        endpoint_url="http://127.0.0.1:4566",
        region_name="us-east-1",
        config=Config(inject_host_prefix=True, max_pool_connections=32),
    ) as tm:
        assert tm.boto3_client.meta.config.inject_host_prefix is True
        assert tm.boto3_client.meta.config.max_pool_connections == 32


async def test_endpoint_url_alone_reaches_a_local_server(
    twinmaker_server: ServerHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    async with twinkit.aio.TwinMaker(
        endpoint_url=twinmaker_server.url, region_name="us-east-1"
    ) as tm:
        await tm.create_workspace(workspace_id="factory")
        assert [w.workspace_id async for w in tm.paginate.list_workspaces()] == ["factory"]


# --- lifecycle -------------------------------------------------------------------------------


async def test_async_with_closes_the_client_it_made(
    twinmaker_server: ServerHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    tm = twinkit.aio.TwinMaker(endpoint_url=twinmaker_server.url, region_name="us-east-1")
    assert repr(tm) == "TwinMaker(not open)"
    with pytest.raises(RuntimeError, match="the aiobotocore client is not open"):
        tm.boto3_client  # noqa: B018 - the property is what is tested
    async with tm:
        http_session = tm.boto3_client._endpoint.http_session
        await tm.create_workspace(workspace_id="factory")
    # aiobotocore drops its aiohttp sessions when its client's context is left.
    assert http_session._sessions is None
    await tm.close()  # idempotent
    with pytest.raises(RuntimeError, match="closed"):
        await tm.get_workspace(workspace_id="factory")


async def test_a_client_not_entered_opens_on_its_first_call_once(
    twinmaker_server: ServerHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    tm = twinkit.aio.TwinMaker(endpoint_url=twinmaker_server.url, region_name="us-east-1")
    try:
        results = await asyncio.gather(*(tm.list_workspaces() for _ in range(5)))
        assert [r.workspace_summaries for r in results] == [[]] * 5
        first = tm.boto3_client
        await tm.list_workspaces()
        assert tm.boto3_client is first  # concurrent first calls made one client
    finally:
        await tm.close()


async def test_a_client_passed_in_is_left_open_for_its_owner(emulator: Emulator) -> None:
    async with emulator.aio_client() as client:
        async with twinkit.aio.TwinMaker(client=client) as tm:
            await tm.create_workspace(workspace_id="factory")
        await tm.close()
        again = twinkit.aio.TwinMaker(client=client)
        assert (await again.get_workspace(workspace_id="factory")).workspace_id == "factory"
        raw = await client.get_workspace(workspaceId="factory")
        assert raw["workspaceId"] == "factory"


# --- concurrency -----------------------------------------------------------------------------


async def test_a_hundred_gathered_calls(atm: twinkit.aio.TwinMaker) -> None:
    await atm.create_workspace(workspace_id="factory")
    await asyncio.gather(
        *(
            atm.create_scene(
                workspace_id="factory", scene_id=f"s{i:03d}", content_location="s3://b/s.json"
            )
            for i in range(100)
        )
    )
    scenes = await asyncio.gather(
        *(atm.get_scene(workspace_id="factory", scene_id=f"s{i:03d}") for i in range(100))
    )
    assert [s.scene_id for s in scenes] == [f"s{i:03d}" for i in range(100)]


def _connections_to(port: int) -> int:
    """Established TCP connections to `port` on this machine (Linux's /proc/net tables)."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table, encoding="ascii") as lines:
            next(lines)  # the header
            for line in lines:
                fields = line.split()
                remote_port = int(fields[2].rsplit(":", 1)[1], 16)
                count += remote_port == port and fields[3] == "01"  # 01: ESTABLISHED
    return count


async def test_a_first_burst_of_calls_shares_one_pool_of_connections(
    twinmaker_server: ServerHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    # aiobotocore < 3.10 made a pool per call of a first burst; the client prevents it.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    before = _connections_to(twinmaker_server.port)
    async with twinkit.aio.TwinMaker(
        endpoint_url=twinmaker_server.url,
        region_name="us-east-1",
        config=Config(max_pool_connections=4),
    ) as tm:
        answers = await asyncio.gather(*(tm.list_workspaces() for _ in range(40)))
        assert len(answers) == 40
        assert _connections_to(twinmaker_server.port) - before <= 4


async def test_typed_and_raw_calls_in_flight_together_stay_what_they_are(
    atm: twinkit.aio.TwinMaker,
) -> None:
    # The typed-call mark is a ContextVar: set in each typed call's task only.
    await atm.create_workspace(workspace_id="factory")
    typed = [atm.get_workspace(workspace_id="factory") for _ in range(20)]
    raw = [atm.boto3_client.get_workspace(workspaceId="factory") for _ in range(20)]
    answers = await asyncio.gather(
        *(call for pair in zip(typed, raw, strict=True) for call in pair)
    )
    assert all(isinstance(a, models.GetWorkspaceResponse) for a in answers[::2])
    assert all(isinstance(a, dict) and a["workspaceId"] == "factory" for a in answers[1::2])
    assert not any("__twinkit_output__" in a for a in answers[1::2])


class _RendezvousEmulator(Emulator):
    """An emulator that answers only once `parties` requests are being answered at once.

    If the transport ran requests one after the other (or blocked the event loop while one
    is answered), the barrier would never fill and the request would fail.
    """

    def __init__(self, parties: int) -> None:
        super().__init__()
        self.barrier = threading.Barrier(parties, timeout=30)

    def handle(self, request: HttpRequest) -> HttpResponse:
        self.barrier.wait()
        return super().handle(request)


@pytest.fixture
def rendezvous(transport: str, request: pytest.FixtureRequest) -> Emulator | ServerHandle:
    """What makes aiobotocore clients on the test's transport, answered by a
    `_RendezvousEmulator` of 4 parties."""
    twin = _RendezvousEmulator(parties=4)
    if transport == "inprocess":
        return twin
    server: ServerHandle = request.getfixturevalue("twinmaker_server")
    server.emulator = twin
    return server


async def test_concurrent_calls_overlap_on_the_emulator(
    rendezvous: Emulator | ServerHandle,
) -> None:
    async with rendezvous.aio_client() as client:
        tm = twinkit.aio.TwinMaker(client=client)
        answers = await asyncio.gather(*(tm.list_workspaces() for _ in range(8)))
    assert [a.workspace_summaries for a in answers] == [[]] * 8


def test_the_public_names_of_twinkit_aio() -> None:
    assert twinkit.aio.AsyncPager is AsyncPager
    assert twinkit.aio.TwinMaker.__module__ == "twinkit.aio"
    assert pickle.loads(pickle.dumps(twinkit.aio.TwinMaker)) is twinkit.aio.TwinMaker
    for name in twinkit.aio.__all__:
        assert inspect.getdoc(getattr(twinkit.aio, name)), name
