"""NaN and infinities: botocore sends them as "NaN", "Infinity", "-Infinity"; the emulator
stores them, answers them in that form (never bare NaN tokens) and twinkit reads them back."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest

import twinkit
import twinkit.local
from twinkit.local._protocol import HttpRequest
from twinkit.times import format_time

SPECIAL = [math.nan, math.inf, -math.inf, 1.5]


def _strict_loads(body: bytes) -> Any:
    def refuse(token: str) -> Any:
        raise ValueError(f"bare {token} token in the body")

    return json.loads(body, parse_constant=refuse)


@pytest.fixture
def emulator() -> twinkit.local.Emulator:
    twin = twinkit.local.Emulator(transition_delay=0)
    client = twin.client()
    client.create_workspace(workspaceId="factory", role="arn:aws:iam::123456789012:role/r")
    client.create_component_type(
        workspaceId="factory",
        componentTypeId="com.example.sensor",
        propertyDefinitions={"t": {"dataType": {"type": "DOUBLE"}, "isTimeSeries": True}},
    )
    client.create_entity(
        workspaceId="factory",
        entityId="mixer",
        entityName="mixer",
        components={"sensor": {"componentTypeId": "com.example.sensor"}},
    )
    tm = twinkit.TwinMaker(client=client)
    answer = tm.batch_put_property_values(  # typed writes: floats in, strings on the wire
        workspace_id="factory",
        entries=[
            twinkit.models.PropertyValueEntry(
                entity_property_reference=twinkit.models.EntityPropertyReference(
                    entity_id="mixer", component_name="sensor", property_name="t"
                ),
                property_values=[
                    twinkit.models.PropertyValue(
                        time=format_time(k + 1),
                        value=twinkit.models.DataValue(double_value=v),
                    )
                    for k, v in enumerate(SPECIAL)
                ],
            )
        ],
    )
    assert answer.error_entries == []
    return twin


def _history_body(twin: twinkit.local.Emulator, extra: dict[str, Any]) -> bytes:
    body = {
        "entityId": "mixer",
        "componentName": "sensor",
        "selectedProperties": ["t"],
        "startTime": format_time(0),
        "endTime": format_time(100),
        **extra,
    }
    answer = twin.handle(
        HttpRequest(
            "POST",
            "/workspaces/factory/entity-properties/history",
            {},
            {"Content-Type": "application/json"},
            json.dumps(body).encode(),
        )
    )
    assert answer.status == 200, answer.body
    return answer.body


@pytest.mark.parametrize(
    "extra",
    [
        {},
        {"orderByTime": "DESCENDING"},
        {
            "propertyFilters": [
                {"propertyName": "t", "operator": "!=", "value": {"doubleValue": 2.0}}
            ]
        },
    ],
)
def test_history_answers_strings(emulator: twinkit.local.Emulator, extra: dict[str, Any]) -> None:
    wire = _strict_loads(_history_body(emulator, extra))
    doubles = sorted(str(v["value"]["doubleValue"]) for v in wire["propertyValues"][0]["values"])
    assert doubles == sorted(["NaN", "Infinity", "-Infinity", "1.5"])


def test_latest_value_answers_a_string(emulator: twinkit.local.Emulator) -> None:
    answer = emulator.handle(
        HttpRequest(
            "POST",
            "/workspaces/factory/entity-properties/value",
            {},
            {"Content-Type": "application/json"},
            json.dumps(
                {"entityId": "mixer", "componentName": "sensor", "selectedProperties": ["t"]}
            ).encode(),
        )
    )
    wire = _strict_loads(answer.body)
    assert wire["propertyValues"]["t"]["propertyValue"] == {"doubleValue": 1.5}


def test_typed_reads_of_such_bodies(emulator: twinkit.local.Emulator) -> None:
    tm = twinkit.TwinMaker(client=emulator.client())
    response = tm.get_property_value_history(
        workspace_id="factory",
        entity_id="mixer",
        component_name="sensor",
        selected_properties=["t"],
        start_time=format_time(0),
        end_time=format_time(100),
    )
    values = [v.value.double_value for v in response.property_values[0].values]
    assert math.isnan(values[0])
    assert values[1:] == [math.inf, -math.inf, 1.5]
    raw = emulator.client().get_property_value_history(  # and botocore's own parse
        workspaceId="factory",
        entityId="mixer",
        componentName="sensor",
        selectedProperties=["t"],
        startTime=format_time(0),
        endTime=format_time(100),
    )
    assert raw["propertyValues"][0]["values"][1]["value"] == {"doubleValue": math.inf}


def test_a_string_that_is_not_a_number_is_refused() -> None:
    from twinkit.errors import ValidationError
    from twinkit.models import DataValue
    from twinkit.wire import converter

    assert math.isnan(converter.structure({"doubleValue": "NaN"}, DataValue).double_value)
    refused = r"^DataValue.double_value: expected a number, got 'nan'"
    with pytest.raises(ValidationError, match=refused):
        converter.structure({"doubleValue": "nan"}, DataValue)


@pytest.mark.parametrize("special", [math.nan, math.inf, -math.inf])
def test_every_answer_carries_non_finite_doubles_as_strings(special: float) -> None:
    """Not only history: a property's value and default in GetEntity/GetComponentType."""
    twin = twinkit.local.Emulator(transition_delay=0)
    tm = twinkit.TwinMaker(client=twin.client())
    ws = tm.workspaces.create("factory", role="arn:aws:iam::123456789012:role/r")
    ws.component_types.create(
        "com.example.gauge",
        properties={
            "limit": twinkit.PropertyDefinition(twinkit.DataTypes.DOUBLE, default=special),
            "reading": twinkit.PropertyDefinition(twinkit.DataTypes.DOUBLE),
        },
    )
    ws.entities.create(
        "Gauge",
        entity_id="gauge",
        components={
            "gauge": twinkit.Component("com.example.gauge", properties={"reading": special})
        },
    )
    expected = {math.inf: "Infinity", -math.inf: "-Infinity"}.get(special, "NaN")
    for method, path in (
        ("GET", "/workspaces/factory/entities/gauge"),
        ("GET", "/workspaces/factory/component-types/com.example.gauge"),
    ):
        answer = twin.handle(HttpRequest(method, path, {}, {}, b""))
        assert answer.status == 200, answer.body
        text = json.dumps(_strict_loads(answer.body))
        assert f'"doubleValue": "{expected}"' in text
    values = ws.entities("gauge").values("gauge")
    assert math.isnan(values["reading"]) if expected == "NaN" else values["reading"] == special
