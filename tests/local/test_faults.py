"""Fault injection through boto3, on both transports: a failed request changes nothing."""

from __future__ import annotations

import copy
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

import twinkit.local
from twinkit.local import Emulator, Faults, ManualClock
from twinkit.local.__main__ import build_parser

ROLE = "arn:aws:iam::123456789012:role/twinmaker"
SENSOR = "com.example.sensor"
NO_RETRIES = Config(retries={"total_max_attempts": 1})
WORKSPACE_ARN = "arn:aws:iottwinmaker:us-east-1:123456789012:workspace/factory"


@pytest.fixture
def twinmaker_emulator_options() -> dict[str, Any]:
    return {"transition_delay": 0.0, "clock": ManualClock()}


@pytest.fixture(params=["in-process", "http"])
def client(request: pytest.FixtureRequest, twinmaker_emulator: Emulator) -> Iterator[Any]:
    """A client that does not retry, on a workspace with a time-series component type."""
    if request.param == "http":
        made = request.getfixturevalue("twinmaker_server").client(config=NO_RETRIES)
    else:
        made = twinmaker_emulator.client(config=NO_RETRIES)
    made.create_workspace(workspaceId="factory", role=ROLE)
    made.create_component_type(
        workspaceId="factory",
        componentTypeId=SENSOR,
        propertyDefinitions={
            "temp": {"dataType": {"type": "DOUBLE"}, "isTimeSeries": True},
            "label": {"dataType": {"type": "STRING"}},
        },
    )
    yield made
    made.close()


def _entry(entity_id: str, second: int, value: float) -> dict[str, Any]:
    return {
        "entityPropertyReference": {
            "entityId": entity_id,
            "componentName": "sensor",
            "propertyName": "temp",
        },
        "propertyValues": [
            {"time": f"2026-01-01T00:00:{second:02d}Z", "value": {"doubleValue": value}}
        ],
    }


def _requests(client: Any) -> Iterator[tuple[str, Callable[[], Any]]]:
    """A day in the life of a twin: every kind of write, twice over."""
    for n in range(30):
        entity_id = f"pump-{n % 6}"
        component = {"sensor": {"componentTypeId": SENSOR}}
        yield (
            "create_entity",
            lambda e=entity_id, c=component: client.create_entity(
                workspaceId="factory", entityId=e, entityName=e, components=c
            ),
        )
        entries = [_entry(f"pump-{k}", n, n * 10.0 + k) for k in range(6)]
        yield (
            "batch_put",
            lambda es=entries: client.batch_put_property_values(workspaceId="factory", entries=es),
        )
        yield (
            "update_entity",
            lambda e=entity_id, m=n: client.update_entity(
                workspaceId="factory", entityId=e, description=f"update {m}"
            ),
        )
        yield (
            "tag_resource",
            lambda m=n: client.tag_resource(resourceARN=WORKSPACE_ARN, tags={f"k{m % 5}": str(m)}),
        )
        if n % 5 == 4:
            yield (
                "delete_entity",
                lambda e=entity_id: client.delete_entity(workspaceId="factory", entityId=e),
            )
        if n % 10 == 0:
            yield (
                "update_pricing_plan",
                lambda m=n: client.update_pricing_plan(
                    pricingMode="STANDARD" if m % 20 == 0 else "BASIC"
                ),
            )


def test_with_faults_at_20_percent_every_failed_request_changed_nothing(
    client: Any, twinmaker_emulator: Emulator
) -> None:
    twinmaker_emulator.faults = Faults(
        throttle_rate=0.2, error_rate=0.2, entry_failure_rate=0.2, seed=2026
    )
    outcomes: dict[str, int] = {}
    for operation, call in _requests(client):
        before = copy.deepcopy(twinmaker_emulator.state.roots())
        try:
            response = call()
        except ClientError as error:
            code = error.response["Error"]["Code"]
            status = error.response["ResponseMetadata"]["HTTPStatusCode"]
            outcome = f"{code} {status}"
            if code in ("ThrottlingException", "InternalServerException"):
                assert twinmaker_emulator.state.roots() == before, (operation, outcome)
        else:
            outcome = "ok"
            for failed in response.get("errorEntries", []):
                outcome = "entry failures"
                assert [e["errorCode"] for e in failed["errors"]] in (
                    ["InternalServerException"],
                    ["ResourceNotFoundException"],  # its entity was not created (yet)
                )
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    assert outcomes["ThrottlingException 429"] >= 10
    assert outcomes["InternalServerException 500"] >= 10
    assert outcomes["entry failures"] >= 10
    assert outcomes["ok"] >= 30, outcomes


