"""Optional SigV4 verification: refuse requests that are unsigned or wrongly signed.

This module owns checking a request's `Authorization` header against the access keys an
emulator was given, by recomputing the signature from the received request with botocore's
own `SigV4Auth` (method, path, query string, the headers named in `SignedHeaders`, the body
hash), and answering refusals the way the service does: HTTP 403 with `x-amzn-ErrorType`
set to `MissingAuthenticationTokenException` (unsigned), `UnrecognizedClientException`
(unknown access key), `IncompleteSignatureException` (a malformed `Authorization` header) or
`InvalidSignatureException` (a signature, scope or body hash that does not match).

The request's date (`X-Amz-Date`, else `Date`) must be within `MAX_CLOCK_SKEW` (15 minutes)
of the wall clock, as AWS requires: an older or later one is an
`InvalidSignatureException` ("Signature expired" / "Signature not yet current"), so clock-skew
bugs show up locally too.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Any

from botocore.auth import SIGV4_TIMESTAMP, UNSIGNED_PAYLOAD, SigV4Auth
from botocore.awsrequest import AWSRequest, HTTPHeaders
from botocore.credentials import Credentials

from twinkit.local._protocol import HttpRequest, HttpResponse, error_response

__all__ = [
    "ALGORITHM",
    "MAX_CLOCK_SKEW",
    "SERVICE",
    "AuthFailure",
    "ACCESS_KEYS_ENV",
    "check_signature",
    "parse_access_key",
    "parse_access_keys",
    "refusal",
]

ALGORITHM = "AWS4-HMAC-SHA256"
SERVICE = "iottwinmaker"
"""The signing name of AWS IoT TwinMaker: the service part of a credential scope."""

MAX_CLOCK_SKEW = timedelta(minutes=15)
"""How far a request's date may be from the emulator's clock, either way (AWS's limit)."""

_TIMESTAMP = re.compile(r"^\d{8}T\d{6}Z$")


class AuthFailure(Exception):
    """Why a request is refused: the service's error code and message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def refusal(failure: AuthFailure) -> HttpResponse:
    """The 403 response the service sends for `failure` (REST-JSON, `x-amzn-ErrorType`)."""
    return error_response(403, failure.code, failure.message)


ACCESS_KEYS_ENV = "TWINKIT_LOCAL_ACCESS_KEYS"
"""The environment variable the command line reads access keys from: `ID:SECRET` pairs,
separated by commas or new lines (so the secret stays out of the process list)."""


def parse_access_keys(text: str) -> list[tuple[str, str]]:
    """Access keys from a file's or variable's text: `ID:SECRET` per line or comma-separated;
    blank lines and lines starting with `#` are skipped.

    Raises:
        ValueError: When an entry is not `ID:SECRET` (the secret is not echoed).
    """
    keys = []
    for line in text.splitlines():
        if line.strip().startswith("#"):
            continue
        for entry in line.split(","):
            if entry.strip():
                keys.append(parse_access_key(entry.strip()))
    return keys


def parse_access_key(text: str) -> tuple[str, str]:
    """An access key given as `ACCESS_KEY_ID:SECRET_ACCESS_KEY`, as `(id, secret)`.

    Raises:
        ValueError: When either part is missing.
    """
    key_id, sep, secret = text.partition(":")
    if not sep or not key_id or not secret:
        shown = f"{key_id}:<secret>" if sep else text  # never echo a secret
        raise ValueError(f"expected ACCESS_KEY_ID:SECRET_ACCESS_KEY, got {shown!r}")
    return key_id, secret


class _Recompute(SigV4Auth):  # type: ignore[misc]  # botocore is untyped
    """botocore's signer, limited to the headers the client says it signed."""

    def __init__(self, credentials: Credentials, region: str, signed_headers: list[str]) -> None:
        super().__init__(credentials, SERVICE, region)
        self._signed_headers = signed_headers

    def headers_to_sign(self, request: AWSRequest) -> HTTPHeaders:
        header_map = HTTPHeaders()
        for name in self._signed_headers:
            for value in request.headers.get_all(name, []):
                header_map[name] = value
        return header_map


def _parse_authorization(value: str) -> dict[str, str]:
    if not value.startswith(ALGORITHM + " "):
        raise AuthFailure(
            "IncompleteSignatureException",
            f"Unsupported Authorization Type: expected {ALGORITHM}. Authorization={value}",
        )
    fields: dict[str, str] = {}
    for part in value[len(ALGORITHM) :].split(","):
        name, sep, field = part.strip().partition("=")
        if sep:
            fields[name] = field.strip()
    missing = [
        name for name in ("Credential", "SignedHeaders", "Signature") if not fields.get(name)
    ]
    if missing:
        details = " ".join(f"Authorization header requires '{name}' parameter." for name in missing)
        raise AuthFailure("IncompleteSignatureException", f"{details} Authorization={value}")
    return fields


def _timestamp(headers: Mapping[str, str]) -> str:
    amz_date = headers.get("x-amz-date")
    if amz_date is not None:
        if not _TIMESTAMP.match(amz_date):
            raise AuthFailure(
                "IncompleteSignatureException",
                f"Date must be in ISO-8601 'basic format'. Got '{amz_date}'.",
            )
        return amz_date
    date = headers.get("date")
    if date is not None:
        try:
            parsed = parsedate_to_datetime(date)
        except (TypeError, ValueError):
            parsed = None
        if parsed is not None:
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=timezone.utc)
            return parsed.astimezone(timezone.utc).strftime(SIGV4_TIMESTAMP)
    raise AuthFailure(
        "IncompleteSignatureException",
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    )


