"""Shards: picklable units of history reading and value writing, for any engine.

A `HistoryShard` is one history query (an entity's component, or every component of a type,
some properties, one time window) together with the way to build a client: ship it to another
process (Dask, Ray, `multiprocessing`, a batch job) and call `read_shard` or
`read_shard_arrow` there. `plan_history` cuts a workspace's history into shards: one per
entity (or per component type) and time window, the windows partitioning the range exactly.

```python
spec = ClientSpec.of(tm, profile_name="prod")           # never credentials: how to build one
shards = plan_history(spec, "factory", ["rpm", "temp"], start=t0, end=t1,
                      window=timedelta(hours=1), component_type="com.example.pump")
frames = pool.map(read_shard, shards)                   # each in any process
target = WriteTarget(spec, "factory")
results = pool.map(functools.partial(write_partition, target), frames)
print(merge_results(results).written)
```

Every frame read here and written here has one long form: `entity_id`, `component`,
`property`, `time` (`datetime64[ns, UTC]`, exact), `value`. Writing goes through the batch
writer, so its accounting holds per partition: a value is written or listed as failed.

A shard holds no credentials: the process that runs it finds its own, through boto3's usual
chain (environment, the profile named in the `ClientSpec`, an instance role). Clients are
built once per process and spec, and shared by the shards that process runs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

import attrs

from twinkit.dataplane._batch import BatchWriter, FailedValue, WriteResult
from twinkit.dataplane._frames import _require, collect, to_arrow
from twinkit.dataplane._history import History, HistoryQuery
from twinkit.errors import Problem, ValidationError
from twinkit.times import format_time, to_ns

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    from twinkit._client import TwinMaker

__all__ = [
    "LONG_COLUMNS",
    "MAX_WINDOWS",
    "ClientFactory",
    "ClientSpec",
    "HistoryShard",
    "WriteTarget",
    "client_of",
    "merge_results",
    "plan_history",
    "read_shard",
    "read_shard_arrow",
    "value_dtype",
    "windows",
    "write_partition",
]

LONG_COLUMNS = ("entity_id", "component", "property", "time", "value")
"""The columns of every frame a shard reads, and of every partition `write_partition` takes."""

MAX_WINDOWS = 100_000
"""The most windows one range is cut into: past it, the window is surely a mistake (1 ns for
a year), and the plan alone would fill memory."""

_DTYPES = {"DOUBLE": "float64", "INTEGER": "int64", "LONG": "int64", "BOOLEAN": "bool"}


@attrs.frozen
class ClientSpec:
    """How to build a typed client in another process: no credentials, only where to call.

    Calling it builds the client (`client_class(session=..., region_name=..., endpoint_url=...)`);
    the worker's own credential chain signs the calls (environment variables, the named
    profile, an instance or task role).

    Attributes:
        client_class: The client class, `twinkit.TwinMaker` (pickled by reference).
        endpoint_url: Another endpoint (e.g. a `twinkit.local` server), else boto3's default.
        region_name: The region, else boto3's resolution in the worker.
        profile_name: A profile of the worker's AWS config to take credentials from.
        max_pool_connections: Connections per client (botocore's default, 10, when None).
        inject_host_prefix: False for an endpoint without `api.`/`data.` host names (a local
            server); None: the client's own choice.
    """

    client_class: type[TwinMaker]
    endpoint_url: str | None = None
    region_name: str | None = None
    profile_name: str | None = None
    max_pool_connections: int | None = None
    inject_host_prefix: bool | None = None

    @classmethod
    def of(cls, tm: TwinMaker, *, profile_name: str | None = None) -> ClientSpec:
        """The spec of an existing client: its class, endpoint, region and pool size.

        A boto3 client does not say which profile its credentials came from: name it here
        when the workers should use one (else they use their default chain).
        """
        meta = tm.boto3_client.meta
        return cls(
            type(tm),
            endpoint_url=meta.endpoint_url,
            region_name=meta.region_name,
            profile_name=profile_name,
            max_pool_connections=getattr(meta.config, "max_pool_connections", None),
            inject_host_prefix=getattr(meta.config, "inject_host_prefix", None),
        )

    def __call__(self) -> TwinMaker:
        """A new client built to this spec."""
        import boto3
        from botocore.config import Config

        session = boto3.session.Session(profile_name=self.profile_name)
        options: dict[str, Any] = {}
        if self.max_pool_connections is not None:
            options["max_pool_connections"] = self.max_pool_connections
        if self.inject_host_prefix is not None:
            options["inject_host_prefix"] = self.inject_host_prefix
        # Only what was asked: any `Config` given counts as asking for host prefixes.
        config = Config(**options) if options else None
        return self.client_class(
            session=session,
            region_name=self.region_name,
            endpoint_url=self.endpoint_url,
            config=config,
        )


ClientFactory = ClientSpec | Callable[[], "TwinMaker"]
"""What a shard builds its client with: a `ClientSpec`, or any picklable callable (a module
level function, a `functools.partial`) returning a `TwinMaker`."""

_CLIENTS: dict[object, TwinMaker] = {}
_CLIENTS_LOCK = threading.Lock()


def client_of(factory: ClientFactory) -> TwinMaker:
    """The client `factory` builds, built once per process (boto3 clients are thread-safe,
    building one costs tens of milliseconds, and sessions are not safe to build concurrently)."""
    with _CLIENTS_LOCK:
        try:
            return _CLIENTS[factory]
        except TypeError:  # an unhashable factory: built each time
            return factory()
        except KeyError:
            client = _CLIENTS[factory] = factory()
            return client


# --- windows ----------------------------------------------------------------------------------


def _window_ns(window: timedelta | int) -> int:
    if isinstance(window, timedelta):
        ns = (window.days * 86_400 + window.seconds) * 1_000_000_000 + window.microseconds * 1000
    elif isinstance(window, int) and not isinstance(window, bool):
        ns = window
    else:
        ns = 0
    if ns < 1:
        message = f"expected a positive timedelta or int nanoseconds, got {window!r}"
        raise ValidationError([Problem("window", "", message)])
    return ns


def windows(start_ns: int, end_ns: int, window: timedelta | int) -> list[tuple[int, int]]:
    """`[start_ns, end_ns]` (both inclusive, as the service reads ranges) cut into windows of
    `window` each (the last may be shorter): `(first_ns, last_ns)` pairs, both inclusive,
    each starting one nanosecond after the previous one ends, so that every instant of the
    range is in exactly one window.

    Raises:
        ValidationError: `window` is not positive or makes more than `MAX_WINDOWS`
            windows, or `end_ns` is before `start_ns`.
    """
    step = _window_ns(window)
    if end_ns < start_ns:
        message = f"end ({format_time(end_ns)}) is before start ({format_time(start_ns)})"
        raise ValidationError([Problem("end", "endTime", message)])
    count = (end_ns - start_ns) // step + 1
    if count > MAX_WINDOWS:
        message = f"{window!r} cuts the range into {count} windows; at most {MAX_WINDOWS}"
        raise ValidationError([Problem("window", "", message)])
    return [(first, min(first + step - 1, end_ns)) for first in range(start_ns, end_ns + 1, step)]


# --- reading ----------------------------------------------------------------------------------


@attrs.frozen
class HistoryShard:
    """One unit of history reading: a query over one time window, and how to get a client.

    Attributes:
        query: What to read (workspace, entity and component or component type, properties,
            the window as `start_ns`..`end_ns`).
        client: How the process that reads it builds its client.
        dtype: The pandas dtype of the `value` column (`float64`, `int64`, `bool`,
            `object`), so that every shard's frame has one schema; None: as read.
    """

    query: HistoryQuery
    client: ClientFactory
    dtype: str | None = None

    def history(self) -> History:
        """The shard's `History`, with this process's client."""
        return History(client_of(self.client), self.query)


def read_shard(shard: HistoryShard) -> pd.DataFrame:
    """The shard's values as a long DataFrame (`LONG_COLUMNS`, a fresh `RangeIndex`), sorted
    by time; the `value` column cast to `shard.dtype` when given.

    Raises:
        ImportError: pandas is missing (`pip install 'twinkit[pandas]'`).
        ServiceError: the service refused a page (after botocore's retries).
    """
    frame: pd.DataFrame = shard.history().to_dataframe(long=True).reset_index(drop=True)
    if shard.dtype is not None and str(frame["value"].dtype) != shard.dtype:
        frame["value"] = frame["value"].astype(cast(Any, shard.dtype))
    return frame


def read_shard_arrow(shard: HistoryShard) -> pa.Table:
    """The shard's values as a long Arrow table (see `History.to_arrow`); a shard with no
    values gives an empty table of the same columns (`value` typed after `shard.dtype`).

    Raises:
        ImportError: pyarrow is missing (`pip install 'twinkit[arrow]'`).
        ServiceError: the service refused a page (after botocore's retries).
    """
    arrow = _require("pyarrow", "arrow")
    collected = collect(c for page in shard.history().pages() for c in page.series)
    if collected.series:
        table: pa.Table = to_arrow(collected)
        return table
    # `to_arrow` needs a series to type its columns: a window with no values is common here.
    value_type = {"int64": arrow.int64(), "bool": arrow.bool_(), "object": arrow.string()}.get(
        shard.dtype or "float64", arrow.float64()
    )
    names = arrow.dictionary(arrow.int32(), arrow.string())
    schema = arrow.schema(
        [
            ("entity_id", names),
            ("component", names),
            ("property", names),
            ("time", arrow.timestamp("ns", "UTC")),
            ("value", value_type),
        ]
    )
    empty: pa.Table = schema.empty_table()
    return empty


def value_dtype(data_types: Iterable[object]) -> str:
    """The one pandas dtype that holds values of all these `DataType`s (or their `type`
    names): `float64`, `int64` or `bool` when they agree, else `object`."""
    found = set()
    for data_type in data_types:
        kind = getattr(data_type, "type", data_type)
        found.add(_DTYPES.get(str(getattr(kind, "value", kind)), "object"))
    return found.pop() if len(found) == 1 else "object"


def plan_history(
    client: ClientFactory,
    workspace_id: str,
    properties: Sequence[str],
    *,
    start: datetime | int | str | np.datetime64,
    end: datetime | int | str | np.datetime64,
    window: timedelta | int,
    component_type: str | None = None,
    entities: Iterable[tuple[str, str]] | None = None,
    dtype: str | None = None,
    page_size: int = 200,
) -> list[HistoryShard]:
    """Cut a workspace's history into shards, making no call.

    Give either `component_type` (one shard per window, each reading every component of the
    type across entities) or `entities`, `(entity_id, component)` pairs (one shard per pair
    and window; a composite component by its path, `a/b`). Shards come window by window.

    Args:
        client: How each process builds its client (`ClientSpec.of(tm)`).
        workspace_id: The workspace.
        properties: The properties to read (any number).
        start: The earliest time, inclusive (the forms `Entity.history` takes).
        end: The latest time, inclusive.
        window: Each shard's span: a `timedelta` or int nanoseconds.
        component_type: Read every component of this type (or a type extending it).
        entities: Read these components.
        dtype: The `value` column's dtype in every frame (see `value_dtype`).
        page_size: Values per request (at most 200).

    Raises:
        ValidationError: a bad argument, named (`window`, `start`, `entities`...).
    """
    pairs = list(entities) if entities is not None else None
    if (component_type is None) == (pairs is None):
        message = "give exactly one of component_type and entities"
        raise ValidationError([Problem("component_type", "", message)])
    start_ns, end_ns = to_ns(start, name="start"), to_ns(end, name="end")
    spans = windows(start_ns, end_ns, window)
    bad = [
        Problem(f"entities[{i}]", "", f"expected (entity_id, component), got {pair!r}")
        for i, pair in enumerate(pairs or ())
        if not (
            isinstance(pair, tuple) and len(pair) == 2 and all(isinstance(p, str) for p in pair)
        )
    ]
    if bad:
        raise ValidationError(bad)
    where: list[dict[str, Any]]
    if component_type is not None:
        where = [{"component_type_id": component_type}]
    else:
        where = [
            {"entity_id": entity, ("component_path" if "/" in part else "component_name"): part}
            for entity, part in pairs or ()
        ]
    template = HistoryQuery.build(
        workspace_id, properties, start=start_ns, end=end_ns, page_size=page_size
    )
    base = [attrs.evolve(template, **w) for w in where]
    return [
        HistoryShard(attrs.evolve(query, start_ns=first, end_ns=last), client, dtype)
        for first, last in spans
        for query in base
    ]


# --- writing ----------------------------------------------------------------------------------


@attrs.frozen
class WriteTarget:
    """Where `write_partition` writes, and how: picklable, no credentials.

    Attributes:
        client: How the process that writes builds its client.
        workspace_id: The workspace.
        max_concurrency: Calls in flight per partition (see `Workspace.put_values`).
        max_attempts: Tries per value before it is reported as not written.
    """

    client: ClientFactory
    workspace_id: str
    max_concurrency: int | None = None
    max_attempts: int = 8


def _long_frame(partition: Any) -> pd.DataFrame:
    if hasattr(partition, "to_pandas") and not hasattr(partition, "iloc"):
        partition = partition.to_pandas()  # a pyarrow Table
    missing = [c for c in LONG_COLUMNS if c not in getattr(partition, "columns", ())]
    if missing:
        message = f"expected a long frame with columns {list(LONG_COLUMNS)}; missing {missing}"
        raise ValidationError([Problem("partition", "", message)])
    frame: pd.DataFrame = partition
    return frame


def _times_ns(times: pd.Series[Any]) -> np.ndarray[Any, Any]:
    """A `time` column as int64 nanoseconds since the epoch: `datetime64` (aware, or naive
    read as UTC) in one step, int nanoseconds as they are, other forms one by one."""
    import numpy as np

    kind = str(times.dtype)
    if kind.startswith("datetime64"):
        if times.dt.tz is not None:
            times = times.dt.tz_convert("UTC").dt.tz_localize(None)
        return np.asarray(times.to_numpy(dtype="datetime64[ns]").view("int64"))
    if kind in ("int64", "Int64"):
        return np.asarray(times.to_numpy(dtype="int64"))
    return np.asarray([to_ns(t, name="time") for t in times], dtype="int64")


def _unsent(
    entity_id: str,
    component: str,
    name: str,
    times: np.ndarray[Any, Any],
    values: np.ndarray[Any, Any],
    error: ValidationError,
) -> list[FailedValue]:
    """Each value of a property the writer refused, listed with the refusal."""
    message = str(error)
    return [
        FailedValue(
            entity_id=entity_id,
            component=component,
            property_name=name,
            time=format_time(int(ns)),
            time_ns=int(ns),
            value=value.item() if hasattr(value, "item") else value,
            error_code="ValidationError",
            error_message=message,
        )
        for ns, value in zip(times, values, strict=True)
    ]


def _put_or_list(
    writer: BatchWriter, entity_id: str, component: str, columns: dict[str, Any]
) -> list[FailedValue]:
    """Queue a component's values; if the writer refuses them, each one, as failed."""
    try:
        writer.put(entity_id, component, columns)
    except ValidationError as error:
        return [
            failed
            for name, (times, values) in columns.items()
            for failed in _unsent(entity_id, component, name, times, values, error)
        ]
    return []


def write_partition(target: WriteTarget, partition: Any) -> WriteResult:
    """Write a long frame (`LONG_COLUMNS`; a pandas DataFrame or a pyarrow Table) through the
    batch writer and return its `WriteResult`.

    Times may be `datetime64` (aware, or naive read as UTC), int nanoseconds, or any form a
    writer takes. Nothing is lost and nothing raises midway: an (entity, component) group
    the writer refuses as a whole (a value that does not fit its property) is listed in
    `failed`, value by value, with the error code `ValidationError`, and the other groups
    are written.

    Raises:
        ValidationError: the partition lacks one of `LONG_COLUMNS`, or a time is not one
            (nothing of the partition is written).
    """
    frame = _long_frame(partition)
    times = _times_ns(frame["time"])
    values = frame["value"].to_numpy()
    refused: list[FailedValue] = []
    writer = BatchWriter(
        client_of(target.client),
        target.workspace_id,
        max_concurrency=target.max_concurrency,
        max_attempts=target.max_attempts,
        progress=False,
    )
    with writer:
        groups = frame.groupby(["entity_id", "component", "property"], sort=False, observed=True)
        by_component: dict[tuple[str, str], dict[str, Any]] = {}
        for key, rows in groups.indices.items():
            entity_id, component, name = cast("tuple[object, object, object]", key)
            by_component.setdefault((str(entity_id), str(component)), {})[str(name)] = rows
        for (entity_id, component), named in by_component.items():
            columns = {name: (times[rows], values[rows]) for name, rows in named.items()}
            refused.extend(_put_or_list(writer, entity_id, component, columns))
    result = writer.result
    if not refused:
        return result
    return merge_results(
        [result, WriteResult(written=0, failed=tuple(refused), calls=0, retried=0)]
    )


def merge_results(results: Iterable[WriteResult]) -> WriteResult:
    """One `WriteResult` for many partitions: counts summed, failed values concatenated."""
    written = calls = retried = 0
    failed: list[FailedValue] = []
    for result in results:
        written += result.written
        calls += result.calls
        retried += result.retried
        failed.extend(result.failed)
    return WriteResult(written=written, failed=tuple(failed), calls=calls, retried=retried)
