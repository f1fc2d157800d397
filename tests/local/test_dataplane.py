"""The data plane through boto3, on both transports: BatchPutPropertyValues,
GetPropertyValueHistory (paging, filters, interpolation) and GetPropertyValue."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import twinkit.local
from tests.local._support import code_and_message
from twinkit.values import format_time

ROLE = "arn:aws:iam::123456789012:role/twinmaker"
SENSOR = "com.example.sensor"
SUBSENSOR = "com.example.subsensor"
PROPS = ["p0", "p1", "p2", "p3", "p4"]
ENTITIES = ["e0", "e1", "e2", "e3"]
T0 = 1_767_225_600_123_456_789  # 2026-01-01T00:00:00.123456789Z
STEP = 1_000_000_007  # every instant has nine significant fraction digits
PER_SERIES = 500  # 4 entities x 5 properties x 500 = 10,000 values
SECOND = 1_000_000_000


@pytest.fixture
def twinmaker_emulator_options() -> dict[str, Any]:
    """Resources settle at once: deleted entities are gone before the next request."""
    return {"transition_delay": 0.0}


@pytest.fixture(params=["in-process", "http"])
def client(request: pytest.FixtureRequest) -> Iterator[Any]:
    """A boto3 client on the test's emulator, in-process or over HTTP, with a workspace."""
    if request.param == "http":
        made = request.getfixturevalue("twinmaker_server").client()
    else:
        made = request.getfixturevalue("twinmaker_emulator").client()
    made.create_workspace(workspaceId="factory", role=ROLE)
    _types(made)
    yield made
    made.close()


def _types(client: Any) -> None:
    series = {name: {"dataType": {"type": "DOUBLE"}, "isTimeSeries": True} for name in PROPS}
    client.create_component_type(
        workspaceId="factory",
        componentTypeId=SENSOR,
        propertyDefinitions={
            **series,
            "count": {"dataType": {"type": "INTEGER"}, "isTimeSeries": True},
            "status": {"dataType": {"type": "STRING"}, "isTimeSeries": True},
            "serial": {"dataType": {"type": "STRING"}, "isExternalId": True},
            "label": {"dataType": {"type": "STRING"}, "defaultValue": {"stringValue": "none"}},
        },
        propertyGroups={
            "readings": {"groupType": "TABULAR", "propertyNames": ["p0", "status", "label"]}
        },
    )
    client.create_component_type(
        workspaceId="factory", componentTypeId=SUBSENSOR, extendsFrom=[SENSOR]
    )
    client.create_component_type(
        workspaceId="factory",
        componentTypeId="com.example.other",
        propertyDefinitions={"p0": {"dataType": {"type": "DOUBLE"}, "isTimeSeries": True}},
    )


def _entity(client: Any, entity_id: str, type_id: str = SENSOR, serial: str | None = None) -> None:
    properties = {} if serial is None else {"serial": {"value": {"stringValue": serial}}}
    client.create_entity(
        workspaceId="factory",
        entityId=entity_id,
        entityName=entity_id,
        components={"sensor": {"componentTypeId": type_id, "properties": properties}},
    )


def _body(response: dict[str, Any]) -> dict[str, Any]:
    response.pop("ResponseMetadata", None)
    return response


def _ref(entity_id: str, name: str, component: str = "sensor") -> dict[str, Any]:
    return {"entityId": entity_id, "componentName": component, "propertyName": name}


def _entry(entity_id: str, name: str, *points: tuple[str, dict[str, Any]]) -> dict[str, Any]:
    return {
        "entityPropertyReference": _ref(entity_id, name),
        "propertyValues": [{"time": time, "value": value} for time, value in points],
    }


def _put(client: Any, *entries: dict[str, Any]) -> list[Any]:
    response = client.batch_put_property_values(workspaceId="factory", entries=list(entries))
    return list(response["errorEntries"])


def _history(client: Any, **members: Any) -> dict[str, Any]:
    members.setdefault("startTime", format_time(T0 - 3600 * SECOND))
    members.setdefault("endTime", format_time(T0 + 3600 * SECOND))
    return _body(client.get_property_value_history(workspaceId="factory", **members))


def _all_pages(client: Any, **members: Any) -> list[dict[str, Any]]:
    pages = [_history(client, **members)]
    while "nextToken" in pages[-1]:
        pages.append(_history(client, nextToken=pages[-1]["nextToken"], **members))
    return pages


