#!/usr/bin/env python3
"""Typed knowledge-graph rows: `ws.query(...)` ÷ the same raw boto3 `execute_query` pages, one run.

Both sides run `SELECT e FROM EntityGraph MATCH (e)` against the same in-process emulator through
botocore's whole stack: 200 entities, each a NODE document with one component of 4 properties,
read as 4 pages of 50 (the default page size) following `nextToken`. The raw side collects each
row's `rowData`; the typed side iterates `ws.query(...)`, which decodes every node into an
`EntityNode`. The goal (PERFORMANCE.md's typed-call budget) is typed ÷ raw ≤ 1.15. Before timing,
the script checks that the typed rows equal the raw documents read by `EntityNode.from_document`.

    python benchmarks/bench_query.py            # ~30 s
    python benchmarks/bench_query.py --quick    # a smoke run, not figures to quote
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from typing import Any

from _harness import options, preamble

import twinkit
import twinkit.local
from twinkit import Component, DataTypes, PropertyDefinition
from twinkit.query import EntityNode

WS = "factory"
ENTITIES = 200
STATEMENT = "SELECT e FROM EntityGraph MATCH (e)"


def build(tm: twinkit.TwinMaker) -> None:
    tm.update_pricing_plan(pricing_mode="STANDARD")
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
    for n in range(ENTITIES):
        ws.entities.create(
            f"machine-{n}", entity_id=f"m{n:03d}", components={"eq": Component(equipment)}
        )


def per_call(fn: Callable[[], object], number: int) -> float:
    """Seconds per call of `fn` over `number` calls, the GC on (as in real use)."""
    gc.collect()
    start = time.perf_counter()
    for _ in range(number):
        fn()
    return (time.perf_counter() - start) / number


def calls_per_rep(fn: Callable[[], object], min_time: float) -> int:
    """How many calls of `fn` last at least `min_time` seconds (after a warm-up call)."""
    fn()
    number = 1
    while per_call(fn, number) * number < min_time:
        number *= 2
    return number


def main() -> None:
    args = options(__doc__)
    started = time.perf_counter()
    preamble(args)

    with twinkit.local.emulator(transition_delay=0) as twin:
        client = twin.client()
        tm = twinkit.TwinMaker(client=client)
        build(tm)
        ws = tm.workspaces(WS)

        def raw_rows() -> list[Any]:
            rows: list[Any] = []
            kwargs: dict[str, Any] = {"workspaceId": WS, "queryStatement": STATEMENT}
            while True:
                page = client.execute_query(**kwargs)
                rows.extend(row["rowData"] for row in page["rows"])
                if "nextToken" not in page:
                    return rows
                kwargs["nextToken"] = page["nextToken"]

        def typed_rows() -> list[Any]:
            return list(ws.query(STATEMENT))

        raw = raw_rows()
        typed = typed_rows()
        assert len(raw) == len(typed) == ENTITIES
        assert [row.node("e") for row in typed] == [EntityNode.from_document(r[0]) for r in raw]

        # The two sides alternate rep by rep, and the figure is the median of the per-rep
        # ratios: the emulator's work dominates both, so load from other processes that comes
        # and goes between two separate runs would otherwise swamp the difference.
        number = calls_per_rep(raw_rows, args.min_time)
        raw_times, typed_times = [], []
        for _ in range(args.reps):
            raw_times.append(per_call(raw_rows, number))
            typed_times.append(per_call(typed_rows, number))

    ratios = [t / r for r, t in zip(raw_times, typed_times, strict=True)]
    print()
    print("| rows | raw boto3, µs/row | typed, µs/row | typed ÷ raw (median of paired reps) |")
    print("|---|---:|---:|---:|")
    print(
        f"| {ENTITIES} NODE rows, 4 pages | {statistics.median(raw_times) * 1e6 / ENTITIES:,.1f} "
        f"| {statistics.median(typed_times) * 1e6 / ENTITIES:,.1f} "
        f"| **{statistics.median(ratios):.2f}x** |"
    )
    print(f"\nRun: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
