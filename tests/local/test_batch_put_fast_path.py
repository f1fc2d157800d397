"""BatchPutPropertyValues' wire fast path answers and stores exactly what the typed path does.

Two emulators get the same random batches through real boto3 clients (botocore's
serialization): one as built (plain entries stored straight from the wire), one built with
`_wire_fast_paths=False` (every entry structured into models). The batches mix plain values
with everything the fast path must hand to the typed path; both emulators roll the same
injected entry failures (same seed). Their answers, their histories (whole, filtered,
interpolated), their latest values and their stored series must be equal.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError, ParamValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from twinkit.local import Emulator, Faults
from twinkit.local._backends.values import VALUES, Series
from twinkit.times import format_time

WS = "factory"
ROLE = "arn:aws:iam::123456789012:role/twinmaker"
SENSOR = "com.example.sensor"
T0 = 1_767_225_600_123_456_789  # 2026-01-01T00:00:00.123456789Z
SECOND = 1_000_000_000
SERIES: dict[str, Any] = {
    "d": {"type": "DOUBLE"},
    "i": {"type": "INTEGER"},
    "l": {"type": "LONG"},
    "s": {"type": "STRING"},
    "b": {"type": "BOOLEAN"},
    "onoff": {"type": "STRING", "allowedValues": [{"stringValue": "on"}, {"stringValue": "off"}]},
    "many": {"type": "LIST", "nestedType": {"type": "DOUBLE"}},
}
"""The time-series properties of the component, by name: every kind of data type."""
ENTITIES = ("e0", "e1")


def _emulator(fast: bool, seed: int, rate: float, state_file: Path | None = None) -> Emulator:
    twin = Emulator(
        transition_delay=0.0,
        faults=Faults(entry_failure_rate=rate, seed=seed),
        state_file=state_file,
        _wire_fast_paths=fast,
    )
    client = twin.client()
    client.create_workspace(workspaceId=WS, role=ROLE)
    client.create_component_type(
        workspaceId=WS,
        componentTypeId=SENSOR,
        propertyDefinitions={
            **{name: {"dataType": kind, "isTimeSeries": True} for name, kind in SERIES.items()},
            "static": {"dataType": {"type": "DOUBLE"}},
            "serial": {"dataType": {"type": "STRING"}, "isExternalId": True},
        },
    )
    for n, entity in enumerate(ENTITIES):
        client.create_entity(
            workspaceId=WS,
            entityId=entity,
            entityName=entity,
            components={
                "c": {
                    "componentTypeId": SENSOR,
                    "properties": {"serial": {"value": {"stringValue": f"SN-{n}"}}},
                }
            },
        )
    return twin


# --- random batches -------------------------------------------------------------------------------

INSTANTS = [T0 + k * SECOND + k for k in range(6)]
"""Few instants, so that values land on the same instant (overwrite) and out of order."""

finite = st.floats(allow_nan=False, allow_infinity=False, width=64)
PLAIN_OF_TYPE = {
    "DOUBLE": finite.map(lambda x: {"doubleValue": x}),
    "STRING": st.text(min_size=1, max_size=8).map(lambda s: {"stringValue": s}),
    "BOOLEAN": st.booleans().map(lambda b: {"booleanValue": b}),
}
"""A plain value of each data type the fast path stores from the wire."""
plain_values = st.one_of(
    *PLAIN_OF_TYPE.values(), st.sampled_from(["on", "off"]).map(lambda s: {"stringValue": s})
)
other_values = st.one_of(
    st.sampled_from([math.nan, math.inf, -math.inf]).map(lambda x: {"doubleValue": x}),
    st.integers(-(2**31), 2**31 - 1).map(lambda n: {"integerValue": n}),
    st.integers(-(2**63), 2**63 - 1).map(lambda n: {"longValue": n}),
    st.lists(finite.map(lambda x: {"doubleValue": x}), max_size=2).map(lambda v: {"listValue": v}),
    st.dictionaries(st.sampled_from("xy"), finite.map(lambda x: {"doubleValue": x})).map(
        lambda m: {"mapValue": m}
    ),
    st.sampled_from(ENTITIES).map(
        lambda e: {"relationshipValue": {"targetEntityId": e, "targetComponentName": "c"}}
    ),
    st.just({"expression": "${Parameters.threshold}"}),
)
"""Values of any other kind (whole requests the service refuses are not the point here)."""


@st.composite
def time_texts(draw: st.DrawFn) -> str:
    """A `time` string: mostly canonical, else with an offset, fewer fraction digits, or bad."""
    instant = draw(st.sampled_from(INSTANTS))
    form = draw(st.sampled_from(["canonical"] * 4 + ["offset", "short", "bad", "far"]))
    if form == "canonical":
        return format_time(instant)
    if form == "bad":
        return draw(st.sampled_from(["yesterday, around noon", "2026-13-01T00:00:00Z"]))
    if form == "far":
        return "10000-01-01T00:00:00Z"
    hours = draw(st.sampled_from([0, 2, -5]))
    zone = timezone(timedelta(hours=hours))
    moment = datetime.fromtimestamp(instant // SECOND, zone).strftime("%Y-%m-%dT%H:%M:%S")
    digits = draw(st.integers(0, 9))
    fraction = f"{instant % SECOND:09d}"[:digits]
    suffix = "Z" if hours == 0 and form == "short" else moment_offset(hours)
    return f"{moment}.{fraction}{suffix}" if digits else f"{moment}{suffix}"


def moment_offset(hours: int) -> str:
    """An ISO 8601 offset: `+02:00`."""
    return f"{'+' if hours >= 0 else '-'}{abs(hours):02d}:00"


@st.composite
def odd_value(draw: st.DrawFn) -> dict[str, Any]:
    """A written value the fast path must leave to the typed path (or that only looks so)."""
    value = draw(st.one_of(plain_values, other_values))
    written: dict[str, Any] = {"value": value}
    when = draw(st.sampled_from(["time", "timestamp", "both"]))
    if when in ("time", "both"):
        written["time"] = draw(time_texts())
    if when in ("timestamp", "both"):
        seconds = draw(st.sampled_from(INSTANTS)) // SECOND
        written["timestamp"] = datetime.fromtimestamp(seconds, timezone.utc)
    return written


@st.composite
def references(draw: st.DrawFn) -> dict[str, Any]:
    """Mostly a time-series property by entity id; else by external id, or one to refuse."""
    name = draw(st.sampled_from([*SERIES, "d", "d", "s", "static", "ghost"]))
    how = draw(st.sampled_from(["entity"] * 6 + ["external", "both", "unknown", "component"]))
    if how in ("external", "both"):
        serial = draw(st.sampled_from(["SN-0", "SN-1", "SN-9"]))
        reference = {"externalIdProperty": {"serial": serial}, "componentName": "c"}
        if how == "both":
            reference["entityId"] = draw(st.sampled_from(ENTITIES))
        return {**reference, "propertyName": name}
    entity = "nobody" if how == "unknown" else draw(st.sampled_from(ENTITIES))
    component = "elsewhere" if how == "component" else "c"
    return {"entityId": entity, "componentName": component, "propertyName": name}


@st.composite
def entries(draw: st.DrawFn) -> dict[str, Any]:
    """An entry of plain values of its property's type (canonical times), mostly; one or two
    of them replaced by an odd value, often."""
    reference = draw(references())
    kind = SERIES.get(reference["propertyName"], {"type": "DOUBLE"})["type"]
    plain = PLAIN_OF_TYPE.get(kind, PLAIN_OF_TYPE["DOUBLE"])
    if reference["propertyName"] == "onoff":
        plain = st.sampled_from(["on", "off", "on", "dim"]).map(lambda s: {"stringValue": s})
    count = draw(st.integers(1, 10))
    values = [
        {"time": format_time(draw(st.sampled_from(INSTANTS))), "value": draw(plain)}
        for _ in range(count)
    ]
    for _ in range(draw(st.sampled_from([0, 0, 1, 2]))):
        values[draw(st.integers(0, count - 1))] = draw(odd_value())
    return {"entityPropertyReference": reference, "propertyValues": values}


batches = st.lists(st.lists(entries(), min_size=1, max_size=10), min_size=1, max_size=3)


# --- what both emulators answer -------------------------------------------------------------------


def _answer(call: Any, **members: Any) -> Any:
    """The response without its metadata, or the error raised."""
    try:
        response = call(**members)
    except ClientError as error:
        return ("error", error.response["Error"]["Code"], error.response["Error"]["Message"])
    except ParamValidationError as error:
        return ("refused by botocore", str(error))
    response.pop("ResponseMetadata", None)
    return response


def _same(got: Any, want: Any) -> bool:
    """Equal, NaN included (NaN != NaN, but its repr is its repr)."""
    return repr(got) == repr(want)


def _history(client: Any, entity: str, names: list[str], **members: Any) -> list[Any]:
    pages: list[Any] = []
    token: dict[str, str] = {}
    while True:
        page = _answer(
            client.get_property_value_history,
            workspaceId=WS,
            entityId=entity,
            componentName="c",
            selectedProperties=names,
            startTime=format_time(INSTANTS[0] - SECOND),
            endTime=format_time(INSTANTS[-1] + SECOND),
            maxResults=3,
            **members,
            **token,
        )
        pages.append(page)
        if not isinstance(page, dict) or "nextToken" not in page:
            return pages
        token = {"nextToken": page["nextToken"]}


def _reads(twin: Emulator) -> list[Any]:
    """Every way of reading the values back, as answered."""
    client = twin.client()
    found: list[Any] = []
    for entity in ENTITIES:
        found.append(_history(client, entity, list(SERIES)))
        found.append(_history(client, entity, ["d", "s"], orderByTime="DESCENDING"))
        filters = [{"propertyName": "d", "operator": ">", "value": {"doubleValue": 0.0}}]
        found.append(_history(client, entity, ["d"], propertyFilters=filters))
        found.append(
            _history(
                client,
                entity,
                ["s"],
                propertyFilters=[
                    {"propertyName": "s", "operator": "=", "value": {"stringValue": ""}}
                ],
            )
        )
        interpolation = {"interpolationType": "LINEAR", "intervalInSeconds": 1}
        found.append(_history(client, entity, ["d"], interpolation=interpolation))
        found.append(
            _answer(
                client.get_property_value,
                workspaceId=WS,
                entityId=entity,
                componentName="c",
                selectedProperties=list(SERIES),
            )
        )
    return found


def _stored(twin: Emulator) -> dict[tuple[str, str], Any]:
    """The stored series, value by value as models (after the reads, which show wire forms)."""
    by_entity = twin.state.extra.get(VALUES, {}).get(WS, {})
    return {
        (entity, key): dict(series.items())
        for entity, keyed in by_entity.items()
        for key, series in keyed.items()
        if isinstance(series, Series)
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches=batches, seed=st.integers(0, 2**16), rate=st.sampled_from([0.0, 0.0, 0.3]))
def test_the_fast_path_answers_and_stores_what_the_typed_path_does(
    batches: list[list[dict[str, Any]]], seed: int, rate: float
) -> None:
    fast, typed = _emulator(True, seed, rate), _emulator(False, seed, rate)
    fast_client, typed_client = fast.client(), typed.client()
    for batch in batches:
        got = _answer(fast_client.batch_put_property_values, workspaceId=WS, entries=batch)
        want = _answer(typed_client.batch_put_property_values, workspaceId=WS, entries=batch)
        assert _same(got, want)
    assert _same(_reads(fast), _reads(typed))
    assert _same(_stored(fast), _stored(typed))


def test_plain_values_take_the_fast_path_and_read_back_exactly() -> None:
    """The equivalence above would hold with no fast path at all: here plain values are
    stored as the wire carried them, and still read back as models and answers alike."""
    twin = _emulator(True, 0, 0.0)
    client = twin.client()
    entry: Any = {
        "entityPropertyReference": {"entityId": "e0", "componentName": "c", "propertyName": "d"},
        "propertyValues": [
            {"time": format_time(t), "value": {"doubleValue": float(n) + 0.5}}
            for n, t in enumerate(INSTANTS)
        ],
    }
    assert client.batch_put_property_values(workspaceId=WS, entries=[entry])["errorEntries"] == []
    series = twin.state.extra[VALUES][WS]["e0"]["c:d"]
    assert series.stored == [{"doubleValue": float(n) + 0.5} for n in range(len(INSTANTS))]
    typed = _emulator(False, 0, 0.0).client()
    assert typed.batch_put_property_values(workspaceId=WS, entries=[entry])["errorEntries"] == []
    assert _history(client, "e0", ["d"]) == _history(typed, "e0", ["d"])
    latest = client.get_property_value(
        workspaceId=WS, entityId="e0", componentName="c", selectedProperties=["d"]
    )
    assert latest["propertyValues"]["d"]["propertyValue"] == {"doubleValue": 5.5}
    assert series.stored[-1] == series.value(-1)  # made a model on reading, kept
    assert type(series.stored[-1]) is not dict


def test_values_stored_from_the_wire_round_trip_through_the_state_file(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    twin = _emulator(True, 0, 0.0, state_file=path)
    client = twin.client()
    entry: Any = {
        "entityPropertyReference": {"entityId": "e1", "componentName": "c", "propertyName": "s"},
        "propertyValues": [
            {"time": format_time(t), "value": {"stringValue": f"v{n}"}}
            for n, t in enumerate(INSTANTS)
        ],
    }
    assert client.batch_put_property_values(workspaceId=WS, entries=[entry])["errorEntries"] == []
    before = _reads(twin)
    twin.close()
    again = Emulator(transition_delay=0.0, state_file=path)
    try:
        assert _reads(again) == before
        assert _stored(again) == _stored(twin)
    finally:
        again.close()