def _flat(pages: list[dict[str, Any]]) -> list[tuple[str, str, str, Any]]:
    """(entity, property, time, value) of every value of every page, page by page."""
    found = []
    for page in pages:
        for history in page["propertyValues"]:
            reference = history["entityPropertyReference"]
            for value in history["values"]:
                found.append(
                    (
                        reference["entityId"],
                        reference["propertyName"],
                        value["time"],
                        value["value"],
                    )
                )
    return found


def _hashable(values: list[tuple[str, str, str, Any]]) -> list[tuple[str, str, str, float]]:
    return [(e, n, t, v["doubleValue"]) for e, n, t, v in values]


# --- 10,000 values, read back page by page --------------------------------------------------------


def _value(series: int, i: int) -> float:
    return (series * 1000 + i) / 7


def _ten_thousand(client: Any) -> list[tuple[int, str, str, int]]:
    """Write 4 entities x 5 properties x 500 values in batches of 10 x 10, shuffled."""
    for index, entity_id in enumerate(ENTITIES):
        _entity(client, entity_id, SUBSENSOR if index == 3 else SENSOR)
    _entity(client, "bystander", "com.example.other")
    series = [(entity_id, name) for entity_id in ENTITIES for name in PROPS]
    entries = []
    for number, (entity_id, name) in enumerate(series):
        for first in range(0, PER_SERIES, 10):
            points = [
                (format_time(T0 + i * STEP), {"doubleValue": _value(number, i)})
                for i in range(first, first + 10)
            ]
            entries.append(_entry(entity_id, name, *points))
    random.Random(6).shuffle(entries)
    for start in range(0, len(entries), 10):
        assert _put(client, *entries[start : start + 10]) == []
    return [(i, e, n, number) for number, (e, n) in enumerate(series) for i in range(PER_SERIES)]


def _expected_pages(
    items: list[tuple[int, str, str, int]], size: int
) -> list[list[dict[str, Any]]]:
    """Each page's `propertyValues`: series in (entity, property) order, values in page order."""
    pages = []
    for start in range(0, len(items), size):
        grouped: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for i, entity_id, name, number in items[start : start + size]:
            value = {
                "time": format_time(T0 + i * STEP),
                "value": {"doubleValue": _value(number, i)},
            }
            grouped.setdefault((entity_id, name), []).append(value)
        pages.append(
            [
                {"entityPropertyReference": _ref(e, n), "values": values}
                for (e, n), values in sorted(
                    grouped.items(), key=lambda kv: (kv[0][0], PROPS.index(kv[0][1]))
                )
            ]
        )
    return pages


def test_ten_thousand_values_come_back_exactly_page_by_page_in_both_orders(client: Any) -> None:
    items = _ten_thousand(client)
    window = {"startTime": format_time(T0), "endTime": format_time(T0 + (PER_SERIES - 1) * STEP)}
    ascending = sorted(items, key=lambda x: (x[0], x[1], PROPS.index(x[2])))
    descending = sorted(items, key=lambda x: (-x[0], x[1], PROPS.index(x[2])))
    for order, expected in (("ASCENDING", ascending), ("DESCENDING", descending)):
        pages = _all_pages(
            client,
            componentTypeId=SENSOR,
            selectedProperties=PROPS,
            maxResults=200,
            orderByTime=order,
            **window,
        )
        assert len(pages) == 50
        assert [page["propertyValues"] for page in pages] == _expected_pages(expected, 200)
        assert "nextToken" not in pages[-1]
    one = _all_pages(
        client,
        entityId="e1",
        componentName="sensor",
        selectedProperties=PROPS,
        maxResults=200,
        **window,
    )
    only_e1 = [item for item in ascending if item[1] == "e1"]
    assert [page["propertyValues"] for page in one] == _expected_pages(only_e1, 200)
    assert _history(client, componentTypeId="com.example.other", selectedProperties=["p0"]) == {
        "propertyValues": []
    }


