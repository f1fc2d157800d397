"""twinkit.local: a faithful AWS IoT TwinMaker emulator, in-process or over HTTP.

```python
import twinkit.local

with twinkit.local.emulator() as twin:
    client = twin.client()          # a real boto3 client, answered in-process
    client.create_workspace(workspaceId="factory", role="arn:aws:iam::123456789012:role/tm")
```
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
from botocore.config import Config

from twinkit.local._clock import Clock, ManualClock, SystemClock
from twinkit.local._emulator import Emulator as _EmulatorCore
from twinkit.local._inprocess import install
from twinkit.local._protocol import HttpRequest, HttpResponse

__all__ = [
    "Clock",
    "Emulator",
    "HttpRequest",
    "HttpResponse",
    "ManualClock",
    "SystemClock",
    "emulator",
]


class Emulator(_EmulatorCore):
    """A TwinMaker emulator you can hand boto3 clients to (see `client()`)."""

    def client(self, *, session: boto3.session.Session | None = None, **kwargs: Any) -> Any:
        """A boto3 `iottwinmaker` client answered by this emulator, in-process.

        Args:
            session: The boto3 session to build it from; a session with dummy credentials
                and this emulator's region by default.
            **kwargs: Passed to `session.client` (`config`, `region_name`, ...).
        """
        if session is None:
            session = boto3.session.Session(
                aws_access_key_id="testing",
                aws_secret_access_key="testing",
                region_name=self.region,
            )
        kwargs.setdefault("config", Config(retries={"mode": "standard"}))
        return install(session.client("iottwinmaker", **kwargs), self)


@contextmanager
def emulator(**options: Any) -> Iterator[Emulator]:
    """A fresh emulator for the block; see `Emulator` for the options."""
    yield Emulator(**options)
