"""A hostile client over real sockets: malformed requests, oversized or deep bodies, stale
signatures, foreign state files. Every refusal is a small, well-formed AWS error, and the
server keeps serving."""

from __future__ import annotations

import json
import os
import pickle
import socket
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import boto3
import botocore.auth
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

import twinkit.local
from twinkit.local import Emulator, ServerHandle, ServerLimits, StateFileError

ROLE = "arn:aws:iam::123456789012:role/twinmaker"
KEY_ID, SECRET = "AKIDHARDENING", "hardening-secret"


@pytest.fixture(scope="module")
def server() -> Iterator[ServerHandle]:
    limits = ServerLimits(idle_timeout=1)
    with twinkit.local.serve(limits=limits) as handle:
        with closing(handle.client()) as client:
            client.create_workspace(workspaceId="hardening", role=ROLE)
        yield handle


def _exchange(server: ServerHandle | tuple[str, int], raw: bytes, timeout: float = 5.0) -> bytes:
    """Send `raw` on a fresh connection; everything received until the server closes it or
    the first response is complete."""
    address = server if isinstance(server, tuple) else (server.host, server.port)
    with socket.create_connection(address, timeout=timeout) as sock:
        sock.sendall(raw)
        received = b""
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:  # the server closed with our bytes still unread
                break
            if not chunk:
                break
            received += chunk
            head, sep, rest = received.partition(b"\r\n\r\n")
            if sep:
                length = _header(head, "content-length")
                if length is not None and len(rest) >= int(length):
                    break
    return received


def _header(head: bytes, name: str) -> str | None:
    for line in head.decode("latin-1").split("\r\n")[1:]:
        key, _, value = line.partition(":")
        if key.strip().lower() == name:
            return value.strip()
    return None


def _aws_error(response: bytes) -> tuple[int, str, str]:
    """The status, `x-amzn-ErrorType` and message of a REST-JSON error response."""
    head, sep, body = response.partition(b"\r\n\r\n")
    assert sep, response[:200]
    status = int(head.split(b" ", 2)[1])
    assert _header(head, "content-type") == "application/json"
    error_type = _header(head, "x-amzn-errortype")
    assert error_type is not None, head
    document = json.loads(body)
    assert set(document) == {"message"}
    return status, error_type, document["message"]


def _still_serves(server: ServerHandle) -> None:
    with closing(server.client()) as client:
        summaries = client.list_workspaces()["workspaceSummaries"]
    assert [s["workspaceId"] for s in summaries] == ["hardening"]


TLS_CLIENT_HELLO = bytes.fromhex("16030100a5010000a10303") + bytes(32) + b"\x00\x00\x02\x13\x01"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param(b"GARBAGE\r\n\r\n", (400, "BadRequestException"), id="garbage-line"),
        pytest.param(
            b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
            (431, "RequestHeaderFieldsTooLargeException"),
            id="70KB-uri",
        ),
        pytest.param(
            b"GET /workspaces-list HTTP/9.9\r\nHost: x\r\n\r\n",
            (505, "HttpVersionNotSupportedException"),
            id="http-9.9",
        ),
        pytest.param(TLS_CLIENT_HELLO, (400, "BadRequestException"), id="tls-handshake"),
        pytest.param(
            b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 100_000 + b"\r\n\r\n",
            (431, "RequestHeaderFieldsTooLargeException"),
            id="100KB-header",
        ),
        pytest.param(
            b"POST /workspaces-list HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
            + b"".join(b"X-H%d: v\r\n" % i for i in range(200))
            + b"\r\n",
            (431, "RequestHeaderFieldsTooLargeException"),
            id="200-headers",
        ),
    ],
)
def test_malformed_requests_get_a_small_aws_error_and_the_server_keeps_serving(
    server: ServerHandle, raw: bytes, expected: tuple[int, str]
) -> None:
    response = _exchange(server, raw)
    status, error_type, message = _aws_error(response)
    assert (status, error_type) == expected
    assert message
    assert len(response) < 1024
    _still_serves(server)