@settings(max_examples=25, deadline=None)
@given(
    sizes=st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=6),
    descending=st.booleans(),
    late=st.lists(st.integers(min_value=-5, max_value=40), max_size=5),
)
def test_history_paging_never_skips_or_repeats(
    sizes: list[int], descending: bool, late: list[int]
) -> None:
    """Random page sizes (cycled), writes between pages: every value that was there throughout
    comes back exactly once, and no value twice."""
    with twinkit.local.emulator() as twin:
        client = twin.client()
        client.create_workspace(workspaceId="factory", role=ROLE)
        _types(client)
        for entity_id in ("aa", "bb"):
            _entity(client, entity_id)
        # ties on purpose: three series share every other instant
        for entity_id, name, offset in (("aa", "p0", 0), ("aa", "p1", 0), ("bb", "p0", 1)):
            for first in range(0, 30, 10):
                points = [
                    (format_time(T0 + (2 * i + offset % 2 * (i % 2)) * SECOND), {"doubleValue": i})
                    for i in range(first, first + 10)
                ]
                assert _put(client, _entry(entity_id, name, *points)) == []
        before = _hashable(
            _flat(_all_pages(client, componentTypeId=SENSOR, selectedProperties=["p0", "p1"]))
        )
        members: dict[str, Any] = {
            "componentTypeId": SENSOR,
            "selectedProperties": ["p0", "p1"],
            "orderByTime": "DESCENDING" if descending else "ASCENDING",
        }
        seen: list[tuple[str, str, str, float]] = []
        spans: list[tuple[str, str]] = []  # each page's first and last time, in page order
        token = None
        for page_number in range(200):
            if token is not None:
                members["nextToken"] = token
            page = _history(client, maxResults=sizes[page_number % len(sizes)], **members)
            assert len(_flat([page])) <= sizes[page_number % len(sizes)]
            got = _hashable(_flat([page]))
            seen += got
            times = sorted(t for _, _, t, _ in got)
            if times:
                spans.append((times[-1], times[0]) if descending else (times[0], times[-1]))
            for history in page["propertyValues"]:
                in_series = [v["time"] for v in history["values"]]
                assert in_series == sorted(in_series, reverse=descending)
            if page_number < len(late):  # a value written meanwhile, anywhere in time
                point = (format_time(T0 + late[page_number] * SECOND + 1), {"doubleValue": -1.0})
                _put(client, _entry("aa", "p1", point))
            token = page.get("nextToken")
            if token is None:
                break
        assert len(seen) == len(set(seen))
        assert set(before) <= set(seen)
        for (_, last), (first, _) in itertools.pairwise(spans):
            assert (first <= last) if descending else (last <= first)


# --- BatchPutPropertyValues -----------------------------------------------------------------------


def test_bad_entries_are_reported_while_good_ones_are_stored(client: Any) -> None:
    _entity(client, "pump")
    good = _entry("pump", "p0", ("2026-01-01T00:00:00Z", {"doubleValue": 1.5}))
    not_series = _entry("pump", "label", ("2026-01-01T00:00:00Z", {"stringValue": "x"}))
    unknown = _entry("ghost", "p0", ("2026-01-01T00:00:00Z", {"doubleValue": 2.0}))
    wrong_type = _entry(
        "pump",
        "p1",
        ("2026-01-01T00:00:01Z", {"doubleValue": 3.0}),
        ("2026-01-01T00:00:02Z", {"stringValue": "3"}),
    )
    also_good = _entry("pump", "count", ("2026-01-01T00:00:03Z", {"integerValue": 7}))
    errors = _put(client, good, not_series, unknown, wrong_type, also_good)
    assert errors == [
        {
            "errors": [
                {
                    "errorCode": "ValidationException",
                    "errorMessage": "Property label of component sensor of entity pump is not a "
                    "time-series property (isTimeSeries is false)",
                    "entry": not_series,
                }
            ]
        },
        {
            "errors": [
                {
                    "errorCode": "ResourceNotFoundException",
                    "errorMessage": "Entity ghost not found in workspace factory",
                    "entry": unknown,
                }
            ]
        },
        {
            "errors": [
                {
                    "errorCode": "ValidationException",
                    "errorMessage": "value: expected doubleValue (DOUBLE), got stringValue",
                    "entry": {
                        "entityPropertyReference": _ref("pump", "p1"),
                        "propertyValues": [wrong_type["propertyValues"][1]],
                    },
                }
            ]
        },
    ]
    stored = _history(
        client, entityId="pump", componentName="sensor", selectedProperties=["p0", "p1", "count"]
    )
    assert stored["propertyValues"] == [
        {
            "entityPropertyReference": _ref("pump", "p0"),
            "values": [{"time": "2026-01-01T00:00:00.000000000Z", "value": {"doubleValue": 1.5}}],
        },
        {
            "entityPropertyReference": _ref("pump", "count"),
            "values": [{"time": "2026-01-01T00:00:03.000000000Z", "value": {"integerValue": 7}}],
        },
    ]


