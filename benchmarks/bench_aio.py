#!/usr/bin/env python3
"""1,000 concurrent GetEntity calls over HTTP: the async client ÷ clients in threads, one run.

An emulator server runs in its own process (`python -m twinkit.local --latency-ms 20
--threads 64`), as the service runs elsewhere: every answer waits 20 ms, like a round trip to
a region, so that how many calls are in flight is what matters. Each side makes 1,000
GetEntity calls of one entity (one component of 4 properties) with N = 32 calls in flight:

  (a) raw boto3 in threads: one boto3 client (`max_pool_connections=32`) shared by a
      `ThreadPoolExecutor` of 32 threads, the reference;
  (b) `twinkit.TwinMaker` in threads: the blocking typed client, configured alike, in the
      same pool;
  (c) raw aiobotocore: one client (`max_pool_connections=32`), `asyncio.gather` of the 1,000
      calls, the async reference;
  (d) `twinkit.aio.TwinMaker`: the async typed client, configured alike, `asyncio.gather`.

The async sides gather all 1,000 calls at once; aiohttp's pool lets 32 connections run at a
time (`max_pool_connections`), as the threads' pool does. The clients are made and warmed
before timing (one untimed round each); each side is timed once per repetition, the sides
alternating, with the GC on; a figure is the median. Before timing, the script checks that
every side read the same entity, typed sides equal to the raw answer converted by
`twinkit.wire.converter`.

The floor at these settings is 1,000 / 32 x 20 ms = 0.625 s a side; above it is CPU, of the
client and of the server, which share the machine.

    python benchmarks/bench_aio.py            # ~1 min
    python benchmarks/bench_aio.py --quick    # 3 reps of 200 calls, a smoke run
"""

from __future__ import annotations

import asyncio
import gc
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
from _harness import options, preamble
from aiobotocore.config import AioConfig
from aiobotocore.session import AioSession
from botocore.config import Config

import twinkit
import twinkit.aio
from twinkit import Component, DataTypes, PropertyDefinition, models
from twinkit.wire import converter

WS = "factory"
ROLE = "arn:aws:iam::123456789012:role/twinmaker"
LATENCY_MS = 20
CONCURRENCY = 32
CALLS = 1_000
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


def start_server() -> tuple[subprocess.Popen[str], str]:
    command = [sys.executable, "-m", "twinkit.local", "--port", "0", "--quiet"]
    # More worker threads than calls in flight: the server never queues a request. Each of
    # the 4 sides keeps its pool of CONCURRENCY connections open (keep-alive): the server
    # must accept them all at once (its default cap, 100, would leave one side waiting).
    command += ["--latency-ms", str(LATENCY_MS), "--threads", str(2 * CONCURRENCY)]
    command += ["--max-connections", str(8 * CONCURRENCY)]
    command += ["--transition-delay", "0"]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None
    url = server.stdout.readline().rsplit(" ", 1)[1].strip()
    return server, url


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used so far (Linux /proc)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def blocking_config() -> Config:
    return Config(
        inject_host_prefix=False,
        retries={"mode": "standard"},
        max_pool_connections=CONCURRENCY,
    )


def async_config() -> AioConfig:
    return AioConfig(
        inject_host_prefix=False,
        retries={"mode": "standard"},
        max_pool_connections=CONCURRENCY,
    )


def build(url: str) -> None:
    session = boto3.session.Session(**CREDENTIALS, region_name="us-east-1")
    tm = twinkit.TwinMaker(session=session, endpoint_url=url, config=blocking_config())
    ws = tm.workspaces.create(WS, role=ROLE)
    pump = ws.component_types.create(
        "com.example.pump",
        properties={
            "speed": PropertyDefinition(DataTypes.DOUBLE, default=1.5),
            "model": PropertyDefinition(DataTypes.STRING, default="P-100"),
            "stages": PropertyDefinition(DataTypes.INTEGER, default=2),
            "tags": PropertyDefinition(DataTypes.list_of(DataTypes.STRING), default=["a", "b"]),
        },
    )
    ws.entities.create("Pump", entity_id="pump", components={"pump": Component(pump)})


class Side:
    """One way of making `calls` GetEntity calls with CONCURRENCY in flight."""

    def __init__(self, rid: str, label: str, run: Callable[[int], list[Any]]) -> None:
        self.rid = rid
        self.label = label
        self.run = run
        self.seconds: list[float] = []
        self.cpu: list[float] = []
        self.server_cpu: list[float] = []


def timed(side: Side, calls: int, server_pid: int) -> None:
    gc.collect()
    cpu, server_cpu = time.process_time(), cpu_seconds(server_pid)
    start = time.perf_counter()
    answers = side.run(calls)
    side.seconds.append(time.perf_counter() - start)
    side.cpu.append(time.process_time() - cpu)
    side.server_cpu.append(cpu_seconds(server_pid) - server_cpu)
    assert len(answers) == calls


