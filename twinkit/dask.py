"""Dask adapter (`pip install 'twinkit[dask]'`): history as a Dask DataFrame, and back.

```python
from datetime import timedelta
from twinkit.dask import read_history, write_history

ddf = read_history(ws, "rpm", "temp", component_type="com.example.pump",
                   start=t0, end=t1, window=timedelta(hours=6))
hourly = ddf.groupby("property").value.mean().compute()
result = write_history(ddf, other_ws)         # partition by partition, through the writer
result.raise_for_failures()
```

`read_history` plans shards (`twinkit.dataplane.plan_history`: a time window, and an entity or
a component type, each) and hands them to `dask.dataframe.from_map`, one partition per shard,
with the frame's schema given (`meta`) so that nothing is read until computed. `write_history`
writes each partition with `twinkit.dataplane.write_partition` on the workers and merges their
results: every value is counted as written or listed as failed.

Workers build their own clients from a `ClientSpec` (endpoint, region, profile) and find their
own credentials (environment, profile, role): no credential travels in a task.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from twinkit._client import TwinMaker
from twinkit.dataplane import (
    LONG_COLUMNS,
    ClientFactory,
    ClientSpec,
    WriteResult,
    WriteTarget,
    merge_results,
    plan_history,
    read_shard,
    value_dtype,
    write_partition,
)
from twinkit.dataplane._shards import client_of
from twinkit.errors import Problem, ValidationError
from twinkit.resources import Workspace

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = ["history_meta", "read_history", "write_history"]


def _require(module: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError:
        raise ImportError(
            f"twinkit.dask needs {module}: install it with `pip install 'twinkit[dask]'`"
        ) from None


def _client_factory(
    workspace: Workspace | str,
    client: ClientFactory | None,
    endpoint_url: str | None,
    region_name: str | None,
    profile_name: str | None,
) -> tuple[str, ClientFactory]:
    if client is not None:
        return (workspace if isinstance(workspace, str) else workspace.id), client
    if isinstance(workspace, Workspace):
        return workspace.id, ClientSpec.of(workspace.client, profile_name=profile_name)
    spec = ClientSpec(
        TwinMaker, endpoint_url=endpoint_url, region_name=region_name, profile_name=profile_name
    )
    return workspace, spec


def history_meta(dtype: str) -> pd.DataFrame:
    """The empty frame every partition of `read_history` matches: `LONG_COLUMNS`, `time` as
    `datetime64[ns, UTC]`, `value` as `dtype`."""
    pandas = _require("pandas")
    meta: pd.DataFrame = pandas.DataFrame(
        {
            "entity_id": pandas.Series(dtype=object),
            "component": pandas.Series(dtype=object),
            "property": pandas.Series(dtype=object),
            "time": pandas.Series(dtype="datetime64[ns, UTC]"),
            "value": pandas.Series(dtype=dtype),
        }
    )[list(LONG_COLUMNS)]
    return meta


def _declared(
    tm: TwinMaker,
    workspace_id: str,
    component_type: str | None,
    pairs: list[tuple[str, str]] | None,
) -> dict[str, Any]:
    """The declared data types of the component's properties (one call), by property."""
    if component_type is not None:
        found = tm.workspaces(workspace_id).component_types(component_type)
        return dict(found.property_definitions)
    if not pairs:
        return {}
    entity_id, component = pairs[0]
    entity = tm.get_entity(workspace_id=workspace_id, entity_id=entity_id)
    held = (entity.components or {}).get(component.split("/")[0])
    if held is None or "/" in component:  # a composite child: its types are not listed here
        return {}
    return {
        name: p.definition
        for name, p in (held.properties or {}).items()
        if p.definition is not None
    }


