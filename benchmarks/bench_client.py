#!/usr/bin/env python3
"""The typed client's cost: `twinkit.TwinMaker` calls ÷ the same raw boto3 calls, one run.

Both sides call the same in-process emulator through botocore's whole stack:

  GetEntity of an entity with 10 components (4 properties each: double, string, integer,
  list of strings);
  GetPropertyValueHistory of 1,000 values: 10 time-series properties x 100 values with
  nine-digit fraction times, read as 5 pages of 200 (the most a page may hold), following
  `nextToken`; the typed side iterates `tm.paginate.get_property_value_history(...)`.

Then, on a canned `{"errorEntries": []}` answer (botocore's whole stack, no emulator, so the
client's own cost is all that is timed): BatchPutPropertyValues of 10 entries x 10 values, the
most one call takes, raw boto3 ÷ `TwinMaker.batch_put_property_values` with typed entries. A
typed request is checked once, by twinkit; botocore's own check is skipped for it only.

The goals are typed ÷ raw ≤ 1.15 for each read (issue 7) and ≤ 1.0 for the write (issue 11).
Before timing, the script checks that the typed results equal the raw ones converted by
`twinkit.wire.converter`, and that both writes send the same request body.

    python benchmarks/bench_client.py            # ~30 s
    python benchmarks/bench_client.py --quick    # ~5 s smoke run, not figures to quote
"""

from __future__ import annotations

import json
import time
from typing import Any

from _harness import Row, bench, canned_client, options, preamble

import twinkit
import twinkit.local
from twinkit import Component, DataTypes, PropertyDefinition, models
from twinkit.values import format_time
from twinkit.wire import converter

WS = "factory"
T0 = 1_767_225_600_123_456_789  # 2026-01-01T00:00:00.123456789Z
STEP = 1_000_000_007
SERIES = [f"sensor{n}" for n in range(10)]
PER_SERIES = 100


def build(tm: twinkit.TwinMaker) -> None:
    ws = tm.workspaces.create(WS)
    equipment = ws.component_types.create(
        "com.example.equipment",
        properties={
            "speed": PropertyDefinition(DataTypes.DOUBLE, default=1.5),
            "model": PropertyDefinition(DataTypes.STRING, default="M-1"),
            "stages": PropertyDefinition(DataTypes.INTEGER, default=2),
            "tags": PropertyDefinition(DataTypes.list_of(DataTypes.STRING), default=["a", "b"]),
        },
    )
    ws.entities.create(
        "Line", entity_id="line", components={f"c{n}": Component(equipment) for n in range(10)}
    )
    sensors = ws.component_types.create(
        "com.example.sensors",
        properties={s: PropertyDefinition(DataTypes.DOUBLE, time_series=True) for s in SERIES},
    )
    ws.entities.create("Mixer", entity_id="mixer", components={"sensors": Component(sensors)})
    entries = [
        models.PropertyValueEntry(
            entity_property_reference=models.EntityPropertyReference(
                entity_id="mixer", component_name="sensors", property_name=series
            ),
            property_values=[
                models.PropertyValue(
                    time=format_time(T0 + (start + i) * STEP),
                    value=models.DataValue(double_value=round(20 + (start + i) * 0.01, 3)),
                )
                for i in range(10)
            ],
        )
        for series in SERIES
        for start in range(0, PER_SERIES, 10)
    ]
    for first in range(0, len(entries), 10):
        tm.batch_put_property_values(workspace_id=WS, entries=entries[first : first + 10])


def history_kwargs() -> dict[str, Any]:
    return {
        "workspaceId": WS,
        "entityId": "mixer",
        "componentName": "sensors",
        "selectedProperties": SERIES,
        "startTime": format_time(T0),
        "endTime": format_time(T0 + PER_SERIES * STEP),
        "maxResults": 200,
    }


