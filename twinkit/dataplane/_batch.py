"""Batch writes of any size: pack, send concurrently, retry, and account for every value.

```python
result = ws.put_values({"pump-1": {"pump": {"rpm": [(t0, 1500.0), (t1, 1510.0)]}}})
result.written, result.failed           # 2, ()
with ws.batch_writer() as writer:       # streaming: values are sent while more arrive
    writer.put("pump-1", "pump", {"rpm": readings})
writer.result.raise_for_failures()
```

How a write goes:

* **Packing.** Values are packed to the service's limits: at most 10 entries of at most 10
  values per `BatchPutPropertyValues` call. An entry holds values of one property.
* **Concurrency under one shared limit.** Up to `max_concurrency` calls are in flight at once
  (by default the client's `max_pool_connections`, 10 unless configured, so that every call
  has a pooled connection). All calls share one window: a throttled call halves it, each call
  that succeeds widens it again by `1/window` (additive increase, multiplicative decrease).
* **Retries.** A call refused with a throttling or server error (or lost in transport), and
  each `errorEntries` item with such a code, is sent again after an exponential backoff with
  full jitter (`uniform(0, min(2 s, 50 ms x 2**attempt))`), up to `max_attempts` tries per
  value. botocore's own retries are switched off for these calls only (the writer makes them),
  so no call is retried twice over. Values that shared an entry with a failed value, but were
  not at fault, are sent again at once: an entry is stored whole or not at all.
* **Accounting.** Nothing raises midway: the result says how many values were written and
  lists every value that was not, with the error code and message of its last attempt.
  Writing an instant again overwrites the value there, so a value sent twice is stored once.

All of this but the I/O and the waiting is in `Ledger`, which makes no call and never
sleeps: the blocking engine here drives it from threads, `twinkit.aio.dataplane` from
asyncio tasks.
"""

from __future__ import annotations

import heapq
import importlib
import itertools
import random
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextvars import ContextVar
from types import TracebackType
from typing import TYPE_CHECKING, Any, NamedTuple

import attrs
from botocore.exceptions import ClientError, HTTPClientError, ParamValidationError
from botocore.exceptions import ConnectionError as BotocoreConnectionError
from typing_extensions import Self

from twinkit._callmarks import WIRE_READY
from twinkit._service import BATCH_MAX_ENTRIES, BATCH_MAX_VALUES_PER_ENTRY
from twinkit.dataplane._inputs import Point, Problems, component_points
from twinkit.errors import (
    SERVICE_ERRORS,
    ResourceNotFoundError,
    ServiceError,
    TransportError,
    TwinkitError,
)
from twinkit.models import DataType, DataValue
from twinkit.values import PyValue, from_data_value, parse_time
from twinkit.wire import converter

if TYPE_CHECKING:
    from twinkit._client import TwinMaker

__all__ = [
    "BatchWriter",
    "FailedValue",
    "MAX_ENTRIES",
    "MAX_VALUES",
    "WriteError",
    "WriteResult",
    "pack",
]

MAX_ENTRIES = BATCH_MAX_ENTRIES
"""Entries per `BatchPutPropertyValues` call, at most (the service's limit)."""
MAX_VALUES = BATCH_MAX_VALUES_PER_ENTRY
"""Values per entry, at most (the service's limit)."""
DEFAULT_MAX_ATTEMPTS = 8
_FULL = MAX_ENTRIES * MAX_VALUES
_BACKOFF_BASE = 0.05
_BACKOFF_CAP = 2.0
_RETRY_EVENTS = (
    "needs-retry.iottwinmaker.BatchPutPropertyValues",
    "needs-retry.iottwinmaker.GetEntity",  # the look-up of declared types
)
_WRITER_CALL: ContextVar[bool] = ContextVar("twinkit_writer_call", default=False)


# --- the typed result -------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class FailedValue:
    """A value the writer could not write, and why.

    Attributes:
        entity_id: The entity.
        component: The component's name (or its path, for a composite component).
        property_name: The property.
        time: The value's `Time` string, as sent (UTC, nine fraction digits).
        time_ns: The same time in nanoseconds since the epoch.
        value: The value, as Python holds it.
        error_code: The service's (or the transport's) error code for the last attempt.
        error_message: Its message.
    """

    entity_id: str
    component: str
    property_name: str
    time: str
    time_ns: int
    value: PyValue
    error_code: str
    error_message: str


