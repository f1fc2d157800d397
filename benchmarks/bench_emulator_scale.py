#!/usr/bin/env python3
"""How the emulator's reads scale with the twin, and what its HTTP server sustains.

Part 1, scale (in-process): three emulators holding 1,000, 10,000 and 100,000 entities (a tree:
a tenth at the top, the rest under a random earlier entity; each entity with one component of
one of 5 types, one of which extends another), built through the emulator's own handler
(CreateEntity requests). For each size, in one run:

  (g)  boto3 `get_entity` of one entity with children, in-process;
  (gh) `Emulator.handle` of that GetEntity request alone (no botocore);
  (lh) `Emulator.handle` of a ListEntities page of 25 alone, no filter;
  (l)  boto3 `list_entities`, one page of 25, no filter, from the middle (a `nextToken`);
  (lp) the same with a `parentEntityId` filter (a parent with > 25 children);
  (lt) the same with a `componentTypeId` filter of the base type (two types match);
  (b)  the floor: boto3 `get_entity` answered by a canned response (raw boto3's own cost).

The ratio that matters is each row at 100k ÷ the same row at 1k (goal <= 1.5x): a read must
cost what it returns, not what the twin holds. The three sizes are timed interleaved, rep by
rep (the VM is shared), and (b), which cannot depend on the size, shows the noise left.
Before timing, each page is checked against a scan of the state.

Part 2, the HTTP server (`python -m twinkit.local` in a subprocess) against the werkzeug
development server the emulator used before (the same WSGI application, in a subprocess):
GetWorkspace calls/s with 1, 4 and 16 client threads, each with its own boto3 client (urllib3
keeps connections alive when the server allows it), for `--http-seconds` per cell.

    python benchmarks/bench_emulator_scale.py           # ~4 min (building 111k entities)
    python benchmarks/bench_emulator_scale.py --quick   # smoke run, not figures to quote

Needs twinkit with the `local` extra (waitress) and werkzeug (installed with the test extra,
through moto) for the comparison.
"""

from __future__ import annotations

import gc
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from contextlib import closing
from typing import Any

import boto3
from _harness import Row, _loop, canned_client, options, preamble
from botocore.config import Config

from twinkit.local import Emulator, HttpRequest, ManualClock
from twinkit.local._backends._paging import encode_token

WS = "scale"
ROLE = "arn:aws:iam::123456789012:role/TwinMakerWorkspaceRole"
TYPES = ["com.example.base", "com.example.derived", "com.example.a", "com.example.b", "com.ex.c"]
SIZES = (1_000, 10_000, 100_000)
PAGE = 25


