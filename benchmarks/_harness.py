"""The timing harness every benchmark here shares (the one of shared/perf_baselines.py).

Each repetition times a loop of calls lasting at least `min_time` seconds and reports the mean
per call; a figure is the median over repetitions, taken with the GC on (as in real use, the
headline) and off (the intrinsic cost), interleaved rep by rep with `gc.collect()` before each,
so drift hits both columns alike. Ratios are only ever taken between rows of one run.
"""

from __future__ import annotations

import os

# Hermetic boto3: no config or credential files, no instance metadata look-ups.
for _key in [k for k in os.environ if k.startswith("AWS_")]:
    del os.environ[_key]
os.environ["AWS_CONFIG_FILE"] = os.devnull
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
os.environ["AWS_EC2_METADATA_DISABLED"] = "true"

import argparse
import cProfile
import gc
import io
import platform
import pstats
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

# Measure the checkout these scripts live in, installed or not.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import boto3
from botocore.awsrequest import AWSResponse
from botocore.config import Config

__all__ = ["Row", "bench", "canned_client", "options", "preamble", "profile", "versions"]


@dataclass
class Row:
    """One measured row: seconds per call, per repetition, with the GC on and off."""

    id: str
    label: str
    number: int
    """Calls per repetition."""
    times: list[float] = field(default_factory=list)
    times_nogc: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def median_nogc(self) -> float:
        return statistics.median(self.times_nogc)


def _loop(fn: Callable[[], object], number: int) -> float:
    """Seconds per call over `number` calls."""
    start = time.perf_counter_ns()
    for _ in range(number):
        fn()
    return (time.perf_counter_ns() - start) / number / 1e9


def bench(
    rid: str,
    label: str,
    fn: Callable[[], object],
    *,
    reps: int,
    min_time: float,
    per: int = 1,
    unit: str = "call",
) -> Row:
    """Time `fn` (after one warm-up call); prints a progress line to stderr.

    `per` divides the printed figure (e.g. values per call, to print µs per value).
    """
    fn()
    number = 1
    while True:  # calls per repetition, so that one repetition lasts >= min_time
        gc.collect()
        elapsed = _loop(fn, number) * number
        if elapsed >= min_time:
            break
        number = max(number * 2, int(number * min_time / max(elapsed, 1e-9) * 1.2))
    row = Row(rid, label, number)
    for _ in range(reps):
        for gc_on in (True, False):
            gc.collect()
            if not gc_on:
                gc.disable()
            try:
                per_call = _loop(fn, number)
            finally:
                gc.enable()
            (row.times if gc_on else row.times_nogc).append(per_call)
    print(
        f"  {rid:<6} {row.median / per * 1e6:9.3f} µs/{unit}"
        f"  (GC off {row.median_nogc / per * 1e6:.3f})",
        file=sys.stderr,
    )
    return row


def versions(*packages: str) -> str:
    """Python and package versions, for the top of a report."""
    import twinkit

    names = packages or ("boto3", "botocore", "attrs", "cattrs")
    pkgs = ", ".join(f"{p} {metadata.version(p)}" for p in names)
    return (
        f"Python {platform.python_version()} ({platform.python_implementation()}), {pkgs}, "
        f"twinkit {twinkit.__version__} ({Path(twinkit.__file__).parent})"
    )


def profile(label: str, fn: Callable[[], object], calls: int, top: int) -> str:
    """cProfile `calls` calls of `fn` (GC off): the top functions by own and by total time."""
    fn()
    prof = cProfile.Profile()
    gc.disable()
    try:
        prof.enable()
        for _ in range(calls):
            fn()
        prof.disable()
    finally:
        gc.enable()
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return f"### cProfile of {label} ({calls} calls, GC off)\n{out.getvalue()}"


class _CannedRaw:
    """Stands in for urllib3's response: AWSResponse.content reads raw.stream()."""

    __slots__ = ("body",)

    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.body


def canned_client(
    status: int,
    headers: dict[str, str],
    body: bytes,
    *,
    region: str = "us-east-1",
    also: Callable[[], object] | None = None,
) -> Any:
    """A boto3 `iottwinmaker` client whose every call is answered by one canned response.

    botocore's whole stack runs (validation, serialization, signing, retries, parsing); only
    the network is replaced: the floor any in-process client can reach. `also` is called
    (its result dropped) before each answer.
    """
    session = boto3.session.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name=region
    )
    client = session.client("iottwinmaker", config=Config(retries={"mode": "standard"}))

    def send(request: Any, **_: Any) -> AWSResponse:
        if also is not None:
            also()
        return AWSResponse(request.url, status, headers, _CannedRaw(body))

    client.meta.events.register("before-send.iottwinmaker", send)
    return client


def options(
    doc: str | None, *, reps: int = 9, min_time: float = 0.25, profile: str | None = None
) -> argparse.Namespace:
    """The command line every benchmark takes: `--reps`, `--min-time`, `--quick`, `--profile`.

    `--quick` is a smoke run (3 reps of >= 0.05 s), not figures to quote; `--profile` is
    offered when `profile` says what it profiles.
    """
    parser = argparse.ArgumentParser(
        description=doc, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reps", type=int, default=reps, help="repetitions per row (median)")
    parser.add_argument("--min-time", type=float, default=min_time, help="seconds per repetition")
    parser.add_argument("--quick", action="store_true", help="smoke run: 3 reps of >= 0.05 s")
    if profile is not None:
        parser.add_argument("--profile", action="store_true", help=f"also cProfile {profile}")
    args = parser.parse_args()
    if args.quick:
        args.reps, args.min_time = 3, 0.05
    return args


def preamble(args: argparse.Namespace) -> float:
    """Print the versions and the machine; returns the load average before the run."""
    print(versions())
    print(
        f"{platform.platform()}; {os.cpu_count()} CPUs; reps={args.reps}, each >= "
        f"{args.min_time} s; clock: time.perf_counter_ns"
    )
    return os.getloadavg()[0]
