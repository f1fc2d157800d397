#!/usr/bin/env python3
"""The in-process emulator's data plane: values written and history values read per second.

Builds, in a `twinkit.local` emulator, one entity whose component has 10 time-series DOUBLE
properties, then times in one run:

  (w1) boto3 `batch_put_property_values`: 10 entries x 10 values (the API's maximum), each
       call at new instants, answered in-process by the emulator;
  (w0) the floor for writes: the same call answered by a canned `{"errorEntries": []}`
       response (botocore's whole stack: validation, serialization, signing, parsing);
  (r1) boto3 `get_property_value_history`: one page of 200 values (the API's maximum page),
       10 series x 20 values with nine-digit fraction times, answered in-process;
  (r0) **the parse floor**: botocore's `RestJSONParser.parse` of the exact same response body
       (what every boto3 history call pays for its values);
  (r2) the same history call answered by the canned body (botocore's whole stack);
  (r3) `Emulator.handle(request)` for the same history request alone (the emulator's work).

Before timing it checks that (r1) == (r2) == (r0) (less botocore's `ResponseMetadata`), that
the page holds 200 values, and that every write was stored (10,000 values read back page by
page, exactly).

The harness is the one of /work/shared/perf_baselines.py (`_harness.py`): medians over
`--reps` repetitions of loops lasting at least `--min-time`, GC on (headline) and off (in
brackets), interleaved. Ratios are only taken between rows of this run.

    python benchmarks/bench_dataplane.py            # ~40 s
    python benchmarks/bench_dataplane.py --quick    # ~5 s smoke run, not figures to quote
    python benchmarks/bench_dataplane.py --profile  # also cProfile the handler of (r1)

Needs only twinkit (imported from this checkout) and boto3; no network, no credentials.
"""

from __future__ import annotations

import itertools
import json
import os
import sys
import time
from typing import Any

import botocore.parsers
import botocore.session
from _harness import Row, bench, canned_client, options, preamble, profile
from botocore.awsrequest import HeadersDict

import twinkit.local
from twinkit.local import HttpRequest, ManualClock
from twinkit.values import format_time

WS = "CookieFactory"
ENTITY = "Mixer_0"
PROPS = [f"sensor{n}" for n in range(10)]
T0 = 1_767_225_600_123_456_789  # 2026-01-01T00:00:00.123456789Z
STEP = 1_000_000_007
PAGE = 200
VALUES_PER_CALL = 100
ROLE = "arn:aws:iam::123456789012:role/TwinMakerWorkspaceRole"


def build(twin: twinkit.local.Emulator) -> Any:
    client = twin.client()
    client.create_workspace(workspaceId=WS, role=ROLE)
    client.create_component_type(
        workspaceId=WS,
        componentTypeId="com.example.mixer",
        propertyDefinitions={
            name: {"dataType": {"type": "DOUBLE"}, "isTimeSeries": True} for name in PROPS
        },
    )
    client.create_entity(
        workspaceId=WS,
        entityId=ENTITY,
        entityName=ENTITY,
        components={"mixer": {"componentTypeId": "com.example.mixer"}},
    )
    return client


def batch(number: int) -> list[dict[str, Any]]:
    """Batch `number`: 10 properties x 10 values at instants no other batch uses."""
    return [
        {
            "entityPropertyReference": {
                "entityId": ENTITY,
                "componentName": "mixer",
                "propertyName": name,
            },
            "propertyValues": [
                {
                    "time": format_time(T0 + (number * 10 + j) * STEP),
                    "value": {"doubleValue": round(20 + number % 97 + j / 8 + p, 3)},
                }
                for j in range(10)
            ],
        }
        for p, name in enumerate(PROPS)
    ]


def history_request(**more: Any) -> dict[str, Any]:
    return {
        "workspaceId": WS,
        "entityId": ENTITY,
        "componentName": "mixer",
        "selectedProperties": PROPS,
        "startTime": format_time(T0),
        "endTime": format_time(T0 + 10**18),
        "maxResults": PAGE,
        **more,
    }


