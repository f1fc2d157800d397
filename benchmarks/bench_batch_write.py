#!/usr/bin/env python3
"""Batch writes over HTTP: `ws.put_values` ÷ a naive sequential boto3 loop, in one run.

An emulator server runs in its own process (`python -m twinkit.local --latency-ms 20`), as the
service runs elsewhere: every answer waits 20 ms, like a round trip to a region. One workspace
holds 5 entities whose component has 10 time-series DOUBLE properties: 50 properties, 2,000
values each, 100,000 values in all (int nanosecond times, float values). Each repetition
writes them at new instants:

  (naive)   the loop a user writes with boto3: chunks of 10 entries x 10 values (the API's
            limit), one `batch_put_property_values` call after the other, times formatted
            with `twinkit.values.format_time`;
  (twinkit) `ws.put_values({entity: {"s": {property: pairs}}})` with default settings
            (`max_concurrency` = the client's `max_pool_connections`, 10).

Both sides use boto3 clients configured alike (standard retries, 10 pooled connections) on the
same server. The goal (issue 11) is naive ÷ twinkit >= 6x. Before timing, one write of each
side is read back in full and compared, value by value, to what was given.

Each side is timed once per repetition (a run lasts seconds, so the harness's loop of calls
is not needed), alternating sides, with the GC on; the figure is the median.

    python benchmarks/bench_batch_write.py            # ~3 min
    python benchmarks/bench_batch_write.py --quick    # 1 rep of 10,000 values, a smoke run
"""

from __future__ import annotations

import gc
import os
import statistics
import subprocess
import sys
import time
from typing import Any

import boto3
from _harness import options, preamble
from botocore.config import Config

import twinkit
from twinkit import Component, DataTypes, PropertyDefinition
from twinkit.values import format_time, parse_time

WS = "factory"
ROLE = "arn:aws:iam::123456789012:role/twinmaker"
T0 = 1_767_225_600_123_456_789  # 2026-01-01T00:00:00.123456789Z
STEP = 1_000_000_007
ENTITIES = [f"pump-{n}" for n in range(5)]
PROPERTIES = [f"p{n}" for n in range(10)]
LATENCY_MS = 20


def start_server() -> tuple[subprocess.Popen[str], str]:
    command = [sys.executable, "-m", "twinkit.local", "--port", "0", "--quiet"]
    command += ["--latency-ms", str(LATENCY_MS)]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None
    url = server.stdout.readline().rsplit(" ", 1)[1].strip()
    return server, url


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used so far (Linux /proc)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def client(url: str) -> Any:
    session = boto3.session.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
    )
    config = Config(inject_host_prefix=False, retries={"mode": "standard"})
    return session.client("iottwinmaker", endpoint_url=url, config=config)


def build(tm: twinkit.TwinMaker) -> twinkit.resources.Workspace:
    ws = tm.workspaces.create(WS, role=ROLE)
    sensor = ws.component_types.create(
        "com.example.sensor",
        properties={p: PropertyDefinition(DataTypes.DOUBLE, time_series=True) for p in PROPERTIES},
    )
    for entity in ENTITIES:
        ws.entities.create(entity, entity_id=entity, components={"s": Component(sensor)})
    return ws


def values(run: int, per_property: int) -> dict[str, dict[str, dict[str, list[Any]]]]:
    """Run `run`'s values: instants no other run uses."""
    start = T0 + run * per_property * STEP * 2
    return {
        entity: {
            "s": {
                prop: [
                    (start + k * STEP + p, round(e + p / 10 + k / 8, 3))
                    for k in range(per_property)
                ]
                for p, prop in enumerate(PROPERTIES)
            }
        }
        for e, entity in enumerate(ENTITIES)
    }


def naive(raw: Any, data: dict[str, dict[str, dict[str, list[Any]]]]) -> None:
    """What a user writes by hand: 10 entries x 10 values a call, one call after the other."""
    entries = [
        {
            "entityPropertyReference": {
                "entityId": entity,
                "componentName": "s",
                "propertyName": prop,
            },
            "propertyValues": [
                {"time": format_time(t), "value": {"doubleValue": v}}
                for t, v in pairs[first : first + 10]
            ],
        }
        for entity, components in data.items()
        for prop, pairs in components["s"].items()
        for first in range(0, len(pairs), 10)
    ]
    for first in range(0, len(entries), 10):
        response = raw.batch_put_property_values(
            workspaceId=WS, entries=entries[first : first + 10]
        )
        assert not response["errorEntries"]


