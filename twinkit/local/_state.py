"""The emulator's state: plain records behind one lock, changed only through a journal.

Backends never mutate a record: they replace it, through `Journal.put` and `Journal.remove`,
so a request that fails half-way is rolled back exactly (nothing is half-written). The journal
also remembers which `(container, key)` pairs a request touched, so that a persistent store
(`twinkit.local._persistence`) writes only those, in one transaction, once the request succeeded.

Containers are `MutableMapping`s (plain dicts, or a backend's own mapping such as a time series)
nested under the `EmulatorState` fields; their keys are strings or integers and their values are
immutable, picklable records or further containers.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, MutableMapping
from datetime import datetime, timedelta
from typing import Any, TypeVar

import attrs

from twinkit.local._clock import Clock
from twinkit.models import State as ResourceState

__all__ = [
    "Context",
    "EmulatorState",
    "Journal",
    "Lifecycle",
    "child_container",
    "given_or",
    "tombstones",
]

K = TypeVar("K")
V = TypeVar("V")

_MISSING = object()


class Journal:
    """Every change a request makes, so that a failure can undo all of them."""

    def __init__(self) -> None:
        self._undo: list[Callable[[], None]] = []
        self.touched: list[tuple[MutableMapping[Any, Any], Any]] = []
        """Each `(container, key)` changed, in order (repeats included)."""

    def put(self, container: MutableMapping[K, V], key: K, value: V) -> None:
        """Set `container[key] = value`, remembering what was there."""
        old: Any = container.get(key, _MISSING)
        container[key] = value
        if old is _MISSING:
            self._undo.append(lambda: container.pop(key, None))  # type: ignore[arg-type]
        else:
            self._undo.append(lambda: container.__setitem__(key, old))
        self.touched.append((container, key))

    def put_all(self, container: MutableMapping[K, V], items: Iterable[tuple[K, V]]) -> None:
        """`put` each `(key, value)` of `items` into `container`, with one undo for all of
        them (a batch write stores a hundred values in one series)."""
        get, touched = container.get, self.touched
        olds: list[tuple[K, Any]] = []
        for key, value in items:
            olds.append((key, get(key, _MISSING)))
            container[key] = value
            touched.append((container, key))

        def undo() -> None:
            for key, old in reversed(olds):
                if old is _MISSING:
                    container.pop(key, None)
                else:
                    container[key] = old

        self._undo.append(undo)

    def changed(
        self, container: MutableMapping[Any, Any], keys: Iterable[Any], undo: Callable[[], None]
    ) -> None:
        """Remember a change a container made in bulk, past `put`: the keys it set, and the
        function that restores it (a time series appends a batch of later values at once)."""
        self._undo.append(undo)
        self.touched.extend((container, key) for key in keys)

    def remove(self, container: MutableMapping[K, V], key: K) -> None:
        """Delete `container[key]` if present, remembering it."""
        if key not in container:
            return
        old = container.pop(key)
        self._undo.append(lambda: container.__setitem__(key, old))
        self.touched.append((container, key))

    def rollback(self) -> None:
        """Undo every change, newest first."""
        while self._undo:
            self._undo.pop()()
        self.touched.clear()


@attrs.frozen
class Lifecycle:
    """Where a resource is in its life: a transitional state until a deadline, then settled.

    The state is computed when read, from the clock, so no background thread is needed and a
    `ManualClock` controls it exactly.
    """

    transition: ResourceState | None = None
    until: datetime | None = None
    error: tuple[str, str] | None = None
    """An `(errorCode, message)` pair once the resource has failed."""

    def state(self, now: datetime) -> ResourceState:
        """The state at `now`: the transition until its deadline, then ACTIVE (or ERROR)."""
        if self.error is not None:
            return ResourceState.ERROR
        if self.transition is not None and self.until is not None and now < self.until:
            return self.transition
        return ResourceState.ACTIVE

    def gone(self, now: datetime) -> bool:
        """True once a deletion has finished."""
        return (
            self.transition is ResourceState.DELETING
            and self.until is not None
            and now >= self.until
        )

    @classmethod
    def starting(cls, transition: ResourceState, now: datetime, delay: float) -> Lifecycle:
        """A lifecycle in `transition` (CREATING, UPDATING, DELETING) for `delay` seconds."""
        return cls(transition=transition, until=now + timedelta(seconds=delay))


@attrs.define
class EmulatorState:
    """Everything the emulator holds. Guard every access with `lock`.

    Containers are keyed by workspace id first; each backend module owns its own.
    """

    lock: threading.RLock = attrs.field(factory=threading.RLock)
    workspaces: dict[str, Any] = attrs.field(factory=dict)
    component_types: dict[str, dict[str, Any]] = attrs.field(factory=dict)
    entities: dict[str, MutableMapping[str, Any]] = attrs.field(factory=dict)
    """An `EntityTable` (indexed) per workspace."""
    scenes: dict[str, dict[str, Any]] = attrs.field(factory=dict)
    tags: dict[str, dict[str, str]] = attrs.field(factory=dict)
    """Tags by resource ARN."""
    extra: dict[str, Any] = attrs.field(factory=dict)
    """Containers of later backends (jobs, values, pricing), by name."""
    caches: dict[str, Any] = attrs.field(factory=dict)
    """What backends compute from the state and reuse (merged component types, ...): this
    emulator's own, never persisted (not in `roots()`)."""

    def roots(self) -> dict[str, MutableMapping[Any, Any]]:
        """The top-level containers by field name: everything a persistent store keeps."""
        return {
            "workspaces": self.workspaces,
            "component_types": self.component_types,
            "entities": self.entities,
            "scenes": self.scenes,
            "tags": self.tags,
            "extra": self.extra,
        }


@attrs.frozen
class Context:
    """What a backend function gets besides its request: the state, time and settings."""

    state: EmulatorState
    journal: Journal
    now: datetime
    clock: Clock
    region: str
    account_id: str
    transition_delay: float
    """Seconds a resource spends in CREATING/UPDATING/DELETING before it settles."""
    entry_fails: Callable[[], bool] = attrs.field(default=lambda: False)
    """Asked once per good entry of a batch write: True injects a failure for that entry."""

    def arn(self, resource: str) -> str:
        """The ARN of a TwinMaker resource path, e.g. `workspace/factory`."""
        return f"arn:aws:iottwinmaker:{self.region}:{self.account_id}:{resource}"

    def lifecycle(self, transition: ResourceState) -> Lifecycle:
        """A lifecycle starting now in `transition`, settling after the configured delay."""
        return Lifecycle.starting(transition, self.now, self.transition_delay)


def given_or(new: V | None, current: V) -> V:
    """`new` if the request gave it, else `current`: how Update* operations merge members."""
    return current if new is None else new


def child_container(journal: Journal, parent: MutableMapping[str, Any], key: str) -> Any:
    """`parent[key]`, a dict created (through `journal`, so a failure undoes it) when missing."""
    container = parent.get(key)
    if container is None:
        container = {}
        journal.put(parent, key, container)
    return container


def tombstones(ctx: Context, box: str, workspace_id: str) -> Any:
    """The records of a workspace still being deleted, in `state.extra[box]`, by id.

    Records whose deletion has finished are dropped on the way (through the journal). A
    backend keeps a deleted resource here while it is DELETING, so the resource no longer
    counts as live (the workspace can be emptied) but can still be read.
    """
    stones = child_container(
        ctx.journal, child_container(ctx.journal, ctx.state.extra, box), workspace_id
    )
    for key in [k for k, record in stones.items() if record.lifecycle.gone(ctx.now)]:
        ctx.journal.remove(stones, key)
    return stones
