"""twinkit.local next to moto: moto answers S3, twinkit.local answers TwinMaker, one process.

moto's `mock_aws` answers through a `before-send` handler registered for every service
(and, for TwinMaker, which it does not implement, with a 404 "Not yet implemented");
twinkit.local's in-process handler is registered for `before-send.iottwinmaker`, which
botocore calls first, being the more specific event.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

import twinkit.local

ROLE = "arn:aws:iam::123456789012:role/twinmaker"


@pytest.fixture
def mocked() -> Iterator[None]:
    with mock_aws():
        yield


def test_moto_s3_and_twinkit_twinmaker_side_by_side(mocked: None) -> None:
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="twin-bucket")
    with twinkit.local.emulator() as twin, closing(twin.client()) as twinmaker:
        created = twinmaker.create_workspace(
            workspaceId="factory", role=ROLE, s3Location="arn:aws:s3:::twin-bucket"
        )
        assert created["arn"] == "arn:aws:iottwinmaker:us-east-1:123456789012:workspace/factory"
        got = twinmaker.get_workspace(workspaceId="factory")
        assert got["s3Location"] == "arn:aws:s3:::twin-bucket"
        assert [w["workspaceId"] for w in twinmaker.list_workspaces()["workspaceSummaries"]] == [
            "factory"
        ]
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["twin-bucket"]
    s3.put_object(Bucket="twin-bucket", Key="scene.json", Body=b"{}")
    assert s3.get_object(Bucket="twin-bucket", Key="scene.json")["Body"].read() == b"{}"


def test_moto_answers_twinmaker_clients_that_are_not_twinkits(mocked: None) -> None:
    # Proof that moto is active for TwinMaker's endpoint: a plain client gets its 404.
    plain = boto3.client("iottwinmaker", region_name="us-east-1")
    with closing(plain), pytest.raises(ClientError) as excinfo:
        plain.list_workspaces()
    assert excinfo.value.response["Error"] == {"Code": "404", "Message": "Not yet implemented"}


def test_moto_twinkit_client_made_before_the_mock_still_answers() -> None:
    twin = twinkit.local.Emulator()
    with closing(twin.client()) as twinmaker:
        with mock_aws():
            twinmaker.create_workspace(workspaceId="factory", role=ROLE)
            boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="twin-bucket")
        assert [w["workspaceId"] for w in twinmaker.list_workspaces()["workspaceSummaries"]] == [
            "factory"
        ]


def test_moto_and_the_http_server(mocked: None) -> None:
    # moto lets requests to a non-AWS endpoint through, so the HTTP server answers too.
    with twinkit.local.serve() as server, closing(server.client()) as twinmaker:
        twinmaker.create_workspace(workspaceId="factory", role=ROLE)
        assert server.emulator.state.workspaces.keys() == {"factory"}
    assert boto3.client("s3", region_name="us-east-1").list_buckets()["Buckets"] == []