def check_written(client: Any, batches: int) -> None:
    """Every value of the first `batches` batches is stored, exactly (read page by page)."""
    expected = {
        (e["entityPropertyReference"]["propertyName"], v["time"]): v["value"]
        for number in range(batches)
        for e in batch(number)
        for v in e["propertyValues"]
    }
    found: dict[tuple[str, str], Any] = {}
    more: dict[str, Any] = {}
    while True:
        page = client.get_property_value_history(**history_request(**more))
        for history in page["propertyValues"]:
            name = history["entityPropertyReference"]["propertyName"]
            found.update({(name, v["time"]): v["value"] for v in history["values"]})
        if "nextToken" not in page:
            break
        more = {"nextToken": page["nextToken"]}
    assert {k: found[k] for k in expected} == expected, "a written value is missing or wrong"


def captured(client: Any, operation: str, call: Any) -> tuple[int, dict[str, str], bytes]:
    """The response of `call()` exactly as botocore receives it from the emulator."""
    seen: list[tuple[int, dict[str, str], bytes]] = []

    def grab(response_dict: dict[str, Any], **_: Any) -> None:
        seen.append(
            (response_dict["status_code"], dict(response_dict["headers"]), response_dict["body"])
        )

    event = f"before-parse.iottwinmaker.{operation}"
    client.meta.events.register(event, grab, unique_id="grab")
    call()
    client.meta.events.unregister(event, unique_id="grab")
    return seen[0]