def _check_scope(scope: list[str], timestamp: str, region: str) -> None:
    date, scope_region, service, terminator = scope
    if terminator != "aws4_request":
        raise AuthFailure(
            "InvalidSignatureException",
            f"Credential should be scoped with a valid terminator: 'aws4_request', "
            f"not '{terminator}'.",
        )
    if service != SERVICE:
        raise AuthFailure(
            "InvalidSignatureException",
            f"Credential should be scoped to correct service: '{SERVICE}'. ",
        )
    if scope_region != region:
        raise AuthFailure(
            "InvalidSignatureException", "Credential should be scoped to a valid region. "
        )
    if date != timestamp[:8]:
        raise AuthFailure(
            "InvalidSignatureException",
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
            f"from HTTP: '{date}' != '{timestamp[:8]}', from '{timestamp}'.",
        )


def _check_date(timestamp: str, now: datetime) -> None:
    signed = datetime.strptime(timestamp, SIGV4_TIMESTAMP).replace(tzinfo=timezone.utc)
    now = now.astimezone(timezone.utc)

    def basic(moment: datetime) -> str:
        return moment.strftime(SIGV4_TIMESTAMP)

    if signed < now - MAX_CLOCK_SKEW:
        raise AuthFailure(
            "InvalidSignatureException",
            f"Signature expired: {timestamp} is now earlier than {basic(now - MAX_CLOCK_SKEW)} "
            f"({basic(now)} - 15 min.)",
        )
    if signed > now + MAX_CLOCK_SKEW:
        raise AuthFailure(
            "InvalidSignatureException",
            f"Signature not yet current: {timestamp} is still later than "
            f"{basic(now + MAX_CLOCK_SKEW)} ({basic(now)} + 15 min.)",
        )


def _query_pairs(query: Mapping[str, Any]) -> list[tuple[str, str]]:
    return [(name, value) for name, values in query.items() for value in values]


def check_signature(
    request: HttpRequest, access_keys: Mapping[str, str], region: str, now: datetime
) -> None:
    """Check that `request` is SigV4-signed for TwinMaker in `region` by one of `access_keys`.

    Args:
        request: The request as received.
        access_keys: Access key id -> secret access key.
        region: The region the credential scope must name.
        now: The current time: the request's date must be within 15 minutes of it.

    Raises:
        AuthFailure: When the request is unsigned, signed with an unknown key, or its
            signature does not match the one recomputed from what was received.
    """
    headers = {name.lower(): value for name, value in request.headers.items()}
    authorization = headers.get("authorization")
    if not authorization:
        raise AuthFailure("MissingAuthenticationTokenException", "Missing Authentication Token")
    fields = _parse_authorization(authorization)
    key_id, *scope = fields["Credential"].split("/")
    if len(scope) != 4:
        raise AuthFailure(
            "IncompleteSignatureException",
            f"Credential must have exactly 5 slash-delimited elements, e.g. "
            f"keyid/date/region/service/term, got '{fields['Credential']}'",
        )
    secret = access_keys.get(key_id)
    if secret is None:
        raise AuthFailure(
            "UnrecognizedClientException", "The security token included in the request is invalid."
        )
    signed_headers = fields["SignedHeaders"].lower().split(";")
    if "host" not in signed_headers:
        raise AuthFailure(
            "InvalidSignatureException",
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
        )
    timestamp = _timestamp(headers)
    _check_scope(scope, timestamp, region)
    _check_date(timestamp, now)

    body_hash = hashlib.sha256(request.body).hexdigest()
    declared_hash = headers.get("x-amz-content-sha256")
    if declared_hash not in (None, UNSIGNED_PAYLOAD, body_hash):
        raise AuthFailure(
            "InvalidSignatureException",
            "The provided 'x-amz-content-sha256' header does not match what was computed.",
        )
    # Plain http, so that botocore hashes the body (over https it may honour
    # `payload_signing_enabled`). The URL only carries the path: the host that is checked
    # is the `Host` header, signed like any other.
    received = AWSRequest(
        method=request.method,
        url=f"http://localhost{request.path}",
        headers=request.headers,
        data=request.body,
        params=_query_pairs(request.query),
    )
    received.context["timestamp"] = timestamp
    signer = _Recompute(Credentials(key_id, secret), scope[1], signed_headers)
    canonical_request = signer.canonical_request(received)
    expected = signer.signature(signer.string_to_sign(received, canonical_request), received)
    if not hmac.compare_digest(expected, fields["Signature"]):
        raise AuthFailure(
            "InvalidSignatureException",
            "The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method. "
            "Consult the service documentation for details.",
        )
