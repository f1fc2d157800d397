#!/usr/bin/env python3
"""Cost of twinkit's wire conversion, per history value, against botocore's own parse.

Builds a GetPropertyValueHistory JSON response body as the service returns it (10 property
series x 1,000 values = 10,000 values; every value `{"time": <ISO 8601, 9 fraction digits>,
"value": {"doubleValue": ...}}`, every series with its `entityPropertyReference`, and a
`nextToken`), then times in one run:

  (a) botocore's RestJSON parse of that body for the operation's output shape (the
      denominator: what every boto3 call already pays);
  (b) `twinkit.wire.converter.structure(parsed, GetPropertyValueHistoryResponse)`;
  (c) `twinkit.wire.converter.unstructure(model)` back to boto3's dict;
  (d) (b) and (c) in one call: structure, then unstructure the result.

The harness is the one of /work/shared/perf_baselines.py: each repetition times a loop of
calls lasting at least `--min-time` seconds and reports the mean per call; every figure is
the median over `--reps` repetitions, taken with the GC enabled (as in real use) and with
the GC disabled during the loop (intrinsic cost), interleaved rep by rep, `gc.collect()`
before each. The parsed dict and one structured model stay alive throughout, so every row
runs with the same live heap. Ratios are only taken between rows of this run.

Before timing, it checks once that the conversion is faithful:
`unstructure(structure(parsed)) == parsed` (less botocore's `ResponseMetadata`), with the
same JSON types, and that botocore's parse equals `json.loads(body)`.

    python benchmarks/bench_wire.py            # ~40 s: 11 reps of >= 0.3 s per row
    python benchmarks/bench_wire.py --quick    # ~5 s smoke run, not figures to quote
    python benchmarks/bench_wire.py --profile  # also cProfile (b) and (c), top functions

Needs only twinkit (imported from this checkout) and botocore; no network, no credentials.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any

import botocore
import botocore.loaders
import botocore.model
import botocore.parsers
from _harness import Row, bench, options, preamble, profile
from botocore.awsrequest import HeadersDict

from twinkit.models import GetPropertyValueHistoryResponse
from twinkit.wire import converter

# --------------------------------------------------------------------------------------
# The response body (deterministic)
# --------------------------------------------------------------------------------------

SERIES = 10
PER_SERIES = 1_000
BASE_NS = 1_767_225_600_123_456_789  # 2026-01-01T00:00:00.123456789Z
STEP_NS = 1_000_000_007  # ~1 s apart; every time string distinct, 9 fraction digits
PROPERTIES = (
    "temperature", "rpm", "powerKw", "vibration", "pressure",
    "humidity", "flowRate", "torque", "voltage", "current",
)  # fmt: skip


def iso_ns(ns: int) -> str:
    """`2026-01-01T00:00:00.123456789Z`: TwinMaker's `Time` string (30 characters)."""
    sec, frac = divmod(ns, 1_000_000_000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(sec)) + f".{frac:09d}Z"


def reading(series: int, i: int) -> float:
    """A sensor-like double with up to 3 decimals (e.g. 21.387), varying value to value."""
    return round(20.0 + series + ((i * 7919 + series * 104_729) % 10_000) / 1_000.0, 3)


def history_body(series: int = SERIES, per_series: int = PER_SERIES) -> bytes:
    doc: dict[str, Any] = {
        "propertyValues": [
            {
                "entityPropertyReference": {
                    "componentName": "MixerComponent",
                    "entityId": f"Mixer_{s}_cd81d9fd-3f74-437a-802b-9747ff240837",
                    "propertyName": PROPERTIES[s % len(PROPERTIES)],
                },
                "values": [
                    {
                        "time": iso_ns(BASE_NS + i * STEP_NS),
                        "value": {"doubleValue": reading(s, i)},
                    }
                    for i in range(per_series)
                ],
            }
            for s in range(series)
        ],
        "nextToken": "AYADeJ2n7Bx9kQ1c0UfQ3w4xXz5dYmPage2Token",
    }
    return json.dumps(doc, separators=(",", ":")).encode()  # AWS sends compact JSON


def response_headers(body: bytes) -> dict[str, str]:
    return {
        "date": "Thu, 01 Jan 2026 00:00:00 GMT",
        "content-type": "application/json",
        "content-length": str(len(body)),
        "x-amzn-requestid": "4f3c8f21-0d0e-4a8b-9a57-6c4e1f0b2a11",
        "connection": "keep-alive",
    }


def output_shape() -> botocore.model.Shape:
    """GetPropertyValueHistory's output shape, from botocore's bundled service model."""
    loader = botocore.loaders.Loader()
    model = botocore.model.ServiceModel(
        loader.load_service_model("iottwinmaker", "service-2"), service_name="iottwinmaker"
    )
    shape = model.operation_model("GetPropertyValueHistory").output_shape
    assert shape is not None
    return shape


# --------------------------------------------------------------------------------------
# Timing harness (as perf_baselines.py's `bench`)
# --------------------------------------------------------------------------------------


