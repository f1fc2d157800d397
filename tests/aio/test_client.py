"""The async typed client through aiobotocore's real stack, on both emulator transports."""

from __future__ import annotations

import twinkit.aio
from twinkit import models


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
