"""The async data plane: batch writes and history for `twinkit.aio.TwinMaker`.

The same engine as `twinkit.dataplane` (packing, retries under one shared window, the
accounting of every value, columnar page decoding), driven by asyncio tasks instead of
threads; the same inputs and the same result types (`WriteResult`, `HistoryPoint`).

```python
result = await put_values(tm, "factory", {"pump-1": {"pump": {"rpm": readings}}})
async with AsyncBatchWriter(tm, "factory") as writer:
    await writer.put("pump-1", "pump", {"rpm": readings})
async for point in AsyncHistory(tm, query):
    ...
```
"""

from __future__ import annotations

from twinkit.aio.dataplane._batch import AsyncBatchWriter, put_values
from twinkit.aio.dataplane._history import AsyncHistory, latest_values

__all__ = ["AsyncBatchWriter", "AsyncHistory", "latest_values", "put_values"]

# Reprs and docs name the public module, not the private one a class is defined in.
for _public in (AsyncBatchWriter, AsyncHistory):
    _public.__module__ = __name__
del _public
