"""Bad input gives one typed error that names every bad field by its full path."""

from __future__ import annotations

import pickle
from datetime import datetime, timezone
from typing import Any

import pytest

from twinkit import models
from twinkit.errors import Problem, TwinkitError, ValidationError
from twinkit.wire import Checks, converter, find_problems


def _entity_request(**overrides: Any) -> dict[str, Any]:
    wire: dict[str, Any] = {
        "workspaceId": "factory",
        "entityName": "Pump 1",
        "components": {
            "pump": {
                "componentTypeId": "com.example.pump",
                "properties": {"rpm": {"value": {"doubleValue": 1450.0}}},
            }
        },
    }
    wire.update(overrides)
    return wire


def test_every_problem_in_a_request_is_named_at_once() -> None:
    bad = _entity_request(
        workspaceId="factory floor",  # breaks the pattern
        entityName="x" * 257,  # too long
        components={
            "pump": {
                # componentTypeId is not required in a request, so we break its length instead
                "componentTypeId": "",
                "properties": {
                    "rpm": {"value": {"doubleValue": 1.0, "stringValue": "fast"}},
                    "limits": {"value": {"mapValue": {"max": {"longValue": "9000"}}}},
                },
            }
        },
    )
    with pytest.raises(ValidationError) as caught:
        converter.structure(bad, models.CreateEntityRequest)
    assert [str(p) for p in caught.value.problems] == [
        "CreateEntityRequest.workspace_id: expected a string matching "
        "'[a-zA-Z_0-9][a-zA-Z_\\-0-9]*[a-zA-Z0-9]+', got 'factory floor'",
        "CreateEntityRequest.entity_name: expected at most 256 characters, got 257",
        "CreateEntityRequest.components['pump'].component_type_id: "
        "expected at least 1 character, got 0",
        "CreateEntityRequest.components['pump'].properties['rpm'].value: "
        "expected exactly one member, got 2 (double_value, string_value)",
        "CreateEntityRequest.components['pump'].properties['limits'].value.map_value['max']"
        ".long_value: expected an integer, got '9000'",
    ]
    assert caught.value.problems[3].wire_path == "components['pump'].properties['rpm'].value"
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, TwinkitError)


def test_missing_required_members_and_out_of_range_numbers() -> None:
    with pytest.raises(ValidationError) as caught:
        converter.structure(
            {"workspaceId": "factory", "maxResults": 500}, models.ListEntitiesRequest
        )
    assert caught.value.problems == (
        Problem(
            "ListEntitiesRequest.max_results",
            "maxResults",
            "expected a value between 0 and 200, got 500",
        ),
    )
    with pytest.raises(ValidationError) as caught:
        converter.structure({"entityName": "Pump"}, models.CreateEntityRequest)
    assert caught.value.problems == (
        Problem("CreateEntityRequest.workspace_id", "workspaceId", "required member is missing"),
    )


def test_constructing_a_request_model_checks_its_constraints() -> None:
    with pytest.raises(ValidationError) as caught:
        models.ListEntitiesRequest(
            workspace_id="factory",
            max_results=-1,
            filters=[models.ListEntitiesFilter(parent_entity_id="p" * 129)],
        )
    assert caught.value.paths == (
        "ListEntitiesRequest.filters[0].parent_entity_id",
        "ListEntitiesRequest.max_results",
    )
    assert "expected at most 128 characters, got 129" in str(caught.value)


def test_a_wire_dict_where_a_model_belongs_is_named() -> None:
    with pytest.raises(ValidationError) as caught:
        models.CreateEntityRequest(
            workspace_id="factory",
            entity_name="Pump",
            components={"pump": {"componentTypeId": "x"}},  # type: ignore[dict-item]
        )
    assert str(caught.value) == (
        "CreateEntityRequest.components['pump']: expected ComponentRequest, got dict"
    )


def test_unions_take_exactly_one_member_on_construction() -> None:
    with pytest.raises(ValidationError, match=r"^DataValue: expected exactly one member, got 0$"):
        models.DataValue()
    with pytest.raises(
        ValidationError,
        match=r"^ListEntitiesFilter: expected exactly one member, got 2 "
        r"\(parent_entity_id, component_type_id\)$",
    ):
        models.ListEntitiesFilter(parent_entity_id="a", component_type_id="b")