@pytest.mark.parametrize(
    ("reference", "code", "message"),
    [
        (
            _ref("pump", "nope"),
            "ResourceNotFoundException",
            "Property nope not found in component sensor of entity pump",
        ),
        (
            _ref("pump", "p0", component="motor"),
            "ResourceNotFoundException",
            "Component motor not found in entity pump",
        ),
        (
            {"entityId": "pump", "propertyName": "p0"},
            "ValidationException",
            "componentName or componentPath is required",
        ),
        (
            {"propertyName": "p0"},
            "ValidationException",
            "entityPropertyReference needs entityId or externalIdProperty",
        ),
        (
            {"externalIdProperty": {"serial": "X"}, "propertyName": "p0"},
            "ResourceNotFoundException",
            'No component has the external ids {"serial": "X"}',
        ),
    ],
)
def test_bad_references_are_entry_errors(
    client: Any, reference: dict[str, Any], code: str, message: str
) -> None:
    _entity(client, "pump")
    entry = {
        "entityPropertyReference": reference,
        "propertyValues": [{"time": "2026-01-01T00:00:00Z", "value": {"doubleValue": 1.0}}],
    }
    assert _put(client, entry) == [
        {"errors": [{"errorCode": code, "errorMessage": message, "entry": entry}]}
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"value": {"doubleValue": 1.0}}, "time is required (or the deprecated timestamp)"),
        (
            {
                "value": {"doubleValue": 1.0},
                "time": "2026-01-01T00:00:00Z",
                "timestamp": datetime(2026, 1, 1, tzinfo=timezone.utc),
            },
            "give time or the deprecated timestamp, not both",
        ),
        (
            {"value": {"doubleValue": 1.0}, "time": "2026-01-01 00:00:00.5Z"},
            "time: expected a Time string YYYY-MM-DDThh:mm:ss[.SSSSSSSSS][Z|±HH:mm], "
            "got str '2026-01-01 00:00:00.5Z'",
        ),
        (
            {"value": {"doubleValue": 1.0}, "time": "2026-02-30T00:00:00Z"},
            "time: expected a real date and time, got '2026-02-30T00:00:00Z' "
            "(day is out of range for month)",
        ),
        (
            {"value": {"expression": "${Parameters.x}"}, "time": "2026-01-01T00:00:00Z"},
            "value: a time-series value cannot be an expression",
        ),
    ],
)
def test_bad_values_are_entry_errors(client: Any, value: dict[str, Any], message: str) -> None:
    _entity(client, "pump")
    entry = {"entityPropertyReference": _ref("pump", "p0"), "propertyValues": [value]}
    errors = _put(client, entry)
    assert [e["errors"][0]["errorMessage"] for e in errors] == [message]
    assert [e["errors"][0]["errorCode"] for e in errors] == ["ValidationException"]
    assert _history(client, entityId="pump", componentName="sensor", selectedProperties=["p0"]) == {
        "propertyValues": []
    }


def test_unknown_workspace_fails_the_whole_request(client: Any) -> None:
    entry = _entry("pump", "p0", ("2026-01-01T00:00:00Z", {"doubleValue": 1.0}))
    call = client.batch_put_property_values
    assert code_and_message(call, workspaceId="nowhere", entries=[entry]) == (
        "ResourceNotFoundException",
        "Workspace nowhere not found",
    )


def test_times_keep_nanoseconds_and_one_instant_written_twice_overwrites(client: Any) -> None:
    _entity(client, "pump")
    assert (
        _put(
            client,
            _entry(
                "pump",
                "p0",
                ("2026-01-01T01:00:00.000000001+01:00", {"doubleValue": 1.0}),
                ("2025-12-31T23:59:59.999999999Z", {"doubleValue": 2.0}),
                ("2026-01-01T00:00:00.5Z", {"doubleValue": 3.0}),
            ),
        )
        == []
    )
    # the same instants again, written differently: the later value wins
    assert (
        _put(
            client,
            _entry(
                "pump",
                "p0",
                ("2026-01-01T00:00:00.000000001Z", {"doubleValue": 10.0}),
                ("2026-01-01T00:00:00.500000000-00:00", {"doubleValue": 30.0}),
            ),
        )
        == []
    )
    got = _history(client, entityId="pump", componentName="sensor", selectedProperties=["p0"])
    assert got["propertyValues"][0]["values"] == [
        {"time": "2025-12-31T23:59:59.999999999Z", "value": {"doubleValue": 2.0}},
        {"time": "2026-01-01T00:00:00.000000001Z", "value": {"doubleValue": 10.0}},
        {"time": "2026-01-01T00:00:00.500000000Z", "value": {"doubleValue": 30.0}},
    ]