def table(rows: list[Row], ref: Row, n: int) -> str:
    lines = [
        "| row | measurement | µs/value, GC on (median) | min-max | µs/value, GC off "
        "| ÷ (a), GC on | ÷ (a), GC off | ms/call | callsxreps |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        per = 1e6 / n
        lines.append(
            f"| {r.id} | {r.label} | **{r.median * per:.3f}** "
            f"| {min(r.times) * per:.3f}-{max(r.times) * per:.3f} | {r.median_nogc * per:.3f} "
            f"| **{r.median / ref.median:.2f}x** | {r.median_nogc / ref.median_nogc:.2f}x "
            f"| {r.median * 1e3:.2f} | {r.number}x{len(r.times)} |"
        )
    return "\n".join(lines)


# --------------------------------------------------------------------------------------


def check_faithful(body: bytes, parsed: dict[str, Any], model: Any) -> None:
    """unstructure(structure(parsed)) == parsed, with the same JSON types; parse == json."""
    wire = {k: v for k, v in parsed.items() if k != "ResponseMetadata"}
    assert wire == json.loads(body), "botocore's parse differs from the body"
    back = converter.unstructure(model)
    assert back == wire, "unstructure(structure(parsed)) != parsed"
    # == says 1 == 1.0 and ignores order of keys: compare the JSON text as well
    assert json.dumps(back, sort_keys=True) == json.dumps(wire, sort_keys=True)
    assert isinstance(model, GetPropertyValueHistoryResponse)
    assert len(model.property_values) == SERIES
    assert all(h.values is not None and len(h.values) == PER_SERIES for h in model.property_values)
    first = model.property_values[0]
    assert first.values is not None
    assert first.values[1].value.double_value == reading(0, 1)
    assert first.values[1].time == iso_ns(BASE_NS + STEP_NS)
    assert first.entity_property_reference.property_name == PROPERTIES[0]


def main() -> None:
    args = options(__doc__, reps=11, min_time=0.3, profile="(b) and (c)")

    t_start = time.perf_counter_ns()
    load0 = preamble(args)

    shape = output_shape()
    parser = botocore.parsers.create_parser("rest-json")
    body = history_body()
    n = SERIES * PER_SERIES
    headers = response_headers(body)

    def parse() -> dict[str, Any]:
        response = {"status_code": 200, "headers": HeadersDict(headers), "body": body}
        result: dict[str, Any] = parser.parse(response, shape)
        return result

    def structure() -> Any:
        return converter.structure(parsed, GetPropertyValueHistoryResponse)

    def unstructure() -> Any:
        return converter.unstructure(model)

    def round_trip() -> Any:
        return converter.unstructure(converter.structure(parsed, GetPropertyValueHistoryResponse))

    parsed = parse()
    model = structure()
    check_faithful(body, parsed, model)
    print(
        f"Body: {SERIES} series x {PER_SERIES:,} values = {n:,} values, {len(body):,} bytes; "
        f"checked: unstructure(structure(parsed)) == parsed (less ResponseMetadata)\n",
        flush=True,
    )

    print("timing (a)-(d) ...", file=sys.stderr)
    r, m = args.reps, args.min_time
    timing = {"reps": r, "min_time": m, "per": n, "unit": "value"}
    a = bench("(a) parse", "botocore `RestJSONParser.parse(response, output_shape)`",
              parse, **timing)  # fmt: skip
    b = bench("(b) structure", "`converter.structure(parsed, GetPropertyValueHistoryResponse)`",
              structure, **timing)  # fmt: skip
    c = bench("(c) unstructure", "`converter.unstructure(model)`", unstructure, **timing)
    d = bench("(d) (b)+(c)", "structure, then unstructure the result", round_trip, **timing)
    load1 = os.getloadavg()[0]

    print(table([a, b, c, d], a, n))
    print()
    print(
        f"Structuring boto3's parsed dict would make a typed call 1 + (b)÷(a) = "
        f"{1 + b.median / a.median:.2f}x the raw one "
        f"[GC off {1 + b.median_nogc / a.median_nogc:.2f}x]; "
        "twinkit's client does not do that: it decodes the body itself, in place of botocore's "
        "parse (see bench_client.py for the typed call ÷ raw call)."
    )
    print(
        f"Sum of the separately timed (b)+(c): {(b.median + c.median) / n * 1e6:.3f} µs/value "
        f"[GC off {(b.median_nogc + c.median_nogc) / n * 1e6:.3f}] vs (d) measured "
        f"{d.median / n * 1e6:.3f} [{d.median_nogc / n * 1e6:.3f}]."
    )
    print(
        f"Run: {(time.perf_counter_ns() - t_start) / 1e9:.0f} s; load average before/after "
        f"{load0:.2f}/{load1:.2f}."
    )
    if args.profile:
        print()
        print(profile("(b) structure", structure, 3, 12))
        print(profile("(c) unstructure", unstructure, 3, 8))


if __name__ == "__main__":
    main()