@attrs.frozen(kw_only=True)
class WriteResult:
    """What a batch write did: how many values were written, and every one that was not.

    Attributes:
        written: Values the service accepted.
        failed: Every value not written, with the error of its last attempt.
        calls: `BatchPutPropertyValues` calls made (retries included).
        retried: Values sent again after a retryable failure.
    """

    written: int
    failed: tuple[FailedValue, ...]
    calls: int
    retried: int

    @property
    def ok(self) -> bool:
        """True when every value was written."""
        return not self.failed

    def raise_for_failures(self) -> Self:
        """Return self when every value was written.

        Raises:
            WriteError: some values were not written (the error holds this result).
        """
        if self.failed:
            raise WriteError(self)
        return self


class WriteError(TwinkitError):
    """Some values of a batch write were not written (raised by `raise_for_failures`).

    Attributes:
        result: The write's result: `result.failed` lists every value not written.
    """

    def __init__(self, result: WriteResult) -> None:
        codes = sorted({f.error_code for f in result.failed})
        super().__init__(
            f"{len(result.failed)} values not written ({', '.join(codes)}); "
            f"{result.written} written"
        )
        self.result = result

    def __reduce__(self) -> tuple[type[WriteError], tuple[WriteResult]]:
        return (type(self), (self.result,))


# --- packing ----------------------------------------------------------------------------------


class Ref(NamedTuple):
    """A property of an entity's component (a composite component by its path: `a/b`)."""

    entity_id: str
    component: str
    property_name: str

    def wire(self) -> dict[str, str]:
        """The `EntityPropertyReference` on the wire."""
        member = "componentPath" if "/" in self.component else "componentName"
        return {
            "entityId": self.entity_id,
            member: self.component,
            "propertyName": self.property_name,
        }


class Pending:
    """One value on its way: where it goes, its time and wire value, attempts made so far."""

    __slots__ = ("attempts", "ns", "ref", "time", "wire")

    def __init__(self, ref: Ref, ns: int, time: str, wire: dict[str, Any]) -> None:
        self.ref = ref
        self.ns = ns
        self.time = time
        self.wire = wire
        self.attempts = 0


def pack(queues: dict[Ref, deque[Pending]]) -> list[list[Pending]]:
    """Take one call's worth of entries out of `queues` (emptied queues are removed).

    Properties are taken in order, each giving as many full entries as it has values for, so
    that a long series fills whole calls; at most `MAX_ENTRIES` entries of at most
    `MAX_VALUES` values each, all values of an entry of one property.
    """
    entries: list[list[Pending]] = []
    for ref in list(queues):
        queue = queues[ref]
        while queue and len(entries) < MAX_ENTRIES:
            entries.append([queue.popleft() for _ in range(min(MAX_VALUES, len(queue)))])
        if not queue:
            del queues[ref]
        if len(entries) == MAX_ENTRIES:
            break
    return entries


# --- one call -----------------------------------------------------------------------------------


class _AttemptFailed(Exception):
    """An error response of a writer's call, raised before botocore could retry it."""

    def __init__(self, code: str, message: str, status: int) -> None:
        super().__init__(code, message, status)
        self.code = code
        self.message = message
        self.status = status


def _one_attempt(response: Any = None, caught_exception: Any = None, **_: Any) -> None:
    """botocore `needs-retry` handler: a writer's call is tried once; the writer retries it.

    A writer's calls are its `BatchPutPropertyValues` and the `GetEntity` look-ups of
    declared types; they are marked by a context variable, so other calls keep botocore's
    retries.

    Registered first, it ends the call before botocore's retry handler runs (raising is the
    only way to, since every handler of the event runs), so botocore neither sleeps nor spends
    its retry quota on a call the writer will retry under its own shared limit.
    """
    if not _WRITER_CALL.get():
        return
    if caught_exception is not None:
        raise caught_exception
    if response is None:
        return
    http, parsed = response
    if http.status_code >= 300:
        error = parsed.get("Error", {}) if isinstance(parsed, dict) else {}
        code = str(error.get("Code") or f"HTTP {http.status_code}")
        raise _AttemptFailed(code, str(error.get("Message") or ""), http.status_code)


