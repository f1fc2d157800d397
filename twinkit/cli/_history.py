"""`twinkit history`: a component's history as CSV or Parquet, times exact to the nanosecond.

Both formats have the same long layout, a row per value: `entity_id`, `component`,
`property`, `time`, `value`. In CSV the time is TwinMaker's own `Time` string in UTC with nine
fraction digits and the value is text (floats as Python writes them, which read back to the
same float; lists, maps and relationships as JSON); in Parquet the time is a
`timestamp[ns, UTC]` and the value keeps its type. CSV is written as the pages arrive, so
memory stays constant; Parquet (pyarrow, `twinkit[arrow]`) is built from `History.to_arrow`.
A file is written beside its destination and moved into place when complete, so a failed read
never leaves half a file.
"""

from __future__ import annotations

import csv
import importlib
import json
import os
import re
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

from twinkit._client import TwinMaker
from twinkit.dataplane._history import History
from twinkit.errors import Problem, ValidationError
from twinkit.times import datetime_ns, format_time, parse_time
from twinkit.values import Expression, PyValue, Relationship

__all__ = [
    "COLUMNS",
    "csv_value",
    "parse_cli_time",
    "read_history",
    "write_csv",
    "write_history",
    "write_parquet",
]

COLUMNS = ("entity_id", "component", "property", "time", "value")
"""The columns of both output formats, in order."""

FORMATS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}
"""Output formats by file suffix."""

_INTEGER = re.compile(r"-?\d+")
_TIME_FORMS = (
    "an ISO-8601 time (2026-01-02, 2026-01-02T03:04:05.123456789Z, +01:00 offsets; UTC when "
    "no offset is given), 'now' or int nanoseconds since 1970"
)


def _problem(option: str, message: str) -> ValidationError:
    return ValidationError([Problem(option, option.lstrip("-"), message)])


def parse_cli_time(text: str, option: str) -> int:
    """A time given on the command line, as nanoseconds since 1970-01-01T00:00:00Z.

    Accepts TwinMaker's `Time` strings (nine fraction digits kept), the same without an
    offset (read as UTC), any other ISO-8601 form `datetime.fromisoformat` reads (`2026-01-02`,
    `2026-01-02T03:04`), `now`, and whole nanoseconds since the epoch as `twinkit.times` does.

    Raises:
        ValidationError: naming `option`, for anything else.
    """
    text = text.strip()
    if text.lower() == "now":
        return datetime_ns(datetime.now(timezone.utc))
    if _INTEGER.fullmatch(text):
        return int(text)
    for candidate in (text, text + "Z"):  # a Time string, or one without its offset
        with suppress(ValidationError):
            return parse_time(candidate)
    iso = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        raise _problem(option, f"expected {_TIME_FORMS}, got {text!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return datetime_ns(moment)


def _json_default(value: object) -> object:
    if isinstance(value, Relationship):
        found = {"targetEntityId": value.target_entity_id}
        if value.target_component_name is not None:
            found["targetComponentName"] = value.target_component_name
        return {"relationshipValue": found}
    if isinstance(value, Expression):
        return {"expression": value.text}
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def csv_value(value: PyValue) -> str:
    """A value as a CSV cell: `repr` for floats (it reads back to the same float, `nan` and
    `inf` included), `true`/`false`, digits, the string itself, JSON for anything else."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (int, str)):
        return str(value)
    return json.dumps(value, default=_json_default, ensure_ascii=False, sort_keys=True)


def write_csv(history: History, stream: IO[str]) -> int:
    """Write the history to `stream` as CSV, page by page; the number of values written."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(COLUMNS)
    count = 0
    for point in history:
        key = point.property
        writer.writerow(
            (
                key.entity_id,
                key.component,
                key.property_name,
                format_time(point.time_ns),
                csv_value(point.value),
            )
        )
        count += 1
    return count


def _parquet() -> Any:
    try:
        return importlib.import_module("pyarrow.parquet")
    except ImportError:
        raise ImportError("writing Parquet needs pyarrow: pip install 'twinkit[arrow]'") from None


def write_parquet(history: History, path: Path, *, progress: bool | None = None) -> int:
    """Write the history to `path` as Parquet, in time order; the number of values written.

    Raises:
        ImportError: pyarrow is missing (`pip install 'twinkit[arrow]'`).
        ValidationError: naming `--out`, when the properties hold values of different or
            nested types (which one Parquet column cannot hold).
    """
    parquet = _parquet()
    try:
        table = history.to_arrow(progress=progress)
    except TypeError as exc:  # values of several types, or lists and maps: no one column type
        raise _problem(
            "--out", f"Parquet needs one value type across the properties; write CSV ({exc})"
        ) from None
    # to_arrow is series by series; a stable sort on time alone keeps the series order at
    # one instant, as iterating the history (and so the CSV) does.
    order = "descending" if history.query.descending else "ascending"
    table = table.sort_by([("time", order)])
    parquet.write_table(table, str(path))
    return int(table.num_rows)


@contextmanager
def _replacing(path: Path) -> Iterator[Path]:
    """A temporary path beside `path`, moved onto `path` when the block completes."""
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def output_format(path: Path) -> str:
    """`csv` or `parquet`, from the file's suffix.

    Raises:
        ValidationError: naming `--out`, for another suffix.
    """
    found = FORMATS.get(path.suffix.lower())
    if found is None:
        known = ", ".join(FORMATS)
        raise _problem("--out", f"expected a file ending in {known}, got {str(path)!r}")
    return found


def read_history(
    tm: TwinMaker,
    workspace_id: str,
    entity_id: str,
    component: str,
    properties: Sequence[str],
    *,
    start: str,
    end: str,
    order: str = "ASCENDING",
) -> History:
    """Check the workspace, entity and component, and the history query for them.

    Raises:
        ResourceNotFoundError: no such workspace or entity.
        ValidationError: a malformed time (naming `--start` or `--end`), no such component,
            or no time-series property to read.
    """
    start_ns, end_ns = parse_cli_time(start, "--start"), parse_cli_time(end, "--end")
    tm.get_workspace(workspace_id=workspace_id)
    entity = tm.workspaces(workspace_id).entities(entity_id)
    components = entity.data.components or {}
    top = component.split("/", 1)[0]
    if top not in components:
        known = ", ".join(sorted(components)) or "none"
        raise _problem(
            "COMPONENT",
            f"entity {entity_id!r} has no component {top!r} (it has: {known})",
        )
    if not properties and "/" not in component:
        declared = (components[component].properties or {}).values()
        if not any(p.definition is not None and p.definition.is_time_series for p in declared):
            raise _problem(
                "PROPERTY",
                f"component {component!r} has no time-series property: name the properties",
            )
    return entity.history(component, *properties, start=start_ns, end=end_ns, order=order)


def write_history(
    history: History, out: Path | None, stdout: IO[str], *, progress: bool | None = None
) -> int:
    """Write the history to `out` (CSV or Parquet by its suffix) or, when None, as CSV to
    `stdout`; the number of values written. A file appears only once complete."""
    if out is None:
        return write_csv(history, stdout)
    fmt = output_format(out)
    if not out.parent.is_dir():
        raise _problem("--out", f"{out.parent}: no such directory")
    if fmt == "parquet":
        _parquet()  # a missing pyarrow is said before anything is read
    with _replacing(out) as temporary:
        if fmt == "parquet":
            return write_parquet(history, temporary, progress=progress)
        with temporary.open("w", encoding="utf-8", newline="") as stream:
            return write_csv(history, stream)