def test_deprecated_timestamps_write_and_bound_history(client: Any) -> None:
    _entity(client, "pump")
    client.batch_put_property_values(
        workspaceId="factory",
        entries=[
            {
                "entityPropertyReference": _ref("pump", "p0"),
                "propertyValues": [
                    {
                        "timestamp": datetime(2026, 1, 1, 0, 0, s, tzinfo=timezone.utc),
                        "value": {"doubleValue": float(s)},
                    }
                    for s in range(5)
                ],
            }
        ],
    )
    got = _body(
        client.get_property_value_history(
            workspaceId="factory",
            entityId="pump",
            componentName="sensor",
            selectedProperties=["p0"],
            startDateTime=datetime(2026, 1, 1, 0, 0, 1, tzinfo=timezone.utc),
            endDateTime=datetime(2026, 1, 1, 0, 0, 3, tzinfo=timezone.utc),
        )
    )
    assert got["propertyValues"][0]["values"] == [
        {"time": f"2026-01-01T00:00:0{s}.000000000Z", "value": {"doubleValue": float(s)}}
        for s in (1, 2, 3)
    ]


def test_external_ids_address_entities_and_show_in_cross_entity_references(client: Any) -> None:
    _entity(client, "pump", serial="P-1")
    _entity(client, "fan", SUBSENSOR, serial="F-1")
    entry = {
        "entityPropertyReference": {"externalIdProperty": {"serial": "F-1"}, "propertyName": "p0"},
        "propertyValues": [{"time": "2026-01-01T00:00:00Z", "value": {"doubleValue": 4.0}}],
    }
    assert _put(client, entry) == []
    got = _history(client, componentTypeId=SENSOR, selectedProperties=["p0"])
    assert got["propertyValues"] == [
        {
            "entityPropertyReference": {
                **_ref("fan", "p0"),
                "externalIdProperty": {"serial": "F-1"},
            },
            "values": [{"time": "2026-01-01T00:00:00.000000000Z", "value": {"doubleValue": 4.0}}],
        }
    ]


def test_composite_components_take_values_by_component_path(client: Any) -> None:
    client.create_component_type(
        workspaceId="factory",
        componentTypeId="com.example.pump",
        compositeComponentTypes={"probe": {"componentTypeId": SENSOR}},
    )
    client.create_entity(
        workspaceId="factory",
        entityId="pump",
        entityName="pump",
        components={"main": {"componentTypeId": "com.example.pump"}},
    )
    reference = {"entityId": "pump", "componentPath": "main/probe", "propertyName": "p0"}
    entry = {
        "entityPropertyReference": reference,
        "propertyValues": [{"time": "2026-01-01T00:00:00Z", "value": {"doubleValue": 1.0}}],
    }
    assert _put(client, entry) == []
    got = _history(client, entityId="pump", componentPath="main/probe", selectedProperties=["p0"])
    assert got["propertyValues"][0]["entityPropertyReference"] == {
        "entityId": "pump",
        "componentName": "probe",
        "componentPath": "main/probe",
        "propertyName": "p0",
    }


def test_an_entity_created_again_starts_without_the_old_values(client: Any) -> None:
    _entity(client, "pump")
    _put(client, _entry("pump", "p0", ("2026-01-01T00:00:00Z", {"doubleValue": 1.0})))
    client.delete_entity(workspaceId="factory", entityId="pump")
    _entity(client, "pump")
    got = _history(client, entityId="pump", componentName="sensor", selectedProperties=["p0"])
    assert got == {"propertyValues": []}


# --- filters and interpolation --------------------------------------------------------------------


def _series(client: Any, *, create: bool = True) -> None:
    if create:
        _entity(client, "pump")
    points = [
        (f"2026-01-01T00:00:0{i}Z", {"doubleValue": float(v)})
        for i, v in enumerate([5, 1, 8, 3, 9])
    ]
    statuses = [
        (f"2026-01-01T00:00:0{i}Z", {"stringValue": s})
        for i, s in enumerate(["OK", "ALARM", "OK", "ALARM", "OK"])
    ]
    assert _put(client, _entry("pump", "p0", *points), _entry("pump", "status", *statuses)) == []