class _Outcome(NamedTuple):
    error_entries: list[Any]
    code: str | None = None
    message: str = ""
    retryable: bool = False
    throttled: bool = False


def _retryable(code: str, status: int | None = None) -> bool:
    if code in SERVICE_ERRORS:
        return SERVICE_ERRORS[code].retryable
    return status is not None and (status >= 500 or status == 429)


def _send(client: Any, workspace_id: str, entries: list[dict[str, Any]]) -> _Outcome:
    """Make one call; every way it can end becomes an outcome (nothing raises)."""
    token = _WRITER_CALL.set(True)
    ready = WIRE_READY.set(True)  # the entries are wire-ready: built and checked by the writer
    try:
        response = client.batch_put_property_values(workspaceId=workspace_id, entries=entries)
    except Exception as error:  # the contract: no exception midway, every value accounted for
        return failed_outcome(error)
    finally:
        WIRE_READY.reset(ready)
        _WRITER_CALL.reset(token)
    return _Outcome(list(response.get("errorEntries") or []))


def _install(client: Any) -> None:
    for event in _RETRY_EVENTS:
        client.meta.events.register_first(
            event, _one_attempt, unique_id=f"twinkit-writer-one-attempt-{event}"
        )


# --- the engine -------------------------------------------------------------------------------


class _Window:
    """The one limit every call of a write shares: calls in flight, AIMD-adapted."""

    def __init__(self, ceiling: int) -> None:
        self.ceiling = ceiling
        self.size = float(ceiling)

    @property
    def allowed(self) -> int:
        return max(1, int(self.size))

    def throttled(self) -> None:
        self.size = max(1.0, self.size / 2)

    def succeeded(self) -> None:
        self.size = min(float(self.ceiling), self.size + 1.0 / self.size)


def _backoff(attempt: int) -> float:
    return random.uniform(0.0, min(_BACKOFF_CAP, _BACKOFF_BASE * 2**attempt))


def _ref_of(wire: Mapping[str, Any]) -> Ref:
    component = wire.get("componentPath") or wire.get("componentName") or ""
    return Ref(str(wire.get("entityId") or ""), str(component), str(wire.get("propertyName")))


def _python_value(wire: dict[str, Any]) -> PyValue:
    try:
        return from_data_value(converter.structure(wire, DataValue))
    except TwinkitError:  # a value newer than this model: keep what was sent
        return wire


def _progress_bar(progress: bool | None, *, desc: str = "writing") -> Any:
    """A tqdm bar (`tqdm.auto`, so a widget in notebooks), or None when off.

    None means on when stderr is a terminal and tqdm is installed. History reads use it too
    (`desc="reading"`).
    """
    if progress is False or (progress is None and not sys.stderr.isatty()):
        return None
    try:
        auto = importlib.import_module("tqdm.auto")
    except ImportError:
        if progress is None:
            return None
        raise ImportError(
            "a progress bar needs tqdm: pip install 'twinkit[tqdm]' (or pass progress=False)"
        ) from None
    return auto.tqdm(total=0, unit="value", unit_scale=True, desc=desc)


def failed_outcome(error: Exception) -> _Outcome:
    """What a call that raised `error` means for its values: its code and message, and
    whether it may be retried (the one classification both engines use)."""
    if isinstance(error, _AttemptFailed):
        retryable = _retryable(error.code, error.status)
        throttled = error.code == "ThrottlingException" or error.status == 429
        return _Outcome([], error.code, error.message, retryable, throttled)
    if isinstance(error, ClientError):  # another handler ended the call; botocore's own error
        details = error.response.get("Error", {})
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        code = str(details.get("Code") or "Unknown")
        message = str(details.get("Message") or "")
        return _Outcome([], code, message, _retryable(code, status), code == "ThrottlingException")
    if isinstance(error, ParamValidationError):
        return _Outcome([], "ParamValidationError", str(error))
    if isinstance(error, (BotocoreConnectionError, HTTPClientError)):
        return _Outcome([], type(error).__name__, str(error), retryable=True)
    return _Outcome([], type(error).__name__, str(error))


class _Unreachable(NamedTuple):
    """Why an entity's declared types could not be read: the error of the last attempt."""

    code: str
    message: str


class _NoEntity:
    """Stands for an entity that could not be fetched: no component, so no known types."""

    components: dict[str, Any] = {}  # noqa: RUF012 - read only


