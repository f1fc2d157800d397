#!/usr/bin/env python3
"""History -> DataFrame: twinkit's columnar reader ÷ raw boto3 paging + the usual hand loop.

Both sides read the same 100,000 values (10 time-series DOUBLE properties x 10,000 values,
nine-digit fraction times) from the same in-process `twinkit.local` emulator through a real
boto3 client, in pages of 200 (the API's largest):

  (a) raw boto3: `get_property_value_history` following `nextToken`, a loop appending each value's
      time string and double to per-property lists, then `pd.to_datetime(format="ISO8601",
      utc=True)` per property and `pd.DataFrame`;
  (b) twinkit: `entity.history("sensors", *properties, start=..., end=...).to_dataframe()`.

The goal (issue 11) is (b) ÷ (a) ≤ 0.3. Before timing, the script checks that both frames
hold the same values at the same nanoseconds. Then it iterates 1,000,000 history values
(10 x 100,000) as typed points under `tracemalloc` and reports the peak growth (goal < 50 MB).

    python benchmarks/bench_history.py            # ~3 min
    python benchmarks/bench_history.py --quick    # smoke run, not figures to quote
    python benchmarks/bench_history.py --no-memory  # the DataFrame figures only
"""

from __future__ import annotations

import gc
import json
import statistics
import subprocess
import sys
import time
import tracemalloc
from typing import Any

import boto3
import pandas as pd
from _harness import bench, options, preamble
from botocore.config import Config

import twinkit
import twinkit.local
from twinkit import Component, DataTypes, PropertyDefinition
from twinkit.local._protocol import HttpRequest
from twinkit.times import format_time

WS = "factory"
T0 = 1_767_225_600_123_456_789  # 2026-01-01T00:00:00.123456789Z
STEP = 1_000_000_007
SERIES = [f"sensor{n}" for n in range(10)]


def fill(twin: twinkit.local.Emulator, entity_id: str, per_series: int) -> None:
    """Write `per_series` values to every series, 10 x 10 per request, straight to the
    emulator's handler (the write path is not what is measured here)."""
    path = f"/workspaces/{WS}/entity-properties"
    for first in range(0, per_series, 10):
        for group in range(0, len(SERIES), 10):
            entries = [
                {
                    "entityPropertyReference": {
                        "entityId": entity_id,
                        "componentName": "sensors",
                        "propertyName": name,
                    },
                    "propertyValues": [
                        {
                            "time": format_time(T0 + (first + i) * STEP),
                            "value": {"doubleValue": round(20 + (first + i) * 0.01 + s, 3)},
                        }
                        for i in range(min(10, per_series - first))
                    ],
                }
                for s, name in enumerate(SERIES[group : group + 10])
            ]
            body = json.dumps({"entries": entries}).encode()
            answer = twin.handle(
                HttpRequest("POST", path, {}, {"Content-Type": "application/json"}, body)
            )
            assert answer.status == 200, answer.body[:300]
            assert b"errors" not in answer.body, answer.body[:300]


def raw_frame(client: Any, entity_id: str, start: str, end: str) -> pd.DataFrame:
    """(a): what a user writes with boto3 alone."""
    kwargs: dict[str, Any] = {
        "workspaceId": WS,
        "entityId": entity_id,
        "componentName": "sensors",
        "selectedProperties": SERIES,
        "startTime": start,
        "endTime": end,
        "maxResults": 200,
    }
    columns: dict[str, tuple[list[str], list[float]]] = {}
    while True:  # botocore has no paginator for this operation: follow nextToken
        page = client.get_property_value_history(**kwargs)
        for series in page["propertyValues"]:
            name = series["entityPropertyReference"]["propertyName"]
            times, values = columns.setdefault(name, ([], []))
            for value in series["values"]:
                times.append(value["time"])
                values.append(value["value"]["doubleValue"])
        if "nextToken" not in page:
            break
        kwargs["nextToken"] = page["nextToken"]
    return pd.DataFrame(
        {
            name: pd.Series(values, index=pd.to_datetime(times, format="ISO8601", utc=True))
            for name, (times, values) in columns.items()
        }
    )