def _values_of(response: dict[str, Any]) -> dict[str, list[tuple[str, Any]]]:
    return {
        h["entityPropertyReference"]["propertyName"]: [
            (v["time"][17:19], next(iter(v["value"].values()))) for v in h["values"]
        ]
        for h in response["propertyValues"]
    }


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (
            [{"propertyName": "p0", "operator": ">", "value": {"doubleValue": 4.0}}],
            {
                "p0": [("00", 5.0), ("02", 8.0), ("04", 9.0)],
                "status": [
                    ("00", "OK"),
                    ("01", "ALARM"),
                    ("02", "OK"),
                    ("03", "ALARM"),
                    ("04", "OK"),
                ],
            },
        ),
        (
            [
                {"propertyName": "p0", "operator": ">=", "value": {"integerValue": 3}},
                {"propertyName": "p0", "operator": "<>", "value": {"doubleValue": 8.0}},
                {"propertyName": "status", "operator": "=", "value": {"stringValue": "ALARM"}},
            ],
            {
                "p0": [("00", 5.0), ("03", 3.0), ("04", 9.0)],
                "status": [("01", "ALARM"), ("03", "ALARM")],
            },
        ),
        (
            [{"propertyName": "status", "operator": "<", "value": {"stringValue": "B"}}],
            {
                "p0": [("00", 5.0), ("01", 1.0), ("02", 8.0), ("03", 3.0), ("04", 9.0)],
                "status": [("01", "ALARM"), ("03", "ALARM")],
            },
        ),
    ],
)
def test_property_filters_keep_the_values_that_match(
    client: Any, filters: list[dict[str, Any]], expected: dict[str, Any]
) -> None:
    _series(client)
    got = _history(
        client,
        entityId="pump",
        componentName="sensor",
        selectedProperties=["p0", "status"],
        propertyFilters=filters,
    )
    assert _values_of(got) == expected


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (
            {"propertyName": "p1", "operator": "=", "value": {"doubleValue": 1.0}},
            "propertyFilters[0].propertyName: 'p1' is not selected",
        ),
        (
            {"propertyName": "p0", "operator": "~", "value": {"doubleValue": 1.0}},
            "propertyFilters[0].operator: expected one of = != <> < <= > >=, got '~'",
        ),
        (
            {"propertyName": "p0", "operator": "=", "value": {"stringValue": "1"}},
            "propertyFilters[0].value: expected a number for a DOUBLE property",
        ),
        (
            {"propertyName": "status", "operator": "=", "value": {"doubleValue": 1.0}},
            "propertyFilters[0].value: expected stringValue (STRING), got doubleValue",
        ),
        ({"propertyName": "p0", "operator": "="}, "propertyFilters[0].value: is required"),
    ],
)
def test_bad_property_filters_are_refused(client: Any, item: dict[str, Any], message: str) -> None:
    _series(client)
    call = client.get_property_value_history
    assert code_and_message(
        call,
        workspaceId="factory",
        entityId="pump",
        componentName="sensor",
        selectedProperties=["p0", "status"],
        propertyFilters=[item],
        startTime="2026-01-01T00:00:00Z",
        endTime="2026-01-02T00:00:00Z",
    ) == ("ValidationException", message)


LINEAR = [  # values at 0 s, 8 s and 16 s: 0, 8, 0; read every 2 s from -2 s to 19 s
    ("2026-01-01T00:00:00.000000000Z", 0.0),
    ("2026-01-01T00:00:02.000000000Z", 2.0),
    ("2026-01-01T00:00:04.000000000Z", 4.0),
    ("2026-01-01T00:00:06.000000000Z", 6.0),
    ("2026-01-01T00:00:08.000000000Z", 8.0),
    ("2026-01-01T00:00:10.000000000Z", 6.0),
    ("2026-01-01T00:00:12.000000000Z", 4.0),
    ("2026-01-01T00:00:14.000000000Z", 2.0),
    ("2026-01-01T00:00:16.000000000Z", 0.0),
]


def _linear(client: Any, **members: Any) -> list[dict[str, Any]]:
    return _all_pages(
        client,
        entityId="pump",
        componentName="sensor",
        startTime="2025-12-31T23:59:58Z",
        endTime="2026-01-01T00:00:19Z",
        interpolation={"interpolationType": "LINEAR", "intervalInSeconds": 2},
        **members,
    )