Definitions = Mapping[str, DataType | None] | _Unreachable
"""A component's declared data types by property, or why its entity could not be read."""

LOOKUP_ERRORS = (ResourceNotFoundError, _AttemptFailed, ServiceError, TransportError)
"""The errors a look-up of an entity's declared types ends with (`lookup_failure` says how)."""


def lookup_failure(error: Exception) -> tuple[_Unreachable | None, bool]:
    """How a failed look-up of an entity ends: `(None, False)` when there is no such entity
    (its values are sent unchecked: the service reports them); else why, and whether to try
    again. `error` is one of `LOOKUP_ERRORS`."""
    if isinstance(error, ResourceNotFoundError):
        return None, False
    if isinstance(error, _AttemptFailed):
        if error.code == "ResourceNotFoundException":
            return None, False
        return _Unreachable(error.code, error.message), _retryable(error.code, error.status)
    if isinstance(error, ServiceError):
        return _Unreachable(error.code, error.message), error.retryable
    return _Unreachable(type(error).__name__, str(error)), True


def check_limits(max_concurrency: int | None, max_attempts: int) -> None:
    """Check a write's limits.

    Raises:
        ValueError: `max_attempts` or `max_concurrency` is below 1.
    """
    if max_attempts < 1:
        raise ValueError(f"max_attempts must be at least 1, got {max_attempts}")
    if max_concurrency is not None and max_concurrency < 1:
        raise ValueError(f"max_concurrency must be at least 1, got {max_concurrency}")


def concurrency(client: Any, max_concurrency: int | None) -> int:
    """The calls a write may have in flight: `max_concurrency`, else the client's pool size
    (so that every call has a pooled connection)."""
    if max_concurrency is None:
        return int(getattr(client.meta.config, "max_pool_connections", 10) or 10)
    return max_concurrency