def read_history(
    workspace: Workspace | str,
    *properties: str,
    start: datetime | int | str | np.datetime64,
    end: datetime | int | str | np.datetime64,
    window: timedelta | int,
    component_type: str | None = None,
    entities: Iterable[tuple[str, str]] | None = None,
    dtype: str | None = None,
    page_size: int = 200,
    client: ClientFactory | None = None,
    endpoint_url: str | None = None,
    region_name: str | None = None,
    profile_name: str | None = None,
) -> Any:
    """A workspace's history as a lazy Dask DataFrame, one partition per shard.

    Partitions are long frames (`entity_id`, `component`, `property`, `time` as
    `datetime64[ns, UTC]`, `value`), each one time window of one entity's component (with
    `entities`) or of every component of a type (with `component_type`), in window order.
    Planning makes at most one call, for the declared types (when `properties` or `dtype`
    are not given); nothing is read until the frame is computed.

    Args:
        workspace: A `Workspace` handle (its client's endpoint and region are used), or a
            workspace id with `endpoint_url`/`region_name`/`profile_name` or `client`.
        properties: The properties; every time-series property of `component_type` (or of
            the first entity's component) when none are named.
        start: The earliest time, inclusive (the forms `Entity.history` takes).
        end: The latest time, inclusive.
        window: Each partition's span: a `timedelta` or int nanoseconds.
        component_type: Read every component of this type (or of a type extending it).
        entities: Or read these `(entity_id, component)` pairs.
        dtype: The `value` column's dtype; by default from the properties' declared types
            (`float64` for DOUBLE, `int64` for INTEGER and LONG, `bool`, else `object`).
        page_size: Values per request (at most 200).
        client: How workers build their client (a `ClientSpec` or a picklable callable).
        endpoint_url: With a workspace id: the endpoint (e.g. a `twinkit.local` server).
        region_name: With a workspace id: the region.
        profile_name: The AWS profile workers take credentials from.

    Returns:
        A `dask.dataframe.DataFrame`.

    Raises:
        ImportError: dask is missing (`pip install 'twinkit[dask]'`).
        ValidationError: a bad argument, named.
    """
    dd = _require("dask.dataframe")
    workspace_id, factory = _client_factory(
        workspace, client, endpoint_url, region_name, profile_name
    )
    pairs = list(entities) if entities is not None else None
    names = list(properties)
    if not names or dtype is None:
        tm = workspace.client if isinstance(workspace, Workspace) else client_of(factory)
        declared = _declared(tm, workspace_id, component_type, pairs)
        if not names:
            names = [n for n, d in declared.items() if d.is_time_series]
        if dtype is None:
            dtype = value_dtype(declared[n].data_type for n in names if n in declared)
            if any(n not in declared for n in names):
                dtype = "object"
    shards = plan_history(
        factory,
        workspace_id,
        names,
        start=start,
        end=end,
        window=window,
        component_type=component_type,
        entities=pairs,
        dtype=dtype,
        page_size=page_size,
    )
    return dd.from_map(
        read_shard, shards, meta=history_meta(dtype), enforce_metadata=False, label="twinkit"
    )


def write_history(
    frame: Any,
    workspace: Workspace | str,
    *,
    max_concurrency: int | None = None,
    max_attempts: int = 8,
    client: ClientFactory | None = None,
    endpoint_url: str | None = None,
    region_name: str | None = None,
    profile_name: str | None = None,
) -> WriteResult:
    """Write a Dask DataFrame of long rows partition by partition, on the workers.

    Each partition goes through the batch writer (`twinkit.dataplane.write_partition`); the
    results are merged: `written` counts every value written, `failed` lists every value
    not written with its error. Nothing raises midway.

    Args:
        frame: A `dask.dataframe.DataFrame` with `entity_id`, `component`, `property`,
            `time` and `value` columns (what `read_history` gives).
        workspace: A `Workspace` handle, or a workspace id with `endpoint_url`,
            `region_name`, `profile_name` or `client`.
        max_concurrency: Calls in flight per partition (see `Workspace.put_values`).
        max_attempts: Tries per value before it is reported as not written.
        client: How workers build their client (a `ClientSpec` or a picklable callable).
        endpoint_url: With a workspace id: the endpoint.
        region_name: With a workspace id: the region.
        profile_name: The AWS profile workers take credentials from.

    Raises:
        ImportError: dask is missing (`pip install 'twinkit[dask]'`).
        ValidationError: `frame` lacks a column, or holds a time that is not one.
    """
    dask = _require("dask")
    missing = [c for c in LONG_COLUMNS if c not in getattr(frame, "columns", ())]
    if missing:
        message = f"expected columns {list(LONG_COLUMNS)}; missing {missing}"
        raise ValidationError([Problem("frame", "", message)])
    workspace_id, factory = _client_factory(
        workspace, client, endpoint_url, region_name, profile_name
    )
    target = WriteTarget(
        factory, workspace_id, max_concurrency=max_concurrency, max_attempts=max_attempts
    )
    write = dask.delayed(write_partition, pure=False)
    results = dask.compute(*(write(target, part) for part in frame.to_delayed()))
    return merge_results(results)
