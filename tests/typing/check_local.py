"""Type-checked by `mypy --strict`, never run: `twinkit.local`'s one `Emulator` class has an
explicit keyword-only signature, so a misspelt or mistyped option is a type error."""

from __future__ import annotations

from mypy_boto3_iottwinmaker import IoTTwinMakerClient
from mypy_boto3_iottwinmaker.type_defs import GetWorkspaceResponseTypeDef
from typing_extensions import assert_type

import twinkit.local
from twinkit.local import Emulator, Faults, ManualClock, ServerHandle, ServerLimits
from twinkit.local._emulator import Emulator as EmulatorCore

# One class: the public name is the implementation, not a subclass of it.
assert_type(EmulatorCore, type[Emulator])

twin = Emulator(
    clock=ManualClock(),
    region="eu-west-1",
    account_id="123456789012",
    transition_delay=0.0,
    faults=Faults(throttle_rate=0.1),
    state_file="twin.state",
    access_keys={"AKID": "secret"},
)
assert_type(twin.credentials(), tuple[str, str])
assert_type(twin.access_keys, dict[str, str])
assert_type(twin.client(), IoTTwinMakerClient)
assert_type(twin.client(region_name="eu-west-1"), IoTTwinMakerClient)
# The boto3 client's calls are typed: their keyword arguments and their responses.
assert_type(twin.client().get_workspace(workspaceId="w"), GetWorkspaceResponseTypeDef)
twin.client().get_workspace(workspace_id="w")  # type: ignore[call-arg]

Emulator(regoin="eu-west-1")  # type: ignore[call-arg]
Emulator(transition_delay="slow")  # type: ignore[arg-type]
Emulator(ManualClock())  # type: ignore[call-arg]  # options are keyword-only

with twinkit.local.emulator(region="eu-west-1", access_keys={"AKID": "secret"}) as scoped:
    assert_type(scoped, Emulator)
with twinkit.local.emulator(regoin="eu-west-1"):  # type: ignore[call-arg]
    pass

server = twinkit.local.serve(limits=ServerLimits(idle_timeout=5.0), region="eu-west-1")
assert_type(server, ServerHandle)
assert_type(server.client(), IoTTwinMakerClient)
twinkit.local.serve(limits=ServerLimits(idle_timeot=5.0))  # type: ignore[call-arg]