class _Engine:
    """Sends a `Ledger`'s calls from worker threads, which also do its bookkeeping.

    Each worker takes the next call from the ledger, makes it, settles its outcome and takes
    the next, all in its own thread under one lock: a call's end and the next call's start
    pass through no other thread. (Handing every outcome to the caller's thread and every call
    back to a pool costs two thread switches per call, and in a busy process each switch may
    wait for the GIL.) The caller's thread only checks and queues input, and waits.
    """

    def __init__(
        self,
        tm: TwinMaker,
        workspace_id: str,
        *,
        max_concurrency: int | None,
        max_attempts: int,
        progress: bool | None,
    ) -> None:
        check_limits(max_concurrency, max_attempts)
        client = tm.boto3_client
        ceiling = concurrency(client, max_concurrency)
        _install(client)
        self._tm = tm
        self._client = client
        self._workspace_id = workspace_id
        bar = _progress_bar(progress)
        self._ledger = Ledger(ceiling=ceiling, max_attempts=max_attempts, bar=bar)
        self._ceiling = ceiling
        lock = threading.Lock()
        self._work = threading.Condition(lock)
        """Idle workers wait here for a call to make (or a retry to fall due)."""
        self._progress = threading.Condition(lock)
        """The caller waits here for calls to settle."""
        self._flush = False
        """Partial calls may go (no more values will come)."""
        self._stopping = False
        self._workers: list[threading.Thread] = []
        self._crashed: BaseException | None = None

    # -- input --

    def definitions(self, entity_id: str, component: str, known: Any = None) -> Definitions:
        """The declared data types of a component's properties (empty when not known), or why
        the entity could not be read."""
        key = (entity_id, component)
        found = self._ledger.definitions.get(key)
        if found is None:
            data = self._entity_or_none(entity_id) if known is None else known
            found = self._ledger.learn(key, data)
        return found

    def prefetch(self, keys: Sequence[tuple[str, str]]) -> None:
        """Fetch the definitions of many components concurrently (one GetEntity per entity)."""
        known = self._ledger.definitions
        missing = sorted({entity for entity, _ in keys} - {e for e, _ in known})
        if not missing:
            return
        workers = min(self._ceiling, len(missing))
        with ThreadPoolExecutor(workers, thread_name_prefix="twinkit-lookup") as pool:
            found = dict(zip(missing, pool.map(self._entity_or_none, missing), strict=True))
        for entity, component in keys:
            self.definitions(entity, component, found.get(entity) or _NoEntity())

    def _entity_or_none(self, entity_id: str) -> Any:
        """The entity's description; None when there is no such entity (its values are sent
        unchecked: the service reports them); `_Unreachable` when reading it kept failing
        (its values are reported with that error, unsent: without their declared types they
        could be sent as the wrong member)."""
        last: _Unreachable | None = None
        for attempt in range(self._ledger.max_attempts):
            token = _WRITER_CALL.set(True)
            try:
                return self._tm.get_entity(workspace_id=self._workspace_id, entity_id=entity_id)
            except LOOKUP_ERRORS as error:
                last, again = lookup_failure(error)
                if not again:
                    return last
            finally:
                _WRITER_CALL.reset(token)
            time.sleep(_backoff(attempt))
        return last

    def add(self, ref: Ref, points: list[Point], unreachable: _Unreachable | None = None) -> None:
        """Queue one property's points (see `Ledger.add`)."""
        with self._work:
            self._ledger.add(ref, points, unreachable)

    # -- sending --

    def pump(self, *, flush: bool) -> None:
        """Let the workers send what may be sent, without waiting for it.

        Without `flush`, only full calls are sent (partial ones wait for more values); the
        caller is held back while more values wait than the calls in flight can take soon.
        """
        with self._work:
            self._flush = self._flush or flush
            self._start_workers()
            if self._ledger.available(flush=self._flush):
                # One worker: each that takes a call wakes another while more are available,
                # so a put that fills no call wakes no thread.
                self._work.notify()
            while not flush and self._ledger.backlogged and self._crashed is None:
                self._progress.wait()
        self._raise_if_crashed()

    def drain(self) -> WriteResult:
        """Send everything, retries included; the result once nothing is left."""
        try:
            with self._work:
                self._flush = True
                if not self._ledger.finished:
                    self._start_workers()
                self._work.notify_all()
                while not self._ledger.finished and self._crashed is None:
                    self._progress.wait()
        finally:
            with self._work:
                self._stopping = True
                self._work.notify_all()
            for worker in self._workers:
                worker.join()
            self._ledger.close()
        self._raise_if_crashed()
        return self._ledger.result()

    def _start_workers(self) -> None:
        while len(self._workers) < self._ceiling:
            worker = threading.Thread(
                target=self._run,
                name=f"twinkit-write-{len(self._workers)}",
                daemon=True,
            )
            self._workers.append(worker)
            worker.start()

    def _run(self) -> None:
        """A worker: take a call, make it, settle it; until the engine stops."""
        ledger = self._ledger
        settled: tuple[list[list[Pending]], _Outcome] | None = None
        try:
            while True:
                with self._work:
                    if settled is not None:
                        ledger.settle(*settled)
                        settled = None
                        self._progress.notify_all()
                    while (call := ledger.next_call(flush=self._flush)) is None:
                        if self._stopping:
                            return
                        self._work.wait(ledger.until_retry())
                    if ledger.available(flush=self._flush):
                        self._work.notify()  # more to send than this worker takes
                entries, wire = call
                settled = (entries, _send(self._client, self._workspace_id, wire))
        except BaseException as error:  # a bug, not a call's failure (_send never raises)
            with self._work:
                self._crashed = error
                self._progress.notify_all()
            raise

    def _raise_if_crashed(self) -> None:
        if self._crashed is not None:
            raise RuntimeError("a twinkit batch-write worker failed") from self._crashed


