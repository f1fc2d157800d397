"""A typed request is checked once, by twinkit; raw calls on `tm.boto3_client` keep botocore's.

Both sides go through botocore's real stack to the in-process emulator. botocore's own
`ParamValidator.validate` is wrapped (not replaced) to count how often it runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from unittest import mock

import pytest
from botocore.config import Config
from botocore.exceptions import ParamValidationError
from botocore.validate import ParamValidator

import twinkit.local
from twinkit import TwinMaker, ValidationError
from twinkit.local import ManualClock

START = datetime(2026, 1, 1, tzinfo=timezone.utc)


@pytest.fixture
def tm() -> Iterator[TwinMaker]:
    with twinkit.local.emulator(clock=ManualClock(START)) as twin:
        tm = TwinMaker(client=twin.client())
        tm.create_workspace(workspace_id="factory")
        yield tm


@pytest.fixture
def botocore_checks() -> Iterator[mock.MagicMock]:
    with mock.patch.object(
        ParamValidator, "validate", autospec=True, side_effect=ParamValidator.validate
    ) as spy:
        yield spy


def test_a_typed_call_skips_botocore_validation(
    tm: TwinMaker, botocore_checks: mock.MagicMock
) -> None:
    workspace = tm.get_workspace(workspace_id="factory")
    assert workspace.workspace_id == "factory"
    assert botocore_checks.call_count == 0


def test_a_raw_call_through_the_same_client_keeps_botocore_validation(
    tm: TwinMaker, botocore_checks: mock.MagicMock
) -> None:
    answer = tm.boto3_client.get_workspace(workspaceId="factory")
    assert answer["workspaceId"] == "factory"
    assert botocore_checks.call_count == 1
    with pytest.raises(ParamValidationError, match="workspaceId"):
        tm.boto3_client.get_workspace(workspaceId=42)
    with pytest.raises(ParamValidationError, match="Unknown parameter"):
        tm.boto3_client.get_workspace(workspaceId="factory", entityId="pump")


def test_a_bad_typed_call_is_refused_by_twinkit_naming_the_field(
    tm: TwinMaker, botocore_checks: mock.MagicMock
) -> None:
    with pytest.raises(ValidationError) as caught:
        tm.get_workspace(workspace_id=42)  # type: ignore[arg-type]
    assert caught.value.paths == ("GetWorkspaceRequest.workspace_id",)
    with pytest.raises(ValidationError) as caught:
        tm.get_workspace(workspace_id="no spaces allowed")
    assert "GetWorkspaceRequest.workspace_id" in caught.value.paths
    assert botocore_checks.call_count == 0


def test_raw_calls_after_a_typed_call_are_validated_again(
    tm: TwinMaker, botocore_checks: mock.MagicMock
) -> None:
    # The per-call switch is scoped to the typed call itself: after it, raw calls validate.
    tm.get_workspace(workspace_id="factory")
    with pytest.raises(ParamValidationError):
        tm.boto3_client.get_workspace()
    assert botocore_checks.call_count == 1


def test_a_client_built_without_validation_is_left_as_it_is() -> None:
    with twinkit.local.emulator(clock=ManualClock(START)) as twin:
        raw = twin.client(config=Config(parameter_validation=False))
        serializer = raw._serializer
        tm = TwinMaker(client=raw)
        assert tm.boto3_client._serializer is serializer
        tm.create_workspace(workspace_id="factory")
        assert tm.get_workspace(workspace_id="factory").workspace_id == "factory"
