"""Keeping the state in a SQLite file (`state_file`, `--state`): restarts, crashes, failures."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

import twinkit.local
from twinkit.local import Emulator, Faults, ManualClock, StateFileError
from twinkit.values import format_time, parse_time

ROLE = "arn:aws:iam::123456789012:role/twinmaker"
SENSOR = "com.example.sensor"
PROPS = [f"p{n}" for n in range(10)]
T0 = 1_767_225_600_000_000_001  # 2026-01-01T00:00:00.000000001Z
SECOND = 1_000_000_000
WORKSPACE_ARN = "arn:aws:iottwinmaker:us-east-1:123456789012:workspace/factory"
PREFIX = "twinkit.local listening on "


def _twin(client: Any) -> None:
    """A workspace with a type, an entity with a composite component, tags and values."""
    client.create_workspace(workspaceId="factory", role=ROLE, tags={"site": "north"})
    client.create_component_type(
        workspaceId="factory",
        componentTypeId=SENSOR,
        propertyDefinitions={
            **{p: {"dataType": {"type": "DOUBLE"}, "isTimeSeries": True} for p in PROPS},
            "label": {"dataType": {"type": "STRING"}},
        },
    )
    client.create_component_type(
        workspaceId="factory",
        componentTypeId="com.example.pump",
        compositeComponentTypes={"probe": {"componentTypeId": SENSOR}},
    )
    client.create_entity(
        workspaceId="factory",
        entityId="pump",
        entityName="pump",
        components={
            "main": {"componentTypeId": "com.example.pump"},
            "sensor": {
                "componentTypeId": SENSOR,
                "properties": {"label": {"value": {"stringValue": "P-1"}}},
            },
        },
    )


def _batch(number: int) -> list[dict[str, Any]]:
    """Batch `number`: 10 properties x 10 values, at instants no other batch uses."""
    return [
        {
            "entityPropertyReference": {
                "entityId": "pump",
                "componentName": "sensor",
                "propertyName": name,
            },
            "propertyValues": [
                {
                    "time": format_time(T0 + (number * 10 + j) * SECOND),
                    "value": {"doubleValue": number + j / 16},
                }
                for j in range(10)
            ],
        }
        for name in PROPS
    ]


def _stored(client: Any) -> dict[tuple[str, str], float]:
    """Every stored value of the sensor, (property, time) -> value."""
    found: dict[tuple[str, str], float] = {}
    members: dict[str, Any] = {
        "workspaceId": "factory",
        "entityId": "pump",
        "componentName": "sensor",
        "selectedProperties": PROPS,
        "startTime": "2025-01-01T00:00:00Z",
        "endTime": "2027-01-01T00:00:00Z",
        "maxResults": 200,
    }
    while True:
        page = client.get_property_value_history(**members)
        for history in page["propertyValues"]:
            name = history["entityPropertyReference"]["propertyName"]
            for value in history["values"]:
                found[(name, value["time"])] = value["value"]["doubleValue"]
        if "nextToken" not in page:
            return found
        members["nextToken"] = page["nextToken"]


def _expected(batches: list[int]) -> dict[tuple[str, str], float]:
    return {
        (e["entityPropertyReference"]["propertyName"], v["time"]): v["value"]["doubleValue"]
        for number in batches
        for e in _batch(number)
        for v in e["propertyValues"]
    }


# --- in-process ----------------------------------------------------------------------------------


def test_reopening_the_state_file_gives_back_the_same_state(tmp_path: Path) -> None:
    path = tmp_path / "twin.db"
    first = Emulator(state_file=path, clock=ManualClock(), transition_delay=0.0)
    client = first.client()
    _twin(client)
    for number in range(3):
        assert (
            client.batch_put_property_values(workspaceId="factory", entries=_batch(number))[
                "errorEntries"
            ]
            == []
        )
    client.create_entity(workspaceId="factory", entityId="gone", entityName="gone")
    client.delete_entity(workspaceId="factory", entityId="gone")
    client.untag_resource(resourceARN=WORKSPACE_ARN, tagKeys=["site"])
    client.create_sync_job(workspaceId="factory", syncSource="SITEWISE", syncRole=ROLE)
    client.update_pricing_plan(pricingMode="STANDARD")
    first.close()
    second = Emulator(state_file=path, clock=ManualClock(), transition_delay=0.0)
    assert second.state_file == str(path)
    assert second.state.roots() == first.state.roots()
    again = second.client()
    assert _stored(again) == _expected([0, 1, 2])
    assert again.get_entity(workspaceId="factory", entityId="pump")["components"].keys() == {
        "main",
        "sensor",
    }
    assert again.list_tags_for_resource(resourceARN=WORKSPACE_ARN)["tags"] == {}
    second.close()


def _fails(client: Any, number: int) -> bool:
    try:
        client.batch_put_property_values(workspaceId="factory", entries=_batch(number))
        client.tag_resource(resourceARN=WORKSPACE_ARN, tags={f"n{number % 7}": "x"})
    except ClientError:
        return True
    return False


def test_failed_requests_write_nothing_to_the_file(tmp_path: Path) -> None:
    path = tmp_path / "twin.db"
    faults = Faults(throttle_rate=0.25, error_rate=0.25, entry_failure_rate=0.25, seed=4)
    twin = Emulator(state_file=path, clock=ManualClock(), transition_delay=0.0)
    client = twin.client(config=Config(retries={"total_max_attempts": 1}))
    _twin(client)
    twin.faults = faults
    failures = sum(_fails(client, number) for number in range(40))
    assert failures >= 10
    twin.close()
    reopened = Emulator(state_file=path)
    assert reopened.state.roots() == twin.state.roots()
    reopened.close()


def test_one_emulator_per_state_file(tmp_path: Path) -> None:
    path = tmp_path / "twin.db"
    first = Emulator(state_file=path)
    with pytest.raises(StateFileError, match=r"cannot use .* as a state file: database is locked"):
        Emulator(state_file=path)
    first.close()
    Emulator(state_file=path).close()


def test_serve_closes_the_state_file_of_the_emulator_it_made(tmp_path: Path) -> None:
    path = tmp_path / "twin.db"
    with twinkit.local.serve(state_file=path) as server, closing(server.client()) as client:
        client.create_workspace(workspaceId="factory", role=ROLE)
    reopened = Emulator(state_file=path)
    assert list(reopened.state.workspaces) == ["factory"]
    reopened.close()


def test_a_file_that_is_not_a_state_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StateFileError, match="unable to open database file"):
        Emulator(state_file=tmp_path / "no such directory" / "twin.db")
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database at all, not even close" * 100)
    with pytest.raises(StateFileError, match="file is not a database"):
        Emulator(state_file=garbage)
    other = tmp_path / "other.db"
    with closing(sqlite3.connect(other)) as db:
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        db.execute("INSERT INTO meta VALUES ('format', 'something else')")
        db.commit()
    with pytest.raises(StateFileError, match="format 'something else'"):
        Emulator(state_file=other)


# --- the server, restarted and killed ------------------------------------------------------------


@contextmanager
def _server(*args: str) -> Iterator[tuple[subprocess.Popen[str], Any]]:
    """`python -m twinkit.local --port 0 --quiet ARGS` and a boto3 client on it."""
    command = [sys.executable, "-m", "twinkit.local", "--port", "0", "--quiet", *args]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as proc:
        try:
            assert proc.stdout is not None
            line = proc.stdout.readline()
            assert line.startswith(PREFIX), (line, proc.stderr.read() if proc.stderr else "")
            client = boto3.client(
                "iottwinmaker",
                endpoint_url=line[len(PREFIX) :].strip(),
                region_name="us-east-1",
                aws_access_key_id="testing",
                aws_secret_access_key="testing",
                config=Config(inject_host_prefix=False, retries={"total_max_attempts": 1}),
            )
            with closing(client):
                yield proc, client
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait(timeout=10)


def test_server_restarted_on_its_state_file_keeps_workspaces_entities_and_values(
    tmp_path: Path,
) -> None:
    state = str(tmp_path / "twin.db")
    with _server("--state", state) as (proc, client):
        _twin(client)
        client.batch_put_property_values(workspaceId="factory", entries=_batch(7))
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    with _server("--state", state) as (proc, client):
        assert [w["workspaceId"] for w in client.list_workspaces()["workspaceSummaries"]] == [
            "factory"
        ]
        entity = client.get_entity(workspaceId="factory", entityId="pump")
        label = entity["components"]["sensor"]["properties"]["label"]["value"]
        assert label == {"stringValue": "P-1"}
        assert _stored(client) == _expected([7])


def test_server_refuses_a_state_file_another_server_holds(tmp_path: Path) -> None:
    state = str(tmp_path / "twin.db")
    with _server("--state", state):
        second = subprocess.run(
            [sys.executable, "-m", "twinkit.local", "--port", "0", "--state", state],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert second.returncode == 1
    assert "database is locked" in second.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_kill_9_mid_write_loses_no_acknowledged_value_and_half_writes_nothing(
    tmp_path: Path,
) -> None:
    state = str(tmp_path / "twin.db")
    acknowledged: list[int] = []
    enough = threading.Event()
    with _server("--state", state) as (proc, client):
        _twin(client)

        def write(first: int) -> None:
            own = boto3.client(
                "iottwinmaker",
                endpoint_url=client.meta.endpoint_url,
                region_name="us-east-1",
                aws_access_key_id="testing",
                aws_secret_access_key="testing",
                config=Config(inject_host_prefix=False, retries={"total_max_attempts": 1}),
            )
            for number in range(first, first + 1000, 2):
                try:
                    own.batch_put_property_values(workspaceId="factory", entries=_batch(number))
                except Exception:  # the server died under us
                    return
                acknowledged.append(number)
                if len(acknowledged) >= 40:
                    enough.set()

        writers = [threading.Thread(target=write, args=(n,)) for n in (0, 1)]
        for writer in writers:
            writer.start()
        assert enough.wait(timeout=60)
        os.kill(proc.pid, signal.SIGKILL)  # while both writers have requests in flight
        for writer in writers:
            writer.join(timeout=60)
        assert proc.wait(timeout=10) == -signal.SIGKILL
    with _server("--state", state) as (_, client):
        stored = _stored(client)
    on_disk = {(parse_time(time) - T0) // SECOND // 10 for _, time in stored}
    assert set(acknowledged) <= on_disk  # nothing acknowledged is lost
    assert stored == _expected(sorted(on_disk))  # and every batch on disk is there whole