class Ledger:
    """A write's bookkeeping, with no I/O and no waiting: both engines drive one.

    It holds the values waiting to be sent (by property), the retries waiting out their
    backoff, the one window every call shares, the declared types looked up, and the running
    account. An engine (threads for `BatchWriter`, asyncio tasks for the async writer) asks it
    for the `next_call` to make, makes it, and hands its outcome back to `settle`.
    """

    def __init__(self, *, ceiling: int, max_attempts: int, bar: Any) -> None:
        self.window = _Window(ceiling)
        self.max_attempts = max_attempts
        self.bar = bar
        """The tqdm bar counting values (`_progress_bar`), or None."""
        self.definitions: dict[tuple[str, str], Definitions] = {}
        self._queues: dict[Ref, deque[Pending]] = {}
        self._queued = 0
        self._later: list[tuple[float, int, list[Pending]]] = []
        self._tiebreak = itertools.count()
        self._calls_in_flight = 0
        self._flying = 0
        self._written = 0
        self._failed: list[FailedValue] = []
        self._calls = 0
        self._retried = 0

    # -- input --

    def learn(self, key: tuple[str, str], data: Any) -> Definitions:
        """Record the declared types of the component `key` names, from its entity's
        description (None: no such entity, so no known types), or why it could not be read."""
        if isinstance(data, _Unreachable):
            self.definitions[key] = data
            return data
        components = getattr(data, "components", None) or {}
        found = components.get(key[1])
        known: dict[str, DataType | None] = {
            name: p.definition.data_type
            for name, p in ((found.properties or {}) if found else {}).items()
            if p.definition is not None
        }
        self.definitions[key] = known
        return known

    def add(self, ref: Ref, points: list[Point], unreachable: _Unreachable | None = None) -> None:
        """Queue one property's points (or report them at once, when their entity could not
        be read)."""
        if not points:
            return
        if unreachable is not None:
            for ns, text, wire in points:
                failed = Pending(ref, ns, text, wire)
                self._failure(failed, unreachable.code, unreachable.message, False, [])
            if self.bar is not None:
                self.bar.total += len(points)
                self.bar.update(len(points))
            return
        queue = self._queues.get(ref)
        if queue is None:
            queue = self._queues[ref] = deque()
        queue.extend(Pending(ref, ns, text, wire) for ns, text, wire in points)
        self._queued += len(points)
        if self.bar is not None:
            self.bar.total += len(points)
            self.bar.refresh()

    # -- sending --

    def next_call(self, *, flush: bool) -> tuple[list[list[Pending]], list[dict[str, Any]]] | None:
        """The entries of the next call to make and their wire form, counted as in flight;
        None while the window is full or nothing is queued (without `flush`: until a full
        call's worth is)."""
        now = time.monotonic()
        while self._later and self._later[0][0] <= now:
            for value in heapq.heappop(self._later)[2]:
                self._queues.setdefault(value.ref, deque()).append(value)
                self._queued += 1
        if not self.available(flush=flush):
            return None
        entries = pack(self._queues)
        count = sum(len(e) for e in entries)
        self._queued -= count
        self._flying += count
        self._calls_in_flight += 1
        self._calls += 1
        wire = [
            {
                "entityPropertyReference": entry[0].ref.wire(),
                "propertyValues": [{"time": v.time, "value": v.wire} for v in entry],
            }
            for entry in entries
        ]
        return entries, wire

    def available(self, *, flush: bool) -> bool:
        """Whether `next_call` would give a call now (without taking it)."""
        return bool(
            self._queues
            and self._calls_in_flight < self.window.allowed
            and (flush or self._queued >= _FULL)
        )

    @property
    def backlogged(self) -> bool:
        """More values wait than the calls in flight can take soon: hold the caller back."""
        return self._queued + self._flying > 4 * self.window.ceiling * _FULL

    @property
    def finished(self) -> bool:
        """Nothing is queued, in flight or waiting to be retried."""
        return not (self._calls_in_flight or self._later or self._queues)

    def until_retry(self) -> float | None:
        """Seconds until the next retry is due (0 when one is), None when none waits."""
        if not self._later:
            return None
        return max(0.0, self._later[0][0] - time.monotonic())

    def result(self) -> WriteResult:
        """The account so far."""
        return WriteResult(
            written=self._written,
            failed=tuple(self._failed),
            calls=self._calls,
            retried=self._retried,
        )

    def close(self) -> None:
        """Close the progress bar."""
        if self.bar is not None:
            self.bar.close()

    # -- outcomes --

    def settle(self, entries: list[list[Pending]], outcome: _Outcome) -> None:
        """Account for a call's outcome: values written, failed for good, or to retry."""
        self._calls_in_flight -= 1
        self._flying -= sum(len(e) for e in entries)
        before = self._written + len(self._failed)
        retry: list[Pending] = []
        if outcome.code is not None:
            if outcome.throttled:
                self.window.throttled()
            for entry in entries:
                for value in entry:
                    self._failure(value, outcome.code, outcome.message, outcome.retryable, retry)
        else:
            self.window.succeeded()
            blamed = self._blame(entries, outcome.error_entries)
            siblings: list[Pending] = []
            for index, entry in enumerate(entries):
                if index not in blamed:
                    self._written += len(entry)
                    continue
                for value in entry:
                    error = blamed[index].get(id(value))
                    if error is None:
                        siblings.append(value)  # not at fault: its entry was not stored
                    else:
                        self._failure(value, error[0], error[1], _retryable(error[0]), retry)
            for value in siblings:
                self._queues.setdefault(value.ref, deque()).append(value)
                self._queued += 1
        if retry:
            self._retried += len(retry)
            attempt = max(v.attempts for v in retry)
            ready = time.monotonic() + _backoff(attempt)
            heapq.heappush(self._later, (ready, next(self._tiebreak), retry))
        if self.bar is not None:
            self.bar.update(self._written + len(self._failed) - before)

    def _blame(
        self, entries: list[list[Pending]], error_entries: list[Any]
    ) -> dict[int, dict[int, tuple[str, str]]]:
        """Which entries were not stored, and the error of each value named in `errorEntries`.

        Errors name their values by property and time; one naming no value it can be matched
        to blames every value of its property in the call (or, failing that, the whole call).
        """
        if not error_entries:
            return {}
        at: dict[tuple[Ref, int], list[tuple[int, Pending]]] = {}
        for index, entry in enumerate(entries):
            for value in entry:
                at.setdefault((value.ref, value.ns), []).append((index, value))
        blamed: dict[int, dict[int, tuple[str, str]]] = {}
        for item in error_entries:
            for error in item.get("errors") or ():
                code = str(error.get("errorCode") or "Unknown")
                message = str(error.get("errorMessage") or "")
                entry_wire = error.get("entry") or {}
                ref = _ref_of(entry_wire.get("entityPropertyReference") or {})
                matched: list[tuple[int, Pending]] = []
                for value_wire in entry_wire.get("propertyValues") or ():
                    try:
                        ns = parse_time(value_wire.get("time"))
                    except TwinkitError:
                        continue
                    matched.extend(at.get((ref, ns), ()))
                if not matched:
                    matched = [(i, v) for i, e in enumerate(entries) for v in e if v.ref == ref]
                if not matched:
                    matched = [(i, v) for i, e in enumerate(entries) for v in e]
                for index, value in matched:
                    blamed.setdefault(index, {})[id(value)] = (code, message)
        return blamed

    def _failure(
        self, value: Pending, code: str, message: str, retryable: bool, retry: list[Pending]
    ) -> None:
        value.attempts += 1
        if retryable and value.attempts < self.max_attempts:
            retry.append(value)
            return
        ref = value.ref
        self._failed.append(
            FailedValue(
                entity_id=ref.entity_id,
                component=ref.component,
                property_name=ref.property_name,
                time=value.time,
                time_ns=value.ns,
                value=_python_value(value.wire),
                error_code=code,
                error_message=message,
            )
        )


