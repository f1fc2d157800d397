"""The AWS CLI (`python -m awscli`, v1) driving the emulator's HTTP server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import twinkit.local
from twinkit.local import ServerHandle

ROLE = "arn:aws:iam::123456789012:role/twinmaker"
KEY_ID, SECRET = "AKIDTWINKIT", "twinkit-secret"

Aws = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def server() -> Iterator[ServerHandle]:
    # No transition delay: what is created is ACTIVE before the next CLI call.
    with twinkit.local.serve(transition_delay=0, access_keys={KEY_ID: SECRET}) as handle:
        yield handle


@pytest.fixture
def aws_env(tmp_path: Path) -> dict[str, str]:
    """An environment with credentials and host prefix injection off, and no user config."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_ACCESS_KEY_ID=KEY_ID,
        AWS_SECRET_ACCESS_KEY=SECRET,
        AWS_DEFAULT_REGION="us-east-1",
        AWS_DISABLE_HOST_PREFIX_INJECTION="true",
        AWS_CONFIG_FILE=str(tmp_path / "no-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "no-credentials"),
        AWS_EC2_METADATA_DISABLED="true",
        AWS_MAX_ATTEMPTS="1",
    )
    return env


@pytest.fixture
def aws(server: ServerHandle, aws_env: dict[str, str]) -> Aws:
    """Run `aws iottwinmaker ARGS --endpoint-url URL --output json`."""

    def run(
        *args: str, endpoint_url: bool = True, **env: str | None
    ) -> subprocess.CompletedProcess[str]:
        """Extra keyword arguments set environment variables; None unsets one."""
        command = [sys.executable, "-m", "awscli", "iottwinmaker", *args, "--output", "json"]
        if endpoint_url:
            command += ["--endpoint-url", server.url]
        merged = {k: v for k, v in {**aws_env, **env}.items() if v is not None}
        return subprocess.run(
            command,
            env=merged,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    return run


def _ok(result: subprocess.CompletedProcess[str]) -> Any:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout) if result.stdout.strip() else None


def test_awscli_workspaces(aws: Aws, server: ServerHandle) -> None:
    created = _ok(aws("create-workspace", "--workspace-id", "factory", "--role", ROLE))
    assert created["arn"] == "arn:aws:iottwinmaker:us-east-1:123456789012:workspace/factory"
    assert isinstance(created["creationDateTime"], float)

    got = _ok(aws("get-workspace", "--workspace-id", "factory"))
    assert got["workspaceId"] == "factory"
    assert got["arn"] == created["arn"]
    assert got["role"] == ROLE
    assert got["creationDateTime"] == created["creationDateTime"]

    listed = _ok(aws("list-workspaces"))
    assert [w["workspaceId"] for w in listed["workspaceSummaries"]] == ["factory"]
    assert server.emulator.state.workspaces.keys() == {"factory"}


def test_awscli_error_exits_non_zero_with_the_code(aws: Aws) -> None:
    result = aws("get-workspace", "--workspace-id", "nowhere")
    assert result.returncode == 255
    assert result.stderr.strip() == (
        "An error occurred (ResourceNotFoundException) when calling the GetWorkspace "
        "operation: Workspace nowhere not found"
    )
    assert result.stdout == ""


def test_awscli_wrong_secret_is_refused(aws: Aws) -> None:
    result = aws("list-workspaces", AWS_SECRET_ACCESS_KEY="wrong")
    assert result.returncode == 255
    assert result.stderr.strip().startswith(
        "An error occurred (InvalidSignatureException) when calling the ListWorkspaces "
        "operation: The request signature we calculated does not match"
    )


def test_awscli_host_prefix_injection_off_by_config_file(aws: Aws, tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.write_text("[default]\ndisable_host_prefix_injection = true\n")
    result = aws(
        "list-workspaces",
        AWS_CONFIG_FILE=str(config),
        AWS_DISABLE_HOST_PREFIX_INJECTION=None,
    )
    assert _ok(result) == {"workspaceSummaries": []}


def test_awscli_endpoint_from_environment(aws: Aws, server: ServerHandle) -> None:
    result = aws("list-workspaces", endpoint_url=False, AWS_ENDPOINT_URL_IOTTWINMAKER=server.url)
    assert _ok(result) == {"workspaceSummaries": []}


def test_awscli_needs_host_prefix_injection_off(aws: Aws, server: ServerHandle) -> None:
    result = aws(
        "list-workspaces", "--cli-connect-timeout", "5", AWS_DISABLE_HOST_PREFIX_INJECTION=None
    )
    assert result.returncode == 255
    assert result.stderr.strip() == (
        f'Could not connect to the endpoint URL: "http://api.127.0.0.1:{server.port}'
        '/workspaces-list"'
    )


def test_awscli_component_type_and_entity(aws: Aws) -> None:
    _ok(aws("create-workspace", "--workspace-id", "factory", "--role", ROLE))
    properties = {
        "temperature": {"dataType": {"type": "DOUBLE"}, "isRequiredInEntity": False},
    }
    result = aws(
        "create-component-type",
        "--workspace-id",
        "factory",
        "--component-type-id",
        "com.example.pump",
        "--property-definitions",
        json.dumps(properties),
    )
    created_type = _ok(result)
    assert created_type["arn"] == (
        "arn:aws:iottwinmaker:us-east-1:123456789012:workspace/factory/component-type/"
        "com.example.pump"
    )
    assert created_type["state"] in ("CREATING", "ACTIVE")

    components = {
        "pump": {
            "componentTypeId": "com.example.pump",
            "properties": {"temperature": {"value": {"doubleValue": 21.5}}},
        }
    }
    result = aws(
        "create-entity",
        "--workspace-id",
        "factory",
        "--entity-id",
        "pump-1",
        "--entity-name",
        "Pump 1",
        "--components",
        json.dumps(components),
    )
    created_entity = _ok(result)
    assert created_entity["entityId"] == "pump-1"
    assert created_entity["arn"] == (
        "arn:aws:iottwinmaker:us-east-1:123456789012:workspace/factory/entity/pump-1"
    )

    result = aws("get-entity", "--workspace-id", "factory", "--entity-id", "pump-1")
    entity = _ok(result)
    assert entity["entityId"] == "pump-1"
    assert entity["entityName"] == "Pump 1"
    assert entity["workspaceId"] == "factory"
    pump = entity["components"]["pump"]
    assert pump["componentTypeId"] == "com.example.pump"
    assert pump["properties"]["temperature"]["value"] == {"doubleValue": 21.5}
