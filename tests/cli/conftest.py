"""Fixtures of the CLI tests: dummy credentials, and a typed client on the test's HTTP server."""

from __future__ import annotations

import pytest

import twinkit
from twinkit.local import ServerHandle


@pytest.fixture(autouse=True)
def _credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.delenv("AWS_PROFILE", raising=False)


@pytest.fixture
def tm(twinmaker_server: ServerHandle) -> twinkit.TwinMaker:
    return twinkit.TwinMaker(client=twinmaker_server.client())