def twinkit_write(ws: Any, data: dict[str, dict[str, dict[str, list[Any]]]]) -> None:
    result = ws.put_values(data)
    assert result.ok, result.failed[:3]


def check(raw: Any, data: dict[str, dict[str, dict[str, list[Any]]]]) -> None:
    """Every value of `data` is stored, exactly."""
    for entity, components in data.items():
        for first in range(0, len(PROPERTIES), 10):
            wanted = {
                (prop, t): v
                for prop in PROPERTIES[first : first + 10]
                for t, v in components["s"][prop]
            }
            times = [t for _, t in wanted]
            found: dict[tuple[str, int], float] = {}
            token = None
            while True:
                more = {"nextToken": token} if token else {}
                page = raw.get_property_value_history(
                    workspaceId=WS,
                    entityId=entity,
                    componentName="s",
                    selectedProperties=PROPERTIES[first : first + 10],
                    startTime=format_time(min(times)),
                    endTime=format_time(max(times)),
                    maxResults=200,
                    **more,
                )
                for series in page["propertyValues"]:
                    prop = series["entityPropertyReference"]["propertyName"]
                    for value in series["values"]:
                        found[(prop, parse_time(value["time"]))] = value["value"]["doubleValue"]
                token = page.get("nextToken")
                if not token:
                    break
            assert found == wanted, f"{entity}: {len(found)} stored of {len(wanted)}"


def main() -> None:
    args = options(__doc__, reps=3, min_time=0.0)
    per_property = 200 if args.quick else 2_000
    if args.quick:
        args.reps = 1
    load_before = preamble(args)
    server, url = start_server()
    try:
        raw = client(url)
        ws = build(twinkit.TwinMaker(client=client(url)))
        total = per_property * len(PROPERTIES) * len(ENTITIES)
        print(f"server: {url}, {LATENCY_MS} ms injected latency; {total:,} values a write")
        run = 0
        for side in (lambda d: naive(raw, d), lambda d: twinkit_write(ws, d)):
            data = values(run, per_property)
            side(data)
            check(raw, data)
            run += 1
        timings: dict[str, list[float]] = {"naive": [], "twinkit": []}
        cpu: dict[str, list[tuple[float, float]]] = {"naive": [], "twinkit": []}
        for _ in range(args.reps):
            for name in ("naive", "twinkit"):
                data = values(run, per_property)
                run += 1
                gc.collect()
                ours, theirs = time.process_time(), cpu_seconds(server.pid)
                started = time.perf_counter()
                if name == "naive":
                    naive(raw, data)
                else:
                    twinkit_write(ws, data)
                timings[name].append(time.perf_counter() - started)
                cpu[name].append((time.process_time() - ours, cpu_seconds(server.pid) - theirs))
                print(
                    f"  {name:<8} {timings[name][-1]:7.2f} s; CPU client "
                    f"{cpu[name][-1][0]:.2f} s, server {cpu[name][-1][1]:.2f} s",
                    file=sys.stderr,
                )
        naive_s = statistics.median(timings["naive"])
        ours_s = statistics.median(timings["twinkit"])
        print()
        print("| side | median s | values/s | naive ÷ side | CPU s: client / server |")
        print("|---|---:|---:|---:|---:|")
        for key, name, seconds in (
            ("naive", "naive boto3 loop", naive_s),
            ("twinkit", "ws.put_values", ours_s),
        ):
            client_cpu = statistics.median(c for c, _ in cpu[key])
            server_cpu = statistics.median(s for _, s in cpu[key])
            print(
                f"| {name} | {seconds:.2f} | {total / seconds:,.0f} | {naive_s / seconds:.2f}x "
                f"| {client_cpu:.2f} / {server_cpu:.2f} |"
            )
        print()
        print(f"load average before {load_before:.2f}, after {os.getloadavg()[0]:.2f}")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
