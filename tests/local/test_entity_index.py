"""The entity indexes (`EntityTable`) answer ListEntities and GetEntity exactly as a scan of
every entity would: for any tree, any component types, any filter and page size, with moves,
deletions and rolled-back requests in between. Through boto3, in-process."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
from botocore.config import Config
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import twinkit.local
from twinkit.local import ManualClock

ROLE = "arn:aws:iam::123456789012:role/twinmaker"
BASE, DERIVED, OTHER = "com.example.base", "com.example.derived", "com.example.other"
TYPES = [None, BASE, DERIVED, OTHER]
ROOT = "$ROOT"


def _setup(client: Any) -> None:
    client.create_workspace(workspaceId="ws", role=ROLE)
    client.create_component_type(workspaceId="ws", componentTypeId=BASE)
    client.create_component_type(workspaceId="ws", componentTypeId=DERIVED, extendsFrom=[BASE])
    client.create_component_type(workspaceId="ws", componentTypeId=OTHER)


def _list_all(client: Any, page_size: int, filters: list[dict[str, str]]) -> list[str]:
    ids: list[str] = []
    token = None
    while True:
        kwargs: dict[str, Any] = {"workspaceId": "ws", "maxResults": page_size}
        if filters:
            kwargs["filters"] = filters
        if token:
            kwargs["nextToken"] = token
        page = client.list_entities(**kwargs)
        assert len(page["entitySummaries"]) <= page_size
        ids.extend(s["entityId"] for s in page["entitySummaries"])
        token = page.get("nextToken")
        if not token:
            return ids


entity_plans = st.lists(
    st.tuples(st.integers(min_value=0, max_value=40), st.sampled_from(TYPES)),
    min_size=1,
    max_size=25,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    plan=entity_plans,
    moves=st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=5),
    deletions=st.lists(st.integers(0, 40), max_size=4),
    page_size=st.integers(min_value=1, max_value=7),
)
def test_listing_through_the_indexes_matches_a_scan(
    plan: list[tuple[int, str | None]],
    moves: list[tuple[int, int]],
    deletions: list[int],
    page_size: int,
) -> None:
    with twinkit.local.emulator(
        clock=ManualClock(datetime(2026, 1, 1, tzinfo=timezone.utc))
    ) as twin:
        client = twin.client(config=Config(retries={"total_max_attempts": 1}))
        _setup(client)
        parents: dict[str, str] = {}
        types: dict[str, str | None] = {}
        for index, (parent_pick, type_id) in enumerate(plan):
            entity_id = f"e{index:02d}"
            existing = sorted(parents)
            parent = existing[parent_pick % len(existing)] if existing and parent_pick % 3 else ROOT
            kwargs: dict[str, Any] = {"workspaceId": "ws", "entityId": entity_id, "entityName": "n"}
            if parent != ROOT:
                kwargs["parentEntityId"] = parent
            if type_id is not None:
                kwargs["components"] = {"c": {"componentTypeId": type_id}}
            client.create_entity(**kwargs)
            parents[entity_id], types[entity_id] = parent, type_id

        def descendants(entity_id: str) -> set[str]:
            found = {entity_id}
            changed = True
            while changed:
                more = {e for e, p in parents.items() if p in found} - found
                found |= more
                changed = bool(more)
            return found

        for child_pick, parent_pick in moves:
            ids = sorted(parents)
            child, parent = ids[child_pick % len(ids)], ids[parent_pick % len(ids)]
            if parent in descendants(child):
                continue  # a cycle: refused by the service, nothing changes
            # A move that an injected fault rolls back leaves the indexes as they were.
            twin.fail_next("InternalServerException", operation="UpdateEntity")
            update = {"updateType": "UPDATE", "parentEntityId": parent}
            with pytest.raises(client.exceptions.InternalServerException):
                client.update_entity(workspaceId="ws", entityId=child, parentEntityUpdate=update)
            client.update_entity(workspaceId="ws", entityId=child, parentEntityUpdate=update)
            parents[child] = parent

        deleting: set[str] = set()
        for pick in deletions:
            live = sorted(set(parents) - deleting)
            if not live:
                break
            victim = live[pick % len(live)]
            doomed = {d for d in descendants(victim) if d not in deleting}
            client.delete_entity(workspaceId="ws", entityId=victim, isRecursive=True)
            deleting |= doomed

        everything = sorted(parents)
        assert _list_all(client, page_size, []) == everything  # being deleted: still listed
        for parent in {ROOT, *everything}:
            expected = sorted(e for e, p in parents.items() if p == parent)
            got = _list_all(client, page_size, [{"parentEntityId": parent}])
            assert got == expected, parent
        for wanted, matching in ((BASE, {BASE, DERIVED}), (DERIVED, {DERIVED}), (OTHER, {OTHER})):
            expected = sorted(e for e, t in types.items() if t in matching)
            got = _list_all(client, page_size, [{"componentTypeId": wanted}])
            assert got == expected, wanted
        live_parents = {p for e, p in parents.items() if e not in deleting}
        for entity_id in everything:
            entity = client.get_entity(workspaceId="ws", entityId=entity_id)
            assert entity["hasChildEntities"] == (entity_id in live_parents)
            assert entity["parentEntityId"] == parents[entity_id]