def test_linear_interpolation_matches_hand_computed_points(client: Any) -> None:
    _entity(client, "pump")
    assert (
        _put(
            client,
            _entry(
                "pump",
                "p0",
                *[
                    (f"2026-01-01T00:00:{s:02d}Z", {"doubleValue": v})
                    for s, v in ((0, 0.0), (8, 8.0), (16, 0.0))
                ],
            ),
            _entry(
                "pump",
                "count",
                *[
                    (f"2026-01-01T00:00:{s:02d}Z", {"integerValue": v})
                    for s, v in ((1, 10), (5, 30))
                ],
            ),
        )
        == []
    )
    for size, order in ((25, "ASCENDING"), (2, "ASCENDING"), (3, "DESCENDING")):
        pages = _linear(client, selectedProperties=["p0"], maxResults=size, orderByTime=order)
        points = [(t, v["doubleValue"]) for _, _, t, v in _flat(pages)]
        assert points == (LINEAR if order == "ASCENDING" else LINEAR[::-1])
    # an INTEGER series interpolates to doubles; filters apply to the interpolated values
    both = _linear(
        client,
        selectedProperties=["p0", "count"],
        propertyFilters=[
            {"propertyName": "count", "operator": ">=", "value": {"integerValue": 15}}
        ],
    )
    assert [(n, t[17:19], v) for _, n, t, v in _flat(both) if n == "count"] == [
        ("count", "02", {"doubleValue": 15.0}),  # 10 at 1 s, 30 at 5 s
        ("count", "04", {"doubleValue": 25.0}),
    ]
    call = client.get_property_value_history
    assert code_and_message(
        call,
        workspaceId="factory",
        entityId="pump",
        componentName="sensor",
        selectedProperties=["status"],
        startTime="2026-01-01T00:00:00Z",
        endTime="2026-01-01T00:01:00Z",
        interpolation={"interpolationType": "LINEAR", "intervalInSeconds": 2},
    ) == (
        "ValidationException",
        "interpolation: property status is STRING; LINEAR interpolation needs DOUBLE, "
        "INTEGER or LONG",
    )


# --- GetPropertyValueHistory: what it refuses -----------------------------------------------------


@pytest.mark.parametrize(
    ("members", "code", "message"),
    [
        (
            {"entityId": "pump", "componentName": "sensor", "selectedProperties": ["p0"]},
            "ValidationException",
            "startTime is required (or the deprecated startDateTime)",
        ),
        (
            {
                "entityId": "pump",
                "componentName": "sensor",
                "selectedProperties": ["p0"],
                "startTime": "2026-01-02T00:00:00Z",
                "endTime": "2026-01-01T00:00:00Z",
            },
            "ValidationException",
            "startTime must not be after endTime",
        ),
        (
            {
                "entityId": "pump",
                "componentName": "sensor",
                "selectedProperties": ["p0"],
                "startTime": "2026-01-01T00:00:00Z",
                "startDateTime": datetime(2026, 1, 1, tzinfo=timezone.utc),
                "endTime": "2026-01-02T00:00:00Z",
            },
            "ValidationException",
            "give startTime or the deprecated startDateTime, not both",
        ),
        (
            {
                "selectedProperties": ["p0"],
                "startTime": "2026-01-01T00:00:00Z",
                "endTime": "2026-01-02T00:00:00Z",
            },
            "ValidationException",
            "give entityId with componentName (or componentPath), or componentTypeId",
        ),
        (
            {
                "entityId": "pump",
                "componentName": "sensor",
                "selectedProperties": ["label"],
                "startTime": "2026-01-01T00:00:00Z",
                "endTime": "2026-01-02T00:00:00Z",
            },
            "ValidationException",
            "Property label of component sensor of entity pump is not a "
            "time-series property (isTimeSeries is false)",
        ),
        (
            {
                "entityId": "ghost",
                "componentName": "sensor",
                "selectedProperties": ["p0"],
                "startTime": "2026-01-01T00:00:00Z",
                "endTime": "2026-01-02T00:00:00Z",
            },
            "ResourceNotFoundException",
            "Entity ghost not found in workspace factory",
        ),
        (
            {
                "componentTypeId": "com.example.none",
                "selectedProperties": ["p0"],
                "startTime": "2026-01-01T00:00:00Z",
                "endTime": "2026-01-02T00:00:00Z",
            },
            "ResourceNotFoundException",
            "Component type com.example.none not found in workspace factory",
        ),
        (
            {
                "componentTypeId": SENSOR,
                "selectedProperties": ["nope"],
                "startTime": "2026-01-01T00:00:00Z",
                "endTime": "2026-01-02T00:00:00Z",
            },
            "ResourceNotFoundException",
            f"Property nope not found in component type {SENSOR}",
        ),
        (
            {
                "componentTypeId": SENSOR,
                "selectedProperties": ["p0"],
                "nextToken": "garbage",
                "startTime": "2026-01-01T00:00:00Z",
                "endTime": "2026-01-02T00:00:00Z",
            },
            "ValidationException",
            "nextToken is not a token this service issued",
        ),
    ],
)
def test_history_refuses_bad_requests(
    client: Any, members: dict[str, Any], code: str, message: str
) -> None:
    _series(client)
    call = client.get_property_value_history
    assert code_and_message(call, workspaceId="factory", **members) == (code, message)


