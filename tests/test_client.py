"""The typed client through botocore's real stack, answered by the in-process emulator."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

import twinkit
import twinkit.local
from twinkit import errors, models
from twinkit._client import TwinMaker, service_error
from twinkit._generated.tables import OPERATIONS, SHAPES
from twinkit._schema import StructureShape
from twinkit.local import ManualClock

START = datetime(2026, 1, 1, tzinfo=timezone.utc)
SHAPE_STATUS = {
    shape.name: shape.http_status
    for shape in SHAPES.values()
    if isinstance(shape, StructureShape) and shape.error_code
}


@pytest.fixture
def tm() -> Iterator[TwinMaker]:
    with twinkit.local.emulator(clock=ManualClock(START)) as twin:
        yield TwinMaker(client=twin.client())


def test_every_operation_is_a_typed_method() -> None:
    for operation in OPERATIONS.values():
        method = getattr(TwinMaker, operation.method)
        hints = inspect.get_annotations(method)
        assert hints["return"] == operation.output, operation.name
        request_cls = getattr(models, operation.input or "")
        params = inspect.signature(method).parameters
        import attrs

        assert set(params) - {"self"} == {f.name for f in attrs.fields(request_cls)}
        assert all(
            p.kind is inspect.Parameter.KEYWORD_ONLY for n, p in params.items() if n != "self"
        )


def test_calls_return_typed_models(tm: TwinMaker) -> None:
    created = tm.create_workspace(workspace_id="factory", description="cookies")
    assert created == models.CreateWorkspaceResponse(
        arn="arn:aws:iottwinmaker:us-east-1:123456789012:workspace/factory",
        creation_date_time=START,
    )
    workspace = tm.get_workspace(workspace_id="factory")
    assert workspace == models.GetWorkspaceResponse(
        workspace_id="factory",
        arn=created.arn,
        description="cookies",
        creation_date_time=START,
        update_date_time=START,
    )
    listed = tm.list_workspaces(max_results=1)
    assert [w.workspace_id for w in listed.workspace_summaries or []] == ["factory"]
    assert listed.next_token is None


def test_raw_boto3_calls_on_the_same_client_are_untouched(tm: TwinMaker) -> None:
    tm.create_workspace(workspace_id="factory")
    raw = tm.boto3_client.get_workspace(workspaceId="factory")
    assert raw["workspaceId"] == "factory"
    assert raw["creationDateTime"] == START
    assert "__twinkit_output__" not in raw


def test_service_errors_map_to_typed_classes_with_the_cause(tm: TwinMaker) -> None:
    tm.create_workspace(workspace_id="factory")
    with pytest.raises(errors.ConflictError) as caught:
        tm.create_workspace(workspace_id="factory")
    error = caught.value
    assert (error.code, error.message, error.status_code, error.operation) == (
        "ConflictException",
        "Workspace factory already exists",
        409,
        "CreateWorkspace",
    )
    assert error.request_id
    assert isinstance(error.__cause__, ClientError)
    with pytest.raises(errors.ResourceNotFoundError):
        tm.get_scene(workspace_id="factory", scene_id="nope")


def test_bad_arguments_fail_before_sending(tm: TwinMaker) -> None:
    with pytest.raises(errors.ValidationError) as caught:
        tm.list_workspaces(max_results=1000)
    assert str(caught.value) == (
        "ListWorkspacesRequest.max_results: expected a value between 0 and 200, got 1000"
    )


def test_unknown_codes_keep_the_code() -> None:
    error = ClientError(
        {"Error": {"Code": "BrandNewException", "Message": "new"}, "ResponseMetadata": {}},
        "GetEntity",
    )
    mapped = service_error(error)
    assert type(mapped) is errors.ServiceError
    assert (mapped.code, mapped.message, mapped.operation) == (
        "BrandNewException",
        "new",
        "GetEntity",
    )


def test_client_configuration_keeps_boto3_conventions() -> None:
    tm = TwinMaker(
        region_name="eu-west-1",
        endpoint_url="http://127.0.0.1:9",
        config=Config(connect_timeout=1, retries={"max_attempts": 1}),
    )
    config = tm.boto3_client.meta.config
    assert tm.boto3_client.meta.region_name == "eu-west-1"
    assert tm.boto3_client.meta.endpoint_url == "http://127.0.0.1:9"
    assert config.retries["mode"] == "standard"
    assert config.retries["total_max_attempts"] == 2  # botocore counts the first try too
    assert config.user_agent_extra == f"twinkit/{twinkit.__version__}"
    assert config.connect_timeout == 1
    assert repr(tm) == "TwinMaker(region='eu-west-1', endpoint='http://127.0.0.1:9')"


def test_no_response_is_a_transport_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    tm = TwinMaker(
        region_name="us-east-1",
        endpoint_url="http://127.0.0.1:9",  # the discard port: nothing listens
        config=Config(connect_timeout=0.5, retries={"max_attempts": 1}, inject_host_prefix=False),
    )
    with pytest.raises(errors.TransportError, match=r"^ListWorkspaces: Could not connect"):
        tm.list_workspaces()


def test_wrapping_any_boto3_client(tm: TwinMaker) -> None:
    other: Any = tm.boto3_client
    again = TwinMaker(client=other)
    tm.create_workspace(workspace_id="factory")
    assert again.get_workspace(workspace_id="factory").workspace_id == "factory"


@pytest.mark.parametrize("code", sorted(errors.SERVICE_ERRORS))
def test_every_error_class_from_a_real_service_response(code: str) -> None:
    with twinkit.local.emulator() as twin:
        tm = TwinMaker(client=twin.client(config=Config(retries={"total_max_attempts": 1})))
        tm.create_workspace(workspace_id="factory")
        twin.fail_next(code, "scripted failure", operation="GetWorkspace")
        with pytest.raises(errors.SERVICE_ERRORS[code]) as caught:
            tm.get_workspace(workspace_id="factory")
        error = caught.value
        assert (error.code, error.message, error.operation) == (
            code,
            "scripted failure",
            "GetWorkspace",
        )
        assert error.status_code == SHAPE_STATUS[code]
        assert isinstance(error.__cause__, ClientError)
        # The scripted failure was used up, and changed nothing.
        assert tm.get_workspace(workspace_id="factory").workspace_id == "factory"


def test_scripted_failures_take_only_codes_of_the_model() -> None:
    with twinkit.local.emulator() as twin, pytest.raises(ValueError, match="NoSuchCode"):
        twin.fail_next("NoSuchCode")


def test_retryable_errors_are_retried_by_botocore_standard_mode() -> None:
    with twinkit.local.emulator() as twin:
        tm = TwinMaker(client=twin.client())
        tm.create_workspace(workspace_id="factory")
        twin.fail_next("ThrottlingException", operation="GetWorkspace", times=2)
        assert tm.get_workspace(workspace_id="factory").workspace_id == "factory"
        twin.fail_next("ThrottlingException", operation="GetWorkspace", times=3)
        with pytest.raises(errors.ThrottlingError):
            tm.get_workspace(workspace_id="factory")


def test_a_typed_call_checks_its_request_once_before_sending(tm: TwinMaker) -> None:
    sent: list[str] = []
    tm.boto3_client.meta.events.register(
        "before-send.iottwinmaker", lambda request, **_: sent.append(request.url)
    )
    tm.create_workspace(workspace_id="factory")
    with pytest.raises(errors.ValidationError) as caught:
        tm.create_entity(
            workspace_id="factory",
            entity_name="x" * 257,
            components={"pump": {"componentTypeId": "x"}},  # type: ignore[dict-item]
        )
    assert [str(p) for p in caught.value.problems] == [
        "CreateEntityRequest.entity_name: expected at most 256 characters, got 257",
        "CreateEntityRequest.components['pump']: expected ComponentRequest, got dict",
    ]
    assert len(sent) == 1  # the workspace only: the bad request never left


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
def test_local_endpoints_get_no_host_prefix(endpoint_url: str, prefixed: bool) -> None:
    tm = twinkit.TwinMaker(endpoint_url=endpoint_url, region_name="us-east-1")
    assert tm.boto3_client.meta.config.inject_host_prefix is prefixed


def test_a_config_that_says_nothing_of_host_prefixes_keeps_them_off_locally() -> None:
    tm = twinkit.TwinMaker(
        endpoint_url="http://127.0.0.1:4566",
        region_name="us-east-1",
        config=Config(max_pool_connections=32),
    )
    assert tm.boto3_client.meta.config.inject_host_prefix is False
    assert tm.boto3_client.meta.config.max_pool_connections == 32


def test_an_explicit_host_prefix_setting_wins() -> None:
    tm = twinkit.TwinMaker(
        endpoint_url="http://127.0.0.1:4566",
        region_name="us-east-1",
        config=Config(inject_host_prefix=True),
    )
    assert tm.boto3_client.meta.config.inject_host_prefix is True


def test_endpoint_url_alone_reaches_a_local_server(
    twinmaker_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    tm = twinkit.TwinMaker(endpoint_url=twinmaker_server.url, region_name="us-east-1")
    tm.workspaces.create("factory", role="arn:aws:iam::123456789012:role/tm")
    assert [w.id for w in tm.workspaces.list()] == ["factory"]
    assert tm.get_workspace(workspace_id="factory").workspace_id == "factory"
