"""Helpers the emulator's tests share: reading boto3 responses and the errors they raise."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError


def body(response: dict[str, Any]) -> dict[str, Any]:
    """The response without boto3's metadata."""
    response.pop("ResponseMetadata", None)
    return response


def rejects(error: type[Exception], call: Callable[..., Any], **kwargs: Any) -> str:
    """The message of the `error` that `call(**kwargs)` raises."""
    with pytest.raises(error) as caught:
        call(**kwargs)
    message: str = caught.value.response["Error"]["Message"]  # type: ignore[attr-defined]
    return message


def code_and_message(call: Callable[..., Any], **kwargs: Any) -> tuple[str, str]:
    """The error code and message of the service error `call(**kwargs)` raises."""
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    error: Any = caught.value.response["Error"]
    return error["Code"], error["Message"]
