"""History as a flat, lazy iterator of typed points, or columns for DataFrames and Arrow.

```python
history = entity.history("sensors", "temperature", "pressure", start=t0, end=t1)
for point in history:                  # HistoryPoint(property, time_ns, value), lazily
    print(point.property.property_name, point.time_ns, point.value)
frame = history.to_dataframe()         # datetime64[ns, UTC] index, a column per property
table = history.to_arrow()             # long form: entity_id, component, property, time, value
```

A `History` is a query, run each time it is iterated: pages are fetched one at a time, only
when the previous one is used up, so memory stays constant however long the listing. More
properties than one request may select (10) are read as several listings, merged in time
order. Each page's body is decoded straight into columns (`_columns`): the typed points are
made from those, and the DataFrame and Arrow builders never make an object per value.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextvars import ContextVar
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple, cast

import attrs
from botocore.exceptions import BotoCoreError, ClientError, HTTPClientError

from twinkit import models
from twinkit._service import NON_FINITE
from twinkit.dataplane._columns import PageColumns, SeriesColumns, SeriesKey, decode_page
from twinkit.errors import Problem, TransportError, ValidationError, service_error
from twinkit.times import format_time, ns_datetime, parse_time, to_ns
from twinkit.values import PyValue, from_data_value, to_data_value
from twinkit.wire import checked_request_wire

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    from twinkit._client import TwinMaker

__all__ = [
    "MAX_PROPERTIES",
    "History",
    "HistoryPoint",
    "HistoryQuery",
    "fetch_page",
    "latest_values",
]

MAX_PROPERTIES = 10
"""The most properties one GetPropertyValueHistory request may select."""
MAX_PAGE_SIZE = 200
"""The most values one page may hold (`maxResults`)."""

_OPERATION = "GetPropertyValueHistory"
_BODY_KEY = "__twinkit_history_body__"
_KEEP_BODY: ContextVar[bool] = ContextVar("twinkit_history_body", default=False)


class HistoryPoint(NamedTuple):
    """One value of a property's history.

    Attributes:
        property: The series: entity, component and property.
        time_ns: The value's time, in nanoseconds since 1970-01-01T00:00:00Z, exactly.
        value: The value as Python holds it (see `twinkit.values.from_data_value`).
    """

    property: SeriesKey
    time_ns: int
    value: PyValue

    @property
    def time(self) -> datetime:
        """The time as an aware UTC `datetime` (microseconds: use `time_ns` for the rest)."""
        return ns_datetime(self.time_ns)


def _keep_body(
    response_dict: dict[str, Any], customized_response_dict: dict[str, Any], **_: Any
) -> None:
    """botocore `before-parse` hook: keep a history page's body for our columnar decoder.

    Only for calls made by `History` (a context variable says so); error responses and every
    other call are left to botocore's parser.
    """
    if not _KEEP_BODY.get() or response_dict.get("status_code", 500) >= 300:
        return
    customized_response_dict[_BODY_KEY] = response_dict.get("body") or b"{}"
    response_dict["body"] = b"{}"


def _interpolation(
    value: timedelta | int | models.InterpolationParameters | None,
) -> models.InterpolationParameters | None:
    if value is None or isinstance(value, models.InterpolationParameters):
        return value
    seconds: object = value.total_seconds() if isinstance(value, timedelta) else value
    if (
        not isinstance(seconds, (int, float))
        or isinstance(seconds, bool)
        or seconds != int(seconds)
        or seconds < 1
    ):
        message = f"expected a whole number of seconds >= 1, got {value!r}"
        raise ValidationError([Problem("interpolation", "interpolation", message)])
    return models.InterpolationParameters(
        interpolation_type=models.InterpolationType.LINEAR, interval_in_seconds=int(seconds)
    )


def _filters(
    filters: Iterable[models.PropertyFilter | tuple[str, str, object]] | None,
) -> tuple[models.PropertyFilter, ...]:
    found = []
    given: list[object] = list(filters or ())
    for index, item in enumerate(given):
        if isinstance(item, models.PropertyFilter):
            found.append(item)
            continue
        if not (isinstance(item, tuple) and len(item) == 3):
            message = f"expected a PropertyFilter or (property, operator, value), got {item!r}"
            raise ValidationError([Problem(f"filters[{index}]", "propertyFilters", message)])
        name, operator, value = item
        found.append(
            models.PropertyFilter(
                property_name=str(name), operator=str(operator), value=to_data_value(value)
            )
        )
    return tuple(found)


@attrs.frozen
class HistoryQuery:
    """What a `History` reads: one component (`entity_id` with a component) or every
    component of a type (`component_type_id`), some properties, a time range.

    Build it with `entity.history(...)` or `ws.history(...)`; it is picklable, so a shard of
    work can be shipped to another process.
    """

    workspace_id: str
    properties: tuple[str, ...]
    start_ns: int
    end_ns: int
    entity_id: str | None = None
    component_name: str | None = None
    component_path: str | None = None
    component_type_id: str | None = None
    descending: bool = False
    interpolation: models.InterpolationParameters | None = None
    filters: tuple[models.PropertyFilter, ...] = ()
    page_size: int = MAX_PAGE_SIZE

    @classmethod
    def build(
        cls,
        workspace_id: str,
        properties: Sequence[str],
        *,
        start: datetime | int | str | np.datetime64,
        end: datetime | int | str | np.datetime64,
        order: models.OrderByTime | str = "ASCENDING",
        interpolation: timedelta | int | models.InterpolationParameters | None = None,
        filters: Iterable[models.PropertyFilter | tuple[str, str, object]] | None = None,
        page_size: int = MAX_PAGE_SIZE,
        **where: str | None,
    ) -> HistoryQuery:
        """Check and normalise the arguments every history method takes.

        Raises:
            ValidationError: naming the bad argument (`start`, `order`, `properties`...).
        """
        problems = []
        if not properties:
            problems.append(Problem("properties", "selectedProperties", "expected a property"))
        if len(set(properties)) != len(properties):
            problems.append(
                Problem("properties", "selectedProperties", "a property is named twice")
            )
        order_text = str(getattr(order, "value", order))
        if order_text not in ("ASCENDING", "DESCENDING"):
            message = f"expected ASCENDING or DESCENDING, got {order!r}"
            problems.append(Problem("order", "orderByTime", message))
        if not (isinstance(page_size, int) and 1 <= page_size <= MAX_PAGE_SIZE):
            message = f"expected an int between 1 and {MAX_PAGE_SIZE}, got {page_size!r}"
            problems.append(Problem("page_size", "maxResults", message))
        if problems:
            raise ValidationError(problems)
        start_ns, end_ns = to_ns(start, name="start"), to_ns(end, name="end")
        format_time(start_ns), format_time(end_ns)  # in years 0001..9999, or a clear error
        return cls(
            workspace_id=workspace_id,
            properties=tuple(properties),
            start_ns=start_ns,
            end_ns=end_ns,
            descending=order_text == "DESCENDING",
            interpolation=_interpolation(interpolation),
            filters=_filters(filters),
            page_size=page_size,
            **where,
        )

    def describe(self) -> str:
        """What is read, as a repr's arguments: `entity='mixer-1', component='sensors',
        properties=['rpm'], start=..., end=...`."""
        if self.entity_id is not None:
            component = self.component_name or self.component_path
            where = f"entity={self.entity_id!r}, component={component!r}"
        else:
            where = f"component_type={self.component_type_id!r}"
        order = ", order='DESCENDING'" if self.descending else ""
        return (
            f"{where}, properties={list(self.properties)!r}, "
            f"start={format_time(self.start_ns)!r}, end={format_time(self.end_ns)!r}{order}"
        )

    def groups(self) -> list[tuple[str, ...]]:
        """The properties, in groups one request may select."""
        names = self.properties
        return [names[i : i + MAX_PROPERTIES] for i in range(0, len(names), MAX_PROPERTIES)]

    def request(
        self, group: Sequence[str], token: str | None
    ) -> models.GetPropertyValueHistoryRequest:
        """The request for one page of one group."""
        chosen = set(group)
        filters = [f for f in self.filters if f.property_name in chosen]
        return models.GetPropertyValueHistoryRequest(
            workspace_id=self.workspace_id,
            entity_id=self.entity_id,
            component_name=self.component_name,
            component_path=self.component_path,
            component_type_id=self.component_type_id,
            selected_properties=list(group),
            property_filters=filters or None,
            interpolation=self.interpolation,
            next_token=token,
            max_results=self.page_size,
            order_by_time=models.OrderByTime.DESCENDING if self.descending else None,
            start_time=format_time(self.start_ns),
            end_time=format_time(self.end_ns),
        )


def fetch_page(tm: TwinMaker, request: models.GetPropertyValueHistoryRequest) -> PageColumns:
    """One page, decoded into columns from the response body (botocore's parse skipped).

    Raises:
        ValidationError: the request breaks the service model's rules.
        ServiceError: the service answered with an error (botocore retried what it may).
        TransportError: no response arrived.
    """
    _register(tm)
    return _fetch_wire(tm, checked_request_wire(request))


def _register(tm: TwinMaker) -> None:
    """Install `_keep_body` on the client (once: botocore ignores a repeated `unique_id`)."""
    keep_bodies(tm.boto3_client)


def keep_bodies(client: Any) -> None:
    """Install `_keep_body` on a botocore or aiobotocore client (once: botocore ignores a
    repeated `unique_id`); calls made while `_KEEP_BODY` is set then keep their body."""
    client.meta.events.register(
        f"before-parse.iottwinmaker.{_OPERATION}", _keep_body, unique_id="twinkit-history-body"
    )


def _fetch_wire(tm: TwinMaker, params: Mapping[str, Any]) -> PageColumns:
    """`fetch_page` for a request already checked and in wire form."""
    client = tm.boto3_client
    flag = _KEEP_BODY.set(True)
    try:
        # A plain dict: `_keep_body` adds a key the stubs' response TypedDict does not have.
        raw = cast("dict[str, Any]", client.get_property_value_history(**params))
    except ClientError as exc:
        raise service_error(exc, _OPERATION) from exc
    except (HTTPClientError, BotoCoreError) as exc:
        raise TransportError(f"{_OPERATION}: {exc}") from exc
    finally:
        _KEEP_BODY.reset(flag)
    return page_of(raw)


def page_of(raw: dict[str, Any]) -> PageColumns:
    """A page's columns from what the client returned for a call made with `_KEEP_BODY` set:
    the body `_keep_body` kept, decoded straight into columns."""
    body = raw.pop(_BODY_KEY, None)
    if body is None:  # another hook took the body: botocore's parsed dict has the same names
        raw.pop("ResponseMetadata", None)
        return decode_page(raw)
    return decode_page(body)


def _group_pages(tm: TwinMaker, query: HistoryQuery, group: Sequence[str]) -> Iterator[PageColumns]:
    # The request is checked once; the pages after the first only change its token.
    _register(tm)
    params = checked_request_wire(query.request(group, None))
    token: str | None = None
    while True:
        try:
            page = _fetch_wire(tm, params if token is None else {**params, "nextToken": token})
        except Exception as exc:
            exc.continuation_token = token  # type: ignore[attr-defined]
            raise
        yield page
        if not page.next_token:
            return
        token = page.next_token


def _point_values(columns: SeriesColumns) -> list[Any]:
    if columns.kind == "doubleValue":
        return [NON_FINITE[v] if type(v) is str else float(v) for v in columns.values]
    return columns.values


def _page_points(page: PageColumns, descending: bool) -> Iterator[HistoryPoint]:
    streams = [
        map(HistoryPoint, itertools.repeat(c.key), map(parse_time, c.times), _point_values(c))
        for c in page.series
    ]
    if len(streams) == 1:
        return streams[0]
    return heapq.merge(*streams, key=_time_of, reverse=descending)


def _time_of(point: HistoryPoint) -> int:
    return point.time_ns


class History:
    """The values of some properties in a time range: iterate it, or build a frame.

    Each iteration (and each `to_dataframe`/`to_arrow`) reads the listing again, page by
    page. Points come in time order (newest first for `order="DESCENDING"`); at one instant,
    in the service's series order.

    Args:
        tm: The client.
        query: What to read.
    """

    def __init__(self, tm: TwinMaker, query: HistoryQuery) -> None:
        self._tm = tm
        self.query = query

    def __repr__(self) -> str:
        """`History(entity='mixer-1', component='sensors', properties=['rpm'], start=...,
        end=...)`: what is read, never the values (nothing is fetched)."""
        return f"History({self.query.describe()})"

    def _repr_html_(self) -> str:
        """Jupyter's view: the first points as a table (time, property, value; entity and
        component too across entities). Reads the first page of each group of properties
        only, never the whole history."""
        import html

        from twinkit._display import ROWS_SHOWN, html_table, value_text

        first = list(itertools.islice(self, ROWS_SHOWN + 1))
        across = self.query.entity_id is None
        header = [*(("entity_id", "component") if across else ()), "time", "property", "value"]
        rows = [
            [
                html.escape(text)
                for text in (
                    *((p.property.entity_id, p.property.component) if across else ()),
                    format_time(p.time_ns),
                    p.property.property_name,
                    value_text(p.value),
                )
            ]
            for p in first[:ROWS_SHOWN]
        ]
        table = html_table(header, rows, caption=html.escape(repr(self)))
        if not first:
            table += "<p><i>(no values in this range)</i></p>"
        elif len(first) > ROWS_SHOWN:
            table += "<p><i>… more not shown</i></p>"
        return table

    def pages(self) -> Iterator[PageColumns]:
        """Every page of every group of properties, decoded into columns, group by group."""
        for group in self.query.groups():
            yield from _group_pages(self._tm, self.query, group)

    def __iter__(self) -> Iterator[HistoryPoint]:
        descending = self.query.descending
        streams = [
            itertools.chain.from_iterable(
                _page_points(page, descending) for page in _group_pages(self._tm, self.query, g)
            )
            for g in self.query.groups()
        ]
        if len(streams) == 1:
            return streams[0]
        return heapq.merge(*streams, key=_time_of, reverse=descending)

    def _collected(self, progress: bool | None = False) -> Any:
        from twinkit.dataplane._batch import _progress_bar
        from twinkit.dataplane._frames import Collected

        collected = Collected()
        bar = _progress_bar(progress, desc="reading")
        try:
            for page in self.pages():
                for columns in page.series:
                    collected.add(columns)
                    if bar is not None:
                        bar.update(len(columns.times))
        finally:
            if bar is not None:
                bar.close()
        return collected

    def to_dataframe(
        self, *, long: bool | None = None, progress: bool | None = None
    ) -> pd.DataFrame:
        """The values as a pandas DataFrame, built columnar.

        Args:
            long: False for a wide frame: a `datetime64[ns, UTC]` index named `time` and a
                column per property (instants a property has no value at hold NaN/None);
                True for a tidy long frame with columns `entity_id`, `component`,
                `property`, `time`, `value`. By default, wide for one entity's component and
                long across entities.
            progress: Show a tqdm progress bar of the values read (`twinkit[tqdm]`); None:
                when stderr is a terminal and tqdm is installed.

        Raises:
            ImportError: pandas is missing (`pip install 'twinkit[pandas]'`), or tqdm is
                and `progress=True`.
        """
        from twinkit.dataplane._frames import _require, to_dataframe

        _require("pandas", "pandas")
        if long is None:
            long = self.query.entity_id is None
        frame: pd.DataFrame = to_dataframe(self._collected(progress), long=long)
        return frame

    def to_arrow(self, *, progress: bool | None = None) -> pa.Table:
        """The values as a long pyarrow Table: `entity_id`, `component`, `property`
        (dictionary-encoded), `time` (`timestamp[ns, UTC]`), `value`.

        Args:
            progress: Show a tqdm progress bar of the values read (see `to_dataframe`).

        Raises:
            ImportError: pyarrow is missing (`pip install 'twinkit[arrow]'`), or tqdm is
                and `progress=True`.
            TypeError: the series hold values of different or nested types.
        """
        from twinkit.dataplane._frames import _require, to_arrow

        _require("pyarrow", "arrow")
        table: pa.Table = to_arrow(self._collected(progress))
        return table


def latest_values(
    tm: TwinMaker,
    workspace_id: str,
    entity_id: str,
    component: str,
    properties: Sequence[str],
) -> dict[str, PyValue | None]:
    """The latest value of each property of one component (None: no value yet)."""
    requests = latest_requests(workspace_id, entity_id, component, properties)
    return latest_of((tm.get_property_value(**request) for request in requests), properties)


def collect_page(collected: Any, page: PageColumns, bar: Any) -> None:
    """Append a page's columns to a `_frames.Collected`, counting its values on a progress
    bar (or None)."""
    for columns in page.series:
        collected.add(columns)
        if bar is not None:
            bar.update(len(columns.times))


def latest_requests(
    workspace_id: str, entity_id: str, component: str, properties: Sequence[str]
) -> list[dict[str, Any]]:
    """The `get_property_value` arguments that read the latest values of `properties`: one
    call per group of properties a request may select."""
    path = component if "/" in component else None
    return [
        {
            "workspace_id": workspace_id,
            "entity_id": entity_id,
            "selected_properties": list(properties[start : start + MAX_PROPERTIES]),
            "component_name": None if path else component,
            "component_path": path,
        }
        for start in range(0, len(properties), MAX_PROPERTIES)
    ]


def latest_of(
    responses: Iterable[models.GetPropertyValueResponse], properties: Sequence[str]
) -> dict[str, PyValue | None]:
    """Each property's latest value in the responses to `latest_requests` (None: none yet)."""
    found: dict[str, PyValue | None] = {}
    for response in responses:
        for name, latest in (response.property_values or {}).items():
            value = latest.property_value
            found[name] = None if value is None else from_data_value(value)
    return {name: found.get(name) for name in properties}
