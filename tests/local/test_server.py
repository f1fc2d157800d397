"""The HTTP server (`twinkit.local.serve`, `python -m twinkit.local`) and SigV4 verification."""

from __future__ import annotations

import http.client
import json
import selectors
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing, contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError, EndpointConnectionError

import twinkit.local
from twinkit.local import Emulator, HttpRequest, HttpResponse, ManualClock, ServerHandle

ROLE = "arn:aws:iam::123456789012:role/twinmaker"
START = datetime(2026, 1, 1, tzinfo=timezone.utc)
KEY_ID, SECRET = "AKIDTWINKIT", "twinkit-secret"
BAD_SIGNATURE = (
    "The request signature we calculated does not match the signature you provided. "
    "Check your AWS Secret Access Key and signing method. "
    "Consult the service documentation for details."
)


@pytest.fixture
def server() -> Iterator[ServerHandle]:
    with twinkit.local.serve(emulator=Emulator(clock=ManualClock(START))) as handle:
        yield handle


@pytest.fixture
def client(server: ServerHandle) -> Iterator[Any]:
    client = server.client()
    yield client
    client.close()


def _error(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, str, int]:
    response: Any = excinfo.value.response
    return (
        response["Error"]["Code"],
        response["Error"]["Message"],
        response["ResponseMetadata"]["HTTPStatusCode"],
    )


def _session(key_id: str, secret: str, region: str = "us-east-1") -> boto3.session.Session:
    return boto3.session.Session(
        aws_access_key_id=key_id, aws_secret_access_key=secret, region_name=region
    )


# --- boto3 over HTTP --------------------------------------------------------------------------


def test_server_answers_boto3_create_get_list(server: ServerHandle, client: Any) -> None:
    assert server.url == f"http://127.0.0.1:{server.port}"
    assert server.port != 0
    created = client.create_workspace(workspaceId="factory", role=ROLE, description="cookies")
    assert created["arn"] == "arn:aws:iottwinmaker:us-east-1:123456789012:workspace/factory"
    assert created["creationDateTime"] == START
    assert created["ResponseMetadata"]["HTTPHeaders"]["server"] == "twinkit.local"

    got = client.get_workspace(workspaceId="factory")
    got.pop("ResponseMetadata")
    assert got == {
        "workspaceId": "factory",
        "arn": created["arn"],
        "description": "cookies",
        "role": ROLE,
        "creationDateTime": START,
        "updateDateTime": START,
    }
    listed = client.list_workspaces()["workspaceSummaries"]
    assert [(w["workspaceId"], w["arn"]) for w in listed] == [("factory", created["arn"])]
    assert server.emulator.state.workspaces.keys() == {"factory"}