def main() -> None:
    args = options(__doc__, reps=5)
    calls = 200 if args.quick else CALLS
    started = time.perf_counter()
    load_before = preamble(args)
    print(
        f"{calls} GetEntity calls a side, {CONCURRENCY} in flight, {LATENCY_MS} ms latency; "
        f"aiobotocore {_version('aiobotocore')}, "
        f"aiohttp {_version('aiohttp')}"
    )
    server, url = start_server()
    loop = asyncio.new_event_loop()
    try:
        build(url)
        session = boto3.session.Session(**CREDENTIALS, region_name="us-east-1")
        raw = session.client("iottwinmaker", endpoint_url=url, config=blocking_config())
        typed = twinkit.TwinMaker(session=session, endpoint_url=url, config=blocking_config())
        pool = ThreadPoolExecutor(CONCURRENCY)

        async_session = AioSession()
        async_session.set_credentials(*CREDENTIALS.values())
        creating = async_session.create_client(
            "iottwinmaker", endpoint_url=url, region_name="us-east-1", config=async_config()
        )
        raw_async = loop.run_until_complete(creating.__aenter__())
        # One call alone first: aiobotocore 3.9 makes its aiohttp session on the first
        # request without a lock, so a first burst would make a pool per call
        # (`twinkit.aio.TwinMaker.open` makes it up front for the same reason).
        loop.run_until_complete(raw_async.get_entity(workspaceId=WS, entityId="pump"))
        typed_async = twinkit.aio.TwinMaker(
            session=async_session, endpoint_url=url, region_name="us-east-1", config=async_config()
        )
        loop.run_until_complete(typed_async.open())

        def raw_threads(n: int) -> list[Any]:
            return list(
                pool.map(lambda _: raw.get_entity(workspaceId=WS, entityId="pump"), range(n))
            )

        def typed_threads(n: int) -> list[Any]:
            return list(
                pool.map(lambda _: typed.get_entity(workspace_id=WS, entity_id="pump"), range(n))
            )

        async def gather_raw(n: int) -> list[Any]:
            calls = (raw_async.get_entity(workspaceId=WS, entityId="pump") for _ in range(n))
            return list(await asyncio.gather(*calls))

        async def gather_typed(n: int) -> list[Any]:
            calls = (typed_async.get_entity(workspace_id=WS, entity_id="pump") for _ in range(n))
            return list(await asyncio.gather(*calls))

        def raw_async_side(n: int) -> list[Any]:
            return loop.run_until_complete(gather_raw(n))

        def typed_async_side(n: int) -> list[Any]:
            return loop.run_until_complete(gather_typed(n))

        sides = [
            Side("(a)", "raw boto3, 32 threads", raw_threads),
            Side("(b)", "`twinkit.TwinMaker`, 32 threads", typed_threads),
            Side("(c)", "raw aiobotocore, `gather`", raw_async_side),
            Side("(d)", "`twinkit.aio.TwinMaker`, `gather`", typed_async_side),
        ]

        # Faithful: every side reads the same entity; the typed ones as the raw one converted.
        expected = raw.get_entity(workspaceId=WS, entityId="pump")
        expected.pop("ResponseMetadata")
        model = converter.structure(expected, models.GetEntityResponse)
        for side in sides:  # also the warm-up round: pools filled, code paths loaded
            for answer in side.run(calls):
                if isinstance(answer, dict):
                    answer.pop("ResponseMetadata")
                    assert answer == expected, side.label
                else:
                    assert answer == model, side.label

        for _ in range(args.reps):
            for side in sides:
                timed(side, calls, server.pid)
        load_after = os.getloadavg()[0]
        loop.run_until_complete(typed_async.close())
        loop.run_until_complete(creating.__aexit__(None, None, None))
        pool.shutdown()
    finally:
        loop.close()
        server.terminate()
        server.wait()

    reference = statistics.median(sides[0].seconds)
    print()
    print("| side | median s | calls/s | ÷ (a) raw boto3 in threads | CPU s: client / server |")
    print("|---|---:|---:|---:|---:|")
    for side in sides:
        seconds = statistics.median(side.seconds)
        print(
            f"| {side.rid} {side.label} | {seconds:.3f} | {calls / seconds:,.0f} "
            f"| **{seconds / reference:.2f}x** "
            f"| {statistics.median(side.cpu):.2f} / {statistics.median(side.server_cpu):.2f} |"
        )
    typed_ratio = statistics.median(sides[1].seconds) / statistics.median(sides[3].seconds)
    print(f"\n(b) ÷ (d), threads ÷ async, typed: {typed_ratio:.2f}x")
    async_ratio = statistics.median(sides[3].seconds) / statistics.median(sides[2].seconds)
    print(f"(d) ÷ (c), typed ÷ raw, async: {async_ratio:.2f}x")
    floor = calls / CONCURRENCY * LATENCY_MS / 1000
    print(f"Floor (latency only): {floor:.3f} s a side")
    print(f"Load average: {load_before:.2f} before, {load_after:.2f} after")
    print(f"Run: {time.perf_counter() - started:.0f} s")


def _version(package: str) -> str:
    from importlib import metadata

    return metadata.version(package)


if __name__ == "__main__":
    main()
