#!/usr/bin/env python3
"""What one BatchPutPropertyValues costs the emulator: CPU per 10 x 10 call to `Emulator.handle`.

The request of `benchmarks/bench_batch_write.py` (10 entries x 10 DOUBLE values, `time` strings
with nine fraction digits), answered in-process by `Emulator.handle` on a prepared
`HttpRequest` (as `benchmarks/bench_emulator.py` row (d) does): routing, validation, the
backend and the JSON answer, with no HTTP server and no botocore. Two rows, in one run:

  (typed) every entry structured into models and stored through the typed path, the
          emulator as built with `_wire_fast_paths=False` (what every request paid before);
  (fast)  the default emulator: plain entries stored straight from the validated wire.

Each repetition builds a fresh emulator (5 entities x 10 time-series DOUBLE properties),
then answers `--calls` distinct requests (new instants each, so values are appended, as a
backfill does) and reports the process CPU seconds per call (`time.process_time`); the
figure is the median over `--reps` repetitions, GC on. Before timing, both emulators answer
the same requests and their histories are compared.

    python benchmarks/bench_batch_put_handler.py          # ~20 s
    python benchmarks/bench_batch_put_handler.py --quick  # smoke run
"""

from __future__ import annotations

import argparse
import gc
import inspect
import json
import statistics
import time
from typing import Any

from bench_batch_write import ENTITIES, PROPERTIES, STEP, T0, WS, build

import twinkit
from twinkit.local import Emulator, HttpRequest, ManualClock
from twinkit.times import format_time

HEADERS = {"Host": "api.iottwinmaker.us-east-1.amazonaws.com", "Content-Type": "application/json"}


def emulator(fast: bool) -> Emulator:
    kwargs: dict[str, Any] = {"clock": ManualClock(), "transition_delay": 0}
    if "_wire_fast_paths" in inspect.signature(Emulator).parameters:
        kwargs["_wire_fast_paths"] = fast
    elif not fast:
        raise SystemExit("this twinkit has no typed-only switch: run without the typed row")
    twin = Emulator(**kwargs)
    build(twinkit.TwinMaker(client=twin.client()))  # the twin bench_batch_write.py writes to
    return twin


def requests(count: int) -> list[HttpRequest]:
    """`count` BatchPut requests of 10 entries x 10 values, at instants none repeats."""
    made = []
    for call in range(count):
        entries = []
        for slot in range(10):
            n = call * 10 + slot
            entity, prop = ENTITIES[n // 10 % 5], PROPERTIES[n % 10]
            first = T0 + (n // 50) * 10 * STEP
            entries.append(
                {
                    "entityPropertyReference": {
                        "entityId": entity,
                        "componentName": "s",
                        "propertyName": prop,
                    },
                    "propertyValues": [
                        {
                            "time": format_time(first + k * STEP),
                            "value": {"doubleValue": round(n / 7 + k / 8, 3)},
                        }
                        for k in range(10)
                    ],
                }
            )
        body = json.dumps({"entries": entries}).encode()
        path = f"/workspaces/{WS}/entity-properties"
        made.append(HttpRequest("POST", path, headers=HEADERS, body=body))
    return made


def cpu_per_call(fast: bool, prepared: list[HttpRequest]) -> float:
    twin = emulator(fast)
    gc.collect()
    start = time.process_time()
    for request in prepared:
        response = twin.handle(request)
        assert response.status == 200, response.body
        assert b'"errorEntries":[]' in response.body, response.body
    return (time.process_time() - start) / len(prepared)


def history(twin: Emulator) -> list[Any]:
    """Every value stored for the first 5 properties of each entity, page by page."""
    raw = twin.client()
    found = []
    for entity in ENTITIES:
        token: dict[str, Any] = {}
        while True:
            page = raw.get_property_value_history(
                workspaceId=WS,
                entityId=entity,
                componentName="s",
                selectedProperties=PROPERTIES[:5],
                startTime=format_time(T0),
                endTime=format_time(T0 + 10**15),
                maxResults=200,
                **token,
            )
            found.extend(page["propertyValues"])
            if "nextToken" not in page:
                break
            token = {"nextToken": page["nextToken"]}
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--calls", type=int, default=500)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--fast-only", action="store_true", help="no typed row (older twinkit)")
    args = parser.parse_args()
    if args.quick:
        args.reps, args.calls = 3, 100
    prepared = requests(args.calls)
    sides = [True] if args.fast_only else [False, True]
    if not args.fast_only:
        answered = []
        for fast in sides:
            twin = emulator(fast)
            for request in prepared[:50]:
                twin.handle(request)
            answered.append(history(twin))
        assert answered[0] == answered[1], "the two paths store different histories"
    figures: dict[bool, list[float]] = {fast: [] for fast in sides}
    for _ in range(args.reps):
        for fast in sides:  # interleaved, so that drift hits both rows alike
            figures[fast].append(cpu_per_call(fast, prepared))
    for fast in sides:
        median, least = statistics.median(figures[fast]), min(figures[fast])
        print(
            f"{'fast' if fast else 'typed':<6} {median * 1e3:8.3f} ms CPU per 10x10 BatchPut"
            f" (least {least * 1e3:.3f})"
        )
    if not args.fast_only:
        ratio = statistics.median(figures[True]) / statistics.median(figures[False])
        print(f"fast / typed = {ratio:.2f}  ({(1 - ratio) * 100:.0f}% less CPU)")


if __name__ == "__main__":
    main()