def table(rows: list[tuple[Row, int]], floor: Row) -> str:
    lines = [
        "| row | measurement | µs/value, GC on (median) | µs/value, GC off | values/s, GC on "
        "| ÷ (r0) parse floor per value, GC on [off] | callsxreps |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    floor_value = floor.median / PAGE
    floor_value_nogc = floor.median_nogc / PAGE
    for r, per in rows:
        value, value_nogc = r.median / per, r.median_nogc / per
        lines.append(
            f"| {r.id} | {r.label} | **{value * 1e6:.2f}** | {value_nogc * 1e6:.2f} "
            f"| **{1 / value:,.0f}** | {value / floor_value:.2f}x "
            f"[{value_nogc / floor_value_nogc:.2f}x] | {r.number}x{len(r.times)} |"
        )
    return "\n".join(lines)


def main() -> None:
    args = options(__doc__, profile="the handler (r3)")

    t_start = time.perf_counter_ns()
    load0 = preamble(args)

    twin = twinkit.local.Emulator(clock=ManualClock())
    client = build(twin)
    batches = [batch(n) for n in range(4000)]  # 400,000 distinct instants to write at
    for number in range(100):  # 10,000 values to read from
        assert (
            client.batch_put_property_values(workspaceId=WS, entries=batches[number])[
                "errorEntries"
            ]
            == []
        )
    check_written(client, 100)
    next_batch = itertools.cycle(range(100, len(batches)))

    def write() -> Any:
        return client.batch_put_property_values(workspaceId=WS, entries=batches[next(next_batch)])

    status, headers, put_body = captured(client, "BatchPutPropertyValues", write)
    assert json.loads(put_body) == {"errorEntries": []}
    put_canned = canned_client(status, headers, put_body)

    def write_floor() -> Any:
        return put_canned.batch_put_property_values(workspaceId=WS, entries=batches[100])

    request = history_request()

    def read() -> Any:
        return client.get_property_value_history(**request)

    status, headers, body = captured(client, "GetPropertyValueHistory", read)
    read_canned = canned_client(status, headers, body)
    shape = (
        botocore.session.get_session()
        .get_service_model("iottwinmaker")
        .operation_model("GetPropertyValueHistory")
        .output_shape
    )
    parser = botocore.parsers.create_parser("rest-json")

    def parse() -> Any:
        return parser.parse(
            {"status_code": 200, "headers": HeadersDict(headers), "body": body}, shape
        )

    def read_floor() -> Any:
        return read_canned.get_property_value_history(**request)

    wire = {k: v for k, v in request.items() if k != "workspaceId"}
    handler_request = HttpRequest(
        method="POST",
        path=f"/workspaces/{WS}/entity-properties/history",
        headers={"Content-Type": "application/json"},
        body=json.dumps(wire).encode(),
    )

    def handler() -> Any:
        return twin.handle(handler_request)

    r1, r2, r0 = read(), read_floor(), parse()
    for answer in (r1, r2, r0):
        answer.pop("ResponseMetadata", None)
    assert r1 == r2 == r0, "the rows do not answer the same history page"
    assert sum(len(h["values"]) for h in r1["propertyValues"]) == PAGE
    assert handler().body == body
    print(
        f"Writes: {VALUES_PER_CALL} values per call (10 entries x 10), each call at new instants "
        f"(checked: 10,000 written values read back exactly). Reads: one page of {PAGE} values "
        f"(10 series x 20), body {len(body):,} bytes (checked: (r1) == (r2) == (r0)).\n",
        flush=True,
    )

    print("timing ...", file=sys.stderr)
    r, m = args.reps, args.min_time
    w1 = bench(
        "(w1)",
        "boto3 `batch_put_property_values` 10x10, in-process emulator",
        write,
        reps=r,
        min_time=m,
        per=VALUES_PER_CALL,
        unit="value",
    )
    w0 = bench(
        "(w0)",
        "same call, canned response (botocore's whole stack)",
        write_floor,
        reps=r,
        min_time=m,
        per=VALUES_PER_CALL,
        unit="value",
    )
    rr1 = bench(
        "(r1)",
        f"boto3 `get_property_value_history`, {PAGE}-value page, in-process",
        read,
        reps=r,
        min_time=m,
        per=PAGE,
        unit="value",
    )
    rr0 = bench(
        "(r0)",
        "botocore `RestJSONParser.parse` of that body (the parse floor)",
        parse,
        reps=r,
        min_time=m,
        per=PAGE,
        unit="value",
    )
    rr2 = bench(
        "(r2)",
        "same history call, canned body (botocore's whole stack)",
        read_floor,
        reps=r,
        min_time=m,
        per=PAGE,
        unit="value",
    )
    rr3 = bench(
        "(r3)",
        "`Emulator.handle(request)` for that page alone",
        handler,
        reps=r,
        min_time=m,
        per=PAGE,
        unit="value",
    )
    load1 = os.getloadavg()[0]

    rows = [(w1, VALUES_PER_CALL), (w0, VALUES_PER_CALL)] + [
        (x, PAGE) for x in (rr1, rr0, rr2, rr3)
    ]
    print(table(rows, rr0))
    print()
    print(
        f"Values written per second, in-process: {VALUES_PER_CALL / w1.median:,.0f} "
        f"[GC off {VALUES_PER_CALL / w1.median_nogc:,.0f}]; the same calls on the canned floor: "
        f"{VALUES_PER_CALL / w0.median:,.0f} ({w1.median / w0.median:.2f}x the floor's time)."
    )
    print(
        f"History values read per second, in-process: {PAGE / rr1.median:,.0f} "
        f"[GC off {PAGE / rr1.median_nogc:,.0f}]; botocore's parse alone: "
        f"{PAGE / rr0.median:,.0f} values/s. (r1)/(r0) = {rr1.median / rr0.median:.2f}x "
        f"[GC off {rr1.median_nogc / rr0.median_nogc:.2f}x]; (r1)/(r2) = "
        f"{rr1.median / rr2.median:.2f}x; the emulator's own share (r3)/(r1) = "
        f"{rr3.median / rr1.median:.0%}."
    )
    print(
        f"Run: {(time.perf_counter_ns() - t_start) / 1e9:.0f} s; load average before/after "
        f"{load0:.2f}/{load1:.2f}."
    )
    if args.profile:
        print()
        print(profile("(r3) Emulator.handle(GetPropertyValueHistory)", handler, 300, 25))


if __name__ == "__main__":
    main()
