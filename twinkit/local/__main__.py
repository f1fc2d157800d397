"""`python -m twinkit.local` (or `twinkit-local`): serve the emulator over HTTP.

This module owns the command line: its options, logging, printing the URL once the server
listens (`twinkit.local listening on http://127.0.0.1:4566`, flushed, on stdout) and
stopping cleanly, with exit code 0, on SIGINT or SIGTERM. `--state PATH` keeps the state in a
twinkit state file across restarts; `--latency-ms`, `--throttle-rate`, `--error-rate`,
`--entry-failure-rate` and `--seed` inject faults (see `twinkit.local.Faults`).

Access keys for SigV4 checking come from `--access-key-file PATH` or the environment variable
`TWINKIT_LOCAL_ACCESS_KEYS` (`ID:SECRET` pairs), which keep the secret out of the process
list, or from `--access-key ID:SECRET` (visible to other local users in `ps`).
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import time
from collections.abc import Callable, Sequence
from types import FrameType

from twinkit.local import Emulator, Faults, ServerLimits, StateFileError
from twinkit.local._sigv4 import ACCESS_KEYS_ENV, parse_access_key, parse_access_keys

__all__ = ["main"]

DEFAULT_PORT = 4566


class _Stop(BaseException):
    """Raised in the main thread by the SIGINT and SIGTERM handlers."""


def _on_signal(signum: int, frame: FrameType | None) -> None:
    raise _Stop(signum)


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"a port is between 0 and 65535, not {port}")
    return port


def _non_negative(kind: type[int] | type[float]) -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if value < 0:
            raise argparse.ArgumentTypeError(f"must be >= 0, not {text}")
        return value

    return parse


def _rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"a rate is between 0 and 1, not {text}")
    return value


def _seed(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None


def _access_key(text: str) -> tuple[str, str]:
    try:
        return parse_access_key(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _positive(kind: type[int] | type[float]) -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be > 0, not {text}")
        return value

    return parse


def _state_path(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError(
            "an empty path: give a file name, or leave --state out to keep the state in memory"
        )
    return text


def build_parser() -> argparse.ArgumentParser:
    """The command line's parser."""
    parser = argparse.ArgumentParser(
        prog="twinkit-local",
        description="Serve the twinkit.local AWS IoT TwinMaker emulator over HTTP.",
        epilog="Point clients at the printed URL with host prefix injection off, e.g. "
        "AWS_DISABLE_HOST_PREFIX_INJECTION=true aws iottwinmaker list-workspaces "
        "--endpoint-url http://127.0.0.1:4566",
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s)"
    )
    parser.add_argument(
        "--port",
        type=_port,
        default=DEFAULT_PORT,
        help="port to listen on; 0 picks a free one (default: %(default)s)",
    )
    parser.add_argument("--region", default="us-east-1", help="region (default: %(default)s)")
    parser.add_argument(
        "--account-id", default="123456789012", help="account in ARNs (default: %(default)s)"
    )
    parser.add_argument(
        "--transition-delay",
        type=_non_negative(float),
        default=0.1,
        metavar="SECONDS",
        help="seconds a resource stays CREATING, UPDATING or DELETING (default: %(default)s)",
    )
    limits = ServerLimits()
    server = parser.add_argument_group("server limits")
    server.add_argument(
        "--max-body-bytes",
        type=_non_negative(int),
        default=limits.max_body_bytes,
        metavar="BYTES",
        help="refuse larger request bodies with a 413 (default: %(default)s, 8 MiB)",
    )
    server.add_argument(
        "--max-header-bytes",
        type=_positive(int),
        default=limits.max_header_bytes,
        metavar="BYTES",
        help="refuse a larger request line and headers with a 431 (default: %(default)s)",
    )
    server.add_argument(
        "--max-headers",
        type=_positive(int),
        default=limits.max_headers,
        metavar="N",
        help="refuse requests with more header fields with a 431 (default: %(default)s)",
    )
    server.add_argument(
        "--idle-timeout",
        type=_positive(float),
        default=limits.idle_timeout,
        metavar="SECONDS",
        help="close a connection silent this long, idle or mid-request (default: %(default)s)",
    )
    server.add_argument(
        "--max-connections",
        type=_positive(int),
        default=limits.max_connections,
        metavar="N",
        help="connections served at once (default: %(default)s)",
    )
    server.add_argument(
        "--threads",
        type=_positive(int),
        default=limits.threads,
        metavar="N",
        help="worker threads (default: %(default)s)",
    )
    auth = parser.add_argument_group(
        "SigV4 checking (off unless access keys are given)",
        f"Keys also come from the environment variable {ACCESS_KEYS_ENV} "
        "(ID:SECRET pairs separated by commas or new lines).",
    )
    auth.add_argument(
        "--access-key-file",
        dest="access_key_files",
        action="append",
        default=[],
        metavar="PATH",
        help="read ID:SECRET lines from this file (repeatable; # starts a comment)",
    )
    auth.add_argument(
        "--access-key",
        dest="access_keys",
        action="append",
        type=_access_key,
        default=[],
        metavar="ID:SECRET",
        help="accept requests SigV4-signed with this key (repeatable); the secret shows in "
        "the process list: prefer --access-key-file or the environment variable",
    )
    parser.add_argument(
        "--state",
        metavar="PATH",
        type=_state_path,
        help="keep the state in this twinkit state file across restarts (created, mode 0600, "
        "when missing; any other file is refused); in memory by default",
    )
    faults = parser.add_argument_group("fault injection (seeded, off by default)")
    faults.add_argument(
        "--latency-ms",
        type=_non_negative(float),
        default=0.0,
        metavar="N",
        help="milliseconds added before every answer",
    )
    for flag, what in (
        ("--throttle-rate", "requests refused with a 429 ThrottlingException"),
        ("--error-rate", "requests failed with a 500 InternalServerException (nothing changed)"),
        ("--entry-failure-rate", "BatchPutPropertyValues entries failed in errorEntries"),
    ):
        faults.add_argument(flag, type=_rate, default=0.0, metavar="R", help=f"share of {what}")
    faults.add_argument(
        "--seed", type=_seed, metavar="S", help="seed of the dice (default: random)"
    )
    parser.add_argument("--quiet", action="store_true", help="do not log each request on stderr")
    return parser