# --- the public entry points ------------------------------------------------------------------


def _entity_id(entity: object) -> str:
    return entity if isinstance(entity, str) else str(getattr(entity, "id", entity))


def _known_data(entity: object) -> Any:
    """An `Entity` handle's data when it was already fetched (no call), else None."""
    return getattr(entity, "_data", None)


Planned = list[tuple[Ref, list[Point], _Unreachable | None]]
"""Each property's checked points, and why they cannot be sent when their entity could not
be read: what an engine's `add` takes once the whole input is checked."""


def queue_component(
    definitions: Callable[[str, str, Any], Definitions],
    entity: object,
    component: str,
    values: object,
    problems: Problems,
    planned: Planned,
) -> None:
    """Check a component's values against its declared types (`definitions(entity_id,
    component, known_data)`), adding them to `planned` and what is wrong to `problems`."""
    entity_id = _entity_id(entity)
    found = definitions(entity_id, component, _known_data(entity))
    unreachable = found if isinstance(found, _Unreachable) else None
    known = {} if isinstance(found, _Unreachable) else found
    path = f"entities[{entity_id!r}].components[{component!r}]"
    for name, points in component_points(values, known, path, problems).items():
        planned.append((Ref(entity_id, component, name), points, unreachable))


def lookups(values: object) -> list[tuple[str, str]]:
    """The components of a `put_values` input whose declared types must be looked up.

    Raises:
        ValidationError: `values` is not a `{entity: {component: values}}` mapping.
    """
    if not isinstance(values, Mapping):
        problems = Problems()
        expected = "a {entity: {component: values}} mapping"
        problems.add("entities", f"expected {expected}, got {type(values).__name__}")
        problems.raise_if_any()
    assert isinstance(values, Mapping)
    return [
        (_entity_id(e), c)
        for e, components in values.items()
        if _known_data(e) is None and isinstance(components, Mapping)
        for c in components
    ]