def test_a_tls_handshake_is_answered_at_once_not_after_the_idle_timeout(
    server: ServerHandle,
) -> None:
    started = time.monotonic()
    status, _, message = _aws_error(_exchange(server, TLS_CLIENT_HELLO))
    assert time.monotonic() - started < 0.9  # the idle timeout is 1 s
    assert (status, message) == (
        400,
        "Bad Request: this is a TLS handshake, but twinkit.local serves plain HTTP: use http://",
    )


def test_keep_alive_serves_many_requests_on_one_connection(server: ServerHandle) -> None:
    request = (
        b"POST /workspaces-list HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: 2\r\n\r\n{}"
    )
    with socket.create_connection((server.host, server.port), timeout=5) as sock:
        for _ in range(3):
            sock.sendall(request)
            received = b""
            while b'"workspaceSummaries"' not in received or not received.endswith(b"}"):
                chunk = sock.recv(65536)
                assert chunk, "the server closed a keep-alive connection"
                received += chunk
            assert received.startswith(b"HTTP/1.1 200 ")


def test_a_stalled_connection_is_closed_after_the_idle_timeout(server: ServerHandle) -> None:
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        sock.sendall(b"POST /workspaces-list HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
        started = time.monotonic()
        assert sock.recv(65536) == b""  # closed by the server, nothing sent
        # idle_timeout (1 s) plus at most one cleanup interval (1 s here).
        assert 0.5 < time.monotonic() - started < 4
    _still_serves(server)


# --- bodies -----------------------------------------------------------------------------------


def _post(server: ServerHandle, path: str, body: bytes) -> tuple[int, str, str]:
    raw = (
        f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode() + body
    return _aws_error(_exchange(server, raw))


def _nested(depth: int) -> str:
    """A DataValue nested `depth` JSON levels deep in a CreateEntity body (the body is 1)."""
    value = '{"stringValue": "x"}'
    levels = 4  # body, components, component, properties ... see below
    for _ in range((depth - levels - 2) // 2):
        value = '{"listValue": [' + value + "]}"
    return (
        '{"entityName": "e", "components": {"c": {"componentTypeId": "t", '
        '"properties": {"p": {"value": ' + value + "}}}}}"
    )


def _depth(text: str) -> int:
    deepest = depth = 0
    in_string = False
    for char in text:
        if char == '"':
            in_string = not in_string
        elif not in_string and char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif not in_string and char in "]}":
            depth -= 1
    return deepest


def test_a_body_nested_1000_deep_is_a_400_validation_exception(server: ServerHandle) -> None:
    body = _nested(1000)
    assert _depth(body) >= 1000
    status, error_type, message = _post(server, "/workspaces/hardening/entities", body.encode())
    assert (status, error_type) == (400, "ValidationException")
    assert message == "the request body nests arrays and objects deeper than 128 levels"
    _still_serves(server)


def test_nesting_up_to_the_limit_is_read(server: ServerHandle) -> None:
    at_limit = next(b for d in range(120, 130) if _depth(b := _nested(d)) in (127, 128))
    past = next(b for d in range(128, 140) if _depth(b := _nested(d)) > 128)
    status, error_type, message = _post(server, "/workspaces/hardening/entities", at_limit.encode())
    assert (status, error_type) == (400, "ValidationException")  # the type does not exist
    assert "deeper than" not in message
    _, _, message = _post(server, "/workspaces/hardening/entities", past.encode())
    assert "deeper than 128 levels" in message


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity"])
def test_bare_nan_and_infinity_tokens_are_refused(server: ServerHandle, token: str) -> None:
    body = (
        '{"entityName": "e", "components": {"c": {"componentTypeId": "t", '
        '"properties": {"p": {"value": {"doubleValue": ' + token + "}}}}}}"
    )
    status, error_type, message = _post(server, "/workspaces/hardening/entities", body.encode())
    assert (status, error_type) == (400, "ValidationException")
    assert message == (
        f"the request body is not valid JSON: {token} is not a JSON number (RFC 8259)"
    )


def test_a_body_of_many_unknown_members_gets_a_small_error(server: ServerHandle) -> None:
    members = ", ".join(f'"unknown{i:06d}": {i}' for i in range(50_000))
    body = ('{"entityName": "e", ' + members + "}").encode()
    assert len(body) > 1_000_000
    status, error_type, message = _post(server, "/workspaces/hardening/entities", body)
    assert (status, error_type) == (400, "ValidationException")
    assert len(message) < 8_000
    assert message.startswith("50000 validation errors detected: ")
    assert message.endswith("; and 49980 more")


# --- SigV4 dates ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def signed_server() -> Iterator[ServerHandle]:
    with twinkit.local.serve(access_keys={KEY_ID: SECRET}) as handle:
        yield handle


def _signed_at(
    monkeypatch: pytest.MonkeyPatch, server: ServerHandle, skew: timedelta
) -> tuple[str, str] | None:
    """Call ListWorkspaces signed by botocore with its clock `skew` off; the refusal, if any."""
    real = datetime.now(timezone.utc)
    monkeypatch.setattr(botocore.auth, "get_current_datetime", lambda: real + skew)
    with closing(server.client()) as client:
        try:
            client.list_workspaces()
        except ClientError as error:
            details: Any = error.response["Error"]
            return details["Code"], details["Message"]
    return None


def test_a_request_signed_a_day_ago_is_refused(
    monkeypatch: pytest.MonkeyPatch, signed_server: ServerHandle
) -> None:
    refusal = _signed_at(monkeypatch, signed_server, -timedelta(days=1))
    assert refusal is not None
    assert refusal[0] == "InvalidSignatureException"
    assert refusal[1].startswith("Signature expired: ")
    assert refusal[1].endswith(" - 15 min.)")


def test_a_request_signed_ahead_is_refused(
    monkeypatch: pytest.MonkeyPatch, signed_server: ServerHandle
) -> None:
    refusal = _signed_at(monkeypatch, signed_server, timedelta(minutes=16))
    assert refusal is not None
    assert refusal[0] == "InvalidSignatureException"
    assert refusal[1].startswith("Signature not yet current: ")


@pytest.mark.parametrize("minutes", [-14, 14])
def test_a_request_within_15_minutes_is_accepted(
    monkeypatch: pytest.MonkeyPatch, signed_server: ServerHandle, minutes: int
) -> None:
    assert _signed_at(monkeypatch, signed_server, timedelta(minutes=minutes)) is None


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "twinkit.local", "--port", "0", "--quiet", *args]
    return subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )


def _cli_accepts(proc: subprocess.Popen[str], key_id: str, secret: str) -> bool:
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip().rpartition(" ")[2]
        assert url.startswith("http://"), proc.stderr.read() if proc.stderr else ""
        session = boto3.session.Session(
            aws_access_key_id=key_id, aws_secret_access_key=secret, region_name="us-east-1"
        )
        client = session.client(
            "iottwinmaker",
            endpoint_url=url,
            config=Config(inject_host_prefix=False, retries={"total_max_attempts": 1}),
        )
        with closing(client):
            try:
                client.list_workspaces()
            except ClientError:
                return False
            return True
    finally:
        proc.kill()
        proc.communicate(timeout=10)  # waits and closes the pipes


def test_cli_reads_secrets_from_a_file_not_the_command_line(tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    keys.write_text(f"# the emulator's keys\n{KEY_ID}:{SECRET}\n")
    proc = _cli("--access-key-file", str(keys))
    assert SECRET not in " ".join(proc.args)  # type: ignore[arg-type]
    assert _cli_accepts(proc, KEY_ID, SECRET)
    assert not _cli_accepts(_cli("--access-key-file", str(keys)), KEY_ID, "wrong-secret")


def test_cli_reads_secrets_from_the_environment() -> None:
    proc = _cli(env={"TWINKIT_LOCAL_ACCESS_KEYS": f"OTHER:x,{KEY_ID}:{SECRET}"})
    assert _cli_accepts(proc, KEY_ID, SECRET)


def test_cli_refuses_a_bad_key_file_without_echoing_secrets(tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    keys.write_text("AKID:\n")
    result = subprocess.run(
        [sys.executable, "-m", "twinkit.local", "--access-key-file", str(keys)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr == (
        f"twinkit-local: {keys}: expected ACCESS_KEY_ID:SECRET_ACCESS_KEY, got 'AKID:<secret>'\n"
    )


# --- state files ------------------------------------------------------------------------------


def test_a_new_state_file_is_private_and_holds_json_not_pickles(tmp_path: Path) -> None:
    path = tmp_path / "twin.state"
    with twinkit.local.serve(state_file=path) as server, closing(server.client()) as client:
        client.create_workspace(workspaceId="factory", role=ROLE)
        client.create_entity(workspaceId="factory", entityId="pump", entityName="Pump")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with closing(sqlite3.connect(path)) as db:
        meta = dict(db.execute("SELECT key, value FROM meta"))
        rows = db.execute("SELECT kind, value FROM nodes").fetchall()
    assert meta == {"format": "twinkit.local state", "schema": "2"}
    leaves = [json.loads(value) for kind, value in rows if kind == 0]
    entity = next(leaf for leaf in leaves if '"pump"' in json.dumps(leaf))
    assert entity["$record"] == "twinkit.local._backends.entities:EntityRecord"
    assert entity["fields"]["entity_name"] == "Pump"
    reopened = Emulator(state_file=path)
    try:
        assert reopened.state.entities["factory"]["pump"].entity_name == "Pump"
    finally:
        reopened.close()


def test_a_crafted_row_naming_another_callable_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "twin.state"
    Emulator(state_file=path).close()
    crafted = json.dumps({"$record": "os:system", "fields": {"command": "touch pwned"}})
    with closing(sqlite3.connect(path)) as db:
        db.execute("INSERT INTO nodes VALUES (?, 0, ?)", ('"workspaces"\x1f"x"', crafted))
        db.commit()
    with pytest.raises(StateFileError, match="'os:system' is not a class of twinkit"):
        Emulator(state_file=path)
    assert not (tmp_path / "pwned").exists()


def test_another_applications_sqlite_file_is_refused_and_left_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "app.db"
    with closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
        db.execute("INSERT INTO users (name) VALUES ('ada')")
        db.commit()
    before = path.read_bytes()
    with pytest.raises(StateFileError, match="another application's SQLite database"):
        Emulator(state_file=path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app.db"]  # no -wal, no -shm


def test_a_pickle_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "state.pickle"
    path.write_bytes(pickle.dumps({"workspaces": {}}))
    before = path.read_bytes()
    with pytest.raises(StateFileError, match="it is not a twinkit state file"):
        Emulator(state_file=path)
    assert path.read_bytes() == before


def test_a_state_file_of_the_pickling_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "old.state"
    with closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        db.execute("CREATE TABLE nodes (path TEXT PRIMARY KEY, kind INTEGER, value BLOB)")
        db.execute("INSERT INTO meta VALUES ('format', 'twinkit.local state 1')")
        db.commit()
    with pytest.raises(StateFileError, match="written by an older twinkit, which stored pickles"):
        Emulator(state_file=path)


def test_an_empty_state_path_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StateFileError, match="the state file path is empty"):
        Emulator(state_file="")
    result = subprocess.run(
        [sys.executable, "-m", "twinkit.local", "--state", ""],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "argument --state: an empty path" in result.stderr


def test_cli_limits_are_the_server_limits() -> None:
    proc = _cli("--max-header-bytes", "2048", "--max-headers", "5", "--idle-timeout", "1")
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip().rpartition(" ")[2]
        host, _, port = url.removeprefix("http://").partition(":")
        handle = (host, int(port))
        response = _exchange(
            handle, b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 3000 + b"\r\n\r\n"
        )
        assert _aws_error(response)[:2] == (431, "RequestHeaderFieldsTooLargeException")
        many = b"".join(b"X-H%d: v\r\n" % i for i in range(6))
        response = _exchange(
            handle, b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + many + b"\r\n"
        )
        status, _, message = _aws_error(response)
        assert (status, message) == (
            431,
            "the request has 8 header fields; twinkit.local accepts at most 5",
        )
        with socket.create_connection(handle, timeout=10) as sock:
            started = time.monotonic()
            assert sock.recv(1) == b""  # an idle connection is closed
            assert time.monotonic() - started < 4
    finally:
        proc.kill()
        proc.communicate(timeout=10)
