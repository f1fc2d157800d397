"""The emulator's clients come from sessions that share one botocore data loader (read once),
with the emulator's credentials and region."""

from __future__ import annotations

import twinkit.local
from twinkit.local._sessions import aio_session, boto3_session


def test_sessions_share_one_loader_and_keep_their_own_credentials() -> None:
    first, second = (
        boto3_session("AKIA1", "s1", "eu-west-1"),
        boto3_session("AKIA2", "s2", "us-east-1"),
    )
    loader = first._session.get_component("data_loader")
    assert second._session.get_component("data_loader") is loader
    assert aio_session().get_component("data_loader") is loader
    assert first.get_credentials().access_key == "AKIA1"
    assert second.get_credentials().secret_key == "s2"
    assert (first.region_name, second.region_name) == ("eu-west-1", "us-east-1")


def test_an_emulators_clients_sign_with_its_key_and_are_answered() -> None:
    twin = twinkit.local.Emulator(access_keys={"AKIAEXAMPLE": "secret"}, region="eu-west-1")
    client = twin.client()
    assert client.meta.region_name == "eu-west-1"
    assert client.list_workspaces()["workspaceSummaries"] == []
