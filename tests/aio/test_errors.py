"""Errors of the async client: the same typed classes as the sync client, on both transports.

Service errors come from real responses (scripted failures and injected faults of the
emulator) parsed by aiobotocore; bad arguments fail before anything is sent; no answer is a
`TransportError`; and importing `twinkit.aio` without aiobotocore names the extra to install.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import datetime, timezone
from pathlib import Path

import pytest
from aiobotocore.config import AioConfig
from botocore.exceptions import ClientError

import twinkit.aio
from twinkit import errors, models
from twinkit._generated.tables import SHAPES
from twinkit._schema import StructureShape
from twinkit.local import Emulator, Faults

from .conftest import Connect

SHAPE_STATUS = {
    shape.name: shape.http_status
    for shape in SHAPES.values()
    if isinstance(shape, StructureShape) and shape.error_code
}
ONE_TRY = AioConfig(retries={"total_max_attempts": 1})


async def test_service_errors_map_to_typed_classes_with_the_cause(
    atm: twinkit.aio.TwinMaker,
) -> None:
    await atm.create_workspace(workspace_id="factory")
    with pytest.raises(errors.ConflictError) as caught:
        await atm.create_workspace(workspace_id="factory")
    error = caught.value
    assert (error.code, error.message, error.status_code, error.operation) == (
        "ConflictException",
        "Workspace factory already exists",
        409,
        "CreateWorkspace",
    )
    assert error.request_id
    assert isinstance(error.__cause__, ClientError)
    with pytest.raises(errors.ResourceNotFoundError, match="nope"):
        await atm.get_scene(workspace_id="factory", scene_id="nope")


async def test_the_service_refusing_a_request_is_a_service_validation_error(
    atm: twinkit.aio.TwinMaker,
) -> None:
    # Well-formed for the model, refused by the service: a token it never issued.
    with pytest.raises(errors.ServiceValidationError) as caught:
        await atm.list_workspaces(next_token="forged")
    assert caught.value.code == "ValidationException"
    assert caught.value.status_code == 400


async def test_bad_arguments_fail_before_sending(atm: twinkit.aio.TwinMaker) -> None:
    sent: list[str] = []
    atm.boto3_client.meta.events.register_first(
        "before-send.iottwinmaker", lambda request, **_: sent.append(request.url)
    )
    with pytest.raises(errors.ValidationError) as caught:
        await atm.list_workspaces(max_results=1000)
    assert str(caught.value) == (
        "ListWorkspacesRequest.max_results: expected a value between 0 and 200, got 1000"
    )
    with pytest.raises(errors.ValidationError) as caught:
        await atm.create_entity(
            workspace_id="factory",
            entity_name="x" * 257,
            components={"pump": {"componentTypeId": "x"}},  # type: ignore[dict-item]
        )
    assert [str(p) for p in caught.value.problems] == [
        "CreateEntityRequest.entity_name: expected at most 256 characters, got 257",
        "CreateEntityRequest.components['pump']: expected ComponentRequest, got dict",
    ]
    assert sent == []  # neither request left


async def test_a_client_that_never_opened_checks_arguments_first() -> None:
    tm = twinkit.aio.TwinMaker(endpoint_url="http://127.0.0.1:9", region_name="us-east-1")
    with pytest.raises(errors.ValidationError, match="max_results"):
        await tm.list_workspaces(max_results=1000)
    assert repr(tm) == "TwinMaker(not open)"  # a bad request opens nothing
    await tm.close()


@pytest.mark.parametrize("code", sorted(errors.SERVICE_ERRORS))
async def test_every_error_class_from_a_real_service_response(
    code: str, connect: Connect, emulator: Emulator
) -> None:
    async with connect(config=ONE_TRY) as tm:
        await tm.create_workspace(workspace_id="factory")
        emulator.fail_next(code, "scripted failure", operation="GetWorkspace")
        with pytest.raises(errors.SERVICE_ERRORS[code]) as caught:
            await tm.get_workspace(workspace_id="factory")
        error = caught.value
        assert (error.code, error.message, error.operation) == (
            code,
            "scripted failure",
            "GetWorkspace",
        )
        assert error.status_code == SHAPE_STATUS[code]
        assert isinstance(error.__cause__, ClientError)
        # The scripted failure was used up, and changed nothing.
        assert (await tm.get_workspace(workspace_id="factory")).workspace_id == "factory"


async def test_throttling_injected_by_the_emulator_is_a_throttling_error(
    connect: Connect, emulator: Emulator
) -> None:
    async with connect(config=ONE_TRY) as tm:
        await tm.create_workspace(workspace_id="factory")
        emulator.faults = Faults(throttle_rate=1.0)
        with pytest.raises(errors.ThrottlingError) as caught:
            await tm.get_workspace(workspace_id="factory")
        assert caught.value.status_code == 429
        assert caught.value.retryable is True
        emulator.faults = Faults()
        assert (await tm.get_workspace(workspace_id="factory")).workspace_id == "factory"


async def test_retryable_errors_are_retried_by_botocore_standard_mode(
    connect: Connect, emulator: Emulator
) -> None:
    async with connect() as tm:  # standard mode: 3 attempts in all
        await tm.create_workspace(workspace_id="factory")
        emulator.fail_next("ThrottlingException", operation="GetWorkspace", times=2)
        assert (await tm.get_workspace(workspace_id="factory")).workspace_id == "factory"
        emulator.fail_next("ThrottlingException", operation="GetWorkspace", times=3)
        with pytest.raises(errors.ThrottlingError):
            await tm.get_workspace(workspace_id="factory")


async def test_no_response_is_a_transport_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    async with twinkit.aio.TwinMaker(
        region_name="us-east-1",
        endpoint_url="http://127.0.0.1:9",  # the discard port: nothing listens
        config=AioConfig(connect_timeout=0.5, retries={"max_attempts": 1}),
    ) as tm:
        with pytest.raises(errors.TransportError, match=r"^ListWorkspaces: Could not connect"):
            await tm.list_workspaces()


async def test_a_failed_call_leaves_the_next_typed_call_typed(
    atm: twinkit.aio.TwinMaker, emulator: Emulator
) -> None:
    # The typed-call mark is reset after an error: raw calls stay raw, typed ones typed.
    emulator.fail_next("InternalServerException", operation="ListWorkspaces", times=3)
    with pytest.raises(errors.InternalServerError):
        await atm.list_workspaces()
    created = await atm.create_workspace(workspace_id="factory")
    assert isinstance(created, models.CreateWorkspaceResponse)
    assert created.creation_date_time <= datetime.now(timezone.utc)
    raw = await atm.boto3_client.get_workspace(workspaceId="factory")
    assert "__twinkit_output__" not in raw


def test_importing_twinkit_aio_without_aiobotocore_names_the_extra() -> None:
    code = textwrap.dedent(
        """
        import sys
        sys.modules["aiobotocore"] = None  # as if it were not installed
        import twinkit  # the blocking SDK does not need it
        try:
            import twinkit.aio
        except ImportError as error:
            print(error)
            print(error.name.split(".")[0])
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.splitlines() == [
        "twinkit.aio needs aiobotocore: pip install 'twinkit[aio]'",
        "aiobotocore",
    ]
