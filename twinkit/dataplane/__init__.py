"""The data plane: batch writes of any size (and, later, history), re-exported from one place."""

from twinkit.dataplane._batch import (
    MAX_ENTRIES,
    MAX_VALUES,
    BatchWriter,
    FailedValue,
    WriteError,
    WriteResult,
)

__all__ = [
    "MAX_ENTRIES",
    "MAX_VALUES",
    "BatchWriter",
    "FailedValue",
    "WriteError",
    "WriteResult",
]
