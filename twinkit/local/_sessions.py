"""The sessions the emulator builds its clients from, sharing one botocore data loader.

A fresh boto3 or aiobotocore session reads botocore's JSON data again (the service model, the
endpoints, the partitions): about 0.1 s for each client `Emulator.client()` made, most of a
test's set-up. Every client the emulator makes reads the same files, so its sessions share one
loader, which keeps what it has read: a client then costs about a quarter of that. A session
given by the caller is used as it is.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

import boto3
import botocore.session
from botocore.loaders import Loader, create_loader

if TYPE_CHECKING:
    from aiobotocore.session import AioSession

__all__ = ["aio_session", "boto3_session"]

_loader: Loader | None = None
_lock = threading.Lock()


def _shared_loader() -> Loader:
    global _loader
    with _lock:
        if _loader is None:
            _loader = create_loader()
        return _loader


def boto3_session(key_id: str, secret: str, region: str) -> boto3.session.Session:
    """A boto3 session with these credentials and region, on the shared loader."""
    core = botocore.session.Session()
    core.register_component("data_loader", _shared_loader())
    return boto3.session.Session(
        botocore_session=core,
        aws_access_key_id=key_id,
        aws_secret_access_key=secret,
        region_name=region,
    )


def aio_session() -> AioSession:
    """An aiobotocore session on the shared loader (needs aiobotocore)."""
    from aiobotocore.session import AioSession

    session: Any = AioSession()
    session.register_component("data_loader", _shared_loader())
    result: AioSession = session
    return result