def over_http(per_series: int, reps: int) -> None:
    """Part 2: the same read from `python -m twinkit.local --latency-ms 20` in another
    process, as a region is reached: every page waits 20 ms."""
    server = subprocess.Popen(
        [sys.executable, "-m", "twinkit.local", "--port", "0", "--quiet", "--latency-ms", "20"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().rsplit(" ", 1)[1].strip()
        session = boto3.session.Session(
            aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
        )
        config = Config(inject_host_prefix=False, retries={"mode": "standard"})
        client = session.client("iottwinmaker", endpoint_url=url, config=config)
        tm = twinkit.TwinMaker(
            client=session.client("iottwinmaker", endpoint_url=url, config=config)
        )
        ws = tm.workspaces.create(WS, role="arn:aws:iam::123456789012:role/twinmaker")
        sensors = ws.component_types.create(
            "com.example.sensors",
            properties={s: PropertyDefinition(DataTypes.DOUBLE, time_series=True) for s in SERIES},
        )
        mixer = ws.entities.create(
            "Mixer", entity_id="mixer", components={"sensors": Component(sensors)}
        )
        written = mixer.put_values(
            "sensors",
            {
                name: [(T0 + k * STEP, round(20 + k * 0.01 + s, 3)) for k in range(per_series)]
                for s, name in enumerate(SERIES)
            },
        )
        assert written.ok, written.failed[:3]
        start, end = format_time(T0), format_time(T0 + per_series * STEP)
        history = mixer.history("sensors", *SERIES, start=start, end=end)
        expected, got = raw_frame(client, "mixer", start, end), history.to_dataframe()
        assert (got.index.asi8 == expected.index.as_unit("ns").asi8).all()
        assert got.equals(expected.set_axis(got.index)), "the frames differ"
        sides = {
            "(a) raw boto3 paging + hand loop + `pd.DataFrame`": lambda: raw_frame(
                client, "mixer", start, end
            ),
            "(b) `history.to_dataframe()`, default (10 listings at once)": history.to_dataframe,
            "(b1) `history.to_dataframe(max_concurrency=1)`, one page after the other": (
                lambda: history.to_dataframe(max_concurrency=1)
            ),
        }
        seconds: dict[str, list[float]] = {label: [] for label in sides}
        for _ in range(reps):  # the sides alternate, rep by rep
            for label, side in sides.items():
                gc.collect()
                began = time.perf_counter()
                side()
                seconds[label].append(time.perf_counter() - began)
        n = per_series * len(SERIES)
        base = statistics.median(seconds[next(iter(sides))])
        print(f"\nOver HTTP, 20 ms per call, {n:,} values, median of {reps} reps:\n")
        print("| side | median s | µs/value | ÷ (a) |")
        print("|---|---:|---:|---:|")
        for label, times in seconds.items():
            median = statistics.median(times)
            print(f"| {label} | {median:.2f} | {median / n * 1e6:.1f} | **{median / base:.2f}x** |")
    finally:
        server.terminate()
        server.wait(10)


def main() -> None:
    memory = "--no-memory" not in sys.argv  # `--no-memory`: the DataFrame figures only
    if not memory:
        sys.argv.remove("--no-memory")
    http_only = "--http-only" in sys.argv  # `--http-only`: part 2 alone
    if http_only:
        sys.argv.remove("--http-only")
    args = options(__doc__)
    started = time.perf_counter()
    preamble(args)
    per_series = 10_000
    memory_per_series = 10_000 if args.quick else 100_000
    if http_only:
        over_http(1_000 if args.quick else per_series, 1 if args.quick else 3)
        return

    with twinkit.local.emulator(transition_delay=0) as twin:
        client = twin.client()
        tm = twinkit.TwinMaker(client=client)
        ws = tm.workspaces.create(WS)
        sensors = ws.component_types.create(
            "com.example.sensors",
            properties={s: PropertyDefinition(DataTypes.DOUBLE, time_series=True) for s in SERIES},
        )
        ws.entities.create("Mixer", entity_id="mixer", components={"sensors": Component(sensors)})
        ws.entities.create("Big", entity_id="big", components={"sensors": Component(sensors)})
        fill(twin, "mixer", per_series)
        start, end = format_time(T0), format_time(T0 + per_series * STEP)

        def raw() -> pd.DataFrame:
            return raw_frame(client, "mixer", start, end)

        mixer = ws.entities("mixer")
        history = mixer.history("sensors", *SERIES, start=start, end=end)

        def typed() -> pd.DataFrame:
            return history.to_dataframe()

        expected, got = raw(), typed()
        assert got.shape == (per_series, len(SERIES)), got.shape
        assert (got.index.asi8 == expected.index.as_unit("ns").asi8).all()
        assert got.equals(expected.set_axis(got.index)), "the frames differ"

        n = per_series * len(SERIES)
        timing = {"reps": args.reps, "min_time": args.min_time, "per": n, "unit": "value"}
        a = bench("(a)", "raw boto3 paging + hand loop + pd.DataFrame", raw, **timing)
        b = bench("(b)", "`entity.history(...).to_dataframe()`", typed, **timing)

        print()
        print("| row | what | µs/value | ÷ (a) |")
        print("|---|---|---:|---:|")
        for row in (a, b):
            print(
                f"| {row.id} | {row.label} | {row.median / n * 1e6:.3f} "
                f"[{row.median_nogc / n * 1e6:.3f}] | **{row.median / a.median:.2f}x** "
                f"[{row.median_nogc / a.median_nogc:.2f}x] |"
            )

        # The rows above run one after the other; on a shared VM the load can drift between
        # them, so also time the two back to back, rep by rep, and take the median ratio.
        # Wall time and this process's CPU time: the emulator runs in-process, so CPU time
        # holds all the work, and is less disturbed by other processes on a shared VM.
        for clock in (time.perf_counter, time.process_time):
            ratios = []
            for _ in range(args.reps):
                gc.collect()
                began = clock()
                raw()
                middle = clock()
                typed()
                ratios.append((clock() - middle) / (middle - began))
            ratios.sort()
            print(
                f"\nPaired, back to back, by {clock.__name__}: (b) ÷ (a) median "
                f"**{ratios[len(ratios) // 2]:.2f}x** (min {ratios[0]:.2f}x, max "
                f"{ratios[-1]:.2f}x over {len(ratios)} reps)"
            )
        if memory:
            fill(twin, "big", memory_per_series)
            big = ws.entities("big").history(
                "sensors",
                *SERIES,
                start=format_time(T0),
                end=format_time(T0 + memory_per_series * STEP),
            )
            # The in-process emulator makes each stored value's answer object the first time
            # it is read, and keeps it: the service's memory, not the client's. A first,
            # untraced pass makes them, so that the traced one measures the iterator alone.
            for _ in big:
                pass
            gc.collect()
            tracemalloc.start()
            baseline = tracemalloc.get_traced_memory()[0]
            count = 0
            began = time.perf_counter()
            for _ in big:
                count += 1
            seconds = time.perf_counter() - began
            peak = tracemalloc.get_traced_memory()[1] - baseline
            tracemalloc.stop()
            assert count == memory_per_series * len(SERIES), count
            print(
                f"\nIterating {count:,} history values as typed points: peak memory growth "
                f"{peak / 2**20:.1f} MB (tracemalloc; {seconds:.1f} s under tracing)"
            )
    over_http(1_000 if args.quick else per_series, 1 if args.quick else 3)
    print(f"\nRun: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