def test_injected_entry_failures_store_nothing_of_their_entry(
    client: Any, twinmaker_emulator: Emulator
) -> None:
    for k in range(10):
        client.create_entity(
            workspaceId="factory",
            entityId=f"pump-{k}",
            entityName="pump",
            components={"sensor": {"componentTypeId": SENSOR}},
        )
    twinmaker_emulator.faults = Faults(entry_failure_rate=0.5, seed=1)
    entries = [_entry(f"pump-{k}", 1, float(k)) for k in range(10)]
    errors = client.batch_put_property_values(workspaceId="factory", entries=entries)[
        "errorEntries"
    ]
    failed = {e["errors"][0]["entry"]["entityPropertyReference"]["entityId"] for e in errors}
    assert 0 < len(failed) < 10
    assert {e["errors"][0]["errorMessage"] for e in errors} == {"injected by twinkit.local"}
    twinmaker_emulator.faults = Faults()
    history = client.get_property_value_history(
        workspaceId="factory",
        componentTypeId=SENSOR,
        selectedProperties=["temp"],
        startTime="2026-01-01T00:00:00Z",
        endTime="2026-01-02T00:00:00Z",
    )
    stored = {h["entityPropertyReference"]["entityId"] for h in history["propertyValues"]}
    assert stored == {f"pump-{k}" for k in range(10)} - failed


def test_throttling_and_errors_have_the_service_codes_even_where_the_model_omits_them(
    client: Any, twinmaker_emulator: Emulator
) -> None:
    twinmaker_emulator.faults = Faults(throttle_rate=1.0)
    with pytest.raises(ClientError) as caught:
        client.list_tags_for_resource(resourceARN=WORKSPACE_ARN)
    assert caught.value.response["Error"]["Code"] == "ThrottlingException"
    assert caught.value.response["Error"]["Message"] == (
        "Rate exceeded (injected by twinkit.local at rate 1.0)"
    )
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429
    twinmaker_emulator.faults = Faults(error_rate=1.0)
    with pytest.raises(ClientError) as caught:
        client.tag_resource(resourceARN=WORKSPACE_ARN, tags={"a": "b"})
    assert caught.value.response["Error"]["Code"] == "InternalServerException"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    twinmaker_emulator.faults = Faults()
    assert client.list_tags_for_resource(resourceARN=WORKSPACE_ARN)["tags"] == {}


def test_latency_is_added_to_every_answer(client: Any, twinmaker_emulator: Emulator) -> None:
    twinmaker_emulator.faults = Faults(latency_ms=60)
    started = time.perf_counter()
    client.get_workspace(workspaceId="factory")
    assert time.perf_counter() - started >= 0.06


def _outcome(call: Callable[[], Any]) -> str:
    try:
        call()
    except ClientError as error:
        return str(error.response["Error"]["Code"])
    return "ok"


def test_the_same_seed_gives_the_same_faults() -> None:
    def run() -> list[str]:
        faults = Faults(throttle_rate=0.3, error_rate=0.3, seed=99)
        with twinkit.local.emulator(faults=faults) as twin:
            client = twin.client(config=NO_RETRIES)
            return [_outcome(client.list_workspaces) for _ in range(40)]

    first = run()
    assert first == run()
    assert {"ok", "ThrottlingException", "InternalServerException"} == set(first)


@pytest.mark.parametrize(
    ("rate", "message"),
    [
        (-0.1, "throttle_rate must be between 0 and 1, got -0.1"),
        (1.5, "throttle_rate must be between 0 and 1, got 1.5"),
    ],
)
def test_rates_are_between_zero_and_one(rate: float, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Faults(throttle_rate=rate)
    with pytest.raises(ValueError, match="latency_ms must be >= 0, got -1"):
        Faults(latency_ms=-1)


def test_server_options_parse_the_fault_settings(capsys: pytest.CaptureFixture[str]) -> None:
    args = build_parser().parse_args(
        [
            "--latency-ms",
            "5",
            "--throttle-rate",
            "0.1",
            "--error-rate",
            "0.2",
            "--entry-failure-rate",
            "0.3",
            "--seed",
            "7",
        ]
    )
    assert (args.latency_ms, args.throttle_rate, args.error_rate) == (5.0, 0.1, 0.2)
    assert (args.entry_failure_rate, args.seed) == (0.3, 7)
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--error-rate", "2"])
    assert "a rate is between 0 and 1, not 2" in capsys.readouterr().err


def test_server_cli_injects_faults() -> None:
    command = [
        sys.executable,
        "-m",
        "twinkit.local",
        "--port",
        "0",
        "--quiet",
        "--throttle-rate",
        "1",
        "--seed",
        "3",
    ]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as proc:
        try:
            assert proc.stdout is not None
            url = proc.stdout.readline().rsplit(" ", 1)[1].strip()
            client = boto3.client(
                "iottwinmaker",
                endpoint_url=url,
                region_name="us-east-1",
                aws_access_key_id="testing",
                aws_secret_access_key="testing",
                config=Config(inject_host_prefix=False, retries={"total_max_attempts": 1}),
            )
            with pytest.raises(ClientError) as caught:
                client.list_workspaces()
            assert caught.value.response["Error"]["Code"] == "ThrottlingException"
            client.close()
        finally:
            proc.terminate()
            proc.wait(timeout=10)