def batch_put_calls() -> tuple[Any, Any]:
    """The raw and the typed BatchPut of 10 x 10 values, each on its own canned client."""
    raw_entries = [
        {
            "entityPropertyReference": {
                "entityId": "mixer",
                "componentName": "sensors",
                "propertyName": name,
            },
            "propertyValues": [
                {"time": format_time(T0 + i * STEP), "value": {"doubleValue": i * 0.5}}
                for i in range(10)
            ],
        }
        for name in SERIES
    ]
    typed_entries = [converter.structure(entry, models.PropertyValueEntry) for entry in raw_entries]
    answer = b'{"errorEntries": []}'
    headers = {"Content-Type": "application/json"}
    raw_client = canned_client(200, headers, answer)
    tm = twinkit.TwinMaker(client=canned_client(200, headers, answer))
    bodies: list[bytes] = []

    def record(request: Any, **_: Any) -> None:
        bodies.append(request.body)

    for client in (raw_client, tm.boto3_client):
        # First: botocore stops at the handler that answers, the canned one.
        client.meta.events.register_first("before-send.iottwinmaker", record)

    def raw_put() -> object:
        return raw_client.batch_put_property_values(workspaceId=WS, entries=raw_entries)

    def typed_put() -> object:
        return tm.batch_put_property_values(workspace_id=WS, entries=typed_entries)

    raw_put()
    assert typed_put() == models.BatchPutPropertyValuesResponse(error_entries=[])
    assert len(bodies) == 2
    # The same request, member order aside (a model lists its required members first).
    assert json.loads(bodies[0]) == json.loads(bodies[1]), "typed and raw writes differ"
    for client in (raw_client, tm.boto3_client):
        client.meta.events.unregister("before-send.iottwinmaker", record)
    return raw_put, typed_put


def main() -> None:
    args = options(__doc__)
    started = time.perf_counter()
    preamble(args)

    with twinkit.local.emulator(transition_delay=0) as twin:
        client = twin.client()
        tm = twinkit.TwinMaker(client=client)
        build(tm)

        def raw_entity() -> object:
            return client.get_entity(workspaceId=WS, entityId="line")

        def typed_entity() -> object:
            return tm.get_entity(workspace_id=WS, entity_id="line")

        def raw_history() -> list[Any]:
            values: list[Any] = []
            kwargs = history_kwargs()
            while True:
                page = client.get_property_value_history(**kwargs)
                for series in page["propertyValues"]:
                    values.extend(series["values"])
                if "nextToken" not in page:
                    return values
                kwargs["nextToken"] = page["nextToken"]

        def typed_history() -> list[models.PropertyValue]:
            pager = tm.paginate.get_property_value_history(
                workspace_id=WS,
                entity_id="mixer",
                component_name="sensors",
                selected_properties=SERIES,
                start_time=format_time(T0),
                end_time=format_time(T0 + PER_SERIES * STEP),
                page_size=200,
            )
            return [value for series in pager for value in series.values or []]

        raw = client.get_entity(workspaceId=WS, entityId="line")
        raw.pop("ResponseMetadata")
        assert typed_entity() == converter.structure(raw, models.GetEntityResponse)
        raw_values = raw_history()
        assert len(raw_values) == len(SERIES) * PER_SERIES
        typed_values = typed_history()
        assert typed_values == [converter.structure(v, models.PropertyValue) for v in raw_values]

        timing = {"reps": args.reps, "min_time": args.min_time}
        rows: list[tuple[Row, Row, int]] = []
        a = bench("(a)", "boto3 `get_entity` (10 components)", raw_entity, **timing)
        b = bench("(b)", "`TwinMaker.get_entity`", typed_entity, **timing)
        rows.append((a, b, 1))
        n = len(SERIES) * PER_SERIES
        c = bench(
            "(c)", "boto3 history, 5 pages of 200", raw_history, per=n, unit="value", **timing
        )
        d = bench(
            "(d)", "`tm.paginate.get_property_value_history`", typed_history, per=n, unit="value",
            **timing,
        )  # fmt: skip
        rows.append((c, d, n))

    raw_put, typed_put = batch_put_calls()
    e = bench("(e)", "boto3 `batch_put_property_values` 10x10, canned", raw_put, **timing)
    f = bench("(f)", "`TwinMaker.batch_put_property_values`", typed_put, **timing)
    rows.append((e, f, 1))

    print()
    print("| call | raw boto3, µs | typed, µs | typed ÷ raw, GC on | GC off |")
    print("|---|---:|---:|---:|---:|")
    for raw_row, typed_row, _ in rows:
        print(
            f"| {raw_row.label} vs {typed_row.label} | {raw_row.median * 1e6:,.0f} "
            f"| {typed_row.median * 1e6:,.0f} | **{typed_row.median / raw_row.median:.2f}x** "
            f"| {typed_row.median_nogc / raw_row.median_nogc:.2f}x |"
        )
    print(f"\nRun: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