def _access_keys(args: argparse.Namespace) -> dict[str, str]:
    """Every access key given: the environment's, then the files', then the command line's.

    Raises:
        ValueError: When a file cannot be read or an entry is not `ID:SECRET`.
    """
    keys = parse_access_keys(os.environ.get(ACCESS_KEYS_ENV, ""))
    for path in args.access_key_files:
        try:
            with open(path, encoding="utf-8") as file:
                text = file.read()
        except OSError as exc:
            raise ValueError(f"cannot read access keys from {path}: {exc.strerror}") from None
        try:
            keys.extend(parse_access_keys(text))
        except ValueError as exc:
            raise ValueError(f"{path}: {exc}") from None
    keys.extend(args.access_keys)
    return dict(keys)


def _limits(args: argparse.Namespace) -> ServerLimits:
    return ServerLimits(
        max_body_bytes=args.max_body_bytes,
        max_header_bytes=args.max_header_bytes,
        max_headers=args.max_headers,
        idle_timeout=args.idle_timeout,
        max_connections=args.max_connections,
        threads=args.threads,
    )


def _emulator(args: argparse.Namespace, access_keys: dict[str, str]) -> Emulator:
    faults = Faults(
        latency_ms=args.latency_ms,
        throttle_rate=args.throttle_rate,
        error_rate=args.error_rate,
        entry_failure_rate=args.entry_failure_rate,
        seed=args.seed,
    )
    return Emulator(
        region=args.region,
        account_id=args.account_id,
        transition_delay=args.transition_delay,
        access_keys=access_keys,
        faults=faults,
        state_file=args.state,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the server until SIGINT or SIGTERM; the exit code."""
    args = build_parser().parse_args(argv)
    try:
        from twinkit.local import _server
    except ImportError as exc:
        print(f"twinkit-local: {exc}", file=sys.stderr)
        return 1
    logging.basicConfig(
        level=logging.WARNING if args.quiet else logging.INFO,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
        stream=sys.stderr,
    )
    if args.quiet:
        # waitress warns of its task queue's depth for each request that waits for a worker:
        # a line per request, which --quiet promises not to write.
        logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    try:
        access_keys = _access_keys(args)
    except ValueError as exc:
        print(f"twinkit-local: {exc}", file=sys.stderr)
        return 2
    try:
        emulator = _emulator(args, access_keys)
    except StateFileError as exc:
        print(f"twinkit-local: {exc}", file=sys.stderr)
        return 1
    handlers = {sig: signal.signal(sig, _on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    server = None
    try:
        try:
            server = _server.start(emulator, host=args.host, port=args.port, limits=_limits(args))
        except OSError as exc:
            print(f"twinkit-local: {exc}", file=sys.stderr)
            return 1
        print(f"twinkit.local listening on {server.url}", flush=True)
        while True:
            time.sleep(3600)
    except _Stop:
        return 0
    finally:
        for sig in handlers:  # a second signal must not interrupt stopping
            signal.signal(sig, signal.SIG_IGN)
        if server is not None:
            server.stop()
        emulator.close()
        for sig, previous in handlers.items():
            signal.signal(sig, previous)


if __name__ == "__main__":
    sys.exit(main())