def plan(
    values: Mapping[object, object], definitions: Callable[[str, str, Any], Definitions]
) -> Planned:
    """Check a whole `put_values` input, every problem at once, before anything is sent.

    Raises:
        ValidationError: naming each bad time or value, or each entity not given a mapping.
    """
    problems = Problems()
    planned: Planned = []
    for entity, components in values.items():
        if not isinstance(components, Mapping):
            where = f"entities[{_entity_id(entity)!r}]"
            expected = "a {component: values} mapping"
            problems.add(where, f"expected {expected}, got {type(components).__name__}")
            continue
        for component, component_values in components.items():
            queue_component(definitions, entity, component, component_values, problems, planned)
    problems.raise_if_any()
    return planned


def put_values(
    tm: TwinMaker,
    workspace_id: str,
    values: object,
    *,
    max_concurrency: int | None = None,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    progress: bool | None = None,
) -> WriteResult:
    """Write `{entity: {component: {property: values}}}` (see `Workspace.put_values`)."""
    engine = _Engine(
        tm,
        workspace_id,
        max_concurrency=max_concurrency,
        max_attempts=max_attempts,
        progress=progress,
    )
    try:
        engine.prefetch(lookups(values))
        assert isinstance(values, Mapping)
        planned = plan(values, engine.definitions)
    except BaseException:
        engine.drain()
        raise
    for ref, points, unreachable in planned:
        engine.add(ref, points, unreachable)
    return engine.drain()


class BatchWriter:
    """A streaming batch write: `put` values as they come; full calls go out meanwhile.

    Made by `Workspace.batch_writer()`; use it as a context manager. Leaving the block sends
    what is left and waits for every retry; `result` then holds the outcome. `put` raises
    `ValidationError` for bad input before any of it is queued; nothing else raises.

    Example:
        ```python
        with ws.batch_writer(max_concurrency=16) as writer:
            for chunk in chunks:
                writer.put("pump-1", "pump", {"rpm": chunk})
        print(writer.result.written, len(writer.result.failed))
        ```
    """

    def __init__(
        self,
        tm: TwinMaker,
        workspace_id: str,
        *,
        max_concurrency: int | None = None,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        progress: bool | None = None,
    ) -> None:
        self._engine = _Engine(
            tm,
            workspace_id,
            max_concurrency=max_concurrency,
            max_attempts=max_attempts,
            progress=progress,
        )
        self._result: WriteResult | None = None

    def put(self, entity: object, component: str, values: object) -> None:
        """Queue a component's values: `{property: values}` or a DataFrame.

        Args:
            entity: The entity (an `Entity` handle or its id).
            component: The component's name (or path, `parent/child`, for a composite one).
            values: `{property: values}` or a DataFrame with a column per property; each
                property's values in any form `Workspace.put_values` takes.

        Raises:
            ValidationError: a time or value is not one (nothing of this call is queued).
            RuntimeError: the writer was closed.
        """
        if self._result is not None:
            raise RuntimeError("this batch writer is closed")
        problems = Problems()
        planned: Planned = []
        queue_component(self._engine.definitions, entity, component, values, problems, planned)
        problems.raise_if_any()
        for ref, points, unreachable in planned:
            self._engine.add(ref, points, unreachable)
        self._engine.pump(flush=False)

    def close(self) -> WriteResult:
        """Send what is left, wait for every retry, and return the result (idempotent)."""
        if self._result is None:
            self._result = self._engine.drain()
        return self._result

    @property
    def result(self) -> WriteResult:
        """The outcome of the write.

        Raises:
            RuntimeError: the writer is still open (leave the `with` block, or `close()`).
        """
        if self._result is None:
            raise RuntimeError("the batch writer is still open: its result comes with close()")
        return self._result

    def __enter__(self) -> BatchWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
