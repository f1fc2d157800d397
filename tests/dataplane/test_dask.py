"""The Dask adapter on a local cluster of worker processes, against the HTTP emulator.

Values are written partition by partition from a Dask DataFrame (each worker builds its own
client from a `ClientSpec`, credentials from its environment) and read back as a Dask
DataFrame of shards; the two match exactly, times to the nanosecond.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import dask.dataframe as dd
import distributed
import numpy as np
import pandas as pd
import pytest

import twinkit
from twinkit import Component, DataTypes, PropertyDefinition
from twinkit.dataplane import LONG_COLUMNS
from twinkit.errors import ValidationError
from twinkit.local import ServerHandle

ROLE = "arn:aws:iam::123456789012:role/twinmaker"
SENSOR = "com.example.sensor"
T0 = 1_767_225_600_123_456_789  # 2026-01-01T00:00:00.123456789Z
SECOND = 1_000_000_000
PROPERTIES = [f"p{n}" for n in range(12)]  # more than one request selects (10)
ENTITIES = 4
VALUES = 60  # per series: 4 x 12 x 60 = 2,880 values


@pytest.fixture(scope="module")
def cluster_client() -> Iterator[Any]:
    # Workers inherit these at start: the emulator checks signatures, not who signed.
    patch = pytest.MonkeyPatch()
    patch.setenv("AWS_ACCESS_KEY_ID", "testing")
    patch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=2,
        processes=True,
        # A random port: None still means :8787, and two test runs at once (CI's 3.10 and
        # 3.13) would clash there, which distributed reports as a warning (an error here).
        dashboard_address=":0",
        worker_dashboard_address=None,
    )
    client = distributed.Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()
        patch.undo()


@pytest.fixture
def ws(twinmaker_server: ServerHandle, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    tm = twinkit.TwinMaker(endpoint_url=twinmaker_server.url, region_name="us-east-1")
    ws = tm.workspaces.create("factory", role=ROLE)
    sensor = ws.component_types.create(
        SENSOR,
        properties={
            name: PropertyDefinition(DataTypes.DOUBLE, time_series=True) for name in PROPERTIES
        },
    )
    for n in range(ENTITIES):
        ws.entities.create(f"pump-{n}", entity_id=f"pump-{n}", components={"s": Component(sensor)})
    return ws


def _input() -> pd.DataFrame:
    """Every series' values at odd nanosecond offsets, NaN and infinities among them."""
    rng = np.random.default_rng(2026)
    rows = []
    for n in range(ENTITIES):
        for p, name in enumerate(PROPERTIES):
            offsets = np.sort(rng.choice(40 * SECOND, size=VALUES, replace=False))
            values = rng.normal(size=VALUES)
            values[:3] = [np.nan, np.inf, -np.inf] if p == 0 else values[:3]
            for offset, value in zip(offsets, values, strict=True):
                rows.append((f"pump-{n}", "s", name, T0 + int(offset), float(value)))
    frame = pd.DataFrame(rows, columns=list(LONG_COLUMNS))
    frame["time"] = pd.to_datetime(frame["time"], utc=True)  # int ns: exact
    return frame


def _canonical(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.astype({"entity_id": object, "component": object, "property": object})
    order = ["entity_id", "component", "property", "time"]
    return frame.sort_values(order, kind="stable").reset_index(drop=True)[list(LONG_COLUMNS)]


def test_write_then_read_back_exactly_on_a_local_cluster(cluster_client: Any, ws: Any) -> None:
    from twinkit.dask import read_history, write_history

    expected = _input()
    source = dd.from_pandas(expected, npartitions=6)

    result = write_history(source, ws, max_concurrency=4)

    assert (result.written, result.failed) == (len(expected), ())
    frame = read_history(
        ws,
        start=T0,
        end=T0 + 40 * SECOND,
        window=timedelta(seconds=10),
        component_type=SENSOR,
    )
    assert frame.npartitions == 5  # 40 s + 1 ns in windows of 10 s
    assert list(frame.columns) == list(LONG_COLUMNS)
    assert str(frame.dtypes["value"]) == "float64"  # from the declared types: nothing read
    read = frame.compute()
    pd.testing.assert_frame_equal(_canonical(read), _canonical(expected))
    # The shards crossed into the worker processes, which built their own clients there.
    shards = "twinkit.dataplane._shards"
    built = cluster_client.run(lambda: len(importlib.import_module(shards)._CLIENTS))
    assert len(built) == 2
    assert all(count >= 1 for count in built.values())

    by_entity = read_history(
        ws,
        "p0",
        "p11",
        start=T0,
        end=T0 + 40 * SECOND,
        window=20 * SECOND,
        entities=[("pump-1", "s"), ("pump-3", "s")],
    )
    assert by_entity.npartitions == 3 * 2
    wanted = expected[
        expected["entity_id"].isin(["pump-1", "pump-3"]) & expected["property"].isin(["p0", "p11"])
    ]
    pd.testing.assert_frame_equal(_canonical(by_entity.compute()), _canonical(wanted))


def test_a_refused_value_is_reported_not_lost(cluster_client: Any, ws: Any) -> None:
    from twinkit.dask import write_history

    good = _input().head(50)
    bad = pd.DataFrame(
        {
            "entity_id": ["pump-9"],  # no such entity: the service refuses the entry
            "component": ["s"],
            "property": ["p0"],
            "time": pd.to_datetime([T0], utc=True),
            "value": [1.0],
        }
    )
    source = dd.from_pandas(pd.concat([good, bad], ignore_index=True), npartitions=2)

    endpoint = ws.client.boto3_client.meta.endpoint_url
    result = write_history(source, ws.id, endpoint_url=endpoint, region_name="us-east-1")

    assert result.written == 50
    assert [(f.entity_id, f.time_ns, f.error_code) for f in result.failed] == [
        ("pump-9", T0, "ResourceNotFoundException")
    ]


def test_a_frame_without_the_long_columns_is_refused(ws: Any) -> None:
    from twinkit.dask import write_history

    frame = dd.from_pandas(pd.DataFrame({"entity_id": ["pump-0"], "value": [1.0]}), npartitions=1)
    with pytest.raises(
        ValidationError, match=r"frame: .*missing \['component', 'property', 'time'\]"
    ):
        write_history(frame, ws)


def test_without_dask_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import twinkit.dask

    monkeypatch.setitem(sys.modules, "dask.dataframe", None)  # import fails as if missing
    with pytest.raises(ImportError, match=r"pip install 'twinkit\[dask\]'"):
        twinkit.dask.read_history("ws", "p", start=0, end=1, window=1, component_type="t")