def test_history_tokens_are_bound_to_their_request(client: Any) -> None:
    _series(client)
    first = _history(
        client, entityId="pump", componentName="sensor", selectedProperties=["p0"], maxResults=2
    )
    call = client.get_property_value_history
    assert code_and_message(
        call,
        workspaceId="factory",
        entityId="pump",
        componentName="sensor",
        selectedProperties=["status"],
        maxResults=2,
        nextToken=first["nextToken"],
        startTime=format_time(T0),
        endTime=format_time(T0 + SECOND),
    ) == ("ValidationException", "nextToken does not belong to this request (its inputs changed)")


# --- GetPropertyValue -----------------------------------------------------------------------------


def _latest(client: Any, **members: Any) -> dict[str, Any]:
    return _body(client.get_property_value(workspaceId="factory", entityId="pump", **members))


def test_latest_values_of_time_series_and_other_properties(client: Any) -> None:
    _entity(client, "pump", serial="P-1")
    got = _latest(client, componentName="sensor", selectedProperties=["p0", "serial", "label"])
    assert got == {
        "propertyValues": {
            "p0": {"propertyReference": _ref("pump", "p0")},
            "serial": {
                "propertyReference": _ref("pump", "serial"),
                "propertyValue": {"stringValue": "P-1"},
            },
            "label": {
                "propertyReference": _ref("pump", "label"),
                "propertyValue": {"stringValue": "none"},
            },
        }
    }
    _series(client, create=False)
    got = _latest(client, componentTypeId=SENSOR, selectedProperties=["p0", "status"])
    assert got["propertyValues"]["p0"]["propertyValue"] == {"doubleValue": 9.0}
    assert got["propertyValues"]["status"]["propertyValue"] == {"stringValue": "OK"}
    call = client.get_property_value
    assert code_and_message(
        call,
        workspaceId="factory",
        entityId="pump",
        componentName="sensor",
        selectedProperties=["nope"],
    ) == ("ResourceNotFoundException", "Property nope not found in component sensor of entity pump")
    assert (
        code_and_message(
            call, workspaceId="factory", componentTypeId=SENSOR, selectedProperties=["p0"]
        )[0]
        == "ValidationException"
    )


def test_tabular_property_group_rows_ordered_filtered_and_paged(client: Any) -> None:
    _series(client)
    conditions = {
        "orderBy": [
            {"propertyName": "status", "order": "ASCENDING"},
            {"propertyName": "p0", "order": "DESCENDING"},
        ],
        "propertyFilters": [
            {"propertyName": "p0", "operator": "!=", "value": {"doubleValue": 5.0}}
        ],
    }
    members = {
        "componentName": "sensor",
        "selectedProperties": ["p0", "status", "label"],
        "propertyGroupName": "readings",
        "tabularConditions": conditions,
    }
    rows = []
    page = _latest(client, maxResults=3, **members)
    rows += page["tabularPropertyValues"][0]
    assert len(rows) == 3
    page = _latest(client, maxResults=3, nextToken=page["nextToken"], **members)
    assert "nextToken" not in page
    rows += page["tabularPropertyValues"][0]
    label = {"label": {"stringValue": "none"}}
    assert rows == [
        {"p0": {"doubleValue": 3.0}, "status": {"stringValue": "ALARM"}, **label},
        {"p0": {"doubleValue": 1.0}, "status": {"stringValue": "ALARM"}, **label},
        {"p0": {"doubleValue": 9.0}, "status": {"stringValue": "OK"}, **label},
        {"p0": {"doubleValue": 8.0}, "status": {"stringValue": "OK"}, **label},
    ]
    call = client.get_property_value
    assert code_and_message(
        call,
        workspaceId="factory",
        entityId="pump",
        componentName="sensor",
        selectedProperties=["p1"],
        propertyGroupName="readings",
    ) == ("ValidationException", "selectedProperties: p1 is not in property group readings")
    assert code_and_message(
        call,
        workspaceId="factory",
        entityId="pump",
        componentName="sensor",
        selectedProperties=["p0"],
        propertyGroupName="nope",
    ) == ("ResourceNotFoundException", "Property group nope not found in component sensor")
