#!/usr/bin/env python3
"""What the in-process emulator costs per call, against botocore's own floor.

Builds, in a `twinkit.local` emulator, a realistic entity with 10 components (10 component
types, 4 of them extending a common base; 3-5 properties each: strings, doubles, integers,
booleans, lists, maps, time series stored externally), then times in one run:

  (a) `client.get_entity(...)` on a real boto3 client from `twinkit.local.emulator().client()`:
      botocore's whole stack, answered in-process by the emulator;
  (b) the floor: the same call on a boto3 client whose `before-send.iottwinmaker` handler
      returns a canned `AWSResponse` carrying the exact response (status, headers, body)
      captured once from the emulator: botocore's whole stack, no emulator work;
  (c) `twinkit.TwinMaker(client=...).get_entity(...)`, the typed client, on the emulator
      (c1) and on the canned stub (c2), each over its own boto3 client;
  (d) the emulator's handler alone, `Emulator.handle(request)` for the same HTTP request
      (routing, validation, the backend, JSON): the emulator's share of (a) without botocore;
  (e) (b) with `Emulator.handle(request)` called inside its `before-send` handler (result
      discarded): the emulator's work inside botocore's stack without the in-process
      transport's glue, so (a) - (e) is that glue and (e) - (b) - (d) is what running the
      handler costs botocore's code around it (caches, allocator).

The harness is the one of /work/shared/perf_baselines.py and benchmarks/bench_wire.py: each
repetition times a loop of calls lasting at least `--min-time` seconds and reports the mean
per call; every figure is the median over `--reps` repetitions, taken with the GC enabled (as
in real use) and with the GC disabled during the loop (intrinsic cost), interleaved rep by rep,
`gc.collect()` before each. Ratios are only taken between rows of this run.

Before timing, it checks once that every row answers the same thing: (a) == (b) == (e) (less
botocore's `ResponseMetadata`), (c1) == (c2), the typed model unstructures to (a), and (d)'s
body is the canned one.

    python benchmarks/bench_emulator.py            # ~45 s: 9 reps of >= 0.25 s per row
    python benchmarks/bench_emulator.py --quick    # ~5 s smoke run, not figures to quote
    python benchmarks/bench_emulator.py --profile  # also cProfile the handler (d)

Needs only twinkit (imported from this checkout) and boto3; no network, no credentials.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from _harness import Row, bench, options, preamble, profile
from _harness import canned_client as harness_canned_client

import twinkit
import twinkit.local
from twinkit.local import HttpRequest, ManualClock
from twinkit.wire import converter

WS = "CookieFactory"
ENTITY_ID = "Mixer_0_cd81d9fd-3f74-437a-802b-9747ff240837"
ROLE = "arn:aws:iam::123456789012:role/TwinMakerWorkspaceRole"
READER = {"lambda": {"arn": "arn:aws:lambda:us-east-1:123456789012:function:readTimeSeries"}}

# --------------------------------------------------------------------------------------
# The entity: 10 components of 10 types (deterministic)
# --------------------------------------------------------------------------------------


def _prop(kind: str, **flags: Any) -> dict[str, Any]:
    return {"dataType": {"type": kind}, **flags}


def _series(kind: str = "DOUBLE", unit: str | None = None) -> dict[str, Any]:
    data_type: dict[str, Any] = {"type": kind}
    if unit is not None:
        data_type["unitOfMeasure"] = unit
    return {"dataType": data_type, "isTimeSeries": True, "isStoredExternally": True}


EQUIPMENT = {
    "manufacturer": {**_prop("STRING"), "defaultValue": {"stringValue": "ACME"}},
    "serialNumber": _prop("STRING", isRequiredInEntity=True, isExternalId=True),
}
TYPES: dict[str, dict[str, Any]] = {
    "com.example.equipment": {"propertyDefinitions": EQUIPMENT},
    "com.example.motor": {
        "extendsFrom": ["com.example.equipment"],
        "propertyDefinitions": {
            "ratedPowerKw": _prop("DOUBLE"),
            "running": {**_prop("BOOLEAN"), "defaultValue": {"booleanValue": False}},
            "rpm": _series(unit="rpm"),
        },
        "functions": {"dataReader": {"implementedBy": READER}},
    },
    "com.example.pump": {
        "extendsFrom": ["com.example.equipment"],
        "propertyDefinitions": {
            "maxPressureBar": _prop("DOUBLE"),
            "flowRate": _series(unit="l/min"),
        },
        "functions": {"dataReader": {"implementedBy": READER}},
    },
    "com.example.gearbox": {
        "extendsFrom": ["com.example.equipment"],
        "propertyDefinitions": {"ratio": _prop("DOUBLE"), "oilType": _prop("STRING")},
    },
    "com.example.sensor.temperature": {
        "extendsFrom": ["com.example.equipment"],
        "propertyDefinitions": {
            "unit": {
                "dataType": {
                    "type": "STRING",
                    "allowedValues": [{"stringValue": "C"}, {"stringValue": "F"}],
                },
                "defaultValue": {"stringValue": "C"},
            },
            "thresholdHigh": _prop("DOUBLE"),
            "temperature": _series(unit="C"),
        },
        "functions": {"dataReader": {"implementedBy": READER}},
    },
    "com.example.sensor.vibration": {
        "propertyDefinitions": {
            "axis": _prop("STRING"),
            "thresholdMm": _prop("DOUBLE"),
            "vibration": _series(unit="mm/s"),
        },
        "functions": {"dataReader": {"implementedBy": READER}},
    },
    "com.example.location": {
        "propertyDefinitions": {
            "building": _prop("STRING"),
            "floor": _prop("INTEGER"),
            "coordinates": {"dataType": {"type": "LIST", "nestedType": {"type": "DOUBLE"}}},
        },
    },
    "com.example.maintenance": {
        "propertyDefinitions": {
            "lastServiceDate": _prop("STRING"),
            "intervalDays": _prop("INTEGER"),
            "operatingHours": _prop("LONG"),
            "notes": _prop("STRING"),
        },
    },
    "com.example.alarm": {
        "propertyDefinitions": {
            "severity": _prop("INTEGER"),
            "enabled": _prop("BOOLEAN"),
            "thresholds": {"dataType": {"type": "MAP", "nestedType": {"type": "DOUBLE"}}},
            "alarmStatus": _series("STRING"),
        },
        "functions": {"dataReader": {"implementedBy": READER}},
    },
    "com.example.document": {
        "propertyDefinitions": {
            "url": _prop("STRING"),
            "tags": {"dataType": {"type": "LIST", "nestedType": {"type": "STRING"}}},
            "pages": _prop("INTEGER"),
        },
    },
}


def _values(**values: dict[str, Any]) -> dict[str, Any]:
    return {name: {"value": value} for name, value in values.items()}


def _s(text: str) -> dict[str, Any]:
    return {"stringValue": text}


def _d(number: float) -> dict[str, Any]:
    return {"doubleValue": number}


def _i(number: int) -> dict[str, Any]:
    return {"integerValue": number}


COMPONENTS: dict[str, tuple[str, dict[str, Any]]] = {
    "motor": ("com.example.motor", _values(
        serialNumber=_s("MTR-2291-A"), manufacturer=_s("Siemens"), ratedPowerKw=_d(37.5),
        running={"booleanValue": True})),
    "pump": ("com.example.pump", _values(serialNumber=_s("PMP-0042"), maxPressureBar=_d(16.0))),
    "gearbox": ("com.example.gearbox", _values(
        serialNumber=_s("GBX-7781"), ratio=_d(12.5), oilType=_s("ISO VG 220"))),
    "inletTemperature": ("com.example.sensor.temperature", _values(
        serialNumber=_s("TMP-1001"), thresholdHigh=_d(85.0))),
    "outletTemperature": ("com.example.sensor.temperature", _values(
        serialNumber=_s("TMP-1002"), unit=_s("F"), thresholdHigh=_d(190.0))),
    "vibration": ("com.example.sensor.vibration", _values(axis=_s("XYZ"), thresholdMm=_d(7.1))),
    "location": ("com.example.location", _values(
        building=_s("B2"), floor=_i(1),
        coordinates={"listValue": [_d(47.6062), _d(-122.3321), _d(12.0)]})),
    "maintenance": ("com.example.maintenance", _values(
        lastServiceDate=_s("2026-09-14"), intervalDays=_i(90),
        operatingHours={"longValue": 18_342}, notes=_s("bearing replaced"))),
    "alarm": ("com.example.alarm", _values(
        severity=_i(2), enabled={"booleanValue": True},
        thresholds={"mapValue": {"warning": _d(75.0), "critical": _d(90.0)}})),
    "manual": ("com.example.document", _values(
        url=_s("s3://cookiefactory-docs/mixer/manual.pdf"),
        tags={"listValue": [_s("mixer"), _s("manual"), _s("en")]}, pages=_i(212))),
}  # fmt: skip


def build(twin: twinkit.local.Emulator, clock: ManualClock) -> None:
    """The workspace, the 10 component types and the entity, settled (ACTIVE)."""
    client = twin.client()
    client.create_workspace(workspaceId=WS, role=ROLE)
    for type_id, members in TYPES.items():
        client.create_component_type(workspaceId=WS, componentTypeId=type_id, **members)
    client.create_entity(workspaceId=WS, entityId="Mixers", entityName="Mixers")
    client.create_entity(
        workspaceId=WS,
        entityId=ENTITY_ID,
        entityName="Mixer_0",
        description="Dough mixer, line 1",
        parentEntityId="Mixers",
        components={
            name: {"componentTypeId": type_id, "properties": properties}
            for name, (type_id, properties) in COMPONENTS.items()
        },
    )
    clock.advance(60)
    client.close()


# --------------------------------------------------------------------------------------
# The floor: a boto3 client answered with canned bytes
# --------------------------------------------------------------------------------------


@dataclass
class Captured:
    status: int
    headers: dict[str, str]
    body: bytes


def capture(client: Any) -> Captured:
    """The GetEntity response exactly as botocore receives it from the emulator (one call)."""
    seen: list[Captured] = []

    def grab(response_dict: dict[str, Any], **_: Any) -> None:
        seen.append(
            Captured(
                response_dict["status_code"],
                dict(response_dict["headers"]),
                bytes(response_dict["body"]),
            )
        )

    client.meta.events.register("before-parse.iottwinmaker.GetEntity", grab, unique_id="grab")
    client.get_entity(workspaceId=WS, entityId=ENTITY_ID)
    client.meta.events.unregister("before-parse.iottwinmaker.GetEntity", unique_id="grab")
    (captured,) = seen
    return captured


def canned_client(
    twin: twinkit.local.Emulator, response: Captured, also: Callable[[], object] | None = None
) -> Any:
    """A boto3 client answered by the canned response (`also` runs before each answer)."""
    return harness_canned_client(
        response.status, response.headers, response.body, region=twin.region, also=also
    )


# --------------------------------------------------------------------------------------
# Timing harness (as perf_baselines.py's `bench`)
# --------------------------------------------------------------------------------------


def table(rows: list[tuple[Row, Row | None]], floor: Row) -> str:
    lines = [
        "| row | measurement | µs/call, GC on (median) | min-max | µs/call, GC off "
        "| calls/s, GC on | calls/s, GC off | ÷ (b), GC on | ÷ (b), GC off "
        "| ÷ raw boto3 call, same backend | callsxreps |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r, raw in rows:
        same = (
            "-"
            if raw is None
            else f"{r.median / raw.median:.2f}x [GC off {r.median_nogc / raw.median_nogc:.2f}x]"
        )
        lines.append(
            f"| {r.id} | {r.label} | **{r.median * 1e6:.1f}** "
            f"| {min(r.times) * 1e6:.1f}-{max(r.times) * 1e6:.1f} | {r.median_nogc * 1e6:.1f} "
            f"| **{1 / r.median:,.0f}** | {1 / r.median_nogc:,.0f} "
            f"| **{r.median / floor.median:.2f}x** | {r.median_nogc / floor.median_nogc:.2f}x "
            f"| {same} | {r.number}x{len(r.times)} |"
        )
    return "\n".join(lines)


# --------------------------------------------------------------------------------------


def main() -> None:
    args = options(__doc__, profile="the handler (d)")

    t_start = time.perf_counter_ns()
    load0 = preamble(args)

    clock = ManualClock()
    twin = twinkit.local.Emulator(clock=clock)
    build(twin, clock)
    emulated = twin.client()
    response = capture(emulated)
    canned = canned_client(twin, response)
    typed_emulated = twinkit.TwinMaker(client=twin.client())
    typed_canned = twinkit.TwinMaker(client=canned_client(twin, response))
    request = HttpRequest(
        method="GET",
        path=f"/workspaces/{WS}/entities/{ENTITY_ID}",
        headers={"Host": "api.iottwinmaker.us-east-1.amazonaws.com"},
    )
    canned_and_handler = canned_client(twin, response, also=lambda: twin.handle(request))

    def raw_emulated() -> Any:
        return emulated.get_entity(workspaceId=WS, entityId=ENTITY_ID)

    def raw_canned() -> Any:
        return canned.get_entity(workspaceId=WS, entityId=ENTITY_ID)

    def typed_on_emulator() -> Any:
        return typed_emulated.get_entity(workspace_id=WS, entity_id=ENTITY_ID)

    def typed_on_canned() -> Any:
        return typed_canned.get_entity(workspace_id=WS, entity_id=ENTITY_ID)

    def handler_alone() -> Any:
        return twin.handle(request)

    def raw_canned_and_handler() -> Any:
        return canned_and_handler.get_entity(workspaceId=WS, entityId=ENTITY_ID)

    # Every row answers the same thing.
    a = raw_emulated()
    a.pop("ResponseMetadata")
    b = raw_canned()
    b.pop("ResponseMetadata")
    assert a == b, "the canned response differs from the emulator's"
    e = raw_canned_and_handler()
    e.pop("ResponseMetadata")
    assert e == a
    assert a["status"]["state"] == "ACTIVE"
    assert len(a["components"]) == 10
    model = typed_on_emulator()
    assert model == typed_on_canned()
    assert converter.unstructure(model) == a, "the typed model does not round-trip"
    handled = handler_alone()
    assert (handled.status, handled.body) == (response.status, response.body)
    properties = sum(len(c["properties"]) for c in a["components"].values())
    valued = sum(
        1 for c in a["components"].values() for p in c["properties"].values() if "value" in p
    )
    print(
        f"Entity: 10 components of 10 types (4 extend a base), {properties} properties "
        f"({valued} with a value); GetEntity body {len(response.body):,} bytes; checked: "
        "(a) == (b) == (e), (c1) == (c2) == structure(a), (d)'s body == the canned one\n",
        flush=True,
    )

    print("timing (a)-(e) ...", file=sys.stderr)
    r, m = args.reps, args.min_time
    ra = bench("(a)", "boto3 `get_entity`, in-process emulator", raw_emulated, reps=r, min_time=m)
    rb = bench(
        "(b)",
        "boto3 `get_entity`, canned `before-send` response (floor)",
        raw_canned,
        reps=r,
        min_time=m,
    )
    rc1 = bench(
        "(c1)", "`TwinMaker.get_entity`, in-process emulator", typed_on_emulator, reps=r, min_time=m
    )
    rc2 = bench(
        "(c2)", "`TwinMaker.get_entity`, canned response", typed_on_canned, reps=r, min_time=m
    )
    rd = bench(
        "(d)", "`Emulator.handle(request)` alone (no botocore)", handler_alone, reps=r, min_time=m
    )
    re_ = bench("(e)", "(b) + `Emulator.handle(request)` in its `before-send` handler",
                raw_canned_and_handler, reps=r, min_time=m)  # fmt: skip
    load1 = os.getloadavg()[0]

    print(table([(ra, None), (rb, None), (rc1, ra), (rc2, rb), (rd, None), (re_, None)], rb))
    print()
    extra, extra_nogc = ra.median - rb.median, ra.median_nogc - rb.median_nogc
    print(
        f"In-process GetEntity: {1 / ra.median:,.0f} calls/s [GC off {1 / ra.median_nogc:,.0f}]; "
        f"the floor: {1 / rb.median:,.0f} calls/s [GC off {1 / rb.median_nogc:,.0f}]. "
        f"(a)/(b) in time per call: {ra.median / rb.median:.2f}x "
        f"[GC off {ra.median_nogc / rb.median_nogc:.2f}x]."
    )
    glue, glue_nogc = ra.median - re_.median, ra.median_nogc - re_.median_nogc
    print(
        f"The emulator adds (a)-(b) = {extra * 1e6:.0f} µs per call "
        f"[GC off {extra_nogc * 1e6:.0f}]: its handler alone (d) {rd.median * 1e6:.0f} µs "
        f"[{rd.median_nogc * 1e6:.0f}]; the in-process transport's glue (a)-(e) "
        f"{glue * 1e6:.0f} µs [{glue_nogc * 1e6:.0f}]; the rest, (e)-(b)-(d) = "
        f"{(re_.median - rb.median - rd.median) * 1e6:.0f} µs "
        f"[{(re_.median_nogc - rb.median_nogc - rd.median_nogc) * 1e6:.0f}], is botocore and "
        "the handler slowing each other down when interleaved (CPU caches, allocator), not "
        "code of either."
    )
    print(
        f"Typed client ÷ raw boto3 call: on the emulator {rc1.median / ra.median:.2f}x "
        f"[GC off {rc1.median_nogc / ra.median_nogc:.2f}x], on the canned stub "
        f"{rc2.median / rb.median:.2f}x [GC off {rc2.median_nogc / rb.median_nogc:.2f}x]."
    )
    print(
        f"Run: {(time.perf_counter_ns() - t_start) / 1e9:.0f} s; load average before/after "
        f"{load0:.2f}/{load1:.2f}."
    )
    if args.profile:
        print()
        print(profile("(d) Emulator.handle(GetEntity)", handler_alone, 500, 25))


if __name__ == "__main__":
    main()
