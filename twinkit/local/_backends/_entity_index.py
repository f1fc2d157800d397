"""The live entities of one workspace, indexed so that reads cost what they return.

`EntityTable` is the container at `EmulatorState.entities[workspace_id]`: a `MutableMapping`
from entity id to record that keeps, as records are put and removed, the ids in order, the
children of each parent in order, and the entities using each component type in order. So
GetEntity (`has_child_entities`) is O(1) and a ListEntities page, filtered by parent or
component type or not, is O(page size x log n) instead of a sort of the whole workspace.

The indexes follow every change, the journal's rollbacks included (they go through
`__setitem__` and `__delitem__` too), and are rebuilt from the records when a state file is
loaded, so they are never stored.

The ordered sets are `sortedcontainers.SortedSet` (pure Python, no compiled code, already a
dependency of hypothesis): insertion and removal are O(log n) and iterating from a key is
O(log n + k), which no structure of the standard library offers (a sorted list costs O(n) per
insertion; at 100,000 entities that is the cost this module removes).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator, MutableMapping
from typing import TYPE_CHECKING, Any

from sortedcontainers import SortedSet

if TYPE_CHECKING:
    from twinkit.local._backends.entities import EntityRecord

__all__ = ["EntityTable"]


def _from(ordered: Any, after: str | None) -> Iterator[str]:
    """The members of a `SortedSet` strictly after `after` (all when None), in order."""
    if after is None:
        return iter(ordered)
    return iter(ordered.irange(minimum=after, inclusive=(False, True)))


class EntityTable(MutableMapping[str, "EntityRecord"]):
    """A workspace's live entities by id, with ordered indexes by id, parent and type."""

    def __init__(self, records: Iterable[tuple[str, EntityRecord]] = ()) -> None:
        self._records: dict[str, EntityRecord] = {}
        self._ids: Any = SortedSet()
        self._children: dict[str, Any] = {}
        self._by_type: dict[str, Any] = {}
        for entity_id, record in records:
            self[entity_id] = record

    # --- the mapping ------------------------------------------------------------------------------

    def __getitem__(self, entity_id: str) -> EntityRecord:
        return self._records[entity_id]

    def __setitem__(self, entity_id: str, record: EntityRecord) -> None:
        old = self._records.get(entity_id)
        if old is not None:
            self._unindex(entity_id, old)
        self._records[entity_id] = record
        self._ids.add(entity_id)
        self._children.setdefault(record.parent_entity_id, SortedSet()).add(entity_id)
        for type_id in _types(record):
            self._by_type.setdefault(type_id, SortedSet()).add(entity_id)

    def __delitem__(self, entity_id: str) -> None:
        record = self._records.pop(entity_id)
        self._unindex(entity_id, record)

    def __iter__(self) -> Iterator[str]:
        return iter(self._records)

    def __len__(self) -> int:
        return len(self._records)

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self._records

    def __repr__(self) -> str:
        return f"<EntityTable of {len(self)} entities>"

    def _unindex(self, entity_id: str, record: EntityRecord) -> None:
        self._ids.discard(entity_id)
        _discard(self._children, record.parent_entity_id, entity_id)
        for type_id in _types(record):
            _discard(self._by_type, type_id, entity_id)

    # --- the indexes ------------------------------------------------------------------------------

    def has_children(self, entity_id: str) -> bool:
        """Whether a live entity has `entity_id` as its parent."""
        return entity_id in self._children

    def children(self, parent_id: str) -> list[str]:
        """The ids of the entities directly under `parent_id`, sorted."""
        return list(self._children.get(parent_id, ()))

    def ids_after(self, after: str | None = None) -> Iterator[str]:
        """Every entity id after `after` (all when None), in order."""
        return _from(self._ids, after)

    def children_after(self, parent_id: str, after: str | None = None) -> Iterator[str]:
        """The ids of `parent_id`'s children after `after`, in order."""
        children = self._children.get(parent_id)
        return iter(()) if children is None else _from(children, after)

    def component_types(self) -> list[str]:
        """The ids of the component types some live entity has a component of."""
        return list(self._by_type)

    def using_after(self, type_ids: Iterable[str], after: str | None = None) -> Iterator[str]:
        """The ids of the entities with a component of one of `type_ids`, after `after`, in
        order and each once."""
        streams = [_from(self._by_type[t], after) for t in set(type_ids) if t in self._by_type]
        previous = None
        for entity_id in heapq.merge(*streams):
            if entity_id != previous:
                yield entity_id
                previous = entity_id


def _types(record: EntityRecord) -> set[str]:
    return {component.component_type_id for component in record.components.values()}


def _discard(index: dict[str, Any], key: str, entity_id: str) -> None:
    members = index.get(key)
    if members is not None:
        members.discard(entity_id)
        if not members:
            del index[key]