def test_unknown_members_in_a_request_are_refused_but_ignored_in_a_response() -> None:
    request = _entity_request(entityNmae="typo")
    with pytest.raises(ValidationError) as caught:
        converter.structure(request, models.CreateEntityRequest)
    assert [str(p) for p in caught.value.problems] == [
        "CreateEntityRequest.entityNmae: unknown member"
    ]
    response = {"workspaceId": "factory", "arn": "arn:x", "newFeature": {"x": 1}}
    assert find_problems(response, "GetWorkspaceResponse", Checks(constraints=False)) == [
        Problem(
            "GetWorkspaceResponse.creation_date_time",
            "creationDateTime",
            "required member is missing",
        ),
        Problem(
            "GetWorkspaceResponse.update_date_time", "updateDateTime", "required member is missing"
        ),
    ]


def test_malformed_response_data_names_the_field() -> None:
    wire = {
        "workspaceId": "factory",
        "arn": "arn:aws:iottwinmaker:us-east-1:123456789012:workspace/factory",
        "creationDateTime": "yesterday",
        "updateDateTime": datetime(2026, 1, 1),  # naive
    }
    with pytest.raises(ValidationError) as caught:
        converter.structure(wire, models.GetWorkspaceResponse)
    assert [str(p) for p in caught.value.problems] == [
        "GetWorkspaceResponse.creation_date_time: expected a datetime, got 'yesterday'",
        "GetWorkspaceResponse.update_date_time: expected an aware datetime, got a naive one",
    ]


def test_strict_primitives_refuse_what_cattrs_would_coerce() -> None:
    for wire, message in [
        ({"booleanValue": "false"}, "expected a boolean, got 'false'"),
        ({"integerValue": 1.9}, "expected an integer, got 1.9"),
        ({"integerValue": True}, "expected an integer, got True"),
        ({"stringValue": 5}, "expected a string, got 5"),
        ({"doubleValue": False}, "expected a number, got False"),
    ]:
        with pytest.raises(ValidationError) as caught:
            converter.structure(wire, models.DataValue)
        assert caught.value.problems[0].message == message


def test_enum_checks_are_for_the_service_to_turn_on() -> None:
    wire = {
        "workspaceId": "factory",
        "componentTypeId": "com.example.pump",
        "propertyGroups": {"g": {"groupType": "NEW_KIND", "propertyNames": ["a"]}},
    }
    assert find_problems(wire, "CreateComponentTypeRequest") == []
    assert [
        str(p) for p in find_problems(wire, "CreateComponentTypeRequest", Checks(enums=True))
    ] == [
        "CreateComponentTypeRequest.property_groups['g'].group_type: "
        "expected one of TABULAR; got 'NEW_KIND'"
    ]


def test_map_keys_are_checked_against_their_shape() -> None:
    wire = _entity_request(components={"bad key!": {"componentTypeId": "com.example.pump"}})
    problems = find_problems(wire, "CreateEntityRequest")
    assert [str(p) for p in problems] == [
        "CreateEntityRequest.components['bad key!']: expected a key that is a string matching "
        "'[a-zA-Z_\\-0-9]+', got 'bad key!'"
    ]


def test_validation_errors_pickle_with_their_problems() -> None:
    error = ValidationError([Problem("A.b", "b", "required member is missing")])
    restored = pickle.loads(pickle.dumps(error))
    assert restored.problems == error.problems
    assert str(restored) == "A.b: required member is missing"


def test_timestamps_must_be_aware_in_requests() -> None:
    aware = datetime(2026, 1, 1, tzinfo=timezone.utc)
    request = models.GetPropertyValueHistoryRequest(
        workspace_id="factory",
        selected_properties=["rpm"],
        start_date_time=aware,
        end_date_time=aware,
    )
    assert request.start_date_time == aware
    with pytest.raises(ValidationError, match="start_date_time: expected an aware datetime"):
        models.GetPropertyValueHistoryRequest(
            workspace_id="factory",
            selected_properties=["rpm"],
            start_date_time=datetime(2026, 1, 1),
        )
