"""Calls marked `WIRE_READY` (the batch writer's, the history reader's) skip botocore's walk
over their parameters: the request they send is byte for byte the one botocore builds."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ParamValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

import twinkit.local
from tests.strategies import wire_values
from twinkit import TwinMaker
from twinkit._callmarks import WIRE_READY
from twinkit._client import _serialize_wire_ready

TIME = st.integers(0, 253_402_300_799).map(lambda s: f"{s}")  # any string: botocore copies it


@pytest.fixture(scope="module")
def tm() -> Iterator[TwinMaker]:
    with twinkit.local.emulator() as twin:
        client = twin.client()
        yield TwinMaker(client=client)
        client.close()


def _botocore_request(tm: TwinMaker, operation: str, params: dict[str, Any]) -> Any:
    client: Any = tm.boto3_client
    model = client.meta.service_model.operation_model(operation)
    return model, client._serializer.validating._serializer.serialize_to_request(params, model)


_SCALARS = st.one_of(
    st.fixed_dictionaries({"doubleValue": st.floats(allow_nan=False, allow_infinity=False)}),
    st.fixed_dictionaries({"stringValue": st.text(max_size=20)}),
    st.fixed_dictionaries({"longValue": st.integers(-(2**63), 2**63 - 1)}),
    st.fixed_dictionaries({"booleanValue": st.booleans()}),
)
_ENTRIES = st.lists(
    st.fixed_dictionaries(
        {
            "entityPropertyReference": st.fixed_dictionaries(
                {
                    "entityId": st.text(min_size=1, max_size=12),
                    "componentName": st.text(min_size=1, max_size=12),
                    "propertyName": st.text(min_size=1, max_size=12),
                }
            ),
            "propertyValues": st.lists(
                st.fixed_dictionaries({"time": TIME, "value": _SCALARS}), min_size=1, max_size=10
            ),
        }
    ),
    min_size=1,
    max_size=10,
)


@settings(max_examples=150, deadline=None)
@given(workspace=st.text(min_size=1, max_size=20), entries=_ENTRIES)
def test_a_writer_request_is_botocores_byte_for_byte(
    tm: TwinMaker, workspace: str, entries: list[dict[str, Any]]
) -> None:
    params = {"workspaceId": workspace, "entries": entries}
    model, expected = _botocore_request(tm, "BatchPutPropertyValues", params)
    got = _serialize_wire_ready(tm.boto3_client._serializer._plain, params, model)  # type: ignore[attr-defined]
    assert got == expected


@settings(max_examples=150, deadline=None)
@given(request=wire_values("GetPropertyValueHistoryRequest", in_request=True))
def test_any_history_request_is_botocores_or_left_to_botocore(
    tm: TwinMaker, request: dict[str, Any]
) -> None:
    # Whatever the wire form holds (timestamps, NaN filters), the fast path either builds
    # botocore's request exactly or declines (None) and botocore builds it.
    model, expected = _botocore_request(tm, "GetPropertyValueHistory", request)
    got = _serialize_wire_ready(tm.boto3_client._serializer._plain, request, model)  # type: ignore[attr-defined]
    assert got is None or got == expected


def test_a_nan_value_is_left_to_botocore_which_writes_the_string(tm: TwinMaker) -> None:
    params = {
        "workspaceId": "w",
        "entries": [
            {
                "entityPropertyReference": {
                    "entityId": "e",
                    "componentName": "c",
                    "propertyName": "p",
                },
                "propertyValues": [{"time": "1", "value": {"doubleValue": math.nan}}],
            }
        ],
    }
    model, expected = _botocore_request(tm, "BatchPutPropertyValues", params)
    assert _serialize_wire_ready(tm.boto3_client._serializer._plain, params, model) is None  # type: ignore[attr-defined]
    assert b'"NaN"' in expected["body"]


def test_marked_calls_skip_botocore_validation_unmarked_ones_keep_it(tm: TwinMaker) -> None:
    # An empty workspace id breaks botocore's min-length rule: a raw call is refused by
    # botocore before sending; a marked call is sent, and the service refuses it.
    raw = tm.boto3_client
    entries: list[dict[str, Any]] = [
        {
            "entityPropertyReference": {
                "entityId": "pump-1",
                "componentName": "pump",
                "propertyName": "rpm",
            },
            "propertyValues": [{"time": "2026-01-01T00:00:00Z", "value": {"doubleValue": 1.0}}],
        }
    ]
    with pytest.raises(ParamValidationError):
        raw.batch_put_property_values(workspaceId="w", entries=[])
    token = WIRE_READY.set(True)
    try:
        with pytest.raises(raw.exceptions.ValidationException):
            raw.batch_put_property_values(workspaceId="w", entries=[])
        with pytest.raises(raw.exceptions.ResourceNotFoundException):
            raw.batch_put_property_values(workspaceId="nowhere", entries=entries)
    finally:
        WIRE_READY.reset(token)