def test_server_error_has_the_exact_code(client: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.get_workspace(workspaceId="nowhere")
    assert _error(excinfo) == ("ResourceNotFoundException", "Workspace nowhere not found", 404)
    client.create_workspace(workspaceId="factory", role=ROLE)
    with pytest.raises(client.exceptions.ConflictException):
        client.create_workspace(workspaceId="factory", role=ROLE)


def test_server_query_string_and_percent_encoding_reach_the_emulator(client: Any) -> None:
    arn = client.create_workspace(workspaceId="factory", role=ROLE)["arn"]
    client.tag_resource(resourceARN=arn, tags={"team": "a b/c", "site": "x"})
    client.untag_resource(resourceARN=arn, tagKeys=["site", "not there"])
    assert client.list_tags_for_resource(resourceARN=arn)["tags"] == {"team": "a b/c"}


def test_server_unknown_path_is_unknown_operation(server: ServerHandle) -> None:
    with pytest.raises(urllib.error.HTTPError) as excinfo:
        urllib.request.urlopen(f"{server.url}/nothing/here", timeout=10)
    with excinfo.value as error:
        assert error.code == 404
        assert error.headers["x-amzn-ErrorType"] == "UnknownOperationException"
        assert json.loads(error.read()) == {"message": "no operation for GET /nothing/here"}


def test_server_emulator_can_be_replaced_between_requests(server: ServerHandle) -> None:
    first = server.emulator
    with closing(server.client()) as client:
        client.create_workspace(workspaceId="factory", role=ROLE)
        server.emulator = Emulator()
        assert client.list_workspaces()["workspaceSummaries"] == []
    assert first.state.workspaces.keys() == {"factory"}


def test_server_answers_concurrently(server: ServerHandle, client: Any) -> None:
    # A request whose body never comes holds one thread; others are still answered.
    stalled = http.client.HTTPConnection(server.host, server.port, timeout=10)
    stalled.putrequest("POST", "/workspaces-list")
    stalled.putheader("Content-Length", "100")
    stalled.endheaders()
    try:
        assert client.list_workspaces()["workspaceSummaries"] == []
    finally:
        stalled.close()


def test_server_internal_error_is_a_500(server: ServerHandle) -> None:
    class Broken(Emulator):
        def handle(self, request: HttpRequest) -> HttpResponse:
            raise RuntimeError("boom")

    server.emulator = Broken()
    one_try = Config(retries={"total_max_attempts": 1})
    with closing(server.client(config=one_try)) as client, pytest.raises(ClientError) as excinfo:
        client.list_workspaces()
    assert _error(excinfo) == ("InternalServerException", "RuntimeError: boom", 500)


# --- request body limit -----------------------------------------------------------------------


def _post(url: str, body: bytes) -> tuple[int, Any, bytes]:
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers, error.read()


def test_server_refuses_an_oversized_body_with_413() -> None:
    with twinkit.local.serve(max_body_bytes=1024) as server:
        status, headers, body = _post(f"{server.url}/workspaces-list", b" " * 1025)
        assert status == 413
        assert headers["x-amzn-ErrorType"] == "RequestEntityTooLargeException"
        assert headers["Content-Type"] == "application/json"
        assert json.loads(body) == {
            "message": "the request body (1025 bytes) is larger than the 1024 bytes "
            "twinkit.local accepts (see --max-body-bytes)"
        }
        # Exactly the limit is read and answered.
        status, _, body = _post(f"{server.url}/workspaces-list", b"{}".ljust(1024))
        assert (status, json.loads(body)) == (200, {"workspaceSummaries": []})


def test_server_default_limit_is_8_mib_and_checked_before_reading() -> None:
    # Only the headers are sent: the 413 must come without waiting for 8 MiB + 1 bytes.
    with twinkit.local.serve() as server:
        connection = http.client.HTTPConnection(server.host, server.port, timeout=10)
        try:
            connection.putrequest("POST", "/workspaces-list")
            connection.putheader("Content-Type", "application/json")
            connection.putheader("Content-Length", str(8 * 1024 * 1024 + 1))
            connection.endheaders()
            with connection.getresponse() as response:
                assert response.status == 413
                assert json.loads(response.read()) == {
                    "message": "the request body (8388609 bytes) is larger than the 8388608 "
                    "bytes twinkit.local accepts (see --max-body-bytes)"
                }
        finally:
            connection.close()


def _post_chunked(server: ServerHandle, chunks: list[bytes]) -> tuple[int, str, Any]:
    connection = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        connection.request("POST", "/workspaces-list", body=iter(chunks), encode_chunked=True)
        with connection.getresponse() as response:
            error_type = response.headers.get("x-amzn-ErrorType", "")
            return response.status, error_type, json.loads(response.read())
    finally:
        connection.close()


def test_server_refuses_an_oversized_chunked_body() -> None:
    with twinkit.local.serve(max_body_bytes=1024) as server:
        assert _post_chunked(server, [b" " * 600, b" " * 425]) == (
            413,
            "RequestEntityTooLargeException",
            {
                # The chunks are decoded first, so the size is known.
                "message": "the request body (1025 bytes) is larger than the 1024 bytes "
                "twinkit.local accepts (see --max-body-bytes)"
            },
        )
        assert _post_chunked(server, [b" " * 600] * 100)[0] == 413
        assert _post_chunked(server, [b"{}", b" " * 1022]) == (200, "", {"workspaceSummaries": []})


# --- the Python API ---------------------------------------------------------------------------


def test_serve_stops_and_frees_the_port() -> None:
    server = twinkit.local.serve(region="eu-west-1", account_id="111122223333")
    assert server.running
    assert repr(server) == f"<ServerHandle {server.url} running>"
    with closing(server.client()) as client:
        arn = client.create_workspace(workspaceId="factory", role=ROLE)["arn"]
    assert arn == "arn:aws:iottwinmaker:eu-west-1:111122223333:workspace/factory"
    server.stop()
    server.stop()  # idempotent
    assert repr(server) == f"<ServerHandle {server.url} stopped>"
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((server.host, server.port), timeout=5).close()


def test_serve_refuses_an_emulator_and_options_together() -> None:
    with pytest.raises(TypeError, match=r"serve\(\) got an emulator and emulator options"):
        twinkit.local.serve(emulator=Emulator(), region="eu-west-1")


def test_serve_on_a_busy_port_is_an_oserror(server: ServerHandle) -> None:
    with pytest.raises(
        OSError, match=f"cannot listen on 127.0.0.1:{server.port}: Address already in use"
    ):
        twinkit.local.serve(port=server.port)


def _boto3(url: str, config: Config | None = None, **options: Any) -> Any:
    """A plain boto3 client for `url`, as a user would make it."""
    options = {
        "region_name": "us-east-1",
        "aws_access_key_id": "testing",
        "aws_secret_access_key": "testing",
        **options,
    }
    return boto3.client("iottwinmaker", endpoint_url=url, config=config, **options)


def test_boto3_needs_host_prefix_injection_off(
    server: ServerHandle, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("AWS_DISABLE_HOST_PREFIX_INJECTION", raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    no_retries = Config(retries={"total_max_attempts": 1}, connect_timeout=5)
    default = _boto3(server.url, no_retries)
    with closing(default), pytest.raises(EndpointConnectionError) as excinfo:
        default.list_workspaces()
    assert f"http://api.127.0.0.1:{server.port}/workspaces-list" in str(excinfo.value)

    with closing(_boto3(server.url, Config(inject_host_prefix=False))) as configured:
        assert configured.list_workspaces()["workspaceSummaries"] == []


def test_boto3_host_prefix_injection_off_by_environment(
    server: ServerHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_DISABLE_HOST_PREFIX_INJECTION", "true")
    with closing(_boto3(server.url)) as client:
        assert client.list_workspaces()["workspaceSummaries"] == []


def test_boto3_endpoint_and_host_prefix_from_environment(
    server: ServerHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Unchanged code (no endpoint_url, no Config) pointed at the server by the environment.
    monkeypatch.setenv("AWS_ENDPOINT_URL_IOTTWINMAKER", server.url)
    monkeypatch.setenv("AWS_DISABLE_HOST_PREFIX_INJECTION", "true")
    client = boto3.client(
        "iottwinmaker",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    with closing(client):
        client.create_workspace(workspaceId="factory", role=ROLE)
    assert server.emulator.state.workspaces.keys() == {"factory"}


def test_boto3_endpoint_and_host_prefix_from_the_config_file(
    server: ServerHandle, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "config"
    config.write_text(
        "[default]\n"
        "disable_host_prefix_injection = true\n"
        "services = twinkit-local\n\n"
        "[services twinkit-local]\n"
        f"iottwinmaker =\n  endpoint_url = {server.url}\n"
    )
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    client = _session("testing", "testing").client("iottwinmaker")
    with closing(client):
        assert client.list_workspaces()["workspaceSummaries"] == []


def test_boto3_config_in_code_wins_over_the_environment(
    server: ServerHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_DISABLE_HOST_PREFIX_INJECTION", "true")
    config = Config(inject_host_prefix=True, retries={"total_max_attempts": 1}, connect_timeout=5)
    client = _boto3(server.url, config)
    with closing(client), pytest.raises(EndpointConnectionError):
        client.list_workspaces()


# --- SigV4 ------------------------------------------------------------------------------------


@pytest.fixture
def signed_server() -> Iterator[ServerHandle]:
    with twinkit.local.serve(access_keys={KEY_ID: SECRET}) as handle:
        yield handle


def test_sigv4_signed_request_is_answered(signed_server: ServerHandle) -> None:
    with closing(signed_server.client()) as client:  # signs with the emulator's first key
        assert client.create_workspace(workspaceId="factory", role=ROLE)["arn"].endswith(
            "workspace/factory"
        )
        # Query strings with reserved characters are part of the signature.
        arn = "arn:aws:iottwinmaker:us-east-1:123456789012:workspace/factory"
        client.tag_resource(resourceARN=arn, tags={"k": "v"})
        client.untag_resource(resourceARN=arn, tagKeys=["k", "a b/c"])
        assert client.list_tags_for_resource(resourceARN=arn)["tags"] == {}


@pytest.mark.parametrize(
    ("session", "config", "expected"),
    [
        pytest.param(
            _session(KEY_ID, SECRET),
            Config(signature_version=UNSIGNED),
            ("MissingAuthenticationTokenException", "Missing Authentication Token", 403),
            id="unsigned",
        ),
        pytest.param(
            _session("AKIDUNKNOWN", SECRET),
            None,
            (
                "UnrecognizedClientException",
                "The security token included in the request is invalid.",
                403,
            ),
            id="unknown-key",
        ),
        pytest.param(
            _session(KEY_ID, "wrong-secret"),
            None,
            ("InvalidSignatureException", BAD_SIGNATURE, 403),
            id="wrong-secret",
        ),
        pytest.param(
            _session(KEY_ID, SECRET, region="eu-west-1"),
            None,
            (
                "InvalidSignatureException",
                "Credential should be scoped to a valid region. ",
                403,
            ),
            id="wrong-region",
        ),
    ],
)
def test_sigv4_refusals_over_http(
    signed_server: ServerHandle,
    session: boto3.session.Session,
    config: Config | None,
    expected: tuple[str, str, int],
) -> None:
    kwargs = {} if config is None else {"config": config}
    with closing(signed_server.client(session=session, **kwargs)) as client:
        with pytest.raises(ClientError) as excinfo:
            client.list_workspaces()
        assert _error(excinfo) == expected
        assert excinfo.value.response["ResponseMetadata"]["RetryAttempts"] == 0
    assert signed_server.emulator.state.workspaces == {}


def test_sigv4_in_process() -> None:
    twin = Emulator(access_keys={KEY_ID: SECRET, "AKIDOTHER": "other"})
    with closing(twin.client()) as client:
        assert client.list_workspaces()["workspaceSummaries"] == []
    with closing(twin.client(session=_session("AKIDOTHER", "other"))) as client:
        assert client.list_workspaces()["workspaceSummaries"] == []
    with closing(twin.client(session=_session(KEY_ID, "nope"))) as client:
        with pytest.raises(ClientError) as excinfo:
            client.list_workspaces()
        assert _error(excinfo) == ("InvalidSignatureException", BAD_SIGNATURE, 403)
    with closing(twin.client(config=Config(signature_version=UNSIGNED))) as client:
        with pytest.raises(ClientError) as excinfo:
            client.list_workspaces()
        assert _error(excinfo)[0] == "MissingAuthenticationTokenException"


def _post_with(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, Any, Any]:
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, json.loads(response.read())
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers, json.loads(error.read())


def test_sigv4_tampered_requests_are_refused(signed_server: ServerHandle) -> None:
    sent: list[Any] = []
    with closing(signed_server.client()) as client:
        client.meta.events.register(
            "before-send.iottwinmaker", lambda request, **_: sent.append(request)
        )
        client.list_workspaces(maxResults=5)
    (original,) = sent
    headers = {k: v.decode() if isinstance(v, bytes) else v for k, v in original.headers.items()}

    def replay(body: bytes, url: str = original.url, **changes: str) -> tuple[int, str, str]:
        status, got, answer = _post_with(url, body, {**headers, **changes})
        return status, got.get("x-amzn-ErrorType", ""), answer.get("message", "")

    # The request as signed is answered (replayed: the clock is not checked).
    assert replay(original.body)[0] == 200
    assert replay(original.body.replace(b"5", b"6")) == (
        403,
        "InvalidSignatureException",
        BAD_SIGNATURE,
    )
    assert replay(original.body, url=original.url + "?nextToken=x") == (
        403,
        "InvalidSignatureException",
        BAD_SIGNATURE,
    )
    assert replay(original.body, Authorization="Basic dXNlcjpwYXNz") == (
        403,
        "IncompleteSignatureException",
        "Unsupported Authorization Type: expected AWS4-HMAC-SHA256. "
        "Authorization=Basic dXNlcjpwYXNz",
    )
    no_signature = headers["Authorization"].split(", Signature=")[0]
    assert replay(original.body, Authorization=no_signature) == (
        403,
        "IncompleteSignatureException",
        f"Authorization header requires 'Signature' parameter. Authorization={no_signature}",
    )
    assert replay(original.body, **{"X-Amz-Content-SHA256": "0" * 64}) == (
        403,
        "InvalidSignatureException",
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
    )


# --- python -m twinkit.local ------------------------------------------------------------------


def _read_line(stream: IO[str], timeout: float) -> str:
    with selectors.DefaultSelector() as selector:
        selector.register(stream, selectors.EVENT_READ)
        if not selector.select(timeout):
            raise AssertionError(f"nothing on stdout within {timeout}s")
    return stream.readline()


PREFIX = "twinkit.local listening on http://127.0.0.1:"


@contextmanager
def _cli(*args: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """`python -m twinkit.local ARGS` once it listens, and its URL; killed if still running."""
    with subprocess.Popen(
        [sys.executable, "-m", "twinkit.local", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        try:
            assert proc.stdout is not None
            line = _read_line(proc.stdout, timeout=60)
            assert line.startswith(PREFIX), (line, proc.stderr.read() if proc.stderr else "")
            assert line.endswith("\n")
            yield proc, "http://127.0.0.1:" + line[len(PREFIX) :].strip()
        finally:
            if proc.poll() is None:
                proc.kill()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_server_cli_stops_cleanly_on_signal(signum: signal.Signals) -> None:
    with _cli("--port", "0", "--quiet", "--region", "eu-west-1") as (proc, url):
        assert int(url.rsplit(":", 1)[1]) != 0
        config = Config(inject_host_prefix=False)
        with closing(_boto3(url, config, region_name="eu-west-1")) as client:
            arn = client.create_workspace(workspaceId="factory", role=ROLE)["arn"]
        assert arn == "arn:aws:iottwinmaker:eu-west-1:123456789012:workspace/factory"
        started = time.monotonic()
        proc.send_signal(signum)
        assert proc.wait(timeout=10) == 0
        assert time.monotonic() - started < 5
        assert proc.stdout is not None
        assert proc.stderr is not None
        assert proc.stdout.read() == ""
        assert proc.stderr.read() == ""


def test_server_cli_logs_requests_unless_quiet() -> None:
    with _cli("--port", "0") as (proc, url):
        with pytest.raises(urllib.error.HTTPError) as excinfo:
            urllib.request.urlopen(f"{url}/nothing", timeout=10)
        excinfo.value.close()
        proc.terminate()
        assert proc.wait(timeout=10) == 0
        assert proc.stderr is not None
        assert 'twinkit.local.server INFO 127.0.0.1 "GET /nothing" 404' in proc.stderr.read()


@pytest.mark.parametrize("quiet", [False, True], ids=["logged", "quiet"])
def test_server_cli_quiet_also_silences_waitress_queue_warnings(quiet: bool) -> None:
    # One worker and 50 ms of latency: of 4 requests at once, 3 wait in waitress's queue,
    # which warns of each; --quiet must keep stderr free of a line per request.
    options = ["--port", "0", "--threads", "1", "--latency-ms", "50"] + (
        ["--quiet"] if quiet else []
    )
    with _cli(*options) as (proc, url):

        def call() -> None:
            with pytest.raises(urllib.error.HTTPError) as excinfo:
                urllib.request.urlopen(f"{url}/nothing", timeout=30)
            excinfo.value.close()

        with ThreadPoolExecutor(4) as pool:
            list(pool.map(lambda _: call(), range(4)))
        proc.terminate()
        assert proc.wait(timeout=10) == 0
        assert proc.stderr is not None
        warned = "Task queue depth" in proc.stderr.read()
    assert warned is not quiet


def test_server_cli_access_keys_are_checked() -> None:
    with _cli("--port", "0", "--quiet", "--access-key", f"{KEY_ID}:{SECRET}") as (proc, url):
        config = Config(inject_host_prefix=False)
        signed = _boto3(url, config, aws_access_key_id=KEY_ID, aws_secret_access_key=SECRET)
        with closing(signed) as client:
            assert client.list_workspaces()["workspaceSummaries"] == []
        wrong = _boto3(url, config, aws_access_key_id=KEY_ID, aws_secret_access_key="nope")
        with closing(wrong) as client, pytest.raises(ClientError) as excinfo:
            client.list_workspaces()
        assert _error(excinfo) == ("InvalidSignatureException", BAD_SIGNATURE, 403)
        proc.terminate()
        assert proc.wait(timeout=10) == 0


def _run(*args: str, code: str | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", code, *args] if code else [sys.executable, *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


def test_server_cli_rejects_bad_options() -> None:
    result = _run("-m", "twinkit.local", "--access-key", "no-secret")
    assert result.returncode == 2
    assert "expected ACCESS_KEY_ID:SECRET_ACCESS_KEY, got 'no-secret'" in result.stderr
    result = _run("-m", "twinkit.local", "--port", "70000")
    assert result.returncode == 2
    assert "a port is between 0 and 65535, not 70000" in result.stderr


def test_server_cli_busy_port_exits_1(server: ServerHandle) -> None:
    result = _run("-m", "twinkit.local", "--port", str(server.port))
    assert result.returncode == 1
    assert f"twinkit-local: twinkit.local cannot listen on 127.0.0.1:{server.port}" in (
        result.stderr
    )
    assert result.stdout == ""


WITHOUT_WAITRESS = "import sys; sys.modules['waitress'] = None; "


def test_server_cli_without_waitress_names_the_extra() -> None:
    result = _run(
        "--port",
        "0",
        code=WITHOUT_WAITRESS + "from twinkit.local.__main__ import main; sys.exit(main())",
    )
    assert result.returncode == 1
    assert result.stderr == (
        "twinkit-local: twinkit.local's HTTP server needs waitress: pip install 'twinkit[local]'\n"
    )


def test_server_importing_twinkit_local_does_not_import_waitress() -> None:
    code = (
        WITHOUT_WAITRESS + "import twinkit.local; "
        "twinkit.local.Emulator().client().list_workspaces(); "
        "print(sorted(m for m in sys.modules if m.startswith('waitress')))\n"
        "try:\n    twinkit.local.serve()\n"
        "except ImportError as exc:\n    print(exc)"
    )
    result = _run(code=code)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "['waitress']\n"  # only the None placed above
        "twinkit.local's HTTP server needs waitress: pip install 'twinkit[local]'\n"
    )


def test_server_console_script_is_installed() -> None:
    from importlib.metadata import entry_points

    (script,) = [e for e in entry_points(group="console_scripts") if e.name == "twinkit-local"]
    assert script.value == "twinkit.local.__main__:main"


def test_server_threads_are_gone_after_stop() -> None:
    before = {t.name for t in threading.enumerate()}
    with twinkit.local.serve() as server:
        name = f"twinkit.local server {server.url}"
        assert name in {t.name for t in threading.enumerate()}
    assert {t.name for t in threading.enumerate()} <= before
