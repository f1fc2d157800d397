"""What the nothing-lost tests of both batch writers (blocking and async) check: every value
read back by raw boto3 paging, and the values stored and the values reported as failed
partitioning the input exactly."""

from __future__ import annotations

from typing import Any

from twinkit.dataplane import WriteResult
from twinkit.values import format_time, parse_time

Key = tuple[str, str, int]
"""A value's place: (entity id, property name, time in nanoseconds)."""


def read_back(
    client: Any, entity_id: str, properties: list[str], workspace_id: str = "factory"
) -> dict[Key, object]:
    """Every stored value of the properties, by raw boto3 paging (10 properties a request)."""
    stored: dict[Key, object] = {}
    for first in range(0, len(properties), 10):
        token = None
        while True:
            more = {"nextToken": token} if token else {}
            page = client.get_property_value_history(
                workspaceId=workspace_id,
                entityId=entity_id,
                componentName="s",
                selectedProperties=properties[first : first + 10],
                startTime="1970-01-01T00:00:00Z",
                endTime="2100-01-01T00:00:00Z",
                maxResults=200,
                **more,
            )
            for series in page["propertyValues"]:
                name = series["entityPropertyReference"]["propertyName"]
                for value in series["values"]:
                    ((_, python),) = value["value"].items()
                    stored[(entity_id, name, parse_time(value["time"]))] = python
            token = page.get("nextToken")
            if not token:
                break
    return stored


def assert_partition(
    given: dict[Key, object], result: WriteResult, stored: dict[Key, object]
) -> None:
    failed = {(f.entity_id, f.property_name, f.time_ns): f for f in result.failed}
    assert len(failed) == len(result.failed)  # no value reported twice
    assert failed.keys().isdisjoint(stored)  # nothing both stored and reported
    assert failed.keys() | stored.keys() == given.keys()  # nothing lost, nothing invented
    assert stored == {key: given[key] for key in stored}  # stored exactly as given
    assert result.written == len(stored)
    for key, failure in failed.items():
        assert failure.value == given[key]
        assert failure.time == format_time(key[2])
        assert failure.error_code in {"ThrottlingException", "InternalServerException"}
