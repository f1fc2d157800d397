"""The data plane: time-series history as lazy typed points, DataFrames and Arrow tables.

`entity.history(...)` and `ws.history(...)` return a `History`; `entity.latest(...)` the
latest values. pandas and pyarrow are optional (`twinkit[pandas]`, `twinkit[arrow]`).
"""

from __future__ import annotations

from twinkit.dataplane._columns import SeriesKey
from twinkit.dataplane._history import History, HistoryPoint, HistoryQuery

__all__ = ["History", "HistoryPoint", "HistoryQuery", "SeriesKey"]

# Pickles and reprs name the public module, not the private one a class is defined in.
for _public in (History, HistoryPoint, HistoryQuery, SeriesKey):
    _public.__module__ = __name__
del _public
