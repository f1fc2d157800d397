"""The data plane: batch writes of any size, and history as lazy typed points, DataFrames
and Arrow tables.

`entity.put_values(...)`, `ws.put_values(...)` and `ws.batch_writer()` write; `entity.history(...)`
and `ws.history(...)` return a `History`; `entity.latest(...)` the latest values. pandas, pyarrow
and tqdm are optional (`twinkit[pandas]`, `twinkit[arrow]`, `twinkit[tqdm]`).
`plan_history`, `read_shard` and `write_partition` split the work into picklable shards for
other processes (`twinkit.dask` runs them on Dask).
"""

from __future__ import annotations

from twinkit.dataplane._batch import (
    MAX_ENTRIES,
    MAX_VALUES,
    BatchWriter,
    FailedValue,
    WriteError,
    WriteResult,
)
from twinkit.dataplane._columns import SeriesKey
from twinkit.dataplane._history import History, HistoryPoint, HistoryQuery
from twinkit.dataplane._shards import (
    LONG_COLUMNS,
    MAX_WINDOWS,
    ClientFactory,
    ClientSpec,
    HistoryShard,
    WriteTarget,
    merge_results,
    plan_history,
    read_shard,
    read_shard_arrow,
    value_dtype,
    windows,
    write_partition,
)

__all__ = [
    "MAX_ENTRIES",
    "MAX_VALUES",
    "BatchWriter",
    "FailedValue",
    "History",
    "HistoryPoint",
    "HistoryQuery",
    "SeriesKey",
    "WriteError",
    "WriteResult",
    # Shards: picklable units of work for scale-out (`twinkit.dask`, or any engine).
    "LONG_COLUMNS",
    "MAX_WINDOWS",
    "ClientFactory",
    "ClientSpec",
    "HistoryShard",
    "WriteTarget",
    "merge_results",
    "plan_history",
    "read_shard",
    "read_shard_arrow",
    "value_dtype",
    "windows",
    "write_partition",
]

# Pickles and reprs name the public module, not the private one a class is defined in.
for _public in (
    History,
    HistoryPoint,
    HistoryQuery,
    SeriesKey,
    ClientSpec,
    HistoryShard,
    WriteTarget,
):
    _public.__module__ = __name__
del _public
