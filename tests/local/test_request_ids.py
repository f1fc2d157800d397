"""Request ids: shaped like the service's (version 4 UUIDs) and unique, a forked child's too."""

from __future__ import annotations

import os
import uuid

from twinkit.local import Emulator
from twinkit.local._protocol import request_id


def test_responses_carry_distinct_version_4_uuids() -> None:
    client = Emulator().client()
    ids = [client.list_workspaces()["ResponseMetadata"]["RequestId"] for _ in range(50)]
    assert len(set(ids)) == len(ids)
    assert all(uuid.UUID(found).version == 4 and str(uuid.UUID(found)) == found for found in ids)


def test_a_forked_child_answers_with_ids_its_parent_never_uses() -> None:
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # the child: send one id and leave at once, whatever happens
        try:
            os.write(write, request_id().encode())
        finally:
            os._exit(0)
    os.close(write)
    os.waitpid(child, 0)
    with os.fdopen(read) as pipe:
        theirs = pipe.read()
    ours = request_id()
    assert uuid.UUID(theirs).version == 4
    assert theirs[:24] != ours[:24]  # another random prefix, not the parent's next number