def _call(twin: Emulator, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    request = HttpRequest(
        method=method,
        path=path,
        headers={"Content-Type": "application/json"},
        body=json.dumps(body or {}).encode(),
    )
    response = twin.handle(request)
    assert response.status < 300, response.body[:300]
    return json.loads(response.body)


def build(size: int, seed: int = 7) -> tuple[Emulator, str, str]:
    """An emulator with `size` entities; the GetEntity target and a parent with many children."""
    twin = Emulator(clock=ManualClock(), transition_delay=0)
    _call(twin, "POST", f"/workspaces/{WS}", {"role": ROLE})
    for type_id in TYPES:
        body: dict[str, Any] = {}
        if type_id == "com.example.derived":
            body["extendsFrom"] = ["com.example.base"]
        _call(twin, "POST", f"/workspaces/{WS}/component-types/{type_id}", body)
    rng = random.Random(seed)
    ids: list[str] = []
    for index in range(size):
        entity_id = f"entity-{rng.getrandbits(48):012x}-{index}"
        body = {
            "entityName": f"Entity {index}",
            "components": {"main": {"componentTypeId": rng.choice(TYPES)}},
        }
        if index >= size // 10:
            # One hub parent gets a tenth of the children, so its page is always full.
            body["parentEntityId"] = ids[0] if rng.random() < 0.1 else rng.choice(ids)
        _call(twin, "POST", f"/workspaces/{WS}/entities", {"entityId": entity_id, **body})
        ids.append(entity_id)
    return twin, ids[size // 2], ids[0]


def _scan_page(twin: Emulator, after: str, keep: Any) -> list[str]:
    records = twin.state.entities[WS].values()
    return sorted(r.entity_id for r in records if keep(r) and r.entity_id > after)[:PAGE]


def measure(size: int) -> dict[str, Callable[[], object]]:
    """An emulator of `size` entities, checked, and the call of every part-1 row on it."""
    started = time.perf_counter()
    twin, target, parent = build(size)
    print(f"built {size:,} entities in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    client = twin.client()
    middle = sorted(twin.state.entities[WS])[size // 2]
    token_for: dict[str, str] = {}
    filters: dict[str, list[dict[str, str]]] = {
        "(l)": [],
        "(lp)": [{"parentEntityId": parent}],
        "(lt)": [{"componentTypeId": "com.example.base"}],
    }
    keeps = {
        "(l)": lambda r: True,
        "(lp)": lambda r: r.parent_entity_id == parent,
        "(lt)": lambda r: r.components["main"].component_type_id in TYPES[:2],
    }
    for rid, where in filters.items():
        # A token from the middle of the listing: the page after `middle`.
        token = encode_token(middle, ("ListEntities", WS, _typed_filters(where)))
        token_for[rid] = token
        kwargs: dict[str, Any] = {"workspaceId": WS, "maxResults": PAGE, "nextToken": token}
        if where:
            kwargs["filters"] = where
        page = client.list_entities(**kwargs)
        got = [s["entityId"] for s in page["entitySummaries"]]
        assert got == _scan_page(twin, middle, keeps[rid]), rid
        assert len(got) == PAGE, (rid, len(got))
    entity = client.get_entity(workspaceId=WS, entityId=target)
    get_request = HttpRequest(method="GET", path=f"/workspaces/{WS}/entities/{target}", headers={})
    canned_response = twin.handle(get_request)
    canned = canned_client(canned_response.status, canned_response.headers, canned_response.body)
    assert canned.get_entity(workspaceId=WS, entityId=target)["entityId"] == target
    assert entity["entityId"] == target
    list_request = HttpRequest(
        method="POST",
        path=f"/workspaces/{WS}/entities-list",
        headers={"Content-Type": "application/json"},
        body=json.dumps({"maxResults": PAGE, "nextToken": token_for["(l)"]}).encode(),
    )
    listed = json.loads(twin.handle(list_request).body)
    assert [e["entityId"] for e in listed["entitySummaries"]] == _scan_page(
        twin, middle, keeps["(l)"]
    )
    calls: dict[str, Callable[[], object]] = {
        "(g)": lambda: client.get_entity(workspaceId=WS, entityId=target),
        "(gh)": lambda: twin.handle(get_request),
        "(lh)": lambda: twin.handle(list_request),
    }
    for rid, where in filters.items():
        kwargs = {"workspaceId": WS, "maxResults": PAGE, "nextToken": token_for[rid]}
        if where:
            kwargs["filters"] = where
        calls[rid] = lambda kwargs=kwargs: client.list_entities(**kwargs)
    calls["(b)"] = lambda: canned.get_entity(workspaceId=WS, entityId=target)
    return calls


def interleaved(rid: str, calls: dict[int, Callable[[], object]], args: Any) -> dict[int, Row]:
    """One row at every size, timed as the harness times a row, the sizes interleaved rep by
    rep (and GC on/off within each), so that load drift on this shared VM hits them alike."""
    rows: dict[int, Row] = {}
    for size, fn in calls.items():
        fn()
        number = 1
        while True:
            gc.collect()
            elapsed = _loop(fn, number) * number
            if elapsed >= args.min_time:
                break
            number = max(number * 2, int(number * args.min_time / max(elapsed, 1e-9) * 1.2))
        rows[size] = Row(rid, rid, number)
    for _ in range(args.reps):
        for size, fn in calls.items():
            for gc_on in (True, False):
                gc.collect()
                if not gc_on:
                    gc.disable()
                try:
                    per_call = _loop(fn, rows[size].number)
                finally:
                    gc.enable()
                (rows[size].times if gc_on else rows[size].times_nogc).append(per_call)
    print(
        f"  {rid:<5} "
        + "  ".join(f"{size:>7,}: {row.median * 1e6:8.1f} µs" for size, row in rows.items()),
        file=sys.stderr,
    )
    return rows


def scale_rows(args: Any) -> dict[int, dict[str, Row]]:
    prepared = {size: measure(size) for size in SIZES}
    rows: dict[int, dict[str, Row]] = {size: {} for size in SIZES}
    for rid in prepared[SIZES[0]]:
        for size, row in interleaved(rid, {s: c[rid] for s, c in prepared.items()}, args).items():
            rows[size][rid] = row
    return rows


def _typed_filters(where: list[dict[str, str]]) -> Any:
    """The filters as the backend binds a token to them (typed models)."""
    from twinkit import models
    from twinkit.wire import converter

    return [converter.structure(f, models.ListEntitiesFilter) for f in where]


# --- part 2: the HTTP server ------------------------------------------------------------------

WERKZEUG_SERVER = """
import sys
from werkzeug.serving import make_server
from twinkit.local import Emulator
from twinkit.local._server import TwinMakerApp
server = make_server("127.0.0.1", 0, TwinMakerApp(Emulator()), threaded=True)
print(f"twinkit.local listening on http://127.0.0.1:{server.port}", flush=True)
server.serve_forever()
"""


def _start(kind: str) -> tuple[subprocess.Popen[str], str]:
    if kind == "waitress":
        command = [sys.executable, "-m", "twinkit.local", "--port", "0", "--quiet"]
    else:
        command = [sys.executable, "-c", WERKZEUG_SERVER]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert "listening on" in line, line
    return proc, line.rsplit(" ", 1)[1].strip()


def _client(url: str) -> Any:
    session = boto3.session.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
    )
    return session.client(
        "iottwinmaker",
        endpoint_url=url,
        config=Config(
            inject_host_prefix=False, retries={"total_max_attempts": 1}, max_pool_connections=2
        ),
    )


def calls_per_second(url: str, threads: int, seconds: float) -> float:
    clients = [_client(url) for _ in range(threads)]
    for client in clients:
        client.get_workspace(workspaceId=WS)  # connect and warm up
    counts = [0] * threads
    stop = time.perf_counter() + seconds
    errors: list[BaseException] = []

    def run(index: int) -> None:
        client = clients[index]
        try:
            while time.perf_counter() < stop:
                client.get_workspace(workspaceId=WS)
                counts[index] += 1
        except BaseException as exc:  # reported below
            errors.append(exc)

    started = time.perf_counter()
    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    for client in clients:
        client.close()
    assert not errors, errors[0]
    return sum(counts) / elapsed


def http_rows(seconds: float, rounds: int) -> dict[str, dict[int, float]]:
    """Calls/s of each server and client thread count: the median of `rounds` runs, the two
    servers interleaved run by run (both running throughout), so load drift hits both."""
    servers = {kind: _start(kind) for kind in ("werkzeug", "waitress")}
    try:
        for _, url in servers.values():
            with closing(_client(url)) as client:
                client.create_workspace(workspaceId=WS, role=ROLE)
        figures: dict[str, dict[int, float]] = {kind: {} for kind in servers}
        for threads in (1, 4, 16):
            runs: dict[str, list[float]] = {kind: [] for kind in servers}
            for _ in range(rounds):
                for kind, (_, url) in servers.items():
                    runs[kind].append(calls_per_second(url, threads, seconds))
            for kind, rates in runs.items():
                figures[kind][threads] = statistics.median(rates)
                print(
                    f"  {kind:<9} {threads:>2} threads: {figures[kind][threads]:8.1f} calls/s "
                    f"(runs: {', '.join(f'{r:.0f}' for r in rates)})",
                    file=sys.stderr,
                )
    finally:
        for proc, _ in servers.values():
            proc.kill()
            proc.communicate(timeout=10)
    return figures


def main() -> None:
    parser_doc = __doc__
    args = options(parser_doc)
    http_seconds, rounds = (1.0, 1) if args.quick else (4.0, 3)
    load0 = preamble(args)
    rows = scale_rows(args)
    print("\n### Part 1: reads against the size of the twin (µs/call, GC on [off])\n")
    print("| row | what | 1k | 10k | 100k | 100k ÷ 1k |")
    print("|---|---|---:|---:|---:|---:|")
    labels = {
        "(g)": "boto3 `get_entity`, in-process",
        "(gh)": "`Emulator.handle(GetEntity)` alone",
        "(lh)": "`Emulator.handle(ListEntities)` alone, page of 25, no filter",
        "(l)": "boto3 `list_entities` page of 25, no filter",
        "(lp)": "the same, `parentEntityId` filter",
        "(lt)": "the same, `componentTypeId` filter (2 types match)",
        "(b)": "boto3 `get_entity`, canned response (floor)",
    }
    for rid, label in labels.items():
        cells = [rows[size][rid] for size in SIZES]
        text = " | ".join(f"{c.median * 1e6:,.0f} [{c.median_nogc * 1e6:,.0f}]" for c in cells)
        ratio = cells[-1].median / cells[0].median
        ratio_nogc = cells[-1].median_nogc / cells[0].median_nogc
        print(f"| {rid} | {label} | {text} | **{ratio:.2f}x** [{ratio_nogc:.2f}x] |")
    print(
        "\n(g) ÷ (b) at 100k:",
        f"{rows[SIZES[-1]]['(g)'].median / rows[SIZES[-1]]['(b)'].median:.2f}x",
    )
    figures = http_rows(http_seconds, rounds)
    print(
        f"\n### Part 2: GetWorkspace calls/s over HTTP (median of {rounds} interleaved runs of "
        f"{http_seconds:.0f} s)\n"
    )
    print("| client threads | werkzeug dev server (before) | waitress (now) | now ÷ before |")
    print("|---:|---:|---:|---:|")
    for threads in (1, 4, 16):
        old, new = figures["werkzeug"][threads], figures["waitress"][threads]
        print(f"| {threads} | {old:,.0f} | {new:,.0f} | **{new / old:.2f}x** |")
    print(f"\nload average: {load0:.2f} before, {os.getloadavg()[0]:.2f} after")


if __name__ == "__main__":
    main()
